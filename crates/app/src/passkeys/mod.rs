//! Passkeys (WebAuthn, through webauthn-rs): a person registers the device's own unlock
//! (fingerprint, face, PIN) and then signs in with it — as the whole sign-in, with no login typed
//! ([`sign_in`]), or as the second factor after the password ([`sign_in::second_factor_options`]).
//!
//! Every ceremony is two calls, options then the browser's answer, whose state waits in the
//! database ([`ceremony`]). User verification is always required. A passkey counts as
//! two-factor for the organisation's per-role rule. A credential is registered once on the
//! server; a signature counter that goes backwards (a copied device) is refused and audited.
//! People remove their own passkeys with their password (a notice is e-mailed); those who may
//! reset someone's two-factor may remove their passkeys.

pub mod ceremony;
pub mod device;
pub mod sign_in;

use crate::audit::{Change, record};
use crate::mail::{Kind as MailKind, Letter};
use crate::target::load_target;
use crate::two_factor::{PasswordInput, confirm_password};
use crate::work::Work;
use crate::{App, Error, InPerson, Principal, Result};
use ceremony::Kind;
use serde::{Deserialize, Serialize};
use sesame_core::FieldError;
use sesame_store::passkeys::PasskeyRow;
use sesame_store::{Conn, new_id, now_ms};
use webauthn_rs::prelude::{
    CreationChallengeResponse, Passkey, PasskeyRegistration, RegisterPublicKeyCredential,
};

/// Longest name of a passkey, in characters.
pub const NAME_MAX: usize = 60;

/// A passkey as its owner sees it (never its key material).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PasskeyView {
    pub id: String,
    /// Named after the device by default ("Chrome · Android"); renamable.
    pub name: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339; `null` until first used to sign in.
    pub last_used_at: Option<String>,
}

impl From<&PasskeyRow> for PasskeyView {
    fn from(r: &PasskeyRow) -> Self {
        Self {
            id: r.id.clone(),
            name: r.name.clone(),
            created_at: crate::time::rfc3339(r.created_at),
            last_used_at: r.last_used_at.map(crate::time::rfc3339),
        }
    }
}

/// What the browser needs to start a ceremony: pass `public_key` to
/// `navigator.credentials.create` / `get` (through `PublicKeyCredential.parse…OptionsFromJSON`),
/// then send its answer back with `ceremony`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CeremonyOptions {
    /// Single use, valid five minutes.
    pub ceremony: String,
    /// WebAuthn options (`publicKey`), binary values in base64url.
    #[schema(value_type = Object)]
    pub public_key: serde_json::Value,
    /// For a sign-in: whether the browser may offer the passkey in the login field
    /// (`mediation: "conditional"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mediation: Option<String>,
}

/// The browser's answer to a registration.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterInput {
    /// The `ceremony` of the options.
    pub ceremony: String,
    /// `PublicKeyCredential.toJSON()` of what `navigator.credentials.create` answered.
    #[schema(value_type = Object)]
    pub credential: serde_json::Value,
    /// A name for the passkey (at most 60 characters); by default the device's, read from the
    /// browser.
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameInput {
    /// The new name, 1 to 60 characters.
    pub name: String,
}

fn own_id(who: &Principal) -> Result<String> {
    who.user_id()
        .map(String::from)
        .ok_or(Error::Unauthenticated("auth.required"))
}

/// A name as typed: trimmed, 1 to [`NAME_MAX`] characters, no control character.
pub fn parse_name(raw: &str) -> Result<String> {
    let name = sesame_core::error::trim_all(raw);
    if name.is_empty() {
        return Err(Error::Invalid(vec![FieldError::new(
            "name",
            "passkey.name_empty",
        )]));
    }
    if name.chars().count() > NAME_MAX {
        return Err(Error::Invalid(vec![
            FieldError::new("name", "text.too_long").with("max", NAME_MAX.to_string()),
        ]));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::Invalid(vec![FieldError::new(
            "name",
            "passkey.name_control",
        )]));
    }
    Ok(name.to_string())
}

/// The caller's passkeys, oldest first.
pub async fn list(app: &App, who: &InPerson) -> Result<Vec<PasskeyView>> {
    let user_id = own_id(who)?;
    let mut conn = app.store.read().await?;
    let rows = sesame_store::passkeys::of_user(&mut conn, who.org.id(), &user_id).await?;
    Ok(rows.iter().map(PasskeyView::from).collect())
}

/// Starts registering a passkey for the caller. The device is asked to keep the credential
/// (a discoverable credential, so that it signs in without a login typed) and to verify the
/// person; devices already registered to them are excluded.
pub async fn register_options(app: &App, who: &InPerson) -> Result<CeremonyOptions> {
    let user_id = own_id(who)?;
    let person = who
        .person()
        .ok_or(Error::Unauthenticated("auth.required"))?;
    let rp = ceremony::relying_party(app, &who.org.row.name)?;
    let mut work = Work::begin(app).await?;
    let existing = sesame_store::passkeys::of_user(&mut work, who.org.id(), &user_id).await?;
    let exclude: Vec<_> = existing
        .iter()
        .filter_map(|r| stored_passkey(r).ok())
        .map(|p| p.cred_id().clone())
        .collect();
    let (options, state): (CreationChallengeResponse, PasskeyRegistration) = rp
        .start_passkey_registration(
            ceremony::user_handle(&user_id),
            person.login(),
            &person.display_name(),
            Some(exclude),
        )
        .map_err(|e| Error::Internal(format!("passkey registration options: {e}")))?;
    // webauthn-rs leaves the resident key to the device; sign-in without a login needs it
    // (webauthn-rs does not check it on the answer: the options alone ask it).
    let mut public_key = to_json(&options.public_key)?;
    if let Some(sel) = public_key
        .get_mut("authenticatorSelection")
        .and_then(serde_json::Value::as_object_mut)
    {
        sel.insert("residentKey".into(), "required".into());
        sel.insert("requireResidentKey".into(), true.into());
    }
    let id = ceremony::begin(
        &mut work,
        who.org.id(),
        Kind::Register,
        Some(&user_id),
        &state,
        now_ms(),
    )
    .await?;
    work.commit().await?;
    Ok(CeremonyOptions {
        ceremony: id,
        public_key,
        mediation: None,
    })
}

/// Finishes a registration with the browser's answer: keeps the passkey, audits it and tells
/// the person by e-mail.
pub async fn register(
    app: &App,
    who: &InPerson,
    input: RegisterInput,
    user_agent: Option<&str>,
) -> Result<PasskeyView> {
    let user_id = own_id(who)?;
    let name = match input.name.as_deref() {
        Some(n) if !sesame_core::error::trim_all(n).is_empty() => parse_name(n)?,
        _ => device::name(user_agent, who.language()),
    };
    let credential: RegisterPublicKeyCredential = ceremony::parse(input.credential)?;
    let rp = ceremony::relying_party(app, &who.org.row.name)?;
    let now = now_ms();
    // The ceremony is spent even if what follows refuses: a new attempt starts again.
    let state: PasskeyRegistration = {
        let mut work = Work::begin(app).await?;
        let (org_id, owner, state) =
            ceremony::take(&mut work, &input.ceremony, Kind::Register, now).await?;
        work.commit().await?;
        if org_id != who.org.id() || owner.as_deref() != Some(user_id.as_str()) {
            return Err(Error::Refused(FieldError::new(
                "ceremony",
                "passkey.ceremony",
            )));
        }
        state
    };
    // A device answering for a credential it already holds here (a browser that ignored the
    // excluded list): said as such, before webauthn-rs refuses it for that reason or another.
    {
        let mut conn = app.store.read().await?;
        let key = ceremony::credential_key(&credential.raw_id);
        if sesame_store::passkeys::by_credential(&mut conn, &key)
            .await?
            .is_some()
        {
            return Err(already_registered());
        }
    }
    let passkey = rp
        .finish_passkey_registration(&credential, &state)
        .map_err(|e| match e {
            webauthn_rs::prelude::WebauthnError::CredentialExcludedFromRequest => {
                already_registered()
            }
            e => ceremony::refusal(&e),
        })?;
    let row = PasskeyRow {
        id: new_id(),
        org_id: who.org.id().to_string(),
        user_id: user_id.clone(),
        credential_id: ceremony::credential_key(passkey.cred_id()),
        passkey: serde_json::to_string(&passkey)
            .map_err(|e| Error::Internal(format!("passkey: {e}")))?,
        name,
        counter: 0,
        created_at: now,
        last_used_at: None,
    };
    let mut work = Work::begin(app).await?;
    if sesame_store::passkeys::by_credential(&mut work, &row.credential_id)
        .await?
        .is_some()
    {
        return Err(already_registered());
    }
    sesame_store::passkeys::insert(&mut work, &row)
        .await
        .map_err(|e| match Error::from(e) {
            Error::Conflict(_) => already_registered(),
            other => other,
        })?;
    audit(
        &mut work,
        who,
        "passkey.add",
        &user_id,
        None,
        Some(serde_json::json!({ "passkey": row.name })),
    )
    .await?;
    notify(&mut work, who, MailKind::PasskeyAdded, &user_id, &row.name).await?;
    work.commit().await?;
    Ok(PasskeyView::from(&row))
}

fn already_registered() -> Error {
    Error::Conflict(vec![FieldError::new(
        "credential",
        "passkey.already_registered",
    )])
}

/// Renames one of the caller's passkeys.
pub async fn rename(
    app: &App,
    who: &InPerson,
    id: &str,
    input: RenameInput,
) -> Result<PasskeyView> {
    let user_id = own_id(who)?;
    let name = parse_name(&input.name)?;
    let mut work = Work::begin(app).await?;
    let before = find(&mut work, who, &user_id, id).await?;
    sesame_store::passkeys::rename(&mut work, who.org.id(), &user_id, id, &name).await?;
    audit(
        &mut work,
        who,
        "passkey.rename",
        &user_id,
        Some(serde_json::json!({ "passkey": before.name })),
        Some(serde_json::json!({ "passkey": name })),
    )
    .await?;
    work.commit().await?;
    Ok(PasskeyView::from(&PasskeyRow { name, ..before }))
}

async fn find(conn: &mut Conn, who: &Principal, user_id: &str, id: &str) -> Result<PasskeyRow> {
    sesame_store::passkeys::of_user(conn, who.org.id(), user_id)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(Error::NotFound("passkey"))
}

/// Removes one of the caller's passkeys, with their password; the person is told by e-mail.
/// Refused when it is their last second factor and one of their roles requires one.
pub async fn remove(app: &App, who: &InPerson, id: &str, input: PasswordInput) -> Result<()> {
    let user_id = own_id(who)?;
    confirm_password(app, who, input.password).await?;
    let mut work = Work::begin(app).await?;
    let gone = find(&mut work, who, &user_id, id).await?;
    let target = load_target(&mut work, &who.org, &user_id).await?;
    if target.held.iter().any(|h| h.requires_mfa) {
        let totp = crate::two_factor::enrolled(&mut work, &who.org, &user_id).await?;
        let left = sesame_store::passkeys::count(&mut work, who.org.id(), &user_id).await?;
        if !totp && left <= 1 {
            return Err(Error::Refused(FieldError::new(
                "",
                "passkey.required_by_role",
            )));
        }
    }
    sesame_store::passkeys::remove(&mut work, who.org.id(), &user_id, id).await?;
    audit(
        &mut work,
        who,
        "passkey.remove",
        &user_id,
        Some(serde_json::json!({ "passkey": gone.name })),
        None,
    )
    .await?;
    notify(
        &mut work,
        who,
        MailKind::PasskeyRemoved,
        &user_id,
        &gone.name,
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// How many passkeys someone has, for those who may remove them (the user's Access tab).
pub async fn count_of(app: &App, who: &Principal, user_id: &str) -> Result<i64> {
    let mut conn = app.store.read().await?;
    let target = load_target(&mut conn, &who.org, user_id).await?;
    who.actor.may_disable(&target.subject())?;
    Ok(sesame_store::passkeys::count(&mut conn, who.org.id(), user_id).await?)
}

/// Removes all of someone's passkeys (a lost device), for those who may reset their
/// two-factor; audited, the person told.
pub async fn reset(app: &App, who: &Principal, user_id: &str) -> Result<()> {
    who.in_person_if_own(user_id)?;
    let mut work = Work::begin(app).await?;
    let target = load_target(&mut work, &who.org, user_id).await?;
    who.actor.may_disable(&target.subject())?;
    let removed = sesame_store::passkeys::remove_all(&mut work, who.org.id(), user_id).await?;
    if removed == 0 {
        return Err(Error::Refused(FieldError::new("", "passkey.none")));
    }
    record(
        &mut work,
        who,
        Change {
            action: "passkey.reset",
            target_type: "user",
            target_id: Some(user_id),
            target_label: Some(&target.row.login),
            before: Some(serde_json::json!({ "passkeys": removed })),
            after: None,
        },
    )
    .await?;
    work.queue(
        &who.org,
        Letter::new(MailKind::PasskeyRemoved, &target.row).by(who.person()),
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// A stored passkey, as webauthn-rs reads it.
pub(crate) fn stored_passkey(row: &PasskeyRow) -> Result<Passkey> {
    serde_json::from_str(&row.passkey)
        .map_err(|e| Error::Internal(format!("stored passkey {}: {e}", row.id)))
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::Internal(format!("passkey options: {e}")))
}

/// Tells the person a passkey was added to or removed from their account (a security notice:
/// always sent), naming it.
async fn notify(
    work: &mut Work,
    who: &Principal,
    kind: MailKind,
    user_id: &str,
    passkey: &str,
) -> Result<()> {
    if let Some(user) = sesame_store::users::get(work, who.org.id(), user_id).await? {
        work.queue(&who.org, Letter::new(kind, &user).device(passkey))
            .await?;
    }
    Ok(())
}

async fn audit(
    conn: &mut Conn,
    who: &Principal,
    action: &'static str,
    user_id: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    record(
        conn,
        who,
        Change {
            action,
            target_type: "user",
            target_id: Some(user_id),
            target_label: Some(&who.label()),
            before,
            after,
        },
    )
    .await
}
