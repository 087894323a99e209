//! Tickets of the web sign-in's code step (see `sesame_app::auth::sign_in::begin`).

use crate::{Conn, Result};
use sqlx::Row;

/// A live ticket: whose, in which organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub id: String,
    pub org_id: String,
    pub user_id: String,
}

/// Keeps a new ticket, and forgets those expired a day ago or more.
pub async fn insert(
    conn: &mut Conn,
    step: &Step,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM sign_in_steps WHERE expires_at < $1")
        .bind(now - 24 * 3600 * 1000)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO sign_in_steps (id, token_hash, org_id, user_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&step.id)
    .bind(token_hash)
    .bind(&step.org_id)
    .bind(&step.user_id)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The unused, unexpired ticket with this hash.
pub async fn live(conn: &mut Conn, token_hash: &str, now: i64) -> Result<Option<Step>> {
    let row = sqlx::query(
        "SELECT id, org_id, user_id FROM sign_in_steps \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Step {
            id: r.try_get("id")?,
            org_id: r.try_get("org_id")?,
            user_id: r.try_get("user_id")?,
        })
    })
    .transpose()
}

/// Spends a ticket; false when it was already spent (two code pages sent at once).
pub async fn spend(conn: &mut Conn, id: &str, now: i64) -> Result<bool> {
    let done =
        sqlx::query("UPDATE sign_in_steps SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() == 1)
}
