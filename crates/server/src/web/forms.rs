//! The pages' forms: their fields as sent ([`Posted`], checked against the CSRF cookie first),
//! their errors by field ([`FormErrors`], with the summary that names each field), where to go
//! back to, and the one-time value that keeps a form sent twice from acting twice ([`once`]).

use super::context::csrf_cookie_name;
use super::error_page;
use crate::ApiState;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use sesame_app::i18n::{field_error, message};
use sesame_core::{FieldError, Language};
use std::collections::BTreeMap;

/// A form's errors by field, in the order they were found, as the templates ask for them.
#[derive(Default)]
pub(crate) struct FormErrors(Vec<FieldErrors>, &'static str);

/// The errors of one field, with its name as the form's reader knows it (« Nom »; empty when
/// the field has none, or its message already begins with it).
pub(crate) struct FieldErrors {
    pub field: String,
    pub name: String,
    pub messages: Vec<String>,
}

impl FormErrors {
    /// `errors` said in `lang`, by field.
    pub fn new(lang: Language, errors: &[FieldError]) -> FormErrors {
        let mut out = FormErrors::default();
        for e in errors {
            let message = field_error(lang, e);
            match out.0.iter_mut().find(|f| f.field == e.field) {
                Some(f) => f.messages.push(message),
                None => {
                    let name = sesame_app::i18n::field_name(lang, &e.field);
                    // A message that begins with its field's name is not named twice.
                    let named = name != e.field && !message.starts_with(&name);
                    out.0.push(FieldErrors {
                        field: e.field.clone(),
                        name: if named { name } else { String::new() },
                        messages: vec![message],
                    })
                }
            }
        }
        out.1 = match lang {
            Language::Fr => " : ",
            Language::En => ": ",
        };
        out
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|f| f.field == field)
    }

    /// The messages of `field`, joined.
    pub fn of(&self, field: &str) -> String {
        self.0
            .iter()
            .find(|f| f.field == field)
            .map(|f| f.messages.join(" "))
            .unwrap_or_default()
    }

    /// Every field in error: the summary at the top of the form names each one and links to
    /// it (« Nom : Ce champ est obligatoire… »).
    pub fn all(&self) -> &[FieldErrors] {
        &self.0
    }

    /// Between a field's name and its message, as the language writes it.
    pub fn separator(&self) -> &'static str {
        self.1
    }

    /// `aria-invalid` for a field.
    pub fn invalid(&self, field: &str) -> &'static str {
        if self.has(field) { "true" } else { "false" }
    }
}

/// The value of `key` in a query string.
pub(crate) fn query_value(query: Option<&str>, key: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query?)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// Where to go back to after signing in: a path of ours, never another site.
pub(crate) fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.contains(['\r', '\n'])
        && !next.starts_with("/sign-in")
        && !next.starts_with("/sign-out");
    if ok { next.to_string() } else { "/".into() }
}

/// Checks a form's CSRF token against the cookie. Every POST handler calls it first.
pub(crate) fn check_csrf(state: &ApiState, headers: &HeaderMap, sent: &str) -> Option<Response> {
    let jar = CookieJar::from_headers(headers);
    let expected = jar
        .get(csrf_cookie_name(state.secure_cookies))
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    if !expected.is_empty()
        && constant_time_eq::constant_time_eq(expected.as_bytes(), sent.trim().as_bytes())
    {
        return None;
    }
    let lang = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::from_accept_language)
        .unwrap_or_default();
    Some(error_page(
        lang,
        StatusCode::FORBIDDEN,
        &message(lang, "web-csrf", &[]),
    ))
}

/// A form sent by one of our pages (`application/x-www-form-urlencoded`): its fields, once its
/// CSRF token matched the cookie. Every POST handler but the import's upload (multipart) takes
/// it, as its last argument.
pub(crate) struct Posted(pub BTreeMap<String, Vec<String>>);

impl FromRequest<ApiState> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, state: &ApiState) -> Result<Self, Response> {
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let form = form_fields(&body);
        match check_csrf(state, &headers, field(&form, "csrf")) {
            Some(refused) => Err(refused),
            None => Ok(Posted(form)),
        }
    }
}

/// A form's fields, as sent (`application/x-www-form-urlencoded`): every field a string,
/// absent ones empty, so a form never fails to parse on a missing box.
pub(crate) fn form_fields(body: &[u8]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).unwrap_or_default() {
        out.entry(k).or_default().push(v);
    }
    out
}

/// The first value of `key`, or "".
pub(crate) fn field<'a>(form: &'a BTreeMap<String, Vec<String>>, key: &str) -> &'a str {
    form.get(key)
        .and_then(|v| v.first())
        .map_or("", String::as_str)
}

/// Forms that create something carry a one-time `once` value: sent twice (a double click, a
/// reload that re-posts), the second sending finds the first's result instead of doing it
/// again, whichever instance answers each (see [`sesame_app::once`]: the values are in the
/// database, for an hour).
pub(crate) mod once {
    use sesame_app::App;

    /// A fresh value for a form.
    pub fn new() -> String {
        sesame_app::once::new()
    }

    /// `None`: this sending goes ahead (and must call [`done`] or [`forget`]). `Some(place)`:
    /// it was sent before; go where the first sending went. When the database cannot be
    /// reached, the sending goes ahead: its own write meets the same database and says so.
    pub async fn claim(app: &App, value: &str) -> Option<String> {
        sesame_app::once::claim(app, value)
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "could not check a form's one-time value");
                None
            })
    }

    /// The first sending succeeded and went to `place`.
    pub async fn done(app: &App, value: &str, place: &str) {
        if let Err(e) = sesame_app::once::done(app, value, place).await {
            tracing::warn!(error = %e, "could not record a form's one-time value");
        }
    }

    /// The first sending failed (its form is shown again, to be corrected and sent again).
    pub async fn forget(app: &App, value: &str) {
        if let Err(e) = sesame_app::once::forget(app, value).await {
            tracing::warn!(error = %e, "could not forget a form's one-time value");
        }
    }
}
