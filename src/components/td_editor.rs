//! The task definition editor: paste the output of `aws ecs describe-task-definition` or a
//! register-task-definition body. The engine's own parser and validator check it (the API's
//! rules); an error is shown next to the field path it names. Valid input is sent through
//! `Simulation::apply` as RegisterTaskDefinition, so it becomes the family's next revision in the
//! running simulation (and is recorded, so share links and replays carry it).

use crate::i18n::*;
use crate::playback_ctl::PlaybackCtl;
use ecs_sim::export::{json, Setup};
use ecs_sim::taskdef::RegisterTaskDefinition;
use ecs_sim::taskdef_rules::{parse_task_definition, validate};
use ecs_sim::{ApiError, Command};
use leptos::prelude::*;
use serde_json::Value;

/// Check a pasted document the way RegisterTaskDefinition does, without applying it (the import
/// edge: the only place this panel reads JSON).
pub fn check(text: &str) -> Result<RegisterTaskDefinition, ApiError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        ApiError::client(format!("line {} column {}", e.line(), e.column()), format!("not valid JSON: {e}"))
    })?;
    let req = parse_task_definition(&doc)?;
    validate(&req)?;
    Ok(req)
}

#[component]
pub fn TdEditor() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let area: NodeRef<leptos::html::Textarea> = NodeRef::new();
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
            Err(e) => {
                mark_field(area, &text.get_untracked(), &e.field);
                error.set(Some(e))
            }
            Ok(req) => match ctl.act(Command::RegisterTaskDefinition(Box::new(req.clone()))) {
                Ok(_) => {
                    error.set(None);
                    let revision = ctl
                        .with_sim(|s| s.state().task_defs.families.get(&req.family).map_or(0, Vec::len))
                        .unwrap_or_default();
                    done.set(
                        tu_string!(i18n, td_editor.registered, family = req.family.as_str(), revision = revision)
                            .to_string(),
                    );
                }
                Err(e) => error.set(Some(ApiError::client("", e))),
            },
        }
    };
    view! {
        <section class="td-editor panel" aria-label=move || t_string!(i18n, td_editor.label)>
            <h2>{t!(i18n, td_editor.json)}</h2>
            <p class="hint">{t!(i18n, td_editor.hint)}</p>
            <textarea node_ref=area aria-label=move || t_string!(i18n, td_editor.json) rows="10" spellcheck="false"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))
                aria-invalid=move || error.with(|e| e.is_some()).to_string()></textarea>
            <div class="row">
                <button on:click=load_current>{t!(i18n, td_editor.load_current)}</button>
                <button class="primary" on:click=register>{t!(i18n, td_editor.register)}</button>
            </div>
            {move || error.get().map(|e| view! {
                <p class="field-error" role="alert">
                    <code class="field-path" data-field=e.field.clone()>{if e.field.is_empty() { t_string!(i18n, td_editor.document).to_string() } else { e.field.clone() }}</code>
                    ": " {e.message.clone()} " (" {e.exception} ")"
                </p>
            })}
            <p class="td-result" role="status">{move || done.get()}</p>
        </section>
    }
}

/// The last key of a field path: `containerDefinitions[0].memory` -> `memory`.
fn last_key(field: &str) -> Option<&str> {
    let seg = field.rsplit('.').next()?;
    let key = seg.split('[').next()?;
    (!key.is_empty() && !key.contains(' ')).then_some(key)
}

/// Select the offending key in the text area, so the error is marked where it is.
fn mark_field(area: NodeRef<leptos::html::Textarea>, text: &str, field: &str) {
    let Some(key) = last_key(field) else { return };
    let Some(start) = text.find(&format!("\"{key}\"")) else { return };
    let Some(el) = area.get_untracked() else { return };
    // The DOM counts UTF-16 code units.
    let a = text.get(..start).map(|s| s.encode_utf16().count()).unwrap_or(0) as u32;
    let b = a + key.encode_utf16().count() as u32 + 2;
    let _ = el.focus();
    let _ = el.set_selection_range(a, b);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_field_and_the_last_key_is_found() {
        let e = check(
            r#"{"family":"web","networkMode":"bogus","containerDefinitions":[{"name":"a","image":"x","memory":128}]}"#,
        )
        .expect_err("bad network mode");
        assert_eq!(e.field, "networkMode");
        assert_eq!(last_key("containerDefinitions[0].memory"), Some("memory"));
        assert_eq!(last_key("line 1 column 3"), None);
        assert!(check("{").expect_err("not JSON").message.contains("not valid JSON"));
    }
}
