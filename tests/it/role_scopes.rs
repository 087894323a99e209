//! Roles by place on the pages (issue 18, point 4), at the HTTP level: a role given within one
//! installation from the Roles tab stays there when another role is given or one place of it
//! is taken back; someone who manages one installation is offered only it, and a form forged
//! for another place is refused with nothing changed.

use crate::harness::{ADMIN_PASSWORD, Db, Server};
use crate::on_every_database;
use crate::web_pages::{Browser, CSRF};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sesame_core::Profile;

/// The ids of the roles (or groups) of the organisation, by name.
async fn ids(s: &Server, admin: &str, what: &str) -> std::collections::HashMap<String, String> {
    let list = s.get(&format!("/api/v1/{what}"), admin).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    list.body
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| {
            (
                r["name"].as_str().expect("name").to_string(),
                r["id"].as_str().expect("id").to_string(),
            )
        })
        .collect()
}

/// A person of the daycare (first and last names, phone and e-mail are required there).
async fn person(s: &Server, admin: &str, login: &str, extra: Value) -> String {
    let mut body = json!({"login": login, "email": format!("{login}@example.org"), "first_name": "Test",
        "last_name": login, "phone": "(514) 555-1234"});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    let made = s.post("/api/v1/users", admin, body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    made.body["id"].as_str().expect("id").to_string()
}

/// Their roles as the API reads them, in a stable order.
async fn roles_of(s: &Server, admin: &str, id: &str) -> Vec<(String, Option<String>)> {
    let u = s.get(&format!("/api/v1/users/{id}"), admin).await;
    let mut out: Vec<(String, Option<String>)> = u.body["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .map(|r| {
            (
                r["role"].as_str().expect("role").to_string(),
                r["group"].as_str().map(String::from),
            )
        })
        .collect();
    out.sort();
    out
}

fn held(role: &str, group: Option<&str>) -> (String, Option<String>) {
    (role.to_string(), group.map(String::from))
}

async fn roles_are_given_and_taken_back_by_place(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Daycare).await;
    for name in ["Les Lutins", "Les Coccinelles", "Les Hiboux"] {
        let g = s
            .post("/api/v1/groups", &admin, json!({"name": name}))
            .await;
        assert_eq!(g.status, StatusCode::CREATED, "{}", g.body);
    }
    let role = ids(&s, &admin, "roles").await;
    let group = ids(&s, &admin, "groups").await;
    let (educator, mobile, book) = (
        &role["Personnel éducateur"],
        &role["Accès mobile"],
        &role["Cahier de communication"],
    );
    let (lutins, coccinelles, hiboux) = (
        &group["Les Lutins"],
        &group["Les Coccinelles"],
        &group["Les Hiboux"],
    );
    let marie = person(&s, &admin, "marie", json!({})).await;
    let b = Browser::signed_in(&s, "admin", ADMIN_PASSWORD).await;
    let tab = format!("/users/{marie}?tab=roles");
    let save = format!("/users/{marie}/roles");

    // The tab offers each role in the whole organisation and in each installation.
    let (status, page) = b.get(&tab).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("value=\"{educator}@{lutins}\"")),
        "{page}"
    );
    assert!(page.contains(&format!("value=\"{educator}\"")), "{page}");
    assert!(page.contains("id=\"no-roles\""), "nothing held yet");

    // A role given within Les Lutins stays there.
    let give_in_lutins = format!("{educator}@{lutins}");
    let (status, _) = b
        .post(&save, &[("csrf", CSRF), ("give", &give_in_lutins)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        roles_of(&s, &admin, &marie).await,
        [held("Personnel éducateur", Some("Les Lutins"))]
    );
    let (_, page) = b.get(&tab).await;
    assert!(
        page.contains("<strong>Personnel éducateur</strong> — dans Les Lutins"),
        "the place is said: {page}"
    );
    assert!(
        !page.contains(&format!("name=\"give\" value=\"{educator}@{lutins}\"")),
        "a place held is not offered again"
    );

    // Another role given (with the group box of Les Lutins as the page shows it, ticked):
    // the first keeps its place.
    let (status, _) = b
        .post(
            &save,
            &[
                ("csrf", CSRF),
                ("give", mobile),
                ("groups", lutins),
                ("groups_was", lutins),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        roles_of(&s, &admin, &marie).await,
        [
            held("Accès mobile", None),
            held("Personnel éducateur", Some("Les Lutins")),
        ]
    );
    let (_, page) = b.get(&tab).await;
    assert!(page.contains("<strong>Accès mobile</strong> — toute l’organisation"));

    // Given in two installations at once, then one of the three places taken back.
    let in_coccinelles = format!("{educator}@{coccinelles}");
    let in_hiboux = format!("{educator}@{hiboux}");
    let (status, _) = b
        .post(
            &save,
            &[
                ("csrf", CSRF),
                ("give", &in_coccinelles),
                ("give", &in_hiboux),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = b
        .post(&save, &[("csrf", CSRF), ("take_back", &give_in_lutins)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        roles_of(&s, &admin, &marie).await,
        [
            held("Accès mobile", None),
            held("Personnel éducateur", Some("Les Coccinelles")),
            held("Personnel éducateur", Some("Les Hiboux")),
        ]
    );
    let member_of = s.get(&format!("/api/v1/users/{marie}"), &admin).await;
    assert!(
        member_of.body["groups"]
            .as_array()
            .expect("groups")
            .contains(&json!("Les Lutins")),
        "taking a role back leaves the membership: {}",
        member_of.body
    );

    // A role that needs another: refused on the roles field, saying which; nothing changed.
    let logbook = format!("{}@{lutins}", role["Journal de bord"]);
    let before = roles_of(&s, &admin, &marie).await;
    let (status, page) = b.post(&save, &[("csrf", CSRF), ("give", &logbook)]).await;
    assert!(status.is_client_error(), "{status}");
    assert!(page.contains("id=\"roles-error\""), "{page}");
    assert!(
        page.contains("Gestionnaire"),
        "names the role needed: {page}"
    );
    assert!(
        page.contains(&format!("name=\"give\" value=\"{logbook}\" checked")),
        "the box ticked is kept"
    );
    assert_eq!(roles_of(&s, &admin, &marie).await, before);

    // The last administrator's role cannot be taken back: said on the roles field.
    let admin_id = s.get("/api/v1/users?q=admin", &admin).await.body["items"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (status, page) = b
        .post(
            &format!("/users/{admin_id}/roles"),
            &[("csrf", CSRF), ("take_back", &role["Administration"])],
        )
        .await;
    assert!(status.is_client_error(), "{status}");
    assert!(page.contains("id=\"roles-error\""), "{page}");

    // Someone who manages Les Lutins only.
    let manager = person(
        &s,
        &admin,
        "gestion",
        json!({"roles": [{"role": "Gestionnaire", "group": "Les Lutins"}]}),
    )
    .await;
    let org = s.app.org(None).await.expect("org");
    sesame_app::users::set_password(
        &s.app,
        &s.app.operator(org),
        &manager,
        crate::harness::USER_PASSWORD.to_string().into(),
    )
    .await
    .expect("password");
    let paul = person(
        &s,
        &admin,
        "paul",
        json!({"groups": ["Les Lutins"], "roles": [{"role": "Cahier de communication", "group": "Les Hiboux"}]}),
    )
    .await;
    let g = Browser::signed_in(&s, "gestion", crate::harness::USER_PASSWORD).await;
    let (status, page) = g.get(&format!("/users/{paul}?tab=roles")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let offered: Vec<&str> = page
        .split("name=\"give\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or(""))
        .collect();
    assert!(!offered.is_empty(), "roles offered in Les Lutins: {page}");
    assert!(
        offered.iter().all(|v| v.ends_with(&format!("@{lutins}"))),
        "only Les Lutins is offered: {offered:?}"
    );
    assert!(
        !offered.contains(&format!("{}@{lutins}", role["Administration"]).as_str()),
        "not a role with rights the manager lacks"
    );
    assert!(
        page.contains("<strong>Cahier de communication</strong> — dans Les Hiboux"),
        "a role held elsewhere is shown"
    );
    assert!(
        !page.contains(&format!("name=\"take_back\" value=\"{book}@{hiboux}\"")),
        "…without a control to take it back"
    );

    // Allowed: a role within Les Lutins; the role held in Les Hiboux stays.
    let (status, _) = g
        .post(
            &format!("/users/{paul}/roles"),
            &[("csrf", CSRF), ("give", &give_in_lutins)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let before = vec![
        held("Cahier de communication", Some("Les Hiboux")),
        held("Personnel éducateur", Some("Les Lutins")),
    ];
    assert_eq!(roles_of(&s, &admin, &paul).await, before);

    // Forged: another installation, the whole organisation, taking back what is held
    // elsewhere. Each a 403 page; nothing changed.
    let whole = educator.to_string();
    let hiboux_book = format!("{book}@{hiboux}");
    for forged in [
        [("give", in_coccinelles.as_str()), ("give", mobile.as_str())],
        [("give", whole.as_str()), ("give", mobile.as_str())],
        [
            ("take_back", hiboux_book.as_str()),
            ("give", mobile.as_str()),
        ],
    ] {
        let mut fields = vec![("csrf", CSRF)];
        fields.extend(forged);
        let (status, page) = g.post(&format!("/users/{paul}/roles"), &fields).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{forged:?}: {page}");
        assert!(page.contains("<html"), "a page: {page}");
        assert_eq!(roles_of(&s, &admin, &paul).await, before, "{forged:?}");
    }

    // The Add form: opened by the manager, it offers Les Lutins only and asks for a group.
    let (status, page) = g.get("/users/new").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(&format!("name=\"groups\" value=\"{lutins}\"")));
    assert!(!page.contains(&format!("value=\"{coccinelles}\"")));
    let person_fields = [
        ("csrf", CSRF),
        ("first_name", "Léa"),
        ("last_name", "Roux"),
        ("email", "lea.roux@example.org"),
        ("phone", "(514) 555-0123"),
    ];
    let (status, page) = g.post("/users/new", &person_fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("id=\"groups-error\""), "{page}");
    assert!(
        page.contains("Les Lutins"),
        "names the groups expected: {page}"
    );
    let mut fields = person_fields.to_vec();
    fields.push(("give", &give_in_lutins));
    let (status, _) = g.post("/users/new", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let lea = s.get("/api/v1/users?q=roux", &admin).await;
    assert_eq!(
        lea.body["items"][0]["roles"],
        json!([{"role": "Personnel éducateur", "group": "Les Lutins"}]),
        "{}",
        lea.body
    );
    s.stop().await;
}

on_every_database!(
    roles_are_given_and_taken_back_by_place_on_the_pages,
    roles_are_given_and_taken_back_by_place
);
