//! Stopping the server (issue 24): on SIGTERM, `sesame serve` stops accepting connections,
//! lets the requests in flight finish, finishes the e-mail it is sending (delivered once,
//! recorded sent), rolls back a running import and marks it interrupted in the history
//! (nothing of it written), and exits 0 within 10 s. With the real binary, a real SMTP
//! server that takes seconds to answer, and a large import through the API.

use crate::cli::{init_org, serve_with};
use crate::harness::{ADMIN_PASSWORD, Db, SmtpSink};
use crate::on_every_database;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn get(http: &Client, base: &str, token: &str, path: &str) -> Value {
    let r = http
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.json().await.expect("json")
}

/// Waits for `until` to hold, checking every 20 ms, at most `secs` seconds.
async fn wait_until(secs: u64, what: &str, mut until: impl AsyncFnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(secs);
    while !until().await {
        assert!(Instant::now() < end, "waited {secs} s for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn sigterm(child: &std::process::Child) {
    let ok = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .expect("kill");
    assert!(ok.success());
}

/// Waits (at most 20 s) for the process to end; answers its status and how long it took.
fn wait_for_exit(
    child: &mut std::process::Child,
    since: Instant,
) -> (std::process::ExitStatus, Duration) {
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return (status, since.elapsed());
        }
        if since.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("the server did not stop within 20 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

async fn stopped_by_sigterm(db: &Db) {
    // Each message takes the SMTP server 4 s to accept: SIGTERM arrives in the middle.
    let sink = SmtpSink::slow(4.0);
    let dir = init_org(
        db,
        "en",
        "AMAP des Lilas",
        "amap",
        "admin@example.org",
        ADMIN_PASSWORD,
    );
    let smtp = sink.url();
    let (mut child, base, _log) = serve_with(db, dir.path(), &["--smtp-url", &smtp]);
    let http = Client::new();
    let token = crate::cli::token_at(&http, &base, "admin", ADMIN_PASSWORD).await;

    // An invitation on its way to the SMTP server.
    let r = http
        .post(format!("{base}/api/v1/users"))
        .bearer_auth(&token)
        .json(
            &json!({"email": "zoe@example.fr", "first_name": "Zoé", "last_name": "Lefèvre",
                      "roles": [{"role": "Amapien"}], "send_invitation": true}),
        )
        .send()
        .await
        .expect("add");
    assert_eq!(r.status(), StatusCode::CREATED);
    wait_until(20, "the e-mail to reach the SMTP server", async || {
        sink.receiving()
    })
    .await;

    // A large import, whose request waits for it (wait=10): a request in flight.
    let mut csv = String::from("Courriel;Prénom;Nom;Rôles\n");
    for i in 0..100_000 {
        csv.push_str(&format!("membre{i}@example.fr;Prénom{i};Nom{i};Amapien\n"));
    }
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("grand.csv"),
        )
        .text("wait", "10");
    let upload = {
        let (http, base, token) = (http.clone(), base.clone(), token.clone());
        tokio::spawn(async move {
            let r = http
                .post(format!("{base}/api/v1/imports"))
                .bearer_auth(&token)
                .multipart(form)
                .send()
                .await
                .expect("the import's request is answered, not cut off");
            let status = r.status();
            (status, r.json::<Value>().await.expect("json"))
        })
    };
    let mut id = String::new();
    wait_until(30, "the import to be writing", async || {
        let list = get(&http, &base, &token, "/api/v1/imports").await;
        let Some(running) = list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(list.as_array().into_iter().flatten())
            .find(|i| i["state"] == "running")
        else {
            return false;
        };
        id = running["id"].as_str().expect("id").to_string();
        let job = get(&http, &base, &token, &format!("/api/v1/imports/{id}")).await;
        job["rows_read"].as_i64().unwrap_or(0) > 0
    })
    .await;

    let stopping = Instant::now();
    sigterm(&child);
    // No new connection is accepted (a fresh client: no connection kept from before).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let refused = Client::new()
        .get(format!("{base}/healthz"))
        .timeout(Duration::from_secs(2))
        .send()
        .await;
    assert!(
        refused.is_err(),
        "a stopping server accepts no connection: {refused:?}"
    );
    // The request in flight gets its answer: the import, interrupted.
    let (status, job) = upload.await.expect("upload task");
    assert_eq!(status, StatusCode::OK, "{job}");
    assert_eq!(job["state"], "failed", "{job}");
    assert_eq!(job["failure"]["code"], "import.interrupted", "{job}");
    let (exit, took) = tokio::task::spawn_blocking(move || wait_for_exit(&mut child, stopping))
        .await
        .expect("wait");
    assert!(exit.success(), "exit status {exit:?}");
    assert!(took < Duration::from_secs(10), "stopped in {took:?}");
    eprintln!("stopped {took:?} after SIGTERM");
    // The e-mail being sent was finished.
    let mails = sink.mails();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].to.contains("zoe@example.fr"), "{mails:?}");

    // Started again: the import is in the history as interrupted, nothing of it written; the
    // e-mail is recorded sent and does not go again.
    let (mut again, base, _log) = serve_with(db, dir.path(), &["--smtp-url", &smtp]);
    let token = crate::cli::token_at(&http, &base, "admin", ADMIN_PASSWORD).await;
    let job = get(&http, &base, &token, &format!("/api/v1/imports/{id}")).await;
    assert_eq!(job["state"], "failed", "{job}");
    assert_eq!(job["failure"]["code"], "import.interrupted", "{job}");
    let found = get(&http, &base, &token, "/api/v1/users?q=membre").await;
    assert_eq!(found["items"].as_array().map(Vec::len), Some(0), "{found}");
    let sent = get(&http, &base, &token, "/api/v1/outbox?state=sent").await;
    assert_eq!(sent["items"].as_array().map(Vec::len), Some(1), "{sent}");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(sink.mails().len(), 1, "delivered once");
    sigterm(&again);
    let (exit, _) = tokio::task::spawn_blocking(move || wait_for_exit(&mut again, Instant::now()))
        .await
        .expect("wait");
    assert!(exit.success(), "{exit:?}");
}
on_every_database!(
    sigterm_finishes_the_work_in_flight_and_interrupts_the_import,
    stopped_by_sigterm
);
