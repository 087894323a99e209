//! The one planner for changing a person: creating them, updating them, or a row of an import.
//!
//! [`plan`] takes who acts, the person as they are (nobody yet, for a creation) and what is
//! wanted, and gives the differences (roles granted and taken back, groups joined and left)
//! each with its proof, the proof of the creation, edit and invitation, and whether the change
//! demotes an administrator (the caller, which can count the others, refuses it for the last
//! one). It is pure: the application resolves names to ids before, and writes with the proofs
//! after.

use super::action::*;
use super::{Actor, Allowed, Denied, Grant, RoleRights, Scope, Subject, is_administrator};
use crate::user::Status;
use std::collections::BTreeSet;

/// A role someone should hold, with the role it may only be held together with ("managers
/// only": « Journal de bord » requires « Gestionnaire »).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WantedRole {
    pub grant: Grant,
    pub requires: Option<String>,
}

/// The person as they are before the change.
#[derive(Debug, Clone, Copy)]
pub struct Before<'a> {
    pub status: Status,
    /// Ids of their groups.
    pub groups: &'a [String],
    pub grants: &'a [Grant],
}

/// What the change asks for.
#[derive(Debug, Clone, Default)]
pub struct Wanted {
    /// The roles they should hold: `None` leaves them as they are.
    pub roles: Option<Vec<WantedRole>>,
    /// The groups (ids) they should be in: `None` leaves them as they are. The groups where a
    /// role is held are added.
    pub groups: Option<Vec<String>>,
    /// Send an invitation (creation only).
    pub invite: bool,
}

/// A change the policy allowed, with its proofs.
#[derive(Debug)]
pub struct Plan {
    /// For a creation.
    pub create: Option<Allowed<CreateUser>>,
    /// For an update (always asked, even for a change of roles only).
    pub edit: Option<Allowed<EditUser>>,
    pub invite: Option<Allowed<Invite>>,
    pub grant: Vec<Allowed<ChangeRole>>,
    pub revoke: Vec<Allowed<ChangeRole>>,
    pub join: Vec<Allowed<ChangeMembership>>,
    pub leave: Vec<Allowed<ChangeMembership>>,
    /// An active administrator would no longer be one.
    pub demotes_administrator: bool,
    /// The groups (ids) they are in afterwards.
    pub groups: Vec<String>,
    /// The roles they hold afterwards.
    pub grants: Vec<Grant>,
}

impl Plan {
    /// Whether roles or memberships change.
    pub fn changes_access(&self) -> bool {
        !(self.grant.is_empty()
            && self.revoke.is_empty()
            && self.join.is_empty()
            && self.leave.is_empty())
    }
}

/// Why a change cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Denied(Denied),
    /// The actor may not give (or take back) the role `role_id` over `scope`: `denied` says
    /// why (no "assign roles" there, or the role carries rights the actor lacks there). The
    /// message names the role and the group.
    Role {
        role_id: String,
        scope: Scope,
        denied: Denied,
    },
    /// The wanted role at `index` may only be held with the role `required`.
    Requires {
        index: usize,
        role_id: String,
        required: String,
    },
}

impl From<Denied> for Refusal {
    fn from(d: Denied) -> Self {
        Refusal::Denied(d)
    }
}

/// Plans the change of the person `user_id` (the id they will have, for a creation).
pub fn plan(
    actor: &Actor,
    user_id: &str,
    before: Option<Before<'_>>,
    wanted: &Wanted,
) -> Result<Plan, Refusal> {
    let no_grants: [Grant; 0] = [];
    let (current_groups, current_grants) = match &before {
        Some(b) => (b.groups, b.grants),
        None => (&[][..], &no_grants[..]),
    };
    let final_grants: Vec<Grant> = match &wanted.roles {
        Some(roles) => {
            let mut out: Vec<Grant> = Vec::with_capacity(roles.len());
            for r in roles {
                if !out
                    .iter()
                    .any(|g| g.role_id == r.grant.role_id && g.scope == r.grant.scope)
                {
                    out.push(r.grant.clone());
                }
            }
            out
        }
        None => current_grants.to_vec(),
    };
    let mut final_groups: BTreeSet<String> = match &wanted.groups {
        Some(gs) => gs.iter().cloned().collect(),
        None => current_groups.iter().cloned().collect(),
    };
    final_groups.extend(
        final_grants
            .iter()
            .filter_map(|g| g.scope.group_id().map(String::from)),
    );
    let final_groups: Vec<String> = final_groups.into_iter().collect();

    let same = |a: &Grant, b: &Grant| a.role_id == b.role_id && a.scope == b.scope;
    let added: Vec<&Grant> = final_grants
        .iter()
        .filter(|g| !current_grants.iter().any(|c| same(c, g)))
        .collect();
    let removed: Vec<&Grant> = current_grants
        .iter()
        .filter(|c| !final_grants.iter().any(|g| same(c, g)))
        .collect();

    // The person as the rules see them: as they are, or, for a creation, in the groups they
    // will join and holding nothing yet.
    let subject_groups: &[String] = if before.is_some() {
        current_groups
    } else {
        &final_groups
    };
    let subject = Subject {
        user_id,
        groups: subject_groups,
        grants: current_grants,
    };
    let mut plan = Plan {
        create: None,
        edit: None,
        invite: None,
        grant: Vec::new(),
        revoke: Vec::new(),
        join: Vec::new(),
        leave: Vec::new(),
        demotes_administrator: false,
        groups: Vec::new(),
        grants: Vec::new(),
    };
    match &before {
        None => {
            plan.create = Some(actor.may_create(user_id, &final_groups)?);
            if wanted.invite {
                plan.invite = Some(actor.may_invite(&subject)?);
            }
            // Joining the groups is part of being created into them.
            plan.join = final_groups
                .iter()
                .map(|gid| {
                    actor.allow(ChangeMembership {
                        user_id: user_id.to_string(),
                        group_id: gid.clone(),
                    })
                })
                .collect();
        }
        Some(b) => {
            plan.edit = Some(actor.may_edit(&subject)?);
            let old: BTreeSet<&String> = b.groups.iter().collect();
            let new: BTreeSet<&String> = final_groups.iter().collect();
            for gid in new.difference(&old) {
                plan.join.push(actor.may_change_membership(gid, &subject)?);
            }
            for gid in old.difference(&new) {
                plan.leave.push(actor.may_change_membership(gid, &subject)?);
            }
            plan.demotes_administrator = b.status == Status::Active
                && is_administrator(b.grants)
                && !is_administrator(&final_grants);
        }
    }
    let rights = |g: &Grant| RoleRights {
        role_id: g.role_id.clone(),
        permissions: g.permissions,
    };
    let change_role = |g: &Grant| -> Result<Allowed<ChangeRole>, Refusal> {
        actor
            .may_grant_over(&rights(g), &g.scope)
            .map_err(|denied| Refusal::Role {
                role_id: g.role_id.clone(),
                scope: g.scope.clone(),
                denied,
            })?;
        Ok(actor.may_change_role(&rights(g), &g.scope, &subject)?)
    };
    for g in added {
        plan.grant.push(change_role(g)?);
    }
    for g in removed {
        plan.revoke.push(change_role(g)?);
    }
    // A role that requires another ("managers only") comes with it, in any scope.
    if let Some(roles) = &wanted.roles {
        for (index, r) in roles.iter().enumerate() {
            if let Some(req) = &r.requires
                && !final_grants.iter().any(|g| &g.role_id == req)
            {
                return Err(Refusal::Requires {
                    index,
                    role_id: r.grant.role_id.clone(),
                    required: req.clone(),
                });
            }
        }
    }
    plan.groups = final_groups;
    plan.grants = final_grants;
    Ok(plan)
}

/// The scopes `actor` may grant `role` over, among the organisation and `groups` (ids): what
/// the forms offer.
pub fn grantable_scopes(actor: &Actor, role: &RoleRights, groups: &[String]) -> Vec<Scope> {
    std::iter::once(Scope::Organisation)
        .chain(groups.iter().cloned().map(Scope::Group))
        .filter(|s| actor.may_grant_over(role, s).is_ok())
        .collect()
}

#[cfg(test)]
mod tests;
