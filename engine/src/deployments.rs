//! A service's deployments, owned behind methods (the way `load_balancing::LoadBalancing` owns
//! the target groups and `AutoScaler` owns Application Auto Scaling's state): the list of
//! `Deployment`s with their status, rollout state, counts, circuit breaker counters, traffic
//! shift progress and lifecycle hook steps. Pure: no log, no queue, no randomness, no health
//! index. The `sim/` modules decide when something happens (`sim/deployment.rs`: rolling update,
//! circuit breaker, rollback; `sim/blue_green.rs` and `sim/lifecycle_hooks.rs`: traffic shifts
//! and hooks; `sim/service_deployments.rs`: StopServiceDeployment; `sim/scaling.rs`,
//! `sim/daemon.rs`: the desired count) and call the method here that says what happened; they
//! log, schedule and touch the health index themselves. Outside this module a deployment is only
//! ever read (`&Deployment`): the list is private and no method hands out `&mut`.
//!
//! A deployment is named by its index in the list (what `Task::deployment` holds); the list only
//! grows (INACTIVE deployments stay, like the service deployments ListServiceDeployments lists).
//!
//! Rules kept here:
//! - Status: "PRIMARY: The most recent deployment of a service. ACTIVE: A service deployment that
//!   still has running tasks, but are in the process of being replaced with a new PRIMARY
//!   deployment. INACTIVE: A deployment that has been completely replaced."
//!   (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html, `status`).
//! - Rollout state: "The rolloutState of a deployment. It is only used when the deployment
//!   circuit breaker is used ... IN_PROGRESS ... COMPLETED ... FAILED" (same page,
//!   `rolloutState`); "When the service reaches a steady state, the rollout state transitions to
//!   COMPLETED" and a rollback goes to "the most recent deployment that is in a COMPLETED state"
//!   which "changes from a COMPLETED to IN_PROGRESS"
//!   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html).
//! - Circuit breaker counter: "Once a service deployment has one or more successfully running
//!   tasks, the failed task count resets to zero and stops being evaluated." (API_Deployment,
//!   `failedTasks`); the threshold itself is `sim::deployment::circuit_breaker_threshold`.

use crate::deploy_strategy::{HookRun, HookStepView, ShiftRun, Stage};
use crate::model::{Deployment, DeploymentStatus, DeploymentStop, RolloutState, TaskDefRef};
use crate::time::SimTime;
use serde::Serialize;

impl Deployment {
    /// A new deployment record: PRIMARY, IN_PROGRESS with the API's reason wording
    /// ("ECS deployment <id> in progress."), its circuit breaker counting from `now`.
    pub fn new(
        id: String,
        task_def: TaskDefRef,
        task_definition_arn: String,
        desired_count: u32,
        now: SimTime,
    ) -> Self {
        Deployment {
            rollout_state_reason: format!("ECS deployment {id} in progress."),
            id,
            status: DeploymentStatus::Primary,
            task_def,
            task_definition_arn,
            desired_count,
            rollout_state: RolloutState::InProgress,
            failed_tasks: 0,
            created_at: now,
            updated_at: now,
            circuit_breaker_since: now,
            circuit_breaker_done: false,
            uses_alternate: false,
            traffic_shift: None,
            alarm_bake_until: None,
            stop: None,
            finished_at: None,
            source: None,
            hook_steps: Vec::new(),
        }
    }
}

/// The deployments of one service, oldest first (DescribeServices shows them in this order).
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct ServiceDeployments {
    list: Vec<Deployment>,
}

impl std::ops::Index<usize> for ServiceDeployments {
    type Output = Deployment;
    fn index(&self, i: usize) -> &Deployment {
        &self.list[i]
    }
}

impl<'a> IntoIterator for &'a ServiceDeployments {
    type Item = &'a Deployment;
    type IntoIter = std::slice::Iter<'a, Deployment>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

impl ServiceDeployments {
    /// CreateService: the service's first deployment (PRIMARY, IN_PROGRESS).
    pub fn new(first: Deployment) -> Self {
        ServiceDeployments { list: vec![first] }
    }

    // ---- reading ------------------------------------------------------------------------------

    pub fn iter(&self) -> std::slice::Iter<'_, Deployment> {
        self.list.iter()
    }
    pub fn get(&self, i: usize) -> Option<&Deployment> {
        self.list.get(i)
    }
    pub fn len(&self) -> usize {
        self.list.len()
    }
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
    pub fn first(&self) -> Option<&Deployment> {
        self.list.first()
    }
    /// The newest deployment (the one a rollback leaves newest is the failed one).
    pub fn last(&self) -> Option<&Deployment> {
        self.list.last()
    }
    /// Index of the PRIMARY deployment, "the most recent deployment of a service" (after a
    /// rollback: the deployment rolled back to).
    pub fn primary_index(&self) -> Option<u32> {
        self.list.iter().position(|d| d.status == DeploymentStatus::Primary).map(|i| i as u32)
    }
    pub fn primary(&self) -> Option<&Deployment> {
        self.list.iter().find(|d| d.status == DeploymentStatus::Primary)
    }
    /// The index of the deployment with id `id` (`ecs-svc/...`).
    pub fn index_of(&self, id: &str) -> Option<u32> {
        self.list.iter().position(|d| d.id == id).map(|i| i as u32)
    }
    /// The deployments DescribeServices lists: all but INACTIVE ones.
    pub fn not_inactive(&self) -> impl Iterator<Item = &Deployment> {
        self.list.iter().filter(|d| d.status != DeploymentStatus::Inactive)
    }
    /// The rollback target for `failed`: "the most recent deployment that is in a COMPLETED state"
    /// other than `failed` (deployment-circuit-breaker.html).
    pub fn rollback_target(&self, failed: u32) -> Option<u32> {
        self.list
            .iter()
            .enumerate()
            .filter(|(i, d)| *i != failed as usize && d.rollout_state == RolloutState::Completed)
            .max_by_key(|(i, d)| (d.created_at, *i))
            .map(|(i, _)| i as u32)
    }

    fn at(&mut self, i: u32) -> Option<&mut Deployment> {
        self.list.get_mut(i as usize)
    }

    // ---- deployments start, end and hand over -------------------------------------------------

    /// UpdateService started `record`: "the new deployment is PRIMARY" and the deployment that
    /// was PRIMARY becomes ACTIVE (it still has tasks; `deactivate_drained` ends it). The new
    /// deployment's source revision is the old PRIMARY. Returns the new deployment's index.
    pub fn start(&mut self, mut record: Deployment, now: SimTime) -> u32 {
        record.source = self.primary_index();
        for d in self.list.iter_mut().filter(|d| d.status == DeploymentStatus::Primary) {
            d.status = DeploymentStatus::Active;
            d.updated_at = now;
        }
        self.list.push(record);
        self.list.len() as u32 - 1
    }

    /// "ACTIVE: A service deployment that still has running tasks": an ACTIVE deployment whose
    /// live task count (`live[i]`, by deployment index) is zero was "completely replaced" and is
    /// INACTIVE from now on.
    pub fn deactivate_drained(&mut self, live: &[u32], now: SimTime) {
        for (i, d) in self.list.iter_mut().enumerate() {
            if d.status == DeploymentStatus::Active && live.get(i).copied().unwrap_or(0) == 0 {
                d.status = DeploymentStatus::Inactive;
                d.updated_at = now;
            }
        }
    }

    /// "When the service reaches a steady state, the rollout state transitions to COMPLETED".
    /// Returns false (nothing changes) unless deployment `i` was IN_PROGRESS. `finished_at` keeps
    /// the first completion (a service deployment's `finishedAt`).
    pub fn complete(&mut self, i: u32, now: SimTime) -> bool {
        let Some(d) = self.at(i) else { return false };
        if d.rollout_state != RolloutState::InProgress {
            return false;
        }
        d.rollout_state = RolloutState::Completed;
        d.rollout_state_reason = format!("ECS deployment {} completed.", d.id);
        d.updated_at = now;
        d.finished_at.get_or_insert(now);
        true
    }

    /// Deployment `i` failed (circuit breaker, deployment alarm or lifecycle hook): rollout state
    /// FAILED with `reason` as its `rolloutStateReason`. Until a rollback says otherwise the
    /// service deployment is STOPPED ("The rollback option is not in use for the failure
    /// detection mechanism ... and the service fails", ServiceDeployment.stoppedAt).
    pub fn fail(&mut self, i: u32, reason: &str, now: SimTime) {
        let Some(d) = self.at(i) else { return };
        d.rollout_state = RolloutState::Failed;
        d.rollout_state_reason = reason.to_string();
        d.updated_at = now;
        d.stop = Some(DeploymentStop { at: now, rollback_to: None, reason: reason.to_string() });
    }

    /// StopServiceDeployment on deployment `i`: it fails as `fail` says ("A deployment in a FAILED
    /// state doesn't launch any new tasks") and its traffic shift stops where it is (no wait, no
    /// running lifecycle hooks).
    pub fn stop_by_request(&mut self, i: u32, reason: &str, now: SimTime) {
        self.fail(i, reason, now);
        if let Some(r) = self.at(i).and_then(|d| d.traffic_shift.as_mut()) {
            r.wait_until = None;
            r.hook = None;
        }
    }

    /// Roll back from `failed` to `target` (see `rollback_target`): the failed deployment is
    /// ACTIVE again (its tasks get replaced) and records the rollback; the target is PRIMARY and,
    /// "When the rollback starts, the deployment changes from a COMPLETED to IN_PROGRESS", with
    /// `by` naming who asked in its rolloutStateReason, the service's desired count, and a fresh
    /// circuit breaker and alarm bake time (a rollback deployment is evaluated and bakes again).
    pub fn roll_back(&mut self, failed: u32, target: u32, desired: u32, by: &str, reason: &str, now: SimTime) {
        if let Some(d) = self.at(failed) {
            d.status = DeploymentStatus::Active;
            d.stop = Some(DeploymentStop { at: now, rollback_to: Some(target), reason: reason.to_string() });
        }
        let Some(d) = self.at(target) else { return };
        d.status = DeploymentStatus::Primary;
        d.rollout_state = RolloutState::InProgress;
        d.rollout_state_reason = format!("{by}: rolling back to deploymentId {}.", d.id);
        d.updated_at = now;
        d.desired_count = desired;
        d.circuit_breaker_since = now;
        d.circuit_breaker_done = false;
        d.failed_tasks = 0;
        d.alarm_bake_until = None;
    }

    // ---- counts -------------------------------------------------------------------------------

    /// The service's desired count changed (UpdateService, a scaling activity): the PRIMARY
    /// deployment's `desiredCount` follows it.
    pub fn set_primary_desired_count(&mut self, desired: u32, now: SimTime) {
        if let Some(p) = self.list.iter_mut().find(|d| d.status == DeploymentStatus::Primary) {
            p.desired_count = desired;
            p.updated_at = now;
        }
    }

    /// A DAEMON service's desired count follows the instances it runs on (recounted by the
    /// daemon scheduler, not an API call, so `updatedAt` stays).
    pub fn follow_daemon_count(&mut self, desired: u32) {
        if let Some(p) = self.list.iter_mut().find(|d| d.status == DeploymentStatus::Primary) {
            p.desired_count = desired;
        }
    }

    /// Circuit breaker: deployment `i` has a successfully running task, so "the failed task count
    /// resets to zero and stops being evaluated".
    pub fn circuit_breaker_passed(&mut self, i: u32) {
        if let Some(d) = self.at(i) {
            d.circuit_breaker_done = true;
            d.failed_tasks = 0;
        }
    }

    /// Circuit breaker: deployment `i`'s `failedTasks` as counted now.
    pub fn set_failed_tasks(&mut self, i: u32, failed: u32) {
        if let Some(d) = self.at(i) {
            d.failed_tasks = failed;
        }
    }

    /// A rolling update with deployment alarms reached a steady state: it completes at `until`,
    /// after the bake time ("the deployment will continue for an additional duration, the bake
    /// time", deployment-alarm-failure.html).
    pub fn start_alarm_bake(&mut self, i: u32, until: SimTime) {
        if let Some(d) = self.at(i) {
            d.alarm_bake_until = Some(until);
        }
    }

    // ---- blue/green, linear and canary traffic shifts -----------------------------------------

    /// Which target group of each load balancer deployment `i`'s tasks register in: false =
    /// `targetGroupArn`, true = `advancedConfiguration.alternateTargetGroupArn` (green goes to
    /// the group blue does not use). The caller touches the health index (every task's health
    /// reads it).
    pub fn set_uses_alternate(&mut self, i: u32, alternate: bool) {
        if let Some(d) = self.at(i) {
            d.uses_alternate = alternate;
        }
    }

    /// Deployment `i` shifts traffic from blue as `run` starts it.
    pub fn begin_traffic_shift(&mut self, i: u32, run: ShiftRun) {
        if let Some(d) = self.at(i) {
            d.traffic_shift = Some(run);
        }
    }

    /// The traffic shift of deployment `i` entered lifecycle stage `stage`.
    pub fn set_stage(&mut self, i: u32, stage: Stage, now: SimTime) {
        let Some(d) = self.at(i) else { return };
        if let Some(r) = d.traffic_shift.as_mut() {
            r.stage = stage;
        }
        d.updated_at = now;
    }

    /// PRODUCTION_TRAFFIC_SHIFT: step `step` of the strategy puts `green_tenths` of production
    /// traffic on green; its wait has not started.
    pub fn shift_production_step(&mut self, i: u32, step: usize, green_tenths: u32, now: SimTime) {
        let Some(d) = self.at(i) else { return };
        if let Some(r) = d.traffic_shift.as_mut() {
            r.stage = Stage::ProductionTrafficShift;
            r.step = Some(step);
            r.green_tenths = green_tenths;
            r.wait_until = None;
        }
        d.updated_at = now;
    }

    /// The traffic shift of deployment `i` waits in `stage` (a step's bake, or the bake time)
    /// until `until`.
    pub fn wait_in_stage(&mut self, i: u32, stage: Stage, until: SimTime) {
        if let Some(r) = self.at(i).and_then(|d| d.traffic_shift.as_mut()) {
            r.stage = stage;
            r.wait_until = Some(until);
        }
    }

    /// The traffic shift's wait is over (CLEAN_UP).
    pub fn end_wait(&mut self, i: u32) {
        if let Some(r) = self.at(i).and_then(|d| d.traffic_shift.as_mut()) {
            r.wait_until = None;
        }
    }

    /// A rollback sent all traffic back to blue: green (deployment `i`) has none and waits no more.
    pub fn return_traffic(&mut self, i: u32) {
        if let Some(r) = self.at(i).and_then(|d| d.traffic_shift.as_mut()) {
            r.green_tenths = 0;
            r.wait_until = None;
        }
    }

    // ---- lifecycle hooks ----------------------------------------------------------------------

    /// Deployment `i`'s traffic shift enters `stage` with `run`'s hooks invoked, their `steps`
    /// recorded. Returns None (nothing changes) when the deployment shifts no traffic, otherwise
    /// whether the stage changed.
    pub fn enter_hook_stage(
        &mut self,
        i: u32,
        stage: Stage,
        run: HookRun,
        steps: Vec<HookStepView>,
        now: SimTime,
    ) -> Option<bool> {
        let d = self.at(i)?;
        d.traffic_shift.as_ref()?;
        d.hook_steps.extend(steps);
        let r = d.traffic_shift.as_mut()?;
        let changed = r.stage != stage;
        r.stage = stage;
        r.wait_until = None;
        r.hook = Some(run);
        d.updated_at = now;
        Some(changed)
    }

    /// The running hooks of deployment `i`'s current stage as they stand (None: settled).
    pub fn set_hook_run(&mut self, i: u32, run: Option<HookRun>) {
        if let Some(r) = self.at(i).and_then(|d| d.traffic_shift.as_mut()) {
            r.hook = run;
        }
    }

    /// The step of hook `target` at `stage` (the latest entry of that stage) now stands at
    /// `status` after `invocations` invocations.
    pub fn record_hook_step(&mut self, i: u32, stage: Stage, target: &str, status: &'static str, invocations: u32) {
        let Some(d) = self.at(i) else { return };
        if let Some(step) =
            d.hook_steps.iter_mut().rev().find(|h| h.lifecycle_stage == stage.as_str() && h.hook_target_arn == target)
        {
            step.status = status;
            step.invocations = step.invocations.max(invocations);
        }
    }

    /// The hooks `targets` of `stage` never answered (the stage failed first): their latest steps
    /// leave the record.
    pub fn drop_hook_steps(&mut self, i: u32, stage: Stage, targets: &[String]) {
        let Some(d) = self.at(i) else { return };
        for target in targets {
            if let Some(k) =
                d.hook_steps.iter().rposition(|h| h.lifecycle_stage == stage.as_str() && &h.hook_target_arn == target)
            {
                d.hook_steps.remove(k);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn td(rev: u32) -> TaskDefRef {
        TaskDefRef { family: "web".into(), revision: rev }
    }

    fn two() -> ServiceDeployments {
        let mut d = ServiceDeployments::new(Deployment::new("a".into(), td(1), String::new(), 2, 0));
        assert!(d.complete(0, 5));
        assert_eq!(d.start(Deployment::new("b".into(), td(2), String::new(), 2, 10), 10), 1);
        d
    }

    #[test]
    fn a_new_deployment_is_primary_and_the_old_one_active_until_drained() {
        let mut d = two();
        assert_eq!(d.primary_index(), Some(1));
        assert_eq!(d[0].status, DeploymentStatus::Active);
        assert_eq!(d[1].source, Some(0));
        assert_eq!(d.not_inactive().count(), 2);
        d.deactivate_drained(&[1, 2], 20);
        assert_eq!(d[0].status, DeploymentStatus::Active);
        d.deactivate_drained(&[0, 2], 30);
        assert_eq!((d[0].status, d[0].updated_at), (DeploymentStatus::Inactive, 30));
        assert_eq!(d.not_inactive().count(), 1);
    }

    #[test]
    fn completing_twice_keeps_the_first_finish_and_a_failed_one_does_not_complete() {
        let mut d = two();
        assert!(d.complete(1, 40));
        assert!(!d.complete(1, 50));
        assert_eq!(d[1].finished_at, Some(40));
        assert_eq!(d[1].rollout_state_reason, "ECS deployment b completed.");
        let mut d = two();
        d.fail(1, "why", 40);
        assert!(!d.complete(1, 50));
        assert_eq!(d[1].rollout_state, RolloutState::Failed);
        assert_eq!(d[1].stop.as_ref().map(|s| s.rollback_to), Some(None));
    }

    #[test]
    fn a_rollback_makes_the_last_completed_deployment_primary_and_in_progress() {
        let mut d = two();
        d.set_failed_tasks(1, 3);
        d.fail(1, "cb", 40);
        let target = d.rollback_target(1);
        assert_eq!(target, Some(0));
        d.roll_back(1, 0, 4, "ECS deployment circuit breaker", "cb", 40);
        assert_eq!(d.primary_index(), Some(0));
        assert_eq!(d[0].rollout_state, RolloutState::InProgress);
        assert_eq!(d[0].rollout_state_reason, "ECS deployment circuit breaker: rolling back to deploymentId a.");
        assert_eq!((d[0].desired_count, d[0].circuit_breaker_since, d[0].failed_tasks), (4, 40, 0));
        assert_eq!(d[1].status, DeploymentStatus::Active);
        assert_eq!(d[1].stop.as_ref().and_then(|s| s.rollback_to), Some(0));
        // Nothing COMPLETED but the failed one itself: no target.
        let mut one = ServiceDeployments::new(Deployment::new("a".into(), td(1), String::new(), 1, 0));
        one.fail(0, "cb", 1);
        assert_eq!(one.rollback_target(0), None);
    }

    #[test]
    fn the_circuit_breaker_counter_resets_once_a_task_runs() {
        let mut d = two();
        d.set_failed_tasks(1, 2);
        d.circuit_breaker_passed(1);
        assert_eq!((d[1].failed_tasks, d[1].circuit_breaker_done), (0, true));
    }
}
