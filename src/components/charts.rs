//! Hand-drawn SVG charts: desired / running / pending counts over simulated time (sampled from
//! the engine's state as it changes), and, when the engine publishes them, CPU utilization,
//! requests per second and alarm state changes read from its "Metric" and alarm log lines.

use crate::app::PlaybackCtl;
use crate::components::controls::fmt_clock;
use leptos::prelude::*;

const W: f64 = 600.0;
const H: f64 = 140.0;

/// An SVG polyline `points` attribute for (t, v) pairs scaled into the chart box.
fn points(data: &[(f64, f64)], t0: f64, t1: f64, vmax: f64) -> String {
    let span = (t1 - t0).max(1.0);
    let vmax = vmax.max(1.0);
    let mut out = String::with_capacity(data.len() * 12);
    for (t, v) in data {
        let x = (t - t0) / span * W;
        let y = H - (v / vmax) * (H - 4.0);
        out.push_str(&format!("{x:.1},{y:.1} "));
    }
    out
}

#[component]
pub fn Charts() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let counts = Memo::new(move |_| {
        let now = ctl.now_s.get();
        ctl.ui.samples.with(|s| {
            let t1 = now.max(60.0);
            let mut pts: Vec<_> = s.to_vec();
            // Extend the last value to now, so flat stretches are drawn.
            if let Some(last) = pts.last().copied() {
                if last.t < now {
                    pts.push(crate::view_model::Sample { t: now, ..last });
                }
            }
            let vmax = pts.iter().map(|p| p.desired.max(p.running + p.pending)).max().unwrap_or(1) as f64 * 1.15;
            let series = |f: fn(&crate::view_model::Sample) -> u32| {
                let d: Vec<(f64, f64)> = pts.iter().map(|p| (p.t, f64::from(f(p)))).collect();
                points(&d, 0.0, t1, vmax)
            };
            let last = pts.last().map(|p| (p.desired, p.running, p.pending)).unwrap_or_default();
            (series(|p| p.desired), series(|p| p.running), series(|p| p.pending), t1, last)
        })
    });
    let metrics = Memo::new(move |_| {
        let now = ctl.now_s.get().max(60.0);
        ctl.ui.metrics.with(|m| {
            let rmax = m.rps.iter().map(|p| p.1).fold(1.0, f64::max) * 1.15;
            (
                points(&m.cpu, 0.0, now, 100.0),
                m.cpu.last().map(|p| p.1),
                points(&m.rps, 0.0, now, rmax),
                m.rps.last().map(|p| p.1),
                m.alarms.iter().rev().take(8).cloned().collect::<Vec<_>>(),
                !m.cpu.is_empty() || !m.rps.is_empty() || !m.alarms.is_empty(),
            )
        })
    });
    view! {
        <section class="charts panel" aria-label="Charts">
            <figure class="chart">
                <figcaption>
                    "Tasks: "
                    <span class="k desired">"desired " {move || counts.with(|c| c.4 .0)}</span>
                    <span class="k running">"running " {move || counts.with(|c| c.4 .1)}</span>
                    <span class="k pending">"pending " {move || counts.with(|c| c.4 .2)}</span>
                    <span class="muted">{move || format!(" · 0:00:00 to {}", fmt_clock(counts.with(|c| c.3)))}</span>
                </figcaption>
                <svg viewBox=format!("0 0 {W} {H}") preserveAspectRatio="none" role="img" aria-label="Desired, running and pending task counts over time">
                    <polyline class="s-desired" points=move || counts.with(|c| c.0.clone())/>
                    <polyline class="s-pending" points=move || counts.with(|c| c.2.clone())/>
                    <polyline class="s-running" points=move || counts.with(|c| c.1.clone())/>
                </svg>
            </figure>
            <figure class="chart" hidden=move || !metrics.with(|m| m.5)>
                <figcaption>
                    "CPUUtilization "
                    <span class="k cpu">{move || metrics.with(|m| m.1.map(|v| format!("{v:.1}%")).unwrap_or_else(|| "no datapoint".into()))}</span>
                    " · requests/s "
                    <span class="k rps">{move || metrics.with(|m| m.3.map(|v| format!("{v:.1}")).unwrap_or_else(|| "no datapoint".into()))}</span>
                </figcaption>
                <svg viewBox=format!("0 0 {W} {H}") preserveAspectRatio="none" role="img" aria-label="CPU utilization and requests per second over time">
                    <polyline class="s-cpu" points=move || metrics.with(|m| m.0.clone())/>
                    <polyline class="s-rps" points=move || metrics.with(|m| m.2.clone())/>
                </svg>
                <ol class="alarms" aria-label="Alarm state changes">
                    {move || metrics.with(|m| m.4.clone()).into_iter().map(|(t, n, s)| view! {
                        <li class=format!("alarm-{}", s.to_ascii_lowercase().replace('_', "-"))><time>{fmt_clock(t)}</time> " " {n} " → " <strong>{s.clone()}</strong></li>
                    }).collect_view()}
                </ol>
            </figure>
        </section>
    }
}
