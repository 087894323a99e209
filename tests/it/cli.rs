//! The operator's story at the command line, with the real binary: `serve` on an empty data
//! directory, `init`, `user`, `group`, `role`, `token`, with tables, JSON and exit statuses.

use crate::harness::{Db, Server};
use crate::on_every_database;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

pub(crate) struct Run {
    pub(crate) status: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("JSON on stdout ({e}): {}", self.stdout))
    }
}

pub(crate) fn sesame(db: &Db, lang: &str, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_sesame"))
        .arg("--database-url")
        .arg(&db.url)
        .args(args)
        .env("SESAME_LANG", lang)
        .env_remove("SESAME_ORG")
        .output()
        .expect("run sesame");
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

async fn operator_story(db: &Db) {
    let dir = tempfile::tempdir().expect("dir");
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "un mot de passe solide\n").expect("write");
    let pw = pw.to_str().expect("path");

    let r = sesame(
        db,
        "fr",
        &[
            "init",
            "--org",
            "AMAP des Lilas",
            "--profile",
            "amap",
            "--admin-login",
            "admin",
            "--admin-email",
            "admin@example.org",
            "--admin-password-file",
            pw,
        ],
    );
    assert_eq!(r.status, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("amap-des-lilas"), "{}", r.stdout);
    // A second init with the same name is refused, clearly.
    let r = sesame(
        db,
        "fr",
        &[
            "init",
            "--org",
            "AMAP des Lilas",
            "--profile",
            "amap",
            "--admin-login",
            "admin",
            "--admin-email",
            "admin@example.org",
        ],
    );
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("amap-des-lilas"), "{}", r.stderr);

    let r = sesame(
        db,
        "fr",
        &[
            "group",
            "add",
            "Ferme du Bec Hellouin",
            "--kind",
            "producteur",
        ],
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    let r = sesame(
        db,
        "fr",
        &[
            "user",
            "add",
            "--email",
            "Zoe@Example.fr",
            "--first-name",
            "Zoé",
            "--last-name",
            "Lefèvre",
            "--phone",
            "06 12 34 56 78",
            "--role",
            "Référent producteur@Ferme du Bec Hellouin",
            "--json",
        ],
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    let u = r.json();
    assert_eq!(u["login"], "zoe.lefevre");
    assert_eq!(u["phone"], "+33612345678");
    assert_eq!(u["groups"], json!(["Ferme du Bec Hellouin"]));

    let r = sesame(db, "fr", &["user", "list"]);
    assert_eq!(r.status, 0);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].starts_with("LOGIN") && lines.len() == 3,
        "{}",
        r.stdout
    );
    let col = lines[0].find("EMAIL").expect("EMAIL column");
    assert!(
        lines.iter().skip(1).all(|l| l.chars().count() > col),
        "aligned columns:\n{}",
        r.stdout
    );
    let r = sesame(db, "fr", &["user", "list", "--q", "lefevre", "--json"]);
    assert_eq!(r.json()["items"][0]["login"], "zoe.lefevre");

    // Errors: every field named, in the operator's language, exit status 1, nothing written.
    let r = sesame(
        db,
        "fr",
        &[
            "user",
            "add",
            "--email",
            "jean@",
            "--login",
            "jean dupont",
            "--phone",
            "123",
            "--role",
            "Chef",
        ],
    );
    assert_eq!(r.status, 1);
    for needle in [
        "email",
        "login",
        "phone",
        "roles[0].role",
        "Amapien",
        "minuscules",
    ] {
        assert!(r.stderr.contains(needle), "{needle} in {}", r.stderr);
    }
    let r = sesame(db, "en", &["user", "add", "--email", "jean@", "--json"]);
    assert_eq!(r.status, 1);
    assert_eq!(r.json()["errors"][0]["field"], "email");
    assert!(
        r.json()["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("domain"))
    );
    let r = sesame(db, "en", &["user", "show", "nobody"]);
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("User not found"), "{}", r.stderr);

    let r = sesame(
        db,
        "fr",
        &["user", "passwd", "zoe.lefevre", "--password-file", pw],
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    let r = sesame(db, "fr", &["user", "show", "zoe.lefevre", "--json"]);
    assert_eq!(r.json()["status"], "active");
    let r = sesame(db, "fr", &["user", "disable", "zoe.lefevre", "--json"]);
    assert_eq!(r.json()["status"], "disabled");
    let r = sesame(db, "fr", &["user", "enable", "zoe.lefevre", "--json"]);
    assert_eq!(r.json()["status"], "active");
    let r = sesame(db, "fr", &["user", "disable", "admin"]);
    assert_eq!(r.status, 1, "the last administrator stays");
    assert!(r.stderr.contains("dernier administrateur"), "{}", r.stderr);

    let r = sesame(db, "fr", &["role", "list", "--json"]);
    assert_eq!(r.json().as_array().map(Vec::len), Some(7));
    let r = sesame(db, "fr", &["group", "list", "--json"]);
    assert_eq!(r.json()[0]["members"], 1);

    // A token for scripts, usable against the API.
    let r = sesame(
        db,
        "fr",
        &[
            "token", "create", "--login", "admin", "--name", "script", "--days", "30",
        ],
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    let token = r.stdout.trim().to_string();
    let s = Server::start(db).await;
    let me = s.get("/api/v1/me", &token).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.body["user"]["login"], "admin");

    // The administrator lost their phone: the operator removes their two-factor. (Enrolling
    // takes a signed-in session: the script's token may not touch its owner's two-factor.)
    s.post("/api/v1/account/mfa/totp", &token, json!({}))
        .await
        .problem(403, "", "auth.session_required");
    let token = s.login("admin", "un mot de passe solide").await;
    let e = s.post("/api/v1/account/mfa/totp", &token, json!({})).await;
    let secret = e.body["secret"].as_str().expect("secret").to_string();
    let c = s
        .post(
            "/api/v1/account/mfa/totp/confirm",
            &token,
            json!({"code": crate::harness::pyotp_code(&secret, crate::harness::unix_now())}),
        )
        .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    assert_eq!(
        s.get("/api/v1/account/mfa", &token).await.body["enabled"],
        true
    );
    let r = sesame(db, "fr", &["user", "reset-2fa", "admin"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("Double authentification de admin retirée"),
        "{}",
        r.stdout
    );
    assert_eq!(
        s.get("/api/v1/account/mfa", &token).await.body["enabled"],
        false
    );
    let r = sesame(db, "en", &["user", "reset-2fa", "admin"]);
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("not on"), "{}", r.stderr);
    s.stop().await;
}
on_every_database!(
    the_operator_runs_sesame_from_the_command_line,
    operator_story
);

async fn serve_sets_itself_up(db: &Db) {
    let dir = tempfile::tempdir().expect("dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sesame"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(if db.label == "postgres" {
            vec!["--database-url", db.url.as_str()]
        } else {
            vec![]
        })
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("SESAME_LANG", "en")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut token = None;
    let mut base = None;
    for line in lines.by_ref() {
        let line = line.expect("line");
        if let Some(rest) = line.trim().strip_prefix("http://")
            && let Some((_, t)) = rest.split_once("/setup?token=")
        {
            token = Some(t.to_string());
        }
        if let Some(i) = line.find("listening on http://") {
            base = Some(
                line[i + "listening on ".len()..]
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_string(),
            );
            break;
        }
    }
    let (token, base) = (token.expect("a setup link"), base.expect("the address"));
    if db.label == "sqlite" {
        assert!(
            dir.path().join("sesame.db").exists(),
            "SQLite inside the data directory"
        );
    }
    let http = reqwest::Client::new();
    // The printed link opens a form, in the browser's language.
    let page =
        crate::harness::open_link(&base, &format!("/setup?token={token}"), Some("fr-FR")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    let html = page.text().await.expect("html");
    assert!(
        html.contains("premier administrateur") && html.contains(&token),
        "{html}"
    );
    let form = |email: &str| {
        format!(
            "token={token}&organisation=AMAP+des+Lilas&first_name=Zo%C3%A9&last_name=Lef%C3%A8vre&email={email}&login=&password=un+mot+de+passe+solide"
        )
    };
    let post = |body: String| {
        http.post(format!("{base}/setup"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept-language", "fr")
            .body(body)
            .send()
    };
    // A mistake re-displays what was typed, with the reason.
    let bad = post(form("zoe%40")).await.expect("post");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.expect("html");
    assert!(
        html.contains("pas de domaine") && html.contains("value=\"Zoé\""),
        "{html}"
    );
    let ok = post(form("zoe%40example.fr")).await.expect("post");
    assert_eq!(ok.status(), StatusCode::CREATED);
    assert!(ok.text().await.expect("html").contains("zoe.lefevre"));
    // The link is spent.
    let again = post(form("autre%40example.fr")).await.expect("post");
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    let h = http
        .get(format!("{base}/healthz"))
        .send()
        .await
        .expect("health");
    assert_eq!(h.status(), StatusCode::OK);
    let _ = child.kill();
    let _ = child.wait();
    if db.label == "sqlite" {
        let journal: String = {
            let store = sesame_store::Store::connect(&sesame_store::Store::sqlite_url(dir.path()))
                .await
                .expect("reopen");
            let mut c = store.read().await.expect("conn");
            let mode: (String,) = sqlx::query_as("PRAGMA journal_mode")
                .fetch_one(&mut *c)
                .await
                .expect("pragma");
            mode.0
        };
        assert_eq!(journal, "wal");
    }
}
on_every_database!(
    serve_on_an_empty_data_directory_prints_a_setup_link,
    serve_sets_itself_up
);

/// Starts `sesame serve` with `extra` arguments; returns the child, its base URL and its log
/// (standard error) as it comes, line by line.
pub(crate) fn serve_with(
    db: &Db,
    data_dir: &std::path::Path,
    extra: &[&str],
) -> (
    std::process::Child,
    String,
    std::sync::mpsc::Receiver<String>,
) {
    serve_logging(db, data_dir, extra, "info")
}

/// [`serve_with`], logging what `rust_log` (`RUST_LOG`) asks for.
pub(crate) fn serve_logging(
    db: &Db,
    data_dir: &std::path::Path,
    extra: &[&str],
    rust_log: &str,
) -> (
    std::process::Child,
    String,
    std::sync::mpsc::Receiver<String>,
) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sesame"))
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--database-url")
        .arg(&db.url)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .env("SESAME_LANG", "en")
        .env("RUST_LOG", rust_log)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let (tx, log) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut base = String::new();
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout")).lines();
    for line in stdout.by_ref().map_while(Result::ok) {
        if let Some(i) = line.find("listening on http://") {
            base = line[i + "listening on ".len()..]
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_string();
            break;
        }
    }
    // Kept open and read, so that the server never writes into a closed pipe.
    std::thread::spawn(move || stdout.for_each(drop));
    assert!(!base.is_empty(), "serve printed its address");
    (child, base, log)
}

/// A fresh data directory where `sesame init` made `org` (`profile`) with its administrator
/// `admin` (`email`, `password`), in `lang`.
pub(crate) fn init_org(
    db: &Db,
    lang: &str,
    org: &str,
    profile: &str,
    email: &str,
    password: &str,
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    let pw = dir.path().join("pw");
    std::fs::write(&pw, format!("{password}\n")).expect("pw");
    let init = sesame(
        db,
        lang,
        &[
            "init",
            "--org",
            org,
            "--profile",
            profile,
            "--admin-login",
            "admin",
            "--admin-email",
            email,
            "--admin-password-file",
            pw.to_str().expect("path"),
        ],
    );
    assert_eq!(init.status, 0, "{}", init.stderr);
    dir
}

/// Without `--smtp-url`, an invitation queued from the command line is written as an .eml
/// file under <data-dir>/mail/ and its link is logged; with it, it goes to the SMTP server.
async fn invitations_from_the_command_line(db: &Db) {
    let dir = tempfile::tempdir().expect("dir");
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "correct horse battery staple\n").expect("pw");
    let init = sesame(
        db,
        "en",
        &[
            "init",
            "--org",
            "Les Lucioles",
            "--profile",
            "generic",
            "--admin-login",
            "admin",
            "--admin-email",
            "admin@lucioles.example",
            "--admin-password-file",
            pw.to_str().expect("path"),
        ],
    );
    assert_eq!(init.status, 0, "{}", init.stderr);
    let add = sesame(
        db,
        "en",
        &[
            "user",
            "add",
            "--email",
            "lea@example.org",
            "--first-name",
            "Léa",
            "--last-name",
            "Roy",
            "--invite",
        ],
    );
    assert_eq!(add.status, 0, "{}", add.stderr);

    let (mut child, _base, log) = serve_with(db, dir.path(), &[]);
    let mut link = None;
    while let Ok(line) = log.recv_timeout(std::time::Duration::from_secs(20)) {
        if line.contains("e-mail written") {
            link = line
                .split_whitespace()
                .find(|w| w.contains("/activate?token="))
                .map(|w| w.trim_start_matches("links=").to_string());
            break;
        }
    }
    let link = link.expect("the link is logged");
    assert!(link.starts_with("http://127.0.0.1:"), "{link}");
    let files: Vec<_> = std::fs::read_dir(dir.path().join("mail"))
        .expect("mail folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let eml = std::fs::read_to_string(&files[0]).expect("eml");
    assert!(eml.contains("To: lea@example.org"), "{eml}");
    assert!(
        eml.contains("From: \"Les Lucioles\" <sesame@localhost>")
            || eml.contains("From: Les Lucioles <sesame@localhost>"),
        "{eml}"
    );
    let _ = child.kill();
    let _ = child.wait();

    // With an SMTP server: `user invite` sends a new invitation there.
    let sink = crate::harness::SmtpSink::start(&[]);
    let again = sesame(db, "en", &["user", "invite", "lea.roy", "--json"]);
    assert_eq!(again.status, 0, "{}", again.stderr);
    assert_eq!(again.json()["kind"], "invitation");
    let (mut child, _base, _log) = serve_with(
        db,
        dir.path(),
        &[
            "--smtp-url",
            &sink.url(),
            "--public-url",
            "https://comptes.lucioles.example/",
            "--mail-from",
            "bonjour@lucioles.example",
        ],
    );
    let mails = sink.wait_for(1).await;
    assert_eq!(mails[0].rcpt, ["lea@example.org"]);
    assert!(
        mails[0]
            .text()
            .contains("https://comptes.lucioles.example/activate?token="),
        "{}",
        mails[0].text()
    );
    assert!(
        mails[0].from.contains("bonjour@lucioles.example"),
        "{}",
        mails[0].from
    );
    let _ = child.kill();
    let _ = child.wait();
}
on_every_database!(
    invitations_queued_at_the_command_line_are_delivered_by_serve,
    invitations_from_the_command_line
);

/// `sesame template`, `import` and `export` as PRODUCT.md fixes them: the `--json` summary, the
/// exit status (0 only when everything asked was done), the error file.
async fn spreadsheets_at_the_command_line(db: &Db) {
    let dir = tempfile::tempdir().expect("dir");
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "correct horse battery staple\n").expect("pw");
    let p = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let init = sesame(
        db,
        "fr",
        &[
            "init",
            "--org",
            "AMAP des Lilas",
            "--profile",
            "amap",
            "--admin-login",
            "admin",
            "--admin-email",
            "admin@lilas.example",
            "--admin-password-file",
            &p("pw"),
        ],
    );
    assert_eq!(init.status, 0, "{}", init.stderr);
    let t = sesame(db, "fr", &["template", "-o", &p("modele.xlsx")]);
    assert_eq!(t.status, 0, "{}", t.stderr);
    assert!(
        std::fs::read(p("modele.xlsx"))
            .expect("template")
            .starts_with(b"PK")
    );

    std::fs::write(
        p("membres.csv"),
        "Courriel;Prénom;Nom;Rôles\nzoe@lilas.example;Zoé;Lefèvre;Amapien\npas-une-adresse;Paul;Roy;Chef\n",
    )
    .expect("csv");
    let dry = sesame(
        db,
        "fr",
        &["import", &p("membres.csv"), "--dry-run", "--json"],
    );
    assert_eq!(dry.status, 1, "a row is wrong: {}", dry.stdout);
    let j = dry.json();
    assert_eq!(
        (j["created"].as_i64(), j["invalid"].as_i64()),
        (Some(1), Some(1)),
        "{j}"
    );
    assert_eq!(j["errors"][0]["row"], 3);
    assert_eq!(j["errors"][0]["column"], "Courriel");
    assert!(
        j["errors"][0]["message"]
            .as_str()
            .expect("message")
            .contains("@")
    );
    for key in ["updated", "unchanged"] {
        assert_eq!(j[key], 0, "{key} in {j}");
    }

    let refused = sesame(
        db,
        "fr",
        &[
            "import",
            &p("membres.csv"),
            "--error-file",
            &p("erreurs.csv"),
        ],
    );
    assert_eq!(refused.status, 1);
    assert!(
        refused.stdout.contains("Rien n'a été enregistré"),
        "{}",
        refused.stdout
    );
    let errors = std::fs::read_to_string(p("erreurs.csv")).expect("error file");
    assert!(
        errors.contains("pas-une-adresse") && errors.contains("Erreur") && !errors.contains("zoe@"),
        "{errors}"
    );

    // Fixed: everything asked is done, exit 0.
    std::fs::write(
        p("membres.csv"),
        "Courriel;Prénom;Nom;Rôles\nzoe@lilas.example;Zoé;Lefèvre;Amapien\npaul@lilas.example;Paul;Roy;Amapien\n",
    )
    .expect("csv");
    let ok = sesame(db, "fr", &["import", &p("membres.csv"), "--json"]);
    assert_eq!(ok.status, 0, "{}", ok.stdout);
    assert_eq!(ok.json()["created"], 2);
    let export = sesame(db, "fr", &["export", "-o", &p("export.csv")]);
    assert_eq!(export.status, 0, "{}", export.stderr);
    let text = std::fs::read_to_string(p("export.csv")).expect("export");
    assert!(
        text.contains("paul@lilas.example") && text.contains("Amapien"),
        "{text}"
    );
}
on_every_database!(
    spreadsheets_from_the_command_line,
    spreadsheets_at_the_command_line
);

/// Signs in through the API of a running `sesame serve` at `base`: the status and the body.
pub(crate) async fn sign_in_at(
    http: &reqwest::Client,
    base: &str,
    login: &str,
    password: &str,
) -> (u16, Value) {
    let r = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .expect("sign-in");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The session token of `login` at a running `sesame serve`; the sign-in must succeed.
pub(crate) async fn token_at(
    http: &reqwest::Client,
    base: &str,
    login: &str,
    password: &str,
) -> String {
    let (status, body) = sign_in_at(http, base, login, password).await;
    assert_eq!(status, 200, "{login} signs in: {body}");
    body["token"].as_str().expect("token").to_string()
}

/// The id of the person `token` signs in, from `/api/v1/me`.
pub(crate) async fn my_id(http: &reqwest::Client, base: &str, token: &str) -> String {
    let me: Value = http
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    me["user"]["id"].as_str().expect("id").to_string()
}

/// The administrator (`token`) adds Zoé Martin (`zoe`, Membre) and sends her the invitation.
pub(crate) async fn invite_zoe(http: &reqwest::Client, base: &str, token: &str) {
    let invited = http
        .post(format!("{base}/api/v1/users"))
        .bearer_auth(token)
        .json(&json!({"login": "zoe", "email": "zoe@lucioles.example",
            "first_name": "Zoé", "last_name": "Martin", "roles": [{"role": "Membre"}],
            "send_invitation": true}))
        .send()
        .await
        .expect("invite");
    assert_eq!(invited.status(), 201);
}

/// Stops a `sesame serve` started by the test.
pub(crate) fn stop(mut child: std::process::Child) {
    let _ = child.kill();
    let _ = child.wait();
}
