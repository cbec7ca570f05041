//! Engine throughput, natively: simulated seconds per wall second for the small, classroom and
//! large scenarios of `ecs_sim::fixtures`, and placements per second. Prints figures and writes
//! them to target/bench/engine-native.json. A benchmark, not a test: nothing is asserted.
//!
//! Run: `cargo bench -p ecs-sim --bench throughput`

use ecs_sim::time::HOUR;
use serde_json::json;
use std::time::Instant;

fn main() {
    let mut results = Vec::new();
    for (name, scenario) in ecs_sim::fixtures::bench_set() {
        let text = scenario.to_string();
        // Best of three runs of one simulated hour, to dampen noise from other processes.
        let mut best = f64::MAX;
        let mut events = 0;
        let mut placements = 0;
        for _ in 0..3 {
            let started = Instant::now();
            let mut sim = match ecs_sim::load(&text, None) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("{name}: {e}");
                    return;
                }
            };
            sim.run_until(HOUR);
            let wall = started.elapsed().as_secs_f64();
            best = best.min(wall);
            events = sim.events_processed();
            placements = sim.state().tasks.len();
        }
        let sim_per_wall = 3600.0 / best;
        println!(
            "{name}\n  1 simulated hour in {:.3} s wall  ({:.0} simulated s per wall s; {} events; {} placements, {:.0} placements/s)",
            best,
            sim_per_wall,
            events,
            placements,
            placements as f64 / best
        );
        results.push(json!({
            "scenario": name,
            "wallSecondsPerSimulatedHour": best,
            "simulatedSecondsPerWallSecond": sim_per_wall,
            "events": events,
            "placements": placements,
            "placementsPerSecond": placements as f64 / best,
        }));
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    let _ = std::fs::create_dir_all(&dir);
    let out = json!({"engine": "native", "results": results});
    let path = dir.join("engine-native.json");
    match std::fs::write(&path, serde_json::to_string_pretty(&out).unwrap_or_default()) {
        Ok(()) => println!("written to {}", path.display()),
        Err(e) => eprintln!("could not write {}: {e}", path.display()),
    }
}
