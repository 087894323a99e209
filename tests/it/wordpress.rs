//! Moving in from WordPress (issue 23): members keep the password they know. Their hashes are
//! made by code that is not ours — Python's passlib (phpass, as WordPress wrote up to 6.7),
//! pyca's bcrypt (plain `$2y$`/`$2b$`), and WordPress 6.8's `$wp$2y$` computed in a few lines of
//! Python from its published definition — then each signs in through the API and is found
//! re-hashed with Argon2id in the database.

use crate::harness::{Db, Server, python};
use crate::on_every_database;
use reqwest::StatusCode;
use serde_json::json;
use sesame_core::Profile;

/// The three kinds of legacy hash of `password`, made by Python: (kind, hash).
pub fn legacy_hashes(password: &str) -> Vec<(&'static str, String)> {
    let script = r#"
import sys, hmac, hashlib, base64, bcrypt
from passlib.hash import phpass
pw = sys.argv[1]
# WordPress up to 6.7: PasswordHash(8, true) writes 2^13 rounds ("$P$B").
print(phpass.using(rounds=13).hash(pw.strip()))
# WordPress 6.8 (wp_hash_password): '$wp' . password_hash(base64(hmac_sha384('wp-sha384', trim(pw))), PASSWORD_BCRYPT)
pre = base64.b64encode(hmac.new(b"wp-sha384", pw.strip().encode(), hashlib.sha384).digest())
print("$wp" + bcrypt.hashpw(pre, bcrypt.gensalt(10)).decode().replace("$2b$", "$2y$", 1))
# Plain bcrypt as PHP's password_hash writes it.
print(bcrypt.hashpw(pw.encode(), bcrypt.gensalt(10)).decode().replace("$2b$", "$2y$", 1))
"#;
    let out = std::process::Command::new(python())
        .args(["-c", script, password])
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "passlib/bcrypt: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<String> = text.lines().map(String::from).collect();
    assert_eq!(lines.len(), 3, "{text}");
    ["phpass", "wordpress_bcrypt", "bcrypt"]
        .into_iter()
        .zip(lines)
        .collect()
}

/// The stored hash of `login`, read in the database.
pub async fn stored_hash(s: &Server, login: &str) -> Option<String> {
    let org = s.app.org(None).await.expect("org");
    let mut conn = s.app.store.read().await.expect("conn");
    sesame_store::users::for_sign_in(&mut conn, org.id(), login)
        .await
        .expect("read")
        .and_then(|c| c.password_hash)
}

/// Puts `hash` as `id`'s password, as an import of hashes does.
async fn store_hash(s: &Server, id: &str, hash: &str) {
    let org = s.app.org(None).await.expect("org");
    let mut tx = s.app.store.begin().await.expect("tx");
    let none: [sesame_core::policy::Grant; 0] = [];
    let proof = sesame_core::policy::Actor::operator(org.id())
        .may_edit(&sesame_core::policy::Subject {
            user_id: id,
            groups: &[],
            grants: &none,
        })
        .expect("the operator may edit");
    sesame_store::users::set_password_hash(&mut tx, &proof, Some(hash), 0)
        .await
        .expect("store hash");
    tx.commit().await.expect("commit");
}

/// A WordPress member's password, weak by Sésame's policy (8 characters at least): it is
/// accepted once, as it comes, and the usual rules apply at the next change.
const WEAK: &str = "été2019";
const RIGHT: &str = "Lavande des Lilas 2019";

async fn legacy_hashes_sign_in_and_are_replaced(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    for (i, (kind, hash)) in legacy_hashes(RIGHT).into_iter().enumerate() {
        let login = format!("membre{i}");
        let (id, _) = s
            .user_with_roles(&admin, &login, json!([{"role": "Amapien"}]))
            .await;
        store_hash(&s, &id, &hash).await;
        // Wrong passwords are refused as any wrong password is.
        for wrong in ["lavande des lilas 2019", "", "Lavande des Lilas 2019!"] {
            s.sign_in(&login, wrong, None)
                .await
                .problem(401, "", "auth.failed");
        }
        assert_eq!(
            stored_hash(&s, &login).await.as_deref(),
            Some(hash.as_str())
        );
        // The right one signs in (WordPress trims it, so spaces around do too for its kinds).
        let typed = if kind == "bcrypt" {
            RIGHT.to_string()
        } else {
            format!(" {RIGHT} ")
        };
        let a = s.sign_in(&login, &typed, None).await;
        assert_eq!(a.status, StatusCode::OK, "{kind}: {}", a.body);
        assert!(a.body.get("password_hash").is_none());
        let renewed = stored_hash(&s, &login).await.expect("hash");
        assert!(
            renewed.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{kind} re-hashed: {renewed}"
        );
        assert!(!sesame_app::password::needs_rehash(&renewed));
        let a = s.sign_in(&login, &typed, None).await;
        assert_eq!(a.status, StatusCode::OK, "{kind} again: {}", a.body);
        s.sign_in(&login, "Lavande", None)
            .await
            .problem(401, "", "auth.failed");
    }
    s.stop().await;
}

async fn a_weak_legacy_password_counts_once(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let (id, _) = s
        .user_with_roles(&admin, "lea", json!([{"role": "Amapien"}]))
        .await;
    let (_, phpass) = legacy_hashes(WEAK).remove(0);
    store_hash(&s, &id, &phpass).await;
    s.login("lea", WEAK).await;
    let renewed = stored_hash(&s, "lea").await.expect("hash");
    assert!(renewed.starts_with("$argon2id$"), "{renewed}");
    // Signing in again works with the re-hashed password, weak as it is…
    s.login("lea", WEAK).await;
    // …but choosing it again is held to the policy.
    let org = s.app.org(None).await.expect("org");
    let who = s.app.operator(org);
    let refused = sesame_app::users::set_password(&s.app, &who, &id, WEAK.to_string().into())
        .await
        .expect_err("the policy applies");
    assert!(
        matches!(&refused, sesame_app::Error::Invalid(es) if es.iter().any(|e| e.code == "password.too_short")),
        "{refused:?}"
    );
    s.stop().await;
}

on_every_database!(
    wordpress_hashes_sign_in_and_are_rehashed,
    legacy_hashes_sign_in_and_are_replaced
);
on_every_database!(
    a_weak_wordpress_password_is_accepted_once,
    a_weak_legacy_password_counts_once
);
