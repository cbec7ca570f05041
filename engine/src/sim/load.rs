//! Building the initial state from a scenario document, and the registration helpers that the
//! timeline's API actions (RegisterTaskDefinition, CreateService) share with loading.

use super::commands::Record;
use super::queue::Event;
use super::timings::Timings;
use super::{account, Simulation, State};
use crate::autoscaling::AutoScaler;
use crate::aws::{ACCOUNT_ID, DEFAULT_AZS};
use crate::command::Command;
use crate::error::{ApiError, ApiResult};
use crate::instance_types;
use crate::log::{kind, EventLog};
use crate::model::{
    AvailabilityZone, AzId, ContainerInstance, InstanceId, InstanceStatus, PortProto, Service, ServiceId,
    ServiceMetrics, TargetGroupId, TaskDefRef, TaskDefRegistry,
};
use crate::network::{Subnet, DEFAULT_RESERVED_PORTS};
use crate::rng::SimRng;
use crate::scenario::{CreateService, CreateTargetGroup, LaunchType, Scenario, SchedulingStrategy};
use crate::schedule_expr::StartDate;
use crate::taskdef::{RegisterTaskDefinition, TaskDefinition, TaskDefinitionStatus};
use crate::taskdef_rules;
use crate::time::from_secs_f64;
use serde_json::json;
use std::collections::BTreeMap;

/// The AMI id reported as `ecs.ami-id` (an ECS-optimized Amazon Linux 2023 AMI id shape).
const ECS_AMI_ID: &str = "ami-0c7217cdde317cfec";

pub(super) fn build(scenario: Scenario, seed: u64) -> ApiResult<Simulation> {
    let az_names: Vec<String> = if scenario.availability_zones.is_empty() {
        DEFAULT_AZS.iter().map(|s| s.to_string()).collect()
    } else {
        scenario.availability_zones.clone()
    };
    for (i, az) in az_names.iter().enumerate() {
        if az.len() < 2 || !az.ends_with(|c: char| c.is_ascii_lowercase()) {
            return Err(ApiError::invalid(
                format!("availabilityZones[{i}]"),
                format!("\"{az}\" is not an Availability Zone name like us-east-1a"),
            ));
        }
        if az_names[..i].contains(az) {
            return Err(ApiError::invalid(format!("availabilityZones[{i}]"), format!("\"{az}\" is listed twice")));
        }
    }
    if az_names.len() > 6 {
        return Err(ApiError::invalid("availabilityZones", "at most 6 Availability Zones"));
    }
    let region = scenario.region.clone().unwrap_or_else(|| az_names[0][..az_names[0].len() - 1].to_string());
    let cluster_name = scenario.cluster.clone();
    if cluster_name.is_empty()
        || cluster_name.len() > 255
        || !cluster_name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(ApiError::invalid(
            "cluster",
            "Cluster names must be 1-255 letters, numbers, hyphens and underscores.",
        ));
    }
    let timings = Timings::from_value(scenario.timings.as_ref())?;
    let mut subnets = Vec::new();
    let mut azs = Vec::new();
    for (i, name) in az_names.iter().enumerate() {
        // One /20 subnet per AZ: 10.0.0.0/20, 10.0.16.0/20, ... (4,091 usable addresses each).
        let subnet = Subnet::new(format!("subnet-{:017x}", 0xa11ce000 + i as u64), [10, 0, (16 * i) as u8, 0], 20);
        azs.push(AvailabilityZone {
            name: name.clone(),
            available: true,
            subnet_id: subnet.id.clone(),
            subnet_cidr: subnet.cidr(),
        });
        subnets.push(subnet);
    }
    let capacity = crate::capacity::config::parse(
        scenario.capacity_providers.as_ref(),
        &az_names,
        &region,
        ACCOUNT_ID,
        &cluster_name,
    )
    .map_err(|e| e.at("capacityProviders"))?;
    let state = State {
        cluster_arn: format!("arn:aws:ecs:{region}:{ACCOUNT_ID}:cluster/{cluster_name}"),
        cluster_name,
        region,
        azs,
        subnets,
        instances: Vec::new(),
        port_cursors: Vec::new(),
        dynamic_port_range: crate::network::DEFAULT_DYNAMIC_PORT_RANGE,
        task_defs: TaskDefRegistry::default(),
        tasks: Vec::new(),
        services: Vec::new(),
        elb: Default::default(),
        capacity,
        index: Default::default(),
        attribute_index: Default::default(),
        free_index: Default::default(),
    };
    // The calendar instant of simulated time 0: event `time`s, ISO timestamps in details,
    // schedules and alarm reasons all count from it (a fixed default keeps logs deterministic).
    let start = match &scenario.start_time {
        Some(t) => StartDate::parse(t).map_err(|e| e.at("startTime"))?,
        None => StartDate::default(),
    };
    let log_context =
        crate::log::EnvelopeContext { account: ACCOUNT_ID.to_string(), region: state.region.clone(), start, seed };
    let mut sim = Simulation {
        now: 0,
        queue: Default::default(),
        rng: SimRng::seeded(seed),
        log: EventLog::with_context(log_context),
        state,
        timings,
        timeline: scenario.timeline.clone(),
        scenario: scenario.clone(),
        autoscaler: Default::default(),
        reconcile_queued: Vec::new(),
        health_index: Default::default(),
        events_processed: 0,
        providers: Default::default(),
        event_rules: Default::default(),
        queues: Vec::new(),
        account: Default::default(),
        express: Vec::new(),
        metric_alarms: Vec::new(),
        hooks_to_fail: Vec::new(),
        minute_datapoints: Vec::new(),
        logs: super::awslogs::TaskLogs::new(crate::awslogs::LogStore::from_scenario(scenario.log_groups.as_deref())),
        vpc: None,
    };
    sim.providers = super::capacity::ProviderRuntime::new(&sim.state.capacity);
    let region_name = sim.state.region.clone();
    sim.account = account::Account::from_scenario(&scenario, &region_name)?;
    sim.load_vpc(&scenario)?;
    for (i, g) in scenario.container_instances.iter().enumerate() {
        let at = format!("containerInstances[{i}]");
        if let Some(cp) = &g.capacity_provider {
            return Err(ApiError::invalid(
                format!("{at}.capacityProvider"),
                format!(
                    "Instances of the capacity provider {cp} come from its Auto Scaling group: set the group's \
                     DesiredCapacity in capacityProviders.autoScalingGroups."
                ),
            ));
        }
        let spec = instance_types::lookup(&g.instance_type).ok_or_else(|| {
            ApiError::invalid(
                format!("{at}.instanceType"),
                format!(
                    "Unknown instance type \"{}\". Known families: t2, t3, t3a, m5, m6i, c5, c6i, r5 (e.g. m5.large).",
                    g.instance_type
                ),
            )
        })?;
        let az = sim.state.azs.iter().position(|a| a.name == g.availability_zone).ok_or_else(|| {
            ApiError::invalid(
                format!("{at}.availabilityZone"),
                format!("\"{}\" is not one of the scenario's availabilityZones", g.availability_zone),
            )
        })?;
        if g.count > 1000 {
            return Err(ApiError::invalid(format!("{at}.count"), "at most 1000 instances per group"));
        }
        if let Some(range) = g.attributes.get("ECS_DYNAMIC_HOST_PORT_RANGE") {
            sim.state.dynamic_port_range = parse_port_range(range).ok_or_else(|| {
                ApiError::invalid(
                    format!("{at}.attributes.ECS_DYNAMIC_HOST_PORT_RANGE"),
                    "must be a range like 32768-61000 within 1-65535",
                )
            })?;
        }
        for _ in 0..g.count {
            let id = sim.launch_instance(spec, AzId(az as u32), &g.attributes, g.capacity_provider.clone());
            if let Some(inst) = sim.state.instances.get_mut(id.idx()) {
                inst.iam_role = g.iam_instance_profile.clone();
            }
            sim.vpc_note_instance(id, &g.security_group_ids);
        }
    }
    sim.launch_initial_groups();
    // The initial sections go through the timeline's parse and handler (`Command`, `dispatch`);
    // only their log line differs (`apply_initial`: they exist before the clock starts).
    for (i, doc) in scenario.task_definitions.iter().enumerate() {
        let at = |e: ApiError| e.at(&format!("taskDefinitions[{i}]"));
        let command = Command::from_json("RegisterTaskDefinition", doc).map_err(at)?;
        sim.apply_initial(command).map_err(at)?;
    }
    for (i, tg) in scenario.target_groups.iter().enumerate() {
        sim.create_target_group(tg).map_err(|e| e.at(&format!("targetGroups[{i}]")))?;
    }
    sim.keep_given_target_group_arns(&scenario.services);
    for (i, r) in scenario.listener_rules.iter().enumerate() {
        sim.create_listener_rule(r).map_err(|e| e.at(&format!("listenerRules[{i}]")))?;
    }
    sim.load_metric_alarms()?;
    sim.check_lifecycle_hook_results()?;
    for (i, s) in scenario.services.iter().enumerate() {
        sim.apply_initial(Command::CreateService(Box::new(s.clone()))).map_err(|e| e.at(&format!("services[{i}]")))?;
    }
    sim.autoscaler = AutoScaler::from_scenario(scenario.scaling.as_ref(), &sim.state.cluster_name, start)
        .map_err(|e| e.at("scaling"))?;
    for (i, rid) in sim.autoscaler.resource_ids().iter().enumerate() {
        let name = rid.rsplit('/').next().unwrap_or_default();
        let cluster_ok = rid.split('/').nth(1) == Some(sim.state.cluster_name.as_str());
        if !cluster_ok || sim.state.service_by_name(name).is_none() {
            return Err(ApiError::new(
                "ValidationException",
                format!("scaling.ScalableTargets[{i}].ResourceId"),
                format!(
                    "{rid} does not name a service of this scenario (expected service/{}/<serviceName>)",
                    sim.state.cluster_name
                ),
            ));
        }
    }
    sim.queue_next_scheduled_scaling();
    sim.event_rules = crate::events::rules::parse(
        scenario.event_rules.as_ref(),
        &sim.state.region,
        ACCOUNT_ID,
        &sim.state.cluster_arn,
    )
    .map_err(|e| e.at("eventRules"))?;
    sim.start_event_rules()?;
    sim.load_queues()?;
    for (i, e) in scenario.timeline.iter().enumerate() {
        if !(e.at.is_finite() && e.at >= 0.0) {
            return Err(ApiError::invalid(format!("timeline[{i}].at"), "must be a number of seconds >= 0"));
        }
        if crate::command::kind_of(&e.action).is_none() {
            return Err(crate::command::unknown_action(&e.action).at(&format!("timeline[{i}]")));
        }
        sim.schedule(from_secs_f64(e.at), Event::Timeline(i as u32));
    }
    sim.check_traffic()?;
    // CloudWatch one-minute datapoints (sim/metrics.rs).
    sim.schedule(crate::time::MINUTE, Event::MetricsTick);
    Ok(sim)
}

fn arn_family(arn: &str) -> String {
    let tail = arn.rsplit("task-definition/").next().unwrap_or(arn);
    tail.split(':').next().unwrap_or(tail).to_string()
}

fn parse_port_range(s: &str) -> Option<(u16, u16)> {
    let (a, b) = s.split_once('-')?;
    let (a, b): (u16, u16) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a >= 1 && a <= b).then_some((a, b))
}

impl Simulation {
    /// Register a container instance (as the ECS agent does when an instance boots).
    pub(super) fn launch_instance(
        &mut self,
        spec: &'static instance_types::InstanceType,
        az: AzId,
        custom: &BTreeMap<String, String>,
        capacity_provider: Option<String>,
    ) -> InstanceId {
        let id = InstanceId(self.state.instances.len() as u32);
        let ec2_id = format!("i-0{}", self.rng.hex(16));
        let arn = format!(
            "arn:aws:ecs:{}:{ACCOUNT_ID}:container-instance/{}/{}",
            self.state.region,
            self.state.cluster_name,
            self.rng.hex(32)
        );
        let az_name = self.state.azs[az.idx()].name.clone();
        let ip = self.state.subnets[az.idx()].allocate().unwrap_or_else(|| "0.0.0.0".into());
        let mut attributes = BTreeMap::new();
        attributes.insert("ecs.availability-zone".to_string(), az_name.clone());
        attributes.insert("ecs.instance-type".to_string(), spec.name.to_string());
        attributes.insert("ecs.ami-id".to_string(), ECS_AMI_ID.to_string());
        attributes.insert("ecs.os-type".to_string(), "linux".to_string());
        attributes.insert("ecs.cpu-architecture".to_string(), "x86_64".to_string());
        for (k, v) in custom {
            attributes.insert(k.clone(), v.clone());
        }
        let reserved_mem: u32 = custom.get("ECS_RESERVED_MEMORY").and_then(|v| v.parse().ok()).unwrap_or(0);
        let used_ports = DEFAULT_RESERVED_PORTS.iter().map(|p| (*p, PortProto::Tcp)).collect();
        self.state.instances.push(ContainerInstance {
            ec2_instance_id: ec2_id,
            container_instance_arn: arn,
            instance_type: spec.name,
            spec,
            az,
            availability_zone: az_name,
            status: InstanceStatus::Active,
            private_ip: ip,
            registered_cpu: spec.registered_cpu(),
            registered_memory: spec.registered_memory_mib().saturating_sub(reserved_mem),
            used_cpu: 0,
            used_memory: 0,
            used_ports,
            task_enis: 0,
            attributes,
            capacity_provider,
            auto_scaling_group: None,
            registered_at: self.now,
            version: 0,
            updated_at: self.now,
            deregistered_at: None,
            iam_role: None,
            tasks: Vec::new(),
            pulled_images: Default::default(),
        });
        self.state.port_cursors.push(0);
        self.state.attribute_index.instance_added(id.idx(), &self.state.instances[id.idx()]);
        self.state.instance_changed(id);
        self.log_instance_change(id);
        // New capacity can unblock services waiting to place tasks.
        for s in 0..self.state.services.len() {
            self.request_reconcile(ServiceId(s as u32));
        }
        id
    }

    /// RegisterTaskDefinition: validate and add the next revision of the family.
    pub(super) fn register_task_definition(
        &mut self,
        req: RegisterTaskDefinition,
        record: Record,
    ) -> ApiResult<TaskDefRef> {
        let v = taskdef_rules::validate(&req)?;
        let revs = self.state.task_defs.families.entry(req.family.clone()).or_default();
        let revision = revs.len() as u32 + 1;
        let arn = format!("arn:aws:ecs:{}:{ACCOUNT_ID}:task-definition/{}:{revision}", self.state.region, req.family);
        let td = TaskDefinition {
            task_definition_arn: arn.clone(),
            family: req.family.clone(),
            revision,
            status: TaskDefinitionStatus::Active,
            network_mode: v.network_mode,
            compatibilities: v.compatibilities,
            cpu_units: v.cpu_units,
            memory_mib: v.memory_mib,
            request: req,
        };
        revs.push(td);
        if record == Record::Resource {
            self.log.push(
                self.now,
                kind::API_CALL,
                json!({"eventName": "RegisterTaskDefinition", "responseElements": {"taskDefinitionArn": arn}}),
            );
        }
        Ok(TaskDefRef { family: arn_family(&arn), revision })
    }

    /// CreateTargetGroup with ELBv2's defaults (src/load_balancing.rs); the ARN's id comes from
    /// the seeded stream once the request is accepted.
    pub(super) fn create_target_group(&mut self, tg: &CreateTargetGroup) -> ApiResult<TargetGroupId> {
        let (region, rng) = (&self.state.region, &mut self.rng);
        self.state.elb.create_target_group(tg, |name| {
            format!("arn:aws:elasticloadbalancing:{region}:{ACCOUNT_ID}:targetgroup/{name}/{}", rng.hex(16))
        })
    }

    /// Target group ARNs the scenario's services give (`loadBalancers[].targetGroupArn`, the
    /// blue/green `alternateTargetGroupArn`) become the ARNs of the target groups they name, so a
    /// course author's ARN shows up unchanged in the snapshot, the log and the exports. CreateTargetGroup
    /// returns the ARN ("TargetGroupArn", ELBv2 API_CreateTargetGroup,
    /// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html);
    /// a scenario that already wrote one down is quoting that response. Only full ARNs of this
    /// shape are taken: `arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>`.
    fn keep_given_target_group_arns(&mut self, services: &[CreateService]) {
        let given = services.iter().flat_map(|s| s.load_balancers.iter()).flat_map(|lb| {
            [
                lb.target_group_arn.as_deref(),
                lb.advanced_configuration.as_ref().and_then(|a| a.alternate_target_group_arn.as_deref()),
            ]
        });
        for arn in given.flatten() {
            let Some((prefix, tail)) = arn.split_once(":targetgroup/") else { continue };
            let Some((name, id)) = tail.split_once('/') else { continue };
            let ok_prefix = prefix.starts_with("arn:aws:elasticloadbalancing:") && prefix.split(':').count() == 5;
            if !ok_prefix || id.is_empty() || id.contains('/') {
                continue;
            }
            self.state.elb.keep_given_arn(name, arn);
        }
    }

    /// CreateService: validate against the API's rules and start the scheduler for it.
    pub(super) fn create_service(&mut self, mut spec: CreateService, record: Record) -> ApiResult<ServiceId> {
        let name = spec.service_name.clone();
        if name.is_empty()
            || name.len() > 255
            || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(ApiError::invalid(
                "serviceName",
                "Service names must be 1-255 letters, numbers, hyphens and underscores.",
            ));
        }
        if self.state.service_by_name(&name).is_some() {
            return Err(ApiError::invalid(
                "serviceName",
                format!("Creation of service was not idempotent: a service named {name} already exists."),
            ));
        }
        let td_ref = self.state.task_defs.resolve(&spec.task_definition).ok_or_else(|| {
            ApiError::client(
                "taskDefinition",
                format!(
                    "TaskDefinition not found: \"{}\" is not a registered family or family:revision.",
                    spec.task_definition
                ),
            )
        })?;
        let td = self
            .state
            .task_defs
            .get(&td_ref)
            .cloned()
            .ok_or_else(|| ApiError::client("taskDefinition", "TaskDefinition not found."))?;
        let (_, launch_type) = crate::capacity::strategy::resolve_launch_type(
            spec.launch_type,
            &spec.capacity_provider_strategy,
            &self.state.capacity.default_strategy,
        )?;
        self.check_service_strategy(&spec.capacity_provider_strategy)?;
        if launch_type == LaunchType::Fargate && !td.is_fargate_compatible() {
            return Err(ApiError::invalid("taskDefinition", "Task definition does not support launch_type FARGATE."));
        }
        // Same rules as RunTask (placement strategy/constraint shapes, limits, Fargate refusal).
        crate::placement::validate_placement(
            &spec.placement_strategy,
            &spec.placement_constraints,
            td.request.placement_constraints.len(),
            launch_type == LaunchType::Fargate,
        )?;
        crate::service_rules::check_network_configuration(&td, spec.network_configuration.as_ref())?;
        crate::service_rules::check_daemon(&spec)?;
        if launch_type == LaunchType::Fargate {
            crate::service_rules::fargate_platform_version(spec.platform_version.as_deref(), &td, "platformVersion")?;
        }
        let daemon = spec.scheduling_strategy == Some(SchedulingStrategy::Daemon);
        if daemon && launch_type == LaunchType::Fargate {
            return Err(ApiError::invalid(
                "schedulingStrategy",
                "The DAEMON scheduling strategy does not support the FARGATE launch type.",
            ));
        }
        let desired = spec.desired_count.unwrap_or(0);
        let dc = spec.deployment_configuration.clone().unwrap_or_default();
        // Defaults: maximumPercent 200; minimumHealthyPercent 100 (DAEMON: max 100, min 0).
        let max_pct = dc.maximum_percent.unwrap_or(if daemon { 100 } else { 200 });
        let min_pct = dc.minimum_healthy_percent.unwrap_or(if daemon { 0 } else { 100 });
        if min_pct > 100 {
            return Err(ApiError::invalid(
                "deploymentConfiguration.minimumHealthyPercent",
                "minimumHealthyPercent must be between 0 and 100.",
            ));
        }
        if !daemon && !(100..=200).contains(&max_pct) {
            return Err(ApiError::invalid(
                "deploymentConfiguration.maximumPercent",
                "maximumPercent must be between 100 and 200.",
            ));
        }
        let mut target_groups = Vec::new();
        for (i, lb) in spec.load_balancers.iter().enumerate() {
            let at = format!("loadBalancers[{i}]");
            let Some(arn) = &lb.target_group_arn else {
                if lb.load_balancer_name.is_some() {
                    // A Classic Load Balancer (loadBalancerName + the service's role).
                    return Err(ApiError::invalid(
                        format!("{at}.loadBalancerName"),
                        "Classic Load Balancers are not simulated in this playground: give an Application Load Balancer target group (targetGroupArn) instead.",
                    ));
                }
                return Err(ApiError::invalid(
                    format!("{at}.targetGroupArn"),
                    "targetGroupArn is required for an Application Load Balancer.",
                ));
            };
            let name = crate::load_balancing::target_group_name_of(arn);
            let tg = self.state.elb.by_name(name).ok_or_else(|| {
                ApiError::invalid(
                    format!("{at}.targetGroupArn"),
                    format!("Target group \"{arn}\" does not exist in the scenario's targetGroups."),
                )
            })?;
            let c = td.containers().iter().find(|c| c.name == lb.container_name).ok_or_else(|| {
                ApiError::invalid(
                    format!("{at}.containerName"),
                    format!("The container {} does not exist in the task definition.", lb.container_name),
                )
            })?;
            if !c.port_mappings.iter().any(|p| p.container_port == Some(lb.container_port)) {
                return Err(ApiError::invalid(
                    format!("{at}.containerPort"),
                    format!(
                        "The container {} did not have a container port {} defined.",
                        lb.container_name, lb.container_port
                    ),
                ));
            }
            let tt = &self.state.elb.group(tg).target_type;
            // "For services with tasks using the awsvpc network mode ... you must choose ip as the
            // target type, not instance" (ECS developer guide, load balancing).
            if td.network_mode == crate::taskdef::NetworkMode::Awsvpc && tt != "ip" {
                return Err(ApiError::invalid(format!("{at}.targetGroupArn"), format!("The provided target group {name} has target type instance, which is incompatible with the awsvpc network mode specified in the task definition.")));
            }
            if td.network_mode != crate::taskdef::NetworkMode::Awsvpc && tt == "ip" {
                return Err(ApiError::invalid(format!("{at}.targetGroupArn"), format!("The provided target group {name} has target type ip, which is only supported with the awsvpc network mode.")));
            }
            target_groups.push(tg);
        }
        // Blue/green, linear and canary: strategy members, alternate target groups, listener
        // rules and deployment alarms (sim/blue_green.rs, deploy_strategy.rs).
        let (strategy, alternate_target_groups) = self.service_strategy_config(&spec, &target_groups)?;
        if daemon && strategy.strategy != crate::deploy_strategy::Strategy::Rolling {
            return Err(ApiError::invalid(
                "deploymentConfiguration.strategy",
                "The DAEMON scheduling strategy supports only the ROLLING deployment strategy.",
            ));
        }
        // A DAEMON service has no desiredCount in its request (the scheduler decides it).
        if !daemon {
            spec.desired_count = Some(desired);
        }
        let id = ServiceId(self.state.services.len() as u32);
        let arn = format!("arn:aws:ecs:{}:{ACCOUNT_ID}:service/{}/{name}", self.state.region, self.state.cluster_name);
        let dep_id = super::deployment::new_deployment_id(&mut self.rng);
        let now = self.now;
        self.state.services.push(Service {
            service_name: name.clone(),
            service_arn: arn.clone(),
            status: "ACTIVE".into(),
            desired_count: desired,
            launch_type,
            spec,
            maximum_percent: max_pct,
            minimum_healthy_percent: min_pct,
            deployments: crate::deployments::ServiceDeployments::new(crate::model::Deployment::new(
                dep_id,
                td_ref,
                td.task_definition_arn.clone(),
                desired,
                now,
            )),
            events: Vec::new(),
            target_groups,
            alternate_target_groups,
            strategy,
            consecutive_start_failures: 0,
            launch_attempts: 0,
            last_failed_attempt: 0,
            backoff_until: 0,
            last_steady_state_at: None,
            last_unplaceable: None,
            steady: false,
            deployment_timer: None,
            health_checks_failing: false,
            last_throttle_event_at: None,
            metrics: ServiceMetrics::default(),
        });
        self.reconcile_queued.push(false);
        if record == Record::Resource {
            self.log.push(self.now, kind::API_CALL, json!({"eventName": "CreateService", "requestParameters": {"serviceName": name}, "responseElements": {"serviceArn": arn}}));
        }
        // "SERVICE_DEPLOYMENT_IN_PROGRESS ... This event is sent for both initial deployments and
        // rollback deployments."
        self.log_deployment_state(id, 0, "SERVICE_DEPLOYMENT_IN_PROGRESS");
        self.request_reconcile(id);
        Ok(id)
    }
}
