//! Imports through the API run as jobs: the file is checked and written on a thread of its
//! own (parsing is CPU work that must not hold the server's async threads), its progress is
//! kept in the database every second so that any instance can answer a poll, and its summary
//! and faulty rows are kept for the answer and the error file — for [`KEEP_DAYS`] days.

use super::{Faulty, Options, Outcome, Summary, files};
use crate::{App, Error, Principal, Result};
use bytes::Bytes;
use serde::Serialize;
use sesame_sheet::{Format, Limits};
use sesame_store::imports::ImportRow;
use sesame_store::{new_id, now_ms};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Days an import's summary and faulty rows (personal data) are kept after it ended.
pub const KEEP_DAYS: i64 = 30;

/// An import as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportJob {
    pub id: String,
    /// `running`, `done` or `failed` (an unexpected failure; nothing was written).
    pub state: String,
    pub file_name: String,
    pub dry_run: bool,
    /// Rows read so far.
    pub rows_read: i64,
    /// RFC 3339.
    pub created_at: String,
    pub finished_at: Option<String>,
    /// Once done.
    pub summary: Option<Summary>,
    /// Once done, when rows were wrong: the faulty rows to fix and import again
    /// (`?format=xlsx|ods|csv`; the uploaded file's format by default).
    pub error_file: Option<String>,
}

fn view(row: &ImportRow) -> ImportJob {
    let summary: Option<Summary> = row
        .summary_json
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok());
    let has_faulty = summary
        .as_ref()
        .is_some_and(|s| s.invalid > 0 || !s.errors.is_empty());
    ImportJob {
        id: row.id.clone(),
        state: row.state.clone(),
        file_name: row.file_name.clone(),
        dry_run: row.dry_run,
        rows_read: row.rows_read,
        created_at: crate::time::rfc3339(row.created_at),
        finished_at: row.finished_at.map(crate::time::rfc3339),
        error_file: has_faulty.then(|| format!("/api/v1/imports/{}/errors", row.id)),
        summary,
    }
}

/// Starts an import of `bytes` (a file named `file_name`); the handle ends with the job. The
/// job holds the upload itself, not a copy: the caller may keep it (the page keeps a previewed
/// file for its confirmation) without the file being held twice.
pub async fn start(
    app: &App,
    who: &Principal,
    bytes: Bytes,
    file_name: String,
    opts: Options,
) -> Result<(String, tokio::task::JoinHandle<()>)> {
    who.actor.may_import()?;
    let id = new_id();
    let format = Format::from_path(std::path::Path::new(&file_name)).unwrap_or(Format::Csv);
    let row = ImportRow {
        id: id.clone(),
        org_id: who.org.id().to_string(),
        user_id: who.user_id().map(String::from),
        file_name: file_name.clone(),
        format: format.extension().into(),
        state: "running".into(),
        dry_run: opts.dry_run,
        rows_read: 0,
        summary_json: None,
        faulty_json: None,
        created_at: now_ms(),
        finished_at: None,
    };
    {
        let mut conn = app.store.read().await?;
        let day = 24 * 3600 * 1000;
        let now = now_ms();
        sesame_store::imports::forget_old(&mut conn, now - KEEP_DAYS * day, now - day).await?;
        sesame_store::imports::insert(&mut conn, &row).await?;
    }
    let read = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(tokio::sync::Notify::new());
    // Progress, every second, while the job runs.
    let reporter = {
        let (app, id, read, done) = (app.clone(), id.clone(), read.clone(), done.clone());
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = done.notified() => return,
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
                let n = i64::try_from(read.load(Ordering::Relaxed)).unwrap_or(i64::MAX);
                if let Ok(mut conn) = app.store.read().await {
                    let _ = sesame_store::imports::set_progress(&mut conn, &id, n).await;
                }
            }
        })
    };
    let (app2, who2, id2) = (app.clone(), who.clone(), id.clone());
    let runtime = tokio::runtime::Handle::current();
    let handle = tokio::task::spawn_blocking(move || {
        runtime.block_on(async move {
            let tick = |n: usize| read.store(n, Ordering::Relaxed);
            // The reading works on a copy, dropped when it ends; the upload stays shared.
            let sheet = sesame_sheet::open_bytes(
                bytes.to_vec(),
                &file_name,
                &files::SHEET_NAMES,
                &Limits::default(),
            );
            let outcome = super::import(&app2, &who2, sheet, &opts, &tick).await;
            done.notify_one();
            let _ = reporter.await;
            let n = i64::try_from(read.load(Ordering::Relaxed)).unwrap_or(i64::MAX);
            if let Err(e) = record(&app2, &id2, n, outcome).await {
                tracing::error!(import = %id2, error = %e, "import: could not record the outcome");
            }
        });
    });
    Ok((id, handle))
}

/// Keeps the job's outcome.
async fn record(app: &App, id: &str, rows_read: i64, outcome: Result<Outcome>) -> Result<()> {
    let mut conn = app.store.read().await?;
    match outcome {
        Ok(o) => {
            let summary = serde_json::to_string(&o.summary)?;
            let faulty = (!o.faulty.rows.is_empty())
                .then(|| serde_json::to_string(&o.faulty))
                .transpose()?;
            sesame_store::imports::finish(
                &mut conn,
                id,
                "done",
                rows_read,
                Some(&summary),
                faulty.as_deref(),
                now_ms(),
            )
            .await?;
        }
        Err(e) => {
            tracing::error!(import = %id, error = %e, "import failed");
            sesame_store::imports::finish(&mut conn, id, "failed", rows_read, None, None, now_ms())
                .await?;
        }
    }
    Ok(())
}

pub async fn get(app: &App, who: &Principal, id: &str) -> Result<ImportJob> {
    who.actor.may_import()?;
    let mut conn = app.store.read().await?;
    sesame_store::imports::get(&mut conn, who.org.id(), id)
        .await?
        .map(|r| view(&r))
        .ok_or(Error::NotFound("import"))
}

/// The error file of a finished import: `(format, bytes, file name)`.
pub async fn error_file(
    app: &App,
    who: &Principal,
    id: &str,
    format: Option<Format>,
) -> Result<(Format, Vec<u8>, String)> {
    who.actor.may_import()?;
    let mut conn = app.store.read().await?;
    let row = sesame_store::imports::get(&mut conn, who.org.id(), id)
        .await?
        .ok_or(Error::NotFound("import"))?;
    let faulty: Faulty = row
        .faulty_json
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .ok_or(Error::NotFound("import_errors"))?;
    let input = Format::parse(&row.format).unwrap_or(Format::Csv);
    let fmt = files::error_format(format, input);
    let book = files::error_file(&faulty, who.language());
    let bytes = sesame_sheet::write(fmt, &book).map_err(|e| Error::Internal(e.to_string()))?;
    let stem = row
        .file_name
        .rsplit_once('.')
        .map_or(row.file_name.as_str(), |(s, _)| s);
    let name = match who.language() {
        sesame_core::Language::Fr => format!("{stem}-erreurs.{}", fmt.extension()),
        sesame_core::Language::En => format!("{stem}-errors.{}", fmt.extension()),
    };
    Ok((fmt, bytes, name))
}

/// The faulty rows of a finished import as read (headers, cells, messages), for the page that
/// shows them; `None` when no row was wrong.
pub async fn faulty(app: &App, who: &Principal, id: &str) -> Result<Option<Faulty>> {
    who.actor.may_import()?;
    let mut conn = app.store.read().await?;
    let row = sesame_store::imports::get(&mut conn, who.org.id(), id)
        .await?
        .ok_or(Error::NotFound("import"))?;
    Ok(row
        .faulty_json
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok()))
}
