use super::*;

/// A fresh SQLite database with its keys made.
async fn app() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = sesame_store::Store::sqlite_url(dir.path());
    let app = App::new(sesame_store::Store::connect(&url).await.expect("store"));
    ensure(&app).await.expect("keys made");
    (app, dir)
}

fn claims() -> Value {
    json!({
        "iss": "https://sesame.example/o/lilas",
        "sub": "0190d1c2-0000-7000-8000-000000000001",
        "aud": "wordpress",
        "iat": 1_700_000_000,
        "exp": 4_000_000_000u64,
        "nonce": "n-0S6_WzA2Mj",
    })
}

fn kid_of(jws: &str) -> String {
    jsonwebtoken::decode_header(jws)
        .expect("header")
        .kid
        .expect("kid")
}

async fn keys_in(app: &App, alg: Alg, state: &str) -> Vec<KeyInfo> {
    let mut conn = app.store.read().await.unwrap();
    signing_keys::list(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .filter(|k| k.alg == alg.as_str() && k.state == state)
        .collect()
}

fn jwks_kids(jwks: &Value) -> Vec<String> {
    jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| k["kid"].as_str().expect("kid").to_string())
        .collect()
}

#[test]
fn names_parse_back() {
    for alg in Alg::ALL {
        assert_eq!(Alg::parse(alg.as_str()), Some(alg));
    }
    assert_eq!(Alg::parse("rs256"), None);
    assert_eq!(Alg::parse("HS256"), None);
    assert_eq!(Alg::parse("none"), None);
}

#[tokio::test]
async fn signs_and_verifies_with_both_algorithms() {
    let (app, _dir) = app().await;
    for alg in Alg::ALL {
        let jws = sign(&app, alg, Some("JWT"), &claims()).await.unwrap();
        let header = jsonwebtoken::decode_header(&jws).unwrap();
        assert_eq!(header.alg, alg.jwt());
        assert_eq!(header.typ.as_deref(), Some("JWT"));
        assert_eq!(
            header.kid.as_deref(),
            Some(keys_in(&app, alg, "current").await[0].kid.as_str())
        );
        assert_eq!(verify(&app, &jws, true).await.unwrap(), Some(claims()));

        // typ left out when not asked for.
        let bare = sign(&app, alg, None, &claims()).await.unwrap();
        assert_eq!(jsonwebtoken::decode_header(&bare).unwrap().typ, None);

        // A changed payload, a changed signature, a token cut short: not ours.
        let parts: Vec<&str> = jws.split('.').collect();
        let forged_payload = URL_SAFE_NO_PAD.encode(
            json!({ "sub": "someone-else", "exp": 4_000_000_000u64 })
                .to_string()
                .as_bytes(),
        );
        let forged = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
        assert_eq!(verify(&app, &forged, true).await.unwrap(), None);
        let mut sig = parts[2].to_string();
        sig.replace_range(..2, if sig.starts_with("AA") { "BB" } else { "AA" });
        let bad_sig = format!("{}.{}.{}", parts[0], parts[1], sig);
        assert_eq!(verify(&app, &bad_sig, true).await.unwrap(), None);
        assert_eq!(
            verify(&app, &parts[..2].join("."), true).await.unwrap(),
            None
        );
    }
    assert_eq!(verify(&app, "", true).await.unwrap(), None);
    assert_eq!(verify(&app, "not.a.token", true).await.unwrap(), None);
}

#[tokio::test]
async fn refuses_other_keys_algorithms_and_expired_tokens_when_asked() {
    let (app, _dir) = app().await;
    let rsa = sign(&app, Alg::Rs256, None, &claims()).await.unwrap();
    let ed = sign(&app, Alg::EdDsa, None, &claims()).await.unwrap();

    // The RSA token's header naming the Ed25519 key: refused (the algorithm is the key's).
    let (_, rest) = rsa.split_once('.').unwrap();
    let header = URL_SAFE_NO_PAD.encode(
        json!({ "alg": "RS256", "kid": kid_of(&ed) })
            .to_string()
            .as_bytes(),
    );
    assert_eq!(
        verify(&app, &format!("{header}.{rest}"), false)
            .await
            .unwrap(),
        None
    );
    // An unknown kid, and no kid at all.
    for h in [
        json!({ "alg": "RS256", "kid": "unknown" }),
        json!({ "alg": "RS256" }),
    ] {
        let header = URL_SAFE_NO_PAD.encode(h.to_string().as_bytes());
        assert_eq!(
            verify(&app, &format!("{header}.{rest}"), false)
                .await
                .unwrap(),
            None
        );
    }
    // `alg: none` with no signature.
    let none = URL_SAFE_NO_PAD.encode(
        json!({ "alg": "none", "kid": kid_of(&rsa) })
            .to_string()
            .as_bytes(),
    );
    let payload = rest.split_once('.').unwrap().0;
    assert_eq!(
        verify(&app, &format!("{none}.{payload}."), false)
            .await
            .unwrap(),
        None
    );

    // Expired: refused when the expiry counts, accepted as an id_token_hint.
    let mut old = claims();
    old["exp"] = json!(1_000_000_000);
    for alg in Alg::ALL {
        let jws = sign(&app, alg, Some("JWT"), &old).await.unwrap();
        assert_eq!(verify(&app, &jws, true).await.unwrap(), None);
        assert_eq!(verify(&app, &jws, false).await.unwrap(), Some(old.clone()));
    }
    // No expiry at all: refused when it counts.
    let mut no_exp = claims();
    no_exp.as_object_mut().unwrap().remove("exp");
    let jws = sign(&app, Alg::Rs256, None, &no_exp).await.unwrap();
    assert_eq!(verify(&app, &jws, true).await.unwrap(), None);
    assert_eq!(verify(&app, &jws, false).await.unwrap(), Some(no_exp));
}

#[tokio::test]
async fn ensure_makes_one_current_and_one_next_key_per_algorithm_once() {
    let (app, _dir) = app().await;
    let before = {
        let mut conn = app.store.read().await.unwrap();
        signing_keys::list(&mut conn).await.unwrap()
    };
    assert_eq!(before.len(), 4);
    ensure(&app).await.unwrap();
    let after = {
        let mut conn = app.store.read().await.unwrap();
        signing_keys::list(&mut conn).await.unwrap()
    };
    assert_eq!(before, after, "a second start makes nothing");
    for alg in Alg::ALL {
        assert_eq!(keys_in(&app, alg, "current").await.len(), 1);
        assert_eq!(keys_in(&app, alg, "next").await.len(), 1);
    }
}

#[tokio::test]
async fn the_jwks_publishes_the_next_key_before_it_signs_and_no_private_material() {
    let (app, _dir) = app().await;
    let jwks = jwks(&app).await.unwrap();
    let kids = jwks_kids(&jwks);
    assert_eq!(kids.len(), 4);
    for alg in Alg::ALL {
        let next = keys_in(&app, alg, "next").await.remove(0);
        assert!(kids.contains(&next.kid), "next {alg:?} key published");
        let current = keys_in(&app, alg, "current").await.remove(0);
        assert!(kids.contains(&current.kid));
    }
    // The current keys come first, RS256 first of all.
    assert_eq!(kids[0], keys_in(&app, Alg::Rs256, "current").await[0].kid);
    for key in jwks["keys"].as_array().unwrap() {
        let members: Vec<&str> = key
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(key["use"], "sig");
        match key["kty"].as_str().unwrap() {
            "RSA" => {
                assert_eq!(key["alg"], "RS256");
                let mut m = members.clone();
                m.sort_unstable();
                assert_eq!(m, ["alg", "e", "kid", "kty", "n", "use"]);
                assert_eq!(key["e"], "AQAB");
                // 2048 bits.
                let n = URL_SAFE_NO_PAD.decode(key["n"].as_str().unwrap()).unwrap();
                assert_eq!(n.len(), 256);
            }
            "OKP" => {
                assert_eq!(key["alg"], "EdDSA");
                assert_eq!(key["crv"], "Ed25519");
                let mut m = members.clone();
                m.sort_unstable();
                assert_eq!(m, ["alg", "crv", "kid", "kty", "use", "x"]);
            }
            other => panic!("unexpected kty {other}"),
        }
        // The kid is the RFC 7638 thumbprint of the public key.
        let required = match key["kty"].as_str().unwrap() {
            "RSA" => json!({ "e": key["e"], "kty": "RSA", "n": key["n"] }),
            _ => json!({ "crv": "Ed25519", "kty": "OKP", "x": key["x"] }),
        };
        assert_eq!(key["kid"].as_str().unwrap(), thumbprint(&required));
    }
    let text = jwks.to_string();
    for private in [
        "\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"", "PRIVATE",
    ] {
        assert!(!text.contains(private), "{private} in the JWKS");
    }
    // The list for the operator carries no material either.
    let listed = serde_json::to_string(&list(&app).await.unwrap()).unwrap();
    assert!(!listed.contains("PRIVATE") && !listed.contains("\"n\""));
}

#[tokio::test]
async fn rotation_keeps_old_tokens_verifying_and_signs_new_ones_with_the_next_key() {
    let (app, _dir) = app().await;
    let mut before = HashMap::new();
    for alg in Alg::ALL {
        let jws = sign(&app, alg, Some("JWT"), &claims()).await.unwrap();
        let next = keys_in(&app, alg, "next").await.remove(0).kid;
        before.insert(alg, (jws, next));
    }
    let rotation = rotate(&app).await.unwrap();
    assert_eq!(rotation.rotated.len(), 2);
    assert_eq!(rotation.deleted, 0);
    let jwks = jwks(&app).await.unwrap();
    let kids = jwks_kids(&jwks);
    assert_eq!(kids.len(), 6, "current, next and retired of each");
    for r in &rotation.rotated {
        let (old, next) = &before[&r.alg];
        assert_eq!(r.retired, kid_of(old));
        assert_eq!(&r.current, next, "the published next key signs now");
        assert_ne!(&r.next, next);
        // Signed before the rotation: still verifies.
        assert_eq!(verify(&app, old, true).await.unwrap(), Some(claims()));
        // Signed after: with the former next key, at once.
        let new = sign(&app, r.alg, Some("JWT"), &claims()).await.unwrap();
        assert_eq!(&kid_of(&new), next);
        assert_eq!(verify(&app, &new, true).await.unwrap(), Some(claims()));
        for kid in [&r.retired, &r.current, &r.next] {
            assert!(kids.contains(kid));
        }
        let retired = keys_in(&app, r.alg, "retired").await.remove(0);
        assert!(retired.retired_at.is_some());
        assert_eq!(
            keys_in(&app, r.alg, "current").await[0].kid,
            r.current,
            "one current key"
        );
    }
}

#[tokio::test]
async fn a_rotation_by_someone_else_takes_effect_at_once() {
    let (app, _dir) = app().await;
    // Another instance (or the command line) on the same database: its own App, own pool.
    let other = App::new(app.store.clone());
    let first = sign(&app, Alg::Rs256, None, &claims()).await.unwrap();
    let rotation = rotate(&other).await.unwrap();
    let then = sign(&app, Alg::Rs256, None, &claims()).await.unwrap();
    assert_ne!(kid_of(&first), kid_of(&then));
    assert_eq!(kid_of(&then), rotation.rotated[0].current);
}

#[tokio::test]
async fn two_rotations_of_the_same_key_make_one() {
    let (app, _dir) = app().await;
    let current = keys_in(&app, Alg::EdDsa, "current").await.remove(0).kid;
    let now = sesame_store::now_ms();
    let (a, b) = tokio::join!(
        rotate_alg(&app, Alg::EdDsa, &current, now),
        rotate_alg(&app, Alg::EdDsa, &current, now)
    );
    let done: Vec<_> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
    assert_eq!(done.len(), 1, "one of the two rotated");
    assert_eq!(keys_in(&app, Alg::EdDsa, "retired").await.len(), 1);
    assert_eq!(keys_in(&app, Alg::EdDsa, "next").await.len(), 1);
    assert_eq!(keys_in(&app, Alg::EdDsa, "current").await.len(), 1);
}

#[tokio::test]
async fn the_schedule_rotates_old_keys_and_deletes_retired_ones_kept_long_enough() {
    let (app, _dir) = app().await;
    let now = sesame_store::now_ms();
    // Young keys: nothing to do.
    assert_eq!(rotate_due(&app, now).await.unwrap(), Rotation::default());
    assert_eq!(
        rotate_due(&app, now + ROTATE_AFTER_MS - 60_000)
            .await
            .unwrap(),
        Rotation::default()
    );
    // Old enough: both rotate, once.
    let at = now + ROTATE_AFTER_MS + 1;
    let first = rotate_due(&app, at).await.unwrap();
    assert_eq!(first.rotated.len(), 2);
    assert_eq!(rotate_due(&app, at).await.unwrap().rotated.len(), 0);
    let old = sign(&app, Alg::Rs256, None, &claims()).await.unwrap();

    // The retired keys stay until RETIRED_KEEP_MS has passed since their retirement.
    let kept = rotate_due(&app, at + RETIRED_KEEP_MS - 1).await.unwrap();
    assert_eq!(kept, Rotation::default());
    for alg in Alg::ALL {
        assert_eq!(keys_in(&app, alg, "retired").await.len(), 1);
    }
    let gone = rotate_due(&app, at + RETIRED_KEEP_MS + 1).await.unwrap();
    assert_eq!(gone.deleted, 2);
    assert!(gone.rotated.is_empty());
    for alg in Alg::ALL {
        assert!(keys_in(&app, alg, "retired").await.is_empty());
    }
    // The key that signed `old` is still current (rotated at `at`, not since): it verifies.
    assert!(verify(&app, &old, true).await.unwrap().is_some());
}

#[tokio::test]
async fn a_token_of_a_deleted_key_no_longer_verifies() {
    let (app, _dir) = app().await;
    let old = sign(&app, Alg::EdDsa, None, &claims()).await.unwrap();
    rotate(&app).await.unwrap();
    assert!(verify(&app, &old, false).await.unwrap().is_some());
    let later = sesame_store::now_ms() + RETIRED_KEEP_MS + 1;
    assert_eq!(forget_retired(&app, later).await.unwrap(), 2);
    assert_eq!(verify(&app, &old, false).await.unwrap(), None);
    assert!(!jwks_kids(&jwks(&app).await.unwrap()).contains(&kid_of(&old)));
}

#[tokio::test]
async fn sign_makes_the_keys_of_a_database_that_has_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = sesame_store::Store::sqlite_url(dir.path());
    let app = App::new(sesame_store::Store::connect(&url).await.expect("store"));
    let jws = sign(&app, Alg::EdDsa, None, &claims()).await.unwrap();
    assert!(verify(&app, &jws, true).await.unwrap().is_some());
}

#[tokio::test]
async fn the_jwks_of_a_database_that_has_no_keys_yet_makes_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = sesame_store::Store::sqlite_url(dir.path());
    let app = App::new(sesame_store::Store::connect(&url).await.expect("store"));
    assert_eq!(jwks_kids(&jwks(&app).await.unwrap()).len(), 4);
}
