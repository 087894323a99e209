//! API tokens for scripts and other applications: named, with an optional expiry and an
//! optional cap on their permissions (never more than their creator's), stored hashed, shown
//! once, listed with their last use, revocable.

use crate::audit::Change;
use crate::users::load_target;
use crate::work::Work;
use crate::{App, Error, InPerson, Result, permissions_of, secret};
use serde::Serialize;
use sesame_core::Status;
use sesame_core::{FieldError, PermissionSet};
use sesame_store::tokens::TokenRow;
use sesame_store::{new_id, now_ms};

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
/// lifetime in days and an optional cap on its permissions. Made in person only
/// ([`InPerson`]): a token never makes another.
pub async fn create_api_token(
    app: &App,
    who: &InPerson,
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
            who.actor.may_cap_token(set)?;
            Some(set)
        }
    };
    if days == Some(0) || days.is_some_and(|d| d > 3650) {
        return Err(Error::Invalid(vec![
            FieldError::new("expires_in_days", "limit.range")
                .with("min", "1")
                .with("max", "3650"),
        ]));
    }
    let mut work = Work::begin(app).await?;
    let target = load_target(&mut work, org, user_id).await?;
    let allowed = who.actor.may_issue_token(&target.subject())?;
    if target.row.status != Status::Active {
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
        last_source: None,
        user_agent: None,
    };
    sesame_store::tokens::insert(&mut work, &allowed, &row, &secret::hash_secret(&secret)).await?;
    work.record(who,
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
    work.commit().await?;
    use secrecy::ExposeSecret as _;
    Ok(NewApiToken {
        id: row.id,
        name,
        token: secret.expose_secret().to_string(),
        expires_at: row.expires_at.map(crate::time::rfc3339),
        permissions: cap.map(|c| c.codes().into_iter().map(String::from).collect()),
    })
}

/// An API token as listed: never its secret.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiTokenView {
    pub id: String,
    pub name: String,
    /// RFC 3339.
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    /// The address it was last used from.
    pub last_address: Option<String>,
    /// The permissions it is limited to; `null`: those of its owner.
    pub permissions: Option<Vec<String>>,
}

/// The caller's live API tokens, newest first.
pub async fn list_own(app: &App, who: &InPerson) -> Result<Vec<ApiTokenView>> {
    let user_id = who
        .user_id()
        .ok_or(Error::Unauthenticated("auth.required"))?;
    let now = now_ms();
    let mut conn = app.store.read().await?;
    let rows =
        sesame_store::tokens::live_of_user(&mut conn, who.org.id(), user_id, "api", now, 0).await?;
    Ok(rows
        .into_iter()
        .map(|t| ApiTokenView {
            permissions: t.permissions.as_deref().map(|p| {
                permissions_of(p)
                    .codes()
                    .into_iter()
                    .map(String::from)
                    .collect()
            }),
            created_at: crate::time::rfc3339(t.created_at),
            expires_at: t.expires_at.map(crate::time::rfc3339),
            last_used_at: t.last_used_at.map(crate::time::rfc3339),
            last_address: t.last_source,
            id: t.id,
            name: t.name,
        })
        .collect())
}

/// Revokes one of the caller's API tokens.
pub async fn revoke_own(app: &App, who: &InPerson, token_id: &str) -> Result<()> {
    let user_id = who
        .user_id()
        .ok_or(Error::Unauthenticated("auth.required"))?;
    let own = who.own_tokens()?;
    let mut work = Work::begin(app).await?;
    let done = sesame_store::tokens::revoke_own(&mut work, &own, "api", token_id, now_ms()).await?;
    if !done {
        return Err(Error::NotFound("token"));
    }
    let label = who.label();
    work.record(
        who,
        Change {
            action: "token.revoke",
            target_type: "user",
            target_id: Some(user_id),
            target_label: Some(&label),
            before: None,
            after: Some(serde_json::json!({ "token_id": token_id })),
        },
    )
    .await?;
    work.commit().await?;
    Ok(())
}
