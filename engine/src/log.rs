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
    if t.is_multiple_of(1000) {
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
    /// An AWS API call made by application code with the task role (allowed or AccessDenied).
    pub const APP_CALL: &str = "Application AWS API Call";
    /// ECR expired images under a repository's lifecycle policy.
    pub const ECR_LIFECYCLE: &str = "ECR Image Action";
    pub const FAULT: &str = "Fault Injected";
    pub const SNAPSHOT: &str = "Snapshot";
    /// EC2 Auto Scaling's EventBridge detail-types, and its DescribeScalingActivities entries.
    /// EventBridge events: a scheduled rule's tick and S3's object notification.
    pub const SCHEDULED_EVENT: &str = "Scheduled Event";
    pub const S3_OBJECT_CREATED: &str = "Object Created";
    /// A message EventBridge published to an SNS topic target (an ECS event matched the rule).
    pub const SNS_NOTIFICATION: &str = "SNS Notification";
    pub const ASG_LAUNCH: &str = "EC2 Instance Launch Successful";
    pub const ASG_TERMINATE: &str = "EC2 Instance Terminate Successful";
    pub const ASG_ACTIVITY: &str = "EC2 Auto Scaling Activity";
}

/// The log. By default it keeps every entry; with a retention limit (the CLI, which streams, and the
/// browser, which shows recent history) it drops the oldest entries so memory stays flat over
/// simulated weeks, while `len`, `since` and `digest` keep counting from the very first entry.
#[derive(Debug, Clone)]
pub struct EventLog {
    entries: Vec<LogEntry>,
    /// Absolute index of `entries[0]`: how many entries were dropped.
    first: usize,
    retention: Option<usize>,
    /// FNV-1a state over the JSON Lines of the dropped entries, so `digest` covers the whole log.
    dropped_hash: u64,
}

impl Default for EventLog {
    fn default() -> Self {
        EventLog { entries: Vec::new(), first: 0, retention: None, dropped_hash: FNV_OFFSET }
    }
}

impl EventLog {
    pub fn push(&mut self, t: SimTime, detail_type: &'static str, detail: Value) {
        self.entries.push(LogEntry { t, detail_type, detail });
        if let Some(keep) = self.retention {
            // Drop in chunks (at twice the limit) so the cost per push stays constant.
            if self.entries.len() >= 2 * keep.max(1) {
                let n = self.entries.len() - keep;
                for e in &self.entries[..n] {
                    self.dropped_hash = fnv1a64_update(self.dropped_hash, e.to_json_line().as_bytes());
                    self.dropped_hash = fnv1a64_update(self.dropped_hash, b"\n");
                }
                self.entries.drain(..n);
                self.first += n;
            }
        }
    }
    /// Keep at most about `keep` recent entries (between `keep` and `2 * keep`); None keeps all.
    pub fn set_retention(&mut self, keep: Option<usize>) {
        self.retention = keep;
    }
    /// The retained entries (all of them unless a retention limit is set).
    pub fn entries(&self) -> &[LogEntry] {
        &self.entries
    }
    /// How many entries were ever pushed (an absolute cursor for `since`).
    pub fn len(&self) -> usize {
        self.first + self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Entries appended since an earlier `len()`, for consumers that stream the log. Entries that
    /// retention already dropped are skipped.
    pub fn since(&self, from: usize) -> &[LogEntry] {
        &self.entries[from.saturating_sub(self.first).min(self.entries.len())..]
    }
    /// FNV-1a 64 of the JSON Lines text of the whole log (dropped entries included): a cheap
    /// fingerprint to compare runs across platforms.
    pub fn digest(&self) -> String {
        let mut h = self.dropped_hash;
        for e in &self.entries {
            h = fnv1a64_update(h, e.to_json_line().as_bytes());
            h = fnv1a64_update(h, b"\n");
        }
        format!("{h:016x}")
    }
    /// The retained log as JSON Lines.
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

    #[test]
    fn retention_keeps_cursor_and_digest_of_the_whole_log() {
        let mut all = EventLog::default();
        let mut kept = EventLog::default();
        kept.set_retention(Some(3));
        for i in 0..20u64 {
            all.push(i * 1000, kind::METRIC, json!({ "i": i }));
            kept.push(i * 1000, kind::METRIC, json!({ "i": i }));
        }
        assert_eq!(kept.len(), 20);
        assert!(kept.entries().len() <= 6 && kept.entries().len() >= 3);
        assert_eq!(kept.digest(), all.digest());
        assert_eq!(kept.since(18).len(), 2);
        assert_eq!(kept.since(0).len(), kept.entries().len());
    }
}
