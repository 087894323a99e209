//! The one-time values of the forms that create something (see `sesame_app::once`): a value
//! claimed once; while its sending runs its place is NULL, then the place it went to.

use crate::{Conn, Result};
use sqlx::Row;

/// What a value's first sending became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This call claimed it: the sending goes ahead.
    Claimed,
    /// Another sending claimed it and still runs.
    Running,
    /// Another sending claimed it and went there.
    Done(String),
}

/// Claims `value` unless a sending already did (at `since` or later; an older claim is
/// forgotten first).
pub async fn claim(conn: &mut Conn, value: &str, now: i64, since: i64) -> Result<Claim> {
    sqlx::query("DELETE FROM form_once WHERE value = $1 AND created_at < $2")
        .bind(value)
        .bind(since)
        .execute(&mut *conn)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO form_once (value, place, created_at) VALUES ($1, NULL, $2) \
         ON CONFLICT (value) DO NOTHING",
    )
    .bind(value)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Claim::Claimed);
    }
    let row = sqlx::query("SELECT place FROM form_once WHERE value = $1")
        .bind(value)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        // Forgotten between the insert and the read: the next try claims it.
        None => Claim::Running,
        Some(r) => match r.try_get::<Option<String>, _>("place")? {
            None => Claim::Running,
            Some(place) => Claim::Done(place),
        },
    })
}

/// The sending of `value` went to `place`.
pub async fn done(conn: &mut Conn, value: &str, place: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE form_once SET place = $2, created_at = $3 WHERE value = $1")
        .bind(value)
        .bind(place)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The sending of `value` failed: the value may be sent again.
pub async fn forget(conn: &mut Conn, value: &str) -> Result<()> {
    sqlx::query("DELETE FROM form_once WHERE value = $1")
        .bind(value)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes every value claimed before `before`; how many.
pub async fn forget_before(conn: &mut Conn, before: i64) -> Result<u64> {
    let done = sqlx::query("DELETE FROM form_once WHERE created_at < $1")
        .bind(before)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}
