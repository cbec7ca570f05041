//! The Application Load Balancer side of ECS services: target registration, target health checks,
//! deregistration (draining) and what ECS does about unhealthy targets.
//!
//! Rules implemented:
//! - Registration happens while the task is ACTIVATING ("This is the state where Amazon ECS
//!   registers the task with the load balancer target groups", task lifecycle). Target type
//!   `instance` registers the container instance's EC2 id with the task's host port (dynamic host
//!   ports give every task its own port); target type `ip` registers the task ENI's private IP
//!   with the container port (ECS developer guide, "Use a load balancer to distribute Amazon ECS
//!   service traffic").
//! - Target states and reason codes are the ELBv2 `TargetHealth` ones: `initial`
//!   (`Elb.RegistrationInProgress`, `Elb.InitialHealthChecking`), `healthy`, `unhealthy`
//!   (`Target.ResponseCodeMismatch`, `Target.Timeout`), `draining`
//!   (`Target.DeregistrationInProgress`) and `unused` (`Target.NotRegistered`).
//! - "The load balancer sends a health check request to each registered target every
//!   HealthCheckIntervalSeconds seconds ... After you register a target, it must pass one health
//!   check to be considered healthy. ... If the health checks exceed UnhealthyThresholdCount
//!   consecutive failures, the load balancer takes the target out of service. When the health
//!   checks exceed HealthyThresholdCount consecutive successes, the load balancer puts the target
//!   back in service." (ALB user guide, "Health checks for Application Load Balancer target
//!   groups").
//! - Deregistration: "Elastic Load Balancing stops sending requests to targets that are
//!   deregistering. By default, Elastic Load Balancing waits 300 seconds before completing the
//!   deregistration process ... The initial state of a deregistering target is draining. After the
//!   deregistration delay elapses, the deregistration process completes and the state of the target
//!   is unused." (ALB user guide, "Deregistration delay"). ECS keeps the task DEACTIVATING until
//!   then ("tasks will be deregistered from the ELB before they enter a stopped state", ECS What's
//!   New, Feb 2023). Simplification: ELB may complete early when a target has no in-flight
//!   requests; the playground always waits the full delay, as the console shows the target
//!   `draining` until the delay expires either way.
//! - A service task whose target is unhealthy (after the grace period) is stopped and replaced;
//!   "Tasks stopped due to failed Elastic Load Balancing health checks" do not trigger the throttle
//!   logic (service throttle logic).
//!
//! Health checks run as one periodic event per target group (not per target), only while the
//! target group has targets to check.

use super::queue::Event;
use super::Simulation;
use crate::log::kind;
use crate::model::{Target, TargetGroupId, TargetHealthState, Task, TaskId};
use crate::time::{SimTime, SECOND};
use serde_json::json;

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

impl Simulation {
    /// Register a service task with each of its service's target groups.
    pub(super) fn register_task_targets(&mut self, id: TaskId) {
        let Some(s) = self.state.tasks[id.idx()].service else { return };
        let dep = self.state.tasks[id.idx()].deployment;
        let svc = &self.state.services[s.idx()];
        // A blue/green (linear, canary) deployment's tasks register in the target group of their
        // deployment: the alternate one for green (sim/blue_green.rs).
        let pairs: Vec<(TargetGroupId, String, u32)> = svc
            .spec
            .load_balancers
            .iter()
            .enumerate()
            .filter_map(|(k, lb)| {
                self.deployment_target_group(s, dep, k).map(|tg| (tg, lb.container_name.clone(), lb.container_port))
            })
            .collect();
        let name = svc.service_name.clone();
        for (tg, container, port) in pairs {
            let t = &self.state.tasks[id.idx()];
            let target = if self.state.target_groups[tg.idx()].target_type == "ip" {
                t.private_ip.clone().map(|ip| (ip, port as u16))
            } else {
                let host_port = t
                    .bindings
                    .iter()
                    .find(|b| b.container_name == container && b.container_port as u32 == port)
                    .map(|b| b.host_port);
                match (t.instance, host_port) {
                    (Some(i), Some(hp)) => Some((self.state.instances[i.idx()].ec2_instance_id.clone(), hp)),
                    _ => None,
                }
            };
            let Some((target_id, target_port)) = target else { continue };
            let group = &mut self.state.target_groups[tg.idx()];
            group.targets.push(Target {
                id: target_id,
                port: target_port,
                task: id,
                state: TargetHealthState::Initial,
                reason: Some("Elb.RegistrationInProgress".into()),
                consecutive_ok: 0,
                consecutive_fail: 0,
                registered_at: self.now,
                draining_since: None,
                requests_this_minute: 0,
                last_code: None,
            });
            let arn = group.target_group_arn.clone();
            let idx = group.targets.len() - 1;
            self.state.tasks[id.idx()].target_health.push((tg, TargetHealthState::Initial));
            self.touch_task(id);
            self.log_target(tg, idx);
            self.service_event(s, format!("(service {name}) registered 1 targets in (target-group {arn})"));
            self.ensure_health_checks(tg);
        }
    }

    /// The task is RUNNING: registration is done and the load balancer's first checks are due.
    pub(super) fn targets_begin_health_checking(&mut self, id: TaskId) {
        for tg in 0..self.state.target_groups.len() {
            for i in 0..self.state.target_groups[tg].targets.len() {
                let t = &mut self.state.target_groups[tg].targets[i];
                if t.task == id && t.state == TargetHealthState::Initial {
                    t.reason = Some("Elb.InitialHealthChecking".into());
                    self.log_target(TargetGroupId(tg as u32), i);
                }
            }
        }
    }

    fn ensure_health_checks(&mut self, tg: TargetGroupId) {
        let g = &mut self.state.target_groups[tg.idx()];
        if !g.checks_scheduled {
            g.checks_scheduled = true;
            let at = self.now + g.interval as SimTime * SECOND;
            self.schedule(at, Event::TargetGroupHealthCheck(tg));
        }
    }

    /// Deregister a stopping task's targets: they go `draining`. Returns the longest deregistration
    /// delay (seconds) among its target groups, or None when it had no targets.
    pub(super) fn drain_task_targets(&mut self, id: TaskId) -> Option<u32> {
        let mut delay = None;
        let service = self.state.tasks[id.idx()].service;
        for tg in 0..self.state.target_groups.len() {
            let mut drained = 0;
            for i in 0..self.state.target_groups[tg].targets.len() {
                let t = &mut self.state.target_groups[tg].targets[i];
                if t.task == id && t.state != TargetHealthState::Draining {
                    t.state = TargetHealthState::Draining;
                    t.reason = Some("Target.DeregistrationInProgress".into());
                    t.draining_since = Some(self.now);
                    drained += 1;
                    set_task_target(
                        &mut self.state.tasks[id.idx()],
                        TargetGroupId(tg as u32),
                        Some(TargetHealthState::Draining),
                    );
                    self.touch_task(id);
                    self.log_target(TargetGroupId(tg as u32), i);
                }
            }
            if drained > 0 {
                let g = &self.state.target_groups[tg];
                let d = g.deregistration_delay;
                let arn = g.target_group_arn.clone();
                delay = Some(delay.map_or(d, |x: u32| x.max(d)));
                if let Some(s) = service {
                    let name = self.state.services[s.idx()].service_name.clone();
                    self.service_event(s, format!("(service {name}) has begun draining connections on 1 tasks."));
                    self.service_event(
                        s,
                        format!("(service {name}) deregistered {drained} targets in (target-group {arn})"),
                    );
                }
            }
        }
        if let Some(d) = delay {
            let at = self.now + d as SimTime * SECOND;
            self.schedule(at, Event::DeregistrationComplete { task: id });
        }
        delay
    }

    /// Remove the task's targets whose deregistration delay has elapsed (state `unused`).
    pub(super) fn complete_deregistration(&mut self, id: TaskId) {
        for tg in 0..self.state.target_groups.len() {
            let delay = self.state.target_groups[tg].deregistration_delay as SimTime * SECOND;
            let mut i = 0;
            while i < self.state.target_groups[tg].targets.len() {
                let t = &self.state.target_groups[tg].targets[i];
                let done = t.task == id && t.draining_since.is_some_and(|at| self.now >= at + delay);
                if done {
                    {
                        let t = &mut self.state.target_groups[tg].targets[i];
                        t.state = TargetHealthState::Unused;
                        t.reason = Some("Target.NotRegistered".into());
                    }
                    self.log_target(TargetGroupId(tg as u32), i);
                    self.state.target_groups[tg].targets.remove(i);
                    set_task_target(&mut self.state.tasks[id.idx()], TargetGroupId(tg as u32), None);
                    self.touch_task(id);
                } else {
                    i += 1;
                }
            }
        }
    }

    /// One round of health checks on every registered (not draining) target of a target group.
    pub(super) fn on_target_group_health_check(&mut self, tg: TargetGroupId) {
        let Some(g) = self.state.target_groups.get(tg.idx()) else { return };
        let (matcher, healthy_n, unhealthy_n, arn) =
            (g.matcher.clone(), g.healthy_threshold, g.unhealthy_threshold, g.target_group_arn.clone());
        // A Network Load Balancer's TCP health check opens a connection and sends no request:
        // it passes while the container accepts connections, whatever HTTP code the application
        // would answer, and the application logs nothing (crate::nlb).
        let tcp = g.tcp_health_check();
        let mut any = false;
        let mut touched = Vec::new();
        let path: std::sync::Arc<str> = g.health_check_path.as_str().into();
        for i in 0..self.state.target_groups[tg.idx()].targets.len() {
            let (task, state, port) = {
                let t = &self.state.target_groups[tg.idx()].targets[i];
                (t.task, t.state, t.port)
            };
            if state == TargetHealthState::Draining || state == TargetHealthState::Unused {
                continue;
            }
            any = true;
            let container = self.lb_container(task, tg);
            // A security group that keeps the load balancer out: the request never reaches the
            // application and times out (sim/vpc.rs).
            let code = if self.vpc_target_blocked(task, tg, port) {
                None
            } else {
                container.as_deref().and_then(|c| self.app_http_status(task, c))
            };
            if let (Some(c), Some(code), false) = (container.as_deref(), code, tcp) {
                // The application logs the health check request it answered (sim/awslogs.rs).
                self.awslogs_health_check(task, c, &path, code);
            }
            let ok = if tcp { code.is_some() } else { code.is_some_and(|c| matcher_accepts(&matcher, c)) };
            let t = &mut self.state.target_groups[tg.idx()].targets[i];
            t.last_code = if tcp { None } else { code };
            let new_state = if ok {
                t.consecutive_ok += 1;
                t.consecutive_fail = 0;
                match t.state {
                    // "After you register a target, it must pass one health check to be
                    // considered healthy."
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
            };
            if let Some(ns) = new_state {
                t.state = ns;
                set_task_target(&mut self.state.tasks[task.idx()], tg, Some(ns));
                self.touch_task(task);
                let t = &mut self.state.target_groups[tg.idx()].targets[i];
                t.reason = match (ns, code) {
                    (TargetHealthState::Healthy, _) => None,
                    // ELBv2 TargetHealth reason of a failed NLB health check.
                    _ if tcp => Some("Target.FailedHealthChecks".into()),
                    (_, Some(_)) => Some("Target.ResponseCodeMismatch".into()),
                    (_, None) => Some("Target.Timeout".into()),
                };
                touched.push((i, task, ns, code));
                self.log_target(tg, i);
            }
        }
        for (i, task, ns, code) in touched {
            let Some(s) = self.state.tasks[task.idx()].service else { continue };
            if ns == TargetHealthState::Unhealthy {
                let (tid, port) = {
                    let t = &self.state.target_groups[tg.idx()].targets[i];
                    (t.id.clone(), t.port)
                };
                let name = self.state.services[s.idx()].service_name.clone();
                let who = if tid.starts_with("i-") {
                    format!("(instance {tid})")
                } else {
                    format!("(task {})", self.state.tasks[task.idx()].task_id)
                };
                let why = match code {
                    _ if tcp => "Health checks failed".to_string(),
                    Some(c) => format!("Health checks failed with these codes: [{c}]"),
                    None => "Request timed out".to_string(),
                };
                self.service_event(s, format!("(service {name}) {who} (port {port}) is unhealthy in (target-group {arn}) due to (reason {why})."));
            }
            self.request_reconcile(s);
        }
        let g = &mut self.state.target_groups[tg.idx()];
        if any {
            let at = self.now + g.interval as SimTime * SECOND;
            self.schedule(at, Event::TargetGroupHealthCheck(tg));
        } else {
            g.checks_scheduled = false;
        }
    }

    /// The container a service's load balancer entry for this target group points at.
    pub(super) fn lb_container(&self, task: TaskId, tg: TargetGroupId) -> Option<String> {
        let s = self.state.tasks[task.idx()].service?;
        let svc = &self.state.services[s.idx()];
        let k = svc
            .target_groups
            .iter()
            .position(|x| *x == tg)
            .or_else(|| svc.alternate_target_groups.iter().position(|x| *x == Some(tg)))?;
        svc.spec.load_balancers.get(k).map(|lb| lb.container_name.clone())
    }

    /// The target group the task is unhealthy in, if any (for the stopped reason).
    pub(super) fn unhealthy_target_group(&self, task: TaskId) -> Option<String> {
        self.state.tasks[task.idx()]
            .target_health
            .iter()
            .find(|(_, st)| *st == TargetHealthState::Unhealthy)
            .map(|(tg, _)| self.state.target_groups[tg.idx()].target_group_arn.clone())
    }

    /// The `detail` of a TargetHealthChange trace line.
    fn log_target(&mut self, tg: TargetGroupId, i: usize) {
        let g = &self.state.target_groups[tg.idx()];
        let Some(t) = g.targets.get(i) else { return };
        let detail = json!({
            "targetGroupArn": g.target_group_arn,
            "target": {"id": t.id, "port": t.port},
            "taskArn": self.state.tasks[t.task.idx()].task_arn,
            "state": t.state,
            "reason": t.reason,
        });
        self.log.push(self.now, kind::TARGET_HEALTH_CHANGE, detail);
    }
}

/// Keep `Task::target_health` in step with the target group (None: the target is gone).
fn set_task_target(task: &mut Task, tg: TargetGroupId, state: Option<TargetHealthState>) {
    match (task.target_health.iter().position(|(g, _)| *g == tg), state) {
        (Some(k), Some(st)) => task.target_health[k].1 = st,
        (Some(k), None) => {
            task.target_health.remove(k);
        }
        (None, Some(st)) => task.target_health.push((tg, st)),
        (None, None) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::matcher_accepts;

    #[test]
    fn matcher_forms() {
        assert!(matcher_accepts("200", 200));
        assert!(!matcher_accepts("200", 500));
        assert!(matcher_accepts("200,302", 302));
        assert!(matcher_accepts("200-299", 204));
        assert!(!matcher_accepts("200-299", 301));
    }
}
