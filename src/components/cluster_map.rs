//! The cluster map: one SVG scene (region, load balancer and bus, AZ columns with their subnet,
//! instances with CPU and memory as fill, task chips in slots, Fargate tasks in their subnet,
//! target lines, legend) whose geometry comes from `map_layout`, scaled to the screen by its
//! `viewBox`. Labels live inside shapes; target lines run only through empty lanes and gaps and
//! end on a box's edge, so they never cross text.
//!
//! Colour means one thing: the task definition revision (old blue, new orange, ... Okabe-Ito,
//! safe for colour-blind readers). The task's state is its outline and fill (solid RUNNING,
//! dashed starting, hatched stopping) and its target health a mark on the chip; the legend says
//! so. Elements are keyed (task ARN, instance id, target id), so CSS moves them: a new task drops
//! from its AZ's entry into the slot placement chose, a stopped one fades out, lines follow.
//! Instances and tasks form one tab stop; arrow keys move inside it (roving tabindex).

use crate::components::map_layout::{self, AzIn, Scene, Slot, CHIP_H, CHIP_W, MARGIN};
use crate::components::task_chip::target_state_name;
use crate::i18n::*;
use crate::playback_ctl::{PlaybackCtl, Selection};
use ecs_sim::deploy_strategy::HookOutcome;
use ecs_sim::model::{InstanceStatus, TargetHealthState, TaskStatus};
use ecs_sim::views::aws_name;
use leptos::prelude::*;
use std::collections::HashSet;
use wasm_bindgen::JsCast;

/// Lines drawn at most (a projector shows no more anyway); the aside lists every target.
pub const MAX_LINES: usize = 200;
/// Revision colours (Okabe-Ito, ordered so consecutive revisions differ most).
pub const PALETTE: usize = 5;

/// Estimated width of `s` at `font` scene units (on the wide side): CJK and Hangul a full em,
/// capitals 0.76 em, others 0.62 em.
pub fn text_w(s: &str, font: f64) -> f64 {
    s.chars()
        .map(|c| {
            let u = c as u32;
            if (0x1100..=0x11ff).contains(&u)
                || (0x2e80..=0xa4cf).contains(&u)
                || (0xac00..=0xd7af).contains(&u)
                || (0xff00..=0xffef).contains(&u)
            {
                1.0
            } else if c.is_uppercase() || c == 'm' || c == 'w' || c == 'M' || c == 'W' {
                0.76
            } else {
                0.62
            }
        })
        .sum::<f64>()
        * font
}

/// `s` shortened with an ellipsis to fit `w` scene units at `font`.
pub fn fit(s: &str, font: f64, w: f64) -> String {
    if text_w(s, font) <= w {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        let next = format!("{out}{c}…");
        if text_w(&next, font) > w {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// The colour class of a colour slot (`view_model::colour_slot`): 0 blue, 1 orange, 2 pink,
/// 3 yellow, 4 green, then again.
pub fn rev_class(slot: usize) -> usize {
    slot % PALETTE
}

fn state_class(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Running => "st-running",
        TaskStatus::Provisioning | TaskStatus::Pending | TaskStatus::Activating => "st-starting",
        TaskStatus::Deactivating | TaskStatus::Stopping | TaskStatus::Deprovisioning | TaskStatus::Stopped => {
            "st-stopping"
        }
    }
}

/// Where a task appears before it travels to its slot: the entry above its AZ.
fn spawn_point(scene: &Scene, slot: &Slot) -> (f64, f64) {
    let az =
        scene.azs.iter().find(|(_, r)| slot.x >= r.x && slot.x <= r.right() && slot.y >= r.y && slot.y <= r.bottom());
    match az {
        Some((_, r)) => (r.x + r.w / 2.0 - CHIP_W / 2.0, r.y - CHIP_H * 0.6),
        None => (slot.x, slot.y - CHIP_H),
    }
}

/// The health marks the legend explains, in its order.
const LEGEND_HEALTH: [TargetHealthState; 4] =
    [TargetHealthState::Healthy, TargetHealthState::Initial, TargetHealthState::Unhealthy, TargetHealthState::Draining];

/// Legend item widths: revisions, then the three state shapes, then the four health marks.
fn legend_items(revisions: &[(String, usize)], health: &[String]) -> Vec<(LegendItem, f64)> {
    let mut v = Vec::new();
    for (name, rev) in revisions {
        v.push((LegendItem::Revision(name.clone(), *rev), 44.0 + text_w(name, 17.0) + 26.0));
    }
    for s in [TaskStatus::Running, TaskStatus::Pending, TaskStatus::Stopping] {
        v.push((LegendItem::State(s), 44.0 + text_w(s.as_str(), 17.0) + 26.0));
    }
    for (i, h) in LEGEND_HEALTH.into_iter().enumerate() {
        let label = health.get(i).cloned().unwrap_or_default();
        v.push((LegendItem::Health(h, label.clone()), 30.0 + text_w(&label, 17.0) + 26.0));
    }
    v
}

#[derive(Clone, Debug, PartialEq)]
enum LegendItem {
    Revision(String, usize),
    State(TaskStatus),
    Health(TargetHealthState, String),
}

#[derive(Clone, Debug, PartialEq)]
struct Line {
    key: String,
    label: String,
    state: TargetHealthState,
    flow_s: Option<f64>,
    d: String,
}

/// `no_legend`: leave the legend out (the A/B view draws two maps at half the width each: the
/// scene is drawn larger without it). At quota scale (`Ui::aggregate`) the picture is the
/// aggregated one (`cluster_heat`); otherwise one box per instance and one chip per task.
#[component]
pub fn ClusterMap(#[prop(optional)] no_legend: bool) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let aggregated = Memo::new(move |_| ctl.ui.aggregate.with(|a| a.is_some()));
    move || {
        if aggregated.get() {
            view! { <crate::components::cluster_heat::ClusterHeat/> }.into_any()
        } else {
            view! { <DetailMap no_legend=no_legend/> }.into_any()
        }
    }
}

/// What `measured_size` gives: the wrap's size for choosing a layout (changes under 8 px are
/// ignored, so a scroll bar does not redraw), the SVG's exact size in CSS pixels, and `measure`.
///
/// Why the SVG gets an exact pixel size instead of `width: 100%`: Chromium lays a
/// percentage-sized SVG root out again, with every `<text>` in it, whenever the page grid around
/// it is laid out, which happens on any change in the side column (the cost meter and the charts
/// change every frame). With 1,000 chips that was 3,215 texts, 80-200 ms a frame; with a fixed
/// size the same change lays out in about 1 ms (measured in Chromium 148, tests/bench/profile.mjs).
pub(crate) struct MapSize<M> {
    pub size: RwSignal<(f64, f64)>,
    /// The SVG's size in CSS pixels, or None before the first measurement (CSS 100%).
    pub px: RwSignal<Option<(f64, f64)>>,
    pub measure: M,
}

/// The SVG's CSS width (`axis` 0) or height (1) in pixels, or None (the style sheet's 100%)
/// until measured. Set through the CSSOM: the Content-Security-Policy refuses style attributes.
pub(crate) fn px_css(px: RwSignal<Option<(f64, f64)>>, axis: usize) -> impl Fn() -> Option<String> + Copy {
    move || px.get().map(|(w, h)| format!("{}px", if axis == 0 { w } else { h }))
}

/// The pixel size of `wrap`'s element as signals, re-measured when it resizes (a ResizeObserver),
/// on window resizes and whenever the returned `measure` is called. `measure` also runs from an
/// animation frame after the map may have been unmounted (the A/B view swaps maps): every read is
/// a `try_`.
pub(crate) fn measured_size(wrap: NodeRef<leptos::html::Div>) -> MapSize<impl Fn() + Copy + 'static> {
    let size = RwSignal::new((1000.0_f64, 560.0_f64));
    let px = RwSignal::new(None::<(f64, f64)>);
    let measure = move || {
        if let Some(Some(el)) = wrap.try_get_untracked() {
            let r = el.get_bounding_client_rect();
            if r.width() > 10.0 && r.height() > 10.0 {
                let v = (r.width(), r.height());
                if size.try_with_untracked(|s| (s.0 - v.0).abs() > 8.0 || (s.1 - v.1).abs() > 8.0) == Some(true) {
                    size.try_set(v);
                }
                // Whole device pixels at most 1 px under the wrap: never larger, so never clipped.
                let exact = (v.0.floor(), v.1.floor());
                if px.try_with_untracked(|p| *p != Some(exact)) == Some(true) {
                    px.try_set(Some(exact));
                }
            }
        }
    };
    let handle = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || handle.remove());
    let observer = StoredValue::new_local(None::<js_sys::Object>);
    Effect::new(move |_| {
        if let Some(el) = wrap.get() {
            if observer.with_value(|o| o.is_none()) {
                observer.set_value(observe_resize(&el, measure));
            }
        }
    });
    on_cleanup(move || {
        if let Some(Some(o)) = observer.try_with_value(|o| o.clone()) {
            let _ = call_method(&o, "disconnect", None);
        }
    });
    MapSize { size, px, measure }
}

/// Call `f` whenever `el` changes size: the page's ResizeObserver, reached through js_sys so
/// web-sys needs no extra feature. Returns the observer (None where the browser has none).
fn observe_resize(el: &web_sys::Element, f: impl Fn() + 'static) -> Option<js_sys::Object> {
    use wasm_bindgen::closure::Closure;
    let ctor = js_sys::Reflect::get(&js_sys::global(), &"ResizeObserver".into()).ok()?;
    let ctor = ctor.dyn_into::<js_sys::Function>().ok()?;
    let callback = Closure::<dyn Fn()>::new(f);
    let observer = js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(callback.as_ref())).ok()?;
    // The observer lives as long as the page holds it; the callback with it (a few bytes per map).
    callback.forget();
    let observer: js_sys::Object = observer.dyn_into().ok()?;
    call_method(&observer, "observe", Some(el.as_ref()))?;
    Some(observer)
}

fn call_method(o: &js_sys::Object, name: &str, arg: Option<&wasm_bindgen::JsValue>) -> Option<()> {
    let f = js_sys::Reflect::get(o, &name.into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    match arg {
        Some(a) => f.call1(o, a).ok()?,
        None => f.call0(o).ok()?,
    };
    Some(())
}

#[component]
fn DetailMap(no_legend: bool) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    let wrap = NodeRef::<leptos::html::Div>::new();
    let MapSize { size, px, measure } = measured_size(wrap);
    // Measure after mount, and again whenever the chrome around the map may have changed.
    Effect::new(move |_| {
        ctl.version.track();
        request_animation_frame(measure);
    });

    let azs_in = Memo::new(move |_| {
        ctl.ui.azs.with(|azs| {
            azs.iter()
                .map(|a| AzIn {
                    name: a.name.clone(),
                    instances: a
                        .instances
                        .iter()
                        .map(|k| {
                            (k.clone(), ctl.ui.instance(k).map(|s| s.with(|i| i.tasks.clone())).unwrap_or_default())
                        })
                        .collect(),
                    fargate: a.fargate_tasks.clone(),
                })
                .collect::<Vec<_>>()
        })
    });
    let revisions = Memo::new(move |_| {
        let mut v: Vec<(String, usize)> = ctl.ui.services.with(|s| {
            s.iter().flat_map(|s| s.deployments.iter().map(|d| (d.task_definition.clone(), d.colour))).collect()
        });
        v.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
        v.dedup();
        v
    });
    let legend = Memo::new(move |_| {
        let locale = i18n.get_locale();
        let health: Vec<String> = LEGEND_HEALTH.iter().map(|h| target_state_name(locale, *h)).collect();
        if no_legend {
            return Vec::new();
        }
        revisions.with(|r| legend_items(r, &health))
    });
    let tg_rows = Memo::new(move |_| alb_rows(ctl));
    let scene = Memo::new(move |_| {
        let (w, h) = size.get();
        let widths: Vec<f64> = legend.with(|l| l.iter().map(|i| i.1).collect());
        azs_in.with(|a| map_layout::choose(a, tg_rows.get(), &widths, w, h).0)
    });

    let lines = Memo::new(move |_| {
        scene.with(|s| {
            let trunk = s.alb.map(|a| a.x + a.w / 2.0).unwrap_or(s.w / 2.0);
            ctl.ui.target_groups.with(|tgs| {
                let mut out = Vec::new();
                for g in tgs {
                    for t in &g.targets {
                        if out.len() >= MAX_LINES {
                            return out;
                        }
                        let Some(p) = s.slots.get(&t.task_key) else { continue };
                        let cx = p.x + CHIP_W / 2.0;
                        let d = format!(
                            "path('M {trunk:.1} {:.1} H {:.1} V {:.1} H {cx:.1} V {:.1}')",
                            s.bus_y, p.lane_x, p.gap_y, p.edge_y
                        );
                        let rps = t.requests_this_minute as f64 / 60.0;
                        let flow_s = (rps > 0.0 && t.state == TargetHealthState::Healthy)
                            .then(|| (3.0 / rps.sqrt()).clamp(0.3, 6.0));
                        out.push(Line { key: t.key.clone(), label: t.label.clone(), state: t.state, flow_s, d });
                    }
                }
                out
            })
        })
    });
    let line_keys = Memo::new(move |_| lines.with(|l| l.iter().map(|l| l.key.clone()).collect::<Vec<_>>()));
    let az_names = Memo::new(move |_| ctl.ui.azs.with(|a| a.iter().map(|a| a.name.clone()).collect::<Vec<_>>()));

    // One tab stop for the whole map: keep exactly one item at tabindex 0.
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    Effect::new(move |_| {
        scene.track();
        request_animation_frame(move || ensure_tab_stop(svg_ref));
    });
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let Ok(Some(item)) = target.closest(".nav") else { return };
        let key = ev.key();
        if key == "Enter" || key == " " {
            ev.prevent_default();
            ev.stop_propagation();
            select_item(ctl, &item);
            return;
        }
        let step: i32 = match key.as_str() {
            "ArrowRight" | "ArrowDown" => 1,
            "ArrowLeft" | "ArrowUp" => -1,
            "Home" => i32::MIN,
            "End" => i32::MAX,
            _ => return,
        };
        ev.prevent_default();
        ev.stop_propagation();
        let Some(svg) = svg_ref.get_untracked() else { return };
        let Ok(list) = svg.query_selector_all(".nav") else { return };
        let items: Vec<web_sys::Element> = (0..list.length())
            .filter_map(|i| list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()))
            .collect();
        if items.is_empty() {
            return;
        }
        let cur = items.iter().position(|e| *e == item).unwrap_or(0) as i64;
        let last = items.len() as i64 - 1;
        let next = match step {
            i32::MIN => 0,
            i32::MAX => last,
            s => (cur + i64::from(s)).clamp(0, last),
        } as usize;
        for e in &items {
            let _ = e.set_attribute("tabindex", "-1");
        }
        let _ = items[next].set_attribute("tabindex", "0");
        if let Some(h) = items[next].dyn_ref::<web_sys::SvgElement>() {
            let _ = h.focus();
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        if let Ok(Some(item)) = target.closest(".nav") {
            select_item(ctl, &item);
        }
    };

    view! {
        <div class="map-wrap" node_ref=wrap>
            <svg class="map" node_ref=svg_ref role="group" aria-label=move || t_string!(i18n, map.label)
                style:width=px_css(px, 0) style:height=px_css(px, 1)
                viewBox=move || scene.with(|s| format!("0 0 {:.0} {:.0}", s.w, s.h))
                preserveAspectRatio="xMidYMid meet" on:keydown=on_key on:click=on_click
                data-stacked=move || scene.with(|s| s.stacked.to_string())>
                <defs>
                    {(0..PALETTE).map(|i| view! {
                        <pattern id=format!("hatch-{i}") class=format!("rev-{i}") width="10" height="10" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                            <rect width="10" height="10" class="hatch-bg"/>
                            <rect width="4" height="10" class="hatch-stripe"/>
                        </pattern>
                    }).collect_view()}
                    <pattern id="hatch-n" width="10" height="10" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="10" height="10" class="hatch-bg"/>
                        <rect width="4" height="10" class="hatch-stripe neutral"/>
                    </pattern>
                </defs>
                <text class="region-title" x=MARGIN y=MARGIN + 24.0>
                    {move || {
                        let t = t_string!(i18n, app.region_cluster, region = ctl.ui.region.get(), cluster = ctl.ui.cluster_name.get());
                        scene.with(|s| fit(&t, 22.0, s.w - 2.0 * MARGIN))
                    }}
                </text>
                <AlbNode scene=scene/>
                <For each=move || az_names.get() key=|n| n.clone() let:name>
                    <AzNode name=name scene=scene/>
                </For>
                <g class="tlines" aria-hidden="true">
                    <path class="bus" d=move || scene.with(|s| {
                        let Some(a) = s.alb else { return String::new() };
                        let lanes: Vec<f64> = lines.with(|l| l.iter().filter_map(|l| {
                            l.d.split_whitespace().nth(4).and_then(|x| x.parse::<f64>().ok())
                        }).collect());
                        let trunk = a.x + a.w / 2.0;
                        let lo = lanes.iter().copied().fold(trunk, f64::min);
                        let hi = lanes.iter().copied().fold(trunk, f64::max);
                        format!("M {trunk:.1} {:.1} V {:.1} M {lo:.1} {:.1} H {hi:.1}", a.bottom(), s.bus_y, s.bus_y)
                    })/>
                    <For each=move || line_keys.get() key=|k| k.clone() let:k>
                        <TargetLine key=k lines=lines/>
                    </For>
                </g>
                <g class="legend" role="list" aria-label=move || t_string!(i18n, map.legend)>
                    {move || {
                        let at = scene.with(|s| s.legend.clone());
                        legend.get().into_iter().zip(at).map(|((item, _), (x, y))| legend_item(item, x, y)).collect_view()
                    }}
                </g>
            </svg>
        </div>
    }
}

fn legend_item(item: LegendItem, x: f64, y: f64) -> impl IntoView {
    let (shape, label, mark) = match &item {
        LegendItem::Revision(name, rev) => {
            (Some(format!("chip-shape rev-{} st-running", rev_class(*rev))), name.clone(), None)
        }
        LegendItem::State(s) => (Some(format!("chip-shape neutral {}", state_class(*s))), s.as_str().to_string(), None),
        LegendItem::Health(h, label) => (None, label.clone(), Some(*h)),
    };
    let hatch = matches!(item, LegendItem::State(TaskStatus::Stopping)).then_some("fill:url(#hatch-n)");
    let text_x = if mark.is_some() { x + 28.0 } else { x + 44.0 };
    view! {
        <g role="listitem" class="legend-item">
            {shape.map(|c| view! { <rect class=c x=x y=y + 6.0 width="34" height="22" rx="5" style=hatch.unwrap_or_default()/> })}
            {mark.map(|h| health_mark(h, x + 11.0, y + 17.0))}
            <text x=text_x y=y + 23.0>{label}</text>
        </g>
    }
}

/// Target health as a mark: a check (healthy), a cross (unhealthy), an arrow out (draining), a
/// dashed ring (initial). Shapes, not colour alone.
fn health_mark(h: TargetHealthState, cx: f64, cy: f64) -> impl IntoView {
    let path = match h {
        TargetHealthState::Healthy => format!("M {} {} l 3.5 4 l 7 -8", cx - 5.5, cy),
        TargetHealthState::Unhealthy => {
            format!("M {} {} l 9 9 M {} {} l -9 9", cx - 4.5, cy - 4.5, cx + 4.5, cy - 4.5)
        }
        TargetHealthState::Draining => format!("M {cx} {} v 9 M {} {} l 4 4 l 4 -4", cy - 5.5, cx - 4.0, cy),
        TargetHealthState::Initial | TargetHealthState::Unused => String::new(),
    };
    view! {
        <g class=format!("hmark h-{}", h.as_str()) aria-hidden="true">
            <circle cx=cx cy=cy r="9.5"/>
            <path d=path/>
        </g>
    }
}

/// Open the clicked or activated map item in the details drawer.
fn select_item(ctl: PlaybackCtl, item: &web_sys::Element) {
    if let Some(k) = item.get_attribute("data-task-key") {
        ctl.selected.set(Some(Selection::Task(k)));
    } else if let Some(k) = item.get_attribute("data-open-instance") {
        ctl.selected.set(Some(Selection::Instance(k)));
    }
}

fn ensure_tab_stop(svg: NodeRef<leptos::svg::Svg>) {
    let Some(Some(svg)) = svg.try_get_untracked() else { return };
    if let Ok(Some(_)) = svg.query_selector(".nav[tabindex='0']") {
        return;
    }
    if let Ok(Some(first)) = svg.query_selector(".nav") {
        let _ = first.set_attribute("tabindex", "0");
    }
}

/// One line of the load balancer box about a blue/green, linear or canary deployment: a listener
/// rule with its live weights, or the lifecycle stage with the time left in the current wait.
#[derive(Clone, Debug, PartialEq)]
struct TrafficRow {
    key: String,
    /// Visible text; the accessible name starts with it.
    text: String,
    label: String,
    /// Right-aligned (the bake timer), part of the accessible name too.
    right: String,
    class: &'static str,
}

/// "90" or "12.5": percents as the engine computed them, without a trailing ".0".
fn pct_text(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p:.1}")
    }
}

/// m:ss of simulated time.
fn clock(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The rows `Simulation::traffic_view` gives, in words of the current language.
fn traffic_rows(ctl: PlaybackCtl, i18n: leptos_i18n::I18nContext<Locale>) -> Vec<TrafficRow> {
    ctl.ui.traffic.with(|views| {
        let mut out = Vec::new();
        for v in views {
            let (text, label) = match v.stage {
                Some(stage) => (
                    t_string!(i18n, traffic.stage, strategy = v.strategy, stage = stage).to_string(),
                    t_string!(
                        i18n,
                        traffic.stage_label,
                        service = &v.service_name,
                        strategy = v.strategy,
                        stage = stage
                    )
                    .to_string(),
                ),
                None => (
                    t_string!(i18n, traffic.idle, strategy = v.strategy).to_string(),
                    t_string!(i18n, traffic.idle_label, service = &v.service_name, strategy = v.strategy).to_string(),
                ),
            };
            let right = v
                .wait_seconds_left
                .map(|s| t_string!(i18n, traffic.wait_left, time = clock(s)).to_string())
                .unwrap_or_default();
            let label = if right.is_empty() { label } else { format!("{label}, {right}") };
            out.push(TrafficRow {
                key: format!("{}|stage", v.service_name),
                text,
                label,
                right,
                class: "tg-row stage",
            });
            // The deployment's lifecycle hooks as steps that pass or fail (`Simulation::hook_view`).
            for (k, h) in v.hooks.iter().enumerate() {
                let text =
                    t_string!(i18n, traffic.hook, name = &h.hook_name, stage = h.lifecycle_stage, status = h.status)
                        .to_string();
                let label = t_string!(
                    i18n,
                    traffic.hook_label,
                    text = &text,
                    arn = &h.hook_target_arn,
                    service = &v.service_name,
                    count = h.invocations
                )
                .to_string();
                out.push(TrafficRow {
                    key: format!("{}|hook|{k}", v.service_name),
                    text,
                    label,
                    right: String::new(),
                    class: match h.outcome() {
                        HookOutcome::Failed => "tg-row hook failed",
                        HookOutcome::Succeeded => "tg-row hook succeeded",
                        HookOutcome::InProgress => "tg-row hook",
                    },
                });
            }
            for r in &v.rules {
                let role = match r.role {
                    "test" => t_string!(i18n, traffic.test).to_string(),
                    _ => t_string!(i18n, traffic.production).to_string(),
                };
                let split = r
                    .target_groups
                    .iter()
                    .map(|(name, _, pct, colour)| {
                        let who = match *colour {
                            "blue" => t_string!(i18n, traffic.blue).to_string(),
                            "green" => t_string!(i18n, traffic.green).to_string(),
                            _ => name.clone(),
                        };
                        t_string!(i18n, traffic.share, who = who, pct = pct_text(*pct)).to_string()
                    })
                    .collect::<Vec<_>>()
                    .join(" · ");
                let detail = r
                    .target_groups
                    .iter()
                    .map(|(name, w, _, _)| t_string!(i18n, traffic.weight, name = name, weight = *w).to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                let text = t_string!(i18n, traffic.rule, role = role, split = split).to_string();
                let label =
                    t_string!(i18n, traffic.rule_label, text = &text, rule = &r.rule, detail = detail).to_string();
                out.push(TrafficRow {
                    key: format!("{}|{}|{}", v.service_name, r.role, r.rule),
                    text,
                    label,
                    right: String::new(),
                    class: "tg-row rule",
                });
            }
        }
        out
    })
}

/// How many rows the load balancer box needs: target groups, and per blue/green service its
/// stage row, lifecycle hook steps and listener rules.
pub fn alb_rows(ctl: PlaybackCtl) -> usize {
    ctl.ui.target_groups.with(|g| g.len())
        + ctl.ui.traffic.with(|v| v.iter().map(|v| 1 + v.hooks.len() + v.rules.len()).sum::<usize>())
}

#[component]
fn AlbNode(scene: Memo<Scene>) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    let alb = Memo::new(move |_| scene.with(|s| s.alb));
    let colours = Memo::new(move |_| {
        ctl.ui.traffic.with(|v| {
            v.iter()
                .flat_map(|v| v.rules.iter().flat_map(|r| r.target_groups.iter()))
                .filter(|t| !t.3.is_empty())
                .map(|t| (t.0.clone(), t.3))
                .collect::<std::collections::BTreeMap<String, &'static str>>()
        })
    });
    let rows = Memo::new(move |_| {
        let colours = colours.get();
        ctl.ui.target_groups.with(|g| {
            g.iter()
                .map(|g| {
                    let healthy = g.targets.iter().filter(|t| t.state == TargetHealthState::Healthy).count();
                    let mut text = format!("{}:{} → {}", g.protocol, g.port, g.name);
                    match colours.get(&g.name).copied() {
                        Some("blue") => text = format!("{text} · {}", t_string!(i18n, traffic.blue)),
                        Some("green") => text = format!("{text} · {}", t_string!(i18n, traffic.green)),
                        _ => {}
                    }
                    (g.name.clone(), text, healthy, g.targets.len())
                })
                .collect::<Vec<_>>()
        })
    });
    let traffic = Memo::new(move |_| traffic_rows(ctl, i18n));
    move || {
        alb.get().map(|a| {
            view! {
                <g class="alb-node" role="group" aria-label=move || t_string!(i18n, alb.name)>
                    <rect x=a.x y=a.y width=a.w height=a.h rx="10"/>
                    <text class="alb-title" x=a.x + 16.0 y=a.y + 28.0>{move || fit(t_string!(i18n, alb.name), 20.0, a.w - 32.0)}</text>
                    {move || rows.get().into_iter().enumerate().map(|(i, (name, text, healthy, total))| {
                        let y = a.y + map_layout::ALB_HEAD + 20.0 + i as f64 * map_layout::ALB_ROW;
                        let count = format!("{healthy}/{total}");
                        let cw = text_w(&count, 17.0) + 30.0;
                        view! {
                            <g data-tg=name>
                                <text class="tg-row" x=a.x + 16.0 y=y>{fit(&text, 17.0, a.w - 48.0 - cw)}</text>
                                {health_mark(TargetHealthState::Healthy, a.right() - cw - 4.0, y - 6.0)}
                                <text class="tg-row" x=a.right() - 14.0 y=y text-anchor="end">{count}</text>
                            </g>
                        }
                    }).collect_view()}
                    {move || {
                        let first = rows.with(|r| r.len());
                        traffic.get().into_iter().enumerate().map(|(i, r)| {
                            let y = a.y + map_layout::ALB_HEAD + 20.0 + (first + i) as f64 * map_layout::ALB_ROW;
                            let rw = if r.right.is_empty() { 0.0 } else { text_w(&r.right, 17.0) + 20.0 };
                            view! {
                                <g role="img" aria-label=r.label.clone() data-traffic=r.key.clone()>
                                    <text class=r.class x=a.x + 16.0 y=y aria-hidden="true">{fit(&r.text, 17.0, a.w - 32.0 - rw)}</text>
                                    {(!r.right.is_empty()).then(|| view! {
                                        <text class="tg-row timer" x=a.right() - 14.0 y=y text-anchor="end" aria-hidden="true">{r.right.clone()}</text>
                                    })}
                                </g>
                            }
                        }).collect_view()
                    }}
                </g>
            }
        })
    }
}

#[component]
fn AzNode(name: String, scene: Memo<Scene>) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    let key = name.clone();
    let az = Memo::new(move |_| ctl.ui.azs.with(|v| v.iter().find(|a| a.name == key).cloned().unwrap_or_default()));
    let key = name.clone();
    let rect =
        Memo::new(move |_| scene.with(|s| s.azs.iter().find(|(n, _)| *n == key).map(|x| x.1).unwrap_or_default()));
    let key = name.clone();
    let fargate_rect = Memo::new(move |_| scene.with(|s| s.fargate.get(&key).copied()));
    let instances = Memo::new(move |_| az.with(|a| a.instances.clone()));
    let fargate = Memo::new(move |_| az.with(|a| a.fargate_tasks.clone()));
    let fargate_shown = ghosted(fargate);
    let n = name.clone();
    let label = move || t_string!(i18n, az.label, name = n.clone());
    let n = name.clone();
    let instances_label = move || t_string!(i18n, az.instances, name = n.clone());
    let n = name.clone();
    let fargate_label = move || t_string!(i18n, az.fargate_tasks, name = n.clone());
    let fargate_label2 = fargate_label.clone();
    let inner_w = move || rect.with(|r| r.w - 3.0 * map_layout::AZ_PAD);
    let text_x = move || rect.with(|r| r.x + 2.0 * map_layout::AZ_PAD);
    let nm = name.clone();
    view! {
        <g class="az" class:failed=move || !az.with(|a| a.available) role="region" aria-label=label data-az=name.clone()>
            <rect class="az-box" x=move || rect.with(|r| r.x) y=move || rect.with(|r| r.y)
                width=move || rect.with(|r| r.w) height=move || rect.with(|r| r.h) rx="12"/>
            <text class="az-name" x=text_x y=move || rect.with(|r| r.y + 30.0)>{move || fit(&nm, 22.0, inner_w())}</text>
            <text class="subnet" x=text_x y=move || rect.with(|r| r.y + 54.0)>
                {move || {
                    let t = if az.with(|a| a.available) {
                        az.with(|a| format!("{} · {}", a.subnet_cidr, a.subnet_id))
                    } else {
                        t_string!(i18n, az.unavailable).to_string()
                    };
                    fit(&t, 17.0, inner_w())
                }}
            </text>
            <g role="list" aria-label=instances_label>
                <For each=move || instances.get() key=|k| k.clone() let:key>
                    <InstanceNode key=key scene=scene/>
                </For>
            </g>
            {move || fargate_rect.get().map(|r| {
                let fl = fargate_label.clone();
                view! {
                    <g class="fargate" aria-hidden="true">
                        <rect class="fargate-box" x=r.x - 6.0 y=r.y - 4.0 width=r.w + 12.0 height=r.h + 4.0 rx="8"/>
                        <text class="fargate-title" x=r.x y=r.y + 22.0>{move || fit(&fl(), 17.0, r.w)}</text>
                    </g>
                }
            })}
            <g class="fargate-tasks" role="group" aria-label=fargate_label2>
                <For each=move || fargate_shown.0.get() key=|k| k.clone() let:key>
                    <TaskNode key=key.clone() origin=Signal::derive(|| (0.0, 0.0)) scene=scene leaving=fargate_shown.1/>
                </For>
            </g>
        </g>
    }
}

/// A keyed list that keeps removed keys for a moment (marked leaving), so they can fade out.
fn ghosted(src: Memo<Vec<String>>) -> (RwSignal<Vec<String>>, RwSignal<HashSet<String>>) {
    let shown = RwSignal::new(src.get_untracked());
    let leaving = RwSignal::new(HashSet::<String>::new());
    Effect::new(move |_| {
        let now = src.get();
        let live: HashSet<&String> = now.iter().collect();
        let old = shown.get_untracked();
        let gone: Vec<String> = old.iter().filter(|k| !live.contains(k)).cloned().collect();
        let mut merged = now.clone();
        for k in &gone {
            merged.push(k.clone());
        }
        leaving.update(|l| {
            l.retain(|k| !live.contains(k));
            l.extend(gone.iter().cloned());
        });
        if merged != old {
            shown.set(merged);
        }
        if !gone.is_empty() && reduced_motion() {
            let live = src.get_untracked();
            shown.update(|v| v.retain(|k| live.contains(k)));
            leaving.update(|l| l.retain(|k| !gone.contains(k)));
        } else if !gone.is_empty() {
            set_timeout(
                move || {
                    // The list may be gone by now (another lesson opened): then there is nothing to do.
                    let Some(live) = src.try_get_untracked() else { return };
                    shown.try_update(|v| v.retain(|k| live.contains(k) || !gone.contains(k)));
                    leaving.try_update(|l| l.retain(|k| !gone.contains(k)));
                },
                std::time::Duration::from_millis(1200),
            );
        }
    });
    (shown, leaving)
}

/// Whether the reader asked for reduced motion (then removed tasks leave at once).
fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}

fn pct(u: u32, t: u32) -> f64 {
    if t == 0 {
        0.0
    } else {
        (f64::from(u) / f64::from(t)).clamp(0.0, 1.0)
    }
}

#[component]
fn InstanceNode(key: String, scene: Memo<Scene>) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    let Some(sig) = ctl.ui.instance(&key) else { return ().into_any() };
    let inst: RwSignal<_> = sig.into();
    let k = key.clone();
    let rect = Memo::new(move |_| scene.with(|s| s.instances.get(&k).copied().unwrap_or_default()));
    let origin = Signal::derive(move || rect.with(|r| (r.x, r.y)));
    let tasks = Memo::new(move |_| inst.with(|i| i.tasks.clone()));
    let shown = ghosted(tasks);
    let label = move || {
        inst.with(|i| {
            t_string!(i18n, instance.label, id = &i.id, itype = &i.instance_type, status = aws_name(&i.status))
        })
    };
    let id = key.clone();
    let selected = move || ctl.selected.with(|s| matches!(s, Some(Selection::Instance(x)) if *x == id));
    let w = map_layout::INST_W;
    // The button's name starts with what it shows: the type and the id.
    let shown_id = move |i: &crate::view_model::InstanceVm| {
        let room = w - 36.0 - 1.1 * text_w(&fit(&i.instance_type, 20.0, 130.0), 20.0);
        if i.status == InstanceStatus::Active {
            fit(&i.id, 17.0, room)
        } else {
            fit(&aws_name(&i.status), 17.0, room)
        }
    };
    let button_label = move || {
        inst.with(|i| {
            format!(
                "{} {} · {}",
                fit(&i.instance_type, 20.0, 130.0),
                shown_id(i),
                t_string!(i18n, instance.details, id = &i.id)
            )
        })
    };
    let bar_x = 92.0;
    let bar_w = w - bar_x - 112.0;
    let bar = move |y: f64, label: Signal<String>, used: fn(&crate::view_model::InstanceVm) -> (u32, u32)| {
        let frac = move || {
            inst.with(|i| {
                let (u, t) = used(i);
                pct(u, t)
            })
        };
        view! {
            <text class="meter-label" x="12" y=y + 12.0>{move || fit(&label.get(), 17.0, bar_x - 16.0)}</text>
            <rect class="bar" x=bar_x y=y width=bar_w height="14" rx="3"/>
            <rect class="fill" x=bar_x y=y height="14" rx="3" style:width=move || format!("{:.1}px", frac() * bar_w)/>
            <text class="meter-value" x=w - 12.0 y=y + 12.0 text-anchor="end">{move || inst.with(|i| {
                let (u, t) = used(i);
                format!("{u}/{t}")
            })}</text>
        }
    };
    let cpu_label = Signal::derive(move || t_string!(i18n, instance.cpu).to_string());
    let mem_label = Signal::derive(move || t_string!(i18n, instance.memory).to_string());
    view! {
        <g class="instance" class:draining=move || inst.with(|i| i.status == InstanceStatus::Draining) class:selected=selected
            role="listitem" aria-label=label data-instance-id=key.clone()
            style:transform=move || rect.with(|r| format!("translate({:.1}px,{:.1}px)", r.x, r.y))>
            <rect class="inst-box" width=w style:height=move || rect.with(|r| format!("{:.1}px", r.h)) rx="8"/>
            // Named by its <title> (what it shows, then what it does): axe's label/content rule
            // compares only aria-label, and the title doubles as the hover tooltip.
            <g class="nav inst-btn" role="button" tabindex="-1" data-open-instance=key.clone()>
                <title>{button_label}</title>
                <rect class="hit" x="4" y="4" width=w - 8.0 height="32" rx="5"/>
                <text class="itype" x="12" y="28">{move || inst.with(|i| fit(&i.instance_type, 20.0, 130.0))}</text>
                <text class="iid" x=move || inst.with(|i| 24.0 + 1.1 * text_w(&fit(&i.instance_type, 20.0, 130.0), 20.0)) y="28">
                    {move || inst.with(|i| format!(" {}", shown_id(i)))}
                </text>
            </g>
            {bar(40.0, cpu_label, |i| (i.cpu_used, i.cpu_total))}
            {bar(62.0, mem_label, |i| (i.mem_used, i.mem_total))}
            <For each=move || shown.0.get() key=|k| k.clone() let:key>
                <TaskNode key=key.clone() origin=origin scene=scene leaving=shown.1/>
            </For>
        </g>
    }
    .into_any()
}

#[component]
fn TaskNode(
    key: String,
    origin: Signal<(f64, f64)>,
    scene: Memo<Scene>,
    leaving: RwSignal<HashSet<String>>,
) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    let Some(sig) = ctl.ui.task(&key) else { return ().into_any() };
    let task: RwSignal<_> = sig.into();
    let k = key.clone();
    let last = StoredValue::new(None::<(Slot, (f64, f64))>);
    let place = Memo::new(move |_| {
        scene.with(|s| {
            if let Some(p) = s.slots.get(&k) {
                last.set_value(Some((*p, spawn_point(s, p))));
            }
        });
        last.get_value()
    });
    let arrived = RwSignal::new(false);
    request_animation_frame(move || {
        request_animation_frame(move || {
            arrived.try_set(true);
        })
    });
    let k = key.clone();
    let is_leaving = Memo::new(move |_| leaving.with(|l| l.contains(&k)));
    let transform = move || {
        let (ox, oy) = origin.get();
        match place.get() {
            Some((p, spawn)) => {
                let (x, y) = if arrived.get() { (p.x, p.y) } else { spawn };
                format!("translate({:.1}px,{:.1}px)", x - ox, y - oy)
            }
            None => "translate(0px,0px)".to_string(),
        }
    };
    let class = move || {
        let kind = if is_leaving.get() { "ghost" } else { "task nav" };
        task.with(|t| {
            format!(
                "{kind} rev-{} {} status-{}",
                rev_class(t.colour),
                state_class(t.status),
                t.status.as_str().to_ascii_lowercase()
            )
        })
    };
    let label = move || {
        let locale = i18n.get_locale();
        task.with(|t| match t.health {
            Some(h) => td_string!(
                locale,
                task.chip_label_target,
                revision = fit(&t.family_revision, 20.0, CHIP_W - 42.0),
                place = fit(&t.where_, 17.0, CHIP_W - 16.0),
                id = &t.short_id,
                status = t.status.as_str(),
                health = target_state_name(locale, h)
            ),
            None => td_string!(
                locale,
                task.chip_label,
                revision = fit(&t.family_revision, 20.0, CHIP_W - 42.0),
                place = fit(&t.where_, 17.0, CHIP_W - 16.0),
                id = &t.short_id,
                status = t.status.as_str()
            ),
        })
    };
    let k = key.clone();
    let selected = move || ctl.selected.with(|s| matches!(s, Some(Selection::Task(x)) if *x == k));
    let fill = move || {
        task.with(|t| {
            if state_class(t.status) == "st-stopping" {
                format!("url(#hatch-{})", rev_class(t.colour))
            } else {
                String::new()
            }
        })
    };
    view! {
        <g class="task-pos" class:leaving=move || is_leaving.get() style:transform=transform>
            <g class=class class:selected=selected role=move || (!is_leaving.get()).then_some("button") tabindex="-1"
                aria-hidden=move || is_leaving.get().then_some("true")
                data-status=move || (!is_leaving.get()).then(|| task.with(|t| t.status.as_str()))
                data-revision=move || (!is_leaving.get()).then(|| task.with(|t| t.revision))
                data-health=move || task.with(|t| t.health.map_or("none", TargetHealthState::as_str))
                data-task-key=move || (!is_leaving.get()).then(|| key.clone())>
                <title>{label}</title>
                <rect class="chip-shape" width=CHIP_W height=CHIP_H rx="8" style:fill=fill/>
                <text class="chip-rev" x="10" y="25">{move || task.with(|t| fit(&t.family_revision, 20.0, CHIP_W - 42.0))}</text>
                <text class="chip-where" x="10" y="49">{move || task.with(|t| format!(" {}", fit(&t.where_, 17.0, CHIP_W - 16.0)))}</text>
                {move || task.with(|t| t.health).map(|h| {
                    // An unused target is drawn like an initial one.
                    let h = if h == TargetHealthState::Unused { TargetHealthState::Initial } else { h };
                    health_mark(h, CHIP_W - 17.0, 17.0)
                })}
            </g>
        </g>
    }
    .into_any()
}

#[component]
fn TargetLine(key: String, lines: Memo<Vec<Line>>) -> impl IntoView {
    let i18n = use_i18n();
    // One element per target for its whole life: its path moves (CSS `d` transition) with its task.
    let line = Memo::new(move |_| lines.with(|l| l.iter().find(|l| l.key == key).cloned()));
    let get = move |f: fn(&Line) -> String| move || line.with(|l| l.as_ref().map(f).unwrap_or_default());
    let title = move || {
        line.with(|l| l.as_ref().map(|l| format!("{} {}", l.label, target_state_name(i18n.get_locale(), l.state))))
    };
    let flow = move || line.with(|l| l.as_ref().and_then(|l| l.flow_s));
    view! {
        <g class=get(|l| format!("tline tl-{}", l.state.as_str())) data-target=get(|l| l.label.clone())>
            <title>{title}</title>
            <path class="base" style:d=get(|l| l.d.clone())/>
            <path class="flow" class:still=move || flow().is_none() style:d=get(|l| l.d.clone())
                style:animation-duration=move || format!("{:.2}s", flow().unwrap_or(1.0))/>
        </g>
    }
}
