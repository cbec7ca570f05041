//! The cluster picture at quota scale (thousands of instances and tasks, where one box per
//! instance and one chip per task can be neither read nor drawn at 60 frames per second): per
//! Availability Zone, per instance group (instance type and capacity provider), the number of
//! instances, a heat bar each for free CPU and free memory (instances per band of free share:
//! colour = how much is free, width = how many instances), the share free in words, and the
//! group's tasks by state (RUNNING, PENDING, STOPPING with the chip shapes of the detailed map
//! and their counts). The numbers come from the engine (`Simulation::cluster_aggregate`); this
//! file only lays them out. Colour never carries meaning alone: every bar has its percentage in
//! text and an accessible name with the counts; the legend names each colour's band.

use crate::components::cluster_map::{fit, measured_size, px_css, text_w, MapSize};
use crate::i18n::*;
use crate::view_model::Ui;
use ecs_sim::aggregate_view::{AzAggregateView, ClusterAggregateView, InstanceGroupView, TaskCounts, HEAT_BANDS};
use leptos::prelude::*;

const MARGIN: f64 = 14.0;
const GAP: f64 = 18.0;
const AZ_W: f64 = 340.0;
const PAD: f64 = 16.0;
/// Title and totals rows above the AZs.
const TOP: f64 = 84.0;
const AZ_HEAD: f64 = 72.0;
const BAR_H: f64 = 40.0;
/// A bar block: its label row, the bar, the space after it.
const BAR_BLOCK: f64 = 28.0 + BAR_H + 12.0;
/// One line of a group's tasks by state.
const TASK_ROW: f64 = 30.0;
/// Legend: two rows.
const LEGEND_H: f64 = 84.0;

/// The bands' labels, from least free to most free (`aggregate_view::band`).
pub const BAND_LABELS: [&str; HEAT_BANDS] = ["<20%", "20–40%", "40–60%", "60–80%", "≥80%"];

/// `n` with thousands grouped as the reader's language writes them (5,000; 5 000 in Russian).
pub fn grouped(n: u64, locale: Locale) -> String {
    let sep = if locale == Locale::ru { '\u{a0}' } else { ',' };
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

fn pct(f: f64) -> u32 {
    (f * 100.0).round().clamp(0.0, 100.0) as u32
}

fn has_subtitle(g: &InstanceGroupView) -> bool {
    g.capacity_provider.is_some() || g.draining > 0
}

fn group_h(g: &InstanceGroupView) -> f64 {
    40.0 + if has_subtitle(g) { 26.0 } else { 0.0 } + 2.0 * BAR_BLOCK + 3.0 * TASK_ROW + 8.0
}

fn az_h(az: &AzAggregateView) -> f64 {
    let groups: f64 = az.groups.iter().map(|g| group_h(g) + GAP / 2.0).sum();
    AZ_HEAD + groups + if az.fargate.total() > 0 { 36.0 } else { 0.0 } + PAD
}

/// Scene size with the AZs side by side or stacked.
pub fn scene_size(agg: &ClusterAggregateView, stacked: bool) -> (f64, f64) {
    let n = agg.azs.len().max(1) as f64;
    let tallest = agg.azs.iter().map(az_h).fold(AZ_HEAD + PAD, f64::max);
    if stacked {
        let sum: f64 = agg.azs.iter().map(az_h).sum::<f64>() + (n - 1.0) * GAP;
        (AZ_W + 2.0 * MARGIN, TOP + sum + LEGEND_H + MARGIN)
    } else {
        (n * AZ_W + (n - 1.0) * GAP + 2.0 * MARGIN, TOP + tallest + LEGEND_H + MARGIN)
    }
}

/// Side by side unless stacking draws the scene larger in `px_w` x `px_h`.
pub fn choose_stacked(agg: &ClusterAggregateView, px_w: f64, px_h: f64) -> bool {
    let scale = |(w, h): (f64, f64)| (px_w / w).min(px_h / h);
    agg.azs.len() > 1 && scale(scene_size(agg, true)) > 1.05 * scale(scene_size(agg, false))
}

/// What the picture's positions depend on: the AZs (name, whether available, whether Fargate
/// tasks run in their subnet) and per instance group whether it has a subtitle line. The picture's
/// elements are built again only when this, the stacking, the language or the title changes; every
/// count, share and bar updates in place, and only where its value changed.
#[derive(Clone, PartialEq)]
struct AzShape {
    name: String,
    available: bool,
    fargate: bool,
    subtitles: Vec<bool>,
}

fn shape_of(a: &ClusterAggregateView) -> Vec<AzShape> {
    a.azs
        .iter()
        .map(|z| AzShape {
            name: z.name.clone(),
            available: z.available,
            fargate: z.fargate.total() > 0,
            subtitles: z.groups.iter().map(has_subtitle).collect(),
        })
        .collect()
}

#[component]
pub fn ClusterHeat() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let i18n = use_i18n();
    let wrap = NodeRef::<leptos::html::Div>::new();
    let MapSize { size, px, measure } = measured_size(wrap);
    request_animation_frame(measure);
    // The layout changes only with the AZs' shape and the space, not with every count.
    let shape = Memo::new(move |_| ui.aggregate.with(|a| a.as_ref().map(shape_of)));
    let stacked = Memo::new(move |_| {
        shape.track();
        let (w, h) = size.get();
        ui.aggregate.with_untracked(|a| a.as_ref().is_some_and(|a| choose_stacked(a, w, h)))
    });
    let view_box = move || {
        let st = stacked.get();
        shape.track();
        ui.aggregate.with_untracked(|a| {
            let (w, h) = a.as_ref().map(|a| scene_size(a, st)).unwrap_or((1000.0, 560.0));
            format!("0 0 {w:.0} {h:.0}")
        })
    };
    // (instances, tasks) of the whole cluster.
    let totals = Memo::new(move |_| {
        ui.aggregate.with(|a| a.as_ref().map(|a| (a.instances(), a.tasks().total())).unwrap_or_default())
    });
    let label = move || {
        let locale = i18n.get_locale();
        let (instances, tasks) = totals.get();
        td_string!(
            locale,
            heat.label,
            instances = grouped(instances.into(), locale),
            tasks = grouped(tasks.into(), locale)
        )
        .to_string()
    };
    let body = move || {
        let locale = i18n.get_locale();
        let st = stacked.get();
        let region = ui.region.get();
        let cluster = ui.cluster_name.get();
        shape.track();
        ui.aggregate.with_untracked(|a| a.as_ref().map(|a| draw(ui, totals, a, st, locale, &region, &cluster)))
    };
    view! {
        <div class="map-wrap" node_ref=wrap>
            <svg class="map heat" role="group" aria-label=label viewBox=view_box preserveAspectRatio="xMidYMid meet"
                style:width=px_css(px, 0) style:height=px_css(px, 1)>
                {body}
            </svg>
        </div>
    }
}

/// The picture for the layout of `a`; its numbers follow `ui.aggregate` (see `AzShape`).
#[allow(clippy::too_many_arguments)]
fn draw(
    ui: Ui,
    totals: Memo<(u32, u32)>,
    a: &ClusterAggregateView,
    stacked: bool,
    locale: Locale,
    region: &str,
    cluster: &str,
) -> impl IntoView {
    let (w, h) = scene_size(a, stacked);
    let title = td_string!(locale, app.region_cluster, region = region, cluster = cluster).to_string();
    let totals = move || {
        let (instances, tasks) = totals.get();
        let text = td_string!(
            locale,
            heat.totals,
            instances = grouped(instances.into(), locale),
            tasks = grouped(tasks.into(), locale)
        )
        .to_string();
        fit(&text, 22.0, w - 2.0 * MARGIN)
    };
    let tallest = a.azs.iter().map(az_h).fold(AZ_HEAD + PAD, f64::max);
    let mut y = TOP;
    let azs = a
        .azs
        .iter()
        .enumerate()
        .map(|(i, az)| {
            let (x, top, height) = if stacked {
                let top = y;
                y += az_h(az) + GAP;
                (MARGIN, top, az_h(az))
            } else {
                (MARGIN + i as f64 * (AZ_W + GAP), TOP, tallest)
            };
            draw_az(ui, i, az, x, top, height, locale)
        })
        .collect_view();
    let legend_y = h - LEGEND_H - MARGIN + 12.0;
    view! {
        <text class="region-title" x=MARGIN y=MARGIN + 24.0>{fit(&title, 22.0, w - 2.0 * MARGIN)}</text>
        <text class="heat-totals" x=MARGIN y=MARGIN + 58.0>{totals}</text>
        {azs}
        {legend(locale, MARGIN, legend_y, w - 2.0 * MARGIN)}
    }
}

/// AZ `i` of the aggregate: `az` gives its layout, its counts follow `ui.aggregate`.
#[allow(clippy::too_many_arguments)]
fn draw_az(ui: Ui, i: usize, az: &AzAggregateView, x: f64, y: f64, h: f64, locale: Locale) -> impl IntoView {
    let inner = AZ_W - 2.0 * PAD;
    let label = td_string!(locale, az.label, name = &az.name).to_string();
    // (instances, tasks, Fargate tasks) of the AZ.
    let counts = Memo::new(move |_| {
        ui.aggregate.with(|a| {
            a.as_ref()
                .and_then(|a| a.azs.get(i))
                .map(|z| (z.instances(), z.tasks().total(), z.fargate.total()))
                .unwrap_or_default()
        })
    });
    let unavailable = (!az.available).then(|| td_string!(locale, az.unavailable).to_string());
    let totals = move || match &unavailable {
        Some(text) => fit(text, 15.0, inner),
        None => {
            let (instances, tasks, _) = counts.get();
            let text = td_string!(
                locale,
                heat.az_totals,
                instances = grouped(instances.into(), locale),
                tasks = grouped(tasks.into(), locale)
            )
            .to_string();
            fit(&text, 15.0, inner)
        }
    };
    let mut gy = y + AZ_HEAD;
    let groups = az
        .groups
        .iter()
        .enumerate()
        .map(|(j, g)| {
            let group = Memo::new(move |_| {
                ui.aggregate.with(|a| a.as_ref().and_then(|a| a.azs.get(i)?.groups.get(j).cloned()).unwrap_or_default())
            });
            let v = draw_group(group, has_subtitle(g), az.name.clone(), x + PAD, gy, inner, locale);
            gy += group_h(g) + GAP / 2.0;
            v
        })
        .collect_view();
    let fargate = (az.fargate.total() > 0).then(|| {
        let text = move || {
            let text = td_string!(locale, heat.fargate, count = grouped(counts.get().2.into(), locale)).to_string();
            fit(&text, 17.0, inner)
        };
        view! { <text class="heat-fargate" x=x + PAD y=gy + 24.0>{text}</text> }
    });
    view! {
        <g class="az" class:failed=!az.available role="region" aria-label=label data-az=az.name.clone()>
            <rect class="az-box" x=x y=y width=AZ_W height=h rx="12"/>
            <text class="az-name" x=x + PAD y=y + 30.0>{fit(&az.name, 22.0, inner)}</text>
            <text class="heat-az-totals" x=x + PAD y=y + 56.0>{totals}</text>
            {groups}
            {fargate}
        </g>
    }
}

/// One resource's numbers for its heat bar.
#[derive(Clone, PartialEq)]
struct BarValues {
    free: f64,
    used: u64,
    total: u64,
    bands: [u32; HEAT_BANDS],
}

#[allow(clippy::too_many_arguments)]
fn draw_group(
    g: Memo<InstanceGroupView>,
    subtitle: bool,
    az: String,
    x: f64,
    y: f64,
    w: f64,
    locale: Locale,
) -> impl IntoView {
    let n = move |v: u32| grouped(v.into(), locale);
    let label = move || {
        g.with(|g| {
            td_string!(
                locale,
                heat.group_label,
                itype = &g.instance_type,
                az = &az,
                count = n(g.instances),
                draining = n(g.draining)
            )
            .to_string()
        })
    };
    let title = move || g.with(|g| fit(&format!("{} × {}", g.instance_type, n(g.instances)), 24.0, w));
    let mut cy = y + 30.0;
    let subtitle = subtitle.then(|| {
        cy += 26.0;
        let text = move || {
            g.with(|g| {
                let mut sub = Vec::new();
                if let Some(cp) = &g.capacity_provider {
                    sub.push(td_string!(locale, heat.provider, name = cp).to_string());
                }
                if g.draining > 0 {
                    sub.push(td_string!(locale, heat.draining, count = n(g.draining)).to_string());
                }
                fit(&sub.join(" · "), 17.0, w)
            })
        };
        view! { <text class="heat-sub" x=x y=cy>{text}</text> }
    });
    let cpu_name = td_string!(locale, instance.cpu).to_string();
    let mem_name = td_string!(locale, instance.memory).to_string();
    let cpu = Memo::new(move |_| {
        g.with(|g| BarValues { free: g.cpu_free(), used: g.cpu_used, total: g.cpu_registered, bands: g.cpu_free_bands })
    });
    let mem = Memo::new(move |_| {
        g.with(|g| BarValues {
            free: g.memory_free(),
            used: g.memory_used,
            total: g.memory_registered,
            bands: g.memory_free_bands,
        })
    });
    let cpu = bar(cpu_name, cpu, x, cy + 12.0, w, locale);
    let mem = bar(mem_name, mem, x, cy + 12.0 + BAR_BLOCK, w, locale);
    let tasks_y = cy + 12.0 + 2.0 * BAR_BLOCK;
    let tasks = Memo::new(move |_| g.with(|g| g.tasks));
    let tasks_label = move || {
        let t = tasks.get();
        td_string!(locale, heat.tasks_label, running = n(t.running), starting = n(t.starting), stopping = n(t.stopping))
            .to_string()
    };
    view! {
        <g class="heat-group" role="group" aria-label=label>
            <text class="heat-title" x=x y=y + 28.0>{title}</text>
            {subtitle}
            {cpu}
            {mem}
            <g role="img" aria-label=tasks_label>{task_row(tasks, x, tasks_y, w, locale)}</g>
        </g>
    }
}

/// One resource's heat bar: "CPU ... 45% free" above, the instances per band below it.
fn bar(name: String, v: Memo<BarValues>, x: f64, y: f64, w: f64, locale: Locale) -> impl IntoView {
    let free_text = move || td_string!(locale, heat.free, pct = pct(v.with(|v| v.free))).to_string();
    let aria = {
        let name = name.clone();
        move || {
            v.with(|v| {
                let band_text = v
                    .bands
                    .iter()
                    .zip(BAND_LABELS)
                    .filter(|(c, _)| **c > 0)
                    .map(|(c, l)| format!("{l} {}", grouped((*c).into(), locale)))
                    .collect::<Vec<_>>()
                    .join(", ");
                td_string!(
                    locale,
                    heat.bar_label,
                    resource = &name,
                    free = &free_text(),
                    used = grouped(v.used, locale),
                    total = grouped(v.total, locale),
                    bands = band_text
                )
                .to_string()
            })
        }
    };
    let bands = Memo::new(move |_| v.with(|v| v.bands));
    // The segments are built again only when the instances per band change.
    let segs = move || {
        let bands = bands.get();
        let count: u32 = bands.iter().sum();
        let mut sx = x;
        bands
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(b, c)| {
                let sw = w * f64::from(*c) / f64::from(count.max(1));
                let text = grouped((*c).into(), locale);
                let show = sw >= text_w(&text, 20.0) + 10.0;
                let v = view! {
                    <rect class=format!("heat-seg heat-{b}") x=sx y=y + 28.0 width=sw height=BAR_H/>
                    {show.then(|| view! { <text class=format!("heat-count heat-ink-{b}") x=sx + sw / 2.0 y=y + 28.0 + 27.0 text-anchor="middle">{text}</text> })}
                };
                sx += sw;
                v
            })
            .collect_view()
    };
    view! {
        <g class="heat-bar" role="img" aria-label=aria>
            <text class="heat-label" x=x y=y + 20.0>{fit(&name, 20.0, w * 0.4)}</text>
            <text class="heat-free" x=x + w y=y + 20.0 text-anchor="end">{move || fit(&free_text(), 20.0, w * 0.58)}</text>
            <rect class="bar" x=x y=y + 28.0 width=w height=BAR_H rx="3"/>
            {segs}
        </g>
    }
}

/// Tasks by state, one line each: the detailed map's chip shape (solid RUNNING, dashed PENDING,
/// hatched STOPPING), the state's name, the count.
fn task_row(t: Memo<TaskCounts>, x: f64, y: f64, w: f64, locale: Locale) -> impl IntoView {
    type Count = fn(&TaskCounts) -> u32;
    let rows: [(&str, &str, Count); 3] = [
        ("RUNNING", "st-running", |t| t.running),
        ("PENDING", "st-starting", |t| t.starting),
        ("STOPPING", "st-stopping", |t| t.stopping),
    ];
    rows.into_iter()
        .enumerate()
        .map(|(i, (name, class, count))| {
            let ry = y + i as f64 * TASK_ROW;
            let hatch = (class == "st-stopping").then_some("fill:url(#heat-hatch)");
            let num = move || fit(&grouped(t.with(count).into(), locale), 20.0, w * 0.45);
            view! {
                <rect class=format!("chip-shape neutral {class}") x=x + 2.0 y=ry + 4.0 width="32" height="20" rx="5" style=hatch.unwrap_or_default()/>
                <text class="heat-state" x=x + 44.0 y=ry + 21.0>{fit(name, 18.0, w * 0.5)}</text>
                <text class="heat-num" x=x + w y=ry + 22.0 text-anchor="end">{num}</text>
            }
        })
        .collect_view()
}

fn legend(locale: Locale, x: f64, y: f64, w: f64) -> impl IntoView {
    let title = td_string!(locale, heat.legend_title).to_string();
    let tw = text_w(&title, 18.0) + 16.0;
    let item_w = ((w - tw) / HEAT_BANDS as f64).min(140.0);
    let items = BAND_LABELS
        .iter()
        .enumerate()
        .map(|(b, l)| {
            let ix = x + tw + b as f64 * item_w;
            view! {
                <g role="listitem">
                    <rect class=format!("heat-seg heat-{b}") x=ix y=y + 2.0 width="34" height="26" rx="3"/>
                    <text class="heat-legend" x=ix + 42.0 y=y + 22.0>{fit(l, 18.0, item_w - 46.0)}</text>
                </g>
            }
        })
        .collect_view();
    let width_note = td_string!(locale, heat.legend_width).to_string();
    view! {
        <defs>
            <pattern id="heat-hatch" width="10" height="10" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <rect width="10" height="10" class="hatch-bg"/>
                <rect width="4" height="10" class="hatch-stripe neutral"/>
            </pattern>
        </defs>
        <g class="legend" role="list" aria-label=td_string!(locale, heat.legend).to_string()>
            <g role="listitem"><text class="heat-legend" x=x y=y + 22.0>{fit(&title, 18.0, tw)}</text></g>
            {items}
            <g role="listitem"><text class="heat-legend heat-sub" x=x y=y + 56.0>{fit(&width_note, 18.0, w)}</text></g>
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(grouped(5000, Locale::en), "5,000");
        assert_eq!(grouped(999, Locale::en), "999");
        assert_eq!(grouped(1_234_567, Locale::en), "1,234,567");
        assert_eq!(grouped(5000, Locale::ru), "5\u{a0}000");
    }

    #[test]
    fn three_azs_stand_side_by_side_on_a_projector_and_stack_on_a_phone() {
        let group = InstanceGroupView { instance_type: "m5.xlarge".into(), instances: 1667, ..Default::default() };
        let az = |n: &str| AzAggregateView {
            name: n.into(),
            available: true,
            groups: vec![group.clone()],
            ..Default::default()
        };
        let a = ClusterAggregateView { azs: vec![az("a"), az("b"), az("c")] };
        assert!(!choose_stacked(&a, 1280.0, 560.0));
        assert!(choose_stacked(&a, 380.0, 700.0));
    }
}
