//! A check of an XLS's Workbook stream before calamine reads it.
//!
//! calamine (0.38) builds every sheet of an XLS at opening, read or not, and what it allocates
//! depends on numbers in the file, not on its size. From its source (xls.rs), for each sheet:
//!
//! - room for the cells its DIMENSIONS record announces (40 bytes a cell), reserved at once;
//! - each cell record's value (40 bytes), a text's room as its record declares it (`cch`
//!   characters, whatever follows), each formula's text;
//! - then a dense grid over the cells' bounding box (32 bytes a cell) and another over the
//!   formulas' (24): cells in A1 and IV65536 make 16.7 million of them, 537 MB; a cell record
//!   may name any column up to 65,535, which makes 4.3 billion, and calamine allocates them
//!   (137 GB: the process aborts, nothing to catch).
//!
//! The check walks the stream as calamine does (the sheets where the globals' BOUNDSHEET
//! records say, embedded charts skipped), adds these up (more where calamine would fail first;
//! a growing vector's spare room aside), and refuses the file when they pass
//! `max_unpacked_bytes` (`UnpackedTooBig`), the limit an ODS's repetitions and a zip's
//! compression are held to. Within it, two far-apart cells still cost the 537 MB grid above,
//! and the rows read from it as much again (calamine gives a copy). It also says damaged two
//! DIMENSIONS records calamine cannot take: beyond BIFF8's 65,536 rows × 256 columns (it would
//! reserve terabytes: found by fuzzing), or ending before they start (it subtracts without
//! looking: a panic in a debug build, terabytes again in a release one).
//!
//! Not counted: a shared string copied into every LABELSST cell that names it (a 10 KB string
//! named by the 75,000 such records a megabyte holds is 750 MB) and formulas' texts (a few
//! bytes of tokens can name a sheet of 255 characters). Counting them means reading the shared
//! strings and the formulas as calamine does; both stay bounded by the file's size, 200 MB by
//! default, times those factors.

use super::ReadError;
use crate::Limits;
use calamine::{Cell, Data};
use std::mem::size_of;

/// What calamine holds: a cell's value where it collects them, in a grid, a formula's text.
const CELL: u64 = size_of::<Cell<Data>>() as u64;
const VALUE: u64 = size_of::<Data>() as u64;
const FORMULA_CELL: u64 = size_of::<Cell<String>>() as u64;
const FORMULA: u64 = size_of::<String>() as u64;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const CONTINUE: u16 = 0x003C;
const DIMENSIONS: u16 = 0x0200;

/// `Err` when calamine would hold more than `max_unpacked_bytes`, or cannot take the sheet's
/// dimensions.
pub(crate) fn check(stream: &[u8], limits: &Limits) -> Result<(), ReadError> {
    check_dimensions(stream).map_err(damaged)?;
    let mut spent: u64 = 0;
    let mut spend = |bytes: u64| {
        spent = spent.saturating_add(bytes);
        if spent > limits.max_unpacked_bytes {
            return Err(ReadError::UnpackedTooBig {
                limit: limits.max_unpacked_bytes,
                size: spent,
            });
        }
        Ok(())
    };
    for at in sheets(stream) {
        // Past the stream, calamine panics on it: a damaged file, said so.
        let Some(sheet) = stream.get(at..) else {
            return Ok(());
        };
        spend(sheet_cost(sheet).map_err(damaged)?)?;
    }
    Ok(())
}

fn damaged(detail: String) -> ReadError {
    ReadError::Corrupt {
        format: "xls",
        detail,
    }
}

/// Records as calamine reads them: type and data, CONTINUE records folded into the one before
/// (their data is not needed here). The walk ends where a record runs past the stream.
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        let (kind, data, next) = record(rest)?;
        rest = next;
        while let Some((CONTINUE, _, next)) = record(rest) {
            rest = next;
        }
        Some((kind, data))
    })
}

fn record(stream: &[u8]) -> Option<(u16, &[u8], &[u8])> {
    let kind = u16::from_le_bytes([*stream.first()?, *stream.get(1)?]);
    let len = u16::from_le_bytes([*stream.get(2)?, *stream.get(3)?]) as usize;
    let data = stream.get(4..4 + len)?;
    Some((kind, data, &stream[4 + len..]))
}

fn u16_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u16::from_le_bytes([*data.get(at)?, *data.get(at + 1)?]) as u32)
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// Where the sheets start, from the globals' BOUNDSHEET records (calamine reads them all,
/// charts and macros included). A password ends the list: calamine refuses the file.
fn sheets(stream: &[u8]) -> Vec<usize> {
    let mut sheets = Vec::new();
    for (kind, data) in records(stream) {
        match kind {
            0x002F if u16_at(data, 0).is_some_and(|v| v != 0) => return Vec::new(),
            0x0085 => sheets.extend(u32_at(data, 0).map(|at| at as usize)),
            EOF => break,
            _ => {}
        }
    }
    sheets
}

/// A bounding box of cell positions, as calamine's `Range::from_sparse` takes it.
#[derive(Default)]
struct Bounds {
    cells: u64,
    rows: Option<(u32, u32)>,
    columns: Option<(u32, u32)>,
}

impl Bounds {
    fn add(&mut self, row: u32, column: u32) {
        self.add_row(row, column, column);
    }

    /// The cells of `row` from one column to another.
    fn add_row(&mut self, row: u32, first: u32, last: u32) {
        self.cells = self.cells.saturating_add((last - first) as u64 + 1);
        let widen = |span: Option<(u32, u32)>, from: u32, to: u32| {
            Some(span.map_or((from, to), |(a, b)| (a.min(from), b.max(to))))
        };
        self.rows = widen(self.rows, row, row);
        self.columns = widen(self.columns, first, last);
    }

    /// Cells in the grid.
    fn grid(&self) -> u64 {
        let span = |s: Option<(u32, u32)>| s.map_or(0, |(first, last)| (last - first) as u64 + 1);
        span(self.rows).saturating_mul(span(self.columns))
    }
}

/// What calamine holds for the sheet starting at `sheet`.
fn sheet_cost(sheet: &[u8]) -> Result<u64, String> {
    let mut reserved: u64 = 0;
    let mut texts: u64 = 0;
    let mut values = Bounds::default();
    let mut formulas = Bounds::default();
    // A formula's text value comes in the record after it, at its position.
    let mut formula_at = (0, 0);
    // Embedded charts have their own BOF … EOF, and cell-like records calamine skips.
    let mut started = false;
    let mut depth = 0usize;
    for (kind, data) in records(sheet) {
        if depth > 0 {
            match kind {
                BOF => depth += 1,
                EOF => depth -= 1,
                _ => {}
            }
            continue;
        }
        let position = || Some((u16_at(data, 0)?, u16_at(data, 2)?));
        match kind {
            BOF if started => depth += 1,
            BOF => started = true,
            EOF => break,
            DIMENSIONS => reserved = reserved.saturating_add(dimensions(data)?),
            // Number, BoolErr, RK, LabelSst.
            0x0203 | 0x0205 | 0x027E | 0x00FD => {
                if let Some((row, column)) = position() {
                    values.add(row, column);
                }
            }
            // Label, RString: the room of `cch` characters, and what the bytes decode to.
            0x0204 | 0x00D6 => {
                if let (Some((row, column)), Some(cch)) = (position(), u16_at(data, 6)) {
                    values.add(row, column);
                    texts = texts.saturating_add(cch as u64 + 3 * data.len() as u64);
                }
            }
            // String: a formula's text value.
            0x0207 => {
                values.add(formula_at.0, formula_at.1);
                let cch = u16_at(data, 0).unwrap_or(0);
                texts = texts.saturating_add(cch as u64 + 3 * data.len() as u64);
            }
            // MulRk: a row of numbers from one column to another.
            0x00BD => {
                let last = data.len().checked_sub(2).and_then(|at| u16_at(data, at));
                // Backwards, calamine fails on it.
                if let (Some((row, first)), Some(last)) = (position(), last)
                    && first <= last
                {
                    values.add_row(row, first, last);
                }
            }
            // Formula: its value, and its text beside.
            0x0006 => {
                if let Some((row, column)) = position() {
                    formula_at = (row, column);
                    values.add(row, column);
                    formulas.add(row, column);
                }
            }
            _ => {}
        }
    }
    let cost = [
        reserved.saturating_mul(CELL),
        texts,
        values.cells.saturating_mul(CELL),
        values.grid().saturating_mul(VALUE),
        formulas.cells.saturating_mul(FORMULA_CELL),
        formulas.grid().saturating_mul(FORMULA),
    ];
    Ok(cost.into_iter().fold(0, u64::saturating_add))
}

/// The cells a DIMENSIONS record makes calamine reserve, as its `parse_dimensions` reads it
/// (a record of another length is an error there: nothing reserved).
fn dimensions(data: &[u8]) -> Result<u64, String> {
    let (first_row, last_row, mut first_column, last_column) = match data.len() {
        10 => (
            u16_at(data, 0).unwrap_or(0),
            u16_at(data, 2).unwrap_or(0),
            u16_at(data, 4).unwrap_or(0),
            u16_at(data, 6).unwrap_or(0),
        ),
        14 | 16 => (
            u32_at(data, 0).unwrap_or(0),
            u32_at(data, 4).unwrap_or(0),
            u16_at(data, 8).unwrap_or(0),
            u16_at(data, 10).unwrap_or(0),
        ),
        _ => return Ok(0),
    };
    if first_column > 0xFF || last_column < first_column {
        first_column = 0;
    }
    if last_row == 0 || last_column == 0 {
        return Ok(1);
    }
    // The last row and column are exclusive here; calamine counts `last - 1 - first + 1`.
    if last_row <= first_row || last_column <= first_column {
        return Err(format!(
            "dimensions from row {first_row} to row {last_row}, column {first_column} to column {last_column}"
        ));
    }
    Ok(((last_row - first_row) as u64).saturating_mul((last_column - first_column) as u64))
}

/// calamine reserves room for a sheet's cells from its DIMENSIONS record: one claiming more
/// than BIFF8's 65,536 rows × 256 columns would ask for terabytes (found by fuzzing). Every
/// record of the stream is looked at, embedded charts' included, whatever `sheet_cost` makes
/// of them.
fn check_dimensions(stream: &[u8]) -> Result<(), String> {
    for (kind, data) in records(stream) {
        if kind != DIMENSIONS {
            continue;
        }
        // The last row and column (exclusive): an upper bound of what calamine computes,
        // whatever it makes of the first ones.
        let (rows, columns) = if data.len() == 10 {
            (u16_at(data, 2), u16_at(data, 6))
        } else {
            (u32_at(data, 4), u16_at(data, 10))
        };
        let (rows, columns) = (rows.unwrap_or(0), columns.unwrap_or(0));
        if rows > 65_536 || columns > 256 {
            return Err(format!("dimensions of {rows} rows × {columns} columns"));
        }
    }
    Ok(())
}
