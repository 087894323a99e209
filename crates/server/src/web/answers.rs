//! What a page answers when it cannot show itself: a message page, a refusal said on the
//! form's fields, or a page of its own for what is not found or not allowed.

use super::{Ctx, FormErrors, secure_headers};
use crate::problem::ApiError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sesame_app::i18n::{field_error, message};
use sesame_core::{FieldError, Language};

#[derive(Template)]
#[template(path = "web/message.html")]
struct MessagePage {
    lang: &'static str,
    title: String,
    text: String,
}

/// A page that only says what went wrong (the forms show their own errors in place).
pub(crate) fn error_page(lang: Language, status: StatusCode, text: &str) -> Response {
    let page = MessagePage {
        lang: lang.code(),
        title: message(lang, "web-error-title", &[]),
        text: text.to_string(),
    };
    let mut res = (status, Html(page.render().unwrap_or_default())).into_response();
    secure_headers(res.headers_mut());
    res
}

/// An application error as a page: its messages in the page's language.
pub(crate) fn failed(ctx: &Ctx, e: sesame_app::Error) -> Response {
    failed_api(ctx, ApiError::from(e))
}

pub(crate) fn failed_api(ctx: &Ctx, api: ApiError) -> Response {
    let text = api
        .errors
        .iter()
        .map(|e| field_error(ctx.lang, e))
        .collect::<Vec<_>>()
        .join(" ");
    error_page(ctx.lang, api.status, &text)
}

/// A deletion sent without its confirmation box ticked.
pub(crate) fn unconfirmed() -> sesame_app::Error {
    sesame_app::Error::Invalid(vec![FieldError::new("confirm", "web.delete_unconfirmed")])
}

/// A form's refusal: `Ok` with its messages by field and the status, to show the form again;
/// `Err` with a page that says so when the person may not do this at all or the thing is gone.
pub(crate) fn refusal(
    ctx: &Ctx,
    e: sesame_app::Error,
) -> Result<(FormErrors, StatusCode), Box<Response>> {
    let api = ApiError::from(e);
    if api.status == StatusCode::NOT_FOUND || api.status == StatusCode::FORBIDDEN {
        return Err(Box::new(failed_api(ctx, api)));
    }
    Ok((ctx.errors(&api.errors), api.status))
}

/// What a form answers: the place `outcome` names, or, refused, the form's page drawn `again`
/// with the refusal on its fields and its status (a page of its own when the person may not do
/// this at all or the thing is gone, as [`refusal`] decides).
pub(crate) async fn answer<Again, Drawn>(
    ctx: Ctx,
    outcome: Result<String, sesame_app::Error>,
    again: Again,
) -> Response
where
    Again: FnOnce(Ctx, FormErrors, StatusCode) -> Drawn,
    Drawn: Future<Output = Response>,
{
    match outcome {
        Ok(place) => Redirect::to(&place).into_response(),
        Err(e) => match refusal(&ctx, e) {
            Ok((errors, status)) => again(ctx, errors, status).await,
            Err(page) => *page,
        },
    }
}
