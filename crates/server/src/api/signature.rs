//! `/api/v1/account/signature`: the caller's e-mail signature, for holders of the permission
//! `email.signature`.

use super::as_api;
use crate::ApiState;
use crate::extract::{Json, Session};
use crate::problem::ApiError;
use axum::Json as Out;
use axum::extract::State;
use sesame_app::signature::{self, SignatureInput, SignatureView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(get_signature, put_signature))
}

/// The caller's signature (empty when none), as written and as it closes e-mails.
#[utoipa::path(get, path = "/api/v1/account/signature", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = SignatureView), (status = 403, description = "Without the permission email.signature, or called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)")))]
async fn get_signature(
    State(s): State<ApiState>,
    Session(who): Session,
) -> Result<Out<SignatureView>, ApiError> {
    signature::mine(&s.app, &who)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Sets the caller's signature: plain text, or HTML cleaned to p, br, b, strong, i, em, u and
/// links; an empty string removes it.
#[utoipa::path(put, path = "/api/v1/account/signature", tag = "account", request_body = SignatureInput, security(("bearer" = [])),
    responses((status = 200, body = SignatureView), (status = 403, description = "Without the permission email.signature, or called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)"), (status = 422, description = "Too long")))]
async fn put_signature(
    State(s): State<ApiState>,
    Session(who): Session,
    Json(b): Json<SignatureInput>,
) -> Result<Out<SignatureView>, ApiError> {
    signature::set(&s.app, &who, b)
        .await
        .map(Out)
        .map_err(as_api(&who))
}
