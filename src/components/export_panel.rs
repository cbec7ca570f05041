//! Export the current setup as what a person would run against real AWS: register-task-definition
//! and create-service JSON, `aws ecs` CLI commands, Terraform, or the event log as JSON Lines.
//! The text comes from the engine (`ecs_sim::export`); the CLI and Terraform texts are rendered by
//! the on-demand module (`tools.rs`, issue 19). This panel shows it, copies it and offers it as a
//! download (a data: URL, so nothing leaves the page).

use crate::i18n::*;
use crate::playback_ctl::SimReader;
use crate::split::{later, wasm_split, SplitLoaderError};
use crate::tools;
use ecs_sim::export::{json, ExportFormat, ExportRequest, Setup};
use leptos::prelude::*;

/// (value, file name)
const FORMATS: [(&str, &str); 4] =
    [("json", "ecs-setup.json"), ("cli", "ecs-setup.sh"), ("terraform", "ecs-setup.tf"), ("events", "events.jsonl")];

/// How the menu names a format in the page's language ("Terraform" is a product name).
fn format_label(i18n: leptos_i18n::I18nContext<Locale>, value: &str) -> String {
    match value {
        "json" => t_string!(i18n, export.format_json).to_string(),
        "cli" => t_string!(i18n, export.format_cli).to_string(),
        "events" => t_string!(i18n, export.format_events).to_string(),
        _ => "Terraform".to_string(),
    }
}

/// The export's format for the on-demand module, if it renders this one (issue 19: the `aws` CLI
/// and Terraform renderers are not in the app's wasm).
fn module_format(format: &str) -> Option<ExportFormat> {
    match format {
        "cli" => Some(ExportFormat::Cli),
        "terraform" => Some(ExportFormat::Terraform),
        _ => None,
    }
}

/// The formats the app renders itself: the JSON request bodies and the event log.
fn render_here(reader: SimReader, format: &str) -> String {
    reader
        .with_sim(|sim| match format {
            "events" => sim.log().to_json_lines(),
            _ => json::setup_document(&Setup::from_sim(sim)),
        })
        .unwrap_or_default()
}

/// The export panel. What "Show" opens is split off the app's wasm (src/split.rs): mounted the
/// first time it is shown, then kept (hidden with the button).
#[component]
pub fn ExportPanel() -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(false);
    let opened = Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || shown.get());
    view! {
        <section class="export panel" aria-label=move || t_string!(i18n, export.label)>
            <h2>{t!(i18n, export.label)}</h2>
            <button aria-expanded=move || shown.get().to_string() on:click=move |_| shown.update(|s| *s = !*s)>
                {move || if shown.get() { t_string!(i18n, export.hide) } else { t_string!(i18n, export.show) }}
            </button>
            {move || opened.get().then(|| later(export_body(shown)))}
        </section>
    }
}

#[wasm_split(export_panel, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_export))]
pub(crate) fn export_body(shown: RwSignal<bool>) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <ExportBody shown/> }.into_any())
}

#[component]
fn ExportBody(shown: RwSignal<bool>) -> impl IntoView {
    let reader = expect_context::<SimReader>();
    let i18n = use_i18n();
    let format = RwSignal::new("json".to_string());
    // Follows the engine (version) so the export is always the current setup; computed only
    // while shown (the event log can be long, and playback changes it every frame).
    let text = RwSignal::new(String::new());
    // The setup the on-demand module renders, while it is the one shown: changes only when the
    // setup does (Setup: PartialEq), so playing does not send a request per frame.
    let setup = Memo::new(move |_| {
        let _ = reader.version.get();
        if shown.get() && module_format(&format.get()).is_some() {
            reader.with_sim(Setup::from_sim)
        } else {
            None
        }
    });
    // Replies may come back out of order: only the latest request's text is shown.
    let latest = StoredValue::new(0u64);
    let shown_format = StoredValue::new(String::new());
    Effect::new(move |_| {
        let f = format.get();
        if !shown.get() {
            text.set(String::new());
            return;
        }
        let Some(format) = module_format(&f) else {
            let _ = reader.version.get();
            text.set(render_here(reader, &f));
            shown_format.set_value(f);
            return;
        };
        let Some(setup) = setup.get() else { return };
        // Another format's text is not shown while this one is rendered.
        if shown_format.get_value() != f {
            text.set(String::new());
        }
        latest.update_value(|n| *n += 1);
        let ticket = latest.get_value();
        leptos::task::spawn_local(async move {
            let out = tools::render_export(&ExportRequest { format, setup }).await.unwrap_or_else(|e| e);
            if latest.try_get_value() == Some(ticket) {
                text.set(out);
                shown_format.set_value(f);
            }
        });
    });
    let file = move || FORMATS.iter().find(|f| f.0 == format.get()).map(|f| f.1).unwrap_or("export.txt");
    let href =
        move || format!("data:text/plain;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&text.get())));
    let copy = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&text.get_untracked());
        }
    };
    view! {
            <Show when=move || shown.get()>
            <label>
                {t!(i18n, export.format)} " "
                <select aria-label=move || t_string!(i18n, export.format_label) prop:value=move || format.get() on:change=move |ev| format.set(event_target_value(&ev))>
                    {move || FORMATS.iter().map(|(v, _)| view! { <option value=*v>{format_label(i18n, v)}</option> }).collect_view()}
                </select>
            </label>
            <textarea class="export-text" aria-label=move || t_string!(i18n, export.text) readonly rows="10" spellcheck="false" prop:value=move || text.get()></textarea>
            <div class="row">
                <button on:click=copy>{t!(i18n, export.copy)}</button>
                <a class="button" href=href download=file>{t!(i18n, export.download)}</a>
            </div>
            </Show>
    }
}
