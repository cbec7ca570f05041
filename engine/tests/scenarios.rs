//! Every example scenario loads, runs an hour without panicking, and tells its story in the log.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;
use common::*;

const NAMES: &[&str] = &[
    "default",
    "alb-dynamic-ports",
    "task-replacement",
    "instance-termination",
    "draining",
    "crash-loop-backoff",
    "health-check-failure",
    "daemon",
    "capacity-provider-asg",
    "fargate-spot",
    "sqs-worker",
];

#[test]
fn every_scenario_runs_an_hour() {
    for name in NAMES {
        let sim = run_value(&scenario(name), 3600);
        assert!(sim.log().len() > 10, "{name} does something");
        let snap = sim.snapshot();
        assert!(snap["services"].as_array().is_some_and(|s| !s.is_empty()), "{name}");
    }
}

#[test]
fn scenarios_tell_their_story() {
    let has_event = |name: &str, until: u64, needle: &str| {
        let sim = run_value(&scenario(name), until);
        assert!(events(&sim).iter().any(|e| e.1.contains(needle)), "{name}: no event containing {needle:?}");
    };
    has_event("default", 200, "registered 1 targets in (target-group");
    has_event("task-replacement", 240, "has begun draining connections on 1 tasks.");
    has_event("instance-termination", 240, "has started 2 tasks");
    has_event("draining", 300, "has stopped 1 running tasks");
    has_event("crash-loop-backoff", 300, "is unable to consistently start tasks successfully.");
    has_event("health-check-failure", 300, "is unhealthy in (target-group");
    has_event("daemon", 300, "(service agent) has stopped 1 running tasks");
    // The default scenario publishes CloudWatch datapoints for its traffic.
    let sim = run_value(&scenario("default"), 400);
    assert!(entries(&sim, "Metric").any(|e| e.detail["metricName"] == "RequestCountPerTarget"));
}

/// Cost follows events, not simulated time: health checks are one event per target group
/// interval and metrics one per minute, with no per-task ticking. (A 200-task cluster: placement of
/// the 2,000-task benchmark is dominated by placement.rs, measured separately.)
#[test]
fn an_hour_costs_events_not_ticks() {
    let mut sc = scenario("default");
    sc["containerInstances"] = serde_json::json!([
        {"instanceType": "m5.2xlarge", "availabilityZone": "us-east-1a", "count": 14},
        {"instanceType": "m5.2xlarge", "availabilityZone": "us-east-1b", "count": 13},
        {"instanceType": "m5.2xlarge", "availabilityZone": "us-east-1c", "count": 13}
    ]);
    sc["services"][0]["desiredCount"] = serde_json::json!(200);
    sc["timeline"] = serde_json::json!([]);
    let sim = run_value(&sc, 3600);
    let snap = sim.snapshot();
    assert_eq!(service(&snap, "web")["runningCount"], 200);
    let one_hour = sim.events_processed();
    let sim = run_value(&sc, 7200);
    let extra = sim.events_processed() - one_hour;
    // Second hour: 120 health-check rounds + 60 metric ticks (+ a steady-state recheck or two).
    assert!(extra < 400, "{extra} events in a quiet hour");
}
