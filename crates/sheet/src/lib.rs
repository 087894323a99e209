//! Spreadsheets, without the database: [`read`] opens an administrator's file (XLSX, XLS, ODS
//! or CSV in any of the encodings French and Québec offices produce) and yields its rows as
//! text; [`write`] makes XLSX, ODS and CSV files (the import template, exports, error files).
//!
//! What a column means, which are required, what a row must hold: all of that is the
//! application's (`sesame-app`); this crate only moves cells in and out of files, within
//! [`Limits`], and says precisely what is wrong with a file ([`ReadError`]).

pub mod read;
pub mod write;

pub use read::{ReadError, Row, Sheet, open, open_bytes};
pub use write::{Column, HeaderStyle, Instructions, Workbook, WriteError, write};

use std::path::Path;

/// A spreadsheet format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Xlsx,
    /// Excel 97–2003: read only.
    Xls,
    Ods,
    Csv,
}

impl Format {
    /// `xlsx`, `xls`, `ods`, `csv` (case ignored; `txt` and `tsv` read as CSV).
    pub fn parse(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "xls" => Some(Format::Xls),
            "ods" => Some(Format::Ods),
            "csv" | "txt" | "tsv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// From a file name's extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Format::parse)
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "csv",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Xls => "application/vnd.ms-excel",
            Format::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }

    /// Whether [`write`] can make it.
    pub fn writable(self) -> bool {
        self != Format::Xls
    }
}

/// What a file may be, at most; beyond, reading stops with a [`ReadError`] that says which
/// limit and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The file as given.
    pub max_file_bytes: u64,
    /// What a zipped format (XLSX, ODS) unpacks to: a zip bomb stops here. What calamine would
    /// build of an ODS's repeated cells, or of an XLS's sheets, is held to this limit too.
    pub max_unpacked_bytes: u64,
    /// Rows after the header (empty rows not counted).
    pub max_rows: usize,
    /// Characters in one cell.
    pub max_cell_chars: usize,
    /// Columns in one row.
    pub max_columns: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 200 * 1024 * 1024,
            max_unpacked_bytes: 1024 * 1024 * 1024,
            max_rows: 1_000_000,
            max_cell_chars: 10_000,
            max_columns: 200,
        }
    }
}
