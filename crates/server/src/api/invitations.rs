//! `/api/v1/invitations`: everyone invited and not yet active, with their invitation (when, by
//! whom, its link, its reminders, how its e-mail fared), and sending new ones (issue 23).

use super::as_api;
use crate::ApiState;
use crate::extract::{Auth, Json, Query};
use crate::problem::ApiError;
use axum::Json as Out;
use axum::extract::State;
use sesame_app::invitations::{self, InvitationPage, InvitationsQuery, ResendInput, ResendReport};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(resend))
}

/// Everyone invited and not yet active whom the caller may follow (those they may send access
/// to: organisation-wide, or within their groups), by login, with the counts of each state:
/// `pending`, `expired`, `failed` (the mail server refused the last e-mail, with its answer),
/// `not_sent`.
#[utoipa::path(get, path = "/api/v1/invitations", tag = "access", security(("bearer" = [])), params(InvitationsQuery),
    responses((status = 200, body = InvitationPage), (status = 403, description = "No invite permission")))]
async fn list(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Query(q): Query<InvitationsQuery>,
) -> Result<Out<InvitationPage>, ApiError> {
    invitations::list(&s.app, &who, &q, sesame_app::time::now_ms())
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Sends a new invitation — a fresh link; the one sent before stops working — to the people
/// named (`ids`), or to everyone invited in a state (`select`: `all`, `expired`, `failed`,
/// `not_sent`). Those the caller may not invite, without an address, or whose address already
/// had its e-mails of the hour are listed in `skipped` with why. Audited per person.
#[utoipa::path(post, path = "/api/v1/invitations/resend", tag = "access", security(("bearer" = [])),
    request_body = ResendInput,
    responses((status = 200, body = ResendReport), (status = 403, description = "No invite permission")))]
async fn resend(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Json(input): Json<ResendInput>,
) -> Result<Out<ResendReport>, ApiError> {
    invitations::resend(&s.app, &who, input, sesame_app::time::now_ms())
        .await
        .map(Out)
        .map_err(as_api(&who))
}
