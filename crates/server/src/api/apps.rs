//! `/api/v1/apps`: the organisation's applications (OpenID Connect clients), for those holding
//! `apps.manage`. A confidential client's secret is in the answer once, when it is made (on
//! creation, rotation, or a change to confidential); only its hash is kept.

use super::as_api;
use crate::ApiState;
use crate::extract::{Auth, Json};
use crate::problem::ApiError;
use axum::Json as Out;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sesame_app::apps::{self, AppInput, AppView, NewSecret, SavedApp};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, patch, delete))
        .routes(routes!(rotate_secret))
}

#[utoipa::path(get, path = "/api/v1/apps", tag = "apps", security(("bearer" = [])),
    responses((status = 200, body = Vec<AppView>), (status = 403, description = "Without the permission apps.manage")))]
async fn list(State(s): State<ApiState>, Auth(who): Auth) -> Result<Out<Vec<AppView>>, ApiError> {
    apps::list(&s.app, &who)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Registers an application. A confidential client (`public` false, the default) gets its
/// `client_secret` in this answer only.
#[utoipa::path(post, path = "/api/v1/apps", tag = "apps", request_body = AppInput, security(("bearer" = [])),
    responses((status = 201, body = SavedApp), (status = 409, description = "Name taken")))]
async fn create(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Json(b): Json<AppInput>,
) -> Result<(StatusCode, Out<SavedApp>), ApiError> {
    apps::create(&s.app, &who, b)
        .await
        .map(|a| (StatusCode::CREATED, Out(a)))
        .map_err(as_api(&who))
}

/// By client_id or by name.
#[utoipa::path(get, path = "/api/v1/apps/{id}", tag = "apps", security(("bearer" = [])), responses((status = 200, body = AppView)))]
async fn get_one(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Out<AppView>, ApiError> {
    apps::get(&s.app, &who, &id)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Changes the fields given. Made confidential, the application gets a secret, in this answer
/// only; made public, it loses its secret.
#[utoipa::path(patch, path = "/api/v1/apps/{id}", tag = "apps", request_body = AppInput, security(("bearer" = [])), responses((status = 200, body = SavedApp)))]
async fn patch(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
    Json(b): Json<AppInput>,
) -> Result<Out<SavedApp>, ApiError> {
    apps::update(&s.app, &who, &id, b)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Deletes the application; every code and token issued to it ends with it.
#[utoipa::path(delete, path = "/api/v1/apps/{id}", tag = "apps", security(("bearer" = [])), responses((status = 204, description = "Deleted")))]
async fn delete(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    apps::remove(&s.app, &who, &id)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(as_api(&who))
}

/// Gives a confidential client a new secret, in this answer only; the old one stops working.
#[utoipa::path(post, path = "/api/v1/apps/{id}/secret", tag = "apps", security(("bearer" = [])),
    responses((status = 200, body = NewSecret), (status = 409, description = "A public application has no secret (`app.public_no_secret`)")))]
async fn rotate_secret(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Out<NewSecret>, ApiError> {
    apps::rotate_secret(&s.app, &who, &id)
        .await
        .map(Out)
        .map_err(as_api(&who))
}
