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
    /// answer takes as long either way.
    pub async fn verify(&self, password: SecretString, stored: Option<String>) -> Result<bool> {
        let dummy = self.dummy.clone();
        self.run(move || match stored {
            Some(h) => verify_now(&password, &h),
            None => {
                verify_now(&password, &dummy);
                false
            }
        })
        .await
    }
}

/// The length rules of the password policy (the sign-in issue adds the rest).
pub fn check_policy(password: &SecretString) -> std::result::Result<(), sesame_core::Invalid> {
    let n = password.expose_secret().chars().count();
    if n < 8 {
        return Err(sesame_core::Invalid::new("password.too_short").with("min", "8"));
    }
    if n > 256 {
        return Err(sesame_core::Invalid::new("password.too_long").with("max", "256"));
    }
    Ok(())
}
