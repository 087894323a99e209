//! Groups (a facility, a room, a distribution place, a producer's team) and their members.

use crate::{Conn, Result, placeholders};
use sesame_core::policy::Allowed;
use sesame_core::policy::action::{ChangeMembership, ManageGroup};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub kind: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, org_id, name, kind, created_at, updated_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<GroupRow> {
    Ok(GroupRow {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        name: r.try_get("name")?,
        kind: r.try_get("kind")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Refuses a group row written with a proof for another group.
fn check_group(proof: &Allowed<ManageGroup>, g: &GroupRow) -> Result<()> {
    if proof.org_id() == g.org_id && proof.group_id == g.id {
        Ok(())
    } else {
        Err(crate::StoreError::NotTheTarget)
    }
}

pub async fn insert(conn: &mut Conn, proof: &Allowed<ManageGroup>, g: &GroupRow) -> Result<()> {
    check_group(proof, g)?;
    sqlx::query("INSERT INTO groups (id, org_id, name, name_key, kind, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(&g.id)
        .bind(&g.org_id)
        .bind(&g.name)
        .bind(sesame_core::fold(&g.name))
        .bind(&g.kind)
        .bind(g.created_at)
        .bind(g.updated_at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn update(conn: &mut Conn, proof: &Allowed<ManageGroup>, g: &GroupRow) -> Result<()> {
    check_group(proof, g)?;
    sqlx::query("UPDATE groups SET name = $3, name_key = $4, kind = $5, updated_at = $6 WHERE org_id = $1 AND id = $2")
        .bind(&g.org_id)
        .bind(&g.id)
        .bind(&g.name)
        .bind(sesame_core::fold(&g.name))
        .bind(&g.kind)
        .bind(g.updated_at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes a group, its memberships and the roles held within it.
pub async fn delete(conn: &mut Conn, proof: &Allowed<ManageGroup>) -> Result<()> {
    let (org_id, id) = (proof.org_id(), proof.group_id.as_str());
    sqlx::query("DELETE FROM memberships WHERE org_id = $1 AND group_id = $2")
        .bind(org_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM role_assignments WHERE org_id = $1 AND group_id = $2")
        .bind(org_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM groups WHERE org_id = $1 AND id = $2")
        .bind(org_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn list(conn: &mut Conn, org_id: &str) -> Result<Vec<(GroupRow, i64)>> {
    let rows = sqlx::query(
        "SELECT g.id, g.org_id, g.name, g.kind, g.created_at, g.updated_at, \
         (SELECT COUNT(*) FROM memberships m WHERE m.group_id = g.id) AS members \
         FROM groups g WHERE g.org_id = $1 ORDER BY g.name_key",
    )
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((from_row(r)?, r.try_get("members")?)))
        .collect()
}

pub async fn get(conn: &mut Conn, org_id: &str, id: &str) -> Result<Option<GroupRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM groups WHERE org_id = $1 AND id = $2"
    )))
    .bind(org_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// By name, case- and accent-blind.
pub async fn by_name(conn: &mut Conn, org_id: &str, name: &str) -> Result<Option<GroupRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM groups WHERE org_id = $1 AND name_key = $2"
    )))
    .bind(org_id)
    .bind(sesame_core::fold(name))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Adds the person the proof names to its group; `false` when they were in it already.
pub async fn add_member(
    conn: &mut Conn,
    proof: &Allowed<ChangeMembership>,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO memberships (org_id, group_id, user_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (group_id, user_id) DO NOTHING",
    )
    .bind(proof.org_id())
    .bind(&proof.group_id)
    .bind(&proof.user_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Adds many members in batched statements (an import's), each with its proof; none may be a
/// member already.
pub async fn add_members(
    conn: &mut Conn,
    backend: crate::Backend,
    proofs: &[Allowed<ChangeMembership>],
    at: i64,
) -> Result<()> {
    use crate::bulk::Value::{Int, Text};
    let rows: Vec<Vec<crate::bulk::Value>> = proofs
        .iter()
        .map(|p| {
            vec![
                Text(Some(p.org_id().to_string())),
                Text(Some(p.group_id.clone())),
                Text(Some(p.user_id.clone())),
                Int(Some(at)),
            ]
        })
        .collect();
    crate::bulk::insert_rows(
        conn,
        backend,
        "memberships",
        &["org_id", "group_id", "user_id", "created_at"],
        &rows,
    )
    .await
}

/// Removes the person the proof names from its group. The roles they held within it must have
/// been taken back first, each with its own proof: a membership that still carries a role is
/// refused ([`StoreError::RolesLeft`](crate::StoreError::RolesLeft)), so that no role ends
/// without its check.
pub async fn remove_member(conn: &mut Conn, proof: &Allowed<ChangeMembership>) -> Result<bool> {
    let (org_id, group_id, user_id) = (proof.org_id(), &proof.group_id, &proof.user_id);
    let left = sqlx::query(
        "SELECT 1 AS one FROM role_assignments WHERE org_id = $1 AND group_id = $2 AND user_id = $3 LIMIT 1",
    )
    .bind(org_id)
    .bind(group_id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    if left.is_some() {
        return Err(crate::StoreError::RolesLeft);
    }
    let done =
        sqlx::query("DELETE FROM memberships WHERE org_id = $1 AND group_id = $2 AND user_id = $3")
            .bind(org_id)
            .bind(group_id)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// (user id, group) for every group each of `user_ids` belongs to.
pub async fn of_users(
    conn: &mut Conn,
    org_id: &str,
    user_ids: &[String],
) -> Result<Vec<(String, GroupRow)>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT m.user_id, g.id, g.org_id, g.name, g.kind, g.created_at, g.updated_at FROM memberships m \
         JOIN groups g ON g.id = m.group_id WHERE m.org_id = $1 AND m.user_id IN ({}) ORDER BY g.name_key",
        placeholders(2, user_ids.len())
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org_id);
    for id in user_ids {
        q = q.bind(id);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| Ok((r.try_get("user_id")?, from_row(r)?)))
        .collect()
}
