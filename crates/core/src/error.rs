//! Refusals as data: a stable code (`email.invalid`) and the arguments its message needs.
//! The words themselves live in `locales/`, rendered once per edge in the person's language.

use serde::Serialize;

/// Why a single value was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invalid {
    /// Stable, dotted code, e.g. `email.invalid`; also the message key in the catalogues.
    pub code: &'static str,
    /// Named arguments for the message, e.g. `("max", "64")`.
    pub args: Vec<(&'static str, String)>,
}

impl Invalid {
    pub fn new(code: &'static str) -> Self {
        Self {
            code,
            args: Vec::new(),
        }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// Attaches this refusal to the field (or spreadsheet column) it concerns.
    pub fn on(self, field: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            code: self.code,
            args: self.args,
        }
    }
}

/// A refusal attached to the field it concerns (`email`, `roles[1].role`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str) -> Self {
        Invalid::new(code).on(field)
    }

    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }
}

/// Trims the white space people paste around values, non-breaking spaces included
/// (spreadsheets and web forms are full of U+00A0 and U+202F).
pub fn trim_all(raw: &str) -> &str {
    raw.trim_matches(|c: char| {
        c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}' || c == '\u{feff}'
    })
}
