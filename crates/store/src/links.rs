//! Single-use links (invitation, password reset, e-mail change), found by the SHA-256 of their
//! secret. A new link of a kind for a person cancels the previous one.

use crate::{Conn, Result};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    pub id: String,
    pub org_id: String,
    pub user_id: String,
    /// `invitation`, `password_reset` or `email_change`.
    pub kind: String,
    pub new_email: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub cancelled_at: Option<i64>,
}

const COLUMNS: &str =
    "id, org_id, user_id, kind, new_email, created_at, expires_at, used_at, cancelled_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<LinkRow> {
    Ok(LinkRow {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        user_id: r.try_get("user_id")?,
        kind: r.try_get("kind")?,
        new_email: r.try_get("new_email")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        used_at: r.try_get("used_at")?,
        cancelled_at: r.try_get("cancelled_at")?,
    })
}

/// Stores a new link, cancelling the person's earlier live links of the same kind.
pub async fn replace(conn: &mut Conn, link: &LinkRow, token_hash: &str) -> Result<()> {
    sqlx::query(
        "UPDATE link_tokens SET cancelled_at = $4 WHERE org_id = $1 AND user_id = $2 AND kind = $3 \
         AND used_at IS NULL AND cancelled_at IS NULL",
    )
    .bind(&link.org_id)
    .bind(&link.user_id)
    .bind(&link.kind)
    .bind(link.created_at)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO link_tokens (id, token_hash, org_id, user_id, kind, new_email, created_at, expires_at, used_at, cancelled_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL)",
    )
    .bind(&link.id)
    .bind(token_hash)
    .bind(&link.org_id)
    .bind(&link.user_id)
    .bind(&link.kind)
    .bind(&link.new_email)
    .bind(link.created_at)
    .bind(link.expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Stores many new links (with their hashes) at once, cancelling each person's earlier live
/// links of the same kind; of two new links for the same person and kind, the later wins.
pub async fn replace_all(
    conn: &mut Conn,
    backend: crate::Backend,
    links: &[(LinkRow, String)],
) -> Result<()> {
    use std::collections::{BTreeMap, HashMap};
    let Some(now) = links.iter().map(|(l, _)| l.created_at).max() else {
        return Ok(());
    };
    // Earlier live links, per organisation and kind.
    let mut by_kind: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for (l, _) in links {
        by_kind
            .entry((l.org_id.as_str(), l.kind.as_str()))
            .or_default()
            .push(l.user_id.as_str());
    }
    for ((org_id, kind), users) in by_kind {
        for chunk in users.chunks(crate::bulk::BATCH_ROWS) {
            let sql = format!(
                "UPDATE link_tokens SET cancelled_at = $1 WHERE org_id = $2 AND kind = $3 \
                 AND used_at IS NULL AND cancelled_at IS NULL AND user_id IN ({})",
                crate::placeholders(4, chunk.len())
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(now)
                .bind(org_id)
                .bind(kind);
            for u in chunk {
                q = q.bind(*u);
            }
            q.execute(&mut *conn).await?;
        }
    }
    let mut last: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, (l, _)) in links.iter().enumerate() {
        last.insert((l.user_id.as_str(), l.kind.as_str()), i);
    }
    use crate::bulk::Value::{Int, Text};
    let rows: Vec<Vec<crate::bulk::Value>> = links
        .iter()
        .enumerate()
        .map(|(i, (l, hash))| {
            let superseded = last[&(l.user_id.as_str(), l.kind.as_str())] != i;
            vec![
                Text(Some(l.id.clone())),
                Text(Some(hash.clone())),
                Text(Some(l.org_id.clone())),
                Text(Some(l.user_id.clone())),
                Text(Some(l.kind.clone())),
                Text(l.new_email.clone()),
                Int(Some(l.created_at)),
                Int(Some(l.expires_at)),
                Int(superseded.then_some(now)),
            ]
        })
        .collect();
    crate::bulk::insert(
        conn,
        backend,
        "link_tokens",
        &[
            "id",
            "token_hash",
            "org_id",
            "user_id",
            "kind",
            "new_email",
            "created_at",
            "expires_at",
            "cancelled_at",
        ],
        &rows,
    )
    .await
}

/// The link with this hash, whatever its state: the caller tells the person whether it is
/// expired, used or replaced, and offers a new one.
pub async fn by_hash(conn: &mut Conn, token_hash: &str) -> Result<Option<LinkRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM link_tokens WHERE token_hash = $1"
    )))
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn by_id(conn: &mut Conn, id: &str) -> Result<Option<LinkRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM link_tokens WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Uses a live link once: false when it was already used, cancelled or has expired (or a
/// concurrent request used it first).
pub async fn use_once(conn: &mut Conn, id: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE link_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND cancelled_at IS NULL AND expires_at > $2",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
