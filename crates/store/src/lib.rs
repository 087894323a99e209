//! Persistence for Sésame: one code path for SQLite and PostgreSQL through sqlx's `Any` driver.
//!
//! All SQL lives in this crate, in the portable subset described in STACK.md: `$N` placeholders,
//! TEXT ids, BIGINT milliseconds, INTEGER 0/1. Every function takes a connection (`&mut
//! AnyConnection`, which a transaction dereferences to), so the application decides where a
//! transaction begins and ends; no function here commits.
//!
//! Every query names its organisation: nothing here can read or write across organisations.
//!
//! Every write to users, roles, role assignments, groups, memberships, applications, tokens,
//! settings and signatures takes the policy's proof ([`sesame_core::policy::Allowed`]) and writes to the
//! organisation and target the proof names: a write without its check does not compile.

pub mod apps;
pub mod audit;
pub mod backup;
pub mod bulk;
pub mod form_once;
pub mod forward_auth;
pub mod groups;
pub mod import_changes;
pub mod imports;
pub mod invitations;
pub mod links;
pub mod mfa;
pub mod mfa_grace;
pub mod notifications;
pub mod oidc;
pub mod orgs;
pub mod outbox;
pub mod passkeys;
pub mod pending_uploads;
pub mod recipient_sends;
pub mod roles;
pub mod server_keys;
pub mod sign_in_steps;
pub mod signatures;
pub mod signing_keys;
pub mod throttle;
pub mod tokens;
pub mod users;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Connection, Executor};
use std::str::FromStr;
use std::time::Duration;

pub use sqlx::AnyConnection as Conn;
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write; the value names the column (`email`, `login`,
    /// `name`, `slug`, `token`).
    #[error("{0} already taken")]
    Taken(&'static str),
    #[error("unsupported database URL (expected sqlite:… or postgres://…)")]
    UnsupportedUrl,
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(sqlx::migrate::MigrateError),
    /// A migration of this version of Sésame failed: it ran in a transaction, rolled back, so
    /// the database is as it was before (every earlier migration kept).
    #[error(
        "migration {version} ({description}) failed and was rolled back; the database is as it was before it: {detail}"
    )]
    MigrationFailed {
        version: i64,
        description: String,
        detail: String,
    },
    /// The database was written by a later version of Sésame (it has migration `0`, unknown
    /// here): this binary does not open it rather than serve it wrongly.
    #[error(
        "the database was written by a later version of Sésame (migration {0} is unknown to this one): run that version, or restore a backup made by this one"
    )]
    NewerDatabase(i64),
    /// A write was given a proof for another person, role, group or organisation than the row
    /// it writes: a programming error, refused rather than written.
    #[error("the policy's proof is for another target than the row written")]
    NotTheTarget,
    /// A bulk write to a table whose writes need a proof, outside the functions that take one.
    #[error("{0} is written only with the policy's proof")]
    Guarded(&'static str),
    /// A membership removed while its person still holds a role within the group.
    #[error("the person still holds a role within the group")]
    RolesLeft,
    /// The disk holding the database is full (SQLite's "database or disk is full", PostgreSQL's
    /// `disk_full`, ENOSPC); the text is the database's own, for the log and the operator.
    #[error("the disk holding the database is full ({0})")]
    Full(String),
    /// The database cannot be written: a read-only file, directory, file system or database
    /// (SQLite's "attempt to write a readonly database", EROFS, EACCES, PostgreSQL's
    /// `read_only_sql_transaction`).
    #[error("the database cannot be written ({0})")]
    ReadOnly(String),
    /// The database server cannot be reached or dropped the connection (stopped, restarting,
    /// out of connections); the text is the driver's own, for the log and the operator.
    #[error("the database cannot be reached ({0})")]
    Unreachable(String),
}

/// What the storage refused, when it is not the query's fault: the disk or the permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    Full,
    ReadOnly,
    Unreachable,
}

/// Recognises a full disk and a read-only database in the errors of both backends. A SQLite
/// code is its extended result code (the primary one in its low byte); a PostgreSQL code is
/// its five-character SQLSTATE.
fn refusal(e: &sqlx::Error) -> Option<Refusal> {
    match e {
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            let message = db.message().to_lowercase();
            if code.len() == 5 {
                return match code.as_ref() {
                    "53100" => Some(Refusal::Full),
                    "25006" => Some(Refusal::ReadOnly),
                    // Connection exceptions (08…), the server shutting down or starting
                    // (57P01–57P03), too many connections (53300).
                    c if c.starts_with("08") || c.starts_with("57P") || c == "53300" => {
                        Some(Refusal::Unreachable)
                    }
                    _ => None,
                };
            }
            match code.parse::<i32>().map(|c| c & 0xff) {
                // SQLITE_FULL
                Ok(13) => Some(Refusal::Full),
                // SQLITE_READONLY (and its kinds), SQLITE_CANTOPEN: a file or directory that
                // cannot be created or written.
                Ok(8 | 14) => Some(Refusal::ReadOnly),
                _ if message.contains("disk is full") || message.contains("no space left") => {
                    Some(Refusal::Full)
                }
                _ if message.contains("readonly") || message.contains("read-only") => {
                    Some(Refusal::ReadOnly)
                }
                _ => None,
            }
        }
        sqlx::Error::Io(io) => io_refusal(io).or(Some(Refusal::Unreachable)),
        sqlx::Error::Tls(_) | sqlx::Error::PoolTimedOut | sqlx::Error::WorkerCrashed => {
            Some(Refusal::Unreachable)
        }
        sqlx::Error::Migrate(m) => migrate_refusal(m),
        _ => None,
    }
}

fn migrate_refusal(m: &sqlx::migrate::MigrateError) -> Option<Refusal> {
    use sqlx::migrate::MigrateError as M;
    match m {
        M::Execute(e) | M::ExecuteMigration(e, _) => refusal(e),
        _ => None,
    }
}

fn io_refusal(e: &std::io::Error) -> Option<Refusal> {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::StorageFull | K::QuotaExceeded => Some(Refusal::Full),
        K::ReadOnlyFilesystem | K::PermissionDenied => Some(Refusal::ReadOnly),
        _ => None,
    }
}

impl StoreError {
    fn refused(r: Refusal, detail: String) -> Self {
        match r {
            Refusal::Full => StoreError::Full(detail),
            Refusal::ReadOnly => StoreError::ReadOnly(detail),
            Refusal::Unreachable => StoreError::Unreachable(detail),
        }
    }

    /// A file written beside the database (an `.eml`, an error file) that could not be: a full
    /// disk or a read-only place is told as for the database, anything else is `None`.
    pub fn from_io(e: &std::io::Error, path: &std::path::Path) -> Option<Self> {
        io_refusal(e).map(|r| Self::refused(r, format!("{}: {e}", path.display())))
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        match migrate_refusal(&e) {
            Some(r) => Self::refused(r, e.to_string()),
            None => StoreError::Migrate(e),
        }
    }
}

/// Applies `migrator`'s migrations not yet applied. sqlx runs each in a transaction with its
/// row in `_sqlx_migrations` (on SQLite and PostgreSQL alike, both with transactional DDL):
/// one that fails leaves the database as the previous one left it. The error then names the
/// migration ([`StoreError::MigrationFailed`]); a database with a migration this binary does
/// not know is refused ([`StoreError::NewerDatabase`]). Held by `tests/it/upgrade.rs`.
pub async fn migrate_with(pool: &AnyPool, migrator: &sqlx::migrate::Migrator) -> Result<()> {
    use sqlx::migrate::MigrateError as M;
    migrator.run(pool).await.map_err(|e| match e {
        M::ExecuteMigration(inner, version) => match refusal(&inner) {
            Some(r) => StoreError::refused(r, inner.to_string()),
            None => StoreError::MigrationFailed {
                version,
                description: migrator
                    .iter()
                    .find(|m| m.version == version)
                    .map(|m| m.description.to_string())
                    .unwrap_or_default(),
                detail: inner.to_string(),
            },
        },
        M::VersionMissing(version) => StoreError::NewerDatabase(version),
        other => StoreError::from(other),
    })
}

/// The migrations of this version of Sésame.
pub fn migrator() -> &'static sqlx::migrate::Migrator {
    &MIGRATOR
}

/// Refuses a row of `org_id` / `user_id` written with a proof for someone else.
pub(crate) fn check_target<A: sesame_core::policy::proof::OnUser>(
    proof: &sesame_core::policy::Allowed<A>,
    org_id: &str,
    user_id: &str,
) -> Result<()> {
    if proof.is_for(org_id, user_id) {
        Ok(())
    } else {
        Err(StoreError::NotTheTarget)
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let Some(r) = refusal(&e) {
            return Self::refused(r, e.to_string());
        }
        if let sqlx::Error::Database(db) = &e
            && db.kind() == sqlx::error::ErrorKind::UniqueViolation
        {
            // The codes differ between backends (2067 / 23505); the message names the column
            // on SQLite ("users.email") and the constraint on PostgreSQL ("users_org_id_email_key").
            let m = db.message().to_string() + " " + db.constraint().unwrap_or("");
            for column in ["email", "login", "name_key", "slug", "token_hash"] {
                if m.contains(column) {
                    return StoreError::Taken(match column {
                        "name_key" => "name",
                        "token_hash" => "token",
                        c => c,
                    });
                }
            }
            return StoreError::Taken("key");
        }
        StoreError::Database(e)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The connection pool, and which database is behind it.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: never print it.
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

/// A PostgreSQL connection idle this long is pinged before it is handed out again. Under a
/// load where the round trip matters, connections come back far sooner; under a light one
/// the ping costs nothing that shows.
const PING_IDLE_AFTER: Duration = Duration::from_millis(100);

/// SQLite's page cache for a bulk write, in KiB.
pub const BULK_CACHE_KIB: u32 = 32 * 1024;

impl Store {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`) and applies the embedded
    /// migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        let options = AnyConnectOptions::from_str(url)?.disable_statement_logging();
        let pool_options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        let pool = match backend {
            Backend::Sqlite => {
                // WAL is a property of the file: set once, here, not by every new connection of
                // the pool (changing the journal mode needs an exclusive lock, which
                // `busy_timeout` does not wait for).
                {
                    let mut first = options.connect().await?;
                    first.execute("PRAGMA journal_mode = WAL").await?;
                    first.close().await?;
                }
                pool_options
                    .max_connections(8)
                    // sqlx pings a connection before handing it out; a SQLite connection is a
                    // file handle that no server restart can break: the ping is only a cost.
                    .test_before_acquire(false)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // Not reachable through an Any URL (STACK.md, rule 6).
                            conn.execute(
                                "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000; \
                                 PRAGMA foreign_keys = ON;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .after_release(|conn, _| {
                        Box::pin(async move {
                            // SQLite rolls a transaction back by itself when a write fails
                            // with a full disk (SQLITE_FULL) or an I/O error; sqlx's ROLLBACK
                            // then fails and the connection would stay "in a transaction" for
                            // ever, every later BEGIN on it refused. Such a connection is closed
                            // rather than reused (the ping lets a pending rollback run first).
                            if conn.is_in_transaction() {
                                conn.ping().await?;
                            }
                            Ok(!conn.is_in_transaction())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => {
                // sqlx pings a connection both when it hands it out and when it takes it back:
                // two round trips to the server around each request's queries. The ping on
                // return stays (sqlx cannot turn it off): it closes a connection whose query
                // failed because the server went away. The ping before use is only needed
                // for a connection that sat idle, which the server may have dropped (a
                // restart, a firewall's timeout) while nobody used it; one in steady use is
                // handed out as it is. So after a server restart, a connection used in the
                // last tenth of a second fails at most one query (503) and is closed; held by
                // tests/it/pg_restart.rs.
                pool_options
                    .max_connections(16)
                    .test_before_acquire(false)
                    .before_acquire(|conn, meta| {
                        Box::pin(async move {
                            if meta.idle_for >= PING_IDLE_AFTER {
                                conn.ping().await?;
                            }
                            Ok(true)
                        })
                    })
                    .connect_with(options)
                    .await?
            }
        };
        migrate_with(&pool, &MIGRATOR).await?;
        let store = Self { pool, backend };
        users::fill_words(&store).await?;
        Ok(store)
    }

    /// The SQLite database inside a data directory.
    pub fn sqlite_url(data_dir: &std::path::Path) -> String {
        format!("sqlite://{}?mode=rwc", data_dir.join("sesame.db").display())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A connection for reads.
    pub async fn read(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// A transaction for a write. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`): a deferred transaction that reads, then writes after another writer
    /// committed, fails with SQLITE_BUSY instead of waiting.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// A transaction for a large write (an import): as [`Store::begin`], and on SQLite with a
    /// page cache of [`BULK_CACHE_KIB`] for its connection, so that the pages it dirties are not
    /// spilled to the WAL and read back many times over (measured: 100,000 users wrote 5 GB
    /// through the default 2 MiB cache). That connection is closed at the end, with its cache,
    /// rather than returned to the pool.
    pub async fn begin_bulk(&self) -> Result<Tx> {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = self.pool.acquire().await?;
                conn.close_on_drop();
                conn.execute(sqlx::AssertSqlSafe(format!(
                    "PRAGMA cache_size = -{BULK_CACHE_KIB}"
                )))
                .await?;
                Ok(sqlx::Transaction::begin(
                    conn,
                    Some(sqlx::SqlSafeStr::into_sql_str("BEGIN IMMEDIATE")),
                )
                .await?)
            }
            Backend::Postgres => self.begin().await,
        }
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Milliseconds since the Unix epoch: how every time is stored.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A new time-ordered id.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// `$start, $start+1, …` for `n` parameters: IN-lists of a handful of ids.
pub(crate) fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A query whose `WHERE` clause grows with optional filters; `$?` in a fragment becomes the
/// next `$N`. Only fragments of ours are pushed; values are always bound.
pub(crate) struct Sql {
    text: String,
    args: Vec<Arg>,
}

pub(crate) enum Arg {
    Text(String),
    Int(i64),
}

impl Sql {
    pub(crate) fn new(text: String, first: Arg) -> Self {
        Self {
            text,
            args: vec![first],
        }
    }

    pub(crate) fn push(&mut self, fragment: &str, value: Arg) {
        self.args.push(value);
        self.text
            .push_str(&fragment.replace("$?", &format!("${}", self.args.len())));
    }

    /// `fragment` holds `($in)`, replaced by one placeholder per value.
    pub(crate) fn push_in(&mut self, fragment: &str, values: &[String]) {
        let list = if values.is_empty() {
            "NULL".to_string()
        } else {
            placeholders(self.args.len() + 1, values.len())
        };
        self.args.extend(values.iter().cloned().map(Arg::Text));
        self.text.push_str(&fragment.replace("$in", &list));
    }

    pub(crate) fn push_str(&mut self, text: &str) {
        self.text.push_str(text);
    }

    pub(crate) async fn fetch_all(self, conn: &mut Conn) -> Result<Vec<sqlx::any::AnyRow>> {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(self.text));
        for a in self.args {
            q = match a {
                Arg::Text(s) => q.bind(s),
                Arg::Int(i) => q.bind(i),
            };
        }
        Ok(q.fetch_all(&mut *conn).await?)
    }
}
