//! Slowing down password guessing, without locking real people out for long.
//!
//! Failures are counted per account and per source address. An account gets a few free
//! failures, then each further one blocks it for a delay that doubles up to a few minutes: an
//! attacker gets a dozen guesses an hour, and the real person waits minutes, not days. The
//! address counter has a much higher threshold, so that the colleagues who share an office's
//! address are not locked out by one attacked account, while one machine cannot try thousands
//! of accounts. While blocked, attempts are answered `429` without even checking the password.
//! Unknown logins are counted like known ones, under the login typed.

use crate::{App, Result};
use sesame_store::throttle::{self as store, Failures};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// When one counter starts to slow attempts down, and how much.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Failures allowed before the first delay.
    pub free: i64,
    /// Delay after the first failure past `free`; it doubles with each further one.
    pub first_delay_secs: u64,
    pub max_delay_secs: u64,
}

/// The sign-in throttle of an [`App`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub account: Limits,
    pub address: Limits,
    /// Failures older than this are forgotten.
    pub forget_after_secs: u64,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            account: Limits {
                free: 5,
                first_delay_secs: 15,
                max_delay_secs: 5 * 60,
            },
            address: Limits {
                free: 100,
                first_delay_secs: 1,
                max_delay_secs: 15 * 60,
            },
            forget_after_secs: 3600,
        }
    }
}

impl Limits {
    /// How long attempts wait after the `failures`-th failure in a row.
    pub fn delay_secs(&self, failures: i64) -> u64 {
        if failures < self.free {
            return 0;
        }
        let doublings = u32::try_from(failures - self.free)
            .unwrap_or(u32::MAX)
            .min(30);
        self.first_delay_secs
            .saturating_mul(1u64 << doublings)
            .min(self.max_delay_secs)
    }
}

/// The blocks this instance has already seen, so that a flood of attempts during a block is
/// answered without reading the database. Only blocks are kept (a block can only run out, not
/// be lifted early), so the database stays the truth shared by every instance.
#[derive(Debug, Clone, Default)]
pub struct Known(Arc<Mutex<HashMap<String, i64>>>);

/// Entries kept at most; expired ones are dropped when the map is full.
const KNOWN_MAX: usize = 10_000;

impl Known {
    /// Seconds left of a known block of `key` at `now` (milliseconds); 0 when none.
    fn wait(&self, key: &str, now: i64) -> u64 {
        let Ok(map) = self.0.lock() else { return 0 };
        map.get(key)
            .and_then(|until| u64::try_from(until - now).ok())
            .map_or(0, |ms| ms.div_ceil(1000))
    }

    /// Forgets every known block (the database's counters stay): for tests that move time.
    pub fn clear(&self) {
        if let Ok(mut map) = self.0.lock() {
            map.clear();
        }
    }

    fn remember(&self, key: &str, until: i64, now: i64) {
        let Ok(mut map) = self.0.lock() else { return };
        if map.len() >= KNOWN_MAX {
            map.retain(|_, u| *u > now);
            if map.len() >= KNOWN_MAX {
                return;
            }
        }
        map.insert(key.to_string(), until);
    }
}

/// How long an attempt from `source` must wait, from the blocks this instance knows of: the
/// first check, before anything is read.
pub fn known_wait(app: &App, source: Option<&str>, now: i64) -> u64 {
    let secs = address_key(source).map_or(0, |k| app.blocked.wait(&k, now));
    counted(app, secs)
}

/// Counts an attempt turned away (`secs` > 0) in `/metrics`: every sign-in asks
/// [`known_wait`], then [`wait`] if that let it through, so each is counted once.
fn counted(app: &App, secs: u64) -> u64 {
    if secs > 0 {
        app.metrics.sign_in(crate::metrics::SignIn::Throttled);
    }
    secs
}

/// The address counter's key; none for the command line.
fn address_key(source: Option<&str>) -> Option<String> {
    source
        .filter(|s| *s != "cli")
        .map(|s| format!("address:{s}"))
}

/// The counters of one sign-in attempt.
pub struct Keys {
    pub account: String,
    pub address: Option<String>,
    /// The counter of the device cookie the attempt came with, when it names this person
    /// ([`super::device`]): that browser then waits on it alone, not on the account's or the
    /// address's, which someone else may be filling.
    pub device: Option<String>,
}

impl Keys {
    /// `who` is the user's id when the login is known, else the login as typed.
    pub fn new(org_id: &str, who: &str, source: Option<&str>) -> Self {
        Self {
            account: format!("account:{org_id}:{who}"),
            address: address_key(source),
            device: None,
        }
    }

    /// The same attempt, from a browser whose device cookie names this person.
    pub fn with_device(mut self, device: Option<&super::device::Device>) -> Self {
        self.device = device.map(super::device::Device::counter);
        self
    }

    /// Every counter of the attempt, and the limits each is held to: a failure counts on all.
    fn all<'a>(&'a self, policy: &Policy) -> Vec<(&'a str, Limits)> {
        std::iter::once((self.account.as_str(), policy.account))
            .chain(self.address.as_deref().map(|a| (a, policy.address)))
            .chain(self.device.as_deref().map(|d| (d, policy.account)))
            .collect()
    }

    /// Whether the attempt waits on `key`: the device's counter alone when there is one.
    fn waits_on(&self, key: &str) -> bool {
        match &self.device {
            Some(d) => key == d,
            None => true,
        }
    }

    /// The counter a success forgets: the device's with one (the account's failures came from
    /// elsewhere and keep slowing whoever made them), else the account's.
    fn forgotten_on_success(&self) -> &str {
        self.device.as_deref().unwrap_or(&self.account)
    }
}

/// Seconds left to wait after `f`, at `now` (milliseconds).
fn wait_secs(limits: &Limits, f: Option<Failures>, now: i64, forget_ms: i64) -> u64 {
    let Some(f) = f else { return 0 };
    if f.last_at < now - forget_ms {
        return 0;
    }
    let until =
        f.last_at + i64::try_from(limits.delay_secs(f.count)).unwrap_or(i64::MAX / 2) * 1000;
    u64::try_from(until - now).map_or(0, |ms| ms.div_ceil(1000))
}

/// What the counters say of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait {
    /// Seconds to wait; 0: the attempt may go on.
    pub secs: u64,
    /// The counter a success forgets has recent failures (see [`record_success`]).
    pub failed_before: bool,
}

/// How long this attempt must wait.
pub async fn wait(app: &App, keys: &Keys, now: i64) -> Result<Wait> {
    let policy = app.throttle;
    let all = keys.all(&policy);
    let known = all
        .iter()
        .filter(|(k, _)| keys.waits_on(k))
        .map(|(k, _)| app.blocked.wait(k, now))
        .max()
        .unwrap_or(0);
    if known > 0 {
        return Ok(Wait {
            secs: counted(app, known),
            failed_before: true,
        });
    }
    let forget = i64::try_from(policy.forget_after_secs).unwrap_or(3600) * 1000;
    let names: Vec<&str> = all.iter().map(|(k, _)| *k).collect();
    let mut conn = app.store.read().await?;
    let found = store::get(&mut conn, &names).await?;
    let mut secs = 0;
    let mut failed_before = false;
    for ((key, limits), f) in all.iter().zip(found) {
        let wait = wait_secs(limits, f, now, forget);
        remember(app, key, wait, now);
        if keys.waits_on(key) {
            secs = secs.max(wait);
        }
        failed_before |= *key == keys.forgotten_on_success() && f.is_some();
    }
    Ok(Wait {
        secs: counted(app, secs),
        failed_before,
    })
}

fn remember(app: &App, key: &str, secs: u64, now: i64) {
    if secs > 0 {
        let ms = i64::try_from(secs).unwrap_or(i64::MAX / 2_000) * 1000;
        app.blocked.remember(key, now + ms, now);
    }
}

/// What a recorded failure did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub account_failures: i64,
    /// Seconds this client is now blocked for; 0 when it is not.
    pub blocked_for_secs: u64,
}

/// Counts a failure on every counter of the attempt, inside the caller's transaction.
pub async fn record_failure(
    app: &App,
    conn: &mut sesame_store::Conn,
    keys: &Keys,
    now: i64,
) -> Result<Recorded> {
    let policy = app.throttle;
    let forget_before = now - i64::try_from(policy.forget_after_secs).unwrap_or(3600) * 1000;
    let mut account_failures = 0;
    let mut blocked = 0;
    for (key, limits) in keys.all(&policy) {
        let n = store::record(conn, key, now, forget_before).await?;
        let delay = limits.delay_secs(n);
        remember(app, key, delay, now);
        if key == keys.account {
            account_failures = n;
        }
        if keys.waits_on(key) {
            blocked = blocked.max(delay);
        }
    }
    Ok(Recorded {
        account_failures,
        blocked_for_secs: blocked,
    })
}

/// Forgets the failures a success ends, after a sign-in: the account's, or those of the
/// device cookie it came with.
pub async fn record_success(conn: &mut sesame_store::Conn, keys: &Keys) -> Result<()> {
    store::clear(conn, keys.forgotten_on_success()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_from_the_threshold_up_to_a_ceiling() {
        let p = Policy::default();
        let account: Vec<u64> = (1..=12).map(|n| p.account.delay_secs(n)).collect();
        assert_eq!(account, [0, 0, 0, 0, 15, 30, 60, 120, 240, 300, 300, 300]);
        assert_eq!(p.address.delay_secs(99), 0);
        assert_eq!(p.address.delay_secs(100), 1);
        assert_eq!(p.address.delay_secs(110), 900);
        assert_eq!(p.account.delay_secs(i64::MAX), 300);
    }

    #[test]
    fn waits_are_counted_from_the_last_failure_and_forgotten_after_a_while() {
        let limits = Policy::default().account;
        let f = |count, last_at| Some(Failures { count, last_at });
        let forget = 3_600_000;
        assert_eq!(wait_secs(&limits, None, 10_000, forget), 0);
        assert_eq!(wait_secs(&limits, f(4, 10_000), 10_000, forget), 0);
        assert_eq!(wait_secs(&limits, f(5, 10_000), 10_000, forget), 15);
        assert_eq!(wait_secs(&limits, f(5, 10_000), 24_001, forget), 1);
        assert_eq!(wait_secs(&limits, f(5, 10_000), 25_000, forget), 0);
        assert_eq!(wait_secs(&limits, f(50, 0), forget + 1, forget), 0);
    }
}
