//! Memory the server gives back to the system.
//!
//! mimalloc keeps what a thread frees for a while (its `purge_delay`, 1 s) so that the next
//! allocations reuse it, and gives it back only when some thread next allocates or frees
//! through the same arena after that delay. A server that goes quiet — right after start, or
//! after a burst of requests — makes no such call, and kept what it had freed for ever: 25 of
//! the 37 MiB of heap just after start (bench/README.md, "Memory"). [`give_back_every`] makes
//! that call on a schedule instead.

use std::time::Duration;

/// How often the server gives back what it freed: rarely enough to cost nothing (one pass over
/// mimalloc's arenas, a few `madvise` calls), often enough that an idle server holds no more
/// than it uses.
pub const GIVE_BACK_EVERY: Duration = Duration::from_secs(2);

/// Gives back to the system every page mimalloc holds free, now, whichever thread freed it.
pub fn give_back() {
    // SAFETY: `mi_collect` takes a plain flag and only returns memory no allocation uses
    // (with `force`, without waiting for the purge delay); it may be called from any thread.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// Calls [`give_back`] shortly after start (once the start-up's own allocations are freed),
/// then every [`GIVE_BACK_EVERY`], until the process ends.
pub async fn give_back_every() {
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut ticks = tokio::time::interval(GIVE_BACK_EVERY);
    loop {
        ticks.tick().await;
        give_back();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `give_back` is for: a large block freed comes off the resident set at once,
    /// instead of after the purge delay and the next allocation.
    #[test]
    fn freed_memory_leaves_the_resident_set() {
        let rss_kib = || {
            std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find(|l| l.starts_with("VmRSS:"))
                        .and_then(|l| l.split_whitespace().nth(1)?.parse::<i64>().ok())
                })
        };
        let Some(before) = rss_kib() else {
            return; // not Linux: nothing to read
        };
        let block = vec![1u8; 64 << 20];
        std::hint::black_box(&block);
        let held = rss_kib().unwrap_or(0);
        assert!(
            held - before > 60 << 10,
            "the block is resident: {before} → {held} KiB"
        );
        drop(block);
        give_back();
        let after = rss_kib().unwrap_or(i64::MAX);
        assert!(held - after > 60 << 10, "given back: {held} → {after} KiB");
    }
}
