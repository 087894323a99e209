//! The authorization endpoint (OpenID Connect Core §3.1.2): checks a request, decides what
//! the person must do first (sign in, enrol in two-factor, consent), and issues the code.
//!
//! Until the client and its redirect URI are known to be registered, every refusal is a page
//! of ours ([`Refusal::Page`]): redirecting to an unchecked address would make Sésame an open
//! redirector. After that, errors go back to the application (RFC 6749 §4.1.2.1).

use super::{CODE_LIFETIME_MS, known_scopes};
use crate::apps::{self, Client};
use crate::{App, Org, Principal, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sesame_store::now_ms;

/// The parameters of an authorization request, as sent (query or form). Unknown parameters
/// are ignored, as the specification asks.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AuthRequest {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub response_type: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub prompt: Option<String>,
    pub max_age: Option<String>,
    pub login_hint: Option<String>,
    pub response_mode: Option<String>,
    /// Ours, never the application's: set when Sésame sends the person to sign in again for
    /// `prompt=login`, so that the request that comes back is satisfied by a session opened
    /// after that moment instead of asking again and again.
    pub signed_in_after: Option<String>,
}

/// Why a request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Shown on a page of ours, never sent anywhere: the message key says what is wrong.
    Page(&'static str),
    /// Sent back to the (registered) redirect URI.
    Redirect(String),
}

/// A request whose client and redirect URI are registered and whose parameters hold.
#[derive(Debug, Clone)]
pub struct Checked {
    pub org: Org,
    pub client: Client,
    pub redirect_uri: String,
    /// The scopes Sésame grants of those asked, space-separated.
    pub scope: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub prompt_none: bool,
    pub prompt_login: bool,
    pub prompt_consent: bool,
    pub max_age_s: Option<i64>,
    pub login_hint: Option<String>,
    pub signed_in_after: Option<i64>,
    /// The request as received, to come back to after sign-in or to carry in a form.
    pub request: AuthRequest,
}

impl Checked {
    /// The redirect that tells the application `error` (RFC 6749 §4.1.2.1), with `iss`
    /// (RFC 9207) so that it knows which provider answered.
    pub fn error(&self, app: &App, error: &str, description: &str) -> Refusal {
        let mut params = vec![("error", error.to_string())];
        if !description.is_empty() {
            params.push(("error_description", description.to_string()));
        }
        if let Some(state) = &self.state {
            params.push(("state", state.clone()));
        }
        params.push(("iss", super::issuer(app, &self.org)));
        Refusal::Redirect(with_query(&self.redirect_uri, &params))
    }
}

/// Adds `params` to `uri`'s query, keeping what it already has (a registered redirect URI may
/// carry one, RFC 6749 §3.1.2).
pub fn with_query(uri: &str, params: &[(&str, String)]) -> String {
    let encoded = serde_urlencoded::to_string(params).unwrap_or_default();
    let (base, fragment) = match uri.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (uri, None),
    };
    let joined = if base.contains('?') {
        format!("{base}&{encoded}")
    } else {
        format!("{base}?{encoded}")
    };
    match fragment {
        Some(f) => format!("{joined}#{f}"),
        None => joined,
    }
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Checks a request for the organisation `org`.
pub async fn check(
    app: &App,
    org: Org,
    req: AuthRequest,
) -> Result<std::result::Result<Checked, Refusal>> {
    let Some(client_id) = present(&req.client_id) else {
        return Ok(Err(Refusal::Page("oidc.client_missing")));
    };
    let Some(client) = apps::find_client(app, org.id(), client_id).await? else {
        return Ok(Err(Refusal::Page("oidc.client_unknown")));
    };
    let Some(redirect_uri) = present(&req.redirect_uri) else {
        return Ok(Err(Refusal::Page("oidc.redirect_missing")));
    };
    if !client.redirect_allowed(redirect_uri) {
        return Ok(Err(Refusal::Page("oidc.redirect_unregistered")));
    }
    let prompts: Vec<&str> = present(&req.prompt)
        .map(|p| p.split_ascii_whitespace().collect())
        .unwrap_or_default();
    let mut checked = Checked {
        org,
        redirect_uri: redirect_uri.to_string(),
        scope: known_scopes(req.scope.as_deref().unwrap_or("")).join(" "),
        state: req.state.clone().filter(|s| !s.is_empty()),
        nonce: req.nonce.clone().filter(|s| !s.is_empty()),
        code_challenge: None,
        prompt_none: prompts.contains(&"none"),
        prompt_login: prompts.contains(&"login"),
        prompt_consent: prompts.contains(&"consent"),
        max_age_s: None,
        login_hint: present(&req.login_hint).map(|s| s.chars().take(200).collect()),
        signed_in_after: present(&req.signed_in_after).and_then(|s| s.parse().ok()),
        request: req.clone(),
        client,
    };
    match present(&req.response_type) {
        Some("code") => {}
        None => {
            return Ok(Err(checked.error(
                app,
                "invalid_request",
                "response_type is required",
            )));
        }
        Some(_) => {
            return Ok(Err(checked.error(
                app,
                "unsupported_response_type",
                "only the authorization code flow (response_type=code) is supported",
            )));
        }
    }
    if present(&req.response_mode).is_some_and(|m| m != "query") {
        return Ok(Err(checked.error(
            app,
            "invalid_request",
            "only response_mode=query is supported",
        )));
    }
    if !checked.scope.split(' ').any(|s| s == "openid") {
        return Ok(Err(checked.error(
            app,
            "invalid_scope",
            "the scope must include openid",
        )));
    }
    if prompts
        .iter()
        .any(|p| !["none", "login", "consent", "select_account"].contains(p))
    {
        return Ok(Err(checked.error(
            app,
            "invalid_request",
            "unknown prompt value",
        )));
    }
    if checked.prompt_none && prompts.len() > 1 {
        return Ok(Err(checked.error(
            app,
            "invalid_request",
            "prompt=none cannot be combined",
        )));
    }
    if let Some(raw) = present(&req.max_age) {
        match raw.parse::<i64>() {
            Ok(s) if s >= 0 => checked.max_age_s = Some(s),
            _ => {
                return Ok(Err(checked.error(
                    app,
                    "invalid_request",
                    "max_age must be a number of seconds",
                )));
            }
        }
    }
    match (
        present(&req.code_challenge),
        present(&req.code_challenge_method),
    ) {
        (None, Some(_)) => {
            return Ok(Err(checked.error(
                app,
                "invalid_request",
                "code_challenge is missing",
            )));
        }
        (None, None) if checked.client.public => {
            return Ok(Err(checked.error(
                app,
                "invalid_request",
                "PKCE (code_challenge with S256) is required for this client",
            )));
        }
        (None, None) => {}
        (Some(c), method) => {
            if method != Some("S256") {
                return Ok(Err(checked.error(
                    app,
                    "invalid_request",
                    "code_challenge_method must be S256",
                )));
            }
            // BASE64URL of a SHA-256: 43 characters of the URL-safe alphabet.
            if c.len() != 43
                || !c
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Ok(Err(checked.error(
                    app,
                    "invalid_request",
                    "code_challenge is malformed",
                )));
            }
            checked.code_challenge = Some(c.to_string());
        }
    }
    Ok(Ok(checked))
}

/// What must happen before the application gets its code.
#[derive(Debug)]
pub enum Next {
    /// Sign in (again, when `fresh`: `prompt=login` or `max_age` asked for it).
    SignIn { fresh: bool },
    /// Enrol in two-factor: a role of theirs requires it.
    Enrol,
    /// The application is not open to them (none of its groups).
    NoAccess,
    /// Ask their consent to what the application will receive.
    Consent,
    /// Everything holds: here is where to send the browser, with the code.
    Approved(String),
    /// Refused, sent back to the application.
    Refused(Refusal),
}

/// Decides the next step for a checked request and the caller's session, if any (a session of
/// another organisation counts as none).
pub async fn decide(app: &App, c: &Checked, session: Option<&Principal>) -> Result<Next> {
    let session = session.filter(|p| p.org.id() == c.org.id() && p.person().is_some());
    let Some(who) = session else {
        return Ok(if c.prompt_none {
            Next::Refused(c.error(app, "login_required", "no one is signed in"))
        } else {
            Next::SignIn { fresh: false }
        });
    };
    let facts = match who.session_id() {
        Some(id) => {
            let mut conn = app.store.read().await?;
            sesame_store::oidc::session_facts(&mut conn, id).await?
        }
        None => None,
    };
    let Some(facts) = facts else {
        return Ok(Next::SignIn { fresh: false });
    };
    let now = now_ms();
    let too_old = c
        .max_age_s
        .is_some_and(|max| now - facts.created_at > max.saturating_mul(1000));
    let login_asked = c.prompt_login && c.signed_in_after.is_none_or(|t| facts.created_at < t);
    if too_old || login_asked {
        return Ok(if c.prompt_none {
            Next::Refused(c.error(app, "login_required", "a fresh sign-in is required"))
        } else {
            Next::SignIn { fresh: true }
        });
    }
    if who.must_enrol {
        return Ok(if c.prompt_none {
            Next::Refused(c.error(
                app,
                "interaction_required",
                "two-factor enrolment is required",
            ))
        } else {
            Next::Enrol
        });
    }
    let user_id = who.user_id().unwrap_or_default();
    if !apps::may_use(app, &c.client, user_id).await? {
        return Ok(if c.prompt_none {
            Next::Refused(c.error(
                app,
                "access_denied",
                "this application is not open to this person",
            ))
        } else {
            Next::NoAccess
        });
    }
    if !c.client.trusted {
        let mut conn = app.store.read().await?;
        let given = sesame_store::oidc::consent(&mut conn, user_id, &c.client.id).await?;
        let enough = given.is_some_and(|g| super::covers(&g, &c.scope));
        if c.prompt_consent || !enough {
            return Ok(if c.prompt_none {
                Next::Refused(c.error(
                    app,
                    "consent_required",
                    "the person has not allowed this application",
                ))
            } else {
                Next::Consent
            });
        }
    }
    Ok(Next::Approved(
        approve(app, c, who, facts.created_at).await?,
    ))
}

/// The person allowed the application on the consent page: remembered, then approved.
pub async fn consent_given(app: &App, c: &Checked, who: &Principal) -> Result<Next> {
    let user_id = who.user_id().unwrap_or_default().to_string();
    let mut work = crate::work::Work::begin(app).await?;
    sesame_store::oidc::set_consent(
        &mut work,
        c.org.id(),
        &user_id,
        &c.client.id,
        &c.scope,
        now_ms(),
    )
    .await?;
    work.record(
        who,
        crate::audit::Change {
            action: "oidc.consent",
            target_type: "app",
            target_id: Some(&c.client.id),
            target_label: Some(&c.client.name),
            before: None,
            after: Some(serde_json::json!({ "scope": c.scope })),
        },
    )
    .await?;
    work.commit().await?;
    // Everything else is checked again: the consent page may have waited.
    decide(app, c, Some(who)).await
}

/// The person refused: the application learns it.
pub fn denied(app: &App, c: &Checked) -> Refusal {
    c.error(app, "access_denied", "the person refused")
}

/// Issues the code and answers where the browser goes with it.
async fn approve(app: &App, c: &Checked, who: &Principal, auth_time: i64) -> Result<String> {
    let code = crate::secret::generate("");
    let now = now_ms();
    let user_id = who.user_id().unwrap_or_default().to_string();
    let session_id = who.session_id().unwrap_or_default().to_string();
    let row = sesame_store::oidc::CodeRow {
        org_id: c.org.id().to_string(),
        app_id: c.client.id.clone(),
        user_id: user_id.clone(),
        session_id: session_id.clone(),
        redirect_uri: c.redirect_uri.clone(),
        scope: c.scope.clone(),
        nonce: c.nonce.clone(),
        code_challenge: c.code_challenge.clone(),
        auth_time,
        created_at: now,
        expires_at: now + CODE_LIFETIME_MS,
    };
    let mut work = crate::work::Work::begin(app).await?;
    sesame_store::oidc::insert_code(&mut work, &crate::secret::hash_secret(&code), &row).await?;
    sesame_store::oidc::record_app_session(
        &mut work,
        &session_id,
        &c.client.id,
        c.org.id(),
        &user_id,
        now,
    )
    .await?;
    work.commit().await?;
    let mut params = vec![("code", code.expose_secret().to_string())];
    if let Some(state) = &c.state {
        params.push(("state", state.clone()));
    }
    params.push(("iss", super::issuer(app, &c.org)));
    Ok(with_query(&c.redirect_uri, &params))
}

/// BASE64URL(SHA-256(verifier)), the S256 transformation of RFC 7636 §4.2.
pub fn s256(verifier: &str) -> String {
    use sha2::Digest;
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_added_to_what_the_uri_has() {
        assert_eq!(
            with_query("https://a.example/cb", &[("code", "x y".into())]),
            "https://a.example/cb?code=x+y"
        );
        assert_eq!(
            with_query("https://a.example/cb?app=1", &[("state", "s".into())]),
            "https://a.example/cb?app=1&state=s"
        );
    }

    #[test]
    fn s256_matches_rfc_7636_appendix_b() {
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
