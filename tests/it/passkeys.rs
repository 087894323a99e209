//! Passkeys through the API, with a software authenticator written from the specification
//! (`soft`): registration and sign-in ceremonies whose state is single use, expiring and shared
//! by every instance on the database; the refusals a person can meet, each with its message
//! (already registered, user not verified, a counter gone backwards — audited —, a removed
//! passkey, an address without a domain name); passkeys as two-factor for the per-role rule;
//! rename, removal with the password and its notice, an administrator's removal and
//! `reset-2fa`. The browser story (Chromium's virtual authenticator) is `pages`'s.

mod soft;

use crate::harness::{Answer, Db, Server, USER_PASSWORD};
use crate::on_every_database;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sesame_core::Profile;
use soft::Authenticator;

/// The test servers' public URL is `http://sesame.test`: the relying party.
const RP_ID: &str = "sesame.test";
const ORIGIN: &str = "http://sesame.test";

async fn register_with(s: &Server, token: &str, device: &mut Authenticator, name: Value) -> Answer {
    let o = s
        .post("/api/v1/account/passkeys/options", token, json!({}))
        .await;
    assert_eq!(o.status, StatusCode::OK, "{}", o.body);
    let credential = device.register(&o.body["public_key"]);
    let mut body = json!({"ceremony": o.body["ceremony"], "credential": credential});
    if !name.is_null() {
        body["name"] = name;
    }
    s.post("/api/v1/account/passkeys", token, body).await
}

async fn sign_in_options(s: &Server) -> Value {
    let o = s
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/passkey/options",
            None,
            None,
        )
        .await;
    assert_eq!(o.status, StatusCode::OK, "{}", o.body);
    o.body
}

async fn finish(s: &Server, ceremony: &Value, credential: Value) -> Answer {
    s.call(
        reqwest::Method::POST,
        "/api/v1/auth/passkey",
        None,
        Some(json!({"ceremony": ceremony, "credential": credential})),
    )
    .await
}

async fn sign_in(s: &Server, device: &mut Authenticator) -> Answer {
    let o = sign_in_options(s).await;
    let credential = device.assert(&o["public_key"]);
    finish(s, &o["ceremony"], credential).await
}

async fn ceremonies_are_single_use_expiring_and_shared_story(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let (_, zoe) = s
        .user_with_roles(&admin, "zoe", json!([{"role": "Amapien"}]))
        .await;
    let mut phone = Authenticator::new(RP_ID, ORIGIN);

    // Registration: a discoverable credential, the person verified.
    let o = s
        .post("/api/v1/account/passkeys/options", &zoe, json!({}))
        .await;
    assert_eq!(o.status, StatusCode::OK, "{}", o.body);
    let pk = &o.body["public_key"];
    assert_eq!(pk["rp"]["id"], RP_ID);
    assert_eq!(pk["authenticatorSelection"]["residentKey"], "required");
    assert_eq!(pk["authenticatorSelection"]["userVerification"], "required");
    let credential = phone.register(pk);
    let body = json!({"ceremony": o.body["ceremony"], "credential": credential, "name": "Téléphone de Zoé"});
    let added = s.post("/api/v1/account/passkeys", &zoe, body.clone()).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    assert_eq!(added.body["name"], "Téléphone de Zoé");
    assert!(added.body["last_used_at"].is_null());
    // The same answer again: the ceremony is spent.
    s.post("/api/v1/account/passkeys", &zoe, body)
        .await
        .problem(409, "ceremony", "passkey.ceremony");
    // The same device again, in a new ceremony: refused, saying what to do.
    let again = register_with(&s, &zoe, &mut phone, Value::Null).await;
    let message = again.problem(409, "credential", "passkey.already_registered");
    assert!(
        message.contains("My account") || message.contains("Mon compte"),
        "{message}"
    );

    // Sign-in without a login: the passkey tells who it is; a full session.
    let signed = sign_in(&s, &mut phone).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    assert_eq!(signed.body["user"]["login"], "zoe");
    assert_eq!(signed.body["mfa_enrolment_required"], false);
    let token = signed.body["token"].as_str().expect("token");
    assert_eq!(s.get("/api/v1/me", token).await.status, StatusCode::OK);
    // Applications signed in to through this session are told how (`amr`, RFC 8176).
    let amrs = session_amrs(&s).await;
    assert!(amrs.contains(&"hwk user".to_string()), "{amrs:?}");

    // A sign-in ceremony is used once.
    let o = sign_in_options(&s).await;
    assert_eq!(o["mediation"], "conditional");
    let credential = phone.assert(&o["public_key"]);
    assert_eq!(
        finish(&s, &o["ceremony"], credential.clone()).await.status,
        StatusCode::OK
    );
    finish(&s, &o["ceremony"], credential)
        .await
        .problem(409, "ceremony", "passkey.ceremony");
    // An unknown ceremony id, and an expired one, are refused the same way.
    let credential = phone.assert(&o["public_key"]);
    finish(&s, &json!("pkc_made-up"), credential).await.problem(
        409,
        "ceremony",
        "passkey.ceremony",
    );
    let o = sign_in_options(&s).await;
    sqlx::query("UPDATE passkey_ceremonies SET expires_at = 1")
        .execute(s.app.store.pool())
        .await
        .expect("age the ceremony");
    let credential = phone.assert(&o["public_key"]);
    finish(&s, &o["ceremony"], credential)
        .await
        .problem(409, "ceremony", "passkey.ceremony");

    // A second instance on the same database finishes what the first began.
    let other = Server::start(db).await;
    let o = sign_in_options(&s).await;
    let credential = phone.assert(&o["public_key"]);
    let there = finish(&other, &o["ceremony"], credential).await;
    assert_eq!(there.status, StatusCode::OK, "{}", there.body);
    other.stop().await;

    // The list shows when it was added and last used.
    let list = s.get("/api/v1/account/passkeys", &zoe).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.body.as_array().map(Vec::len), Some(1), "{}", list.body);
    assert!(list.body[0]["last_used_at"].is_string(), "{}", list.body);
    // Never key material.
    assert!(!list.body.to_string().contains("cred"), "{}", list.body);
    s.stop().await;
}
on_every_database!(
    ceremonies_are_single_use_expiring_and_shared,
    ceremonies_are_single_use_expiring_and_shared_story
);

async fn refusals_say_what_to_do_and_are_audited_story(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let (zoe_id, zoe) = s
        .user_with_roles(&admin, "zoe", json!([{"role": "Amapien"}]))
        .await;
    let mut phone = Authenticator::new(RP_ID, ORIGIN);

    // A device that does not verify the person is refused at registration…
    phone.verifies = false;
    register_with(&s, &zoe, &mut phone, Value::Null)
        .await
        .problem(422, "credential", "passkey.user_not_verified");
    phone.verifies = true;
    let added = register_with(&s, &zoe, &mut phone, Value::Null).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    // Named after the device by default (this client says nothing of itself).
    assert_eq!(added.body["name"], "Clé d'accès");
    let id = added.body["id"].as_str().expect("id").to_string();
    // …and at sign-in.
    phone.verifies = false;
    let refused = sign_in(&s, &mut phone).await;
    refused.problem(422, "credential", "passkey.user_not_verified");
    phone.verifies = true;

    // A counter that goes backwards: refused, audited as such.
    phone.counter = 10;
    assert_eq!(sign_in(&s, &mut phone).await.status, StatusCode::OK);
    phone.counter = 3;
    let message = sign_in(&s, &mut phone)
        .await
        .problem(422, "credential", "passkey.counter");
    assert!(message.contains("copi"), "{message}");
    phone.counter = 11;
    // A replayed counter (the same as the last one seen) is refused too.
    assert_eq!(sign_in(&s, &mut phone).await.status, StatusCode::OK);
    phone.counter = 11;
    sign_in(&s, &mut phone)
        .await
        .problem(422, "credential", "passkey.counter");
    let audit = s
        .get("/api/v1/audit?limit=200", &admin)
        .await
        .body
        .to_string();
    for needle in [
        "passkey.add",
        "passkey.counter_regressed",
        "passkey_user_not_verified",
        "passkey_counter_regressed",
    ] {
        assert!(audit.contains(needle), "{needle} audited: {audit}");
    }

    // With a passkey, the password alone no longer signs in: the second factor is asked.
    s.sign_in("zoe", USER_PASSWORD, None)
        .await
        .problem(401, "totp", "mfa.code_required");
    let status = s.get("/api/v1/account/mfa", &zoe).await;
    assert_eq!(status.body["passkeys"], 1, "{}", status.body);

    // Renamed; a bad name refused on its field.
    s.patch(
        &format!("/api/v1/account/passkeys/{id}"),
        &zoe,
        json!({"name": " "}),
    )
    .await
    .problem(422, "name", "passkey.name_empty");
    let renamed = s
        .patch(
            &format!("/api/v1/account/passkeys/{id}"),
            &zoe,
            json!({"name": "Ordinateur"}),
        )
        .await;
    assert_eq!(renamed.body["name"], "Ordinateur", "{}", renamed.body);

    // Removal needs the password; then the passkey no longer signs in.
    s.post(
        &format!("/api/v1/account/passkeys/{id}/remove"),
        &zoe,
        json!({"password": "not the password"}),
    )
    .await
    .problem(422, "password", "password.incorrect");
    let removed = s
        .post(
            &format!("/api/v1/account/passkeys/{id}/remove"),
            &zoe,
            json!({"password": USER_PASSWORD}),
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
    sign_in(&s, &mut phone)
        .await
        .problem(401, "", "passkey.unknown");
    let outbox = s.get("/api/v1/outbox", &admin).await.body.to_string();
    assert!(outbox.contains("passkey_added"), "{outbox}");
    assert!(outbox.contains("passkey_removed"), "{outbox}");

    // An administrator removes someone's passkeys (lost device): audited; twice is refused.
    let mut laptop = Authenticator::new(RP_ID, ORIGIN);
    let added = register_with(&s, &zoe, &mut laptop, json!("Portable")).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let reset = s
        .delete(&format!("/api/v1/users/{zoe_id}/passkeys"), &admin)
        .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT, "{}", reset.body);
    s.delete(&format!("/api/v1/users/{zoe_id}/passkeys"), &admin)
        .await
        .problem(409, "", "passkey.none");
    sign_in(&s, &mut laptop)
        .await
        .problem(401, "", "passkey.unknown");
    // The same from the person's Access tab: a button of its own, shown while they have one.
    let mut tablet = Authenticator::new(RP_ID, ORIGIN);
    let added = register_with(&s, &zoe, &mut tablet, json!("Tablette")).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let browser =
        crate::web_pages::Browser::signed_in(&s, "admin", crate::harness::ADMIN_PASSWORD).await;
    let (_, html) = browser.get(&format!("/users/{zoe_id}?tab=access")).await;
    assert!(
        html.contains("id=\"remove-passkeys\">Retirer les clés d’accès"),
        "{html}"
    );
    assert!(
        html.contains("retirez la clé d’accès de cette personne"),
        "{html}"
    );
    let (status, _) = browser
        .post(
            &format!("/users/{zoe_id}/remove-passkeys"),
            &[("csrf", crate::web_pages::CSRF)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    sign_in(&s, &mut tablet)
        .await
        .problem(401, "", "passkey.unknown");
    let (_, html) = browser.get(&format!("/users/{zoe_id}?tab=access")).await;
    assert!(
        !html.contains("id=\"remove-passkeys\""),
        "no passkey left: no button"
    );
    // Resetting two-factor removes passkeys too (`sesame user reset-2fa` calls the same).
    let mut key = Authenticator::new(RP_ID, ORIGIN);
    let added = register_with(&s, &zoe, &mut key, Value::Null).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let reset = s
        .delete(&format!("/api/v1/users/{zoe_id}/mfa"), &admin)
        .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT, "{}", reset.body);
    assert_eq!(
        s.get("/api/v1/account/passkeys", &zoe).await.body,
        json!([])
    );
    let audit = s
        .get("/api/v1/audit?limit=200", &admin)
        .await
        .body
        .to_string();
    assert!(audit.contains("passkey.reset"), "{audit}");
    assert!(audit.contains("passkey.remove"), "{audit}");
    s.stop().await;
}
on_every_database!(
    refusals_say_what_to_do_and_are_audited,
    refusals_say_what_to_do_and_are_audited_story
);

/// Makes `tresorier`, whose role the organisation then requires two-factor of with no grace
/// period: the rule applies at once (tests/it/grace.rs has the period).
async fn treasurer_must_enrol(s: &Server, admin: &str) {
    s.user_with_roles(admin, "tresorier", json!([{"role": "Trésorier"}]))
        .await;
    let set = s
        .patch(
            "/api/v1/settings",
            admin,
            json!({"two_factor_roles": ["Trésorier"], "two_factor_grace_days": 0}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
}

async fn a_passkey_satisfies_the_roles_that_require_two_factor_story(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    treasurer_must_enrol(&s, &admin).await;
    // A session opened before the rule stays whole (tests/it/grace.rs); the next sign-in
    // opens one that may only enrol, and may add a passkey…
    let treasurer = s.login("tresorier", USER_PASSWORD).await;
    let me = s.get("/api/v1/me", &treasurer).await;
    assert_eq!(me.body["mfa_enrolment_required"], true, "{}", me.body);
    let mut phone = Authenticator::new(RP_ID, ORIGIN);
    let added = register_with(&s, &treasurer, &mut phone, Value::Null).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    // …which opens everything, in the same session and in a passkey sign-in.
    assert_eq!(
        s.get("/api/v1/users", &treasurer).await.status,
        StatusCode::OK
    );
    let signed = sign_in(&s, &mut phone).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    assert_eq!(signed.body["mfa_enrolment_required"], false);
    // The last second factor cannot be removed while the role requires one.
    let id = added.body["id"].as_str().expect("id");
    s.post(
        &format!("/api/v1/account/passkeys/{id}/remove"),
        &treasurer,
        json!({"password": USER_PASSWORD}),
    )
    .await
    .problem(409, "", "passkey.required_by_role");
    s.stop().await;
}
on_every_database!(
    a_passkey_satisfies_the_roles_that_require_two_factor,
    a_passkey_satisfies_the_roles_that_require_two_factor_story
);

/// The API's sign-in in two steps: the password answers a ticket and what the person may
/// finish with; a passkey (or a code) finishes it, once.
async fn the_api_takes_a_passkey_as_the_second_factor_story(db: &Db) {
    let server = Server::start(db).await;
    // Borrowed, so that the two closures below may each hold it.
    let s = &server;
    let admin = s.init(Profile::Amap).await;
    s.user_with_roles(&admin, "zoe", json!([{"role": "Amapien"}]))
        .await;
    let password_step = || async move {
        s.call(
            reqwest::Method::POST,
            "/api/v1/auth/login/password",
            None,
            Some(json!({"login": "zoe", "password": USER_PASSWORD})),
        )
        .await
    };
    let step = |path: &'static str, body: Value| async move {
        s.call(reqwest::Method::POST, path, None, Some(body)).await
    };
    // No second factor: the password signs in at once.
    let first = password_step().await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let zoe = first.body["token"].as_str().expect("token").to_string();
    // A wrong password is refused as by the one-step sign-in.
    s.call(
        reqwest::Method::POST,
        "/api/v1/auth/login/password",
        None,
        Some(json!({"login": "zoe", "password": "not the password"})),
    )
    .await
    .problem(401, "", "auth.failed");

    // With a passkey: a ticket, and the passkey as what finishes it.
    let mut phone = Authenticator::new(RP_ID, ORIGIN);
    let added = register_with(s, &zoe, &mut phone, Value::Null).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let begun = password_step().await;
    assert_eq!(begun.status, StatusCode::ACCEPTED, "{}", begun.body);
    assert_eq!(
        begun.body["second_factors"],
        json!({"code": false, "passkey": true})
    );
    assert!(begun.body.get("token").is_none(), "no session yet");
    let ticket = begun.body["ticket"].clone();
    let o = step(
        "/api/v1/auth/login/passkey/options",
        json!({"ticket": ticket}),
    )
    .await;
    assert_eq!(o.status, StatusCode::OK, "{}", o.body);
    let credential = phone.assert(&o.body["public_key"]);
    let body = json!({"ticket": ticket, "ceremony": o.body["ceremony"], "credential": credential});
    let signed = step("/api/v1/auth/login/passkey", body.clone()).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    let token = signed.body["token"].as_str().expect("token");
    assert_eq!(s.get("/api/v1/me", token).await.status, StatusCode::OK);
    let amrs = session_amrs(s).await;
    assert!(amrs.contains(&"pwd hwk user mfa".to_string()), "{amrs:?}");
    // The ticket is spent: neither a replay nor new options.
    step("/api/v1/auth/login/passkey", body)
        .await
        .problem(401, "", "auth.code_step_expired");
    step(
        "/api/v1/auth/login/passkey/options",
        json!({"ticket": ticket}),
    )
    .await
    .problem(401, "", "auth.code_step_expired");
    step(
        "/api/v1/auth/login/code",
        json!({"ticket": "sic_made-up", "code": "123456"}),
    )
    .await
    .problem(401, "", "auth.code_step_expired");

    // With an authenticator app as well: both offered; a wrong code leaves the ticket usable.
    let e = s.post("/api/v1/account/mfa/totp", &zoe, json!({})).await;
    assert_eq!(e.status, StatusCode::CREATED, "{}", e.body);
    let secret = e.body["secret"].as_str().expect("secret").to_string();
    let c = s
        .post(
            "/api/v1/account/mfa/totp/confirm",
            &zoe,
            json!({"code": crate::harness::pyotp_code(&secret, crate::harness::unix_now())}),
        )
        .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    let begun = password_step().await;
    assert_eq!(begun.status, StatusCode::ACCEPTED, "{}", begun.body);
    assert_eq!(
        begun.body["second_factors"],
        json!({"code": true, "passkey": true})
    );
    let ticket = begun.body["ticket"].clone();
    let wrong = step(
        "/api/v1/auth/login/code",
        json!({"ticket": ticket, "code": "000000"}),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.body);
    let code = crate::harness::pyotp_code(&secret, crate::harness::unix_now() + 30);
    let signed = step(
        "/api/v1/auth/login/code",
        json!({"ticket": ticket, "code": code}),
    )
    .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    assert_eq!(signed.body["user"]["login"], "zoe");
    server.stop().await;
}
on_every_database!(
    the_api_takes_a_passkey_as_the_second_factor,
    the_api_takes_a_passkey_as_the_second_factor_story
);

/// Browsers refuse WebAuthn on a bare IP address: a server whose public address has no domain
/// name says so and what to do.
async fn an_address_without_a_domain_name_cannot_hold_passkeys_story(db: &Db) {
    let s = Server::start_public(db).await;
    let admin = s.init(Profile::Amap).await;
    let message = s
        .post("/api/v1/account/passkeys/options", &admin, json!({}))
        .await
        .problem(409, "", "passkey.unavailable");
    assert!(message.contains("--public-url"), "{message}");
    s.stop().await;
}
on_every_database!(
    an_address_without_a_domain_name_cannot_hold_passkeys,
    an_address_without_a_domain_name_cannot_hold_passkeys_story
);

/// The browser story (`tests/browser/passkeys.mjs`): Chromium's virtual authenticator adds a
/// passkey under My account, signs in with it without a login (button, then conditional UI),
/// as the second factor after the password, is refused without user verification, no longer
/// signs in once removed, and alone completes the enrolment a role requires; axe-core on every
/// new page.
async fn passkeys_in_chromium_story(db: &Db) {
    let s = Server::start_localhost(db).await;
    let admin = s.init(Profile::Amap).await;
    s.user_with_roles(&admin, "zoe", json!([{"role": "Amapien"}]))
        .await;
    // The treasurer's sign-in leads only to enrolment, which a passkey alone completes.
    treasurer_must_enrol(&s, &admin).await;
    let dir = tempfile::tempdir().expect("dir");
    let state = dir.path().join("state.json");
    std::fs::write(
        &state,
        json!({"sesame": s.base, "login": "zoe", "password": USER_PASSWORD, "enrol_login": "tresorier"})
            .to_string(),
    )
    .expect("state");
    tokio::task::spawn_blocking(move || {
        crate::harness::run_browser_story("passkeys.mjs", &state, "passkeys story passed")
    })
    .await
    .expect("join");
    // How each session was opened, for the applications (`amr`): a passkey alone, then the
    // password with a passkey as the second factor.
    let amrs = session_amrs(&s).await;
    for amr in ["pwd", "hwk user", "pwd hwk user mfa"] {
        assert!(amrs.contains(&amr.to_string()), "{amr} in {amrs:?}");
    }
    // What the browser did is in the audit log: added, used, removed.
    let audit = s
        .get("/api/v1/audit?limit=200", &admin)
        .await
        .body
        .to_string();
    for action in ["passkey.add", "passkey.remove", "auth.sign_in_failed"] {
        assert!(audit.contains(action), "{action} audited");
    }
    s.stop().await;
}
on_every_database!(passkeys_in_chromium, passkeys_in_chromium_story);

/// The `amr` of the sessions opened so far, one of each.
async fn session_amrs(s: &Server) -> Vec<String> {
    let mut amrs: Vec<String> =
        sqlx::query_scalar("SELECT amr FROM tokens WHERE kind = 'session' AND amr IS NOT NULL")
            .fetch_all(s.app.store.pool())
            .await
            .expect("sessions' amr");
    amrs.sort();
    amrs.dedup();
    amrs
}
