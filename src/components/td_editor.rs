//! The task definition editor: paste the output of `aws ecs describe-task-definition` or a
//! register-task-definition body. The engine's own parser and validator check it (the API's
//! rules); an error is shown next to the field path it names. Valid input is sent through
//! `Simulation::apply` as RegisterTaskDefinition, so it becomes the family's next revision in the
//! running simulation (and is recorded, so share links and replays carry it).

use crate::app::PlaybackCtl;
use ecs_sim::export::{json, Setup};
use ecs_sim::taskdef_rules::{parse_task_definition, validate};
use ecs_sim::ApiError;
use leptos::prelude::*;
use serde_json::Value;

/// Check a pasted document the way RegisterTaskDefinition does, without applying it.
pub fn check(text: &str) -> Result<Value, ApiError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        ApiError::client(format!("line {} column {}", e.line(), e.column()), format!("not valid JSON: {e}"))
    })?;
    let req = parse_task_definition(&doc)?;
    validate(&req)?;
    Ok(doc)
}

#[component]
pub fn TdEditor() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(String::new());
    let load_current = move |_| {
        let body = ctl
            .with_sim(|sim| json::register_task_definitions(&Setup::from_sim(sim)).into_iter().next())
            .flatten()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or_default();
        text.set(body);
        error.set(None);
        done.set(String::new());
    };
    let register = move |_| {
        done.set(String::new());
        match check(&text.get_untracked()) {
            Err(e) => error.set(Some(e)),
            Ok(doc) => match ctl.act("RegisterTaskDefinition", doc) {
                Ok(out) => {
                    error.set(None);
                    let td = &out["taskDefinition"];
                    done.set(format!(
                        "Registered {}:{}",
                        td["family"].as_str().unwrap_or_default(),
                        td["revision"].as_u64().unwrap_or_default()
                    ));
                }
                Err(e) => error.set(Some(ApiError::client("", e))),
            },
        }
    };
    view! {
        <section class="td-editor panel" aria-label="Task definition editor">
            <h2>"Task definition JSON"</h2>
            <p class="hint">"Paste describe-task-definition output or a register-task-definition body."</p>
            <textarea aria-label="Task definition JSON" rows="10" spellcheck="false"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))
                aria-invalid=move || error.with(|e| e.is_some()).to_string()></textarea>
            <div class="row">
                <button on:click=load_current>"Load current task definition"</button>
                <button class="primary" on:click=register>"Register task definition"</button>
            </div>
            {move || error.get().map(|e| view! {
                <p class="field-error" role="alert">
                    <code class="field-path" data-field=e.field.clone()>{if e.field.is_empty() { "(document)".to_string() } else { e.field.clone() }}</code>
                    ": " {e.message.clone()} " (" {e.exception} ")"
                </p>
            })}
            <p class="td-result" role="status">{move || done.get()}</p>
        </section>
    }
}
