//! Device cookies (OWASP's defence against lockout by password spraying): after a successful
//! sign-in, the browser or client receives a cookie naming the person, signed by the server.
//! With it, that browser's attempts for that person are counted on the cookie's own counter
//! instead of waiting on the account's and the address's: an attacker spraying wrong passwords
//! at someone, from anywhere, cannot keep them out of the browser they already used. A wrong
//! password typed with the cookie still counts (on the cookie's counter, the account's and the
//! address's), so a stolen cookie buys a handful of guesses, never a free run.
//!
//! The cookie is `v1.<org id>.<user id>.<nonce>.<issued ms>.<HMAC-SHA256>`; the key is kept in
//! the database (`server_keys`), so that every instance on one PostgreSQL accepts the cookies
//! any of them signed, and it is read once per process. It never leaves the server: neither
//! logged (its `Debug` is redacted) nor exported.

use crate::work::Work;
use crate::{App, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{KeyInit, Mac};
use std::sync::Arc;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// How long a device cookie is honoured after the sign-in that issued it (every successful
/// sign-in issues a new one).
pub const LIFETIME_MS: i64 = 365 * 24 * 3600 * 1000;

const KEY_NAME: &str = "device_cookie";

/// The signing key, loaded from the database on first use.
#[derive(Clone, Default)]
pub struct DeviceKey(Arc<tokio::sync::OnceCell<Key>>);

struct Key([u8; 32]);

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceKey(redacted)")
    }
}

impl DeviceKey {
    async fn get(&self, app: &App) -> Result<&Key> {
        self.0
            .get_or_try_init(|| async {
                let fresh = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
                let mut work = Work::begin(app).await?;
                let stored = sesame_store::server_keys::get_or_create(
                    &mut work,
                    KEY_NAME,
                    &fresh,
                    sesame_store::now_ms(),
                )
                .await?;
                work.commit().await?;
                let bytes = URL_SAFE_NO_PAD
                    .decode(stored.as_bytes())
                    .ok()
                    .and_then(|b| <[u8; 32]>::try_from(b).ok())
                    .ok_or_else(|| {
                        crate::Error::Internal("the device-cookie key is damaged".into())
                    })?;
                Ok::<_, crate::Error>(Key(bytes))
            })
            .await
    }
}

/// A device cookie whose signature held: who it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub org_id: String,
    pub user_id: String,
    /// Unique to this cookie: its failures are counted under it.
    pub nonce: String,
}

impl Device {
    /// The throttle's counter for this cookie.
    pub fn counter(&self) -> String {
        format!("device:{}", self.nonce)
    }

    /// Whether it names this person of this organisation.
    pub fn names(&self, org_id: &str, user_id: &str) -> bool {
        self.org_id == org_id && self.user_id == user_id
    }
}

/// The HMAC of `payload`, under a label of its own so that the key signs nothing else.
fn signer(key: &Key, payload: &str) -> HmacSha256 {
    let mut m = <HmacSha256 as KeyInit>::new_from_slice(&key.0).expect("HMAC takes any key length");
    m.update(b"sesame device cookie\n");
    m.update(payload.as_bytes());
    m
}

fn mac(key: &Key, payload: &str) -> Vec<u8> {
    signer(key, payload).finalize().into_bytes().to_vec()
}

/// A new cookie value for this person, issued now.
pub async fn issue(app: &App, org_id: &str, user_id: &str, now: i64) -> Result<String> {
    let key = app.device_key.get(app).await?;
    let nonce = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>());
    let payload = format!("v1.{org_id}.{user_id}.{nonce}.{now}");
    let sig = URL_SAFE_NO_PAD.encode(mac(key, &payload));
    Ok(format!("{payload}.{sig}"))
}

/// The person a cookie names, when its signature holds and it has not expired; `None` for
/// anything else (a cookie of another server, altered, too old, or not one at all).
pub async fn verify(app: &App, raw: &str, now: i64) -> Result<Option<Device>> {
    if raw.len() > 300 {
        return Ok(None);
    }
    let Some((payload, sig)) = raw.rsplit_once('.') else {
        return Ok(None);
    };
    let parts: Vec<&str> = payload.split('.').collect();
    let [version, org_id, user_id, nonce, issued] = parts.as_slice() else {
        return Ok(None);
    };
    let Ok(issued) = issued.parse::<i64>() else {
        return Ok(None);
    };
    if *version != "v1" || issued > now + 60_000 || now - issued > LIFETIME_MS {
        return Ok(None);
    }
    let Ok(sig) = URL_SAFE_NO_PAD.decode(sig.as_bytes()) else {
        return Ok(None);
    };
    let key = app.device_key.get(app).await?;
    // `verify_slice` compares in constant time.
    if signer(key, payload).verify_slice(&sig).is_err() {
        return Ok(None);
    }
    Ok(Some(Device {
        org_id: (*org_id).to_string(),
        user_id: (*user_id).to_string(),
        nonce: (*nonce).to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_covers_every_part() {
        let key = Key([7; 32]);
        let a = mac(&key, "v1.o.u.n.1");
        assert_eq!(a, mac(&key, "v1.o.u.n.1"));
        assert_ne!(a, mac(&key, "v1.o.v.n.1"));
        assert_ne!(a, mac(&Key([8; 32]), "v1.o.u.n.1"));
        assert_eq!(a.len(), 32);
    }
}
