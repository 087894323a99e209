//! Organisations: their profile (which presets they start from) and their slug.

use crate::error::{Invalid, trim_all};
use crate::user::UserField;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The kind of organisation, which decides the preset roles and the default required fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// A French AMAP (community-supported agriculture association).
    Amap,
    /// A daycare network with several facilities ("installations").
    Daycare,
    Generic,
}

impl Profile {
    pub const ALL: [Profile; 3] = [Profile::Amap, Profile::Daycare, Profile::Generic];

    pub fn code(self) -> &'static str {
        match self {
            Profile::Amap => "amap",
            Profile::Daycare => "daycare",
            Profile::Generic => "generic",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match trim_all(raw).to_ascii_lowercase().as_str() {
            "amap" => Ok(Profile::Amap),
            "daycare" => Ok(Profile::Daycare),
            "generic" => Ok(Profile::Generic),
            _ => Err(Invalid::new("profile.unknown").with("expected", "amap, daycare, generic")),
        }
    }

    /// The fields this kind of organisation requires by default (an organisation setting after).
    pub fn default_required_fields(self) -> Vec<UserField> {
        use UserField::*;
        match self {
            Profile::Amap => vec![Login, Email],
            Profile::Daycare => vec![FirstName, LastName, Phone, Email],
            Profile::Generic => vec![FirstName, LastName, Email],
        }
    }

    /// The country whose phone formats are read by default.
    pub fn default_country(self) -> &'static str {
        match self {
            Profile::Daycare => "CA",
            _ => "FR",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The short name of an organisation in URLs and on the command line: lowercase ASCII letters,
/// digits and `-`, 2–40 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let v = trim_all(raw);
        let ok = (2..=40).contains(&v.len())
            && v.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !v.starts_with('-')
            && !v.ends_with('-');
        if ok {
            Ok(Self(v.to_string()))
        } else {
            Err(Invalid::new("slug.invalid"))
        }
    }

    /// Derives a slug from an organisation's name (`AMAP des Lilas` → `amap-des-lilas`).
    pub fn from_name(name: &str) -> Self {
        let ascii = deunicode::deunicode(name).to_ascii_lowercase();
        let mut out = String::new();
        for c in ascii.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        out.truncate(40);
        let out = out.trim_end_matches('-').to_string();
        if out.len() < 2 {
            Self("org".into())
        } else {
            Self(out)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            Slug::from_name("AMAP des Lilas — Montreuil").as_str(),
            "amap-des-lilas-montreuil"
        );
        assert_eq!(Slug::from_name("!").as_str(), "org");
        assert!(Slug::parse("Bad Slug").is_err());
        assert!(Slug::parse("ok-1").is_ok());
    }
}
