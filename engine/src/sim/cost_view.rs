//! The running bill, computed from what actually ran in the simulation: each Fargate task from
//! the start of its image pull (PENDING) to STOPPED, each EC2 container instance from
//! registration to termination. Tasks on EC2 cost nothing extra: you pay for the instances
//! ("With the EC2 launch type, you pay for the EC2 resources you create"). Billing rules and
//! prices: `crate::cost`.

use super::Simulation;
use crate::cost::{self, CostMeter, CostTotals, FargateKind, WorkloadComparison};
use crate::model::{Task, TaskStatus};
use crate::scenario::LaunchType;
use serde::Serialize;

/// The cost panel's data.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CostReport {
    /// The price table's date and currency (figures are illustrative list prices of that date).
    pub price_date: String,
    pub currency: String,
    pub region: String,
    pub note: String,
    pub totals: CostTotals,
    /// Fargate / Fargate Spot / EC2 binpack / EC2 spread for the first service's task size and
    /// desired count over one hour (None without a service).
    pub comparison: Option<WorkloadComparison>,
}

impl Simulation {
    /// Integrate the run so far into a `CostMeter` (None if the region has no prices).
    pub fn cost_meter(&self) -> Option<CostMeter> {
        self.cost_meter_of(|_| true, true)
    }

    /// The meter over the Fargate tasks `pick` selects, with the EC2 instances or without them
    /// (a lesson's claim about one service's Fargate bill).
    pub fn cost_meter_of(&self, pick: impl Fn(&Task) -> bool, instances: bool) -> Option<CostMeter> {
        let table = self.account.prices()?;
        let mut meter = CostMeter::new(table, &self.state.region).ok()?;
        for t in &self.state.tasks {
            if t.launch_type != LaunchType::Fargate || !pick(t) {
                continue;
            }
            // "from the time you start to download your container image" = entering PENDING.
            let Some(pull_start) = t.history.iter().find(|(_, s)| *s == TaskStatus::Pending).map(|(at, _)| *at) else {
                continue;
            };
            let storage = self.state.task_defs.get(&t.task_def).map(|td| crate::volumes::task_storage_gib(&td.request));
            let kind = if t.capacity_provider.as_deref() == Some("FARGATE_SPOT") {
                FargateKind::Spot
            } else {
                FargateKind::OnDemand
            };
            meter.task_started(&t.task_id, pull_start, t.cpu, t.memory, storage.unwrap_or(20), kind);
            if let Some(stop) = t.stopped_at {
                meter.task_stopped(&t.task_id, stop);
            }
        }
        for i in self.state.instances.iter().filter(|_| instances) {
            // Instance types without a price are skipped (the table covers every built-in type).
            if meter.instance_started(&i.ec2_instance_id, i.instance_type, i.registered_at).is_ok() {
                if let Some(stop) = i.deregistered_at {
                    meter.instance_stopped(&i.ec2_instance_id, stop);
                }
            }
        }
        Some(meter)
    }

    /// The running cost at the current simulated time, for the snapshot and the cost panel.
    pub fn cost_report(&self) -> Option<CostReport> {
        let table = self.account.prices()?;
        let meter = self.cost_meter()?;
        let comparison = self.state.services.first().and_then(|svc| {
            let td = self.state.task_defs.resolve(&svc.spec.task_definition)?;
            let td = self.state.task_defs.get(&td)?;
            let cpu = td.cpu_units.unwrap_or_else(|| td.placement_cpu()).max(1);
            let mem = td.memory_mib.unwrap_or_else(|| td.placement_memory()).max(1);
            let it = self.state.instances.first().map(|i| i.instance_type).unwrap_or("m5.large");
            let azs = (self.state.azs.len() as u32).max(1);
            cost::compare_workload(table, &self.state.region, svc.desired_count.max(1), cpu, mem, 1.0, azs, Some(it))
                .ok()
        });
        Some(CostReport {
            price_date: table.date.clone(),
            currency: table.currency.clone(),
            region: self.state.region.clone(),
            note: table.note.clone(),
            totals: meter.totals(self.now),
            comparison,
        })
    }
}
