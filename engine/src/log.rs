//! The append-only event log: every state change is one line, shaped like an EventBridge event
//! (`detail-type` and `detail`) with the simulated time `t` in seconds.
//!
//! Line format (JSON Lines): `{"t": <sim seconds>, "detail-type": "...", "detail": {...}}`.
//! Keys inside `detail` keep their insertion order (serde_json `preserve_order` is not used; we
//! build details with `json!`, whose maps are BTreeMaps: sorted keys, so output is byte-stable).

use crate::time::{to_secs_f64, SimTime};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub t: SimTime,
    pub detail_type: &'static str,
    pub detail: Value,
}

impl LogEntry {
    /// One JSON Lines line (without the trailing newline).
    pub fn to_json_line(&self) -> String {
        let mut line = String::with_capacity(128);
        line.push_str("{\"t\":");
        line.push_str(&fmt_secs(self.t));
        line.push_str(",\"detail-type\":");
        line.push_str(&Value::String(self.detail_type.to_string()).to_string());
        line.push_str(",\"detail\":");
        line.push_str(&self.detail.to_string());
        line.push('}');
        line
    }
}

/// Seconds with at most millisecond precision, without a trailing `.0` for whole seconds.
pub fn fmt_secs(t: SimTime) -> String {
    if t % 1000 == 0 {
        format!("{}", t / 1000)
    } else {
        let s = format!("{}", to_secs_f64(t));
        s
    }
}

/// Detail types used in the log. Names follow EventBridge where AWS has one.
pub mod kind {
    pub const TASK_STATE_CHANGE: &str = "ECS Task State Change";
    pub const CONTAINER_INSTANCE_STATE_CHANGE: &str = "ECS Container Instance State Change";
    pub const SERVICE_EVENT: &str = "ECS Service Event";
    pub const DEPLOYMENT_STATE_CHANGE: &str = "ECS Deployment State Change";
    pub const TARGET_HEALTH_CHANGE: &str = "Target Health Change";
    pub const METRIC: &str = "Metric";
    pub const ALARM_STATE_CHANGE: &str = "CloudWatch Alarm State Change";
    pub const SCALING_ACTIVITY: &str = "Application Auto Scaling Activity";
    pub const API_CALL: &str = "AWS API Call";
    pub const FAULT: &str = "Fault Injected";
    pub const SNAPSHOT: &str = "Snapshot";
}

#[derive(Debug, Clone, Default)]
pub struct EventLog {
    entries: Vec<LogEntry>,
}

impl EventLog {
    pub fn push(&mut self, t: SimTime, detail_type: &'static str, detail: Value) {
        self.entries.push(LogEntry { t, detail_type, detail });
    }
    pub fn entries(&self) -> &[LogEntry] {
        &self.entries
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// Entries appended since a previous length, for consumers that stream the log.
    pub fn since(&self, from: usize) -> &[LogEntry] {
        &self.entries[from.min(self.entries.len())..]
    }
    /// FNV-1a 64 of the JSON Lines text: a cheap fingerprint to compare runs across platforms.
    pub fn digest(&self) -> String {
        let mut h = FNV_OFFSET;
        for e in &self.entries {
            h = fnv1a64_update(h, e.to_json_line().as_bytes());
            h = fnv1a64_update(h, b"\n");
        }
        format!("{h:016x}")
    }
    /// The whole log as JSON Lines.
    pub fn to_json_lines(&self) -> String {
        let mut out = String::new();
        for e in &self.entries {
            out.push_str(&e.to_json_line());
            out.push('\n');
        }
        out
    }
}

const FNV_OFFSET: u64 = 0xcbf29ce484222325;

fn fnv1a64_update(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// FNV-1a 64 of some bytes, as a 16-digit hex string (the format of `EventLog::digest`).
pub fn fnv1a64(bytes: &[u8]) -> String {
    format!("{:016x}", fnv1a64_update(FNV_OFFSET, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn line_shape() {
        let e = LogEntry { t: 1500, detail_type: kind::METRIC, detail: json!({"b": 1, "a": 2}) };
        assert_eq!(e.to_json_line(), r#"{"t":1.5,"detail-type":"Metric","detail":{"a":2,"b":1}}"#);
        let e = LogEntry { t: 2000, detail_type: kind::METRIC, detail: json!({}) };
        assert_eq!(e.to_json_line(), r#"{"t":2,"detail-type":"Metric","detail":{}}"#);
    }
}
