//! A service: its counts, its deployments side by side with the minimumHealthyPercent /
//! maximumPercent band drawn as a gauge (numbers from the engine), and the controls that send
//! UpdateService / RegisterTaskDefinition to the engine.

use crate::actions::{self, Revision};
use crate::app::PlaybackCtl;
use crate::view_model::ServiceVm;
use leptos::prelude::*;

#[component]
pub fn ServicePanel() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let names = Memo::new(move |_| ctl.ui.services.with(|s| s.iter().map(|s| s.name.clone()).collect::<Vec<_>>()));
    view! {
        <For each=move || names.get() key=|n| n.clone() let:name>
            <ServiceCard name=name/>
        </For>
    }
}

#[component]
fn ServiceCard(name: String) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let key = name.clone();
    let svc =
        Memo::new(move |_| ctl.ui.services.with(|v| v.iter().find(|s| s.name == key).cloned().unwrap_or_default()));
    let n = move |f: fn(&ServiceVm) -> u32| move || svc.with(f);
    view! {
        <section class="service panel" aria-label=format!("Service {name}")>
            <h2>{format!("Service {name}")} <span class="muted">{move || svc.with(|s| format!(" · {} · {}", s.launch_type, s.task_definition))}</span></h2>
            <dl class="counts">
                <div><dt>"Desired"</dt><dd data-count="desired">{n(|s| s.desired)}</dd></div>
                <div><dt>"Running"</dt><dd data-count="running">{n(|s| s.running)}</dd></div>
                <div><dt>"Pending"</dt><dd data-count="pending">{n(|s| s.pending)}</dd></div>
            </dl>
            <DeploymentGauge svc=svc/>
            <ServiceControls name=name.clone() svc=svc/>
        </section>
    }
}

/// The rolling update at a glance: one bar segment per deployment (running solid, pending
/// hatched), and the band from ceil(desired x min%) to floor(desired x max%).
#[component]
fn DeploymentGauge(svc: Memo<ServiceVm>) -> impl IntoView {
    let scale = move || {
        svc.with(|s| {
            let live: u32 = s.deployments.iter().map(|d| d.running + d.pending).sum();
            s.maximum_tasks.max(live).max(s.desired).max(1) as f64
        })
    };
    let pct = move |v: u32| format!("{:.2}%", 100.0 * f64::from(v) / scale());
    let summary = move || {
        svc.with(|s| {
            let live: u32 = s.deployments.iter().map(|d| d.running + d.pending).sum();
            format!(
                "{live} running or pending; the band allows {} to {} ({}% to {}% of desired {})",
                s.minimum_healthy_tasks, s.maximum_tasks, s.minimum_healthy_percent, s.maximum_percent, s.desired
            )
        })
    };
    view! {
        <div class="gauge" role="img" aria-label=summary>
            <div class="gauge-track">
                <div class="gauge-band" style:left=move || pct(svc.with(|s| s.minimum_healthy_tasks))
                    style:width=move || svc.with(|s| pct(s.maximum_tasks.saturating_sub(s.minimum_healthy_tasks)))></div>
                <div class="gauge-bars">
                    {move || svc.with(|s| s.deployments.iter().map(|d| {
                        let cls = format!("seg rev-{}", d.revision % 6);
                        view! {
                            <div class=cls.clone() style:width=pct(d.running) title=format!("{} running", d.task_definition)></div>
                            <div class=format!("{cls} pending") style:width=pct(d.pending) title=format!("{} pending", d.task_definition)></div>
                        }
                    }).collect_view())}
                </div>
                <div class="gauge-desired" style:left=move || pct(svc.with(|s| s.desired)) title="desired"></div>
            </div>
            <p class="gauge-legend">
                <span>{move || svc.with(|s| format!("min healthy {} ({}%)", s.minimum_healthy_tasks, s.minimum_healthy_percent))}</span>
                <span>{move || svc.with(|s| format!("desired {}", s.desired))}</span>
                <span>{move || svc.with(|s| format!("max {} ({}%)", s.maximum_tasks, s.maximum_percent))}</span>
            </p>
            <ul class="deployments" aria-label="Deployments">
                {move || svc.with(|s| s.deployments.iter().map(|d| view! {
                    <li class=format!("deployment rev-{}", d.revision % 6) data-deployment-status=d.status.clone() data-rollout=d.rollout_state.clone()>
                        <strong>{d.status.clone()}</strong> " " {d.task_definition.clone()}
                        {format!(" · desired {} · running {} · pending {}", d.desired, d.running, d.pending)}
                        {(d.failed > 0).then(|| format!(" · failed {}", d.failed))}
                        <span class="rollout">{format!(" · {}", d.rollout_state)}</span>
                        {(d.rollout_state == "FAILED").then(|| view! { <span class="reason">{format!(" — {}", d.rollout_reason)}</span> })}
                    </li>
                }).collect_view())}
            </ul>
        </div>
    }
}

#[component]
fn ServiceControls(name: String, svc: Memo<ServiceVm>) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let init = svc.get_untracked();
    let desired = RwSignal::new(init.desired.to_string());
    let min_pct = RwSignal::new(init.minimum_healthy_percent.to_string());
    let max_pct = RwSignal::new(init.maximum_percent.to_string());
    let cb = init.circuit_breaker.unwrap_or((false, false));
    let cb_enable = RwSignal::new(cb.0);
    let cb_rollback = RwSignal::new(cb.1);
    // Follow the engine's values when they change (a timeline action, a replay, auto scaling).
    Effect::new(move |_| desired.set(svc.with(|s| s.desired).to_string()));
    Effect::new(move |_| {
        let (min, max, cb) = svc.with(|s| (s.minimum_healthy_percent, s.maximum_percent, s.circuit_breaker));
        min_pct.set(min.to_string());
        max_pct.set(max.to_string());
        let cb = cb.unwrap_or((false, false));
        cb_enable.set(cb.0);
        cb_rollback.set(cb.1);
    });
    let n1 = name.clone();
    let set_desired = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match desired.get_untracked().trim().parse::<u32>() {
            Ok(d) => {
                let _ = ctl.act("UpdateService", actions::update_desired_count(&n1, d));
            }
            Err(_) => {
                ctl.notice.set(crate::app::Notice { ok: false, text: "Desired count must be a whole number.".into() })
            }
        }
    };
    let n2 = name.clone();
    let set_config = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(min), Ok(max)) =
            (min_pct.get_untracked().trim().parse::<u32>(), max_pct.get_untracked().trim().parse::<u32>())
        else {
            ctl.notice.set(crate::app::Notice { ok: false, text: "Percentages must be whole numbers.".into() });
            return;
        };
        let _ = ctl.act(
            "UpdateService",
            actions::update_deployment_configuration(
                &n2,
                min,
                max,
                (cb_enable.get_untracked(), cb_rollback.get_untracked()),
            ),
        );
    };
    let n3 = name.clone();
    let deploy = move |kind: Revision| {
        let n = n3.clone();
        move |_| {
            let Some(Some(body)) = ctl.with_sim(|s| actions::next_revision(s, &n, kind)) else {
                ctl.notice.set(crate::app::Notice { ok: false, text: "The service has no primary deployment.".into() });
                return;
            };
            let family = body["family"].as_str().unwrap_or_default().to_string();
            if let Ok(r) = ctl.act("RegisterTaskDefinition", body) {
                if let Some(rev) = r["taskDefinition"]["revision"].as_u64() {
                    let _ = ctl.act("UpdateService", actions::update_task_definition(&n, &family, rev));
                }
            }
        }
    };
    view! {
        <form class="row" on:submit=set_desired>
            <label>"Desired count " <input type="number" min="0" max="5000" aria-label="Desired count" bind:value=desired/></label>
            <button type="submit">"Set desired count"</button>
        </form>
        <form class="row wrap" on:submit=set_config>
            <label>"Min healthy % " <input type="number" min="0" max="100" aria-label="Minimum healthy percent" bind:value=min_pct/></label>
            <label>"Max % " <input type="number" min="100" max="200" aria-label="Maximum percent" bind:value=max_pct/></label>
            <label><input type="checkbox" aria-label="Circuit breaker" bind:checked=cb_enable/> " circuit breaker"</label>
            <label><input type="checkbox" aria-label="Rollback on failure" bind:checked=cb_rollback/> " rollback"</label>
            <button type="submit">"Update deployment configuration"</button>
        </form>
        <div class="row wrap">
            <button on:click=deploy(Revision::Good)>"Deploy new revision"</button>
            <button class="danger" on:click=deploy(Revision::BadImage)>"Deploy broken revision"</button>
        </div>
    }
}
