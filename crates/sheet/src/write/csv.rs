//! CSV with the csv crate: UTF-8 with a byte order mark, the workbook's delimiter, CRLF line
//! ends (as Excel writes them), header then rows. Instructions have no place in a CSV file.

use super::{CSV_BOM, Workbook, WriteError, looks_like_formula};

pub(super) fn write(book: &Workbook) -> Result<Vec<u8>, WriteError> {
    let mut out = Vec::with_capacity(estimated_size(book));
    out.extend_from_slice(CSV_BOM);
    let mut csv = ::csv::WriterBuilder::new()
        .delimiter(book.csv_delimiter)
        .flexible(true)
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    let failed = |e: ::csv::Error| WriteError::Failed(e.to_string());
    let mut quoted = String::new();
    let headers = book.columns.iter().map(|c| c.header.as_str());
    write_record(&mut csv, headers, &mut quoted).map_err(failed)?;
    for row in &book.rows {
        write_record(&mut csv, row.iter().map(String::as_str), &mut quoted).map_err(failed)?;
    }
    csv.into_inner()
        .map_err(|e| WriteError::Failed(e.error().to_string()))
}

/// One record, with a `'` before each cell a spreadsheet would run as a formula (OWASP's
/// advice against CSV injection); `quoted` is a buffer kept between calls.
fn write_record<'a>(
    csv: &mut ::csv::Writer<Vec<u8>>,
    cells: impl Iterator<Item = &'a str>,
    quoted: &mut String,
) -> Result<(), ::csv::Error> {
    for cell in cells {
        if looks_like_formula(cell) {
            quoted.clear();
            quoted.push('\'');
            quoted.push_str(cell);
            csv.write_field(&quoted)?;
        } else {
            csv.write_field(cell)?;
        }
    }
    csv.write_record(None::<&[u8]>)
}

fn estimated_size(book: &Workbook) -> usize {
    let sample = book.rows.iter().take(100);
    let (rows, bytes) = sample.fold((0, 0), |(n, b), row| {
        (
            n + 1,
            b + row.iter().map(|c| c.len() + 1).sum::<usize>() + 1,
        )
    });
    if rows == 0 {
        return 1024;
    }
    bytes / rows * (book.rows.len() + 1) + 1024
}
