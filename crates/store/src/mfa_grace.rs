//! The grace period of people newly required to use two-factor (migration 0023): their
//! deadline, and the reminders already queued for it.

use crate::{Conn, Result};
use sqlx::Row;
use std::collections::HashSet;

/// Someone's grace period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraceRow {
    pub user_id: String,
    pub org_id: String,
    pub started_at: i64,
    pub deadline: i64,
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<GraceRow> {
    Ok(GraceRow {
        user_id: r.try_get("user_id")?,
        org_id: r.try_get("org_id")?,
        started_at: r.try_get("started_at")?,
        deadline: r.try_get("deadline")?,
    })
}

/// Ids of the people of `org_id` (not deleted) who hold a role requiring two-factor.
pub async fn required_users(conn: &mut Conn, org_id: &str) -> Result<HashSet<String>> {
    let rows = sqlx::query(
        "SELECT DISTINCT ra.user_id FROM role_assignments ra JOIN roles r ON r.id = ra.role_id \
         JOIN users u ON u.id = ra.user_id \
         WHERE ra.org_id = $1 AND r.requires_mfa = 1 AND u.status <> 'deleted'",
    )
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok(r.try_get::<String, _>("user_id")?))
        .collect()
}

pub async fn get(conn: &mut Conn, org_id: &str, user_id: &str) -> Result<Option<GraceRow>> {
    let row = sqlx::query(
        "SELECT user_id, org_id, started_at, deadline FROM mfa_grace WHERE org_id = $1 AND user_id = $2",
    )
    .bind(org_id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Starts (or starts again) someone's grace period.
pub async fn start(conn: &mut Conn, g: &GraceRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO mfa_grace (user_id, org_id, started_at, deadline) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id) DO UPDATE SET org_id = $2, started_at = $3, deadline = $4",
    )
    .bind(&g.user_id)
    .bind(&g.org_id)
    .bind(g.started_at)
    .bind(g.deadline)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Moves someone's deadline; false when they have no grace period.
pub async fn set_deadline(
    conn: &mut Conn,
    org_id: &str,
    user_id: &str,
    deadline: i64,
) -> Result<bool> {
    let done = sqlx::query("UPDATE mfa_grace SET deadline = $3 WHERE org_id = $1 AND user_id = $2")
        .bind(org_id)
        .bind(user_id)
        .bind(deadline)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Ends someone's grace period (they enrolled, or were deleted).
pub async fn clear(conn: &mut Conn, org_id: &str, user_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM mfa_grace WHERE org_id = $1 AND user_id = $2")
        .bind(org_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The grace periods still running at `now` (started, deadline to come), every organisation,
/// of active people: those a reminder may be owed to.
pub async fn running(conn: &mut Conn, now: i64) -> Result<Vec<GraceRow>> {
    let rows = sqlx::query(
        "SELECT g.user_id, g.org_id, g.started_at, g.deadline FROM mfa_grace g \
         JOIN users u ON u.id = g.user_id AND u.org_id = g.org_id \
         WHERE g.started_at <= $1 AND g.deadline > $1 AND u.status = 'active' \
         ORDER BY g.org_id, g.deadline",
    )
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Notes that the reminder `stage` about `due` was queued for `user_id`; false when it already
/// was (by this instance or another: the primary key decides, inside the caller's transaction).
pub async fn note_reminder(
    conn: &mut Conn,
    user_id: &str,
    stage: &str,
    due: i64,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO mfa_grace_reminders (user_id, stage, due, queued_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, stage, due) DO NOTHING",
    )
    .bind(user_id)
    .bind(stage)
    .bind(due)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Of these people, those with two-factor sign-in (an authenticator app or a passkey), and the
/// deadline of each one's grace period if they have one: one statement per 500 people, each
/// person looked up by index (not every enrolled person of the organisation read for one).
pub async fn second_factors_of(
    conn: &mut Conn,
    org_id: &str,
    user_ids: &[String],
) -> Result<Vec<SecondFactorState>> {
    let mut out = Vec::with_capacity(user_ids.len());
    for chunk in user_ids.chunks(500) {
        let sql = format!(
            "SELECT u.id, u.org_id, CASE WHEN EXISTS ({}) THEN 1 ELSE 0 END AS enabled, \
             (SELECT g.deadline FROM mfa_grace g WHERE g.user_id = u.id AND g.org_id = $1) AS deadline \
             FROM users u WHERE u.id IN ({})",
            crate::mfa::HAS_TWO_FACTOR,
            crate::placeholders(2, chunk.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org_id);
        for id in chunk {
            q = q.bind(id);
        }
        for r in q.fetch_all(&mut *conn).await? {
            // The organisation is checked here, not in the statement: with `u.org_id = $1`
            // there, SQLite walked the index of the organisation's users (every one of them)
            // to find these few, instead of looking each up by its id.
            if r.try_get::<String, _>("org_id")? != org_id {
                continue;
            }
            out.push(SecondFactorState {
                user_id: r.try_get("id")?,
                enabled: r.try_get::<i64, _>("enabled")? != 0,
                grace_deadline: r.try_get("deadline")?,
            });
        }
    }
    Ok(out)
}

/// One person's two-factor, as [`second_factors_of`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondFactorState {
    pub user_id: String,
    /// An authenticator app confirmed, or a passkey.
    pub enabled: bool,
    /// The end of their grace period, if one was started.
    pub grace_deadline: Option<i64>,
}
