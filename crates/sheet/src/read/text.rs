//! CSV (and tab-separated text), read as it goes: the bytes pass through a decoder into the
//! `csv` parser a buffer at a time, so a 1,000,000-row file is never in memory whole.
//!
//! Encoding: a BOM decides (UTF-8, UTF-16 LE/BE); without one, UTF-16 is recognised by its
//! zero bytes, and otherwise the text is passed through as ASCII until its first non-ASCII byte,
//! where chardetng chooses from what follows (valid UTF-8 stays UTF-8; French Excel's
//! Windows-1252 is what it finds for "é", "œ", "€"). Deciding late means a file whose first
//! accent is on row 5,000 is still decoded right; ASCII reads the same in all of them.

use super::cell::{Shaper, trim};
use super::{ReadError, Row};
use crate::Limits;
use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE};
use std::io::{self, Read};

/// How much is read at once, and what the first decisions (binary? delimiter?) look at.
const CHUNK: usize = 64 * 1024;

/// The rows of a CSV, lazily.
pub(crate) fn rows<R: Read + Send + 'static>(
    inner: R,
    limits: &Limits,
) -> Result<Box<dyn Iterator<Item = Result<Row, ReadError>> + Send>, ReadError> {
    let decoding = Decoding::new(inner)?;
    let start = decoding.pending();
    let delimiter = sniff_delimiter(&String::from_utf8_lossy(start));
    // Lines end at `\n` (the `\r` of CRLF is trimmed with the cell): the parser's own CRLF
    // handling leaves a line's `\n` for the next record, which shifts the row numbers we
    // derive from its line count. Old Mac files end lines with `\r` alone.
    let terminator = if start.contains(&b'\r') && !start.contains(&b'\n') {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .terminator(terminator)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(CHUNK)
        .from_reader(decoding);
    Ok(Box::new(CsvRows {
        reader,
        record: csv::StringRecord::new(),
        shaper: Shaper::new(limits),
        rows_before: 0,
        next_line: 1,
        done: false,
    }))
}

struct CsvRows<R: Read> {
    reader: csv::Reader<Decoding<R>>,
    record: csv::StringRecord,
    shaper: Shaper,
    /// Spreadsheet rows consumed so far, empty lines included.
    rows_before: usize,
    /// The parser's line after the previous record: the `csv` parser skips empty lines (a
    /// spreadsheet shows each as a row) and counts them only in its position.
    next_line: u64,
    done: bool,
}

impl<R: Read> Iterator for CsvRows<R> {
    type Item = Result<Row, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => self.done = true,
                Ok(true) => {
                    // Lines consumed, less the record's own and those inside its quoted cells,
                    // are the empty lines the parser skipped before it.
                    let after = self.reader.position().line();
                    let inner = self
                        .record
                        .as_byte_record()
                        .as_slice()
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count();
                    let consumed = after.saturating_sub(self.next_line) as usize;
                    let skipped = consumed.saturating_sub(1 + inner);
                    let number = self.rows_before + skipped + 1;
                    self.rows_before = number;
                    self.next_line = after;
                    let cells = self.record.iter().map(unquote).collect();
                    match self.shaper.shape(number, cells) {
                        None => continue,
                        Some(Ok(row)) => return Some(Ok(row)),
                        Some(Err(e)) => {
                            self.done = true;
                            return Some(Err(e));
                        }
                    }
                }
                Err(e) => {
                    self.done = true;
                    let row = self.rows_before + 1;
                    return Some(Err(match e.into_kind() {
                        csv::ErrorKind::Io(io) => {
                            match io.get_ref().and_then(|e| e.downcast_ref::<Malformed>()) {
                                Some(m) => ReadError::Encoding { encoding: m.0, row },
                                None => ReadError::Io {
                                    detail: io.to_string(),
                                },
                            }
                        }
                        other => ReadError::Encoding {
                            encoding: "UTF-8",
                            row: row.max(match other {
                                csv::ErrorKind::Utf8 { pos: Some(p), .. } => p.line() as usize,
                                _ => 0,
                            }),
                        },
                    }));
                }
            }
        }
        None
    }
}

/// A trimmed cell, without the `'` our writer puts before `= + - @` so that no spreadsheet
/// runs the cell as a formula (export → import gives back what was exported).
fn unquote(raw: &str) -> String {
    let cell = trim(raw);
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => trim(rest).to_string(),
        _ => cell.to_string(),
    }
}

/// `,`, `;` or tab: the one that splits the first lines into the same number of cells, more
/// than one (quotes respected); on a tie, the one giving more cells. `,` when nothing splits.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 3] = [b';', b',', b'\t'];
    const LINES: usize = 20;
    let mut counts: Vec<[usize; 3]> = Vec::new();
    let mut current = [0usize; 3];
    let mut quoted = false;
    let mut complete = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                counts.push(current);
                current = [0; 3];
                if counts.len() == LINES {
                    complete = true;
                    break;
                }
            }
            _ if !quoted => {
                if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
                    current[i] += 1;
                }
            }
            _ => {}
        }
    }
    // The last line counts when it is whole (the text ended there), not when cut by the buffer.
    if !complete && text.len() < CHUNK && current.iter().any(|&n| n > 0) {
        counts.push(current);
    }
    counts.retain(|c| c.iter().any(|&n| n > 0));
    let mut best: Option<(usize, usize, u8)> = None;
    for (i, &delimiter) in CANDIDATES.iter().enumerate() {
        // The most frequent non-zero count for this delimiter, and on how many lines.
        let mut tally: Vec<(usize, usize)> = Vec::new();
        for line in &counts {
            let n = line[i];
            if n == 0 {
                continue;
            }
            match tally.iter_mut().find(|(k, _)| *k == n) {
                Some((_, lines)) => *lines += 1,
                None => tally.push((n, 1)),
            }
        }
        if let Some(&(n, lines)) = tally.iter().max_by_key(|(n, lines)| (*lines, *n))
            && best.is_none_or(|(bl, bn, _)| (lines, n) > (bl, bn))
        {
            best = Some((lines, n, delimiter));
        }
    }
    best.map_or(b',', |(_, _, d)| d)
}

/// The error a [`Decoding`] gives for bytes that are not valid in its encoding.
#[derive(Debug)]
struct Malformed(&'static str);

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "malformed {}", self.0)
    }
}

impl std::error::Error for Malformed {}

/// Bytes in, UTF-8 out, a buffer at a time (see the module's comment for how the encoding is
/// chosen).
pub(crate) struct Decoding<R> {
    inner: R,
    raw: Vec<u8>,
    raw_eof: bool,
    /// `None` while everything so far was ASCII.
    decoder: Option<Decoder>,
    out: Vec<u8>,
    out_pos: usize,
    /// Bytes not valid in the encoding met: the error comes after the text before them.
    malformed: Option<&'static str>,
}

impl<R: Read> Decoding<R> {
    /// Reads the first chunk, refuses what is binary, and decodes that chunk.
    pub(crate) fn new(inner: R) -> Result<Self, ReadError> {
        let mut this = Decoding {
            inner,
            raw: Vec::with_capacity(CHUNK),
            raw_eof: false,
            decoder: None,
            out: Vec::new(),
            out_pos: 0,
            malformed: None,
        };
        this.fill_raw(CHUNK).map_err(|e| ReadError::Io {
            detail: e.to_string(),
        })?;
        let (encoding, bom) = match Encoding::for_bom(&this.raw) {
            Some((encoding, bom)) => (Some(encoding), bom),
            None => (utf16_without_bom(&this.raw), 0),
        };
        this.raw.drain(..bom);
        match encoding {
            Some(encoding) => this.decoder = Some(encoding.new_decoder_without_bom_handling()),
            None if looks_binary(&this.raw) => return Err(ReadError::NotSpreadsheet),
            None => {}
        }
        // The whole first chunk, decoded: the delimiter and line ends are sniffed from it
        // (while undecided, one call only passes the ASCII before the first accent).
        while !this.raw.is_empty() && this.malformed.is_none() {
            let before = this.raw.len();
            this.decode().map_err(|e| ReadError::Io {
                detail: e.to_string(),
            })?;
            if this.raw.len() == before {
                break;
            }
        }
        Ok(this)
    }

    /// The decoded text not yet read.
    pub(crate) fn pending(&self) -> &[u8] {
        &self.out[self.out_pos..]
    }

    /// Reads until `raw` holds at least `want` bytes or the input ends.
    fn fill_raw(&mut self, want: usize) -> io::Result<()> {
        let mut buf = [0u8; 8192];
        while !self.raw_eof && self.raw.len() < want {
            match self.inner.read(&mut buf) {
                Ok(0) => self.raw_eof = true,
                Ok(n) => self.raw.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Moves what `raw` holds to the end of `out`.
    fn decode(&mut self) -> io::Result<()> {
        if self.decoder.is_none() {
            let ascii = self
                .raw
                .iter()
                .position(|b| !b.is_ascii())
                .unwrap_or(self.raw.len());
            if ascii > 0 || self.raw.is_empty() {
                self.out.extend(self.raw.drain(..ascii));
                return Ok(());
            }
            // The first non-ASCII byte: choose from what follows it.
            self.fill_raw(CHUNK)?;
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(&self.raw, self.raw_eof);
            let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
            self.decoder = Some(encoding.new_decoder_without_bom_handling());
        }
        let Some(decoder) = self.decoder.as_mut() else {
            return Ok(());
        };
        let capacity = decoder
            .max_utf8_buffer_length_without_replacement(self.raw.len())
            .unwrap_or(self.raw.len().saturating_mul(3).saturating_add(16));
        let start = self.out.len();
        self.out.resize(start + capacity, 0);
        let (result, read, written) = decoder.decode_to_utf8_without_replacement(
            &self.raw,
            &mut self.out[start..],
            self.raw_eof,
        );
        self.out.truncate(start + written);
        self.raw.drain(..read);
        if let encoding_rs::DecoderResult::Malformed(_, _) = result {
            // Given once the text before it has been read, so the error names its row.
            self.malformed = Some(decoder.encoding().name());
            self.raw.clear();
            self.raw_eof = true;
        }
        Ok(())
    }
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos == self.out.len() {
            if let Some(encoding) = self.malformed {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    Malformed(encoding),
                ));
            }
            if self.raw.is_empty() && self.raw_eof {
                return Ok(0);
            }
            if self.raw.len() < CHUNK / 2 {
                self.fill_raw(CHUNK)?;
            }
            self.out.clear();
            self.out_pos = 0;
            let before = self.raw.len();
            self.decode()?;
            if self.raw.len() == before && self.out.is_empty() && self.raw_eof {
                // An incomplete sequence at the very end that the decoder keeps: nothing more
                // will come (decode with `last` reports it as malformed first).
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// UTF-16 saved without a BOM: every other byte zero in Latin text.
fn utf16_without_bom(raw: &[u8]) -> Option<&'static Encoding> {
    let sample = &raw[..raw.len().min(1024) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_zero = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zero = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd_zero * 10 >= pairs * 7 && even_zero * 10 <= pairs {
        Some(UTF_16LE)
    } else if even_zero * 10 >= pairs * 7 && odd_zero * 10 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// An image, a PDF, an executable: zero bytes, or control characters no text has.
fn looks_binary(raw: &[u8]) -> bool {
    const KNOWN: [&[u8]; 5] = [b"\x89PNG", b"%PDF-", b"GIF8", b"\xff\xd8\xff", b"\x7fELF"];
    if KNOWN.iter().any(|magic| raw.starts_with(magic)) {
        return true;
    }
    let sample = &raw[..raw.len().min(8192)];
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1a))
        .count();
    sample.contains(&0) || controls * 100 > sample.len()
}
