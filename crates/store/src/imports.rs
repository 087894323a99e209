//! Imports run through the API: their state, progress and results.

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
}

const COLUMNS: &str = "id, org_id, user_id, file_name, format, state, dry_run, rows_read, summary_json, faulty_json, created_at, finished_at";

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
    })
}

pub async fn insert(conn: &mut Conn, i: &ImportRow) -> Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO imports ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
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
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Progress while it runs.
pub async fn set_progress(conn: &mut Conn, id: &str, rows_read: i64) -> Result<()> {
    sqlx::query("UPDATE imports SET rows_read = $2 WHERE id = $1 AND state = 'running'")
        .bind(id)
        .bind(rows_read)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The end: `done` with its results, or `failed`.
pub async fn finish(
    conn: &mut Conn,
    id: &str,
    state: &str,
    rows_read: i64,
    summary_json: Option<&str>,
    faulty_json: Option<&str>,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE imports SET state = $2, rows_read = $3, summary_json = $4, faulty_json = $5, finished_at = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(state)
    .bind(rows_read)
    .bind(summary_json)
    .bind(faulty_json)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
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

/// Forgets the imports finished before `finished_before` (with their faulty rows: personal
/// data kept no longer than needed), and those still "running" since before `started_before`
/// (their instance stopped mid-way; nothing of them was written). Returns how many.
pub async fn forget_old(conn: &mut Conn, finished_before: i64, started_before: i64) -> Result<u64> {
    let done = sqlx::query(
        "DELETE FROM imports WHERE (finished_at IS NOT NULL AND finished_at < $1) \
         OR (state = 'running' AND created_at < $2)",
    )
    .bind(finished_before)
    .bind(started_before)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}
