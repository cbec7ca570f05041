//! Charts rebuilt from the engine's history (`ecs_sim::sim::history_view`), not sampled per
//! frame: after any jump (scrubber, share link `t=`, marked moment) they show what happened.
//! Task counts (desired, running, pending) as steps; CPU utilization with the alarms'
//! thresholds (the target tracking target is the high alarm's); requests per second. Axes with
//! units; the alarm and scaling-activity lists below.

use crate::components::controls::fmt_clock;
use crate::event_explain::{alarm_state_kind, explanation, scaling_activity_kind};
use crate::i18n::*;
use crate::playback_ctl::PlaybackCtl;
use ecs_sim::sim::history_view::{HistoryBuilder, ServiceHistory};
use leptos::prelude::*;

const W: f64 = 520.0;
const H: f64 = 210.0;
/// Plot area inside the chart.
const X0: f64 = 56.0;
const X1: f64 = 508.0;
const Y0: f64 = 12.0;
const Y1: f64 = 172.0;

fn sx(t: f64, t1: f64) -> f64 {
    X0 + (t / t1.max(1.0)).clamp(0.0, 1.0) * (X1 - X0)
}
fn sy(v: f64, vmax: f64) -> f64 {
    Y1 - (v / vmax.max(1e-9)).clamp(0.0, 1.05) * (Y1 - Y0)
}

/// Polyline points for a step series (counts hold until the next change), extended to `t1`.
fn steps(data: &[(f64, f64)], t1: f64, vmax: f64) -> String {
    let mut out = String::with_capacity(data.len() * 24);
    let mut prev: Option<f64> = None;
    for (t, v) in data {
        if let Some(p) = prev {
            out.push_str(&format!("{:.1},{:.1} ", sx(*t, t1), sy(p, vmax)));
        }
        out.push_str(&format!("{:.1},{:.1} ", sx(*t, t1), sy(*v, vmax)));
        prev = Some(*v);
    }
    if let Some(p) = prev {
        out.push_str(&format!("{:.1},{:.1} ", sx(t1, t1), sy(p, vmax)));
    }
    out
}

/// The points of a series as drawn: per half unit of the plot's width (the chart is 452 units
/// wide), the first, lowest, highest and last point of that column in time order, so a series of
/// tens of thousands of changes (a rolling update of 5,000 tasks) draws the same picture, with the
/// same extremes, from at most about 3,600 points.
fn thin(data: &[(f64, f64)], t1: f64) -> Vec<(f64, f64)> {
    let col = |t: f64| (sx(t, t1) * 2.0).floor() as i64;
    let mut out = Vec::with_capacity(data.len().min(4000));
    let mut i = 0;
    while i < data.len() {
        let c = col(data[i].0);
        let mut j = i + 1;
        let (mut lo, mut hi) = (i, i);
        while j < data.len() && col(data[j].0) == c {
            if data[j].1 < data[lo].1 {
                lo = j;
            }
            if data[j].1 > data[hi].1 {
                hi = j;
            }
            j += 1;
        }
        let mut keep = [i, lo.min(hi), lo.max(hi), j - 1];
        keep.sort_unstable();
        let mut prev = usize::MAX;
        for k in keep {
            if k != prev {
                out.push(data[k]);
                prev = k;
            }
        }
        i = j;
    }
    out
}

/// Polyline points for sampled datapoints.
fn line(data: &[(f64, f64)], t1: f64, vmax: f64) -> String {
    data.iter().map(|(t, v)| format!("{:.1},{:.1} ", sx(*t, t1), sy(*v, vmax))).collect()
}

/// A round axis maximum at or above `v`.
fn nice_max(v: f64) -> f64 {
    let v = v.max(1.0);
    let mag = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * mag >= v {
            return m * mag;
        }
    }
    10.0 * mag
}

fn fmt_num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Axes: y ticks at 0, half and max with `unit`, x ticks at 0, half and the end (h:mm:ss).
fn axes(t1: f64, vmax: f64, unit: String) -> impl IntoView {
    let ys = [0.0, vmax / 2.0, vmax];
    let xs = [0.0, t1 / 2.0, t1];
    view! {
        <g class="axes" aria-hidden="true">
            <path class="axis" d=format!("M {X0} {Y0} V {Y1} H {X1}")/>
            {ys.iter().map(|v| view! {
                <path class="grid" d=format!("M {X0} {:.1} H {X1}", sy(*v, vmax))/>
                <text class="tick" x=X0 - 6.0 y=sy(*v, vmax) + 6.0 text-anchor="end">{fmt_num(*v)}</text>
            }).collect_view()}
            {xs.iter().enumerate().map(|(i, t)| {
                let anchor = match i { 0 => "start", 1 => "middle", _ => "end" };
                view! { <text class="tick" x=sx(*t, t1) y=Y1 + 24.0 text-anchor=anchor>{fmt_clock(*t)}</text> }
            }).collect_view()}
            <text class="unit" x=X0 + 6.0 y=Y0 + 16.0>{unit}</text>
        </g>
    }
}

#[component]
pub fn Charts() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    // Kept up to date from the log when the engine changed (`HistoryBuilder`: each new line is
    // read once, the counts are running totals) and redrawn at most every 250 ms while playing,
    // at once after a jump (the clock went back or jumped ahead, another scenario), when it is
    // rebuilt from the kept log. The drawn time axis ends at the history's moment, so the
    // polylines change 4 times a second, not every frame.
    let history = RwSignal::new((ServiceHistory::default(), 0.0_f64));
    // (builder, absolute log position of the next line to read, `loads` it was built for)
    let builder = StoredValue::new(None::<(HistoryBuilder, usize, u32)>);
    let last_build = StoredValue::new((f64::NEG_INFINITY, -1.0_f64));
    let pending = StoredValue::new(false);
    let build = move |jumped: bool| {
        pending.set_value(false);
        let now_s = ctl.now_s.get_untracked();
        let loads = ctl.loads.get_untracked();
        let h = ctl
            .with_sim(|sim| {
                let st = sim.state();
                let s = st.services.first()?;
                let initial = s.spec.desired_count.unwrap_or(s.desired_count);
                let daemon = s.spec.scheduling_strategy == Some(ecs_sim::scenario::SchedulingStrategy::Daemon);
                let log = sim.log();
                let first = log.len() - log.entries().len();
                let until = sim.now();
                builder.try_update_value(|slot| {
                    let valid = slot.as_ref().is_some_and(|(b, at, l)| {
                        !jumped
                            && now_s > 0.0
                            && *l == loads
                            && (first..=log.len()).contains(at)
                            && b.follows(&s.service_name, initial, daemon)
                    });
                    if !valid {
                        *slot = None;
                    }
                    let (b, at, _) = slot.get_or_insert_with(|| {
                        let from = log.entries().first().map(|e| e.t).unwrap_or(0);
                        (HistoryBuilder::new(&s.service_name, initial, daemon, from), first, loads)
                    });
                    for e in log.since(*at).iter().take_while(|e| e.t <= until) {
                        b.feed(e);
                        *at += 1;
                    }
                    b.history()
                })
            })
            .flatten();
        if h.is_none() {
            builder.set_value(None);
        }
        last_build.set_value((now_ms(), now_s));
        history.set((h.unwrap_or_default(), now_s));
    };
    Effect::new(move |_| {
        ctl.version.track();
        ctl.loads.track();
        let now_s = ctl.now_s.get_untracked();
        let (at, t) = last_build.get_value();
        let jumped = now_s < t || now_s - t > 120.0;
        if jumped || now_ms() - at > 250.0 {
            build(jumped);
        } else if !pending.get_value() {
            pending.set_value(true);
            set_timeout(move || build(false), std::time::Duration::from_millis(260));
        }
    });
    let t1 = Memo::new(move |_| history.with(|h| h.1).max(60.0));
    let counts = Memo::new(move |_| {
        let t1 = t1.get();
        history.with(|(h, _)| {
            let pts: Vec<(f64, u32, u32, u32)> =
                h.counts.iter().map(|p| (p.t as f64 / 1000.0, p.desired, p.running, p.pending)).collect();
            let vmax = nice_max(pts.iter().map(|p| p.1.max(p.2 + p.3)).max().unwrap_or(1) as f64 * 1.1);
            let series = |f: fn(&(f64, u32, u32, u32)) -> u32| {
                let d: Vec<(f64, f64)> = pts.iter().map(|p| (p.0, f64::from(f(p)))).collect();
                thin(&d, t1)
            };
            let (desired, running, pending) = (series(|p| p.1), series(|p| p.2), series(|p| p.3));
            let running_data: Vec<String> = running.iter().map(|p| format!("[{:.3},{}]", p.0, p.1)).collect();
            let last = pts.last().map(|p| (p.1, p.2, p.3)).unwrap_or_default();
            (
                steps(&desired, t1, vmax),
                steps(&running, t1, vmax),
                steps(&pending, t1, vmax),
                vmax,
                last,
                format!("[{}]", running_data.join(",")),
            )
        })
    });
    let cpu = Memo::new(move |_| {
        let t1 = t1.get();
        history.with(|(h, _)| {
            let pts: Vec<(f64, f64)> = h.cpu.iter().map(|(t, v)| (*t as f64 / 1000.0, *v)).collect();
            // (y, comparison, value): the engine's typed threshold, drawn without re-parsing.
            let thresholds: Vec<(f64, String, String)> = h
                .thresholds
                .iter()
                .filter(|t| t.metric == "CPUUtilization")
                .map(|t| (sy(t.value, 100.0), t.comparison.clone(), fmt_num(t.value)))
                .collect();
            (line(&pts, t1, 100.0), pts.last().map(|p| p.1), thresholds, !pts.is_empty())
        })
    });
    let rps = Memo::new(move |_| {
        let t1 = t1.get();
        history.with(|(h, _)| {
            let pts: Vec<(f64, f64)> = h.requests_per_second.iter().map(|(t, v)| (*t as f64 / 1000.0, *v)).collect();
            let vmax = nice_max(pts.iter().map(|p| p.1).fold(1.0, f64::max) * 1.1);
            (line(&pts, t1, vmax), pts.last().map(|p| p.1), vmax, !pts.is_empty())
        })
    });
    let lists = Memo::new(move |_| {
        ctl.ui.metrics.with(|m| {
            (
                m.alarms.iter().rev().take(8).cloned().collect::<Vec<_>>(),
                m.scaling.iter().rev().take(8).cloned().collect::<Vec<_>>(),
            )
        })
    });
    let no_dp = move || t_string!(i18n, charts.no_datapoint).to_string();
    view! {
        <section class="charts panel" aria-label=move || t_string!(i18n, charts.label)>
            <figure class="chart">
                <figcaption>
                    {t!(i18n, charts.tasks)} " "
                    <span class="k desired">{move || t_string!(i18n, charts.desired, n = counts.with(|c| c.4 .0))}</span>
                    <span class="k running">{move || t_string!(i18n, charts.running, n = counts.with(|c| c.4 .1))}</span>
                    <span class="k pending">{move || t_string!(i18n, charts.pending, n = counts.with(|c| c.4 .2))}</span>
                </figcaption>
                <svg class="counts-chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=move || t_string!(i18n, charts.counts_chart)
                    data-running=move || counts.with(|c| c.5.clone()) data-vmax=move || counts.with(|c| c.3)>
                    {move || axes(t1.get(), counts.with(|c| c.3), t_string!(i18n, charts.unit_tasks).to_string())}
                    <polyline class="s-desired" points=move || counts.with(|c| c.0.clone())/>
                    <polyline class="s-pending" points=move || counts.with(|c| c.2.clone())/>
                    <polyline class="s-running" points=move || counts.with(|c| c.1.clone())/>
                </svg>
            </figure>
            <figure class="chart" hidden=move || !cpu.with(|c| c.3)>
                <figcaption>
                    "CPUUtilization "
                    <span class="k cpu">{move || cpu.with(|c| c.1.map(|v| format!("{v:.1}%"))).unwrap_or_else(no_dp)}</span>
                </figcaption>
                <svg class="cpu-chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=move || t_string!(i18n, charts.metrics_chart)>
                    {move || axes(t1.get(), 100.0, "%".to_string())}
                    {move || cpu.with(|c| c.2.clone()).into_iter().map(|(y, op, value)| view! {
                        <path class="threshold" d=format!("M {X0} {y:.1} H {X1}")/>
                        <text class="threshold-label" x=X1 - 4.0 y=y - 6.0 text-anchor="end">
                            {t_string!(i18n, charts.threshold, op = op, value = value).to_string()} "%"
                        </text>
                    }).collect_view()}
                    <polyline class="s-cpu" points=move || cpu.with(|c| c.0.clone())/>
                </svg>
            </figure>
            <figure class="chart" hidden=move || !rps.with(|c| c.3)>
                <figcaption>
                    {t!(i18n, charts.requests_per_second)} " "
                    <span class="k rps">{move || rps.with(|c| c.1.map(|v| format!("{v:.1}"))).unwrap_or_else(no_dp)}</span>
                </figcaption>
                <svg class="rps-chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=move || t_string!(i18n, charts.requests_chart)>
                    {move || axes(t1.get(), rps.with(|c| c.2), t_string!(i18n, charts.requests_per_second).to_string())}
                    <polyline class="s-rps" points=move || rps.with(|c| c.0.clone())/>
                </svg>
            </figure>
            <ol class="alarms" aria-label=move || t_string!(i18n, charts.alarms) hidden=move || lists.with(|l| l.0.is_empty())>
                {move || lists.with(|l| l.0.clone()).into_iter().map(|(t, n, s)| {
                    // The alarm's state stays as CloudWatch names it; what it means is translated.
                    let why = move || explanation(i18n.get_locale(), alarm_state_kind(s));
                    view! {
                        <li class=format!("alarm-{}", s.as_str().to_ascii_lowercase().replace('_', "-"))>
                            <time>{fmt_clock(t)}</time> " " {n} " → " <strong>{s.as_str()}</strong>
                            <span class="explain">{why}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <ol class="alarms scaling" aria-label=move || t_string!(i18n, charts.scaling_activities) hidden=move || lists.with(|l| l.1.is_empty())>
                {move || lists.with(|l| l.1.clone()).into_iter().map(|(t, description, change)| {
                    // DescribeScalingActivities' Description stays in English; the change and
                    // what it means are translated.
                    let why = {
                        let d = description.clone();
                        move || scaling_activity_kind(&d).map(|k| explanation(i18n.get_locale(), k))
                    };
                    let change = move || change.map(|(from, to)| t_string!(i18n, charts.scaling, from, to));
                    view! {
                        <li>
                            <time>{fmt_clock(t)}</time> " " <strong>{change}</strong> " "
                            <span lang="en">{description}</span>
                            <span class="explain">{why}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thinning_keeps_each_columns_extremes_and_ends_in_time_order() {
        // 20,000 changes over 1,000 s: a sawtooth between 0 and 99 with one dip to -5 at 500 s.
        let mut data: Vec<(f64, f64)> = (0..20_000).map(|i| (i as f64 * 0.05, (i % 100) as f64)).collect();
        data[10_000].1 = -5.0;
        let t = thin(&data, 1000.0);
        assert!(t.len() <= 4 * 905, "{} points", t.len());
        assert_eq!(t.first(), data.first());
        assert_eq!(t.last(), data.last());
        assert!(t.windows(2).all(|w| w[0].0 <= w[1].0), "time order");
        assert!(t.contains(&(500.0, -5.0)), "the dip is kept");
        assert_eq!(t.iter().map(|p| p.1).fold(f64::MIN, f64::max), 99.0);
        // A short series is drawn as it is.
        let few = vec![(0.0, 1.0), (10.0, 2.0), (20.0, 1.0)];
        assert_eq!(thin(&few, 60.0), few);
    }
}
