//! The Application Load Balancer above the AZs: its listener forwarding to each target group,
//! and an SVG line from the ALB to every registered target, labelled with what the target group
//! registers (`i-0abc:32768` for instance targets, `10.0.1.23:80` for ip targets), with its health
//! in the line's style and in text. Requests flow along healthy lines at a rate from the engine's
//! per-target request counts (CSS animation; none under prefers-reduced-motion).

use crate::app::{PlaybackCtl, Selection};
use crate::view_model::TargetGroupVm;
use leptos::prelude::*;
use std::collections::HashMap;
use wasm_bindgen::JsCast;

/// Lines drawn at most; the rest are listed in text (a projector shows no more anyway).
pub const MAX_LINES: usize = 200;
/// Labels are written on the lines only when there are few enough to read.
const MAX_LABELS: usize = 24;

#[derive(Clone, Debug, PartialEq)]
struct Line {
    key: String,
    /// Labels of targets on the same row are stacked: this one's place in its row.
    row_rank: u32,
    group: String,
    label: String,
    state: &'static str,
    flow_s: Option<f64>,
    x1: f64,
    y1: f64,
    x2: f64,
    y2: f64,
}

fn measure(tgs: &[TargetGroupVm]) -> Vec<Line> {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return vec![] };
    let (Ok(Some(region)), Ok(Some(alb))) = (doc.query_selector(".region"), doc.query_selector(".alb-box")) else {
        return vec![];
    };
    let origin = region.get_bounding_client_rect();
    let a = alb.get_bounding_client_rect();
    let (ax, ay) = (a.left() + a.width() / 2.0 - origin.left(), a.bottom() - origin.top());
    let wanted: std::collections::HashSet<&str> =
        tgs.iter().flat_map(|g| g.targets.iter().map(|t| t.task_key.as_str())).collect();
    let mut pos: HashMap<String, (f64, f64)> = HashMap::new();
    if let Ok(chips) = region.query_selector_all("[data-task-key]") {
        for i in 0..chips.length() {
            let Some(el) = chips.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
            let Some(k) = el.get_attribute("data-task-key") else { continue };
            if !wanted.contains(k.as_str()) {
                continue;
            }
            let r = el.get_bounding_client_rect();
            pos.insert(k, (r.left() + r.width() / 2.0 - origin.left(), r.top() - origin.top()));
        }
    }
    let mut out = Vec::new();
    for g in tgs {
        for t in &g.targets {
            if out.len() >= MAX_LINES {
                return out;
            }
            let Some((x2, y2)) = pos.get(&t.task_key).copied() else { continue };
            let rps = t.requests_this_minute as f64 / 60.0;
            let flow_s = (rps > 0.0 && t.state == "healthy").then(|| (3.0 / rps.sqrt()).clamp(0.3, 6.0));
            let row_rank = out.iter().filter(|l: &&Line| (l.y2 - y2).abs() < 1.0).count() as u32;
            out.push(Line {
                row_rank,
                key: t.key.clone(),
                group: g.name.clone(),
                label: t.label.clone(),
                state: t.state,
                flow_s,
                x1: ax,
                y1: ay,
                x2: (x2 * 2.0).round() / 2.0,
                y2: (y2 * 2.0).round() / 2.0,
            });
        }
    }
    out
}

#[component]
pub fn AlbView() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let tgs = ctl.ui.target_groups;
    let lines = RwSignal::new(Vec::<Line>::new());
    let pending = StoredValue::new(false);
    let resized = RwSignal::new(0u32);
    let schedule = move || {
        if pending.get_value() {
            return;
        }
        pending.set_value(true);
        request_animation_frame(move || {
            pending.set_value(false);
            let l = tgs.with_untracked(|g| measure(g));
            if lines.with_untracked(|cur| *cur != l) {
                lines.set(l);
            }
        });
    };
    Effect::new(move |_| {
        tgs.track();
        ctl.ui.azs.track();
        resized.track();
        schedule();
    });
    let handle = window_event_listener(leptos::ev::resize, move |_| resized.update(|n| *n += 1));
    on_cleanup(move || handle.remove());

    let any = move || tgs.with(|g| !g.is_empty());
    let total = move || tgs.with(|g| g.iter().map(|g| g.targets.len()).sum::<usize>());
    view! {
        <div class="alb" hidden=move || !any()>
            <div class="alb-box" aria-label="Application Load Balancer" role="group">
                <strong>"Application Load Balancer"</strong>
                <For each=move || tgs.get() key=|g| format!("{}|{:?}", g.name, g.targets) let:g>
                    <TargetGroupBox g=g/>
                </For>
                <p class="muted" hidden=move || total() <= MAX_LINES>
                    {move || format!("Lines drawn for the first {MAX_LINES} of {} targets.", total())}
                </p>
            </div>
        </div>
        <svg class="alb-lines" aria-hidden="true" hidden=move || !any()>
            <For each=move || lines.get() key=|l| format!("{}|{}|{:?}|{},{},{},{}", l.key, l.state, l.flow_s, l.x1, l.y1, l.x2, l.y2) let:l>
                {
                    let few = lines.with_untracked(|v| v.len() <= MAX_LABELS);
                    let cls = format!("tline tl-{}", l.state);
                    // The label sits just above the target it names.
                    let mid = (l.x2, l.y2 - 4.0 - 18.0 * f64::from(l.row_rank));
                    let label = format!("{} {}", l.label, l.state);
                    view! {
                        <g class=cls data-target=l.label.clone() data-group=l.group.clone()>
                            <title>{label.clone()}</title>
                            <line class="base" x1=l.x1 y1=l.y1 x2=l.x2 y2=l.y2/>
                            {l.flow_s.map(|s| view! {
                                <line class="flow" x1=l.x1 y1=l.y1 x2=l.x2 y2=l.y2 style=format!("animation-duration:{s:.2}s")/>
                            })}
                            {few.then(|| view! { <text x=mid.0 y=mid.1>{label}</text> })}
                        </g>
                    }
                }
            </For>
        </svg>
    }
}

#[component]
fn TargetGroupBox(g: TargetGroupVm) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let count = |s: &str| g.targets.iter().filter(|t| t.state == s).count();
    let summary = format!(
        "{} targets: {} healthy, {} initial, {} unhealthy, {} draining",
        g.targets.len(),
        count("healthy"),
        count("initial"),
        count("unhealthy"),
        count("draining")
    );
    let name = g.name.clone();
    view! {
        <div class="tg" data-target-group=g.name.clone()>
            <p>
                "Listener → forward to " <strong>{g.name.clone()}</strong>
                {format!(" ({} {}:{}, health check {})", g.target_type, g.protocol, g.port, g.health_check_path)}
            </p>
            <p class="tg-summary">{summary}</p>
            <details>
                <summary>"Registered targets"</summary>
                <ul class="targets">
                    {g.targets.iter().take(100).map(|t| {
                        let (group, label) = (name.clone(), t.label.clone());
                        view! {
                            <li class=format!("target tl-{}", t.state)>
                                <button class="linkish" on:click=move |_| ctl.selected.set(Some(Selection::Target { group: group.clone(), label: label.clone() }))>
                                    {t.label.clone()}
                                </button>
                                {format!(" {}", t.state)}
                                {t.reason.clone().map(|r| format!(" ({r})"))}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </details>
        </div>
    }
}
