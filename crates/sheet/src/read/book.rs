//! Workbooks (XLSX, XLS, ODS) through calamine: which sheet to read, and XLS and ODS read whole
//! at opening, their rows kept as text only (calamine's cell values are dropped as soon as they
//! are converted). XLSX is read as it goes, cell by cell, in [`xlsx`].
//!
//! Before calamine sees a zip, its central directory is checked: the sum of the declared
//! uncompressed sizes must stay within `max_unpacked_bytes` (a zip bomb stops there), and the
//! `zip` crate calamine reads through refuses to inflate an entry past its declared size, so a
//! lying directory cannot get around that sum.

use super::cell::{Shaper, data_text, trim};
use super::{ReadError, Row, Rows, ods, xlsx};
use crate::{Format, Limits};
use calamine::{Data, Reader, SheetType, SheetVisible};
use std::io::{Cursor, Read};

/// What a zip holds, from its file names: an XLSX, an ODS, or neither.
pub(crate) fn zip_format(
    bytes: &[u8],
    hint: Option<Format>,
    limits: &Limits,
) -> Result<Format, ReadError> {
    let guess = match hint {
        Some(Format::Ods) => "ods",
        _ => "xlsx",
    };
    let corrupt = |e: zip::result::ZipError| ReadError::Corrupt {
        format: guess,
        detail: e.to_string(),
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut unpacked: u64 = 0;
    let mut encrypted = false;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(corrupt)?;
        unpacked = unpacked.saturating_add(entry.size());
        encrypted |= entry.encrypted();
    }
    if unpacked > limits.max_unpacked_bytes {
        return Err(ReadError::UnpackedTooBig {
            limit: limits.max_unpacked_bytes,
            size: unpacked,
        });
    }
    let format = if zip.index_for_name("xl/workbook.xml").is_some() {
        Format::Xlsx
    } else if zip.index_for_name("xl/workbook.bin").is_some() {
        return Err(ReadError::Unsupported { format: "xlsb" });
    } else if let Some(i) = zip.index_for_name("mimetype") {
        let mut mimetype = Vec::new();
        if let Ok(entry) = zip.by_index(i) {
            let _ = entry.take(100).read_to_end(&mut mimetype);
        }
        if mimetype.starts_with(b"application/vnd.oasis.opendocument.spreadsheet") {
            Format::Ods
        } else {
            return Err(ReadError::NotSpreadsheet);
        }
    } else if zip.index_for_name("content.xml").is_some() {
        Format::Ods
    } else {
        return Err(ReadError::NotSpreadsheet);
    };
    if encrypted {
        return Err(ReadError::Encrypted {
            format: format.extension(),
        });
    }
    Ok(format)
}

/// Whether an OLE container is an encrypted OOXML file (what Excel and LibreOffice make of an
/// XLSX saved with a password): it holds the streams `EncryptionInfo` and `EncryptedPackage`,
/// whose names the directory stores in UTF-16.
pub(crate) fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let utf16 = |s: &str| {
        s.encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<u8>>()
    };
    let (info, package) = (utf16("EncryptionInfo"), utf16("EncryptedPackage"));
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    contains(&info) && contains(&package)
}

/// The chosen sheet's name and its rows: XLSX's as they are read, the others' read whole.
pub(crate) fn read(
    format: Format,
    bytes: Vec<u8>,
    preferred: &[&str],
    limits: &Limits,
) -> Result<(String, Rows), ReadError> {
    let name = format.extension();
    let (sheet, rows) = match format {
        Format::Xlsx => return xlsx::open(bytes, preferred, limits),
        Format::Ods => {
            ods::check(&bytes, limits)?;
            let mut book = calamine::Ods::new(Cursor::new(bytes)).map_err(|e| corrupt(name, e))?;
            first_sheet(&candidates(&book, preferred), |sheet| {
                let range = book.worksheet_range(sheet).map_err(|e| corrupt(name, e))?;
                range_rows(&range, limits, Format::Ods)
            })
        }
        Format::Xls => {
            let mut book = calamine::Xls::new(Cursor::new(bytes)).map_err(xls_error)?;
            first_sheet(&candidates(&book, preferred), |sheet| {
                let range = book.worksheet_range(sheet).map_err(xls_error)?;
                range_rows(&range, limits, Format::Xls)
            })
        }
        Format::Csv => return Err(ReadError::NotSpreadsheet),
    }?;
    Ok((sheet, Box::new(rows.into_iter().map(Ok))))
}

const ODS_ERRORS: [&str; 9] = [
    "#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "Err:502", "Err:504",
];

pub(crate) fn corrupt(format: &'static str, e: impl std::fmt::Display) -> ReadError {
    ReadError::Corrupt {
        format,
        detail: e.to_string(),
    }
}

fn xls_error(e: calamine::XlsError) -> ReadError {
    match e {
        calamine::XlsError::Password => ReadError::Encrypted { format: "xls" },
        // An OLE file without a workbook stream: a Word document, an MSI… (calamine's
        // `CfbError` is private: its message is all there is to tell).
        calamine::XlsError::Cfb(e) if e.to_string() == "Cannot find Workbook stream" => {
            ReadError::NotSpreadsheet
        }
        e => corrupt("xls", e),
    }
}

/// The first sheet, in `names`' order, that has a non-empty row.
fn first_sheet(
    names: &[String],
    mut read: impl FnMut(&str) -> Result<Vec<Row>, ReadError>,
) -> Result<(String, Vec<Row>), ReadError> {
    for name in names {
        let rows = read(name)?;
        if !rows.is_empty() {
            return Ok((name.clone(), rows));
        }
    }
    Err(ReadError::Empty)
}

/// The worksheets to try: those named like `preferred` first (case, accents, spaces and
/// punctuation ignored), then the visible ones in the workbook's order.
pub(crate) fn candidates<RS: std::io::Read + std::io::Seek, B: Reader<RS>>(
    book: &B,
    preferred: &[&str],
) -> Vec<String> {
    let sheets: Vec<_> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .collect();
    let mut names: Vec<String> = Vec::new();
    for wanted in preferred.iter().map(|p| fold(p)) {
        for sheet in &sheets {
            if fold(&sheet.name) == wanted && !names.contains(&sheet.name) {
                names.push(sheet.name.clone());
            }
        }
    }
    for sheet in &sheets {
        if sheet.visible == SheetVisible::Visible && !names.contains(&sheet.name) {
            names.push(sheet.name.clone());
        }
    }
    names
}

/// "Mode d’emploi" and "mode-d'EMPLOI" alike.
pub(crate) fn fold(name: &str) -> String {
    deunicode::deunicode(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// ODS and XLS: calamine gives a dense range (an ODS's bounded by the check in [`ods`], an
/// XLS's by its format: 65,536 × 256 cells at most).
fn range_rows(
    range: &calamine::Range<Data>,
    limits: &Limits,
    format: Format,
) -> Result<Vec<Row>, ReadError> {
    let data_text = |data: &Data| match data {
        // LibreOffice stores a formula's error in ODS as its text (calamine does not keep the
        // `calcext:value-type="error"` beside it): the usual ones are read as errors.
        Data::String(s) if format == Format::Ods && ODS_ERRORS.contains(&trim(s)) => String::new(),
        data => data_text(data),
    };
    let Some((first_row, first_column)) = range.start() else {
        return Ok(Vec::new());
    };
    let mut shaper = Shaper::new(limits);
    let mut out = Vec::new();
    for (i, cells) in range.rows().enumerate() {
        // Leading empty columns are only materialised when the row has something in it.
        if cells.iter().all(|c| data_text(c).is_empty()) {
            continue;
        }
        let offset = (first_column as usize).min(limits.max_columns.saturating_add(1));
        let mut texts = vec![String::new(); offset];
        for (j, cell) in cells.iter().enumerate() {
            if offset + j > limits.max_columns {
                // Beyond the limit: only whether something is there matters.
                if !data_text(cell).is_empty() {
                    texts.push("…".into());
                    break;
                }
                continue;
            }
            texts.push(data_text(cell));
        }
        if let Some(row) = shaper.shape(first_row as usize + i + 1, texts) {
            out.push(row?);
        }
    }
    Ok(out)
}
