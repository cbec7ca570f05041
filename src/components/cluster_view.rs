//! The region, then one column per Availability Zone with its subnet, instances and Fargate tasks.

use crate::components::instance_card::InstanceCard;
use crate::components::task_chip::TaskChip;
use crate::view_model::{AzVm, ClusterVm};
use leptos::prelude::*;

#[component]
pub fn ClusterView(vm: RwSignal<ClusterVm>) -> impl IntoView {
    view! {
        <section class="region" aria-label="Cluster">
            <h2>{move || vm.with(|v| format!("Region {} · cluster {}", v.region, v.cluster_name))}</h2>
            <div class="azs">
                <For each=move || vm.get().azs key=|az| az.name.clone() let:az>
                    <AzColumn name=az.name.clone() vm=vm/>
                </For>
            </div>
        </section>
    }
}

#[component]
fn AzColumn(name: String, vm: RwSignal<ClusterVm>) -> impl IntoView {
    let key = name.clone();
    let az = Memo::new(move |_| vm.with(|v| v.azs.iter().find(|a| a.name == key).cloned()));
    let field = move |f: fn(&AzVm) -> String| move || az.with(|a| a.as_ref().map(f).unwrap_or_default());
    view! {
        <section class="az" class:failed=move || az.with(|a| a.as_ref().map(|a| !a.available).unwrap_or(false)) aria-label=format!("Availability Zone {name}")>
            <h3>{name.clone()}</h3>
            <p class="subnet">{field(|a| a.subnet.clone())}</p>
            <p class="az-down" hidden=move || az.with(|a| a.as_ref().map(|a| a.available).unwrap_or(true))>"Unavailable"</p>
            <ul class="instances">
                <For each=move || az.with(|a| a.as_ref().map(|a| a.instances.clone()).unwrap_or_default()) key=|i| (i.id.clone(), i.status, i.cpu_used, i.mem_used, i.tasks.iter().map(|t| t.status).collect::<Vec<_>>()) let:inst>
                    <InstanceCard inst=inst/>
                </For>
            </ul>
            <div class="fargate" hidden=move || az.with(|a| a.as_ref().map(|a| a.fargate_tasks.is_empty()).unwrap_or(true))>
                <h4>"Fargate tasks"</h4>
                <ul class="tasks">
                    <For each=move || az.with(|a| a.as_ref().map(|a| a.fargate_tasks.clone()).unwrap_or_default()) key=|t| (t.id.clone(), t.status) let:task>
                        <TaskChip task=task/>
                    </For>
                </ul>
            </div>
        </section>
    }
}
