//! First run: `serve` on an empty data directory creates the organisation and a one-time
//! link; its token creates the first administrator, once.

use crate::harness::{Db, Server};
use crate::on_every_database;
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde_json::json;

async fn first_administrator_through_the_setup_link(db: &Db) {
    let s = Server::start(db).await;
    let (org, token) = sesame_app::setup::bootstrap(&s.app)
        .await
        .expect("bootstrap")
        .expect("a setup link on an empty database");
    assert_eq!(org.profile, sesame_core::Profile::Generic);
    assert_eq!(org.language, sesame_core::Language::Fr);
    let token = token.expose_secret().to_string();

    // A wrong token creates nothing.
    let wrong = s.call(Method::POST, "/api/v1/setup", None, Some(json!({"token": "setup_nope", "email": "a@example.org", "password": "long enough pass"}))).await;
    wrong.problem(401, "", "setup.invalid");

    // Invalid fields leave the link usable.
    let bad = s
        .call(
            Method::POST,
            "/api/v1/setup",
            None,
            Some(json!({"token": token, "email": "pas-une-adresse", "password": "court"})),
        )
        .await;
    bad.problem(422, "email", "email.no_at");
    bad.problem(422, "password", "password.too_short");

    // The password policy: long enough for an administrator, not guessable, not personal.
    let weak = s
        .call(
            Method::POST,
            "/api/v1/setup",
            None,
            Some(json!({"token": token, "email": "elise@example.org", "password": "password1234"})),
        )
        .await;
    weak.problem(422, "password", "password.guessable");
    let personal = s.call(Method::POST, "/api/v1/setup", None, Some(json!({"token": token, "email": "elise.cote@example.org", "password": "elise cote pour toujours"}))).await;
    personal.problem(422, "password", "password.personal");
    let short = s
        .call(
            Method::POST,
            "/api/v1/setup",
            None,
            Some(json!({"token": token, "email": "elise@example.org", "password": "vélo rouge"})),
        )
        .await;
    short.problem(422, "password", "password.too_short");

    let ok = s
        .call(
            Method::POST,
            "/api/v1/setup",
            None,
            Some(json!({"token": token, "organisation": "Réseau des Petits Pas", "email": "Direction@Example.org", "first_name": "Élise", "last_name": "Côté", "password": "un mot de passe solide"})),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(ok.body["login"], "elise.cote");
    assert_eq!(ok.body["email"], "direction@example.org");
    assert_eq!(ok.body["status"], "active");
    assert_eq!(ok.body["roles"][0]["role"], "Administrateur");

    // Once only.
    let again = s.call(Method::POST, "/api/v1/setup", None, Some(json!({"token": token, "email": "x@example.org", "password": "un mot de passe solide"}))).await;
    again.problem(401, "", "setup.invalid");
    assert!(
        sesame_app::setup::bootstrap(&s.app)
            .await
            .expect("bootstrap")
            .is_none(),
        "no new link once set up"
    );

    // The administrator signs in, by login or by e-mail.
    let t = s.login("elise.cote", "un mot de passe solide").await;
    let _ = s
        .login("DIRECTION@example.org", "un mot de passe solide")
        .await;
    let me = s.get("/api/v1/me", &t).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["organisation"]["name"], "Réseau des Petits Pas");
    assert_eq!(
        me.body["permissions"].as_array().map(Vec::len),
        Some(sesame_core::Permission::ALL.len())
    );
    s.stop().await;
}
on_every_database!(
    first_administrator_through_the_setup_link_works_once,
    first_administrator_through_the_setup_link
);

async fn init_sets_up_each_profile(db: &Db) {
    let s = Server::start(db).await;
    let token = s.init(sesame_core::Profile::Daycare).await;
    let settings = s.get("/api/v1/settings", &token).await;
    assert_eq!(settings.body["profile"], "daycare");
    assert_eq!(settings.body["country"], "CA");
    assert_eq!(
        settings.body["required_fields"],
        json!(["email", "first_name", "last_name", "phone"])
    );
    let roles = s.get("/api/v1/roles", &token).await;
    let names: Vec<&str> = roles
        .body
        .as_array()
        .expect("roles")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Administration",
            "Gestionnaire",
            "Personnel éducateur",
            "Accès mobile",
            "Cahier de communication",
            "Journal de bord"
        ]
    );
    let logbook = roles
        .body
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["name"] == "Journal de bord")
        .expect("logbook");
    assert_eq!(logbook["requires"], "Gestionnaire");
    // No setup link once `init` made an administrator.
    assert!(
        sesame_app::setup::bootstrap(&s.app)
            .await
            .expect("bootstrap")
            .is_none()
    );
    s.stop().await;
}
on_every_database!(
    init_sets_up_each_profile_with_its_presets,
    init_sets_up_each_profile
);
