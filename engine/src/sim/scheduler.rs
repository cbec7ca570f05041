//! The service scheduler ("Amazon ECS services: service scheduler concepts"): keep the desired
//! number of tasks running, place new ones, stop extra ones keeping AZs balanced, and report what
//! it did in the console's event wording.

use super::lifecycle::{Host, NewTask};
use super::queue::Event;
use super::Simulation;
use crate::log::kind;
use crate::model::{AzId, DesiredStatus, ServiceEvent, ServiceId, StopCode, TaskDefRef, TaskId, TaskStatus};
use crate::placement::{self, PlacementFailure, PlacementRequest};
use crate::scenario::{LaunchType, PlacementConstraint, PlacementStrategy};
use crate::time::{SimTime, HOUR, SECOND};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// How long the scheduler waits before retrying a placement that found no room.
const PLACEMENT_RETRY: SimTime = 30 * SECOND;

impl Simulation {
    /// One scheduler pass for a service. Deployment-aware: while tasks of an older deployment are
    /// live, the pass is a rolling-update step (`deployment::rolling_update_step`); otherwise it
    /// keeps the desired count of the PRIMARY deployment running.
    pub(super) fn reconcile(&mut self, s: ServiceId) {
        let Some(svc) = self.state.services.get(s.idx()) else { return };
        if svc.status != "ACTIVE" {
            return;
        }
        if svc.spec.scheduling_strategy == Some(crate::scenario::SchedulingStrategy::Daemon) {
            self.reconcile_daemon(s);
            return;
        }
        // Deployment bookkeeping and the circuit breaker; a FAILED deployment launches nothing.
        if !self.update_deployments(s) {
            self.reconcile_without_launching(s);
            return;
        }
        let Some(primary) = self.primary_deployment(s) else { return };
        // From the health index (sim/health_index.rs): the unhealthy tasks to mark for
        // replacement, and how many live ones there are (tasks awaiting replacement do not count
        // towards the desired count), and whether any belongs to an older deployment.
        let candidates: Vec<TaskId> =
            self.health_index.service(s).map(|h| h.candidates.iter().copied().collect()).unwrap_or_default();
        // Unhealthy tasks (past the grace period) are marked for replacement (sim/replacement.rs).
        if !candidates.is_empty() {
            self.mark_unhealthy_tasks(s, candidates);
        }
        let p = super::health_index::slot(Some(primary));
        let (n, any_old) = self
            .health_index
            .service(s)
            .map_or((0, false), |h| (h.active_total(), h.active.iter().enumerate().any(|(d, c)| d != p && *c > 0)));
        let svc = &self.state.services[s.idx()];
        let desired = svc.desired_count;
        // Blue/green, linear and canary deployments (sim/blue_green.rs); only they read the list.
        let live =
            if svc.deployments[primary as usize].traffic_shift.is_some() { self.active_tasks(s) } else { Vec::new() };
        if self.traffic_shift_step(s, primary, &live) {
            self.stop_replaced_tasks(s);
            return;
        }
        let svc = &self.state.services[s.idx()];
        if any_old {
            self.rolling_update_step(s, primary);
            self.stop_replaced_tasks(s);
            return;
        }
        if n < desired {
            if self.now < svc.backoff_until {
                let at = svc.backoff_until;
                self.schedule(at, Event::Reconcile(s));
                self.stop_replaced_tasks(s);
                return;
            }
            let count = self.launch_allowance(s, desired - n);
            if count > 0 {
                self.launch_tasks(s, primary, count);
            }
        } else if n > desired {
            let live = self.active_tasks(s);
            let victims = self.choose_tasks_to_stop(&live, n - desired);
            self.stop_service_tasks(s, &victims);
        } else {
            self.check_steady_state(s);
        }
        self.stop_replaced_tasks(s);
    }

    /// The service's live tasks that count towards its desired count: desired RUNNING and not
    /// awaiting replacement, ascending id.
    pub(super) fn active_tasks(&self, s: ServiceId) -> Vec<TaskId> {
        self.state
            .service_tasks(s)
            .filter(|(_, t)| t.desired_status == DesiredStatus::Running && t.replacement.is_none())
            .map(|(id, _)| id)
            .collect()
    }

    /// A pass while the PRIMARY deployment is FAILED (circuit breaker without rollback, or no
    /// COMPLETED deployment to roll back to). "If it is turned on, a service deployment will
    /// transition to a failed state and stop launching new tasks" (DeploymentCircuitBreaker,
    /// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentCircuitBreaker.html);
    /// "the circuit breaker does not launch new tasks and the deployment is stalled"
    /// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html).
    /// So nothing is launched - not for the failed deployment, not to replace a stopped task of an
    /// older one, not for a raised desiredCount - but stopping is not launching: a lowered
    /// desiredCount still stops tasks. When tasks are missing, one service event says why (the
    /// playground's explanation, not an AWS message) and what starts a new deployment.
    fn reconcile_without_launching(&mut self, s: ServiceId) {
        // A failed blue/green (linear, canary) deployment without rollback stays where it stopped:
        // both revisions keep their tasks and the listener rules their weights.
        let shifting = self
            .primary_deployment(s)
            .is_some_and(|p| self.state.services[s.idx()].deployments[p as usize].traffic_shift.is_some());
        if shifting {
            return;
        }
        let desired = self.state.services[s.idx()].desired_count;
        let live: Vec<TaskId> = self
            .state
            .service_tasks(s)
            .filter(|(_, t)| t.desired_status == DesiredStatus::Running && t.replacement.is_none())
            .map(|(id, _)| id)
            .collect();
        let n = live.len() as u32;
        if n > desired {
            let victims = self.choose_tasks_to_stop(&live, n - desired);
            self.stop_service_tasks(s, &victims);
            return;
        }
        if n == desired {
            return;
        }
        let svc = &self.state.services[s.idx()];
        let Some(dep) = svc.deployments.primary() else { return };
        let msg = format!(
            "(service {}) launches no new tasks: its deployment {} is FAILED, so {} of {} desired tasks are running or starting. \
             Update the service with a new task definition or forceNewDeployment to start a new deployment.",
            svc.service_name, dep.id, n, desired
        );
        if svc.last_unplaceable.as_deref() != Some(msg.as_str()) {
            self.state.services[s.idx()].last_unplaceable = Some(msg.clone());
            self.service_event(s, msg);
        }
    }

    /// Place and start `count` tasks of the service's primary deployment.
    pub(super) fn launch_tasks(&mut self, s: ServiceId, deployment: u32, count: u32) {
        let mut started = Vec::new();
        let mut failure = None;
        let attempt = self.begin_launch_attempt(s);
        for _ in 0..count {
            match self.place_service_task(s, deployment) {
                Ok(id) => {
                    if let Some(t) = self.state.tasks.get_mut(id.idx()) {
                        t.launch_attempt = attempt;
                    }
                    started.push(id)
                }
                Err(f) => {
                    failure = Some(f);
                    break;
                }
            }
        }
        let name = self.state.services[s.idx()].service_name.clone();
        if !started.is_empty() {
            let ids: Vec<String> =
                started.iter().map(|t| format!("(task {})", self.state.tasks[t.idx()].task_id)).collect();
            let msg = format!("(service {name}) has started {} tasks: {}.", started.len(), ids.join(" "));
            self.service_event(s, msg);
            self.state.services[s.idx()].last_unplaceable = None;
        }
        if let Some(f) = failure {
            let msg = format!("(service {name}) was unable to place a task because no container instance met all of its requirements. {} For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.", f.reason());
            if self.state.services[s.idx()].last_unplaceable.as_deref() != Some(msg.as_str()) {
                self.state.services[s.idx()].last_unplaceable = Some(msg.clone());
                self.service_event(s, msg);
                // The EC2 example names the closest instance and the resource it lacks.
                let extra = match &f.closest {
                    Some((arn, why)) => json!({"containerInstanceArns": [arn], "reason": why.run_task_reason()}),
                    None => json!({}),
                };
                self.service_action(s, "ERROR", "SERVICE_TASK_PLACEMENT_FAILURE", extra);
            }
            let at = self.now + PLACEMENT_RETRY;
            self.schedule(at, Event::Reconcile(s));
        }
    }

    /// Choose a host for one new task of the service and start it there.
    fn place_service_task(&mut self, s: ServiceId, deployment: u32) -> Result<TaskId, PlacementFailure> {
        // With a capacity provider strategy, the provider is chosen first (base, then weight).
        let cp = self.next_capacity_provider(s);
        let svc = &self.state.services[s.idx()];
        let td_ref = svc.deployments[deployment as usize].task_def.clone();
        let group = format!("service:{}", svc.service_name);
        // A task on an Auto Scaling group provider runs on EC2 whatever the service says.
        let launch_type = match cp.as_deref() {
            Some(name) if !crate::capacity::strategy::is_fargate(name) => LaunchType::Ec2,
            _ => svc.launch_type,
        };
        let strategies = if svc.spec.placement_strategy.is_empty() {
            placement::default_service_strategy()
        } else {
            svc.spec.placement_strategy.clone()
        };
        let constraints = svc.spec.placement_constraints.clone();
        let host = self.choose_host(&HostRequest {
            td_ref: &td_ref,
            group: &group,
            capacity_provider: cp.as_deref(),
            launch_type,
            strategies: &strategies,
            constraints: &constraints,
        })?;
        Ok(self.start_task(NewTask {
            td: td_ref,
            group,
            service: Some(s),
            deployment: Some(deployment),
            launch_type,
            capacity_provider: cp,
            host,
            started_by: None,
            platform_version: None,
            run_extras: None,
        }))
    }

    /// The one host choice for a new task (service scheduler, RunTask, daemon, and tasks waiting
    /// in PROVISIONING for their provider's capacity): the capacity provider its strategy chose
    /// (an Auto Scaling group provider's instance, or PROVISIONING until one registers), else a
    /// Fargate AZ, else EC2 placement over the cluster's instances. Callers pass the placement
    /// strategies and constraints that apply (a service's own or the default, a RunTask
    /// request's) and report failures in their own shape.
    pub(super) fn choose_host(&mut self, r: &HostRequest) -> Result<Host, PlacementFailure> {
        let provider = r.capacity_provider.filter(|n| !crate::capacity::strategy::is_fargate(n));
        let Some(td) = self.state.task_defs.get(r.td_ref) else {
            // Without its task definition a provider's task keeps waiting; any other fails.
            return match provider {
                Some(_) => Ok(Host::Awaiting),
                None => Err(PlacementFailure { closest: None }),
            };
        };
        if provider.is_none() && r.launch_type == LaunchType::Fargate {
            return self.fargate_az(r.group).map(Host::Fargate).ok_or(PlacementFailure { closest: None });
        }
        // EC2 placement, over the provider's instances when a provider was chosen.
        let az_available = self.state.az_available();
        let view = self.state.placement_view(&az_available);
        let req = PlacementRequest {
            task_definition: td,
            group: r.group,
            strategies: r.strategies,
            constraints: r.constraints,
            capacity_provider: provider,
        };
        let placed = placement::place(&view, &req, &mut self.rng);
        match (placed, provider) {
            (Ok(d), _) => Ok(Host::Ec2(d)),
            // No instance of the provider has room yet: the task waits in PROVISIONING.
            (Err(_), Some(_)) => Ok(Host::Awaiting),
            (Err(e), None) => Err(e),
        }
    }

    /// Fargate spreads a service's tasks across the Availability Zones of its subnets: the
    /// available AZ with the fewest live tasks of the group, the first such in order on a tie.
    pub(super) fn fargate_az(&self, group: &str) -> Option<AzId> {
        // Live tasks of the group with desired status RUNNING, per AZ (src/index.rs).
        let counts: Vec<u32> =
            (0..self.state.azs.len()).map(|i| self.state.index.group(group).map_or(0, |g| g.in_az(i))).collect();
        (0..self.state.azs.len())
            .filter(|&i| {
                self.state.azs[i].available
                    && self.state.subnets[i].in_use() < self.state.subnets[i].capacity() as usize
            })
            .min_by_key(|&i| (counts[i], i))
            .map(|i| AzId(i as u32))
    }

    /// Choose `count` of `candidates` to stop, keeping Availability Zones balanced: "select
    /// container instances from the Availability Zone with the highest number of running tasks for
    /// this service", then the instance with the most tasks of the service (service scheduler
    /// concepts). Tasks that are not running yet go first; among equals, the newest.
    pub(super) fn choose_tasks_to_stop(&self, candidates: &[TaskId], count: u32) -> Vec<TaskId> {
        // Nothing to choose: skip the per-AZ and per-instance counts (sized to the whole cluster),
        // which the scheduler's passes asked for on every pass at quota scale. No draw is skipped.
        if count == 0 || candidates.is_empty() {
            return Vec::new();
        }
        // Many to choose (a rolling update whose new tasks all turned healthy at once): the
        // grouped choice, O((n + count) log n), instead of a walk over every candidate per pick.
        if count > 32 {
            return self.choose_tasks_to_stop_grouped(candidates, count);
        }
        self.choose_tasks_to_stop_linear(candidates, count)
    }

    /// [`Self::choose_tasks_to_stop`] for few picks: the candidates split by (not yet running, AZ)
    /// once, then per pick a walk over the buckets the pick can come from only: the class that
    /// goes first, and in it the AZs with the most remaining candidates. The same choices as
    /// [`Self::choose_tasks_to_stop_walk`] (checked in the tests), about AZs-times fewer steps.
    fn choose_tasks_to_stop_linear(&self, candidates: &[TaskId], count: u32) -> Vec<TaskId> {
        let n_az = self.state.azs.len();
        let n_inst = self.state.instances.len();
        // Slots as in the walk: one last AZ slot and instance slot that always count 0.
        let mut per_az = vec![0usize; n_az + 1];
        let mut per_inst = vec![0usize; n_inst + 1];
        // Bucket (class, AZ slot) = class * (n_az + 1) + AZ slot; entries (instance slot, created
        // at, id).
        let mut buckets: Vec<Vec<(usize, SimTime, u32)>> = vec![Vec::new(); 2 * (n_az + 1)];
        for id in candidates {
            let t = &self.state.tasks[id.idx()];
            let az = Some(t.az.idx()).filter(|a| *a < n_az).unwrap_or(n_az);
            let inst = t.instance.map(|i| i.idx()).filter(|i| *i < n_inst).unwrap_or(n_inst);
            let class = usize::from(t.last_status != TaskStatus::Running);
            per_az[az] += 1;
            per_inst[inst] += 1;
            buckets[class * (n_az + 1) + az].push((inst, t.created_at, id.0));
        }
        per_az[n_az] = 0;
        per_inst[n_inst] = 0;
        let mut chosen = Vec::new();
        let mut remaining = candidates.len();
        while chosen.len() < count as usize && remaining > 0 {
            // The class that goes first: not yet running, if any is left.
            let class = usize::from(buckets[n_az + 1..].iter().any(|b| !b.is_empty()));
            let slots = class * (n_az + 1)..(class + 1) * (n_az + 1);
            let Some(most) = slots.clone().filter(|&b| !buckets[b].is_empty()).map(|b| per_az[b - slots.start]).max()
            else {
                break;
            };
            // The largest (instance count, created at, id) in the AZs with the most candidates.
            let mut best: Option<((usize, SimTime, u32), usize, usize)> = None;
            for b in slots.clone().filter(|&b| !buckets[b].is_empty() && per_az[b - slots.start] == most) {
                for (k, &(inst, created, id)) in buckets[b].iter().enumerate() {
                    let key = (per_inst[inst], created, id);
                    if best.as_ref().is_none_or(|(top, _, _)| key > *top) {
                        best = Some((key, b, k));
                    }
                }
            }
            let Some((_, b, k)) = best else { break };
            let (inst, _, id) = buckets[b].swap_remove(k);
            let az = b - slots.start;
            if az < n_az {
                per_az[az] -= 1;
            }
            if inst < n_inst {
                per_inst[inst] -= 1;
            }
            remaining -= 1;
            chosen.push(TaskId(id));
        }
        chosen
    }

    /// The choice by its definition: one walk over every candidate per pick, taking the largest
    /// (not yet running, candidates in its AZ, candidates on its instance, created at, id).
    #[cfg(test)]
    fn choose_tasks_to_stop_walk(&self, candidates: &[TaskId], count: u32) -> Vec<TaskId> {
        // What the choice reads of each candidate, copied once into a compact list (not yet
        // running, AZ slot, instance slot, created at, id); the slots index the per-AZ and
        // per-instance counts, with one last slot that always counts 0 (an AZ or instance
        // outside the cluster's, or no instance yet).
        let n_az = self.state.azs.len();
        let n_inst = self.state.instances.len();
        let mut per_az = vec![0usize; n_az + 1];
        let mut per_inst = vec![0usize; n_inst + 1];
        let mut remaining: Vec<(bool, usize, usize, SimTime, u32)> = candidates
            .iter()
            .map(|id| {
                let t = &self.state.tasks[id.idx()];
                let az = Some(t.az.idx()).filter(|a| *a < n_az).unwrap_or(n_az);
                let inst = t.instance.map(|i| i.idx()).filter(|i| *i < n_inst).unwrap_or(n_inst);
                (t.last_status != TaskStatus::Running, az, inst, t.created_at, id.0)
            })
            .collect();
        for r in &remaining {
            per_az[r.1] += 1;
            per_inst[r.2] += 1;
        }
        per_az[n_az] = 0;
        per_inst[n_inst] = 0;
        // Running counts per AZ and per instance, updated as tasks are chosen: O(count x n).
        let mut chosen = Vec::new();
        for _ in 0..count {
            let Some(pos) = (0..remaining.len()).max_by_key(|&k| {
                let r = &remaining[k];
                (r.0, per_az[r.1], per_inst[r.2], r.3, r.4)
            }) else {
                break;
            };
            let r = remaining.swap_remove(pos);
            if r.1 < n_az {
                per_az[r.1] -= 1;
            }
            if r.2 < n_inst {
                per_inst[r.2] -= 1;
            }
            chosen.push(TaskId(r.4));
        }
        chosen
    }

    /// [`Self::choose_tasks_to_stop`] for many picks: the same choices, with the candidates kept
    /// grouped by (not yet running, AZ) and instance.
    fn choose_tasks_to_stop_grouped(&self, candidates: &[TaskId], count: u32) -> Vec<TaskId> {
        // Each choice takes the largest (not yet running, remaining candidates in its AZ, remaining
        // candidates on its instance, created at, id). Counts per AZ and per instance change as
        // tasks are chosen; the candidates are kept grouped so that a choice looks at the best
        // of each (class, AZ) group instead of every candidate: O((n + count) log n).
        let mut per_az = vec![0usize; self.state.azs.len()];
        let mut per_inst = vec![0usize; self.state.instances.len()];
        for t in candidates {
            let task = &self.state.tasks[t.idx()];
            if let Some(c) = per_az.get_mut(task.az.idx()) {
                *c += 1;
            }
            if let Some(c) = task.instance.and_then(|i| per_inst.get_mut(i.idx())) {
                *c += 1;
            }
        }
        // A candidate's group: (not yet running, AZ index, instance index if counted).
        type Group = (bool, usize, Option<usize>);
        let group_of = |id: TaskId| -> Group {
            let t = &self.state.tasks[id.idx()];
            let inst = t.instance.map(|i| i.idx()).filter(|i| *i < per_inst.len());
            (t.last_status != TaskStatus::Running, t.az.idx(), inst)
        };
        // Per group of an instance: its candidates by (created at, id). Candidates without a
        // counted instance are each their own entry.
        let mut on_instance: BTreeMap<Group, BTreeSet<(SimTime, u32)>> = BTreeMap::new();
        // Per (class, AZ): entries (instance count, created at, id, instance), best last.
        // An entry: (instance count, created at, id, instance).
        type Entry = (usize, SimTime, u32, Option<usize>);
        let mut entries: BTreeMap<(bool, usize), BTreeSet<Entry>> = BTreeMap::new();
        for &id in candidates {
            let g = group_of(id);
            let created = self.state.tasks[id.idx()].created_at;
            match g.2 {
                Some(_) => {
                    on_instance.entry(g).or_default().insert((created, id.0));
                }
                None => {
                    entries.entry((g.0, g.1)).or_default().insert((0, created, id.0, None));
                }
            }
        }
        // Which groups each instance has (for its count changing).
        let mut groups_of_instance: BTreeMap<usize, Vec<Group>> = BTreeMap::new();
        for (g, tasks) in &on_instance {
            if let (Some(i), Some(&(created, id))) = (g.2, tasks.last()) {
                entries.entry((g.0, g.1)).or_default().insert((per_inst[i], created, id, Some(i)));
                groups_of_instance.entry(i).or_default().push(*g);
            }
        }
        let mut chosen = Vec::new();
        for _ in 0..count {
            // (AZ count, instance count, created at, id) and the (class, AZ) group it is the best of.
            type Best = ((usize, usize, SimTime, u32), (bool, usize));
            let mut best: Option<Best> = None;
            for class in [true, false] {
                for (&(c, az), set) in entries.range((class, 0)..=(class, usize::MAX)) {
                    let Some(&(n, created, id, _)) = set.last() else { continue };
                    let key = (per_az.get(az).copied().unwrap_or(0), n, created, id);
                    if best.as_ref().is_none_or(|(b, _)| key > *b) {
                        best = Some((key, (c, az)));
                    }
                }
                if best.is_some() {
                    break;
                }
            }
            let Some((_, group)) = best else { break };
            let Some(set) = entries.get_mut(&group) else { break };
            let Some(entry) = set.pop_last() else { break };
            let id = TaskId(entry.2);
            if let Some(c) = per_az.get_mut(group.1) {
                *c -= 1;
            }
            if let Some(i) = entry.3 {
                if let Some(tasks) = on_instance.get_mut(&(group.0, group.1, Some(i))) {
                    tasks.remove(&(entry.1, entry.2));
                }
                // The instance's count drops: its entries in every group move.
                let before = per_inst[i];
                per_inst[i] -= 1;
                for g in groups_of_instance.get(&i).into_iter().flatten() {
                    let Some(&(created, tid)) = on_instance.get(g).and_then(|t| t.last()) else { continue };
                    let set = entries.entry((g.0, g.1)).or_default();
                    set.remove(&(before, created, tid, Some(i)));
                    set.insert((per_inst[i], created, tid, Some(i)));
                }
            }
            chosen.push(id);
        }
        chosen
    }

    /// Stop service tasks for the scheduler (scale-in or deployment) with the console's event.
    pub(super) fn stop_service_tasks(&mut self, s: ServiceId, stopped: &[TaskId]) {
        let name = self.state.services[s.idx()].service_name.clone();
        let dep_id = self
            .state
            .services
            .get(s.idx())
            .and_then(|svc| svc.deployments.primary())
            .map(|d| d.id.clone())
            .unwrap_or_default();
        for id in stopped {
            self.stop_task(
                *id,
                StopCode::ServiceSchedulerInitiated,
                format!("Scaling activity initiated by (deployment {dep_id})"),
            );
        }
        if !stopped.is_empty() {
            let ids: Vec<String> =
                stopped.iter().map(|t| format!("(task {})", self.state.tasks[t.idx()].task_id)).collect();
            let msg = format!("(service {name}) has stopped {} running tasks: {}.", stopped.len(), ids.join(" "));
            self.service_event(s, msg);
            self.service_action(s, "INFO", "TASKS_STOPPED", json!({}));
        }
    }

    /// "(service x) has reached a steady state." once all desired tasks run on one deployment;
    /// repeated at most every six hours while nothing changes, as the console shows.
    fn check_steady_state(&mut self, s: ServiceId) {
        // One rule for steady state and deployment completion as for rolling updates: a task
        // counts once it is healthy, and a task without container health checks and without a load
        // balancer only 40 s after RUNNING ("the service scheduler will wait for 40 seconds after a
        // task reaches a RUNNING state before the task is counted towards the minimum healthy
        // percent total", DeploymentConfiguration,
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html).
        // `update_deployments` queues the pass at which the wait ends.
        // Steady means the tasks pass their health checks too (sim/health.rs): a task that counts
        // as healthy passes them, so `healthy == total` says every task does.
        let total = self.state.index.service_live(s).len() as u32;
        let svc = &self.state.services[s.idx()];
        let one_deployment = svc.deployments.not_inactive().count() == 1;
        if total != svc.desired_count || !one_deployment {
            return;
        }
        // Counted by the health index (sim/health_index.rs): the live tasks, and one by one the
        // few awaiting replacement.
        let now = self.now;
        let healthy = self.health_index.service(s).map_or(0, |h| {
            let marked = h
                .marked
                .iter()
                .filter_map(|id| self.health_index.key(*id))
                .filter(|k| k.desired_running && k.healthy && k.wait_end.is_none_or(|at| now >= at));
            h.active_counting(now) + marked.count() as u32
        });
        if healthy != total {
            return;
        }
        let due = match svc.last_steady_state_at {
            None => true,
            Some(at) => !svc.steady || self.now >= at + 6 * HOUR,
        };
        if !due {
            return;
        }
        let name = svc.service_name.clone();
        if let Some(p) = self.primary_deployment(s) {
            self.complete_or_bake(s, p);
        }
        {
            let now = self.now;
            let svc = &mut self.state.services[s.idx()];
            svc.steady = true;
            svc.last_steady_state_at = Some(now);
        }
        self.service_event(s, format!("(service {name}) has reached a steady state."));
        self.service_action(s, "INFO", "SERVICE_STEADY_STATE", json!({}));
        let at = self.now + 6 * HOUR;
        self.schedule(at, Event::Reconcile(s));
    }

    /// Append a service event (newest first) and its log line.
    pub(super) fn service_event(&mut self, s: ServiceId, message: String) {
        let id = self.rng.hex(8)
            + "-"
            + &self.rng.hex(4)
            + "-"
            + &self.rng.hex(4)
            + "-"
            + &self.rng.hex(4)
            + "-"
            + &self.rng.hex(12);
        let svc = &mut self.state.services[s.idx()];
        svc.events.insert(0, ServiceEvent { id: id.clone(), created_at: self.now, message: message.clone() });
        // describe-services keeps the 100 most recent events.
        svc.events.truncate(100);
        // A trace line of the project's own kind: the console's message is no EventBridge event.
        let detail = json!({
            "serviceName": svc.service_name,
            "serviceArn": svc.service_arn,
            "id": id,
            "createdAt": self.log.context().iso_ms(self.now),
            "message": message,
        });
        self.log.push(self.now, kind::SERVICE_EVENT, detail);
    }

    /// An "ECS Service Action" event: `eventType` (INFO, WARN, ERROR), `eventName`, `clusterArn`,
    /// `createdAt`, and for some events `reason`, `containerInstanceArns` or
    /// `capacityProviderArns` (`extra`); the service's ARN is the event's `resources`
    /// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html).
    pub(super) fn service_action(&mut self, s: ServiceId, event_type: &str, event_name: &str, extra: Value) {
        let mut detail = json!({
            "eventType": event_type,
            "eventName": event_name,
            "clusterArn": self.state.cluster_arn,
            "createdAt": self.log.context().iso_ms(self.now),
        });
        if let (Some(d), Value::Object(x)) = (detail.as_object_mut(), extra) {
            d.extend(x);
        }
        let resources = vec![self.state.services[s.idx()].service_arn.clone()];
        self.log.push_event(self.now, kind::SERVICE_ACTION, resources, detail);
    }
}

/// What [`Simulation::choose_host`] needs to know about a new task.
pub(super) struct HostRequest<'a> {
    pub td_ref: &'a TaskDefRef,
    pub group: &'a str,
    /// The provider the capacity provider strategy chose (`None` without a strategy).
    pub capacity_provider: Option<&'a str>,
    pub launch_type: LaunchType,
    pub strategies: &'a [PlacementStrategy],
    pub constraints: &'a [PlacementConstraint],
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SECOND;
    use serde_json::json;

    /// 60 tasks placed at random on six instances spread unevenly over three AZs, so the per-AZ and
    /// per-instance counts differ and some ties fall to creation time and id.
    fn uneven_cluster() -> Simulation {
        let doc = json!({
            "seed": 7,
            "availabilityZones": ["us-east-1a", "us-east-1b", "us-east-1c"],
            "containerInstances": [
                {"instanceType": "m5.xlarge", "availabilityZone": "us-east-1a", "count": 3},
                {"instanceType": "m5.xlarge", "availabilityZone": "us-east-1b", "count": 2},
                {"instanceType": "m5.xlarge", "availabilityZone": "us-east-1c", "count": 1}],
            "taskDefinitions": [{"family": "web", "networkMode": "bridge", "requiresCompatibilities": ["EC2"],
                "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "cpu": 64, "memory": 128,
                    "portMappings": [{"containerPort": 80, "hostPort": 0}]}]}],
            "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 60,
                          "placementStrategy": [{"type": "random"}]}],
        });
        let Ok(sim) = crate::load(&doc.to_string(), None) else { panic!("the scenario loads") };
        sim
    }

    /// The grouped choice (many stops at once) picks exactly what the walk per pick picks, in the
    /// same order, for few and many picks, with tasks still starting and all running.
    #[test]
    fn grouped_choice_of_tasks_to_stop_matches_the_walk_per_pick() {
        let mut sim = uneven_cluster();
        for until in [2 * SECOND, 300 * SECOND] {
            sim.run_until(until);
            let candidates: Vec<TaskId> = (0..sim.state.tasks.len())
                .map(|i| TaskId(i as u32))
                .filter(|id| sim.state.tasks[id.idx()].is_live())
                .collect();
            assert_eq!(candidates.len(), 60, "at {until}: live tasks");
            let starting = candidates.iter().filter(|id| sim.state.tasks[id.idx()].last_status != TaskStatus::Running);
            assert_eq!(starting.count() > 0, until < 10 * SECOND, "at {until}: tasks still starting");
            for count in [1, 7, 33, 45, 59, 60, 75] {
                let grouped = sim.choose_tasks_to_stop_grouped(&candidates, count);
                let bucketed = sim.choose_tasks_to_stop_linear(&candidates, count);
                let walk = sim.choose_tasks_to_stop_walk(&candidates, count);
                assert_eq!(walk.len(), (count as usize).min(60));
                assert_eq!(grouped, walk, "at {until}, {count} to stop");
                assert_eq!(bucketed, walk, "at {until}, {count} to stop (bucketed)");
            }
        }
    }
}
