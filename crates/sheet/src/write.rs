//! Writing XLSX, ODS and CSV. (Being written: see the contract below.)

use crate::Format;

/// How a header cell looks: bold when the organisation requires the column, italic when not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderStyle {
    Required,
    Optional,
}

/// One column of the main sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    /// `None`: plain (an error file's columns copied from the input).
    pub style: Option<HeaderStyle>,
    /// Width in characters.
    pub width: f64,
    /// A drop-down list of allowed values (data validation) on the cells below the header;
    /// the cell may also hold several of them separated by commas, so the list warns rather
    /// than refuses.
    pub choices: Option<Vec<String>>,
}

/// The second sheet: how to fill the first ("Mode d'emploi" / "Instructions").
#[derive(Debug, Clone, PartialEq)]
pub struct Instructions {
    pub sheet_name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A workbook to write: one main sheet with a frozen, styled header row, and optionally the
/// instructions.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    pub sheet_name: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    pub instructions: Option<Instructions>,
    /// CSV only: `;` for French (what French Excel expects), `,` otherwise.
    pub csv_delimiter: u8,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0} cannot be written")]
    Unsupported(&'static str),
    #[error("{0}")]
    Failed(String),
}

/// The file's bytes. Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab
/// or carriage return first) are written as text, never as formulas: in CSV with a `'` before
/// them (which `read` takes off again).
pub fn write(format: Format, book: &Workbook) -> Result<Vec<u8>, WriteError> {
    let _ = book;
    Err(WriteError::Unsupported(format.extension()))
}
