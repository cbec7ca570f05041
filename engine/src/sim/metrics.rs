//! CloudWatch one-minute datapoints: task CPU and memory from the routed traffic, the service
//! averages of `AWS/ECS`, and the target group metrics of `AWS/ApplicationELB`.
//!
//! Rules implemented:
//! - "Amazon ECS sends metrics to CloudWatch at one-minute intervals. These metrics are collected
//!   for resources that have tasks in the RUNNING state." (Amazon ECS CloudWatch metrics.)
//! - Service CPU utilization (Average) = (Total CPU units used by tasks in service) x 100 /
//!   ((Total CPU units specified in the task definition) x (Number of tasks in the service)), and
//!   the same for memory in MiB (Amazon ECS service utilization metrics).
//! - "Elastic Load Balancing reports metrics to CloudWatch only when requests are flowing through
//!   the load balancer ... in 60-second intervals." `RequestCountPerTarget` is the target group's
//!   request count divided by the number of healthy targets (all registered targets when none is
//!   healthy). `HealthyHostCount` / `UnHealthyHostCount` are emitted whenever the target group has
//!   registered targets.

use super::queue::Event;
use super::Simulation;
use crate::error::{ApiError, ApiResult};
use crate::log::kind;
use crate::model::{ServiceId, TargetGroupId, TargetHealthState, TaskId, TaskStatus};
use crate::scenario::TargetGroupTraffic;
use crate::time::MINUTE;
use serde_json::json;
use std::collections::BTreeMap;

/// CPU an idle task burns, percent of its reservation; memory an idle task holds without a
/// traffic entry (MiB). Modelling defaults.
const IDLE_CPU_PERCENT: f64 = 1.0;
const IDLE_MEMORY_MIB: f64 = 64.0;

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[derive(Default)]
struct TaskLoad {
    cpu_ms_per_s: f64,
    memory_mib: f64,
}

impl Simulation {
    /// Validate the scenario's `traffic` section against its target groups.
    pub(super) fn check_traffic(&self) -> ApiResult<()> {
        let Some(tr) = &self.scenario.traffic else { return Ok(()) };
        for (i, t) in tr.target_groups.iter().enumerate() {
            let at = format!("traffic.targetGroups[{i}]");
            if let Some(r) = &t.listener_rule {
                if !t.target_group.is_empty() {
                    return Err(ApiError::invalid(
                        format!("{at}.listenerRule"),
                        "give either targetGroup or listenerRule, not both",
                    ));
                }
                if self.rule_by_ref(r).is_none() {
                    return Err(ApiError::invalid(
                        format!("{at}.listenerRule"),
                        format!("\"{r}\" is not one of the scenario's listenerRules"),
                    ));
                }
            } else if self.traffic_tg(&t.target_group).is_none() {
                return Err(ApiError::invalid(
                    format!("{at}.targetGroup"),
                    format!("\"{}\" is not one of the scenario's targetGroups", t.target_group),
                ));
            }
            t.requests_per_second.validate(&format!("{at}.requestsPerSecond"))?;
            for (name, v) in [
                ("cpuMsPerRequest", t.cpu_ms_per_request),
                ("latencyMs", t.latency_ms),
                ("memoryMibPerInFlightRequest", t.memory_mib_per_in_flight_request),
                ("baseMemoryMib", t.base_memory_mib),
            ] {
                if !(v.is_finite() && (0.0..=1e6).contains(&v)) {
                    return Err(ApiError::invalid(format!("{at}.{name}"), "must be a number between 0 and 1000000"));
                }
            }
        }
        Ok(())
    }

    fn traffic_tg(&self, r: &str) -> Option<TargetGroupId> {
        self.state.elb.by_name_or_arn(r, r)
    }

    /// The `ResourceLabel` an ALBRequestCountPerTarget policy names for target group `name`:
    /// "app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>",
    /// i.e. the CloudWatch LoadBalancer dimension, then the TargetGroup one.
    pub fn alb_resource_label(&self, name: &str) -> Option<String> {
        let g = self.state.elb.get(self.traffic_tg(name)?)?;
        let tg_dim = g.target_group_arn.rsplit(':').next().unwrap_or_default();
        Some(format!("{}/{tg_dim}", self.load_balancer_dimension()))
    }

    fn load_balancer_dimension(&self) -> String {
        let h = crate::log::fnv1a64(self.state.cluster_name.as_bytes());
        format!("app/{}-alb/{h}", self.state.cluster_name)
    }

    fn metric(&mut self, namespace: &str, name: &str, dims: serde_json::Value, value: f64, unit: &str) {
        let d = json!({
            "namespace": namespace,
            "metricName": name,
            "dimensions": dims.clone(),
            "value": round2(value),
            "unit": unit,
            "period": 60,
        });
        self.log.push(self.now, kind::METRIC, d);
        if !self.metric_alarms.is_empty() {
            self.minute_datapoints.push((namespace.to_string(), name.to_string(), dims, round2(value)));
        }
    }

    /// The minute that just ended: route its requests, derive utilization, emit datapoints.
    #[allow(clippy::needless_range_loop)]
    pub(super) fn metrics_tick(&mut self) {
        let now = self.now;
        self.minute_datapoints.clear();
        let from_s = now.saturating_sub(MINUTE) as f64 / 1000.0;
        let to_s = now as f64 / 1000.0;
        let specs: Vec<TargetGroupTraffic> =
            self.scenario.traffic.as_ref().map(|t| t.target_groups.clone()).unwrap_or_default();
        let lb = self.load_balancer_dimension();
        let mut loads: BTreeMap<TaskId, TaskLoad> = BTreeMap::new();
        // Per target group: (request count, per-target count) for the service metrics.
        let mut tg_stats: Vec<Option<(f64, f64)>> = vec![None; self.state.elb.target_groups().len()];
        for g in 0..self.state.elb.target_groups().len() {
            let tg = TargetGroupId(g as u32);
            // Requests, 5XX and RequestCountPerTarget are Application Load Balancer metrics; an
            // NLB target group carries TCP connections, which the playground does not model.
            if self.state.elb.group(tg).is_nlb() {
                continue;
            }
            let mut spec = specs
                .iter()
                .find(|s| s.listener_rule.is_none() && self.traffic_tg(&s.target_group) == Some(tg))
                .cloned();
            let mut requests = spec.as_ref().map(|s| s.requests_per_second.average(from_s, to_s) * 60.0).unwrap_or(0.0);
            // Requests of a listener rule: each target group gets its weight's share
            // ("distributed to these target groups based on their weights", ALB user guide).
            for sp in specs.iter().filter(|s| s.listener_rule.is_some()) {
                let rule = sp.listener_rule.as_deref().unwrap_or_default();
                for (to, share) in self.rule_shares(rule) {
                    if to == tg && share > 0.0 {
                        requests += sp.requests_per_second.average(from_s, to_s) * 60.0 * share;
                        if spec.is_none() {
                            spec = Some(sp.clone());
                        }
                    }
                }
            }
            let group = self.state.elb.group(tg);
            let healthy: Vec<usize> =
                (0..group.targets.len()).filter(|&i| group.targets[i].state == TargetHealthState::Healthy).collect();
            let unhealthy: Vec<usize> =
                (0..group.targets.len()).filter(|&i| group.targets[i].state == TargetHealthState::Unhealthy).collect();
            let registered = group
                .targets
                .iter()
                .filter(|t| !matches!(t.state, TargetHealthState::Draining | TargetHealthState::Unused))
                .count();
            let candidates = if healthy.is_empty() { unhealthy.clone() } else { healthy.clone() };
            let lor = group.algorithm == "least_outstanding_requests";
            let weights: Vec<f64> = candidates
                .iter()
                .map(|&i| if lor { self.state.tasks[group.targets[i].task.idx()].cpu.max(1) as f64 } else { 1.0 })
                .collect();
            let shares = super::traffic::split(requests, &weights);
            let elb_5xx = if candidates.is_empty() { requests } else { 0.0 };
            let mut target_5xx = 0.0;
            self.state.elb.clear_requests(tg);
            for (k, &i) in candidates.iter().enumerate() {
                let share = shares[k];
                self.state.elb.set_requests(tg, i, share.round() as u64);
                let (task, last_code) = {
                    let t = &self.state.elb.group(tg).targets[i];
                    (t.task, t.last_code)
                };
                let ok = last_code.is_some_and(|c| c < 500);
                if !ok {
                    target_5xx += share;
                } else if let Some(pct) =
                    self.lb_container(task, tg).and_then(|c| self.behavior(task, &c)).and_then(|b| b.error_percent)
                {
                    // containerBehaviors[].errorPercent: requests the app fails while healthy.
                    target_5xx += share * pct.clamp(0.0, 100.0) / 100.0;
                }
                // The application's access log: one aggregated line per target and status code
                // per minute (sim/awslogs.rs); no line when nothing answered.
                if let (Some(code), Some(c)) = (last_code, self.lb_container(task, tg)) {
                    self.awslogs_requests(task, &c, share.round() as u64, code);
                }
                if let Some(sp) = &spec {
                    let rps = share / 60.0;
                    let l = loads.entry(task).or_default();
                    l.cpu_ms_per_s += rps * sp.cpu_ms_per_request;
                    l.memory_mib += rps * sp.latency_ms / 1000.0 * sp.memory_mib_per_in_flight_request;
                }
            }
            if let Some(sp) = &spec {
                for t in &self.state.elb.group(tg).targets {
                    let l = loads.entry(t.task).or_default();
                    l.memory_mib += sp.base_memory_mib;
                }
            }
            let group = self.state.elb.group(tg);
            let tg_dim = group.target_group_arn.rsplit(':').next().unwrap_or_default().to_string();
            let per_target_div = if healthy.is_empty() { registered } else { healthy.len() };
            let per_target = if per_target_div > 0 { requests / per_target_div as f64 } else { requests };
            let (n_healthy, n_unhealthy) = (healthy.len(), unhealthy.len());
            let has_targets = !group.targets.is_empty();
            if requests > 0.0 {
                tg_stats[g] = Some((requests, per_target));
                let both = json!({"LoadBalancer": lb, "TargetGroup": tg_dim});
                self.metric("AWS/ApplicationELB", "RequestCount", both.clone(), requests.round(), "Count");
                self.metric(
                    "AWS/ApplicationELB",
                    "RequestCountPerTarget",
                    json!({"TargetGroup": tg_dim}),
                    per_target,
                    "Count",
                );
                if elb_5xx > 0.0 {
                    self.metric(
                        "AWS/ApplicationELB",
                        "HTTPCode_ELB_5XX_Count",
                        json!({"LoadBalancer": lb}),
                        elb_5xx.round(),
                        "Count",
                    );
                }
                if target_5xx > 0.0 {
                    self.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", both, target_5xx.round(), "Count");
                }
            }
            if has_targets {
                let both = json!({"LoadBalancer": lb, "TargetGroup": tg_dim});
                self.metric("AWS/ApplicationELB", "HealthyHostCount", both.clone(), n_healthy as f64, "Count");
                self.metric("AWS/ApplicationELB", "UnHealthyHostCount", both, n_unhealthy as f64, "Count");
            }
        }
        // Task and service utilization.
        let mut per_service: BTreeMap<ServiceId, (f64, f64, f64, f64)> = BTreeMap::new();
        for i in 0..self.state.tasks.len() {
            let id = TaskId(i as u32);
            let t = &self.state.tasks[i];
            if t.last_status != TaskStatus::Running {
                continue;
            }
            let cpu_units = t.cpu.max(1) as f64;
            let capacity_ms = cpu_units / 1024.0 * 1000.0;
            let load = loads.get(&id);
            let used_ms =
                (capacity_ms * IDLE_CPU_PERCENT / 100.0 + load.map_or(0.0, |l| l.cpu_ms_per_s)).min(capacity_ms);
            let mem_reserved = t.memory.max(1) as f64;
            let mem_used = load.map_or(IDLE_MEMORY_MIB, |l| l.memory_mib.max(IDLE_MEMORY_MIB)).min(mem_reserved);
            let service = t.service;
            let t = &mut self.state.tasks[i];
            t.cpu_utilization = round2(used_ms / capacity_ms * 100.0);
            t.memory_utilization = round2(mem_used / mem_reserved * 100.0);
            if let Some(s) = service {
                let e = per_service.entry(s).or_default();
                e.0 += used_ms / capacity_ms * cpu_units;
                e.1 += cpu_units;
                e.2 += mem_used;
                e.3 += mem_reserved;
            }
        }
        let cluster = self.state.cluster_name.clone();
        for (s, (cpu_used, cpu_res, mem_used, mem_res)) in per_service {
            let name = self.state.services[s.idx()].service_name.clone();
            let dims = json!({"ClusterName": cluster, "ServiceName": name});
            let cpu = cpu_used * 100.0 / cpu_res;
            let mem = mem_used * 100.0 / mem_res;
            self.metric("AWS/ECS", "CPUUtilization", dims.clone(), cpu, "Percent");
            self.metric("AWS/ECS", "MemoryUtilization", dims, mem, "Percent");
            let first_tg = self.state.services[s.idx()].target_groups.first().and_then(|g| tg_stats[g.idx()]);
            let m = &mut self.state.services[s.idx()].metrics;
            m.at = Some(now);
            m.cpu_utilization = Some(round2(cpu));
            m.memory_utilization = Some(round2(mem));
            m.request_count = first_tg.map(|x| x.0.round());
            m.request_count_per_target = first_tg.map(|x| round2(x.1));
        }
        self.schedule(now + MINUTE, Event::MetricsTick);
    }
}
