//! Who a request is (from its session or API token), and the sessions a person can see and
//! end: their own, or — for those allowed to disable them — someone else's.

use super::{SESSION_IDLE_MS, TOUCH_EVERY_MS};
use crate::audit::{Change, record};
use crate::users::load_target;
use crate::work::Work;
use crate::{
    App, Error, InPerson, Org, Principal, Result, TokenKind, TokenUse, grants_of, permissions_of,
};
use serde::Serialize;
use sesame_core::Status;
use sesame_core::policy::Actor;
use sesame_store::now_ms;
use sesame_store::tokens::TokenRow;

/// Who holds this secret (a session or API token): a live token of an active user, with the
/// user's current rights (capped by the token's own, for API tokens). `org_slug`, when the
/// request names an organisation, must be the token's.
pub async fn authenticate(
    app: &App,
    secret: &str,
    org_slug: Option<&str>,
    source: Option<String>,
) -> Result<Principal> {
    let secret = secret.trim();
    if secret.is_empty() || secret.len() > 200 {
        return Err(Error::Unauthenticated("auth.token_invalid"));
    }
    let hash = crate::secret::hash(secret);
    if let Some(held) = app.holders.get(&hash)
        && org_slug.is_none_or(|s| s == held.org_slug)
        && held.principal.source == source
        && held.expires_at.is_none_or(|t| t > now_ms())
    {
        // Read less than a second ago with no write since (see `crate::recent`), from the
        // same address: its last use is recorded already.
        name_in_span(&held.principal);
        return Ok(held.principal);
    }
    let reading = app.holders.reading();
    let now = now_ms();
    let mut conn = app.store.read().await?;
    let sesame_store::tokens::Owner {
        token,
        user,
        org,
        held,
        mfa_enabled,
        grace_deadline,
    } = sesame_store::tokens::live_with_owner(&mut conn, &hash, now)
        .await?
        .ok_or(Error::Unauthenticated("auth.token_invalid"))?;
    if org_slug.is_some_and(|s| s != org.slug) {
        return Err(Error::Unauthenticated("auth.other_organisation"));
    }
    let kind = if token.kind == "api" {
        TokenKind::Api
    } else {
        TokenKind::Session
    };
    if kind == TokenKind::Session && token.last_used_at.is_none_or(|t| t < now - SESSION_IDLE_MS) {
        return Err(Error::Unauthenticated("auth.session_expired"));
    }
    if user.status != Status::Active {
        return Err(Error::Unauthenticated("auth.disabled"));
    }
    // A session is judged by when it was opened (a policy change or a deadline passing does
    // not cut it off); an API token by now.
    let opened_at = match kind {
        TokenKind::Session => token.created_at,
        TokenKind::Api => now,
    };
    let must_enrol = crate::grace::must_enrol(
        held.iter().any(|h| h.requires_mfa),
        mfa_enabled,
        grace_deadline,
        opened_at,
    );
    let mut actor = Actor::user(org.id.clone(), user.id.clone(), grants_of(&held));
    let cap = token.permissions.as_deref().map(permissions_of);
    if let Some(cap) = cap {
        actor = actor.capped(cap);
    }
    drop(conn);
    let moved = token.last_source.as_deref() != source.as_deref();
    if moved || token.last_used_at.is_none_or(|t| now - t > TOUCH_EVERY_MS) {
        // A write, which may wait for the database's write lock: off the request's path.
        // Losing one is harmless (the next use records it), so its failure is only logged.
        let (store, id, from) = (app.store.clone(), token.id.clone(), source.clone());
        tokio::spawn(async move {
            let touched = match store.read().await {
                Ok(mut conn) => {
                    sesame_store::tokens::touch(&mut conn, &id, now, from.as_deref()).await
                }
                Err(e) => Err(e),
            };
            if let Err(e) = touched {
                tracing::warn!(error = %e, "could not record a token's last use");
            }
        });
    }
    let org_slug = org.slug.clone();
    let expires_at = token.expires_at;
    let principal = Principal {
        org: Org::from_row(org),
        actor,
        person: Some(crate::Person::from(&user)),
        source,
        token: Some(TokenUse {
            id: token.id,
            kind,
            cap,
        }),
        must_enrol,
    };
    name_in_span(&principal);
    app.holders.keep(
        hash,
        reading,
        Holder {
            principal: principal.clone(),
            org_slug,
            expires_at,
        },
    );
    Ok(principal)
}

/// Who holds a token, as [`authenticate`] found them (kept in [`crate::recent`]).
#[derive(Clone)]
pub(crate) struct Holder {
    principal: Principal,
    org_slug: String,
    expires_at: Option<i64>,
}

/// The request's span (the server's) names who acts from here on: ids only.
fn name_in_span(who: &Principal) {
    let span = tracing::Span::current();
    span.record("org", who.org.id());
    if let Some(user) = who.user_id() {
        span.record("user", user);
    }
}

/// Ends the session (or revokes the API token) used for this request.
pub async fn sign_out(app: &App, who: &Principal) -> Result<()> {
    let Some(token) = &who.token else {
        return Ok(());
    };
    let mut work = Work::begin(app).await?;
    sesame_store::tokens::revoke(&mut work, &who.own_tokens()?, &token.id, now_ms()).await?;
    work.record(
        who,
        Change {
            action: "auth.sign_out",
            target_type: "token",
            target_id: Some(&token.id),
            target_label: None,
            before: None,
            after: None,
        },
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// One open session, as its owner (or an administrator) sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub id: String,
    /// The session this very request uses.
    pub current: bool,
    /// RFC 3339.
    pub created_at: String,
    pub last_seen_at: Option<String>,
    /// The address it was last used from.
    pub last_address: Option<String>,
    /// The address it was opened from.
    pub created_from: Option<String>,
    pub user_agent: Option<String>,
    /// When it ends unless used again before (two hours after its last use, at most its
    /// absolute expiry).
    pub expires_at: Option<String>,
}

fn session_view(t: TokenRow, current: Option<&str>) -> SessionView {
    let idle_end = t.last_used_at.map(|l| l + SESSION_IDLE_MS);
    let ends = match (idle_end, t.expires_at) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    SessionView {
        current: current == Some(t.id.as_str()),
        created_at: crate::time::rfc3339(t.created_at),
        last_seen_at: t.last_used_at.map(crate::time::rfc3339),
        last_address: t.last_source,
        created_from: t.source,
        user_agent: t.user_agent,
        expires_at: ends.map(crate::time::rfc3339),
        id: t.id,
    }
}

async fn sessions_of(
    app: &App,
    org: &Org,
    user_id: &str,
    current: Option<&str>,
) -> Result<Vec<SessionView>> {
    let now = now_ms();
    let mut conn = app.store.read().await?;
    let rows = sesame_store::tokens::live_of_user(
        &mut conn,
        org.id(),
        user_id,
        "session",
        now,
        now - SESSION_IDLE_MS,
    )
    .await?;
    Ok(rows.into_iter().map(|t| session_view(t, current)).collect())
}

fn own_id(who: &Principal) -> Result<&str> {
    who.user_id().ok_or(Error::Unauthenticated("auth.required"))
}

/// The caller's open sessions, newest first.
pub async fn list_own(app: &App, who: &InPerson) -> Result<Vec<SessionView>> {
    sessions_of(app, &who.org, own_id(who)?, who.session_id()).await
}

/// Ends one of the caller's sessions (possibly the current one).
pub async fn end_own(app: &App, who: &InPerson, session_id: &str) -> Result<()> {
    let user_id = own_id(who)?;
    let mut work = Work::begin(app).await?;
    let ended = sesame_store::tokens::revoke_own(
        &mut work,
        &who.own_tokens()?,
        "session",
        session_id,
        now_ms(),
    )
    .await?;
    if !ended {
        return Err(Error::NotFound("session"));
    }
    audit_ended(
        &mut work,
        who,
        user_id,
        serde_json::json!({ "session_id": session_id }),
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// Ends every session of the caller but the one this request uses; answers how many ended.
pub async fn end_others(app: &App, who: &InPerson) -> Result<u64> {
    let user_id = own_id(who)?;
    let mut work = Work::begin(app).await?;
    let n = sesame_store::tokens::revoke_sessions_of(
        &mut work,
        &who.own_tokens()?,
        who.session_id(),
        now_ms(),
    )
    .await?;
    audit_ended(
        &mut work,
        who,
        user_id,
        serde_json::json!({ "ended": n, "kept_current": true }),
    )
    .await?;
    work.commit().await?;
    Ok(n)
}

/// Someone's open sessions, for those who may disable them.
pub async fn list_of(app: &App, who: &Principal, user_id: &str) -> Result<Vec<SessionView>> {
    who.in_person_if_own(user_id)?;
    {
        let mut conn = app.store.read().await?;
        let target = load_target(&mut conn, &who.org, user_id).await?;
        if who.user_id() != Some(user_id) {
            who.actor.may_disable(&target.subject())?;
        }
    }
    sessions_of(app, &who.org, user_id, who.session_id()).await
}

/// Ends every session of someone (signs them out everywhere); answers how many ended.
pub async fn end_all_of(app: &App, who: &Principal, user_id: &str) -> Result<u64> {
    who.in_person_if_own(user_id)?;
    let mut work = Work::begin(app).await?;
    let target = load_target(&mut work, &who.org, user_id).await?;
    let allowed = who.actor.may_disable(&target.subject())?;
    let n = sesame_store::tokens::revoke_sessions_of(&mut work, &allowed, None, now_ms()).await?;
    work.record(
        who,
        Change {
            action: "auth.sessions_ended",
            target_type: "user",
            target_id: Some(user_id),
            target_label: Some(&target.row.login),
            before: None,
            after: Some(serde_json::json!({ "ended": n })),
        },
    )
    .await?;
    work.commit().await?;
    Ok(n)
}

async fn audit_ended(
    conn: &mut sesame_store::Conn,
    who: &Principal,
    user_id: &str,
    after: serde_json::Value,
) -> Result<()> {
    let label = who.label();
    record(
        conn,
        who,
        Change {
            action: "auth.sessions_ended",
            target_type: "user",
            target_id: Some(user_id),
            target_label: Some(&label),
            before: None,
            after: Some(after),
        },
    )
    .await
}
