//! Notification preferences: the alert types other applications register, the organisation's
//! defaults, each person's choices and group filters, and the question "who should be alerted".
//!
//! Sésame's own alert types live in the application's code, not here; this module stores only
//! what people and applications chose. A person's choice whose `enabled` is `None` follows the
//! organisation's default.

use crate::{Arg, Conn, Result, Sql};
use sesame_core::policy::Allowed;
use sesame_core::policy::action::{ChooseAlerts, OrgSettings};
use sqlx::Row;

/// An alert type registered by another application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertTypeRow {
    pub org_id: String,
    pub key: String,
    pub label_fr: String,
    pub label_en: String,
    pub group_filter: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

fn alert_from_row(r: &sqlx::any::AnyRow) -> Result<AlertTypeRow> {
    Ok(AlertTypeRow {
        org_id: r.try_get("org_id")?,
        key: r.try_get("alert_key")?,
        label_fr: r.try_get("label_fr")?,
        label_en: r.try_get("label_en")?,
        group_filter: r.try_get::<i64, _>("group_filter")? != 0,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// The registered alert types, by key.
pub async fn registered(conn: &mut Conn, org_id: &str) -> Result<Vec<AlertTypeRow>> {
    let rows = sqlx::query(
        "SELECT org_id, alert_key, label_fr, label_en, group_filter, created_at, updated_at \
         FROM alert_types WHERE org_id = $1 ORDER BY alert_key",
    )
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(alert_from_row).collect()
}

/// Inserts a new registered type, or updates the labels and filterability of an existing one
/// (a setting of the organisation the proof is for).
pub async fn register(
    conn: &mut Conn,
    proof: &Allowed<OrgSettings>,
    a: &AlertTypeRow,
) -> Result<()> {
    if proof.org_id() != a.org_id {
        return Err(crate::StoreError::NotTheTarget);
    }
    sqlx::query(
        "INSERT INTO alert_types (org_id, alert_key, label_fr, label_en, group_filter, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id, alert_key) DO UPDATE SET \
         label_fr = $3, label_en = $4, group_filter = $5, updated_at = $7",
    )
    .bind(&a.org_id)
    .bind(&a.key)
    .bind(&a.label_fr)
    .bind(&a.label_en)
    .bind(i64::from(a.group_filter))
    .bind(a.created_at)
    .bind(a.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The organisation's defaults that differ from a type's own: (key, enabled).
pub async fn defaults(conn: &mut Conn, org_id: &str) -> Result<Vec<(String, bool)>> {
    let rows = sqlx::query(
        "SELECT alert_key, enabled FROM alert_defaults WHERE org_id = $1 ORDER BY alert_key",
    )
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("alert_key")?,
                r.try_get::<i64, _>("enabled")? != 0,
            ))
        })
        .collect()
}

/// Sets the organisation's default for one type. With `keep_existing`, a default already set
/// is left as it is (an application registering its type again must not undo an
/// administrator's choice).
pub async fn set_default(
    conn: &mut Conn,
    proof: &Allowed<OrgSettings>,
    key: &str,
    enabled: bool,
    at: i64,
    keep_existing: bool,
) -> Result<()> {
    let sql = if keep_existing {
        "INSERT INTO alert_defaults (org_id, alert_key, enabled, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (org_id, alert_key) DO NOTHING"
    } else {
        "INSERT INTO alert_defaults (org_id, alert_key, enabled, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (org_id, alert_key) DO UPDATE SET enabled = $3, updated_at = $4"
    };
    sqlx::query(sql)
        .bind(proof.org_id())
        .bind(key)
        .bind(i64::from(enabled))
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// One person's choice for one type, with the groups of its filter (id, name).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChoiceRow {
    pub key: String,
    /// `None`: follows the organisation's default.
    pub enabled: Option<bool>,
    /// Empty: every group.
    pub groups: Vec<(String, String)>,
}

/// Everything `user_id` chose, by key.
pub async fn choices_of(conn: &mut Conn, org_id: &str, user_id: &str) -> Result<Vec<ChoiceRow>> {
    let rows = sqlx::query(
        "SELECT alert_key, enabled FROM alert_choices WHERE org_id = $1 AND user_id = $2 ORDER BY alert_key",
    )
    .bind(org_id)
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<ChoiceRow> = rows
        .iter()
        .map(|r| {
            Ok(ChoiceRow {
                key: r.try_get("alert_key")?,
                enabled: r.try_get::<Option<i64>, _>("enabled")?.map(|e| e != 0),
                groups: Vec::new(),
            })
        })
        .collect::<Result<_>>()?;
    let filters = sqlx::query(
        "SELECT f.alert_key, g.id, g.name FROM alert_filters f JOIN groups g ON g.id = f.group_id \
         WHERE f.org_id = $1 AND f.user_id = $2 ORDER BY g.name_key",
    )
    .bind(org_id)
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    for r in &filters {
        let key: String = r.try_get("alert_key")?;
        let group = (r.try_get("id")?, r.try_get("name")?);
        match out.iter_mut().find(|c| c.key == key) {
            Some(c) => c.groups.push(group),
            None => out.push(ChoiceRow {
                key,
                enabled: None,
                groups: vec![group],
            }),
        }
    }
    Ok(out)
}

/// Records whether the proof's person wants alerts of type `key` (`None`: as the organisation's
/// default).
pub async fn set_choice(
    conn: &mut Conn,
    proof: &Allowed<ChooseAlerts>,
    key: &str,
    enabled: Option<bool>,
    at: i64,
) -> Result<()> {
    let (org_id, user_id) = (proof.org_id(), proof.user_id.as_str());
    sqlx::query(
        "INSERT INTO alert_choices (org_id, user_id, alert_key, enabled, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, alert_key) DO UPDATE SET enabled = $4, updated_at = $5",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(key)
    .bind(enabled.map(i64::from))
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Replaces the group filter of the proof's person for type `key` (empty: every group).
pub async fn set_filter(
    conn: &mut Conn,
    proof: &Allowed<ChooseAlerts>,
    key: &str,
    group_ids: &[String],
) -> Result<()> {
    let (org_id, user_id) = (proof.org_id(), proof.user_id.as_str());
    sqlx::query("DELETE FROM alert_filters WHERE org_id = $1 AND user_id = $2 AND alert_key = $3")
        .bind(org_id)
        .bind(user_id)
        .bind(key)
        .execute(&mut *conn)
        .await?;
    for g in group_ids {
        sqlx::query(
            "INSERT INTO alert_filters (org_id, user_id, alert_key, group_id) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, alert_key, group_id) DO NOTHING",
        )
        .bind(org_id)
        .bind(user_id)
        .bind(key)
        .bind(g)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Who should be alerted of one event.
#[derive(Debug, Clone, Default)]
pub struct RecipientQuery {
    pub alert_key: String,
    /// The organisation's default, for those who never chose.
    pub default_on: bool,
    /// The event's groups, when the type is filterable and the event has groups: a person
    /// matches when their filter is empty or holds one of them. `None`: filters are ignored.
    pub filter_groups: Option<Vec<String>>,
    /// Who may be told, as the policy decides it (a permission held over one of its scopes).
    pub audience: Option<sesame_core::policy::alerts::Audience>,
    /// Only members of these groups (people whose right to see users is scoped to groups).
    pub visible_groups: Option<Vec<String>>,
    /// Keyset paging: logins after this one.
    pub after_login: Option<String>,
    /// At most this many; `None`: all.
    pub limit: Option<i64>,
}

/// Active users with an e-mail address who want this alert, in login order.
pub async fn recipients(
    conn: &mut Conn,
    org_id: &str,
    q: &RecipientQuery,
) -> Result<Vec<crate::users::UserRow>> {
    let columns = crate::users::COLUMNS
        .split(", ")
        .map(|c| format!("u.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let key = || Arg::Text(q.alert_key.clone());
    let mut sql = Sql::new(
        format!(
            "SELECT {columns} FROM users u LEFT JOIN alert_choices c ON c.user_id = u.id AND c.org_id = $1"
        ),
        Arg::Text(org_id.into()),
    );
    sql.push(" AND c.alert_key = $?", key());
    sql.push_str(" WHERE u.org_id = $1 AND u.status = 'active' AND u.email IS NOT NULL");
    sql.push(
        " AND COALESCE(c.enabled, $?) = 1",
        Arg::Int(i64::from(q.default_on)),
    );
    if let Some(groups) = &q.filter_groups {
        sql.push(
            " AND (NOT EXISTS (SELECT 1 FROM alert_filters f WHERE f.user_id = u.id AND f.alert_key = $?)",
            key(),
        );
        sql.push(
            " OR EXISTS (SELECT 1 FROM alert_filters f2 WHERE f2.user_id = u.id AND f2.alert_key = $?",
            key(),
        );
        sql.push_in(" AND f2.group_id IN ($in)))", groups);
    }
    if let Some(audience) = &q.audience {
        // A scope is stored as its group's id, '' for the organisation. Roles store their
        // permissions as codes separated by spaces (or commas): pad them so that a code matches
        // whole. No code holds a LIKE wildcard.
        let scopes: Vec<String> = audience
            .scopes()
            .iter()
            .map(|s| s.group_id().unwrap_or("").to_string())
            .collect();
        sql.push_in(
            " AND EXISTS (SELECT 1 FROM role_assignments ra JOIN roles r ON r.id = ra.role_id \
             WHERE ra.user_id = u.id AND ra.group_id IN ($in)",
            &scopes,
        );
        sql.push(
            " AND (' ' || REPLACE(r.permissions, ',', ' ') || ' ') LIKE $?)",
            Arg::Text(format!("% {} %", audience.permission().code())),
        );
    }
    if let Some(groups) = &q.visible_groups {
        sql.push_in(
            " AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.group_id IN ($in))",
            groups,
        );
    }
    if let Some(after) = &q.after_login {
        sql.push(" AND u.login > $?", Arg::Text(after.clone()));
    }
    sql.push_str(" ORDER BY u.login");
    if let Some(limit) = q.limit {
        sql.push_str(&format!(" LIMIT {}", limit.max(1)));
    }
    sql.fetch_all(conn)
        .await?
        .iter()
        .map(crate::users::from_row)
        .collect()
}

/// Forgets a deleted person's choices and filters.
pub async fn forget_user(conn: &mut Conn, org_id: &str, user_id: &str) -> Result<()> {
    for table in ["alert_filters", "alert_choices"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE org_id = $1 AND user_id = $2"
        )))
        .bind(org_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// The audience test pads the stored codes with spaces and matches `% code %` with LIKE, where
    /// `_` and `%` are wildcards: no permission code may hold one.
    #[test]
    fn no_permission_code_holds_a_like_wildcard() {
        for p in sesame_core::Permission::ALL {
            assert!(!p.code().contains(['_', '%']), "{}", p.code());
        }
    }
}
