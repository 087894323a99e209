//! Access by e-mail: invitations and reset links (`/users/{id}/invitation`), and what the
//! links lead to — activation, forgotten password, e-mail confirmation, a new link.

use super::account::OrgQuery;
use super::as_api;
use crate::extract::{Auth, Client, Json, Query, Source};
use crate::problem::ApiError;
use crate::{ApiState, session_cookie};
use axum::Json as Out;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum_extra::extract::cookie::CookieJar;
use secrecy::ExposeSecret;
use serde::Serialize;
use sesame_app::access::{
    self, AccessSent, EmailConfirmed, ResetRequest, TokenOnly, TokenPassword,
};
use sesame_app::auth::sign_in::Origin;
use sesame_app::auth::{self, SignedIn};
use sesame_app::i18n::message;
use sesame_core::Language;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(send_access))
        .routes(routes!(activate))
        .routes(routes!(request_reset))
        .routes(routes!(confirm_reset))
        .routes(routes!(confirm_email))
        .routes(routes!(renew_link))
}

/// Sends the person an invitation while they are invited, a password-reset link once they are
/// active (both single-use, by e-mail). Follow the message with `GET /api/v1/outbox/{id}`.
#[utoipa::path(post, path = "/api/v1/users/{id}/invitation", tag = "access", security(("bearer" = [])),
    responses((status = 202, body = AccessSent),
        (status = 409, description = "Disabled account, or no e-mail address"),
        (status = 403, description = "No invite permission over this person"),
        (status = 429, description = "Its address already received the most e-mails sent one at a time within the hour (`recipient-limit`): `Retry-After` says when to send again")))]
async fn send_access(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<(StatusCode, Out<AccessSent>), ApiError> {
    access::send_access(&s.app, &who, &id)
        .await
        .map(|a| (StatusCode::ACCEPTED, Out(a)))
        .map_err(as_api(&who))
}

/// The language of a request nobody is signed in to.
fn language(headers: &HeaderMap) -> Option<Language> {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::from_accept_language)
}

/// Activates an invited account with the invitation link's token and the password the person
/// chooses, and signs them in (as `/auth/login` does). A password the policy refuses leaves
/// the link usable. A spent link answers 410 (`link-spent`): ask for a new one with
/// `/account/links/renew`.
#[utoipa::path(post, path = "/api/v1/account/activate", tag = "access", request_body = TokenPassword,
    responses((status = 200, body = SignedIn),
        (status = 400, description = "Unknown or truncated token, or one of another kind"),
        (status = 410, description = "Expired, used or replaced link: a new one may be asked for"),
        (status = 422, description = "The password does not meet the policy")))]
async fn activate(
    State(s): State<ApiState>,
    client: Client,
    jar: CookieJar,
    Json(b): Json<TokenPassword>,
) -> Result<(CookieJar, session_cookie::device::Header, Out<SignedIn>), ApiError> {
    let origin = Origin {
        source: client.source,
        user_agent: client.user_agent,
        device: None,
    };
    let mut signed = access::activate(&s.app, b, origin).await?;
    let cookie = session_cookie::set(
        &signed.token,
        s.secure_cookies,
        auth::SESSION_LIFETIME_MS / 1000,
    );
    let device = session_cookie::device::header(signed.device_cookie.take(), s.secure_cookies);
    Ok((jar.add(cookie), device, Out(signed)))
}

/// The answer to a request whose outcome is not told.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Accepted {
    pub message: String,
}

/// Forgotten password: sends a reset link if an account has this address (its invitation
/// again, if it was never activated). The answer is the same whether or not one does. At most
/// 3 requests an hour per address and 20 per source (429 beyond, with `Retry-After`).
#[utoipa::path(post, path = "/api/v1/account/password-reset", tag = "access", params(OrgQuery), request_body = ResetRequest,
    responses((status = 202, body = Accepted, description = "Also for an organisation that does not exist: which ones do is never told"),
        (status = 422, description = "Not an e-mail address, or several organisations share this server and none is named (`org.required`)"),
        (status = 429, description = "Too many requests: wait `Retry-After` seconds")))]
async fn request_reset(
    State(s): State<ApiState>,
    Source(src): Source,
    headers: HeaderMap,
    Query(q): Query<OrgQuery>,
    Json(b): Json<ResetRequest>,
) -> Result<(StatusCode, Out<Accepted>), ApiError> {
    let org = s.app.org_for_visitor(q.org.as_deref()).await?;
    // The organisation's language only when none was named: an answer in another language
    // would tell that the identifier exists.
    let lang = language(&headers)
        .or(org.as_ref().filter(|_| q.org.is_none()).map(|o| o.language))
        .unwrap_or_default();
    match (&org, q.org.as_deref()) {
        (Some(org), _) => access::request_reset(&s.app, org, b, src.as_deref()).await,
        (None, named) => {
            let named = named.unwrap_or_default();
            access::request_reset_in_unknown_org(&s.app, named, b, src.as_deref()).await
        }
    }
    .map_err(|e| ApiError::from(e).in_language(lang))?;
    Ok((
        StatusCode::ACCEPTED,
        Out(Accepted {
            message: message(lang, "access.reset_requested", &[]),
        }),
    ))
}

/// Sets the new password with the reset link's token. Every session of the person ends, and
/// they are told by e-mail; they then sign in (with their second factor, if they have one).
#[utoipa::path(post, path = "/api/v1/account/password-reset/confirm", tag = "access", request_body = TokenPassword,
    responses((status = 204, description = "Password changed"),
        (status = 400, description = "Unknown or truncated token, or one of another kind"),
        (status = 410, description = "Expired, used or replaced link: a new one may be asked for"),
        (status = 422, description = "The password does not meet the policy")))]
async fn confirm_reset(
    State(s): State<ApiState>,
    Source(src): Source,
    Json(b): Json<TokenPassword>,
) -> Result<StatusCode, ApiError> {
    access::confirm_reset(&s.app, b, src.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Confirms a new e-mail address with the token of the link sent to it; it replaces the old one.
#[utoipa::path(post, path = "/api/v1/account/email/confirm", tag = "access", request_body = TokenOnly,
    responses((status = 200, body = EmailConfirmed),
        (status = 400, description = "Unknown or truncated token, or one of another kind"),
        (status = 409, description = "Another account took this address meanwhile"),
        (status = 410, description = "Expired, used or replaced link: a new one may be asked for")))]
async fn confirm_email(
    State(s): State<ApiState>,
    Source(src): Source,
    Json(b): Json<TokenOnly>,
) -> Result<Out<EmailConfirmed>, ApiError> {
    access::confirm_email(&s.app, b.token.expose_secret(), src.as_deref())
        .await
        .map(Out)
        .map_err(ApiError::from)
}

/// Asks for a new link in place of a spent one (expired, used, replaced): it goes to the
/// account's own address — an invitation while the person is invited, a reset link once they
/// are active. Same limits as `/account/password-reset`.
#[utoipa::path(post, path = "/api/v1/account/links/renew", tag = "access", request_body = TokenOnly,
    responses((status = 202, body = Accepted), (status = 400, description = "Unknown or truncated token"),
        (status = 429, description = "Too many requests: wait `Retry-After` seconds")))]
async fn renew_link(
    State(s): State<ApiState>,
    Source(src): Source,
    headers: HeaderMap,
    Json(b): Json<TokenOnly>,
) -> Result<(StatusCode, Out<Accepted>), ApiError> {
    let lang = language(&headers).unwrap_or_default();
    access::renew(&s.app, b.token.expose_secret(), src.as_deref())
        .await
        .map_err(|e| ApiError::from(e).in_language(lang))?;
    Ok((
        StatusCode::ACCEPTED,
        Out(Accepted {
            message: message(lang, "access.link_renewed", &[]),
        }),
    ))
}
