//! Keys the server signs with, one per purpose, shared by every instance on the database.
//! Nothing here logs or exports them: the only way out is [`get_or_create`]'s answer.

use crate::{Conn, Result};
use sqlx::Row;

/// The key named `name`; when there is none yet, `fresh` becomes it. Two instances asking at
/// once both read the one that was written first.
pub async fn get_or_create(conn: &mut Conn, name: &str, fresh: &str, now: i64) -> Result<String> {
    sqlx::query(
        "INSERT INTO server_keys (name, secret, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(fresh)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let row = sqlx::query("SELECT secret FROM server_keys WHERE name = $1")
        .bind(name)
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get("secret")?)
}
