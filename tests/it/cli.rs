//! The operator's story at the command line, with the real binary: `serve` on an empty data
//! directory, `init`, `user`, `group`, `role`, `token`, with tables, JSON and exit statuses.

use crate::harness::{Db, Server};
use crate::on_every_database;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("JSON on stdout ({e}): {}", self.stdout))
    }
}

fn sesame(db: &Db, lang: &str, args: &[&str]) -> Run {
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

    // The administrator lost their phone: the operator removes their two-factor.
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
    let page = http
        .get(format!("{base}/setup?token={token}"))
        .header("accept-language", "fr-FR")
        .send()
        .await
        .expect("page");
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
