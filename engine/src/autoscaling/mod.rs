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
mod evaluation;
mod live;
pub mod scheduled;
mod state;
pub mod step_scaling;
pub mod target_tracking;
pub mod types;
mod validation;

use crate::schedule_expr::StartDate;
use crate::time::SimTime;
use scheduled::ScheduledAction;
use std::collections::BTreeMap;

pub use state::{
    AlarmState, AlarmStateChange, CapacityRangeChange, MetricDatapoints, MetricSource, ScalingActivity, ScalingOutput,
    ServiceInput,
};
use state::{ManagedAlarm, Policy, Target};

/// Default cooldown for ECS services: "Application Auto Scaling provides a default value of 300 for
/// the following scalable targets: ECS services, ...".
pub const DEFAULT_COOLDOWN_SECS: i64 = 300;

/// The Application Auto Scaling state of a scenario. Loaded from the scenario's `scaling`
/// requests (validation.rs) and changed in place by the live API calls (live.rs).
#[derive(Debug, Clone, Default)]
pub struct AutoScaler {
    start: StartDate,
    targets: BTreeMap<String, Target>,
    /// Scaling policies in creation order; target tracking policies own their alarms.
    policies: Vec<Policy>,
    /// The scenario's `Alarms` (PutMetricAlarm bodies that invoke step scaling policies).
    alarms: Vec<ManagedAlarm>,
    scheduled: Vec<ScheduledAction>,
}

impl AutoScaler {
    /// Every alarm in creation order: the target tracking policies' alarms (by policy), then the
    /// scenario's `Alarms`.
    fn all_alarms(&self) -> impl Iterator<Item = &ManagedAlarm> {
        self.policies.iter().flat_map(Policy::alarms).chain(self.alarms.iter())
    }

    /// Every alarm this scaler manages with its state now (`describe-alarms`' StateValue), in
    /// creation order. Read by lesson claims (`crate::lesson::check_claims`).
    pub fn all_alarm_states(&self) -> Vec<(String, &'static str)> {
        self.all_alarms().map(|a| (a.alarm.spec.name.clone(), a.alarm.state.as_str())).collect()
    }

    /// Whether nothing is registered (no scalable target, so nothing to evaluate).
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
        self.all_alarms()
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
}
