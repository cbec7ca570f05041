//! Actions the playground's controls need that are not ECS API actions: today, adding EC2
//! capacity to an Availability Zone (`LaunchInstances`, what an EC2 RunInstances call with the ECS
//! AMI does: each instance boots and its agent registers it with the cluster). Like every action
//! they go through `Simulation::apply`, so a user's clicks replay exactly from a timeline.
//!
//! Input: `{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2}`.

use super::*;
use crate::error::ApiError;
use crate::instance_types;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The actions this module adds (accepted in scenario timelines too).
pub const UI_ACTIONS: &[&str] = &["LaunchInstances"];

/// At most this many instances per call, and in the cluster (the playground's own bound).
pub const MAX_LAUNCH_PER_CALL: u32 = 100;
pub const MAX_INSTANCES: usize = 2000;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LaunchInstancesInput {
    instance_type: String,
    availability_zone: String,
    #[serde(default = "one")]
    count: u32,
}

fn one() -> u32 {
    1
}

impl Simulation {
    /// Dispatch one of `UI_ACTIONS`; `None` if `action` is not one of them.
    pub(super) fn dispatch_ui_action(&mut self, action: &str, input: &Value) -> Option<ApiResult<Value>> {
        match action {
            "LaunchInstances" => Some(self.launch_instances(input)),
            _ => None,
        }
    }

    fn launch_instances(&mut self, input: &Value) -> ApiResult<Value> {
        let inp: LaunchInstancesInput = serde_path_to_error::deserialize(input.clone())
            .map_err(|e| {
                let path = e.path().to_string();
                ApiError::from_serde("InvalidParameterException", "input", &path, e.into_inner())
            })?;
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
