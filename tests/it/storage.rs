//! When the disk says no (issue 19): a full disk and a read-only data directory are told in
//! words — what happened, what to do — by the API (problem+json with a stable type), the import
//! jobs, the pages and the command line, never as a web-server error.
//!
//! The disk is a real one, a small tmpfs mounted for the test (which needs root, as here;
//! without it they fail in CI, or say loudly that they were skipped outside it). PostgreSQL's
//! read-only error (SQLSTATE 25006) is produced for real by a database whose transactions are
//! read-only; its "disk full" (53100) cannot be produced here and takes the same path.

use crate::harness::{ADMIN_PASSWORD, Db, Server};
use crate::web_pages::Browser;
use serde_json::{Value, json};
use sesame_core::Profile;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs of `size` mounted on a fresh directory, unmounted when dropped.
struct Mount {
    dir: tempfile::TempDir,
}

impl Mount {
    fn new(size: &str) -> Option<Self> {
        let dir = tempfile::tempdir().expect("temp dir");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            assert!(
                std::env::var("CI").is_err(),
                "CI must run these tests as root: they mount a small tmpfs"
            );
            eprintln!("\n*** cannot mount a tmpfs (not root?): this storage test is SKIPPED ***\n");
            return None;
        }
        Some(Self { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn read_only(&self) {
        let ok = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.path())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "remount read-only");
    }

    /// Fills the disk: a file grown until the disk refuses more.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let p = self.path().join("filler");
        let mut f = std::fs::File::create(&p).expect("filler");
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        // The last bytes, block or not.
        while f.write_all(&[0u8; 512]).is_ok() {}
        let _ = f.flush();
        p
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.path()).status();
    }
}

async fn import(s: &Server, token: &str, rows: usize) -> Value {
    let mut csv = String::from("Courriel;Prénom;Nom;Rôles\n");
    for i in 0..rows {
        csv.push_str(&format!("membre{i}@example.fr;Prénom{i};Nom{i};Amapien\n"));
    }
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("membres.csv"),
    );
    let up = s
        .http
        .post(format!("{}/api/v1/imports", s.base))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    up.json().await.expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_is_told_in_words_and_nothing_is_half_written() {
    let Some(disk) = Mount::new("32m") else {
        return;
    };
    let db = Db::sqlite_at(sesame_store::Store::sqlite_url(disk.path()));
    let s = Server::start(&db).await;
    let admin = s.init(Profile::Amap).await;
    let browser = Browser::signed_in(&s, "admin", ADMIN_PASSWORD).await;
    let filler = disk.fill();

    // A write when the disk is full: a problem with its own type (507), in the reader's
    // language, saying what to do.
    let refused = s
        .call_lang(
            reqwest::Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"email": "ada@example.fr", "first_name": "Ada", "last_name": "Lovelace", "roles": []})),
            Some("en"),
        )
        .await;
    let text = refused.problem(507, "", "storage.full");
    assert_eq!(refused.body["type"], "urn:sesame:problem:storage-full");
    assert!(text.contains("Free some space"), "{text}");
    // The page that adds someone says the same, not "internal error".
    let (status, html) = browser
        .post(
            "/users/new",
            &[
                ("csrf", crate::web_pages::CSRF),
                ("email", "ada@example.fr"),
                ("first_name", "Ada"),
                ("last_name", "Lovelace"),
            ],
        )
        .await;
    assert_eq!(
        status.as_u16(),
        507,
        "{}",
        &html[html.find("<main").unwrap_or(0)..]
    );
    assert!(html.contains("est plein"), "{html}");

    // A little room: the import starts, then needs more than there is. It fails, saying why
    // and what to do.
    {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(&filler)
            .expect("filler");
        let len = f.metadata().expect("len").len();
        f.set_len(len - 256 * 1024).expect("truncate");
    }
    let job = import(&s, &admin, 5000).await;
    assert_eq!(job["state"], "failed", "{job}");
    assert_eq!(job["failure"]["code"], "storage.full", "{job}");
    let message = job["failure"]["message"].as_str().expect("message");
    assert!(
        message.contains("disque") && message.contains("plein") && message.contains("Libérez"),
        "{message}"
    );
    let id = job["id"].as_str().expect("id").to_string();
    let polled = s.get(&format!("/api/v1/imports/{id}"), &admin).await;
    assert_eq!(
        polled.body["failure"]["code"], "storage.full",
        "{}",
        polled.body
    );
    // Its page says so too, and polls no more.
    let (_, html) = browser.get(&format!("/import/{id}")).await;
    assert!(html.contains("est plein"), "{html}");
    assert!(!html.contains("data-job"), "{html}");

    // Room again: the same import goes through whole (nothing of the first was written).
    std::fs::remove_file(filler).expect("room");
    let job = import(&s, &admin, 5000).await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["summary"]["created"], 5000, "{job}");
    s.stop().await;
}

fn sesame(data_dir: &Path, lang: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sesame"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("SESAME_LANG", lang)
        .env_remove("SESAME_DATABASE_URL")
        .env_remove("SESAME_ORG")
        .output()
        .expect("run sesame");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_data_directory_is_told_in_words() {
    let Some(disk) = Mount::new("16m") else {
        return;
    };
    let data = disk.path().join("donnees");
    let (status, _, err) = sesame(
        &data,
        "fr",
        &[
            "init",
            "--profile",
            "amap",
            "--admin-login",
            "admin",
            "--admin-email",
            "admin@example.org",
        ],
    );
    assert_eq!(status, 0, "{err}");
    disk.read_only();

    // `serve` stops at once, saying what to do, in the operator's language; exit status 3 (the
    // machine, not the command).
    for (lang, words) in [("fr", "lecture seule"), ("en", "read-only")] {
        let (status, out, err) = sesame(&data, lang, &["serve", "--listen", "127.0.0.1:0"]);
        assert_eq!(status, 3, "{out}{err}");
        assert!(err.contains(words), "{lang}: {err}");
        assert!(
            !err.contains("internal") && !err.contains("interne"),
            "{err}"
        );
    }
    // A command that writes: the same.
    let (status, _, err) = sesame(
        &data,
        "en",
        &[
            "user",
            "add",
            "--email",
            "ada@example.fr",
            "--first-name",
            "Ada",
            "--last-name",
            "L",
        ],
    );
    assert_eq!(status, 3, "{err}");
    assert!(
        err.contains("read-only") && err.contains("writable"),
        "{err}"
    );
}

/// A database the server may read but not write (its file made read-only under it): writes
/// are refused with a 503 problem saying what to do, pages alike; reads still work.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_database_is_not_a_server_error() {
    let dir = tempfile::tempdir().expect("dir");
    let url = sesame_store::Store::sqlite_url(dir.path());
    let admin_token;
    {
        let s = Server::start(&Db::sqlite_at(url.clone())).await;
        admin_token = s.init(Profile::Amap).await;
        s.stop().await;
    }
    let read_only = url.replace("mode=rwc", "mode=ro");
    let s = Server::start(&Db::sqlite_at(read_only)).await;
    let users = s.get("/api/v1/users", &admin_token).await;
    assert_eq!(users.status.as_u16(), 200, "{}", users.body);
    let refused = s
        .post(
            "/api/v1/users",
            &admin_token,
            json!({"email": "ada@example.fr", "first_name": "Ada", "last_name": "Lovelace", "roles": []}),
        )
        .await;
    let text = refused.problem(503, "", "storage.read_only");
    assert_eq!(refused.body["type"], "urn:sesame:problem:storage-read-only");
    assert!(
        text.contains("lecture seule") && text.contains("modifiables"),
        "{text}"
    );
    s.stop().await;
}

/// PostgreSQL refusing writes (a database made read-only, as a hot standby is): told as a
/// read-only database, not an internal error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_postgres_database_is_told_as_such() {
    let Some(db) = crate::harness::databases()
        .await
        .into_iter()
        .find(|d| d.label == "postgres")
    else {
        return;
    };
    {
        let s = Server::start(&db).await;
        s.stop().await;
    }
    let admin = std::env::var("SESAME_TEST_POSTGRES_URL").expect("url");
    let name = db.url.rsplit('/').next().expect("name").to_string();
    {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&admin).await.expect("admin");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "ALTER DATABASE {name} SET default_transaction_read_only = on"
        )))
        .execute(&mut conn)
        .await
        .expect("read-only");
    }
    match sesame_store::Store::connect(&db.url).await {
        Err(sesame_store::StoreError::ReadOnly(detail)) => {
            assert!(detail.contains("read-only"), "{detail}")
        }
        other => panic!("expected ReadOnly, got {other:?}"),
    }
    db.cleanup().await;
}
