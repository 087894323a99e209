//! The person an operation acts on, loaded with what the policy needs to know of them (their
//! roles, groups and grants). Below the modules that act on people (`users`, `two_factor`,
//! `signature`, `notifications`), which all load their target here.

use crate::{Error, Org, Result, grants_of};
use sesame_core::FieldError;
use sesame_core::policy::{Grant, Subject};
use sesame_store::Conn;
use sesame_store::groups::GroupRow;
use sesame_store::roles::HeldRole;
use sesame_store::users::{self as store_users, UserRow};

/// A user with what the policy needs to know of them.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub row: UserRow,
    pub held: Vec<HeldRole>,
    pub groups: Vec<GroupRow>,
    pub group_ids: Vec<String>,
    pub grants: Vec<Grant>,
}

impl Target {
    pub fn subject(&self) -> Subject<'_> {
        Subject {
            user_id: &self.row.id,
            groups: &self.group_ids,
            grants: &self.grants,
        }
    }
}

/// Loads `id` in `org`, with their roles and groups; `NotFound("user")` when there is none.
pub(crate) async fn load_target(conn: &mut Conn, org: &Org, id: &str) -> Result<Target> {
    let row = store_users::get(conn, org.id(), id)
        .await?
        .ok_or(Error::NotFound("user"))?;
    let ids = [row.id.clone()];
    let held = sesame_store::roles::held_by(conn, org.id(), &ids).await?;
    let groups: Vec<GroupRow> = sesame_store::groups::of_users(conn, org.id(), &ids)
        .await?
        .into_iter()
        .map(|(_, g)| g)
        .collect();
    Ok(Target {
        group_ids: groups.iter().map(|g| g.id.clone()).collect(),
        grants: grants_of(&held),
        row,
        held,
        groups,
    })
}

/// "No such group", listing the valid names (the first 30).
pub(crate) async fn unknown_group(
    conn: &mut Conn,
    org: &Org,
    field: &str,
    name: &str,
) -> Result<FieldError> {
    let groups = sesame_store::groups::list(conn, org.id()).await?;
    let mut names: Vec<String> = groups
        .iter()
        .take(30)
        .map(|(g, _)| g.name.clone())
        .collect();
    if groups.len() > 30 {
        names.push("…".into());
    }
    let expected = if names.is_empty() {
        "—".to_string()
    } else {
        names.join(", ")
    };
    Ok(FieldError::new(field, "group.unknown")
        .with("value", name.trim())
        .with("expected", expected))
}
