//! Writing and reading the audit log. Entries are written by the operations, inside their own
//! transaction; before/after hold the changed fields only, never a secret.

use crate::{Error, Principal, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sesame_core::FieldError;
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

/// The families of actions, as the audit page offers them: an action (`user.create`) is in the
/// family its name starts with.
pub const FAMILIES: [&str; 12] = [
    "user.",
    "users.import",
    "role.",
    "group.",
    "app.",
    "auth.",
    "mfa.",
    "token.",
    "notifications.",
    "signature.",
    "outbox.",
    "settings.",
];

/// The audit log's filters as typed, by the API's query string and the page's form alike.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// The person who acted: their login, e-mail address or id.
    pub actor: Option<String>,
    /// What was acted upon: a person's login, e-mail address or id, a group's or role's id, or
    /// an application's client_id.
    pub target: Option<String>,
    /// An action (`user.create`) or a family of actions (`user.`).
    pub action: Option<String>,
    /// From this day (`YYYY-MM-DD`, from its start in the organisation's time zone) or this
    /// time (RFC 3339) on.
    pub since: Option<String>,
    /// Up to this day (`YYYY-MM-DD`, that day included, in the organisation's time zone) or
    /// before this time (RFC 3339).
    pub until: Option<String>,
    /// 1–500, 50 by default.
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The given value of an optional filter, trimmed; `None` when empty.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref()
        .map(sesame_core::error::trim_all)
        .filter(|v| !v.is_empty())
}

/// `q` checked, every error at once, each on its field.
async fn filter_of(app: &crate::App, who: &Principal, q: &AuditQuery) -> Result<Filter> {
    let mut errors = Vec::new();
    let mut conn = app.store.read().await?;
    let org = who.org.id();
    // An id is taken as it is (a deleted person's entries are found by theirs, a group's or a
    // role's by its id); a login or an address names a person of the organisation.
    let mut person = async |field: &str, raw: Option<&str>| -> Result<Option<String>> {
        let Some(raw) = raw else { return Ok(None) };
        if uuid::Uuid::parse_str(raw).is_ok() {
            return Ok(Some(raw.to_string()));
        }
        let key = raw.to_lowercase();
        if let Some(u) = sesame_store::users::by_login(&mut conn, org, &key).await? {
            return Ok(Some(u.id));
        }
        if let Some(u) = sesame_store::users::by_email(&mut conn, org, &key).await? {
            return Ok(Some(u.id));
        }
        // An application's client_id (22 URL-safe characters), even once it is deleted.
        if field == "target"
            && raw.len() == 22
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Ok(Some(raw.to_string()));
        }
        errors.push(FieldError::new(field, "audit.person_unknown").with("value", raw));
        Ok(None)
    };
    let actor_id = person("actor", given(&q.actor)).await?;
    let target_id = person("target", given(&q.target)).await?;
    drop(conn);
    let action = given(&q.action).map(str::to_string);
    if let Some(a) = &action
        && !FAMILIES.iter().any(|f| a.starts_with(f))
    {
        errors.push(FieldError::new("action", "audit.action_unknown").with("value", a));
    }
    // A day is the organisation's day (its time zone); "until" a day includes it.
    let zone = &who.org.zone;
    let mut time = |field: &str, raw: Option<&str>, end_of_day: bool| {
        let raw = raw?;
        let at = match crate::time::day_bounds(zone, raw) {
            Some((start, next)) => Some(if end_of_day { next } else { start }),
            None if raw.len() > 10 => crate::time::parse_rfc3339(raw),
            None => None,
        };
        if at.is_none() {
            errors.push(FieldError::new(field, "audit.time_invalid").with("value", raw));
        }
        at
    };
    let since = time("since", given(&q.since), false);
    let until = time("until", given(&q.until), true);
    if let (Some(a), Some(b)) = (since, until)
        && a >= b
    {
        errors.push(FieldError::new("until", "audit.backwards"));
    }
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        errors.push(
            FieldError::new("limit", "limit.range")
                .with("min", "1")
                .with("max", "500"),
        );
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    Ok(Filter {
        actor_id,
        target_id,
        action,
        since,
        until,
        before_id: given(&q.cursor).map(str::to_string),
        limit,
    })
}

/// One page of the entries `q` asks for, newest first.
pub async fn list(app: &crate::App, who: &Principal, q: &AuditQuery) -> Result<AuditPage> {
    who.actor.may_read_audit()?;
    let filter = filter_of(app, who, q).await?;
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
