//! The languages Sésame speaks.

use crate::error::{Invalid, trim_all};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Fr,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Fr, Language::En];

    pub fn code(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::En => "en",
        }
    }

    /// Accepts the codes and the names people write in a spreadsheet (`fr`, `fr-CA`, `Français`,
    /// `English`, …).
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let v = deunicode::deunicode(trim_all(raw)).to_ascii_lowercase();
        let primary = v.split(['-', '_']).next().unwrap_or("");
        match primary {
            "fr" | "fra" | "fre" | "francais" | "french" => Ok(Language::Fr),
            "en" | "eng" | "anglais" | "english" => Ok(Language::En),
            _ => Err(Invalid::new("language.unknown").with("expected", "fr, en")),
        }
    }

    /// Picks the first supported language of an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut choices: Vec<(f32, Language)> = header
            .split(',')
            .filter_map(|part| {
                let mut it = part.trim().split(';');
                let lang = Language::parse(it.next()?).ok()?;
                let q = it
                    .find_map(|p| {
                        p.trim()
                            .strip_prefix("q=")
                            .and_then(|q| q.parse::<f32>().ok())
                    })
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, lang))
            })
            .collect();
        // Stable sort keeps the header's order among equal weights.
        choices.sort_by(|a, b| b.0.total_cmp(&a.0));
        choices.first().map(|c| c.1)
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_names_and_headers() {
        assert_eq!(Language::parse("Français").unwrap(), Language::Fr);
        assert_eq!(Language::parse("fr-CA").unwrap(), Language::Fr);
        assert_eq!(Language::parse("English").unwrap(), Language::En);
        assert!(Language::parse("de").is_err());
        assert_eq!(
            Language::from_accept_language("de-DE,en;q=0.8,fr;q=0.9"),
            Some(Language::Fr)
        );
        assert_eq!(
            Language::from_accept_language("en-CA,en;q=0.9"),
            Some(Language::En)
        );
        assert_eq!(Language::from_accept_language("de"), None);
    }
}
