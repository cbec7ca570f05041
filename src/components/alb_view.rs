//! The Application Load Balancer as text beside the map: its listener forwarding to each target
//! group, and every registered target with what the target group registers (`i-0abc:32768` for
//! instance targets, `10.0.1.23:80` for ip targets) and its health in words. The map draws the
//! lines (`cluster_map`); this list is where a target's label is read and opened.

use crate::components::task_chip::target_state_name;
use crate::i18n::*;
use crate::playback_ctl::{PlaybackCtl, Selection};
use crate::view_model::TargetGroupVm;
use ecs_sim::model::TargetHealthState;
use leptos::prelude::*;

#[component]
pub fn AlbView() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    let tgs = ctl.ui.target_groups;
    let any = move || tgs.with(|g| !g.is_empty());
    let total = move || tgs.with(|g| g.iter().map(|g| g.targets.len()).sum::<usize>());
    view! {
        <section class="alb panel" hidden=move || !any()>
            <div class="alb-box" aria-label=move || t_string!(i18n, alb.name) role="group">
                <strong>{t!(i18n, alb.name)}</strong>
                <For each=move || tgs.get() key=|g| g.list_key() let:g>
                    <TargetGroupBox g=g/>
                </For>
                <p class="muted" hidden=move || total() <= crate::components::cluster_map::MAX_LINES>
                    {move || t_string!(i18n, alb.lines_capped, max = crate::components::cluster_map::MAX_LINES, total = total())}
                </p>
            </div>
        </section>
    }
}

#[component]
fn TargetGroupBox(g: TargetGroupVm) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    let count = |s: TargetHealthState| g.targets.iter().filter(|t| t.state == s).count();
    let (total, healthy, initial, unhealthy, draining) = (
        g.targets.len(),
        count(TargetHealthState::Healthy),
        count(TargetHealthState::Initial),
        count(TargetHealthState::Unhealthy),
        count(TargetHealthState::Draining),
    );
    let summary = move || t_string!(i18n, alb.summary, total, healthy, initial, unhealthy, draining);
    let (target_type, protocol, port, path) =
        (g.target_type.clone(), g.protocol.clone(), g.port, g.health_check_path.clone());
    let detail = move || {
        t_string!(i18n, alb.target_group_detail, target_type = &target_type, protocol = &protocol, port, path = &path)
    };
    let name = g.name.clone();
    view! {
        <div class="tg" data-target-group=g.name.clone()>
            <p>
                {g.nlb.then(|| view! { <strong class="nlb">{t!(i18n, alb.nlb_name)}</strong> " " })}
                {t!(i18n, alb.listener)} " " <strong>{g.name.clone()}</strong>
                {detail}
            </p>
            <p class="tg-summary">{summary}</p>
            <details open>
                <summary>{t!(i18n, alb.registered_targets)}</summary>
                <ul class="targets">
                    {g.targets.iter().take(100).map(|t| {
                        let (group, label) = (name.clone(), t.label.clone());
                        let state = t.state;
                        view! {
                            <li class=format!("target tl-{}", t.state.as_str())>
                                <button class="linkish" on:click=move |_| ctl.selected.set(Some(Selection::Target { group: group.clone(), label: label.clone() }))>
                                    {t.label.clone()}
                                </button>
                                {move || format!(" {}", target_state_name(i18n.get_locale(), state))}
                                {t.reason.clone().map(|r| format!(" ({r})"))}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </details>
        </div>
    }
}
