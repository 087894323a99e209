//! E-mail signatures ("Signature courriel"): one per person, stored already sanitised by the
//! application.

use crate::{Conn, Result};
use sesame_core::policy::Allowed;
use sesame_core::policy::proof::WritesSignature;
use sqlx::Row;

/// The stored signature of `user_id`, if any.
pub async fn get(conn: &mut Conn, org_id: &str, user_id: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT body FROM signatures WHERE org_id = $1 AND user_id = $2")
        .bind(org_id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.try_get("body")).transpose()?)
}

/// Sets (or, with an empty `body`, removes) the signature of the person the proof names.
pub async fn set<A: WritesSignature>(
    conn: &mut Conn,
    proof: &Allowed<A>,
    body: &str,
    at: i64,
) -> Result<()> {
    let (org_id, user_id) = (proof.org_id(), proof.user_id());
    if body.is_empty() {
        sqlx::query("DELETE FROM signatures WHERE org_id = $1 AND user_id = $2")
            .bind(org_id)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO signatures (user_id, org_id, body, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id) DO UPDATE SET body = $3, updated_at = $4",
    )
    .bind(user_id)
    .bind(org_id)
    .bind(body)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
