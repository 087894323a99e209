//! The web pages of the audit log, the e-mails, the notifications and the signature, at the
//! HTTP level — what the browser test sees less well: who is refused, the CSRF check of the
//! resend form, the export's cells neutralised against formula injection, a wrong filter
//! answered on its field.

use crate::harness::{Db, Server};
use crate::on_every_database;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::json;
use sesame_core::Profile;

/// A browser that does not follow redirects: the session cookie, and the CSRF cookie the
/// pages set.
struct Browser {
    http: reqwest::Client,
    base: String,
    session: String,
    csrf: String,
}

impl Browser {
    fn new(s: &Server, session: &str) -> Self {
        Browser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            base: s.base.clone(),
            session: session.to_string(),
            csrf: String::new(),
        }
    }

    fn cookies(&self) -> String {
        format!("sesame_session={}; sesame_csrf={}", self.session, self.csrf)
    }

    async fn get(&mut self, path: &str) -> (StatusCode, String, Vec<u8>) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header(COOKIE, self.cookies())
            .send()
            .await
            .expect("get");
        for v in r.headers().get_all(SET_COOKIE) {
            if let Some(rest) = v.to_str().ok().and_then(|c| c.strip_prefix("sesame_csrf=")) {
                self.csrf = rest.split(';').next().unwrap_or_default().to_string();
            }
        }
        let status = r.status();
        let kind = r
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (status, kind, r.bytes().await.expect("body").to_vec())
    }

    async fn text(&mut self, path: &str) -> (StatusCode, String) {
        let (status, _, body) = self.get(path).await;
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// A form sent with `csrf` as its token; the answer's status and where it leads.
    async fn post(&self, path: &str, csrf: &str) -> (StatusCode, String) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header(COOKIE, self.cookies())
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            // The tokens are URL-safe already.
            .body(format!("csrf={csrf}"))
            .send()
            .await
            .expect("post");
        let to = r
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (r.status(), to)
    }
}

async fn audit_and_emails_pages(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let group = s
        .post(
            "/api/v1/groups",
            &admin,
            json!({"name": "=HYPERLINK(\"http://evil.example\")"}),
        )
        .await;
    assert_eq!(group.status, StatusCode::CREATED, "{}", group.body);
    let mut a = Browser::new(&s, &admin);

    // The export: the group's name, which a spreadsheet would run, is written as text.
    let (status, kind, csv) = a.get("/audit/export?format=csv&action=group.").await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/csv"), "{kind}");
    let csv = String::from_utf8(csv).expect("utf-8");
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(
        !csv.contains(";=HYPERLINK") && !csv.contains("\"=HYPERLINK"),
        "{csv}"
    );
    assert!(
        csv.contains("group.create") && !csv.contains("auth.sign_in"),
        "{csv}"
    );
    // When: said in the organisation's zone and the reader's language for people, and kept in
    // RFC 3339, UTC, in the next column for programs and sorting.
    assert!(
        csv.contains("Horodatage (UTC, RFC 3339)") && !csv.contains(" UTC;"),
        "{csv}"
    );
    let row = csv
        .lines()
        .find(|l| l.contains("group.create"))
        .expect("the group's row");
    let at = row
        .split(';')
        .find(|c| c.len() == 24 && c.ends_with('Z') && c.as_bytes()[10] == b'T')
        .unwrap_or_else(|| panic!("an RFC 3339 time in {row}"));
    let paris = sesame_core::Zone::parse("Europe/Paris").expect("zone");
    let said = sesame_app::time::date_time_of(sesame_core::Language::Fr, &paris, at);
    assert!(row.starts_with(&said), "{said} first in {row}");
    let (status, _, xlsx) = a.get("/audit/export?format=xlsx").await;
    assert_eq!(status, StatusCode::OK);
    assert!(xlsx.starts_with(b"PK"), "an XLSX file");

    // A date range backwards: said on its field, the filters typed kept.
    let (status, page) = a.text("/audit?since=2030-05-10&until=2030-05-01").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("La date de fin est avant la date de début"),
        "{page}"
    );
    assert!(
        page.contains(
            "id=\"until\" name=\"until\" type=\"date\" value=\"2030-05-01\" aria-invalid=\"true\""
        ),
        "{page}"
    );
    let (status, page) = a.text("/audit?actor=personne").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Personne n’a l’identifiant ou l’adresse « personne »"),
        "{page}"
    );

    // The outbox: an invitation, sent again only with the form's token.
    let u = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "paul@example.fr", "first_name": "Paul", "last_name": "Martin", "send_invitation": true}),
        )
        .await;
    assert_eq!(u.status, StatusCode::CREATED, "{}", u.body);
    let outbox = s.get("/api/v1/outbox", &admin).await;
    let id = outbox.body["items"][0]["id"]
        .as_str()
        .expect("a message")
        .to_string();
    let (status, page) = a.text("/emails").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("paul@example.fr") && page.contains("Invitation"),
        "{page}"
    );
    let resend = format!("/emails/{id}/resend");
    let (status, _) = a.post(&resend, "not-the-token").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a form without its token");
    let (status, to) = a.post(&resend, &a.csrf.clone()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/emails?done=email-resent");
    let log = s.get("/api/v1/audit?action=outbox.", &admin).await;
    assert_eq!(log.body["items"].as_array().map(Vec::len), Some(1));

    // Someone without the permissions: refused, and not offered in the menu.
    let (_, member) = s
        .user_with_roles(&admin, "marie", json!([{"role": "Amapien"}]))
        .await;
    let mut m = Browser::new(&s, &member);
    for path in [
        "/audit",
        "/audit/export?format=csv",
        "/emails",
        "/account/signature",
    ] {
        let (status, _) = m.text(path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let (status, page) = m.text("/account/notifications").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("href=\"/audit\"") && !page.contains("href=\"/emails\""));
    let (status, _) = m.post(&resend, &m.csrf.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "resend needs the permission");

    // A user's tabs: Marie's notifications for the administrator to set; no Signature tab for
    // someone who may not sign, whatever the address asks.
    let marie = s.get("/api/v1/users?q=marie", &admin).await;
    let marie_id = marie.body["items"][0]["id"]
        .as_str()
        .expect("marie")
        .to_string();
    let (status, page) = a
        .text(&format!("/users/{marie_id}?tab=notifications"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("action=\"/users/{marie_id}/notifications\"")),
        "{page}"
    );
    assert!(!page.contains("?tab=signature"), "{page}");
    let (status, page) = a.text(&format!("/users/{marie_id}?tab=signature")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !page.contains("id=\"signature-preview\""),
        "the profile instead"
    );
    let (status, _) = m
        .text(&format!("/users/{marie_id}?tab=notifications"))
        .await;
    assert_eq!(status, StatusCode::OK, "her own page");
    let boss = s.get("/api/v1/users?q=admin", &admin).await;
    let boss_id = boss.body["items"][0]["id"].as_str().expect("admin");
    let (status, _) = m.text(&format!("/users/{boss_id}?tab=notifications")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not someone else's");
    let (status, page) = a.text(&format!("/users/{boss_id}?tab=signature")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Cette personne n’a pas de signature."),
        "{page}"
    );

    s.stop().await;
}

on_every_database!(audit_and_emails_pages_work, audit_and_emails_pages);
