//! Checked claims: what a lesson caption states as fact, written beside it in the lesson file and
//! checked against the simulation at the caption's moment. A caption that says "4 tasks of web:1
//! are RUNNING" carries `{"runningTasks": 4, "service": "web", "taskDefinition": "web:1"}`; if
//! a rule change makes the simulation show 3, `check_claims` names the lesson, the moment, the
//! claim and what the simulation showed.
//!
//! A claim is one reading (exactly one of `runningTasks`, `pendingTasks`, `stoppedTasks`,
//! `desiredCount`, `rolloutState`, `primaryTaskDefinition`, `alarmState`, `targets`,
//! `instances`, `event`, `noEvent`, `costUsd`, `images`, `imagesToExpire`, `logEvent`, `instancesInUse`,
//! `lowestRunningTasks`, `deploymentSeconds`, `healthCheckProtocol`, `clientIpPreserved`) narrowed by filters (`service`,
//! `taskDefinition`, `capacityProvider`, `availabilityZone`, `launchType`, `startedBy`,
//! `stopCode`, `stoppedReason`, `since`, `alarm`, `targetGroup`, `targetState`, `eventType`,
//! `costLine`, `repository`, `imageTag`, `pushedAt`, `logGroup`). Counts are a number or `{"min": a, "max": b}`. Claims read state (counts,
//! statuses) wherever they can: an `event` claim matches a substring of a log line (its JSON Lines text).

use crate::model::*;
use crate::scenario::Scenario;
use crate::sim::Simulation;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A whole number, exactly or within bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Count {
    Exactly(u32),
    Between {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u32>,
    },
}

impl Count {
    pub fn holds(self, n: u32) -> bool {
        match self {
            Count::Exactly(e) => n == e,
            Count::Between { min, max } => min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m),
        }
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match *self {
            Count::Exactly(e) => write!(f, "{e}"),
            Count::Between { min: Some(a), max: Some(b) } => write!(f, "{a} to {b}"),
            Count::Between { min: Some(a), max: None } => write!(f, "at least {a}"),
            Count::Between { min: None, max: Some(b) } => write!(f, "at most {b}"),
            Count::Between { min: None, max: None } => write!(f, "any number"),
        }
    }
}

/// An amount (US dollars) within bounds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Range {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// One fact a caption states. See the module documentation for the readings and filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Claim {
    // Readings: exactly one per claim.
    /// Tasks whose lastStatus is RUNNING.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_tasks: Option<Count>,
    /// Tasks in PROVISIONING, PENDING or ACTIVATING (a service's pendingCount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_tasks: Option<Count>,
    /// Tasks STOPPED by now (with `since`: stopped at or after that second).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_tasks: Option<Count>,
    /// The service's desiredCount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<Count>,
    /// The rolloutState of the service's PRIMARY deployment (IN_PROGRESS, COMPLETED, FAILED).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollout_state: Option<String>,
    /// The task definition (`family:revision`) of the service's PRIMARY deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_task_definition: Option<String>,
    /// The state (OK, ALARM, INSUFFICIENT_DATA) of the CloudWatch alarm named by `alarm` (its
    /// whole name, or its beginning: target tracking alarm names end in a generated id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_state: Option<String>,
    /// Load balancer targets (filters: `targetGroup`, `targetState`, `service`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Count>,
    /// ACTIVE container instances (filters: `availabilityZone`, `capacityProvider`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instances: Option<Count>,
    /// A log line at or before this moment (at or after `since`) whose detail contains this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// No such log line at or before this moment (at or after `since`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_event: Option<String>,
    /// The running bill so far (`costLine`: fargate, fargateSpot, ec2 or total, the default); with
    /// `service` / `taskDefinition` / `capacityProvider`: the Fargate bill of those tasks only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<Range>,
    /// ECR images stored now (DescribeImages; filters: `repository`, `imageTag`, `pushedAt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Count>,
    /// ECR images the repository's lifecycle policy would expire now (GetLifecyclePolicyPreview;
    /// same filters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images_to_expire: Option<Count>,
    /// A CloudWatch Logs event the application wrote (awslogs driver) at or before this moment
    /// (at or after `since`) whose message contains this text (filters: `logGroup`, `service`,
    /// `taskDefinition`: the writing task's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_event: Option<String>,
    /// ACTIVE container instances with at least one task not yet STOPPED on them (what binpack
    /// saves; filter: `availabilityZone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instances_in_use: Option<Count>,
    /// The health check protocol of the target group named by `targetGroup` (TCP for a Network
    /// Load Balancer's default, HTTP or HTTPS), as DescribeTargetGroups gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_protocol: Option<String>,
    /// Whether the targets of the target group named by `targetGroup` see the client's IP as the
    /// source address (never behind an ALB; an NLB's `preserve_client_ip.enabled`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_ip_preserved: Option<bool>,
    /// The fewest RUNNING tasks of `service` during its latest deployment after CreateService
    /// (an update), from the deployment's start to its end (or now): what minimumHealthyPercent
    /// keeps (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lowest_running_tasks: Option<Count>,
    /// Seconds the latest deployment of `service` took, from SERVICE_DEPLOYMENT_IN_PROGRESS to
    /// SERVICE_DEPLOYMENT_COMPLETED (or _FAILED); does not hold while it is still going.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_seconds: Option<Range>,

    // Filters.
    /// In a lesson with a `variant` (A/B runs): which run the claim reads, `A` (default) or `B`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// `family` (any revision) or `family:revision`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// EC2 or FARGATE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    /// The task's startedBy contains this text (e.g. `events-rule/nightly`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    /// The stopped task's stopCode (e.g. SpotInterruption, TaskFailedToStart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_code: Option<String>,
    /// The stopped task's stoppedReason contains this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_reason: Option<String>,
    /// Seconds: only tasks stopped, or log lines written, at or after this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group: Option<String>,
    /// healthy, unhealthy, initial, draining or unused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_state: Option<String>,
    /// The log line's kind: an AWS detail-type (e.g. `ECS Task State Change`) or the project's own
    /// trace kind (e.g. `ServiceEvent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_line: Option<String>,
    /// The ECR repository's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// The image carries this tag ("" = the image is untagged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_tag: Option<String>,
    /// The image's imagePushedAt contains this text (e.g. "2026-10-10").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pushed_at: Option<String>,
    /// The CloudWatch Logs log group of a `logEvent` claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_group: Option<String>,
}

impl Claim {
    fn readings(&self) -> Vec<&'static str> {
        let mut r = vec![];
        let mut add = |on: bool, name: &'static str| {
            if on {
                r.push(name)
            }
        };
        add(self.running_tasks.is_some(), "runningTasks");
        add(self.pending_tasks.is_some(), "pendingTasks");
        add(self.stopped_tasks.is_some(), "stoppedTasks");
        add(self.desired_count.is_some(), "desiredCount");
        add(self.rollout_state.is_some(), "rolloutState");
        add(self.primary_task_definition.is_some(), "primaryTaskDefinition");
        add(self.alarm_state.is_some(), "alarmState");
        add(self.targets.is_some(), "targets");
        add(self.instances.is_some(), "instances");
        add(self.event.is_some(), "event");
        add(self.no_event.is_some(), "noEvent");
        add(self.cost_usd.is_some(), "costUsd");
        add(self.images.is_some(), "images");
        add(self.images_to_expire.is_some(), "imagesToExpire");
        add(self.log_event.is_some(), "logEvent");
        add(self.instances_in_use.is_some(), "instancesInUse");
        add(self.health_check_protocol.is_some(), "healthCheckProtocol");
        add(self.client_ip_preserved.is_some(), "clientIpPreserved");
        add(self.lowest_running_tasks.is_some(), "lowestRunningTasks");
        add(self.deployment_seconds.is_some(), "deploymentSeconds");
        r
    }

    /// The claim reads exactly one thing, and names what that reading needs.
    pub fn check_shape(&self) -> Result<(), String> {
        let r = self.readings();
        if r.len() != 1 {
            return Err(format!(
                "a claim reads exactly one of runningTasks, pendingTasks, stoppedTasks, desiredCount, rolloutState, \
                 primaryTaskDefinition, alarmState, targets, instances, event, noEvent, costUsd, images, \
                 imagesToExpire, logEvent, instancesInUse, healthCheckProtocol, clientIpPreserved, lowestRunningTasks, deploymentSeconds (found {})",
                if r.is_empty() { "none".to_string() } else { r.join(", ") }
            ));
        }
        let needs_service = matches!(
            r[0],
            "desiredCount" | "rolloutState" | "primaryTaskDefinition" | "lowestRunningTasks" | "deploymentSeconds"
        );
        if needs_service && self.service.is_none() {
            return Err(format!("{} needs service", r[0]));
        }
        if matches!(r[0], "healthCheckProtocol" | "clientIpPreserved") && self.target_group.is_none() {
            return Err(format!("{} needs targetGroup (the target group's name)", r[0]));
        }
        if r[0] == "alarmState" && self.alarm.is_none() {
            return Err("alarmState needs alarm (the alarm's name)".into());
        }
        if let Some(r) = &self.run {
            if r != "A" && r != "B" {
                return Err(format!("run \"{r}\" is not A or B"));
            }
        }
        if let Some(l) = &self.cost_line {
            if !["fargate", "fargateSpot", "ec2", "total"].contains(&l.as_str()) {
                return Err(format!("costLine \"{l}\" is not one of fargate, fargateSpot, ec2, total"));
            }
        }
        Ok(())
    }

    fn task_matches(&self, sim: &Simulation, t: &Task) -> bool {
        let st = sim.state();
        if let Some(name) = &self.service {
            match t.service {
                Some(s) if st.services[s.idx()].service_name == *name => {}
                _ => return false,
            }
        }
        if let Some(td) = &self.task_definition {
            let ok = match td.split_once(':') {
                Some((f, r)) => t.task_def.family == f && r.parse::<u32>().ok() == Some(t.task_def.revision),
                None => t.task_def.family == *td,
            };
            if !ok {
                return false;
            }
        }
        if let Some(cp) = &self.capacity_provider {
            if t.capacity_provider.as_deref() != Some(cp.as_str()) {
                return false;
            }
        }
        if let Some(az) = &self.availability_zone {
            if t.availability_zone != *az || t.awaiting_capacity {
                return false;
            }
        }
        if let Some(lt) = &self.launch_type {
            if serde_json::to_value(t.launch_type).ok().and_then(|v| v.as_str().map(String::from)).as_deref()
                != Some(lt.as_str())
            {
                return false;
            }
        }
        if let Some(by) = &self.started_by {
            if !t.started_by.as_deref().unwrap_or("").contains(by.as_str()) {
                return false;
            }
        }
        if let Some(code) = &self.stop_code {
            let c = t.stop_code.and_then(|c| serde_json::to_value(c).ok()).and_then(|v| v.as_str().map(String::from));
            if c.as_deref() != Some(code.as_str()) {
                return false;
            }
        }
        if let Some(r) = &self.stopped_reason {
            if !t.stopped_reason.as_deref().unwrap_or("").contains(r.as_str()) {
                return false;
            }
        }
        true
    }

    fn count_tasks(&self, sim: &Simulation, pick: impl Fn(&Task) -> bool) -> u32 {
        sim.state().tasks.iter().filter(|t| pick(t) && self.task_matches(sim, t)).count() as u32
    }

    fn primary<'a>(&self, sim: &'a Simulation) -> Result<Option<&'a Deployment>, String> {
        let name = self.service.as_deref().unwrap_or("");
        let st = sim.state();
        let s = st.service_by_name(name).ok_or_else(|| format!("no service named {name}"))?;
        Ok(st.services[s.idx()].deployments.primary())
    }

    /// What the simulation shows for this claim's reading now, and whether the claim holds.
    fn evaluate(&self, sim: &Simulation) -> (bool, String) {
        let since: SimTime = self.since.map(|s| (s * 1000.0).round() as SimTime).unwrap_or(0);
        let count = |c: Count, n: u32, what: &str| (c.holds(n), format!("{n} {what}"));
        if let Some(c) = self.running_tasks {
            return count(c, self.count_tasks(sim, |t| t.last_status == TaskStatus::Running), "RUNNING");
        }
        if let Some(c) = self.pending_tasks {
            return count(c, self.count_tasks(sim, |t| t.last_status.is_pending()), "PROVISIONING/PENDING/ACTIVATING");
        }
        if let Some(c) = self.stopped_tasks {
            let n =
                self.count_tasks(sim, |t| t.last_status == TaskStatus::Stopped && t.stopped_at.unwrap_or(0) >= since);
            return count(c, n, "STOPPED");
        }
        if let Some(c) = self.desired_count {
            let name = self.service.as_deref().unwrap_or("");
            return match sim.state().service_by_name(name) {
                Some(s) => count(c, sim.state().services[s.idx()].desired_count, "desired"),
                None => (false, format!("no service named {name}")),
            };
        }
        if let Some(want) = &self.rollout_state {
            return match self.primary(sim) {
                Ok(Some(d)) => {
                    let got = serde_json::to_value(d.rollout_state)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default();
                    (got == *want, format!("PRIMARY deployment {got}"))
                }
                Ok(None) => (false, "no PRIMARY deployment".into()),
                Err(e) => (false, e),
            };
        }
        if let Some(want) = &self.primary_task_definition {
            return match self.primary(sim) {
                Ok(Some(d)) => {
                    let got = format!("{}:{}", d.task_def.family, d.task_def.revision);
                    (got == *want, format!("PRIMARY deployment runs {got}"))
                }
                Ok(None) => (false, "no PRIMARY deployment".into()),
                Err(e) => (false, e),
            };
        }
        if let Some(want) = &self.alarm_state {
            let name = self.alarm.as_deref().unwrap_or("");
            return match sim.all_alarm_states().into_iter().find(|(n, _)| n == name || n.starts_with(name)) {
                Some((_, got)) => (got == want, format!("alarm {name} in {got}")),
                None => (false, format!("no alarm named {name}")),
            };
        }
        if let Some(c) = self.targets {
            let st = sim.state();
            let mut n = 0;
            for tg in st.elb.target_groups() {
                if self.target_group.as_ref().is_some_and(|g| *g != tg.name) {
                    continue;
                }
                for t in &tg.targets {
                    let state = serde_json::to_value(t.state).ok().and_then(|v| v.as_str().map(String::from));
                    if self.target_state.as_ref().is_some_and(|s| state.as_deref() != Some(s.as_str())) {
                        continue;
                    }
                    if let Some(task) = st.tasks.get(t.task.idx()) {
                        if self.service.is_some() && !self.task_matches(sim, task) {
                            continue;
                        }
                    }
                    n += 1;
                }
            }
            let what = format!("{} targets", self.target_state.as_deref().unwrap_or("registered"));
            return count(c, n, &what);
        }
        if let Some(want) = &self.health_check_protocol {
            let name = self.target_group.as_deref().unwrap_or("");
            return match sim.state().elb.target_groups().iter().find(|g| g.name == name) {
                Some(g) => (
                    g.health_check_protocol == *want,
                    format!("target group {name} ({}) checks health with {}", g.protocol, g.health_check_protocol),
                ),
                None => (false, format!("no target group named {name}")),
            };
        }
        if let Some(want) = self.client_ip_preserved {
            let name = self.target_group.as_deref().unwrap_or("");
            return match sim.state().elb.target_groups().iter().find(|g| g.name == name) {
                Some(g) => (
                    g.client_ip_preserved == want,
                    format!("target group {name} ({}): client IP preserved {}", g.protocol, g.client_ip_preserved),
                ),
                None => (false, format!("no target group named {name}")),
            };
        }
        if let Some(c) = self.instances {
            let n = sim
                .state()
                .instances
                .iter()
                .filter(|i| i.is_active())
                .filter(|i| self.availability_zone.as_ref().is_none_or(|az| i.availability_zone == *az))
                .filter(|i| self.capacity_provider.as_ref().is_none_or(|cp| i.capacity_provider.as_ref() == Some(cp)))
                .count() as u32;
            return count(c, n, "ACTIVE container instances");
        }
        if let Some(c) = self.instances_in_use {
            let st = sim.state();
            let mut used = vec![false; st.instances.len()];
            for t in st.tasks.iter().filter(|t| t.last_status != TaskStatus::Stopped) {
                if let Some(u) = t.instance.and_then(|i| used.get_mut(i.idx())) {
                    *u = true;
                }
            }
            let n = st
                .instances
                .iter()
                .zip(&used)
                .filter(|(i, u)| **u && i.is_active())
                .filter(|(i, _)| self.availability_zone.as_ref().is_none_or(|az| i.availability_zone == *az))
                .count() as u32;
            return count(c, n, "container instances in use");
        }
        if self.lowest_running_tasks.is_some() || self.deployment_seconds.is_some() {
            let name = self.service.as_deref().unwrap_or("");
            let Some(d) = crate::ab::deployment_figures(sim, Some(name)) else {
                return (false, format!("no deployment of a service named {name}"));
            };
            if let Some(c) = self.lowest_running_tasks {
                return match d.lowest_running {
                    Some(n) => count(c, n, "RUNNING at the fewest during the deployment"),
                    None => (false, "no deployment after CreateService".into()),
                };
            }
            if let Some(r) = self.deployment_seconds {
                return match d.finished_after_seconds {
                    Some(v) => {
                        let ok = r.min.is_none_or(|m| v >= m) && r.max.is_none_or(|m| v <= m);
                        (ok, format!("the deployment took {v} s"))
                    }
                    None => (false, "the deployment has not finished".into()),
                };
            }
        }
        if let Some(text) = self.event.as_ref().or(self.no_event.as_ref()) {
            let found = sim.log().entries().iter().find(|e| {
                e.t >= since
                    && self.event_type.as_ref().is_none_or(|k| e.detail_type == k.as_str())
                    && e.to_json_line().contains(text.as_str())
            });
            let shown = match found {
                Some(e) => format!("a matching line at {} s", crate::log::fmt_secs(e.t)),
                None => "no matching line".to_string(),
            };
            return (found.is_some() == self.event.is_some(), shown);
        }
        if let Some(text) = &self.log_event {
            let st = sim.state();
            let mut found: Option<SimTime> = None;
            for g in sim.log_groups() {
                if self.log_group.as_ref().is_some_and(|want| *want != g.log_group_name) {
                    continue;
                }
                for s in &g.log_streams {
                    let writer = st.task_by_ref(&s.task_id).and_then(|id| st.tasks.get(id.idx()));
                    if !writer.is_some_and(|t| self.task_matches(sim, t)) {
                        continue;
                    }
                    let Some(page) = sim.log_stream(&g.log_group_name, &s.log_stream_name, 0, usize::MAX) else {
                        continue;
                    };
                    let hit = page.events.iter().find(|e| e.timestamp >= since && e.message.contains(text.as_str()));
                    if let Some(e) = hit {
                        found = Some(found.map_or(e.timestamp, |f: SimTime| f.min(e.timestamp)));
                    }
                }
            }
            let shown = match found {
                Some(t) => format!("a matching log event at {} s", crate::log::fmt_secs(t)),
                None => "no matching log event".to_string(),
            };
            return (found.is_some(), shown);
        }
        if let Some(r) = self.cost_usd {
            // With task filters (service, taskDefinition...): the Fargate bill of those tasks only.
            let filtered = self.service.is_some() || self.task_definition.is_some() || self.capacity_provider.is_some();
            let meter =
                if filtered { sim.cost_meter_of(|t| self.task_matches(sim, t), false) } else { sim.cost_meter() };
            let Some(meter) = meter else { return (false, "no price table for the region".into()) };
            let t = meter.totals(sim.now());
            let line = self.cost_line.as_deref().unwrap_or("total");
            let v = match line {
                "fargate" => t.fargate,
                "fargateSpot" => t.fargate_spot,
                "ec2" => t.ec2,
                _ => t.total,
            };
            let ok = r.min.is_none_or(|m| v >= m) && r.max.is_none_or(|m| v <= m);
            return (ok, format!("{line} ${v:.4}"));
        }
        if let Some((c, stored, what)) = match (self.images, self.images_to_expire) {
            (Some(c), _) => Some((c, true, "images stored")),
            (_, Some(c)) => Some((c, false, "images the lifecycle policy would expire")),
            _ => None,
        } {
            let report = sim.ecr_report();
            let mut n = 0;
            for r in &report.repositories {
                if self.repository.as_ref().is_some_and(|name| r.repository_name != *name) {
                    continue;
                }
                // (tags, pushed at) of the stored images or of those the policy would expire.
                let images: Vec<(&[String], &str)> = if stored {
                    r.image_details.iter().map(|i| (i.image_tags.as_slice(), i.image_pushed_at.as_str())).collect()
                } else {
                    r.would_expire.iter().map(|i| (i.image_tags.as_slice(), i.image_pushed_at.as_str())).collect()
                };
                for (tags, pushed) in images {
                    let tag_ok = match self.image_tag.as_deref() {
                        None => true,
                        Some("") => tags.is_empty(),
                        Some(t) => tags.iter().any(|x| x == t),
                    };
                    if tag_ok && self.pushed_at.as_ref().is_none_or(|p| pushed.contains(p.as_str())) {
                        n += 1;
                    }
                }
            }
            return count(c, n, what);
        }
        (false, "the claim reads nothing".into())
    }
}

/// A claim that did not hold: the lesson, the moment, the claim and what the simulation showed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimFailure {
    pub lesson: String,
    /// Index into `lesson.pauses`, and that pause's `at` (simulated seconds).
    pub pause: usize,
    pub at: f64,
    /// The claim as written in the lesson file (JSON).
    pub claim: String,
    /// What the simulation showed at that moment.
    pub shown: String,
}

impl fmt::Display for ClaimFailure {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "lesson {} at {} s (pauses[{}]): claim {} does not hold: the simulation shows {}",
            self.lesson, self.at, self.pause, self.claim, self.shown
        )
    }
}

/// Play the scenario (with `seed`, else its own) and check every claim of every pause of its
/// lesson at the pause's moment. Empty: every claim holds. A scenario that does not load, or a
/// claim that is malformed, is a failure too (at pause 0 / its own pause).
pub fn check_claims(scenario: &Scenario, seed: Option<u64>) -> Vec<ClaimFailure> {
    let Some(lesson) = scenario.lesson.as_ref() else { return vec![] };
    let fail = |pause: usize, at: f64, claim: String, shown: String| ClaimFailure {
        lesson: lesson.id.clone(),
        pause,
        at,
        claim,
        shown,
    };
    // A lesson with a variant plays both runs (A/B) on one clock; a claim reads the run it names.
    if scenario.variant.is_some() {
        let mut ab = match crate::ab::AbRun::from_scenario(scenario, seed) {
            Ok(r) => r,
            Err(e) => return vec![fail(0, 0.0, "(both runs load)".into(), e.to_string())],
        };
        let mut out = vec![];
        for (i, p) in lesson.pauses.iter().enumerate() {
            if !(p.at.is_finite() && p.at >= 0.0) {
                out.push(fail(i, p.at, "(pause time)".into(), "not a non-negative number".into()));
                continue;
            }
            ab.run_until((p.at * 1000.0).round() as SimTime);
            for c in &p.claims {
                let text = serde_json::to_string(c).unwrap_or_default();
                if let Err(e) = c.check_shape() {
                    out.push(fail(i, p.at, text, e));
                    continue;
                }
                let sim = if c.run.as_deref() == Some("B") { &ab.b } else { &ab.a };
                let (ok, shown) = c.evaluate(sim);
                if !ok {
                    out.push(fail(i, p.at, text, format!("{shown} (run {})", c.run.as_deref().unwrap_or("A"))));
                }
            }
        }
        return out;
    }
    let sim = match seed {
        Some(s) => Simulation::with_seed(scenario.clone(), s),
        None => Simulation::new(scenario.clone()),
    };
    let mut sim = match sim {
        Ok(s) => s,
        Err(e) => return vec![fail(0, 0.0, "(the scenario loads)".into(), e.to_string())],
    };
    let mut out = vec![];
    for (i, p) in lesson.pauses.iter().enumerate() {
        if !(p.at.is_finite() && p.at >= 0.0) {
            out.push(fail(i, p.at, "(pause time)".into(), "not a non-negative number".into()));
            continue;
        }
        sim.run_until((p.at * 1000.0).round() as SimTime);
        for c in &p.claims {
            let text = serde_json::to_string(c).unwrap_or_default();
            if let Err(e) = c.check_shape() {
                out.push(fail(i, p.at, text, e));
                continue;
            }
            let (ok, shown) = c.evaluate(&sim);
            if !ok {
                out.push(fail(i, p.at, text, shown));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_hold_exactly_or_within_bounds() {
        let c: Count = serde_json::from_str("3").expect("n");
        assert!(c.holds(3) && !c.holds(2));
        let c: Count = serde_json::from_str(r#"{"min":2,"max":4}"#).expect("range");
        assert!(c.holds(2) && c.holds(4) && !c.holds(5) && !c.holds(1));
    }

    #[test]
    fn a_claim_reads_exactly_one_thing() {
        let c: Claim = serde_json::from_str(r#"{"runningTasks":2,"desiredCount":2,"service":"web"}"#).expect("c");
        assert!(c.check_shape().expect_err("two").contains("runningTasks, desiredCount"));
        let c: Claim = serde_json::from_str(r#"{"service":"web"}"#).expect("c");
        assert!(c.check_shape().expect_err("none").contains("found none"));
        let c: Claim = serde_json::from_str(r#"{"desiredCount":2}"#).expect("c");
        assert!(c.check_shape().expect_err("no service").contains("needs service"));
        assert!(serde_json::from_str::<Claim>(r#"{"runingTasks":2}"#).is_err(), "a misspelt key is refused");
        let c: Claim = serde_json::from_str(r#"{"lowestRunningTasks":2}"#).expect("c");
        assert!(c.check_shape().expect_err("no service").contains("lowestRunningTasks needs service"));
        let c: Claim = serde_json::from_str(r#"{"deploymentSeconds":{"max":60}}"#).expect("c");
        assert!(c.check_shape().expect_err("no service").contains("deploymentSeconds needs service"));
    }
}
