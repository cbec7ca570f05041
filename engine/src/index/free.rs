//! The ACTIVE container instances ordered by remaining CPU and by remaining memory, so binpack
//! finds "the instance with the least amount of remaining memory but still enough to run the task"
//! (PlacementStrategy, API reference:
//! https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PlacementStrategy.html) by
//! walking up from the task's need instead of ranking every instance (`placement::place`).
//!
//! The same per Availability Zone (the value number `ecs.availability-zone` has in the attribute
//! index, src/index.rs), so spread(attribute:ecs.availability-zone) then binpack, the guide's
//! example, walks only the zones with the fewest tasks.
//!
//! Derived data like the other indexes (src/index.rs): `State::instance_changed` updates it after
//! every change of an instance's reserved CPU or memory or of its status (registered, DRAINING,
//! deregistered), and `FreeIndex::check` compares it with one rebuilt from the instances, which
//! the tests do after every event of every scenario.

use crate::model::{ContainerInstance, InstanceStatus};
use std::collections::BTreeSet;

/// What an instance contributes: its remaining (CPU, memory) while ACTIVE, else nothing (DRAINING
/// and deregistered instances take no new task: "Amazon ECS prevents new tasks from being
/// scheduled for placement on the container instance").
fn key(inst: &ContainerInstance) -> Option<(u32, u32)> {
    (inst.status == InstanceStatus::Active).then(|| (inst.remaining_cpu(), inst.remaining_memory()))
}

/// The attribute the per-zone sets are keyed by (its value numbers in `AttributeIndex`).
pub const ZONE_ATTRIBUTE: &str = "ecs.availability-zone";

/// Ordered (remaining, instance index) sets: by CPU, by memory.
type Sets = [BTreeSet<(u32, u32)>; 2];

fn insert(sets: &mut Sets, (cpu, mem): (u32, u32), n: u32) {
    sets[0].insert((cpu, n));
    sets[1].insert((mem, n));
}

fn remove(sets: &mut Sets, (cpu, mem): (u32, u32), n: u32) {
    sets[0].remove(&(cpu, n));
    sets[1].remove(&(mem, n));
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FreeIndex {
    /// (remaining CPU units, instance index), (remaining memory MiB, instance index).
    all: Sets,
    /// Per zone value number (0: instances lacking the attribute): the same sets.
    by_zone: Vec<Sets>,
    /// Per instance: the key it is filed under, and its zone value number.
    keys: Vec<(Option<(u32, u32)>, u32)>,
}

impl FreeIndex {
    /// The index of `instances`, computed from scratch; `zone(i)`: instance i's value number of
    /// `ZONE_ATTRIBUTE`.
    pub fn rebuilt(instances: &[ContainerInstance], zone: impl Fn(usize) -> u32) -> FreeIndex {
        let mut ix = FreeIndex::default();
        for (i, inst) in instances.iter().enumerate() {
            ix.instance_changed(i, inst, zone(i));
        }
        ix
    }

    /// Instance `i` (of zone value number `zone`, fixed at registration) was registered or changed
    /// (reserved or released CPU or memory, status).
    pub fn instance_changed(&mut self, i: usize, inst: &ContainerInstance, zone: u32) {
        if self.keys.len() <= i {
            self.keys.resize(i + 1, (None, 0));
        }
        let after = (key(inst), zone);
        let before = std::mem::replace(&mut self.keys[i], after);
        if before == after {
            return;
        }
        let n = i as u32;
        if let (Some(k), z) = before {
            remove(self.sets_mut(None), k, n);
            remove(self.sets_mut(Some(z)), k, n);
        }
        if let (Some(k), z) = after {
            insert(self.sets_mut(None), k, n);
            insert(self.sets_mut(Some(z)), k, n);
        }
    }

    fn sets_mut(&mut self, zone: Option<u32>) -> &mut Sets {
        match zone {
            None => &mut self.all,
            Some(z) => {
                if self.by_zone.len() <= z as usize {
                    self.by_zone.resize_with(z as usize + 1, Default::default);
                }
                &mut self.by_zone[z as usize]
            }
        }
    }

    /// The ACTIVE instances (of zone value number `zone`, when given) with at least `need` of CPU
    /// (`cpu`) or memory remaining, as (remaining, instance index), ascending: the least remaining
    /// first, ties by registration order.
    pub fn from(&self, zone: Option<u32>, cpu: bool, need: u32) -> impl Iterator<Item = (u32, usize)> + '_ {
        let sets = match zone {
            None => Some(&self.all),
            Some(z) => self.by_zone.get(z as usize),
        };
        sets.into_iter().flat_map(move |s| s[usize::from(!cpu)].range((need, 0)..)).map(|(k, i)| (*k, *i as usize))
    }

    /// Compare with the index rebuilt from `instances`; the first difference, if any.
    pub fn check(&self, instances: &[ContainerInstance], zone: impl Fn(usize) -> u32) -> Result<(), String> {
        let fresh = FreeIndex::rebuilt(instances, zone);
        for i in 0..self.keys.len().max(fresh.keys.len()) {
            let (a, b) =
                (self.keys.get(i).copied().unwrap_or_default(), fresh.keys.get(i).copied().unwrap_or_default());
            if a != b {
                return Err(format!("free (cpu, memory) and zone of instance {i}: {a:?} != {b:?}"));
            }
        }
        if self.all != fresh.all {
            return Err(format!("instances by remaining (cpu, memory): {:?} != {:?}", self.all, fresh.all));
        }
        let empty = Sets::default();
        for z in 0..self.by_zone.len().max(fresh.by_zone.len()) {
            let (a, b) = (self.by_zone.get(z).unwrap_or(&empty), fresh.by_zone.get(z).unwrap_or(&empty));
            if a != b {
                return Err(format!("instances of zone value {z} by remaining (cpu, memory): {a:?} != {b:?}"));
            }
        }
        Ok(())
    }
}
