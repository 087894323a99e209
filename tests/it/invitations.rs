//! Invitations, activation, password reset and e-mail change, through a real SMTP server
//! (aiosmtpd): the messages are read back with Python's MIME parser and their links followed
//! through the HTTP API and the pages they open.

use crate::harness::{ADMIN_PASSWORD, Db, Mail, Server, SmtpSink, USER_PASSWORD};
use crate::on_every_database;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sesame_core::Profile;

async fn start(db: &Db, sink: &SmtpSink) -> Server {
    let mailer = sink.mailer();
    Server::start_with(db, move |app| app.mailer = mailer).await
}

const ACTIVATE: &str = "/api/v1/account/activate";
const RESET: &str = "/api/v1/account/password-reset/confirm";
const FORGOT: &str = "/api/v1/account/password-reset";

/// A request nobody is signed in to.
async fn anon(s: &Server, path: &str, body: serde_json::Value) -> crate::harness::Answer {
    s.call(Method::POST, path, None, Some(body)).await
}

/// The mails received by `to`, in order.
fn to<'a>(mails: &'a [Mail], address: &str) -> Vec<&'a Mail> {
    mails.iter().filter(|m| m.rcpt == [address]).collect()
}

async fn invitation_activates_once(db: &Db) {
    let sink = SmtpSink::start(&[]);
    let s = start(db, &sink).await;
    let admin = s.init(Profile::Amap).await;
    let created = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "lea.martin@example.org", "first_name": "Léa", "last_name": "Martin",
                   "roles": [{"role": "Amapien"}], "send_invitation": true}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["status"], "invited");
    let id = created.body["id"].as_str().expect("id").to_string();

    let mails = sink.wait_for(1).await;
    let m = &mails[0];
    assert_eq!(m.rcpt, ["lea.martin@example.org"]);
    assert_eq!(m.content_language, "fr");
    assert!(m.subject.contains("AMAP des Lilas"), "{}", m.subject);
    assert!(
        m.from.contains("AMAP des Lilas") && m.from.contains("<sesame@sesame.test>"),
        "{}",
        m.from
    );
    assert!(m.message_id.ends_with("@sesame.test>"), "{}", m.message_id);
    // Who invited, to which organisation, the login, the link and when it expires.
    let text = m.text();
    assert!(text.starts_with("Bonjour Léa,"), "{text}");
    assert!(
        text.contains("admin vous invite à rejoindre AMAP des Lilas"),
        "{text}"
    );
    assert!(text.contains("Votre identifiant : lea.martin"), "{text}");
    assert!(
        text.contains("http://sesame.test/activate?token="),
        "{text}"
    );
    assert!(text.contains("valable 7 jours"), "{text}");
    assert!(
        m.html()
            .contains("<a href=\"http://sesame.test/activate?token="),
        "{}",
        m.html()
    );
    let token = m.token("/activate");
    assert_eq!(token.len(), 43);
    // The outbox holds no secret: only the link's hash is stored. The worker records the
    // sending once the SMTP server has answered, a moment after the sink has the message.
    let mut outbox = s.get("/api/v1/outbox", &admin).await;
    for _ in 0..100 {
        if outbox.body["items"][0]["state"] != "queued" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        outbox = s.get("/api/v1/outbox", &admin).await;
    }
    assert_eq!(outbox.status, StatusCode::OK, "{}", outbox.body);
    assert_eq!(outbox.body["items"][0]["state"], "sent", "{}", outbox.body);
    assert_eq!(outbox.body["items"][0]["kind"], "invitation");
    assert!(!outbox.body.to_string().contains(&token));

    // The page the link opens: a form, and the secret URL is never sent on as a referrer.
    let page = s.open_link(&format!("/activate?token={token}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    let html = page.text().await.expect("html");
    assert!(
        html.contains("lea.martin") && html.contains("name=\"password\""),
        "{html}"
    );

    // Bad tokens: truncated, forged, of another kind.
    anon(
        &s,
        ACTIVATE,
        json!({"token": token[..20].to_string(), "password": USER_PASSWORD}),
    )
    .await
    .problem(400, "token", "link.invalid");
    anon(
        &s,
        ACTIVATE,
        json!({"token": "A".repeat(43), "password": USER_PASSWORD}),
    )
    .await
    .problem(400, "token", "link.invalid");
    let reset = s
        .call(
            Method::POST,
            "/api/v1/account/password-reset/confirm",
            None,
            Some(json!({"token": token, "password": USER_PASSWORD})),
        )
        .await;
    reset.problem(400, "token", "link.wrong_kind");

    // A password the policy refuses: the link stays usable.
    let weak = anon(
        &s,
        ACTIVATE,
        json!({"token": token.clone(), "password": "martin"}),
    )
    .await;
    weak.problem(422, "password", "password.too_short");
    let done = anon(
        &s,
        ACTIVATE,
        json!({"token": token.clone(), "password": USER_PASSWORD}),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.body["user"]["status"], "active");
    assert!(done.headers.get("set-cookie").is_some());
    let session = done.body["token"].as_str().expect("token");
    let me = s.get("/api/v1/me", session).await;
    assert_eq!(me.body["user"]["login"], "lea.martin");

    // Used once.
    let again = anon(
        &s,
        ACTIVATE,
        json!({"token": token.clone(), "password": USER_PASSWORD}),
    )
    .await;
    again.problem(410, "token", "link.used");
    assert_eq!(again.body["type"], "urn:sesame:problem:link-spent");
    // The page of a used link offers a new one rather than a dead end.
    let page = s.open_link(&format!("/activate?token={token}")).await;
    assert_eq!(page.status(), StatusCode::GONE);
    let html = page.text().await.expect("html");
    assert!(html.contains("action=\"/links/renew\""), "{html}");

    // Now active: the same action sends a password-reset link, signed by nobody but the team.
    let sent = s
        .post(&format!("/api/v1/users/{id}/invitation"), &admin, json!({}))
        .await;
    assert_eq!(sent.status, StatusCode::ACCEPTED, "{}", sent.body);
    assert_eq!(sent.body["kind"], "password_reset");
    let mails = sink.wait_for(2).await;
    assert!(
        mails[1]
            .text()
            .contains("http://sesame.test/password-reset?token="),
        "{}",
        mails[1].text()
    );
    let followed = s
        .get(
            &format!(
                "/api/v1/outbox/{}",
                sent.body["message_id"].as_str().expect("id")
            ),
            &admin,
        )
        .await;
    assert_eq!(followed.body["kind"], "password_reset");
    s.stop().await;
}
on_every_database!(
    invitation_by_email_activates_once,
    invitation_activates_once
);

async fn a_new_link_cancels_the_previous_one_and_expired_links_are_renewed(db: &Db) {
    let sink = SmtpSink::start(&[]);
    let s = start(db, &sink).await;
    let admin = s.init(Profile::Generic).await;
    let created = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "tom@example.org", "first_name": "Tom", "last_name": "Baker", "language": "en", "send_invitation": true}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_str().expect("id").to_string();
    let first = sink.wait_for(1).await[0].clone();
    // In the person's language.
    assert_eq!(first.content_language, "en");
    assert!(first.text().starts_with("Hello Tom,"), "{}", first.text());
    assert!(
        first.text().contains("valid for 7 days"),
        "{}",
        first.text()
    );

    let sent = s
        .post(&format!("/api/v1/users/{id}/invitation"), &admin, json!({}))
        .await;
    assert_eq!(sent.body["kind"], "invitation", "{}", sent.body);
    let second = sink.wait_for(2).await[1].clone();
    let (old, new) = (first.token("/activate"), second.token("/activate"));
    assert_ne!(old, new);
    let replaced = s
        .call(
            Method::POST,
            "/api/v1/account/activate",
            None,
            Some(json!({"token": old, "password": USER_PASSWORD})),
        )
        .await;
    replaced.problem(410, "token", "link.replaced");

    // Expired (as seven days later).
    let mut conn = s.app.store.read().await.expect("conn");
    sqlx::query(
        "UPDATE link_tokens SET expires_at = 1 WHERE used_at IS NULL AND cancelled_at IS NULL",
    )
    .execute(&mut *conn)
    .await
    .expect("age the link");
    drop(conn);
    let expired = s
        .call(
            Method::POST,
            "/api/v1/account/activate",
            None,
            Some(json!({"token": new, "password": USER_PASSWORD})),
        )
        .await;
    let text = expired.problem(410, "token", "link.expired");
    assert!(
        text.contains("new link") || text.contains("nouveau lien"),
        "{text}"
    );

    // Asking for a new one from the spent link sends it to the account's own address.
    let renewed = s
        .call(
            Method::POST,
            "/api/v1/account/links/renew",
            None,
            Some(json!({"token": new})),
        )
        .await;
    assert_eq!(renewed.status, StatusCode::ACCEPTED, "{}", renewed.body);
    let third = sink.wait_for(3).await[2].clone();
    assert_eq!(third.rcpt, ["tom@example.org"]);
    let fresh = third.token("/activate");
    let ok = s
        .call(
            Method::POST,
            "/api/v1/account/activate",
            None,
            Some(json!({"token": fresh, "password": USER_PASSWORD})),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    // A forged token gets nothing.
    s.call(
        Method::POST,
        "/api/v1/account/links/renew",
        None,
        Some(json!({"token": "B".repeat(43)})),
    )
    .await
    .problem(400, "token", "link.invalid");
    assert_eq!(sink.mails().len(), 3);
    s.stop().await;
}
on_every_database!(
    links_replace_each_other_and_spent_ones_are_renewed,
    a_new_link_cancels_the_previous_one_and_expired_links_are_renewed
);

async fn forgotten_password_reveals_nothing_and_ends_sessions(db: &Db) {
    let sink = SmtpSink::start(&[]);
    let s = start(db, &sink).await;
    let admin = s.init(Profile::Generic).await;
    let (_, _) = s.user_with_roles(&admin, "zoe", json!([])).await;
    let phone_session = s.login("zoe", USER_PASSWORD).await;

    let known = anon(&s, FORGOT, json!({"email": "Zoe@Example.org"})).await;
    let unknown = anon(&s, FORGOT, json!({"email": "nobody@example.org"})).await;
    assert_eq!(known.status, StatusCode::ACCEPTED);
    assert_eq!((known.status, &known.body), (unknown.status, &unknown.body));
    anon(&s, FORGOT, json!({"email": "not an address"}))
        .await
        .problem(422, "email", "email.no_at");

    let mails = sink.wait_for(1).await;
    // Give a message to the unknown address every chance to (wrongly) arrive.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(sink.mails().len(), 1, "nothing goes to an unknown address");
    assert_eq!(mails[0].rcpt, ["zoe@example.org"]);
    assert!(
        mails[0].text().contains("valable 1 heure"),
        "{}",
        mails[0].text()
    );
    let token = mails[0].token("/password-reset");
    // A password the policy refuses leaves the link usable.
    anon(
        &s,
        RESET,
        json!({"token": token.clone(), "password": "zoe"}),
    )
    .await
    .problem(422, "password", "password.too_short");

    // Throttled per address: three an hour, known or not.
    anon(&s, FORGOT, json!({"email": "zoe@example.org"})).await;
    anon(&s, FORGOT, json!({"email": "zoe@example.org"})).await;
    let limited = anon(&s, FORGOT, json!({"email": "zoe@example.org"})).await;
    limited.problem(429, "", "auth.throttled");
    assert!(limited.headers.get("retry-after").is_some());
    for _ in 0..3 {
        anon(&s, FORGOT, json!({"email": "ghost@example.org"})).await;
    }
    anon(&s, FORGOT, json!({"email": "ghost@example.org"}))
        .await
        .problem(429, "", "auth.throttled");
    // And per source: 20 an hour from one address, whatever e-mail addresses they name (7 so far).
    for n in 0..13 {
        let a = anon(
            &s,
            FORGOT,
            json!({"email": format!("someone{n}@example.org")}),
        )
        .await;
        assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.body);
    }
    anon(&s, FORGOT, json!({"email": "one.more@example.org"}))
        .await
        .problem(429, "", "auth.throttled");

    // Two more links were sent meanwhile (the requests above): the first was replaced.
    sink.wait_for(3).await;
    anon(
        &s,
        RESET,
        json!({"token": token.clone(), "password": "un tout nouveau mot de passe"}),
    )
    .await
    .problem(410, "token", "link.replaced");
    let mails = sink.wait_for(3).await;
    // The newest link works, whichever order the mail server received the two in (they leave
    // side by side): the other was replaced by it.
    let mut latest = None;
    for mail in to(&mails, "zoe@example.org").iter().rev() {
        let token = mail.token("/password-reset");
        let tried = anon(
            &s,
            RESET,
            json!({"token": token.clone(), "password": "un tout nouveau mot de passe"}),
        )
        .await;
        if tried.status == StatusCode::NO_CONTENT {
            latest = Some(token);
            break;
        }
        tried.problem(410, "token", "link.replaced");
    }
    let latest = latest.expect("the newest link sets the password");
    // Every session ended; the new password signs in, the old one no longer.
    s.get("/api/v1/me", &phone_session)
        .await
        .problem(401, "", "auth.token_invalid");
    s.sign_in("zoe", USER_PASSWORD, None)
        .await
        .problem(401, "", "auth.failed");
    let _ = s.login("zoe", "un tout nouveau mot de passe").await;
    anon(
        &s,
        RESET,
        json!({"token": latest, "password": "encore un autre mot de passe"}),
    )
    .await
    .problem(410, "token", "link.used");
    // And Zoé is told.
    let mails = sink.wait_for(4).await;
    let notice = mails.last().expect("notice");
    assert_eq!(notice.rcpt, ["zoe@example.org"]);
    assert!(
        notice.subject.contains("mot de passe") && notice.subject.contains("changé"),
        "{}",
        notice.subject
    );
    assert!(!notice.text().contains("token="));
    let _ = ADMIN_PASSWORD;
    s.stop().await;
}
on_every_database!(
    forgotten_password_by_email,
    forgotten_password_reveals_nothing_and_ends_sessions
);

async fn a_new_address_takes_effect_once_confirmed(db: &Db) {
    let sink = SmtpSink::start(&[]);
    let s = start(db, &sink).await;
    let admin = s.init(Profile::Generic).await;
    let (id, _) = s.user_with_roles(&admin, "paul", json!([])).await;
    let changed = s
        .patch(
            &format!("/api/v1/users/{id}"),
            &admin,
            json!({"email": "paul.new@example.org"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["email"], "paul@example.org");
    assert_eq!(changed.body["pending_email"], "paul.new@example.org");

    let mails = sink.wait_for(2).await;
    let confirm = to(&mails, "paul.new@example.org");
    let notice = to(&mails, "paul@example.org");
    assert_eq!((confirm.len(), notice.len()), (1, 1), "{mails:#?}");
    assert!(
        notice[0].text().contains("paul.new@example.org"),
        "{}",
        notice[0].text()
    );
    let token = confirm[0].token("/confirm-email");

    // Opening the link changes nothing (mail scanners open links); confirming does.
    let page = s.open_link(&format!("/confirm-email?token={token}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    assert_eq!(
        s.get(&format!("/api/v1/users/{id}"), &admin).await.body["email"],
        "paul@example.org"
    );
    let form = s
        .http
        .post(format!("{}/confirm-email", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("token={token}"))
        .send()
        .await
        .expect("confirm");
    assert_eq!(form.status(), StatusCode::OK);
    assert!(
        form.text()
            .await
            .expect("html")
            .contains("paul.new@example.org")
    );
    assert_eq!(
        s.get(&format!("/api/v1/users/{id}"), &admin).await.body["email"],
        "paul.new@example.org"
    );
    s.call(
        Method::POST,
        "/api/v1/account/email/confirm",
        None,
        Some(json!({"token": token})),
    )
    .await
    .problem(410, "token", "link.used");
    s.stop().await;
}
on_every_database!(
    email_change_confirmed_by_link,
    a_new_address_takes_effect_once_confirmed
);

async fn signatures_and_alerts_reach_those_who_asked(db: &Db) {
    let sink = SmtpSink::start(&[]);
    let s = start(db, &sink).await;
    let admin = s.init(Profile::Amap).await;
    let sig = s
        .call(
            Method::PUT,
            "/api/v1/account/signature",
            Some(&admin),
            Some(json!({"signature": "<p>Marie Dupont<br><b>Coordinatrice</b></p><script>alert(1)</script>"})),
        )
        .await;
    assert_eq!(sig.status, StatusCode::OK, "{}", sig.body);
    let opt_in = s
        .call(
            Method::PUT,
            "/api/v1/account/notifications",
            Some(&admin),
            Some(json!({"alerts": [{"alert": "member_joined", "enabled": true}]})),
        )
        .await;
    assert_eq!(opt_in.status, StatusCode::OK, "{}", opt_in.body);

    let created = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "noe@example.org", "first_name": "Noé", "last_name": "Petit", "send_invitation": true}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_str().expect("id").to_string();
    let mails = sink.wait_for(1).await;
    // The inviting administrator's signature closes the message, sanitised.
    let text = mails[0].text();
    assert!(
        text.contains("-- \nMarie Dupont\nCoordinatrice"),
        "{text:?}"
    );
    let html = mails[0].html();
    assert!(html.contains("<b>Coordinatrice</b>"), "{html}");
    assert!(
        !html.contains("script") && !html.contains("alert(1)"),
        "{html}"
    );

    // Noé activates: the administrator, who asked for it, hears of it.
    let token = mails[0].token("/activate");
    let on = anon(
        &s,
        ACTIVATE,
        json!({"token": token, "password": USER_PASSWORD}),
    )
    .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    let mails = sink.wait_for(2).await;
    assert_eq!(mails[1].rcpt, ["admin@example.org"]);
    assert!(
        mails[1].subject.contains("Noé Petit"),
        "{}",
        mails[1].subject
    );

    // Five wrong passwords in a row for Noé: a security alert (on by default for administrators).
    for _ in 0..5 {
        s.sign_in("noe.petit", "pas le bon mot de passe", None)
            .await;
    }
    let mails = sink.wait_for(3).await;
    assert_eq!(mails[2].rcpt, ["admin@example.org"]);
    assert!(
        mails[2].subject.contains("sécurité"),
        "{}",
        mails[2].subject
    );
    assert!(
        mails[2].text().contains("Noé Petit") && mails[2].text().contains("5 fois"),
        "{}",
        mails[2].text()
    );

    // Deleting Noé leaves no address of theirs in the outbox.
    let gone = s.delete(&format!("/api/v1/users/{id}"), &admin).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.body);
    let outbox = s.get("/api/v1/outbox", &admin).await;
    assert!(
        !outbox.body.to_string().contains("noe@example.org"),
        "{}",
        outbox.body
    );
    s.stop().await;
}
on_every_database!(
    signatures_and_alerts_by_email,
    signatures_and_alerts_reach_those_who_asked
);

async fn the_organisation_chooses_its_sender_and_link_lifetimes(db: &Db) {
    let sink = SmtpSink::start(&[]);
    let s = start(db, &sink).await;
    let admin = s.init(Profile::Daycare).await;
    let bad = s
        .patch(
            "/api/v1/settings",
            &admin,
            json!({"mail_from_address": "direction@", "reset_ttl_minutes": 2, "invitation_ttl_hours": 9000}),
        )
        .await;
    bad.problem(422, "mail_from_address", "email.no_domain");
    bad.problem(422, "reset_ttl_minutes", "limit.range");
    bad.problem(422, "invitation_ttl_hours", "limit.range");
    let ok = s
        .patch(
            "/api/v1/settings",
            &admin,
            json!({"mail_from_name": "Direction des Lucioles", "mail_from_address": "Direction@Lucioles.example",
                   "reset_ttl_minutes": 30, "invitation_ttl_hours": 48}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["mail_from_address"], "direction@lucioles.example");
    assert_eq!(ok.body["reset_ttl_minutes"], 30);

    let created = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "eve@example.org", "first_name": "Ève", "last_name": "Gagnon", "phone": "(514) 555-1234", "send_invitation": true}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let mails = sink.wait_for(1).await;
    assert!(
        mails[0].from.contains("Direction des Lucioles")
            && mails[0].from.contains("<direction@lucioles.example>"),
        "{}",
        mails[0].from
    );
    assert!(
        mails[0].message_id.ends_with("@lucioles.example>"),
        "{}",
        mails[0].message_id
    );
    assert!(
        mails[0].text().contains("valable 2 jours"),
        "{}",
        mails[0].text()
    );
    s.stop().await;
}
on_every_database!(
    organisation_mail_settings,
    the_organisation_chooses_its_sender_and_link_lifetimes
);

/// The pages e-mail links open, as a browser without script uses them (plain form posts).
async fn link_pages_work_as_plain_forms(db: &Db) {
    let sink = SmtpSink::start(&[]);
    let s = start(db, &sink).await;
    let admin = s.init(Profile::Generic).await;
    s.post(
        "/api/v1/users",
        &admin,
        json!({"email": "ali@example.org", "first_name": "Ali", "last_name": "Ben", "language": "en", "send_invitation": true}),
    )
    .await;
    let token = sink.wait_for(1).await[0].token("/activate");
    let form = |path: &str, body: String| {
        s.http
            .post(format!("{}{path}", s.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept-language", "en")
            .body(body)
            .send()
    };
    // A refused password: the form again, with the reason, in the person's language.
    let weak = form("/activate", format!("token={token}&password=ali"))
        .await
        .expect("post");
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(weak.headers()["referrer-policy"], "no-referrer");
    let html = weak.text().await.expect("html");
    assert!(
        html.contains("at least") && html.contains("name=\"password\""),
        "{html}"
    );
    let ok = form(
        "/activate",
        format!("token={token}&password=a+long+enough+pass+phrase"),
    )
    .await
    .expect("post");
    assert_eq!(ok.status(), StatusCode::OK);
    let cookies: Vec<&str> = ok
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("sesame_session=")),
        "{cookies:?}"
    );
    // The used link's token leaves the browser with it.
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("sesame_link=;") && c.contains("Max-Age=0")),
        "{cookies:?}"
    );
    assert!(ok.text().await.expect("html").contains("ali.ben"));
    // A forged link: why, and the forgotten-password form.
    let forged = s.open_link("/activate?token=nope").await;
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    assert!(
        forged
            .text()
            .await
            .expect("html")
            .contains("action=\"/password-reset\"")
    );
    // The forgotten-password form sends a reset link.
    let asked = form("/password-reset", "email=ali%40example.org".into())
        .await
        .expect("post");
    assert_eq!(asked.status(), StatusCode::OK);
    let mails = sink.wait_for(2).await;
    let reset = mails[1].token("/password-reset");
    let page = s.open_link(&format!("/password-reset?token={reset}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.text()
            .await
            .expect("html")
            .contains("name=\"password\"")
    );
    // Posted from another site, the form is refused.
    let foreign = s
        .http
        .post(format!("{}/password-reset", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body("email=ali%40example.org")
        .send()
        .await
        .expect("post");
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let done = form(
        "/password-reset",
        format!("token={reset}&password=another+long+pass+phrase"),
    )
    .await
    .expect("post");
    assert_eq!(done.status(), StatusCode::OK);
    let _ = s.login("ali.ben", "another long pass phrase").await;
    s.stop().await;
}
on_every_database!(link_pages_as_plain_forms, link_pages_work_as_plain_forms);
