//! Times as the API shows them — RFC 3339 in UTC — and as people read them: in the
//! organisation's time zone ([`Zone`]), in their language (« 4 décembre 2026 à 15 h 13 »,
//! "4 December 2026 at 3:13 PM"). The words (month names, the order of the parts) are the
//! catalogues' (`time-…` in `locales/`); the zone's rules are jiff's bundled IANA database.
//!
//! The RFC 3339 conversion is written out here (the civil-from-days algorithm, a dozen lines).

use crate::i18n::message;
use sesame_core::{Language, Zone};

/// The parts of `ms` on the zone's wall clock: year, month, day, hour, minute. `None` past what
/// a date can hold (not a time any row stores).
fn wall_clock(zone: &Zone, ms: i64) -> Option<(i16, i8, i8, i8, i8)> {
    let at = jiff::Timestamp::from_millisecond(ms).ok()?;
    let t = zone.tz().to_datetime(at);
    Some((t.year(), t.month(), t.day(), t.hour(), t.minute()))
}

/// The day of `ms` on the zone's wall clock, as `YYYY-MM-DD` (what a date field holds).
pub fn day_code(zone: &Zone, ms: i64) -> String {
    match wall_clock(zone, ms) {
        Some((y, mo, d, _, _)) => format!("{y:04}-{mo:02}-{d:02}"),
        None => rfc3339(ms)[..10].to_string(),
    }
}

/// The first millisecond of `day` (`YYYY-MM-DD`) on the zone's wall clock, and the first of
/// the next day: the bounds of that day as its people live it (23 or 25 hours on the days the
/// clocks change). `None` for text that is not a day.
pub fn day_bounds(zone: &Zone, day: &str) -> Option<(i64, i64)> {
    let date: jiff::civil::Date = day.trim().parse().ok()?;
    let midnight = |d: jiff::civil::Date| {
        zone.tz()
            .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
            .ok()
    };
    let start = midnight(date)?;
    let next = midnight(date.tomorrow().ok()?)?;
    Some((start.as_millisecond(), next.as_millisecond()))
}

/// The day of `ms` in `zone`, in `lang`: « 1er décembre 2026 », "1 December 2026".
pub fn date(lang: Language, zone: &Zone, ms: i64) -> String {
    match wall_clock(zone, ms) {
        Some((y, mo, d, _, _)) => day(lang, y, mo, d),
        None => rfc3339(ms),
    }
}

/// The day and minute of `ms` in `zone`, in `lang`: « 4 décembre 2026 à 15 h 13 »,
/// "4 December 2026 at 3:13 PM".
pub fn date_time(lang: Language, zone: &Zone, ms: i64) -> String {
    let Some((y, mo, d, h, mi)) = wall_clock(zone, ms) else {
        return rfc3339(ms);
    };
    let hour12 = match h % 12 {
        0 => 12,
        h => h,
    };
    message(
        lang,
        "time-date-time",
        &[
            ("date", day(lang, y, mo, d)),
            ("hour", h.to_string()),
            ("hour12", hour12.to_string()),
            ("minute", format!("{mi:02}")),
            ("half", if h < 12 { "am" } else { "pm" }.to_string()),
        ],
    )
}

/// [`date`] of a time as the views carry it (RFC 3339); text that is not one is left as is.
pub fn date_of(lang: Language, zone: &Zone, rfc3339: &str) -> String {
    match parse_timestamp(rfc3339) {
        Some(ms) => date(lang, zone, ms),
        None => rfc3339.to_string(),
    }
}

/// [`date_time`] of a time as the views carry it (RFC 3339); text that is not one is left as is.
pub fn date_time_of(lang: Language, zone: &Zone, rfc3339: &str) -> String {
    match parse_timestamp(rfc3339) {
        Some(ms) => date_time(lang, zone, ms),
        None => rfc3339.to_string(),
    }
}

/// Any RFC 3339 time (with its offset and fractions), in Unix milliseconds.
fn parse_timestamp(text: &str) -> Option<i64> {
    text.trim()
        .parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

fn day(lang: Language, year: i16, month: i8, day: i8) -> String {
    message(
        lang,
        "time-date",
        &[
            ("day", day.to_string()),
            ("month", message(lang, &format!("time-month-{month}"), &[])),
            ("year", year.to_string()),
        ],
    )
}

/// Now, in milliseconds since 1970 (the store's clock).
pub use sesame_store::now_ms;

/// `1764000000000` → `2025-11-24T16:00:00.000Z`.
pub fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    // Howard Hinnant's days_from_civil, inverted.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}:{s:02}.{millis:03}Z")
}

/// Parses the `YYYY-MM-DD` or full RFC 3339 UTC forms this API accepts in filters.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let t = text.trim();
    let date = t.get(0..10)?;
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let mo: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let (mut h, mut mi, mut s) = (0, 0, 0);
    if t.len() > 10 {
        let time = t.get(11..19)?;
        let mut tp = time.split(':');
        h = tp.next()?.parse().ok()?;
        mi = tp.next()?.parse().ok()?;
        s = tp.next()?.parse().ok()?;
        let rest = &t[19..];
        if !(rest.ends_with('Z') || rest.ends_with("+00:00")) {
            return None;
        }
    }
    let yy = if mo <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy.rem_euclid(400);
    let mp = if mo > 2 { mo - 3 } else { mo + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400) + h * 3600 + mi * 60 + s) * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_the_organisations_day() {
        let paris = Zone::parse("Europe/Paris").expect("zone");
        let (start, next) = day_bounds(&paris, "2026-12-07").expect("day");
        assert_eq!(rfc3339(start), "2026-12-06T23:00:00.000Z");
        assert_eq!(next - start, 86_400_000);
        // The day the clocks go back in Toronto lasts 25 hours.
        let toronto = Zone::parse("America/Toronto").expect("zone");
        let (start, next) = day_bounds(&toronto, "2026-11-01").expect("day");
        assert_eq!(rfc3339(start), "2026-11-01T04:00:00.000Z");
        assert_eq!(next - start, 25 * 3_600_000);
        assert_eq!(day_code(&paris, start + 3_600_000), "2026-11-01");
        assert_eq!(day_code(&toronto, start - 1), "2026-10-31");
        assert_eq!(day_bounds(&paris, "hier"), None);
        assert_eq!(day_bounds(&paris, "2026-02-30"), None);
    }

    #[test]
    fn round_trips() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(rfc3339(1_795_392_000_000), "2026-11-23T00:00:00.000Z");
        assert_eq!(parse_rfc3339("2026-11-23"), Some(1_795_392_000_000));
        assert_eq!(parse_rfc3339("2000-02-29T00:00:00Z"), Some(951_782_400_000));
        assert_eq!(parse_rfc3339("nonsense"), None);
    }

    fn zone(name: &str) -> Zone {
        Zone::parse(name).unwrap()
    }

    /// Unix ms of an RFC 3339 time, for readable tests.
    fn at(text: &str) -> i64 {
        parse_timestamp(text).unwrap()
    }

    #[test]
    fn people_read_times_in_the_zone_and_their_language() {
        let paris = zone("Europe/Paris");
        let t = at("2026-12-04T14:13:52.905Z");
        assert_eq!(
            date_time(Language::Fr, &paris, t),
            "4 décembre 2026 à 15 h 13"
        );
        assert_eq!(
            date_time(Language::En, &paris, t),
            "4 December 2026 at 3:13 PM"
        );
        assert_eq!(date(Language::Fr, &paris, t), "4 décembre 2026");
        assert_eq!(date(Language::En, &paris, t), "4 December 2026");
        // French says the first of the month as an ordinal.
        let first = at("2026-11-30T23:30:00Z");
        assert_eq!(
            date_time(Language::Fr, &paris, first),
            "1er décembre 2026 à 0 h 30"
        );
        assert_eq!(
            date_time(Language::En, &zone("UTC"), first),
            "30 November 2026 at 11:30 PM"
        );
        // The views' RFC 3339 text, whatever its offset; other text is left alone.
        assert_eq!(
            date_time_of(Language::Fr, &paris, "2026-12-04T14:13:52.905Z"),
            "4 décembre 2026 à 15 h 13"
        );
        assert_eq!(
            date_of(Language::En, &paris, "2026-12-04T23:30:00-05:00"),
            "5 December 2026"
        );
        assert_eq!(date_time_of(Language::Fr, &paris, "bientôt"), "bientôt");
    }

    #[test]
    fn midnight_and_noon() {
        let paris = zone("Europe/Paris");
        let midnight = at("2026-01-14T23:00:00Z");
        let noon = at("2026-01-15T11:05:00Z");
        assert_eq!(
            date_time(Language::Fr, &paris, midnight),
            "15 janvier 2026 à 0 h 00"
        );
        assert_eq!(
            date_time(Language::En, &paris, midnight),
            "15 January 2026 at 12:00 AM"
        );
        assert_eq!(
            date_time(Language::Fr, &paris, noon),
            "15 janvier 2026 à 12 h 05"
        );
        assert_eq!(
            date_time(Language::En, &paris, noon),
            "15 January 2026 at 12:05 PM"
        );
    }

    #[test]
    fn changes_of_time_follow_each_zone() {
        let paris = zone("Europe/Paris");
        let toronto = zone("America/Toronto");
        // Paris goes to summer time on 29 March 2026 at 01:00 UTC (02:00 → 03:00).
        assert_eq!(
            date_time(Language::Fr, &paris, at("2026-03-29T00:59:00Z")),
            "29 mars 2026 à 1 h 59"
        );
        assert_eq!(
            date_time(Language::Fr, &paris, at("2026-03-29T01:00:00Z")),
            "29 mars 2026 à 3 h 00"
        );
        // And back on 25 October 2026 at 01:00 UTC (03:00 → 02:00).
        assert_eq!(
            date_time(Language::En, &paris, at("2026-10-25T00:30:00Z")),
            "25 October 2026 at 2:30 AM"
        );
        assert_eq!(
            date_time(Language::En, &paris, at("2026-10-25T01:30:00Z")),
            "25 October 2026 at 2:30 AM"
        );
        // Toronto (Québec's Eastern time) on 8 March 2026 at 07:00 UTC (02:00 → 03:00)…
        assert_eq!(
            date_time(Language::Fr, &toronto, at("2026-03-08T06:59:00Z")),
            "8 mars 2026 à 1 h 59"
        );
        assert_eq!(
            date_time(Language::En, &toronto, at("2026-03-08T07:00:00Z")),
            "8 March 2026 at 3:00 AM"
        );
        // …and back on 1 November 2026 at 06:00 UTC (02:00 → 01:00), the day changing too.
        assert_eq!(
            date_time(Language::Fr, &toronto, at("2026-11-01T05:30:00Z")),
            "1er novembre 2026 à 1 h 30"
        );
        assert_eq!(
            date_time(Language::Fr, &toronto, at("2026-11-01T06:30:00Z")),
            "1er novembre 2026 à 1 h 30"
        );
        assert_eq!(
            date(Language::En, &toronto, at("2026-11-01T03:59:00Z")),
            "31 October 2026"
        );
    }

    #[test]
    fn every_month_has_its_name() {
        for lang in Language::ALL {
            for m in 1..=12 {
                let id = format!("time-month-{m}");
                assert_ne!(message(lang, &id, &[]), id, "{lang:?} {m}");
            }
        }
    }
}
