//! The e-mails an administrator sent one at a time to each address, within the last hour: what
//! the per-recipient limit counts. In the database, so that every instance counts the same
//! sends; rows older than the window are forgotten at each send.
//!
//! Two instances counting for one address at once must not both see room for one more: on
//! PostgreSQL [`hold`] takes a transaction-scoped advisory lock named after the address; on
//! SQLite the write transaction (`BEGIN IMMEDIATE`) already holds the only write lock.

use crate::{Conn, Result};
use sqlx::Row;

/// Until the caller's transaction ends, no other transaction counts sends to `recipient`.
pub async fn hold(conn: &mut Conn, org_id: &str, recipient: &str) -> Result<()> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT 1 AS held FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS l")
            .bind(format!("recipient:{org_id}:{recipient}"))
            .fetch_one(&mut *conn)
            .await?;
    }
    Ok(())
}

/// When each send to `recipient` since `since` happened, oldest first.
pub async fn since(conn: &mut Conn, org_id: &str, recipient: &str, since: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT sent_at FROM recipient_sends WHERE org_id = $1 AND recipient = $2 AND sent_at >= $3 \
         ORDER BY sent_at",
    )
    .bind(org_id)
    .bind(recipient)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok(r.try_get::<i64, _>("sent_at")?))
        .collect()
}

/// Counts one send (and forgets those before `forget_before`, of every address).
pub async fn record(
    conn: &mut Conn,
    org_id: &str,
    recipient: &str,
    kind: &str,
    message_id: &str,
    at: i64,
    forget_before: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM recipient_sends WHERE sent_at < $1")
        .bind(forget_before)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO recipient_sends (id, org_id, recipient, kind, message_id, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(crate::new_id())
    .bind(org_id)
    .bind(recipient)
    .bind(kind)
    .bind(message_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The addresses of `org_id` sent at least `at_least` e-mails since `since`, with when each of
/// those sends happened (oldest first), by address.
pub async fn busiest(
    conn: &mut Conn,
    org_id: &str,
    since: i64,
    at_least: i64,
) -> Result<Vec<(String, Vec<i64>)>> {
    let rows = sqlx::query(
        "SELECT s.recipient, s.sent_at FROM recipient_sends s WHERE s.org_id = $1 AND s.sent_at >= $2 \
         AND s.recipient IN (SELECT recipient FROM recipient_sends WHERE org_id = $1 AND sent_at >= $2 \
         GROUP BY recipient HAVING COUNT(*) >= $3) ORDER BY s.recipient, s.sent_at",
    )
    .bind(org_id)
    .bind(since)
    .bind(at_least)
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<(String, Vec<i64>)> = Vec::new();
    for r in &rows {
        let recipient: String = r.try_get("recipient")?;
        let at: i64 = r.try_get("sent_at")?;
        match out.last_mut() {
            Some((last, times)) if *last == recipient => times.push(at),
            _ => out.push((recipient, vec![at])),
        }
    }
    Ok(out)
}
