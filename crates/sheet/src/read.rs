//! Reading a spreadsheet row by row. (Being written: see the contract below.)

use crate::{Format, Limits};
use std::path::Path;

/// One row as the spreadsheet shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row's number in the spreadsheet (the header is usually 1); empty rows are skipped
    /// but still counted, so the number is the one the person sees.
    pub number: usize,
    /// Each cell as text: trimmed (spaces, tabs, non-breaking spaces), numbers without a
    /// useless `.0` (a phone typed as a number keeps its digits), dates as `YYYY-MM-DD`,
    /// formulas as their cached value (never evaluated), booleans as `true`/`false`.
    pub cells: Vec<String>,
}

/// An open sheet: its rows, non-empty ones only, in order. CSV is read as it goes (a
/// 1,000,000-row file is never in memory whole); the other formats as calamine gives them.
pub struct Sheet {
    pub format: Format,
    /// The sheet read (none for CSV).
    pub name: Option<String>,
    rows: Box<dyn Iterator<Item = Result<Row, ReadError>> + Send>,
}

impl Iterator for Sheet {
    type Item = Result<Row, ReadError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.rows.next()
    }
}

/// Why a file cannot be read. `code()` is the message code the application translates.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("unreadable")]
    Unreadable,
}

impl ReadError {
    pub fn code(&self) -> &'static str {
        "sheet.unreadable"
    }
    pub fn args(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// Opens `path`: the format from its content (zip → XLSX or ODS, OLE → XLS, else CSV) and its
/// name; the sheet named like one of `preferred` (the template's), else the first non-empty.
pub fn open(path: &Path, preferred: &[&str], limits: &Limits) -> Result<Sheet, ReadError> {
    let _ = (path, preferred, limits);
    Err(ReadError::Unreadable)
}

/// As [`open`], from bytes (an upload) with the file's name.
pub fn open_bytes(
    bytes: Vec<u8>,
    name: &str,
    preferred: &[&str],
    limits: &Limits,
) -> Result<Sheet, ReadError> {
    let _ = (bytes, name, preferred, limits);
    Err(ReadError::Unreadable)
}
