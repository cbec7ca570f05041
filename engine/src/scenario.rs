//! The scenario document: a cluster and what happens to it, written in AWS's own API shapes
//! (RegisterTaskDefinition, CreateService, CreateTargetGroup, PutScalingPolicy bodies), so a user
//! can paste real JSON. Unknown keys are errors that name the key.

use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    /// The JSON Schema this file follows (`schema/scenario.schema.json`), for editors; ignored.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Seed of the simulation's random stream (placement `random`, task ids, jitter).
    #[serde(default)]
    pub seed: u64,
    #[serde(default = "default_cluster")]
    pub cluster: String,
    /// Region for ARNs; defaults to the region of the first availability zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default)]
    pub availability_zones: Vec<String>,
    #[serde(default)]
    pub container_instances: Vec<InstanceGroup>,
    /// RegisterTaskDefinition bodies (or describe-task-definition output), registered in order.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::taskdef::RegisterTaskDefinition>"))]
    pub task_definitions: Vec<Value>,
    /// CreateService bodies.
    #[serde(default)]
    pub services: Vec<CreateService>,
    /// CreateTargetGroup bodies (ELBv2 spelling), plus target group attributes.
    #[serde(default)]
    pub target_groups: Vec<CreateTargetGroup>,
    /// ALB listener rules in DescribeRules' `Rule` shape (ELBv2 spelling), whose weighted forward
    /// actions split the requests of a `traffic` entry between target groups; a service's
    /// `advancedConfiguration` names them for blue/green, linear and canary deployments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listener_rules: Vec<ListenerRule>,
    /// CloudWatch PutMetricAlarm bodies over metrics the engine emits, for
    /// `deploymentConfiguration.alarms` (see `sim::deploy_alarms`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metric_alarms: Vec<PutMetricAlarm>,
    /// What the Lambda functions named by `deploymentConfiguration.lifecycleHooks` answer (the
    /// hook targets are simulated, see `LifecycleHookResult`). A hook with no entry succeeds at once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lifecycle_hook_results: Vec<LifecycleHookResult>,
    /// CodeDeploy CreateDeploymentGroup bodies for `CODE_DEPLOY` services (see `code_deploy`);
    /// a timeline `CreateDeployment` deploys through one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code_deploy_deployment_groups: Vec<crate::code_deploy::CreateDeploymentGroup>,
    /// Application Auto Scaling: scalable targets, policies, scheduled actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::autoscaling::types::ScalingSection>"))]
    pub scaling: Option<Value>,
    /// Requests per second over time, and what a request costs a task (see `Traffic`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic: Option<Traffic>,
    /// How the containers behave at run time (see `ContainerBehavior`): crash after N seconds,
    /// failing health checks, an image that cannot be pulled, the HTTP code the app answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub container_behaviors: Vec<ContainerBehavior>,
    /// Auto Scaling groups, CreateCapacityProvider and PutClusterCapacityProviders bodies
    /// (shape and rules: `capacity::config`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::capacity::config::CapacitySection>"))]
    pub capacity_providers: Option<Value>,
    /// EventBridge PutRule bodies with their ECS targets, and S3 buckets that send events
    /// (shape and rules: `events::rules`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::events::rules::EventRulesSection>"))]
    pub event_rules: Option<Value>,
    /// SQS queues with a worker service (shape and rules: `sim::queues`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<crate::sim::queues::CreateQueue>>"))]
    pub queues: Option<Value>,
    /// Calendar date-time of simulated time 0 (ISO 8601 UTC, e.g. "2026-11-01T00:00:00Z"), so
    /// ECR push times can be written as dates. Pure civil arithmetic (see `ecr::civil`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// ECR private repositories with images and lifecycle policies (see `ecr::Registry::from_scenario`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecr_repositories: Option<Value>,
    /// IAM roles named by task definitions and instances (see `iam::Roles::from_scenario`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam_roles: Option<Value>,
    /// SSM Parameter Store parameters that exist before the run (SSM PutParameter bodies), for
    /// container `secrets`. Absent: every parameter a `valueFrom` names exists (see `secrets`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssm_parameters: Option<Vec<crate::secrets::PutParameter>>,
    /// Secrets Manager secrets that exist before the run (CreateSecret bodies). Absent: every
    /// secret a `valueFrom` names exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets_manager_secrets: Option<Vec<crate::secrets::CreateSecret>>,
    /// S3 objects that exist before the run (S3 PutObject bodies), for container
    /// `environmentFiles`. Absent: every environment file exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_objects: Option<Vec<crate::secrets::S3Object>>,
    /// CloudWatch Logs log groups that exist before the run (CreateLogGroup's shape). Absent:
    /// every group a task definition's `awslogs` configuration names exists (see `awslogs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_groups: Option<Vec<crate::awslogs::CreateLogGroup>>,
    /// The VPC around the cluster in EC2's shapes: security groups, subnets, route tables, internet
    /// and NAT gateways, VPC endpoints, and the load balancers' security groups (`vpc::VpcSection`).
    /// Absent: every target is reachable and every task reaches its registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<crate::vpc::VpcSection>,
    /// Lifecycle durations that override the engine's defaults (see `lifecycle::Timings`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::sim::timings::Timings>"))]
    pub timings: Option<Value>,
    /// The calendar instant of simulated time 0 (UTC, `yyyy-mm-ddThh:mm:ss`), for cron and `at()`
    /// schedules; default 2026-01-05T00:00:00Z (a Monday).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// API calls and faults at given simulated seconds.
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
    /// Container images that do not exist in their registry: pulling one fails with
    /// CannotPullContainerError (as does any image tagged `:does-not-exist`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_images: Vec<String>,
    /// Lesson metadata (title, explanation, question, pauses); ignored by the engine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<crate::lesson::Lesson>,
    /// A/B runs: run B is this scenario with the variant's changes (`ab::Variant`); a single run
    /// ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<crate::ab::Variant>,
}

fn default_cluster() -> String {
    "default".to_string()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstanceGroup {
    pub instance_type: String,
    pub availability_zone: String,
    #[serde(default = "one")]
    pub count: u32,
    /// Custom attributes (name -> value), matched by `attribute:<name>` in placement.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// Refused when set: a capacity provider's instances come from its Auto Scaling group's
    /// DesiredCapacity (`capacityProviders.autoScalingGroups`), so the group can account for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<String>,
    /// The instance profile's role name or ARN (from `iamRoles`): what the ECS agent and, on
    /// EC2, image pulls and the awslogs driver use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam_instance_profile: Option<String>,
    /// The instances' security groups (RunInstances `SecurityGroupIds`), from the scenario's
    /// `vpc.SecurityGroups`; empty: the VPC's default group. Read only with a `vpc` section.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_group_ids: Vec<String>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum LaunchType {
    Ec2,
    Fargate,
    External,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum SchedulingStrategy {
    #[default]
    Replica,
    Daemon,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlacementStrategy {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlacementConstraint {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentCircuitBreaker {
    pub enable: bool,
    pub rollback: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_percent: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_healthy_percent: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_circuit_breaker: Option<DeploymentCircuitBreaker>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarms: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bake_time_in_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canary_configuration: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linear_configuration: Option<Value>,
    /// DeploymentLifecycleHook bodies (see `deploy_strategy::parse_hooks`); the Lambda answers come
    /// from the scenario's `lifecycleHookResults`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<crate::deploy_strategy::DeploymentLifecycleHook>>"))]
    pub lifecycle_hooks: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceLoadBalancer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer_name: Option<String>,
    pub container_name: String,
    pub container_port: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advanced_configuration: Option<AdvancedConfiguration>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapacityProviderStrategyItem {
    pub capacity_provider: String,
    #[serde(default)]
    pub weight: u32,
    #[serde(default)]
    pub base: u32,
}

/// CreateService request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateService {
    pub service_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// `family`, `family:revision` or a full task definition ARN.
    #[serde(default)]
    pub task_definition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduling_strategy: Option<SchedulingStrategy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_configuration: Option<DeploymentConfiguration>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<PlacementConstraint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_strategy: Vec<PlacementStrategy>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub load_balancers: Vec<ServiceLoadBalancer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_grace_period_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_controller: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_registries: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Value>,
    /// AWS's spelling is `enableECSManagedTags` (CreateService); the camelCase form is read too.
    #[serde(
        default,
        rename = "enableECSManagedTags",
        alias = "enableEcsManagedTags",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_ecs_managed_tags: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_execute_command: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_connect_configuration: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_configurations: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone_rebalancing: Option<String>,
    /// VPC Lattice target groups of the service (accepted and kept; not simulated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_lattice_configurations: Option<Vec<VpcLatticeConfiguration>>,
}

/// CreateService `vpcLatticeConfigurations[]`: "roleArn", "targetGroupArn", "portName", all
/// required (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_VpcLatticeConfiguration.html).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VpcLatticeConfiguration {
    pub role_arn: String,
    pub target_group_arn: String,
    pub port_name: String,
}

/// LoadBalancer `advancedConfiguration`, used by blue/green deployments: "alternateTargetGroupArn",
/// "productionListenerRule", "testListenerRule", "roleArn"
/// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AdvancedConfiguration.html).
/// Accepted with its shape checked; blue/green itself is not simulated yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdvancedConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternate_target_group_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production_listener_rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_listener_rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TargetGroupAttribute {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Matcher {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc_code: Option<String>,
}

/// ELBv2 CreateTargetGroup request body (PascalCase, as the ELBv2 API and CLI JSON spell it),
/// with the target group attributes (ModifyTargetGroupAttributes) alongside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateTargetGroup {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// `instance` (default) or `ip` (required for awsvpc tasks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_port: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_interval_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_timeout_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthy_threshold_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unhealthy_threshold_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matcher: Option<Matcher>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Value>,
    /// Target group attributes, e.g. `deregistration_delay.timeout_seconds`,
    /// `load_balancing.algorithm.type` (`round_robin` | `least_outstanding_requests`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<TargetGroupAttribute>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimelineEntry {
    /// Simulated seconds from the start.
    pub at: f64,
    /// An ECS API action (`UpdateService`, `RunTask`, `StopTask`, `RegisterTaskDefinition`, ...)
    /// or a fault (`TerminateInstance`, `FailAvailabilityZone`, ...).
    pub action: String,
    #[serde(default)]
    pub input: Value,
}

/// How one container of a task definition behaves when it runs. Containers without an entry
/// behave well: they start, keep running, pass their `healthCheck` and answer `200`.
///
/// ```json
/// "containerBehaviors": [
///   { "taskDefinition": "web", "containerName": "web", "exitAfterSeconds": 90, "exitCode": 1 },
///   { "taskDefinition": "api:2", "containerName": "api", "healthCheck": "FAILING" },
///   { "taskDefinition": "api", "containerName": "api", "httpStatus": 500 },
///   { "taskDefinition": "bad", "containerName": "app", "imagePullFails": true }
/// ]
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerBehavior {
    /// `family` (every revision) or `family:revision`.
    pub task_definition: String,
    pub container_name: String,
    /// The container's process exits this many seconds after the task reaches RUNNING.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_after_seconds: Option<f64>,
    /// Exit code of that exit (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    /// `PASSING` (default) or `FAILING`: the result of the container definition's `healthCheck`
    /// command. Ignored when the container has no `healthCheck`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheckOutcome>,
    /// The HTTP status the application answers to the load balancer's health check (default 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Percent (0-100) of the requests the load balancer routes to this container that the
    /// application answers with a 5xx while its health check path still answers `httpStatus`: a
    /// bug only real traffic finds. Counted in `HTTPCode_Target_5XX_Count`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_percent: Option<f64>,
    /// The image cannot be pulled: the task stops before RUNNING (`TaskFailedToStart`,
    /// `CannotPullContainerError`), which is what triggers the service throttle logic.
    #[serde(default)]
    pub image_pull_fails: bool,
    /// AWS API calls the application makes with the task role's credentials once RUNNING
    /// (e.g. `{"action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/key"}`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub app_calls: Vec<AppCallSpec>,
}

/// One AWS API call made by application code inside a container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppCallSpec {
    pub action: String,
    pub resource: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HealthCheckOutcome {
    Passing,
    Failing,
}

/// An ALB listener rule as ELBv2 DescribeRules returns it (`Rule`: `RuleArn`, `Priority`,
/// `Conditions`, `Actions`, `IsDefault`). `RuleArn` may be a short name (`web-prod`); the engine
/// builds the full ARN from it. Only `forward` actions are simulated: `ForwardConfig.TargetGroups`
/// (`TargetGroupArn` = a target group's name or ARN, `Weight` 0-999) or a single `TargetGroupArn`
/// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#forward-actions:
/// "Each target group weight is a value from 0 to 999. Requests that match a listener rule with
/// weighted target groups are distributed to these target groups based on their weights.").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ListenerRule {
    pub rule_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Value>,
    pub actions: Vec<RuleAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_default: Option<bool>,
}

/// ELBv2 `Action` (only `forward` is simulated).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RuleAction {
    #[serde(rename = "Type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_config: Option<ForwardActionConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<u32>,
}

/// ELBv2 `ForwardActionConfig`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ForwardActionConfig {
    pub target_groups: Vec<TargetGroupTuple>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group_stickiness_config: Option<Value>,
}

/// ELBv2 `TargetGroupTuple`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TargetGroupTuple {
    pub target_group_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
}

/// CloudWatch PutMetricAlarm request (the members the playground evaluates). `Dimensions` are
/// matched as a subset of the datapoint's dimensions, and a `TargetGroup` dimension may name the
/// target group by its name (the engine writes `targetgroup/<name>/<id>`); only one-minute periods
/// of the engine's own metrics (`Metric` log lines) exist here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PutMetricAlarm {
    pub alarm_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_description: Option<String>,
    pub namespace: String,
    pub metric_name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<MetricDimension>,
    /// `Average` (default), `Sum`, `Maximum`, `Minimum`, `SampleCount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistic: Option<String>,
    /// Seconds; only 60 is simulated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<u32>,
    pub evaluation_periods: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datapoints_to_alarm: Option<u32>,
    pub threshold: f64,
    pub comparison_operator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treat_missing_data: Option<String>,
}

/// A simulated lifecycle hook target: how the Lambda function `hookTargetArn` answers when ECS
/// invokes it at `lifecycleStage` (every stage when omitted). For `durationSeconds` after the
/// first invocation it returns `{"hookStatus": "IN_PROGRESS", "callBackDelay": callBackDelay}`
/// (ECS invokes it again after `callBackDelay` seconds, default 30); from then on it returns
/// `hookStatus`. `hookStatus` IN_PROGRESS means it never finishes: the hook times out after the
/// hook's `timeoutConfiguration.timeoutInMinutes` (default 1440) and ECS takes its action
/// (ROLLBACK by default, or CONTINUE).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LifecycleHookResult {
    pub hook_target_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_stage: Option<String>,
    /// SUCCEEDED, FAILED or IN_PROGRESS.
    pub hook_status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_back_delay: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct MetricDimension {
    pub name: String,
    pub value: String,
}

/// The load offered to target groups, and what each request costs the task that serves it.
///
/// ```json
/// "traffic": { "targetGroups": [ {
///   "targetGroup": "web-tg",
///   "requestsPerSecond": { "type": "steps", "steps": [ { "at": 0, "value": 100 }, { "at": 600, "value": 400 } ] },
///   "cpuMsPerRequest": 10, "latencyMs": 50, "memoryMibPerInFlightRequest": 4, "baseMemoryMib": 128
/// } ] }
/// ```
/// `requestsPerSecond` is one of `{"type":"constant","value":R}`, `{"type":"steps","steps":[{"at":S,"value":R},...]}`
/// (R from second S on), `{"type":"dailySine","min":A,"max":B,"peakAtSeconds":S}` (24-hour period) and
/// `{"type":"spike","base":R,"peak":P,"at":S,"durationSeconds":D}` and
/// `{"type":"ramp","from":R,"to":P,"at":S,"durationSeconds":D}` (docs/reference.md, "Traffic shapes").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Traffic {
    #[serde(default)]
    pub target_groups: Vec<TargetGroupTraffic>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetGroupTraffic {
    /// Target group name (or ARN) from `targetGroups`; or leave it out and name a `listenerRule`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target_group: String,
    /// A rule of `listenerRules` (its `RuleArn`): the requests go to the rule's target groups in
    /// proportion to its forward action's live weights (what blue/green, linear and canary
    /// deployments change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listener_rule: Option<String>,
    pub requests_per_second: RatePattern,
    /// CPU time one request costs the task (ms); 1,000 ms per second is 1 vCPU = 1,024 units.
    #[serde(default = "default_cpu_ms")]
    pub cpu_ms_per_request: f64,
    /// How long a request stays in flight (ms): in-flight requests = rate x latency.
    #[serde(default = "default_latency_ms")]
    pub latency_ms: f64,
    /// Memory each in-flight request holds (MiB).
    #[serde(default = "default_mem_per_req")]
    pub memory_mib_per_in_flight_request: f64,
    /// Memory an idle task holds (MiB).
    #[serde(default = "default_base_mem")]
    pub base_memory_mib: f64,
}

impl TargetGroupTraffic {
    /// A constant request rate on a target group, with the default per-request costs.
    pub fn constant(target_group: impl Into<String>, requests_per_second: f64) -> Self {
        TargetGroupTraffic {
            target_group: target_group.into(),
            listener_rule: None,
            requests_per_second: RatePattern::Constant { value: requests_per_second },
            cpu_ms_per_request: default_cpu_ms(),
            latency_ms: default_latency_ms(),
            memory_mib_per_in_flight_request: default_mem_per_req(),
            base_memory_mib: default_base_mem(),
        }
    }
}

fn default_cpu_ms() -> f64 {
    10.0
}
fn default_latency_ms() -> f64 {
    50.0
}
fn default_mem_per_req() -> f64 {
    2.0
}
fn default_base_mem() -> f64 {
    128.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum RatePattern {
    Constant {
        value: f64,
    },
    Steps {
        steps: Vec<RateStep>,
    },
    #[serde(rename_all = "camelCase")]
    DailySine {
        min: f64,
        max: f64,
        #[serde(default = "noon")]
        peak_at_seconds: f64,
    },
    #[serde(rename_all = "camelCase")]
    Spike {
        base: f64,
        peak: f64,
        at: f64,
        duration_seconds: f64,
    },
    /// `from` until second `at`, then a straight line up (or down) to `to` at
    /// `at + durationSeconds`, then `to`: a launch, a marketing push, the morning rush.
    #[serde(rename_all = "camelCase")]
    Ramp {
        from: f64,
        to: f64,
        at: f64,
        duration_seconds: f64,
    },
}

fn noon() -> f64 {
    43_200.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateStep {
    pub at: f64,
    pub value: f64,
}

/// Parse a scenario from JSON text. Errors name the path of the offending field.
pub fn parse_scenario(text: &str) -> ApiResult<Scenario> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize::<_, Scenario>(de).map_err(|e| {
        let path = e.path().to_string();
        ApiError::from_serde("ClientException", "", &path, e.into_inner())
    })
}

/// Parse a scenario already held as a JSON value. Through its text, so every scenario goes through
/// the one deserializer `parse_scenario` uses (issue 19: a second, value-driven copy of the whole
/// Scenario deserializer was a large part of the web app's wasm). A value has no lines: the
/// message leaves out the text's "at line 1 column N".
pub fn scenario_from_value(v: Value) -> ApiResult<Scenario> {
    crate::error::deserialize_value("ClientException", "", &v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value goes through the text deserializer, with the same field-named message a value
    /// deserializer gives (no line and column: a value has none).
    #[test]
    fn a_value_gets_the_field_named_message_without_a_position() {
        let v = serde_json::json!({"services": [{"serviceName": "web", "desiredCount": "three"}]});
        let err = scenario_from_value(v).expect_err("bad type");
        assert_eq!(err.field, "services[0].desiredCount");
        assert!(err.message.contains("\"three\"") && !err.message.contains("line"), "{}", err.message);
        let ok = scenario_from_value(serde_json::json!({"cluster": "c"})).expect("loads");
        assert_eq!(ok, parse_scenario(r#"{"cluster":"c"}"#).expect("loads"));
    }

    #[test]
    fn ecr_and_iam_keys_are_accepted() {
        let s = parse_scenario(r#"{"startDate":"2026-11-01T00:00:00Z","ecrRepositories":[],"iamRoles":[]}"#)
            .expect("new keys parse");
        assert_eq!(s.start_date.as_deref(), Some("2026-11-01T00:00:00Z"));
        assert!(s.ecr_repositories.is_some() && s.iam_roles.is_some());
    }

    #[test]
    fn unknown_top_level_key_is_named() {
        let err = parse_scenario(r#"{"cluster":"c","bogus":1}"#).expect_err("unknown key");
        assert!(err.message.contains("bogus"), "{err}");
    }

    #[test]
    fn nested_error_names_the_path() {
        let err =
            parse_scenario(r#"{"services":[{"serviceName":"web","desiredCount":"three"}]}"#).expect_err("bad type");
        assert_eq!(err.field, "services[0].desiredCount", "{err}");
    }
}
