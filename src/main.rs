//! ECS Playground, the browser app: renders engine state and dispatches commands to the engine.
//! All orchestration lives in the `ecs-sim` crate; see ARCHITECTURE.md.

mod app;
mod components;
mod playback;
mod view_model;

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
