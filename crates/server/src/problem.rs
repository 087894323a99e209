//! The one place where errors become HTTP: `application/problem+json` (RFC 9457) with a list of
//! `{field, code, message}`, in the request's language.
//!
//! Handlers return [`ApiError`]; it travels in the response's extensions to the [`render`]
//! middleware, which knows the request's `Accept-Language` and writes the body.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sesame_app::{Error, i18n};
use sesame_core::{FieldError, Language};

/// An error on its way to becoming a problem document.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    /// Slug of the problem type (`invalid`, `conflict`, …), also the title's message id.
    pub kind: &'static str,
    pub errors: Vec<FieldError>,
    /// The language of the person, when known (else the request's, else French).
    pub language: Option<Language>,
    /// Seconds to wait before trying again (`Retry-After`), for 429 and 503.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, errors: Vec<FieldError>) -> Self {
        Self {
            status,
            kind,
            errors,
            language: None,
            retry_after: None,
        }
    }

    pub fn bad_request(e: FieldError) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad-request", vec![e])
    }

    pub fn in_language(mut self, lang: Language) -> Self {
        self.language = Some(lang);
        self
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        use StatusCode as S;
        let (status, kind) = match &e {
            Error::Invalid(_) => (S::UNPROCESSABLE_ENTITY, "invalid"),
            Error::Conflict(_) => (S::CONFLICT, "conflict"),
            Error::Refused(_) => (S::CONFLICT, "refused"),
            Error::Denied(_) | Error::RoleDenied(_) => (S::FORBIDDEN, "denied"),
            Error::NotFound(_) => (S::NOT_FOUND, "not-found"),
            Error::Unauthenticated(_) => (S::UNAUTHORIZED, "unauthenticated"),
            // The type says two-factor is required, whether the code is missing or wrong.
            Error::SecondFactor(_) => (S::UNAUTHORIZED, "mfa-required"),
            Error::EnrolmentRequired => (S::FORBIDDEN, "mfa-enrolment-required"),
            Error::SessionRequired => (S::FORBIDDEN, "session-required"),
            Error::Throttled(_) => (S::TOO_MANY_REQUESTS, "throttled"),
            Error::Link(_) if e.renewable() => (S::GONE, "link-spent"),
            Error::Link(_) => (S::BAD_REQUEST, "link-invalid"),
            // The server is stopping: another instance, or this one once restarted, answers.
            Error::Busy | Error::Interrupted => (S::SERVICE_UNAVAILABLE, "busy"),
            Error::DiskFull(_) | Error::ReadOnly(_) => {
                tracing::error!(error = %e, "the database cannot be written");
                match &e {
                    Error::DiskFull(_) => (S::INSUFFICIENT_STORAGE, "storage-full"),
                    _ => (S::SERVICE_UNAVAILABLE, "storage-read-only"),
                }
            }
            Error::Unreachable(_) => {
                tracing::error!(error = %e, "the database cannot be reached");
                (S::SERVICE_UNAVAILABLE, "storage-unreachable")
            }
            Error::RecipientLimit { .. } => (S::TOO_MANY_REQUESTS, "recipient-limit"),
            Error::Store(_) | Error::Internal(_) => {
                tracing::error!(error = %e, "internal error");
                (S::INTERNAL_SERVER_ERROR, "internal")
            }
        };
        Self {
            retry_after: match &e {
                Error::Throttled(secs) => Some(*secs),
                Error::Busy | Error::Interrupted => Some(1),
                Error::Unreachable(_) => Some(2),
                Error::RecipientLimit { wait_secs, .. } => Some(*wait_secs),
                _ => None,
            },
            ..Self::new(status, kind, e.field_errors())
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = self.status.into_response();
        res.extensions_mut().insert(self);
        res
    }
}

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: String,
    status: u16,
    detail: String,
    errors: Vec<ProblemField<'a>>,
}

#[derive(Serialize)]
struct ProblemField<'a> {
    field: &'a str,
    code: &'a str,
    message: String,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    args: serde_json::Map<String, serde_json::Value>,
}

/// Writes pending problems in the request's language.
pub async fn render(req: Request, next: Next) -> Response {
    let asked = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::from_accept_language);
    let mut res = next.run(req).await;
    let Some(err) = res.extensions_mut().remove::<ApiError>() else {
        return res;
    };
    let lang = asked.or(err.language).unwrap_or_default();
    let errors: Vec<ProblemField<'_>> = err
        .errors
        .iter()
        .map(|e| {
            let args = i18n::args_of(lang, e, true);
            ProblemField {
                field: &e.field,
                code: e.code,
                message: i18n::message(lang, e.code, &args),
                args: e
                    .args
                    .iter()
                    .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
                    .collect(),
            }
        })
        .collect();
    let problem = Problem {
        kind: format!("urn:sesame:problem:{}", err.kind),
        title: i18n::message(lang, &format!("problem.{}", err.kind), &[]),
        status: err.status.as_u16(),
        detail: errors
            .iter()
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join(" "),
        errors,
    };
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let mut out = (err.status, body).into_response();
    out.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    out.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    if err.status == StatusCode::UNAUTHORIZED {
        out.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    if let Some(secs) = err.retry_after {
        out.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    out
}
