//! Imports run through the API: their state, progress and results, and the lease that says
//! their instance is alive.
//!
//! A running import's instance renews its lease (`lease_until`) with its progress; an import
//! still `running` whose lease ran out was left by an instance that stopped, and
//! [`interrupt_stale`] marks it failed. The lease is in the database, not in a process, so that
//! every instance on one PostgreSQL judges alike and leaves the imports of live ones alone.

use crate::{Conn, Result};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub id: String,
    pub org_id: String,
    pub user_id: Option<String>,
    pub file_name: String,
    pub format: String,
    /// `running`, `done` or `failed`.
    pub state: String,
    pub dry_run: bool,
    pub rows_read: i64,
    pub summary_json: Option<String>,
    pub faulty_json: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    /// While running: until when its instance is known to be alive (Unix ms).
    pub lease_until: Option<i64>,
    /// Once failed: why, as a stable code (`import.interrupted`, `storage.full`, …).
    pub failure: Option<String>,
}

/// Why an import left by a stopped instance failed.
pub const INTERRUPTED: &str = "import.interrupted";

const COLUMNS: &str = "id, org_id, user_id, file_name, format, state, dry_run, rows_read, summary_json, faulty_json, created_at, finished_at, lease_until, failure";

fn from_row(r: &sqlx::any::AnyRow) -> Result<ImportRow> {
    Ok(ImportRow {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        user_id: r.try_get("user_id")?,
        file_name: r.try_get("file_name")?,
        format: r.try_get("format")?,
        state: r.try_get("state")?,
        dry_run: r.try_get::<i64, _>("dry_run")? != 0,
        rows_read: r.try_get("rows_read")?,
        summary_json: r.try_get("summary_json")?,
        faulty_json: r.try_get("faulty_json")?,
        created_at: r.try_get("created_at")?,
        finished_at: r.try_get("finished_at")?,
        lease_until: r.try_get("lease_until")?,
        failure: r.try_get("failure")?,
    })
}

pub async fn insert(conn: &mut Conn, i: &ImportRow) -> Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO imports ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    )))
    .bind(&i.id)
    .bind(&i.org_id)
    .bind(&i.user_id)
    .bind(&i.file_name)
    .bind(&i.format)
    .bind(&i.state)
    .bind(i64::from(i.dry_run))
    .bind(i.rows_read)
    .bind(&i.summary_json)
    .bind(&i.faulty_json)
    .bind(i.created_at)
    .bind(i.finished_at)
    .bind(i.lease_until)
    .bind(&i.failure)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Progress while it runs, and its lease renewed until `lease_until`.
pub async fn renew(conn: &mut Conn, id: &str, rows_read: i64, lease_until: i64) -> Result<()> {
    sqlx::query(
        "UPDATE imports SET rows_read = $2, lease_until = $3 WHERE id = $1 AND state = 'running'",
    )
    .bind(id)
    .bind(rows_read)
    .bind(lease_until)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// How an import ended.
#[derive(Debug, Clone, Copy)]
pub enum End<'a> {
    /// With its summary and, when rows were wrong, its faulty rows.
    Done {
        summary_json: &'a str,
        faulty_json: Option<&'a str>,
    },
    /// With the code of why.
    Failed(&'a str),
}

/// The end of an import: `done` with its results, or `failed` with why. Its own instance
/// writes it whatever the state read meanwhile: an instance that believed it stopped was
/// wrong, and what the import did is the truth.
pub async fn finish(
    conn: &mut Conn,
    id: &str,
    rows_read: i64,
    end: End<'_>,
    at: i64,
) -> Result<()> {
    let (state, summary, faulty, failure) = match end {
        End::Done {
            summary_json,
            faulty_json,
        } => ("done", Some(summary_json), faulty_json, None),
        End::Failed(code) => ("failed", None, None, Some(code)),
    };
    sqlx::query(
        "UPDATE imports SET state = $2, rows_read = $3, summary_json = $4, faulty_json = $5, \
         finished_at = $6, failure = $7, lease_until = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(state)
    .bind(rows_read)
    .bind(summary)
    .bind(faulty)
    .bind(at)
    .bind(failure)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Marks failed, as [`INTERRUPTED`], the imports still running whose lease ran out before
/// `now` (a lease never renewed counts from the import's start, `lease_ms` long), except
/// `alive`: the imports of the calling instance, which it knows are running. Answers those
/// marked (`org_id`, `id`, file name).
pub async fn interrupt_stale(
    conn: &mut Conn,
    now: i64,
    lease_ms: i64,
    alive: &[String],
) -> Result<Vec<(String, String, String)>> {
    let mut sql = crate::Sql::new(
        "UPDATE imports SET state = 'failed', failure = $1".into(),
        crate::Arg::Text(INTERRUPTED.into()),
    );
    sql.push(
        ", finished_at = $?, lease_until = NULL",
        crate::Arg::Int(now),
    );
    sql.push(
        " WHERE state = 'running' AND COALESCE(lease_until, created_at + $?)",
        crate::Arg::Int(lease_ms),
    );
    sql.push(" < $?", crate::Arg::Int(now));
    if !alive.is_empty() {
        sql.push_in(" AND id NOT IN ($in)", alive);
    }
    sql.push_str(" RETURNING org_id, id, file_name");
    sql.fetch_all(conn)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("org_id")?,
                r.try_get("id")?,
                r.try_get("file_name")?,
            ))
        })
        .collect()
}

pub async fn get(conn: &mut Conn, org_id: &str, id: &str) -> Result<Option<ImportRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM imports WHERE org_id = $1 AND id = $2"
    )))
    .bind(org_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Forgets the imports finished before `finished_before`, with their faulty rows: personal
/// data kept no longer than needed (an interrupted one ended when it was marked). Returns how
/// many.
pub async fn forget_old(conn: &mut Conn, finished_before: i64) -> Result<u64> {
    let done =
        sqlx::query("DELETE FROM imports WHERE finished_at IS NOT NULL AND finished_at < $1")
            .bind(finished_before)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected())
}
