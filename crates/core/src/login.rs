//! Login ("identifiant"): what a person types to sign in, besides their e-mail.

use crate::error::{Invalid, trim_all};
use std::fmt;

/// Lowercase ASCII letters, digits, `.`, `-` and `_`, starting with a letter or a digit,
/// at most [`Login::MAX`] characters. Upper case is folded, since `Zoe.Lefevre` and
/// `zoe.lefevre` must not be two people.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Login(String);

impl Login {
    pub const MAX: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = trim_all(raw).to_ascii_lowercase();
        if value.is_empty() {
            return Err(Invalid::new("login.empty"));
        }
        // Named by code point, not printed: printed, they would reorder or hide the message.
        crate::text::check_visible(&value)?;
        let bad: String = value
            .chars()
            .filter(|c| !allowed(*c))
            .map(|c| {
                if c == ' ' {
                    "␣".to_string()
                } else if c.is_alphanumeric() || c.is_ascii_graphic() {
                    c.to_string()
                } else {
                    crate::text::code_point(c)
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        if !bad.is_empty() {
            return Err(Invalid::new("login.invalid_chars").with("chars", bad));
        }
        if value.chars().count() > Self::MAX {
            return Err(Invalid::new("login.too_long").with("max", Self::MAX.to_string()));
        }
        if !value.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(Invalid::new("login.bad_start"));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn allowed(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_')
}

impl fmt::Display for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Suggests `prenom.nom`: accents transliterated (é→e, œ→oe, ß→ss, Nguyễn→nguyen), apostrophes
/// dropped, spaces and other separators turned into `-`, then made unique with a number
/// (`zoe.lefevre2`, `zoe.lefevre3`, …) against `is_taken`.
pub fn suggest_login(
    first_name: &str,
    last_name: &str,
    is_taken: impl FnMut(&str) -> bool,
) -> Login {
    suggest_login_from(&login_base(first_name, last_name), 1, is_taken).0
}

/// The login suggested before any number: `prenom.nom`, short enough for a suffix.
pub fn login_base(first_name: &str, last_name: &str) -> String {
    let parts: Vec<String> = [first_name, last_name]
        .iter()
        .map(|p| slug_part(p))
        .filter(|p| !p.is_empty())
        .collect();
    let mut base = if parts.is_empty() {
        "membre".to_string()
    } else {
        parts.join(".")
    };
    // Leave room for a numeric suffix within the maximum length.
    if base.len() > Login::MAX - 6 {
        base.truncate(Login::MAX - 6);
        base = base.trim_end_matches(['.', '-']).to_string();
    }
    base
}

/// The first free login from `base` trying the numbers from `start` on (1: `base` itself), and
/// the number used: an import of many namesakes remembers it instead of trying 2, 3, … again.
pub fn suggest_login_from(
    base: &str,
    start: u32,
    mut is_taken: impl FnMut(&str) -> bool,
) -> (Login, u32) {
    let candidate = |n: u32| {
        if n <= 1 {
            base.to_string()
        } else {
            format!("{base}{n}")
        }
    };
    let mut n = start.max(1);
    while is_taken(&candidate(n)) {
        n += 1;
    }
    (Login(candidate(n)), n)
}

fn slug_part(raw: &str) -> String {
    let ascii = deunicode::deunicode(trim_all(raw)).to_ascii_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if matches!(c, '\'' | '`' | '"') {
            // O'Brien → obrien, d'Artagnan → dartagnan
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namesakes_continue_from_the_number_remembered() {
        let taken = ["zoe.lefevre", "zoe.lefevre2", "zoe.lefevre3"];
        let base = login_base("Zoé", "Lefèvre");
        assert_eq!(base, "zoe.lefevre");
        let (first, n) = suggest_login_from(&base, 1, |l| taken.contains(&l));
        assert_eq!((first.as_str(), n), ("zoe.lefevre4", 4));
        // Starting further on skips what is known to be taken, and still checks.
        let (next, n) = suggest_login_from(&base, 5, |l| l == "zoe.lefevre5");
        assert_eq!((next.as_str(), n), ("zoe.lefevre6", 6));
        assert_eq!(
            suggest_login("Zoé", "Lefèvre", |l| taken.contains(&l)).as_str(),
            "zoe.lefevre4"
        );
    }

    #[test]
    fn parse_folds_case_and_refuses_spaces_and_accents() {
        assert_eq!(
            Login::parse(" Zoe.Lefevre ").unwrap().as_str(),
            "zoe.lefevre"
        );
        let e = Login::parse("zoé lefèvre").unwrap_err();
        assert_eq!(e.code, "login.invalid_chars");
        assert_eq!(e.args, vec![("chars", "é ␣ è".to_string())]);
        assert_eq!(Login::parse("").unwrap_err().code, "login.empty");
        assert_eq!(Login::parse(".zoe").unwrap_err().code, "login.bad_start");
        assert_eq!(
            Login::parse(&"a".repeat(65)).unwrap_err().code,
            "login.too_long"
        );
    }

    #[test]
    fn suggestions_follow_prenom_nom() {
        let none = |_: &str| false;
        for (first, last, want) in [
            ("Zoé", "Lefèvre", "zoe.lefevre"),
            ("François", "Garçon", "francois.garcon"),
            ("Lætitia", "Cœur", "laetitia.coeur"),
            ("Jürgen", "Groß", "jurgen.gross"),
            ("Thị Minh", "Nguyễn", "thi-minh.nguyen"),
            ("Jean-Pierre", "D'Artagnan", "jean-pierre.dartagnan"),
            ("Anne Marie", "de la Tour", "anne-marie.de-la-tour"),
            ("Łukasz", "Øster", "lukasz.oster"),
            ("", "Martin", "martin"),
            ("  ", "", "membre"),
        ] {
            assert_eq!(
                suggest_login(first, last, none).as_str(),
                want,
                "{first} {last}"
            );
        }
    }

    #[test]
    fn suggestions_are_made_unique_with_a_number() {
        let taken = ["zoe.lefevre", "zoe.lefevre2"];
        assert_eq!(
            suggest_login("Zoé", "Lefèvre", |l| taken.contains(&l)).as_str(),
            "zoe.lefevre3"
        );
    }

    proptest::proptest! {
        #[test]
        fn every_suggestion_is_a_valid_login(first in "\\PC{0,30}", last in "\\PC{0,30}") {
            let s = suggest_login(&first, &last, |_| false);
            proptest::prop_assert_eq!(Login::parse(s.as_str()).unwrap(), s);
        }
    }
}
