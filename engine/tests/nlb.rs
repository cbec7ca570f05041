//! Network Load Balancer target groups next to Application Load Balancer ones: behaviour a user
//! can check against the ELBv2 documentation.
//!
//! - NLB health check defaults (TCP, interval 30 s, timeout 10 s, thresholds 5 / 2, no path, no
//!   matcher): https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html
//! - "The TCP protocol is not supported for health checks if the protocol of the target group is
//!   HTTP or HTTPS": https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
//! - Client IP preservation defaults: https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html
//! - Listener rules are an ALB feature: https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;

use serde_json::{json, Value};

/// Two Fargate services of one task definition whose application answers every HTTP request with
/// 500: `web-alb` behind an HTTP target group checking `/health`, `web-nlb` behind a TCP one.
fn scenario() -> Value {
    let td = json!({"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256",
        "memory": "512", "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "containerDefinitions": [{"name": "web", "image": "public.ecr.aws/nginx/nginx:1.27", "essential": true,
            "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web",
                "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs"}}}]});
    let svc = |name: &str, tg: &str| {
        json!({"serviceName": name, "taskDefinition": "web", "desiredCount": 2, "launchType": "FARGATE",
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-00000000a11ce000", "subnet-00000000a11ce001"]}},
            "loadBalancers": [{"targetGroupArn": format!("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/{tg}/0123456789abcdef"),
                "containerName": "web", "containerPort": 8080}]})
    };
    json!({"seed": 3, "availabilityZones": ["us-east-1a", "us-east-1b"], "taskDefinitions": [td],
        "targetGroups": [
            {"Name": "web-alb-tg", "Protocol": "HTTP", "Port": 8080, "TargetType": "ip", "HealthCheckPath": "/health",
                "Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]},
            {"Name": "web-nlb-tg", "Protocol": "TCP", "Port": 8080, "TargetType": "ip"}],
        "services": [svc("web-alb", "web-alb-tg"), svc("web-nlb", "web-nlb-tg")],
        "containerBehaviors": [{"taskDefinition": "web", "containerName": "web", "httpStatus": 500}]})
}

fn target_group<'a>(snap: &'a Value, name: &str) -> &'a Value {
    snap["TargetGroups"].as_array().and_then(|a| a.iter().find(|g| g["TargetGroupName"] == name)).expect("target group")
}

fn states(snap: &Value, k: usize) -> Vec<String> {
    snap["targetHealth"][k]["TargetHealthDescriptions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| d["TargetHealth"]["State"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// DescribeTargetGroups shows the NLB defaults: TCP health check every 30 s, 10 s timeout,
/// thresholds 5 and 2, no HealthCheckPath and no Matcher; the ALB group keeps HTTP, "/health", 200.
#[test]
fn an_nlb_target_group_gets_the_documented_tcp_health_check_defaults() {
    let sim = common::run_value(&scenario(), 1);
    let snap = sim.snapshot();
    let nlb = target_group(&snap, "web-nlb-tg");
    assert_eq!(nlb["HealthCheckProtocol"], "TCP");
    assert_eq!((&nlb["HealthCheckIntervalSeconds"], &nlb["HealthCheckTimeoutSeconds"]), (&json!(30), &json!(10)));
    assert_eq!((&nlb["HealthyThresholdCount"], &nlb["UnhealthyThresholdCount"]), (&json!(5), &json!(2)));
    assert!(nlb.get("HealthCheckPath").is_none() && nlb.get("Matcher").is_none(), "{nlb}");
    let alb = target_group(&snap, "web-alb-tg");
    assert_eq!((&alb["HealthCheckProtocol"], &alb["HealthCheckPath"]), (&json!("HTTP"), &json!("/health")));
    assert_eq!(alb["Matcher"]["HttpCode"], "200");
    // ip targets of a TCP target group: client IP preservation is off by default.
    let attrs = &snap["targetGroupAttributes"][1]["Attributes"];
    assert!(
        attrs.as_array().unwrap().contains(&json!({"Key": "preserve_client_ip.enabled", "Value": "false"})),
        "{attrs}"
    );
}

/// An application whose HTTP answer is 500 is unhealthy behind the ALB (the HTTP check's code
/// does not match) and healthy behind the NLB (the TCP connection opens); the ALB's service has
/// its tasks replaced, the NLB's keeps its first two.
#[test]
fn a_500_is_unhealthy_behind_the_alb_and_healthy_behind_the_nlb() {
    let sim = common::run_value(&scenario(), 100);
    let snap = sim.snapshot();
    assert!(states(&snap, 0).iter().any(|s| s == "unhealthy"), "ALB: {:?}", states(&snap, 0));
    assert_eq!(states(&snap, 1), ["healthy", "healthy"], "NLB");
    let alb_unhealthy =
        common::target_changes(&sim).into_iter().find(|c| c.3 == "unhealthy").expect("an ALB target became unhealthy");
    assert_eq!(alb_unhealthy.4, "Target.ResponseCodeMismatch");
    let sim = common::run_value(&scenario(), 300);
    let stopped: Vec<_> = common::task_changes(&sim).into_iter().filter(|c| c.2 == "STOPPED").map(|c| c.4).collect();
    assert!(stopped.len() >= 2, "the ALB service's tasks are replaced: {}", stopped.len());
    assert!(stopped.iter().all(|d| d["group"] == "service:web-alb"), "no NLB task stops");
    assert!(stopped
        .iter()
        .all(|d| d["stoppedReason"].as_str().unwrap_or("").starts_with("Task failed ELB health checks")));
}

/// The application logs the ALB's HTTP health checks (ELB-HealthChecker/2.0 GET /health); a TCP
/// health check sends no request, so the NLB's tasks log none.
#[test]
fn tcp_health_checks_send_no_http_request() {
    let sim = common::run_value(&scenario(), 120);
    let mut alb_lines = 0;
    let mut nlb_lines = 0;
    for g in sim.log_groups() {
        for st in &g.log_streams {
            let svc = sim.state().tasks.iter().find(|t| t.task_id == st.task_id).map(|t| t.group.clone());
            let page = sim.log_stream(&g.log_group_name, &st.log_stream_name, 0, 10_000).expect("stream");
            let n = page.events.iter().filter(|e| e.message.contains("ELB-HealthChecker")).count();
            match svc.as_deref() {
                Some("service:web-alb") => alb_lines += n,
                Some("service:web-nlb") => nlb_lines += n,
                _ => {}
            }
        }
    }
    assert!(alb_lines > 0, "the ALB's checks are logged");
    assert_eq!(nlb_lines, 0, "a TCP check sends no HTTP request");
}

fn load_error(v: &Value) -> ecs_sim::ApiError {
    match ecs_sim::load(&v.to_string(), None) {
        Err(e) => e,
        Ok(_) => panic!("loads, but should not"),
    }
}

/// Bad target groups name their field: a TCP health check has no path and no matcher; an HTTP
/// target group cannot check with TCP; UDP cannot turn client IP preservation off.
#[test]
fn bad_target_groups_name_the_field() {
    let with_tg = |tg: Value| {
        let mut v = scenario();
        v["targetGroups"][1] = tg;
        v
    };
    let e = load_error(&with_tg(json!({"Name": "web-nlb-tg", "Protocol": "TCP", "HealthCheckPath": "/health"})));
    assert_eq!(e.field, "targetGroups[1].HealthCheckPath");
    let e = load_error(&with_tg(json!({"Name": "web-nlb-tg", "Protocol": "TCP", "Matcher": {"HttpCode": "200"}})));
    assert_eq!(e.field, "targetGroups[1].Matcher");
    let e = load_error(&with_tg(json!({"Name": "web-nlb-tg", "Protocol": "HTTP", "HealthCheckProtocol": "TCP"})));
    assert_eq!(e.field, "targetGroups[1].HealthCheckProtocol");
    assert!(e.message.contains("The TCP protocol is not supported for health checks"), "{e}");
    let e = load_error(&with_tg(json!({"Name": "web-nlb-tg", "Protocol": "UDP", "TargetType": "ip",
        "Attributes": [{"Key": "preserve_client_ip.enabled", "Value": "false"}]})));
    assert_eq!(e.field, "targetGroups[1].Attributes[0].Value");
}

/// A listener rule (an ALB feature) cannot forward to an NLB target group.
#[test]
fn listener_rules_cannot_forward_to_an_nlb_target_group() {
    let mut v = scenario();
    v["listenerRules"] = json!([{"RuleArn": "web-rule", "Priority": "10",
        "Actions": [{"Type": "forward", "TargetGroupArn": "web-nlb-tg"}]}]);
    let e = load_error(&v);
    assert!(e.field.ends_with("Actions"), "{}", e.field);
    assert!(e.message.contains("Network Load Balancer"), "{e}");
}

/// The lesson claim `healthCheckProtocol` / `clientIpPreserved` reads the target group: a wrong one fails.
#[test]
fn a_wrong_target_group_claim_fails() {
    let mut v = scenario();
    v["lesson"] = json!({"id": "t", "title": {"en": "t"}, "summary": {"en": "s"}, "durationSeconds": 60, "pauses": [
        {"at": 30, "caption": {"en": "c"}, "claims": [
            {"healthCheckProtocol": "TCP", "targetGroup": "web-nlb-tg"},
            {"healthCheckProtocol": "HTTP", "targetGroup": "web-alb-tg"},
            {"clientIpPreserved": false, "targetGroup": "web-nlb-tg"}]}]});
    let s = ecs_sim::parse_scenario(&v.to_string()).expect("parses");
    assert!(ecs_sim::lesson::check_claims(&s, None).is_empty());
    v["lesson"]["pauses"][0]["claims"][0]["healthCheckProtocol"] = json!("HTTP");
    v["lesson"]["pauses"][0]["claims"][2]["clientIpPreserved"] = json!(true);
    let s = ecs_sim::parse_scenario(&v.to_string()).expect("parses");
    let failures = ecs_sim::lesson::check_claims(&s, None);
    assert_eq!(failures.len(), 2, "{failures:?}");
    assert!(failures[0].shown.contains("checks health with TCP"), "{}", failures[0].shown);
    assert!(failures[1].shown.contains("client IP preserved false"), "{}", failures[1].shown);
}
