//! The scenario's `eventRules` section: EventBridge PutRule bodies with their PutTargets targets,
//! and the S3 buckets that send events to EventBridge.
//!
//! ```json
//! "eventRules": {
//!   "Buckets": [ { "Bucket": "uploads", "NotificationConfiguration": { "EventBridgeConfiguration": {} } } ],
//!   "Rules": [ {
//!     "Name": "nightly-report", "ScheduleExpression": "cron(0 2 * * ? *)", "State": "ENABLED",
//!     "Targets": [ { "Id": "report", "Arn": "arn:aws:ecs:us-east-1:123456789012:cluster/playground",
//!       "RoleArn": "arn:aws:iam::123456789012:role/ecsEventsRole",
//!       "EcsParameters": { "TaskDefinitionArn": "report", "TaskCount": 1, "LaunchType": "FARGATE",
//!                          "NetworkConfiguration": { "awsvpcConfiguration": { "subnets": ["subnet-1"] } } } } ]
//!   } ]
//! }
//! ```
//! Rules implemented (EventBridge API Reference, PutRule / PutTargets / EcsParameters):
//! - Name: "Maximum length of 64. Pattern: [\.\-_A-Za-z0-9]+".
//! - "A rule must contain at least an EventPattern or ScheduleExpression." Scheduled rules take
//!   `rate(...)` or `cron(...)` (six fields, UTC); `at(...)` belongs to EventBridge Scheduler.
//! - State ENABLED (default) or DISABLED: a disabled rule does not run its targets.
//! - "You can add up to five targets to a rule" (quotas); target Id "Maximum length of 64".
//! - EcsParameters.TaskCount: "The number of tasks to create based on TaskDefinition. The default
//!   is 1." (RunTask takes at most 10.)

use super::pattern;
use crate::error::{ApiError, ApiResult};
use crate::schedule_expr::ScheduleExpr;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EventRulesSection {
    #[serde(default)]
    pub buckets: Vec<BucketNotification>,
    #[serde(default)]
    pub rules: Vec<PutRule>,
}

/// PutBucketNotificationConfiguration body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct BucketNotification {
    pub bucket: String,
    #[serde(default)]
    pub notification_configuration: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PutRule {
    pub name: String,
    #[serde(default)]
    pub schedule_expression: Option<String>,
    #[serde(default)]
    pub event_pattern: Option<Value>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub role_arn: Option<String>,
    #[serde(default)]
    pub event_bus_name: Option<String>,
    /// The PutTargets `Targets` for this rule.
    #[serde(default)]
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Target {
    pub id: String,
    pub arn: String,
    #[serde(default)]
    pub role_arn: Option<String>,
    #[serde(default)]
    pub input: Option<String>,
    /// Required for an ECS target (the cluster ARN); absent for an SNS topic target.
    #[serde(default)]
    pub ecs_parameters: Option<EcsParameters>,
}

impl Target {
    /// An SNS topic target (`arn:aws:sns:<region>:<account>:<topic>`): EventBridge publishes the
    /// matched event to the topic ("Amazon SNS topic" targets, EventBridge User Guide).
    pub fn is_sns(&self) -> bool {
        self.arn.starts_with("arn:aws:sns:")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EcsParameters {
    pub task_definition_arn: String,
    #[serde(default)]
    pub task_count: Option<u32>,
    #[serde(default)]
    pub launch_type: Option<String>,
    /// `[{"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}]` (camelCase, as EventBridge
    /// spells CapacityProviderStrategyItem).
    #[serde(default)]
    pub capacity_provider_strategy: Vec<crate::scenario::CapacityProviderStrategyItem>,
    /// The RunTask `networkConfiguration` (camelCase inside, as RunTask spells it).
    #[serde(default)]
    pub network_configuration: Option<Value>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub platform_version: Option<String>,
}

/// A validated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub arn: String,
    pub schedule: Option<ScheduleExpr>,
    pub pattern: Option<Value>,
    pub enabled: bool,
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone, Default)]
pub struct EventRules {
    pub rules: Vec<Rule>,
    /// Buckets with EventBridge notifications turned on.
    pub eventbridge_buckets: Vec<String>,
}

pub const MAX_TARGETS: usize = 5;

pub fn parse(v: Option<&Value>, region: &str, account: &str, cluster_arn: &str) -> ApiResult<EventRules> {
    let Some(v) = v else { return Ok(EventRules::default()) };
    let sec: EventRulesSection = crate::error::deserialize_value("InvalidParameterException", "", v)?;
    let mut out = EventRules::default();
    for (i, b) in sec.buckets.iter().enumerate() {
        // S3 sends events to EventBridge once the bucket's notification configuration has an
        // `EventBridgeConfiguration` ("Enabling Amazon EventBridge", S3 User Guide).
        if b.notification_configuration.get("EventBridgeConfiguration").is_none() {
            return Err(ApiError::invalid(
                format!("Buckets[{i}].NotificationConfiguration"),
                "Add \"EventBridgeConfiguration\": {} to send the bucket's events to EventBridge.",
            ));
        }
        out.eventbridge_buckets.push(b.bucket.clone());
    }
    for (i, r) in sec.rules.iter().enumerate() {
        let at = format!("Rules[{i}]");
        if r.name.is_empty()
            || r.name.len() > 64
            || !r.name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        {
            return Err(ApiError::new(
                "ValidationException",
                format!("{at}.Name"),
                "Rule names are 1-64 characters of [.-_A-Za-z0-9].",
            ));
        }
        if out.rules.iter().any(|x| x.name == r.name) {
            return Err(ApiError::new(
                "ResourceAlreadyExistsException",
                format!("{at}.Name"),
                format!("Rule {} already exists.", r.name),
            ));
        }
        if r.schedule_expression.is_none() && r.event_pattern.is_none() {
            return Err(ApiError::new(
                "ValidationException",
                at.clone(),
                "A rule must contain at least an EventPattern or ScheduleExpression.",
            ));
        }
        let schedule =
            match &r.schedule_expression {
                None => None,
                Some(e) if e.trim_start().starts_with("at(") => return Err(ApiError::new(
                    "ValidationException",
                    format!("{at}.ScheduleExpression"),
                    "Rules take rate() or cron() expressions; one-time at() schedules belong to EventBridge Scheduler.",
                )),
                Some(e) => Some(ScheduleExpr::parse(e).map_err(|err| err.at(&format!("{at}.ScheduleExpression")))?),
            };
        if let Some(p) = &r.event_pattern {
            pattern::validate(p, &format!("{at}.EventPattern"))?;
        }
        let enabled = match r.state.as_deref() {
            None | Some("ENABLED") => true,
            Some("DISABLED") => false,
            Some(o) => {
                return Err(ApiError::new(
                    "ValidationException",
                    format!("{at}.State"),
                    format!("\"{o}\" must be ENABLED or DISABLED."),
                ))
            }
        };
        if r.targets.len() > MAX_TARGETS {
            return Err(ApiError::new(
                "LimitExceededException",
                format!("{at}.Targets"),
                "You can add up to five targets to a rule.",
            ));
        }
        for (k, t) in r.targets.iter().enumerate() {
            let tat = format!("{at}.Targets[{k}]");
            if t.id.is_empty() || t.id.len() > 64 {
                return Err(ApiError::new("ValidationException", format!("{tat}.Id"), "Target Id is 1-64 characters."));
            }
            if t.is_sns() {
                // arn:aws:sns:region:account:topic
                let parts: Vec<&str> = t.arn.split(':').collect();
                if parts.len() != 6 || parts[5].is_empty() || t.ecs_parameters.is_some() {
                    return Err(ApiError::new(
                        "ValidationException",
                        format!("{tat}.Arn"),
                        "An SNS target is a topic ARN arn:aws:sns:<region>:<account>:<topic>, without EcsParameters.",
                    ));
                }
                continue;
            }
            let Some(ecs) = &t.ecs_parameters else {
                return Err(ApiError::new(
                    "ValidationException",
                    format!("{tat}.EcsParameters"),
                    "An ECS target (a cluster ARN) needs EcsParameters with a TaskDefinitionArn.",
                ));
            };
            if t.arn != cluster_arn
                && !t.arn.ends_with(&format!(":cluster/{}", cluster_arn.rsplit('/').next().unwrap_or_default()))
            {
                return Err(ApiError::new(
                    "ValidationException",
                    format!("{tat}.Arn"),
                    format!("The ECS target's Arn must be the cluster ARN {cluster_arn}."),
                ));
            }
            let n = ecs.task_count.unwrap_or(1);
            if !(1..=10).contains(&n) {
                return Err(ApiError::new(
                    "ValidationException",
                    format!("{tat}.EcsParameters.TaskCount"),
                    "TaskCount must be between 1 and 10.",
                ));
            }
            // EcsParameters: "If a capacityProviderStrategy is specified, the launchType parameter
            // must be omitted."
            if ecs.launch_type.is_some() && !ecs.capacity_provider_strategy.is_empty() {
                return Err(ApiError::new(
                    "ValidationException",
                    format!("{tat}.EcsParameters.LaunchType"),
                    "If a CapacityProviderStrategy is specified, the LaunchType parameter must be omitted.",
                ));
            }
            if let Some(lt) = &ecs.launch_type {
                if !["EC2", "FARGATE", "EXTERNAL"].contains(&lt.as_str()) {
                    return Err(ApiError::new(
                        "ValidationException",
                        format!("{tat}.EcsParameters.LaunchType"),
                        "LaunchType must be EC2, FARGATE or EXTERNAL.",
                    ));
                }
            }
        }
        out.rules.push(Rule {
            arn: format!("arn:aws:events:{region}:{account}:rule/{}", r.name),
            name: r.name.clone(),
            schedule,
            pattern: r.event_pattern.clone(),
            enabled,
            targets: r.targets.clone(),
        });
    }
    Ok(out)
}
