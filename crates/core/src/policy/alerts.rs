//! Who may be told of an event by e-mail. A built-in alert may name a permission its
//! recipients must hold: a person is in its audience when they hold that permission
//! organisation-wide or within one of the event's groups (a new member of « Les Lutins » is
//! announced to those who may see the people of « Les Lutins », not to a manager of another
//! facility). The store turns an [`Audience`] into its query; the rule is decided here.

use super::{Grant, Scope};
use crate::permission::Permission;

/// The people an alert may reach: holders of `permission` over one of `scopes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audience {
    permission: Permission,
    scopes: Vec<Scope>,
}

/// The audience of an alert that needs `permission`, about an event in `event_groups` (ids;
/// none for an event of the whole organisation).
pub fn audience(permission: Permission, event_groups: &[String]) -> Audience {
    let mut scopes = vec![Scope::Organisation];
    scopes.extend(event_groups.iter().cloned().map(Scope::Group));
    scopes.sort();
    scopes.dedup();
    Audience { permission, scopes }
}

impl Audience {
    pub fn permission(&self) -> Permission {
        self.permission
    }

    /// Where holding the permission counts: the organisation, and each of the event's groups.
    pub fn scopes(&self) -> &[Scope] {
        &self.scopes
    }

    /// Whether someone holding `grants` is in the audience.
    pub fn admits(&self, grants: &[Grant]) -> bool {
        grants
            .iter()
            .any(|g| g.permissions.contains(self.permission) && self.scopes.contains(&g.scope))
    }
}

/// Whether someone holding `grants` may choose to receive an alert needing `permission` (none:
/// anyone may): they hold it somewhere, so that some event could reach them.
pub fn may_subscribe(grants: &[Grant], permission: Option<Permission>) -> bool {
    permission.is_none_or(|p| grants.iter().any(|g| g.permissions.contains(p)))
}
