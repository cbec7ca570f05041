//! The scenario's `scaling` section, in the request shapes of the Application Auto Scaling API
//! (RegisterScalableTarget, PutScalingPolicy, PutScheduledAction) and CloudWatch (PutMetricAlarm),
//! PascalCase as those APIs spell them. Unknown keys are errors that name the key.

use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `scaling: { "ScalableTargets": [...], "ScalingPolicies": [...], "ScheduledActions": [...], "Alarms": [...] }`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ScalingSection {
    #[serde(default)]
    pub scalable_targets: Vec<RegisterScalableTarget>,
    #[serde(default)]
    pub scaling_policies: Vec<PutScalingPolicy>,
    #[serde(default)]
    pub scheduled_actions: Vec<PutScheduledAction>,
    /// CloudWatch PutMetricAlarm bodies: the alarms that invoke step scaling policies.
    #[serde(default)]
    pub alarms: Vec<PutMetricAlarm>,
}

/// `SuspendedState` of RegisterScalableTarget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SuspendedState {
    #[serde(default)]
    pub dynamic_scaling_in_suspended: bool,
    #[serde(default)]
    pub dynamic_scaling_out_suspended: bool,
    #[serde(default)]
    pub scheduled_scaling_suspended: bool,
}

/// RegisterScalableTarget request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RegisterScalableTarget {
    pub service_namespace: String,
    pub resource_id: String,
    pub scalable_dimension: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_capacity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_capacity: Option<i64>,
    #[serde(default, rename = "RoleARN", skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended_state: Option<SuspendedState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PredefinedMetricSpecification {
    pub predefined_metric_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct MetricDimension {
    pub name: String,
    pub value: String,
}

/// CustomizedMetricSpecification (single-metric form). The simulation supplies its value as
/// `MetricDatapoints.custom[MetricName]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CustomizedMetricSpecification {
    pub metric_name: String,
    pub namespace: String,
    #[serde(default)]
    pub dimensions: Vec<MetricDimension>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TargetTrackingScalingPolicyConfiguration {
    pub target_value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predefined_metric_specification: Option<PredefinedMetricSpecification>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customized_metric_specification: Option<CustomizedMetricSpecification>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_out_cooldown: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_in_cooldown: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_scale_in: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StepAdjustment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_interval_lower_bound: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_interval_upper_bound: Option<f64>,
    pub scaling_adjustment: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StepScalingPolicyConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjustment_type: Option<String>,
    #[serde(default)]
    pub step_adjustments: Vec<StepAdjustment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_adjustment_magnitude: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooldown: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_aggregation_type: Option<String>,
}

/// PutScalingPolicy request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PutScalingPolicy {
    pub policy_name: String,
    pub service_namespace: String,
    pub resource_id: String,
    pub scalable_dimension: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_scaling_policy_configuration: Option<StepScalingPolicyConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_tracking_scaling_policy_configuration: Option<TargetTrackingScalingPolicyConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predictive_scaling_policy_configuration: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ScalableTargetAction {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_capacity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_capacity: Option<i64>,
}

/// PutScheduledAction request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PutScheduledAction {
    pub service_namespace: String,
    pub scheduled_action_name: String,
    pub resource_id: String,
    pub scalable_dimension: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scalable_target_action: Option<ScalableTargetAction>,
}

/// CloudWatch PutMetricAlarm request body (the single-metric form).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PutMetricAlarm {
    pub alarm_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_enabled: Option<bool>,
    #[serde(default)]
    pub alarm_actions: Vec<String>,
    #[serde(default, rename = "OKActions")]
    pub ok_actions: Vec<String>,
    #[serde(default)]
    pub insufficient_data_actions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistic: Option<String>,
    #[serde(default)]
    pub dimensions: Vec<MetricDimension>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub evaluation_periods: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datapoints_to_alarm: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    pub comparison_operator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treat_missing_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Value>,
}

/// Parse the `scaling` value. Serde errors name the JSON path, prefixed `scaling.`.
pub fn parse_section(v: &Value) -> ApiResult<ScalingSection> {
    crate::error::deserialize_value("ValidationException", "scaling", v)
}

// ---------------------------------------------------------------- shared identity checks

pub const ECS_NAMESPACE: &str = "ecs";
pub const ECS_DIMENSION: &str = "ecs:service:DesiredCount";

fn verr(field: String, message: impl Into<String>) -> ApiError {
    ApiError::new("ValidationException", field, message)
}

/// Check ServiceNamespace, ResourceId and ScalableDimension of any Application Auto Scaling request
/// for an ECS service. "ECS service - The resource type is service and the unique identifier is the
/// cluster name and service name. Example: service/my-cluster/my-service." (API Reference, ResourceId)
pub fn check_identity(at: &str, namespace: &str, resource_id: &str, dimension: &str, cluster: &str) -> ApiResult<()> {
    if namespace != ECS_NAMESPACE {
        return Err(verr(
            format!("{at}.ServiceNamespace"),
            format!("ServiceNamespace '{namespace}': this playground scales Amazon ECS services only; use '{ECS_NAMESPACE}'"),
        ));
    }
    if dimension != ECS_DIMENSION {
        return Err(verr(
            format!("{at}.ScalableDimension"),
            format!("ScalableDimension '{dimension}' is not valid for an ECS service; use '{ECS_DIMENSION}'"),
        ));
    }
    let parts: Vec<&str> = resource_id.split('/').collect();
    match parts.as_slice() {
        ["service", c, s] if !c.is_empty() && !s.is_empty() => {
            if *c != cluster {
                return Err(verr(
                    format!("{at}.ResourceId"),
                    format!(
                        "ResourceId '{resource_id}' names cluster '{c}', but the scenario's cluster is '{cluster}'"
                    ),
                ));
            }
            Ok(())
        }
        _ => Err(verr(
            format!("{at}.ResourceId"),
            format!(
                "ResourceId '{resource_id}' must be service/<cluster-name>/<service-name>, e.g. service/{cluster}/web"
            ),
        )),
    }
}
