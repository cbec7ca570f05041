//! The cluster's state: plain arenas (`Vec`) indexed by typed ids, cheap to clone for the UI's
//! checkpoints. Ordered maps only (`BTreeMap`), so nothing that reaches output depends on hash order.

use crate::instance_types::InstanceType;
use crate::scenario::{CreateService, LaunchType};
use crate::taskdef::{Protocol, TaskDefinition};
use crate::time::SimTime;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

macro_rules! id_type {
    ($name:ident) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub struct $name(pub u32);
        impl $name {
            pub fn idx(self) -> usize {
                self.0 as usize
            }
        }
    };
}
id_type!(InstanceId);
id_type!(TaskId);
id_type!(ServiceId);
id_type!(TargetGroupId);
id_type!(AzId);

/// Where task definitions live: family -> revisions (revision N at index N-1).
#[derive(Debug, Clone, Default)]
pub struct TaskDefRegistry {
    pub families: BTreeMap<String, Vec<TaskDefinition>>,
}

/// A reference to one registered revision.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TaskDefRef {
    pub family: String,
    pub revision: u32,
}

impl TaskDefRegistry {
    pub fn get(&self, r: &TaskDefRef) -> Option<&TaskDefinition> {
        self.families.get(&r.family)?.get(r.revision.checked_sub(1)? as usize)
    }
    /// Resolve `family`, `family:revision` or an ARN ending in `task-definition/family:revision`.
    /// A bare family means its latest ACTIVE revision, as in the API.
    pub fn resolve(&self, s: &str) -> Option<TaskDefRef> {
        let s = s.rsplit("task-definition/").next().unwrap_or(s);
        let (family, rev) = match s.split_once(':') {
            Some((f, r)) => (f, Some(r.parse::<u32>().ok()?)),
            None => (s, None),
        };
        let revs = self.families.get(family)?;
        let revision = match rev {
            Some(r) => {
                revs.get(r.checked_sub(1)? as usize)?;
                r
            }
            None => revs.iter().rev().find(|t| t.status == crate::taskdef::TaskDefinitionStatus::Active)?.revision,
        };
        Some(TaskDefRef { family: family.to_string(), revision })
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityZone {
    pub name: String,
    /// False while a `FailAvailabilityZone` fault is in effect.
    pub available: bool,
    pub subnet_id: String,
    pub subnet_cidr: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InstanceStatus {
    Active,
    Draining,
    /// Terminated or deregistered: kept in the arena for history, never placed on.
    Inactive,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerInstance {
    pub ec2_instance_id: String,
    pub container_instance_arn: String,
    pub instance_type: &'static str,
    #[serde(skip)]
    pub spec: &'static InstanceType,
    pub az: AzId,
    pub availability_zone: String,
    pub status: InstanceStatus,
    pub private_ip: String,
    pub registered_cpu: u32,
    pub registered_memory: u32,
    pub used_cpu: u32,
    pub used_memory: u32,
    /// Host ports in use (TCP and UDP tracked separately, as Docker binds them separately).
    pub used_ports: BTreeSet<(u16, PortProto)>,
    /// ENIs attached for awsvpc tasks (the primary ENI not counted).
    pub task_enis: u32,
    pub attributes: BTreeMap<String, String>,
    pub capacity_provider: Option<String>,
    /// Index of the Auto Scaling group that launched the instance, if any.
    pub auto_scaling_group: Option<u32>,
    pub registered_at: SimTime,
    /// Counts the instance's state changes (the `version` of its events; 0 before registering).
    pub version: u64,
    /// When it last changed (the event's `updatedAt`).
    pub updated_at: SimTime,
    /// When the instance was terminated (EC2 billing stops here).
    pub deregistered_at: Option<SimTime>,
    /// The IAM role of the instance profile (`iamInstanceProfile` in the scenario), if any.
    pub iam_role: Option<String>,
    /// Tasks currently holding resources on this instance.
    pub tasks: Vec<TaskId>,
    /// Images already pulled to this instance: later pulls hit the local cache.
    pub pulled_images: BTreeSet<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PortProto {
    Tcp,
    Udp,
}

impl From<Protocol> for PortProto {
    fn from(p: Protocol) -> Self {
        match p {
            Protocol::Tcp => PortProto::Tcp,
            Protocol::Udp => PortProto::Udp,
        }
    }
}

impl ContainerInstance {
    pub fn remaining_cpu(&self) -> u32 {
        self.registered_cpu.saturating_sub(self.used_cpu)
    }
    pub fn remaining_memory(&self) -> u32 {
        self.registered_memory.saturating_sub(self.used_memory)
    }
    pub fn is_active(&self) -> bool {
        self.status == InstanceStatus::Active
    }
}

/// Task `lastStatus` values, in lifecycle order ("Amazon ECS task lifecycle").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskStatus {
    Provisioning,
    Pending,
    Activating,
    Running,
    Deactivating,
    Stopping,
    Deprovisioning,
    Stopped,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Provisioning => "PROVISIONING",
            TaskStatus::Pending => "PENDING",
            TaskStatus::Activating => "ACTIVATING",
            TaskStatus::Running => "RUNNING",
            TaskStatus::Deactivating => "DEACTIVATING",
            TaskStatus::Stopping => "STOPPING",
            TaskStatus::Deprovisioning => "DEPROVISIONING",
            TaskStatus::Stopped => "STOPPED",
        }
    }
    /// Counted in a service's `pendingCount`.
    pub fn is_pending(self) -> bool {
        matches!(self, TaskStatus::Provisioning | TaskStatus::Pending | TaskStatus::Activating)
    }
}

/// Task `desiredStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DesiredStatus {
    Running,
    Stopped,
}

/// `stopCode` values of a stopped task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StopCode {
    TaskFailedToStart,
    EssentialContainerExited,
    UserInitiated,
    ServiceSchedulerInitiated,
    SpotInterruption,
    TerminationNotice,
}

/// Container `healthStatus` (container health checks) and task health.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HealthStatus {
    Unknown,
    Healthy,
    Unhealthy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkBinding {
    pub container_name: String,
    pub container_port: u16,
    pub host_port: u16,
    pub protocol: PortProto,
    pub bind_ip: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    pub task_arn: String,
    /// The 32-hex id at the end of the ARN.
    pub task_id: String,
    pub task_def: TaskDefRef,
    pub task_definition_arn: String,
    /// `service:<name>` for service tasks, `family:<family>` for RunTask by default.
    pub group: String,
    pub service: Option<ServiceId>,
    /// Which deployment of its service started the task (index into `Service::deployments`).
    pub deployment: Option<u32>,
    pub launch_type: LaunchType,
    pub capacity_provider: Option<String>,
    pub last_status: TaskStatus,
    pub desired_status: DesiredStatus,
    pub az: AzId,
    pub availability_zone: String,
    pub instance: Option<InstanceId>,
    pub bindings: Vec<NetworkBinding>,
    /// awsvpc tasks: the ENI's private IPv4 address.
    pub private_ip: Option<String>,
    pub eni_id: Option<String>,
    pub health_status: HealthStatus,
    pub stop_code: Option<StopCode>,
    pub stopped_reason: Option<String>,
    pub created_at: SimTime,
    pub started_at: Option<SimTime>,
    pub stopping_at: Option<SimTime>,
    pub stopped_at: Option<SimTime>,
    /// CPU and memory reserved on the instance (EC2) or the Fargate task size.
    pub cpu: u32,
    pub memory: u32,
    /// Every `lastStatus` change: (time, status).
    pub history: Vec<(SimTime, TaskStatus)>,
    /// Bumped whenever the task's scheduled transition is superseded, so stale queue entries are
    /// recognised and dropped.
    #[serde(skip)]
    pub generation: u32,
    /// Per container: status, exit code and health (describe-tasks `containers`).
    pub containers: Vec<ContainerState>,
    /// Whether an essential container defines a health check (fixed at launch; read by every
    /// scheduler pass, so kept here rather than searched for in `containers`).
    #[serde(skip)]
    pub essential_health_check: bool,
    /// Set by the service scheduler when the task must be replaced (unhealthy, or its instance is
    /// DRAINING): the reason it will be stopped with. Replacement follows min/max percent.
    pub replacement: Option<String>,
    /// The `FailHealthChecks` fault targets this task: its application answers health checks with
    /// an error until `RestoreHealthChecks`.
    pub health_checks_failing: bool,
    /// Bumped when the container health outlook changes, to drop stale health events.
    #[serde(skip)]
    pub health_generation: u32,
    /// Latest one-minute utilization of the task's reserved CPU and memory (percent).
    pub cpu_utilization: f64,
    pub memory_utilization: f64,
    /// In PROVISIONING without a host: its capacity provider has no room yet ("tasks that can't be
    /// placed go into the PROVISIONING state" until managed scaling adds instances).
    pub awaiting_capacity: bool,
    pub started_by: Option<String>,
    /// The service scheduler's launch attempt that started this task (0: not a scheduler launch).
    /// The throttle logic counts failed attempts, not failed tasks (`sim/health.rs`).
    #[serde(skip)]
    pub launch_attempt: u32,
    /// Fargate only: the platform version the task runs on (`LATEST` resolved).
    pub platform_version: Option<String>,
    /// RunTask `overrides` as given (describe-tasks `overrides`).
    pub overrides: Option<serde_json::Value>,
    /// RunTask `tags` (describe-tasks with `include: TAGS`).
    pub tags: Option<serde_json::Value>,
}

/// Container `lastStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ContainerStatus {
    Pending,
    Running,
    Stopped,
}

/// One container of a task, as describe-tasks shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerState {
    pub name: String,
    pub essential: bool,
    pub last_status: ContainerStatus,
    pub exit_code: Option<i32>,
    pub reason: Option<String>,
    /// UNKNOWN unless the container definition has a `healthCheck`.
    pub health_status: HealthStatus,
    pub has_health_check: bool,
    /// When the container's health check command started failing (None: it passes).
    #[serde(skip)]
    pub failing_since: Option<SimTime>,
    /// When it last started passing.
    #[serde(skip)]
    pub passing_since: Option<SimTime>,
}

impl Task {
    pub fn is_live(&self) -> bool {
        self.last_status != TaskStatus::Stopped
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceEvent {
    pub id: String,
    pub created_at: SimTime,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeploymentStatus {
    Primary,
    Active,
    Inactive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RolloutState {
    InProgress,
    Completed,
    Failed,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    pub id: String,
    pub status: DeploymentStatus,
    pub task_def: TaskDefRef,
    pub task_definition_arn: String,
    pub desired_count: u32,
    pub rollout_state: RolloutState,
    pub rollout_state_reason: String,
    pub failed_tasks: u32,
    pub created_at: SimTime,
    pub updated_at: SimTime,
    /// Which of the service's two target groups per load balancer this deployment's tasks register
    /// in: false = `targetGroupArn`, true = `advancedConfiguration.alternateTargetGroupArn`.
    #[serde(skip)]
    pub uses_alternate: bool,
    /// A blue/green, linear or canary deployment's progress (None: rolling update).
    #[serde(skip)]
    pub traffic_shift: Option<crate::deploy_strategy::ShiftRun>,
    /// Rolling update with deployment alarms: the bake time ends here ("the deployment will
    /// continue for an additional duration, the bake time").
    #[serde(skip)]
    pub alarm_bake_until: Option<SimTime>,
    /// Circuit breaker: failures are counted among tasks that stopped at or after this time (the
    /// deployment's start, or the start of a rollback to it).
    #[serde(skip)]
    pub circuit_breaker_since: SimTime,
    /// Circuit breaker: a task of this deployment was successfully running, so "the failed task
    /// count resets to zero and stops being evaluated" (API reference, Deployment.failedTasks).
    #[serde(skip)]
    pub circuit_breaker_done: bool,
    /// How the deployment was ended before it completed (a failure, or StopServiceDeployment):
    /// what ListServiceDeployments / DescribeServiceDeployments show as its status.
    #[serde(skip)]
    pub stop: Option<DeploymentStop>,
    /// When the deployment first reached COMPLETED (a service deployment's `finishedAt`).
    #[serde(skip)]
    pub finished_at: Option<SimTime>,
    /// The deployment that was PRIMARY when this one started (its source service revision).
    #[serde(skip)]
    pub source: Option<u32>,
    /// The lifecycle hooks this deployment ran, one entry per stage entered and hook, in order.
    #[serde(skip)]
    pub hook_steps: Vec<crate::deploy_strategy::HookStepView>,
}

/// Why and when a deployment stopped before completing, and the deployment it rolled back to.
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentStop {
    pub at: SimTime,
    /// The deployment made PRIMARY again (None: stopped where it was).
    pub rollback_to: Option<u32>,
    /// A service deployment's `statusReason` / the rollback's `reason`.
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub service_name: String,
    pub service_arn: String,
    pub status: String,
    pub desired_count: u32,
    pub launch_type: LaunchType,
    /// The CreateService body with defaults filled in; source of truth for export.
    pub spec: CreateService,
    pub maximum_percent: u32,
    pub minimum_healthy_percent: u32,
    pub deployments: crate::deployments::ServiceDeployments,
    /// Newest first, like `describe-services` and the console's Events tab.
    pub events: Vec<ServiceEvent>,
    pub target_groups: Vec<TargetGroupId>,
    /// Per load balancer: `advancedConfiguration.alternateTargetGroupArn`, resolved.
    #[serde(skip)]
    pub alternate_target_groups: Vec<Option<TargetGroupId>>,
    /// The strategy, bake times, alarms and listener rules of `deploymentConfiguration` and
    /// `advancedConfiguration`, checked (see `deploy_strategy`).
    #[serde(skip)]
    pub strategy: crate::deploy_strategy::StrategyConfig,
    /// Consecutive launch attempts whose tasks failed to start, driving the scheduler's back-off.
    pub consecutive_start_failures: u32,
    /// Launch attempts made so far (each scheduler pass that starts tasks is one attempt).
    #[serde(skip)]
    pub launch_attempts: u32,
    /// The last launch attempt counted as failed (an attempt counts once, however many tasks).
    #[serde(skip)]
    pub last_failed_attempt: u32,
    /// The scheduler does not launch before this time (throttling after repeated failures).
    pub backoff_until: SimTime,
    /// Last time "has reached a steady state." was emitted, to emit it at most every 6 hours.
    pub last_steady_state_at: Option<SimTime>,
    /// The last "unable to place" (or "launches no new tasks") reason, to avoid repeating the same
    /// event every pass.
    pub last_unplaceable: Option<String>,
    /// Whether the service is at its desired state (all desired tasks RUNNING, one deployment).
    pub steady: bool,
    /// When a scheduler pass is already queued to re-count tasks whose 40-second wait before
    /// counting as healthy ends (see `sim::deployment`).
    #[serde(skip)]
    pub deployment_timer: Option<SimTime>,
    /// The `FailHealthChecks` fault targets the whole service: every task (also new ones) answers
    /// health checks with an error until `RestoreHealthChecks`.
    pub health_checks_failing: bool,
    /// The last "is unable to consistently start tasks successfully." event (6-hour dedup).
    pub last_throttle_event_at: Option<SimTime>,
    /// Latest one-minute CloudWatch datapoints, for auto scaling to read.
    pub metrics: ServiceMetrics,
}

/// The last one-minute datapoints CloudWatch would hold for a service (None: no datapoint yet).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceMetrics {
    /// Time of the datapoints (end of the minute they cover). Written in seconds, the snapshot's
    /// one time unit.
    #[serde(serialize_with = "secs_opt")]
    pub at: Option<SimTime>,
    /// AWS/ECS CPUUtilization (Average): CPU used by the service's tasks / CPU reserved, percent.
    pub cpu_utilization: Option<f64>,
    /// AWS/ECS MemoryUtilization (Average), percent.
    pub memory_utilization: Option<f64>,
    /// AWS/ApplicationELB RequestCountPerTarget (Sum over the minute) of the service's first
    /// target group.
    pub request_count_per_target: Option<f64>,
    /// AWS/ApplicationELB RequestCount (Sum over the minute) of the first target group.
    pub request_count: Option<f64>,
    /// Custom metrics published for this service (e.g. an SQS backlog per task), by MetricName.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, f64>,
    /// Time of the custom datapoints.
    #[serde(skip)]
    pub custom_at: Option<SimTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetHealthState {
    Initial,
    Healthy,
    Unhealthy,
    Unused,
    Draining,
}

impl TargetHealthState {
    /// ELBv2's `TargetHealth.State` spelling (`healthy`, `draining`...), as its serde name.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetHealthState::Initial => "initial",
            TargetHealthState::Healthy => "healthy",
            TargetHealthState::Unhealthy => "unhealthy",
            TargetHealthState::Unused => "unused",
            TargetHealthState::Draining => "draining",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    /// Instance id (target type `instance`) or IP address (target type `ip`).
    pub id: String,
    pub port: u16,
    pub task: TaskId,
    pub state: TargetHealthState,
    pub reason: Option<String>,
    pub consecutive_ok: u32,
    pub consecutive_fail: u32,
    pub registered_at: SimTime,
    pub draining_since: Option<SimTime>,
    /// Requests routed in the current one-minute metric window.
    pub requests_this_minute: u64,
    /// The HTTP code the last health check got (for the "unhealthy ... codes" event).
    pub last_code: Option<u16>,
}

/// An ALB listener rule's forward action with its live weights (`scenario::ListenerRule`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListenerRuleState {
    /// The name the scenario gave (`RuleArn` as written) and the full ARN.
    pub name: String,
    pub rule_arn: String,
    pub priority: Option<String>,
    /// (target group, weight 0-999), in the action's order.
    pub forward: Vec<(TargetGroupId, u32)>,
    pub spec: crate::scenario::ListenerRule,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetGroup {
    pub name: String,
    pub target_group_arn: String,
    pub target_type: String,
    pub port: u16,
    pub protocol: String,
    /// HTTP or HTTPS (ALB), TCP by default on a Network Load Balancer target group (`crate::nlb`).
    #[serde(skip)]
    pub health_check_protocol: String,
    /// Targets see the client's IP as the source address (`crate::nlb::client_ip_preserved`).
    #[serde(skip)]
    pub client_ip_preserved: bool,
    /// "" for a TCP health check, which has no path.
    pub health_check_path: String,
    pub interval: u32,
    pub timeout: u32,
    pub healthy_threshold: u32,
    pub unhealthy_threshold: u32,
    pub matcher: String,
    pub deregistration_delay: u32,
    pub algorithm: String,
    pub targets: Vec<Target>,
    pub spec: crate::scenario::CreateTargetGroup,
    /// A periodic health check event is queued for this target group.
    #[serde(skip)]
    pub checks_scheduled: bool,
}

impl TargetGroup {
    /// The target group belongs to a Network Load Balancer (TCP, TLS, UDP, TCP_UDP).
    pub fn is_nlb(&self) -> bool {
        crate::nlb::is_nlb_protocol(&self.protocol)
    }
    /// Its health check opens a TCP connection only (no HTTP request, no path, no matcher).
    pub fn tcp_health_check(&self) -> bool {
        self.health_check_protocol == "TCP"
    }
}

/// An optional simulated time as seconds (the snapshot's time unit).
fn secs_opt<S: serde::Serializer>(t: &Option<SimTime>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_f64(crate::time::to_secs_f64(*t)),
        None => s.serialize_none(),
    }
}
