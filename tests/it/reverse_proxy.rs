//! Sign-in behind a reverse proxy and under password spraying (issue 19, points 2 and 9):
//! the client's address comes from the forwarding headers of trusted proxies only; a browser
//! that signed in before keeps getting in with its device cookie while others spray wrong
//! passwords at the same person or from the same address; the hashing pool answers 503 with
//! `Retry-After` when full. The same behind a real nginx: [`crate::nginx`].

use crate::harness::{Db, Server, USER_PASSWORD};
use crate::on_every_database;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::{Value, json};
use sesame_app::auth::throttle::{Limits, Policy};
use sesame_core::Profile;
use sesame_server::client_addr::TrustedProxies;

/// The value of cookie `name` among an answer's `Set-Cookie` headers.
pub fn set_cookie(headers: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    headers.get_all(SET_COOKIE).iter().find_map(|v| {
        let v = v.to_str().ok()?;
        let (pair, _) = v.split_once(';').unwrap_or((v, ""));
        let (k, value) = pair.split_once('=')?;
        (k.trim() == name && !value.is_empty()).then(|| value.to_string())
    })
}

/// `POST /api/v1/auth/login` with `cookie` (a device cookie) and `forwarded_for`, if given.
async fn sign_in_as(
    s: &Server,
    login: &str,
    password: &str,
    device: Option<&str>,
    forwarded_for: Option<&str>,
) -> (u16, Value, reqwest::header::HeaderMap) {
    let mut req = s
        .http
        .post(format!("{}/api/v1/auth/login", s.base))
        .json(&json!({"login": login, "password": password}));
    if let Some(d) = device {
        req = req.header(COOKIE, format!("sesame_device={d}"));
    }
    if let Some(f) = forwarded_for {
        req = req.header("X-Forwarded-For", f);
    }
    let r = req.send().await.expect("sign-in");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = r.json().await.unwrap_or(Value::Null);
    (status, body, headers)
}

fn strict_policy() -> Policy {
    Policy {
        address: Limits {
            free: 8,
            first_delay_secs: 60,
            max_delay_secs: 600,
        },
        ..Policy::default()
    }
}

async fn a_known_browser_gets_in_while_others_spray(db: &Db) {
    let s = Server::start_with(db, |app| app.throttle = strict_policy()).await;
    let admin = s.init(Profile::Generic).await;
    let _ = s
        .user_with_roles(&admin, "zoe", json!([{"role": "Membre"}]))
        .await;
    let _ = s
        .user_with_roles(&admin, "colleague", json!([{"role": "Membre"}]))
        .await;

    // Zoé signs in from her browser: it gets a device cookie (HttpOnly, SameSite=Strict).
    let (status, _, headers) = sign_in_as(&s, "zoe", USER_PASSWORD, None, None).await;
    assert_eq!(status, 200);
    let raw = headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sesame_device="))
        .expect("a device cookie")
        .to_string();
    assert!(
        raw.contains("HttpOnly") && raw.contains("SameSite=Strict"),
        "{raw}"
    );
    let zoe_device = set_cookie(&headers, "sesame_device").expect("device cookie");
    let (_, _, headers) = sign_in_as(&s, "colleague", USER_PASSWORD, None, None).await;
    let colleague_device = set_cookie(&headers, "sesame_device").expect("device cookie");

    // Someone sprays wrong passwords at her account: it waits, even with the right password…
    for _ in 0..5 {
        let (status, _, _) = sign_in_as(&s, "zoe", "au hasard", None, None).await;
        assert_eq!(status, 401);
    }
    let (status, body, _) = sign_in_as(&s, "zoe", USER_PASSWORD, None, None).await;
    assert_eq!(status, 429, "{body}");
    // … but not from her browser, which gets a new device cookie.
    let (status, body, headers) =
        sign_in_as(&s, "zoe", USER_PASSWORD, Some(&zoe_device), None).await;
    assert_eq!(status, 200, "{body}");
    let renewed = set_cookie(&headers, "sesame_device").expect("a new device cookie");
    assert_ne!(renewed, zoe_device);
    // Someone else's cookie, an altered one, or one of another server exempts nothing.
    let (status, _, _) = sign_in_as(&s, "zoe", USER_PASSWORD, Some(&colleague_device), None).await;
    assert_eq!(status, 429);
    let mut altered = zoe_device.clone();
    altered.replace_range(3..4, if &altered[3..4] == "0" { "1" } else { "0" });
    let (status, _, _) = sign_in_as(&s, "zoe", USER_PASSWORD, Some(&altered), None).await;
    assert_eq!(status, 429);
    for junk in ["", "x", "v1.a.b.c.d.e", &"v1.".repeat(200)] {
        let (status, body, _) = sign_in_as(&s, "zoe", USER_PASSWORD, Some(junk), None).await;
        assert_eq!(status, 429, "{junk}: {body}");
    }

    // The spray goes on from this address to many accounts: the address waits…
    for i in 0..8 {
        let (status, _, _) = sign_in_as(&s, &format!("someone{i}"), "au hasard", None, None).await;
        assert!(status == 401 || status == 429, "{status}");
    }
    let (status, _, _) = sign_in_as(&s, "colleague", USER_PASSWORD, None, None).await;
    assert_eq!(status, 429, "the address is blocked");
    // … not the browsers that signed in before, each for its own person.
    let (status, body, _) = sign_in_as(
        &s,
        "colleague",
        USER_PASSWORD,
        Some(&colleague_device),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body, _) = sign_in_as(&s, "zoe", USER_PASSWORD, Some(&renewed), None).await;
    assert_eq!(status, 200, "{body}");

    // A wrong password with the cookie still counts: after five, that browser waits too.
    for _ in 0..5 {
        let (status, _, _) = sign_in_as(&s, "zoe", "au hasard", Some(&renewed), None).await;
        assert_eq!(status, 401);
    }
    let (status, body, headers) = sign_in_as(&s, "zoe", USER_PASSWORD, Some(&renewed), None).await;
    assert_eq!(status, 429, "{body}");
    assert!(headers.get("retry-after").is_some());

    // A second instance on the same database accepts the cookies the first signed.
    let other = Server::start_with(db, |app| app.throttle = strict_policy()).await;
    let (status, body, _) = sign_in_as(
        &other,
        "colleague",
        USER_PASSWORD,
        Some(&colleague_device),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    other.stop().await;

    // The key the cookies are signed with is in the database, and nowhere in the audit log.
    let mut conn = s.app.store.read().await.expect("conn");
    let (key,): (String,) =
        sqlx::query_as("SELECT secret FROM server_keys WHERE name = 'device_cookie'")
            .fetch_one(&mut *conn)
            .await
            .expect("key");
    drop(conn);
    let audit = s.get("/api/v1/audit?limit=500", &admin).await;
    assert!(!audit.body.to_string().contains(&key));
    s.stop().await;
}
on_every_database!(
    a_known_browser_gets_in_while_others_spray_wrong_passwords,
    a_known_browser_gets_in_while_others_spray
);

/// The web pages' sign-in sets the same cookie and honours it.
async fn the_sign_in_page_sets_and_honours_the_device_cookie(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Generic).await;
    let _ = s
        .user_with_roles(&admin, "zoe", json!([{"role": "Membre"}]))
        .await;
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let post = |device: Option<String>, password: &'static str| {
        let mut cookies = "sesame_csrf=t0k3n".to_string();
        if let Some(d) = device {
            cookies.push_str(&format!("; sesame_device={d}"));
        }
        browser
            .post(format!("{}/sign-in", s.base))
            .header(COOKIE, cookies)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(
                serde_urlencoded::to_string([
                    ("csrf", "t0k3n"),
                    ("login", "zoe"),
                    ("password", password),
                    ("next", "/"),
                ])
                .expect("form"),
            )
            .send()
    };
    let r = post(None, USER_PASSWORD).await.expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let device = set_cookie(r.headers(), "sesame_device").expect("device cookie");
    for _ in 0..5 {
        let r = post(None, "au hasard").await.expect("post");
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = post(None, USER_PASSWORD).await.expect("post");
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let r = post(Some(device), USER_PASSWORD).await.expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(set_cookie(r.headers(), "sesame_device").is_some());
    s.stop().await;
}
on_every_database!(
    the_sign_in_page_sets_and_honours_the_device_cookie_too,
    the_sign_in_page_sets_and_honours_the_device_cookie
);

async fn the_client_address_comes_from_trusted_proxies_only(db: &Db) {
    let options = sesame_server::Options {
        trusted_proxies: TrustedProxies::parse("127.0.0.1").expect("proxies"),
        ..Default::default()
    };
    let s = Server::start_with_options(db, |app| app.throttle = strict_policy(), options).await;
    let admin = s.init(Profile::Generic).await;
    let _ = s
        .user_with_roles(&admin, "zoe", json!([{"role": "Membre"}]))
        .await;

    // Through the proxy (127.0.0.1): the right-most address it did not write itself.
    let (status, body, _) = sign_in_as(
        &s,
        "zoe",
        USER_PASSWORD,
        None,
        Some("6.6.6.6, 198.51.100.7"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let token = body["token"].as_str().expect("token").to_string();
    let sessions = s.get("/api/v1/account/sessions", &token).await;
    let mine = sessions.body["items"]
        .as_array()
        .or_else(|| sessions.body.as_array())
        .expect("sessions")
        .iter()
        .find(|x| x["current"] == true)
        .cloned()
        .unwrap_or_else(|| panic!("current session in {}", sessions.body));
    assert_eq!(mine["created_from"], "198.51.100.7", "{mine}");
    let audit = s
        .get("/api/v1/audit?action=auth.sign_in&limit=50", &admin)
        .await;
    let items = audit.body["items"].as_array().expect("items");
    assert!(
        items
            .iter()
            .any(|e| e["target"] == "zoe" && e["source"] == "198.51.100.7"),
        "{}",
        audit.body
    );

    // Each client behind the proxy has its own address counter: one sprays until blocked…
    for i in 0..8 {
        let (status, _, _) = sign_in_as(
            &s,
            &format!("someone{i}"),
            "au hasard",
            None,
            Some("203.0.113.66"),
        )
        .await;
        assert_eq!(status, 401);
    }
    let (status, _, _) = sign_in_as(&s, "zoe", USER_PASSWORD, None, Some("203.0.113.66")).await;
    assert_eq!(status, 429);
    // … the others, and the proxy's own address, are not.
    let (status, body, _) = sign_in_as(&s, "zoe", USER_PASSWORD, None, Some("198.51.100.7")).await;
    assert_eq!(status, 200, "{body}");
    let (status, body, _) = sign_in_as(&s, "zoe", USER_PASSWORD, None, None).await;
    assert_eq!(status, 200, "{body}");

    // From a peer that is not a trusted proxy, the headers are not believed: 127.0.0.2
    // claiming to be 198.51.100.7 is 127.0.0.2.
    let direct = reqwest::Client::builder()
        .local_address("127.0.0.2".parse::<std::net::IpAddr>().expect("ip"))
        .build()
        .expect("client");
    let r = direct
        .post(format!("{}/api/v1/auth/login", s.base))
        .header("X-Forwarded-For", "198.51.100.7")
        .header("Forwarded", "for=198.51.100.7")
        .json(&json!({"login": "zoe", "password": USER_PASSWORD}))
        .send()
        .await
        .expect("sign-in");
    assert_eq!(r.status(), StatusCode::OK);
    let token: Value = r.json().await.expect("json");
    let sessions = s
        .get(
            "/api/v1/account/sessions",
            token["token"].as_str().expect("token"),
        )
        .await;
    assert!(
        sessions.body.to_string().contains("\"127.0.0.2\""),
        "{}",
        sessions.body
    );
    s.stop().await;

    // Without --trusted-proxies, nobody's headers are believed.
    let s = Server::start(db).await;
    let (status, body, _) = sign_in_as(&s, "zoe", USER_PASSWORD, None, Some("198.51.100.9")).await;
    assert_eq!(status, 200, "{body}");
    let token = body["token"].as_str().expect("token").to_string();
    let sessions = s.get("/api/v1/account/sessions", &token).await;
    assert!(
        !sessions.body.to_string().contains("198.51.100.9"),
        "{}",
        sessions.body
    );
    s.stop().await;
}
on_every_database!(
    the_client_address_comes_from_trusted_proxies_only_and_is_what_is_counted_and_shown,
    the_client_address_comes_from_trusted_proxies_only
);

/// When more sign-ins arrive than the hashing pool takes, the rest are answered 503 with
/// `Retry-After` at once, in the organisation's language; and the places kept for browsers
/// with a device cookie let them in.
async fn a_full_hashing_pool_answers_503(db: &Db) {
    let s = Server::start(db).await;
    let admin = s.init(Profile::Generic).await;
    let _ = s
        .user_with_roles(&admin, "zoe", json!([{"role": "Membre"}]))
        .await;
    let (_, _, headers) = sign_in_as(&s, "zoe", USER_PASSWORD, None, None).await;
    let device = set_cookie(&headers, "sesame_device").expect("device cookie");
    // One worker, one waiting place (kept for known devices): a burst finds it full.
    let s2 = Server::start_with(db, |app| {
        app.hasher = sesame_app::password::Hasher::new(1, 1);
    })
    .await;
    let mut burst = tokio::task::JoinSet::new();
    for i in 0..12 {
        let (http, url) = (s2.http.clone(), format!("{}/api/v1/auth/login", s2.base));
        burst.spawn(async move {
            let r = http
                .post(url)
                .json(&json!({"login": format!("intrus{i}"), "password": "au hasard"}))
                .send()
                .await
                .expect("sign-in");
            let status = r.status().as_u16();
            let headers = r.headers().clone();
            (
                status,
                r.json::<Value>().await.unwrap_or(Value::Null),
                headers,
            )
        });
    }
    let answers = burst.join_all().await;
    let busy: Vec<_> = answers.iter().filter(|(st, _, _)| *st == 503).collect();
    assert!(!busy.is_empty(), "some 503 in a burst of 12 for one place");
    let (_, body, headers) = busy[0];
    assert_eq!(body["type"], "urn:sesame:problem:busy", "{body}");
    assert_eq!(
        headers.get("retry-after").and_then(|v| v.to_str().ok()),
        Some("1")
    );
    let message = body["errors"][0]["message"].as_str().expect("message");
    assert!(
        message.contains("réessayez"),
        "in the organisation's language: {message}"
    );
    assert!(answers.iter().all(|(st, _, _)| [401, 503].contains(st)));
    // The known browser is let in whatever the strangers do (its place is kept).
    let (status, body, _) = sign_in_as(&s2, "zoe", USER_PASSWORD, Some(&device), None).await;
    assert_eq!(status, 200, "{body}");
    s2.stop().await;
    s.stop().await;
}
on_every_database!(
    a_full_hashing_pool_answers_503_with_retry_after,
    a_full_hashing_pool_answers_503
);
