//! Every route of the server, tried by someone who should get nowhere: nobody (no cookie, no
//! token), then Rémi, an active member of the organisation who holds no role at all (a bearer
//! token for the API; a browser session with a valid CSRF token for the pages, so that a
//! refusal is the policy's, not the CSRF check's).
//!
//! - An API route answers nobody 401 and Rémi 403, as `application/problem+json`.
//! - A page answers nobody with a redirect (303) to the sign-in page, which comes back to it
//!   (`/sign-in?next=…`), for a form sent (POST) as for a page read (GET); and Rémi with 403.
//! - Nothing changes: every table is read before and after each call (see [`Tables`]).
//! - A few routes are open to anyone ([`Rule::Public`]), to anyone signed in because what they
//!   read is no secret inside the organisation ([`Rule::Signed`]), or to anyone signed in for
//!   their own things ([`Rule::Own`]), each with why; what they change is the caller's own rows
//!   only.
//! - Paths carry real ids (a user, a group, a role, an import, an e-mail of the outbox, made by
//!   the administrator first) and bodies are valid, so that neither a 404 nor a 422 can hide a
//!   missing check; where another refusal than 403 is the right answer ([`Rule::Refused`]: a 404 for
//!   what is not his), the case says why.
//!
//! The list cannot drift: the cases must cover exactly the routes served — every path and
//! method of the OpenAPI document the server serves, and [`sesame_server::unlisted_routes`] for
//! the rest (read from the tables the router is built from; each page action is a route of its
//! own).

use crate::harness::{Db, Server, USER_PASSWORD};
use crate::on_every_database;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sesame_core::Profile;

mod cases;
mod listing;
mod tables;

use cases::{Body, CSV, Case, Ids, Rule, case};
use tables::{THROTTLE, Tables, changes};

/// Any value of 32 characters or more is a CSRF token, as long as the form carries the same.
const CSRF: &str = "csrf-token-of-the-route-test-0123456789";

/// Someone's way in: a bearer token for the API, a session cookie for the pages.
struct Caller {
    token: Option<String>,
    cookie: Option<String>,
}

/// An answer, read whole.
struct Got {
    status: StatusCode,
    content_type: String,
    location: String,
    body: String,
}

async fn call(s: &Server, http: &reqwest::Client, who: &Caller, c: &Case) -> Got {
    let mut req = http.request(c.method.clone(), format!("{}{}", s.base, c.path));
    let mut cookies = Vec::new();
    if c.is_api() {
        if let Some(t) = &who.token {
            req = req.bearer_auth(t);
        }
    } else {
        // Nobody carries a valid CSRF token too: a refusal must be the policy's.
        cookies.push(format!("sesame_csrf={CSRF}"));
        if let Some(k) = &who.cookie {
            cookies.push(k.clone());
        }
    }
    if !cookies.is_empty() {
        req = req.header("Cookie", cookies.join("; "));
    }
    req = match &c.body {
        Body::None => req,
        Body::Json(v) => req.json(v),
        Body::Form(fields) => {
            let mut all = vec![("csrf", CSRF.to_string())];
            all.extend(fields.iter().cloned());
            req.header("Content-Type", "application/x-www-form-urlencoded")
                .body(serde_urlencoded::to_string(&all).expect("form"))
        }
        Body::File => {
            let mut f = reqwest::multipart::Form::new();
            if !c.is_api() {
                f = f.text("csrf", CSRF);
            }
            f = f.part(
                "file",
                reqwest::multipart::Part::bytes(CSV.as_bytes().to_vec()).file_name("membres.csv"),
            );
            if c.is_api() {
                f = f.text("dry_run", "false");
            }
            req.multipart(f)
        }
    };
    let r = req.send().await.expect("request");
    let header = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (content_type, location) = (header("content-type"), header("location"));
    Got {
        status: r.status(),
        content_type,
        location,
        body: r.text().await.unwrap_or_default(),
    }
}

/// What is wrong with an answer, if anything, against the rule of its route.
fn wrong_answer(c: &Case, by_nobody: bool, got: &Got) -> Option<String> {
    let short: String = got.body.chars().take(300).collect();
    let what = format!(
        "{} {} by {}: {} {} {short}",
        c.method,
        c.path,
        if by_nobody { "nobody" } else { "Rémi" },
        got.status,
        got.location
    );
    let problem_json = got.content_type == "application/problem+json";
    let ok = match (c.rule, by_nobody) {
        (Rule::Public(_), _) => got.status.as_u16() < 500,
        // Nobody at the API: 401. At a page that needs someone: the sign-in page, which comes
        // back here.
        (_, true) if c.is_api() => got.status == StatusCode::UNAUTHORIZED && problem_json,
        (_, true) => {
            got.status == StatusCode::SEE_OTHER && got.location.starts_with("/sign-in?next=")
        }
        (Rule::Right, false) => {
            got.status == StatusCode::FORBIDDEN && (problem_json || !c.is_api())
        }
        (Rule::Refused(status, _), false) => got.status == status && (problem_json || !c.is_api()),
        (Rule::Own(_) | Rule::Signed(_), false) if c.method == Method::GET => {
            got.status == StatusCode::OK
        }
        (Rule::Own(_) | Rule::Signed(_), false) => {
            got.status.as_u16() < 500 && got.status != StatusCode::FORBIDDEN
        }
    };
    let leaked: Vec<&str> = OTHERS
        .iter()
        .copied()
        .filter(|e| got.body.contains(e))
        .collect();
    if !leaked.is_empty() {
        return Some(format!("{what}: shows {leaked:?}"));
    }
    (!ok).then_some(what)
}

/// The addresses of the other people: no answer to nobody or Rémi shows them.
const OTHERS: &[&str] = &[
    "admin@example.org",
    "cible@example.org",
    "endormi@example.org",
    "invitee@example.org",
];

/// What a call may not have changed, if it did: nothing at all, but the caller's own rows
/// where the rule allows, and the brute-force counters on public routes.
fn wrong_changes(c: &Case, by_nobody: bool, remi: &str, changed: Vec<String>) -> Option<String> {
    let wrong: Vec<String> = changed
        .into_iter()
        .filter(|r| !(matches!(c.rule, Rule::Public(_)) && r.starts_with(THROTTLE)))
        .filter(|r| {
            by_nobody || !matches!(c.rule, Rule::Public(_) | Rule::Own(_)) || !r.contains(remi)
        })
        .collect();
    (!wrong.is_empty()).then(|| {
        format!(
            "{} {} by {} changed: {wrong:#?}",
            c.method,
            c.path,
            if by_nobody { "nobody" } else { "Rémi" }
        )
    })
}

struct Setup {
    ids: Ids,
    remi: Caller,
    admin: String,
}

/// Signs Rémi in twice, as a script and as a browser, and returns the browser session's id.
async fn sign_remi_in(s: &Server) -> (Caller, String) {
    let token = s.login("remi", USER_PASSWORD).await;
    let browser = s.sign_in("remi", USER_PASSWORD, None).await;
    assert_eq!(browser.status, StatusCode::OK, "{}", browser.body);
    let cookie = browser
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string();
    let sessions = s.get("/api/v1/account/sessions", &token).await;
    let browser_session = sessions
        .body
        .as_array()
        .expect("sessions")
        .iter()
        .find(|x| x["current"] != true)
        .and_then(|x| x["id"].as_str())
        .expect("the browser's session")
        .to_string();
    (
        Caller {
            token: Some(token),
            cookie: Some(cookie),
        },
        browser_session,
    )
}

/// The administrator sets up what the paths name.
async fn set_up(s: &Server) -> Setup {
    let admin = s.init(Profile::Amap).await;
    let made = s
        .post(
            "/api/v1/groups",
            &admin,
            json!({"name": "Lieu de distribution"}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let group = made.body["id"].as_str().expect("id").to_string();
    let made = s
        .post(
            "/api/v1/roles",
            &admin,
            json!({"name": "Bénévole", "permissions": ["users.view"]}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let role = made.body["id"].as_str().expect("id").to_string();
    let roles = s.get("/api/v1/roles", &admin).await;
    let role_id = |name: &str| {
        roles
            .body
            .as_array()
            .expect("roles")
            .iter()
            .find(|r| r["name"] == name)
            .and_then(|r| r["id"].as_str())
            .unwrap_or_else(|| panic!("the role {name}"))
            .to_string()
    };
    let (admin_role, member_role) = (role_id("Administrateur"), role_id("Amapien"));
    let registered = s
        .post(
            "/api/v1/notifications/alerts",
            &admin,
            json!({"key": "panier", "label_fr": "Panier prêt", "label_en": "Basket ready", "group_filter": true}),
        )
        .await;
    assert!(registered.status.is_success(), "{}", registered.body);

    let (target, _) = s
        .user_with_roles(
            &admin,
            "cible",
            json!([{"role": "Amapien"}, {"role": "Bénévole", "group": "Lieu de distribution"}]),
        )
        .await;
    let joined = s
        .call(
            Method::PUT,
            &format!("/api/v1/groups/{group}/members/{target}"),
            Some(&admin),
            None,
        )
        .await;
    assert!(joined.status.is_success(), "{}", joined.body);
    let (disabled, _) = s.user_with_roles(&admin, "endormi", json!([])).await;
    let off = s
        .post(
            &format!("/api/v1/users/{disabled}/disable"),
            &admin,
            json!({}),
        )
        .await;
    assert!(off.status.is_success(), "{}", off.body);
    let (remi, _) = s.user_with_roles(&admin, "remi", json!([])).await;

    // An invitation in the outbox.
    let invited = s
        .post(
            "/api/v1/users",
            &admin,
            json!({"login": "invitee", "email": "invitee@example.org", "first_name": "Ina", "last_name": "Vitée", "roles": [], "send_invitation": true}),
        )
        .await;
    assert_eq!(invited.status, StatusCode::CREATED, "{}", invited.body);
    let outbox = s.get("/api/v1/outbox", &admin).await;
    let outbox = outbox.body["items"]
        .as_array()
        .or(outbox.body.as_array())
        .and_then(|l| l.first())
        .and_then(|m| m["id"].as_str())
        .unwrap_or_else(|| panic!("an e-mail in the outbox: {}", outbox.body))
        .to_string();

    // A dry run, done.
    let up = s
        .http
        .post(format!("{}/api/v1/imports", s.base))
        .bearer_auth(&admin)
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(CSV.as_bytes().to_vec()).file_name("membres.csv"),
        ))
        .send()
        .await
        .expect("upload");
    assert_eq!(up.status(), StatusCode::OK);
    let job: Value = up.json().await.expect("job");
    assert_eq!(job["state"], "done", "{job}");
    let import = job["id"].as_str().expect("id").to_string();

    let token = s
        .post(
            "/api/v1/account/tokens",
            &admin,
            json!({"name": "site web"}),
        )
        .await;
    assert_eq!(token.status, StatusCode::CREATED, "{}", token.body);
    let admin_token = token.body["id"].as_str().expect("id").to_string();
    let sessions = s.get("/api/v1/account/sessions", &admin).await;
    let admin_session = sessions.body[0]["id"].as_str().expect("id").to_string();

    let app = s
        .post(
            "/api/v1/apps",
            &admin,
            json!({"name": "Nextcloud", "redirect_uris": ["https://cloud.example.org/cb"], "launch_url": "https://cloud.example.org/"}),
        )
        .await;
    let app = app.body["client_id"]
        .as_str()
        .expect("client_id")
        .to_string();
    let (remi_caller, remi_browser_session) = sign_remi_in(s).await;
    Setup {
        ids: Ids {
            target,
            disabled,
            remi,
            group,
            app,
            role,
            admin_role,
            member_role,
            import,
            outbox,
            admin_token,
            admin_session,
            remi_browser_session,
        },
        remi: remi_caller,
        admin,
    }
}

async fn nobody_and_a_person_without_rights_get_nowhere(db: &Db) {
    let s = Server::start(db).await;
    let Setup {
        ids,
        mut remi,
        admin,
    } = set_up(&s).await;
    let openapi = s
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(openapi.status, StatusCode::OK);
    let cases = cases::cases(&ids);
    listing::assert_no_route_outside_the_tables();
    listing::assert_every_route_covered(&openapi.body, &cases);

    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let nobody = Caller {
        token: None,
        cookie: None,
    };
    let tables = Tables::of(&s).await;
    let mut wrong = Vec::new();
    for c in &cases {
        for by_nobody in [true, false] {
            let before = tables.read(&s).await;
            let got = call(&s, &http, if by_nobody { &nobody } else { &remi }, c).await;
            let after = tables.read(&s).await;
            wrong.extend(wrong_answer(c, by_nobody, &got));
            wrong.extend(wrong_changes(
                c,
                by_nobody,
                &ids.remi,
                changes(&before, &after),
            ));
        }
        // What ended his sessions: he signs in again.
        let api = s
            .get("/api/v1/me", remi.token.as_deref().unwrap_or(""))
            .await;
        let page = call(
            &s,
            &http,
            &remi,
            &case(Method::GET, "/account", "/account", Body::None),
        )
        .await;
        if api.status != StatusCode::OK || page.status != StatusCode::OK {
            remi = sign_remi_in(&s).await.0;
        }
    }
    assert!(wrong.is_empty(), "{} wrong: {wrong:#?}", wrong.len());

    // The administrator still sees the target as she was.
    let target = s
        .get(&format!("/api/v1/users/{}", ids.target), &admin)
        .await;
    assert_eq!(target.status, StatusCode::OK);
    assert_eq!(target.body["login"], "cible");
    s.stop().await;
}

on_every_database!(
    every_route_refuses_nobody_and_the_rightless,
    nobody_and_a_person_without_rights_get_nowhere
);
