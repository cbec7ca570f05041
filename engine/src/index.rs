//! Incremental indexes over the cluster state, so the hot paths (scheduler passes, placement) cost
//! what the work costs instead of a scan of every task that ever ran.
//!
//! They are derived data: each is a function of the task arena and is updated where a task
//! changes in a way it reads (created, desired status STOPPED, last status STOPPED, placed on an
//! instance after waiting for capacity). `TaskIndex::rebuilt` computes the same from scratch, and
//! `TaskIndex::check` compares the two, which the tests do after every event of every scenario.

use crate::model::{AzId, DesiredStatus, InstanceId, ServiceId, Task, TaskId};
use std::collections::BTreeMap;

pub mod free;
pub use free::FreeIndex;

/// What a task contributes to the indexes: read before and after each change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskKey {
    /// Live (not STOPPED) task of this service.
    pub service: Option<ServiceId>,
    /// Counted in its task group (live and desired RUNNING, the tasks spread and distinctInstance
    /// count): its instance, if placed, and its AZ.
    pub group: Option<(Option<InstanceId>, AzId)>,
}

impl TaskKey {
    pub fn of(t: &Task) -> TaskKey {
        let live = t.is_live();
        TaskKey {
            service: t.service.filter(|_| live),
            group: (live && t.desired_status == DesiredStatus::Running).then_some((t.instance, t.az)),
        }
    }
}

/// Tasks of one task group (`service:web`, `family:batch`) counted for spread and
/// distinctInstance: how many per instance and per Availability Zone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupCounts {
    pub per_instance: Vec<u32>,
    pub per_az: Vec<u32>,
    /// `levels[n - 1]`: the instances holding exactly n tasks of the group (n >= 1); instances
    /// with none are in no level. Placement walks them from the fewest tasks up for
    /// spread(instanceId) (`placement::place`), instead of ranking every instance.
    levels: Vec<Bits>,
    /// The instances holding at least one task of the group.
    occupied: Bits,
}

impl GroupCounts {
    fn add(&mut self, instance: Option<InstanceId>, az: AzId, delta: i32) {
        if let Some(i) = instance {
            let before = self.on_instance(i.idx());
            bump(&mut self.per_instance, i.idx(), delta);
            let after = self.on_instance(i.idx());
            if before > 0 {
                if let Some(l) = self.levels.get_mut(before as usize - 1) {
                    l.set(i.idx(), false);
                }
            }
            if after > 0 {
                if self.levels.len() < after as usize {
                    self.levels.resize_with(after as usize, Bits::default);
                }
                self.levels[after as usize - 1].set(i.idx(), true);
            }
            self.occupied.set(i.idx(), after > 0);
        }
        bump(&mut self.per_az, az.idx(), delta);
    }
    /// The instances holding exactly `n` tasks of the group (n >= 1).
    pub fn level(&self, n: u32) -> Option<&Bits> {
        n.checked_sub(1).and_then(|k| self.levels.get(k as usize))
    }
    /// The most tasks of the group on one instance (0 when none is placed).
    pub fn levels(&self) -> u32 {
        self.levels.iter().rposition(|l| !l.is_empty()).map_or(0, |k| k as u32 + 1)
    }
    /// The instances holding at least one task of the group.
    pub fn occupied(&self) -> &Bits {
        &self.occupied
    }
    /// Tasks of the group on instance `i`.
    pub fn on_instance(&self, i: usize) -> u32 {
        self.per_instance.get(i).copied().unwrap_or(0)
    }
    pub fn in_az(&self, az: usize) -> u32 {
        self.per_az.get(az).copied().unwrap_or(0)
    }
}

/// A set of instance indexes, one bit each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bits(Vec<u64>);

impl Bits {
    pub fn set(&mut self, i: usize, on: bool) {
        let (w, b) = (i / 64, i % 64);
        if on {
            if self.0.len() <= w {
                self.0.resize(w + 1, 0);
            }
            self.0[w] |= 1 << b;
        } else if let Some(x) = self.0.get_mut(w) {
            *x &= !(1 << b);
        }
    }
    pub fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|x| x >> (i % 64) & 1 == 1)
    }
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|x| *x == 0)
    }
    pub fn len(&self) -> usize {
        self.0.iter().map(|x| x.count_ones() as usize).sum()
    }
    /// Add every member of `other`.
    pub fn union_with(&mut self, other: &Bits) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
    /// The members below `n` that are (`inside`) or are not (`!inside`) in `self`, and are in
    /// `mask` when one is given, ascending.
    pub fn walk<'a>(&'a self, inside: bool, mask: Option<&'a Bits>, n: usize) -> impl Iterator<Item = usize> + 'a {
        (0..n.div_ceil(64)).flat_map(move |w| {
            let mine = self.0.get(w).copied().unwrap_or(0);
            let mut x = if inside { mine } else { !mine };
            if let Some(m) = mask {
                x &= m.0.get(w).copied().unwrap_or(0);
            }
            if (w + 1) * 64 > n {
                x &= (1u64 << (n % 64)) - 1;
            }
            std::iter::successors(Some(x).filter(|x| *x != 0), |x| Some(x & (x - 1)).filter(|x| *x != 0))
                .map(move |x| w * 64 + x.trailing_zeros() as usize)
        })
    }
}

fn bump(v: &mut Vec<u32>, i: usize, delta: i32) {
    if v.len() <= i {
        v.resize(i + 1, 0);
    }
    v[i] = v[i].wrapping_add_signed(delta);
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskIndex {
    /// Per service: its live tasks (last status not STOPPED), in ascending task id.
    service_live: Vec<Vec<TaskId>>,
    /// Task group name -> its index in `groups`.
    group_ids: BTreeMap<String, u32>,
    groups: Vec<GroupCounts>,
    /// Per task: its group's index (tasks never change group).
    task_group: Vec<u32>,
}

impl TaskIndex {
    /// The indexes of a task arena, computed from scratch.
    pub fn rebuilt(tasks: &[Task]) -> TaskIndex {
        let mut ix = TaskIndex::default();
        for (i, t) in tasks.iter().enumerate() {
            ix.task_added(TaskId(i as u32), t);
        }
        ix
    }

    /// A task was pushed onto the arena (ids are handed out in order).
    pub fn task_added(&mut self, id: TaskId, t: &Task) {
        let g = match self.group_ids.get(&t.group) {
            Some(g) => *g,
            None => {
                let g = self.groups.len() as u32;
                self.group_ids.insert(t.group.clone(), g);
                self.groups.push(GroupCounts::default());
                g
            }
        };
        if self.task_group.len() <= id.idx() {
            self.task_group.resize(id.idx() + 1, 0);
        }
        self.task_group[id.idx()] = g;
        self.apply(id, TaskKey::of(t), 1);
    }

    /// Task `id` changed from `before` to `after`.
    pub fn task_changed(&mut self, id: TaskId, before: TaskKey, after: TaskKey) {
        if before != after {
            self.apply(id, before, -1);
            self.apply(id, after, 1);
        }
    }

    fn apply(&mut self, id: TaskId, k: TaskKey, delta: i32) {
        if let Some(s) = k.service {
            if self.service_live.len() <= s.idx() {
                self.service_live.resize_with(s.idx() + 1, Vec::new);
            }
            let v = &mut self.service_live[s.idx()];
            match v.binary_search(&id) {
                Ok(pos) if delta < 0 => {
                    v.remove(pos);
                }
                Err(pos) if delta > 0 => v.insert(pos, id),
                _ => {}
            }
        }
        if let Some((instance, az)) = k.group {
            let g = self.task_group.get(id.idx()).copied().unwrap_or(0) as usize;
            if let Some(c) = self.groups.get_mut(g) {
                c.add(instance, az, delta);
            }
        }
    }

    /// Live tasks of a service, ascending id.
    pub fn service_live(&self, s: ServiceId) -> &[TaskId] {
        self.service_live.get(s.idx()).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Counts of a task group (None: no task of it yet).
    pub fn group(&self, name: &str) -> Option<&GroupCounts> {
        self.group_ids.get(name).and_then(|g| self.groups.get(*g as usize))
    }

    /// Compare with indexes rebuilt from `tasks`; the first difference, if any.
    pub fn check(&self, tasks: &[Task]) -> Result<(), String> {
        let fresh = TaskIndex::rebuilt(tasks);
        let trim = |v: &[u32]| -> Vec<u32> {
            let mut v = v.to_vec();
            while v.last() == Some(&0) {
                v.pop();
            }
            v
        };
        for s in 0..self.service_live.len().max(fresh.service_live.len()) {
            let s = ServiceId(s as u32);
            if self.service_live(s) != fresh.service_live(s) {
                return Err(format!(
                    "live tasks of service {}: {:?} != {:?}",
                    s.0,
                    self.service_live(s),
                    fresh.service_live(s)
                ));
            }
        }
        if self.group_ids != fresh.group_ids {
            return Err(format!("task groups: {:?} != {:?}", self.group_ids, fresh.group_ids));
        }
        for (name, g) in &self.group_ids {
            let (a, b) = (&self.groups[*g as usize], &fresh.groups[*g as usize]);
            if trim(&a.per_instance) != trim(&b.per_instance) || trim(&a.per_az) != trim(&b.per_az) {
                return Err(format!("group {name}: {a:?} != {b:?}"));
            }
            let members = |g: &GroupCounts, n: u32| -> Vec<usize> {
                let bits = if n == 0 { Some(&g.occupied) } else { g.level(n) };
                bits.map(|b| b.walk(true, None, g.per_instance.len()).collect()).unwrap_or_default()
            };
            for n in 0..=a.levels().max(b.levels()) {
                if members(a, n) != members(b, n) {
                    return Err(format!(
                        "group {name}: instances with {n} tasks (0: any): {:?} != {:?}",
                        members(a, n),
                        members(b, n)
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Every container instance's value of each attribute (and its instance id), interned to small
/// integers when the instance registers, so spread compares integers instead of strings.
/// Attributes do not change after registration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttributeIndex {
    fields: BTreeMap<String, FieldValues>,
    instance_ids: FieldValues,
}

/// One field's values: per instance, 0 when the instance lacks the attribute, else 1 + the
/// value's number (equal strings, equal numbers).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldValues {
    ids: BTreeMap<String, u32>,
    per_instance: Vec<u32>,
    /// `members[v - 1]`: the instances with value number v.
    members: Vec<Bits>,
}

impl FieldValues {
    fn set(&mut self, i: usize, value: &str) {
        let next = self.ids.len() as u32 + 1;
        let v = *self.ids.entry(value.to_string()).or_insert(next);
        if self.per_instance.len() <= i {
            self.per_instance.resize(i + 1, 0);
        }
        self.per_instance[i] = v;
        if self.members.len() < v as usize {
            self.members.resize_with(v as usize, Bits::default);
        }
        self.members[v as usize - 1].set(i, true);
    }
    /// The instances with value number `v` (None for 0, "none": the instances lacking it).
    pub fn members(&self, v: u32) -> Option<&Bits> {
        v.checked_sub(1).and_then(|k| self.members.get(k as usize))
    }
    /// The value number of instance `i` (0: none).
    pub fn of(&self, i: usize) -> u32 {
        self.per_instance.get(i).copied().unwrap_or(0)
    }
    /// How many distinct values instances have (not counting "none").
    pub fn distinct(&self) -> usize {
        self.ids.len()
    }
    /// How many value numbers there are, counting "none".
    pub fn len(&self) -> usize {
        self.ids.len() + 1
    }
    pub fn is_empty(&self) -> bool {
        false
    }
}

impl AttributeIndex {
    pub fn instance_added(&mut self, i: usize, inst: &crate::model::ContainerInstance) {
        self.instance_ids.set(i, &inst.ec2_instance_id);
        for (k, v) in &inst.attributes {
            self.fields.entry(k.clone()).or_default().set(i, v);
        }
    }
    /// The values of a spread field: `instanceId`/`host`, or `attribute:<name>` (as
    /// `placement::field_value` reads it). None when no instance has the attribute.
    pub fn field(&self, field: &str) -> Option<&FieldValues> {
        match field {
            "instanceId" | "host" => Some(&self.instance_ids),
            f => self.fields.get(f.strip_prefix("attribute:").unwrap_or(f)),
        }
    }
}
