//! The fixed set of permissions. Roles are named sets of them; nothing else grants a right.

use crate::error::Invalid;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Permission {
    ViewUsers,
    CreateUsers,
    EditUsers,
    DisableUsers,
    DeleteUsers,
    Import,
    Export,
    Invite,
    AssignRoles,
    ManageRoles,
    ManageGroups,
    OrgSettings,
    ReadAudit,
    /// May keep an e-mail signature ("Signature courriel").
    EmailSignature,
    /// May register the organisation's applications (OpenID Connect clients), change them,
    /// rotate their secrets and delete them.
    ManageApps,
}

impl Permission {
    pub const ALL: [Permission; 15] = [
        Permission::ViewUsers,
        Permission::CreateUsers,
        Permission::EditUsers,
        Permission::DisableUsers,
        Permission::DeleteUsers,
        Permission::Import,
        Permission::Export,
        Permission::Invite,
        Permission::AssignRoles,
        Permission::ManageRoles,
        Permission::ManageGroups,
        Permission::OrgSettings,
        Permission::ReadAudit,
        Permission::EmailSignature,
        Permission::ManageApps,
    ];

    /// Stable code, used in storage, the API and the message catalogues.
    pub fn code(self) -> &'static str {
        match self {
            Permission::ViewUsers => "users.view",
            Permission::CreateUsers => "users.create",
            Permission::EditUsers => "users.edit",
            Permission::DisableUsers => "users.disable",
            Permission::DeleteUsers => "users.delete",
            Permission::Import => "users.import",
            Permission::Export => "users.export",
            Permission::Invite => "users.invite",
            Permission::AssignRoles => "roles.assign",
            Permission::ManageRoles => "roles.manage",
            Permission::ManageGroups => "groups.manage",
            Permission::OrgSettings => "org.settings",
            Permission::ReadAudit => "audit.read",
            Permission::EmailSignature => "email.signature",
            Permission::ManageApps => "apps.manage",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let raw = raw.trim();
        Permission::ALL
            .into_iter()
            .find(|p| p.code() == raw)
            .ok_or_else(|| {
                Invalid::new("permission.unknown")
                    .with("value", raw)
                    .with("expected", PermissionSet::ALL.to_string())
            })
    }

    fn bit(self) -> u32 {
        1 << (self as u8)
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A set of permissions, as one machine word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PermissionSet(pub(crate) u32);

impl PermissionSet {
    pub const EMPTY: PermissionSet = PermissionSet(0);
    pub const ALL: PermissionSet = PermissionSet((1 << Permission::ALL.len()) - 1);

    pub fn of(perms: &[Permission]) -> Self {
        perms.iter().fold(Self::EMPTY, |s, p| s.with(*p))
    }

    pub fn with(self, p: Permission) -> Self {
        Self(self.0 | p.bit())
    }

    pub fn without(self, p: Permission) -> Self {
        Self(self.0 & !p.bit())
    }

    pub fn contains(self, p: Permission) -> bool {
        self.0 & p.bit() != 0
    }

    pub fn is_superset(self, other: PermissionSet) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn union(self, other: PermissionSet) -> Self {
        Self(self.0 | other.0)
    }

    /// The permissions of `self` that `other` lacks.
    pub fn minus(self, other: PermissionSet) -> Self {
        Self(self.0 & !other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL
            .into_iter()
            .filter(move |p| self.contains(*p))
    }

    /// Reads the stored form: codes separated by spaces or commas.
    pub fn parse(stored: &str) -> Result<Self, Invalid> {
        stored
            .split([' ', ','])
            .filter(|s| !s.trim().is_empty())
            .try_fold(Self::EMPTY, |set, code| {
                Ok(set.with(Permission::parse(code)?))
            })
    }

    pub fn codes(self) -> Vec<&'static str> {
        self.iter().map(Permission::code).collect()
    }
}

impl fmt::Display for PermissionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.codes().join(" "))
    }
}

impl FromIterator<Permission> for PermissionSet {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        iter.into_iter().fold(Self::EMPTY, |s, p| s.with(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_codes() {
        assert_eq!(
            PermissionSet::parse(&PermissionSet::ALL.to_string()).unwrap(),
            PermissionSet::ALL
        );
        assert_eq!(PermissionSet::ALL.iter().count(), Permission::ALL.len());
        let s = PermissionSet::of(&[Permission::ViewUsers, Permission::Invite]);
        assert_eq!(s.to_string(), "users.view users.invite");
        assert!(PermissionSet::ALL.is_superset(s));
        assert!(!s.is_superset(PermissionSet::ALL));
        assert_eq!(
            PermissionSet::parse("users.fly").unwrap_err().code,
            "permission.unknown"
        );
    }
}
