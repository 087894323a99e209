//! The web pages: server-rendered HTML from the same binary (askama templates in
//! `templates/web/`, every sentence from the Fluent catalogues), a stylesheet and a small
//! script that only improves what already works without it.
//!
//! Each page goes through the operations of `sesame-app` the API uses, as the signed-in person
//! (the session cookie the API's sign-in sets). What protects the forms:
//! - a CSRF token in every form, equal to a cookie of its own (`SameSite=Strict`, `HttpOnly`,
//!   `__Host-` when secure), checked before anything else; and the cross-site refusal of
//!   [`crate::extract`] (Sec-Fetch-Site, Origin);
//! - a Content-Security-Policy without inline script or style, `frame-ancestors 'none'`;
//! - `Cache-Control: no-store` (the router's default) so no page with personal data or a
//!   secret is kept.

mod account;
mod assets;
mod audit;
mod emails;
mod groups;
mod import;
mod preferences;
mod roles;
mod settings;
mod sign_in;
mod users;

use crate::ApiState;
use crate::problem::ApiError;
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use secrecy::ExposeSecret;
use sesame_app::Principal;
use sesame_app::i18n::{field_error, message};
use sesame_core::{FieldError, Language, Permission};
use std::collections::BTreeMap;

pub(crate) fn routes() -> Router<ApiState> {
    table()
        .into_iter()
        .fold(Router::new(), |router, r| router.route(r.path, r.to))
        .layer(axum::extract::DefaultBodyLimit::max(import::MAX_UPLOAD))
}

/// The (method, path) of every page route, in the order of [`table`].
pub(crate) fn listed() -> Vec<(Method, &'static str)> {
    table().into_iter().map(|r| (r.method, r.path)).collect()
}

/// One route: a method, a path, and what answers it.
pub(crate) struct Route {
    pub method: Method,
    pub path: &'static str,
    pub to: MethodRouter<ApiState>,
}

/// A route of `handler` for `method` on `path` (the method is named once, so the listing cannot
/// disagree with what is served).
pub(crate) fn at<H, T>(method: Method, path: &'static str, handler: H) -> Route
where
    H: Handler<T, ApiState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("a method axum routes");
    Route {
        method,
        path,
        to: on(filter, handler),
    }
}

/// Every page route, a line each. The router is built from this table and [`listed`] reads it,
/// because axum cannot list a router's routes and the test over every route
/// (`tests/it/routes.rs`) must see each one served: a page added here without its line there
/// fails that test.
fn table() -> Vec<Route> {
    vec![
        at(Method::GET, "/", home),
        at(Method::GET, "/assets/{name}", assets::serve),
        at(Method::POST, "/language", set_language),
        at(Method::GET, "/sign-in", sign_in::show),
        at(Method::POST, "/sign-in", sign_in::submit),
        at(Method::GET, "/sign-in/code", sign_in::show_code),
        at(Method::POST, "/sign-in/code", sign_in::submit_code),
        at(Method::POST, "/sign-out", sign_in::sign_out),
        at(Method::GET, "/users", users::list),
        at(Method::GET, "/users/new", users::new_form),
        at(Method::POST, "/users/new", users::create),
        at(Method::GET, "/users/suggest-login", users::suggest_login),
        at(Method::GET, "/users/{id}", users::show),
        at(
            Method::POST,
            "/users/{id}/notifications",
            preferences::save_user_notifications,
        ),
        at(
            Method::POST,
            "/users/{id}/signature",
            preferences::save_user_signature,
        ),
        at(Method::POST, "/users/{id}/profile", users::save_profile),
        at(Method::POST, "/users/{id}/login", users::save_login),
        at(Method::POST, "/users/{id}/roles", users::save_roles),
        at(Method::POST, "/users/{id}/send-access", users::send_access),
        at(
            Method::POST,
            "/users/{id}/end-sessions",
            users::end_sessions,
        ),
        at(
            Method::POST,
            "/users/{id}/reset-two-factor",
            users::reset_two_factor,
        ),
        at(Method::POST, "/users/{id}/disable", users::disable),
        at(Method::POST, "/users/{id}/enable", users::enable),
        at(Method::POST, "/users/{id}/delete", users::delete),
        at(Method::GET, "/import", import::show),
        at(Method::POST, "/import", import::upload),
        at(Method::GET, "/import/{id}", import::job),
        at(Method::POST, "/import/{id}/apply", import::apply),
        at(
            Method::POST,
            "/import/{id}/apply-valid",
            import::apply_valid,
        ),
        at(Method::GET, "/account", account::show),
        at(Method::POST, "/account", account::save),
        at(Method::GET, "/groups", groups::list),
        at(Method::POST, "/groups", groups::create),
        at(Method::GET, "/groups/{id}", groups::show),
        at(Method::POST, "/groups/{id}/save", groups::save),
        at(
            Method::POST,
            "/groups/{id}/add-member",
            groups::add_member_form,
        ),
        at(
            Method::POST,
            "/groups/{id}/remove-member",
            groups::remove_member,
        ),
        at(Method::POST, "/groups/{id}/delete", groups::delete),
        at(Method::GET, "/roles", roles::list),
        at(Method::GET, "/roles/new", roles::new_form),
        at(Method::POST, "/roles/new", roles::create),
        at(Method::GET, "/roles/{id}", roles::show),
        at(Method::POST, "/roles/{id}/save", roles::save),
        at(Method::POST, "/roles/{id}/delete", roles::delete),
        at(Method::GET, "/settings", settings::show),
        at(Method::POST, "/settings", settings::save),
        at(Method::GET, "/account/two-factor", account::show_two_factor),
        at(Method::POST, "/account/two-factor", account::two_factor),
        at(
            Method::GET,
            "/account/notifications",
            preferences::show_notifications,
        ),
        at(
            Method::POST,
            "/account/notifications",
            preferences::save_notifications,
        ),
        at(
            Method::GET,
            "/account/signature",
            preferences::show_signature,
        ),
        at(
            Method::POST,
            "/account/signature",
            preferences::save_signature,
        ),
        at(Method::GET, "/audit", audit::list),
        at(Method::GET, "/audit/export", audit::export),
        at(Method::GET, "/emails", emails::list),
        at(Method::POST, "/emails/{id}/resend", emails::resend),
    ]
}

/// The policy every page is sent with: scripts and styles from our own `/assets` only.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The cookie the language switch sets: an explicit choice wins over everything else.
pub(crate) const LANG_COOKIE: &str = "sesame_lang";

fn csrf_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-sesame-csrf"
    } else {
        "sesame_csrf"
    }
}

/// What every page knows: its language, the CSRF token of its forms, where it is, and who
/// looks at it.
pub(crate) struct Ctx {
    pub lang: Language,
    pub csrf: String,
    /// Path and query of this page (the language switch and the sign-in come back to it).
    pub here: String,
    pub me: Option<Me>,
    /// Set when the CSRF cookie is new: sent with the page.
    new_cookie: Option<Cookie<'static>>,
    /// A message for the page after a change (`?done=` names it).
    pub notice: Option<String>,
    /// The zone the page's dates are shown in: the organisation's (UTC before sign-in).
    pub zone: sesame_core::Zone,
}

/// The signed-in person, as the navigation shows them.
pub(crate) struct Me {
    pub name: String,
    pub org_name: String,
    pub may_users: bool,
    pub may_create: bool,
    pub may_import: bool,
    pub may_export: bool,
    pub may_audit: bool,
    /// The outbox is for those who change the organisation's settings (as the app says).
    pub may_emails: bool,
    pub may_sign: bool,
    /// Groups: to manage them, or to see who is in them.
    pub may_groups: bool,
    /// Roles: to define them, or to know what those one gives mean.
    pub may_roles: bool,
    pub may_settings: bool,
    /// May only enrol in two-factor: the menu leads nowhere else.
    pub must_enrol: bool,
}

impl Ctx {
    fn new(state: &ApiState, parts: &Parts, who: Option<&Principal>, org_lang: Language) -> Self {
        let jar = CookieJar::from_headers(&parts.headers);
        let explicit = jar
            .get(LANG_COOKIE)
            .and_then(|c| Language::parse(c.value()).ok());
        let personal = who
            .and_then(|w| w.user.as_ref())
            .and_then(|u| Language::parse(&u.language).ok());
        let accepted = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Language::from_accept_language);
        let lang = explicit.or(personal).or(accepted).unwrap_or(org_lang);
        let secure = state.secure_cookies;
        let (csrf, new_cookie) = match jar.get(csrf_cookie_name(secure)) {
            Some(c) if c.value().len() >= 32 => (c.value().to_string(), None),
            _ => {
                let token = sesame_app::secret::generate("").expose_secret().to_string();
                let cookie = Cookie::build((csrf_cookie_name(secure), token.clone()))
                    .http_only(true)
                    .secure(secure)
                    .same_site(SameSite::Strict)
                    .path("/")
                    .build();
                (token, Some(cookie))
            }
        };
        let here = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        let notice = query_value(parts.uri.query(), "done")
            .filter(|d| d.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            .map(|d| message(lang, &format!("web-done-{d}"), &[]));
        let me = who.map(|w| {
            // The menu is the policy's: it never offers a page the rules would refuse.
            let menu = sesame_core::policy::menu::menu(&w.actor);
            let user = w.user.as_ref();
            let name = user
                .map(|u| {
                    let full = [u.first_name.as_deref(), u.last_name.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    if full.is_empty() {
                        u.login.clone()
                    } else {
                        full
                    }
                })
                .unwrap_or_default();
            Me {
                name,
                org_name: w.org.row.name.clone(),
                may_users: menu.users,
                may_create: menu.create,
                may_import: menu.import,
                may_export: menu.export,
                may_audit: menu.audit,
                may_emails: menu.emails,
                may_sign: menu.signature,
                may_groups: menu.groups,
                may_roles: menu.roles,
                may_settings: menu.settings,
                must_enrol: w.must_enrol,
            }
        });
        Ctx {
            lang,
            csrf,
            here,
            me,
            new_cookie,
            notice,
            zone: who.map_or_else(sesame_core::Zone::utc, |w| w.org.zone.clone()),
        }
    }

    /// The sentence `id` of the catalogue.
    pub fn t(&self, id: &str) -> String {
        message(self.lang, id, &[])
    }

    /// The sentence `id`, or `raw` when the catalogues have none (a code named by the data,
    /// such as an alert type another application registered).
    pub fn t_or(&self, id: &str, raw: &str) -> String {
        match self.t(id) {
            t if t == id => raw.to_string(),
            t => t,
        }
    }

    /// The sentence `id` with one argument.
    pub fn t1(&self, id: &str, name: &str, value: &dyn std::fmt::Display) -> String {
        message(self.lang, id, &[(name, value.to_string())])
    }

    /// A time the views carry (RFC 3339, UTC) as the reader says it, in the organisation's
    /// zone: « 4 décembre 2026 à 15 h 13 ».
    pub fn when(&self, at: &str) -> String {
        sesame_app::time::date_time_of(self.lang, &self.zone, at)
    }

    /// The day of such a time: « 4 décembre 2026 ».
    pub fn day(&self, at: &str) -> String {
        sesame_app::time::date_of(self.lang, &self.zone, at)
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// What sits between a name and its value: French puts a space before the colon.
    pub fn colon(&self) -> &'static str {
        match self.lang {
            Language::Fr => " : ",
            Language::En => ": ",
        }
    }

    /// The language the switch offers.
    pub fn other_lang(&self) -> &'static str {
        match self.lang {
            Language::Fr => "en",
            Language::En => "fr",
        }
    }

    /// The switch's label, in the language it switches to (so that someone who does not read
    /// this one finds theirs).
    pub fn other_lang_label(&self) -> &'static str {
        match self.lang {
            Language::Fr => "English",
            Language::En => "Français",
        }
    }

    /// Whether the navigation marks `prefix` as the current section.
    pub fn current(&self, prefix: &str) -> bool {
        let path = self.here.split('?').next().unwrap_or("");
        path == prefix || path.starts_with(&format!("{prefix}/"))
    }

    /// A page: the HTML, its security headers, and the CSRF cookie when it is new.
    pub fn page(self, status: StatusCode, body: String) -> Response {
        let mut res = (status, Html(body)).into_response();
        secure_headers(res.headers_mut());
        self.with_cookie(res)
    }

    fn with_cookie(self, mut res: Response) -> Response {
        if let Some(c) = self.new_cookie
            && let Ok(v) = HeaderValue::from_str(&c.to_string())
        {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
        res
    }

    /// The messages of an error, in this page's language, by field ("" for the form).
    pub fn errors(&self, errors: &[FieldError]) -> FormErrors {
        let mut out = FormErrors::default();
        for e in errors {
            let message = field_error(self.lang, e);
            match out.0.iter_mut().find(|f| f.field == e.field) {
                Some(f) => f.messages.push(message),
                None => {
                    let name = sesame_app::i18n::field_name(self.lang, &e.field);
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
        out.1 = match self.lang {
            Language::Fr => " : ",
            Language::En => ": ",
        };
        out
    }
}

pub(crate) fn secure_headers(h: &mut HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

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

/// A page for anyone: the context, with the person when signed in.
pub(crate) struct Visitor {
    pub ctx: Ctx,
    pub who: Option<Principal>,
}

impl FromRequestParts<ApiState> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, Response> {
        let who = session(parts, state).await;
        let org_lang = match &who {
            Some(w) => w.org.language,
            None => state
                .app
                .org(None)
                .await
                .map(|o| o.language)
                .unwrap_or_default(),
        };
        Ok(Visitor {
            ctx: Ctx::new(state, parts, who.as_ref(), org_lang),
            who,
        })
    }
}

/// The person the session cookie names, if it is live.
async fn session(parts: &Parts, state: &ApiState) -> Option<Principal> {
    let jar = CookieJar::from_headers(&parts.headers);
    let secret = jar.get(crate::session_cookie::name(state.secure_cookies))?;
    let source = crate::extract::source_of(parts);
    sesame_app::auth::authenticate(&state.app, secret.value(), None, source)
        .await
        .ok()
        // The cookie carries a session; an API token pasted into it is not one.
        .filter(|who| {
            who.token
                .as_ref()
                .is_some_and(|t| t.kind == sesame_app::TokenKind::Session)
        })
}

/// A page for the signed-in: without a live session, the sign-in page, which comes back here.
/// Someone who must enrol in two-factor first is sent to do so.
pub(crate) struct Member {
    pub ctx: Ctx,
    /// Always from a session cookie (see [`session`]): in person.
    pub who: sesame_app::InPerson,
}

impl FromRequestParts<ApiState> for Member {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, Response> {
        let Visitor { ctx, who } = Visitor::from_request_parts(parts, state).await?;
        let Some(who) = who else {
            let back = if parts.method.is_safe() {
                ctx.here.clone()
            } else {
                // A form sent after the session ended: back to the page it was on.
                parts
                    .headers
                    .get(header::REFERER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|r| {
                        r.split_once("://")
                            .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
                    })
                    .unwrap_or_else(|| "/".into())
            };
            let to = format!(
                "/sign-in?next={}",
                serde_urlencoded::to_string([("", safe_next(&back))])
                    .unwrap_or_default()
                    .trim_start_matches('=')
            );
            return Err(ctx.with_cookie(Redirect::to(&to).into_response()));
        };
        let path = parts.uri.path();
        if who.must_enrol && !path.starts_with("/account/two-factor") {
            return Err(Redirect::to("/account/two-factor").into_response());
        }
        // Never refused: the cookie carries only sessions.
        let who = match who.in_person() {
            Ok(who) => who,
            Err(_) => return Err(ctx.with_cookie(Redirect::to("/sign-in").into_response())),
        };
        Ok(Member { ctx, who })
    }
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

async fn home(Visitor { ctx, who }: Visitor) -> Response {
    let to = match &who {
        None => "/sign-in",
        Some(w)
            if w.actor
                .permissions_anywhere()
                .contains(Permission::ViewUsers) =>
        {
            "/users"
        }
        Some(_) => "/account",
    };
    ctx.with_cookie(Redirect::to(to).into_response())
}

/// The cookie of an explicit choice of language (the switch, or My account's language).
pub(crate) fn lang_cookie(secure: bool, lang: Language) -> Cookie<'static> {
    Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time::Duration::days(365))
        .build()
}

/// The language switch: a cookie, and the person's own language when signed in.
async fn set_language(
    State(s): State<ApiState>,
    Visitor { ctx, who }: Visitor,
    Posted(form): Posted,
) -> Response {
    let Ok(lang) = Language::parse(field(&form, "lang")) else {
        return error_page(
            ctx.lang,
            StatusCode::BAD_REQUEST,
            &ctx.t("web-language-unknown"),
        );
    };
    if let Some(w) = &who
        && let Some(u) = &w.user
    {
        let changes = sesame_app::users::UserChanges {
            fields: sesame_app::users::check::RawFields {
                language: sesame_app::patch::Patch::Value(lang.code().to_string()),
                ..Default::default()
            },
            ..Default::default()
        };
        // The cookie alone already switches: a refusal here changes nothing for the page.
        let _ = sesame_app::users::update(&s.app, w, &u.id, changes).await;
    }
    let jar = CookieJar::new().add(lang_cookie(s.secure_cookies, lang));
    (jar, Redirect::to(&safe_next(field(&form, "back")))).into_response()
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
