//! Where the browser's longest frame at ECS's quota scale goes: plays the 5,000/5,000 fixture to
//! just before the rolling update (15:00) and times, natively, a checkpoint's clone of the whole
//! simulation and the engine's steps across 15:00 in frame-sized slices (10x: 167 simulated ms).
//!
//! Run: `cargo run --release -p ecs-sim --example quota_step [fixture]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // measuring tool

use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "engine/benches/fixtures/quota-5000x5000.json".into());
    let text = std::fs::read_to_string(&path).unwrap();
    let mut sim = ecs_sim::load(&text, None).unwrap();
    sim.set_log_retention(Some(ecs_sim::replay::LOG_RETENTION));
    sim.run_until(899_000);
    let t = Instant::now();
    let copy = sim.clone();
    println!("clone at 14:59: {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    drop(copy);
    let mut at = 899_000;
    while at < 906_000 {
        at += 167;
        let n = sim.log().len();
        let t = Instant::now();
        sim.run_until(at);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if ms > 2.0 {
            let mut kinds = std::collections::BTreeMap::new();
            for e in sim.log().since(n) {
                let k = match e.detail_type {
                    ecs_sim::log::kind::TASK_STATE_CHANGE => format!("{} {}", e.detail_type, e.detail["lastStatus"]),
                    other => other.to_string(),
                };
                *kinds.entry(k).or_insert(0) += 1;
            }
            println!("step to {:.3} s: {ms:.1} ms, {} log lines: {kinds:?}", at as f64 / 1000.0, sim.log().len() - n);
        }
    }
}
