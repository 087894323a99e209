//! The signing half of the OpenID Connect benchmark (issue 21): ID tokens signed per second with
//! RS256 and with EdDSA, through `sesame_app::keys::sign` (one read of the current kid from the
//! database per token, the parsed key cached) and, as the physical limit, with
//! `jsonwebtoken::encode` alone on the same key and claims — on one thread and on several.

use anyhow::{Context, Result};
use serde_json::{Value, json};
use sesame_app::keys::{self, Alg};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A typical ID token's claims: a person with a name, e-mail, two groups and two roles, after
/// a sign-in with two-factor (716 bytes of JSON).
fn claims() -> Value {
    json!({
        "iss": "https://comptes.amap-des-lilas.fr/o/amap-des-lilas",
        "sub": "0190d1c2-7b3e-7a41-9c55-3f2e8d6a1b07",
        "aud": "0190d1c2-8f00-7c3a-a2b1-5e6f7a8b9c0d",
        "exp": 1_900_000_600u64,
        "iat": 1_900_000_000u64,
        "auth_time": 1_899_999_950u64,
        "nonce": "n-0S6_WzA2Mj-kLq8vR3tYp",
        "sid": "0190d1c2-9a11-7b22-8c33-d44e55f66a77",
        "amr": ["pwd", "otp"],
        "at_hash": "77QmUPtjPfzWtF2AnpK9RQ",
        "preferred_username": "marie-helene.lefevre",
        "name": "Marie-Hélène Lefèvre",
        "given_name": "Marie-Hélène",
        "family_name": "Lefèvre",
        "email": "marie-helene.lefevre@example.org",
        "email_verified": true,
        "locale": "fr",
        "groups": ["Distribution du mardi", "Référents légumes"],
        "roles": [
            { "role": "Amapien", "group": null },
            { "role": "Référent producteur", "group": "Référents légumes" }
        ]
    })
}

/// Prints `key=value` lines: for each algorithm, tokens per second through `keys::sign` and
/// with `jsonwebtoken::encode` alone, on 1 thread and on `threads`.
pub fn run(database_url: &str, threads: usize, seconds: u64) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .enable_all()
        .build()?;
    let app = runtime.block_on(async {
        let store = sesame_store::Store::connect(database_url).await?;
        let app = sesame_app::App::new(store);
        keys::ensure(&app).await?;
        anyhow::Ok(app)
    })?;
    let claims = claims();
    println!("claims_bytes={}", serde_json::to_string(&claims)?.len());
    for alg in Alg::ALL {
        let name = alg.as_str().to_lowercase();
        let raw_key = runtime.block_on(raw_key(&app, alg))?;
        let jws = runtime.block_on(keys::sign(&app, alg, Some("JWT"), &claims))?;
        println!("{name}_token_bytes={}", jws.len());
        let mut jwt_header = jsonwebtoken::Header::new(match alg {
            Alg::Rs256 => jsonwebtoken::Algorithm::RS256,
            Alg::EdDsa => jsonwebtoken::Algorithm::EdDSA,
        });
        // A kid of the same length as ours (a 43-character thumbprint).
        jwt_header.kid = Some("x".repeat(43));
        for n in [1, threads] {
            let raw = raw_rate(&jwt_header, &raw_key, &claims, n, seconds)?;
            let sesame = runtime.block_on(sign_rate(&app, alg, &claims, n, seconds))?;
            println!("{name}_raw_{n}t_per_s={raw:.0}");
            println!("{name}_sign_{n}t_per_s={sesame:.0}");
            println!("{name}_raw_{n}t_us={:.1}", 1e6 * n as f64 / raw);
            println!("{name}_sign_{n}t_us={:.1}", 1e6 * n as f64 / sesame);
            println!("{name}_ratio_{n}t={:.2}", raw / sesame);
        }
    }
    runtime.block_on(app.store.close());
    Ok(())
}

/// The current key of `alg` as jsonwebtoken takes it, read from the database as the server
/// reads it.
async fn raw_key(app: &sesame_app::App, alg: Alg) -> Result<jsonwebtoken::EncodingKey> {
    let mut conn = app.store.read().await?;
    let kid = sesame_store::signing_keys::current_kid(&mut conn, alg.as_str())
        .await?
        .context("no current key")?;
    let (_, pem) = sesame_store::signing_keys::private_pem(&mut conn, &kid)
        .await?
        .context("no private key")?;
    Ok(match alg {
        Alg::Rs256 => jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes())?,
        Alg::EdDsa => jsonwebtoken::EncodingKey::from_ed_pem(pem.as_bytes())?,
    })
}

/// `jsonwebtoken::encode` alone, on `threads` OS threads, for `seconds` after a short warm-up.
fn raw_rate(
    header: &jsonwebtoken::Header,
    key: &jsonwebtoken::EncodingKey,
    claims: &Value,
    threads: usize,
    seconds: u64,
) -> Result<f64> {
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    std::thread::scope(|s| {
        for _ in 0..threads {
            let done = done.clone();
            s.spawn(move || {
                while Instant::now() < until {
                    if jsonwebtoken::encode(header, claims, key).is_ok() {
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    Ok(done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64())
}

/// `keys::sign` as the token endpoint calls it, from `tasks` tasks at once.
async fn sign_rate(
    app: &sesame_app::App,
    alg: Alg,
    claims: &Value,
    tasks: usize,
    seconds: u64,
) -> Result<f64> {
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let (app, claims, done) = (app.clone(), claims.clone(), done.clone());
            tokio::spawn(async move {
                while Instant::now() < until {
                    keys::sign(&app, alg, Some("JWT"), &claims).await?;
                    done.fetch_add(1, Ordering::Relaxed);
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for h in handles {
        h.await??;
    }
    Ok(done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64())
}
