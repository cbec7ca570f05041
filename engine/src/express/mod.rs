//! Amazon ECS Express Mode, pure parts: the request shapes of `CreateExpressGatewayService` and
//! `UpdateExpressGatewayService` (member names, required members and enums from botocore's
//! `ecs/2014-11-13/service-2.json`, botocore 1.44.8), their validation, their defaults, and the
//! plan of resources one call expands into, each with the explicit requests a person would have
//! made by hand (RegisterTaskDefinition, CreateLoadBalancer, CreateTargetGroup, CreateListener,
//! CreateService, RegisterScalableTarget, PutScalingPolicy ...). `sim::express` runs the plan.
//!
//! Sources (cited beside each rule and default below):
//! - API: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateExpressGatewayService.html
//!   and the member texts in botocore's service-2.json;
//! - Guide, "Resources created by Amazon ECS Express Mode services":
//!   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html
//! - Guide, "Updating an Amazon ECS Express Mode service":
//!   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-update-full.html
//!
//! Every default is marked DOCUMENTED (with its source) or ASSUMED (the playground's choice where
//! the documents we could read say nothing; a real call may differ).

use crate::autoscaling::types::{ECS_DIMENSION, ECS_NAMESPACE};
use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// DOCUMENTED (API, `cluster`): "If you do not specify a cluster, the default cluster is assumed."
pub const DEFAULT_CLUSTER: &str = "default";
/// DOCUMENTED (Guide, "Task definition defaults"): "cpu: 1024". Note: the API reference's member
/// text says "The default value for an Express service is 256 (.25 vCPU)"; the two documents
/// disagree and the playground follows the guide's table of defaults.
pub const DEFAULT_CPU: &str = "1024";
/// DOCUMENTED (Guide, "Task definition defaults"): "memory: 2048". The API reference's member
/// text says 512 MiB (same disagreement as `DEFAULT_CPU`).
pub const DEFAULT_MEMORY: &str = "2048";
/// DOCUMENTED (API, `primaryContainer`): "the container port (defaults to 80)".
pub const DEFAULT_CONTAINER_PORT: u32 = 80;
/// DOCUMENTED (API, `healthCheckPath`): "If not specified, the default health check path is /ping."
pub const DEFAULT_HEALTH_CHECK_PATH: &str = "/ping";
/// DOCUMENTED (API, `scalingTarget.autoScalingMetric`): "The default metric used for an Express
/// service is CPUUtilization."
pub const DEFAULT_METRIC: ScalingMetric = ScalingMetric::AverageCpu;
/// DOCUMENTED (API, `scalingTarget.autoScalingTargetValue`): "The default value ... is 60."
pub const DEFAULT_TARGET_VALUE: i64 = 60;
/// ASSUMED: the minimum and maximum task counts when `scalingTarget` leaves them out.
pub const DEFAULT_MIN_TASKS: i64 = 1;
/// ASSUMED (see `DEFAULT_MIN_TASKS`).
pub const DEFAULT_MAX_TASKS: i64 = 20;
/// DOCUMENTED (Guide): "Application Load Balancer with HTTPS listener"; the port, 443, is HTTPS's.
pub const LISTENER_PORT: u32 = 443;
/// The container name Express Mode gives the primary container. DOCUMENTED by inference (API,
/// `taskDefinitionArn`): "The task definition must have a container named Main".
pub const CONTAINER_NAME: &str = "Main";
/// DOCUMENTED (Guide, update): "5% of traffic is shifted to the new environment", "After 3
/// minutes bake time, 100% of traffic is shifted". The engine rolls updates out as a rolling
/// deployment (API, UpdateExpressGatewayService: "performs a rolling deployment to replace
/// existing tasks. The service remains available during updates"); the canary traffic split is
/// shown in the equivalent request but not simulated.
pub const CANARY_PERCENT: u32 = 5;
pub const CANARY_BAKE_MINUTES: u32 = 3;

/// `ExpressCpuArchitecture`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum CpuArchitecture {
    /// DOCUMENTED (API, `cpuArchitecture`): "If you don't specify a value, the default is X86_64."
    #[default]
    #[serde(rename = "X86_64")]
    X86_64,
    #[serde(rename = "ARM64")]
    Arm64,
}

impl CpuArchitecture {
    pub fn as_str(self) -> &'static str {
        match self {
            CpuArchitecture::X86_64 => "X86_64",
            CpuArchitecture::Arm64 => "ARM64",
        }
    }
}

/// `ExpressGatewayServiceScalingMetric`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScalingMetric {
    AverageCpu,
    AverageMemory,
    RequestCountPerTarget,
}

impl ScalingMetric {
    /// The Application Auto Scaling predefined metric the target tracking policy uses.
    pub fn predefined_metric_type(self) -> &'static str {
        match self {
            ScalingMetric::AverageCpu => "ECSServiceAverageCPUUtilization",
            ScalingMetric::AverageMemory => "ECSServiceAverageMemoryUtilization",
            ScalingMetric::RequestCountPerTarget => "ALBRequestCountPerTarget",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ScalingMetric::AverageCpu => "AVERAGE_CPU",
            ScalingMetric::AverageMemory => "AVERAGE_MEMORY",
            ScalingMetric::RequestCountPerTarget => "REQUEST_COUNT_PER_TARGET",
        }
    }
}

/// `ExpressGatewayServiceAwsLogsConfiguration` (both members required).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AwsLogsConfiguration {
    pub log_group: String,
    pub log_stream_prefix: String,
}

/// `ExpressGatewayRepositoryCredentials`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RepositoryCredentials {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials_parameter: Option<String>,
}

/// `KeyValuePair`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyValuePair {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `Secret` (`name` and `valueFrom` required).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Secret {
    pub name: String,
    pub value_from: String,
}

/// `ExpressGatewayContainer` (`image` required).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpressGatewayContainer {
    pub image: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_port: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_logs_configuration: Option<AwsLogsConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository_credentials: Option<RepositoryCredentials>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Vec<KeyValuePair>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<Secret>>,
}

impl ExpressGatewayContainer {
    pub fn port(&self) -> u32 {
        self.container_port.map(|p| p as u32).unwrap_or(DEFAULT_CONTAINER_PORT)
    }
}

/// `ExpressGatewayServiceNetworkConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NetworkConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_groups: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnets: Option<Vec<String>>,
}

/// `ExpressGatewayScalingTarget`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScalingTarget {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_task_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_task_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling_metric: Option<ScalingMetric>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling_target_value: Option<i64>,
}

/// `Tag` (key 1-128 characters, value 0-256; at most 50 tags).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tag {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `CreateExpressGatewayServiceRequest`. botocore lists one required member,
/// `infrastructureRoleArn`; it is an `Option` here so that leaving it out is a field-named error
/// with the API's exception rather than a parse error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateExpressGatewayService {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub infrastructure_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_container: Option<ExpressGatewayContainer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_architecture: Option<CpuArchitecture>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling_target: Option<ScalingTarget>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_definition_arn: Option<String>,
}

/// `UpdateExpressGatewayServiceRequest` (`serviceArn` required; no `infrastructureRoleArn`:
/// "Some parameters like the infrastructure role cannot be modified after service creation").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateExpressGatewayService {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_container: Option<ExpressGatewayContainer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_architecture: Option<CpuArchitecture>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling_target: Option<ScalingTarget>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_definition_arn: Option<String>,
}

/// `DescribeExpressGatewayServiceRequest`; `include` takes `ExpressGatewayServiceInclude` values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DescribeExpressGatewayService {
    #[serde(default)]
    pub service_arn: Option<String>,
    #[serde(default)]
    pub include: Vec<IncludeOption>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IncludeOption {
    #[serde(rename = "TAGS")]
    Tags,
}

/// `DeleteExpressGatewayServiceRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteExpressGatewayService {
    #[serde(default)]
    pub service_arn: Option<String>,
}

/// One service revision's configuration with every default filled in
/// (`ExpressGatewayServiceConfiguration` without the fields the simulation adds).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_definition_arn: Option<String>,
    pub cpu: String,
    pub memory: String,
    pub cpu_architecture: CpuArchitecture,
    pub network_configuration: NetworkConfiguration,
    pub health_check_path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_container: Option<ExpressGatewayContainer>,
    pub scaling_target: ScalingTarget,
    /// With `taskDefinitionArn`: the `Main` container's port in that task definition.
    #[serde(skip)]
    pub task_definition_port: Option<u32>,
}

impl Config {
    pub fn min_tasks(&self) -> i64 {
        self.scaling_target.min_task_count.unwrap_or(DEFAULT_MIN_TASKS)
    }
    pub fn max_tasks(&self) -> i64 {
        self.scaling_target.max_task_count.unwrap_or(DEFAULT_MAX_TASKS)
    }
    pub fn metric(&self) -> ScalingMetric {
        self.scaling_target.auto_scaling_metric.unwrap_or(DEFAULT_METRIC)
    }
    pub fn target_value(&self) -> i64 {
        self.scaling_target.auto_scaling_target_value.unwrap_or(DEFAULT_TARGET_VALUE)
    }
    pub fn container_port(&self) -> u32 {
        if let Some(p) = self.task_definition_port {
            return p;
        }
        self.primary_container.as_ref().map(|c| c.port()).unwrap_or(DEFAULT_CONTAINER_PORT)
    }
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
    ApiError::new("InvalidParameterException", field, message)
}

/// An IAM role ARN: `arn:<partition>:iam::<12-digit account>:role/<path/name>` (IAM identifiers,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
fn check_role_arn(field: &str, arn: &str) -> ApiResult<()> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && parts[5].strip_prefix("role/").is_some_and(|n| !n.is_empty() && !n.ends_with('/'));
    if ok {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("{field} must be an IAM role ARN like arn:aws:iam::123456789012:role/name; got \"{arn}\"."),
        ))
    }
}

/// DOCUMENTED (API, `serviceName`): "can contain up to 255 letters (uppercase and lowercase),
/// numbers, underscores, and hyphens".
pub fn check_service_name(name: &str) -> ApiResult<()> {
    if name.is_empty() || name.len() > 255 || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(invalid(
            "serviceName",
            "Service names can contain up to 255 letters, numbers, underscores, and hyphens.",
        ));
    }
    Ok(())
}

/// DOCUMENTED (API, `healthCheckPath`): "The health check path must start with a forward slash";
/// ELBv2 limits `HealthCheckPath` to 1024 characters (CreateTargetGroup).
fn check_health_check_path(p: &str) -> ApiResult<()> {
    if !p.starts_with('/') {
        return Err(invalid(
            "healthCheckPath",
            format!("The health check path must start with a forward slash; got \"{p}\"."),
        ));
    }
    if p.len() > 1024 {
        return Err(invalid("healthCheckPath", "The health check path can be at most 1024 characters."));
    }
    Ok(())
}

fn check_container(c: &ExpressGatewayContainer) -> ApiResult<()> {
    if c.image.trim().is_empty() {
        return Err(invalid("primaryContainer.image", "The primary container must specify a container image."));
    }
    if let Some(p) = c.container_port {
        // Container ports are TCP ports, 1-65535 (PortMapping.containerPort).
        if !(1..=65535).contains(&p) {
            return Err(invalid("primaryContainer.containerPort", "containerPort must be between 1 and 65535."));
        }
    }
    if let Some(l) = &c.aws_logs_configuration {
        if l.log_group.is_empty() {
            return Err(invalid("primaryContainer.awsLogsConfiguration.logGroup", "logGroup must not be empty."));
        }
    }
    for (i, s) in c.secrets.iter().flatten().enumerate() {
        if s.name.is_empty() || s.value_from.is_empty() {
            return Err(invalid(format!("primaryContainer.secrets[{i}]"), "A secret needs a name and a valueFrom."));
        }
    }
    Ok(())
}

/// botocore `ExpressGatewayScalingTarget` has no bounds; the rules below are Application Auto
/// Scaling's for RegisterScalableTarget (MinCapacity <= MaxCapacity, both >= 0) and ASSUMED for a
/// positive target value.
fn check_scaling(s: &ScalingTarget) -> ApiResult<()> {
    let min = s.min_task_count.unwrap_or(DEFAULT_MIN_TASKS);
    let max = s.max_task_count.unwrap_or(DEFAULT_MAX_TASKS);
    if min < 0 {
        return Err(invalid("scalingTarget.minTaskCount", "minTaskCount must be 0 or more."));
    }
    if max < 1 {
        return Err(invalid("scalingTarget.maxTaskCount", "maxTaskCount must be 1 or more."));
    }
    if min > max {
        return Err(invalid(
            if s.min_task_count.is_some() { "scalingTarget.minTaskCount" } else { "scalingTarget.maxTaskCount" },
            format!("minTaskCount ({min}) must not be greater than maxTaskCount ({max})."),
        ));
    }
    if let Some(v) = s.auto_scaling_target_value {
        if v <= 0 {
            return Err(invalid(
                "scalingTarget.autoScalingTargetValue",
                "autoScalingTargetValue must be greater than 0.",
            ));
        }
    }
    Ok(())
}

/// DOCUMENTED (botocore `Tags`: at most 50; `TagKey` 1-128 characters, `TagValue` 0-256).
fn check_tags(tags: &[Tag]) -> ApiResult<()> {
    if tags.len() > 50 {
        return Err(invalid("tags", "You can apply up to 50 tags to a service."));
    }
    for (i, t) in tags.iter().enumerate() {
        let key = t.key.as_deref().unwrap_or("");
        if key.is_empty() || key.chars().count() > 128 {
            return Err(invalid(format!("tags[{i}].key"), "A tag key must be 1-128 characters."));
        }
        if t.value.as_deref().unwrap_or("").chars().count() > 256 {
            return Err(invalid(format!("tags[{i}].value"), "A tag value can be at most 256 characters."));
        }
    }
    Ok(())
}

fn check_network(n: &NetworkConfiguration, known_subnets: &[String]) -> ApiResult<()> {
    for (i, s) in n.subnets.iter().flatten().enumerate() {
        if !known_subnets.contains(s) {
            return Err(invalid(
                format!("networkConfiguration.subnets[{i}]"),
                format!("\"{s}\" is not a subnet of this scenario ({}).", known_subnets.join(", ")),
            ));
        }
    }
    if n.subnets.as_ref().is_some_and(|s| s.is_empty()) {
        return Err(invalid(
            "networkConfiguration.subnets",
            "Give at least one subnet, or leave subnets out to use the default VPC's.",
        ));
    }
    for (i, g) in n.security_groups.iter().flatten().enumerate() {
        // Security group ids are `sg-` and 8 or 17 hex digits (EC2 resource ids).
        let ok = g
            .strip_prefix("sg-")
            .is_some_and(|h| (h.len() == 8 || h.len() == 17) && h.bytes().all(|b| b.is_ascii_hexdigit()));
        if !ok {
            return Err(invalid(
                format!("networkConfiguration.securityGroups[{i}]"),
                format!("\"{g}\" is not a security group id like sg-0123456789abcdef0."),
            ));
        }
    }
    Ok(())
}

/// The members that cannot come with `taskDefinitionArn`. DOCUMENTED (API, `taskDefinitionArn`):
/// "If you provide a task definition ARN, you cannot also specify primaryContainer,
/// executionRoleArn, taskRoleArn, cpu, memory, or cpuArchitecture."
fn check_task_definition_exclusive(has_td: bool, present: &[(&str, bool)]) -> ApiResult<()> {
    if !has_td {
        return Ok(());
    }
    if let Some((name, _)) = present.iter().find(|(_, p)| *p) {
        return Err(invalid(*name, format!("You can't specify {name} together with taskDefinitionArn.")));
    }
    Ok(())
}

/// Validate a create request and fill in every default. `known_subnets` are the scenario's subnet
/// ids (the "default VPC" of the playground). Checks that need the simulation (cluster, names in
/// use, the registered task definition, Fargate CPU/memory pairs) are done by `sim::express`.
pub fn resolve_create(req: &CreateExpressGatewayService, known_subnets: &[String]) -> ApiResult<Config> {
    // DOCUMENTED (botocore): `infrastructureRoleArn` is the one required member.
    let infra = req.infrastructure_role_arn.as_deref().unwrap_or("");
    if infra.is_empty() {
        return Err(invalid("infrastructureRoleArn", "infrastructureRoleArn is required: the role ECS uses to create the load balancer, target group, security groups and scaling policies."));
    }
    check_role_arn("infrastructureRoleArn", infra)?;
    if let Some(name) = &req.service_name {
        check_service_name(name)?;
    }
    let has_td = req.task_definition_arn.is_some();
    check_task_definition_exclusive(
        has_td,
        &[
            ("primaryContainer", req.primary_container.is_some()),
            ("executionRoleArn", req.execution_role_arn.is_some()),
            ("taskRoleArn", req.task_role_arn.is_some()),
            ("cpu", req.cpu.is_some()),
            ("memory", req.memory.is_some()),
            ("cpuArchitecture", req.cpu_architecture.is_some()),
        ],
    )?;
    if !has_td {
        // ASSUMED: without a task definition, the image has to come from primaryContainer
        // (API, `primaryContainer`: "The primary container must specify at minimum a container image").
        let Some(c) = &req.primary_container else {
            return Err(invalid("primaryContainer", "Specify primaryContainer (with an image) or taskDefinitionArn."));
        };
        check_container(c)?;
        // DOCUMENTED (Guide): "an Express Mode service requires only a container image, task
        // execution role and infrastructure role to get started."
        if req.execution_role_arn.is_none() {
            return Err(invalid("executionRoleArn", "executionRoleArn is required with primaryContainer: the task execution role pulls the image and sends the logs."));
        }
    }
    if let Some(a) = &req.execution_role_arn {
        check_role_arn("executionRoleArn", a)?;
    }
    if let Some(a) = &req.task_role_arn {
        check_role_arn("taskRoleArn", a)?;
    }
    let health = req.health_check_path.clone().unwrap_or_else(|| DEFAULT_HEALTH_CHECK_PATH.to_string());
    check_health_check_path(&health)?;
    let network = req.network_configuration.clone().unwrap_or_default();
    check_network(&network, known_subnets)?;
    let scaling = req.scaling_target.clone().unwrap_or_default();
    check_scaling(&scaling)?;
    check_tags(req.tags.as_deref().unwrap_or(&[]))?;
    Ok(Config {
        execution_role_arn: req.execution_role_arn.clone(),
        task_role_arn: req.task_role_arn.clone(),
        task_definition_arn: req.task_definition_arn.clone(),
        cpu: req.cpu.clone().unwrap_or_else(|| DEFAULT_CPU.to_string()),
        memory: req.memory.clone().unwrap_or_else(|| DEFAULT_MEMORY.to_string()),
        cpu_architecture: req.cpu_architecture.unwrap_or_default(),
        network_configuration: network,
        health_check_path: health,
        primary_container: req.primary_container.clone(),
        scaling_target: scaling,
        task_definition_port: None,
    })
}

/// Validate an update and merge it into the current configuration. Members left out keep their
/// current value: DOCUMENTED for `cpuArchitecture` (API: "If you don't specify a value, the
/// service keeps its current architecture"), ASSUMED the same for the other members.
pub fn resolve_update(
    current: &Config,
    req: &UpdateExpressGatewayService,
    known_subnets: &[String],
) -> ApiResult<Config> {
    let has_td = req.task_definition_arn.is_some();
    check_task_definition_exclusive(
        has_td,
        &[
            ("primaryContainer", req.primary_container.is_some()),
            ("executionRoleArn", req.execution_role_arn.is_some()),
            ("taskRoleArn", req.task_role_arn.is_some()),
            ("cpu", req.cpu.is_some()),
            ("memory", req.memory.is_some()),
            ("cpuArchitecture", req.cpu_architecture.is_some()),
        ],
    )?;
    let mut next = current.clone();
    if has_td {
        next.task_definition_arn = req.task_definition_arn.clone();
        next.primary_container = None;
        next.execution_role_arn = None;
        next.task_role_arn = None;
        next.task_definition_port = None;
    }
    if let Some(c) = &req.primary_container {
        check_container(c)?;
        next.primary_container = Some(c.clone());
        next.task_definition_arn = None;
        next.task_definition_port = None;
        if next.execution_role_arn.is_none() && req.execution_role_arn.is_none() {
            return Err(invalid("executionRoleArn", "executionRoleArn is required with primaryContainer."));
        }
    }
    if let Some(a) = &req.execution_role_arn {
        check_role_arn("executionRoleArn", a)?;
        next.execution_role_arn = Some(a.clone());
    }
    if let Some(a) = &req.task_role_arn {
        check_role_arn("taskRoleArn", a)?;
        next.task_role_arn = Some(a.clone());
    }
    if let Some(v) = &req.cpu {
        next.cpu = v.clone();
    }
    if let Some(v) = &req.memory {
        next.memory = v.clone();
    }
    if let Some(v) = req.cpu_architecture {
        next.cpu_architecture = v;
    }
    if let Some(p) = &req.health_check_path {
        check_health_check_path(p)?;
        next.health_check_path = p.clone();
    }
    if let Some(n) = &req.network_configuration {
        check_network(n, known_subnets)?;
        next.network_configuration = n.clone();
    }
    if let Some(s) = &req.scaling_target {
        // Members left out of scalingTarget keep their current values (ASSUMED).
        let cur = &current.scaling_target;
        let merged = ScalingTarget {
            min_task_count: s.min_task_count.or(cur.min_task_count),
            max_task_count: s.max_task_count.or(cur.max_task_count),
            auto_scaling_metric: s.auto_scaling_metric.or(cur.auto_scaling_metric),
            auto_scaling_target_value: s.auto_scaling_target_value.or(cur.auto_scaling_target_value),
        };
        check_scaling(&merged)?;
        next.scaling_target = merged;
    }
    Ok(next)
}

/// Whether going from `a` to `b` needs a new task definition revision and a deployment.
pub fn needs_new_revision(a: &Config, b: &Config) -> bool {
    a.execution_role_arn != b.execution_role_arn
        || a.task_role_arn != b.task_role_arn
        || a.task_definition_arn != b.task_definition_arn
        || a.cpu != b.cpu
        || a.memory != b.memory
        || a.cpu_architecture != b.cpu_architecture
        || a.primary_container != b.primary_container
}

/// Where the plan is built: the names and ids the simulation gives it.
#[derive(Debug, Clone)]
pub struct Context {
    pub region: String,
    pub account_id: String,
    pub cluster: String,
    pub service_name: String,
    /// The scenario's subnets (the playground's default VPC), one per Availability Zone.
    pub default_subnets: Vec<String>,
    pub vpc_id: String,
    /// Hex suffixes for the resource ids AWS would generate (from the simulation's seeded RNG).
    pub ids: Vec<String>,
}

impl Context {
    fn id(&self, i: usize) -> String {
        self.ids.get(i).cloned().unwrap_or_else(|| format!("{:017x}", i))
    }
    /// A name of at most `max` characters for ELB resources: letters, digits and hyphens.
    fn elb_name(&self, suffix: &str, max: usize) -> String {
        let base: String = self.service_name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        let keep = max.saturating_sub(suffix.len());
        let base = base.chars().take(keep).collect::<String>();
        let base = base.trim_matches('-');
        format!("{base}{suffix}")
    }
}

/// One explicit API request: the service it goes to, the action and the input in that API's
/// own spelling.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    pub api: &'static str,
    pub action: &'static str,
    pub input: Value,
}

impl Request {
    /// The input as indented JSON, as the console's "view request" shows it.
    pub fn input_pretty(&self) -> String {
        serde_json::to_string_pretty(&self.input).unwrap_or_default()
    }
}

/// "Show what was created" for one Express service (`Simulation::express_view_typed`): what the
/// app draws, and, serialized, what `Simulation::express_view` returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpressView {
    pub service_name: String,
    pub service_arn: String,
    pub endpoint: String,
    pub status: String,
    /// The resources the call created, in creation order.
    pub resources: Vec<Resource>,
    /// Every resource's explicit requests, in the same order.
    pub requests: Vec<Request>,
    pub simulated_deployment: String,
    pub terraform: String,
}

/// One resource the call created.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    /// CloudFormation resource type, e.g. `AWS::ElasticLoadBalancingV2::LoadBalancer`.
    pub resource_type: &'static str,
    /// Name or id as the console lists it.
    pub name: String,
    /// ARN (or id for resources without one).
    pub arn: String,
    /// Whether the engine simulates this resource (task definition, target group, service,
    /// scalable target, scaling policy) or only describes it (load balancer, listener, rule,
    /// security groups, certificate, log group, alarm).
    pub simulated: bool,
    pub requests: Vec<Request>,
}

/// What one CreateExpressGatewayService call expands into, in creation order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub endpoint: String,
    pub log_group: String,
    pub target_group_name: String,
    pub alarm_name: String,
    pub task_security_groups: Vec<String>,
    pub subnets: Vec<String>,
    pub resources: Vec<Resource>,
}

impl Plan {
    pub fn request(&self, action: &str) -> Option<&Value> {
        self.resources.iter().flat_map(|r| &r.requests).find(|q| q.action == action).map(|q| &q.input)
    }
}

/// The family of the task definition Express Mode registers. ASSUMED: the service name.
pub fn family(service_name: &str) -> String {
    service_name.to_string()
}

/// The RegisterTaskDefinition body for a configuration (primary container named `Main`, awsvpc,
/// FARGATE, LINUX - DOCUMENTED, Guide "Task definition defaults": networkMode "awsvpc",
/// operatingSystemFamily "LINUX", cpuArchitecture "X86_64", requiresCompatibilities ["FARGATE"]).
pub fn register_task_definition(cfg: &Config, ctx: &Context, log_group: &str) -> Value {
    let c = cfg.primary_container.as_ref();
    let mut container = json!({
        "name": CONTAINER_NAME,
        "image": c.map(|c| c.image.clone()).unwrap_or_default(),
        "essential": true,
        "portMappings": [{"containerPort": cfg.container_port(), "protocol": "tcp", "name": format!("{}-{}-tcp", CONTAINER_NAME.to_lowercase(), cfg.container_port())}],
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": log_group,
                "awslogs-region": ctx.region,
                "awslogs-stream-prefix": c.and_then(|c| c.aws_logs_configuration.as_ref()).map(|l| l.log_stream_prefix.clone()).unwrap_or_else(|| "ecs".into()),
            }
        },
    });
    if let Some(c) = c {
        if let Some(cmd) = &c.command {
            container["command"] = json!(cmd);
        }
        if let Some(env) = &c.environment {
            container["environment"] = json!(env);
        }
        if let Some(s) = &c.secrets {
            container["secrets"] = json!(s);
        }
        if let Some(rc) = &c.repository_credentials {
            container["repositoryCredentials"] = json!(rc);
        }
    }
    let mut td = json!({
        "family": family(&ctx.service_name),
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": cfg.cpu,
        "memory": cfg.memory,
        "runtimePlatform": {"cpuArchitecture": cfg.cpu_architecture.as_str(), "operatingSystemFamily": "LINUX"},
        "containerDefinitions": [container],
    });
    if let Some(a) = &cfg.execution_role_arn {
        td["executionRoleArn"] = json!(a);
    }
    if let Some(a) = &cfg.task_role_arn {
        td["taskRoleArn"] = json!(a);
    }
    td
}

/// The scaling requests for a configuration: RegisterScalableTarget and a target tracking
/// PutScalingPolicy. Cooldowns: ASSUMED 300 s each (Application Auto Scaling's default for ECS).
pub fn scaling_requests(
    cfg: &Config,
    ctx: &Context,
    target_group_arn: &str,
    load_balancer_arn: &str,
) -> (Value, Value) {
    let rid = format!("service/{}/{}", ctx.cluster, ctx.service_name);
    let target = json!({
        "ServiceNamespace": ECS_NAMESPACE,
        "ResourceId": rid,
        "ScalableDimension": ECS_DIMENSION,
        "MinCapacity": cfg.min_tasks(),
        "MaxCapacity": cfg.max_tasks(),
    });
    let mut spec = json!({"PredefinedMetricType": cfg.metric().predefined_metric_type()});
    if cfg.metric() == ScalingMetric::RequestCountPerTarget {
        // ResourceLabel: app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>.
        let lb = load_balancer_arn.split_once("loadbalancer/").map(|x| x.1).unwrap_or("");
        let tg = target_group_arn.split_once(":targetgroup/").map(|x| x.1).unwrap_or("");
        spec["ResourceLabel"] = json!(format!("{lb}/targetgroup/{tg}"));
    }
    let policy = json!({
        "PolicyName": format!("{}-target-tracking", ctx.service_name),
        "ServiceNamespace": ECS_NAMESPACE,
        "ResourceId": rid,
        "ScalableDimension": ECS_DIMENSION,
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {
            "TargetValue": cfg.target_value() as f64,
            "PredefinedMetricSpecification": spec,
            "ScaleOutCooldown": 300,
            "ScaleInCooldown": 300,
        },
    });
    (target, policy)
}

/// The target group's name. ASSUMED format: `<service>-tg` cut to ELB's 32 characters.
pub fn target_group_name(ctx: &Context) -> String {
    ctx.elb_name("-tg", 32)
}

/// The CreateTargetGroup body: DOCUMENTED (Guide) "target groups", (API) the health check path;
/// awsvpc tasks need target type `ip` (ECS guide, load balancing). Health check timings are
/// ELBv2's defaults (ASSUMED: Express Mode does not change them).
pub fn create_target_group(cfg: &Config, ctx: &Context) -> Value {
    json!({"Name": target_group_name(ctx), "Protocol": "HTTP", "Port": cfg.container_port(), "VpcId": ctx.vpc_id, "TargetType": "ip", "HealthCheckPath": cfg.health_check_path, "Matcher": {"HttpCode": "200"}})
}

/// The resources and explicit requests one CreateExpressGatewayService call stands for, in the
/// order they are created (each depends only on earlier ones). The list follows the Guide's
/// "The following resources are created" (the cluster and the service-linked roles are not
/// listed: the scenario's cluster exists, and service-linked roles are account-wide).
pub fn plan(cfg: &Config, ctx: &Context, tags: &[Tag], td_arn: &str, tg_arn: &str) -> Plan {
    let r = &ctx.region;
    let a = &ctx.account_id;
    let svc = &ctx.service_name;
    // ASSUMED name formats (AWS generates its own): log group, security groups, load balancer,
    // target group, alarm, certificate domain and endpoint.
    let log_group = cfg
        .primary_container
        .as_ref()
        .and_then(|c| c.aws_logs_configuration.as_ref())
        .map(|l| l.log_group.clone())
        .unwrap_or_else(|| format!("/aws/ecs/{}/{svc}", ctx.cluster));
    let host = format!("{}.ecs.{r}.on.aws", ctx.elb_name("", 40).to_lowercase());
    let endpoint = format!("https://{host}");
    let lb_sg = format!("sg-{}", ctx.id(0));
    let task_sg = format!("sg-{}", ctx.id(1));
    let lb_name = ctx.elb_name("-alb", 32);
    let lb_arn = format!(
        "arn:aws:elasticloadbalancing:{r}:{a}:loadbalancer/app/{lb_name}/{}",
        &ctx.id(2)[..16.min(ctx.id(2).len())]
    );
    let tg_name = target_group_name(ctx);
    let cert_arn = format!("arn:aws:acm:{r}:{a}:certificate/{}", ctx.id(4));
    let listener_arn =
        format!("{}/{}", lb_arn.replace(":loadbalancer/", ":listener/"), &ctx.id(5)[..16.min(ctx.id(5).len())]);
    let rule_arn =
        format!("{}/{}", listener_arn.replace(":listener/", ":listener-rule/"), &ctx.id(6)[..16.min(ctx.id(6).len())]);
    let alarm_name = format!("{svc}-rollback-alarm");
    let subnets = cfg.network_configuration.subnets.clone().unwrap_or_else(|| ctx.default_subnets.clone());
    let own_task_sg = cfg.network_configuration.security_groups.is_none();
    let task_sgs = cfg.network_configuration.security_groups.clone().unwrap_or_else(|| vec![task_sg.clone()]);
    let port = cfg.container_port();
    let ecs_tags: Vec<Value> =
        tags.iter().map(|t| json!({"key": t.key, "value": t.value.clone().unwrap_or_default()})).collect();
    let mut resources = Vec::new();
    let q = |api: &'static str, action: &'static str, input: Value| Request { api, action, input };

    // 1. The service's log group. DOCUMENTED (Guide): "Log group specific to the service".
    resources.push(Resource {
        resource_type: "AWS::Logs::LogGroup",
        name: log_group.clone(),
        arn: format!("arn:aws:logs:{r}:{a}:log-group:{log_group}"),
        simulated: false,
        requests: vec![q("logs", "CreateLogGroup", json!({"logGroupName": log_group}))],
    });
    // 2. DOCUMENTED (Guide): "A task definition with container, logging, and networking configurations".
    if cfg.task_definition_arn.is_none() {
        resources.push(Resource {
            resource_type: "AWS::ECS::TaskDefinition",
            name: format!("{}:{}", family(svc), td_arn.rsplit(':').next().unwrap_or("1")),
            arn: td_arn.to_string(),
            simulated: true,
            requests: vec![q("ecs", "RegisterTaskDefinition", register_task_definition(cfg, ctx, &log_group))],
        });
    }
    // 3-4. DOCUMENTED (Guide): "Security groups with minimal required ingress". ASSUMED rules:
    // the load balancer's group admits HTTPS from anywhere, the tasks' group admits the
    // container port from the load balancer's group only.
    resources.push(Resource {
        resource_type: "AWS::EC2::SecurityGroup",
        name: format!("{svc}-lb-sg"),
        arn: lb_sg.clone(),
        simulated: false,
        requests: vec![
            q("ec2", "CreateSecurityGroup", json!({"GroupName": format!("{svc}-lb-sg"), "Description": format!("Load balancer of the Express service {svc}"), "VpcId": ctx.vpc_id})),
            q("ec2", "AuthorizeSecurityGroupIngress", json!({"GroupId": lb_sg, "IpPermissions": [{"IpProtocol": "tcp", "FromPort": LISTENER_PORT, "ToPort": LISTENER_PORT, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]})),
        ],
    });
    if own_task_sg {
        resources.push(Resource {
            resource_type: "AWS::EC2::SecurityGroup",
            name: format!("{svc}-task-sg"),
            arn: task_sg.clone(),
            simulated: false,
            requests: vec![
                q("ec2", "CreateSecurityGroup", json!({"GroupName": format!("{svc}-task-sg"), "Description": format!("Tasks of the Express service {svc}"), "VpcId": ctx.vpc_id})),
                q("ec2", "AuthorizeSecurityGroupIngress", json!({"GroupId": task_sg, "IpPermissions": [{"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "UserIdGroupPairs": [{"GroupId": lb_sg}]}]})),
            ],
        });
    }
    // 5. DOCUMENTED (Guide): "ACM certificate".
    resources.push(Resource {
        resource_type: "AWS::CertificateManager::Certificate",
        name: host.clone(),
        arn: cert_arn.clone(),
        simulated: false,
        requests: vec![q("acm", "RequestCertificate", json!({"DomainName": host, "ValidationMethod": "DNS"}))],
    });
    // 6. DOCUMENTED (Guide): "Application Load Balancer". ASSUMED: internet-facing (a PUBLIC
    // ingress path) in the service's subnets.
    resources.push(Resource {
        resource_type: "AWS::ElasticLoadBalancingV2::LoadBalancer",
        name: lb_name.clone(),
        arn: lb_arn.clone(),
        simulated: false,
        requests: vec![q("elbv2", "CreateLoadBalancer", json!({"Name": lb_name, "Type": "application", "Scheme": "internet-facing", "IpAddressType": "ipv4", "Subnets": subnets, "SecurityGroups": [lb_sg]}))],
    });
    // 7. The target group (see `create_target_group`).
    resources.push(Resource {
        resource_type: "AWS::ElasticLoadBalancingV2::TargetGroup",
        name: tg_name.clone(),
        arn: tg_arn.to_string(),
        simulated: true,
        requests: vec![q("elbv2", "CreateTargetGroup", create_target_group(cfg, ctx))],
    });
    // 8. DOCUMENTED (Guide): "HTTPS listener". ASSUMED: requests matching no rule get a 404.
    resources.push(Resource {
        resource_type: "AWS::ElasticLoadBalancingV2::Listener",
        name: format!("HTTPS:{LISTENER_PORT}"),
        arn: listener_arn.clone(),
        simulated: false,
        requests: vec![q("elbv2", "CreateListener", json!({"LoadBalancerArn": lb_arn, "Protocol": "HTTPS", "Port": LISTENER_PORT, "Certificates": [{"CertificateArn": cert_arn}], "DefaultActions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain"}}]}))],
    });
    // 9. DOCUMENTED (Guide): "listener rules". ASSUMED: a host-header rule for the endpoint.
    resources.push(Resource {
        resource_type: "AWS::ElasticLoadBalancingV2::ListenerRule",
        name: format!("host-header {host}"),
        arn: rule_arn,
        simulated: false,
        requests: vec![q("elbv2", "CreateRule", json!({"ListenerArn": listener_arn, "Priority": 1, "Conditions": [{"Field": "host-header", "HostHeaderConfig": {"Values": [host]}}], "Actions": [{"Type": "forward", "TargetGroupArn": tg_arn}]}))],
    });
    // 10. DOCUMENTED (Guide): "Metric alarm for detecting faulty deployments"; (Guide, update)
    // "if sum of 4xx and 5xx errors percentage is > 1 for 2 datapoints within 3 minutes".
    // The alarm is described, not evaluated by the engine.
    resources.push(Resource {
        resource_type: "AWS::CloudWatch::Alarm",
        name: alarm_name.clone(),
        arn: format!("arn:aws:cloudwatch:{r}:{a}:alarm:{alarm_name}"),
        simulated: false,
        requests: vec![q("cloudwatch", "PutMetricAlarm", json!({"AlarmName": alarm_name, "ComparisonOperator": "GreaterThanThreshold", "Threshold": 1, "EvaluationPeriods": 3, "DatapointsToAlarm": 2, "Period": 60, "Metrics": [{"Id": "errors", "Expression": "100 * (m4xx + m5xx) / requests", "ReturnData": true}]}))],
    });
    // 11. DOCUMENTED (Guide): "A service with canary deployment and auto scaling". The engine
    // runs it with minimumHealthyPercent 100 / maximumPercent 200 (see CANARY_PERCENT); the
    // request shows the documented canary strategy and alarm rollback. desiredCount: ASSUMED the
    // minimum task count.
    let td_ref = cfg.task_definition_arn.clone().unwrap_or_else(|| td_arn.to_string());
    let mut create_service = json!({
        "serviceName": svc,
        "cluster": ctx.cluster,
        "taskDefinition": td_ref,
        "desiredCount": cfg.min_tasks(),
        "launchType": "FARGATE",
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": subnets, "securityGroups": task_sgs, "assignPublicIp": if cfg.network_configuration.subnets.is_none() { "ENABLED" } else { "DISABLED" }}},
        "loadBalancers": [{"targetGroupArn": tg_arn, "containerName": CONTAINER_NAME, "containerPort": port}],
        "deploymentConfiguration": {
            "strategy": "CANARY",
            "canaryConfiguration": {"canaryPercent": CANARY_PERCENT as f64, "canaryBakeTimeInMinutes": CANARY_BAKE_MINUTES},
            "bakeTimeInMinutes": CANARY_BAKE_MINUTES,
            "alarms": {"alarmNames": [alarm_name], "enable": true, "rollback": true},
        },
    });
    if !ecs_tags.is_empty() {
        create_service["tags"] = json!(ecs_tags);
    }
    let service_arn = format!("arn:aws:ecs:{r}:{a}:service/{}/{svc}", ctx.cluster);
    resources.push(Resource {
        resource_type: "AWS::ECS::Service",
        name: svc.clone(),
        arn: service_arn,
        simulated: true,
        requests: vec![q("ecs", "CreateService", create_service)],
    });
    // 12-13. DOCUMENTED (Guide): "Application Auto Scaling scalable target and target tracking
    // scaling policy".
    let (target, policy) = scaling_requests(cfg, ctx, tg_arn, &lb_arn);
    let rid = format!("service/{}/{svc}", ctx.cluster);
    resources.push(Resource {
        resource_type: "AWS::ApplicationAutoScaling::ScalableTarget",
        name: rid.clone(),
        arn: format!("arn:aws:application-autoscaling:{r}:{a}:scalable-target/{rid}"),
        simulated: true,
        requests: vec![q("application-autoscaling", "RegisterScalableTarget", target)],
    });
    let policy_name = policy["PolicyName"].as_str().unwrap_or_default().to_string();
    resources.push(Resource {
        resource_type: "AWS::ApplicationAutoScaling::ScalingPolicy",
        name: policy_name.clone(),
        arn: format!(
            "arn:aws:autoscaling:{r}:{a}:scalingPolicy:{}:resource/ecs/{rid}:policyName/{policy_name}",
            ctx.id(7)
        ),
        simulated: true,
        requests: vec![q("application-autoscaling", "PutScalingPolicy", policy)],
    });
    Plan {
        endpoint,
        log_group,
        target_group_name: tg_name,
        alarm_name,
        task_security_groups: task_sgs,
        subnets,
        resources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> CreateExpressGatewayService {
        CreateExpressGatewayService {
            infrastructure_role_arn: Some("arn:aws:iam::123456789012:role/ecsInfrastructureRole".into()),
            execution_role_arn: Some("arn:aws:iam::123456789012:role/ecsTaskExecutionRole".into()),
            primary_container: Some(ExpressGatewayContainer {
                image: "public.ecr.aws/nginx/nginx:1.27".into(),
                container_port: None,
                aws_logs_configuration: None,
                repository_credentials: None,
                command: None,
                environment: None,
                secrets: None,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn defaults_fill_in() {
        let c = resolve_create(&minimal(), &[]).unwrap();
        assert_eq!(c.cpu, "1024");
        assert_eq!(c.memory, "2048");
        assert_eq!(c.health_check_path, "/ping");
        assert_eq!(c.container_port(), 80);
        assert_eq!(c.metric(), ScalingMetric::AverageCpu);
        assert_eq!(c.target_value(), 60);
    }

    #[test]
    fn role_arn_shape() {
        assert!(check_role_arn("x", "arn:aws:iam::123456789012:role/a").is_ok());
        assert!(check_role_arn("x", "arn:aws:iam::123456789012:user/a").is_err());
        assert!(check_role_arn("x", "ecsTaskExecutionRole").is_err());
    }
}
