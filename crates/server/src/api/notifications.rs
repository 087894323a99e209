//! `/api/v1/notifications` and `/api/v1/account/notifications`: the alert types, the
//! organisation's defaults, one's own choices, and who should be alerted.

use super::as_api;
use crate::ApiState;
use crate::extract::{Auth, Json, Query, Session};
use crate::problem::ApiError;
use axum::Json as Out;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sesame_app::notifications::{
    self, AlertDefaults, AlertTypeInput, AlertTypeView, MyNotifications, MyNotificationsInput,
    RecipientPage, RecipientsQuery,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list_alerts, register_alert))
        .routes(routes!(get_defaults, put_defaults))
        .routes(routes!(recipients))
        .routes(routes!(get_mine, put_mine))
        .routes(routes!(get_of_user, put_of_user))
}

/// Every alert type: Sésame's own and those other applications registered.
#[utoipa::path(get, path = "/api/v1/notifications/alerts", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Vec<AlertTypeView>)))]
async fn list_alerts(
    State(s): State<ApiState>,
    Auth(who): Auth,
) -> Result<Out<Vec<AlertTypeView>>, ApiError> {
    notifications::list_alerts(&s.app, &who)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Registers an alert type of another application, or updates its labels (permission
/// `org.settings`).
#[utoipa::path(post, path = "/api/v1/notifications/alerts", tag = "notifications", request_body = AlertTypeInput, security(("bearer" = [])),
    responses((status = 201, body = AlertTypeView, description = "Registered"), (status = 200, body = AlertTypeView, description = "Already registered: labels updated"),
        (status = 403, description = "Without the permission org.settings"), (status = 422, description = "Invalid key or label")))]
async fn register_alert(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Json(b): Json<AlertTypeInput>,
) -> Result<(StatusCode, Out<AlertTypeView>), ApiError> {
    notifications::register(&s.app, &who, b)
        .await
        .map(|(v, new)| {
            let status = if new {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            (status, Out(v))
        })
        .map_err(as_api(&who))
}

/// The organisation's default for each alert type, for people who never chose.
#[utoipa::path(get, path = "/api/v1/notifications/defaults", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = AlertDefaults)))]
async fn get_defaults(
    State(s): State<ApiState>,
    Auth(who): Auth,
) -> Result<Out<AlertDefaults>, ApiError> {
    notifications::defaults(&s.app, &who)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Sets the defaults of the alert types listed (permission `org.settings`); answers them all.
#[utoipa::path(put, path = "/api/v1/notifications/defaults", tag = "notifications", request_body = AlertDefaults, security(("bearer" = [])),
    responses((status = 200, body = AlertDefaults), (status = 403, description = "Without the permission org.settings"), (status = 422, description = "Unknown alert type")))]
async fn put_defaults(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Json(b): Json<AlertDefaults>,
) -> Result<Out<AlertDefaults>, ApiError> {
    notifications::set_defaults(&s.app, &who, b)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Who should be alerted of an event (permission `users.view`): active people with an e-mail
/// address who want this alert — by their own choice, or by the organisation's default when
/// they never chose — and, with `group`, whose group filter is empty or holds that group. In
/// login order, by pages.
#[utoipa::path(get, path = "/api/v1/notifications/recipients", tag = "notifications", params(RecipientsQuery), security(("bearer" = [])),
    responses((status = 200, body = RecipientPage), (status = 403, description = "Without the permission users.view"), (status = 422, description = "Unknown alert type or group")))]
async fn recipients(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Query(q): Query<RecipientsQuery>,
) -> Result<Out<RecipientPage>, ApiError> {
    notifications::recipients(&s.app, &who, &q)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// The alerts the caller may receive, with their choice (or the organisation's default).
#[utoipa::path(get, path = "/api/v1/account/notifications", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = MyNotifications), (status = 403, description = "Called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)")))]
async fn get_mine(
    State(s): State<ApiState>,
    Session(who): Session,
) -> Result<Out<MyNotifications>, ApiError> {
    notifications::mine(&s.app, &who)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Opts in or out of the alerts listed, with a group filter where the type allows one; answers
/// every choice.
#[utoipa::path(put, path = "/api/v1/account/notifications", tag = "notifications", request_body = MyNotificationsInput, security(("bearer" = [])),
    responses((status = 200, body = MyNotifications), (status = 422, description = "Unknown alert type or group, or a group filter on a type that has none"), (status = 403, description = "Called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)")))]
async fn put_mine(
    State(s): State<ApiState>,
    Session(who): Session,
    Json(b): Json<MyNotificationsInput>,
) -> Result<Out<MyNotifications>, ApiError> {
    notifications::choose(&s.app, &who, b)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// The alerts a person may receive, with their choice (permission `users.view` over them, or
/// oneself), in the caller's language.
#[utoipa::path(get, path = "/api/v1/users/{id}/notifications", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = MyNotifications), (status = 403, description = "Without the permission users.view over this person"), (status = 404, description = "No such user")))]
async fn get_of_user(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Out<MyNotifications>, ApiError> {
    notifications::of_user(&s.app, &who, &id)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Sets a person's alerts, as [`put_mine`] does for oneself (permission `users.edit` over
/// them, and no right they hold that the caller lacks): only alert types that person may
/// receive, only the organisation's groups as a filter. The person is told by e-mail; the
/// change is audited (`notifications.update`). One's own, only with a signed-in session.
#[utoipa::path(put, path = "/api/v1/users/{id}/notifications", tag = "notifications", request_body = MyNotificationsInput, security(("bearer" = [])),
    responses((status = 200, body = MyNotifications), (status = 403, description = "Without the permission users.edit over this person"), (status = 404, description = "No such user"),
        (status = 422, description = "An alert type this person may not receive, an unknown group, or a group filter on a type that has none")))]
async fn put_of_user(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
    Json(b): Json<MyNotificationsInput>,
) -> Result<Out<MyNotifications>, ApiError> {
    notifications::choose_for(&s.app, &who, &id, b)
        .await
        .map(Out)
        .map_err(as_api(&who))
}
