//! Verifying a password against a hash brought over from WordPress (or other PHP software),
//! as WordPress's own `wp_check_password` does, so that members keep the password they know.
//! A right password is then re-hashed with Argon2id by the caller ([`super::Hasher`]); these
//! hashes are never written by Sésame.
//!
//! - bcrypt (`$2y$`, `$2b$`, `$2a$`) and the bcrypt inside WordPress 6.8's `$wp$2y$…`: the
//!   `bcrypt` crate (which truncates at 72 bytes, as PHP's `password_verify` does).
//! - WordPress 6.8 (`wp_hash_password`): `'$wp' . password_hash(base64_encode(hash_hmac(
//!   'sha384', trim($password), 'wp-sha384', true)), PASSWORD_BCRYPT)`; `wp_check_password`
//!   checks `password_verify(base64_encode(hash_hmac('sha384', $password, 'wp-sha384', true)),
//!   substr($hash, 3))`.
//! - phpass's portable hashes: written here, in a few lines. The one crate for it (`phpass`
//!   0.1.3, 2021) is unmaintained, pulls old `rand`/`base64`/`md5` copies and slices strings by
//!   bytes (it panics on some input); the algorithm is MD5 iterated, on the RustCrypto `md-5`
//!   already in the tree, checked against Python's `passlib` (tests below and tests/it).
//!
//! WordPress trims the password before hashing it and at every sign-in (`wp_authenticate`), so
//! its two kinds are checked against the password trimmed as PHP's `trim` does; plain bcrypt,
//! which other software may have written, against the password as typed.

use hmac::{KeyInit, Mac};
use md5::{Digest, Md5};
use sesame_core::{LegacyHash, LegacyKind};

/// Whether `password` matches `stored`. Constant-time in the comparison; as slow as the
/// hash's own cost.
pub fn verify(password: &str, stored: &LegacyHash) -> bool {
    let hash = stored.expose();
    match stored.kind() {
        LegacyKind::Phpass { log2 } => phpass_matches(php_trim(password), hash, log2),
        LegacyKind::WordPressBcrypt { .. } => {
            let pre = wordpress_prehash(php_trim(password));
            bcrypt::verify(pre, &hash[3..]).unwrap_or(false)
        }
        LegacyKind::Bcrypt { .. } => bcrypt::verify(password, hash).unwrap_or(false),
    }
}

/// PHP's `trim`: spaces, tabs, line ends, NUL and vertical tabs at both ends.
fn php_trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\n', '\r', '\0', '\x0B'])
}

/// base64(HMAC-SHA-384 keyed with "wp-sha384" of the password), what WordPress 6.8 gives
/// bcrypt instead of the password (64 characters: under bcrypt's 72 bytes).
fn wordpress_prehash(password: &str) -> String {
    use base64::Engine;
    let mut mac = <hmac::Hmac<sha2::Sha384> as KeyInit>::new_from_slice(b"wp-sha384")
        .expect("HMAC takes any key length");
    mac.update(password.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

const ITOA64: &[u8; 64] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// phpass's `crypt_private`: MD5(salt ‖ password), then 2^log2 times MD5(previous ‖ password);
/// the setting (first 12 characters) followed by the digest in phpass's own base 64.
fn phpass_matches(password: &str, stored: &str, log2: u32) -> bool {
    let (setting, salt) = (&stored[..12], &stored[4..12]);
    let password = password.as_bytes();
    let mut digest = Md5::new_with_prefix(salt.as_bytes())
        .chain_update(password)
        .finalize();
    for _ in 0..(1u64 << log2) {
        digest = Md5::new_with_prefix(digest)
            .chain_update(password)
            .finalize();
    }
    let mut computed = String::with_capacity(34);
    computed.push_str(setting);
    encode64(&digest, &mut computed);
    constant_time_eq::constant_time_eq(computed.as_bytes(), stored.as_bytes())
}

/// phpass's `encode64`: 6 bits at a time, least significant first, three bytes per four
/// characters (16 bytes give 22).
fn encode64(input: &[u8], out: &mut String) {
    let c = |v: u32| ITOA64[(v & 0x3f) as usize] as char;
    for chunk in input.chunks(3) {
        let mut value = u32::from(chunk[0]);
        out.push(c(value));
        if let Some(&b) = chunk.get(1) {
            value |= u32::from(b) << 8;
        }
        out.push(c(value >> 6));
        if chunk.len() < 2 {
            break;
        }
        if let Some(&b) = chunk.get(2) {
            value |= u32::from(b) << 16;
        }
        out.push(c(value >> 12));
        if chunk.len() < 3 {
            break;
        }
        out.push(c(value >> 18));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(h: &str) -> LegacyHash {
        LegacyHash::parse(h).expect("a legacy hash")
    }

    // Made with passlib 1.7.4: phpass.using(rounds=13).hash(password) — what WordPress writes.
    #[test]
    fn phpass_agrees_with_passlib() {
        let h = parse("$P$Bboml0tN5ZOMrasDvuagZGNPGAYm1Q/");
        assert!(verify("Été à la ferme", &h));
        assert!(
            verify("  Été à la ferme\n", &h),
            "trimmed as WordPress does"
        );
        assert!(!verify("Ete a la ferme", &h));
        assert!(!verify("", &h));
    }

    // Made with pyca bcrypt 5.0: bcrypt.hashpw(b"x", bcrypt.gensalt(10, prefix=b"2b")).
    #[test]
    fn bcrypt_agrees_with_pyca_bcrypt() {
        let h = parse("$2b$10$DVhVKZkKJp8I2ig1s0TjfO6x8TTN9FqWD302nPxr.BZO1BJOQr6ey");
        assert!(verify("x", &h));
        assert!(!verify("y", &h));
        assert!(!verify(" x", &h), "plain bcrypt is checked as typed");
    }

    // The HMAC of WordPress 6.8, computed by Python's hmac (base64, 64 characters).
    #[test]
    fn the_wordpress_prehash_is_hmac_sha384() {
        assert_eq!(
            wordpress_prehash("password"),
            "ZEIBxmCIjkyF8MNbMmsrJOPmp2/ioyAvd90BaIOY1lr6z3gfcWZusfjOv0kWasvS"
        );
    }

    // WordPress 6.8's scheme computed in Python from its published definition:
    // "$wp" + bcrypt.hashpw(base64(hmac("wp-sha384", password, sha384)), gensalt(10)).
    #[test]
    fn wordpress_68_hashes_verify() {
        let h = parse("$wp$2y$10$Wukl5lOxZlZfjKAb4UrNE.s1w/Dx/DlR1/Q2qA0icHc1DaOq8o.Fm");
        assert!(verify("Été à la ferme", &h));
        assert!(verify("Été à la ferme ", &h), "trimmed as WordPress does");
        assert!(!verify("Été à la ferm", &h));
    }

    #[test]
    fn encode64_writes_22_characters_for_md5() {
        let mut out = String::new();
        encode64(&[0u8; 16], &mut out);
        assert_eq!(out, "......................");
        let mut out = String::new();
        encode64(&[0xff; 16], &mut out);
        assert_eq!(out.len(), 22);
    }
}
