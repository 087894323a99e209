//! Mail bombing by an administrator's script (issue 19): no more than five e-mails asked one at
//! a time — invitations, reset links, messages sent again — reach one address within an hour,
//! counted in the database so that every instance agrees; beyond, a 429 that names the address
//! and when it can be written to again, in both languages, and the outbox says so. An import's
//! one invitation per person is never refused.

use crate::harness::{ADMIN_PASSWORD, Db, Server};
use crate::on_every_database;
use crate::web_pages::Browser;
use reqwest::Method;
use serde_json::json;
use sesame_core::Profile;

async fn a_script_cannot_flood_one_mailbox(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let made = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "Marie.Curie@example.fr", "first_name": "Marie", "last_name": "Curie", "roles": [{"role": "Amapien"}], "send_invitation": true}),
        )
        .await;
    assert_eq!(made.status.as_u16(), 201, "{}", made.body);
    let marie = made.body["id"].as_str().expect("id").to_string();
    let path = format!("/api/v1/users/{marie}/invitation");
    // The invitation at creation was the first; four more go.
    let mut message = String::new();
    for _ in 0..4 {
        let sent = s.post(&path, &admin, json!({})).await;
        assert_eq!(sent.status.as_u16(), 202, "{}", sent.body);
        message = sent.body["message_id"].as_str().expect("id").to_string();
    }
    // The sixth is refused, saying to whom and when, in French…
    let refused = s.post(&path, &admin, json!({})).await;
    let text = refused.problem(429, "recipient", "mail.recipient_limit");
    assert_eq!(
        refused.body["type"], "urn:sesame:problem:recipient-limit",
        "{}",
        refused.body
    );
    assert!(
        text.contains("5 courriels") && text.contains("marie.curie@example.fr"),
        "{text}"
    );
    assert!(text.contains("dans 60 minutes"), "{text}");
    let wait: u64 = refused.headers["retry-after"]
        .to_str()
        .expect("header")
        .parse()
        .expect("seconds");
    assert!((3500..=3600).contains(&wait), "Retry-After: {wait}");
    let args = &refused.body["errors"][0]["args"];
    assert_eq!(args["address"], "marie.curie@example.fr");
    assert!(args["retry_at"].as_str().is_some_and(|t| t.contains('T')));
    // … and in English.
    let en = s
        .call_lang(
            Method::POST,
            &path,
            Some(&admin),
            Some(json!({})),
            Some("en"),
        )
        .await;
    let text = en.problem(429, "recipient", "mail.recipient_limit");
    assert!(
        text.contains("Already 5 e-mails") && text.contains("in 60 minutes"),
        "{text}"
    );
    // Sending a message again counts the same; on another instance too.
    let other = Server::start(db).await;
    let again = other
        .post(
            &format!("/api/v1/outbox/{message}/resend"),
            &admin,
            json!({}),
        )
        .await;
    again.problem(429, "recipient", "mail.recipient_limit");
    // Nothing of the refused sends was queued.
    let outbox = s.get("/api/v1/outbox?limit=500", &admin).await;
    let to_marie = outbox.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|m| m["recipient"] == "marie.curie@example.fr")
        .count();
    assert_eq!(to_marie, 5, "{}", outbox.body);
    // The outbox names the address and when it can be written to again.
    let limited = &outbox.body["limited"];
    assert_eq!(limited.as_array().map(Vec::len), Some(1), "{limited}");
    assert_eq!(limited[0]["recipient"], "marie.curie@example.fr");
    assert_eq!(limited[0]["sent"], 5);
    assert_eq!(limited[0]["limit"], 5);
    let browser = Browser::signed_in(&s, "admin", ADMIN_PASSWORD).await;
    let (_, page) = browser.get("/emails").await;
    assert!(
        page.contains("id=\"limited\"") && page.contains("marie.curie@example.fr : 5 envois"),
        "{page}"
    );

    // Another address is not concerned.
    let paul = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "paul@example.fr", "first_name": "Paul", "last_name": "Langevin", "roles": [{"role": "Amapien"}]}),
        )
        .await;
    let paul = paul.body["id"].as_str().expect("id").to_string();
    let sent = s
        .post(
            &format!("/api/v1/users/{paul}/invitation"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(sent.status.as_u16(), 202, "{}", sent.body);

    // An import invites each new person once, however many they are, and is never refused.
    let mut csv = String::from("Courriel;Prénom;Nom;Rôles\n");
    for i in 0..30 {
        csv.push_str(&format!("membre{i}@example.fr;Prénom{i};Nom{i};Amapien\n"));
    }
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("membres.csv"),
        )
        .text("send_invitations", "true");
    let up = s
        .http
        .post(format!("{}/api/v1/imports", s.base))
        .bearer_auth(&admin)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let job: serde_json::Value = up.json().await.expect("json");
    assert_eq!(job["summary"]["created"], 30, "{job}");
    let outbox = s.get("/api/v1/outbox?limit=500", &admin).await;
    let invitations = outbox.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|m| {
            m["kind"] == "invitation"
                && m["recipient"]
                    .as_str()
                    .is_some_and(|r| r.starts_with("membre"))
        })
        .count();
    assert_eq!(invitations, 30);
    other.stop().await;
    s.stop().await;
}
on_every_database!(
    a_script_cannot_flood_one_mailbox_with_invitations,
    a_script_cannot_flood_one_mailbox
);
