//! Task health: container health checks (the task definition's `healthCheck`), container exits,
//! the service's `healthCheckGracePeriodSeconds`, and the throttle logic for tasks that fail to
//! start.
//!
//! Rules implemented (Amazon ECS API reference `HealthCheck` and `Task.healthStatus`; Docker
//! `HEALTHCHECK`, which the agent maps the container health check to):
//! - "HEALTHY - The container health check has passed successfully. UNHEALTHY - The container
//!   health check has failed. UNKNOWN - The container health check is being evaluated, there's no
//!   container health check defined" (container `healthStatus`).
//! - Task health: "UNHEALTHY - One or more essential containers have failed their health check.
//!   UNKNOWN - The essential containers within the task are still having their health checks
//!   evaluated ... or there are no container health checks defined. HEALTHY - All essential
//!   containers within the task have passed their health checks." Non-essential containers'
//!   health does not count.
//! - Docker runs the check `interval` seconds after the container starts and every `interval`
//!   after; a run that takes longer than `timeout` fails; `retries` consecutive failures make the
//!   container unhealthy; failures during `startPeriod` do not count (unless the container was
//!   already healthy); one success makes it healthy. Defaults 30 s, 5 s, 3, 0 (HealthCheck API).
//! - "For tasks that are part of a service, if the task reports as unhealthy then the task will be
//!   stopped and the service scheduler will replace it" (HealthCheck API reference).
//! - `healthCheckGracePeriodSeconds`: "The period of time, in seconds, that the Amazon ECS service
//!   scheduler ignores unhealthy Elastic Load Balancing, VPC Lattice, and container health checks
//!   after a task has first started." Default 0.
//!
//! Health is computed from when a check starts failing, not by ticking every task: one queued
//! event per task, at the time its health status next changes.

use super::queue::Event;
use super::Simulation;
use crate::model::{
    ContainerState, ContainerStatus, DesiredStatus, HealthStatus, ServiceId, StopCode, TaskId, TaskStatus,
};
use crate::scenario::{ContainerBehavior, HealthCheckOutcome};
use crate::time::{from_secs_f64, SimTime, MINUTE, SECOND};

/// Throttle logic ("Amazon ECS service throttle logic",
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-throttle-logic.html).
///
/// Documented: "If tasks for a service repeatedly fail to enter the RUNNING state (progressing
/// directly from a PENDING to a STOPPED status), then the time between subsequent restart attempts
/// is incrementally increased up to a maximum of 27 minutes"; "If your service initiates the
/// throttle logic, you receive the following service event message: (service service-name) is
/// unable to consistently start tasks successfully."; "If you update your service to use a new
/// task definition, your service returns to a normal, non-throttled state immediately."
///
/// Assumed (AWS does not publish the increments): the delay grows per consecutive failed *restart
/// attempt* of the service - one scheduler pass that starts tasks is one attempt, however many
/// tasks it starts, and it counts as failed once when one of its tasks stops without reaching
/// RUNNING. After the first failed attempt the scheduler retries at once (nothing is throttled
/// yet); from the second the delay is 30 s, then 1, 2, 4, 8, 16 min, capped at 27 min. The event
/// message comes when the throttle engages, i.e. with the first delay.
pub const THROTTLE_MAX: SimTime = 27 * MINUTE;
const THROTTLE_FIRST: SimTime = 30 * SECOND;

/// Container health check parameters with the API's defaults.
#[derive(Debug, Clone, Copy)]
struct CheckParams {
    interval: SimTime,
    timeout: SimTime,
    retries: u64,
    start_period: SimTime,
}

impl Simulation {
    /// The scenario's `containerBehaviors` entry for a container of a task, if any.
    pub(super) fn behavior(&self, id: TaskId, container: &str) -> Option<&ContainerBehavior> {
        let t = self.state.tasks.get(id.idx())?;
        self.scenario.container_behaviors.iter().find(|b| {
            b.container_name == container && {
                let r = b.task_definition.rsplit("task-definition/").next().unwrap_or(&b.task_definition);
                match r.split_once(':') {
                    Some((f, rev)) => f == t.task_def.family && rev.parse::<u32>().ok() == Some(t.task_def.revision),
                    None => r == t.task_def.family,
                }
            }
        })
    }

    /// The stopped reason when one of the task's images cannot be pulled.
    pub(super) fn image_pull_failure(&self, id: TaskId) -> Option<String> {
        // Before anything answers, the task's network must reach ECR, the registry and
        // CloudWatch Logs (sim/vpc.rs; only with the scenario's `vpc` section).
        if let Some(reason) = self.vpc_pull_failure(id) {
            return Some(reason);
        }
        // The agent needs the execution role (registry auth, secrets, log stream) before it can
        // pull: those failures come first (ECS guide, "ResourceInitializationError").
        if let Some(reason) = self.execution_role_failure(id) {
            return Some(reason);
        }
        // Then the secrets and environment files it resolved must exist (sim/secrets.rs).
        if let Some(reason) = self.execution_resources_failure(id) {
            return Some(reason);
        }
        // Then the awslogs driver creates the stream in its group (sim/awslogs.rs).
        if let Some(reason) = self.awslogs_start_failure(id) {
            return Some(reason);
        }
        if let Some(reason) = self.missing_image_failure(id) {
            return Some(reason);
        }
        let t = &self.state.tasks[id.idx()];
        let td = self.state.task_defs.get(&t.task_def)?;
        td.containers().iter().find(|c| self.behavior(id, &c.name).is_some_and(|b| b.image_pull_fails)).map(|c| {
            format!(
                "CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref {}: not found",
                c.image
            )
        })
    }

    /// The service's health check grace period (default 0).
    pub(super) fn grace_period(&self, s: ServiceId) -> SimTime {
        let secs = self.state.services.get(s.idx()).and_then(|svc| svc.spec.health_check_grace_period_seconds);
        secs.unwrap_or(0) as SimTime * SECOND
    }

    /// Whether the task is still inside its service's health check grace period.
    pub(super) fn in_grace_period(&self, id: TaskId) -> bool {
        let t = &self.state.tasks[id.idx()];
        match (t.service, t.started_at) {
            (Some(s), Some(start)) => self.now < start + self.grace_period(s),
            (Some(_), None) => true,
            _ => false,
        }
    }

    /// The coordination contract: RUNNING, passing its container health checks and (if its service
    /// has target groups) healthy in every one of them.
    pub fn task_is_healthy(&self, id: TaskId) -> bool {
        let Some(t) = self.state.tasks.get(id.idx()) else { return false };
        if t.last_status != TaskStatus::Running || t.desired_status != DesiredStatus::Running {
            return false;
        }
        if t.essential_health_check && task_health(&t.containers) != HealthStatus::Healthy {
            return false;
        }
        if let Some(s) = t.service {
            // The target groups of the task's deployment (the alternate one for a blue/green
            // deployment's green tasks, sim/blue_green.rs).
            for k in 0..self.state.services[s.idx()].target_groups.len() {
                let Some(tg) = self.deployment_target_group(s, t.deployment, k) else { continue };
                if !self.state.elb.is_healthy_in(id, tg) {
                    return false;
                }
            }
        }
        true
    }

    /// Whether the task counts towards `minimumHealthyPercent`. For services without a load
    /// balancer: "If a task has no essential containers with a health check defined, the service
    /// scheduler will wait for 40 seconds after a task reaches a RUNNING state before the task is
    /// counted towards the minimum healthy percent total" (DeploymentConfiguration API reference).
    pub fn counts_toward_minimum_healthy(&self, id: TaskId) -> bool {
        if !self.task_is_healthy(id) {
            return false;
        }
        let t = &self.state.tasks[id.idx()];
        let has_lb = t.service.is_some_and(|s| !self.state.services[s.idx()].target_groups.is_empty());
        has_lb || t.essential_health_check || t.started_at.is_some_and(|at| self.now >= at + 40 * SECOND)
    }

    /// The task's health as describe-tasks reports it.
    pub fn task_health_status(&self, id: TaskId) -> HealthStatus {
        self.state.tasks.get(id.idx()).map(|t| task_health(&t.containers)).unwrap_or(HealthStatus::Unknown)
    }

    fn check_params(&self, id: TaskId, container: usize) -> Option<CheckParams> {
        let t = &self.state.tasks[id.idx()];
        let td = self.state.task_defs.get(&t.task_def)?;
        let hc = td.containers().get(container)?.health_check.as_ref()?;
        Some(CheckParams {
            interval: hc.interval.unwrap_or(30).max(1) as SimTime * SECOND,
            timeout: hc.timeout.unwrap_or(5) as SimTime * SECOND,
            retries: hc.retries.unwrap_or(3).max(1) as u64,
            start_period: hc.start_period.unwrap_or(0) as SimTime * SECOND,
        })
    }

    /// Whether a container's health check command fails right now.
    fn check_fails(&self, id: TaskId, container: usize) -> bool {
        let t = &self.state.tasks[id.idx()];
        let Some(c) = t.containers.get(container) else { return false };
        if c.last_status != ContainerStatus::Running {
            return true;
        }
        let svc_failing = t.service.is_some_and(|s| self.state.services[s.idx()].health_checks_failing);
        t.health_checks_failing
            || svc_failing
            || self.behavior(id, &c.name).and_then(|b| b.health_check) == Some(HealthCheckOutcome::Failing)
    }

    /// The HTTP status the task's application answers to a load balancer health check on the given
    /// container, or None when nothing listens (container not running).
    pub(super) fn app_http_status(&self, id: TaskId, container: &str) -> Option<u16> {
        let t = &self.state.tasks[id.idx()];
        let c = t.containers.iter().find(|c| c.name == container)?;
        if c.last_status != ContainerStatus::Running
            || !matches!(t.last_status, TaskStatus::Activating | TaskStatus::Running)
        {
            return None;
        }
        let svc_failing = t.service.is_some_and(|s| self.state.services[s.idx()].health_checks_failing);
        if t.health_checks_failing || svc_failing {
            return Some(500);
        }
        Some(self.behavior(id, container).and_then(|b| b.http_status).unwrap_or(200))
    }

    /// The task reached RUNNING: its containers' health checks begin.
    pub(super) fn start_container_health(&mut self, id: TaskId) {
        self.refresh_container_health(id);
    }

    /// Something changed what the checks will return (start, fault, restore): note since when each
    /// container passes or fails, and queue the next health change.
    pub(super) fn refresh_container_health(&mut self, id: TaskId) {
        let now = self.now;
        let n = self.state.tasks[id.idx()].containers.len();
        for i in 0..n {
            if !self.state.tasks[id.idx()].containers[i].has_health_check {
                continue;
            }
            let fails = self.check_fails(id, i);
            let c = &mut self.state.tasks[id.idx()].containers[i];
            if fails && c.failing_since.is_none() {
                c.failing_since = Some(now);
                c.passing_since = None;
            } else if !fails && c.passing_since.is_none() {
                c.passing_since = Some(now);
                c.failing_since = None;
            }
        }
        self.schedule_container_health(id);
    }

    /// When container `i` next changes health status, and to what.
    fn next_health_change(&self, id: TaskId, i: usize) -> Option<(SimTime, HealthStatus)> {
        let t = &self.state.tasks[id.idx()];
        let start = t.started_at?;
        let c = t.containers.get(i)?;
        let p = self.check_params(id, i)?;
        // Checks run at start + k * interval, k >= 1.
        let first_tick_at_or_after = |at: SimTime| -> SimTime {
            let k = if at <= start { 1 } else { (at - start).div_ceil(p.interval).max(1) };
            start + k * p.interval
        };
        if let Some(f) = c.failing_since {
            if c.health_status == HealthStatus::Unhealthy {
                return None;
            }
            // Failures in the start period do not count unless the container was already healthy.
            let from = if c.health_status == HealthStatus::Healthy { f } else { f.max(start + p.start_period) };
            let first = first_tick_at_or_after(from);
            Some((first + (p.retries - 1) * p.interval + p.timeout, HealthStatus::Unhealthy))
        } else if let Some(ok) = c.passing_since {
            if c.health_status == HealthStatus::Healthy {
                return None;
            }
            Some((first_tick_at_or_after(ok), HealthStatus::Healthy))
        } else {
            None
        }
    }

    fn schedule_container_health(&mut self, id: TaskId) {
        let n = self.state.tasks[id.idx()].containers.len();
        let next = (0..n).filter_map(|i| self.next_health_change(id, i)).map(|(at, _)| at).min();
        let t = &mut self.state.tasks[id.idx()];
        t.health_generation += 1;
        let generation = t.health_generation;
        if let Some(at) = next {
            self.schedule(at, Event::ContainerHealth { task: id, generation });
        }
    }

    /// A queued container health change is due.
    pub(super) fn on_container_health(&mut self, id: TaskId, generation: u32) {
        let Some(t) = self.state.tasks.get(id.idx()) else { return };
        if t.health_generation != generation || t.last_status != TaskStatus::Running {
            return;
        }
        let before = task_health(&t.containers);
        let n = t.containers.len();
        let mut changed = false;
        for i in 0..n {
            if let Some((at, status)) = self.next_health_change(id, i) {
                if at <= self.now {
                    self.state.tasks[id.idx()].containers[i].health_status = status;
                    changed = true;
                }
            }
        }
        if changed {
            let after = task_health(&self.state.tasks[id.idx()].containers);
            self.state.tasks[id.idx()].health_status = after;
            self.touch_task(id);
            self.log_task_change(id);
            if after != before {
                if let Some(s) = self.state.tasks[id.idx()].service {
                    self.request_reconcile(s);
                }
            }
        }
        self.schedule_container_health(id);
    }

    /// Queue the exits the scenario's `containerBehaviors` asks for.
    pub(super) fn schedule_container_exits(&mut self, id: TaskId) {
        let n = self.state.tasks[id.idx()].containers.len();
        for i in 0..n {
            let name = self.state.tasks[id.idx()].containers[i].name.clone();
            if let Some(secs) = self.behavior(id, &name).and_then(|b| b.exit_after_seconds) {
                let generation = self.state.tasks[id.idx()].generation;
                let at = self.now + from_secs_f64(secs);
                self.schedule(at, Event::ContainerExit { task: id, container: i as u32, generation });
            }
        }
    }

    /// A container's process exits on its own (scenario behaviour).
    pub(super) fn on_container_exit(&mut self, id: TaskId, container: u32, generation: u32) {
        let Some(t) = self.state.tasks.get(id.idx()) else { return };
        if t.generation != generation || t.desired_status != DesiredStatus::Running {
            return;
        }
        let Some(c) = t.containers.get(container as usize) else { return };
        let code = self.behavior(id, &c.name.clone()).and_then(|b| b.exit_code).unwrap_or(1);
        self.container_exited(id, container as usize, code, None);
    }

    /// A container stopped with an exit code. "If the essential parameter of a container is marked
    /// as true, and that container fails or stops for any reason, all other containers that are
    /// part of the task are stopped. If the essential parameter of a container is marked as false,
    /// its failure doesn't affect the rest of the containers in a task" (task definition
    /// parameters, `essential`).
    pub(super) fn container_exited(&mut self, id: TaskId, i: usize, exit_code: i32, reason: Option<String>) {
        let Some(c) = self.state.tasks.get_mut(id.idx()).and_then(|t| t.containers.get_mut(i)) else { return };
        if c.last_status == ContainerStatus::Stopped {
            return;
        }
        if c.last_status == ContainerStatus::Running {
            self.awslogs_container_exit(id, i, exit_code);
        }
        let Some(c) = self.state.tasks.get_mut(id.idx()).and_then(|t| t.containers.get_mut(i)) else { return };
        c.last_status = ContainerStatus::Stopped;
        c.exit_code = Some(exit_code);
        c.reason = reason;
        let essential = c.essential;
        if essential {
            self.stop_task(id, StopCode::EssentialContainerExited, "Essential container in task exited".into());
        } else {
            self.log_task_change(id);
            // A stopped container fails its own health check from now on.
            self.refresh_container_health(id);
        }
    }

    /// The scheduler is about to start tasks for a service: a new launch attempt, numbered so the
    /// throttle logic counts each failed attempt once.
    pub(super) fn begin_launch_attempt(&mut self, s: ServiceId) -> u32 {
        let svc = &mut self.state.services[s.idx()];
        svc.launch_attempts += 1;
        svc.launch_attempts
    }

    /// A service task of launch attempt `attempt` stopped without ever reaching RUNNING: count the
    /// attempt as failed (once) and throttle the next launches.
    pub(super) fn note_start_failure(&mut self, s: ServiceId, attempt: u32) {
        let now = self.now;
        let svc = &mut self.state.services[s.idx()];
        if attempt != 0 && attempt <= svc.last_failed_attempt {
            // Another task of an attempt already counted as failed.
            return;
        }
        svc.last_failed_attempt = svc.last_failed_attempt.max(attempt);
        svc.consecutive_start_failures += 1;
        let n = svc.consecutive_start_failures;
        if n < 2 {
            return;
        }
        let delay = THROTTLE_FIRST.saturating_mul(1u64 << (n - 2).min(20)).min(THROTTLE_MAX);
        svc.backoff_until = now + delay;
        // Duplicate service event messages are omitted "until either the cause is resolved or six
        // hours passes" (service event messages).
        let due = svc.last_throttle_event_at.is_none_or(|at| now >= at + 6 * crate::time::HOUR);
        if due {
            svc.last_throttle_event_at = Some(now);
            let name = svc.service_name.clone();
            self.service_event(s, format!("(service {name}) is unable to consistently start tasks successfully."));
            self.service_action(s, "WARN", "SERVICE_TASK_START_IMPAIRED", serde_json::json!({}));
        }
    }

    /// "If you update your service to use a new task definition, your service returns to a normal,
    /// non-throttled state immediately" (service throttle logic). Called when a deployment with a
    /// new task definition starts (`sim/deployment.rs`).
    pub fn reset_throttle(&mut self, s: ServiceId) {
        if let Some(svc) = self.state.services.get_mut(s.idx()) {
            svc.consecutive_start_failures = 0;
            svc.backoff_until = 0;
            svc.last_throttle_event_at = None;
        }
    }

    /// Log an "ECS Task State Change" for a change that is not a lastStatus change (container exit,
    /// health status).
    pub(super) fn log_task_change(&mut self, id: TaskId) {
        self.log_task_state_change(id);
    }
}

/// Task health from its containers' (see module docs).
pub fn task_health(containers: &[ContainerState]) -> HealthStatus {
    let (mut checked, mut unhealthy, mut unknown) = (false, false, false);
    for c in containers.iter().filter(|c| c.essential && c.has_health_check) {
        checked = true;
        match c.health_status {
            HealthStatus::Unhealthy => unhealthy = true,
            HealthStatus::Unknown => unknown = true,
            HealthStatus::Healthy => {}
        }
    }
    if !checked {
        HealthStatus::Unknown
    } else if unhealthy {
        HealthStatus::Unhealthy
    } else if unknown {
        HealthStatus::Unknown
    } else {
        HealthStatus::Healthy
    }
}
