//! Replacing service tasks that are unhealthy or on a DRAINING container instance, within the
//! service's `minimumHealthyPercent` and `maximumPercent`.
//!
//! Rules implemented:
//! - "The Amazon ECS scheduler uses this parameter [maximumPercent] to replace unhealthy tasks by
//!   starting replacement tasks first and then stopping the unhealthy tasks, as long as cluster
//!   resources for starting replacement tasks are available." "If any tasks are unhealthy and if
//!   maximumPercent doesn't allow the Amazon ECS scheduler to start replacement tasks, the
//!   scheduler stops the unhealthy tasks one-by-one — using the minimumHealthyPercent as a
//!   constraint — to clear up capacity to launch replacement tasks." (DeploymentConfiguration API
//!   reference.) "If tasks become unhealthy, the Amazon ECS service scheduler will start
//!   replacement tasks first and maintain minimumHealthyPercent tasks until the replacement tasks
//!   become healthy." (Deploy Amazon ECS services by replacing tasks.)
//! - Container instance draining: "Any tasks that are part of a service that are in a PENDING
//!   state are stopped immediately. ... Tasks that are part of a service on the container instance
//!   that are in a RUNNING state are transitioned to a STOPPED state. The service scheduler
//!   attempts to replace the tasks according to the service's deployment type and deployment
//!   configuration parameters, minimumHealthyPercent and maximumPercent." "If the minimum is 100%,
//!   the service scheduler can't remove existing tasks until the replacement tasks are considered
//!   healthy." (Draining Amazon ECS container instances.)
//! - maximumPercent rounds down, minimumHealthyPercent rounds up (DeploymentConfiguration).

use super::Simulation;
use crate::load_balancing::LoadBalancing;
use crate::model::{DesiredStatus, HealthStatus, ServiceId, StopCode, Task, TaskId, TaskStatus};

impl Simulation {
    /// Upper limit of the service's RUNNING or PENDING tasks: desiredCount x maximumPercent,
    /// rounded down.
    pub(super) fn max_tasks(&self, s: ServiceId) -> u32 {
        let svc = &self.state.services[s.idx()];
        (svc.desired_count as u64 * svc.maximum_percent as u64 / 100) as u32
    }

    /// Lower limit of healthy tasks: desiredCount x minimumHealthyPercent, rounded up.
    pub(super) fn min_healthy_tasks(&self, s: ServiceId) -> u32 {
        let svc = &self.state.services[s.idx()];
        (svc.desired_count as u64 * svc.minimum_healthy_percent as u64).div_ceil(100) as u32
    }

    /// Whether a live task of a service is a candidate for replacement as unhealthy: RUNNING,
    /// desired RUNNING, not yet marked, and failing an essential container's health check or a
    /// target group's.
    pub(super) fn replacement_candidate(elb: &LoadBalancing, id: TaskId, t: &Task) -> bool {
        t.desired_status == DesiredStatus::Running
            && t.replacement.is_none()
            && t.last_status == TaskStatus::Running
            // Unhealthy: an essential container's health check, or a target.
            && ((t.essential_health_check && super::health::task_health(&t.containers) == HealthStatus::Unhealthy)
                || elb.is_unhealthy(id))
    }

    /// Mark the service's unhealthy tasks (past the grace period) for replacement: the
    /// `candidates` (`replacement_candidate`, in task order) the scheduler pass found.
    pub(super) fn mark_unhealthy_tasks(&mut self, s: ServiceId, candidates: Vec<TaskId>) {
        if candidates.is_empty() {
            return;
        }
        let name = self.state.services[s.idx()].service_name.clone();
        for id in candidates {
            if self.in_grace_period(id) {
                // Look again when the grace period ends.
                let t = &self.state.tasks[id.idx()];
                if let Some(start) = t.started_at {
                    let at = start + self.grace_period(s);
                    self.schedule(at, super::queue::Event::Reconcile(s));
                }
                continue;
            }
            if self.task_health_status(id) == HealthStatus::Unhealthy {
                let task_id = self.state.tasks[id.idx()].task_id.clone();
                self.state.tasks[id.idx()].replacement = Some("Task failed container health checks".into());
                self.touch_task(id);
                self.service_event(s, format!("(service {name}) (task {task_id}) failed container health checks."));
            } else if let Some(arn) = self.unhealthy_target_group(id) {
                self.state.tasks[id.idx()].replacement =
                    Some(format!("Task failed ELB health checks in (target-group {arn})"));
                self.touch_task(id);
            }
        }
    }

    /// How many of `wanted` new tasks maximumPercent allows while tasks await replacement.
    pub(super) fn launch_allowance(&self, s: ServiceId, wanted: u32) -> u32 {
        // Counted by the health index (sim/health_index.rs): desired RUNNING tasks are the ones
        // not awaiting replacement and the marked ones.
        let Some(h) = self.health_index.service(s) else { return wanted };
        let marked = self.marked_running(s).len() as u32;
        if marked == 0 {
            return wanted;
        }
        let live = h.active_total() + marked;
        wanted.min(self.max_tasks(s).saturating_sub(live))
    }

    /// The service's desired RUNNING tasks marked for replacement, ascending id.
    fn marked_running(&self, s: ServiceId) -> Vec<TaskId> {
        let Some(h) = self.health_index.service(s) else { return Vec::new() };
        h.marked
            .iter()
            .copied()
            .filter(|id| self.state.tasks[id.idx()].desired_status == DesiredStatus::Running)
            .collect()
    }

    /// Stop tasks marked for replacement as far as minimumHealthyPercent allows.
    pub(super) fn stop_replaced_tasks(&mut self, s: ServiceId) {
        let marked = self.marked_running(s);
        if marked.is_empty() {
            return;
        }
        let min_healthy = self.min_healthy_tasks(s);
        let mut healthy = self
            .state
            .service_tasks(s)
            .filter(|(id, t)| t.desired_status == DesiredStatus::Running && self.counts_toward_minimum_healthy(*id))
            .count() as u32;
        let room_to_launch = self.launch_allowance(s, 1) > 0;
        let replacement_stopping = self
            .state
            .service_tasks(s)
            .any(|(_, t)| t.desired_status == DesiredStatus::Stopped && t.replacement.is_some());
        let mut stopped = Vec::new();
        for id in marked {
            let counts = self.counts_toward_minimum_healthy(id) as u32;
            let unhealthy =
                self.state.tasks[id.idx()].replacement.as_deref().is_some_and(|r| r.starts_with("Task failed"));
            let ok = healthy.saturating_sub(counts) >= min_healthy
                || (unhealthy && !room_to_launch && !replacement_stopping && stopped.is_empty());
            if ok {
                healthy -= counts;
                stopped.push(id);
            }
        }
        for id in &stopped {
            let reason = self.state.tasks[id.idx()].replacement.clone().unwrap_or_default();
            self.stop_task(*id, StopCode::ServiceSchedulerInitiated, reason);
        }
        if !stopped.is_empty() {
            let name = self.state.services[s.idx()].service_name.clone();
            let ids: Vec<String> =
                stopped.iter().map(|t| format!("(task {})", self.state.tasks[t.idx()].task_id)).collect();
            self.service_event(
                s,
                format!("(service {name}) has stopped {} running tasks: {}.", stopped.len(), ids.join(" ")),
            );
        }
    }
}
