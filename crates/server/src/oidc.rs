//! The OpenID Connect provider's HTTP face (issue 21), under each organisation's issuer
//! `/o/{slug}`: discovery, keys, the authorization endpoint with its consent page, token,
//! userinfo, revocation and logout. The protocol is `sesame_app::oidc`; this only translates.

use crate::ApiState;
use crate::web::{Ctx, Posted, Visitor, at, error_page, field};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Json, Redirect, Response};
use base64::Engine;
use sesame_app::i18n::message;
use sesame_app::oidc::authorize::{self, AuthRequest, Checked, Next, Refusal};
use sesame_app::oidc::logout::{self, EndSessionRequest};
use sesame_app::oidc::token::{self, BearerError, ClientCreds, TokenError, TokenRequest};
use sesame_app::{Org, Principal};
use sesame_core::Language;

/// The provider's routes, a line each (listed with the other unlisted routes).
pub(crate) fn routes() -> Vec<crate::web::Route> {
    vec![
        at(
            Method::GET,
            "/o/{slug}/.well-known/openid-configuration",
            discovery,
        ),
        at(Method::GET, "/o/{slug}/jwks", jwks),
        at(Method::GET, "/o/{slug}/authorize", authorize_get),
        at(Method::POST, "/o/{slug}/authorize", authorize_post),
        at(Method::POST, "/o/{slug}/authorize/decision", decision),
        at(Method::POST, "/o/{slug}/token", token_endpoint),
        at(Method::OPTIONS, "/o/{slug}/token", preflight),
        at(Method::GET, "/o/{slug}/userinfo", userinfo_get),
        at(Method::POST, "/o/{slug}/userinfo", userinfo_post),
        at(Method::OPTIONS, "/o/{slug}/userinfo", preflight),
        at(Method::POST, "/o/{slug}/revoke", revoke),
        at(Method::OPTIONS, "/o/{slug}/revoke", preflight),
        at(Method::GET, "/o/{slug}/logout", logout_get),
        at(Method::POST, "/o/{slug}/logout", logout_post),
    ]
}

/// The organisation of an issuer path, or the page that says there is none (the same for
/// every unknown slug: nothing tells which organisations exist).
async fn org_of(s: &ApiState, slug: &str, lang: Language) -> Result<Org, Response> {
    match s.app.org_for_visitor(Some(slug)).await {
        Ok(Some(org)) => Ok(org),
        Ok(None) | Err(_) => Err(error_page(
            lang,
            StatusCode::NOT_FOUND,
            &message(lang, "oidc-org-unknown", &[]),
        )),
    }
}

/// A JSON document anyone may read, from any origin (discovery, keys).
fn public_json(value: serde_json::Value) -> Response {
    let mut res = for_browsers(Json(value).into_response());
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    res
}

/// Opens an answer of the token, revocation or userinfo endpoint to applications that run in
/// the browser (a single-page application, a public client with PKCE), from any origin: these
/// endpoints take no cookie — the client's credentials or the bearer token are the proof — so
/// no other site's page can use a visitor's standing with Sésame through them (and
/// `Access-Control-Allow-Credentials` is never sent). `WWW-Authenticate` is readable by them.
fn for_browsers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("WWW-Authenticate"),
    );
    res
}

/// The browser's question before a cross-origin call with an `Authorization` header or a JSON
/// body (CORS preflight): allowed, for ten minutes.
async fn preflight() -> Response {
    let mut res = for_browsers(StatusCode::NO_CONTENT.into_response());
    let h = res.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("authorization, content-type"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    res
}

fn server_error(lang: Language) -> Response {
    error_page(
        lang,
        StatusCode::SERVICE_UNAVAILABLE,
        &message(lang, "oidc-unavailable", &[]),
    )
}

async fn discovery(State(s): State<ApiState>, Path(slug): Path<String>) -> Response {
    match org_of(&s, &slug, Language::En).await {
        Ok(org) => public_json(sesame_app::oidc::discovery(&s.app, &org)),
        Err(page) => page,
    }
}

async fn jwks(State(s): State<ApiState>, Path(slug): Path<String>) -> Response {
    if let Err(page) = org_of(&s, &slug, Language::En).await {
        return page;
    }
    match sesame_app::keys::jwks(&s.app).await {
        Ok(keys) => public_json(keys),
        Err(e) => {
            tracing::error!(error = %e, "could not read the signing keys");
            server_error(Language::En)
        }
    }
}

async fn authorize_get(
    State(s): State<ApiState>,
    Path(slug): Path<String>,
    visitor: Visitor,
    RawQuery(query): RawQuery,
) -> Response {
    let req = serde_urlencoded::from_str(query.as_deref().unwrap_or("")).unwrap_or_default();
    authorize_with(&s, &slug, visitor, req).await
}

/// An authorization request may be posted (OpenID Connect Core §3.1.2.1); from another site
/// the session cookie does not come with it (`SameSite=Lax`), so it leads to the sign-in.
async fn authorize_post(
    State(s): State<ApiState>,
    Path(slug): Path<String>,
    visitor: Visitor,
    body: Bytes,
) -> Response {
    let req = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    authorize_with(&s, &slug, visitor, req).await
}

async fn authorize_with(
    s: &ApiState,
    slug: &str,
    Visitor { ctx, who }: Visitor,
    req: AuthRequest,
) -> Response {
    let org = match org_of(s, slug, ctx.lang).await {
        Ok(o) => o,
        Err(page) => return page,
    };
    let checked = match authorize::check(&s.app, org, req).await {
        Ok(Ok(c)) => c,
        Ok(Err(refusal)) => return refused(&ctx, refusal),
        Err(e) => return crate::web::failed(&ctx, e),
    };
    match authorize::decide(&s.app, &checked, who.as_ref()).await {
        Ok(next) => answer_next(s, slug, ctx, who.as_ref(), &checked, next).await,
        Err(e) => crate::web::failed(&ctx, e),
    }
}

fn refused(ctx: &Ctx, refusal: Refusal) -> Response {
    match refusal {
        Refusal::Page(key) => {
            let key = format!("oidc-{}", key.trim_start_matches("oidc.").replace('_', "-"));
            error_page(
                ctx.lang,
                StatusCode::BAD_REQUEST,
                &message(ctx.lang, &key, &[]),
            )
        }
        Refusal::Redirect(uri) => Redirect::to(&uri).into_response(),
    }
}

/// Where this authorization request is, to come back to after signing in.
fn comeback(slug: &str, req: &AuthRequest) -> String {
    format!(
        "/o/{slug}/authorize?{}",
        serde_urlencoded::to_string(req).unwrap_or_default()
    )
}

async fn answer_next(
    s: &ApiState,
    slug: &str,
    ctx: Ctx,
    who: Option<&Principal>,
    c: &Checked,
    next: Next,
) -> Response {
    match next {
        Next::Approved(uri) | Next::Refused(Refusal::Redirect(uri)) => {
            Redirect::to(&uri).into_response()
        }
        Next::Refused(refusal) => refused(&ctx, refusal),
        Next::SignIn { fresh } => {
            let mut req = c.request.clone();
            if fresh {
                req.signed_in_after = Some(now_ms().to_string());
            }
            let mut params = vec![
                ("next", comeback(slug, &req)),
                ("org", c.org.row.slug.clone()),
            ];
            if let Some(hint) = &c.login_hint {
                params.push(("login", hint.clone()));
            }
            if fresh {
                params.push(("reauth", "1".into()));
            }
            Redirect::to(&format!(
                "/sign-in?{}",
                serde_urlencoded::to_string(&params).unwrap_or_default()
            ))
            .into_response()
        }
        Next::Enrol => Redirect::to(&format!(
            "/account/two-factor?{}",
            serde_urlencoded::to_string([("next", comeback(slug, &c.request))]).unwrap_or_default()
        ))
        .into_response(),
        Next::NoAccess => {
            let back = match c.error(
                &s.app,
                "access_denied",
                "this application is not open to this person",
            ) {
                Refusal::Redirect(uri) => uri,
                Refusal::Page(_) => String::new(),
            };
            let page = NoAccessPage {
                title: ctx.t("web-oidc-no-access-title"),
                text: message(
                    ctx.lang,
                    "web-oidc-no-access-text",
                    &[("app", c.client.name.clone())],
                ),
                back,
                ctx,
            };
            let html = page.render().unwrap_or_default();
            page.ctx.page(StatusCode::FORBIDDEN, html)
        }
        Next::Consent => consent_page(ctx, who, c, slug),
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// The page that tells someone an application is not open to them (also forward
/// authentication's).
#[derive(Template)]
#[template(path = "web/oidc_no_access.html")]
pub(crate) struct NoAccessPage {
    pub(crate) ctx: Ctx,
    pub(crate) title: String,
    pub(crate) text: String,
    /// Back to the application, telling it `access_denied`; empty: no such link.
    pub(crate) back: String,
}

#[derive(Template)]
#[template(path = "web/oidc_consent.html")]
struct ConsentPage {
    ctx: Ctx,
    title: String,
    intro: String,
    /// What the application will receive, in plain words.
    items: Vec<String>,
    /// The request, carried as hidden fields.
    fields: Vec<(&'static str, String)>,
    person: String,
    action: String,
}

fn consent_page(ctx: Ctx, who: Option<&Principal>, c: &Checked, slug: &str) -> Response {
    let items = c
        .scope
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(|s| ctx.t(&format!("web-oidc-scope-{}", s.replace('_', "-"))))
        .collect();
    let fields = request_fields(&c.request);
    let page = ConsentPage {
        title: message(
            ctx.lang,
            "web-oidc-consent-title",
            &[("app", c.client.name.clone())],
        ),
        intro: message(
            ctx.lang,
            "web-oidc-consent-intro",
            &[("app", c.client.name.clone())],
        ),
        items,
        fields,
        person: who
            .and_then(|w| w.person())
            .map(|p| p.login().to_string())
            .unwrap_or_default(),
        action: format!("/o/{slug}/authorize/decision"),
        ctx,
    };
    let html = page.render().unwrap_or_default();
    let mut res = page.ctx.page(StatusCode::OK, html);
    widen_form_action(&mut res, Some(&c.redirect_uri));
    res
}

/// The parameters of a request, as hidden fields of a form that carries it.
fn request_fields(r: &AuthRequest) -> Vec<(&'static str, String)> {
    let all = [
        ("client_id", &r.client_id),
        ("redirect_uri", &r.redirect_uri),
        ("response_type", &r.response_type),
        ("scope", &r.scope),
        ("state", &r.state),
        ("nonce", &r.nonce),
        ("code_challenge", &r.code_challenge),
        ("code_challenge_method", &r.code_challenge_method),
        ("max_age", &r.max_age),
        ("login_hint", &r.login_hint),
        ("response_mode", &r.response_mode),
        ("signed_in_after", &r.signed_in_after),
    ];
    all.into_iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k, v)))
        .collect()
}

/// The consent page's answer.
async fn decision(
    State(s): State<ApiState>,
    Path(slug): Path<String>,
    Visitor { ctx, who }: Visitor,
    Posted(form): Posted,
) -> Response {
    let org = match org_of(&s, &slug, ctx.lang).await {
        Ok(o) => o,
        Err(page) => return page,
    };
    let get = |k: &str| Some(field(&form, k).to_string()).filter(|v| !v.is_empty());
    let req = AuthRequest {
        client_id: get("client_id"),
        redirect_uri: get("redirect_uri"),
        response_type: get("response_type"),
        scope: get("scope"),
        state: get("state"),
        nonce: get("nonce"),
        code_challenge: get("code_challenge"),
        code_challenge_method: get("code_challenge_method"),
        // The person answered just now: asking again would loop.
        prompt: None,
        max_age: get("max_age"),
        login_hint: get("login_hint"),
        response_mode: get("response_mode"),
        signed_in_after: get("signed_in_after"),
    };
    let checked = match authorize::check(&s.app, org, req).await {
        Ok(Ok(c)) => c,
        Ok(Err(refusal)) => return refused(&ctx, refusal),
        Err(e) => return crate::web::failed(&ctx, e),
    };
    let Some(who) = who else {
        // The session ended while the page was open: start again.
        return answer_next(
            &s,
            &slug,
            ctx,
            None,
            &checked,
            Next::SignIn { fresh: false },
        )
        .await;
    };
    if field(&form, "decision") != "allow" {
        return refused(&ctx, authorize::denied(&s.app, &checked));
    }
    match authorize::consent_given(&s.app, &checked, &who).await {
        Ok(next) => answer_next(&s, &slug, ctx, Some(&who), &checked, next).await,
        Err(e) => crate::web::failed(&ctx, e),
    }
}

/// The client's credentials: `Authorization: Basic` (RFC 6749 §2.3.1, each part form-encoded)
/// or the form's `client_id` and `client_secret`.
fn client_creds(headers: &HeaderMap, req: &TokenRequest) -> ClientCreds {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Basic ")
                .or_else(|| v.strip_prefix("basic "))
        })
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|pair| {
            let (id, secret) = pair.split_once(':')?;
            let decode = |s: &str| percent_decode(s);
            Some((decode(id)?, decode(secret)?))
        });
    match basic {
        Some((id, secret)) => ClientCreds {
            id: Some(id),
            secret: Some(secret),
        },
        None => ClientCreds {
            id: req.client_id.clone(),
            secret: req.client_secret.clone().filter(|s| !s.is_empty()),
        },
    }
}

fn percent_decode(s: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={s}"))
        .ok()?
        .pop()
        .map(|(_, v)| v)
}

/// A token endpoint answer: never cached (RFC 6749 §5.1).
fn token_json(status: StatusCode, body: serde_json::Value) -> Response {
    let mut res = (status, Json(body)).into_response();
    res.headers_mut()
        .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    res
}

fn token_error(e: &TokenError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut res = token_json(status, e.body());
    if let Some(scheme) = e.challenge
        && let Ok(v) = HeaderValue::from_str(&format!("{scheme} realm=\"sesame\""))
    {
        res.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    res
}

fn unavailable_json(e: &sesame_app::Error) -> Response {
    tracing::error!(error = %e, "the token endpoint failed");
    token_json(
        StatusCode::SERVICE_UNAVAILABLE,
        serde_json::json!({ "error": "temporarily_unavailable" }),
    )
}

/// What an application's call to the token or revocation endpoint carries: the issuer's
/// organisation, the client's credentials, the form.
async fn client_call(
    s: &ApiState,
    slug: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(Org, ClientCreds, TokenRequest), Response> {
    let org = match s.app.org_for_visitor(Some(slug)).await {
        Ok(Some(org)) => org,
        Ok(None) => return Err(token_error(&unknown_issuer())),
        Err(e) => return Err(unavailable_json(&e)),
    };
    let req: TokenRequest = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let creds = client_creds(headers, &req);
    Ok((org, creds, req))
}

async fn token_endpoint(
    State(s): State<ApiState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (org, creds, req) = match client_call(&s, &slug, &headers, &body).await {
        Ok(call) => call,
        Err(res) => return for_browsers(res),
    };
    for_browsers(match token::exchange(&s.app, &org, creds, req).await {
        Ok(Ok(tokens)) => token_json(
            StatusCode::OK,
            serde_json::to_value(tokens).unwrap_or_default(),
        ),
        Ok(Err(e)) => token_error(&e),
        Err(e) => unavailable_json(&e),
    })
}

fn unknown_issuer() -> TokenError {
    TokenError {
        status: 404,
        error: "invalid_request",
        description: "no such issuer",
        challenge: None,
    }
}

async fn revoke(
    State(s): State<ApiState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (org, creds, req) = match client_call(&s, &slug, &headers, &body).await {
        Ok(call) => call,
        Err(res) => return for_browsers(res),
    };
    for_browsers(match token::revoke(&s.app, &org, creds, req).await {
        Ok(Ok(())) => StatusCode::OK.into_response(),
        Ok(Err(e)) => token_error(&e),
        Err(e) => unavailable_json(&e),
    })
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_string())
}

async fn userinfo_get(
    State(s): State<ApiState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    userinfo_with(&s, &slug, bearer(&headers)).await
}

/// Userinfo by POST: the token in the header or, per RFC 6750 §2.2, in the form.
async fn userinfo_post(
    State(s): State<ApiState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let from_form = || {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == "access_token")
            .map(|(_, v)| v)
    };
    userinfo_with(&s, &slug, bearer(&headers).or_else(from_form)).await
}

async fn userinfo_with(s: &ApiState, slug: &str, token: Option<String>) -> Response {
    for_browsers(
        match token::userinfo(&s.app, slug, token.as_deref()).await {
            Ok(Ok(claims)) => Json(claims).into_response(),
            Ok(Err(e)) => bearer_refusal(e),
            Err(e) => unavailable_json(&e),
        },
    )
}

/// RFC 6750 §3: 401 with the reason in `WWW-Authenticate`.
fn bearer_refusal(e: BearerError) -> Response {
    let challenge = match e {
        BearerError::Missing => "Bearer realm=\"sesame\"",
        BearerError::Invalid => "Bearer realm=\"sesame\", error=\"invalid_token\"",
    };
    let mut res = StatusCode::UNAUTHORIZED.into_response();
    res.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    );
    res
}

#[derive(Template)]
#[template(path = "web/oidc_logout.html")]
struct LogoutPage {
    ctx: Ctx,
    title: String,
    /// The question, or what happened.
    text: String,
    /// Whether to ask (a form), or only say.
    ask: bool,
    fields: Vec<(&'static str, String)>,
}

fn logout_fields(r: &EndSessionRequest) -> Vec<(&'static str, String)> {
    [
        ("id_token_hint", &r.id_token_hint),
        ("client_id", &r.client_id),
        ("post_logout_redirect_uri", &r.post_logout_redirect_uri),
        ("state", &r.state),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().filter(|v| !v.is_empty()).map(|v| (k, v)))
    .collect()
}

async fn logout_get(
    State(s): State<ApiState>,
    Path(slug): Path<String>,
    visitor: Visitor,
    RawQuery(query): RawQuery,
) -> Response {
    let req = serde_urlencoded::from_str(query.as_deref().unwrap_or("")).unwrap_or_default();
    logout_with(&s, &slug, visitor, req, false).await
}

async fn logout_post(
    State(s): State<ApiState>,
    Path(slug): Path<String>,
    visitor: Visitor,
    Posted(form): Posted,
) -> Response {
    let get = |k: &str| Some(field(&form, k).to_string()).filter(|v| !v.is_empty());
    let req = EndSessionRequest {
        id_token_hint: get("id_token_hint"),
        client_id: get("client_id"),
        post_logout_redirect_uri: get("post_logout_redirect_uri"),
        state: get("state"),
    };
    let confirmed = field(&form, "confirm") == "yes";
    logout_with(&s, &slug, visitor, req, confirmed).await
}

async fn logout_with(
    s: &ApiState,
    slug: &str,
    Visitor { ctx, who }: Visitor,
    req: EndSessionRequest,
    confirmed: bool,
) -> Response {
    let org = match org_of(s, slug, ctx.lang).await {
        Ok(o) => o,
        Err(page) => return page,
    };
    let checked = match logout::check(&s.app, &org, &req, who.as_ref()).await {
        Ok(c) => c,
        Err(e) => return crate::web::failed(&ctx, e),
    };
    let signed_in = who.as_ref().filter(|w| w.org.id() == org.id());
    if let Some(w) = signed_in {
        if !(confirmed || checked.hint_matches_session) {
            // Without proof that the application asking is the one the person uses, they
            // confirm (RP-Initiated Logout §2: protects against forced sign-outs).
            let app_name = checked.client.as_ref().map(|c| c.name.clone());
            let text = match app_name {
                Some(name) => message(ctx.lang, "web-oidc-logout-ask-app", &[("app", name)]),
                None => ctx.t("web-oidc-logout-ask"),
            };
            let mut res = logout_page(ctx, text, Some(logout_fields(&req)));
            widen_form_action(&mut res, checked.redirect.as_deref());
            return res;
        }
        if let Err(e) = logout::end(&s.app, w).await {
            return crate::web::failed(&ctx, e);
        }
    }
    let clear = axum_extra::extract::cookie::CookieJar::new()
        .add(crate::session_cookie::clear(s.secure_cookies));
    if let Some(uri) = checked.redirect {
        return (clear, Redirect::to(&uri)).into_response();
    }
    let text = if checked.unregistered_redirect {
        ctx.t("web-oidc-logout-done-unregistered")
    } else {
        ctx.t("web-oidc-logout-done")
    };
    (clear, logout_page(ctx, text, None)).into_response()
}

/// The logout page: the question and its form carrying the request (`ask`: its fields), or
/// what happened.
fn logout_page(ctx: Ctx, text: String, ask: Option<Vec<(&'static str, String)>>) -> Response {
    let page = LogoutPage {
        title: ctx.t("web-oidc-logout-title"),
        text,
        ask: ask.is_some(),
        fields: ask.unwrap_or_default(),
        ctx,
    };
    let html = page.render().unwrap_or_default();
    page.ctx.page(StatusCode::OK, html)
}

/// A page whose form leads, through our redirects, to an application's address: browsers
/// apply `form-action` to every redirect after a form is sent, so that address's origin (or a
/// native app's scheme) joins `'self'` in the page's policy.
pub(crate) fn widen_form_action(res: &mut Response, target: Option<&str>) {
    let Some(source) = target.and_then(csp_source) else {
        return;
    };
    let Some(csp) = res
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
    else {
        return;
    };
    let widened = csp.replace(
        "form-action 'self'",
        &format!("form-action 'self' {source}"),
    );
    if let Ok(v) = HeaderValue::from_str(&widened) {
        res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
}

/// The CSP source expression of a URL: its origin (`https://app.example:8443`), or for a
/// private-use scheme (`fr.amisgest.app:/cb`) the scheme (`fr.amisgest.app:`).
fn csp_source(uri: &str) -> Option<String> {
    let (scheme, rest) = uri.split_once(':')?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Some(format!("{scheme}:"));
    }
    let authority = rest.strip_prefix("//")?.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    {
        return None;
    }
    Some(format!("{scheme}://{host}"))
}

/// The application address a sign-in's `next` leads to, when it is an authorization request
/// of ours (its `redirect_uri`) or the start of a forward authentication (its `rd`, whose
/// host the callback is on): the sign-in and code pages widen their `form-action` to it.
pub(crate) fn redirect_of_next(next: &str) -> Option<String> {
    let (path, query) = next.split_once('?')?;
    let rest = path.strip_prefix("/o/")?;
    if rest.ends_with("/authorize") {
        crate::web::query_value(Some(query), "redirect_uri")
    } else if rest.ends_with("/forward-auth/start") {
        crate::web::query_value(Some(query), "rd")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csp_sources_are_origins_or_schemes() {
        assert_eq!(
            csp_source("https://app.example:8443/cb?x=1").as_deref(),
            Some("https://app.example:8443")
        );
        assert_eq!(
            csp_source("http://127.0.0.1:4000/callback").as_deref(),
            Some("http://127.0.0.1:4000")
        );
        assert_eq!(
            csp_source("fr.amisgest.app:/oauth").as_deref(),
            Some("fr.amisgest.app:")
        );
        assert_eq!(csp_source("https://a b/"), None);
        assert_eq!(csp_source("https://x;script-src *"), None);
        assert_eq!(csp_source("nothing"), None);
    }

    #[test]
    fn next_of_an_authorization_names_its_redirect() {
        assert_eq!(
            redirect_of_next(
                "/o/amap/authorize?client_id=a&redirect_uri=https%3A%2F%2Fx.example%2Fcb"
            )
            .as_deref(),
            Some("https://x.example/cb")
        );
        assert_eq!(redirect_of_next("/users?redirect_uri=https://x"), None);
        assert_eq!(
            redirect_of_next("/o/amap/forward-auth/start?rd=https%3A%2F%2Fwiki.example%2Fp")
                .as_deref(),
            Some("https://wiki.example/p")
        );
    }
}
