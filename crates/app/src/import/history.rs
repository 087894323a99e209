//! The history of imports: every import, from the API, the pages or the command line, is
//! listed for [`KEEP_DAYS`] days with who ran it, when, its file, its options, its counts, its
//! error file and whether it can be undone; and what each applied import changed is recorded,
//! in its own transaction, for its undo ([`Recorder`]).
//!
//! Old imports are forgotten through the database ([`prune`]): by every import as it starts
//! and by the periodic sweep, so that no instance needs a timer of its own.

use super::{Options, Outcome, Summary};
use crate::{App, Principal, Result, TokenKind};
use serde::Serialize;
use sesame_core::Status;
use sesame_core::policy::plan::Plan;
use sesame_store::import_changes::{self as store, ChangeRow, HistoryRow};
use sesame_store::imports::{End, ImportRow};
use sesame_store::users::UserRow;
use sesame_store::{new_id, now_ms};

pub use sesame_store::import_changes::KEEP_DAYS;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// The profile fields of a person, as an import set them and an undo puts them back.
pub(crate) fn fields(u: &UserRow) -> serde_json::Value {
    serde_json::json!({
        "login": u.login, "email": u.email, "first_name": u.first_name,
        "last_name": u.last_name, "phone": u.phone, "language": u.language,
        "address_line": u.address_line, "postal_code": u.postal_code, "city": u.city,
    })
}

/// The key of a change's status, recorded only for someone an imported password hash made
/// active (the other profile fields are [`fields`]).
pub(crate) const STATUS: &str = "status";

/// What an import changes, gathered as it writes and written with its batches, in its
/// transaction. Records nothing when the import has no id (a dry run).
#[derive(Default)]
pub(crate) struct Recorder {
    pub(crate) import_id: Option<String>,
    rows: Vec<ChangeRow>,
}

impl Recorder {
    /// Notes what the import does to `user` (created when `before` is `None`).
    pub(crate) fn note(&mut self, user: &UserRow, before: Option<&UserRow>, plan: &Plan) {
        let Some(import_id) = &self.import_id else {
            return;
        };
        let roles = |ps: &[sesame_core::policy::Allowed<
            sesame_core::policy::action::ChangeRole,
        >]| {
            serde_json::Value::from(
                ps.iter()
                    .map(|p| serde_json::json!([p.role_id, p.scope.group_id().unwrap_or_default()]))
                    .collect::<Vec<_>>(),
            )
            .to_string()
        };
        let groups = |ps: &[sesame_core::policy::Allowed<
            sesame_core::policy::action::ChangeMembership,
        >]| {
            serde_json::Value::from(ps.iter().map(|p| p.group_id.clone()).collect::<Vec<_>>())
                .to_string()
        };
        // Someone invited whom the password hash it brought (WordPress) made active: their
        // status is noted on both sides, for the undo to invite them again.
        let activated =
            before.is_some_and(|b| b.status == Status::Invited) && user.status == Status::Active;
        let mut after = fields(user);
        if activated {
            after[STATUS] = user.status.code().into();
        }
        self.rows.push(ChangeRow {
            import_id: import_id.clone(),
            org_id: user.org_id.clone(),
            user_id: user.id.clone(),
            created: before.is_none(),
            // With when they were last changed, put back too when the undo restores them whole.
            before_json: before.map(|b| {
                let mut f = fields(b);
                f["updated_at"] = b.updated_at.into();
                if activated {
                    f[STATUS] = b.status.code().into();
                }
                f.to_string()
            }),
            after_json: after.to_string(),
            granted_json: roles(&plan.grant),
            revoked_json: roles(&plan.revoke),
            joined_json: groups(&plan.join),
            left_json: groups(&plan.leave),
        });
    }

    /// Writes what was noted.
    pub(crate) async fn flush(
        &mut self,
        conn: &mut sesame_store::Conn,
        backend: sesame_store::Backend,
    ) -> Result<()> {
        if !self.rows.is_empty() {
            store::insert_many(conn, backend, &self.rows).await?;
            self.rows.clear();
        }
        Ok(())
    }
}

/// Forgets the imports older than [`KEEP_DAYS`], with what they changed and their faulty rows.
pub async fn prune(app: &App) -> Result<u64> {
    let mut conn = app.store.read().await?;
    Ok(store::prune(&mut conn, now_ms() - KEEP_DAYS * DAY_MS).await?)
}

/// Where an import was run from: `cli`, `api_token` or `session` (the pages, or the API with a
/// sign-in session).
fn origin(who: &Principal) -> &'static str {
    match (&who.token, who.source.as_deref()) {
        (Some(t), _) if t.kind == TokenKind::Api => "api_token",
        (None, Some("cli")) => "cli",
        _ => "session",
    }
}

/// The options an import is listed with.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ImportOptions {
    pub dry_run: bool,
    pub skip_invalid: bool,
    pub send_invitations: bool,
}

/// Notes, beside the import `id` just started, its options, who runs it and from where.
pub(crate) async fn note_start(
    conn: &mut sesame_store::Conn,
    id: &str,
    who: &Principal,
    opts: &Options,
) -> Result<()> {
    let options = ImportOptions {
        dry_run: opts.dry_run,
        skip_invalid: opts.skip_invalid,
        send_invitations: opts.send_invitations,
    };
    store::set_details(
        conn,
        id,
        &serde_json::to_string(&options)?,
        &who.label(),
        origin(who),
    )
    .await?;
    Ok(())
}

/// Runs an import here and now (the command line), listed in the history like those of the
/// API and the pages: its row is written as it starts and ended with its outcome.
pub async fn import_here(
    app: &App,
    who: &Principal,
    sheet: std::result::Result<sesame_sheet::Sheet, sesame_sheet::ReadError>,
    opts: &Options,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Outcome> {
    who.actor.may_import()?;
    let id = new_id();
    let format = sesame_sheet::Format::from_path(std::path::Path::new(&opts.file_name))
        .unwrap_or(sesame_sheet::Format::Csv);
    {
        let mut conn = app.store.read().await?;
        store::prune(&mut conn, now_ms() - KEEP_DAYS * DAY_MS).await?;
        sesame_store::imports::insert(
            &mut conn,
            &ImportRow {
                id: id.clone(),
                org_id: who.org.id().to_string(),
                user_id: who.user_id().map(String::from),
                file_name: opts.file_name.clone(),
                format: format.extension().into(),
                state: "running".into(),
                dry_run: opts.dry_run,
                rows_read: 0,
                summary_json: None,
                faulty_json: None,
                created_at: now_ms(),
                finished_at: None,
                // Its process runs it to the end or stops: a lease as the API's jobs have.
                lease_until: Some(now_ms() + 24 * 3600 * 1000),
                failure: None,
            },
        )
        .await?;
        note_start(&mut conn, &id, who, opts).await?;
    }
    let outcome = super::import_recorded(app, who, sheet, opts, progress, Some(&id)).await;
    let mut conn = app.store.read().await?;
    match &outcome {
        Ok(o) => {
            let summary = serde_json::to_string(&o.summary)?;
            let faulty = (!o.faulty.rows.is_empty())
                .then(|| serde_json::to_string(&o.faulty))
                .transpose()?;
            let end = End::Done {
                summary_json: &summary,
                faulty_json: faulty.as_deref(),
            };
            sesame_store::imports::finish(&mut conn, &id, count_rows(&o.summary), end, now_ms())
                .await?;
        }
        Err(_) => {
            let end = End::Failed("import.failed");
            sesame_store::imports::finish(&mut conn, &id, 0, end, now_ms()).await?;
        }
    }
    outcome
}

fn count_rows(s: &Summary) -> i64 {
    i64::try_from(s.created + s.updated + s.unchanged + s.invalid).unwrap_or(i64::MAX)
}

/// One import as the history lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportEntry {
    pub id: String,
    /// RFC 3339.
    pub created_at: String,
    pub finished_at: Option<String>,
    /// Who ran it, as named then (their login, or `cli` for the operator).
    pub by: Option<String>,
    /// `cli`, `api_token` or `session` (the pages, or the API signed in).
    pub origin: Option<String>,
    pub file_name: String,
    /// `running`, `done` or `failed`.
    pub state: String,
    pub options: ImportOptions,
    /// Once done: rows created, updated, unchanged, invalid, and whether it was written.
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub invalid: usize,
    pub applied: bool,
    /// Its faulty rows, when rows were wrong: the file to download.
    pub error_file: Option<String>,
    /// People it changed, as recorded for its undo.
    pub people_changed: i64,
    /// Whether it can be undone now: applied, changed someone, not undone yet.
    pub undoable: bool,
    /// Once undone: when (RFC 3339) and by whom.
    pub undone_at: Option<String>,
    pub undone_by: Option<String>,
    /// Where to preview and undo it.
    pub undo: Option<String>,
}

pub(crate) fn undoable(h: &HistoryRow) -> bool {
    !h.import.dry_run && h.import.state != "running" && h.undone_at.is_none() && h.changes > 0
}

fn entry(h: &HistoryRow) -> ImportEntry {
    let summary: Option<Summary> = h
        .import
        .summary_json
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok());
    let options: ImportOptions = h
        .options_json
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or(ImportOptions {
            dry_run: h.import.dry_run,
            ..ImportOptions::default()
        });
    let s = summary.as_ref();
    let can_undo = undoable(h);
    ImportEntry {
        id: h.import.id.clone(),
        created_at: crate::time::rfc3339(h.import.created_at),
        finished_at: h.import.finished_at.map(crate::time::rfc3339),
        by: h.actor_label.clone(),
        origin: h.origin.clone(),
        file_name: h.import.file_name.clone(),
        state: h.import.state.clone(),
        options,
        created: s.map_or(0, |s| s.created),
        updated: s.map_or(0, |s| s.updated),
        unchanged: s.map_or(0, |s| s.unchanged),
        invalid: s.map_or(0, |s| s.invalid),
        applied: s.is_some_and(|s| s.applied),
        error_file: h
            .import
            .faulty_json
            .is_some()
            .then(|| format!("/api/v1/imports/{}/errors", h.import.id)),
        people_changed: h.changes,
        undoable: can_undo,
        undone_at: h.undone_at.map(crate::time::rfc3339),
        undone_by: h.undone_by.clone(),
        undo: can_undo.then(|| format!("/api/v1/imports/{}/undo", h.import.id)),
    }
}

/// The imports of the last [`KEEP_DAYS`] days, newest first.
pub async fn list(app: &App, who: &Principal) -> Result<Vec<ImportEntry>> {
    who.actor.may_import()?;
    let mut conn = app.store.read().await?;
    let since = now_ms() - KEEP_DAYS * DAY_MS;
    let rows = store::recent(&mut conn, who.org.id(), since).await?;
    Ok(rows.iter().map(entry).collect())
}

/// One import as the history lists it.
pub async fn one(app: &App, who: &Principal, id: &str) -> Result<ImportEntry> {
    who.actor.may_import()?;
    let mut conn = app.store.read().await?;
    let row = store::one(&mut conn, who.org.id(), id)
        .await?
        .ok_or(crate::Error::NotFound("import"))?;
    Ok(entry(&row))
}
