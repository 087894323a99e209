//! The log of `sesame serve`: one span per request with its method, its route as matched
//! (never the path or query, which may carry a link's token) and, once authenticated, the
//! organisation and person acting — and never a password, token or cookie.

use crate::cli::{init_org, serve_logging};
use crate::harness::{ADMIN_PASSWORD, Db};
use crate::on_every_database;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn each_request_is_logged_with_its_route_and_who_acts(db: &Db) {
    let dir = init_org(
        db,
        "en",
        "Les Lucioles",
        "generic",
        "admin@lucioles.example",
        ADMIN_PASSWORD,
    );
    let (mut child, base, log) =
        serve_logging(db, dir.path(), &[], "info,sesame_server::request=debug");
    let http = reqwest::Client::new();
    let signed: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": "admin", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .expect("sign-in")
        .json()
        .await
        .expect("json");
    let token = signed["token"].as_str().expect("token").to_string();
    let me: Value = http
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    let admin_id = me["user"]["id"].as_str().expect("id").to_string();
    let page = http
        .get(format!("{base}/api/v1/users/{admin_id}"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("user");
    assert_eq!(page.status(), 200);
    // A link's token in a query string, and a path no route matches.
    let link_secret = "aVeryPrivateLinkToken0123456789abcdefXYZ";
    let _ = http
        .get(format!("{base}/activate?token={link_secret}"))
        .send()
        .await;
    let _ = http
        .get(format!("{base}/no/such/{link_secret}"))
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
    let _ = child.kill();
    let _ = child.wait();
    let all = lines.join("\n");
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
    for secret in [token.as_str(), ADMIN_PASSWORD, link_secret] {
        assert!(!all.contains(secret), "a secret in the log:\n{all}");
    }
    assert!(
        !all.contains(&format!("/api/v1/users/{admin_id}")),
        "a path, not the route:\n{all}"
    );
}
on_every_database!(
    each_request_is_logged_with_its_route_and_who_acts_on_every_database,
    each_request_is_logged_with_its_route_and_who_acts
);
