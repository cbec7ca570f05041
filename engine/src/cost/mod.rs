//! What the cluster costs: a dated price table (data, `engine/data/prices-2026-11.json`), a meter
//! that integrates simulated usage, and a Fargate / Fargate Spot / EC2 comparison.
//!
//! Billing rules implemented (quoted from the AWS pricing pages):
//! * Fargate: "pricing is calculated based on the vCPU, memory, and storage resources used from
//!   the time you start to download your container image until the Amazon ECS Task terminates,
//!   rounded up to the nearest second. A minimum charge of 1 minute applies." Ephemeral
//!   storage: "20 GB of ephemeral storage included ... you pay only for any additional storage".
//! * Fargate Spot: interruption-tolerant tasks "at up to a 70% discount off the Fargate price";
//!   the table's Spot figures are illustrative (Spot prices move).
//! * EC2 on-demand Linux: billed per second with a 60-second minimum.
//!
//! # How the simulation should call this (for the lead)
//! * `let mut meter = CostMeter::new(&PriceTable::builtin()?, region)?;`
//! * Fargate task: `meter.task_started(task_id, t_pull_start, cpu_units, memory_mib,
//!   volumes::task_storage_gib(td), FargateKind::OnDemand | Spot)` when the image pull starts
//!   (PENDING), `meter.task_stopped(task_id, t)` when it reaches STOPPED.
//! * EC2 container instance: `meter.instance_started(id, type, t)` / `instance_stopped(id, t)`
//!   (tasks on EC2 cost nothing extra: you pay for the instances).
//! * UI: `meter.totals(now)` each frame; `compare_workload(...)` for the "what would it cost"
//!   panel.

use crate::error::{ApiError, ApiResult};
use crate::instance_types;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The built-in price table, with its date in the file name and in `date`.
pub const PRICES_JSON: &str = include_str!("../../data/prices-2026-11.json");

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FargateRates {
    pub vcpu_hour: f64,
    pub gb_hour: f64,
    #[serde(default)]
    pub ephemeral_gb_hour_above20: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LambdaRates {
    pub requests_per_million: f64,
    pub gb_second: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegionPrices {
    pub fargate: FargateRates,
    pub fargate_spot: FargateRates,
    pub lambda: LambdaRates,
    pub ec2_on_demand_hour: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PriceTable {
    pub date: String,
    pub currency: String,
    pub source: String,
    pub note: String,
    pub billing: BTreeMap<String, String>,
    pub regions: BTreeMap<String, RegionPrices>,
}

impl PriceTable {
    /// The table shipped with the engine.
    pub fn builtin() -> ApiResult<Self> {
        Self::parse(PRICES_JSON)
    }
    /// A table a scenario supplies (same shape), e.g. with newer prices.
    pub fn parse(text: &str) -> ApiResult<Self> {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de)
            .map_err(|e| ApiError::client(format!("prices.{}", e.path()), e.into_inner().to_string()))
    }
    pub fn region(&self, region: &str) -> ApiResult<&RegionPrices> {
        self.regions.get(region).ok_or_else(|| {
            ApiError::invalid(
                "region",
                format!(
                    "The price table has no figures for '{region}'; it has {}.",
                    self.regions.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            )
        })
    }
}

/// Seconds billed for a run of `ms` simulated milliseconds: rounded up to the nearest second,
/// with a one-minute minimum (Fargate; EC2 Linux likewise).
pub fn billed_seconds(ms: SimTime) -> u64 {
    ms.div_ceil(1000).max(60)
}

/// Cost of one Fargate task-hour: vCPU x rate + GB x rate (+ storage above 20 GB).
pub fn fargate_hourly(rates: &FargateRates, cpu_units: u32, memory_mib: u32, storage_gib: u32) -> f64 {
    let vcpu = f64::from(cpu_units) / 1024.0;
    let gb = f64::from(memory_mib) / 1024.0;
    let extra = f64::from(storage_gib.saturating_sub(20));
    vcpu * rates.vcpu_hour + gb * rates.gb_hour + extra * rates.ephemeral_gb_hour_above20
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FargateKind {
    OnDemand,
    Spot,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct TaskUsage {
    start: SimTime,
    stop: Option<SimTime>,
    cpu_units: u32,
    memory_mib: u32,
    storage_gib: u32,
    kind: FargateKind,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct InstanceUsage {
    start: SimTime,
    stop: Option<SimTime>,
    hourly: f64,
}

/// Running totals at a moment, in the table's currency.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CostTotals {
    pub fargate: f64,
    pub fargate_spot: f64,
    pub ec2: f64,
    pub total: f64,
    /// Billed task-seconds (after rounding and minimums).
    pub fargate_task_seconds: u64,
    pub ec2_instance_seconds: u64,
}

/// Integrates usage over simulated time. Deterministic: no clock, only the times it is given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostMeter {
    rates: RegionPrices,
    tasks: BTreeMap<String, TaskUsage>,
    instances: BTreeMap<String, InstanceUsage>,
}

impl CostMeter {
    pub fn new(table: &PriceTable, region: &str) -> ApiResult<Self> {
        Ok(CostMeter { rates: table.region(region)?.clone(), tasks: BTreeMap::new(), instances: BTreeMap::new() })
    }

    /// A Fargate task starts billing when its image pull starts.
    pub fn task_started(
        &mut self,
        task_id: &str,
        pull_start: SimTime,
        cpu_units: u32,
        memory_mib: u32,
        storage_gib: u32,
        kind: FargateKind,
    ) {
        self.tasks.insert(
            task_id.to_string(),
            TaskUsage { start: pull_start, stop: None, cpu_units, memory_mib, storage_gib, kind },
        );
    }

    /// The task terminated (STOPPED). Unknown ids are ignored.
    pub fn task_stopped(&mut self, task_id: &str, at: SimTime) {
        if let Some(t) = self.tasks.get_mut(task_id) {
            t.stop.get_or_insert(at.max(t.start));
        }
    }

    pub fn instance_started(&mut self, instance_id: &str, instance_type: &str, at: SimTime) -> ApiResult<()> {
        let hourly = *self.rates.ec2_on_demand_hour.get(instance_type).ok_or_else(|| {
            ApiError::invalid("instanceType", format!("The price table has no on-demand price for '{instance_type}'."))
        })?;
        self.instances.insert(instance_id.to_string(), InstanceUsage { start: at, stop: None, hourly });
        Ok(())
    }

    pub fn instance_stopped(&mut self, instance_id: &str, at: SimTime) {
        if let Some(i) = self.instances.get_mut(instance_id) {
            i.stop.get_or_insert(at.max(i.start));
        }
    }

    /// Totals as billed at `now`: finished runs in full, running ones up to `now` (each with
    /// its one-minute minimum, since a started task or instance owes at least that).
    pub fn totals(&self, now: SimTime) -> CostTotals {
        let mut out = CostTotals::default();
        for t in self.tasks.values() {
            let end = t.stop.unwrap_or(now).max(t.start);
            let secs = billed_seconds(end - t.start);
            let rates = match t.kind {
                FargateKind::OnDemand => &self.rates.fargate,
                FargateKind::Spot => &self.rates.fargate_spot,
            };
            let cost = fargate_hourly(rates, t.cpu_units, t.memory_mib, t.storage_gib) * secs as f64 / 3600.0;
            match t.kind {
                FargateKind::OnDemand => out.fargate += cost,
                FargateKind::Spot => out.fargate_spot += cost,
            }
            out.fargate_task_seconds += secs;
        }
        for i in self.instances.values() {
            let end = i.stop.unwrap_or(now).max(i.start);
            let secs = billed_seconds(end - i.start);
            out.ec2 += i.hourly * secs as f64 / 3600.0;
            out.ec2_instance_seconds += secs;
        }
        out.total = out.fargate + out.fargate_spot + out.ec2;
        out
    }
}

/// One option of `compare_workload`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OptionCost {
    pub option: &'static str,
    pub total: f64,
    pub hourly: f64,
    /// EC2 options: instance type and count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instances: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tasks_per_instance: Option<u32>,
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadComparison {
    pub region: String,
    pub price_date: String,
    pub options: Vec<OptionCost>,
}

/// How many tasks of (cpu, memory) an instance type holds, by the CPU and memory ECS registers
/// for it (1,024 units per vCPU; memory after the kernel's share, see `instance_types`).
pub fn tasks_per_instance(instance_type: &str, cpu_units: u32, memory_mib: u32) -> Option<u32> {
    let it = instance_types::lookup(instance_type)?;
    let by_cpu = it.registered_cpu().checked_div(cpu_units).unwrap_or(u32::MAX);
    let by_mem = it.registered_memory_mib().checked_div(memory_mib).unwrap_or(u32::MAX);
    Some(by_cpu.min(by_mem))
}

/// Fargate vs Fargate Spot vs EC2 for `tasks` copies of a (cpu units, memory MiB) task running
/// `hours`:
/// * EC2 binpacked: the fewest instances that hold the tasks (placement strategy `binpack`).
/// * EC2 spread: the tasks spread evenly over `azs` Availability Zones (placement strategy
///   `spread` on `attribute:ecs.availability-zone`), so each AZ needs its own instances: at
///   least one instance per AZ.
///
/// With `instance_type = None` each EC2 option picks the cheapest type in the table.
#[allow(clippy::too_many_arguments)] // mirrors the UI form: one argument per field
pub fn compare_workload(
    table: &PriceTable,
    region: &str,
    tasks: u32,
    cpu_units: u32,
    memory_mib: u32,
    hours: f64,
    azs: u32,
    instance_type: Option<&str>,
) -> ApiResult<WorkloadComparison> {
    let r = table.region(region)?;
    if !(hours.is_finite() && hours >= 0.0) {
        return Err(ApiError::invalid("hours", "hours must be a non-negative number"));
    }
    if azs == 0 {
        return Err(ApiError::invalid("azs", "at least one Availability Zone"));
    }
    let mut options = Vec::new();
    for (name, rates, what) in [
        ("FARGATE", &r.fargate, "per vCPU-hour and GB-hour of the task size"),
        ("FARGATE_SPOT", &r.fargate_spot, "Spot rates (interruptible, up to 70% off)"),
    ] {
        let hourly = f64::from(tasks) * fargate_hourly(rates, cpu_units, memory_mib, 20);
        options.push(OptionCost {
            option: name,
            total: hourly * hours,
            hourly,
            instance_type: None,
            instances: None,
            tasks_per_instance: None,
            explanation: format!(
                "{tasks} tasks x {:.2} vCPU / {:.2} GB, {what}",
                cpu_units as f64 / 1024.0,
                memory_mib as f64 / 1024.0
            ),
        });
    }
    let candidates: Vec<&String> = match instance_type {
        Some(t) => {
            let key = r.ec2_on_demand_hour.keys().find(|k| k.as_str() == t).ok_or_else(|| {
                ApiError::invalid("instanceType", format!("The price table has no on-demand price for '{t}'."))
            })?;
            vec![key]
        }
        None => r.ec2_on_demand_hour.keys().collect(),
    };
    for spread in [false, true] {
        let mut best: Option<(f64, u32, u32, &String)> = None;
        for t in &candidates {
            let Some(per) = tasks_per_instance(t, cpu_units, memory_mib).filter(|p| *p > 0) else { continue };
            let n = if spread {
                let per_az = tasks.div_ceil(azs);
                azs * per_az.div_ceil(per).max(1)
            } else {
                tasks.div_ceil(per).max(1)
            };
            let price = r.ec2_on_demand_hour.get(*t).copied().unwrap_or(f64::INFINITY);
            let hourly = f64::from(n) * price;
            let better = match best {
                None => true,
                Some((bh, bn, _, bt)) => hourly < bh || (hourly == bh && (n, t.as_str()) < (bn, bt.as_str())),
            };
            if better {
                best = Some((hourly, n, per, t));
            }
        }
        let (name, how) = if spread {
            ("EC2_SPREAD", format!("tasks spread over {azs} AZs, at least one instance per AZ"))
        } else {
            ("EC2_BINPACK", "fewest instances that hold the tasks".to_string())
        };
        match best {
            Some((hourly, n, per, t)) => options.push(OptionCost {
                option: name,
                total: hourly * hours,
                hourly,
                instance_type: Some(t.clone()),
                instances: Some(n),
                tasks_per_instance: Some(per),
                explanation: format!("{n} x {t} ({per} tasks fit per instance), {how}"),
            }),
            None => {
                return Err(ApiError::invalid(
                    "instanceType",
                    format!(
                        "No instance type in the table can hold a task of {cpu_units} CPU units and {memory_mib} MiB."
                    ),
                ))
            }
        }
    }
    Ok(WorkloadComparison { region: region.to_string(), price_date: table.date.clone(), options })
}
