//! Cells as text, and the row-level rules every format shares: trimming, skipping empty rows
//! while counting them, dropping trailing empty cells, and the [`Limits`] on rows, columns and
//! cell length.

use super::{ReadError, Row, error::column_letters};
use crate::Limits;

/// Trims what a person cannot see at either end: spaces, tabs, line breaks, non-breaking
/// spaces (U+00A0, U+202F — both are Unicode white space), and the zero-width space and BOM
/// that copy-pasting leaves behind.
pub(crate) fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}')
}

/// A number as a person typed it: integers without `.0` and never in exponent form (a phone
/// typed as 612345678 stays "612345678"), others to Excel's 15 significant digits (so a cached
/// 0.1 + 0.2 reads "0.3").
pub(crate) fn number(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    if f == f.trunc() && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    if f.abs() >= 1e15 {
        // 15 significant digits then zeros, as a cell formatted "0" shows it.
        let scientific = format!("{:.14e}", f.abs());
        let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        let zeros = exponent.parse::<usize>().unwrap_or(0).saturating_sub(14);
        let sign = if f < 0.0 { "-" } else { "" };
        return format!("{sign}{digits}{}", "0".repeat(zeros));
    }
    let magnitude = f.abs().log10().floor() as i32;
    let decimals = (14 - magnitude).clamp(0, 340) as usize;
    let s = format!("{f:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Turns each row's raw cells into a [`Row`] or skips it, and enforces the limits.
pub(crate) struct Shaper {
    limits: Limits,
    /// Non-empty rows seen, header included.
    rows: usize,
}

impl Shaper {
    pub(crate) fn new(limits: &Limits) -> Self {
        Self {
            limits: *limits,
            rows: 0,
        }
    }

    /// `None` for a row whose cells are all empty (skipped, yet its number is kept by the
    /// caller so the next rows keep theirs). Cells are expected trimmed already.
    pub(crate) fn shape(
        &mut self,
        number: usize,
        mut cells: Vec<String>,
    ) -> Option<Result<Row, ReadError>> {
        while cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        if cells.is_empty() {
            return None;
        }
        if let Err(e) = self.check(number, &cells) {
            return Some(Err(e));
        }
        Some(Ok(Row { number, cells }))
    }

    fn check(&mut self, number: usize, cells: &[String]) -> Result<(), ReadError> {
        self.rows += 1;
        // The header row is not one of the `max_rows`.
        if self.rows > self.limits.max_rows.saturating_add(1) {
            return Err(ReadError::TooManyRows {
                limit: self.limits.max_rows,
            });
        }
        if cells.len() > self.limits.max_columns {
            return Err(ReadError::TooManyColumns {
                row: number,
                limit: self.limits.max_columns,
            });
        }
        for (i, cell) in cells.iter().enumerate() {
            self.check_cell(number, i, cell)?;
        }
        Ok(())
    }

    /// The length rule alone, for readers that meet a cell before its row is complete.
    pub(crate) fn check_cell(
        &self,
        number: usize,
        column: usize,
        cell: &str,
    ) -> Result<(), ReadError> {
        let limit = self.limits.max_cell_chars;
        if cell.len() > limit && cell.chars().count() > limit {
            return Err(ReadError::CellTooLong {
                row: number,
                column: column_letters(column),
                limit,
            });
        }
        Ok(())
    }

    /// Whether a cell in this 0-based column would already break `max_columns`.
    pub(crate) fn column_beyond(&self, column: usize) -> bool {
        column >= self.limits.max_columns
    }
}
