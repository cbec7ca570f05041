//! One column per Availability Zone with its subnet, its container instances and the Fargate
//! tasks in its subnet. Lists are keyed, so cards and chips persist and animate.

use crate::app::PlaybackCtl;
use crate::components::instance_card::InstanceCard;
use crate::components::task_chip::TaskChip;
use leptos::prelude::*;

#[component]
pub fn ClusterView() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let names = Memo::new(move |_| ctl.ui.azs.with(|a| a.iter().map(|a| a.name.clone()).collect::<Vec<_>>()));
    view! {
        <div class="azs">
            <For each=move || names.get() key=|n| n.clone() let:name>
                <AzColumn name=name/>
            </For>
        </div>
    }
}

#[component]
fn AzColumn(name: String) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let key = name.clone();
    let az = Memo::new(move |_| ctl.ui.azs.with(|v| v.iter().find(|a| a.name == key).cloned().unwrap_or_default()));
    let instances = Memo::new(move |_| az.with(|a| a.instances.clone()));
    let fargate = Memo::new(move |_| az.with(|a| a.fargate_tasks.clone()));
    let label = format!("Availability Zone {name}");
    view! {
        <section class="az" class:failed=move || !az.with(|a| a.available) aria-label=label data-az=name.clone()>
            <h3>{name.clone()}</h3>
            <p class="subnet">{move || az.with(|a| format!("{} · {}", a.subnet_id, a.subnet_cidr))}</p>
            <p class="az-down" hidden=move || az.with(|a| a.available)>"⚠ Unavailable (fault injected)"</p>
            <ul class="instances" aria-label=format!("Container instances in {name}")>
                <For each=move || instances.get() key=|k| k.clone() let:key>
                    <InstanceCard key=key/>
                </For>
            </ul>
            <div class="fargate" hidden=move || fargate.with(|f| f.is_empty())>
                <h4>"Fargate tasks in " {name.clone()}</h4>
                <ul class="tasks">
                    <For each=move || fargate.get() key=|k| k.clone() let:key>
                        <TaskChip key=key/>
                    </For>
                </ul>
            </div>
        </section>
    }
}
