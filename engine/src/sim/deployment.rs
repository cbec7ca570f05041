//! Rolling update deployments (the `ECS` deployment controller) and the deployment circuit breaker.
//!
//! Rules, as the AWS documentation states them (quoted where the code applies them):
//! - "Deploy Amazon ECS services by replacing tasks" (developer guide, deployment-type-ecs) and the
//!   API reference's `DeploymentConfiguration`: `minimumHealthyPercent` is "a lower limit on the
//!   number of your service's tasks that must remain in the RUNNING state during a deployment, as a
//!   percentage of the desiredCount (rounded up to the nearest integer)"; `maximumPercent` is "an
//!   upper limit on the number of your service's tasks that are allowed in the RUNNING or PENDING
//!   state during a deployment, as a percentage of the desiredCount (rounded down to the nearest
//!   integer)". Defaults 100 and 200.
//! - "How the Amazon ECS deployment circuit breaker detects failures" (developer guide) and the API
//!   reference's `Deployment.failedTasks` and `ServiceDeploymentCircuitBreaker.threshold`.
//! - "Amazon ECS service deployment state change events" (EventBridge detail type
//!   "ECS Deployment State Change").

use super::health_index::slot;
use super::queue::Event;
use super::Simulation;
use crate::log::kind;
use crate::model::{Deployment, HealthStatus, RolloutState, ServiceId, StopCode, Task, TaskDefRef, TaskId, TaskStatus};
use crate::time::{SimTime, SECOND};
use serde_json::json;

/// "If a task has no essential containers with a health check defined, the service scheduler will
/// wait for 40 seconds after a task reaches a RUNNING state before the task is counted towards the
/// minimum healthy percent total." (API reference, DeploymentConfiguration.minimumHealthyPercent,
/// for services that do not use a load balancer.)
pub const HEALTHY_WAIT_WITHOUT_HEALTH_CHECK: SimTime = 40 * SECOND;

/// The circuit breaker's bounds: "The deployment circuit breaker has a minimum threshold of 3 and a
/// maximum threshold of 200" (API reference, ServiceDeploymentCircuitBreaker.threshold; older
/// editions of the developer guide said 10).
pub const CIRCUIT_BREAKER_MIN_THRESHOLD: u32 = 3;
pub const CIRCUIT_BREAKER_MAX_THRESHOLD: u32 = 200;

/// The reason the circuit breaker gives, in `rolloutStateReason` and in the EventBridge event.
pub const CIRCUIT_BREAKER_REASON: &str = "ECS deployment circuit breaker: tasks failed to start.";

/// `minimumHealthyPercent` as a task count: "rounded up to the nearest integer". Desired 4 at 50%
/// gives 2; desired 3 at 50% gives 2; desired 2 at 75% gives 2 ("the scheduler can't stop any
/// tasks due to the resulting value also being two").
pub fn minimum_healthy_tasks(desired: u32, minimum_healthy_percent: u32) -> u32 {
    ((desired as u64 * minimum_healthy_percent as u64).div_ceil(100)) as u32
}

/// `maximumPercent` as a task count: "rounded down to the nearest integer". Desired 4 at 150%
/// gives 6; desired 3 at 150% gives 4.
pub fn maximum_tasks(desired: u32, maximum_percent: u32) -> u32 {
    (desired as u64 * maximum_percent as u64 / 100) as u32
}

/// "Minimum threshold <= 0.5 * desired task count => maximum threshold ... When the result of the
/// calculation is greater than the minimum of 3, but smaller than the maximum of 200, the failure
/// threshold is set to the calculated threshold (rounded up)." Desired 1 gives 3, 25 gives 13,
/// 800 gives 200.
pub fn circuit_breaker_threshold(desired: u32) -> u32 {
    desired.div_ceil(2).clamp(CIRCUIT_BREAKER_MIN_THRESHOLD, CIRCUIT_BREAKER_MAX_THRESHOLD)
}

/// A fresh deployment id in the API's shape, `ecs-svc/` and 19 digits.
pub(super) fn new_deployment_id(rng: &mut crate::rng::SimRng) -> String {
    format!("ecs-svc/{:019}", rng.next_u64() % 10_000_000_000_000_000_000)
}

impl Simulation {
    /// Index of the service's PRIMARY deployment.
    pub(super) fn primary_deployment(&self, s: ServiceId) -> Option<u32> {
        self.state.services.get(s.idx())?.deployments.primary_index()
    }

    /// UpdateService with a new task definition revision, or with `forceNewDeployment`: "the new
    /// deployment is PRIMARY", the previous one stays ACTIVE while it still has tasks.
    pub(super) fn start_deployment(&mut self, s: ServiceId, task_def: TaskDefRef) -> String {
        let id = new_deployment_id(&mut self.rng);
        let arn = self.state.task_defs.get(&task_def).map(|t| t.task_definition_arn.clone()).unwrap_or_default();
        let previous = self.state.services[s.idx()].deployments.primary().map(|d| d.task_def.clone());
        if previous.as_ref() != Some(&task_def) {
            // "If you update your service to use a new task definition, your service returns to a
            // normal, non-throttled state immediately."
            // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-throttle-logic.html
            self.reset_throttle(s);
        }
        let now = self.now;
        let blue = self.primary_deployment(s);
        let svc = &mut self.state.services[s.idx()];
        svc.spec.task_definition = format!("{}:{}", task_def.family, task_def.revision);
        let desired = svc.desired_count;
        let idx = svc.deployments.start(Deployment::new(id.clone(), task_def, arn, desired, now), now);
        svc.steady = false;
        self.log_deployment_state(s, idx, "SERVICE_DEPLOYMENT_IN_PROGRESS");
        // Blue/green, linear and canary deployments put green next to blue (sim/blue_green.rs).
        self.begin_traffic_shift(s, idx, blue);
        self.request_reconcile(s);
        id
    }

    /// One "ECS Deployment State Change" event: `detail` has exactly the documented members
    /// `eventType`, `eventName`, `deploymentId`, `updatedAt`, `reason`; the service's ARN is the
    /// event's `resources`
    /// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html).
    pub(super) fn log_deployment_state(&mut self, s: ServiceId, deployment: u32, event_name: &str) {
        let svc = &self.state.services[s.idx()];
        let Some(d) = svc.deployments.get(deployment as usize) else { return };
        let event_type = if event_name == "SERVICE_DEPLOYMENT_FAILED" { "ERROR" } else { "INFO" };
        let reason = d.rollout_state_reason.clone();
        let detail = json!({
            "eventType": event_type,
            "eventName": event_name,
            "deploymentId": d.id,
            "updatedAt": self.log.context().iso_ms(self.now),
            "reason": reason,
        });
        let resources = vec![svc.service_arn.clone()];
        self.log.push_event(self.now, kind::DEPLOYMENT_STATE_CHANGE, resources, detail);
    }

    /// Whether the service counts this task towards `minimumHealthyPercent`: healthy, and for a
    /// service without a load balancer whose essential containers define no health check, RUNNING
    /// for at least 40 seconds (the documented wait, see `HEALTHY_WAIT_WITHOUT_HEALTH_CHECK`).
    pub(super) fn counts_as_healthy(&self, id: TaskId) -> bool {
        if !self.task_is_healthy(id) {
            return false;
        }
        match self.healthy_wait_ends(id) {
            Some(at) => self.now >= at,
            None => true,
        }
    }

    /// When the 40-second wait of a RUNNING task ends, if the wait applies to it.
    pub(super) fn healthy_wait_ends(&self, id: TaskId) -> Option<SimTime> {
        let t = self.state.tasks.get(id.idx())?;
        let s = t.service?;
        let svc = self.state.services.get(s.idx())?;
        if !svc.target_groups.is_empty() || !svc.spec.load_balancers.is_empty() {
            // With a load balancer, the target group health check decides (task_is_healthy).
            return None;
        }
        // Whether an essential container of its task definition defines a `healthCheck`, noted
        // at launch (no registry lookup per task and pass).
        if t.essential_health_check {
            // "the service scheduler will wait for the task to reach a healthy status".
            return None;
        }
        t.started_at.map(|at| at + HEALTHY_WAIT_WITHOUT_HEALTH_CHECK)
    }

    /// Whether the circuit breaker counts a STOPPED task as a failure. "A task is considered a
    /// failure if the service scheduler can't launch the task, the task doesn't transition to a
    /// RUNNING state, or if it fails any of its defined health checks and is stopped" (API
    /// reference, Deployment.failedTasks). Only tasks that stop while the breaker is still
    /// evaluating are counted (see `circuit_breaker_done`), so a task that stops here never was
    /// "successfully running": an essential container that exits before the task counted as
    /// healthy (a crash loop) is a failed start too.
    fn is_failed_task(t: &Task) -> bool {
        if t.last_status != TaskStatus::Stopped {
            return false;
        }
        let failed_health = t.health_status == HealthStatus::Unhealthy
            || t.stopped_reason.as_deref().is_some_and(|r| r.contains("failed container health checks"))
            || t.stopped_reason.as_deref().is_some_and(|r| r.contains("failed ELB health checks"));
        matches!(t.stop_code, Some(StopCode::TaskFailedToStart) | Some(StopCode::EssentialContainerExited))
            || failed_health
    }

    /// Deployment bookkeeping at the start of every scheduler pass: old deployments without tasks
    /// become INACTIVE, the circuit breaker counts failures, and the 40-second wait gets a timer.
    /// Returns false when the pass must not launch or stop anything (a failed, stalled deployment).
    pub(super) fn update_deployments(&mut self, s: ServiceId) -> bool {
        let Some(primary) = self.primary_deployment(s) else { return true };
        let now = self.now;
        if self.state.services[s.idx()].deployment_timer.is_some_and(|t| t <= now) {
            self.state.services[s.idx()].deployment_timer = None;
        }
        // A rolling update with deployment alarms completes when its bake time ends.
        let baked = {
            let d = &self.state.services[s.idx()].deployments[primary as usize];
            d.rollout_state == RolloutState::InProgress && d.alarm_bake_until.is_some_and(|t| t <= now)
        };
        if baked {
            self.complete_deployment(s, primary);
        }
        // Live tasks per deployment; an ACTIVE deployment with none left is INACTIVE.
        let n_deps = self.state.services[s.idx()].deployments.len();
        let mut live = vec![0u32; n_deps];
        let mut next_wait: Option<SimTime> = None;
        let mut primary_success = false;
        // From the health index (sim/health_index.rs), not a walk over the live tasks: the desired
        // RUNNING healthy tasks whose 40-second wait ends later give the next timer; one whose
        // wait is over (or that has none) in the PRIMARY deployment is a success.
        if let Some(h) = self.health_index.service(s) {
            for (i, c) in live.iter_mut().enumerate() {
                *c = h.live.get(slot(Some(i as u32))).copied().unwrap_or(0);
            }
            next_wait = h.waits.range((now.saturating_add(1), TaskId(0))..).next().map(|(at, _)| *at);
            primary_success = h.ready.get(slot(Some(primary))).is_some_and(|ready| {
                ready.iter().any(|id| self.health_index.key(*id).and_then(|k| k.wait_end).is_none_or(|at| at <= now))
            });
            // Tasks awaiting replacement are not in `ready`: the few there are, one by one.
            for k in h.marked.iter().filter_map(|id| self.health_index.key(*id)) {
                if !k.desired_running || !k.healthy {
                    continue;
                }
                match k.wait_end {
                    Some(at) if at > now => next_wait = Some(next_wait.map_or(at, |n: SimTime| n.min(at))),
                    _ => primary_success |= k.deployment == Some(primary),
                }
            }
        }
        self.state.services[s.idx()].deployments.deactivate_drained(&live, now);
        if let Some(at) = next_wait {
            let svc = &mut self.state.services[s.idx()];
            if svc.deployment_timer.is_none_or(|t| at < t) {
                svc.deployment_timer = Some(at);
                self.schedule(at, Event::Reconcile(s));
            }
        }
        self.evaluate_circuit_breaker(s, primary, primary_success)
    }

    /// The deployment circuit breaker, for the PRIMARY deployment while it is IN_PROGRESS.
    fn evaluate_circuit_breaker(&mut self, s: ServiceId, primary: u32, primary_success: bool) -> bool {
        let svc = &self.state.services[s.idx()];
        let Some(d) = svc.deployments.get(primary as usize) else { return true };
        match d.rollout_state {
            // "A deployment in a FAILED state doesn't launch any new tasks."
            RolloutState::Failed => return false,
            RolloutState::Completed => return true,
            RolloutState::InProgress => {}
        }
        if d.circuit_breaker_done {
            return true;
        }
        if primary_success {
            // "Once a service deployment has one or more successfully running tasks, the failed
            // task count resets to zero and stops being evaluated."
            self.state.services[s.idx()].deployments.circuit_breaker_passed(primary);
            return true;
        }
        let since = d.circuit_breaker_since;
        let failed = self
            .state
            .tasks
            .iter()
            .filter(|t| t.service == Some(s) && t.deployment == Some(primary))
            .filter(|t| t.stopped_at.is_some_and(|at| at >= since) && Self::is_failed_task(t))
            .count() as u32;
        let enabled = svc
            .spec
            .deployment_configuration
            .as_ref()
            .and_then(|c| c.deployment_circuit_breaker.as_ref())
            .map(|c| (c.enable, c.rollback))
            .unwrap_or((false, false));
        let desired = svc.desired_count;
        self.state.services[s.idx()].deployments.set_failed_tasks(primary, failed);
        // "When the failure count equals the threshold, the deployment is marked as FAILED."
        if !enabled.0 || failed < circuit_breaker_threshold(desired) {
            return true;
        }
        self.fail_deployment(s, primary, enabled.1)
    }

    /// Mark the deployment FAILED and, with rollback on, roll back to "the most recent deployment
    /// that is in a COMPLETED state". Returns whether the scheduler may act in this pass.
    fn fail_deployment(&mut self, s: ServiceId, failed: u32, rollback: bool) -> bool {
        self.fail_deployment_with(s, failed, rollback, CIRCUIT_BREAKER_REASON, "tasks failed to start")
    }

    /// Mark the deployment FAILED with `reason` (its `rolloutStateReason`) and `why` in the service
    /// event, and roll back when asked: the circuit breaker's path, and the deployment alarms'
    /// ("either can trigger deployment failure",
    /// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-failure-detection.html).
    pub(super) fn fail_deployment_with(
        &mut self,
        s: ServiceId,
        failed: u32,
        rollback: bool,
        reason: &str,
        why: &str,
    ) -> bool {
        let now = self.now;
        let svc = &mut self.state.services[s.idx()];
        svc.deployments.fail(failed, reason, now);
        let (name, failed_id) = (svc.service_name.clone(), svc.deployments[failed as usize].id.clone());
        self.service_event(s, format!("(service {name}) (deployment {failed_id}) deployment failed: {why}."));
        self.log_deployment_state(s, failed, "SERVICE_DEPLOYMENT_FAILED");
        if !rollback {
            return false;
        }
        let by = if reason == CIRCUIT_BREAKER_REASON {
            "ECS deployment circuit breaker"
        } else if reason.contains("lifecycle hook") {
            "ECS deployment lifecycle hook"
        } else {
            "ECS deployment alarms"
        };
        self.roll_back_to_completed(s, failed, by, reason)
    }

    /// The most recent COMPLETED deployment other than `failed` (the rollback target).
    pub(super) fn rollback_target(&self, s: ServiceId, failed: u32) -> Option<u32> {
        self.state.services[s.idx()].deployments.rollback_target(failed)
    }

    /// Roll back to "the most recent deployment that is in a COMPLETED state": it becomes PRIMARY
    /// and IN_PROGRESS again ("When the rollback starts, the deployment changes from a COMPLETED
    /// to IN_PROGRESS", deployment-circuit-breaker), `by` names who asked in its
    /// rolloutStateReason, and a traffic-shifting deployment sends its traffic back to blue at
    /// once. Returns whether the scheduler may act in this pass (false: nothing to roll back to).
    pub(super) fn roll_back_to_completed(&mut self, s: ServiceId, failed: u32, by: &str, reason: &str) -> bool {
        let now = self.now;
        let Some(target) = self.rollback_target(s, failed) else {
            // "When the deployment circuit breaker does not find a deployment that is in a
            // COMPLETED state, the circuit breaker does not launch new tasks and the deployment is
            // stalled."
            return false;
        };
        let name = self.state.services[s.idx()].service_name.clone();
        let target_id = {
            let svc = &mut self.state.services[s.idx()];
            let desired = svc.desired_count;
            svc.deployments.roll_back(failed, target, desired, by, reason, now);
            let d = &svc.deployments[target as usize];
            let td = format!("{}:{}", d.task_def.family, d.task_def.revision);
            let id = d.id.clone();
            svc.spec.task_definition = td;
            svc.steady = false;
            id
        };
        // Blue/green, linear, canary: traffic returns to blue at once (sim/blue_green.rs).
        self.return_traffic_to(s, failed, target);
        self.service_event(s, format!("(service {name}) rolling back to deployment {target_id}."));
        self.log_deployment_state(s, target, "SERVICE_DEPLOYMENT_IN_PROGRESS");
        // The failed deployment may have no tasks left: the next pass marks it INACTIVE.
        self.request_reconcile(s);
        true
    }

    /// The service reached a steady state on deployment `p`: complete it, unless deployment alarms
    /// make a rolling update bake first ("With alarms configured, the deployment will continue for
    /// an additional duration, the bake time", deployment-alarm-failure; see sim/deploy_alarms.rs).
    pub(super) fn complete_or_bake(&mut self, s: ServiceId, p: u32) {
        let d = &self.state.services[s.idx()].deployments[p as usize];
        if d.rollout_state == RolloutState::InProgress && d.traffic_shift.is_none() {
            if let Some(bake) = self.rolling_alarm_bake(s) {
                if d.alarm_bake_until.is_none() {
                    let until = self.now + bake;
                    self.state.services[s.idx()].deployments.start_alarm_bake(p, until);
                    self.schedule(until, Event::Reconcile(s));
                    return;
                }
                if d.alarm_bake_until.is_some_and(|t| self.now < t) {
                    return;
                }
            }
        }
        self.complete_deployment(s, p);
    }

    /// The rollout reached a steady state: "When the service reaches a steady state, the rollout
    /// state transitions to COMPLETED" (deployment circuit breaker page).
    pub(super) fn complete_deployment(&mut self, s: ServiceId, deployment: u32) {
        let now = self.now;
        let svc = &mut self.state.services[s.idx()];
        if !svc.deployments.complete(deployment, now) {
            return;
        }
        let name = svc.service_name.clone();
        let id = svc.deployments[deployment as usize].id.clone();
        self.service_event(s, format!("(service {name}) (deployment {id}) deployment completed."));
        self.log_deployment_state(s, deployment, "SERVICE_DEPLOYMENT_COMPLETED");
    }

    /// One step of a rolling update: the PRIMARY deployment replaces the tasks of the others,
    /// within `minimumHealthyPercent` and `maximumPercent`. "For example if the minimum healthy
    /// percent is 50 and the desired task count is four, then the scheduler can stop two existing
    /// tasks before starting two new tasks ... if the maximum percent is 200 and the desired task
    /// count is four, then the scheduler can start four new tasks before stopping four existing
    /// tasks" (deployment-type-ecs).
    pub(super) fn rolling_update_step(&mut self, s: ServiceId, primary: u32) {
        let (desired, min_pct, max_pct) = {
            let svc = &self.state.services[s.idx()];
            (svc.desired_count, svc.minimum_healthy_percent, svc.maximum_percent)
        };
        let min_healthy = minimum_healthy_tasks(desired, min_pct);
        let max_tasks = maximum_tasks(desired, max_pct);
        // The service's live tasks (desired RUNNING, not awaiting replacement) as the health
        // index holds them (sim/health_index.rs): new (primary deployment) or old, healthy or
        // not, and how many count towards the minimum now (`counts_as_healthy`). Old tasks that
        // are not healthy (still starting, or failing health checks) do not count towards the
        // minimum: stopping them never takes the service below it.
        let p = slot(Some(primary));
        let empty = super::health_index::ServiceHealth::default();
        let h = self.health_index.service(s).unwrap_or(&empty);
        let healthy = h.active_counting(self.now);
        let (new_count, live_count) = (h.active_in(p), h.active_total());
        let budget = healthy.saturating_sub(min_healthy).min(h.ready_count_except(p));
        let old_ready = if budget > 0 { h.ready_except(p) } else { Vec::new() };
        let new = if new_count > desired {
            let mut v: Vec<TaskId> = h.ready.get(p).into_iter().chain(h.unready.get(p)).flatten().copied().collect();
            v.sort_unstable();
            v
        } else {
            Vec::new()
        };
        let mut to_stop = h.unready_except(p);
        to_stop.extend(self.choose_tasks_to_stop(&old_ready, budget));
        // More new tasks than desired (desiredCount lowered mid-deployment): scale them in.
        if new_count > desired {
            to_stop.extend(self.choose_tasks_to_stop(&new, new_count - desired));
        }
        let stopped = to_stop.len() as u32;
        if stopped > 0 {
            self.stop_service_tasks(s, &to_stop);
        }
        let remaining = live_count - stopped;
        let new_remaining = new_count.min(desired);
        let room = max_tasks.saturating_sub(remaining);
        let need = desired.saturating_sub(new_remaining);
        let start = room.min(need);
        if start > 0 {
            if self.now < self.state.services[s.idx()].backoff_until {
                let at = self.state.services[s.idx()].backoff_until;
                self.schedule(at, Event::Reconcile(s));
                return;
            }
            self.launch_tasks(s, primary, start);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DeploymentStatus, DesiredStatus};
    use serde_json::json;

    /// 2 tasks of web:1 on two m5.large, circuit breaker with rollback, web:2 registered.
    fn sim_with_breaker() -> Simulation {
        let td = |image: &str| {
            json!({"family": "web", "networkMode": "bridge", "requiresCompatibilities": ["EC2"],
                   "containerDefinitions": [{"name": "web", "image": image, "cpu": 256, "memory": 512,
                       "portMappings": [{"containerPort": 80, "hostPort": 0}]}]})
        };
        let doc = json!({
            "availabilityZones": ["us-east-1a", "us-east-1b"],
            "containerInstances": [{"instanceType": "m5.large", "availabilityZone": "us-east-1a"},
                                   {"instanceType": "m5.large", "availabilityZone": "us-east-1b"}],
            "taskDefinitions": [td("nginx:1.26"), td("nginx:1.27")],
            "services": [{"serviceName": "web", "taskDefinition": "web:1", "desiredCount": 2,
                          "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": true, "rollback": true}}}],
        });
        let mut sim = crate::load(&doc.to_string(), None).expect("loads");
        sim.run_until(120 * SECOND);
        sim.apply_json("UpdateService", &json!({"service": "web", "taskDefinition": "web:2"})).expect("update");
        sim
    }

    /// Run until `until`, stopping every web:2 task `after` it reached RUNNING the way `fail` says.
    fn run_failing(sim: &mut Simulation, until: SimTime, after: SimTime, fail: impl Fn(&mut Simulation, TaskId)) {
        while sim.now() < until {
            let t = sim.now() + SECOND;
            sim.run_until(t);
            let victims: Vec<TaskId> = (0..sim.state.tasks.len())
                .map(|i| TaskId(i as u32))
                .filter(|id| {
                    let t = &sim.state.tasks[id.idx()];
                    t.task_def.revision == 2
                        && t.last_status == TaskStatus::Running
                        && t.desired_status == DesiredStatus::Running
                        && t.started_at.is_some_and(|s| sim.now() >= s + after)
                })
                .collect();
            for id in victims {
                fail(sim, id);
            }
        }
    }

    fn crash(sim: &mut Simulation, id: TaskId) {
        sim.stop_task(id, StopCode::EssentialContainerExited, "Essential container in task exited".into());
    }

    #[test]
    fn a_crash_loop_before_the_tasks_count_as_healthy_trips_the_breaker() {
        // Failed tasks: the task "doesn't transition to a RUNNING state, or ... fails any of its
        // defined health checks and is stopped"; a container that exits 10 s after RUNNING never
        // was "successfully running" (it had not yet counted as healthy, 40 s after RUNNING).
        let mut sim = sim_with_breaker();
        run_failing(&mut sim, 600 * SECOND, 10 * SECOND, crash);
        let svc = &sim.state.services[0];
        assert_eq!(svc.deployments[1].rollout_state, RolloutState::Failed);
        assert_eq!(svc.deployments[1].rollout_state_reason, CIRCUIT_BREAKER_REASON);
        assert_eq!(svc.deployments[0].status, DeploymentStatus::Primary);
        assert_eq!(svc.deployments[0].rollout_state, RolloutState::Completed);
    }

    #[test]
    fn failing_health_checks_trip_the_breaker() {
        // Stage 2: "When a health check fails for the task, the deployment circuit breaker
        // increases the failure count by one." (The health checks themselves are issue 4's; here
        // the task is marked UNHEALTHY and stopped the way the scheduler does.)
        let mut sim = sim_with_breaker();
        run_failing(&mut sim, 600 * SECOND, 5 * SECOND, |sim, id| {
            sim.state.tasks[id.idx()].health_status = HealthStatus::Unhealthy;
            sim.stop_task(id, StopCode::ServiceSchedulerInitiated, "Task failed container health checks.".into());
        });
        let svc = &sim.state.services[0];
        assert_eq!(svc.deployments[1].rollout_state, RolloutState::Failed);
        assert_eq!(svc.deployments[0].status, DeploymentStatus::Primary);
    }

    #[test]
    fn once_a_task_was_successfully_running_failures_are_no_longer_counted() {
        // "Once a service deployment has one or more successfully running tasks, the failed task
        // count resets to zero and stops being evaluated." Tasks that crash 60 s after RUNNING
        // (after counting as healthy) never trip the breaker.
        let mut sim = sim_with_breaker();
        run_failing(&mut sim, 900 * SECOND, 60 * SECOND, crash);
        let d = &sim.state.services[0].deployments[1];
        assert_ne!(d.rollout_state, RolloutState::Failed);
        assert_eq!(d.failed_tasks, 0);
        assert!(d.circuit_breaker_done);
    }

    #[test]
    fn minimum_healthy_rounds_up_and_maximum_rounds_down() {
        // "if the minimum healthy percent is 50 and the desired task count is four, then the
        // scheduler can stop two existing tasks"
        assert_eq!(minimum_healthy_tasks(4, 50), 2);
        // "if the minimum healthy percent is 75% and the desired task count is two, then the
        // scheduler can't stop any tasks due to the resulting value also being two"
        assert_eq!(minimum_healthy_tasks(2, 75), 2);
        assert_eq!(minimum_healthy_tasks(3, 50), 2);
        assert_eq!(minimum_healthy_tasks(0, 100), 0);
        // "if the maximum percent is 200 and the desired task count is four, then the scheduler
        // can start four new tasks before stopping four existing tasks"
        assert_eq!(maximum_tasks(4, 200), 8);
        assert_eq!(maximum_tasks(4, 150), 6);
        assert_eq!(maximum_tasks(3, 150), 4);
        assert_eq!(maximum_tasks(5000, 200), 10000);
    }

    #[test]
    fn circuit_breaker_threshold_is_half_desired_between_3_and_200() {
        // "minimum threshold of 3 and a maximum threshold of 200 ... 0.5 * desired task count ...
        // (rounded up)"
        assert_eq!(circuit_breaker_threshold(1), 3);
        assert_eq!(circuit_breaker_threshold(4), 3);
        assert_eq!(circuit_breaker_threshold(7), 4);
        assert_eq!(circuit_breaker_threshold(25), 13);
        assert_eq!(circuit_breaker_threshold(400), 200);
        assert_eq!(circuit_breaker_threshold(800), 200);
    }
}
