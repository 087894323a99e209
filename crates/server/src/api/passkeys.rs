//! Passkeys: `/api/v1/account/passkeys` (the caller's: register, list, rename, remove),
//! `/api/v1/auth/passkey` (signing in with one, no login typed) and
//! `/api/v1/users/{id}/passkeys` (an administrator removes someone's). Each ceremony is two
//! calls: options, passed to the browser's WebAuthn API, then the browser's answer.

use super::account::OrgQuery;
use super::as_api;
use crate::extract::{Auth, Client, EnrollingSession, Json, Query, Session};
use crate::problem::ApiError;
use crate::{ApiState, session_cookie};
use axum::Json as Out;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum_extra::extract::cookie::CookieJar;
use sesame_app::auth::SignedIn;
use sesame_app::passkeys::sign_in::{self, SignInResponse};
use sesame_app::passkeys::{self, CeremonyOptions, PasskeyView, RegisterInput, RenameInput};
use sesame_app::two_factor::PasswordInput;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list, register))
        .routes(routes!(register_options))
        .routes(routes!(rename))
        .routes(routes!(remove))
        .routes(routes!(reset))
        .routes(routes!(sign_in_options))
        .routes(routes!(sign_in_finish))
}

const SESSION_ONLY: &str = "Called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)";

/// The caller's passkeys, oldest first (never their key material).
#[utoipa::path(get, path = "/api/v1/account/passkeys", tag = "passkeys", security(("bearer" = [])),
    responses((status = 200, body = Vec<PasskeyView>), (status = 403, description = SESSION_ONLY)))]
async fn list(
    State(s): State<ApiState>,
    EnrollingSession(who): EnrollingSession,
) -> Result<Out<Vec<PasskeyView>>, ApiError> {
    passkeys::list(&s.app, &who)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Starts registering a passkey: options for `navigator.credentials.create` (a discoverable
/// credential, user verification required, the caller's passkeys excluded). Open to a session
/// that must enrol in two-factor: a passkey is a second factor.
#[utoipa::path(post, path = "/api/v1/account/passkeys/options", tag = "passkeys", security(("bearer" = [])),
    responses((status = 200, body = CeremonyOptions),
        (status = 401, description = "An organisation that does not exist: the same answer as a failed sign-in (`unauthenticated`)"),
        (status = 409, description = "The server's public address has no domain name (`passkey.unavailable`)"),
        (status = 403, description = SESSION_ONLY)))]
async fn register_options(
    State(s): State<ApiState>,
    EnrollingSession(who): EnrollingSession,
) -> Result<Out<CeremonyOptions>, ApiError> {
    passkeys::register_options(&s.app, &who)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Finishes registering a passkey with the browser's answer. Named after the device unless a
/// name is given; the person is told by e-mail.
#[utoipa::path(post, path = "/api/v1/account/passkeys", tag = "passkeys", request_body = RegisterInput, security(("bearer" = [])),
    responses((status = 201, body = PasskeyView),
        (status = 409, description = "The device already holds a passkey registered here (`passkey.already_registered`), or the ceremony expired or was used (`passkey.ceremony`)"),
        (status = 422, description = "The answer was refused: user not verified (`passkey.user_not_verified`), malformed, for another site; or a bad name"),
        (status = 403, description = SESSION_ONLY)))]
async fn register(
    State(s): State<ApiState>,
    EnrollingSession(who): EnrollingSession,
    client: Client,
    Json(b): Json<RegisterInput>,
) -> Result<(StatusCode, Out<PasskeyView>), ApiError> {
    passkeys::register(&s.app, &who, b, client.user_agent.as_deref())
        .await
        .map(|v| (StatusCode::CREATED, Out(v)))
        .map_err(as_api(&who))
}

/// Renames one of the caller's passkeys.
#[utoipa::path(patch, path = "/api/v1/account/passkeys/{id}", tag = "passkeys", request_body = RenameInput, security(("bearer" = [])),
    responses((status = 200, body = PasskeyView), (status = 404, description = "No such passkey of the caller's"),
        (status = 422, description = "Empty or too long name"), (status = 403, description = SESSION_ONLY)))]
async fn rename(
    State(s): State<ApiState>,
    Session(who): Session,
    Path(id): Path<String>,
    Json(b): Json<RenameInput>,
) -> Result<Out<PasskeyView>, ApiError> {
    passkeys::rename(&s.app, &who, &id, b)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Removes one of the caller's passkeys, with their password; a notice is e-mailed. Refused
/// when it is their last second factor and one of their roles requires one.
#[utoipa::path(post, path = "/api/v1/account/passkeys/{id}/remove", tag = "passkeys", request_body = PasswordInput, security(("bearer" = [])),
    responses((status = 204, description = "Removed"), (status = 404, description = "No such passkey of the caller's"),
        (status = 409, description = "The last second factor of someone whose role requires one (`passkey.required_by_role`)"),
        (status = 422, description = "Wrong password"), (status = 403, description = SESSION_ONLY)))]
async fn remove(
    State(s): State<ApiState>,
    Session(who): Session,
    Path(id): Path<String>,
    Json(b): Json<PasswordInput>,
) -> Result<StatusCode, ApiError> {
    passkeys::remove(&s.app, &who, &id, b)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(as_api(&who))
}

/// Removes all of someone's passkeys (a lost device). For those who may reset their
/// two-factor; audited, the person told.
#[utoipa::path(delete, path = "/api/v1/users/{id}/passkeys", tag = "passkeys", security(("bearer" = [])),
    responses((status = 204, description = "Passkeys removed"), (status = 409, description = "They had none (`passkey.none`)")))]
async fn reset(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    passkeys::reset(&s.app, &who, &id)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(as_api(&who))
}

/// Starts signing in with a passkey, no login typed: options for `navigator.credentials.get`
/// (the browser lets the person choose among the passkeys it holds for this site; with
/// `mediation: "conditional"` it offers them in the login field).
#[utoipa::path(post, path = "/api/v1/auth/passkey/options", tag = "passkeys", params(OrgQuery),
    responses((status = 200, body = CeremonyOptions),
        (status = 401, description = "An organisation that does not exist: the same answer as a failed sign-in (`unauthenticated`)"),
        (status = 409, description = "The server's public address has no domain name (`passkey.unavailable`)"),
        (status = 422, description = "Several organisations share this server and none is named with `?org=` (`org.required`)")))]
async fn sign_in_options(
    State(s): State<ApiState>,
    Query(q): Query<OrgQuery>,
) -> Result<Out<CeremonyOptions>, ApiError> {
    let org = s
        .app
        .org_for_visitor(q.org.as_deref())
        .await?
        .ok_or(sesame_app::Error::Unauthenticated("auth.failed"))?;
    sign_in::options(&s.app, &org)
        .await
        .map(Out)
        .map_err(|e| ApiError::from(e).in_language(org.language))
}

/// Finishes signing in with a passkey: answers a session as `POST /api/v1/auth/login` does
/// (token, cookie, device cookie). A passkey verifies the person: the session is a full
/// two-factor one.
#[utoipa::path(post, path = "/api/v1/auth/passkey", tag = "passkeys", request_body = SignInResponse,
    responses((status = 200, body = SignedIn),
        (status = 401, description = "Passkey not registered here (`passkey.unknown`), or account disabled"),
        (status = 409, description = "Ceremony expired or already used (`passkey.ceremony`)"),
        (status = 422, description = "Refused: user not verified, counter gone backwards (audited), malformed answer"),
        (status = 429, description = "Too many failed attempts: wait `Retry-After` seconds")))]
async fn sign_in_finish(
    State(s): State<ApiState>,
    client: Client,
    jar: CookieJar,
    Json(b): Json<SignInResponse>,
) -> Result<(CookieJar, session_cookie::device::Header, Out<SignedIn>), ApiError> {
    let origin = super::sign_in_steps::origin_of(&s, client, &jar);
    let signed = sign_in::finish(&s.app, b, origin).await?;
    Ok(super::sign_in_steps::opened(&s, jar, signed))
}
