//! Rules of issue 16, each checked against the AWS documentation page it cites: behaviour the
//! engine used to get wrong, API rules it let through, and real input it refused.

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
    sim.apply("RegisterTaskDefinition", &td).expect("registers web:2");
    sim.apply("UpdateService", &json!({"service": "web", "taskDefinition": "web:2"})).expect("update");
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
