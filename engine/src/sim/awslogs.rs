//! CloudWatch Logs at run time: containers with the `awslogs` driver get a stream when they start,
//! and the simulated application writes to it (rules, texts and memory bounds in `crate::awslogs`).
//!
//! What the application writes, and when:
//! - start-up ("Starting <container> (<image>)", "Listening on 0.0.0.0:<containerPort>") when its
//!   containers start (end of PENDING);
//! - one line per ALB health check request the target answers, at the target group's
//!   `healthCheckIntervalSeconds`, with the health check path, the status code and the ALB's
//!   User-Agent `ELB-HealthChecker/2.0`;
//! - traffic from the scenario's traffic model, aggregated: once per simulated minute (the
//!   routing resolution of `sim/metrics.rs`) one line per target and status code with the count
//!   of requests it served ("x1520"), instead of 1,520 lines - real access logs have one line per
//!   request; the aggregate keeps a busy stream readable and its memory small;
//! - "Fatal error, exiting with code N" when a container exits on its own
//!   (`containerBehaviors.exitAfterSeconds` / `exitCode`, or the playground's kill action);
//! - "Received SIGTERM ..." when the agent stops the containers: "When StopTask is called on a
//!   task, the equivalent of docker stop is issued to the containers running in the task. This
//!   results in a SIGTERM value and a default 30-second timeout, after which the SIGKILL value is
//!   sent and the containers are forcibly stopped. If the container handles the SIGTERM value
//!   gracefully and exits within 30 seconds from receiving it, no SIGKILL value is sent." (StopTask
//!   API reference). An application that finishes within `stopTimeout` writes "Shutdown
//!   complete"; one killed by SIGKILL writes nothing more (a killed process cannot log).
//!
//! None of this touches the event log, the RNG or the event queue: log streams are a separate
//! view, so every scenario's event log (and its digest) is the same with or without them.

use super::Simulation;
use crate::aws::ACCOUNT_ID;
use crate::awslogs::{self, Line, LogStore, Runtime, StreamRef};
use crate::model::{ContainerStatus, Task, TaskId};
use crate::scenario::LaunchType;
use crate::time::SimTime;
use serde::Serialize;
use std::sync::Arc;

/// Log streams of the run and, per task, which container writes to which stream.
#[derive(Debug, Clone, Default)]
pub struct TaskLogs {
    pub store: LogStore,
    by_task: BTreeMap<TaskId, PerTask>,
}

#[derive(Debug, Clone, Default)]
struct PerTask {
    /// (container index, stream)
    streams: Vec<(usize, StreamRef)>,
    sigterm_at: Option<SimTime>,
}

use std::collections::BTreeMap;

impl TaskLogs {
    pub fn new(store: LogStore) -> Self {
        TaskLogs { store, by_task: BTreeMap::new() }
    }
}

/// A log group as the Logs view lists it (DescribeLogGroups / DescribeLogStreams fields).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogGroupView {
    pub log_group_name: String,
    pub creation_time: SimTime,
    pub retention_in_days: Option<u32>,
    pub created_by_task: bool,
    pub log_streams: Vec<LogStreamView>,
    pub dropped_streams: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogStreamView {
    pub log_stream_name: String,
    pub task_id: String,
    pub task_arn: String,
    pub container_name: String,
    pub creation_time: SimTime,
    pub last_event_timestamp: Option<SimTime>,
    /// Events written so far (kept + dropped by the retention cap).
    pub event_count: usize,
    pub delivery_error: Option<String>,
}

/// One page of a stream (GetLogEvents-like; `timestamp` is simulated milliseconds).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEventsPage {
    pub log_group_name: String,
    pub log_stream_name: String,
    pub events: Vec<LogEventView>,
    /// The index to ask for next (`from`).
    pub next_index: usize,
    /// Index of the oldest event still kept.
    pub first_index: usize,
    pub delivery_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEventView {
    pub index: usize,
    pub timestamp: SimTime,
    pub message: String,
}

/// A task's stream, for its details panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskStreamRef {
    pub container_name: String,
    pub log_group_name: String,
    pub log_stream_name: String,
}

fn runtime(t: &Task) -> Runtime {
    match t.launch_type {
        LaunchType::Fargate => Runtime::Fargate,
        _ => Runtime::Ec2,
    }
}

impl Simulation {
    /// The log group does not exist and the driver may not create it: the stoppedReason.
    pub(super) fn awslogs_start_failure(&self, id: TaskId) -> Option<String> {
        let t = self.state.tasks.get(id.idx())?;
        let td = self.state.task_defs.get(&t.task_def)?;
        td.containers().iter().find_map(|c| {
            let o = awslogs::options(c)?;
            let group = o.group.as_deref()?;
            (!o.creates_group() && !self.logs.store.group_exists(group))
                .then(|| awslogs::group_not_found_reason(runtime(t)))
        })
    }

    /// The containers start: the driver creates their streams (and groups with
    /// `awslogs-create-group`), and the application writes its start-up lines.
    pub(super) fn awslogs_containers_started(&mut self, id: TaskId) {
        let Some(t) = self.state.tasks.get(id.idx()) else { return };
        let Some(td) = self.state.task_defs.get(&t.task_def) else { return };
        let mut made = Vec::new();
        for (i, c) in td.containers().iter().enumerate() {
            let Some(o) = awslogs::options(c) else { continue };
            let Some(group) = o.group.clone() else { continue };
            let name = awslogs::stream_name(o.stream_prefix.as_deref(), &c.name, &t.task_id);
            let delivery_error = self.put_log_events_denied(id, &group, &name);
            let ports: Vec<u16> = c.port_mappings.iter().filter_map(|p| p.container_port).map(|p| p as u16).collect();
            made.push((i, group, name, c.name.clone(), c.image.clone(), delivery_error, ports));
        }
        if made.is_empty() {
            return;
        }
        let (task_id, task_arn) = (t.task_id.clone(), t.task_arn.clone());
        let now = self.now;
        let entry = self.logs.by_task.entry(id).or_default();
        for (i, group, name, cname, image, err, ports) in made {
            let r = self.logs.store.create_stream(now, &group, name, &task_id, &task_arn, &cname, &image, err);
            self.logs.store.push(&r, now, Line::Starting);
            for port in ports {
                self.logs.store.push(&r, now, Line::Listening { port });
            }
            entry.streams.push((i, r));
        }
    }

    /// With `iamRoles`: the role the driver uses (Fargate: the execution role; EC2: the instance
    /// role, as in `iam::check_execution_role`) may not call logs:PutLogEvents on the stream.
    fn put_log_events_denied(&self, id: TaskId, group: &str, stream: &str) -> Option<String> {
        let roles = self.account.roles()?;
        let t = self.state.tasks.get(id.idx())?;
        let td = self.state.task_defs.get(&t.task_def)?;
        let role = match t.launch_type {
            LaunchType::Fargate => td.request.execution_role_arn.as_deref().and_then(|a| roles.get(a)),
            _ => t
                .instance
                .and_then(|i| self.state.instances.get(i.idx()))
                .and_then(|i| i.iam_role.as_deref())
                .and_then(|r| roles.get(r)),
        }?;
        let arn = format!("arn:aws:logs:{}:{ACCOUNT_ID}:log-group:{group}:log-stream:{stream}", self.state.region);
        role.authorize(&t.task_id, "logs:PutLogEvents", &arn).err().map(|m| format!("AccessDeniedException: {m}"))
    }

    fn awslogs_write(&mut self, id: TaskId, container: usize, at: SimTime, line: Line) {
        let Some(p) = self.logs.by_task.get(&id) else { return };
        if let Some((_, r)) = p.streams.iter().find(|(i, _)| *i == container) {
            let r = r.clone();
            self.logs.store.push(&r, at, line);
        }
    }

    /// The load balancer's health check reached the application, which answered `code`.
    pub(super) fn awslogs_health_check(&mut self, id: TaskId, container: &str, path: &Arc<str>, code: u16) {
        if !self.logs.by_task.contains_key(&id) {
            return;
        }
        let Some(i) = self.state.tasks[id.idx()].containers.iter().position(|c| c.name == container) else { return };
        let now = self.now;
        self.awslogs_write(id, i, now, Line::HealthCheck { path: path.clone(), code });
    }

    /// The requests a target served in the minute that just ended.
    pub(super) fn awslogs_requests(&mut self, id: TaskId, container: &str, count: u64, code: u16) {
        if count == 0 || !self.logs.by_task.contains_key(&id) {
            return;
        }
        let Some(i) = self.state.tasks[id.idx()].containers.iter().position(|c| c.name == container) else { return };
        let now = self.now;
        let count = count.min(u32::MAX as u64) as u32;
        self.awslogs_write(id, i, now, Line::Requests { count, code });
    }

    /// A container exits on its own with `code` (called while it is still RUNNING).
    pub(super) fn awslogs_container_exit(&mut self, id: TaskId, container: usize, code: i32) {
        let now = self.now;
        self.awslogs_write(id, container, now, Line::Exit { code });
    }

    fn stop_timeout(&self, id: TaskId, container: usize) -> u32 {
        let t = &self.state.tasks[id.idx()];
        let timeout = self
            .state
            .task_defs
            .get(&t.task_def)
            .and_then(|td| td.containers().get(container).and_then(|c| c.other.get("stopTimeout")?.as_f64()))
            .unwrap_or(30.0)
            .max(0.0);
        // "For tasks using the Fargate launch type ... the max stop timeout value is 120 seconds"
        // (ContainerDefinition.stopTimeout).
        let timeout = if t.launch_type == LaunchType::Fargate { timeout.min(120.0) } else { timeout };
        timeout.round() as u32
    }

    /// The task entered STOPPING: its running containers get SIGTERM.
    pub(super) fn awslogs_sigterm(&mut self, id: TaskId) {
        let Some(p) = self.logs.by_task.get_mut(&id) else { return };
        if p.sigterm_at.is_some() {
            return;
        }
        p.sigterm_at = Some(self.now);
        let streams: Vec<usize> = p.streams.iter().map(|(i, _)| *i).collect();
        let now = self.now;
        for i in streams {
            let running =
                self.state.tasks[id.idx()].containers.get(i).is_some_and(|c| c.last_status == ContainerStatus::Running);
            if running {
                let stop_timeout = self.stop_timeout(id, i);
                self.awslogs_write(id, i, now, Line::Sigterm { stop_timeout });
            }
        }
    }

    /// STOPPING is over: applications that finish shutting down within their stopTimeout exit 0
    /// (the playground's `stoppingSeconds` is how long that takes); the others got SIGKILL.
    pub(super) fn awslogs_stopping_done(&mut self, id: TaskId) {
        let Some(p) = self.logs.by_task.get(&id) else { return };
        let Some(sigterm_at) = p.sigterm_at else { return };
        let streams: Vec<usize> = p.streams.iter().map(|(i, _)| *i).collect();
        let takes = crate::time::from_secs_f64(self.timings.stopping_seconds);
        for i in streams {
            let running =
                self.state.tasks[id.idx()].containers.get(i).is_some_and(|c| c.last_status == ContainerStatus::Running);
            let timeout = self.stop_timeout(id, i) as SimTime * crate::time::SECOND;
            if running && takes <= timeout {
                let at = (sigterm_at + takes).min(self.now);
                self.awslogs_write(id, i, at, Line::ShutdownComplete);
            }
        }
    }

    /// Every log group with its streams (newest streams last).
    pub fn log_groups(&self) -> Vec<LogGroupView> {
        self.logs
            .store
            .groups
            .iter()
            .map(|(name, g)| LogGroupView {
                log_group_name: name.clone(),
                creation_time: g.created_at,
                retention_in_days: g.retention_in_days,
                created_by_task: g.created_by_task,
                dropped_streams: g.dropped_streams,
                log_streams: g
                    .streams
                    .iter()
                    .map(|s| LogStreamView {
                        log_stream_name: s.name.clone(),
                        task_id: s.task_id.clone(),
                        task_arn: s.task_arn.clone(),
                        container_name: s.container_name.clone(),
                        creation_time: s.created_at,
                        last_event_timestamp: s.last_event_at(),
                        event_count: s.len(),
                        delivery_error: s.delivery_error.clone(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// Events of one stream from index `from` (0: the oldest kept), at most `limit`.
    pub fn log_stream(&self, group: &str, stream: &str, from: usize, limit: usize) -> Option<LogEventsPage> {
        let s = self.logs.store.stream(group, stream)?;
        let events: Vec<LogEventView> = s
            .events(from, limit)
            .into_iter()
            .map(|(index, e)| LogEventView { index, timestamp: e.at, message: s.render(&e.line) })
            .collect();
        let next_index = events.last().map_or(from.max(s.dropped), |e| e.index + 1);
        Some(LogEventsPage {
            log_group_name: group.to_string(),
            log_stream_name: stream.to_string(),
            events,
            next_index,
            first_index: s.dropped,
            delivery_error: s.delivery_error.clone(),
        })
    }

    /// The newest `limit` events of a stream (what the Logs view shows).
    pub fn log_stream_tail(&self, group: &str, stream: &str, limit: usize) -> Option<LogEventsPage> {
        let n = self.logs.store.stream(group, stream)?.len();
        self.log_stream(group, stream, n.saturating_sub(limit), limit)
    }

    /// The streams of one task (id or ARN), in container order.
    pub fn task_log_streams(&self, task: &str) -> Vec<TaskStreamRef> {
        let Some(id) = self.state.task_by_ref(task) else { return Vec::new() };
        let Some(p) = self.logs.by_task.get(&id) else { return Vec::new() };
        let t = &self.state.tasks[id.idx()];
        p.streams
            .iter()
            .map(|(i, r)| TaskStreamRef {
                container_name: t.containers.get(*i).map(|c| c.name.clone()).unwrap_or_default(),
                log_group_name: r.group.clone(),
                log_stream_name: r.stream.clone(),
            })
            .collect()
    }
}
