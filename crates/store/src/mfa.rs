//! Two-factor sign-in: a person's TOTP authenticator and their recovery codes.

use crate::{Conn, Result};
use sqlx::Row;

/// A subquery that finds a row when the user `u` has two-factor sign-in: the store's one
/// definition of it: a confirmed authenticator app, or a passkey.
pub const HAS_TWO_FACTOR: &str = "SELECT 1 FROM totp tf WHERE tf.user_id = u.id AND tf.confirmed_at IS NOT NULL \
     UNION ALL SELECT 1 FROM passkeys pk WHERE pk.user_id = u.id";

#[derive(Clone, PartialEq, Eq)]
pub struct TotpRow {
    pub user_id: String,
    pub org_id: String,
    /// Base32 shared secret.
    pub secret: String,
    pub confirmed_at: Option<i64>,
    pub last_step: i64,
    pub created_at: i64,
}

impl std::fmt::Debug for TotpRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpRow")
            .field("user_id", &self.user_id)
            .field("secret", &"[REDACTED]")
            .field("confirmed_at", &self.confirmed_at)
            .field("last_step", &self.last_step)
            .finish_non_exhaustive()
    }
}

pub async fn totp_of(conn: &mut Conn, org_id: &str, user_id: &str) -> Result<Option<TotpRow>> {
    let row = sqlx::query(
        "SELECT user_id, org_id, secret, confirmed_at, last_step, created_at FROM totp WHERE org_id = $1 AND user_id = $2",
    )
    .bind(org_id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(TotpRow {
            user_id: r.try_get("user_id")?,
            org_id: r.try_get("org_id")?,
            secret: r.try_get("secret")?,
            confirmed_at: r.try_get("confirmed_at")?,
            last_step: r.try_get("last_step")?,
            created_at: r.try_get("created_at")?,
        })
    })
    .transpose()
}

/// Starts (or restarts) an enrolment: the new secret waits for its first code.
pub async fn put_pending(conn: &mut Conn, t: &TotpRow) -> Result<()> {
    sqlx::query("DELETE FROM totp WHERE org_id = $1 AND user_id = $2")
        .bind(&t.org_id)
        .bind(&t.user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO totp (user_id, org_id, secret, confirmed_at, last_step, created_at) VALUES ($1, $2, $3, NULL, $4, $5)",
    )
    .bind(&t.user_id)
    .bind(&t.org_id)
    .bind(&t.secret)
    .bind(t.last_step)
    .bind(t.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records that the code of `step` was used, only if no code of that step or a later one was:
/// false means a replay (or a race lost to another request with the same code).
pub async fn use_step(conn: &mut Conn, org_id: &str, user_id: &str, step: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE totp SET last_step = $3 WHERE org_id = $1 AND user_id = $2 AND last_step < $3",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(step)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn confirm(conn: &mut Conn, org_id: &str, user_id: &str, at: i64) -> Result<()> {
    sqlx::query("UPDATE totp SET confirmed_at = $3 WHERE org_id = $1 AND user_id = $2")
        .bind(org_id)
        .bind(user_id)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Removes the authenticator and the recovery codes; answers whether two-factor was on.
pub async fn remove(conn: &mut Conn, org_id: &str, user_id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM totp WHERE org_id = $1 AND user_id = $2")
        .bind(org_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE org_id = $1 AND user_id = $2")
        .bind(org_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Replaces a person's recovery codes with these hashes.
pub async fn replace_recovery_codes(
    conn: &mut Conn,
    org_id: &str,
    user_id: &str,
    hashes: &[String],
    at: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE org_id = $1 AND user_id = $2")
        .bind(org_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for h in hashes {
        sqlx::query(
            "INSERT INTO recovery_codes (user_id, org_id, code_hash, created_at, used_at) VALUES ($1, $2, $3, $4, NULL)",
        )
        .bind(user_id)
        .bind(org_id)
        .bind(h)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Uses the unused recovery code with this hash; false when there is none (wrong or used).
pub async fn use_recovery_code(
    conn: &mut Conn,
    org_id: &str,
    user_id: &str,
    hash: &str,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $4 WHERE org_id = $1 AND user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(hash)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn recovery_codes_left(conn: &mut Conn, org_id: &str, user_id: &str) -> Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM recovery_codes WHERE org_id = $1 AND user_id = $2 AND used_at IS NULL",
    )
    .bind(org_id)
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("n")?)
}
