//! A check of an ODS's content.xml before calamine reads it.
//!
//! calamine (0.38) builds every table of an ODS into a dense grid as it opens the file, whichever
//! sheet is read afterwards, and a few kilobytes can make it build gigabytes: a cell repeated
//! across 16,384 columns and a million rows (`table:number-columns-repeated`,
//! `table:number-rows-repeated`), or `<text:s text:c="2000000000"/>` (that many spaces, one at
//! a time). From its source, what it holds once a file is open:
//!
//! - for each row element, a value and a formula (56 bytes) per column up to the row's last
//!   cell, repetitions spelled out, 16,384 at most. The last cell is not spelled out when it is
//!   empty — LibreOffice ends rows with `number-columns-repeated="1020"` or so of empty cells,
//!   which cost nothing — but an empty repetition followed by another cell is;
//! - then each table's grid of values (and one of formulas if it has any): from the first row
//!   holding a value to the last, row repetitions spelled out (1,048,576 rows at most), as wide
//!   as the rightmost value. Empty rows after the last value (LibreOffice's
//!   `number-rows-repeated="1048000"`) cost nothing; empty rows between values do;
//! - each text, once in every cell it is repeated to, in both.
//!
//! The check streams through content.xml with calamine's XML reader, settings and reading
//! rules (where it reads a text cell's content, where it skips one), adds those up, and
//! refuses the file as soon as they pass `max_unpacked_bytes` (`UnpackedTooBig`): a
//! repetition is compression too, held to the limit the zip's own compression is. Where the
//! count cannot be exact it is larger (the grid is counted from column A, a row's repetitions
//! before calamine's cap on the table); a growing vector's spare room is left aside. Reading
//! the chosen sheet then costs about as much again: calamine gives a copy of its grid.
//!
//! It also says damaged, before calamine does, what calamine fails on, and two truncations it
//! would loop on forever: content.xml ending inside a table, or inside a comment
//! (`office:annotation`) of a text cell.

mod attributes;

use super::ReadError;
use super::book::corrupt;
use crate::Limits;
use attributes::Attributes;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use std::io::{BufRead, BufReader, Cursor};

/// calamine's caps: cells in a row element, rows in a table.
const MAX_COLUMNS: u64 = 16_384;
const MAX_ROWS: u64 = 1_048_576;
/// What calamine holds for a cell: its value, and its formula beside it.
const VALUE: u64 = std::mem::size_of::<calamine::Data>() as u64;
const FORMULA: u64 = std::mem::size_of::<String>() as u64;

/// `Err` when calamine would hold more than `max_unpacked_bytes`, or the content is damaged.
pub(crate) fn check(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    // Without a zip or a content.xml, calamine says what is wrong.
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(content));
    // calamine's settings (ods.rs, parse_content): the same events, or the counts would drift.
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    Scan {
        xml,
        limit: limits.max_unpacked_bytes,
        held: 0,
        grid: Grid::default(),
        row_events: Vec::new(),
        cell_events: Vec::new(),
    }
    .document()
}

struct Scan<R> {
    xml: quick_xml::Reader<R>,
    limit: u64,
    /// What calamine would hold so far, but for the grid of the table being read.
    held: u64,
    grid: Grid,
    /// Buffers for a row's events and a cell's, kept from one to the next (a buffer made for
    /// each cell took a third of the check's time).
    row_events: Vec<u8>,
    cell_events: Vec<u8>,
}

/// The grid of the table being read.
#[derive(Default)]
struct Grid {
    /// Whether a row holding a value came.
    started: bool,
    /// Row repetitions from the first row holding a value through the row last read.
    open: u64,
    /// … through the last row holding a value.
    rows: u64,
    /// Columns up to the rightmost value.
    width: u64,
    formulas: bool,
}

impl Grid {
    fn bytes(&self) -> u64 {
        let cell = if self.formulas {
            VALUE + FORMULA
        } else {
            VALUE
        };
        self.rows
            .min(MAX_ROWS)
            .saturating_mul(self.width)
            .saturating_mul(cell)
    }
}

/// One cell as calamine reads it.
struct Cell {
    repeats: u64,
    /// A value or a formula: the cell is spelled out even when last in its row.
    filled: bool,
    formula: bool,
    /// Bytes of text it holds (value and formula), counted once.
    text: u64,
}

fn damaged(detail: impl std::fmt::Display) -> ReadError {
    corrupt("ods", detail)
}

/// A number as calamine parses it: an attribute as written (`raw`), else unescaped first.
fn count(value: &str, raw: bool) -> Result<u64, ReadError> {
    let text = if raw {
        value.into()
    } else {
        quick_xml::escape::unescape(value).map_err(damaged)?
    };
    let n: usize = text
        .parse()
        .map_err(|_| damaged("a repetition or a number of spaces is not a number"))?;
    Ok(n as u64)
}

impl<R: BufRead> Scan<R> {
    fn spend(&mut self, bytes: u64) -> Result<(), ReadError> {
        self.held = self.held.saturating_add(bytes);
        let size = self.held.saturating_add(self.grid.bytes());
        if size > self.limit {
            return Err(ReadError::UnpackedTooBig {
                limit: self.limit,
                size,
            });
        }
        Ok(())
    }

    /// calamine's `parse_content`, for its tables.
    fn document(mut self) -> Result<(), ReadError> {
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match self.xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) if e.name() == QName("table:table") => {
                    let attributes = Attributes::of(&e);
                    attributes.find("table:style-name").map_err(damaged)?;
                    // A table without a name is skipped, its rows with it.
                    if attributes.find("table:name").map_err(damaged)?.is_some() {
                        self.table()?;
                    }
                }
                Ok(Event::Eof) => return Ok(()),
                Err(e) => return Err(damaged(e)),
                Ok(_) => {}
            }
        }
    }

    /// calamine's `read_table`.
    fn table(&mut self) -> Result<(), ReadError> {
        self.grid = Grid::default();
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match self.xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) if e.name() == QName("table:table-row") => {
                    let repeats = match Attributes::of(&e)
                        .find("table:number-rows-repeated")
                        .map_err(damaged)?
                    {
                        Some(v) => count(v, false)?,
                        None => 1,
                    };
                    self.row(repeats.min(MAX_ROWS))?;
                }
                Ok(Event::End(e)) if e.name() == QName("table:table") => break,
                // calamine would wait for the table's end forever.
                Ok(Event::Eof) => return Err(damaged("content.xml ends inside a table")),
                Err(e) => return Err(damaged(e)),
                Ok(_) => {}
            }
        }
        let grid = std::mem::take(&mut self.grid).bytes();
        self.spend(grid)
    }

    /// calamine's `read_row`: a row element repeated `repeats` times.
    fn row(&mut self, repeats: u64) -> Result<(), ReadError> {
        // Cells spelled out so far, and the empty ones waiting for a cell after them.
        let mut cells: u64 = 0;
        let mut waiting: u64 = 0;
        let mut filled = false;
        let mut buf = std::mem::take(&mut self.row_events);
        loop {
            buf.clear();
            match self.xml.read_event_into(&mut buf) {
                Ok(Event::Start(e))
                    if e.name() == QName("table:table-cell")
                        || e.name() == QName("table:covered-table-cell") =>
                {
                    let cell = self.cell(&e)?;
                    cells = cells.saturating_add(waiting).min(MAX_COLUMNS);
                    let repeats_here = cell.repeats.min(MAX_COLUMNS - cells);
                    if cell.filled {
                        waiting = 0;
                        cells += repeats_here;
                        filled = true;
                        self.grid.width = self.grid.width.max(cells);
                        self.grid.formulas |= cell.formula;
                        // Once in the row, once in each of its repetitions in the grid.
                        let copies = repeats_here.saturating_mul(repeats.saturating_add(1));
                        self.spend(cell.text.saturating_mul(copies))?;
                    } else {
                        waiting = repeats_here;
                    }
                }
                Ok(Event::End(e)) if e.name() == QName("table:table-row") => break,
                Err(e) => return Err(damaged(e)),
                Ok(Event::Eof) => return Err(damaged("content.xml ends inside a row")),
                // calamine stops there too ("Mismatch").
                Ok(_) => return Err(damaged("a row holds something other than cells")),
            }
        }
        self.row_events = buf;
        let grid = &mut self.grid;
        grid.started |= filled;
        if grid.started {
            grid.open = grid.open.saturating_add(repeats);
        }
        if filled {
            grid.rows = grid.open;
        }
        self.spend(cells.saturating_mul(VALUE + FORMULA))
    }

    /// calamine's `read_row` and `get_datatype` for one cell, read through its end.
    fn cell(&mut self, e: &BytesStart<'_>) -> Result<Cell, ReadError> {
        let attributes = Attributes::of(e);
        let repeats = match attributes
            .find("table:number-columns-repeated")
            .map_err(damaged)?
        {
            Some(v) => count(v, true)?,
            None => 1,
        };
        let mut value = false;
        let mut string_type = false;
        let mut error_type = false;
        let mut empty_string = false;
        let mut formula = false;
        let mut text: u64 = 0;
        for attribute in attributes {
            let (key, v) = attribute.map_err(damaged)?;
            match key {
                "office:value" | "office:boolean-value" if !value => value = true,
                "office:string-value" | "office:date-value" | "office:time-value" if !value => {
                    value = true;
                    empty_string = key == "office:string-value" && v.is_empty();
                    // Its unescaped text is no longer.
                    text = text.saturating_add(v.len() as u64);
                }
                "office:value-type" if !value => string_type = v == "string",
                "calcext:value-type" => error_type = v == "error",
                // calamine keeps the last one, yet decodes each: all are counted.
                "table:formula" => {
                    formula |= !v.is_empty();
                    text = text.saturating_add(v.len() as u64);
                }
                _ => {}
            }
        }
        // A text cell's content is read (LibreOffice stores an error's text there too), any
        // other cell's skipped.
        let content = (!value && string_type) || (error_type && empty_string);
        if content {
            text = text.saturating_add(self.content()?);
        } else {
            let mut buf = std::mem::take(&mut self.cell_events);
            buf.clear();
            self.xml
                .read_to_end_into(e.name(), &mut buf)
                .map_err(damaged)?;
            self.cell_events = buf;
        }
        Ok(Cell {
            repeats,
            filled: value || content || formula,
            formula,
            text,
        })
    }

    /// calamine's reading of a text cell's content: its length in bytes (at most).
    fn content(&mut self) -> Result<u64, ReadError> {
        let mut text: u64 = 0;
        let mut buf = std::mem::take(&mut self.cell_events);
        loop {
            buf.clear();
            text = text.saturating_add(match self.xml.read_event_into(&mut buf) {
                Ok(Event::Text(t)) => t.len() as u64,
                // An entity is one character: four bytes at most.
                Ok(Event::GeneralRef(_)) => 4,
                Ok(Event::End(e))
                    if e.name() == QName("table:table-cell")
                        || e.name() == QName("table:covered-table-cell") =>
                {
                    self.cell_events = buf;
                    return Ok(text);
                }
                Ok(Event::Start(e)) if e.name() == QName("office:annotation") => {
                    self.annotation()?;
                    0
                }
                Ok(Event::Start(e)) if e.name() == QName("text:s") => {
                    match Attributes::of(&e).find("text:c").map_err(damaged)? {
                        Some(v) => count(v, false)?,
                        None => 1,
                    }
                }
                // A line between paragraphs, a tab, a line break.
                Ok(Event::Start(e))
                    if e.name() == QName("text:p")
                        || e.name() == QName("text:tab")
                        || e.name() == QName("text:line-break") =>
                {
                    1
                }
                Ok(Event::Eof) => return Err(damaged("content.xml ends inside a cell")),
                Err(e) => return Err(damaged(e)),
                Ok(_) => 0,
            });
        }
    }

    /// A comment, skipped (calamine would wait for its end forever).
    fn annotation(&mut self) -> Result<(), ReadError> {
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match self.xml.read_event_into(&mut buf) {
                Ok(Event::End(e)) if e.name() == QName("office:annotation") => return Ok(()),
                Ok(Event::Eof) => return Err(damaged("content.xml ends inside a comment")),
                Err(e) => return Err(damaged(e)),
                Ok(_) => {}
            }
        }
    }
}
