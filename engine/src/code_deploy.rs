//! AWS CodeDeploy for Amazon ECS (the `CODE_DEPLOY` deployment controller), pure parts: the
//! deployment group (CreateDeploymentGroup body, scenario `codeDeployDeploymentGroups`), the
//! CreateDeployment request with an AppSpec, the predefined deployment configurations, and the
//! AppSpec `Hooks` mapped onto ECS lifecycle stages.
//!
//! Rules implemented:
//! - https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
//!   (predefined configurations for the ECS compute platform): `CodeDeployDefault.ECSAllAtOnce`
//!   "Shifts all traffic to the updated Amazon ECS container at once";
//!   `ECSLinear10PercentEvery1Minutes` / `ECSLinear10PercentEvery3Minutes` "Shifts 10 percent of
//!   traffic every minute [every three minutes] until all traffic is shifted";
//!   `ECSCanary10Percent5Minutes` / `ECSCanary10Percent15Minutes` "Shifts 10 percent of traffic in
//!   the first increment. The remaining 90 percent is deployed five [fifteen] minutes later."
//! - https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html
//!   (AppSpec hooks for an Amazon ECS deployment, in order): BeforeInstall (before the replacement
//!   task set is created), AfterInstall (after it is created and its target group attached),
//!   AfterAllowTestTraffic (after the test listener serves it), BeforeAllowTraffic (before
//!   production traffic moves), AfterAllowTraffic (after it moved). Each hook is a Lambda function
//!   that reports Succeeded or Failed; a failed hook fails the deployment.
//! - https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_BlueGreenDeploymentConfiguration.html:
//!   `terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes`, "the number of
//!   minutes to wait after a successful blue/green deployment before terminating instances from
//!   the original environment" (0-2880; the original task set here).
//!
//! Simplified (stated): the run reuses the ECS-native traffic shifting (`sim::blue_green`): the
//! configuration becomes an all-at-once, linear or canary plan, the termination wait is the bake
//! time, each AppSpec hook is a lifecycle hook at the matching stage whose Lambda answers come from
//! `lifecycleHookResults` (timeout ASSUMED to be 60 minutes, then the deployment rolls back). The
//! AppSpec content is read as JSON (YAML is refused with a field-named error). Custom deployment
//! configurations (CreateDeploymentConfig) are not simulated.

use crate::deploy_strategy::{production_steps, Stage, Strategy};
use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// CreateDeploymentGroup (the members used for ECS).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateDeploymentGroup {
    pub application_name: String,
    pub deployment_group_name: String,
    /// Default `CodeDeployDefault.ECSAllAtOnce`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_config_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_role_arn: Option<String>,
    pub ecs_services: Vec<EcsService>,
    pub load_balancer_info: LoadBalancerInfo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blue_green_deployment_configuration: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_style: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_rollback_configuration: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EcsService {
    pub service_name: String,
    pub cluster_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadBalancerInfo {
    pub target_group_pair_info_list: Vec<TargetGroupPairInfo>,
}

/// The two target groups and the listeners (here: the scenario's `listenerRules`) CodeDeploy moves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetGroupPairInfo {
    pub target_groups: Vec<TargetGroupInfo>,
    pub prod_traffic_route: TrafficRoute,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_traffic_route: Option<TrafficRoute>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetGroupInfo {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrafficRoute {
    pub listener_arns: Vec<String>,
}

/// CreateDeployment (CodeDeploy) with an AppSpec revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateDeploymentInput {
    pub application_name: String,
    pub deployment_group_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_config_name: Option<String>,
    pub revision: RevisionLocation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevisionLocation {
    /// `AppSpecContent` (the only type simulated).
    pub revision_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_spec_content: Option<AppSpecContent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppSpecContent {
    pub content: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// A predefined deployment configuration as (strategy, percent in tenths, minutes between steps).
pub fn deployment_config(name: &str) -> Option<(Strategy, u32, u32)> {
    Some(match name {
        "CodeDeployDefault.ECSAllAtOnce" => (Strategy::BlueGreen, 1000, 0),
        "CodeDeployDefault.ECSLinear10PercentEvery1Minutes" => (Strategy::Linear, 100, 1),
        "CodeDeployDefault.ECSLinear10PercentEvery3Minutes" => (Strategy::Linear, 100, 3),
        "CodeDeployDefault.ECSCanary10Percent5Minutes" => (Strategy::Canary, 100, 5),
        "CodeDeployDefault.ECSCanary10Percent15Minutes" => (Strategy::Canary, 100, 15),
        _ => return None,
    })
}

/// The predefined configurations' names, for error messages.
pub const CONFIG_NAMES: &[&str] = &[
    "CodeDeployDefault.ECSAllAtOnce",
    "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
    "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
    "CodeDeployDefault.ECSCanary10Percent5Minutes",
    "CodeDeployDefault.ECSCanary10Percent15Minutes",
];

/// The production steps of a configuration (see `deploy_strategy::production_steps`).
pub fn steps(name: &str) -> Option<(Strategy, Vec<(u32, u32)>)> {
    let (s, pct, wait) = deployment_config(name)?;
    Some((s, production_steps(s, pct, wait)))
}

/// AppSpec hook names (ECS) and the lifecycle stage each runs at.
pub const APPSPEC_HOOKS: &[(&str, Stage)] = &[
    ("BeforeInstall", Stage::PreScaleUp),
    ("AfterInstall", Stage::PostScaleUp),
    ("AfterAllowTestTraffic", Stage::PostTestTrafficShift),
    ("BeforeAllowTraffic", Stage::PreProductionTrafficShift),
    ("AfterAllowTraffic", Stage::PostProductionTrafficShift),
];

/// What an AppSpec says: the task definition, the container and port, and the hooks
/// (stage, Lambda function).
#[derive(Debug, Clone, PartialEq)]
pub struct AppSpec {
    pub task_definition: String,
    pub container_name: String,
    pub container_port: u32,
    pub hooks: Vec<(Stage, String)>,
}

/// Read an AppSpec (JSON) as CodeDeploy's ECS AppSpec: `Resources[0].TargetService` of `Type`
/// AWS::ECS::Service with `Properties.TaskDefinition` and `LoadBalancerInfo` (`ContainerName`,
/// `ContainerPort`), and `Hooks` (a list of one-key objects naming Lambda functions).
pub fn parse_appspec(content: &str) -> ApiResult<AppSpec> {
    let field = "revision.appSpecContent.content";
    let v: Value = serde_json::from_str(content).map_err(|e| {
        ApiError::new(
            "InvalidRevisionException",
            field,
            format!("The AppSpec is not JSON ({e}); write it as JSON here (YAML is not read)."),
        )
    })?;
    let bad =
        |path: &str, what: &str| ApiError::new("InvalidRevisionException", format!("{field}.{path}"), what.to_string());
    let ts = v
        .get("Resources")
        .and_then(Value::as_array)
        .and_then(|r| r.first())
        .and_then(|r| r.get("TargetService"))
        .ok_or_else(|| bad("Resources", "Resources[0].TargetService is required."))?;
    if ts.get("Type").and_then(Value::as_str) != Some("AWS::ECS::Service") {
        return Err(bad("Resources[0].TargetService.Type", "Type must be AWS::ECS::Service."));
    }
    let props =
        ts.get("Properties").ok_or_else(|| bad("Resources[0].TargetService.Properties", "Properties is required."))?;
    let task_definition = props
        .get("TaskDefinition")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("Resources[0].TargetService.Properties.TaskDefinition", "TaskDefinition is required."))?
        .to_string();
    let lb = props.get("LoadBalancerInfo").ok_or_else(|| {
        bad("Resources[0].TargetService.Properties.LoadBalancerInfo", "LoadBalancerInfo is required.")
    })?;
    let container_name = lb
        .get("ContainerName")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            bad("Resources[0].TargetService.Properties.LoadBalancerInfo.ContainerName", "ContainerName is required.")
        })?
        .to_string();
    let container_port = lb.get("ContainerPort").and_then(Value::as_u64).ok_or_else(|| {
        bad("Resources[0].TargetService.Properties.LoadBalancerInfo.ContainerPort", "ContainerPort is required.")
    })? as u32;
    let mut hooks = Vec::new();
    if let Some(list) = v.get("Hooks") {
        let list =
            list.as_array().ok_or_else(|| bad("Hooks", "Hooks is a list of {\"HookName\": \"LambdaFunction\"}."))?;
        for (i, h) in list.iter().enumerate() {
            let Some((name, f)) = h.as_object().and_then(|m| m.iter().next()) else {
                return Err(bad(&format!("Hooks[{i}]"), "Each hook is {\"HookName\": \"LambdaFunction\"}."));
            };
            let stage = APPSPEC_HOOKS.iter().find(|(n, _)| n == name).map(|(_, s)| *s).ok_or_else(|| {
                bad(
                    &format!("Hooks[{i}]"),
                    &format!(
                        "{name} is no ECS AppSpec hook: use {}.",
                        APPSPEC_HOOKS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                    ),
                )
            })?;
            let f =
                f.as_str().ok_or_else(|| bad(&format!("Hooks[{i}].{name}"), "The hook names a Lambda function."))?;
            hooks.push((stage, f.to_string()));
        }
    }
    Ok(AppSpec { task_definition, container_name, container_port, hooks })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_configurations_shift_as_documented() {
        // "Shifts 10 percent of traffic in the first increment. The remaining 90 percent is
        // deployed five minutes later."
        assert_eq!(steps("CodeDeployDefault.ECSCanary10Percent5Minutes").map(|x| x.1), Some(vec![(100, 5), (1000, 0)]));
        assert_eq!(
            steps("CodeDeployDefault.ECSCanary10Percent15Minutes").map(|x| x.1),
            Some(vec![(100, 15), (1000, 0)])
        );
        // "Shifts 10 percent of traffic every minute until all traffic is shifted."
        let lin = steps("CodeDeployDefault.ECSLinear10PercentEvery3Minutes").expect("known").1;
        assert_eq!(lin.len(), 10);
        assert_eq!((lin[0], lin[9]), ((100, 3), (1000, 0)));
        assert_eq!(steps("CodeDeployDefault.ECSAllAtOnce").map(|x| x.1), Some(vec![(1000, 0)]));
        assert_eq!(steps("CodeDeployDefault.OneAtATime"), None);
    }

    #[test]
    fn appspec_hooks_map_to_lifecycle_stages_and_bad_ones_name_their_place() {
        let a = parse_appspec(
            r#"{"version": 0.0, "Resources": [{"TargetService": {"Type": "AWS::ECS::Service", "Properties": {
                "TaskDefinition": "web:2", "LoadBalancerInfo": {"ContainerName": "web", "ContainerPort": 80}}}}],
                "Hooks": [{"AfterAllowTestTraffic": "arn:aws:lambda:us-east-1:123456789012:function:t"}]}"#,
        )
        .expect("parses");
        assert_eq!(a.task_definition, "web:2");
        assert_eq!(
            a.hooks,
            vec![(Stage::PostTestTrafficShift, "arn:aws:lambda:us-east-1:123456789012:function:t".into())]
        );
        let e = parse_appspec("version: 0.0").expect_err("YAML");
        assert_eq!(e.field, "revision.appSpecContent.content");
        let e = parse_appspec(
            r#"{"Resources": [{"TargetService": {"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": "web:2",
                "LoadBalancerInfo": {"ContainerName": "web", "ContainerPort": 80}}}}], "Hooks": [{"ValidateService": "f"}]}"#,
        )
        .expect_err("EC2 hook");
        assert_eq!(e.field, "revision.appSpecContent.content.Hooks[0]");
    }
}
