//! The web app's on-demand module: code the first picture does not need, moved out of the app's
//! wasm so the first load is smaller (issue 19). Trunk builds it beside the app (index.html,
//! `data-type="worker"` with `data-bindgen-target="web"`: an ES module and its wasm, no script tag);
//! the app imports it after the first picture, or when a panel needs it first (`src/tools.rs`).
//! What crosses is text holding typed values: Terraform text in, an `ImportReply` (JSON) out; an
//! `ecs_sim::export::ExportRequest` (JSON) in, the export's text out (the `aws` CLI and Terraform
//! renderers live here, not in the app).

use ecs_sim::export::ExportRequest;
use ecs_sim::terraform_import::{ImportReply, SourceFile};
use wasm_bindgen::prelude::wasm_bindgen;

/// Terraform text (one pasted `main.tf`) -> `ecs_sim::terraform_import::ImportReply` as JSON text.
#[wasm_bindgen]
pub fn import_terraform(file: &str, text: &str) -> String {
    let reply = ImportReply::of(&[SourceFile::new(file, text)]);
    serde_json::to_string(&reply).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
}

/// `ecs_sim::export::ExportRequest` as JSON text -> the export's text (`aws` CLI commands or
/// Terraform). A request that does not parse is an error (the app wrote it: a version mismatch).
#[wasm_bindgen]
pub fn render_export(request: &str) -> Result<String, String> {
    let request: ExportRequest =
        serde_json::from_str(request).map_err(|e| format!("the export request does not parse: {e}"))?;
    Ok(request.render())
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

    /// What the app sends (a `Setup` as JSON) renders the same text as the engine's renderers on
    /// the setup itself: the request loses nothing on the way (CLI and Terraform, every scenario).
    #[test]
    fn exports_render_the_same_through_the_request() {
        use ecs_sim::export::{cli, terraform, ExportFormat, Setup};
        let root = env!("CARGO_MANIFEST_DIR");
        let mut n = 0;
        let files = ["scenarios", "lessons"]
            .iter()
            .flat_map(|d| std::fs::read_dir(format!("{root}/../{d}")).expect("dir"))
            .map(|e| e.expect("entry").path());
        for path in files {
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("scenario");
            let Ok(sim) = ecs_sim::load(&text, None) else { continue };
            let setup = Setup::from_sim(&sim);
            for (format, want) in
                [(ExportFormat::Cli, cli::render(&setup)), (ExportFormat::Terraform, terraform::render(&setup))]
            {
                let request = serde_json::to_string(&ExportRequest { format, setup: setup.clone() }).expect("json");
                assert_eq!(render_export(&request).expect("renders"), want, "{} {format:?}", path.display());
            }
            n += 1;
        }
        assert!(n > 40, "{n} scenarios and lessons");
        assert!(render_export("{\"format\":\"Cli\"}").expect_err("no setup").contains("setup"));
    }
}
