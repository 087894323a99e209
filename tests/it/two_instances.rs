//! Two instances, one database: the deployment the README offers for growth. Two real `sesame
//! serve` processes on one fresh PostgreSQL database, behind Debian's nginx (round-robin, no
//! stickiness, a POST never retried on the other instance), both sending through one real SMTP
//! server. Through the pages, as a browser does, whichever instance answers each step: the
//! import (upload, preview, confirmation), an invitation followed to its activation, a sign-in
//! with two-factor, a password reset; every e-mail is received exactly once; a form's one-time
//! value sent to both instances creates one person. PostgreSQL only (SQLite is one instance's
//! file): skipped with a notice when `SESAME_TEST_POSTGRES_URL` is unset.

use crate::cli::{init_org, serve_with};
use crate::harness::{ADMIN_PASSWORD, Db, SmtpSink, USER_PASSWORD, pyotp_code, unix_now};
use crate::nginx::{Nginx, free_port};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Child;

/// Any value of 32 characters or more is a CSRF token, as long as the form carries the same.
const CSRF: &str = "csrf-token-of-the-two-instances-0123456789";

/// A fresh PostgreSQL database, or `None` (said) when there is no PostgreSQL to test on.
async fn postgres() -> Option<Db> {
    match std::env::var("SESAME_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(Db::postgres(&url).await),
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "CI must set SESAME_TEST_POSTGRES_URL: the two-instance story cannot be skipped there"
            );
            eprintln!(
                "\n*** SESAME_TEST_POSTGRES_URL is not set: the two-instance story (PostgreSQL only) is SKIPPED ***\n"
            );
            None
        }
    }
}

/// Two `sesame serve` behind nginx, on one database and one SMTP server.
struct Pair {
    nginx: Nginx,
    servers: Vec<Child>,
    /// The instances' addresses, as nginx names them in `X-Upstream`.
    upstreams: Vec<String>,
    sink: SmtpSink,
    _dirs: Vec<tempfile::TempDir>,
}

impl Pair {
    fn start(db: &Db) -> Self {
        let dir = init_org(
            db,
            "fr",
            "AMAP des Lilas",
            "amap",
            "admin@example.org",
            ADMIN_PASSWORD,
        );
        let sink = SmtpSink::start(&[]);
        // The links in the e-mails lead to nginx, which is started once the instances listen.
        let port = free_port();
        let public = format!("http://127.0.0.1:{port}");
        let smtp = sink.url();
        let mut servers = Vec::new();
        let mut upstreams = Vec::new();
        let mut dirs = vec![dir];
        for _ in 0..2 {
            let data = tempfile::tempdir().expect("data dir");
            let (child, base, _log) = serve_with(
                db,
                data.path(),
                &[
                    "--trusted-proxies",
                    "127.0.0.1",
                    "--public-url",
                    &public,
                    "--smtp-url",
                    &smtp,
                ],
            );
            servers.push(child);
            upstreams.push(base.trim_start_matches("http://").to_string());
            dirs.push(data);
        }
        let nginx = Nginx::balancing(port, &upstreams);
        Pair {
            nginx,
            servers,
            upstreams,
            sink,
            _dirs: dirs,
        }
    }

    fn stop(mut self) {
        for s in &mut self.servers {
            let _ = s.kill();
            let _ = s.wait();
        }
    }
}

/// A browser without script, through nginx: its cookies, and which instance answered each
/// request, by step.
struct Browser {
    http: reqwest::Client,
    base: String,
    cookies: BTreeMap<String, String>,
    /// Step name → the instances that answered it.
    answered: BTreeMap<&'static str, Vec<String>>,
    /// The instance of the last answer.
    last: String,
}

/// An answer: status, where it leads, its body.
struct Page {
    status: StatusCode,
    location: String,
    body: String,
    upstream: String,
}

impl Browser {
    fn new(base: &str) -> Self {
        let mut cookies = BTreeMap::new();
        cookies.insert("sesame_csrf".to_string(), CSRF.to_string());
        Browser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            base: base.to_string(),
            cookies,
            answered: BTreeMap::new(),
            last: String::new(),
        }
    }

    async fn answer(&mut self, step: &'static str, r: reqwest::Response) -> Page {
        for v in r.headers().get_all(SET_COOKIE) {
            let Some(pair) = v.to_str().ok().and_then(|c| c.split(';').next()) else {
                continue;
            };
            if let Some((name, value)) = pair.split_once('=') {
                let gone = v.to_str().is_ok_and(|c| c.contains("Max-Age=0"));
                if gone || value.is_empty() {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_string(), value.to_string());
                }
            }
        }
        let header = |name| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let upstream = header("x-upstream");
        assert!(!upstream.is_empty(), "nginx names the instance of {step}");
        self.answered
            .entry(step)
            .or_default()
            .push(upstream.clone());
        let location = header(LOCATION.as_str());
        self.last = upstream.clone();
        Page {
            status: r.status(),
            location,
            upstream,
            body: r.text().await.unwrap_or_default(),
        }
    }

    /// Makes `upstream` answer the next request: nginx alone sends requests to the instances
    /// (one worker, round-robin), so they alternate; a health check skips one.
    async fn next_to(&mut self, upstream: &str) {
        if self.last == upstream {
            self.get("health", "/healthz").await;
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn get(&mut self, step: &'static str, path: &str) -> Page {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .header("Accept-Language", "fr")
            .send()
            .await
            .expect("get");
        self.answer(step, r).await
    }

    async fn post(&mut self, step: &'static str, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut all = vec![("csrf", CSRF)];
        all.extend_from_slice(fields);
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .header("Accept-Language", "fr")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(&all).expect("form"))
            .send()
            .await
            .expect("post");
        self.answer(step, r).await
    }

    async fn upload(&mut self, path: &str, name: &str, bytes: Vec<u8>) -> Page {
        let form = reqwest::multipart::Form::new().text("csrf", CSRF).part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .header("Accept-Language", "fr")
            .multipart(form)
            .send()
            .await
            .expect("upload");
        self.answer("upload", r).await
    }

    /// Signs in on the sign-in page; the code page's answer when a code is asked.
    async fn sign_in(&mut self, login: &str, password: &str) -> Page {
        self.get("sign-in page", "/sign-in").await;
        self.post(
            "sign-in",
            "/sign-in",
            &[("login", login), ("password", password), ("next", "/")],
        )
        .await
    }

    /// An import's page, once it shows `want` (the file is read meanwhile).
    async fn import_done(&mut self, step: &'static str, path: &str, want: &str) -> Page {
        let mut last = String::new();
        for _ in 0..200 {
            let page = self.get(step, path).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            if page.body.contains(want) {
                return page;
            }
            last = format!("answered by {}: {}", page.upstream, page.body);
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the import at {path} never showed {want}; last {last}");
    }
}

/// The value of the hidden input `name` of a page.
fn hidden(html: &str, name: &str) -> String {
    hidden_if_any(html, name).unwrap_or_else(|| panic!("no {name} in the page: {html}"))
}

fn hidden_if_any(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let start = html[..at].rfind('<').expect("tag");
    let tag = &html[start..at + html[at..].find('>').expect("tag end")];
    let v = tag.find("value=\"")? + "value=\"".len();
    Some(tag[v..v + tag[v..].find('"')?].to_string())
}

/// The administrator's API token, through nginx.
async fn api_token(base: &str, login: &str, password: &str) -> String {
    let r: Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .expect("sign-in")
        .json()
        .await
        .expect("json");
    r["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_string()
}

async fn api(base: &str, token: &str, method: reqwest::Method, path: &str, body: Value) -> Value {
    let r = reqwest::Client::new()
        .request(method, format!("{base}{path}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("api");
    r.json().await.unwrap_or(Value::Null)
}

/// Waits until the outbox has nothing left to send; its messages (recipient, kind).
async fn outbox_sent(base: &str, admin: &str) -> Vec<(String, String)> {
    for _ in 0..400 {
        let page = api(
            base,
            admin,
            reqwest::Method::GET,
            "/api/v1/outbox?limit=200",
            Value::Null,
        )
        .await;
        let items = page["items"].as_array().cloned().unwrap_or_default();
        if !items.is_empty() && items.iter().all(|m| m["state"] != "queued") {
            assert!(items.iter().all(|m| m["state"] == "sent"), "{page}");
            return items
                .iter()
                .map(|m| {
                    (
                        m["recipient"].as_str().unwrap_or("").to_lowercase(),
                        m["kind"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the outbox did not empty");
}

/// The browser story's steps, each answered by either instance.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_behind_a_load_balancer_share_everything() {
    let Some(db) = postgres().await else { return };
    let pair = Pair::start(&db);
    let base = pair.nginx.base.clone();
    let mut admin = Browser::new(&base);
    let signed = admin.sign_in("admin", ADMIN_PASSWORD).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    assert_eq!(signed.location, "/");

    // The import, six times: upload, preview, confirmation, result. Round-robin sends the steps
    // to either instance; an extra page now and then shifts which one gets which.
    let mut crossed = BTreeSet::new();
    let mut expected_invitations = Vec::new();
    for round in 0..6 {
        let page = admin.get("import page", "/import").await;
        assert_eq!(page.status, StatusCode::OK);
        // Each instance takes the upload in turn, and the confirmation goes to the other.
        admin.next_to(&pair.upstreams[round % 2]).await;
        let email = format!("membre{round}@example.org");
        let csv = format!("Courriel;Prénom;Nom;Rôles\n{email};Prénom{round};Nom{round};Amapien\n");
        let uploaded = admin
            .upload("/import", &format!("membres{round}.csv"), csv.into_bytes())
            .await;
        assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
        let preview_path = uploaded.location.clone();
        // The preview offers the confirmation, whichever instance kept the file.
        let apply = format!("{preview_path}/apply");
        let preview = admin
            .import_done("preview", &preview_path, &format!("action=\"{apply}\""))
            .await;
        let once = hidden(&preview.body, "once");
        admin.next_to(&pair.upstreams[(round + 1) % 2]).await;
        let confirmed = admin
            .post(
                "confirm",
                &apply,
                &[("once", &once), ("send_invitations", "on")],
            )
            .await;
        assert_eq!(
            confirmed.status,
            StatusCode::SEE_OTHER,
            "the confirmation, answered by {} after an upload to {}: {}",
            confirmed.upstream,
            uploaded.upstream,
            confirmed.body
        );
        admin
            .import_done("result", &confirmed.location, &email)
            .await;
        expected_invitations.push(email);
        if uploaded.upstream != confirmed.upstream {
            crossed.insert((uploaded.upstream, confirmed.upstream));
        }
    }
    assert_eq!(
        crossed.len(),
        2,
        "files uploaded to each instance were confirmed on the other: {crossed:?}"
    );

    // A person created with an invitation; the e-mail's link opened and the account activated.
    let page = admin.get("new person page", "/users/new").await;
    let once = hidden(&page.body, "once");
    let created = admin
        .post(
            "create person",
            "/users/new",
            &[
                ("once", &once),
                ("first_name", "Zoé"),
                ("last_name", "Martin"),
                ("email", "zoe@example.org"),
                ("send_invitation", "on"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    expected_invitations.push("zoe@example.org".into());
    let invitation = wait_for_mail(&pair.sink, "zoe@example.org").await;
    let token = invitation.token("/activate");
    let mut zoe = Browser::new(&base);
    let opened = zoe
        .get("open link", &format!("/activate?token={token}"))
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    let form = zoe.get("link page", &opened.location).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    // The token is in the link's cookie now (or in the form).
    let link_token = hidden_if_any(&form.body, "token").unwrap_or_default();
    let activated = zoe
        .post(
            "activate",
            "/activate",
            &[("token", &link_token), ("password", USER_PASSWORD)],
        )
        .await;
    assert_eq!(activated.status, StatusCode::OK, "{}", activated.body);

    // Zoé enrols in two-factor (through the API), then signs in with a code, twice.
    let zoe_token = api_token(&base, "zoe.martin", USER_PASSWORD).await;
    let enrolled = api(
        &base,
        &zoe_token,
        reqwest::Method::POST,
        "/api/v1/account/mfa/totp",
        json!({}),
    )
    .await;
    let secret = enrolled["secret"].as_str().expect("secret").to_string();
    let confirmed = api(
        &base,
        &zoe_token,
        reqwest::Method::POST,
        "/api/v1/account/mfa/totp/confirm",
        json!({"code": pyotp_code(&secret, unix_now())}),
    )
    .await;
    let recovery = confirmed["recovery_codes"][0]
        .as_str()
        .unwrap_or_else(|| panic!("{confirmed}"))
        .to_string();
    // The next step's code (one step of clock skew is accepted; each code once), then a
    // recovery code.
    let codes = [pyotp_code(&secret, unix_now() + 30), recovery];
    let mut steps = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let mut browser = Browser::new(&base);
        let asked = browser.sign_in("zoe.martin", USER_PASSWORD).await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
        assert!(
            asked.location.starts_with("/sign-in/code"),
            "{}",
            asked.location
        );
        // Without the code page once, the code goes to the other instance than the password
        // (round-robin alternates).
        if i == 1 {
            let code_page = browser.get("code page", &asked.location).await;
            assert_eq!(code_page.status, StatusCode::OK, "{}", code_page.body);
        }
        let done = browser
            .post("code", "/sign-in/code", &[("code", code), ("next", "/")])
            .await;
        assert_eq!(
            done.status,
            StatusCode::SEE_OTHER,
            "sign-in {i}: {}",
            done.body
        );
        steps.push((asked.upstream.clone(), done.upstream.clone()));
        let home = browser.get("signed in", "/account").await;
        assert_eq!(home.status, StatusCode::OK, "sign-in {i}: {}", home.body);
    }
    assert!(
        steps.iter().any(|(password, code)| password != code),
        "a code typed on one instance after the password on the other: {steps:?}"
    );

    // A forgotten password: the form, the e-mail, the link, a new password.
    let mut visitor = Browser::new(&base);
    let asked = visitor
        .post(
            "forgotten password",
            "/password-reset",
            &[("email", "zoe@example.org")],
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let reset = wait_for_kind(&pair.sink, "zoe@example.org", "/password-reset").await;
    let token = reset.token("/password-reset");
    let opened = visitor
        .get("open link", &format!("/password-reset?token={token}"))
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    let form = visitor.get("link page", &opened.location).await;
    let link_token = hidden_if_any(&form.body, "token").unwrap_or_default();
    let new_password = "une toute nouvelle phrase de passe";
    let changed = visitor
        .post(
            "reset",
            "/password-reset",
            &[("token", &link_token), ("password", new_password)],
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let mut browser = Browser::new(&base);
    let asked = browser.sign_in("zoe.martin", new_password).await;
    assert!(
        asked.location.starts_with("/sign-in/code"),
        "{}",
        asked.body
    );

    // Both instances answered, and each of the steps above was answered by both.
    let mut everyone = admin.answered.clone();
    for b in [&zoe, &visitor, &browser] {
        for (step, by) in &b.answered {
            everyone.entry(step).or_default().extend(by.iter().cloned());
        }
    }
    let all: BTreeSet<&String> = everyone.values().flatten().collect();
    let want: BTreeSet<&String> = pair.upstreams.iter().collect();
    assert_eq!(all, want, "both instances answered");
    for step in ["upload", "preview", "confirm", "result"] {
        let by: BTreeSet<&String> = everyone[step].iter().collect();
        assert_eq!(by.len(), 2, "{step} was answered by both instances: {by:?}");
    }

    // Every e-mail was received exactly once: what the outbox sent, message by message.
    let admin_token = api_token(&base, "admin", ADMIN_PASSWORD).await;
    let sent = outbox_sent(&base, &admin_token).await;
    // Nothing arrives after the outbox says it is done.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let mails = pair.sink.mails();
    let ids: BTreeSet<&String> = mails.iter().map(|m| &m.message_id).collect();
    assert_eq!(ids.len(), mails.len(), "no message received twice");
    let mut received: BTreeMap<String, usize> = BTreeMap::new();
    for m in &mails {
        for r in &m.rcpt {
            *received.entry(r.to_lowercase()).or_default() += 1;
        }
    }
    let mut queued: BTreeMap<String, usize> = BTreeMap::new();
    for (recipient, _) in &sent {
        *queued.entry(recipient.clone()).or_default() += 1;
    }
    assert_eq!(received, queued, "each e-mail sent once: {sent:?}");
    for email in &expected_invitations {
        assert!(
            sent.contains(&(email.clone(), "invitation".into())),
            "{email}: {sent:?}"
        );
    }
    assert!(
        sent.contains(&("zoe@example.org".into(), "password_reset".into())),
        "{sent:?}"
    );
    pair.stop();
    db.cleanup().await;
}

/// A form's one-time value posted twice, once to each instance, at the same time: one person.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_sent_to_both_instances_creates_one_person() {
    let Some(db) = postgres().await else { return };
    let pair = Pair::start(&db);
    let base = pair.nginx.base.clone();
    let mut admin = Browser::new(&base);
    let signed = admin.sign_in("admin", ADMIN_PASSWORD).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    for (i, last) in ["Durand", "Petit"].into_iter().enumerate() {
        let page = admin.get("new person page", "/users/new").await;
        let once = hidden(&page.body, "once");
        let email = format!("lea.{}@example.org", last.to_lowercase());
        let fields = [
            ("csrf", CSRF),
            ("once", once.as_str()),
            ("first_name", "Léa"),
            ("last_name", last),
            ("email", &email),
        ];
        let body = serde_urlencoded::to_string(fields).expect("form");
        let send = || {
            admin
                .http
                .post(format!("{base}/users/new"))
                .header(COOKIE, admin.cookie_header())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body.clone())
                .send()
        };
        // The first round at once (the second waits for the first); the second one after the
        // other (the second finds the first's result).
        let (a, b) = if i == 0 {
            let (a, b) = tokio::join!(send(), send());
            (a.expect("post"), b.expect("post"))
        } else {
            let a = send().await.expect("post");
            (a, send().await.expect("post"))
        };
        let by: BTreeSet<String> = [&a, &b]
            .iter()
            .map(|r| r.headers()["x-upstream"].to_str().expect("x").to_string())
            .collect();
        assert_eq!(by.len(), 2, "each instance got one: {by:?}");
        let location = |r: &reqwest::Response| r.headers().get(LOCATION).cloned();
        let (la, lb) = (location(&a), location(&b));
        let (sa, sb) = (a.status(), b.status());
        assert_eq!(
            sa,
            StatusCode::SEE_OTHER,
            "{}",
            a.text().await.unwrap_or_default()
        );
        assert_eq!(
            sb,
            StatusCode::SEE_OTHER,
            "{}",
            b.text().await.unwrap_or_default()
        );
        assert_eq!(la, lb);
        let token = api_token(&base, "admin", ADMIN_PASSWORD).await;
        let found = api(
            &base,
            &token,
            reqwest::Method::GET,
            &format!("/api/v1/users?q={last}"),
            Value::Null,
        )
        .await;
        assert_eq!(
            found["items"].as_array().map(Vec::len),
            Some(1),
            "one {last}: {found}"
        );
    }
    pair.stop();
    db.cleanup().await;
}

async fn wait_for_mail(sink: &SmtpSink, to: &str) -> crate::harness::Mail {
    wait_for_kind(sink, to, "/activate").await
}

/// The first message to `to` holding a link to `path`.
async fn wait_for_kind(sink: &SmtpSink, to: &str, path: &str) -> crate::harness::Mail {
    for _ in 0..400 {
        if let Some(m) = sink.mails().into_iter().find(|m| {
            m.rcpt.iter().any(|r| r.eq_ignore_ascii_case(to))
                && m.text().contains(&format!("{path}?token="))
        }) {
            return m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no e-mail to {to} with a {path} link");
}
