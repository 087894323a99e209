//! Signing in and out. Someone enrolled in two-factor types the code on a second page: the
//! password step leaves a five-minute ticket in a cookie of its own (`sign_in::begin`), the
//! code step spends it (`sign_in::finish`), so the password is sent once.

use super::{Ctx, FormErrors, Posted, Visitor, field, safe_next};
use crate::ApiState;
use crate::problem::ApiError;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use secrecy::{ExposeSecret, SecretString};
use sesame_app::auth::sign_in::{self, Origin, Step};

const TICKET_COOKIE: &str = "sesame_sign_in_step";

#[derive(Template)]
#[template(path = "web/sign_in.html")]
struct SignInPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    login: String,
    next: String,
    /// The organisation's identifier, as typed or as the link gave it (`?org=`).
    org: String,
    /// Several organisations share this server: the visitor types theirs (never chosen from a
    /// list, which would tell anyone which exist).
    ask_org: bool,
}

#[derive(Template)]
#[template(path = "web/sign_in_code.html")]
struct CodePage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    next: String,
    /// What the person may finish with: the code form, the passkey button, or both.
    factors: sign_in::SecondFactors,
}

fn next_of(ctx: &Ctx) -> String {
    let raw = super::query_value(ctx.here.split_once('?').map(|(_, q)| q), "next");
    safe_next(raw.as_deref().unwrap_or("/"))
}

fn origin(s: &ApiState, headers: &HeaderMap, source: Option<String>) -> Origin {
    Origin {
        source,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        device: crate::session_cookie::device::sent(
            &CookieJar::from_headers(headers),
            s.secure_cookies,
        ),
    }
}

pub(crate) async fn show(State(s): State<ApiState>, Visitor { ctx, who }: Visitor) -> Response {
    let next = next_of(&ctx);
    let query = ctx.here.split_once('?').map(|(_, q)| q);
    // An application asked for a fresh sign-in (`prompt=login`, `max_age`): the form is shown
    // even to someone signed in.
    let reauth = super::query_value(query, "reauth").is_some_and(|v| v == "1");
    if who.is_some() && !reauth {
        return Redirect::to(&next).into_response();
    }
    let org = super::query_value(query, "org").unwrap_or_default();
    // The application's `login_hint`, offered, never imposed.
    let login = super::query_value(query, "login")
        .map(|l| l.chars().take(200).collect())
        .unwrap_or_default();
    let typed = Typed { login, org };
    sign_in_page(&s, ctx, typed, next, FormErrors::default(), StatusCode::OK).await
}

/// What the visitor typed, shown again after a refusal (never the password).
struct Typed {
    login: String,
    org: String,
}

async fn sign_in_page(
    s: &ApiState,
    ctx: Ctx,
    typed: Typed,
    next: String,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let target = crate::oidc::redirect_of_next(&next);
    let page = SignInPage {
        title: ctx.t("web-sign-in-title"),
        errors,
        login: typed.login,
        next,
        org: typed.org,
        ask_org: s.app.several_orgs().await.unwrap_or(true),
        ctx,
    };
    let html = page.render().unwrap_or_default();
    let mut res = page.ctx.page(status, html);
    crate::oidc::widen_form_action(&mut res, target.as_deref());
    res
}

/// Signs in with the session cookie (and the device cookie) and goes on to `next`.
fn signed_in(s: &ApiState, signed: sign_in::SignedIn, next: &str) -> Response {
    let cookie = crate::session_cookie::set(
        &signed.token,
        s.secure_cookies,
        sesame_app::auth::SESSION_LIFETIME_MS / 1000,
    );
    let jar = CookieJar::new()
        .add(cookie)
        .add(ticket_cookie(s, String::new(), 0));
    let device = crate::session_cookie::device::header(signed.device_cookie, s.secure_cookies);
    (jar, device, Redirect::to(next)).into_response()
}

fn ticket_cookie(s: &ApiState, value: String, max_age_secs: i64) -> Cookie<'static> {
    let mut c = Cookie::build((TICKET_COOKIE, value))
        .http_only(true)
        .secure(s.secure_cookies)
        .same_site(SameSite::Strict)
        .path("/sign-in")
        .max_age(time::Duration::seconds(max_age_secs))
        .build();
    if max_age_secs == 0 {
        c.make_removal();
    }
    c
}

pub(crate) async fn submit(
    State(s): State<ApiState>,
    Visitor { ctx, .. }: Visitor,
    crate::extract::Source(source): crate::extract::Source,
    headers: HeaderMap,
    Posted(form): Posted,
) -> Response {
    let next = safe_next(field(&form, "next"));
    let login = field(&form, "login").to_string();
    let password = SecretString::from(field(&form, "password").to_string());
    let named = field(&form, "org").trim().to_string();
    let origin = origin(&s, &headers, source);
    let begun = match s.app.org_for_visitor(Some(&named)).await {
        Ok(Some(org)) => sign_in::begin(&s.app, &org, &login, password, origin).await,
        // Answered as a wrong password: which organisations exist is never told.
        Ok(None) => {
            Err(sign_in::refuse_unknown_org(&s.app, &named, &login, password, &origin).await)
        }
        Err(e) => Err(e),
    };
    let typed = Typed { login, org: named };
    match begun {
        Ok(Step::SignedIn(signed)) => signed_in(&s, *signed, &next),
        Ok(Step::CodeNeeded(ticket)) => {
            let cookie = ticket_cookie(
                &s,
                ticket.expose_secret().to_string(),
                sign_in::CODE_STEP_MS / 1000,
            );
            let to = format!(
                "/sign-in/code?{}",
                serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default()
            );
            (CookieJar::new().add(cookie), Redirect::to(&to)).into_response()
        }
        Err(e) => {
            let api = ApiError::from(e);
            let errors = ctx.errors(&api.errors);
            sign_in_page(&s, ctx, typed, next, errors, api.status).await
        }
    }
}

pub(crate) async fn show_code(
    State(s): State<ApiState>,
    Visitor { ctx, .. }: Visitor,
    headers: HeaderMap,
) -> Response {
    let ticket = ticket_of(&headers);
    if ticket.is_empty() {
        return Redirect::to("/sign-in").into_response();
    }
    let next = next_of(&ctx);
    code_page(
        &s,
        ctx,
        &ticket,
        next,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The code step's page, offering what the ticket's person has (a ticket gone: the sign-in
/// page, saying to start again).
async fn code_page(
    s: &ApiState,
    ctx: Ctx,
    ticket: &str,
    next: String,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let factors = match sign_in::second_factors(&s.app, ticket).await {
        Ok(f) => f,
        Err(e) => return step_gone(s, ctx, next, e).await,
    };
    let target = crate::oidc::redirect_of_next(&next);
    let page = CodePage {
        title: ctx.t("web-code-title"),
        errors,
        next,
        factors,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    let mut res = page.ctx.page(status, html);
    crate::oidc::widen_form_action(&mut res, target.as_deref());
    res
}

/// The code step's ticket expired or was used: the sign-in page says so, the cookie goes.
async fn step_gone(s: &ApiState, ctx: Ctx, next: String, e: sesame_app::Error) -> Response {
    let api = ApiError::from(e);
    let errors = ctx.errors(&api.errors);
    let typed = Typed {
        login: String::new(),
        org: String::new(),
    };
    let res = sign_in_page(s, ctx, typed, next, errors, api.status).await;
    (
        CookieJar::new().add(ticket_cookie(s, String::new(), 0)),
        res,
    )
        .into_response()
}

pub(crate) async fn submit_code(
    State(s): State<ApiState>,
    Visitor { ctx, .. }: Visitor,
    crate::extract::Source(source): crate::extract::Source,
    headers: HeaderMap,
    Posted(form): Posted,
) -> Response {
    let next = safe_next(field(&form, "next"));
    let ticket = ticket_of(&headers);
    let code = SecretString::from(field(&form, "code").to_string());
    match sign_in::finish(&s.app, &ticket, code, origin(&s, &headers, source)).await {
        Ok(signed) => signed_in(&s, signed, &next),
        Err(e @ sesame_app::Error::Unauthenticated("auth.code_step_expired")) => {
            step_gone(&s, ctx, next, e).await
        }
        Err(e) => {
            let api = ApiError::from(e);
            let errors = ctx.errors(&api.errors);
            code_page(&s, ctx, &ticket, next, errors, api.status).await
        }
    }
}

pub(crate) async fn sign_out(
    State(s): State<ApiState>,
    Visitor { who, .. }: Visitor,
    Posted(_): Posted,
) -> Response {
    if let Some(w) = &who {
        // The cookie is erased whatever happens; a session that could not be ended in the
        // database ends on its own within two hours unused.
        if let Err(e) = sesame_app::auth::sign_out(&s.app, w).await {
            tracing::warn!(error = %e, "sign-out: the session could not be ended");
        }
    }
    let jar = CookieJar::new().add(crate::session_cookie::clear(s.secure_cookies));
    (jar, Redirect::to("/sign-in?done=signed-out")).into_response()
}

/// The browser's passkey for the code step, with where to go once signed in.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PasskeyStep {
    ceremony: String,
    credential: serde_json::Value,
    #[serde(default)]
    next: String,
}

fn ticket_of(headers: &HeaderMap) -> String {
    CookieJar::from_headers(headers)
        .get(TICKET_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default()
}

/// The code step's passkey options (JSON, for `assets/passkeys.js`): the person's passkeys,
/// on the ticket the password left.
pub(crate) async fn passkey_options(
    State(s): State<ApiState>,
    _: crate::extract::SameSite,
    headers: HeaderMap,
) -> Result<axum::Json<sesame_app::passkeys::CeremonyOptions>, ApiError> {
    let options =
        sesame_app::passkeys::sign_in::second_factor_options(&s.app, &ticket_of(&headers)).await?;
    Ok(axum::Json(options))
}

/// The code step with a passkey (JSON): signs in as the code would, and answers where to go.
pub(crate) async fn passkey_finish(
    State(s): State<ApiState>,
    _: crate::extract::SameSite,
    crate::extract::Source(source): crate::extract::Source,
    headers: HeaderMap,
    crate::extract::Json(step): crate::extract::Json<PasskeyStep>,
) -> Result<Response, ApiError> {
    let next = safe_next(&step.next);
    let input = sesame_app::passkeys::sign_in::SignInResponse {
        ceremony: step.ceremony,
        credential: step.credential,
    };
    let signed = sesame_app::passkeys::sign_in::finish_second_factor(
        &s.app,
        &ticket_of(&headers),
        input,
        origin(&s, &headers, source),
    )
    .await?;
    let cookie = crate::session_cookie::set(
        &signed.token,
        s.secure_cookies,
        sesame_app::auth::SESSION_LIFETIME_MS / 1000,
    );
    let jar = CookieJar::new()
        .add(cookie)
        .add(ticket_cookie(&s, String::new(), 0));
    let device = crate::session_cookie::device::header(signed.device_cookie, s.secure_cookies);
    Ok((jar, device, axum::Json(serde_json::json!({ "next": next }))).into_response())
}
