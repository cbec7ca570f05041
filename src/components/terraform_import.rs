//! "Your own Terraform in" (issue 20): paste a main.tf (AWS provider) and the engine's Terraform
//! import (`ecs_sim::terraform_import`) builds the scenario, which replaces the running one. What
//! the import could not resolve (data sources, modules, variables without a value...) is listed
//! with its file and line. The import runs in the on-demand module (`src/tools.rs`), not in the
//! app's wasm: the HCL parser is not part of the first load (issue 19).

use crate::i18n::*;
use crate::playback_ctl::PlaybackCtl;
use ecs_sim::terraform_import::Warning;
use leptos::prelude::*;

#[component]
pub fn TerraformImport() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let warnings = RwSignal::new(Vec::<Warning>::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(String::new());
    let load = move |_| {
        done.set(String::new());
        let text = text.get_untracked();
        leptos::task::spawn_local(async move {
            let result = match crate::tools::import_terraform("main.tf", &text).await {
                Ok(r) => r,
                Err(e) => {
                    error.set(Some(e));
                    return;
                }
            };
            let (services, count) = (result.services, result.warnings.len());
            warnings.set(result.warnings);
            match ctl.load_scenario(result.scenario.as_deref().unwrap_or_default()) {
                Ok(()) => {
                    error.set(None);
                    done.set(tu_string!(i18n, terraform.loaded, services = services, warnings = count).to_string());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="tf-import panel" aria-label=move || t_string!(i18n, terraform.label)>
            <h2>{t!(i18n, terraform.label)}</h2>
            <p class="hint">{t!(i18n, terraform.hint)}</p>
            <textarea aria-label=move || t_string!(i18n, terraform.text) rows="10" spellcheck="false"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))
                aria-invalid=move || error.with(|e| e.is_some()).to_string()></textarea>
            <div class="row">
                <button class="primary" on:click=load>{t!(i18n, terraform.load)}</button>
            </div>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <p class="tf-result" role="status">{move || done.get()}</p>
            <ul class="tf-warnings" aria-label=move || t_string!(i18n, terraform.warnings)
                hidden=move || warnings.with(Vec::is_empty)>
                {move || warnings.get().into_iter().map(|w| view! {
                    <li><code>{format!("{}:{}", w.file, w.line)}</code>" " {w.message}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}
