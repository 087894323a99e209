//! The stylesheet and the script, built into the binary (no front-end build: they are written
//! as served). Together they stay well under the 100 KB the pages allow themselves.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

const CSS: &str = include_str!("../../assets/sesame.css");
const JS: &str = include_str!("../../assets/sesame.js");
/// Passkeys' ceremonies, only on the pages that offer them.
const PASSKEYS_JS: &str = include_str!("../../assets/passkeys.js");

pub(crate) async fn serve(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "sesame.css" => (CSS, "text/css; charset=utf-8"),
        "sesame.js" => (JS, "text/javascript; charset=utf-8"),
        "passkeys.js" => (PASSKEYS_JS, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    // An hour: a new version is picked up soon after an upgrade without any build step.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    res
}
