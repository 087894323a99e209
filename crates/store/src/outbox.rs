//! The outbox: messages waiting to be delivered, taken by one worker at a time.
//!
//! A worker claims due rows for a lease (`claimed_until`); a crashed worker's rows become
//! claimable again when the lease runs out. On PostgreSQL, workers of several instances skip
//! each other's rows (`FOR UPDATE SKIP LOCKED`); on SQLite the claim runs under the database's
//! single write lock (`BEGIN IMMEDIATE`).

use crate::{Backend, Conn, Result, Store, StoreError, placeholders};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: String,
    pub org_id: String,
    pub kind: String,
    pub user_id: Option<String>,
    pub recipient: String,
    pub language: String,
    pub params_json: String,
    /// `queued`, `sent` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub claimed_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

const COLUMNS: &str = "id, org_id, kind, user_id, recipient, language, params_json, state, attempts, next_attempt_at, claimed_until, last_error, created_at, sent_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<OutboxRow> {
    Ok(OutboxRow {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        kind: r.try_get("kind")?,
        user_id: r.try_get("user_id")?,
        recipient: r.try_get("recipient")?,
        language: r.try_get("language")?,
        params_json: r.try_get("params_json")?,
        state: r.try_get("state")?,
        attempts: r.try_get::<i64, _>("attempts")?,
        next_attempt_at: r.try_get("next_attempt_at")?,
        claimed_until: r.try_get("claimed_until")?,
        last_error: r.try_get("last_error")?,
        created_at: r.try_get("created_at")?,
        sent_at: r.try_get("sent_at")?,
    })
}

/// Queues a message (inside the caller's transaction).
pub async fn enqueue(conn: &mut Conn, m: &OutboxRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO outbox (id, org_id, kind, user_id, recipient, language, params_json, state, attempts, next_attempt_at, claimed_until, last_error, created_at, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', 0, $8, NULL, NULL, $9, NULL)",
    )
    .bind(&m.id)
    .bind(&m.org_id)
    .bind(&m.kind)
    .bind(&m.user_id)
    .bind(&m.recipient)
    .bind(&m.language)
    .bind(&m.params_json)
    .bind(m.next_attempt_at)
    .bind(m.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Queues many messages in multi-row statements (inside the caller's transaction).
pub async fn enqueue_all(conn: &mut Conn, backend: Backend, rows: &[OutboxRow]) -> Result<()> {
    use crate::bulk::Value::{Int, Text};
    let values: Vec<Vec<crate::bulk::Value>> = rows
        .iter()
        .map(|m| {
            vec![
                Text(Some(m.id.clone())),
                Text(Some(m.org_id.clone())),
                Text(Some(m.kind.clone())),
                Text(m.user_id.clone()),
                Text(Some(m.recipient.clone())),
                Text(Some(m.language.clone())),
                Text(Some(m.params_json.clone())),
                Text(Some("queued".into())),
                Int(Some(0)),
                Int(Some(m.next_attempt_at)),
                Int(Some(m.created_at)),
            ]
        })
        .collect();
    crate::bulk::insert(
        conn,
        backend,
        "outbox",
        &[
            "id",
            "org_id",
            "kind",
            "user_id",
            "recipient",
            "language",
            "params_json",
            "state",
            "attempts",
            "next_attempt_at",
            "created_at",
        ],
        &values,
    )
    .await
}

/// Takes up to `limit` due messages for `lease_ms`, oldest due first.
pub async fn claim_due(
    store: &Store,
    now: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<OutboxRow>> {
    let lock = match store.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let mut tx = store.begin().await?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM outbox WHERE state = 'queued' AND next_attempt_at <= $1 \
         AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY next_attempt_at, id LIMIT $2{lock}"
    )))
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    let mut claimed: Vec<OutboxRow> = rows.iter().map(from_row).collect::<Result<_>>()?;
    if !claimed.is_empty() {
        let sql = format!(
            "UPDATE outbox SET claimed_until = $1 WHERE id IN ({})",
            placeholders(2, claimed.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now + lease_ms);
        for m in &claimed {
            q = q.bind(&m.id);
        }
        q.execute(&mut *tx).await?;
        for m in &mut claimed {
            m.claimed_until = Some(now + lease_ms);
        }
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(claimed)
}

/// Delivered.
pub async fn mark_sent(conn: &mut Conn, id: &str, at: i64) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET state = 'sent', sent_at = $2, attempts = attempts + 1, claimed_until = NULL, last_error = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Many delivered at once: one statement per 500.
pub async fn mark_all_sent(conn: &mut Conn, ids: &[String], at: i64) -> Result<()> {
    for chunk in ids.chunks(crate::bulk::BATCH_ROWS) {
        let sql = format!(
            "UPDATE outbox SET state = 'sent', sent_at = $1, attempts = attempts + 1, claimed_until = NULL, \
             last_error = NULL WHERE id IN ({})",
            placeholders(2, chunk.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(at);
        for id in chunk {
            q = q.bind(id);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Not delivered this time: try again at `retry_at`, or never (`None`: failed for good).
pub async fn mark_attempt_failed(
    conn: &mut Conn,
    id: &str,
    error: &str,
    retry_at: Option<i64>,
) -> Result<()> {
    let (state, next) = match retry_at {
        Some(t) => ("queued", Some(t)),
        None => ("failed", None),
    };
    sqlx::query(
        "UPDATE outbox SET state = $2, attempts = attempts + 1, next_attempt_at = COALESCE($3, next_attempt_at), \
         claimed_until = NULL, last_error = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(state)
    .bind(next)
    .bind(error)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Queues a message again (an administrator's "resend"), its retry schedule from the start; false when there is no such message.
pub async fn requeue(conn: &mut Conn, org_id: &str, id: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = $3, claimed_until = NULL WHERE org_id = $1 AND id = $2",
    )
    .bind(org_id)
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn get(conn: &mut Conn, org_id: &str, id: &str) -> Result<Option<OutboxRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM outbox WHERE org_id = $1 AND id = $2"
    )))
    .bind(org_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// An organisation's messages, newest first, `limit` at a time from before `before` (an id).
pub async fn list(
    conn: &mut Conn,
    org_id: &str,
    state: Option<&str>,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<OutboxRow>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM outbox WHERE org_id = $1 AND ($2 = '' OR state = $2) \
         AND ($3 = '' OR id < $3) ORDER BY id DESC LIMIT $4"
    )))
    .bind(org_id)
    .bind(state.unwrap_or(""))
    .bind(before.unwrap_or(""))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// The messages of every organisation by state, and when the oldest still queued was queued:
/// what `/metrics` reports, read from the database at each scrape so that every instance on
/// one PostgreSQL reports the same figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Census {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    /// `created_at` of the oldest queued message (Unix ms), when one waits.
    pub oldest_queued_at: Option<i64>,
}

/// [`Census`], in one statement (the `outbox_due` index starts with the state).
pub async fn census(conn: &mut Conn) -> Result<Census> {
    let rows = sqlx::query(
        "SELECT state, COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox GROUP BY state",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut census = Census::default();
    for r in &rows {
        let state: String = r.try_get("state")?;
        let n: i64 = r.try_get("n")?;
        match state.as_str() {
            "queued" => {
                census.queued = n;
                census.oldest_queued_at = r.try_get("oldest")?;
            }
            "sent" => census.sent = n,
            "failed" => census.failed = n,
            _ => {}
        }
    }
    Ok(census)
}

/// A deleted person's messages: those still queued fail, and none keeps their address or what
/// it said of them (the state and dates stay, for the record).
pub async fn forget_user(conn: &mut Conn, org_id: &str, user_id: &str) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET state = CASE WHEN state = 'queued' THEN 'failed' ELSE state END, \
         last_error = CASE WHEN state = 'queued' THEN 'the person was deleted' ELSE last_error END, \
         recipient = '', params_json = '{}', claimed_until = NULL WHERE org_id = $1 AND user_id = $2",
    )
    .bind(org_id)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
