//! The API's contract, completed in one place: every operation lists the problem answers its
//! shape can give, each with the `application/problem+json` body. Which answers a route can give
//! follows from how it is reached — the extractors it takes — rather than from each handler's
//! own list, which forgot most of them (issue 19, point 5):
//!
//! - signed in (bearer): 401 without a valid session or token; 403 when a right is missing or
//!   two-factor enrolment comes first; 409 for a change the organisation's state refuses (a
//!   taken address, the last administrator);
//! - an id in the path: 404 when nothing of this organisation has it;
//! - a JSON body ([`crate::extract::Json`]): 400 malformed, 413 too large, 415 not JSON, 422
//!   content refused, each error on its field;
//! - query parameters ([`crate::extract::Query`]): 400 when they cannot be read, 422 refused;
//! - sign-in, setup and e-mailed links: 404 for an unknown organisation, 429 when throttled,
//!   503 when the password hashing is busy;
//! - any write: 503 when the data directory is read-only, 507 when the disk is full;
//! - a single e-mail to a person (an invitation, a reset link, sent again): 429 beyond the
//!   recipient's hourly limit.

use serde::Serialize;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};
use utoipa::{PartialSchema, ToSchema};

/// An error, as RFC 9457 describes it, with one entry per field at fault.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
struct Problem {
    /// `urn:sesame:problem:<kind>` (`invalid`, `conflict`, `denied`, `not-found`, …).
    #[serde(rename = "type")]
    kind: String,
    /// The kind, in the request's language.
    title: String,
    status: u16,
    /// Every message, joined.
    detail: String,
    #[schema(inline)]
    errors: Vec<ProblemField>,
}

/// One error: the field it is about (empty for the request as a whole), a stable code, the
/// message in the request's language, and the values it names.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
struct ProblemField {
    field: String,
    code: String,
    message: String,
    #[schema(value_type = Option<Object>)]
    args: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Adds the problem answers each operation can give, and the problem body to every 4xx/5xx.
pub(crate) fn complete(doc: &mut OpenApi) {
    doc.components
        .get_or_insert_with(Default::default)
        .schemas
        .insert("Problem".into(), Problem::schema());
    for (path, item) in doc.paths.paths.iter_mut() {
        let ops = [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("patch", &mut item.patch),
        ];
        for (method, op) in ops {
            if let Some(op) = op {
                complete_operation(path, method, op);
            }
        }
    }
}

fn complete_operation(path: &str, method: &str, op: &mut Operation) {
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let params = op.parameters.as_deref().unwrap_or_default();
    let is_in = |place: ParameterIn| {
        params
            .iter()
            .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place))
    };
    let (in_path, in_query) = (is_in(ParameterIn::Path), is_in(ParameterIn::Query));
    let body = op.request_body.is_some();
    let mut add = |status: &str, why: &str| {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(ResponseBuilder::new().description(why).build()));
    };
    if secured {
        add(
            "401",
            "Not signed in: no valid session or token (`unauthenticated`)",
        );
        add(
            "403",
            "A right is missing (`denied`), or two-factor enrolment comes first",
        );
        if method != "get" {
            add(
                "409",
                "Refused by the organisation's state (a taken address or name, the last administrator…)",
            );
        }
    }
    if in_path {
        add("404", "Nothing of this organisation has this id");
    }
    if method == "get" {
        add(
            "503",
            "The database cannot be reached (`storage-unreachable`): retry after `Retry-After`",
        );
    } else {
        add(
            "503",
            "The data directory or database is read-only (`storage-read-only`), busy, or cannot be reached (`storage-unreachable`)",
        );
        add(
            "507",
            "The disk is full (`storage-full`): free space, then retry",
        );
    }
    if secured
        && (path.ends_with("/invitation") || path.ends_with("/resend") || path == "/api/v1/users")
        && method == "post"
    {
        add(
            "429",
            "Already 5 e-mails to this address within the hour (`recipient-limit`): wait the seconds of Retry-After",
        );
    }
    if body {
        add("400", "Malformed JSON, or not UTF-8");
        add("413", "Body too large");
        add("415", "Not JSON (Content-Type: application/json)");
        add(
            "422",
            "The content is refused: each error names its field and what is expected",
        );
    }
    if in_query {
        add("400", "Query parameters that cannot be read");
        add(
            "422",
            "Query parameters refused (a date range backwards, an unknown value…), each on its name",
        );
    }
    if !secured && method == "post" {
        add(
            "404",
            "No such organisation (`?org=` names one when the server holds several)",
        );
        add("429", "Too many attempts: wait the seconds of Retry-After");
        if ["/auth/login", "/setup", "/activate", "/confirm"]
            .iter()
            .any(|p| path.ends_with(p))
        {
            add(
                "503",
                "Password hashing is busy: try again after Retry-After",
            );
        }
    }
    for (status, answer) in op.responses.responses.iter_mut() {
        let is_error = status.starts_with('4') || status.starts_with('5');
        if let (true, RefOr::T(r)) = (is_error, answer) {
            if r.description.is_empty() {
                r.description = "A problem (RFC 9457)".into();
            }
            r.content
                .entry("application/problem+json".into())
                .or_insert_with(|| {
                    RefOr::T(
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("Problem")))
                            .build(),
                    )
                });
        }
    }
}
