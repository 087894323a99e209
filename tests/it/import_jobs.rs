//! Imports whose instance stopped (issue 19): an import left "running" by a crash is failed,
//! with the reason in words, by the next instance that starts — but only when its lease ran
//! out, so that the imports of another live instance on the same database are left alone —
//! and its page stops polling. A running import on SQLite tells the rows it has read.

use crate::harness::{ADMIN_PASSWORD, Db, Server};
use crate::on_every_database;
use crate::web_pages::Browser;
use serde_json::Value;
use sesame_core::Profile;
use sesame_store::imports::ImportRow;
use sesame_store::{new_id, now_ms};

/// An import row as an instance leaves it while it runs, its lease running out at `lease`.
async fn running(s: &Server, file: &str, lease: i64) -> String {
    let org = s.app.org(None).await.expect("org");
    let id = new_id();
    let mut conn = s.app.store.read().await.expect("conn");
    sesame_store::imports::insert(
        &mut conn,
        &ImportRow {
            id: id.clone(),
            org_id: org.id().to_string(),
            user_id: None,
            file_name: file.into(),
            format: "csv".into(),
            state: "running".into(),
            dry_run: false,
            rows_read: 1200,
            summary_json: None,
            faulty_json: None,
            created_at: now_ms() - 120_000,
            finished_at: None,
            lease_until: Some(lease),
            failure: None,
        },
    )
    .await
    .expect("insert");
    id
}

async fn left_by_a_crash(db: &Db) {
    let first = Server::start(db).await;
    let admin = first.init(Profile::Amap).await;
    // One left by an instance killed a minute ago (its lease ran out), one of an instance still
    // alive (its lease renewed a moment ago, good for 25 seconds more).
    let crashed = running(&first, "membres.csv", now_ms() - 60_000).await;
    let alive = running(&first, "autres.csv", now_ms() + 25_000).await;

    // A new instance starts on the same database.
    let second = Server::start(db).await;
    let marked = sesame_app::import::jobs::interrupt_stale(&second.app)
        .await
        .expect("interrupt");
    assert!(
        marked.iter().all(|j| j.id != alive),
        "the live instance's import is left alone"
    );
    let job = second
        .get(&format!("/api/v1/imports/{crashed}"), &admin)
        .await;
    assert_eq!(job.status.as_u16(), 200, "{}", job.body);
    assert_eq!(job.body["state"], "failed", "{}", job.body);
    assert!(job.body["finished_at"].is_string(), "{}", job.body);
    assert_eq!(job.body["failure"]["code"], "import.interrupted");
    // In the administrator's language (French here), saying what happened and what to do.
    let message = job.body["failure"]["message"].as_str().expect("message");
    assert!(
        message.contains("nterrompu : le serveur s'est arrêté") && message.contains("à nouveau"),
        "{message}"
    );
    let other = second
        .get(&format!("/api/v1/imports/{alive}"), &admin)
        .await;
    assert_eq!(other.body["state"], "running", "{}", other.body);
    assert!(other.body["failure"].is_null(), "{}", other.body);

    // The page of the interrupted import says why and polls no more (no refresh, no progress
    // bar for the script to follow); the live one still does.
    let browser = Browser::signed_in(&second, "admin", ADMIN_PASSWORD).await;
    let (status, html) = browser.get(&format!("/import/{crashed}")).await;
    assert_eq!(status.as_u16(), 200, "{html}");
    assert!(
        html.contains("nterrompu : le serveur s&#39;est arrêté")
            || html.contains("nterrompu : le serveur s&#x27;est arrêté"),
        "{html}"
    );
    assert!(!html.contains("http-equiv=\"refresh\""), "{html}");
    assert!(!html.contains("data-job"), "{html}");
    let (_, html) = browser.get(&format!("/import/{alive}")).await;
    assert!(html.contains("data-job"), "{html}");

    // The live instance's import whose lease then runs out (that instance stopped too) is
    // interrupted by whoever asks for it: the page's poll ends.
    {
        let mut conn = second.app.store.read().await.expect("conn");
        sesame_store::imports::renew(&mut conn, &alive, 1300, now_ms() - 1)
            .await
            .expect("renew");
    }
    let polled = second
        .get(&format!("/api/v1/imports/{alive}"), &admin)
        .await;
    assert_eq!(polled.body["state"], "failed", "{}", polled.body);
    assert_eq!(polled.body["rows_read"], 1300, "{}", polled.body);
    // The same reason for an English reader.
    let english = sesame_app::i18n::message(sesame_core::Language::En, "import.interrupted", &[]);
    assert!(
        english.starts_with("Interrupted: the server stopped"),
        "{english}"
    );
    second.stop().await;
    first.stop().await;
}
on_every_database!(
    an_import_left_by_a_crash_fails_with_its_reason,
    left_by_a_crash
);

/// A running import's progress: on SQLite it holds the write lock while it writes, and its
/// instance still answers the rows read so far (it stayed at 0).
async fn progress_while_running(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let mut big = String::from("Courriel;Prénom;Nom;Rôles\n");
    for i in 0..20_000 {
        big.push_str(&format!("membre{i}@example.fr;Prénom{i};Nom{i};Amapien\n"));
    }
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(big.into_bytes()).file_name("grand.csv"),
        )
        .text("wait", "0");
    let up = s
        .http
        .post(format!("{}/api/v1/imports", s.base))
        .bearer_auth(&admin)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(up.status().as_u16(), 202);
    let job: Value = up.json().await.expect("json");
    let path = format!("/api/v1/imports/{}", job["id"].as_str().expect("id"));
    let mut seen_moving = Vec::new();
    let mut last = Value::Null;
    for _ in 0..1200 {
        last = s.get(&path, &admin).await.body;
        if last["state"] != "running" {
            break;
        }
        seen_moving.push(last["rows_read"].as_i64().unwrap_or(0));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(last["state"], "done", "{last}");
    assert_eq!(last["rows_read"], 20_000, "{last}");
    assert!(
        seen_moving.iter().any(|n| *n > 0 && *n < 20_000),
        "rows read while running: {seen_moving:?}"
    );
    s.stop().await;
}
on_every_database!(a_running_import_tells_the_rows_read, progress_while_running);
