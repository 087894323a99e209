//! Personal names ("prénom", "nom"): every Unicode letter is kept as typed, none of the
//! characters that reorder or hide text ([`crate::text`]).

use crate::error::{Invalid, trim_all};
use crate::text::check_visible;

/// A first or last name: trimmed, inner white space collapsed, no control characters nor any
/// that reorder or hide text, at most [`PersonName::MAX`] characters, and at least one letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = trim_all(raw)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if value.is_empty() {
            return Err(Invalid::new("name.empty"));
        }
        if value.chars().count() > Self::MAX {
            return Err(Invalid::new("name.too_long").with("max", Self::MAX.to_string()));
        }
        if value
            .chars()
            .any(|c| c.is_control() || matches!(c, '<' | '>' | '@' | '=' | ';' | '\\' | '{' | '}'))
        {
            return Err(Invalid::new("name.invalid_chars"));
        }
        check_visible(&value)?;
        if !value.chars().any(char::is_alphabetic) {
            return Err(Invalid::new("name.no_letter"));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Folds text for accent- and case-blind comparison: `Zoé Lefèvre` → `zoe lefevre`. Used for
/// search and for the uniqueness of group and role names.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(trim_all(text))
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A short label (group or role name): trimmed, white space collapsed, 1–80 characters, no
/// control characters nor any that reorder or hide text.
pub fn parse_label(raw: &str) -> Result<String, Invalid> {
    let value = trim_all(raw)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if value.is_empty() {
        return Err(Invalid::new("label.empty"));
    }
    if value.chars().count() > 80 {
        return Err(Invalid::new("label.too_long").with("max", "80"));
    }
    if value.chars().any(char::is_control) {
        return Err(Invalid::new("label.invalid_chars"));
    }
    check_visible(&value)?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_letters_and_collapses_spaces() {
        assert_eq!(
            PersonName::parse("  Thị   Minh ").unwrap().as_str(),
            "Thị Minh"
        );
        assert_eq!(
            PersonName::parse("O’Brien-Ñúñez").unwrap().as_str(),
            "O’Brien-Ñúñez"
        );
        assert_eq!(PersonName::parse("李").unwrap().as_str(), "李");
        assert_eq!(PersonName::parse("").unwrap_err().code, "name.empty");
        assert_eq!(PersonName::parse("123").unwrap_err().code, "name.no_letter");
        assert_eq!(
            PersonName::parse("=cmd()").unwrap_err().code,
            "name.invalid_chars"
        );
    }
}
