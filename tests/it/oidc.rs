//! Single sign-on (issue 21): Sésame as the OpenID Connect provider, driven by an independent
//! client (Authlib, `tests/oidc/client.py`) through Sésame's own sign-in and consent pages, with
//! a back-channel logout receiver of ours standing in for the application's.

use crate::harness::{Db, Server, USER_PASSWORD, python};
use axum::extract::State;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sesame_core::Profile;
use std::sync::{Arc, Mutex};

/// The back-channel logout endpoint of "the application": keeps every logout token posted.
async fn receiver() -> (String, Arc<Mutex<Vec<String>>>) {
    let got = Arc::new(Mutex::new(Vec::new()));
    async fn take(
        State(got): State<Arc<Mutex<Vec<String>>>>,
        body: axum::body::Bytes,
    ) -> StatusCode {
        let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
        if let Some((_, t)) = form.into_iter().find(|(k, _)| k == "logout_token") {
            got.lock().expect("lock").push(t);
        }
        StatusCode::OK
    }
    let router = axum::Router::new()
        .route("/backchannel", axum::routing::post(take))
        .with_state(got.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://{}/backchannel",
        listener.local_addr().expect("addr")
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (url, got)
}

/// Registers an application (as `sesame app add` does); answers its client id and secret.
async fn app(s: &Server, body: Value) -> (String, Option<String>) {
    let input: sesame_app::apps::AppInput = serde_json::from_value(body).expect("app input");
    let org = s.app.org(None).await.expect("org");
    let saved = sesame_app::apps::create(&s.app, &s.app.operator(org), input)
        .await
        .expect("register an app");
    (saved.app.client_id, saved.client_secret)
}

fn run_client(phase: &str, state: &std::path::Path, extra: Option<&str>) {
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/oidc/client.py");
    let mut cmd = std::process::Command::new(python());
    cmd.arg(script).arg(phase).arg(state);
    if let Some(e) = extra {
        cmd.arg(e);
    }
    let out = cmd.output().expect("run the Authlib client");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}");
    assert!(
        out.status.success(),
        "Authlib client, phase {phase}:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(&format!("phase {phase} passed")));
}

async fn blocking_client(phase: &'static str, state: std::path::PathBuf, extra: Option<String>) {
    tokio::task::spawn_blocking(move || run_client(phase, &state, extra.as_deref()))
        .await
        .expect("join");
}

/// The `openidconnect` crate, a second verifier written by others, on the ID token of the last
/// sign-in (after the key rotation): signature against the JWKS, issuer, audience, expiry and
/// nonce; and a token for another audience or with another nonce is refused.
async fn verified_by_openidconnect(
    s: &Server,
    state: &std::path::Path,
    client_id: &str,
    secret: &str,
    person: &str,
) {
    use openidconnect::core::{CoreIdToken, CoreIdTokenVerifier, CoreJsonWebKeySet};
    use openidconnect::{ClientId, ClientSecret, IssuerUrl, Nonce};
    let st: Value =
        serde_json::from_str(&std::fs::read_to_string(state).expect("read")).expect("json");
    let issuer = st["issuer"].as_str().expect("issuer").to_string();
    let jwks: CoreJsonWebKeySet = s
        .http
        .get(format!("{issuer}/jwks"))
        .send()
        .await
        .expect("jwks")
        .json()
        .await
        .expect("a key set openidconnect reads");
    let verifier = |aud: &str| {
        CoreIdTokenVerifier::new_confidential_client(
            ClientId::new(aud.to_string()),
            ClientSecret::new(secret.to_string()),
            IssuerUrl::new(issuer.clone()).expect("issuer URL"),
            jwks.clone(),
        )
    };
    let token: CoreIdToken = st["lea"]["id_token"]
        .as_str()
        .expect("id token")
        .parse()
        .expect("an ID token openidconnect reads");
    let nonce = Nonce::new(st["lea"]["nonce"].as_str().expect("nonce").to_string());
    let claims = token
        .claims(&verifier(client_id), &nonce)
        .expect("the ID token verified by openidconnect");
    assert_eq!(claims.subject().as_str(), person);
    assert!(token.claims(&verifier("another-client"), &nonce).is_err());
    assert!(
        token
            .claims(&verifier(client_id), &Nonce::new("another".into()))
            .is_err()
    );
}

async fn applications_sign_people_in(db: &Db) {
    let s = Server::start_public(db).await;
    let admin = s.init(Profile::Generic).await;
    let (lea, _) = s
        .user_with_roles(&admin, "lea", json!([{"role": "Membre"}]))
        .await;
    let (paul, _) = s
        .user_with_roles(&admin, "paul", json!([{"role": "Membre"}]))
        .await;
    let (zoe, _) = s
        .user_with_roles(&admin, "zoe", json!([{"role": "Membre"}]))
        .await;
    let bureau = s.group_with(&admin, "Bureau", &[&lea]).await;

    let (backchannel, logouts) = receiver().await;
    let a_redirect = "http://127.0.0.1:9/a/callback";
    let (a_id, a_secret) = app(
        &s,
        json!({"name": "Site de l'AMAP", "redirect_uris": [a_redirect],
               "post_logout_uris": ["http://127.0.0.1:9/a/bye"], "backchannel_logout_uri": backchannel}),
    )
    .await;
    let (b_id, b_secret) = app(
        &s,
        json!({"name": "Nextcloud", "redirect_uris": ["http://127.0.0.1:9/b/callback"]}),
    )
    .await;
    let (p_id, _) = app(
        &s,
        json!({"name": "Appli mobile", "redirect_uris": ["http://127.0.0.1/p/callback"],
               "public": true, "trusted": true, "id_token_alg": "EdDSA"}),
    )
    .await;
    let (r_id, r_secret) = app(
        &s,
        json!({"name": "Compta", "redirect_uris": ["http://127.0.0.1:9/r/callback"],
               "trusted": true, "groups": [bureau]}),
    )
    .await;

    let dir = tempfile::tempdir().expect("dir");
    let state = dir.path().join("state.json");
    let person = |id: &str, login: &str| json!({"id": id, "login": login, "password": USER_PASSWORD, "email": format!("{login}@example.org")});
    let initial = json!({
        "base": s.base,
        "issuer": format!("{}/o/{}", s.base, s.app.org(None).await.expect("org").row.slug),
        "apps": {
            "a": {"client_id": a_id, "client_secret": a_secret, "redirect_uri": a_redirect,
                  "post_logout_uri": "http://127.0.0.1:9/a/bye"},
            "b": {"client_id": b_id, "client_secret": b_secret, "redirect_uri": "http://127.0.0.1:9/b/callback"},
            "public": {"client_id": p_id, "redirect_uri": "http://127.0.0.1:4567/p/callback"},
            "restricted": {"client_id": r_id, "client_secret": r_secret, "redirect_uri": "http://127.0.0.1:9/r/callback"},
        },
        "people": {"lea": person(&lea, "lea"), "paul": person(&paul, "paul"), "zoe": person(&zoe, "zoe")},
    });
    std::fs::write(&state, initial.to_string()).expect("state");
    blocking_client("flow", state.clone(), None).await;

    // Another organisation on the same server is another issuer: nothing of this one's
    // clients or people is known there.
    s.add_lucioles().await;
    let st: Value =
        serde_json::from_str(&std::fs::read_to_string(&state).expect("read")).expect("json");
    let other = format!("{}/o/lucioles", s.base);
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let r = no_redirect
        .get(format!(
            "{other}/authorize?{}",
            serde_urlencoded::to_string([
                ("client_id", a_id.as_str()),
                ("redirect_uri", a_redirect),
                ("response_type", "code"),
                ("scope", "openid"),
            ])
            .expect("query")
        ))
        .send()
        .await
        .expect("authorize");
    assert_eq!(
        r.status(),
        StatusCode::BAD_REQUEST,
        "a client of another organisation"
    );
    assert!(r.headers().get("location").is_none());
    let r = no_redirect
        .post(format!("{other}/token"))
        .basic_auth(&a_id, a_secret.as_deref())
        .form(&[
            ("grant_type", "refresh_token"),
            (
                "refresh_token",
                st["lea"]["refresh"].as_str().expect("refresh"),
            ),
        ])
        .send()
        .await
        .expect("token");
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "its secret means nothing at another issuer"
    );
    let r = no_redirect
        .get(format!("{other}/userinfo"))
        .bearer_auth(st["lea"]["access"].as_str().expect("access"))
        .send()
        .await
        .expect("userinfo");
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "nor its people's tokens"
    );

    // What the next phase must find refused: a code past its 60 s, a rotated refresh token
    // past its grace window, a disabled person, keys rotated.
    let st: Value =
        serde_json::from_str(&std::fs::read_to_string(&state).expect("read")).expect("json");
    let mut conn = s.app.store.read().await.expect("conn");
    let code_hash = sesame_app::secret::hash(st["unredeemed_code"].as_str().expect("code"));
    let aged = sqlx::query("UPDATE oidc_codes SET expires_at = 1 WHERE code_hash = $1")
        .bind(&code_hash)
        .execute(&mut *conn)
        .await
        .expect("age the code");
    assert_eq!(aged.rows_affected(), 1);
    let old_refresh = sesame_app::secret::hash(st["lea"]["old_refresh"].as_str().expect("refresh"));
    let aged = sqlx::query(
        "UPDATE oidc_tokens SET rotated_at = rotated_at - 120000 WHERE token_hash = $1",
    )
    .bind(&old_refresh)
    .execute(&mut *conn)
    .await
    .expect("age the rotation");
    assert_eq!(aged.rows_affected(), 1);
    drop(conn);
    let disabled = s
        .post(&format!("/api/v1/users/{paul}/disable"), &admin, json!({}))
        .await;
    assert!(disabled.status.is_success(), "{}", disabled.body);
    sesame_app::keys::rotate(&s.app)
        .await
        .expect("rotate the keys");
    blocking_client("after", state.clone(), None).await;
    verified_by_openidconnect(
        &s,
        &state,
        &a_id,
        a_secret.as_deref().expect("secret"),
        &lea,
    )
    .await;

    blocking_client("logout", state.clone(), None).await;
    // The application the session signed in to hears of it, from the worker.
    // Paul's session ended when he was disabled, Lea's when she signed out: two tokens.
    let mut tokens = Vec::new();
    for _ in 0..100 {
        tokens = logouts.lock().expect("lock").clone();
        if tokens.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        tokens.len(),
        2,
        "two back-channel logout tokens within 10 s"
    );
    blocking_client("logout_token", state.clone(), Some(tokens.join(","))).await;

    // A role that requires two-factor: its holders enrol before any application gets a code.
    let set = s
        .patch(
            "/api/v1/settings",
            &admin,
            json!({"two_factor_roles": ["Membre"], "two_factor_grace_days": 0}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    blocking_client("enrol", state.clone(), None).await;

    // The sweeper forgets what can no longer open anything: the expired code is gone.
    sesame_app::oidc::forget_expired(&s.app)
        .await
        .expect("sweep");
    let mut conn = s.app.store.read().await.expect("conn");
    let left: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM oidc_codes WHERE code_hash = $1")
        .bind(&code_hash)
        .fetch_one(&mut *conn)
        .await
        .expect("count");
    assert_eq!(left.0, 0, "an expired code is deleted");
    drop(conn);
    s.stop().await;
}

crate::on_every_database!(
    applications_sign_people_in_with_openid_connect,
    applications_sign_people_in
);
