//! Moving in from WordPress (issue 23): what a member's first sign-in with a WordPress (phpass)
//! hash costs — the phpass check, then the Argon2id hash that replaces it, written in the same
//! transaction as the session — beside an ordinary sign-in (one Argon2id verification), both
//! through `sesame_app::auth::sign_in::sign_in` on a fresh SQLite database, in process, one at a
//! time, alternated. Target: within 1.2× of the ordinary one.

use anyhow::{Context, Result, bail};
use sesame_app::App;
use sesame_app::auth::sign_in::{Origin, SignInInput, sign_in};
use sesame_store::Store;
use std::time::Instant;

/// The password, and its phpass hash as WordPress up to 6.7 wrote it (2^13 rounds), made by
/// Python's passlib: `phpass.using(rounds=13).hash(PASSWORD)`.
const PASSWORD: &str = "une phrase de passe pour le banc";
const PHPASS: &str = "$P$BMXlZmBkpu5bJzDbfoZmMaQZh9fwis/";

/// `rounds` of each, after two of each to warm up; prints the medians and their ratio.
pub async fn legacy_sign_in(rounds: usize) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("sesame-bench-legacy-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = measure(&dir, rounds).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn measure(dir: &std::path::Path, rounds: usize) -> Result<()> {
    let store = Store::connect(&Store::sqlite_url(dir)).await?;
    let app = App::new(store);
    sesame_app::setup::init(
        &app,
        sesame_app::setup::InitOptions {
            org_name: "Bench".into(),
            slug: None,
            profile: sesame_core::Profile::Amap,
            language: sesame_core::Language::Fr,
            admin_login: "admin".into(),
            admin_email: "admin@example.org".into(),
            admin_password: Some(PASSWORD.to_string().into()),
        },
    )
    .await
    .context("init")?;
    let org = app.org(None).await?;
    let admin_id = {
        let mut conn = app.store.read().await?;
        sesame_store::users::for_sign_in(&mut conn, org.id(), "admin")
            .await?
            .context("admin")?
            .user
            .id
    };
    let once = || async {
        let input = SignInInput {
            login: "admin".into(),
            password: PASSWORD.to_string().into(),
            totp: None,
        };
        let started = Instant::now();
        sign_in(&app, &org, input, Origin::default()).await?;
        Ok::<f64, anyhow::Error>(started.elapsed().as_secs_f64() * 1000.0)
    };
    let (mut ordinary, mut legacy) = (Vec::new(), Vec::new());
    for i in 0..rounds + 2 {
        let plain = once().await?;
        put_phpass(&app, org.id(), &admin_id).await?;
        let first = once().await?;
        let stored = {
            let mut conn = app.store.read().await?;
            sesame_store::users::for_sign_in(&mut conn, org.id(), "admin")
                .await?
                .and_then(|c| c.password_hash)
                .unwrap_or_default()
        };
        if !stored.starts_with("$argon2id$") {
            bail!("the phpass hash was not replaced");
        }
        if i >= 2 {
            ordinary.push(plain);
            legacy.push(first);
        }
    }
    let (o, l) = (median(&mut ordinary), median(&mut legacy));
    println!("rounds={rounds}");
    println!("ordinary_sign_in_ms={o:.2}");
    println!("phpass_sign_in_and_rehash_ms={l:.2}");
    println!("ratio={:.3}", l / o);
    println!("target_ratio=1.2");
    Ok(())
}

/// Puts the phpass hash back as the administrator's password, as an import of hashes does.
async fn put_phpass(app: &App, org_id: &str, user_id: &str) -> Result<()> {
    let mut tx = app.store.begin().await?;
    let none: [sesame_core::policy::Grant; 0] = [];
    let proof = sesame_core::policy::Actor::operator(org_id)
        .may_edit(&sesame_core::policy::Subject {
            user_id,
            groups: &[],
            grants: &none,
        })
        .map_err(|d| anyhow::anyhow!("the operator may edit: {}", d.code()))?;
    sesame_store::users::set_password_hash(&mut tx, &proof, Some(PHPASS), 0).await?;
    tx.commit().await?;
    Ok(())
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}
