//! The addresses an application registers, and how the protocol's requests are matched
//! against them. Registered strings are kept as typed (trimmed): the protocol compares them
//! exactly (RFC 9700 §4.1.3), so no normalisation may widen what matches.
//!
//! - A redirect or post-logout address is absolute, has no fragment, and is `https://`; or
//!   `http://` on this machine only (127.0.0.1, [::1], localhost), for development and native
//!   apps; or, for a public client only, a private-use scheme that is a reversed domain name
//!   (`fr.amisgest.app:/callback`, RFC 8252 §7.1: it must contain a dot).
//! - A back-channel logout address is `https://` or loopback `http://` (Sésame calls it).
//! - A launch or logo address is `https://` or `http://` (a tile is only a link).
//! - A public client's loopback redirect (`http://127.0.0.1` or `http://[::1]`) matches with
//!   any port (RFC 8252 §7.3): a native app listens on whatever port it was given.

use sesame_core::FieldError;
use url::{Host, Url};

/// What kind of address a field holds: which schemes it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Redirect and post-logout addresses: custom schemes allowed when `public`.
    Return { public: bool },
    /// An address Sésame calls itself (back-channel logout).
    Called,
    /// A link or an image shown on a page (launch URL, logo).
    Link,
}

/// Whether `url` points at this machine: 127.0.0.1 (any 127/8), [::1] or `localhost`.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Checks one address of `field`; returns it trimmed, as it will be compared.
pub(crate) fn check(raw: &str, field: &str, kind: Kind) -> Result<String, FieldError> {
    let value = raw.trim().to_string();
    let refuse = |code: &'static str| FieldError::new(field, code).with("value", &value);
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(refuse("app.uri_invalid"));
    }
    let url = Url::parse(&value).map_err(|_| refuse("app.uri_invalid"))?;
    if value.contains('#') {
        return Err(refuse("app.uri_fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse("app.uri_credentials"));
    }
    match url.scheme() {
        "https" if url.host().is_some() => Ok(value),
        "http" if url.host().is_some() && (kind == Kind::Link || is_loopback(&url)) => Ok(value),
        "http" if url.host().is_some() => Err(refuse("app.uri_not_https")),
        "https" | "http" => Err(refuse("app.uri_invalid")),
        scheme => match kind {
            Kind::Return { public } if scheme.contains('.') => {
                if public {
                    Ok(value)
                } else {
                    Err(refuse("app.uri_custom_confidential").with("scheme", scheme))
                }
            }
            Kind::Return { public: true } => {
                Err(refuse("app.uri_custom_scheme").with("scheme", scheme))
            }
            _ => Err(refuse("app.uri_not_https")),
        },
    }
}

/// Checks a list of addresses, each error naming its place (`redirect_uris[1]`).
pub(crate) fn check_all(
    raw: &[String],
    field: &str,
    kind: Kind,
    errors: &mut Vec<FieldError>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for (i, r) in raw.iter().enumerate() {
        if r.trim().is_empty() {
            continue;
        }
        match check(r, &format!("{field}[{i}]"), kind) {
            Ok(v) if !out.contains(&v) => out.push(v),
            Ok(_) => {}
            Err(e) => errors.push(e),
        }
    }
    out
}

/// A host a reverse proxy asks about (`wiki.example.org`, `localhost:8081`), lowercased.
pub(crate) fn check_host(raw: &str, field: &str) -> Result<String, FieldError> {
    let value = raw.trim().to_ascii_lowercase();
    let refuse = || FieldError::new(field, "app.host_invalid").with("value", raw.trim());
    if value.is_empty() || value.contains(['/', '@', '?', '#', ' ']) {
        return Err(refuse());
    }
    let url = Url::parse(&format!("http://{value}/")).map_err(|_| refuse())?;
    match url.host_str() {
        Some(h) if !h.is_empty() => Ok(value),
        _ => Err(refuse()),
    }
}

/// Whether a request's `redirect_uri` is one the client registered: the same string; or, for
/// a public client, a loopback IP redirect that differs from a registered one by its port only.
pub(crate) fn redirect_matches(registered: &[String], public: bool, uri: &str) -> bool {
    if registered.iter().any(|r| r == uri) {
        return true;
    }
    if !public {
        return false;
    }
    let Some(asked) = loopback_ip_without_port(uri) else {
        return false;
    };
    registered
        .iter()
        .filter_map(|r| loopback_ip_without_port(r))
        .any(|r| r == asked)
}

/// `uri` without its port, when it is an `http://` address on a loopback IP literal (not
/// `localhost`, which RFC 8252 §8.3 advises against: a name can be made to point elsewhere).
fn loopback_ip_without_port(uri: &str) -> Option<String> {
    if uri.contains('#') {
        return None;
    }
    let mut url = Url::parse(uri).ok()?;
    let loopback_ip = match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    if url.scheme() != "http" || !loopback_ip {
        return None;
    }
    url.set_port(None).ok()?;
    Some(url.to_string())
}
