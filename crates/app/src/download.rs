//! Files the application hands out — the import template, the export, an import's error file,
//! the audit log's export: one type, whatever face serves it (a page, the API).

use crate::{Error, Result};
use sesame_core::FieldError;
pub use sesame_sheet::{Column, Format, Workbook};

/// A file to download: its bytes, its type and the name it is saved under.
#[derive(Debug, Clone)]
pub struct Download {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    /// ASCII letters, digits, dots and dashes only: safe in a `Content-Disposition` header.
    pub file_name: String,
}

impl Download {
    /// `book` written as `format`, saved as `stem` with the format's extension.
    pub fn sheet(format: Format, book: &Workbook, stem: &str) -> Result<Self> {
        let bytes =
            sesame_sheet::write(format, book).map_err(|e| Error::Internal(e.to_string()))?;
        Ok(Download {
            bytes,
            content_type: format.content_type(),
            file_name: safe_name(&format!("{stem}.{}", format.extension())),
        })
    }
}

/// `name` with every character but ASCII letters, digits, dots and dashes made a dash (an
/// uploaded file's name reaches the error file's: it is never sent back raw).
fn safe_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// A spreadsheet format asked for by name on `field` (`xlsx`, `ods`, `csv`; `default` when
/// none is given), refused when unknown or not one Sésame writes.
pub fn format_of(
    field: &str,
    raw: Option<&str>,
    default: Option<Format>,
) -> Result<Option<Format>> {
    match raw.map(str::trim).filter(|f| !f.is_empty()) {
        None => Ok(default),
        Some(f) => Format::parse(f)
            .filter(|f| f.writable())
            .map(Some)
            .ok_or_else(|| {
                Error::Invalid(vec![
                    FieldError::new(field, "import.format").with("value", f),
                ])
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_in_a_header() {
        assert_eq!(safe_name("adhérents 2026\".xlsx"), "adh-rents-2026-.xlsx");
        assert_eq!(safe_name("membres.csv"), "membres.csv");
    }
}
