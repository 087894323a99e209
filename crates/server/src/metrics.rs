//! `/metrics` ([`sesame_app::metrics`]), never public by accident: served either on an address
//! of its own ([`router`], `sesame serve --metrics-listen`), which the operator keeps to their
//! monitoring network, or on the main listener behind a bearer token of its own
//! ([`Options::metrics_token`](crate::Options), `--metrics-token-file`). Without either, the
//! main listener has no `/metrics` route at all (404, as any unknown path).
//!
//! Also here: the layer that counts every request of the main listener by its route template.

use crate::ApiState;
use crate::problem::ApiError;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use secrecy::{ExposeSecret, SecretString};
use sesame_app::App;
use sesame_app::metrics::{Format, Metrics};
use std::sync::Arc;
use std::time::Instant;

/// The path, on either listener.
pub const PATH: &str = "/metrics";

/// In the text format the scraper asks for (OpenMetrics for Prometheus, else 0.0.4).
async fn exposition(app: &App, headers: &HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let format = Format::asked(accept);
    let body = sesame_app::metrics::render(app, format).await;
    let content_type = HeaderValue::from_static(format.content_type());
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// The service of `--metrics-listen`: `/metrics` only, without authentication (the address is
/// the protection), and nothing else. Its route is made as every other (`web::at`), so that the
/// test over every route knows where routes come from.
pub fn router(app: App) -> Router {
    let r = crate::web::at(Method::GET, PATH, open_scrape);
    let state = ApiState {
        app,
        // Never served here.
        openapi: Arc::new(String::new()),
        secure_cookies: false,
    };
    Router::new().route(r.path, r.to).with_state(state)
}

async fn open_scrape(State(s): State<ApiState>, headers: HeaderMap) -> Response {
    exposition(&s.app, &headers).await
}

/// The token a scrape of the main listener must carry (`Authorization: Bearer …`).
#[derive(Clone)]
pub struct Token(pub Arc<SecretString>);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token([REDACTED])")
    }
}

/// `/metrics` on the main listener, answering only to `token`: 401 without it or with another.
/// Served only when asked, so it is in none of the tables the test over every route reads
/// (`tests/it/metrics.rs` covers it).
pub(crate) fn with_token(router: Router<ApiState>, token: Token) -> Router<ApiState> {
    let r = crate::web::at(
        Method::GET,
        PATH,
        move |State(s): State<ApiState>, headers: HeaderMap| {
            scrape_with_token(s, token.clone(), headers)
        },
    );
    router.route(r.path, r.to)
}

async fn scrape_with_token(
    s: ApiState,
    expected: Token,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match sent {
        None => Err(sesame_app::Error::Unauthenticated("auth.required").into()),
        Some(sent)
            if constant_time_eq::constant_time_eq(
                sent.as_bytes(),
                expected.0.expose_secret().as_bytes(),
            ) =>
        {
            Ok(exposition(&s.app, &headers).await)
        }
        Some(_) => Err(sesame_app::Error::Unauthenticated("auth.token_invalid").into()),
    }
}

/// Counts each request of the main listener: method, route template (never the path, which
/// may carry ids or a link's token), status, and the time to its response's head.
pub(crate) async fn count(State(metrics): State<Metrics>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let response = next.run(req).await;
    metrics.request(
        method.as_str(),
        route.as_ref().map(MatchedPath::as_str),
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}
