//! Engine throughput, natively: simulated seconds per wall second for the small, classroom and
//! large scenarios of `ecs_sim::fixtures`, and placements per second; then the quota-scale
//! scenarios of issue 19 (engine/benches/fixtures/) timed as `ecs-sim run FILE --until 3600`
//! with the output to a file. Prints figures and writes them to target/bench/engine-native.json.
//! A benchmark, not a test: nothing is asserted.
//!
//! Run: `cargo bench -p ecs-sim --bench throughput`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

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
    let quota = quota_scale(&dir);
    let out = json!({"engine": "native", "results": results, "quota": quota});
    let path = dir.join("engine-native.json");
    match std::fs::write(&path, serde_json::to_string_pretty(&out).unwrap_or_default()) {
        Ok(()) => println!("written to {}", path.display()),
        Err(e) => eprintln!("could not write {}: {e}", path.display()),
    }
}

/// `ecs-sim run FILE --until 3600 > target/bench/FILE.jsonl`, in process (the CLI's own code):
/// load, one simulated hour, every log line and the final snapshot written to a file. Best of
/// three for the first row, one run for the second (tens of seconds before issue 19).
fn quota_scale(dir: &std::path::Path) -> Vec<serde_json::Value> {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/fixtures");
    let mut out = Vec::new();
    for (k, (name, file, _)) in ecs_sim::fixtures::quota_set().into_iter().enumerate() {
        let path = fixtures.join(file);
        let log_path = dir.join(file.replace(".json", ".jsonl"));
        let runs = if k == 0 { 3 } else { 1 };
        let mut best = f64::MAX;
        let mut lines = 0;
        for _ in 0..runs {
            let args = vec![path.display().to_string(), "--until".to_string(), "3600".to_string()];
            let Ok(mut file) = std::fs::File::create(&log_path) else {
                eprintln!("could not write {}", log_path.display());
                return out;
            };
            let mut warnings = Vec::new();
            let started = Instant::now();
            if let Err(e) = ecs_sim::cli::check::run_command(&args, &mut file, &mut warnings) {
                eprintln!("{name}: {e:?}");
                break;
            }
            best = best.min(started.elapsed().as_secs_f64());
            lines = std::fs::read_to_string(&log_path).map(|t| t.lines().count()).unwrap_or(0);
        }
        println!("{name}\n  ecs-sim run --until 3600 > {}: {best:.3} s wall ({lines} log lines)", log_path.display());
        out.push(json!({"scenario": name, "file": file, "wallSeconds": best, "logLines": lines, "runs": runs}));
    }
    out
}
