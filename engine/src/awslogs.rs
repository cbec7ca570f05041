//! CloudWatch Logs for containers that use the `awslogs` log driver: the options, the stream
//! names, the errors ECS reports, and a bounded store of the lines the simulated application
//! writes. The simulation wires it in (`sim/awslogs.rs`); this module holds no simulation state.
//!
//! Rules implemented (Amazon ECS developer guide, "Send Amazon ECS logs to CloudWatch",
//! https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html):
//! - "awslogs-stream-prefix ... associate a log stream with the specified prefix, the container
//!   name, and the ID of the Amazon ECS task to which the container belongs. If you specify a
//!   prefix with this option, then the log stream takes the following format:
//!   prefix-name/container-name/ecs-task-id". "If you don't specify a prefix with this option,
//!   then the log stream is named after the container ID that's assigned by the Docker daemon on
//!   the container instance." (The playground derives that 64-hex container id from the task id
//!   and container name with FNV-1a, so it needs no random draw and existing runs stay
//!   byte-identical; the guide also says Fargate needs a prefix for the console's Logs tab, which
//!   the playground does not enforce: without one a Fargate stream is named the same way.)
//! - "awslogs-create-group ... Specify whether you want the log group to be created
//!   automatically. If this option isn't specified, it defaults to false. Your IAM policy must
//!   include the logs:CreateLogGroup permission before you attempt to use awslogs-create-group."
//! - A log group that does not exist, without `awslogs-create-group`, stops the task before its
//!   containers start. The stopped reasons as ECS shows them (request ids left out):
//!   Fargate (platform version 1.4.0+, "ResourceInitializationError ... when the Fargate agent
//!   fails to create or bootstrap the resources required to start the container", stopped task
//!   error codes, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html):
//!   "ResourceInitializationError: failed to validate logger args: create stream has been
//!   retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The
//!   specified log group does not exist. : exit status 1"; EC2 (the Docker daemon's awslogs
//!   driver, as reported in e.g. github.com/cn-terraform/terraform-aws-ecs-fargate-task-definition/issues/1
//!   and github.com/prakhar1989/docker-curriculum/issues/253): "CannotStartContainerError: Error
//!   response from daemon: failed to initialize logging driver: failed to create Cloudwatch log
//!   stream: ResourceNotFoundException: The specified log group does not exist."
//! - RegisterTaskDefinition refuses an awslogs configuration without a group ("ClientException:
//!   Log driver awslogs option 'awslogs-group' should not be null or empty.",
//!   github.com/terraform-aws-modules/terraform-aws-ecs/issues/206) and an
//!   `awslogs-create-group` other than "true" ("ClientException: Log driver awslogs option
//!   'awslogs-create-group' should only be set to 'true', else omit option.",
//!   github.com/terraform-linters/tflint-ruleset-aws/issues/348): a missing group is a
//!   registration error, not a stopped task.
//! - Missing `logs:PutLogEvents`: the stream is created (CreateLogStream succeeded) and the
//!   container runs; the driver's PutLogEvents calls fail with AccessDeniedException, so no line
//!   arrives in the stream (Docker's awslogs driver logs the failed batch in the daemon log and
//!   drops it; it does not stop the container). The view reports the delivery error.
//! - "A task stopped minutes ago keeps its stream": CloudWatch keeps log events for the group's
//!   retention (default: never expire), whatever happened to the task.
//!
//! Bounded memory (a playground choice, not CloudWatch's): each stream keeps its newest
//! `MAX_EVENTS_PER_STREAM` events (older ones are dropped, indexes keep counting from the first),
//! each group its newest `MAX_STREAMS_PER_GROUP` streams. Events are stored in shared immutable
//! chunks, so cloning a simulation (replay checkpoints) copies pointers, not lines.

use crate::error::{ApiError, ApiResult};
use crate::taskdef::{ContainerDefinition, RegisterTaskDefinition};
use crate::time::SimTime;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Events kept per stream (the oldest are dropped first).
pub const MAX_EVENTS_PER_STREAM: usize = 2_000;
/// Streams kept per log group (the oldest-created are dropped first).
pub const MAX_STREAMS_PER_GROUP: usize = 300;
/// Events per shared chunk.
const CHUNK: usize = 64;

/// The User-Agent of ALB health check requests: "Health check requests ... include the header
/// User-Agent: ELB-HealthChecker/2.0" (ALB user guide, "Health checks for Application Load
/// Balancer target groups").
pub const HEALTH_CHECKER_USER_AGENT: &str = "ELB-HealthChecker/2.0";

/// A container's `logConfiguration` when its `logDriver` is `awslogs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsLogsOptions {
    pub group: Option<String>,
    /// `awslogs-create-group` as written ("true" is the only accepted value).
    pub create_group: Option<String>,
    pub stream_prefix: Option<String>,
    pub region: Option<String>,
}

impl AwsLogsOptions {
    pub fn creates_group(&self) -> bool {
        self.create_group.as_deref() == Some("true")
    }
}

/// The awslogs options of a container definition (None: another driver or none).
pub fn options(c: &ContainerDefinition) -> Option<AwsLogsOptions> {
    options_of(c.other.get("logConfiguration")?)
}

fn options_of(lc: &Value) -> Option<AwsLogsOptions> {
    if lc.get("logDriver").and_then(Value::as_str) != Some("awslogs") {
        return None;
    }
    let opts = lc.get("options");
    let get = |k: &str| opts.and_then(|o| o.get(k)).and_then(Value::as_str).map(str::to_string);
    Some(AwsLogsOptions {
        group: get("awslogs-group"),
        create_group: get("awslogs-create-group"),
        stream_prefix: get("awslogs-stream-prefix").filter(|p| !p.is_empty()),
        region: get("awslogs-region"),
    })
}

/// RegisterTaskDefinition's awslogs checks (see the module docs for the texts' sources).
pub fn validate_registration(td: &RegisterTaskDefinition) -> ApiResult<()> {
    for (i, c) in td.container_definitions.iter().enumerate() {
        let Some(o) = options(c) else { continue };
        let at = format!("containerDefinitions[{i}].logConfiguration.options");
        if o.group.as_deref().is_none_or(|g| g.trim().is_empty()) {
            return Err(ApiError::client(
                format!("{at}.awslogs-group"),
                "Log driver awslogs option 'awslogs-group' should not be null or empty.",
            ));
        }
        if o.create_group.as_deref().is_some_and(|v| v != "true") {
            return Err(ApiError::client(
                format!("{at}.awslogs-create-group"),
                "Log driver awslogs option 'awslogs-create-group' should only be set to 'true', else omit option.",
            ));
        }
    }
    Ok(())
}

/// The Docker container id the daemon would assign (64 hex digits), derived, not drawn.
pub fn docker_container_id(task_id: &str, container: &str) -> String {
    let mut out = String::with_capacity(64);
    for k in 0u8..4 {
        let mut bytes = Vec::with_capacity(task_id.len() + container.len() + 2);
        bytes.push(k);
        bytes.extend_from_slice(task_id.as_bytes());
        bytes.push(b'/');
        bytes.extend_from_slice(container.as_bytes());
        out.push_str(&crate::log::fnv1a64(&bytes));
    }
    out
}

/// The stream name the awslogs driver uses: `prefix/container-name/ecs-task-id`, or the Docker
/// container id without a prefix.
pub fn stream_name(prefix: Option<&str>, container: &str, task_id: &str) -> String {
    match prefix {
        Some(p) => format!("{p}/{container}/{task_id}"),
        None => docker_container_id(task_id, container),
    }
}

/// Where the task runs, for the wording of the errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    Fargate,
    Ec2,
}

/// The stoppedReason when the log group does not exist and `awslogs-create-group` is not set.
pub fn group_not_found_reason(rt: Runtime) -> String {
    match rt {
        Runtime::Fargate => "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1".into(),
        Runtime::Ec2 => "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist.".into(),
    }
}

/// A log group declared by the scenario (the CreateLogGroup request's shape).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateLogGroup {
    pub log_group_name: String,
    /// PutRetentionPolicy's days (informational: the playground keeps `MAX_EVENTS_PER_STREAM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_in_days: Option<u32>,
}

/// What the application wrote, compact; rendered to text by `LogStream::render`.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// The process started (image from the stream).
    Starting,
    /// It listens on a container port.
    Listening { port: u16 },
    /// One ALB health check request and the status the application answered.
    HealthCheck { path: Arc<str>, code: u16 },
    /// The requests one target served in one simulated minute with one status code, as one line.
    Requests { count: u32, code: u16 },
    /// SIGTERM arrived (a scale-in, a deployment, StopTask, a Spot interruption...).
    Sigterm { stop_timeout: u32 },
    /// It finished shutting down within stopTimeout and exits 0.
    ShutdownComplete,
    /// The process exits on its own with this code.
    Exit { code: i32 },
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogEvent {
    pub at: SimTime,
    pub line: Line,
}

/// One container's stream in one task.
#[derive(Debug, Clone)]
pub struct LogStream {
    pub name: String,
    pub task_id: String,
    pub task_arn: String,
    pub container_name: String,
    pub image: String,
    pub created_at: SimTime,
    /// Events before the first kept one (dropped by the retention cap).
    pub dropped: usize,
    /// Set when PutLogEvents is denied: nothing is delivered.
    pub delivery_error: Option<String>,
    chunks: Vec<Arc<[LogEvent]>>,
    tail: Vec<LogEvent>,
}

impl LogStream {
    pub fn len(&self) -> usize {
        self.dropped + self.kept()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn kept(&self) -> usize {
        self.chunks.iter().map(|c| c.len()).sum::<usize>() + self.tail.len()
    }
    pub fn last_event_at(&self) -> Option<SimTime> {
        self.tail.last().or_else(|| self.chunks.last().and_then(|c| c.last())).map(|e| e.at)
    }
    fn push(&mut self, at: SimTime, line: Line) {
        if self.delivery_error.is_some() {
            return;
        }
        // Timestamps within a stream never go backwards.
        let at = self.last_event_at().map_or(at, |last| at.max(last));
        self.tail.push(LogEvent { at, line });
        if self.tail.len() >= CHUNK {
            let full: Arc<[LogEvent]> = std::mem::take(&mut self.tail).into();
            self.chunks.push(full);
            // Sealed chunks leave room for a full tail, so at most MAX_EVENTS_PER_STREAM are kept.
            while self.kept() > MAX_EVENTS_PER_STREAM - CHUNK && !self.chunks.is_empty() {
                let gone = self.chunks.remove(0);
                self.dropped += gone.len();
            }
        }
    }
    /// Kept events with absolute index >= `from`, at most `limit`.
    pub fn events(&self, from: usize, limit: usize) -> Vec<(usize, &LogEvent)> {
        let start = from.max(self.dropped);
        self.chunks
            .iter()
            .flat_map(|c| c.iter())
            .chain(self.tail.iter())
            .enumerate()
            .map(|(k, e)| (self.dropped + k, e))
            .skip(start - self.dropped)
            .take(limit)
            .collect()
    }
    /// The message text of a line, as the application would print it.
    pub fn render(&self, line: &Line) -> String {
        match line {
            Line::Starting => format!("Starting {} ({})", self.container_name, self.image),
            Line::Listening { port } => format!("Listening on 0.0.0.0:{port}"),
            Line::HealthCheck { path, code } => {
                format!("\"GET {path} HTTP/1.1\" {code} \"{HEALTH_CHECKER_USER_AGENT}\"")
            }
            Line::Requests { count, code } => {
                format!("\"GET / HTTP/1.1\" {code} x{count} (last minute, aggregated)")
            }
            Line::Sigterm { stop_timeout } => {
                format!("Received SIGTERM, draining in-flight requests (SIGKILL follows in {stop_timeout} s)")
            }
            Line::ShutdownComplete => "Shutdown complete, exiting with code 0".into(),
            Line::Exit { code } => format!("Fatal error, exiting with code {code}"),
        }
    }
}

/// One log group.
#[derive(Debug, Clone, Default)]
pub struct LogGroup {
    pub created_at: SimTime,
    pub retention_in_days: Option<u32>,
    /// Created by a task (`awslogs-create-group`), not declared by the scenario.
    pub created_by_task: bool,
    pub streams: Vec<LogStream>,
    /// Streams dropped by `MAX_STREAMS_PER_GROUP`.
    pub dropped_streams: usize,
}

/// Every log group of the run.
#[derive(Debug, Clone, Default)]
pub struct LogStore {
    /// Groups the scenario declared (`logGroups`); None: every group a task names exists.
    pub declared: Option<Vec<String>>,
    pub groups: BTreeMap<String, LogGroup>,
}

/// Where a stream is in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamRef {
    pub group: String,
    pub stream: String,
}

impl LogStore {
    pub fn from_scenario(groups: Option<&[CreateLogGroup]>) -> Self {
        let mut s = LogStore::default();
        if let Some(gs) = groups {
            s.declared = Some(gs.iter().map(|g| g.log_group_name.clone()).collect());
            for g in gs {
                s.groups.insert(
                    g.log_group_name.clone(),
                    LogGroup { retention_in_days: g.retention_in_days, ..LogGroup::default() },
                );
            }
        }
        s
    }
    /// Whether a task may write to `group`: it exists, or the driver creates it.
    pub fn group_exists(&self, group: &str) -> bool {
        self.groups.contains_key(group) || self.declared.as_ref().is_none_or(|d| d.iter().any(|g| g == group))
    }
    /// CreateLogStream (and CreateLogGroup when needed).
    #[allow(clippy::too_many_arguments)]
    pub fn create_stream(
        &mut self,
        at: SimTime,
        group: &str,
        name: String,
        task_id: &str,
        task_arn: &str,
        container: &str,
        image: &str,
        delivery_error: Option<String>,
    ) -> StreamRef {
        let declared_here = self.declared.as_ref().is_some_and(|d| d.iter().any(|g| g == group));
        let g = self.groups.entry(group.to_string()).or_insert_with(|| LogGroup {
            created_at: at,
            created_by_task: !declared_here,
            ..LogGroup::default()
        });
        if let Some(s) = g.streams.iter_mut().find(|s| s.name == name) {
            // "ResourceAlreadyExistsException" is fine for the driver: it writes on.
            s.delivery_error = delivery_error;
        } else {
            g.streams.push(LogStream {
                name: name.clone(),
                task_id: task_id.to_string(),
                task_arn: task_arn.to_string(),
                container_name: container.to_string(),
                image: image.to_string(),
                created_at: at,
                dropped: 0,
                delivery_error,
                chunks: Vec::new(),
                tail: Vec::new(),
            });
            if g.streams.len() > MAX_STREAMS_PER_GROUP {
                g.streams.remove(0);
                g.dropped_streams += 1;
            }
        }
        StreamRef { group: group.to_string(), stream: name }
    }
    pub fn stream(&self, group: &str, stream: &str) -> Option<&LogStream> {
        self.groups.get(group)?.streams.iter().find(|s| s.name == stream)
    }
    pub fn push(&mut self, r: &StreamRef, at: SimTime, line: Line) {
        if let Some(s) = self.groups.get_mut(&r.group).and_then(|g| g.streams.iter_mut().find(|s| s.name == r.stream)) {
            s.push(at, line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream() -> LogStream {
        LogStream {
            name: "s".into(),
            task_id: "t".into(),
            task_arn: "a".into(),
            container_name: "web".into(),
            image: "nginx".into(),
            created_at: 0,
            dropped: 0,
            delivery_error: None,
            chunks: Vec::new(),
            tail: Vec::new(),
        }
    }

    #[test]
    fn retention_drops_oldest_and_indexes_keep_counting() {
        let mut s = stream();
        let n = MAX_EVENTS_PER_STREAM + 3 * CHUNK + 5;
        for i in 0..n {
            s.push(i as SimTime, Line::Listening { port: 80 });
        }
        assert_eq!(s.len(), n);
        assert!(s.kept() <= MAX_EVENTS_PER_STREAM);
        assert!(s.dropped > 0);
        let first = s.events(0, 1);
        assert_eq!(first[0].0, s.dropped);
        assert_eq!(first[0].1.at, s.dropped as SimTime);
        let last = s.events(n - 1, 10);
        assert_eq!(last.len(), 1);
        assert_eq!(last[0].1.at, (n - 1) as SimTime);
    }

    #[test]
    fn stream_names_follow_the_driver() {
        assert_eq!(stream_name(Some("ecs"), "web", "abc"), "ecs/web/abc");
        let id = stream_name(None, "web", "abc");
        assert_eq!(id.len(), 64);
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(id, stream_name(None, "sidecar", "abc"));
    }
}
