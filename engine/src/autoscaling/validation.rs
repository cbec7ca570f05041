//! Building an [`AutoScaler`] from the scenario's `scaling` requests, each validated as the API
//! would (RegisterScalableTarget, PutScalingPolicy, PutMetricAlarm, PutScheduledAction), with
//! errors naming the field.

use super::alarm::{Alarm, AlarmSpec, Comparison, MissingData};
use super::scheduled::ScheduledAction;
use super::state::*;
use super::step_scaling::AdjustmentType;
use super::{step_scaling, target_tracking, types, AutoScaler, DEFAULT_COOLDOWN_SECS};
use crate::error::{ApiError, ApiResult};
use crate::schedule_expr::{parse_timestamp, ScheduleExpr, StartDate};
use crate::time::{SimTime, SECOND};
use serde_json::Value;
use std::collections::BTreeMap;

/// Upper bound on cooldowns accepted here (one year); a sanity bound of the playground, not a
/// documented API limit.
const MAX_COOLDOWN_SECS: i64 = 31_536_000;

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
            "No scalable target registered for service namespace: {}, resource ID: {resource_id}, scalable dimension: {}",
            types::ECS_NAMESPACE,
            types::ECS_DIMENSION
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
    /// Build from the scenario's `scaling` value (absent = no auto scaling). Every request is
    /// validated as the API would, with errors naming the field (`scaling.ScalingPolicies[0]...`).
    pub fn from_scenario(scaling: Option<&Value>, cluster: &str, start: StartDate) -> ApiResult<AutoScaler> {
        let mut s = AutoScaler { start, targets: BTreeMap::new(), policies: vec![], alarms: vec![], scheduled: vec![] };
        let Some(v) = scaling else { return Ok(s) };
        let section = types::parse_section(v)?;

        for (i, t) in section.scalable_targets.iter().enumerate() {
            let at = format!("scaling.ScalableTargets[{i}]");
            let target = s.build_target(&at, t, cluster, true)?;
            s.targets.insert(t.resource_id.clone(), target);
        }

        for (i, p) in section.scaling_policies.iter().enumerate() {
            let at = format!("scaling.ScalingPolicies[{i}]");
            let policy = s.build_policy(&at, p, cluster, true)?;
            s.policies.push(policy);
        }

        for (i, a) in section.alarms.iter().enumerate() {
            let at = format!("scaling.Alarms[{i}]");
            let alarm = s.build_alarm(&at, a, cluster)?;
            s.alarms.push(alarm);
        }

        for (i, a) in section.scheduled_actions.iter().enumerate() {
            let at = format!("scaling.ScheduledActions[{i}]");
            let action = s.build_scheduled(&at, a, cluster, true)?;
            s.scheduled.push(action);
        }
        Ok(s)
    }

    /// A validated RegisterScalableTarget request as a target. `check_dup`: refuse a second
    /// registration of the same resource (loading).
    pub(super) fn build_target(
        &self,
        at: &str,
        t: &types::RegisterScalableTarget,
        cluster: &str,
        check_dup: bool,
    ) -> ApiResult<Target> {
        types::check_identity(at, &t.service_namespace, &t.resource_id, &t.scalable_dimension, cluster)?;
        if check_dup && self.targets.contains_key(&t.resource_id) {
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
            return Err(verr(format!("{at}.MinCapacity"), "Minimum capacity cannot be greater than maximum capacity"));
        }
        Ok(Target { min, max, suspended: t.suspended_state.unwrap_or_default() })
    }

    /// A validated PutScalingPolicy request as a policy (target tracking: with its alarms).
    /// `check_dup`: refuse a second policy of the same name and resource (loading).
    pub(super) fn build_policy(
        &self,
        at: &str,
        p: &types::PutScalingPolicy,
        cluster: &str,
        check_dup: bool,
    ) -> ApiResult<Policy> {
        types::check_identity(at, &p.service_namespace, &p.resource_id, &p.scalable_dimension, cluster)?;
        if !self.targets.contains_key(&p.resource_id) {
            return Err(not_found(&p.resource_id).at(at));
        }
        if p.policy_name.is_empty() || p.policy_name.len() > 256 {
            return Err(verr(format!("{at}.PolicyName"), "PolicyName must be 1 to 256 characters"));
        }
        if check_dup && self.policies.iter().any(|x| x.is(&p.resource_id, &p.policy_name)) {
            return Err(verr(format!("{at}.PolicyName"), format!("policy {} is defined twice", p.policy_name)));
        }
        match p.policy_type.as_deref() {
            Some("TargetTrackingScaling") => Self::target_tracking(at, p).map(|t| Policy::TargetTracking(Box::new(t))),
            Some("StepScaling") => Self::step(at, p).map(Policy::Step),
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

    fn target_tracking(at: &str, p: &types::PutScalingPolicy) -> ApiResult<TargetTrackingPolicy> {
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
        let high = managed_alarm(
            target_tracking::high_alarm(high_name, &metric_name, c.target_value),
            &p.resource_id,
            source.clone(),
        );
        // With DisableScaleIn the policy "won't remove capacity", so no scale-in alarm is created here.
        let low = if disable_scale_in {
            None
        } else {
            let low_name = target_tracking::alarm_name(&p.resource_id, &p.policy_name, false);
            Some(managed_alarm(
                target_tracking::low_alarm(low_name, &metric_name, c.target_value),
                &p.resource_id,
                source,
            ))
        };
        Ok(TargetTrackingPolicy {
            name: p.policy_name.clone(),
            resource_id: p.resource_id.clone(),
            target: c.target_value,
            scale_out_cooldown,
            scale_in_cooldown,
            disable_scale_in,
            high,
            low,
            cd: Cooldowns::default(),
        })
    }

    fn step(at: &str, p: &types::PutScalingPolicy) -> ApiResult<StepPolicy> {
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
        Ok(StepPolicy {
            name: p.policy_name.clone(),
            resource_id: p.resource_id.clone(),
            kind,
            steps: c.step_adjustments.clone(),
            min_magnitude: c.min_adjustment_magnitude,
            cooldown,
            cd: Cooldowns::default(),
        })
    }

    /// A validated PutMetricAlarm request (the scenario's `Alarms`) as an alarm invoking the step
    /// scaling policies it names.
    fn build_alarm(&self, at: &str, a: &types::PutMetricAlarm, cluster: &str) -> ApiResult<ManagedAlarm> {
        let cw = |field: &str, code: &'static str, m: String| ApiError::new(code, format!("{at}.{field}"), m);
        if a.alarm_name.is_empty() || a.alarm_name.len() > 255 {
            return Err(cw("AlarmName", "InvalidParameterValue", "AlarmName must be 1 to 255 characters".into()));
        }
        self.check_alarm_name_unique(at, &a.alarm_name)?;
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
        let (resource_id, actions) = self.resolve_alarm_actions(at, &a.alarm_actions, resource.clone())?;
        let spec = AlarmSpec {
            name: a.alarm_name.clone(),
            metric_name: metric_name.clone(),
            threshold,
            comparison,
            evaluation_periods: a.evaluation_periods as usize,
            datapoints_to_alarm: m as usize,
            missing,
        };
        let mut ma = managed_alarm(spec, &resource_id, MetricSource::from_metric_name(&metric_name));
        ma.actions = actions;
        ma.alarm_actions = a.alarm_actions.clone();
        ma.dimension_resource = resource;
        ma.actions_enabled = a.actions_enabled.unwrap_or(true);
        Ok(ma)
    }

    /// An alarm name is used once, target tracking policies' alarms included.
    pub(super) fn check_alarm_name_unique(&self, at: &str, name: &str) -> ApiResult<()> {
        if self.all_alarms().any(|m| m.alarm.spec.name == name) {
            return Err(ApiError::new(
                "InvalidParameterValue",
                format!("{at}.AlarmName"),
                format!("alarm {name} is defined twice"),
            ));
        }
        Ok(())
    }

    /// The step scaling policies an alarm's AlarmActions name (by ARN or bare name), and the
    /// service whose metric it watches (`resource`: from its AWS/ECS dimensions, if they name one).
    pub(super) fn resolve_alarm_actions(
        &self,
        at: &str,
        alarm_actions: &[String],
        mut resource: Option<String>,
    ) -> ApiResult<(String, Vec<PolicyKey>)> {
        let cw = |field: &str, code: &'static str, m: String| ApiError::new(code, format!("{at}.{field}"), m);
        let mut actions = vec![];
        for (j, action) in alarm_actions.iter().enumerate() {
            let f = format!("AlarmActions[{j}]");
            let (res, name) = parse_policy_ref(action);
            let found: Vec<&StepPolicy> = self
                .policies
                .iter()
                .filter_map(|p| match p {
                    Policy::Step(p) if p.name == name && res.is_none_or(|r| r == p.resource_id) => Some(p),
                    _ => None,
                })
                .collect();
            let p = match found.as_slice() {
                [p] => *p,
                [] => {
                    let tt = self.policies.iter().any(|p| matches!(p, Policy::TargetTracking(t) if t.name == name));
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
            let pres = p.resource_id.clone();
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
            actions.push((p.resource_id.clone(), p.name.clone()));
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
        Ok((resource_id, actions))
    }

    /// A validated PutScheduledAction request as a scheduled action. `check_dup`: refuse a second
    /// action of the same name and resource (loading).
    pub(super) fn build_scheduled(
        &self,
        at: &str,
        a: &types::PutScheduledAction,
        cluster: &str,
        check_dup: bool,
    ) -> ApiResult<ScheduledAction> {
        types::check_identity(at, &a.service_namespace, &a.resource_id, &a.scalable_dimension, cluster)?;
        if !self.targets.contains_key(&a.resource_id) {
            return Err(not_found(&a.resource_id).at(at));
        }
        if a.scheduled_action_name.is_empty() || a.scheduled_action_name.len() > 256 {
            return Err(verr(format!("{at}.ScheduledActionName"), "ScheduledActionName must be 1 to 256 characters"));
        }
        if check_dup
            && self.scheduled.iter().any(|s| s.resource_id == a.resource_id && s.name == a.scheduled_action_name)
        {
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
        let end_time = et.map(|e| self.start.sim_time(e).unwrap_or(0));
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
        Ok(sa)
    }
}

/// An alarm the scaler manages, in its initial state, invoking no step policy.
pub(super) fn managed_alarm(spec: AlarmSpec, resource_id: &str, source: MetricSource) -> ManagedAlarm {
    ManagedAlarm {
        alarm: Alarm::new(spec),
        resource_id: resource_id.to_string(),
        source,
        actions: vec![],
        alarm_actions: vec![],
        dimension_resource: None,
        actions_enabled: true,
    }
}
