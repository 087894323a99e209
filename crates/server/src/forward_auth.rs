//! Forward authentication's HTTP face (issue 21), under each organisation's issuer: the check
//! a reverse proxy makes before every request to a protected host, and the three steps that
//! give that host its own cookie (`sesame_app::oidc::forward` says why and holds the rules).
//!
//! - `GET /o/{slug}/forward-auth`: asked by the proxy, with the original request in
//!   `X-Forwarded-Proto`, `X-Forwarded-Host` and `X-Forwarded-Uri`, and the browser's cookies.
//!   200 with `Remote-User`, `Remote-Email`, `Remote-Name`, `Remote-Groups`; 401 with the
//!   sign-in address in `Location` (nginx `auth_request` wants 401 and reads it with
//!   `auth_request_set`), or with `?redirect=1` a 302 there (Caddy and Traefik hand the answer
//!   to the browser); 403 for a host no application lists.
//! - `GET /o/{slug}/forward-auth/start?rd=…`, on Sésame's host: sign-in, then back to the
//!   application's host with a code.
//! - `GET /o/{slug}/forward-auth/callback` and `/sign-out`, reached through the application's
//!   host (the proxy forwards its `/.sesame/` here): set or end the host cookie.

use crate::ApiState;
use crate::oidc::NoAccessPage;
use crate::web::{Visitor, at, error_page, query_value};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use secrecy::ExposeSecret;
use sesame_app::Org;
use sesame_app::i18n::message;
use sesame_app::oidc::forward::{self, Redeemed, Start, Verdict};
use sesame_core::Language;

/// The routes, a line each (listed with the other unlisted routes).
pub(crate) fn routes() -> Vec<crate::web::Route> {
    vec![
        at(Method::GET, "/o/{slug}/forward-auth", check),
        at(Method::GET, "/o/{slug}/forward-auth/start", start),
        at(Method::GET, "/o/{slug}/forward-auth/callback", callback),
        at(Method::GET, "/o/{slug}/forward-auth/sign-out", sign_out),
    ]
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The host the browser asked for: `X-Forwarded-Host` as the proxy sets it, else `Host` (the
/// proxy may pass the original one).
fn forwarded_host(headers: &HeaderMap) -> String {
    header_str(headers, "x-forwarded-host")
        .or_else(|| header_str(headers, "host"))
        .map(forward::normalise_host)
        .unwrap_or_default()
}

fn forwarded_proto(headers: &HeaderMap) -> Option<&'static str> {
    match header_str(headers, "x-forwarded-proto")?
        .split(',')
        .next()?
        .trim()
        .to_ascii_lowercase()
        .as_str()
    {
        "https" => Some("https"),
        "http" => Some("http"),
        _ => None,
    }
}

/// The host cookie the browser sent, if any.
fn host_cookie(headers: &HeaderMap) -> Option<String> {
    CookieJar::from_headers(headers)
        .get(forward::COOKIE)
        .map(|c| c.value().to_string())
}

/// The language of a page shown on an application's host (no Sésame session there).
fn lang_of(headers: &HeaderMap, org: Option<&Org>) -> Language {
    header_str(headers, "accept-language")
        .and_then(Language::from_accept_language)
        .or(org.map(|o| o.language))
        .unwrap_or_default()
}

async fn org_of(s: &ApiState, slug: &str) -> Option<Org> {
    s.app.org_for_visitor(Some(slug)).await.ok().flatten()
}

/// An answer no cache keeps: it says who someone is, or is about to.
fn uncached(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A header value of the person's: UTF-8 bytes as they are (RFC 9110 allows them as
/// obs-text; nginx, Caddy and Traefik pass them on), control characters dropped.
fn person_value(v: &str) -> Option<HeaderValue> {
    let clean: String = v.chars().filter(|c| !c.is_control()).collect();
    HeaderValue::from_bytes(clean.as_bytes()).ok()
}

async fn check(
    State(s): State<ApiState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(org) = org_of(&s, &slug).await else {
        return uncached(StatusCode::NOT_FOUND.into_response());
    };
    let host = forwarded_host(&headers);
    let cookie = host_cookie(&headers);
    let verdict = match forward::check(&s.app, &org, &host, cookie.as_deref()).await {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = %e, "the forward-authentication check failed");
            return uncached(StatusCode::SERVICE_UNAVAILABLE.into_response());
        }
    };
    match verdict {
        Verdict::Pass(who) => {
            let mut res = StatusCode::OK.into_response();
            let h = res.headers_mut();
            let groups = who.groups.join(",");
            // Every header, empty when the person has no such value: a proxy copies what
            // this answer has over what the browser sent, and some (Caddy 2.9 and later)
            // leave the browser's own `Remote-Email` through when the answer has none.
            for (name, value) in [
                ("remote-user", who.user.as_str()),
                ("remote-email", who.email.as_deref().unwrap_or("")),
                ("remote-name", who.name.as_str()),
                ("remote-groups", groups.as_str()),
            ] {
                let v = person_value(value).unwrap_or(HeaderValue::from_static(""));
                h.insert(HeaderName::from_static(name), v);
            }
            uncached(res)
        }
        Verdict::UnknownHost => uncached(StatusCode::FORBIDDEN.into_response()),
        Verdict::SignIn => {
            let proto = forwarded_proto(&headers).unwrap_or("https");
            let uri = header_str(&headers, "x-forwarded-uri")
                .filter(|u| u.starts_with('/'))
                .unwrap_or("/");
            let rd = format!("{proto}://{host}{uri}");
            let to = forward::start_url(&s.app, &org, &rd);
            let redirect = query_value(query.as_deref(), "redirect").is_some_and(|v| v == "1");
            let status = if redirect {
                StatusCode::FOUND
            } else {
                StatusCode::UNAUTHORIZED
            };
            let mut res = status.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                res.headers_mut().insert(header::LOCATION, v);
            }
            uncached(res)
        }
    }
}

/// The message of a refusal's key (`forward.rd_unregistered` → `forward-rd-unregistered`).
fn refusal_text(lang: Language, key: &str) -> String {
    message(lang, &key.replace(['.', '_'], "-"), &[])
}

async fn start(
    State(s): State<ApiState>,
    Path(slug): Path<String>,
    Visitor { ctx, who }: Visitor,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(org) = org_of(&s, &slug).await else {
        return error_page(
            ctx.lang,
            StatusCode::NOT_FOUND,
            &message(ctx.lang, "oidc-org-unknown", &[]),
        );
    };
    let rd = query_value(query.as_deref(), "rd");
    let here = format!(
        "/o/{slug}/forward-auth/start?{}",
        serde_urlencoded::to_string([("rd", rd.as_deref().unwrap_or(""))]).unwrap_or_default()
    );
    match forward::start(&s.app, &org, rd.as_deref(), who.as_ref()).await {
        Err(e) => crate::web::failed(&ctx, e),
        Ok(Start::Refused(key)) => error_page(
            ctx.lang,
            StatusCode::BAD_REQUEST,
            &refusal_text(ctx.lang, key),
        ),
        Ok(Start::SignIn) => {
            let params = [("next", here), ("org", org.row.slug.clone())];
            ctx.with_cookie(
                Redirect::to(&format!(
                    "/sign-in?{}",
                    serde_urlencoded::to_string(params).unwrap_or_default()
                ))
                .into_response(),
            )
        }
        Ok(Start::Enrol) => Redirect::to(&format!(
            "/account/two-factor?{}",
            serde_urlencoded::to_string([("next", here)]).unwrap_or_default()
        ))
        .into_response(),
        Ok(Start::NoAccess(app_name)) => {
            let page = NoAccessPage {
                title: ctx.t("web-oidc-no-access-title"),
                text: message(ctx.lang, "web-oidc-no-access-text", &[("app", app_name)]),
                back: String::new(),
                ctx,
            };
            let html = page.render().unwrap_or_default();
            page.ctx.page(StatusCode::FORBIDDEN, html)
        }
        // After the sign-in form, the browser follows this under that page's `form-action`,
        // which `crate::oidc::redirect_of_next` widened to `rd`'s origin.
        Ok(Start::Go(to)) => uncached(Redirect::to(&to).into_response()),
    }
}

async fn callback(
    State(s): State<ApiState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(org) = org_of(&s, &slug).await else {
        let lang = lang_of(&headers, None);
        return error_page(
            lang,
            StatusCode::NOT_FOUND,
            &message(lang, "oidc-org-unknown", &[]),
        );
    };
    let lang = lang_of(&headers, Some(&org));
    let host = forwarded_host(&headers);
    let code = query_value(query.as_deref(), "code");
    let rd = query_value(query.as_deref(), "rd");
    match forward::callback(&s.app, &org, &host, code.as_deref(), rd.as_deref()).await {
        Err(e) => {
            tracing::error!(error = %e, "a forward-authentication code could not be redeemed");
            error_page(
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                &message(lang, "oidc-unavailable", &[]),
            )
        }
        Ok(Redeemed::Refused(key)) => {
            error_page(lang, StatusCode::BAD_REQUEST, &refusal_text(lang, key))
        }
        Ok(Redeemed::Cookie {
            cookie,
            max_age_s,
            rd,
        }) => {
            let secure = forwarded_proto(&headers)
                .map_or_else(|| rd.starts_with("https:"), |p| p == "https");
            // Host-only (no Domain): it goes to this application's host and nowhere else.
            let cookie = Cookie::build((forward::COOKIE, cookie.expose_secret().to_string()))
                .http_only(true)
                .secure(secure)
                .same_site(SameSite::Lax)
                .path("/")
                .max_age(time::Duration::seconds(max_age_s))
                .build();
            let jar = CookieJar::new().add(cookie);
            uncached((jar, Redirect::to(&rd)).into_response())
        }
    }
}

async fn sign_out(
    State(s): State<ApiState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(org) = org_of(&s, &slug).await else {
        let lang = lang_of(&headers, None);
        return error_page(
            lang,
            StatusCode::NOT_FOUND,
            &message(lang, "oidc-org-unknown", &[]),
        );
    };
    let host = forwarded_host(&headers);
    let cookie = host_cookie(&headers);
    let rd = query_value(query.as_deref(), "rd");
    match forward::sign_out(&s.app, &org, &host, cookie.as_deref(), rd.as_deref()).await {
        Ok(to) => {
            let mut gone = Cookie::build((forward::COOKIE, ""))
                .http_only(true)
                .same_site(SameSite::Lax)
                .path("/")
                .build();
            gone.make_removal();
            uncached((CookieJar::new().add(gone), Redirect::to(&to)).into_response())
        }
        Err(e) => {
            tracing::error!(error = %e, "a forward-authentication sign-out failed");
            let lang = lang_of(&headers, Some(&org));
            error_page(
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                &message(lang, "oidc-unavailable", &[]),
            )
        }
    }
}
