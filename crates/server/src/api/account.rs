//! First-run setup, sign-in and sign-out, the caller's own account and API tokens.

use super::as_api;
use crate::ApiState;
use crate::extract::{Auth, Json, Query, Source};
use crate::problem::ApiError;
use axum::Json as Out;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
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
        .routes(routes!(create_token))
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

/// Signs in with a login (or e-mail) and password; answers a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "account", params(OrgQuery), request_body = SignInInput,
    responses((status = 200, body = SignedIn), (status = 401, description = "Wrong login or password")))]
async fn login(
    State(s): State<ApiState>,
    Source(src): Source,
    Query(q): Query<OrgQuery>,
    Json(b): Json<SignInInput>,
) -> Result<Out<SignedIn>, ApiError> {
    let org = s.app.org(q.org.as_deref()).await?;
    let lang = org.language;
    auth::sign_in(&s.app, &org, b, src)
        .await
        .map(Out)
        .map_err(|e| ApiError::from(e).in_language(lang))
}

/// Ends the session (or revokes the API token) this request carries.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "account", security(("bearer" = [])), responses((status = 204, description = "Signed out")))]
async fn logout(State(s): State<ApiState>, Auth(who): Auth) -> Result<StatusCode, ApiError> {
    auth::sign_out(&s.app, &who)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(as_api(&who))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub user: UserView,
    /// Permission codes held anywhere (organisation-wide or within a group).
    pub permissions: Vec<String>,
    pub organisation: SettingsView,
}

/// The signed-in person, their rights and their organisation.
#[utoipa::path(get, path = "/api/v1/me", tag = "account", security(("bearer" = [])), responses((status = 200, body = Me)))]
async fn me(State(s): State<ApiState>, Auth(who): Auth) -> Result<Out<Me>, ApiError> {
    let id = who.user_id().unwrap_or_default().to_string();
    let user = users::get(&s.app, &who, &id).await.map_err(as_api(&who))?;
    Ok(Out(Me {
        user,
        permissions: who
            .actor
            .permissions_anywhere()
            .codes()
            .into_iter()
            .map(String::from)
            .collect(),
        organisation: sesame_app::settings::view(&who.org),
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
    responses((status = 201, body = NewApiToken)))]
async fn create_token(
    State(s): State<ApiState>,
    Auth(who): Auth,
    Json(b): Json<TokenRequest>,
) -> Result<(StatusCode, Out<NewApiToken>), ApiError> {
    let id = who.user_id().unwrap_or_default().to_string();
    auth::create_api_token(&s.app, &who, &id, &b.name, b.expires_in_days, b.permissions)
        .await
        .map(|t| (StatusCode::CREATED, Out(t)))
        .map_err(as_api(&who))
}
