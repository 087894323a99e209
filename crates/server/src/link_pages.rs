//! The pages e-mail links open — `/activate`, `/password-reset`, `/confirm-email` — and the
//! forgotten-password form: plain forms (no script) over the same operations as the API.
//!
//! A link is never used by opening it (mail scanners open links): each page asks the person to
//! act. A spent link (expired, used, replaced) leads to a button that sends a new one to the
//! account's address, rather than to a dead end. The URL holds a secret: the pages send
//! `Referrer-Policy: no-referrer`, and opening it moves the token into a cookie of its own and
//! redirects to the same page without it, so that the address the browser keeps in its
//! history, shows and may sync holds no secret; the cookie goes once the link is used.
//! Their forms are refused when posted from another site ([`SameSite`]).

use crate::ApiState;
use crate::extract::{Client, SameSite};
use crate::problem::ApiError;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use secrecy::SecretString;
use serde::Deserialize;
use sesame_app::access::{self, LinkInfo, ResetRequest, TokenPassword};
use sesame_app::auth::sign_in::Origin;
use sesame_app::i18n::{field_error, message};
use sesame_app::mail::LinkKind;
use sesame_app::{Error, auth};
use sesame_core::Language;

struct Field {
    name: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    label: String,
    hint: String,
}

struct PageForm {
    action: &'static str,
    token: String,
    fields: Vec<Field>,
    submit: String,
}

#[derive(Template)]
#[template(path = "link.html")]
struct Page {
    lang: &'static str,
    title: String,
    paragraphs: Vec<String>,
    errors: Vec<String>,
    forms: Vec<PageForm>,
}

impl Page {
    fn new(lang: Language, title: &str) -> Self {
        Self {
            lang: lang.code(),
            title: message(lang, title, &[]),
            paragraphs: Vec::new(),
            errors: Vec::new(),
            forms: Vec::new(),
        }
    }

    fn respond(self, status: StatusCode) -> Response {
        crate::setup_page::secret_page(self.render().unwrap_or_default(), status)
    }

    /// The page with the errors of `e` above its forms, answered with `e`'s status.
    fn failed(mut self, lang: Language, e: Error) -> Response {
        let api = ApiError::from(e);
        self.errors = api.errors.iter().map(|e| field_error(lang, e)).collect();
        self.respond(api.status)
    }
}

/// The form of a live link.
fn form_page(lang: Language, spec: &Spec, info: LinkInfo, token: &str) -> Page {
    let mut page = Page::new(lang, spec.title);
    page.paragraphs.push(message(
        lang,
        spec.intro,
        &[
            ("login", info.login),
            ("org", info.organisation),
            ("new_email", info.new_email.unwrap_or_default()),
        ],
    ));
    page.forms.push(PageForm {
        action: spec.action,
        token: token.to_string(),
        fields: if spec.with_password {
            vec![password_field(lang)]
        } else {
            Vec::new()
        },
        submit: message(lang, spec.submit, &[]),
    });
    page
}

fn password_field(lang: Language) -> Field {
    Field {
        name: "password",
        kind: "password",
        autocomplete: "new-password",
        label: message(lang, "page-setup-password", &[]),
        hint: message(lang, "page-link-password-hint", &[]),
    }
}

fn email_field(lang: Language) -> Field {
    Field {
        name: "email",
        kind: "email",
        autocomplete: "email",
        label: message(lang, "page-setup-email", &[]),
        hint: String::new(),
    }
}

fn accept_language(headers: &HeaderMap) -> Language {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::from_accept_language)
        .unwrap_or_default()
}

/// What each kind of link's page says and does.
struct Spec {
    kind: LinkKind,
    action: &'static str,
    title: &'static str,
    intro: &'static str,
    submit: &'static str,
    with_password: bool,
}

const ACTIVATE: Spec = Spec {
    kind: LinkKind::Invitation,
    action: "/activate",
    title: "page-activate-title",
    intro: "page-activate-intro",
    submit: "page-activate-submit",
    with_password: true,
};
const RESET: Spec = Spec {
    kind: LinkKind::PasswordReset,
    action: "/password-reset",
    title: "page-reset-title",
    intro: "page-reset-intro",
    submit: "page-reset-submit",
    with_password: true,
};
const CONFIRM_EMAIL: Spec = Spec {
    kind: LinkKind::EmailChange,
    action: "/confirm-email",
    title: "page-email-title",
    intro: "page-email-intro",
    submit: "page-email-submit",
    with_password: false,
};

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The cookie an opened link's token waits in (`HttpOnly`, `SameSite=Lax` so that it comes
/// back on the redirect that follows a click in a mail program, an hour at most).
fn link_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-sesame-link"
    } else {
        "sesame_link"
    }
}

fn link_cookie(token: &str, secure: bool, max_age_secs: i64) -> Cookie<'static> {
    crate::session_cookie::secret_cookie(link_cookie_name(secure), token, secure, max_age_secs)
}

/// The cookie's removal, once its link has been used.
pub(crate) fn forget_link(jar: CookieJar, secure: bool) -> CookieJar {
    let mut c = link_cookie("", secure, 0);
    c.make_removal();
    jar.add(c)
}

/// A link opened with its token in the address: the token moves to the cookie and the browser
/// goes back to the page without it.
pub(crate) fn hide_token(s: &ApiState, path: &str, token: &str) -> Option<Response> {
    if token.is_empty() {
        return None;
    }
    let jar = CookieJar::new().add(link_cookie(token, s.secure_cookies, 3600));
    Some((jar, Redirect::to(path)).into_response())
}

/// The token of the link opened last, kept in its cookie.
pub(crate) fn link_token(s: &ApiState, jar: &CookieJar) -> String {
    jar.get(link_cookie_name(s.secure_cookies))
        .map(|c| c.value().to_owned())
        .unwrap_or_default()
}

/// The page of a link: its form when the link is live, else why not and what to do.
async fn show(s: &ApiState, spec: &Spec, headers: &HeaderMap, token: &str) -> Response {
    let fallback = accept_language(headers);
    match access::inspect(&s.app, token, spec.kind).await {
        Ok(info) => {
            let lang = Language::parse(&info.language).unwrap_or(fallback);
            form_page(lang, spec, info, token).respond(StatusCode::OK)
        }
        Err(e) => problem_page(s, fallback, spec, token, e).await,
    }
}

/// A link that cannot be used: the reason, and a way forward.
async fn problem_page(
    s: &ApiState,
    lang: Language,
    spec: &Spec,
    token: &str,
    e: Error,
) -> Response {
    let mut page = Page::new(lang, spec.title);
    if e.renewable() {
        page.forms.push(PageForm {
            action: "/links/renew",
            token: token.to_string(),
            fields: Vec::new(),
            submit: message(lang, "page-renew-submit", &[]),
        });
    } else if spec.kind != LinkKind::EmailChange {
        page.paragraphs
            .push(message(lang, "page-forgot-intro", &[]));
        page.forms.push(forgot_form(s, lang).await);
    }
    page.failed(lang, e)
}

/// The forgotten-password form; with several organisations on this server, it asks for the
/// organisation's identifier (typed: never chosen from a list, which would tell anyone which
/// exist).
async fn forgot_form(s: &ApiState, lang: Language) -> PageForm {
    let mut fields = vec![email_field(lang)];
    if s.app.several_orgs().await.unwrap_or(true) {
        fields.insert(
            0,
            Field {
                name: "org",
                kind: "text",
                autocomplete: "organization",
                label: message(lang, "web-sign-in-org", &[]),
                hint: message(lang, "web-sign-in-org-hint", &[]),
            },
        );
    }
    PageForm {
        action: "/password-reset",
        token: String::new(),
        fields,
        submit: message(lang, "page-forgot-submit", &[]),
    }
}

pub async fn show_activate(
    State(s): State<ApiState>,
    headers: HeaderMap,
    jar: CookieJar,
    Query(q): Query<TokenQuery>,
) -> Response {
    if let Some(moved) = hide_token(&s, ACTIVATE.action, &q.token) {
        return moved;
    }
    show(&s, &ACTIVATE, &headers, &link_token(&s, &jar)).await
}

/// Without a token: the forgotten-password form.
pub async fn show_reset(
    State(s): State<ApiState>,
    headers: HeaderMap,
    jar: CookieJar,
    Query(q): Query<TokenQuery>,
) -> Response {
    if let Some(moved) = hide_token(&s, RESET.action, &q.token) {
        return moved;
    }
    let token = link_token(&s, &jar);
    if token.is_empty() {
        let lang = accept_language(&headers);
        let mut page = Page::new(lang, "page-forgot-title");
        page.paragraphs
            .push(message(lang, "page-forgot-intro", &[]));
        page.forms.push(forgot_form(&s, lang).await);
        return page.respond(StatusCode::OK);
    }
    show(&s, &RESET, &headers, &token).await
}

pub async fn show_confirm_email(
    State(s): State<ApiState>,
    headers: HeaderMap,
    jar: CookieJar,
    Query(q): Query<TokenQuery>,
) -> Response {
    if let Some(moved) = hide_token(&s, CONFIRM_EMAIL.action, &q.token) {
        return moved;
    }
    show(&s, &CONFIRM_EMAIL, &headers, &link_token(&s, &jar)).await
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    email: String,
    /// The organisation's identifier, asked when several share this server.
    #[serde(default)]
    org: String,
}

/// A refused password keeps the form (the link stays usable); any other error is the link's.
async fn after_error(
    s: &ApiState,
    spec: &Spec,
    headers: &HeaderMap,
    token: &str,
    e: Error,
) -> Response {
    let fallback = accept_language(headers);
    if !matches!(e, Error::Invalid(_)) {
        return problem_page(s, fallback, spec, token, e).await;
    }
    match access::inspect(&s.app, token, spec.kind).await {
        Ok(info) => {
            let lang = Language::parse(&info.language).unwrap_or(fallback);
            form_page(lang, spec, info, token).failed(lang, e)
        }
        Err(link) => problem_page(s, fallback, spec, token, link).await,
    }
}

fn done(lang: Language, title: &str, text: String) -> Response {
    let mut page = Page::new(lang, title);
    page.paragraphs.push(text);
    page.respond(StatusCode::OK)
}

pub async fn submit_activate(
    State(s): State<ApiState>,
    _: SameSite,
    client: Client,
    headers: HeaderMap,
    jar: CookieJar,
    Form(f): Form<LinkForm>,
) -> Response {
    let input = TokenPassword {
        token: SecretString::from(f.token.clone()),
        password: SecretString::from(f.password),
    };
    let origin = Origin {
        source: client.source,
        user_agent: client.user_agent,
        device: None,
    };
    match access::activate(&s.app, input, origin).await {
        Ok(mut signed) => {
            let device = crate::session_cookie::device::header(
                signed.device_cookie.take(),
                s.secure_cookies,
            );
            let lang = Language::parse(&signed.user.language).unwrap_or_default();
            let cookie = crate::session_cookie::set(
                &signed.token,
                s.secure_cookies,
                auth::SESSION_LIFETIME_MS / 1000,
            );
            let page = done(
                lang,
                "page-activate-title",
                message(lang, "page-activate-done", &[("login", signed.user.login)]),
            );
            (forget_link(jar.add(cookie), s.secure_cookies), device, page).into_response()
        }
        Err(e) => after_error(&s, &ACTIVATE, &headers, &f.token, e).await,
    }
}

/// With a token: the new password. Without: the forgotten-password request.
pub async fn submit_reset(
    State(s): State<ApiState>,
    _: SameSite,
    client: Client,
    headers: HeaderMap,
    jar: CookieJar,
    Form(f): Form<LinkForm>,
) -> Response {
    let lang = accept_language(&headers);
    if f.token.is_empty() {
        let request = ResetRequest { email: f.email };
        let source = client.source.as_deref();
        let result = match s.app.org_for_visitor(Some(&f.org)).await {
            Ok(Some(org)) => access::request_reset(&s.app, &org, request, source).await,
            // Answered as an address nobody has: which organisations exist is never told.
            Ok(None) => access::request_reset_in_unknown_org(&s.app, &f.org, request, source).await,
            Err(e) => Err(e),
        };
        return match result {
            Ok(()) => done(
                lang,
                "page-forgot-title",
                message(lang, "access-reset-requested", &[]),
            ),
            Err(e) => {
                let mut page = Page::new(lang, "page-forgot-title");
                page.forms.push(forgot_form(&s, lang).await);
                page.failed(lang, e)
            }
        };
    }
    let input = TokenPassword {
        token: SecretString::from(f.token.clone()),
        password: SecretString::from(f.password),
    };
    match access::confirm_reset(&s.app, input, client.source.as_deref()).await {
        Ok(()) => (
            forget_link(jar, s.secure_cookies),
            done(
                lang,
                "page-reset-title",
                message(lang, "page-reset-done", &[]),
            ),
        )
            .into_response(),
        Err(e) => after_error(&s, &RESET, &headers, &f.token, e).await,
    }
}

pub async fn submit_confirm_email(
    State(s): State<ApiState>,
    _: SameSite,
    client: Client,
    headers: HeaderMap,
    jar: CookieJar,
    Form(f): Form<LinkForm>,
) -> Response {
    let lang = accept_language(&headers);
    match access::confirm_email(&s.app, &f.token, client.source.as_deref()).await {
        Ok(c) => (
            forget_link(jar, s.secure_cookies),
            done(
                lang,
                "page-email-title",
                message(
                    lang,
                    "page-email-done",
                    &[("email", c.email), ("login", c.login)],
                ),
            ),
        )
            .into_response(),
        Err(e) => after_error(&s, &CONFIRM_EMAIL, &headers, &f.token, e).await,
    }
}

pub async fn submit_renew(
    State(s): State<ApiState>,
    _: SameSite,
    client: Client,
    headers: HeaderMap,
    Form(f): Form<LinkForm>,
) -> Response {
    let lang = accept_language(&headers);
    match access::renew(&s.app, &f.token, client.source.as_deref()).await {
        Ok(()) => done(
            lang,
            "page-renew-title",
            message(lang, "access-link-renewed", &[]),
        ),
        Err(e) => Page::new(lang, "page-renew-title").failed(lang, e),
    }
}
