//! The OpenID Connect signing keys, as the operator and several instances see them: made at
//! the first start, listed and rotated with `sesame keys`, a rotation at the command line taken
//! up at once by a running server, and two instances starting at once on one database making
//! one set of keys.

use crate::cli::sesame;
use crate::harness::{Db, Server};
use crate::on_every_database;
use serde_json::{Value, json};
use sesame_app::App;
use sesame_app::keys::{self, Alg};
use sesame_store::Store;

fn kid_of(jws: &str) -> String {
    let header = jws.split('.').next().expect("header");
    let bytes = base64_url(header);
    let v: Value = serde_json::from_slice(&bytes).expect("header JSON");
    v["kid"].as_str().expect("kid").to_string()
}

fn base64_url(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .expect("base64url")
}

fn of_state<'a>(list: &'a Value, alg: &str, state: &str) -> Vec<&'a Value> {
    list.as_array()
        .expect("list")
        .iter()
        .filter(|k| k["alg"] == alg && k["state"] == state)
        .collect()
}

async fn operator_rotates_the_keys(db: &Db) {
    // The server makes the keys at its first start.
    let s = Server::start(db).await;
    let claims = json!({ "sub": "someone", "aud": "app", "exp": 4_000_000_000u64 });
    let before = keys::sign(&s.app, Alg::Rs256, Some("JWT"), &claims)
        .await
        .expect("sign");

    let r = sesame(db, "en", &["keys", "list", "--json"]);
    assert_eq!(r.status, 0, "{}{}", r.stdout, r.stderr);
    let list: Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(list.as_array().unwrap().len(), 4, "{list}");
    for alg in ["RS256", "EdDSA"] {
        assert_eq!(of_state(&list, alg, "current").len(), 1);
        assert_eq!(of_state(&list, alg, "next").len(), 1);
    }
    assert_eq!(
        of_state(&list, "RS256", "current")[0]["kid"],
        kid_of(&before)
    );
    // Never the keys themselves.
    assert!(!r.stdout.contains("PRIVATE") && !r.stdout.contains("\"n\""));
    let table = sesame(db, "en", &["keys", "list"]);
    assert_eq!(table.status, 0);
    assert!(table.stdout.starts_with("KID"), "{}", table.stdout);
    assert!(table.stdout.contains(&kid_of(&before)));
    assert!(!table.stdout.contains("PRIVATE"));

    let next = of_state(&list, "RS256", "next")[0]["kid"]
        .as_str()
        .unwrap()
        .to_string();
    let r = sesame(db, "en", &["keys", "rotate"]);
    assert_eq!(r.status, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(&kid_of(&before)), "{}", r.stdout);
    assert!(r.stdout.contains(&next), "{}", r.stdout);
    let fr = sesame(db, "fr", &["keys", "rotate", "--json"]);
    assert_eq!(fr.status, 0, "{}{}", fr.stdout, fr.stderr);
    let rotation: Value = serde_json::from_str(&fr.stdout).expect("JSON");
    assert_eq!(rotation["rotated"].as_array().unwrap().len(), 2);

    // The running server signs with the new current key at once, and the token signed before
    // both rotations still verifies.
    let after = keys::sign(&s.app, Alg::Rs256, Some("JWT"), &claims)
        .await
        .expect("sign");
    let rs = rotation["rotated"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["alg"] == "RS256")
        .unwrap();
    assert_eq!(kid_of(&after), rs["current"].as_str().unwrap());
    assert!(keys::verify(&s.app, &before, true).await.unwrap().is_some());
    let jwks = keys::jwks(&s.app).await.unwrap();
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids.len(), 8, "2 retired, current and next per algorithm");
    assert!(kids.contains(&kid_of(&before).as_str()));
    assert!(kids.contains(&rs["next"].as_str().unwrap()));
    s.stop().await;
}
on_every_database!(
    the_operator_lists_and_rotates_the_signing_keys,
    operator_rotates_the_keys
);

async fn instances_start_at_once(db: &Db) {
    let a = App::new(Store::connect(&db.url).await.expect("store"));
    let b = App::new(Store::connect(&db.url).await.expect("store"));
    let (ra, rb) = tokio::join!(keys::ensure(&a), keys::ensure(&b));
    ra.expect("first instance");
    rb.expect("second instance");
    let list = keys::list(&a).await.unwrap();
    assert_eq!(list.len(), 4, "{list:?}");
    // Both sign with the same current keys.
    for alg in Alg::ALL {
        let x = keys::sign(&a, alg, None, &json!({"n": 1})).await.unwrap();
        let y = keys::sign(&b, alg, None, &json!({"n": 2})).await.unwrap();
        assert_eq!(kid_of(&x), kid_of(&y));
        assert!(keys::verify(&b, &x, false).await.unwrap().is_some());
    }
    // Both find the keys due at once: one rotates.
    let due = sesame_store::now_ms() + keys::ROTATE_AFTER_MS;
    let (ra, rb) = tokio::join!(keys::rotate_due(&a, due), keys::rotate_due(&b, due));
    let rotated = ra.unwrap().rotated.len() + rb.unwrap().rotated.len();
    assert_eq!(rotated, 2, "each algorithm rotated once");
    assert_eq!(keys::list(&a).await.unwrap().len(), 6);
    a.store.close().await;
    b.store.close().await;
}
on_every_database!(
    two_instances_starting_at_once_make_one_set_of_keys,
    instances_start_at_once
);
