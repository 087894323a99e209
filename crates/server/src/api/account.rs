//! First-run setup, sign-in and sign-out, the caller's own account, sessions and API tokens.

use super::as_api;
use crate::extract::{Client, Enrolling, Json, Query, Session, Source};
use crate::problem::ApiError;
use crate::{ApiState, session_cookie};
use axum::Json as Out;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum_extra::extract::cookie::CookieJar;
use serde::{Deserialize, Serialize};
use sesame_app::auth::api_tokens::{self, ApiTokenView};
use sesame_app::auth::sessions::{self, SessionView};
use sesame_app::auth::sign_in::Origin;
use sesame_app::auth::{self, NewApiToken, SignInInput, SignedIn};
use sesame_app::settings::SettingsView;
use sesame_app::setup::{self, SetupInput};
use sesame_app::users::{self, UserView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(setup_first_admin))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(list_sessions, end_other_sessions))
        .routes(routes!(end_session))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(list_allowed_apps))
        .routes(routes!(withdraw_app))
}

/// Creates the first administrator with the one-time token printed by `sesame serve`.
#[utoipa::path(post, path = "/api/v1/setup", tag = "account", request_body = SetupInput,
    responses((status = 201, body = UserView), (status = 401, description = "Unknown or used setup token"), (status = 422, description = "Invalid fields")))]
async fn setup_first_admin(
    State(s): State<ApiState>,
    Source(src): Source,
    Json(b): Json<SetupInput>,
) -> Result<(StatusCode, Out<UserView>), ApiError> {
    setup::complete(&s.app, b, src)
        .await
        .map(|u| (StatusCode::CREATED, Out(u)))
        .map_err(ApiError::from)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OrgQuery {
    /// The organisation's short name; needed only when several share this server.
    pub org: Option<String>,
}

/// Signs in with a login (or e-mail), a password and, once two-factor is on, a code. Answers a
/// session token for `Authorization: Bearer`, and sets it as a cookie for the web pages. Also
/// sets a device cookie (`sesame_device`, or `__Host-sesame-device` over HTTPS): a client that
/// sends it back is not made to wait for failures others caused on this account or address.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "account", params(OrgQuery), request_body = SignInInput,
    responses((status = 200, body = SignedIn),
        (status = 401, description = "Wrong login or password, or an organisation that does not exist: the same answer (`unauthenticated`); or two-factor code missing or wrong (type `urn:sesame:problem:mfa-required`)"),
        (status = 422, description = "Several organisations share this server and none is named with `?org=` (`org.required`)"),
        (status = 429, description = "Too many failed attempts: wait `Retry-After` seconds"),
        (status = 503, description = "Too many sign-ins at once for the server's password hashing: try again after `Retry-After` seconds")))]
async fn login(
    State(s): State<ApiState>,
    client: Client,
    Query(q): Query<OrgQuery>,
    jar: CookieJar,
    Json(b): Json<SignInInput>,
) -> Result<(CookieJar, session_cookie::device::Header, Out<SignedIn>), ApiError> {
    let device = session_cookie::device::sent(&jar, s.secure_cookies);
    // A flood from an address already blocked is answered before anything is read (unless it
    // comes with a device cookie, which may exempt it: checked in the sign-in).
    if device.is_none() {
        let known = auth::throttle::known_wait(
            &s.app,
            client.source.as_deref(),
            sesame_app::time::now_ms(),
        );
        if known > 0 {
            return Err(sesame_app::Error::Throttled(known).into());
        }
    }
    let origin = Origin {
        source: client.source,
        user_agent: client.user_agent,
        device,
    };
    let Some(org) = s.app.org_for_visitor(q.org.as_deref()).await? else {
        // Answered as a wrong password: which organisations exist is never told.
        let named = q.org.as_deref().unwrap_or_default();
        return Err(auth::sign_in::refuse_unknown_org(
            &s.app, named, &b.login, b.password, &origin,
        )
        .await
        .into());
    };
    let signed = auth::sign_in(&s.app, &org, b, origin).await.map_err(|e| {
        // The organisation's language only when none was named: an answer in another
        // language would tell that the identifier exists.
        match q.org {
            None => ApiError::from(e).in_language(org.language),
            Some(_) => ApiError::from(e),
        }
    })?;
    Ok(super::sign_in_steps::opened(&s, jar, signed))
}

/// Ends the session (or revokes the API token) this request carries, and erases the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "account", security(("bearer" = [])), responses((status = 204, description = "Signed out")))]
async fn logout(
    State(s): State<ApiState>,
    Enrolling(who): Enrolling,
    jar: CookieJar,
) -> Result<(CookieJar, StatusCode), ApiError> {
    auth::sign_out(&s.app, &who).await.map_err(as_api(&who))?;
    Ok((
        jar.add(session_cookie::clear(s.secure_cookies)),
        StatusCode::NO_CONTENT,
    ))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub user: UserView,
    /// Permission codes held anywhere (organisation-wide or within a group).
    pub permissions: Vec<String>,
    pub organisation: SettingsView,
    /// The organisation requires two-factor of one of this person's roles and they have not
    /// enrolled: nothing else is open to them until they do.
    pub mfa_enrolment_required: bool,
}

/// The signed-in person, their rights and their organisation.
#[utoipa::path(get, path = "/api/v1/me", tag = "account", security(("bearer" = [])), responses((status = 200, body = Me)))]
async fn me(State(s): State<ApiState>, Enrolling(who): Enrolling) -> Result<Out<Me>, ApiError> {
    let id = who.user_id().unwrap_or_default().to_string();
    let user = users::get(&s.app, &who, &id).await.map_err(as_api(&who))?;
    let organisation = sesame_app::settings::get(&s.app, &who.org)
        .await
        .map_err(as_api(&who))?;
    Ok(Out(Me {
        mfa_enrolment_required: who.must_enrol,
        user,
        permissions: who
            .actor
            .permissions_anywhere()
            .codes()
            .into_iter()
            .map(String::from)
            .collect(),
        organisation,
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// What the token is for (`export nightly`, `site web`…).
    pub name: String,
    /// Lifetime in days (1–3650); none for no expiry.
    pub expires_in_days: Option<u32>,
    /// Permission codes it may use (at most yours); all of yours when absent.
    pub permissions: Option<Vec<String>>,
}

/// An API token for the caller, for scripts and other applications. The secret is shown once.
#[utoipa::path(post, path = "/api/v1/account/tokens", tag = "account", request_body = TokenRequest, security(("bearer" = [])),
    responses((status = 201, body = NewApiToken), (status = 403, description = "Called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)")))]
async fn create_token(
    State(s): State<ApiState>,
    Session(who): Session,
    Json(b): Json<TokenRequest>,
) -> Result<(StatusCode, Out<NewApiToken>), ApiError> {
    let id = who.user_id().unwrap_or_default().to_string();
    auth::create_api_token(&s.app, &who, &id, &b.name, b.expires_in_days, b.permissions)
        .await
        .map(|t| (StatusCode::CREATED, Out(t)))
        .map_err(as_api(&who))
}

/// The caller's API tokens (never their secrets), newest first.
#[utoipa::path(get, path = "/api/v1/account/tokens", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = Vec<ApiTokenView>), (status = 403, description = "Called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)")))]
async fn list_tokens(
    State(s): State<ApiState>,
    Session(who): Session,
) -> Result<Out<Vec<ApiTokenView>>, ApiError> {
    api_tokens::list_own(&s.app, &who)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Revokes one of the caller's API tokens.
#[utoipa::path(delete, path = "/api/v1/account/tokens/{id}", tag = "account", security(("bearer" = [])),
    responses((status = 204, description = "Revoked"), (status = 404, description = "No such live token of yours"), (status = 403, description = "Called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)")))]
async fn revoke_token(
    State(s): State<ApiState>,
    Session(who): Session,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    api_tokens::revoke_own(&s.app, &who, &id)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(as_api(&who))
}

/// The caller's open sessions, newest first; `current` marks the one this request uses.
#[utoipa::path(get, path = "/api/v1/account/sessions", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = Vec<SessionView>), (status = 403, description = "Called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)")))]
async fn list_sessions(
    State(s): State<ApiState>,
    Session(who): Session,
) -> Result<Out<Vec<SessionView>>, ApiError> {
    sessions::list_own(&s.app, &who)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Ended {
    /// How many sessions ended.
    pub ended: u64,
}

/// Signs the caller out everywhere else: ends every session but the current one.
#[utoipa::path(delete, path = "/api/v1/account/sessions", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = Ended), (status = 403, description = "Called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)")))]
async fn end_other_sessions(
    State(s): State<ApiState>,
    Session(who): Session,
) -> Result<Out<Ended>, ApiError> {
    sessions::end_others(&s.app, &who)
        .await
        .map(|ended| Out(Ended { ended }))
        .map_err(as_api(&who))
}

/// Ends one of the caller's sessions (the current one too, if asked).
#[utoipa::path(delete, path = "/api/v1/account/sessions/{id}", tag = "account", security(("bearer" = [])),
    responses((status = 204, description = "Ended"), (status = 404, description = "No such open session of yours"), (status = 403, description = "Called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)")))]
async fn end_session(
    State(s): State<ApiState>,
    Session(who): Session,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    sessions::end_own(&s.app, &who, &id)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(as_api(&who))
}

/// The applications the caller allowed to sign them in (single sign-on), with what each may
/// receive.
#[utoipa::path(get, path = "/api/v1/account/apps", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = Vec<sesame_app::oidc::consents::AllowedApp>), (status = 403, description = "Called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)")))]
async fn list_allowed_apps(
    State(s): State<ApiState>,
    Session(who): Session,
) -> Result<Out<Vec<sesame_app::oidc::consents::AllowedApp>>, ApiError> {
    sesame_app::oidc::consents::list_own(&s.app, &who)
        .await
        .map(Out)
        .map_err(as_api(&who))
}

/// Withdraws the caller's permission to an application: its tokens for them end at once, and
/// it asks again next time.
#[utoipa::path(delete, path = "/api/v1/account/apps/{client_id}", tag = "account", security(("bearer" = [])),
    responses((status = 204, description = "Withdrawn"), (status = 404, description = "No such application allowed"), (status = 403, description = "Called with an API token: only a signed-in session may (type `urn:sesame:problem:session-required`)")))]
async fn withdraw_app(
    State(s): State<ApiState>,
    Session(who): Session,
    Path(client_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    sesame_app::oidc::consents::withdraw_own(&s.app, &who, &client_id)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(as_api(&who))
}
