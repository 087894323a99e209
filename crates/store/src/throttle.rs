//! Counters of recent failed sign-ins, per account and per source address. Kept in the
//! database so that every instance sharing it sees the same counts.

use crate::{Conn, Result};
use sqlx::Row;

/// Failures recorded under `key` and when the last one happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: i64,
    pub last_at: i64,
}

/// The counters of `keys` that exist, in the same order (`None` when never failed), in one
/// query.
pub async fn get(conn: &mut Conn, keys: &[&str]) -> Result<Vec<Option<Failures>>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT key, failures, last_at FROM sign_in_failures WHERE key IN ({})",
        crate::placeholders(1, keys.len())
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for key in keys {
        q = q.bind(*key);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let mut out = vec![None; keys.len()];
    for r in &rows {
        let key: String = r.try_get("key")?;
        if let Some(i) = keys.iter().position(|k| *k == key) {
            out[i] = Some(Failures {
                count: r.try_get("failures")?,
                last_at: r.try_get("last_at")?,
            });
        }
    }
    Ok(out)
}

/// Counts one more failure under `key`, starting again from one when the previous failure is
/// older than `forget_before`; answers the new count.
pub async fn record(conn: &mut Conn, key: &str, now: i64, forget_before: i64) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO sign_in_failures (key, failures, last_at) VALUES ($1, 1, $2) \
         ON CONFLICT (key) DO UPDATE SET \
         failures = CASE WHEN sign_in_failures.last_at < $3 THEN 1 ELSE sign_in_failures.failures + 1 END, \
         last_at = $2 \
         RETURNING failures",
    )
    .bind(key)
    .bind(now)
    .bind(forget_before)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("failures")?)
}

/// Forgets the failures under `key` (after a successful sign-in to that account).
pub async fn clear(conn: &mut Conn, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
        .bind(key)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
