//! Rules of issue 16, each checked against the AWS documentation page it cites: behaviour the
//! engine used to get wrong, API rules it let through, and real input it refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;
use common::*;
use serde_json::{json, Value};

fn started_events(sim: &ecs_sim::Simulation) -> Vec<f64> {
    events(sim).into_iter().filter(|e| e.1.contains("has started")).map(|e| e.0).collect()
}

// ---------------------------------------------------------------------------------------------
// Service throttle logic
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-throttle-logic.html
// ---------------------------------------------------------------------------------------------

/// "If you update your service to use a new task definition, your service returns to a normal,
/// non-throttled state immediately." A crash-looping service, throttled for many minutes, is
/// updated to a revision whose image exists: its first new task starts at once and runs.
#[test]
fn a_new_task_definition_ends_the_throttle_immediately() {
    let mut sc = scenario("crash-loop-backoff");
    sc["containerBehaviors"][0]["taskDefinition"] = json!("web:1");
    let mut sim = run_value(&sc, 1000);
    let before = started_events(&sim);
    assert!(before.len() >= 5, "throttled retries: {before:?}");
    let mut td = scenario("crash-loop-backoff")["taskDefinitions"][0].clone();
    td["containerDefinitions"][0]["image"] = json!("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0");
    act(&mut sim, "RegisterTaskDefinition", td).expect("registers web:2");
    act(&mut sim, "UpdateService", json!({"service": "web", "taskDefinition": "web:2"})).expect("update");
    sim.run_until(1060 * 1000);
    let after: Vec<f64> = started_events(&sim).into_iter().filter(|t| *t >= 1000.0).collect();
    assert!(!after.is_empty() && after[0] < 1005.0, "the new deployment launches at once: {after:?}");
    assert_eq!(service(&sim.snapshot(), "web")["runningCount"], 2);
}

/// "the time between subsequent restart attempts is incrementally increased": the delay grows per
/// failed restart attempt of the service, not per failed task, and the event message comes "if
/// your service initiates the throttle logic" - not on the first failure. A service of desired 2
/// (two tasks per attempt) gets at least 8 attempts in its first hour, each gap no shorter than the
/// one before, and the message only after the second attempt failed.
#[test]
fn the_throttle_counts_failed_attempts_and_speaks_when_it_engages() {
    let sim = run_value(&scenario("crash-loop-backoff"), 3600);
    let starts = started_events(&sim);
    assert!(starts.len() >= 8, "attempts in the first hour: {starts:?}");
    let msg = events(&sim)
        .into_iter()
        .find(|e| e.1 == "(service web) is unable to consistently start tasks successfully.")
        .expect("throttle message");
    assert!(msg.0 > starts[1], "message at {} comes after the second attempt at {}", msg.0, starts[1]);
    assert!(msg.0 < starts[2], "and before the first delayed attempt at {}", starts[2]);
    // The first retry is immediate; from the second the gaps grow, at most 27 minutes (+ the time
    // an attempt takes to fail).
    let gaps: Vec<f64> = starts.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps[0] < 15.0, "{gaps:?}");
    assert!(gaps[1..].windows(2).all(|g| g[1] >= g[0]), "gaps never shrink: {gaps:?}");
    assert!(gaps.iter().all(|g| *g <= 27.0 * 60.0 + 30.0), "{gaps:?}");
}

/// A small EC2 cluster and one service without load balancer nor container health check.
fn plain_service(desired: u32) -> Value {
    json!({
        "seed": 3,
        "availabilityZones": ["us-east-1a", "us-east-1b"],
        "containerInstances": [{"instanceType": "m5.large", "availabilityZone": "us-east-1a"},
                               {"instanceType": "m5.large", "availabilityZone": "us-east-1b"}],
        "taskDefinitions": [{"family": "web", "networkMode": "bridge", "requiresCompatibilities": ["EC2"],
            "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "cpu": 256, "memory": 512,
                "portMappings": [{"containerPort": 80, "hostPort": 0}]}]}],
        "services": [{"serviceName": "web", "taskDefinition": "web:1", "desiredCount": desired}],
    })
}

// ---------------------------------------------------------------------------------------------
// Deployment completion and the 40-second rule
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html
// ---------------------------------------------------------------------------------------------

/// "If a task has no essential containers with a health check defined, the service scheduler will
/// wait for 40 seconds after a task reaches a RUNNING state before the task is counted towards the
/// minimum healthy percent total." The same rule decides when the service's first deployment
/// completes ("When the service reaches a steady state, the rollout state transitions to
/// COMPLETED", deployment-circuit-breaker): not before 40 s after the last task is RUNNING.
#[test]
fn deployment_completes_only_once_tasks_count_as_healthy() {
    let sim = run_value(&plain_service(2), 300);
    let running: Vec<f64> = task_changes(&sim).into_iter().filter(|c| c.2 == "RUNNING").map(|c| c.0).collect();
    assert_eq!(running.len(), 2);
    let last_running = running.iter().cloned().fold(0.0, f64::max);
    let ev = events(&sim);
    let completed = ev.iter().find(|e| e.1.contains("deployment completed")).expect("completes");
    let steady = ev.iter().find(|e| e.1 == "(service web) has reached a steady state.").expect("steady");
    assert!(completed.0 >= last_running + 39.999, "completed at {} < RUNNING {} + 40 s", completed.0, last_running);
    assert!(steady.0 >= last_running + 39.999);
    assert!(completed.0 <= last_running + 41.0, "and right when the wait ends: {}", completed.0);
}

// ---------------------------------------------------------------------------------------------
// Task lifecycle
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html
// ---------------------------------------------------------------------------------------------

/// "DEACTIVATING: Amazon ECS must perform additional steps before the task is stopped. For
/// example, for tasks that are part of services that are configured to use Elastic Load Balancing
/// target groups, target group deregistration occurs during this state." A task with nothing to
/// deregister goes from RUNNING to STOPPING; a task behind a target group drains in DEACTIVATING.
#[test]
fn only_tasks_behind_a_target_group_pass_through_deactivating() {
    let sc = plain_service(1);
    let mut sim = ecs_sim::load(&sc.to_string(), None).expect("loads");
    sim.run_until(100_000);
    let arn = sim.snapshot()["tasks"][0]["taskArn"].as_str().unwrap().to_string();
    act(&mut sim, "StopTask", json!({"task": arn})).expect("stops");
    sim.run_until(300_000);
    let seq: Vec<String> = task_changes(&sim).into_iter().filter(|c| c.1 == arn).map(|c| c.2).collect::<Vec<_>>();
    let after_running: Vec<&str> = seq.iter().skip_while(|s| *s != "RUNNING").map(|s| s.as_str()).collect();
    assert_eq!(after_running, ["RUNNING", "STOPPING", "STOPPED"], "{seq:?}");

    // Behind an ALB: the killed task deregisters in DEACTIVATING.
    let sim = run_value(&scenario("task-replacement"), 240);
    let stopped = task_changes(&sim).into_iter().find(|c| c.2 == "STOPPED").expect("a task stops").1;
    let seq: Vec<String> = task_changes(&sim).into_iter().filter(|c| c.1 == stopped).map(|c| c.2).collect();
    assert!(seq.windows(2).any(|w| w[0] == "RUNNING" && w[1] == "DEACTIVATING"), "{seq:?}");
    assert!(seq.windows(2).any(|w| w[0] == "DEACTIVATING" && w[1] == "STOPPING"), "{seq:?}");
}

// ---------------------------------------------------------------------------------------------
// A FAILED deployment without rollback
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentCircuitBreaker.html
// ---------------------------------------------------------------------------------------------

/// "If it is turned on, a service deployment will transition to a failed state and stop launching
/// new tasks." Without rollback the FAILED deployment stays PRIMARY: a killed task of the old
/// revision is not replaced and a raised desiredCount launches nothing (an event says why and what
/// starts a new deployment), but a lowered desiredCount still stops tasks - stopping is not
/// launching.
#[test]
fn a_failed_deployment_without_rollback_launches_nothing_but_still_scales_in() {
    let mut sc = plain_service(3);
    sc["services"][0]["deploymentConfiguration"] =
        json!({"deploymentCircuitBreaker": {"enable": true, "rollback": false}});
    let mut td2 = sc["taskDefinitions"][0].clone();
    td2["containerDefinitions"][0]["image"] = json!("nginx:broken");
    sc["taskDefinitions"].as_array_mut().unwrap().push(td2);
    sc["containerBehaviors"] = json!([{"taskDefinition": "web:2", "containerName": "web", "imagePullFails": true}]);
    sc["timeline"] =
        json!([{"at": 120, "action": "UpdateService", "input": {"service": "web", "taskDefinition": "web:2"}}]);
    let mut sim = ecs_sim::load(&sc.to_string(), None).expect("loads");
    sim.run_until(600_000);
    let snap = sim.snapshot();
    let deps = service(&snap, "web")["deployments"].as_array().unwrap().clone();
    let failed = deps.iter().find(|d| d["rolloutState"] == "FAILED").expect("the breaker tripped");
    assert_eq!(failed["status"], "PRIMARY");
    assert_eq!(service(&snap, "web")["runningCount"], 3, "the old tasks keep running");

    // A killed old task is not replaced; the event says why.
    act(&mut sim, "KillContainer", json!({"service": "web", "containerName": "web"})).expect("kill");
    sim.run_until(900_000);
    assert_eq!(service(&sim.snapshot(), "web")["runningCount"], 2);
    let why = events(&sim)
        .into_iter()
        .find(|e| e.1.contains("launches no new tasks"))
        .expect("an event explains the missing task");
    assert!(
        why.1.contains("is FAILED") && why.1.contains("2 of 3 desired") && why.1.contains("new task definition"),
        "{}",
        why.1
    );
    assert!(!events(&sim).iter().any(|e| e.0 > 600.0 && e.1.contains("has started")));

    // Scale-in still works.
    act(&mut sim, "UpdateService", json!({"service": "web", "desiredCount": 1})).expect("update");
    sim.run_until(1_000_000);
    assert_eq!(service(&sim.snapshot(), "web")["runningCount"], 1);
    assert!(events(&sim).iter().any(|e| e.0 > 900.0 && e.1.contains("has stopped 1 running tasks")));
}

/// A Fargate service of `td` (awsvpc, with a networkConfiguration).
fn fargate_service(td: Value, platform_version: Option<&str>) -> Value {
    let mut svc = json!({"serviceName": "app", "taskDefinition": "app", "desiredCount": 1, "launchType": "FARGATE",
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a"]}}});
    if let Some(v) = platform_version {
        svc["platformVersion"] = json!(v);
    }
    json!({"seed": 1, "availabilityZones": ["us-east-1a", "us-east-1b"], "taskDefinitions": [td], "services": [svc]})
}

fn fargate_td(cpu: &str, memory: &str) -> Value {
    json!({"family": "app", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": cpu, "memory": memory,
           "containerDefinitions": [{"name": "app", "image": "nginx:1.27", "essential": true}]})
}

fn load_err(v: &Value) -> ecs_sim::error::ApiError {
    match ecs_sim::load(&v.to_string(), None) {
        Ok(_) => panic!("accepted: {v}"),
        Err(e) => e,
    }
}

// ---------------------------------------------------------------------------------------------
// Fargate platform versions
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-linux-fargate.html
// ---------------------------------------------------------------------------------------------

/// LATEST (or no platformVersion) resolves to 1.4.0 on Linux, and the task shows the version it
/// runs on (describe-tasks `platformVersion`); 1.3.0 is kept as asked.
#[test]
fn latest_resolves_to_1_4_0_and_the_task_shows_its_version() {
    for (asked, runs) in [(None, "1.4.0"), (Some("LATEST"), "1.4.0"), (Some("1.3.0"), "1.3.0")] {
        let sim = run_value(&fargate_service(fargate_td("256", "512"), asked), 120);
        let snap = sim.snapshot();
        assert_eq!(snap["tasks"][0]["platformVersion"], runs, "{asked:?}");
        assert_eq!(snap["tasks"][0]["lastStatus"], "RUNNING");
    }
    // An EC2 task has no platform version.
    let sim = run_value(&plain_service(1), 60);
    assert!(sim.snapshot()["tasks"][0].get("platformVersion").is_none());
}

/// On Linux platform version 1.3.0, what needs 1.4.0 or later is refused: 8 and 16 vCPU ("This
/// option requires Linux platform 1.4.0 or later", fargate-tasks-services), `ephemeralStorage`
/// ("Linux platform version 1.4.0 or later", API_EphemeralStorage), EFS volumes ("supported on
/// Fargate platform version 1.4.0 or later", efs-volumes). The same task definitions run on LATEST.
#[test]
fn platform_1_3_0_refuses_what_needs_1_4_0() {
    let big = fargate_td("8192", "16384");
    let mut eph = fargate_td("256", "512");
    eph["ephemeralStorage"] = json!({"sizeInGiB": 30});
    let mut efs = fargate_td("256", "512");
    efs["volumes"] = json!([{"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-12345678"}}]);
    efs["containerDefinitions"][0]["mountPoints"] = json!([{"sourceVolume": "data", "containerPath": "/data"}]);
    for td in [big, eph, efs] {
        let e = load_err(&fargate_service(td.clone(), Some("1.3.0")));
        assert_eq!(e.exception, "InvalidParameterException");
        assert_eq!(e.field, "services[0].platformVersion");
        assert!(
            e.message
                .starts_with("The specified platform does not satisfy the task definition's required capabilities."),
            "{}",
            e.message
        );
        assert!(ecs_sim::load(&fargate_service(td, Some("LATEST")).to_string(), None).is_ok());
    }
    let e = load_err(&fargate_service(fargate_td("256", "512"), Some("1.5.0")));
    assert_eq!(e.field, "services[0].platformVersion");
}

// ---------------------------------------------------------------------------------------------
// API rules: CreateService / RunTask
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html
// ---------------------------------------------------------------------------------------------

/// "When you're using this strategy [DAEMON], you don't need to specify a desired number of
/// tasks, a task placement strategy" and "If a service is using the DAEMON service type, the
/// maximumPercent should remain at 100%": the API refuses each.
#[test]
fn daemon_services_refuse_desired_count_placement_strategy_and_maximum_percent_over_100() {
    let base = scenario("daemon");
    let cases = [
        ("desiredCount", json!(3), "services[0].desiredCount", "does not support a desired count"),
        (
            "placementStrategy",
            json!([{"type": "spread", "field": "attribute:ecs.availability-zone"}]),
            "services[0].placementStrategy",
            "does not support placement strategies",
        ),
        (
            "deploymentConfiguration",
            json!({"maximumPercent": 200}),
            "services[0].deploymentConfiguration.maximumPercent",
            "maximumPercent above 100",
        ),
    ];
    for (key, value, field, text) in cases {
        let mut sc = base.clone();
        sc["services"][0][key] = value;
        let e = load_err(&sc);
        assert_eq!(e.exception, "InvalidParameterException", "{key}");
        assert_eq!(e.field, field);
        assert!(
            e.message.starts_with("The daemon scheduling strategy does not support") && e.message.contains(text),
            "{}",
            e.message
        );
    }
    assert!(ecs_sim::load(&base.to_string(), None).is_ok());
}

/// `networkConfiguration`: "This parameter is required for task definitions that use the awsvpc
/// network mode to receive their own elastic network interface, and it isn't supported for other
/// network modes." On EC2 as on Fargate; RunTask the same.
#[test]
fn network_configuration_is_required_for_awsvpc_and_refused_for_other_modes() {
    let mut awsvpc_ec2 = plain_service(1);
    awsvpc_ec2["taskDefinitions"][0]["networkMode"] = json!("awsvpc");
    awsvpc_ec2["taskDefinitions"][0]["containerDefinitions"][0]["portMappings"] = json!([{"containerPort": 80}]);
    let e = load_err(&awsvpc_ec2);
    assert_eq!((e.exception, e.field.as_str()), ("InvalidParameterException", "services[0].networkConfiguration"));
    assert_eq!(e.message, "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    awsvpc_ec2["services"][0]["networkConfiguration"] = json!({"awsvpcConfiguration": {"subnets": ["subnet-a"]}});
    assert!(ecs_sim::load(&awsvpc_ec2.to_string(), None).is_ok());

    for mode in ["bridge", "host", "none"] {
        let mut sc = plain_service(1);
        sc["taskDefinitions"][0]["networkMode"] = json!(mode);
        if mode != "bridge" {
            sc["taskDefinitions"][0]["containerDefinitions"][0]["portMappings"] = json!([]);
        }
        sc["services"][0]["networkConfiguration"] = json!({"awsvpcConfiguration": {"subnets": ["subnet-a"]}});
        let e = load_err(&sc);
        assert_eq!(e.field, "services[0].networkConfiguration", "{mode}");
        assert_eq!(e.message, "Network Configuration is not valid for the given networkMode of this task definition.");
    }
    // RunTask: the same rule.
    let mut sim = run_value(&plain_service(0), 10);
    let e = act(
        &mut sim,
        "RunTask",
        json!({"taskDefinition": "web", "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a"]}}}),
    )
    .expect_err("bridge + networkConfiguration");
    assert_eq!(e.field, "networkConfiguration");
}

/// One place that calls the engine with an action name and a JSON body.
fn act(sim: &mut ecs_sim::Simulation, action: &str, input: Value) -> Result<Value, ecs_sim::error::ApiError> {
    sim.apply_json(action, &input)
}

/// UpdateService on a CODE_DEPLOY service: "If the network configuration, platform version, task
/// definition, or load balancer need to be updated, create a new CodeDeploy deployment." A new
/// task definition is refused (not turned into a rolling update); desiredCount still changes.
/// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html
#[test]
fn update_service_with_a_new_task_definition_is_refused_on_code_deploy() {
    let mut sc = plain_service(2);
    sc["services"][0]["deploymentController"] = json!({"type": "CODE_DEPLOY"});
    let td2 = sc["taskDefinitions"][0].clone();
    sc["taskDefinitions"].as_array_mut().unwrap().push(td2);
    let mut sim = run_value(&sc, 120);
    let e = act(&mut sim, "UpdateService", json!({"service": "web", "taskDefinition": "web:2"})).expect_err("refused");
    assert_eq!((e.exception, e.field.as_str()), ("InvalidParameterException", "taskDefinition"));
    assert!(e
        .message
        .starts_with("Unable to update task definition on services with a CODE_DEPLOY deployment controller."));
    let e = act(&mut sim, "UpdateService", json!({"service": "web", "forceNewDeployment": true})).expect_err("refused");
    assert_eq!(e.field, "forceNewDeployment");
    sim.run_until(300_000);
    let snap = sim.snapshot();
    let deps = &service(&snap, "web")["deployments"];
    assert_eq!(deps.as_array().unwrap().len(), 1, "no rolling update started: {deps}");
    act(&mut sim, "UpdateService", json!({"service": "web", "desiredCount": 3})).expect("desiredCount may change");
}

// ---------------------------------------------------------------------------------------------
// Real input the API accepts
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html
// ---------------------------------------------------------------------------------------------

/// CreateService spells it `enableECSManagedTags`: read in that spelling (the camelCase one too)
/// and written back in AWS's spelling by the JSON export.
#[test]
fn enable_ecs_managed_tags_in_aws_spelling_in_and_out() {
    let mut sc = plain_service(1);
    sc["services"][0]["enableECSManagedTags"] = json!(true);
    sc["services"][0]["propagateTags"] = json!("SERVICE");
    let sim = run_value(&sc, 10);
    let exported = ecs_sim::export::json::create_services(&ecs_sim::export::Setup::from_sim(&sim));
    let text = serde_json::to_string(&exported).unwrap();
    assert!(text.contains("\"enableECSManagedTags\":true"), "{text}");
    assert!(!text.contains("enableEcsManagedTags"), "{text}");
    let mut old = plain_service(1);
    old["services"][0]["enableEcsManagedTags"] = json!(true);
    assert!(ecs_sim::load(&old.to_string(), None).is_ok());
}

/// `vpcLatticeConfigurations` (roleArn, targetGroupArn, portName) and a load balancer's
/// `advancedConfiguration` (alternateTargetGroupArn, productionListenerRule, testListenerRule,
/// roleArn) are accepted with their shape checked. A Classic Load Balancer (`loadBalancerName`) is
/// refused with a message that says it is not simulated, not that a target group is missing.
#[test]
fn lattice_and_advanced_configuration_accepted_classic_lb_refused_clearly() {
    let mut sc = scenario("alb-dynamic-ports");
    sc["services"][0]["vpcLatticeConfigurations"] = json!([{"roleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRole",
        "targetGroupArn": "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789abcdef0", "portName": "web"}]);
    sc["services"][0]["loadBalancers"][0]["advancedConfiguration"] = json!({
        "alternateTargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/0123456789abcdef",
        "productionListenerRule": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/1/2/3",
        "roleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers"});
    assert!(ecs_sim::load(&sc.to_string(), None).is_ok());
    let mut bad = sc.clone();
    bad["services"][0]["vpcLatticeConfigurations"][0].as_object_mut().unwrap().remove("portName");
    assert!(load_err(&bad).to_string().contains("vpcLatticeConfigurations"));

    let mut classic = scenario("alb-dynamic-ports");
    classic["services"][0]["loadBalancers"] =
        json!([{"loadBalancerName": "web-elb", "containerName": "web", "containerPort": 80}]);
    classic["services"][0]["role"] = json!("ecsServiceRole");
    let e = load_err(&classic);
    assert_eq!(e.field, "services[0].loadBalancers[0].loadBalancerName");
    assert!(e.message.contains("Classic Load Balancers are not simulated"), "{}", e.message);
}

/// RunTask accepts `overrides`, `platformVersion`, `tags`, `propagateTags`,
/// `enableECSManagedTags`, `enableExecuteCommand`, `referenceId`, `clientToken` and
/// `volumeConfigurations`; the task runs with the overridden Fargate size ("The cpu override for
/// the task", TaskOverride), on the asked platform version, and shows its overrides and tags.
/// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html
#[test]
fn run_task_accepts_the_real_request_and_applies_overrides_platform_version_and_tags() {
    let mut sc = fargate_service(fargate_td("256", "512"), None);
    sc["services"][0]["desiredCount"] = json!(0);
    let mut sim = run_value(&sc, 10);
    let req = json!({
        "taskDefinition": "app", "launchType": "FARGATE", "platformVersion": "1.3.0",
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a"]}},
        "overrides": {"cpu": "512", "memory": "1024", "taskRoleArn": "arn:aws:iam::123456789012:role/app",
            "containerOverrides": [{"name": "app", "command": ["sh", "-c", "echo hi"],
                "environment": [{"name": "MODE", "value": "batch"}]}]},
        "tags": [{"key": "team", "value": "data"}], "propagateTags": "TASK_DEFINITION",
        "enableECSManagedTags": true, "enableExecuteCommand": false, "referenceId": "job-42",
        "clientToken": "5b2f7a40-0000-4000-8000-000000000001", "volumeConfigurations": []
    });
    act(&mut sim, "RunTask", req.clone()).expect("RunTask accepts the real request");
    sim.run_until(120_000);
    let snap = sim.snapshot();
    let t = &snap["tasks"][0];
    assert_eq!(t["cpu"], "512");
    assert_eq!(t["memory"], "1024");
    assert_eq!(t["platformVersion"], "1.3.0");
    assert_eq!(t["tags"], json!([{"key": "team", "value": "data"}]));
    assert_eq!(t["overrides"]["containerOverrides"][0]["command"], json!(["sh", "-c", "echo hi"]));
    assert_eq!(t["lastStatus"], "RUNNING");

    let mut bad = req;
    bad["overrides"]["containerOverrides"][0]["name"] = json!("nope");
    let e = act(&mut sim, "RunTask", bad).expect_err("unknown container");
    assert_eq!(e.field, "overrides.containerOverrides[0].name");
}

/// One time unit in the snapshot: `playground.serviceMetrics[].metrics.at` is in seconds, like the
/// `t` of every log line.
#[test]
fn snapshot_metrics_time_is_in_seconds() {
    let sim = run_value(&plain_service(1), 180);
    let snap = sim.snapshot();
    let web = snap["playground"]["serviceMetrics"]
        .as_array()
        .and_then(|a| a.iter().find(|m| m["serviceName"] == "web"))
        .expect("web's metrics in the snapshot");
    let at = web["metrics"]["at"].as_f64().expect("a datapoint time");
    assert_eq!(at, 180.0);
}

// ---------------------------------------------------------------------------------------------
// Pasted describe-task-definition output
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskDefinition.html
// ---------------------------------------------------------------------------------------------

/// `compatibilities`: "The task launch types the task definition validated against during task
/// definition registration." describe-task-definition output of a revision registered without
/// `requiresCompatibilities` that validated for Fargate says `["EC2", "FARGATE"]`: pasted as is, it
/// runs a Fargate service, is checked against Fargate's rules, and exports `requiresCompatibilities`
/// (never the read-only `compatibilities`). Output that says FARGATE over a bridge definition is
/// refused with Fargate's network-mode rule.
#[test]
fn pasted_describe_output_with_fargate_compatibilities_runs_on_fargate() {
    let mut td = fargate_td("256", "512");
    td.as_object_mut().unwrap().remove("requiresCompatibilities");
    td["taskDefinitionArn"] = json!("arn:aws:ecs:us-east-1:123456789012:task-definition/app:7");
    td["revision"] = json!(7);
    td["status"] = json!("ACTIVE");
    td["compatibilities"] = json!(["EC2", "FARGATE"]);
    td["requiresAttributes"] = json!([{"name": "ecs.capability.task-eni"}]);
    let pasted = json!({"taskDefinition": td.clone()});
    let mut sc = fargate_service(json!({}), None);
    sc["taskDefinitions"] = json!([pasted]);
    let sim = run_value(&sc, 120);
    let snap = sim.snapshot();
    assert_eq!(snap["tasks"][0]["lastStatus"], "RUNNING");
    assert_eq!(snap["tasks"][0]["platformVersion"], "1.4.0");
    let exported = ecs_sim::export::json::register_task_definitions(&ecs_sim::export::Setup::from_sim(&sim));
    assert_eq!(exported[0]["requiresCompatibilities"], json!(["EC2", "FARGATE"]), "{}", exported[0]);
    assert!(exported[0].get("compatibilities").is_none(), "{}", exported[0]);

    // Without the FARGATE entry it stays an EC2-only definition: the Fargate service is refused.
    let mut ec2_only = td.clone();
    ec2_only["compatibilities"] = json!(["EC2"]);
    sc["taskDefinitions"] = json!([{"taskDefinition": ec2_only}]);
    let e = load_err(&sc);
    assert_eq!(e.field, "services[0].taskDefinition");
    assert_eq!(e.message, "Task definition does not support launch_type FARGATE.");

    // FARGATE claimed over a bridge definition: Fargate's rule refuses it, naming the field.
    let mut bridge = td;
    bridge["networkMode"] = json!("bridge");
    sc["taskDefinitions"] = json!([{"taskDefinition": bridge}]);
    let e = load_err(&sc);
    assert_eq!(e.field, "taskDefinitions[0].networkMode");
    assert_eq!(e.message, "Fargate only supports network mode 'awsvpc'.");
}

// ---------------------------------------------------------------------------------------------
// Output a course author reads
// ---------------------------------------------------------------------------------------------

/// A target group ARN written in the scenario ("TargetGroupArn" is what CreateTargetGroup returns,
/// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html)
/// is the target group's ARN in the run: the service's loadBalancers in the snapshot carry it, not
/// a regenerated suffix.
#[test]
fn target_group_arns_given_in_the_scenario_are_kept() {
    let sc = scenario("default");
    let given = sc["services"][0]["loadBalancers"][0]["targetGroupArn"].as_str().unwrap().to_string();
    assert!(given.contains(":targetgroup/web-tg/"), "{given}");
    let sim = run_value(&sc, 60);
    let snap = sim.snapshot();
    assert_eq!(
        service(&snap, sc["services"][0]["serviceName"].as_str().unwrap())["loadBalancers"][0]["targetGroupArn"],
        given
    );
    let log: String = sim.log().entries().iter().map(|e| e.to_json_line()).collect();
    assert!(log.contains(&given), "the log names the target group by the given ARN");
}

/// API calls take effect one scheduler pass later (timings.schedulerDelaySeconds, default 1 s):
/// "The Amazon ECS API follows an eventual consistency model ... the result of an API command ...
/// might not be immediately visible" (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html).
/// The README says so; with the delay set to 0 the first task starts in the call's second.
#[test]
fn the_scheduler_acts_one_delay_after_an_api_call() {
    for (delay, expected) in [(None, 101.0), (Some(0.0), 100.0)] {
        let mut sc = plain_service(1);
        if let Some(d) = delay {
            sc["timings"] = json!({"schedulerDelaySeconds": d});
        }
        sc["timeline"] =
            json!([{"at": 100, "action": "UpdateService", "input": {"service": "web", "desiredCount": 2}}]);
        let sim = run_value(&sc, 200);
        let started: Vec<(f64, String)> =
            events(&sim).into_iter().filter(|e| e.0 >= 100.0 && e.1.contains("has started 1 tasks")).collect();
        assert_eq!(started.first().map(|e| e.0), Some(expected), "{delay:?}: {started:?}");
    }
}
