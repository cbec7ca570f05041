//! Amazon ECS Express Mode: what one CreateExpressGatewayService call builds, the API's
//! validation errors, and an update rolling out. Each test names the document it checks:
//! - API: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateExpressGatewayService.html
//!   (and API_UpdateExpressGatewayService.html, API_DeleteExpressGatewayService.html)
//! - Guide: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod botocore;

use ecs_sim::sim::express::EXPRESS_RESOURCE;
use ecs_sim::{ApiError, Simulation};
use serde_json::{json, Value};

const EXEC: &str = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";
const INFRA: &str = "arn:aws:iam::123456789012:role/ecsInfrastructureRoleForExpressServices";

fn sim() -> Simulation {
    ecs_sim::load(r#"{"seed": 7, "cluster": "default", "availabilityZones": ["us-east-1a", "us-east-1b"]}"#, None)
        .expect("empty Fargate scenario loads")
}

fn minimal() -> Value {
    json!({
        "serviceName": "hello",
        "executionRoleArn": EXEC,
        "infrastructureRoleArn": INFRA,
        "primaryContainer": {"image": "public.ecr.aws/nginx/nginx:1.27"}
    })
}

fn resource_lines(sim: &Simulation, event: &str) -> Vec<(String, String, bool)> {
    sim.log()
        .entries()
        .iter()
        .filter(|e| e.detail_type == EXPRESS_RESOURCE && e.detail["eventName"] == event)
        .map(|e| {
            (
                e.detail["resourceType"].as_str().unwrap_or_default().to_string(),
                e.detail["name"].as_str().unwrap_or_default().to_string(),
                e.detail["simulated"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

fn err(sim: &mut Simulation, input: Value) -> ApiError {
    sim.apply_json("CreateExpressGatewayService", &input).expect_err("the call is rejected")
}

/// Guide, "The following resources are created": a task definition, a service, an Application
/// Load Balancer with an HTTPS listener, listener rules and target groups, security groups, a
/// scalable target and target tracking policy, a log group, a metric alarm and an ACM
/// certificate. One minimal call (image, execution role, infrastructure role) logs each of them
/// in creation order; the simulated ones are normal engine objects.
#[test]
fn minimal_call_creates_thirteen_resources_in_order() {
    let mut sim = sim();
    let resp = sim.apply_json("CreateExpressGatewayService", &minimal()).expect("created");
    assert_eq!(resp["service"]["serviceName"], "hello");
    assert_eq!(resp["service"]["status"]["statusCode"], "ACTIVE");
    let types: Vec<String> = resource_lines(&sim, "ResourceCreated").into_iter().map(|r| r.0).collect();
    assert_eq!(
        types,
        [
            "AWS::Logs::LogGroup",
            "AWS::ECS::TaskDefinition",
            "AWS::EC2::SecurityGroup",
            "AWS::EC2::SecurityGroup",
            "AWS::CertificateManager::Certificate",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            "AWS::ElasticLoadBalancingV2::Listener",
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            "AWS::CloudWatch::Alarm",
            "AWS::ECS::Service",
            "AWS::ApplicationAutoScaling::ScalableTarget",
            "AWS::ApplicationAutoScaling::ScalingPolicy",
        ]
    );
    let st = sim.state();
    // The task definition: defaults of the Guide's "Task definition defaults" (cpu 1024, memory
    // 2048, awsvpc, FARGATE), container Main on port 80 (API: "defaults to 80").
    let td = st.task_defs.resolve("hello").and_then(|r| st.task_defs.get(&r).cloned()).expect("registered");
    assert_eq!(td.cpu_units, Some(1024));
    assert_eq!(td.memory_mib, Some(2048));
    assert!(td.is_fargate_compatible());
    assert_eq!(td.containers()[0].name, "Main");
    assert_eq!(td.containers()[0].port_mappings[0].container_port, Some(80));
    // The target group: ip targets (awsvpc), health check path /ping (API default).
    let tg = st.elb.target_groups().iter().find(|t| t.name == "hello-tg").expect("target group");
    assert_eq!(tg.health_check_path, "/ping");
    assert_eq!(tg.target_type, "ip");
    assert_eq!(tg.port, 80);
    // The service: Fargate, behind the target group, zero-downtime rolling percentages.
    let svc = &st.services[st.service_by_name("hello").expect("service").idx()];
    assert_eq!(svc.launch_type, ecs_sim::scenario::LaunchType::Fargate);
    assert_eq!((svc.minimum_healthy_percent, svc.maximum_percent), (100, 200));
    assert_eq!(svc.desired_count, 1);
    // Scaling: the scalable target and a target tracking policy on CPU at 60 (API defaults).
    let scaling = sim.scenario().scaling.clone().expect("scaling section");
    assert_eq!(scaling["ScalableTargets"][0]["ResourceId"], "service/default/hello");
    let tt = &scaling["ScalingPolicies"][0]["TargetTrackingScalingPolicyConfiguration"];
    assert_eq!(tt["TargetValue"], 60.0);
    assert_eq!(tt["PredefinedMetricSpecification"]["PredefinedMetricType"], "ECSServiceAverageCPUUtilization");
    // Then tasks start and register: the target becomes healthy on /ping.
    sim.run_until(300_000);
    let tg = sim.state().elb.target_groups().iter().find(|t| t.name == "hello-tg").expect("target group");
    assert_eq!(tg.targets.iter().filter(|t| t.state == ecs_sim::model::TargetHealthState::Healthy).count(), 1);
}

/// Every member of CreateExpressGatewayService (botocore service-2.json) is honoured: the
/// container's port, command, environment, secrets, log configuration; the task role; cpu/memory
/// and ARM64; the scaling target; the health check path; the caller's subnets and security
/// groups (then Express Mode creates no task security group - API, networkConfiguration: "If
/// not provided, Amazon ECS will ... create appropriate security groups automatically"); tags.
#[test]
fn call_with_every_member() {
    let mut sim = sim();
    let subnet = sim.state().azs[1].subnet_id.clone();
    let input = json!({
        "serviceName": "api",
        "cluster": "default",
        "executionRoleArn": EXEC,
        "infrastructureRoleArn": INFRA,
        "taskRoleArn": "arn:aws:iam::123456789012:role/apiTaskRole",
        "healthCheckPath": "/health",
        "primaryContainer": {
            "image": "public.ecr.aws/docker/library/httpd:2.4",
            "containerPort": 8080,
            "awsLogsConfiguration": {"logGroup": "/custom/api", "logStreamPrefix": "api"},
            "repositoryCredentials": {"credentialsParameter": "arn:aws:secretsmanager:us-east-1:123456789012:secret:hub"},
            "command": ["httpd-foreground"],
            "environment": [{"name": "MODE", "value": "prod"}],
            "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/db"}]
        },
        "networkConfiguration": {"subnets": [subnet], "securityGroups": ["sg-0123456789abcdef0"]},
        "cpu": "512",
        "memory": "1024",
        "cpuArchitecture": "ARM64",
        "scalingTarget": {"minTaskCount": 2, "maxTaskCount": 6, "autoScalingMetric": "REQUEST_COUNT_PER_TARGET", "autoScalingTargetValue": 100},
        "tags": [{"key": "team", "value": "web"}]
    });
    let resp = sim.apply_json("CreateExpressGatewayService", &input).expect("created");
    let lines = resource_lines(&sim, "ResourceCreated");
    assert_eq!(lines.len(), 12, "no task security group when the caller gives one: {lines:?}");
    assert_eq!(lines.iter().filter(|l| l.0 == "AWS::EC2::SecurityGroup").count(), 1);
    assert!(lines.iter().any(|l| l.0 == "AWS::Logs::LogGroup" && l.1 == "/custom/api"));
    let st = sim.state();
    let td = st.task_defs.resolve("api").and_then(|r| st.task_defs.get(&r).cloned()).expect("registered");
    assert_eq!((td.cpu_units, td.memory_mib), (Some(512), Some(1024)));
    let body = serde_json::to_value(&td.request).expect("json");
    assert_eq!(body["runtimePlatform"]["cpuArchitecture"], "ARM64");
    assert_eq!(body["taskRoleArn"], "arn:aws:iam::123456789012:role/apiTaskRole");
    let c = &body["containerDefinitions"][0];
    assert_eq!(c["portMappings"][0]["containerPort"], 8080);
    assert_eq!(c["command"], json!(["httpd-foreground"]));
    assert_eq!(c["environment"][0]["name"], "MODE");
    assert_eq!(c["secrets"][0]["name"], "DB_PASSWORD");
    assert_eq!(c["logConfiguration"]["options"]["awslogs-group"], "/custom/api");
    let tg = st.elb.target_groups().iter().find(|t| t.name == "api-tg").expect("target group");
    assert_eq!((tg.health_check_path.as_str(), tg.port), ("/health", 8080));
    let svc = &st.services[st.service_by_name("api").expect("service").idx()];
    assert_eq!(svc.desired_count, 2, "desired count starts at minTaskCount");
    let net = &svc.spec.network_configuration.as_ref().expect("network")["awsvpcConfiguration"];
    assert_eq!(net["subnets"], json!([subnet]));
    assert_eq!(net["securityGroups"], json!(["sg-0123456789abcdef0"]));
    let scaling = sim.scenario().scaling.clone().expect("scaling");
    assert_eq!(
        (scaling["ScalableTargets"][0]["MinCapacity"].as_i64(), scaling["ScalableTargets"][0]["MaxCapacity"].as_i64()),
        (Some(2), Some(6))
    );
    let spec =
        &scaling["ScalingPolicies"][0]["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"];
    assert_eq!(spec["PredefinedMetricType"], "ALBRequestCountPerTarget");
    assert!(spec["ResourceLabel"].as_str().unwrap_or_default().contains("/targetgroup/api-tg/"));
    // DescribeExpressGatewayService with include TAGS returns the tags.
    let arn = resp["service"]["serviceArn"].clone();
    let d = sim
        .apply_json("DescribeExpressGatewayService", &json!({"serviceArn": arn, "include": ["TAGS"]}))
        .expect("described");
    assert_eq!(d["service"]["tags"], json!([{"key": "team", "value": "web"}]));
    assert_eq!(d["service"]["activeConfigurations"][0]["healthCheckPath"], "/health");
    assert_eq!(
        d["service"]["activeConfigurations"][0]["scalingTarget"]["autoScalingMetric"],
        "REQUEST_COUNT_PER_TARGET"
    );
}

/// The API's validation, each error naming its member with the API's exception:
/// - botocore: `infrastructureRoleArn` is required; `cpuArchitecture` and `autoScalingMetric`
///   are enums; `primaryContainer.image` is required; at most 50 tags;
/// - API, `taskDefinitionArn`: "you cannot also specify primaryContainer, executionRoleArn,
///   taskRoleArn, cpu, memory, or cpuArchitecture";
/// - API, `healthCheckPath`: "must start with a forward slash";
/// - API, `serviceName`: up to 255 letters, numbers, underscores and hyphens, unique in the cluster;
/// - API, `cluster` (ClusterNotFoundException); Fargate CPU/memory pairs (RegisterTaskDefinition).
#[test]
fn validation_errors_name_the_member() {
    let mut sim = sim();
    let mut no_infra = minimal();
    no_infra.as_object_mut().unwrap().remove("infrastructureRoleArn");
    let e = err(&mut sim, no_infra);
    assert_eq!((e.exception, e.field.as_str()), ("InvalidParameterException", "infrastructureRoleArn"));

    let mut both = minimal();
    both["taskDefinitionArn"] = json!("arn:aws:ecs:us-east-1:123456789012:task-definition/web:1");
    let e = err(&mut sim, both);
    assert_eq!((e.exception, e.field.as_str()), ("InvalidParameterException", "primaryContainer"));

    let mut bad_path = minimal();
    bad_path["healthCheckPath"] = json!("health");
    let e = err(&mut sim, bad_path);
    assert_eq!(e.field, "healthCheckPath");

    let mut bad_name = minimal();
    bad_name["serviceName"] = json!("my service");
    assert_eq!(err(&mut sim, bad_name).field, "serviceName");

    let mut arch = minimal();
    arch["cpuArchitecture"] = json!("ARM");
    assert_eq!(err(&mut sim, arch).field, "input.cpuArchitecture");

    let mut metric = minimal();
    metric["scalingTarget"] = json!({"autoScalingMetric": "CPU"});
    assert_eq!(err(&mut sim, metric).field, "input.scalingTarget.autoScalingMetric");

    let mut no_image = minimal();
    no_image["primaryContainer"] = json!({"containerPort": 80});
    assert_eq!(err(&mut sim, no_image).field, "input.primaryContainer");

    let mut tags = minimal();
    tags["tags"] = json!((0..51).map(|i| json!({"key": format!("k{i}"), "value": "v"})).collect::<Vec<_>>());
    assert_eq!(err(&mut sim, tags).field, "tags");

    let mut cluster = minimal();
    cluster["cluster"] = json!("prod");
    assert_eq!(err(&mut sim, cluster).exception, "ClusterNotFoundException");

    let mut pair = minimal();
    pair["cpu"] = json!("256");
    pair["memory"] = json!("4096");
    let e = err(&mut sim, pair);
    assert_eq!((e.exception, e.field.as_str()), ("ClientException", "memory"));

    let mut no_exec = minimal();
    no_exec.as_object_mut().unwrap().remove("executionRoleArn");
    assert_eq!(err(&mut sim, no_exec).field, "executionRoleArn");

    let mut range = minimal();
    range["scalingTarget"] = json!({"minTaskCount": 5, "maxTaskCount": 2});
    assert_eq!(err(&mut sim, range).field, "scalingTarget.minTaskCount");

    // Nothing was created by the rejected calls; the next valid call still works, and a second
    // call with the same name is rejected.
    assert!(sim.state().services.is_empty());
    assert!(sim.state().elb.target_groups().is_empty());
    sim.apply_json("CreateExpressGatewayService", &minimal()).expect("created");
    assert_eq!(err(&mut sim, minimal()).field, "serviceName");
}

/// API, UpdateExpressGatewayService: "Amazon ECS creates a new service revision with updated
/// configuration and performs a rolling deployment to replace existing tasks. The service
/// remains available during updates". A new image rolls out: a second task definition revision,
/// new tasks become healthy before old ones stop, and at no moment are fewer healthy targets
/// registered than the service's desired count.
#[test]
fn update_rolls_out_without_downtime() {
    let mut sim = sim();
    let mut input = minimal();
    input["scalingTarget"] = json!({"minTaskCount": 2, "maxTaskCount": 4});
    let arn = sim.apply_json("CreateExpressGatewayService", &input).expect("created")["service"]["serviceArn"].clone();
    sim.run_until(400_000);
    let healthy = |sim: &Simulation| {
        sim.state().elb.target_groups()[0]
            .targets
            .iter()
            .filter(|t| t.state == ecs_sim::model::TargetHealthState::Healthy)
            .count()
    };
    assert_eq!(healthy(&sim), 2);
    let up = sim
        .apply_json(
            "UpdateExpressGatewayService",
            &json!({"serviceArn": arn, "primaryContainer": {"image": "public.ecr.aws/nginx/nginx:1.28"}, "healthCheckPath": "/ready"}),
        )
        .expect("updated");
    assert!(up["service"]["targetConfiguration"]["taskDefinitionArn"]
        .as_str()
        .unwrap_or_default()
        .ends_with("task-definition/hello:2"));
    assert_eq!(sim.state().elb.target_groups()[0].health_check_path, "/ready");
    let mut min_healthy = usize::MAX;
    let mut t = 400_000;
    while t < 1_500_000 {
        t += 5_000;
        sim.run_until(t);
        min_healthy = min_healthy.min(healthy(&sim));
    }
    assert!(min_healthy >= 2, "healthy targets dropped to {min_healthy} during the update");
    let st = sim.state();
    let svc = &st.services[0];
    let running: Vec<_> = st
        .service_tasks(ecs_sim::model::ServiceId(0))
        .filter(|(_, t)| t.last_status == ecs_sim::model::TaskStatus::Running)
        .map(|(_, t)| t.task_definition_arn.clone())
        .collect();
    assert_eq!(running.len(), 2);
    assert!(running.iter().all(|a| a.ends_with(":2")), "{running:?}");
    assert_eq!(svc.deployments.iter().filter(|d| d.status != ecs_sim::model::DeploymentStatus::Inactive).count(), 1);
    // Describe shows one active configuration again once the old revision's tasks are gone.
    let d = sim.apply_json("DescribeExpressGatewayService", &json!({"serviceArn": arn})).expect("described");
    assert_eq!(d["service"]["activeConfigurations"].as_array().map(Vec::len), Some(1));
    // Update of a service that does not exist / an unknown member.
    let e = sim
        .apply_json(
            "UpdateExpressGatewayService",
            &json!({"serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/default/nope"}),
        )
        .expect_err("not found");
    assert_eq!(e.exception, "ServiceNotFoundException");
    let e = sim
        .apply_json("UpdateExpressGatewayService", &json!({"serviceArn": arn, "infrastructureRoleArn": INFRA}))
        .expect_err("not updatable");
    assert_eq!(e.field, "input.infrastructureRoleArn");
}

/// API, DeleteExpressGatewayService: "The service enters a DRAINING state where existing tasks
/// complete current requests without starting new tasks. After all tasks stop, the service and
/// infrastructure are permanently removed." Later calls get ServiceNotActiveException.
#[test]
fn delete_drains_then_inactive() {
    let mut sim = sim();
    let arn =
        sim.apply_json("CreateExpressGatewayService", &minimal()).expect("created")["service"]["serviceArn"].clone();
    sim.run_until(300_000);
    let d = sim.apply_json("DeleteExpressGatewayService", &json!({"serviceArn": arn})).expect("deleted");
    assert_eq!(d["service"]["status"]["statusCode"], "DRAINING");
    assert_eq!(resource_lines(&sim, "ResourceDeleted").len(), 13);
    sim.run_until(1_200_000);
    let d = sim.apply_json("DescribeExpressGatewayService", &json!({"serviceArn": arn})).expect("described");
    assert_eq!(d["service"]["status"]["statusCode"], "INACTIVE");
    assert!(sim.state().tasks.iter().all(|t| !t.is_live()));
    let e = sim.apply_json("DeleteExpressGatewayService", &json!({"serviceArn": arn})).expect_err("already deleted");
    assert_eq!(e.exception, "ServiceNotActiveException");
}

/// The "show what was created" view lists the resources and the equivalent explicit requests,
/// and its Terraform has the simulated resources and the described ones.
#[test]
fn view_lists_resources_requests_and_terraform() {
    let mut sim = sim();
    sim.apply_json("CreateExpressGatewayService", &minimal()).expect("created");
    let v = sim.express_view("hello").expect("view");
    assert_eq!(v["resources"].as_array().map(Vec::len), Some(13));
    let actions: Vec<&str> =
        v["requests"].as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap_or_default()).collect();
    for a in [
        "RegisterTaskDefinition",
        "CreateLoadBalancer",
        "CreateTargetGroup",
        "CreateListener",
        "CreateService",
        "RegisterScalableTarget",
        "PutScalingPolicy",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    // The explicit CreateService request is one the engine accepts as a CreateService body.
    let cs = v["requests"].as_array().unwrap().iter().find(|r| r["action"] == "CreateService").unwrap();
    serde_json::from_value::<ecs_sim::scenario::CreateService>(cs["input"].clone()).expect("CreateService shape");
    let tf = v["terraform"].as_str().unwrap_or_default();
    for block in [
        "aws_ecs_task_definition",
        "aws_lb_target_group",
        "aws_ecs_service",
        "aws_appautoscaling_policy",
        "aws_lb\"",
        "aws_lb_listener",
        "aws_security_group",
    ] {
        assert!(tf.contains(&format!("resource \"{block}")), "{block} missing");
    }
    assert!(sim.express_view("nope").is_none());
}

/// The equivalent explicit requests of the "show what was created" view are what botocore's
/// service models accept (RegisterTaskDefinitionRequest, CreateServiceRequest,
/// CreateTargetGroupInput, RegisterScalableTargetRequest, PutScalingPolicyRequest), for a
/// minimal call and for a call with every member.
#[test]
fn equivalent_requests_match_the_service_models() {
    let (ecs, elbv2, aas) = (botocore::ecs(), botocore::elbv2(), botocore::application_autoscaling());
    let mut st = botocore::Stats::default();
    let mut sim = sim();
    sim.apply_json("CreateExpressGatewayService", &minimal()).expect("created");
    let mut full = minimal();
    full["serviceName"] = json!("full");
    full["taskRoleArn"] = json!("arn:aws:iam::123456789012:role/appRole");
    full["primaryContainer"] = json!({"image": "public.ecr.aws/nginx/nginx:1.27", "containerPort": 8080,
        "command": ["nginx"], "environment": [{"name": "A", "value": "1"}],
        "secrets": [{"name": "S", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/s"}]});
    full["scalingTarget"] = json!({"minTaskCount": 2, "maxTaskCount": 5, "autoScalingMetric": "REQUEST_COUNT_PER_TARGET", "autoScalingTargetValue": 200});
    full["tags"] = json!([{"key": "team", "value": "web"}]);
    sim.apply_json("CreateExpressGatewayService", &full).expect("created");
    let mut checked = 0;
    for name in ["hello", "full"] {
        let v = sim.express_view(name).expect("view");
        for q in v["requests"].as_array().expect("requests") {
            let (model, shape) = match q["action"].as_str().unwrap_or_default() {
                "RegisterTaskDefinition" => (&ecs, "RegisterTaskDefinitionRequest"),
                "CreateService" => (&ecs, "CreateServiceRequest"),
                "CreateTargetGroup" => (&elbv2, "CreateTargetGroupInput"),
                "RegisterScalableTarget" => (&aas, "RegisterScalableTargetRequest"),
                "PutScalingPolicy" => (&aas, "PutScalingPolicyRequest"),
                _ => continue,
            };
            let errs = model.validate(shape, &q["input"], "", &mut st);
            assert!(errs.is_empty(), "{name} {shape}: {errs:?}");
            checked += 1;
        }
    }
    assert_eq!(checked, 10);
}
