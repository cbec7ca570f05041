//! Amazon ECS Express Mode at run time: `CreateExpressGatewayService`,
//! `UpdateExpressGatewayService`, `DescribeExpressGatewayService` and
//! `DeleteExpressGatewayService` as timeline (and UI) actions.
//!
//! One create call builds ordinary simulation objects - a task definition revision, a target
//! group with the health check path, a Fargate service behind it, a scalable target and a target
//! tracking policy - so deployments, scaling and faults act on it unchanged. The resources the
//! engine does not model (log group, security groups, certificate, load balancer, HTTPS listener,
//! listener rule, rollback alarm) are recorded as described resources. Each resource gets one
//! `ExpressResource` trace log line, in creation order, so the picture can play the call as
//! a sequence. Validation and defaults: `crate::express` (with the documents they come from).

use super::commands::Record;
use super::Simulation;
use crate::aws::ACCOUNT_ID;
use crate::error::{ApiError, ApiResult};
use crate::express::{self as ex, Config, Context, Plan};
use crate::model::{ServiceId, TargetGroupId, TaskDefRef};
use crate::scenario::{CreateService, CreateTargetGroup, DeploymentConfiguration, LaunchType, ServiceLoadBalancer};
use crate::taskdef_rules;
use crate::time::SimTime;
use serde_json::{json, Value};

/// Log kind of the one-line-per-resource record of an Express Mode call.
pub const EXPRESS_RESOURCE: &str = "ExpressResource";

/// One service revision of an Express service (`ExpressGatewayServiceConfiguration`).
#[derive(Debug, Clone)]
pub struct Revision {
    pub service_revision_arn: String,
    pub deployment_id: String,
    pub task_definition_arn: String,
    pub config: Config,
    pub created_at: SimTime,
}

/// An Express service: the ECS service it made and everything around it.
#[derive(Debug, Clone)]
pub struct ExpressService {
    pub service_name: String,
    pub service_arn: String,
    pub service: ServiceId,
    pub target_group: TargetGroupId,
    pub infrastructure_role_arn: String,
    pub tags: Vec<ex::Tag>,
    /// ACTIVE, or DRAINING after DeleteExpressGatewayService (INACTIVE once no task is left).
    pub status: &'static str,
    pub created_at: SimTime,
    pub updated_at: SimTime,
    pub context: Context,
    pub plan: Plan,
    pub revisions: Vec<Revision>,
}

fn secs(t: SimTime) -> f64 {
    crate::time::to_secs_f64(t)
}

impl Simulation {
    /// RegisterScalableTarget / PutScalingPolicy made on the caller's behalf (not logged as calls
    /// of their own: the infrastructure role makes them inside the Express call).
    fn express_scaling(&mut self, action: &str, input: &Value) -> ApiResult<Value> {
        match crate::command::Command::from_json(action, input)? {
            crate::command::Command::RegisterScalableTarget(r) => self.register_scalable_target(&r, input),
            crate::command::Command::PutScalingPolicy(p) => self.put_scaling_policy(&p, input),
            _ => Err(ApiError::new("ServerException", "scalingTarget", format!("{action} is not a scaling request."))),
        }
    }

    /// The Express services created so far (deleted ones included, with their status).
    pub fn express_services(&self) -> &[ExpressService] {
        &self.express
    }

    fn subnet_ids(&self) -> Vec<String> {
        self.state.azs.iter().map(|a| a.subnet_id.clone()).collect()
    }

    /// The playground simulates one cluster: `cluster` must name it. When left out, AWS uses
    /// the `default` cluster (and creates it); here that is the scenario's cluster.
    fn check_express_cluster(&self, cluster: Option<&str>) -> ApiResult<()> {
        match cluster {
            Some(c) if c != self.state.cluster_name && c != self.state.cluster_arn => {
                Err(ApiError::new("ClusterNotFoundException", "cluster", "Cluster not found."))
            }
            _ => Ok(()),
        }
    }

    /// `taskDefinitionArn`: DOCUMENTED (API): "The task definition must have a container named
    /// Main with a single TCP port mapping that includes a container port and port name. The task
    /// definition must also have FARGATE compatibility." Returns the revision and the port.
    fn express_task_definition(&self, arn: &str) -> ApiResult<(TaskDefRef, u32)> {
        let r =
            self.state.task_defs.resolve(arn).ok_or_else(|| {
                ApiError::client("taskDefinitionArn", format!("TaskDefinition not found: \"{arn}\"."))
            })?;
        let td = self
            .state
            .task_defs
            .get(&r)
            .ok_or_else(|| ApiError::client("taskDefinitionArn", "TaskDefinition not found."))?;
        if !td.is_fargate_compatible() {
            return Err(ApiError::new(
                "InvalidParameterException",
                "taskDefinitionArn",
                "The task definition must have FARGATE compatibility.",
            ));
        }
        let main = td.containers().iter().find(|c| c.name == ex::CONTAINER_NAME).ok_or_else(|| {
            ApiError::new(
                "InvalidParameterException",
                "taskDefinitionArn",
                "The task definition must have a container named Main.",
            )
        })?;
        let ports: Vec<_> = main.port_mappings.iter().collect();
        let port = match ports.as_slice() {
            [p] if p.container_port.is_some()
                && p.name.as_deref().is_some_and(|n| !n.is_empty())
                && p.protocol == crate::taskdef::Protocol::Tcp =>
            {
                p.container_port.unwrap_or(ex::DEFAULT_CONTAINER_PORT)
            }
            _ => {
                return Err(ApiError::new(
                    "InvalidParameterException",
                    "taskDefinitionArn",
                    "The Main container must have a single TCP port mapping with a container port and a port name.",
                ))
            }
        };
        Ok((r, port))
    }

    /// Register the task definition of `cfg` (validated with RegisterTaskDefinition's rules;
    /// errors name the Express member: `cpu`, `memory`, `primaryContainer.*`).
    fn express_register(
        &mut self,
        cfg: &Config,
        ctx: &Context,
        log_group: &str,
        dry_run: bool,
    ) -> ApiResult<Option<TaskDefRef>> {
        let body = ex::register_task_definition(cfg, ctx, log_group);
        let rename = |mut e: ApiError| {
            if let Some(rest) = e.field.strip_prefix("containerDefinitions[0]") {
                e.field = format!("primaryContainer{rest}");
            }
            e
        };
        let req = taskdef_rules::parse_task_definition(&body).map_err(rename)?;
        taskdef_rules::validate(&req).map_err(rename)?;
        if dry_run {
            return Ok(None);
        }
        self.register_task_definition(req, Record::Resource).map(Some).map_err(rename)
    }

    fn express_log(&mut self, event: &str, svc: &str, i: usize, total: usize, r: &ex::Resource) {
        self.log.push(
            self.now,
            EXPRESS_RESOURCE,
            json!({
                "eventName": event,
                "serviceName": svc,
                "index": i,
                "total": total,
                "resourceType": r.resource_type,
                "name": r.name,
                "arn": r.arn,
                "simulated": r.simulated,
            }),
        );
    }

    pub(super) fn create_express(&mut self, req: ex::CreateExpressGatewayService) -> ApiResult<Value> {
        self.check_express_cluster(req.cluster.as_deref())?;
        let subnets = self.subnet_ids();
        let mut cfg = ex::resolve_create(&req, &subnets)?;
        // serviceName: "If you don't specify a service name, Amazon ECS generates a unique name"
        // (API). ASSUMED format: the image's repository name, then a number if that is taken.
        let name = match &req.service_name {
            Some(n) => n.clone(),
            None => {
                let image = cfg.primary_container.as_ref().map(|c| c.image.as_str()).unwrap_or("express");
                let repo = image.rsplit('/').next().unwrap_or(image).split([':', '@']).next().unwrap_or("express");
                let base: String =
                    repo.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').take(200).collect();
                let base = if base.is_empty() { "express".to_string() } else { base };
                let mut n = base.clone();
                let mut k = 2;
                while self.state.service_by_name(&n).is_some() {
                    n = format!("{base}-{k}");
                    k += 1;
                }
                n
            }
        };
        if self.state.service_by_name(&name).is_some() {
            return Err(ApiError::new(
                "InvalidParameterException",
                "serviceName",
                format!(
                    "Creation of service was not idempotent: a service named {name} already exists in the cluster."
                ),
            ));
        }
        let mut ctx = Context {
            region: self.state.region.clone(),
            account_id: ACCOUNT_ID.to_string(),
            cluster: self.state.cluster_name.clone(),
            service_name: name.clone(),
            default_subnets: subnets,
            // ASSUMED: the playground's one VPC.
            vpc_id: "vpc-0a11ce00000000001".to_string(),
            ids: Vec::new(),
        };
        let tg_name = ex::target_group_name(&ctx);
        if self.state.elb.by_name(&tg_name).is_some() {
            return Err(ApiError::new(
                "InvalidParameterException",
                "serviceName",
                format!("A target group named {tg_name} already exists; choose another serviceName."),
            ));
        }
        // Everything is validated before anything is created.
        let log_group_probe = ex::plan(&cfg, &ctx, &[], "", "").log_group;
        let td_ref = match &cfg.task_definition_arn {
            Some(arn) => {
                let (r, port) = self.express_task_definition(arn)?;
                cfg.task_definition_port = Some(port);
                r
            }
            None => {
                self.express_register(&cfg, &ctx, &log_group_probe, true)?;
                self.express_register(&cfg, &ctx, &log_group_probe, false)?.ok_or_else(not_registered)?
            }
        };
        // Resource ids come from the seeded stream only once the call is accepted, so a
        // rejected call leaves the simulation's randomness as it was.
        ctx.ids = (0..8).map(|_| self.rng.hex(17)).collect();
        let td_arn = self.state.task_defs.get(&td_ref).map(|t| t.task_definition_arn.clone()).unwrap_or_default();
        // Through the one text deserializer of CreateTargetGroup (issue 19: no value-driven copy).
        let tg_req: CreateTargetGroup =
            crate::error::deserialize_value("ServerException", "targetGroup", &ex::create_target_group(&cfg, &ctx))?;
        let tg = self.create_target_group(&tg_req)?;
        let tg_arn = self.state.elb.arn(tg).to_string();
        let tags = req.tags.clone().unwrap_or_default();
        let plan = ex::plan(&cfg, &ctx, &tags, &td_arn, &tg_arn);
        let total = plan.resources.len();
        let mut service = None;
        for (i, r) in plan.resources.clone().iter().enumerate() {
            match r.resource_type {
                "AWS::ECS::Service" => {
                    let spec = CreateService {
                        service_name: name.clone(),
                        cluster: Some(self.state.cluster_name.clone()),
                        task_definition: format!("{}:{}", td_ref.family, td_ref.revision),
                        desired_count: Some(cfg.min_tasks() as u32),
                        launch_type: Some(LaunchType::Fargate),
                        network_configuration: Some(express_network(&plan, &cfg)),
                        load_balancers: vec![ServiceLoadBalancer {
                            target_group_arn: Some(tg_arn.clone()),
                            load_balancer_name: None,
                            container_name: ex::CONTAINER_NAME.to_string(),
                            container_port: cfg.container_port(),
                            advanced_configuration: None,
                        }],
                        // Simulated as a rolling update that keeps every task until its
                        // replacement is healthy (see `ex::CANARY_PERCENT`).
                        deployment_configuration: Some(DeploymentConfiguration {
                            maximum_percent: Some(200),
                            minimum_healthy_percent: Some(100),
                            ..Default::default()
                        }),
                        tags: r.requests.first().and_then(|q| q.input.get("tags")).cloned(),
                        ..Default::default()
                    };
                    service = Some(self.create_service(spec, Record::Resource)?);
                }
                "AWS::ApplicationAutoScaling::ScalableTarget" | "AWS::ApplicationAutoScaling::ScalingPolicy" => {
                    for q in &r.requests {
                        self.express_scaling(q.action, &q.input)?;
                    }
                }
                _ => {}
            }
            self.express_log("ResourceCreated", &name, i + 1, total, r);
        }
        let Some(service) = service else {
            return Err(ApiError::new("ServerException", "serviceName", "The service was not created."));
        };
        let svc_arn = self.state.services[service.idx()].service_arn.clone();
        let deployment_id =
            self.state.services[service.idx()].deployments.first().map(|d| d.id.clone()).unwrap_or_default();
        let rev = Revision {
            service_revision_arn: revision_arn(&self.state.region, &self.state.cluster_name, &name, &deployment_id),
            deployment_id,
            task_definition_arn: td_arn,
            config: cfg,
            created_at: self.now,
        };
        self.express.push(ExpressService {
            service_name: name,
            service_arn: svc_arn,
            service,
            target_group: tg,
            infrastructure_role_arn: req.infrastructure_role_arn.clone().unwrap_or_default(),
            tags,
            status: "ACTIVE",
            created_at: self.now,
            updated_at: self.now,
            context: ctx,
            plan,
            revisions: vec![rev],
        });
        let i = self.express.len() - 1;
        Ok(json!({"service": self.express_detail(i, true)}))
    }

    fn express_by_arn(&self, arn: Option<&str>, not_found: &'static str) -> ApiResult<usize> {
        let arn = arn
            .filter(|a| !a.is_empty())
            .ok_or_else(|| ApiError::new("InvalidParameterException", "serviceArn", "serviceArn is required."))?;
        if let Some(i) = self.express.iter().rposition(|e| e.service_arn == arn) {
            return Ok(i);
        }
        if self.state.services.iter().any(|s| s.service_arn == arn) {
            return Err(ApiError::new(
                "InvalidParameterException",
                "serviceArn",
                format!("{arn} is not an Express service (it was created with CreateService)."),
            ));
        }
        Err(ApiError::new(not_found, "serviceArn", format!("The Express service {arn} was not found.")))
    }

    fn check_active(&self, i: usize) -> ApiResult<()> {
        if self.express[i].status != "ACTIVE" {
            return Err(ApiError::new(
                "ServiceNotActiveException",
                "serviceArn",
                "The service is not ACTIVE: it is being deleted.",
            ));
        }
        Ok(())
    }

    /// UpdateExpressGatewayService: DOCUMENTED (API) "Amazon ECS creates a new service revision
    /// with updated configuration and performs a rolling deployment to replace existing tasks.
    /// The service remains available during updates". Every update therefore starts a
    /// deployment (a new task definition revision when the task's members changed), the target
    /// group takes the new health check path and the scalable target and policy the new
    /// scaling target.
    pub(super) fn update_express(&mut self, req: ex::UpdateExpressGatewayService) -> ApiResult<Value> {
        let i = self.express_by_arn(req.service_arn.as_deref(), "ServiceNotFoundException")?;
        self.check_active(i)?;
        let subnets = self.subnet_ids();
        let current = self.express[i]
            .revisions
            .last()
            .map(|r| r.config.clone())
            .ok_or_else(|| ApiError::new("ServerException", "serviceArn", "The service has no revision."))?;
        let mut next = ex::resolve_update(&current, &req, &subnets)?;
        let ctx = self.express[i].context.clone();
        let log_group = self.express[i].plan.log_group.clone();
        let s = self.express[i].service;
        // Validate first.
        let given_td = match &next.task_definition_arn {
            Some(arn) if req.task_definition_arn.is_some() => {
                let (r, port) = self.express_task_definition(arn)?;
                next.task_definition_port = Some(port);
                Some(r)
            }
            _ => None,
        };
        if given_td.is_none() && next.task_definition_arn.is_none() && ex::needs_new_revision(&current, &next) {
            self.express_register(&next, &ctx, &log_group, true)?;
        }
        if req.scaling_target.is_some() {
            // Same checks as RegisterScalableTarget would make, before anything changes.
            if next.min_tasks() > 5000 || next.max_tasks() > 5000 {
                return Err(ApiError::new(
                    "InvalidParameterException",
                    "scalingTarget.maxTaskCount",
                    "At most 5000 tasks in this playground.",
                ));
            }
        }
        // Apply.
        let td_ref = if let Some(r) = given_td {
            r
        } else if next.task_definition_arn.is_none() && ex::needs_new_revision(&current, &next) {
            self.express_register(&next, &ctx, &log_group, false)?.ok_or_else(not_registered)?
        } else {
            let d = self.state.services.get(s.idx()).and_then(|svc| svc.deployments.primary());
            match d {
                Some(d) => d.task_def.clone(),
                None => return Err(ApiError::new("ServerException", "serviceArn", "The service has no deployment.")),
            }
        };
        if next.health_check_path != current.health_check_path {
            self.state.elb.set_health_check_path(self.express[i].target_group, &next.health_check_path);
        }
        if next.network_configuration != current.network_configuration {
            let net = express_network(&self.express[i].plan, &next);
            self.state.services[s.idx()].spec.network_configuration = Some(net);
        }
        if next.scaling_target != current.scaling_target {
            let tg_arn = self.state.elb.arn(self.express[i].target_group).to_string();
            let lb_arn = self.express[i]
                .plan
                .resources
                .iter()
                .find(|r| r.resource_type == "AWS::ElasticLoadBalancingV2::LoadBalancer")
                .map(|r| r.arn.clone())
                .unwrap_or_default();
            let (target, policy) = ex::scaling_requests(&next, &ctx, &tg_arn, &lb_arn);
            for (action, body) in [("RegisterScalableTarget", target), ("PutScalingPolicy", policy)] {
                self.express_scaling(action, &body).map_err(|mut e| {
                    e.field = format!("scalingTarget ({})", e.field);
                    e
                })?;
            }
        }
        let deployment_id = self.start_deployment(s, td_ref.clone());
        let td_arn = self.state.task_defs.get(&td_ref).map(|t| t.task_definition_arn.clone()).unwrap_or_default();
        let e = &mut self.express[i];
        e.updated_at = self.now;
        e.revisions.push(Revision {
            service_revision_arn: revision_arn(&ctx.region, &ctx.cluster, &e.service_name, &deployment_id),
            deployment_id,
            task_definition_arn: td_arn,
            config: next,
            created_at: self.now,
        });
        let d = self.express_detail(i, false);
        let target = self.revision_json(i, self.express[i].revisions.len() - 1);
        Ok(json!({"service": {
            "serviceArn": d["serviceArn"],
            "cluster": d["cluster"],
            "serviceName": d["serviceName"],
            "status": d["status"],
            "targetConfiguration": target,
            "createdAt": d["createdAt"],
            "updatedAt": d["updatedAt"],
        }}))
    }

    pub(super) fn describe_express(&mut self, req: ex::DescribeExpressGatewayService) -> ApiResult<Value> {
        let i = self.express_by_arn(req.service_arn.as_deref(), "ResourceNotFoundException")?;
        let tags = req.include.contains(&ex::IncludeOption::Tags);
        Ok(json!({"service": self.express_detail(i, tags)}))
    }

    /// DeleteExpressGatewayService: DOCUMENTED (API) "The service enters a DRAINING state where
    /// existing tasks complete current requests without starting new tasks. After all tasks stop,
    /// the service and infrastructure are permanently removed." The desired count goes to 0, the
    /// scalable target and its policy are removed (so nothing scales the service back up), and
    /// one log line per resource records its removal, last created first.
    pub(super) fn delete_express(&mut self, req: ex::DeleteExpressGatewayService) -> ApiResult<Value> {
        let i = self.express_by_arn(req.service_arn.as_deref(), "ServiceNotFoundException")?;
        self.check_active(i)?;
        let s = self.express[i].service;
        let rid = format!("service/{}/{}", self.state.cluster_name, self.express[i].service_name);
        self.remove_scaling_of(&rid)?;
        // The ECS service keeps scheduling (status ACTIVE in the engine) so that desired count 0
        // stops its tasks; the Express service reports DRAINING, then INACTIVE.
        self.set_desired_count(s, 0);
        let e = &mut self.express[i];
        e.status = "DRAINING";
        e.updated_at = self.now;
        let name = e.service_name.clone();
        let resources = e.plan.resources.clone();
        let total = resources.len();
        for (k, r) in resources.iter().enumerate().rev() {
            self.express_log("ResourceDeleted", &name, k + 1, total, r);
        }
        Ok(json!({"service": self.express_detail(i, false)}))
    }

    /// DRAINING becomes INACTIVE once no task of the service is left running.
    fn express_status(&self, i: usize) -> &'static str {
        let e = &self.express[i];
        if e.status == "DRAINING" && self.state.service_tasks(e.service).all(|(_, t)| !t.is_live()) {
            "INACTIVE"
        } else {
            e.status
        }
    }

    fn revision_json(&self, i: usize, k: usize) -> Value {
        let e = &self.express[i];
        let Some(r) = e.revisions.get(k) else { return Value::Null };
        let mut v = serde_json::to_value(&r.config).unwrap_or(Value::Null);
        v["serviceRevisionArn"] = json!(r.service_revision_arn);
        v["taskDefinitionArn"] = json!(r.task_definition_arn);
        v["cpuArchitecture"] = json!(r.config.cpu_architecture.as_str());
        v["scalingTarget"] = json!({
            "minTaskCount": r.config.min_tasks(),
            "maxTaskCount": r.config.max_tasks(),
            "autoScalingMetric": r.config.metric().as_str(),
            "autoScalingTargetValue": r.config.target_value(),
        });
        v["networkConfiguration"] = json!({"subnets": e.plan.subnets, "securityGroups": e.plan.task_security_groups});
        v["ingressPaths"] = json!([{"accessType": "PUBLIC", "endpoint": e.plan.endpoint}]);
        v["createdAt"] = json!(secs(r.created_at));
        v
    }

    /// The `ECSExpressGatewayService` shape.
    fn express_detail(&self, i: usize, with_tags: bool) -> Value {
        let e = &self.express[i];
        let svc = &self.state.services[e.service.idx()];
        let live: Vec<&str> = svc.deployments.not_inactive().map(|d| d.id.as_str()).collect();
        let active: Vec<Value> = e
            .revisions
            .iter()
            .enumerate()
            .filter(|(_, r)| live.contains(&r.deployment_id.as_str()))
            .map(|(k, _)| self.revision_json(i, k))
            .collect();
        let current = svc.deployments.primary().map(|d| d.id.clone());
        let status = self.express_status(i);
        let mut v = json!({
            "cluster": self.state.cluster_arn,
            "serviceName": e.service_name,
            "serviceArn": e.service_arn,
            "infrastructureRoleArn": e.infrastructure_role_arn,
            "status": {"statusCode": status},
            "currentDeployment": current,
            "activeConfigurations": active,
            "createdAt": secs(e.created_at),
            "updatedAt": secs(e.updated_at),
        });
        if with_tags {
            v["tags"] = json!(e.tags);
        }
        v
    }

    /// "Show what was created": the resources of the Express service named `service_name` (as the
    /// console lists them, in creation order), the equivalent explicit requests in AWS shapes, and
    /// the Terraform export of the simulated resources plus the described ones. `None` if no
    /// Express service has that name. Pure: reads the simulation only.
    pub fn express_view(&self, service_name: &str) -> Option<Value> {
        self.express_view_typed(service_name).and_then(|v| serde_json::to_value(v).ok())
    }

    /// `express_view` as a typed value.
    pub fn express_view_typed(&self, service_name: &str) -> Option<ex::ExpressView> {
        let (mut v, setup) = self.express_view_unrendered(service_name)?;
        v.terraform = crate::export::terraform::render(&setup) + &v.terraform;
        Some(v)
    }

    /// `express_view_typed` without `export::terraform::render`, whose input it returns: its
    /// `terraform` holds only the described resources, which follow the rendered setup. What the
    /// web app reads (issue 19: it renders the setup in its on-demand module, so the Terraform
    /// renderer is not in the app's wasm).
    pub fn express_view_unrendered(&self, service_name: &str) -> Option<(ex::ExpressView, crate::export::Setup)> {
        let i = self.express.iter().rposition(|e| e.service_name == service_name)?;
        let e = &self.express[i];
        let requests: Vec<ex::Request> = e.plan.resources.iter().flat_map(|r| r.requests.iter().cloned()).collect();
        let view = ex::ExpressView {
            service_name: e.service_name.clone(),
            service_arn: e.service_arn.clone(),
            endpoint: e.plan.endpoint.clone(),
            status: self.express_status(i).to_string(),
            resources: e.plan.resources.clone(),
            requests,
            simulated_deployment: "ECS rolling update, minimumHealthyPercent 100, maximumPercent 200 (the documented canary traffic shift is not simulated)".into(),
            terraform: crate::export::terraform::described_resources(&e.plan),
        };
        Some((view, self.express_setup(i)))
    }

    /// The Terraform export's input for Express service `i`: its task definition, service,
    /// target group and scaling.
    fn express_setup(&self, i: usize) -> crate::export::Setup {
        let e = &self.express[i];
        let svc = &self.state.services[e.service.idx()];
        let td = svc.deployments.primary().and_then(|d| self.state.task_defs.get(&d.task_def)).map(|t| {
            let mut r = t.request.clone();
            r.other.retain(|k, _| !taskdef_rules::DESCRIBE_OUTPUT_FIELDS.contains(&k.as_str()));
            r
        });
        let mut spec = svc.spec.clone();
        spec.cluster = Some(self.state.cluster_name.clone());
        spec.desired_count = Some(svc.desired_count);
        if let Some(r) = self.state.task_defs.resolve(&spec.task_definition) {
            spec.task_definition = r.family;
        }
        let rid = format!("service/{}/{}", self.state.cluster_name, e.service_name);
        let mut scaling: crate::autoscaling::types::ScalingSection = self
            .scenario
            .scaling
            .as_ref()
            .and_then(|v| crate::autoscaling::types::parse_section(v).ok())
            .unwrap_or_default();
        scaling.scalable_targets.retain(|t| t.resource_id == rid);
        scaling.scaling_policies.retain(|p| p.resource_id == rid);
        scaling.scheduled_actions.retain(|a| a.resource_id == rid);
        scaling.alarms.clear();
        crate::export::Setup {
            cluster: self.state.cluster_name.clone(),
            region: self.state.region.clone(),
            task_definitions: td.into_iter().collect(),
            services: vec![spec],
            target_groups: vec![self.state.elb.group(e.target_group).spec.clone()],
            scaling,
            // Express Mode services run on Fargate: no capacity provider of the cluster's own.
            auto_scaling_groups: Vec::new(),
            capacity_providers: Vec::new(),
            cluster_capacity_providers: None,
            listener_rules: Vec::new(),
            metric_alarms: Vec::new(),
            code_deploy_deployment_groups: Vec::new(),
        }
    }
}

/// A register call that applied nothing: the one error both Create and Update give for it.
fn not_registered() -> ApiError {
    ApiError::new("ServerException", "taskDefinition", "The task definition was not registered.")
}

/// The service's `networkConfiguration` (CreateService shape) from the plan and a configuration.
fn express_network(plan: &Plan, cfg: &Config) -> Value {
    let subnets = cfg.network_configuration.subnets.clone().unwrap_or_else(|| plan.subnets.clone());
    let sgs = cfg.network_configuration.security_groups.clone().unwrap_or_else(|| plan.task_security_groups.clone());
    json!({"awsvpcConfiguration": {
        "subnets": subnets,
        "securityGroups": sgs,
        "assignPublicIp": if cfg.network_configuration.subnets.is_none() { "ENABLED" } else { "DISABLED" },
    }})
}

/// Service revision ARN: `arn:aws:ecs:<region>:<account>:service-revision/<cluster>/<service>/<id>`
/// (ECS service revisions). ASSUMED: the id is the deployment's number.
fn revision_arn(region: &str, cluster: &str, service: &str, deployment_id: &str) -> String {
    let id = deployment_id.rsplit('/').next().unwrap_or(deployment_id);
    format!("arn:aws:ecs:{region}:{ACCOUNT_ID}:service-revision/{cluster}/{service}/{id}")
}
