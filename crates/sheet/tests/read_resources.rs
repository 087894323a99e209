//! What reading costs besides time: memory, counted by a global allocator of this binary's own
//! (every thread's allocations, the reader's included), and threads. The tests take turns, so
//! that one's allocations do not show in another's peak.

mod hand_made;

use hand_made::{ods, worksheet, xlsx};
use sesame_sheet::{Column, Format, Limits, Workbook, open_bytes};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call goes to `System` unchanged; the counters are only read by the tests.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(p, layout) };
        NOW.fetch_sub(layout.size(), Ordering::SeqCst);
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let q = unsafe { System.realloc(p, layout, size) };
        if !q.is_null() {
            NOW.fetch_sub(layout.size(), Ordering::SeqCst);
            grew(size);
        }
        q
    }
}

fn grew(size: usize) {
    let now = NOW.fetch_add(size, Ordering::SeqCst) + size;
    PEAK.fetch_max(now, Ordering::SeqCst);
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

static TURN: Mutex<()> = Mutex::new(());

/// `f`'s result and the most it had allocated at once, beyond what was allocated before.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = NOW.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let out = f();
    (out, PEAK.load(Ordering::SeqCst).saturating_sub(before))
}

const MB: usize = 1024 * 1024;

/// A members' file as the template and the exports write it: 8 columns of `rows` rows.
fn members_xlsx(rows: usize) -> Vec<u8> {
    let headers = [
        "Courriel",
        "Prénom",
        "Nom",
        "Téléphone",
        "Langue",
        "Rôles",
        "Groupes",
        "Ville",
    ];
    let book = Workbook {
        sheet_name: "Membres".into(),
        columns: headers
            .iter()
            .map(|h| Column {
                header: h.to_string(),
                style: None,
                width: 20.0,
                choices: None,
            })
            .collect(),
        rows: (0..rows)
            .map(|i| {
                vec![
                    format!("membre{i}@exemple.fr"),
                    "Zoé".into(),
                    "Lefèvre".into(),
                    format!(
                        "06 12 {:02} {:02} {:02}",
                        i % 100,
                        i / 100 % 100,
                        i / 10_000
                    ),
                    "fr".into(),
                    "Amapien".into(),
                    "Panier légumes".into(),
                    "Saint-Étienne".into(),
                ]
            })
            .collect(),
        instructions: None,
        csv_delimiter: b';',
    };
    sesame_sheet::write(Format::Xlsx, &book).unwrap()
}

/// An XLSX is read as it goes: what reading 50,000 rows holds at once beyond the file's bytes
/// (already allocated) is a few rows and calamine's buffers, 0.2 MB, not the rows' 4 MB of
/// text (gathering the sheet first, as the reader did, held 21 MB).
#[test]
fn xlsx_memory_stays_flat() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let bytes = members_xlsx(50_000);
    let ((rows, text), peak) = peak_during(|| {
        let sheet = open_bytes(bytes, "m.xlsx", &["Membres"], &Limits::default()).unwrap();
        let mut rows = 0;
        let mut text = 0;
        for row in sheet {
            let row = row.unwrap();
            rows += 1;
            text += row.cells.iter().map(String::len).sum::<usize>();
        }
        (rows, text)
    });
    assert_eq!(rows, 50_001);
    assert!(text > 4 * MB, "{text}");
    assert!(peak < MB, "peak {peak}");
}

/// An ODS of a few hundred bytes whose repetitions would make calamine build 16,384 × 1,000,000
/// cells (of which its own caps allow 3 GB): refused by the check before calamine, which
/// holds a few buffers.
#[test]
fn an_ods_bomb_costs_nothing() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let bytes = ods(concat!(
        r#"<table:table table:name="Membres"><table:table-row><table:table-cell office:value-type="string"><text:p>Courriel</text:p></table:table-cell></table:table-row>"#,
        r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string" table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#,
    ));
    assert!(bytes.len() < 2000, "{}", bytes.len());
    let started = Instant::now();
    let (read, peak) = peak_during(|| open_bytes(bytes, "m.ods", &[], &Limits::default()));
    assert_eq!(read.unwrap_err().code(), "sheet.unpacked_too_big");
    assert!(peak < MB, "peak {peak}");
    assert!(started.elapsed() < Duration::from_secs(1));
}

/// The reader's threads: named so that they can be counted.
#[cfg(target_os = "linux")]
fn reader_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.trim() == "sesame-xlsx")
        .count()
}

/// The importer stops after a few rows (a bad header, say): dropping the sheet ends the thread
/// reading it, at its next row, without reading the file through.
#[cfg(target_os = "linux")]
#[test]
fn an_xlsx_reader_thread_ends_with_its_sheet() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let cells: String = (1..=100_000)
        .map(|i| format!(r#"<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>"#))
        .collect();
    let bytes = xlsx(&worksheet(&cells), zip::CompressionMethod::Deflated);
    let mut sheet = open_bytes(bytes, "m.xlsx", &[], &Limits::default()).unwrap();
    assert_eq!(sheet.next().unwrap().unwrap().number, 1);
    assert_eq!(reader_threads(), 1);
    drop(sheet);
    let started = Instant::now();
    while reader_threads() > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the thread is still there"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}
