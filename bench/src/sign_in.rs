//! The sign-in half of the benchmark (issue 3):
//!
//! - `argon2`: the raw Argon2id rate of this machine (hashes verified per second on N threads,
//!   with Sésame's parameters) — the physical limit of sign-ins;
//! - `sign-ins`: successful sign-ins per second through the HTTP API;
//! - `flood`: clients that send wrong passwords as fast as they can, each from its own
//!   loopback address (127.0.0.x) and with a new unknown login every time, so that neither
//!   throttle stops them: every attempt costs a hash (the worst case); or all from one
//!   address (`--one-address`), which the throttle soon answers with 429; or spraying real
//!   accounts (`--token`, `--ids-file`: each client goes through 400 real logins in turn);
//! - `probe`: authenticated `GET /api/v1/users/{id}` at a fixed rate, with each latency taken
//!   from the moment the request was due (no coordinated omission): p50, p99, max;
//! - `token-check`: the cost of recognising a token (`authenticate`), in process.

use anyhow::{Context, Result, bail};
use secrecy::SecretString;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Hashes verified per second on `threads` threads for `seconds`, after a warm-up hash each:
/// the same primitive as the server's hashing threads (Argon2id in memory kept between
/// hashes), with nothing else running.
pub fn argon2(threads: usize, seconds: u64) -> Result<()> {
    let password = SecretString::from("a benchmark password of some length".to_string());
    let stored = sesame_app::password::hash_now(&password)?;
    let done = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (password, stored, done) = (password.clone(), stored.clone(), done.clone());
            std::thread::spawn(move || {
                let mut memory = Vec::new();
                sesame_app::password::verify_in(&mut memory, &password, &stored);
                while Instant::now() < until {
                    assert!(sesame_app::password::verify_in(
                        &mut memory,
                        &password,
                        &stored
                    ));
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for h in handles {
        h.join()
            .map_err(|_| anyhow::anyhow!("hashing thread panicked"))?;
    }
    let n = done.load(Ordering::Relaxed) as f64;
    let secs = started.elapsed().as_secs_f64();
    println!("hashes_per_s={:.1}", n / secs);
    println!("ms_per_hash={:.2}", 1000.0 * secs * threads as f64 / n);
    Ok(())
}

fn client(local: Option<IpAddr>) -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .local_address(local)
        .timeout(Duration::from_secs(30))
        .build()?)
}

/// Successful sign-ins per second, `clients` at a time, for `seconds`.
pub async fn sign_ins(
    base: &str,
    login: &str,
    password_file: &Path,
    clients: usize,
    seconds: u64,
) -> Result<()> {
    let password = std::fs::read_to_string(password_file)
        .with_context(|| password_file.display().to_string())?
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    let body = serde_json::json!({ "login": login, "password": password });
    let url = format!("{base}/api/v1/auth/login");
    let http = client(None)?;
    let ok = Arc::new(AtomicU64::new(0));
    let other = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (http, url, body, ok, other) = (
            http.clone(),
            url.clone(),
            body.clone(),
            ok.clone(),
            other.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while Instant::now() < until {
                match http.post(&url).json(&body).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        other.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "sign_ins_per_s={:.1}",
        ok.load(Ordering::Relaxed) as f64 / secs
    );
    println!("failed={}", other.load(Ordering::Relaxed));
    Ok(())
}

/// The logins of (at most) the first `n` users of `ids_file`, read through the API.
async fn real_logins(base: &str, token: &str, ids_file: &Path, n: usize) -> Result<Vec<String>> {
    let http = client(None)?;
    let mut logins = Vec::new();
    for id in std::fs::read_to_string(ids_file)?
        .lines()
        .filter(|l| !l.is_empty())
        .take(n)
    {
        let user: serde_json::Value = http
            .get(format!("{base}/api/v1/users/{id}"))
            .bearer_auth(token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        if let Some(login) = user["login"].as_str() {
            logins.push(login.to_string());
        }
    }
    if logins.is_empty() {
        bail!("no login read from {}", ids_file.display());
    }
    Ok(logins)
}

/// Wrong passwords as fast as `clients` can send them, for `seconds`; prints the attempts per
/// second and how they were answered. With `real` (a token and an ids file), the logins are
/// those of real accounts, each client going through them in turn (a spray), else a new
/// unknown login every time.
pub async fn flood(
    base: &str,
    clients: usize,
    seconds: u64,
    one_address: bool,
    real: Option<(&str, &Path)>,
) -> Result<()> {
    if clients > 250 {
        bail!("at most 250 clients (one loopback address each)");
    }
    let logins = match real {
        Some((token, ids)) => Some(Arc::new(real_logins(base, token, ids, 400).await?)),
        None => None,
    };
    let url = format!("{base}/api/v1/auth/login");
    let counts: Arc<[AtomicU64; 4]> = Arc::new(Default::default());
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..clients {
        let local = if one_address {
            None
        } else {
            Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2 + i as u8)))
        };
        let (http, url, counts) = (client(local)?, url.clone(), counts.clone());
        let logins = logins.clone();
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < until {
                n += 1;
                let login = match &logins {
                    Some(l) => l[(i + n as usize * clients) % l.len()].clone(),
                    None => format!("intrus{i}x{n}"),
                };
                let body = serde_json::json!({
                    "login": login,
                    "password": "not the password",
                });
                let slot = match http.post(&url).json(&body).send().await {
                    Ok(r) => {
                        let s = r.status().as_u16();
                        let _ = r.bytes().await;
                        match s {
                            401 => 0,
                            429 => 1,
                            503 => 2,
                            _ => 3,
                        }
                    }
                    Err(_) => 3,
                };
                counts[slot].fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let secs = started.elapsed().as_secs_f64();
    let c: Vec<u64> = counts.iter().map(|a| a.load(Ordering::Relaxed)).collect();
    println!("attempts_per_s={:.1}", c.iter().sum::<u64>() as f64 / secs);
    println!("answered_401={}", c[0]);
    println!("answered_429={}", c[1]);
    println!("answered_503={}", c[2]);
    println!("answered_other={}", c[3]);
    Ok(())
}

/// `GET /api/v1/users/{id}` at `rate` per second for `seconds`, ids taken in turn from
/// `ids_file`; each latency counts from when the request was due.
pub async fn probe(
    base: &str,
    token: &str,
    ids_file: &Path,
    rate: u32,
    seconds: u64,
) -> Result<()> {
    let ids: Vec<String> = std::fs::read_to_string(ids_file)?
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    if ids.is_empty() {
        bail!("no ids in {}", ids_file.display());
    }
    let http = client(None)?;
    let total = u64::from(rate) * seconds;
    let gap = Duration::from_secs_f64(1.0 / f64::from(rate));
    let start = Instant::now() + Duration::from_millis(50);
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        let due = start + gap * u32::try_from(i)?;
        let url = format!("{base}/api/v1/users/{}", ids[i as usize % ids.len()]);
        let (http, token) = (http.clone(), token.to_string());
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(due.into()).await;
            let ok = match http.get(&url).bearer_auth(&token).send().await {
                Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                Err(_) => false,
            };
            (due.elapsed(), ok)
        }));
    }
    let mut latencies = Vec::with_capacity(tasks.len());
    let mut failed = 0;
    for (i, t) in tasks.into_iter().enumerate() {
        let (d, ok) = t.await?;
        if !ok {
            failed += 1;
        }
        let ms = d.as_secs_f64() * 1000.0;
        // Where the slow ones were, in the log, to tell a stall from a spread.
        if ms > 20.0 {
            eprintln!(
                "slow: request {i} due at {:.3} s took {ms:.1} ms",
                i as f64 / f64::from(rate)
            );
        }
        latencies.push(ms);
    }
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    println!("requests={}", latencies.len());
    println!("failed={failed}");
    println!("p50_ms={:.3}", at(0.50));
    println!("p99_ms={:.3}", at(0.99));
    println!("max_ms={:.3}", at(1.0));
    Ok(())
}

/// Forgets every sign-in failure: a flood run then starts from the same state as the first.
pub async fn clear_throttle(database_url: &str) -> Result<()> {
    let store = sesame_store::Store::connect(database_url).await?;
    let mut conn = store.begin().await?;
    sqlx::query("DELETE FROM sign_in_failures")
        .execute(&mut *conn)
        .await?;
    conn.commit().await?;
    store.close().await;
    Ok(())
}

/// Microseconds per `authenticate` call (hash the secret, one query for the token, its owner,
/// organisation and roles), over `n` calls after a warm-up.
pub async fn token_check(database_url: &str, token: &str, n: u32) -> Result<()> {
    let store = sesame_store::Store::connect(database_url).await?;
    let app = sesame_app::App::new(store.clone());
    for _ in 0..100 {
        sesame_app::auth::authenticate(&app, token, None, None).await?;
    }
    let started = Instant::now();
    for _ in 0..n {
        sesame_app::auth::authenticate(&app, token, None, None).await?;
    }
    let us = started.elapsed().as_secs_f64() * 1e6 / f64::from(n);
    println!("us_per_check={us:.1}");
    store.close().await;
    Ok(())
}
