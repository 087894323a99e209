//! Who may do what: the one place where rights are decided.
//!
//! Every operation asks a rule here first and receives either a proof, [`Allowed<A>`], naming
//! the organisation and the action's target, or a [`Denied`]. The store's writes to users,
//! roles, role assignments, groups, memberships, applications, tokens, settings, alert choices
//! and signatures take such a proof and write to the target it names, so a write that skipped
//! its check does not compile (see [`proof`]). Bookkeeping takes none: a token's last use, the organisation's creation and
//! its setup link (the operator's), the search words and counts kept beside a user's row. A
//! proof may remove what hangs on its target: deleting a group or a role ends the roles held
//! through it, deleting a person their roles and memberships, deleting an application its
//! tokens. The rules, after PRODUCT.md §2:
//!
//! - a right is a permission held through a role, organisation-wide or within one group; a
//!   group-scoped right covers the members of that group;
//! - **delegation without escalation**: one may grant (or take back) only a role whose every
//!   permission one holds over the same scope, and may not act on someone who holds, anywhere, a
//!   permission one lacks over that place;
//! - the last administrator (a user holding every permission organisation-wide) can be neither
//!   disabled, deleted nor demoted: the planner ([`plan`]) says when a change demotes one, and
//!   the application, which can count the others, refuses it.
//!
//! The rules live in one file per thing they govern: [`users`] (seeing, creating, changing,
//! disabling, deleting people; tokens; signatures), [`org`] (roles, groups, applications,
//! settings, audit, import, export), [`plan`] (every change to one person at once), [`alerts`] (who may be
//! alerted), [`menu`] (what the pages offer). Importing password hashes made elsewhere is for
//! administrators only (every permission, organisation-wide).

pub mod alerts;
pub mod menu;
pub mod org;
pub mod plan;
pub mod proof;
pub mod undo;
pub mod users;

pub use proof::{Allowed, action};

use crate::permission::{Permission, PermissionSet};

/// Where a role is held.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Organisation,
    /// Within one group, by id.
    Group(String),
}

impl Scope {
    /// The group's id, or `None` for the whole organisation.
    pub fn group_id(&self) -> Option<&str> {
        match self {
            Scope::Organisation => None,
            Scope::Group(id) => Some(id),
        }
    }
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

/// The person (or operator) acting, in one organisation.
#[derive(Debug, Clone)]
pub struct Actor {
    org_id: String,
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
    /// The person acted on lacks `0`, which the action is for (a signature for someone whose
    /// roles do not allow one).
    SubjectLacks(Permission),
    /// Only an administrator (every permission, organisation-wide) may do this; the actor
    /// lacks these.
    AdministratorsOnly(PermissionSet),
}

impl Denied {
    pub fn code(&self) -> &'static str {
        match self {
            Denied::Missing(_) => "permission.missing",
            Denied::TargetOutranks(_) => "permission.target_outranks",
            Denied::RoleOutranks(_) => "permission.role_outranks",
            Denied::TokenOutranks(_) => "permission.token_outranks",
            Denied::SubjectLacks(_) => "permission.subject_lacks",
            Denied::AdministratorsOnly(_) => "permission.administrators_only",
        }
    }

    /// The permission codes the message names.
    pub fn permissions(&self) -> String {
        match self {
            Denied::Missing(p) | Denied::SubjectLacks(p) => p.code().to_string(),
            Denied::TargetOutranks(s)
            | Denied::RoleOutranks(s)
            | Denied::TokenOutranks(s)
            | Denied::AdministratorsOnly(s) => s.codes().join(", "),
        }
    }
}

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
    /// The operator at the command line: whoever can run the binary on the data holds every
    /// right in the organisation they name.
    pub fn operator(org_id: impl Into<String>) -> Self {
        Self {
            org_id: org_id.into(),
            user_id: None,
            grants: vec![Grant {
                role_id: String::new(),
                permissions: PermissionSet::ALL,
                scope: Scope::Organisation,
            }],
        }
    }

    /// A signed-in person with the roles they hold (the authentication that makes one is the
    /// caller's: a session, a token, a link from an e-mail).
    pub fn user(org_id: impl Into<String>, user_id: impl Into<String>, grants: Vec<Grant>) -> Self {
        Self {
            org_id: org_id.into(),
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

    pub fn org_id(&self) -> &str {
        &self.org_id
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

    /// The groups (ids) where `p` is held within the group only (not organisation-wide).
    pub fn groups_holding(&self, p: Permission) -> Vec<String> {
        let mut out: Vec<String> = self
            .grants
            .iter()
            .filter(|g| g.permissions.contains(p))
            .filter_map(|g| g.scope.group_id().map(String::from))
            .collect();
        out.sort();
        out.dedup();
        out
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

    /// The proof of `action`: the one place proofs are made.
    fn allow<A>(&self, action: A) -> Allowed<A> {
        Allowed::new(&self.org_id, action)
    }

    fn org_wide<A>(&self, p: Permission, action: A) -> Result<Allowed<A>, Denied> {
        if self.holds_org_wide(p) {
            Ok(self.allow(action))
        } else {
            Err(Denied::Missing(p))
        }
    }
}

#[cfg(test)]
mod tests;
