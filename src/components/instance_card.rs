//! A container instance: type, id, CPU and memory reserved versus registered, host ports in use,
//! and its tasks. Reads its own signal: a change on one instance redraws only that card.

use crate::app::{PlaybackCtl, Selection};
use crate::components::task_chip::TaskChip;
use crate::i18n::*;
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
    let i18n = use_i18n();
    let label =
        move || inst.with(|i| t_string!(i18n, instance.label, id = &i.id, itype = &i.instance_type, status = i.status));
    let id = key.clone();
    let selected = move || ctl.selected.with(|s| matches!(s, Some(Selection::Instance(x)) if *x == id));
    let open = {
        let key = key.clone();
        move |_| ctl.selected.set(Some(Selection::Instance(key.clone())))
    };
    view! {
        <li class="instance" class:draining=move || inst.with(|i| i.status == "DRAINING") class:selected=selected aria-label=label data-instance-id=key.clone()>
            <div class="instance-head">
                <button class="linkish itype" on:click=open aria-label=move || inst.with(|i| t_string!(i18n, instance.details, id = &i.id))>
                    {move || inst.with(|i| i.instance_type.clone())}
                </button>
                <span class="iid">{key.clone()}</span>
                <span class="badge" hidden=move || inst.with(|i| i.status == "ACTIVE")>{move || inst.with(|i| i.status)}</span>
            </div>
            <Meter label=Signal::derive(move || t_string!(i18n, instance.cpu).to_string())
                value=Signal::derive(move || inst.with(|i| pct(i.cpu_used, i.cpu_total)))
                detail=Signal::derive(move || inst.with(|i| t_string!(i18n, instance.cpu_detail, used = i.cpu_used, total = i.cpu_total)))/>
            <Meter label=Signal::derive(move || t_string!(i18n, instance.memory).to_string())
                value=Signal::derive(move || inst.with(|i| pct(i.mem_used, i.mem_total)))
                detail=Signal::derive(move || inst.with(|i| t_string!(i18n, instance.memory_detail, used = i.mem_used, total = i.mem_total)))/>
            <p class="ports">
                {move || inst.with(|i| if i.host_ports.is_empty() {
                    t_string!(i18n, instance.no_ports).to_string()
                } else {
                    let list = i.host_ports.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ");
                    t_string!(i18n, instance.ports, list)
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
fn Meter(label: Signal<String>, value: Signal<f64>, detail: Signal<String>) -> impl IntoView {
    view! {
        <div class="meter">
            <span class="meter-label">{move || label.get()}</span>
            <div class="bar" role="meter" aria-label=move || label.get() aria-valuemin="0" aria-valuemax="100"
                aria-valuenow=move || format!("{:.0}", value.get()) aria-valuetext=move || detail.get()>
                <div class="fill" style:width=move || format!("{:.1}%", value.get())></div>
            </div>
            <span class="meter-detail">{move || detail.get()}</span>
        </div>
    }
}
