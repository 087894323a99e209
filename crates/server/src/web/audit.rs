//! The audit log ("Journal"), for those who may read it: newest first, by pages of 50, filtered
//! by the person acting, the person concerned, the kind of change and the days; each entry
//! said in plain words (who, what, to whom, before → after, when, from where), and the
//! filtered entries exported as CSV or Excel (cells that a spreadsheet would run as formulas
//! are written as text, as the import's files are).

use super::{Ctx, FormErrors, Member};
use crate::ApiState;
use crate::problem::ApiError;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;
use sesame_app::audit::{self, AuditEntry, AuditQuery};
use sesame_app::download::{Column, Download, Format, Workbook};

const PER_PAGE: i64 = 50;
/// An export holds at most this many entries (the newest): past it, narrow the filters.
const EXPORT_MAX: usize = 100_000;
/// The filters as typed (what the form shows again).
#[derive(Default, Clone)]
struct Typed {
    actor: String,
    target: String,
    action: String,
    since: String,
    until: String,
    cursor: String,
}

impl Typed {
    fn from_query(ctx: &Ctx) -> Self {
        let query = ctx.here.split_once('?').map(|(_, q)| q.to_string());
        let get = |k: &str| super::query_value(query.as_deref(), k).unwrap_or_default();
        Typed {
            actor: get("actor").trim().to_string(),
            target: get("target").trim().to_string(),
            action: get("action").trim().to_string(),
            since: get("since").trim().to_string(),
            until: get("until").trim().to_string(),
            cursor: get("cursor"),
        }
    }

    /// The query string of these filters, with `over` added.
    fn query(&self, over: &[(&str, &str)]) -> String {
        let mut kept: Vec<(&str, &str)> = [
            ("actor", self.actor.as_str()),
            ("target", self.target.as_str()),
            ("action", self.action.as_str()),
            ("since", self.since.as_str()),
            ("until", self.until.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        kept.extend(over.iter().copied());
        serde_urlencoded::to_string(kept).unwrap_or_default()
    }

    /// The query these filters make, for pages of `limit` entries.
    fn as_query(&self, limit: i64) -> AuditQuery {
        let given = |v: &str| (!v.is_empty()).then(|| v.to_string());
        AuditQuery {
            actor: given(&self.actor),
            target: given(&self.target),
            action: given(&self.action),
            since: given(&self.since),
            until: given(&self.until),
            limit: Some(limit),
            cursor: given(&self.cursor),
        }
    }
}

/// One changed field: its name, before and after, in words.
pub(crate) struct Changed {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// An entry as a person reads it.
pub(crate) struct Line {
    pub at: String,
    pub actor: String,
    pub what: String,
    pub target: String,
    pub changes: Vec<Changed>,
    pub source: String,
}

/// Keys of before/after that a person has no use for: ids, bookkeeping times, and the phone
/// as typed (the phone itself is said).
const UNSAID: [&str; 4] = ["id", "created_at", "updated_at", "phone_national"];

/// A value of `key` in words: a status or a message's state by its name in the catalogue, a
/// time as people say it.
fn value_of(ctx: &Ctx, key: &str, v: Option<&Value>) -> String {
    match (key, v) {
        ("status", Some(Value::String(s))) => ctx.t_or(&format!("web-state-{s}"), s),
        ("state", Some(Value::String(s))) => ctx.t_or(&format!("web-email-state-{s}"), s),
        // A time kept in the entry (a token's expiry): in the organisation's zone.
        (k, Some(Value::String(s))) if k.ends_with("_at") => ctx.when(s),
        _ => said(ctx, v),
    }
}

/// A value of before/after in words.
fn said(ctx: &Ctx, v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "—".into(),
        Some(Value::Bool(true)) => ctx.t("web-yes"),
        Some(Value::Bool(false)) => ctx.t("web-no"),
        Some(Value::String(s)) if s.is_empty() => "—".into(),
        Some(Value::String(s)) if s == "default" => ctx.t("web-audit-default"),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Array(a)) if a.is_empty() => "—".into(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| said(ctx, Some(x)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Object(o)) => o
            .iter()
            .map(|(k, x)| {
                format!(
                    "{}{}{}",
                    field_name(ctx, k),
                    ctx.colon(),
                    said(ctx, Some(x))
                )
            })
            .collect::<Vec<_>>()
            .join(" ; "),
    }
}

/// A field's name in words when the catalogue has it, else as stored.
fn field_name(ctx: &Ctx, key: &str) -> String {
    // An alert type's key (notifications changed) is said by its label.
    let alert = ctx.t_or(&format!("alert-{key}"), key);
    ctx.t_or(&format!("web-audit-field-{key}"), &alert)
}

fn line(ctx: &Ctx, e: &AuditEntry) -> Line {
    let what = ctx.t_or(&format!("web-audit-action-{}", e.action), &e.action);
    let mut keys: Vec<&String> = Vec::new();
    for side in [&e.before, &e.after] {
        if let Some(Value::Object(o)) = side {
            keys.extend(o.keys().filter(|k| !keys.contains(k)).collect::<Vec<_>>());
        }
    }
    let changes = if keys.is_empty() {
        // Not objects: one line, if there is anything to say.
        match (&e.before, &e.after) {
            (None, None) => Vec::new(),
            (b, a) => vec![Changed {
                field: String::new(),
                before: said(ctx, b.as_ref()),
                after: said(ctx, a.as_ref()),
            }],
        }
    } else {
        let get = |side: &Option<Value>, k: &str| side.as_ref().and_then(|v| v.get(k)).cloned();
        keys.iter()
            .filter(|k| !UNSAID.contains(&k.as_str()))
            .map(|k| Changed {
                field: field_name(ctx, k),
                before: value_of(ctx, k, get(&e.before, k).as_ref()),
                after: value_of(ctx, k, get(&e.after, k).as_ref()),
            })
            // A creation lists every field: those left empty say nothing.
            .filter(|c| c.before != c.after)
            .collect()
    };
    Line {
        at: ctx.when(&e.at),
        actor: e.actor.clone(),
        what,
        target: e.target.clone().unwrap_or_default(),
        changes,
        source: match e.source.as_deref() {
            Some("cli") => ctx.t("web-audit-from-cli"),
            Some(s) => s.to_string(),
            None => String::new(),
        },
    }
}

#[derive(Template)]
#[template(path = "web/audit.html")]
struct AuditPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    typed: Typed,
    kinds: Vec<(String, String)>,
    lines: Vec<Line>,
    newest: Option<String>,
    older: Option<String>,
    export_csv: String,
    export_xlsx: String,
}

fn kinds(ctx: &Ctx) -> Vec<(String, String)> {
    audit::FAMILIES
        .iter()
        .map(|k| {
            let id = format!(
                "web-audit-kind-{}",
                k.trim_end_matches('.').replace('.', "-")
            );
            (k.to_string(), ctx.t(&id))
        })
        .collect()
}

pub(crate) async fn list(State(s): State<ApiState>, Member { ctx, who }: Member) -> Response {
    if let Err(e) = who.actor.may_read_audit() {
        return super::failed(&ctx, sesame_app::Error::from(e));
    }
    let typed = Typed::from_query(&ctx);
    let (lines, next, errors, status) =
        match audit::list(&s.app, &who, &typed.as_query(PER_PAGE)).await {
            Ok(found) => (
                found.items.iter().map(|e| line(&ctx, e)).collect(),
                found.next_cursor,
                FormErrors::default(),
                StatusCode::OK,
            ),
            Err(e @ sesame_app::Error::Invalid(_)) => {
                let api = ApiError::from(e);
                let errors = ctx.errors(&api.errors);
                (Vec::new(), None, errors, api.status)
            }
            Err(e) => return super::failed(&ctx, e),
        };
    let page = AuditPage {
        title: ctx.t("web-audit-title"),
        newest: (!typed.cursor.is_empty()).then(|| format!("/audit?{}", typed.query(&[]))),
        older: next.map(|c| format!("/audit?{}", typed.query(&[("cursor", &c)]))),
        export_csv: format!("/audit/export?{}", typed.query(&[("format", "csv")])),
        export_xlsx: format!("/audit/export?{}", typed.query(&[("format", "xlsx")])),
        kinds: kinds(&ctx),
        errors,
        typed,
        lines,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

/// The filtered entries as a file: CSV (`;` in French, as French Excel reads it) or XLSX.
pub(crate) async fn export(State(s): State<ApiState>, Member { ctx, who }: Member) -> Response {
    if let Err(e) = who.actor.may_read_audit() {
        return super::failed(&ctx, sesame_app::Error::from(e));
    }
    let query = ctx.here.split_once('?').map(|(_, q)| q.to_string());
    let format = match super::query_value(query.as_deref(), "format").as_deref() {
        Some("xlsx") => Format::Xlsx,
        _ => Format::Csv,
    };
    let mut typed = Typed::from_query(&ctx);
    typed.cursor.clear();
    let mut rows: Vec<Vec<String>> = Vec::new();
    loop {
        let found = match audit::list(&s.app, &who, &typed.as_query(500)).await {
            Ok(f) => f,
            Err(e) => return super::failed(&ctx, e),
        };
        for e in &found.items {
            let l = line(&ctx, e);
            let side = |pick: fn(&Changed) -> &String| {
                l.changes
                    .iter()
                    .map(|c| match c.field.as_str() {
                        "" => pick(c).clone(),
                        f => format!("{f}{}{}", ctx.colon(), pick(c)),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            rows.push(vec![
                l.at.clone(),
                l.actor.clone(),
                l.what.clone(),
                e.action.clone(),
                // For sorting and for programs: the time as the API gives it.
                e.at.clone(),
                l.target.clone(),
                side(|c| &c.before),
                side(|c| &c.after),
                l.source.clone(),
            ]);
        }
        match found.next_cursor {
            Some(c) if rows.len() < EXPORT_MAX => typed.cursor = c,
            _ => break,
        }
    }
    let column = |id: &str, width: f64| Column {
        header: ctx.t(id),
        style: None,
        width,
        choices: None,
    };
    let book = Workbook {
        sheet_name: ctx.t("web-audit-title"),
        columns: vec![
            column("web-audit-col-when", 26.0),
            column("web-audit-col-who", 18.0),
            column("web-audit-col-what", 30.0),
            column("web-audit-col-code", 20.0),
            column("web-audit-col-at", 24.0),
            column("web-audit-col-whom", 20.0),
            column("web-audit-col-before", 30.0),
            column("web-audit-col-after", 30.0),
            column("web-audit-col-from", 16.0),
        ],
        rows,
        instructions: None,
        csv_delimiter: match ctx.lang {
            sesame_core::Language::Fr => b';',
            sesame_core::Language::En => b',',
        },
    };
    match Download::sheet(format, &book, &ctx.t("web-audit-file-name")) {
        Ok(file) => crate::api::download(file),
        Err(e) => super::failed(&ctx, e),
    }
}
