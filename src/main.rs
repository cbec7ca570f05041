//! ECS Playground, the browser app: renders engine state and dispatches commands to the engine.
//! All orchestration lives in the `ecs-sim` crate; see ARCHITECTURE.md.

mod actions;
mod app;
mod components;
mod playback;
mod view_model;

use leptos::prelude::WithValue;
use wasm_bindgen::prelude::wasm_bindgen;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

/// Digest of the default scenario's event log after `until_seconds` of simulated time, computed
/// by the engine compiled to wasm. The browser test compares it with the native CLI's digest:
/// the same scenario and seed must give byte-identical logs on every platform.
#[wasm_bindgen]
pub fn default_scenario_log_digest(until_seconds: u32) -> String {
    match ecs_sim::load(app::DEFAULT_SCENARIO, None) {
        Ok(mut sim) => {
            sim.run_until(u64::from(until_seconds) * 1000);
            sim.log().digest()
        }
        Err(e) => format!("error: {e}"),
    }
}

/// Engine throughput inside the browser: the same generated scenarios as the native benchmark
/// (`ecs_sim::fixtures::bench_set`), one simulated hour each. `now_ms` is the page's clock
/// (`performance.now`), passed in so the engine itself never reads time. Returns JSON lines.
#[wasm_bindgen]
pub fn bench_engine(now_ms: &js_sys::Function) -> String {
    let clock = || now_ms.call0(&wasm_bindgen::JsValue::NULL).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    let mut out = Vec::new();
    for (name, scenario) in ecs_sim::fixtures::bench_set() {
        let started = clock();
        let result = ecs_sim::load(&scenario.to_string(), None).map(|mut sim| {
            sim.run_until(ecs_sim::time::HOUR);
            (sim.events_processed(), sim.state().tasks.len())
        });
        let wall_s = (clock() - started) / 1000.0;
        out.push(match result {
            Ok((events, placements)) => serde_json::json!({
                "scenario": name, "wallSecondsPerSimulatedHour": wall_s,
                "simulatedSecondsPerWallSecond": 3600.0 / wall_s.max(1e-9), "events": events, "placements": placements,
            }),
            Err(e) => serde_json::json!({"scenario": name, "error": e.to_string()}),
        });
    }
    serde_json::Value::Array(out).to_string()
}

/// Replace the playground's scenario with a scenario document (JSON text), paused at 0:00.
/// Returns "" on success, else the engine's error. Used by the frame benchmark.
#[wasm_bindgen]
pub fn playground_load_scenario(text: &str) -> String {
    match app::with_ctl(|c| c.load_scenario(text)) {
        Some(Ok(())) => String::new(),
        Some(Err(e)) => e,
        None => "the app is not mounted".to_string(),
    }
}

/// The user's recorded actions as scenario timeline entries (JSON array text), for replay and
/// export.
#[wasm_bindgen]
pub fn playground_recorded_timeline() -> String {
    app::with_ctl(|c| {
        c.playback.with_value(|p| {
            let entries: Vec<_> =
                p.as_ref().map(|p| p.commands().iter().map(|c| c.to_timeline_entry()).collect()).unwrap_or_default();
            serde_json::Value::Array(entries).to_string()
        })
    })
    .unwrap_or_else(|| "[]".to_string())
}
