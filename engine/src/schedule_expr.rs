//! Schedule expressions as Application Auto Scaling (PutScheduledAction `Schedule`) and EventBridge
//! write them: `at(yyyy-mm-ddThh:mm:ss)`, `rate(value unit)` and the six-field
//! `cron(Minutes Hours Day-of-month Month Day-of-week Year)`.
//!
//! Calendar arithmetic is pure civil-date math (proleptic Gregorian, UTC): the engine has no wall
//! clock. Simulated time 0 is the scenario's start instant ([`StartDate`], default
//! [`DEFAULT_START`]). Schedules are evaluated in UTC: "By default, the recurring schedules that you
//! set are in Coordinated Universal Time (UTC)" (Application Auto Scaling User Guide, "How
//! scheduled scaling works").
//!
//! Rules implemented here, quoted from the EventBridge "Cron expressions reference", which the
//! Application Auto Scaling guide points to for its cron syntax:
//! - "Cron expressions have six required fields, which are separated by white space."
//! - Field ranges: Minutes 0-59 `, - * /`; Hours 0-23 `, - * /`; Day-of-month 1-31 `, - * ? / L W`;
//!   Month 1-12 or JAN-DEC `, - * /`; Day-of-week 1-7 or SUN-SAT `, - * ? L #`; Year 1970-2199 `, - * /`.
//! - "You can't specify the Day-of-month and Day-of-week fields in the same cron expression. If you
//!   specify a value or a * (asterisk) in one of the fields, you must use a ? (question mark) in the other."
//! - "The L wildcard in the Day-of-month or Day-of-week fields specifies the last day of the month or week."
//! - "The W wildcard in the Day-of-month field specifies a weekday. In the Day-of-month field, 3W
//!   specifies the weekday closest to the third day of the month."
//! - "The # wildcard in the Day-of-week field specifies a certain instance of the specified day of the
//!   week within a month. For example, 3#2 would be the second Tuesday of the month."
//! - "If you use the '#' character, you can define only one expression in the day-of-week field."
//! - Rate: "If the value is equal to 1, then the unit must be singular. Similarly, for values greater
//!   than 1, the unit must be plural." Units: minute(s), hour(s), day(s).

pub use crate::calendar::{civil_from_days, days_from_civil, days_in_month};
use crate::calendar::{parse_iso8601, Civil, IsoError};
use crate::error::{ApiError, ApiResult};
use crate::time::{SimTime, SECOND};

/// The scenario start used when none is given: Monday 2026-01-05T00:00:00Z.
pub const DEFAULT_START: &str = "2026-01-05T00:00:00Z";

/// The calendar instant at simulated time 0, as seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct StartDate(pub i64);

impl Default for StartDate {
    fn default() -> Self {
        // 2026-01-05 is day 20458 since the epoch.
        StartDate(days_from_civil(2026, 1, 5) * 86_400)
    }
}

impl StartDate {
    /// Parse `yyyy-mm-ddThh:mm:ss` with an optional `Z` (UTC).
    pub fn parse(s: &str) -> ApiResult<StartDate> {
        parse_timestamp(s).map(StartDate).map_err(|m| ApiError::new("ValidationException", "", m))
    }
    /// Epoch seconds of a simulated time.
    pub fn epoch_secs(self, t: SimTime) -> i64 {
        self.0 + (t / SECOND) as i64
    }
    /// Simulated time of an epoch second; `None` before the start.
    pub fn sim_time(self, epoch_secs: i64) -> Option<SimTime> {
        let d = epoch_secs.checked_sub(self.0)?;
        if d < 0 {
            None
        } else {
            (d as u64).checked_mul(SECOND)
        }
    }
    /// `dd/mm/yy hh:mm:ss`, the timestamp format CloudWatch uses in alarm state reasons.
    pub fn cloudwatch_stamp(self, t: SimTime) -> String {
        let c = Civil::from_epoch(self.epoch_secs(t));
        format!(
            "{:02}/{:02}/{:02} {:02}:{:02}:{:02}",
            c.day,
            c.month,
            c.year.rem_euclid(100),
            c.hour,
            c.minute,
            c.second
        )
    }
    /// ISO 8601 with milliseconds, `yyyy-mm-ddThh:mm:ss.mmmZ`: the form of the timestamps inside
    /// ECS events' `detail` ("The createdAt ... and updatedAt fields are ISO string timestamps",
    /// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html).
    pub fn iso_ms(self, t: SimTime) -> String {
        Civil::from_epoch(self.epoch_secs(t)).iso_ms(t % SECOND)
    }
    /// ISO 8601 `yyyy-mm-ddThh:mm:ssZ` of a simulated time.
    pub fn iso(self, t: SimTime) -> String {
        Civil::from_epoch(self.epoch_secs(t)).iso()
    }
}

/// Day of week in cron numbering: 1 = SUN ... 7 = SAT. 1970-01-01 was a Thursday (5).
fn cron_dow(days: i64) -> u32 {
    ((days + 4).rem_euclid(7) + 1) as u32
}

/// Parse `yyyy-mm-ddThh:mm:ss`, optionally followed by `Z` or fractional seconds and `Z`
/// (the forms the AWS CLI and SDKs send for `StartTime`/`EndTime`). Returns epoch seconds.
pub fn parse_timestamp(s: &str) -> Result<i64, String> {
    let bad = || format!("'{s}' is not a timestamp of the form yyyy-mm-ddThh:mm:ss (UTC)");
    let s = s.trim();
    match parse_iso8601(s) {
        Ok(i) if i.has_seconds && matches!(i.offset_min, None | Some(0)) => Ok(i.epoch_secs()),
        Err(IsoError::Range) => {
            let shown = s.strip_suffix('Z').unwrap_or(s);
            let shown = shown.split_once('.').map_or(shown, |(head, _)| head);
            Err(format!("'{shown}' is not a valid calendar date and time"))
        }
        _ => Err(bad()),
    }
}

// ---------------------------------------------------------------- expressions

/// A parsed schedule expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ScheduleExpr {
    /// One time, at this epoch second.
    At(i64),
    /// Every `secs` seconds.
    Rate {
        secs: i64,
    },
    Cron(Box<Cron>),
}

impl ScheduleExpr {
    /// Parse `at(...)`, `rate(...)` or `cron(...)`. Errors are `ValidationException`s whose message
    /// says which part is wrong (for cron, which of the six fields); the caller sets the field path.
    pub fn parse(expr: &str) -> ApiResult<ScheduleExpr> {
        let e = expr.trim();
        let inner = |prefix: &str| -> Option<&str> { e.strip_prefix(prefix).and_then(|r| r.strip_suffix(')')) };
        if let Some(body) = inner("at(") {
            parse_timestamp(body).map(ScheduleExpr::At).map_err(|m| verr(format!("Invalid at expression: {m}")))
        } else if let Some(body) = inner("rate(") {
            parse_rate(body)
        } else if let Some(body) = inner("cron(") {
            Cron::parse(body).map(|c| ScheduleExpr::Cron(Box::new(c)))
        } else {
            Err(verr(format!(
                "Schedule '{expr}' must be at(yyyy-mm-ddThh:mm:ss), rate(value unit) or \
                 cron(Minutes Hours Day-of-month Month Day-of-week Year)"
            )))
        }
    }

    /// The first occurrence strictly after `after` (simulated ms), or `None` if there is none.
    ///
    /// `anchor` is the simulated time a `rate` schedule counts from (the action's `StartTime`, or the
    /// start of the simulation): occurrences are `anchor + k * rate` for k >= 1. `at` and `cron`
    /// ignore it.
    pub fn next_after(&self, start: StartDate, anchor: SimTime, after: SimTime) -> Option<SimTime> {
        self.next_at_or_after(start, anchor, after.checked_add(1)?)
    }

    /// The first occurrence at or after `t` (simulated ms).
    pub fn next_at_or_after(&self, start: StartDate, anchor: SimTime, t: SimTime) -> Option<SimTime> {
        match self {
            ScheduleExpr::At(secs) => start.sim_time(*secs).filter(|&at| at >= t),
            ScheduleExpr::Rate { secs } => {
                let period = (*secs as u64).checked_mul(SECOND)?;
                if period == 0 {
                    return None;
                }
                let k = if t <= anchor { 1 } else { (t - anchor).div_ceil(period).max(1) };
                anchor.checked_add(k.checked_mul(period)?)
            }
            ScheduleExpr::Cron(c) => {
                // Cron fires on whole minutes; round `t` up to a whole second first.
                let secs = start.0.checked_add(t.div_ceil(SECOND) as i64)?;
                let hit = c.next_at_or_after(secs)?;
                start.sim_time(hit)
            }
        }
    }
}

fn verr(message: String) -> ApiError {
    ApiError::new("ValidationException", "", message)
}

fn parse_rate(body: &str) -> ApiResult<ScheduleExpr> {
    let parts: Vec<&str> = body.split_whitespace().collect();
    let [value, unit] = parts.as_slice() else {
        return Err(verr(format!("Invalid rate expression 'rate({body})': expected rate(value unit)")));
    };
    let n: i64 = value
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| verr(format!("Invalid rate expression: value '{value}' must be a positive integer")))?;
    let (mult, singular) = match *unit {
        "minute" => (60, true),
        "minutes" => (60, false),
        "hour" => (3600, true),
        "hours" => (3600, false),
        "day" => (86_400, true),
        "days" => (86_400, false),
        other => {
            return Err(verr(format!(
                "Invalid rate expression: unit '{other}' must be minute, minutes, hour, hours, day or days"
            )))
        }
    };
    // "If the value is equal to 1, then the unit must be singular. Similarly, for values greater
    // than 1, the unit must be plural."
    if (n == 1) != singular {
        return Err(verr(format!(
            "Invalid rate expression 'rate({body})': if the value is 1 the unit must be singular; if greater than 1 it \
             must be plural"
        )));
    }
    let secs = n.checked_mul(mult).ok_or_else(|| verr(format!("Invalid rate expression: '{value}' is too large")))?;
    Ok(ScheduleExpr::Rate { secs })
}

// ---------------------------------------------------------------- cron

/// Day-of-month field.
#[derive(Debug, Clone, PartialEq)]
enum DomSpec {
    Any,
    /// A set of days 1..=31 (days past the month's end never match).
    Days(Vec<bool>),
    /// `L`: the last day of the month.
    Last,
    /// `nW`: the weekday (Mon-Fri) nearest day n, not leaving the month.
    NearestWeekday(u32),
    /// `LW`: the last weekday of the month.
    LastWeekday,
}

/// Day-of-week field (1 = SUN ... 7 = SAT).
#[derive(Debug, Clone, PartialEq)]
enum DowSpec {
    Any,
    Days(Vec<bool>),
    /// `nL`: the last day n of the month (plain `L` = 7, Saturday, "the last day of the week").
    LastOfMonth(u32),
    /// `n#k`: the k-th day n of the month.
    Nth(u32, u32),
}

/// A parsed six-field cron expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Cron {
    minutes: Vec<bool>,
    hours: Vec<bool>,
    dom: DomSpec,
    months: Vec<bool>,
    dow: DowSpec,
    years: Vec<bool>,
}

const FIELD_NAMES: [&str; 6] = ["Minutes", "Hours", "Day-of-month", "Month", "Day-of-week", "Year"];
const MONTHS: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const YEAR_MIN: u32 = 1970;
const YEAR_MAX: u32 = 2199;

fn field_err(field: &str, text: &str, why: impl std::fmt::Display) -> ApiError {
    verr(format!("Invalid cron expression: {field} field '{text}': {why}"))
}

/// One numeric field (Minutes, Hours, numeric Day-of-month, Month, numeric Day-of-week, Year):
/// a comma list of `*`, `n`, `a-b`, `a/step`, `*/step`, `a-b/step`. Returns a bitmap indexed by value.
fn parse_set(field: &str, text: &str, lo: u32, hi: u32, names: &[&str], allow_slash: bool) -> ApiResult<Vec<bool>> {
    let mut set = vec![false; hi as usize + 1];
    let value = |tok: &str| -> ApiResult<u32> {
        let upper = tok.to_ascii_uppercase();
        if let Some(i) = names.iter().position(|n| *n == upper) {
            return Ok(i as u32 + lo);
        }
        let v: u32 =
            tok.parse().map_err(|_| field_err(field, text, format!("'{tok}' is not a number{}", name_hint(names))))?;
        if v < lo || v > hi {
            return Err(field_err(field, text, format!("value {v} is out of range {lo}-{hi}")));
        }
        Ok(v)
    };
    for item in text.split(',') {
        if item.is_empty() {
            return Err(field_err(field, text, "empty list item"));
        }
        let (range, step) = match item.split_once('/') {
            Some(_) if !allow_slash => {
                return Err(field_err(field, text, "the / wildcard is not allowed in this field"))
            }
            Some((r, s)) => {
                let s: u32 = s
                    .parse()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(|| field_err(field, text, "increment must be a positive integer"))?;
                (r, Some(s))
            }
            None => (item, None),
        };
        let (a, b) = if range == "*" {
            (lo, hi)
        } else if let Some((x, y)) = range.split_once('-') {
            let (x, y) = (value(x)?, value(y)?);
            if x > y {
                return Err(field_err(field, text, format!("range {x}-{y} is backwards")));
            }
            (x, y)
        } else {
            let x = value(range)?;
            // `a/step` runs from a to the end of the range.
            (x, if step.is_some() { hi } else { x })
        };
        let step = step.unwrap_or(1);
        let mut v = a;
        while v <= b {
            if let Some(slot) = set.get_mut(v as usize) {
                *slot = true;
            }
            v = match v.checked_add(step) {
                Some(n) => n,
                None => break,
            };
        }
    }
    Ok(set)
}

fn name_hint(names: &[&str]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!(" or one of {}", names.join(","))
    }
}

impl Cron {
    /// Parse the six fields inside `cron(...)`.
    pub fn parse(body: &str) -> ApiResult<Cron> {
        let f: Vec<&str> = body.split_whitespace().collect();
        if f.len() != 6 {
            return Err(verr(format!(
                "Invalid cron expression 'cron({body})': cron expressions have six required fields \
                 (Minutes Hours Day-of-month Month Day-of-week Year); found {}",
                f.len()
            )));
        }
        let minutes = parse_set(FIELD_NAMES[0], f[0], 0, 59, &[], true)?;
        let hours = parse_set(FIELD_NAMES[1], f[1], 0, 23, &[], true)?;
        let months = parse_set(FIELD_NAMES[3], f[3], 1, 12, &MONTHS, true)?;
        let years = parse_set(FIELD_NAMES[5], f[5], YEAR_MIN, YEAR_MAX, &[], true)?;
        // "You can't specify the Day-of-month and Day-of-week fields in the same cron expression.
        // If you specify a value or a * (asterisk) in one of the fields, you must use a ? in the other."
        match (f[2] == "?", f[4] == "?") {
            (true, true) => {
                return Err(verr(
                    "Invalid cron expression: Day-of-month and Day-of-week cannot both be '?'; use '?' in exactly one \
                     of them"
                        .to_string(),
                ))
            }
            (false, false) => {
                return Err(verr(format!(
                    "Invalid cron expression: Day-of-month '{}' and Day-of-week '{}' are both specified; if you \
                     specify a value or a * in one of the fields, you must use a ? in the other",
                    f[2], f[4]
                )))
            }
            _ => {}
        }
        let dom = Self::parse_dom(f[2])?;
        let dow = Self::parse_dow(f[4])?;
        Ok(Cron { minutes, hours, dom, months, dow, years })
    }

    fn parse_dom(text: &str) -> ApiResult<DomSpec> {
        let field = FIELD_NAMES[2];
        if text == "?" {
            return Ok(DomSpec::Any);
        }
        if text == "L" {
            return Ok(DomSpec::Last);
        }
        if text == "LW" {
            return Ok(DomSpec::LastWeekday);
        }
        if let Some(n) = text.strip_suffix('W') {
            let d: u32 = n
                .parse()
                .ok()
                .filter(|d| (1..=31).contains(d))
                .ok_or_else(|| field_err(field, text, "W must follow a single day 1-31, e.g. 3W"))?;
            return Ok(DomSpec::NearestWeekday(d));
        }
        if text.contains('L') || text.contains('W') || text.contains('#') {
            return Err(field_err(field, text, "L and W must stand alone (L, LW or nW); # is only for Day-of-week"));
        }
        parse_set(field, text, 1, 31, &[], true).map(DomSpec::Days)
    }

    fn parse_dow(text: &str) -> ApiResult<DowSpec> {
        let field = FIELD_NAMES[4];
        let day = |tok: &str| -> ApiResult<u32> {
            let upper = tok.to_ascii_uppercase();
            if let Some(i) = DAYS.iter().position(|n| *n == upper) {
                return Ok(i as u32 + 1);
            }
            tok.parse::<u32>()
                .ok()
                .filter(|d| (1..=7).contains(d))
                .ok_or_else(|| field_err(field, text, format!("'{tok}' is not a day 1-7 or SUN-SAT")))
        };
        if text == "?" {
            return Ok(DowSpec::Any);
        }
        if text.contains('#') {
            // "If you use the '#' character, you can define only one expression in the day-of-week field."
            if text.contains(',') {
                return Err(field_err(
                    field,
                    text,
                    "with '#' you can define only one expression in the Day-of-week field",
                ));
            }
            let (d, k) = text.split_once('#').unwrap_or((text, ""));
            let k: u32 = k
                .parse()
                .ok()
                .filter(|k| (1..=5).contains(k))
                .ok_or_else(|| field_err(field, text, "the instance after # must be 1-5"))?;
            return Ok(DowSpec::Nth(day(d)?, k));
        }
        if text == "L" {
            // "The L wildcard in the ... Day-of-week field specifies the last day of the ... week": Saturday.
            return Ok(DowSpec::Days((0..=7).map(|d| d == 7).collect()));
        }
        if let Some(d) = text.strip_suffix('L') {
            if text.contains(',') || text.contains('-') {
                return Err(field_err(field, text, "nL (last day n of the month) must stand alone"));
            }
            return Ok(DowSpec::LastOfMonth(day(d)?));
        }
        if text.contains('L') || text.contains('W') {
            return Err(field_err(field, text, "W is not allowed in Day-of-week; L must be L or nL"));
        }
        parse_set(field, text, 1, 7, &DAYS, false).map(DowSpec::Days)
    }

    fn day_matches(&self, days: i64, y: i64, m: u32, d: u32) -> bool {
        let last = days_in_month(y, m);
        let dom_ok = match &self.dom {
            DomSpec::Any => true,
            DomSpec::Days(set) => set.get(d as usize).copied().unwrap_or(false),
            DomSpec::Last => d == last,
            DomSpec::LastWeekday => {
                let last_days = days + (last - d) as i64;
                let back = match cron_dow(last_days) {
                    1 => 2, // Sunday -> Friday
                    7 => 1, // Saturday -> Friday
                    _ => 0,
                };
                d == last - back
            }
            DomSpec::NearestWeekday(n) => {
                let n = (*n).min(last);
                let n_days = days + n as i64 - d as i64;
                let target = match cron_dow(n_days) {
                    // Saturday: the Friday before, unless that leaves the month (then Monday after).
                    7 => {
                        if n == 1 {
                            n + 2
                        } else {
                            n - 1
                        }
                    }
                    // Sunday: the Monday after, unless that leaves the month (then Friday before).
                    1 => {
                        if n == last {
                            n.saturating_sub(2)
                        } else {
                            n + 1
                        }
                    }
                    _ => n,
                };
                d == target
            }
        };
        let dow = cron_dow(days);
        let dow_ok = match &self.dow {
            DowSpec::Any => true,
            DowSpec::Days(set) => set.get(dow as usize).copied().unwrap_or(false),
            DowSpec::LastOfMonth(n) => dow == *n && d + 7 > last,
            DowSpec::Nth(n, k) => dow == *n && (d - 1) / 7 + 1 == *k,
        };
        dom_ok && dow_ok
    }

    /// The first whole minute at or after epoch second `from` (rounded up to a minute) that matches.
    pub fn next_at_or_after(&self, from: i64) -> Option<i64> {
        let from_min = (from + 59).div_euclid(60) * 60;
        let start_day = from_min.div_euclid(86_400);
        let mut day = start_day;
        loop {
            let (y, m, d) = civil_from_days(day);
            if y > YEAR_MAX as i64 {
                return None;
            }
            let year_ok = y >= YEAR_MIN as i64 && self.years.get(y as usize).copied().unwrap_or(false);
            if !year_ok {
                // Jump to January 1st of the next year.
                day = days_from_civil(y + 1, 1, 1);
                continue;
            }
            if !self.months.get(m as usize).copied().unwrap_or(false) {
                day = if m == 12 { days_from_civil(y + 1, 1, 1) } else { days_from_civil(y, m + 1, 1) };
                continue;
            }
            if self.day_matches(day, y, m, d) {
                let first_sec = if day == start_day { from_min.rem_euclid(86_400) } else { 0 };
                for h in 0..24u32 {
                    if !self.hours.get(h as usize).copied().unwrap_or(false) {
                        continue;
                    }
                    for mi in 0..60u32 {
                        let sec = (h * 3600 + mi * 60) as i64;
                        if sec >= first_sec && self.minutes.get(mi as usize).copied().unwrap_or(false) {
                            return Some(day * 86_400 + sec);
                        }
                    }
                }
            }
            day += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{HOUR, MINUTE};

    fn start() -> StartDate {
        StartDate::default()
    }

    #[test]
    fn default_start_is_a_monday_midnight() {
        assert_eq!(start(), StartDate::parse(DEFAULT_START).expect("parses"));
        assert_eq!(cron_dow(start().0 / 86_400), 2, "2026-01-05 is a Monday (cron 2)");
        assert_eq!(start().iso(0), "2026-01-05T00:00:00Z");
        assert_eq!(start().cloudwatch_stamp(90 * MINUTE), "05/01/26 01:30:00");
    }

    #[test]
    fn at_expression() {
        let e = ScheduleExpr::parse("at(2026-01-05T00:10:00)").expect("valid");
        assert_eq!(e.next_after(start(), 0, 0), Some(10 * MINUTE));
        assert_eq!(e.next_after(start(), 0, 10 * MINUTE), None, "one time only");
        let before = ScheduleExpr::parse("at(2025-12-31T00:00:00)").expect("valid");
        assert_eq!(before.next_after(start(), 0, 0), None);
        let err = ScheduleExpr::parse("at(2026-02-30T00:00:00)").expect_err("no Feb 30");
        assert!(err.message.contains("not a valid calendar date"), "{err}");
    }

    #[test]
    fn rate_expression_units() {
        let e = ScheduleExpr::parse("rate(5 minutes)").expect("valid");
        assert_eq!(e.next_after(start(), 0, 0), Some(5 * MINUTE));
        assert_eq!(e.next_after(start(), 0, 5 * MINUTE), Some(10 * MINUTE));
        assert_eq!(e.next_after(start(), 0, 7 * MINUTE), Some(10 * MINUTE));
        assert_eq!(ScheduleExpr::parse("rate(1 hour)").expect("valid").next_after(start(), 0, 0), Some(HOUR));
        // "If the value is equal to 1, then the unit must be singular ... greater than 1 ... plural."
        assert!(ScheduleExpr::parse("rate(1 hours)").is_err());
        assert!(ScheduleExpr::parse("rate(5 minute)").is_err());
        assert!(ScheduleExpr::parse("rate(0 minutes)").is_err());
        assert!(ScheduleExpr::parse("rate(5 seconds)").is_err());
    }

    #[test]
    fn cron_every_weekday_morning() {
        // "30 6 ? * MON *" recurs every Monday at 6:30 AM (Application Auto Scaling User Guide).
        let e = ScheduleExpr::parse("cron(30 6 ? * MON *)").expect("valid");
        assert_eq!(e.next_after(start(), 0, 0), Some(6 * HOUR + 30 * MINUTE));
        assert_eq!(e.next_after(start(), 0, 6 * HOUR + 30 * MINUTE), Some(7 * 24 * HOUR + 6 * HOUR + 30 * MINUTE));
    }

    #[test]
    fn cron_increments_and_lists() {
        // "In the Minutes field, you could enter 1/10 to specify every tenth minute, starting from the
        // first minute of the hour (for example, the 11th, 21st, and 31st minute, and so on)."
        let c = Cron::parse("1/10 * * * ? *").expect("valid");
        let mut t = start().0 - 1;
        let mut got = vec![];
        for _ in 0..4 {
            let next = c.next_at_or_after(t + 1).expect("fires");
            got.push((next - start().0) / 60);
            t = next;
        }
        assert_eq!(got, vec![1, 11, 21, 31]);
        let c = Cron::parse("0 9,17 ? JAN-MAR MON-FRI 2026").expect("valid");
        assert_eq!(c.next_at_or_after(start().0 + 10 * 3600).map(|s| (s - start().0) / 3600), Some(17));
    }

    #[test]
    fn cron_l_w_and_hash() {
        // Last day of January 2026 is Saturday the 31st.
        let last = Cron::parse("0 0 L * ? *").expect("valid");
        assert_eq!(last.next_at_or_after(start().0), Some(days_from_civil(2026, 1, 31) * 86_400));
        // "3W specifies the weekday closest to the third day of the month": 2026-02-03 is a Tuesday.
        let w = Cron::parse("0 0 3W * ? *").expect("valid");
        assert_eq!(w.next_at_or_after(start().0), Some(days_from_civil(2026, 2, 3) * 86_400));
        // 2026-01-31 is a Saturday, so 31W is Friday the 30th.
        let w31 = Cron::parse("0 0 31W * ? *").expect("valid");
        assert_eq!(w31.next_at_or_after(start().0), Some(days_from_civil(2026, 1, 30) * 86_400));
        // "3#2 would be the second Tuesday of the month": 2026-01-13.
        let nth = Cron::parse("0 0 ? * 3#2 *").expect("valid");
        assert_eq!(nth.next_at_or_after(start().0), Some(days_from_civil(2026, 1, 13) * 86_400));
        // Last Friday of January 2026 is the 30th.
        let lf = Cron::parse("0 0 ? * 6L *").expect("valid");
        assert_eq!(lf.next_at_or_after(start().0), Some(days_from_civil(2026, 1, 30) * 86_400));
        let lw = Cron::parse("0 0 LW * ? *").expect("valid");
        assert_eq!(lw.next_at_or_after(start().0), Some(days_from_civil(2026, 1, 30) * 86_400));
    }

    #[test]
    fn cron_errors_name_the_field() {
        let cases = [
            ("cron(0 24 * * ? *)", "Hours"),
            ("cron(60 0 * * ? *)", "Minutes"),
            ("cron(0 0 32 * ? *)", "Day-of-month"),
            ("cron(0 0 * 13 ? *)", "Month"),
            ("cron(0 0 ? * 8 *)", "Day-of-week"),
            ("cron(0 0 ? * 1/2 *)", "Day-of-week"),
            ("cron(0 0 * * ? 1969)", "Year"),
            ("cron(0 0 ? * 3#1,6#3 *)", "Day-of-week"),
            ("cron(0 0 * * * *)", "Day-of-month"),
            ("cron(0 0 ? * ? *)", "Day-of-month"),
            ("cron(0 0 * * ?)", "six required fields"),
        ];
        for (expr, needle) in cases {
            let err = ScheduleExpr::parse(expr).expect_err(expr);
            assert!(err.message.contains(needle), "{expr}: {err}");
            assert_eq!(err.exception, "ValidationException");
        }
    }

    #[test]
    fn cron_year_bound_ends_schedule() {
        let c = Cron::parse("0 0 1 1 ? 2026").expect("valid");
        assert_eq!(c.next_at_or_after(start().0), None, "2026-01-01 is before the start and no later year matches");
    }
}
