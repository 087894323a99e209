//! Reading a spreadsheet row by row, whatever produced it.
//!
//! The format comes from the content — a zip is an XLSX or an ODS by what it holds, an OLE
//! container an XLS (or a password-protected XLSX), anything else text — and the file's name is
//! only a hint (text named `.xlsx` is refused rather than read as CSV: it is not the file the
//! person meant). Every format ends in the same [`Row`]s: cells as text, trimmed, empty rows
//! skipped but counted. Nothing here panics or allocates beyond [`Limits`] on any input; the
//! `read_fuzz` test and the cargo-fuzz target in `crates/sheet/fuzz` hold that line. (For XLS
//! and ODS, which calamine builds whole, that means checking what it would build first: see
//! `ods.rs` and `xls.rs`, the latter for the two amplifications not yet counted.)

mod book;
mod cell;
mod error;
mod ods;
mod ole;
mod text;
mod xls;
mod xlsx;

pub use error::ReadError;

use crate::{Format, Limits};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// One row as the spreadsheet shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row's number in the spreadsheet (the header is usually 1); empty rows are skipped
    /// but still counted, so the number is the one the person sees.
    pub number: usize,
    /// Each cell as text: trimmed (spaces, tabs, non-breaking spaces), numbers without a
    /// useless `.0` (a phone typed as a number keeps its digits), dates as `YYYY-MM-DD`
    /// (`YYYY-MM-DD HH:MM` with a time), formulas as their cached value (never evaluated),
    /// booleans as `true`/`false`, errors (`#N/A`) as empty. Trailing empty cells are dropped:
    /// rows may be shorter than the header, never empty.
    pub cells: Vec<String>,
}

/// An open sheet: its rows, non-empty ones only, in order, the header first. CSV and XLSX are
/// read as they go (a 1,000,000-row file is never in memory whole: an XLSX is read on a thread
/// of its own a few hundred rows ahead) and a limit broken or damage met on the way ends the
/// rows with its error; XLS and ODS are read whole at opening (calamine reads them no other
/// way), where their errors show.
pub struct Sheet {
    pub format: Format,
    /// The sheet read (none for CSV).
    pub name: Option<String>,
    rows: Rows,
}

/// Rows as a reader gives them; after an error, none.
type Rows = Box<dyn Iterator<Item = Result<Row, ReadError>> + Send>;

impl Iterator for Sheet {
    type Item = Result<Row, ReadError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.rows.next()
    }
}

impl std::fmt::Debug for Sheet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sheet")
            .field("format", &self.format)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

const ZIP_MAGIC: [&[u8]; 2] = [b"PK\x03\x04", b"PK\x05\x06"];
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Opens `path`: the format from its content (zip → XLSX or ODS, OLE → XLS, else CSV) and its
/// name; the sheet named like one of `preferred` (the template's; case and accents ignored),
/// else the first non-empty one. A file with no cell is [`ReadError::Empty`], one with only a
/// header row [`ReadError::HeadersOnly`].
pub fn open(path: &Path, preferred: &[&str], limits: &Limits) -> Result<Sheet, ReadError> {
    let io = |e: std::io::Error| ReadError::Io {
        detail: e.to_string(),
    };
    let mut file = File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    check_size(size, limits)?;
    let mut magic = [0u8; 8];
    let mut got = 0;
    while got < magic.len() {
        match file.read(&mut magic[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io(e)),
        }
    }
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let hint = Format::from_path(path);
    if is_workbook(&magic[..got]) {
        let mut bytes = Vec::with_capacity(size as usize);
        file.take(limits.max_file_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(io)?;
        check_size(bytes.len() as u64, limits)?;
        return open_workbook(bytes, hint, preferred, limits);
    }
    open_text(file, got, hint, limits)
}

/// As [`open`], from bytes (an upload) with the file's name.
pub fn open_bytes(
    bytes: Vec<u8>,
    name: &str,
    preferred: &[&str],
    limits: &Limits,
) -> Result<Sheet, ReadError> {
    check_size(bytes.len() as u64, limits)?;
    let hint = Format::from_path(Path::new(name));
    if is_workbook(&bytes) {
        return open_workbook(bytes, hint, preferred, limits);
    }
    let len = bytes.len();
    open_text(std::io::Cursor::new(bytes), len, hint, limits)
}

fn check_size(size: u64, limits: &Limits) -> Result<(), ReadError> {
    if size > limits.max_file_bytes {
        return Err(ReadError::TooBig {
            limit: limits.max_file_bytes,
            size,
        });
    }
    Ok(())
}

fn is_workbook(start: &[u8]) -> bool {
    ZIP_MAGIC.iter().any(|m| start.starts_with(m)) || start.starts_with(OLE_MAGIC)
}

fn open_workbook(
    bytes: Vec<u8>,
    hint: Option<Format>,
    preferred: &[&str],
    limits: &Limits,
) -> Result<Sheet, ReadError> {
    let format = if bytes.starts_with(OLE_MAGIC) {
        if book::is_encrypted_ooxml(&bytes) {
            return Err(ReadError::Encrypted { format: "xlsx" });
        }
        let stream = ole::check(&bytes).map_err(|detail| ReadError::Corrupt {
            format: "xls",
            detail,
        })?;
        if let Some(stream) = stream {
            xls::check(&stream, limits)?;
        }
        Format::Xls
    } else {
        book::zip_format(&bytes, hint, limits)?
    };
    // calamine panics on some malformed files (found by fuzzing: its OLE reader asserts on
    // sector sizes): a panic there is a damaged file, not a crash. This relies on panics
    // unwinding, the workspace's setting. (An XLSX is read on a thread of its own, which
    // catches its panics the same way.)
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        book::read(format, bytes, preferred, limits)
    }));
    let (name, rows) = read.unwrap_or_else(|_| {
        Err(ReadError::Corrupt {
            format: format.extension(),
            detail: "the reader stopped on malformed content".into(),
        })
    })?;
    start(format, Some(name), rows)
}

fn open_text<R: Read + Send + 'static>(
    input: R,
    len: usize,
    hint: Option<Format>,
    limits: &Limits,
) -> Result<Sheet, ReadError> {
    if len == 0 {
        return Err(ReadError::Empty);
    }
    if hint.is_some_and(|f| f != Format::Csv) {
        return Err(ReadError::NotSpreadsheet);
    }
    start(Format::Csv, None, text::rows(input, limits)?)
}

/// Looks at the first two rows, so that an empty file or a lone header row is said at opening.
fn start(format: Format, name: Option<String>, mut rows: Rows) -> Result<Sheet, ReadError> {
    let header = rows.next().ok_or(ReadError::Empty)??;
    let first = rows.next().ok_or(ReadError::HeadersOnly)??;
    Ok(Sheet {
        format,
        name,
        rows: Box::new([Ok(header), Ok(first)].into_iter().chain(rows)),
    })
}
