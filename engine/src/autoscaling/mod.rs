//! Application Auto Scaling for ECS services, with the CloudWatch alarms that drive it: a pure,
//! deterministic module. It knows nothing of tasks or the event queue: the simulation feeds it one
//! set of 1-minute metric datapoints per service per simulated minute and applies the desired counts
//! it returns through the service scheduler.
//!
//! # Scenario shape
//!
//! The scenario's `scaling` key holds the AWS request bodies, PascalCase as the APIs spell them:
//!
//! ```json
//! "scaling": {
//!   "ScalableTargets":  [ RegisterScalableTarget bodies ],
//!   "ScalingPolicies":  [ PutScalingPolicy bodies (TargetTrackingScaling or StepScaling) ],
//!   "ScheduledActions": [ PutScheduledAction bodies ],
//!   "Alarms":           [ CloudWatch PutMetricAlarm bodies, whose AlarmActions name step policies ]
//! }
//! ```
//!
//! `ResourceId` is `service/<cluster>/<service>`, `ScalableDimension` `ecs:service:DesiredCount`,
//! `ServiceNamespace` `ecs`. An alarm's `AlarmActions` entry is the policy ARN PutScalingPolicy
//! returns (`arn:aws:autoscaling:<region>:<account>:scalingPolicy:<id>:resource/ecs/<ResourceId>:policyName/<name>`)
//! or, as a shorthand, the bare policy name. See `engine/tests/fixtures/autoscaling/*.json`.
//!
//! # Wiring it into the simulation (for the lead)
//!
//! ```ignore
//! let mut scaler = AutoScaler::from_scenario(scenario.scaling.as_ref(), &scenario.cluster, StartDate::default())?;
//! // Every simulated minute (t = 60 s, 120 s, ...), after the minute's metrics are aggregated:
//! let outputs = scaler.evaluate(now, &[ServiceInput {
//!     resource_id: "service/<cluster>/<service>".into(),
//!     current_desired,                 // the service's desiredCount now
//!     measured_capacity,               // Some(RUNNING tasks) the metric averages over
//!     deployment_in_progress,          // true while an ECS deployment is IN_PROGRESS
//!     datapoints: MetricDatapoints {   // averages over [now - 60 s, now); None = no data
//!         cpu, memory, request_count_per_target, custom,
//!     },
//! }]);
//! for o in &outputs {
//!     let (detail_type, detail) = o.log_detail(scaler.start(), now);
//!     log.push(now, detail_type, detail);
//!     if let ScalingOutput::ScalingActivity(a) = o { /* UpdateService desiredCount = a.to */ }
//! }
//! // Scheduled actions can fire between minutes: queue an event at scaler.next_scheduled(now)
//! // and, when it fires, call scaler.run_scheduled(t, &inputs) (evaluate() also runs due ones).
//! ```
//!
//! Each scaling activity's `to` is the new desired count; apply outputs in order (a scheduled
//! min/max change may be followed by a policy's change in the same call).
//!
//! # Rules that span policies
//!
//! - "It will scale out the service if any of the target tracking policies are ready for scale out,
//!   but will scale in only if all of the target tracking policies (with the scale-in portion turned
//!   on) are ready to scale in." (Amazon ECS Developer Guide, target tracking considerations)
//! - "A target tracking scaling policy does not perform scaling when the specified metric has
//!   insufficient data." (same)
//! - "Application Auto Scaling disables scale-in processes while Amazon ECS deployments are in
//!   progress. However, scale-out processes continue to occur, unless suspended, during a deployment."
//! - Cooldowns (API Reference, TargetTrackingScalingPolicyConfiguration.ScaleOutCooldown /
//!   ScaleInCooldown and StepScalingPolicyConfiguration.Cooldown; default 300 s for ECS services):
//!   "The scaling policy won't increase the desired capacity again unless either a larger scale out is
//!   triggered or the cooldown period ends. While the cooldown period is in effect, the capacity added
//!   by the initiating scale-out activity is calculated as part of the desired capacity for the next
//!   scale-out activity." and "scale-in activities are blocked until the cooldown period has expired.
//!   However, if another alarm triggers a scale-out activity during the scale-in cooldown period,
//!   Application Auto Scaling scales out the target immediately. In this case, the scale-in cooldown
//!   period stops and doesn't complete."
//!   Here, during a policy's scale-out cooldown: a step scaling policy's next adjustment is applied
//!   to the capacity before the initiating activity (the documented example: +2, then a step of
//!   +3 adds only 1); a target tracking policy computes the capacity that brings the metric to the
//!   target from the capacity the metric was measured on (the RUNNING tasks) and scales out again
//!   if that is larger than the current desired count - "a larger scale out is triggered" - so 4
//!   tasks at 100 % CPU with a 50 % target ask for 8 at once, while tasks added by the initiating
//!   activity that are not RUNNING yet do not make it scale out twice for the same load.
//!   (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html)
//! - Policies are invoked every minute their alarm is in ALARM (the cooldown example above has "the
//!   alarm triggers again during the cooldown period").
//! - Results are clamped to [MinCapacity, MaxCapacity] of the scalable target.
//! - SuspendedState: DynamicScalingInSuspended / DynamicScalingOutSuspended / ScheduledScalingSuspended
//!   stop the corresponding activities.

pub mod alarm;
pub mod scheduled;
pub mod step_scaling;
pub mod target_tracking;
pub mod types;

use crate::error::{ApiError, ApiResult};
use crate::log::kind;
use crate::schedule_expr::{parse_timestamp, ScheduleExpr, StartDate};
use crate::time::{SimTime, SECOND};
use alarm::{Alarm, AlarmSpec, Comparison, MissingData};
use scheduled::ScheduledAction;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use step_scaling::AdjustmentType;
use types::{StepAdjustment, SuspendedState};

/// Default cooldown for ECS services: "Application Auto Scaling provides a default value of 300 for
/// the following scalable targets: ECS services, ...".
pub const DEFAULT_COOLDOWN_SECS: i64 = 300;
/// Upper bound on cooldowns accepted here (one year); a sanity bound of the playground, not a
/// documented API limit.
const MAX_COOLDOWN_SECS: i64 = 31_536_000;

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
    fn from_metric_name(name: &str) -> MetricSource {
        match name {
            "CPUUtilization" => MetricSource::Cpu,
            "MemoryUtilization" => MetricSource::Memory,
            "RequestCountPerTarget" => MetricSource::RequestCountPerTarget,
            other => MetricSource::Custom(other.to_string()),
        }
    }
    fn read(&self, d: &MetricDatapoints) -> Option<f64> {
        match self {
            MetricSource::Cpu => d.cpu,
            MetricSource::Memory => d.memory,
            MetricSource::RequestCountPerTarget => d.request_count_per_target,
            MetricSource::Custom(name) => d.custom.get(name).copied(),
        }
    }
}

#[derive(Debug, Clone)]
struct Target {
    min: u32,
    max: u32,
    suspended: SuspendedState,
}

/// Cooldown bookkeeping of one policy.
#[derive(Debug, Clone, Default)]
struct Cooldowns {
    /// (end of scale-out cooldown, desired count before the initiating scale-out)
    scale_out: Option<(SimTime, u32)>,
    scale_in_until: Option<SimTime>,
}

#[derive(Debug, Clone)]
struct TargetTrackingPolicy {
    name: String,
    resource_id: String,
    target: f64,
    scale_out_cooldown: SimTime,
    scale_in_cooldown: SimTime,
    disable_scale_in: bool,
    high: usize,
    low: Option<usize>,
    cd: Cooldowns,
}

#[derive(Debug, Clone)]
struct StepPolicy {
    name: String,
    resource_id: String,
    kind: AdjustmentType,
    steps: Vec<StepAdjustment>,
    min_magnitude: Option<i64>,
    cooldown: SimTime,
    cd: Cooldowns,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PolicyRef {
    TargetTracking(usize),
    Step(usize),
}

#[derive(Debug, Clone)]
struct ManagedAlarm {
    alarm: Alarm,
    resource_id: String,
    source: MetricSource,
    actions: Vec<usize>,
    actions_enabled: bool,
}

/// A scale-out or scale-in a policy asks for this minute.
#[derive(Debug, Clone)]
struct Proposal {
    policy: PolicyRef,
    alarm: String,
    to: u32,
}

/// The Application Auto Scaling state of a scenario.
#[derive(Debug, Clone, Default)]
pub struct AutoScaler {
    start: StartDate,
    targets: BTreeMap<String, Target>,
    tt: Vec<TargetTrackingPolicy>,
    step: Vec<StepPolicy>,
    alarms: Vec<ManagedAlarm>,
    scheduled: Vec<ScheduledAction>,
}

fn verr(field: impl Into<String>, message: impl Into<String>) -> ApiError {
    ApiError::new("ValidationException", field, message)
}

fn capacity(v: i64, field: String) -> ApiResult<u32> {
    u32::try_from(v).map_err(|_| verr(field, format!("capacity {v} must be between 0 and {}", u32::MAX)))
}

fn cooldown(v: Option<i64>, field: String) -> ApiResult<SimTime> {
    let secs = v.unwrap_or(DEFAULT_COOLDOWN_SECS);
    if !(0..=MAX_COOLDOWN_SECS).contains(&secs) {
        return Err(verr(field, format!("cooldown {secs} must be between 0 and {MAX_COOLDOWN_SECS} seconds")));
    }
    Ok(secs as SimTime * SECOND)
}

fn not_found(resource_id: &str) -> ApiError {
    // The API's own wording for a policy or action on an unregistered target.
    ApiError::new(
        "ObjectNotFoundException",
        "ResourceId",
        format!(
            "No scalable target registered for service namespace: ecs, resource ID: {resource_id}, scalable dimension: \
             ecs:service:DesiredCount"
        ),
    )
}

/// The policy an AlarmActions entry names: `(resource id if the ARN gives one, policy name)`.
fn parse_policy_ref(action: &str) -> (Option<&str>, &str) {
    if let Some(rest) = action.strip_prefix("arn:") {
        let name = rest.rsplit_once(":policyName/").map(|(_, n)| n).unwrap_or("");
        let res = rest.split_once(":resource/ecs/").and_then(|(_, r)| r.rsplit_once(":policyName/").map(|(r, _)| r));
        (res, name)
    } else {
        (None, action)
    }
}

impl AutoScaler {
    /// Every alarm this scaler manages with its state now (`describe-alarms`' StateValue), in
    /// creation order. Read by lesson claims (`crate::lesson::check_claims`).
    pub fn all_alarm_states(&self) -> Vec<(String, &'static str)> {
        self.alarms.iter().map(|a| (a.alarm.spec.name.clone(), a.alarm.state.as_str())).collect()
    }

    /// Build from the scenario's `scaling` value (absent = no auto scaling). Every request is
    /// validated as the API would, with errors naming the field (`scaling.ScalingPolicies[0]...`).
    pub fn from_scenario(scaling: Option<&Value>, cluster: &str, start: StartDate) -> ApiResult<AutoScaler> {
        let mut s =
            AutoScaler { start, targets: BTreeMap::new(), tt: vec![], step: vec![], alarms: vec![], scheduled: vec![] };
        let Some(v) = scaling else { return Ok(s) };
        let section = types::parse_section(v)?;

        for (i, t) in section.scalable_targets.iter().enumerate() {
            let at = format!("scaling.ScalableTargets[{i}]");
            types::check_identity(&at, &t.service_namespace, &t.resource_id, &t.scalable_dimension, cluster)?;
            if s.targets.contains_key(&t.resource_id) {
                return Err(verr(format!("{at}.ResourceId"), format!("{} is registered twice", t.resource_id)));
            }
            // "MinCapacity ... This property is required when registering a new scalable target."
            let (Some(min), Some(max)) = (t.min_capacity, t.max_capacity) else {
                return Err(verr(
                    format!("{at}.{}", if t.min_capacity.is_none() { "MinCapacity" } else { "MaxCapacity" }),
                    "MinCapacity and MaxCapacity are required when registering a new scalable target",
                ));
            };
            let min = capacity(min, format!("{at}.MinCapacity"))?;
            let max = capacity(max, format!("{at}.MaxCapacity"))?;
            if min > max {
                return Err(verr(
                    format!("{at}.MinCapacity"),
                    "Minimum capacity cannot be greater than maximum capacity",
                ));
            }
            s.targets
                .insert(t.resource_id.clone(), Target { min, max, suspended: t.suspended_state.unwrap_or_default() });
        }

        for (i, p) in section.scaling_policies.iter().enumerate() {
            let at = format!("scaling.ScalingPolicies[{i}]");
            s.add_policy(&at, p, cluster)?;
        }

        for (i, a) in section.alarms.iter().enumerate() {
            let at = format!("scaling.Alarms[{i}]");
            s.add_alarm(&at, a, cluster)?;
        }

        for (i, a) in section.scheduled_actions.iter().enumerate() {
            let at = format!("scaling.ScheduledActions[{i}]");
            s.add_scheduled(&at, a, cluster)?;
        }
        Ok(s)
    }

    fn add_policy(&mut self, at: &str, p: &types::PutScalingPolicy, cluster: &str) -> ApiResult<()> {
        types::check_identity(at, &p.service_namespace, &p.resource_id, &p.scalable_dimension, cluster)?;
        if !self.targets.contains_key(&p.resource_id) {
            return Err(not_found(&p.resource_id).at(at));
        }
        if p.policy_name.is_empty() || p.policy_name.len() > 256 {
            return Err(verr(format!("{at}.PolicyName"), "PolicyName must be 1 to 256 characters"));
        }
        let dup = self.tt.iter().any(|x| x.resource_id == p.resource_id && x.name == p.policy_name)
            || self.step.iter().any(|x| x.resource_id == p.resource_id && x.name == p.policy_name);
        if dup {
            return Err(verr(format!("{at}.PolicyName"), format!("policy {} is defined twice", p.policy_name)));
        }
        match p.policy_type.as_deref() {
            Some("TargetTrackingScaling") => self.add_target_tracking(at, p),
            Some("StepScaling") => self.add_step(at, p),
            Some("PredictiveScaling") => {
                Err(verr(format!("{at}.PolicyType"), "PredictiveScaling is not simulated by this playground"))
            }
            Some(other) => Err(verr(
                format!("{at}.PolicyType"),
                format!("PolicyType '{other}' must be TargetTrackingScaling, StepScaling or PredictiveScaling"),
            )),
            None => Err(verr(
                format!("{at}.PolicyType"),
                "PolicyType is required if you are creating a scaling policy (TargetTrackingScaling or StepScaling)",
            )),
        }
    }

    fn add_target_tracking(&mut self, at: &str, p: &types::PutScalingPolicy) -> ApiResult<()> {
        if p.step_scaling_policy_configuration.is_some() {
            return Err(verr(
                format!("{at}.StepScalingPolicyConfiguration"),
                "StepScalingPolicyConfiguration is not allowed with PolicyType TargetTrackingScaling",
            ));
        }
        let cat = format!("{at}.TargetTrackingScalingPolicyConfiguration");
        let Some(c) = &p.target_tracking_scaling_policy_configuration else {
            return Err(verr(cat, "TargetTrackingScalingPolicyConfiguration is required for TargetTrackingScaling"));
        };
        if !c.target_value.is_finite() || c.target_value <= 0.0 {
            // The API accepts -2^360..2^360, but a target of 0 or less cannot be tracked for an ECS
            // service metric (capacity = current * metric / target).
            return Err(verr(
                format!("{cat}.TargetValue"),
                format!("TargetValue {} must be a number greater than 0 for this metric", c.target_value),
            ));
        }
        let metric_name = match (&c.predefined_metric_specification, &c.customized_metric_specification) {
            (Some(_), Some(_)) | (None, None) => {
                return Err(verr(
                    cat,
                    "You can specify either a predefined metric or a customized metric: give exactly one of \
                     PredefinedMetricSpecification and CustomizedMetricSpecification",
                ))
            }
            (Some(pm), None) => {
                let f = format!("{cat}.PredefinedMetricSpecification");
                let t = pm.predefined_metric_type.as_str();
                match t {
                    "ECSServiceAverageCPUUtilization" | "ECSServiceAverageMemoryUtilization" => {
                        if pm.resource_label.is_some() {
                            return Err(verr(
                                format!("{f}.ResourceLabel"),
                                "You can't specify a resource label unless the metric type is ALBRequestCountPerTarget",
                            ));
                        }
                    }
                    "ALBRequestCountPerTarget" => {
                        // Format: app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>
                        let ok = pm.resource_label.as_deref().is_some_and(|l| {
                            let parts: Vec<&str> = l.split('/').collect();
                            parts.len() == 6 && parts[0] == "app" && parts[3] == "targetgroup"
                        });
                        if !ok {
                            return Err(verr(
                                format!("{f}.ResourceLabel"),
                                "ALBRequestCountPerTarget needs ResourceLabel \
                                 app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>",
                            ));
                        }
                    }
                    other => {
                        return Err(verr(
                            format!("{f}.PredefinedMetricType"),
                            format!(
                                "PredefinedMetricType '{other}' is not valid for an ECS service; use \
                                 ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization or \
                                 ALBRequestCountPerTarget"
                            ),
                        ))
                    }
                }
                target_tracking::metric_name(t).to_string()
            }
            (None, Some(cm)) => {
                if cm.metric_name.is_empty() {
                    return Err(verr(
                        format!("{cat}.CustomizedMetricSpecification.MetricName"),
                        "MetricName is required",
                    ));
                }
                cm.metric_name.clone()
            }
        };
        let scale_out_cooldown = cooldown(c.scale_out_cooldown, format!("{cat}.ScaleOutCooldown"))?;
        let scale_in_cooldown = cooldown(c.scale_in_cooldown, format!("{cat}.ScaleInCooldown"))?;
        let disable_scale_in = c.disable_scale_in.unwrap_or(false);
        let source = MetricSource::from_metric_name(&metric_name);
        let high_name = target_tracking::alarm_name(&p.resource_id, &p.policy_name, true);
        let high = self.push_alarm(
            target_tracking::high_alarm(high_name, &metric_name, c.target_value),
            &p.resource_id,
            source.clone(),
            vec![],
        );
        // With DisableScaleIn the policy "won't remove capacity", so no scale-in alarm is created here.
        let low = if disable_scale_in {
            None
        } else {
            let low_name = target_tracking::alarm_name(&p.resource_id, &p.policy_name, false);
            Some(self.push_alarm(
                target_tracking::low_alarm(low_name, &metric_name, c.target_value),
                &p.resource_id,
                source,
                vec![],
            ))
        };
        self.tt.push(TargetTrackingPolicy {
            name: p.policy_name.clone(),
            resource_id: p.resource_id.clone(),
            target: c.target_value,
            scale_out_cooldown,
            scale_in_cooldown,
            disable_scale_in,
            high,
            low,
            cd: Cooldowns::default(),
        });
        Ok(())
    }

    fn push_alarm(&mut self, spec: AlarmSpec, resource_id: &str, source: MetricSource, actions: Vec<usize>) -> usize {
        self.alarms.push(ManagedAlarm {
            alarm: Alarm::new(spec),
            resource_id: resource_id.to_string(),
            source,
            actions,
            actions_enabled: true,
        });
        self.alarms.len() - 1
    }

    fn add_step(&mut self, at: &str, p: &types::PutScalingPolicy) -> ApiResult<()> {
        if p.target_tracking_scaling_policy_configuration.is_some() {
            return Err(verr(
                format!("{at}.TargetTrackingScalingPolicyConfiguration"),
                "TargetTrackingScalingPolicyConfiguration is not allowed with PolicyType StepScaling",
            ));
        }
        let cat = format!("{at}.StepScalingPolicyConfiguration");
        let Some(c) = &p.step_scaling_policy_configuration else {
            return Err(verr(cat, "StepScalingPolicyConfiguration is required for StepScaling"));
        };
        let kind = AdjustmentType::parse(c.adjustment_type.as_deref(), &format!("{cat}.AdjustmentType"))?;
        step_scaling::validate_steps(&cat, &c.step_adjustments, kind)?;
        if let Some(m) = c.min_adjustment_magnitude {
            if kind != AdjustmentType::PercentChangeInCapacity {
                return Err(verr(
                    format!("{cat}.MinAdjustmentMagnitude"),
                    "MinAdjustmentMagnitude is the minimum value to scale by when the adjustment type is \
                     PercentChangeInCapacity; it is not valid with other adjustment types",
                ));
            }
            if m < 1 {
                return Err(verr(format!("{cat}.MinAdjustmentMagnitude"), "MinAdjustmentMagnitude must be at least 1"));
            }
        }
        match c.metric_aggregation_type.as_deref() {
            None | Some("Average") | Some("Minimum") | Some("Maximum") => {}
            Some(other) => {
                return Err(verr(
                    format!("{cat}.MetricAggregationType"),
                    format!("MetricAggregationType '{other}' must be Average, Minimum or Maximum"),
                ))
            }
        }
        let cooldown = cooldown(c.cooldown, format!("{cat}.Cooldown"))?;
        self.step.push(StepPolicy {
            name: p.policy_name.clone(),
            resource_id: p.resource_id.clone(),
            kind,
            steps: c.step_adjustments.clone(),
            min_magnitude: c.min_adjustment_magnitude,
            cooldown,
            cd: Cooldowns::default(),
        });
        Ok(())
    }

    fn add_alarm(&mut self, at: &str, a: &types::PutMetricAlarm, cluster: &str) -> ApiResult<()> {
        let cw = |field: &str, code: &'static str, m: String| ApiError::new(code, format!("{at}.{field}"), m);
        if a.alarm_name.is_empty() || a.alarm_name.len() > 255 {
            return Err(cw("AlarmName", "InvalidParameterValue", "AlarmName must be 1 to 255 characters".into()));
        }
        if self.alarms.iter().any(|m| m.alarm.spec.name == a.alarm_name) {
            return Err(cw("AlarmName", "InvalidParameterValue", format!("alarm {} is defined twice", a.alarm_name)));
        }
        let Some(metric_name) = a.metric_name.clone() else {
            return Err(cw(
                "MetricName",
                "MissingParameter",
                "MetricName and Namespace are required (metric math alarms are not simulated)".into(),
            ));
        };
        let Some(namespace) = a.namespace.clone() else {
            return Err(cw("Namespace", "MissingParameter", "Namespace is required with MetricName".into()));
        };
        match a.statistic.as_deref() {
            Some("SampleCount" | "Average" | "Sum" | "Minimum" | "Maximum") => {}
            Some(other) => {
                return Err(cw(
                    "Statistic",
                    "InvalidParameterValue",
                    format!("Statistic '{other}' must be SampleCount, Average, Sum, Minimum or Maximum"),
                ))
            }
            None => return Err(cw("Statistic", "MissingParameter", "Statistic is required".into())),
        }
        if a.period != Some(60) {
            return Err(cw(
                "Period",
                "InvalidParameterValue",
                "the simulation produces 1-minute datapoints: Period must be 60".into(),
            ));
        }
        if !(1..=1440).contains(&a.evaluation_periods) {
            return Err(cw(
                "EvaluationPeriods",
                "InvalidParameterValue",
                "EvaluationPeriods must be at least 1, and EvaluationPeriods x Period cannot exceed one day".into(),
            ));
        }
        let m = a.datapoints_to_alarm.unwrap_or(a.evaluation_periods);
        if m < 1 || m > a.evaluation_periods {
            return Err(cw(
                "DatapointsToAlarm",
                "InvalidParameterValue",
                "DatapointsToAlarm must be between 1 and EvaluationPeriods".into(),
            ));
        }
        let Some(threshold) = a.threshold.filter(|t| t.is_finite()) else {
            return Err(cw("Threshold", "MissingParameter", "Threshold is required".into()));
        };
        let comparison = Comparison::parse(&a.comparison_operator, &format!("{at}.ComparisonOperator"))?;
        let missing = MissingData::parse(a.treat_missing_data.as_deref(), &format!("{at}.TreatMissingData"))?;

        // The service whose metric the alarm watches: from AWS/ECS dimensions, or from the policies it invokes.
        let mut resource: Option<String> = None;
        if namespace == "AWS/ECS" {
            let dim = |n: &str| a.dimensions.iter().find(|d| d.name == n).map(|d| d.value.clone());
            if let (Some(c), Some(svc)) = (dim("ClusterName"), dim("ServiceName")) {
                if c != cluster {
                    return Err(cw(
                        "Dimensions",
                        "InvalidParameterValue",
                        format!("ClusterName '{c}' is not the scenario's cluster '{cluster}'"),
                    ));
                }
                resource = Some(format!("service/{c}/{svc}"));
            }
        }
        let mut actions = vec![];
        for (j, action) in a.alarm_actions.iter().enumerate() {
            let f = format!("AlarmActions[{j}]");
            let (res, name) = parse_policy_ref(action);
            let found: Vec<usize> = self
                .step
                .iter()
                .enumerate()
                .filter(|(_, p)| p.name == name && res.is_none_or(|r| r == p.resource_id))
                .map(|(k, _)| k)
                .collect();
            let k = match found.as_slice() {
                [k] => *k,
                [] => {
                    let tt = self.tt.iter().any(|p| p.name == name);
                    return Err(cw(
                        &f,
                        "InvalidParameterValue",
                        if tt {
                            format!(
                                "'{name}' is a target tracking policy: Application Auto Scaling creates and manages its \
                                 alarms; alarm actions must name a step scaling policy"
                            )
                        } else {
                            format!("'{action}' does not name a step scaling policy in scaling.ScalingPolicies")
                        },
                    ));
                }
                _ => {
                    return Err(cw(
                        &f,
                        "InvalidParameterValue",
                        format!("policy name '{name}' is ambiguous: use the policy ARN with its resource"),
                    ))
                }
            };
            let pres = self.step.get(k).map(|p| p.resource_id.clone()).unwrap_or_default();
            match &resource {
                Some(r) if *r != pres => {
                    return Err(cw(
                        &f,
                        "InvalidParameterCombination",
                        format!("the alarm watches {r} but its action scales {pres}"),
                    ))
                }
                _ => resource = Some(pres),
            }
            actions.push(k);
        }
        let Some(resource_id) = resource else {
            return Err(cw(
                "AlarmActions",
                "InvalidParameterCombination",
                "name a step scaling policy in AlarmActions (or give AWS/ECS dimensions ClusterName and ServiceName) \
                 so the simulation knows which service's metric the alarm watches"
                    .into(),
            ));
        };
        let spec = AlarmSpec {
            name: a.alarm_name.clone(),
            metric_name: metric_name.clone(),
            threshold,
            comparison,
            evaluation_periods: a.evaluation_periods as usize,
            datapoints_to_alarm: m as usize,
            missing,
        };
        let idx = self.push_alarm(spec, &resource_id, MetricSource::from_metric_name(&metric_name), actions);
        if let Some(ma) = self.alarms.get_mut(idx) {
            ma.actions_enabled = a.actions_enabled.unwrap_or(true);
        }
        Ok(())
    }

    fn add_scheduled(&mut self, at: &str, a: &types::PutScheduledAction, cluster: &str) -> ApiResult<()> {
        types::check_identity(at, &a.service_namespace, &a.resource_id, &a.scalable_dimension, cluster)?;
        if !self.targets.contains_key(&a.resource_id) {
            return Err(not_found(&a.resource_id).at(at));
        }
        if a.scheduled_action_name.is_empty() || a.scheduled_action_name.len() > 256 {
            return Err(verr(format!("{at}.ScheduledActionName"), "ScheduledActionName must be 1 to 256 characters"));
        }
        if self.scheduled.iter().any(|s| s.resource_id == a.resource_id && s.name == a.scheduled_action_name) {
            return Err(verr(
                format!("{at}.ScheduledActionName"),
                format!("scheduled action {} is defined twice", a.scheduled_action_name),
            ));
        }
        let Some(schedule) = &a.schedule else {
            return Err(verr(format!("{at}.Schedule"), "Schedule is required when creating a scheduled action"));
        };
        let expr = ScheduleExpr::parse(schedule).map_err(|e| e.at(&format!("{at}.Schedule")))?;
        match a.timezone.as_deref() {
            None | Some("UTC") | Some("Etc/UTC") => {}
            Some(other) => {
                return Err(verr(
                    format!("{at}.Timezone"),
                    format!("Timezone '{other}': the playground evaluates schedules in UTC only (the default)"),
                ))
            }
        }
        let time = |v: &Option<String>, f: &str| -> ApiResult<Option<i64>> {
            v.as_deref().map(parse_timestamp).transpose().map_err(|m| verr(format!("{at}.{f}"), m))
        };
        let st = time(&a.start_time, "StartTime")?;
        let et = time(&a.end_time, "EndTime")?;
        if let (Some(s), Some(e)) = (st, et) {
            if e <= s {
                return Err(verr(format!("{at}.EndTime"), "EndTime must be after StartTime"));
            }
        }
        let Some(action) = a.scalable_target_action.filter(|x| x.min_capacity.is_some() || x.max_capacity.is_some())
        else {
            return Err(verr(
                format!("{at}.ScalableTargetAction"),
                "ScalableTargetAction needs the new MinCapacity, MaxCapacity or both",
            ));
        };
        let min =
            action.min_capacity.map(|v| capacity(v, format!("{at}.ScalableTargetAction.MinCapacity"))).transpose()?;
        let max =
            action.max_capacity.map(|v| capacity(v, format!("{at}.ScalableTargetAction.MaxCapacity"))).transpose()?;
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo > hi {
                return Err(verr(
                    format!("{at}.ScalableTargetAction.MinCapacity"),
                    "Minimum capacity cannot be greater than maximum capacity",
                ));
            }
        }
        let start_time = st.map(|s| self.start.sim_time(s).unwrap_or(0)).unwrap_or(0);
        // An EndTime before the simulation starts leaves nothing to run.
        let end_time = match et {
            Some(e) => Some(self.start.sim_time(e).unwrap_or(0)),
            None => None,
        };
        let ended = et.is_some_and(|e| e < self.start.0);
        let mut sa = ScheduledAction {
            name: a.scheduled_action_name.clone(),
            resource_id: a.resource_id.clone(),
            expr,
            start_time,
            end_time,
            min,
            max,
            next_due: None,
        };
        sa.next_due = if ended { None } else { sa.occurrence_at_or_after(self.start, 0) };
        self.scheduled.push(sa);
        Ok(())
    }

    /// Whether nothing is registered (no scalable target, so nothing to evaluate).
    /// After a live RegisterScalableTarget / PutScalingPolicy / DeleteScalingPolicy rebuilt this
    /// model from the updated requests, carry over the running state of everything the call did
    /// not change: alarm windows and states (matched by their full configuration, so a policy
    /// whose target changed gets fresh alarms, as AWS recreates a target tracking policy's alarms
    /// when the policy is updated), cooldowns per policy, scheduled actions' next occurrence, and
    /// the min/max capacity of targets other than `changed_target` (scheduled actions may have
    /// moved them since the scenario started).
    pub fn carry_state_from(&mut self, old: &AutoScaler, changed_target: Option<&str>) {
        for a in &mut self.alarms {
            if let Some(o) = old.alarms.iter().find(|o| o.alarm.spec == a.alarm.spec && o.resource_id == a.resource_id)
            {
                a.alarm = o.alarm.clone();
            }
        }
        for p in &mut self.tt {
            if let Some(o) = old.tt.iter().find(|o| o.name == p.name && o.resource_id == p.resource_id) {
                p.cd = o.cd.clone();
            }
        }
        for p in &mut self.step {
            if let Some(o) = old.step.iter().find(|o| o.name == p.name && o.resource_id == p.resource_id) {
                p.cd = o.cd.clone();
            }
        }
        for a in &mut self.scheduled {
            if let Some(o) = old.scheduled.iter().find(|o| o.name == a.name && o.resource_id == a.resource_id) {
                a.next_due = o.next_due;
            }
        }
        for (rid, t) in &mut self.targets {
            if Some(rid.as_str()) != changed_target {
                if let Some(o) = old.targets.get(rid) {
                    t.min = o.min;
                    t.max = o.max;
                }
            }
        }
    }

    /// A scheduled action created or updated at `now` by a live PutScheduledAction runs at its
    /// next occurrence from then on (earlier occurrences of its schedule are not made up).
    pub fn reschedule(&mut self, resource_id: &str, name: &str, now: SimTime) {
        let start = self.start;
        for a in self.scheduled.iter_mut().filter(|a| a.resource_id == resource_id && a.name == name) {
            a.next_due = a.occurrence_at_or_after(start, now);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// The resource ids of the registered scalable targets, in order.
    pub fn resource_ids(&self) -> Vec<String> {
        self.targets.keys().cloned().collect()
    }

    /// The calendar instant of simulated time 0.
    pub fn start(&self) -> StartDate {
        self.start
    }

    /// Current (MinCapacity, MaxCapacity) of a registered target.
    pub fn capacity_range(&self, resource_id: &str) -> Option<(u32, u32)> {
        self.targets.get(resource_id).map(|t| (t.min, t.max))
    }

    /// Names of the alarms watching a service and their current states (managed target tracking
    /// alarms included), in creation order.
    pub fn alarm_states(&self, resource_id: &str) -> Vec<(String, AlarmState)> {
        self.alarms
            .iter()
            .filter(|a| a.resource_id == resource_id)
            .map(|a| (a.alarm.spec.name.clone(), a.alarm.state))
            .collect()
    }

    /// The earliest scheduled action occurrence not yet run (at or after `now` unless overdue).
    /// `None` when no scheduled action will run again.
    pub fn next_scheduled(&self, now: SimTime) -> Option<SimTime> {
        let _ = now;
        self.scheduled.iter().filter_map(|s| s.next_due).min()
    }

    /// Run every scheduled action due at or before `now` (each fires once even if several of its
    /// occurrences were overdue). `inputs` supply the current desired counts.
    pub fn run_scheduled(&mut self, now: SimTime, inputs: &[ServiceInput]) -> Vec<ScalingOutput> {
        let mut desired: BTreeMap<String, u32> =
            inputs.iter().map(|i| (i.resource_id.clone(), i.current_desired)).collect();
        self.run_scheduled_with(now, &mut desired)
    }

    fn run_scheduled_with(&mut self, now: SimTime, desired: &mut BTreeMap<String, u32>) -> Vec<ScalingOutput> {
        let mut out = vec![];
        let start = self.start;
        // Due actions in order of due time, then definition order.
        let mut due: Vec<(SimTime, usize)> = self
            .scheduled
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.next_due.filter(|t| *t <= now).map(|t| (t, i)))
            .collect();
        due.sort();
        for (_, i) in due {
            let Some(sa) = self.scheduled.get_mut(i) else { continue };
            sa.next_due = sa.occurrence_at_or_after(start, now.saturating_add(1));
            let (name, resource_id, new_min, new_max) = (sa.name.clone(), sa.resource_id.clone(), sa.min, sa.max);
            let Some(target) = self.targets.get_mut(&resource_id) else { continue };
            if target.suspended.scheduled_scaling_suspended {
                continue;
            }
            let (old_min, old_max) = (target.min, target.max);
            target.min = new_min.unwrap_or(target.min);
            target.max = new_max.unwrap_or(target.max);
            // A one-sided action may cross the other bound; keep the range well formed by moving it.
            if target.min > target.max {
                if new_min.is_some() {
                    target.max = target.min;
                } else {
                    target.min = target.max;
                }
            }
            out.push(ScalingOutput::CapacityRangeChange(CapacityRangeChange {
                resource_id: resource_id.clone(),
                scheduled_action_name: name.clone(),
                old_min,
                old_max,
                min: target.min,
                max: target.max,
            }));
            if let Some(cur) = desired.get_mut(&resource_id) {
                let to = (*cur).clamp(target.min, target.max);
                if to != *cur {
                    out.push(ScalingOutput::ScalingActivity(ScalingActivity {
                        resource_id: resource_id.clone(),
                        from: *cur,
                        to,
                        description: format!("Setting desired count to {to}."),
                        cause: format!("scheduled action name {name} was triggered"),
                        policy_name: None,
                        scheduled_action_name: Some(name.clone()),
                    }));
                    *cur = to;
                }
            }
        }
        out
    }

    /// Evaluate one simulated minute ending at `now`: run due scheduled actions, add each service's
    /// datapoints to its alarms, then invoke the policies whose alarms are in ALARM. Services not in
    /// `inputs` get no datapoints (missing data) and no scaling.
    pub fn evaluate(&mut self, now: SimTime, inputs: &[ServiceInput]) -> Vec<ScalingOutput> {
        let mut desired: BTreeMap<String, u32> =
            inputs.iter().map(|i| (i.resource_id.clone(), i.current_desired)).collect();
        let measured: BTreeMap<&str, u32> =
            inputs.iter().map(|i| (i.resource_id.as_str(), i.measured_capacity.unwrap_or(i.current_desired))).collect();
        let deploying: BTreeMap<&str, bool> =
            inputs.iter().map(|i| (i.resource_id.as_str(), i.deployment_in_progress)).collect();
        let mut out = self.run_scheduled_with(now, &mut desired);

        // 1. Alarms.
        let empty = MetricDatapoints::default();
        for ma in self.alarms.iter_mut() {
            let d = inputs.iter().find(|i| i.resource_id == ma.resource_id).map(|i| &i.datapoints).unwrap_or(&empty);
            let value = ma.source.read(d);
            if let Some(tr) = ma.alarm.observe(now, value, self.start) {
                out.push(ScalingOutput::AlarmStateChange(AlarmStateChange {
                    alarm_name: ma.alarm.spec.name.clone(),
                    resource_id: ma.resource_id.clone(),
                    old_state: tr.old,
                    new_state: tr.new,
                    reason: tr.reason,
                    condition: ma.alarm.condition(),
                }));
            }
        }

        // 2. Policies, per scalable target.
        let resources: Vec<String> = self.targets.keys().cloned().collect();
        for rid in resources {
            let Some(&cur) = desired.get(&rid) else { continue };
            let Some(target) = self.targets.get(&rid).cloned() else { continue };
            let scale_in_blocked =
                target.suspended.dynamic_scaling_in_suspended || deploying.get(rid.as_str()).copied().unwrap_or(false);
            let on = measured.get(rid.as_str()).copied().unwrap_or(cur);
            let (outs, ins) = self.proposals(&rid, cur, on, &target, now);
            let chosen = if !outs.is_empty() && !target.suspended.dynamic_scaling_out_suspended {
                outs.into_iter().max_by_key(|p| p.to)
            } else if !ins.is_empty() && !scale_in_blocked {
                // Prioritise availability: of the scale-ins, keep the largest capacity.
                ins.into_iter().max_by_key(|p| p.to)
            } else {
                None
            };
            let Some(p) = chosen else { continue };
            if p.to == cur {
                continue;
            }
            let out_dir = p.to > cur;
            self.start_cooldown(p.policy, out_dir, cur, now);
            if out_dir {
                // A scale-out stops every scale-in cooldown on this target.
                for t in self.tt.iter_mut().filter(|t| t.resource_id == rid) {
                    t.cd.scale_in_until = None;
                }
                for s in self.step.iter_mut().filter(|s| s.resource_id == rid) {
                    s.cd.scale_in_until = None;
                }
            }
            let policy_name = match p.policy {
                PolicyRef::TargetTracking(k) => self.tt.get(k).map(|x| x.name.clone()),
                PolicyRef::Step(k) => self.step.get(k).map(|x| x.name.clone()),
            }
            .unwrap_or_default();
            out.push(ScalingOutput::ScalingActivity(ScalingActivity {
                resource_id: rid.clone(),
                from: cur,
                to: p.to,
                description: format!("Setting desired count to {}.", p.to),
                cause: format!("monitor alarm {} in state ALARM triggered policy {policy_name}", p.alarm),
                policy_name: Some(policy_name),
                scheduled_action_name: None,
            }));
            desired.insert(rid, p.to);
        }
        out
    }

    /// Scale-out and scale-in proposals for one target. Target tracking scale-ins are kept only if
    /// every target tracking policy with scale-in enabled is ready to scale in.
    fn proposals(
        &self,
        rid: &str,
        cur: u32,
        measured: u32,
        target: &Target,
        now: SimTime,
    ) -> (Vec<Proposal>, Vec<Proposal>) {
        let mut outs = vec![];
        let mut ins = vec![];
        let mut tt_in_ready = true;
        let clamp = |v: i64| -> u32 { v.clamp(target.min as i64, target.max as i64) as u32 };
        for (k, p) in self.tt.iter().enumerate().filter(|(_, p)| p.resource_id == rid) {
            let high = self.alarms.get(p.high);
            let low = p.low.and_then(|l| self.alarms.get(l));
            let mut ready_in = false;
            if let Some(h) = high.filter(|h| h.alarm.state == AlarmState::Alarm) {
                if let Some(metric) = h.alarm.latest_value() {
                    // Outside a cooldown, from the current capacity; during one, from the capacity
                    // the metric was measured on (see the module docs on cooldowns).
                    let cooling = p.cd.scale_out.is_some_and(|(until, _)| now < until);
                    let base = if cooling { measured } else { cur };
                    let want = clamp(target_tracking::proportional_capacity(base, metric, p.target) as i64);
                    if want > cur {
                        outs.push(Proposal {
                            policy: PolicyRef::TargetTracking(k),
                            alarm: h.alarm.spec.name.clone(),
                            to: want,
                        });
                    }
                }
            } else if let Some(l) = low.filter(|l| l.alarm.state == AlarmState::Alarm) {
                if let Some(metric) = l.alarm.latest_value() {
                    let want = clamp(target_tracking::proportional_capacity(cur, metric, p.target) as i64);
                    let cooling = p.cd.scale_in_until.is_some_and(|until| now < until);
                    if want < cur && !cooling {
                        ready_in = true;
                        ins.push(Proposal {
                            policy: PolicyRef::TargetTracking(k),
                            alarm: l.alarm.spec.name.clone(),
                            to: want,
                        });
                    }
                }
            }
            if !p.disable_scale_in && !ready_in {
                tt_in_ready = false;
            }
        }
        for ma in self.alarms.iter().filter(|a| a.resource_id == rid && a.actions_enabled) {
            if ma.alarm.state != AlarmState::Alarm {
                continue;
            }
            let Some(metric) = ma.alarm.latest_value() else { continue };
            for &k in &ma.actions {
                let Some(p) = self.step.get(k) else { continue };
                let upper = ma.alarm.spec.comparison.is_upper();
                let Some(step) = step_scaling::select_step(&p.steps, metric, ma.alarm.spec.threshold, upper) else {
                    continue;
                };
                // Direction of the step decides which cooldown applies.
                let raw_out = step_scaling::apply_adjustment(p.kind, cur, step.scaling_adjustment, p.min_magnitude);
                if raw_out > cur as i64 {
                    let base = scale_out_base(&p.cd, cur, now);
                    let want =
                        clamp(step_scaling::apply_adjustment(p.kind, base, step.scaling_adjustment, p.min_magnitude));
                    if want > cur {
                        outs.push(Proposal { policy: PolicyRef::Step(k), alarm: ma.alarm.spec.name.clone(), to: want });
                    }
                } else if raw_out < cur as i64 {
                    let cooling = p.cd.scale_in_until.is_some_and(|until| now < until);
                    let want = clamp(raw_out);
                    if want < cur && !cooling {
                        ins.push(Proposal { policy: PolicyRef::Step(k), alarm: ma.alarm.spec.name.clone(), to: want });
                    }
                }
            }
        }
        // Step scale-ins are not held back by target tracking policies; TT ones need every TT ready.
        let any_tt_in = ins.iter().any(|p| matches!(p.policy, PolicyRef::TargetTracking(_)));
        if any_tt_in && !tt_in_ready {
            ins.retain(|p| !matches!(p.policy, PolicyRef::TargetTracking(_)));
        }
        (outs, ins)
    }

    fn start_cooldown(&mut self, policy: PolicyRef, scale_out: bool, before: u32, now: SimTime) {
        let (cd, out_len, in_len) = match policy {
            PolicyRef::TargetTracking(k) => match self.tt.get_mut(k) {
                Some(p) => (&mut p.cd, p.scale_out_cooldown, p.scale_in_cooldown),
                None => return,
            },
            PolicyRef::Step(k) => match self.step.get_mut(k) {
                Some(p) => (&mut p.cd, p.cooldown, p.cooldown),
                None => return,
            },
        };
        if scale_out {
            // Keep the base of a cooldown already running: the new activity is part of it.
            let base = match cd.scale_out {
                Some((until, base)) if now < until => base,
                _ => before,
            };
            cd.scale_out = Some((now.saturating_add(out_len), base));
        } else {
            cd.scale_in_until = Some(now.saturating_add(in_len));
        }
    }
}

/// The capacity a scale-out is computed from: during the policy's scale-out cooldown, the capacity
/// before the initiating scale-out ("the capacity added by the initiating scale-out activity is
/// calculated as part of the desired capacity for the next scale-out activity").
fn scale_out_base(cd: &Cooldowns, cur: u32, now: SimTime) -> u32 {
    match cd.scale_out {
        Some((until, base)) if now < until => base,
        _ => cur,
    }
}
