//! ECS-native deployment strategies (deployment controller `ECS`), pure parts: the
//! `deploymentConfiguration` members `strategy`, `bakeTimeInMinutes`, `canaryConfiguration`,
//! `linearConfiguration` and `alarms`, and the load balancer's `advancedConfiguration`, checked as
//! the API checks them (field-named errors), and the production traffic plan each strategy follows.
//!
//! Member names and types are botocore's (`DeploymentConfiguration`, `DeploymentStrategy` enum
//! ROLLING | BLUE_GREEN | LINEAR | CANARY, `CanaryConfiguration`, `LinearConfiguration`,
//! `DeploymentAlarms` with the required `alarmNames`, `enable`, `rollback`, `AdvancedConfiguration`;
//! engine/tests/fixtures/botocore/ecs.service-2.json). Ranges and defaults:
//! - https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CanaryConfiguration.html:
//!   canaryPercent "Valid values are multiples of 0.1 from 0.1 to 100.0. The default value is
//!   5.0."; canaryBakeTimeInMinutes "Valid values are 0 to 1440 minutes (24 hours). The default
//!   value is 10."
//! - https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LinearConfiguration.html:
//!   stepPercent "Valid values are multiples of 0.1 from 3.0 to 100.0. The default value is
//!   10.0."; stepBakeTimeInMinutes "Valid values are 0 to 1440 minutes (24 hours). The default
//!   value is 6. This bake time is not applied after reaching 100 percent traffic."
//! - https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html:
//!   bakeTimeInMinutes is "The time period when both blue and green service revisions are running
//!   simultaneously after the production traffic has shifted. You must provide this parameter when
//!   you use the BLUE_GREEN deployment strategy." Its range 0-1440 is ASSUMED (the same bound as
//!   the canary and linear bake times). Without it, LINEAR and CANARY bake 0 minutes (ASSUMED).
//! - Canary/linear configuration "is only valid when you run CreateService or UpdateService with
//!   deploymentController set to ECS and a deploymentConfiguration with a strategy set to CANARY"
//!   (LINEAR respectively).
//! - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb-resources-for-blue-green.html:
//!   an Application Load Balancer blue/green service names the alternate target group, the
//!   production listener rule, optionally a test listener rule, and the role ECS uses to change
//!   them (`advancedConfiguration`).
//!
//! The error messages are the playground's wording (each names the field); the refusals
//! themselves follow the pages above.

use crate::error::{ApiError, ApiResult};
use crate::scenario::{DeploymentConfiguration, ServiceLoadBalancer};
use crate::time::{SimTime, MINUTE};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `deploymentConfiguration.strategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Strategy {
    #[default]
    Rolling,
    BlueGreen,
    Linear,
    Canary,
}

impl Strategy {
    /// The four strategies in the order the console offers them.
    pub const ALL: [Strategy; 4] = [Strategy::Rolling, Strategy::BlueGreen, Strategy::Canary, Strategy::Linear];

    /// The strategy AWS's spelling names (`ROLLING`, `BLUE_GREEN`, `CANARY`, `LINEAR`).
    pub fn from_aws(s: &str) -> Option<Strategy> {
        Strategy::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Rolling => "ROLLING",
            Strategy::BlueGreen => "BLUE_GREEN",
            Strategy::Linear => "LINEAR",
            Strategy::Canary => "CANARY",
        }
    }
}

/// `deploymentConfiguration.alarms` (botocore `DeploymentAlarms`: all three members required).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentAlarms {
    pub alarm_names: Vec<String>,
    pub enable: bool,
    pub rollback: bool,
}

/// `deploymentConfiguration.canaryConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CanaryConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canary_percent: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canary_bake_time_in_minutes: Option<i64>,
}

/// `deploymentConfiguration.linearConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LinearConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_percent: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_bake_time_in_minutes: Option<i64>,
}

/// The `deploymentConfiguration` of an UpdateService that switches a service to `strategy`:
/// `bakeTimeInMinutes` for every strategy but ROLLING, and for CANARY / LINEAR the first shift
/// `(percent, minutes baked after it)` as canaryConfiguration / linearConfiguration
/// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html).
/// The API's rules (ranges, load balancer requirements) are checked when the command is applied.
pub fn strategy_update(strategy: Strategy, step: (f64, u32), bake_time_in_minutes: u32) -> DeploymentConfiguration {
    let (percent, minutes) = (Some(step.0), Some(i64::from(step.1)));
    let canary = CanaryConfiguration { canary_percent: percent, canary_bake_time_in_minutes: minutes };
    let linear = LinearConfiguration { step_percent: percent, step_bake_time_in_minutes: minutes };
    DeploymentConfiguration {
        strategy: Some(strategy.as_str().to_string()),
        bake_time_in_minutes: (strategy != Strategy::Rolling).then_some(bake_time_in_minutes),
        canary_configuration: (strategy == Strategy::Canary).then(|| serde_json::to_value(canary).unwrap_or_default()),
        linear_configuration: (strategy == Strategy::Linear).then(|| serde_json::to_value(linear).unwrap_or_default()),
        ..Default::default()
    }
}

/// The checked configuration of a service's deployments.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StrategyConfig {
    pub strategy: Strategy,
    /// Production traffic for the new revision, in tenths of a percent, and the minutes to wait
    /// after each shift (the last shift, to 100 %, waits nothing: the bake time follows).
    pub steps: Vec<(u32, u32)>,
    /// `bakeTimeInMinutes`.
    pub bake_minutes: u32,
    pub alarms: Option<DeploymentAlarms>,
    /// Per load balancer: the alternate target group and the listener rules, as written.
    pub advanced: Vec<Option<Advanced>>,
    /// `lifecycleHooks`.
    pub hooks: Vec<Hook>,
}

/// One load balancer's `advancedConfiguration`, as written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Advanced {
    pub alternate_target_group: String,
    pub production_listener_rule: String,
    pub test_listener_rule: Option<String>,
}

/// Where a blue/green, linear or canary deployment is. Names are the API's
/// `ServiceDeploymentLifecycleStage` values (botocore ecs model; ListServiceDeployments); the
/// PRE_/POST_ stages are entered only while a lifecycle hook of that stage runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Stage {
    ReconcileService,
    PreScaleUp,
    ScaleUp,
    PostScaleUp,
    TestTrafficShift,
    PostTestTrafficShift,
    PreProductionTrafficShift,
    ProductionTrafficShift,
    PostProductionTrafficShift,
    BakeTime,
    CleanUp,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::ReconcileService => "RECONCILE_SERVICE",
            Stage::PreScaleUp => "PRE_SCALE_UP",
            Stage::ScaleUp => "SCALE_UP",
            Stage::PostScaleUp => "POST_SCALE_UP",
            Stage::TestTrafficShift => "TEST_TRAFFIC_SHIFT",
            Stage::PostTestTrafficShift => "POST_TEST_TRAFFIC_SHIFT",
            Stage::PreProductionTrafficShift => "PRE_PRODUCTION_TRAFFIC_SHIFT",
            Stage::ProductionTrafficShift => "PRODUCTION_TRAFFIC_SHIFT",
            Stage::PostProductionTrafficShift => "POST_PRODUCTION_TRAFFIC_SHIFT",
            Stage::BakeTime => "BAKE_TIME",
            Stage::CleanUp => "CLEAN_UP",
        }
    }

    /// A `DeploymentLifecycleHookStage` value (botocore's enum, the stages a hook may name).
    pub fn hook_stage(name: &str) -> Option<Stage> {
        HOOK_STAGES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }
}

/// `DeploymentLifecycleHookStage` (engine/tests/fixtures/botocore/ecs.service-2.json).
pub const HOOK_STAGES: &[(&str, Stage)] = &[
    ("RECONCILE_SERVICE", Stage::ReconcileService),
    ("PRE_SCALE_UP", Stage::PreScaleUp),
    ("POST_SCALE_UP", Stage::PostScaleUp),
    ("TEST_TRAFFIC_SHIFT", Stage::TestTrafficShift),
    ("POST_TEST_TRAFFIC_SHIFT", Stage::PostTestTrafficShift),
    ("PRE_PRODUCTION_TRAFFIC_SHIFT", Stage::PreProductionTrafficShift),
    ("PRODUCTION_TRAFFIC_SHIFT", Stage::ProductionTrafficShift),
    ("POST_PRODUCTION_TRAFFIC_SHIFT", Stage::PostProductionTrafficShift),
];

/// `deploymentConfiguration.lifecycleHooks[]` (botocore `DeploymentLifecycleHook`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentLifecycleHook {
    /// The Lambda function ECS invokes (its answers come from the scenario's `lifecycleHookResults`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hook_target_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// RECONCILE_SERVICE, PRE_SCALE_UP, POST_SCALE_UP, TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT,
    /// PRE_PRODUCTION_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT.
    #[serde(default)]
    pub lifecycle_stages: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hook_details: Option<Value>,
    /// AWS_LAMBDA (default); PAUSE is not simulated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_configuration: Option<HookTimeoutConfiguration>,
}

/// `DeploymentLifecycleHookTimeoutConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HookTimeoutConfiguration {
    /// 1-20160 minutes; default 1440 (24 hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_in_minutes: Option<i64>,
    /// ROLLBACK (default) or CONTINUE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

/// A checked lifecycle hook.
#[derive(Debug, Clone, PartialEq)]
pub struct Hook {
    pub target: String,
    pub stages: Vec<Stage>,
    /// How long ECS waits for the hook before the timeout action.
    pub timeout: SimTime,
    /// The timeout action: true = ROLLBACK, false = CONTINUE.
    pub rollback_on_timeout: bool,
}

/// The hooks of one stage being invoked.
#[derive(Debug, Clone, PartialEq)]
pub struct HookRun {
    pub stage: Stage,
    pub calls: Vec<HookCall>,
}

/// One hook's invocations at a stage.
#[derive(Debug, Clone, PartialEq)]
pub struct HookCall {
    /// Index into `StrategyConfig::hooks`.
    pub hook: usize,
    pub started_at: SimTime,
    pub invocations: u32,
    /// When ECS invokes the function next (None: settled).
    pub next_at: Option<SimTime>,
    pub expires_at: SimTime,
}

/// One lifecycle hook at one stage of a deployment, as it stands (what the app lists as a step
/// that passes or fails). `status` is a `DeploymentLifecycleHookDetail` status: IN_PROGRESS,
/// SUCCEEDED, FAILED or TIMED_OUT
/// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHookDetail.html).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HookStepView {
    pub lifecycle_stage: &'static str,
    pub hook_target_arn: String,
    /// The function's name: the last part of `hookTargetArn`.
    pub hook_name: String,
    pub status: &'static str,
    /// How many times ECS invoked the function at this stage so far.
    pub invocations: u32,
}

/// Where a lifecycle hook step stands, for drawing it: still running, passed, or failed (FAILED or
/// TIMED_OUT, both of which fail the deployment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookOutcome {
    InProgress,
    Succeeded,
    Failed,
}

impl HookStepView {
    /// The step's `status` as an outcome.
    pub fn outcome(&self) -> HookOutcome {
        match self.status {
            "SUCCEEDED" => HookOutcome::Succeeded,
            "FAILED" | "TIMED_OUT" => HookOutcome::Failed,
            _ => HookOutcome::InProgress,
        }
    }
}

/// A running blue/green, linear or canary deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftRun {
    pub stage: Stage,
    /// The deployment being replaced (blue).
    pub blue: u32,
    /// Index into `StrategyConfig::steps` of the shift made last (None: none yet).
    pub step: Option<usize>,
    /// Production traffic on green now, tenths of a percent.
    pub green_tenths: u32,
    /// When the current wait (a step's bake, or the bake time) ends.
    pub wait_until: Option<SimTime>,
    /// The lifecycle hooks of the current stage while they run (their steps, as they stand, are
    /// the deployment's `hook_steps`: the one record of hook results).
    pub hook: Option<HookRun>,
}

fn tenths(v: f64, lo: f64, hi: f64, field: &str, what: &str) -> ApiResult<u32> {
    let t = (v * 10.0).round();
    if !v.is_finite() || v < lo || v > hi || (v * 10.0 - t).abs() > 1e-6 {
        return Err(ApiError::invalid(
            field,
            format!("{what} must be a multiple of 0.1 from {lo:.1} to {hi:.1}; got {v}."),
        ));
    }
    Ok(t as u32)
}

fn minutes(v: Option<i64>, default: u32, field: &str) -> ApiResult<u32> {
    match v {
        None => Ok(default),
        Some(m) if (0..=1440).contains(&m) => Ok(m as u32),
        Some(m) => Err(ApiError::invalid(field, format!("{field} must be between 0 and 1440 minutes; got {m}."))),
    }
}

fn parse_member<T: for<'de> Deserialize<'de>>(v: &Value, field: &str) -> ApiResult<T> {
    crate::error::deserialize_value("InvalidParameterException", field, v)
}

/// The production traffic shifts of a strategy: (green share in tenths of a percent, minutes to
/// wait after it). BLUE_GREEN shifts everything at once; CANARY shifts `canaryPercent`, waits
/// `canaryBakeTimeInMinutes`, then shifts the rest; LINEAR adds `stepPercent` each step and waits
/// `stepBakeTimeInMinutes` between steps ("not applied after reaching 100 percent traffic").
pub fn production_steps(strategy: Strategy, percent_tenths: u32, step_bake: u32) -> Vec<(u32, u32)> {
    match strategy {
        Strategy::Rolling => Vec::new(),
        Strategy::BlueGreen => vec![(1000, 0)],
        Strategy::Canary if percent_tenths >= 1000 => vec![(1000, 0)],
        Strategy::Canary => vec![(percent_tenths, step_bake), (1000, 0)],
        Strategy::Linear => {
            let step = percent_tenths.max(1);
            let mut out = Vec::new();
            let mut at = 0;
            while at < 1000 {
                at = (at + step).min(1000);
                out.push((at, if at < 1000 { step_bake } else { 0 }));
            }
            out
        }
    }
}

/// ELBv2 weights for a green share in tenths of a percent: whole percents as `100 - p` / `p`,
/// otherwise tenths (`1000 - t` / `t`), which stay within the 0-999 range the forward action
/// accepts whenever both are non-zero.
pub fn weights_for(green_tenths: u32) -> (u32, u32) {
    let g = green_tenths.min(1000);
    if g.is_multiple_of(10) {
        (100 - g / 10, g / 10)
    } else {
        (1000 - g, g)
    }
}

/// Check a service's `deploymentConfiguration` strategy members and its load balancers'
/// `advancedConfiguration`, for CreateService or UpdateService. `controller` is
/// `deploymentController.type` (None = ECS).
pub fn parse(
    dc: Option<&DeploymentConfiguration>,
    load_balancers: &[ServiceLoadBalancer],
    controller: Option<&str>,
) -> ApiResult<StrategyConfig> {
    let empty = DeploymentConfiguration::default();
    let dc = dc.unwrap_or(&empty);
    let strategy = match dc.strategy.as_deref() {
        None | Some("ROLLING") => Strategy::Rolling,
        Some("BLUE_GREEN") => Strategy::BlueGreen,
        Some("LINEAR") => Strategy::Linear,
        Some("CANARY") => Strategy::Canary,
        Some(other) => {
            return Err(ApiError::invalid(
                "deploymentConfiguration.strategy",
                format!("Invalid strategy '{other}': must be one of ROLLING, BLUE_GREEN, LINEAR, CANARY."),
            ))
        }
    };
    let ecs_controller = controller.is_none_or(|c| c == "ECS");
    if strategy != Strategy::Rolling && !ecs_controller {
        return Err(ApiError::invalid(
            "deploymentConfiguration.strategy",
            format!(
                "The {} strategy is only valid with deploymentController ECS; this service uses {}.",
                strategy.as_str(),
                controller.unwrap_or("ECS")
            ),
        ));
    }
    if dc.canary_configuration.is_some() && strategy != Strategy::Canary {
        return Err(ApiError::invalid(
            "deploymentConfiguration.canaryConfiguration",
            "canaryConfiguration is only valid when the deployment strategy is CANARY.",
        ));
    }
    if dc.linear_configuration.is_some() && strategy != Strategy::Linear {
        return Err(ApiError::invalid(
            "deploymentConfiguration.linearConfiguration",
            "linearConfiguration is only valid when the deployment strategy is LINEAR.",
        ));
    }
    if strategy == Strategy::BlueGreen && dc.bake_time_in_minutes.is_none() {
        return Err(ApiError::invalid(
            "deploymentConfiguration.bakeTimeInMinutes",
            "bakeTimeInMinutes is required when the deployment strategy is BLUE_GREEN.",
        ));
    }
    let bake_minutes = minutes(dc.bake_time_in_minutes.map(i64::from), 0, "deploymentConfiguration.bakeTimeInMinutes")?;
    let steps = match strategy {
        Strategy::Canary => {
            let c: CanaryConfiguration = match &dc.canary_configuration {
                Some(v) => parse_member(v, "deploymentConfiguration.canaryConfiguration")?,
                None => CanaryConfiguration::default(),
            };
            let p = tenths(
                c.canary_percent.unwrap_or(5.0),
                0.1,
                100.0,
                "deploymentConfiguration.canaryConfiguration.canaryPercent",
                "canaryPercent",
            )?;
            let b = minutes(
                c.canary_bake_time_in_minutes,
                10,
                "deploymentConfiguration.canaryConfiguration.canaryBakeTimeInMinutes",
            )?;
            production_steps(strategy, p, b)
        }
        Strategy::Linear => {
            let c: LinearConfiguration = match &dc.linear_configuration {
                Some(v) => parse_member(v, "deploymentConfiguration.linearConfiguration")?,
                None => LinearConfiguration::default(),
            };
            let p = tenths(
                c.step_percent.unwrap_or(10.0),
                3.0,
                100.0,
                "deploymentConfiguration.linearConfiguration.stepPercent",
                "stepPercent",
            )?;
            let b = minutes(
                c.step_bake_time_in_minutes,
                6,
                "deploymentConfiguration.linearConfiguration.stepBakeTimeInMinutes",
            )?;
            production_steps(strategy, p, b)
        }
        s => production_steps(s, 0, 0),
    };
    let alarms = match &dc.alarms {
        Some(v) => Some(parse_member::<DeploymentAlarms>(v, "deploymentConfiguration.alarms")?),
        None => None,
    };
    let hooks = match &dc.lifecycle_hooks {
        Some(v) => parse_hooks(v)?,
        None => Vec::new(),
    };
    let mut advanced = Vec::new();
    for (i, lb) in load_balancers.iter().enumerate() {
        let at = format!("loadBalancers[{i}].advancedConfiguration");
        let Some(a) = &lb.advanced_configuration else {
            if strategy != Strategy::Rolling {
                return Err(ApiError::invalid(
                    at,
                    format!(
                        "advancedConfiguration (alternateTargetGroupArn, productionListenerRule, roleArn) is required \
                         for a load balancer of a service whose deployment strategy is {}.",
                        strategy.as_str()
                    ),
                ));
            }
            advanced.push(None);
            continue;
        };
        if strategy == Strategy::Rolling {
            // Kept but unused: a rolling update does not shift listener rules.
            advanced.push(None);
            continue;
        }
        let need = |v: &Option<String>, name: &str| -> ApiResult<String> {
            v.clone().filter(|s| !s.is_empty()).ok_or_else(|| {
                ApiError::invalid(
                    format!("{at}.{name}"),
                    format!("{name} is required for a {} deployment with a load balancer.", strategy.as_str()),
                )
            })
        };
        let alternate = need(&a.alternate_target_group_arn, "alternateTargetGroupArn")?;
        let production = need(&a.production_listener_rule, "productionListenerRule")?;
        need(&a.role_arn, "roleArn")?;
        advanced.push(Some(Advanced {
            alternate_target_group: alternate,
            production_listener_rule: production,
            test_listener_rule: a.test_listener_rule.clone().filter(|s| !s.is_empty()),
        }));
    }
    Ok(StrategyConfig { strategy, steps, bake_minutes, alarms, advanced, hooks })
}

/// `lifecycleHooks`, checked: a Lambda target, stages from `DeploymentLifecycleHookStage`, the
/// timeout 1-20160 minutes (default 1440) and its action ROLLBACK (default) or CONTINUE
/// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHook.html,
/// API_DeploymentLifecycleHookTimeoutConfiguration.html).
fn parse_hooks(v: &Value) -> ApiResult<Vec<Hook>> {
    let field = "deploymentConfiguration.lifecycleHooks";
    let list: Vec<DeploymentLifecycleHook> = parse_member(v, field)?;
    let mut out = Vec::new();
    for (i, h) in list.iter().enumerate() {
        let at = format!("{field}[{i}]");
        match h.target_type.as_deref() {
            None | Some("AWS_LAMBDA") => {}
            Some("PAUSE") => {
                return Err(ApiError::invalid(
                    format!("{at}.targetType"),
                    "PAUSE hooks (ContinueServiceDeployment) are not simulated; use an AWS_LAMBDA hook.",
                ))
            }
            Some(other) => {
                return Err(ApiError::invalid(
                    format!("{at}.targetType"),
                    format!("Invalid targetType '{other}': must be AWS_LAMBDA or PAUSE."),
                ))
            }
        }
        // "You must provide this parameter when configuring an AWS_LAMBDA lifecycle hook."
        let target = h.hook_target_arn.clone().filter(|t| !t.is_empty()).ok_or_else(|| {
            ApiError::invalid(
                format!("{at}.hookTargetArn"),
                "hookTargetArn is required for an AWS_LAMBDA lifecycle hook.",
            )
        })?;
        if h.lifecycle_stages.is_empty() {
            return Err(ApiError::invalid(
                format!("{at}.lifecycleStages"),
                "lifecycleStages must name at least one lifecycle stage.",
            ));
        }
        let mut stages = Vec::new();
        for (k, name) in h.lifecycle_stages.iter().enumerate() {
            let st = Stage::hook_stage(name).ok_or_else(|| {
                ApiError::invalid(
                    format!("{at}.lifecycleStages[{k}]"),
                    format!(
                        "Invalid lifecycle stage '{name}': must be one of {}.",
                        HOOK_STAGES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                    ),
                )
            })?;
            stages.push(st);
        }
        let tc = h.timeout_configuration.clone().unwrap_or_default();
        let minutes = tc.timeout_in_minutes.unwrap_or(1440);
        if !(1..=20160).contains(&minutes) {
            return Err(ApiError::invalid(
                format!("{at}.timeoutConfiguration.timeoutInMinutes"),
                format!("timeoutInMinutes must be between 1 and 20160; got {minutes}."),
            ));
        }
        let rollback_on_timeout = match tc.action.as_deref() {
            None | Some("ROLLBACK") => true,
            Some("CONTINUE") => false,
            Some(other) => {
                return Err(ApiError::invalid(
                    format!("{at}.timeoutConfiguration.action"),
                    format!("Invalid action '{other}': must be ROLLBACK or CONTINUE."),
                ))
            }
        };
        out.push(Hook { target, stages, timeout: minutes as SimTime * MINUTE, rollback_on_timeout });
    }
    Ok(out)
}

impl StrategyConfig {
    /// The deployment alarms to watch, when `enable` is true.
    pub fn watched_alarms(&self) -> Option<&DeploymentAlarms> {
        self.alarms.as_ref().filter(|a| a.enable && !a.alarm_names.is_empty())
    }
    /// Minutes of the bake time, in simulated milliseconds.
    pub fn bake_time(&self) -> SimTime {
        self.bake_minutes as SimTime * MINUTE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_strategy_update_is_the_request_the_console_sends() {
        let canary = strategy_update(Strategy::Canary, (25.0, 2), 3);
        assert_eq!(
            serde_json::to_value(&canary).expect("serialisable"),
            json!({"strategy": "CANARY", "bakeTimeInMinutes": 3,
                   "canaryConfiguration": {"canaryPercent": 25.0, "canaryBakeTimeInMinutes": 2}})
        );
        let linear = strategy_update(Strategy::Linear, (25.0, 2), 3);
        assert_eq!(
            serde_json::to_value(&linear).expect("serialisable"),
            json!({"strategy": "LINEAR", "bakeTimeInMinutes": 3,
                   "linearConfiguration": {"stepPercent": 25.0, "stepBakeTimeInMinutes": 2}})
        );
        // ROLLING has no bake time ("bakeTimeInMinutes ... only for BLUE_GREEN, LINEAR, CANARY").
        let rolling = strategy_update(Strategy::Rolling, (25.0, 2), 3);
        assert_eq!(serde_json::to_value(&rolling).expect("serialisable"), json!({"strategy": "ROLLING"}));
        for s in Strategy::ALL {
            assert_eq!(Strategy::from_aws(s.as_str()), Some(s));
            assert_eq!(crate::views::aws_name(&s), s.as_str());
        }
        assert_eq!(Strategy::from_aws("rolling"), None);
    }

    fn dc(v: Value) -> DeploymentConfiguration {
        serde_json::from_value(v).expect("shape")
    }

    #[test]
    fn canary_shifts_the_percent_waits_then_shifts_the_rest() {
        // CanaryConfiguration: "shifts a fixed percentage of traffic to the new service revision,
        // waits for a specified bake time, then shifts the remaining traffic."
        assert_eq!(production_steps(Strategy::Canary, 100, 5), vec![(100, 5), (1000, 0)]);
    }

    #[test]
    fn linear_steps_do_not_bake_after_100_percent() {
        // "This bake time is not applied after reaching 100 percent traffic."
        assert_eq!(production_steps(Strategy::Linear, 250, 2), vec![(250, 2), (500, 2), (750, 2), (1000, 0)]);
        assert_eq!(production_steps(Strategy::Linear, 300, 1).len(), 4);
        assert_eq!(production_steps(Strategy::Linear, 300, 1)[3], (1000, 0));
    }

    #[test]
    fn weights_are_elbv2_integers_within_0_999() {
        assert_eq!(weights_for(100), (90, 10));
        assert_eq!(weights_for(1000), (0, 100));
        assert_eq!(weights_for(25), (975, 25));
        assert_eq!(weights_for(0), (100, 0));
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        // canaryPercent 5.0 and canaryBakeTimeInMinutes 10; stepPercent 10.0 and stepBakeTimeInMinutes 6.
        let c = parse(Some(&dc(json!({"strategy": "CANARY"}))), &[], None).expect("ok");
        assert_eq!(c.steps, vec![(50, 10), (1000, 0)]);
        let l = parse(Some(&dc(json!({"strategy": "LINEAR"}))), &[], None).expect("ok");
        assert_eq!(l.steps.len(), 10);
        assert_eq!(l.steps[0], (100, 6));
    }

    #[test]
    fn out_of_range_values_name_their_field() {
        let bad = |v: Value| parse(Some(&dc(v)), &[], None).expect_err("refused").field;
        assert_eq!(
            bad(json!({"strategy": "CANARY", "canaryConfiguration": {"canaryPercent": 0.05}})),
            "deploymentConfiguration.canaryConfiguration.canaryPercent"
        );
        assert_eq!(
            bad(json!({"strategy": "LINEAR", "linearConfiguration": {"stepPercent": 2.9}})),
            "deploymentConfiguration.linearConfiguration.stepPercent"
        );
        assert_eq!(
            bad(json!({"strategy": "LINEAR", "linearConfiguration": {"stepPercent": 10.05}})),
            "deploymentConfiguration.linearConfiguration.stepPercent"
        );
        assert_eq!(
            bad(json!({"strategy": "CANARY", "canaryConfiguration": {"canaryBakeTimeInMinutes": 1441}})),
            "deploymentConfiguration.canaryConfiguration.canaryBakeTimeInMinutes"
        );
        assert_eq!(bad(json!({"strategy": "BLUE_GREEN"})), "deploymentConfiguration.bakeTimeInMinutes");
        assert_eq!(
            bad(json!({"strategy": "ROLLING", "canaryConfiguration": {"canaryPercent": 10.0}})),
            "deploymentConfiguration.canaryConfiguration"
        );
        assert_eq!(bad(json!({"strategy": "RED_BLACK"})), "deploymentConfiguration.strategy");
        assert!(
            bad(json!({"alarms": {"alarmNames": ["a"], "enable": true}})).starts_with("deploymentConfiguration.alarms")
        );
    }
}
