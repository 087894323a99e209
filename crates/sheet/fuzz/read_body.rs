// What the fuzz target and the `read_fuzz` test both run on each input: open it under every
// name hint and read every row, checking what `Row` promises. Shared by path (`#[path]` in the
// test, `include!` in the target) so the two cannot drift apart.

use sesame_sheet::{Limits, open_bytes};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set when code other than calamine panicked (even if something caught it).
pub static FOREIGN_PANIC: AtomicBool = AtomicBool::new(false);

/// calamine panics on some malformed files and `open_bytes` turns those panics into
/// `sheet.corrupt`; any other panic is a bug of ours, reported even when caught: with `abort`
/// (what libFuzzer needs to see it) or in [`FOREIGN_PANIC`].
pub fn only_calamine_may_panic(abort: bool) {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info
                .location()
                .is_some_and(|l| l.file().contains("/calamine-"))
            {
                return;
            }
            FOREIGN_PANIC.store(true, Ordering::SeqCst);
            default(info);
            if abort {
                std::process::abort();
            }
        }));
    });
}

/// Limits small enough that a fuzz input reaching one stops quickly.
pub const LIMITS: Limits = Limits {
    max_file_bytes: 4 * 1024 * 1024,
    max_unpacked_bytes: 64 * 1024 * 1024,
    max_rows: 20_000,
    max_cell_chars: 10_000,
    max_columns: 200,
};

pub const NAMES: [&str; 6] = ["m.xlsx", "m.ods", "m.xls", "m.csv", "m.txt", "m"];

pub fn read_all(data: &[u8]) {
    for name in NAMES {
        let Ok(sheet) = open_bytes(data.to_vec(), name, &["Membres"], &LIMITS) else {
            continue;
        };
        let mut last = 0;
        let mut count = 0;
        for row in sheet {
            let Ok(row) = row else { break };
            count += 1;
            assert!(row.number > last, "row numbers increase");
            last = row.number;
            assert!(!row.cells.is_empty() && row.cells.len() <= LIMITS.max_columns);
            assert!(row.cells.last().is_some_and(|c| !c.is_empty()));
            for cell in &row.cells {
                assert!(cell.chars().count() <= LIMITS.max_cell_chars);
                assert_eq!(cell.trim(), cell, "cells are trimmed");
            }
        }
        assert!(count <= LIMITS.max_rows + 1);
    }
}
