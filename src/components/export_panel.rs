//! Export the current setup as what a person would run against real AWS: register-task-definition
//! and create-service JSON, `aws ecs` CLI commands, Terraform, or the event log as JSON Lines.
//! The text comes from the engine (`ecs_sim::export`); this panel shows it, copies it and offers
//! it as a download (a data: URL, so nothing leaves the page).

use crate::app::PlaybackCtl;
use ecs_sim::export::{cli, json, terraform, Setup};
use leptos::prelude::*;

/// (value, label, file name)
const FORMATS: [(&str, &str, &str); 4] = [
    ("json", "JSON (register-task-definition, create-service)", "ecs-setup.json"),
    ("cli", "AWS CLI commands", "ecs-setup.sh"),
    ("terraform", "Terraform", "ecs-setup.tf"),
    ("events", "Event log (JSON Lines)", "events.jsonl"),
];

fn render(ctl: PlaybackCtl, format: &str) -> String {
    ctl.with_sim(|sim| {
        let setup = Setup::from_sim(sim);
        match format {
            "cli" => cli::render(&setup),
            "terraform" => terraform::render(&setup),
            "events" => sim.log().to_json_lines(),
            _ => json::setup_document(&setup),
        }
    })
    .unwrap_or_default()
}

#[component]
pub fn ExportPanel() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let format = RwSignal::new("json".to_string());
    let shown = RwSignal::new(false);
    // Follows the engine (version) so the export is always the current setup; computed only
    // while shown (the event log can be long, and playback changes it every frame).
    let text = Memo::new(move |_| {
        let _ = ctl.version.get();
        if shown.get() {
            render(ctl, &format.get())
        } else {
            String::new()
        }
    });
    let file = move || FORMATS.iter().find(|f| f.0 == format.get()).map(|f| f.2).unwrap_or("export.txt");
    let href =
        move || format!("data:text/plain;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&text.get())));
    let copy = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&text.get_untracked());
        }
    };
    view! {
        <section class="export panel" aria-label="Export">
            <h2>"Export"</h2>
            <button aria-expanded=move || shown.get().to_string() on:click=move |_| shown.update(|s| *s = !*s)>
                {move || if shown.get() { "Hide export" } else { "Show export" }}
            </button>
            <Show when=move || shown.get()>
            <label>
                "Format "
                <select aria-label="Export format" prop:value=move || format.get() on:change=move |ev| format.set(event_target_value(&ev))>
                    {FORMATS.iter().map(|(v, l, _)| view! { <option value=*v>{*l}</option> }).collect_view()}
                </select>
            </label>
            <textarea class="export-text" aria-label="Exported text" readonly rows="10" spellcheck="false" prop:value=move || text.get()></textarea>
            <div class="row">
                <button on:click=copy>"Copy export"</button>
                <a class="button" href=href download=file>"Download export"</a>
            </div>
            </Show>
        </section>
    }
}
