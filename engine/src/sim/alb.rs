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
use crate::model::{Target, TargetGroupId, TargetHealthState, TaskId};
use crate::time::{SimTime, SECOND};
use serde_json::{json, Value};

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
            let target = if self.state.elb.group(tg).target_type == "ip" {
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
            let idx = self.state.elb.register_target(tg, id, target_id, target_port, self.now);
            self.touch_task(id);
            let arn = self.state.elb.arn(tg).to_string();
            self.log_target(tg, idx);
            self.service_event(s, format!("(service {name}) registered 1 targets in (target-group {arn})"));
            if let Some(interval) = self.state.elb.start_health_checks(tg) {
                let at = self.now + interval as SimTime * SECOND;
                self.schedule(at, Event::TargetGroupHealthCheck(tg));
            }
        }
    }

    /// The task is RUNNING: registration is done and the load balancer's first checks are due.
    pub(super) fn targets_begin_health_checking(&mut self, id: TaskId) {
        for (tg, i) in self.state.elb.begin_health_checking(id) {
            self.log_target(tg, i);
        }
    }

    /// Deregister a stopping task's targets: they go `draining`. Returns the longest deregistration
    /// delay (seconds) among its target groups, or None when it had no targets.
    pub(super) fn drain_task_targets(&mut self, id: TaskId) -> Option<u32> {
        let mut delay = None;
        let service = self.state.tasks[id.idx()].service;
        for (tg, drained) in self.state.elb.begin_draining(id, self.now) {
            for &i in &drained {
                self.log_target(tg, i);
            }
            let g = self.state.elb.group(tg);
            let d = g.deregistration_delay;
            let arn = g.target_group_arn.clone();
            delay = Some(delay.map_or(d, |x: u32| x.max(d)));
            if let Some(s) = service {
                let name = self.state.services[s.idx()].service_name.clone();
                let n = drained.len();
                self.service_event(s, format!("(service {name}) has begun draining connections on 1 tasks."));
                self.service_event(s, format!("(service {name}) deregistered {n} targets in (target-group {arn})"));
            }
        }
        // The task's targets went draining (sim/health_index.rs).
        self.touch_task(id);
        if let Some(d) = delay {
            let at = self.now + d as SimTime * SECOND;
            self.schedule(at, Event::DeregistrationComplete { task: id });
        }
        delay
    }

    /// Remove the task's targets whose deregistration delay has elapsed (state `unused`).
    pub(super) fn complete_deregistration(&mut self, id: TaskId) {
        for (tg, target) in self.state.elb.complete_deregistration(id, self.now) {
            let detail = self.target_detail(self.state.elb.arn(tg), &target);
            self.log.push(self.now, kind::TARGET_HEALTH_CHANGE, detail);
        }
        // The task's target health changed (sim/health_index.rs).
        self.touch_task(id);
    }

    /// One round of health checks on every registered (not draining) target of a target group.
    pub(super) fn on_target_group_health_check(&mut self, tg: TargetGroupId) {
        let Some(g) = self.state.elb.get(tg) else { return };
        let arn = g.target_group_arn.clone();
        // A Network Load Balancer's TCP health check opens a connection and sends no request:
        // it passes while the container accepts connections, whatever HTTP code the application
        // would answer, and the application logs nothing (crate::nlb).
        let tcp = g.tcp_health_check();
        let path: std::sync::Arc<str> = g.health_check_path.as_str().into();
        let due = self.state.elb.targets_to_check(tg);
        let mut touched = Vec::new();
        for &(i, task, port) in &due {
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
            if let Some(ns) = self.state.elb.record_health_check(tg, i, code) {
                self.touch_task(task);
                touched.push((i, task, ns, code));
                self.log_target(tg, i);
            }
        }
        for (i, task, ns, code) in touched {
            let Some(s) = self.state.tasks[task.idx()].service else { continue };
            if ns == TargetHealthState::Unhealthy {
                let (tid, port) = {
                    let t = &self.state.elb.group(tg).targets[i];
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
        if let Some(interval) = self.state.elb.end_health_check_round(tg, !due.is_empty()) {
            let at = self.now + interval as SimTime * SECOND;
            self.schedule(at, Event::TargetGroupHealthCheck(tg));
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
        self.state.elb.unhealthy_target_group(task).map(str::to_string)
    }

    /// A TargetHealthChange trace line for target `i` of a target group.
    fn log_target(&mut self, tg: TargetGroupId, i: usize) {
        let g = self.state.elb.group(tg);
        let Some(t) = g.targets.get(i) else { return };
        let detail = self.target_detail(&g.target_group_arn, t);
        self.log.push(self.now, kind::TARGET_HEALTH_CHANGE, detail);
    }

    /// The `detail` of a TargetHealthChange trace line.
    fn target_detail(&self, target_group_arn: &str, t: &Target) -> Value {
        json!({
            "targetGroupArn": target_group_arn,
            "target": {"id": t.id, "port": t.port},
            "taskArn": self.state.tasks[t.task.idx()].task_arn,
            "state": t.state,
            "reason": t.reason,
        })
    }
}
