//! The append-only event log: every state change is one line of JSON Lines.
//!
//! Two kinds of line (README, "Event lines"):
//! - AWS's own events are the full EventBridge event, plus `t` (simulated seconds):
//!   `{"t":12.5,"version":"0","id":"<uuid>","detail-type":"ECS Task State Change","source":"aws.ecs",
//!   "account":"123456789012","time":"2026-01-05T00:00:12Z","region":"us-east-1","resources":[...],
//!   "detail":{...}}` (https://docs.aws.amazon.com/eventbridge/latest/ref/events-structure.html).
//!   `id` is derived from the seed and the line's position, so a run is byte-stable; `time` is the
//!   scenario's `startTime` (default 2026-01-05T00:00:00Z) plus `t`.
//! - The project's own trace lines (console service messages, metrics, faults, the snapshot...)
//!   carry no `detail-type` or `source`, so no EventBridge consumer mistakes them for AWS's:
//!   `{"t":12.5,"trace":"ServiceEvent","detail":{...}}`.
//!
//! Keys inside `detail` are sorted (serde_json maps without `preserve_order` are BTreeMaps), so
//! output is byte-stable.

use crate::schedule_expr::StartDate;
use crate::time::{to_secs_f64, SimTime};
use serde_json::Value;
use std::sync::{Arc, OnceLock};

/// What every AWS event's envelope says about where and when the simulated account runs.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvelopeContext {
    pub account: String,
    pub region: String,
    /// The calendar instant of simulated time 0 (the scenario's `startTime`).
    pub start: StartDate,
    /// The scenario's seed: event ids derive from it (never from the simulation's RNG, so adding
    /// a line does not change what the simulation draws).
    pub seed: u64,
}

impl Default for EnvelopeContext {
    fn default() -> Self {
        EnvelopeContext {
            account: crate::aws::ACCOUNT_ID.into(),
            region: crate::aws::DEFAULT_REGION.into(),
            start: StartDate::default(),
            seed: 0,
        }
    }
}

impl EnvelopeContext {
    /// A version-4-shaped UUID from the seed and the line's absolute position in the log.
    pub fn event_id(&self, n: u64) -> String {
        let a = splitmix64(self.seed ^ splitmix64(n.wrapping_mul(2).wrapping_add(1)));
        let b = splitmix64(a ^ n);
        // Version 4, then the RFC 4122 variant.
        let a = (a & 0xffff_ffff_ffff_0fff) | 0x4000;
        let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;

        // "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}" of (a >> 32, a >> 16, a, b >> 48, b), written
        // digit by digit (one per log line: `format!` was a visible share of a large run).
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(36);
        for (k, (x, digits)) in [(a >> 32, 8), (a >> 16, 4), (a, 4), (b >> 48, 4), (b, 12)].into_iter().enumerate() {
            if k > 0 {
                out.push('-');
            }
            for d in (0..digits).rev() {
                out.push(DIGITS[((x >> (4 * d)) & 0xf) as usize] as char);
            }
        }
        out
    }
    /// An ISO 8601 timestamp with milliseconds, for timestamps inside `detail`.
    pub fn iso_ms(&self, t: SimTime) -> String {
        self.start.iso_ms(t)
    }
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The EventBridge envelope of an AWS event line.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub id: String,
    pub source: &'static str,
    pub account: String,
    /// ISO 8601, whole seconds, as EventBridge writes it.
    pub time: String,
    pub region: String,
    pub resources: Vec<String>,
}

/// A line's `detail`: a JSON tree, or JSON text written straight from the state (the "ECS Task
/// State Change" lines, tens of thousands in a large run), parsed into a tree only when something
/// reads it. It reads as a `serde_json::Value` either way (`Deref`), and writes the same bytes.
/// A line never changes once logged, so clones share it (`Arc`): a replay checkpoint (a clone of
/// the whole simulation, `replay.rs`) copies a pointer per retained line, not the line.
#[derive(Clone)]
pub struct Detail(Arc<DetailRepr>);

#[derive(Clone)]
enum DetailRepr {
    Tree(Value),
    /// Compact JSON text with object keys in sorted order: exactly what serde_json writes for the
    /// tree it parses into.
    Text {
        json: Box<str>,
        tree: OnceLock<Value>,
    },
}

impl Detail {
    /// A detail from JSON text in serde_json's compact form with sorted object keys (the form
    /// `serde_json::to_string` gives for a `Value`), so the log's bytes do not depend on which
    /// form a line was built in. Debug builds check it.
    pub fn from_json_text(json: String) -> Detail {
        debug_assert_eq!(
            serde_json::from_str::<Value>(&json).ok().and_then(|v| serde_json::to_string(&v).ok()).as_deref(),
            Some(json.as_str()),
            "detail text is not canonical JSON"
        );
        Detail(Arc::new(DetailRepr::Text { json: json.into_boxed_str(), tree: OnceLock::new() }))
    }
    /// Append the detail's JSON to `out`.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        match &*self.0 {
            DetailRepr::Tree(v) => {
                // Writing JSON into a Vec<u8> cannot fail (no I/O, string keys only).
                let _ = serde_json::to_writer(&mut *out, v);
            }
            DetailRepr::Text { json, .. } => out.extend_from_slice(json.as_bytes()),
        }
    }
    /// The detail's JSON text when the line was logged as text (and may not have been parsed):
    /// readers that need a few members can parse just those from it, without building and
    /// keeping the whole tree.
    pub fn json_text(&self) -> Option<&str> {
        match &*self.0 {
            DetailRepr::Tree(_) => None,
            DetailRepr::Text { json, .. } => Some(json),
        }
    }
    /// The detail as an owned tree.
    pub fn into_value(self) -> Value {
        match Arc::try_unwrap(self.0) {
            Ok(DetailRepr::Tree(v)) => v,
            Ok(DetailRepr::Text { json, tree }) => tree.into_inner().unwrap_or_else(|| parse_detail(&json)),
            // Shared with a clone of the log: copy the tree.
            Err(shared) => (*Detail(shared)).clone(),
        }
    }
}

fn parse_detail(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or(Value::Null)
}

impl std::ops::Deref for Detail {
    type Target = Value;
    fn deref(&self) -> &Value {
        match &*self.0 {
            DetailRepr::Tree(v) => v,
            DetailRepr::Text { json, tree } => tree.get_or_init(|| parse_detail(json)),
        }
    }
}

impl From<Value> for Detail {
    fn from(v: Value) -> Detail {
        Detail(Arc::new(DetailRepr::Tree(v)))
    }
}

impl PartialEq for Detail {
    fn eq(&self, other: &Detail) -> bool {
        **self == **other
    }
}

impl PartialEq<Value> for Detail {
    fn eq(&self, other: &Value) -> bool {
        **self == *other
    }
}

impl std::fmt::Debug for Detail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl std::fmt::Display for Detail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl serde::Serialize for Detail {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub t: SimTime,
    /// The `detail-type` of an AWS event, or the project's own trace kind (see [`kind`]).
    pub detail_type: &'static str,
    pub detail: Detail,
    /// Present on AWS's own events (the kinds [`kind::aws_source`] knows), absent on trace lines.
    /// Shared by clones of the log, like the detail.
    pub envelope: Option<Arc<Envelope>>,
}

impl LogEntry {
    /// A trace line of the project's own kind (no envelope).
    pub fn trace(t: SimTime, kind: &'static str, detail: Value) -> LogEntry {
        LogEntry { t, detail_type: kind, detail: detail.into(), envelope: None }
    }

    /// Whether this is one of AWS's EventBridge events (else a trace line of our own).
    pub fn is_aws_event(&self) -> bool {
        self.envelope.is_some()
    }

    /// One JSON Lines line (without the trailing newline).
    pub fn to_json_line(&self) -> String {
        let mut line = Vec::with_capacity(1024);
        self.write_json_line(&mut line);
        // serde_json writes valid UTF-8 and every other byte is ASCII.
        String::from_utf8(line).unwrap_or_default()
    }

    /// Append this entry's JSON Lines line (without the trailing newline) to `out`: the same
    /// bytes as [`LogEntry::to_json_line`], serialised straight into the buffer (no `fmt`
    /// adapter, no string per member), which is what the CLI and the digest stream.
    pub fn write_json_line(&self, out: &mut Vec<u8>) {
        // Writing JSON into a Vec<u8> cannot fail (no I/O, string keys only).
        fn str_into(out: &mut Vec<u8>, v: &str) {
            let _ = serde_json::to_writer(&mut *out, v);
        }
        out.extend_from_slice(b"{\"t\":");
        write_secs(out, self.t);
        match &self.envelope {
            Some(e) => {
                out.extend_from_slice(b",\"version\":\"0\",\"id\":");
                str_into(out, &e.id);
                out.extend_from_slice(b",\"detail-type\":");
                str_into(out, self.detail_type);
                out.extend_from_slice(b",\"source\":");
                str_into(out, e.source);
                out.extend_from_slice(b",\"account\":");
                str_into(out, &e.account);
                out.extend_from_slice(b",\"time\":");
                str_into(out, &e.time);
                out.extend_from_slice(b",\"region\":");
                str_into(out, &e.region);
                out.extend_from_slice(b",\"resources\":");
                let _ = serde_json::to_writer(&mut *out, &e.resources);
            }
            None => {
                out.extend_from_slice(b",\"trace\":");
                str_into(out, self.detail_type);
            }
        }
        out.extend_from_slice(b",\"detail\":");
        self.detail.write_json(out);
        out.push(b'}');
    }
}

fn write_secs(out: &mut Vec<u8>, t: SimTime) {
    use std::io::Write;
    if t.is_multiple_of(1000) {
        let _ = write!(out, "{}", t / 1000);
    } else {
        let _ = write!(out, "{}", to_secs_f64(t));
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

/// Line kinds. AWS's EventBridge detail-types keep AWS's names and get the full envelope; the
/// project's own trace kinds are CamelCase words that are no AWS detail-type.
pub mod kind {
    // AWS's events (EventBridge detail-types).
    pub const TASK_STATE_CHANGE: &str = "ECS Task State Change";
    pub const CONTAINER_INSTANCE_STATE_CHANGE: &str = "ECS Container Instance State Change";
    pub const DEPLOYMENT_STATE_CHANGE: &str = "ECS Deployment State Change";
    /// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html
    pub const SERVICE_ACTION: &str = "ECS Service Action";
    /// EventBridge events: a scheduled rule's tick and S3's object notification.
    pub const SCHEDULED_EVENT: &str = "Scheduled Event";
    pub const S3_OBJECT_CREATED: &str = "Object Created";

    // The project's own trace kinds.
    /// A service event as the console and describe-services show it (`services[].events`):
    /// `{"id", "createdAt", "message", "serviceName", "serviceArn"}`.
    pub const SERVICE_EVENT: &str = "ServiceEvent";
    pub const TARGET_HEALTH_CHANGE: &str = "TargetHealthChange";
    /// A CloudWatch datapoint.
    pub const METRIC: &str = "Metric";
    /// A CloudWatch alarm's state change, modelled on the "CloudWatch Alarm State Change" detail.
    pub const ALARM_STATE_CHANGE: &str = "AlarmStateChange";
    /// An Application Auto Scaling ScalingActivity (DescribeScalingActivities' shape).
    pub const SCALING_ACTIVITY: &str = "ScalingActivity";
    /// An API call the scenario's timeline or the user made, with its response or error.
    pub const API_CALL: &str = "ApiCall";
    /// An AWS API call made by application code with the task role (allowed or AccessDenied).
    pub const APP_CALL: &str = "AppApiCall";
    /// ECR expired images under a repository's lifecycle policy.
    pub const ECR_LIFECYCLE: &str = "EcrImageExpired";
    /// A fault of the playground (TerminateInstance, FailAvailabilityZone, ...).
    pub const FAULT: &str = "FaultInjected";
    /// A message EventBridge published to an SNS topic target (an ECS event matched the rule).
    pub const SNS_NOTIFICATION: &str = "SnsNotification";
    /// The last line of `ecs-sim run`: the describe-* output of the cluster.
    pub const SNAPSHOT: &str = "Snapshot";
    /// EC2 Auto Scaling: an instance launched or terminated, and its scaling activities.
    pub const ASG_LAUNCH: &str = "AsgInstanceLaunch";
    pub const ASG_TERMINATE: &str = "AsgInstanceTerminate";
    pub const ASG_ACTIVITY: &str = "AsgActivity";

    /// The EventBridge `source` of AWS's kinds; None for the project's own trace kinds.
    pub fn aws_source(kind: &str) -> Option<&'static str> {
        match kind {
            TASK_STATE_CHANGE | CONTAINER_INSTANCE_STATE_CHANGE | DEPLOYMENT_STATE_CHANGE | SERVICE_ACTION => {
                Some("aws.ecs")
            }
            SCHEDULED_EVENT => Some("aws.events"),
            S3_OBJECT_CREATED => Some("aws.s3"),
            _ => None,
        }
    }
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
    ctx: EnvelopeContext,
}

impl Default for EventLog {
    fn default() -> Self {
        EventLog::with_context(EnvelopeContext::default())
    }
}

impl EventLog {
    /// A log whose AWS events carry this account, region, start time and seed.
    pub fn with_context(ctx: EnvelopeContext) -> Self {
        EventLog { entries: Vec::new(), first: 0, retention: None, dropped_hash: FNV_OFFSET, ctx }
    }
    pub fn context(&self) -> &EnvelopeContext {
        &self.ctx
    }

    /// Append a line. AWS's kinds get their envelope, with `resources` read from the detail
    /// (the task's or container instance's ARN); use [`EventLog::push_event`] to name them.
    pub fn push(&mut self, t: SimTime, detail_type: &'static str, detail: Value) {
        let resources = match detail_type {
            kind::TASK_STATE_CHANGE => vec![detail["taskArn"].as_str().unwrap_or_default().to_string()],
            kind::CONTAINER_INSTANCE_STATE_CHANGE => {
                vec![detail["containerInstanceArn"].as_str().unwrap_or_default().to_string()]
            }
            _ => Vec::new(),
        };
        self.push_event(t, detail_type, resources, detail);
    }

    /// Append a line with the envelope's `resources` given (ignored for trace kinds).
    pub fn push_event(
        &mut self,
        t: SimTime,
        detail_type: &'static str,
        resources: Vec<String>,
        detail: impl Into<Detail>,
    ) {
        let detail = detail.into();
        let envelope = kind::aws_source(detail_type).map(|source| {
            Arc::new(Envelope {
                id: self.ctx.event_id(self.len() as u64),
                source,
                account: self.ctx.account.clone(),
                time: self.ctx.start.iso(t),
                region: self.ctx.region.clone(),
                resources,
            })
        });
        self.entries.push(LogEntry { t, detail_type, detail, envelope });
        if let Some(keep) = self.retention {
            // Drop in chunks of an eighth of the limit, so the cost per push stays constant, the
            // log holds at most 1.125x the limit (not 2x: at ECS's quota scale a kept line
            // weighs about 1.4 KB) and one drop hashes 2,500 lines, not 20,000 (a frame's time
            // in the browser, not a quarter second).
            if self.entries.len() >= keep + (keep / 8).max(1) {
                let n = self.entries.len() - keep;
                let mut line = Vec::with_capacity(4096);
                for e in &self.entries[..n] {
                    line.clear();
                    e.write_json_line(&mut line);
                    self.dropped_hash = fnv1a64_update(self.dropped_hash, &line);
                    self.dropped_hash = fnv1a64_update(self.dropped_hash, b"\n");
                }
                self.entries.drain(..n);
                self.first += n;
            }
        }
    }
    /// Keep at most about `keep` recent entries (between `keep` and `1.125 * keep`); None keeps all.
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
        let mut line = Vec::with_capacity(4096);
        for e in &self.entries {
            line.clear();
            e.write_json_line(&mut line);
            h = fnv1a64_update(h, &line);
            h = fnv1a64_update(h, b"\n");
        }
        format!("{h:016x}")
    }
    /// The retained log as JSON Lines.
    pub fn to_json_lines(&self) -> String {
        let mut out = Vec::new();
        for e in &self.entries {
            e.write_json_line(&mut out);
            out.push(b'\n');
        }
        String::from_utf8(out).unwrap_or_default()
    }
}

/// FNV-1a 64 offset basis.
pub const FNV_OFFSET: u64 = 0xcbf29ce484222325;

/// Continue an FNV-1a 64 hash over more bytes.
pub fn fnv1a64_update(mut h: u64, bytes: &[u8]) -> u64 {
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
        let e = LogEntry::trace(1500, kind::METRIC, json!({"b": 1, "a": 2}));
        assert_eq!(e.to_json_line(), r#"{"t":1.5,"trace":"Metric","detail":{"a":2,"b":1}}"#);
        let mut log = EventLog::default();
        log.push(2000, kind::TASK_STATE_CHANGE, json!({"taskArn": "arn:t"}));
        let line: Value = serde_json::from_str(&log.entries()[0].to_json_line()).expect("json");
        assert_eq!(line["t"], 2);
        assert_eq!(line["version"], "0");
        assert_eq!(line["detail-type"], "ECS Task State Change");
        assert_eq!(line["source"], "aws.ecs");
        assert_eq!(line["time"], "2026-01-05T00:00:02Z");
        assert_eq!(line["resources"], json!(["arn:t"]));
        assert_eq!(line["account"], "123456789012");
        assert_eq!(line["region"], "us-east-1");
        assert!(line.get("trace").is_none());
    }

    #[test]
    fn event_ids_are_uuids_that_depend_on_seed_and_position() {
        let a = EnvelopeContext::default();
        let b = EnvelopeContext { seed: 7, ..EnvelopeContext::default() };
        let id = a.event_id(0);
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4", "{id}");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
        assert_eq!(id, a.event_id(0));
        assert_ne!(id, a.event_id(1));
        assert_ne!(id, b.event_id(0));
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
        assert!(kept.entries().len() <= 4 && kept.entries().len() >= 3);
        assert_eq!(kept.digest(), all.digest());
        assert_eq!(kept.since(18).len(), 2);
        assert_eq!(kept.since(0).len(), kept.entries().len());
    }
}
