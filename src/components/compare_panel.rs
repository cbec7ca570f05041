//! Compare mode (engine `Simulation::compare_report`): the scenario's service as a Kubernetes
//! Deployment (maxSurge = maximumPercent - 100, maxUnavailable = 100 - minimumHealthyPercent,
//! target tracking as an HPA), and the scenario's traffic served by Lambda and by ECS on
//! Fargate, minute by minute.

use crate::app::PlaybackCtl;
use leptos::prelude::*;

#[component]
pub fn ComparePanel() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let minutes = RwSignal::new(60u32);
    let report = Memo::new(move |_| {
        let _ = ctl.version.get();
        let m = minutes.get();
        ctl.with_sim(|s| s.compare_report(None, m)).flatten()
    });
    view! {
        <div class="compare-panel" aria-label="Compare Lambda, ECS and Kubernetes">
            <h2>"Lambda · ECS · Kubernetes"</h2>
            <label>"Minutes of traffic "
                <input type="number" min="1" max="1440" aria-label="Minutes of traffic to compare" prop:value=move || minutes.get().to_string()
                    on:change=move |ev| { if let Ok(m) = event_target_value(&ev).trim().parse::<u32>() { minutes.set(m.clamp(1, 1440)) } }/>
            </label>
            {move || match report.get() {
                None => view! { <p>"This scenario has no service to compare."</p> }.into_any(),
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
                        <h3>{format!("Service {} as a Kubernetes Deployment", r.service_name)}</h3>
                        <dl class="k8s-mapping">
                            <dt>"ECS maximumPercent"</dt><dd data-k8s="maximumPercent">{r.maximum_percent}</dd>
                            <dt>"ECS minimumHealthyPercent"</dt><dd data-k8s="minimumHealthyPercent">{r.minimum_healthy_percent}</dd>
                            <dt>"maxSurge (maximumPercent − 100)"</dt><dd data-k8s="maxSurge">{k.max_surge.clone()}</dd>
                            <dt>"maxUnavailable (100 − minimumHealthyPercent)"</dt><dd data-k8s="maxUnavailable">{k.max_unavailable.clone()}</dd>
                            <dt>"replicas"</dt><dd>{k.replicas}</dd>
                            <dt>"Most tasks / pods during a rollout"</dt><dd>{format!("ECS {} · Kubernetes {}{}", k.ecs_max_tasks, k.k8s_max_pods, if k.surge_differs { " (rounding differs)" } else { "" })}</dd>
                            <dt>"Fewest healthy during a rollout"</dt><dd>{format!("ECS {} · Kubernetes {}", k.ecs_min_healthy, k.k8s_min_available)}</dd>
                            <dt>"Autoscaling"</dt><dd data-k8s="hpa">{k.hpa.map(|h| format!("HorizontalPodAutoscaler {}–{} replicas, {} averageUtilization {}%", h.min_replicas, h.max_replicas, h.metric, h.average_utilization)).unwrap_or_else(|| "none".into())}</dd>
                        </dl>
                        <table class="term-map" aria-label="ECS and Kubernetes terms">
                            <thead><tr><th scope="col">"ECS"</th><th scope="col">"Kubernetes"</th></tr></thead>
                            <tbody>{k.terms.iter().map(|(a, b)| view! { <tr><td>{*a}</td><td>{*b}</td></tr> }).collect_view()}</tbody>
                        </table>
                        <h3>{format!("The same traffic for {} minutes", r.rps_per_minute.len())}</h3>
                        <table class="compare-runs">
                            <thead><tr><th scope="col">""</th><th scope="col">"Lambda"</th><th scope="col">"ECS on Fargate"</th></tr></thead>
                            <tbody>
                                <tr><th scope="row">"Peak capacity"</th><td>{format!("{lambda_peak:.1} concurrent executions")}</td><td>{format!("{ecs_peak:.0} tasks ({:.1} rps each)", r.rps_per_task)}</td></tr>
                                <tr><th scope="row">"Starts"</th><td>{format!("{lambda_cold} cold starts ({:.0} ms each)", r.lambda_config.cold_start_ms)}</td><td>{format!("{} task starts", r.ecs_fargate.iter().map(|p| p.cold_starts).sum::<u32>())}</td></tr>
                                <tr><th scope="row">"Worst shortfall"</th><td>{format!("{lambda_throttled:.0} rps throttled (quota {})", r.lambda_config.concurrency_limit)}</td><td>{format!("{ecs_short:.0} rps over capacity")}</td></tr>
                                <tr><th scope="row">"Cost"</th><td>{format!("${lambda_cost:.4}")}</td><td>{format!("${ecs_cost:.4}")}</td></tr>
                                <tr><th scope="row">"Longest request"</th><td>{format!("{} s (15 minutes)", r.lambda_config.max_timeout_seconds)}</td><td>"no limit"</td></tr>
                            </tbody>
                        </table>
                        <h3>"What you operate"</h3>
                        <ul class="operate">{r.what_you_operate.iter().map(|(k, v)| view! { <li><strong>{*k}</strong>": " {v.join("; ")}</li> }).collect_view()}</ul>
                    }.into_any()
                }
            }}
        </div>
    }
}
