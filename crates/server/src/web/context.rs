//! What every page knows and is sent with: its context ([`Ctx`]: language, CSRF token,
//! place, the person looking and the menu they get, the organisation's time zone), the
//! extractors of a page for anyone ([`Visitor`]) and for a member ([`Member`]), the security
//! headers and the language cookie.

use super::{FormErrors, query_value, safe_next};
use crate::ApiState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use secrecy::ExposeSecret;
use sesame_app::Principal;
use sesame_app::i18n::message;
use sesame_core::{FieldError, Language};

/// The policy every page is sent with: scripts and styles from our own `/assets` only. Images
/// may also come from any `https:` address: the logos of the organisation's applications, on
/// their tiles.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The cookie the language switch sets: an explicit choice wins over everything else.
pub(crate) const LANG_COOKIE: &str = "sesame_lang";

pub(crate) fn csrf_cookie_name(secure: bool) -> &'static str {
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
    /// The banner of someone in their grace period for required two-factor: what it says.
    pub grace: Option<String>,
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
    /// The organisation's applications (OpenID Connect clients).
    pub may_apps: bool,
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
            .and_then(Principal::person)
            .and_then(sesame_app::Person::language);
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
            let name = w
                .person()
                .map(sesame_app::Person::display_name)
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
                may_apps: menu.apps,
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
            grace: None,
        }
    }

    /// Fills the grace-period banner of the person signed in, when they are in one (a page
    /// still shows if it cannot be read: the banner is left out).
    async fn with_grace(mut self, state: &ApiState, who: Option<&Principal>) -> Self {
        let Some(who) = who else { return self };
        match sesame_app::grace::banner(&state.app, who).await {
            Ok(Some(b)) => {
                let date = sesame_app::time::date_time(self.lang, &self.zone, b.deadline);
                self.grace = Some(message(
                    self.lang,
                    "web-grace-banner",
                    &[("days", b.days_left.to_string()), ("date", date)],
                ));
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "could not read the two-factor grace period"),
        }
        self
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

    pub(crate) fn with_cookie(self, mut res: Response) -> Response {
        if let Some(c) = self.new_cookie
            && let Ok(v) = HeaderValue::from_str(&c.to_string())
        {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
        res
    }

    /// The messages of an error, in this page's language, by field ("" for the form).
    pub fn errors(&self, errors: &[FieldError]) -> FormErrors {
        FormErrors::new(self.lang, errors)
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
        let ctx = Ctx::new(state, parts, who.as_ref(), org_lang)
            .with_grace(state, who.as_ref())
            .await;
        Ok(Visitor { ctx, who })
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

/// The cookie of an explicit choice of language (the switch, or My account's language).
pub(crate) fn lang_cookie(secure: bool, lang: Language) -> Cookie<'static> {
    Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time::Duration::days(365))
        .build()
}
