//! Bad input gets a 4xx problem+json naming the field, in French or English; never a 500,
//! never a partial write.

use crate::harness::{Db, Server};
use crate::on_every_database;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sesame_core::Profile;

async fn raw(
    s: &Server,
    token: &str,
    body: Vec<u8>,
    content_type: &str,
    lang: &str,
) -> crate::harness::Answer {
    let r = s
        .http
        .post(format!("{}/api/v1/users", s.base))
        .bearer_auth(token)
        .header("content-type", content_type)
        .header("accept-language", lang)
        .body(body)
        .send()
        .await
        .expect("send");
    let status = r.status();
    let content_type = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = r.text().await.unwrap_or_default();
    crate::harness::Answer {
        status,
        content_type,
        body: serde_json::from_str(&text).unwrap_or(json!(text)),
        headers: Default::default(),
    }
}

async fn bad_input_is_explained(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Generic).await;
    let count = || async {
        sesame_store::users::count(
            &mut s.app.store.read().await.expect("conn"),
            &s.app.org(None).await.expect("org").row.id,
        )
        .await
        .expect("count")
    };
    let before = count().await;

    let m = raw(
        &s,
        &admin,
        b"{\"email\": ".to_vec(),
        "application/json",
        "fr",
    )
    .await
    .problem(400, "", "request.json_syntax");
    assert!(m.contains("JSON"), "{m}");
    let m = raw(
        &s,
        &admin,
        b"{\"email\": 42}".to_vec(),
        "application/json",
        "en",
    )
    .await
    .problem(422, "email", "request.json_type");
    assert!(m.contains("email"), "{m}");
    // An array of the fields in order is not the object asked for (serde would take it).
    for body in [
        &b"[\"a@example.org\"]"[..],
        b" 42",
        b"\"a@example.org\"",
        b"null",
    ] {
        let m = raw(&s, &admin, body.to_vec(), "application/json", "fr")
            .await
            .problem(422, "", "request.json_object");
        assert!(m.contains("objet JSON"), "{m}");
    }
    let m = raw(
        &s,
        &admin,
        b"{\"email\": \"a@example.org\", \"mail\": 1}".to_vec(),
        "application/json",
        "en",
    )
    .await
    .problem(422, "mail", "request.unknown_field");
    assert!(m.contains("first_name"), "lists the expected fields: {m}");
    raw(
        &s,
        &admin,
        "{\"email\": \"a@example.org\", \"roles\": [{\"rôle\": \"x\"}]}"
            .as_bytes()
            .to_vec(),
        "application/json",
        "en",
    )
    .await
    .problem(422, "roles[0].rôle", "request.unknown_field");
    raw(
        &s,
        &admin,
        b"{\"email\": \"a@example.org\", \"roles\": [{}]}".to_vec(),
        "application/json",
        "en",
    )
    .await
    .problem(422, "roles[0].role", "request.missing_field");
    let big = format!("{{\"email\": \"{}\"}}", "a".repeat(1024 * 1024 + 1000));
    raw(&s, &admin, big.into_bytes(), "application/json", "fr")
        .await
        .problem(413, "", "request.too_large");
    raw(
        &s,
        &admin,
        b"{\"first_name\": \"\xff\xfe\"}".to_vec(),
        "application/json",
        "fr",
    )
    .await
    .problem(400, "", "request.not_utf8");
    raw(
        &s,
        &admin,
        b"email=a@example.org".to_vec(),
        "application/x-www-form-urlencoded",
        "fr",
    )
    .await
    .problem(415, "", "request.content_type");

    // Every field's own rules, all reported at once, in the language asked.
    let a = s
        .call_lang(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"login": "jean dupont", "email": "jean@", "first_name": "Jean", "last_name": "Dupont", "phone": "123", "roles": [{"role": "Chef"}]})),
            Some("fr-FR,fr;q=0.9"),
        )
        .await;
    let m = a.problem(422, "login", "login.invalid_chars");
    assert!(m.contains("minuscules"), "French: {m}");
    a.problem(422, "email", "email.no_domain");
    a.problem(422, "phone", "phone.invalid");
    let m = a.problem(422, "roles[0].role", "role.unknown");
    assert!(
        m.contains("Administrateur") && m.contains("Membre"),
        "lists the valid roles: {m}"
    );
    assert_eq!(a.headers["content-language"], "fr");

    let a = s
        .call_lang(Method::POST, "/api/v1/users", Some(&admin), Some(json!({"login": "élodie", "email": "x@example.org", "first_name": "É", "last_name": "L"})), Some("en"))
        .await;
    let m = a.problem(422, "login", "login.invalid_chars");
    assert!(m.contains("lowercase"), "English: {m}");

    // Required fields of a generic organisation: first and last name.
    let a = s
        .post("/api/v1/users", &admin, json!({"email": "x@example.org"}))
        .await;
    a.problem(422, "first_name", "field.required");
    a.problem(422, "last_name", "field.required");

    // Query strings, paths, methods and credentials.
    s.get("/api/v1/users?limit=abc", &admin)
        .await
        .problem(400, "", "request.bad_query");
    s.get("/api/v1/users?limit=0", &admin)
        .await
        .problem(422, "limit", "limit.range");
    s.get("/api/v1/users?status=zombie", &admin)
        .await
        .problem(422, "status", "status.unknown");
    s.get("/api/v1/users/no-such-id", &admin)
        .await
        .problem(404, "", "notfound.user");
    s.get("/api/v1/nothing-here", &admin)
        .await
        .problem(404, "", "notfound.route");
    s.call(Method::PUT, "/api/v1/users", Some(&admin), None)
        .await
        .problem(405, "", "method.not_allowed");
    s.call(Method::GET, "/api/v1/users", None, None)
        .await
        .problem(401, "", "auth.required");
    s.call(Method::GET, "/api/v1/users", Some("sat_forged"), None)
        .await
        .problem(401, "", "auth.token_invalid");
    let wrong = s
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"login": "admin", "password": "wrong password"})),
        )
        .await;
    wrong.problem(401, "", "auth.failed");
    let unknown = s
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"login": "nobody", "password": "wrong password"})),
        )
        .await;
    assert_eq!(
        unknown.body, wrong.body,
        "unknown and known logins get the same answer"
    );

    assert_eq!(count().await, before, "nothing was written");
    // The service is still healthy.
    let h = s.call(Method::GET, "/healthz", None, None).await;
    assert_eq!(h.status, StatusCode::OK);
    s.stop().await;
}
on_every_database!(
    bad_input_gets_a_clear_problem_and_writes_nothing,
    bad_input_is_explained
);
