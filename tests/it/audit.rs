//! Every change leaves an audit entry: who, what, to whom, before → after, when, from where.

use crate::harness::{Db, Server};
use crate::on_every_database;
use reqwest::StatusCode;
use serde_json::json;
use sesame_core::Profile;

async fn changes_are_audited(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let u = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "paul@example.fr", "first_name": "Paul", "last_name": "Martin"}),
        )
        .await;
    let id = u.body["id"].as_str().expect("id").to_string();
    s.patch(
        &format!("/api/v1/users/{id}"),
        &admin,
        json!({"last_name": "Martín"}),
    )
    .await;
    // An edit that changes nothing leaves no entry.
    s.patch(
        &format!("/api/v1/users/{id}"),
        &admin,
        json!({"last_name": "Martín"}),
    )
    .await;
    s.post(&format!("/api/v1/users/{id}/disable"), &admin, json!({}))
        .await;

    let log = s.get(&format!("/api/v1/audit?target={id}"), &admin).await;
    let items = log.body["items"].as_array().expect("items");
    let actions: Vec<&str> = items.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions,
        ["user.disable", "user.update", "user.create"],
        "newest first"
    );
    let update = &items[1];
    assert_eq!(update["actor"], "admin");
    assert_eq!(update["target"], "paul.martin");
    assert_eq!(
        update["before"],
        json!({"last_name": "Martin"}),
        "only what changed"
    );
    assert_eq!(update["after"], json!({"last_name": "Martín"}));
    assert_eq!(update["source"], "127.0.0.1");
    assert!(update["at"].as_str().is_some_and(|t| t.ends_with('Z')));

    // Filters and paging.
    let fam = s.get("/api/v1/audit?action=user.&limit=2", &admin).await;
    assert_eq!(fam.body["items"].as_array().map(Vec::len), Some(2));
    let next = fam.body["next_cursor"].as_str().expect("a next page");
    let rest = s
        .get(
            &format!("/api/v1/audit?action=user.&limit=2&cursor={next}"),
            &admin,
        )
        .await;
    assert!(rest.body["items"].as_array().is_some_and(|v| !v.is_empty()));
    let signin = s.get("/api/v1/audit?action=auth.sign_in", &admin).await;
    assert!(
        signin.body["items"]
            .as_array()
            .is_some_and(|v| !v.is_empty())
    );
    let none = s.get("/api/v1/audit?since=2999-01-01", &admin).await;
    assert_eq!(none.body["items"], json!([]));
    s.get("/api/v1/audit?since=hier", &admin)
        .await
        .problem(422, "since", "audit.time_invalid");
    // "Until" a day includes that day, for the API as for the page; a time is a bound.
    let zone = s.app.org(None).await.expect("org").zone;
    let today = &sesame_app::time::day_code(&zone, sesame_app::time::now_ms());
    let until_today = s
        .get(
            &format!("/api/v1/audit?until={today}&since={today}"),
            &admin,
        )
        .await;
    assert!(
        until_today.body["items"]
            .as_array()
            .is_some_and(|v| !v.is_empty()),
        "{}",
        until_today.body
    );
    let (midnight, _) = sesame_app::time::day_bounds(&zone, today).expect("today");
    let before_today = s
        .get(
            &format!(
                "/api/v1/audit?until={}",
                sesame_app::time::rfc3339(midnight).replace(".000Z", "Z")
            ),
            &admin,
        )
        .await;
    assert_eq!(
        before_today.body["items"],
        json!([]),
        "{}",
        before_today.body
    );
    // The person acting by login; an unknown one, an unknown action and days backwards are
    // all said at once, each on its field.
    let by_admin = s.get("/api/v1/audit?actor=admin&limit=500", &admin).await;
    assert!(
        by_admin.body["items"]
            .as_array()
            .is_some_and(|v| !v.is_empty() && v.iter().all(|e| e["actor"] == "admin")),
        "{}",
        by_admin.body
    );
    let wrong = s
        .get(
            "/api/v1/audit?actor=personne&action=nonsense&since=2026-12-08&until=2026-12-01",
            &admin,
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    let fields: Vec<&str> = wrong.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["actor", "action", "until"], "{}", wrong.body);
    // No secret ever reaches the log.
    let all = s
        .get("/api/v1/audit?limit=500", &admin)
        .await
        .body
        .to_string();
    assert!(
        !all.contains(crate::harness::ADMIN_PASSWORD)
            && !all.contains("argon2")
            && !all.contains(&admin)
    );
    s.stop().await;
}
on_every_database!(every_change_is_audited_without_secrets, changes_are_audited);
