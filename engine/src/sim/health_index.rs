//! Per-service health index: what a scheduler pass asks of a service's live tasks (how many per
//! deployment, which count towards `minimumHealthyPercent` and from when, which are still starting,
//! which await replacement, which are unhealthy candidates), kept up to date where a task or a
//! service changes instead of computed by a walk over every live task on every pass.
//!
//! The rules are those of `task_is_healthy` (sim/health.rs), the documented 40-second wait of
//! `healthy_wait_ends` (sim/deployment.rs: "If a task has no essential containers with a health
//! check defined, the service scheduler will wait for 40 seconds after a task reaches a RUNNING
//! state before the task is counted towards the minimum healthy percent total",
//! https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html) and
//! `replacement_candidate` (sim/replacement.rs). Each live task of a service has a [`HealthKey`];
//! `Simulation::touch_task` recomputes it after a change, and `Simulation::check_indexes` compares
//! the whole index with one rebuilt from the tasks (the tests do after every event).
//!
//! The 40-second wait depends on the clock: a healthy task with a wait is kept in a time-ordered
//! set, so "counts at `now`" is the healthy count minus the waits that end after `now`.

use super::Simulation;
use crate::model::{DesiredStatus, ServiceId, TaskId};
use crate::time::SimTime;
use std::collections::BTreeSet;

/// What a live service task contributes to the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct HealthKey {
    pub service: ServiceId,
    pub deployment: Option<u32>,
    pub desired_running: bool,
    /// Marked for replacement (`Task::replacement`).
    pub marked: bool,
    /// `task_is_healthy`.
    pub healthy: bool,
    /// When a healthy task starts counting towards the minimum (the 40-second wait), if it waits.
    pub wait_end: Option<SimTime>,
    /// `replacement_candidate`.
    pub candidate: bool,
}

/// One service's live tasks, as the scheduler reads them. "Active": desired RUNNING and not
/// marked for replacement (the scheduler pass's `live`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ServiceHealth {
    /// Live tasks per deployment slot (see [`slot`]).
    pub live: Vec<u32>,
    /// Active tasks per deployment slot.
    pub active: Vec<u32>,
    /// Active healthy tasks per deployment slot.
    pub ready: Vec<BTreeSet<TaskId>>,
    /// Active tasks that are not healthy, per deployment slot.
    pub unready: Vec<BTreeSet<TaskId>>,
    /// Active healthy tasks with a wait: (end of the wait, task).
    pub waits: BTreeSet<(SimTime, TaskId)>,
    /// Live tasks marked for replacement (any desired status).
    pub marked: BTreeSet<TaskId>,
    /// Replacement candidates (unhealthy, RUNNING, desired RUNNING, not marked).
    pub candidates: BTreeSet<TaskId>,
}

/// A deployment's slot: 0 for none, else its index + 1.
pub(super) fn slot(d: Option<u32>) -> usize {
    d.map_or(0, |d| d as usize + 1)
}

fn bump(v: &mut Vec<u32>, i: usize, delta: i32) {
    if v.len() <= i {
        v.resize(i + 1, 0);
    }
    v[i] = v[i].wrapping_add_signed(delta);
}

fn set_at(v: &mut Vec<BTreeSet<TaskId>>, i: usize) -> &mut BTreeSet<TaskId> {
    if v.len() <= i {
        v.resize_with(i + 1, BTreeSet::new);
    }
    &mut v[i]
}

/// Add `x` to `set`, or take it out.
fn put<T: Ord>(set: &mut BTreeSet<T>, x: T, add: bool) {
    if add {
        set.insert(x);
    } else {
        set.remove(&x);
    }
}

impl ServiceHealth {
    fn apply(&mut self, id: TaskId, k: &HealthKey, add: bool) {
        let d = slot(k.deployment);
        let delta = if add { 1 } else { -1 };
        bump(&mut self.live, d, delta);
        if k.marked {
            put(&mut self.marked, id, add);
        }
        if k.candidate {
            put(&mut self.candidates, id, add);
        }
        if k.desired_running && !k.marked {
            bump(&mut self.active, d, delta);
            put(if k.healthy { set_at(&mut self.ready, d) } else { set_at(&mut self.unready, d) }, id, add);
            if let (true, Some(w)) = (k.healthy, k.wait_end) {
                put(&mut self.waits, (w, id), add);
            }
        }
    }

    /// Active tasks, all deployments.
    pub fn active_total(&self) -> u32 {
        self.active.iter().sum()
    }

    /// Active tasks of deployment slot `d`.
    pub fn active_in(&self, d: usize) -> u32 {
        self.active.get(d).copied().unwrap_or(0)
    }

    /// Active tasks that count towards the minimum at `now` (healthy, wait over).
    pub fn active_counting(&self, now: SimTime) -> u32 {
        let healthy: usize = self.ready.iter().map(BTreeSet::len).sum();
        (healthy - self.waiting_after(now)) as u32
    }

    /// Active healthy tasks whose wait ends after `now`.
    pub fn waiting_after(&self, now: SimTime) -> usize {
        self.waits.range((now.saturating_add(1), TaskId(0))..).count()
    }

    /// Active healthy tasks of deployment slots other than `d`, ascending id.
    pub fn ready_except(&self, d: usize) -> Vec<TaskId> {
        merged(&self.ready, d)
    }

    /// Active unhealthy tasks of deployment slots other than `d`, ascending id.
    pub fn unready_except(&self, d: usize) -> Vec<TaskId> {
        merged(&self.unready, d)
    }

    /// How many active healthy tasks other deployment slots than `d` have.
    pub fn ready_count_except(&self, d: usize) -> u32 {
        self.ready.iter().enumerate().filter(|(i, _)| *i != d).map(|(_, s)| s.len() as u32).sum()
    }
}

fn merged(sets: &[BTreeSet<TaskId>], except: usize) -> Vec<TaskId> {
    let mut v: Vec<TaskId> =
        sets.iter().enumerate().filter(|(i, _)| *i != except).flat_map(|(_, s)| s.iter().copied()).collect();
    v.sort_unstable();
    v
}

/// Every service's [`ServiceHealth`], and each indexed task's key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct HealthIndex {
    pub services: Vec<ServiceHealth>,
    keys: Vec<Option<HealthKey>>,
}

impl HealthIndex {
    fn set(&mut self, id: TaskId, key: Option<HealthKey>) {
        if self.keys.len() <= id.idx() {
            self.keys.resize(id.idx() + 1, None);
        }
        let before = self.keys[id.idx()];
        if before == key {
            return;
        }
        if let Some(k) = before {
            if let Some(s) = self.services.get_mut(k.service.idx()) {
                s.apply(id, &k, false);
            }
        }
        if let Some(k) = key {
            if self.services.len() <= k.service.idx() {
                self.services.resize_with(k.service.idx() + 1, ServiceHealth::default);
            }
            self.services[k.service.idx()].apply(id, &k, true);
        }
        self.keys[id.idx()] = key;
    }

    pub fn key(&self, id: TaskId) -> Option<HealthKey> {
        self.keys.get(id.idx()).copied().flatten()
    }

    pub fn service(&self, s: ServiceId) -> Option<&ServiceHealth> {
        self.services.get(s.idx())
    }
}

impl Simulation {
    /// The key of a task as its state says now (None: not a live service task).
    pub(super) fn health_key(&self, id: TaskId) -> Option<HealthKey> {
        let t = self.state.tasks.get(id.idx())?;
        let service = t.service?;
        if !t.is_live() {
            return None;
        }
        let healthy = self.task_is_healthy(id);
        Some(HealthKey {
            service,
            deployment: t.deployment,
            desired_running: t.desired_status == DesiredStatus::Running,
            marked: t.replacement.is_some(),
            healthy,
            wait_end: if healthy { self.healthy_wait_ends(id) } else { None },
            candidate: Self::replacement_candidate(&self.state.elb, id, t),
        })
    }

    /// A task changed (status, health, targets, replacement): bring its key up to date.
    pub(super) fn touch_task(&mut self, id: TaskId) {
        let key = self.health_key(id);
        self.health_index.set(id, key);
    }

    /// Something every task of a service reads changed (its deployments' target groups).
    pub(super) fn touch_service(&mut self, s: ServiceId) {
        let ids: Vec<TaskId> = self.state.index.service_live(s).to_vec();
        for id in ids {
            self.touch_task(id);
        }
    }

    /// The health index compared with one rebuilt from the tasks.
    pub(super) fn check_health_index(&self) -> Result<(), String> {
        let mut fresh = HealthIndex::default();
        for i in 0..self.state.tasks.len() {
            let id = TaskId(i as u32);
            fresh.set(id, self.health_key(id));
        }
        for i in 0..self.state.tasks.len() {
            let id = TaskId(i as u32);
            if self.health_index.key(id) != fresh.key(id) {
                return Err(format!("health key of task {i}: {:?} != {:?}", self.health_index.key(id), fresh.key(id)));
            }
        }
        let norm = |s: &ServiceHealth| {
            let trim = |v: &[u32]| {
                let mut v = v.to_vec();
                while v.last() == Some(&0) {
                    v.pop();
                }
                v
            };
            let sets = |v: &[BTreeSet<TaskId>]| {
                let mut v = v.to_vec();
                while v.last().is_some_and(BTreeSet::is_empty) {
                    v.pop();
                }
                v
            };
            (
                trim(&s.live),
                trim(&s.active),
                sets(&s.ready),
                sets(&s.unready),
                s.waits.clone(),
                s.marked.clone(),
                s.candidates.clone(),
            )
        };
        let empty = ServiceHealth::default();
        for s in 0..self.health_index.services.len().max(fresh.services.len()) {
            let a = self.health_index.services.get(s).unwrap_or(&empty);
            let b = fresh.services.get(s).unwrap_or(&empty);
            if norm(a) != norm(b) {
                return Err(format!("health index of service {s}: {a:?} != {b:?}"));
            }
        }
        Ok(())
    }
}
