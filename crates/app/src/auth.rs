//! Signing in, and recognising a session or API token on each request.
//!
//! Secrets are 256-bit random strings stored as SHA-256 hashes (see [`crate::secret`]); the
//! password check runs in the bounded hashing pool, and an unknown login is checked against a
//! dummy hash so that it takes as long as a known one and gets the same answer.

use crate::audit::{Change, record};
use crate::users::{UserView, load_target};
use crate::{App, Error, Org, Principal, Result, grants_of, permissions_of, secret};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use sesame_core::policy::Actor;
use sesame_core::{FieldError, PermissionSet};
use sesame_store::tokens::TokenRow;
use sesame_store::{new_id, now_ms};

/// A session lasts this long from sign-in.
pub const SESSION_LIFETIME_MS: i64 = 12 * 3600 * 1000;
/// Last-use times are written at most this often per token, not on every request.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInInput {
    /// Login or e-mail address.
    pub login: String,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
    /// Two-factor code, when enrolled.
    #[serde(default)]
    pub totp: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SignedIn {
    /// Bearer token for `Authorization: Bearer …`. Shown once.
    pub token: String,
    /// RFC 3339.
    pub expires_at: String,
    pub user: UserView,
}

pub async fn sign_in(
    app: &App,
    org: &Org,
    input: SignInInput,
    source: Option<String>,
) -> Result<SignedIn> {
    let key = sesame_core::error::trim_all(&input.login).to_lowercase();
    if key.is_empty() {
        return Err(Error::Invalid(vec![FieldError::new(
            "login",
            "login.empty",
        )]));
    }
    let found = {
        let mut conn = app.store.read().await?;
        sesame_store::users::for_sign_in(&mut conn, org.id(), &key).await?
    };
    let (user, hash) = match found {
        Some((u, h)) => (Some(u), h),
        None => (None, None),
    };
    let ok = app.hasher.verify(input.password, hash).await?;
    let who = Principal {
        org: org.clone(),
        actor: Actor::user("", vec![]),
        user: user.clone(),
        source: source.clone(),
        token_id: None,
    };
    let mut tx = app.store.begin().await?;
    let user = match user {
        Some(u) if ok && u.status == "active" => u,
        Some(u) if ok && u.status == "disabled" => {
            audit_failure(&mut tx, &who, &u.login, "disabled").await?;
            tx.commit().await.map_err(sesame_store::StoreError::from)?;
            return Err(Error::Unauthenticated("auth.disabled"));
        }
        other => {
            let label = other
                .as_ref()
                .map_or(key.as_str(), |u| u.login.as_str())
                .to_string();
            let who = Principal { user: None, ..who };
            audit_failure(&mut tx, &who, &label, "wrong_credentials").await?;
            tx.commit().await.map_err(sesame_store::StoreError::from)?;
            return Err(Error::Unauthenticated("auth.failed"));
        }
    };
    let now = now_ms();
    let secret = secret::generate("ses_");
    let row = TokenRow {
        id: new_id(),
        org_id: org.id().to_string(),
        user_id: user.id.clone(),
        kind: "session".into(),
        name: "session".into(),
        permissions: None,
        created_at: now,
        expires_at: Some(now + SESSION_LIFETIME_MS),
        last_used_at: Some(now),
        revoked_at: None,
        source: source.clone(),
    };
    sesame_store::tokens::insert(&mut tx, &row, &secret::hash_secret(&secret)).await?;
    record(
        &mut tx,
        &who,
        Change {
            action: "auth.sign_in",
            target_type: "user",
            target_id: Some(&user.id),
            target_label: Some(&user.login),
            before: None,
            after: None,
        },
    )
    .await?;
    let view = load_target(&mut tx, org, &user.id).await?.view(org);
    tx.commit().await.map_err(sesame_store::StoreError::from)?;
    use secrecy::ExposeSecret;
    Ok(SignedIn {
        token: secret.expose_secret().to_string(),
        expires_at: crate::time::rfc3339(now + SESSION_LIFETIME_MS),
        user: view,
    })
}

async fn audit_failure(
    conn: &mut sesame_store::Conn,
    who: &Principal,
    label: &str,
    reason: &str,
) -> Result<()> {
    record(
        conn,
        who,
        Change {
            action: "auth.sign_in_failed",
            target_type: "user",
            target_id: who.user_id(),
            target_label: Some(label),
            before: None,
            after: Some(serde_json::json!({ "reason": reason })),
        },
    )
    .await
}

/// Who holds this bearer token: a live token of an active user, with the user's current
/// rights (capped by the token's own, for API tokens).
pub async fn authenticate(app: &App, bearer: &str, source: Option<String>) -> Result<Principal> {
    let bearer = bearer.trim();
    if bearer.is_empty() || bearer.len() > 200 {
        return Err(Error::Unauthenticated("auth.token_invalid"));
    }
    let now = now_ms();
    let mut conn = app.store.read().await?;
    let sesame_store::tokens::Owner {
        token,
        user,
        org,
        held,
    } = sesame_store::tokens::live_with_owner(&mut conn, &secret::hash(bearer), now)
        .await?
        .ok_or(Error::Unauthenticated("auth.token_invalid"))?;
    let org = Org::from_row(org);
    if user.status != "active" {
        return Err(Error::Unauthenticated("auth.disabled"));
    }
    let mut actor = Actor::user(user.id.clone(), grants_of(&held));
    if let Some(cap) = &token.permissions {
        actor = actor.capped(permissions_of(cap));
    }
    if token.last_used_at.is_none_or(|t| now - t > TOUCH_EVERY_MS) {
        sesame_store::tokens::touch(&mut conn, &token.id, now).await?;
    }
    Ok(Principal {
        org,
        actor,
        user: Some(user),
        source,
        token_id: Some(token.id),
    })
}

/// Ends the session (or revokes the API token) used for this request.
pub async fn sign_out(app: &App, who: &Principal) -> Result<()> {
    let Some(id) = &who.token_id else {
        return Ok(());
    };
    let mut tx = app.store.begin().await?;
    sesame_store::tokens::revoke(&mut tx, who.org.id(), id, now_ms()).await?;
    record(
        &mut tx,
        who,
        Change {
            action: "auth.sign_out",
            target_type: "token",
            target_id: Some(id),
            target_label: None,
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await.map_err(sesame_store::StoreError::from)?;
    Ok(())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NewApiToken {
    pub id: String,
    pub name: String,
    /// The secret, shown this once: only its hash is kept.
    pub token: String,
    pub expires_at: Option<String>,
    /// The permissions it may use, at most its owner's.
    pub permissions: Option<Vec<String>>,
}

/// An API token for `user_id` (for oneself, or by the operator), named, with an optional
/// lifetime in days and an optional cap on its permissions.
pub async fn create_api_token(
    app: &App,
    who: &Principal,
    user_id: &str,
    name: &str,
    days: Option<u32>,
    permissions: Option<Vec<String>>,
) -> Result<NewApiToken> {
    let org = &who.org;
    let name = sesame_core::parse_label(name).map_err(|e| Error::Invalid(vec![e.on("name")]))?;
    let cap = match &permissions {
        None => None,
        Some(codes) => {
            let mut errors = Vec::new();
            let mut set = PermissionSet::EMPTY;
            for (i, c) in codes.iter().enumerate() {
                match sesame_core::Permission::parse(c) {
                    Ok(p) => set = set.with(p),
                    Err(e) => errors.push(e.on(format!("permissions[{i}]"))),
                }
            }
            if !errors.is_empty() {
                return Err(Error::Invalid(errors));
            }
            Some(set)
        }
    };
    if days == Some(0) || days.is_some_and(|d| d > 3650) {
        return Err(Error::Invalid(vec![
            FieldError::new("days", "limit.range")
                .with("min", "1")
                .with("max", "3650"),
        ]));
    }
    let mut tx = app.store.begin().await?;
    let target = load_target(&mut tx, org, user_id).await?;
    who.actor.may_issue_token(&target.subject())?;
    if target.row.status != "active" {
        return Err(Error::Refused(FieldError::new(
            "login",
            "token.user_inactive",
        )));
    }
    let now = now_ms();
    let secret = secret::generate("sat_");
    let row = TokenRow {
        id: new_id(),
        org_id: org.id().to_string(),
        user_id: user_id.to_string(),
        kind: "api".into(),
        name: name.clone(),
        permissions: cap.map(|c| c.to_string()),
        created_at: now,
        expires_at: days.map(|d| now + i64::from(d) * 86_400_000),
        last_used_at: None,
        revoked_at: None,
        source: who.source.clone(),
    };
    sesame_store::tokens::insert(&mut tx, &row, &secret::hash_secret(&secret)).await?;
    record(
        &mut tx,
        who,
        Change {
            action: "token.create",
            target_type: "user",
            target_id: Some(user_id),
            target_label: Some(&target.row.login),
            before: None,
            after: Some(serde_json::json!({ "token_id": row.id, "name": name, "expires_at": row.expires_at.map(crate::time::rfc3339), "permissions": row.permissions })),
        },
    )
    .await?;
    tx.commit().await.map_err(sesame_store::StoreError::from)?;
    use secrecy::ExposeSecret;
    Ok(NewApiToken {
        id: row.id,
        name,
        token: secret.expose_secret().to_string(),
        expires_at: row.expires_at.map(crate::time::rfc3339),
        permissions: cap.map(|c| c.codes().into_iter().map(String::from).collect()),
    })
}
