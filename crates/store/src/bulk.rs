//! Many rows in few statements: the one place that builds multi-row `INSERT`s.
//!
//! Hand-written because `QueryBuilder<Any>` writes `?` placeholders that PostgreSQL refuses, and
//! because sqlx's SQLite driver slows sharply with hundreds of `$N` parameters (STACK.md rules 3
//! and 4): this emits `?` for SQLite and `$N` for PostgreSQL.

use crate::{Backend, Conn, Result};

/// One cell of a bulk row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Value {
    Text(Option<String>),
    Int(Option<i64>),
}

/// Rows per statement: 500 rows × ~16 columns stays under SQLite's and PostgreSQL's parameter
/// limits (32,766 and 65,535).
pub const BATCH_ROWS: usize = 500;

/// Tables whose writes need the policy's proof: their bulk writes are this crate's own
/// (`users::insert_many`, `roles::assign_many`, `groups::add_members`), which take the proofs.
pub const GUARDED: [&str; 9] = [
    "users",
    "user_words",
    "role_assignments",
    "memberships",
    "roles",
    "groups",
    "tokens",
    "signatures",
    "organisations",
];

/// Inserts `rows` into `table` (`columns` in order), in statements of at most [`BATCH_ROWS`].
/// Table and column names must be literals of ours, never user input. A table whose writes
/// need a proof ([`GUARDED`]) is refused.
pub async fn insert(
    conn: &mut Conn,
    backend: Backend,
    table: &'static str,
    columns: &[&'static str],
    rows: &[Vec<Value>],
) -> Result<()> {
    if GUARDED.contains(&table) {
        return Err(crate::StoreError::Guarded(table));
    }
    insert_rows(conn, backend, table, columns, rows).await
}

/// [`insert`] into any table, for this crate's writes that took their proofs.
pub(crate) async fn insert_rows(
    conn: &mut Conn,
    backend: Backend,
    table: &'static str,
    columns: &[&'static str],
    rows: &[Vec<Value>],
) -> Result<()> {
    for chunk in rows.chunks(BATCH_ROWS) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, row) in chunk.iter().enumerate() {
            debug_assert_eq!(row.len(), columns.len());
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for j in 0..row.len() {
                if j > 0 {
                    sql.push_str(", ");
                }
                n += 1;
                match backend {
                    Backend::Sqlite => sql.push('?'),
                    Backend::Postgres => sql.push_str(&format!("${n}")),
                }
            }
            sql.push(')');
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            for v in row {
                q = match v {
                    Value::Text(s) => q.bind(s.clone()),
                    Value::Int(i) => q.bind(*i),
                };
            }
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}
