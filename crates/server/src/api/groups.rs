//! `/api/v1/groups`.

use super::as_api;
use crate::ApiState;
use crate::extract::{Auth, Json};
use crate::problem::ApiError;
use axum::Json as Out;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sesame_app::groups::{self, GroupInput, GroupView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, patch, delete))
        .routes(routes!(add_member, remove_member))
}

#[utoipa::path(get, path = "/api/v1/groups", tag = "groups", security(("bearer" = [])), responses((status = 200, body = Vec<GroupView>)))]
async fn list(State(s): State<ApiState>, Auth(who): Auth) -> Result<Out<Vec<GroupView>>, ApiError> {
    groups::list(&s.app, &who)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

#[utoipa::path(post, path = "/api/v1/groups", tag = "groups", request_body = GroupInput, security(("bearer" = [])),
    responses((status = 201, body = GroupView), (status = 409, description = "Name taken")))]
async fn create(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Json(b): Json<GroupInput>,
) -> Result<(StatusCode, Out<GroupView>), ApiError> {
    groups::create(&s.app, &who, b)
        .await
        .map(|g| (StatusCode::CREATED, Out(g)))
        .map_err(as_api(&who))
}

/// By id or by name.
#[utoipa::path(get, path = "/api/v1/groups/{id}", tag = "groups", security(("bearer" = [])), responses((status = 200, body = GroupView)))]
async fn get_one(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Out<GroupView>, ApiError> {
    groups::find(&s.app, &who, &id)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

#[utoipa::path(patch, path = "/api/v1/groups/{id}", tag = "groups", request_body = GroupInput, security(("bearer" = [])), responses((status = 200, body = GroupView)))]
async fn patch(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
    Json(b): Json<GroupInput>,
) -> Result<Out<GroupView>, ApiError> {
    groups::update(&s.app, &who, &id, b)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Deletes the group, its memberships and the roles held within it.
#[utoipa::path(delete, path = "/api/v1/groups/{id}", tag = "groups", security(("bearer" = [])), responses((status = 204, description = "Deleted")))]
async fn delete(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    groups::delete(&s.app, &who, &id)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(as_api(&who))
}

#[utoipa::path(put, path = "/api/v1/groups/{id}/members/{user_id}", tag = "groups", security(("bearer" = [])), responses((status = 204, description = "Member")))]
async fn add_member(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path((id, user_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    groups::set_member(&s.app, &who, &id, &user_id, true)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(as_api(&who))
}

/// Removes the member and the roles they held within the group.
#[utoipa::path(delete, path = "/api/v1/groups/{id}/members/{user_id}", tag = "groups", security(("bearer" = [])), responses((status = 204, description = "Not a member"), (status = 403, description = "No right to manage groups, or to take back a role the person holds within this group")))]
async fn remove_member(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path((id, user_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    groups::set_member(&s.app, &who, &id, &user_id, false)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(as_api(&who))
}
