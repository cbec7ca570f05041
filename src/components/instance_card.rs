//! A container instance: type, id, CPU and memory reserved versus registered, host ports in use,
//! and its tasks. Reads its own signal: a change on one instance redraws only that card.

use crate::app::{PlaybackCtl, Selection};
use crate::components::task_chip::TaskChip;
use leptos::prelude::*;

fn pct(u: u32, t: u32) -> f64 {
    if t == 0 {
        0.0
    } else {
        100.0 * f64::from(u) / f64::from(t)
    }
}

#[component]
pub fn InstanceCard(key: String) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let Some(sig) = ctl.ui.instance(&key) else { return ().into_any() };
    let inst: RwSignal<_> = sig.into();
    let tasks = Memo::new(move |_| inst.with(|i| i.tasks.clone()));
    let label = move || inst.with(|i| format!("Container instance {} ({}, {})", i.id, i.instance_type, i.status));
    let id = key.clone();
    let selected = move || ctl.selected.with(|s| matches!(s, Some(Selection::Instance(x)) if *x == id));
    let open = {
        let key = key.clone();
        move |_| ctl.selected.set(Some(Selection::Instance(key.clone())))
    };
    view! {
        <li class="instance" class:draining=move || inst.with(|i| i.status == "DRAINING") class:selected=selected aria-label=label data-instance-id=key.clone()>
            <div class="instance-head">
                <button class="linkish itype" on:click=open aria-label=move || inst.with(|i| format!("Details of instance {}", i.id))>
                    {move || inst.with(|i| i.instance_type.clone())}
                </button>
                <span class="iid">{key.clone()}</span>
                <span class="badge" hidden=move || inst.with(|i| i.status == "ACTIVE")>{move || inst.with(|i| i.status)}</span>
            </div>
            <Meter label="CPU" value=Signal::derive(move || inst.with(|i| pct(i.cpu_used, i.cpu_total)))
                detail=Signal::derive(move || inst.with(|i| format!("{} / {} units", i.cpu_used, i.cpu_total)))/>
            <Meter label="Memory" value=Signal::derive(move || inst.with(|i| pct(i.mem_used, i.mem_total)))
                detail=Signal::derive(move || inst.with(|i| format!("{} / {} MiB", i.mem_used, i.mem_total)))/>
            <p class="ports">
                {move || inst.with(|i| if i.host_ports.is_empty() {
                    "no host ports in use".to_string()
                } else {
                    format!("ports {}", i.host_ports.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", "))
                })}
            </p>
            <ul class="tasks">
                <For each=move || tasks.get() key=|k| k.clone() let:key>
                    <TaskChip key=key/>
                </For>
            </ul>
        </li>
    }
    .into_any()
}

#[component]
fn Meter(label: &'static str, value: Signal<f64>, detail: Signal<String>) -> impl IntoView {
    view! {
        <div class="meter">
            <span class="meter-label">{label}</span>
            <div class="bar" role="meter" aria-label=label aria-valuemin="0" aria-valuemax="100"
                aria-valuenow=move || format!("{:.0}", value.get()) aria-valuetext=move || detail.get()>
                <div class="fill" style:width=move || format!("{:.1}%", value.get())></div>
            </div>
            <span class="meter-detail">{move || detail.get()}</span>
        </div>
    }
}
