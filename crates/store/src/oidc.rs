//! The state of single sign-on (migration 0021): authorization codes, grants and their tokens,
//! consents, and the applications each session signed in to with their back-channel logouts.
//! Every secret is found by its SHA-256; none is stored.

use crate::users::UserRow;
use crate::{Conn, Result};
use sesame_core::Status;
use sqlx::Row;
use std::sync::LazyLock;

/// An authorization code as stored, before it is redeemed.
#[derive(Debug, Clone)]
pub struct CodeRow {
    pub org_id: String,
    pub app_id: String,
    pub user_id: String,
    pub session_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub auth_time: i64,
    pub created_at: i64,
    pub expires_at: i64,
}

pub async fn insert_code(conn: &mut Conn, code_hash: &str, c: &CodeRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO oidc_codes (code_hash, org_id, app_id, user_id, session_id, redirect_uri, scope, nonce, \
         code_challenge, auth_time, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(code_hash)
    .bind(&c.org_id)
    .bind(&c.app_id)
    .bind(&c.user_id)
    .bind(&c.session_id)
    .bind(&c.redirect_uri)
    .bind(&c.scope)
    .bind(&c.nonce)
    .bind(&c.code_challenge)
    .bind(c.auth_time)
    .bind(c.created_at)
    .bind(c.expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What presenting a code found.
#[derive(Debug)]
pub enum Taken {
    /// Its first use: the code, now spent.
    First(CodeRow),
    /// Spent already: the grant its first use made, if any (to revoke).
    Again(Option<String>),
    Unknown,
}

/// Spends the code with this hash issued to `app_id`, naming `grant_id` as what it gives (so
/// that its replay can revoke it): the first caller gets the code, every later one learns it
/// was spent (the single `UPDATE … WHERE used_at IS NULL` decides, whichever instance asks).
/// Another client's code is [`Taken::Unknown`], and left unspent. A code refused after it is
/// taken (expired, another `redirect_uri`) names a grant never written: its replay revokes
/// nothing, and is refused all the same.
pub async fn take_code(
    conn: &mut Conn,
    code_hash: &str,
    app_id: &str,
    grant_id: &str,
    now: i64,
) -> Result<Taken> {
    if let Some(r) = sqlx::query(
        "UPDATE oidc_codes SET used_at = $3, grant_id = $4 \
         WHERE code_hash = $1 AND app_id = $2 AND used_at IS NULL \
         RETURNING org_id, app_id, user_id, session_id, redirect_uri, scope, nonce, code_challenge, \
         auth_time, created_at, expires_at",
    )
    .bind(code_hash)
    .bind(app_id)
    .bind(now)
    .bind(grant_id)
    .fetch_optional(&mut *conn)
    .await?
    {
        return Ok(Taken::First(CodeRow {
            org_id: r.try_get("org_id")?,
            app_id: r.try_get("app_id")?,
            user_id: r.try_get("user_id")?,
            session_id: r.try_get("session_id")?,
            redirect_uri: r.try_get("redirect_uri")?,
            scope: r.try_get("scope")?,
            nonce: r.try_get("nonce")?,
            code_challenge: r.try_get("code_challenge")?,
            auth_time: r.try_get("auth_time")?,
            created_at: r.try_get("created_at")?,
            expires_at: r.try_get("expires_at")?,
        }));
    }
    let spent = sqlx::query("SELECT grant_id FROM oidc_codes WHERE code_hash = $1 AND app_id = $2")
        .bind(code_hash)
        .bind(app_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match spent {
        Some(r) => Taken::Again(r.try_get("grant_id")?),
        None => Taken::Unknown,
    })
}

#[derive(Debug, Clone)]
pub struct GrantRow {
    pub id: String,
    pub org_id: String,
    pub app_id: String,
    pub user_id: String,
    pub session_id: String,
    pub scope: String,
    pub auth_time: i64,
    pub created_at: i64,
}

pub async fn insert_grant(conn: &mut Conn, g: &GrantRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO oidc_grants (id, org_id, app_id, user_id, session_id, scope, auth_time, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&g.id)
    .bind(&g.org_id)
    .bind(&g.app_id)
    .bind(&g.user_id)
    .bind(&g.session_id)
    .bind(&g.scope)
    .bind(g.auth_time)
    .bind(g.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Ends a grant and so every token of its family.
pub async fn revoke_grant(conn: &mut Conn, grant_id: &str, at: i64) -> Result<()> {
    sqlx::query("UPDATE oidc_grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .bind(grant_id)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Ends every grant a person gave one application (consent withdrawn).
pub async fn revoke_grants_of_app_for(
    conn: &mut Conn,
    org_id: &str,
    app_id: &str,
    user_id: &str,
    at: i64,
) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE oidc_grants SET revoked_at = $4 WHERE org_id = $1 AND app_id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(org_id)
    .bind(app_id)
    .bind(user_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// The access and refresh tokens of one exchange, by their hashes, in one statement.
pub async fn insert_pair(
    conn: &mut Conn,
    grant_id: &str,
    access_hash: &str,
    access_expires_at: i64,
    refresh_hash: &str,
    refresh_expires_at: i64,
    created_at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO oidc_tokens (token_hash, grant_id, kind, created_at, expires_at) \
         VALUES ($1, $2, 'access', $3, $4), ($5, $2, 'refresh', $3, $6)",
    )
    .bind(access_hash)
    .bind(grant_id)
    .bind(created_at)
    .bind(access_expires_at)
    .bind(refresh_hash)
    .bind(refresh_expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A token with its grant, and whether everything it hangs on still holds.
#[derive(Debug, Clone)]
pub struct TokenFound {
    pub kind: String,
    pub expires_at: i64,
    pub rotated_at: Option<i64>,
    pub grant: GrantRow,
    pub grant_revoked: bool,
    /// The Sésame session it came from has ended (signed out, ended by an administrator,
    /// password reset, person disabled or deleted).
    pub session_ended: bool,
    /// The person it was issued for, as they are now (userinfo answers with their claims).
    pub user: UserRow,
    /// The slug of the organisation that issued it (its issuer is `/o/{slug}`).
    pub org_slug: String,
}

impl TokenFound {
    /// Whether it opens anything at `now`: not expired, its grant, session and person alive.
    pub fn live(&self, now: i64) -> bool {
        self.expires_at > now
            && !self.grant_revoked
            && !self.session_ended
            && self.user.status == Status::Active
    }
}

/// What [`find_token`] reads: the token, its grant, session and organisation, and the
/// person's columns named as `users::from_row` reads them.
static TOKEN_COLUMNS: LazyLock<String> = LazyLock::new(|| {
    let person = crate::users::COLUMNS
        .split(", ")
        .map(|c| format!("u.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "t.kind, t.expires_at, t.rotated_at, g.id AS g_id, g.org_id AS g_org_id, g.app_id, g.user_id, \
         g.session_id, g.scope, g.auth_time, g.created_at AS g_created_at, g.revoked_at AS g_revoked_at, \
         s.id AS s_id, s.revoked_at AS s_revoked_at, o.slug, {person}"
    )
});

const TOKEN_FROM: &str = "oidc_tokens t JOIN oidc_grants g ON g.id = t.grant_id JOIN users u ON u.id = g.user_id \
     JOIN organisations o ON o.id = g.org_id LEFT JOIN tokens s ON s.id = g.session_id";

static TOKEN_QUERY: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {} FROM {TOKEN_FROM} WHERE t.token_hash = $1",
        TOKEN_COLUMNS.as_str()
    )
});

/// [`TOKEN_QUERY`] and, below its row, one row per group of the person and per role they
/// hold when the grant's scope has `groups` and `roles`: userinfo in one statement. A row's
/// `part` says which it is; each part leaves the others' columns NULL.
static TOKEN_AND_BELONGINGS_QUERY: LazyLock<String> = LazyLock::new(|| {
    let nulls = vec!["NULL"; TOKEN_COLUMNS.split(", ").count()].join(", ");
    let has = |scope: &str| format!("(' ' || gr.scope || ' ') LIKE '% {scope} %'");
    format!(
        "SELECT 'token' AS part, {columns}, NULL AS b_name, NULL AS b_group, NULL AS b_sort, 0 AS b_born \
         FROM {TOKEN_FROM} WHERE t.token_hash = $1 \
         UNION ALL \
         SELECT 'group', {nulls}, gp.name, NULL, gp.name_key, 0 \
         FROM oidc_tokens t JOIN oidc_grants gr ON gr.id = t.grant_id \
         JOIN memberships m ON m.org_id = gr.org_id AND m.user_id = gr.user_id JOIN groups gp ON gp.id = m.group_id \
         WHERE t.token_hash = $1 AND {groups} \
         UNION ALL \
         SELECT 'role', {nulls}, r.name, gp.name, r.name, r.created_at \
         FROM oidc_tokens t JOIN oidc_grants gr ON gr.id = t.grant_id \
         JOIN role_assignments ra ON ra.org_id = gr.org_id AND ra.user_id = gr.user_id \
         JOIN roles r ON r.id = ra.role_id LEFT JOIN groups gp ON gp.id = ra.group_id \
         WHERE t.token_hash = $1 AND {roles}",
        columns = TOKEN_COLUMNS.as_str(),
        groups = has("groups"),
        roles = has("roles"),
    )
});

/// The token with this hash, with its grant, session, person and organisation, in one query.
pub async fn find_token(conn: &mut Conn, token_hash: &str) -> Result<Option<TokenFound>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(TOKEN_QUERY.as_str()))
        .bind(token_hash)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(token_of).transpose()
}

/// As [`find_token`], with the person's [`Belongings`] that the grant's scope asks for, in
/// one statement: userinfo asks it at every call.
pub async fn find_token_with_belongings(
    conn: &mut Conn,
    token_hash: &str,
) -> Result<Option<(TokenFound, Belongings)>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(TOKEN_AND_BELONGINGS_QUERY.as_str()))
        .bind(token_hash)
        .fetch_all(&mut *conn)
        .await?;
    let mut token = None;
    let mut sorted = Sorted::default();
    for r in &rows {
        match r.try_get::<String, _>("part")?.as_str() {
            "token" => token = Some(token_of(r)?),
            "group" => sorted
                .groups
                .push((r.try_get("b_sort")?, r.try_get("b_name")?)),
            _ => sorted.roles.push((
                r.try_get("b_born")?,
                r.try_get("b_name")?,
                r.try_get("b_group")?,
            )),
        }
    }
    Ok(token.map(|t| (t, sorted.done())))
}

fn token_of(r: &sqlx::any::AnyRow) -> Result<TokenFound> {
    Ok(TokenFound {
        kind: r.try_get("kind")?,
        expires_at: r.try_get("expires_at")?,
        rotated_at: r.try_get("rotated_at")?,
        grant: GrantRow {
            id: r.try_get("g_id")?,
            org_id: r.try_get("g_org_id")?,
            app_id: r.try_get("app_id")?,
            user_id: r.try_get("user_id")?,
            session_id: r.try_get("session_id")?,
            scope: r.try_get("scope")?,
            auth_time: r.try_get("auth_time")?,
            created_at: r.try_get("g_created_at")?,
        },
        grant_revoked: r.try_get::<Option<i64>, _>("g_revoked_at")?.is_some(),
        // A session row that is gone counts as ended.
        session_ended: r.try_get::<Option<i64>, _>("s_revoked_at")?.is_some()
            || r.try_get::<Option<String>, _>("s_id")?.is_none(),
        user: crate::users::from_row(r)?,
        org_slug: r.try_get("slug")?,
    })
}

/// Groups (by sort key) and roles (by age, name, group) as read, before their order.
#[derive(Default)]
struct Sorted {
    groups: Vec<(String, String)>,
    roles: Vec<(i64, String, Option<String>)>,
}

impl Sorted {
    /// Sorted here, the same on both databases (they order NULLs differently): groups by
    /// their key, roles oldest first, organisation-wide before a group, groups by name.
    fn done(mut self) -> Belongings {
        self.groups.sort();
        self.roles.sort();
        Belongings {
            groups: self.groups.into_iter().map(|(_, name)| name).collect(),
            roles: self
                .roles
                .into_iter()
                .map(|(_, name, group)| (name, group))
                .collect(),
        }
    }
}

/// What an application may learn of a person beyond their own row: the names of their groups
/// (by their sort key) and the roles they hold, each with the group it is held in (none:
/// organisation-wide), oldest role first. One query for both; each half only when asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Belongings {
    pub groups: Vec<String>,
    pub roles: Vec<(String, Option<String>)>,
}

pub async fn belongings(
    conn: &mut Conn,
    org_id: &str,
    user_id: &str,
    groups: bool,
    roles: bool,
) -> Result<Belongings> {
    // The two halves as one list of rows: (kind, sort, name, group); a half not asked for
    // is cut by its `$3`/`$4` flag rather than by another statement.
    let rows = sqlx::query(
        "SELECT 'g' AS kind, 0 AS born, g.name_key AS sort_key, g.name AS name, NULL AS in_group \
         FROM memberships m JOIN groups g ON g.id = m.group_id \
         WHERE m.org_id = $1 AND m.user_id = $2 AND $3 = 1 \
         UNION ALL \
         SELECT 'r' AS kind, r.created_at AS born, r.name AS sort_key, r.name AS name, g.name AS in_group \
         FROM role_assignments ra JOIN roles r ON r.id = ra.role_id LEFT JOIN groups g ON g.id = ra.group_id \
         WHERE ra.org_id = $1 AND ra.user_id = $2 AND $4 = 1",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(i64::from(groups))
    .bind(i64::from(roles))
    .fetch_all(&mut *conn)
    .await?;
    let mut sorted = Sorted::default();
    for row in &rows {
        let name: String = row.try_get("name")?;
        if row.try_get::<String, _>("kind")? == "g" {
            sorted.groups.push((row.try_get("sort_key")?, name));
        } else {
            sorted
                .roles
                .push((row.try_get("born")?, name, row.try_get("in_group")?));
        }
    }
    Ok(sorted.done())
}

/// Marks a refresh token as rotated, once: false when another request rotated it first.
pub async fn rotate_token(conn: &mut Conn, token_hash: &str, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE oidc_tokens SET rotated_at = $2 WHERE token_hash = $1 AND rotated_at IS NULL",
    )
    .bind(token_hash)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Forgets one token (revocation, RFC 7009).
pub async fn delete_token(conn: &mut Conn, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM oidc_tokens WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes what can no longer open anything: expired codes and tokens, grants with no token
/// left that ended or are older than `grants_before`, and application sessions done (or whose
/// Sésame session expired unended) before it.
pub async fn sweep(conn: &mut Conn, now: i64, grants_before: i64) -> Result<()> {
    sqlx::query("DELETE FROM oidc_codes WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM oidc_tokens WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "DELETE FROM oidc_grants WHERE (revoked_at IS NOT NULL OR created_at < $1) \
         AND NOT EXISTS (SELECT 1 FROM oidc_tokens t WHERE t.grant_id = oidc_grants.id)",
    )
    .bind(grants_before)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM oidc_app_sessions WHERE done_at IS NOT NULL AND done_at < $1")
        .bind(grants_before)
        .execute(&mut *conn)
        .await?;
    // Sessions that ended by themselves (their 12 hours, or 2 hours unused) owe no logout.
    sqlx::query(
        "DELETE FROM oidc_app_sessions WHERE done_at IS NULL AND created_at < $1 \
         AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.id = oidc_app_sessions.session_id AND t.revoked_at IS NOT NULL)",
    )
    .bind(grants_before)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The scopes a person allowed an application, if they did.
pub async fn consent(conn: &mut Conn, user_id: &str, app_id: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT scope FROM oidc_consents WHERE user_id = $1 AND app_id = $2")
        .bind(user_id)
        .bind(app_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.try_get("scope")).transpose()?)
}

pub async fn set_consent(
    conn: &mut Conn,
    org_id: &str,
    user_id: &str,
    app_id: &str,
    scope: &str,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO oidc_consents (user_id, app_id, org_id, scope, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, app_id) DO UPDATE SET scope = excluded.scope, created_at = excluded.created_at",
    )
    .bind(user_id)
    .bind(app_id)
    .bind(org_id)
    .bind(scope)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An application a person allowed, for their account page.
#[derive(Debug, Clone)]
pub struct ConsentRow {
    pub app_id: String,
    pub app_name: String,
    pub scope: String,
    pub created_at: i64,
}

pub async fn consents_of(conn: &mut Conn, org_id: &str, user_id: &str) -> Result<Vec<ConsentRow>> {
    let rows = sqlx::query(
        "SELECT c.app_id, a.name, c.scope, c.created_at FROM oidc_consents c JOIN apps a ON a.id = c.app_id \
         WHERE c.org_id = $1 AND c.user_id = $2 ORDER BY a.name, c.app_id",
    )
    .bind(org_id)
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ConsentRow {
                app_id: r.try_get("app_id")?,
                app_name: r.try_get("name")?,
                scope: r.try_get("scope")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// Forgets a consent; false when there was none.
pub async fn delete_consent(
    conn: &mut Conn,
    org_id: &str,
    user_id: &str,
    app_id: &str,
) -> Result<bool> {
    let done =
        sqlx::query("DELETE FROM oidc_consents WHERE org_id = $1 AND user_id = $2 AND app_id = $3")
            .bind(org_id)
            .bind(user_id)
            .bind(app_id)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// Notes that a session signed in to an application (idempotent): it is owed a back-channel
/// logout when that session ends.
pub async fn record_app_session(
    conn: &mut Conn,
    session_id: &str,
    app_id: &str,
    org_id: &str,
    user_id: &str,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO oidc_app_sessions (session_id, app_id, org_id, user_id, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (session_id, app_id) DO NOTHING",
    )
    .bind(session_id)
    .bind(app_id)
    .bind(org_id)
    .bind(user_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A back-channel logout to send.
#[derive(Debug, Clone)]
pub struct Logout {
    pub session_id: String,
    pub app_id: String,
    pub org_id: String,
    pub user_id: String,
    pub uri: String,
    pub attempts: i64,
}

/// Claims up to `limit` logouts that are due: application sessions whose Sésame session has
/// ended and whose application has a back-channel logout URI. Each is leased until
/// `lease_until` (another instance skips it meanwhile); the one that claims it sends it.
pub async fn claim_logouts(
    conn: &mut Conn,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<Logout>> {
    let rows = sqlx::query(
        "SELECT s.session_id, s.app_id, s.org_id, s.user_id, s.attempts, a.backchannel_logout_uri \
         FROM oidc_app_sessions s JOIN apps a ON a.id = s.app_id JOIN tokens t ON t.id = s.session_id \
         WHERE s.done_at IS NULL AND s.next_at <= $1 AND t.revoked_at IS NOT NULL \
         AND a.backchannel_logout_uri IS NOT NULL AND a.backchannel_logout_uri <> '' \
         ORDER BY s.next_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut claimed = Vec::new();
    for r in &rows {
        let session_id: String = r.try_get("session_id")?;
        let app_id: String = r.try_get("app_id")?;
        let attempts: i64 = r.try_get("attempts")?;
        // The lease: only the instance whose update matched the attempts it read sends it.
        let won = sqlx::query(
            "UPDATE oidc_app_sessions SET next_at = $4, attempts = attempts + 1 \
             WHERE session_id = $1 AND app_id = $2 AND attempts = $3 AND done_at IS NULL",
        )
        .bind(&session_id)
        .bind(&app_id)
        .bind(attempts)
        .bind(lease_until)
        .execute(&mut *conn)
        .await?;
        if won.rows_affected() == 1 {
            claimed.push(Logout {
                session_id,
                app_id,
                org_id: r.try_get("org_id")?,
                user_id: r.try_get("user_id")?,
                uri: r.try_get("backchannel_logout_uri")?,
                attempts: attempts + 1,
            });
        }
    }
    Ok(claimed)
}

/// The outcome of one attempt: `done` with `sent`/`failed`, or another try at `next_at`.
pub async fn logout_attempted(
    conn: &mut Conn,
    session_id: &str,
    app_id: &str,
    done: Option<(&str, i64)>,
    next_at: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE oidc_app_sessions SET done_at = $3, outcome = $4, next_at = $5 WHERE session_id = $1 AND app_id = $2",
    )
    .bind(session_id)
    .bind(app_id)
    .bind(done.map(|d| d.1))
    .bind(done.map(|d| d.0))
    .bind(next_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What a session says of how and when its person signed in.
#[derive(Debug, Clone)]
pub struct SessionFacts {
    pub created_at: i64,
    pub amr: Option<String>,
    /// Signed out, ended by an administrator, or its person no longer active.
    pub ended: bool,
}

pub async fn session_facts(conn: &mut Conn, session_id: &str) -> Result<Option<SessionFacts>> {
    let row = sqlx::query(
        "SELECT t.created_at, t.amr, t.revoked_at, u.status FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1",
    )
    .bind(session_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(SessionFacts {
            created_at: r.try_get("created_at")?,
            amr: r.try_get("amr")?,
            ended: r.try_get::<Option<i64>, _>("revoked_at")?.is_some()
                || r.try_get::<String, _>("status")? != "active",
        })
    })
    .transpose()
}

/// Records how a new session was opened (`pwd`, `pwd otp mfa`).
pub async fn set_session_amr(conn: &mut Conn, session_id: &str, amr: &str) -> Result<()> {
    sqlx::query("UPDATE tokens SET amr = $2 WHERE id = $1")
        .bind(session_id)
        .bind(amr)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Ends one Sésame session (RP-initiated logout); the back-channel logouts follow.
pub async fn end_session(
    conn: &mut Conn,
    session_id: &str,
    user_id: &str,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND kind = 'session' AND revoked_at IS NULL",
    )
    .bind(session_id)
    .bind(user_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}
