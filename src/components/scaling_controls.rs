//! Auto scaling and traffic controls: a target tracking policy on the first service (metric,
//! target, min and max tasks) and the request rate its load balancer receives. They send the
//! Application Auto Scaling requests (RegisterScalableTarget, PutScalingPolicy,
//! DeleteScalingPolicy) and the playground's SetTraffic through `PlaybackCtl::act`; the engine
//! validates them and decides every scaling activity.

use crate::actions;
use crate::i18n::*;
use crate::playback_ctl::{Notice, PlaybackCtl};
use leptos::prelude::*;

/// What the controls act on, read from the engine when the scenario loads.
#[derive(Clone, Default)]
struct Subject {
    cluster: String,
    service: String,
    target_group: Option<String>,
    /// (metric, target, min, max) of the service's first target tracking policy, if any.
    policy: Option<(String, f64, u32, u32)>,
    rps: Option<f64>,
}

fn read_subject(ctl: &PlaybackCtl) -> Subject {
    ctl.playback.with_value(|p| {
        let Some(p) = p else { return Subject::default() };
        let st = p.sim.state();
        let Some(svc) = st.services.first() else { return Subject::default() };
        let target_group = svc.target_groups.first().and_then(|g| st.elb.get(*g)).map(|g| g.name.clone());
        let rid = actions::scaling_resource_id(&st.cluster_name, &svc.service_name);
        let policy = p.sim.target_tracking_view(&rid).map(|v| {
            let count = |n: i64| u32::try_from(n).unwrap_or_default();
            (v.predefined_metric, v.target_value, count(v.min_capacity), count(v.max_capacity))
        });
        let rps = target_group.as_ref().and_then(|tg| {
            let tr = p.sim.scenario().traffic.as_ref()?;
            let spec = tr.target_groups.iter().find(|g| &g.target_group == tg)?;
            Some(spec.requests_per_second.rate_at(p.sim.now() as f64 / 1000.0))
        });
        Subject { cluster: st.cluster_name.clone(), service: svc.service_name.clone(), target_group, policy, rps }
    })
}

/// The predefined metrics for ECS services (PredefinedMetricType values).
const METRICS: [&str; 3] =
    ["ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization", "ALBRequestCountPerTarget"];

#[component]
pub fn ScalingControls() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    // Prefill from the scenario as loaded; every action re-reads the engine (a scenario may have
    // been loaded since).
    let subject = read_subject(&ctl);
    let initial = subject.policy.clone();
    let metric = RwSignal::new(initial.as_ref().map(|p| p.0.clone()).unwrap_or_else(|| METRICS[0].to_string()));
    let target = RwSignal::new(initial.as_ref().map(|p| p.1.to_string()).unwrap_or_else(|| "50".into()));
    let min = RwSignal::new(initial.as_ref().map(|p| p.2.to_string()).unwrap_or_else(|| "1".into()));
    let max = RwSignal::new(initial.as_ref().map(|p| p.3.to_string()).unwrap_or_else(|| "10".into()));
    let rps = RwSignal::new(subject.rps.map(|r| format!("{r:.0}")).unwrap_or_else(|| "100".into()));
    let fail = move |text: String| ctl.notice.set(Notice { ok: false, text });

    let apply_policy = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let s = read_subject(&ctl);
        let (Ok(t), Ok(lo), Ok(hi)) = (
            target.get_untracked().trim().parse::<f64>(),
            min.get_untracked().trim().parse::<u32>(),
            max.get_untracked().trim().parse::<u32>(),
        ) else {
            return fail(t_string!(i18n, scaling_controls.numbers_needed).to_string());
        };
        let m = metric.get_untracked();
        let label = if m == "ALBRequestCountPerTarget" {
            let l = s
                .target_group
                .as_ref()
                .and_then(|tg| ctl.playback.with_value(|p| p.as_ref().and_then(|p| p.sim.alb_resource_label(tg))));
            if l.is_none() {
                return fail(t_string!(i18n, scaling_controls.needs_target_group).to_string());
            }
            l
        } else {
            None
        };
        if ctl.act(actions::register_scalable_target(&s.cluster, &s.service, lo, hi)).is_ok() {
            let _ = ctl.act(actions::target_tracking_policy(&s.cluster, &s.service, &m, t, label.as_deref()));
        }
    };
    let remove_policy = move |_| {
        let s = read_subject(&ctl);
        let _ = ctl.act(actions::delete_controls_policy(&s.cluster, &s.service));
    };
    let set_traffic = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(tg) = read_subject(&ctl).target_group else {
            return fail(t_string!(i18n, scaling_controls.no_load_balancer).to_string());
        };
        let Ok(r) = rps.get_untracked().trim().parse::<f64>() else {
            return fail(t_string!(i18n, scaling_controls.rps_number).to_string());
        };
        let command = ctl.playback.with_value(|p| p.as_ref().map(|p| actions::set_constant_traffic(&p.sim, &tg, r)));
        if let Some(command) = command {
            let _ = ctl.act(command);
        }
    };
    let service = move || ctl.ui.services.with(|s| s.first().map(|s| s.name.clone()).unwrap_or_default());

    let metric_label = move |m: &str| match m {
        "ECSServiceAverageCPUUtilization" => t_string!(i18n, scaling_controls.metric_cpu).to_string(),
        "ECSServiceAverageMemoryUtilization" => t_string!(i18n, scaling_controls.metric_memory).to_string(),
        _ => t_string!(i18n, scaling_controls.metric_requests).to_string(),
    };

    view! {
        <section class="panel scaling-controls" aria-label=move || t_string!(i18n, scaling_controls.label)>
            <h2>{move || t_string!(i18n, scaling_controls.heading, service = service()).to_string()}</h2>
            <form class="row wrap" on:submit=apply_policy>
                <label>{t!(i18n, scaling_controls.target_tracking_on)} " "
                    <select aria-label=move || t_string!(i18n, scaling_controls.metric) prop:value=move || metric.get() on:change=move |ev| metric.set(event_target_value(&ev))>
                        {METRICS.iter().map(|v| view! { <option value=*v>{move || metric_label(v)}</option> }).collect_view()}
                    </select>
                </label>
                <label>{t!(i18n, scaling_controls.target)} " " <input type="number" step="any" size="5" aria-label=move || t_string!(i18n, scaling_controls.target_value) bind:value=target/></label>
                <label>{t!(i18n, scaling_controls.min)} " " <input type="number" min="0" size="4" aria-label=move || t_string!(i18n, scaling_controls.min_tasks) bind:value=min/></label>
                <label>{t!(i18n, scaling_controls.max)} " " <input type="number" min="0" size="4" aria-label=move || t_string!(i18n, scaling_controls.max_tasks) bind:value=max/></label>
                <button type="submit">{t!(i18n, scaling_controls.apply)}</button>
                <button type="button" on:click=remove_policy>{t!(i18n, scaling_controls.remove)}</button>
            </form>
            <h2>{t!(i18n, scaling_controls.traffic)}</h2>
            <form class="row wrap" on:submit=set_traffic>
                <label>{t!(i18n, scaling_controls.rps)} " "
                    <input type="number" min="0" step="any" size="6" aria-label=move || t_string!(i18n, scaling_controls.rps) bind:value=rps/>
                </label>
                <button type="submit">{t!(i18n, scaling_controls.set_traffic)}</button>
            </form>
        </section>
    }
}
