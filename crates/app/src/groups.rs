//! Groups and their members.

use crate::audit::Change;
use crate::patch::Patch;
use crate::users::load_target;
use crate::work::Work;
use crate::{App, Error, Principal, Result};
use serde::{Deserialize, Serialize};
use sesame_core::policy::{RoleRights, Scope};
use sesame_core::{FieldError, parse_label};
use sesame_store::groups::GroupRow;
use sesame_store::roles::HeldRole;
use sesame_store::{new_id, now_ms};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GroupView {
    pub id: String,
    pub name: String,
    /// Free label: `installation`, `salle`, `lieu de distribution`, …
    pub kind: String,
    pub members: i64,
    pub created_at: String,
}

fn view(g: &GroupRow, members: i64) -> GroupView {
    GroupView {
        id: g.id.clone(),
        name: g.name.clone(),
        kind: g.kind.clone(),
        members,
        created_at: crate::time::rfc3339(g.created_at),
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupInput {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub kind: Patch<String>,
}

pub async fn list(app: &App, who: &Principal) -> Result<Vec<GroupView>> {
    // Group names are not secret inside an organisation: anyone signed in may read them (they
    // appear on every user's page).
    let mut conn = app.store.read().await?;
    Ok(sesame_store::groups::list(&mut conn, who.org.id())
        .await?
        .iter()
        .map(|(g, n)| view(g, *n))
        .collect())
}

/// By id or name.
pub async fn find(app: &App, who: &Principal, id_or_name: &str) -> Result<GroupView> {
    let mut conn = app.store.read().await?;
    let g = match sesame_store::groups::get(&mut conn, who.org.id(), id_or_name).await? {
        Some(g) => g,
        None => sesame_store::groups::by_name(&mut conn, who.org.id(), id_or_name)
            .await?
            .ok_or(Error::NotFound("group"))?,
    };
    let members = sesame_store::groups::list(&mut conn, who.org.id())
        .await?
        .into_iter()
        .find(|(x, _)| x.id == g.id)
        .map_or(0, |(_, n)| n);
    Ok(view(&g, members))
}

fn parse_kind(kind: &Patch<String>, errors: &mut Vec<FieldError>) -> Option<String> {
    match kind {
        Patch::Value(k) if !k.trim().is_empty() => {
            parse_label(k).map_err(|e| errors.push(e.on("kind"))).ok()
        }
        Patch::Absent => None,
        _ => Some("groupe".into()),
    }
}

pub async fn create(app: &App, who: &Principal, input: GroupInput) -> Result<GroupView> {
    let id = new_id();
    let allowed = who.actor.may_manage_group(&id)?;
    let mut errors = Vec::new();
    let name = match &input.name {
        Patch::Value(n) => parse_label(n).map_err(|e| errors.push(e.on("name"))).ok(),
        _ => {
            errors.push(FieldError::new("name", "field.required"));
            None
        }
    };
    let kind = parse_kind(&input.kind, &mut errors).unwrap_or_else(|| "groupe".into());
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let now = now_ms();
    let g = GroupRow {
        id,
        org_id: who.org.id().to_string(),
        name: name.unwrap_or_default(),
        kind,
        created_at: now,
        updated_at: now,
    };
    let mut work = Work::begin(app).await?;
    if sesame_store::groups::by_name(&mut work, who.org.id(), &g.name)
        .await?
        .is_some()
    {
        return Err(Error::Conflict(vec![
            FieldError::new("name", "name.taken").with("value", &g.name),
        ]));
    }
    sesame_store::groups::insert(&mut work, &allowed, &g).await?;
    let v = view(&g, 0);
    work.record(
        who,
        Change {
            action: "group.create",
            target_type: "group",
            target_id: Some(&g.id),
            target_label: Some(&g.name),
            before: None,
            after: Some(serde_json::to_value(&v)?),
        },
    )
    .await?;
    work.commit().await?;
    Ok(v)
}

pub async fn update(app: &App, who: &Principal, id: &str, input: GroupInput) -> Result<GroupView> {
    let allowed = who.actor.may_manage_group(id)?;
    let mut errors = Vec::new();
    let mut work = Work::begin(app).await?;
    let mut g = sesame_store::groups::get(&mut work, who.org.id(), id)
        .await?
        .ok_or(Error::NotFound("group"))?;
    let before = g.clone();
    match &input.name {
        Patch::Value(n) => match parse_label(n) {
            Ok(n) => g.name = n,
            Err(e) => errors.push(e.on("name")),
        },
        Patch::Null => errors.push(FieldError::new("name", "label.empty")),
        Patch::Absent => {}
    }
    if let Some(k) = parse_kind(&input.kind, &mut errors) {
        g.kind = k;
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if let Some(other) = sesame_store::groups::by_name(&mut work, who.org.id(), &g.name).await?
        && other.id != g.id
    {
        return Err(Error::Conflict(vec![
            FieldError::new("name", "name.taken").with("value", &g.name),
        ]));
    }
    g.updated_at = now_ms();
    sesame_store::groups::update(&mut work, &allowed, &g).await?;
    work.record(
        who,
        Change {
            action: "group.update",
            target_type: "group",
            target_id: Some(&g.id),
            target_label: Some(&g.name),
            before: Some(serde_json::json!({"name": before.name, "kind": before.kind})),
            after: Some(serde_json::json!({"name": g.name, "kind": g.kind})),
        },
    )
    .await?;
    work.commit().await?;
    find(app, who, id).await
}

pub async fn delete(app: &App, who: &Principal, id: &str) -> Result<()> {
    let allowed = who.actor.may_manage_group(id)?;
    let mut work = Work::begin(app).await?;
    let g = sesame_store::groups::get(&mut work, who.org.id(), id)
        .await?
        .ok_or(Error::NotFound("group"))?;
    sesame_store::groups::delete(&mut work, &allowed).await?;
    work.record(
        who,
        Change {
            action: "group.delete",
            target_type: "group",
            target_id: Some(id),
            target_label: Some(&g.name),
            before: Some(serde_json::json!({"name": g.name, "kind": g.kind})),
            after: None,
        },
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// Adds (`join = true`) or removes a member. Removing also ends the roles held within the
/// group, so it needs the right to take back each of them (as on the person's Roles tab): a
/// group manager without "assign roles" cannot strip someone's roles by way of the group.
pub async fn set_member(
    app: &App,
    who: &Principal,
    group_id: &str,
    user_id: &str,
    join: bool,
) -> Result<()> {
    let org = &who.org;
    let mut work = Work::begin(app).await?;
    let g = sesame_store::groups::get(&mut work, org.id(), group_id)
        .await?
        .ok_or(Error::NotFound("group"))?;
    let target = load_target(&mut work, org, user_id).await?;
    let membership = who.actor.may_change_membership(&g.id, &target.subject())?;
    let ended: Vec<&HeldRole> = if join {
        Vec::new()
    } else {
        target
            .held
            .iter()
            .filter(|h| h.group_id.as_deref() == Some(g.id.as_str()))
            .collect()
    };
    let mut taken_back = Vec::with_capacity(ended.len());
    for h in &ended {
        let role = RoleRights {
            role_id: h.role_id.clone(),
            permissions: crate::permissions_of(&h.permissions),
        };
        taken_back.push(who.actor.may_change_role(
            &role,
            &Scope::Group(g.id.clone()),
            &target.subject(),
        )?);
    }
    for proof in &taken_back {
        sesame_store::roles::unassign(&mut work, proof).await?;
    }
    let changed = if join {
        sesame_store::groups::add_member(&mut work, &membership, now_ms()).await?
    } else {
        sesame_store::groups::remove_member(&mut work, &membership).await?
    };
    if changed {
        // The roles that end with the membership are said, so that the audit log shows them.
        let (before, after) = if ended.is_empty() {
            (None, serde_json::json!({"group": g.name}))
        } else {
            let names: Vec<&str> = ended.iter().map(|h| h.role_name.as_str()).collect();
            (
                Some(serde_json::json!({"roles": names})),
                serde_json::json!({"group": g.name, "roles": []}),
            )
        };
        work.record(
            who,
            Change {
                action: if join {
                    "group.member_add"
                } else {
                    "group.member_remove"
                },
                target_type: "user",
                target_id: Some(user_id),
                target_label: Some(&target.row.login),
                before,
                after: Some(after),
            },
        )
        .await?;
    }
    work.commit().await?;
    Ok(())
}
