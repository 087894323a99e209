//! `/api/v1/users`.

use super::as_api;
use crate::ApiState;
use crate::extract::{Auth, Json, Query};
use crate::problem::ApiError;
use axum::Json as Out;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use sesame_app::users::{self, ListQuery, NewUser, UserChanges, UserPage, UserView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, patch, delete))
        .routes(routes!(disable))
        .routes(routes!(enable))
        .routes(routes!(list_sessions, end_sessions))
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(ListQuery), security(("bearer" = [])),
    responses((status = 200, body = UserPage), (status = 401, description = "Not signed in"), (status = 403, description = "No right to view users")))]
async fn list(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Query(q): Query<ListQuery>,
) -> Result<Out<UserPage>, ApiError> {
    users::list(&s.app, &who, &q)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUser, security(("bearer" = [])),
    responses((status = 201, body = UserView), (status = 409, description = "E-mail or login taken"), (status = 422, description = "Invalid fields")))]
async fn create(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Json(new): Json<NewUser>,
) -> Result<impl IntoResponse, ApiError> {
    let view = users::create(&s.app, &who, new, None)
        .await
        .map_err(as_api(&who))?;
    let location = format!("/api/v1/users/{}", view.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Out(view),
    ))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 404, description = "No such user")))]
async fn get_one(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Out<UserView>, ApiError> {
    users::get(&s.app, &who, &id)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", request_body = UserChanges, security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 409, description = "Taken, or refused by a rule"), (status = 422, description = "Invalid fields")))]
async fn patch(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
    Json(changes): Json<UserChanges>,
) -> Result<Out<UserView>, ApiError> {
    users::update(&s.app, &who, &id, changes)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Deletes by anonymising: personal data is removed, the audit trail stays.
#[utoipa::path(delete, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])),
    responses((status = 204, description = "Deleted"), (status = 409, description = "Last administrator, or oneself")))]
async fn delete(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    users::delete(&s.app, &who, &id)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(as_api(&who))
}

/// Disables the account and ends its sessions.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 409, description = "Last administrator, or oneself")))]
async fn disable(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Out<UserView>, ApiError> {
    users::disable(&s.app, &who, &id)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/enable", tag = "users", security(("bearer" = [])), responses((status = 200, body = UserView)))]
async fn enable(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Out<UserView>, ApiError> {
    users::enable(&s.app, &who, &id)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Someone's open sessions, for those who may disable their account.
#[utoipa::path(get, path = "/api/v1/users/{id}/sessions", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = Vec<sesame_app::auth::sessions::SessionView>)))]
async fn list_sessions(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Out<Vec<sesame_app::auth::sessions::SessionView>>, ApiError> {
    sesame_app::auth::sessions::list_of(&s.app, &who, &id)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Signs someone out everywhere: ends all their sessions (their API tokens stay). Audited.
#[utoipa::path(delete, path = "/api/v1/users/{id}/sessions", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = super::account::Ended)))]
async fn end_sessions(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Out<super::account::Ended>, ApiError> {
    sesame_app::auth::sessions::end_all_of(&s.app, &who, &id)
        .await
        .map(|ended| Out(super::account::Ended { ended }))
        .map_err(as_api(&who))
}
