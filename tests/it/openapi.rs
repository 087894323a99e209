//! The OpenAPI document is generated from the code, served, and committed: a change to the API
//! shows up as a diff of `openapi.json` (regenerate with `SESAME_UPDATE_OPENAPI=1`).

use crate::harness::{Db, Server};
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn the_openapi_document_is_served_and_committed() {
    let db = Db::sqlite().await;
    let s = Server::start(&db).await;
    let a = s
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.body["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3."))
    );
    for path in [
        "/api/v1/users",
        "/api/v1/users/{id}",
        "/api/v1/users/{id}/disable",
        "/api/v1/auth/login",
        "/api/v1/setup",
        "/api/v1/audit",
        "/api/v1/me",
    ] {
        assert!(a.body["paths"].get(path).is_some(), "{path} documented");
    }
    assert!(a.body["components"]["schemas"].get("UserView").is_some());
    s.stop().await;

    let current = sesame_server::openapi_json();
    let committed_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.json");
    if std::env::var("SESAME_UPDATE_OPENAPI").is_ok() {
        std::fs::write(committed_path, &current).expect("write openapi.json");
    }
    let committed = std::fs::read_to_string(committed_path).unwrap_or_default();
    assert!(
        committed == current,
        "openapi.json is out of date: run `SESAME_UPDATE_OPENAPI=1 cargo test --test it openapi` and commit it"
    );
}
