//! Between the application and the policy's planner ([`sesame_core::policy::plan`]): the
//! planner's input built from what is read, its refusals turned into errors, and its proofs
//! written. Creating someone, updating them and every row of an import go through here, so
//! the roles and groups a person gains or loses are decided and written in one way.

use super::{Held, Target};
use crate::{Error, Org, Result};
use sesame_core::FieldError;
use sesame_core::policy::plan::{Before, Plan, Refusal, WantedRole};
use sesame_store::Conn;

/// The person as the planner sees them before the change.
pub(crate) fn before(target: &Target) -> Before<'_> {
    Before {
        status: target.row.status,
        groups: &target.group_ids,
        grants: &target.grants,
    }
}

/// A role someone should hold, with the role it requires.
pub(crate) fn wanted(h: &Held) -> WantedRole {
    WantedRole {
        grant: h.grant(),
        requires: h.role.requires_role_id.clone(),
    }
}

/// The planner's refusal as an error; `role_name` names a role by its id, `group_name` a group.
pub(crate) fn refused(
    r: Refusal,
    role_name: impl Fn(&str) -> String,
    group_name: impl Fn(&str) -> String,
) -> Error {
    match r {
        Refusal::Denied(d) => Error::Denied(d),
        Refusal::Role {
            role_id,
            scope,
            denied,
        } => Error::RoleDenied(role_denied(
            "roles",
            &role_name(&role_id),
            scope.group_id().map(group_name),
            &denied,
        )),
        Refusal::Requires {
            index,
            role_id,
            required,
        } => Error::Refused(
            FieldError::new(format!("roles[{index}].role"), "role.requires")
                .with("role", role_name(&role_id))
                .with("required", role_name(&required)),
        ),
    }
}

/// A role one may not give or take back over a scope, named with its group (`None`: the whole
/// organisation): `role.outranks` when the role carries rights one lacks there, else
/// `role.assign_missing`.
pub(crate) fn role_denied(
    field: &str,
    role: &str,
    group: Option<String>,
    denied: &sesame_core::policy::Denied,
) -> FieldError {
    let code = match denied {
        sesame_core::policy::Denied::RoleOutranks(_) => "role.outranks",
        _ => "role.assign_missing",
    };
    let e = FieldError::new(field, code)
        .with("role", role)
        .with("permission", denied.permissions());
    match group {
        Some(g) => e.with("scope", "group").with("group", g),
        None => e.with("scope", "org").with("group", ""),
    }
}

/// The planner's refusal as an error, the roles and groups named as the organisation names
/// them.
pub(crate) async fn refused_in(conn: &mut Conn, org: &Org, r: Refusal) -> Result<Error> {
    let (roles, groups) = match &r {
        Refusal::Requires { .. } => (sesame_store::roles::list(conn, org.id()).await?, Vec::new()),
        Refusal::Role { .. } => (
            sesame_store::roles::list(conn, org.id()).await?,
            sesame_store::groups::list(conn, org.id()).await?,
        ),
        Refusal::Denied(_) => (Vec::new(), Vec::new()),
    };
    Ok(refused(
        r,
        |id| {
            roles
                .iter()
                .find(|x| x.id == id)
                .map_or_else(|| id.to_string(), |x| x.name.clone())
        },
        |id| {
            groups
                .iter()
                .find(|x| x.0.id == id)
                .map_or_else(|| id.to_string(), |x| x.0.name.clone())
        },
    ))
}

/// Writes what the plan takes away from `user_id`: the last active administrator cannot be
/// demoted (refused), then the roles taken back, then the groups left (a group is left only
/// once no role is held in it).
pub(crate) async fn take_back(
    conn: &mut Conn,
    org: &Org,
    user_id: &str,
    plan: &Plan,
) -> Result<()> {
    if plan.demotes_administrator {
        super::ensure_other_admin(conn, org, user_id).await?;
    }
    for proof in &plan.revoke {
        sesame_store::roles::unassign(conn, proof).await?;
    }
    for proof in &plan.leave {
        sesame_store::groups::remove_member(conn, proof).await?;
    }
    Ok(())
}

/// Writes what the plan gives: the groups joined, then the roles granted; a role that makes
/// the person required to use two-factor, without it, starts their grace period.
pub(crate) async fn give(conn: &mut Conn, org: &Org, plan: &Plan, at: i64) -> Result<()> {
    for proof in &plan.join {
        sesame_store::groups::add_member(conn, proof, at).await?;
    }
    if plan.grant.is_empty() {
        return Ok(());
    }
    let before = crate::grace::required_before(conn, org).await?;
    for proof in &plan.grant {
        sesame_store::roles::assign(conn, proof, at).await?;
    }
    crate::grace::start_for_newly_required(conn, org, before, at).await?;
    Ok(())
}
