//! The files of `deploy/` work as written: the systemd unit passes `systemd-analyze verify`
//! without a warning; nginx and Caddy serve the real `sesame serve --trusted-proxies` over
//! HTTPS through the very example files — only their certificate, names and ports swapped for
//! a test certificate (made by openssl) and free loopback ports — with the client's address
//! reaching Sésame and `/metrics` kept off the public site; the container definition is
//! multi-stage, runs as a non-root user and checks `/healthz` (no container engine runs on the
//! test machines to build it: deploy/README.md says how).

use crate::caddy::Caddy;
use crate::cli::{init_org, serve_with, stop};
use crate::harness::{ADMIN_PASSWORD, Db};
use crate::nginx::{Nginx, free_port};
use crate::on_every_database;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

fn deploy_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../deploy")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `text` with `from` replaced by `to`; `from` must be there (an example that changed must
/// change its test too).
fn swap(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} is no longer in:\n{text}");
    text.replace(from, to)
}

#[test]
fn the_systemd_unit_verifies_without_a_warning() {
    let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("systemd-analyze is needed: apt-get install -y --no-install-recommends systemd (./scripts/test does)");
    let unit = deploy_file("sesame.service");
    for setting in [
        "DynamicUser=yes",
        "StateDirectory=sesame",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "NoNewPrivileges=yes",
        "CapabilityBoundingSet=\n",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
        "SystemCallFilter=@system-service",
        "MemoryDenyWriteExecute=yes",
    ] {
        assert!(unit.contains(setting), "{setting:?} in sesame.service");
    }
    // The unit names the installed binary; verify checks that it exists, so point it at the
    // one just built.
    let dir = tempfile::tempdir().expect("dir");
    let unit = swap(
        &unit,
        "ExecStart=/usr/local/bin/sesame serve",
        &format!("ExecStart={} serve", env!("CARGO_BIN_EXE_sesame")),
    );
    let path = dir.path().join("sesame.service");
    std::fs::write(&path, unit).expect("write unit");
    let out = Command::new(analyze)
        .args(["verify", "--man=no"])
        .arg(&path)
        .output()
        .expect("run systemd-analyze");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Unknown or misspelt settings are only warnings: any output fails too.
    let about_the_unit: Vec<&str> = said.lines().filter(|l| l.contains("sesame")).collect();
    assert!(
        out.status.success() && about_the_unit.is_empty(),
        "systemd-analyze verify:\n{said}"
    );
}

#[test]
fn the_container_image_is_multi_stage_non_root_and_checks_its_health() {
    let file = deploy_file("Containerfile");
    let stages = file.lines().filter(|l| l.starts_with("FROM ")).count();
    assert_eq!(stages, 2, "a build stage and a run stage");
    assert!(file.contains("cargo build --release --locked -p sesame"));
    assert!(file.contains("COPY --from=build /src/target/release/sesame"));
    let user = file
        .lines()
        .rfind(|l| l.starts_with("USER "))
        .expect("a USER line");
    assert!(!user.contains("root") && !user.contains(" 0"), "{user}");
    assert!(
        file.contains("HEALTHCHECK") && file.contains("/healthz"),
        "a health check on /healthz"
    );
    // The build context is the repository: what it keeps out, it must.
    let ignore =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.dockerignore"))
            .expect(".dockerignore");
    assert!(ignore.lines().any(|l| l == "target"), "{ignore}");
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl is needed (Debian's openssl package)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A certificate for `localhost` signed by a test authority, made by openssl: (the
/// authority's certificate, the server's certificate, its key).
fn test_certificate(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca = vec!["req", "-x509", "-days", "2", "-subj", "/CN=Sesame test CA"];
    ca.extend(ec);
    ca.extend(["-keyout", "ca.key", "-out", "ca.pem"]);
    openssl(dir, &ca);
    let mut request = vec!["req", "-subj", "/CN=localhost"];
    request.extend(ec);
    request.extend(["-keyout", "key.pem", "-out", "server.csr"]);
    openssl(dir, &request);
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .expect("ext");
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "cert.pem",
        ],
    );
    (
        dir.join("ca.pem"),
        dir.join("cert.pem"),
        dir.join("key.pem"),
    )
}

/// A client that trusts the authority `ca`, reaches `localhost:port` at 127.0.0.1 and connects from
/// `from` (a loopback address of its own, so that Sésame can tell it from the proxy).
fn https_client(ca: &Path, port: u16, from: &str) -> reqwest::Client {
    let pem = std::fs::read(ca).expect("ca");
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).expect("pem"))
        .resolve("localhost", ([127, 0, 0, 1], port).into())
        .local_address(from.parse::<std::net::IpAddr>().expect("ip"))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// What both proxies must do in front of Sésame, at `base` (https://localhost:PORT).
async fn served_through(http: &reqwest::Client, base: &str, client_address: &str) {
    let health = http
        .get(format!("{base}/healthz"))
        .send()
        .await
        .expect("HTTPS through the proxy");
    assert_eq!(health.status(), 200);
    // A sign-in through the proxy: over HTTPS, the device cookie is a `__Host-` one, and the
    // session was opened from the client's address, not the proxy's.
    let signed = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": "admin", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .expect("sign-in");
    assert_eq!(signed.status(), 200);
    let cookies: Vec<String> = signed
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(String::from))
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("__Host-sesame-device=")),
        "{cookies:?}"
    );
    let token = signed.json::<Value>().await.expect("json")["token"]
        .as_str()
        .expect("token")
        .to_string();
    let sessions: Value = http
        .get(format!("{base}/api/v1/account/sessions"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("sessions")
        .json()
        .await
        .expect("json");
    let list = sessions.as_array().expect("sessions");
    assert!(
        !list.is_empty() && list.iter().all(|s| s["created_from"] == client_address),
        "{sessions}"
    );
    // /metrics exists on Sésame's address (a token file is given) but not through the proxy,
    // token or not.
    let metrics = http
        .get(format!("{base}/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .expect("metrics");
    assert_eq!(metrics.status(), 404);
}

const METRICS_TOKEN: &str = "deploy-metrics-token-0123456789";

/// Sésame as the examples expect it: loopback, its public HTTPS address, the proxy trusted,
/// metrics on the main address behind a token. Answers the process, its upstream
/// (`127.0.0.1:PORT`) and its data directory.
fn sesame_behind(db: &Db, public_url: &str) -> (std::process::Child, String, tempfile::TempDir) {
    let dir = init_org(
        db,
        "en",
        "Les Lucioles",
        "generic",
        "admin@lucioles.example",
        ADMIN_PASSWORD,
    );
    let token = dir.path().join("metrics-token");
    std::fs::write(&token, METRICS_TOKEN).expect("token");
    let (child, base, _log) = serve_with(
        db,
        dir.path(),
        &[
            "--trusted-proxies",
            "127.0.0.1",
            "--public-url",
            public_url,
            "--metrics-token-file",
            token.to_str().expect("path"),
        ],
    );
    (child, base.trim_start_matches("http://").to_string(), dir)
}

async fn through_the_nginx_example(db: &Db) {
    let (https, http_port) = (free_port(), free_port());
    let public = format!("https://localhost:{https}");
    let (sesame, upstream, dir) = sesame_behind(db, &public);
    let (ca, cert, key) = test_certificate(dir.path());
    let mut conf = deploy_file("nginx.conf");
    for (from, to) in [
        ("listen 443 ssl;", format!("listen 127.0.0.1:{https} ssl;")),
        ("listen [::]:443 ssl;", String::new()),
        ("listen 80;", format!("listen 127.0.0.1:{http_port};")),
        ("listen [::]:80;", String::new()),
        (
            "/etc/letsencrypt/live/comptes.example.org/fullchain.pem",
            cert.display().to_string(),
        ),
        (
            "/etc/letsencrypt/live/comptes.example.org/privkey.pem",
            key.display().to_string(),
        ),
        (
            "server_name comptes.example.org;",
            "server_name localhost;".into(),
        ),
        (
            "proxy_pass http://127.0.0.1:8080;",
            format!("proxy_pass http://{upstream};"),
        ),
    ] {
        conf = swap(&conf, from, &to);
    }
    let nginx = Nginx::run(https, &conf);
    let http = https_client(&ca, https, "127.0.0.7");
    served_through(&http, &public, "127.0.0.7").await;
    // Plain HTTP sends to HTTPS.
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let r = plain
        .get(format!("http://127.0.0.1:{http_port}/sign-in"))
        .header("Host", "localhost")
        .send()
        .await
        .expect("plain HTTP");
    assert_eq!(r.status().as_u16(), 301);
    let location = r.headers()["location"].to_str().expect("location");
    assert!(location.starts_with("https://localhost"), "{location}");
    drop(nginx);
    stop(sesame);
}
on_every_database!(
    the_nginx_example_serves_sesame_over_https_on_every_database,
    through_the_nginx_example
);

async fn through_the_caddy_example(db: &Db) {
    let https = free_port();
    let public = format!("https://localhost:{https}");
    let (sesame, upstream, dir) = sesame_behind(db, &public);
    let (ca, cert, key) = test_certificate(dir.path());
    let mut site = deploy_file("Caddyfile");
    for (from, to) in [
        (
            "comptes.example.org {\n",
            format!(
                "localhost:{https} {{\n\ttls {} {}\n",
                cert.display(),
                key.display()
            ),
        ),
        (
            "reverse_proxy 127.0.0.1:8080",
            format!("reverse_proxy {upstream}"),
        ),
    ] {
        site = swap(&site, from, &to);
    }
    // No redirect server on port 80 in a test.
    let caddy = Caddy::run_with(https, "\tauto_https disable_redirects\n", &site);
    let http = https_client(&ca, https, "127.0.0.8");
    served_through(&http, &public, "127.0.0.8").await;
    drop(caddy);
    stop(sesame);
}
on_every_database!(
    the_caddy_example_serves_sesame_over_https_on_every_database,
    through_the_caddy_example
);
