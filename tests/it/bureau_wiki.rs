//! What the forward-authentication stories share (nginx's `auth_request` in `forward_auth`,
//! Caddy's `forward_auth` in `caddy`): the Bureau's wiki registered with Sésame for a host of
//! the proxy, Lea who is in the Bureau and Paul who is not, and a browser of ours that keeps
//! cookies per `host:port` and follows redirects one by one, stopping at Sésame's sign-in form.

use crate::harness::{Server, USER_PASSWORD};
use crate::nginx::free_port;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::json;
use sesame_core::Profile;
use std::collections::BTreeMap;

/// The Bureau's wiki as Sésame knows it, and who may enter.
pub(crate) struct BureauWiki {
    /// The administrator's API token.
    pub(crate) admin: String,
    /// Lea's id; she is in the Bureau. Paul (login `paul`) is not.
    pub(crate) lea: String,
    /// The Bureau's id.
    pub(crate) bureau: String,
    /// The organisation's identifier, in Sésame's addresses (`/o/SLUG/…`).
    pub(crate) slug: String,
    /// The proxy's loopback port, free when chosen, and its `host:port`, registered as the
    /// wiki's forward-authentication host.
    pub(crate) port: u16,
    pub(crate) host: String,
}

impl BureauWiki {
    /// On `s`'s fresh organisation: an administrator, Lea (Membre, in the Bureau), Paul
    /// (Membre, not), and « Wiki du bureau » open to the Bureau alone, on a free port.
    pub(crate) async fn register(s: &Server) -> Self {
        let admin = s.init(Profile::Generic).await;
        let (lea, _) = s
            .user_with_roles(&admin, "lea", json!([{"role": "Membre"}]))
            .await;
        s.user_with_roles(&admin, "paul", json!([{"role": "Membre"}]))
            .await;
        let bureau = s.group_with(&admin, "Bureau", &[&lea]).await;

        let port = free_port();
        let host = format!("127.0.0.1:{port}");
        let input: sesame_app::apps::AppInput = serde_json::from_value(json!({
            "name": "Wiki du bureau",
            "forward_auth_hosts": [host],
            "groups": [bureau],
        }))
        .expect("app input");
        let org = s.app.org(None).await.expect("org");
        let slug = org.row.slug.clone();
        sesame_app::apps::create(&s.app, &s.app.operator(org), input)
            .await
            .expect("register the wiki");
        Self {
            admin,
            lea,
            bureau,
            slug,
            port,
            host,
        }
    }
}

/// A browser: cookies kept per `host:port`, redirects followed one by one.
pub(crate) struct Browser {
    pub(crate) http: reqwest::Client,
    jars: BTreeMap<String, BTreeMap<String, String>>,
    /// Every `Set-Cookie` received, with the address that sent it.
    pub(crate) set_cookies: Vec<(String, String)>,
}

/// One answer, read whole.
pub(crate) struct Got {
    pub(crate) status: StatusCode,
    /// `Location`, made absolute.
    pub(crate) location: Option<String>,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: String,
}

pub(crate) fn origin_of(url: &str) -> (String, String) {
    let u = url::Url::parse(url).expect("absolute url");
    let authority = match u.port() {
        Some(p) => format!("{}:{p}", u.host_str().expect("host")),
        None => u.host_str().expect("host").to_string(),
    };
    (format!("{}://{authority}", u.scheme()), authority)
}

impl Browser {
    pub(crate) fn new() -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            jars: BTreeMap::new(),
            set_cookies: Vec::new(),
        }
    }

    pub(crate) fn cookie(&self, url: &str, name: &str) -> Option<String> {
        self.jars.get(&origin_of(url).1)?.get(name).cloned()
    }

    pub(crate) async fn send(&mut self, req: reqwest::RequestBuilder, url: &str) -> Got {
        let (origin, authority) = origin_of(url);
        let jar = self.jars.entry(authority).or_default();
        let mut req = req.header("Accept-Language", "en");
        if !jar.is_empty() {
            let line: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
            req = req.header(COOKIE, line.join("; "));
        }
        let r = req.send().await.expect("request");
        for set in r.headers().get_all(SET_COOKIE) {
            let set = set.to_str().expect("ascii cookie");
            self.set_cookies.push((url.to_string(), set.to_string()));
            let (pair, attrs) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').expect("name=value");
            if value.is_empty() || attrs.to_ascii_lowercase().contains("max-age=0") {
                jar.remove(name.trim());
            } else {
                jar.insert(name.trim().to_string(), value.trim().to_string());
            }
        }
        let location = r
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(|l| {
                if l.starts_with('/') {
                    format!("{origin}{l}")
                } else {
                    l.to_string()
                }
            });
        Got {
            status: r.status(),
            location,
            headers: r.headers().clone(),
            body: r.text().await.unwrap_or_default(),
        }
    }

    pub(crate) async fn get(&mut self, url: &str) -> Got {
        let req = self.http.get(url);
        self.send(req, url).await
    }

    /// Follows redirects from `url` until an answer that is not one; stops early (answering
    /// the redirect) at a sign-in page, which the person must fill in.
    pub(crate) async fn open(&mut self, url: &str) -> (Got, Vec<String>) {
        let mut visited = vec![url.to_string()];
        let mut got = self.get(url).await;
        for _ in 0..10 {
            let Some(next) = got.location.clone().filter(|_| got.status.is_redirection()) else {
                break;
            };
            if next.contains("/sign-in?") {
                break;
            }
            visited.push(next.clone());
            got = self.get(&next).await;
        }
        (got, visited)
    }

    /// Fills in Sésame's sign-in page that `url` (`…/sign-in?next=…&org=…`) shows, and follows
    /// where it leads.
    pub(crate) async fn sign_in(&mut self, url: &str, login: &str) -> (Got, Vec<String>) {
        let page = self.get(url).await;
        assert_eq!(
            page.status,
            StatusCode::OK,
            "the sign-in page: {}",
            page.body
        );
        let csrf = page
            .body
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("the sign-in form's CSRF field")
            .to_string();
        let query = url.split_once('?').map_or("", |(_, q)| q);
        let q: BTreeMap<String, String> = serde_urlencoded::from_str(query).expect("query");
        let (origin, _) = origin_of(url);
        let form = [
            ("csrf", csrf),
            ("login", login.to_string()),
            ("password", USER_PASSWORD.to_string()),
            ("org", q.get("org").cloned().unwrap_or_default()),
            ("next", q.get("next").cloned().unwrap_or_default()),
        ];
        let target = format!("{origin}/sign-in");
        let req = self.http.post(&target).form(&form);
        let got = self.send(req, &target).await;
        assert!(
            got.status.is_redirection(),
            "{login} signs in: {} {}",
            got.status,
            got.body
        );
        let next = got.location.clone().expect("where the sign-in leads");
        self.open(&next).await
    }
}

/// A header of an answer, as text (UTF-8 values included).
pub(crate) fn seen(got: &Got, name: &str) -> String {
    got.headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default()
}
