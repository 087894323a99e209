//! Users. Deleted users stay as anonymised rows (status `deleted`) so that the audit log keeps
//! pointing somewhere; every read here leaves them out.

use crate::{Arg, Conn, Result, Sql};
use sesame_core::Status;
use sesame_core::policy::Allowed;
use sesame_core::policy::action::{CreateUser, DeleteUser, EditUser};
use sesame_core::policy::proof::WritesUser;
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
    pub status: Status,
    pub created_at: i64,
    pub updated_at: i64,
}

impl UserRow {
    /// The words a search finds the user by: those of their login, e-mail and names, folded
    /// (see [`search_words`]), each once, each after a space (` zoe lefevre example fr`). Kept
    /// in `users.search`, so that the next write of the user knows which of its rows of
    /// `user_words` to remove.
    pub fn search_key(&self) -> String {
        let mut words: Vec<String> = Vec::new();
        for field in [
            Some(self.login.as_str()),
            self.email.as_deref(),
            self.first_name.as_deref(),
            self.last_name.as_deref(),
        ]
        .into_iter()
        .flatten()
        {
            for w in search_words(field) {
                if !words.contains(&w) {
                    words.push(w);
                }
            }
        }
        words.iter().map(|w| format!(" {w}")).collect()
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

/// The words of a search key (see [`UserRow::search_key`]), each once.
fn key_words(search: &str) -> std::collections::BTreeSet<&str> {
    search.split(' ').filter(|w| !w.is_empty()).collect()
}

/// The words of a search that must each start a word of the user's, longest first, without
/// those another one already implies (`mar` once `martin` is there).
fn query_words(q: Option<&str>) -> Vec<String> {
    let mut words = q.map(search_words).unwrap_or_default();
    words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    words.dedup();
    let mut kept: Vec<String> = Vec::new();
    for w in words {
        if !kept.iter().any(|k| k.starts_with(&w)) {
            kept.push(w);
        }
    }
    kept
}

/// The bounds of the words starting with `prefix` (made of `[0-9a-z]`): `word >= prefix AND
/// word < upper`, with no upper bound when `prefix` is all `z`. The upper bound is `prefix`
/// with its last character moved to the next one of `[0-9a-z]` (`mart` → `maru`, `ab9` →
/// `aba`, `az` → `b`), never a character outside that set: PostgreSQL compares text by the
/// database's collation, which may skip punctuation, but orders digits and lowercase ASCII
/// letters as bytes do.
fn prefix_upper(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(c) = chars.pop() {
        let next = match c {
            '0'..='8' | 'a'..='y' => char::from(c as u8 + 1),
            '9' => 'a',
            _ => continue,
        };
        chars.push(next);
        return Some(chars.into_iter().collect());
    }
    None
}

/// Appends `SELECT {what} FROM user_words w0 WHERE` the conditions that keep the words of
/// users having, for each of `words`, a word starting with it: the first word's range of the
/// index, each other word's range as a set of users (found in the index too, never in
/// `users`). `$1` is the organisation.
fn push_words(sql: &mut Sql, what: &str, words: &[String]) {
    for (i, word) in words.iter().enumerate() {
        if i == 0 {
            sql.push_str(&format!(
                "SELECT {what} FROM user_words w0 WHERE w0.org_id = $1"
            ));
        } else {
            sql.push_str(&format!(
                " AND w0.user_id IN (SELECT w{i}.user_id FROM user_words w{i} WHERE w{i}.org_id = $1"
            ));
        }
        sql.push(&format!(" AND w{i}.word >= $?"), Arg::Text(word.clone()));
        if let Some(upper) = prefix_upper(word) {
            sql.push(&format!(" AND w{i}.word < $?"), Arg::Text(upper));
        }
        if i > 0 {
            sql.push_str(")");
        }
    }
}

/// Adds `words` of a user to `user_words`, removes `gone`, and gives `status` to `kept`: the
/// index of the search, kept in the same transaction as the user's row.
async fn write_words(
    conn: &mut Conn,
    org_id: &str,
    user_id: &str,
    status: &str,
    added: &[&str],
    gone: &[&str],
    kept: &[&str],
) -> Result<()> {
    if !added.is_empty() {
        let values = (0..added.len())
            .map(|i| format!("($1, ${}, $2, $3)", i + 4))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("INSERT INTO user_words (org_id, word, user_id, status) VALUES {values}");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(org_id)
            .bind(user_id)
            .bind(status);
        for w in added {
            q = q.bind(*w);
        }
        q.execute(&mut *conn).await?;
    }
    for (words, with_status) in [(gone, false), (kept, true)] {
        if words.is_empty() {
            continue;
        }
        // One lookup of the index per word: the user comes after the word in it.
        let (sql, first) = if with_status {
            ("UPDATE user_words SET status = $3", 4)
        } else {
            ("DELETE FROM user_words", 3)
        };
        let sql = format!(
            "{sql} WHERE org_id = $1 AND user_id = $2 AND word IN ({})",
            crate::placeholders(first, words.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(org_id)
            .bind(user_id);
        if with_status {
            q = q.bind(status);
        }
        for w in words {
            q = q.bind(*w);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Fills `user_words` for the users written before it existed (migration 0014), once: when it
/// is empty while the database has users. Run by [`crate::Store::connect`].
pub(crate) async fn fill_words(store: &crate::Store) -> Result<()> {
    // Read first: the write lock is taken only when there is something to fill (a server
    // starting while an import writes must not wait for it).
    let mut conn = store.read().await?;
    let has_users = sqlx::query("SELECT 1 AS one FROM users WHERE status <> 'deleted' LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?
        .is_some();
    let has_words = sqlx::query("SELECT 1 AS one FROM user_words LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?
        .is_some();
    drop(conn);
    if !has_users || has_words {
        return Ok(());
    }
    let mut tx = store.begin().await?;
    if store.backend() == crate::Backend::Postgres {
        // Two servers started at once after the upgrade: the second waits, then finds it done.
        sqlx::query("LOCK TABLE user_words IN EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await?;
    }
    let filled = sqlx::query("SELECT 1 AS one FROM user_words LIMIT 1")
        .fetch_optional(&mut *tx)
        .await?
        .is_some();
    if filled {
        return Ok(());
    }
    let mut after = String::new();
    loop {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM users WHERE id > $1 AND status <> 'deleted' ORDER BY id LIMIT 5000"
        )))
        .bind(after.as_str())
        .fetch_all(&mut *tx)
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("id")?;
        let users: Vec<UserRow> = rows.iter().map(from_row).collect::<Result<_>>()?;
        let keys: Vec<String> = users.iter().map(UserRow::search_key).collect();
        // The key is written again too: older ones were the fields joined, not the words.
        for (u, key) in users.iter().zip(&keys) {
            sqlx::query("UPDATE users SET search = $2 WHERE id = $1")
                .bind(&u.id)
                .bind(key)
                .execute(&mut *tx)
                .await?;
        }
        insert_words(&mut tx, store.backend(), word_rows(users.iter().zip(&keys))).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The rows of `user_words` for new users, given with their search keys.
fn word_rows<'a>(
    users: impl IntoIterator<Item = (&'a UserRow, &'a String)>,
) -> Vec<Vec<crate::bulk::Value>> {
    use crate::bulk::Value;
    let mut rows = Vec::new();
    for (u, key) in users {
        for w in key_words(key) {
            rows.push(vec![
                Value::Text(Some(u.org_id.clone())),
                Value::Text(Some(w.to_string())),
                Value::Text(Some(u.id.clone())),
                Value::Text(Some(u.status.code().to_string())),
            ]);
        }
    }
    rows
}

/// Writes rows of `user_words` in batched statements, in the index's order: consecutive rows
/// land on the same pages of it (an import of 100,000 people took 10.2 s on SQLite with each
/// batch of 500 people's words as they came, 8.9 s sorted).
async fn insert_words(
    conn: &mut Conn,
    backend: crate::Backend,
    mut rows: Vec<Vec<crate::bulk::Value>>,
) -> Result<()> {
    rows.sort_unstable_by(|a, b| a[..3].cmp(&b[..3]));
    crate::bulk::insert_rows(
        conn,
        backend,
        "user_words",
        &["org_id", "word", "user_id", "status"],
        &rows,
    )
    .await
}

/// What inserting many users leaves for later in the transaction ([`insert_many_later`]):
/// their counts, written once at the end, so that a long import locks the organisation's
/// counts (which every other user written in it waits for, on PostgreSQL) for its last moment
/// only; and their search words, written [`WORDS_AT_ONCE`] at a time, sorted.
#[derive(Debug, Default)]
pub struct Later {
    /// People added to each organisation's count of each status.
    tally: std::collections::BTreeMap<(String, &'static str), i64>,
    words: Vec<Vec<crate::bulk::Value>>,
}

/// Rows of `user_words` queued before they are written, sorted: about 500 people's (one batch
/// of an import). Queuing 25,000 (5,000 people) saved 2 % of a 100,000-row import but raised
/// the peak memory of a 1,000,000-row one from 304 to 316 MiB (bench/README.md, "Import").
const WORDS_AT_ONCE: usize = 2_500;

/// A user to create in bulk: the policy's proof, the row, and its password hash if any.
pub type Created = (Allowed<CreateUser>, UserRow, Option<String>);

/// Inserts many users at once (seeding) in batched statements, with their words and counts.
/// `password_hash` goes with each user.
pub async fn insert_many(
    conn: &mut Conn,
    backend: crate::Backend,
    users: &[Created],
) -> Result<()> {
    let mut later = Later::default();
    insert_many_later(conn, backend, users, &mut later).await?;
    write_later(conn, backend, &mut later).await
}

/// As [`insert_many`], but the users' counts and part of their words are left in `later`, for
/// [`write_later`] at the end of the transaction. Before one of these users is written again
/// ([`update`], [`anonymise`]), [`write_words_now`] must be called.
pub async fn insert_many_later(
    conn: &mut Conn,
    backend: crate::Backend,
    users: &[Created],
    later: &mut Later,
) -> Result<()> {
    use crate::bulk::{Value, insert_rows as insert};
    for (proof, u, _) in users {
        crate::check_target(proof, &u.org_id, &u.id)?;
    }
    let t = |s: &str| Value::Text(Some(s.to_string()));
    let o = |s: &Option<String>| Value::Text(s.clone());
    let keys: Vec<String> = users.iter().map(|(_, u, _)| u.search_key()).collect();
    let rows: Vec<Vec<Value>> = users
        .iter()
        .zip(&keys)
        .map(|((_, u, hash), key)| {
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
                t(u.status.code()),
                o(hash),
                t(key),
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
    later
        .words
        .extend(word_rows(users.iter().map(|(_, u, _)| u).zip(&keys)));
    for (_, u, _) in users {
        *later
            .tally
            .entry((u.org_id.clone(), u.status.code()))
            .or_default() += 1;
    }
    if later.words.len() >= WORDS_AT_ONCE {
        write_words_now(conn, backend, later).await?;
    }
    Ok(())
}

/// Writes the words `later` holds.
pub async fn write_words_now(
    conn: &mut Conn,
    backend: crate::Backend,
    later: &mut Later,
) -> Result<()> {
    insert_words(conn, backend, std::mem::take(&mut later.words)).await
}

/// Writes all that `later` holds: the words and the counts.
pub async fn write_later(
    conn: &mut Conn,
    backend: crate::Backend,
    later: &mut Later,
) -> Result<()> {
    write_words_now(conn, backend, later).await?;
    for ((org_id, status), n) in std::mem::take(&mut later.tally) {
        recount(conn, &org_id, &[(status, n)]).await?;
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

/// Runs `write`, an `UPDATE users … WHERE org_id = $1 AND id = $2 AND status = $3 AND search =
/// $4` that sets the status to `status` and the search key to `search`, with the status and
/// key the user has now as `$3` and `$4`; moves them between the counts of `user_counts`, and
/// updates their words in `user_words`. If another transaction changed the status or the key
/// between the read and the write (PostgreSQL re-checks the condition once that transaction
/// commits), the write changes nothing and is tried again with the new ones.
async fn write_counted<F>(
    conn: &mut Conn,
    org_id: &str,
    id: &str,
    status: &str,
    search: &str,
    write: F,
) -> Result<()>
where
    F: Fn(&str, &str) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments>,
{
    loop {
        let Some(row) =
            sqlx::query("SELECT status, search FROM users WHERE org_id = $1 AND id = $2")
                .bind(org_id)
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
        else {
            return Ok(());
        };
        let was: String = row.try_get("status")?;
        let was_search: String = row.try_get("search")?;
        if write(&was, &was_search)
            .execute(&mut *conn)
            .await?
            .rows_affected()
            == 0
        {
            continue;
        }
        if was != status {
            recount(conn, org_id, &[(was.as_str(), -1), (status, 1)]).await?;
        }
        let (old, new) = (key_words(&was_search), key_words(search));
        let added: Vec<&str> = new.difference(&old).copied().collect();
        let gone: Vec<&str> = old.difference(&new).copied().collect();
        let kept: Vec<&str> = if was == status {
            Vec::new()
        } else {
            old.intersection(&new).copied().collect()
        };
        write_words(conn, org_id, id, status, &added, &gone, &kept).await?;
        return Ok(());
    }
}

pub(crate) const COLUMNS: &str = "id, org_id, login, email, first_name, last_name, phone, language, address_line, postal_code, city, status, created_at, updated_at";

/// A stored status; another word in the column is a damaged row, refused as such.
pub(crate) fn status_of(code: &str) -> Result<Status> {
    Status::from_code(code).ok_or_else(|| {
        crate::StoreError::Database(sqlx::Error::Decode(
            format!("unknown user status {code:?}").into(),
        ))
    })
}

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
        status: status_of(&r.try_get::<String, _>("status")?)?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn insert(
    conn: &mut Conn,
    proof: &Allowed<CreateUser>,
    u: &UserRow,
    password_hash: Option<&str>,
) -> Result<()> {
    crate::check_target(proof, &u.org_id, &u.id)?;
    let search = u.search_key();
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
    .bind(u.status.code())
    .bind(password_hash)
    .bind(search.as_str())
    .bind(u.created_at)
    .bind(u.updated_at)
    .execute(&mut *conn)
    .await?;
    let words: Vec<&str> = key_words(&search).into_iter().collect();
    write_words(conn, &u.org_id, &u.id, u.status.code(), &words, &[], &[]).await?;
    recount(conn, &u.org_id, &[(u.status.code(), 1)]).await
}

/// Writes every field of `u` but its password (and `created_at`): its profile with an
/// [`EditUser`] proof, its status with a [`DisableUser`] one.
pub async fn update<A: WritesUser>(conn: &mut Conn, proof: &Allowed<A>, u: &UserRow) -> Result<()> {
    crate::check_target(proof, &u.org_id, &u.id)?;
    let search = u.search_key();
    write_counted(conn, &u.org_id, &u.id, u.status.code(), &search, |was, was_search| {
        sqlx::query(
            "UPDATE users SET login = $5, email = $6, first_name = $7, last_name = $8, phone = $9, language = $10, \
             address_line = $11, postal_code = $12, city = $13, status = $14, search = $15, updated_at = $16 \
             WHERE org_id = $1 AND id = $2 AND status = $3 AND search = $4",
        )
        .bind(&u.org_id)
        .bind(&u.id)
        .bind(was)
        .bind(was_search)
        .bind(&u.login)
        .bind(&u.email)
        .bind(&u.first_name)
        .bind(&u.last_name)
        .bind(&u.phone)
        .bind(&u.language)
        .bind(&u.address_line)
        .bind(&u.postal_code)
        .bind(&u.city)
        .bind(u.status.code())
        .bind(search.as_str())
        .bind(u.updated_at)
    })
    .await
}

pub async fn set_password_hash(
    conn: &mut Conn,
    proof: &Allowed<EditUser>,
    hash: Option<&str>,
    at: i64,
) -> Result<()> {
    let (org_id, id) = (proof.org_id(), proof.user_id.as_str());
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
) -> Result<std::collections::HashMap<String, Status>> {
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
            out.insert(
                r.try_get("id")?,
                status_of(&r.try_get::<String, _>("status")?)?,
            );
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
    /// A second factor: a confirmed authenticator app, or a passkey.
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
        "SELECT {columns}, u.password_hash, m.confirmed_at AS mfa_confirmed_at, \
         (SELECT COUNT(*) FROM passkeys p WHERE p.user_id = u.id) AS passkeys FROM users u \
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
            // A confirmed authenticator app or a passkey (issue 22).
            mfa_enabled: r.try_get::<Option<i64>, _>("mfa_confirmed_at")?.is_some()
                || r.try_get::<i64, _>("passkeys")? > 0,
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
    pub status: Option<Status>,
    /// Those with (true) or without (false) two-factor sign-in.
    pub two_factor: Option<bool>,
    pub visible_groups: Option<Vec<String>>,
    /// Return users whose login sorts after this one (keyset paging).
    pub after_login: Option<String>,
    pub limit: i64,
}

pub async fn list(conn: &mut Conn, org_id: &str, f: &Filter) -> Result<Vec<UserRow>> {
    // The page's ids are chosen first, then their rows read: asked for whole rows directly,
    // SQLite 3.51 walks the login index and reads every row to test the search (137 ms for a
    // word nobody has, against 10 ms).
    let plan = if many_match(conn, org_id, f).await? {
        Plan::Walk
    } else {
        Plan::LookUp
    };
    let mut sql = matching(
        &format!("SELECT {COLUMNS} FROM users WHERE id IN (SELECT u.id"),
        org_id,
        f,
        true,
        plan,
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

/// Whether the words of `f` match more than [`LOOK_UP_AT_MOST`] people, counted in the index
/// only as far as that (under a millisecond), for a list that does not count them all.
async fn many_match(conn: &mut Conn, org_id: &str, f: &Filter) -> Result<bool> {
    let words = query_words(f.q.as_deref());
    if words.is_empty() {
        return Ok(true);
    }
    let mut sql = Sql::new(
        "SELECT COUNT(*) AS n FROM (".into(),
        Arg::Text(org_id.into()),
    );
    push_words(&mut sql, "w0.user_id", &words);
    sql.push_str(&format!(" LIMIT {}) c", LOOK_UP_AT_MOST + 1));
    let rows = sql.fetch_all(conn).await?;
    let n: i64 = match rows.first() {
        Some(r) => r.try_get("n")?,
        None => 0,
    };
    Ok(n > LOOK_UP_AT_MOST)
}

/// How a query finds the users whose words match a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// `u.id IN (the matching users)`: the database chooses.
    Any,
    /// The users are walked in the order of an index (the list's), each one's words tested
    /// with `search LIKE '% word%'` (`search` holds them, each after a space), until the page
    /// is full: the way for a search matching many people, where the page fills after a few
    /// hundred. (Testing each against the set of matching users instead meant building the
    /// set on every request: 3–4 ms of CPU on SQLite for `martin`, against 1–1.6.)
    Walk,
    /// The matching users are looked up one by one, then filtered and sorted: the way for a
    /// search matching few people, where a walk would go through every user to find them
    /// (22 ms on PostgreSQL for a word nobody has). `CROSS JOIN` makes SQLite keep that order.
    LookUp,
}

/// Searches matching more people than this walk the list's order ([`Plan::Walk`]); fewer are
/// looked up ([`Plan::LookUp`]). Looking a user up costs 2–5 µs, reading one on a walk 1–4
/// µs: at 2,000 matches out of 100,000, the first page's 50 are found in a walk of about
/// 2,500 users, as long as looking all 2,000 up (bench/README.md, "Pages").
pub const LOOK_UP_AT_MOST: i64 = 2000;

/// `prefix` + ` FROM users u WHERE` the filter's conditions (`after_login` aside; the status
/// too unless `with_status`).
fn matching(prefix: &str, org_id: &str, f: &Filter, with_status: bool, plan: Plan) -> Sql {
    // Each word of `q` must start a word of the login, e-mail or names, looked up in
    // `user_words`.
    let words = query_words(f.q.as_deref());
    let mut sql = Sql::new(String::new(), Arg::Text(org_id.into()));
    if words.is_empty() {
        sql.push_str(&format!("{prefix} FROM users u WHERE u.org_id = $1"));
    } else if plan == Plan::LookUp {
        sql.push_str(&format!("{prefix} FROM ("));
        push_words(&mut sql, "DISTINCT w0.user_id", &words);
        sql.push_str(") m CROSS JOIN users u WHERE u.id = m.user_id AND u.org_id = $1");
    } else if plan == Plan::Walk {
        sql.push_str(&format!("{prefix} FROM users u WHERE u.org_id = $1"));
        // The words are made of [a-z0-9] only: none holds a LIKE wildcard.
        for word in &words {
            sql.push(" AND u.search LIKE $?", Arg::Text(format!("% {word}%")));
        }
    } else {
        sql.push_str(&format!(
            "{prefix} FROM users u WHERE u.org_id = $1 AND u.id IN ("
        ));
        push_words(&mut sql, "w0.user_id", &words);
        sql.push_str(")");
    }
    sql.push_str(" AND u.status <> 'deleted'");
    if let Some(s) = f.status.as_ref().filter(|_| with_status) {
        sql.push(" AND u.status = $?", Arg::Text(s.code().to_string()));
    }
    if let Some(r) = &f.role_id {
        sql.push(" AND EXISTS (SELECT 1 FROM role_assignments ra WHERE ra.user_id = u.id AND ra.role_id = $?)", Arg::Text(r.clone()));
    }
    if let Some(with) = f.two_factor {
        sql.push_str(if with {
            " AND EXISTS"
        } else {
            " AND NOT EXISTS"
        });
        sql.push_str(&format!(" ({})", crate::mfa::HAS_TWO_FACTOR));
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
/// the web pages' list, where a person goes to page 3 or sorts by name. `matches` is how many
/// users `f` matches (from [`count_by_status`]), which chooses how a search finds them.
pub async fn page(
    conn: &mut Conn,
    org_id: &str,
    f: &Filter,
    sort: Sort,
    descending: bool,
    offset: i64,
    matches: i64,
) -> Result<Vec<UserRow>> {
    let dir = if descending { "DESC" } else { "ASC" };
    let plan = if matches <= LOOK_UP_AT_MOST {
        Plan::LookUp
    } else {
        Plan::Walk
    };
    let mut sql = matching("SELECT u.id", org_id, f, true, plan);
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
    let words = query_words(f.q.as_deref());
    let by_word_only = f.role_id.is_none() && f.group_id.is_none() && f.visible_groups.is_none();
    let counted = |rows: Vec<sqlx::any::AnyRow>| {
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
        Ok(counts)
    };
    if by_word_only && words.is_empty() {
        // Everyone: the counts kept by every write (`user_counts`), nothing counted here.
        let rows = sqlx::query("SELECT status, n FROM user_counts WHERE org_id = $1")
            .bind(org_id)
            .fetch_all(&mut *conn)
            .await?;
        return counted(rows);
    }
    if by_word_only {
        // Words only: counted in `user_words` alone, which holds the statuses. A user with two
        // words starting with the same one (`martin`, `martine`) is counted once. (PostgreSQL
        // takes 13 ms for `COUNT(DISTINCT …)` over 10,000 words, 5 for this.)
        let mut sql = Sql::new(
            "SELECT m.status, COUNT(*) AS n FROM (".into(),
            Arg::Text(org_id.into()),
        );
        push_words(&mut sql, "DISTINCT w0.user_id, w0.status", &words);
        sql.push_str(") m GROUP BY m.status");
        return counted(sql.fetch_all(conn).await?);
    }
    let sum =
        |s: &str| format!("COALESCE(SUM(CASE WHEN u.status = '{s}' THEN 1 ELSE 0 END), 0) AS {s}");
    let prefix = format!(
        "SELECT {}, {}, {}",
        sum("invited"),
        sum("active"),
        sum("disabled")
    );
    let rows = matching(&prefix, org_id, f, false, Plan::Any)
        .fetch_all(conn)
        .await?;
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
pub async fn anonymise(conn: &mut Conn, proof: &Allowed<DeleteUser>, at: i64) -> Result<()> {
    let (org_id, id) = (proof.org_id(), proof.user_id.as_str());
    let login = format!("deleted-{id}");
    write_counted(conn, org_id, id, "deleted", "", |was, was_search| {
        sqlx::query(
            "UPDATE users SET login = $5, email = NULL, first_name = NULL, last_name = NULL, phone = NULL, address_line = NULL, \
             postal_code = NULL, city = NULL, status = 'deleted', password_hash = NULL, search = '', updated_at = $6 \
             WHERE org_id = $1 AND id = $2 AND status = $3 AND search = $4",
        )
        .bind(org_id)
        .bind(id)
        .bind(was)
        .bind(was_search)
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
    fn prefixes_are_bounded_within_the_word_characters() {
        assert_eq!(prefix_upper("mart").as_deref(), Some("maru"));
        assert_eq!(prefix_upper("ab9").as_deref(), Some("aba"));
        assert_eq!(prefix_upper("a8").as_deref(), Some("a9"));
        assert_eq!(prefix_upper("az").as_deref(), Some("b"));
        assert_eq!(prefix_upper("azz").as_deref(), Some("b"));
        assert_eq!(prefix_upper("zz"), None);
        // Every word starting with the prefix sorts inside the bounds, the others outside.
        for (prefix, word, inside) in [
            ("ab9", "ab9zz", true),
            ("ab9", "aba", false),
            ("az", "azzz9", true),
            ("az", "b", false),
            ("az", "ay", false),
        ] {
            let upper = prefix_upper(prefix);
            let found = word >= prefix && upper.as_deref().is_none_or(|u| word < u);
            assert_eq!(found, inside, "{prefix} {word}");
        }
    }

    #[test]
    fn search_keys_hold_each_word_once() {
        let u = UserRow {
            id: "1".into(),
            org_id: "o".into(),
            login: "zoe.lefevre".into(),
            email: Some("Zoe.Lefevre@example.fr".into()),
            first_name: Some("Zoé".into()),
            last_name: Some("Lefèvre-Ngô".into()),
            phone: None,
            language: "fr".into(),
            address_line: None,
            postal_code: None,
            city: None,
            status: Status::Active,
            created_at: 0,
            updated_at: 0,
        };
        assert_eq!(u.search_key(), " zoe lefevre example fr ngo");
        assert_eq!(key_words(&u.search_key()).len(), 5);
    }

    #[test]
    fn query_words_keep_the_longest_and_drop_implied_ones() {
        assert_eq!(query_words(Some("mar  Martin m")), ["martin"]);
        assert_eq!(query_words(Some("marie martin")), ["martin", "marie"]);
        assert!(query_words(Some(" -- ")).is_empty());
        assert!(query_words(None).is_empty());
    }

    #[test]
    fn search_words_are_folded() {
        assert_eq!(search_words("Zoé Lefèvre-Ngô"), ["zoe", "lefevre", "ngo"]);
        assert_eq!(
            search_words("zoe.lefevre2@example.fr"),
            ["zoe", "lefevre2", "example", "fr"]
        );
    }
}
