//! A service: its counts, its deployments side by side with the minimumHealthyPercent /
//! maximumPercent band drawn as a gauge (numbers from the engine), and the controls that send
//! UpdateService / RegisterTaskDefinition to the engine.

use crate::actions::{self, Revision};
use crate::i18n::*;
use crate::playback_ctl::PlaybackCtl;
use crate::view_model::ServiceVm;
use ecs_sim::deploy_strategy::Strategy;
use ecs_sim::model::RolloutState;
use ecs_sim::views::aws_name;
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
    let i18n = use_i18n();
    let title = {
        let name = name.clone();
        move || t_string!(i18n, service.label, name = &name)
    };
    let label = title.clone();
    view! {
        <section class="service panel" aria-label=label>
            <h2>{title} <span class="muted">{move || svc.with(|s| format!(" · {} · {}", s.launch_type, s.task_definition))}</span></h2>
            <dl class="counts">
                <div><dt>{t!(i18n, service.desired)}</dt><dd data-count="desired">{n(|s| s.desired)}</dd></div>
                <div><dt>{t!(i18n, service.running)}</dt><dd data-count="running">{n(|s| s.running)}</dd></div>
                <div><dt>{t!(i18n, service.pending)}</dt><dd data-count="pending">{n(|s| s.pending)}</dd></div>
            </dl>
            <DeploymentGauge svc=svc/>
            <ServiceControls name=name.clone() svc=svc/>
            <StrategyControls name=name.clone() svc=svc/>
        </section>
    }
}

/// The rolling update at a glance: one bar segment per deployment (running solid, pending
/// hatched), and the band from ceil(desired x min%) to floor(desired x max%).
#[component]
fn DeploymentGauge(svc: Memo<ServiceVm>) -> impl IntoView {
    let i18n = use_i18n();
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
            t_string!(
                i18n,
                service.gauge_summary,
                live,
                min = s.minimum_healthy_tasks,
                max = s.maximum_tasks,
                min_pct = s.minimum_healthy_percent,
                max_pct = s.maximum_percent,
                desired = s.desired
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
                        let cls = format!("seg rev-{}", crate::components::cluster_map::rev_class(d.colour));
                        view! {
                            <div class=cls.clone() style:width=pct(d.running) title=t_string!(i18n, service.segment_running, task_definition = &d.task_definition)></div>
                            <div class=format!("{cls} pending") style:width=pct(d.pending) title=t_string!(i18n, service.segment_pending, task_definition = &d.task_definition)></div>
                        }
                    }).collect_view())}
                </div>
                <div class="gauge-desired" style:left=move || pct(svc.with(|s| s.desired)) title=move || t_string!(i18n, service.gauge_desired)></div>
            </div>
            <p class="gauge-legend">
                <span>{move || svc.with(|s| t_string!(i18n, service.legend_min, n = s.minimum_healthy_tasks, pct = s.minimum_healthy_percent))}</span>
                <span>{move || svc.with(|s| t_string!(i18n, service.legend_desired, n = s.desired))}</span>
                <span>{move || svc.with(|s| t_string!(i18n, service.legend_max, n = s.maximum_tasks, pct = s.maximum_percent))}</span>
            </p>
            <ul class="deployments" aria-label=move || t_string!(i18n, service.deployments)>
                {move || svc.with(|s| s.deployments.iter().map(|d| view! {
                    <li class=format!("deployment rev-{}", crate::components::cluster_map::rev_class(d.colour)) data-deployment-status=aws_name(&d.status) data-rollout=aws_name(&d.rollout_state)>
                        <strong>{aws_name(&d.status)}</strong> " " {d.task_definition.clone()}
                        {t_string!(i18n, service.deployment_counts, desired = d.desired, running = d.running, pending = d.pending)}
                        {(d.failed > 0).then(|| t_string!(i18n, service.deployment_failed, failed = d.failed))}
                        <span class="rollout">{format!(" · {}", aws_name(&d.rollout_state))}</span>
                        {(d.rollout_state == RolloutState::Failed).then(|| view! { <span class="reason">{format!(" — {}", d.rollout_reason)}</span> })}
                    </li>
                }).collect_view())}
            </ul>
        </div>
    }
}

#[component]
fn ServiceControls(name: String, svc: Memo<ServiceVm>) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
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
                let _ = ctl.act(actions::update_desired_count(&n1, d));
            }
            Err(_) => ctl
                .notice
                .set(crate::playback_ctl::Notice { ok: false, text: tu_string!(i18n, service.desired_whole).into() }),
        }
    };
    let n2 = name.clone();
    let set_config = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(min), Ok(max)) =
            (min_pct.get_untracked().trim().parse::<u32>(), max_pct.get_untracked().trim().parse::<u32>())
        else {
            ctl.notice
                .set(crate::playback_ctl::Notice { ok: false, text: tu_string!(i18n, service.percent_whole).into() });
            return;
        };
        let _ = ctl.act(actions::update_deployment_configuration(
            &n2,
            min,
            max,
            (cb_enable.get_untracked(), cb_rollback.get_untracked()),
        ));
    };
    let n3 = name.clone();
    let deploy = move |kind: Revision| {
        let n = n3.clone();
        move |_| {
            let Some(Some((register, family))) = ctl.with_sim(|s| actions::next_revision(s, &n, kind)) else {
                ctl.notice
                    .set(crate::playback_ctl::Notice { ok: false, text: tu_string!(i18n, service.no_primary).into() });
                return;
            };
            if ctl.act(register).is_ok() {
                let revision = ctl.with_sim(|s| s.state().task_defs.families.get(&family).map(Vec::len)).flatten();
                if let Some(rev) = revision {
                    let _ = ctl.act(actions::update_task_definition(&n, &family, rev as u32));
                }
            }
        }
    };
    // Fargate Spot (documented): "When AWS needs the capacity back, tasks are interrupted with a
    // two-minute warning" - offered only for a service whose strategy uses FARGATE_SPOT.
    let n4 = name.clone();
    let uses_spot = move || {
        ctl.version.track();
        ctl.with_sim(|s| s.uses_fargate_spot(&n4)).unwrap_or(false)
    };
    let n5 = StoredValue::new(name.clone());
    let interrupt = move |_| {
        let _ = ctl.act(actions::spot_interruption(&n5.get_value()));
    };
    view! {
        <form class="row" on:submit=set_desired>
            <label>{t!(i18n, service.desired_count)} " " <input type="number" min="0" max="5000" aria-label=move || t_string!(i18n, service.desired_count) bind:value=desired/></label>
            <button type="submit">{t!(i18n, service.set_desired_count)}</button>
        </form>
        <form class="row wrap" on:submit=set_config>
            <label>{t!(i18n, service.min_healthy_short)} " " <input type="number" min="0" max="100" aria-label=move || t_string!(i18n, service.min_healthy) bind:value=min_pct/></label>
            <label>{t!(i18n, service.max_short)} " " <input type="number" min="100" max="200" aria-label=move || t_string!(i18n, service.max) bind:value=max_pct/></label>
            <label><input type="checkbox" aria-label=move || t_string!(i18n, service.circuit_breaker) bind:checked=cb_enable/> " " {t!(i18n, service.circuit_breaker_short)}</label>
            <label><input type="checkbox" aria-label=move || t_string!(i18n, service.rollback) bind:checked=cb_rollback/> " " {t!(i18n, service.rollback_short)}</label>
            <button type="submit">{t!(i18n, service.update_configuration)}</button>
        </form>
        <div class="row wrap">
            <button on:click=deploy(Revision::Good)>{t!(i18n, service.deploy_new)}</button>
            <button class="danger" on:click=deploy(Revision::BadImage)>{t!(i18n, service.deploy_broken)}</button>
            <Show when=uses_spot>
                <button class="danger" title=move || t_string!(i18n, service.spot_hint) on:click=interrupt>{t!(i18n, service.spot_interruption)}</button>
            </Show>
        </div>
    }
}

/// `deploymentConfiguration.strategy` and its parameters, sent as UpdateService. BLUE_GREEN,
/// CANARY and LINEAR are offered only when the engine would accept them on this service (its load
/// balancers carry advancedConfiguration, its controller is ECS); otherwise the API's rule is shown.
#[component]
fn StrategyControls(name: String, svc: Memo<ServiceVm>) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    let strategy = RwSignal::new(Strategy::Rolling);
    let percent = RwSignal::new(String::new());
    let step_bake = RwSignal::new(String::new());
    let bake = RwSignal::new(String::new());
    // Follow the engine's values (the scenario, a timeline action, a replay).
    Effect::new(move |_| {
        let (st, first, b) = svc.with(|s| (s.strategy, s.first_step, s.bake_minutes));
        strategy.set(st);
        // The documented defaults when the strategy has none yet (canary 5 % / 10 min).
        let (p, sb) = first.unwrap_or((5.0, 10));
        percent.set(p.to_string());
        step_bake.set(sb.to_string());
        bake.set(b.to_string());
    });
    let refusal = move || svc.with(|s| s.strategy_refusal.clone());
    let name_s = StoredValue::new(name);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let bad = || {
            ctl.notice
                .set(crate::playback_ctl::Notice { ok: false, text: tu_string!(i18n, service.strategy_numbers).into() })
        };
        let (Ok(p), Ok(sb), Ok(b)) = (
            percent.get_untracked().trim().parse::<f64>(),
            step_bake.get_untracked().trim().parse::<u32>(),
            bake.get_untracked().trim().parse::<u32>(),
        ) else {
            return bad();
        };
        let choice = match strategy.get_untracked() {
            Strategy::BlueGreen => actions::StrategyChoice::BlueGreen,
            Strategy::Canary => actions::StrategyChoice::Canary(p, sb),
            Strategy::Linear => actions::StrategyChoice::Linear(p, sb),
            Strategy::Rolling => actions::StrategyChoice::Rolling,
        };
        let _ = ctl.act(actions::update_strategy(&name_s.get_value(), choice, b));
    };
    let is = move |v: Strategy| move || strategy.get() == v;
    let (percent_name, bake_name) = (
        move || if strategy.get() == Strategy::Linear { "stepPercent" } else { "canaryPercent" },
        move || if strategy.get() == Strategy::Linear { "stepBakeTimeInMinutes" } else { "canaryBakeTimeInMinutes" },
    );
    // The console's Rollback: offered while the engine names a deployment in progress.
    let in_progress = move || {
        ctl.version.track();
        ctl.with_sim(|s| s.deployment_in_progress_arn(&name_s.get_value())).flatten()
    };
    let roll_back = move |_| {
        if let Some(arn) = in_progress() {
            let _ = ctl.act(actions::roll_back_deployment(&arn));
        }
    };
    // Faults for the deployment: the next invocation of a hook function answers FAILED; an alarm
    // the deployment watches goes to ALARM (SetAlarmState).
    let fail_hook = move |arn: String| {
        move |_| {
            let _ = ctl.act(actions::fail_next_lifecycle_hook(&arn));
        }
    };
    let set_alarm = move |name: String| {
        move |_| {
            let _ = ctl.act(actions::set_alarm_to_alarm(&name));
        }
    };
    let short = |arn: &str| ecs_sim::views::arn_resource_name(arn).to_string();
    view! {
        <Show when=move || in_progress().is_some()>
            <div class="row">
                <button class="danger" title=move || t_string!(i18n, service.roll_back_hint) on:click=roll_back>{t!(i18n, service.roll_back)}</button>
            </div>
        </Show>
        <Show when=move || svc.with(|s| !s.hook_targets.is_empty() || !s.alarm_names.is_empty())>
            <div class="row wrap deployment-faults">
                {move || svc.with(|s| s.hook_targets.iter().map(|arn| {
                    let f = short(arn);
                    view! {
                        <button class="danger" title=move || t_string!(i18n, service.fail_hook_hint)
                            on:click=fail_hook(arn.clone())>{t_string!(i18n, service.fail_hook, hook = f.as_str())}</button>
                    }
                }).collect_view())}
                {move || svc.with(|s| s.alarm_names.iter().map(|n| {
                    let label = n.clone();
                    view! {
                        <button class="danger" title=move || t_string!(i18n, service.set_alarm_hint)
                            on:click=set_alarm(n.clone())>{t_string!(i18n, service.set_alarm, alarm = label.as_str())}</button>
                    }
                }).collect_view())}
            </div>
        </Show>
        <Show when=move || refusal().is_none() fallback=move || view! {
            <p class="muted strategy-refused">{move || t_string!(i18n, service.strategy_refused, rule = refusal().unwrap_or_default())}</p>
        }>
            <form class="row wrap strategy" on:submit=submit>
                <label>{t!(i18n, service.strategy)} " "
                    <select aria-label=move || t_string!(i18n, service.strategy) prop:value=move || strategy.get().as_str() on:change=move |ev| strategy.set(Strategy::from_aws(&event_target_value(&ev)).unwrap_or_default())>
                        {Strategy::ALL.map(|v| view! { <option value=v.as_str() selected=move || strategy.get() == v>{v.as_str()}</option> })}
                    </select>
                </label>
                <Show when=move || is(Strategy::Canary)() || is(Strategy::Linear)()>
                    <label>{percent_name} " " <input type="number" min="0.1" max="100" step="0.1" aria-label=percent_name bind:value=percent/></label>
                    <label>{bake_name} " " <input type="number" min="0" max="1440" aria-label=bake_name bind:value=step_bake/></label>
                </Show>
                <Show when=move || !is(Strategy::Rolling)()>
                    <label>"bakeTimeInMinutes " <input type="number" min="0" max="1440" aria-label="bakeTimeInMinutes" bind:value=bake/></label>
                </Show>
                <button type="submit">{t!(i18n, service.set_strategy)}</button>
            </form>
        </Show>
    }
}
