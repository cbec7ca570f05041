//! A container instance: type, id, CPU and memory reserved versus registered, host ports in use,
//! and its tasks.

use crate::components::task_chip::TaskChip;
use crate::view_model::InstanceVm;
use leptos::prelude::*;

#[component]
pub fn InstanceCard(inst: InstanceVm) -> impl IntoView {
    let pct = |u: u32, t: u32| if t == 0 { 0.0 } else { 100.0 * f64::from(u) / f64::from(t) };
    let cpu = pct(inst.cpu_used, inst.cpu_total);
    let mem = pct(inst.mem_used, inst.mem_total);
    let ports = if inst.host_ports.is_empty() {
        "no host ports in use".to_string()
    } else {
        format!("ports {}", inst.host_ports.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", "))
    };
    let label = format!("Container instance {} ({}, {})", inst.id, inst.instance_type, inst.status);
    view! {
        <li class="instance" class:draining=inst.status == "DRAINING" aria-label=label>
            <div class="instance-head">
                <span class="itype">{inst.instance_type.clone()}</span>
                <span class="iid">{inst.id.clone()}</span>
                {(inst.status != "ACTIVE").then(|| view! { <span class="badge">{inst.status}</span> })}
            </div>
            <Meter label="CPU" value=cpu detail=format!("{} / {} units", inst.cpu_used, inst.cpu_total)/>
            <Meter label="Memory" value=mem detail=format!("{} / {} MiB", inst.mem_used, inst.mem_total)/>
            <p class="ports">{ports}</p>
            <ul class="tasks">
                {inst.tasks.into_iter().map(|t| view! { <TaskChip task=t/> }).collect_view()}
            </ul>
        </li>
    }
}

#[component]
fn Meter(label: &'static str, value: f64, detail: String) -> impl IntoView {
    view! {
        <div class="meter">
            <span class="meter-label">{label}</span>
            <div class="bar" role="meter" aria-label=label aria-valuemin="0" aria-valuemax="100" aria-valuenow=format!("{value:.0}") aria-valuetext=detail.clone()>
                <div class="fill" style=format!("width:{value:.1}%")></div>
            </div>
            <span class="meter-detail">{detail}</span>
        </div>
    }
}
