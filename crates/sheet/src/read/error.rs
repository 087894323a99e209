//! Why a file cannot be read, as data: a stable message code and the values its message needs.
//!
//! The codes and their arguments (the application writes the fr/en sentences from these):
//!
//! | code                       | args                         | when                                            |
//! |----------------------------|------------------------------|-------------------------------------------------|
//! | `sheet.io`                 | —                            | the file could not be read from disk            |
//! | `sheet.not_spreadsheet`    | —                            | an image, a PDF, a Word file, text named `.xlsx`… |
//! | `sheet.unsupported`        | `format` (e.g. `xlsb`)       | a spreadsheet in a format we do not read        |
//! | `sheet.corrupt`            | `format`                     | truncated or damaged XLSX/XLS/ODS               |
//! | `sheet.encrypted`          | `format`                     | saved with a password                           |
//! | `sheet.empty`              | —                            | no cell anywhere                                |
//! | `sheet.headers_only`       | —                            | a header row and nothing below it               |
//! | `sheet.too_big`            | `limit`, `size` (bytes)      | the file is larger than `max_file_bytes`        |
//! | `sheet.unpacked_too_big`   | `limit`, `size` (bytes)      | an XLSX/ODS unpacks to more than allowed (an ODS's repeated cells spelled out), or calamine would build more of an XLS/ODS |
//! | `sheet.too_many_rows`      | `limit`                      | more rows below the header than `max_rows`      |
//! | `sheet.too_many_columns`   | `row`, `limit`               | a row with a cell beyond `max_columns`          |
//! | `sheet.cell_too_long`      | `row`, `column` (letters), `limit` | a cell longer than `max_cell_chars`       |
//! | `sheet.encoding`           | `encoding`, `row`            | a CSV whose bytes are not valid in its encoding |

/// Why a file cannot be read. `code()` is the message code the application translates,
/// `args()` the values that message needs; `Display` is for logs (English, with details).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("the file could not be read: {detail}")]
    Io { detail: String },
    #[error("not a spreadsheet")]
    NotSpreadsheet,
    #[error("{format} files are not supported")]
    Unsupported { format: &'static str },
    #[error("damaged {format} file: {detail}")]
    Corrupt {
        format: &'static str,
        detail: String,
    },
    #[error("{format} file protected by a password")]
    Encrypted { format: &'static str },
    #[error("the file is empty")]
    Empty,
    #[error("the file has a header row and no other row")]
    HeadersOnly,
    #[error("file of {size} bytes, more than the limit of {limit}")]
    TooBig { limit: u64, size: u64 },
    #[error("the file unpacks to {size} bytes, more than the limit of {limit}")]
    UnpackedTooBig { limit: u64, size: u64 },
    #[error("more than {limit} rows")]
    TooManyRows { limit: usize },
    #[error("row {row} has cells beyond column {limit}")]
    TooManyColumns { row: usize, limit: usize },
    #[error("cell {column}{row} is longer than {limit} characters")]
    CellTooLong {
        row: usize,
        /// As the spreadsheet names it: `A`, `B`, … `AA`.
        column: String,
        limit: usize,
    },
    #[error("row {row} is not valid {encoding}")]
    Encoding { encoding: &'static str, row: usize },
}

impl ReadError {
    /// The stable message code (see the module's table).
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Io { .. } => "sheet.io",
            ReadError::NotSpreadsheet => "sheet.not_spreadsheet",
            ReadError::Unsupported { .. } => "sheet.unsupported",
            ReadError::Corrupt { .. } => "sheet.corrupt",
            ReadError::Encrypted { .. } => "sheet.encrypted",
            ReadError::Empty => "sheet.empty",
            ReadError::HeadersOnly => "sheet.headers_only",
            ReadError::TooBig { .. } => "sheet.too_big",
            ReadError::UnpackedTooBig { .. } => "sheet.unpacked_too_big",
            ReadError::TooManyRows { .. } => "sheet.too_many_rows",
            ReadError::TooManyColumns { .. } => "sheet.too_many_columns",
            ReadError::CellTooLong { .. } => "sheet.cell_too_long",
            ReadError::Encoding { .. } => "sheet.encoding",
        }
    }

    /// The values the message needs, by name.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            ReadError::Io { .. }
            | ReadError::NotSpreadsheet
            | ReadError::Empty
            | ReadError::HeadersOnly => Vec::new(),
            ReadError::Unsupported { format }
            | ReadError::Corrupt { format, .. }
            | ReadError::Encrypted { format } => vec![("format", format.to_string())],
            ReadError::TooBig { limit, size } | ReadError::UnpackedTooBig { limit, size } => {
                vec![("limit", limit.to_string()), ("size", size.to_string())]
            }
            ReadError::TooManyRows { limit } => vec![("limit", limit.to_string())],
            ReadError::TooManyColumns { row, limit } => {
                vec![("row", row.to_string()), ("limit", limit.to_string())]
            }
            ReadError::CellTooLong { row, column, limit } => vec![
                ("row", row.to_string()),
                ("column", column.clone()),
                ("limit", limit.to_string()),
            ],
            ReadError::Encoding { encoding, row } => {
                vec![("encoding", encoding.to_string()), ("row", row.to_string())]
            }
        }
    }
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`.
pub(crate) fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}
