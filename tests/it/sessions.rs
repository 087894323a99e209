//! Sessions: listed and ended by their owner, ended everywhere by an administrator, by
//! disabling the account or setting a new password; idle ones expire; the web pages carry them
//! as a cookie that other sites cannot use to change anything.

use crate::harness::{Db, Server, USER_PASSWORD};
use crate::on_every_database;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sesame_core::Profile;

async fn people_see_and_end_their_sessions(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let (zoe_id, first) = s
        .user_with_roles(&admin, "zoe", json!([{"role": "Amapien"}]))
        .await;
    let second = s.login("zoe", USER_PASSWORD).await;

    let list = s.get("/api/v1/account/sessions", &second).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let items = list.body.as_array().expect("list").clone();
    assert_eq!(items.len(), 2, "{}", list.body);
    let current: Vec<_> = items.iter().filter(|i| i["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(items[0]["last_address"], "127.0.0.1");
    assert!(
        items[0]["created_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
    assert!(items[0]["expires_at"].is_string());
    // No secret in the list.
    assert!(!list.body.to_string().contains("ses_"), "{}", list.body);

    // "Sign out everywhere else" keeps this session and ends the other.
    let ended = s
        .call(
            Method::DELETE,
            "/api/v1/account/sessions",
            Some(&second),
            None,
        )
        .await;
    assert_eq!(ended.body["ended"], 1, "{}", ended.body);
    s.get("/api/v1/me", &first)
        .await
        .problem(401, "", "auth.token_invalid");
    assert_eq!(s.get("/api/v1/me", &second).await.status, StatusCode::OK);

    // Ending one's own current session by its id, like signing out.
    let id = current[0]["id"].as_str().expect("id");
    s.delete(&format!("/api/v1/account/sessions/{id}"), &second)
        .await;
    s.get("/api/v1/me", &second)
        .await
        .problem(401, "", "auth.token_invalid");
    // Someone else's session, or an unknown one, is not found.
    let third = s.login("zoe", USER_PASSWORD).await;
    let admin_sessions = s.get("/api/v1/account/sessions", &admin).await;
    let admin_session = admin_sessions.body[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    s.delete(&format!("/api/v1/account/sessions/{admin_session}"), &third)
        .await
        .problem(404, "", "notfound.session");
    assert_eq!(s.get("/api/v1/me", &admin).await.status, StatusCode::OK);

    // An administrator sees and ends all of someone's sessions; the end is audited.
    let theirs = s
        .get(&format!("/api/v1/users/{zoe_id}/sessions"), &admin)
        .await;
    assert_eq!(
        theirs.body.as_array().map(Vec::len),
        Some(1),
        "{}",
        theirs.body
    );
    let ended = s
        .delete(&format!("/api/v1/users/{zoe_id}/sessions"), &admin)
        .await;
    assert_eq!(ended.body["ended"], 1, "{}", ended.body);
    s.get("/api/v1/me", &third)
        .await
        .problem(401, "", "auth.token_invalid");
    let audit = s
        .get("/api/v1/audit?action=auth.sessions_ended", &admin)
        .await;
    assert!(
        audit.body["items"]
            .as_array()
            .is_some_and(|i| i.iter().any(|e| e["target_id"] == zoe_id.as_str())),
        "{}",
        audit.body
    );
    // A member may not see or end an administrator's sessions.
    let fourth = s.login("zoe", USER_PASSWORD).await;
    let admin_id = s.get("/api/v1/me", &admin).await.body["user"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    s.get(&format!("/api/v1/users/{admin_id}/sessions"), &fourth)
        .await
        .problem(403, "", "permission.missing");
    s.delete(&format!("/api/v1/users/{admin_id}/sessions"), &fourth)
        .await
        .problem(403, "", "permission.missing");

    // Disabling the account ends its sessions and API tokens; a new password ends sessions.
    let token = s
        .post("/api/v1/account/tokens", &fourth, json!({"name": "script"}))
        .await;
    let api = token.body["token"].as_str().expect("token").to_string();
    let org = s.app.org(None).await.expect("org");
    let operator = s.app.operator(org);
    sesame_app::users::set_password(
        &s.app,
        &operator,
        &zoe_id,
        "une autre phrase assez longue".to_string().into(),
    )
    .await
    .expect("new password");
    s.get("/api/v1/me", &fourth)
        .await
        .problem(401, "", "auth.token_invalid");
    assert_eq!(s.get("/api/v1/me", &api).await.status, StatusCode::OK);
    s.post(
        &format!("/api/v1/users/{zoe_id}/disable"),
        &admin,
        json!({}),
    )
    .await;
    s.get("/api/v1/me", &api)
        .await
        .problem(401, "", "auth.token_invalid");
    s.stop().await;
}

async fn idle_sessions_expire(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Generic).await;
    assert_eq!(s.get("/api/v1/me", &admin).await.status, StatusCode::OK);
    // Two hours and a minute without use.
    let long_ago = sesame_store::now_ms() - sesame_app::auth::SESSION_IDLE_MS - 60_000;
    let mut conn = s.app.store.read().await.expect("conn");
    sqlx::query("UPDATE tokens SET last_used_at = $1 WHERE kind = 'session'")
        .bind(long_ago)
        .execute(&mut *conn)
        .await
        .expect("age the session");
    drop(conn);
    // Changed behind the instance's back: it forgets what it read about the session.
    s.app.changed_outside();
    let msg = s
        .get("/api/v1/me", &admin)
        .await
        .problem(401, "", "auth.session_expired");
    assert!(msg.contains("inactivit") || msg.contains("expir"), "{msg}");
    s.stop().await;
}

async fn the_web_pages_carry_the_session_as_a_cookie(db: &Db) {
    let s = Server::start(db).await;
    let _ = s.init(Profile::Amap).await;
    let signed = s
        .sign_in("admin", crate::harness::ADMIN_PASSWORD, None)
        .await;
    // Beside the device cookie of the sign-in throttle (tests/it/reverse_proxy.rs).
    let cookie = signed
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sesame_session="))
        .expect("a session cookie")
        .to_string();
    // Served on plain-HTTP loopback: not `Secure` (a browser would drop it), but HttpOnly, Lax.
    assert!(cookie.starts_with("sesame_session=ses_"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
    let pair = cookie.split(';').next().expect("pair").to_string();

    let with_cookie = |method: Method, path: &str| {
        s.http
            .request(method, format!("{}{path}", s.base))
            .header("Cookie", pair.clone())
    };
    let me = with_cookie(Method::GET, "/api/v1/me")
        .send()
        .await
        .expect("me");
    assert_eq!(me.status(), StatusCode::OK);
    // A change carried by the cookie from another site is refused…
    let forged = with_cookie(Method::POST, "/api/v1/groups")
        .header("Origin", "https://evil.example")
        .header("Sec-Fetch-Site", "cross-site")
        .json(&json!({"name": "Piège"}))
        .send()
        .await
        .expect("forged");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = forged.json().await.expect("problem");
    assert_eq!(body["errors"][0]["code"], "auth.cross_site", "{body}");
    // … and accepted from our own pages.
    let own = with_cookie(Method::POST, "/api/v1/groups")
        .header("Origin", s.base.clone())
        .header("Sec-Fetch-Site", "same-origin")
        .json(&json!({"name": "Distribution du mardi"}))
        .send()
        .await
        .expect("own");
    assert_eq!(own.status(), StatusCode::CREATED);
    // Signing out erases the cookie and ends the session.
    let out = with_cookie(Method::POST, "/api/v1/auth/logout")
        .header("Sec-Fetch-Site", "same-origin")
        .send()
        .await
        .expect("logout");
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let erased = out
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(erased.starts_with("sesame_session=;"), "{erased}");
    assert!(erased.contains("Max-Age=0"), "{erased}");
    let after = with_cookie(Method::GET, "/api/v1/me")
        .send()
        .await
        .expect("me");
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    s.stop().await;
}

on_every_database!(
    people_see_and_end_their_sessions_everywhere,
    people_see_and_end_their_sessions
);
on_every_database!(idle_sessions_expire_after_two_hours, idle_sessions_expire);
on_every_database!(
    the_session_cookie_is_httponly_lax_and_same_site_only,
    the_web_pages_carry_the_session_as_a_cookie
);
