//! A password hash brought over from another system ("empreinte importée"): WordPress's phpass
//! (`$P$…`, up to WordPress 6.7), WordPress 6.8's `$wp$2y$…` (bcrypt over an HMAC-SHA-384 of
//! the password) and plain bcrypt (`$2y$`, `$2b$`, `$2a$`).
//!
//! Only its form is checked here (no cryptography, no I/O): an import refuses a cell that is
//! not one of these, and one whose cost would make a single sign-in take seconds. The hash
//! itself is verified by `sesame-app`, and replaced by Argon2id at the person's first
//! successful sign-in. Its `Debug` never shows it.

use crate::Invalid;

/// The kinds of hashes Sésame can verify once, then replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyKind {
    /// phpass's portable hashes (`$P$`, and phpBB's `$H$`): 2^`log2` rounds of MD5.
    Phpass { log2: u32 },
    /// WordPress 6.8 and later: `$wp` then a bcrypt hash of base64(HMAC-SHA-384("wp-sha384",
    /// password)).
    WordPressBcrypt { cost: u32 },
    /// bcrypt as PHP's `password_hash` writes it (WordPress plug-ins, other PHP software).
    Bcrypt { cost: u32 },
}

impl LegacyKind {
    /// Stable name, for the audit log (never the hash).
    pub fn code(self) -> &'static str {
        match self {
            LegacyKind::Phpass { .. } => "phpass",
            LegacyKind::WordPressBcrypt { .. } => "wordpress_bcrypt",
            LegacyKind::Bcrypt { .. } => "bcrypt",
        }
    }
}

/// phpass's alphabet (also bcrypt's, in another order): where the count's letter stands.
const ITOA64: &[u8; 64] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// bcrypt's own base-64 alphabet.
const BCRYPT64: &[u8; 64] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// The most rounds accepted, so that one sign-in stays under about half a second: phpass
/// 2^16 MD5 (WordPress writes 2^13, phpBB 2^11), bcrypt cost 13 (WordPress and PHP write
/// 10, PHP 8.4 12). A costlier hash is refused at the import, naming its row.
pub const MAX_PHPASS_LOG2: u32 = 16;
pub const MAX_BCRYPT_COST: u32 = 13;

/// A legacy hash whose form is right.
#[derive(Clone, PartialEq, Eq)]
pub struct LegacyHash {
    text: String,
    kind: LegacyKind,
}

impl std::fmt::Debug for LegacyHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LegacyHash({}, [REDACTED])", self.kind.code())
    }
}

impl LegacyHash {
    /// Reads a hash as an export gives it (spaces around it are dropped). Refusals:
    /// `password_hash.unknown` (not one of the forms above), `password_hash.too_costly`
    /// (with `max`).
    pub fn parse(raw: &str) -> Result<LegacyHash, Invalid> {
        let text = crate::error::trim_all(raw);
        let kind = kind_of(text).ok_or_else(|| Invalid::new("password_hash.unknown"))?;
        let (costly, max) = match kind {
            LegacyKind::Phpass { log2 } => (log2 > MAX_PHPASS_LOG2, MAX_PHPASS_LOG2),
            LegacyKind::WordPressBcrypt { cost } | LegacyKind::Bcrypt { cost } => {
                (cost > MAX_BCRYPT_COST, MAX_BCRYPT_COST)
            }
        };
        if costly {
            return Err(Invalid::new("password_hash.too_costly").with("max", max.to_string()));
        }
        Ok(LegacyHash {
            text: text.to_string(),
            kind,
        })
    }

    pub fn kind(&self) -> LegacyKind {
        self.kind
    }

    /// The hash as stored and verified. Never shown, exported nor logged.
    pub fn expose(&self) -> &str {
        &self.text
    }
}

/// The kind of a stored hash, when it is one of the legacy forms (whatever its cost).
pub fn kind_of(text: &str) -> Option<LegacyKind> {
    let b = text.as_bytes();
    if !text.is_ascii() {
        return None;
    }
    if (text.starts_with("$P$") || text.starts_with("$H$")) && b.len() == 34 {
        let log2 = ITOA64.iter().position(|&c| c == b[3])? as u32;
        let rest_ok = b[4..].iter().all(|c| ITOA64.contains(c));
        return ((7..=30).contains(&log2) && rest_ok).then_some(LegacyKind::Phpass { log2 });
    }
    if let Some(bcrypt) = text.strip_prefix("$wp") {
        return bcrypt_cost(bcrypt).map(|cost| LegacyKind::WordPressBcrypt { cost });
    }
    bcrypt_cost(text).map(|cost| LegacyKind::Bcrypt { cost })
}

/// `$2y$10$` + 22 characters of salt + 31 of hash: the cost, when the form is right.
fn bcrypt_cost(text: &str) -> Option<u32> {
    let b = text.as_bytes();
    if b.len() != 60 || b[0] != b'$' || b[3] != b'$' || b[6] != b'$' {
        return None;
    }
    if !["2a", "2b", "2y"].contains(&&text[1..3]) {
        return None;
    }
    let cost: u32 = text[4..6].parse().ok()?;
    let rest_ok = b[7..].iter().all(|c| BCRYPT64.contains(c));
    ((4..=31).contains(&cost) && rest_ok).then_some(cost)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Made by Python's passlib and bcrypt (see tests/it/wordpress.rs for the sign-in).
    const PHPASS: &str = "$P$Bboml0tN5ZOMrasDvuagZGNPGAYm1Q/";
    const BCRYPT: &str = "$2b$10$DVhVKZkKJp8I2ig1s0TjfO6x8TTN9FqWD302nPxr.BZO1BJOQr6ey";

    #[test]
    fn the_three_forms_are_recognised() {
        assert_eq!(
            LegacyHash::parse(PHPASS).map(|h| h.kind()),
            Ok(LegacyKind::Phpass { log2: 13 })
        );
        assert_eq!(
            LegacyHash::parse(&format!(" {BCRYPT}\u{a0}")).map(|h| h.kind()),
            Ok(LegacyKind::Bcrypt { cost: 10 })
        );
        let wp = format!("$wp{}", BCRYPT.replacen("$2b$", "$2y$", 1));
        assert_eq!(
            LegacyHash::parse(&wp).map(|h| h.kind()),
            Ok(LegacyKind::WordPressBcrypt { cost: 10 })
        );
        assert_eq!(LegacyHash::parse(&wp).map(|h| h.expose().len()), Ok(63));
    }

    #[test]
    fn other_text_and_costly_hashes_are_refused() {
        for bad in [
            "",
            "motdepasse",
            "5f4dcc3b5aa765d61d8327deb882cf99",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
            &PHPASS[..33],
            &format!("{PHPASS}x"),
            &PHPASS.replace("$P$B", "$P$é"),
            &BCRYPT.replace("$2b$", "$2x$"),
            &BCRYPT.replace("$10$", "$xx$"),
            &BCRYPT.replace("$10$", "$03$"),
        ] {
            assert_eq!(
                LegacyHash::parse(bad).map_err(|e| e.code),
                Err("password_hash.unknown"),
                "{bad}"
            );
        }
        assert_eq!(
            LegacyHash::parse(&PHPASS.replace("$P$B", "$P$J")).map_err(|e| e.code),
            Err("password_hash.too_costly")
        );
        assert_eq!(
            LegacyHash::parse(&BCRYPT.replace("$10$", "$14$")).map_err(|e| e.code),
            Err("password_hash.too_costly")
        );
    }

    #[test]
    fn debug_never_shows_the_hash() {
        let h = LegacyHash::parse(PHPASS).expect("phpass");
        assert!(!format!("{h:?}").contains("Bboml0"));
    }
}
