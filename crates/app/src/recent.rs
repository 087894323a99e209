//! What this instance read from the database less than a second ago about a bearer token (who
//! holds it, the claims it opens), kept so that an application calling with the same token many
//! times a second reads the database once.
//!
//! The guarantee (held by the tests below and by `tests/it/token_freshness.rs`): an entry is
//! used only while it is younger than [`FRESH_FOR`], counted from *before* the read that filled
//! it, and only while no write has committed through this instance since that read began. So a
//! change made through this instance (a session ended, a role taken back, a person disabled) is
//! seen by its next request, and one made through another instance sharing the database within
//! one second. Nothing here is state another instance needs: losing every entry costs reads,
//! never correctness, and refusals are never kept (a wrong token always reaches the database).
//!
//! Written by hand rather than with a cache crate: the rule that matters (age from the read's
//! start, and the instance's write count) is ours either way, and it is a map behind a lock.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long an answer read from the database may be reused.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

/// Entries kept at most; past it, stale ones go, and if that is not enough, all of them.
const MAX_ENTRIES: usize = 16_384;

/// How many writes this instance has committed ([`crate::work::Work::commit`] counts them).
/// Shared by every [`Recent`] of an [`crate::App`].
#[derive(Clone, Default)]
pub struct Writes(Arc<AtomicU64>);

impl Writes {
    fn seen(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// Called after every commit: every entry read before it is stale from now on.
    pub(crate) fn committed(&self) {
        self.0.fetch_add(1, Ordering::Release);
    }
}

/// The moment a read began: taken before the query, handed to [`Recent::keep`] after.
#[derive(Clone, Copy)]
pub struct Reading {
    at: Instant,
    writes: u64,
}

struct Entry<V> {
    read: Reading,
    value: V,
}

/// Answers read less than [`FRESH_FOR`] ago, by key (a token's hash).
pub struct Recent<V> {
    writes: Writes,
    entries: Arc<Mutex<HashMap<String, Entry<V>>>>,
}

impl<V> Clone for Recent<V> {
    fn clone(&self) -> Self {
        Self {
            writes: self.writes.clone(),
            entries: self.entries.clone(),
        }
    }
}

impl<V: Clone> Recent<V> {
    pub fn new(writes: Writes) -> Self {
        Self {
            writes,
            entries: Arc::default(),
        }
    }

    /// Marks the start of a read whose answer may be kept.
    pub fn reading(&self) -> Reading {
        Reading {
            at: Instant::now(),
            writes: self.writes.seen(),
        }
    }

    fn fresh(&self, read: &Reading, now: Instant) -> bool {
        read.writes == self.writes.seen() && now.duration_since(read.at) < FRESH_FOR
    }

    /// The answer kept for `key`, if it is still fresh.
    pub fn get(&self, key: &str) -> Option<V> {
        let now = Instant::now();
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|e| self.fresh(&e.read, now))
            .map(|e| e.value.clone())
    }

    /// Keeps `value`, read from the database by a read that began at `read`.
    pub fn keep(&self, key: String, read: Reading, value: V) {
        let now = Instant::now();
        if !self.fresh(&read, now) {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, e| self.fresh(&e.read, now));
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(key, Entry { read, value });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_reused_until_a_write_commits() {
        let writes = Writes::default();
        let recent = Recent::new(writes.clone());
        let read = recent.reading();
        recent.keep("a".into(), read, 1);
        assert_eq!(recent.get("a"), Some(1));
        assert_eq!(recent.get("b"), None);
        writes.committed();
        assert_eq!(
            recent.get("a"),
            None,
            "a commit makes every earlier read stale"
        );
    }

    #[test]
    fn a_read_overtaken_by_a_write_is_not_kept() {
        let writes = Writes::default();
        let recent = Recent::new(writes.clone());
        let read = recent.reading();
        writes.committed(); // while the query ran
        recent.keep("a".into(), read, 1);
        assert_eq!(recent.get("a"), None);
    }

    #[test]
    fn an_answer_is_not_reused_after_a_second() {
        let recent = Recent::new(Writes::default());
        let old = Reading {
            at: Instant::now() - FRESH_FOR,
            writes: 0,
        };
        recent.keep("a".into(), old, 1);
        assert_eq!(recent.get("a"), None, "not kept: already a second old");
        let entries_len = recent.entries.lock().unwrap().len();
        assert_eq!(entries_len, 0);
        // Kept while fresh, then judged stale by its age at the time of use.
        let almost = Reading {
            at: Instant::now() - (FRESH_FOR - Duration::from_millis(50)),
            writes: 0,
        };
        recent.keep("b".into(), almost, 2);
        assert_eq!(recent.get("b"), Some(2));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(recent.get("b"), None);
    }

    #[test]
    fn the_map_stays_bounded() {
        let recent = Recent::new(Writes::default());
        for i in 0..MAX_ENTRIES + 10 {
            let read = recent.reading();
            recent.keep(i.to_string(), read, i);
        }
        assert!(recent.entries.lock().unwrap().len() <= MAX_ENTRIES);
    }
}
