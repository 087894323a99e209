//! Signing in in two steps, for clients that offer a passkey as the second factor (or that do
//! not want to send the password twice): `POST /api/v1/auth/login/password` checks the login
//! and password and, for someone enrolled in two-factor, answers a ticket instead of a session;
//! the ticket is then finished with a code (`/auth/login/code`) or one of the person's passkeys
//! (`/auth/login/passkey/options`, then `/auth/login/passkey`). The pages' sign-in is the same
//! two steps, with the ticket in a cookie. `POST /api/v1/auth/login` stays the one-step
//! sign-in (password and code together).

use crate::extract::{Client, Json, Query};
use crate::problem::ApiError;
use crate::{ApiState, session_cookie};
use axum::Json as Out;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sesame_app::auth::sign_in::{self, Origin, SecondFactors, Step};
use sesame_app::auth::{self, SignedIn};
use sesame_app::passkeys::CeremonyOptions;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::account::OrgQuery;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(password_step))
        .routes(routes!(code_step))
        .routes(routes!(passkey_options))
        .routes(routes!(passkey_step))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordStepInput {
    /// Login or e-mail address.
    pub login: String,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

/// The password was right and the person uses two-factor: finish with the ticket.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SecondFactorStep {
    /// For `/api/v1/auth/login/code` or `/api/v1/auth/login/passkey`: good for this one
    /// sign-in, five minutes. Shown once.
    pub ticket: String,
    /// When the ticket expires (RFC 3339).
    pub expires_at: String,
    /// What the person may finish with.
    pub second_factors: SecondFactors,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeStepInput {
    /// The ticket of `/api/v1/auth/login/password`.
    #[schema(value_type = String, format = Password)]
    pub ticket: SecretString,
    /// Six digits from the authenticator app, or one of the recovery codes.
    #[schema(value_type = String, format = Password)]
    pub code: SecretString,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketInput {
    /// The ticket of `/api/v1/auth/login/password`.
    #[schema(value_type = String, format = Password)]
    pub ticket: SecretString,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasskeyStepInput {
    /// The ticket of `/api/v1/auth/login/password`.
    #[schema(value_type = String, format = Password)]
    pub ticket: SecretString,
    /// The `ceremony` of `/api/v1/auth/login/passkey/options`.
    pub ceremony: String,
    /// `PublicKeyCredential.toJSON()` of what `navigator.credentials.get` answered.
    #[schema(value_type = Object)]
    pub credential: serde_json::Value,
}

/// Where a sign-in comes from: the client, and the device cookie it sent.
pub(super) fn origin_of(s: &ApiState, client: Client, jar: &CookieJar) -> Origin {
    Origin {
        source: client.source,
        user_agent: client.user_agent,
        device: session_cookie::device::sent(jar, s.secure_cookies),
    }
}

/// A session opened, as every sign-in of the API answers it: its token in the body and as a
/// cookie, and the device cookie.
pub(super) fn opened(
    s: &ApiState,
    jar: CookieJar,
    mut signed: SignedIn,
) -> (CookieJar, session_cookie::device::Header, Out<SignedIn>) {
    let cookie = session_cookie::set(
        &signed.token,
        s.secure_cookies,
        auth::SESSION_LIFETIME_MS / 1000,
    );
    let device = session_cookie::device::header(signed.device_cookie.take(), s.secure_cookies);
    (jar.add(cookie), device, Out(signed))
}

/// First step: login and password. Someone without two-factor is signed in at once (200, as
/// `POST /api/v1/auth/login`); someone with it gets a ticket and what they may finish with
/// (202).
#[utoipa::path(post, path = "/api/v1/auth/login/password", tag = "account", params(OrgQuery), request_body = PasswordStepInput,
    responses((status = 200, body = SignedIn, description = "No two-factor: signed in"),
        (status = 202, body = SecondFactorStep, description = "Two-factor: finish with the ticket"),
        (status = 401, description = "Wrong login or password, or an organisation that does not exist: the same answer (`unauthenticated`)"),
        (status = 422, description = "Several organisations share this server and none is named with `?org=` (`org.required`), or a field too long"),
        (status = 429, description = "Too many failed attempts: wait `Retry-After` seconds"),
        (status = 503, description = "Too many sign-ins at once for the server's password hashing: try again after `Retry-After` seconds")))]
async fn password_step(
    State(s): State<ApiState>,
    client: Client,
    Query(q): Query<OrgQuery>,
    jar: CookieJar,
    Json(b): Json<PasswordStepInput>,
) -> Result<Response, ApiError> {
    let origin = origin_of(&s, client, &jar);
    let Some(org) = s.app.org_for_visitor(q.org.as_deref()).await? else {
        // Answered as a wrong password: which organisations exist is never told.
        let named = q.org.as_deref().unwrap_or_default();
        return Err(
            sign_in::refuse_unknown_org(&s.app, named, &b.login, b.password, &origin)
                .await
                .into(),
        );
    };
    let language = org.language;
    let in_language = |e: sesame_app::Error| match q.org {
        // The organisation's language only when none was named (see `login`).
        None => ApiError::from(e).in_language(language),
        Some(_) => ApiError::from(e),
    };
    let now = sesame_app::time::now_ms();
    match sign_in::begin(&s.app, &org, &b.login, b.password, origin).await {
        Ok(Step::SignedIn(signed)) => Ok(opened(&s, jar, *signed).into_response()),
        Ok(Step::CodeNeeded(ticket)) => {
            let second_factors = sign_in::second_factors(&s.app, ticket.expose_secret())
                .await
                .map_err(in_language)?;
            let step = SecondFactorStep {
                ticket: ticket.expose_secret().to_string(),
                expires_at: sesame_app::time::rfc3339(now + sign_in::CODE_STEP_MS),
                second_factors,
            };
            Ok((StatusCode::ACCEPTED, Out(step)).into_response())
        }
        Err(e) => Err(in_language(e)),
    }
}

/// Second step with a code from the authenticator app or a recovery code. A wrong code counts
/// as a failed sign-in; the ticket stays good until it expires, so that it can be typed again.
#[utoipa::path(post, path = "/api/v1/auth/login/code", tag = "account", request_body = CodeStepInput,
    responses((status = 200, body = SignedIn),
        (status = 401, description = "Ticket unknown, used or expired (`auth.code_step_expired`: start again with the password), or the code is wrong (type `urn:sesame:problem:mfa-required`)"),
        (status = 422, description = "A field malformed"),
        (status = 429, description = "Too many failed attempts: wait `Retry-After` seconds")))]
async fn code_step(
    State(s): State<ApiState>,
    client: Client,
    jar: CookieJar,
    Json(b): Json<CodeStepInput>,
) -> Result<Response, ApiError> {
    let origin = origin_of(&s, client, &jar);
    let signed = sign_in::finish(&s.app, b.ticket.expose_secret(), b.code, origin).await?;
    Ok(opened(&s, jar, signed).into_response())
}

/// Second step with a passkey: options for `navigator.credentials.get`, among the person's
/// passkeys.
#[utoipa::path(post, path = "/api/v1/auth/login/passkey/options", tag = "passkeys", request_body = TicketInput,
    responses((status = 200, body = CeremonyOptions),
        (status = 401, description = "Ticket unknown, used or expired (`auth.code_step_expired`), or the person has no passkey (`passkey.none_for_sign_in`)"),
        (status = 409, description = "The server's public address has no domain name (`passkey.unavailable`)"),
        (status = 422, description = "A field malformed")))]
async fn passkey_options(
    State(s): State<ApiState>,
    Json(b): Json<TicketInput>,
) -> Result<Out<CeremonyOptions>, ApiError> {
    let options =
        sesame_app::passkeys::sign_in::second_factor_options(&s.app, b.ticket.expose_secret())
            .await?;
    Ok(Out(options))
}

/// Second step with a passkey: the browser's answer. Signs in as a code would; the session's
/// `amr` says password and passkey.
#[utoipa::path(post, path = "/api/v1/auth/login/passkey", tag = "passkeys", request_body = PasskeyStepInput,
    responses((status = 200, body = SignedIn),
        (status = 401, description = "Ticket unknown, used or expired (`auth.code_step_expired`), or a passkey that is not one of the person's (`passkey.unknown`)"),
        (status = 409, description = "Ceremony expired, used, or not this ticket's (`passkey.ceremony`)"),
        (status = 422, description = "Refused: user not verified, counter gone backwards (audited), malformed answer"),
        (status = 429, description = "Too many failed attempts: wait `Retry-After` seconds")))]
async fn passkey_step(
    State(s): State<ApiState>,
    client: Client,
    jar: CookieJar,
    Json(b): Json<PasskeyStepInput>,
) -> Result<Response, ApiError> {
    let origin = origin_of(&s, client, &jar);
    let input = sesame_app::passkeys::sign_in::SignInResponse {
        ceremony: b.ceremony,
        credential: b.credential,
    };
    let signed = sesame_app::passkeys::sign_in::finish_second_factor(
        &s.app,
        b.ticket.expose_secret(),
        input,
        origin,
    )
    .await?;
    Ok(opened(&s, jar, signed).into_response())
}
