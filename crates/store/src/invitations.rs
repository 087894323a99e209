//! Invitations as they are followed (issue 23): for each person ever invited, when and by whom,
//! the last invitation message queued (whose outbox row tells its delivery), and the reminders
//! queued. The links themselves are `link_tokens` of kind `invitation`.

use crate::{Arg, Backend, Conn, Result, Sql};
use sqlx::Row;

/// Notes an invitation (or a reminder) queued as `message_id` for `user_id`, inside the
/// transaction that queued it. The first one records `by` (who asked; `None`: the operator or
/// the person themself); any other than a reminder starts a new round of reminders.
pub async fn note_sent(
    conn: &mut Conn,
    org_id: &str,
    user_id: &str,
    message_id: &str,
    by: Option<&str>,
    reminder: bool,
    now: i64,
) -> Result<()> {
    let on_conflict = if reminder {
        "last_at = $3, last_message_id = $5"
    } else {
        "round_at = $3, last_at = $3, last_message_id = $5"
    };
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO invitations (user_id, org_id, first_at, invited_by, round_at, last_at, last_message_id) \
         VALUES ($1, $2, $3, $4, $3, $3, $5) ON CONFLICT (user_id) DO UPDATE SET {on_conflict}"
    )))
    .bind(user_id)
    .bind(org_id)
    .bind(now)
    .bind(by)
    .bind(message_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One invitation queued among many (an import's).
#[derive(Debug, Clone)]
pub struct Sent {
    pub org_id: String,
    pub user_id: String,
    pub message_id: String,
    pub by: Option<String>,
}

/// [`note_sent`] for many invitations (none a reminder): the people never invited before in
/// multi-row statements, the others one by one (rare: an import invites those it creates).
pub async fn note_all_sent(
    conn: &mut Conn,
    backend: Backend,
    sent: &[Sent],
    now: i64,
) -> Result<()> {
    use crate::bulk::Value::{Int, Text};
    for chunk in sent.chunks(crate::bulk::BATCH_ROWS) {
        let sql = format!(
            "SELECT user_id FROM invitations WHERE user_id IN ({})",
            crate::placeholders(1, chunk.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for s in chunk {
            q = q.bind(&s.user_id);
        }
        let known: std::collections::HashSet<String> = q
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.try_get("user_id"))
            .collect::<std::result::Result<_, _>>()?;
        let mut fresh: Vec<Vec<crate::bulk::Value>> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for s in chunk {
            if known.contains(&s.user_id) || !seen.insert(s.user_id.as_str()) {
                note_sent(
                    conn,
                    &s.org_id,
                    &s.user_id,
                    &s.message_id,
                    s.by.as_deref(),
                    false,
                    now,
                )
                .await?;
            } else {
                fresh.push(vec![
                    Text(Some(s.user_id.clone())),
                    Text(Some(s.org_id.clone())),
                    Int(Some(now)),
                    Text(s.by.clone()),
                    Int(Some(now)),
                    Int(Some(now)),
                    Text(Some(s.message_id.clone())),
                ]);
            }
        }
        crate::bulk::insert(
            conn,
            backend,
            "invitations",
            &[
                "user_id",
                "org_id",
                "first_at",
                "invited_by",
                "round_at",
                "last_at",
                "last_message_id",
            ],
            &fresh,
        )
        .await?;
    }
    Ok(())
}

/// A person invited and not yet active, with their invitation as followed.
#[derive(Debug, Clone)]
pub struct PendingRow {
    pub user: crate::users::UserRow,
    /// `None`: never sent an invitation (created without one).
    pub first_at: Option<i64>,
    pub invited_by: Option<String>,
    /// The login and names of who invited them.
    pub invited_by_login: Option<String>,
    pub invited_by_first_name: Option<String>,
    pub invited_by_last_name: Option<String>,
    pub round_at: Option<i64>,
    pub last_at: Option<i64>,
    pub last_message_id: Option<String>,
    /// The last message's outbox state (`queued`, `sent`, `failed`), attempts and error.
    pub message_state: Option<String>,
    pub message_attempts: Option<i64>,
    pub message_error: Option<String>,
    pub message_sent_at: Option<i64>,
    pub message_next_attempt_at: Option<i64>,
    /// When the person's unused, uncancelled invitation link expires (or expired).
    pub link_expires_at: Option<i64>,
    pub reminders: i64,
    /// The last stage reminded in the current round.
    pub round_stage: Option<i64>,
    /// `pending`, `expired`, `failed` or `not_sent` (see [`STATES`]).
    pub state: String,
}

/// The states of a pending invitation: `pending` (on its way, or its link works), `expired`
/// (its link no longer works), `failed` (the mail server refused the last one), `not_sent`
/// (the person was never sent one).
pub const STATES: [&str; 4] = ["pending", "expired", "failed", "not_sent"];

/// Filters of the list of pending invitations.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// One of [`STATES`].
    pub state: Option<String>,
    /// Only these people (ids).
    pub ids: Option<Vec<String>>,
    /// Members of these groups only (people whose rights are scoped to groups).
    pub visible_groups: Option<Vec<String>>,
    /// Those whose login sorts after this one (keyset paging).
    pub after_login: Option<String>,
    pub limit: i64,
}

/// What a person's invitation state is read from: whether one was sent, the last message's
/// outbox state, and the live link's expiry (`$2`: now).
const STATE: &str = "CASE WHEN t.first_at IS NULL THEN 'not_sent' \
     WHEN t.m_state = 'failed' THEN 'failed' \
     WHEN t.m_state = 'queued' THEN 'pending' \
     WHEN t.link_expires_at > $2 THEN 'pending' \
     ELSE 'expired' END";

/// The columns the state needs (all a count reads).
const STATE_COLUMNS: &str = "u.login, i.first_at, o.state AS m_state, \
     (SELECT MAX(l.expires_at) FROM link_tokens l WHERE l.user_id = u.id AND l.kind = 'invitation' \
      AND l.used_at IS NULL AND l.cancelled_at IS NULL) AS link_expires_at";

/// The columns a list shows besides.
const LIST_COLUMNS: &str = "u.id, u.org_id, u.email, u.first_name, u.last_name, u.phone, u.language, \
     u.address_line, u.postal_code, u.city, u.status, u.created_at, u.updated_at, \
     i.invited_by, i.round_at, i.last_at, i.last_message_id, \
     b.login AS b_login, b.first_name AS b_first_name, b.last_name AS b_last_name, \
     o.attempts AS m_attempts, o.last_error AS m_error, \
     o.sent_at AS m_sent_at, o.next_attempt_at AS m_next_attempt_at, \
     (SELECT COUNT(*) FROM invitation_reminders r WHERE r.user_id = u.id) AS reminders, \
     (SELECT MAX(r.stage) FROM invitation_reminders r WHERE r.user_id = u.id \
      AND r.round_at = i.round_at) AS round_stage";

/// `prefix`, then the invited people of the organisation with their invitation and its
/// state (`$1` the organisation, `$2` now), with the filters but the state; with what a list
/// shows when `list`, else only what the state needs (a count of 100,000 invitations reads
/// no more).
fn pending_sql(prefix: &str, org_id: &str, now: i64, f: &Filter, list: bool) -> Sql {
    let (more, who) = if list {
        (
            format!(", {LIST_COLUMNS}"),
            " LEFT JOIN users b ON b.id = i.invited_by",
        )
    } else {
        (String::new(), "")
    };
    let mut sql = Sql::new(
        format!(
            "{prefix}SELECT t.*, {STATE} AS state FROM (SELECT {STATE_COLUMNS}{more} \
             FROM users u LEFT JOIN invitations i ON i.user_id = u.id \
             LEFT JOIN outbox o ON o.id = i.last_message_id{who} \
             WHERE u.org_id = $1 AND u.status = 'invited'"
        ),
        Arg::Text(org_id.into()),
    );
    sql.push("", Arg::Int(now));
    if let Some(groups) = &f.visible_groups {
        sql.push_in(
            " AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.group_id IN ($in))",
            groups,
        );
    }
    if let Some(ids) = &f.ids {
        sql.push_in(" AND u.id IN ($in)", ids);
    }
    if let Some(after) = &f.after_login {
        sql.push(" AND u.login > $?", Arg::Text(after.clone()));
    }
    sql.push_str(") t");
    sql
}

/// The invited people matching `f` at `now`, by login.
pub async fn pending(
    conn: &mut Conn,
    org_id: &str,
    f: &Filter,
    now: i64,
) -> Result<Vec<PendingRow>> {
    let mut sql = pending_sql("SELECT * FROM (", org_id, now, f, true);
    sql.push_str(") s WHERE 1 = 1");
    if let Some(state) = &f.state {
        sql.push(" AND s.state = $?", Arg::Text(state.clone()));
    }
    sql.push_str(&format!(
        " ORDER BY s.login LIMIT {}",
        f.limit.clamp(1, 1000)
    ));
    sql.fetch_all(conn)
        .await?
        .iter()
        .map(pending_from_row)
        .collect()
}

fn pending_from_row(r: &sqlx::any::AnyRow) -> Result<PendingRow> {
    Ok(PendingRow {
        user: crate::users::from_row(r)?,
        first_at: r.try_get("first_at")?,
        invited_by: r.try_get("invited_by")?,
        invited_by_login: r.try_get("b_login")?,
        invited_by_first_name: r.try_get("b_first_name")?,
        invited_by_last_name: r.try_get("b_last_name")?,
        round_at: r.try_get("round_at")?,
        last_at: r.try_get("last_at")?,
        last_message_id: r.try_get("last_message_id")?,
        message_state: r.try_get("m_state")?,
        message_attempts: r.try_get("m_attempts")?,
        message_error: r.try_get("m_error")?,
        message_sent_at: r.try_get("m_sent_at")?,
        message_next_attempt_at: r.try_get("m_next_attempt_at")?,
        link_expires_at: r.try_get("link_expires_at")?,
        reminders: r.try_get("reminders")?,
        round_stage: r.try_get("round_stage")?,
        state: r.try_get("state")?,
    })
}

/// How many invited people (matching `f`'s visibility) are in each state at `now`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub pending: i64,
    pub expired: i64,
    pub failed: i64,
    pub not_sent: i64,
}

pub async fn count(conn: &mut Conn, org_id: &str, f: &Filter, now: i64) -> Result<Counts> {
    let counted = Filter {
        after_login: None,
        ..f.clone()
    };
    let mut sql = pending_sql(
        "SELECT s.state, COUNT(*) AS n FROM (",
        org_id,
        now,
        &counted,
        false,
    );
    sql.push_str(") s GROUP BY s.state");
    let mut counts = Counts::default();
    for r in sql.fetch_all(conn).await? {
        let n: i64 = r.try_get("n")?;
        match r.try_get::<String, _>("state")?.as_str() {
            "pending" => counts.pending = n,
            "expired" => counts.expired = n,
            "failed" => counts.failed = n,
            "not_sent" => counts.not_sent = n,
            _ => {}
        }
    }
    Ok(counts)
}

/// An invitation that may owe a reminder: its person is still invited, and its round started
/// between `since` and `until`.
#[derive(Debug, Clone)]
pub struct RoundRow {
    pub user_id: String,
    pub org_id: String,
    pub first_at: i64,
    /// Who sent the first invitation (a user id).
    pub invited_by: Option<String>,
    pub round_at: i64,
    pub last_at: i64,
    /// The last message's outbox state.
    pub message_state: Option<String>,
}

/// The invitations of invited people, in organisations that send reminders, whose round
/// started between `since` and `until` (Unix ms).
pub async fn rounds_between(conn: &mut Conn, since: i64, until: i64) -> Result<Vec<RoundRow>> {
    let rows = sqlx::query(
        "SELECT i.user_id, i.org_id, i.first_at, i.invited_by, i.round_at, i.last_at, o.state AS m_state \
         FROM invitations i JOIN users u ON u.id = i.user_id \
         JOIN organisations g ON g.id = i.org_id \
         LEFT JOIN outbox o ON o.id = i.last_message_id \
         WHERE i.round_at >= $1 AND i.round_at <= $2 AND u.status = 'invited' \
         AND g.invitation_reminder_days <> '' ORDER BY i.org_id, i.round_at",
    )
    .bind(since)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(RoundRow {
                user_id: r.try_get("user_id")?,
                org_id: r.try_get("org_id")?,
                first_at: r.try_get("first_at")?,
                invited_by: r.try_get("invited_by")?,
                round_at: r.try_get("round_at")?,
                last_at: r.try_get("last_at")?,
                message_state: r.try_get("m_state")?,
            })
        })
        .collect()
}

/// The invitation of one person, as [`rounds_between`] gives it (read again inside the
/// transaction that queues a reminder).
pub async fn round_of(conn: &mut Conn, user_id: &str) -> Result<Option<RoundRow>> {
    let row = sqlx::query(
        "SELECT i.user_id, i.org_id, i.first_at, i.invited_by, i.round_at, i.last_at, o.state AS m_state \
         FROM invitations i LEFT JOIN outbox o ON o.id = i.last_message_id WHERE i.user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(RoundRow {
            user_id: r.try_get("user_id")?,
            org_id: r.try_get("org_id")?,
            first_at: r.try_get("first_at")?,
            invited_by: r.try_get("invited_by")?,
            round_at: r.try_get("round_at")?,
            last_at: r.try_get("last_at")?,
            message_state: r.try_get("m_state")?,
        })
    })
    .transpose()
}

/// The highest stage reminded in the round that started at `round_at`.
pub async fn last_stage(conn: &mut Conn, user_id: &str, round_at: i64) -> Result<Option<i64>> {
    let row = sqlx::query(
        "SELECT MAX(stage) AS s FROM invitation_reminders WHERE user_id = $1 AND round_at = $2",
    )
    .bind(user_id)
    .bind(round_at)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("s")?)
}

/// Notes the reminder of `stage` in a round, on `day`: false when it was noted already, or
/// another reminder was on that day (another instance queued it).
pub async fn note_reminder(
    conn: &mut Conn,
    user_id: &str,
    round_at: i64,
    stage: i64,
    day: &str,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO invitation_reminders (user_id, round_at, stage, day, queued_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(round_at)
    .bind(stage)
    .bind(day)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}
