//! Organisations and their settings.

use crate::{Conn, Result, now_ms};
use sqlx::Row;

/// Defaults of the link lifetimes (migration 0004 says the same).
pub const INVITATION_TTL_HOURS: i64 = 168;
pub const RESET_TTL_MINUTES: i64 = 60;
/// Default of the two-factor grace period (migration 0023 says the same).
pub const MFA_GRACE_DAYS: i64 = 14;
/// Default days after an invitation when reminders go (migration 0025 says the same).
pub const INVITATION_REMINDER_DAYS: &str = "3,7";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub profile: String,
    pub language: String,
    pub country: String,
    pub required_fields: String,
    /// Sender of the organisation's e-mails; `None`: its name, and the server's address.
    pub mail_from_name: Option<String>,
    pub mail_from_address: Option<String>,
    /// How long an invitation link stays valid.
    pub invitation_ttl_hours: i64,
    /// How long a password-reset link stays valid.
    pub reset_ttl_minutes: i64,
    /// IANA name of the zone people read dates in (checked by `sesame_core::Zone`).
    pub time_zone: String,
    /// Days someone newly required to use two-factor may still sign in without it (0–365).
    pub mfa_grace_days: i64,
    /// Days after an invitation when a reminder goes, comma-separated, increasing; `""`: none.
    pub invitation_reminder_days: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, slug, name, profile, language, country, required_fields, mail_from_name, mail_from_address, invitation_ttl_hours, reset_ttl_minutes, time_zone, mfa_grace_days, invitation_reminder_days, created_at, updated_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<OrgRow> {
    Ok(OrgRow {
        id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        name: r.try_get("name")?,
        profile: r.try_get("profile")?,
        language: r.try_get("language")?,
        country: r.try_get("country")?,
        required_fields: r.try_get("required_fields")?,
        mail_from_name: r.try_get("mail_from_name")?,
        mail_from_address: r.try_get("mail_from_address")?,
        invitation_ttl_hours: r.try_get::<i64, _>("invitation_ttl_hours")?,
        reset_ttl_minutes: r.try_get::<i64, _>("reset_ttl_minutes")?,
        time_zone: r.try_get("time_zone")?,
        mfa_grace_days: r.try_get::<i64, _>("mfa_grace_days")?,
        invitation_reminder_days: r.try_get("invitation_reminder_days")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn insert(conn: &mut Conn, org: &OrgRow, setup_token_hash: Option<&str>) -> Result<()> {
    sqlx::query(
        "INSERT INTO organisations (id, slug, name, profile, language, country, required_fields, setup_token_hash, created_at, updated_at, \
         mail_from_name, mail_from_address, invitation_ttl_hours, reset_ttl_minutes, time_zone, mfa_grace_days, invitation_reminder_days) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(&org.id)
    .bind(&org.slug)
    .bind(&org.name)
    .bind(&org.profile)
    .bind(&org.language)
    .bind(&org.country)
    .bind(&org.required_fields)
    .bind(setup_token_hash)
    .bind(org.created_at)
    .bind(org.updated_at)
    .bind(&org.mail_from_name)
    .bind(&org.mail_from_address)
    .bind(org.invitation_ttl_hours)
    .bind(org.reset_ttl_minutes)
    .bind(&org.time_zone)
    .bind(org.mfa_grace_days)
    .bind(&org.invitation_reminder_days)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn list(conn: &mut Conn) -> Result<Vec<OrgRow>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM organisations ORDER BY slug"
    )))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(conn: &mut Conn, id: &str) -> Result<Option<OrgRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM organisations WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn by_slug(conn: &mut Conn, slug: &str) -> Result<Option<OrgRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM organisations WHERE slug = $1"
    )))
    .bind(slug)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Writes the settings of the organisation the proof is for.
pub async fn update_settings(
    conn: &mut Conn,
    proof: &sesame_core::policy::Allowed<sesame_core::policy::action::OrgSettings>,
    org: &OrgRow,
) -> Result<()> {
    if proof.org_id() != org.id {
        return Err(crate::StoreError::NotTheTarget);
    }
    sqlx::query(
        "UPDATE organisations SET name = $2, language = $3, country = $4, required_fields = $5, updated_at = $6, \
         mail_from_name = $7, mail_from_address = $8, invitation_ttl_hours = $9, reset_ttl_minutes = $10, time_zone = $11, \
         mfa_grace_days = $12, invitation_reminder_days = $13 WHERE id = $1",
    )
    .bind(&org.id)
    .bind(&org.name)
    .bind(&org.language)
    .bind(&org.country)
    .bind(&org.required_fields)
    .bind(now_ms())
    .bind(&org.mail_from_name)
    .bind(&org.mail_from_address)
    .bind(org.invitation_ttl_hours)
    .bind(org.reset_ttl_minutes)
    .bind(&org.time_zone)
    .bind(org.mfa_grace_days)
    .bind(&org.invitation_reminder_days)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Replaces the one-time setup token (a new link each start until it is used).
pub async fn set_setup_token(conn: &mut Conn, org_id: &str, token_hash: &str) -> Result<()> {
    sqlx::query("UPDATE organisations SET setup_token_hash = $2 WHERE id = $1")
        .bind(org_id)
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Consumes the setup token: returns the organisation it belonged to, once.
pub async fn take_setup_token(conn: &mut Conn, token_hash: &str) -> Result<Option<String>> {
    let row = sqlx::query(
        "UPDATE organisations SET setup_token_hash = NULL WHERE setup_token_hash = $1 RETURNING id",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.try_get("id")).transpose()?)
}

/// Forgets the setup token, e.g. once an administrator exists.
pub async fn clear_setup_token(conn: &mut Conn, org_id: &str) -> Result<()> {
    sqlx::query("UPDATE organisations SET setup_token_hash = NULL WHERE id = $1")
        .bind(org_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Organisations whose setup link has not been used yet.
pub async fn pending_setup(conn: &mut Conn) -> Result<Vec<OrgRow>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM organisations WHERE setup_token_hash IS NOT NULL ORDER BY slug"
    )))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}
