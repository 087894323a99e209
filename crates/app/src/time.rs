//! Times as the API shows them: RFC 3339 in UTC.
//!
//! Written out here (the civil-from-days algorithm, a dozen lines) rather than pulling a date
//! crate into the build for one conversion.

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
    fn round_trips() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(rfc3339(1_795_392_000_000), "2026-11-23T00:00:00.000Z");
        assert_eq!(parse_rfc3339("2026-11-23"), Some(1_795_392_000_000));
        assert_eq!(parse_rfc3339("2000-02-29T00:00:00Z"), Some(951_782_400_000));
        assert_eq!(parse_rfc3339("nonsense"), None);
    }
}
