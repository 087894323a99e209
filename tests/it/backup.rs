//! Backups (issue 24): `sesame backup FILE` while the server serves and a writer keeps
//! creating people through the API gives a consistent database — SQLite's integrity check
//! passes, every person in it is whole (their role and audit row, written in the same
//! transaction) — which `sesame restore` puts in place of a data directory's database and
//! `sesame serve` then serves. A restore is refused while a server uses the database, and for
//! a file that is not a Sésame database, changing nothing. PostgreSQL is pg_dump's: both
//! commands say so, in French and in English.

use crate::cli::{init_org, serve_with, sesame};
use crate::harness::{ADMIN_PASSWORD, Db};
use crate::on_every_database;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sqlx::Connection;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// `sesame --data-dir DIR ARGS…` in `lang`: status and standard error.
fn in_data_dir(dir: &Path, lang: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sesame"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("SESAME_LANG", lang)
        .env_remove("SESAME_DATABASE_URL")
        .output()
        .expect("run sesame");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn stop(mut child: std::process::Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let _ = child.wait();
}

/// The people the writer made, as a database file holds them: each with its e-mail, names,
/// phone, one role and its audit row. Answers how many.
async fn whole_people(file: &Path) -> i64 {
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", file.display()))
        .await
        .expect("open the backup");
    let check: (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&mut c)
        .await
        .expect("integrity_check");
    assert_eq!(check.0, "ok");
    let people: (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM users WHERE email LIKE 'writer%@example.org'")
            .fetch_one(&mut c)
            .await
            .expect("count");
    let whole: (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM users u WHERE u.email LIKE 'writer%@example.org' \
         AND u.first_name IS NOT NULL AND u.last_name IS NOT NULL AND u.phone IS NOT NULL \
         AND (SELECT COUNT(*) FROM role_assignments r WHERE r.user_id = u.id) = 1 \
         AND EXISTS (SELECT 1 FROM audit a WHERE a.target_id = u.id)",
    )
    .fetch_one(&mut c)
    .await
    .expect("whole");
    assert_eq!(people.0, whole.0, "every person in the backup is whole");
    c.close().await.expect("close");
    people.0
}

async fn backup_while_writing(db: &Db) {
    let backups = tempfile::tempdir().expect("dir");
    let file = backups.path().join("sesame-backup.db");
    let file_arg = file.to_str().expect("path");
    if db.label == "postgres" {
        for (lang, words) in [("en", "use pg_dump"), ("fr", "utilisez pg_dump")] {
            let r = sesame(db, lang, &["backup", file_arg]);
            assert_eq!(r.status, 1, "{}", r.stderr);
            assert!(
                r.stderr.contains(words) && r.stderr.contains("--format=custom"),
                "{}",
                r.stderr
            );
        }
        for (lang, words) in [("en", "use pg_restore"), ("fr", "utilisez pg_restore")] {
            let r = sesame(db, lang, &["restore", file_arg]);
            assert_eq!(r.status, 1, "{}", r.stderr);
            assert!(r.stderr.contains(words), "{}", r.stderr);
        }
        assert!(!file.exists());
        pg_dump_and_restore(db).await;
        return;
    }
    let dir = init_org(
        db,
        "en",
        "AMAP des Lilas",
        "amap",
        "admin@example.org",
        ADMIN_PASSWORD,
    );
    let (server, base, _log) = serve_with(db, dir.path(), &[]);
    let http = Client::new();
    let token = crate::cli::token_at(&http, &base, "admin", ADMIN_PASSWORD).await;

    // A writer creates people one after another through the API until told to stop.
    let stopping = Arc::new(AtomicBool::new(false));
    let made = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (http, base, token) = (http.clone(), base.clone(), token.clone());
        let (stopping, made) = (stopping.clone(), made.clone());
        tokio::spawn(async move {
            let mut i = 0;
            while !stopping.load(Ordering::SeqCst) {
                let r = http
                    .post(format!("{base}/api/v1/users"))
                    .bearer_auth(&token)
                    .json(&json!({"email": format!("writer{i}@example.org"),
                                  "first_name": "Camille", "last_name": format!("Écrivain {i}"),
                                  "phone": "06 12 34 56 78", "roles": [{"role": "Amapien"}]}))
                    .send()
                    .await
                    .expect("add");
                assert_eq!(r.status(), StatusCode::CREATED);
                i += 1;
                made.store(i, Ordering::SeqCst);
            }
        })
    };
    while made.load(Ordering::SeqCst) < 5 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // Twice: the second replaces the first whole.
    for _ in 0..2 {
        let before = made.load(Ordering::SeqCst);
        let db2 = db.url.clone();
        let path = file.clone();
        let r = tokio::task::spawn_blocking(move || {
            Command::new(env!("CARGO_BIN_EXE_sesame"))
                .args(["--database-url", &db2, "backup"])
                .arg(&path)
                .env("SESAME_LANG", "en")
                .output()
                .expect("backup")
        })
        .await
        .expect("join");
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        assert!(String::from_utf8_lossy(&r.stderr).contains("Backup written"));
        let in_backup = whole_people(&file).await;
        assert!(in_backup >= before as i64, "{in_backup} < {before}");
    }
    // Nothing left beside the backup.
    let beside: Vec<_> = std::fs::read_dir(backups.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(beside.len(), 1, "{beside:?}");
    stopping.store(true, Ordering::SeqCst);
    writer.await.expect("writer");
    let in_backup = whole_people(&file).await;

    // Not while the server uses the database: refused, nothing changed.
    let r = sesame(db, "en", &["restore", file_arg]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("stop \"sesame serve\" first"),
        "{}",
        r.stderr
    );
    let r = sesame(db, "fr", &["restore", file_arg]);
    assert!(r.stderr.contains("arrêtez d'abord"), "{}", r.stderr);
    let users = http
        .get(format!("{base}/api/v1/users?q=writer&limit=1"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("still serving");
    assert_eq!(users.status(), StatusCode::OK);
    stop(server);

    // Into another data directory (a new machine): it serves, the people are there.
    let fresh = tempfile::tempdir().expect("dir");
    let (status, err) = in_data_dir(fresh.path(), "en", &["restore", file_arg]);
    assert_eq!(status, 0, "{err}");
    assert!(err.contains("Backup put in place"), "{err}");
    assert_eq!(
        whole_people(&fresh.path().join("sesame.db")).await,
        in_backup
    );
    let restored = Db::sqlite_at(sesame_store::Store::sqlite_url(fresh.path()));
    let (server, base, _log) = serve_with(&restored, fresh.path(), &[]);
    let token = crate::cli::token_at(&http, &base, "admin", ADMIN_PASSWORD).await;
    let list: Value = http
        .get(format!("{base}/api/v1/users?q=writer0&limit=5"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let first = &list["items"][0];
    assert_eq!(first["email"], "writer0@example.org", "{list}");
    assert_eq!(first["phone"], "+33612345678", "{list}");
    stop(server);

    // Restored again over it: the database there is kept beside, and can be put back.
    let (status, err) = in_data_dir(fresh.path(), "fr", &["restore", file_arg]);
    assert_eq!(status, 0, "{err}");
    assert!(err.contains("sesame.db.before-restore"), "{err}");
    assert!(fresh.path().join("sesame.db.before-restore").exists());

    // What is not a Sésame database is refused, and nothing changes.
    let other = backups.path().join("other.db");
    {
        let mut c =
            sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", other.display()))
                .await
                .expect("create");
        sqlx::query("CREATE TABLE notes (t TEXT)")
            .execute(&mut c)
            .await
            .expect("table");
        c.close().await.expect("close");
    }
    let text = backups.path().join("notes.txt");
    std::fs::write(&text, "pas une base de données\n".repeat(200)).expect("write");
    let before = std::fs::read(fresh.path().join("sesame.db")).expect("read");
    for bad in [&other, &text] {
        for (lang, words) in [
            ("en", "is not a Sésame database"),
            ("fr", "n'est pas une base de Sésame"),
        ] {
            let (status, err) = in_data_dir(
                fresh.path(),
                lang,
                &["restore", bad.to_str().expect("path")],
            );
            assert_eq!(status, 1, "{err}");
            assert!(
                err.contains(words)
                    && (err.contains("Nothing was changed")
                        || err.contains("Rien n'a été modifié")),
                "{err}"
            );
        }
    }
    assert_eq!(
        std::fs::read(fresh.path().join("sesame.db")).expect("read"),
        before
    );
    let left: Vec<_> = std::fs::read_dir(fresh.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
on_every_database!(
    a_backup_taken_while_writing_restores_and_serves,
    backup_while_writing
);

/// The README's PostgreSQL commands: pg_dump while the server serves, pg_restore into an empty
/// database, which then serves.
async fn pg_dump_and_restore(db: &Db) {
    let dir = init_org(
        db,
        "en",
        "AMAP des Lilas",
        "amap",
        "admin@example.org",
        ADMIN_PASSWORD,
    );
    let (server, _base, _log) = serve_with(db, dir.path(), &[]);
    let dump = dir.path().join("sesame.dump");
    let out = Command::new("pg_dump")
        .args(["--format=custom", "--file"])
        .arg(&dump)
        .arg(&db.url)
        .output()
        .expect("pg_dump");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stop(server);
    let admin = std::env::var("SESAME_TEST_POSTGRES_URL").expect("url");
    let restored = Db::postgres(&admin).await;
    let out = Command::new("pg_restore")
        .args(["--no-owner", "--dbname", &restored.url])
        .arg(&dump)
        .output()
        .expect("pg_restore");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (server, base, _log) = serve_with(&restored, dir.path(), &[]);
    crate::cli::token_at(&Client::new(), &base, "admin", ADMIN_PASSWORD).await;
    stop(server);
    restored.cleanup().await;
}
