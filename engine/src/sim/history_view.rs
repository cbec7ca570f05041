//! A service's history as chart series, rebuilt from the event log for any moment: task counts
//! (desired, running, pending), CPU utilization, requests per second and the alarm thresholds.
//!
//! Pure: it reads log entries and nothing else, so after any jump (a scrubbed timeline, a share
//! link's `t=`, a lesson's marked moment) the charts show what happened, not a ramp between two
//! samples. The counts follow describe-services: `runningCount` is the service's tasks whose
//! `lastStatus` is RUNNING, `pendingCount` those in PROVISIONING, PENDING or ACTIVATING
//! (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html), read from the
//! "ECS Task State Change" events, whose `group` is `service:<name>`
//! (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html).
//! The desired count changes with UpdateService (its response's `service.desiredCount`) and with
//! Application Auto Scaling activities (`ToDesiredCount`,
//! https://docs.aws.amazon.com/autoscaling/application/APIReference/API_ScalingActivity.html).

use crate::log::{kind, LogEntry};
use crate::time::SimTime;
use std::collections::{BTreeMap, BTreeSet};

/// The service's counts from time `t` on (until the next point).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountPoint {
    pub t: SimTime,
    pub desired: u32,
    pub running: u32,
    pub pending: u32,
}

/// A CloudWatch alarm's threshold as its condition states it (`CPUUtilization > 50.0 ...`).
#[derive(Clone, Debug, PartialEq)]
pub struct Threshold {
    pub alarm: String,
    pub metric: String,
    /// `>` or `<`.
    pub comparison: String,
    pub value: f64,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct ServiceHistory {
    /// One point per moment the counts changed, in time order (several changes at one
    /// millisecond collapse into the last).
    pub counts: Vec<CountPoint>,
    /// AWS/ECS CPUUtilization of the service (percent): (time, value).
    pub cpu: Vec<(SimTime, f64)>,
    /// AWS/ECS MemoryUtilization of the service (percent).
    pub memory: Vec<(SimTime, f64)>,
    /// AWS/ApplicationELB RequestCount divided by its period: requests per second.
    pub requests_per_second: Vec<(SimTime, f64)>,
    /// The latest stated threshold of each alarm on the service's resource.
    pub thresholds: Vec<Threshold>,
    /// Time of the first entry read: earlier history was dropped by the log's retention.
    pub from: SimTime,
}

/// Parse `<Metric> <op> <number>` at the start of an alarm condition.
fn parse_condition(s: &str) -> Option<(String, String, f64)> {
    let mut it = s.split_whitespace();
    let metric = it.next()?.to_string();
    let op = it.next()?;
    if op != ">" && op != "<" && op != ">=" && op != "<=" {
        return None;
    }
    let v = it.next()?.parse::<f64>().ok()?;
    Some((metric, op.to_string(), v))
}

/// Rebuild `service`'s history from log entries (oldest first) up to `until`. `initial_desired`
/// is the desired count the service was created with (CreateService `desiredCount`). A DAEMON
/// service has no desired count of its own: "the scheduler places one task on each active
/// container instance" and describe-services reports their number, so its desired count is the
/// number of its tasks whose `desiredStatus` is RUNNING
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_services.html#service_scheduler_daemon).
pub fn service_history(
    entries: &[LogEntry],
    service: &str,
    initial_desired: u32,
    daemon: bool,
    until: SimTime,
) -> ServiceHistory {
    let mut b = HistoryBuilder::new(service, initial_desired, daemon, entries.first().map(|e| e.t).unwrap_or(0));
    for e in entries.iter().take_while(|e| e.t <= until) {
        b.feed(e);
    }
    b.history()
}

/// [`service_history`] kept up to date as lines arrive: the running totals (tasks' last
/// statuses, counts, desired count, thresholds) are kept between calls, so a chart that follows
/// a playing simulation reads each new line once instead of the whole kept log every time.
/// Feeding the same lines gives the same history as `service_history` over them (tested below
/// and in engine/tests/history_view.rs).
#[derive(Clone, Debug)]
pub struct HistoryBuilder {
    service: String,
    group: String,
    resource_suffix: String,
    daemon: bool,
    initial_desired: u32,
    h: ServiceHistory,
    /// task ARN -> last status class: RUNNING (0), starting (1: PROVISIONING, PENDING,
    /// ACTIVATING), other (2), for the counts. Counted as statuses change (the chart of a
    /// 5,000-task service reads tens of thousands of lines: recounting every task per line took
    /// seconds in the browser).
    status: BTreeMap<String, u8>,
    /// task ARNs whose desiredStatus is RUNNING (a DAEMON service's desired count)
    to_run: BTreeSet<String>,
    desired: u32,
    counted: [u32; 2],
    thresholds: BTreeMap<String, Threshold>,
}

/// The fields of an "ECS Task State Change" detail the counts read, parsed from the line's text
/// without building (and keeping) the whole detail's tree.
#[derive(serde::Deserialize)]
struct TaskFields<'a> {
    #[serde(borrow, default)]
    group: Option<std::borrow::Cow<'a, str>>,
    #[serde(rename = "taskArn", borrow, default)]
    task_arn: Option<std::borrow::Cow<'a, str>>,
    #[serde(rename = "lastStatus", borrow, default)]
    last_status: Option<std::borrow::Cow<'a, str>>,
    #[serde(rename = "desiredStatus", borrow, default)]
    desired_status: Option<std::borrow::Cow<'a, str>>,
}

/// A JSON member read as a string when it is one (as `Value::as_str` does), else None.
fn opt_str<'a>(v: &'a serde_json::Value) -> Option<std::borrow::Cow<'a, str>> {
    v.as_str().map(std::borrow::Cow::Borrowed)
}

impl HistoryBuilder {
    /// An empty history of `service` whose first point is at `from` (the first line to be fed).
    pub fn new(service: &str, initial_desired: u32, daemon: bool, from: SimTime) -> Self {
        let mut b = HistoryBuilder {
            service: service.to_string(),
            group: format!("service:{service}"),
            resource_suffix: format!("/{service}"),
            daemon,
            initial_desired,
            h: ServiceHistory { from, ..Default::default() },
            status: BTreeMap::new(),
            to_run: BTreeSet::new(),
            desired: initial_desired,
            counted: [0; 2],
            thresholds: BTreeMap::new(),
        };
        b.push(from);
        b
    }

    /// Whether this builder follows `service` as created with `initial_desired` (else the
    /// caller starts a new one).
    pub fn follows(&self, service: &str, initial_desired: u32, daemon: bool) -> bool {
        self.service == service && self.initial_desired == initial_desired && self.daemon == daemon
    }

    fn push(&mut self, t: SimTime) {
        let (desired, running, pending) = (self.desired, self.counted[0], self.counted[1]);
        let p = CountPoint { t, desired, running, pending };
        match self.h.counts.last_mut() {
            Some(last) if last.t == t => *last = p,
            Some(last) if last.desired == desired && last.running == running && last.pending == pending => {}
            _ => self.h.counts.push(p),
        }
    }

    /// Read one more line (lines in log order).
    pub fn feed(&mut self, e: &LogEntry) {
        let class = |s: &str| match s {
            "RUNNING" => 0u8,
            "PROVISIONING" | "PENDING" | "ACTIVATING" => 1,
            _ => 2,
        };
        let d = &e.detail;
        match e.detail_type {
            kind::TASK_STATE_CHANGE => {
                let parsed;
                let f = match d.json_text() {
                    Some(text) => match serde_json::from_str::<TaskFields<'_>>(text) {
                        Ok(f) => {
                            parsed = f;
                            &parsed
                        }
                        Err(_) => return,
                    },
                    None => {
                        parsed = TaskFields {
                            group: opt_str(&d["group"]),
                            task_arn: opt_str(&d["taskArn"]),
                            last_status: opt_str(&d["lastStatus"]),
                            desired_status: opt_str(&d["desiredStatus"]),
                        };
                        &parsed
                    }
                };
                if f.group.as_deref() != Some(self.group.as_str()) {
                    return;
                }
                let (Some(arn), Some(last)) = (f.task_arn.as_deref(), f.last_status.as_deref()) else { return };
                let before = if last == "STOPPED" {
                    self.to_run.remove(arn);
                    self.status.remove(arn)
                } else {
                    let c = class(last);
                    if c < 2 {
                        self.counted[c as usize] += 1;
                    }
                    if f.desired_status.as_deref() == Some("RUNNING") {
                        if !self.to_run.contains(arn) {
                            self.to_run.insert(arn.to_string());
                        }
                    } else {
                        self.to_run.remove(arn);
                    }
                    match self.status.get_mut(arn) {
                        Some(s) => Some(std::mem::replace(s, c)),
                        None => self.status.insert(arn.to_string(), c),
                    }
                };
                if let Some(c) = before.filter(|c| *c < 2) {
                    self.counted[c as usize] -= 1;
                }
                if self.daemon {
                    self.desired = self.to_run.len() as u32;
                }
            }
            kind::API_CALL => {
                let svc = &d["responseElements"]["service"];
                if svc["serviceName"].as_str() == Some(self.service.as_str()) {
                    if let Some(n) = svc["desiredCount"].as_u64() {
                        self.desired = n as u32;
                    }
                }
            }
            kind::SCALING_ACTIVITY => {
                let ours = d["ResourceId"]
                    .as_str()
                    .is_some_and(|r| r.starts_with("service/") && r.ends_with(&self.resource_suffix));
                if let (true, Some(n)) = (ours, d["ToDesiredCount"].as_u64()) {
                    self.desired = n as u32;
                }
            }
            kind::METRIC => {
                let (Some(name), Some(v)) = (d["metricName"].as_str(), d["value"].as_f64()) else { return };
                match (d["namespace"].as_str(), name) {
                    (Some("AWS/ECS"), "CPUUtilization" | "MemoryUtilization") => {
                        let dim = d["dimensions"]["ServiceName"].as_str();
                        if dim.is_some() && dim != Some(self.service.as_str()) {
                            return;
                        }
                        if name == "CPUUtilization" {
                            self.h.cpu.push((e.t, v));
                        } else {
                            self.h.memory.push((e.t, v));
                        }
                    }
                    (Some("AWS/ApplicationELB"), "RequestCount") => {
                        let period = d["period"].as_f64().filter(|p| *p > 0.0).unwrap_or(60.0);
                        self.h.requests_per_second.push((e.t, v / period));
                    }
                    _ => {}
                }
                return;
            }
            kind::ALARM_STATE_CHANGE => {
                let ours = d["resourceId"].as_str().is_none_or(|r| r.ends_with(&self.resource_suffix));
                let cond = d["configuration"]["condition"].as_str().and_then(parse_condition);
                if let (true, Some((metric, comparison, value)), Some(alarm)) = (ours, cond, d["alarmName"].as_str()) {
                    self.thresholds
                        .insert(alarm.to_string(), Threshold { alarm: alarm.to_string(), metric, comparison, value });
                }
                return;
            }
            _ => return,
        }
        self.push(e.t);
    }

    /// The history so far (the series read until now, the latest threshold of each alarm).
    pub fn history(&self) -> ServiceHistory {
        ServiceHistory { thresholds: self.thresholds.values().cloned().collect(), ..self.h.clone() }
    }
}

/// The counts at time `t` (the last point at or before it).
pub fn counts_at(h: &ServiceHistory, t: SimTime) -> Option<CountPoint> {
    h.counts.iter().take_while(|p| p.t <= t).last().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_parse() {
        assert_eq!(
            parse_condition("CPUUtilization > 50.0 for 3 datapoints"),
            Some(("CPUUtilization".into(), ">".into(), 50.0))
        );
        assert_eq!(parse_condition("nonsense"), None);
    }
}
