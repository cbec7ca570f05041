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

use ecs_sim::log::kind;
use ecs_sim::model::{DeploymentStatus, RolloutState, TaskStatus};
use ecs_sim::Simulation;
use serde_json::{json, Value};

const MIN: u64 = 60_000;
const UPDATE_AT: u64 = 180_000;

fn td(image: &str, cpu: u32) -> Value {
    json!({"family": "web", "networkMode": "bridge", "requiresCompatibilities": ["EC2"],
           "containerDefinitions": [{"name": "web", "image": image, "cpu": cpu, "memory": 512,
               "portMappings": [{"containerPort": 80, "hostPort": 0}]}]})
}

fn tg(name: &str) -> Value {
    json!({"Name": name, "Protocol": "HTTP", "Port": 80, "HealthCheckIntervalSeconds": 10, "HealthyThresholdCount": 2,
           "Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]})
}

fn rule(name: &str) -> Value {
    json!({"RuleArn": name, "Priority": "1", "Actions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": [
        {"TargetGroupArn": "web-blue", "Weight": 100}, {"TargetGroupArn": "web-green", "Weight": 0}]}}]})
}

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

fn load(v: &Value) -> Simulation {
    ecs_sim::load(&v.to_string(), None).expect("scenario loads")
}

/// The rule's forward weights by target group name.
fn weights(sim: &Simulation, rule: &str) -> Vec<(String, u32)> {
    let st = sim.state();
    let r = st.listener_rules.iter().find(|r| r.name == rule).expect("rule");
    r.forward.iter().map(|(tg, w)| (st.target_groups[tg.idx()].name.clone(), *w)).collect()
}

fn w(blue: u32, green: u32) -> Vec<(String, u32)> {
    vec![("web-blue".to_string(), blue), ("web-green".to_string(), green)]
}

fn running(sim: &Simulation, revision: u32) -> usize {
    sim.state().tasks.iter().filter(|t| t.task_def.revision == revision && t.last_status == TaskStatus::Running).count()
}

/// Live tasks of a revision (any state before STOPPED) registered in a target group.
fn registered_in(sim: &Simulation, group: &str) -> usize {
    let st = sim.state();
    st.target_groups.iter().find(|g| g.name == group).map_or(0, |g| g.targets.len())
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

fn stage_at(sim: &Simulation, stage: &str) -> u64 {
    shifts(sim).iter().find(|(_, s, _)| s == stage).map(|(t, _, _)| *t).unwrap_or_else(|| panic!("no {stage}"))
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
    sim.state().services[0].deployments.iter().find(|d| d.status == DeploymentStatus::Primary).expect("primary")
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
