//! The files waiting between an import's preview and its confirmation, by the preview's id: one
//! per person, read only by the person who uploaded it. The caller says what "expired" means
//! (`since`: the oldest creation time still valid); rows before it are never returned, and
//! [`forget_before`] deletes them.

use crate::{Conn, Result};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sqlx::Row;

/// Keeps `content` under `id` for `user_id`, replacing any file that person had waiting.
pub async fn keep(
    conn: &mut Conn,
    org_id: &str,
    user_id: &str,
    id: &str,
    file_name: &str,
    content: &[u8],
    now: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM pending_uploads WHERE (org_id = $1 AND user_id = $2) OR id = $3")
        .bind(org_id)
        .bind(user_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO pending_uploads (id, org_id, user_id, file_name, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(org_id)
    .bind(user_id)
    .bind(file_name)
    .bind(STANDARD.encode(content))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether `user_id` has the file `id` waiting, created at `since` or later.
pub async fn has(
    conn: &mut Conn,
    org_id: &str,
    user_id: &str,
    id: &str,
    since: i64,
) -> Result<bool> {
    let row = sqlx::query(
        "SELECT 1 AS found FROM pending_uploads \
         WHERE id = $1 AND org_id = $2 AND user_id = $3 AND created_at >= $4",
    )
    .bind(id)
    .bind(org_id)
    .bind(user_id)
    .bind(since)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

/// Takes (reads and deletes) the file `id` of `user_id`, created at `since` or later: its name
/// and bytes. Of two transactions taking it at once, one gets it and the other `None`.
pub async fn take(
    conn: &mut Conn,
    org_id: &str,
    user_id: &str,
    id: &str,
    since: i64,
) -> Result<Option<(String, Vec<u8>)>> {
    let row = sqlx::query(
        "SELECT file_name, content FROM pending_uploads \
         WHERE id = $1 AND org_id = $2 AND user_id = $3 AND created_at >= $4",
    )
    .bind(id)
    .bind(org_id)
    .bind(user_id)
    .bind(since)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    // Whoever deletes the row took it: a concurrent taker deletes nothing.
    let deleted = sqlx::query("DELETE FROM pending_uploads WHERE id = $1 AND org_id = $2")
        .bind(id)
        .bind(org_id)
        .execute(&mut *conn)
        .await?;
    if deleted.rows_affected() != 1 {
        return Ok(None);
    }
    let file_name: String = row.try_get("file_name")?;
    let content: String = row.try_get("content")?;
    // Written by `keep` only; a row that does not decode is as good as gone.
    Ok(STANDARD
        .decode(content.as_bytes())
        .ok()
        .map(|bytes| (file_name, bytes)))
}

/// Deletes every file created before `before`, of every organisation; how many.
pub async fn forget_before(conn: &mut Conn, before: i64) -> Result<u64> {
    let done = sqlx::query("DELETE FROM pending_uploads WHERE created_at < $1")
        .bind(before)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}
