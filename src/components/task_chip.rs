//! A task: coloured by task definition revision, with its state shown by shape, a symbol and
//! text as well as colour (never colour alone). A button: it opens the details drawer.

use crate::app::{PlaybackCtl, Selection};
use leptos::prelude::*;

/// The symbol drawn before the status, so state reads without colour.
fn symbol(status: &str, health: Option<&str>) -> &'static str {
    match (status, health) {
        (_, Some("draining")) => "⇣",
        (_, Some("unhealthy")) => "✖",
        ("RUNNING", _) => "●",
        ("PROVISIONING" | "PENDING" | "ACTIVATING", _) => "◌",
        ("DEACTIVATING" | "STOPPING" | "DEPROVISIONING", _) => "◍",
        _ => "○",
    }
}

#[component]
pub fn TaskChip(key: String) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let Some(sig) = ctl.ui.task(&key) else { return ().into_any() };
    let task: RwSignal<_> = sig.into();
    let class = move || {
        task.with(|t| {
            let mut c = format!("task rev-{} status-{}", t.revision % 6, t.status.to_ascii_lowercase());
            if let Some(h) = t.health {
                c.push_str(" health-");
                c.push_str(h);
            }
            c
        })
    };
    let label = move || {
        task.with(|t| {
            let h = t.health.map(|h| format!(", target {h}")).unwrap_or_default();
            format!("Task {} {} {}{}", t.short_id, t.family_revision, t.status, h)
        })
    };
    let k = key.clone();
    let selected = move || ctl.selected.with(|s| matches!(s, Some(Selection::Task(x)) if *x == k));
    let open = {
        let key = key.clone();
        move |_| ctl.selected.set(Some(Selection::Task(key.clone())))
    };
    view! {
        <li class="task-item">
            <button class=class class:selected=selected data-status=move || task.with(|t| t.status)
                data-revision=move || task.with(|t| t.revision) data-task-key=key.clone()
                aria-label=label on:click=open>
                <span class="task-rev">{move || task.with(|t| t.family_revision.clone())}</span>
                <span class="task-status">
                    <span aria-hidden="true">{move || task.with(|t| symbol(t.status, t.health))} " "</span>
                    {move || task.with(|t| t.status)}
                    {move || task.with(|t| t.health.filter(|h| *h != "healthy").map(|h| format!(" · {h}")))}
                </span>
                <span class="task-where">{move || task.with(|t| t.where_.clone())}</span>
            </button>
        </li>
    }
    .into_any()
}
