//! Forward authentication (issue 21): Debian's nginx protects a static page with
//! `auth_request`, configured as `docs/single-sign-on.md` says, and a browser (a cookie jar of
//! ours, following redirects one by one) goes through Sésame's sign-in to it. Lea, in the
//! application's group, gets the page with who she is in the `Remote-*` headers; Paul, who is
//! not, gets the page that says so, and Lea taken out of the group is out at her next request;
//! an address on an unregistered host is never followed; a code is spent once; after Lea signs
//! out of Sésame, the page asks her to sign in again.

use crate::bureau_wiki::{Browser, BureauWiki, seen};
use crate::harness::{Db, Server};
use crate::nginx::Nginx;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION};

/// The protected site, as the guide configures it: `/.sesame/` forwarded to Sésame, every
/// other request checked first, `Remote-*` passed on (and shown here in `X-Seen-*`, since a
/// static page cannot say what it received).
fn nginx_in_front(port: u16, sesame: &str, slug: &str, www: &std::path::Path) -> Nginx {
    let www = www.display();
    Nginx::run(
        port,
        &format!(
            r#"    server {{
        listen 127.0.0.1:{port};
        root {www};

        location = /.sesame-check {{
            internal;
            proxy_pass {sesame}/o/{slug}/forward-auth;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            # The sign-in address comes in Location, as Sésame wrote it.
            proxy_redirect off;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $http_host;
            proxy_set_header X-Forwarded-Uri $request_uri;
        }}

        location /.sesame/ {{
            proxy_pass {sesame}/o/{slug}/forward-auth/;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $http_host;
        }}

        location / {{
            auth_request /.sesame-check;
            auth_request_set $sesame_start $upstream_http_location;
            auth_request_set $sesame_user $upstream_http_remote_user;
            auth_request_set $sesame_email $upstream_http_remote_email;
            auth_request_set $sesame_name $upstream_http_remote_name;
            auth_request_set $sesame_groups $upstream_http_remote_groups;
            error_page 401 =302 $sesame_start;
            add_header X-Seen-User $sesame_user always;
            add_header X-Seen-Email $sesame_email always;
            add_header X-Seen-Name $sesame_name always;
            add_header X-Seen-Groups $sesame_groups always;
        }}
    }}
"#
        ),
    )
}

async fn proxies_ask_sesame(db: &Db) {
    let s = Server::start_public(db).await;
    let BureauWiki {
        admin,
        lea,
        bureau,
        slug,
        port,
        host,
    } = BureauWiki::register(&s).await;

    let www = tempfile::tempdir().expect("www");
    std::fs::write(www.path().join("index.html"), "<h1>Page du bureau</h1>\n").expect("page");
    let nginx = nginx_in_front(port, &s.base, &slug, www.path());
    let page = format!("{}/index.html?x=1&y=2", nginx.base);
    let start = format!("{}/o/{slug}/forward-auth/start?", s.base);

    // Lea, not signed in: to Sésame's sign-in, then back to the page with who she is.
    let mut lea_browser = Browser::new();
    let (got, visited) = lea_browser.open(&page).await;
    let sign_in = got.location.clone().unwrap_or_else(|| {
        panic!(
            "a redirect to the sign-in: {visited:#?} {} {}",
            got.status, got.body
        )
    });
    assert!(
        sign_in.starts_with(&format!("{}/sign-in?", s.base)),
        "{sign_in}"
    );
    let (got, visited) = lea_browser.sign_in(&sign_in, "lea").await;
    assert_eq!(got.status, StatusCode::OK, "{visited:#?}\n{}", got.body);
    assert!(got.body.contains("Page du bureau"), "{}", got.body);
    assert_eq!(
        visited.last(),
        Some(&page),
        "back to the page asked, query and all"
    );
    assert!(
        visited.iter().any(|v| v.starts_with(&start)),
        "{visited:#?}"
    );
    assert_eq!(seen(&got, "x-seen-user"), "lea");
    assert_eq!(seen(&got, "x-seen-email"), "lea@example.org");
    assert_eq!(seen(&got, "x-seen-name"), "Test lea");
    assert_eq!(seen(&got, "x-seen-groups"), "Bureau");
    assert!(lea_browser.cookie(&page, "sesame_fa").is_some());
    assert!(
        lea_browser.cookie(&s.base, "sesame_fa").is_none(),
        "the host cookie is the application's host's"
    );

    // The callback set it host-only, HttpOnly, SameSite=Lax, not Secure on plain HTTP.
    let callback = visited
        .iter()
        .find(|v| v.contains("/.sesame/callback?"))
        .expect("the callback on the application's host")
        .clone();
    assert!(callback.starts_with(&format!("{}/.sesame/callback?", nginx.base)));
    let (_, set) = lea_browser
        .set_cookies
        .iter()
        .find(|(_, c)| c.starts_with("sesame_fa="))
        .expect("the host cookie");
    let attrs: Vec<String> = set
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_ascii_lowercase())
        .collect();
    for want in ["httponly", "samesite=lax", "path=/"] {
        assert!(attrs.iter().any(|a| a == want), "{want} in {set}");
    }
    assert!(
        !attrs
            .iter()
            .any(|a| a.starts_with("domain") || a == "secure"),
        "host-only, not Secure over plain HTTP: {set}"
    );
    // A code is spent once.
    let again = Browser::new().get(&callback).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "{}", again.body);
    assert!(again.location.is_none());
    assert!(
        again.body.contains("expired or was already used"),
        "{}",
        again.body
    );

    // The stored secrets are hashes.
    let fa = lea_browser.cookie(&page, "sesame_fa").expect("cookie");
    let mut conn = s.app.store.read().await.expect("conn");
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM forward_auth_sessions WHERE token_hash = $1")
            .bind(sesame_app::secret::hash(&fa))
            .fetch_one(&mut *conn)
            .await
            .expect("count");
    assert_eq!(stored, 1);
    let plain: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM forward_auth_sessions WHERE token_hash = $1")
            .bind(&fa)
            .fetch_one(&mut *conn)
            .await
            .expect("count");
    assert_eq!(plain, 0);
    drop(conn);

    // Signed in already, another page passes at once.
    let (got, visited) = lea_browser.open(&format!("{}/", nginx.base)).await;
    assert_eq!(got.status, StatusCode::OK, "{visited:#?}");
    assert_eq!(visited.len(), 1);

    // The check itself, as Caddy or Traefik ask it.
    let check = format!("{}/o/{slug}/forward-auth", s.base);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let ask = |host: &str, cookie: Option<&str>, query: &str| {
        let mut r = http
            .get(format!("{check}{query}"))
            .header("X-Forwarded-Proto", "https")
            .header("X-Forwarded-Host", host)
            .header("X-Forwarded-Uri", "/wiki/Accueil?action=edit");
        if let Some(c) = cookie {
            r = r.header(COOKIE, format!("sesame_fa={c}"));
        }
        r.send()
    };
    let r = ask(&host, Some(&fa), "").await.expect("check");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["remote-user"], "lea");
    assert_eq!(r.headers()["remote-groups"], "Bureau");
    let r = ask(&host, None, "?redirect=1").await.expect("check");
    assert_eq!(r.status(), StatusCode::FOUND);
    let to = r.headers()[LOCATION]
        .to_str()
        .expect("location")
        .to_string();
    assert_eq!(
        to,
        format!(
            "{start}rd={}",
            serde_urlencoded::to_string([("", format!("https://{host}/wiki/Accueil?action=edit"))])
                .expect("encode")
                .trim_start_matches('=')
        )
    );
    let r = ask(&host, None, "").await.expect("check");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // Lea's cookie opens her host only, and a host no application lists gets 403.
    let r = ask("127.0.0.1:9", Some(&fa), "").await.expect("check");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = ask("evil.example", None, "?redirect=1")
        .await
        .expect("check");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.headers().get(LOCATION).is_none());

    // An address on a host no application lists: an error page, never a redirect.
    for rd in [
        "https://evil.example/",
        "javascript:alert(1)",
        "//evil.example/",
        "",
    ] {
        let url = format!(
            "{start}{}",
            serde_urlencoded::to_string([("rd", rd)]).expect("encode")
        );
        let got = lea_browser.get(&url).await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{rd}: {}", got.body);
        assert!(got.location.is_none(), "{rd}");
    }
    let got = lea_browser
        .get(&format!(
            "{}/.sesame/callback?code=x&rd={}",
            nginx.base,
            serde_urlencoded::to_string([("", "https://evil.example/")])
                .expect("encode")
                .trim_start_matches('=')
        ))
        .await;
    assert_eq!(got.status, StatusCode::BAD_REQUEST);
    assert!(got.location.is_none());

    // Paul is not in the Bureau: the page that says so, and no way in.
    let mut paul_browser = Browser::new();
    let (got, _) = paul_browser.open(&page).await;
    let sign_in = got.location.clone().expect("a redirect to the sign-in");
    let (got, visited) = paul_browser.sign_in(&sign_in, "paul").await;
    assert_eq!(got.status, StatusCode::FORBIDDEN, "{visited:#?}");
    assert!(got.body.contains("id=\"no-access\""), "{}", got.body);
    assert!(got.body.contains("Wiki du bureau"), "{}", got.body);
    assert!(paul_browser.cookie(&page, "sesame_fa").is_none());

    // Lea signs out of Sésame: her host cookie ends with her session.
    let csrf = lea_browser
        .cookie(&s.base, "sesame_csrf")
        .expect("csrf cookie");
    let target = format!("{}/sign-out", s.base);
    let req = lea_browser.http.post(&target).form(&[("csrf", csrf)]);
    let out = lea_browser.send(req, &target).await;
    assert!(out.status.is_redirection(), "{}", out.body);
    let got = lea_browser.get(&page).await;
    assert_eq!(got.status, StatusCode::FOUND);
    assert!(
        got.location
            .as_deref()
            .is_some_and(|l| l.starts_with(&start)),
        "{:?}",
        got.location
    );
    let r = ask(&host, Some(&fa), "").await.expect("check");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Signed in again, then signed out of the wiki alone.
    let (got, _) = lea_browser.open(&page).await;
    let sign_in = got.location.clone().expect("a redirect to the sign-in");
    let (got, _) = lea_browser.sign_in(&sign_in, "lea").await;
    assert_eq!(got.status, StatusCode::OK);
    let fa = lea_browser
        .cookie(&page, "sesame_fa")
        .expect("a new cookie");
    // Out of the application's groups, out at the next request; back in, back in.
    let member = format!("/api/v1/groups/{bureau}/members/{lea}");
    let out = s.delete(&member, &admin).await;
    assert!(out.status.is_success(), "{}", out.body);
    let r = ask(&host, Some(&fa), "").await.expect("check");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let put = s
        .call(reqwest::Method::PUT, &member, Some(&admin), None)
        .await;
    assert_eq!(put.status, StatusCode::NO_CONTENT, "{}", put.body);
    let r = ask(&host, Some(&fa), "").await.expect("check");
    assert_eq!(r.status(), StatusCode::OK);
    let out = lea_browser
        .get(&format!("{}/.sesame/sign-out", nginx.base))
        .await;
    assert!(out.status.is_redirection());
    assert!(lea_browser.cookie(&page, "sesame_fa").is_none());
    let r = ask(&host, Some(&fa), "").await.expect("check");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    drop(nginx);
    s.stop().await;
}

crate::on_every_database!(reverse_proxies_let_in_who_sesame_allows, proxies_ask_sesame);
