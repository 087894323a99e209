#![no_main]
//! Arbitrary bytes into `open_bytes` under each name hint, every row read.

use libfuzzer_sys::fuzz_target;

include!("../read_body.rs");

fuzz_target!(|data: &[u8]| {
    only_calamine_may_panic(true);
    read_all(data);
});
