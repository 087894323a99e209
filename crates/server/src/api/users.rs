//! `/api/v1/users`.

use super::as_api;
use crate::ApiState;
use crate::extract::{Auth, Json, Query};
use crate::problem::ApiError;
use axum::Json as Out;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use sesame_app::patch::Patch;
use sesame_app::users::check::RawFields;
use sesame_app::users::{self, ListQuery, NewUser, RoleInGroup, UserChanges, UserPage, UserView};
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

/// A new user. Which fields are required is an organisation setting; a missing login is
/// suggested from the names (`prenom.nom`).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// Lowercase letters, digits, `.`, `-`, `_`; suggested when absent.
    pub login: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// National (`06 12 34 56 78`, `(514) 555-1234`) or international format.
    pub phone: Option<String>,
    /// `fr` or `en`; the organisation's by default.
    pub language: Option<String>,
    pub address_line: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    #[serde(default)]
    pub roles: Vec<RoleInGroup>,
    /// Names of groups to join.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Send the invitation e-mail.
    #[serde(default)]
    pub send_invitation: bool,
}

/// Changes to a user: absent fields stay, `null` or `""` clears an optional one. `roles` and
/// `groups`, when given, replace the current ones.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchUser {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub login: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub email: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub first_name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub last_name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub phone: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub language: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub address_line: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub postal_code: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub city: Patch<String>,
    pub roles: Option<Vec<RoleInGroup>>,
    pub groups: Option<Vec<String>>,
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

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = CreateUser, security(("bearer" = [])),
    responses((status = 201, body = UserView), (status = 409, description = "E-mail or login taken"), (status = 422, description = "Invalid fields")))]
async fn create(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Json(b): Json<CreateUser>,
) -> Result<impl IntoResponse, ApiError> {
    let new = NewUser {
        fields: RawFields {
            login: b.login.into(),
            email: b.email.into(),
            first_name: b.first_name.into(),
            last_name: b.last_name.into(),
            phone: b.phone.into(),
            language: b.language.into(),
            address_line: b.address_line.into(),
            postal_code: b.postal_code.into(),
            city: b.city.into(),
        },
        roles: b.roles,
        groups: b.groups,
        send_invitation: b.send_invitation,
    };
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

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", request_body = PatchUser, security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 409, description = "Taken, or refused by a rule"), (status = 422, description = "Invalid fields")))]
async fn patch(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
    Json(b): Json<PatchUser>,
) -> Result<Out<UserView>, ApiError> {
    let changes = UserChanges {
        fields: RawFields {
            login: b.login,
            email: b.email,
            first_name: b.first_name,
            last_name: b.last_name,
            phone: b.phone,
            language: b.language,
            address_line: b.address_line,
            postal_code: b.postal_code,
            city: b.city,
        },
        roles: b.roles,
        groups: b.groups,
        access: None,
    };
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
