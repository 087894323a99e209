//! `/api/v1/outbox`: the e-mails Sésame sends, their state, and resending one.

use super::as_api;
use crate::ApiState;
use crate::extract::{Auth, Query};
use crate::problem::ApiError;
use axum::Json as Out;
use axum::extract::{Path, State};
use sesame_app::outbox::{self, OutboxMessage, OutboxPage, OutboxQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get_one))
        .routes(routes!(resend))
}

/// The organisation's e-mails, newest first, with their state: `queued` (waiting, or waiting to
/// be retried), `sent`, or `failed` with the reason. For those who change the settings.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "outbox", security(("bearer" = [])), params(OutboxQuery),
    responses((status = 200, body = OutboxPage), (status = 403, description = "No settings permission")))]
async fn list(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Query(q): Query<OutboxQuery>,
) -> Result<Out<OutboxPage>, ApiError> {
    outbox::list(&s.app, &who, &q)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// One e-mail and its state.
#[utoipa::path(get, path = "/api/v1/outbox/{id}", tag = "outbox", security(("bearer" = [])),
    responses((status = 200, body = OutboxMessage), (status = 404, description = "No such message"),
        (status = 429, description = "Its address already received the most e-mails sent one at a time within the hour (`recipient-limit`): `Retry-After` says when to send again")))]
async fn get_one(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Out<OutboxMessage>, ApiError> {
    outbox::get(&s.app, &who, &id)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Sends an e-mail again (a failed one, or one that did not arrive). A message with a link
/// carries a new link, and the one sent before stops working.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/resend", tag = "outbox", security(("bearer" = [])),
    responses((status = 200, body = OutboxMessage), (status = 404, description = "No such message"),
        (status = 429, description = "Its address already received the most e-mails sent one at a time within the hour (`recipient-limit`): `Retry-After` says when to send again")))]
async fn resend(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Out<OutboxMessage>, ApiError> {
    outbox::resend(&s.app, &who, &id)
        .await
        .map(Out)
        .map_err(as_api(&who))
}
