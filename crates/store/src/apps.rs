//! The organisation's applications (OpenID Connect clients) and the groups whose members may
//! use them. Lists of URIs and hosts are stored one per line; the secret only as its SHA-256
//! hash. Deleting an application deletes its groups' lines and, through the foreign keys of the
//! protocol's tables (`ON DELETE CASCADE`), every code and token issued to it.

use crate::{Conn, Result};
use sesame_core::policy::Allowed;
use sesame_core::policy::action::ManageApp;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppRow {
    /// The client_id.
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub launch_url: Option<String>,
    pub logo_url: Option<String>,
    pub public: bool,
    pub trusted: bool,
    /// Lowercase hex SHA-256 of the client secret; `None` for a public client.
    pub secret_hash: Option<String>,
    pub redirect_uris: Vec<String>,
    pub post_logout_uris: Vec<String>,
    pub backchannel_logout_uri: Option<String>,
    pub forward_auth_hosts: Vec<String>,
    /// Only members of its groups may use it (none left: nobody).
    pub restricted: bool,
    /// `RS256` or `EdDSA`.
    pub id_token_alg: String,
    pub access_token_lifetime_s: i64,
    pub refresh_token_lifetime_s: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, org_id, name, launch_url, logo_url, public, trusted, secret_hash, \
    redirect_uris, post_logout_uris, backchannel_logout_uri, forward_auth_hosts, restricted, id_token_alg, \
    access_token_lifetime_s, refresh_token_lifetime_s, created_at, updated_at";

fn lines(stored: &str) -> Vec<String> {
    stored
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn joined(list: &[String]) -> String {
    list.join("\n")
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<AppRow> {
    Ok(AppRow {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        name: r.try_get("name")?,
        launch_url: r.try_get("launch_url")?,
        logo_url: r.try_get("logo_url")?,
        public: r.try_get::<i64, _>("public")? != 0,
        trusted: r.try_get::<i64, _>("trusted")? != 0,
        secret_hash: r.try_get("secret_hash")?,
        redirect_uris: lines(&r.try_get::<String, _>("redirect_uris")?),
        post_logout_uris: lines(&r.try_get::<String, _>("post_logout_uris")?),
        backchannel_logout_uri: r.try_get("backchannel_logout_uri")?,
        forward_auth_hosts: lines(&r.try_get::<String, _>("forward_auth_hosts")?),
        restricted: r.try_get::<i64, _>("restricted")? != 0,
        id_token_alg: r.try_get("id_token_alg")?,
        access_token_lifetime_s: r.try_get("access_token_lifetime_s")?,
        refresh_token_lifetime_s: r.try_get("refresh_token_lifetime_s")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Refuses an application row written with a proof for another application.
fn check_app(proof: &Allowed<ManageApp>, a: &AppRow) -> Result<()> {
    if proof.org_id() == a.org_id && proof.app_id == a.id {
        Ok(())
    } else {
        Err(crate::StoreError::NotTheTarget)
    }
}

pub async fn insert(conn: &mut Conn, proof: &Allowed<ManageApp>, a: &AppRow) -> Result<()> {
    check_app(proof, a)?;
    sqlx::query(
        "INSERT INTO apps (id, org_id, name, name_key, launch_url, logo_url, public, trusted, secret_hash, \
         redirect_uris, post_logout_uris, backchannel_logout_uri, forward_auth_hosts, id_token_alg, \
         access_token_lifetime_s, refresh_token_lifetime_s, created_at, updated_at, restricted) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
    )
    .bind(&a.id)
    .bind(&a.org_id)
    .bind(&a.name)
    .bind(sesame_core::fold(&a.name))
    .bind(&a.launch_url)
    .bind(&a.logo_url)
    .bind(i64::from(a.public))
    .bind(i64::from(a.trusted))
    .bind(&a.secret_hash)
    .bind(joined(&a.redirect_uris))
    .bind(joined(&a.post_logout_uris))
    .bind(&a.backchannel_logout_uri)
    .bind(joined(&a.forward_auth_hosts))
    .bind(&a.id_token_alg)
    .bind(a.access_token_lifetime_s)
    .bind(a.refresh_token_lifetime_s)
    .bind(a.created_at)
    .bind(a.updated_at)
    .bind(i64::from(a.restricted))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes every field of the row the proof names, its secret's hash included.
pub async fn update(conn: &mut Conn, proof: &Allowed<ManageApp>, a: &AppRow) -> Result<()> {
    check_app(proof, a)?;
    sqlx::query(
        "UPDATE apps SET name = $3, name_key = $4, launch_url = $5, logo_url = $6, public = $7, trusted = $8, \
         secret_hash = $9, redirect_uris = $10, post_logout_uris = $11, backchannel_logout_uri = $12, \
         forward_auth_hosts = $13, id_token_alg = $14, access_token_lifetime_s = $15, \
         refresh_token_lifetime_s = $16, updated_at = $17, restricted = $18 WHERE org_id = $1 AND id = $2",
    )
    .bind(&a.org_id)
    .bind(&a.id)
    .bind(&a.name)
    .bind(sesame_core::fold(&a.name))
    .bind(&a.launch_url)
    .bind(&a.logo_url)
    .bind(i64::from(a.public))
    .bind(i64::from(a.trusted))
    .bind(&a.secret_hash)
    .bind(joined(&a.redirect_uris))
    .bind(joined(&a.post_logout_uris))
    .bind(&a.backchannel_logout_uri)
    .bind(joined(&a.forward_auth_hosts))
    .bind(&a.id_token_alg)
    .bind(a.access_token_lifetime_s)
    .bind(a.refresh_token_lifetime_s)
    .bind(a.updated_at)
    .bind(i64::from(a.restricted))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Replaces the groups whose members may use the application the proof names; none: every
/// member (the application is no longer restricted).
pub async fn set_groups(
    conn: &mut Conn,
    proof: &Allowed<ManageApp>,
    group_ids: &[String],
) -> Result<()> {
    sqlx::query("UPDATE apps SET restricted = $3 WHERE org_id = $1 AND id = $2")
        .bind(proof.org_id())
        .bind(&proof.app_id)
        .bind(i64::from(!group_ids.is_empty()))
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "DELETE FROM app_groups WHERE app_id IN (SELECT id FROM apps WHERE org_id = $1 AND id = $2)",
    )
    .bind(proof.org_id())
    .bind(&proof.app_id)
    .execute(&mut *conn)
    .await?;
    for g in group_ids {
        // Only a group of the same organisation: the SELECT yields nothing otherwise.
        sqlx::query(
            "INSERT INTO app_groups (app_id, group_id) SELECT a.id, g.id FROM apps a, groups g \
             WHERE a.org_id = $1 AND a.id = $2 AND g.org_id = $1 AND g.id = $3 \
             ON CONFLICT (app_id, group_id) DO NOTHING",
        )
        .bind(proof.org_id())
        .bind(&proof.app_id)
        .bind(g)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Deletes the application the proof names, its groups' lines and (by cascade) its tokens.
pub async fn delete(conn: &mut Conn, proof: &Allowed<ManageApp>) -> Result<bool> {
    sqlx::query(
        "DELETE FROM app_groups WHERE app_id IN (SELECT id FROM apps WHERE org_id = $1 AND id = $2)",
    )
    .bind(proof.org_id())
    .bind(&proof.app_id)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query("DELETE FROM apps WHERE org_id = $1 AND id = $2")
        .bind(proof.org_id())
        .bind(&proof.app_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Every application of the organisation, by name.
pub async fn list(conn: &mut Conn, org_id: &str) -> Result<Vec<AppRow>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM apps WHERE org_id = $1 ORDER BY name_key"
    )))
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// One application of the organisation, by client_id.
pub async fn get(conn: &mut Conn, org_id: &str, id: &str) -> Result<Option<AppRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM apps WHERE org_id = $1 AND id = $2"
    )))
    .bind(org_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// The application `id` of `org_id` with the groups it is restricted to, in one query (the
/// protocol reads it at every call of an application).
pub async fn get_with_groups(
    conn: &mut Conn,
    org_id: &str,
    id: &str,
) -> Result<Option<(AppRow, Vec<String>)>> {
    // `apps` and `app_groups` share no column name: COLUMNS reads the application's.
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS}, ag.group_id FROM apps LEFT JOIN app_groups ag ON ag.app_id = apps.id \
         WHERE apps.org_id = $1 AND apps.id = $2 ORDER BY ag.group_id"
    )))
    .bind(org_id)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let groups = rows
        .iter()
        .filter_map(|r| r.try_get::<Option<String>, _>("group_id").transpose())
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(Some((from_row(first)?, groups)))
}

/// By name, case- and accent-blind.
pub async fn by_name(conn: &mut Conn, org_id: &str, name: &str) -> Result<Option<AppRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM apps WHERE org_id = $1 AND name_key = $2"
    )))
    .bind(org_id)
    .bind(sesame_core::fold(name))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// (app id, group id) for every application of the organisation restricted to groups.
pub async fn groups(conn: &mut Conn, org_id: &str) -> Result<Vec<(String, String)>> {
    let rows = sqlx::query(
        "SELECT ag.app_id, ag.group_id FROM app_groups ag JOIN apps a ON a.id = ag.app_id \
         WHERE a.org_id = $1 ORDER BY ag.app_id, ag.group_id",
    )
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("app_id")?, r.try_get("group_id")?)))
        .collect()
}

/// The ids of the groups one application is restricted to.
pub async fn groups_of(conn: &mut Conn, org_id: &str, app_id: &str) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT ag.group_id FROM app_groups ag JOIN apps a ON a.id = ag.app_id \
         WHERE a.org_id = $1 AND a.id = $2 ORDER BY ag.group_id",
    )
    .bind(org_id)
    .bind(app_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok(r.try_get("group_id")?)).collect()
}
