//! The outbox delivering through a real SMTP server (aiosmtpd): a message queued while the
//! server is down leaves exactly once when it is back, even across a restart of Sésame; a
//! recipient the server refuses fails visibly while the others go out; two instances sharing a
//! database send each message once.

use crate::harness::{Db, Server, SmtpSink, pyotp_code, unix_now};
use crate::on_every_database;
use reqwest::StatusCode;
use serde_json::json;
use sesame_core::Profile;
use std::collections::BTreeSet;

async fn start(db: &Db, sink: &SmtpSink) -> Server {
    let mailer = sink.mailer();
    Server::start_with(db, move |app| app.mailer = mailer).await
}

async fn invite(s: &Server, admin: &str, email: &str) -> String {
    let a = s
        .post(
            "/api/v1/users",
            admin,
            json!({"email": email, "first_name": "Ana", "last_name": email.split('@').next(), "send_invitation": true}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    a.body["id"].as_str().expect("id").to_string()
}

/// Waits until the outbox holds no queued message; returns the list.
async fn settled(s: &Server, admin: &str) -> serde_json::Value {
    for _ in 0..400 {
        let list = s.get("/api/v1/outbox", admin).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let items = list.body["items"].as_array().expect("items").clone();
        if items.iter().all(|m| m["state"] != "queued") {
            return list.body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the outbox never settled");
}

async fn smtp_down_then_back_across_a_restart(db: &Db) {
    let mut sink = SmtpSink::down();
    let s = start(db, &sink).await;
    let admin = s.init(Profile::Generic).await;
    invite(&s, &admin, "marc@example.org").await;

    // Tried, refused by nobody listening: queued again with the reason.
    let mut seen = serde_json::Value::Null;
    for _ in 0..200 {
        seen = s.get("/api/v1/outbox", &admin).await.body;
        if seen["items"][0]["attempts"].as_i64().unwrap_or(0) >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let m = &seen["items"][0];
    assert_eq!(m["state"], "queued", "{seen}");
    assert!(m["attempts"].as_i64().expect("attempts") >= 2, "{seen}");
    assert!(
        m["last_error"].as_str().is_some_and(|e| !e.is_empty()),
        "{seen}"
    );
    let id = m["id"].as_str().expect("id").to_string();

    // Sésame restarts while the SMTP server is still down; then the server comes back.
    s.stop().await;
    let s = start(db, &sink).await;
    let admin = s.login("admin", crate::harness::ADMIN_PASSWORD).await;
    sink.restart();
    let mails = sink.wait_for(1).await;
    let list = settled(&s, &admin).await;
    assert_eq!(list["items"][0]["state"], "sent", "{list}");
    assert_eq!(list["items"][0]["id"], id.as_str());
    // Exactly once, and the link in it works.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(sink.mails().len(), 1);
    assert_eq!(mails[0].rcpt, ["marc@example.org"]);
    assert!(
        mails[0].message_id.starts_with(&format!("<{id}@")),
        "{}",
        mails[0].message_id
    );
    let token = mails[0].token("/activate");
    let on = s
        .call(
            reqwest::Method::POST,
            "/api/v1/account/activate",
            None,
            Some(json!({"token": token, "password": crate::harness::USER_PASSWORD})),
        )
        .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    s.stop().await;
}
on_every_database!(
    a_message_queued_while_smtp_is_down_leaves_once_after_a_restart,
    smtp_down_then_back_across_a_restart
);

async fn a_refused_recipient_fails_visibly_and_can_be_resent(db: &Db) {
    let sink = SmtpSink::start(&["absent@example.org"]);
    let s = start(db, &sink).await;
    let admin = s.init(Profile::Generic).await;
    invite(&s, &admin, "absent@example.org").await;
    invite(&s, &admin, "present@example.org").await;
    let mails = sink.wait_for(1).await;
    let list = settled(&s, &admin).await;
    let items = list["items"].as_array().expect("items");
    let failed = items
        .iter()
        .find(|m| m["recipient"] == "absent@example.org")
        .expect("failed message");
    assert_eq!(failed["state"], "failed", "{list}");
    assert!(
        failed["last_error"]
            .as_str()
            .expect("reason")
            .contains("550"),
        "{list}"
    );
    let sent = items
        .iter()
        .find(|m| m["recipient"] == "present@example.org")
        .expect("sent message");
    assert_eq!(sent["state"], "sent");
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].rcpt, ["present@example.org"]);

    // Filtered by state.
    let only = s.get("/api/v1/outbox?state=failed", &admin).await;
    assert_eq!(
        only.body["items"].as_array().expect("items").len(),
        1,
        "{}",
        only.body
    );
    s.get("/api/v1/outbox?state=lost", &admin)
        .await
        .problem(422, "state", "outbox.state");

    // Someone without the settings permission sees nothing of it.
    let (_, member) = s.user_with_roles(&admin, "membre", json!([])).await;
    s.get("/api/v1/outbox", &member)
        .await
        .problem(403, "", "permission.missing");

    // Resent: queued again, fails again with the same reason (the address is still refused).
    let id = failed["id"].as_str().expect("id");
    let again = s
        .post(&format!("/api/v1/outbox/{id}/resend"), &admin, json!({}))
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.body["state"], "queued");
    let list = settled(&s, &admin).await;
    let failed = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["id"] == id)
        .expect("message")
        .clone();
    assert_eq!(failed["state"], "failed");
    assert_eq!(failed["attempts"], 1, "the schedule starts again: {failed}");
    s.get("/api/v1/outbox/nope", &admin)
        .await
        .problem(404, "", "notfound.message");
    s.stop().await;
}
on_every_database!(
    a_recipient_refused_by_smtp_fails_visibly_while_others_go_out,
    a_refused_recipient_fails_visibly_and_can_be_resent
);

async fn two_instances_send_each_message_once(db: &Db) {
    let mut sink = SmtpSink::down();
    let a = start(db, &sink).await;
    let admin = a.init(Profile::Generic).await;
    for n in 0..30 {
        invite(&a, &admin, &format!("p{n}@example.org")).await;
    }
    // A second instance on the same database; both workers race for the same rows.
    let b = start(db, &sink).await;
    sink.restart();
    sink.wait_for(30).await;
    settled(&a, &admin).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mails = sink.mails();
    let ids: BTreeSet<&str> = mails.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(mails.len(), 30, "each message once");
    assert_eq!(ids.len(), 30);
    b.stop().await;
    a.stop().await;
}
on_every_database!(
    two_instances_sharing_a_database_send_each_message_once,
    two_instances_send_each_message_once
);

async fn security_notices_follow_two_factor_changes(db: &Db) {
    let sink = SmtpSink::start(&[]);
    let s = start(db, &sink).await;
    let admin = s.init(Profile::Generic).await;
    let (id, token) = s.user_with_roles(&admin, "ines", json!([])).await;
    let started = s.post("/api/v1/account/mfa/totp", &token, json!({})).await;
    let secret = started.body["secret"].as_str().expect("secret").to_string();
    let code = pyotp_code(&secret, unix_now());
    let ok = s
        .post(
            "/api/v1/account/mfa/totp/confirm",
            &token,
            json!({"code": code}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let mails = sink.wait_for(1).await;
    assert_eq!(mails[0].rcpt, ["ines@example.org"]);
    assert!(mails[0].subject.contains("activée"), "{}", mails[0].subject);

    // The administrator resets it: Inès is told who did.
    let reset = s.delete(&format!("/api/v1/users/{id}/mfa"), &admin).await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT, "{}", reset.body);
    let mails = sink.wait_for(2).await;
    assert!(
        mails[1].subject.contains("réinitialisée"),
        "{}",
        mails[1].subject
    );
    assert!(
        mails[1].text().contains("admin a réinitialisé"),
        "{}",
        mails[1].text()
    );
    s.stop().await;
}
on_every_database!(
    two_factor_changes_are_told_by_email,
    security_notices_follow_two_factor_changes
);
