//! Lifecycle hooks of blue/green, linear and canary deployments (`deploymentConfiguration.
//! lifecycleHooks`), with simulated Lambda targets (the scenario's `lifecycleHookResults`).
//!
//! Rules implemented:
//! - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html
//!   and lambda-lifecycle-hooks.html: ECS invokes the hook's Lambda function at the stages it
//!   names; the function returns a `hookStatus`: "SUCCEEDED - The deployment continues to the next
//!   lifecycle stage. FAILED - Amazon ECS rolls back the deployment to the last successful service
//!   revision. IN_PROGRESS - Amazon ECS invokes the function again after a delay. By default, the
//!   delay is 30 seconds. You can customize this value by returning a callBackDelay alongside the
//!   hookStatus." Several hooks at one stage: "Both hooks must complete before the deployment
//!   proceeds to the next stage."
//! - https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHookTimeoutConfiguration.html:
//!   timeoutInMinutes "The number of minutes Amazon ECS waits for the lifecycle hook to complete
//!   before taking the timeout action. Default: 1440 (24 hours)"; action CONTINUE ("Proceeds the
//!   deployment to the next lifecycle stage") or ROLLBACK ("Rolls back the deployment to the
//!   previous service revision"), default ROLLBACK. A hook detail's status is IN_PROGRESS,
//!   SUCCEEDED, FAILED or TIMED_OUT (API_DeploymentLifecycleHookDetail.html).
//! - The stages and what holds in each: botocore's `DeploymentLifecycleHookStage` and
//!   `ServiceDeploymentLifecycleStage` (PRE_SCALE_UP: "The green service revision has not started";
//!   POST_SCALE_UP: "The green service revision has started ... There is no test traffic";
//!   POST_TEST_TRAFFIC_SHIFT: "The test traffic shift is complete"; ...). The deployment stays in
//!   the stage while its hooks run.
//!
//! Simplified (stated): the hook target is no real function: `lifecycleHookResults` says what it
//! returns (IN_PROGRESS for `durationSeconds`, then its `hookStatus`), and an entry that is
//! missing means SUCCEEDED at the first invocation. A function error counts as FAILED. PRODUCTION_
//! TRAFFIC_SHIFT hooks run after each production shift (once for BLUE_GREEN, per step for canary
//! and linear), before that step's wait. RECONCILE_SERVICE is accepted and never entered (a new
//! deployment during a traffic shift starts from the one in progress). PAUSE hooks are refused.

use super::queue::Event;
use super::Simulation;
use crate::deploy_strategy::{HookCall, HookRun, HookStepView, Stage};
use crate::error::{ApiError, ApiResult};
use crate::model::ServiceId;
use crate::time::{SimTime, SECOND};
use serde_json::json;

/// The trace kind of one lifecycle hook invocation (or its timeout).
pub const LIFECYCLE_HOOK: &str = "LifecycleHook";

/// "By default, the delay is 30 seconds."
pub const DEFAULT_CALL_BACK_DELAY: u32 = 30;

/// What the hooks of a stage came to in one pass.
pub(super) enum HookProgress {
    Waiting,
    Done(Stage),
    Failed { reason: String, why: String },
}

impl Simulation {
    /// `lifecycleHookResults`, checked at load: statuses and stages by their API names.
    pub(super) fn check_lifecycle_hook_results(&self) -> ApiResult<()> {
        for (i, r) in self.scenario.lifecycle_hook_results.iter().enumerate() {
            let at = format!("lifecycleHookResults[{i}]");
            if r.hook_target_arn.is_empty() {
                return Err(ApiError::invalid(
                    format!("{at}.hookTargetArn"),
                    "hookTargetArn must name the Lambda function.",
                ));
            }
            if !["SUCCEEDED", "FAILED", "IN_PROGRESS"].contains(&r.hook_status.as_str()) {
                return Err(ApiError::invalid(
                    format!("{at}.hookStatus"),
                    format!("Invalid hookStatus '{}': must be SUCCEEDED, FAILED or IN_PROGRESS.", r.hook_status),
                ));
            }
            if let Some(st) = &r.lifecycle_stage {
                if Stage::hook_stage(st).is_none() {
                    return Err(ApiError::invalid(
                        format!("{at}.lifecycleStage"),
                        format!("Invalid lifecycle stage '{st}': a DeploymentLifecycleHookStage value is expected."),
                    ));
                }
            }
            if r.call_back_delay == Some(0) {
                return Err(ApiError::invalid(
                    format!("{at}.callBackDelay"),
                    "callBackDelay must be at least 1 second.",
                ));
            }
        }
        Ok(())
    }

    /// Enter `stage` with its lifecycle hooks running (first invocation in this instant). False
    /// when no hook names the stage (nothing changes then).
    pub(super) fn enter_hook_stage(&mut self, s: ServiceId, dep: u32, stage: Stage) -> bool {
        let now = self.now;
        let svc = &self.state.services[s.idx()];
        let calls: Vec<HookCall> = svc
            .strategy
            .hooks
            .iter()
            .enumerate()
            .filter(|(_, h)| h.stages.contains(&stage))
            .map(|(i, h)| HookCall {
                hook: i,
                started_at: now,
                invocations: 0,
                next_at: Some(now),
                expires_at: now + h.timeout,
            })
            .collect();
        if calls.is_empty() {
            return false;
        }
        let steps: Vec<HookStepView> = calls
            .iter()
            .map(|c| {
                let target = svc.strategy.hooks[c.hook].target.clone();
                HookStepView {
                    lifecycle_stage: stage.as_str(),
                    hook_name: target.rsplit(':').next().unwrap_or_default().to_string(),
                    hook_target_arn: target,
                    status: "IN_PROGRESS",
                    invocations: 0,
                }
            })
            .collect();
        let run = HookRun { stage, calls };
        let Some(changed) = self.state.services[s.idx()].deployments.enter_hook_stage(dep, stage, run, steps, now)
        else {
            return false;
        };
        if changed {
            self.log_traffic_shift(s, dep);
        }
        self.schedule(now, Event::Reconcile(s));
        true
    }

    /// What the simulated function returns now: (hookStatus, callBackDelay seconds).
    fn hook_answer(&self, target: &str, stage: Stage, started_at: SimTime) -> (&'static str, u32) {
        let results = &self.scenario.lifecycle_hook_results;
        let entry = results
            .iter()
            .find(|r| r.hook_target_arn == target && r.lifecycle_stage.as_deref() == Some(stage.as_str()))
            .or_else(|| results.iter().find(|r| r.hook_target_arn == target && r.lifecycle_stage.is_none()));
        let Some(r) = entry else { return ("SUCCEEDED", DEFAULT_CALL_BACK_DELAY) };
        let delay = r.call_back_delay.unwrap_or(DEFAULT_CALL_BACK_DELAY);
        if self.now < started_at + r.duration_seconds.unwrap_or(0) as SimTime * SECOND {
            return ("IN_PROGRESS", delay);
        }
        let status = match r.hook_status.as_str() {
            "SUCCEEDED" => "SUCCEEDED",
            "FAILED" => "FAILED",
            _ => "IN_PROGRESS",
        };
        (status, delay)
    }

    /// `FailNextLifecycleHook`: the function of `hookTargetArn` (named by some service's
    /// `lifecycleHooks`) returns FAILED at its next invocation; "FAILED - Amazon ECS rolls back the
    /// deployment to the last successful service revision" (lambda-lifecycle-hooks.html).
    pub(super) fn fail_next_lifecycle_hook(
        &mut self,
        inp: crate::command::FailNextLifecycleHookInput,
    ) -> ApiResult<serde_json::Value> {
        let known =
            self.state.services.iter().any(|svc| svc.strategy.hooks.iter().any(|h| h.target == inp.hook_target_arn));
        if !known {
            return Err(ApiError::invalid(
                "hookTargetArn",
                format!("No service's lifecycleHooks names {}.", inp.hook_target_arn),
            ));
        }
        if !self.hooks_to_fail.contains(&inp.hook_target_arn) {
            self.hooks_to_fail.push(inp.hook_target_arn.clone());
        }
        Ok(json!({"hookTargetArn": inp.hook_target_arn}))
    }

    /// The step of `target` at `stage` (the latest entry of that stage) now stands at `status`.
    fn record_hook_step(&mut self, s: ServiceId, dep: u32, stage: Stage, target: &str, status: &'static str, n: u32) {
        self.state.services[s.idx()].deployments.record_hook_step(dep, stage, target, status, n);
    }

    /// The lifecycle hooks of the service's newest deployment, as steps in the order ECS invoked
    /// them (stage by stage, each stage's hooks in `lifecycleHooks` order): stage, function and
    /// where each stands (IN_PROGRESS, SUCCEEDED, FAILED, TIMED_OUT). A rollback keeps the failed
    /// deployment's steps (ECS rolls back to an earlier deployment; the failed one stays the
    /// newest). Empty for an unknown service. `TrafficView::hooks` is this list.
    pub fn hook_view(&self, service_name: &str) -> Vec<HookStepView> {
        self.state
            .services
            .iter()
            .find(|svc| svc.service_name == service_name)
            .and_then(|svc| svc.deployments.last())
            .map(|d| d.hook_steps.clone())
            .unwrap_or_default()
    }

    fn log_hook(&mut self, s: ServiceId, dep: u32, stage: Stage, target: &str, extra: serde_json::Value) {
        let svc = &self.state.services[s.idx()];
        let mut detail = json!({
            "serviceName": svc.service_name,
            "serviceArn": svc.service_arn,
            "deploymentId": svc.deployments[dep as usize].id,
            "lifecycleStage": stage.as_str(),
            "hookTargetArn": target,
        });
        if let (Some(d), Some(e)) = (detail.as_object_mut(), extra.as_object()) {
            d.extend(e.clone());
        }
        self.log.push(self.now, LIFECYCLE_HOOK, detail);
    }

    /// Invoke the hooks of the current stage that are due, and say where the stage stands.
    pub(super) fn advance_hooks(&mut self, s: ServiceId, dep: u32) -> HookProgress {
        let now = self.now;
        let Some(mut run) =
            self.state.services[s.idx()].deployments[dep as usize].traffic_shift.as_ref().and_then(|r| r.hook.clone())
        else {
            return HookProgress::Waiting;
        };
        let stage = run.stage;
        let mut failed: Option<(String, String)> = None;
        for call in run.calls.iter_mut() {
            let Some(next) = call.next_at else { continue };
            // The hooks were replaced (UpdateService) while this one ran: it no longer holds the stage.
            let Some(hook) = self.state.services[s.idx()].strategy.hooks.get(call.hook).cloned() else {
                call.next_at = None;
                continue;
            };
            if now >= call.expires_at {
                call.next_at = None;
                let action = if hook.rollback_on_timeout { "ROLLBACK" } else { "CONTINUE" };
                self.record_hook_step(s, dep, stage, &hook.target, "TIMED_OUT", call.invocations);
                self.log_hook(s, dep, stage, &hook.target, json!({"hookStatus": "TIMED_OUT", "timeoutAction": action}));
                if hook.rollback_on_timeout && failed.is_none() {
                    let why = format!("lifecycle hook {} timed out at {}", hook.target, stage.as_str());
                    failed = Some((format!("ECS deployment failed: {why}."), why));
                }
                continue;
            }
            if next > now {
                continue;
            }
            call.invocations += 1;
            let (mut status, delay) = self.hook_answer(&hook.target, stage, call.started_at);
            if let Some(k) = self.hooks_to_fail.iter().position(|t| *t == hook.target) {
                self.hooks_to_fail.remove(k);
                status = "FAILED";
            }
            let mut line = json!({"invocation": call.invocations, "hookStatus": status});
            match status {
                "SUCCEEDED" => call.next_at = None,
                "FAILED" => {
                    call.next_at = None;
                    if failed.is_none() {
                        let why = format!("lifecycle hook {} returned FAILED at {}", hook.target, stage.as_str());
                        failed = Some((format!("ECS deployment failed: {why}."), why));
                    }
                }
                _ => {
                    line["callBackDelay"] = json!(delay);
                    call.next_at = Some(now + delay as SimTime * SECOND);
                }
            }
            self.record_hook_step(s, dep, stage, &hook.target, status, call.invocations);
            self.log_hook(s, dep, stage, &hook.target, line);
        }
        let pending: Option<SimTime> = run.calls.iter().filter_map(|c| c.next_at.map(|n| n.min(c.expires_at))).min();
        let done = failed.is_some() || pending.is_none();
        if failed.is_some() {
            // The stage failed: ECS rolls back and invokes the other hooks of the stage no more.
            // Their steps never got an answer, so they leave the record (the log keeps their
            // IN_PROGRESS invocations).
            let svc = &self.state.services[s.idx()];
            let unanswered: Vec<String> = run
                .calls
                .iter()
                .filter(|c| c.next_at.is_some())
                .filter_map(|c| svc.strategy.hooks.get(c.hook).map(|h| h.target.clone()))
                .collect();
            self.state.services[s.idx()].deployments.drop_hook_steps(dep, stage, &unanswered);
        }
        self.state.services[s.idx()].deployments.set_hook_run(dep, if done { None } else { Some(run) });
        if let Some((reason, why)) = failed {
            return HookProgress::Failed { reason, why };
        }
        match pending {
            None => HookProgress::Done(stage),
            Some(at) => {
                self.schedule(at, Event::Reconcile(s));
                HookProgress::Waiting
            }
        }
    }
}
