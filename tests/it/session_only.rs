//! A person's own account — password, e-mail, two-factor, sessions, API tokens, signature,
//! alerts: everything under `/api/v1/account/*` that needs someone — is reachable from a
//! signed-in session only. An API token made for a script (here limited to reading users and
//! expiring tomorrow) gets 403 `session-required` there and changes nothing: it cannot turn on
//! two-factor for its owner and keep the secret, end their sessions, or make a token that never
//! expires. The routes are read from the OpenAPI document, so a new one is covered (or must be
//! listed as public, with its reason).

use crate::harness::{ADMIN_PASSWORD, Db, Server};
use crate::on_every_database;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sesame_core::Profile;

/// The `/api/v1/account/*` routes that need nobody: the e-mailed links carry their own right.
const PUBLIC: &[(&str, &str)] = &[
    ("post", "/api/v1/account/activate"),
    ("post", "/api/v1/account/email/confirm"),
    ("post", "/api/v1/account/links/renew"),
    ("post", "/api/v1/account/password-reset"),
    ("post", "/api/v1/account/password-reset/confirm"),
];

/// A body each route would accept from a session (routes added later get `{}`).
fn body_for(method: &str, path: &str) -> Option<Value> {
    Some(match (method, path) {
        ("post", "/api/v1/account/tokens") => {
            json!({"name": "jamais", "permissions": ["users.delete"]})
        }
        ("put", "/api/v1/account/signature") => json!({"signature": "Remplacée par un script"}),
        ("put", "/api/v1/account/notifications") => json!({"alerts": []}),
        ("post", "/api/v1/account/mfa/totp/confirm") => json!({"code": "000000"}),
        ("post", "/api/v1/account/mfa/totp/disable" | "/api/v1/account/mfa/recovery-codes") => {
            json!({"password": ADMIN_PASSWORD})
        }
        ("post" | "put" | "patch", _) => json!({}),
        _ => return None,
    })
}

/// What an API token must not be able to change, read through the session.
async fn account_state(s: &Server, session: &str) -> Value {
    let mut state = json!({});
    for path in [
        "/api/v1/account/tokens",
        "/api/v1/account/sessions",
        "/api/v1/account/mfa",
        "/api/v1/account/signature",
        "/api/v1/account/notifications",
        "/api/v1/me",
    ] {
        let a = s.get(path, session).await;
        assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.body);
        let mut body = a.body;
        // Last use moves with every request; it is not a change of the account.
        if let Some(items) = body.as_array_mut() {
            for item in items {
                if let Some(o) = item.as_object_mut() {
                    o.remove("last_used_at");
                    o.remove("last_address");
                }
            }
        }
        state[path] = body;
    }
    let mut conn = s.app.store.read().await.expect("conn");
    for table in ["tokens", "audit", "totp", "recovery_codes", "signatures"] {
        let (n,): (i64,) =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&mut *conn)
                .await
                .expect("count");
        state[table] = json!(n);
    }
    state
}

async fn api_tokens_cannot_reach_their_owners_account(db: &Db) {
    let s = Server::start(db).await;
    let session = s.init(Profile::Amap).await;
    let other_session = s.login("admin", ADMIN_PASSWORD).await;
    let me = s.get("/api/v1/me", &session).await;
    let my_id = me.body["user"]["id"].as_str().expect("id").to_string();
    let signed = s
        .call(
            Method::PUT,
            "/api/v1/account/signature",
            Some(&session),
            Some(json!({"signature": "Léa, coordinatrice"})),
        )
        .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    let made = s
        .post(
            "/api/v1/account/tokens",
            &session,
            json!({"name": "lecture", "expires_in_days": 1, "permissions": ["users.view"]}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let token = made.body["token"].as_str().expect("token").to_string();
    let token_id = made.body["id"].as_str().expect("id").to_string();
    // What the token was made for still works.
    assert_eq!(s.get("/api/v1/users", &token).await.status, StatusCode::OK);
    assert_eq!(s.get("/api/v1/me", &token).await.status, StatusCode::OK);

    let sessions = s.get("/api/v1/account/sessions", &other_session).await;
    let other_session_id = sessions
        .body
        .as_array()
        .expect("sessions")
        .iter()
        .find(|x| x["current"] == true)
        .and_then(|x| x["id"].as_str())
        .expect("current session")
        .to_string();
    let with_ids = |path: &str| {
        path.replace("/tokens/{id}", &format!("/tokens/{token_id}"))
            .replace("/sessions/{id}", &format!("/sessions/{other_session_id}"))
    };

    // Every authenticated route of the account, and the writes of /me, from the document.
    let doc = s.get("/api/v1/openapi.json", &session).await.body;
    let mut guarded = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let own = path.starts_with("/api/v1/account/") || path == "/api/v1/me";
        if !own {
            continue;
        }
        for (method, op) in item.as_object().expect("operations") {
            if path == "/api/v1/me" && method == "get" {
                continue;
            }
            if op.get("security").is_none() {
                assert!(
                    PUBLIC.contains(&(method.as_str(), path.as_str())),
                    "{method} {path} needs nobody: list it in PUBLIC with its reason, or require a session"
                );
                continue;
            }
            assert!(
                op["responses"]["403"]["description"]
                    .as_str()
                    .is_some_and(|d| d.contains("session-required")),
                "{method} {path} documents its 403 session-required: {}",
                op["responses"]
            );
            guarded.push((method.clone(), path.clone()));
        }
    }
    assert!(guarded.len() >= 15, "{guarded:?}");

    let before = account_state(&s, &session).await;
    for (method, path) in &guarded {
        let m = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let a = s
            .call(m, &with_ids(path), Some(&token), body_for(method, path))
            .await;
        a.problem(403, "", "auth.session_required");
        assert_eq!(
            a.body["type"], "urn:sesame:problem:session-required",
            "{method} {path}: {}",
            a.body
        );
    }
    // The administration routes aimed at oneself are no way round: one's own e-mail, sessions
    // and two-factor there too.
    let own_admin_routes = [
        (
            Method::PATCH,
            format!("/api/v1/users/{my_id}"),
            Some(json!({"email": "pirate@example.net"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/users/{my_id}/sessions"),
            None,
        ),
        (Method::GET, format!("/api/v1/users/{my_id}/sessions"), None),
        (Method::DELETE, format!("/api/v1/users/{my_id}/mfa"), None),
    ];
    let full = s
        .post("/api/v1/account/tokens", &session, json!({"name": "tout"}))
        .await;
    let full_token = full.body["token"].as_str().expect("token").to_string();
    let before = {
        // The second token is the one change made here, through the session.
        let mut b = before;
        let now = account_state(&s, &session).await;
        b["/api/v1/account/tokens"] = now["/api/v1/account/tokens"].clone();
        b["tokens"] = now["tokens"].clone();
        b["audit"] = now["audit"].clone();
        b
    };
    for (m, path, body) in own_admin_routes {
        s.call(m.clone(), &path, Some(&full_token), body)
            .await
            .problem(403, "", "auth.session_required");
    }
    // A token pasted into the session cookie is not a session either.
    let by_cookie = s
        .http
        .post(format!("{}/api/v1/account/tokens", s.base))
        .header("Cookie", format!("sesame_session={full_token}"))
        .json(&json!({"name": "par le cookie"}))
        .send()
        .await
        .expect("request");
    assert_eq!(by_cookie.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        account_state(&s, &session).await,
        before,
        "an API token changed nothing"
    );

    // In both languages.
    let fr = s
        .call_lang(
            Method::GET,
            "/api/v1/account/mfa",
            Some(&token),
            None,
            Some("fr"),
        )
        .await
        .problem(403, "", "auth.session_required");
    let en = s
        .call_lang(
            Method::GET,
            "/api/v1/account/mfa",
            Some(&token),
            None,
            Some("en"),
        )
        .await
        .problem(403, "", "auth.session_required");
    assert!(fr.contains("session") && fr.contains("jeton"), "{fr}");
    assert!(en.contains("session") && en.contains("token"), "{en}");
    assert_ne!(fr, en);

    // From a session, none of them is refused for being one.
    for (method, path) in &guarded {
        let m = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let a = s
            .call(m, &with_ids(path), Some(&session), body_for(method, path))
            .await;
        assert_ne!(
            a.body["type"], "urn:sesame:problem:session-required",
            "{method} {path}: {}",
            a.body
        );
        assert!(a.status.as_u16() < 500, "{method} {path}: {}", a.body);
    }
    s.stop().await;
}

on_every_database!(
    api_tokens_are_refused_on_their_owners_account,
    api_tokens_cannot_reach_their_owners_account
);
