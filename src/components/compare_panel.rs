//! Compare mode (engine `Simulation::compare_report`): the scenario's service as a Kubernetes
//! Deployment (maxSurge = maximumPercent - 100, maxUnavailable = 100 - minimumHealthyPercent,
//! target tracking as an HPA), and the scenario's traffic served by Lambda and by ECS on
//! Fargate, minute by minute.

use crate::i18n::*;
use crate::playback_ctl::SimReader;
use leptos::prelude::*;

#[component]
pub fn ComparePanel() -> impl IntoView {
    let reader = expect_context::<SimReader>();
    let url = expect_context::<crate::url_state::UrlState>();
    let i18n = use_i18n();
    let minutes = RwSignal::new(60u32);
    let report = Memo::new(move |_| {
        let _ = reader.version.get();
        let m = minutes.get();
        reader.with_sim(|s| s.compare_report(None, m)).flatten()
    });
    view! {
        <div class="compare-panel" aria-label=move || t_string!(i18n, compare.label)>
            <h2>"Lambda · ECS · Kubernetes"</h2>
            <label>{t!(i18n, compare.minutes)} " "
                <input type="number" min="1" max="1440" aria-label=move || t_string!(i18n, compare.minutes_label) prop:value=move || minutes.get().to_string()
                    on:change=move |ev| { if let Ok(m) = event_target_value(&ev).trim().parse::<u32>() { minutes.set(m.clamp(1, 1440)) } }/>
            </label>
            {move || match report.get() {
                None => view! { <p>{t!(i18n, compare.no_service)}</p> }.into_any(),
                Some(r) => {
                    let k = r.kubernetes.clone();
                    let lambda_cold: u32 = r.lambda.iter().map(|p| p.cold_starts).sum();
                    let lambda_peak = r.lambda.iter().map(|p| p.capacity).fold(0.0, f64::max);
                    let lambda_throttled = r.lambda.iter().map(|p| p.throttled_rps).fold(0.0, f64::max);
                    let lambda_cost = r.lambda.last().map(|p| p.cumulative_cost).unwrap_or(0.0);
                    let ecs_peak = r.ecs_fargate.iter().map(|p| p.capacity).fold(0.0, f64::max);
                    let ecs_cost = r.ecs_fargate.last().map(|p| p.cumulative_cost).unwrap_or(0.0);
                    let ecs_short = r.ecs_fargate.iter().map(|p| p.throttled_rps).fold(0.0, f64::max);
                    view! {
                        <h3>{t_string!(i18n, compare.as_deployment, name = r.service_name.clone()).to_string()}</h3>
                        <dl class="k8s-mapping">
                            <dt>"ECS maximumPercent"</dt><dd data-k8s="maximumPercent">{r.maximum_percent}</dd>
                            <dt>"ECS minimumHealthyPercent"</dt><dd data-k8s="minimumHealthyPercent">{r.minimum_healthy_percent}</dd>
                            <dt>"maxSurge (maximumPercent − 100)"</dt><dd data-k8s="maxSurge">{k.max_surge.clone()}</dd>
                            <dt>"maxUnavailable (100 − minimumHealthyPercent)"</dt><dd data-k8s="maxUnavailable">{k.max_unavailable.clone()}</dd>
                            <dt>"replicas"</dt><dd>{k.replicas}</dd>
                            <dt>{t!(i18n, compare.most_during_rollout)}</dt><dd>{format!("ECS {} · Kubernetes {}", k.ecs_max_tasks, k.k8s_max_pods)}{k.surge_differs.then(|| format!(" ({})", t_string!(i18n, compare.rounding_differs)))}</dd>
                            <dt>{t!(i18n, compare.fewest_healthy)}</dt><dd>{format!("ECS {} · Kubernetes {}", k.ecs_min_healthy, k.k8s_min_available)}</dd>
                            <dt>{t!(i18n, compare.autoscaling)}</dt><dd data-k8s="hpa">{k.hpa.map(|h| t_string!(i18n, compare.hpa, min = h.min_replicas, max = h.max_replicas, metric = h.metric, utilization = h.average_utilization).to_string()).unwrap_or_else(|| t_string!(i18n, compare.none).to_string())}</dd>
                        </dl>
                        <table class="term-map" aria-label=move || t_string!(i18n, compare.terms)>
                            <thead><tr><th scope="col">"ECS"</th><th scope="col">"Kubernetes"</th></tr></thead>
                            <tbody>{ecs_sim::compare::terms_in(&url.lang.get()).into_iter().map(|(a, b)| view! { <tr><td>{a}</td><td>{b}</td></tr> }).collect_view()}</tbody>
                        </table>
                        <h3>{t_string!(i18n, compare.same_traffic, minutes = r.rps_per_minute.len()).to_string()}</h3>
                        <table class="compare-runs">
                            <thead><tr><th scope="col">""</th><th scope="col">"Lambda"</th><th scope="col">{t!(i18n, compare.ecs_on_fargate)}</th></tr></thead>
                            <tbody>
                                <tr><th scope="row">{t!(i18n, compare.peak)}</th><td>{t_string!(i18n, compare.concurrent, n = format!("{lambda_peak:.1}")).to_string()}</td><td>{t_string!(i18n, compare.tasks_each, n = format!("{ecs_peak:.0}"), rps = format!("{:.1}", r.rps_per_task)).to_string()}</td></tr>
                                <tr><th scope="row">{t!(i18n, compare.starts)}</th><td>{t_string!(i18n, compare.cold_starts, n = lambda_cold, ms = format!("{:.0}", r.lambda_config.cold_start_ms)).to_string()}</td><td>{t_string!(i18n, compare.task_starts, n = r.ecs_fargate.iter().map(|p| p.cold_starts).sum::<u32>()).to_string()}</td></tr>
                                <tr><th scope="row">{t!(i18n, compare.shortfall)}</th><td>{t_string!(i18n, compare.throttled, n = format!("{lambda_throttled:.0}"), quota = r.lambda_config.concurrency_limit).to_string()}</td><td>{t_string!(i18n, compare.over_capacity, n = format!("{ecs_short:.0}")).to_string()}</td></tr>
                                <tr><th scope="row">{t!(i18n, compare.cost)}</th><td>{format!("${lambda_cost:.4}")}</td><td>{format!("${ecs_cost:.4}")}</td></tr>
                                <tr><th scope="row">{t!(i18n, compare.longest)}</th><td>{t_string!(i18n, compare.timeout, seconds = r.lambda_config.max_timeout_seconds).to_string()}</td><td>{t!(i18n, compare.no_limit)}</td></tr>
                            </tbody>
                        </table>
                        <h3>{t!(i18n, compare.operate)}</h3>
                        <ul class="operate">{ecs_sim::compare::what_you_operate_in(&url.lang.get()).into_iter().map(|(k, v)| view! { <li><strong>{k}</strong>": " {v.join("; ")}</li> }).collect_view()}</ul>
                    }.into_any()
                }
            }}
        </div>
    }
}
