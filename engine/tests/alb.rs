//! The Application Load Balancer with ECS: registration, dynamic host ports, health checks,
//! draining, routing and CloudWatch metrics. Each test quotes the rule it checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;
use common::*;
use serde_json::json;

/// Dynamic port mapping: with bridge networking and `hostPort` 0 "the container automatically
/// receives a port in the ephemeral port range" and for an instance target group ECS registers
/// "the instance ID and port" of each task, so several tasks of one service run on one instance
/// behind the same target group (ECS developer guide, port mappings and load balancing).
#[test]
fn dynamic_host_ports_differ_per_task_and_register_as_instance_port() {
    let sim = run_value(&scenario("alb-dynamic-ports"), 120);
    let snap = sim.snapshot();
    let t = targets(&snap);
    assert_eq!(t.len(), 3);
    let instance = snap["containerInstances"][0]["ec2InstanceId"].as_str().unwrap().to_string();
    let mut ports: Vec<u64> = t.iter().map(|x| x["Target"]["Port"].as_u64().unwrap()).collect();
    assert!(t.iter().all(|x| x["Target"]["Id"] == instance.as_str()), "all on {instance}");
    ports.sort();
    ports.dedup();
    assert_eq!(ports.len(), 3, "distinct ports {ports:?}");
    assert!(ports.iter().all(|p| (32768..=61000).contains(p)), "{ports:?}");
    // The task's networkBindings show the same host ports.
    let mut bound: Vec<u64> = snap["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["containers"][0]["networkBindings"][0]["hostPort"].as_u64().unwrap())
        .collect();
    bound.sort();
    assert_eq!(bound, ports);
}

/// Target type `ip` (required for awsvpc): the target is the task's private IP and the container
/// port ("For services with tasks using the awsvpc network mode ... you must choose ip as the
/// target type").
#[test]
fn ip_target_type_registers_the_task_ip_and_container_port() {
    let mut sc = scenario("alb-dynamic-ports");
    sc["taskDefinitions"][0]["networkMode"] = json!("awsvpc");
    sc["taskDefinitions"][0]["containerDefinitions"][0]["portMappings"] = json!([{"containerPort": 8080}]);
    sc["targetGroups"][0]["TargetType"] = json!("ip");
    sc["services"][0]["loadBalancers"][0]["containerPort"] = json!(8080);
    // networkConfiguration "is required for task definitions that use the awsvpc network mode"
    // (CreateService), on EC2 too.
    sc["services"][0]["networkConfiguration"] = json!({"awsvpcConfiguration": {"subnets": ["subnet-a"]}});
    // An m5.large has 3 ENIs, one of them primary: at most 2 awsvpc tasks.
    sc["services"][0]["desiredCount"] = json!(2);
    let sim = run_value(&sc, 120);
    let snap = sim.snapshot();
    let t = targets(&snap);
    assert_eq!(t.len(), 2);
    for x in &t {
        assert_eq!(x["Target"]["Port"], 8080);
        assert!(x["Target"]["Id"].as_str().unwrap().starts_with("10.0."), "{x}");
    }
}

/// "After you register a target, it must pass one health check to be considered healthy."
/// Registration reasons: "Elb.RegistrationInProgress - The target is in the process of being
/// registered", "Elb.InitialHealthChecking - The load balancer is still sending the target the
/// minimum number of health checks required" (ALB health checks; ELBv2 TargetHealth).
#[test]
fn new_targets_go_initial_then_healthy() {
    let sim = run_value(&scenario("alb-dynamic-ports"), 60);
    let changes = target_changes(&sim);
    for (id, port) in changes.iter().filter(|c| c.3 == "initial").map(|c| (c.1.clone(), c.2)) {
        let mine: Vec<_> = changes.iter().filter(|c| c.1 == id && c.2 == port).collect();
        assert_eq!(mine[0].4, "Elb.RegistrationInProgress");
        assert_eq!(mine[1].4, "Elb.InitialHealthChecking");
        assert_eq!(mine.last().unwrap().3, "healthy");
        // HealthCheckIntervalSeconds 10: healthy within one interval of registration.
        assert!(mine.last().unwrap().0 - mine[0].0 <= 10.0 + 1e-9);
    }
}

/// "The initial state of a deregistering target is draining. After the deregistration delay
/// elapses, the deregistration process completes and the state of the target is unused." ECS
/// deregisters tasks "before they enter a stopped state" (ALB deregistration delay; ECS What's New,
/// Feb 2023).
#[test]
fn target_drains_for_the_deregistration_delay_before_its_task_stops() {
    let sim = run_value(&scenario("task-replacement"), 240);
    let changes = target_changes(&sim);
    let drain = changes.iter().find(|c| c.3 == "draining").expect("draining");
    assert_eq!(drain.4, "Target.DeregistrationInProgress");
    let unused = changes.iter().find(|c| c.3 == "unused" && c.1 == drain.1 && c.2 == drain.2).expect("unused");
    assert_eq!(unused.0 - drain.0, 30.0, "deregistration_delay.timeout_seconds = 30");
    let stopped = task_changes(&sim).into_iter().find(|c| c.2 == "STOPPED").expect("stopped");
    assert!(stopped.0 >= unused.0, "task stops ({}) only after the drain completes ({})", stopped.0, unused.0);
    // The task stays DEACTIVATING while its target drains.
    let deact = task_changes(&sim).into_iter().find(|c| c.2 == "DEACTIVATING").expect("deactivating");
    assert_eq!(deact.0, drain.0);
}

/// Default deregistration delay: "By default, Elastic Load Balancing waits 300 seconds before
/// completing the deregistration process."
#[test]
fn default_deregistration_delay_is_300_seconds() {
    let mut sc = scenario("task-replacement");
    sc["targetGroups"][0].as_object_mut().unwrap().remove("Attributes");
    let sim = run_value(&sc, 500);
    let changes = target_changes(&sim);
    let drain = changes.iter().find(|c| c.3 == "draining").expect("draining");
    let unused = changes.iter().find(|c| c.3 == "unused").expect("unused");
    assert_eq!(unused.0 - drain.0, 300.0);
}

/// "Each load balancer node routes requests only to the healthy targets"; an unhealthy target
/// (after UnhealthyThresholdCount consecutive failures, reason Target.ResponseCodeMismatch) gets no
/// requests while the others share them.
#[test]
fn unhealthy_target_stops_getting_traffic() {
    let mut sc = scenario("health-check-failure");
    sc["services"][0]["healthCheckGracePeriodSeconds"] = json!(3000);
    let sim = run_value(&sc, 300);
    let changes = target_changes(&sim);
    let bad = changes.iter().find(|c| c.3 == "unhealthy").expect("unhealthy");
    assert_eq!(bad.4, "Target.ResponseCodeMismatch");
    // 2 consecutive failures at a 10 s interval: unhealthy within 20 s (+ one interval of phase).
    assert!(bad.0 > 120.0 && bad.0 <= 150.0, "{}", bad.0);
    let snap = sim.snapshot();
    let t = targets(&snap);
    let unhealthy: Vec<_> = t.iter().filter(|x| x["TargetHealth"]["State"] == "unhealthy").collect();
    let healthy: Vec<_> = t.iter().filter(|x| x["TargetHealth"]["State"] == "healthy").collect();
    assert_eq!(unhealthy.len(), 1);
    assert_eq!(healthy.len(), 2);
    assert_eq!(requests_last_minute(&snap, unhealthy[0]), 0);
    assert!(healthy.iter().all(|x| requests_last_minute(&snap, x) > 0));
    assert_eq!(service(&snap, "web")["runningCount"], 3, "grace period: not replaced yet");
}

/// Fail open: "If a target group contains only unhealthy registered targets, the load balancer
/// routes requests to all those targets, regardless of their health status."
#[test]
fn all_targets_unhealthy_fails_open() {
    let mut sc = scenario("health-check-failure");
    sc["services"][0]["healthCheckGracePeriodSeconds"] = json!(3000);
    sc["timeline"] = json!([{"at": 120, "action": "FailHealthChecks", "input": {"service": "web"}}]);
    let sim = run_value(&sc, 300);
    let snap = sim.snapshot();
    let t = targets(&snap);
    assert_eq!(t.len(), 3);
    assert!(t.iter().all(|x| x["TargetHealth"]["State"] == "unhealthy"));
    assert!(t.iter().all(|x| requests_last_minute(&snap, x) > 0), "{t:?}");
    // The application answers 500: the target's errors show as HTTPCode_Target_5XX_Count.
    assert!(entries(&sim, "Metric").any(|e| e.detail["metricName"] == "HTTPCode_Target_5XX_Count"));
}

/// No target to route to: the load balancer itself answers with an error, counted in
/// `HTTPCode_ELB_5XX_Count` ("The number of HTTP 5XX server error codes that originate from the
/// load balancer", ALB CloudWatch metrics).
#[test]
fn no_registered_targets_means_elb_5xx() {
    let mut sc = scenario("alb-dynamic-ports");
    sc["services"][0]["desiredCount"] = json!(0);
    let sim = run_value(&sc, 120);
    let e5 = entries(&sim, "Metric").find(|e| e.detail["metricName"] == "HTTPCode_ELB_5XX_Count").expect("5xx");
    assert_eq!(e5.detail["value"], 5400.0, "90 rps x 60 s");
}

/// Service CPU utilization = (Total CPU units used by tasks in service) x 100 / ((Total CPU units
/// specified in the task definition) x (Number of tasks in the service)) (ECS service utilization
/// metrics), published at one-minute intervals; RequestCountPerTarget = RequestCount / healthy
/// targets. The latest datapoints are kept in the service's `metrics` for auto scaling.
#[test]
fn service_metrics_follow_the_documented_formulas() {
    let sim = run_value(&scenario("alb-dynamic-ports"), 120);
    let metrics: Vec<_> = entries(&sim, "Metric").filter(|e| e.t == 120_000).collect();
    let get =
        |name: &str| metrics.iter().find(|e| e.detail["metricName"] == name).map(|e| e.detail.clone()).expect(name);
    // 90 rps over 3 tasks of 256 CPU units (250 ms CPU per second each), 5 ms per request:
    // 30 rps x 5 ms = 150 ms/s + 1% idle = 152.5 of 250 => 61%.
    let cpu = get("CPUUtilization");
    assert_eq!(cpu["namespace"], "AWS/ECS");
    assert_eq!(cpu["dimensions"], json!({"ClusterName": "playground", "ServiceName": "web"}));
    assert_eq!(cpu["value"], 61.0);
    assert_eq!(get("RequestCount")["value"], 5400.0);
    assert_eq!(get("RequestCountPerTarget")["value"], 1800.0);
    assert_eq!(get("HealthyHostCount")["value"], 3.0);
    let snap = sim.snapshot();
    let m = &snap["playground"]["serviceMetrics"][0]["metrics"];
    assert_eq!(snap["playground"]["serviceMetrics"][0]["serviceName"], "web");
    assert_eq!(m["cpuUtilization"], 61.0);
    assert_eq!(m["requestCountPerTarget"], 1800.0);
}
