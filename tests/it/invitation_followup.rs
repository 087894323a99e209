//! Invitations followed to the end (issue 23): the list of everyone invited and not yet active
//! (when, by whom, the link, the reminders, how the last e-mail fared — a refused address with
//! the mail server's answer), sending again to one, several or all, expired links renewed in
//! bulk; and the automatic reminders, received by a real SMTP server (aiosmtpd), in each
//! person's language, each with a fresh link, never twice a day, none after activation, none
//! when the organisation turns them off. Time moves by running the reminders' schedule as at a
//! chosen moment, and by rewriting a link's stored expiry.

use crate::harness::{Db, Mail, Server, SmtpSink, USER_PASSWORD};
use crate::on_every_database;
use crate::web_pages::Browser;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sesame_app::App;
use sesame_app::grace::DAY_MS;
use sesame_app::invitations::remind;
use sesame_core::Profile;
use sesame_store::Store;

const HOUR_MS: i64 = 3_600_000;

async fn start(db: &Db, sink: &SmtpSink) -> Server {
    let mailer = sink.mailer();
    Server::start_with(db, move |app| app.mailer = mailer).await
}

/// Creates `login` (invited, writing in `lang`), with or without the invitation e-mail.
async fn invite(s: &Server, admin: &str, login: &str, lang: &str, send: bool) -> String {
    let a = s
        .post(
            "/api/v1/users",
            admin,
            json!({"login": login, "email": format!("{login}@example.org"), "first_name": login,
                   "last_name": "Test", "language": lang, "roles": [{"role": "Amapien"}],
                   "send_invitation": send}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    a.body["id"].as_str().expect("id").to_string()
}

/// The invitations page of the API, once every e-mail in it has been dealt with (sent or
/// refused: none queued or being retried).
async fn settled(s: &Server, token: &str, query: &str) -> Value {
    for _ in 0..200 {
        let l = s.get(&format!("/api/v1/invitations{query}"), token).await;
        assert_eq!(l.status, StatusCode::OK, "{}", l.body);
        let busy = l.body["items"].as_array().expect("items").iter().any(|i| {
            matches!(
                i["delivery"]["state"].as_str(),
                Some("queued") | Some("retrying")
            )
        });
        if !busy {
            return l.body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the invitations' e-mails never left");
}

fn item<'a>(list: &'a Value, login: &str) -> &'a Value {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["login"] == login)
        .unwrap_or_else(|| panic!("{login} not in {list:#}"))
}

fn logins(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["login"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// When `user_id`'s current round of reminders started (their last invitation).
async fn round_of(s: &Server, user_id: &str) -> i64 {
    let mut conn = s.app.store.read().await.expect("conn");
    sqlx::query_scalar::<_, i64>("SELECT round_at FROM invitations WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await
        .expect("an invitation")
}

/// Makes the live invitation links of these people expire (as if their week had passed).
async fn expire_links(s: &Server, ids: &[&str]) {
    let mut conn = s.app.store.read().await.expect("conn");
    for id in ids {
        sqlx::query(
            "UPDATE link_tokens SET expires_at = $2 WHERE user_id = $1 AND kind = 'invitation' \
             AND used_at IS NULL AND cancelled_at IS NULL",
        )
        .bind(*id)
        .bind(sesame_store::now_ms() - 1)
        .execute(&mut *conn)
        .await
        .expect("expire");
    }
}

/// Activates an account with the invitation token given.
async fn activate(s: &Server, token: &str) -> crate::harness::Answer {
    s.call(
        Method::POST,
        "/api/v1/account/activate",
        None,
        Some(json!({"token": token, "password": USER_PASSWORD})),
    )
    .await
}

fn mails_to<'a>(mails: &'a [Mail], login: &str) -> Vec<&'a Mail> {
    let address = format!("{login}@example.org");
    mails
        .iter()
        .filter(|m| m.rcpt == [address.clone()])
        .collect()
}

async fn reminders_follow_until_everyone_is_active(db: &Db) {
    let sink = SmtpSink::start(&[]);
    let s = start(db, &sink).await;
    let admin = s.init(Profile::Amap).await;
    let set = s.get("/api/v1/settings", &admin).await;
    assert_eq!(
        set.body["invitation_reminder_days"],
        json!([3, 7]),
        "{}",
        set.body
    );
    // Léa reads French, Sam English.
    let lea = invite(&s, &admin, "lea", "fr", true).await;
    let sam = invite(&s, &admin, "sam", "en", true).await;
    sink.wait_for(2).await;
    let list = settled(&s, &admin, "").await;
    assert!(
        item(&list, "lea")["next_reminder_at"].is_string(),
        "{list:#}"
    );
    let first_token = mails_to(&sink.mails(), "lea")[0].token("/activate");
    let t0 = round_of(&s, &lea).await;
    // Both were invited in the same second or so: one clock for the test.
    assert!((round_of(&s, &sam).await - t0).abs() < 60_000);
    let t0 = t0.max(round_of(&s, &sam).await);

    // Two instances run the schedule at once: each reminder is queued once.
    let other = App::new(Store::connect(&db.url).await.expect("store")).with_mailer(sink.mailer());
    let run_twice = |at: i64| {
        let (a, b) = (s.app.clone(), other.clone());
        async move {
            let (x, y) = tokio::join!(remind::remind_due(&a, at), remind::remind_due(&b, at));
            x.expect("remind") + y.expect("remind")
        }
    };
    assert_eq!(run_twice(t0 + 2 * DAY_MS).await, 0, "not before three days");
    assert_eq!(run_twice(t0 + 3 * DAY_MS + HOUR_MS).await, 2, "one to each");
    assert_eq!(
        run_twice(t0 + 3 * DAY_MS + 2 * HOUR_MS).await,
        0,
        "never twice"
    );
    let mails = sink.wait_for(4).await;
    settled(&s, &admin, "").await;

    // In each person's language, with a fresh link; the first one no longer works.
    let lea_mails = mails_to(&mails, "lea");
    assert_eq!(lea_mails.len(), 2, "{lea_mails:#?}");
    let reminder = lea_mails
        .iter()
        .find(|m| m.subject.starts_with("Rappel"))
        .unwrap_or_else(|| panic!("no reminder in {lea_mails:#?}"));
    assert_eq!(reminder.content_language, "fr");
    // Signed by who invited her, as the invitation was.
    assert!(
        reminder
            .text()
            .contains("admin vous a invité à rejoindre AMAP des Lilas il y a 3 jours"),
        "{}",
        reminder.text()
    );
    let sam_mails = mails_to(&mails, "sam");
    let sam_reminder = sam_mails
        .iter()
        .find(|m| m.subject.starts_with("Reminder"))
        .unwrap_or_else(|| panic!("no reminder in {sam_mails:#?}"));
    assert_eq!(sam_reminder.content_language, "en");
    assert!(
        sam_reminder
            .text()
            .contains("admin invited you to join AMAP des Lilas 3 days ago"),
        "{}",
        sam_reminder.text()
    );
    let old = activate(&s, &first_token).await;
    old.problem(410, "token", "link.replaced");
    let list = s.get("/api/v1/invitations", &admin).await;
    assert_eq!(
        item(&list.body, "lea")["reminders_sent"],
        1,
        "{}",
        list.body
    );

    // Léa activates with the reminder's link: nothing more for her.
    let done = activate(&s, &reminder.token("/activate")).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(
        run_twice(t0 + 7 * DAY_MS + HOUR_MS).await,
        1,
        "the second reminder, to Sam only"
    );
    let mails = sink.wait_for(5).await;
    assert_eq!(mails_to(&mails, "lea").len(), 2, "none after activation");
    assert_eq!(mails_to(&mails, "sam").len(), 3);
    let list = settled(&s, &admin, "").await;
    assert_eq!(logins(&list), ["sam"], "Léa is active: {list:#}");
    assert_eq!(item(&list, "sam")["reminders_sent"], 2);
    assert!(item(&list, "sam")["next_reminder_at"].is_null(), "{list:#}");
    // Then no more.
    assert_eq!(run_twice(t0 + 8 * DAY_MS).await, 0);
    assert_eq!(run_twice(t0 + 14 * DAY_MS).await, 0);

    // A new invitation sent by hand starts the count again.
    let again = s
        .post("/api/v1/invitations/resend", &admin, json!({"ids": [sam]}))
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    sink.wait_for(6).await;
    settled(&s, &admin, "").await;
    let t1 = round_of(&s, &sam).await;
    assert!(t1 > t0);
    // (Later than day three: the test's clock already reminded Sam that day.)
    assert_eq!(run_twice(t1 + 2 * DAY_MS).await, 0);
    assert_eq!(run_twice(t1 + 4 * DAY_MS + 12 * HOUR_MS).await, 1);
}

async fn reminders_are_an_organisation_setting(db: &Db) {
    let sink = SmtpSink::start(&[]);
    let s = start(db, &sink).await;
    let admin = s.init(Profile::Amap).await;
    // Each refusal names the field and what is expected.
    for (days, code) in [
        (json!([0]), "invitation.reminder_day_range"),
        (json!([3, 61]), "invitation.reminder_day_range"),
        (json!([3, 3]), "invitation.reminder_day_twice"),
        (json!([1, 2, 3, 4, 5, 6]), "invitation.reminders_too_many"),
    ] {
        let refused = s
            .patch(
                "/api/v1/settings",
                &admin,
                json!({"invitation_reminder_days": days}),
            )
            .await;
        let message = refused.problem(422, "invitation_reminder_days", code);
        assert!(!message.is_empty());
    }
    // Off: nobody is reminded.
    let off = s
        .patch(
            "/api/v1/settings",
            &admin,
            json!({"invitation_reminder_days": []}),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert_eq!(off.body["invitation_reminder_days"], json!([]));
    let zoe = invite(&s, &admin, "zoe", "fr", true).await;
    sink.wait_for(1).await;
    let list = settled(&s, &admin, "").await;
    assert_eq!(list["reminder_days"], json!([]));
    assert!(item(&list, "zoe")["next_reminder_at"].is_null());
    let t0 = round_of(&s, &zoe).await;
    for day in [1, 3, 7, 10] {
        assert_eq!(
            remind::remind_due(&s.app, t0 + day * DAY_MS + HOUR_MS)
                .await
                .expect("remind"),
            0,
            "day {day}"
        );
    }
    // On, after one and two days (given in any order). A server stopped over both days
    // sends one reminder when it starts again, not two on the same day.
    let on = s
        .patch(
            "/api/v1/settings",
            &admin,
            json!({"invitation_reminder_days": [2, 1]}),
        )
        .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    assert_eq!(on.body["invitation_reminder_days"], json!([1, 2]));
    let at = t0 + 2 * DAY_MS + HOUR_MS;
    assert_eq!(remind::remind_due(&s.app, at).await.expect("remind"), 1);
    assert_eq!(
        remind::remind_due(&s.app, at + HOUR_MS)
            .await
            .expect("remind"),
        0
    );
    sink.wait_for(2).await;
    // Three weeks on, the reminders' days are long past: nothing.
    assert_eq!(
        remind::remind_due(&s.app, t0 + 21 * DAY_MS)
            .await
            .expect("remind"),
        0
    );
    // The settings page offers the setting, as typed.
    let b = Browser::signed_in(&s, "admin", crate::harness::ADMIN_PASSWORD).await;
    let (status, html) = b.get("/settings").await;
    assert_eq!(status, StatusCode::OK);
    let field = crate::web_pages::input(&html, "invitation_reminder_days");
    assert!(field.contains("value=\"1, 2\""), "{field}");
}

async fn resend_one_several_all_and_renew_the_expired(db: &Db) {
    let sink = SmtpSink::start(&[]);
    let s = start(db, &sink).await;
    let admin = s.init(Profile::Amap).await;
    let mut ids = Vec::new();
    for login in ["ana", "bob", "cyd", "dan"] {
        ids.push(invite(&s, &admin, login, "fr", true).await);
    }
    let (ana, bob, cyd, dan) = (&ids[0], &ids[1], &ids[2], &ids[3]);
    let eve = invite(&s, &admin, "eve", "en", false).await;
    sink.wait_for(4).await;
    let list = settled(&s, &admin, "").await;
    assert_eq!(
        list["counts"],
        json!({"pending": 4, "expired": 0, "failed": 0, "not_sent": 1}),
        "{list:#}"
    );
    let a = item(&list, "ana");
    assert_eq!(a["state"], "pending");
    assert_eq!(a["invited_by"]["login"], "admin");
    assert!(
        a["invited_at"].is_string() && a["link_expires_at"].is_string(),
        "{a:#}"
    );
    assert_eq!(a["delivery"]["state"], "sent");
    assert_eq!(a["may_resend"], true);
    let e = item(&list, "eve");
    assert_eq!(e["state"], "not_sent");
    assert!(
        e["delivery"].is_null() && e["invited_at"].is_null(),
        "{e:#}"
    );

    // One, then several.
    let one = s
        .post("/api/v1/invitations/resend", &admin, json!({"ids": [ana]}))
        .await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    assert_eq!(one.body["sent"].as_array().map(Vec::len), Some(1));
    let several = s
        .post(
            "/api/v1/invitations/resend",
            &admin,
            json!({"ids": [bob, cyd]}),
        )
        .await;
    assert_eq!(several.status, StatusCode::OK, "{}", several.body);
    assert_eq!(several.body["sent"].as_array().map(Vec::len), Some(2));
    sink.wait_for(7).await;
    settled(&s, &admin, "").await;
    // Ana's first link was replaced by the second.
    let all_mails = sink.mails();
    let ana_mails = mails_to(&all_mails, "ana");
    assert_eq!(ana_mails.len(), 2);
    activate(&s, &ana_mails[0].token("/activate"))
        .await
        .problem(410, "token", "link.replaced");

    // A week passes for Ana and Dan: their links expire, shown as such, renewed in bulk.
    expire_links(&s, &[ana, dan]).await;
    let expired = s.get("/api/v1/invitations?state=expired", &admin).await;
    assert_eq!(expired.status, StatusCode::OK, "{}", expired.body);
    assert_eq!(logins(&expired.body), ["ana", "dan"]);
    assert_eq!(expired.body["counts"]["expired"], 2);
    let renewed = s
        .post(
            "/api/v1/invitations/resend",
            &admin,
            json!({"select": "expired"}),
        )
        .await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
    assert_eq!(renewed.body["sent"].as_array().map(Vec::len), Some(2));
    sink.wait_for(9).await;
    let list = settled(&s, &admin, "").await;
    assert_eq!(list["counts"]["expired"], 0, "{list:#}");
    let all_mails = sink.mails();
    let dan_mails = mails_to(&all_mails, "dan");
    let fresh = activate(&s, &dan_mails.last().expect("mail").token("/activate")).await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.body);

    // Everyone still invited, Eve's first invitation included.
    let all = s
        .post(
            "/api/v1/invitations/resend",
            &admin,
            json!({"select": "all"}),
        )
        .await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    let mut sent: Vec<&str> = all.body["sent"]
        .as_array()
        .expect("sent")
        .iter()
        .filter_map(|r| r["login"].as_str())
        .collect();
    sent.sort_unstable();
    assert_eq!(sent, ["ana", "bob", "cyd", "eve"]);
    let mails = sink.wait_for(13).await;
    let to_eve = mails_to(&mails, "eve");
    assert_eq!(to_eve.len(), 1);
    assert_eq!(to_eve[0].content_language, "en");
    assert!(!eve.is_empty());

    // Refusals name the field and what is expected; nothing is sent.
    s.post(
        "/api/v1/invitations/resend",
        &admin,
        json!({"ids": [ana, dan]}),
    )
    .await
    .problem(422, "ids[1]", "invitation.not_pending");
    s.post("/api/v1/invitations/resend", &admin, json!({}))
        .await
        .problem(422, "ids", "invitation.ids_or_select");
    s.post(
        "/api/v1/invitations/resend",
        &admin,
        json!({"select": "tous"}),
    )
    .await
    .problem(422, "select", "invitation.select_unknown");
    s.get("/api/v1/invitations?state=perdu", &admin)
        .await
        .problem(422, "state", "invitation.state_unknown");
    // Audited, one row per person.
    let audit = s
        .get(
            "/api/v1/audit?action=user.invitation_sent&limit=100",
            &admin,
        )
        .await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.body);
    assert_eq!(
        audit.body["items"].as_array().map(Vec::len),
        Some(9),
        "{}",
        audit.body
    );
    assert_eq!(sink.mails().len(), 13, "nothing more was sent");

    // Who may follow invitations: those who may send access — a producer sees the list, may
    // not send to an administrator invited, and is told why; a member may not see it.
    let boss = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"login": "boss", "email": "boss@example.org", "roles": [{"role": "Administrateur"}]}),
        )
        .await;
    assert_eq!(boss.status, StatusCode::CREATED, "{}", boss.body);
    let (_, producer) = s
        .user_with_roles(&admin, "prod", json!([{"role": "Producteur"}]))
        .await;
    let seen = s.get("/api/v1/invitations", &producer).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert_eq!(item(&seen.body, "boss")["may_resend"], false);
    assert_eq!(item(&seen.body, "bob")["may_resend"], true);
    let by_producer = s
        .post(
            "/api/v1/invitations/resend",
            &producer,
            json!({"select": "not_sent"}),
        )
        .await;
    assert_eq!(by_producer.status, StatusCode::OK, "{}", by_producer.body);
    assert_eq!(by_producer.body["sent"], json!([]));
    assert_eq!(by_producer.body["skipped"][0]["login"], "boss");
    assert_eq!(
        by_producer.body["skipped"][0]["code"],
        "permission.target_outranks"
    );
    let (_, member) = s
        .user_with_roles(&admin, "membre", json!([{"role": "Amapien"}]))
        .await;
    s.get("/api/v1/invitations", &member)
        .await
        .problem(403, "", "permission.missing");

    // The page: the counts on the users list lead to it; it shows each person's state.
    let b = Browser::signed_in(&s, "admin", crate::harness::ADMIN_PASSWORD).await;
    let (status, users) = b.get("/users").await;
    assert_eq!(status, StatusCode::OK);
    assert!(users.contains("href=\"/invitations\""), "{users}");
    let (status, page) = b.get("/invitations").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("data-login=\"bob\" data-state=\"pending\""),
        "{page}"
    );
    assert!(page.contains("Le "), "{page}");
    // Bob's own page says where his invitation stands.
    let (status, access) = b.get(&format!("/users/{bob}?tab=access")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(access.contains("Invitation : en attente."), "{access}");
    assert!(access.contains(", par admin."), "{access}");
    let (status, answer) = b
        .post(
            "/invitations/resend",
            &[
                ("csrf", crate::web_pages::CSRF),
                ("select", "ids"),
                ("id", cyd),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(answer.contains("Une invitation envoyée."), "{answer}");
    let (status, nothing) = b
        .post(
            "/invitations/resend",
            &[("csrf", crate::web_pages::CSRF), ("select", "ids")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{nothing}");
    assert!(
        nothing.contains("Cochez au moins une personne"),
        "{nothing}"
    );
}

async fn a_refused_address_shows_the_servers_answer(db: &Db) {
    let sink = SmtpSink::start(&["nobody@example.org"]);
    let s = start(db, &sink).await;
    let admin = s.init(Profile::Amap).await;
    let id = invite(&s, &admin, "nobody", "fr", true).await;
    let list = settled(&s, &admin, "").await;
    let n = item(&list, "nobody");
    assert_eq!(n["state"], "failed", "{n:#}");
    assert_eq!(n["delivery"]["state"], "failed");
    let said = n["delivery"]["error"].as_str().unwrap_or_default();
    assert!(said.contains("550"), "{said}");
    assert_eq!(list["counts"]["failed"], 1);
    // No reminder goes to an address the server refuses.
    let t0 = round_of(&s, &id).await;
    assert_eq!(
        remind::remind_due(&s.app, t0 + 3 * DAY_MS + HOUR_MS)
            .await
            .expect("remind"),
        0
    );
    // The page says it in words, with the server's answer.
    let b = Browser::signed_in(&s, "admin", crate::harness::ADMIN_PASSWORD).await;
    let (status, page) = b.get("/invitations?state=failed").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Refusé par le serveur de messagerie"),
        "{page}"
    );
    assert!(page.contains("550"), "{page}");
}

/// A reminder queued while the mail server is down, then the person activates (here the
/// operator sets their password): when the server is back, the reminder does not leave, and
/// the outbox says why.
async fn a_reminder_waiting_when_the_person_activates_does_not_leave(db: &Db) {
    let mut sink = SmtpSink::start(&[]);
    let s = start(db, &sink).await;
    let admin = s.init(Profile::Amap).await;
    let id = invite(&s, &admin, "noe", "fr", true).await;
    sink.wait_for(1).await;
    settled(&s, &admin, "").await;
    let t0 = round_of(&s, &id).await;
    sink.stop();
    assert_eq!(
        remind::remind_due(&s.app, t0 + 3 * DAY_MS + HOUR_MS)
            .await
            .expect("remind"),
        1
    );
    let org = s.app.org(None).await.expect("org");
    sesame_app::users::set_password(
        &s.app,
        &s.app.operator(org),
        &id,
        USER_PASSWORD.to_string().into(),
    )
    .await
    .expect("activated");
    // An attempt prepared before the activation fails on the closed port first.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    sink.restart();
    let mut why = String::new();
    for _ in 0..200 {
        let failed = s.get("/api/v1/outbox?state=failed", &admin).await;
        if let Some(m) = failed.body["items"]
            .as_array()
            .and_then(|items| items.iter().find(|m| m["kind"] == "invitation_reminder"))
        {
            why = m["last_error"].as_str().unwrap_or_default().to_string();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(why.contains("activated"), "{why:?}");
    assert_eq!(sink.mails().len(), 1, "only the invitation arrived");
    assert_eq!(
        remind::remind_due(&s.app, t0 + 7 * DAY_MS + HOUR_MS)
            .await
            .expect("remind"),
        0,
        "none once active"
    );
}

/// `sesame invitations list` and `resend` at the command line: a table, JSON, exit statuses,
/// errors on their fields.
async fn invitations_at_the_command_line(db: &Db) {
    use crate::cli::{init_org, sesame};
    let _dir = init_org(
        db,
        "fr",
        "AMAP des Lilas",
        "amap",
        "admin@example.org",
        "un mot de passe solide",
    );
    for (email, invite) in [("lea@example.org", true), ("sam@example.org", false)] {
        let mut args = vec!["user", "add", "--email", email];
        if invite {
            args.push("--invite");
        }
        let add = sesame(db, "fr", &args);
        assert_eq!(add.status, 0, "{}", add.stderr);
    }
    let list = sesame(db, "fr", &["invitations", "list", "--json"]);
    assert_eq!(list.status, 0, "{}", list.stderr);
    let page: Value = serde_json::from_str(&list.stdout).expect("json");
    assert_eq!(page["counts"]["pending"], 1, "{page:#}");
    assert_eq!(page["counts"]["not_sent"], 1, "{page:#}");
    assert!(item(&page, "lea")["invited_by"].is_null(), "the operator");
    let table = sesame(db, "fr", &["invitations", "list"]);
    assert_eq!(table.status, 0, "{}", table.stderr);
    assert!(
        table.stdout.contains("LOGIN") && table.stdout.contains("not_sent"),
        "{}",
        table.stdout
    );
    let sent = sesame(db, "fr", &["invitations", "resend", "--not-sent", "--json"]);
    assert_eq!(sent.status, 0, "{}", sent.stderr);
    let report: Value = serde_json::from_str(&sent.stdout).expect("json");
    assert_eq!(report["sent"][0]["login"], "sam", "{report:#}");
    let by_name = sesame(db, "fr", &["invitations", "resend", "lea"]);
    assert_eq!(by_name.status, 0, "{}", by_name.stderr);
    assert!(
        by_name.stdout.contains("Une invitation envoyée."),
        "{}",
        by_name.stdout
    );
    // Refusals say the field and what is expected; exit status 1.
    let wrong = sesame(db, "fr", &["invitations", "list", "--state", "perdu"]);
    assert_eq!(wrong.status, 1, "{}", wrong.stdout);
    assert!(
        wrong.stderr.contains("pending, expired, failed, not_sent"),
        "{}",
        wrong.stderr
    );
    let active = sesame(db, "fr", &["invitations", "resend", "admin"]);
    assert_eq!(active.status, 1, "{}", active.stdout);
    assert!(
        active.stderr.contains("invité et pas encore actif"),
        "{}",
        active.stderr
    );
}

on_every_database!(
    a_reminder_waiting_when_the_person_activates_does_not_leave_on_every_database,
    a_reminder_waiting_when_the_person_activates_does_not_leave
);
on_every_database!(
    invitations_at_the_command_line_on_every_database,
    invitations_at_the_command_line
);
on_every_database!(
    reminders_follow_until_everyone_is_active_on_every_database,
    reminders_follow_until_everyone_is_active
);
on_every_database!(
    reminders_are_an_organisation_setting_on_every_database,
    reminders_are_an_organisation_setting
);
on_every_database!(
    resend_one_several_all_and_renew_the_expired_on_every_database,
    resend_one_several_all_and_renew_the_expired
);
on_every_database!(
    a_refused_address_shows_the_servers_answer_on_every_database,
    a_refused_address_shows_the_servers_answer
);
