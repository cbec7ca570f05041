//! The one way into a running simulation: `Command`, a typed API call, fault or playground action,
//! applied with `Simulation::apply`. Scenario timelines, share links and the CLI hold commands as
//! JSON (`{"action": "UpdateService", "input": {...}}`, the timeline shape); `Command::from_json`
//! is the one parse path from that edge, and `Command::to_json` writes it back.
//!
//! Each variant carries the request body in AWS's own shape (camelCase for ECS, PascalCase for
//! Application Auto Scaling), so `to_json` is what a user would send to the API and what the log
//! records as `requestParameters`.

use crate::autoscaling::types::{PutScalingPolicy, PutScheduledAction, RegisterScalableTarget};
use crate::error::{ApiError, ApiResult};
use crate::scenario::{
    CapacityProviderStrategyItem, CreateService, DeploymentConfiguration, LaunchType, PlacementConstraint,
    PlacementStrategy, TargetGroupTraffic,
};
use crate::taskdef::RegisterTaskDefinition;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a command is, which decides how the log records it: API calls, the playground's own
/// actions and live configuration changes as `ApiCall` trace lines, faults as `FaultInjected`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandKind {
    /// An ECS (or S3) API action.
    ApiCall,
    /// Something that happens to the cluster rather than a call a user makes (instance lost,
    /// Availability Zone down, health checks failing, a container killed, a Spot interruption).
    Fault,
    /// A playground control that stands for an AWS call outside ECS (EC2 RunInstances).
    UiAction,
    /// Application Auto Scaling calls and the offered traffic, changed while running.
    LiveConfig,
}

/// A typed request to the simulation. See the module documentation.
// Variants carry the API's input structs by value: a command is built and applied once, so the
// enum's size (the largest input) costs nothing worth a Box at every construction site.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    RegisterTaskDefinition(Box<RegisterTaskDefinition>),
    CreateService(Box<CreateService>),
    UpdateService(UpdateServiceInput),
    DeleteService(DeleteServiceInput),
    RunTask(RunTaskInput),
    StopTask(StopTaskInput),
    /// StopServiceDeployment (`sim::stop_deployment`).
    StopServiceDeployment(StopServiceDeploymentInput),
    /// CodeDeploy CreateDeployment with an AppSpec (`crate::code_deploy`, run by `sim::code_deploy`).
    CreateDeployment(Box<crate::code_deploy::CreateDeploymentInput>),
    TerminateInstance(InstanceInput),
    DrainInstance(InstanceInput),
    FailAvailabilityZone(AzInput),
    RestoreAvailabilityZone(AzInput),
    FailHealthChecks(HealthFaultInput),
    RestoreHealthChecks(HealthFaultInput),
    KillContainer(KillContainerInput),
    SpotInterruption(SpotInput),
    PutObject(PutObjectInput),
    LaunchInstances(LaunchInstancesInput),
    RegisterScalableTarget(RegisterScalableTarget),
    PutScalingPolicy(Box<PutScalingPolicy>),
    DeleteScalingPolicy(DeleteScalingPolicyInput),
    PutScheduledAction(Box<PutScheduledAction>),
    DeleteScheduledAction(DeleteScheduledActionInput),
    SetTraffic(TargetGroupTraffic),
    /// CloudWatch SetAlarmState on one of the scenario's `metricAlarms` (`sim::deploy_alarms`).
    SetAlarmState(SetAlarmStateInput),
    /// The simulated lifecycle hook function returns FAILED at its next invocation
    /// (`sim::lifecycle_hooks`).
    FailNextLifecycleHook(FailNextLifecycleHookInput),
    /// Amazon ECS Express Mode (`crate::express`, run by `sim::express`).
    CreateExpressGatewayService(Box<crate::express::CreateExpressGatewayService>),
    UpdateExpressGatewayService(Box<crate::express::UpdateExpressGatewayService>),
    DescribeExpressGatewayService(crate::express::DescribeExpressGatewayService),
    DeleteExpressGatewayService(crate::express::DeleteExpressGatewayService),
    /// EC2 calls on the scenario's `vpc` (security group rules, routes, NAT gateways, VPC
    /// endpoints: `crate::vpc`, run by `sim::vpc`).
    Ec2(Box<crate::vpc::Ec2Request>),
    /// IAM PutRolePolicy / AttachRolePolicy on a scenario role (`sim::secrets`).
    PutRolePolicy(crate::sim::secrets::PutRolePolicyInput),
    AttachRolePolicy(crate::sim::secrets::AttachRolePolicyInput),
}

/// Every action name `Command::from_json` accepts, in the order error messages list them: the
/// ECS, fault, playground and live configuration actions, the EC2 calls (`crate::vpc::EC2_ACTIONS`,
/// the one list of their names) and the IAM calls.
pub const ACTION_NAMES: &[&str] = &concat_names::<
    { NON_EC2_ACTIONS.len() + crate::vpc::EC2_ACTIONS.len() + IAM_ACTIONS.len() },
>(&[NON_EC2_ACTIONS, crate::vpc::EC2_ACTIONS, IAM_ACTIONS]);

/// The one list of the commands' action names and kinds. `Command::name`, `Command::kind`,
/// `kind_of` and `ACTION_NAMES` are generated from it; the two methods match on every variant
/// with no wildcard, so a variant left out of this list (or a name spelled unlike its variant)
/// does not compile. The EC2 calls sit between the two lists (their names live in
/// `crate::vpc::EC2_ACTIONS`; all are API calls).
macro_rules! command_table {
    (
        before_ec2: [$($a:ident => $ka:ident),* $(,)?],
        after_ec2: [$($b:ident => $kb:ident),* $(,)?] $(,)?
    ) => {
        /// The action names before the EC2 calls in `ACTION_NAMES`.
        const NON_EC2_ACTIONS: &[&str] = &[$(stringify!($a)),*];

        /// The IAM calls, after the EC2 ones in `ACTION_NAMES`.
        const IAM_ACTIONS: &[&str] = &[$(stringify!($b)),*];

        impl Command {
            /// The action name, as a timeline entry's `action` and the log's `eventName` spell it.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Command::$a(_) => stringify!($a),)*
                    Command::Ec2(r) => r.name(),
                    $(Command::$b(_) => stringify!($b),)*
                }
            }

            /// What the command is (API call, fault, playground action, live configuration).
            pub fn kind(&self) -> CommandKind {
                match self {
                    $(Command::$a(_) => CommandKind::$ka,)*
                    Command::Ec2(_) => CommandKind::ApiCall,
                    $(Command::$b(_) => CommandKind::$kb,)*
                }
            }
        }

        /// The kind of a named action (for a request whose body did not parse); `None` for a
        /// name no command has.
        pub fn kind_of(action: &str) -> Option<CommandKind> {
            $(if action == stringify!($a) {
                return Some(CommandKind::$ka);
            })*
            $(if action == stringify!($b) {
                return Some(CommandKind::$kb);
            })*
            crate::vpc::EC2_ACTIONS.contains(&action).then_some(CommandKind::ApiCall)
        }
    };
}

command_table! {
    before_ec2: [
        RegisterTaskDefinition => ApiCall,
        CreateService => ApiCall,
        UpdateService => ApiCall,
        DeleteService => ApiCall,
        RunTask => ApiCall,
        StopTask => ApiCall,
        StopServiceDeployment => ApiCall,
        CreateDeployment => ApiCall,
        TerminateInstance => Fault,
        DrainInstance => Fault,
        FailAvailabilityZone => Fault,
        RestoreAvailabilityZone => Fault,
        FailHealthChecks => Fault,
        RestoreHealthChecks => Fault,
        KillContainer => Fault,
        SpotInterruption => Fault,
        PutObject => ApiCall,
        LaunchInstances => UiAction,
        RegisterScalableTarget => LiveConfig,
        PutScalingPolicy => LiveConfig,
        DeleteScalingPolicy => LiveConfig,
        PutScheduledAction => LiveConfig,
        DeleteScheduledAction => LiveConfig,
        SetTraffic => LiveConfig,
        SetAlarmState => LiveConfig,
        FailNextLifecycleHook => Fault,
        CreateExpressGatewayService => ApiCall,
        UpdateExpressGatewayService => ApiCall,
        DescribeExpressGatewayService => ApiCall,
        DeleteExpressGatewayService => ApiCall,
    ],
    after_ec2: [
        PutRolePolicy => ApiCall,
        AttachRolePolicy => ApiCall,
    ],
}

/// The lists one after another, at compile time (`N` is their total length).
const fn concat_names<const N: usize>(parts: &[&[&'static str]]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut k = 0;
    let mut i = 0;
    while i < parts.len() {
        let mut j = 0;
        while j < parts[i].len() {
            out[k] = parts[i][j];
            k += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

impl Command {
    /// The request body in AWS's shape (absent optional fields left out): what `to_json` and the
    /// log's `requestParameters` hold for a command built in code.
    pub fn input_json(&self) -> Value {
        let v = match self {
            Command::RegisterTaskDefinition(i) => serde_json::to_value(i),
            Command::CreateService(i) => serde_json::to_value(i),
            Command::UpdateService(i) => serde_json::to_value(i),
            Command::DeleteService(i) => serde_json::to_value(i),
            Command::RunTask(i) => serde_json::to_value(i),
            Command::StopTask(i) => serde_json::to_value(i),
            Command::StopServiceDeployment(i) => serde_json::to_value(i),
            Command::CreateDeployment(i) => serde_json::to_value(i),
            Command::TerminateInstance(i) | Command::DrainInstance(i) => serde_json::to_value(i),
            Command::FailAvailabilityZone(i) | Command::RestoreAvailabilityZone(i) => serde_json::to_value(i),
            Command::FailHealthChecks(i) | Command::RestoreHealthChecks(i) => serde_json::to_value(i),
            Command::KillContainer(i) => serde_json::to_value(i),
            Command::SpotInterruption(i) => serde_json::to_value(i),
            Command::PutObject(i) => serde_json::to_value(i),
            Command::LaunchInstances(i) => serde_json::to_value(i),
            Command::RegisterScalableTarget(i) => serde_json::to_value(i),
            Command::PutScalingPolicy(i) => serde_json::to_value(i),
            Command::DeleteScalingPolicy(i) => serde_json::to_value(i),
            Command::PutScheduledAction(i) => serde_json::to_value(i),
            Command::DeleteScheduledAction(i) => serde_json::to_value(i),
            Command::SetTraffic(i) => serde_json::to_value(i),
            Command::SetAlarmState(i) => serde_json::to_value(i),
            Command::FailNextLifecycleHook(i) => serde_json::to_value(i),
            Command::CreateExpressGatewayService(i) => serde_json::to_value(i),
            Command::UpdateExpressGatewayService(i) => serde_json::to_value(i),
            Command::DescribeExpressGatewayService(i) => serde_json::to_value(i),
            Command::DeleteExpressGatewayService(i) => serde_json::to_value(i),
            Command::Ec2(r) => r.to_value(),
            Command::PutRolePolicy(i) => serde_json::to_value(i),
            Command::AttachRolePolicy(i) => serde_json::to_value(i),
        };
        let mut v = v.unwrap_or(Value::Null);
        strip_nulls(&mut v);
        v
    }

    /// `(action, input)`: the timeline entry's two fields.
    pub fn to_json(&self) -> (&'static str, Value) {
        (self.name(), self.input_json())
    }

    /// Parse a timeline entry's `action` and `input`. Errors name the field (`input.desiredCount`)
    /// or, for an unknown action, list the known ones.
    pub fn from_json(action: &str, input: &Value) -> ApiResult<Command> {
        Ok(match action {
            "RegisterTaskDefinition" => {
                Command::RegisterTaskDefinition(Box::new(crate::taskdef_rules::parse_task_definition(input)?))
            }
            "CreateService" => Command::CreateService(Box::new(parse(input)?)),
            "UpdateService" => Command::UpdateService(parse(input)?),
            "DeleteService" => Command::DeleteService(parse(input)?),
            "RunTask" => Command::RunTask(parse(input)?),
            "StopTask" => Command::StopTask(parse(input)?),
            "StopServiceDeployment" => Command::StopServiceDeployment(parse(input)?),
            "CreateDeployment" => Command::CreateDeployment(Box::new(parse(input)?)),
            "TerminateInstance" => Command::TerminateInstance(parse(input)?),
            "DrainInstance" => Command::DrainInstance(parse(input)?),
            "FailAvailabilityZone" => Command::FailAvailabilityZone(parse(input)?),
            "RestoreAvailabilityZone" => Command::RestoreAvailabilityZone(parse(input)?),
            "FailHealthChecks" => Command::FailHealthChecks(parse(input)?),
            "RestoreHealthChecks" => Command::RestoreHealthChecks(parse(input)?),
            "KillContainer" => Command::KillContainer(parse(input)?),
            "SpotInterruption" => Command::SpotInterruption(parse(input)?),
            "PutObject" => Command::PutObject(parse(input)?),
            "LaunchInstances" => Command::LaunchInstances(parse(input)?),
            "RegisterScalableTarget" => {
                str_field(input, "ResourceId")?;
                Command::RegisterScalableTarget(parse_scaling(input)?)
            }
            "PutScalingPolicy" => {
                str_field(input, "PolicyName")?;
                str_field(input, "ResourceId")?;
                Command::PutScalingPolicy(Box::new(parse_scaling(input)?))
            }
            "DeleteScalingPolicy" => {
                str_field(input, "PolicyName")?;
                str_field(input, "ResourceId")?;
                Command::DeleteScalingPolicy(parse_scaling(input)?)
            }
            "PutScheduledAction" => {
                str_field(input, "ScheduledActionName")?;
                str_field(input, "ResourceId")?;
                Command::PutScheduledAction(Box::new(parse_scaling(input)?))
            }
            "DeleteScheduledAction" => {
                str_field(input, "ScheduledActionName")?;
                str_field(input, "ResourceId")?;
                Command::DeleteScheduledAction(parse_scaling(input)?)
            }
            "SetTraffic" => Command::SetTraffic(parse(input)?),
            "SetAlarmState" => Command::SetAlarmState(parse(input)?),
            "FailNextLifecycleHook" => Command::FailNextLifecycleHook(parse(input)?),
            "CreateExpressGatewayService" => Command::CreateExpressGatewayService(Box::new(parse(input)?)),
            "UpdateExpressGatewayService" => Command::UpdateExpressGatewayService(Box::new(parse(input)?)),
            "DescribeExpressGatewayService" => Command::DescribeExpressGatewayService(parse(input)?),
            "DeleteExpressGatewayService" => Command::DeleteExpressGatewayService(parse(input)?),
            a if crate::vpc::EC2_ACTIONS.contains(&a) => {
                Command::Ec2(Box::new(crate::vpc::Ec2Request::parse(a, input)?))
            }
            "PutRolePolicy" => Command::PutRolePolicy(parse(input)?),
            "AttachRolePolicy" => Command::AttachRolePolicy(parse(input)?),
            _ => return Err(unknown_action(action)),
        })
    }
}

pub(crate) fn unknown_action(action: &str) -> ApiError {
    ApiError::invalid("action", format!("Unknown action \"{action}\". Known actions: {}.", ACTION_NAMES.join(", ")))
}

/// A request body: errors are `InvalidParameterException` at `input.<path>`, in plain words.
pub(crate) fn parse<T: for<'de> Deserialize<'de>>(input: &Value) -> ApiResult<T> {
    crate::error::deserialize_value("InvalidParameterException", "input", input)
}

/// An Application Auto Scaling request body: errors are `ValidationException` at the field
/// inside the request (`TargetTrackingScalingPolicyConfiguration.TargetValue`), like the API's.
fn parse_scaling<T: for<'de> Deserialize<'de>>(input: &Value) -> ApiResult<T> {
    crate::error::deserialize_value("ValidationException", "", input)
}

fn str_field<'a>(input: &'a Value, name: &str) -> ApiResult<&'a str> {
    input
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::invalid(name, format!("{name} is required (a string).")))
}

fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

// ------------------------------------------------------------------------------ request bodies

/// UpdateService.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateServiceInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    pub service: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<u32>,
    /// `family`, `family:revision` or an ARN: a new revision starts a deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_configuration: Option<DeploymentConfiguration>,
    /// "Determines whether to force a new deployment of the service" with the same task definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_new_deployment: Option<bool>,
}

/// RunTask.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunTaskInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    pub task_definition: String,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_strategy: Vec<PlacementStrategy>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<PlacementConstraint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<Value>,
    /// Task and container overrides; the task-level cpu/memory apply to Fargate tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<TaskOverride>,
    /// Fargate platform version (`LATEST` when omitted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    /// `[{"key": ..., "value": ...}]`, shown on the task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<RunTaskTag>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub propagate_tags: Option<String>,
    /// AWS's spelling (RunTask `enableECSManagedTags`).
    #[serde(
        default,
        rename = "enableECSManagedTags",
        alias = "enableEcsManagedTags",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_ecs_managed_tags: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_execute_command: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_configurations: Option<Value>,
}

/// RunTask `tags[]` (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunTaskTag {
    pub key: String,
    #[serde(default)]
    pub value: String,
}

/// RunTask `overrides` (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskOverride.html).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskOverride {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub container_overrides: Vec<ContainerOverride>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral_storage: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference_accelerator_overrides: Option<Value>,
}

/// One `containerOverrides[]` entry (ContainerOverride).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerOverride {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_files: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_requirements: Option<Value>,
}

impl RunTaskInput {
    /// `count` tasks of a task definition, everything else left to the API's defaults.
    pub fn new(task_definition: impl Into<String>, count: u32) -> Self {
        RunTaskInput {
            cluster: None,
            task_definition: task_definition.into(),
            count,
            launch_type: None,
            capacity_provider_strategy: Vec::new(),
            group: None,
            started_by: None,
            placement_strategy: Vec::new(),
            placement_constraints: Vec::new(),
            network_configuration: None,
            overrides: None,
            platform_version: None,
            tags: None,
            propagate_tags: None,
            enable_ecs_managed_tags: None,
            enable_execute_command: None,
            reference_id: None,
            client_token: None,
            volume_configurations: None,
        }
    }
}

fn one() -> u32 {
    1
}

/// RunTask's `networkConfiguration` for awsvpc tasks in these subnets.
pub fn awsvpc_configuration(subnets: &[String]) -> Value {
    serde_json::json!({"awsvpcConfiguration": {"subnets": subnets}})
}

/// StopTask.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StopTaskInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    pub task: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// StopServiceDeployment (botocore `StopServiceDeploymentRequest`: `serviceDeploymentArn`
/// required, `stopType` ABORT | ROLLBACK;
/// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopServiceDeployment.html).
/// `serviceDeploymentArn` is the ARN ListServiceDeployments shows; a scenario's timeline, which
/// cannot know the random deployment id in advance, may also give the deployment id
/// (`ecs-svc/...`) or the service's name or ARN, meaning its deployment in progress (the
/// playground's shorthand).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StopServiceDeploymentInput {
    pub service_deployment_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_type: Option<StopType>,
}

/// `StopServiceDeploymentStopType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StopType {
    Abort,
    Rollback,
}

impl StopServiceDeploymentInput {
    /// Roll back `service_deployment_arn` (what the console's Rollback button sends).
    pub fn rollback(service_deployment_arn: impl Into<String>) -> Self {
        StopServiceDeploymentInput {
            service_deployment_arn: service_deployment_arn.into(),
            stop_type: Some(StopType::Rollback),
        }
    }
}

/// DeleteService (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteServiceInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    pub service: String,
    /// "If true, allows you to delete a service even if it wasn't scaled down to zero tasks."
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

/// TerminateInstance / DrainInstance: one container instance.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstanceInput {
    /// EC2 instance id or container instance ARN (or its id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Instead of `instance`: the first (earliest registered) ACTIVE instance in this AZ, so a
    /// scenario can name an instance before its random id exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
}

/// `FailHealthChecks` / `RestoreHealthChecks`: a whole service (its current and future tasks) or
/// one task. While failing, the application answers the load balancer's health check with HTTP
/// 500 and the containers' `healthCheck` commands fail.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HealthFaultInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// With `service`: only this many of its RUNNING tasks (oldest first) instead of the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
}

/// CloudWatch `SetAlarmState`, its members as the API names them
/// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html):
/// "Temporarily sets the state of an alarm for testing purposes." AlarmName, StateValue (OK |
/// ALARM | INSUFFICIENT_DATA) and StateReason are required; StateReasonData is optional JSON.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SetAlarmStateInput {
    pub alarm_name: String,
    pub state_value: String,
    pub state_reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_reason_data: Option<String>,
}

/// `FailNextLifecycleHook` (a playground fault): the simulated function of `hookTargetArn`
/// returns FAILED at its next invocation, whatever `lifecycleHookResults` says.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FailNextLifecycleHookInput {
    pub hook_target_arn: String,
}

/// `KillContainer`: the named container of a task (or of the oldest RUNNING task of a service)
/// exits with `exitCode` (default 137, SIGKILL).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KillContainerInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    pub container_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
}

/// FailAvailabilityZone / RestoreAvailabilityZone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AzInput {
    pub availability_zone: String,
}

/// SpotInterruption: one task, or `count` of a service's FARGATE_SPOT tasks (oldest first).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SpotInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
}

/// S3 PutObject (nothing is stored; buckets with EventBridge on send "Object Created").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PutObjectInput {
    pub bucket: String,
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

/// LaunchInstances: `{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LaunchInstancesInput {
    pub instance_type: String,
    pub availability_zone: String,
    #[serde(default = "one")]
    pub count: u32,
}

/// DeleteScalingPolicy request body (ServiceNamespace and ScalableDimension are accepted and not
/// checked: the policy is found by name and resource).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteScalingPolicyInput {
    pub policy_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_namespace: Option<String>,
    pub resource_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scalable_dimension: Option<String>,
}

/// DeleteScheduledAction request body
/// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DeleteScheduledAction.html).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DeleteScheduledActionInput {
    pub service_namespace: String,
    pub scheduled_action_name: String,
    pub resource_id: String,
    pub scalable_dimension: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_name_has_a_kind_and_an_unknown_name_lists_them() {
        for name in ACTION_NAMES {
            assert!(kind_of(name).is_some(), "{name}");
            // A known action with a bad body fails on the body, not on the name.
            let e = Command::from_json(name, &json!(7)).expect_err("a number is no request body");
            assert_ne!(e.field, "action", "{name}: {e}");
        }
        let e = Command::from_json("Reboot", &json!({})).expect_err("unknown");
        assert_eq!(e.field, "action");
        assert!(e.message.contains("SetTraffic"), "{e}");
    }

    #[test]
    fn action_names_hold_each_ec2_call_once_as_an_api_call() {
        let mut sorted: Vec<&str> = ACTION_NAMES.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ACTION_NAMES.len(), "a name listed twice");
        for name in crate::vpc::EC2_ACTIONS {
            assert_eq!(ACTION_NAMES.iter().filter(|a| *a == name).count(), 1, "{name}");
            assert_eq!(kind_of(name), Some(CommandKind::ApiCall), "{name}");
        }
        // The error message lists them in the order they always had: ECS first, IAM last.
        assert_eq!(ACTION_NAMES.first(), Some(&"RegisterTaskDefinition"));
        assert_eq!(&ACTION_NAMES[ACTION_NAMES.len() - 9..ACTION_NAMES.len() - 2], crate::vpc::EC2_ACTIONS);
        assert_eq!(ACTION_NAMES.last(), Some(&"AttachRolePolicy"));
    }

    #[test]
    fn a_parsed_command_writes_back_the_same_request_body() {
        let cases = [
            ("UpdateService", json!({"service": "web", "desiredCount": 3})),
            (
                "RunTask",
                json!({"taskDefinition": "web", "count": 2, "launchType": "EC2",
                "placementStrategy": [{"type": "spread", "field": "instanceId"}],
                "placementConstraints": [{"type": "distinctInstance"}]}),
            ),
            ("StopTask", json!({"task": "abc", "reason": "r"})),
            ("StopServiceDeployment", json!({"serviceDeploymentArn": "web", "stopType": "ROLLBACK"})),
            ("DeleteService", json!({"cluster": "default", "service": "web", "force": true})),
            (
                "PutScheduledAction",
                json!({"ServiceNamespace": "ecs", "ScheduledActionName": "night", "ResourceId": "service/c/web",
                "ScalableDimension": "ecs:service:DesiredCount", "Schedule": "cron(0 22 * * ? *)",
                "ScalableTargetAction": {"MinCapacity": 1, "MaxCapacity": 2}}),
            ),
            (
                "DeleteScheduledAction",
                json!({"ServiceNamespace": "ecs", "ScheduledActionName": "night", "ResourceId": "service/c/web",
                "ScalableDimension": "ecs:service:DesiredCount"}),
            ),
            ("TerminateInstance", json!({"availabilityZone": "us-east-1a"})),
            ("SpotInterruption", json!({"service": "web", "count": 1})),
            ("LaunchInstances", json!({"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2})),
            (
                "DeleteScalingPolicy",
                json!({"PolicyName": "p", "ServiceNamespace": "ecs",
                "ResourceId": "service/c/web", "ScalableDimension": "ecs:service:DesiredCount"}),
            ),
        ];
        for (action, input) in cases {
            let cmd = Command::from_json(action, &input).unwrap_or_else(|e| panic!("{action}: {e}"));
            assert_eq!(cmd.name(), action);
            assert_eq!(cmd.input_json(), input, "{action}");
        }
    }

    #[test]
    fn kinds_decide_the_log_detail_type() {
        let az = AzInput { availability_zone: "us-east-1a".into() };
        assert_eq!(Command::FailAvailabilityZone(az).kind(), CommandKind::Fault);
        assert_eq!(Command::UpdateService(UpdateServiceInput::default()).kind(), CommandKind::ApiCall);
        assert_eq!(kind_of("SetTraffic"), Some(CommandKind::LiveConfig));
        assert_eq!(kind_of("LaunchInstances"), Some(CommandKind::UiAction));
    }
}
