//! Names that lie about themselves: a right-to-left override or a zero-width character in a
//! name, a login, a group or a role name is refused on its field, by the API and by the import
//! (on its row and column), with a message that names the field and the character's code point
//! in French and English; the joiners Persian or Hindi need inside words stay accepted.

use crate::harness::{Db, Server};
use crate::on_every_database;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sesame_app::import::{self, Options, files};
use sesame_core::{Language, Profile};
use sesame_sheet::Limits;

async fn hidden_characters_are_refused_on_their_field(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Amap).await;
    let spoof = |lang: &'static str| {
        let s = &s;
        let admin = admin.clone();
        async move {
            s.call_lang(
                Method::POST,
                "/api/v1/users",
                Some(&admin),
                Some(json!({"email": "x@example.org", "first_name": "Zoé", "last_name": "Dupont\u{202E}tnop", "roles": []})),
                Some(lang),
            )
            .await
        }
    };
    let fr = spoof("fr")
        .await
        .problem(422, "last_name", "text.hidden_char");
    let en = spoof("en")
        .await
        .problem(422, "last_name", "text.hidden_char");
    assert!(fr.starts_with("Nom") && fr.contains("U+202E"), "{fr}");
    assert!(en.starts_with("Last name") && en.contains("U+202E"), "{en}");
    assert!(!fr.contains('\u{202E}') && !en.contains('\u{202E}'));

    for (path, body, field) in [
        (
            "/api/v1/users",
            json!({"login": "ad\u{200B}min", "email": "y@example.org", "roles": []}),
            "login",
        ),
        ("/api/v1/groups", json!({"name": "Bureau\u{2066}"}), "name"),
        (
            "/api/v1/roles",
            json!({"name": "Admin\u{FEFF}istrateur", "permissions": ["users.view"]}),
            "name",
        ),
    ] {
        let a = s.post(path, &admin, body).await;
        a.problem(422, field, "text.hidden_char");
    }
    // A joiner between Latin letters only hides; inside a Persian word it is needed.
    s.post(
        "/api/v1/users",
        &admin,
        json!({"email": "z@example.org", "first_name": "Ad\u{200C}min", "last_name": "X", "roles": []}),
    )
    .await
    .problem(422, "first_name", "text.stray_joiner");
    let persian = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "maryam@example.org", "first_name": "مریم", "last_name": "می\u{200C}خواه", "roles": []}),
        )
        .await;
    assert_eq!(persian.status, StatusCode::CREATED, "{}", persian.body);
    assert_eq!(persian.body["last_name"], "می\u{200C}خواه");

    // The import names the row and the column.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("membres.csv");
    std::fs::write(
        &path,
        "Courriel;Prénom;Nom\nlea@example.org;Léa;Martin\nzoe@example.org;Zoé;Dupont\u{202E}tnop\n",
    )
    .expect("write");
    let who = s.app.operator(s.app.org(None).await.expect("org"));
    let sheet = sesame_sheet::open(&path, &files::SHEET_NAMES, &Limits::default());
    let opts = Options {
        dry_run: true,
        language: Some(Language::Fr),
        ..Options::default()
    };
    let r = import::import(&s.app, &who, sheet, &opts, &|_| {})
        .await
        .expect("import");
    assert_eq!(r.summary.invalid, 1, "{:#?}", r.summary);
    let e = &r.summary.errors[0];
    assert_eq!(
        (e.row, e.column.as_str(), e.code.as_str()),
        (3, "Nom", "text.hidden_char"),
        "{e:#?}"
    );
    assert!(
        e.message.contains("U+202E") && e.message.starts_with("Nom"),
        "{}",
        e.message
    );
    s.stop().await;
}

on_every_database!(
    names_that_reorder_or_hide_text_are_refused,
    hidden_characters_are_refused_on_their_field
);
