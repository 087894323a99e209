//! The Groups, Roles and Settings pages at the HTTP level, where a browser cannot go: a form
//! forged past what the page offers is refused by the app all the same, and the pages offer
//! each person only what they may do.

use crate::harness::{Db, Server, USER_PASSWORD};
use crate::on_every_database;
use reqwest::StatusCode;
use serde_json::json;
use sesame_core::{Language, Profile, Zone};

/// Any value of 32 characters or more is a CSRF token, as long as the form carries the same.
pub(crate) const CSRF: &str = "csrf-token-of-this-test-0123456789abcdef";

/// A browser of one person: their session cookie and the CSRF cookie.
pub(crate) struct Browser<'a> {
    pub(crate) s: &'a Server,
    pub(crate) cookie: String,
}

impl<'a> Browser<'a> {
    pub(crate) async fn signed_in(s: &'a Server, login: &str, password: &str) -> Self {
        let signed = s.sign_in(login, password, None).await;
        assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
        let session = signed
            .headers
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|c| c.split(';').next())
            .expect("a session cookie")
            .to_string();
        Browser {
            s,
            cookie: format!("{session}; sesame_csrf={CSRF}"),
        }
    }

    pub(crate) async fn get(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .s
            .http
            .get(format!("{}{path}", self.s.base))
            .header("Cookie", &self.cookie)
            .header("Accept-Language", "fr")
            .send()
            .await
            .expect("get");
        (r.status(), r.text().await.unwrap_or_default())
    }

    /// Posts a form (without following the redirect it may answer).
    pub(crate) async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
        let body = serde_urlencoded::to_string(fields).expect("form");
        let r = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .post(format!("{}{path}", self.s.base))
            .header("Cookie", &self.cookie)
            .header("Accept-Language", "fr")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("post");
        (r.status(), r.text().await.unwrap_or_default())
    }
}

/// The HTML of the element `<input … id="{id}" …>`.
pub(crate) fn input<'h>(html: &'h str, id: &str) -> &'h str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in the page"));
    let start = html[..at].rfind('<').expect("tag start");
    let end = at + html[at..].find('>').expect("tag end");
    &html[start..=end]
}

async fn a_role_manager_grants_only_what_they_hold(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let made = s
        .post(
            "/api/v1/roles",
            &admin,
            json!({"name": "Gestion des rôles", "permissions": ["users.view", "roles.manage"]}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    s.user_with_roles(&admin, "gestion", json!([{"role": "Gestion des rôles"}]))
        .await;
    let b = Browser::signed_in(&s, "gestion", USER_PASSWORD).await;

    // The nav offers Groups (to see them) and Roles, not Settings.
    let (status, roles) = b.get("/roles").await;
    assert_eq!(status, StatusCode::OK);
    assert!(roles.contains("href=\"/roles\""), "Roles in the nav");
    assert!(roles.contains("href=\"/groups\""), "Groups in the nav");
    assert!(
        !roles.contains("href=\"/settings\""),
        "no Settings in the nav"
    );
    assert!(
        roles.contains("id=\"new-role\""),
        "may create a custom role"
    );

    // The editor: what they hold may be ticked; the rest is disabled, and says why.
    let (status, editor) = b.get("/roles/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!input(&editor, "perm-users-view").contains("disabled"));
    assert!(!input(&editor, "perm-roles-manage").contains("disabled"));
    let delete = input(&editor, "perm-users-delete");
    assert!(delete.contains("disabled"), "{delete}");
    assert!(delete.contains("perm-users-delete-why"), "{delete}");
    assert!(
        editor.contains("vous ne pouvez pas le donner"),
        "the reason"
    );

    // A form forged with a permission they lack is refused, and nothing is created.
    let (status, page) = b
        .post(
            "/roles/new",
            &[
                ("csrf", CSRF),
                ("name", "Pouvoir caché"),
                ("permissions", "users.view"),
                ("permissions", "users.delete"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
    assert!(
        page.contains("« supprimer des utilisateurs »"),
        "names what is lacking, in words: {page}"
    );
    let list = s.get("/api/v1/roles", &admin).await;
    assert!(
        !list.body.to_string().contains("Pouvoir caché"),
        "{}",
        list.body
    );
    // A form without its CSRF token does nothing either.
    let (status, _) = b
        .post(
            "/roles/new",
            &[("name", "Sans jeton"), ("permissions", "users.view")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Within their rights, the role is made.
    let (status, _) = b
        .post(
            "/roles/new",
            &[
                ("csrf", CSRF),
                ("name", "Lecture seule"),
                ("permissions", "users.view"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // A role that grants more than they hold is shown, not offered for change.
    let admin_role = list.body.as_array().expect("roles")[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (_, preset) = b.get(&format!("/roles/{admin_role}")).await;
    assert!(preset.contains("id=\"readonly-note\""));
    assert!(!preset.contains("id=\"save-role\""));

    // Groups: seen, not managed; Settings: refused.
    let (status, groups) = b.get("/groups").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!groups.contains("id=\"create-group\""));
    let (status, _) = b
        .post("/groups", &[("csrf", CSRF), ("name", "Salle des fêtes")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = b.get("/settings").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    s.stop().await;
}

async fn refusals_are_shown_on_the_form(db: &Db) {
    let s = Server::start(db).await;
    let _ = s.init(Profile::Amap).await;
    let b = Browser::signed_in(&s, "admin", crate::harness::ADMIN_PASSWORD).await;

    // The last administrator's role cannot go: the page says why.
    let roles = s
        .get(
            "/api/v1/roles",
            &s.login("admin", crate::harness::ADMIN_PASSWORD).await,
        )
        .await;
    let admin_role = roles.body[0]["id"].as_str().expect("id").to_string();
    let (status, page) = b
        .post(
            &format!("/roles/{admin_role}/delete"),
            &[("csrf", CSRF), ("confirm", "on")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    assert!(page.contains("dernier administrateur"), "{page}");

    // A lifetime that is not a number, one out of range: each on its field, as typed, and
    // nothing saved.
    let form = |ttl: &'static str| {
        vec![
            ("csrf", CSRF),
            ("name", "AMAP des Lilas"),
            ("language", "fr"),
            ("country", "FR"),
            ("required", "phone"),
            ("invitation_ttl_hours", ttl),
            ("reset_ttl_minutes", "60"),
        ]
    };
    let (status, page) = b.post("/settings", &form("une semaine")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        input(&page, "invitation_ttl_hours").contains("aria-invalid=\"true\""),
        "{page}"
    );
    assert!(page.contains("value=\"une semaine\""));
    assert!(page.contains("Indiquez un nombre entier"));
    let (status, page) = b.post("/settings", &form("0")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("entre 1 et 720"), "{page}");
    let org = s.app.org(None).await.expect("org");
    assert!(
        !org.requires(sesame_core::UserField::Phone),
        "nothing saved"
    );

    // The time zone: offered from the IANA names, an unknown one refused on its field, as
    // typed; a known one saved.
    let (_, page) = b.get("/settings").await;
    assert!(
        input(&page, "time_zone").contains("value=\"Europe/Paris\""),
        "{page}"
    );
    assert!(
        page.contains("<option value=\"America/Toronto\">"),
        "{page}"
    );
    let mut zoned = form("168");
    zoned.push(("time_zone", "Lune/Tranquillité"));
    let (status, page) = b.post("/settings", &zoned).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        input(&page, "time_zone").contains("aria-invalid=\"true\""),
        "{page}"
    );
    assert!(
        page.contains("Fuseau horaire : « Lune/Tranquillité » n'est pas un fuseau horaire connu")
            || page.contains(
                "Fuseau horaire : « Lune/Tranquillité » n&#39;est pas un fuseau horaire connu"
            ),
        "{page}"
    );

    // Saved, the required phone shows on the Add user form.
    let mut zoned = form("336");
    zoned.push(("time_zone", "America/Toronto"));
    let (status, _) = b.post("/settings", &zoned).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let org = s.app.org(None).await.expect("org");
    assert_eq!(org.zone.name(), "America/Toronto");
    let (_, add) = b.get("/users/new").await;
    assert!(input(&add, "phone").contains(" required"), "phone required");

    // A mistyped address, a required phone left empty and a login already taken: every one
    // at once, each on its field, and the summary names each field and links to it.
    let (status, page) = b
        .post(
            "/users/new",
            &[
                ("csrf", CSRF),
                ("first_name", "Chloé"),
                ("last_name", "Martin"),
                ("email", "chloe.martin@"),
                ("login", "admin"),
                ("phone", ""),
                ("language", "fr"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    for field in ["email", "phone", "login"] {
        assert!(
            input(&page, field).contains("aria-invalid=\"true\""),
            "{field}: {page}"
        );
    }
    let summary = &page[page.find("id=\"form-errors\"").expect("summary")..];
    let summary = &summary[..summary.find("</div>").expect("end")];
    for named in [
        "<a href=\"#email\">Adresse e-mail</a> : ",
        "<a href=\"#phone\">Téléphone</a> : Ce champ est obligatoire",
        "<a href=\"#login\">Identifiant</a> : ",
    ] {
        assert!(summary.contains(named), "{named} in {summary}");
    }
    let users = s
        .get(
            "/api/v1/users",
            &s.login("admin", crate::harness::ADMIN_PASSWORD).await,
        )
        .await;
    assert_eq!(
        users.body["items"].as_array().map(Vec::len),
        Some(1),
        "nothing created"
    );

    // An empty group name, then a taken one: on the name field.
    let (status, page) = b.post("/groups", &[("csrf", CSRF), ("name", "  ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(input(&page, "name").contains("aria-invalid=\"true\""));
    let (status, _) = b
        .post("/groups", &[("csrf", CSRF), ("name", "Salle des fêtes")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page) = b
        .post("/groups", &[("csrf", CSRF), ("name", "Salle des fêtes")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("déjà utilisé"), "{page}");
    s.stop().await;
}

/// A person made through the API, with a first and a last name; their id.
async fn person(s: &Server, admin: &str, login: &str, first: &str, last: &str) -> String {
    let made = s
        .post(
            "/api/v1/users",
            admin,
            json!({"login": login, "email": format!("{login}@example.org"), "first_name": first, "last_name": last}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    made.body["id"].as_str().expect("id").to_string()
}

/// The logins of the members of the group named `group`, as the API lists them.
async fn members_of(s: &Server, admin: &str, group: &str) -> Vec<String> {
    let query = serde_urlencoded::to_string([("group", group), ("limit", "100")]).expect("query");
    let found = s.get(&format!("/api/v1/users?{query}"), admin).await;
    let mut logins: Vec<String> = found.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|u| u["login"].as_str().map(String::from))
        .collect();
    logins.sort();
    logins
}

async fn members_are_changed_from_the_group_page(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let made = s
        .post("/api/v1/groups", &admin, json!({"name": "Salle des fêtes"}))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let group = made.body["id"].as_str().expect("id").to_string();
    let page = format!("/groups/{group}");
    let add = format!("/groups/{group}/add-member");
    let remove = format!("/groups/{group}/remove-member");
    let _alice = person(&s, &admin, "alice.martin", "Alice", "Martin").await;
    let _bruno = person(&s, &admin, "bruno.martin", "Bruno", "Martin").await;
    let chloe = person(&s, &admin, "chloe.durand", "Chloé", "Durand").await;
    let b = Browser::signed_in(&s, "admin", crate::harness::ADMIN_PASSWORD).await;

    // The page offers the form, and everyone not yet in the group to pick from.
    let (status, html) = b.get(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        input(&html, "member").contains("list=\"member-choices\""),
        "{html}"
    );
    assert!(html.contains("<option value=\"alice.martin\">Alice Martin</option>"));

    // Nothing typed, a name that fits two people, one that fits nobody: said on the field,
    // what was typed kept, nobody added.
    let (status, html) = b.post(&add, &[("csrf", CSRF), ("member", " ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(input(&html, "member").contains("aria-invalid=\"true\""));
    assert!(html.contains("Indiquez l’identifiant"), "{html}");
    let (status, html) = b.post(&add, &[("csrf", CSRF), ("member", "Martin")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(
        html.contains("2 personnes correspondent à « Martin »"),
        "{html}"
    );
    assert!(html.contains("alice.martin (Alice Martin)"), "{html}");
    assert!(input(&html, "member").contains("value=\"Martin\""));
    let (status, html) = b.post(&add, &[("csrf", CSRF), ("member", "Zoé")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Personne ne correspond à « Zoé »"), "{html}");
    assert!(members_of(&s, &admin, "Salle des fêtes").await.is_empty());
    // Without its CSRF token, nothing either.
    let (status, _) = b.post(&add, &[("member", "chloe.durand")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(members_of(&s, &admin, "Salle des fêtes").await.is_empty());

    // By a name that fits one person, by login, by e-mail.
    let (status, _) = b.post(&add, &[("csrf", CSRF), ("member", "Durand")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = b
        .post(
            &add,
            &[("csrf", CSRF), ("member", "alice.martin@example.org")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        members_of(&s, &admin, "Salle des fêtes").await,
        ["alice.martin", "chloe.durand"]
    );
    let (status, html) = b
        .post(&add, &[("csrf", CSRF), ("member", "chloe.durand")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("chloe.durand est déjà membre"), "{html}");
    let added = s.get("/api/v1/audit?action=group.member_add", &admin).await;
    assert_eq!(
        added.body["items"].as_array().map(Vec::len),
        Some(2),
        "{}",
        added.body
    );

    // Chloé holds a role within the group: the page says so.
    let given = s
        .patch(
            &format!("/api/v1/users/{chloe}"),
            &admin,
            json!({"roles": [{"role": "Référent producteur", "group": "Salle des fêtes"}]}),
        )
        .await;
    assert_eq!(given.status, StatusCode::OK, "{}", given.body);
    let (_, html) = b.get(&page).await;
    assert!(html.contains("Référent producteur"), "{html}");
    assert!(html.contains("Retirer chloe.durand du groupe"));

    // Someone who manages groups but may not assign roles: adds and removes people, but not
    // an administrator, and not someone whose roles would end with it. Each said on its form.
    let made = s
        .post(
            "/api/v1/roles",
            &admin,
            json!({"name": "Gestion des groupes", "permissions": ["users.view", "groups.manage"]}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    s.user_with_roles(&admin, "gestion", json!([{"role": "Gestion des groupes"}]))
        .await;
    let g = Browser::signed_in(&s, "gestion", USER_PASSWORD).await;
    let (status, html) = g.get(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"add-member\""));
    let (status, html) = g.post(&add, &[("csrf", CSRF), ("member", "admin")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        input(&html, "member").contains("aria-invalid=\"true\""),
        "{html}"
    );
    assert!(
        html.contains("des droits que vous n&#39;avez pas"),
        "{html}"
    );
    let (status, html) = g.post(&remove, &[("csrf", CSRF), ("user", &chloe)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{html}");
    assert!(html.contains("id=\"remove-error\""), "{html}");
    let (status, _) = g
        .post(&add, &[("csrf", CSRF), ("member", "bruno.martin")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        members_of(&s, &admin, "Salle des fêtes").await,
        ["alice.martin", "bruno.martin", "chloe.durand"]
    );

    // The administrator removes Chloé: her role within the group ends with it, and the audit
    // log says so.
    let (status, _) = b.post(&remove, &[("csrf", CSRF), ("user", &chloe)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        members_of(&s, &admin, "Salle des fêtes").await,
        ["alice.martin", "bruno.martin"]
    );
    let her = s.get(&format!("/api/v1/users/{chloe}"), &admin).await;
    assert_eq!(her.body["roles"], json!([]), "{}", her.body);
    let removed = s
        .get("/api/v1/audit?action=group.member_remove", &admin)
        .await;
    let items = removed.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{}", removed.body);
    assert_eq!(items[0]["target"], "chloe.durand");
    assert_eq!(
        items[0]["before"],
        json!({"roles": ["Référent producteur"]})
    );
    s.stop().await;
}

async fn deleting_a_held_role_says_who_loses_it(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    for name in ["Lilas", "Tilleuls"] {
        let made = s
            .post("/api/v1/groups", &admin, json!({"name": name}))
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    }
    let made = s
        .post(
            "/api/v1/roles",
            &admin,
            json!({"name": "Bénévole", "permissions": ["users.view"]}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let role = made.body["id"].as_str().expect("id").to_string();
    s.user_with_roles(&admin, "paul", json!([{"role": "Bénévole"}]))
        .await;
    // Held in two groups, Zoé is one person who loses it.
    let (zoe, _) = s
        .user_with_roles(
            &admin,
            "zoe",
            json!([{"role": "Bénévole", "group": "Lilas"}, {"role": "Bénévole", "group": "Tilleuls"}]),
        )
        .await;
    let b = Browser::signed_in(&s, "admin", crate::harness::ADMIN_PASSWORD).await;

    let (status, html) = b.get(&format!("/roles/{role}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("2 personnes ont ce rôle"), "{html}");
    assert!(
        html.contains("Les 2 personnes qui ont ce rôle le perdent"),
        "{html}"
    );
    let listed = &html[html.find("id=\"role-holders\"").expect("the holders")..];
    let listed = &listed[..listed.find("</ul>").expect("end of list")];
    assert!(listed.contains(">paul</a>"), "{listed}");
    assert!(listed.contains("dans toute l’organisation"), "{listed}");
    assert!(listed.contains(">zoe</a>"), "{listed}");
    assert!(
        listed.contains("Lilas") && listed.contains("Tilleuls"),
        "{listed}"
    );

    // Unconfirmed, nothing happens; confirmed, the role goes and nobody holds it any more.
    let (status, _) = b
        .post(&format!("/roles/{role}/delete"), &[("csrf", CSRF)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = b
        .post(
            &format!("/roles/{role}/delete"),
            &[("csrf", CSRF), ("confirm", "on")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let her = s.get(&format!("/api/v1/users/{zoe}"), &admin).await;
    assert_eq!(her.body["roles"], json!([]), "{}", her.body);
    let holders = s.get("/api/v1/users?role=Bénévole", &admin).await;
    assert_ne!(holders.status, StatusCode::OK, "the role is gone");
    let log = s.get("/api/v1/audit?action=role.delete", &admin).await;
    assert_eq!(log.body["items"][0]["target"], "Bénévole", "{}", log.body);
    s.stop().await;
}

on_every_database!(
    a_role_manager_grants_only_what_they_hold_on_the_pages,
    a_role_manager_grants_only_what_they_hold
);
on_every_database!(
    the_pages_show_refusals_on_their_fields,
    refusals_are_shown_on_the_form
);
on_every_database!(
    members_are_changed_from_the_group_page_on_every_database,
    members_are_changed_from_the_group_page
);
on_every_database!(
    deleting_a_held_role_says_who_loses_it_on_every_database,
    deleting_a_held_role_says_who_loses_it
);

/// A person's page offers the viewer the actions the policy allows on that person, not those
/// the viewer holds somewhere: a coordinator sees Disable on a member's Accès tab, not on the
/// administrator's, and one of another group's coordinators sees neither.
async fn actions_offered_per_person(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    for name in ["Les Lilas", "Le Bec"] {
        let g = s
            .post("/api/v1/groups", &admin, json!({"name": name}))
            .await;
        assert_eq!(g.status, StatusCode::CREATED, "{}", g.body);
    }
    let (_, _) = s
        .user_with_roles(&admin, "coord", json!([{"role": "Coordinateur"}]))
        .await;
    let (_, _) = s
        .user_with_roles(
            &admin,
            "lilas",
            json!([{"role": "Coordinateur", "group": "Les Lilas"}]),
        )
        .await;
    let (member, _) = s
        .user_with_roles(
            &admin,
            "membre",
            json!([{"role": "Amapien", "group": "Le Bec"}]),
        )
        .await;
    let me = s.get("/api/v1/me", &admin).await;
    let admin_id = me.body["user"]["id"]
        .as_str()
        .expect("admin id")
        .to_string();
    let disable = |id: &str| format!("action=\"/users/{id}/disable\"");

    let coord = Browser::signed_in(&s, "coord", USER_PASSWORD).await;
    let (status, page) = coord.get(&format!("/users/{member}?tab=access")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&disable(&member)),
        "Disable offered on a member"
    );
    // When the account was created: in the organisation's zone (Paris, for a French one) and
    // the reader's language (« 4 décembre 2026 à 15 h 13 »), never the API's RFC 3339 text.
    let member_row = s.get(&format!("/api/v1/users/{member}"), &admin).await;
    let created_at = member_row.body["created_at"].as_str().expect("created_at");
    let paris = Zone::parse("Europe/Paris").expect("zone");
    let said = sesame_app::time::date_time_of(Language::Fr, &paris, created_at);
    assert!(said.contains(" à ") && said.contains(" h "), "{said}");
    assert!(
        page.contains(&format!("<dd>{said}</dd>")),
        "{said} in {page}"
    );
    assert!(
        !page.contains(created_at) && !page.contains(" UTC"),
        "{page}"
    );
    let (status, page) = coord.get(&format!("/users/{admin_id}?tab=access")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !page.contains(&disable(&admin_id)),
        "Disable offered on the administrator, whom the policy protects"
    );
    let (status, _) = coord
        .post(&format!("/users/{admin_id}/disable"), &[("csrf", CSRF)])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "and refused if forged");

    let other = Browser::signed_in(&s, "lilas", USER_PASSWORD).await;
    let (status, _) = other.get(&format!("/users/{member}?tab=access")).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a coordinator of Les Lilas does not see a member of Le Bec"
    );
    s.stop().await;
}
on_every_database!(
    a_persons_page_offers_what_the_policy_allows_on_them,
    actions_offered_per_person
);
