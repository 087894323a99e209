//! Undoing an applied import, from what it recorded ([`super::history`]): the people it
//! created are deleted, the fields it changed are put back, the roles and memberships it gave
//! are taken back and those it took back given again — in one transaction, audited as one
//! undo, and only once.
//!
//! Someone invited whom it made active with the password hash it brought (WordPress) is
//! invited again: that password removed, their sessions ended, their invitation as it was (the
//! import left it alone).
//!
//! What changed since is a conflict, listed in the preview: someone it created or made active
//! has acted themselves since ([`SIGNED_IN`]: signed in, activated their account…), or a field
//! it set holds another value now ([`EDITED_SINCE`]). A conflict is left as it is — the person kept,
//! the field kept — unless the administrator confirms its kind; a person is undone whole or
//! not at all, and the undo as a whole commits or writes nothing.
//!
//! The preview and the undo are the same reading ([`prepare`]): the undo reads again inside
//! its transaction, so it does what the database holds then. The rights are the import's, over
//! every person it touches as they are now ([`sesame_core::policy::undo`]): one refusal refuses
//! the whole undo.

use super::history::STATUS;
use crate::audit::Change;
use crate::work::Work;
use crate::{Error, Principal, Result, grants_of, permissions_of};
use serde::{Deserialize, Serialize};
use sesame_core::policy::action::UndoCreation;
use sesame_core::policy::plan::{Before, Plan, Wanted, WantedRole};
use sesame_core::policy::{Allowed, Grant, Scope};
use sesame_core::{FieldError, Language, Status};
use sesame_store::import_changes as store;
use sesame_store::users::UserRow;
use sesame_store::{Conn, now_ms};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Someone the import created has acted themselves since (signed in, activated…).
pub const SIGNED_IN: &str = "signed_in";
/// A field the import set holds another value now.
pub const EDITED_SINCE: &str = "edited_since";
/// The kinds of conflict, for the messages that list what may be confirmed.
pub const KINDS: [&str; 2] = [SIGNED_IN, EDITED_SINCE];

/// What was asked.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UndoRequest {
    /// Only say what the undo would do (the preview).
    #[serde(default)]
    pub dry_run: bool,
    /// The kinds of conflict to undo anyway (`signed_in`, `edited_since`): the others are left
    /// as they are.
    #[serde(default)]
    pub confirm: Vec<String>,
}

/// Something that changed since the import.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UndoConflict {
    /// `signed_in` or `edited_since`.
    pub kind: String,
    pub user_id: String,
    pub login: String,
    /// For `edited_since`: the field.
    pub field: Option<String>,
    /// For `edited_since`: the value the import set, and the value now.
    pub set: Option<String>,
    pub now: Option<String>,
    /// Whether the undo goes over it (its kind confirmed); else it is left as it is.
    pub confirmed: bool,
    /// In the person's language.
    pub message: String,
}

/// What an undo does (a preview) or did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UndoReport {
    pub import_id: String,
    pub file_name: String,
    pub dry_run: bool,
    /// Whether the import was undone (false for a preview).
    pub undone: bool,
    /// People it created, deleted.
    pub deleted: usize,
    /// People it changed, put back.
    pub restored: usize,
    /// Among them, people invited whom it made active with the password it brought
    /// (WordPress): invited again, that password removed.
    pub invited_again: usize,
    pub roles_taken_back: usize,
    pub memberships_taken_back: usize,
    pub roles_given_back: usize,
    pub memberships_given_back: usize,
    /// People left as they are, for a conflict not confirmed.
    pub left_alone: usize,
    /// People deleted since the import: nothing left to undo.
    pub already_gone: usize,
    pub conflicts: Vec<UndoConflict>,
    /// The kinds of conflict found and not confirmed.
    pub unconfirmed: Vec<String>,
}

/// A person the import changed, as the undo puts them back.
struct Restoration {
    row: UserRow,
    plan: Plan,
    /// Invited again: the password the import brought removed, their sessions ended.
    invited_again: bool,
}

/// The undo, read and checked, ready to write.
struct Prepared {
    report: UndoReport,
    deletions: Vec<Allowed<UndoCreation>>,
    restorations: Vec<Restoration>,
}

/// The values of `fields` as text, for the conflicts' listing.
fn shown(v: Option<&serde_json::Value>) -> Option<String> {
    match v {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    }
}

fn parse<T: serde::de::DeserializeOwned + Default>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_default()
}

/// Whether the import made this person, invited, active with the password it brought
/// (recorded by [`super::history::Recorder`]).
fn activated(c: &store::ChangeRow) -> bool {
    let status = |json: Option<&str>| {
        json.map(parse::<serde_json::Map<String, serde_json::Value>>)
            .and_then(|m| m.get(STATUS).and_then(|v| v.as_str()).map(String::from))
    };
    !c.created
        && status(c.before_json.as_deref()).as_deref() == Some(Status::Invited.code())
        && status(Some(&c.after_json)).as_deref() == Some(Status::Active.code())
}

/// Sets the profile field `name` of `u` to `v` (as recorded by [`super::history::fields`]).
fn set_field(u: &mut UserRow, name: &str, v: &serde_json::Value) {
    let text = v.as_str().map(String::from);
    match name {
        "login" => u.login = text.unwrap_or_default(),
        "email" => u.email = text,
        "first_name" => u.first_name = text,
        "last_name" => u.last_name = text,
        "phone" => u.phone = text,
        "language" => {
            if let Some(l) = text {
                u.language = l;
            }
        }
        "address_line" => u.address_line = text,
        "postal_code" => u.postal_code = text,
        "city" => u.city = text,
        _ => {}
    }
}

/// Reads the import `id`, what it changed and the people as they are now, and plans its undo
/// with `confirm`'s kinds of conflict undone anyway.
async fn prepare(
    conn: &mut Conn,
    who: &Principal,
    id: &str,
    confirm: &[String],
    lang: Language,
) -> Result<Prepared> {
    who.actor.may_import()?;
    for kind in confirm {
        if !KINDS.contains(&kind.as_str()) {
            return Err(Error::Invalid(vec![
                FieldError::new("confirm", "import.undo_confirm_unknown")
                    .with("value", kind.as_str())
                    .with("expected", KINDS.join(", ")),
            ]));
        }
    }
    let org = &who.org;
    let h = store::one(conn, org.id(), id)
        .await?
        .ok_or(Error::NotFound("import"))?;
    if let Some(at) = h.undone_at {
        return Err(Error::Conflict(vec![
            FieldError::new("id", "import.already_undone")
                .with("at", crate::time::rfc3339(at))
                .with("by", h.undone_by.clone().unwrap_or_default()),
        ]));
    }
    if !super::history::undoable(&h) {
        return Err(Error::Refused(
            FieldError::new("id", "import.not_undoable").with("file", h.import.file_name.clone()),
        ));
    }
    let changes = store::of_import(conn, org.id(), id).await?;
    let ids: Vec<String> = changes.iter().map(|c| c.user_id.clone()).collect();
    let roles: HashMap<String, sesame_store::roles::RoleRow> =
        sesame_store::roles::list(conn, org.id())
            .await?
            .into_iter()
            .map(|r| (r.id.clone(), r))
            .collect();
    let group_names: HashMap<String, String> = sesame_store::groups::list(conn, org.id())
        .await?
        .into_iter()
        .map(|(g, _)| (g.id, g.name))
        .collect();
    let mut users: HashMap<String, UserRow> = HashMap::with_capacity(ids.len());
    let mut grants: HashMap<String, Vec<Grant>> = HashMap::new();
    let mut groups: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(sesame_store::bulk::BATCH_ROWS) {
        for u in store::users_among(conn, org.id(), chunk).await? {
            users.insert(u.id.clone(), u);
        }
        let mut held: HashMap<String, Vec<sesame_store::roles::HeldRole>> = HashMap::new();
        for h in sesame_store::roles::held_by(conn, org.id(), chunk).await? {
            held.entry(h.user_id.clone()).or_default().push(h);
        }
        for (uid, hs) in held {
            grants.insert(uid, grants_of(&hs));
        }
        for (uid, g) in sesame_store::groups::of_users(conn, org.id(), chunk).await? {
            groups.entry(uid).or_default().push(g.id);
        }
    }
    // Who may have acted since: those it created, and those it made active.
    let created: Vec<String> = changes
        .iter()
        .filter(|c| c.created || activated(c))
        .map(|c| c.user_id.clone())
        .collect();
    let acted = store::acted_since(conn, org.id(), &created, h.import.created_at).await?;
    let confirmed = |kind: &str| confirm.iter().any(|c| c == kind);
    let role_name = |id: &str| {
        roles
            .get(id)
            .map_or_else(|| id.to_string(), |r| r.name.clone())
    };
    let group_name = |id: &str| {
        group_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    };
    let refused = |r| crate::users::change::refused(r, role_name, group_name);

    let mut p = Prepared {
        report: UndoReport {
            import_id: id.to_string(),
            file_name: h.import.file_name.clone(),
            dry_run: true,
            undone: false,
            deleted: 0,
            restored: 0,
            roles_taken_back: 0,
            memberships_taken_back: 0,
            roles_given_back: 0,
            memberships_given_back: 0,
            invited_again: 0,
            left_alone: 0,
            already_gone: 0,
            conflicts: Vec::new(),
            unconfirmed: Vec::new(),
        },
        deletions: Vec::new(),
        restorations: Vec::new(),
    };
    let no_grants: Vec<Grant> = Vec::new();
    let no_groups: Vec<String> = Vec::new();
    for c in &changes {
        let Some(now) = users.get(&c.user_id) else {
            p.report.already_gone += 1;
            continue;
        };
        if now.status == sesame_core::Status::Deleted {
            p.report.already_gone += 1;
            continue;
        }
        let held = grants.get(&c.user_id).unwrap_or(&no_grants);
        let member_of = groups.get(&c.user_id).unwrap_or(&no_groups);
        let after: serde_json::Map<String, serde_json::Value> = parse(&c.after_json);
        let current = match super::history::fields(now) {
            serde_json::Value::Object(m) => m,
            _ => serde_json::Map::new(),
        };
        let activation = activated(c);
        let mut conflict = |kind: &str, field: Option<&str>, set, now_v| {
            let ok = confirmed(kind);
            let mut args = vec![("login", now.login.clone())];
            if let Some(f) = field {
                args.push(("field", f.to_string()));
            }
            let code = match (kind, activation) {
                (SIGNED_IN, true) => "import.undo_signed_in_activated".to_string(),
                _ => format!("import.undo_{kind}"),
            };
            p.report.conflicts.push(UndoConflict {
                kind: kind.to_string(),
                user_id: now.id.clone(),
                login: now.login.clone(),
                field: field.map(String::from),
                set,
                now: now_v,
                confirmed: ok,
                message: crate::i18n::message(lang, &code, &args),
            });
            ok
        };
        if c.created {
            let mut keep = false;
            if acted.contains(&c.user_id) {
                keep |= !conflict(SIGNED_IN, None, None, None);
            }
            for (k, v) in &after {
                if current.get(k) != Some(v) {
                    keep |= !conflict(EDITED_SINCE, Some(k), shown(Some(v)), shown(current.get(k)));
                }
            }
            if keep {
                p.report.left_alone += 1;
                continue;
            }
            let proof = who
                .actor
                .may_undo_creation(&c.user_id, member_of, held)
                .map_err(refused)?;
            p.deletions.push(proof);
            p.report.deleted += 1;
            p.report.roles_taken_back += held.len();
            p.report.memberships_taken_back += member_of.len();
            continue;
        }
        // A person it changed: each field it changed goes back, unless changed again since.
        let before: serde_json::Map<String, serde_json::Value> =
            c.before_json.as_deref().map(parse).unwrap_or_default();
        let mut row = now.clone();
        let mut fields_back = false;
        let mut whole = true;
        for (k, set) in &after {
            let Some(was) = before.get(k) else { continue };
            if was == set || k == STATUS {
                continue;
            }
            let go_back = current.get(k) == Some(set)
                || conflict(
                    EDITED_SINCE,
                    Some(k),
                    shown(Some(set)),
                    shown(current.get(k)),
                );
            if go_back {
                set_field(&mut row, k, was);
                fields_back = true;
            } else {
                whole = false;
            }
        }
        // Made active with the password it brought: invited again, unless they have signed in
        // since (with that password) or their status changed since, and that is not confirmed.
        let mut invited_again = false;
        if activation {
            let mut go_back = true;
            if acted.contains(&c.user_id) {
                go_back &= conflict(SIGNED_IN, None, None, None);
            }
            if now.status != Status::Active {
                go_back &= conflict(
                    EDITED_SINCE,
                    Some(STATUS),
                    Some(Status::Active.code().to_string()),
                    Some(now.status.code().to_string()),
                );
            }
            if go_back {
                row.status = Status::Invited;
                invited_again = true;
            } else {
                whole = false;
            }
        }
        let granted: Vec<(String, String)> = parse(&c.granted_json);
        let revoked: Vec<(String, String)> = parse(&c.revoked_json);
        let joined: Vec<String> = parse(&c.joined_json);
        let left: Vec<String> = parse(&c.left_json);
        let scope = |g: &str| {
            if g.is_empty() {
                Scope::Organisation
            } else {
                Scope::Group(g.to_string())
            }
        };
        let mut wanted_grants: Vec<Grant> = held
            .iter()
            .filter(|g| {
                !granted
                    .iter()
                    .any(|(r, s)| *r == g.role_id && scope(s) == g.scope)
            })
            .cloned()
            .collect();
        for (r, s) in &revoked {
            let Some(role) = roles.get(r) else { continue };
            let g = Grant {
                role_id: r.clone(),
                permissions: permissions_of(&role.permissions),
                scope: scope(s),
            };
            if !wanted_grants
                .iter()
                .any(|w| w.role_id == g.role_id && w.scope == g.scope)
            {
                wanted_grants.push(g);
            }
        }
        let mut wanted_groups: BTreeSet<String> = member_of
            .iter()
            .filter(|g| !joined.contains(g))
            .cloned()
            .collect();
        wanted_groups.extend(
            left.iter()
                .filter(|g| group_names.contains_key(*g))
                .cloned(),
        );
        let wanted = Wanted {
            roles: Some(
                wanted_grants
                    .into_iter()
                    .map(|grant| WantedRole {
                        grant,
                        requires: None,
                    })
                    .collect(),
            ),
            groups: Some(wanted_groups.into_iter().collect()),
            invite: false,
        };
        let as_now = Before {
            status: now.status,
            groups: member_of,
            grants: held,
        };
        let plan = if invited_again {
            who.actor.may_undo_activation(&c.user_id, as_now, &wanted)
        } else {
            who.actor.may_undo_update(&c.user_id, as_now, &wanted)
        }
        .map_err(refused)?;
        if !fields_back && !invited_again && !plan.changes_access() {
            // Made active, signed in since, and that not confirmed: nothing else to undo.
            if activation {
                p.report.left_alone += 1;
            }
            continue;
        }
        row.updated_at = match before.get("updated_at").and_then(serde_json::Value::as_i64) {
            Some(at) if whole => at,
            _ => now_ms(),
        };
        p.report.restored += 1;
        p.report.roles_taken_back += plan.revoke.len();
        p.report.memberships_taken_back += plan.leave.len();
        p.report.roles_given_back += plan.grant.len();
        p.report.memberships_given_back += plan.join.len();
        p.report.invited_again += usize::from(invited_again);
        p.restorations.push(Restoration {
            row,
            plan,
            invited_again,
        });
    }
    let found: HashSet<&str> = p
        .report
        .conflicts
        .iter()
        .filter(|c| !c.confirmed)
        .map(|c| c.kind.as_str())
        .collect();
    p.report.unconfirmed = KINDS
        .iter()
        .filter(|k| found.contains(**k))
        .map(|k| k.to_string())
        .collect();
    Ok(p)
}

/// Previews (`dry_run`) or undoes the import `id`.
pub async fn undo(
    app: &crate::App,
    who: &Principal,
    id: &str,
    req: &UndoRequest,
) -> Result<UndoReport> {
    let lang = who.language();
    if req.dry_run {
        let mut conn = app.store.read().await?;
        return Ok(prepare(&mut conn, who, id, &req.confirm, lang)
            .await?
            .report);
    }
    let mut work = Work::begin_bulk(app).await?;
    let p = prepare(&mut work, who, id, &req.confirm, lang).await?;
    let org = &who.org;
    let at = now_ms();
    if !store::mark_undone(&mut work, org.id(), id, at, &who.label()).await? {
        return Err(Error::Conflict(vec![FieldError::new(
            "id",
            "import.already_undone",
        )]));
    }
    store::delete_created(&mut work, app.store.backend(), org.id(), id, &p.deletions).await?;
    for Restoration {
        row,
        plan,
        invited_again,
    } in &p.restorations
    {
        crate::users::change::take_back(&mut work, org, &row.id, plan).await?;
        if let Some(edit) = &plan.edit {
            if *invited_again {
                // The password it brought goes, and what it opened with it.
                sesame_store::users::set_password_hash(&mut work, edit, None, row.updated_at)
                    .await?;
                sesame_store::tokens::revoke_all_of(&mut work, edit, at).await?;
            }
            sesame_store::users::update(&mut work, edit, row).await?;
        }
        crate::users::change::give(&mut work, org, plan, at).await?;
    }
    let mut report = p.report;
    report.dry_run = false;
    report.undone = true;
    work.record(
        who,
        Change {
            action: "users.import_undo",
            target_type: "organisation",
            target_id: Some(org.id()),
            target_label: Some(&report.file_name),
            before: None,
            after: Some(serde_json::json!({
                "import": id,
                "file": report.file_name,
                "deleted": report.deleted,
                "restored": report.restored,
                "invited_again": report.invited_again,
                "roles_taken_back": report.roles_taken_back,
                "memberships_taken_back": report.memberships_taken_back,
                "roles_given_back": report.roles_given_back,
                "memberships_given_back": report.memberships_given_back,
                "left_alone": report.left_alone,
                "already_gone": report.already_gone,
                "confirmed": req.confirm,
            })),
        },
    )
    .await?;
    work.commit().await?;
    Ok(report)
}
