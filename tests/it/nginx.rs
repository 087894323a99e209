//! The usual deployment: Debian's nginx in front of the real `sesame serve --trusted-proxies`.
//! One client sprays wrong passwords through nginx; another client, and a browser that signed
//! in before with its device cookie, still get in; the audit log and the sessions list show
//! each client's address, not nginx's. nginx is started here (a configuration of its own in a
//! temporary folder, on a free loopback port) and stopped after; `./scripts/test` installs it
//! when it is missing.

use crate::cli::{serve_with, sesame};
use crate::harness::{ADMIN_PASSWORD, Db, USER_PASSWORD};
use crate::on_every_database;
use crate::reverse_proxy::set_cookie;
use reqwest::header::COOKIE;
use serde_json::{Value, json};
use std::net::IpAddr;
use std::process::{Child, Command, Stdio};

/// nginx as a child process (one process: no master whose workers would outlive it), stopped
/// when dropped.
pub(crate) struct Nginx {
    child: Child,
    pub(crate) base: String,
    _dir: tempfile::TempDir,
}

/// A free port of 127.0.0.1 (free when asked: nothing holds it after).
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

impl Nginx {
    /// Proxies a free loopback port to `upstream` (`127.0.0.1:PORT`) as the README says.
    fn start(upstream: &str) -> Self {
        Self::start_on(free_port(), "", &format!("proxy_pass http://{upstream};"))
    }

    /// Proxies `port` to every one of `upstreams` in turn (round-robin, no stickiness), as the
    /// README's several instances. A request goes to one instance only: nginx never tries
    /// another after a failure (`proxy_next_upstream off`; a POST must not run twice). Every
    /// answer says which instance gave it, in `X-Upstream`.
    pub(crate) fn balancing(port: u16, upstreams: &[String]) -> Self {
        let servers: String = upstreams
            .iter()
            .map(|u| format!("        server {u} max_fails=0;\n"))
            .collect();
        Self::start_on(
            port,
            &format!("    upstream sesame {{\n{servers}    }}\n"),
            "proxy_pass http://sesame;\n            proxy_next_upstream off;\n            add_header X-Upstream $upstream_addr always;",
        )
    }

    fn start_on(port: u16, upstream_block: &str, proxy: &str) -> Self {
        Self::run(
            port,
            &format!(
                r#"{upstream_block}    server {{
        listen 127.0.0.1:{port};
        location / {{
            {proxy}
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
"#
            ),
        )
    }

    /// Runs nginx with `http` inside its `http` block (servers that listen on `port`, which is
    /// awaited); `{dir}` in it is replaced by nginx's own temporary folder.
    pub(crate) fn run(port: u16, http: &str) -> Self {
        let binary = ["/usr/sbin/nginx", "/usr/bin/nginx"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect("nginx is needed: apt-get install -y --no-install-recommends nginx (./scripts/test does)");
        let dir = tempfile::tempdir().expect("dir");
        let d = dir.path().display();
        let conf = format!(
            r#"daemon off;
master_process off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
{http}}}
"#,
            http = http.replace("{dir}", &d.to_string())
        );
        let path = dir.path().join("nginx.conf");
        std::fs::write(&path, conf).expect("write nginx.conf");
        let mut child = Command::new(binary)
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start nginx");
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Self {
                    child,
                    base,
                    _dir: dir,
                };
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        let _ = child.kill();
        let mut said = String::new();
        if let Some(mut err) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut err, &mut said);
        }
        let _ = child.wait();
        panic!(
            "nginx did not listen on {port}: {said}{}",
            std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default()
        );
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client connecting from its own loopback address.
fn client_from(addr: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(addr.parse::<IpAddr>().expect("ip"))
        .build()
        .expect("client")
}

async fn sign_in(
    http: &reqwest::Client,
    base: &str,
    login: &str,
    password: &str,
    device: Option<&str>,
) -> (u16, Value, reqwest::header::HeaderMap) {
    let mut req = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": login, "password": password}));
    if let Some(d) = device {
        req = req.header(COOKIE, format!("sesame_device={d}"));
    }
    let r = req.send().await.expect("sign-in through nginx");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, r.json().await.unwrap_or(Value::Null), headers)
}

async fn behind_nginx(db: &Db) {
    let dir = tempfile::tempdir().expect("dir");
    let pw = dir.path().join("pw");
    std::fs::write(&pw, format!("{ADMIN_PASSWORD}\n")).expect("pw");
    let pw_path = pw.to_str().expect("path");
    let init = sesame(
        db,
        "en",
        &[
            "init",
            "--org",
            "AMAP des Lilas",
            "--profile",
            "generic",
            "--admin-login",
            "admin",
            "--admin-email",
            "admin@example.org",
            "--admin-password-file",
            pw_path,
        ],
    );
    assert_eq!(init.status, 0, "{}", init.stderr);

    // A wrong value is refused with what to do, in the operator's language.
    let data = dir.path().join("data");
    for (lang, words) in [("en", "neither an IP address"), ("fr", "ni une adresse IP")] {
        let bad = sesame(
            db,
            lang,
            &[
                "--data-dir",
                data.to_str().expect("path"),
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--trusted-proxies",
                "127.0.0.1,nginx",
            ],
        );
        assert_ne!(bad.status, 0);
        assert!(
            bad.stderr.contains(words) && bad.stderr.contains("nginx"),
            "{lang}: {}",
            bad.stderr
        );
    }

    let (mut server, upstream, _log) = serve_with(db, &data, &["--trusted-proxies", "127.0.0.1"]);
    let upstream = upstream.trim_start_matches("http://").to_string();
    let nginx = Nginx::start(&upstream);
    let base = nginx.base.as_str();

    // The administrator makes Zoé's account (through nginx), and her password.
    let admin_browser = client_from("127.0.0.3");
    let (status, body, headers) =
        sign_in(&admin_browser, base, "admin", ADMIN_PASSWORD, None).await;
    assert_eq!(status, 200, "{body}");
    let admin = body["token"].as_str().expect("token").to_string();
    let admin_device = set_cookie(&headers, "sesame_device").expect("device cookie");
    let created = admin_browser
        .post(format!("{base}/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"login": "zoe", "email": "zoe@example.org", "first_name": "Zoé", "last_name": "Martin", "roles": [{"role": "Membre"}]}))
        .send()
        .await
        .expect("create");
    assert_eq!(created.status().as_u16(), 201);
    std::fs::write(&pw, format!("{USER_PASSWORD}\n")).expect("pw");
    let passwd = sesame(
        db,
        "en",
        &["user", "passwd", "zoe", "--password-file", pw_path],
    );
    assert_eq!(passwd.status, 0, "{}", passwd.stderr);

    // One client (127.0.0.2) sprays through nginx many accounts, until its address is blocked
    // (100 failures).
    let attacker = client_from("127.0.0.2");
    let mut blocked = false;
    for i in 0..110 {
        let (status, _, _) =
            sign_in(&attacker, base, &format!("membre{i}"), "au hasard", None).await;
        assert!(status == 401 || status == 429, "{status}");
        if status == 429 {
            blocked = true;
            break;
        }
    }
    assert!(
        blocked,
        "the attacker's address is blocked after 100 failures"
    );
    let (status, _, _) = sign_in(&attacker, base, "zoe", USER_PASSWORD, None).await;
    assert_eq!(status, 429, "even with a right password");

    // Another client behind the same nginx is not blocked…
    let other = client_from("127.0.0.4");
    let (status, body, _) = sign_in(&other, base, "zoe", USER_PASSWORD, None).await;
    assert_eq!(status, 200, "{body}");
    // Another client (127.0.0.5) sprays the administrator's account: 5 failures, after which
    // it waits 15 s (done just now, so that a slow machine cannot outlast the wait)…
    let second = client_from("127.0.0.5");
    for _ in 0..5 {
        let (status, _, _) = sign_in(&second, base, "admin", "au hasard", None).await;
        assert_eq!(status, 401);
    }
    // … the sprayed account waits for strangers…
    let (status, _, _) = sign_in(&other, base, "admin", ADMIN_PASSWORD, None).await;
    assert_eq!(status, 429);
    // … but not for the browser the administrator signed in from before.
    let (status, body, _) = sign_in(
        &admin_browser,
        base,
        "admin",
        ADMIN_PASSWORD,
        Some(&admin_device),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let admin = body["token"].as_str().expect("token").to_string();

    // The audit log and the sessions list show each client's address, not nginx's.
    let audit: Value = admin_browser
        .get(format!(
            "{base}/api/v1/audit?action=auth.sign_in_failed&limit=200"
        ))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("audit")
        .json()
        .await
        .expect("json");
    let items = audit["items"].as_array().expect("items");
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|e| e["source"] == "127.0.0.2" || e["source"] == "127.0.0.5"),
        "{audit}"
    );
    assert!(items.iter().any(|e| e["source"] == "127.0.0.5"), "{audit}");
    let sessions: Value = admin_browser
        .get(format!("{base}/api/v1/account/sessions"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("sessions")
        .json()
        .await
        .expect("json");
    let list = sessions.as_array().expect("sessions");
    assert!(!list.is_empty());
    assert!(
        list.iter().all(|x| x["created_from"] == "127.0.0.3"),
        "{sessions}"
    );

    // What a client writes in X-Forwarded-For itself is not believed: nginx appends the
    // address it saw, and that is the one counted.
    let liar = client_from("127.0.0.6");
    let r = liar
        .post(format!("{base}/api/v1/auth/login"))
        .header("X-Forwarded-For", "198.51.100.1")
        .json(&json!({"login": "zoe", "password": USER_PASSWORD}))
        .send()
        .await
        .expect("sign-in");
    let token: Value = r.json().await.expect("json");
    let token = token["token"].as_str().expect("token").to_string();
    let mine: Value = liar
        .get(format!("{base}/api/v1/account/sessions"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("sessions")
        .json()
        .await
        .expect("json");
    let current = mine
        .as_array()
        .expect("sessions")
        .iter()
        .find(|x| x["current"] == true)
        .cloned()
        .expect("current");
    assert_eq!(current["created_from"], "127.0.0.6", "{mine}");
    // Nor when sent straight to Sésame, past nginx, by a peer that is not a trusted proxy.
    let r = client_from("127.0.0.7")
        .post(format!("http://{upstream}/api/v1/auth/login"))
        .header("X-Forwarded-For", "198.51.100.1")
        .json(&json!({"login": "zoe", "password": USER_PASSWORD}))
        .send()
        .await
        .expect("sign-in");
    assert_eq!(r.status().as_u16(), 200);
    let sessions: Value = client_from("127.0.0.7")
        .get(format!("{base}/api/v1/account/sessions"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("sessions")
        .json()
        .await
        .expect("json");
    assert!(sessions.to_string().contains("\"127.0.0.7\""), "{sessions}");
    assert!(!sessions.to_string().contains("198.51.100.1"), "{sessions}");

    drop(nginx);
    let _ = server.kill();
    let _ = server.wait();
}
on_every_database!(
    behind_nginx_one_client_spraying_locks_out_nobody_else,
    behind_nginx
);
