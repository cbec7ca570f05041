//! Placement for strategy lists led by binpack, or by one spread then binpack, found by walking
//! the instances in the order the strategies rank them instead of ranking every instance.
//!
//! "binpack: Place tasks based on the least available amount of CPU or memory. This minimizes the
//! number of instances in use." ... "if you binpack on memory, a task is placed on the instance
//! with the least amount of remaining memory but still enough to run the task" (PlacementStrategy,
//! API reference: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PlacementStrategy.html).
//! An instance with less than the task's need cannot run it (step 1 rejects it), so the walk starts
//! at the need in the ACTIVE instances ordered by remaining CPU or memory (src/index/free.rs) and
//! goes up; ties of the remaining amount come in registration order, the tie-break step 4 applies.
//! After spread(attribute:ecs.availability-zone) only the zones with the fewest tasks are walked,
//! each from its own ordered set.
//!
//! The choice is the one ranking every candidate makes (`Rank`, `place_stepwise`): the eligible
//! instance with the smallest (each strategy's key in order, registration index).

use super::{rank_keys, tasks_per_value, ClusterView, PlacementRequest, Rank, MAX_RANKS};
use crate::index::free::ZONE_ATTRIBUTE;
use crate::scenario::PlacementStrategy;

/// binpack's field: CPU (`cpu`) or memory (anything else, as step 3 reads it).
fn binpack_cpu(s: &PlacementStrategy) -> Option<bool> {
    (s.kind == "binpack").then(|| s.field.as_deref() == Some("cpu"))
}

/// The instance `[binpack(f), ...]` or `[spread(field), binpack(f), ...]` chooses (the strategies
/// after binpack spread or binpack, no random: they only break binpack's ties), the first
/// `eligible` one in rank order. None when the strategies have another shape or no instance is
/// eligible (the full pass then says which came closest).
pub(super) fn binpack_walk(
    view: &ClusterView,
    req: &PlacementRequest,
    need: (u32, u32),
    per_instance: &[u32],
    mut eligible: impl FnMut(usize) -> bool,
) -> Option<usize> {
    let ss = req.strategies;
    if ss.len() > MAX_RANKS || ss.iter().any(|s| s.kind == "random") {
        return None;
    }
    let (spread, cpu, rest) = match ss {
        [b, rest @ ..] if binpack_cpu(b).is_some() => (None, binpack_cpu(b)?, rest),
        [s, b, rest @ ..] if s.kind == "spread" && binpack_cpu(b).is_some() => {
            (Some(s.field.as_deref().unwrap_or("instanceId")), binpack_cpu(b)?, rest)
        }
        _ => return None,
    };
    let need = if cpu { need.0 } else { need.1 };
    let rest: Vec<Rank> = rest.iter().map(|s| Rank::of(view, s, per_instance)).collect();
    let mut walk = |from: &mut dyn Iterator<Item = (u32, usize)>| walk_from(view, from, &rest, &mut eligible);
    match spread.and_then(|f| view.attributes.field(f)) {
        // binpack first, or a spread field no instance has (every instance shares "none").
        None => walk(&mut view.free.from(None, cpu, need)),
        // "spread: Place tasks evenly based on the specified value": the values with the fewest
        // tasks of the group first (counted over every instance sharing the value, as step 3
        // does); the instances of all values at one count tie, binpack then ranks them.
        Some(values) => {
            let per_value = tasks_per_value(values, per_instance);
            let mut counts = per_value.clone();
            counts.sort_unstable();
            counts.dedup();
            // The per-zone sets are keyed by the value numbers of this same field.
            let zones = view.attributes.field(ZONE_ATTRIBUTE).is_some_and(|z| std::ptr::eq(z, values));
            counts.into_iter().find_map(|c| {
                if zones {
                    // The zones at this count, each walked from its own ordered set, merged.
                    let tied = (0..per_value.len()).filter(|v| per_value[*v] == c);
                    walk(&mut merged(tied.map(|v| view.free.from(Some(v as u32), cpu, need)).collect()))
                } else {
                    walk(&mut view.free.from(None, cpu, need).filter(|(_, i)| per_value[values.of(*i) as usize] == c))
                }
            })
        }
    }
}

/// (remaining, instance index) in ascending order from several ascending sources.
fn merged<I: Iterator<Item = (u32, usize)>>(sources: Vec<I>) -> impl Iterator<Item = (u32, usize)> {
    let mut sources: Vec<std::iter::Peekable<I>> = sources.into_iter().map(Iterator::peekable).collect();
    std::iter::from_fn(move || {
        let k = (0..sources.len()).filter_map(|k| sources[k].peek().map(|x| (*x, k))).min()?.1;
        sources[k].next()
    })
}

/// Walk `from` (ACTIVE instances that fit the need, ascending remaining then registration);
/// among the eligible ones with the least remaining, the one with the smallest keys of the `rest`
/// strategies, then the earliest registered.
fn walk_from(
    view: &ClusterView,
    from: &mut dyn Iterator<Item = (u32, usize)>,
    rest: &[Rank],
    eligible: &mut dyn FnMut(usize) -> bool,
) -> Option<usize> {
    let mut best: Option<([i64; MAX_RANKS], usize)> = None;
    let mut at: Option<u32> = None;
    for (remaining, i) in from {
        if at != Some(remaining) && best.is_some() {
            break;
        }
        at = Some(remaining);
        if !eligible(i) {
            continue;
        }
        if rest.is_empty() {
            return Some(i);
        }
        let key = rank_keys(view, rest, i);
        // Strictly smaller only: on a tie the earlier-registered instance stays.
        if best.as_ref().is_none_or(|(b, _)| key < *b) {
            best = Some((key, i));
        }
    }
    best.map(|(_, i)| i)
}
