//! Actions the playground's controls need that are not ECS API actions: today, adding EC2
//! capacity to an Availability Zone (`LaunchInstances`, what an EC2 RunInstances call with the ECS
//! AMI does: each instance boots and its agent registers it with the cluster). Like every action
//! they go through `Simulation::apply` (`Command::LaunchInstances`), so a user's clicks replay exactly from a timeline.
//!
//! Input: `{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2}`.

use super::Simulation;
use crate::command::LaunchInstancesInput;
use crate::error::{ApiError, ApiResult};
use crate::instance_types;
use crate::model::AzId;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// At most this many instances per call, and in the cluster (the playground's own bound).
pub const MAX_LAUNCH_PER_CALL: u32 = 100;
pub const MAX_INSTANCES: usize = 2000;

impl Simulation {
    pub(super) fn launch_instances(&mut self, inp: LaunchInstancesInput) -> ApiResult<Value> {
        let spec = instance_types::lookup(&inp.instance_type).ok_or_else(|| {
            ApiError::invalid("instanceType", format!("Unknown instance type \"{}\".", inp.instance_type))
        })?;
        let az = self.state.azs.iter().position(|a| a.name == inp.availability_zone).ok_or_else(|| {
            ApiError::invalid(
                "availabilityZone",
                format!("\"{}\" is not one of the scenario's Availability Zones", inp.availability_zone),
            )
        })?;
        if !self.state.azs[az].available {
            return Err(ApiError::new(
                "InsufficientInstanceCapacity",
                "availabilityZone",
                format!("{} is unavailable: no instances can be launched there.", inp.availability_zone),
            ));
        }
        if inp.count == 0 || inp.count > MAX_LAUNCH_PER_CALL {
            return Err(ApiError::invalid("count", format!("count must be between 1 and {MAX_LAUNCH_PER_CALL}.")));
        }
        if self.state.instances.len() + inp.count as usize > MAX_INSTANCES {
            return Err(ApiError::invalid("count", format!("at most {MAX_INSTANCES} instances in the playground.")));
        }
        let mut ids = Vec::new();
        for _ in 0..inp.count {
            let id = self.launch_instance(spec, AzId(az as u32), &BTreeMap::new(), None);
            ids.push(self.state.instances[id.idx()].ec2_instance_id.clone());
        }
        Ok(json!({"instances": ids}))
    }
}
