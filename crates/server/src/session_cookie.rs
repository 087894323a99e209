//! The session as a cookie, for the web pages: the same session token the API answers at
//! sign-in, `HttpOnly` (no script reads it), `SameSite=Lax`, and `Secure` with the `__Host-`
//! prefix (bound to this host, path `/`) unless served on plain-HTTP loopback, where a browser
//! would refuse a `Secure` cookie.

use axum_extra::extract::cookie::{Cookie, SameSite};

pub fn name(secure: bool) -> &'static str {
    if secure {
        "__Host-sesame"
    } else {
        "sesame_session"
    }
}

/// The cookie that carries `token` until `max_age_secs`.
pub fn set(token: &str, secure: bool, max_age_secs: i64) -> Cookie<'static> {
    secret_cookie(name(secure), token, secure, max_age_secs)
}

/// A cookie that holds a secret (the session, an opened link's token): `HttpOnly`,
/// `SameSite=Lax` (it comes back after a click in a mail program), path `/`.
pub fn secret_cookie(
    name: &'static str,
    value: &str,
    secure: bool,
    max_age_secs: i64,
) -> Cookie<'static> {
    Cookie::build((name, value.to_owned()))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(time::Duration::seconds(max_age_secs))
        .build()
}

/// The cookie that erases it.
pub fn clear(secure: bool) -> Cookie<'static> {
    let mut c = set("", secure, 0);
    c.make_removal();
    c
}

/// The device cookie of the sign-in throttle (`sesame_app::auth::device`): set at each
/// successful sign-in, sent back with the next ones. `SameSite=Strict`: only our own sign-in
/// form and API clients send it.
pub mod device {
    use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

    pub fn name(secure: bool) -> &'static str {
        if secure {
            "__Host-sesame-device"
        } else {
            "sesame_device"
        }
    }

    /// The value sent with this request, if any.
    pub fn sent(jar: &CookieJar, secure: bool) -> Option<String> {
        jar.get(name(secure)).map(|c| c.value().to_owned())
    }

    pub fn set(value: String, secure: bool) -> Cookie<'static> {
        Cookie::build((name(secure), value))
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Strict)
            .path("/")
            .max_age(time::Duration::milliseconds(
                sesame_app::auth::device::LIFETIME_MS,
            ))
            .build()
    }

    pub type Header = axum::response::AppendHeaders<Option<(axum::http::HeaderName, String)>>;

    /// The `Set-Cookie` of a sign-in's device cookie, when it has one: appended after the
    /// session's (a client that keeps one cookie keeps the session).
    pub fn header(value: Option<String>, secure: bool) -> Header {
        axum::response::AppendHeaders(
            value.map(|v| (axum::http::header::SET_COOKIE, set(v, secure).to_string())),
        )
    }
}
