//! Signing out of every application at once: RP-initiated logout (OpenID Connect RP-Initiated
//! Logout 1.0) ends the Sésame session; back-channel logout (OpenID Connect Back-Channel
//! Logout 1.0) then tells every application that session signed in to.
//!
//! The logouts owed are rows of `oidc_app_sessions`: any way a session ends (signing out here
//! or in Sésame, sessions ended by an administrator, a password reset, a person disabled or
//! deleted) makes them due, and [`run`] sends them from whichever instance claims them first,
//! retrying with growing delays like e-mail. A restart loses none.

use crate::apps::{self, Client};
use crate::keys;
use crate::{App, Org, Principal, Result};
use serde::Deserialize;
use serde_json::json;
use sesame_store::{new_id, now_ms};
use std::time::Duration;

/// The parameters of a logout request.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
pub struct EndSessionRequest {
    pub id_token_hint: Option<String>,
    pub client_id: Option<String>,
    pub post_logout_redirect_uri: Option<String>,
    pub state: Option<String>,
}

/// A logout request, checked.
#[derive(Debug, Clone)]
pub struct EndSession {
    /// Where to send the browser afterwards: only a registered post-logout URI, with `state`.
    pub redirect: Option<String>,
    /// The application that asked, when it is known.
    pub client: Option<Client>,
    /// The hint names the session the caller is signed in with: no need to ask them.
    pub hint_matches_session: bool,
    /// A post-logout URI was given but is not registered (it is then ignored: shown, never
    /// followed).
    pub unregistered_redirect: bool,
}

/// Checks a logout request against the caller's session, if any.
pub async fn check(
    app: &App,
    org: &Org,
    req: &EndSessionRequest,
    session: Option<&Principal>,
) -> Result<EndSession> {
    let hint = match req.id_token_hint.as_deref().filter(|h| !h.is_empty()) {
        // An expired ID token is still a good hint (RP-Initiated Logout §2).
        Some(h) => keys::verify(app, h, false)
            .await?
            .filter(|c| c["iss"] == json!(super::issuer(app, org))),
        None => None,
    };
    let client_id = req.client_id.clone().filter(|c| !c.is_empty()).or_else(|| {
        hint.as_ref()
            .and_then(|c| c["aud"].as_str().map(String::from))
    });
    let client = match &client_id {
        Some(id) => apps::find_client(app, org.id(), id).await?,
        None => None,
    };
    // A hint for another client than the one named is no hint.
    let hint = hint.filter(|c| client.as_ref().is_some_and(|k| c["aud"] == json!(k.id)));
    let hint_matches_session = match (&hint, session) {
        (Some(c), Some(p)) => {
            p.org.id() == org.id()
                && p.session_id().is_some_and(|sid| c["sid"] == json!(sid))
                && p.user_id().is_some_and(|u| c["sub"] == json!(u))
        }
        _ => false,
    };
    let asked = req
        .post_logout_redirect_uri
        .as_deref()
        .filter(|u| !u.is_empty());
    let redirect = match (asked, &client) {
        (Some(uri), Some(c)) if c.post_logout_allowed(uri) => {
            let mut params = Vec::new();
            if let Some(state) = req.state.as_deref().filter(|s| !s.is_empty()) {
                params.push(("state", state.to_string()));
            }
            Some(if params.is_empty() {
                uri.to_string()
            } else {
                super::authorize::with_query(uri, &params)
            })
        }
        _ => None,
    };
    Ok(EndSession {
        unregistered_redirect: asked.is_some() && redirect.is_none(),
        redirect,
        client,
        hint_matches_session,
    })
}

/// Ends the caller's Sésame session; the applications it signed in to are told by [`run`].
pub async fn end(app: &App, who: &Principal) -> Result<()> {
    let (Some(session_id), Some(user_id)) = (who.session_id(), who.user_id()) else {
        return Ok(());
    };
    let mut work = crate::work::Work::begin(app).await?;
    if sesame_store::oidc::end_session(&mut work, session_id, user_id, now_ms()).await? {
        work.record(
            who,
            crate::audit::Change {
                action: "session.sign_out",
                target_type: "user",
                target_id: Some(user_id),
                target_label: None,
                before: None,
                after: Some(json!({ "via": "oidc" })),
            },
        )
        .await?;
    }
    work.commit().await?;
    Ok(())
}

/// How many times a logout is tried before it is given up.
pub const MAX_ATTEMPTS: i64 = 8;

/// The wait before attempt `n + 1` after `n` failed ones: 30 s, doubling, at most 6 hours.
pub fn backoff_ms(attempts: i64) -> i64 {
    let step = 30_000i64.saturating_mul(1 << attempts.clamp(1, 20).saturating_sub(1));
    step.min(6 * 3600 * 1000)
}

/// How long an instance holds a logout it claimed before another may try it.
const LEASE_MS: i64 = 60_000;

/// The HTTP client of back-channel logouts: rustls with the web's roots (the `ring` provider
/// the rest of Sésame already builds), a short timeout, no redirects (a logout token is not
/// to be carried elsewhere).
fn client() -> reqwest::Client {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let builder = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Sesame/", env!("CARGO_PKG_VERSION")));
    let tls = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map(|b| b.with_root_certificates(roots).with_no_client_auth());
    let builder = match tls {
        Ok(config) => builder.tls_backend_preconfigured(config),
        Err(_) => builder,
    };
    builder.build().unwrap_or_default()
}

/// Sends the back-channel logouts that are due until `stop` turns true. Every instance runs
/// it; a logout is claimed by one (`sesame_store::oidc::claim_logouts`).
pub async fn run(app: App, mut stop: tokio::sync::watch::Receiver<bool>) {
    let http = client();
    loop {
        match send_due(&app, &http).await {
            Ok(0) | Err(_) => {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                    _ = stop.changed() => {}
                }
            }
            Ok(_) => {}
        }
        if *stop.borrow() {
            return;
        }
    }
}

/// One round: answers how many logouts were attempted.
pub async fn send_due(app: &App, http: &reqwest::Client) -> Result<usize> {
    let now = now_ms();
    let due = {
        let mut work = crate::work::Work::begin(app).await?;
        let due = sesame_store::oidc::claim_logouts(&mut work, now, now + LEASE_MS, 20).await?;
        work.commit().await?;
        due
    };
    for logout in &due {
        let sent = match logout_token(app, logout).await {
            Ok(Some(token)) => http
                .post(&logout.uri)
                .form(&[("logout_token", token.as_str())])
                .send()
                .await
                .is_ok_and(|r| r.status().is_success()),
            // The application is gone: nothing to tell.
            Ok(None) => true,
            Err(e) => {
                tracing::error!(error = %e, "could not sign a logout token");
                false
            }
        };
        let at = now_ms();
        let done = if sent {
            Some(("sent", at))
        } else if logout.attempts >= MAX_ATTEMPTS {
            tracing::warn!(app = %logout.app_id, "back-channel logout given up after {MAX_ATTEMPTS} attempts");
            Some(("failed", at))
        } else {
            None
        };
        let mut conn = app.store.read().await?;
        sesame_store::oidc::logout_attempted(
            &mut conn,
            &logout.session_id,
            &logout.app_id,
            done,
            at + backoff_ms(logout.attempts),
        )
        .await?;
    }
    Ok(due.len())
}

/// The logout token (Back-Channel Logout §2.4): `iss`, `aud`, `iat`, `exp`, `jti`, `sub`,
/// `sid`, the `events` member, and never a `nonce`.
async fn logout_token(app: &App, l: &sesame_store::oidc::Logout) -> Result<Option<String>> {
    let Some(client) = apps::find_client(app, &l.org_id, &l.app_id).await? else {
        return Ok(None);
    };
    let org = app.org_by_id(&l.org_id).await?;
    let now_s = now_ms() / 1000;
    let claims = json!({
        "iss": super::issuer(app, &org),
        "aud": client.id,
        "iat": now_s,
        "exp": now_s + 120,
        "jti": new_id(),
        "sub": l.user_id,
        "sid": l.session_id,
        "events": { "http://schemas.openid.net/event/backchannel-logout": {} },
    });
    let alg = super::token::alg_of(&client);
    Ok(Some(
        keys::sign(app, alg, Some("logout+jwt"), &claims).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stops_at_six_hours() {
        assert_eq!(backoff_ms(1), 30_000);
        assert_eq!(backoff_ms(2), 60_000);
        assert_eq!(backoff_ms(3), 120_000);
        assert_eq!(backoff_ms(30), 6 * 3600 * 1000);
    }
}
