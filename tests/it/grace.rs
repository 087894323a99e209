//! The grace period of required two-factor (issue 22): someone newly required keeps signing in
//! normally until a deadline kept in the database, with a banner and reminders; after it, a new
//! sign-in leads only to enrolment; administrators see the state, filter the list by it and
//! extend the deadline. Time moves by rewriting the stored deadline, and the reminders'
//! schedule is run as at a chosen moment.

use crate::harness::{Db, Server, SmtpSink, USER_PASSWORD, pyotp_code, unix_now};
use crate::on_every_database;
use crate::web_pages::Browser;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sesame_app::App;
use sesame_app::grace::{self, DAY_MS};
use sesame_core::Profile;
use sesame_store::Store;

fn now_ms() -> i64 {
    sesame_store::now_ms()
}

/// The stored grace period of `user_id`: (started_at, deadline).
async fn stored_grace(s: &Server, user_id: &str) -> Option<(i64, i64)> {
    let mut conn = s.app.store.read().await.expect("conn");
    sqlx::query_as::<_, (i64, i64)>("SELECT started_at, deadline FROM mfa_grace WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await
        .expect("grace")
}

/// Moves `user_id`'s deadline (as if days had passed).
async fn set_deadline(s: &Server, user_id: &str, deadline: i64) {
    let mut conn = s.app.store.read().await.expect("conn");
    sqlx::query("UPDATE mfa_grace SET deadline = $2 WHERE user_id = $1")
        .bind(user_id)
        .bind(deadline)
        .execute(&mut *conn)
        .await
        .expect("move the deadline");
}

/// Whether `token`'s session may act fully (making an API token is refused to one that may
/// only enrol).
async fn full_session(s: &Server, token: &str) -> bool {
    let a = s
        .post(
            "/api/v1/account/tokens",
            token,
            json!({"name": format!("essai {}", sesame_store::new_id())}),
        )
        .await;
    match a.status {
        StatusCode::CREATED => true,
        StatusCode::FORBIDDEN => {
            a.problem(403, "", "auth.mfa_enrolment_required");
            false
        }
        other => panic!("unexpected {other}: {}", a.body),
    }
}

async fn two_factor_of(s: &Server, admin: &str, id: &str) -> Value {
    let u = s.get(&format!("/api/v1/users/{id}"), admin).await;
    assert_eq!(u.status, StatusCode::OK, "{}", u.body);
    u.body["two_factor"].clone()
}

/// Enrols `token`'s owner with pyotp's codes; answers the secret.
async fn enrol(s: &Server, token: &str) -> String {
    let e = s.post("/api/v1/account/mfa/totp", token, json!({})).await;
    assert_eq!(e.status, StatusCode::CREATED, "{}", e.body);
    let secret = e.body["secret"].as_str().expect("secret").to_string();
    let c = s
        .post(
            "/api/v1/account/mfa/totp/confirm",
            token,
            json!({"code": pyotp_code(&secret, unix_now())}),
        )
        .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    secret
}

async fn within_the_grace_period_then_enrolment_only(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    // Fourteen days unless the organisation says otherwise.
    let set = s
        .patch(
            "/api/v1/settings",
            &admin,
            json!({"two_factor_roles": ["Trésorier"]}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(set.body["two_factor_grace_days"], 14);

    // The role is given after the rule: the treasurer signs in normally, the session is whole.
    let before = now_ms();
    let (id, token) = s
        .user_with_roles(&admin, "tresorier", json!([{"role": "Trésorier"}]))
        .await;
    let (started, deadline) = stored_grace(&s, &id).await.expect("a grace period");
    assert!(started >= before && started <= now_ms());
    assert_eq!(deadline - started, 14 * DAY_MS);
    let signed = s.sign_in("tresorier", USER_PASSWORD, None).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    assert_eq!(signed.body["mfa_enrolment_required"], false);
    let fresh = signed.body["token"].as_str().expect("token").to_string();
    assert!(full_session(&s, &token).await);
    assert!(full_session(&s, &fresh).await);
    let me = s.get("/api/v1/me", &fresh).await;
    assert_eq!(me.body["mfa_enrolment_required"], false, "{}", me.body);
    let mine = s.get("/api/v1/account/mfa", &fresh).await;
    assert_eq!(mine.body["required"], true, "{}", mine.body);
    assert!(mine.body["grace_deadline"].is_string(), "{}", mine.body);

    // The administrator sees the state and the deadline.
    let t = two_factor_of(&s, &admin, &id).await;
    assert_eq!(t["state"], "grace", "{t}");
    assert_eq!(t["required"], true);
    assert_eq!(t["enabled"], false);
    assert_eq!(t["grace_days_left"], 14);
    assert!(
        t["grace_deadline"]
            .as_str()
            .is_some_and(|d| d.ends_with('Z'))
    );

    // Every page shows the banner with the days left and the button to enrol.
    let browser = Browser::signed_in(&s, "tresorier", USER_PASSWORD).await;
    for page in ["/", "/account"] {
        let (status, html) = browser.get(page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let banner = &html[html.find("id=\"grace-banner\"").expect("banner")..];
        let banner = &banner[..banner.find("</section>").expect("end of banner")];
        assert!(banner.contains("Il vous reste 14 jours"), "{banner}");
        assert!(
            banner.contains("href=\"/account/two-factor\" id=\"grace-enrol\""),
            "{banner}"
        );
        assert!(
            banner.contains("Activer la connexion en deux étapes"),
            "{banner}"
        );
    }
    // An administrator under no such rule sees none.
    let (_, html) = Browser::signed_in(&s, "admin", crate::harness::ADMIN_PASSWORD)
        .await
        .get("/")
        .await;
    assert!(!html.contains("grace-banner"));

    // The deadline passes (the clock moved): a new sign-in may only enrol; the session
    // opened before the deadline is not cut off.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    set_deadline(&s, &id, now_ms() - 5).await;
    let late = s.sign_in("tresorier", USER_PASSWORD, None).await;
    assert_eq!(late.status, StatusCode::OK, "{}", late.body);
    assert_eq!(late.body["mfa_enrolment_required"], true);
    let late = late.body["token"].as_str().expect("token").to_string();
    assert!(!full_session(&s, &late).await);
    assert!(full_session(&s, &fresh).await);
    let (status, html) = Browser::signed_in(&s, "tresorier", USER_PASSWORD)
        .await
        .get("/users")
        .await;
    assert!(
        status.is_redirection() || html.contains("id=\"start-two-factor\""),
        "a late sign-in is led to enrolment: {status}"
    );
    let t = two_factor_of(&s, &admin, &id).await;
    assert_eq!(t["state"], "required", "{t}");

    // The administrator extends it: the late session opens, and the change is audited.
    let moved = s
        .post(
            &format!("/api/v1/users/{id}/mfa/grace"),
            &admin,
            json!({"days": 5}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.body["state"], "grace");
    assert_eq!(moved.body["grace_days_left"], 5);
    let (_, deadline) = stored_grace(&s, &id).await.expect("grace");
    assert!((deadline - now_ms() - 5 * DAY_MS).abs() < 60_000);
    assert!(full_session(&s, &late).await);
    let audit = s
        .get(
            &format!("/api/v1/audit?action=mfa.grace_extend&target={id}"),
            &admin,
        )
        .await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.body);
    let entry = &audit.body["items"][0];
    assert_eq!(entry["action"], "mfa.grace_extend", "{}", audit.body);
    assert_eq!(entry["actor"], "admin", "{entry}");
    assert!(entry["after"]["grace_deadline"].is_string(), "{entry}");
    // Days add to a deadline still to come; a date sets the last day.
    let more = s
        .post(
            &format!("/api/v1/users/{id}/mfa/grace"),
            &admin,
            json!({"days": 2}),
        )
        .await;
    assert_eq!(more.body["grace_days_left"], 7, "{}", more.body);
    let day = |ms: i64| {
        let secs = ms / 1000;
        let (y, m, d) = civil(secs.div_euclid(86_400));
        format!("{y:04}-{m:02}-{d:02}")
    };
    let until = day(now_ms() + 30 * DAY_MS);
    let dated = s
        .post(
            &format!("/api/v1/users/{id}/mfa/grace"),
            &admin,
            json!({"until": until}),
        )
        .await;
    assert_eq!(dated.status, StatusCode::OK, "{}", dated.body);
    let left = dated.body["grace_days_left"].as_i64().expect("days");
    assert!((30..=32).contains(&left), "{}", dated.body);

    // Refusals name the field and what to do.
    let extend = |body: Value| {
        let (s, path, admin) = (&s, format!("/api/v1/users/{id}/mfa/grace"), admin.clone());
        async move { s.post(&path, &admin, body).await }
    };
    extend(json!({"days": 0}))
        .await
        .problem(422, "days", "limit.range");
    extend(json!({"days": 400}))
        .await
        .problem(422, "days", "limit.range");
    extend(json!({}))
        .await
        .problem(422, "days", "mfa.grace_days_or_until");
    extend(json!({"until": "31/12/2026"}))
        .await
        .problem(422, "until", "date.invalid");
    extend(json!({"until": "2020-01-01"}))
        .await
        .problem(422, "until", "mfa.grace_until_range");
    // Only those who may reset someone's two-factor may extend it.
    s.post(
        &format!("/api/v1/users/{id}/mfa/grace"),
        &fresh,
        json!({"days": 3}),
    )
    .await
    .problem(403, "", "permission.missing");
    let (member, _) = s
        .user_with_roles(&admin, "amapien", json!([{"role": "Amapien"}]))
        .await;
    s.post(
        &format!("/api/v1/users/{member}/mfa/grace"),
        &admin,
        json!({"days": 3}),
    )
    .await
    .problem(409, "", "mfa.grace_not_required");

    // Enrolling ends the grace period: no deadline, no banner.
    enrol(&s, &fresh).await;
    assert_eq!(stored_grace(&s, &id).await, None);
    let t = two_factor_of(&s, &admin, &id).await;
    assert_eq!(t["state"], "enabled", "{t}");
    assert_eq!(t["grace_deadline"], Value::Null);
    let (_, html) = browser.get("/").await;
    assert!(!html.contains("grace-banner"));
    s.stop().await;
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Howard Hinnant's).
fn civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The reminders queued for `user_id`: (kind, language), oldest first.
async fn reminders_of(s: &Server, user_id: &str) -> Vec<(String, String)> {
    let mut conn = s.app.store.read().await.expect("conn");
    sqlx::query_as::<_, (String, String)>(
        "SELECT kind, language FROM outbox WHERE user_id = $1 AND kind LIKE 'mfa_grace%' ORDER BY created_at, id",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await
    .expect("outbox")
}

async fn reminders_are_queued_once_each(db: &Db) {
    let sink = SmtpSink::start(&[]);
    let mailer = sink.mailer();
    let public_url = mailer.public_url.clone();
    let s = Server::start_with(db, |app| app.mailer = mailer).await;
    let admin = s.init(Profile::Amap).await;
    let set = s
        .patch(
            "/api/v1/settings",
            &admin,
            json!({"two_factor_roles": ["Trésorier"]}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    // Léa reads French, Sam English.
    let mut people = Vec::new();
    for (login, lang) in [("lea", "fr"), ("sam", "en")] {
        let a = s
            .post(
                "/api/v1/users",
                &admin,
                json!({"login": login, "email": format!("{login}@example.org"), "first_name": login, "last_name": "Test", "language": lang, "roles": [{"role": "Trésorier"}]}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        let id = a.body["id"].as_str().expect("id").to_string();
        let org = s.app.org(None).await.expect("org");
        sesame_app::users::set_password(
            &s.app,
            &s.app.operator(org),
            &id,
            USER_PASSWORD.to_string().into(),
        )
        .await
        .expect("password");
        people.push(id);
    }
    let (lea, sam) = (people[0].clone(), people[1].clone());
    let (started, deadline) = stored_grace(&s, &lea).await.expect("grace");
    // Both got theirs at the same moment (one deadline for the test).
    set_deadline(&s, &sam, deadline).await;
    {
        let mut conn = s.app.store.read().await.expect("conn");
        sqlx::query("UPDATE mfa_grace SET started_at = $2 WHERE user_id = $1")
            .bind(&sam)
            .bind(started)
            .execute(&mut *conn)
            .await
            .expect("start");
    }

    // Two instances run the schedule at once: each reminder is queued once.
    let other = App::new(Store::connect(&db.url).await.expect("store")).with_mailer(sink.mailer());
    let run_twice = |at: i64| {
        let (a, b) = (s.app.clone(), other.clone());
        async move {
            let (x, y) = tokio::join!(grace::remind_due(&a, at), grace::remind_due(&b, at));
            x.expect("remind") + y.expect("remind")
        }
    };
    assert_eq!(run_twice(started + 60_000).await, 2, "the start, to each");
    assert_eq!(run_twice(started + 120_000).await, 0, "not twice");
    // Before three days from the end: nothing; then the reminder, once.
    assert_eq!(run_twice(deadline - 3 * DAY_MS - 3_600_000).await, 0);
    assert_eq!(run_twice(deadline - 3 * DAY_MS + 3_600_000).await, 2);
    assert_eq!(run_twice(deadline - 2 * DAY_MS).await, 0);
    // Léa enrols: nothing more for her.
    let lea_token = s.login("lea", USER_PASSWORD).await;
    enrol(&s, &lea_token).await;
    assert_eq!(
        run_twice(deadline - DAY_MS + 3_600_000).await,
        1,
        "the last day, to Sam"
    );
    assert_eq!(run_twice(deadline - 3_600_000).await, 0);
    assert_eq!(run_twice(deadline + 1).await, 0, "the deadline passed");
    assert_eq!(
        reminders_of(&s, &lea).await,
        [
            ("mfa_grace_started".to_string(), "fr".to_string()),
            ("mfa_grace_soon".into(), "fr".into()),
        ]
    );
    assert_eq!(
        reminders_of(&s, &sam).await,
        [
            ("mfa_grace_started".to_string(), "en".to_string()),
            ("mfa_grace_soon".into(), "en".into()),
            ("mfa_grace_last_day".into(), "en".into()),
        ]
    );
    // An extension asks for the last reminders again, for the new deadline only.
    let moved = s
        .post(
            &format!("/api/v1/users/{sam}/mfa/grace"),
            &admin,
            json!({"days": 10}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let (_, later) = stored_grace(&s, &sam).await.expect("grace");
    assert_eq!(run_twice(now_ms()).await, 0, "the start was sent already");
    assert_eq!(run_twice(later - 3 * DAY_MS + 60_000).await, 1);

    // As they arrive, in each person's language, with the page to enrol.
    // Six reminders, and Léa's notice that two-factor is on.
    let mails = sink.wait_for(7).await;
    let to = |who: &str| -> Vec<_> {
        mails
            .iter()
            .filter(|m| m.to.contains(&format!("{who}@example.org")))
            .filter(|m| {
                m.text()
                    .contains(&format!("{public_url}/account/two-factor"))
            })
            .collect()
    };
    // (The sink gives them in no particular order.)
    let find = |mails: &[&crate::harness::Mail], part: &str| -> crate::harness::Mail {
        (*mails
            .iter()
            .find(|m| m.subject.contains(part))
            .unwrap_or_else(|| panic!("no \"{part}\" in {mails:#?}")))
        .clone()
    };
    let lea_mails = to("lea");
    assert_eq!(lea_mails.len(), 2, "{lea_mails:#?}");
    let start = find(&lea_mails, "d’ici 14 jours");
    assert!(start.text().contains("Activer la connexion en deux étapes"));
    assert_eq!(start.content_language, "fr");
    let soon = find(&lea_mails, "plus que 3 jours");
    assert!(
        soon.text().contains("Il vous reste 3 jours"),
        "{}",
        soon.text()
    );
    let sam_mails = to("sam");
    assert_eq!(sam_mails.len(), 4, "{sam_mails:#?}");
    find(&sam_mails, "within 14 days");
    assert_eq!(
        sam_mails
            .iter()
            .filter(|m| m.subject.contains("3 days left"))
            .count(),
        2,
        "for the first deadline and the extended one"
    );
    let last = find(&sam_mails, "last day");
    assert!(last.text().contains("Turn on two-factor sign-in"));
    assert_eq!(last.content_language, "en");
    s.stop().await;
}

async fn lists_settings_and_a_policy_change(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let (zoe, zoe_token) = s
        .user_with_roles(&admin, "zoe", json!([{"role": "Amapien"}]))
        .await;
    let (paul, _) = s
        .user_with_roles(&admin, "paul", json!([{"role": "Amapien"}]))
        .await;
    enrol(&s, &s.login("paul", USER_PASSWORD).await).await;

    // A bad number of days is refused, naming the field, in French and in English.
    for bad in [json!(-1), json!(366)] {
        let m = s
            .patch(
                "/api/v1/settings",
                &admin,
                json!({"two_factor_grace_days": bad}),
            )
            .await
            .problem(422, "two_factor_grace_days", "mfa.grace_days_range");
        assert!(
            m.contains("délai pour activer la connexion en deux étapes") && m.contains("365"),
            "{m}"
        );
    }
    let a = s
        .call_lang(
            reqwest::Method::PATCH,
            "/api/v1/settings",
            Some(&admin),
            Some(json!({"two_factor_grace_days": 400})),
            Some("en"),
        )
        .await;
    let m = a.problem(422, "two_factor_grace_days", "mfa.grace_days_range");
    assert!(m.contains("time to turn on two-factor sign-in"), "{m}");
    let a = s
        .patch(
            "/api/v1/settings",
            &admin,
            json!({"two_factor_grace_days": "dix"}),
        )
        .await;
    assert!(a.status.is_client_error(), "{}", a.body);
    assert!(
        a.body.to_string().contains("two_factor_grace_days"),
        "{}",
        a.body
    );
    // The settings page: as typed, refused on its field.
    let browser = Browser::signed_in(&s, "admin", crate::harness::ADMIN_PASSWORD).await;
    let (_, html) = browser.get("/settings").await;
    assert!(
        crate::web_pages::input(&html, "two_factor_grace_days").contains("value=\"14\""),
        "{html}"
    );
    let settings = s.get("/api/v1/settings", &admin).await.body;
    let form = |days: &'static str| {
        let name = settings["name"].as_str().unwrap_or_default().to_string();
        let tz = settings["time_zone"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        vec![
            ("csrf", crate::web_pages::CSRF.to_string()),
            ("name", name),
            ("language", "fr".into()),
            ("country", "FR".into()),
            ("time_zone", tz),
            ("invitation_ttl_hours", "168".into()),
            ("reset_ttl_minutes", "60".into()),
            ("two_factor_grace_days", days.to_string()),
        ]
    };
    for (days, says) in [
        ("deux", "Indiquez un nombre entier"),
        ("1000", "entre zéro (aucun délai) et 365"),
    ] {
        let f = form(days);
        let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, html) = browser.post("/settings", &fields).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{days}");
        assert!(
            html.contains("id=\"two_factor_grace_days-error\""),
            "{days}"
        );
        assert!(html.contains(says), "{days}: {says}");
    }
    let f = form("0");
    let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _) = browser.post("/settings", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        s.get("/api/v1/settings", &admin).await.body["two_factor_grace_days"],
        0
    );

    // With no grace, a rule on a role people hold: the session opened before is not cut off,
    // a new sign-in enrols first.
    let set = s
        .patch(
            "/api/v1/settings",
            &admin,
            json!({"two_factor_roles": ["Amapien"]}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert!(full_session(&s, &zoe_token).await);
    let again = s.sign_in("zoe", USER_PASSWORD, None).await;
    assert_eq!(again.body["mfa_enrolment_required"], true, "{}", again.body);
    assert_eq!(two_factor_of(&s, &admin, &zoe).await["state"], "required");
    assert_eq!(two_factor_of(&s, &admin, &paul).await["state"], "enabled");

    // The list: who is without two-factor, with a column saying each one's state.
    let logins = |a: &crate::harness::Answer| -> Vec<String> {
        a.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|u| u["login"].as_str().expect("login").to_string())
            .collect()
    };
    let without = s.get("/api/v1/users?two_factor=without", &admin).await;
    assert_eq!(without.status, StatusCode::OK, "{}", without.body);
    assert_eq!(logins(&without), ["admin", "zoe"]);
    assert_eq!(without.body["items"][1]["two_factor"]["state"], "required");
    let with = s.get("/api/v1/users?two_factor=with", &admin).await;
    assert_eq!(logins(&with), ["paul"]);
    let m = s
        .get("/api/v1/users?two_factor=maybe", &admin)
        .await
        .problem(422, "two_factor", "two_factor.filter_unknown");
    assert!(m.contains("with, without"), "{m}");
    let (status, html) = browser.get("/users?two_factor=without").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<option value=\"without\" selected>Sans connexion en deux étapes</option>")
    );
    assert!(html.contains(">zoe</a>") && !html.contains(">paul</a>"));
    assert!(html.contains("Exigée, délai dépassé"));
    // The person's Accès tab: the state, and the form to extend it.
    let (_, html) = browser.get(&format!("/users/{zoe}?tab=access")).await;
    assert!(
        html.contains("id=\"two-factor-state\">Exigée, délai dépassé"),
        "{html}"
    );
    let (status, html) = browser
        .post(
            &format!("/users/{zoe}/extend-two-factor"),
            &[("csrf", crate::web_pages::CSRF), ("days", "trois")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"days-error\""));
    let (status, _) = browser
        .post(
            &format!("/users/{zoe}/extend-two-factor"),
            &[("csrf", crate::web_pages::CSRF), ("days", "7")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let t = two_factor_of(&s, &admin, &zoe).await;
    assert_eq!(t["state"], "grace", "{t}");
    assert_eq!(t["grace_days_left"], 7);
    let (_, html) = browser.get(&format!("/users/{zoe}?tab=access")).await;
    assert!(
        html.contains("id=\"two-factor-state\">Exigée, à activer avant le"),
        "{html}"
    );
    // The operator's command line: three days more, or a refusal saying what is expected.
    let r = crate::cli::sesame(
        db,
        "en",
        &["user", "extend-2fa", "zoe", "--days", "3", "--json"],
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    let out: Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(out["two_factor"]["grace_days_left"], 10, "{out}");
    let r = crate::cli::sesame(db, "en", &["user", "extend-2fa", "zoe", "--days", "0"]);
    assert_eq!(r.status, 1, "{}", r.stdout);
    assert!(r.stderr.contains("365"), "{}", r.stderr);
    let r = crate::cli::sesame(
        db,
        "fr",
        &["user", "extend-2fa", "zoe", "--until", "2099-01-01"],
    );
    assert_eq!(r.status, 1, "{}", r.stdout);
    assert!(r.stderr.contains("au plus 365 jours"), "{}", r.stderr);
    s.stop().await;
}

on_every_database!(
    required_two_factor_waits_for_the_grace_period,
    within_the_grace_period_then_enrolment_only
);
on_every_database!(
    grace_reminders_are_queued_once_each_in_the_persons_language,
    reminders_are_queued_once_each
);
on_every_database!(
    two_factor_state_in_lists_settings_and_policy_changes,
    lists_settings_and_a_policy_change
);
