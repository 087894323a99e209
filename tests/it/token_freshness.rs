//! Each instance reuses for less than a second what it read about a bearer token (who holds
//! it, the claims it opens: `sesame_app::recent`). The promise that makes this safe, on two
//! instances sharing one database: a session ended, a role taken back or an access token
//! revoked through one instance is refused by that instance at once, and by the other within
//! one second.

use crate::harness::{Db, Server, USER_PASSWORD};
use crate::on_every_database;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sesame_app::recent::FRESH_FOR;
use sesame_core::Profile;
use std::time::{Duration, Instant};

/// Calls `check` until it is true, for at most `FRESH_FOR` and a margin for the request
/// itself; returns how long it took.
async fn within_a_second<F, Fut>(what: &str, check: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    loop {
        if check().await {
            eprintln!("{what}: refused after {:?}", started.elapsed());
            return started.elapsed();
        }
        assert!(
            started.elapsed() < FRESH_FOR + Duration::from_millis(500),
            "{what}: still accepted {:?} after the change",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn changes_reach_the_other_instance(db: &Db) {
    let a = Server::start(db).await;
    let b = Server::start(db).await;
    let admin = a.init(Profile::Amap).await;
    let (zoe_id, zoe) = a
        .user_with_roles(&admin, "zoe", json!([{"role": "Administrateur"}]))
        .await;

    // Both instances know the session (and B keeps what it read).
    for s in [&a, &b] {
        assert_eq!(s.get("/api/v1/users", &zoe).await.status, StatusCode::OK);
    }

    // A role taken back through A: A refuses at once, B within a second.
    let taken = a
        .patch(
            &format!("/api/v1/users/{zoe_id}"),
            &admin,
            json!({"roles": [{"role": "Amapien"}]}),
        )
        .await;
    assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
    a.get("/api/v1/users", &zoe)
        .await
        .problem(403, "", "permission.missing");
    within_a_second("the role taken back, on the other instance", || async {
        b.get("/api/v1/users", &zoe).await.status == StatusCode::FORBIDDEN
    })
    .await;

    // The session ended through A: the same.
    assert_eq!(b.get("/api/v1/me", &zoe).await.status, StatusCode::OK);
    let ended = a
        .delete(&format!("/api/v1/users/{zoe_id}/sessions"), &admin)
        .await;
    assert_eq!(ended.body["ended"], 1, "{}", ended.body);
    a.get("/api/v1/me", &zoe)
        .await
        .problem(401, "", "auth.token_invalid");
    within_a_second("the session ended, on the other instance", || async {
        b.get("/api/v1/me", &zoe).await.status == StatusCode::UNAUTHORIZED
    })
    .await;

    // A change made outside both instances' operations (by hand in the database) is read
    // again once the instance is told, or after a second anyway.
    let second = a.login("zoe", USER_PASSWORD).await;
    assert_eq!(a.get("/api/v1/me", &second).await.status, StatusCode::OK);
    let mut conn = a.app.store.read().await.expect("conn");
    sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE kind = 'session' AND user_id = $2")
        .bind(sesame_store::now_ms())
        .bind(&zoe_id)
        .execute(&mut *conn)
        .await
        .expect("revoke by hand");
    drop(conn);
    within_a_second("a session revoked by hand", || async {
        b.get("/api/v1/me", &second).await.status == StatusCode::UNAUTHORIZED
    })
    .await;
    a.app.changed_outside();
    a.get("/api/v1/me", &second)
        .await
        .problem(401, "", "auth.token_invalid");

    // An application's access token revoked through A: userinfo refuses it on A at once and on
    // B within a second.
    let (client_id, secret) = register(&a).await;
    let access = access_token(&a, &admin, &client_id, &secret).await;
    for s in [&a, &b] {
        let info = userinfo(s, &access).await;
        assert_eq!(info.0, StatusCode::OK, "{}", info.1);
        assert_eq!(info.1["preferred_username"], "admin", "{}", info.1);
    }
    let revoked = a
        .http
        .post(format!("{}{}/revoke", a.base, issuer(&a).await))
        .basic_auth(&client_id, Some(&secret))
        .form(&[("token", access.as_str())])
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(userinfo(&a, &access).await.0, StatusCode::UNAUTHORIZED);
    within_a_second("an access token revoked, on the other instance", || async {
        userinfo(&b, &access).await.0 == StatusCode::UNAUTHORIZED
    })
    .await;

    a.stop().await;
    b.stop().await;
}

on_every_database!(
    a_change_on_one_instance_reaches_the_other_within_a_second,
    changes_reach_the_other_instance
);

const CALLBACK: &str = "http://127.0.0.1:9/callback";

/// Registers the story's trusted application: its client id and secret.
async fn register(s: &Server) -> (String, String) {
    let org = s.app.org(None).await.expect("org");
    let input: sesame_app::apps::AppInput = serde_json::from_value(json!({
        "name": "Site de l'AMAP",
        "redirect_uris": [CALLBACK],
        "trusted": true
    }))
    .expect("input");
    let saved = sesame_app::apps::create(&s.app, &s.app.operator(org), input)
        .await
        .expect("app");
    (saved.app.client_id, saved.client_secret.expect("secret"))
}

/// The organisation's issuer path, `/o/{slug}`.
async fn issuer(s: &Server) -> String {
    format!("/o/{}", s.app.org(None).await.expect("org").row.slug)
}

/// An access token for the administrator, through the authorization and token endpoints.
async fn access_token(s: &Server, session: &str, client_id: &str, secret: &str) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let r = http
        .get(format!(
            "{}{}/authorize?client_id={client_id}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&response_type=code&scope=openid%20profile&nonce=n",
            s.base,
            issuer(s).await
        ))
        .header("Cookie", format!("sesame_session={session}"))
        .send()
        .await
        .expect("authorize");
    let to = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a redirect")
        .to_string();
    let code = to
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("code="))
        .unwrap_or_else(|| panic!("a code in {to}"));
    let token: Value = http
        .post(format!("{}{}/token", s.base, issuer(s).await))
        .basic_auth(client_id, Some(secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", CALLBACK),
        ])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    token["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("an access token in {token}"))
        .to_string()
}

async fn userinfo(s: &Server, access: &str) -> (StatusCode, Value) {
    let r = s
        .http
        .get(format!("{}{}/userinfo", s.base, issuer(s).await))
        .bearer_auth(access)
        .send()
        .await
        .expect("userinfo");
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}
