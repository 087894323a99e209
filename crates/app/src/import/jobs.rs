//! Imports through the API run as jobs: the file is checked and written on a thread of its
//! own (parsing is CPU work that must not hold the server's async threads), its progress is
//! kept in the database every second so that any instance can answer a poll, and its summary
//! and faulty rows are kept for the answer and the error file — for [`KEEP_DAYS`] days.
//!
//! A running job holds a lease in the database, renewed with its progress every second. A job
//! left `running` by an instance that stopped (a crash, kill -9, a full disk that kept it from
//! writing its end) is marked failed as interrupted when its lease has run out: by every
//! instance as it starts ([`interrupt_stale`]), and by whoever asks for it after. An instance
//! never interrupts its own jobs ([`Running`]), whatever their lease says.
//!
//! On SQLite an import holds the database's only write lock while it writes, so neither its
//! progress nor its lease reach the database meanwhile: its instance — the only one on a
//! SQLite file — answers the rows read from [`Running`]. On PostgreSQL both reach the database.

use super::{Faulty, Options, Outcome, Summary, files};
use crate::{App, Error, Principal, Result};
use bytes::Bytes;
use serde::Serialize;
use sesame_core::Language;
use sesame_sheet::{Format, Limits};
use sesame_store::imports::{End, ImportRow};
use sesame_store::{new_id, now_ms};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Days an import's summary and faulty rows (personal data) are kept after it ended: as long
/// as the history lists it, with its error file.
pub const KEEP_DAYS: i64 = super::history::KEEP_DAYS;

/// How long a job's lease lasts; its instance renews it every second, so thirty missed
/// renewals in a row (a stopped instance, or a database it could not reach) interrupt it.
pub const LEASE_MS: i64 = 30_000;

/// The jobs this instance runs: the rows each has read, and the end of one that could not be
/// written to the database (a full disk). Only this instance's own jobs: what another
/// instance needs to know is in the database.
#[derive(Clone, Default)]
pub struct Running {
    jobs: Arc<Mutex<HashMap<String, Arc<Job>>>>,
    /// Set when the server stops: each running import rolls back at its next batch and is
    /// recorded as interrupted ([`Running::interrupt_all`]).
    stopping: Arc<std::sync::atomic::AtomicBool>,
}

#[derive(Default)]
struct Job {
    read: AtomicUsize,
    /// The code of why it failed, when that could not be written.
    unrecorded: Mutex<Option<&'static str>>,
}

impl Running {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Job>>> {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Asks every running import, and any started after, to stop: each rolls back what it
    /// wrote at its next batch (500 rows) and ends `failed` as `import.interrupted`. Called as
    /// the server stops (SIGTERM, Ctrl-C), so that an import is never cut off by the process's
    /// end; one already committing finishes.
    pub fn interrupt_all(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    /// Whether imports must stop ([`Running::interrupt_all`]).
    pub(crate) fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Whether none of this instance's imports is still running (or waiting to record its
    /// end).
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    fn add(&self, id: &str) -> Arc<Job> {
        let job = Arc::new(Job::default());
        self.lock().insert(id.to_string(), job.clone());
        job
    }

    fn get(&self, id: &str) -> Option<Arc<Job>> {
        self.lock().get(id).cloned()
    }

    fn remove(&self, id: &str) {
        self.lock().remove(id);
    }

    fn ids(&self) -> Vec<String> {
        self.lock().keys().cloned().collect()
    }
}

/// Why an import failed, in words.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JobFailure {
    /// `import.interrupted` (the server stopped during the import), `storage.full` (the disk
    /// is full), `storage.read_only` (the database cannot be written), `import.failed`
    /// (anything else: the server's log says more).
    pub code: String,
    /// What happened and what to do, in the person's language.
    pub message: String,
}

/// An import left by a stopped instance, marked failed.
#[derive(Debug, Clone)]
pub struct Interrupted {
    pub id: String,
    pub org_id: String,
    pub file_name: String,
}

/// Marks failed, as interrupted, the jobs whose instance stopped (their lease ran out), but
/// none of this instance's. Every instance calls it as it starts.
pub async fn interrupt_stale(app: &App) -> Result<Vec<Interrupted>> {
    let mut conn = app.store.read().await?;
    let alive = app.imports.ids();
    let marked =
        sesame_store::imports::interrupt_stale(&mut conn, now_ms(), LEASE_MS, &alive).await?;
    for (org_id, id, _) in &marked {
        tracing::warn!(import = %id, org = %org_id, "import interrupted: its instance stopped");
    }
    Ok(marked
        .into_iter()
        .map(|(org_id, id, file_name)| Interrupted {
            id,
            org_id,
            file_name,
        })
        .collect())
}

/// The code of why an import failed with `e`.
fn failure_code(e: &Error) -> &'static str {
    match e {
        Error::DiskFull(_) => "storage.full",
        Error::ReadOnly(_) => "storage.read_only",
        Error::Unreachable(_) => "storage.unreachable",
        Error::Interrupted => sesame_store::imports::INTERRUPTED,
        _ => "import.failed",
    }
}

/// An import as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportJob {
    pub id: String,
    /// `running`, `done` or `failed` (nothing was written; `failure` says why).
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
    /// Once failed: why, and what to do.
    pub failure: Option<JobFailure>,
}

fn view(row: &ImportRow, lang: Language) -> ImportJob {
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
        failure: (row.state == "failed").then(|| {
            let code = row
                .failure
                .clone()
                .unwrap_or_else(|| "import.failed".into());
            JobFailure {
                message: crate::i18n::message(lang, &code, &[]),
                code,
            }
        }),
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
        lease_until: Some(now_ms() + LEASE_MS),
        failure: None,
    };
    {
        let mut conn = app.store.read().await?;
        let day = 24 * 3600 * 1000;
        sesame_store::import_changes::prune(&mut conn, now_ms() - KEEP_DAYS * day).await?;
        sesame_store::imports::insert(&mut conn, &row).await?;
        super::history::note_start(&mut conn, &id, who, &opts).await?;
    }
    let job = app.imports.add(&id);
    let done = Arc::new(tokio::sync::Notify::new());
    // Progress and the lease, every second, while the job runs.
    let reporter = {
        let (app, id, job, done) = (app.clone(), id.clone(), job.clone(), done.clone());
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = done.notified() => return,
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
                let n = i64::try_from(job.read.load(Ordering::Relaxed)).unwrap_or(i64::MAX);
                if let Ok(mut conn) = app.store.read().await {
                    let until = now_ms() + LEASE_MS;
                    let _ = sesame_store::imports::renew(&mut conn, &id, n, until).await;
                }
            }
        })
    };
    let (app2, who2, id2) = (app.clone(), who.clone(), id.clone());
    let runtime = tokio::runtime::Handle::current();
    let handle = tokio::task::spawn_blocking(move || {
        runtime.block_on(async move {
            let tick = |n: usize| job.read.store(n, Ordering::Relaxed);
            // The reading works on a copy, dropped when it ends; the upload stays shared.
            let sheet = sesame_sheet::open_bytes(
                bytes.to_vec(),
                &file_name,
                &files::SHEET_NAMES,
                &Limits::default(),
            );
            let outcome =
                super::import_recorded(&app2, &who2, sheet, &opts, &tick, Some(&id2)).await;
            done.notify_one();
            let _ = reporter.await;
            let n = i64::try_from(job.read.load(Ordering::Relaxed)).unwrap_or(i64::MAX);
            match record(&app2, &id2, n, outcome).await {
                Ok(()) => app2.imports.remove(&id2),
                Err((e, code)) => {
                    // Kept here, where the polls of this instance find it.
                    tracing::error!(import = %id2, error = %e, "import: could not record the outcome");
                    *job.unrecorded.lock().unwrap_or_else(|p| p.into_inner()) = Some(code);
                }
            }
        });
    });
    Ok((id, handle))
}

/// Keeps the job's outcome; when it cannot be written, the error and the code of the failure
/// to show instead (an outcome that cannot be written is a failure: nothing is kept of it).
async fn record(
    app: &App,
    id: &str,
    rows_read: i64,
    outcome: Result<Outcome>,
) -> std::result::Result<(), (Error, &'static str)> {
    let (summary, faulty, code) = match outcome {
        Ok(o) => {
            let summary =
                serde_json::to_string(&o.summary).map_err(|e| (e.into(), "import.failed"))?;
            let faulty = (!o.faulty.rows.is_empty())
                .then(|| serde_json::to_string(&o.faulty))
                .transpose()
                .map_err(|e| (e.into(), "import.failed"))?;
            (Some(summary), faulty, "import.failed")
        }
        Err(e) => {
            tracing::error!(import = %id, error = %e, "import failed");
            (None, None, failure_code(&e))
        }
    };
    let end = match &summary {
        Some(s) => End::Done {
            summary_json: s,
            faulty_json: faulty.as_deref(),
        },
        None => End::Failed(code),
    };
    let written = async {
        let mut conn = app.store.read().await?;
        sesame_store::imports::finish(&mut conn, id, rows_read, end, now_ms()).await?;
        Ok::<(), Error>(())
    }
    .await;
    written.map_err(|e| {
        let shown = match (&summary, failure_code(&e)) {
            // A full or read-only disk also kept the end from being written: that is why.
            (_, c @ ("storage.full" | "storage.read_only")) => c,
            (None, _) => code,
            (Some(_), c) => c,
        };
        (e, shown)
    })
}

/// An import, as its instance last wrote it — or, for one of this instance's, as it is now.
pub async fn get(app: &App, who: &Principal, id: &str) -> Result<ImportJob> {
    who.actor.may_import()?;
    let mut conn = app.store.read().await?;
    let mut row = sesame_store::imports::get(&mut conn, who.org.id(), id)
        .await?
        .ok_or(Error::NotFound("import"))?;
    if row.state == "running" {
        match app.imports.get(id) {
            Some(job) => {
                let read = i64::try_from(job.read.load(Ordering::Relaxed)).unwrap_or(i64::MAX);
                row.rows_read = row.rows_read.max(read);
                let unrecorded = *job.unrecorded.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(code) = unrecorded {
                    row.state = "failed".into();
                    row.failure = Some(code.into());
                    // Written when the database takes it again.
                    let end = End::Failed(code);
                    if sesame_store::imports::finish(&mut conn, id, row.rows_read, end, now_ms())
                        .await
                        .is_ok()
                    {
                        app.imports.remove(id);
                    }
                }
            }
            None => {
                let lease = row.lease_until.unwrap_or(row.created_at + LEASE_MS);
                if lease < now_ms() {
                    // Its instance stopped: nobody else will end it.
                    drop(conn);
                    interrupt_stale(app).await?;
                    conn = app.store.read().await?;
                    row = sesame_store::imports::get(&mut conn, who.org.id(), id)
                        .await?
                        .ok_or(Error::NotFound("import"))?;
                }
            }
        }
    }
    Ok(view(&row, who.language()))
}

/// The error file of a finished import: `(format, bytes, file name)`.
pub async fn error_file(
    app: &App,
    who: &Principal,
    id: &str,
    format: Option<Format>,
) -> Result<crate::download::Download> {
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
    let stem = row
        .file_name
        .rsplit_once('.')
        .map_or(row.file_name.as_str(), |(s, _)| s);
    let stem = match who.language() {
        sesame_core::Language::Fr => format!("{stem}-erreurs"),
        sesame_core::Language::En => format!("{stem}-errors"),
    };
    crate::download::Download::sheet(fmt, &book, &stem)
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
