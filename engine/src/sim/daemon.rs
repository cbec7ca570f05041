//! The DAEMON scheduling strategy.
//!
//! Rules implemented ("Amazon ECS services", daemon strategy):
//! - "The daemon scheduling strategy deploys exactly one task on each active container instance
//!   that meets all of the task placement constraints that you specify in your cluster. The service
//!   scheduler evaluates the task placement constraints for running tasks, and stops tasks that
//!   don't meet the placement constraints."
//! - "When using this strategy, you don't need to specify a desired number of tasks, a task
//!   placement strategy, or use Service Auto Scaling policies." The desired count is the number of
//!   instances the daemon runs on.
//! - "The service scheduler doesn't place any tasks on instances that have a DRAINING status"; a
//!   daemon task on an instance that leaves ACTIVE is stopped.

use super::lifecycle::NewTask;
use super::queue::Event;
use super::scheduler::HostRequest;
use super::Simulation;
use crate::model::{DesiredStatus, ServiceId, StopCode, TaskId, TaskStatus};
use crate::scenario::{LaunchType, PlacementConstraint};

impl Simulation {
    /// One scheduler pass for a DAEMON service.
    pub(super) fn reconcile_daemon(&mut self, s: ServiceId) {
        // Stop daemon tasks whose instance is no longer ACTIVE (or is in a failed AZ).
        let gone: Vec<TaskId> = self
            .state
            .service_tasks(s)
            .filter(|(_, t)| t.desired_status == DesiredStatus::Running)
            .filter(|(_, t)| {
                t.instance.is_none_or(|i| {
                    let inst = &self.state.instances[i.idx()];
                    !inst.is_active() || !self.state.azs[inst.az.idx()].available
                })
            })
            .map(|(id, _)| id)
            .collect();
        let name = self.state.services[s.idx()].service_name.clone();
        for id in &gone {
            self.stop_task(*id, StopCode::ServiceSchedulerInitiated, "Container instance is no longer ACTIVE".into());
        }
        if !gone.is_empty() {
            let ids: Vec<String> =
                gone.iter().map(|t| format!("(task {})", self.state.tasks[t.idx()].task_id)).collect();
            self.service_event(
                s,
                format!("(service {name}) has stopped {} running tasks: {}.", gone.len(), ids.join(" ")),
            );
        }
        let now = self.now;
        if now < self.state.services[s.idx()].backoff_until {
            let at = self.state.services[s.idx()].backoff_until;
            self.schedule(at, Event::Reconcile(s));
            self.update_daemon_desired(s);
            return;
        }
        // One task per ACTIVE instance: place with the service's constraints plus
        // distinctInstance until no instance without a daemon task fits.
        let mut started = Vec::new();
        let attempt = self.begin_launch_attempt(s);
        while let Some(id) = self.place_daemon_task(s) {
            self.state.tasks[id.idx()].launch_attempt = attempt;
            started.push(id);
            if started.len() > self.state.instances.len() {
                break;
            }
        }
        if !started.is_empty() {
            let ids: Vec<String> =
                started.iter().map(|t| format!("(task {})", self.state.tasks[t.idx()].task_id)).collect();
            self.service_event(s, format!("(service {name}) has started {} tasks: {}.", started.len(), ids.join(" ")));
        }
        self.update_daemon_desired(s);
        if started.is_empty() && gone.is_empty() {
            let all_running = self
                .state
                .service_tasks(s)
                .all(|(_, t)| t.last_status == TaskStatus::Running && t.desired_status == DesiredStatus::Running);
            let svc = &self.state.services[s.idx()];
            if all_running && !svc.steady && svc.desired_count > 0 {
                self.state.services[s.idx()].steady = true;
                self.service_event(s, format!("(service {name}) has reached a steady state."));
                self.service_action(s, "INFO", "SERVICE_STEADY_STATE", serde_json::json!({}));
            }
        } else {
            self.state.services[s.idx()].steady = false;
        }
    }

    fn update_daemon_desired(&mut self, s: ServiceId) {
        let n = self.state.service_tasks(s).filter(|(_, t)| t.desired_status == DesiredStatus::Running).count() as u32;
        let svc = &mut self.state.services[s.idx()];
        svc.desired_count = n;
        svc.deployments.follow_daemon_count(n);
    }

    fn place_daemon_task(&mut self, s: ServiceId) -> Option<TaskId> {
        let svc = &self.state.services[s.idx()];
        let deployment = svc.deployments.primary_index().unwrap_or(0) as usize;
        let td_ref = svc.deployments.get(deployment)?.task_def.clone();
        let group = format!("service:{}", svc.service_name);
        let mut constraints = svc.spec.placement_constraints.clone();
        constraints.push(PlacementConstraint { kind: "distinctInstance".into(), expression: None });
        // The daemon scheduler places on the cluster's instances (DAEMON does not support
        // FARGATE or capacity provider strategies).
        let host = self
            .choose_host(&HostRequest {
                td_ref: &td_ref,
                group: &group,
                capacity_provider: None,
                launch_type: LaunchType::Ec2,
                strategies: &[],
                constraints: &constraints,
            })
            .ok()?;
        Some(self.start_task(NewTask {
            td: td_ref,
            group,
            service: Some(s),
            deployment: Some(deployment as u32),
            launch_type: self.state.services[s.idx()].launch_type,
            capacity_provider: None,
            host,
            started_by: None,
            platform_version: None,
            run_extras: None,
        }))
    }
}
