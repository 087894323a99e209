//! The audit log: one row per change, written in the change's own transaction.

use crate::{Arg, Conn, Result, Sql};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// UUIDv7: sorts by time, and serves as the paging cursor.
    pub id: String,
    pub org_id: String,
    pub at: i64,
    pub actor_id: Option<String>,
    pub actor_label: String,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub target_label: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub source: Option<String>,
}

const COLUMNS: &str = "id, org_id, at, actor_id, actor_label, action, target_type, target_id, target_label, before_json, after_json, source";

pub async fn insert(conn: &mut Conn, a: &AuditRow) -> Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO audit ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    )))
    .bind(&a.id)
    .bind(&a.org_id)
    .bind(a.at)
    .bind(&a.actor_id)
    .bind(&a.actor_label)
    .bind(&a.action)
    .bind(&a.target_type)
    .bind(&a.target_id)
    .bind(&a.target_label)
    .bind(&a.before_json)
    .bind(&a.after_json)
    .bind(&a.source)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Many rows at once (an import), in multi-row statements.
pub async fn insert_many(
    conn: &mut Conn,
    backend: crate::Backend,
    rows: &[AuditRow],
) -> Result<()> {
    use crate::bulk::Value::{Int, Text};
    let values: Vec<Vec<crate::bulk::Value>> = rows
        .iter()
        .map(|a| {
            vec![
                Text(Some(a.id.clone())),
                Text(Some(a.org_id.clone())),
                Int(Some(a.at)),
                Text(a.actor_id.clone()),
                Text(Some(a.actor_label.clone())),
                Text(Some(a.action.clone())),
                Text(Some(a.target_type.clone())),
                Text(a.target_id.clone()),
                Text(a.target_label.clone()),
                Text(a.before_json.clone()),
                Text(a.after_json.clone()),
                Text(a.source.clone()),
            ]
        })
        .collect();
    crate::bulk::insert(
        conn,
        backend,
        "audit",
        &[
            "id",
            "org_id",
            "at",
            "actor_id",
            "actor_label",
            "action",
            "target_type",
            "target_id",
            "target_label",
            "before_json",
            "after_json",
            "source",
        ],
        &values,
    )
    .await
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor_id: Option<String>,
    pub target_id: Option<String>,
    /// Exact action (`user.create`) or a family with a trailing dot (`user.`).
    pub action: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    /// Entries older than this id (newest first).
    pub before_id: Option<String>,
    pub limit: i64,
}

/// Newest first.
pub async fn list(conn: &mut Conn, org_id: &str, f: &Filter) -> Result<Vec<AuditRow>> {
    let mut sql = Sql::new(
        format!("SELECT {COLUMNS} FROM audit WHERE org_id = $1"),
        Arg::Text(org_id.into()),
    );
    if let Some(v) = &f.actor_id {
        sql.push(" AND actor_id = $?", Arg::Text(v.clone()));
    }
    if let Some(v) = &f.target_id {
        sql.push(" AND target_id = $?", Arg::Text(v.clone()));
    }
    if let Some(v) = &f.action {
        if v.ends_with('.') {
            sql.push(" AND action LIKE $?", Arg::Text(format!("{v}%")));
        } else {
            sql.push(" AND action = $?", Arg::Text(v.clone()));
        }
    }
    if let Some(v) = f.since {
        sql.push(" AND at >= $?", Arg::Int(v));
    }
    if let Some(v) = f.until {
        sql.push(" AND at < $?", Arg::Int(v));
    }
    if let Some(v) = &f.before_id {
        sql.push(" AND id < $?", Arg::Text(v.clone()));
    }
    sql.push_str(&format!(
        " ORDER BY id DESC LIMIT {}",
        f.limit.clamp(1, 1000)
    ));
    let rows = sql.fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            Ok(AuditRow {
                id: r.try_get("id")?,
                org_id: r.try_get("org_id")?,
                at: r.try_get("at")?,
                actor_id: r.try_get("actor_id")?,
                actor_label: r.try_get("actor_label")?,
                action: r.try_get("action")?,
                target_type: r.try_get("target_type")?,
                target_id: r.try_get("target_id")?,
                target_label: r.try_get("target_label")?,
                before_json: r.try_get("before_json")?,
                after_json: r.try_get("after_json")?,
                source: r.try_get("source")?,
            })
        })
        .collect()
}
