//! XLSX rows as calamine's cell reader produces them: memory stays flat whatever the row count
//! (the file's bytes, its shared strings, and a few hundred rows read ahead at most).
//!
//! calamine's `XlsxCellReader` borrows the `Xlsx` book it reads, so one value cannot own both:
//! a thread owns the book and sends the rows through a bounded channel. The sheet is chosen as
//! it is read — the first candidate (see [`book::candidates`]) whose first non-empty row comes —
//! and its name is sent on a channel of its own before the rows; an error met before that is
//! the opening's, one met after ends the rows. The thread ends after the last row, after an
//! error, or as soon as a send fails because the [`Sheet`](super::Sheet) was dropped.
//!
//! Cells are never gathered into a grid: a row is at most `max_columns` cells wide (a cell
//! beyond is an error before anything is allocated for it), so a cell in A1 and one in
//! XFD1048576 cost two short rows, not 17 billion cells.

use super::book::{self, corrupt};
use super::cell::{Shaper, data_ref_text};
use super::{ReadError, Row, Rows};
use crate::Limits;
use calamine::Reader;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Rows are sent by the hundred: one hand-over a row made the two threads wait on each other
/// (100,000 rows in 0.6–1.1 s against 0.5 s by the hundred, on a busy two-core machine).
const BATCH: usize = 128;
/// Batches waiting in the channel: with the one being filled and the one being given, at most
/// 512 rows read ahead, a few hundred kilobytes.
const WAITING: usize = 2;

/// Starts reading; returns once a sheet is chosen (or none can be), with its name and rows.
pub(crate) fn open(
    bytes: Vec<u8>,
    preferred: &[&str],
    limits: &Limits,
) -> Result<(String, Rows), ReadError> {
    let (chosen, chosen_name) = sync_channel(1);
    let (batches, given) = sync_channel(WAITING);
    let preferred: Vec<String> = preferred.iter().map(|p| p.to_string()).collect();
    let limits = *limits;
    std::thread::Builder::new()
        .name("sesame-xlsx".into())
        .spawn(move || {
            let mut out = Out {
                chosen: Some(chosen),
                batches,
                batch: Vec::with_capacity(BATCH),
            };
            // calamine panics on some malformed content (a 13-letter cell reference overflows
            // its column arithmetic): a damaged file, said as such, never a thread gone silent.
            let read = catch_unwind(AssertUnwindSafe(|| {
                send_rows(bytes, &preferred, &limits, &mut out)
            }));
            match read {
                Ok(Ok(())) => {
                    // Nobody listening any more (`Gone`): nothing left to do either way.
                    let _ = out.send_batch();
                }
                Ok(Err(Stop::Gone)) => {}
                Ok(Err(Stop::Failed(e))) => out.fail(e),
                Err(_) => out.fail(stopped()),
            }
        })
        .map_err(|e| ReadError::Io {
            detail: format!("no thread to read the file: {e}"),
        })?;
    // The thread always sends a name or an error before it ends; a closed channel without
    // either would be a bug, said rather than hung on.
    let name = chosen_name.recv().unwrap_or_else(|_| Err(stopped()))?;
    Ok((
        name,
        Box::new(Given {
            batches: given,
            batch: Vec::new().into_iter(),
        }),
    ))
}

fn stopped() -> ReadError {
    corrupt("xlsx", "the reader stopped on malformed content")
}

/// The rows as the thread sends them; they end when it does.
struct Given {
    batches: Receiver<Result<Vec<Row>, ReadError>>,
    batch: std::vec::IntoIter<Row>,
}

impl Iterator for Given {
    type Item = Result<Row, ReadError>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(row) = self.batch.next() {
                return Some(Ok(row));
            }
            match self.batches.recv() {
                Ok(Ok(batch)) => self.batch = batch.into_iter(),
                Ok(Err(e)) => return Some(Err(e)),
                // The thread has ended: after its last row, or after its error.
                Err(_) => return None,
            }
        }
    }
}

/// Where the thread's findings go.
struct Out {
    /// Until a sheet is chosen: for its name, or for the error that ended the search.
    chosen: Option<SyncSender<Result<String, ReadError>>>,
    batches: SyncSender<Result<Vec<Row>, ReadError>>,
    batch: Vec<Row>,
}

/// Why the thread stops before the end of the sheet.
enum Stop {
    Failed(ReadError),
    /// The receiving `Sheet` was dropped: nobody wants the rest.
    Gone,
}

impl From<ReadError> for Stop {
    fn from(e: ReadError) -> Self {
        Stop::Failed(e)
    }
}

impl Out {
    /// A row of `sheet`: the first one also says that `sheet` is the one read.
    fn row(&mut self, sheet: &str, row: Row) -> Result<(), Stop> {
        if let Some(chosen) = self.chosen.take() {
            chosen.send(Ok(sheet.to_string())).map_err(|_| Stop::Gone)?;
        }
        self.batch.push(row);
        if self.batch.len() == BATCH {
            self.send_batch()?;
        }
        Ok(())
    }

    fn send_batch(&mut self) -> Result<(), Stop> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        self.batches.send(Ok(batch)).map_err(|_| Stop::Gone)
    }

    /// The last thing sent: to the opening if no sheet was chosen yet, else after the rows
    /// read before it.
    fn fail(mut self, e: ReadError) {
        // A failed send means nobody is listening any more: nothing left to do.
        match self.chosen {
            Some(chosen) => {
                let _ = chosen.send(Err(e));
            }
            None => {
                if self.send_batch().is_ok() {
                    let _ = self.batches.send(Err(e));
                }
            }
        }
    }
}

/// The thread's work: the candidates in turn until one has a non-empty row, then its rows.
fn send_rows(
    bytes: Vec<u8>,
    preferred: &[String],
    limits: &Limits,
    out: &mut Out,
) -> Result<(), Stop> {
    let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| corrupt("xlsx", e))?;
    let preferred: Vec<&str> = preferred.iter().map(String::as_str).collect();
    for name in book::candidates(&book, &preferred) {
        let mut cells = book
            .worksheet_cells_reader(&name)
            .map_err(|e| corrupt("xlsx", e))?;
        let mut rows = Assembler::new(limits);
        let mut give = |row| out.row(&name, row);
        while let Some(cell) = cells.next_cell().map_err(|e| corrupt("xlsx", e))? {
            let (row, column) = cell.get_position();
            rows.add(row, column, data_ref_text(cell.get_value()), &mut give)?;
        }
        rows.finish(&mut give)?;
        if out.chosen.is_none() {
            return Ok(());
        }
    }
    Err(Stop::Failed(ReadError::Empty))
}

/// Cells in, rows out: the row being read is given when a cell of a later row comes.
struct Assembler {
    shaper: Shaper,
    /// The 0-based row being read, once a non-empty cell came.
    current: Option<u32>,
    /// Its cells so far, by column (never wider than `max_columns`).
    cells: Vec<String>,
}

impl Assembler {
    fn new(limits: &Limits) -> Self {
        Self {
            shaper: Shaper::new(limits),
            current: None,
            cells: Vec::new(),
        }
    }

    /// One cell (0-based position, text already trimmed); the previous row goes to `give`
    /// when this cell starts a new one.
    fn add(
        &mut self,
        row: u32,
        column: u32,
        text: String,
        give: &mut impl FnMut(Row) -> Result<(), Stop>,
    ) -> Result<(), Stop> {
        if text.is_empty() {
            return Ok(());
        }
        match self.current {
            // Excel says a file whose rows go backwards is damaged, and no writer seen makes
            // one. Gathering such a sheet whole would bring back the memory this reader exists
            // to avoid, and the rows already given cannot be taken back: refused, not misplaced.
            Some(current) if row < current => {
                return Err(corrupt(
                    "xlsx",
                    format!(
                        "a cell of row {} comes after row {}",
                        row as u64 + 1,
                        current as u64 + 1
                    ),
                )
                .into());
            }
            Some(current) if row > current => self.give(current, give)?,
            _ => {}
        }
        self.current = Some(row);
        let number = row as usize + 1;
        let column = column as usize;
        self.shaper.check_column(number, column)?;
        self.shaper.check_cell(number, column, &text)?;
        if self.cells.len() <= column {
            self.cells.resize(column + 1, String::new());
        }
        // Two cells at one position: the later one, as a grid filled in order would hold.
        self.cells[column] = text;
        Ok(())
    }

    /// The last row, at the end of the sheet.
    fn finish(&mut self, give: &mut impl FnMut(Row) -> Result<(), Stop>) -> Result<(), Stop> {
        match self.current.take() {
            Some(current) => self.give(current, give),
            None => Ok(()),
        }
    }

    fn give(
        &mut self,
        row: u32,
        give: &mut impl FnMut(Row) -> Result<(), Stop>,
    ) -> Result<(), Stop> {
        let cells = std::mem::take(&mut self.cells);
        match self.shaper.shape(row as usize + 1, cells) {
            Some(row) => give(row?),
            None => Ok(()),
        }
    }
}
