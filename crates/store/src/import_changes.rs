//! The history of imports (their options, who ran them, their undo) and what each applied
//! import changed, one row per person, for its undo.
//!
//! An import's changes are written in the import's own transaction ([`insert_many`]): an
//! import that committed has them all, one rolled back has none. An undo marks its import
//! undone with a conditional write ([`mark_undone`]) in its own transaction, so that two
//! instances — or two clicks — cannot undo one import twice. Both go with their import after
//! [`KEEP_DAYS`] ([`prune`]).

use crate::bulk::Value;
use crate::{Arg, Backend, Conn, Result, Sql};
use sesame_core::policy::Allowed;
use sesame_core::policy::action::UndoCreation;
use sqlx::Row;
use std::collections::HashSet;

/// Days an import is listed, with its changes (and so may be undone).
pub const KEEP_DAYS: i64 = 90;

/// What one import did to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    pub import_id: String,
    pub org_id: String,
    pub user_id: String,
    /// The import created them.
    pub created: bool,
    /// JSON object of the profile fields before (an update).
    pub before_json: Option<String>,
    /// JSON object of the profile fields as the import left them.
    pub after_json: String,
    /// JSON `[[role_id, group_id or ""]]`.
    pub granted_json: String,
    pub revoked_json: String,
    /// JSON `[group_id]`.
    pub joined_json: String,
    pub left_json: String,
}

const CHANGE_COLUMNS: [&str; 10] = [
    "import_id",
    "org_id",
    "user_id",
    "created",
    "before_json",
    "after_json",
    "granted_json",
    "revoked_json",
    "joined_json",
    "left_json",
];

/// Writes changes in batched statements (in the import's transaction).
pub async fn insert_many(conn: &mut Conn, backend: Backend, rows: &[ChangeRow]) -> Result<()> {
    let t = |s: &str| Value::Text(Some(s.to_string()));
    let values: Vec<Vec<Value>> = rows
        .iter()
        .map(|c| {
            vec![
                t(&c.import_id),
                t(&c.org_id),
                t(&c.user_id),
                Value::Int(Some(i64::from(c.created))),
                Value::Text(c.before_json.clone()),
                t(&c.after_json),
                t(&c.granted_json),
                t(&c.revoked_json),
                t(&c.joined_json),
                t(&c.left_json),
            ]
        })
        .collect();
    crate::bulk::insert(conn, backend, "import_changes", &CHANGE_COLUMNS, &values).await
}

/// Everything one import changed.
pub async fn of_import(conn: &mut Conn, org_id: &str, import_id: &str) -> Result<Vec<ChangeRow>> {
    let rows = sqlx::query(
        "SELECT import_id, org_id, user_id, created, before_json, after_json, granted_json, \
         revoked_json, joined_json, left_json FROM import_changes \
         WHERE org_id = $1 AND import_id = $2 ORDER BY user_id",
    )
    .bind(org_id)
    .bind(import_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ChangeRow {
                import_id: r.try_get("import_id")?,
                org_id: r.try_get("org_id")?,
                user_id: r.try_get("user_id")?,
                created: r.try_get::<i64, _>("created")? != 0,
                before_json: r.try_get("before_json")?,
                after_json: r.try_get("after_json")?,
                granted_json: r.try_get("granted_json")?,
                revoked_json: r.try_get("revoked_json")?,
                joined_json: r.try_get("joined_json")?,
                left_json: r.try_get("left_json")?,
            })
        })
        .collect()
}

/// An import as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub import: crate::imports::ImportRow,
    pub options_json: Option<String>,
    pub actor_label: Option<String>,
    /// `api`, `web` or `cli`.
    pub origin: Option<String>,
    pub undone_at: Option<i64>,
    pub undone_by: Option<String>,
    /// People it changed (recorded for its undo).
    pub changes: i64,
}

const HISTORY: &str = "SELECT i.id, i.org_id, i.user_id, i.file_name, i.format, i.state, i.dry_run, \
     i.rows_read, i.summary_json, i.faulty_json, i.created_at, i.finished_at, i.lease_until, \
     i.failure, i.options_json, i.actor_label, i.origin, i.undone_at, i.undone_by, \
     (SELECT COUNT(*) FROM import_changes c WHERE c.import_id = i.id) AS changes FROM imports i";

fn history_row(r: &sqlx::any::AnyRow) -> Result<HistoryRow> {
    Ok(HistoryRow {
        import: crate::imports::ImportRow {
            id: r.try_get("id")?,
            org_id: r.try_get("org_id")?,
            user_id: r.try_get("user_id")?,
            file_name: r.try_get("file_name")?,
            format: r.try_get("format")?,
            state: r.try_get("state")?,
            dry_run: r.try_get::<i64, _>("dry_run")? != 0,
            rows_read: r.try_get("rows_read")?,
            summary_json: r.try_get("summary_json")?,
            faulty_json: r.try_get("faulty_json")?,
            created_at: r.try_get("created_at")?,
            finished_at: r.try_get("finished_at")?,
            lease_until: r.try_get("lease_until")?,
            failure: r.try_get("failure")?,
        },
        options_json: r.try_get("options_json")?,
        actor_label: r.try_get("actor_label")?,
        origin: r.try_get("origin")?,
        undone_at: r.try_get("undone_at")?,
        undone_by: r.try_get("undone_by")?,
        changes: r.try_get("changes")?,
    })
}

/// Notes, beside an import just started, its options, who runs it and from where.
pub async fn set_details(
    conn: &mut Conn,
    id: &str,
    options_json: &str,
    actor_label: &str,
    origin: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE imports SET options_json = $2, actor_label = $3, origin = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(options_json)
    .bind(actor_label)
    .bind(origin)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The imports of `org_id` started since `since`, newest first.
pub async fn recent(conn: &mut Conn, org_id: &str, since: i64) -> Result<Vec<HistoryRow>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{HISTORY} WHERE i.org_id = $1 AND i.created_at >= $2 ORDER BY i.created_at DESC, i.id DESC"
    )))
    .bind(org_id)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(history_row).collect()
}

pub async fn one(conn: &mut Conn, org_id: &str, id: &str) -> Result<Option<HistoryRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{HISTORY} WHERE i.org_id = $1 AND i.id = $2"
    )))
    .bind(org_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(history_row).transpose()
}

/// Marks the import undone, unless it already is: whether this call did.
pub async fn mark_undone(
    conn: &mut Conn,
    org_id: &str,
    id: &str,
    at: i64,
    by: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE imports SET undone_at = $3, undone_by = $4 \
         WHERE org_id = $1 AND id = $2 AND undone_at IS NULL",
    )
    .bind(org_id)
    .bind(id)
    .bind(at)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets the imports finished before `finished_before`, with their changes and faulty
/// rows. Returns how many imports.
pub async fn prune(conn: &mut Conn, finished_before: i64) -> Result<u64> {
    sqlx::query(
        "DELETE FROM import_changes WHERE import_id IN \
         (SELECT id FROM imports WHERE finished_at IS NOT NULL AND finished_at < $1)",
    )
    .bind(finished_before)
    .execute(&mut *conn)
    .await?;
    crate::imports::forget_old(conn, finished_before).await
}

/// Ids per statement of the lists below.
const CHUNK: usize = 200;

/// The users of `org_id` among `ids` (at most a few hundred at a time).
pub async fn users_among(
    conn: &mut Conn,
    org_id: &str,
    ids: &[String],
) -> Result<Vec<crate::users::UserRow>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let mut sql = Sql::new(
            format!(
                "SELECT {} FROM users WHERE org_id = $1",
                crate::users::COLUMNS
            ),
            Arg::Text(org_id.into()),
        );
        sql.push_in(" AND id IN ($in)", chunk);
        for r in sql.fetch_all(conn).await? {
            out.push(crate::users::from_row(&r)?);
        }
    }
    Ok(out)
}

/// Those of `user_ids` who acted themselves since `since` (an audit row of theirs: signing
/// in, activating their account, changing their password…). One reading of the audit since
/// then (those who acted are few; the people of a large import many).
pub async fn acted_since(
    conn: &mut Conn,
    org_id: &str,
    user_ids: &[String],
    since: i64,
) -> Result<HashSet<String>> {
    let wanted: HashSet<&str> = user_ids.iter().map(String::as_str).collect();
    let rows = sqlx::query(
        "SELECT DISTINCT actor_id FROM audit WHERE org_id = $1 AND at >= $2 AND actor_id IS NOT NULL",
    )
    .bind(org_id)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = HashSet::new();
    for r in rows {
        let id: String = r.try_get("actor_id")?;
        if wanted.contains(id.as_str()) {
            out.insert(id);
        }
    }
    Ok(out)
}

/// Every table whose rows belong to one person (`user_id REFERENCES users`): what deleting a
/// person created by an import removes. A test holds it equal to the migrations' list.
pub const USER_TABLES: [&str; 22] = [
    "invitation_reminders",
    "invitations",
    "memberships",
    "role_assignments",
    "tokens",
    "totp",
    "recovery_codes",
    "link_tokens",
    "alert_choices",
    "alert_filters",
    "signatures",
    "sign_in_steps",
    "oidc_codes",
    "oidc_grants",
    "oidc_consents",
    "oidc_app_sessions",
    "forward_auth_codes",
    "forward_auth_sessions",
    "mfa_grace",
    "mfa_grace_reminders",
    "passkeys",
    "passkey_ceremonies",
];

/// Deletes the people created by the import `import_id` being undone, each with its proof:
/// their rows in every table of theirs ([`USER_TABLES`]), their search words, their counts;
/// their e-mails not yet sent are cancelled and those sent forget the address. Only the audit
/// trail keeps them. The people are first marked among the import's changes (only those with
/// a proof, of the organisation), then each table is emptied of them in one statement.
pub async fn delete_created(
    conn: &mut Conn,
    backend: Backend,
    org_id: &str,
    import_id: &str,
    proofs: &[Allowed<UndoCreation>],
) -> Result<()> {
    for p in proofs {
        crate::check_target(p, org_id, &p.user_id)?;
    }
    // Every person it created is marked, then those without a proof (the few left alone or
    // gone) unmarked: two statements for the many, one per chunk for the few.
    let proved: HashSet<&str> = proofs.iter().map(|p| p.user_id.as_str()).collect();
    let created = sqlx::query(
        "UPDATE import_changes SET deleting = 1 \
         WHERE import_id = $1 AND org_id = $2 AND created = 1 RETURNING user_id",
    )
    .bind(import_id)
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut unproved: Vec<String> = Vec::new();
    let mut marked: HashSet<String> = HashSet::with_capacity(created.len());
    for r in created {
        let id: String = r.try_get("user_id")?;
        if proved.contains(id.as_str()) {
            marked.insert(id);
        } else {
            unproved.push(id);
        }
    }
    // A proof for someone the import did not create deletes nobody: refused whole.
    if proved.iter().any(|id| !marked.contains(*id)) {
        return Err(crate::StoreError::NotTheTarget);
    }
    for chunk in unproved.chunks(CHUNK) {
        let mut sql = Sql::new(
            "UPDATE import_changes SET deleting = 0 WHERE import_id = $1".into(),
            Arg::Text(import_id.into()),
        );
        sql.push_in(" AND user_id IN ($in)", chunk);
        sql.push_str(" RETURNING user_id");
        sql.fetch_all(conn).await?;
    }
    // PostgreSQL plans the statements below from the tables' statistics, which an import
    // that just filled them has not updated (autovacuum's analyze comes later, or never when
    // it is off): without them, it joins the people marked to their words as a scan of the
    // words per person (hours for 100,000 people). Measured once the statistics are there:
    // one hash join per table (bench/README.md, "Import undo"). SQLite's plans need none.
    if backend == Backend::Postgres {
        sqlx::query(
            "ANALYZE import_changes, users, user_words, memberships, role_assignments, \
             invitations, outbox",
        )
        .execute(&mut *conn)
        .await?;
    }
    // The people marked, as a subquery every statement below shares.
    const MARKED: &str =
        "SELECT user_id FROM import_changes WHERE import_id = $1 AND org_id = $2 AND deleting = 1";
    let counts = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT status, COUNT(*) AS n FROM users WHERE org_id = $2 AND id IN ({MARKED}) GROUP BY status"
    )))
    .bind(import_id)
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    for table in USER_TABLES {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE user_id IN ({MARKED})"
        )))
        .bind(import_id)
        .bind(org_id)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM user_words WHERE org_id = $2 AND user_id IN ({MARKED})"
    )))
    .bind(import_id)
    .bind(org_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE outbox SET state = CASE WHEN state = 'queued' THEN 'failed' ELSE state END, \
         last_error = CASE WHEN state = 'queued' THEN $3 ELSE last_error END, \
         recipient = '', params_json = '{{}}', claimed_until = NULL \
         WHERE org_id = $2 AND user_id IN ({MARKED})"
    )))
    .bind(import_id)
    .bind(org_id)
    .bind("the import was undone")
    .execute(&mut *conn)
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM users WHERE org_id = $2 AND id IN ({MARKED})"
    )))
    .bind(import_id)
    .bind(org_id)
    .execute(&mut *conn)
    .await?;
    for r in counts {
        let status: String = r.try_get("status")?;
        let n: i64 = r.try_get("n")?;
        sqlx::query("UPDATE user_counts SET n = n - $3 WHERE org_id = $1 AND status = $2")
            .bind(org_id)
            .bind(status)
            .bind(n)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// Every table with a `user_id` referring to `users` in the migrations is in
    /// [`super::USER_TABLES`] (a table added later, and forgotten there, would make an undo
    /// fail on its foreign key).
    #[test]
    fn every_table_of_a_person_is_deleted_with_them() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("migrations")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        let mut found = std::collections::BTreeSet::new();
        for f in files {
            let text = std::fs::read_to_string(&f).expect("migration");
            let mut table = String::new();
            for line in text.lines() {
                let l = line.trim();
                if let Some(rest) = l.strip_prefix("CREATE TABLE ") {
                    table = rest.split([' ', '(']).next().unwrap_or("").to_string();
                    // 0009 rebuilt two tables under a temporary name.
                    table = table.trim_end_matches("_new").to_string();
                }
                if l.contains("REFERENCES users") {
                    assert!(
                        l.starts_with("user_id "),
                        "{}: {table} refers to users by another column: {l}",
                        f.display()
                    );
                    found.insert(table.clone());
                }
            }
        }
        let listed: std::collections::BTreeSet<String> =
            super::USER_TABLES.iter().map(|t| t.to_string()).collect();
        assert_eq!(found, listed);
    }
}
