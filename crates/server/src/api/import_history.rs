//! `/api/v1/imports` as a history: the imports of the last 90 days, and the undo of one.

use super::as_api;
use crate::ApiState;
use crate::extract::{Auth, Json};
use crate::problem::ApiError;
use axum::Json as Out;
use axum::extract::{Path, State};
use sesame_app::import::history::{self, ImportEntry};
use sesame_app::import::undo::{self, UndoReport, UndoRequest};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(undo_one))
}

/// The imports of the last 90 days, newest first: who ran them, when, from where, the file,
/// the options, the counts, the error file and whether each can be undone.
#[utoipa::path(get, path = "/api/v1/imports", tag = "import", security(("bearer" = [])),
    responses((status = 200, body = Vec<ImportEntry>), (status = 403, description = "No import permission")))]
async fn list(
    State(s): State<ApiState>,
    Auth(who): Auth,
) -> Result<Out<Vec<ImportEntry>>, ApiError> {
    history::list(&s.app, &who)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Undoes an applied import — the people it created deleted, the fields it changed put back,
/// the roles and memberships it gave taken back (and those it took back given again) — in one
/// transaction, audited once. With `dry_run`, only says what it would do. What changed since
/// (`signed_in`: someone it created has signed in; `edited_since`: a field it set was changed
/// again) is listed in `conflicts` and left as it is unless its kind is in `confirm`.
#[utoipa::path(post, path = "/api/v1/imports/{id}/undo", tag = "import", request_body = UndoRequest, security(("bearer" = [])),
    responses((status = 200, body = UndoReport),
        (status = 403, description = "No import permission, or not the import's rights over one of the people it touched"),
        (status = 404, description = "No such import"),
        (status = 409, description = "Already undone, or nothing to undo (a dry run, an import that saved nothing)"),
        (status = 422, description = "`confirm` holds something else than `signed_in` or `edited_since`")))]
async fn undo_one(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
    Json(b): Json<UndoRequest>,
) -> Result<Out<UndoReport>, ApiError> {
    undo::undo(&s.app, &who, &id, &b)
        .await
        .map(Out)
        .map_err(as_api(&who))
}
