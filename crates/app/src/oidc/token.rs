//! The token endpoint (RFC 6749 §3.2, OpenID Connect Core §3.1.3), userinfo (§5.3) and
//! revocation (RFC 7009).
//!
//! Access and refresh tokens are opaque, 256 random bits, stored as their SHA-256. A refresh
//! token is rotated on every use (RFC 9700 §4.14.2): the old one stays good for
//! [`REFRESH_GRACE_MS`] (a client refreshing twice at once), and presented after that it
//! revokes its whole family, since only a thief or a broken client replays it.

use super::{ID_TOKEN_LIFETIME_S, REFRESH_GRACE_MS, issuer};
use crate::apps::{self, Client};
use crate::keys::{Alg, Signer};
use crate::{App, Org, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sesame_store::now_ms;
use sesame_store::oidc::{GrantRow, Taken};

/// How the client said who it is.
#[derive(Debug, Clone, Default)]
pub struct ClientCreds {
    pub id: Option<String>,
    pub secret: Option<String>,
}

/// The form of a token request.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub refresh_token: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub scope: Option<String>,
    /// Revocation's parameters (RFC 7009 §2.1).
    pub token: Option<String>,
    pub token_type_hint: Option<String>,
}

/// A refusal in RFC 6749 §5.2's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    pub status: u16,
    pub error: &'static str,
    pub description: &'static str,
    /// For a 401 of client authentication: the `WWW-Authenticate` scheme to name.
    pub challenge: Option<&'static str>,
}

impl TokenError {
    fn bad(error: &'static str, description: &'static str) -> Self {
        Self {
            status: 400,
            error,
            description,
            challenge: None,
        }
    }

    pub fn body(&self) -> Value {
        json!({ "error": self.error, "error_description": self.description })
    }
}

/// A successful answer.
#[derive(Debug, Clone, Serialize)]
pub struct Tokens {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub refresh_token: String,
    pub id_token: String,
    pub scope: String,
}

type Answer<T> = Result<std::result::Result<T, TokenError>>;

/// RFC 6749 §5.2: a 401 naming the scheme the client may authenticate with.
fn invalid_client() -> TokenError {
    TokenError {
        status: 401,
        error: "invalid_client",
        description: "client authentication failed",
        challenge: Some("Basic"),
    }
}

/// The client the credentials prove, within `org` (RFC 6749 §2.3): a confidential client by
/// its secret, a public one by its id alone.
pub async fn authenticate_client(
    app: &App,
    org: &Org,
    creds: &ClientCreds,
) -> Result<std::result::Result<Client, TokenError>> {
    let Some(id) = creds.id.as_deref().filter(|s| !s.is_empty()) else {
        return Ok(Err(invalid_client()));
    };
    let Some(client) = apps::find_client(app, org.id(), id).await? else {
        return Ok(Err(invalid_client()));
    };
    let proven = match (&creds.secret, client.public) {
        (Some(secret), false) => client.check_secret(secret),
        (None, true) => true,
        // A secret sent by a public client, or none by a confidential one.
        _ => false,
    };
    Ok(if proven {
        Ok(client)
    } else {
        Err(invalid_client())
    })
}

/// The token endpoint.
pub async fn exchange(
    app: &App,
    org: &Org,
    creds: ClientCreds,
    req: TokenRequest,
) -> Answer<Tokens> {
    let client = match authenticate_client(app, org, &creds).await? {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    match req.grant_type.as_deref() {
        Some("authorization_code") => redeem(app, org, &client, &req).await,
        Some("refresh_token") => refresh(app, org, &client, &req).await,
        None => Ok(Err(TokenError::bad(
            "invalid_request",
            "grant_type is required",
        ))),
        Some(_) => Ok(Err(TokenError::bad(
            "unsupported_grant_type",
            "only authorization_code and refresh_token are supported",
        ))),
    }
}

async fn redeem(app: &App, org: &Org, client: &Client, req: &TokenRequest) -> Answer<Tokens> {
    let Some(code) = req.code.as_deref().filter(|c| !c.is_empty()) else {
        return Ok(Err(TokenError::bad("invalid_request", "code is required")));
    };
    let code_hash = crate::secret::hash(code);
    let now = now_ms();
    let grant_id = sesame_store::new_id();
    let mut work = crate::work::Work::begin(app).await?;
    let taken = sesame_store::oidc::take_code(&mut work, &code_hash, &client.id, &grant_id, now);
    let c = match taken.await? {
        Taken::First(c) => c,
        Taken::Again(grant) => {
            // A code used twice was stolen or replayed: what its first use gave ends
            // (RFC 6749 §4.1.2).
            if let Some(g) = grant {
                sesame_store::oidc::revoke_grant(&mut work, &g, now).await?;
            }
            work.commit().await?;
            return Ok(Err(TokenError::bad(
                "invalid_grant",
                "the code was already used",
            )));
        }
        Taken::Unknown => {
            return Ok(Err(TokenError::bad(
                "invalid_grant",
                "the code is unknown or was issued to another client",
            )));
        }
    };
    if c.expires_at <= now {
        work.commit().await?;
        return Ok(Err(TokenError::bad(
            "invalid_grant",
            "the code has expired",
        )));
    }
    if req.redirect_uri.as_deref() != Some(c.redirect_uri.as_str()) {
        work.commit().await?;
        return Ok(Err(TokenError::bad(
            "invalid_grant",
            "redirect_uri differs from the authorization request's",
        )));
    }
    let verifier = req.code_verifier.as_deref().filter(|v| !v.is_empty());
    let pkce_ok = match (&c.code_challenge, verifier) {
        (Some(challenge), Some(v)) => {
            (43..=128).contains(&v.len()) && constant_time_eq(&super::authorize::s256(v), challenge)
        }
        (None, None) => true,
        // Without a verifier, or a verifier for a request that had no challenge (a
        // downgrade, RFC 9700 §2.1.1).
        _ => false,
    };
    if !pkce_ok {
        work.commit().await?;
        return Ok(Err(TokenError::bad(
            "invalid_grant",
            "code_verifier is missing or wrong",
        )));
    }
    let facts = sesame_store::oidc::session_facts(&mut work, &c.session_id).await?;
    let claims = match &facts {
        Some(f) if !f.ended => {
            super::claims::read(&mut work, &c.org_id, &c.user_id, &c.scope).await?
        }
        _ => None,
    };
    let Some(claims) = claims else {
        // The sign-in behind the code ended meanwhile (signed out, disabled, deleted, …).
        work.commit().await?;
        return Ok(Err(TokenError::bad(
            "invalid_grant",
            "the sign-in behind this code has ended",
        )));
    };
    let grant = GrantRow {
        id: grant_id,
        org_id: c.org_id.clone(),
        app_id: client.id.clone(),
        user_id: c.user_id.clone(),
        session_id: c.session_id.clone(),
        scope: c.scope.clone(),
        auth_time: c.auth_time,
        created_at: now,
    };
    sesame_store::oidc::insert_grant(&mut work, &grant).await?;
    let (access, refresh) = issue_pair(&mut work, client, &grant.id, now).await?;
    let signer = Signer::on(&mut work, alg_of(client)).await?;
    work.commit().await?;
    // A session ending from now on takes this grant with it, like every other of that session.
    let amr = super::amr_list(facts.as_ref().and_then(|f| f.amr.as_deref()));
    let id_token = IdToken {
        claims,
        grant: &grant,
        nonce: c.nonce.as_deref(),
        amr: &amr,
        access_token: &access,
    };
    let id_token = id_token.sign(app, org, client, signer).await?;
    Ok(Ok(Tokens {
        access_token: access,
        token_type: "Bearer",
        expires_in: client.access_token_lifetime_s,
        refresh_token: refresh,
        id_token,
        scope: grant.scope,
    }))
}

async fn refresh(app: &App, org: &Org, client: &Client, req: &TokenRequest) -> Answer<Tokens> {
    let Some(presented) = req.refresh_token.as_deref().filter(|c| !c.is_empty()) else {
        return Ok(Err(TokenError::bad(
            "invalid_request",
            "refresh_token is required",
        )));
    };
    let hash = crate::secret::hash(presented);
    let now = now_ms();
    let mut work = crate::work::Work::begin(app).await?;
    let found = sesame_store::oidc::find_token(&mut work, &hash).await?;
    let Some(found) = found.filter(|f| {
        f.kind == "refresh" && f.grant.app_id == client.id && f.grant.org_id == org.id()
    }) else {
        return Ok(Err(TokenError::bad(
            "invalid_grant",
            "the refresh token is unknown",
        )));
    };
    if !found.live(now) {
        return Ok(Err(TokenError::bad(
            "invalid_grant",
            "the refresh token has expired or its sign-in has ended",
        )));
    }
    let rotated_at = match found.rotated_at {
        Some(t) => Some(t),
        None if sesame_store::oidc::rotate_token(&mut work, &hash, now).await? => None,
        // Another request rotated it a moment ago.
        None => Some(now),
    };
    if let Some(t) = rotated_at
        && now - t > REFRESH_GRACE_MS
    {
        sesame_store::oidc::revoke_grant(&mut work, &found.grant.id, now).await?;
        work.commit().await?;
        tracing::warn!(app = %client.id, "a rotated refresh token was replayed: its family is revoked");
        return Ok(Err(TokenError::bad(
            "invalid_grant",
            "the refresh token was already used",
        )));
    }
    if let Some(asked) = req.scope.as_deref()
        && !super::covers(&found.grant.scope, asked)
    {
        return Ok(Err(TokenError::bad(
            "invalid_scope",
            "more scopes than were granted",
        )));
    }
    let Some(claims) = super::claims::of(&mut work, &found.user, &found.grant.scope).await? else {
        return Ok(Err(TokenError::bad(
            "invalid_grant",
            "the person is no longer here",
        )));
    };
    let (access, refresh) = issue_pair(&mut work, client, &found.grant.id, now).await?;
    let facts = sesame_store::oidc::session_facts(&mut work, &found.grant.session_id).await?;
    let signer = Signer::on(&mut work, alg_of(client)).await?;
    work.commit().await?;
    let amr = super::amr_list(facts.as_ref().and_then(|f| f.amr.as_deref()));
    let id_token = IdToken {
        claims,
        grant: &found.grant,
        nonce: None,
        amr: &amr,
        access_token: &access,
    };
    let id_token = id_token.sign(app, org, client, signer).await?;
    Ok(Ok(Tokens {
        access_token: access,
        token_type: "Bearer",
        expires_in: client.access_token_lifetime_s,
        refresh_token: refresh,
        id_token,
        scope: found.grant.scope,
    }))
}

async fn issue_pair(
    conn: &mut sesame_store::Conn,
    client: &Client,
    grant_id: &str,
    now: i64,
) -> Result<(String, String)> {
    let access = crate::secret::generate("sat_");
    let refresh = crate::secret::generate("srt_");
    sesame_store::oidc::insert_pair(
        conn,
        grant_id,
        &crate::secret::hash_secret(&access),
        now + client.access_token_lifetime_s * 1000,
        &crate::secret::hash_secret(&refresh),
        now + client.refresh_token_lifetime_s * 1000,
        now,
    )
    .await?;
    Ok((
        access.expose_secret().to_string(),
        refresh.expose_secret().to_string(),
    ))
}

/// The algorithm a client asked its ID tokens signed with (RS256 unless it registered EdDSA).
pub fn alg_of(client: &Client) -> Alg {
    Alg::parse(&client.id_token_alg).unwrap_or(Alg::Rs256)
}

/// The left half of the hash of the access token, base64url (OpenID Connect Core §3.1.3.6):
/// SHA-256 for RS256, SHA-512 for EdDSA with Ed25519.
pub fn at_hash(alg: Alg, access_token: &str) -> String {
    use sha2::Digest;
    let digest: Vec<u8> = match alg {
        Alg::Rs256 => sha2::Sha256::digest(access_token.as_bytes()).to_vec(),
        Alg::EdDsa => sha2::Sha512::digest(access_token.as_bytes()).to_vec(),
    };
    URL_SAFE_NO_PAD.encode(&digest[..digest.len() / 2])
}

/// An ID token to sign: the person's claims (read in the exchange's transaction) and what
/// the exchange adds to them.
struct IdToken<'a> {
    claims: serde_json::Map<String, Value>,
    grant: &'a GrantRow,
    nonce: Option<&'a str>,
    amr: &'a [String],
    access_token: &'a str,
}

impl IdToken<'_> {
    /// Signed with `signer`, the current key read in the exchange's transaction (or, when
    /// the database had none yet, the one made now).
    async fn sign(
        self,
        app: &App,
        org: &Org,
        client: &Client,
        signer: Option<Signer>,
    ) -> Result<String> {
        let alg = alg_of(client);
        let now_s = now_ms() / 1000;
        let mut claims = self.claims;
        claims.insert("iss".into(), json!(issuer(app, org)));
        claims.insert("aud".into(), json!(client.id));
        claims.insert("azp".into(), json!(client.id));
        claims.insert("iat".into(), json!(now_s));
        claims.insert("exp".into(), json!(now_s + ID_TOKEN_LIFETIME_S));
        claims.insert("auth_time".into(), json!(self.grant.auth_time / 1000));
        claims.insert("sid".into(), json!(self.grant.session_id));
        claims.insert("amr".into(), json!(self.amr));
        claims.insert("at_hash".into(), json!(at_hash(alg, self.access_token)));
        if let Some(n) = self.nonce {
            claims.insert("nonce".into(), json!(n));
        }
        let signer = match signer {
            Some(s) => s,
            None => Signer::current(app, alg).await?,
        };
        signer.sign(Some("JWT"), &claims).await
    }
}

/// Why userinfo refused (RFC 6750 §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BearerError {
    Missing,
    Invalid,
}

/// Userinfo: the claims of the person the access token was issued for, if it was issued by
/// the issuer of `org_slug`. Every application calls it at every sign-in and some at every
/// page: one statement — the token with its grant, session, person and organisation, and the
/// person's groups and roles when the grant's scope has them.
pub async fn userinfo(
    app: &App,
    org_slug: &str,
    access_token: Option<&str>,
) -> Result<std::result::Result<serde_json::Map<String, Value>, BearerError>> {
    let Some(token) = access_token.filter(|t| !t.is_empty() && t.len() < 200) else {
        return Ok(Err(BearerError::Missing));
    };
    let hash = crate::secret::hash(token);
    // Kept per organisation: the same token presented at another issuer is refused below.
    let key = format!("{hash}\n{org_slug}");
    if let Some((claims, expires_at)) = app.claims.get(&key)
        && expires_at > now_ms()
    {
        return Ok(Ok(claims));
    }
    let reading = app.claims.reading();
    let mut conn = app.store.read().await?;
    let found = sesame_store::oidc::find_token_with_belongings(&mut conn, &hash).await?;
    drop(conn);
    let Some((found, belongings)) =
        found.filter(|(f, _)| f.kind == "access" && f.org_slug == org_slug && f.live(now_ms()))
    else {
        return Ok(Err(BearerError::Invalid));
    };
    match super::claims::with(&found.user, &belongings, &found.grant.scope) {
        Some(c) => {
            app.claims.keep(key, reading, (c.clone(), found.expires_at));
            Ok(Ok(c))
        }
        None => Ok(Err(BearerError::Invalid)),
    }
}

/// Revocation (RFC 7009): a refresh token ends its family, an access token itself. The answer
/// is the same whether the token was known or not (§2.2).
pub async fn revoke(
    app: &App,
    org: &Org,
    creds: ClientCreds,
    req: TokenRequest,
) -> Result<std::result::Result<(), TokenError>> {
    let client = match authenticate_client(app, org, &creds).await? {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    let Some(token) = req.token.as_deref().filter(|t| !t.is_empty()) else {
        return Ok(Err(TokenError::bad("invalid_request", "token is required")));
    };
    let hash = crate::secret::hash(token);
    let mut work = crate::work::Work::begin(app).await?;
    if let Some(found) = sesame_store::oidc::find_token(&mut work, &hash).await?
        && found.grant.app_id == client.id
    {
        if found.kind == "refresh" {
            sesame_store::oidc::revoke_grant(&mut work, &found.grant.id, now_ms()).await?;
        } else {
            sesame_store::oidc::delete_token(&mut work, &hash).await?;
        }
    }
    work.commit().await?;
    Ok(Ok(()))
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    constant_time_eq::constant_time_eq(a.as_bytes(), b.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_hash_is_the_left_half_of_the_digest() {
        // Values computed with Python's hashlib, an implementation that is not ours.
        assert_eq!(
            at_hash(Alg::Rs256, "jHkWEdUXMU1BwAsC4vtUsZwnM2HDDyvVh5bpsFcQ5QU"),
            "pLImyF_JGensx4zxrOphLg"
        );
        assert_eq!(
            at_hash(Alg::EdDsa, "x"),
            "pKvURIxJVi2CgRXROh_M6pJ_UrTVRZKX-LQ-QtqJI4s"
        );
    }
}
