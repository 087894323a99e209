//! What the pages' menu offers someone: computed from the rules themselves, so that it never
//! shows a link the policy would then refuse. A right held only within groups shows the page
//! when the page filters itself to those groups (the users list, the Add form whose groups are
//! then required), and not at all when the page needs the right organisation-wide (import,
//! export, audit, settings).

use super::Actor;
use crate::permission::Permission;

/// The links of the menu, each `true` when the page behind it would open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Menu {
    /// The users list (filtered to one's groups when the right is held only there).
    pub users: bool,
    /// The Add form (within one's groups when the right is held only there).
    pub create: bool,
    pub import: bool,
    pub export: bool,
    pub audit: bool,
    /// The outbox of e-mails.
    pub emails: bool,
    /// One's own e-mail signature.
    pub signature: bool,
    /// Groups: to manage them, or to see who is in those one may see or change.
    pub groups: bool,
    /// Roles: to define them, or to know what those one may give mean.
    pub roles: bool,
    pub settings: bool,
    /// The organisation's applications (OpenID Connect clients).
    pub apps: bool,
}

pub fn menu(actor: &Actor) -> Menu {
    let anywhere = actor.permissions_anywhere();
    let users = actor.may_list_users().is_ok();
    Menu {
        users,
        create: actor.may_create_somewhere().is_ok(),
        import: actor.may_import().is_ok(),
        export: actor.may_export().is_ok(),
        audit: actor.may_read_audit().is_ok(),
        emails: actor.may_change_settings().is_ok(),
        signature: actor.may_keep_signature().is_ok(),
        groups: actor.may_manage_groups() || users || anywhere.contains(Permission::ManageGroups),
        roles: actor.may_manage_roles() || anywhere.contains(Permission::AssignRoles),
        settings: actor.may_change_settings().is_ok(),
        apps: actor.may_manage_apps(),
    }
}
