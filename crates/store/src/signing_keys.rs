//! The OpenID Connect provider's signing keys (`signing_keys`), server-wide. Per algorithm: one
//! `current` key, one `next`, and `retired` ones (two unique indexes hold "one current, one
//! next"). The private key is read by one function only, [`private_pem`], for signing; every
//! other answer carries the public JWK alone.

use crate::{Conn, Result};
use sqlx::Row;

/// A key as it may be shown: no private material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    pub kid: String,
    /// `RS256` or `EdDSA`.
    pub alg: String,
    /// `next`, `current` or `retired`.
    pub state: String,
    /// The public key as a JWK (JSON text).
    pub public_jwk: String,
    pub created_at: i64,
    pub activated_at: Option<i64>,
    pub retired_at: Option<i64>,
}

/// A key to write.
pub struct NewKey<'a> {
    pub kid: &'a str,
    pub alg: &'a str,
    /// `next` or `current`.
    pub state: &'a str,
    pub private_pem: &'a str,
    pub public_jwk: &'a str,
    pub now: i64,
}

impl std::fmt::Debug for NewKey<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the private key.
        f.debug_struct("NewKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

const INFO: &str = "SELECT kid, alg, state, public_jwk, created_at, activated_at, retired_at \
                    FROM signing_keys";

fn info(r: &sqlx::any::AnyRow) -> Result<KeyInfo> {
    Ok(KeyInfo {
        kid: r.try_get("kid")?,
        alg: r.try_get("alg")?,
        state: r.try_get("state")?,
        public_jwk: r.try_get("public_jwk")?,
        created_at: r.try_get("created_at")?,
        activated_at: r.try_get("activated_at")?,
        retired_at: r.try_get("retired_at")?,
    })
}

/// Writes `key` unless its algorithm already has a key in that state (or the kid exists):
/// whether it was written. A `current` key is written active from `now`.
pub async fn insert(conn: &mut Conn, key: &NewKey<'_>) -> Result<bool> {
    let activated = (key.state == "current").then_some(key.now);
    let done = sqlx::query(
        "INSERT INTO signing_keys \
         (kid, alg, state, private_pem, public_jwk, created_at, activated_at, retired_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) ON CONFLICT DO NOTHING",
    )
    .bind(key.kid)
    .bind(key.alg)
    .bind(key.state)
    .bind(key.private_pem)
    .bind(key.public_jwk)
    .bind(key.now)
    .bind(activated)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The kid of `alg`'s current key: the one read made for every signature.
pub async fn current_kid(conn: &mut Conn, alg: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT kid FROM signing_keys WHERE alg = $1 AND state = 'current'")
        .bind(alg)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        Some(r) => Some(r.try_get("kid")?),
        None => None,
    })
}

/// The key of `alg` in `state` (`current` or `next`).
pub async fn in_state(conn: &mut Conn, alg: &str, state: &str) -> Result<Option<KeyInfo>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{INFO} WHERE alg = $1 AND state = $2"
    )))
    .bind(alg)
    .bind(state)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(info).transpose()
}

/// The private key of `kid` (PKCS#8 PEM) and its algorithm, to sign with. Nothing else
/// reads this column.
pub async fn private_pem(conn: &mut Conn, kid: &str) -> Result<Option<(String, String)>> {
    let row = sqlx::query("SELECT alg, private_pem FROM signing_keys WHERE kid = $1")
        .bind(kid)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        Some(r) => Some((r.try_get("alg")?, r.try_get("private_pem")?)),
        None => None,
    })
}

/// The key `kid`, whatever its state.
pub async fn by_kid(conn: &mut Conn, kid: &str) -> Result<Option<KeyInfo>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{INFO} WHERE kid = $1")))
        .bind(kid)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(info).transpose()
}

/// Every key, oldest first.
pub async fn list(conn: &mut Conn) -> Result<Vec<KeyInfo>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{INFO} ORDER BY created_at, kid"
    )))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(info).collect()
}

/// The keys to publish: `next`, `current`, and those retired at `retired_since` or later.
pub async fn published(conn: &mut Conn, retired_since: i64) -> Result<Vec<KeyInfo>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{INFO} WHERE state <> 'retired' OR retired_at >= $1 ORDER BY created_at, kid"
    )))
    .bind(retired_since)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(info).collect()
}

/// Retires `kid` if it is still `alg`'s current key: whether it was (another instance may
/// have rotated first).
pub async fn retire(conn: &mut Conn, alg: &str, kid: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE signing_keys SET state = 'retired', retired_at = $3 \
         WHERE alg = $1 AND kid = $2 AND state = 'current'",
    )
    .bind(alg)
    .bind(kid)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes `alg`'s next key current from `now`: its kid, or `None` when it has no next key.
pub async fn promote_next(conn: &mut Conn, alg: &str, now: i64) -> Result<Option<String>> {
    let row = sqlx::query(
        "UPDATE signing_keys SET state = 'current', activated_at = $2 \
         WHERE alg = $1 AND state = 'next' RETURNING kid",
    )
    .bind(alg)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some(r) => Some(r.try_get("kid")?),
        None => None,
    })
}

/// Deletes the keys retired before `before`: how many.
pub async fn delete_retired_before(conn: &mut Conn, before: i64) -> Result<u64> {
    let done = sqlx::query("DELETE FROM signing_keys WHERE state = 'retired' AND retired_at < $1")
        .bind(before)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}
