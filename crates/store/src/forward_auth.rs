//! The state of forward authentication (migration 0022): the single-use codes that carry a
//! sign-in to an application's host, and the host cookies they become. Every secret is found
//! by its SHA-256; none is stored. Each row names the Sésame session it came from, and is
//! read with it: a row whose session ended opens nothing.

use crate::{Conn, Result};
use sqlx::Row;

/// What a code or a host cookie stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub org_id: String,
    pub app_id: String,
    pub user_id: String,
    pub session_id: String,
    /// `host` or `host:port`, lowercase.
    pub host: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// A grant read with what it hangs on.
#[derive(Debug, Clone)]
pub struct Found {
    pub grant: Grant,
    /// The Sésame session is over (revoked, past its end, or gone).
    pub session_ended: bool,
    /// When the Sésame session ends, if it has an end.
    pub session_expires_at: Option<i64>,
    /// The person's status (`active`, `disabled`, …).
    pub user_status: String,
}

impl Found {
    /// Whether it opens anything at `now`: not expired, its session and person alive.
    pub fn live(&self, now: i64) -> bool {
        self.grant.expires_at > now
            && !self.session_ended
            && self.session_expires_at.is_none_or(|e| e > now)
            && self.user_status == "active"
    }
}

/// The two tables, alike but for their secret's column.
#[derive(Clone, Copy)]
enum Table {
    Codes,
    Sessions,
}

impl Table {
    fn insert_sql(self) -> &'static str {
        match self {
            Table::Codes => {
                "INSERT INTO forward_auth_codes (code_hash, org_id, app_id, user_id, session_id, host, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            }
            Table::Sessions => {
                "INSERT INTO forward_auth_sessions (token_hash, org_id, app_id, user_id, session_id, host, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            }
        }
    }

    fn find_sql(self) -> &'static str {
        match self {
            Table::Codes => {
                "SELECT f.org_id, f.app_id, f.user_id, f.session_id, f.host, f.created_at, f.expires_at, \
                 s.id AS s_id, s.revoked_at AS s_revoked_at, s.expires_at AS s_expires_at, u.status \
                 FROM forward_auth_codes f JOIN users u ON u.id = f.user_id LEFT JOIN tokens s ON s.id = f.session_id \
                 WHERE f.code_hash = $1"
            }
            Table::Sessions => {
                "SELECT f.org_id, f.app_id, f.user_id, f.session_id, f.host, f.created_at, f.expires_at, \
                 s.id AS s_id, s.revoked_at AS s_revoked_at, s.expires_at AS s_expires_at, u.status \
                 FROM forward_auth_sessions f JOIN users u ON u.id = f.user_id LEFT JOIN tokens s ON s.id = f.session_id \
                 WHERE f.token_hash = $1"
            }
        }
    }
}

async fn insert(conn: &mut Conn, table: Table, hash: &str, g: &Grant) -> Result<()> {
    sqlx::query(table.insert_sql())
        .bind(hash)
        .bind(&g.org_id)
        .bind(&g.app_id)
        .bind(&g.user_id)
        .bind(&g.session_id)
        .bind(&g.host)
        .bind(g.created_at)
        .bind(g.expires_at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Reads one row of `table` with its session and person.
async fn find(conn: &mut Conn, table: Table, hash: &str) -> Result<Option<Found>> {
    let Some(r) = sqlx::query(table.find_sql())
        .bind(hash)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(Found {
        grant: Grant {
            org_id: r.try_get("org_id")?,
            app_id: r.try_get("app_id")?,
            user_id: r.try_get("user_id")?,
            session_id: r.try_get("session_id")?,
            host: r.try_get("host")?,
            created_at: r.try_get("created_at")?,
            expires_at: r.try_get("expires_at")?,
        },
        session_ended: r.try_get::<Option<i64>, _>("s_revoked_at")?.is_some()
            || r.try_get::<Option<String>, _>("s_id")?.is_none(),
        session_expires_at: r.try_get("s_expires_at")?,
        user_status: r.try_get("status")?,
    }))
}

pub async fn insert_code(conn: &mut Conn, code_hash: &str, g: &Grant) -> Result<()> {
    insert(conn, Table::Codes, code_hash, g).await
}

/// Spends the code with this hash: the first caller gets it, every later one (whichever
/// instance it asks) gets `None`, as does an unknown code.
pub async fn take_code(conn: &mut Conn, code_hash: &str, now: i64) -> Result<Option<Found>> {
    let spent = sqlx::query(
        "UPDATE forward_auth_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL",
    )
    .bind(code_hash)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if spent.rows_affected() == 0 {
        return Ok(None);
    }
    find(conn, Table::Codes, code_hash).await
}

pub async fn insert_session(conn: &mut Conn, token_hash: &str, g: &Grant) -> Result<()> {
    insert(conn, Table::Sessions, token_hash, g).await
}

/// The host cookie with this hash, in one query: the reverse proxy asks it on every request.
pub async fn find_session(conn: &mut Conn, token_hash: &str) -> Result<Option<Found>> {
    find(conn, Table::Sessions, token_hash).await
}

/// Forgets a host cookie (signed out of that application).
pub async fn delete_session(conn: &mut Conn, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM forward_auth_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes the codes and host cookies past their end.
pub async fn sweep(conn: &mut Conn, now: i64) -> Result<()> {
    sqlx::query("DELETE FROM forward_auth_codes WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM forward_auth_sessions WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
