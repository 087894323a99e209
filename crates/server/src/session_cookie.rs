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
