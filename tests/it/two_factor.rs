//! Two-factor sign-in: enrolment, codes from an independent implementation (pyotp), replay,
//! recovery codes, turning it off, an administrator's reset, and the organisation's policy.

use crate::harness::{Db, Server, USER_PASSWORD, pyotp_code, python, unix_now};
use crate::on_every_database;
use reqwest::StatusCode;
use serde_json::json;
use sesame_core::Profile;

/// Enrols `token`'s owner; answers the secret and the recovery codes.
async fn enrol(s: &Server, token: &str) -> (String, Vec<String>) {
    let e = s.post("/api/v1/account/mfa/totp", token, json!({})).await;
    assert_eq!(e.status, StatusCode::CREATED, "{}", e.body);
    let secret = e.body["secret"].as_str().expect("secret").to_string();
    let c = s
        .post(
            "/api/v1/account/mfa/totp/confirm",
            token,
            json!({"code": pyotp_code(&secret, unix_now())}),
        )
        .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    let codes = c.body["recovery_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|v| v.as_str().expect("code").to_string())
        .collect();
    (secret, codes)
}

async fn people_enrol_and_sign_in_with_a_code(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let (zoe_id, zoe) = s
        .user_with_roles(&admin, "zoe", json!([{"role": "Amapien"}]))
        .await;

    // Enrolment starts with a secret of 160 bits, a link and a QR code; nothing changes yet.
    let e = s.post("/api/v1/account/mfa/totp", &zoe, json!({})).await;
    assert_eq!(e.status, StatusCode::CREATED, "{}", e.body);
    let secret = e.body["secret"].as_str().expect("secret").to_string();
    assert_eq!(secret.len(), 32);
    let uri = e.body["otpauth_uri"].as_str().expect("uri");
    assert!(
        uri.starts_with("otpauth://totp/AMAP%20des%20Lilas:zoe?"),
        "{uri}"
    );
    assert!(
        e.body["qr_svg"]
            .as_str()
            .is_some_and(|s| s.contains("<svg"))
    );
    assert_eq!(
        s.sign_in("zoe", USER_PASSWORD, None).await.status,
        StatusCode::OK
    );
    // A wrong first code does not turn it on; a malformed one is named.
    s.post(
        "/api/v1/account/mfa/totp/confirm",
        &zoe,
        json!({"code": "000000"}),
    )
    .await
    .problem(422, "code", "mfa.code_invalid");
    s.post(
        "/api/v1/account/mfa/totp/confirm",
        &zoe,
        json!({"code": "12 34"}),
    )
    .await
    .problem(422, "code", "mfa.code_malformed");
    let now = unix_now();
    let c = s
        .post(
            "/api/v1/account/mfa/totp/confirm",
            &zoe,
            json!({"code": pyotp_code(&secret, now)}),
        )
        .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    let recovery: Vec<String> = c.body["recovery_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|v| v.as_str().expect("code").to_string())
        .collect();
    assert_eq!(recovery.len(), 10);
    let status = s.get("/api/v1/account/mfa", &zoe).await;
    assert_eq!(status.body["enabled"], true, "{}", status.body);
    assert_eq!(status.body["recovery_codes_left"], 10);
    // Shown once: nothing gives the secret or the codes again.
    assert!(!status.body.to_string().contains(&secret));
    s.post("/api/v1/account/mfa/totp", &zoe, json!({}))
        .await
        .problem(409, "", "mfa.already_enabled");

    // The password alone no longer signs in; the problem's type says why.
    let a = s.sign_in("zoe", USER_PASSWORD, None).await;
    a.problem(401, "totp", "mfa.code_required");
    assert_eq!(a.body["type"], "urn:sesame:problem:mfa-required");
    let a = s.sign_in("zoe", USER_PASSWORD, Some("1234567")).await;
    a.problem(401, "totp", "mfa.code_malformed");
    assert_eq!(a.body["type"], "urn:sesame:problem:mfa-required");
    // A code two steps away is outside the window; the wrong password still says so first.
    let far = pyotp_code(&secret, now + 90);
    s.sign_in("zoe", USER_PASSWORD, Some(&far))
        .await
        .problem(401, "totp", "mfa.code_invalid");
    let next = pyotp_code(&secret, now + 30);
    s.sign_in("zoe", "not the password", Some(&next))
        .await
        .problem(401, "", "auth.failed");
    // One step of skew is accepted, and a code only once.
    let ok = s.sign_in("zoe", USER_PASSWORD, Some(&next)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    s.sign_in("zoe", USER_PASSWORD, Some(&next))
        .await
        .problem(401, "totp", "mfa.code_reused");

    // A recovery code works once, whatever its case and dashes.
    let typed = recovery[0].to_uppercase().replace('-', " ");
    let ok = s.sign_in("zoe", USER_PASSWORD, Some(&typed)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    s.sign_in("zoe", USER_PASSWORD, Some(&recovery[0]))
        .await
        .problem(401, "totp", "mfa.code_invalid");
    let status = s.get("/api/v1/account/mfa", &zoe).await;
    assert_eq!(status.body["recovery_codes_left"], 9);

    // New recovery codes, with the password: the old ones stop working.
    s.post(
        "/api/v1/account/mfa/recovery-codes",
        &zoe,
        json!({"password": "nope"}),
    )
    .await
    .problem(422, "password", "password.incorrect");
    let fresh = s
        .post(
            "/api/v1/account/mfa/recovery-codes",
            &zoe,
            json!({"password": USER_PASSWORD}),
        )
        .await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.body);
    s.sign_in("zoe", USER_PASSWORD, Some(&recovery[1]))
        .await
        .problem(401, "totp", "mfa.code_invalid");
    let new_code = fresh.body["recovery_codes"][0].as_str().expect("code");
    assert_eq!(
        s.sign_in("zoe", USER_PASSWORD, Some(new_code)).await.status,
        StatusCode::OK
    );

    // Turning it off needs the password.
    s.post(
        "/api/v1/account/mfa/totp/disable",
        &zoe,
        json!({"password": "nope"}),
    )
    .await
    .problem(422, "password", "password.incorrect");
    let off = s
        .post(
            "/api/v1/account/mfa/totp/disable",
            &zoe,
            json!({"password": USER_PASSWORD}),
        )
        .await;
    assert_eq!(off.status, StatusCode::NO_CONTENT, "{}", off.body);
    assert_eq!(
        s.sign_in("zoe", USER_PASSWORD, None).await.status,
        StatusCode::OK
    );

    // An administrator resets someone's two-factor (lost phone); audited.
    let (_, _) = enrol(&s, &zoe).await;
    let reset = s
        .delete(&format!("/api/v1/users/{zoe_id}/mfa"), &admin)
        .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT, "{}", reset.body);
    assert_eq!(
        s.sign_in("zoe", USER_PASSWORD, None).await.status,
        StatusCode::OK
    );
    s.delete(&format!("/api/v1/users/{zoe_id}/mfa"), &admin)
        .await
        .problem(409, "", "mfa.not_enabled");
    // A member may not reset an administrator's.
    let admin_id = s.get("/api/v1/me", &admin).await.body["user"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    s.delete(&format!("/api/v1/users/{admin_id}/mfa"), &zoe)
        .await
        .problem(403, "", "permission.missing");
    let audit = s.get("/api/v1/audit", &admin).await.body.to_string();
    for action in [
        "mfa.enrolment_started",
        "mfa.enable",
        "mfa.recovery_code_used",
        "mfa.recovery_codes_replaced",
        "mfa.disable",
        "mfa.reset",
    ] {
        assert!(audit.contains(action), "{action} audited");
    }
    assert!(!audit.contains(&secret), "no secret in the audit log");
    s.stop().await;
}

async fn roles_can_require_two_factor(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let (_, treasurer) = s
        .user_with_roles(&admin, "tresorier", json!([{"role": "Trésorier"}]))
        .await;
    // The policy names roles; an unknown one is refused with the valid names.
    s.patch(
        "/api/v1/settings",
        &admin,
        json!({"two_factor_roles": ["Trésorerie"]}),
    )
    .await
    .problem(422, "two_factor_roles[0]", "role.unknown");
    let set = s
        .patch(
            "/api/v1/settings",
            &admin,
            json!({"two_factor_roles": ["tresorier"], "two_factor_grace_days": 0}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(set.body["two_factor_roles"], json!(["Trésorier"]));
    assert_eq!(
        s.get("/api/v1/settings", &admin).await.body["two_factor_roles"],
        json!(["Trésorier"])
    );

    // Without a grace period (issue 22), any new session may only enrol; the treasurer's
    // session opened before the rule is not cut off.
    let me = s.get("/api/v1/me", &treasurer).await;
    assert_eq!(me.body["mfa_enrolment_required"], false, "{}", me.body);
    let signed = s.sign_in("tresorier", USER_PASSWORD, None).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    assert_eq!(signed.body["mfa_enrolment_required"], true);
    let fresh = signed.body["token"].as_str().expect("token").to_string();
    {
        let token = &fresh;
        let a = s.get("/api/v1/users", token).await;
        a.problem(403, "", "auth.mfa_enrolment_required");
        assert_eq!(a.body["type"], "urn:sesame:problem:mfa-enrolment-required");
        let me = s.get("/api/v1/me", token).await;
        assert_eq!(me.body["mfa_enrolment_required"], true, "{}", me.body);
    }
    s.post(
        "/api/v1/account/tokens",
        &fresh,
        json!({"name": "contournement"}),
    )
    .await
    .problem(403, "", "auth.mfa_enrolment_required");
    // Enrolling opens everything, in the same session.
    let (secret, _) = enrol(&s, &fresh).await;
    assert_eq!(s.get("/api/v1/users", &fresh).await.status, StatusCode::OK);
    // It cannot be turned off while the role requires it.
    s.post(
        "/api/v1/account/mfa/totp/disable",
        &fresh,
        json!({"password": USER_PASSWORD}),
    )
    .await
    .problem(409, "", "mfa.required_by_role");
    let code = pyotp_code(&secret, unix_now() + 30);
    let again = s.sign_in("tresorier", USER_PASSWORD, Some(&code)).await;
    assert_eq!(
        again.body["mfa_enrolment_required"], false,
        "{}",
        again.body
    );
    // Others are not concerned.
    let member = s
        .user_with_roles(&admin, "amapien", json!([{"role": "Amapien"}]))
        .await
        .1;
    let me = s.get("/api/v1/me", &member).await;
    assert_eq!(me.body["mfa_enrolment_required"], false, "{}", me.body);
    assert_eq!(
        s.get("/api/v1/account/sessions", &member).await.status,
        StatusCode::OK
    );
    s.stop().await;
}

/// pyotp, as the authenticator app, drives the HTTP API from another process.
async fn an_independent_client_enrols_and_signs_in(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Generic).await;
    let _ = s
        .user_with_roles(&admin, "lea", json!([{"role": "Membre"}]))
        .await;
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e/totp_flow.py");
    let base = s.base.clone();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python())
            .arg(script)
            .args([base.as_str(), "lea", USER_PASSWORD])
            .output()
    })
    .await
    .expect("join")
    .expect("run the pyotp client");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}");
    assert!(
        out.status.success(),
        "pyotp client failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("all steps passed"));
    s.stop().await;
}

on_every_database!(
    people_enrol_in_two_factor_and_sign_in_with_codes,
    people_enrol_and_sign_in_with_a_code
);
on_every_database!(
    an_organisation_requires_two_factor_of_some_roles,
    roles_can_require_two_factor
);
on_every_database!(
    pyotp_enrols_signs_in_and_is_refused_replays,
    an_independent_client_enrols_and_signs_in
);
