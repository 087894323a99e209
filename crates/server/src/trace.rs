//! A span per request: its method, its route as the router matched it (`/users/{id}`, never
//! the path itself, which may carry a link's token in its query), and, once the request is
//! authenticated, the organisation and the person acting. Whatever a handler logs carries them;
//! the request's end (status, latency) is logged at `debug` under `sesame_server::request`
//! (`RUST_LOG=info,sesame_server::request=debug` shows one line per request). No header, cookie,
//! query or body reaches the log.

use axum::extract::MatchedPath;
use axum::http::{Request, Response};
use std::time::Duration;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{DefaultOnFailure, MakeSpan, OnResponse, TraceLayer};
use tracing::{Level, Span};

/// The name of the log target of each request's end.
pub const TARGET: &str = "sesame_server::request";

#[derive(Clone, Copy)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, req: &Request<B>) -> Span {
        let route = req
            .extensions()
            .get::<MatchedPath>()
            .map_or("(no route)", MatchedPath::as_str);
        tracing::info_span!(
            target: TARGET,
            "request",
            method = %req.method(),
            route,
            org = tracing::field::Empty,
            user = tracing::field::Empty,
        )
    }
}

/// The end of a request: its status and how long it took, at `debug`.
#[derive(Clone, Copy)]
pub struct RequestEnd;

impl<B> OnResponse<B> for RequestEnd {
    fn on_response(self, response: &Response<B>, latency: Duration, _: &Span) {
        tracing::debug!(
            target: TARGET,
            status = response.status().as_u16(),
            latency_us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX),
            "answered"
        );
    }
}

/// The layer: [`RequestSpan`], its end ([`RequestEnd`]), a server error at `error`.
pub fn layer() -> TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    RequestSpan,
    (),
    RequestEnd,
    (),
    (),
    DefaultOnFailure,
> {
    TraceLayer::new_for_http()
        .make_span_with(RequestSpan)
        .on_request(())
        .on_response(RequestEnd)
        .on_body_chunk(())
        .on_eos(())
        .on_failure(DefaultOnFailure::new().level(Level::ERROR))
}
