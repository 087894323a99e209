//! The Imports page: the imports of the last 90 days (who, when, the file, the options, the
//! counts, the error file), and for one that can be undone, its preview — what the undo would
//! do, and what changed since, left as it is unless its kind is ticked — then the undo itself.

use super::{Ctx, FormErrors, Member, Posted, field};
use crate::ApiState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use sesame_app::Principal;
use sesame_app::import::history::{self, ImportEntry};
use sesame_app::import::undo::{self, KINDS, UndoReport, UndoRequest};

#[derive(Template)]
#[template(path = "web/imports.html")]
struct ListPage {
    ctx: Ctx,
    title: String,
    imports: Vec<ImportEntry>,
}

impl ListPage {
    fn state(&self, e: &ImportEntry) -> String {
        let id = match (&e.undone_at, e.options.dry_run, e.applied, e.state.as_str()) {
            (Some(_), _, _, _) => "web-imports-state-undone",
            (None, true, _, _) => "web-imports-state-dry-run",
            (None, false, true, _) => "web-imports-state-applied",
            (None, false, false, "running") => "web-imports-state-running",
            (None, false, false, "failed") => "web-imports-state-failed",
            _ => "web-imports-state-nothing",
        };
        self.ctx.t(id)
    }

    fn options(&self, e: &ImportEntry) -> String {
        let mut out = Vec::new();
        if e.options.skip_invalid {
            out.push(self.ctx.t("web-imports-option-skip-invalid"));
        }
        if e.options.send_invitations {
            out.push(self.ctx.t("web-imports-option-invite"));
        }
        out.join(", ")
    }

    fn undone(&self, e: &ImportEntry) -> String {
        match (&e.undone_at, &e.undone_by) {
            (Some(at), by) => sesame_app::i18n::message(
                self.ctx.lang,
                "web-imports-undone-by",
                &[
                    ("when", self.ctx.when(at)),
                    ("actor", by.clone().unwrap_or_default()),
                ],
            ),
            _ => String::new(),
        }
    }
}

pub(crate) async fn list(State(s): State<ApiState>, Member { ctx, who }: Member) -> Response {
    let imports = match history::list(&s.app, &who).await {
        Ok(l) => l,
        Err(e) => return super::failed(&ctx, e),
    };
    let page = ListPage {
        title: ctx.t("web-imports-title"),
        imports,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(StatusCode::OK, html)
}

#[derive(Template)]
#[template(path = "web/import_undo.html")]
struct UndoPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    entry: Option<ImportEntry>,
    report: Option<UndoReport>,
    /// The kinds of conflict found, with their label, and whether ticked.
    kinds: Vec<(String, String, bool)>,
}

impl UndoPage {
    fn count<N: std::fmt::Display>(&self, id: &str, n: N) -> String {
        self.ctx.t1(id, "count", &n)
    }
}

/// What the undo page shows: the undo just done (else its preview, read again), with the
/// kinds of conflict ticked.
struct Shown<'a> {
    report: Option<UndoReport>,
    confirm: &'a [String],
}

async fn undo_page(
    s: &ApiState,
    ctx: Ctx,
    who: &Principal,
    id: &str,
    shown: Shown<'_>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let Shown { report, confirm } = shown;
    let entry = history::one(&s.app, who, id).await.ok();
    let report = match report {
        Some(r) => Some(r),
        None if entry.as_ref().is_some_and(|e| e.undoable) => {
            let req = UndoRequest {
                dry_run: true,
                confirm: confirm.to_vec(),
            };
            match undo::undo(&s.app, who, id, &req).await {
                Ok(r) => Some(r),
                Err(e) => return super::failed(&ctx, e),
            }
        }
        None => None,
    };
    let found: Vec<&str> = report
        .as_ref()
        .map(|r| r.conflicts.iter().map(|c| c.kind.as_str()).collect())
        .unwrap_or_default();
    let kinds = KINDS
        .iter()
        .filter(|k| found.contains(k))
        .map(|k| {
            (
                k.to_string(),
                ctx.t(&format!("web-import-undo-confirm-{}", k.replace('_', "-"))),
                confirm.iter().any(|c| c == k),
            )
        })
        .collect();
    let page = UndoPage {
        title: ctx.t("web-import-undo-title"),
        errors,
        entry,
        report,
        kinds,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

/// The preview of an undo.
pub(crate) async fn preview(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
) -> Response {
    if let Err(e) = who.actor.may_import() {
        return super::failed(&ctx, sesame_app::Error::from(e));
    }
    undo_page(
        &s,
        ctx,
        &who,
        &id,
        Shown {
            report: None,
            confirm: &[],
        },
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The undo, with the kinds of conflict ticked.
pub(crate) async fn apply(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Path(id): Path<String>,
    Posted(form): Posted,
) -> Response {
    let confirm: Vec<String> = KINDS
        .iter()
        .filter(|k| field(&form, &format!("confirm_{k}")) == "on")
        .map(|k| k.to_string())
        .collect();
    let req = UndoRequest {
        dry_run: false,
        confirm: confirm.clone(),
    };
    match undo::undo(&s.app, &who, &id, &req).await {
        Ok(r) => {
            undo_page(
                &s,
                ctx,
                &who,
                &id,
                Shown {
                    report: Some(r),
                    confirm: &confirm,
                },
                FormErrors::default(),
                StatusCode::OK,
            )
            .await
        }
        Err(e) => match super::refusal(&ctx, e) {
            Ok((errors, status)) => {
                undo_page(
                    &s,
                    ctx,
                    &who,
                    &id,
                    Shown {
                        report: None,
                        confirm: &confirm,
                    },
                    errors,
                    status,
                )
                .await
            }
            Err(page) => *page,
        },
    }
}
