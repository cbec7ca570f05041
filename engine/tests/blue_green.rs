//! ECS-native blue/green, linear and canary deployments and deployment alarms, step by step: which
//! target group gets which listener rule weight at which simulated time, which revision's tasks
//! run, when blue goes away, each rollback path, and the API's validation errors. Each test names
//! the documentation page it checks:
//! - BG: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html
//! - CANARY: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-canary.html
//!   and https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CanaryConfiguration.html
//! - LINEAR: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-linear.html
//!   and https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LinearConfiguration.html
//! - ALB: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb-resources-for-blue-green.html
//! - ALARMS: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;

use common::blue_green::{load, rule, running, stage_at, td, tg};
use ecs_sim::log::kind;
use ecs_sim::model::{DeploymentStatus, RolloutState};
use ecs_sim::Simulation;
use serde_json::{json, Value};

const MIN: u64 = 60_000;
const UPDATE_AT: u64 = 180_000;

/// Two web:1 tasks behind `web-blue`; `web-green` is the alternate target group; the production
/// rule gets 100 requests per second; web:2 is registered and deployed at 180 s.
fn scenario(dc: Value) -> Value {
    json!({
        "seed": 7, "cluster": "playground",
        "availabilityZones": ["us-east-1a", "us-east-1b"],
        "containerInstances": [{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2},
                               {"instanceType": "m5.large", "availabilityZone": "us-east-1b", "count": 2}],
        "taskDefinitions": [td("public.ecr.aws/nginx/nginx:1.26", 256), td("public.ecr.aws/nginx/nginx:1.27", 256)],
        "targetGroups": [tg("web-blue"), tg("web-green")],
        "listenerRules": [rule("web-production"), rule("web-test")],
        "services": [{
            "serviceName": "web", "taskDefinition": "web:1", "desiredCount": 2, "launchType": "EC2",
            "loadBalancers": [{"targetGroupArn": "web-blue", "containerName": "web", "containerPort": 80,
                "advancedConfiguration": {"alternateTargetGroupArn": "web-green", "productionListenerRule": "web-production",
                    "testListenerRule": "web-test", "roleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers"}}],
            "deploymentConfiguration": dc,
        }],
        "traffic": {"targetGroups": [{"listenerRule": "web-production", "requestsPerSecond": {"type": "constant", "value": 100}}]},
        "timings": {"jitter": 0, "cachedPullSeconds": 5},
        "timeline": [{"at": 180, "action": "UpdateService", "input": {"service": "web", "taskDefinition": "web:2"}}],
    })
}

/// The rule's forward weights by target group name.
fn weights(sim: &Simulation, rule: &str) -> Vec<(String, u32)> {
    let st = sim.state();
    let r = st.elb.listener_rules().iter().find(|r| r.name == rule).expect("rule");
    r.forward.iter().map(|(tg, w)| (st.elb.group(*tg).name.clone(), *w)).collect()
}

fn w(blue: u32, green: u32) -> Vec<(String, u32)> {
    vec![("web-blue".to_string(), blue), ("web-green".to_string(), green)]
}

/// Live tasks of a revision (any state before STOPPED) registered in a target group.
fn registered_in(sim: &Simulation, group: &str) -> usize {
    let st = sim.state();
    st.elb.target_groups().iter().find(|g| g.name == group).map_or(0, |g| g.targets.len())
}

/// Times (ms) of the TrafficShift lines, with stage and production percent.
fn shifts(sim: &Simulation) -> Vec<(u64, String, f64)> {
    sim.log()
        .entries()
        .iter()
        .filter(|e| e.detail_type == "TrafficShift")
        .map(|e| {
            (
                e.t,
                e.detail["lifecycleStage"].as_str().unwrap_or_default().to_string(),
                e.detail["productionTrafficPercent"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect()
}

/// `RequestCount` of a target group in the minute ending at `t`.
fn request_count(sim: &Simulation, t: u64, group: &str) -> Option<f64> {
    sim.log()
        .entries()
        .iter()
        .filter(|e| e.t == t && e.detail_type == kind::METRIC && e.detail["metricName"] == "RequestCount")
        .find(|e| {
            e.detail["dimensions"]["TargetGroup"]
                .as_str()
                .is_some_and(|d| d.starts_with(&format!("targetgroup/{group}/")))
        })
        .and_then(|e| e.detail["value"].as_f64())
}

fn primary(sim: &Simulation) -> &ecs_sim::model::Deployment {
    sim.state().services[0].deployments.primary().expect("primary")
}

/// The minute boundary after `t` (ms).
fn next_minute(t: u64) -> u64 {
    (t / MIN + 1) * MIN
}

#[test]
fn blue_green_shifts_all_production_traffic_at_once_bakes_then_scales_blue_down() {
    // BG: green is deployed next to blue "while the blue environment continues serving production
    // traffic"; production then shifts; "Bake time - The duration when both blue and green service
    // revisions are running simultaneously after the production traffic has shifted"; then blue is
    // terminated.
    let mut sim = load(&scenario(json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 10})));
    sim.run_until(UPDATE_AT - 1);
    assert_eq!(weights(&sim, "web-production"), w(100, 0));
    assert_eq!((running(&sim, 1), running(&sim, 2)), (2, 0));
    sim.run_until(UPDATE_AT + 15_000);
    // SCALE_UP: green (web:2) registers in the alternate target group; blue keeps all traffic.
    assert_eq!(stage_at(&sim, "SCALE_UP"), UPDATE_AT);
    assert_eq!(registered_in(&sim, "web-green"), 2);
    assert_eq!(weights(&sim, "web-production"), w(100, 0));
    sim.run_until(UPDATE_AT + 30 * MIN);
    let shift = stage_at(&sim, "TEST_TRAFFIC_SHIFT");
    assert!(shift > UPDATE_AT && shift < UPDATE_AT + MIN, "green healthy within a minute: {shift}");
    // All at once: one production shift, to 100 %, at the moment green is healthy.
    let prod: Vec<_> = shifts(&sim).into_iter().filter(|(_, s, _)| s == "PRODUCTION_TRAFFIC_SHIFT").collect();
    assert_eq!(prod, vec![(shift, "PRODUCTION_TRAFFIC_SHIFT".to_string(), 100.0)]);
    // Bake time 10 minutes, then CLEAN_UP.
    assert_eq!(stage_at(&sim, "BAKE_TIME"), shift);
    assert_eq!(stage_at(&sim, "CLEAN_UP"), shift + 10 * MIN);
    // The split is visible per target group: the minute after the shift, web-green gets the
    // 6,000 requests, web-blue none.
    let m = next_minute(shift);
    assert_eq!(request_count(&sim, m, "web-green"), Some(6000.0));
    assert_eq!(request_count(&sim, m, "web-blue"), None);
    assert_eq!(request_count(&sim, UPDATE_AT, "web-blue"), Some(6000.0));
    assert_eq!(request_count(&sim, UPDATE_AT, "web-green"), None);
    // Blue runs through the bake time, is gone after clean-up; the deployment completed.
    let mut sim2 = load(&scenario(json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 10})));
    sim2.run_until(shift + 10 * MIN - 1);
    assert_eq!((running(&sim2, 1), running(&sim2, 2)), (2, 2), "both revisions run while baking");
    assert_eq!(primary(&sim2).rollout_state, RolloutState::InProgress);
    assert_eq!(running(&sim, 1), 0);
    assert_eq!(running(&sim, 2), 2);
    assert_eq!(primary(&sim).rollout_state, RolloutState::Completed);
    assert_eq!(primary(&sim).task_def.revision, 2);
    assert_eq!(weights(&sim, "web-production"), w(0, 100));
}

#[test]
fn canary_shifts_10_percent_waits_the_canary_bake_then_shifts_the_rest() {
    // CANARY: "shifts a fixed percentage of traffic to the new service revision, waits for a
    // specified bake time, then shifts the remaining traffic."
    let dc = json!({"strategy": "CANARY", "bakeTimeInMinutes": 5,
                    "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 5}});
    let mut sim = load(&scenario(dc.clone()));
    sim.run_until(UPDATE_AT + 30 * MIN);
    let shift = stage_at(&sim, "TEST_TRAFFIC_SHIFT");
    let prod: Vec<(u64, f64)> =
        shifts(&sim).into_iter().filter(|(_, s, _)| s == "PRODUCTION_TRAFFIC_SHIFT").map(|(t, _, p)| (t, p)).collect();
    assert_eq!(prod, vec![(shift, 10.0), (shift + 5 * MIN, 100.0)]);
    assert_eq!(stage_at(&sim, "CLEAN_UP"), shift + 10 * MIN);
    // 90/10 for the whole canary bake: 5,400 and 600 of the 6,000 requests a minute.
    let m = next_minute(shift);
    assert_eq!(request_count(&sim, m, "web-blue"), Some(5400.0));
    assert_eq!(request_count(&sim, m, "web-green"), Some(600.0));
    let mut at = load(&scenario(dc));
    at.run_until(shift + 5 * MIN - 1);
    assert_eq!(weights(&at, "web-production"), w(90, 10));
    at.run_until(shift + 5 * MIN);
    assert_eq!(weights(&at, "web-production"), w(0, 100));
}

#[test]
fn linear_adds_step_percent_every_step_bake_and_does_not_bake_after_100() {
    // LINEAR: "shifts production traffic in equal percentage increments with configurable wait
    // times between each step until 100% ... This bake time is not applied after reaching 100
    // percent traffic."
    let dc = json!({"strategy": "LINEAR", "bakeTimeInMinutes": 0,
                    "linearConfiguration": {"stepPercent": 25.0, "stepBakeTimeInMinutes": 2}});
    let mut sim = load(&scenario(dc.clone()));
    sim.run_until(UPDATE_AT + 30 * MIN);
    let shift = stage_at(&sim, "TEST_TRAFFIC_SHIFT");
    let prod: Vec<(u64, f64)> =
        shifts(&sim).into_iter().filter(|(_, s, _)| s == "PRODUCTION_TRAFFIC_SHIFT").map(|(t, _, p)| (t, p)).collect();
    assert_eq!(prod, vec![(shift, 25.0), (shift + 2 * MIN, 50.0), (shift + 4 * MIN, 75.0), (shift + 6 * MIN, 100.0)]);
    // No wait after 100 % and bakeTimeInMinutes 0: blue is cleaned up at the last shift.
    assert_eq!(stage_at(&sim, "CLEAN_UP"), shift + 6 * MIN);
    let mut at = load(&scenario(dc));
    for (k, expected) in [(0, w(75, 25)), (2, w(50, 50)), (4, w(25, 75))] {
        at.run_until(shift + k * MIN + MIN);
        assert_eq!(weights(&at, "web-production"), expected, "step at +{k} min");
    }
}

#[test]
fn test_traffic_reaches_green_through_the_test_listener_rule() {
    // BG: "Testing Phase: Validate the green environment using test traffic routing. The
    // Application Load Balancer directs test requests to the green environment while production
    // traffic remains on blue." ALB: the test listener rule forwards to the green target group.
    let mut v = scenario(json!({"strategy": "CANARY", "bakeTimeInMinutes": 5,
                                "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 5}}));
    v["traffic"]["targetGroups"] = json!([
        {"listenerRule": "web-production", "requestsPerSecond": {"type": "constant", "value": 100}},
        {"listenerRule": "web-test", "requestsPerSecond": {"type": "constant", "value": 5}},
    ]);
    let mut sim = load(&v);
    sim.run_until(UPDATE_AT + 20 * MIN);
    let shift = stage_at(&sim, "TEST_TRAFFIC_SHIFT");
    // Before the deployment, test requests go where the rule says: blue.
    assert_eq!(request_count(&sim, UPDATE_AT, "web-blue"), Some(6300.0));
    // After the test traffic shift: all 300 test requests plus 10 % of production on green.
    let m = next_minute(shift);
    assert_eq!(request_count(&sim, m, "web-green"), Some(900.0));
    assert_eq!(request_count(&sim, m, "web-blue"), Some(5400.0));
    assert_eq!(weights(&sim, "web-test"), w(0, 100));
}

#[test]
fn the_next_deployment_goes_back_to_the_other_target_group() {
    // ALB: the alternate target group receives the new revision; after a completed deployment the
    // group that served production is the alternate one for the next.
    let mut v = scenario(json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 1}));
    v["timeline"]
        .as_array_mut()
        .expect("timeline")
        .push(json!({"at": 1200, "action": "UpdateService", "input": {"service": "web", "taskDefinition": "web:1"}}));
    let mut sim = load(&v);
    sim.run_until(1_199_000);
    assert_eq!(weights(&sim, "web-production"), w(0, 100));
    assert_eq!((registered_in(&sim, "web-blue"), registered_in(&sim, "web-green")), (0, 2));
    sim.run_until(1_215_000);
    assert_eq!(registered_in(&sim, "web-blue"), 2, "web:1 registers in web-blue now");
    sim.run_until(2_400_000);
    assert_eq!(weights(&sim, "web-production"), w(100, 0));
    assert_eq!(primary(&sim).task_def.revision, 1);
    assert_eq!(primary(&sim).rollout_state, RolloutState::Completed);
    assert_eq!(running(&sim, 2), 0);
}

fn error_alarm(rollback: bool) -> Value {
    let mut v = scenario(json!({"strategy": "CANARY", "bakeTimeInMinutes": 5,
        "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 10},
        "alarms": {"alarmNames": ["web-green-5xx"], "enable": true, "rollback": rollback}}));
    v["containerBehaviors"] = json!([{"taskDefinition": "web:2", "containerName": "web", "errorPercent": 50}]);
    v["metricAlarms"] = json!([{"AlarmName": "web-green-5xx", "Namespace": "AWS/ApplicationELB",
        "MetricName": "HTTPCode_Target_5XX_Count", "Dimensions": [{"Name": "TargetGroup", "Value": "web-green"}],
        "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1, "Threshold": 10,
        "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching"}]);
    v
}

#[test]
fn an_alarm_during_the_canary_rolls_traffic_back_to_blue_at_once() {
    // ALARMS: "set the deployment to failed when it detects that a specified CloudWatch alarm has
    // gone into the ALARM state ... roll back a failed deployment to the last completed
    // deployment." BG: rollback reverts "to the blue deployment without extended service
    // disruption": blue still runs, so the weights return to blue in the same instant.
    let mut sim = load(&error_alarm(true));
    sim.run_until(UPDATE_AT + 20 * MIN);
    let shift = stage_at(&sim, "TEST_TRAFFIC_SHIFT");
    let alarm_at = sim
        .log()
        .entries()
        .iter()
        .find(|e| e.detail_type == kind::ALARM_STATE_CHANGE && e.detail["state"]["value"] == "ALARM")
        .map(|e| e.t)
        .expect("the alarm fires");
    // 300 of green's 600 requests fail in the first canary minute: ALARM at that minute's end.
    assert_eq!(alarm_at, next_minute(shift));
    let failed = &sim.state().services[0].deployments[1];
    assert_eq!(failed.rollout_state, RolloutState::Failed);
    assert_eq!(failed.rollout_state_reason, "ECS deployment failed: alarm(s) detected: web-green-5xx in ALARM state.");
    let back = primary(&sim);
    assert_eq!(back.task_def.revision, 1);
    assert_eq!(back.rollout_state, RolloutState::Completed);
    assert_eq!(weights(&sim, "web-production"), w(100, 0));
    assert_eq!(weights(&sim, "web-test"), w(100, 0));
    // The weights went back in the alarm's instant; green was scaled down, blue never stopped.
    let mut at = load(&error_alarm(true));
    at.run_until(alarm_at);
    assert_eq!(weights(&at, "web-production"), w(100, 0));
    assert_eq!(running(&at, 1), 2);
    assert_eq!(running(&sim, 2), 0);
    assert_eq!(running(&sim, 1), 2);
    let failed_events: Vec<_> = sim
        .log()
        .entries()
        .iter()
        .filter(|e| {
            e.detail_type == kind::DEPLOYMENT_STATE_CHANGE && e.detail["eventName"] == "SERVICE_DEPLOYMENT_FAILED"
        })
        .map(|e| e.t)
        .collect();
    assert_eq!(failed_events, vec![alarm_at]);
}

#[test]
fn without_rollback_an_alarm_fails_the_canary_and_it_stays_where_it_stopped() {
    // ALARMS: rollback is optional ("You can optionally set the configuration to roll back"); the
    // failed deployment launches nothing more and shifts no more traffic.
    let mut sim = load(&error_alarm(false));
    sim.run_until(UPDATE_AT + 30 * MIN);
    let d = primary(&sim);
    assert_eq!(d.task_def.revision, 2);
    assert_eq!(d.rollout_state, RolloutState::Failed);
    assert_eq!(weights(&sim, "web-production"), w(90, 10));
    assert_eq!((running(&sim, 1), running(&sim, 2)), (2, 2));
}

/// A rolling update of 4 tasks where web:2 has a quarter of web:1's CPU, with a CPU alarm.
fn rolling_with_cpu_alarm(web2_cpu: u32) -> Value {
    json!({
        "seed": 7, "cluster": "playground",
        "availabilityZones": ["us-east-1a", "us-east-1b"],
        "containerInstances": [{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2},
                               {"instanceType": "m5.large", "availabilityZone": "us-east-1b", "count": 2}],
        "taskDefinitions": [td("public.ecr.aws/nginx/nginx:1.26", 512), td("public.ecr.aws/nginx/nginx:1.27", web2_cpu)],
        "targetGroups": [tg("web-tg")],
        "metricAlarms": [{"AlarmName": "web-cpu-high", "Namespace": "AWS/ECS", "MetricName": "CPUUtilization",
            "Dimensions": [{"Name": "ClusterName", "Value": "playground"}, {"Name": "ServiceName", "Value": "web"}],
            "Statistic": "Average", "Period": 60, "EvaluationPeriods": 2, "DatapointsToAlarm": 2, "Threshold": 60,
            "ComparisonOperator": "GreaterThanThreshold"}],
        "services": [{"serviceName": "web", "taskDefinition": "web:1", "desiredCount": 4, "launchType": "EC2",
            "loadBalancers": [{"targetGroupArn": "web-tg", "containerName": "web", "containerPort": 80}],
            "deploymentConfiguration": {"minimumHealthyPercent": 50, "maximumPercent": 200,
                "alarms": {"alarmNames": ["web-cpu-high"], "enable": true, "rollback": true}}}],
        "traffic": {"targetGroups": [{"targetGroup": "web-tg", "requestsPerSecond": {"type": "constant", "value": 100}}]},
        "timings": {"jitter": 0, "cachedPullSeconds": 5},
        "timeline": [{"at": 300, "action": "UpdateService", "input": {"service": "web", "taskDefinition": "web:2"}}],
    })
}

#[test]
fn a_deployment_alarm_rolls_back_a_rolling_update() {
    // ALARMS, for the rolling update: the CPU alarm goes to ALARM once web:2 (128 CPU units) serves
    // the traffic; the deployment fails and rolls back to web:1, the last COMPLETED deployment.
    let mut sim = load(&rolling_with_cpu_alarm(128));
    sim.run_until(15 * MIN);
    let svc = &sim.state().services[0];
    assert_eq!(svc.deployments[1].rollout_state, RolloutState::Failed);
    assert!(svc.deployments[1].rollout_state_reason.contains("web-cpu-high"));
    assert_eq!(primary(&sim).task_def.revision, 1);
    assert_eq!(primary(&sim).rollout_state, RolloutState::Completed);
    assert_eq!((running(&sim, 1), running(&sim, 2)), (4, 0));
    assert!(sim.all_alarm_states().contains(&("web-cpu-high".to_string(), "OK")));
}

#[test]
fn with_alarms_a_rolling_update_stays_in_progress_for_the_bake_time() {
    // ALARMS: "With alarms configured, the deployment will continue for an additional duration, the
    // bake time. At this time, the primary deployment remains within the IN_PROGRESS state." The
    // playground's bake is the alarm's evaluation range (2 x 60 s, an assumption: AWS computes it
    // from the alarm configuration and does not document the formula).
    let mut sim = load(&rolling_with_cpu_alarm(512));
    sim.run_until(20 * MIN);
    let steady = sim
        .log()
        .entries()
        .iter()
        .filter(|e| e.detail_type == kind::SERVICE_EVENT && e.t > 300_000)
        .find(|e| e.detail["message"].as_str().is_some_and(|m| m.ends_with("has reached a steady state.")))
        .map(|e| e.t)
        .expect("steady");
    let completed = sim
        .log()
        .entries()
        .iter()
        .filter(|e| e.detail_type == kind::DEPLOYMENT_STATE_CHANGE && e.t > 300_000)
        .find(|e| e.detail["eventName"] == "SERVICE_DEPLOYMENT_COMPLETED")
        .map(|e| e.t)
        .expect("completed");
    assert_eq!(completed, steady + 2 * MIN);
    assert_eq!(primary(&sim).task_def.revision, 2);
}

#[test]
fn set_alarm_state_to_alarm_rolls_back_a_rolling_update_and_the_alarm_returns_to_its_state() {
    // CloudWatch SetAlarmState (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html):
    // "Temporarily sets the state of an alarm for testing purposes"; the alarm returns to its
    // actual state at its next evaluation. ALARMS: an alarm in ALARM fails the deployment and, with
    // rollback, returns to the last COMPLETED deployment. Without the call this update completes
    // on web:2 (with_alarms_a_rolling_update_stays_in_progress_for_the_bake_time).
    let mut v = rolling_with_cpu_alarm(512);
    v["timeline"].as_array_mut().expect("timeline").push(json!({"at": 330, "action": "SetAlarmState",
        "input": {"AlarmName": "web-cpu-high", "StateValue": "ALARM", "StateReason": "testing the rollback"}}));
    let mut sim = load(&v);
    sim.run_until(20 * MIN);
    let svc = &sim.state().services[0];
    assert_eq!(svc.deployments[1].rollout_state, RolloutState::Failed);
    assert!(svc.deployments[1].rollout_state_reason.contains("web-cpu-high"));
    assert_eq!(primary(&sim).task_def.revision, 1);
    assert_eq!((running(&sim, 1), running(&sim, 2)), (4, 0));
    let changes: Vec<(u64, String, String)> = sim
        .log()
        .entries()
        .iter()
        .filter(|e| e.detail_type == kind::ALARM_STATE_CHANGE && e.t >= 330_000)
        .map(|e| {
            (
                e.t,
                e.detail["state"]["value"].as_str().unwrap_or_default().to_string(),
                e.detail["state"]["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(changes[0], (330_000, "ALARM".to_string(), "testing the rollback".to_string()));
    assert_eq!((changes[1].0, changes[1].1.as_str()), (6 * MIN, "OK"), "back to its actual state");
    let failed_at = sim
        .log()
        .entries()
        .iter()
        .filter(|e| e.detail_type == kind::SERVICE_EVENT)
        .find(|e| e.detail["message"].as_str().is_some_and(|m| m.contains("deployment failed")))
        .map(|e| e.t);
    assert_eq!(failed_at, Some(330_000), "the deployment fails at the call");
    // Refusals name the field.
    let e = sim
        .apply_json("SetAlarmState", &json!({"AlarmName": "nope", "StateValue": "ALARM", "StateReason": "x"}))
        .expect_err("unknown");
    assert_eq!((e.exception, e.field.as_str()), ("ResourceNotFound", "AlarmName"));
    let e = sim
        .apply_json("SetAlarmState", &json!({"AlarmName": "web-cpu-high", "StateValue": "RED", "StateReason": "x"}))
        .expect_err("enum");
    assert_eq!(e.field, "StateValue");
    let e =
        sim.apply_json("SetAlarmState", &json!({"AlarmName": "web-cpu-high", "StateValue": "OK"})).expect_err("req");
    assert!(e.to_string().contains("StateReason"), "{e}");
}

fn load_err(v: &Value) -> ecs_sim::error::ApiError {
    match ecs_sim::load(&v.to_string(), None) {
        Ok(_) => panic!("loaded, expected an error"),
        Err(e) => e,
    }
}

#[test]
fn validation_errors_name_the_field() {
    // BG / ALB: an ALB blue/green service names its alternate target group, production listener
    // rule and role (advancedConfiguration).
    let mut v = scenario(json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 5}));
    v["services"][0]["loadBalancers"][0].as_object_mut().expect("lb").remove("advancedConfiguration");
    assert_eq!(load_err(&v).field, "services[0].loadBalancers[0].advancedConfiguration");
    let mut v = scenario(json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 5}));
    v["services"][0]["loadBalancers"][0]["advancedConfiguration"].as_object_mut().expect("adv").remove("roleArn");
    assert_eq!(load_err(&v).field, "services[0].loadBalancers[0].advancedConfiguration.roleArn");
    // DeploymentConfiguration.bakeTimeInMinutes: "You must provide this parameter when you use the
    // BLUE_GREEN deployment strategy."
    let e = load_err(&scenario(json!({"strategy": "BLUE_GREEN"})));
    assert_eq!(e.field, "services[0].deploymentConfiguration.bakeTimeInMinutes");
    assert_eq!(e.exception, "InvalidParameterException");
    // CANARY: canaryPercent "multiples of 0.1 from 0.1 to 100.0".
    for bad in [0.0, 100.5, 12.34] {
        let e = load_err(&scenario(json!({"strategy": "CANARY", "canaryConfiguration": {"canaryPercent": bad}})));
        assert_eq!(e.field, "services[0].deploymentConfiguration.canaryConfiguration.canaryPercent", "{bad}");
    }
    // LINEAR: stepPercent "multiples of 0.1 from 3.0 to 100.0"; bake times "0 to 1440 minutes".
    let e = load_err(&scenario(json!({"strategy": "LINEAR", "linearConfiguration": {"stepPercent": 2.5}})));
    assert_eq!(e.field, "services[0].deploymentConfiguration.linearConfiguration.stepPercent");
    let e = load_err(&scenario(
        json!({"strategy": "LINEAR", "linearConfiguration": {"stepPercent": 10, "stepBakeTimeInMinutes": 1441}}),
    ));
    assert_eq!(e.field, "services[0].deploymentConfiguration.linearConfiguration.stepBakeTimeInMinutes");
    // "only valid when ... a deploymentConfiguration with a strategy set to CANARY".
    let e = load_err(&scenario(json!({"strategy": "LINEAR", "canaryConfiguration": {"canaryPercent": 10}})));
    assert_eq!(e.field, "services[0].deploymentConfiguration.canaryConfiguration");
    // "... with deploymentController set to ECS".
    let mut v = scenario(json!({"strategy": "CANARY"}));
    v["services"][0]["deploymentController"] = json!({"type": "CODE_DEPLOY"});
    assert_eq!(load_err(&v).field, "services[0].deploymentConfiguration.strategy");
    // The alternate target group and the rules must exist; a rule forwards to both groups.
    let mut v = scenario(json!({"strategy": "CANARY"}));
    v["services"][0]["loadBalancers"][0]["advancedConfiguration"]["alternateTargetGroupArn"] = json!("nope");
    assert_eq!(load_err(&v).field, "services[0].loadBalancers[0].advancedConfiguration.alternateTargetGroupArn");
    let mut v = scenario(json!({"strategy": "CANARY"}));
    v["listenerRules"][1]["Actions"][0]["ForwardConfig"]["TargetGroups"] =
        json!([{"TargetGroupArn": "web-blue", "Weight": 1}]);
    assert_eq!(load_err(&v).field, "services[0].loadBalancers[0].advancedConfiguration.testListenerRule");
    // ELBv2: "Each target group weight is a value from 0 to 999."
    let mut v = scenario(json!({"strategy": "CANARY"}));
    v["listenerRules"][0]["Actions"][0]["ForwardConfig"]["TargetGroups"][0]["Weight"] = json!(1000);
    assert_eq!(load_err(&v).field, "listenerRules[0].Actions[0].ForwardConfig.TargetGroups[0].Weight");
    // DeploymentAlarms: alarmNames, enable and rollback are required; names must exist here.
    let e = load_err(&scenario(json!({"alarms": {"alarmNames": ["x"], "enable": true}})));
    assert!(e.field.starts_with("services[0].deploymentConfiguration.alarms"), "{e}");
    let e = load_err(&scenario(json!({"alarms": {"alarmNames": ["x"], "enable": true, "rollback": true}})));
    assert_eq!(e.field, "services[0].deploymentConfiguration.alarms.alarmNames[0]");
}

#[test]
fn update_service_checks_the_strategy_before_changing_anything() {
    // UpdateService takes the same deploymentConfiguration members; a refused call changes nothing.
    let mut sim = load(&scenario(json!({})));
    sim.run_until(60_000);
    let e = sim
        .apply_json(
            "UpdateService",
            &json!({"service": "web", "taskDefinition": "web:2",
                    "deploymentConfiguration": {"strategy": "CANARY", "canaryConfiguration": {"canaryPercent": 200}}}),
        )
        .expect_err("refused");
    assert_eq!(e.field, "deploymentConfiguration.canaryConfiguration.canaryPercent");
    assert_eq!(primary(&sim).task_def.revision, 1);
    // A valid switch to CANARY shifts 20 % first.
    sim.apply_json(
        "UpdateService",
        &json!({"service": "web", "taskDefinition": "web:2",
                "deploymentConfiguration": {"strategy": "CANARY", "canaryConfiguration": {"canaryPercent": 20, "canaryBakeTimeInMinutes": 3}}}),
    )
    .expect("accepted");
    sim.run_until(3 * MIN);
    assert_eq!(weights(&sim, "web-production"), w(80, 20));
    let v = sim.traffic_view();
    assert_eq!(v[0].strategy, "CANARY");
    assert_eq!(v[0].stage, Some("PRODUCTION_TRAFFIC_SHIFT"));
    assert_eq!(v[0].green_percent, Some(20.0));
    assert!(v[0].wait_seconds_left.is_some_and(|s| s > 0 && s <= 180));
}

// ------------------------------------------------------------------ StopServiceDeployment
// STOP: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopServiceDeployment.html
// ("ROLLBACK - This option rolls back the service deployment to the previous service revision.
// You can use this option even if you didn't configure the service deployment for the rollback
// option.") and https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stop-service-deployment.html
// (IN_PROGRESS "moves to the ROLLBACK_REQUESTED state, and then the rollback operation starts").

/// The scenario with a StopServiceDeployment ROLLBACK of the service's deployment in progress at `at` s.
fn with_stop(mut v: Value, at: u64, stop_type: &str) -> Value {
    v["timeline"].as_array_mut().expect("timeline").push(json!({"at": at, "action": "StopServiceDeployment",
        "input": {"serviceDeploymentArn": "web", "stopType": stop_type}}));
    v
}

fn service_deployments(sim: &Simulation) -> Vec<Value> {
    sim.list_service_deployments("web").expect("service")
}

#[test]
fn a_rollback_during_the_bake_time_sends_production_and_test_traffic_back_to_blue_at_once() {
    // STOP + BG: the deployment rolls back to the previous revision; blue still runs through the
    // bake time, so both listener rules forward to blue in the instant of the call and green is
    // scaled down.
    let bg = json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 10});
    let stop_at = UPDATE_AT / 1000 + 5 * 60;
    let mut sim = load(&with_stop(scenario(bg.clone()), stop_at, "ROLLBACK"));
    sim.run_until(stop_at * 1000 - 1);
    assert_eq!(weights(&sim, "web-production"), w(0, 100), "green serves production while baking");
    assert_eq!(weights(&sim, "web-test"), w(0, 100));
    assert_eq!(sim.traffic_view()[0].stage, Some("BAKE_TIME"));
    assert_eq!(service_deployments(&sim)[0]["status"], "IN_PROGRESS");
    sim.run_until(stop_at * 1000);
    assert_eq!(weights(&sim, "web-production"), w(100, 0));
    assert_eq!(weights(&sim, "web-test"), w(100, 0));
    assert_eq!(running(&sim, 1), 2, "blue kept running");
    let rolled = &sim.state().services[0].deployments[1];
    assert_eq!(rolled.rollout_state, RolloutState::Failed);
    assert_eq!(rolled.status, DeploymentStatus::Active);
    assert_eq!(primary(&sim).task_def.revision, 1);
    assert_eq!(service_deployments(&sim)[0]["status"], "ROLLBACK_IN_PROGRESS");
    // Green drains (30 s deregistration delay) and stops; blue is COMPLETED again.
    sim.run_until(stop_at * 1000 + 2 * MIN);
    assert_eq!((running(&sim, 1), running(&sim, 2)), (2, 0));
    assert_eq!(primary(&sim).rollout_state, RolloutState::Completed);
    let list = service_deployments(&sim);
    assert_eq!(list[0]["status"], "ROLLBACK_SUCCESSFUL");
    assert_eq!(list[1]["status"], "SUCCESSFUL");
    let arn = list[0]["serviceDeploymentArn"].as_str().expect("arn");
    assert!(arn.starts_with("arn:aws:ecs:us-east-1:123456789012:service-deployment/playground/web/"), "{arn}");
    let d = sim.describe_service_deployment(arn).expect("described");
    assert_eq!(d["lifecycleStage"], "BAKE_TIME");
    assert!(d["rollback"]["serviceRevisionArn"].as_str().is_some_and(|r| r.contains(":service-revision/")));
    assert_eq!(d["targetServiceRevision"]["runningTaskCount"], 0);
    assert_eq!(d["sourceServiceRevisions"][0]["runningTaskCount"], 2);
    assert_eq!(d["sourceServiceRevisions"][0]["requestedProductionTrafficWeight"], 100.0);
    // The call is logged with the request body as given and the ARN as response.
    let call = sim
        .log()
        .entries()
        .iter()
        .find(|e| e.detail_type == kind::API_CALL && e.detail["eventName"] == "StopServiceDeployment")
        .expect("logged");
    assert_eq!(call.detail["responseElements"]["serviceDeploymentArn"], arn);
    // Without the stop, the same deployment completes on web:2.
    let mut plain = load(&scenario(bg));
    plain.run_until(stop_at * 1000 + 2 * MIN);
    assert_eq!(weights(&plain, "web-production"), w(0, 100));
}

#[test]
fn the_console_rollback_button_names_the_deployment_in_progress_by_its_arn() {
    // STOP during a canary's PRODUCTION_TRAFFIC_SHIFT, through the typed command the app sends.
    use ecs_sim::command::{Command, StopServiceDeploymentInput};
    let dc = json!({"strategy": "CANARY", "bakeTimeInMinutes": 5,
                    "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 10}});
    let mut sim = load(&scenario(dc));
    sim.run_until(UPDATE_AT + 3 * MIN);
    assert_eq!(weights(&sim, "web-production"), w(90, 10));
    let view = &sim.traffic_view()[0];
    assert_eq!(view.stage, Some("PRODUCTION_TRAFFIC_SHIFT"));
    assert_eq!(view.service_deployment_status, Some("IN_PROGRESS"));
    let arn = view.service_deployment_arn.clone().expect("a deployment in progress");
    let r =
        sim.apply(Command::StopServiceDeployment(StopServiceDeploymentInput::rollback(arn.clone()))).expect("stopped");
    assert_eq!(r["serviceDeploymentArn"], arn.as_str());
    assert_eq!(weights(&sim, "web-production"), w(100, 0));
    assert_eq!(weights(&sim, "web-test"), w(100, 0));
    // The rollback goes on: a second stop "continues the rollback operation".
    assert!(sim.apply(Command::StopServiceDeployment(StopServiceDeploymentInput::rollback(arn.clone()))).is_ok());
    assert_eq!(sim.traffic_view()[0].service_deployment_arn, None, "nothing left to roll back");
    sim.run_until(UPDATE_AT + 6 * MIN);
    assert_eq!((running(&sim, 1), running(&sim, 2)), (2, 0));
    // The canary never shifts again: ten minutes later the rule still forwards to blue.
    sim.run_until(UPDATE_AT + 20 * MIN);
    assert_eq!(weights(&sim, "web-production"), w(100, 0));
    assert_eq!(sim.traffic_view()[0].service_deployment_status, Some("ROLLBACK_SUCCESSFUL"));
    // Once finished it cannot be stopped again.
    let e = sim.apply(Command::StopServiceDeployment(StopServiceDeploymentInput::rollback(arn))).expect_err("done");
    assert_eq!(e.exception, "ConflictException");
}

#[test]
fn a_rollback_of_a_rolling_update_returns_to_the_previous_revision() {
    // STOP on a rolling update without circuit breaker or alarms ("even if you didn't configure
    // the service deployment for the rollback option"): web:1 is PRIMARY again and replaces web:2.
    let mut v = rolling_with_cpu_alarm(512);
    v["services"][0]["deploymentConfiguration"] = json!({"minimumHealthyPercent": 50, "maximumPercent": 100});
    v["timeline"].as_array_mut().expect("timeline").push(json!({"at": 330, "action": "StopServiceDeployment",
        "input": {"serviceDeploymentArn": "web", "stopType": "ROLLBACK"}}));
    let mut sim = load(&v);
    sim.run_until(329_000);
    assert!(running(&sim, 1) < 4, "the rolling update has stopped web:1 tasks");
    sim.run_until(330_000);
    assert_eq!(primary(&sim).task_def.revision, 1);
    assert_eq!(primary(&sim).rollout_state, RolloutState::InProgress);
    sim.run_until(15 * MIN);
    assert_eq!((running(&sim, 1), running(&sim, 2)), (4, 0));
    assert_eq!(primary(&sim).rollout_state, RolloutState::Completed);
    assert_eq!(service_deployments(&sim)[0]["status"], "ROLLBACK_SUCCESSFUL");
    assert!(service_deployments(&sim)[0].get("lifecycleStage").is_none());
    let rolled_back = sim.log().entries().iter().filter(|e| e.detail_type == kind::SERVICE_EVENT).any(|e| {
        e.t == 330_000 && e.detail["message"].as_str().is_some_and(|m| m.contains(") rolling back to deployment "))
    });
    assert!(rolled_back, "service event at the call");
}

#[test]
fn abort_stops_the_canary_where_it_is() {
    // ABORT (botocore StopServiceDeploymentStopType; its behaviour is not described: the
    // playground stops the deployment where it is, STOPPED, without rolling back).
    let dc = json!({"strategy": "CANARY", "bakeTimeInMinutes": 5,
                    "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 5}});
    let mut sim = load(&with_stop(scenario(dc), UPDATE_AT / 1000 + 3 * 60, "ABORT"));
    sim.run_until(UPDATE_AT + 30 * MIN);
    assert_eq!(weights(&sim, "web-production"), w(90, 10));
    assert_eq!((running(&sim, 1), running(&sim, 2)), (2, 2));
    assert_eq!(primary(&sim).rollout_state, RolloutState::Failed);
    assert_eq!(service_deployments(&sim)[0]["status"], "STOPPED");
    assert!(service_deployments(&sim)[0]["statusReason"].as_str().is_some_and(|r| r.contains("StopServiceDeployment")));
}

#[test]
fn stop_service_deployment_refusals_name_the_field() {
    use ecs_sim::command::{Command, StopServiceDeploymentInput};
    let mut sim = load(&scenario(json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 1})));
    sim.run_until(60_000);
    // The first deployment (CreateService) has nothing COMPLETED before it to roll back to; it
    // has completed anyway by now.
    let e = sim.apply_json("StopServiceDeployment", &json!({"serviceDeploymentArn": "web"})).expect_err("none");
    assert_eq!((e.exception, e.field.as_str()), ("ConflictException", "serviceDeploymentArn"));
    let e = sim
        .apply(Command::StopServiceDeployment(StopServiceDeploymentInput::rollback(
            "arn:aws:ecs:us-east-1:123456789012:service-deployment/playground/web/0000",
        )))
        .expect_err("unknown");
    assert_eq!(e.exception, "ServiceDeploymentNotFoundException");
    // stopType is ABORT or ROLLBACK; serviceDeploymentArn is required.
    let e = sim
        .apply_json("StopServiceDeployment", &json!({"serviceDeploymentArn": "web", "stopType": "PAUSE"}))
        .expect_err("enum");
    assert!(e.field.starts_with("input.stopType"), "{e}");
    let e = sim.apply_json("StopServiceDeployment", &json!({"stopType": "ROLLBACK"})).expect_err("required");
    assert!(e.to_string().contains("serviceDeploymentArn"), "{e}");
    // A completed deployment, named by its ARN, is not stopped.
    let arn = service_deployments(&sim)[0]["serviceDeploymentArn"].as_str().expect("arn").to_string();
    assert_eq!(service_deployments(&sim)[0]["status"], "SUCCESSFUL");
    let e = sim.apply_json("StopServiceDeployment", &json!({"serviceDeploymentArn": arn})).expect_err("done");
    assert_eq!(e.exception, "ConflictException");
}

// ------------------------------------------------------------------ lifecycle hooks
// HOOKS: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html
// and lambda-lifecycle-hooks.html ("SUCCEEDED - The deployment continues to the next lifecycle
// stage. FAILED - Amazon ECS rolls back the deployment to the last successful service revision.
// IN_PROGRESS - Amazon ECS invokes the function again after a delay. By default, the delay is 30
// seconds."); TIMEOUT: API_DeploymentLifecycleHookTimeoutConfiguration.html.

const HOOK: &str = "arn:aws:lambda:us-east-1:123456789012:function:smoke-test";

/// The scenario with `dc` plus one hook at `stages`, answering as `result` says.
fn with_hook(mut dc: Value, stages: Value, hook_extra: Value, result: Value) -> Value {
    let mut hook = json!({"hookTargetArn": HOOK, "roleArn": "arn:aws:iam::123456789012:role/ecsHooks",
                          "lifecycleStages": stages});
    if let (Some(h), Some(x)) = (hook.as_object_mut(), hook_extra.as_object()) {
        h.extend(x.clone());
    }
    dc["lifecycleHooks"] = json!([hook]);
    let mut v = scenario(dc);
    if !result.is_null() {
        v["lifecycleHookResults"] = json!([result]);
    }
    v
}

/// (time, stage, hookStatus) of the LifecycleHook lines.
fn hook_lines(sim: &Simulation) -> Vec<(u64, String, String)> {
    sim.log()
        .entries()
        .iter()
        .filter(|e| e.detail_type == "LifecycleHook")
        .map(|e| {
            (
                e.t,
                e.detail["lifecycleStage"].as_str().unwrap_or_default().to_string(),
                e.detail["hookStatus"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_succeeding_hook_holds_its_stage_for_its_duration() {
    // HOOKS: the function answers IN_PROGRESS for two minutes; ECS invokes it every 30 s and the
    // deployment stays in POST_TEST_TRAFFIC_SHIFT ("The test traffic shift is complete"): test
    // traffic on green, production still on blue. SUCCEEDED: the production shift follows.
    let v = with_hook(
        json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 5}),
        json!(["POST_TEST_TRAFFIC_SHIFT"]),
        json!({}),
        json!({"hookTargetArn": HOOK, "lifecycleStage": "POST_TEST_TRAFFIC_SHIFT", "hookStatus": "SUCCEEDED",
               "durationSeconds": 120}),
    );
    let mut sim = load(&v);
    sim.run_until(UPDATE_AT + 20 * MIN);
    let test = stage_at(&sim, "TEST_TRAFFIC_SHIFT");
    assert_eq!(stage_at(&sim, "POST_TEST_TRAFFIC_SHIFT"), test);
    assert_eq!(stage_at(&sim, "PRODUCTION_TRAFFIC_SHIFT"), test + 2 * MIN);
    let lines = hook_lines(&sim);
    let times: Vec<u64> = lines.iter().map(|l| l.0 - test).collect();
    assert_eq!(times, vec![0, 30_000, 60_000, 90_000, 120_000]);
    assert!(lines[..4].iter().all(|l| l.1 == "POST_TEST_TRAFFIC_SHIFT" && l.2 == "IN_PROGRESS"), "{lines:?}");
    assert_eq!(lines[4].2, "SUCCEEDED");
    assert_eq!(primary(&sim).rollout_state, RolloutState::Completed);
    assert_eq!(primary(&sim).task_def.revision, 2);
    // While the hook runs: the stage shows, test on green, production on blue.
    let mut at = load(&v);
    at.run_until(test + 90_000);
    assert_eq!(at.traffic_view()[0].stage, Some("POST_TEST_TRAFFIC_SHIFT"));
    assert_eq!(weights(&at, "web-test"), w(0, 100));
    assert_eq!(weights(&at, "web-production"), w(100, 0));
    let d = &at.list_service_deployments("web").expect("web")[0];
    assert_eq!(d["status"], "IN_PROGRESS");
    // The app's view: the hook as a step in progress (4 invocations so far), then passed.
    let h = &at.traffic_view()[0].hooks;
    assert_eq!(h.len(), 1);
    assert_eq!((h[0].lifecycle_stage, h[0].status, h[0].invocations), ("POST_TEST_TRAFFIC_SHIFT", "IN_PROGRESS", 4));
    assert_eq!(h[0].hook_target_arn, HOOK);
    at.run_until(test + 2 * MIN);
    let h = &at.traffic_view()[0].hooks;
    assert_eq!((h[0].status, h[0].invocations), ("SUCCEEDED", 5));
}

#[test]
fn a_failing_hook_after_the_test_traffic_shift_rolls_back_to_blue() {
    // HOOKS: "FAILED - Amazon ECS rolls back the deployment to the last successful service
    // revision": the test rule goes back to blue at once (production never left it), green is
    // scaled down, with the deployment failed service event naming the hook.
    let v = with_hook(
        json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 5}),
        json!(["POST_TEST_TRAFFIC_SHIFT"]),
        json!({}),
        json!({"hookTargetArn": HOOK, "hookStatus": "FAILED", "durationSeconds": 60}),
    );
    let mut sim = load(&v);
    sim.run_until(UPDATE_AT + 20 * MIN);
    let test = stage_at(&sim, "TEST_TRAFFIC_SHIFT");
    let failed_at = test + MIN;
    assert_eq!(hook_lines(&sim).last().map(|l| (l.0, l.2.clone())), Some((failed_at, "FAILED".to_string())));
    assert!(shifts(&sim).iter().all(|(_, s, _)| s != "PRODUCTION_TRAFFIC_SHIFT"), "production never shifted");
    let events: Vec<(u64, String)> = sim
        .log()
        .entries()
        .iter()
        .filter(|e| e.detail_type == kind::SERVICE_EVENT && e.t == failed_at)
        .map(|e| (e.t, e.detail["message"].as_str().unwrap_or_default().to_string()))
        .collect();
    let green_id = sim.state().services[0].deployments[1].id.clone();
    let blue_id = sim.state().services[0].deployments[0].id.clone();
    assert_eq!(
        events.iter().map(|e| e.1.as_str()).collect::<Vec<_>>(),
        vec![
            format!("(service web) (deployment {green_id}) deployment failed: lifecycle hook {HOOK} returned FAILED at POST_TEST_TRAFFIC_SHIFT."),
            format!("(service web) rolling back to deployment {blue_id}."),
        ]
    );
    assert_eq!(
        sim.state().services[0].deployments[1].rollout_state_reason,
        format!("ECS deployment failed: lifecycle hook {HOOK} returned FAILED at POST_TEST_TRAFFIC_SHIFT.")
    );
    let mut at = load(&v);
    at.run_until(failed_at - 1);
    assert_eq!(weights(&at, "web-test"), w(0, 100));
    at.run_until(failed_at);
    assert_eq!(weights(&at, "web-test"), w(100, 0));
    assert_eq!(weights(&at, "web-production"), w(100, 0));
    assert_eq!(running(&at, 1), 2);
    assert_eq!((running(&sim, 1), running(&sim, 2)), (2, 0));
    assert_eq!(primary(&sim).task_def.revision, 1);
    assert_eq!(primary(&sim).rollout_state, RolloutState::Completed);
    let d = &sim.list_service_deployments("web").expect("web")[0];
    assert_eq!(d["status"], "ROLLBACK_SUCCESSFUL");
    let h = &sim.traffic_view()[0].hooks;
    assert_eq!((h.len(), h[0].status, h[0].invocations), (1, "FAILED", 3));
    let arn = d["serviceDeploymentArn"].as_str().expect("arn");
    assert_eq!(sim.describe_service_deployment(arn).expect("d")["lifecycleStage"], "POST_TEST_TRAFFIC_SHIFT");
}

#[test]
fn the_hook_view_lists_each_stage_and_hook_with_its_status() {
    // API_DeploymentLifecycleHookDetail.html: a hook's status is IN_PROGRESS, SUCCEEDED, FAILED or
    // TIMED_OUT. While the function answers IN_PROGRESS the step is IN_PROGRESS; once it returns
    // FAILED the step is FAILED and stays listed after the rollback.
    let v = with_hook(
        json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 5}),
        json!(["POST_SCALE_UP", "POST_TEST_TRAFFIC_SHIFT"]),
        json!({}),
        json!({"hookTargetArn": HOOK, "lifecycleStage": "POST_TEST_TRAFFIC_SHIFT", "hookStatus": "FAILED",
               "durationSeconds": 60}),
    );
    let mut sim = load(&v);
    assert!(sim.hook_view("web").is_empty(), "no deployment ran a hook yet");
    sim.run_until(UPDATE_AT + 20 * MIN);
    let test = stage_at(&sim, "TEST_TRAFFIC_SHIFT");
    let mut at = load(&v);
    at.run_until(test + 30_000);
    let steps: Vec<(&str, String, &str)> =
        at.hook_view("web").iter().map(|h| (h.lifecycle_stage, h.hook_name.clone(), h.status)).collect();
    assert_eq!(
        steps,
        vec![
            ("POST_SCALE_UP", "smoke-test".to_string(), "SUCCEEDED"),
            ("POST_TEST_TRAFFIC_SHIFT", "smoke-test".to_string(), "IN_PROGRESS"),
        ]
    );
    assert_eq!(at.traffic_view()[0].hooks, at.hook_view("web"));
    let after: Vec<(&str, &str, u32)> =
        sim.hook_view("web").iter().map(|h| (h.lifecycle_stage, h.status, h.invocations)).collect();
    assert_eq!(after, vec![("POST_SCALE_UP", "SUCCEEDED", 1), ("POST_TEST_TRAFFIC_SHIFT", "FAILED", 3)]);
    // What the app draws: the passed step green, the failed one red, the running one neither.
    use ecs_sim::deploy_strategy::HookOutcome;
    let outcomes: Vec<HookOutcome> = sim.hook_view("web").iter().map(|h| h.outcome()).collect();
    assert_eq!(outcomes, [HookOutcome::Succeeded, HookOutcome::Failed]);
    assert_eq!(at.hook_view("web")[1].outcome(), HookOutcome::InProgress);
    assert_eq!(sim.hook_view("web")[0].hook_target_arn, HOOK);
    assert!(sim.hook_view("nope").is_empty());
}

#[test]
fn fail_next_lifecycle_hook_makes_the_next_invocation_fail_and_rolls_back() {
    // HOOKS: "FAILED - Amazon ECS rolls back the deployment to the last successful service
    // revision." The function would succeed (no lifecycleHookResults entry); the playground's
    // FailNextLifecycleHook makes its next answer FAILED, once.
    let mut v = with_hook(
        json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 1}),
        json!(["POST_TEST_TRAFFIC_SHIFT"]),
        json!({}),
        Value::Null,
    );
    let plain = v.clone();
    v["timeline"].as_array_mut().expect("timeline").push(json!({"at": 170, "action": "FailNextLifecycleHook",
        "input": {"hookTargetArn": HOOK}}));
    let mut ok = load(&plain);
    ok.run_until(UPDATE_AT + 20 * MIN);
    assert_eq!(primary(&ok).task_def.revision, 2, "without the fault the hook succeeds");
    let mut sim = load(&v);
    sim.run_until(UPDATE_AT + 20 * MIN);
    let test = stage_at(&sim, "TEST_TRAFFIC_SHIFT");
    assert_eq!(hook_lines(&sim), vec![(test, "POST_TEST_TRAFFIC_SHIFT".to_string(), "FAILED".to_string())]);
    assert_eq!(sim.state().services[0].deployments[1].rollout_state, RolloutState::Failed);
    assert_eq!(primary(&sim).task_def.revision, 1);
    assert_eq!(sim.hook_view("web")[0].status, "FAILED");
    // Only the next invocation: the following deployment's hook succeeds again.
    sim.apply_json("UpdateService", &json!({"service": "web", "taskDefinition": "web:2"})).expect("update");
    sim.run_until(UPDATE_AT + 40 * MIN);
    assert_eq!(primary(&sim).task_def.revision, 2);
    assert_eq!(sim.hook_view("web")[0].status, "SUCCEEDED");
    let e = sim
        .apply_json(
            "FailNextLifecycleHook",
            &json!({"hookTargetArn": "arn:aws:lambda:us-east-1:123456789012:function:x"}),
        )
        .expect_err("unknown");
    assert_eq!(e.field, "hookTargetArn");
}

#[test]
fn production_traffic_shift_hooks_run_after_each_canary_shift_before_its_wait() {
    // HOOKS at PRODUCTION_TRAFFIC_SHIFT ("Production traffic is shifting to the green service
    // revision"): the canary's 10 % holds for the hook's minute, then its 5-minute bake; the
    // shift to 100 % runs the hook again before the bake time.
    let v = with_hook(
        json!({"strategy": "CANARY", "bakeTimeInMinutes": 2,
               "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 5}}),
        json!(["PRODUCTION_TRAFFIC_SHIFT"]),
        json!({}),
        json!({"hookTargetArn": HOOK, "hookStatus": "SUCCEEDED", "durationSeconds": 60, "callBackDelay": 60}),
    );
    let mut sim = load(&v);
    sim.run_until(UPDATE_AT + 30 * MIN);
    let t = stage_at(&sim, "TEST_TRAFFIC_SHIFT");
    let prod: Vec<(u64, f64)> =
        shifts(&sim).into_iter().filter(|(_, s, _)| s == "PRODUCTION_TRAFFIC_SHIFT").map(|(t, _, p)| (t, p)).collect();
    assert_eq!(prod, vec![(t, 10.0), (t + 6 * MIN, 100.0)]);
    assert_eq!(stage_at(&sim, "BAKE_TIME"), t + 7 * MIN);
    assert_eq!(stage_at(&sim, "CLEAN_UP"), t + 9 * MIN);
    let times: Vec<u64> = hook_lines(&sim).iter().map(|l| l.0 - t).collect();
    assert_eq!(times, vec![0, MIN, 6 * MIN, 7 * MIN], "callBackDelay 60 s");
}

#[test]
fn a_hook_that_never_finishes_times_out_with_its_action() {
    // TIMEOUT: "The number of minutes Amazon ECS waits for the lifecycle hook to complete before
    // taking the timeout action"; CONTINUE "Proceeds the deployment to the next lifecycle stage",
    // ROLLBACK (the default) "Rolls back the deployment to the previous service revision".
    // PRE_SCALE_UP: "The green service revision has not started."
    let never = json!({"hookTargetArn": HOOK, "hookStatus": "IN_PROGRESS"});
    let bg = json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 1});
    let cont = with_hook(
        bg.clone(),
        json!(["PRE_SCALE_UP"]),
        json!({"timeoutConfiguration": {"timeoutInMinutes": 3, "action": "CONTINUE"}}),
        never.clone(),
    );
    let mut sim = load(&cont);
    sim.run_until(UPDATE_AT + 3 * MIN - 1);
    assert_eq!(sim.traffic_view()[0].stage, Some("PRE_SCALE_UP"));
    assert_eq!(running(&sim, 2), 0, "green has not started");
    sim.run_until(UPDATE_AT + 20 * MIN);
    assert_eq!(stage_at(&sim, "SCALE_UP"), UPDATE_AT + 3 * MIN);
    let last = hook_lines(&sim).last().cloned().expect("lines");
    assert_eq!((last.0, last.2.as_str()), (UPDATE_AT + 3 * MIN, "TIMED_OUT"));
    assert_eq!(primary(&sim).task_def.revision, 2);
    assert_eq!(primary(&sim).rollout_state, RolloutState::Completed);
    // The default action rolls back; no green task ever started.
    let rb = with_hook(bg, json!(["PRE_SCALE_UP"]), json!({"timeoutConfiguration": {"timeoutInMinutes": 3}}), never);
    let mut sim = load(&rb);
    sim.run_until(UPDATE_AT + 20 * MIN);
    assert_eq!(primary(&sim).task_def.revision, 1);
    assert_eq!(sim.state().services[0].deployments[1].rollout_state, RolloutState::Failed);
    assert!(sim.state().tasks.iter().all(|t| t.task_def.revision == 1));
    assert!(sim.state().services[0].deployments[1].rollout_state_reason.contains("timed out at PRE_SCALE_UP"));
}

#[test]
fn lifecycle_hook_refusals_name_the_field() {
    // DeploymentLifecycleHookStage (botocore): the stages a hook may name.
    let bg = || json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 1});
    let e = load_err(&with_hook(bg(), json!(["BAKE_TIME"]), json!({}), Value::Null));
    assert_eq!(e.field, "services[0].deploymentConfiguration.lifecycleHooks[0].lifecycleStages[0]");
    // "You must provide this parameter when configuring an AWS_LAMBDA lifecycle hook."
    let mut v = with_hook(bg(), json!(["POST_SCALE_UP"]), json!({}), Value::Null);
    v["services"][0]["deploymentConfiguration"]["lifecycleHooks"][0]
        .as_object_mut()
        .expect("hook")
        .remove("hookTargetArn");
    assert_eq!(load_err(&v).field, "services[0].deploymentConfiguration.lifecycleHooks[0].hookTargetArn");
    // timeoutInMinutes: "Minimum value of 1. Maximum value of 20160."
    let e = load_err(&with_hook(
        bg(),
        json!(["POST_SCALE_UP"]),
        json!({"timeoutConfiguration": {"timeoutInMinutes": 20161}}),
        Value::Null,
    ));
    assert_eq!(e.field, "services[0].deploymentConfiguration.lifecycleHooks[0].timeoutConfiguration.timeoutInMinutes");
    let e = load_err(&with_hook(bg(), json!(["POST_SCALE_UP"]), json!({"targetType": "PAUSE"}), Value::Null));
    assert_eq!(e.field, "services[0].deploymentConfiguration.lifecycleHooks[0].targetType");
    // The simulated function's answer is a hookStatus.
    let e = load_err(&with_hook(
        bg(),
        json!(["POST_SCALE_UP"]),
        json!({}),
        json!({"hookTargetArn": HOOK, "hookStatus": "OK"}),
    ));
    assert_eq!(e.field, "lifecycleHookResults[0].hookStatus");
}

const SECOND_HOOK: &str = "arn:aws:lambda:us-east-1:123456789012:function:contract-test";

/// Two hooks at POST_TEST_TRAFFIC_SHIFT: smoke-test answers `first` after 60 s, contract-test
/// answers `second` after `second_after` seconds.
fn two_hooks(first: &str, second: &str, second_after: u32) -> Value {
    let hook = |arn: &str| {
        json!({"hookTargetArn": arn, "roleArn": "arn:aws:iam::123456789012:role/ecsHooks",
               "lifecycleStages": ["POST_TEST_TRAFFIC_SHIFT"]})
    };
    let mut v = scenario(json!({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 5,
                                "lifecycleHooks": [hook(HOOK), hook(SECOND_HOOK)]}));
    v["lifecycleHookResults"] = json!([
        {"hookTargetArn": HOOK, "hookStatus": first, "durationSeconds": 60},
        {"hookTargetArn": SECOND_HOOK, "hookStatus": second, "durationSeconds": second_after},
    ]);
    v
}

/// (function name, status, invocations) of the hook steps the app and the snapshot show.
fn steps(sim: &Simulation) -> Vec<(String, &'static str, u32)> {
    let view = sim.hook_view("web");
    let traffic: Vec<_> = sim.traffic_view().into_iter().flat_map(|t| t.hooks).collect();
    assert_eq!(view, traffic, "one record: TrafficView::hooks is Simulation::hook_view");
    view.iter().map(|h| (h.hook_name.clone(), h.status, h.invocations)).collect()
}

#[test]
fn two_hooks_at_one_stage_are_listed_in_lifecycle_hooks_order_whichever_settles_first() {
    // HOOKS: ECS invokes every hook of a stage and moves on once all of them SUCCEEDED;
    // contract-test answers at once, smoke-test after a minute: the steps keep the order of
    // `lifecycleHooks` (the order ECS invoked them), not the order they settled in.
    let v = two_hooks("SUCCEEDED", "SUCCEEDED", 0);
    let mut sim = load(&v);
    sim.run_until(UPDATE_AT + 20 * MIN);
    let test = stage_at(&sim, "TEST_TRAFFIC_SHIFT");
    assert_eq!(stage_at(&sim, "PRODUCTION_TRAFFIC_SHIFT"), test + MIN, "the stage waits for the slower hook");
    let mut at = load(&v);
    at.run_until(test + 30_000);
    assert_eq!(
        steps(&at),
        vec![("smoke-test".to_string(), "IN_PROGRESS", 2), ("contract-test".to_string(), "SUCCEEDED", 1)]
    );
    assert_eq!(
        steps(&sim),
        vec![("smoke-test".to_string(), "SUCCEEDED", 3), ("contract-test".to_string(), "SUCCEEDED", 1)]
    );
    let snap = sim.snapshot();
    let shown = &snap["playground"]["trafficShifts"][0]["hooks"];
    assert_eq!(shown[0]["hookName"], "smoke-test");
    assert_eq!(shown[1]["status"], "SUCCEEDED");
}

#[test]
fn a_rollback_leaves_the_failed_hook_and_drops_the_one_that_never_answered() {
    // HOOKS: "FAILED - Amazon ECS rolls back the deployment": smoke-test fails after a minute
    // while contract-test is still IN_PROGRESS (it would answer after 5 minutes). ECS rolls back
    // at once and invokes contract-test no more (its calls stop at 60 s): the failed deployment (still the newest) keeps
    // smoke-test FAILED; contract-test never answered and is not listed (the log keeps its
    // IN_PROGRESS invocations).
    let v = two_hooks("FAILED", "SUCCEEDED", 300);
    let mut sim = load(&v);
    sim.run_until(UPDATE_AT + 20 * MIN);
    let test = stage_at(&sim, "TEST_TRAFFIC_SHIFT");
    assert_eq!(steps(&sim), vec![("smoke-test".to_string(), "FAILED", 3)]);
    let contract_calls: Vec<u64> = sim
        .log()
        .entries()
        .iter()
        .filter(|e| e.detail_type == "LifecycleHook" && e.detail["hookTargetArn"] == SECOND_HOOK)
        .map(|e| e.t - test)
        .collect();
    // Both were due at 60 s and invoked in that instant; none after the rollback.
    assert_eq!(contract_calls, vec![0, 30_000, 60_000], "no invocation after the rollback at 60 s");
    assert_eq!(weights(&sim, "web-test"), w(100, 0));
    assert_eq!(primary(&sim).task_def.revision, 1);
}
