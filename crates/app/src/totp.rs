//! The arithmetic of two-factor sign-in, without storage: TOTP secrets and codes (RFC 6238,
//! through `totp-rs`), the `otpauth://` link and its QR code, and recovery codes.
//!
//! Codes are 6 digits, 30-second steps, HMAC-SHA1 — what every authenticator app speaks. A code
//! of the step before or after the current one is accepted (clock skew); the caller records the
//! step it matched so that no code is accepted twice.

use base64::Engine;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Builder, Secret, Totp};

pub const DIGITS: u8 = 6;
pub const STEP_SECS: u64 = 30;
/// 160 bits, written as 32 base32 characters (apps refuse fewer than 112 bits).
pub const SECRET_BYTES: usize = 20;
pub const RECOVERY_CODES: usize = 10;

/// A new random secret, base32 without padding.
pub fn new_secret() -> SecretString {
    let bytes: [u8; SECRET_BYTES] = rand::random();
    SecretString::from(Secret::from(bytes.to_vec()).to_base32())
}

fn totp(secret: &str, digits: u8, issuer: &str, account: &str) -> Option<Totp> {
    let bytes = Secret::try_from_base32(secret).ok()?;
    // ':' separates issuer and account in the otpauth label; neither may contain one.
    let clean = |s: &str| s.replace(':', " ");
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(digits)
        .with_skew(1)
        .with_step_duration(STEP_SECS)
        .with_secret(bytes)
        .with_issuer(Some(clean(issuer)))
        .with_account_name(clean(account))
        .build()
        .ok()
}

/// The `otpauth://totp/…` link an authenticator app reads, naming the organisation as issuer.
pub fn otpauth_uri(secret: &SecretString, issuer: &str, account: &str) -> Option<String> {
    totp(secret.expose_secret(), DIGITS, issuer, account)?
        .to_url()
        .ok()
}

/// The link as a QR code, an SVG document of a few kilobytes.
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

/// The code of the step containing `unix_secs`.
pub fn code_at(secret: &str, unix_secs: u64) -> Option<String> {
    Some(
        totp(secret, DIGITS, "", "")?
            .generate(unix_secs)
            .to_string(),
    )
}

/// The step (Unix time / 30) whose code is `code`, among the current one and its two
/// neighbours; `None` when it matches none.
pub fn matching_step(secret: &SecretString, code: &str, unix_secs: u64) -> Option<u64> {
    totp(secret.expose_secret(), DIGITS, "", "")?.check(code, unix_secs)
}

/// What a person typed in the two-factor field.
#[derive(Debug, PartialEq, Eq)]
pub enum Typed {
    /// Six digits from the authenticator app.
    Code(String),
    /// A recovery code, normalised (lowercase, no separators).
    Recovery(String),
    /// Neither: wrong length or characters.
    Malformed,
}

/// Recovery codes are 12 characters from this alphabet (no 0/o, 1/l/i), shown in groups of
/// four: 60 bits each.
const RECOVERY_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
const RECOVERY_LEN: usize = 12;

/// Reads the two-factor field: spaces and dashes are ignored, case too.
pub fn classify(input: &str) -> Typed {
    let cleaned: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    if cleaned.len() == usize::from(DIGITS) && cleaned.chars().all(|c| c.is_ascii_digit()) {
        Typed::Code(cleaned)
    } else if cleaned.len() == RECOVERY_LEN
        && cleaned.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))
    {
        Typed::Recovery(cleaned)
    } else {
        Typed::Malformed
    }
}

/// Ten new recovery codes, as shown to the person (`xxxx-xxxx-xxxx`).
pub fn new_recovery_codes() -> Vec<SecretString> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let chars: Vec<u8> = (0..RECOVERY_LEN)
                .map(|_| RECOVERY_ALPHABET[rand::random_range(0..RECOVERY_ALPHABET.len())])
                .collect();
            let text = String::from_utf8(chars).unwrap_or_default();
            SecretString::from(format!("{}-{}-{}", &text[0..4], &text[4..8], &text[8..12]))
        })
        .collect()
}

/// The stored form of a recovery code (normalised by [`classify`]): SHA-256 of the user's id
/// and the code, so that equal codes of two people never share a hash. A fast hash suffices:
/// 60 random bits cannot be guessed offline in any useful time, and online guesses are
/// throttled like passwords.
pub fn recovery_hash(user_id: &str, normalised: &str) -> String {
    let digest = Sha256::digest(format!("{user_id}:{normalised}").as_bytes());
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest)
}

#[cfg(test)]
mod tests;
