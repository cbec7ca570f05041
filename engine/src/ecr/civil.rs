//! Civil (proleptic Gregorian, UTC) date arithmetic for ECR push times, with no wall clock.
//!
//! A scenario may write `imagePushedAt` as an ISO 8601 UTC timestamp ("2026-10-18T09:30:00Z",
//! the shape DescribeImages prints) relative to the scenario's `startDate`, or as simulated
//! seconds relative to the start (negative = pushed before the scenario began). Both become
//! signed milliseconds relative to the start: `SimTime` 0 is `startDate`.

use crate::error::{ApiError, ApiResult};

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let d = i64::from(d);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date of a day count since 1970-01-01 (inverse of `days_from_civil`).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parse `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]Z` or with a `+HH:MM`/`-HH:MM` offset into
/// milliseconds since the Unix epoch. `field` names the field in the error.
pub fn parse_iso8601_ms(s: &str, field: &str) -> ApiResult<i64> {
    let bad = || {
        ApiError::client(
            field,
            format!("'{s}' is not an ISO 8601 UTC date-time such as 2026-11-01T09:30:00Z or a date such as 2026-11-01"),
        )
    };
    let num = |t: &str| -> ApiResult<i64> {
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        t.parse::<i64>().map_err(|_| bad())
    };
    let (date, time) = match s.split_once(['T', 't', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut dp = date.split('-');
    let (Some(y), Some(mo), Some(d), None) = (dp.next(), dp.next(), dp.next(), dp.next()) else {
        return Err(bad());
    };
    let (y, mo, d) = (num(y)?, num(mo)?, num(d)?);
    if !(1..=12).contains(&mo) || d < 1 || d > i64::from(days_in_month(y, mo as u32)) {
        return Err(bad());
    }
    let mut ms = days_from_civil(y, mo as u32, d as u32) * 86_400_000;
    if let Some(t) = time {
        // Split off the zone designator.
        let (clock, offset_min) = if let Some(c) = t.strip_suffix(['Z', 'z']) {
            (c, 0)
        } else if let Some(pos) = t.rfind(['+', '-']) {
            let (c, z) = t.split_at(pos);
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (zh, zm) = z[1..].split_once(':').ok_or_else(bad)?;
            (c, sign * (num(zh)? * 60 + num(zm)?))
        } else {
            return Err(bad()); // no zone: ambiguous, and DescribeImages always prints one
        };
        let mut cp = clock.split(':');
        let h = num(cp.next().ok_or_else(bad)?)?;
        let mi = num(cp.next().ok_or_else(bad)?)?;
        let (sec, frac_ms) = match cp.next() {
            Some(sv) => match sv.split_once('.') {
                Some((si, fr)) => {
                    let fr3: String = fr.chars().chain("000".chars()).take(3).collect();
                    (num(si)?, num(&fr3)?)
                }
                None => (num(sv)?, 0),
            },
            None => (0, 0),
        };
        if cp.next().is_some() || h > 23 || mi > 59 || sec > 59 {
            return Err(bad());
        }
        ms += ((h * 60 + mi) * 60 + sec) * 1000 + frac_ms - offset_min * 60_000;
    }
    Ok(ms)
}

/// Format epoch milliseconds as `YYYY-MM-DDTHH:MM:SSZ` (whole seconds).
pub fn format_iso8601(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000) / 1000;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem / 60 % 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        let ms = parse_iso8601_ms("2026-11-01T09:30:05Z", "t").expect("valid");
        assert_eq!(format_iso8601(ms), "2026-11-01T09:30:05Z");
        assert_eq!(parse_iso8601_ms("2026-11-01T10:30:05+01:00", "t"), Ok(ms));
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(parse_iso8601_ms("2026-02-29", "t").is_err());
        assert!(parse_iso8601_ms("2026-11-01T09:30", "t").is_err(), "no zone");
        assert!(parse_iso8601_ms("yesterday", "t").is_err());
    }
}
