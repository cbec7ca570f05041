//! The engine's one calendar: proleptic Gregorian civil dates in UTC (Howard Hinnant's
//! `days_from_civil` / `civil_from_days`), the one ISO 8601 parser and the ISO 8601 formatters.
//! No wall clock: callers turn simulated time into epoch seconds through the scenario's start
//! (`schedule_expr::StartDate`).
//!
//! Users of the parser: scheduled scaling `StartTime`/`EndTime` and `at()` expressions and the
//! scenario `startDate` (`schedule_expr::parse_timestamp`), ECR `imagePushedAt`
//! (`ecr::parse_iso8601_ms`), and the Cluster Query Language's `registeredAt` literals
//! (`cql::parse_date`). Each accepts the forms its API documents (a time or not, a zone or not)
//! on top of the one grammar here.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// A UTC calendar instant to whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl Civil {
    pub fn from_epoch(secs: i64) -> Civil {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: ((rem % 3600) / 60) as u32,
            second: (rem % 60) as u32,
        }
    }

    /// ISO 8601 `yyyy-mm-ddThh:mm:ssZ`.
    pub fn iso(&self) -> String {
        let mut s = String::with_capacity(24);
        if !self.push_iso_seconds(&mut s) {
            return format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                self.year, self.month, self.day, self.hour, self.minute, self.second
            );
        }
        s.push('Z');
        s
    }

    /// ISO 8601 with milliseconds, `yyyy-mm-ddThh:mm:ss.mmmZ`.
    pub fn iso_ms(&self, millis: u64) -> String {
        let mut s = String::with_capacity(24);
        if millis > 999 || !self.push_iso_seconds(&mut s) {
            return format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                self.year, self.month, self.day, self.hour, self.minute, self.second, millis
            );
        }
        s.push('.');
        push_digits(&mut s, millis as u32, 3);
        s.push('Z');
        s
    }

    /// `yyyy-mm-ddThh:mm:ss` written digit by digit (these stamps are on every log line; the
    /// `format!` they replace was a few percent of a large run). False, writing nothing, for a
    /// year outside 0..=9999 or a field out of its range: the caller formats those with `format!`.
    fn push_iso_seconds(&self, s: &mut String) -> bool {
        if !(0..=9999).contains(&self.year)
            || self.month > 99
            || self.day > 99
            || self.hour > 99
            || self.minute > 99
            || self.second > 99
        {
            return false;
        }
        push_digits(s, self.year as u32, 4);
        s.push('-');
        push_digits(s, self.month, 2);
        s.push('-');
        push_digits(s, self.day, 2);
        s.push('T');
        push_digits(s, self.hour, 2);
        s.push(':');
        push_digits(s, self.minute, 2);
        s.push(':');
        push_digits(s, self.second, 2);
        true
    }
}

/// The last `width` decimal digits of `v`, zero-padded (`v` has at most `width` digits).
fn push_digits(s: &mut String, v: u32, width: u32) {
    for k in (0..width).rev() {
        s.push(char::from(b'0' + ((v / 10u32.pow(k)) % 10) as u8));
    }
}

/// What an ISO 8601 text gave: the instant (UTC, offset applied) and which parts were written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IsoInstant {
    /// Milliseconds since 1970-01-01T00:00:00Z (fractions beyond milliseconds dropped).
    pub epoch_ms: i64,
    /// A time of day followed the date.
    pub has_time: bool,
    /// The time of day had seconds (`hh:mm:ss`, not just `hh:mm`).
    pub has_seconds: bool,
    /// `Some(minutes east of UTC)` when a zone was written (`Z` is `Some(0)`).
    pub offset_min: Option<i64>,
}

impl IsoInstant {
    /// Whole seconds since the epoch (rounded down).
    pub fn epoch_secs(&self) -> i64 {
        self.epoch_ms.div_euclid(1000)
    }
}

/// Why a text is not an ISO 8601 date(-time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IsoError {
    /// Not of the shape `yyyy-mm-dd[Thh:mm[:ss[.fff]][Z|+hh:mm|-hh:mm]]`.
    Shape,
    /// The shape is right but the date or time does not exist (month 13, 29 February 2026, 24:00).
    Range,
}

/// Parse `yyyy-mm-dd`, optionally followed by `T` (or `t` / a space) and `hh:mm[:ss[.fff...]]`,
/// optionally followed by `Z`/`z` or a `+hh:mm` / `-hh:mm` offset.
pub fn parse_iso8601(s: &str) -> Result<IsoInstant, IsoError> {
    fn digits(t: &str, len: usize) -> Result<u32, IsoError> {
        if t.len() == len && t.bytes().all(|b| b.is_ascii_digit()) {
            t.parse().map_err(|_| IsoError::Shape)
        } else {
            Err(IsoError::Shape)
        }
    }
    let (date, time) = match s.split_once(['T', 't', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut dp = date.split('-');
    let (Some(y), Some(mo), Some(d), None) = (dp.next(), dp.next(), dp.next(), dp.next()) else {
        return Err(IsoError::Shape);
    };
    let (y, mo, d) = (i64::from(digits(y, 4)?), digits(mo, 2)?, digits(d, 2)?);
    let mut out = IsoInstant { epoch_ms: 0, has_time: false, has_seconds: false, offset_min: None };
    let (mut secs, mut frac_ms) = (0i64, 0i64);
    let mut range_ok = (1..=12).contains(&mo) && d >= 1 && d <= days_in_month(y, mo);
    if let Some(t) = time {
        out.has_time = true;
        let (clock, offset) = if let Some(c) = t.strip_suffix(['Z', 'z']) {
            (c, Some(0))
        } else if let Some(pos) = t.rfind(['+', '-']) {
            let (c, z) = t.split_at(pos);
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (zh, zm) = z.get(1..).and_then(|z| z.split_once(':')).ok_or(IsoError::Shape)?;
            let (zh, zm) = (i64::from(digits(zh, 2)?), i64::from(digits(zm, 2)?));
            range_ok &= zh <= 23 && zm <= 59;
            (c, Some(sign * (zh * 60 + zm)))
        } else {
            (t, None)
        };
        out.offset_min = offset;
        let mut cp = clock.split(':');
        let h = digits(cp.next().ok_or(IsoError::Shape)?, 2)?;
        let mi = digits(cp.next().ok_or(IsoError::Shape)?, 2)?;
        let se = match cp.next() {
            Some(sv) => {
                out.has_seconds = true;
                match sv.split_once('.') {
                    Some((si, fr)) => {
                        if fr.is_empty() || !fr.bytes().all(|b| b.is_ascii_digit()) {
                            return Err(IsoError::Shape);
                        }
                        let fr3: String = fr.chars().chain("000".chars()).take(3).collect();
                        frac_ms = i64::from(digits(&fr3, 3)?);
                        digits(si, 2)?
                    }
                    None => digits(sv, 2)?,
                }
            }
            None => 0,
        };
        if cp.next().is_some() {
            return Err(IsoError::Shape);
        }
        range_ok &= h <= 23 && mi <= 59 && se <= 59;
        secs = i64::from(h * 3600 + mi * 60 + se) - offset.unwrap_or(0) * 60;
    }
    if !range_ok {
        return Err(IsoError::Range);
    }
    out.epoch_ms = (days_from_civil(y, mo, d) * 86_400 + secs) * 1000 + frac_ms;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_stamps_are_the_zero_padded_format() {
        for (secs, millis) in
            [(0i64, 0u64), (1_767_571_200, 7), (1_767_571_212, 450), (253_402_300_799, 999), (-62_135_596_800, 1)]
        {
            let c = Civil::from_epoch(secs);
            let whole =
                format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.year, c.month, c.day, c.hour, c.minute, c.second);
            assert_eq!(c.iso(), format!("{whole}Z"));
            assert_eq!(c.iso_ms(millis), format!("{whole}.{millis:03}Z"));
        }
        // Outside four-digit years, the same text as the format it replaces.
        let c = Civil::from_epoch(253_402_300_800);
        assert_eq!(c.iso(), "10000-01-01T00:00:00Z");
    }

    #[test]
    fn epoch_is_day_zero_and_a_thursday_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(Civil::from_epoch(0).iso(), "1970-01-01T00:00:00Z");
        for days in [-1000i64, 0, 59, 60, 365, 11_016, 20_458, 84_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap(2024) && is_leap(2000) && !is_leap(1900) && !is_leap(2026));
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2026, 2), 28);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2, "2000 is a leap year");
        assert_eq!(days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28), 1, "1900 is not");
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        assert_eq!(parse_iso8601("2026-02-29"), Err(IsoError::Range));
        assert!(parse_iso8601("2024-02-29").is_ok());
    }

    #[test]
    fn a_known_day_and_ends_of_months() {
        // 2026-11-26 is day 20,783 since the epoch (56 years, 14 of them leap, + 329 days).
        assert_eq!(days_from_civil(2026, 11, 26), 20_783);
        assert_eq!(Civil::from_epoch(20_783 * 86_400 + 3_661).iso(), "2026-11-26T01:01:01Z");
        assert_eq!(days_from_civil(2026, 12, 1) - days_from_civil(2026, 11, 30), 1);
        assert_eq!(civil_from_days(days_from_civil(2026, 12, 31) + 1), (2027, 1, 1));
        assert_eq!(civil_from_days(days_from_civil(2026, 4, 30) + 1), (2026, 5, 1));
        assert_eq!(parse_iso8601("2026-04-31"), Err(IsoError::Range));
        assert_eq!(parse_iso8601("2026-13-01"), Err(IsoError::Range));
    }

    #[test]
    fn parses_zones_fractions_and_formats_back() {
        let z = parse_iso8601("2026-11-01T09:30:05Z").expect("valid");
        assert_eq!((z.has_time, z.has_seconds, z.offset_min), (true, true, Some(0)));
        assert_eq!(Civil::from_epoch(z.epoch_secs()).iso(), "2026-11-01T09:30:05Z");
        assert_eq!(parse_iso8601("2026-11-01T10:30:05+01:00").map(|i| i.epoch_ms), Ok(z.epoch_ms));
        let f = parse_iso8601("2026-11-01T09:30:05.25Z").expect("valid");
        assert_eq!(f.epoch_ms, z.epoch_ms + 250);
        assert_eq!(Civil::from_epoch(f.epoch_secs()).iso_ms(250), "2026-11-01T09:30:05.250Z");
        let local = parse_iso8601("2026-11-01T09:30").expect("valid");
        assert_eq!((local.has_seconds, local.offset_min), (false, None));
        let date = parse_iso8601("2026-11-01").expect("valid");
        assert!(!date.has_time);
        assert_eq!(parse_iso8601("yesterday"), Err(IsoError::Shape));
        assert_eq!(parse_iso8601("2026-11-01T24:00:00Z"), Err(IsoError::Range));
        assert_eq!(parse_iso8601("2026-11-01T09:30:05."), Err(IsoError::Shape));
    }
}
