//! The organisation's time zone ("fuseau horaire"): every date a person reads is shown in it.
//!
//! A zone is an IANA name known to the time-zone database compiled into the binary (jiff's
//! bundled copy), so every instance reads the same rules whatever the machine has installed.
//! The API and the database keep times in UTC; only what people read is converted.

use crate::error::{Invalid, trim_all};
use jiff::tz::TimeZone;
use std::fmt;
use std::sync::OnceLock;

/// The main zone of the countries organisations are most likely to be in (French-speaking
/// first). Migration 0018 gave existing organisations the same defaults (a test compares
/// them); a country missing here starts in UTC, to be set on the settings page.
pub const COUNTRY_ZONES: &[(&str, &str)] = &[
    ("FR", "Europe/Paris"),
    ("BE", "Europe/Brussels"),
    ("CH", "Europe/Zurich"),
    ("LU", "Europe/Luxembourg"),
    ("MC", "Europe/Monaco"),
    // Québec, where Sésame's Canadian organisations are: Eastern time (Montréal is an alias of
    // Toronto in the IANA database).
    ("CA", "America/Toronto"),
    ("US", "America/New_York"),
    ("GB", "Europe/London"),
    ("DE", "Europe/Berlin"),
    ("ES", "Europe/Madrid"),
    ("IT", "Europe/Rome"),
    ("PT", "Europe/Lisbon"),
    ("NL", "Europe/Amsterdam"),
    ("GP", "America/Guadeloupe"),
    ("MQ", "America/Martinique"),
    ("GF", "America/Cayenne"),
    ("RE", "Indian/Reunion"),
    ("YT", "Indian/Mayotte"),
    ("PM", "America/Miquelon"),
    ("NC", "Pacific/Noumea"),
    ("PF", "Pacific/Tahiti"),
    ("SN", "Africa/Dakar"),
    ("CI", "Africa/Abidjan"),
    ("MA", "Africa/Casablanca"),
    ("TN", "Africa/Tunis"),
    ("DZ", "Africa/Algiers"),
];

/// An IANA time zone known to the bundled database, by its canonical name (`Europe/Paris`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl Zone {
    /// Reads an IANA name, whatever its case (`europe/paris` → `Europe/Paris`). Offsets
    /// (`+01:00`) and abbreviations (`CET` is a zone, `EST5` is not) are refused unless the
    /// database names them: an organisation's clock follows its place's changes of time.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = trim_all(raw);
        let unknown = || Invalid::new("time_zone.unknown").with("value", value);
        if value.is_empty() {
            return Err(Invalid::new("time_zone.empty"));
        }
        let tz = TimeZone::get(value).map_err(|_| unknown())?;
        let name = tz.iana_name().ok_or_else(unknown)?.to_string();
        Ok(Self { name, tz })
    }

    /// UTC: the zone of an organisation whose country has no known default.
    pub fn utc() -> Self {
        Self {
            name: "UTC".into(),
            tz: TimeZone::UTC,
        }
    }

    /// The zone an organisation of `country` (an ISO 3166 code) starts with: the table's, else
    /// UTC — the same rule as migration 0018's for the organisations that existed before.
    pub fn default_for_country(country: &str) -> Self {
        let code = country.trim().to_ascii_uppercase();
        COUNTRY_ZONES
            .iter()
            .find(|(c, _)| *c == code)
            .and_then(|(_, name)| Self::parse(name).ok())
            .unwrap_or_else(Self::utc)
    }

    /// The stored value as read back: a name the database no longer knows is shown in UTC
    /// rather than refused (the settings page then says which zone is in force).
    pub fn from_stored(name: &str) -> Self {
        Self::parse(name).unwrap_or_else(|_| Self::utc())
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// The names offered on the settings page: the primary zone of each place, and UTC,
    /// sorted. Read once from the bundled database (the same in every instance).
    pub fn names() -> &'static [String] {
        static NAMES: OnceLock<Vec<String>> = OnceLock::new();
        NAMES.get_or_init(Self::read_names)
    }

    fn read_names() -> Vec<String> {
        let mut names: Vec<String> = jiff::tz::db()
            .available()
            .filter(|n| {
                TimeZone::get(n.as_str()).is_ok_and(|tz| tz.is_primary() && tz.location().is_some())
            })
            .map(|n| n.as_str().to_string())
            .collect();
        names.push("UTC".into());
        names.sort();
        names.dedup();
        names
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_whatever_their_case_and_unknown_ones_refused() {
        assert_eq!(
            Zone::parse(" europe/paris ").unwrap().name(),
            "Europe/Paris"
        );
        assert_eq!(Zone::parse("UTC").unwrap().name(), "UTC");
        assert_eq!(
            Zone::parse("America/Montreal").unwrap().name(),
            "America/Montreal"
        );
        let e = Zone::parse("Europe/Pariss").unwrap_err();
        assert_eq!(e.code, "time_zone.unknown");
        assert_eq!(e.args, vec![("value", "Europe/Pariss".to_string())]);
        assert_eq!(Zone::parse("+01:00").unwrap_err().code, "time_zone.unknown");
        assert_eq!(Zone::parse("  ").unwrap_err().code, "time_zone.empty");
    }

    #[test]
    fn countries_give_their_main_zone() {
        assert_eq!(Zone::default_for_country("FR").name(), "Europe/Paris");
        assert_eq!(Zone::default_for_country("ca").name(), "America/Toronto");
        // Not in the table: UTC rather than a guess.
        assert_eq!(Zone::default_for_country("JP").name(), "UTC");
        assert_eq!(Zone::default_for_country("ZZ").name(), "UTC");
        for (country, name) in COUNTRY_ZONES {
            assert_eq!(Zone::parse(name).unwrap().name(), *name, "{country}");
        }
    }

    #[test]
    fn the_migration_gives_existing_organisations_the_same_defaults() {
        let sql = include_str!("../../store/migrations/0018_time_zone.sql");
        let said: Vec<(String, String)> = sql
            .lines()
            .filter_map(|l| {
                let rest = l.trim().strip_prefix("WHEN '")?;
                let (country, rest) = rest.split_once("' THEN '")?;
                let (zone, _) = rest.split_once('\'')?;
                Some((country.to_string(), zone.to_string()))
            })
            .collect();
        let table: Vec<(String, String)> = COUNTRY_ZONES
            .iter()
            .map(|(c, z)| (c.to_string(), z.to_string()))
            .collect();
        assert_eq!(said, table);
        assert!(sql.contains("ELSE 'UTC'"));
    }

    #[test]
    fn the_settings_page_offers_the_usual_zones() {
        let names = Zone::names();
        for n in ["Europe/Paris", "America/Toronto", "UTC", "Indian/Reunion"] {
            assert!(names.iter().any(|x| x == n), "{n}");
        }
        assert!(names.len() > 300, "{}", names.len());
    }
}
