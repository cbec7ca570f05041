//! CodeDeploy blue/green deployments of a `CODE_DEPLOY` service, step by step: a CreateDeployment
//! with an AppSpec, the predefined configuration's traffic shifts by listener weight at each
//! simulated minute, the task sets (PRIMARY / ACTIVE), the termination wait, AppSpec hooks, and
//! the refusals.
//! - CONFIGS: https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
//! - HOOKS: https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html
//! - WAIT: https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_BlueGreenDeploymentConfiguration.html
//! - UPDATE: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;

use common::blue_green::{load, rule, running, stage_at, td, tg};
use ecs_sim::model::RolloutState;
use ecs_sim::Simulation;
use serde_json::{json, Value};

const MIN: u64 = 60_000;
const AT: u64 = 180_000;

fn appspec(hooks: Value) -> String {
    json!({"version": 0.0, "Resources": [{"TargetService": {"Type": "AWS::ECS::Service", "Properties": {
        "TaskDefinition": "web:2", "LoadBalancerInfo": {"ContainerName": "web", "ContainerPort": 80}}}}],
        "Hooks": hooks})
    .to_string()
}

fn create_deployment(config: &str, hooks: Value) -> Value {
    json!({"applicationName": "web-app", "deploymentGroupName": "web-dg", "deploymentConfigName": config,
           "revision": {"revisionType": "AppSpecContent", "appSpecContent": {"content": appspec(hooks)}}})
}

/// Two web:1 tasks of a CODE_DEPLOY service behind web-blue; the deployment group pairs web-blue
/// with web-green, production and test listeners, 5 minutes' termination wait.
fn scenario(config: &str, hooks: Value) -> Value {
    json!({
        "seed": 7, "cluster": "playground",
        "availabilityZones": ["us-east-1a", "us-east-1b"],
        "containerInstances": [{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2},
                               {"instanceType": "m5.large", "availabilityZone": "us-east-1b", "count": 2}],
        "taskDefinitions": [td("public.ecr.aws/nginx/nginx:1.26", 256), td("public.ecr.aws/nginx/nginx:1.27", 256)],
        "targetGroups": [tg("web-blue"), tg("web-green")],
        "listenerRules": [rule("web-production"), rule("web-test")],
        "codeDeployDeploymentGroups": [{
            "applicationName": "web-app", "deploymentGroupName": "web-dg",
            "serviceRoleArn": "arn:aws:iam::123456789012:role/ecsCodeDeployRole",
            "ecsServices": [{"serviceName": "web", "clusterName": "playground"}],
            "deploymentStyle": {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
            "blueGreenDeploymentConfiguration": {
                "deploymentReadyOption": {"actionOnTimeout": "CONTINUE_DEPLOYMENT"},
                "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": 5}},
            "loadBalancerInfo": {"targetGroupPairInfoList": [{
                "targetGroups": [{"name": "web-blue"}, {"name": "web-green"}],
                "prodTrafficRoute": {"listenerArns": ["web-production"]},
                "testTrafficRoute": {"listenerArns": ["web-test"]}}]}}],
        "services": [{
            "serviceName": "web", "taskDefinition": "web:1", "desiredCount": 2, "launchType": "EC2",
            "deploymentController": {"type": "CODE_DEPLOY"},
            "loadBalancers": [{"targetGroupArn": "web-blue", "containerName": "web", "containerPort": 80}],
        }],
        "traffic": {"targetGroups": [{"listenerRule": "web-production", "requestsPerSecond": {"type": "constant", "value": 100}}]},
        "timings": {"jitter": 0, "cachedPullSeconds": 5},
        "timeline": [{"at": AT / 1000, "action": "CreateDeployment", "input": create_deployment(config, hooks)}],
    })
}

fn weights(sim: &Simulation, rule: &str) -> (u32, u32) {
    let st = sim.state();
    let r = st.elb.listener_rules().iter().find(|r| r.name == rule).expect("rule");
    let w = |n: &str| r.forward.iter().find(|(t, _)| st.elb.group(*t).name == n).map_or(0, |x| x.1);
    (w("web-blue"), w("web-green"))
}

/// (task definition revision suffix, status) of each task set.
fn task_sets(sim: &Simulation) -> Vec<(String, String)> {
    sim.task_sets("web")
        .iter()
        .map(|t| {
            let td = t["taskDefinition"].as_str().unwrap_or_default();
            (td.rsplit('/').next().unwrap_or(td).to_string(), t["status"].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

#[test]
fn canary_10_percent_5_minutes_then_the_rest_then_the_termination_wait() {
    // CONFIGS: ECSCanary10Percent5Minutes "Shifts 10 percent of traffic in the first increment.
    // The remaining 90 percent is deployed five minutes later." WAIT: the original task set is
    // terminated terminationWaitTimeInMinutes (5) after the traffic moved.
    let v = scenario("CodeDeployDefault.ECSCanary10Percent5Minutes", json!([]));
    let mut sim = load(&v);
    sim.run_until(AT + 30 * MIN);
    let call =
        sim.log().entries().iter().find(|e| e.detail["eventName"] == "CreateDeployment").expect("logged").clone();
    assert!(call.detail["responseElements"]["deploymentId"]
        .as_str()
        .is_some_and(|d| d.starts_with("d-") && d.len() == 11));
    let t = stage_at(&sim, "TEST_TRAFFIC_SHIFT");
    assert!(t > AT && t < AT + MIN, "{t}");
    assert_eq!(stage_at(&sim, "BAKE_TIME"), t + 5 * MIN);
    assert_eq!(stage_at(&sim, "CLEAN_UP"), t + 10 * MIN);
    assert_eq!((running(&sim, 1), running(&sim, 2)), (0, 2));
    assert_eq!(task_sets(&sim), vec![("web:2".to_string(), "PRIMARY".to_string())]);
    let mut at = load(&v);
    at.run_until(t + 5 * MIN - 1);
    assert_eq!(weights(&at, "web-production"), (90, 10));
    assert_eq!(weights(&at, "web-test"), (0, 100));
    // The original task set still serves 90 %: PRIMARY; the replacement is ACTIVE at 100 % scale.
    assert_eq!(
        task_sets(&at),
        vec![("web:1".to_string(), "PRIMARY".to_string()), ("web:2".to_string(), "ACTIVE".to_string())]
    );
    assert_eq!(at.task_sets("web")[1]["scale"], json!({"value": 100.0, "unit": "PERCENT"}));
    at.run_until(t + 5 * MIN);
    assert_eq!(weights(&at, "web-production"), (0, 100));
    assert_eq!(
        task_sets(&at),
        vec![("web:1".to_string(), "ACTIVE".to_string()), ("web:2".to_string(), "PRIMARY".to_string())]
    );
    // Blue waits out the termination wait.
    at.run_until(t + 10 * MIN - 1);
    assert_eq!((running(&at, 1), running(&at, 2)), (2, 2));
}

#[test]
fn update_service_with_a_new_task_definition_is_refused() {
    // UPDATE: "If the network configuration, platform version, task definition, or load balancer
    // need to be updated, create a new CodeDeploy deployment."
    let mut sim = load(&scenario("CodeDeployDefault.ECSAllAtOnce", json!([])));
    sim.run_until(60_000);
    let e =
        sim.apply_json("UpdateService", &json!({"service": "web", "taskDefinition": "web:2"})).expect_err("refused");
    assert_eq!(e.field, "taskDefinition");
    // All at once: "Shifts all traffic to the updated Amazon ECS container at once."
    sim.run_until(AT + 20 * MIN);
    let t = stage_at(&sim, "TEST_TRAFFIC_SHIFT");
    assert_eq!(stage_at(&sim, "BAKE_TIME"), t);
    assert_eq!(weights(&sim, "web-production"), (0, 100));
}

#[test]
fn a_failing_after_allow_test_traffic_hook_rolls_back() {
    // HOOKS: AfterAllowTestTraffic runs once the test listener serves the replacement task set; a
    // hook that reports Failed fails the deployment and traffic stays on (returns to) the original.
    let f = "arn:aws:lambda:us-east-1:123456789012:function:after-test";
    let mut v = scenario("CodeDeployDefault.ECSLinear10PercentEvery1Minutes", json!([{"AfterAllowTestTraffic": f}]));
    v["lifecycleHookResults"] = json!([{"hookTargetArn": f, "hookStatus": "FAILED", "durationSeconds": 60}]);
    let mut sim = load(&v);
    sim.run_until(AT + 20 * MIN);
    let t = stage_at(&sim, "POST_TEST_TRAFFIC_SHIFT");
    assert!(sim.log().entries().iter().all(|e| e.detail["lifecycleStage"] != "PRODUCTION_TRAFFIC_SHIFT"));
    assert_eq!(weights(&sim, "web-test"), (100, 0));
    assert_eq!(weights(&sim, "web-production"), (100, 0));
    assert_eq!((running(&sim, 1), running(&sim, 2)), (2, 0));
    let failed = sim
        .log()
        .entries()
        .iter()
        .find(|e| e.detail["message"].as_str().is_some_and(|m| m.contains("deployment failed: lifecycle hook")))
        .map(|e| e.t);
    assert_eq!(failed, Some(t + MIN));
    let d = &sim.state().services[0].deployments[1];
    assert_eq!(d.rollout_state, RolloutState::Failed);
}

#[test]
fn create_deployment_refusals_name_the_field() {
    let mut sim = load(&scenario("CodeDeployDefault.ECSAllAtOnce", json!([])));
    sim.run_until(60_000);
    let mut bad = create_deployment("CodeDeployDefault.AllAtOnce", json!([]));
    let e = sim.apply_json("CreateDeployment", &bad).expect_err("EC2 config");
    assert_eq!((e.exception, e.field.as_str()), ("DeploymentConfigDoesNotExistException", "deploymentConfigName"));
    bad = create_deployment("CodeDeployDefault.ECSAllAtOnce", json!([]));
    bad["deploymentGroupName"] = json!("nope");
    assert_eq!(
        sim.apply_json("CreateDeployment", &bad).expect_err("group").exception,
        "DeploymentGroupDoesNotExistException"
    );
    bad = create_deployment("CodeDeployDefault.ECSAllAtOnce", json!([]));
    bad["revision"]["appSpecContent"]["content"] = json!("version: 0.0");
    assert_eq!(sim.apply_json("CreateDeployment", &bad).expect_err("yaml").field, "revision.appSpecContent.content");
    bad = create_deployment("CodeDeployDefault.ECSAllAtOnce", json!([{"BeforeAllowTraffic": 3}]));
    assert!(sim.apply_json("CreateDeployment", &bad).expect_err("hook").field.ends_with("Hooks[0].BeforeAllowTraffic"));
    // Nothing was deployed by the refused calls.
    assert_eq!(sim.state().services[0].deployments.len(), 1);
}
