//! `/api/v1/audit`: the audit log, newest first.

use super::as_api;
use crate::ApiState;
use crate::extract::{Auth, Query};
use crate::problem::ApiError;
use axum::Json as Out;
use axum::extract::State;
use serde::Deserialize;
use sesame_app::audit::{self, AuditPage};
use sesame_app::time::parse_rfc3339;
use sesame_core::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(list))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Id of the user who acted.
    pub actor: Option<String>,
    /// Id of the user (or group, role) acted upon.
    pub target: Option<String>,
    /// An action (`user.create`) or a family (`user.`).
    pub action: Option<String>,
    /// From this time on (RFC 3339 or YYYY-MM-DD, UTC).
    pub since: Option<String>,
    /// Before this time.
    pub until: Option<String>,
    /// 1–500, 50 by default.
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery), security(("bearer" = [])), responses((status = 200, body = AuditPage)))]
async fn list(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Query(q): Query<AuditQuery>,
) -> Result<Out<AuditPage>, ApiError> {
    let mut errors = Vec::new();
    let mut time = |name: &str, v: &Option<String>| match v.as_deref().filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => parse_rfc3339(t).or_else(|| {
            errors.push(
                FieldError::new(name, "request.bad_query")
                    .with("detail", format!("{name}: YYYY-MM-DD or RFC 3339")),
            );
            None
        }),
    };
    let since = time("since", &q.since);
    let until = time("until", &q.until);
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        errors.push(
            FieldError::new("limit", "limit.range")
                .with("min", "1")
                .with("max", "500"),
        );
    }
    if !errors.is_empty() {
        return Err(as_api(&who)(sesame_app::Error::Invalid(errors)));
    }
    let filter = sesame_store::audit::Filter {
        actor_id: q.actor,
        target_id: q.target,
        action: q.action,
        since,
        until,
        before_id: q.cursor.filter(|c| !c.is_empty()),
        limit,
    };
    audit::list(&s.app, &who, filter)
        .await
        .map(Out)
        .map_err(as_api(&who))
}
