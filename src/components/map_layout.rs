//! The cluster map's geometry, computed from the view (AZs, their instances with task counts,
//! Fargate tasks, target groups), in the scene's own coordinate system: the SVG's `viewBox`
//! scales it to whatever screen shows it, so it fits by construction (RaftScope's approach).
//! Pure: no DOM, no signals; `choose` picks the arrangement (AZs side by side or stacked, and
//! how many instance columns per AZ) that draws the scene largest in the space it is given.

use std::collections::HashMap;

/// Task chip: width, height, gap between chips.
pub const CHIP_W: f64 = 150.0;
pub const CHIP_H: f64 = 58.0;
pub const CHIP_GAP: f64 = 10.0;
/// Instance box: inner padding and header height (type and id, CPU and memory bars).
pub const INST_PAD: f64 = 12.0;
pub const INST_HEAD: f64 = 86.0;
/// Two chip columns per instance.
pub const INST_W: f64 = 2.0 * CHIP_W + CHIP_GAP + 2.0 * INST_PAD;
/// AZ column: inner padding (the left part is the lane target lines run down) and header.
pub const AZ_PAD: f64 = 14.0;
pub const AZ_HEAD: f64 = 68.0;
/// Space between AZs, instances, and around the region.
pub const GAP: f64 = 18.0;
pub const MARGIN: f64 = 14.0;
/// Region title row, the load balancer box, the bus under it.
pub const TITLE_H: f64 = 40.0;
pub const ALB_W: f64 = 520.0;
pub const ALB_HEAD: f64 = 40.0;
pub const ALB_ROW: f64 = 28.0;
/// Fargate area heading inside an AZ.
pub const FARGATE_HEAD: f64 = 34.0;
/// Legend row height (items wrap to more rows on a narrow scene, or stand in a column).
pub const LEGEND_ROW: f64 = 40.0;

#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
}

/// What the layout needs to know about one AZ.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct AzIn {
    pub name: String,
    /// (instance key, its task keys in order).
    pub instances: Vec<(String, Vec<String>)>,
    pub fargate: Vec<String>,
}

/// Where a task chip is, and the lane its target line uses to reach it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slot {
    /// Top-left corner of the chip.
    pub x: f64,
    pub y: f64,
    /// The AZ's lane (x) and the horizontal gap (y) above the box the chip sits in: a target
    /// line runs down the lane, along the gap and drops onto the box's top edge at the chip.
    pub lane_x: f64,
    pub gap_y: f64,
    pub edge_y: f64,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Scene {
    pub w: f64,
    pub h: f64,
    pub stacked: bool,
    pub cols: usize,
    pub alb: Option<Rect>,
    pub bus_y: f64,
    pub azs: Vec<(String, Rect)>,
    /// Fargate area per AZ (name -> rect), only where the AZ has Fargate tasks.
    pub fargate: HashMap<String, Rect>,
    pub instances: HashMap<String, Rect>,
    pub slots: HashMap<String, Slot>,
    /// Top-left corner of each legend item: in rows under the AZs, or in a column beside them
    /// (whichever draws the scene larger).
    pub legend: Vec<(f64, f64)>,
    pub legend_right: bool,
}

fn chip_rows(n: usize, per_row: usize) -> usize {
    n.div_ceil(per_row.max(1)).max(1)
}

/// Height of an instance box holding `n` tasks (two per row, at least one row of empty slots).
pub fn instance_height(n: usize) -> f64 {
    INST_HEAD + chip_rows(n, 2) as f64 * (CHIP_H + CHIP_GAP) - CHIP_GAP + INST_PAD
}

/// Lay the scene out: AZs side by side (or stacked), `cols` instance columns per AZ, the load
/// balancer (with `tg_rows` listener rows) above a bus, the legend items (their widths) in rows
/// below or in a column at the right.
pub fn layout(azs: &[AzIn], tg_rows: usize, stacked: bool, cols: usize, legend: &[f64], legend_right: bool) -> Scene {
    let cols = cols.max(1);
    let az_inner = cols as f64 * INST_W + (cols - 1) as f64 * GAP;
    let az_w = az_inner + 2.0 * AZ_PAD + AZ_PAD; // an extra pad on the left: the lane
    let n = azs.len().max(1);
    let azs_w = if stacked { az_w + 2.0 * MARGIN } else { n as f64 * az_w + (n - 1) as f64 * GAP + 2.0 * MARGIN };
    let legend_col = legend.iter().copied().fold(0.0, f64::max);
    let w = if legend_right { azs_w + legend_col } else { azs_w };
    let mut scene = Scene { w, stacked, cols, legend_right, ..Scene::default() };
    let mut y = MARGIN + TITLE_H;
    if tg_rows > 0 {
        let h = ALB_HEAD + tg_rows as f64 * ALB_ROW + 10.0;
        let aw = ALB_W.min(azs_w - 2.0 * MARGIN);
        scene.alb = Some(Rect { x: (azs_w - aw) / 2.0, y, w: aw, h });
        y += h + 24.0;
        scene.bus_y = y;
        y += 24.0;
    } else {
        scene.bus_y = y;
    }
    let top = y;
    let mut bottom = top;
    for (i, az) in azs.iter().enumerate() {
        let x0 = if stacked { MARGIN } else { MARGIN + i as f64 * (az_w + GAP) };
        let y0 = if stacked { bottom + if i == 0 { 0.0 } else { GAP } } else { top };
        let lane_x = x0 + AZ_PAD * 0.75;
        let inner_x = x0 + 2.0 * AZ_PAD;
        let mut cy = y0 + AZ_HEAD;
        // Instances, in rows of `cols`.
        for row in az.instances.chunks(cols) {
            let row_h = row.iter().map(|(_, t)| instance_height(t.len())).fold(0.0, f64::max);
            let gap_y = cy - GAP / 2.0;
            for (c, (key, tasks)) in row.iter().enumerate() {
                let r =
                    Rect { x: inner_x + c as f64 * (INST_W + GAP), y: cy, w: INST_W, h: instance_height(tasks.len()) };
                for (k, t) in tasks.iter().enumerate() {
                    let (col, rr) = (k % 2, k / 2);
                    scene.slots.insert(
                        t.clone(),
                        Slot {
                            x: r.x + INST_PAD + col as f64 * (CHIP_W + CHIP_GAP),
                            y: r.y + INST_HEAD + rr as f64 * (CHIP_H + CHIP_GAP),
                            lane_x,
                            gap_y,
                            edge_y: r.y,
                        },
                    );
                }
                scene.instances.insert(key.clone(), r);
            }
            cy += row_h + GAP;
        }
        // Fargate tasks in the subnet, below the instances.
        if !az.fargate.is_empty() {
            let per_row = (((az_inner + CHIP_GAP) / (CHIP_W + CHIP_GAP)).floor() as usize).max(1);
            let rows = chip_rows(az.fargate.len(), per_row);
            let r = Rect {
                x: inner_x,
                y: cy,
                w: az_inner,
                h: FARGATE_HEAD + rows as f64 * (CHIP_H + CHIP_GAP) - CHIP_GAP + INST_PAD,
            };
            for (k, t) in az.fargate.iter().enumerate() {
                let (col, rr) = (k % per_row, k / per_row);
                let sy = r.y + FARGATE_HEAD + rr as f64 * (CHIP_H + CHIP_GAP);
                scene.slots.insert(
                    t.clone(),
                    Slot {
                        x: r.x + col as f64 * (CHIP_W + CHIP_GAP),
                        y: sy,
                        lane_x,
                        gap_y: sy - CHIP_GAP / 2.0,
                        edge_y: sy,
                    },
                );
            }
            cy += r.h + GAP;
            scene.fargate.insert(az.name.clone(), r);
        }
        let h = (cy - y0).max(AZ_HEAD + instance_height(0) + GAP);
        scene.azs.push((az.name.clone(), Rect { x: x0, y: y0, w: az_w, h }));
        bottom = bottom.max(y0 + h);
    }
    // Side by side, every AZ column is as tall as the tallest.
    if !stacked {
        for (_, r) in &mut scene.azs {
            r.h = bottom - r.y;
        }
    }
    if legend_right {
        let x = azs_w - MARGIN + GAP;
        let mut y = top;
        for _ in legend {
            scene.legend.push((x, y));
            y += LEGEND_ROW;
        }
        scene.h = bottom.max(y) + MARGIN;
    } else {
        let avail = w - 2.0 * MARGIN;
        let (mut x, mut y) = (0.0, bottom + 12.0);
        for iw in legend {
            if x > 0.0 && x + iw > avail {
                x = 0.0;
                y += LEGEND_ROW;
            }
            scene.legend.push((MARGIN + x, y));
            x += iw;
        }
        scene.h = y + LEGEND_ROW + MARGIN;
    }
    scene
}

/// The arrangement that draws the scene largest in a `px_w` x `px_h` box, and its scale
/// (pixels per scene unit). Ties go to AZs side by side and fewer columns.
pub fn choose(azs: &[AzIn], tg_rows: usize, legend: &[f64], px_w: f64, px_h: f64) -> (Scene, f64) {
    let mut best: Option<(Scene, f64)> = None;
    let max_inst = azs.iter().map(|a| a.instances.len()).max().unwrap_or(0).max(1);
    for legend_right in [false, true] {
        for stacked in [false, true] {
            if stacked && azs.len() < 2 {
                continue;
            }
            for cols in 1..=max_inst.min(4) {
                let s = layout(azs, tg_rows, stacked, cols, legend, legend_right);
                let scale = (px_w / s.w).min(px_h / s.h);
                if best.as_ref().is_none_or(|(_, b)| scale > b * 1.02) {
                    best = Some((s, scale));
                }
            }
        }
    }
    best.unwrap_or_else(|| {
        let s = layout(azs, tg_rows, false, 1, legend, false);
        let scale = (px_w / s.w).min(px_h / s.h);
        (s, scale)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn az(name: &str, inst: &[usize], fargate: usize) -> AzIn {
        AzIn {
            name: name.into(),
            instances: inst
                .iter()
                .enumerate()
                .map(|(i, n)| (format!("{name}-i{i}"), (0..*n).map(|k| format!("{name}-i{i}-t{k}")).collect()))
                .collect(),
            fargate: (0..fargate).map(|k| format!("{name}-f{k}")).collect(),
        }
    }

    fn overlaps(a: &Rect, b: &Rect) -> bool {
        a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
    }

    #[test]
    fn chips_sit_inside_their_instance_and_never_overlap() {
        let azs = vec![az("a", &[3, 1], 0), az("b", &[2, 5], 2), az("c", &[0], 3)];
        for stacked in [false, true] {
            for cols in 1..=3 {
                let s = layout(&azs, 1, stacked, cols, &[120.0; 9], false);
                let chips: Vec<Rect> =
                    s.slots.values().map(|p| Rect { x: p.x, y: p.y, w: CHIP_W, h: CHIP_H }).collect();
                for (i, a) in chips.iter().enumerate() {
                    for b in &chips[i + 1..] {
                        assert!(!overlaps(a, b), "chips overlap: {a:?} {b:?}");
                    }
                }
                for (key, r) in &s.instances {
                    for (t, p) in s.slots.iter().filter(|(t, _)| t.starts_with(&format!("{key}-"))) {
                        assert!(
                            p.x >= r.x && p.x + CHIP_W <= r.right() && p.y + CHIP_H <= r.bottom(),
                            "{t} outside {key}"
                        );
                    }
                }
                let inst: Vec<&Rect> = s.instances.values().collect();
                for (i, a) in inst.iter().enumerate() {
                    for b in &inst[i + 1..] {
                        assert!(!overlaps(a, b), "instances overlap");
                    }
                }
                for (_, r) in &s.azs {
                    assert!(r.right() <= s.w && r.bottom() <= s.legend[0].1, "AZ inside the scene, above the legend");
                }
            }
        }
    }

    #[test]
    fn a_phone_stacks_the_azs_and_a_projector_puts_them_side_by_side() {
        let azs = vec![az("a", &[2, 2], 0), az("b", &[2, 2], 0), az("c", &[1, 1], 0)];
        let (wide, _) = choose(&azs, 1, &[120.0; 9], 1280.0, 560.0);
        assert!(!wide.stacked);
        let (phone, _) = choose(&azs, 1, &[120.0; 9], 380.0, 640.0);
        assert!(phone.stacked);
    }
}
