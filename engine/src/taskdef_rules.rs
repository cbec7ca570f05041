//! RegisterTaskDefinition validation: the API's rules, each error naming the field and the rule.

use crate::error::{ApiError, ApiResult};
use crate::taskdef::*;

/// Fields RegisterTaskDefinition accepts beyond the ones modelled in `RegisterTaskDefinition`.
const OTHER_REQUEST_FIELDS: &[&str] = &[
    "tags",
    "pidMode",
    "ipcMode",
    "proxyConfiguration",
    "inferenceAccelerators",
    "ephemeralStorage",
    "runtimePlatform",
    "enableFaultInjection",
];
/// Read-only fields of `describe-task-definition` output, accepted and ignored on import (and
/// left out of exports: RegisterTaskDefinition refuses them).
pub(crate) const DESCRIBE_OUTPUT_FIELDS: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
];
/// ContainerDefinition fields kept verbatim in `other`.
const OTHER_CONTAINER_FIELDS: &[&str] = &[
    "repositoryCredentials",
    "restartPolicy",
    "entryPoint",
    "command",
    "environmentFiles",
    "mountPoints",
    "volumesFrom",
    "linuxParameters",
    "dependsOn",
    "startTimeout",
    "stopTimeout",
    "versionConsistency",
    "hostname",
    "user",
    "workingDirectory",
    "disableNetworking",
    "privileged",
    "readonlyRootFilesystem",
    "dnsServers",
    "dnsSearchDomains",
    "extraHosts",
    "dockerSecurityOptions",
    "interactive",
    "pseudoTerminal",
    "dockerLabels",
    "ulimits",
    "logConfiguration",
    "systemControls",
    "resourceRequirements",
    "firelensConfiguration",
    "credentialSpecs",
];

/// Parse a task definition document: a RegisterTaskDefinition body, or describe-task-definition
/// output (`{"taskDefinition": {...}}`).
pub fn parse_task_definition(doc: &serde_json::Value) -> ApiResult<RegisterTaskDefinition> {
    let body = match doc.get("taskDefinition") {
        Some(inner)
            if doc.as_object().map(|o| o.keys().all(|k| k == "taskDefinition" || k == "tags")).unwrap_or(false) =>
        {
            inner
        }
        _ => doc,
    };
    if !body.is_object() {
        return Err(ApiError::client("", "a task definition must be a JSON object"));
    }
    let mut req = crate::error::deserialize_value::<RegisterTaskDefinition>("ClientException", "", body)?;
    pasted_compatibilities(&mut req)?;
    Ok(req)
}

/// describe-task-definition output carries `compatibilities`: "The task launch types the task
/// definition validated against during task definition registration" (API_TaskDefinition,
/// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskDefinition.html). A task
/// definition registered without `requiresCompatibilities` that validates for Fargate lists
/// `["EC2", "FARGATE"]` there and runs on Fargate. So when pasted output says FARGATE and has no
/// `requiresCompatibilities`, those launch types are the ones it is validated against and
/// registered for; the export writes them as `requiresCompatibilities`, the request member
/// (`compatibilities` is read-only: RegisterTaskDefinition does not take it).
fn pasted_compatibilities(req: &mut RegisterTaskDefinition) -> ApiResult<()> {
    if req.requires_compatibilities.is_some() {
        return Ok(());
    }
    let Some(v) = req.other.get("compatibilities") else { return Ok(()) };
    let listed: Vec<Compatibility> = serde_json::from_value(v.clone()).map_err(|_| {
        ApiError::client(
            "compatibilities",
            "compatibilities must be a list of EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES.",
        )
    })?;
    if listed.contains(&Compatibility::Fargate) {
        req.requires_compatibilities = Some(listed);
    }
    Ok(())
}

/// Valid Fargate task CPU and memory combinations (Fargate task definition parameters, "Task size").
pub fn fargate_memory_options(cpu: u32) -> Option<Vec<u32>> {
    let gib = |g: u32| g * 1024;
    let range = |lo: u32, hi: u32, step: u32| (lo..=hi).step_by(step as usize).map(gib).collect::<Vec<_>>();
    Some(match cpu {
        256 => vec![512, 1024, 2048],
        512 => range(1, 4, 1),
        1024 => range(2, 8, 1),
        2048 => range(4, 16, 1),
        4096 => range(8, 30, 1),
        8192 => range(16, 60, 4),
        16384 => range(32, 120, 8),
        _ => return None,
    })
}

fn valid_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 255 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Validate a request into a registered revision (ARN and revision filled in by the registry).
pub fn validate(req: &RegisterTaskDefinition) -> ApiResult<ValidatedTaskDefinition> {
    for key in req.other.keys() {
        if !OTHER_REQUEST_FIELDS.contains(&key.as_str()) && !DESCRIBE_OUTPUT_FIELDS.contains(&key.as_str()) {
            return Err(ApiError::client(key.clone(), format!("Unknown parameter in input: \"{key}\"")));
        }
    }
    if !valid_name(&req.family) {
        return Err(ApiError::client(
            "family",
            "Family must be 1-255 characters: letters (uppercase and lowercase), numbers, hyphens and underscores.",
        ));
    }
    let n = req.container_definitions.len();
    if n == 0 {
        return Err(ApiError::client("containerDefinitions", "Container list cannot be empty."));
    }
    if n > 10 {
        return Err(ApiError::client("containerDefinitions", "A task definition can have at most 10 containers."));
    }
    let compat: Vec<Compatibility> = req.requires_compatibilities.clone().unwrap_or_else(|| vec![Compatibility::Ec2]);
    let fargate = compat.contains(&Compatibility::Fargate);
    // Default network mode: bridge on Linux EC2; Fargate requires awsvpc.
    let mode = req.network_mode.unwrap_or(NetworkMode::Bridge);
    if fargate && mode != NetworkMode::Awsvpc {
        return Err(ApiError::client("networkMode", "Fargate only supports network mode 'awsvpc'."));
    }
    let cpu_units = match &req.cpu {
        None => None,
        Some(s) => Some(parse_cpu_units(s).ok_or_else(|| {
            ApiError::client("cpu", format!("Invalid 'cpu' setting for task: \"{s}\" is neither CPU units nor vCPUs."))
        })?),
    };
    let memory_mib = match &req.memory {
        None => None,
        Some(s) => Some(parse_memory_mib(s).ok_or_else(|| {
            ApiError::client("memory", format!("Invalid 'memory' setting for task: \"{s}\" is neither MiB nor GB."))
        })?),
    };
    if fargate {
        let (Some(cpu), Some(mem)) = (cpu_units, memory_mib) else {
            return Err(ApiError::client(
                if cpu_units.is_none() { "cpu" } else { "memory" },
                "Fargate requires that 'cpu' and 'memory' be defined at the task level.",
            ));
        };
        match fargate_memory_options(cpu) {
            None => {
                return Err(ApiError::client(
                    "cpu",
                    format!("Invalid 'cpu' setting for task. For Fargate, cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 (got {cpu})."),
                ))
            }
            Some(opts) if !opts.contains(&mem) => {
                return Err(ApiError::client(
                    "memory",
                    format!(
                        "No Fargate configuration exists for given values: {cpu} CPU, {mem} memory. With {cpu} CPU units, memory must be one of {} MiB.",
                        opts.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(", ")
                    ),
                ))
            }
            Some(_) => {}
        }
    } else if let Some(cpu) = cpu_units {
        // "For tasks that run on EC2 or external instances ... supported values are between 128
        // CPU units (0.125 vCPUs) and 196608 CPU units (192 vCPUs)" (task definition parameters,
        // Task size).
        if !(128..=196_608).contains(&cpu) {
            return Err(ApiError::client(
                "cpu",
                "Task CPU for the EC2 launch type must be between 128 and 196608 CPU units.",
            ));
        }
    }
    let mut names = std::collections::BTreeSet::new();
    for (i, c) in req.container_definitions.iter().enumerate() {
        let at = format!("containerDefinitions[{i}]");
        validate_container(c, mode, memory_mib.is_some()).map_err(|e| e.at(&at))?;
        if !names.insert(c.name.as_str()) {
            return Err(ApiError::client(
                format!("{at}.name"),
                format!(
                    "Duplicate container name \"{}\": container names must be unique within a task definition.",
                    c.name
                ),
            ));
        }
    }
    if !req.container_definitions.iter().any(|c| c.is_essential()) {
        return Err(ApiError::client(
            "containerDefinitions",
            "A task definition must have at least one essential container.",
        ));
    }
    // ContainerDefinition `memory`: "The total amount of memory reserved for all containers within
    // a task must be lower than the task memory value, if one is specified" (API reference); it
    // holds for every launch type.
    if let Some(task_mem) = memory_mib {
        let sum: u32 = req.container_definitions.iter().map(|c| c.reserved_memory_mib()).sum();
        if sum > task_mem {
            return Err(ApiError::client(
                "memory",
                format!("The containers' memory ({sum} MiB) exceeds the task memory ({task_mem} MiB)."),
            ));
        }
        for (i, c) in req.container_definitions.iter().enumerate() {
            if let Some(m) = c.memory.filter(|m| *m > task_mem) {
                return Err(ApiError::client(
                    format!("containerDefinitions[{i}].memory"),
                    format!("Container '{}' memory ({m} MiB) exceeds the task memory ({task_mem} MiB).", c.name),
                ));
            }
        }
    }
    // ContainerDefinition `cpu`: "the total amount of CPU reserved for all containers within a task
    // [must] be lower than the task-level cpu value" (API reference).
    if let Some(task_cpu) = cpu_units {
        let sum: u32 = req.container_definitions.iter().map(|c| c.cpu.unwrap_or(0)).sum();
        if sum > task_cpu {
            return Err(ApiError::client(
                "cpu",
                format!("The containers' cpu ({sum} units) exceeds the task cpu ({task_cpu} units)."),
            ));
        }
    }
    // Task definition `placementConstraints`: "A maximum of 10 constraints" and only `memberOf`
    // ("The memberOf task placement constraint can be specified with ... Creating a new task
    // definition"; distinctInstance cannot).
    if req.placement_constraints.len() > 10 {
        return Err(ApiError::client(
            "placementConstraints",
            "A task definition can have at most 10 placement constraints.",
        ));
    }
    for (i, v) in req.placement_constraints.iter().enumerate() {
        let at = format!("placementConstraints[{i}]");
        let c: crate::scenario::PlacementConstraint = crate::error::deserialize_value("ClientException", &at, v)?;
        crate::placement::validate_constraint(&c, false).map_err(|e| e.at(&at))?;
    }
    // Volumes, mount points, volumesFrom, EFS and Fargate ephemeral storage (20-200 GiB): the
    // RegisterTaskDefinition rules in `volumes`, each error naming its field.
    crate::volumes::validate_volumes(req)?;
    // Fargate refuses ECR images / awslogs without an execution role at registration.
    crate::iam::check_fargate_registration(req)?;
    // awslogs options RegisterTaskDefinition refuses (awslogs-group, awslogs-create-group).
    crate::awslogs::validate_registration(req)?;
    // environmentFiles: type s3, an S3 object ARN with a .env extension, at most ten.
    crate::secrets::validate_registration(req)?;
    Ok(ValidatedTaskDefinition { network_mode: mode, compatibilities: compat, cpu_units, memory_mib })
}

/// What validation derives from a request.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidatedTaskDefinition {
    pub network_mode: NetworkMode,
    pub compatibilities: Vec<Compatibility>,
    pub cpu_units: Option<u32>,
    pub memory_mib: Option<u32>,
}

fn validate_container(c: &ContainerDefinition, mode: NetworkMode, task_memory: bool) -> ApiResult<()> {
    for key in c.other.keys() {
        if !OTHER_CONTAINER_FIELDS.contains(&key.as_str()) {
            return Err(ApiError::client(key.clone(), format!("Unknown parameter in input: \"{key}\"")));
        }
    }
    if !valid_name(&c.name) {
        return Err(ApiError::client(
            "name",
            "Container name must be 1-255 letters, numbers, hyphens and underscores.",
        ));
    }
    if c.image.trim().is_empty() {
        return Err(ApiError::client("image", "Container image must be specified."));
    }
    if !task_memory && c.memory.is_none() && c.memory_reservation.is_none() {
        return Err(ApiError::client(
            "memory",
            format!("Invalid setting for container '{}'. At least one of 'memory' or 'memoryReservation' must be specified.", c.name),
        ));
    }
    if let (Some(hard), Some(soft)) = (c.memory, c.memory_reservation) {
        if soft > hard {
            return Err(ApiError::client(
                "memoryReservation",
                format!(
                    "Invalid setting for container '{}'. 'memoryReservation' must be less than or equal to 'memory'.",
                    c.name
                ),
            ));
        }
    }
    if let Some(m) = c.memory {
        // The Docker daemon reserves a minimum of 6 MiB per container; ECS rejects less.
        if m < 6 {
            return Err(ApiError::client("memory", "Container memory must be at least 6 MiB."));
        }
    }
    for (j, pm) in c.port_mappings.iter().enumerate() {
        let at = format!("portMappings[{j}]");
        let Some(cp) = pm.container_port else {
            if pm.container_port_range.is_some() {
                continue;
            }
            return Err(ApiError::client(format!("{at}.containerPort"), "containerPort must be specified."));
        };
        if !(1..=65535).contains(&cp) {
            return Err(ApiError::client(format!("{at}.containerPort"), "containerPort must be between 1 and 65535."));
        }
        if let Some(hp) = pm.host_port {
            if hp > 65535 {
                return Err(ApiError::client(format!("{at}.hostPort"), "hostPort must be between 0 and 65535."));
            }
            // "If you use containers in a task with the awsvpc or host network mode, the hostPort
            // can either be left blank or set to the same value as the containerPort."
            if matches!(mode, NetworkMode::Awsvpc | NetworkMode::Host) && hp != cp {
                return Err(ApiError::client(
                    format!("{at}.hostPort"),
                    format!(
                        "When networkMode={}, the host ports must either be undefined or match the container port.",
                        mode.as_str()
                    ),
                ));
            }
        }
        if mode == NetworkMode::None {
            return Err(ApiError::client(at, "Port mappings are not allowed when networkMode is 'none'."));
        }
    }
    if let Some(hc) = &c.health_check {
        let range = |v: Option<u32>, lo: u32, hi: u32, name: &str| -> ApiResult<()> {
            match v {
                Some(x) if !(lo..=hi).contains(&x) => Err(ApiError::client(
                    format!("healthCheck.{name}"),
                    format!("healthCheck.{name} must be between {lo} and {hi} (got {x})."),
                )),
                _ => Ok(()),
            }
        };
        range(hc.interval, 5, 300, "interval")?;
        range(hc.timeout, 2, 120, "timeout")?;
        range(hc.retries, 1, 10, "retries")?;
        range(hc.start_period, 0, 300, "startPeriod")?;
        match hc.command.first().map(String::as_str) {
            Some("CMD") | Some("CMD-SHELL") | Some("NONE") => {}
            _ => {
                return Err(ApiError::client(
                    "healthCheck.command",
                    "healthCheck.command must start with CMD or CMD-SHELL.",
                ))
            }
        }
    }
    if !c.links.is_empty() && mode != NetworkMode::Bridge {
        return Err(ApiError::client("links", "links are only supported when networkMode is 'bridge'."));
    }
    Ok(())
}
