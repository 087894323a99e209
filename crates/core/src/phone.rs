//! Phone numbers, typed as people write them in their country and stored as E.164.

use crate::error::{Invalid, trim_all};
use phonenumber::country::Id;
use std::fmt;
use std::str::FromStr;

/// An ISO 3166-1 alpha-2 country, used to read national phone formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country(Id);

impl Country {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let code = trim_all(raw).to_ascii_uppercase();
        Id::from_str(&code)
            .map(Country)
            .map_err(|_| Invalid::new("country.unknown").with("value", raw))
    }

    pub fn code(&self) -> String {
        format!("{:?}", self.0)
    }
}

/// A valid number in E.164 form (`+33612345678`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// Reads `06 12 34 56 78`, `(514) 555-1234`, `+1 514 555 1234`, `0033 6 12 34 56 78`; a
    /// number without a country prefix is read in `country`.
    pub fn parse(raw: &str, country: Country) -> Result<Self, Invalid> {
        let value = trim_all(raw);
        if value.is_empty() {
            return Err(Invalid::new("phone.empty"));
        }
        let invalid = || Invalid::new("phone.invalid").with("country", country.code());
        if value
            .chars()
            .any(|c| c.is_alphabetic() && !matches!(c, 'x' | 'X'))
        {
            return Err(invalid());
        }
        let number = phonenumber::parse(Some(country.0), value).map_err(|_| invalid())?;
        if !phonenumber::is_valid(&number) {
            return Err(invalid());
        }
        Ok(Self(
            number.format().mode(phonenumber::Mode::E164).to_string(),
        ))
    }

    /// Wraps a value already stored in E.164 form.
    /// Loads the phone-number metadata now. The `phonenumber` crate reads its database of
    /// every country's formats on first use, which takes ~100 ms and a few MiB: `serve` calls
    /// this on a thread of its own at start, so that the first request that shows a phone
    /// number does not stall (bench/README.md).
    pub fn warm_up() {
        let _ = Self::from_e164("+33612345678").display(Country(Id::FR));
    }

    pub fn from_e164(stored: &str) -> Self {
        Self(stored.to_string())
    }

    pub fn e164(&self) -> &str {
        &self.0
    }

    /// The national format of `country` when the number is from there (`06 12 34 56 78`),
    /// the international format otherwise.
    pub fn display(&self, country: Country) -> String {
        match phonenumber::parse(None, &self.0) {
            Ok(n) if n.country().id() == Some(country.0) => {
                n.format().mode(phonenumber::Mode::National).to_string()
            }
            Ok(n) => n
                .format()
                .mode(phonenumber::Mode::International)
                .to_string(),
            Err(_) => self.0.clone(),
        }
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_formats_become_e164() {
        let fr = Country::parse("fr").unwrap();
        let ca = Country::parse("CA").unwrap();
        assert_eq!(
            Phone::parse("06 12 34 56 78", fr).unwrap().e164(),
            "+33612345678"
        );
        assert_eq!(
            Phone::parse("06.12.34.56.78", fr).unwrap().e164(),
            "+33612345678"
        );
        assert_eq!(
            Phone::parse("+33 6 12 34 56 78", ca).unwrap().e164(),
            "+33612345678"
        );
        assert_eq!(
            Phone::parse("(514) 555-1234", ca).unwrap().e164(),
            "+15145551234"
        );
        assert_eq!(
            Phone::parse("514-555-1234", ca).unwrap().e164(),
            "+15145551234"
        );
        assert_eq!(Phone::parse("123", fr).unwrap_err().code, "phone.invalid");
        assert_eq!(Phone::parse("abc", fr).unwrap_err().code, "phone.invalid");
        assert_eq!(Country::parse("zz").unwrap_err().code, "country.unknown");
    }

    #[test]
    fn shown_in_national_format_at_home() {
        let fr = Country::parse("FR").unwrap();
        let ca = Country::parse("CA").unwrap();
        let p = Phone::from_e164("+33612345678");
        assert_eq!(p.display(fr), "06 12 34 56 78");
        assert_eq!(p.display(ca), "+33 6 12 34 56 78");
    }
}
