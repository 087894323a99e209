//! `/api/v1/audit`: the audit log, newest first.

use super::as_api;
use crate::ApiState;
use crate::extract::{Auth, Query};
use crate::problem::ApiError;
use axum::Json as Out;
use axum::extract::State;
use sesame_app::audit::{self, AuditPage, AuditQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(list))
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery), security(("bearer" = [])), responses((status = 200, body = AuditPage)))]
async fn list(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Query(q): Query<AuditQuery>,
) -> Result<Out<AuditPage>, ApiError> {
    audit::list(&s.app, &who, &q)
        .await
        .map(Out)
        .map_err(as_api(&who))
}
