//! `/api/v1/account/signature`: the caller's e-mail signature, for holders of the permission
//! `email.signature`; `/api/v1/users/{id}/signature`: someone else's, for whoever may edit them.

use super::as_api;
use crate::ApiState;
use crate::extract::{Auth, Json, Session};
use crate::problem::ApiError;
use axum::Json as Out;
use axum::extract::{Path, State};
use sesame_app::signature::{self, SignatureInput, SignatureView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(get_signature, put_signature))
        .routes(routes!(get_of_user, put_of_user))
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

/// A person's signature (permission `users.view` over them); 403 `permission.subject_lacks`
/// when their roles allow none.
#[utoipa::path(get, path = "/api/v1/users/{id}/signature", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = SignatureView), (status = 403, description = "Without the permission users.view over this person, or their roles allow no signature"), (status = 404, description = "No such user")))]
async fn get_of_user(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Out<SignatureView>, ApiError> {
    signature::of_user(&s.app, &who, &id)
        .await
        .and_then(|v| {
            v.ok_or(sesame_app::Error::Denied(
                sesame_core::policy::Denied::SubjectLacks(sesame_core::Permission::EmailSignature),
            ))
        })
        .map(Out)
        .map_err(as_api(&who))
}

/// Sets a person's signature, as `/api/v1/account/signature` does for oneself (permission
/// `users.edit` over them, no right they hold that the caller lacks, and their roles allow a
/// signature). The person is told by e-mail; the change is audited (`signature.update`).
#[utoipa::path(put, path = "/api/v1/users/{id}/signature", tag = "users", request_body = SignatureInput, security(("bearer" = [])),
    responses((status = 200, body = SignatureView), (status = 403, description = "Without the permission users.edit over this person, or their roles allow no signature"), (status = 404, description = "No such user"), (status = 422, description = "Too long")))]
async fn put_of_user(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
    Json(b): Json<SignatureInput>,
) -> Result<Out<SignatureView>, ApiError> {
    signature::set_for(&s.app, &who, &id, b)
        .await
        .map(Out)
        .map_err(as_api(&who))
}
