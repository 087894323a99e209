//! The log of `sesame serve`, as text (the default) and as JSON (`--log-format json`, one
//! object a line, for log collectors): one span per request with its method, its route as
//! matched (never the path or query, which may carry a link's token) and, once authenticated,
//! the organisation and person acting — and never a password, token, cookie or link, in either
//! format, through a whole invitation: sent by SMTP, its link opened, the password chosen, the
//! newcomer signing in.

use crate::cli::{init_org, invite_zoe, my_id, serve_logging, sign_in_at, stop};
use crate::harness::{ADMIN_PASSWORD, Db, SmtpSink, USER_PASSWORD};
use crate::on_every_database;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

async fn each_request_is_logged_with_its_route_and_who_acts(db: &Db, format: Format) {
    let dir = init_org(
        db,
        "en",
        "Les Lucioles",
        "generic",
        "admin@lucioles.example",
        ADMIN_PASSWORD,
    );
    let sink = SmtpSink::start(&[]);
    let smtp = sink.url();
    let mut extra = vec!["--smtp-url", smtp.as_str()];
    if format == Format::Json {
        extra.extend(["--log-format", "json"]);
    }
    let (child, base, log) =
        serve_logging(db, dir.path(), &extra, "info,sesame_server::request=debug");
    let http = reqwest::Client::new();
    let (_, signed) = sign_in_at(&http, &base, "admin", ADMIN_PASSWORD).await;
    let token = signed["token"].as_str().expect("token").to_string();
    let admin_id = my_id(&http, &base, &token).await;
    let page = http
        .get(format!("{base}/api/v1/users/{admin_id}"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("user");
    assert_eq!(page.status(), 200);

    // An invitation: its link's token travels by e-mail, in the link's query string, and in
    // the activation's body, with the password the newcomer chooses.
    invite_zoe(&http, &base, &token).await;
    let link_token = sink.wait_for(1).await[0].token("/activate");
    let _ = http
        .get(format!("{base}/activate?token={link_token}"))
        .send()
        .await;
    let activated = http
        .post(format!("{base}/api/v1/account/activate"))
        .json(&json!({"token": link_token, "password": USER_PASSWORD}))
        .send()
        .await
        .expect("activate");
    assert_eq!(activated.status(), 200);
    let (_, zoe) = sign_in_at(&http, &base, "zoe", USER_PASSWORD).await;
    let zoe_token = zoe["token"].as_str().expect("token").to_string();
    // A path no route matches, carrying a secret.
    let path_secret = "aVeryPrivateLinkToken0123456789abcdefXYZ";
    let _ = http
        .get(format!("{base}/no/such/{path_secret}"))
        .send()
        .await;

    let mut lines = Vec::new();
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until {
        while let Ok(line) = log.try_recv() {
            lines.push(line);
        }
        if lines.iter().any(|l| l.contains("(no route)")) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop(child);
    let all = lines.join("\n");
    for secret in [
        token.as_str(),
        zoe_token.as_str(),
        ADMIN_PASSWORD,
        USER_PASSWORD,
        link_token.as_str(),
        path_secret,
    ] {
        assert!(!all.contains(secret), "a secret in the log:\n{all}");
    }
    assert!(
        !all.contains(&format!("/api/v1/users/{admin_id}")),
        "a path, not the route:\n{all}"
    );
    match format {
        Format::Text => {
            let user_line = lines
                .iter()
                .find(|l| l.contains("route=\"/api/v1/users/{id}\""))
                .unwrap_or_else(|| panic!("the user's request in the log:\n{all}"));
            assert!(
                user_line.contains(&format!("user=\"{admin_id}\"")),
                "{user_line}"
            );
            assert!(user_line.contains("method=GET"), "{user_line}");
            assert!(user_line.contains("status=200"), "{user_line}");
            assert!(all.contains("route=\"/activate\""), "{all}");
        }
        Format::Json => {
            // Every line is one JSON object with a time, a level and a message.
            let objects: Vec<Value> = lines
                .iter()
                .map(|l| {
                    serde_json::from_str::<Value>(l)
                        .unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}"))
                })
                .collect();
            for o in &objects {
                assert!(o["timestamp"].is_string() && o["level"].is_string(), "{o}");
            }
            let user_line = objects
                .iter()
                .find(|o| o["span"]["route"] == "/api/v1/users/{id}" && o["status"] == 200)
                .unwrap_or_else(|| panic!("the user's request in the log:\n{all}"));
            assert_eq!(user_line["span"]["user"], admin_id.as_str(), "{user_line}");
            assert_eq!(user_line["span"]["method"], "GET", "{user_line}");
            assert!(
                objects.iter().any(|o| o["span"]["route"] == "/activate"),
                "{all}"
            );
        }
    }
}

async fn as_text(db: &Db) {
    each_request_is_logged_with_its_route_and_who_acts(db, Format::Text).await;
}

async fn as_json(db: &Db) {
    each_request_is_logged_with_its_route_and_who_acts(db, Format::Json).await;
}

on_every_database!(
    each_request_is_logged_with_its_route_and_who_acts_on_every_database,
    as_text
);
on_every_database!(
    the_json_log_has_the_same_and_no_secret_either_on_every_database,
    as_json
);
