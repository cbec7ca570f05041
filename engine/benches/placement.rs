//! Placement microbenchmark (issue 19): how many placement decisions per second `placement::place`
//! makes on a cluster of 500 m5.xlarge instances already running 2,000 tasks of the service, for
//! the service scheduler's default strategy and the documented example strategies; then RunTask
//! end to end (placement, the task created PROVISIONING on its instance, its log line), 10 tasks
//! per call as RunTask allows. The binpack strategies also on 5,000 instances (ECS's per-cluster
//! quota), to show their cost follows the candidates walked, not the cluster.
//! Goal: > 50,000 placements per second natively. Prints figures and writes them to
//! target/bench/placement.json. A benchmark, not a test: nothing is asserted.
//!
//! Run: `cargo bench -p ecs-sim --bench placement`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::placement::{self, PlacementRequest};
use ecs_sim::scenario::PlacementStrategy;
use ecs_sim::time::SECOND;
use serde_json::json;
use std::time::Instant;

const INSTANCES: u32 = 500;
const RUNNING: u32 = 2_000;
/// RunTask calls of 10 tasks each.
const CALLS: u32 = 400;

fn strategy(kind: &str, field: Option<&str>) -> PlacementStrategy {
    PlacementStrategy { kind: kind.into(), field: field.map(Into::into) }
}

fn cluster(instances: u32, running: u32) -> Option<ecs_sim::sim::Simulation> {
    let mut doc = ecs_sim::fixtures::cluster("placement", instances, running, vec![]);
    // A scenario group launches at most 1,000 instances: split larger ones.
    if let Some(groups) = doc["containerInstances"].as_array_mut() {
        let mut split = Vec::new();
        for g in groups.iter() {
            let mut left = g["count"].as_u64().unwrap_or(0);
            while left > 0 {
                let mut part = g.clone();
                part["count"] = json!(left.min(1_000));
                left -= left.min(1_000);
                split.push(part);
            }
        }
        *groups = split;
    }
    let mut sim = match ecs_sim::load(&doc.to_string(), None) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("placement bench: {e}");
            return None;
        }
    };
    // Every task of the service placed and RUNNING.
    sim.run_until(300 * SECOND);
    Some(sim)
}

/// Placement decisions per second for `strategies` on the cluster `view` shows: best of three
/// rounds of at least 0.3 s each, to dampen noise from other processes. Also whether any placed.
fn rate(
    view: &ecs_sim::placement::ClusterView,
    td: &ecs_sim::taskdef::TaskDefinition,
    strategies: &[PlacementStrategy],
    rng: &mut ecs_sim::rng::SimRng,
) -> (f64, bool) {
    let req = PlacementRequest {
        task_definition: td,
        group: "service:web",
        strategies,
        constraints: &[],
        capacity_provider: None,
    };
    let mut best = 0.0f64;
    let mut placed = 0u64;
    for _ in 0..3 {
        let started = Instant::now();
        let mut n = 0u64;
        while started.elapsed().as_secs_f64() < 0.3 {
            for _ in 0..100 {
                if placement::place(view, &req, rng).is_ok() {
                    placed += 1;
                }
                n += 1;
            }
        }
        best = best.max(n as f64 / started.elapsed().as_secs_f64());
    }
    (best, placed > 0)
}

/// The binpack strategies again on 10x the instances (ECS's per-cluster quota), one task of the
/// service on each: binpack walks from the task's need, so its rate should not fall 10x.
fn at_quota(rng: &mut ecs_sim::rng::SimRng) -> Vec<serde_json::Value> {
    let Some(sim) = cluster(LARGE, LARGE) else { return Vec::new() };
    let st = sim.state();
    let Some(td) = st.task_defs.families.get("web").and_then(|v| v.first()) else { return Vec::new() };
    let az_available = st.az_available();
    let view = st.placement_view(&az_available);
    let live = st.tasks.iter().filter(|t| t.is_live()).count();
    println!("placement::place on {LARGE} instances running {live} tasks");
    let mut results = Vec::new();
    for (name, strategies) in binpack_cases() {
        let (best, placed) = rate(&view, td, &strategies, rng);
        println!("  {name}: {best:.0} placements/s{}", if placed { "" } else { " (none placed!)" });
        results.push(json!({"strategy": name, "instances": LARGE, "placementsPerSecond": best, "placed": placed}));
    }
    results
}

/// ECS's quota of container instances per cluster.
const LARGE: u32 = 5_000;

fn binpack_cases() -> Vec<(&'static str, Vec<PlacementStrategy>)> {
    vec![
        ("binpack(memory)", vec![strategy("binpack", Some("memory"))]),
        (
            "spread(AZ), binpack(memory)",
            vec![strategy("spread", Some("attribute:ecs.availability-zone")), strategy("binpack", Some("memory"))],
        ),
    ]
}

fn main() {
    let Some(sim) = cluster(INSTANCES, RUNNING) else { return };
    let st = sim.state();
    let Some(td) = st.task_defs.families.get("web").and_then(|v| v.first()) else {
        eprintln!("placement bench: no task definition web");
        return;
    };
    let az_available = st.az_available();
    let view = st.placement_view(&az_available);
    let live = st.tasks.iter().filter(|t| t.is_live()).count();
    println!("placement::place on {INSTANCES} instances running {live} tasks (one decision per call)");
    let mut cases: Vec<(&str, Vec<PlacementStrategy>)> =
        vec![("default service strategy: spread(AZ), spread(instanceId)", placement::default_service_strategy())];
    cases.extend(binpack_cases());
    cases.push(("random", vec![strategy("random", None)]));
    let mut results = Vec::new();
    let mut rng = ecs_sim::rng::SimRng::seeded(1);
    for (name, strategies) in &cases {
        let (best, placed) = rate(&view, td, strategies, &mut rng);
        println!("  {name}: {best:.0} placements/s{}", if placed { "" } else { " (none placed!)" });
        results.push(json!({"strategy": name, "placementsPerSecond": best, "placed": placed}));
    }
    results.extend(at_quota(&mut rng));
    // End to end: RunTask of 10 tasks at a time (placement, task created, log line) until 4,000
    // more tasks are on the same 500 instances.
    let Some(mut sim) = cluster(INSTANCES, RUNNING) else { return };
    let input = json!({"taskDefinition": "web", "count": 10, "launchType": "EC2"});
    let started = Instant::now();
    let mut tasks = 0u64;
    for _ in 0..CALLS {
        match sim.apply_json("RunTask", &input) {
            Ok(r) => tasks += r["tasks"].as_array().map_or(0, |a| a.len() as u64),
            Err(e) => {
                eprintln!("RunTask: {e}");
                break;
            }
        }
    }
    let wall = started.elapsed().as_secs_f64();
    let run_task = tasks as f64 / wall;
    println!(
        "RunTask x{CALLS} (count 10) on {INSTANCES} instances: {tasks} tasks placed and launched in {wall:.3} s = {run_task:.0} tasks/s"
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    let _ = std::fs::create_dir_all(&dir);
    let out = json!({
        "instances": INSTANCES,
        "runningTasks": live,
        "goalPlacementsPerSecond": 50_000,
        "place": results,
        "runTask": {"tasks": tasks, "wallSeconds": wall, "tasksPerSecond": run_task},
    });
    let path = dir.join("placement.json");
    match std::fs::write(&path, serde_json::to_string_pretty(&out).unwrap_or_default()) {
        Ok(()) => println!("written to {}", path.display()),
        Err(e) => eprintln!("could not write {}: {e}", path.display()),
    }
}
