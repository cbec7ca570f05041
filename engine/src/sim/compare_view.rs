//! Compare mode: the scenario's own service and traffic seen as Lambda, ECS on Fargate and a
//! Kubernetes Deployment. The arithmetic and the documented rules are in `crate::compare`; this
//! file only feeds it the simulation's service, scaling policy and requests-per-second pattern.

use super::Simulation;
use crate::compare::{self, KubernetesView, LambdaConfig, MinutePoint, TargetTracking};
use crate::scenario::{CreateService, DeploymentConfiguration};
use serde::Serialize;
use serde_json::Value;

/// Everything the compare panel shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompareReport {
    pub service_name: String,
    /// The ECS deployment configuration in force (what maxSurge/maxUnavailable are computed from).
    pub maximum_percent: u32,
    pub minimum_healthy_percent: u32,
    pub kubernetes: KubernetesView,
    /// Requests per second per minute, summed over the scenario's target groups.
    pub rps_per_minute: Vec<f64>,
    pub lambda: Vec<MinutePoint>,
    pub lambda_config: LambdaSummary,
    pub ecs_fargate: Vec<MinutePoint>,
    /// Requests per second one task serves at the scaling target (from `cpuMsPerRequest`).
    pub rps_per_task: f64,
    pub what_you_operate: Vec<(&'static str, Vec<&'static str>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LambdaSummary {
    pub memory_mb: u32,
    pub duration_ms: f64,
    pub cold_start_ms: f64,
    pub concurrency_limit: u32,
    pub max_timeout_seconds: f64,
}

impl Simulation {
    /// The target tracking policy on a service's desired count, reduced to what an HPA has.
    fn target_tracking_for(&self, service_name: &str) -> Option<TargetTracking> {
        let scaling = self.scenario.scaling.as_ref()?;
        let rid = format!("service/{}/{service_name}", self.state.cluster_name);
        let target = scaling
            .get("ScalableTargets")?
            .as_array()?
            .iter()
            .find(|t| t.get("ResourceId").and_then(Value::as_str) == Some(rid.as_str()))?;
        let cap = |k: &str| target.get(k).and_then(Value::as_u64).map(|v| v.min(u64::from(u32::MAX)) as u32);
        let policy = scaling.get("ScalingPolicies")?.as_array()?.iter().find(|p| {
            p.get("ResourceId").and_then(Value::as_str) == Some(rid.as_str())
                && p.get("PolicyType").and_then(Value::as_str) == Some("TargetTrackingScaling")
        })?;
        let cfg = policy.get("TargetTrackingScalingPolicyConfiguration")?;
        let metric = cfg
            .get("PredefinedMetricSpecification")
            .and_then(|m| m.get("PredefinedMetricType"))
            .and_then(Value::as_str)
            .unwrap_or("");
        Some(TargetTracking {
            min_capacity: cap("MinCapacity")?,
            max_capacity: cap("MaxCapacity")?,
            memory: metric == "ECSServiceAverageMemoryUtilization",
            target_value: cfg.get("TargetValue").and_then(Value::as_f64)?,
        })
    }

    /// Requests per second, minute by minute, summed over the scenario's traffic patterns.
    pub fn traffic_per_minute(&self, minutes: u32) -> Vec<f64> {
        let Some(tr) = &self.scenario.traffic else { return vec![0.0; minutes as usize] };
        (0..minutes)
            .map(|m| {
                let from = f64::from(m) * 60.0;
                tr.target_groups.iter().map(|g| g.requests_per_second.average(from, from + 60.0)).sum()
            })
            .collect()
    }

    /// Compare the named service (or the first one) over `minutes` minutes of the scenario's
    /// traffic. None without a service or prices.
    pub fn compare_report(&self, service: Option<&str>, minutes: u32) -> Option<CompareReport> {
        let prices = self.account.prices()?.region(&self.state.region).ok()?;
        let svc = match service {
            Some(n) => self.state.services.get(self.state.service_by_name(n)?.idx())?,
            None => self.state.services.first()?,
        };
        // The deployment configuration in force, as CreateService/UpdateService left it.
        let create = CreateService {
            desired_count: Some(svc.desired_count),
            deployment_configuration: Some(DeploymentConfiguration {
                maximum_percent: Some(svc.maximum_percent),
                minimum_healthy_percent: Some(svc.minimum_healthy_percent),
                ..svc.spec.deployment_configuration.clone().unwrap_or_default()
            }),
            ..svc.spec.clone()
        };
        let tracking = self.target_tracking_for(&svc.service_name);
        let kubernetes = compare::to_kubernetes(&create, tracking).ok()?;
        let rps = self.traffic_per_minute(minutes.clamp(1, 24 * 60));
        let tg = self.scenario.traffic.as_ref().and_then(|t| t.target_groups.first());
        let duration_ms = tg.map(|g| g.latency_ms).filter(|d| d.is_finite() && *d > 0.0).unwrap_or(100.0);
        let lambda_cfg = LambdaConfig { duration_ms, ..LambdaConfig::default() };
        let lambda = compare::lambda_series(&rps, &lambda_cfg, prices).unwrap_or_default();
        let td = self.state.task_defs.resolve(&svc.spec.task_definition).and_then(|r| self.state.task_defs.get(&r));
        let cpu = td.map(|td| td.cpu_units.unwrap_or_else(|| td.placement_cpu())).unwrap_or(256).max(1);
        let mem = td.map(|td| td.memory_mib.unwrap_or_else(|| td.placement_memory())).unwrap_or(512).max(1);
        // A task of `cpu` units has cpu/1024 x 1,000 ms of CPU per second; each request costs
        // `cpuMsPerRequest`; the service is sized for the tracking target (else 100%).
        let cpu_ms = tg.map(|g| g.cpu_ms_per_request).filter(|c| c.is_finite() && *c > 0.0).unwrap_or(10.0);
        let target_pct = tracking.filter(|t| !t.memory).map(|t| t.target_value).unwrap_or(100.0).clamp(1.0, 100.0);
        let rps_per_task = f64::from(cpu) / 1024.0 * 1000.0 / cpu_ms * target_pct / 100.0;
        let (min_t, max_t) = match tracking {
            Some(t) => (t.min_capacity, t.max_capacity.max(t.min_capacity)),
            None => (svc.desired_count, svc.desired_count),
        };
        let start_s = self.timings.fargate_provisioning_seconds
            + self.timings.pull_base_seconds
            + self.timings.image_size_mb / self.timings.pull_mb_per_second.max(0.001);
        let ecs_fargate = compare::ecs_fargate_series(&rps, rps_per_task, min_t, max_t, cpu, mem, start_s, prices)
            .unwrap_or_default();
        Some(CompareReport {
            service_name: svc.service_name.clone(),
            maximum_percent: svc.maximum_percent,
            minimum_healthy_percent: svc.minimum_healthy_percent,
            kubernetes,
            rps_per_minute: rps,
            lambda,
            lambda_config: LambdaSummary {
                memory_mb: lambda_cfg.memory_mb,
                duration_ms: lambda_cfg.duration_ms,
                cold_start_ms: lambda_cfg.cold_start_ms,
                concurrency_limit: lambda_cfg.concurrency_limit,
                max_timeout_seconds: compare::LAMBDA_MAX_TIMEOUT_SECONDS,
            },
            ecs_fargate,
            rps_per_task,
            what_you_operate: compare::what_you_operate(),
        })
    }
}
