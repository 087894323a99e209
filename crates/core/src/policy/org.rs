//! The rules about the organisation itself: its roles, its groups, its applications, its
//! settings, its audit log, and its people in bulk (import and export). All of them are organisation-wide rights.

use super::action::*;
use super::{Actor, Allowed, Denied, Scope};
use crate::permission::{Permission, PermissionSet};

impl Actor {
    /// Creating, renaming or deleting the group `group_id`: organisation-wide.
    pub fn may_manage_group(&self, group_id: &str) -> Result<Allowed<ManageGroup>, Denied> {
        self.org_wide(
            Permission::ManageGroups,
            ManageGroup {
                group_id: group_id.to_string(),
            },
        )
    }

    /// Whether groups can be created, renamed or deleted at all (for the pages' buttons).
    pub fn may_manage_groups(&self) -> bool {
        self.holds_org_wide(Permission::ManageGroups)
    }

    /// Registering, changing, rotating the secret of or deleting the application `app_id`:
    /// organisation-wide, as an application's groups name who may sign in to it anywhere.
    pub fn may_manage_app(&self, app_id: &str) -> Result<Allowed<ManageApp>, Denied> {
        self.org_wide(
            Permission::ManageApps,
            ManageApp {
                app_id: app_id.to_string(),
            },
        )
    }

    /// Whether applications can be managed at all (for the pages' menu and buttons).
    pub fn may_manage_apps(&self) -> bool {
        self.holds_org_wide(Permission::ManageApps)
    }

    /// Defining the role `role_id` with `permissions` (creating it, changing it to them, or
    /// deleting it with them): the actor must hold them all organisation-wide, or they could
    /// hand themselves more through the role.
    pub fn may_define_role(
        &self,
        role_id: &str,
        permissions: PermissionSet,
    ) -> Result<Allowed<DefineRole>, Denied> {
        if !self.holds_org_wide(Permission::ManageRoles) {
            return Err(Denied::Missing(Permission::ManageRoles));
        }
        let lacking = permissions.minus(self.permissions_over(&Scope::Organisation));
        if lacking.is_empty() {
            Ok(self.allow(DefineRole {
                role_id: role_id.to_string(),
            }))
        } else {
            Err(Denied::RoleOutranks(lacking))
        }
    }

    /// Whether roles can be defined at all (for the pages' buttons).
    pub fn may_manage_roles(&self) -> bool {
        self.holds_org_wide(Permission::ManageRoles)
    }

    pub fn may_change_settings(&self) -> Result<Allowed<OrgSettings>, Denied> {
        self.org_wide(Permission::OrgSettings, OrgSettings)
    }

    pub fn may_read_audit(&self) -> Result<Allowed<ReadAudit>, Denied> {
        self.org_wide(Permission::ReadAudit, ReadAudit)
    }

    pub fn may_import(&self) -> Result<Allowed<Import>, Denied> {
        self.org_wide(Permission::Import, Import)
    }

    /// Importing password hashes brought over from another system (WordPress), with which
    /// people then sign in: administrators only (every permission, organisation-wide), as
    /// whoever sets a hash in effect chooses the password someone signs in with, and no hash
    /// can be held to the password policy.
    pub fn may_import_password_hashes(&self) -> Result<Allowed<ImportPasswordHashes>, Denied> {
        if !self.holds_org_wide(Permission::Import) {
            return Err(Denied::Missing(Permission::Import));
        }
        let lacking = PermissionSet::ALL.minus(self.permissions_over(&Scope::Organisation));
        if lacking.is_empty() {
            Ok(self.allow(ImportPasswordHashes))
        } else {
            Err(Denied::AdministratorsOnly(lacking))
        }
    }

    pub fn may_export(&self) -> Result<Allowed<Export>, Denied> {
        self.org_wide(Permission::Export, Export)
    }
}
