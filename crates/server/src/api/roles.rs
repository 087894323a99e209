//! `/api/v1/roles` and `/api/v1/permissions`.

use super::as_api;
use crate::ApiState;
use crate::extract::{Auth, Json};
use crate::problem::ApiError;
use axum::Json as Out;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sesame_app::roles::{self, RoleInput, RoleView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(patch, delete))
        .routes(routes!(permissions))
}

#[utoipa::path(get, path = "/api/v1/roles", tag = "roles", security(("bearer" = [])), responses((status = 200, body = Vec<RoleView>)))]
async fn list(State(s): State<ApiState>, Auth(who): Auth) -> Result<Out<Vec<RoleView>>, ApiError> {
    roles::list(&s.app, &who)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// A custom role: only with permissions one holds organisation-wide.
#[utoipa::path(post, path = "/api/v1/roles", tag = "roles", request_body = RoleInput, security(("bearer" = [])), responses((status = 201, body = RoleView)))]
async fn create(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Json(b): Json<RoleInput>,
) -> Result<(StatusCode, Out<RoleView>), ApiError> {
    roles::create(&s.app, &who, b)
        .await
        .map(|r| (StatusCode::CREATED, Out(r)))
        .map_err(as_api(&who))
}

#[utoipa::path(patch, path = "/api/v1/roles/{id}", tag = "roles", request_body = RoleInput, security(("bearer" = [])), responses((status = 200, body = RoleView)))]
async fn patch(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
    Json(b): Json<RoleInput>,
) -> Result<Out<RoleView>, ApiError> {
    roles::update(&s.app, &who, &id, b)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Deletes the role and every assignment of it.
#[utoipa::path(delete, path = "/api/v1/roles/{id}", tag = "roles", security(("bearer" = [])), responses((status = 204, description = "Deleted")))]
async fn delete(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    roles::delete(&s.app, &who, &id)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(as_api(&who))
}

/// Every permission code a role may carry.
#[utoipa::path(get, path = "/api/v1/permissions", tag = "roles", security(("bearer" = [])), responses((status = 200, body = Vec<String>)))]
async fn permissions(Auth(_who): Auth) -> Out<Vec<&'static str>> {
    Out(roles::permissions())
}
