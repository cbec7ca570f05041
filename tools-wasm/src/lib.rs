//! The web app's on-demand module: code the first picture does not need, moved out of the app's
//! wasm so the first load is smaller (issue 19). Trunk builds it beside the app (index.html,
//! `data-type="worker"` with `data-bindgen-target="web"`: an ES module and its wasm, no script tag);
//! the app imports it after the first picture, or when a panel needs it first (`src/tools.rs`).
//! What crosses is text: Terraform text in, scenario JSON and warnings out.

use wasm_bindgen::prelude::wasm_bindgen;

/// Terraform text (one pasted `main.tf`) -> `{"scenario": "<scenario JSON text>", "services": n,
/// "warnings": [{"file", "line", "message"}]}`. The app loads the scenario itself, so a scenario
/// that does not load gets the engine's field-named error there, as `ecs_sim::load` gives it.
#[wasm_bindgen]
pub fn import_terraform(file: &str, text: &str) -> String {
    terraform_reply(file, text).to_string()
}

fn terraform_reply(file: &str, text: &str) -> serde_json::Value {
    let (scenario, warnings) =
        ecs_sim::terraform_import::translate(&[ecs_sim::terraform_import::SourceFile::new(file, text)]);
    match serde_json::to_string(&scenario) {
        Ok(json) => serde_json::json!({
            "scenario": json,
            "services": scenario.services.len(),
            "warnings": warnings,
        }),
        Err(e) => serde_json::json!({ "error": e.to_string(), "warnings": warnings }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reply carries what `ecs_sim::terraform_import::import_text` builds: the same scenario
    /// (as JSON text the engine loads) and the same warnings.
    #[test]
    fn reply_matches_the_engine_import() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/tests/fixtures/terraform/module-data-source/main.tf");
        let text = std::fs::read_to_string(dir).expect("fixture");
        let want = ecs_sim::terraform_import::import_text("main.tf", &text);
        let got = terraform_reply("main.tf", &text);
        let scenario = got["scenario"].as_str().expect("scenario text");
        assert_eq!(ecs_sim::parse_scenario(scenario).expect("loads"), want.scenario);
        assert_eq!(got["services"], serde_json::json!(want.scenario.services.len()));
        assert_eq!(got["warnings"], serde_json::to_value(&want.warnings).expect("warnings"));
        assert!(want.warnings.iter().any(|w| w.message.contains("module \"vpc\"")), "the fixture warns");
        assert!(ecs_sim::load(scenario, None).is_ok() == want.loads.is_ok());
    }
}
