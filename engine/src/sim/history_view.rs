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
use std::collections::BTreeMap;

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
    let group = format!("service:{service}");
    let resource_suffix = format!("/{service}");
    let mut h = ServiceHistory { from: entries.first().map(|e| e.t).unwrap_or(0), ..Default::default() };
    // task ARN -> last status
    let mut status: BTreeMap<String, String> = BTreeMap::new();
    // task ARNs whose desiredStatus is RUNNING (a DAEMON service's desired count)
    let mut to_run: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut desired = initial_desired;
    let (mut running, mut pending) = (0u32, 0u32);
    let mut thresholds: BTreeMap<String, Threshold> = BTreeMap::new();
    // RUNNING (0) or starting (1: PROVISIONING, PENDING, ACTIVATING) for the counts; others None.
    // Counted as statuses change (the chart of a 5,000-task service reads tens of thousands of
    // lines: recounting every task per line took seconds in the browser).
    let class = |s: &str| match s {
        "RUNNING" => Some(0),
        "PROVISIONING" | "PENDING" | "ACTIVATING" => Some(1),
        _ => None,
    };
    let mut counted = [0u32; 2];
    let push = |h: &mut ServiceHistory, t: SimTime, desired: u32, running: u32, pending: u32| {
        let p = CountPoint { t, desired, running, pending };
        match h.counts.last_mut() {
            Some(last) if last.t == t => *last = p,
            Some(last) if last.desired == desired && last.running == running && last.pending == pending => {}
            _ => h.counts.push(p),
        }
    };
    let from = h.from;
    push(&mut h, from, desired, 0, 0);
    for e in entries.iter().take_while(|e| e.t <= until) {
        let d = &e.detail;
        match e.detail_type {
            kind::TASK_STATE_CHANGE => {
                if d["group"].as_str() != Some(group.as_str()) {
                    continue;
                }
                let (Some(arn), Some(last)) = (d["taskArn"].as_str(), d["lastStatus"].as_str()) else { continue };
                let before = if last == "STOPPED" {
                    to_run.remove(arn);
                    status.remove(arn)
                } else {
                    if let Some(c) = class(last) {
                        counted[c] += 1;
                    }
                    if d["desiredStatus"].as_str() == Some("RUNNING") {
                        to_run.insert(arn.to_string());
                    } else {
                        to_run.remove(arn);
                    }
                    status.insert(arn.to_string(), last.to_string())
                };
                if let Some(c) = before.as_deref().and_then(class) {
                    counted[c] -= 1;
                }
                (running, pending) = (counted[0], counted[1]);
                if daemon {
                    desired = to_run.len() as u32;
                }
            }
            kind::API_CALL => {
                let svc = &d["responseElements"]["service"];
                if svc["serviceName"].as_str() == Some(service) {
                    if let Some(n) = svc["desiredCount"].as_u64() {
                        desired = n as u32;
                    }
                }
            }
            kind::SCALING_ACTIVITY => {
                let ours = d["ResourceId"]
                    .as_str()
                    .is_some_and(|r| r.starts_with("service/") && r.ends_with(&resource_suffix));
                if let (true, Some(n)) = (ours, d["ToDesiredCount"].as_u64()) {
                    desired = n as u32;
                }
            }
            kind::METRIC => {
                let (Some(name), Some(v)) = (d["metricName"].as_str(), d["value"].as_f64()) else { continue };
                match (d["namespace"].as_str(), name) {
                    (Some("AWS/ECS"), "CPUUtilization" | "MemoryUtilization") => {
                        let dim = d["dimensions"]["ServiceName"].as_str();
                        if dim.is_some() && dim != Some(service) {
                            continue;
                        }
                        if name == "CPUUtilization" {
                            h.cpu.push((e.t, v));
                        } else {
                            h.memory.push((e.t, v));
                        }
                    }
                    (Some("AWS/ApplicationELB"), "RequestCount") => {
                        let period = d["period"].as_f64().filter(|p| *p > 0.0).unwrap_or(60.0);
                        h.requests_per_second.push((e.t, v / period));
                    }
                    _ => {}
                }
                continue;
            }
            kind::ALARM_STATE_CHANGE => {
                let ours = d["resourceId"].as_str().is_none_or(|r| r.ends_with(&resource_suffix));
                let cond = d["configuration"]["condition"].as_str().and_then(parse_condition);
                if let (true, Some((metric, comparison, value)), Some(alarm)) = (ours, cond, d["alarmName"].as_str()) {
                    thresholds
                        .insert(alarm.to_string(), Threshold { alarm: alarm.to_string(), metric, comparison, value });
                }
                continue;
            }
            _ => continue,
        }
        push(&mut h, e.t, desired, running, pending);
    }
    h.thresholds = thresholds.into_values().collect();
    h
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
