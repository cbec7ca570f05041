//! CodeDeploy blue/green deployments of `CODE_DEPLOY` services at run time: the CreateDeployment
//! timeline action, and the service's task sets (PRIMARY / ACTIVE, `scale`) as DescribeTaskSets
//! shows them. Rules and simplifications: `crate::code_deploy`; the traffic shifting itself is
//! sim/blue_green.rs and the AppSpec hooks run as lifecycle hooks (sim/lifecycle_hooks.rs).
//!
//! - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html:
//!   "the CodeDeploy deployment controller ... creates a replacement task set" next to the
//!   original, shifts the production listener to it, and terminates the original after the wait.
//! - https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskSet.html: `status` PRIMARY
//!   ("The task set is serving production traffic"), ACTIVE ("The task set is not serving
//!   production traffic"), DRAINING; `scale` (value, unit PERCENT).

use super::Simulation;
use crate::code_deploy::{parse_appspec, steps, CreateDeploymentInput, CONFIG_NAMES};
use crate::deploy_strategy::{Advanced, Hook, StrategyConfig};
use crate::error::{ApiError, ApiResult};
use crate::model::{DeploymentStatus, RolloutState};
use crate::time::{SimTime, MINUTE};
use serde_json::{json, Value};

/// AppSpec hooks time out after this (ASSUMED: CodeDeploy's Lambda hooks get one hour).
pub const APPSPEC_HOOK_TIMEOUT_MINUTES: SimTime = 60;

fn cd_err(exception: &'static str, field: &str, message: String) -> ApiError {
    ApiError::new(exception, field, message)
}

impl Simulation {
    /// CodeDeploy CreateDeployment for an ECS deployment group of the scenario.
    pub(super) fn create_code_deployment(&mut self, inp: CreateDeploymentInput) -> ApiResult<Value> {
        let group = self
            .scenario
            .code_deploy_deployment_groups
            .iter()
            .find(|g| {
                g.application_name == inp.application_name && g.deployment_group_name == inp.deployment_group_name
            })
            .cloned()
            .ok_or_else(|| {
                cd_err(
                    "DeploymentGroupDoesNotExistException",
                    "deploymentGroupName",
                    format!(
                        "No deployment group {} in application {} (define it in codeDeployDeploymentGroups).",
                        inp.deployment_group_name, inp.application_name
                    ),
                )
            })?;
        let svc_name = group.ecs_services.first().map(|e| e.service_name.clone()).unwrap_or_default();
        let s = self.state.service_by_name(&svc_name).ok_or_else(|| {
            cd_err(
                "ECSServiceMappingLimitExceededException",
                "ecsServices",
                format!("Service {svc_name} does not exist."),
            )
        })?;
        let controller = self.state.services[s.idx()]
            .spec
            .deployment_controller
            .as_ref()
            .and_then(|c| c.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("ECS")
            .to_string();
        if controller != "CODE_DEPLOY" {
            return Err(cd_err(
                "InvalidECSServiceException",
                "ecsServices",
                format!("Service {svc_name} uses the {controller} deployment controller; CodeDeploy deploys only CODE_DEPLOY services."),
            ));
        }
        if self.primary_deployment(s).is_some_and(|p| {
            self.state.services[s.idx()].deployments[p as usize].rollout_state == RolloutState::InProgress
        }) {
            return Err(cd_err(
                "DeploymentLimitExceededException",
                "deploymentGroupName",
                "A deployment of this deployment group is already in progress.".into(),
            ));
        }
        let config = inp
            .deployment_config_name
            .clone()
            .or(group.deployment_config_name.clone())
            .unwrap_or_else(|| "CodeDeployDefault.ECSAllAtOnce".into());
        let (strategy, plan) = steps(&config).ok_or_else(|| {
            cd_err(
                "DeploymentConfigDoesNotExistException",
                "deploymentConfigName",
                format!("{config} is not simulated: use one of {}.", CONFIG_NAMES.join(", ")),
            )
        })?;
        if inp.revision.revision_type != "AppSpecContent" {
            return Err(cd_err(
                "InvalidRevisionException",
                "revision.revisionType",
                "Only revisionType AppSpecContent is simulated (an AppSpec in the request).".into(),
            ));
        }
        let content = inp.revision.app_spec_content.as_ref().map(|c| c.content.clone()).ok_or_else(|| {
            cd_err("InvalidRevisionException", "revision.appSpecContent", "appSpecContent is required.".into())
        })?;
        let spec = parse_appspec(&content)?;
        let td_field = "revision.appSpecContent.content.Resources[0].TargetService.Properties.TaskDefinition";
        let td_name = spec.task_definition.rsplit("task-definition/").next().unwrap_or(&spec.task_definition);
        let td = self.state.task_defs.resolve(td_name).ok_or_else(|| {
            cd_err(
                "InvalidRevisionException",
                td_field,
                format!("Task definition {} is not registered.", spec.task_definition),
            )
        })?;
        let svc = &self.state.services[s.idx()];
        let Some((k, lb)) = svc.spec.load_balancers.iter().enumerate().next() else {
            return Err(cd_err(
                "InvalidECSServiceException",
                "ecsServices",
                "The service has no load balancer.".into(),
            ));
        };
        if lb.container_name != spec.container_name || lb.container_port != spec.container_port {
            return Err(cd_err(
                "InvalidRevisionException",
                "revision.appSpecContent.content.Resources[0].TargetService.Properties.LoadBalancerInfo",
                format!(
                    "The service's load balancer names container {} port {}.",
                    lb.container_name, lb.container_port
                ),
            ));
        }
        let ok_container = self.state.task_defs.get(&td).is_some_and(|t| {
            t.containers().iter().any(|c| {
                c.name == spec.container_name
                    && c.port_mappings.iter().any(|p| p.container_port == Some(spec.container_port))
            })
        });
        if !ok_container {
            return Err(cd_err(
                "InvalidRevisionException",
                td_field,
                format!(
                    "The task definition has no container {} with port {}.",
                    spec.container_name, spec.container_port
                ),
            ));
        }
        let pair = group.load_balancer_info.target_group_pair_info_list.first().ok_or_else(|| {
            cd_err("InvalidLoadBalancerInfoException", "loadBalancerInfo", "targetGroupPairInfoList is empty.".into())
        })?;
        let Some(&prod_tg) = svc.target_groups.get(k) else {
            return Err(cd_err("InvalidECSServiceException", "ecsServices", "The service has no target group.".into()));
        };
        let prod_name = self.state.elb.group(prod_tg).name.clone();
        let names: Vec<&str> = pair.target_groups.iter().map(|t| t.name.as_str()).collect();
        let alt_name = match names.as_slice() {
            [a, b] if *a == prod_name => b.to_string(),
            [a, b] if *b == prod_name => a.to_string(),
            _ => {
                return Err(cd_err(
                    "InvalidTargetGroupPairException",
                    "loadBalancerInfo.targetGroupPairInfoList[0].targetGroups",
                    format!("Name two target groups, one of them the service's {prod_name}."),
                ))
            }
        };
        let alt = self.state.elb.by_name(&alt_name).ok_or_else(|| {
            cd_err(
                "InvalidTargetGroupPairException",
                "loadBalancerInfo.targetGroupPairInfoList[0].targetGroups",
                format!("Target group {alt_name} is not one of the scenario's targetGroups."),
            )
        })?;
        let route = |r: &Option<crate::code_deploy::TrafficRoute>, field: &str| -> ApiResult<Option<String>> {
            let Some(arn) = r.as_ref().and_then(|r| r.listener_arns.first()) else { return Ok(None) };
            let Some(i) = self.rule_by_ref(arn) else {
                return Err(cd_err(
                    "InvalidTrafficRoutingConfigurationException",
                    field,
                    format!("Listener {arn} is not one of the scenario's listenerRules."),
                ));
            };
            if !self.state.elb.rule_forwards_to_both(i, prod_tg, alt) {
                return Err(cd_err(
                    "InvalidTrafficRoutingConfigurationException",
                    field,
                    format!("Listener {arn} must forward to both target groups of the pair."),
                ));
            }
            Ok(Some(arn.clone()))
        };
        let prod = route(
            &Some(pair.prod_traffic_route.clone()),
            "loadBalancerInfo.targetGroupPairInfoList[0].prodTrafficRoute",
        )?
        .ok_or_else(|| {
            cd_err(
                "InvalidTrafficRoutingConfigurationException",
                "loadBalancerInfo.targetGroupPairInfoList[0].prodTrafficRoute",
                "prodTrafficRoute names the production listener.".into(),
            )
        })?;
        let test = route(&pair.test_traffic_route, "loadBalancerInfo.targetGroupPairInfoList[0].testTrafficRoute")?;
        let wait = group
            .blue_green_deployment_configuration
            .as_ref()
            .and_then(|b| b.pointer("/terminateBlueInstancesOnDeploymentSuccess/terminationWaitTimeInMinutes"))
            .and_then(Value::as_u64)
            .unwrap_or(0);
        if wait > 2880 {
            return Err(cd_err(
                "InvalidBlueGreenDeploymentConfigurationException",
                "blueGreenDeploymentConfiguration.terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes",
                "terminationWaitTimeInMinutes is at most 2880.".into(),
            ));
        }
        let hooks = spec
            .hooks
            .iter()
            .map(|(stage, f)| Hook {
                target: f.clone(),
                stages: vec![*stage],
                timeout: APPSPEC_HOOK_TIMEOUT_MINUTES * MINUTE,
                rollback_on_timeout: true,
            })
            .collect();
        let alarms = svc.strategy.alarms.clone();
        let mut advanced = vec![None; svc.spec.load_balancers.len()];
        advanced[k] = Some(Advanced {
            alternate_target_group: alt_name,
            production_listener_rule: prod,
            test_listener_rule: test,
        });
        let mut alternates = vec![None; svc.spec.load_balancers.len()];
        alternates[k] = Some(alt);
        let svc = &mut self.state.services[s.idx()];
        svc.strategy = StrategyConfig { strategy, steps: plan, bake_minutes: wait as u32, alarms, advanced, hooks };
        svc.alternate_target_groups = alternates;
        let id = self.start_deployment(s, td);
        self.touch_service(s);
        let digits = id.rsplit('/').next().unwrap_or(&id);
        let h: u64 = digits.parse().unwrap_or(0);
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        let code: String = (0..9).map(|i| alphabet[((h >> (i * 6)) % 36) as usize] as char).collect();
        Ok(json!({"deploymentId": format!("d-{code}")}))
    }

    /// The task sets of a CODE_DEPLOY service, in DescribeTaskSets' `TaskSet` shape: one per live
    /// deployment; PRIMARY is the one the production listener sends most traffic to.
    pub fn task_sets(&self, service: &str) -> Vec<Value> {
        let Some(s) = self.state.service_by_name(service) else { return Vec::new() };
        let svc = &self.state.services[s.idx()];
        let adv = svc.strategy.advanced.iter().flatten().next();
        let k = svc.strategy.advanced.iter().position(Option::is_some).unwrap_or(0);
        let shares = adv.map(|a| self.rule_shares(&a.production_listener_rule)).unwrap_or_default();
        let mut out = Vec::new();
        for (i, d) in svc.deployments.iter().enumerate() {
            if d.status == DeploymentStatus::Inactive {
                continue;
            }
            let tg = self.deployment_target_group(s, Some(i as u32), k);
            let share = tg.and_then(|t| shares.iter().find(|(x, _)| *x == t)).map_or(0.0, |(_, w)| *w);
            let (running, pending) = self.deployment_counts(s, d);
            let primary = share > 0.5 || shares.is_empty() && d.status == DeploymentStatus::Primary;
            let draining = d.stop.is_some()
                || d.status != DeploymentStatus::Primary && !primary && running + pending > 0 && {
                    let p = self.primary_deployment(s);
                    p.and_then(|p| svc.deployments[p as usize].traffic_shift.as_ref())
                        .is_some_and(|r| r.stage == crate::deploy_strategy::Stage::CleanUp)
                };
            let status = if primary {
                "PRIMARY"
            } else if draining {
                "DRAINING"
            } else {
                "ACTIVE"
            };
            out.push(json!({
                "id": d.id,
                "taskSetArn": format!("{}/{}", svc.service_arn.replacen(":service/", ":task-set/", 1), d.id.rsplit('/').next().unwrap_or(&d.id)),
                "serviceArn": svc.service_arn,
                "clusterArn": self.state.cluster_arn,
                "status": status,
                "taskDefinition": d.task_definition_arn,
                "computedDesiredCount": d.desired_count,
                "runningCount": running,
                "pendingCount": pending,
                "scale": {"value": 100.0, "unit": "PERCENT"},
                "stabilityStatus": if running == d.desired_count && pending == 0 { "STEADY_STATE" } else { "STABILIZING" },
                "loadBalancers": tg.map(|t| vec![json!({
                    "targetGroupArn": self.state.elb.arn(t),
                    "containerName": svc.spec.load_balancers.get(k).map(|l| l.container_name.clone()),
                    "containerPort": svc.spec.load_balancers.get(k).map(|l| l.container_port),
                })]).unwrap_or_default(),
                "createdAt": self.log.context().iso_ms(d.created_at),
                "updatedAt": self.log.context().iso_ms(d.updated_at),
            }));
        }
        out
    }
}
