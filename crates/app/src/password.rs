//! Password hashing with Argon2id, off the async runtime in a bounded pool.
//!
//! One hash costs ~11–14 ms of one core and 19 MiB (STACK.md). Running it on the runtime's
//! threads would stall every other request, so each hash takes a permit (one per core) and runs
//! on a blocking thread; when too many are already waiting the caller gets [`Error::Busy`]
//! instead of an ever-growing queue.

use crate::error::{Error, Result};
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Semaphore;

/// OWASP's minimum for Argon2id: m = 19 MiB, t = 2, p = 1.
pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .expect("constant Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes on the current thread. Blocking: call through [`Hasher`] from async code.
pub fn hash_now(password: &SecretString) -> Result<String> {
    argon2()
        .hash_password(password.expose_secret().as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("argon2: {e}")))
}

/// Hashes with other parameters than ours: for tests and benchmarks of re-hashing.
pub fn hash_with_params(password: &SecretString, m_kib: u32, t: u32, p: u32) -> Result<String> {
    let params =
        Params::new(m_kib, t, p, None).map_err(|e| Error::Internal(format!("argon2: {e}")))?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(password.expose_secret().as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("argon2: {e}")))
}

/// Whether a stored hash was made with other parameters than today's (older, weaker ones, or
/// another algorithm): it is then re-computed at the next successful sign-in, the only moment
/// the password is known.
pub fn needs_rehash(stored: &str) -> bool {
    let Ok(hash) = argon2::PasswordHash::new(stored) else {
        return true;
    };
    if hash.algorithm != argon2::ARGON2ID_IDENT || hash.version != Some(Version::V0x13 as u32) {
        return true;
    }
    Params::try_from(&hash).map_or(true, |p| {
        (p.m_cost(), p.t_cost(), p.p_cost()) != (MEMORY_KIB, ITERATIONS, PARALLELISM)
    })
}

/// Whether `password` matches the stored PHC string. Blocking.
pub fn verify_now(password: &SecretString, stored: &str) -> bool {
    argon2()
        .verify_password(password.expose_secret().as_bytes(), stored)
        .is_ok()
}

/// The bounded pool.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
    /// A hash of a random password, verified against when the login is unknown so that unknown
    /// and known logins take the same time.
    dummy: Arc<String>,
}

impl Hasher {
    pub fn new(workers: usize, max_waiting: usize) -> Self {
        let dummy = hash_now(&crate::secret::generate("")).unwrap_or_default();
        Self {
            permits: Arc::new(Semaphore::new(workers.max(1))),
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting,
            dummy: Arc::new(dummy),
        }
    }

    /// One worker per core, and up to 64 callers waiting per worker.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::new(cores, cores * 64)
    }

    async fn run<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(Error::Busy);
        }
        let permit = self.permits.clone().acquire_owned().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let permit = permit.map_err(|_| Error::Busy)?;
        let out = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            job()
        })
        .await
        .map_err(|e| Error::Internal(format!("hashing task: {e}")))?;
        Ok(out)
    }

    pub async fn hash(&self, password: SecretString) -> Result<String> {
        self.run(move || hash_now(&password)).await?
    }

    /// Verifies against `stored`, or against a dummy hash when there is none, so that the
    /// answer takes as long either way. A right password whose hash has outdated parameters
    /// comes back with its new hash, computed in the same job.
    pub async fn verify(&self, password: SecretString, stored: Option<String>) -> Result<Verdict> {
        let dummy = self.dummy.clone();
        self.run(move || match stored {
            Some(h) if verify_now(&password, &h) => Verdict::Right {
                new_hash: needs_rehash(&h).then(|| hash_now(&password).ok()).flatten(),
            },
            Some(_) => Verdict::Wrong,
            None => {
                verify_now(&password, &dummy);
                Verdict::Wrong
            }
        })
        .await
    }
}

/// The outcome of checking a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Wrong,
    /// `new_hash` replaces the stored one, made with outdated parameters.
    Right {
        new_hash: Option<String>,
    },
}

impl Verdict {
    pub fn is_right(&self) -> bool {
        matches!(self, Verdict::Right { .. })
    }
}

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
