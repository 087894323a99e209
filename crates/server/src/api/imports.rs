//! Spreadsheets over HTTP: the template and the export to download, imports as jobs (upload,
//! poll, download the error file).

use super::as_api;
use crate::ApiState;
use crate::extract::{Auth, Query};
use crate::problem::ApiError;
use crate::upload::{UploadBody, UploadForm, UploadedFile};
use axum::Json as Out;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use sesame_app::download::{Format, format_of};
use sesame_app::import::jobs::{self, ImportJob};
use sesame_app::import::{Options, files};
use sesame_app::{Error, Principal};
use sesame_core::{FieldError, Language};
use std::time::Duration;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// How long an upload's answer waits, at most, for its import to finish before answering 202
/// (the form's `wait` field may ask for less).
const WAIT: Duration = Duration::from_secs(10);

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(template))
        .routes(routes!(export))
        .routes(routes!(upload))
        .routes(routes!(get_one))
        .routes(routes!(errors))
        .layer(DefaultBodyLimit::max(sesame_app::import::MAX_UPLOAD))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct FileQuery {
    /// `xlsx` (default), `ods` or `csv`.
    pub format: Option<String>,
    /// `fr` or `en` (default: the organisation's).
    pub lang: Option<String>,
}

fn language_of(raw: Option<&str>, who: &Principal) -> Result<Language, Error> {
    match raw.map(str::trim).filter(|l| !l.is_empty()) {
        None => Ok(who.org.language),
        Some(l) => Language::parse(l).map_err(|e| Error::Invalid(vec![e.on("lang")])),
    }
}

async fn workbook(
    s: &ApiState,
    who: &Principal,
    q: &FileQuery,
    template: bool,
) -> Result<Response, Error> {
    let format =
        format_of("format", q.format.as_deref(), Some(Format::Xlsx))?.unwrap_or(Format::Xlsx);
    let lang = language_of(q.lang.as_deref(), who)?;
    let file = files::workbook_file(&s.app, who, lang, format, template).await?;
    Ok(super::download(file))
}

/// The spreadsheet to fill: headers bold when this organisation requires them, italic when
/// optional; drop-down lists of its roles and groups; an instructions sheet.
#[utoipa::path(get, path = "/api/v1/import/template", tag = "import", params(FileQuery), security(("bearer" = [])),
    responses((status = 200, description = "The file (XLSX, ODS or CSV)"), (status = 403, description = "No import permission")))]
async fn template(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Query(q): Query<FileQuery>,
) -> Result<Response, ApiError> {
    workbook(&s, &who, &q, true).await.map_err(as_api(&who))
}

/// Every user, in the template's columns (export → edit → import round-trips).
#[utoipa::path(get, path = "/api/v1/export", tag = "import", params(FileQuery), security(("bearer" = [])),
    responses((status = 200, description = "The file (XLSX, ODS or CSV)"), (status = 403, description = "No export permission")))]
async fn export(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Query(q): Query<FileQuery>,
) -> Result<Response, ApiError> {
    workbook(&s, &who, &q, false).await.map_err(as_api(&who))
}

/// The form of an upload (`multipart/form-data`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ImportUpload {
    /// The spreadsheet: XLSX, XLS, ODS or CSV.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// `true`: check and report only.
    dry_run: Option<bool>,
    /// `true`: write the valid rows even when others are wrong.
    skip_invalid: Option<bool>,
    /// `true`: e-mail an invitation to each user created.
    send_invitations: Option<bool>,
    /// Seconds to wait for the import to finish before answering 202 (0 to 10, default 10):
    /// a page showing a progress bar asks for 0.
    wait: Option<u64>,
    /// The roles to give for the file's role names (a WordPress export's `administrator`,
    /// `subscriber`, Amapress's `amapien`…): a JSON object, each file's name → one of the
    /// organisation's roles by name, or `null` for none, e.g. `{"subscriber": "Amapien",
    /// "editor": null}`. Names not given are mapped as the preview proposes (same name, case
    /// and accents ignored, else none); the mapping used is in the summary's `role_map`.
    role_map: Option<String>,
}

/// A boolean field of the form, as the document types it: `true` or `false` (case ignored);
/// `None` for anything else (refused, naming the field).
fn flag(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Imports a spreadsheet: every row checked with the rules of `POST /api/v1/users`; nothing
/// written when one is wrong unless `skip_invalid`. Answers the finished import (200) when it
/// takes less than `wait` seconds (10), else 202 with the job to poll (`GET /api/v1/imports/{id}`).
#[utoipa::path(post, path = "/api/v1/imports", tag = "import", security(("bearer" = [])),
    request_body(content = ImportUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = ImportJob), (status = 202, body = ImportJob, description = "Still running: poll it"),
        (status = 400, description = "Not a whole multipart form, or no file"), (status = 403, description = "No import permission"),
        (status = 413, description = "Larger than 200 MiB"),
        (status = 422, description = "A field of the form is wrong: a flag other than true or false, or a `role_map` that is not a JSON object of role names")))]
async fn upload(
    State(s): State<ApiState>,
    Auth(who): Auth,
    headers: axum::http::HeaderMap,
    body: Result<UploadBody, ApiError>,
) -> Result<(StatusCode, Out<ImportJob>), ApiError> {
    let form = UploadForm::read(body, |_| true)
        .await
        .map_err(|e| e.in_language(who.language()))?;
    let mut opts = Options {
        language: headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Language::from_accept_language),
        ..Options::default()
    };
    let mut wait = WAIT;
    for (name, v) in form.fields() {
        match name {
            "dry_run" | "skip_invalid" | "send_invitations" => {
                let Some(on) = flag(v) else {
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "invalid",
                        vec![FieldError::new(name, "request.flag").with("field", name)],
                    )
                    .in_language(who.language()));
                };
                match name {
                    "dry_run" => opts.dry_run = on,
                    "skip_invalid" => opts.skip_invalid = on,
                    _ => opts.send_invitations = on,
                }
            }
            "role_map" => {
                opts.role_map =
                    sesame_app::import::role_map::RoleMap::from_json(name, v).map_err(|e| {
                        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", vec![e])
                            .in_language(who.language())
                    })?;
            }
            "wait" => {
                wait = match v.trim().parse::<u64>() {
                    Ok(n) if n <= WAIT.as_secs() => Duration::from_secs(n),
                    _ => {
                        return Err(ApiError::new(
                            StatusCode::BAD_REQUEST,
                            "bad-request",
                            vec![
                                FieldError::new("wait", "limit.range")
                                    .with("min", "0")
                                    .with("max", WAIT.as_secs().to_string()),
                            ],
                        )
                        .in_language(who.language()));
                    }
                };
            }
            _ => {}
        }
    }
    let UploadedFile {
        name: file_name,
        bytes,
    } = form.file().map_err(|e| e.in_language(who.language()))?;
    opts.file_name = file_name.clone();
    let (id, handle) = jobs::start(&s.app, &who, bytes, file_name, opts)
        .await
        .map_err(as_api(&who))?;
    let finished = tokio::time::timeout(wait, handle).await.is_ok();
    let job = jobs::get(&s.app, &who, &id).await.map_err(as_api(&who))?;
    let status = if finished && job.state != "running" {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    Ok((status, Out(job)))
}

/// An import: its state, the rows read so far, and once done its summary and error file link.
#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "import", security(("bearer" = [])),
    responses((status = 200, body = ImportJob), (status = 404, description = "No such import")))]
async fn get_one(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
) -> Result<Out<ImportJob>, ApiError> {
    jobs::get(&s.app, &who, &id)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ErrorFileQuery {
    /// `xlsx`, `ods` or `csv` (default: the uploaded file's format).
    pub format: Option<String>,
}

/// The faulty rows of an import, with an "Erreur" / "Error" column: fix them there and import
/// that file.
#[utoipa::path(get, path = "/api/v1/imports/{id}/errors", tag = "import", params(ErrorFileQuery), security(("bearer" = [])),
    responses((status = 200, description = "The file"), (status = 404, description = "No such import, or no faulty row")))]
async fn errors(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Path(id): Path<String>,
    Query(q): Query<ErrorFileQuery>,
) -> Result<Response, ApiError> {
    let format = format_of("format", q.format.as_deref(), None).map_err(as_api(&who))?;
    let file = jobs::error_file(&s.app, &who, &id, format)
        .await
        .map_err(as_api(&who))?;
    Ok(super::download(file))
}
