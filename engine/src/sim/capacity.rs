//! Capacity providers in the running cluster: which provider a service task uses (strategy base and
//! weight), tasks that wait in PROVISIONING for capacity, and ECS managed scaling of Auto Scaling
//! groups: the `CapacityProviderReservation` metric each minute, its two managed alarms, instances
//! launching and registering, and scale-in with managed termination protection.
//!
//! Rules implemented (besides those quoted in `crate::capacity`):
//! - "If a capacity provider strategy isn't specified, the default capacity provider strategy for
//!   the cluster is used" (CreateService, capacityProviderStrategy) - when no launch type is given.
//! - Tasks of an Auto Scaling group capacity provider that no instance can take stay in
//!   PROVISIONING: "When there isn't enough capacity ... the tasks are placed in the PROVISIONING
//!   state" and are placed when managed scaling has added instances (Developer Guide, cluster auto
//!   scaling; blog "Deep Dive on Amazon ECS Cluster Auto Scaling").
//! - Managed termination protection: "Amazon ECS prevents Amazon EC2 instances that contain tasks and
//!   that are in an Auto Scaling group from being terminated during a scale-in action" (API
//!   Reference, AutoScalingGroupProvider). Only instances without non-daemon tasks are terminated;
//!   without protection the group terminates instances from the Availability Zone with the most
//!   instances (EC2 Auto Scaling default termination policy: "to maintain balance across
//!   Availability Zones"), the oldest first, and their tasks stop.
//! - A new instance boots and its ECS agent registers it (`timings.instanceLaunchSeconds`, a
//!   modelling default); EC2 Auto Scaling launches across the group's zones keeping them balanced.

use super::lifecycle::Host;
use super::queue::Event;
use super::scheduler::HostRequest;
use super::Simulation;
use crate::autoscaling::alarm::{Alarm, AlarmSpec, Comparison, MissingData};
use crate::autoscaling::target_tracking::alarm_name;
use crate::capacity::config::CapacityConfig;
use crate::capacity::managed_scaling::{self as ms, ProvisioningGroup, ReservationInput};
use crate::capacity::strategy;
use crate::error::ApiResult;
use crate::log::kind;
use crate::model::{AzId, DesiredStatus, InstanceId, InstanceStatus, ServiceId, TaskId};
use crate::placement;
use crate::scenario::{CapacityProviderStrategyItem, LaunchType, PlacementStrategy, SchedulingStrategy};
use crate::time::from_secs_f64;
use serde_json::json;
use std::collections::BTreeMap;

/// The two managed alarms of one capacity provider's target tracking policy.
#[derive(Debug, Clone)]
pub struct ManagedAlarms {
    pub high: Alarm,
    pub low: Alarm,
    pub policy_name: String,
}

impl ManagedAlarms {
    pub fn new(group: &str, provider: &str, target: u32) -> Self {
        let policy_name = format!("ECSManagedAutoScalingPolicy-{}", &crate::log::fnv1a64(provider.as_bytes())[..12]);
        let spec = |high: bool| AlarmSpec {
            name: alarm_name(group, &policy_name, high),
            metric_name: "CapacityProviderReservation".into(),
            threshold: target as f64,
            comparison: if high { Comparison::GreaterThanThreshold } else { Comparison::LessThanThreshold },
            evaluation_periods: if high { ms::HIGH_DATAPOINTS } else { ms::LOW_DATAPOINTS },
            datapoints_to_alarm: if high { ms::HIGH_DATAPOINTS } else { ms::LOW_DATAPOINTS },
            missing: MissingData::Missing,
        };
        ManagedAlarms { high: Alarm::new(spec(true)), low: Alarm::new(spec(false)), policy_name }
    }
}

/// Capacity providers' run-time state, owned behind methods: the tasks waiting in PROVISIONING
/// for an Auto Scaling group provider (oldest first), and each provider's managed scaling alarms
/// (None without managed scaling). The providers' configuration is `State::capacity`.
#[derive(Debug, Clone, Default)]
pub(super) struct ProviderRuntime {
    awaiting: Vec<TaskId>,
    alarms: Vec<Option<ManagedAlarms>>,
}

impl ProviderRuntime {
    /// The managed alarms of every provider with managed scaling; no task waits yet.
    pub(super) fn new(cfg: &CapacityConfig) -> Self {
        let alarms = cfg
            .providers
            .iter()
            .map(|p| p.managed_scaling.map(|m| ManagedAlarms::new(&cfg.groups[p.group].name, &p.name, m.target)))
            .collect();
        ProviderRuntime { awaiting: Vec::new(), alarms }
    }
    /// A task went into PROVISIONING without a host: it waits for its provider's capacity.
    pub(super) fn await_capacity(&mut self, task: TaskId) {
        self.awaiting.push(task);
    }
    pub(super) fn anyone_waiting(&self) -> bool {
        !self.awaiting.is_empty()
    }
    /// The waiting tasks, oldest first.
    pub(super) fn waiting(&self) -> &[TaskId] {
        &self.awaiting
    }
    /// Keep the waiting tasks for which `still` holds (placed or stopped ones leave).
    pub(super) fn keep_waiting(&mut self, still: impl FnMut(&TaskId) -> bool) {
        self.awaiting.retain(still);
    }
    /// Provider `p`'s managed scaling alarms, to evaluate.
    pub(super) fn alarms_mut(&mut self, p: usize) -> Option<&mut ManagedAlarms> {
        self.alarms.get_mut(p).and_then(Option::as_mut)
    }
    /// Every managed alarm with its state now (AlarmHigh, then AlarmLow, per provider).
    pub(super) fn alarm_states(&self) -> impl Iterator<Item = (String, &'static str)> + '_ {
        self.alarms.iter().flatten().flat_map(|a| {
            [(a.high.spec.name.clone(), a.high.state.as_str()), (a.low.spec.name.clone(), a.low.state.as_str())]
        })
    }
}

impl Simulation {
    /// The strategy a service's tasks follow: its own, or (without a launch type) the cluster's default.
    pub(super) fn service_strategy(&self, s: ServiceId) -> &[CapacityProviderStrategyItem] {
        let svc = &self.state.services[s.idx()];
        if !svc.spec.capacity_provider_strategy.is_empty() {
            &svc.spec.capacity_provider_strategy
        } else if svc.spec.launch_type.is_none() {
            &self.state.capacity.default_strategy
        } else {
            &[]
        }
    }

    /// The capacity provider the next task of the service uses, by base and weight.
    pub(super) fn next_capacity_provider(&self, s: ServiceId) -> Option<String> {
        let items = self.service_strategy(s);
        if items.is_empty() {
            return None;
        }
        let mut counts = vec![0u32; items.len()];
        for (_, t) in self.state.service_tasks(s) {
            if t.desired_status != DesiredStatus::Running {
                continue;
            }
            if let Some(k) = items.iter().position(|i| Some(&i.capacity_provider) == t.capacity_provider.as_ref()) {
                counts[k] += 1;
            }
        }
        strategy::next_provider(items, &counts).map(|k| items[k].capacity_provider.clone())
    }

    /// A service's strategies (the service default when none), or a RunTask request's.
    fn placement_strategies(&self, s: Option<ServiceId>, given: &[PlacementStrategy]) -> Vec<PlacementStrategy> {
        match s.and_then(|s| self.state.services.get(s.idx())) {
            Some(svc) if svc.spec.placement_strategy.is_empty() => placement::default_service_strategy(),
            Some(svc) => svc.spec.placement_strategy.clone(),
            None => given.to_vec(),
        }
    }

    /// Place tasks waiting in PROVISIONING where their provider now has room, oldest first.
    pub(super) fn place_awaiting_tasks(&mut self) {
        let tasks = &self.state.tasks;
        self.providers.keep_waiting(|t| {
            tasks
                .get(t.idx())
                .is_some_and(|x| x.awaiting_capacity && x.is_live() && x.desired_status == DesiredStatus::Running)
        });
        let waiting = self.providers.waiting().to_vec();
        for id in waiting {
            let t = &self.state.tasks[id.idx()];
            let Some(cp) = t.capacity_provider.clone() else { continue };
            let (td_ref, group, service) = (t.task_def.clone(), t.group.clone(), t.service);
            // Standalone tasks keep no request: they are placed with no strategy (first fit).
            let strategies = self.placement_strategies(service, &[]);
            let constraints = service
                .and_then(|s| self.state.services.get(s.idx()))
                .map(|svc| svc.spec.placement_constraints.clone())
                .unwrap_or_default();
            // The one host choice (sim/scheduler.rs); a waiting task's provider is an Auto
            // Scaling group's, so the answer is an instance or still no room.
            let host = self.choose_host(&HostRequest {
                td_ref: &td_ref,
                group: &group,
                capacity_provider: Some(&cp),
                launch_type: LaunchType::Ec2,
                strategies: &strategies,
                constraints: &constraints,
            });
            if let Ok(Host::Ec2(d)) = host {
                self.place_awaiting_task(id, d);
            }
        }
        let tasks = &self.state.tasks;
        self.providers.keep_waiting(|t| tasks.get(t.idx()).is_some_and(|x| x.awaiting_capacity));
    }

    /// Launch the scenario's Auto Scaling groups' initial DesiredCapacity (already InService at t=0).
    pub(super) fn launch_initial_groups(&mut self) {
        for g in 0..self.state.capacity.groups.len() {
            let n = self.state.capacity.groups[g].desired();
            for _ in 0..n {
                let k = self.group_az_for_launch(g);
                self.register_group_instance(g, k);
            }
        }
    }

    /// The position in the group's zone list with the fewest instances (running and launching).
    fn group_az_for_launch(&self, g: usize) -> usize {
        let grp = &self.state.capacity.groups[g];
        let mut counts = grp.launching().to_vec();
        for inst in &self.state.instances {
            if inst.auto_scaling_group == Some(g as u32) && inst.status != InstanceStatus::Inactive {
                if let Some(k) = grp.azs.iter().position(|a| *a == inst.az.idx()) {
                    counts[k] += 1;
                }
            }
        }
        (0..counts.len()).min_by_key(|&k| (counts[k], k)).unwrap_or(0)
    }

    fn provider_of_group(&self, g: usize) -> Option<String> {
        self.state.capacity.providers.iter().find(|p| p.group == g).map(|p| p.name.clone())
    }

    fn register_group_instance(&mut self, g: usize, k: usize) -> InstanceId {
        let grp = &self.state.capacity.groups[g];
        let spec = grp.instance_type;
        let az = AzId(grp.azs.get(k).copied().unwrap_or(0) as u32);
        let cp = self.provider_of_group(g);
        let id = self.launch_instance(spec, az, &BTreeMap::new(), cp);
        self.state.instances[id.idx()].auto_scaling_group = Some(g as u32);
        id
    }

    /// An instance of group `g` finished booting in zone position `k`: its agent registers it.
    pub(super) fn on_instance_launched(&mut self, g: u32, k: u32) {
        let (g, k) = (g as usize, k as usize);
        let Some(grp) = self.state.capacity.groups.get_mut(g) else { return };
        grp.launch_finished(k);
        let id = self.register_group_instance(g, k);
        let grp = &self.state.capacity.groups[g];
        let inst = &self.state.instances[id.idx()];
        let detail = json!({
            "AutoScalingGroupName": grp.name,
            "EC2InstanceId": inst.ec2_instance_id,
            "StatusCode": "InProgress",
            "Description": format!("Launching a new EC2 instance: {}", inst.ec2_instance_id),
            "Details": {"Availability Zone": inst.availability_zone},
        });
        self.log.push(self.now, kind::ASG_LAUNCH, detail);
        self.place_awaiting_tasks();
    }

    /// An instance of an Auto Scaling group was terminated outside a scale-in (the
    /// `TerminateInstance` fault): the group launches a replacement to keep its desired capacity
    /// ("Amazon EC2 Auto Scaling ... maintains the number of instances in the group": an instance
    /// that is no longer running is replaced; EC2 Auto Scaling User Guide, health checks).
    pub(super) fn replace_group_instance(&mut self, i: InstanceId) {
        let Some(g) = self.state.instances.get(i.idx()).and_then(|x| x.auto_scaling_group) else { return };
        let g = g as usize;
        let Some(grp) = self.state.capacity.groups.get(g) else { return };
        let name = grp.name.clone();
        let desired = grp.desired();
        let k = self.group_az_for_launch(g);
        self.state.capacity.groups[g].launch_started(k);
        let at = self.now + from_secs_f64(self.timings.instance_launch_seconds);
        self.schedule(at, Event::InstanceLaunched { group: g as u32, az: k as u32 });
        let ec2 = self.state.instances[i.idx()].ec2_instance_id.clone();
        let detail = json!({
            "AutoScalingGroupName": name,
            "Description": "Launching a new EC2 instance to replace a terminated instance.",
            "Cause": format!("An instance was taken out of service in response to an EC2 instance status check failure: {ec2} was terminated; launching a replacement to keep the desired capacity of {desired}."),
            "FromDesiredCapacity": desired,
            "ToDesiredCapacity": desired,
            "StatusCode": "Successful",
        });
        self.log.push(self.now, kind::ASG_ACTIVITY, detail);
    }

    /// Set group `g`'s desired capacity: launch or terminate the difference.
    fn set_group_desired(&mut self, g: usize, want: u32, cause: String, protected: bool) {
        let grp = &self.state.capacity.groups[g];
        let want = want.clamp(grp.min, grp.max);
        let from = grp.desired();
        if want == from {
            return;
        }
        let to = if want > from {
            let delay = from_secs_f64(self.timings.instance_launch_seconds);
            for _ in from..want {
                let k = self.group_az_for_launch(g);
                self.state.capacity.groups[g].launch_started(k);
                let at = self.now + delay;
                self.schedule(at, Event::InstanceLaunched { group: g as u32, az: k as u32 });
            }
            want
        } else {
            let victims = self.scale_in_victims(g, from - want, protected);
            for i in &victims {
                self.terminate_instance(*i);
                let inst = &self.state.instances[i.idx()];
                let detail = json!({
                    "AutoScalingGroupName": self.state.capacity.groups[g].name,
                    "EC2InstanceId": inst.ec2_instance_id,
                    "Description": format!("Terminating EC2 instance: {}", inst.ec2_instance_id),
                });
                self.log.push(self.now, kind::ASG_TERMINATE, detail);
            }
            from - victims.len() as u32
        };
        if to == from {
            return;
        }
        self.state.capacity.groups[g].set_desired_capacity(to);
        let name = self.state.capacity.groups[g].name.clone();
        let detail = json!({
            "AutoScalingGroupName": name,
            "Description": format!("Setting desired capacity from {from} to {to}."),
            "Cause": format!("{cause} changing the desired capacity from {from} to {to}."),
            "FromDesiredCapacity": from,
            "ToDesiredCapacity": to,
            "StatusCode": "Successful",
        });
        self.log.push(self.now, kind::ASG_ACTIVITY, detail);
    }

    /// Instances to terminate on scale-in. With managed termination protection only instances
    /// without non-daemon tasks; otherwise any, from the zone with the most instances, oldest first.
    fn scale_in_victims(&self, g: usize, count: u32, protected: bool) -> Vec<InstanceId> {
        let mut per_az: BTreeMap<usize, u32> = BTreeMap::new();
        let mut pool: Vec<InstanceId> = Vec::new();
        for (i, inst) in self.state.instances.iter().enumerate() {
            if inst.auto_scaling_group != Some(g as u32) || inst.status == InstanceStatus::Inactive {
                continue;
            }
            *per_az.entry(inst.az.idx()).or_default() += 1;
            if !protected || !self.instance_has_tasks(InstanceId(i as u32)) {
                pool.push(InstanceId(i as u32));
            }
        }
        let mut chosen = Vec::new();
        for _ in 0..count {
            let Some(pos) = (0..pool.len()).max_by_key(|&k| {
                let inst = &self.state.instances[pool[k].idx()];
                (per_az.get(&inst.az.idx()).copied().unwrap_or(0), std::cmp::Reverse((inst.registered_at, pool[k].0)))
            }) else {
                break;
            };
            let id = pool.swap_remove(pos);
            if let Some(c) = per_az.get_mut(&self.state.instances[id.idx()].az.idx()) {
                *c -= 1;
            }
            chosen.push(id);
        }
        chosen
    }

    /// Whether the instance runs (or is starting) a task that is not a daemon task.
    fn instance_has_tasks(&self, i: InstanceId) -> bool {
        self.state.instances[i.idx()].tasks.iter().any(|t| {
            let task = &self.state.tasks[t.idx()];
            let daemon = task.service.is_some_and(|s| {
                self.state.services[s.idx()].spec.scheduling_strategy == Some(SchedulingStrategy::Daemon)
            });
            task.is_live() && !daemon
        })
    }

    /// M and N of a provider's reservation metric, from the cluster as it is now.
    pub fn reservation_input(&self, p: usize) -> Option<ReservationInput> {
        let cfg = &self.state.capacity;
        let prov = cfg.providers.get(p)?;
        let m = prov.managed_scaling?;
        let grp = cfg.groups.get(prov.group)?;
        let mut n = 0;
        let mut with_tasks = 0;
        for (i, inst) in self.state.instances.iter().enumerate() {
            if inst.auto_scaling_group == Some(prov.group as u32) && inst.status != InstanceStatus::Inactive {
                n += 1;
                if self.instance_has_tasks(InstanceId(i as u32)) {
                    with_tasks += 1;
                }
            }
        }
        let mut groups: Vec<ProvisioningGroup> = Vec::new();
        for t in self.providers.waiting() {
            let task = &self.state.tasks[t.idx()];
            if !task.awaiting_capacity || task.capacity_provider.as_deref() != Some(prov.name.as_str()) {
                continue;
            }
            match groups.iter_mut().find(|g| g.cpu == task.cpu && g.memory == task.memory) {
                Some(g) => g.count += 1,
                None => groups.push(ProvisioningGroup { cpu: task.cpu, memory: task.memory, count: 1 }),
            }
        }
        Some(ReservationInput {
            running_instances: n,
            instances_with_tasks: with_tasks,
            provisioning: groups,
            instance_cpu: grp.instance_type.registered_cpu(),
            instance_memory: grp.instance_type.registered_memory_mib(),
            min_step: m.min_step,
            max_step: m.max_step,
        })
    }

    /// Once a minute: publish each managed provider's CapacityProviderReservation, evaluate its
    /// alarms and let the target tracking policy set the group's desired capacity.
    pub(super) fn capacity_tick(&mut self) {
        for p in 0..self.state.capacity.providers.len() {
            let Some(input) = self.reservation_input(p) else { continue };
            let Some(m) = self.state.capacity.providers[p].managed_scaling else { continue };
            let needed = ms::instances_needed(&input);
            let n = input.running_instances;
            let cpr = ms::reservation(needed, n);
            let name = self.state.capacity.providers[p].name.clone();
            let protected = self.state.capacity.providers[p].termination_protection;
            let group = self.state.capacity.providers[p].group;
            self.log.push(
                self.now,
                kind::METRIC,
                json!({
                    "namespace": "AWS/ECS/ManagedScaling",
                    "metricName": "CapacityProviderReservation",
                    "dimensions": {"CapacityProviderName": name, "ClusterName": self.state.cluster_name},
                    "value": (cpr * 100.0).round() / 100.0,
                    "unit": "Percent",
                    "period": 60,
                }),
            );
            let start = self.autoscaler.start();
            let Some(alarms) = self.providers.alarms_mut(p) else { continue };
            let mut lines = Vec::new();
            for a in [&mut alarms.high, &mut alarms.low] {
                if let Some(tr) = a.observe(self.now, Some(cpr), start) {
                    lines.push(json!({
                        "alarmName": a.spec.name,
                        "resourceId": format!("autoScalingGroupName/{}", self.state.capacity.groups[group].name),
                        "state": {"value": tr.new.as_str(), "reason": tr.reason, "timestamp": start.iso(self.now)},
                        "previousState": {"value": tr.old.as_str()},
                        "configuration": {"condition": a.condition()},
                    }));
                }
            }
            let high = alarms.high.state == crate::autoscaling::AlarmState::Alarm;
            let low = alarms.low.state == crate::autoscaling::AlarmState::Alarm;
            let (high_name, low_name, policy) =
                (alarms.high.spec.name.clone(), alarms.low.spec.name.clone(), alarms.policy_name.clone());
            for l in lines {
                self.log.push(self.now, kind::ALARM_STATE_CHANGE, l);
            }
            let want = ms::tracked_capacity(n, cpr, m.target);
            let desired = self.state.capacity.groups[group].desired();
            let stamp = start.iso(self.now);
            // Scale out when AlarmHigh is in ALARM: the launching instances already count in the
            // desired capacity, so a scale-out only adds what the new figure exceeds it by.
            if high && want > desired {
                let cause = format!("At {stamp} a monitor alarm {high_name} in state ALARM triggered policy {policy}");
                self.set_group_desired(group, want, cause, protected);
            } else if low && want < desired && self.state.capacity.groups[group].none_launching() {
                let cause = format!("At {stamp} a monitor alarm {low_name} in state ALARM triggered policy {policy}");
                self.set_group_desired(group, want, cause, protected);
            }
        }
    }

    /// Validate a service's strategy against the cluster's capacity providers (CreateService).
    pub(super) fn check_service_strategy(&self, items: &[CapacityProviderStrategyItem]) -> ApiResult<()> {
        strategy::validate(items, &self.state.capacity.associated, "capacityProviderStrategy")
    }
}
