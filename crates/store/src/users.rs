//! Users. Deleted users stay as anonymised rows (status `deleted`) so that the audit log keeps
//! pointing somewhere; every read here leaves them out.

use crate::{Arg, Conn, Result, Sql};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: String,
    pub org_id: String,
    pub login: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub language: String,
    pub address_line: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl UserRow {
    /// The text search looks into: login, e-mail and names, folded to lowercase ASCII.
    pub fn search_key(&self) -> String {
        [
            Some(self.login.as_str()),
            self.email.as_deref(),
            self.first_name.as_deref(),
            self.last_name.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(sesame_core::fold)
        .collect::<Vec<_>>()
        .join(" ")
    }
}

/// Splits search text into folded words (`Zoé Lefèvre-Ngô` → `zoe`, `lefevre`, `ngo`), each at
/// most 40 characters.
pub fn search_words(text: &str) -> Vec<String> {
    sesame_core::fold(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(40).collect())
        .collect()
}

/// People added to each organisation's count of each status, not yet written to
/// `user_counts`.
pub type Tally = std::collections::BTreeMap<(String, String), i64>;

/// Inserts many users at once (seeding) in batched statements, and counts them.
/// `password_hash` goes with each user.
pub async fn insert_many(
    conn: &mut Conn,
    backend: crate::Backend,
    users: &[(UserRow, Option<String>)],
) -> Result<()> {
    let mut tally = Tally::new();
    insert_many_counted_later(conn, backend, users, &mut tally).await?;
    add_to_counts(conn, &tally).await
}

/// As [`insert_many`], but the users are only added to `tally`, for [`add_to_counts`] at the
/// end of the transaction: a long import then locks the organisation's counts (which every
/// other user written in it waits for, on PostgreSQL) for its last moment only, not for its
/// whole length.
pub async fn insert_many_counted_later(
    conn: &mut Conn,
    backend: crate::Backend,
    users: &[(UserRow, Option<String>)],
    tally: &mut Tally,
) -> Result<()> {
    use crate::bulk::{Value, insert};
    let t = |s: &str| Value::Text(Some(s.to_string()));
    let o = |s: &Option<String>| Value::Text(s.clone());
    let rows: Vec<Vec<Value>> = users
        .iter()
        .map(|(u, hash)| {
            vec![
                t(&u.id),
                t(&u.org_id),
                t(&u.login),
                o(&u.email),
                o(&u.first_name),
                o(&u.last_name),
                o(&u.phone),
                t(&u.language),
                o(&u.address_line),
                o(&u.postal_code),
                o(&u.city),
                t(&u.status),
                o(hash),
                Value::Text(Some(u.search_key())),
                Value::Int(Some(u.created_at)),
                Value::Int(Some(u.updated_at)),
            ]
        })
        .collect();
    let columns = [
        "id",
        "org_id",
        "login",
        "email",
        "first_name",
        "last_name",
        "phone",
        "language",
        "address_line",
        "postal_code",
        "city",
        "status",
        "password_hash",
        "search",
        "created_at",
        "updated_at",
    ];
    insert(conn, backend, "users", &columns, &rows).await?;
    for (u, _) in users {
        *tally
            .entry((u.org_id.clone(), u.status.clone()))
            .or_default() += 1;
    }
    Ok(())
}

/// Writes what `tally` holds to `user_counts`.
pub async fn add_to_counts(conn: &mut Conn, tally: &Tally) -> Result<()> {
    for ((org_id, status), n) in tally {
        recount(conn, org_id, &[(status, *n)]).await?;
    }
    Ok(())
}

/// Adds `delta` to the count of each status of `user_counts` (migration 0011), in the order of
/// the statuses: two writers changing the same two counts lock them in the same order, so that
/// PostgreSQL cannot deadlock them.
async fn recount(conn: &mut Conn, org_id: &str, changes: &[(&str, i64)]) -> Result<()> {
    let mut changes = changes.to_vec();
    changes.sort();
    for (status, delta) in changes {
        sqlx::query(
            "INSERT INTO user_counts (org_id, status, n) VALUES ($1, $2, $3) \
             ON CONFLICT (org_id, status) DO UPDATE SET n = user_counts.n + excluded.n",
        )
        .bind(org_id)
        .bind(status)
        .bind(delta)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Runs `write`, an `UPDATE users … WHERE org_id = $1 AND id = $2 AND status = $3` that sets the
/// status to `status`, with the status the user has now as `$3`, and moves them between the
/// counts of `user_counts`. If another transaction changed the status between the read and the
/// write (PostgreSQL re-checks the condition once that transaction commits), the write changes
/// nothing and is tried again with the new status.
async fn write_counted<F>(
    conn: &mut Conn,
    org_id: &str,
    id: &str,
    status: &str,
    write: F,
) -> Result<()>
where
    F: Fn(&str) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments>,
{
    loop {
        let Some(row) = sqlx::query("SELECT status FROM users WHERE org_id = $1 AND id = $2")
            .bind(org_id)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
        else {
            return Ok(());
        };
        let was: String = row.try_get("status")?;
        if write(&was).execute(&mut *conn).await?.rows_affected() == 0 {
            continue;
        }
        if was != status {
            recount(conn, org_id, &[(was.as_str(), -1), (status, 1)]).await?;
        }
        return Ok(());
    }
}

pub(crate) const COLUMNS: &str = "id, org_id, login, email, first_name, last_name, phone, language, address_line, postal_code, city, status, created_at, updated_at";

pub(crate) fn from_row(r: &sqlx::any::AnyRow) -> Result<UserRow> {
    Ok(UserRow {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        login: r.try_get("login")?,
        email: r.try_get("email")?,
        first_name: r.try_get("first_name")?,
        last_name: r.try_get("last_name")?,
        phone: r.try_get("phone")?,
        language: r.try_get("language")?,
        address_line: r.try_get("address_line")?,
        postal_code: r.try_get("postal_code")?,
        city: r.try_get("city")?,
        status: r.try_get("status")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn insert(conn: &mut Conn, u: &UserRow, password_hash: Option<&str>) -> Result<()> {
    sqlx::query(
        "INSERT INTO users (id, org_id, login, email, first_name, last_name, phone, language, address_line, postal_code, city, \
         status, password_hash, search, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(&u.id)
    .bind(&u.org_id)
    .bind(&u.login)
    .bind(&u.email)
    .bind(&u.first_name)
    .bind(&u.last_name)
    .bind(&u.phone)
    .bind(&u.language)
    .bind(&u.address_line)
    .bind(&u.postal_code)
    .bind(&u.city)
    .bind(&u.status)
    .bind(password_hash)
    .bind(u.search_key())
    .bind(u.created_at)
    .bind(u.updated_at)
    .execute(&mut *conn)
    .await?;
    recount(conn, &u.org_id, &[(u.status.as_str(), 1)]).await
}

/// Writes every field of `u` but its password (and `created_at`).
pub async fn update(conn: &mut Conn, u: &UserRow) -> Result<()> {
    let search = u.search_key();
    write_counted(conn, &u.org_id, &u.id, &u.status, |was| {
        sqlx::query(
            "UPDATE users SET login = $4, email = $5, first_name = $6, last_name = $7, phone = $8, language = $9, \
             address_line = $10, postal_code = $11, city = $12, status = $13, search = $14, updated_at = $15 \
             WHERE org_id = $1 AND id = $2 AND status = $3",
        )
        .bind(&u.org_id)
        .bind(&u.id)
        .bind(was)
        .bind(&u.login)
        .bind(&u.email)
        .bind(&u.first_name)
        .bind(&u.last_name)
        .bind(&u.phone)
        .bind(&u.language)
        .bind(&u.address_line)
        .bind(&u.postal_code)
        .bind(&u.city)
        .bind(&u.status)
        .bind(search.as_str())
        .bind(u.updated_at)
    })
    .await
}

pub async fn set_password_hash(
    conn: &mut Conn,
    org_id: &str,
    id: &str,
    hash: Option<&str>,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $3, updated_at = $4 WHERE org_id = $1 AND id = $2",
    )
    .bind(org_id)
    .bind(id)
    .bind(hash)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut Conn, org_id: &str, id: &str) -> Result<Option<UserRow>> {
    one_by(conn, org_id, "id", id).await
}

/// Every user of the organisation but the deleted ones (for an import to match its rows).
pub async fn all(conn: &mut Conn, org_id: &str) -> Result<Vec<UserRow>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE org_id = $1 AND status <> 'deleted'"
    )))
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// The status of each of these users (deleted ones included), by id: one statement per 500.
pub async fn statuses(
    conn: &mut Conn,
    ids: &[String],
) -> Result<std::collections::HashMap<String, String>> {
    let mut out = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(crate::bulk::BATCH_ROWS) {
        let sql = format!(
            "SELECT id, status FROM users WHERE id IN ({})",
            crate::placeholders(1, chunk.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(id);
        }
        for r in q.fetch_all(&mut *conn).await? {
            out.insert(r.try_get("id")?, r.try_get("status")?);
        }
    }
    Ok(out)
}

pub async fn by_login(conn: &mut Conn, org_id: &str, login: &str) -> Result<Option<UserRow>> {
    one_by(conn, org_id, "login", login).await
}

pub async fn by_email(conn: &mut Conn, org_id: &str, email: &str) -> Result<Option<UserRow>> {
    one_by(conn, org_id, "email", email).await
}

/// The user (not deleted) whose `column`, one of ours, equals `value`.
async fn one_by(
    conn: &mut Conn,
    org_id: &str,
    column: &'static str,
    value: &str,
) -> Result<Option<UserRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE org_id = $1 AND {column} = $2 AND status <> 'deleted'"
    )))
    .bind(org_id)
    .bind(value)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// What signing in needs to know of an account.
#[derive(Clone)]
pub struct Credentials {
    pub user: UserRow,
    /// Argon2id PHC string; `None` until the person chooses a password.
    pub password_hash: Option<String>,
    /// A confirmed two-factor authenticator.
    pub mfa_enabled: bool,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user.login)
            .field("password_hash", &"[REDACTED]")
            .field("mfa_enabled", &self.mfa_enabled)
            .finish()
    }
}

/// The user whose login or e-mail is `login_or_email`, with their password hash and whether
/// they use two-factor, in one query: for sign-in.
pub async fn for_sign_in(
    conn: &mut Conn,
    org_id: &str,
    login_or_email: &str,
) -> Result<Option<Credentials>> {
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("u.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {columns}, u.password_hash, m.confirmed_at AS mfa_confirmed_at FROM users u \
         LEFT JOIN totp m ON m.user_id = u.id AND m.org_id = u.org_id \
         WHERE u.org_id = $1 AND (u.login = $2 OR u.email = $2) AND u.status <> 'deleted'"
    )))
    .bind(org_id)
    .bind(login_or_email)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Credentials {
            user: from_row(&r)?,
            password_hash: r.try_get("password_hash")?,
            mfa_enabled: r.try_get::<Option<i64>, _>("mfa_confirmed_at")?.is_some(),
        })
    })
    .transpose()
}

/// Whether a login is in use in the organisation, deleted users included (their anonymised
/// logins never collide with real ones).
pub async fn login_taken(conn: &mut Conn, org_id: &str, login: &str) -> Result<bool> {
    let row = sqlx::query("SELECT 1 AS one FROM users WHERE org_id = $1 AND login = $2")
        .bind(org_id)
        .bind(login)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

/// Logins starting with `prefix`: to make a suggested login unique with one query.
pub async fn logins_starting_with(
    conn: &mut Conn,
    org_id: &str,
    prefix: &str,
) -> Result<Vec<String>> {
    // `prefix` comes from `suggest_login`: only [a-z0-9.-], so no LIKE wildcard can hide in it
    // except `_`, which only widens the candidate set.
    let rows = sqlx::query("SELECT login FROM users WHERE org_id = $1 AND login LIKE $2")
        .bind(org_id)
        .bind(format!("{prefix}%"))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok(r.try_get("login")?)).collect()
}

/// Filters of the user list. `visible_groups` restricts to members of those groups (people
/// whose rights are scoped to groups).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Search text: users having, for each of its words, a word starting with it.
    pub q: Option<String>,
    pub role_id: Option<String>,
    pub group_id: Option<String>,
    pub status: Option<String>,
    pub visible_groups: Option<Vec<String>>,
    /// Return users whose login sorts after this one (keyset paging).
    pub after_login: Option<String>,
    pub limit: i64,
}

pub async fn list(conn: &mut Conn, org_id: &str, f: &Filter) -> Result<Vec<UserRow>> {
    // The page's ids are chosen from the covering index `users_search` alone, then their rows
    // read: asked for whole rows directly, SQLite 3.51 walks the login index and reads every
    // row to test the search (137 ms for a word nobody has, against 10 ms).
    let mut sql = matching(
        &format!("SELECT {COLUMNS} FROM users WHERE id IN (SELECT u.id"),
        org_id,
        f,
        true,
    );
    if let Some(after) = &f.after_login {
        sql.push(" AND u.login > $?", Arg::Text(after.clone()));
    }
    sql.push_str(&format!(
        " ORDER BY u.login LIMIT {}) ORDER BY login",
        f.limit.clamp(1, 1000)
    ));
    sql.fetch_all(conn).await?.iter().map(from_row).collect()
}

/// `prefix` + ` FROM users u WHERE` the filter's conditions (`after_login` aside; the status
/// too unless `with_status`).
fn matching(prefix: &str, org_id: &str, f: &Filter, with_status: bool) -> Sql {
    let mut sql = Sql::new(
        format!("{prefix} FROM users u WHERE u.org_id = $1 AND u.status <> 'deleted'"),
        Arg::Text(org_id.into()),
    );
    // Each word of `q` must appear in the folded login, e-mail or names. The words are made of
    // [a-z0-9] only, so none holds a LIKE wildcard.
    for word in f.q.as_deref().map(search_words).unwrap_or_default() {
        sql.push(" AND u.search LIKE $?", Arg::Text(format!("%{word}%")));
    }
    if let Some(s) = f.status.as_ref().filter(|_| with_status) {
        sql.push(" AND u.status = $?", Arg::Text(s.clone()));
    }
    if let Some(r) = &f.role_id {
        sql.push(" AND EXISTS (SELECT 1 FROM role_assignments ra WHERE ra.user_id = u.id AND ra.role_id = $?)", Arg::Text(r.clone()));
    }
    if let Some(g) = &f.group_id {
        sql.push(
            " AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.group_id = $?)",
            Arg::Text(g.clone()),
        );
    }
    if let Some(groups) = &f.visible_groups {
        sql.push_in(" AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.group_id IN ($in))", groups);
    }
    sql
}

/// The orders a list of users can be shown in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Login,
    LastName,
    Email,
    Status,
    Created,
}

impl Sort {
    /// The expression sorted on (within `users u`); case-folded text, no NULL, so that both
    /// databases give the same order.
    fn expr(self) -> &'static str {
        match self {
            Sort::Login => "u.login",
            Sort::LastName => "LOWER(COALESCE(u.last_name, ''))",
            Sort::Email => "LOWER(COALESCE(u.email, ''))",
            Sort::Status => "u.status",
            Sort::Created => "u.created_at",
        }
    }
}

/// One page of the users matching `f`, in `sort` order (then by login), `offset` rows in:
/// the web pages' list, where a person goes to page 3 or sorts by name.
pub async fn page(
    conn: &mut Conn,
    org_id: &str,
    f: &Filter,
    sort: Sort,
    descending: bool,
    offset: i64,
) -> Result<Vec<UserRow>> {
    let dir = if descending { "DESC" } else { "ASC" };
    let mut sql = matching("SELECT u.id", org_id, f, true);
    // The login breaks ties, and is not repeated when it is the order: with `ORDER BY u.login,
    // u.login` SQLite walked the login index and read every row to test a search, instead of
    // the covering `users_search` (a word nobody has: 160 ms instead of 15).
    let then_login = if sort == Sort::Login {
        String::new()
    } else {
        format!(", u.login {dir}")
    };
    sql.push_str(&format!(
        " ORDER BY {} {dir}{then_login} LIMIT {} OFFSET {}",
        sort.expr(),
        f.limit.clamp(1, 1000),
        offset.max(0)
    ));
    let ids: Vec<String> = sql
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<std::result::Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // By id alone: with `org_id = $1` as well, SQLite walked an index of the organisation's
    // users to find these 50 (21 ms on the covering `users_search`, 230 ms once `users_by_name`
    // existed). The ids come from the organisation's users a statement ago.
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE id IN ({})",
        crate::placeholders(1, ids.len())
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for id in &ids {
        q = q.bind(id);
    }
    let mut found: Vec<UserRow> = q
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(from_row)
        .filter(|u| u.as_ref().map_or(true, |u| u.org_id == org_id))
        .collect::<Result<_>>()?;
    found.sort_by_key(|u| ids.iter().position(|i| *i == u.id));
    Ok(found)
}

/// How many users match `f` (its status aside), by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub invited: i64,
    pub active: i64,
    pub disabled: i64,
}

impl StatusCounts {
    pub fn all(&self) -> i64 {
        self.invited + self.active + self.disabled
    }
}

/// The counts of the users matching `f` whatever their status.
pub async fn count_by_status(conn: &mut Conn, org_id: &str, f: &Filter) -> Result<StatusCounts> {
    let unfiltered =
        f.q.as_deref()
            .map(search_words)
            .unwrap_or_default()
            .is_empty()
            && f.role_id.is_none()
            && f.group_id.is_none()
            && f.visible_groups.is_none();
    if unfiltered {
        // Everyone: the counts kept by every write (`user_counts`), nothing counted here.
        let rows = sqlx::query("SELECT status, n FROM user_counts WHERE org_id = $1")
            .bind(org_id)
            .fetch_all(&mut *conn)
            .await?;
        let mut counts = StatusCounts::default();
        for r in &rows {
            let n: i64 = r.try_get("n")?;
            match r.try_get::<String, _>("status")?.as_str() {
                "invited" => counts.invited = n,
                "active" => counts.active = n,
                "disabled" => counts.disabled = n,
                _ => {}
            }
        }
        return Ok(counts);
    }
    let sum =
        |s: &str| format!("COALESCE(SUM(CASE WHEN u.status = '{s}' THEN 1 ELSE 0 END), 0) AS {s}");
    let prefix = format!(
        "SELECT {}, {}, {}",
        sum("invited"),
        sum("active"),
        sum("disabled")
    );
    let rows = matching(&prefix, org_id, f, false).fetch_all(conn).await?;
    let Some(r) = rows.first() else {
        return Ok(StatusCounts::default());
    };
    Ok(StatusCounts {
        invited: r.try_get("invited")?,
        active: r.try_get("active")?,
        disabled: r.try_get("disabled")?,
    })
}

/// Removes personal data, keeps the row for the audit trail.
pub async fn anonymise(conn: &mut Conn, org_id: &str, id: &str, at: i64) -> Result<()> {
    let login = format!("deleted-{id}");
    write_counted(conn, org_id, id, "deleted", |was| {
        sqlx::query(
            "UPDATE users SET login = $4, email = NULL, first_name = NULL, last_name = NULL, phone = NULL, address_line = NULL, \
             postal_code = NULL, city = NULL, status = 'deleted', password_hash = NULL, search = '', updated_at = $5 \
             WHERE org_id = $1 AND id = $2 AND status = $3",
        )
        .bind(org_id)
        .bind(id)
        .bind(was)
        .bind(login.as_str())
        .bind(at)
    })
    .await?;
    sqlx::query("DELETE FROM memberships WHERE org_id = $1 AND user_id = $2")
        .bind(org_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM role_assignments WHERE org_id = $1 AND user_id = $2")
        .bind(org_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn count(conn: &mut Conn, org_id: &str) -> Result<i64> {
    let row =
        sqlx::query("SELECT COUNT(*) AS n FROM users WHERE org_id = $1 AND status <> 'deleted'")
            .bind(org_id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(row.try_get("n")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_are_folded() {
        assert_eq!(search_words("Zoé Lefèvre-Ngô"), ["zoe", "lefevre", "ngo"]);
        assert_eq!(
            search_words("zoe.lefevre2@example.fr"),
            ["zoe", "lefevre2", "example", "fr"]
        );
    }
}
