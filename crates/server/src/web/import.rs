//! Importing from a spreadsheet, as the seed page describes it: download the template, fill
//! it, upload it; here a preview comes first (a dry run: what would be created, updated, left
//! unchanged, and the faulty cells with their messages), then the import itself, confirmed,
//! with or without invitations, and its result with the error file to fix and import again.
//! When faulty rows refuse it (or would: the preview), the page offers « Importer les lignes
//! valides »: the same file's valid rows, the others left for the error file. An import still
//! running is followed by the script without reloading the page (a link refreshes it by hand).
//!
//! The uploaded file waits in the database between the preview and the confirmation (one per
//! person, an hour at most, see [`sesame_app::uploads`]): the confirmation imports exactly the
//! file previewed, whichever instance answers it.

use super::{Ctx, FormErrors, Member, check_csrf, once};
use crate::ApiState;
use crate::problem::ApiError;
use crate::upload::{UploadBody, UploadForm, UploadedFile};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use sesame_app::import::jobs::{self, ImportJob};
use sesame_app::import::role_map::RoleMap;
use sesame_app::import::{Action, Faulty, Options, RowError};
use sesame_app::{App, Principal};
use sesame_core::FieldError;
use std::collections::BTreeMap;

/// Keeps the file previewed as import `id` for its confirmation.
async fn keep_upload(
    app: &App,
    who: &Principal,
    id: &str,
    file_name: &str,
    bytes: &[u8],
) -> sesame_app::Result<()> {
    sesame_app::uploads::keep(app, who, id, file_name, bytes).await
}

/// The file `who` previewed as import `id`, taken for its confirmation.
async fn take_upload(
    app: &App,
    who: &Principal,
    id: &str,
) -> sesame_app::Result<Option<(String, Bytes)>> {
    sesame_app::uploads::take(app, who, id).await
}

/// Whether `who` has the file previewed as import `id` waiting (a database that cannot be
/// read: no, the page offers no confirmation).
async fn has_upload(app: &App, who: &Principal, id: &str) -> bool {
    sesame_app::uploads::has(app, who, id)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "could not check a waiting upload");
            false
        })
}

#[derive(Template)]
#[template(path = "web/import.html")]
struct UploadPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
}

pub(crate) async fn show(Member { ctx, who }: Member) -> Response {
    if let Err(e) = who.actor.may_import() {
        return super::failed(&ctx, sesame_app::Error::from(e));
    }
    upload_page(ctx, FormErrors::default(), StatusCode::OK)
}

fn upload_page(ctx: Ctx, errors: FormErrors, status: StatusCode) -> Response {
    let page = UploadPage {
        title: ctx.t("web-import-title"),
        errors,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

pub(crate) async fn upload(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    headers: HeaderMap,
    body: Result<UploadBody, ApiError>,
) -> Response {
    let refused = |ctx: Ctx, e: ApiError| {
        let errors = ctx.errors(&e.errors);
        upload_page(ctx, errors, e.status)
    };
    // The token comes first in the form: a file is not read before it is checked.
    let csrf_ok = |form: &UploadForm| {
        form.field("csrf")
            .is_some_and(|t| check_csrf(&s, &headers, t).is_none())
    };
    let form = match UploadForm::read(body, csrf_ok).await {
        Ok(form) => form,
        Err(e) => return refused(ctx, e),
    };
    if let Some(r) = check_csrf(&s, &headers, form.field("csrf").unwrap_or_default()) {
        return r;
    }
    let UploadedFile {
        name: file_name,
        bytes,
    } = match form.file() {
        Ok(file) => file,
        Err(e) => return refused(ctx, e),
    };
    let opts = Options {
        dry_run: true,
        file_name: file_name.clone(),
        language: Some(ctx.lang),
        ..Options::default()
    };
    match jobs::start(&s.app, &who, bytes.clone(), file_name.clone(), opts).await {
        Ok((id, _)) => {
            if let Err(e) = keep_upload(&s.app, &who, &id, &file_name, &bytes).await {
                let api = ApiError::from(e);
                let errors = ctx.errors(&api.errors);
                return upload_page(ctx, errors, api.status);
            }
            Redirect::to(&format!("/import/{id}")).into_response()
        }
        Err(e) => {
            let api = ApiError::from(e);
            let errors = ctx.errors(&api.errors);
            upload_page(ctx, errors, api.status)
        }
    }
}

/// One row of the preview: what happens to it, and its faulty cells.
pub(crate) struct PreviewRow {
    pub row: usize,
    pub action: &'static str,
    pub action_label: String,
    pub login: String,
    pub email: String,
    pub messages: Vec<String>,
}

/// One role name of the file and the role it gives, changeable before the import is applied.
pub(crate) struct RoleChoice {
    pub source: String,
    /// The role's name it gives now, or "" for none.
    pub role: String,
    pub proposed: bool,
}

/// The faulty rows as the file has them, the faulty cells marked.
pub(crate) struct FaultyRow {
    pub row: usize,
    /// Each cell, and whether it is at fault.
    pub cells: Vec<(String, bool)>,
    pub message: String,
}

#[derive(Template)]
#[template(path = "web/import_job.html")]
struct JobPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    job: ImportJob,
    created: usize,
    updated: usize,
    unchanged: usize,
    invalid: usize,
    file_errors: Vec<String>,
    rows: Vec<PreviewRow>,
    truncated: bool,
    headers: Vec<String>,
    faulty: Vec<FaultyRow>,
    can_apply: bool,
    /// Offers « Importer les lignes valides ».
    can_apply_valid: bool,
    /// The invitation choice of the import that led here.
    invite: bool,
    once: String,
    /// How the file's role names give roles (a WordPress export's), and the roles to choose from.
    role_map: Vec<RoleChoice>,
    role_names: Vec<String>,
    /// People who come with their WordPress password.
    password_hashes: usize,
}

fn action_code(a: Action) -> &'static str {
    match a {
        Action::Create => "create",
        Action::Update => "update",
        Action::Unchanged => "unchanged",
        Action::Invalid => "invalid",
    }
}

/// The faulty rows matched with their errors: the n-th faulty row is the n-th row number
/// that has an error, as the import writes them.
fn faulty_rows(faulty: &Faulty, errors: &[RowError]) -> Vec<FaultyRow> {
    let mut by_row: BTreeMap<usize, Vec<&RowError>> = BTreeMap::new();
    for e in errors.iter().filter(|e| e.row > 0) {
        by_row.entry(e.row).or_default().push(e);
    }
    let numbered: Vec<(usize, Vec<&RowError>)> = by_row.into_iter().collect();
    let aligned = numbered.len() == faulty.rows.len();
    faulty
        .rows
        .iter()
        .enumerate()
        .map(|(i, (cells, message))| {
            let (row, errs) = if aligned {
                (numbered[i].0, numbered[i].1.clone())
            } else {
                (0, Vec::new())
            };
            FaultyRow {
                row,
                // Rows as read stop at their last filled cell: padded to the headers.
                cells: cells
                    .iter()
                    .chain(std::iter::repeat(&String::new()))
                    .take(cells.len().max(faulty.headers.len()))
                    .enumerate()
                    .map(|(c, v)| {
                        let header = faulty.headers.get(c).map_or("", String::as_str);
                        let bad = errs
                            .iter()
                            .any(|e| !e.column.is_empty() && e.column == header);
                        (v.clone(), bad)
                    })
                    .collect(),
                message: message.clone(),
            }
        })
        .collect()
}

/// An import's page. `?invite=on` when the import that brought the person here was to send
/// invitations: the choice offered again with the valid rows. Anything else in the address
/// is ignored, never refused.
pub(crate) async fn job(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let invite = q.is_some_and(|q| q.split('&').any(|p| p == "invite=on"));
    job_page(
        &s,
        ctx,
        &who,
        &id,
        invite,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn job_page(
    s: &ApiState,
    ctx: Ctx,
    who: &sesame_app::Principal,
    id: &str,
    invite: bool,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let job = match jobs::get(&s.app, who, id).await {
        Ok(j) => j,
        Err(e) => return super::failed(&ctx, e),
    };
    let faulty = if job.state == "done" {
        jobs::faulty(&s.app, who, id).await.ok().flatten()
    } else {
        None
    };
    let summary = job.summary.clone();
    let (created, updated, unchanged, invalid) = summary.as_ref().map_or((0, 0, 0, 0), |s| {
        (s.created, s.updated, s.unchanged, s.invalid)
    });
    let all_errors = summary
        .as_ref()
        .map(|s| s.errors.clone())
        .unwrap_or_default();
    let file_errors = all_errors
        .iter()
        .filter(|e| e.row == 0)
        .map(|e| e.message.clone())
        .collect();
    let mut messages: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for e in all_errors.iter().filter(|e| e.row > 0) {
        let text = if e.column.is_empty() {
            e.message.clone()
        } else {
            format!("{} : {}", e.column, e.message)
        };
        messages.entry(e.row).or_default().push(text);
    }
    let rows = summary
        .as_ref()
        .map(|s| {
            s.rows
                .iter()
                .map(|r| PreviewRow {
                    row: r.row,
                    action: action_code(r.action),
                    action_label: ctx.t(&format!("web-import-action-{}", action_code(r.action))),
                    login: r.login.clone(),
                    email: r.email.clone().unwrap_or_default(),
                    messages: messages.remove(&r.row).unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let (headers, faulty) = match &faulty {
        Some(f) => (f.headers.clone(), faulty_rows(f, &all_errors)),
        None => (Vec::new(), Vec::new()),
    };
    let kept =
        job.state == "done" && created + updated > 0 && has_upload(&s.app, who, &job.id).await;
    let can_apply = job.dry_run && kept;
    // Refused, or would be: faulty rows beside valid ones, whose file is still kept.
    let refused = job.dry_run || job.summary.as_ref().is_some_and(|s| !s.applied);
    let can_apply_valid = kept && invalid > 0 && refused && who.actor.may_import().is_ok();
    // An import that wrote its rows needs its file no more: it is not kept for the hour.
    if !job.dry_run && job.state == "done" && !refused && kept {
        let _ = take_upload(&s.app, who, &job.id).await;
    }
    let role_map: Vec<RoleChoice> = summary
        .as_ref()
        .map(|s| {
            s.role_map
                .iter()
                .map(|m| RoleChoice {
                    source: m.source.clone(),
                    role: m.role.clone().unwrap_or_default(),
                    proposed: m.proposed,
                })
                .collect()
        })
        .unwrap_or_default();
    let role_names = if role_map.is_empty() {
        Vec::new()
    } else {
        sesame_app::roles::list(&s.app, who)
            .await
            .map(|rs| rs.into_iter().map(|r| r.name).collect())
            .unwrap_or_default()
    };
    let page = JobPage {
        role_map,
        role_names,
        password_hashes: summary.as_ref().map_or(0, |s| s.password_hashes),
        title: if job.dry_run {
            ctx.t("web-import-preview-title")
        } else {
            ctx.t("web-import-result-title")
        },
        errors,
        truncated: summary.as_ref().is_some_and(|s| s.rows_truncated),
        created,
        updated,
        unchanged,
        invalid,
        file_errors,
        rows,
        headers,
        faulty,
        can_apply,
        can_apply_valid,
        invite,
        once: once::new(),
        job,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

/// Confirms a preview: imports the same file for real.
pub(crate) async fn apply(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    super::Posted(form): super::Posted,
) -> Response {
    let skip_invalid = super::field(&form, "skip_invalid") == "on";
    import_kept(&s, ctx, &who, &id, &form, skip_invalid).await
}

/// « Importer les lignes valides »: after a preview that found faulty rows, or an import
/// refused because of them, imports the same file's valid rows and leaves the others out
/// (they are in the result's error file). The invitation choice comes with the form.
pub(crate) async fn apply_valid(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    super::Posted(form): super::Posted,
) -> Response {
    import_kept(&s, ctx, &who, &id, &form, true).await
}

/// The role mapping to apply: the one the preview (or the refused import) used, each line as
/// the form's `role_map.N` chose it (its source in `role_source.N`; "" for no role).
fn chosen_roles(
    before: Option<&sesame_app::import::Summary>,
    form: &BTreeMap<String, Vec<String>>,
) -> RoleMap {
    let mut map = RoleMap::default();
    for m in before.map(|s| s.role_map.as_slice()).unwrap_or_default() {
        map.insert(&m.source, m.role.as_deref());
    }
    for i in 0.. {
        let source = super::field(form, &format!("role_source.{i}"));
        if source.is_empty() {
            break;
        }
        let role = super::field(form, &format!("role_map.{i}"));
        map.insert(source, Some(role));
    }
    map
}

/// Imports the file kept under the import `id` (a preview, or an import refused), then shows
/// the new import's page. A refused import keeps its file in turn, for its valid rows.
async fn import_kept(
    s: &ApiState,
    ctx: Ctx,
    who: &sesame_app::Principal,
    id: &str,
    form: &BTreeMap<String, Vec<String>>,
    skip_invalid: bool,
) -> Response {
    // Checked before the kept file is touched: a refusal leaves it where it was.
    if let Err(e) = who.actor.may_import() {
        return super::failed(&ctx, sesame_app::Error::from(e));
    }
    let once_value = super::field(form, "once").to_string();
    if let Some(place) = once::claim(&s.app, &once_value).await {
        return Redirect::to(&place).into_response();
    }
    let (file_name, bytes) = match take_upload(&s.app, who, id).await {
        Ok(Some(taken)) => taken,
        Ok(None) => {
            once::forget(&s.app, &once_value).await;
            let errors = ctx.errors(&[FieldError::new("", "web.upload_expired")]);
            return job_page(s, ctx, who, id, false, errors, StatusCode::CONFLICT).await;
        }
        Err(e) => {
            once::forget(&s.app, &once_value).await;
            let api = ApiError::from(e);
            let errors = ctx.errors(&api.errors);
            return job_page(s, ctx, who, id, false, errors, api.status).await;
        }
    };
    let send_invitations = super::field(form, "send_invitations") == "on";
    let before = jobs::get(&s.app, who, id)
        .await
        .ok()
        .and_then(|j| j.summary);
    // Only a file whose preview found faulty rows can be refused for them.
    let may_be_refused =
        !skip_invalid && before.as_ref().is_some_and(|summary| summary.invalid > 0);
    let opts = Options {
        dry_run: false,
        skip_invalid,
        send_invitations,
        file_name: file_name.clone(),
        language: Some(ctx.lang),
        role_map: chosen_roles(before.as_ref(), form),
    };
    match jobs::start(&s.app, who, bytes.clone(), file_name.clone(), opts).await {
        Ok((new_id, _)) => {
            // Faulty rows would refuse this import: its page then offers the valid rows of
            // the same file, so the file stays, and the invitation choice goes with the
            // page's address.
            let place = if !may_be_refused {
                format!("/import/{new_id}")
            } else {
                if let Err(e) = keep_upload(&s.app, who, &new_id, &file_name, &bytes).await {
                    tracing::warn!(error = %e, "could not keep an upload for its valid rows");
                }
                let invite = if send_invitations { "on" } else { "off" };
                format!("/import/{new_id}?invite={invite}")
            };
            once::done(&s.app, &once_value, &place).await;
            Redirect::to(&place).into_response()
        }
        Err(e) => {
            once::forget(&s.app, &once_value).await;
            // Put back for another try; if even that fails, the page offers an upload again.
            let _ = keep_upload(&s.app, who, id, &file_name, &bytes).await;
            let api = ApiError::from(e);
            let errors = ctx.errors(&api.errors);
            job_page(s, ctx, who, id, send_invitations, errors, api.status).await
        }
    }
}
