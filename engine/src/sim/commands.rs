//! API actions and faults, from the scenario's timeline or from the UI. Both go through `apply`,
//! so whatever a user does can be replayed, shared as a link and exported.

use super::lifecycle::{Host, NewTask};
use super::*;
use crate::error::ApiError;
use crate::log::kind;
use crate::placement::{self, ClusterView, PlacementRequest};
use crate::scenario::{CreateService, LaunchType, PlacementConstraint, PlacementStrategy};
use crate::taskdef_rules;
use serde::Deserialize;
use serde_json::{json, Value};

/// Actions the engine understands: ECS API actions, then faults.
pub const ACTIONS: &[&str] = &[
    "RegisterTaskDefinition",
    "CreateService",
    "UpdateService",
    "RunTask",
    "StopTask",
    "TerminateInstance",
    "DrainInstance",
    "FailAvailabilityZone",
    "RestoreAvailabilityZone",
];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct UpdateServiceInput {
    #[serde(default)]
    cluster: Option<String>,
    service: String,
    #[serde(default)]
    desired_count: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RunTaskInput {
    #[serde(default)]
    cluster: Option<String>,
    task_definition: String,
    #[serde(default = "one")]
    count: u32,
    #[serde(default)]
    launch_type: Option<LaunchType>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    started_by: Option<String>,
    #[serde(default)]
    placement_strategy: Vec<PlacementStrategy>,
    #[serde(default)]
    placement_constraints: Vec<PlacementConstraint>,
    #[serde(default)]
    network_configuration: Option<Value>,
}

fn one() -> u32 {
    1
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StopTaskInput {
    #[serde(default)]
    cluster: Option<String>,
    task: String,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct InstanceInput {
    instance: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AzInput {
    availability_zone: String,
}

fn parse<T: for<'de> Deserialize<'de>>(input: &Value) -> ApiResult<T> {
    serde_path_to_error::deserialize(input.clone()).map_err(|e| {
        let path = e.path().to_string();
        ApiError::invalid(
            if path == "." { "input".to_string() } else { format!("input.{path}") },
            e.into_inner().to_string(),
        )
    })
}

impl Simulation {
    pub(super) fn check_timeline_action(&self, action: &str) -> ApiResult<()> {
        if ACTIONS.contains(&action) {
            Ok(())
        } else {
            Err(ApiError::invalid(
                "action",
                format!("Unknown action \"{action}\". Known actions: {}.", ACTIONS.join(", ")),
            ))
        }
    }

    pub(super) fn run_timeline_entry(&mut self, i: usize) {
        let Some(entry) = self.timeline.get(i).cloned() else { return };
        // A failing timeline call is logged, like CloudTrail records a failed API call.
        let _ = self.apply(&entry.action, &entry.input);
    }

    /// Perform an API action or fault now. The call and its outcome are logged either way.
    pub fn apply(&mut self, action: &str, input: &Value) -> ApiResult<Value> {
        let result = self.dispatch(action, input);
        let line = match &result {
            Ok(resp) => json!({"eventName": action, "requestParameters": input, "responseElements": resp}),
            Err(e) => {
                json!({"eventName": action, "requestParameters": input, "errorCode": e.exception, "errorMessage": e.to_string()})
            }
        };
        let kind = if ACTIONS[..5].contains(&action) { kind::API_CALL } else { kind::FAULT };
        self.log.push(self.now, kind, line);
        result
    }

    fn dispatch(&mut self, action: &str, input: &Value) -> ApiResult<Value> {
        match action {
            "RegisterTaskDefinition" => {
                let req = taskdef_rules::parse_task_definition(input)?;
                let r = self.register_task_definition(req)?;
                let arn = self.state.task_defs.get(&r).map(|t| t.task_definition_arn.clone()).unwrap_or_default();
                Ok(json!({"taskDefinition": {"taskDefinitionArn": arn, "family": r.family, "revision": r.revision}}))
            }
            "CreateService" => {
                let spec: CreateService = parse(input)?;
                let id = self.create_service(spec)?;
                Ok(json!({"service": {"serviceArn": self.state.services[id.idx()].service_arn}}))
            }
            "UpdateService" => {
                let inp: UpdateServiceInput = parse(input)?;
                self.check_cluster(inp.cluster.as_deref())?;
                let s = self
                    .state
                    .service_by_name(&inp.service)
                    .ok_or_else(|| ApiError::new("ServiceNotFoundException", "service", "Service not found."))?;
                if let Some(d) = inp.desired_count {
                    if d > 5000 {
                        return Err(ApiError::invalid(
                            "desiredCount",
                            "desiredCount must be between 0 and 5000 in this playground.",
                        ));
                    }
                    let svc = &mut self.state.services[s.idx()];
                    svc.desired_count = d;
                    svc.steady = false;
                    if let Some(p) = svc.deployments.iter_mut().find(|d| d.status == DeploymentStatus::Primary) {
                        p.desired_count = d;
                    }
                }
                self.request_reconcile(s);
                Ok(
                    json!({"service": {"serviceArn": self.state.services[s.idx()].service_arn, "desiredCount": self.state.services[s.idx()].desired_count}}),
                )
            }
            "RunTask" => self.run_task(parse(input)?),
            "StopTask" => {
                let inp: StopTaskInput = parse(input)?;
                self.check_cluster(inp.cluster.as_deref())?;
                let id = self.state.task_by_ref(&inp.task).ok_or_else(|| {
                    ApiError::invalid("task", format!("The referenced task was not found: {}", inp.task))
                })?;
                let reason = inp.reason.unwrap_or_else(|| "Task stopped by user".into());
                self.stop_task(id, StopCode::UserInitiated, reason);
                Ok(json!({"task": {"taskArn": self.state.tasks[id.idx()].task_arn, "desiredStatus": "STOPPED"}}))
            }
            "TerminateInstance" | "DrainInstance" => {
                let inp: InstanceInput = parse(input)?;
                let i = self
                    .state
                    .instance_by_ref(&inp.instance)
                    .ok_or_else(|| ApiError::invalid("instance", format!("No container instance {}", inp.instance)))?;
                if action == "TerminateInstance" {
                    self.terminate_instance(i);
                } else {
                    self.drain_instance(i);
                }
                Ok(json!({"containerInstanceArn": self.state.instances[i.idx()].container_instance_arn}))
            }
            "FailAvailabilityZone" | "RestoreAvailabilityZone" => {
                let inp: AzInput = parse(input)?;
                let az = self.state.azs.iter().position(|a| a.name == inp.availability_zone).ok_or_else(|| {
                    ApiError::invalid(
                        "availabilityZone",
                        format!("\"{}\" is not one of the scenario's Availability Zones", inp.availability_zone),
                    )
                })?;
                self.set_az_available(AzId(az as u32), action == "RestoreAvailabilityZone");
                Ok(json!({"availabilityZone": inp.availability_zone}))
            }
            _ => Err(ApiError::invalid(
                "action",
                format!("Unknown action \"{action}\". Known actions: {}.", ACTIONS.join(", ")),
            )),
        }
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
        let launch_type = inp.launch_type.unwrap_or(LaunchType::Ec2);
        if launch_type == LaunchType::Fargate && !td.is_fargate_compatible() {
            return Err(ApiError::invalid("launchType", "Task definition does not support launch_type FARGATE."));
        }
        if td.network_mode == crate::taskdef::NetworkMode::Awsvpc
            && inp.network_configuration.is_none()
            && launch_type == LaunchType::Fargate
        {
            return Err(ApiError::invalid(
                "networkConfiguration",
                "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
            ));
        }
        placement::validate_placement(
            &inp.placement_strategy,
            &inp.placement_constraints,
            td.request.placement_constraints.len(),
            launch_type == LaunchType::Fargate,
        )?;
        let group = inp.group.unwrap_or_else(|| format!("family:{}", td.family));
        let mut tasks = Vec::new();
        let mut failures = Vec::new();
        for _ in 0..inp.count {
            let host = if launch_type == LaunchType::Fargate {
                match self.fargate_az(&group) {
                    Some(az) => Host::Fargate(az),
                    None => {
                        failures.push(json!({"reason": "RESOURCE:IP"}));
                        continue;
                    }
                }
            } else {
                let az_available = self.state.az_available();
                let view = ClusterView {
                    instances: &self.state.instances,
                    tasks: &self.state.tasks,
                    port_cursors: &self.state.port_cursors,
                    dynamic_port_range: self.state.dynamic_port_range,
                    az_available: &az_available,
                };
                let req = PlacementRequest {
                    task_definition: &td,
                    group: &group,
                    strategies: &inp.placement_strategy,
                    constraints: &inp.placement_constraints,
                    capacity_provider: None,
                };
                match placement::place(&view, &req, &mut self.rng) {
                    Ok(d) => Host::Ec2(d),
                    Err(f) => {
                        // RunTask reports unplaceable tasks as failures naming the closest
                        // container instance, e.g. {"arn": ..., "reason": "RESOURCE:MEMORY"}.
                        failures.push(match &f.closest {
                            Some((arn, r)) => json!({"arn": arn, "reason": r.run_task_reason()}),
                            None => json!({"reason": "No Container Instances were found in your cluster."}),
                        });
                        continue;
                    }
                }
            };
            let id = self.start_task(NewTask {
                td: td_ref.clone(),
                group: group.clone(),
                service: None,
                deployment: None,
                launch_type,
                capacity_provider: None,
                host,
            });
            tasks.push(json!({"taskArn": self.state.tasks[id.idx()].task_arn}));
        }
        let _ = inp.started_by;
        Ok(json!({"tasks": tasks, "failures": failures}))
    }

    /// The EC2 instance goes away: its tasks stop (the agent is gone) and services replace them.
    fn terminate_instance(&mut self, i: InstanceId) {
        let tasks = self.state.instances[i.idx()].tasks.clone();
        self.state.instances[i.idx()].status = InstanceStatus::Inactive;
        for t in tasks {
            self.stop_task(
                t,
                StopCode::TerminationNotice,
                "Task stopped because the container instance was terminated.".into(),
            );
        }
        let d = self.instance_detail(i);
        self.log.push(self.now, kind::CONTAINER_INSTANCE_STATE_CHANGE, d);
    }

    /// DRAINING: no new tasks; service tasks are replaced elsewhere, then stopped.
    fn drain_instance(&mut self, i: InstanceId) {
        if self.state.instances[i.idx()].status != InstanceStatus::Active {
            return;
        }
        self.state.instances[i.idx()].status = InstanceStatus::Draining;
        let tasks = self.state.instances[i.idx()].tasks.clone();
        for t in tasks {
            if self.state.tasks[t.idx()].service.is_some() {
                self.stop_task(t, StopCode::ServiceSchedulerInitiated, "Container instance is being drained.".into());
            }
        }
        let d = self.instance_detail(i);
        self.log.push(self.now, kind::CONTAINER_INSTANCE_STATE_CHANGE, d);
    }

    fn set_az_available(&mut self, az: AzId, available: bool) {
        self.state.azs[az.idx()].available = available;
        if !available {
            let tasks: Vec<TaskId> = self
                .state
                .tasks
                .iter()
                .enumerate()
                .filter(|(_, t)| t.az == az && t.is_live())
                .map(|(i, _)| TaskId(i as u32))
                .collect();
            for t in tasks {
                self.stop_task(
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
