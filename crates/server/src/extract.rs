//! Extractors whose failures speak problem+json like everything else: the JSON body, the query
//! string, the caller's identity and address.

use crate::{ApiState, problem::ApiError};
use axum::extract::{ConnectInfo, FromRef, FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts};
use axum_extra::extract::cookie::CookieJar;
use serde::de::DeserializeOwned;
use sesame_app::{InPerson, Principal, TokenKind};
use sesame_core::FieldError;
use std::net::SocketAddr;

/// Largest JSON body accepted.
pub const MAX_BODY: usize = 1024 * 1024;

/// A JSON body. Malformed JSON, wrong types, unknown or missing fields, a body too large, not
/// UTF-8 or not JSON at all: each gets a 4xx problem naming the field.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                ct.split(';').next().is_some_and(|m| {
                    m.trim().eq_ignore_ascii_case("application/json") || m.trim().ends_with("+json")
                })
            });
        if !is_json {
            return Err(ApiError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "bad-request",
                vec![FieldError::new("", "request.content_type")],
            ));
        }
        let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY)
            .await
            .map_err(|_| {
                ApiError::new(
                    axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                    "bad-request",
                    vec![
                        FieldError::new("", "request.too_large").with("max", MAX_BODY.to_string()),
                    ],
                )
            })?;
        if std::str::from_utf8(&bytes).is_err() {
            return Err(ApiError::bad_request(FieldError::new(
                "",
                "request.not_utf8",
            )));
        }
        parse_json(&bytes).map(Json)
    }
}

/// Every body of the API is a JSON object. serde would also build a struct from an array of its
/// fields in order (`["x"]` for `{"signature": "x"}`): a well-formed body that is not an object
/// is refused as such.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{')
        && serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
    {
        return Err(ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            vec![FieldError::new("", "request.json_object")],
        ));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { String::new() } else { path };
        let inner = e.into_inner();
        let message = inner.to_string();
        let detail = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        let err = match inner.classify() {
            serde_json::error::Category::Syntax
            | serde_json::error::Category::Eof
            | serde_json::error::Category::Io => FieldError::new("", "request.json_syntax").with(
                "detail",
                format!("line {}, column {}: {detail}", inner.line(), inner.column()),
            ),
            serde_json::error::Category::Data => data_error(field, &detail),
        };
        // Unprocessable: the JSON was well-formed but its content is not what is expected.
        let status = if err.code == "request.json_syntax" {
            axum::http::StatusCode::BAD_REQUEST
        } else {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        };
        ApiError::new(
            status,
            if status.as_u16() == 400 {
                "bad-request"
            } else {
                "invalid"
            },
            vec![err],
        )
    })?;
    Ok(value)
}

/// Reads serde's message ("unknown field `x`, expected one of `a`, `b`", "missing field `x`",
/// "invalid type: …") into a code and arguments.
fn data_error(path: String, detail: &str) -> FieldError {
    let ticked = |s: &str| s.split('`').nth(1).unwrap_or("").to_string();
    let join = |parent: &str, name: &str| {
        if parent.is_empty() {
            name.to_string()
        } else {
            format!("{parent}.{name}")
        }
    };
    if let Some(rest) = detail.strip_prefix("unknown field ") {
        let name = ticked(rest);
        // serde reports the path including the unknown field itself.
        let field = if path.ends_with(&name) {
            path.clone()
        } else {
            join(&path, &name)
        };
        let expected = rest
            .split_once("expected")
            .map(|(_, e)| e.replace("one of ", "").replace('`', "").trim().to_string())
            .unwrap_or_default();
        FieldError::new(field.clone(), "request.unknown_field")
            .with("field", field)
            .with("expected", expected)
    } else if let Some(rest) = detail.strip_prefix("missing field ") {
        let field = join(&path, &ticked(rest));
        FieldError::new(field.clone(), "request.missing_field").with("field", field)
    } else {
        FieldError::new(path.clone(), "request.json_type")
            .with("field", path)
            .with("detail", detail)
    }
}

/// A query string, with the same error shape.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let q = parts.uri.query().unwrap_or("");
        // `org` names the organisation for the authentication (checked there); a query type
        // that does not ask for it does not see it.
        let parsed = serde_urlencoded::from_str(q).or_else(|e| {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q).map_err(|_| e)?;
            let rest: Vec<_> = pairs.into_iter().filter(|(k, _)| k != "org").collect();
            let again = serde_urlencoded::to_string(rest).unwrap_or_default();
            serde_urlencoded::from_str(&again)
        });
        parsed.map(Query).map_err(|e| {
            ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "bad-request",
                vec![FieldError::new("", "request.bad_query").with("detail", e.to_string())],
            )
        })
    }
}

/// The client's address: from the forwarding headers when the connection comes from a trusted
/// proxy ([`crate::client_addr`]), else the connection's. The one place it is read.
pub(crate) fn source_of(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<crate::client_addr::ClientAddr>()
        .map(|c| c.0.to_string())
        .or_else(|| {
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_canonical().to_string())
        })
}

/// The client's address, for the audit log.
pub struct Source(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for Source {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Source(source_of(parts)))
    }
}

/// The signed-in caller, from `Authorization: Bearer …` or the session cookie the web pages
/// use. A caller who must enrol in two-factor first is refused here: routes open to them take
/// [`Enrolling`] instead.
pub struct Auth(pub Principal);

/// The signed-in caller, even one who may do nothing but enrol in two-factor.
pub struct Enrolling(pub Principal);

/// The caller acting on their own account, from a sign-in session (bearer session token or
/// cookie), never with an API token (403 `session-required`): every route of
/// `/api/v1/account/*` that needs someone takes it, or [`EnrollingSession`]. The operations
/// behind them take the [`InPerson`] it carries, so a route that forgot does not compile.
pub struct Session(pub InPerson);

/// [`Session`] for the routes open to someone who must enrol in two-factor first.
pub struct EnrollingSession(pub InPerson);

fn in_person(who: &Principal) -> Result<InPerson, ApiError> {
    who.in_person()
        .map_err(|e| ApiError::from(e).in_language(who.language()))
}

impl<S: Send + Sync> FromRequestParts<S> for Session
where
    ApiState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Auth(who) = Auth::from_request_parts(parts, state).await?;
        in_person(&who).map(Session)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for EnrollingSession
where
    ApiState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Enrolling(who) = Enrolling::from_request_parts(parts, state).await?;
        in_person(&who).map(EnrollingSession)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Auth
where
    ApiState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Enrolling(who) = Enrolling::from_request_parts(parts, state).await?;
        who.enrolled_if_required()
            .map_err(|e| ApiError::from(e).in_language(who.language()))?;
        Ok(Auth(who))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Enrolling
where
    ApiState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let state = ApiState::from_ref(state);
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::to_owned);
        let (secret, by_cookie) = match bearer {
            Some(b) => (b, false),
            None => {
                let jar = CookieJar::from_headers(&parts.headers);
                let cookie = jar
                    .get(crate::session_cookie::name(state.secure_cookies))
                    .map(|c| c.value().to_owned())
                    .ok_or_else(|| {
                        ApiError::from(sesame_app::Error::Unauthenticated("auth.required"))
                    })?;
                refuse_cross_site(parts)?;
                (cookie, true)
            }
        };
        let source = source_of(parts);
        let org = named_org(parts.uri.query());
        let who =
            sesame_app::auth::authenticate(&state.app, &secret, org.as_deref(), source).await?;
        // The cookie carries a session; an API token pasted into it is not one.
        if by_cookie
            && who
                .token
                .as_ref()
                .is_none_or(|t| t.kind != TokenKind::Session)
        {
            return Err(sesame_app::Error::Unauthenticated("auth.token_invalid").into());
        }
        Ok(Enrolling(who))
    }
}

/// The organisation a request names with `?org=`, if any.
fn named_org(query: Option<&str>) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query?)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == "org")
        .map(|(_, v)| v)
}

/// A form that needs no session (the pages of e-mailed links, the forgotten-password request)
/// posted from another site is refused all the same: nobody else's page may post it for a
/// visitor. Those pages send `Referrer-Policy: no-referrer`, with which browsers post
/// `Origin: null`: where the browser says where the request comes from (`Sec-Fetch-Site`),
/// that decides.
pub struct SameSite;

impl<S: Send + Sync> FromRequestParts<S> for SameSite {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.headers.get("sec-fetch-site").map(|v| v.as_bytes()) {
            Some(b"same-origin" | b"none") => Ok(SameSite),
            Some(_) => Err(cross_site()),
            None => refuse_cross_site(parts).map(|()| SameSite),
        }
    }
}

/// A cookie goes with every request the browser makes to us, including those another site
/// triggers: a change carried by the cookie must come from our own pages. Browsers say where a
/// request comes from in `Sec-Fetch-Site` (and `Origin`); a request without them is not a
/// browser's cross-site one.
fn refuse_cross_site(parts: &Parts) -> Result<(), ApiError> {
    if parts.method.is_safe() {
        return Ok(());
    }
    let header_str = |h| {
        parts
            .headers
            .get(h)
            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
    };
    let site_ok = header_str("sec-fetch-site").is_none_or(|s| s == "same-origin" || s == "none");
    let origin_ok = match (
        header_str(header::ORIGIN.as_str()),
        header_str(header::HOST.as_str()),
    ) {
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, h)| h) == Some(host),
        (Some(_), None) => false,
        (None, _) => true,
    };
    if site_ok && origin_ok {
        Ok(())
    } else {
        Err(cross_site())
    }
}

fn cross_site() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::FORBIDDEN,
        "denied",
        vec![FieldError::new("", "auth.cross_site")],
    )
}

/// The client's address and what it says it is, for the list of sessions.
pub struct Client {
    pub source: Option<String>,
    pub user_agent: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Client {
            source: source_of(parts),
            user_agent: parts
                .headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        })
    }
}
