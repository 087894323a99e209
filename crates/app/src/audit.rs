//! Writing and reading the audit log. Entries are written by the operations, inside their own
//! transaction; before/after hold the changed fields only, never a secret.

use crate::{Error, Principal, Result};
use serde::Serialize;
use serde_json::Value;
use sesame_store::audit::{AuditRow, Filter};
use sesame_store::{Conn, new_id, now_ms};

/// What changed, for one audit row.
pub struct Change<'a> {
    pub action: &'static str,
    pub target_type: &'static str,
    pub target_id: Option<&'a str>,
    pub target_label: Option<&'a str>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

pub async fn record(conn: &mut Conn, who: &Principal, change: Change<'_>) -> Result<()> {
    let (before, after) = only_changed(change.before, change.after);
    let row = AuditRow {
        id: new_id(),
        org_id: who.org.id().to_string(),
        at: now_ms(),
        actor_id: who.user_id().map(String::from),
        actor_label: who.label(),
        action: change.action.to_string(),
        target_type: change.target_type.to_string(),
        target_id: change.target_id.map(String::from),
        target_label: change.target_label.map(String::from),
        before_json: before.map(|v| v.to_string()),
        after_json: after.map(|v| v.to_string()),
        source: who.source.clone(),
    };
    sesame_store::audit::insert(conn, &row).await?;
    Ok(())
}

/// Keeps only the keys whose values differ, when both sides are objects.
fn only_changed(before: Option<Value>, after: Option<Value>) -> (Option<Value>, Option<Value>) {
    match (before, after) {
        (Some(Value::Object(mut b)), Some(Value::Object(mut a))) => {
            let same: Vec<String> = b
                .iter()
                .filter(|(k, v)| a.get(*k) == Some(v))
                .map(|(k, _)| k.clone())
                .collect();
            for k in same {
                b.remove(&k);
                a.remove(&k);
            }
            (Some(Value::Object(b)), Some(Value::Object(a)))
        }
        other => other,
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: String,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor_id: Option<String>,
    pub actor: String,
    /// `user.create`, `user.update`, `role.assign`, …
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub target: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
    /// Source address, or `cli`.
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub next_cursor: Option<String>,
}

pub async fn list(app: &crate::App, who: &Principal, filter: Filter) -> Result<AuditPage> {
    who.actor.may_read_audit()?;
    let limit = filter.limit.clamp(1, 500);
    let mut conn = app.store.read().await?;
    let mut rows = sesame_store::audit::list(
        &mut conn,
        who.org.id(),
        &Filter {
            limit: limit + 1,
            ..filter
        },
    )
    .await?;
    let next_cursor = (rows.len() as i64 > limit).then(|| {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.id.clone()).unwrap_or_default()
    });
    let parse = |s: Option<String>| s.and_then(|j| serde_json::from_str(&j).ok());
    let items = rows
        .into_iter()
        .map(|r| AuditEntry {
            at: crate::time::rfc3339(r.at),
            id: r.id,
            actor_id: r.actor_id,
            actor: r.actor_label,
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            target: r.target_label,
            before: parse(r.before_json),
            after: parse(r.after_json),
            source: r.source,
        })
        .collect();
    Ok(AuditPage { items, next_cursor })
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Internal(format!("json: {e}"))
    }
}
