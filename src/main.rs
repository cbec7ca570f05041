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
