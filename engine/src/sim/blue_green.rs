//! Blue/green, linear and canary deployments of the `ECS` deployment controller at run time, and
//! the ALB listener rules whose weighted forward actions they move.
//!
//! Rules implemented, as the AWS documentation states them:
//! - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html
//!   and blue-green-deployment-how-it-works.html: the green service revision is deployed next to
//!   blue ("Amazon ECS launches new tasks using the updated service revision while the blue
//!   environment continues serving production traffic"); test traffic reaches green through the
//!   test listener rule; production traffic then shifts; "Bake time - The duration when both blue
//!   and green service revisions are running simultaneously after the production traffic has
//!   shifted"; then the blue revision is terminated. The stages are the API's
//!   `ServiceDeploymentLifecycleStage` values SCALE_UP, TEST_TRAFFIC_SHIFT,
//!   PRODUCTION_TRAFFIC_SHIFT, BAKE_TIME, CLEAN_UP.
//! - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb-resources-for-blue-green.html:
//!   green tasks register in the alternate target group; ECS changes the weights of the listener
//!   rules' forward actions (the production rule, and the test rule) between the two groups. The
//!   next deployment goes the other way: the group that served production is then the alternate.
//! - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-canary.html:
//!   canary shifts `canaryPercent`, waits `canaryBakeTimeInMinutes`, then shifts the rest;
//!   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-linear.html:
//!   linear adds `stepPercent` every `stepBakeTimeInMinutes` until 100 %.
//! - Rollback ("If problems arise with the green deployment, you can quickly revert to the blue
//!   deployment without extended service disruption", deployment-type-blue-green): blue still
//!   runs, so production and test traffic go back to blue at once and green is scaled down.
//! - https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html:
//!   "Each target group weight is a value from 0 to 999."
//!
//! - Lifecycle hooks hold the deployment in their stage while they run (sim/lifecycle_hooks.rs).
//!
//! Simplified (stated, not hidden): without lifecycle hooks nothing holds a stage, so the test
//! traffic shift is followed at once by the first production shift (test traffic keeps reaching
//! green through the bake time); a new UpdateService during a traffic shift starts a new
//! deployment from the one in progress; Service Connect is not simulated.

use super::lifecycle_hooks::HookProgress;
use super::queue::Event;
use super::Simulation;
use crate::aws::ACCOUNT_ID;
use crate::deploy_strategy::{weights_for, ShiftRun, Stage, Strategy, StrategyConfig};
use crate::error::{ApiError, ApiResult};
use crate::model::{DesiredStatus, ListenerRuleState, RolloutState, ServiceId, TargetGroupId, TaskId};
use crate::scenario::{CreateService, ListenerRule};
use crate::time::SimTime;
use serde_json::{json, Value};

/// The trace kind of a lifecycle stage change or a weight change of a deployment's listener rules.
pub const TRAFFIC_SHIFT: &str = "TrafficShift";

impl Simulation {
    fn tg_by_ref(&self, r: &str) -> Option<TargetGroupId> {
        self.state.elb.by_ref(r)
    }

    pub(super) fn rule_by_ref(&self, r: &str) -> Option<usize> {
        self.state.elb.rule_by_ref(r)
    }

    /// One scenario `listenerRules` entry: its forward action's target groups must exist, weights
    /// 0-999 (a single `TargetGroupArn` forwards with weight 1).
    pub(super) fn create_listener_rule(&mut self, r: &ListenerRule) -> ApiResult<()> {
        if r.rule_arn.is_empty() {
            return Err(ApiError::new("ValidationError", "RuleArn", "RuleArn must name the rule."));
        }
        if self.rule_by_ref(&r.rule_arn).is_some() {
            return Err(ApiError::new("ValidationError", "RuleArn", format!("Rule {} is listed twice.", r.rule_arn)));
        }
        let forwards: Vec<(usize, &crate::scenario::RuleAction)> =
            r.actions.iter().enumerate().filter(|(_, a)| a.kind == "forward").collect();
        let Some((k, action)) = forwards.first().copied() else {
            return Err(ApiError::new(
                "ValidationError",
                "Actions",
                "Only forward actions are simulated: give one action with Type forward.",
            ));
        };
        let mut forward = Vec::new();
        match (&action.forward_config, &action.target_group_arn) {
            (Some(fc), _) => {
                for (i, t) in fc.target_groups.iter().enumerate() {
                    let at = format!("Actions[{k}].ForwardConfig.TargetGroups[{i}]");
                    let tg = self.tg_by_ref(&t.target_group_arn).ok_or_else(|| {
                        ApiError::new(
                            "TargetGroupNotFound",
                            format!("{at}.TargetGroupArn"),
                            format!("Target group '{}' is not one of the scenario's targetGroups.", t.target_group_arn),
                        )
                    })?;
                    let w = t.weight.unwrap_or(1);
                    if w > 999 {
                        return Err(ApiError::new(
                            "ValidationError",
                            format!("{at}.Weight"),
                            "Each target group weight is a value from 0 to 999.",
                        ));
                    }
                    forward.push((tg, w));
                }
            }
            (None, Some(arn)) => {
                let tg = self.tg_by_ref(arn).ok_or_else(|| {
                    ApiError::new(
                        "TargetGroupNotFound",
                        format!("Actions[{k}].TargetGroupArn"),
                        format!("Target group '{arn}' is not one of the scenario's targetGroups."),
                    )
                })?;
                forward.push((tg, 1));
            }
            (None, None) => {
                return Err(ApiError::new(
                    "ValidationError",
                    format!("Actions[{k}]"),
                    "A forward action needs TargetGroupArn or ForwardConfig.TargetGroups.",
                ))
            }
        }
        // Listener rules belong to Application Load Balancers: an NLB listener forwards with its
        // default action only (crate::nlb).
        if let Some((tg, _)) = forward.iter().find(|(tg, _)| self.state.elb.group(*tg).is_nlb()) {
            let g = self.state.elb.group(*tg);
            return Err(ApiError::new(
                "ValidationError",
                "Actions",
                format!(
                    "Target group '{}' ({}) belongs to a Network Load Balancer: listener rules are an Application Load Balancer feature.",
                    g.name, g.protocol
                ),
            ));
        }
        let rule_arn = if r.rule_arn.starts_with("arn:") {
            r.rule_arn.clone()
        } else {
            let h = crate::log::fnv1a64(r.rule_arn.as_bytes());
            format!(
                "arn:aws:elasticloadbalancing:{}:{ACCOUNT_ID}:listener-rule/app/{}-alb/{}/{}",
                self.state.region, self.state.cluster_name, h, r.rule_arn
            )
        };
        self.state.elb.add_listener_rule(ListenerRuleState {
            name: r.rule_arn.clone(),
            rule_arn,
            priority: r.priority.clone(),
            forward,
            spec: r.clone(),
        });
        Ok(())
    }

    /// `deploymentConfiguration` strategy members and `advancedConfiguration`, checked against
    /// the scenario's target groups, listener rules and alarms. Returns the configuration and, per
    /// load balancer, the alternate target group.
    pub(super) fn service_strategy_config(
        &self,
        spec: &CreateService,
        primary: &[TargetGroupId],
    ) -> ApiResult<(StrategyConfig, Vec<Option<TargetGroupId>>)> {
        let controller = spec.deployment_controller.as_ref().and_then(|c| c.get("type")).and_then(Value::as_str);
        let cfg =
            crate::deploy_strategy::parse(spec.deployment_configuration.as_ref(), &spec.load_balancers, controller)?;
        if let Some(a) = &cfg.alarms {
            for (i, n) in a.alarm_names.iter().enumerate() {
                if !self.metric_alarms.iter().any(|m| &m.alarm.spec.name == n) {
                    return Err(ApiError::invalid(
                        format!("deploymentConfiguration.alarms.alarmNames[{i}]"),
                        format!("The alarm {n} does not exist: define it in the scenario's metricAlarms."),
                    ));
                }
            }
        }
        let mut alternates = Vec::new();
        for (i, adv) in cfg.advanced.iter().enumerate() {
            let Some(adv) = adv else {
                alternates.push(None);
                continue;
            };
            let at = format!("loadBalancers[{i}].advancedConfiguration");
            let Some(&prod_tg) = primary.get(i) else {
                alternates.push(None);
                continue;
            };
            let alt = self.tg_by_ref(&adv.alternate_target_group).ok_or_else(|| {
                ApiError::invalid(
                    format!("{at}.alternateTargetGroupArn"),
                    format!(
                        "Target group \"{}\" does not exist in the scenario's targetGroups.",
                        adv.alternate_target_group
                    ),
                )
            })?;
            if alt == prod_tg {
                return Err(ApiError::invalid(
                    format!("{at}.alternateTargetGroupArn"),
                    "The alternate target group must differ from the service's targetGroupArn.",
                ));
            }
            if self.state.elb.group(alt).target_type != self.state.elb.group(prod_tg).target_type {
                return Err(ApiError::invalid(
                    format!("{at}.alternateTargetGroupArn"),
                    "The alternate target group must have the same target type as the service's target group.",
                ));
            }
            let mut rules = vec![("productionListenerRule", adv.production_listener_rule.clone())];
            if let Some(t) = &adv.test_listener_rule {
                rules.push(("testListenerRule", t.clone()));
            }
            for (field, r) in rules {
                let Some(k) = self.rule_by_ref(&r) else {
                    return Err(ApiError::invalid(
                        format!("{at}.{field}"),
                        format!("Listener rule \"{r}\" does not exist in the scenario's listenerRules."),
                    ));
                };
                if !self.state.elb.rule_forwards_to_both(k, prod_tg, alt) {
                    return Err(ApiError::invalid(
                        format!("{at}.{field}"),
                        format!(
                            "Listener rule \"{r}\" must forward to both the service's target group and the alternate target group."
                        ),
                    ));
                }
            }
            alternates.push(Some(alt));
        }
        Ok((cfg, alternates))
    }

    /// The target group a task of deployment `dep` registers in for load balancer `k`.
    pub(super) fn deployment_target_group(&self, s: ServiceId, dep: Option<u32>, k: usize) -> Option<TargetGroupId> {
        let svc = self.state.services.get(s.idx())?;
        let primary = *svc.target_groups.get(k)?;
        let alternate = dep.and_then(|d| svc.deployments.get(d as usize)).is_some_and(|d| d.uses_alternate);
        match (alternate, svc.alternate_target_groups.get(k).copied().flatten()) {
            (true, Some(alt)) => Some(alt),
            _ => Some(primary),
        }
    }

    /// UpdateService started deployment `new` while `blue` serves: a strategy other than ROLLING
    /// deploys green next to blue in the other target group.
    pub(super) fn begin_traffic_shift(&mut self, s: ServiceId, new: u32, blue: Option<u32>) {
        let svc = &self.state.services[s.idx()];
        let blue_alt = blue.and_then(|b| svc.deployments.get(b as usize)).is_some_and(|d| d.uses_alternate);
        let shifting = svc.strategy.strategy != Strategy::Rolling
            && blue.is_some_and(|b| self.state.service_tasks(s).any(|(_, t)| t.deployment == Some(b)));
        let has_alternate = svc.alternate_target_groups.iter().any(Option::is_some);
        let alternate = if shifting && has_alternate { !blue_alt } else { blue_alt };
        self.state.services[s.idx()].deployments.set_uses_alternate(new, alternate);
        // Every task's health reads its deployment's target groups (sim/health_index.rs).
        self.touch_service(s);
        if let (true, Some(b)) = (shifting, blue) {
            let run =
                ShiftRun { stage: Stage::ScaleUp, blue: b, step: None, green_tenths: 0, wait_until: None, hook: None };
            self.state.services[s.idx()].deployments.begin_traffic_shift(new, run);
            // PRE_SCALE_UP hooks run before green starts (sim/lifecycle_hooks.rs).
            if !self.enter_hook_stage(s, new, Stage::PreScaleUp) {
                self.log_traffic_shift(s, new);
            }
        }
    }

    /// One scheduler pass of a deployment that shifts traffic. Returns false when the pass should
    /// go on as usual (no shift in progress, or blue is being cleaned up).
    pub(super) fn traffic_shift_step(&mut self, s: ServiceId, primary: u32, live: &[TaskId]) -> bool {
        let Some(run) = self.state.services[s.idx()].deployments[primary as usize].traffic_shift.clone() else {
            return false;
        };
        if self.state.services[s.idx()].deployments[primary as usize].rollout_state != RolloutState::InProgress {
            return false;
        }
        // A lifecycle hook of the current stage holds it until it settles.
        if run.hook.is_some() {
            match self.advance_hooks(s, primary) {
                HookProgress::Waiting => {}
                HookProgress::Failed { reason, why } => {
                    // "FAILED - Amazon ECS rolls back the deployment to the last successful
                    // service revision." (lambda-lifecycle-hooks.html)
                    self.fail_deployment_with(s, primary, true, &reason, &why);
                }
                HookProgress::Done(stage) => self.after_hook_stage(s, primary, stage),
            }
            return true;
        }
        let desired = self.state.services[s.idx()].desired_count;
        let green: Vec<TaskId> =
            live.iter().copied().filter(|t| self.state.tasks[t.idx()].deployment == Some(primary)).collect();
        match run.stage {
            Stage::ScaleUp => {
                // "Amazon ECS launches new tasks using the updated service revision while the blue
                // environment continues serving production traffic."
                let n = green.len() as u32;
                if n < desired {
                    if self.now < self.state.services[s.idx()].backoff_until {
                        let at = self.state.services[s.idx()].backoff_until;
                        self.schedule(at, Event::Reconcile(s));
                    } else {
                        self.launch_tasks(s, primary, desired - n);
                    }
                    return true;
                }
                if n > desired {
                    let extra = self.choose_tasks_to_stop(&green, n - desired);
                    self.stop_service_tasks(s, &extra);
                    return true;
                }
                if !green.iter().all(|t| self.counts_as_healthy(*t)) {
                    return true;
                }
                // Green is up and healthy: POST_SCALE_UP hooks, then test traffic to green.
                self.after_hook_stage(s, primary, Stage::ScaleUp);
                true
            }
            Stage::ProductionTrafficShift | Stage::BakeTime => {
                if run.wait_until.is_some_and(|t| self.now < t) {
                    return true;
                }
                if run.stage == Stage::ProductionTrafficShift {
                    self.next_production_step(s, primary);
                } else {
                    self.clean_up_blue(s, primary);
                }
                true
            }
            Stage::CleanUp => false,
            // A stage whose hooks have settled (or that has none): go on.
            stage => {
                self.after_hook_stage(s, primary, stage);
                true
            }
        }
    }

    /// What follows `stage` once its lifecycle hooks succeeded (or when it has none): the next
    /// stage, entering its hooks when it has some. Order (ServiceDeploymentLifecycleStage):
    /// PRE_SCALE_UP, SCALE_UP, POST_SCALE_UP, TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT,
    /// PRE_PRODUCTION_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT (each step), POST_PRODUCTION_TRAFFIC_SHIFT,
    /// BAKE_TIME, CLEAN_UP.
    fn after_hook_stage(&mut self, s: ServiceId, dep: u32, stage: Stage) {
        match stage {
            Stage::ReconcileService | Stage::PreScaleUp => {
                self.set_stage(s, dep, Stage::ScaleUp);
                self.log_traffic_shift(s, dep);
                self.request_reconcile(s);
            }
            Stage::ScaleUp => {
                if !self.enter_hook_stage(s, dep, Stage::PostScaleUp) {
                    self.after_hook_stage(s, dep, Stage::PostScaleUp);
                }
            }
            Stage::PostScaleUp => {
                self.set_stage(s, dep, Stage::TestTrafficShift);
                self.shift_rules(s, dep, true, 1000);
                self.log_traffic_shift(s, dep);
                if !self.enter_hook_stage(s, dep, Stage::TestTrafficShift) {
                    self.after_hook_stage(s, dep, Stage::TestTrafficShift);
                }
            }
            Stage::TestTrafficShift => {
                if !self.enter_hook_stage(s, dep, Stage::PostTestTrafficShift) {
                    self.after_hook_stage(s, dep, Stage::PostTestTrafficShift);
                }
            }
            Stage::PostTestTrafficShift => {
                if !self.enter_hook_stage(s, dep, Stage::PreProductionTrafficShift) {
                    self.next_production_step(s, dep);
                }
            }
            Stage::PreProductionTrafficShift => self.next_production_step(s, dep),
            // The hooks of one production shift settled: the step's wait starts now.
            Stage::ProductionTrafficShift => self.start_step_wait(s, dep),
            Stage::PostProductionTrafficShift => self.start_bake_time(s, dep),
            Stage::BakeTime => self.clean_up_blue(s, dep),
            Stage::CleanUp => {}
        }
    }

    fn set_stage(&mut self, s: ServiceId, dep: u32, stage: Stage) {
        let now = self.now;
        self.state.services[s.idx()].deployments.set_stage(dep, stage, now);
    }

    /// Make the next production shift (or, after the last one, POST_PRODUCTION_TRAFFIC_SHIFT
    /// hooks and the bake time). PRODUCTION_TRAFFIC_SHIFT hooks run after each shift, before its
    /// wait.
    fn next_production_step(&mut self, s: ServiceId, dep: u32) {
        let steps = self.state.services[s.idx()].strategy.steps.clone();
        let Some(run) = self.state.services[s.idx()].deployments[dep as usize].traffic_shift.clone() else { return };
        let next = run.step.map_or(0, |k| k + 1);
        let Some(&(tenths, _)) = steps.get(next) else {
            if !self.enter_hook_stage(s, dep, Stage::PostProductionTrafficShift) {
                self.start_bake_time(s, dep);
            }
            return;
        };
        let now = self.now;
        self.state.services[s.idx()].deployments.shift_production_step(dep, next, tenths, now);
        self.shift_rules(s, dep, false, tenths);
        self.log_traffic_shift(s, dep);
        if !self.enter_hook_stage(s, dep, Stage::ProductionTrafficShift) {
            self.start_step_wait(s, dep);
        }
    }

    /// The wait after the production shift just made (a canary's or linear step's bake).
    fn start_step_wait(&mut self, s: ServiceId, dep: u32) {
        let steps = &self.state.services[s.idx()].strategy.steps;
        let Some(run) = self.state.services[s.idx()].deployments[dep as usize].traffic_shift.as_ref() else { return };
        let wait = run.step.and_then(|k| steps.get(k)).map_or(0, |x| x.1);
        let until = self.now + wait as SimTime * crate::time::MINUTE;
        self.state.services[s.idx()].deployments.wait_in_stage(dep, Stage::ProductionTrafficShift, until);
        if until > self.now {
            self.schedule(until, Event::Reconcile(s));
        } else {
            self.next_production_step(s, dep);
        }
    }

    /// After the last shift: "Bake time - The duration when both blue and green service revisions
    /// are running simultaneously after the production traffic has shifted."
    fn start_bake_time(&mut self, s: ServiceId, dep: u32) {
        let until = self.now + self.state.services[s.idx()].strategy.bake_time();
        self.state.services[s.idx()].deployments.wait_in_stage(dep, Stage::BakeTime, until);
        self.log_traffic_shift(s, dep);
        if until > self.now {
            self.schedule(until, Event::Reconcile(s));
        } else {
            self.clean_up_blue(s, dep);
        }
    }

    /// CLEAN_UP: scale blue down (its tasks drain from their target group and stop).
    fn clean_up_blue(&mut self, s: ServiceId, dep: u32) {
        self.set_stage(s, dep, Stage::CleanUp);
        self.state.services[s.idx()].deployments.end_wait(dep);
        self.log_traffic_shift(s, dep);
        let blue: Vec<TaskId> = self
            .state
            .service_tasks(s)
            .filter(|(_, t)| t.desired_status == DesiredStatus::Running && t.deployment != Some(dep))
            .map(|(id, _)| id)
            .collect();
        if !blue.is_empty() {
            self.stop_service_tasks(s, &blue);
        }
        self.request_reconcile(s);
    }

    /// Set the production (or test) listener rules of a service's load balancers so that deployment
    /// `dep`'s target group gets `green_tenths` of the traffic and the other group the rest.
    fn shift_rules(&mut self, s: ServiceId, dep: u32, test: bool, green_tenths: u32) {
        let n = self.state.services[s.idx()].spec.load_balancers.len();
        for k in 0..n {
            let Some(Some(adv)) = self.state.services[s.idx()].strategy.advanced.get(k).cloned() else { continue };
            let rule = if test { adv.test_listener_rule.clone() } else { Some(adv.production_listener_rule.clone()) };
            let Some(rule) = rule.and_then(|r| self.rule_by_ref(&r)) else { continue };
            let Some(green) = self.deployment_target_group(s, Some(dep), k) else { continue };
            let (wb, wg) = weights_for(green_tenths);
            self.state.elb.set_forward_weights(rule, green, wg, wb);
        }
    }

    /// Rollback of a traffic-shifting deployment: production and test traffic return to the
    /// blue deployment's target group at once.
    pub(super) fn return_traffic_to(&mut self, s: ServiceId, failed: u32, blue: u32) {
        if self.state.services[s.idx()].deployments[failed as usize].traffic_shift.is_none() {
            return;
        }
        self.shift_rules(s, blue, false, 1000);
        self.shift_rules(s, blue, true, 1000);
        self.state.services[s.idx()].deployments.return_traffic(failed);
        self.log_traffic_shift(s, failed);
    }

    /// A `TrafficShift` trace line: the deployment's lifecycle stage and its listener rules'
    /// weights, in ELBv2's `Rule` shape.
    pub(super) fn log_traffic_shift(&mut self, s: ServiceId, dep: u32) {
        let svc = &self.state.services[s.idx()];
        let Some(d) = svc.deployments.get(dep as usize) else { return };
        let Some(run) = &d.traffic_shift else { return };
        let mut rules = Vec::new();
        for adv in svc.strategy.advanced.iter().flatten() {
            let names = std::iter::once(&adv.production_listener_rule).chain(adv.test_listener_rule.iter());
            for r in names {
                if let Some(k) = self.rule_by_ref(r) {
                    rules.push(self.rule_json(k));
                }
            }
        }
        let detail = json!({
            "serviceName": svc.service_name,
            "serviceArn": svc.service_arn,
            "deploymentId": d.id,
            "strategy": svc.strategy.strategy.as_str(),
            "lifecycleStage": run.stage.as_str(),
            "productionTrafficPercent": run.green_tenths as f64 / 10.0,
            "rules": rules,
        });
        self.log.push(self.now, TRAFFIC_SHIFT, detail);
    }

    /// A listener rule in DescribeRules' `Rule` shape with its live weights.
    pub(super) fn rule_json(&self, k: usize) -> Value {
        self.state.elb.rule_json(k)
    }

    /// The share of a listener rule's requests each of its target groups gets now.
    pub(super) fn rule_shares(&self, rule: &str) -> Vec<(TargetGroupId, f64)> {
        self.rule_by_ref(rule).map(|k| self.state.elb.rule_shares(k)).unwrap_or_default()
    }
}

/// What the app shows of a service's deployment: strategy, stage, bake timer and the rules'
/// weights per target group (an engine view; the app holds no orchestration logic).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrafficView {
    pub service_name: String,
    pub strategy: &'static str,
    /// The lifecycle stage while a traffic shift is in progress.
    pub stage: Option<&'static str>,
    /// Seconds left in the current wait (a step's bake or the bake time).
    pub wait_seconds_left: Option<u64>,
    /// Production traffic on the new revision, percent.
    pub green_percent: Option<f64>,
    pub rules: Vec<RuleView>,
    /// The deployment in progress as a service deployment ARN: what StopServiceDeployment (the
    /// console's Rollback button) names.
    pub service_deployment_arn: Option<String>,
    /// Its `ServiceDeploymentStatus` (IN_PROGRESS, ROLLBACK_IN_PROGRESS, ...) for the newest deployment.
    pub service_deployment_status: Option<&'static str>,
    /// The lifecycle hooks of the newest deployment as steps that pass or fail
    /// (`Simulation::hook_view`, from the deployment's `hook_steps`).
    pub hooks: Vec<crate::deploy_strategy::HookStepView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleView {
    pub rule: String,
    /// "production" or "test".
    pub role: &'static str,
    /// (target group name, weight, percent of the rule's traffic, "blue" / "green" / "").
    pub target_groups: Vec<(String, u32, f64, &'static str)>,
}

impl Simulation {
    /// The traffic view of every service with listener rules or a non-rolling strategy.
    pub fn traffic_view(&self) -> Vec<TrafficView> {
        let mut out = Vec::new();
        for (i, svc) in self.state.services.iter().enumerate() {
            let s = ServiceId(i as u32);
            if svc.strategy.strategy == Strategy::Rolling && svc.strategy.advanced.iter().all(Option::is_none) {
                continue;
            }
            let primary = svc.deployments.primary_index();
            let run = svc
                .deployments
                .primary()
                .filter(|d| d.rollout_state == RolloutState::InProgress)
                .and_then(|d| d.traffic_shift.as_ref());
            let green_tg = |k: usize| primary.and_then(|p| self.deployment_target_group(s, Some(p), k));
            let blue_tg = |k: usize| {
                run.and_then(|r| self.deployment_target_group(s, Some(r.blue), k)).filter(|b| Some(*b) != green_tg(k))
            };
            let mut rules = Vec::new();
            for (k, adv) in svc.strategy.advanced.iter().enumerate() {
                let Some(adv) = adv else { continue };
                let names = std::iter::once(("production", &adv.production_listener_rule))
                    .chain(adv.test_listener_rule.iter().map(|t| ("test", t)));
                for (role, r) in names {
                    let Some(idx) = self.rule_by_ref(r) else { continue };
                    let fwd = &self.state.elb.rule(idx).forward;
                    let total: u32 = fwd.iter().map(|(_, w)| *w).sum();
                    let tgs = fwd
                        .iter()
                        .map(|(tg, w)| {
                            let pct = if total > 0 { (*w as f64 * 1000.0 / total as f64).round() / 10.0 } else { 0.0 };
                            let colour = if run.is_some() && Some(*tg) == green_tg(k) {
                                "green"
                            } else if run.is_some() && Some(*tg) == blue_tg(k)
                                || run.is_none() && Some(*tg) == green_tg(k)
                            {
                                "blue"
                            } else {
                                ""
                            };
                            (self.state.elb.group(*tg).name.clone(), *w, pct, colour)
                        })
                        .collect();
                    rules.push(RuleView { rule: r.clone(), role, target_groups: tgs });
                }
            }
            out.push(TrafficView {
                service_name: svc.service_name.clone(),
                strategy: svc.strategy.strategy.as_str(),
                stage: run.map(|r| r.stage.as_str()),
                wait_seconds_left: run
                    .and_then(|r| r.wait_until)
                    .filter(|t| *t > self.now)
                    .map(|t| (t - self.now).div_ceil(crate::time::SECOND)),
                green_percent: run.map(|r| r.green_tenths as f64 / 10.0),
                rules,
                service_deployment_arn: self.deployment_in_progress_arn(&svc.service_name),
                service_deployment_status: (!svc.deployments.is_empty())
                    .then(|| self.service_deployment_status(s, svc.deployments.len() as u32 - 1)),
                hooks: self.hook_view(&svc.service_name),
            });
        }
        out
    }
}

use serde::Serialize;
