//! Upgrades (issue 24): a database written by the previous release migrates and serves with
//! this one, and a migration that fails leaves the database as it was, with a message naming
//! it.
//!
//! The previous release's databases are committed fixtures (`tests/fixtures/upgrade/<tag>/`,
//! written by that release's own binary with `scripts/make-upgrade-fixture`: building it here
//! would double the tests' time): a SQLite file, and a plain pg_dump restored with psql into a
//! fresh PostgreSQL database.

use crate::cli::{serve_with, sesame};
use crate::harness::{ADMIN_PASSWORD, Db, USER_PASSWORD};
use crate::on_every_database;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sesame_store::{Store, StoreError};
use std::path::{Path, PathBuf};

/// The last release, whose databases must keep working.
const PREVIOUS: &str = "v0.1.0";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/upgrade")
        .join(PREVIOUS)
}

/// Puts the previous release's database in place of `db`'s (empty) one; for SQLite, answers
/// the directory that now holds it.
fn load_fixture(db: &Db) -> Option<tempfile::TempDir> {
    if db.label == "sqlite" {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::copy(fixtures().join("sesame.db"), dir.path().join("sesame.db")).expect("copy");
        return Some(dir);
    }
    let out = std::process::Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &db.url, "-f"])
        .arg(fixtures().join("postgres.sql"))
        .output()
        .expect("psql (PostgreSQL's client) is needed to load the upgrade fixture");
    assert!(
        out.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    None
}

async fn call(http: &Client, base: &str, token: &str, path: &str) -> Value {
    let r = http
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.json().await.expect("json")
}

async fn previous_release_migrates_and_serves(db: &Db) {
    let dir = load_fixture(db);
    let sqlite;
    let db = match &dir {
        Some(d) => {
            sqlite = Db::sqlite_at(Store::sqlite_url(d.path()));
            &sqlite
        }
        None => db,
    };
    let data = tempfile::tempdir().expect("data dir");
    let (mut server, base, _log) = serve_with(db, data.path(), &[]);
    let http = Client::new();
    let admin = crate::cli::token_at(&http, &base, "admin", ADMIN_PASSWORD).await;
    crate::cli::token_at(&http, &base, "zoe.lefevre", USER_PASSWORD).await;
    let users = call(&http, &base, &admin, "/api/v1/users?limit=50").await;
    let find = |login: &str| {
        users["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|u| u["login"] == login)
            .unwrap_or_else(|| panic!("{login} in {users}"))
            .clone()
    };
    let zoe = find("zoe.lefevre");
    assert_eq!(zoe["phone"], "+33612345678", "{zoe}");
    assert_eq!(zoe["status"], "active", "{zoe}");
    let roles = zoe["roles"].to_string();
    assert!(
        roles.contains("Amapien") && roles.contains("Ferme du Bec"),
        "{roles}"
    );
    assert_eq!(zoe["groups"], json!(["Ferme du Bec"]), "{zoe}");
    let karim = find("karim.ben-ali");
    assert!(karim["roles"].to_string().contains("Trésorier"), "{karim}");
    assert_eq!(find("elodie.martin")["status"], "invited");
    let groups = call(&http, &base, &admin, "/api/v1/groups")
        .await
        .to_string();
    assert!(groups.contains("Salle des fêtes"), "{groups}");
    let apps = call(&http, &base, &admin, "/api/v1/apps").await.to_string();
    assert!(apps.contains("Nextcloud"), "{apps}");
    // The API token the previous release made still works.
    let token_file = if db.label == "sqlite" {
        "api-token.txt"
    } else {
        "api-token-postgres.txt"
    };
    let token = std::fs::read_to_string(fixtures().join(token_file)).expect("token");
    let me = call(&http, &base, token.trim(), "/api/v1/me").await;
    assert_eq!(me["user"]["login"], "admin", "{me}");
    let _ = server.kill();
    let _ = server.wait();
    // Every migration of this version is applied.
    let store = Store::connect(&db.url).await.expect("open");
    let mut c = store.read().await.expect("conn");
    let last: (i64,) = sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(&mut *c)
        .await
        .expect("version");
    let newest = sesame_store::migrator().iter().map(|m| m.version).max();
    assert_eq!(Some(last.0), newest);
    drop(c);
    store.close().await;
}
on_every_database!(
    a_database_of_the_previous_release_migrates_and_serves,
    previous_release_migrates_and_serves
);

/// This version's migrations and one more that fails, in a directory of their own.
fn migrations_with_a_failing_one(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    let ours = Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/migrations");
    for f in std::fs::read_dir(ours).expect("migrations") {
        let f = f.expect("entry").path();
        std::fs::copy(&f, dir.path().join(f.file_name().expect("name"))).expect("copy");
    }
    std::fs::write(dir.path().join("9999_fails_halfway.sql"), extra).expect("write");
    dir
}

async fn last_version(store: &Store) -> i64 {
    let mut c = store.read().await.expect("conn");
    let v: (i64,) = sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(&mut *c)
        .await
        .expect("version");
    v.0
}

async fn a_failing_migration_changes_nothing(db: &Db) {
    let store = Store::connect(&db.url).await.expect("connect");
    let before = last_version(&store).await;
    // It writes, then fails: what it wrote must not stay.
    let dir = migrations_with_a_failing_one(
        "CREATE TABLE upgrade_probe (id TEXT PRIMARY KEY);\n\
         ALTER TABLE users ADD COLUMN upgrade_probe TEXT;\n\
         INSERT INTO upgrade_probe (id) VALUES ('a');\n\
         INSERT INTO no_such_table (id) VALUES ('b');\n",
    );
    let migrator = sqlx::migrate::Migrator::new(dir.path())
        .await
        .expect("migrations");
    let e = sesame_store::migrate_with(store.pool(), &migrator)
        .await
        .expect_err("the migration fails");
    match &e {
        StoreError::MigrationFailed {
            version,
            description,
            ..
        } => {
            assert_eq!(*version, 9999);
            assert_eq!(description, "fails halfway");
        }
        other => panic!("{other:?}"),
    }
    let said = e.to_string();
    assert!(
        said.contains("migration 9999 (fails halfway) failed and was rolled back")
            && said.contains("no_such_table"),
        "{said}"
    );
    assert_eq!(last_version(&store).await, before);
    let mut c = store.read().await.expect("conn");
    assert!(
        sqlx::query("SELECT id FROM upgrade_probe")
            .fetch_all(&mut *c)
            .await
            .is_err(),
        "the table it made is gone"
    );
    assert!(
        sqlx::query("SELECT upgrade_probe FROM users")
            .fetch_all(&mut *c)
            .await
            .is_err(),
        "the column it added is gone"
    );
    drop(c);
    store.close().await;

    // The command line (and so `serve`) names a real migration that fails, says the database
    // is as it was, and exits 3: a database at migration 25 where 26's index already exists.
    let partial = tempfile::tempdir().expect("dir");
    let ours = Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/migrations");
    for f in std::fs::read_dir(ours).expect("migrations") {
        let f = f.expect("entry").path();
        let name = f.file_name().expect("name").to_string_lossy().into_owned();
        if name.as_str() < "0026" {
            std::fs::copy(&f, partial.path().join(&name)).expect("copy");
        }
    }
    let fresh = match db.label {
        "sqlite" => Db::sqlite().await,
        _ => Db::postgres(&std::env::var("SESAME_TEST_POSTGRES_URL").expect("url")).await,
    };
    {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&fresh.url).await.expect("pool");
        let up_to_25 = sqlx::migrate::Migrator::new(partial.path())
            .await
            .expect("migrations");
        sesame_store::migrate_with(&pool, &up_to_25)
            .await
            .expect("up to 25");
        sqlx::query("CREATE INDEX imports_org_created ON imports (org_id)")
            .execute(&pool)
            .await
            .expect("index");
        pool.close().await;
    }
    for (lang, words) in [
        (
            "en",
            "failed at migration 26 (import history): that migration was rolled back",
        ),
        (
            "fr",
            "a échoué à la migration 26 (import history) : cette migration a été annulée",
        ),
    ] {
        let r = sesame(&fresh, lang, &["user", "list"]);
        assert_eq!(r.status, 3, "{}", r.stderr);
        assert!(
            r.stderr.contains(words) && r.stderr.contains("imports_org_created"),
            "{}",
            r.stderr
        );
    }
    let pool = sqlx::AnyPool::connect(&fresh.url).await.expect("pool");
    let v: (i64,) = sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .expect("version");
    assert_eq!(v.0, 25);
    assert!(
        sqlx::query("SELECT options_json FROM imports")
            .fetch_all(&pool)
            .await
            .is_err(),
        "migration 26's first change is rolled back too"
    );
    pool.close().await;
    fresh.cleanup().await;
}
on_every_database!(
    a_migration_that_fails_leaves_the_database_as_it_was,
    a_failing_migration_changes_nothing
);
