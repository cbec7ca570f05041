//! Rules the ECS API applies to a CreateService / UpdateService / RunTask request as a whole
//! (launch type x task definition x the request's own fields), refused with the API's exception.
//! Pure functions: the simulation calls them before anything changes.

use crate::error::{ApiError, ApiResult};
use crate::scenario::{CreateService, SchedulingStrategy};
use crate::taskdef::{NetworkMode, TaskDefinition};
use serde_json::Value;

/// What `LATEST` resolves to for Linux tasks on Fargate: "The LATEST platform version is 1.4.0"
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-linux-fargate.html).
pub const FARGATE_LINUX_LATEST: &str = "1.4.0";
/// Windows on Fargate has one platform version, 1.0.0
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-windows-fargate.html).
pub const FARGATE_WINDOWS_LATEST: &str = "1.0.0";

/// The message the API answers a platform version that lacks a feature the task definition uses
/// with (as users report it for EFS volumes on 1.3.0; the API reference does not print it).
pub const PLATFORM_CAPABILITIES: &str =
    "The specified platform does not satisfy the task definition's required capabilities.";

fn is_windows(td: &TaskDefinition) -> bool {
    td.request
        .other
        .get("runtimePlatform")
        .and_then(|r| r.get("operatingSystemFamily"))
        .and_then(Value::as_str)
        .is_some_and(|f| f.starts_with("WINDOWS"))
}

/// The Fargate platform version a task of `td` runs on, from the request's `platformVersion`
/// (None or `LATEST`: the latest). Refused: an unknown version, and on Linux 1.3.0 what needs
/// 1.4.0 or later -
/// - 8 and 16 vCPU: "This option requires Linux platform 1.4.0 or later"
///   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size);
/// - `ephemeralStorage`: "For tasks using the Fargate launch type, the task requires the following
///   platforms: Linux platform version 1.4.0 or later"
///   (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EphemeralStorage.html);
/// - EFS volumes: "Amazon EFS volumes are supported on Fargate platform version 1.4.0 or later"
///   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html).
pub fn fargate_platform_version(requested: Option<&str>, td: &TaskDefinition, field: &str) -> ApiResult<String> {
    let windows = is_windows(td);
    let version = match (requested, windows) {
        (None | Some("LATEST"), false) => FARGATE_LINUX_LATEST,
        (None | Some("LATEST"), true) => FARGATE_WINDOWS_LATEST,
        (Some(v @ ("1.4.0" | "1.3.0")), false) => v,
        (Some(v @ "1.0.0"), true) => v,
        (Some(v), _) => {
            let os = if windows { "Windows (1.0.0)" } else { "Linux (1.4.0, 1.3.0)" };
            return Err(ApiError::invalid(
                field,
                format!("Platform version {v} is not a Fargate platform version for {os}; use LATEST or one of those."),
            ));
        }
    };
    if version == "1.3.0" {
        let big = td.cpu_units.is_some_and(|c| c >= 8192);
        let ephemeral = td.request.other.contains_key("ephemeralStorage");
        let efs = td.request.volumes.iter().any(|v| v.get("efsVolumeConfiguration").is_some());
        if big || ephemeral || efs {
            let why = if big {
                "8 and 16 vCPU tasks need platform version 1.4.0 or later"
            } else if ephemeral {
                "ephemeralStorage needs platform version 1.4.0 or later"
            } else {
                "EFS volumes need platform version 1.4.0 or later"
            };
            return Err(ApiError::invalid(field, format!("{PLATFORM_CAPABILITIES} ({why})")));
        }
    }
    Ok(version.to_string())
}

/// `networkConfiguration`: "This parameter is required for task definitions that use the awsvpc
/// network mode to receive their own elastic network interface, and it isn't supported for other
/// network modes" (CreateService / RunTask,
/// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html) - on EC2 as
/// on Fargate.
pub fn check_network_configuration(td: &TaskDefinition, network_configuration: Option<&Value>) -> ApiResult<()> {
    match (td.network_mode == NetworkMode::Awsvpc, network_configuration.is_some()) {
        (true, false) => Err(ApiError::invalid(
            "networkConfiguration",
            "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
        )),
        (false, true) => Err(ApiError::invalid(
            "networkConfiguration",
            "Network Configuration is not valid for the given networkMode of this task definition.",
        )),
        _ => Ok(()),
    }
}

/// DAEMON services: "Tasks using the Fargate launch type or the CODE_DEPLOY or EXTERNAL deployment
/// controller types don't support the DAEMON scheduling strategy"; "When you're using this
/// strategy, you don't need to specify a desired number of tasks, a task placement strategy, or
/// use Service Auto Scaling policies"; "If a service is using the DAEMON service type, the
/// maximumPercent should remain at 100%" (CreateService `schedulingStrategy`,
/// DeploymentConfiguration `maximumPercent`,
/// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html).
pub fn check_daemon(spec: &CreateService) -> ApiResult<()> {
    if spec.scheduling_strategy != Some(SchedulingStrategy::Daemon) {
        return Ok(());
    }
    if spec.desired_count.is_some() {
        return Err(ApiError::invalid(
            "desiredCount",
            "The daemon scheduling strategy does not support a desired count for services.",
        ));
    }
    if !spec.placement_strategy.is_empty() {
        return Err(ApiError::invalid(
            "placementStrategy",
            "The daemon scheduling strategy does not support placement strategies.",
        ));
    }
    if let Some(m) = spec.deployment_configuration.as_ref().and_then(|d| d.maximum_percent) {
        if m > 100 {
            return Err(ApiError::invalid(
                "deploymentConfiguration.maximumPercent",
                "The daemon scheduling strategy does not support a maximumPercent above 100.",
            ));
        }
    }
    Ok(())
}

/// UpdateService on a service with the `CODE_DEPLOY` deployment controller: "If the service uses
/// the CODE_DEPLOY deployment controller, only the desired count, deployment configuration, health
/// check grace period, task placement constraints and strategies, enable ECS managed tags option,
/// and propagate tags can be updated using this API. If the network configuration, platform
/// version, task definition, or load balancer need to be updated, create a new CodeDeploy
/// deployment." (UpdateService,
/// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html)
pub fn check_code_deploy_update(spec: &CreateService, new_task_definition: bool, force: bool) -> ApiResult<()> {
    let code_deploy = spec
        .deployment_controller
        .as_ref()
        .and_then(|c| c.get("type"))
        .and_then(Value::as_str)
        .is_some_and(|t| t == "CODE_DEPLOY");
    if !code_deploy {
        return Ok(());
    }
    if new_task_definition {
        return Err(ApiError::invalid(
            "taskDefinition",
            "Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.",
        ));
    }
    if force {
        return Err(ApiError::invalid(
            "forceNewDeployment",
            "Unable to force a new deployment on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.",
        ));
    }
    Ok(())
}

/// RunTask's own fields checked and prepared for the tasks it starts: the Fargate platform
/// version (see `fargate_platform_version`), `overrides` (each `containerOverrides[].name` must be
/// a container of the task definition; task-level cpu/memory must parse), and `tags`
/// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html).
/// `propagateTags`, `enableECSManagedTags`, `enableExecuteCommand`, `referenceId`, `clientToken`
/// and `volumeConfigurations` are accepted and change nothing simulated here.
#[allow(clippy::type_complexity)]
pub fn run_task_extras(
    inp: &crate::command::RunTaskInput,
    td: &TaskDefinition,
    launch_type: crate::scenario::LaunchType,
) -> ApiResult<(Option<String>, Option<(Option<crate::command::TaskOverride>, Vec<crate::command::RunTaskTag>)>)> {
    let platform_version = if launch_type == crate::scenario::LaunchType::Fargate {
        Some(fargate_platform_version(inp.platform_version.as_deref(), td, "platformVersion")?)
    } else {
        None
    };
    if let Some(o) = &inp.overrides {
        for (i, c) in o.container_overrides.iter().enumerate() {
            if !td.containers().iter().any(|d| d.name == c.name) {
                return Err(ApiError::invalid(
                    format!("overrides.containerOverrides[{i}].name"),
                    format!("Container {} does not exist in the task definition {}.", c.name, td.family_revision()),
                ));
            }
        }
        if let Some(cpu) = &o.cpu {
            if crate::taskdef::parse_cpu_units(cpu).is_none() {
                return Err(ApiError::invalid("overrides.cpu", format!("Invalid cpu override: {cpu}.")));
            }
        }
        if let Some(m) = &o.memory {
            if crate::taskdef::parse_memory_mib(m).is_none() {
                return Err(ApiError::invalid("overrides.memory", format!("Invalid memory override: {m}.")));
            }
        }
    }
    let extras = (inp.overrides.is_some() || inp.tags.is_some())
        .then(|| (inp.overrides.clone(), inp.tags.clone().unwrap_or_default()));
    Ok((platform_version, extras))
}
