//! The routes of `/api/v1`, one module per resource.

mod access;
mod account;
mod audit;
mod contract;
mod groups;
pub(crate) mod imports;
mod mfa;
mod notifications;
mod outbox;
mod roles;
mod settings;
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
        .merge(users::routes())
        .merge(mfa::routes())
        .merge(groups::routes())
        .merge(roles::routes())
        .merge(settings::routes())
        .merge(audit::routes())
        .merge(access::routes())
        .merge(outbox::routes())
        .merge(imports::routes())
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
    let mut conn = state
        .app
        .store
        .read()
        .await
        .map_err(|e| ApiError::from(Error::from(e)))?;
    sqlx_ping(&mut conn).await?;
    Ok(AxumJson(serde_json::json!({ "status": "ok" })))
}

async fn sqlx_ping(conn: &mut sesame_store::Conn) -> Result<(), ApiError> {
    sesame_store::orgs::list(conn)
        .await
        .map(|_| ())
        .map_err(|e| ApiError::from(Error::from(e)))
}

/// Errors of an authenticated request speak the person's language when the request names none.
pub(crate) fn as_api(who: &Principal) -> impl Fn(Error) -> ApiError + '_ {
    move |e| ApiError::from(e).in_language(who.language())
}
