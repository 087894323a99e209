//! Applications as administrators manage them: list, register, change, renew the secret,
//! delete — each through the policy (`apps.manage`) and one [`Work`] with its audit row.

use super::input::{AppInput, apply};
use super::{ID_TOKEN_ALGS, initial};
use crate::audit::Change;
use crate::work::Work;
use crate::{App, Error, Principal, Result, secret};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::ExposeSecret;
use serde::Serialize;
use sesame_core::policy::Denied;
use sesame_core::{FieldError, Permission};
use sesame_store::apps::AppRow;
use sesame_store::{Conn, now_ms};

/// An application as administrators read it (never its secret).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AppView {
    /// The client_id.
    pub client_id: String,
    pub name: String,
    /// Where the person's tile leads; none: no tile.
    pub launch_url: Option<String>,
    /// An image for the tile; none: the name's initial.
    pub logo_url: Option<String>,
    pub initial: String,
    /// A public client (mobile, desktop or single-page app): no secret, PKCE required.
    pub public: bool,
    /// The organisation's own application: no consent page.
    pub trusted: bool,
    /// Whether a secret is set (a confidential client's); the secret itself is shown only when
    /// made.
    pub has_secret: bool,
    pub redirect_uris: Vec<String>,
    pub post_logout_uris: Vec<String>,
    pub backchannel_logout_uri: Option<String>,
    pub forward_auth_hosts: Vec<String>,
    /// `RS256` or `EdDSA`.
    pub id_token_alg: String,
    pub access_token_lifetime_s: i64,
    pub refresh_token_lifetime_s: i64,
    /// Names of the groups whose members may use it; empty: every active member, unless
    /// `restricted`.
    pub groups: Vec<String>,
    /// Only members of `groups` may use it; restricted with no group left (they were deleted):
    /// nobody.
    pub restricted: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// An application just registered or changed, with its new secret when one was made (shown
/// this once: only its hash is kept).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SavedApp {
    #[serde(flatten)]
    pub app: AppView,
    /// The client secret, present only when it was just made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

/// A confidential client's new secret, shown this once.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NewSecret {
    pub client_id: String,
    pub client_secret: String,
}

/// Reading the applications needs the right to manage them: their addresses and groups are
/// the organisation's configuration.
fn may_read(who: &Principal) -> Result<()> {
    if who.actor.may_manage_apps() {
        Ok(())
    } else {
        Err(Error::Denied(Denied::Missing(Permission::ManageApps)))
    }
}

/// Group names by id, for the views.
async fn group_names(conn: &mut Conn, org_id: &str) -> Result<Vec<(String, String)>> {
    Ok(sesame_store::groups::list(conn, org_id)
        .await?
        .into_iter()
        .map(|(g, _)| (g.id, g.name))
        .collect())
}

fn view(row: &AppRow, group_ids: &[String], names: &[(String, String)]) -> AppView {
    AppView {
        client_id: row.id.clone(),
        name: row.name.clone(),
        launch_url: row.launch_url.clone(),
        logo_url: row.logo_url.clone(),
        initial: initial(&row.name),
        public: row.public,
        trusted: row.trusted,
        has_secret: row.secret_hash.is_some(),
        redirect_uris: row.redirect_uris.clone(),
        post_logout_uris: row.post_logout_uris.clone(),
        backchannel_logout_uri: row.backchannel_logout_uri.clone(),
        forward_auth_hosts: row.forward_auth_hosts.clone(),
        id_token_alg: row.id_token_alg.clone(),
        access_token_lifetime_s: row.access_token_lifetime_s,
        refresh_token_lifetime_s: row.refresh_token_lifetime_s,
        groups: names
            .iter()
            .filter(|(id, _)| group_ids.contains(id))
            .map(|(_, n)| n.clone())
            .collect(),
        restricted: row.restricted,
        created_at: crate::time::rfc3339(row.created_at),
        updated_at: crate::time::rfc3339(row.updated_at),
    }
}

/// What the audit log keeps of an application: everything an administrator set, no secret.
fn audited(v: &AppView) -> serde_json::Value {
    let mut j = serde_json::to_value(v).unwrap_or_default();
    if let Some(o) = j.as_object_mut() {
        for k in ["client_id", "initial", "created_at", "updated_at"] {
            o.remove(k);
        }
    }
    j
}

/// Every application of the organisation, by name.
pub async fn list(app: &App, who: &Principal) -> Result<Vec<AppView>> {
    may_read(who)?;
    let mut conn = app.store.read().await?;
    let org_id = who.org.id();
    let names = group_names(&mut conn, org_id).await?;
    let restrictions = sesame_store::apps::groups(&mut conn, org_id).await?;
    Ok(sesame_store::apps::list(&mut conn, org_id)
        .await?
        .iter()
        .map(|a| {
            let ids: Vec<String> = restrictions
                .iter()
                .filter(|(app_id, _)| *app_id == a.id)
                .map(|(_, g)| g.clone())
                .collect();
            view(a, &ids, &names)
        })
        .collect())
}

/// The application `id_or_name` (its client_id, or its name whatever the case and accents).
async fn find_row(conn: &mut Conn, org_id: &str, id_or_name: &str) -> Result<AppRow> {
    match sesame_store::apps::get(conn, org_id, id_or_name).await? {
        Some(a) => Ok(a),
        None => sesame_store::apps::by_name(conn, org_id, id_or_name)
            .await?
            .ok_or(Error::NotFound("app")),
    }
}

/// One application, by client_id or by name.
pub async fn get(app: &App, who: &Principal, id_or_name: &str) -> Result<AppView> {
    may_read(who)?;
    let mut conn = app.store.read().await?;
    let org_id = who.org.id();
    let row = find_row(&mut conn, org_id, id_or_name).await?;
    let ids = sesame_store::apps::groups_of(&mut conn, org_id, &row.id).await?;
    let names = group_names(&mut conn, org_id).await?;
    Ok(view(&row, &ids, &names))
}

/// A new client_id: 128 random bits as 22 URL-safe characters, never starting with `-`
/// (one in 64 would, and a command line would take it for an option: `sesame app show -Nq…`).
fn new_client_id() -> String {
    loop {
        let bytes: [u8; 16] = rand::random();
        let id = URL_SAFE_NO_PAD.encode(bytes);
        if !id.starts_with('-') {
            return id;
        }
    }
}

/// A new client secret and its stored hash.
fn new_secret() -> (String, String) {
    let s = secret::generate("scs_");
    let hash = secret::hash_secret(&s);
    (s.expose_secret().to_string(), hash)
}

fn name_taken(name: &str) -> Error {
    Error::Conflict(vec![
        FieldError::new("name", "name.taken").with("value", name),
    ])
}

/// Registers an application. A confidential client (the default) gets its secret, returned
/// this once.
pub async fn create(app: &App, who: &Principal, input: AppInput) -> Result<SavedApp> {
    let id = new_client_id();
    let allowed = who.actor.may_manage_app(&id)?;
    let org_id = who.org.id().to_string();
    let now = now_ms();
    let mut row = AppRow {
        id,
        org_id: org_id.clone(),
        name: String::new(),
        launch_url: None,
        logo_url: None,
        public: false,
        trusted: false,
        secret_hash: None,
        redirect_uris: Vec::new(),
        post_logout_uris: Vec::new(),
        backchannel_logout_uri: None,
        forward_auth_hosts: Vec::new(),
        restricted: false,
        id_token_alg: ID_TOKEN_ALGS[0].to_string(),
        access_token_lifetime_s: 3_600,
        refresh_token_lifetime_s: 2_592_000,
        created_at: now,
        updated_at: now,
    };
    let mut errors = Vec::new();
    if input.name.is_absent() {
        errors.push(FieldError::new("name", "field.required"));
    }
    let mut work = Work::begin(app).await?;
    let groups = apply(&mut work, &org_id, &mut row, &input, &mut errors)
        .await?
        .unwrap_or_default();
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if sesame_store::apps::by_name(&mut work, &org_id, &row.name)
        .await?
        .is_some()
    {
        return Err(name_taken(&row.name));
    }
    row.restricted = !groups.is_empty();
    let secret = if row.public {
        None
    } else {
        let (s, hash) = new_secret();
        row.secret_hash = Some(hash);
        Some(s)
    };
    sesame_store::apps::insert(&mut work, &allowed, &row).await?;
    sesame_store::apps::set_groups(&mut work, &allowed, &groups).await?;
    let names = group_names(&mut work, &org_id).await?;
    let v = view(&row, &groups, &names);
    work.record(
        who,
        Change {
            action: "app.create",
            target_type: "app",
            target_id: Some(&row.id),
            target_label: Some(&row.name),
            before: None,
            after: Some(audited(&v)),
        },
    )
    .await?;
    work.commit().await?;
    Ok(SavedApp {
        app: v,
        client_secret: secret,
    })
}

/// Changes an application. Made confidential, it gets a secret (returned this once); made
/// public, it loses its secret.
pub async fn update(app: &App, who: &Principal, id: &str, input: AppInput) -> Result<SavedApp> {
    may_read(who)?;
    let org_id = who.org.id().to_string();
    let mut work = Work::begin(app).await?;
    let mut row = find_row(&mut work, &org_id, id).await?;
    let allowed = who.actor.may_manage_app(&row.id)?;
    let before_groups = sesame_store::apps::groups_of(&mut work, &org_id, &row.id).await?;
    let names = group_names(&mut work, &org_id).await?;
    let before = view(&row, &before_groups, &names);
    let mut errors = Vec::new();
    let groups = apply(&mut work, &org_id, &mut row, &input, &mut errors).await?;
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if let Some(other) = sesame_store::apps::by_name(&mut work, &org_id, &row.name).await?
        && other.id != row.id
    {
        return Err(name_taken(&row.name));
    }
    let secret = match (row.public, row.secret_hash.is_some()) {
        (true, _) => {
            row.secret_hash = None;
            None
        }
        (false, false) => {
            let (s, hash) = new_secret();
            row.secret_hash = Some(hash);
            Some(s)
        }
        (false, true) => None,
    };
    if let Some(g) = &groups {
        row.restricted = !g.is_empty();
    }
    row.updated_at = now_ms();
    sesame_store::apps::update(&mut work, &allowed, &row).await?;
    let groups = match groups {
        Some(g) => {
            sesame_store::apps::set_groups(&mut work, &allowed, &g).await?;
            g
        }
        None => before_groups,
    };
    let after = view(&row, &groups, &names);
    let mut after_audit = audited(&after);
    if secret.is_some()
        && let Some(o) = after_audit.as_object_mut()
    {
        o.insert("secret".into(), "new".into());
    }
    work.record(
        who,
        Change {
            action: "app.update",
            target_type: "app",
            target_id: Some(&row.id),
            target_label: Some(&row.name),
            before: Some(audited(&before)),
            after: Some(after_audit),
        },
    )
    .await?;
    work.commit().await?;
    Ok(SavedApp {
        app: after,
        client_secret: secret,
    })
}

/// Gives a confidential client a new secret, returned this once; the old one stops working at
/// once.
pub async fn rotate_secret(app: &App, who: &Principal, id: &str) -> Result<NewSecret> {
    may_read(who)?;
    let org_id = who.org.id().to_string();
    let mut work = Work::begin(app).await?;
    let mut row = find_row(&mut work, &org_id, id).await?;
    let allowed = who.actor.may_manage_app(&row.id)?;
    if row.public {
        return Err(Error::Refused(FieldError::new(
            "public",
            "app.public_no_secret",
        )));
    }
    let (s, hash) = new_secret();
    row.secret_hash = Some(hash);
    row.updated_at = now_ms();
    sesame_store::apps::update(&mut work, &allowed, &row).await?;
    work.record(
        who,
        Change {
            action: "app.secret_rotate",
            target_type: "app",
            target_id: Some(&row.id),
            target_label: Some(&row.name),
            before: None,
            after: None,
        },
    )
    .await?;
    work.commit().await?;
    Ok(NewSecret {
        client_id: row.id,
        client_secret: s,
    })
}

/// Deletes an application; every code and token issued to it ends with it.
pub async fn remove(app: &App, who: &Principal, id: &str) -> Result<()> {
    may_read(who)?;
    let org_id = who.org.id().to_string();
    let mut work = Work::begin(app).await?;
    let row = find_row(&mut work, &org_id, id).await?;
    let allowed = who.actor.may_manage_app(&row.id)?;
    let groups = sesame_store::apps::groups_of(&mut work, &org_id, &row.id).await?;
    let names = group_names(&mut work, &org_id).await?;
    let before = view(&row, &groups, &names);
    sesame_store::apps::delete(&mut work, &allowed).await?;
    work.record(
        who,
        Change {
            action: "app.delete",
            target_type: "app",
            target_id: Some(&row.id),
            target_label: Some(&row.name),
            before: Some(audited(&before)),
            after: None,
        },
    )
    .await?;
    work.commit().await?;
    Ok(())
}

#[cfg(test)]
mod client_id_tests {
    #[test]
    fn client_ids_never_look_like_an_option() {
        for _ in 0..5_000 {
            let id = super::new_client_id();
            assert_eq!(id.len(), 22, "{id}");
            assert!(!id.starts_with('-'), "{id}");
        }
    }
}
