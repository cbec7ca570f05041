//! CloudWatch metric alarm evaluation, one 60-second datapoint at a time.
//!
//! Rules (CloudWatch User Guide, "Using Amazon CloudWatch alarms" / "Evaluating an alarm" /
//! "Configuring how CloudWatch alarms treat missing data"; PutMetricAlarm API Reference):
//! - "When this operation creates an alarm, the alarm state is immediately set to INSUFFICIENT_DATA.
//!   The alarm is then evaluated and its state is set appropriately."
//! - Evaluation periods N and datapoints to alarm M: "an alarm goes to ALARM state when M out of the
//!   last N datapoints are breaching" ("M out of N"; DatapointsToAlarm defaults to EvaluationPeriods).
//! - TreatMissingData: "notBreaching – Missing data points are treated as 'good' and within the
//!   threshold; breaching – Missing data points are treated as 'bad' and breaching the threshold;
//!   ignore – The current alarm state is maintained; missing – If all data points in the alarm
//!   evaluation range are missing, the alarm transitions to INSUFFICIENT_DATA." "The default
//!   behavior is missing."
//!
//! Simplification (stated, not hidden): with `missing`, CloudWatch may look back further than N
//! periods to find datapoints; here the evaluation range is exactly the last N periods, and a range
//! that is only partly missing is judged on the datapoints present.

use super::AlarmState;
use crate::error::{ApiError, ApiResult};
use crate::schedule_expr::StartDate;
use crate::time::{SimTime, MINUTE};
use std::collections::VecDeque;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    GreaterThanOrEqualToThreshold,
    GreaterThanThreshold,
    LessThanThreshold,
    LessThanOrEqualToThreshold,
}

impl Comparison {
    pub fn parse(s: &str, field: &str) -> ApiResult<Comparison> {
        Ok(match s {
            "GreaterThanOrEqualToThreshold" => Comparison::GreaterThanOrEqualToThreshold,
            "GreaterThanThreshold" => Comparison::GreaterThanThreshold,
            "LessThanThreshold" => Comparison::LessThanThreshold,
            "LessThanOrEqualToThreshold" => Comparison::LessThanOrEqualToThreshold,
            other => {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    field,
                    format!(
                    "ComparisonOperator '{other}' must be one of GreaterThanOrEqualToThreshold, GreaterThanThreshold, \
                         LessThanThreshold, LessThanOrEqualToThreshold (anomaly-detection operators are not simulated)"
                ),
                ))
            }
        })
    }
    pub fn breaches(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::GreaterThanOrEqualToThreshold => value >= threshold,
            Comparison::GreaterThanThreshold => value > threshold,
            Comparison::LessThanThreshold => value < threshold,
            Comparison::LessThanOrEqualToThreshold => value <= threshold,
        }
    }
    /// True for the operators whose breach is "above the threshold" (step adjustment bounds use this).
    pub fn is_upper(self) -> bool {
        matches!(self, Comparison::GreaterThanOrEqualToThreshold | Comparison::GreaterThanThreshold)
    }
    fn words(self) -> &'static str {
        match self {
            Comparison::GreaterThanOrEqualToThreshold => "greater than or equal to",
            Comparison::GreaterThanThreshold => "greater than",
            Comparison::LessThanThreshold => "less than",
            Comparison::LessThanOrEqualToThreshold => "less than or equal to",
        }
    }
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::GreaterThanOrEqualToThreshold => ">=",
            Comparison::GreaterThanThreshold => ">",
            Comparison::LessThanThreshold => "<",
            Comparison::LessThanOrEqualToThreshold => "<=",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingData {
    Missing,
    Ignore,
    Breaching,
    NotBreaching,
}

impl MissingData {
    pub fn parse(s: Option<&str>, field: &str) -> ApiResult<MissingData> {
        Ok(match s {
            None | Some("missing") => MissingData::Missing,
            Some("ignore") => MissingData::Ignore,
            Some("breaching") => MissingData::Breaching,
            Some("notBreaching") => MissingData::NotBreaching,
            Some(other) => {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    field,
                    format!("TreatMissingData '{other}' must be one of breaching, notBreaching, ignore, missing"),
                ))
            }
        })
    }
}

/// The alarm's configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmSpec {
    pub name: String,
    /// The metric name shown in descriptions (e.g. `CPUUtilization`).
    pub metric_name: String,
    pub threshold: f64,
    pub comparison: Comparison,
    pub evaluation_periods: usize,
    pub datapoints_to_alarm: usize,
    pub missing: MissingData,
}

/// One state transition, with CloudWatch-style reason text.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub old: AlarmState,
    pub new: AlarmState,
    pub reason: String,
}

/// A metric alarm and its recent datapoints.
#[derive(Debug, Clone)]
pub struct Alarm {
    pub spec: AlarmSpec,
    pub state: AlarmState,
    /// The last N periods, newest last: (period start, value or missing).
    window: VecDeque<(SimTime, Option<f64>)>,
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.1}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').to_string()
    }
}

impl Alarm {
    pub fn new(spec: AlarmSpec) -> Alarm {
        // "When this operation creates an alarm, the alarm state is immediately set to INSUFFICIENT_DATA."
        Alarm { spec, state: AlarmState::InsufficientData, window: VecDeque::new() }
    }

    /// `CPUUtilization > 70.0 for 3 datapoints within 3 minutes`, as the CloudWatch console words it.
    pub fn condition(&self) -> String {
        format!(
            "{} {} {} for {} datapoints within {} minutes",
            self.spec.metric_name,
            self.spec.comparison.symbol(),
            fmt_num(self.spec.threshold),
            self.spec.datapoints_to_alarm,
            self.spec.evaluation_periods
        )
    }

    /// The newest datapoint present in the evaluation range.
    pub fn latest_value(&self) -> Option<f64> {
        self.window.iter().rev().find_map(|(_, v)| *v)
    }

    /// Add the datapoint of the period that just ended at `now` (the period `[now - 60 s, now)`) and
    /// evaluate. Returns the transition if the state changed.
    pub fn observe(&mut self, now: SimTime, value: Option<f64>, start: StartDate) -> Option<Transition> {
        let value = value.filter(|v| v.is_finite());
        self.window.push_back((now.saturating_sub(MINUTE), value));
        while self.window.len() > self.spec.evaluation_periods {
            self.window.pop_front();
        }
        let (new, reason) = self.evaluate(start)?;
        if new == self.state {
            return None;
        }
        let old = self.state;
        self.state = new;
        Some(Transition { old, new, reason })
    }

    /// The state the current window implies and the reason; `None` means "keep the current state"
    /// (TreatMissingData `ignore` with nothing to evaluate).
    fn evaluate(&self, start: StartDate) -> Option<(AlarmState, String)> {
        let s = &self.spec;
        let n = self.window.len();
        let present: Vec<(SimTime, f64)> = self.window.iter().filter_map(|(t, v)| v.map(|v| (*t, v))).collect();
        let missing = n - present.len();
        // Judge each period, applying TreatMissingData to the missing ones.
        let mut breaching = 0usize;
        let mut judged = 0usize;
        for (_, v) in self.window.iter() {
            match (v, s.missing) {
                (Some(v), _) => {
                    judged += 1;
                    if s.comparison.breaches(*v, s.threshold) {
                        breaching += 1;
                    }
                }
                (None, MissingData::Breaching) => {
                    judged += 1;
                    breaching += 1;
                }
                (None, MissingData::NotBreaching) => judged += 1,
                (None, _) => {}
            }
        }
        if judged == 0 {
            return match s.missing {
                MissingData::Ignore => None,
                _ => Some((
                    AlarmState::InsufficientData,
                    format!(
                        "Insufficient Data: {missing} datapoint{} {} unknown.",
                        if missing == 1 { "" } else { "s" },
                        if missing == 1 { "was" } else { "were" }
                    ),
                )),
            };
        }
        let alarm = breaching >= s.datapoints_to_alarm;
        // TreatMissingData `missing` with fewer datapoints than EvaluationPeriods, all of them
        // breaching but fewer than DatapointsToAlarm: nothing says OK and not enough says ALARM ->
        // INSUFFICIENT_DATA (the "- - - - X" rows of the CloudWatch User Guide's tables, "How alarm
        // state is evaluated when data is missing",
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-evaluating-missing-data).
        // CloudWatch never gives a reason with 0 datapoints and an empty list.
        // Only while the alarm is younger than its evaluation range (no older datapoints to look
        // back on); a full range with missing periods keeps the rules below.
        if !alarm && judged == breaching && s.missing == MissingData::Missing && n < s.evaluation_periods {
            let unknown = s.evaluation_periods.saturating_sub(present.len()).max(1);
            return Some((
                AlarmState::InsufficientData,
                format!(
                    "Insufficient Data: {unknown} datapoint{} {} unknown.",
                    if unknown == 1 { "" } else { "s" },
                    if unknown == 1 { "was" } else { "were" }
                ),
            ));
        }
        // The datapoints the reason is about (breaching ones for ALARM, the others for OK), newest
        // first, as CloudWatch lists them.
        let listed: Vec<String> = present
            .iter()
            .rev()
            .filter(|(_, v)| s.comparison.breaches(*v, s.threshold) == alarm)
            .map(|(t, v)| format!("{} ({})", fmt_num(*v), start.cloudwatch_stamp(*t)))
            .collect();
        let new = if alarm { AlarmState::Alarm } else { AlarmState::Ok };
        let (count, verb) = if alarm {
            (breaching, s.comparison.words().to_string())
        } else {
            (judged - breaching, format!("not {}", s.comparison.words()))
        };
        // ALARM needs M breaching datapoints; OK needs enough good ones that fewer than M breach.
        let min_needed =
            if alarm { s.datapoints_to_alarm } else { (n + 1).saturating_sub(s.datapoints_to_alarm).max(1) };
        let reason = format!(
            "Threshold Crossed: {count} out of the last {n} datapoints [{}] {} {verb} the threshold ({}) (minimum {} \
             datapoint{} for {} -> {} transition).",
            listed.join(", "),
            if count == 1 { "was" } else { "were" },
            fmt_num(s.threshold),
            min_needed,
            if min_needed == 1 { "" } else { "s" },
            self.state.as_str(),
            new.as_str(),
        );
        Some((new, reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(m: usize, n: usize, missing: MissingData) -> AlarmSpec {
        AlarmSpec {
            name: "a".into(),
            metric_name: "CPUUtilization".into(),
            threshold: 70.0,
            comparison: Comparison::GreaterThanThreshold,
            evaluation_periods: n,
            datapoints_to_alarm: m,
            missing,
        }
    }

    #[test]
    fn m_out_of_n() {
        // "M out of N": 2 of the last 3 breaching datapoints put a 2-of-3 alarm in ALARM.
        let mut a = Alarm::new(spec(2, 3, MissingData::Missing));
        let s = StartDate::default();
        // One breaching datapoint of 2 needed, nothing else: INSUFFICIENT_DATA ("- - - - X", 2 of 3).
        assert_eq!(a.observe(MINUTE, Some(80.0), s), None);
        assert_eq!(a.observe(2 * MINUTE, Some(10.0), s).map(|t| t.new), Some(AlarmState::Ok));
        let t = a.observe(3 * MINUTE, Some(90.0), s).expect("ALARM");
        assert_eq!(t.new, AlarmState::Alarm);
        assert!(t.reason.starts_with("Threshold Crossed: 2 out of the last 3 datapoints [90.0 (05/01/26 00:02:00), 80.0 (05/01/26 00:00:00)]"), "{}", t.reason);
        assert!(t.reason.contains("were greater than the threshold (70.0)"), "{}", t.reason);
    }

    /// The reason in CloudWatch's words, as the User Guide's sample event shows it ("Threshold
    /// Crossed: 1 out of the last 1 datapoints [99.50160229693434 (02/10/19 16:59:00)] was greater
    /// than the threshold (50.0) (minimum 1 datapoint for OK -> ALARM transition).",
    /// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html),
    /// and no "0 out of the last 1 datapoints []": one breaching datapoint of a 3-of-3 alarm with
    /// `missing` leaves it INSUFFICIENT_DATA.
    #[test]
    fn reasons_read_like_cloudwatch() {
        let s = StartDate::default();
        let mut a = Alarm::new(spec(1, 1, MissingData::Missing));
        let t = a.observe(MINUTE, Some(80.0), s).expect("ALARM");
        assert_eq!(
            t.reason,
            "Threshold Crossed: 1 out of the last 1 datapoints [80.0 (05/01/26 00:00:00)] was greater than the \
             threshold (70.0) (minimum 1 datapoint for INSUFFICIENT_DATA -> ALARM transition)."
        );
        let t = a.observe(2 * MINUTE, Some(10.0), s).expect("OK");
        assert_eq!(
            t.reason,
            "Threshold Crossed: 1 out of the last 1 datapoints [10.0 (05/01/26 00:01:00)] was not greater than the \
             threshold (70.0) (minimum 1 datapoint for ALARM -> OK transition)."
        );
        let mut a = Alarm::new(spec(3, 3, MissingData::Missing));
        assert_eq!(a.observe(MINUTE, Some(80.0), s), None, "stays INSUFFICIENT_DATA");
        assert_eq!(a.state, AlarmState::InsufficientData);
        let t = a.observe(2 * MINUTE, Some(10.0), s).expect("one good datapoint: OK");
        assert!(t.reason.starts_with("Threshold Crossed: 1 out of the last 2 datapoints [10.0"), "{}", t.reason);
    }

    #[test]
    fn missing_data_treatments() {
        let s = StartDate::default();
        // "missing – If all data points in the alarm evaluation range are missing, the alarm
        // transitions to INSUFFICIENT_DATA."
        let mut a = Alarm::new(spec(1, 1, MissingData::Missing));
        a.observe(MINUTE, Some(80.0), s);
        let t = a.observe(2 * MINUTE, None, s).expect("to INSUFFICIENT_DATA");
        assert_eq!((t.old, t.new), (AlarmState::Alarm, AlarmState::InsufficientData));
        assert_eq!(t.reason, "Insufficient Data: 1 datapoint was unknown.");
        // "ignore – The current alarm state is maintained."
        let mut a = Alarm::new(spec(1, 1, MissingData::Ignore));
        a.observe(MINUTE, Some(80.0), s);
        assert_eq!(a.observe(2 * MINUTE, None, s), None);
        assert_eq!(a.state, AlarmState::Alarm);
        // "breaching – Missing data points are treated as 'bad' and breaching the threshold."
        let mut a = Alarm::new(spec(1, 1, MissingData::Breaching));
        assert_eq!(a.observe(MINUTE, None, s).map(|t| t.new), Some(AlarmState::Alarm));
        // "notBreaching – Missing data points are treated as 'good' and within the threshold."
        let mut a = Alarm::new(spec(1, 1, MissingData::NotBreaching));
        assert_eq!(a.observe(MINUTE, None, s).map(|t| t.new), Some(AlarmState::Ok));
    }
}
