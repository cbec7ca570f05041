//! The autoscaler's runtime model: alarm states, the per-minute inputs the simulation feeds in,
//! the outputs it logs, and the registered targets, policies and alarms with their cooldowns.
//! (The API request shapes are in `types.rs`.)

use super::alarm::Alarm;
use super::step_scaling::AdjustmentType;
use super::types::{self, StepAdjustment, SuspendedState};
use crate::log::kind;
use crate::schedule_expr::StartDate;
use crate::time::SimTime;
use serde_json::{json, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AlarmState {
    Ok,
    Alarm,
    InsufficientData,
}

impl AlarmState {
    pub fn as_str(self) -> &'static str {
        match self {
            AlarmState::Ok => "OK",
            AlarmState::Alarm => "ALARM",
            AlarmState::InsufficientData => "INSUFFICIENT_DATA",
        }
    }
}

/// One minute of a service's metrics: averages over `[now - 60 s, now)`. `None` = no datapoint
/// (e.g. no running task reported), which CloudWatch treats as missing data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricDatapoints {
    /// `AWS/ECS CPUUtilization` (percent of reserved CPU), the ECSServiceAverageCPUUtilization metric.
    pub cpu: Option<f64>,
    /// `AWS/ECS MemoryUtilization` (percent), ECSServiceAverageMemoryUtilization.
    pub memory: Option<f64>,
    /// `AWS/ApplicationELB RequestCountPerTarget`: requests in the minute / healthy targets.
    pub request_count_per_target: Option<f64>,
    /// Any other metric, by MetricName (customized metrics and step-scaling alarms).
    pub custom: BTreeMap<String, f64>,
}

/// What the simulation tells the scaler about one service each minute.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceInput {
    /// `service/<cluster>/<service>`.
    pub resource_id: String,
    pub current_desired: u32,
    /// The capacity the datapoints were measured on (the service's RUNNING tasks), when it may
    /// differ from `current_desired` (new tasks still starting). None: `current_desired`.
    pub measured_capacity: Option<u32>,
    /// True while an ECS deployment is in progress: scale-in is disabled then.
    pub deployment_in_progress: bool,
    pub datapoints: MetricDatapoints,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlarmStateChange {
    pub alarm_name: String,
    pub resource_id: String,
    pub old_state: AlarmState,
    pub new_state: AlarmState,
    pub reason: String,
    /// `CPUUtilization > 50.0 for 3 datapoints within 3 minutes`.
    pub condition: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScalingActivity {
    pub resource_id: String,
    pub from: u32,
    pub to: u32,
    /// `Setting desired count to 4.` (or `Setting min capacity to 5 and max capacity to 10`)
    pub description: String,
    /// `monitor alarm <alarm> in state ALARM triggered policy <policy>` or
    /// `scheduled action name <name> was triggered`.
    pub cause: String,
    pub policy_name: Option<String>,
    pub scheduled_action_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CapacityRangeChange {
    pub resource_id: String,
    pub scheduled_action_name: String,
    pub old_min: u32,
    pub old_max: u32,
    pub min: u32,
    pub max: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ScalingOutput {
    AlarmStateChange(AlarmStateChange),
    ScalingActivity(ScalingActivity),
    CapacityRangeChange(CapacityRangeChange),
}

impl ScalingOutput {
    /// The log line for this output: detail-type and an EventBridge/DescribeScalingActivities-shaped detail.
    pub fn log_detail(&self, start: StartDate, now: SimTime) -> (&'static str, Value) {
        match self {
            ScalingOutput::AlarmStateChange(c) => (
                kind::ALARM_STATE_CHANGE,
                json!({
                    "alarmName": c.alarm_name,
                    "resourceId": c.resource_id,
                    "state": {"value": c.new_state.as_str(), "reason": c.reason, "timestamp": start.iso(now)},
                    "previousState": {"value": c.old_state.as_str()},
                    "configuration": {"condition": c.condition},
                }),
            ),
            ScalingOutput::ScalingActivity(a) => (
                kind::SCALING_ACTIVITY,
                json!({
                    "ServiceNamespace": "ecs",
                    "ResourceId": a.resource_id,
                    "ScalableDimension": types::ECS_DIMENSION,
                    "Description": a.description,
                    "Cause": a.cause,
                    "StatusCode": "Successful",
                    "StatusMessage": format!("Successfully set desired count to {}. Change successfully fulfilled by ecs.", a.to),
                    "FromDesiredCount": a.from,
                    "ToDesiredCount": a.to,
                }),
            ),
            ScalingOutput::CapacityRangeChange(r) => (
                kind::SCALING_ACTIVITY,
                json!({
                    "ServiceNamespace": "ecs",
                    "ResourceId": r.resource_id,
                    "ScalableDimension": types::ECS_DIMENSION,
                    "Description": format!("Setting min capacity to {} and max capacity to {}", r.min, r.max),
                    "Cause": format!("scheduled action name {} was triggered", r.scheduled_action_name),
                    "StatusCode": "Successful",
                    "MinCapacity": r.min,
                    "MaxCapacity": r.max,
                }),
            ),
        }
    }
}

/// Which datapoint an alarm reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricSource {
    Cpu,
    Memory,
    RequestCountPerTarget,
    Custom(String),
}

impl MetricSource {
    pub(super) fn from_metric_name(name: &str) -> MetricSource {
        match name {
            "CPUUtilization" => MetricSource::Cpu,
            "MemoryUtilization" => MetricSource::Memory,
            "RequestCountPerTarget" => MetricSource::RequestCountPerTarget,
            other => MetricSource::Custom(other.to_string()),
        }
    }
    pub(super) fn read(&self, d: &MetricDatapoints) -> Option<f64> {
        match self {
            MetricSource::Cpu => d.cpu,
            MetricSource::Memory => d.memory,
            MetricSource::RequestCountPerTarget => d.request_count_per_target,
            MetricSource::Custom(name) => d.custom.get(name).copied(),
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Target {
    pub(super) min: u32,
    pub(super) max: u32,
    pub(super) suspended: SuspendedState,
}

/// Cooldown bookkeeping of one policy.
#[derive(Debug, Clone, Default)]
pub(super) struct Cooldowns {
    /// (end of scale-out cooldown, desired count before the initiating scale-out)
    pub(super) scale_out: Option<(SimTime, u32)>,
    pub(super) scale_in_until: Option<SimTime>,
}

#[derive(Debug, Clone)]
pub(super) struct TargetTrackingPolicy {
    pub(super) name: String,
    pub(super) resource_id: String,
    pub(super) target: f64,
    pub(super) scale_out_cooldown: SimTime,
    pub(super) scale_in_cooldown: SimTime,
    pub(super) disable_scale_in: bool,
    /// The alarms Application Auto Scaling creates and manages for the policy (no scale-in alarm
    /// with DisableScaleIn); deleting the policy deletes them.
    pub(super) high: ManagedAlarm,
    pub(super) low: Option<ManagedAlarm>,
    pub(super) cd: Cooldowns,
}

#[derive(Debug, Clone)]
pub(super) struct StepPolicy {
    pub(super) name: String,
    pub(super) resource_id: String,
    pub(super) kind: AdjustmentType,
    pub(super) steps: Vec<StepAdjustment>,
    pub(super) min_magnitude: Option<i64>,
    pub(super) cooldown: SimTime,
    pub(super) cd: Cooldowns,
}

/// A scaling policy, in the order PutScalingPolicy created it (an update keeps its place).
#[derive(Debug, Clone)]
pub(super) enum Policy {
    TargetTracking(Box<TargetTrackingPolicy>),
    Step(StepPolicy),
}

impl Policy {
    pub(super) fn name(&self) -> &str {
        match self {
            Policy::TargetTracking(p) => &p.name,
            Policy::Step(p) => &p.name,
        }
    }
    pub(super) fn resource_id(&self) -> &str {
        match self {
            Policy::TargetTracking(p) => &p.resource_id,
            Policy::Step(p) => &p.resource_id,
        }
    }
    pub(super) fn is(&self, resource_id: &str, name: &str) -> bool {
        self.resource_id() == resource_id && self.name() == name
    }
    pub(super) fn cd_mut(&mut self) -> &mut Cooldowns {
        match self {
            Policy::TargetTracking(p) => &mut p.cd,
            Policy::Step(p) => &mut p.cd,
        }
    }
    /// The policy's managed alarms (target tracking: high, then low), in creation order.
    pub(super) fn alarms(&self) -> impl Iterator<Item = &ManagedAlarm> {
        let tt = match self {
            Policy::TargetTracking(p) => Some(p),
            Policy::Step(_) => None,
        };
        tt.into_iter().flat_map(|p| std::iter::once(&p.high).chain(p.low.as_ref()))
    }
    pub(super) fn alarms_mut(&mut self) -> impl Iterator<Item = &mut ManagedAlarm> {
        let tt = match self {
            Policy::TargetTracking(p) => Some(p),
            Policy::Step(_) => None,
        };
        tt.into_iter().flat_map(|p| std::iter::once(&mut p.high).chain(p.low.as_mut()))
    }
}

/// A step scaling policy an alarm invokes: (ResourceId, PolicyName), resolved from its
/// AlarmActions entry when the alarm was put.
pub(super) type PolicyKey = (String, String);

/// An index into `AutoScaler::policies` (valid for one evaluation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PolicyRef {
    TargetTracking(usize),
    Step(usize),
}

#[derive(Debug, Clone)]
pub(super) struct ManagedAlarm {
    pub(super) alarm: Alarm,
    pub(super) resource_id: String,
    pub(super) source: MetricSource,
    /// The step scaling policies the alarm invokes (a scenario `Alarms` entry); empty for a
    /// target tracking policy's own alarms.
    pub(super) actions: Vec<PolicyKey>,
    /// The request's AlarmActions as written (checked again when policies change).
    pub(super) alarm_actions: Vec<String>,
    /// The service its AWS/ECS dimensions name, if they do.
    pub(super) dimension_resource: Option<String>,
    pub(super) actions_enabled: bool,
}

/// A scale-out or scale-in a policy asks for this minute.
#[derive(Debug, Clone)]
pub(super) struct Proposal {
    pub(super) policy: PolicyRef,
    pub(super) alarm: String,
    pub(super) to: u32,
}
