//! The web app's on-demand module: code the first picture does not need, moved out of the app's
//! wasm so the first load is smaller (issue 19). Trunk builds it beside the app (index.html,
//! `data-type="worker"` with `data-bindgen-target="web"`: an ES module and its wasm, no script tag);
//! the app imports it after the first picture, or when a panel needs it first (`src/tools.rs`).
//! What crosses is text: Terraform text in, an `ImportReply` (JSON) out.

use ecs_sim::terraform_import::{ImportReply, SourceFile};
use wasm_bindgen::prelude::wasm_bindgen;

/// Terraform text (one pasted `main.tf`) -> `ecs_sim::terraform_import::ImportReply` as JSON text.
#[wasm_bindgen]
pub fn import_terraform(file: &str, text: &str) -> String {
    let reply = ImportReply::of(&[SourceFile::new(file, text)]);
    serde_json::to_string(&reply).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
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
        let got: ImportReply = serde_json::from_str(&import_terraform("main.tf", &text)).expect("reply");
        let scenario = got.scenario.as_deref().expect("scenario text");
        assert_eq!(ecs_sim::parse_scenario(scenario).expect("loads"), want.scenario);
        assert_eq!(got.services, want.scenario.services.len());
        assert_eq!(got.warnings, want.warnings);
        assert_eq!(got.error, None);
        assert!(want.warnings.iter().any(|w| w.message.contains("module \"vpc\"")), "the fixture warns");
        assert!(ecs_sim::load(scenario, None).is_ok() == want.loads.is_ok());
    }
}
