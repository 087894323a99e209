//! On a server that several organisations share, nobody anonymous learns which exist: the
//! sign-in and forgotten-password pages ask for the organisation's identifier (a text field,
//! never a list), and an identifier that names none is answered exactly as a wrong password or
//! an unknown address is — by the pages and by the API alike.

use crate::harness::{ADMIN_PASSWORD, Db, Server};
use crate::on_every_database;
use crate::web_pages::CSRF;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sesame_core::Profile;

const SLUGS: [&str; 2] = ["amap-des-lilas", "lucioles"];

fn lists_no_organisation(what: &str, text: &str) {
    for slug in SLUGS {
        assert!(!text.contains(slug), "{what} names {slug}: {text}");
    }
    assert!(
        !text.contains("Lucioles") && !text.contains("Lilas"),
        "{what}: {text}"
    );
}

/// A page as an anonymous browser reads it, and a form as it sends it.
struct Visitor {
    http: reqwest::Client,
    base: String,
}

impl Visitor {
    async fn get(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header("Cookie", format!("sesame_csrf={CSRF}"))
            .header("Accept-Language", "fr")
            .send()
            .await
            .expect("get");
        (r.status(), r.text().await.unwrap_or_default())
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String, String) {
        let mut form = vec![("csrf", CSRF)];
        form.extend_from_slice(fields);
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Cookie", format!("sesame_csrf={CSRF}"))
            .header("Accept-Language", "fr")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(&form).expect("form"))
            .send()
            .await
            .expect("post");
        let to = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (r.status(), to, r.text().await.unwrap_or_default())
    }
}

/// The refusal shown by a sign-in page, without what the visitor typed back into the form.
fn refusal(html: &str) -> String {
    html.split("<form").next().unwrap_or_default().to_string()
}

async fn anonymous_visitors_are_told_no_organisation(db: &Db) {
    let s = Server::start(db).await;
    let _ = s.init(Profile::Amap).await;
    s.add_lucioles().await;
    let v = Visitor {
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        base: s.base.clone(),
    };

    // The sign-in page asks for the identifier, and lists none.
    let (status, page) = v.get("/sign-in").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"name="org""#), "{page}");
    lists_no_organisation("the sign-in page", &page);
    let (_, page) = v.get("/sign-in?org=lucioles").await;
    assert!(
        page.contains(r#"value="lucioles""#),
        "the link's identifier is filled in"
    );

    // Without one: asked for it, by its field.
    let (status, _, page) = v
        .post(
            "/sign-in",
            &[("login", "admin"), ("password", ADMIN_PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Saisissez l&#x27;identifiant de votre organisation")
            || page.contains("identifiant de votre organisation"),
        "{page}"
    );
    lists_no_organisation("the refusal without an identifier", &page);

    // An unknown identifier and a wrong password: the same answer.
    let (unknown_status, _, unknown) = v
        .post(
            "/sign-in",
            &[
                ("org", "nulle-part"),
                ("login", "admin"),
                ("password", ADMIN_PASSWORD),
            ],
        )
        .await;
    let (wrong_status, _, wrong) = v
        .post(
            "/sign-in",
            &[
                ("org", "lucioles"),
                ("login", "admin"),
                ("password", "pas le bon"),
            ],
        )
        .await;
    assert_eq!(unknown_status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_status, wrong_status);
    assert_eq!(refusal(&unknown), refusal(&wrong));
    assert!(
        unknown.contains("Identifiant ou mot de passe incorrect") || unknown.contains("incorrect"),
        "{unknown}"
    );
    // The right one signs in.
    let (status, to, _) = v
        .post(
            "/sign-in",
            &[
                ("org", " Lucioles "),
                ("login", "admin"),
                ("password", ADMIN_PASSWORD),
            ],
        )
        .await;
    assert_eq!((status, to.as_str()), (StatusCode::SEE_OTHER, "/"));

    // The API: asked for `?org=`, never told the list; unknown is a wrong password.
    let login = |query: &'static str, password: &'static str| {
        let s = &s;
        async move {
            s.call(
                Method::POST,
                &format!("/api/v1/auth/login{query}"),
                None,
                Some(json!({"login": "admin", "password": password})),
            )
            .await
        }
    };
    let a = login("", ADMIN_PASSWORD).await;
    a.problem(422, "org", "org.required");
    lists_no_organisation("the API's refusal", &a.body.to_string());
    let unknown = login("?org=nulle-part", ADMIN_PASSWORD).await;
    let wrong = login("?org=lucioles", "pas le bon").await;
    unknown.problem(401, "", "auth.failed");
    assert_eq!(unknown.body, wrong.body);
    assert_eq!(
        unknown.headers.get("content-language"),
        wrong.headers.get("content-language")
    );
    assert_eq!(
        login("?org=lucioles", ADMIN_PASSWORD).await.status,
        StatusCode::OK
    );

    // Forgotten password: the same answer for an organisation that does not exist.
    let reset = |query: &'static str| {
        let s = &s;
        async move {
            s.call(
                Method::POST,
                &format!("/api/v1/account/password-reset{query}"),
                None,
                Some(json!({"email": "personne@example.org"})),
            )
            .await
        }
    };
    let unknown = reset("?org=nulle-part").await;
    let known = reset("?org=lucioles").await;
    assert_eq!(unknown.status, StatusCode::ACCEPTED, "{}", unknown.body);
    assert_eq!((unknown.status, &unknown.body), (known.status, &known.body));
    let none = reset("").await;
    none.problem(422, "org", "org.required");
    lists_no_organisation("the reset's refusal", &none.body.to_string());

    let (status, page) = v.get("/password-reset").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"name="org""#), "{page}");
    lists_no_organisation("the forgotten-password page", &page);
    let (s1, _, unknown) = v
        .post(
            "/password-reset",
            &[("org", "nulle-part"), ("email", "personne@example.org")],
        )
        .await;
    let (s2, _, known) = v
        .post(
            "/password-reset",
            &[("org", "lucioles"), ("email", "personne@example.org")],
        )
        .await;
    assert_eq!((s1, &unknown), (s2, &known));
    let (status, _, page) = v
        .post("/password-reset", &[("email", "personne@example.org")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    lists_no_organisation("the forgotten-password refusal", &page);
    s.stop().await;
}

on_every_database!(
    organisations_are_never_listed_to_anonymous_visitors,
    anonymous_visitors_are_told_no_organisation
);
