//! Forward authentication behind Caddy (issue 21): Debian's `caddy`, configured with the
//! snippet of `docs/single-sign-on.md` itself (read from the guide; only its names are
//! replaced by loopback addresses), protects an application of ours that shows the `Remote-*`
//! headers it receives. A stranger is sent to Sésame's sign-in with the address they asked
//! kept; Lea, in the application's group, signs in through the callback on Caddy's host and
//! reaches the application as herself, whatever `Remote-*` headers her browser makes up;
//! Paul, who is not in the group, and Lea once taken out of it, get Sésame's page saying they
//! have no access, and the application never hears of them.
//!
//! Caddy runs here as a plain process with a Caddyfile of its own in a temporary folder (no
//! admin endpoint, its data and autosave there too), on a free loopback port, stopped when the
//! guard drops. `./scripts/test` installs `caddy` when it is missing; without it this test fails
//! saying so, it is never skipped.

use crate::bureau_wiki::{Browser, BureauWiki, seen};
use crate::harness::{Db, Server};
use axum::http::HeaderMap;
use reqwest::StatusCode;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const CADDY: &str = "/usr/bin/caddy";

/// Caddy as a child process, stopped when dropped.
pub(crate) struct Caddy {
    child: Child,
    base: String,
    dir: tempfile::TempDir,
}

impl Caddy {
    /// Runs Caddy with `site` (Caddyfile site blocks) on `port`, which is awaited.
    fn run(port: u16, site: &str) -> Self {
        Self::run_with(port, "", site)
    }

    /// [`Caddy::run`], with more global options (`auto_https …`, one a line).
    pub(crate) fn run_with(port: u16, globals: &str, site: &str) -> Self {
        assert!(
            std::path::Path::new(CADDY).exists(),
            "Caddy is needed: apt-get install -y --no-install-recommends caddy (./scripts/test does)"
        );
        let dir = tempfile::tempdir().expect("dir");
        let d = dir.path().display();
        // No admin endpoint (several tests run at once), nothing written outside the folder.
        let file = dir.path().join("Caddyfile");
        std::fs::write(
            &file,
            format!("{{\n\tadmin off\n\tstorage file_system {d}/data\n{globals}}}\n\n{site}"),
        )
        .expect("write the Caddyfile");
        let log = std::fs::File::create(dir.path().join("caddy.log")).expect("log");
        let child = Command::new(CADDY)
            .args(["run", "--adapter", "caddyfile", "--config"])
            .arg(&file)
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start caddy");
        let listening = (0..400).any(|_| {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() || {
                std::thread::sleep(std::time::Duration::from_millis(25));
                false
            }
        });
        // Stopped by its guard if it did not start.
        let caddy = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            dir,
        };
        assert!(
            listening,
            "Caddy did not listen on {port}:\n{}",
            caddy.log()
        );
        caddy
    }

    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("caddy.log")).unwrap_or_default()
    }
}

impl Drop for Caddy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The guide's Caddy snippet, its names replaced: the site, Sésame, the organisation and the
/// application.
fn guide_snippet(site: &str, sesame: &str, slug: &str, application: &str) -> String {
    let guide = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/single-sign-on.md"),
    )
    .expect("read docs/single-sign-on.md");
    let from = guide.find("### Caddy").expect("the guide's Caddy section");
    let block = guide[from..]
        .split("```caddy\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("the guide's Caddy snippet");
    for name in [
        "wiki.example.org",
        "https://sesame.example.org",
        "SLUG",
        "127.0.0.1:8081",
    ] {
        assert!(block.contains(name), "the snippet names {name}: {block}");
    }
    block
        .replace("wiki.example.org", site)
        .replace("https://sesame.example.org", sesame)
        .replace("SLUG", slug)
        .replace("127.0.0.1:8081", application)
        + "\n"
}

/// The application behind Caddy: answers every request with its page, showing the
/// `Remote-*` headers it received as `X-Seen-*` (absent when absent), and counts requests.
async fn application() -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let router = axum::Router::new().fallback(move |headers: HeaderMap| {
        let counted = counted.clone();
        async move {
            counted.fetch_add(1, Ordering::SeqCst);
            let mut seen = HeaderMap::new();
            for name in ["user", "email", "name", "groups"] {
                if let Some(v) = headers.get(format!("remote-{name}")) {
                    seen.insert(
                        axum::http::HeaderName::try_from(format!("x-seen-{name}")).expect("name"),
                        v.clone(),
                    );
                }
            }
            (seen, "<h1>Page du bureau</h1>\n")
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (addr, hits)
}

/// Where Sésame's forward authentication starts for `rd`.
fn start_for(s: &Server, slug: &str, rd: &str) -> String {
    format!(
        "{}/o/{slug}/forward-auth/start?{}",
        s.base,
        serde_urlencoded::to_string([("rd", rd)]).expect("encode")
    )
}

async fn caddy_asks_sesame(db: &Db) {
    let s = Server::start_public(db).await;
    let wiki = BureauWiki::register(&s).await;
    let (app_addr, hits) = application().await;
    let site = format!("http://{}", wiki.host);
    let caddy = Caddy::run(
        wiki.port,
        &guide_snippet(&site, &s.base, &wiki.slug, &app_addr),
    );
    let page = format!("{}/index.html?x=1&y=2", caddy.base);

    // A stranger: to Sésame's sign-in, the address asked kept; the application never asked.
    let mut stranger = Browser::new();
    let got = stranger.get(&page).await;
    assert_eq!(
        got.status,
        StatusCode::FOUND,
        "{}\n{}",
        got.body,
        caddy.log()
    );
    assert_eq!(
        got.location.as_deref(),
        Some(start_for(&s, &wiki.slug, &page).as_str())
    );
    let (got, visited) = stranger.open(&page).await;
    let sign_in = got.location.clone().expect("on to the sign-in");
    assert!(
        sign_in.starts_with(&format!("{}/sign-in?", s.base)),
        "{visited:#?} {sign_in}"
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "the application never asked"
    );

    // Lea signs in: back through Caddy's callback to the page asked, as herself.
    let mut lea = Browser::new();
    let (got, _) = lea.open(&page).await;
    let sign_in = got.location.clone().expect("a redirect to the sign-in");
    let (got, visited) = lea.sign_in(&sign_in, "lea").await;
    assert_eq!(
        got.status,
        StatusCode::OK,
        "{visited:#?}\n{}\n{}",
        got.body,
        caddy.log()
    );
    assert!(got.body.contains("Page du bureau"), "{}", got.body);
    assert_eq!(visited.last(), Some(&page), "back to the page asked");
    assert!(
        visited
            .iter()
            .any(|v| v.starts_with(&format!("{}/.sesame/callback?code=", caddy.base))),
        "the callback on Caddy's host: {visited:#?}"
    );
    assert!(lea.cookie(&page, "sesame_fa").is_some());
    assert_eq!(seen(&got, "x-seen-user"), "lea");
    assert_eq!(seen(&got, "x-seen-email"), "lea@example.org");
    assert_eq!(seen(&got, "x-seen-name"), "Test lea");
    assert_eq!(seen(&got, "x-seen-groups"), "Bureau");

    // Headers her browser makes up never reach the application: Sésame's replace them.
    let req = lea
        .http
        .get(&page)
        .header("Remote-User", "admin")
        .header("Remote-Email", "admin@example.org")
        .header("Remote-Name", "Admin")
        .header("Remote-Groups", "Administrateurs");
    let got = lea.send(req, &page).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(seen(&got, "x-seen-user"), "lea");
    assert_eq!(seen(&got, "x-seen-email"), "lea@example.org");
    assert_eq!(seen(&got, "x-seen-name"), "Test lea");
    assert_eq!(seen(&got, "x-seen-groups"), "Bureau");
    let lea_hits = hits.load(Ordering::SeqCst);
    assert_eq!(lea_hits, 2);

    // Paul is not in the Bureau: Sésame's page says so, and no cookie, no application.
    let mut paul = Browser::new();
    let (got, _) = paul.open(&page).await;
    let sign_in = got.location.clone().expect("a redirect to the sign-in");
    let (got, visited) = paul.sign_in(&sign_in, "paul").await;
    assert_eq!(got.status, StatusCode::FORBIDDEN, "{visited:#?}");
    assert!(got.body.contains("id=\"no-access\""), "{}", got.body);
    assert!(got.body.contains("Wiki du bureau"), "{}", got.body);
    assert!(paul.cookie(&page, "sesame_fa").is_none());
    let got = paul.get(&page).await;
    assert_eq!(got.status, StatusCode::FOUND);
    assert_eq!(
        hits.load(Ordering::SeqCst),
        lea_hits,
        "Paul never reached it"
    );

    // Lea taken out of the Bureau: out at her next request, to the same page.
    let member = format!("/api/v1/groups/{}/members/{}", wiki.bureau, wiki.lea);
    let out = s.delete(&member, &wiki.admin).await;
    assert!(out.status.is_success(), "{}", out.body);
    let (got, visited) = lea.open(&page).await;
    assert_eq!(got.status, StatusCode::FORBIDDEN, "{visited:#?}");
    assert!(got.body.contains("id=\"no-access\""), "{}", got.body);
    assert_eq!(visited[1], start_for(&s, &wiki.slug, &page));
    assert_eq!(hits.load(Ordering::SeqCst), lea_hits);

    // Back in, then signed out of the wiki alone, through Caddy's `/.sesame/`.
    let put = s
        .call(reqwest::Method::PUT, &member, Some(&wiki.admin), None)
        .await;
    assert_eq!(put.status, StatusCode::NO_CONTENT, "{}", put.body);
    let got = lea.get(&page).await;
    assert_eq!(got.status, StatusCode::OK);
    let out = lea.get(&format!("{}/.sesame/sign-out", caddy.base)).await;
    assert!(out.status.is_redirection(), "{} {}", out.status, out.body);
    assert!(lea.cookie(&page, "sesame_fa").is_none());
    let got = lea.get(&page).await;
    assert_eq!(got.status, StatusCode::FOUND);

    drop(caddy);
    s.stop().await;
}

crate::on_every_database!(
    caddy_forward_auth_lets_in_who_sesame_allows,
    caddy_asks_sesame
);
