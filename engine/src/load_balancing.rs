//! Elastic Load Balancing's state, owned behind methods (the way `AutoScaler` owns Application
//! Auto Scaling's): target groups with their registered targets and each target's health check
//! state, the per-task view of that health, and the ALB listener rules with their live weights.
//! Pure: no log, no queue, no randomness. `sim/alb.rs` drives it from the event loop (it logs
//! the `TargetHealthChange` lines and schedules the health check and deregistration events these
//! methods ask for); `sim/blue_green.rs` moves the listener rules' weights.
//!
//! Rules kept here (the event-side rules are documented in `sim/alb.rs`):
//! - CreateTargetGroup's validation and defaults: "HealthCheckIntervalSeconds ... The range is
//!   5-300 ... default is 30", timeout 2-120 (default 5), thresholds 2-10 (healthy 5, unhealthy 2),
//!   matcher 200, path "/"
//!   (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html);
//!   `deregistration_delay.timeout_seconds` 0-3600 (default 300) and
//!   `load_balancing.algorithm.type` round_robin or least_outstanding_requests
//!   (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html).
//! - Health check state: "After you register a target, it must pass one health check to be
//!   considered healthy. ... If the health checks exceed UnhealthyThresholdCount consecutive
//!   failures, the load balancer takes the target out of service. When the health checks exceed
//!   HealthyThresholdCount consecutive successes, the load balancer puts the target back in
//!   service." (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html)
//! - Deregistration: "The initial state of a deregistering target is draining. After the
//!   deregistration delay elapses, the deregistration process completes and the state of the
//!   target is unused."
//!   (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay)
//! - A listener rule's forward action: requests are "distributed to these target groups based on
//!   their weights" (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html).

use crate::error::{ApiError, ApiResult};
use crate::model::{ListenerRuleState, Target, TargetGroup, TargetGroupId, TargetHealthState, TaskId};
use crate::scenario::CreateTargetGroup;
use crate::time::{SimTime, SECOND};
use serde_json::{json, Value};

/// Whether an HTTP code matches a target group matcher such as `200`, `200,302` or `200-299`.
pub fn matcher_accepts(matcher: &str, code: u16) -> bool {
    matcher.split(',').any(|part| {
        let part = part.trim();
        match part.split_once('-') {
            Some((a, b)) => match (a.trim().parse::<u16>(), b.trim().parse::<u16>()) {
                (Ok(a), Ok(b)) => (a..=b).contains(&code),
                _ => false,
            },
            None => part.parse::<u16>().ok() == Some(code),
        }
    })
}

/// The target group name in a target group ARN (`...:targetgroup/<name>/<id>`), or the reference
/// itself when it is a bare name.
pub fn target_group_name_of(r: &str) -> &str {
    r.split("targetgroup/").nth(1).map(|x| x.split('/').next().unwrap_or(x)).unwrap_or(r)
}

/// Target groups, their targets and health, and listener rules of one simulation.
#[derive(Debug, Clone, Default)]
pub struct LoadBalancing {
    target_groups: Vec<TargetGroup>,
    listener_rules: Vec<ListenerRuleState>,
    /// Per task (by `TaskId` index): the state of its target in each target group it is registered
    /// with, kept in step with `TargetGroup::targets` so health questions are O(1) per task.
    task_health: Vec<Vec<(TargetGroupId, TargetHealthState)>>,
}

impl LoadBalancing {
    // ---- target groups ------------------------------------------------------------------------

    pub fn target_groups(&self) -> &[TargetGroup] {
        &self.target_groups
    }
    /// The target group `id` (ids come from this subsystem, so they are always in range).
    pub fn group(&self, id: TargetGroupId) -> &TargetGroup {
        &self.target_groups[id.idx()]
    }
    pub fn get(&self, id: TargetGroupId) -> Option<&TargetGroup> {
        self.target_groups.get(id.idx())
    }
    pub fn arn(&self, id: TargetGroupId) -> &str {
        &self.group(id).target_group_arn
    }
    pub fn by_name(&self, name: &str) -> Option<TargetGroupId> {
        self.target_groups.iter().position(|t| t.name == name).map(|i| TargetGroupId(i as u32))
    }
    /// The target group named `name` or with ARN `arn`.
    pub fn by_name_or_arn(&self, name: &str, arn: &str) -> Option<TargetGroupId> {
        self.target_groups
            .iter()
            .position(|t| t.name == name || t.target_group_arn == arn)
            .map(|i| TargetGroupId(i as u32))
    }
    /// A target group a reference names: its ARN, or its name (also as the name part of an ARN).
    pub fn by_ref(&self, r: &str) -> Option<TargetGroupId> {
        self.by_name_or_arn(target_group_name_of(r), r)
    }

    /// CreateTargetGroup with ELBv2's defaults. `arn` is asked for only once the request is
    /// accepted (it draws from the simulation's seeded stream), with the group's name.
    pub fn create_target_group(
        &mut self,
        tg: &CreateTargetGroup,
        arn: impl FnOnce(&str) -> String,
    ) -> ApiResult<TargetGroupId> {
        if tg.name.is_empty()
            || tg.name.len() > 32
            || !tg.name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            || tg.name.starts_with('-')
            || tg.name.ends_with('-')
        {
            return Err(ApiError::new("ValidationError", "Name", "Target group name must be 1-32 alphanumeric characters or hyphens, and must not begin or end with a hyphen."));
        }
        if self.by_name(&tg.name).is_some() {
            return Err(ApiError::new(
                "DuplicateTargetGroupName",
                "Name",
                format!("A target group with the same name '{}' exists", tg.name),
            ));
        }
        let target_type = tg.target_type.clone().unwrap_or_else(|| "instance".into());
        if !["instance", "ip", "lambda", "alb"].contains(&target_type.as_str()) {
            return Err(ApiError::new(
                "ValidationError",
                "TargetType",
                "TargetType must be one of instance, ip, lambda, alb.",
            ));
        }
        // A Network Load Balancer target group (TCP, TLS, UDP, TCP_UDP) has its own health check
        // defaults and rules (crate::nlb); an ALB group's health check protocol is checked before
        // the client IP attribute, the rest of its health check after.
        let protocol = tg.protocol.clone().unwrap_or_else(|| "HTTP".into());
        let (health_check, client_ip_preserved) = if crate::nlb::is_nlb_protocol(&protocol) {
            let h = crate::nlb::nlb_health_check(tg)?;
            (h, crate::nlb::client_ip_preserved(tg)?)
        } else {
            let hc_protocol = crate::nlb::alb_health_check_protocol(tg)?;
            let preserved = crate::nlb::client_ip_preserved(tg)?;
            (crate::nlb::alb_health_check(tg, hc_protocol)?, preserved)
        };
        let mut dereg = 300;
        let mut algorithm = "round_robin".to_string();
        for (i, a) in tg.attributes.iter().enumerate() {
            match a.key.as_str() {
                "deregistration_delay.timeout_seconds" => {
                    dereg = a.value.parse().ok().filter(|v| *v <= 3600).ok_or_else(|| {
                        ApiError::new(
                            "ValidationError",
                            format!("Attributes[{i}].Value"),
                            "deregistration_delay.timeout_seconds must be 0-3600.",
                        )
                    })?;
                }
                "load_balancing.algorithm.type" => {
                    if !["round_robin", "least_outstanding_requests"].contains(&a.value.as_str()) {
                        return Err(ApiError::new(
                            "ValidationError",
                            format!("Attributes[{i}].Value"),
                            "load_balancing.algorithm.type must be round_robin or least_outstanding_requests.",
                        ));
                    }
                    algorithm = a.value.clone();
                }
                _ => {}
            }
        }
        let id = TargetGroupId(self.target_groups.len() as u32);
        self.target_groups.push(TargetGroup {
            name: tg.name.clone(),
            target_group_arn: arn(&tg.name),
            target_type,
            port: tg.port.unwrap_or(80) as u16,
            protocol,
            health_check_protocol: health_check.protocol,
            client_ip_preserved,
            health_check_path: health_check.path,
            interval: health_check.interval,
            timeout: health_check.timeout,
            healthy_threshold: health_check.healthy_threshold,
            unhealthy_threshold: health_check.unhealthy_threshold,
            matcher: health_check.matcher,
            deregistration_delay: dereg,
            algorithm,
            targets: Vec::new(),
            spec: tg.clone(),
            checks_scheduled: false,
        });
        Ok(id)
    }

    /// The target group named `name` takes the ARN a scenario wrote down for it.
    pub fn keep_given_arn(&mut self, name: &str, arn: &str) {
        if let Some(tg) = self.target_groups.iter_mut().find(|t| t.name == name) {
            tg.target_group_arn = arn.to_string();
        }
    }

    /// ModifyTargetGroup's HealthCheckPath (Express Mode's health check path update).
    pub fn set_health_check_path(&mut self, id: TargetGroupId, path: &str) {
        if let Some(tg) = self.target_groups.get_mut(id.idx()) {
            tg.health_check_path = path.to_string();
            tg.spec.health_check_path = Some(path.to_string());
        }
    }

    // ---- registrations ------------------------------------------------------------------------

    /// RegisterTargets: the target starts `initial` (`Elb.RegistrationInProgress`). Returns its
    /// index in the group's targets.
    pub fn register_target(&mut self, tg: TargetGroupId, task: TaskId, id: String, port: u16, now: SimTime) -> usize {
        let targets = &mut self.target_groups[tg.idx()].targets;
        targets.push(Target {
            id,
            port,
            task,
            state: TargetHealthState::Initial,
            reason: Some("Elb.RegistrationInProgress".into()),
            consecutive_ok: 0,
            consecutive_fail: 0,
            registered_at: now,
            draining_since: None,
            requests_this_minute: 0,
            last_code: None,
        });
        let i = targets.len() - 1;
        self.task_health_mut(task).push((tg, TargetHealthState::Initial));
        i
    }

    /// The group has a target to check: returns the interval (seconds) after which the first
    /// periodic health check is due, or None when one is already scheduled.
    pub fn start_health_checks(&mut self, tg: TargetGroupId) -> Option<u32> {
        let g = &mut self.target_groups[tg.idx()];
        if g.checks_scheduled {
            return None;
        }
        g.checks_scheduled = true;
        Some(g.interval)
    }

    /// The task is RUNNING: its `initial` targets move on to `Elb.InitialHealthChecking`.
    /// Returns the targets that changed (group, index).
    pub fn begin_health_checking(&mut self, task: TaskId) -> Vec<(TargetGroupId, usize)> {
        let mut changed = Vec::new();
        for (g, group) in self.target_groups.iter_mut().enumerate() {
            for (i, t) in group.targets.iter_mut().enumerate() {
                if t.task == task && t.state == TargetHealthState::Initial {
                    t.reason = Some("Elb.InitialHealthChecking".into());
                    changed.push((TargetGroupId(g as u32), i));
                }
            }
        }
        changed
    }

    /// DeregisterTargets for a stopping task: its targets go `draining`
    /// (`Target.DeregistrationInProgress`). Per target group where any did: the indexes of the
    /// targets that began draining.
    pub fn begin_draining(&mut self, task: TaskId, now: SimTime) -> Vec<(TargetGroupId, Vec<usize>)> {
        let mut out = Vec::new();
        for g in 0..self.target_groups.len() {
            let tg = TargetGroupId(g as u32);
            let mut drained = Vec::new();
            for (i, t) in self.target_groups[g].targets.iter_mut().enumerate() {
                if t.task == task && t.state != TargetHealthState::Draining {
                    t.state = TargetHealthState::Draining;
                    t.reason = Some("Target.DeregistrationInProgress".into());
                    t.draining_since = Some(now);
                    drained.push(i);
                }
            }
            if !drained.is_empty() {
                self.set_task_health(task, tg, Some(TargetHealthState::Draining));
                out.push((tg, drained));
            }
        }
        out
    }

    /// The task's targets whose deregistration delay has elapsed leave their groups (state
    /// `unused`, `Target.NotRegistered`); returned in the order they left, with their group.
    pub fn complete_deregistration(&mut self, task: TaskId, now: SimTime) -> Vec<(TargetGroupId, Target)> {
        let mut out = Vec::new();
        for g in 0..self.target_groups.len() {
            let tg = TargetGroupId(g as u32);
            let delay = self.target_groups[g].deregistration_delay as SimTime * SECOND;
            let mut i = 0;
            while i < self.target_groups[g].targets.len() {
                let t = &self.target_groups[g].targets[i];
                if t.task == task && t.draining_since.is_some_and(|at| now >= at + delay) {
                    let mut t = self.target_groups[g].targets.remove(i);
                    t.state = TargetHealthState::Unused;
                    t.reason = Some("Target.NotRegistered".into());
                    self.set_task_health(task, tg, None);
                    out.push((tg, t));
                } else {
                    i += 1;
                }
            }
        }
        out
    }

    // ---- health checks ------------------------------------------------------------------------

    /// The targets a health check round reaches (registered, not draining): (index, task, port).
    pub fn targets_to_check(&self, tg: TargetGroupId) -> Vec<(usize, TaskId, u16)> {
        let Some(g) = self.target_groups.get(tg.idx()) else { return Vec::new() };
        g.targets
            .iter()
            .enumerate()
            .filter(|(_, t)| !matches!(t.state, TargetHealthState::Draining | TargetHealthState::Unused))
            .map(|(i, t)| (i, t.task, t.port))
            .collect()
    }

    /// One health check of target `i`: `code` is the HTTP code the application answered (None:
    /// no answer, the request timed out). A TCP health check passes on any answer (the connection
    /// opened). Returns the target's new state when it changed.
    pub fn record_health_check(&mut self, tg: TargetGroupId, i: usize, code: Option<u16>) -> Option<TargetHealthState> {
        let g = &mut self.target_groups[tg.idx()];
        let tcp = g.tcp_health_check();
        let ok = if tcp { code.is_some() } else { code.is_some_and(|c| matcher_accepts(&g.matcher, c)) };
        let (healthy_n, unhealthy_n) = (g.healthy_threshold, g.unhealthy_threshold);
        let t = &mut g.targets[i];
        t.last_code = if tcp { None } else { code };
        let new_state = if ok {
            t.consecutive_ok += 1;
            t.consecutive_fail = 0;
            match t.state {
                // "After you register a target, it must pass one health check to be considered
                // healthy."
                TargetHealthState::Initial => Some(TargetHealthState::Healthy),
                TargetHealthState::Unhealthy if t.consecutive_ok >= healthy_n => Some(TargetHealthState::Healthy),
                _ => None,
            }
        } else {
            t.consecutive_fail += 1;
            t.consecutive_ok = 0;
            match t.state {
                TargetHealthState::Initial | TargetHealthState::Healthy if t.consecutive_fail >= unhealthy_n => {
                    Some(TargetHealthState::Unhealthy)
                }
                _ => None,
            }
        }?;
        t.state = new_state;
        t.reason = match (new_state, code) {
            (TargetHealthState::Healthy, _) => None,
            // ELBv2 TargetHealth reason of a failed NLB health check.
            _ if tcp => Some("Target.FailedHealthChecks".into()),
            (_, Some(_)) => Some("Target.ResponseCodeMismatch".into()),
            (_, None) => Some("Target.Timeout".into()),
        };
        let task = t.task;
        self.set_task_health(task, tg, Some(new_state));
        Some(new_state)
    }

    /// A health check round ended: returns the interval (seconds) to the next round when it
    /// reached any target, otherwise stops the periodic checks until a target registers.
    pub fn end_health_check_round(&mut self, tg: TargetGroupId, reached_any: bool) -> Option<u32> {
        let g = &mut self.target_groups[tg.idx()];
        if reached_any {
            Some(g.interval)
        } else {
            g.checks_scheduled = false;
            None
        }
    }

    /// The task's targets: (target group, state), in registration order.
    pub fn health_of(&self, task: TaskId) -> &[(TargetGroupId, TargetHealthState)] {
        self.task_health.get(task.idx()).map_or(&[], Vec::as_slice)
    }
    /// The task is registered and healthy in `tg`.
    pub fn is_healthy_in(&self, task: TaskId, tg: TargetGroupId) -> bool {
        self.health_of(task).iter().any(|(g, st)| *g == tg && *st == TargetHealthState::Healthy)
    }
    /// The task's target is unhealthy in some target group.
    pub fn is_unhealthy(&self, task: TaskId) -> bool {
        self.health_of(task).iter().any(|(_, st)| *st == TargetHealthState::Unhealthy)
    }
    /// The ARN of the target group the task is unhealthy in, if any (for the stopped reason).
    pub fn unhealthy_target_group(&self, task: TaskId) -> Option<&str> {
        self.health_of(task).iter().find(|(_, st)| *st == TargetHealthState::Unhealthy).map(|(tg, _)| self.arn(*tg))
    }
    /// The task has a target that is registered and not draining.
    pub fn is_registered(&self, task: TaskId) -> bool {
        self.health_of(task).iter().any(|(_, st)| *st != TargetHealthState::Draining)
    }

    fn task_health_mut(&mut self, task: TaskId) -> &mut Vec<(TargetGroupId, TargetHealthState)> {
        if self.task_health.len() <= task.idx() {
            self.task_health.resize_with(task.idx() + 1, Vec::new);
        }
        &mut self.task_health[task.idx()]
    }

    /// Keep `task_health` in step with the target group (None: the target is gone).
    fn set_task_health(&mut self, task: TaskId, tg: TargetGroupId, state: Option<TargetHealthState>) {
        let health = self.task_health_mut(task);
        match (health.iter().position(|(g, _)| *g == tg), state) {
            (Some(k), Some(st)) => health[k].1 = st,
            (Some(k), None) => {
                health.remove(k);
            }
            (None, Some(st)) => health.push((tg, st)),
            (None, None) => {}
        }
    }

    // ---- requests -----------------------------------------------------------------------------

    /// A new one-minute window: no target has answered a request yet.
    pub fn clear_requests(&mut self, tg: TargetGroupId) {
        for t in &mut self.target_groups[tg.idx()].targets {
            t.requests_this_minute = 0;
        }
    }
    /// Target `i` answered `n` requests this minute.
    pub fn set_requests(&mut self, tg: TargetGroupId, i: usize, n: u64) {
        if let Some(t) = self.target_groups[tg.idx()].targets.get_mut(i) {
            t.requests_this_minute = n;
        }
    }

    // ---- listener rules -----------------------------------------------------------------------

    pub fn listener_rules(&self) -> &[ListenerRuleState] {
        &self.listener_rules
    }
    pub fn rule(&self, k: usize) -> &ListenerRuleState {
        &self.listener_rules[k]
    }
    /// The listener rule a reference names (the scenario's name or the full ARN).
    pub fn rule_by_ref(&self, r: &str) -> Option<usize> {
        self.listener_rules.iter().position(|x| x.name == r || x.rule_arn == r)
    }
    /// Whether rule `k` forwards to both target groups.
    pub fn rule_forwards_to_both(&self, k: usize, a: TargetGroupId, b: TargetGroupId) -> bool {
        let fwd = &self.listener_rules[k].forward;
        fwd.iter().any(|(t, _)| *t == a) && fwd.iter().any(|(t, _)| *t == b)
    }
    pub fn add_listener_rule(&mut self, rule: ListenerRuleState) -> usize {
        self.listener_rules.push(rule);
        self.listener_rules.len() - 1
    }
    /// ModifyRule's forward weights: `to` gets `weight_to`, every other target group `weight_rest`.
    pub fn set_forward_weights(&mut self, k: usize, to: TargetGroupId, weight_to: u32, weight_rest: u32) {
        if let Some(r) = self.listener_rules.get_mut(k) {
            for (tg, w) in r.forward.iter_mut() {
                *w = if *tg == to { weight_to } else { weight_rest };
            }
        }
    }
    /// The share of rule `k`'s requests each of its target groups gets now.
    pub fn rule_shares(&self, k: usize) -> Vec<(TargetGroupId, f64)> {
        let fwd = &self.listener_rules[k].forward;
        let total: f64 = fwd.iter().map(|(_, w)| *w as f64).sum();
        if total <= 0.0 {
            return Vec::new();
        }
        fwd.iter().map(|(tg, w)| (*tg, *w as f64 / total)).collect()
    }
    /// Listener rule `k` in DescribeRules' `Rule` shape with its live weights.
    pub fn rule_json(&self, k: usize) -> Value {
        let r = &self.listener_rules[k];
        let tgs: Vec<Value> =
            r.forward.iter().map(|(tg, w)| json!({"TargetGroupArn": self.arn(*tg), "Weight": w})).collect();
        let mut v = json!({
            "RuleArn": r.rule_arn,
            "Actions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": tgs}}],
            "IsDefault": r.spec.is_default.unwrap_or(false),
        });
        if let Some(p) = &r.priority {
            v["Priority"] = json!(p);
        }
        if let Some(c) = &r.spec.conditions {
            v["Conditions"] = c.clone();
        }
        v
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code
    use super::*;

    #[test]
    fn matcher_forms() {
        assert!(matcher_accepts("200", 200));
        assert!(!matcher_accepts("200", 500));
        assert!(matcher_accepts("200,302", 302));
        assert!(matcher_accepts("200-299", 204));
        assert!(!matcher_accepts("200-299", 301));
    }

    fn one_group(healthy: u32, unhealthy: u32, dereg: &str) -> (LoadBalancing, TargetGroupId) {
        let mut elb = LoadBalancing::default();
        let req: CreateTargetGroup = serde_json::from_value(json!({
            "Name": "web", "Port": 80, "Protocol": "HTTP",
            "HealthyThresholdCount": healthy, "UnhealthyThresholdCount": unhealthy,
            "Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": dereg}],
        }))
        .unwrap();
        let tg = elb.create_target_group(&req, |n| format!("arn:tg/{n}")).unwrap();
        (elb, tg)
    }

    /// "After you register a target, it must pass one health check to be considered healthy";
    /// UnhealthyThresholdCount consecutive failures take it out of service, HealthyThresholdCount
    /// consecutive successes put it back (ALB target group health checks).
    #[test]
    fn health_check_thresholds() {
        let (mut elb, tg) = one_group(3, 2, "300");
        let task = TaskId(4);
        let i = elb.register_target(tg, task, "10.0.0.5".into(), 80, 0);
        assert_eq!(elb.health_of(task), &[(tg, TargetHealthState::Initial)]);
        assert_eq!(elb.start_health_checks(tg), Some(30));
        assert_eq!(elb.start_health_checks(tg), None, "one periodic check per group");
        assert_eq!(elb.record_health_check(tg, i, Some(200)), Some(TargetHealthState::Healthy));
        assert!(elb.is_healthy_in(task, tg));
        assert_eq!(elb.record_health_check(tg, i, Some(500)), None, "one failure is below the threshold");
        assert_eq!(elb.record_health_check(tg, i, Some(500)), Some(TargetHealthState::Unhealthy));
        assert_eq!(elb.group(tg).targets[i].reason.as_deref(), Some("Target.ResponseCodeMismatch"));
        assert_eq!(elb.unhealthy_target_group(task), Some("arn:tg/web"));
        assert_eq!(elb.record_health_check(tg, i, Some(200)), None);
        assert_eq!(elb.record_health_check(tg, i, Some(200)), None);
        assert_eq!(elb.record_health_check(tg, i, Some(200)), Some(TargetHealthState::Healthy));
        assert!(!elb.is_unhealthy(task));
        assert_eq!(elb.record_health_check(tg, i, None), None);
        assert_eq!(elb.record_health_check(tg, i, None), Some(TargetHealthState::Unhealthy));
        assert_eq!(elb.group(tg).targets[i].reason.as_deref(), Some("Target.Timeout"));
    }

    /// A deregistering target is `draining` until the deregistration delay elapses, then `unused`
    /// and gone; health checks no longer reach it.
    #[test]
    fn draining_then_unused_after_the_delay() {
        let (mut elb, tg) = one_group(5, 2, "60");
        let task = TaskId(0);
        elb.register_target(tg, task, "10.0.0.5".into(), 80, 0);
        assert!(elb.is_registered(task));
        assert_eq!(elb.begin_draining(task, 1_000), vec![(tg, vec![0])]);
        assert!(!elb.is_registered(task));
        assert!(elb.targets_to_check(tg).is_empty());
        assert!(elb.complete_deregistration(task, 60_999).is_empty());
        let gone = elb.complete_deregistration(task, 61_000);
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].1.state, TargetHealthState::Unused);
        assert_eq!(gone[0].1.reason.as_deref(), Some("Target.NotRegistered"));
        assert!(elb.group(tg).targets.is_empty());
        assert!(elb.health_of(task).is_empty());
        assert_eq!(elb.end_health_check_round(tg, false), None);
        assert_eq!(elb.start_health_checks(tg), Some(30), "a new target starts the checks again");
    }
}
