//! Backups of a SQLite database while it serves, and putting one back (`sesame backup`,
//! `sesame restore`). PostgreSQL has its own tools (`pg_dump`, `pg_restore`): nothing here.
//!
//! A backup is `VACUUM INTO`: SQLite copies the database as one read transaction sees it, so
//! the copy is consistent whatever writes run meanwhile (WAL lets them go on), and compacted.
//! SQLite's online-backup API would do as well, but sqlx exposes it on no connection (its Any
//! and SQLite drivers hide the handle), and `VACUUM INTO` is plain SQL through the pool.
//!
//! Nothing is ever half-written: a backup, and a restored database, are first written to a
//! temporary file in the destination's own directory, synced, then renamed over the
//! destination (a rename within a directory is atomic).
//!
//! A restore replaces the database file, which no server may have open: every `sesame serve`
//! on a SQLite file holds a shared lock on `<file>.lock` ([`ServingLock`]) for as long as it
//! runs, and a restore takes it exclusively, or refuses. The database that was there is kept
//! beside it as `<file>.before-restore` (with its WAL), so that a restore can be undone.

use crate::{Result, StoreError};
use sqlx::{ConnectOptions, Connection, Executor};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Why a file cannot be restored.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// A server runs on the database (it holds the serving lock).
    #[error("a server is using the database")]
    InUse,
    /// The file is not a SQLite database, or not one of Sésame (no migrations table).
    #[error("not a Sésame database: {0}")]
    NotSesame(String),
    /// SQLite's integrity check found damage.
    #[error("the file is damaged: {0}")]
    Damaged(String),
    /// A later version of Sésame wrote it (a migration unknown to this one).
    #[error("written by a later version of Sésame (migration {0})")]
    Newer(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for Refusal {
    fn from(e: sqlx::Error) -> Self {
        Refusal::Store(e.into())
    }
}

impl From<std::io::Error> for Refusal {
    fn from(e: std::io::Error) -> Self {
        Refusal::Store(io(e, Path::new("")))
    }
}

fn io(e: std::io::Error, path: &Path) -> StoreError {
    StoreError::from_io(&e, path).unwrap_or_else(|| {
        StoreError::Database(sqlx::Error::Io(std::io::Error::new(
            e.kind(),
            format!("{}: {e}", path.display()),
        )))
    })
}

/// The database file of a `sqlite:` URL (`sqlite://path?mode=rwc`), `None` for PostgreSQL.
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// `<file><suffix>` beside `file` (`sesame.db` → `sesame.db.lock`).
fn beside(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    file.with_file_name(name)
}

/// A temporary name beside `file`, unique to this process.
fn temporary(file: &Path) -> PathBuf {
    beside(file, &format!(".partial-{}", crate::new_id()))
}

/// The lock a server holds on its SQLite database while it runs (shared: several processes
/// may serve, none may restore meanwhile). Released when dropped, or when the process ends
/// however it ends (an `flock` dies with its process: no stale lock after a crash).
pub struct ServingLock {
    _file: std::fs::File,
}

impl ServingLock {
    /// Takes the lock for serving `db_file`; refused while a restore holds it.
    pub fn take(db_file: &Path) -> std::result::Result<Self, Refusal> {
        let file = open_lock(db_file)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(Self { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Refusal::InUse),
            Err(std::fs::TryLockError::Error(e)) => Err(io(e, &beside(db_file, ".lock")).into()),
        }
    }
}

fn open_lock(db_file: &Path) -> std::result::Result<std::fs::File, Refusal> {
    let path = beside(db_file, ".lock");
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Refusal::Store(io(e, &path)))
}

/// Writes a consistent copy of the store's SQLite database to `dest` (replacing it), while
/// others read and write.
pub async fn backup(store: &crate::Store, dest: &Path) -> Result<()> {
    let partial = temporary(dest);
    let path = partial.to_str().ok_or_else(|| {
        io(
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "not UTF-8"),
            dest,
        )
    })?;
    let mut conn = store.read().await?;
    let copied = sqlx::query("VACUUM INTO $1")
        .bind(path)
        .execute(&mut *conn)
        .await;
    drop(conn);
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(e.into());
    }
    let put = (|| {
        std::fs::File::open(&partial)?.sync_all()?;
        std::fs::rename(&partial, dest)?;
        sync_dir(dest)
    })();
    if let Err(e) = put {
        let _ = std::fs::remove_file(&partial);
        return Err(io(e, dest));
    }
    Ok(())
}

/// Makes a rename in `file`'s directory durable.
fn sync_dir(file: &Path) -> std::io::Result<()> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::File::open(dir)?.sync_all()
}

/// What a restore put in place.
#[derive(Debug)]
pub struct Restored {
    /// The last migration the backup had (this binary applies the later ones at its next start).
    pub version: i64,
    /// Where the database that was there is kept, if there was one.
    pub kept: Option<PathBuf>,
}

/// Puts the backup `source` in place of the SQLite database `db_file`: refused while a server
/// holds it, or when `source` is not a sound Sésame database of this version or an earlier
/// one. `source` itself is only read.
pub async fn restore(source: &Path, db_file: &Path) -> std::result::Result<Restored, Refusal> {
    let lock = open_lock(db_file)?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => return Err(Refusal::InUse),
        Err(std::fs::TryLockError::Error(e)) => return Err(io(e, &beside(db_file, ".lock")).into()),
    }
    let partial = temporary(db_file);
    std::fs::copy(source, &partial).map_err(|e| Refusal::Store(io(e, source)))?;
    let checked = check(&partial).await;
    let version = match checked {
        Ok(v) => v,
        Err(e) => {
            remove_with_journal(&partial);
            return Err(e);
        }
    };
    let kept = match put_in_place(&partial, db_file) {
        Ok(k) => k,
        Err(e) => {
            remove_with_journal(&partial);
            return Err(Refusal::Store(io(e, db_file)));
        }
    };
    drop(lock);
    Ok(Restored { version, kept })
}

fn remove_with_journal(file: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(beside(file, suffix));
    }
}

/// Checks the copy `file` (opened read-write: a backup in WAL mode needs its index) and leaves
/// it in rollback-journal mode, one file with nothing beside it; answers its last migration.
async fn check(file: &Path) -> std::result::Result<i64, Refusal> {
    let url = format!("sqlite://{}?mode=rw", file.display());
    let mut conn = sqlx::sqlite::SqliteConnectOptions::from_str(&url)?
        .disable_statement_logging()
        .connect()
        .await
        .map_err(|e| Refusal::NotSesame(e.to_string()))?;
    let result = async {
        let integrity: (String,) = sqlx::query_as("PRAGMA integrity_check(1)")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| Refusal::NotSesame(e.to_string()))?;
        if integrity.0 != "ok" {
            return Err(Refusal::Damaged(integrity.0));
        }
        let applied: Vec<(i64, bool)> =
            sqlx::query_as("SELECT version, success FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&mut conn)
                .await
                .map_err(|e| Refusal::NotSesame(e.to_string()))?;
        let known = crate::migrator();
        if let Some((v, _)) = applied
            .iter()
            .find(|(v, _)| !known.iter().any(|m| m.version == *v))
        {
            return Err(Refusal::Newer(*v));
        }
        let organisations: std::result::Result<(i64,), _> =
            sqlx::query_as("SELECT COUNT(*) FROM organisations")
                .fetch_one(&mut conn)
                .await;
        match (applied.last(), organisations) {
            (Some((v, true)), Ok(_)) => {
                conn.execute("PRAGMA journal_mode = DELETE").await?;
                Ok(*v)
            }
            (_, Err(e)) => Err(Refusal::NotSesame(e.to_string())),
            _ => Err(Refusal::NotSesame("_sqlx_migrations".into())),
        }
    }
    .await;
    let _ = conn.close().await;
    result
}

/// Renames `partial` to `db_file`, the database there (and its WAL) kept as
/// `<db_file>.before-restore`.
fn put_in_place(partial: &Path, db_file: &Path) -> std::io::Result<Option<PathBuf>> {
    std::fs::File::open(partial)?.sync_all()?;
    let kept = beside(db_file, ".before-restore");
    let had = db_file.exists();
    if had {
        remove_with_journal(&kept);
        std::fs::rename(db_file, &kept)?;
        let wal = beside(db_file, "-wal");
        if wal.exists() {
            std::fs::rename(&wal, beside(&kept, "-wal"))?;
        }
        // The WAL index is rebuilt from the WAL by whoever opens the file next.
        let _ = std::fs::remove_file(beside(db_file, "-shm"));
    }
    std::fs::rename(partial, db_file)?;
    sync_dir(db_file)?;
    Ok(had.then_some(kept))
}
