//! Civil (proleptic Gregorian, UTC) date arithmetic for ECR push times, with no wall clock.
//!
//! A scenario may write `imagePushedAt` as an ISO 8601 UTC timestamp ("2026-10-18T09:30:00Z",
//! the shape DescribeImages prints) relative to the scenario's `startDate`, or as simulated
//! seconds relative to the start (negative = pushed before the scenario began). Both become
//! signed milliseconds relative to the start: `SimTime` 0 is `startDate`.

use crate::error::{ApiError, ApiResult};

// One implementation of the civil-date arithmetic for the whole engine (Howard Hinnant's
// algorithms), shared with the scheduled-scaling and EventBridge schedule expressions.
use crate::schedule_expr::days_in_month;
pub use crate::schedule_expr::{civil_from_days, days_from_civil};

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
