//! Placement microbenchmark (issue 19): how many placement decisions per second `placement::place`
//! makes on a cluster of 500 m5.xlarge instances already running 2,000 tasks of the service, for
//! the service scheduler's default strategy and the documented example strategies; then RunTask
//! end to end (placement, the task created PROVISIONING on its instance, its log line), 10 tasks
//! per call as RunTask allows.
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

fn cluster() -> Option<ecs_sim::sim::Simulation> {
    let doc = ecs_sim::fixtures::cluster("placement", INSTANCES, RUNNING, vec![]);
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

fn main() {
    let Some(sim) = cluster() else { return };
    let st = sim.state();
    let Some(td) = st.task_defs.families.get("web").and_then(|v| v.first()) else {
        eprintln!("placement bench: no task definition web");
        return;
    };
    let az_available = st.az_available();
    let view = st.placement_view(&az_available);
    let live = st.tasks.iter().filter(|t| t.is_live()).count();
    println!("placement::place on {INSTANCES} instances running {live} tasks (one decision per call)");
    let cases: Vec<(&str, Vec<PlacementStrategy>)> = vec![
        ("default service strategy: spread(AZ), spread(instanceId)", placement::default_service_strategy()),
        ("binpack(memory)", vec![strategy("binpack", Some("memory"))]),
        (
            "spread(AZ), binpack(memory)",
            vec![strategy("spread", Some("attribute:ecs.availability-zone")), strategy("binpack", Some("memory"))],
        ),
        ("random", vec![strategy("random", None)]),
    ];
    let mut results = Vec::new();
    let mut rng = ecs_sim::rng::SimRng::seeded(1);
    for (name, strategies) in &cases {
        let req = PlacementRequest {
            task_definition: td,
            group: "service:web",
            strategies,
            constraints: &[],
            capacity_provider: None,
        };
        // Best of three rounds of at least 0.3 s each, to dampen noise from other processes.
        let mut best = 0.0f64;
        let mut placed = 0u64;
        for _ in 0..3 {
            let started = Instant::now();
            let mut n = 0u64;
            while started.elapsed().as_secs_f64() < 0.3 {
                for _ in 0..100 {
                    if placement::place(&view, &req, &mut rng).is_ok() {
                        placed += 1;
                    }
                    n += 1;
                }
            }
            best = best.max(n as f64 / started.elapsed().as_secs_f64());
        }
        println!("  {name}: {best:.0} placements/s{}", if placed == 0 { " (none placed!)" } else { "" });
        results.push(json!({"strategy": name, "placementsPerSecond": best, "placed": placed > 0}));
    }
    // End to end: RunTask of 10 tasks at a time (placement, task created, log line) until 4,000
    // more tasks are on the same 500 instances.
    let Some(mut sim) = cluster() else { return };
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
