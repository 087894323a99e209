//! The test harness: a fresh database per test (a temporary SQLite file always, a fresh
//! PostgreSQL database when `SESAME_TEST_POSTGRES_URL` is set), the real router served on port
//! 0, and a real HTTP client.

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use sesame_app::App;
use sesame_store::Store;
use std::sync::Once;
use tempfile::TempDir;

/// One database for one test.
pub struct Db {
    pub url: String,
    pub label: &'static str,
    _dir: Option<TempDir>,
    pg: Option<(String, String)>,
}

impl Db {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = Store::sqlite_url(dir.path());
        Self {
            url,
            label: "sqlite",
            _dir: Some(dir),
            pg: None,
        }
    }

    /// A SQLite database at `url` (in a directory the test owns: a small or read-only mount).
    pub fn sqlite_at(url: String) -> Self {
        Self {
            url,
            label: "sqlite",
            _dir: None,
            pg: None,
        }
    }

    /// A fresh database on the server of `SESAME_TEST_POSTGRES_URL`.
    pub async fn postgres(admin_url: &str) -> Self {
        use sqlx::Connection;
        let name = format!("sesame_test_{}", uuid::Uuid::now_v7().simple());
        let mut conn = sqlx::PgConnection::connect(admin_url)
            .await
            .expect("connect to SESAME_TEST_POSTGRES_URL");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let base = admin_url.rsplit_once('/').map_or(admin_url, |(b, _)| b);
        Self {
            url: format!("{base}/{name}"),
            label: "postgres",
            _dir: None,
            pg: Some((admin_url.to_string(), name)),
        }
    }

    /// Drops the PostgreSQL database (its pools must be closed first).
    pub async fn cleanup(self) {
        if let Some((admin, name)) = &self.pg {
            use sqlx::Connection;
            if let Ok(mut conn) = sqlx::PgConnection::connect(admin).await {
                let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut conn)
                .await;
            }
        }
    }
}

/// The databases every story runs on: SQLite always, PostgreSQL when configured. Says loudly
/// when PostgreSQL is skipped, and refuses to skip it in CI.
pub async fn databases() -> Vec<Db> {
    static WARN: Once = Once::new();
    // A story may build its HTTP client before any App (one that runs the binary).
    sesame_app::install_tls_provider();
    let mut out = vec![Db::sqlite().await];
    match std::env::var("SESAME_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => out.push(Db::postgres(&url).await),
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "CI must set SESAME_TEST_POSTGRES_URL: the PostgreSQL half of the tests cannot be skipped there"
            );
            WARN.call_once(|| {
                eprintln!("\n*** SESAME_TEST_POSTGRES_URL is not set: these tests run on SQLite only, PostgreSQL is SKIPPED ***\n");
            });
        }
    }
    out
}

/// Runs a story on every database.
#[macro_export]
macro_rules! on_every_database {
    ($name:ident, $story:path) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            for db in $crate::harness::databases().await {
                let label = db.label;
                eprintln!("--- {} on {label}", stringify!($name));
                $story(&db).await;
                db.cleanup().await;
            }
        }
    };
}

/// A running server on port 0 with its own store.
pub struct Server {
    pub base: String,
    pub app: App,
    pub http: Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    _mail_dir: TempDir,
}

impl Server {
    pub async fn start(db: &Db) -> Self {
        Self::start_with(db, |_| {}).await
    }

    /// Starts with the application adjusted first (its sign-in throttle, …).
    pub async fn start_with(db: &Db, adjust: impl FnOnce(&mut App)) -> Self {
        Self::start_with_options(db, adjust, sesame_server::Options::default()).await
    }

    /// Starts with the application adjusted and the HTTP options given (trusted proxies, …).
    pub async fn start_with_options(
        db: &Db,
        adjust: impl FnOnce(&mut App),
        options: sesame_server::Options,
    ) -> Self {
        Self::start_inner(db, adjust, options, None).await
    }

    /// Starts with its own address as its public URL (`http://127.0.0.1:PORT`): an OpenID
    /// Connect issuer must be the address its clients reach.
    pub async fn start_public(db: &Db) -> Self {
        Self::start_inner(
            db,
            |_| {},
            sesame_server::Options::default(),
            Some("127.0.0.1"),
        )
        .await
    }

    /// Starts with `http://localhost:PORT` as its public URL: what a browser needs for
    /// WebAuthn (a secure context, and an RP id that is a domain name).
    pub async fn start_localhost(db: &Db) -> Self {
        Self::start_inner(
            db,
            |_| {},
            sesame_server::Options::default(),
            Some("localhost"),
        )
        .await
    }

    async fn start_inner(
        db: &Db,
        adjust: impl FnOnce(&mut App),
        options: sesame_server::Options,
        // The host of its own address as its public URL, else `http://sesame.test`.
        own_url: Option<&str>,
    ) -> Self {
        let store = Store::connect(&db.url).await.expect("connect store");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let base = match own_url {
            Some(host) => format!("http://{host}:{}", addr.port()),
            None => format!("http://{addr}"),
        };
        // E-mail goes to files of this server's own, unless the test says otherwise.
        let mail_dir = tempfile::tempdir().expect("mail dir");
        let mut app = App::new(store).with_mailer(sesame_app::mail::Mailer::new(
            sesame_mail::Transport::Files(mail_dir.path().to_path_buf()),
            if own_url.is_some() {
                &base
            } else {
                "http://sesame.test"
            },
            "sesame@sesame.test",
        ));
        adjust(&mut app);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let served = app.clone();
        let task = tokio::spawn(async move {
            sesame_server::serve_with(served, listener, options, async {
                let _ = rx.await;
            })
            .await
            .expect("serve");
        });
        Self {
            base,
            app,
            http: Client::new(),
            stop: Some(tx),
            task: Some(task),
            _mail_dir: mail_dir,
        }
    }

    /// Opens an e-mailed link (`/activate?token=…`) as a browser does ([`open_link`]).
    pub async fn open_link(&self, path_and_query: &str) -> reqwest::Response {
        open_link(&self.base, path_and_query, None).await
    }

    /// Stops serving and closes the pool, so the database can be dropped.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
        self.app.store.close().await;
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        self.call_lang(method, path, token, body, None).await
    }

    pub async fn call_lang(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        lang: Option<&str>,
    ) -> Answer {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(l) = lang {
            req = req.header("Accept-Language", l);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        Answer::from(req.send().await.expect("request")).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    /// Runs `sesame init` (through the operation it calls) and signs the administrator in.
    pub async fn init(&self, profile: sesame_core::Profile) -> String {
        let opts = sesame_app::setup::InitOptions {
            org_name: "AMAP des Lilas".into(),
            slug: None,
            profile,
            language: sesame_core::Language::Fr,
            admin_login: "admin".into(),
            admin_email: "admin@example.org".into(),
            admin_password: Some(ADMIN_PASSWORD.to_string().into()),
        };
        sesame_app::setup::init(&self.app, opts)
            .await
            .expect("init");
        self.login("admin", ADMIN_PASSWORD).await
    }

    /// A second organisation on this server, `lucioles` (a daycare, in English), whose
    /// administrator is `admin` with the same password as the first's.
    pub async fn add_lucioles(&self) {
        let other = sesame_app::setup::InitOptions {
            org_name: "Garderie Les Lucioles".into(),
            slug: Some("lucioles".into()),
            profile: sesame_core::Profile::Daycare,
            language: sesame_core::Language::En,
            admin_login: "admin".into(),
            admin_email: "admin@example.org".into(),
            admin_password: Some(ADMIN_PASSWORD.to_string().into()),
        };
        sesame_app::setup::init(&self.app, other)
            .await
            .expect("second organisation");
    }

    /// `POST /api/v1/auth/login`, answered as it comes.
    pub async fn sign_in(&self, login: &str, password: &str, totp: Option<&str>) -> Answer {
        let mut body = json!({"login": login, "password": password});
        if let Some(code) = totp {
            body["totp"] = json!(code);
        }
        self.call(Method::POST, "/api/v1/auth/login", None, Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Answer {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    pub async fn login(&self, login: &str, password: &str) -> String {
        let a = self
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"login": login, "password": password})),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "sign-in of {login}: {}", a.body);
        a.body["token"].as_str().expect("token").to_string()
    }

    /// Creates a user with a password and the given roles, and signs them in.
    pub async fn user_with_roles(
        &self,
        admin: &str,
        login: &str,
        roles: Value,
    ) -> (String, String) {
        let a = self
            .post("/api/v1/users", admin, json!({"login": login, "email": format!("{login}@example.org"), "first_name": "Test", "last_name": login, "phone": "+33 6 12 34 56 78", "roles": roles}))
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "create {login}: {}", a.body);
        let id = a.body["id"].as_str().expect("id").to_string();
        let org = self.app.org(None).await.expect("org");
        let who = self.app.operator(org);
        sesame_app::users::set_password(&self.app, &who, &id, USER_PASSWORD.to_string().into())
            .await
            .expect("password");
        (id, self.login(login, USER_PASSWORD).await)
    }

    /// Creates the group `name` with `members` (user ids) in it; answers its id.
    pub async fn group_with(&self, admin: &str, name: &str, members: &[&str]) -> String {
        let g = self
            .post("/api/v1/groups", admin, json!({ "name": name }))
            .await;
        assert_eq!(g.status, StatusCode::CREATED, "{}", g.body);
        let id = g.body["id"].as_str().expect("group id").to_string();
        for m in members {
            let put = self
                .call(
                    Method::PUT,
                    &format!("/api/v1/groups/{id}/members/{m}"),
                    Some(admin),
                    None,
                )
                .await;
            assert_eq!(put.status, StatusCode::NO_CONTENT, "{}", put.body);
        }
        id
    }
}

pub const ADMIN_PASSWORD: &str = "correct horse battery staple";
pub const USER_PASSWORD: &str = "un mot de passe assez long";

/// A response, read whole.
pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    pub async fn from(r: reqwest::Response) -> Self {
        let status = r.status();
        let headers = r.headers().clone();
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let text = r.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Self {
            status,
            content_type,
            body,
            headers,
        }
    }

    /// Asserts a problem+json answer with `status` whose errors include `code` on `field`, and
    /// returns that error's message.
    pub fn problem(&self, status: u16, field: &str, code: &str) -> String {
        assert_eq!(self.status.as_u16(), status, "status; body: {}", self.body);
        assert_eq!(
            self.content_type, "application/problem+json",
            "content type; body: {}",
            self.body
        );
        assert_eq!(self.body["status"], status);
        let errors = self.body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("errors list in {}", self.body));
        let e = errors
            .iter()
            .find(|e| e["code"] == code && e["field"] == field)
            .unwrap_or_else(|| panic!("no error {code} on {field:?} in {}", self.body));
        let message = e["message"].as_str().expect("message").to_string();
        assert!(
            !message.is_empty() && message != code,
            "a real message for {code}: {message}"
        );
        message
    }
}

/// The Python of the test virtualenv (`.venv-test`, made by `./scripts/test`), or
/// `SESAME_TEST_PYTHON`. Its absence fails the test with what to do: the independent clients
/// are part of the tests, not optional.
pub fn python() -> std::path::PathBuf {
    if let Ok(p) = std::env::var("SESAME_TEST_PYTHON") {
        return p.into();
    }
    let venv = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv-test/bin/python");
    assert!(
        venv.exists(),
        "the Python test clients are missing: run ./scripts/test once (it makes .venv-test/ with pyotp), or set SESAME_TEST_PYTHON"
    );
    venv
}

/// The TOTP code of `secret` at `unix_secs`, computed by pyotp: codes in the tests come from an
/// implementation that is not ours.
pub fn pyotp_code(secret: &str, unix_secs: u64) -> String {
    let out = std::process::Command::new(python())
        .args([
            "-c",
            "import sys, pyotp; print(pyotp.TOTP(sys.argv[1]).at(int(sys.argv[2])))",
            secret,
            &unix_secs.to_string(),
        ])
        .output()
        .expect("run pyotp");
    assert!(
        out.status.success(),
        "pyotp: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string()
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A real SMTP server (aiosmtpd, `tests/e2e/smtp_sink.py`) on a free port of 127.0.0.1, keeping
/// each message it accepts as `<n>.eml` in its own folder. Stopped when dropped.
pub struct SmtpSink {
    pub port: u16,
    pub dir: TempDir,
    refuse: Vec<String>,
    /// Seconds before each message's data is answered (`--delay`).
    delay: Option<f64>,
    child: Option<std::process::Child>,
}

/// A message as the SMTP server received it, read by Python's own MIME parser.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Mail {
    pub subject: String,
    pub from: String,
    pub to: String,
    pub message_id: String,
    pub content_language: String,
    pub text: Option<String>,
    pub html: Option<String>,
    #[serde(skip)]
    pub rcpt: Vec<String>,
    #[serde(skip)]
    pub raw: String,
}

impl Mail {
    pub fn text(&self) -> &str {
        self.text.as_deref().unwrap_or("")
    }

    pub fn html(&self) -> &str {
        self.html.as_deref().unwrap_or("")
    }

    /// The token of the first link to `path` (`/activate`, `/password-reset`, …) in the text.
    pub fn token(&self, path: &str) -> String {
        let needle = format!("{path}?token=");
        let at = self
            .text()
            .find(&needle)
            .unwrap_or_else(|| panic!("no {path} link in:\n{}", self.text()));
        self.text()[at + needle.len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    }
}

impl SmtpSink {
    /// `refuse`: recipients answered 550.
    pub fn start(refuse: &[&str]) -> Self {
        let mut sink = Self {
            port: 0,
            dir: tempfile::tempdir().expect("temp dir"),
            refuse: refuse.iter().map(|r| r.to_string()).collect(),
            delay: None,
            child: None,
        };
        sink.spawn();
        sink
    }

    /// A server that answers each message only `secs` seconds after its data arrived
    /// ([`SmtpSink::receiving`] says when one has): a sender caught mid-message.
    pub fn slow(secs: f64) -> Self {
        let mut sink = Self {
            port: 0,
            dir: tempfile::tempdir().expect("temp dir"),
            refuse: Vec::new(),
            delay: Some(secs),
            child: None,
        };
        sink.spawn();
        sink
    }

    /// Whether a message's data has arrived at a [`SmtpSink::slow`] server.
    pub fn receiving(&self) -> bool {
        self.dir.path().join("receiving").exists()
    }

    /// A port nothing listens on yet, for a server that is down until [`SmtpSink::restart`].
    pub fn down() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        Self {
            port,
            dir: tempfile::tempdir().expect("temp dir"),
            refuse: Vec::new(),
            delay: None,
            child: None,
        }
    }

    fn spawn(&mut self) {
        use std::io::BufRead;
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e/smtp_sink.py");
        let mut cmd = std::process::Command::new(python());
        cmd.arg(script).arg(self.dir.path());
        if self.port != 0 {
            cmd.arg("--port").arg(self.port.to_string());
        }
        if !self.refuse.is_empty() {
            cmd.arg("--refuse").args(&self.refuse);
        }
        if let Some(d) = self.delay {
            cmd.arg("--delay").arg(d.to_string());
        }
        let mut child = cmd
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start the SMTP server");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .expect("its port");
        self.port = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the SMTP server said {line:?}"));
        self.child = Some(child);
    }

    /// Stops the server; its port and what it received stay.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts again on the same port and folder.
    pub fn restart(&mut self) {
        self.stop();
        self.spawn();
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages received so far, in order, parsed enough for the tests: raw text and the
    /// envelope recipients.
    pub fn received(&self) -> Vec<(String, Vec<String>)> {
        self.mails().into_iter().map(|m| (m.raw, m.rcpt)).collect()
    }

    /// The messages received so far, in order.
    pub fn mails(&self) -> Vec<Mail> {
        let mut out = Vec::new();
        for n in 1.. {
            let base = self.dir.path().join(n.to_string());
            let Ok(raw) = std::fs::read_to_string(base.with_extension("eml")) else {
                break;
            };
            let json = std::fs::read_to_string(base.with_extension("json")).expect("parsed mail");
            let mut mail: Mail = serde_json::from_str(&json).expect("mail json");
            mail.rcpt = std::fs::read_to_string(base.with_extension("rcpt"))
                .unwrap_or_default()
                .lines()
                .map(String::from)
                .collect();
            mail.raw = raw;
            // Line ends as a reader sees them (the wire has CRLF).
            mail.text = mail.text.map(|t| t.replace("\r\n", "\n"));
            mail.html = mail.html.map(|t| t.replace("\r\n", "\n"));
            out.push(mail);
        }
        out
    }

    /// Waits (up to 20 s) until `n` messages have arrived, and returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<Mail> {
        for _ in 0..400 {
            let got = self.mails();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let got = self.mails();
        panic!(
            "expected {n} e-mails, got {}: {:#?}",
            got.len(),
            got.iter().map(|m| (&m.to, &m.subject)).collect::<Vec<_>>()
        );
    }

    /// A mailer for a test server: to this SMTP server, retries in milliseconds, not minutes.
    pub fn mailer(&self) -> sesame_app::mail::Mailer {
        let mut m = sesame_app::mail::Mailer::new(
            sesame_mail::Transport::smtp(&self.url()).expect("transport"),
            "http://sesame.test",
            "sesame@sesame.test",
        );
        m.retry_unit_ms = 5;
        m.poll_ms = 50;
        m
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Opens a one-time link (`/activate?token=…`, `/setup?token=…`) as a browser does: the page
/// moves the token into a cookie and sends the browser to its address without it, which this
/// follows, in `language` if given.
pub async fn open_link(
    base: &str,
    path_and_query: &str,
    language: Option<&str>,
) -> reqwest::Response {
    let browser = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let first = browser
        .get(format!("{base}{path_and_query}"))
        .send()
        .await
        .expect("open link");
    assert_eq!(first.status(), StatusCode::SEE_OTHER, "the link redirects");
    let location = first.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(
        !location.contains("token"),
        "the address keeps no token: {location}"
    );
    let cookie = first.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    let pair = cookie.split(';').next().expect("pair").to_owned();
    let mut req = browser
        .get(format!("{base}{location}"))
        .header("cookie", pair);
    if let Some(l) = language {
        req = req.header("accept-language", l);
    }
    req.send().await.expect("page")
}

/// Runs a browser story of `tests/browser` (node, playwright-core, Debian's chromium) with its
/// state file; its lines are printed, and it fails the test unless it ends by printing
/// `passed` (its last line of success).
pub fn run_browser_story(script: &str, state: &std::path::Path, passed: &str) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    assert!(
        root.join("tests/browser/node_modules/playwright-core")
            .exists(),
        "playwright-core is missing: run ./scripts/test once (it installs tests/browser/node_modules)"
    );
    let out = std::process::Command::new("node")
        .arg(root.join("tests/browser").join(script))
        .arg(state)
        .current_dir(&root)
        .output()
        .unwrap_or_else(|e| panic!("run node (tests/browser/{script}): {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}");
    assert!(
        out.status.success() && stdout.contains(passed),
        "the browser story failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
