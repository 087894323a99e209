//! API tokens for scripts: named, optionally expiring, limited to at most their creator's
//! permissions, stored hashed and shown once, listed with their last use, revocable.

use crate::harness::{Db, Server};
use crate::on_every_database;
use reqwest::StatusCode;
use serde_json::json;
use sesame_core::Profile;

async fn scripts_get_limited_revocable_tokens(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let (_, coordinator) = s
        .user_with_roles(&admin, "coord", json!([{"role": "Coordinateur"}]))
        .await;

    // A token limited to reading users, for 30 days.
    let made = s
        .post(
            "/api/v1/account/tokens",
            &admin,
            json!({"name": "Site web", "expires_in_days": 30, "permissions": ["users.view"]}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let secret = made.body["token"].as_str().expect("token").to_string();
    let id = made.body["id"].as_str().expect("id").to_string();
    assert!(secret.starts_with("sat_"));
    assert_eq!(s.get("/api/v1/users", &secret).await.status, StatusCode::OK);
    s.post("/api/v1/users", &secret, json!({"email": "x@example.org"}))
        .await
        .problem(403, "", "permission.missing");

    // Listed with its last use (recorded off the request's path: wait a little for it), never
    // with its secret; no session in this list.
    let mut list = s.get("/api/v1/account/tokens", &admin).await;
    for _ in 0..100 {
        if list.body[0]["last_used_at"].is_string() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        list = s.get("/api/v1/account/tokens", &admin).await;
    }
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let items = list.body.as_array().expect("items");
    assert_eq!(items.len(), 1, "{}", list.body);
    assert_eq!(items[0]["name"], "Site web");
    assert_eq!(items[0]["permissions"], json!(["users.view"]));
    assert!(items[0]["last_used_at"].is_string(), "{}", list.body);
    assert_eq!(items[0]["last_address"], "127.0.0.1");
    assert!(items[0]["expires_at"].is_string());
    assert!(!list.body.to_string().contains(&secret));
    // Only its hash is stored.
    let mut conn = s.app.store.read().await.expect("conn");
    let stored: Vec<(String,)> = sqlx::query_as("SELECT token_hash FROM tokens")
        .fetch_all(&mut *conn)
        .await
        .expect("tokens");
    drop(conn);
    assert!(stored.iter().all(|(h,)| !h.contains(&secret[4..])));

    // At most the creator's permissions: a coordinator cannot make a token that deletes
    // users; and a token never makes another, limited or not (only a session may).
    s.post(
        "/api/v1/account/tokens",
        &coordinator,
        json!({"name": "trop", "permissions": ["users.delete"]}),
    )
    .await
    .problem(403, "", "permission.token_outranks");
    for body in [
        json!({"name": "enfant"}),
        json!({"name": "évasion", "permissions": ["users.create"]}),
    ] {
        s.post("/api/v1/account/tokens", &secret, body)
            .await
            .problem(403, "", "auth.session_required");
    }
    s.post(
        "/api/v1/account/tokens",
        &admin,
        json!({"name": "x", "permissions": ["users.fly"]}),
    )
    .await
    .problem(422, "permissions[0]", "permission.unknown");
    s.post(
        "/api/v1/account/tokens",
        &admin,
        json!({"name": "x", "expires_in_days": 0}),
    )
    .await
    .problem(422, "expires_in_days", "limit.range");

    // Revoked: it stops working at once; revoking it again, or someone else's, is not found.
    s.delete(&format!("/api/v1/account/tokens/{id}"), &coordinator)
        .await
        .problem(404, "", "notfound.token");
    let gone = s
        .delete(&format!("/api/v1/account/tokens/{id}"), &admin)
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.body);
    s.get("/api/v1/users", &secret)
        .await
        .problem(401, "", "auth.token_invalid");
    s.delete(&format!("/api/v1/account/tokens/{id}"), &admin)
        .await
        .problem(404, "", "notfound.token");
    // Wrong, empty or absurd bearer tokens: the same 401 shape.
    for bad in ["sat_nope", "x", &"a".repeat(500)] {
        s.get("/api/v1/users", bad)
            .await
            .problem(401, "", "auth.token_invalid");
    }
    s.call(reqwest::Method::GET, "/api/v1/users", None, None)
        .await
        .problem(401, "", "auth.required");
    let audit = s.get("/api/v1/audit?action=token.revoke", &admin).await;
    assert_eq!(
        audit.body["items"].as_array().map(Vec::len),
        Some(1),
        "{}",
        audit.body
    );
    s.stop().await;
}

on_every_database!(
    api_tokens_are_limited_listed_and_revocable,
    scripts_get_limited_revocable_tokens
);
