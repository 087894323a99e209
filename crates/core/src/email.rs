//! E-mail addresses ("adresse de messagerie", "courriel").
//!
//! Hand-written because the crates we tried accept `a@b` (see STACK.md): an address here must
//! be deliverable on the Internet, so the domain needs a dot and an alphabetic top-level label.

use crate::error::{Invalid, trim_all};
use std::fmt;

/// A syntactically deliverable address, trimmed and lowercased. Case-insensitive uniqueness
/// therefore reduces to string equality.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

const LOCAL_SPECIALS: &str = "!#$%&'*+/=?^_`{|}~-";

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = trim_all(raw).to_lowercase();
        if value.is_empty() {
            return Err(Invalid::new("email.empty"));
        }
        if value.chars().count() > 254 {
            return Err(Invalid::new("email.too_long").with("max", "254"));
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return Err(Invalid::new("email.no_at"));
        };
        if domain.is_empty() {
            return Err(Invalid::new("email.no_domain"));
        }
        if local.is_empty()
            || local.len() > 64
            || local.starts_with('.')
            || local.ends_with('.')
            || local.contains("..")
            || !local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || LOCAL_SPECIALS.contains(c))
        {
            return Err(Invalid::new("email.invalid"));
        }
        if !valid_domain(domain) {
            return Err(Invalid::new("email.bad_domain").with("domain", domain));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

/// At least two labels; each 1–63 letters, digits or hyphens, not at either end; the last one
/// alphabetic (or an IDN `xn--` label). Unicode letters are allowed for internationalised domains.
fn valid_domain(domain: &str) -> bool {
    if domain.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.chars().count() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let tld = labels[labels.len() - 1];
    labels.iter().all(label_ok)
        && (tld.starts_with("xn--")
            || (tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic)))
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_spaces() {
        let e = Email::parse("  Zoé.Lefevre@Example.FR\u{a0}").unwrap_err();
        assert_eq!(e.code, "email.invalid", "accented local parts are refused");
        let e = Email::parse("  Zoe.Lefevre@Example.FR\u{a0}").unwrap();
        assert_eq!(e.as_str(), "zoe.lefevre@example.fr");
        assert_eq!(e.domain(), "example.fr");
    }

    #[test]
    fn refuses_undeliverable_addresses() {
        for (raw, code) in [
            ("", "email.empty"),
            ("jean", "email.no_at"),
            ("jean@", "email.no_domain"),
            ("jean@localhost", "email.bad_domain"),
            ("a@b", "email.bad_domain"),
            ("jean@exa_mple.fr", "email.bad_domain"),
            ("jean@-example.fr", "email.bad_domain"),
            ("jean@example.f", "email.bad_domain"),
            ("jean@example.123", "email.bad_domain"),
            (".jean@example.fr", "email.invalid"),
            ("je..an@example.fr", "email.invalid"),
            ("je an@example.fr", "email.invalid"),
            ("jean@@example.fr", "email.invalid"),
        ] {
            assert_eq!(Email::parse(raw).unwrap_err().code, code, "{raw:?}");
        }
    }

    #[test]
    fn accepts_real_addresses() {
        for raw in [
            "local101@monservicedegarde.com",
            "a+tag@sub.example.co.uk",
            "o'neil@example.ie",
            "x@café.fr",
            "x@xn--caf-dma.xn--p1ai",
        ] {
            assert!(Email::parse(raw).is_ok(), "{raw}");
        }
    }

    proptest::proptest! {
        #[test]
        fn parse_is_idempotent(s in "\\PC{0,40}") {
            if let Ok(e) = Email::parse(&s) {
                proptest::prop_assert_eq!(Email::parse(e.as_str()).unwrap(), e);
            }
        }
    }
}
