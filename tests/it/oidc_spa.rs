//! A single-page application (a public client with PKCE, served from another origin) signs a
//! person in through Chromium and calls the token and userinfo endpoints with `fetch`: CORS
//! opens those to any origin (no cookie is involved there), and only those
//! (`tests/browser/oidc_spa.mjs`).

use crate::harness::{Db, Server, USER_PASSWORD};
use crate::on_every_database;
use serde_json::json;
use sesame_core::Profile;

async fn a_browser_application_signs_in_across_origins(db: &Db) {
    let s = Server::start_public(db).await;
    let admin = s.init(Profile::Amap).await;
    s.user_with_roles(&admin, "lea", json!([{"role": "Amapien"}]))
        .await;
    // Its pages come from another origin: another loopback port, where the browser script
    // serves them.
    let spa = format!("http://127.0.0.1:{}", crate::nginx::free_port());
    let input: sesame_app::apps::AppInput = serde_json::from_value(json!({
        "name": "Appli des paniers",
        "launch_url": format!("{spa}/"),
        "redirect_uris": [format!("{spa}/callback")],
        "public": true,
        "trusted": true,
    }))
    .expect("app input");
    let org = s.app.org(None).await.expect("org");
    let saved = sesame_app::apps::create(&s.app, &s.app.operator(org.clone()), input)
        .await
        .expect("register the application");
    assert!(
        saved.client_secret.is_none(),
        "a public client has no secret"
    );
    let dir = tempfile::tempdir().expect("dir");
    let state = dir.path().join("state.json");
    std::fs::write(
        &state,
        json!({
            "issuer": format!("{}/o/{}", s.base, org.row.slug),
            "sesame": s.base,
            "spa": spa,
            "client_id": saved.app.client_id,
            "login": "lea",
            "password": USER_PASSWORD,
        })
        .to_string(),
    )
    .expect("state");
    tokio::task::spawn_blocking(move || {
        crate::harness::run_browser_story("oidc_spa.mjs", &state, "spa story passed")
    })
    .await
    .expect("join");
    s.stop().await;
}
on_every_database!(
    a_single_page_application_signs_in_across_origins,
    a_browser_application_signs_in_across_origins
);
