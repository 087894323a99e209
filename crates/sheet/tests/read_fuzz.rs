//! The fuzz target's body (crates/sheet/fuzz/read_body.rs) over every fixture and a few
//! thousand seeded mutations of them, so that CI exercises it without cargo-fuzz. Same seed,
//! same inputs: a failure here is reproducible.

#[path = "../fuzz/read_body.rs"]
mod body;

use std::path::PathBuf;

/// xorshift64*: enough randomness for mutations, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/import");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "md" && e != "py"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// One of the mutations libFuzzer starts with: flip bytes, insert or delete a run, overwrite
/// with interesting values, truncate, duplicate a chunk.
fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = data.len();
        match rng.below(6) {
            0 if len > 0 => {
                let at = rng.below(len);
                data[at] ^= 1 << rng.below(8);
            }
            1 => {
                let at = rng.below(len + 1);
                let run: Vec<u8> = (0..1 + rng.below(16)).map(|_| rng.next() as u8).collect();
                data.splice(at..at, run);
            }
            2 if len > 0 => {
                let at = rng.below(len);
                let end = (at + 1 + rng.below(64)).min(len);
                data.drain(at..end);
            }
            3 if len > 0 => {
                const INTERESTING: [u8; 8] = [0, 0xFF, 0x7F, 0x80, b'"', b';', b'\n', b'<'];
                let at = rng.below(len);
                data[at] = INTERESTING[rng.below(INTERESTING.len())];
            }
            4 if len > 0 => data.truncate(rng.below(len)),
            5 if len > 0 => {
                let at = rng.below(len);
                let end = (at + 1 + rng.below(256)).min(len);
                let chunk = data[at..end].to_vec();
                let to = rng.below(len + 1);
                data.splice(to..to, chunk);
            }
            _ => {}
        }
    }
    data
}

#[test]
fn fixtures_and_their_mutations_never_panic() {
    body::only_calamine_may_panic(false);
    let fixtures = fixtures();
    assert!(fixtures.len() >= 20, "{}", fixtures.len());
    for (_, bytes) in &fixtures {
        body::read_all(bytes);
    }
    let mut rng = Rng(0x5E5A_4E5E_5A4E_0001);
    let started = std::time::Instant::now();
    let mut runs = 0;
    // A few thousand, bounded in time too (a debug build on a slow machine).
    while runs < 3000 && started.elapsed().as_secs() < 4 {
        let (name, bytes) = &fixtures[rng.below(fixtures.len())];
        let input = mutate(&mut rng, bytes);
        let result = std::panic::catch_unwind(|| body::read_all(&input));
        if result.is_err() || body::FOREIGN_PANIC.load(std::sync::atomic::Ordering::SeqCst) {
            let path = std::env::temp_dir().join(format!("sesame-read-crash-{runs}"));
            std::fs::write(&path, &input).unwrap();
            panic!(
                "mutation {runs} of {name} panicked; input saved in {}",
                path.display()
            );
        }
        runs += 1;
    }
    assert!(runs >= 500, "only {runs} inputs in the time allowed");
}
