//! Sésame's HTTP face: the JSON API under `/api/v1`, its OpenAPI document, `/healthz`.
//! Handlers only translate: HTTP in, an operation of `sesame-app`, HTTP out. Errors become
//! problem+json in [`problem`], and nowhere else.

pub mod api;
pub mod client_addr;
pub mod extract;
mod forward_auth;
mod link_pages;
pub mod metrics;
mod oidc;
pub mod problem;
pub mod session_cookie;
mod setup_page;
pub mod trace;
mod upload;
mod web;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use sesame_app::App;
use sesame_core::FieldError;
use std::future::IntoFuture;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;

/// What every handler can reach.
#[derive(Clone)]
pub struct ApiState {
    pub app: App,
    /// The OpenAPI document, serialised once.
    pub openapi: Arc<String>,
    /// Whether the session cookie is `Secure` (see [`session_cookie`]).
    pub secure_cookies: bool,
}

/// How the HTTP service is set up, beyond the application.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Whether cookies are `Secure` (see [`cookies_secure`]).
    pub secure_cookies: bool,
    /// The reverse proxies whose forwarding headers are believed (see [`client_addr`]).
    pub trusted_proxies: client_addr::TrustedProxies,
    /// The bearer token of `/metrics` on this listener; without it there is no `/metrics`
    /// here (see [`metrics`]).
    pub metrics_token: Option<metrics::Token>,
}

/// The whole HTTP service. `secure_cookies`: false only when served on plain-HTTP loopback.
pub fn router(app: App, secure_cookies: bool) -> Router {
    router_with(
        app,
        Options {
            secure_cookies,
            ..Options::default()
        },
    )
}

/// [`router`], with every option.
pub fn router_with(app: App, options: Options) -> Router {
    let Options {
        secure_cookies,
        trusted_proxies,
        metrics_token,
    } = options;
    let (api, openapi) = api::routes().split_for_parts();
    let openapi = Arc::new(api::document(openapi).to_pretty_json().unwrap_or_default());
    let counted = app.metrics.clone();
    let state = ApiState {
        app,
        openapi,
        secure_cookies,
    };
    let served = other_routes()
        .into_iter()
        .fold(Router::new(), |router, r| router.route(r.path, r.to));
    let served = match metrics_token {
        Some(token) => metrics::with_token(served, token),
        None => served,
    };
    Router::new()
        .merge(api)
        .merge(web::routes())
        .merge(served)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(problem::render))
        .layer(trace::layer())
        .layer(axum::middleware::from_fn_with_state(
            counted,
            metrics::count,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(trusted_proxies),
            client_addr::resolve,
        ))
        .with_state(state)
}

/// Every route outside the OpenAPI document, a line each: health, the document itself, the
/// first administrator's setup page and the pages of e-mailed links (the web pages have their
/// own table in [`web`]).
fn other_routes() -> Vec<web::Route> {
    use axum::http::Method;
    use web::at;
    vec![
        at(Method::GET, "/healthz", api::health),
        at(Method::GET, "/api/v1/openapi.json", api::openapi),
        at(Method::GET, "/setup", setup_page::show),
        at(Method::POST, "/setup", setup_page::submit),
        at(Method::GET, "/activate", link_pages::show_activate),
        at(Method::POST, "/activate", link_pages::submit_activate),
        at(Method::GET, "/password-reset", link_pages::show_reset),
        at(Method::POST, "/password-reset", link_pages::submit_reset),
        at(
            Method::GET,
            "/confirm-email",
            link_pages::show_confirm_email,
        ),
        at(
            Method::POST,
            "/confirm-email",
            link_pages::submit_confirm_email,
        ),
        at(Method::POST, "/links/renew", link_pages::submit_renew),
    ]
    .into_iter()
    .chain(oidc::routes())
    .chain(forward_auth::routes())
    .collect()
}

/// Every route the server answers that its OpenAPI document does not list, as (method, path):
/// the web pages and [`other_routes`]. Axum cannot list a router's routes; this is read from
/// the same tables the router is built from, so that the test over every route
/// (`tests/it/routes.rs`) sees each one served.
pub fn unlisted_routes() -> Vec<(String, &'static str)> {
    web::listed()
        .into_iter()
        .chain(other_routes().into_iter().map(|r| (r.method, r.path)))
        .map(|(m, p)| (m.to_string(), p))
        .collect()
}

/// The OpenAPI document as served, for the test that keeps the committed copy current.
pub fn openapi_json() -> String {
    let (_, openapi) = api::routes().split_for_parts();
    api::document(openapi).to_pretty_json().unwrap_or_default()
}

async fn not_found() -> impl IntoResponse {
    problem::ApiError::new(
        StatusCode::NOT_FOUND,
        "not-found",
        vec![FieldError::new("", "notfound.route")],
    )
}

async fn method_not_allowed() -> impl IntoResponse {
    problem::ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "bad-request",
        vec![FieldError::new("", "method.not_allowed")],
    )
}

/// Whether session cookies must be `Secure`: when the public address is `https://`, or, without
/// one, when the listener is not on loopback (a loopback listener is reached over plain HTTP,
/// or through a proxy that then says `--public-url https://…`).
pub fn cookies_secure(listen: std::net::SocketAddr, public_url: Option<&str>) -> bool {
    match public_url {
        Some(url) => url.trim().to_ascii_lowercase().starts_with("https://"),
        None => !listen.ip().is_loopback(),
    }
}

/// Serves, and delivers the outbox, until `shutdown` resolves.
pub async fn serve(
    app: App,
    listener: tokio::net::TcpListener,
    secure_cookies: bool,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let options = Options {
        secure_cookies,
        ..Options::default()
    };
    serve_with(app, listener, options, shutdown).await
}

/// Serves `/metrics` alone ([`metrics::router`]) on `listener` until `shutdown` resolves.
pub async fn serve_metrics(
    app: App,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, metrics::router(app))
        .with_graceful_shutdown(shutdown)
        .await
}

/// [`serve`], with every option.
pub async fn serve_with(
    app: App,
    listener: tokio::net::TcpListener,
    options: Options,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Imports left running by an instance that stopped end now, as interrupted (the CLI
    // names them; a second call finds none).
    if let Err(e) = sesame_app::import::jobs::interrupt_stale(&app).await {
        tracing::error!(error = %e, "could not mark the interrupted imports");
    }
    // The OpenID Connect signing keys, made at first start; the schedule below tries again.
    if let Err(e) = sesame_app::keys::ensure(&app).await {
        tracing::error!(error = %e, "could not make the signing keys");
    }
    // The outbox worker runs beside the server and stops with it.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(sesame_app::delivery::run(app.clone(), stopped.clone()));
    // So does the deletion of expired uploads and one-time form values (every instance runs
    // it; a second deletion finds nothing).
    let sweeper = tokio::spawn(sesame_app::uploads::sweep(app.clone(), stopped.clone()));
    // And the back-channel logouts owed to applications when a session ends (issue 21).
    let logouts = tokio::spawn(sesame_app::oidc::logout::run(app.clone(), stopped.clone()));
    // And the signing keys' rotation (one instance rotates; see `keys::run_schedule`).
    let keys = tokio::spawn(sesame_app::keys::run_schedule(app.clone(), stopped.clone()));
    // And the reminders of the two-factor grace periods (each queued once; see
    // `grace::remind_due`).
    let reminders = tokio::spawn(sesame_app::grace::run_schedule(
        app.clone(),
        stopped.clone(),
    ));
    // And the reminders of invitations not yet accepted (issue 23; each queued once, see
    // `invitations::remind::remind_due`).
    let invitation_reminders = tokio::spawn(sesame_app::invitations::remind::run_schedule(
        app.clone(),
        stopped,
    ));
    let imports = app.imports.clone();
    let service =
        router_with(app, options).into_make_service_with_connect_info::<std::net::SocketAddr>();
    // The stop (SIGTERM, Ctrl-C): the listener closes at once; running imports are told to
    // roll back (an API request waiting for one then gets its answer); the workers begin
    // nothing new; requests in flight finish. All within STOP_WITHIN, then the rest is dropped.
    let (signalled, signal) = tokio::sync::oneshot::channel::<()>();
    let stop = Arc::new(stop);
    let stop_on_signal = stop.clone();
    let on_signal = imports.clone();
    let mut server = tokio::spawn(
        axum::serve(listener, service)
            .with_graceful_shutdown(async move {
                shutdown.await;
                tracing::info!("stopping: finishing the requests, e-mails and imports in progress");
                on_signal.interrupt_all();
                let _ = stop_on_signal.send(true);
                let _ = signalled.send(());
            })
            .into_future(),
    );
    let mut deadline = None;
    let served = tokio::select! {
        r = &mut server => r,
        Ok(()) = signal => {
            let end = *deadline.insert(tokio::time::Instant::now() + STOP_WITHIN);
            match tokio::time::timeout_at(end, &mut server).await {
                Ok(r) => r,
                Err(_) => {
                    tracing::warn!("stopping: requests still running after {} s are cut off", STOP_WITHIN.as_secs());
                    server.abort();
                    Ok(Ok(()))
                }
            }
        }
    };
    let served = served.unwrap_or_else(|e| Err(std::io::Error::other(e)));
    // However the serving ended, the workers stop; what remains of the time goes to them and
    // to the imports recording their end.
    let _ = stop.send(true);
    let deadline = deadline.unwrap_or_else(|| tokio::time::Instant::now() + STOP_WITHIN);
    let workers = async {
        let _ = worker.await;
        let _ = sweeper.await;
        let _ = logouts.await;
        let _ = keys.await;
        let _ = reminders.await;
        let _ = invitation_reminders.await;
        while !imports.is_empty() {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    if tokio::time::timeout_at(deadline, workers).await.is_err() {
        tracing::warn!(
            "stopping: an e-mail or an import did not finish in time; the next start takes it up"
        );
    }
    served
}

/// How long a stop may take, from SIGTERM to the process's end: requests in flight, the
/// e-mails being sent and the rollback of a running import get this long, then the process
/// exits anyway (10 s with the closing of the database, as an orchestrator expects).
pub const STOP_WITHIN: std::time::Duration = std::time::Duration::from_secs(9);
