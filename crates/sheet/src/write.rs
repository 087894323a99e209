//! Writing XLSX, ODS and CSV: the import template, exports and error files.
//!
//! Whatever the format, the same invariants hold:
//! - every data cell is written as text, never as a number, date or formula, so a phone
//!   `0612345678` keeps its leading zero and a cell `=1+1` stays those four characters;
//! - the header row carries the column's [`HeaderStyle`] (bold required, italic optional) and
//!   stays in view (frozen) in XLSX and ODS;
//! - a column's `choices` become a drop-down list that warns rather than refuses, kept on the
//!   hidden sheet [`LISTS_SHEET`] because a list written inline is limited to 255 characters
//!   in Excel.
//!
//! One module per format; this one holds what they share.

mod csv;
mod ods;
mod xlsx;

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

/// The hidden sheet (XLSX, ODS) holding the drop-down lists: one column per column with
/// `choices`, its header in row 1 and the values below. A reader looking for the main sheet
/// can skip it by this name.
pub const LISTS_SHEET: &str = "Listes";

/// A drop-down list covers the rows below the header down to row 1 + this many rows…
pub const VALIDATED_ROWS_MIN: usize = 10_000;
/// …or, when the data is longer, this many rows past the data, so there is room to add rows.
pub const VALIDATED_ROWS_SPARE: usize = 1_000;

/// The first characters that make a spreadsheet run a cell as a formula (OWASP's list for CSV
/// injection). Such cells are written as text cells in XLSX and ODS, and with a `'` before
/// them in CSV.
pub const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The byte order mark that starts a CSV file, so that Excel reads it as UTF-8.
pub const CSV_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Rows an XLSX sheet can hold (Excel's limit; LibreOffice's is the same by default).
const MAX_ROWS: usize = 1_048_576;

/// The file's bytes. Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab
/// or carriage return first) are written as text, never as formulas: in CSV with a `'` before
/// them (which `read` takes off again).
pub fn write(format: Format, book: &Workbook) -> Result<Vec<u8>, WriteError> {
    match format {
        Format::Xlsx => {
            check_sheets(book)?;
            xlsx::write(book).map_err(|e| WriteError::Failed(e.to_string()))
        }
        Format::Ods => {
            check_sheets(book)?;
            ods::write(book)
        }
        Format::Csv => csv::write(book),
        Format::Xls => Err(WriteError::Unsupported(format.extension())),
    }
}

/// Whether a spreadsheet would take `cell` for a formula.
pub fn looks_like_formula(cell: &str) -> bool {
    cell.starts_with(FORMULA_TRIGGERS)
}

/// The sheet names must differ (from each other and from [`LISTS_SHEET`]) and the rows must
/// fit: say so plainly rather than let a library fail obscurely.
fn check_sheets(book: &Workbook) -> Result<(), WriteError> {
    let mut names = vec![book.sheet_name.as_str()];
    if let Some(instructions) = &book.instructions {
        names.push(&instructions.sheet_name);
    }
    if book.columns.iter().any(|c| choices(c).is_some()) {
        names.push(LISTS_SHEET);
    }
    for (i, name) in names.iter().enumerate() {
        // Spreadsheets compare sheet names whatever their case.
        if names[..i]
            .iter()
            .any(|n| n.to_lowercase() == name.to_lowercase())
        {
            return Err(WriteError::Failed(format!(
                "two sheets would be named \"{name}\""
            )));
        }
    }
    if book.rows.len() >= MAX_ROWS {
        return Err(WriteError::Failed(format!(
            "{} rows do not fit in one sheet ({} at most)",
            book.rows.len(),
            MAX_ROWS - 1
        )));
    }
    Ok(())
}

/// A column's drop-down list, when it has one that is not empty.
fn choices(column: &Column) -> Option<&[String]> {
    column.choices.as_deref().filter(|c| !c.is_empty())
}

/// The last row (0-based, header = 0) that a drop-down list covers.
fn last_validated_row(book: &Workbook) -> u32 {
    let rows = VALIDATED_ROWS_MIN.max(book.rows.len() + VALIDATED_ROWS_SPARE);
    rows.min(MAX_ROWS - 1) as u32
}

/// What the input message of a drop-down list says: its values, as far as Excel's limit
/// (255 characters) allows.
fn choices_message(choices: &[String]) -> String {
    truncate(&choices.join(", "), 255)
}

/// `text` cut to at most `max` UTF-16 units (how Excel counts), with `…` when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.encode_utf16().count() <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut units = 0;
    for c in text.chars() {
        if units + c.len_utf16() + 1 > max {
            break;
        }
        units += c.len_utf16();
        out.push(c);
    }
    out.push('…');
    out
}

/// Widths (in characters) for the instructions sheet: as wide as the longest line of each
/// column, within bounds that keep the sheet readable (long texts wrap).
fn instructions_widths(instructions: &Instructions) -> Vec<f64> {
    let columns = instructions
        .rows
        .iter()
        .map(Vec::len)
        .chain([instructions.header.len()])
        .max()
        .unwrap_or(0);
    (0..columns)
        .map(|c| {
            let longest = std::iter::once(&instructions.header)
                .chain(&instructions.rows)
                .filter_map(|row| row.get(c))
                .flat_map(|cell| cell.lines())
                .map(|line| line.chars().count())
                .max()
                .unwrap_or(0);
            (longest as f64 + 2.0).clamp(10.0, 60.0)
        })
        .collect()
}
