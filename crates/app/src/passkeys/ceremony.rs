//! What every passkey ceremony shares: the relying party (from the configured public URL), the
//! ceremony's state kept in the database under a random id given to the browser, and the
//! refusals webauthn-rs can give, as codes a person can act on.
//!
//! The state is never in a process: any instance on the same database finishes a ceremony
//! another began. It is taken once (deleted as it is read) and lives [`CEREMONY_MS`].

use crate::{App, Error, Result, secret};
use base64::Engine;
use serde::{Serialize, de::DeserializeOwned};
use sesame_core::FieldError;
use sesame_store::Conn;
use sesame_store::passkeys::Ceremony;
use sha2::{Digest, Sha256};
use webauthn_rs::prelude::{Url, Uuid, Webauthn, WebauthnBuilder, WebauthnError};

/// How long the browser has to answer: five minutes, the timeout the options ask for too.
pub const CEREMONY_MS: i64 = 5 * 60 * 1000;

/// What a ceremony is for; stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Register,
    SignIn,
    SecondFactor,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Register => "register",
            Kind::SignIn => "sign_in",
            Kind::SecondFactor => "second_factor",
        }
    }
}

/// The relying party: its id is the host of the public URL, its one origin that URL. An
/// address without a domain name (`http://127.0.0.1:8080`, the default) cannot hold passkeys:
/// browsers refuse WebAuthn on a bare IP address.
pub fn relying_party(app: &App, org_name: &str) -> Result<Webauthn> {
    let unavailable = || Error::Refused(FieldError::new("", "passkey.unavailable"));
    let url = Url::parse(&app.mailer.public_url).map_err(|_| unavailable())?;
    let host = url.domain().ok_or_else(unavailable)?.to_string();
    let origin = Url::parse(&url.origin().ascii_serialization()).map_err(|_| unavailable())?;
    WebauthnBuilder::new(&host, &origin)
        .map_err(|_| unavailable())?
        .rp_name(org_name)
        .timeout(std::time::Duration::from_millis(
            u64::try_from(CEREMONY_MS).unwrap_or(300_000),
        ))
        .build()
        .map_err(|_| unavailable())
}

/// The WebAuthn user handle of a person: derived from their id (16 bytes of a SHA-256), so
/// that it names no one outside this server and needs no column of its own.
pub fn user_handle(user_id: &str) -> Uuid {
    let digest = Sha256::digest(format!("sesame-passkey:{user_id}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Uuid::from_bytes(bytes)
}

/// A credential id as stored: base64url without padding.
pub fn credential_key(raw: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

/// Keeps a ceremony's state; answers the id the browser sends back.
pub async fn begin<S: Serialize>(
    conn: &mut Conn,
    org_id: &str,
    kind: Kind,
    user_id: Option<&str>,
    state: &S,
    now: i64,
) -> Result<String> {
    let id = secret::generate("pkc_");
    let id = secrecy::ExposeSecret::expose_secret(&id).to_string();
    let ceremony = Ceremony {
        org_id: org_id.to_string(),
        kind: kind.code().to_string(),
        user_id: user_id.map(String::from),
        state: serde_json::to_string(state)?,
        expires_at: now + CEREMONY_MS,
    };
    sesame_store::passkeys::put_ceremony(conn, &secret::hash(&id), &ceremony, now).await?;
    Ok(id)
}

/// Takes the ceremony `id` (it cannot be used again, whatever follows): its organisation,
/// person and state. Unknown, already used, of another kind or expired: `passkey.ceremony`.
pub async fn take<S: DeserializeOwned>(
    conn: &mut Conn,
    id: &str,
    kind: Kind,
    now: i64,
) -> Result<(String, Option<String>, S)> {
    let gone = || Error::Refused(FieldError::new("ceremony", "passkey.ceremony"));
    let id = id.trim();
    if id.is_empty() || id.len() > 200 {
        return Err(gone());
    }
    let c = sesame_store::passkeys::take_ceremony(conn, &secret::hash(id))
        .await?
        .ok_or_else(gone)?;
    if c.kind != kind.code() || c.expires_at <= now {
        return Err(gone());
    }
    let state = serde_json::from_str(&c.state).map_err(|_| gone())?;
    Ok((c.org_id, c.user_id, state))
}

/// A refusal of webauthn-rs, as a person can act on it.
pub fn refusal(e: &WebauthnError) -> Error {
    let code = match e {
        WebauthnError::UserNotVerified => "passkey.user_not_verified",
        WebauthnError::CredentialPossibleCompromise => "passkey.counter",
        WebauthnError::InvalidRPOrigin | WebauthnError::InvalidRPIDHash => "passkey.wrong_site",
        WebauthnError::ChallengeNotFound | WebauthnError::MismatchedChallenge => "passkey.ceremony",
        _ => "passkey.refused",
    };
    Error::Invalid(vec![FieldError::new("credential", code)])
}

/// The browser's answer, read as webauthn-rs's type; malformed: `passkey.malformed`.
pub fn parse<T: DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    serde_json::from_value(value)
        .map_err(|_| Error::Invalid(vec![FieldError::new("credential", "passkey.malformed")]))
}
