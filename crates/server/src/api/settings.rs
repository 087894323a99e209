//! `/api/v1/settings`: the organisation's settings.

use super::as_api;
use crate::ApiState;
use crate::extract::{Auth, Json};
use crate::problem::ApiError;
use axum::Json as Out;
use axum::extract::State;
use sesame_app::settings::{self, SettingsInput, SettingsView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(get_settings, patch_settings))
}

#[utoipa::path(get, path = "/api/v1/settings", tag = "settings", security(("bearer" = [])), responses((status = 200, body = SettingsView)))]
async fn get_settings(
    State(s): State<ApiState>,
    Auth(who): Auth,
) -> Result<Out<SettingsView>, ApiError> {
    settings::get(&s.app, &who.org)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

#[utoipa::path(patch, path = "/api/v1/settings", tag = "settings", request_body = SettingsInput, security(("bearer" = [])), responses((status = 200, body = SettingsView)))]
async fn patch_settings(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Json(b): Json<SettingsInput>,
) -> Result<Out<SettingsView>, ApiError> {
    settings::update(&s.app, &who, b)
        .await
        .map(Out)
        .map_err(as_api(&who))
}
