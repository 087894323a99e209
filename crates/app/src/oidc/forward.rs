//! Forward authentication (issue 21), for the applications that do not speak OpenID Connect:
//! their reverse proxy (nginx `auth_request`, Caddy `forward_auth`, Traefik `ForwardAuth`) asks
//! Sésame about every request, and passes it on with who the person is.
//!
//! The browser does not send Sésame's cookie to another host, so each protected host gets a
//! cookie of its own (`sesame_fa`), as oauth2-proxy does:
//!
//! 1. [`check`]: no valid host cookie → the proxy sends the browser to [`start`], on Sésame's
//!    own host, with the address it wanted (`rd`);
//! 2. [`start`]: signed in to Sésame (and allowed), the browser goes back to the application's
//!    host, `/.sesame/callback`, with a single-use 60-second code for that host;
//! 3. [`callback`] (the proxy forwards `/.sesame/` to Sésame): the code becomes the host
//!    cookie, and the browser goes on to `rd`.
//!
//! Invariants: `rd` is followed only when its host is listed by one of the organisation's
//! applications (never an open redirect); a code is redeemed once, on the host it was issued
//! for; a cookie opens only the host it was made on, for as long as the Sésame session it came
//! from lives (sign-out, sessions ended, password reset, disabled person end it) and the
//! person may use the application. Codes and cookies are stored only as their SHA-256.

use crate::apps::{self, Client};
use crate::{App, Org, Principal, Result};
use secrecy::{ExposeSecret, SecretString};
use sesame_store::forward_auth::{Found, Grant};
use sesame_store::now_ms;

/// The host cookie's name.
pub const COOKIE: &str = "sesame_fa";
/// Where the reverse proxy forwards Sésame's part of an application's host.
pub const PREFIX: &str = "/.sesame";
/// A host cookie lives at most this long (the Sésame session's own lifetime), and never
/// beyond the session's end.
pub const COOKIE_LIFETIME_MS: i64 = crate::auth::SESSION_LIFETIME_MS;

/// A return address whose host is one of an application's: where the person may be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `http` or `https`.
    pub scheme: String,
    /// `host` or `host:port`, lowercase.
    pub host: String,
    /// The address, as parsed (normalised).
    pub url: String,
}

/// Parses a return address: `http(s)://host[:port]/…`, without user name or password.
pub fn parse_target(raw: &str) -> Option<Target> {
    let url = url::Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https")
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return None;
    }
    let host = url.host_str().filter(|h| !h.is_empty())?;
    let host = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    };
    Some(Target {
        scheme: url.scheme().to_string(),
        host: host.to_ascii_lowercase(),
        url: url.to_string(),
    })
}

/// A host as a proxy names it (`X-Forwarded-Host`, `Host`): the first of a list, lowercase.
pub fn normalise_host(raw: &str) -> String {
    raw.split(',')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The return address `raw` and the application whose host it is, when it is one.
pub async fn target_of(app: &App, org: &Org, raw: &str) -> Result<Option<(Target, Client)>> {
    let Some(target) = parse_target(raw) else {
        return Ok(None);
    };
    Ok(apps::client_for_host(app, org.id(), &target.host)
        .await?
        .map(|c| (target, c)))
}

/// Who passes, as the application receives them (`Remote-*` headers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The login.
    pub user: String,
    pub email: Option<String>,
    /// First and last names, or the login when there are none.
    pub name: String,
    /// The names of the person's groups.
    pub groups: Vec<String>,
}

/// The answer to the reverse proxy's question.
#[derive(Debug)]
pub enum Verdict {
    /// Let the request through, with who it is.
    Pass(Identity),
    /// No valid cookie for this host: the person must go through [`start`].
    SignIn,
    /// No application of the organisation lists this host.
    UnknownHost,
}

/// Whether a request to `host` carrying the host cookie `cookie` may pass.
pub async fn check(app: &App, org: &Org, host: &str, cookie: Option<&str>) -> Result<Verdict> {
    let host = normalise_host(host);
    let Some(client) = apps::client_for_host(app, org.id(), &host).await? else {
        return Ok(Verdict::UnknownHost);
    };
    let Some(cookie) = cookie
        .map(str::trim)
        .filter(|c| !c.is_empty() && c.len() <= 200)
    else {
        return Ok(Verdict::SignIn);
    };
    let found = {
        let mut conn = app.store.read().await?;
        sesame_store::forward_auth::find_session(&mut conn, &crate::secret::hash(cookie)).await?
    };
    let Some(found) = found.filter(|f| {
        f.live(now_ms())
            && f.grant.host == host
            && f.grant.app_id == client.id
            && f.grant.org_id == org.id()
    }) else {
        return Ok(Verdict::SignIn);
    };
    // Checked on every request: a person taken out of the application's groups stops at once.
    if !apps::may_use(app, &client, &found.grant.user_id).await? {
        return Ok(Verdict::SignIn);
    }
    Ok(match identity(app, org, &found.grant.user_id).await? {
        Some(who) => Verdict::Pass(who),
        None => Verdict::SignIn,
    })
}

async fn identity(app: &App, org: &Org, user_id: &str) -> Result<Option<Identity>> {
    let mut conn = app.store.read().await?;
    let Some(user) = sesame_store::users::get(&mut conn, org.id(), user_id).await? else {
        return Ok(None);
    };
    let ids = [user.id.clone()];
    let groups = sesame_store::groups::of_users(&mut conn, org.id(), &ids).await?;
    let full = [user.first_name.as_deref(), user.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Some(Identity {
        name: if full.is_empty() {
            user.login.clone()
        } else {
            full
        },
        user: user.login,
        email: user.email,
        groups: groups.into_iter().map(|(_, g)| g.name).collect(),
    }))
}

/// Where the reverse proxy sends a person without a valid host cookie: [`start`] on Sésame's
/// host, with the address they wanted.
pub fn start_url(app: &App, org: &Org, rd: &str) -> String {
    format!(
        "{}/forward-auth/start?{}",
        super::issuer(app, org),
        serde_urlencoded::to_string([("rd", rd)]).unwrap_or_default()
    )
}

/// What [`start`] decided.
#[derive(Debug)]
pub enum Start {
    /// `rd` is missing, malformed, or on a host no application lists: a page of ours, never a
    /// redirect. The message key says which.
    Refused(&'static str),
    /// Sign in first.
    SignIn,
    /// Enrol in two-factor first: a role of theirs requires it.
    Enrol,
    /// The application (named) is not open to them.
    NoAccess(String),
    /// Back to the application's host with a code.
    Go(String),
}

/// The start of a sign-in to an application's host, on Sésame's own host, for the person
/// signed in there (`who`; a session of another organisation counts as none).
pub async fn start(
    app: &App,
    org: &Org,
    rd: Option<&str>,
    who: Option<&Principal>,
) -> Result<Start> {
    let Some(rd) = rd.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(Start::Refused("forward.rd_missing"));
    };
    let Some((target, client)) = target_of(app, org, rd).await? else {
        return Ok(Start::Refused("forward.rd_unregistered"));
    };
    let who = who.filter(|p| p.org.id() == org.id() && p.person().is_some());
    let (Some(who), Some(session_id)) = (who, who.and_then(Principal::session_id)) else {
        return Ok(Start::SignIn);
    };
    if who.must_enrol {
        return Ok(Start::Enrol);
    }
    let user_id = who.user_id().unwrap_or_default();
    if !apps::may_use(app, &client, user_id).await? {
        return Ok(Start::NoAccess(client.name));
    }
    let code = crate::secret::generate("");
    let now = now_ms();
    let grant = Grant {
        org_id: org.id().to_string(),
        app_id: client.id.clone(),
        user_id: user_id.to_string(),
        session_id: session_id.to_string(),
        host: target.host.clone(),
        created_at: now,
        expires_at: now + super::CODE_LIFETIME_MS,
    };
    let mut work = crate::work::Work::begin(app).await?;
    sesame_store::forward_auth::insert_code(&mut work, &crate::secret::hash_secret(&code), &grant)
        .await?;
    work.commit().await?;
    let query =
        serde_urlencoded::to_string([("code", code.expose_secret()), ("rd", target.url.as_str())])
            .unwrap_or_default();
    Ok(Start::Go(format!(
        "{}://{}{PREFIX}/callback?{query}",
        target.scheme, target.host
    )))
}

/// What [`callback`] decided.
#[derive(Debug)]
pub enum Redeemed {
    /// The code is unknown, spent, expired, for another host, or its sign-in has ended; or `rd`
    /// is not on this host. A page of ours; the message key says which.
    Refused(&'static str),
    /// Set the host cookie to `cookie` for `max_age_s`, then go to `rd`.
    Cookie {
        cookie: SecretString,
        max_age_s: i64,
        rd: String,
    },
}

/// Redeems a code on the application's host `host`, where the browser came back.
pub async fn callback(
    app: &App,
    org: &Org,
    host: &str,
    code: Option<&str>,
    rd: Option<&str>,
) -> Result<Redeemed> {
    let host = normalise_host(host);
    let Some((target, client)) = target_of(app, org, rd.unwrap_or("")).await? else {
        return Ok(Redeemed::Refused("forward.rd_unregistered"));
    };
    if target.host != host {
        return Ok(Redeemed::Refused("forward.rd_unregistered"));
    }
    let Some(code) = code
        .map(str::trim)
        .filter(|c| !c.is_empty() && c.len() <= 200)
    else {
        return Ok(Redeemed::Refused("forward.code_invalid"));
    };
    let now = now_ms();
    let mut work = crate::work::Work::begin(app).await?;
    let taken =
        sesame_store::forward_auth::take_code(&mut work, &crate::secret::hash(code), now).await?;
    let usable = |f: &Found| {
        f.live(now)
            && f.grant.host == host
            && f.grant.app_id == client.id
            && f.grant.org_id == org.id()
    };
    let Some(found) = taken.filter(usable) else {
        // Spent all the same: a code is tried once.
        work.commit().await?;
        return Ok(Redeemed::Refused("forward.code_invalid"));
    };
    let cookie = crate::secret::generate("");
    let expires_at = found
        .session_expires_at
        .map_or(now + COOKIE_LIFETIME_MS, |e| {
            e.min(now + COOKIE_LIFETIME_MS)
        });
    let grant = Grant {
        created_at: now,
        expires_at,
        ..found.grant
    };
    sesame_store::forward_auth::insert_session(
        &mut work,
        &crate::secret::hash_secret(&cookie),
        &grant,
    )
    .await?;
    work.commit().await?;
    Ok(Redeemed::Cookie {
        cookie,
        max_age_s: (expires_at - now) / 1000,
        rd: target.url,
    })
}

/// Signs the browser out of one application's host: its cookie opens nothing any more. Answers
/// where to go next: `rd` when it is on that host, else Sésame's home page.
pub async fn sign_out(
    app: &App,
    org: &Org,
    host: &str,
    cookie: Option<&str>,
    rd: Option<&str>,
) -> Result<String> {
    if let Some(c) = cookie
        .map(str::trim)
        .filter(|c| !c.is_empty() && c.len() <= 200)
    {
        let mut work = crate::work::Work::begin(app).await?;
        sesame_store::forward_auth::delete_session(&mut work, &crate::secret::hash(c)).await?;
        work.commit().await?;
    }
    let host = normalise_host(host);
    Ok(match target_of(app, org, rd.unwrap_or("")).await? {
        Some((t, _)) if t.host == host => t.url,
        _ => format!("{}/", app.mailer.public_url),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_http_addresses_with_their_port() {
        let t = parse_target("http://127.0.0.1:8080/page?a=1&b=2").expect("target");
        assert_eq!(t.host, "127.0.0.1:8080");
        assert_eq!(t.scheme, "http");
        assert_eq!(t.url, "http://127.0.0.1:8080/page?a=1&b=2");
        assert_eq!(
            parse_target("HTTPS://Wiki.Example.org:443/").map(|t| t.host),
            Some("wiki.example.org".into())
        );
        for bad in [
            "javascript:alert(1)",
            "//evil.example/",
            "/relative",
            "https://user:pw@wiki.example.org/",
            "ftp://wiki.example.org/",
            "",
        ] {
            assert_eq!(parse_target(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_forwarded_host_is_the_first_of_a_list() {
        assert_eq!(
            normalise_host(" Wiki.Example.org, proxy.lan"),
            "wiki.example.org"
        );
        assert_eq!(normalise_host("127.0.0.1:8080"), "127.0.0.1:8080");
    }
}
