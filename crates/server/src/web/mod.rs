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
mod apps;
mod assets;
mod audit;
mod emails;
mod groups;
mod import;
mod import_history;
pub(crate) mod invitations;
mod passkeys;
mod preferences;
mod roles;
mod settings;
mod sign_in;
mod users;

mod answers;
mod context;
mod form_reader;
mod forms;

pub(crate) use answers::{answer, error_page, failed, failed_api, refusal, unconfirmed};
pub(crate) use context::{Ctx, Member, Visitor, lang_cookie, secure_headers};
pub(crate) use form_reader::read_form;
pub(crate) use forms::{FormErrors, Posted, check_csrf, field, once, query_value, safe_next};

use crate::ApiState;
use axum::Router;
use axum::extract::State;
use axum::handler::Handler;
use axum::http::Method;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use axum_extra::extract::cookie::CookieJar;
use sesame_core::{Language, Permission};

pub(crate) fn routes() -> Router<ApiState> {
    table()
        .into_iter()
        .fold(Router::new(), |router, r| router.route(r.path, r.to))
        .layer(axum::extract::DefaultBodyLimit::max(
            sesame_app::import::MAX_UPLOAD,
        ))
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
        at(
            Method::POST,
            "/sign-in/code/passkey/options",
            sign_in::passkey_options,
        ),
        at(
            Method::POST,
            "/sign-in/code/passkey",
            sign_in::passkey_finish,
        ),
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
        at(
            Method::POST,
            "/users/{id}/remove-passkeys",
            users::remove_passkeys,
        ),
        at(
            Method::POST,
            "/users/{id}/extend-two-factor",
            users::extend_two_factor,
        ),
        at(Method::POST, "/users/{id}/disable", users::disable),
        at(Method::POST, "/users/{id}/enable", users::enable),
        at(Method::POST, "/users/{id}/delete", users::delete),
        at(Method::GET, "/invitations", invitations::list),
        at(Method::POST, "/invitations/resend", invitations::resend),
        at(Method::GET, "/import", import::show),
        at(Method::POST, "/import", import::upload),
        at(Method::GET, "/import/{id}", import::job),
        at(Method::POST, "/import/{id}/apply", import::apply),
        at(
            Method::POST,
            "/import/{id}/apply-valid",
            import::apply_valid,
        ),
        at(Method::GET, "/imports", import_history::list),
        at(Method::GET, "/imports/{id}/undo", import_history::preview),
        at(Method::POST, "/imports/{id}/undo", import_history::apply),
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
        at(Method::GET, "/apps", apps::list),
        at(Method::GET, "/apps/new", apps::new_form),
        at(Method::POST, "/apps/new", apps::create),
        at(Method::GET, "/apps/{id}", apps::show),
        at(Method::POST, "/apps/{id}/save", apps::save),
        at(Method::POST, "/apps/{id}/secret", apps::rotate_secret),
        at(Method::POST, "/apps/{id}/delete", apps::delete),
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
        at(Method::GET, "/account/two-factor/passkeys", passkeys::show),
        at(
            Method::POST,
            "/account/two-factor/passkeys/{id}/rename",
            passkeys::rename,
        ),
        at(
            Method::POST,
            "/account/two-factor/passkeys/{id}/remove",
            passkeys::remove,
        ),
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

/// The front door: the sign-in page for a visitor; for a signed-in person, « Mes applications »
/// when they may open at least one, else the users list or their account.
async fn home(State(s): State<ApiState>, Visitor { ctx, who }: Visitor) -> Response {
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
    let ctx = match &who {
        Some(w) => match apps::home(&s, ctx, w, to).await {
            Ok(page) => return page,
            Err(ctx) => ctx,
        },
        None => ctx,
    };
    ctx.with_cookie(Redirect::to(to).into_response())
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
        && let Some(id) = w.user_id()
    {
        let changes = sesame_app::users::UserChanges {
            language: sesame_app::patch::Patch::Value(lang.code().to_string()),
            ..Default::default()
        };
        // The cookie alone already switches: a refusal here changes nothing for the page.
        let _ = sesame_app::users::update(&s.app, w, id, changes).await;
    }
    let jar = CookieJar::new().add(lang_cookie(s.secure_cookies, lang));
    (jar, Redirect::to(&safe_next(field(&form, "back")))).into_response()
}
