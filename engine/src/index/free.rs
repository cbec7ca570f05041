//! The ACTIVE container instances ordered by remaining CPU and by remaining memory, so binpack
//! finds "the instance with the least amount of remaining memory but still enough to run the task"
//! (PlacementStrategy, API reference:
//! https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PlacementStrategy.html) by
//! walking up from the task's need instead of ranking every instance (`placement::place`).
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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FreeIndex {
    /// (remaining CPU units, instance index).
    by_cpu: BTreeSet<(u32, u32)>,
    /// (remaining memory MiB, instance index).
    by_memory: BTreeSet<(u32, u32)>,
    /// Per instance: the key it is filed under.
    keys: Vec<Option<(u32, u32)>>,
}

impl FreeIndex {
    /// The index of `instances`, computed from scratch.
    pub fn rebuilt(instances: &[ContainerInstance]) -> FreeIndex {
        let mut ix = FreeIndex::default();
        for (i, inst) in instances.iter().enumerate() {
            ix.instance_changed(i, inst);
        }
        ix
    }

    /// Instance `i` was registered or changed (reserved or released CPU or memory, status).
    pub fn instance_changed(&mut self, i: usize, inst: &ContainerInstance) {
        if self.keys.len() <= i {
            self.keys.resize(i + 1, None);
        }
        let after = key(inst);
        let before = std::mem::replace(&mut self.keys[i], after);
        if before == after {
            return;
        }
        let n = i as u32;
        if let Some((cpu, mem)) = before {
            self.by_cpu.remove(&(cpu, n));
            self.by_memory.remove(&(mem, n));
        }
        if let Some((cpu, mem)) = after {
            self.by_cpu.insert((cpu, n));
            self.by_memory.insert((mem, n));
        }
    }

    /// The ACTIVE instances with at least `need` of CPU (`cpu`) or memory remaining, as (remaining,
    /// instance index), ascending: the least remaining first, ties by registration order.
    pub fn from(&self, cpu: bool, need: u32) -> impl Iterator<Item = (u32, usize)> + '_ {
        let set = if cpu { &self.by_cpu } else { &self.by_memory };
        set.range((need, 0)..).map(|(k, i)| (*k, *i as usize))
    }

    /// Compare with the index rebuilt from `instances`; the first difference, if any.
    pub fn check(&self, instances: &[ContainerInstance]) -> Result<(), String> {
        let fresh = FreeIndex::rebuilt(instances);
        for i in 0..self.keys.len().max(fresh.keys.len()) {
            let (a, b) = (self.keys.get(i).copied().flatten(), fresh.keys.get(i).copied().flatten());
            if a != b {
                return Err(format!("free (cpu, memory) of instance {i}: {a:?} != {b:?}"));
            }
        }
        if self.by_cpu != fresh.by_cpu {
            return Err(format!("instances by remaining cpu: {:?} != {:?}", self.by_cpu, fresh.by_cpu));
        }
        if self.by_memory != fresh.by_memory {
            return Err(format!("instances by remaining memory: {:?} != {:?}", self.by_memory, fresh.by_memory));
        }
        Ok(())
    }
}
