//! Several organisations in one database: no request crosses from one to another.

use crate::harness::{ADMIN_PASSWORD, Db, Server};
use crate::on_every_database;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sesame_core::Profile;

async fn organisations_are_isolated(db: &Db) {
    let s = Server::start(db).await;
    let _ = s.init(Profile::Amap).await;
    s.add_lucioles().await;

    // With two organisations, sign-in must say which.
    let a = s
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"login": "admin", "password": ADMIN_PASSWORD})),
        )
        .await;
    a.problem(422, "org", "org.required");
    let login = |org: &'static str| {
        let s = &s;
        async move {
            let a = s
                .call(
                    Method::POST,
                    &format!("/api/v1/auth/login?org={org}"),
                    None,
                    Some(json!({"login": "admin", "password": ADMIN_PASSWORD})),
                )
                .await;
            assert_eq!(a.status, StatusCode::OK, "{}", a.body);
            a.body["token"].as_str().expect("token").to_string()
        }
    };
    let amap = login("amap-des-lilas").await;
    let daycare = login("lucioles").await;
    // A session (bearer or cookie) of one organisation is refused by name in the other.
    s.get("/api/v1/me?org=lucioles", &amap)
        .await
        .problem(401, "", "auth.other_organisation");
    assert_eq!(
        s.get("/api/v1/me?org=amap-des-lilas", &amap).await.status,
        StatusCode::OK
    );
    let by_cookie = s
        .http
        .get(format!("{}/api/v1/users?org=lucioles", s.base))
        .header("Cookie", format!("sesame_session={amap}"))
        .send()
        .await
        .expect("cookie request");
    assert_eq!(by_cookie.status(), StatusCode::UNAUTHORIZED);

    let u = s
        .post(
            "/api/v1/users",
            &amap,
            json!({"email": "same@example.org", "login": "same"}),
        )
        .await;
    assert_eq!(u.status, StatusCode::CREATED);
    let id = u.body["id"].as_str().expect("id");
    // The same e-mail and login are free in the other organisation.
    let v = s.post("/api/v1/users", &daycare, json!({"email": "same@example.org", "login": "same", "first_name": "A", "last_name": "B", "phone": "514 555 0199"})).await;
    assert_eq!(v.status, StatusCode::CREATED, "{}", v.body);
    // Nothing of one is visible from the other.
    s.get(&format!("/api/v1/users/{id}"), &daycare)
        .await
        .problem(404, "", "notfound.user");
    s.patch(
        &format!("/api/v1/users/{id}"),
        &daycare,
        json!({"first_name": "X"}),
    )
    .await
    .problem(404, "", "notfound.user");
    let list = s.get("/api/v1/users", &daycare).await;
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(2));
    let roles = s.get("/api/v1/roles", &daycare).await;
    assert!(
        roles
            .body
            .as_array()
            .expect("roles")
            .iter()
            .all(|r| r["name"] != "Amapien")
    );
    // The daycare's errors default to its language, English.
    let e = s
        .post("/api/v1/users", &daycare, json!({"email": "nope"}))
        .await;
    let m = e.problem(422, "email", "email.no_at");
    assert!(m.contains("must contain"), "{m}");
    s.stop().await;
}
on_every_database!(
    organisations_sharing_a_database_are_isolated,
    organisations_are_isolated
);
