//! The on-demand module (`tools-wasm/`, crate `ecs-playground-tools`): code the first picture does
//! not need (the Terraform import; the `aws` CLI and Terraform export renderers), kept out of this
//! wasm so the first load is smaller (issue 19).
//! Trunk writes it beside the page as `ecs-playground-tools.js` and `_bg.wasm`; `prefetch` imports
//! it right after the first picture (like the lessons, so the page keeps working offline once
//! loaded), and a call made before that imports it first.

use ecs_sim::export::ExportRequest;
use ecs_sim::terraform_import::ImportReply;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
let tools = null;
// One import for the page's life; a failed one (offline before it arrived) is tried again.
function load() {
  if (!tools) {
    tools = import(new URL('ecs-playground-tools.js', document.baseURI).href)
      .then(async (m) => { await m.default(); return m; });
    tools.catch(() => { tools = null; });
  }
  return tools;
}
export function tools_prefetch() { load().catch(() => {}); }
export async function tools_call(name, a, b) { const m = await load(); return m[name](a, b); }
"#)]
extern "C" {
    fn tools_prefetch();
    fn tools_call(name: &str, a: &str, b: &str) -> js_sys::Promise;
}

/// Import the module now (right after the first picture), so it is there offline.
pub fn prefetch() {
    tools_prefetch();
}

/// Call one of the module's functions (text in, text out); `what` names it in errors.
async fn call(what: &str, name: &str, a: &str, b: &str) -> Result<String, String> {
    let v = JsFuture::from(tools_call(name, a, b))
        .await
        .map_err(|e| format!("{what} did not load ({})", e.as_string().unwrap_or_else(|| "network error".into())))?;
    v.as_string().ok_or_else(|| format!("{what} gave no text"))
}

/// An export's text (`aws` CLI commands or Terraform), rendered in the on-demand module.
pub async fn render_export(request: &ExportRequest) -> Result<String, String> {
    // Through a Value: the setup's request types already serialize to Values in this wasm (the
    // JSON export, log lines); straight to text would add a second copy of each (26 KB).
    let json = serde_json::to_value(request).map_err(|e| e.to_string())?.to_string();
    call("the export", "render_export", &json, "").await
}

/// `ecs_sim::terraform_import::translate` on one pasted file, in the on-demand module: the
/// scenario (JSON text), its service count and the warnings, or why there is none.
pub async fn import_terraform(file: &str, text: &str) -> Result<ImportReply, String> {
    let reply: ImportReply = serde_json::from_str(&call("the Terraform import", "import_terraform", file, text).await?)
        .map_err(|e| format!("the Terraform import gave an unreadable reply ({e})"))?;
    match (&reply.scenario, &reply.error) {
        (Some(_), _) => Ok(reply),
        (None, e) => Err(e.clone().unwrap_or_else(|| "the Terraform import built no scenario".into())),
    }
}
