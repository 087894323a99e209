//! The routes of `/api/v1`, one module per resource.

mod access;
mod account;
mod apps;
mod audit;
mod contract;
mod groups;
mod import_history;
pub(crate) mod imports;
mod invitations;
mod mfa;
mod notifications;
mod outbox;
mod passkeys;
mod roles;
mod settings;
mod sign_in_steps;
mod signature;
mod users;

use crate::ApiState;
use crate::problem::ApiError;
use axum::Json as AxumJson;
use axum::extract::State;
use sesame_app::{Error, Principal};
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .merge(account::routes())
        .merge(sign_in_steps::routes())
        .merge(users::routes())
        .merge(mfa::routes())
        .merge(passkeys::routes())
        .merge(groups::routes())
        .merge(apps::routes())
        .merge(roles::routes())
        .merge(settings::routes())
        .merge(audit::routes())
        .merge(access::routes())
        .merge(invitations::routes())
        .merge(outbox::routes())
        .merge(imports::routes())
        .merge(import_history::routes())
        .merge(notifications::routes())
        .merge(signature::routes())
}

pub(crate) fn document(mut doc: OpenApi) -> OpenApi {
    doc.info.title = "Sésame".into();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    doc.info.description = Some(
        "User accounts, roles and groups for associations and small organisations. Errors are application/problem+json \
         (RFC 9457) with a list of {field, code, message}; messages follow Accept-Language (fr, en)."
            .into(),
    );
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    contract::complete(&mut doc);
    doc
}

/// `GET /api/v1/openapi.json` (routed in [`crate::router`], outside the document it serves).
pub(crate) async fn openapi(State(state): State<ApiState>) -> impl axum::response::IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        state.openapi.as_str().to_owned(),
    )
}

/// `GET /healthz`: the service answers and its database too.
pub(crate) async fn health(
    State(state): State<ApiState>,
) -> Result<AxumJson<serde_json::Value>, ApiError> {
    state.app.health().await.map_err(ApiError::from)?;
    Ok(AxumJson(serde_json::json!({ "status": "ok" })))
}

/// A file to download, as an attachment under its name.
pub(crate) fn download(file: sesame_app::download::Download) -> axum::response::Response {
    use axum::http::{HeaderValue, StatusCode, header};
    use axum::response::IntoResponse;
    let mut res = (StatusCode::OK, file.bytes).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file.file_name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// Errors of an authenticated request speak the person's language when the request names none.
pub(crate) fn as_api(who: &Principal) -> impl Fn(Error) -> ApiError + '_ {
    move |e| ApiError::from(e).in_language(who.language())
}
