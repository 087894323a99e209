//! Roles and who holds them.

use crate::{Conn, Result, StoreError, placeholders};
use sesame_core::policy::Allowed;
use sesame_core::policy::action::{ChangeRole, DefineRole, OrgSettings};
use sqlx::Row;

/// Refuses a role row written with a proof for another role.
fn check_role(proof: &Allowed<DefineRole>, r: &RoleRow) -> Result<()> {
    if proof.org_id() == r.org_id && proof.role_id == r.id {
        Ok(())
    } else {
        Err(StoreError::NotTheTarget)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRow {
    pub id: String,
    pub org_id: String,
    pub preset_key: Option<String>,
    pub name: String,
    pub description: String,
    /// Space-separated permission codes.
    pub permissions: String,
    pub requires_role_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, org_id, preset_key, name, description, permissions, requires_role_id, created_at, updated_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<RoleRow> {
    Ok(RoleRow {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        preset_key: r.try_get("preset_key")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        permissions: r.try_get("permissions")?,
        requires_role_id: r.try_get("requires_role_id")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn insert(conn: &mut Conn, proof: &Allowed<DefineRole>, r: &RoleRow) -> Result<()> {
    check_role(proof, r)?;
    sqlx::query(
        "INSERT INTO roles (id, org_id, preset_key, name, name_key, description, permissions, requires_role_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&r.id)
    .bind(&r.org_id)
    .bind(&r.preset_key)
    .bind(&r.name)
    .bind(sesame_core::fold(&r.name))
    .bind(&r.description)
    .bind(&r.permissions)
    .bind(&r.requires_role_id)
    .bind(r.created_at)
    .bind(r.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn update(conn: &mut Conn, proof: &Allowed<DefineRole>, r: &RoleRow) -> Result<()> {
    check_role(proof, r)?;
    sqlx::query(
        "UPDATE roles SET name = $3, name_key = $4, description = $5, permissions = $6, requires_role_id = $7, updated_at = $8 \
         WHERE org_id = $1 AND id = $2",
    )
    .bind(&r.org_id)
    .bind(&r.id)
    .bind(&r.name)
    .bind(sesame_core::fold(&r.name))
    .bind(&r.description)
    .bind(&r.permissions)
    .bind(&r.requires_role_id)
    .bind(r.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Deletes a role and every assignment of it.
pub async fn delete(conn: &mut Conn, proof: &Allowed<DefineRole>) -> Result<()> {
    let (org_id, id) = (proof.org_id(), proof.role_id.as_str());
    sqlx::query("DELETE FROM role_assignments WHERE org_id = $1 AND role_id = $2")
        .bind(org_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE roles SET requires_role_id = NULL WHERE org_id = $1 AND requires_role_id = $2",
    )
    .bind(org_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM roles WHERE org_id = $1 AND id = $2")
        .bind(org_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn list(conn: &mut Conn, org_id: &str) -> Result<Vec<RoleRow>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM roles WHERE org_id = $1 ORDER BY created_at, name"
    )))
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(conn: &mut Conn, org_id: &str, id: &str) -> Result<Option<RoleRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM roles WHERE org_id = $1 AND id = $2"
    )))
    .bind(org_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// By name, case- and accent-blind.
pub async fn by_name(conn: &mut Conn, org_id: &str, name: &str) -> Result<Option<RoleRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM roles WHERE org_id = $1 AND name_key = $2"
    )))
    .bind(org_id)
    .bind(sesame_core::fold(name))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// One role held by one user, with what the policy and the API need to know of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldRole {
    pub user_id: String,
    pub role_id: String,
    pub role_name: String,
    pub permissions: String,
    /// `None` when held organisation-wide.
    pub group_id: Option<String>,
    pub group_name: Option<String>,
    /// Whether the organisation requires two-factor sign-in of this role's holders.
    pub requires_mfa: bool,
}

/// The roles held by each of `user_ids`.
pub async fn held_by(conn: &mut Conn, org_id: &str, user_ids: &[String]) -> Result<Vec<HeldRole>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT ra.user_id, ra.role_id, r.name AS role_name, r.permissions, r.requires_mfa, ra.group_id, g.name AS group_name \
         FROM role_assignments ra JOIN roles r ON r.id = ra.role_id LEFT JOIN groups g ON g.id = ra.group_id \
         WHERE ra.org_id = $1 AND ra.user_id IN ({}) ORDER BY r.created_at, r.name, g.name",
        placeholders(2, user_ids.len())
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org_id);
    for id in user_ids {
        q = q.bind(id);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            let group_id: String = r.try_get("group_id")?;
            Ok(HeldRole {
                user_id: r.try_get("user_id")?,
                role_id: r.try_get("role_id")?,
                role_name: r.try_get("role_name")?,
                permissions: r.try_get("permissions")?,
                group_id: (!group_id.is_empty()).then_some(group_id),
                group_name: r.try_get("group_name")?,
                requires_mfa: r.try_get::<i64, _>("requires_mfa")? != 0,
            })
        })
        .collect()
}

/// Grants the role the proof names, to the person it names, over its scope. Granting it twice
/// is a no-op.
pub async fn assign(conn: &mut Conn, proof: &Allowed<ChangeRole>, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO role_assignments (org_id, user_id, role_id, group_id, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, role_id, group_id) DO NOTHING",
    )
    .bind(proof.org_id())
    .bind(&proof.user_id)
    .bind(&proof.role_id)
    .bind(proof.scope.group_id().unwrap_or(""))
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Grants many roles in batched statements (an import's), each with its proof; none may be
/// held already.
pub async fn assign_many(
    conn: &mut Conn,
    backend: crate::Backend,
    proofs: &[Allowed<ChangeRole>],
    at: i64,
) -> Result<()> {
    use crate::bulk::Value::{Int, Text};
    let rows: Vec<Vec<crate::bulk::Value>> = proofs
        .iter()
        .map(|p| {
            vec![
                Text(Some(p.org_id().to_string())),
                Text(Some(p.user_id.clone())),
                Text(Some(p.role_id.clone())),
                Text(Some(p.scope.group_id().unwrap_or("").to_string())),
                Int(Some(at)),
            ]
        })
        .collect();
    crate::bulk::insert_rows(
        conn,
        backend,
        "role_assignments",
        &["org_id", "user_id", "role_id", "group_id", "created_at"],
        &rows,
    )
    .await
}

/// Takes back the role the proof names, over its scope.
pub async fn unassign(conn: &mut Conn, proof: &Allowed<ChangeRole>) -> Result<bool> {
    let done = sqlx::query("DELETE FROM role_assignments WHERE org_id = $1 AND user_id = $2 AND role_id = $3 AND group_id = $4")
        .bind(proof.org_id())
        .bind(&proof.user_id)
        .bind(&proof.role_id)
        .bind(proof.scope.group_id().unwrap_or(""))
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Organisation-wide roles of active users, as (user id, permissions): to count administrators.
pub async fn org_wide_of_active_users(
    conn: &mut Conn,
    org_id: &str,
) -> Result<Vec<(String, String)>> {
    let rows = sqlx::query(
        "SELECT ra.user_id, r.permissions FROM role_assignments ra JOIN roles r ON r.id = ra.role_id \
         JOIN users u ON u.id = ra.user_id WHERE ra.org_id = $1 AND ra.group_id = '' AND u.status = 'active'",
    )
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("user_id")?, r.try_get("permissions")?)))
        .collect()
}

/// How many people hold the role, in any scope: someone who holds it in two groups is one.
pub async fn holder_count(conn: &mut Conn, org_id: &str, role_id: &str) -> Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(DISTINCT user_id) AS n FROM role_assignments WHERE org_id = $1 AND role_id = $2",
    )
    .bind(org_id)
    .bind(role_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("n")?)
}

/// The roles whose holders must sign in with two-factor, as `(id, name)`.
pub async fn requiring_mfa(conn: &mut Conn, org_id: &str) -> Result<Vec<(String, String)>> {
    let rows = sqlx::query(
        "SELECT id, name FROM roles WHERE org_id = $1 AND requires_mfa = 1 ORDER BY created_at, name",
    )
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
        .collect()
}

/// Makes exactly the roles `role_ids` require two-factor sign-in of their holders.
pub async fn set_requiring_mfa(
    conn: &mut Conn,
    proof: &Allowed<OrgSettings>,
    role_ids: &[String],
) -> Result<()> {
    let org_id = proof.org_id();
    sqlx::query("UPDATE roles SET requires_mfa = 0 WHERE org_id = $1 AND requires_mfa = 1")
        .bind(org_id)
        .execute(&mut *conn)
        .await?;
    for id in role_ids {
        sqlx::query("UPDATE roles SET requires_mfa = 1 WHERE org_id = $1 AND id = $2")
            .bind(org_id)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
