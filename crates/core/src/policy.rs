//! Who may do what: the one place where rights are decided.
//!
//! Every operation asks a function here first and receives either a proof, [`Allowed<A>`], or a
//! [`Denied`]. The writing functions of the application take the proof as an argument, so a write
//! that skipped its check does not compile. The rules, after PRODUCT.md §2:
//!
//! - a right is a permission held through a role, organisation-wide or within one group; a
//!   group-scoped right covers the members of that group;
//! - **delegation without escalation**: one may grant (or take back) only a role whose every
//!   permission one holds over the same scope, and may not act on someone who holds, anywhere, a
//!   permission one lacks over that place;
//! - the last administrator (a user holding every permission organisation-wide) can be neither
//!   disabled, deleted nor demoted — checked by the application with [`is_administrator`], since
//!   it needs to count the others.

use crate::permission::{Permission, PermissionSet};
use std::marker::PhantomData;

/// Where a role is held.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    Organisation,
    /// Within one group, by id.
    Group(String),
}

/// One role held by a user, as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub role_id: String,
    pub permissions: PermissionSet,
    pub scope: Scope,
}

/// A role as the policy sees it when someone wants to grant it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRights {
    pub role_id: String,
    pub permissions: PermissionSet,
}

/// The person (or operator) acting.
#[derive(Debug, Clone)]
pub struct Actor {
    /// `None` for the operator at the command line, who runs the service and holds every right.
    pub user_id: Option<String>,
    grants: Vec<Grant>,
}

/// The user an operation touches.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub user_id: &'a str,
    /// Ids of the groups the user is a member of.
    pub groups: &'a [String],
    pub grants: &'a [Grant],
}

/// Proof that the policy allowed an action of kind `A`. Only this module makes them.
#[derive(Debug)]
pub struct Allowed<A> {
    _action: PhantomData<A>,
}

fn allowed<A>() -> Allowed<A> {
    Allowed {
        _action: PhantomData,
    }
}

/// Why the policy refused, as data for the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// The actor lacks `0` where it would be needed.
    Missing(Permission),
    /// The target holds permissions the actor lacks (no escalation).
    TargetOutranks(PermissionSet),
    /// The role carries permissions the actor lacks over that scope (no escalation).
    RoleOutranks(PermissionSet),
    /// An API token would carry permissions its creator lacks.
    TokenOutranks(PermissionSet),
}

impl Denied {
    pub fn code(&self) -> &'static str {
        match self {
            Denied::Missing(_) => "permission.missing",
            Denied::TargetOutranks(_) => "permission.target_outranks",
            Denied::RoleOutranks(_) => "permission.role_outranks",
            Denied::TokenOutranks(_) => "permission.token_outranks",
        }
    }

    /// The permission codes the message names.
    pub fn permissions(&self) -> String {
        match self {
            Denied::Missing(p) => p.code().to_string(),
            Denied::TargetOutranks(s) | Denied::RoleOutranks(s) | Denied::TokenOutranks(s) => {
                s.codes().join(", ")
            }
        }
    }
}

/// Kinds of action, for the proofs.
pub mod action {
    #[derive(Debug)]
    pub struct ViewUser;
    #[derive(Debug)]
    pub struct CreateUser;
    #[derive(Debug)]
    pub struct EditUser;
    #[derive(Debug)]
    pub struct DisableUser;
    #[derive(Debug)]
    pub struct DeleteUser;
    #[derive(Debug)]
    pub struct Invite;
    #[derive(Debug)]
    pub struct ChangeRoles;
    #[derive(Debug)]
    pub struct ManageGroup;
    #[derive(Debug)]
    pub struct ManageRoles;
    #[derive(Debug)]
    pub struct OrgSettings;
    #[derive(Debug)]
    pub struct ReadAudit;
    #[derive(Debug)]
    pub struct Import;
    #[derive(Debug)]
    pub struct Export;
    #[derive(Debug)]
    pub struct IssueToken;
}
use action::*;

/// Which users someone may see in lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    All,
    /// Members of these groups only (ids).
    Groups(Vec<String>),
}

/// Whether these grants make an administrator: every permission, organisation-wide.
pub fn is_administrator(grants: &[Grant]) -> bool {
    grants
        .iter()
        .filter(|g| g.scope == Scope::Organisation)
        .fold(PermissionSet::EMPTY, |s, g| s.union(g.permissions))
        == PermissionSet::ALL
}

impl Actor {
    /// The operator at the command line: whoever can run the binary on the data holds every right.
    pub fn operator() -> Self {
        Self {
            user_id: None,
            grants: vec![Grant {
                role_id: String::new(),
                permissions: PermissionSet::ALL,
                scope: Scope::Organisation,
            }],
        }
    }

    pub fn user(user_id: impl Into<String>, grants: Vec<Grant>) -> Self {
        Self {
            user_id: Some(user_id.into()),
            grants,
        }
    }

    /// The same person with rights capped to `cap` (an API token carries at most its
    /// creator's permissions, possibly fewer).
    pub fn capped(mut self, cap: PermissionSet) -> Self {
        for g in &mut self.grants {
            g.permissions = PermissionSet(g.permissions.0 & cap.0);
        }
        self
    }

    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }

    /// Permissions held over `scope`: organisation-wide ones, plus those held within that group.
    pub fn permissions_over(&self, scope: &Scope) -> PermissionSet {
        self.grants
            .iter()
            .filter(|g| g.scope == Scope::Organisation || &g.scope == scope)
            .fold(PermissionSet::EMPTY, |s, g| s.union(g.permissions))
    }

    /// Every permission held anywhere.
    pub fn permissions_anywhere(&self) -> PermissionSet {
        self.grants
            .iter()
            .fold(PermissionSet::EMPTY, |s, g| s.union(g.permissions))
    }

    fn holds_org_wide(&self, p: Permission) -> bool {
        self.permissions_over(&Scope::Organisation).contains(p)
    }

    /// Whether `p` is held over at least one place where `subject` is (organisation-wide, or in
    /// one of their groups).
    fn covers(&self, p: Permission, subject: &Subject<'_>) -> bool {
        self.holds_org_wide(p)
            || subject
                .groups
                .iter()
                .any(|g| self.permissions_over(&Scope::Group(g.clone())).contains(p))
    }

    fn is_self(&self, subject: &Subject<'_>) -> bool {
        self.user_id.as_deref() == Some(subject.user_id)
    }

    /// No escalation: every right `subject` holds must be held by the actor over the same place.
    fn outranks_or_equals(&self, subject: &Subject<'_>) -> Result<(), Denied> {
        let lacking = subject.grants.iter().fold(PermissionSet::EMPTY, |acc, g| {
            acc.union(g.permissions.minus(self.permissions_over(&g.scope)))
        });
        if lacking.is_empty() {
            Ok(())
        } else {
            Err(Denied::TargetOutranks(lacking))
        }
    }

    fn act_on<A>(&self, p: Permission, subject: &Subject<'_>) -> Result<Allowed<A>, Denied> {
        if !self.covers(p, subject) {
            return Err(Denied::Missing(p));
        }
        self.outranks_or_equals(subject)?;
        Ok(allowed())
    }

    fn org_wide<A>(&self, p: Permission) -> Result<Allowed<A>, Denied> {
        if self.holds_org_wide(p) {
            Ok(allowed())
        } else {
            Err(Denied::Missing(p))
        }
    }

    /// Lists: everyone with an organisation-wide right, else the members of one's groups.
    pub fn may_list_users(&self) -> Result<(Allowed<ViewUser>, Visibility), Denied> {
        if self.holds_org_wide(Permission::ViewUsers) {
            return Ok((allowed(), Visibility::All));
        }
        let groups: Vec<String> = self
            .grants
            .iter()
            .filter(|g| g.permissions.contains(Permission::ViewUsers))
            .filter_map(|g| match &g.scope {
                Scope::Group(id) => Some(id.clone()),
                Scope::Organisation => None,
            })
            .collect();
        if groups.is_empty() {
            Err(Denied::Missing(Permission::ViewUsers))
        } else {
            Ok((allowed(), Visibility::Groups(groups)))
        }
    }

    /// One may always see oneself.
    pub fn may_view(&self, subject: &Subject<'_>) -> Result<Allowed<ViewUser>, Denied> {
        if self.is_self(subject) || self.covers(Permission::ViewUsers, subject) {
            Ok(allowed())
        } else {
            Err(Denied::Missing(Permission::ViewUsers))
        }
    }

    /// Creating a user into `groups` (ids): organisation-wide, or within every one of them.
    pub fn may_create(&self, groups: &[String]) -> Result<Allowed<CreateUser>, Denied> {
        let p = Permission::CreateUsers;
        let ok = self.holds_org_wide(p)
            || (!groups.is_empty()
                && groups
                    .iter()
                    .all(|g| self.permissions_over(&Scope::Group(g.clone())).contains(p)));
        if ok {
            Ok(allowed())
        } else {
            Err(Denied::Missing(p))
        }
    }

    /// Editing someone's profile. People may edit their own profile without any right.
    pub fn may_edit(&self, subject: &Subject<'_>) -> Result<Allowed<EditUser>, Denied> {
        if self.is_self(subject) {
            return Ok(allowed());
        }
        self.act_on(Permission::EditUsers, subject)
    }

    pub fn may_disable(&self, subject: &Subject<'_>) -> Result<Allowed<DisableUser>, Denied> {
        self.act_on(Permission::DisableUsers, subject)
    }

    pub fn may_delete(&self, subject: &Subject<'_>) -> Result<Allowed<DeleteUser>, Denied> {
        self.act_on(Permission::DeleteUsers, subject)
    }

    pub fn may_invite(&self, subject: &Subject<'_>) -> Result<Allowed<Invite>, Denied> {
        self.act_on(Permission::Invite, subject)
    }

    /// Granting `role` over `scope` to `subject`, or taking it back: the actor holds
    /// "assign roles" and every permission of the role over that scope, and outranks the subject.
    pub fn may_change_role(
        &self,
        role: &RoleRights,
        scope: &Scope,
        subject: &Subject<'_>,
    ) -> Result<Allowed<ChangeRoles>, Denied> {
        let over = self.permissions_over(scope);
        if !over.contains(Permission::AssignRoles) {
            return Err(Denied::Missing(Permission::AssignRoles));
        }
        let lacking = role.permissions.minus(over);
        if !lacking.is_empty() {
            return Err(Denied::RoleOutranks(lacking));
        }
        self.outranks_or_equals(subject)?;
        Ok(allowed())
    }

    /// Creating, renaming or deleting groups: organisation-wide.
    pub fn may_manage_groups(&self) -> Result<Allowed<ManageGroup>, Denied> {
        self.org_wide(Permission::ManageGroups)
    }

    /// Adding `subject` to, or removing them from, group `group_id`.
    pub fn may_change_membership(
        &self,
        group_id: &str,
        subject: &Subject<'_>,
    ) -> Result<Allowed<ManageGroup>, Denied> {
        if !self
            .permissions_over(&Scope::Group(group_id.to_string()))
            .contains(Permission::ManageGroups)
        {
            return Err(Denied::Missing(Permission::ManageGroups));
        }
        self.outranks_or_equals(subject)?;
        Ok(allowed())
    }

    /// Defining a role with `permissions` (creating it, or changing it to them): the actor must
    /// hold them all organisation-wide, or they could hand themselves more through the role.
    pub fn may_define_role(
        &self,
        permissions: PermissionSet,
    ) -> Result<Allowed<ManageRoles>, Denied> {
        self.org_wide::<ManageRoles>(Permission::ManageRoles)?;
        let lacking = permissions.minus(self.permissions_over(&Scope::Organisation));
        if lacking.is_empty() {
            Ok(allowed())
        } else {
            Err(Denied::RoleOutranks(lacking))
        }
    }

    pub fn may_change_settings(&self) -> Result<Allowed<OrgSettings>, Denied> {
        self.org_wide(Permission::OrgSettings)
    }

    pub fn may_read_audit(&self) -> Result<Allowed<ReadAudit>, Denied> {
        self.org_wide(Permission::ReadAudit)
    }

    pub fn may_import(&self) -> Result<Allowed<Import>, Denied> {
        self.org_wide(Permission::Import)
    }

    pub fn may_export(&self) -> Result<Allowed<Export>, Denied> {
        self.org_wide(Permission::Export)
    }

    /// Limiting a new API token to `cap`: only to permissions the actor holds somewhere (so a
    /// token made with a limited token is limited as much).
    pub fn may_cap_token(&self, cap: PermissionSet) -> Result<(), Denied> {
        let lacking = cap.minus(self.permissions_anywhere());
        if lacking.is_empty() {
            Ok(())
        } else {
            Err(Denied::TokenOutranks(lacking))
        }
    }

    /// Issuing an API token for `subject`: for oneself, or as the operator.
    pub fn may_issue_token(&self, subject: &Subject<'_>) -> Result<Allowed<IssueToken>, Denied> {
        if self.user_id.is_none() || self.is_self(subject) {
            Ok(allowed())
        } else {
            Err(Denied::Missing(Permission::AssignRoles))
        }
    }
}

#[cfg(test)]
mod tests;
