//! My account: my profile and language, my password, my open sessions, and two-factor
//! sign-in (the QR code to scan, then the recovery codes to print, each shown once).

use super::{Ctx, FormErrors, Member, Posted, field, read_form};
use crate::ApiState;
use crate::problem::ApiError;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use secrecy::SecretString;
use sesame_app::auth::sessions::SessionView;
use sesame_app::two_factor::{self, CodeInput, MfaStatus, PasswordInput};
use sesame_app::users::{self, UserView};
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "web/account.html")]
struct AccountPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    me: UserView,
    first_name: String,
    last_name: String,
    phone: String,
    language: String,
    mfa: MfaStatus,
    sessions: Vec<SessionView>,
    /// The applications they allowed to sign them in (single sign-on).
    allowed: Vec<sesame_app::oidc::consents::AllowedApp>,
    strength_labels: String,
}

fn strength_labels(ctx: &Ctx) -> String {
    serde_json::to_string(&[
        ctx.t("web-strength-0"),
        ctx.t("web-strength-1"),
        ctx.t("web-strength-2"),
        ctx.t("web-strength-3"),
    ])
    .unwrap_or_default()
}

async fn account_page(
    s: &ApiState,
    ctx: Ctx,
    who: &sesame_app::InPerson,
    typed: Option<&BTreeMap<String, Vec<String>>>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let Some(id) = who.user_id().map(str::to_string) else {
        return Redirect::to("/sign-in").into_response();
    };
    let (me, mfa, sessions, allowed) = match (
        users::get(&s.app, who, &id).await,
        two_factor::status(&s.app, who).await,
        sesame_app::auth::sessions::list_own(&s.app, who).await,
        sesame_app::oidc::consents::list_own(&s.app, who).await,
    ) {
        (Ok(m), Ok(f), Ok(x), Ok(a)) => (m, f, x, a),
        (Err(e), _, _, _) | (_, Err(e), _, _) | (_, _, Err(e), _) | (_, _, _, Err(e)) => {
            return super::failed(&ctx, e);
        }
    };
    let value = |k: &str, stored: Option<&String>| match typed {
        Some(t) => field(t, k).to_string(),
        None => stored.cloned().unwrap_or_default(),
    };
    let page = AccountPage {
        title: ctx.t("web-account-title"),
        errors,
        first_name: value("first_name", me.first_name.as_ref()),
        last_name: value("last_name", me.last_name.as_ref()),
        phone: value("phone", me.phone_national.as_ref().or(me.phone.as_ref())),
        language: value("language", Some(&me.language)),
        strength_labels: strength_labels(&ctx),
        me,
        mfa,
        sessions,
        allowed,
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

pub(crate) async fn show(State(s): State<ApiState>, Member { ctx, who }: Member) -> Response {
    account_page(&s, ctx, &who, None, FormErrors::default(), StatusCode::OK).await
}

pub(crate) async fn save(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Posted(form): Posted,
) -> Response {
    let id = who.user_id().unwrap_or_default().to_string();
    match field(&form, "action") {
        "withdraw-app" => {
            let client_id = field(&form, "client_id");
            match sesame_app::oidc::consents::withdraw_own(&s.app, &who, client_id).await {
                Ok(()) => Redirect::to("/account?done=app-withdrawn").into_response(),
                Err(e) => super::failed(&ctx, e),
            }
        }
        "password" => {
            let current = SecretString::from(field(&form, "current_password").to_string());
            let new = SecretString::from(field(&form, "new_password").to_string());
            match users::change_own_password(&s.app, &who, current, new).await {
                // Every session ended with the old password: sign in with the new one.
                Ok(_) => Redirect::to("/sign-in?done=password-changed").into_response(),
                Err(e) => {
                    let api = ApiError::from(e);
                    // The new password's errors name `password`: shown by its field.
                    let errors: Vec<_> = api
                        .errors
                        .iter()
                        .cloned()
                        .map(|mut e| {
                            if e.field == "password" {
                                e.field = "new_password".into();
                            }
                            e
                        })
                        .collect();
                    let errors = ctx.errors(&errors);
                    account_page(&s, ctx, &who, None, errors, api.status).await
                }
            }
        }
        _ => {
            let changed = match read_form::<users::UserChanges>(&form) {
                Ok(changes) => users::update(&s.app, &who, &id, changes).await,
                Err(e) => Err(e),
            };
            match changed {
                Ok(u) => {
                    // The page follows the language just chosen.
                    let lang = sesame_core::Language::parse(&u.language).unwrap_or(ctx.lang);
                    (
                        axum_extra::extract::cookie::CookieJar::new()
                            .add(super::lang_cookie(s.secure_cookies, lang)),
                        Redirect::to("/account?done=saved"),
                    )
                        .into_response()
                }
                Err(e) => {
                    let api = ApiError::from(e);
                    let errors = ctx.errors(&api.errors);
                    account_page(&s, ctx, &who, Some(&form), errors, api.status).await
                }
            }
        }
    }
}

#[derive(Template)]
#[template(path = "web/two_factor.html")]
struct TwoFactorPage {
    ctx: Ctx,
    title: String,
    errors: FormErrors,
    mfa: MfaStatus,
    /// While enrolling: the QR code (SVG) and the secret to type by hand.
    qr_svg: String,
    secret: String,
    /// Once confirmed or regenerated: the recovery codes, shown this once.
    codes: Vec<String>,
    /// The code form is shown (after the QR code, or a wrong code).
    enrolling: bool,
    must_enrol: bool,
    /// Where to go once enrolled (an application's sign-in waiting for it), or empty.
    next: String,
}

impl TwoFactorPage {
    /// The passkeys page, `next` kept: a passkey may be the enrolment.
    fn passkeys_url(&self) -> String {
        if self.next.is_empty() {
            return "/account/two-factor/passkeys".into();
        }
        format!(
            "/account/two-factor/passkeys?{}",
            serde_urlencoded::to_string([("next", &self.next)]).unwrap_or_default()
        )
    }
}

async fn two_factor_page(
    s: &ApiState,
    ctx: Ctx,
    who: &sesame_app::InPerson,
    fill: impl FnOnce(&mut TwoFactorPage),
    status: StatusCode,
) -> Response {
    let next = next_of(&ctx.here, None);
    two_factor_page_to(s, ctx, who, fill, status, next).await
}

/// Where an enrolment goes on to: `next` from the form or the address, one of our own paths
/// only, and nothing when it is the home page.
pub(super) fn next_of(here: &str, form: Option<&BTreeMap<String, Vec<String>>>) -> String {
    let raw = match form {
        Some(f) => field(f, "next").to_string(),
        None => {
            super::query_value(here.split_once('?').map(|(_, q)| q), "next").unwrap_or_default()
        }
    };
    match super::safe_next(&raw) {
        n if n == "/" => String::new(),
        n => n,
    }
}

async fn two_factor_page_to(
    s: &ApiState,
    ctx: Ctx,
    who: &sesame_app::InPerson,
    fill: impl FnOnce(&mut TwoFactorPage),
    status: StatusCode,
    next: String,
) -> Response {
    let mfa = match two_factor::status(&s.app, who).await {
        Ok(m) => m,
        Err(e) => return super::failed(&ctx, e),
    };
    let mut page = TwoFactorPage {
        title: ctx.t("web-2fa-title"),
        errors: FormErrors::default(),
        mfa,
        qr_svg: String::new(),
        secret: String::new(),
        codes: Vec::new(),
        enrolling: false,
        must_enrol: who.must_enrol,
        next,
        ctx,
    };
    fill(&mut page);
    let html = page.render().unwrap_or_default();
    page.ctx.page(status, html)
}

pub(crate) async fn show_two_factor(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
) -> Response {
    two_factor_page(&s, ctx, &who, |_| {}, StatusCode::OK).await
}

pub(crate) async fn two_factor(
    State(s): State<ApiState>,
    Member { ctx, who }: Member,
    Posted(form): Posted,
) -> Response {
    let app = &s.app;
    let secret = |k: &str| SecretString::from(field(&form, k).to_string());
    let next = next_of("", Some(&form));
    match field(&form, "action") {
        "start" => match two_factor::start(app, &who).await {
            Ok(en) => {
                two_factor_page_to(
                    &s,
                    ctx,
                    &who,
                    |p| {
                        p.qr_svg = en.qr_svg;
                        p.secret = en.secret;
                        p.enrolling = true;
                    },
                    StatusCode::OK,
                    next,
                )
                .await
            }
            Err(e) => super::failed(&ctx, e),
        },
        "confirm" => {
            let input = CodeInput {
                code: secret("code"),
            };
            match two_factor::confirm(app, &who, input).await {
                Ok(rc) => {
                    let codes = rc.recovery_codes;
                    two_factor_page_to(&s, ctx, &who, |p| p.codes = codes, StatusCode::OK, next)
                        .await
                }
                Err(e) => {
                    // A wrong code: the same enrolment goes on (the app already holds the
                    // secret; a new one would not match it), the code typed again.
                    let api = ApiError::from(e);
                    let errors = ctx.errors(&api.errors);
                    two_factor_page_to(
                        &s,
                        ctx,
                        &who,
                        |p| {
                            p.errors = errors;
                            p.enrolling = true;
                        },
                        api.status,
                        next,
                    )
                    .await
                }
            }
        }
        "regenerate" => {
            let input = PasswordInput {
                password: secret("password"),
            };
            match two_factor::regenerate_recovery_codes(app, &who, input).await {
                Ok(rc) => {
                    let codes = rc.recovery_codes;
                    two_factor_page(&s, ctx, &who, |p| p.codes = codes, StatusCode::OK).await
                }
                Err(e) => with_errors(&s, ctx, &who, e).await,
            }
        }
        "disable" => {
            let input = PasswordInput {
                password: secret("password"),
            };
            match two_factor::disable(app, &who, input).await {
                Ok(()) => Redirect::to("/account?done=two-factor-off").into_response(),
                Err(e) => with_errors(&s, ctx, &who, e).await,
            }
        }
        _ => super::error_page(ctx.lang, StatusCode::BAD_REQUEST, &ctx.t("web-bad-form")),
    }
}

async fn with_errors(
    s: &ApiState,
    ctx: Ctx,
    who: &sesame_app::InPerson,
    e: sesame_app::Error,
) -> Response {
    let api = ApiError::from(e);
    let errors = ctx.errors(&api.errors);
    two_factor_page(s, ctx, who, |p| p.errors = errors, api.status).await
}
