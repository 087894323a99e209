//! Passwords: how they are hashed ([`hasher`]: Argon2id in a bounded pool of its own threads)
//! and which ones are accepted (the policy, below); hashes brought over from WordPress are
//! verified once ([`legacy`]) and replaced.

mod hasher;
pub mod legacy;

pub use hasher::{
    Admitted, Hasher, ITERATIONS, Lane, Load, MEMORY_KIB, PARALLELISM, Verdict, hash_now,
    hash_with_params, needs_rehash, verify_in, verify_now,
};

use secrecy::{ExposeSecret, SecretString};

/// What the password policy needs to know of the person: the words their password must not
/// contain, and whether they hold administrative rights (longer passwords then).
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Login, e-mail, names, organisation name.
    pub personal: Vec<String>,
    pub administrative: bool,
}

/// Whether these rights make someone an administrator for the password policy: rights over many
/// people or over the organisation itself.
pub fn administrative(rights: sesame_core::PermissionSet) -> bool {
    use sesame_core::Permission::*;
    [
        DisableUsers,
        DeleteUsers,
        Import,
        Export,
        ManageRoles,
        OrgSettings,
        ReadAudit,
    ]
    .iter()
    .any(|p| rights.contains(*p))
}

/// Shortest password, and shortest for holders of administrative rights (NIST SP 800-63B asks
/// 8 at least; administrators get 12).
pub const MIN_CHARS: usize = 8;
pub const MIN_CHARS_ADMIN: usize = 12;
pub const MAX_CHARS: usize = 256;

/// The password policy, after NIST SP 800-63B: a length, no composition rules, and refusal of
/// passwords that are easy to guess (zxcvbn, which knows common passwords, words, keyboard
/// patterns and dates) or that contain the person's own login, name or e-mail.
pub fn check_policy(
    password: &SecretString,
    ctx: &Context,
) -> std::result::Result<(), sesame_core::Invalid> {
    use sesame_core::Invalid;
    let text = password.expose_secret();
    let n = text.chars().count();
    let min = if ctx.administrative {
        MIN_CHARS_ADMIN
    } else {
        MIN_CHARS
    };
    if n < min {
        return Err(Invalid::new("password.too_short").with("min", min.to_string()));
    }
    if n > MAX_CHARS {
        return Err(Invalid::new("password.too_long").with("max", MAX_CHARS.to_string()));
    }
    let folded = sesame_core::fold(text).replace(' ', "");
    // Each personal value whole (3 letters or more: a first name like "Léa"), and each of its
    // parts of 4 or more (`zoe.lefevre@example.fr` → lefevre, example; not "pas" of an
    // organisation called "Les Petits Pas", which "passe" contains).
    let mut parts: Vec<String> = Vec::new();
    for value in &ctx.personal {
        let f = sesame_core::fold(value);
        parts.extend(
            f.split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|p| p.len() >= 4)
                .map(String::from),
        );
        let whole = f.replace(' ', "");
        if whole.len() >= 3 {
            parts.push(whole);
        }
    }
    if let Some(found) = parts.iter().find(|p| folded.contains(p.as_str())) {
        return Err(Invalid::new("password.personal").with("part", found.clone()));
    }
    // zxcvbn's work grows with the length; the first 64 characters tell enough.
    let head: String = text.chars().take(64).collect();
    let inputs: Vec<&str> = ctx.personal.iter().map(String::as_str).collect();
    if (zxcvbn::zxcvbn(&head, &inputs).score() as u8) < 3 {
        return Err(Invalid::new("password.guessable"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(p: &str, admin: bool) -> std::result::Result<(), &'static str> {
        let ctx = Context {
            personal: vec![
                "zoe.lefevre".into(),
                "zoe@example.fr".into(),
                "Zoé".into(),
                "Lefèvre".into(),
            ],
            administrative: admin,
        };
        check_policy(&SecretString::from(p.to_string()), &ctx).map_err(|e| e.code)
    }

    #[test]
    fn follows_nist_without_composition_rules() {
        assert_eq!(check("court", false), Err("password.too_short"));
        assert_eq!(check("password123", false), Err("password.guessable"));
        assert_eq!(check("azertyuiop", false), Err("password.guessable"));
        assert_eq!(check("lefevre-2024!", false), Err("password.personal"));
        assert_eq!(check("ZOE de Paris", false), Err("password.personal"));
        assert_eq!(check("tartine beurre confiture", false), Ok(()));
        assert_eq!(check("vélo-rouge-42", false), Ok(()));
        assert_eq!(check("vélo-rouge", true), Err("password.too_short"));
        assert_eq!(check("vélo-rouge-42", true), Ok(()));
        assert_eq!(check(&"x".repeat(300), false), Err("password.too_long"));
    }

    #[test]
    fn outdated_parameters_are_noticed() {
        let p = SecretString::from("tartine beurre confiture".to_string());
        assert!(!needs_rehash(&hash_now(&p).expect("hash")));
        let weak = hash_with_params(&p, 8 * 1024, 1, 1).expect("hash");
        assert!(verify_now(&p, &weak), "old hashes still verify");
        assert!(needs_rehash(&weak));
        assert!(needs_rehash("not a PHC string"));
    }
}
