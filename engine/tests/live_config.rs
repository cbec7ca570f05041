//! Changing auto scaling and traffic while the simulation runs (the controls' actions), checked
//! against the same documented arithmetic as a policy loaded from the scenario.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::log::kind;
use serde_json::{json, Value};

const SCENARIO: &str = include_str!("../../scenarios/autoscaling-target-tracking-cpu.json");

fn activities(sim: &ecs_sim::Simulation) -> Vec<(u64, String)> {
    sim.log()
        .entries()
        .iter()
        .filter(|e| e.detail_type == kind::SCALING_ACTIVITY)
        .map(|e| (e.t / 1000, e.detail["Description"].as_str().unwrap_or_default().to_string()))
        .collect()
}

fn cpu_policy(name: &str, target: f64) -> Value {
    json!({
        "PolicyName": name, "ServiceNamespace": "ecs", "ResourceId": "service/demo/web",
        "ScalableDimension": "ecs:service:DesiredCount", "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {
            "TargetValue": target,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
            "ScaleOutCooldown": 300, "ScaleInCooldown": 300
        }
    })
}

/// The scenario without its `scaling` section: the teacher adds auto scaling from the controls.
fn without_scaling() -> ecs_sim::Simulation {
    let mut v: Value = serde_json::from_str(SCENARIO).expect("json");
    v.as_object_mut().expect("object").remove("scaling");
    ecs_sim::load(&v.to_string(), None).expect("loads")
}

/// Registering the target and putting the policy at t=0 through `apply` gives exactly the
/// activities of the same requests in the scenario file (the documented 3-datapoint scale-out,
/// proportional capacity, 300 s cooldown and 15-datapoint scale-in).
#[test]
fn policy_added_live_behaves_like_one_in_the_scenario() {
    let mut from_file = ecs_sim::load(SCENARIO, None).expect("loads");
    from_file.run_until(5_400_000);
    let mut live = without_scaling();
    let target = json!({"ServiceNamespace": "ecs", "ResourceId": "service/demo/web",
        "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 2, "MaxCapacity": 10});
    live.apply_json("RegisterScalableTarget", &target).expect("target registers");
    live.apply_json("PutScalingPolicy", &cpu_policy("cpu50", 50.0)).expect("policy is accepted");
    live.run_until(5_400_000);
    assert_eq!(activities(&live), activities(&from_file));
    assert_eq!(activities(&live).len(), 3, "{:?}", activities(&live));
}

/// "PutScalingPolicy: Creates or updates a scaling policy": putting `cpu50` again with a lower
/// target replaces it; the next scale-out is proportional to metric / new target.
#[test]
fn put_scaling_policy_updates_the_policy_with_the_same_name() {
    let mut sim = ecs_sim::load(SCENARIO, None).expect("loads");
    sim.run_until(1_200_000); // after 780 s (-> 4) and 1080 s (-> 7)
    assert_eq!(activities(&sim).len(), 2);
    sim.apply_json("PutScalingPolicy", &cpu_policy("cpu50", 20.0)).expect("update accepted");
    sim.run_until(2_000_000);
    let acts = activities(&sim);
    let third = acts.get(2).expect("a third activity after lowering the target");
    let to: u32 = third.1.trim_start_matches("Setting desired count to ").trim_end_matches('.').parse().expect("count");
    assert!(to > 7, "a lower target scales out further: {acts:?}");
    assert!(to <= 10, "MaxCapacity 10 still bounds it: {acts:?}");
}

/// "DeleteScalingPolicy deletes the CloudWatch alarms associated with the policy": no more
/// activities once it is gone, and deleting it twice is ObjectNotFoundException.
#[test]
fn deleted_policy_stops_scaling() {
    let mut sim = ecs_sim::load(SCENARIO, None).expect("loads");
    let del = json!({"PolicyName": "cpu50", "ServiceNamespace": "ecs", "ResourceId": "service/demo/web",
        "ScalableDimension": "ecs:service:DesiredCount"});
    sim.apply_json("DeleteScalingPolicy", &del).expect("deleted");
    sim.run_until(5_400_000);
    assert!(activities(&sim).is_empty(), "{:?}", activities(&sim));
    let e = sim.apply_json("DeleteScalingPolicy", &del).expect_err("already gone");
    assert_eq!(e.exception, "ObjectNotFoundException");
}

/// Errors name the field inside the request, like the API.
#[test]
fn invalid_live_requests_name_the_field() {
    let mut sim = ecs_sim::load(SCENARIO, None).expect("loads");
    let e = sim.apply_json("PutScalingPolicy", &cpu_policy("cpu0", 0.0)).expect_err("target 0");
    assert_eq!(e.field, "TargetTrackingScalingPolicyConfiguration.TargetValue", "{e}");
    let mut other = cpu_policy("x", 50.0);
    other["ResourceId"] = json!("service/demo/nope");
    assert!(sim.apply_json("PutScalingPolicy", &other).is_err());
    let bad = json!({"ServiceNamespace": "ecs", "ResourceId": "service/demo/web",
        "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 5, "MaxCapacity": 3});
    let e = sim.apply_json("RegisterScalableTarget", &bad).expect_err("min > max");
    assert_eq!(e.field, "MinCapacity", "{e}");
    let e = sim
        .apply_json(
            "SetTraffic",
            &json!({"targetGroup": "web-tg", "requestsPerSecond": {"type": "constant", "value": -5}}),
        )
        .expect_err("negative rate");
    assert!(e.field.starts_with("requestsPerSecond"), "{e}");
    let e = sim
        .apply_json(
            "SetTraffic",
            &json!({"targetGroup": "nope", "requestsPerSecond": {"type": "constant", "value": 5}}),
        )
        .expect_err("unknown target group");
    assert_eq!(e.field, "targetGroup", "{e}");
    // The failed calls changed nothing: the run matches an untouched one.
    let mut clean = ecs_sim::load(SCENARIO, None).expect("loads");
    sim.run_until(5_400_000);
    clean.run_until(5_400_000);
    assert_eq!(activities(&sim), activities(&clean));
}

/// Raising traffic from the controls raises the request count the ALB reports and, through CPU,
/// triggers the policy's scale-out; the same action replays from a timeline.
#[test]
fn set_traffic_drives_scaling() {
    let mut sim = without_scaling();
    sim.apply_json(
        "SetTraffic",
        &json!({"targetGroup": "web-tg", "requestsPerSecond": {"type": "constant", "value": 10}, "cpuMsPerRequest": 4}),
    )
    .expect("set");
    let target = json!({"ServiceNamespace": "ecs", "ResourceId": "service/demo/web",
        "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 2, "MaxCapacity": 10});
    sim.apply_json("RegisterScalableTarget", &target).expect("target");
    sim.apply_json("PutScalingPolicy", &cpu_policy("cpu50", 50.0)).expect("policy");
    sim.run_until(900_000);
    assert!(activities(&sim).is_empty(), "10 rps keeps CPU low: {:?}", activities(&sim));
    sim.apply_json(
        "SetTraffic",
        &json!({"targetGroup": "web-tg", "requestsPerSecond": {"type": "constant", "value": 400}, "cpuMsPerRequest": 4}),
    )
    .expect("set");
    sim.run_until(1_500_000);
    let acts = activities(&sim);
    // Datapoints of minutes 16, 17, 18 breach: ALARM, and the first scale-out, at 1080 s.
    assert_eq!(acts.first().map(|a| a.0), Some(1080), "{acts:?}");
}
