//! Password guessing is slowed per account and per address, without locking out colleagues or
//! telling known logins from unknown ones; outdated password hashes are renewed at sign-in.

use crate::harness::{Db, Server, USER_PASSWORD};
use crate::on_every_database;
use reqwest::StatusCode;
use serde_json::json;
use sesame_app::auth::throttle::{Limits, Policy};
use sesame_core::Profile;

async fn guessing_is_slowed_not_locked(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let _ = s
        .user_with_roles(&admin, "zoe", json!([{"role": "Amapien"}]))
        .await;
    let _ = s
        .user_with_roles(&admin, "colleague", json!([{"role": "Amapien"}]))
        .await;

    // An absurdly long password is refused before any hashing, and counts for nothing.
    s.sign_in("zoe", &"x".repeat(10_000), None)
        .await
        .problem(422, "password", "password.too_long");
    // Five wrong passwords are answered as such…
    for _ in 0..5 {
        s.sign_in("zoe", "mauvais mot de passe", None)
            .await
            .problem(401, "", "auth.failed");
    }
    // … then the account waits, even with the right password, and is told how long.
    let a = s.sign_in("zoe", USER_PASSWORD, None).await;
    let msg = a.problem(429, "", "auth.throttled");
    let retry: u64 = a
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=15).contains(&retry), "{retry}");
    assert!(
        msg.contains(&retry.to_string()) || msg.contains("15"),
        "{msg}"
    );
    assert_eq!(a.body["type"], "urn:sesame:problem:throttled");
    // A colleague behind the same address is not locked out.
    assert_eq!(
        s.sign_in("colleague", USER_PASSWORD, None).await.status,
        StatusCode::OK
    );
    // An unknown login gets exactly the same answers.
    for _ in 0..5 {
        let a = s.sign_in("nobody", "mauvais mot de passe", None).await;
        a.problem(401, "", "auth.failed");
    }
    s.sign_in("nobody", "x", None)
        .await
        .problem(429, "", "auth.throttled");
    // The e-mail reaches the same account, and its counter.
    s.sign_in("zoe@example.org", USER_PASSWORD, None)
        .await
        .problem(429, "", "auth.throttled");

    // Once the delay has passed (aged here), the right password works and clears the count.
    let mut conn = s.app.store.read().await.expect("conn");
    sqlx::query("UPDATE sign_in_failures SET last_at = last_at - 16000")
        .execute(&mut *conn)
        .await
        .expect("age");
    drop(conn);
    s.app.blocked.clear();
    assert_eq!(
        s.sign_in("zoe", USER_PASSWORD, None).await.status,
        StatusCode::OK
    );
    s.sign_in("zoe", "mauvais", None)
        .await
        .problem(401, "", "auth.failed");

    // Every failure is audited, with the count and the delay it triggered.
    let audit = s
        .get("/api/v1/audit?action=auth.sign_in_failed", &admin)
        .await;
    let items = audit.body["items"].as_array().expect("items");
    assert!(items.len() >= 11, "{}", audit.body);
    assert!(
        items.iter().any(|e| e["after"]["blocked_for_secs"] == 15
            && e["target"] == "zoe"
            && e["target_id"].is_string()),
        "{}",
        audit.body
    );
    assert!(
        items
            .iter()
            .any(|e| e["target"] == "nobody" && e["target_id"].is_null())
    );
    s.stop().await;
}

async fn one_address_cannot_try_many_accounts(db: &Db) {
    // A low address threshold, to see it without hundreds of hashes.
    let s = Server::start_with(db, |app| {
        app.throttle = Policy {
            address: Limits {
                free: 6,
                first_delay_secs: 60,
                max_delay_secs: 600,
            },
            ..Policy::default()
        }
    })
    .await;
    let admin = s.init(Profile::Generic).await;
    let _ = s
        .user_with_roles(&admin, "lea", json!([{"role": "Membre"}]))
        .await;
    for i in 0..6 {
        s.sign_in(&format!("someone{i}"), "guess", None)
            .await
            .problem(401, "", "auth.failed");
    }
    let a = s.sign_in("lea", USER_PASSWORD, None).await;
    a.problem(429, "", "auth.throttled");
    assert_eq!(
        a.headers.get("retry-after").and_then(|v| v.to_str().ok()),
        Some("60")
    );
    s.stop().await;
}

async fn outdated_hashes_are_renewed_at_sign_in(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Generic).await;
    let (id, _) = s
        .user_with_roles(&admin, "lea", json!([{"role": "Membre"}]))
        .await;
    let org = s.app.org(None).await.expect("org");
    let weak =
        sesame_app::password::hash_with_params(&USER_PASSWORD.to_string().into(), 4096, 1, 1)
            .expect("hash");
    let mut tx = s.app.store.begin().await.expect("tx");
    let none: [sesame_core::policy::Grant; 0] = [];
    let proof = sesame_core::policy::Actor::operator(org.id())
        .may_edit(&sesame_core::policy::Subject {
            user_id: &id,
            groups: &[],
            grants: &none,
        })
        .expect("the operator may edit");
    sesame_store::users::set_password_hash(&mut tx, &proof, Some(&weak), 0)
        .await
        .expect("store weak hash");
    tx.commit().await.expect("commit");
    let read = || async {
        let mut conn = s.app.store.read().await.expect("conn");
        sesame_store::users::for_sign_in(&mut conn, org.id(), "lea")
            .await
            .expect("read")
            .and_then(|c| c.password_hash)
            .expect("hash")
    };
    assert!(read().await.contains("m=4096,t=1,p=1"));
    assert_eq!(
        s.sign_in("lea", USER_PASSWORD, None).await.status,
        StatusCode::OK
    );
    let renewed = read().await;
    assert!(
        renewed.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{renewed}"
    );
    assert!(!sesame_app::password::needs_rehash(&renewed));
    assert_eq!(
        s.sign_in("lea", USER_PASSWORD, None).await.status,
        StatusCode::OK
    );
    s.stop().await;
}

on_every_database!(
    failed_sign_ins_are_throttled_per_account,
    guessing_is_slowed_not_locked
);
on_every_database!(
    failed_sign_ins_are_throttled_per_address,
    one_address_cannot_try_many_accounts
);
on_every_database!(
    password_hashes_are_renewed_when_parameters_change,
    outdated_hashes_are_renewed_at_sign_in
);
