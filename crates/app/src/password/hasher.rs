//! Password hashing with Argon2id, off the async runtime, in a bounded pool of its own threads.
//!
//! One hash costs one core for 10–25 ms and 19 MiB. Run on the runtime's threads it would stall
//! every other request; so hashes run on threads of their own (one per core), and their share
//! of the CPU is bounded twice:
//!
//! - the threads run at a lower scheduling priority (nice 10 on Linux): while nothing else
//!   wants the CPU they use all of it, and a request that wakes up gets a core back at once
//!   instead of queueing behind a hash — a flood of sign-ins slows sign-ins, not the rest;
//! - at most a few attempts are admitted at once ([`Hasher::admit`], checked before the
//!   sign-in even reads the database): beyond, the caller gets [`Error::Busy`] (503 with
//!   `Retry-After`) at once instead of an ever-growing wait. A few places are kept for
//!   attempts that come with a device cookie naming the person ([`Lane::Known`]), so that a
//!   flood of strangers' attempts does not turn away the people who signed in there before.
//!
//! Each thread keeps its 19 MiB of Argon2 memory from one hash to the next: allocating and
//! faulting in fresh pages every time costs about a quarter of the hash (measured in
//! bench/README.md); it gives it back after [`KEEP_MEMORY_IDLE`] without a job, so that an
//! idle server does not hold 19 MiB per core for a sign-in long past.

use crate::error::{Error, Result};
use argon2::{Algorithm, Argon2, Block, Params, PasswordHasher, PasswordVerifier, Version};
use secrecy::{ExposeSecret, SecretString};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// OWASP's minimum for Argon2id: m = 19 MiB, t = 2, p = 1.
pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

fn params() -> Params {
    Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .expect("constant Argon2 parameters are valid")
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
}

/// Hashes on the current thread. Blocking: call through [`Hasher`] from async code.
pub fn hash_now(password: &SecretString) -> Result<String> {
    argon2()
        .hash_password(password.expose_secret().as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("argon2: {e}")))
}

/// [`hash_now`] in `memory`, kept by the caller between calls: the same PHC string, without
/// faulting in 19 MiB of fresh pages (a quarter of a hash). The pool re-hashes with it, in the
/// job that verified the old hash.
pub fn hash_in(memory: &mut Vec<Block>, password: &SecretString) -> Result<String> {
    let salt: [u8; 16] = rand::random();
    let mut out = [0u8; 32];
    memory.resize(params().block_count(), Block::default());
    argon2()
        .hash_password_into_with_memory(
            password.expose_secret().as_bytes(),
            &salt,
            &mut out,
            memory.as_mut_slice(),
        )
        .map_err(|e| Error::Internal(format!("argon2: {e}")))?;
    phc_string(&salt, &out)
}

/// A PHC string with our parameters whose salt and output are random: what an unknown login is
/// verified against, so that it takes the time of a real one. Costs no hash (a hash at every
/// start cost 19 MiB and 10–25 ms before the first answer, bench/README.md "Memory"); no
/// password gives this output, as none gives a random 256-bit value.
fn dummy_hash() -> String {
    let salt: [u8; 16] = rand::random();
    let out: [u8; 32] = rand::random();
    phc_string(&salt, &out).unwrap_or_default()
}

/// The PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$output`) of our parameters.
fn phc_string(salt: &[u8], out: &[u8]) -> Result<String> {
    use argon2::password_hash::phc::{Output, ParamsString, Salt};
    let internal = |e: &dyn std::fmt::Display| Error::Internal(format!("argon2: {e}"));
    let params = params();
    let phc = argon2::PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13 as u32),
        params: ParamsString::try_from(&params).map_err(|e| internal(&e))?,
        salt: Some(Salt::new(salt).map_err(|e| internal(&e))?),
        hash: Some(Output::new(out).map_err(|e| internal(&e))?),
    };
    Ok(phc.to_string())
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

/// Whether `password` matches the stored PHC string. Blocking; allocates its memory.
pub fn verify_now(password: &SecretString, stored: &str) -> bool {
    argon2()
        .verify_password(password.expose_secret().as_bytes(), stored)
        .is_ok()
}

/// [`verify_now`] in `memory`, kept by the caller between calls. Hashes made with our
/// parameters are checked there (argon2's `hash_password_into_with_memory`, then a
/// constant-time comparison of the outputs); any other hash the usual way.
pub fn verify_in(memory: &mut Vec<Block>, password: &SecretString, stored: &str) -> bool {
    if needs_rehash(stored) {
        return verify_now(password, stored);
    }
    let Ok(hash) = argon2::PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected), Ok(params)) =
        (&hash.salt, &hash.hash, Params::try_from(&hash))
    else {
        return false;
    };
    memory.resize(params.block_count(), Block::default());
    let mut out = vec![0u8; expected.len()];
    let done = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into_with_memory(
            password.expose_secret().as_bytes(),
            salt.as_ref(),
            &mut out,
            memory.as_mut_slice(),
        );
    // `Output`'s equality is constant-time.
    done.is_ok() && argon2::password_hash::phc::Output::new(&out).is_ok_and(|o| &o == expected)
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

type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// Who is asking for a place in the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Anyone: sign-ins without a device cookie, passwords being set.
    Anyone,
    /// A sign-in with a valid device cookie: may also take the places kept for them.
    Known,
}

/// The bounded pool.
#[derive(Clone)]
pub struct Hasher {
    queue: SyncSender<Job>,
    /// The Argon2 memory of the jobs not running ([`Spare`]): the workers own it; kept here so
    /// that the tests can see it freed.
    #[cfg_attr(not(test), allow(dead_code))]
    spare: Arc<Spare>,
    /// Attempts admitted and not finished (waiting, or hashing).
    admitted: Arc<AtomicUsize>,
    /// Of those, the ones a thread is hashing now (for `/metrics`).
    running: Arc<AtomicUsize>,
    /// Attempts turned away because every place was taken, since the start (for `/metrics`).
    turned_away: Arc<AtomicU64>,
    /// Attempts admitted at most at once, and how many of those places only [`Lane::Known`]
    /// may take.
    capacity: usize,
    kept: usize,
    /// A hash with our parameters and random output ([`dummy_hash`]), verified against when
    /// the login is unknown so that unknown and known logins take the same time.
    dummy: Arc<String>,
}

/// See [`Hasher::load`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Load {
    pub waiting: usize,
    pub running: usize,
    pub turned_away: u64,
}

/// A place in the pool, from [`Hasher::admit`] until the hash is done (or the attempt given
/// up): dropping it frees the place.
#[derive(Debug)]
pub struct Admitted {
    admitted: Arc<AtomicUsize>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Hasher {
    /// `workers` threads, and up to `max_waiting` attempts waiting for them beyond those being
    /// hashed; of all those places, `workers` are kept for [`Lane::Known`]. The threads end
    /// when the last clone of the `Hasher` is dropped.
    pub fn new(workers: usize, max_waiting: usize) -> Self {
        Self::keeping_memory(workers, max_waiting, KEEP_MEMORY_IDLE)
    }

    /// [`Hasher::new`], the Argon2 memory given back after `keep` without a job.
    fn keeping_memory(workers: usize, max_waiting: usize, keep: Duration) -> Self {
        let workers = workers.max(1);
        let capacity = workers + max_waiting.max(1);
        let (queue, jobs) = std::sync::mpsc::sync_channel::<Job>(capacity);
        let jobs = Arc::new(Mutex::new(jobs));
        let spare: Arc<Spare> = Arc::default();
        for i in 0..workers {
            let jobs = jobs.clone();
            let spare = spare.clone();
            // If a thread cannot start, the others serve; with none, jobs wait and callers
            // see their reply channel close (an internal error), never a hang.
            let _ = std::thread::Builder::new()
                .name(format!("sesame-argon2-{i}"))
                .spawn(move || {
                    lower_priority();
                    work(&jobs, &spare, keep)
                });
        }
        let dummy = dummy_hash();
        Self {
            queue,
            spare,
            admitted: Arc::new(AtomicUsize::new(0)),
            running: Arc::new(AtomicUsize::new(0)),
            turned_away: Arc::new(AtomicU64::new(0)),
            capacity,
            kept: workers.min(capacity - 1),
            dummy: Arc::new(dummy),
        }
    }

    /// One worker per core, and up to 64 attempts waiting per worker (under a second behind
    /// the others at 11–14 ms a hash), then 503. The queue's length does not slow the rest of
    /// the server (the hashing threads yield to it); a shorter one would turn a flood into a
    /// storm of 503s, each sent straight back, that costs more than the waiting (measured in
    /// bench/README.md: 64 flooding clients against 34 places, 4,400 answers/s).
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::new(cores, cores * 64)
    }

    /// A place in the pool for one attempt, or [`Error::Busy`] when every place open to `lane`
    /// is taken. Cheap: ask it before any other work.
    pub fn admit(&self, lane: Lane) -> Result<Admitted> {
        let limit = match lane {
            Lane::Anyone => self.capacity - self.kept,
            Lane::Known => self.capacity,
        };
        self.admitted
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < limit).then_some(n + 1)
            })
            .map_err(|_| {
                self.turned_away.fetch_add(1, Ordering::Relaxed);
                Error::Busy
            })?;
        Ok(Admitted {
            admitted: self.admitted.clone(),
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        place: Admitted,
        job: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let running = self.running.clone();
        let job: Job = Box::new(move |memory| {
            running.fetch_add(1, Ordering::Relaxed);
            let done = job(memory);
            running.fetch_sub(1, Ordering::Relaxed);
            // Freed before the answer, so that whoever reads it finds the pool as it is.
            drop(place);
            let _ = reply.send(done);
        });
        match self.queue.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(Error::Busy),
            Err(TrySendError::Disconnected(_)) => {
                return Err(Error::Internal("the hashing threads have stopped".into()));
            }
        }
        answer
            .await
            .map_err(|_| Error::Internal("a hashing job was lost".into()))
    }

    /// How full the pool is now: attempts admitted that wait (for a thread, or for their
    /// reading of the database before it), attempts being hashed, and attempts turned away
    /// since the start. For `/metrics`; a snapshot, the figures move while read.
    pub fn load(&self) -> Load {
        let admitted = self.admitted.load(Ordering::Relaxed);
        let running = self.running.load(Ordering::Relaxed).min(admitted);
        Load {
            waiting: admitted - running,
            running,
            turned_away: self.turned_away.load(Ordering::Relaxed),
        }
    }

    /// Hashes a new password (setting or changing one).
    pub async fn hash(&self, password: SecretString) -> Result<String> {
        let place = self.admit(Lane::Anyone)?;
        self.run(place, move |_| hash_now(&password)).await?
    }

    /// Verifies against `stored`, in a place of the pool admitted beforehand, or against a
    /// dummy hash when there is none, so that the answer takes as long either way. A right
    /// password whose hash has outdated parameters comes back with its new hash, computed in
    /// the same job.
    ///
    /// A hash brought over from WordPress ([`super::legacy`]) is verified as WordPress does;
    /// a right password then gets its Argon2id hash, a wrong one is also checked against the
    /// dummy hash, so that both answers take the legacy check plus one Argon2 (the same time
    /// either way, and no faster than an ordinary wrong password).
    pub async fn verify_admitted(
        &self,
        place: Admitted,
        password: SecretString,
        stored: Option<String>,
    ) -> Result<Verdict> {
        let dummy = self.dummy.clone();
        let legacy = stored
            .as_deref()
            .and_then(|h| sesame_core::LegacyHash::parse(h).ok());
        self.run(place, move |memory| match (stored, legacy) {
            (Some(_), Some(legacy)) => {
                if super::legacy::verify(password.expose_secret(), &legacy) {
                    Verdict::Right {
                        new_hash: hash_in(memory, &password).ok(),
                    }
                } else {
                    verify_in(memory, &password, &dummy);
                    Verdict::Wrong
                }
            }
            (Some(h), None) if verify_in(memory, &password, &h) => Verdict::Right {
                new_hash: needs_rehash(&h).then(|| hash_now(&password).ok()).flatten(),
            },
            (Some(_), None) => Verdict::Wrong,
            (None, _) => {
                verify_in(memory, &password, &dummy);
                Verdict::Wrong
            }
        })
        .await
    }

    /// [`Self::verify_admitted`], asking for a place of [`Lane::Anyone`] first.
    pub async fn verify(&self, password: SecretString, stored: Option<String>) -> Result<Verdict> {
        let place = self.admit(Lane::Anyone)?;
        self.verify_admitted(place, password, stored).await
    }
}

/// Lowers the calling thread's scheduling priority (nice 10), so that the server's other work
/// preempts hashing. Best effort: where it cannot, hashing runs at normal priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority take and return plain integers; on Linux, PRIO_PROCESS
    // with a thread id changes that thread only.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        let _ = libc::setpriority(libc::PRIO_PROCESS, tid, 10);
    }
}

/// How long the hashing threads keep their Argon2 memory (19 MiB each) with no job: a burst of
/// sign-ins reuses it, a server that nobody signed in to for a while gives it back.
pub const KEEP_MEMORY_IDLE: Duration = Duration::from_secs(30);

/// The Argon2 memory of the jobs not running: a thread takes one for its job (or starts a new
/// one) and puts it back after. Kept in one place rather than by each thread, so that whichever
/// thread sees the queue idle for [`KEEP_MEMORY_IDLE`] frees them all (a thread waiting for the
/// queue's lock could not free its own).
type Spare = Mutex<Vec<Vec<Block>>>;

/// A hashing thread: takes jobs until every sender is gone.
fn work(jobs: &Mutex<Receiver<Job>>, spare: &Spare, keep: Duration) {
    let spare = || spare.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        // Never a wait without end: a job finished on another thread may have put memory back
        // since this one began waiting.
        let job = match jobs.lock() {
            Ok(rx) => rx.recv_timeout(keep),
            Err(_) => return,
        };
        match job {
            Ok(job) => {
                let mut memory = spare().pop().unwrap_or_default();
                job(&mut memory);
                spare().push(memory);
            }
            Err(RecvTimeoutError::Timeout) => spare().clear(),
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifying_in_kept_memory_agrees_with_argon2() {
        let right = SecretString::from("tartine beurre confiture".to_string());
        let wrong = SecretString::from("tartine beurre confitures".to_string());
        let stored = hash_now(&right).expect("hash");
        let old = hash_with_params(&right, 4096, 1, 1).expect("hash");
        let mut memory = Vec::new();
        for _ in 0..2 {
            assert!(verify_in(&mut memory, &right, &stored));
            assert!(!verify_in(&mut memory, &wrong, &stored));
            assert!(verify_in(&mut memory, &right, &old));
            assert!(!verify_in(&mut memory, &wrong, &old));
        }
        assert!(!verify_in(&mut memory, &right, "$argon2id$v=19$garbage"));
        // A hash whose output was altered does not verify.
        let mut altered = stored.clone();
        let last = altered.pop().expect("char");
        altered.push(if last == 'A' { 'B' } else { 'A' });
        assert!(!verify_in(&mut memory, &right, &altered));
    }

    #[test]
    fn hashing_in_kept_memory_makes_our_phc_strings() {
        let right = SecretString::from("tartine beurre confiture".to_string());
        let mut memory = Vec::new();
        let a = hash_in(&mut memory, &right).expect("hash");
        let b = hash_in(&mut memory, &right).expect("hash");
        assert_ne!(a, b, "a new salt each time");
        for h in [&a, &b] {
            assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
            assert!(!needs_rehash(h));
            assert!(verify_now(&right, h), "argon2 itself agrees");
            assert!(verify_in(&mut memory, &right, h));
        }
    }

    #[test]
    fn the_dummy_hash_has_our_parameters_and_matches_nothing() {
        let dummy = dummy_hash();
        assert!(
            dummy.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{dummy}"
        );
        assert!(
            !needs_rehash(&dummy),
            "verified in the kept memory, as real hashes are"
        );
        assert_ne!(dummy, dummy_hash(), "random salt and output");
        let mut memory = Vec::new();
        for p in ["", "x", "tartine beurre confiture"] {
            assert!(!verify_in(
                &mut memory,
                &SecretString::from(p.to_string()),
                &dummy
            ));
        }
        assert_eq!(
            memory.len(),
            params().block_count(),
            "a whole Argon2 hash was computed"
        );
    }

    #[tokio::test]
    async fn the_argon2_memory_is_given_back_when_idle() {
        let pool = Hasher::keeping_memory(1, 1, Duration::from_millis(500));
        // The thread puts the memory back just after it answers: wait for it a little.
        let spare = async |pool: &Hasher, want: usize| {
            for _ in 0..100 {
                if pool.spare.lock().expect("spare").len() == want {
                    return true;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            false
        };
        let p = |s: &str| SecretString::from(s.to_string());
        let stored = hash_now(&p("x")).expect("hash");
        let verdict = pool.verify(p("x"), Some(stored.clone())).await;
        assert!(verdict.expect("verified").is_right());
        assert!(spare(&pool, 1).await, "kept after the job");
        // Jobs closer together than the delay keep reusing it.
        for _ in 0..3 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let v = pool.verify(p("y"), Some(stored.clone())).await;
            assert!(!v.expect("verified").is_right());
            assert!(spare(&pool, 1).await);
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert!(spare(&pool, 0).await, "freed after the delay without a job");
        let verdict = pool.verify(p("x"), Some(stored)).await;
        assert!(
            verdict.expect("verified").is_right(),
            "and made again on the next"
        );
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy_at_once() {
        let pool = Hasher::new(1, 1);
        let p = || SecretString::from("x".to_string());
        let (a, b, c) = tokio::join!(
            pool.verify(p(), None),
            pool.verify(p(), None),
            pool.verify(p(), None)
        );
        let busy = [&a, &b, &c]
            .iter()
            .filter(|r| matches!(r, Err(Error::Busy)))
            .count();
        assert!(busy >= 1, "{a:?} {b:?} {c:?}");
        assert!(a.is_ok(), "the first one is served");
        // What `/metrics` reads: the turned-away attempts counted, nothing left waiting.
        let load = pool.load();
        assert_eq!(load.turned_away, busy as u64);
        assert_eq!((load.waiting, load.running), (0, 0));
    }

    #[test]
    fn places_are_kept_for_known_devices_and_freed_when_done() {
        // 2 workers, 2 waiting: 4 places, 2 of them kept.
        let pool = Hasher::new(2, 2);
        let a = pool.admit(Lane::Anyone).expect("first");
        let b = pool.admit(Lane::Anyone).expect("second");
        assert_eq!(pool.load().waiting, 2, "admitted, not yet hashing");
        assert!(matches!(pool.admit(Lane::Anyone), Err(Error::Busy)));
        let c = pool.admit(Lane::Known).expect("kept place");
        let d = pool.admit(Lane::Known).expect("kept place");
        assert!(matches!(pool.admit(Lane::Known), Err(Error::Busy)));
        drop((a, c, d));
        let _e = pool.admit(Lane::Anyone).expect("freed");
        drop(b);
    }
}
