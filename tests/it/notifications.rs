//! Notification preferences ("Notification par courriel"): an application registers its alert
//! type, people opt in or out with a group filter, administrators set defaults, and other
//! applications ask who should be alerted of what, where.

use crate::harness::{Answer, Db, Server};
use crate::on_every_database;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sesame_core::Profile;

fn logins(a: &Answer) -> Vec<String> {
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("items in {}", a.body))
        .iter()
        .map(|u| u["login"].as_str().expect("login").to_string())
        .collect()
}

fn choice<'a>(a: &'a Answer, alert: &str) -> Option<&'a Value> {
    a.body["alerts"]
        .as_array()
        .unwrap_or_else(|| panic!("alerts in {}", a.body))
        .iter()
        .find(|c| c["alert"] == alert)
}

async fn put(s: &Server, path: &str, token: &str, body: Value) -> Answer {
    s.call(Method::PUT, path, Some(token), Some(body)).await
}

async fn an_application_registers_its_alert_type(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Daycare).await;
    let (_, manager) = s
        .user_with_roles(&admin, "gestion.a", json!([{"role": "Gestionnaire"}]))
        .await;
    let (_, mobile) = s
        .user_with_roles(&admin, "mobile.c", json!([{"role": "Accès mobile"}]))
        .await;

    // Sésame's own types, readable by anyone signed in.
    let alerts = s.get("/api/v1/notifications/alerts", &mobile).await;
    assert_eq!(alerts.status, StatusCode::OK, "{}", alerts.body);
    let keys: Vec<&str> = alerts
        .body
        .as_array()
        .expect("list")
        .iter()
        .map(|a| a["key"].as_str().expect("key"))
        .collect();
    assert_eq!(keys, ["member_joined", "import_finished", "security"]);
    assert_eq!(alerts.body[0]["group_filter"], true);
    assert_eq!(
        alerts.body[0]["label"],
        "Un nouveau membre a rejoint l'organisation"
    );
    assert_eq!(
        alerts.body[0]["label_en"],
        "A new member joined the organisation"
    );
    assert_eq!(alerts.body[0]["builtin"], true);
    assert_eq!(alerts.body[1]["group_filter"], false);
    assert_eq!(alerts.body[2]["group_filter"], false);
    assert_eq!(alerts.body[2]["permission"], "org.settings");

    // Registering needs the organisation's settings permission.
    let menus = json!({"key": "menus.published", "label_fr": "Menu de la semaine publié",
                       "label_en": "Weekly menu published", "group_filter": true, "default_on": true});
    s.post("/api/v1/notifications/alerts", &manager, menus.clone())
        .await
        .problem(403, "", "permission.missing");
    let made = s.post("/api/v1/notifications/alerts", &admin, menus).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!(made.body["key"], "menus.published");
    assert_eq!(made.body["label"], "Menu de la semaine publié");
    assert_eq!(made.body["group_filter"], true);
    assert_eq!(made.body["default_on"], true);
    assert_eq!(made.body["builtin"], false);
    assert_eq!(made.body["permission"], Value::Null);

    // Again: the labels change, the default the organisation has stays.
    let again = s
        .post(
            "/api/v1/notifications/alerts",
            &admin,
            json!({"key": "menus.published", "label_fr": "Nouveau menu publié",
                   "label_en": "New menu published", "group_filter": true, "default_on": false}),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.body["label_fr"], "Nouveau menu publié");
    assert_eq!(again.body["default_on"], true);
    let alerts = s.get("/api/v1/notifications/alerts", &manager).await;
    assert_eq!(alerts.body.as_array().map(Vec::len), Some(4));
    assert_eq!(alerts.body[3]["key"], "menus.published");
    assert_eq!(alerts.body[3]["label"], "Nouveau menu publié");

    // Bad keys and labels, each named.
    let bad = s
        .post(
            "/api/v1/notifications/alerts",
            &admin,
            json!({"key": "Menus Publiés", "label_fr": " ", "label_en": "x", "group_filter": false}),
        )
        .await;
    let m = bad.problem(422, "key", "alert.key_invalid");
    assert!(
        m.contains("Menus Publiés") && m.contains("minuscules"),
        "{m}"
    );
    bad.problem(422, "label_fr", "label.empty");
    let reserved = s
        .call_lang(
            Method::POST,
            "/api/v1/notifications/alerts",
            Some(&admin),
            Some(
                json!({"key": "security", "label_fr": "a", "label_en": "b", "group_filter": false}),
            ),
            Some("en"),
        )
        .await;
    let m = reserved.problem(422, "key", "alert.key_reserved");
    assert!(m.contains("one of Sésame's own"), "{m}");
    let missing = s
        .post(
            "/api/v1/notifications/alerts",
            &admin,
            json!({"key": "x", "label_fr": "a", "label_en": "b"}),
        )
        .await;
    missing.problem(422, "group_filter", "request.missing_field");

    // Audited.
    let log = s
        .get("/api/v1/audit?action=notifications.alert_register", &admin)
        .await;
    let items = log.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{}", log.body);
    assert_eq!(items[0]["target_id"], "menus.published");
    assert_eq!(items[0]["before"]["label_fr"], "Menu de la semaine publié");
    assert_eq!(items[0]["after"]["label_fr"], "Nouveau menu publié");
    assert_eq!(items[1]["after"]["default_on"], true);
    s.stop().await;
}
on_every_database!(
    an_application_registers_its_alert_type_and_updates_its_labels,
    an_application_registers_its_alert_type
);

async fn people_choose_and_applications_ask_who(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Daycare).await;
    for name in ["Installation Rosemont", "Installation Villeray"] {
        let g = s
            .post(
                "/api/v1/groups",
                &admin,
                json!({"name": name, "kind": "installation"}),
            )
            .await;
        assert_eq!(g.status, StatusCode::CREATED, "{}", g.body);
    }
    let rosemont = s
        .get("/api/v1/groups/Installation%20Rosemont", &admin)
        .await
        .body["id"]
        .as_str()
        .expect("id")
        .to_string();
    let villeray = s
        .get("/api/v1/groups/Installation%20Villeray", &admin)
        .await
        .body["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (manager_id, manager) = s
        .user_with_roles(&admin, "gestion.a", json!([{"role": "Gestionnaire"}]))
        .await;
    // Sees the staff of Rosemont only.
    let (_, educator) = s
        .user_with_roles(
            &admin,
            "educ.b",
            json!([{"role": "Personnel éducateur", "group": "Installation Rosemont"}]),
        )
        .await;
    let (_, mobile) = s
        .user_with_roles(&admin, "mobile.c", json!([{"role": "Accès mobile"}]))
        .await;
    // Invited, not active yet: never alerted.
    let invited = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"login": "invite.d", "email": "invite.d@example.org", "first_name": "Inès", "last_name": "D", "phone": "+33 6 12 34 56 79", "roles": [{"role": "Accès mobile"}]}),
        )
        .await;
    assert_eq!(invited.status, StatusCode::CREATED, "{}", invited.body);
    let registered = s
        .post(
            "/api/v1/notifications/alerts",
            &admin,
            json!({"key": "menus.published", "label_fr": "Menu publié", "label_en": "Menu published", "group_filter": true}),
        )
        .await;
    assert_eq!(
        registered.status,
        StatusCode::CREATED,
        "{}",
        registered.body
    );
    assert_eq!(registered.body["default_on"], false);

    let who = |q: &str| format!("/api/v1/notifications/recipients?{q}");
    // Defaults: security notices on (administrators only), new members and the menu off.
    assert_eq!(
        logins(&s.get(&who("alert=security"), &admin).await),
        ["admin"]
    );
    assert!(logins(&s.get(&who("alert=member_joined"), &admin).await).is_empty());
    assert!(logins(&s.get(&who("alert=menus.published"), &admin).await).is_empty());
    assert_eq!(
        logins(&s.get(&who("alert=import_finished"), &admin).await),
        ["admin", "gestion.a"],
        "on by default, for those who may import"
    );

    // Each person sees the alerts they may receive, with the default marked.
    let mine = s.get("/api/v1/account/notifications", &manager).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    let keys: Vec<&str> = mine.body["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .map(|c| c["alert"].as_str().expect("alert"))
        .collect();
    assert_eq!(
        keys,
        ["member_joined", "import_finished", "menus.published"]
    );
    let joined = choice(&mine, "member_joined").expect("member_joined");
    assert_eq!(joined["enabled"], false);
    assert_eq!(joined["from_default"], true);
    assert_eq!(joined["group_filter"], true);
    assert_eq!(joined["groups"], json!([]));
    let mine = s.get("/api/v1/account/notifications", &mobile).await;
    assert_eq!(
        mine.body["alerts"].as_array().map(Vec::len),
        Some(1),
        "{}",
        mine.body
    );
    assert_eq!(mine.body["alerts"][0]["alert"], "menus.published");

    // Opting in, with a group filter named without its capitals or accents.
    let chose = put(
        &s,
        "/api/v1/account/notifications",
        &manager,
        json!({"alerts": [{"alert": "member_joined", "enabled": true, "groups": ["installation ROSEMONT"]}]}),
    )
    .await;
    assert_eq!(chose.status, StatusCode::OK, "{}", chose.body);
    let joined = choice(&chose, "member_joined").expect("member_joined");
    assert_eq!(joined["enabled"], true);
    assert_eq!(joined["from_default"], false);
    assert_eq!(joined["groups"], json!(["Installation Rosemont"]));
    let chose = put(
        &s,
        "/api/v1/account/notifications",
        &educator,
        json!({"alerts": [{"alert": "member_joined", "enabled": true}]}),
    )
    .await;
    assert_eq!(chose.status, StatusCode::OK, "{}", chose.body);

    // Without a group, filters are ignored, but only those who see everyone learn of a new
    // member anywhere; in Rosemont, both; in Villeray, the manager filtered it out and the
    // educator does not see Villeray's staff.
    assert_eq!(
        logins(&s.get(&who("alert=member_joined"), &admin).await),
        ["gestion.a"]
    );
    assert_eq!(
        logins(
            &s.get(
                &who("alert=member_joined&group=Installation%20Rosemont"),
                &admin
            )
            .await
        ),
        ["educ.b", "gestion.a"]
    );
    assert_eq!(
        logins(
            &s.get(
                &who(&format!("alert=member_joined&group={rosemont}")),
                &admin
            )
            .await
        ),
        ["educ.b", "gestion.a"],
        "a group by id"
    );
    assert!(
        logins(
            &s.get(
                &who("alert=member_joined&group=installation%20villeray"),
                &admin
            )
            .await
        )
        .is_empty()
    );

    // The administrators turn the menu on by default: everyone active who never chose gets it.
    put(
        &s,
        "/api/v1/notifications/defaults",
        &manager,
        json!({"defaults": [{"alert": "menus.published", "enabled": true}]}),
    )
    .await
    .problem(403, "", "permission.missing");
    let d = put(
        &s,
        "/api/v1/notifications/defaults",
        &admin,
        json!({"defaults": [{"alert": "menus.published", "enabled": true}, {"alert": "security", "enabled": true}]}),
    )
    .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    let defaults = d.body["defaults"].as_array().expect("defaults");
    assert_eq!(defaults.len(), 4);
    assert!(defaults.contains(&json!({"alert": "menus.published", "enabled": true})));
    assert!(defaults.contains(&json!({"alert": "member_joined", "enabled": false})));
    assert_eq!(
        s.get("/api/v1/notifications/defaults", &mobile).await.body,
        d.body
    );
    let recipients = s.get(&who("alert=menus.published"), &admin).await;
    assert_eq!(
        logins(&recipients),
        ["admin", "educ.b", "gestion.a", "mobile.c"]
    );
    let m = &recipients.body["items"][2];
    assert_eq!(m["id"], manager_id.as_str());
    assert_eq!(m["email"], "gestion.a@example.org");
    assert_eq!(m["first_name"], "Test");
    assert_eq!(m["last_name"], "gestion.a");
    assert_eq!(m["language"], "fr");
    assert_eq!(
        m.as_object().map(|o| o.len()),
        Some(6),
        "id, login, email, names, language: {m}"
    );
    let mine = s.get("/api/v1/account/notifications", &mobile).await;
    let menu = choice(&mine, "menus.published").expect("menu");
    assert_eq!(
        (menu["enabled"].clone(), menu["from_default"].clone()),
        (json!(true), json!(true))
    );

    // Opting out, then back to the default, then a filter on Villeray.
    let out = put(
        &s,
        "/api/v1/account/notifications",
        &mobile,
        json!({"alerts": [{"alert": "menus.published", "enabled": false}]}),
    )
    .await;
    let menu = choice(&out, "menus.published").expect("menu");
    assert_eq!(
        (menu["enabled"].clone(), menu["from_default"].clone()),
        (json!(false), json!(false))
    );
    assert_eq!(
        logins(&s.get(&who("alert=menus.published"), &admin).await),
        ["admin", "educ.b", "gestion.a"]
    );
    let back = put(&s, "/api/v1/account/notifications", &mobile,
        json!({"alerts": [{"alert": "menus.published", "enabled": null, "groups": ["Installation Villeray"]}]})).await;
    let menu = choice(&back, "menus.published").expect("menu");
    assert_eq!(menu["enabled"], true);
    assert_eq!(menu["from_default"], true);
    assert_eq!(menu["groups"], json!(["Installation Villeray"]));
    assert_eq!(
        logins(
            &s.get(
                &who("alert=menus.published&group=Installation%20Rosemont"),
                &admin
            )
            .await
        ),
        ["admin", "educ.b", "gestion.a"]
    );
    assert_eq!(
        logins(
            &s.get(
                &who("alert=menus.published&group=Installation%20Villeray"),
                &admin
            )
            .await
        ),
        ["admin", "educ.b", "gestion.a", "mobile.c"]
    );

    // Pages, bounded.
    let first = s.get(&who("alert=menus.published&limit=3"), &admin).await;
    assert_eq!(logins(&first), ["admin", "educ.b", "gestion.a"]);
    let cursor = first.body["next_cursor"].as_str().expect("next page");
    let second = s
        .get(
            &who(&format!("alert=menus.published&limit=3&cursor={cursor}")),
            &admin,
        )
        .await;
    assert_eq!(logins(&second), ["mobile.c"]);
    assert_eq!(second.body["next_cursor"], Value::Null);
    s.get(&who("alert=security&limit=5000"), &admin)
        .await
        .problem(422, "limit", "limit.range");

    // The function the mail sender calls: any of the event's groups matches a filter.
    {
        let org = s.app.org(None).await.expect("org");
        let mut conn = s.app.store.read().await.expect("conn");
        let names = |rows: Vec<sesame_store::users::UserRow>| {
            rows.into_iter().map(|u| u.login).collect::<Vec<_>>()
        };
        let both = [rosemont.clone(), villeray.clone()];
        let got = sesame_app::notifications::recipients_in(&mut conn, &org, "member_joined", &both)
            .await
            .expect("recipients");
        assert_eq!(names(got), ["educ.b", "gestion.a"]);
        let got = sesame_app::notifications::recipients_in(
            &mut conn,
            &org,
            "menus.published",
            std::slice::from_ref(&villeray),
        )
        .await
        .expect("recipients");
        assert_eq!(names(got), ["admin", "educ.b", "gestion.a", "mobile.c"]);
        let got = sesame_app::notifications::recipients_in(
            &mut conn,
            &org,
            "menus.published",
            std::slice::from_ref(&rosemont),
        )
        .await
        .expect("recipients");
        assert_eq!(names(got), ["admin", "educ.b", "gestion.a"]);
        let err = sesame_app::notifications::recipients_in(&mut conn, &org, "nope", &[])
            .await
            .expect_err("unknown alert");
        assert_eq!(err.field_errors()[0].code, "alert.unknown");
    }

    // Another application asks with its own API token, limited to reading users.
    let token = s
        .post(
            "/api/v1/account/tokens",
            &admin,
            json!({"name": "Menus", "permissions": ["users.view"]}),
        )
        .await;
    let token = token.body["token"].as_str().expect("token").to_string();
    assert_eq!(
        logins(
            &s.get(
                &who("alert=menus.published&group=Installation%20Villeray"),
                &token
            )
            .await
        ),
        ["admin", "educ.b", "gestion.a", "mobile.c"]
    );
    // Someone who may not see users may not ask.
    s.get(&who("alert=menus.published"), &mobile)
        .await
        .problem(403, "", "permission.missing");
    // Someone who sees Rosemont's staff only gets only them.
    assert_eq!(
        logins(&s.get(&who("alert=menus.published"), &educator).await),
        ["educ.b"]
    );

    // Deleting a group takes it out of the filters: back to every group.
    assert_eq!(
        s.delete(&format!("/api/v1/groups/{villeray}"), &admin)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let mine = s.get("/api/v1/account/notifications", &mobile).await;
    assert_eq!(
        choice(&mine, "menus.published").expect("menu")["groups"],
        json!([])
    );

    // Every change is in the audit log, what it was and what it became.
    let log = s
        .get(
            &format!("/api/v1/audit?action=notifications.update&target={manager_id}"),
            &admin,
        )
        .await;
    let items = log.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{}", log.body);
    assert_eq!(items[0]["actor"], "gestion.a");
    assert_eq!(
        items[0]["before"]["member_joined"],
        json!({"enabled": "default", "groups": []})
    );
    assert_eq!(
        items[0]["after"]["member_joined"],
        json!({"enabled": true, "groups": ["Installation Rosemont"]})
    );
    let log = s
        .get("/api/v1/audit?action=notifications.defaults_update", &admin)
        .await;
    let items = log.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{}", log.body);
    assert_eq!(items[0]["before"], json!({"menus.published": false}));
    assert_eq!(
        items[0]["after"],
        json!({"menus.published": true}),
        "unchanged defaults left out"
    );
    s.stop().await;
}
on_every_database!(
    people_choose_their_alerts_and_applications_ask_who_to_alert,
    people_choose_and_applications_ask_who
);

async fn bad_choices_are_named(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Daycare).await;
    let g = s
        .post(
            "/api/v1/groups",
            &admin,
            json!({"name": "Installation Rosemont"}),
        )
        .await;
    assert_eq!(g.status, StatusCode::CREATED, "{}", g.body);
    let (_, manager) = s
        .user_with_roles(&admin, "gestion.a", json!([{"role": "Gestionnaire"}]))
        .await;

    let a = put(
        &s,
        "/api/v1/account/notifications",
        &manager,
        json!({"alerts": [
            {"alert": "menus", "enabled": true},
            {"alert": "member_joined", "groups": ["Installation Rosemont", "Installation Inconnue"]},
            {"alert": "import_finished", "enabled": true, "groups": ["Installation Rosemont"]},
            {"alert": "security", "enabled": true}
        ]}),
    )
    .await;
    let m = a.problem(422, "alerts[0].alert", "alert.unknown");
    assert!(
        m.contains("« menus »") && m.contains("member_joined, import_finished"),
        "{m}"
    );
    let m = a.problem(422, "alerts[1].groups[1]", "group.unknown");
    assert!(
        m.contains("Installation Inconnue") && m.contains("Installation Rosemont"),
        "{m}"
    );
    let m = a.problem(422, "alerts[2].groups", "alert.no_group_filter");
    assert!(
        m.starts_with("L'alerte « import_finished » ne peut pas"),
        "{m}"
    );
    // Security notices are for administrators: not one of this person's alerts.
    let m = a.problem(422, "alerts[3].alert", "alert.unknown");
    assert!(
        m.ends_with("Alertes possibles : member_joined, import_finished."),
        "{m}"
    );
    assert_eq!(
        a.body["errors"].as_array().map(Vec::len),
        Some(4),
        "{}",
        a.body
    );
    // Nothing was written.
    let mine = s.get("/api/v1/account/notifications", &manager).await;
    assert_eq!(
        choice(&mine, "member_joined").expect("joined")["groups"],
        json!([])
    );

    // In English, for an English-speaking caller.
    let en = s
        .call_lang(
            Method::PUT,
            "/api/v1/account/notifications",
            Some(&manager),
            Some(json!({"alerts": [{"alert": "import_finished", "groups": ["Installation Rosemont"]}]})),
            Some("en"),
        )
        .await;
    let m = en.problem(422, "alerts[0].groups", "alert.no_group_filter");
    assert!(
        m.starts_with("The alert \"import_finished\" cannot be limited"),
        "{m}"
    );
    let wrong_type = put(
        &s,
        "/api/v1/account/notifications",
        &manager,
        json!({"alerts": [{"alert": "member_joined", "enabled": "oui"}]}),
    )
    .await;
    wrong_type.problem(422, "alerts[0].enabled", "request.json_type");

    // The questions other applications ask.
    let who = |q: &str| format!("/api/v1/notifications/recipients?{q}");
    s.get(&who(""), &admin)
        .await
        .problem(422, "alert", "request.missing_field");
    let m = s
        .get(&who("alert=menu"), &admin)
        .await
        .problem(422, "alert", "alert.unknown");
    assert!(
        m.contains("member_joined, import_finished, security"),
        "{m}"
    );
    let m = s
        .get(&who("alert=member_joined&group=Rosemont"), &admin)
        .await
        .problem(422, "group", "group.unknown");
    assert!(m.contains("Installation Rosemont"), "{m}");
    let m = put(
        &s,
        "/api/v1/notifications/defaults",
        &admin,
        json!({"defaults": [{"alert": "menu", "enabled": true}]}),
    )
    .await
    .problem(422, "defaults[0].alert", "alert.unknown");
    assert!(m.contains("« menu »"), "{m}");
    s.stop().await;
}
on_every_database!(bad_notification_choices_are_named, bad_choices_are_named);
