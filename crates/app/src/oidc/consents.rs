//! The applications a person allowed (the consent page's answers), as they see them under My
//! account, and withdrawing one: its consent is forgotten and every token it holds for them
//! ends at once.

use crate::{Error, InPerson, Result};
use serde::Serialize;
use sesame_store::now_ms;

/// An application the person allowed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AllowedApp {
    pub client_id: String,
    pub name: String,
    /// The scopes it may receive, space-separated (`openid profile email`).
    pub scope: String,
    /// When they allowed it (RFC 3339).
    pub allowed_at: String,
}

pub async fn list_own(app: &crate::App, who: &InPerson) -> Result<Vec<AllowedApp>> {
    let user_id = who.user_id().ok_or(Error::SessionRequired)?;
    let mut conn = app.store.read().await?;
    Ok(
        sesame_store::oidc::consents_of(&mut conn, who.org.id(), user_id)
            .await?
            .into_iter()
            .map(|c| AllowedApp {
                client_id: c.app_id,
                name: c.app_name,
                scope: c.scope,
                allowed_at: crate::time::rfc3339(c.created_at),
            })
            .collect(),
    )
}

/// Withdraws the person's consent to `client_id`: the application's tokens for them end, and
/// it must ask again next time.
pub async fn withdraw_own(app: &crate::App, who: &InPerson, client_id: &str) -> Result<()> {
    let user_id = who.user_id().ok_or(Error::SessionRequired)?;
    let now = now_ms();
    let mut work = crate::work::Work::begin(app).await?;
    if !sesame_store::oidc::delete_consent(&mut work, who.org.id(), user_id, client_id).await? {
        return Err(Error::NotFound("app"));
    }
    let ended = sesame_store::oidc::revoke_grants_of_app_for(
        &mut work,
        who.org.id(),
        client_id,
        user_id,
        now,
    )
    .await?;
    work.record(
        who,
        crate::audit::Change {
            action: "oidc.consent_withdrawn",
            target_type: "app",
            target_id: Some(client_id),
            target_label: None,
            before: None,
            after: Some(serde_json::json!({ "grants_ended": ended })),
        },
    )
    .await?;
    work.commit().await?;
    Ok(())
}
