//! The organisation's time zone: a setting, checked on its field in both languages, and the zone
//! every date people read is given in — here, an invitation's expiry in the e-mail, in the
//! recipient's language, read back from a real SMTP server.

use crate::harness::{Db, Server, SmtpSink};
use crate::on_every_database;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sesame_core::{Language, Profile, Zone};

/// Every way `lang` may say a time of the window `[from, to]` (Unix ms) in `zone`, to the
/// minute: the link's expiry is set by the mailer between the two.
fn said_between(lang: Language, zone: &Zone, from: i64, to: i64) -> Vec<String> {
    let mut out = Vec::new();
    let mut t = from - from % 60_000;
    while t <= to {
        out.push(sesame_app::time::date_time(lang, zone, t));
        t += 60_000;
    }
    out
}

async fn the_zone_is_a_setting_and_invitations_say_their_expiry_in_it(db: &Db) {
    let sink = SmtpSink::start(&[]);
    let mailer = sink.mailer();
    let s = Server::start_with(db, move |app| app.mailer = mailer).await;
    let admin = s.init(Profile::Amap).await;

    // A French organisation starts in Paris's time.
    let settings = s.get("/api/v1/settings", &admin).await;
    assert_eq!(settings.status, StatusCode::OK, "{}", settings.body);
    assert_eq!(settings.body["time_zone"], "Europe/Paris");

    // An unknown zone is refused on its field, said in each language, and nothing changes.
    let wrong = json!({"time_zone": "Europe/Pariss", "name": "AMAP des Tilleuls"});
    let fr = s
        .call_lang(
            Method::PATCH,
            "/api/v1/settings",
            Some(&admin),
            Some(wrong.clone()),
            Some("fr"),
        )
        .await
        .problem(422, "time_zone", "time_zone.unknown");
    assert!(
        fr.contains("Fuseau horaire") && fr.contains("« Europe/Pariss »"),
        "{fr}"
    );
    let en = s
        .call_lang(
            Method::PATCH,
            "/api/v1/settings",
            Some(&admin),
            Some(wrong),
            Some("en"),
        )
        .await
        .problem(422, "time_zone", "time_zone.unknown");
    assert!(
        en.contains("Time zone") && en.contains("\"Europe/Pariss\""),
        "{en}"
    );
    s.patch("/api/v1/settings", &admin, json!({"time_zone": ""}))
        .await
        .problem(422, "time_zone", "time_zone.empty");
    let unchanged = s.get("/api/v1/settings", &admin).await;
    assert_eq!(unchanged.body["time_zone"], "Europe/Paris");
    assert_ne!(unchanged.body["name"], "AMAP des Tilleuls");

    // A known one, in any case, is saved by its IANA name.
    let saved = s
        .patch(
            "/api/v1/settings",
            &admin,
            json!({"time_zone": "america/toronto"}),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.body["time_zone"], "America/Toronto");
    let read = s.get("/api/v1/settings", &admin).await;
    assert_eq!(read.body["time_zone"], "America/Toronto");

    // Invitations in English and in French: the expiry in Toronto's time, in each language;
    // the API keeps its times in RFC 3339, UTC.
    let toronto = Zone::parse("America/Toronto").expect("zone");
    for (login, lang) in [("tom.baker", Language::En), ("lea.martin", Language::Fr)] {
        let address = format!("{login}@example.org");
        let before = sesame_store::now_ms();
        let created = s
            .post(
                "/api/v1/users",
                &admin,
                json!({"login": login, "email": address, "language": lang.code(),
                       "send_invitation": true}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let created_at = created.body["created_at"].as_str().expect("created_at");
        assert!(created_at.ends_with('Z'), "{created_at}");
        let mails = sink
            .wait_for(if lang == Language::En { 1 } else { 2 })
            .await;
        let after = sesame_store::now_ms();
        let mail = mails
            .iter()
            .find(|m| m.rcpt == [address.as_str()])
            .expect("the invitation");
        let text = mail.text();
        let week = 7 * 86_400_000;
        let expected = said_between(lang, &toronto, before + week, after + week);
        let (opening, closing) = match lang {
            Language::Fr => ("jusqu'au ", ")"),
            Language::En => ("until ", ")"),
        };
        assert!(
            expected
                .iter()
                .any(|d| text.contains(&format!("{opening}{d}{closing}"))),
            "one of {expected:?} in {text}"
        );
        assert!(!text.contains("UTC"), "{text}");
        let html = mail.html();
        assert!(expected.iter().any(|d| html.contains(d.as_str())), "{html}");
    }
    s.stop().await;
}
on_every_database!(
    time_zone_setting_and_invitation_expiry,
    the_zone_is_a_setting_and_invitations_say_their_expiry_in_it
);

/// A Québec organisation (the daycare profile's country) starts in Toronto's time, which is
/// Montréal's.
async fn a_quebec_organisation_starts_in_eastern_time(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Daycare).await;
    let settings = s.get("/api/v1/settings", &admin).await;
    assert_eq!(settings.body["country"], "CA");
    assert_eq!(settings.body["time_zone"], "America/Toronto");
    s.stop().await;
}
on_every_database!(
    quebec_starts_in_eastern_time,
    a_quebec_organisation_starts_in_eastern_time
);

/// Organisations that existed before the setting take their country's main zone (migration
/// 0018), as new ones do; a country not in the table takes UTC.
async fn existing_organisations_take_their_countrys_zone(db: &Db) {
    sqlx::any::install_default_drivers();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/migrations");
    let before = sqlx::migrate::Migrator::new(dir.as_path())
        .await
        .expect("the migrations");
    let pool = sqlx::AnyPool::connect(&db.url).await.expect("connect");
    before.run_to(17, &pool).await.expect("migrate up to 0017");
    for (id, country) in [
        ("o-fr", "FR"),
        ("o-ca", "CA"),
        ("o-jp", "JP"),
        ("o-ru", "RU"),
    ] {
        sqlx::query(
            "INSERT INTO organisations (id, slug, name, profile, language, country, \
             required_fields, created_at, updated_at) \
             VALUES ($1, $1, $1, 'generic', 'fr', $2, 'email', 0, 0)",
        )
        .bind(id)
        .bind(country)
        .execute(&pool)
        .await
        .expect("an organisation as it was");
    }
    pool.close().await;

    let store = sesame_store::Store::connect(&db.url)
        .await
        .expect("migrate the rest");
    let mut conn = store.read().await.expect("conn");
    let zones: Vec<(String, String)> = sesame_store::orgs::list(&mut conn)
        .await
        .expect("organisations")
        .into_iter()
        .map(|o| (o.country, o.time_zone))
        .collect();
    let expected = |c: &str, z: &str| (c.to_string(), z.to_string());
    assert_eq!(
        zones,
        [
            expected("CA", "America/Toronto"),
            expected("FR", "Europe/Paris"),
            // Not in the table: UTC, until the settings say otherwise.
            expected("JP", "UTC"),
            expected("RU", "UTC"),
        ]
    );
    drop(conn);
    store.pool().close().await;
}
on_every_database!(
    existing_organisations_get_a_zone,
    existing_organisations_take_their_countrys_zone
);
