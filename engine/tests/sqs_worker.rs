//! A worker service scaling on an SQS queue's backlog per task (`scenarios/sqs-worker.json`):
//! arrivals 1 msg/s, 20 msg/s from 300 s to 1200 s, then 1 msg/s; each task processes 2 msg/s.
//! "acceptable backlog per instance = acceptable latency / average processing time":
//! 50 s / 0.5 s = 100, the policy's TargetValue.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;
use common::*;

fn metric(sim: &ecs_sim::Simulation, name: &str, t: u64) -> f64 {
    entries(sim, "Metric")
        .find(|e| e.detail["metricName"] == name && e.t == t * 1000)
        .and_then(|e| e.detail["value"].as_f64())
        .unwrap_or(-1.0)
}

fn activities(sim: &ecs_sim::Simulation) -> Vec<(u64, u64, u64)> {
    entries(sim, "ScalingActivity")
        .filter_map(|e| {
            Some((e.t / 1000, e.detail["FromDesiredCount"].as_u64()?, e.detail["ToDesiredCount"].as_u64()?))
        })
        .collect()
}

#[test]
fn queue_metrics_follow_arrivals_and_consumption() {
    let sim = run_value(&scenario("sqs-worker"), 500);
    // One task keeps up with 1 msg/s: nothing waits.
    assert_eq!(metric(&sim, "ApproximateNumberOfMessagesVisible", 300), 0.0);
    // 300-360 s: 1,200 arrive, one task processes 120 -> 1,080 visible; backlog per task 1,080.
    assert_eq!(metric(&sim, "NumberOfMessagesSent", 360), 1200.0);
    assert_eq!(metric(&sim, "NumberOfMessagesDeleted", 360), 120.0);
    assert_eq!(metric(&sim, "ApproximateNumberOfMessagesVisible", 360), 1080.0);
    assert_eq!(metric(&sim, "BacklogPerTask", 360), 1080.0);
    assert_eq!(metric(&sim, "ApproximateNumberOfMessagesVisible", 480), 3240.0);
}

#[test]
fn backlog_per_task_scales_out_in_proportion() {
    // Target tracking: 3 datapoints above 100 (360, 420, 480 s), then ceil(1 x 3240 / 100) = 33
    // tasks; MaxCapacity 50 here so the proportional figure shows.
    let mut sc = scenario("sqs-worker");
    sc["scaling"]["ScalableTargets"][0]["MaxCapacity"] = 50.into();
    let sim = run_value(&sc, 700);
    assert_eq!(activities(&sim).first(), Some(&(480, 1, 33)));
    // The scenario's MaxCapacity of 20 clamps the same decision.
    let sim = run_value(&scenario("sqs-worker"), 700);
    assert_eq!(activities(&sim).first(), Some(&(480, 1, 20)));
    // 20 tasks process 40 msg/s > 20 msg/s arriving: the backlog drains.
    assert!(metric(&sim, "ApproximateNumberOfMessagesVisible", 660) == 0.0);
}

#[test]
fn scale_in_waits_for_15_low_datapoints() {
    let sim = run_value(&scenario("sqs-worker"), 2400);
    let acts = activities(&sim);
    assert_eq!(acts.len(), 2, "{acts:?}");
    // Backlog per task is below 90 from 600 s on: the 15th datapoint is at 1440 s.
    assert_eq!(metric(&sim, "BacklogPerTask", 600), 42.0);
    assert_eq!(acts[1].0, 1440);
    assert_eq!((acts[1].1, acts[1].2), (20, 1), "ceil(20 x 0 / 100) = 0, held at MinCapacity 1");
    assert_eq!(sim.queue_backlog("jobs"), Some(0.0));
}

#[test]
fn worker_service_must_exist() {
    let mut sc = scenario("sqs-worker");
    sc["queues"][0]["Workload"]["workerService"] = "nope".into();
    let e = ecs_sim::load(&sc.to_string(), None).err().map(|e| e.field).unwrap_or_default();
    assert_eq!(e, "queues[0].Workload.workerService");
    let mut sc = scenario("sqs-worker");
    sc["queues"][0]["Workload"]["bogus"] = 1.into();
    let e = ecs_sim::load(&sc.to_string(), None).err().map(|e| e.message).unwrap_or_default();
    assert!(e.contains("bogus"), "{e}");
}
