//! Sessions and API tokens, found by the SHA-256 of the secret (never the secret itself).

use crate::{Conn, Result};
use sesame_core::policy::Allowed;
use sesame_core::policy::action::IssueToken;
use sesame_core::policy::proof::EndsSessions;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub id: String,
    pub org_id: String,
    pub user_id: String,
    /// `session` or `api`.
    pub kind: String,
    pub name: String,
    pub permissions: Option<String>,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    /// Address it was created from.
    pub source: Option<String>,
    /// Address it was last used from.
    pub last_source: Option<String>,
    pub user_agent: Option<String>,
}

const COLUMNS: &str = "id, org_id, user_id, kind, name, permissions, created_at, expires_at, last_used_at, revoked_at, source, last_source, user_agent";

fn from_row(r: &sqlx::any::AnyRow) -> Result<TokenRow> {
    Ok(TokenRow {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        user_id: r.try_get("user_id")?,
        kind: r.try_get("kind")?,
        name: r.try_get("name")?,
        permissions: r.try_get("permissions")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        last_used_at: r.try_get("last_used_at")?,
        revoked_at: r.try_get("revoked_at")?,
        source: r.try_get("source")?,
        last_source: r.try_get("last_source")?,
        user_agent: r.try_get("user_agent")?,
    })
}

pub async fn insert(
    conn: &mut Conn,
    proof: &Allowed<IssueToken>,
    t: &TokenRow,
    token_hash: &str,
) -> Result<()> {
    crate::check_target(proof, &t.org_id, &t.user_id)?;
    sqlx::query(
        "INSERT INTO tokens (id, token_hash, org_id, user_id, kind, name, permissions, created_at, expires_at, last_used_at, revoked_at, source, last_source, user_agent) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(&t.id)
    .bind(token_hash)
    .bind(&t.org_id)
    .bind(&t.user_id)
    .bind(&t.kind)
    .bind(&t.name)
    .bind(&t.permissions)
    .bind(t.created_at)
    .bind(t.expires_at)
    .bind(t.last_used_at)
    .bind(t.revoked_at)
    .bind(&t.source)
    .bind(&t.last_source)
    .bind(&t.user_agent)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records a use of the token: when, and from which address.
pub async fn touch(conn: &mut Conn, id: &str, at: i64, source: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE tokens SET last_used_at = $2, last_source = $3 WHERE id = $1")
        .bind(id)
        .bind(at)
        .bind(source)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Revokes one of the tokens of the person the proof names; false when there is no such live
/// token.
pub async fn revoke<A: EndsSessions>(
    conn: &mut Conn,
    proof: &Allowed<A>,
    id: &str,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE tokens SET revoked_at = $4 WHERE org_id = $1 AND user_id = $2 AND id = $3 AND revoked_at IS NULL",
    )
    .bind(proof.org_id())
    .bind(proof.user_id())
    .bind(id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Revokes one of the tokens of `kind` of the person the proof names; false when there is no
/// such live token.
pub async fn revoke_own<A: EndsSessions>(
    conn: &mut Conn,
    proof: &Allowed<A>,
    kind: &str,
    id: &str,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE tokens SET revoked_at = $5 WHERE org_id = $1 AND user_id = $2 AND kind = $3 AND id = $4 AND revoked_at IS NULL",
    )
    .bind(proof.org_id())
    .bind(proof.user_id())
    .bind(kind)
    .bind(id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Ends the sessions (API tokens stay) of the person the proof names, except `keep` when
/// given; answers how many ended.
pub async fn revoke_sessions_of<A: EndsSessions>(
    conn: &mut Conn,
    proof: &Allowed<A>,
    keep: Option<&str>,
    at: i64,
) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE tokens SET revoked_at = $3 WHERE org_id = $1 AND user_id = $2 AND kind = 'session' AND revoked_at IS NULL AND id <> $4",
    )
    .bind(proof.org_id())
    .bind(proof.user_id())
    .bind(at)
    .bind(keep.unwrap_or(""))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Ends every session and token of the person the proof names (disabled, deleted).
pub async fn revoke_all_of<A: EndsSessions>(
    conn: &mut Conn,
    proof: &Allowed<A>,
    at: i64,
) -> Result<u64> {
    let done = sqlx::query("UPDATE tokens SET revoked_at = $3 WHERE org_id = $1 AND user_id = $2 AND revoked_at IS NULL")
        .bind(proof.org_id())
        .bind(proof.user_id())
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// A user's live tokens of `kind` (`session` or `api`), newest first. Sessions idle since
/// before `idle_since` are left out: they no longer open anything.
pub async fn live_of_user(
    conn: &mut Conn,
    org_id: &str,
    user_id: &str,
    kind: &str,
    now: i64,
    idle_since: i64,
) -> Result<Vec<TokenRow>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tokens WHERE org_id = $1 AND user_id = $2 AND kind = $3 AND revoked_at IS NULL \
         AND (expires_at IS NULL OR expires_at > $4) AND (kind <> 'session' OR last_used_at >= $5) ORDER BY created_at DESC, id DESC"
    )))
    .bind(org_id)
    .bind(user_id)
    .bind(kind)
    .bind(now)
    .bind(idle_since)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// A live token with everything a request needs to know of its owner.
#[derive(Debug, Clone)]
pub struct Owner {
    pub token: TokenRow,
    pub user: crate::users::UserRow,
    pub org: crate::orgs::OrgRow,
    /// The roles the user holds (names are left empty: only rights matter here).
    pub held: Vec<crate::roles::HeldRole>,
    /// Whether the user has a second factor: a confirmed authenticator app, or a passkey.
    pub mfa_enabled: bool,
    /// The end of the user's grace period for required two-factor, if they have one.
    pub grace_deadline: Option<i64>,
}

/// The live token with this hash, with its user, organisation and the user's roles, in one
/// query (one row per role): this runs on every authenticated request.
pub async fn live_with_owner(conn: &mut Conn, token_hash: &str, now: i64) -> Result<Option<Owner>> {
    let rows = sqlx::query(
        "SELECT t.id AS t_id, t.kind AS t_kind, t.name AS t_name, t.permissions AS t_permissions, t.created_at AS t_created_at, \
         t.expires_at AS t_expires_at, t.last_used_at AS t_last_used_at, t.source AS t_source, t.last_source AS t_last_source, \
         t.user_agent AS t_user_agent, m.confirmed_at AS m_confirmed_at, \
         (SELECT COUNT(*) FROM passkeys p WHERE p.user_id = u.id) AS p_count, \
         u.id, u.org_id, u.login, u.email, u.first_name, u.last_name, u.phone, u.language, u.address_line, u.postal_code, u.city, \
         u.status, u.created_at, u.updated_at, \
         o.slug AS o_slug, o.name AS o_name, o.profile AS o_profile, o.language AS o_language, o.country AS o_country, \
         o.required_fields AS o_required_fields, o.mail_from_name AS o_mail_from_name, \
         o.mail_from_address AS o_mail_from_address, o.invitation_ttl_hours AS o_invitation_ttl_hours, \
         o.reset_ttl_minutes AS o_reset_ttl_minutes, o.time_zone AS o_time_zone, o.mfa_grace_days AS o_mfa_grace_days, o.invitation_reminder_days AS o_invitation_reminder_days, g.deadline AS g_deadline, o.created_at AS o_created_at, o.updated_at AS o_updated_at, \
         ra.role_id AS ra_role_id, ra.group_id AS ra_group_id, r.permissions AS ra_permissions, r.requires_mfa AS ra_requires_mfa \
         FROM tokens t JOIN users u ON u.id = t.user_id AND u.org_id = t.org_id JOIN organisations o ON o.id = t.org_id \
         LEFT JOIN totp m ON m.user_id = u.id LEFT JOIN mfa_grace g ON g.user_id = u.id \
         LEFT JOIN role_assignments ra ON ra.user_id = u.id AND ra.org_id = t.org_id LEFT JOIN roles r ON r.id = ra.role_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2) AND u.status <> 'deleted'",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    let Some(r) = rows.first() else {
        return Ok(None);
    };
    let user = crate::users::from_row(r)?;
    let token = TokenRow {
        id: r.try_get("t_id")?,
        org_id: user.org_id.clone(),
        user_id: user.id.clone(),
        kind: r.try_get("t_kind")?,
        name: r.try_get("t_name")?,
        permissions: r.try_get("t_permissions")?,
        created_at: r.try_get("t_created_at")?,
        expires_at: r.try_get("t_expires_at")?,
        last_used_at: r.try_get("t_last_used_at")?,
        revoked_at: None,
        source: r.try_get("t_source")?,
        last_source: r.try_get("t_last_source")?,
        user_agent: r.try_get("t_user_agent")?,
    };
    // A confirmed authenticator app or a passkey (issue 22).
    let mfa_enabled = r.try_get::<Option<i64>, _>("m_confirmed_at")?.is_some()
        || r.try_get::<i64, _>("p_count")? > 0;
    let grace_deadline: Option<i64> = r.try_get("g_deadline")?;
    let org = crate::orgs::OrgRow {
        id: user.org_id.clone(),
        slug: r.try_get("o_slug")?,
        name: r.try_get("o_name")?,
        profile: r.try_get("o_profile")?,
        language: r.try_get("o_language")?,
        country: r.try_get("o_country")?,
        required_fields: r.try_get("o_required_fields")?,
        mail_from_name: r.try_get("o_mail_from_name")?,
        mail_from_address: r.try_get("o_mail_from_address")?,
        invitation_ttl_hours: r.try_get::<i64, _>("o_invitation_ttl_hours")?,
        reset_ttl_minutes: r.try_get::<i64, _>("o_reset_ttl_minutes")?,
        time_zone: r.try_get("o_time_zone")?,
        mfa_grace_days: r.try_get::<i64, _>("o_mfa_grace_days")?,
        invitation_reminder_days: r.try_get("o_invitation_reminder_days")?,
        created_at: r.try_get("o_created_at")?,
        updated_at: r.try_get("o_updated_at")?,
    };
    let mut held = Vec::new();
    for r in &rows {
        let Some(role_id) = r.try_get::<Option<String>, _>("ra_role_id")? else {
            continue;
        };
        let group_id: Option<String> = r.try_get("ra_group_id")?;
        held.push(crate::roles::HeldRole {
            user_id: user.id.clone(),
            role_id,
            role_name: String::new(),
            permissions: r
                .try_get::<Option<String>, _>("ra_permissions")?
                .unwrap_or_default(),
            group_id: group_id.filter(|g| !g.is_empty()),
            group_name: None,
            requires_mfa: r
                .try_get::<Option<i64>, _>("ra_requires_mfa")?
                .is_some_and(|v| v != 0),
        });
    }
    Ok(Some(Owner {
        token,
        user,
        org,
        held,
        mfa_enabled,
        grace_deadline,
    }))
}
