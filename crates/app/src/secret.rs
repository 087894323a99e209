//! Secrets handed out once (session and API tokens, setup links): 256 random bits, shown to
//! their owner once, stored only as a SHA-256 hash. A fast hash is right here: the secret has
//! full entropy, so there is nothing to guess offline, unlike a password.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// A new secret, 43 URL-safe characters, with a prefix saying what it is (`ses_`, `sat_`, …)
/// so that a leaked one is recognisable by secret scanners.
pub fn generate(prefix: &str) -> SecretString {
    let bytes: [u8; 32] = rand::random();
    SecretString::from(format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// The stored form of a secret: lowercase hex SHA-256.
pub fn hash(secret: &str) -> String {
    use std::fmt::Write;
    let digest = Sha256::digest(secret.as_bytes());
    let mut hex = String::with_capacity(64);
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

pub fn hash_secret(secret: &SecretString) -> String {
    hash(secret.expose_secret())
}
