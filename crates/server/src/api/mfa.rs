//! `/api/v1/account/mfa`: the caller's two-factor sign-in; `/api/v1/users/{id}/mfa`: resetting
//! someone's.

use super::as_api;
use crate::ApiState;
use crate::extract::{Auth, EnrollingSession, Json, Session};
use crate::problem::ApiError;
use axum::Json as Out;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sesame_app::grace::{self, ExtendInput, TwoFactorView};
use sesame_app::two_factor::{self, CodeInput, Enrolment, MfaStatus, PasswordInput, RecoveryCodes};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(status))
        .routes(routes!(start))
        .routes(routes!(confirm))
        .routes(routes!(disable))
        .routes(routes!(recovery_codes))
        .routes(routes!(reset))
        .routes(routes!(extend_grace))
}

/// Whether two-factor is on, required, and how many recovery codes are left.
#[utoipa::path(get, path = "/api/v1/account/mfa", tag = "two-factor", security(("bearer" = [])),
    responses((status = 200, body = MfaStatus), (status = 403, description = "Called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)")))]
async fn status(
    State(s): State<ApiState>,
    EnrollingSession(who): EnrollingSession,
) -> Result<Out<MfaStatus>, ApiError> {
    two_factor::status(&s.app, &who)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Starts enrolling an authenticator app: answers its secret, `otpauth://` link and QR code,
/// shown this once. Starting again replaces a pending enrolment.
#[utoipa::path(post, path = "/api/v1/account/mfa/totp", tag = "two-factor", security(("bearer" = [])),
    responses((status = 201, body = Enrolment), (status = 409, description = "Two-factor is already on"), (status = 403, description = "Called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)")))]
async fn start(
    State(s): State<ApiState>,
    EnrollingSession(who): EnrollingSession,
) -> Result<(StatusCode, Out<Enrolment>), ApiError> {
    two_factor::start(&s.app, &who)
        .await
        .map(|e| (StatusCode::CREATED, Out(e)))
        .map_err(as_api(&who))
}

/// Turns two-factor on with a first code from the app; answers ten recovery codes, shown this
/// once.
#[utoipa::path(post, path = "/api/v1/account/mfa/totp/confirm", tag = "two-factor", request_body = CodeInput, security(("bearer" = [])),
    responses((status = 200, body = RecoveryCodes), (status = 422, description = "Wrong or malformed code"), (status = 403, description = "Called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)")))]
async fn confirm(
    State(s): State<ApiState>,
    EnrollingSession(who): EnrollingSession,
    Json(b): Json<CodeInput>,
) -> Result<Out<RecoveryCodes>, ApiError> {
    two_factor::confirm(&s.app, &who, b)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Turns two-factor off, with the caller's password (refused when one of their roles requires
/// it).
#[utoipa::path(post, path = "/api/v1/account/mfa/totp/disable", tag = "two-factor", request_body = PasswordInput, security(("bearer" = [])),
    responses((status = 204, description = "Two-factor is off"), (status = 403, description = "Called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)")))]
async fn disable(
    State(s): State<ApiState>,
    Session(who): Session,
    Json(b): Json<PasswordInput>,
) -> Result<StatusCode, ApiError> {
    two_factor::disable(&s.app, &who, b)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(as_api(&who))
}

/// Replaces the recovery codes with ten new ones, with the caller's password.
#[utoipa::path(post, path = "/api/v1/account/mfa/recovery-codes", tag = "two-factor", request_body = PasswordInput, security(("bearer" = [])),
    responses((status = 200, body = RecoveryCodes), (status = 403, description = "Called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)")))]
async fn recovery_codes(
    State(s): State<ApiState>,
    Session(who): Session,
    Json(b): Json<PasswordInput>,
) -> Result<Out<RecoveryCodes>, ApiError> {
    two_factor::regenerate_recovery_codes(&s.app, &who, b)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Removes someone's two-factor (a lost phone): they sign in with their password and enrol
/// again. For those who may disable their account; audited.
#[utoipa::path(delete, path = "/api/v1/users/{id}/mfa", tag = "two-factor", security(("bearer" = [])),
    responses((status = 204, description = "Two-factor removed"), (status = 409, description = "Two-factor was not on")))]
async fn reset(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    two_factor::reset(&s.app, &who, &id)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(as_api(&who))
}

/// Extends the grace period of someone a role requires to use two-factor who has not turned it
/// on: `{"days": N}` (1–365) more from the current deadline (or from now once it has passed),
/// or `{"until": "YYYY-MM-DD"}`, the last day, in the organisation's time zone. For those who
/// may reset their two-factor; audited (`mfa.grace_extend`).
#[utoipa::path(post, path = "/api/v1/users/{id}/mfa/grace", tag = "two-factor", security(("bearer" = [])),
    request_body = ExtendInput,
    responses((status = 200, body = TwoFactorView), (status = 409, description = "No role requires two-factor of this person, or it is already on"), (status = 422, description = "Neither or both of `days` and `until`, or a value out of range")))]
async fn extend_grace(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
    Json(input): Json<ExtendInput>,
) -> Result<Out<TwoFactorView>, ApiError> {
    grace::extend(&s.app, &who, &id, input, sesame_app::time::now_ms())
        .await
        .map(Out)
        .map_err(as_api(&who))
}
