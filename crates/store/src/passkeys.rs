//! Passkeys (WebAuthn credentials) and the ceremonies in progress that register or use them.
//!
//! The serialised credential and ceremony state are opaque text here: `sesame_app::passkeys`
//! reads and writes them with webauthn-rs. A ceremony row is taken once ([`take_ceremony`]
//! deletes it as it reads it), so that two instances cannot both finish one.

use crate::{Conn, Result};
use sqlx::Row;

/// A registered passkey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyRow {
    pub id: String,
    pub org_id: String,
    pub user_id: String,
    /// base64url, no padding.
    pub credential_id: String,
    /// webauthn-rs's `Passkey`, as JSON (public key and flags; nothing secret).
    pub passkey: String,
    pub name: String,
    pub counter: i64,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

const COLUMNS: &str =
    "id, org_id, user_id, credential_id, passkey, name, counter, created_at, last_used_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<PasskeyRow> {
    Ok(PasskeyRow {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        user_id: r.try_get("user_id")?,
        credential_id: r.try_get("credential_id")?,
        passkey: r.try_get("passkey")?,
        name: r.try_get("name")?,
        counter: r.try_get("counter")?,
        created_at: r.try_get("created_at")?,
        last_used_at: r.try_get("last_used_at")?,
    })
}

/// Keeps a new passkey; a credential id already registered (to anyone) is `Taken("key")`.
pub async fn insert(conn: &mut Conn, p: &PasskeyRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO passkeys (id, org_id, user_id, credential_id, passkey, name, counter, created_at, last_used_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&p.id)
    .bind(&p.org_id)
    .bind(&p.user_id)
    .bind(&p.credential_id)
    .bind(&p.passkey)
    .bind(&p.name)
    .bind(p.counter)
    .bind(p.created_at)
    .bind(p.last_used_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A person's passkeys, oldest first.
pub async fn of_user(conn: &mut Conn, org_id: &str, user_id: &str) -> Result<Vec<PasskeyRow>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM passkeys WHERE org_id = $1 AND user_id = $2 ORDER BY created_at, id"
    )))
    .bind(org_id)
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// How many passkeys a person has.
pub async fn count(conn: &mut Conn, org_id: &str, user_id: &str) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM passkeys WHERE org_id = $1 AND user_id = $2")
        .bind(org_id)
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get("n")?)
}

/// The passkey with this credential id, whoever holds it.
pub async fn by_credential(conn: &mut Conn, credential_id: &str) -> Result<Option<PasskeyRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM passkeys WHERE credential_id = $1"
    )))
    .bind(credential_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Renames one of a person's passkeys; false when they have none with this id.
pub async fn rename(
    conn: &mut Conn,
    org_id: &str,
    user_id: &str,
    id: &str,
    name: &str,
) -> Result<bool> {
    let done =
        sqlx::query("UPDATE passkeys SET name = $4 WHERE org_id = $1 AND user_id = $2 AND id = $3")
            .bind(org_id)
            .bind(user_id)
            .bind(id)
            .bind(name)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes one of a person's passkeys; false when they have none with this id.
pub async fn remove(conn: &mut Conn, org_id: &str, user_id: &str, id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM passkeys WHERE org_id = $1 AND user_id = $2 AND id = $3")
        .bind(org_id)
        .bind(user_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes all of a person's passkeys; answers how many there were.
pub async fn remove_all(conn: &mut Conn, org_id: &str, user_id: &str) -> Result<u64> {
    let done = sqlx::query("DELETE FROM passkeys WHERE org_id = $1 AND user_id = $2")
        .bind(org_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// Records a use: the new counter and credential, only if the counter went forwards (or the
/// device keeps none: 0 then, as before). False means the counter went backwards or stood still
/// — a cloned device, or a race lost to another sign-in with the same assertion.
pub async fn record_use(
    conn: &mut Conn,
    id: &str,
    counter: i64,
    passkey: &str,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE passkeys SET counter = $2, passkey = $3, last_used_at = $4 \
         WHERE id = $1 AND (counter < $2 OR (counter = 0 AND $2 = 0))",
    )
    .bind(id)
    .bind(counter)
    .bind(passkey)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A ceremony in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ceremony {
    pub org_id: String,
    /// `register`, `sign_in` or `second_factor`.
    pub kind: String,
    pub user_id: Option<String>,
    /// webauthn-rs's state, as JSON (holds the challenge).
    pub state: String,
    pub expires_at: i64,
}

/// Keeps a ceremony under the hash of the id given to the browser, and forgets those expired
/// an hour ago or more.
pub async fn put_ceremony(conn: &mut Conn, id_hash: &str, c: &Ceremony, now: i64) -> Result<()> {
    sqlx::query("DELETE FROM passkey_ceremonies WHERE expires_at < $1")
        .bind(now - 3600 * 1000)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO passkey_ceremonies (id_hash, org_id, kind, user_id, state, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id_hash)
    .bind(&c.org_id)
    .bind(&c.kind)
    .bind(&c.user_id)
    .bind(&c.state)
    .bind(now)
    .bind(c.expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Takes the ceremony with this hash: deletes it and answers it (expired or not: the caller
/// refuses an expired one). `None` when there is none — never made, or already taken.
pub async fn take_ceremony(conn: &mut Conn, id_hash: &str) -> Result<Option<Ceremony>> {
    let row = sqlx::query(
        "DELETE FROM passkey_ceremonies WHERE id_hash = $1 \
         RETURNING org_id, kind, user_id, state, expires_at",
    )
    .bind(id_hash)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Ceremony {
            org_id: r.try_get("org_id")?,
            kind: r.try_get("kind")?,
            user_id: r.try_get("user_id")?,
            state: r.try_get("state")?,
            expires_at: r.try_get("expires_at")?,
        })
    })
    .transpose()
}
