//! API actions and faults, from the scenario's timeline or from the UI. Both go through `apply`,
//! so whatever a user does can be replayed, shared as a link and exported.

use super::lifecycle::NewTask;
use super::scheduler::HostRequest;
use super::Simulation;
use crate::command::{
    AzInput, Command, CommandKind, DeleteServiceInput, HealthFaultInput, InstanceInput, KillContainerInput,
    RunTaskInput, UpdateServiceInput,
};
use crate::error::{ApiError, ApiResult};
use crate::log::kind;
use crate::model::{AzId, DesiredStatus, InstanceId, InstanceStatus, ServiceId, StopCode, TaskId, TaskStatus};
use crate::placement;
use crate::scenario::LaunchType;
use crate::time::SimTime;
use serde_json::{json, Value};

/// Who writes the `ApiCall` line of a call that creates a resource (RegisterTaskDefinition,
/// CreateService): one call, one line, as CloudTrail records one event per call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Record {
    /// The caller (`apply_logged`: the timeline, the app, the local API server) logs the whole
    /// request and response after the call; the handler logs nothing.
    ByCaller,
    /// The handler logs one short line naming what it created (event name, resource name, ARN):
    /// the scenario's initial sections (`apply_initial`) and the calls Express Mode makes on the
    /// user's behalf under its one CreateExpressGatewayService line.
    Resource,
}

impl Simulation {
    pub(super) fn run_timeline_entry(&mut self, i: usize) {
        let Some(entry) = self.timeline.get(i).cloned() else { return };
        // A failing timeline call is logged, like CloudTrail records a failed API call.
        let _ = self.apply_json(&entry.action, &entry.input);
    }

    /// Perform a command now: the one entry into a running simulation. The call and its outcome
    /// are logged either way, with the request body as `requestParameters`.
    pub fn apply(&mut self, command: Command) -> ApiResult<Value> {
        let params = command.input_json();
        self.apply_logged(command.name(), Ok(command), params)
    }

    /// The JSON edge (scenario timelines, share links, the CLI): parse `action` and `input` with
    /// `Command::from_json` and apply it. The log records `input` exactly as given; a request that
    /// does not parse is logged as a failed call.
    pub fn apply_json(&mut self, action: &str, input: &Value) -> ApiResult<Value> {
        let command = Command::from_json(action, input);
        self.apply_logged(action, command, input.clone())
    }

    /// A resource of the scenario's initial sections (`taskDefinitions`, `services`), created by
    /// the same handler as the timeline's call (`dispatch`), so a section entry and a timeline entry
    /// are checked alike. It is not logged as a request: the resource exists before the clock
    /// starts, the scenario's section is its description, and there was no call at a moment of the
    /// run to record. The log names it with one short `ApiCall` line at 0 (event name, resource
    /// name, ARN: `Record::Resource`), the form every recorded digest has.
    pub(super) fn apply_initial(&mut self, command: Command) -> ApiResult<Value> {
        let params = Value::Null;
        self.dispatch(command, &params, Record::Resource)
    }

    fn apply_logged(&mut self, action: &str, command: ApiResult<Command>, params: Value) -> ApiResult<Value> {
        let result = command.and_then(|c| self.dispatch(c, &params, Record::ByCaller));
        let line = match &result {
            Ok(resp) => json!({"eventName": action, "requestParameters": params, "responseElements": resp}),
            Err(e) => {
                json!({"eventName": action, "requestParameters": params, "errorCode": e.exception, "errorMessage": e.to_string()})
            }
        };
        // Unknown actions were logged as faults before commands were typed; kept for the log's bytes.
        let kind = match crate::command::kind_of(action) {
            Some(CommandKind::Fault) | None => kind::FAULT,
            Some(_) => kind::API_CALL,
        };
        self.log.push(self.now, kind, line);
        result
    }

    /// `params` is the request body as given (what live configuration stores in the scenario);
    /// `record` says who logs the call (RegisterTaskDefinition and CreateService).
    fn dispatch(&mut self, command: Command, params: &Value, record: Record) -> ApiResult<Value> {
        match command {
            Command::RegisterTaskDefinition(req) => {
                let r = self.register_task_definition(*req, record)?;
                let arn = self.state.task_defs.get(&r).map(|t| t.task_definition_arn.clone()).unwrap_or_default();
                Ok(json!({"taskDefinition": {"taskDefinitionArn": arn, "family": r.family, "revision": r.revision}}))
            }
            Command::CreateService(spec) => {
                // The service's task security groups must exist when the VPC describes its groups.
                self.check_service_vpc(&spec)?;
                let id = self.create_service(*spec, record)?;
                Ok(json!({"service": {"serviceArn": self.state.services[id.idx()].service_arn}}))
            }
            Command::UpdateService(inp) => self.update_service(inp),
            Command::DeleteService(inp) => self.delete_service(inp),
            Command::RunTask(inp) => self.run_task(inp),
            Command::StopTask(inp) => {
                self.check_cluster(inp.cluster.as_deref())?;
                let id = self.state.task_by_ref(&inp.task).ok_or_else(|| {
                    ApiError::invalid("task", format!("The referenced task was not found: {}", inp.task))
                })?;
                let reason = inp.reason.unwrap_or_else(|| "Task stopped by user".into());
                self.stop_task(id, StopCode::UserInitiated, reason);
                Ok(json!({"task": {"taskArn": self.state.tasks[id.idx()].task_arn, "desiredStatus": "STOPPED"}}))
            }
            Command::StopServiceDeployment(inp) => self.stop_service_deployment(inp),
            Command::CreateDeployment(inp) => self.create_code_deployment(*inp),
            Command::TerminateInstance(inp) => {
                let i = self.instance_of(&inp)?;
                self.terminate_instance(i);
                self.replace_group_instance(i);
                Ok(json!({"containerInstanceArn": self.state.instances[i.idx()].container_instance_arn}))
            }
            Command::DrainInstance(inp) => {
                let i = self.instance_of(&inp)?;
                self.drain_instance(i);
                Ok(json!({"containerInstanceArn": self.state.instances[i.idx()].container_instance_arn}))
            }
            Command::FailAvailabilityZone(inp) => self.availability_zone_fault(inp, false),
            Command::RestoreAvailabilityZone(inp) => self.availability_zone_fault(inp, true),
            Command::FailHealthChecks(inp) => self.health_fault(inp, true),
            Command::RestoreHealthChecks(inp) => self.health_fault(inp, false),
            Command::KillContainer(inp) => self.kill_container(inp),
            Command::SpotInterruption(inp) => self.spot_interruption(inp),
            Command::PutObject(inp) => self.put_object(inp),
            Command::LaunchInstances(inp) => self.launch_instances(inp),
            Command::RegisterScalableTarget(inp) => self.register_scalable_target(&inp, params),
            Command::PutScalingPolicy(inp) => self.put_scaling_policy(&inp, params),
            Command::DeleteScalingPolicy(inp) => self.delete_scaling_policy(&inp),
            Command::PutScheduledAction(inp) => self.put_scheduled_action(&inp, params),
            Command::DeleteScheduledAction(inp) => self.delete_scheduled_action(&inp),
            Command::SetTraffic(inp) => self.set_traffic(inp),
            Command::SetAlarmState(inp) => self.set_alarm_state(inp),
            Command::FailNextLifecycleHook(inp) => self.fail_next_lifecycle_hook(inp),
            Command::CreateExpressGatewayService(req) => self.create_express(*req),
            Command::UpdateExpressGatewayService(req) => self.update_express(*req),
            Command::DescribeExpressGatewayService(req) => self.describe_express(req),
            Command::DeleteExpressGatewayService(req) => self.delete_express(req),
            Command::Ec2(req) => self.apply_ec2(*req),
            Command::PutRolePolicy(req) => self.put_role_policy(req),
            Command::AttachRolePolicy(req) => self.attach_role_policy(req),
        }
    }

    /// The container instance a TerminateInstance / DrainInstance names.
    fn instance_of(&self, inp: &InstanceInput) -> ApiResult<InstanceId> {
        match (&inp.instance, &inp.availability_zone) {
            (Some(r), None) => self
                .state
                .instance_by_ref(r)
                .ok_or_else(|| ApiError::invalid("instance", format!("No container instance {r}"))),
            (None, Some(az)) => self
                .state
                .instances
                .iter()
                .position(|x| x.availability_zone == *az && x.is_active())
                .map(|x| InstanceId(x as u32))
                .ok_or_else(|| ApiError::invalid("availabilityZone", format!("No ACTIVE container instance in {az}"))),
            _ => Err(ApiError::invalid("input", "Give exactly one of instance or availabilityZone.")),
        }
    }

    fn availability_zone_fault(&mut self, inp: AzInput, restore: bool) -> ApiResult<Value> {
        let az = self.state.azs.iter().position(|a| a.name == inp.availability_zone).ok_or_else(|| {
            ApiError::invalid(
                "availabilityZone",
                format!("\"{}\" is not one of the scenario's Availability Zones", inp.availability_zone),
            )
        })?;
        self.set_az_available(AzId(az as u32), restore);
        Ok(json!({"availabilityZone": inp.availability_zone}))
    }

    fn health_fault(&mut self, inp: HealthFaultInput, failing: bool) -> ApiResult<Value> {
        let tasks = match (&inp.service, &inp.task) {
            (Some(svc), None) => {
                let s = self.service_named(svc)?;
                if let Some(n) = inp.count {
                    let mut ids: Vec<(Option<SimTime>, TaskId)> = self
                        .state
                        .service_tasks(s)
                        .filter(|(_, t)| t.last_status == TaskStatus::Running && t.health_checks_failing != failing)
                        .map(|(id, t)| (t.started_at, id))
                        .collect();
                    ids.sort();
                    let ids: Vec<TaskId> = ids.into_iter().take(n as usize).map(|x| x.1).collect();
                    for id in &ids {
                        self.state.tasks[id.idx()].health_checks_failing = failing;
                    }
                    ids
                } else {
                    self.state.services[s.idx()].health_checks_failing = failing;
                    let ids: Vec<TaskId> = self.state.service_tasks(s).map(|(id, _)| id).collect();
                    if !failing {
                        for id in &ids {
                            self.state.tasks[id.idx()].health_checks_failing = false;
                        }
                    }
                    ids
                }
            }
            (None, Some(task)) => {
                let id = self
                    .state
                    .task_by_ref(task)
                    .ok_or_else(|| ApiError::invalid("task", format!("The referenced task was not found: {task}")))?;
                self.state.tasks[id.idx()].health_checks_failing = failing;
                vec![id]
            }
            _ => return Err(ApiError::invalid("input", "Give exactly one of service or task.")),
        };
        for id in &tasks {
            if self.state.tasks[id.idx()].last_status == TaskStatus::Running {
                self.refresh_container_health(*id);
            }
        }
        Ok(json!({"tasks": tasks.iter().map(|t| self.state.tasks[t.idx()].task_arn.clone()).collect::<Vec<_>>()}))
    }

    fn kill_container(&mut self, inp: KillContainerInput) -> ApiResult<Value> {
        let id = match (&inp.service, &inp.task) {
            (None, Some(task)) => self
                .state
                .task_by_ref(task)
                .ok_or_else(|| ApiError::invalid("task", format!("The referenced task was not found: {task}")))?,
            (Some(svc), None) => {
                let s = self.service_named(svc)?;
                self.state
                    .service_tasks(s)
                    .filter(|(_, t)| t.last_status == TaskStatus::Running && t.desired_status == DesiredStatus::Running)
                    .min_by_key(|(id, t)| (t.started_at, id.0))
                    .map(|(id, _)| id)
                    .ok_or_else(|| ApiError::invalid("service", "The service has no RUNNING task."))?
            }
            _ => return Err(ApiError::invalid("input", "Give exactly one of service or task.")),
        };
        let t = &self.state.tasks[id.idx()];
        if t.last_status != TaskStatus::Running {
            return Err(ApiError::invalid("task", "The task is not RUNNING."));
        }
        let i = t.containers.iter().position(|c| c.name == inp.container_name).ok_or_else(|| {
            ApiError::invalid("containerName", format!("The task has no container named {}.", inp.container_name))
        })?;
        let code = inp.exit_code.unwrap_or(137);
        self.container_exited(id, i, code, None);
        let t = &self.state.tasks[id.idx()];
        Ok(
            json!({"taskArn": t.task_arn, "containerName": inp.container_name, "exitCode": code, "essential": t.containers[i].essential}),
        )
    }

    /// ServiceNotActiveException for a service that DeleteService has drained or is draining:
    /// "The specified service isn't active. You can't update a service that's inactive. If you have
    /// previously deleted a service, you can re-create it with CreateService."
    /// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html#API_UpdateService_Errors)
    /// The service called `name`, or the API's ServiceNotFoundException.
    pub(super) fn service_named(&self, name: &str) -> ApiResult<ServiceId> {
        self.state
            .service_by_name(name)
            .ok_or_else(|| ApiError::new("ServiceNotFoundException", "service", "Service not found."))
    }

    fn check_service_active(&self, s: ServiceId) -> ApiResult<()> {
        if self.state.services[s.idx()].status != "ACTIVE" {
            return Err(ApiError::new(
                "ServiceNotActiveException",
                "service",
                "Service was not ACTIVE. You can't update or delete a service that's inactive.",
            ));
        }
        Ok(())
    }

    /// DeleteService (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html):
    /// - "You can delete a service if you have no running tasks in it and the desired task count
    ///   is zero. If the service is actively maintaining tasks, you can't delete it, and you must
    ///   update the service to a desired task count of 0." `force`: "If true, allows you to delete
    ///   a service even if it wasn't scaled down to zero tasks. It's only necessary to use this if
    ///   the service uses the REPLICA scheduling strategy."
    /// - "When you delete a service, if there are still running tasks that require cleanup, the
    ///   service status moves from ACTIVE to DRAINING, and the service is no longer visible in the
    ///   console or in the ListServices API operation. After all tasks have transitioned to either
    ///   STOPPING or STOPPED status, the service status moves from DRAINING to INACTIVE. Services in
    ///   the DRAINING or INACTIVE status can still be viewed with the DescribeServices API."
    ///   (`lifecycle::set_status` moves DRAINING to INACTIVE.)
    ///
    /// The service's scalable target, policies and scheduled actions are removed with it, so that
    /// nothing scales it back up (ASSUMED: AWS leaves the target registered, and its later
    /// UpdateService calls fail on the inactive service; the playground spares the failing calls).
    fn delete_service(&mut self, inp: DeleteServiceInput) -> ApiResult<Value> {
        self.check_cluster(inp.cluster.as_deref())?;
        let s = self.service_named(&inp.service)?;
        self.check_service_active(s)?;
        let svc = &self.state.services[s.idx()];
        let daemon = svc.spec.scheduling_strategy == Some(crate::scenario::SchedulingStrategy::Daemon);
        if !daemon && svc.desired_count > 0 && inp.force != Some(true) {
            return Err(ApiError::invalid(
                "force",
                "The service cannot be stopped while it is scaled above 0. Update its desiredCount to 0 first, or pass force.",
            ));
        }
        let rid = format!("service/{}/{}", self.state.cluster_name, svc.service_name);
        self.remove_service_scaling(&rid)?;
        self.set_desired_count(s, 0);
        let live: Vec<TaskId> = self
            .state
            .service_tasks(s)
            .filter(|(_, t)| t.desired_status == DesiredStatus::Running)
            .map(|(id, _)| id)
            .collect();
        self.stop_service_tasks(s, &live);
        self.state.services[s.idx()].status = "DRAINING".to_string();
        self.check_service_drained(s);
        let svc = &self.state.services[s.idx()];
        Ok(json!({"service": {"serviceArn": svc.service_arn, "serviceName": svc.service_name, "status": svc.status}}))
    }

    /// DRAINING becomes INACTIVE once every task of the service is STOPPING or later.
    pub(super) fn check_service_drained(&mut self, s: ServiceId) {
        let Some(svc) = self.state.services.get(s.idx()) else { return };
        if svc.status == "DRAINING" && self.state.service_tasks(s).all(|(_, t)| t.last_status >= TaskStatus::Stopping) {
            self.state.services[s.idx()].status = "INACTIVE".to_string();
        }
    }

    /// UpdateService: desired count, deployment configuration, and a new deployment when the task
    /// definition changes or `forceNewDeployment` is set. Everything is validated before anything
    /// changes, so a rejected call leaves the service as it was.
    fn update_service(&mut self, inp: UpdateServiceInput) -> ApiResult<Value> {
        self.check_cluster(inp.cluster.as_deref())?;
        let s = self.service_named(&inp.service)?;
        self.check_service_active(s)?;
        if let Some(d) = inp.desired_count {
            if d > 5000 {
                return Err(ApiError::invalid(
                    "desiredCount",
                    "desiredCount must be between 0 and 5000 in this playground.",
                ));
            }
        }
        let svc = &self.state.services[s.idx()];
        // The percentages: minimumHealthyPercent 0-100 ("rounded up"), maximumPercent 100-200
        // ("rounded down") for a REPLICA service using the rolling update (ECS) deployment type.
        let (mut min_pct, mut max_pct) = (svc.minimum_healthy_percent, svc.maximum_percent);
        if let Some(dc) = &inp.deployment_configuration {
            if let Some(m) = dc.minimum_healthy_percent {
                if m > 100 {
                    return Err(ApiError::invalid(
                        "deploymentConfiguration.minimumHealthyPercent",
                        "minimumHealthyPercent must be between 0 and 100.",
                    ));
                }
                min_pct = m;
            }
            if let Some(m) = dc.maximum_percent {
                if !(100..=200).contains(&m) {
                    return Err(ApiError::invalid(
                        "deploymentConfiguration.maximumPercent",
                        "maximumPercent must be between 100 and 200.",
                    ));
                }
                max_pct = m;
            }
        }
        // Strategy members (strategy, bakeTimeInMinutes, canaryConfiguration, linearConfiguration,
        // alarms) are checked with the service's load balancers before anything changes.
        let new_strategy = match &inp.deployment_configuration {
            Some(dc)
                if dc.strategy.is_some()
                    || dc.bake_time_in_minutes.is_some()
                    || dc.canary_configuration.is_some()
                    || dc.linear_configuration.is_some()
                    || dc.alarms.is_some()
                    || dc.lifecycle_hooks.is_some() =>
            {
                let mut spec = svc.spec.clone();
                let sdc = spec.deployment_configuration.get_or_insert_with(Default::default);
                if let Some(st) = &dc.strategy {
                    if sdc.strategy.as_ref() != Some(st) {
                        // A configuration of another strategy does not carry over.
                        sdc.canary_configuration = None;
                        sdc.linear_configuration = None;
                    }
                    sdc.strategy = Some(st.clone());
                }
                if dc.bake_time_in_minutes.is_some() {
                    sdc.bake_time_in_minutes = dc.bake_time_in_minutes;
                }
                if dc.canary_configuration.is_some() {
                    sdc.canary_configuration = dc.canary_configuration.clone();
                }
                if dc.linear_configuration.is_some() {
                    sdc.linear_configuration = dc.linear_configuration.clone();
                }
                if dc.alarms.is_some() {
                    sdc.alarms = dc.alarms.clone();
                }
                if dc.lifecycle_hooks.is_some() {
                    sdc.lifecycle_hooks = dc.lifecycle_hooks.clone();
                }
                let (cfg, alts) = self.service_strategy_config(&spec, &svc.target_groups)?;
                Some((cfg, alts, spec.deployment_configuration))
            }
            _ => None,
        };
        crate::service_rules::check_code_deploy_update(
            &svc.spec,
            inp.task_definition.is_some(),
            inp.force_new_deployment == Some(true),
        )?;
        let new_td = match &inp.task_definition {
            None => None,
            Some(name) => {
                let r = self.state.task_defs.resolve(name).ok_or_else(|| {
                    ApiError::client(
                        "taskDefinition",
                        format!("TaskDefinition not found: \"{name}\" is not a registered family or family:revision."),
                    )
                })?;
                let td = self
                    .state
                    .task_defs
                    .get(&r)
                    .ok_or_else(|| ApiError::client("taskDefinition", "TaskDefinition not found."))?;
                if svc.launch_type == LaunchType::Fargate && !td.is_fargate_compatible() {
                    return Err(ApiError::invalid(
                        "taskDefinition",
                        "Task definition does not support launch_type FARGATE.",
                    ));
                }
                if svc.launch_type == LaunchType::Fargate {
                    crate::service_rules::fargate_platform_version(
                        svc.spec.platform_version.as_deref(),
                        td,
                        "taskDefinition",
                    )?;
                }
                for (i, lb) in svc.spec.load_balancers.iter().enumerate() {
                    let ok = td.containers().iter().any(|c| {
                        c.name == lb.container_name
                            && c.port_mappings.iter().any(|p| p.container_port == Some(lb.container_port))
                    });
                    if !ok {
                        return Err(ApiError::invalid(
                            format!("loadBalancers[{i}].containerName"),
                            format!(
                                "The container {} with port {} does not exist in the task definition {}.",
                                lb.container_name,
                                lb.container_port,
                                td.family_revision()
                            ),
                        ));
                    }
                }
                Some(r)
            }
        };
        // Apply.
        if let Some(d) = inp.desired_count {
            self.set_desired_count(s, d);
        }
        let svc = &mut self.state.services[s.idx()];
        if let Some((cfg, alts, dc)) = new_strategy {
            svc.strategy = cfg;
            svc.alternate_target_groups = alts;
            svc.spec.deployment_configuration = dc;
        }
        if let Some(dc) = inp.deployment_configuration {
            svc.minimum_healthy_percent = min_pct;
            svc.maximum_percent = max_pct;
            let spec_dc = svc.spec.deployment_configuration.get_or_insert_with(Default::default);
            spec_dc.minimum_healthy_percent = Some(min_pct);
            spec_dc.maximum_percent = Some(max_pct);
            if dc.deployment_circuit_breaker.is_some() {
                spec_dc.deployment_circuit_breaker = dc.deployment_circuit_breaker;
            }
        }
        let primary_td =
            self.state.services.get(s.idx()).and_then(|svc| svc.deployments.primary()).map(|d| d.task_def.clone());
        // A new revision, or forceNewDeployment, starts a deployment; the same revision does not.
        let deploy_td = match new_td {
            Some(r) if Some(&r) != primary_td.as_ref() => Some(r),
            Some(r) if inp.force_new_deployment == Some(true) => Some(r),
            None if inp.force_new_deployment == Some(true) => primary_td,
            _ => None,
        };
        if let Some(r) = deploy_td {
            self.start_deployment(s, r);
        }
        // Target groups, load balancers or deployments may have changed what each task's health reads.
        self.touch_service(s);
        self.request_reconcile(s);
        Ok(json!({"service": self.service_detail(s)}))
    }

    fn check_cluster(&self, cluster: Option<&str>) -> ApiResult<()> {
        match cluster {
            Some(c) if c != self.state.cluster_name && c != self.state.cluster_arn => {
                Err(ApiError::new("ClusterNotFoundException", "cluster", "Cluster not found."))
            }
            _ => Ok(()),
        }
    }

    fn run_task(&mut self, inp: RunTaskInput) -> ApiResult<Value> {
        self.check_cluster(inp.cluster.as_deref())?;
        if inp.count == 0 || inp.count > 10 {
            return Err(ApiError::invalid("count", "count must be between 1 and 10."));
        }
        let td_ref = self.state.task_defs.resolve(&inp.task_definition).ok_or_else(|| {
            ApiError::client("taskDefinition", format!("Unable to find task definition '{}'.", inp.task_definition))
        })?;
        let Some(td) = self.state.task_defs.get(&td_ref).cloned() else {
            return Err(ApiError::client("taskDefinition", "Unable to find task definition."));
        };
        let (strategy, launch_type) = crate::capacity::strategy::resolve_launch_type(
            inp.launch_type,
            &inp.capacity_provider_strategy,
            &self.state.capacity.default_strategy,
        )?;
        let strategy = strategy.to_vec();
        self.check_service_strategy(&inp.capacity_provider_strategy)?;
        if launch_type == LaunchType::Fargate && !td.is_fargate_compatible() {
            return Err(ApiError::invalid("launchType", "Task definition does not support launch_type FARGATE."));
        }
        crate::service_rules::check_network_configuration(&td, inp.network_configuration.as_ref())?;
        let (platform_version, run_extras) = crate::service_rules::run_task_extras(&inp, &td, launch_type)?;
        placement::validate_placement(
            &inp.placement_strategy,
            &inp.placement_constraints,
            td.request.placement_constraints.len(),
            launch_type == LaunchType::Fargate,
        )?;
        let group = inp.group.unwrap_or_else(|| format!("family:{}", td.family));
        let mut tasks = Vec::new();
        let mut failures = Vec::new();
        let mut per_provider = vec![0u32; strategy.len()];
        for _ in 0..inp.count {
            // With a strategy, each task's provider follows base and weight within this call.
            let provider = crate::capacity::strategy::next_provider(&strategy, &per_provider).map(|k| {
                per_provider[k] += 1;
                strategy[k].capacity_provider.clone()
            });
            let host = match self.choose_host(&HostRequest {
                td_ref: &td_ref,
                group: &group,
                capacity_provider: provider.as_deref(),
                launch_type,
                strategies: &inp.placement_strategy,
                constraints: &inp.placement_constraints,
            }) {
                Ok(host) => host,
                // No subnet of an available AZ has a free address for the Fargate task's ENI.
                Err(_) if launch_type == LaunchType::Fargate => {
                    failures.push(json!({"reason": "RESOURCE:IP"}));
                    continue;
                }
                Err(f) => {
                    // RunTask reports unplaceable tasks as failures naming the closest
                    // container instance, e.g. {"arn": ..., "reason": "RESOURCE:MEMORY"}.
                    failures.push(match &f.closest {
                        Some((arn, r)) => json!({"arn": arn, "reason": r.run_task_reason()}),
                        None => json!({"reason": "No Container Instances were found in your cluster."}),
                    });
                    continue;
                }
            };
            let id = self.start_task(NewTask {
                td: td_ref.clone(),
                group: group.clone(),
                service: None,
                deployment: None,
                launch_type,
                capacity_provider: provider,
                host,
                started_by: inp.started_by.clone(),
                platform_version: platform_version.clone(),
                run_extras: run_extras.clone(),
            });
            tasks.push(json!({"taskArn": self.state.tasks[id.idx()].task_arn}));
        }
        Ok(json!({"tasks": tasks, "failures": failures}))
    }

    /// The EC2 instance goes away: its tasks stop (the agent is gone) and services replace them.
    pub(super) fn terminate_instance(&mut self, i: InstanceId) {
        let tasks = self.state.instances[i.idx()].tasks.clone();
        self.state.instances[i.idx()].status = InstanceStatus::Inactive;
        self.state.instance_changed(i);
        self.state.instances[i.idx()].deregistered_at.get_or_insert(self.now);
        for t in tasks {
            // The host is gone: nothing to wait for while the targets drain.
            self.stop_task_lost(
                t,
                StopCode::TerminationNotice,
                "Task stopped because the container instance was terminated.".into(),
            );
        }
        self.log_instance_change(i);
    }

    /// DRAINING ("Draining Amazon ECS container instances"): "Amazon ECS prevents new tasks from
    /// being scheduled for placement on the container instance." Service tasks that are PENDING
    /// "are stopped immediately"; RUNNING ones are replaced according to minimumHealthyPercent and
    /// maximumPercent (sim/replacement.rs). "Standalone tasks ... in the PENDING or RUNNING state
    /// are not affected."
    fn drain_instance(&mut self, i: InstanceId) {
        if self.state.instances[i.idx()].status != InstanceStatus::Active {
            return;
        }
        self.state.instances[i.idx()].status = InstanceStatus::Draining;
        self.state.instance_changed(i);
        self.log_instance_change(i);
        let tasks = self.state.instances[i.idx()].tasks.clone();
        let mut services = std::collections::BTreeSet::new();
        for t in tasks {
            let task = &self.state.tasks[t.idx()];
            let Some(s) = task.service else { continue };
            if task.desired_status != DesiredStatus::Running {
                continue;
            }
            services.insert(s);
            if task.last_status.is_pending() {
                self.stop_task(t, StopCode::ServiceSchedulerInitiated, "Container instance is being drained.".into());
            } else {
                self.state.tasks[t.idx()].replacement = Some("Container instance is being drained.".into());
                self.touch_task(t);
            }
        }
        for s in services {
            self.request_reconcile(s);
        }
    }

    fn set_az_available(&mut self, az: AzId, available: bool) {
        self.state.azs[az.idx()].available = available;
        if !available {
            let tasks: Vec<TaskId> = self
                .state
                .tasks
                .iter()
                .enumerate()
                .filter(|(_, t)| t.az == az && t.is_live() && !t.awaiting_capacity)
                .map(|(i, _)| TaskId(i as u32))
                .collect();
            for t in tasks {
                self.stop_task_lost(
                    t,
                    StopCode::TerminationNotice,
                    "Task stopped because its Availability Zone became unavailable.".into(),
                );
            }
        }
        for s in 0..self.state.services.len() {
            self.request_reconcile(ServiceId(s as u32));
        }
    }
}
