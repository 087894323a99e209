//! Roles: the presets of the organisation's profile and its custom roles.

use crate::audit::Change;
use crate::patch::Patch;
use crate::users::find_role;
use crate::work::Work;
use crate::{App, Error, Org, Principal, Result, permissions_of};
use serde::{Deserialize, Serialize};
use sesame_core::{FieldError, Language, PermissionSet, Profile, parse_label, preset::presets};
use sesame_store::roles::RoleRow;
use sesame_store::{Conn, new_id, now_ms};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoleView {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Permission codes (`users.view`, `users.create`, …).
    pub permissions: Vec<String>,
    /// The role its holder must also hold, if any ("managers only").
    pub requires: Option<String>,
    /// The preset it was made from (`admin`, `coordinator`, …); null for custom roles.
    pub preset: Option<String>,
    /// How many people hold it (in any scope).
    pub holders: i64,
}

/// Writes the preset roles of `profile`, named in `lang`, as `actor` (the operator creating
/// the organisation).
pub(crate) async fn install_presets(
    conn: &mut Conn,
    actor: &sesame_core::policy::Actor,
    profile: Profile,
    lang: Language,
) -> Result<Vec<RoleRow>> {
    let org_id = actor.org_id();
    let now = now_ms();
    let mut rows: Vec<RoleRow> = Vec::new();
    for (i, p) in presets(profile).iter().enumerate() {
        let requires = p.requires.and_then(|key| {
            rows.iter()
                .find(|r| r.preset_key.as_deref() == Some(key))
                .map(|r| r.id.clone())
        });
        let row = RoleRow {
            id: new_id(),
            org_id: org_id.to_string(),
            preset_key: Some(p.key.to_string()),
            name: p.name(lang).to_string(),
            description: p.description(lang).to_string(),
            permissions: p.permissions.to_string(),
            requires_role_id: requires,
            // Keeps the presets in their natural order in lists.
            created_at: now + i as i64,
            updated_at: now + i as i64,
        };
        let allowed = actor.may_define_role(&row.id, p.permissions)?;
        sesame_store::roles::insert(conn, &allowed, &row).await?;
        rows.push(row);
    }
    Ok(rows)
}

pub async fn list(app: &App, who: &Principal) -> Result<Vec<RoleView>> {
    let mut conn = app.store.read().await?;
    let rows = sesame_store::roles::list(&mut conn, who.org.id()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(view(&mut conn, who.org.id(), r, &rows).await?);
    }
    Ok(out)
}

async fn view(conn: &mut Conn, org_id: &str, r: &RoleRow, all: &[RoleRow]) -> Result<RoleView> {
    Ok(RoleView {
        id: r.id.clone(),
        name: r.name.clone(),
        description: r.description.clone(),
        permissions: permissions_of(&r.permissions)
            .codes()
            .into_iter()
            .map(String::from)
            .collect(),
        requires: r
            .requires_role_id
            .as_ref()
            .and_then(|id| all.iter().find(|o| &o.id == id))
            .map(|o| o.name.clone()),
        preset: r.preset_key.clone(),
        holders: sesame_store::roles::holder_count(conn, org_id, &r.id).await?,
    })
}

/// A custom role, or changes to one.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleInput {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Patch<String>,
    /// Permission codes; see `GET /api/v1/permissions`.
    #[serde(default)]
    pub permissions: Option<Vec<String>>,
    /// Name of a role its holder must also hold; null for none.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub requires: Patch<String>,
}

fn parse_permissions(codes: &[String], errors: &mut Vec<FieldError>) -> PermissionSet {
    let mut set = PermissionSet::EMPTY;
    for (i, c) in codes.iter().enumerate() {
        match sesame_core::Permission::parse(c) {
            Ok(p) => set = set.with(p),
            Err(e) => errors.push(e.on(format!("permissions[{i}]"))),
        }
    }
    set
}

pub async fn create(app: &App, who: &Principal, input: RoleInput) -> Result<RoleView> {
    let mut errors = Vec::new();
    let name = match &input.name {
        Patch::Value(n) => parse_label(n).map_err(|e| errors.push(e.on("name"))).ok(),
        _ => {
            errors.push(FieldError::new("name", "field.required"));
            None
        }
    };
    let permissions = parse_permissions(input.permissions.as_deref().unwrap_or(&[]), &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let id = new_id();
    let allowed = who.actor.may_define_role(&id, permissions)?;
    let org = &who.org;
    let mut work = Work::begin(app).await?;
    let requires = resolve_requires(&mut work, org, &input.requires)
        .await?
        .flatten();
    let now = now_ms();
    let row = RoleRow {
        id,
        org_id: org.id().to_string(),
        preset_key: None,
        name: name.unwrap_or_default(),
        description: match &input.description {
            Patch::Value(d) => d.trim().to_string(),
            _ => String::new(),
        },
        permissions: permissions.to_string(),
        requires_role_id: requires,
        created_at: now,
        updated_at: now,
    };
    sesame_store::roles::insert(&mut work, &allowed, &row).await?;
    let all = sesame_store::roles::list(&mut work, org.id()).await?;
    let v = view(&mut work, org.id(), &row, &all).await?;
    work.record(
        who,
        Change {
            action: "role.create",
            target_type: "role",
            target_id: Some(&row.id),
            target_label: Some(&row.name),
            before: None,
            after: Some(serde_json::to_value(&v)?),
        },
    )
    .await?;
    work.commit().await?;
    Ok(v)
}

pub async fn update(app: &App, who: &Principal, id: &str, input: RoleInput) -> Result<RoleView> {
    let org = &who.org;
    let mut errors = Vec::new();
    let mut work = Work::begin(app).await?;
    let mut row = sesame_store::roles::get(&mut work, org.id(), id)
        .await?
        .ok_or(Error::NotFound("role"))?;
    let old_permissions = permissions_of(&row.permissions);
    match &input.name {
        Patch::Value(n) => match parse_label(n) {
            Ok(n) => row.name = n,
            Err(e) => errors.push(e.on("name")),
        },
        Patch::Null => errors.push(FieldError::new("name", "label.empty")),
        Patch::Absent => {}
    }
    match &input.description {
        Patch::Value(d) => row.description = d.trim().to_string(),
        Patch::Null => row.description.clear(),
        Patch::Absent => {}
    }
    let new_permissions = match &input.permissions {
        Some(codes) => parse_permissions(codes, &mut errors),
        None => old_permissions,
    };
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    // Both what the role grants now and what it will grant must be within the actor's rights.
    let allowed = who
        .actor
        .may_define_role(id, old_permissions.union(new_permissions))?;
    if let Some(req) = resolve_requires(&mut work, org, &input.requires).await? {
        if req.as_deref() == Some(id) {
            return Err(Error::Refused(FieldError::new(
                "requires",
                "role.requires_itself",
            )));
        }
        row.requires_role_id = req;
    }
    if new_permissions != old_permissions && old_permissions == PermissionSet::ALL {
        ensure_admins_survive(&mut work, org, id).await?;
    }
    let all = sesame_store::roles::list(&mut work, org.id()).await?;
    let before = view(
        &mut work,
        org.id(),
        all.iter()
            .find(|r| r.id == id)
            .expect("the role was just read"),
        &all,
    )
    .await?;
    row.permissions = new_permissions.to_string();
    row.updated_at = now_ms();
    sesame_store::roles::update(&mut work, &allowed, &row).await?;
    let all = sesame_store::roles::list(&mut work, org.id()).await?;
    let after = view(&mut work, org.id(), &row, &all).await?;
    work.record(
        who,
        Change {
            action: "role.update",
            target_type: "role",
            target_id: Some(id),
            target_label: Some(&row.name),
            before: Some(serde_json::to_value(&before)?),
            after: Some(serde_json::to_value(&after)?),
        },
    )
    .await?;
    work.commit().await?;
    Ok(after)
}

pub async fn delete(app: &App, who: &Principal, id: &str) -> Result<()> {
    let org = &who.org;
    let mut work = Work::begin(app).await?;
    let row = sesame_store::roles::get(&mut work, org.id(), id)
        .await?
        .ok_or(Error::NotFound("role"))?;
    let permissions = permissions_of(&row.permissions);
    let allowed = who.actor.may_define_role(id, permissions)?;
    if permissions == PermissionSet::ALL {
        ensure_admins_survive(&mut work, org, id).await?;
    }
    let all = sesame_store::roles::list(&mut work, org.id()).await?;
    let before = view(&mut work, org.id(), &row, &all).await?;
    sesame_store::roles::delete(&mut work, &allowed).await?;
    work.record(
        who,
        Change {
            action: "role.delete",
            target_type: "role",
            target_id: Some(id),
            target_label: Some(&row.name),
            before: Some(serde_json::to_value(&before)?),
            after: None,
        },
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// `Some(None)` clears the requirement, `Some(Some(id))` sets it, `None` leaves it.
async fn resolve_requires(
    conn: &mut Conn,
    org: &Org,
    requires: &Patch<String>,
) -> Result<Option<Option<String>>> {
    match requires {
        Patch::Absent => Ok(None),
        Patch::Null => Ok(Some(None)),
        Patch::Value(name) if name.trim().is_empty() => Ok(Some(None)),
        Patch::Value(name) => match find_role(conn, org, name).await? {
            Some(r) => Ok(Some(Some(r.id))),
            None => Err(Error::Invalid(vec![
                crate::users::unknown_role(conn, org, "requires", name).await?,
            ])),
        },
    }
}

/// Refuses a change to an all-permissions role that would leave no active administrator.
async fn ensure_admins_survive(conn: &mut Conn, org: &Org, role_id: &str) -> Result<()> {
    let mut admins: std::collections::HashMap<String, PermissionSet> =
        std::collections::HashMap::new();
    for (uid, perms) in sesame_store::roles::org_wide_of_active_users(conn, org.id()).await? {
        let set = admins.entry(uid).or_default();
        *set = set.union(permissions_of(&perms));
    }
    // Who would still be an administrator without this role.
    let holders = {
        let mut v = Vec::new();
        for (uid, _) in admins.iter().filter(|(_, s)| **s == PermissionSet::ALL) {
            let held =
                sesame_store::roles::held_by(conn, org.id(), std::slice::from_ref(uid)).await?;
            let without: PermissionSet = held
                .iter()
                .filter(|h| h.group_id.is_none() && h.role_id != role_id)
                .fold(PermissionSet::EMPTY, |s, h| {
                    s.union(permissions_of(&h.permissions))
                });
            v.push(without == PermissionSet::ALL);
        }
        v
    };
    if holders.is_empty() || holders.iter().any(|still| *still) {
        Ok(())
    } else {
        Err(Error::Refused(FieldError::new("id", "user.last_admin")))
    }
}

/// Every permission with its code, for the API and the role editor.
pub fn permissions() -> Vec<&'static str> {
    PermissionSet::ALL.codes()
}
