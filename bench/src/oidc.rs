//! The protocol half of the OpenID Connect benchmark (issue 21), against a real server in this
//! process (`sesame_server::serve_with` on a loopback port, as `sesame serve` runs it):
//!
//! - code-for-token exchanges per second: codes made beforehand through the authorization
//!   endpoint (a signed-in person, a trusted confidential client), then redeemed at the token
//!   endpoint by `clients` clients at once — each exchange spends the code, writes a grant and
//!   two tokens, and signs an RS256 ID token;
//! - userinfo requests per second with `conns` connections, and their p50/p99, from wrk (a
//!   process of its own, as in part core: the load's cost is not the server's);
//! - the CPU time each costs: this process (server, and for the exchanges the load too) and
//!   the PostgreSQL backends serving its database.
//!
//! The limit they are compared with, measured in the same run by `signing`: RS256 signatures
//! per second on this machine.

use anyhow::{Context, Result, bail};
use serde_json::json;
use std::sync::Arc;
use std::time::Instant;

pub struct Options {
    pub database_url: String,
    pub codes: usize,
    pub clients: usize,
    pub conns: usize,
    pub seconds: u64,
}

pub async fn run(o: Options) -> Result<()> {
    let store = sesame_store::Store::connect(&o.database_url).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let mail_dir = tempfile_dir()?;
    let app = sesame_app::App::new(store).with_mailer(sesame_app::mail::Mailer::new(
        sesame_mail::Transport::Files(mail_dir.clone()),
        &base,
        "sesame@bench.test",
    ));
    let password = "un mot de passe de banc d'essai";
    sesame_app::setup::init(
        &app,
        sesame_app::setup::InitOptions {
            org_name: "AMAP des Lilas".into(),
            slug: Some("amap".into()),
            profile: sesame_core::Profile::Amap,
            language: sesame_core::Language::Fr,
            admin_login: "admin".into(),
            admin_email: "admin@example.org".into(),
            admin_password: Some(password.to_string().into()),
        },
    )
    .await?;
    let org = app.org(Some("amap")).await?;
    let input: sesame_app::apps::AppInput = serde_json::from_value(json!({
        "name": "Site de l'AMAP",
        "redirect_uris": ["http://127.0.0.1:9/callback"],
        "trusted": true
    }))?;
    let saved = sesame_app::apps::create(&app, &app.operator(org), input).await?;
    let (client_id, secret) = (
        saved.app.client_id,
        saved
            .client_secret
            .context("a confidential client's secret")?,
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = app.clone();
    let server = tokio::spawn(async move {
        sesame_server::serve_with(served, listener, sesame_server::Options::default(), async {
            let _ = stopped.await;
        })
        .await
    });

    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(o.conns.max(o.clients))
        .build()?;
    let login = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": "admin", "password": password}))
        .send()
        .await?;
    if !login.status().is_success() {
        bail!("sign-in: {}", login.status());
    }
    let session = login.json::<serde_json::Value>().await?["token"]
        .as_str()
        .context("session token")?
        .to_string();
    let issuer = format!("{base}/o/amap");
    let authorize = format!(
        "{issuer}/authorize?client_id={client_id}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&response_type=code&scope=openid%20profile%20email%20groups%20roles&nonce=n"
    );

    // Codes, made beforehand (they live 60 s: made and spent well within it).
    let made = Instant::now();
    let mut codes = Vec::with_capacity(o.codes);
    for _ in 0..o.codes {
        let r = http
            .get(&authorize)
            .header("Cookie", format!("sesame_session={session}"))
            .send()
            .await?;
        let to = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .context("a redirect with a code")?;
        let code = to
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("code="))
            .context("a code")?;
        codes.push(code.to_string());
    }
    println!(
        "authorize_per_s={:.0}",
        o.codes as f64 / made.elapsed().as_secs_f64()
    );

    // Exchanges, `clients` at once.
    let codes = Arc::new(std::sync::Mutex::new(codes));
    let token_url = format!("{issuer}/token");
    let cpu = Cpu::now(&app).await?;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..o.clients {
        let (http, codes, url, id, secret) = (
            http.clone(),
            codes.clone(),
            token_url.clone(),
            client_id.clone(),
            secret.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            loop {
                let Some(code) = codes.lock().expect("codes").pop() else {
                    return anyhow::Ok(got);
                };
                let r = http
                    .post(&url)
                    .basic_auth(&id, Some(&secret))
                    .form(&[
                        ("grant_type", "authorization_code"),
                        ("code", code.as_str()),
                        ("redirect_uri", "http://127.0.0.1:9/callback"),
                    ])
                    .send()
                    .await?;
                if !r.status().is_success() {
                    bail!(
                        "token: {} {}",
                        r.status(),
                        r.text().await.unwrap_or_default()
                    );
                }
                got.extend(
                    r.json::<serde_json::Value>().await?["access_token"]
                        .as_str()
                        .map(String::from),
                );
            }
        }));
    }
    let mut tokens = Vec::with_capacity(o.codes);
    for t in tasks {
        tokens.extend(t.await??);
    }
    println!(
        "exchange_per_s={:.0}",
        o.codes as f64 / started.elapsed().as_secs_f64()
    );
    println!(
        "exchange_cpu_ms={:.3}",
        cpu.spent(&app).await? * 1000.0 / o.codes as f64
    );
    let access = tokens.first().context("an access token")?.clone();
    let tokens_file = mail_dir.join("access-tokens.txt");
    std::fs::write(&tokens_file, tokens.join("\n"))?;

    // Userinfo, `conns` connections for `seconds` from wrk (another process, as in part
    // core), after a second of warm-up: first with one token, as an application checking its
    // own token over and over does (each instance reuses what it read about a token for a
    // second: `sesame_app::recent`); then rotating over every token issued above, each one
    // seen again only after all the others, as many people's applications do.
    let userinfo = format!("{issuer}/userinfo");
    for (label, bearer) in [
        ("userinfo", Bearer::One(access.clone())),
        ("userinfo_many", Bearer::Rotating(tokens_file.clone())),
    ] {
        wrk(&userinfo, &bearer, o.conns, 1)?;
        let cpu = Cpu::now(&app).await?;
        let report = tokio::task::spawn_blocking({
            let (url, conns, seconds) = (userinfo.clone(), o.conns, o.seconds);
            move || wrk(&url, &bearer, conns, seconds)
        })
        .await??;
        let (process, backends) = cpu.spent_apart(&app).await?;
        let requests = (report.per_s * o.seconds as f64).max(1.0);
        println!("{label}_per_s={:.0}", report.per_s);
        println!(
            "{label}_cpu_us={:.0}",
            (process + backends) * 1e6 / requests
        );
        println!("{label}_db_cpu_us={:.0}", backends * 1e6 / requests);
        println!("{label}_p50_ms={:.2}", report.p50_ms);
        println!("{label}_p99_ms={:.2}", report.p99_ms);
    }

    let _ = stop.send(());
    let _ = server.await;
    app.store.close().await;
    let _ = std::fs::remove_dir_all(mail_dir);
    Ok(())
}

/// What wrk measured.
struct WrkReport {
    per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// The tokens a wrk run presents.
#[derive(Clone)]
enum Bearer {
    One(String),
    /// Each request the next token of the file (`bench/tokens.lua`).
    Rotating(std::path::PathBuf),
}

/// wrk calling `url` with bearer tokens on `conns` connections (2 threads) for `seconds`;
/// refuses a run with any answer but 200.
fn wrk(url: &str, bearer: &Bearer, conns: usize, seconds: u64) -> Result<WrkReport> {
    let mut command = std::process::Command::new("wrk");
    command.args([
        "-t2",
        &format!("-c{conns}"),
        &format!("-d{seconds}s"),
        "--latency",
    ]);
    match bearer {
        Bearer::One(token) => command.args(["-H", &format!("Authorization: Bearer {token}"), url]),
        Bearer::Rotating(file) => command
            .args([
                "-s",
                concat!(env!("CARGO_MANIFEST_DIR"), "/tokens.lua"),
                url,
                "--",
            ])
            .arg(file),
    };
    let out = command.output().context("wrk (bench/run installs it)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || text.contains("Non-2xx") || text.contains("Socket errors") {
        bail!("wrk: {text}{}", String::from_utf8_lossy(&out.stderr));
    }
    let field = |prefix: &str| {
        text.lines()
            .find_map(|l| l.trim_start().strip_prefix(prefix))
            .map(|rest| rest.trim().to_string())
            .with_context(|| format!("wrk's {prefix:?} in {text}"))
    };
    Ok(WrkReport {
        per_s: field("Requests/sec:")?.parse()?,
        p50_ms: ms(&field("50%")?)?,
        p99_ms: ms(&field("99%")?)?,
    })
}

/// A wrk duration (`812.00us`, `3.51ms`, `1.02s`) in milliseconds.
fn ms(v: &str) -> Result<f64> {
    let unit_at = v
        .find(|c: char| c.is_ascii_alphabetic())
        .with_context(|| format!("a wrk duration: {v}"))?;
    let n: f64 = v[..unit_at].parse()?;
    Ok(match &v[unit_at..] {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        unit => bail!("a wrk duration in {unit}: {v}"),
    })
}

/// CPU time spent by this process (server and load alike) and by the PostgreSQL backends
/// serving its database: what one operation costs whatever else the machine is doing.
struct Cpu {
    process: f64,
    backends: std::collections::HashMap<i64, f64>,
}

impl Cpu {
    async fn now(app: &sesame_app::App) -> Result<Cpu> {
        Ok(Cpu {
            process: seconds_of("self").context("this process's CPU time")?,
            backends: backends(app).await?,
        })
    }

    /// Seconds of CPU spent since `self` was read.
    async fn spent(&self, app: &sesame_app::App) -> Result<f64> {
        let (process, backends) = self.spent_apart(app).await?;
        Ok(process + backends)
    }

    /// Seconds of CPU spent since `self` was read: this process's, and PostgreSQL's backends'.
    async fn spent_apart(&self, app: &sesame_app::App) -> Result<(f64, f64)> {
        let process = seconds_of("self").context("this process's CPU time")? - self.process;
        let backends: f64 = backends(app)
            .await?
            .iter()
            .map(|(pid, now)| now - self.backends.get(pid).copied().unwrap_or(0.0))
            .sum();
        Ok((process, backends))
    }
}

/// utime + stime of `/proc/{pid}/stat`, in seconds.
fn seconds_of(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // SAFETY: sysconf has no precondition.
    let per_s = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    Some(ticks / per_s)
}

/// The CPU seconds of each PostgreSQL backend serving this database (none on SQLite).
async fn backends(app: &sesame_app::App) -> Result<std::collections::HashMap<i64, f64>> {
    let mut out = std::collections::HashMap::new();
    if app.store.backend() != sesame_store::Backend::Postgres {
        return Ok(out);
    }
    let mut conn = app.store.read().await?;
    let pids: Vec<i64> = sqlx::query_scalar(
        "SELECT pid::bigint FROM pg_stat_activity WHERE datname = current_database()",
    )
    .fetch_all(&mut *conn)
    .await?;
    for pid in pids {
        if let Some(s) = seconds_of(&pid.to_string()) {
            out.insert(pid, s);
        }
    }
    Ok(out)
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("sesame-bench-oidc-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
