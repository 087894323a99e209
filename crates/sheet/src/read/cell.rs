//! Cells as text (calamine's values of every kind, as [`Row`] says they read), and the row-level
//! rules every format shares: trimming, skipping empty rows while counting them, dropping
//! trailing empty cells, and the [`Limits`] on rows, columns and cell length.

use super::{ReadError, Row, error::column_letters};
use crate::Limits;
use calamine::{Data, DataRef, ExcelDateTime};

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

    /// The column rule alone, for readers that meet a cell before its row is complete: a
    /// cell in this 0-based column breaks `max_columns`.
    pub(crate) fn check_column(&self, number: usize, column: usize) -> Result<(), ReadError> {
        if column >= self.limits.max_columns {
            return Err(ReadError::TooManyColumns {
                row: number,
                limit: self.limits.max_columns,
            });
        }
        Ok(())
    }
}

/// A value of a sheet read whole (ODS, XLS).
pub(crate) fn data_text(data: &Data) -> String {
    match data {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::String(s) => trim(s).to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => date_time(d),
        Data::DateTimeIso(s) => iso_date_time(s),
        Data::DurationIso(s) => iso_duration(s),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// A value of calamine's cell reader (XLSX).
pub(crate) fn data_ref_text(data: &DataRef<'_>) -> String {
    match data {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::String(s) => trim(s).to_string(),
        DataRef::SharedString(s) => trim(s).to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => date_time(d),
        DataRef::DateTimeIso(s) => iso_date_time(s),
        DataRef::DurationIso(s) => iso_duration(s),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

/// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` when there is a time, `HH:MM` for a time alone.
fn date_time(d: &ExcelDateTime) -> String {
    let value = d.as_f64();
    if !value.is_finite() {
        return String::new();
    }
    if d.is_duration() {
        let minutes = (value * 24.0 * 60.0).round() as i64;
        return format!("{}:{:02}", minutes / 60, (minutes % 60).abs());
    }
    let (year, month, day, hour, minute, second, milli) = d.to_ymd_hms_milli();
    // Rounded to the minute, as it is shown.
    let (hour, minute) = if second >= 30 || (second == 29 && milli >= 500) {
        if minute == 59 {
            (hour + 1, 0)
        } else {
            (hour, minute + 1)
        }
    } else {
        (hour, minute)
    };
    let time = (hour, minute) != (0, 0);
    if (0.0..1.0).contains(&value) && time {
        format!("{:02}:{:02}", hour.min(23), minute)
    } else if time && hour < 24 {
        format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02}")
    }
}

/// ODS's `2024-03-15` or `2024-03-15T10:30:00` as [`date_time`] writes them.
fn iso_date_time(s: &str) -> String {
    let s = trim(s);
    match s.split_once('T') {
        Some((date, time)) => {
            let hm: String = time.chars().take(5).collect();
            if hm == "00:00" || hm.is_empty() {
                date.to_string()
            } else if date.is_empty() {
                hm
            } else {
                format!("{date} {hm}")
            }
        }
        None => s.to_string(),
    }
}

/// ODS's `PT12H30M00S` as `12:30`.
fn iso_duration(s: &str) -> String {
    let s = trim(s);
    let Some(body) = s.strip_prefix("PT").or_else(|| s.strip_prefix("-PT")) else {
        return s.to_string();
    };
    let hours = body.split_once('H');
    let (h, rest) = hours.unwrap_or(("0", body));
    let m = rest.split_once('M').map_or("0", |(m, _)| m);
    match (h.parse::<u64>(), m.parse::<u64>()) {
        (Ok(h), Ok(m)) => format!("{h}:{m:02}"),
        _ => s.to_string(),
    }
}
