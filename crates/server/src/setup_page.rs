//! The page behind the one-time setup link that `sesame serve` prints: a plain form (no
//! script) that creates the first administrator through the same operation as
//! `POST /api/v1/setup`.

use crate::extract::SameSite;
use crate::{ApiState, link_pages};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;
use sesame_app::i18n::{field_error, message};
use sesame_core::Language;

#[derive(Template)]
#[template(path = "setup.html")]
struct Page {
    lang: &'static str,
    title: String,
    intro: String,
    done: bool,
    done_text: String,
    errors: Vec<String>,
    token: String,
    organisation: String,
    first_name: String,
    last_name: String,
    email: String,
    login: String,
    l_org: String,
    l_first: String,
    l_last: String,
    l_email: String,
    l_login: String,
    l_login_hint: String,
    l_password: String,
    l_password_hint: String,
    l_submit: String,
    l_sign_in: String,
}

impl Page {
    fn new(lang: Language, token: &str) -> Self {
        let t = |id: &str| message(lang, id, &[]);
        Self {
            lang: lang.code(),
            title: t("page-setup-title"),
            intro: t("page-setup-intro"),
            done: false,
            done_text: String::new(),
            errors: Vec::new(),
            token: token.to_string(),
            organisation: String::new(),
            first_name: String::new(),
            last_name: String::new(),
            email: String::new(),
            login: String::new(),
            l_org: t("page-setup-organisation"),
            l_first: t("page-setup-first-name"),
            l_last: t("page-setup-last-name"),
            l_email: t("page-setup-email"),
            l_login: t("page-setup-login"),
            l_login_hint: t("page-setup-login-hint"),
            l_password: t("page-setup-password"),
            l_password_hint: t("page-setup-password-hint"),
            l_submit: t("page-setup-submit"),
            l_sign_in: t("page-setup-sign-in"),
        }
    }

    fn respond(self, status: StatusCode) -> Response {
        secret_page(self.render().unwrap_or_default(), status)
    }
}

/// A page whose URL carries a secret (setup and e-mail links): never sent on as a referrer,
/// never framed, no script.
pub(crate) fn secret_page(body: String, status: StatusCode) -> Response {
    let mut res = (status, Html(body)).into_response();
    let h = res.headers_mut();
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    res
}

fn language(headers: &HeaderMap) -> Language {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::from_accept_language)
        .unwrap_or_default()
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The link's token moves out of the address into a cookie first, as with e-mailed links
/// ([`crate::link_pages`]).
pub async fn show(
    State(s): State<ApiState>,
    headers: HeaderMap,
    jar: CookieJar,
    Query(q): Query<TokenQuery>,
) -> Response {
    if let Some(moved) = link_pages::hide_token(&s, "/setup", &q.token) {
        return moved;
    }
    Page::new(language(&headers), &link_pages::link_token(&s, &jar)).respond(StatusCode::OK)
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

pub async fn submit(
    State(s): State<ApiState>,
    _: SameSite,
    headers: HeaderMap,
    jar: CookieJar,
    Form(f): Form<SetupForm>,
) -> Response {
    let lang = language(&headers);
    let opt = |v: &str| (!v.trim().is_empty()).then(|| v.to_string());
    let input = sesame_app::setup::SetupInput {
        token: f.token.clone(),
        organisation: opt(&f.organisation),
        login: opt(&f.login),
        email: f.email.clone(),
        first_name: opt(&f.first_name),
        last_name: opt(&f.last_name),
        password: f.password.into(),
    };
    let mut page = Page::new(lang, &f.token);
    match sesame_app::setup::complete(&s.app, input, None).await {
        Ok(user) => {
            page.done = true;
            page.done_text = message(lang, "page-setup-done", &[("login", user.login)]);
            (
                link_pages::forget_link(jar, s.secure_cookies),
                page.respond(StatusCode::CREATED),
            )
                .into_response()
        }
        Err(e) => {
            let api = crate::problem::ApiError::from(e);
            let status = api.status;
            page.errors = api.errors.iter().map(|e| field_error(lang, e)).collect();
            page.organisation = f.organisation;
            page.first_name = f.first_name;
            page.last_name = f.last_name;
            page.email = f.email;
            page.login = f.login;
            page.respond(status)
        }
    }
}
