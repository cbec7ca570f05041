//! The simulation: state, the event queue and the loop that advances simulated time.
//!
//! Everything that happens is an event popped from the queue in (time, sequence) order; handlers
//! change state, append log lines and schedule further events. Nothing reads a wall clock and the
//! only randomness is `rng`, so a scenario and a seed always produce the same log.

pub mod account;
mod account_view;
mod alb;
pub mod awslogs;
mod blue_green;
mod capacity;
mod code_deploy;
mod commands;
pub mod compare_view;
pub mod cost_view;
mod daemon;
mod deploy_alarms;
mod deployment;
mod event_rules;
pub mod express;
pub mod health;
mod health_index;
pub mod history_view;
mod images;
mod lifecycle;
pub mod lifecycle_hooks;
mod live_config;
mod load;
mod metrics;
mod output;
pub mod queue;
pub mod queues;
mod replacement;
mod scaling;
mod scheduler;
pub mod secrets;
pub mod service_deployments;
mod spot;
pub mod timings;
pub mod traffic;
mod ui_actions;
pub mod vpc;

use crate::error::ApiResult;
use crate::log::EventLog;
use crate::model::*;
use crate::network::Subnet;
use crate::rng::SimRng;
use crate::scenario::{Scenario, TimelineEntry};
use crate::time::SimTime;
pub use account_view::IamView;
pub use blue_green::{RuleView, TrafficView, TRAFFIC_SHIFT};
pub use deployment::{circuit_breaker_threshold, maximum_tasks, minimum_healthy_tasks};
use queue::{Event, EventQueue};
pub use timings::Timings;

pub use crate::aws::ACCOUNT_ID;

/// Everything the cluster is, at one moment.
#[derive(Debug, Clone)]
pub struct State {
    pub cluster_name: String,
    pub cluster_arn: String,
    pub region: String,
    pub azs: Vec<AvailabilityZone>,
    pub subnets: Vec<Subnet>,
    pub instances: Vec<ContainerInstance>,
    /// Per instance: the last dynamically assigned host port (the agent continues after it).
    pub port_cursors: Vec<u16>,
    pub dynamic_port_range: (u16, u16),
    pub task_defs: TaskDefRegistry,
    pub tasks: Vec<Task>,
    pub services: Vec<Service>,
    /// Elastic Load Balancing: target groups with their targets and health checks, and the ALB
    /// listener rules (scenario `listenerRules`) with their live weights (src/load_balancing.rs).
    pub elb: crate::load_balancing::LoadBalancing,
    /// Auto Scaling groups, capacity providers and the cluster's capacity provider settings.
    pub capacity: crate::capacity::config::CapacityConfig,
    /// Live tasks per service and task-group counts per instance and AZ, kept in step with
    /// `tasks` (src/index.rs).
    pub(crate) index: crate::index::TaskIndex,
    /// Instances' attribute values, interned for spread (src/index.rs).
    pub(crate) attribute_index: crate::index::AttributeIndex,
    /// ACTIVE instances by remaining CPU and by remaining memory, for binpack (src/index/free.rs).
    pub(crate) free_index: crate::index::FreeIndex,
}

impl State {
    pub fn az_available(&self) -> Vec<bool> {
        self.azs.iter().map(|a| a.available).collect()
    }
    /// What placement reads of the cluster (`az_available` from `az_available()`, kept by the
    /// caller because the view borrows it).
    pub fn placement_view<'a>(&'a self, az_available: &'a [bool]) -> crate::placement::ClusterView<'a> {
        crate::placement::ClusterView {
            instances: &self.instances,
            tasks: &self.tasks,
            port_cursors: &self.port_cursors,
            dynamic_port_range: self.dynamic_port_range,
            az_available,
            index: &self.index,
            attributes: &self.attribute_index,
            free: &self.free_index,
        }
    }
    /// Instance `i` was registered, or its reserved CPU or memory or its status changed: keep the
    /// binpack index in step (src/index/free.rs).
    pub(crate) fn instance_changed(&mut self, i: InstanceId) {
        if let Some(inst) = self.instances.get(i.idx()) {
            let zone = self.zone_value(i.idx());
            self.free_index.instance_changed(i.idx(), inst, zone);
        }
    }
    /// Instance `i`'s value number of `ecs.availability-zone` in the attribute index (0: none).
    fn zone_value(&self, i: usize) -> u32 {
        self.attribute_index.field(crate::index::free::ZONE_ATTRIBUTE).map_or(0, |f| f.of(i))
    }
    pub fn service_by_name(&self, name: &str) -> Option<ServiceId> {
        let name = name.rsplit('/').next().unwrap_or(name);
        self.services.iter().position(|s| s.service_name == name).map(|i| ServiceId(i as u32))
    }
    pub fn task_by_ref(&self, r: &str) -> Option<TaskId> {
        let id = r.rsplit('/').next().unwrap_or(r);
        self.tasks
            .iter()
            .position(|t| t.task_id == id || t.task_id.starts_with(id) && id.len() >= 8)
            .map(|i| TaskId(i as u32))
    }
    pub fn instance_by_ref(&self, r: &str) -> Option<InstanceId> {
        let id = r.rsplit('/').next().unwrap_or(r);
        self.instances
            .iter()
            .position(|i| i.ec2_instance_id == id || i.container_instance_arn.ends_with(id))
            .map(|i| InstanceId(i as u32))
    }
    /// Live tasks of a service (not yet STOPPED).
    pub fn service_tasks(&self, s: ServiceId) -> impl Iterator<Item = (TaskId, &Task)> {
        self.index.service_live(s).iter().map(move |id| (*id, &self.tasks[id.idx()]))
    }
    /// Push a new task onto the arena and index it.
    pub(crate) fn push_task(&mut self, t: Task) -> TaskId {
        let id = TaskId(self.tasks.len() as u32);
        self.index.task_added(id, &t);
        self.tasks.push(t);
        id
    }
    /// Change a task through `f`, keeping the indexes in step.
    pub(crate) fn update_task<R>(&mut self, id: TaskId, f: impl FnOnce(&mut Task) -> R) -> Option<R> {
        let t = self.tasks.get_mut(id.idx())?;
        let before = crate::index::TaskKey::of(t);
        let r = f(t);
        let after = crate::index::TaskKey::of(t);
        self.index.task_changed(id, before, after);
        Some(r)
    }
    pub fn running_count(&self, s: ServiceId) -> u32 {
        self.service_tasks(s).filter(|(_, t)| t.last_status == TaskStatus::Running).count() as u32
    }
    pub fn pending_count(&self, s: ServiceId) -> u32 {
        self.service_tasks(s).filter(|(_, t)| t.last_status.is_pending()).count() as u32
    }
}

/// A running simulation of one scenario.
#[derive(Debug, Clone)]
pub struct Simulation {
    now: SimTime,
    queue: EventQueue,
    rng: SimRng,
    log: EventLog,
    state: State,
    timings: Timings,
    timeline: Vec<TimelineEntry>,
    scenario: Scenario,
    /// Application Auto Scaling: scalable targets, policies, alarms and scheduled actions.
    autoscaler: crate::autoscaling::AutoScaler,
    /// Per service: a Reconcile event is already queued.
    reconcile_queued: Vec<bool>,
    /// Per service: its live tasks' health as the scheduler reads it (sim/health_index.rs).
    health_index: health_index::HealthIndex,
    /// Events processed so far (a cost measure for benchmarks).
    events_processed: u64,
    /// Capacity providers at run time: tasks waiting in PROVISIONING for an Auto Scaling group
    /// provider's instances, managed scaling alarms (sim/capacity.rs).
    providers: capacity::ProviderRuntime,
    /// EventBridge rules with ECS targets, and buckets that send events to EventBridge.
    event_rules: crate::events::rules::EventRules,
    /// SQS queues with their worker services.
    queues: Vec<queues::Queue>,
    /// ECR repositories, IAM roles, app calls and prices (sim/account.rs).
    account: account::Account,
    /// Express Mode services and the resources each call created (sim/express.rs).
    express: Vec<express::ExpressService>,
    /// The scenario's CloudWatch metric alarms (`metricAlarms`), for deployment alarms.
    metric_alarms: Vec<deploy_alarms::MetricAlarm>,
    /// Lifecycle hook functions (hookTargetArn) whose next invocation returns FAILED
    /// (`FailNextLifecycleHook`).
    hooks_to_fail: Vec<String>,
    /// The datapoints of the minute that just ended (namespace, metric, dimensions, value).
    minute_datapoints: Vec<(String, String, serde_json::Value, f64)>,
    /// CloudWatch Logs streams of containers with the awslogs driver (sim/awslogs.rs).
    logs: awslogs::TaskLogs,
    /// The scenario's `vpc` section with the timeline's EC2 changes (sim/vpc.rs); None without it.
    vpc: Option<Box<vpc::VpcRuntime>>,
}

impl Simulation {
    /// Load a scenario with its own seed.
    pub fn new(scenario: Scenario) -> ApiResult<Self> {
        let seed = scenario.seed;
        Self::with_seed(scenario, seed)
    }

    /// Load a scenario, overriding its seed.
    pub fn with_seed(scenario: Scenario, seed: u64) -> ApiResult<Self> {
        load::build(scenario, seed)
    }

    pub fn now(&self) -> SimTime {
        self.now
    }
    pub fn state(&self) -> &State {
        &self.state
    }
    pub fn log(&self) -> &EventLog {
        &self.log
    }
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    pub fn timings(&self) -> &Timings {
        &self.timings
    }
    /// Every CloudWatch alarm of the run with its state now: Application Auto Scaling's, then the
    /// capacity providers' managed scaling alarms.
    pub fn all_alarm_states(&self) -> Vec<(String, &'static str)> {
        let mut out = self.autoscaler.all_alarm_states();
        out.extend(self.providers.alarm_states());
        for a in &self.metric_alarms {
            out.push((a.alarm.spec.name.clone(), a.alarm.state.as_str()));
        }
        out
    }
    /// Whether the incremental indexes agree with ones rebuilt from the task arena (tests).
    pub fn check_indexes(&self) -> Result<(), String> {
        self.state.index.check(&self.state.tasks)?;
        self.state.free_index.check(&self.state.instances, |i| self.state.zone_value(i))?;
        self.check_health_index()
    }
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }
    /// Keep only about `keep` recent log entries (None: all). `log().len()`, `since` and `digest`
    /// still count from the first entry. For long runs: the CLI streams, the browser shows recent.
    pub fn set_log_retention(&mut self, keep: Option<usize>) {
        self.log.set_retention(keep);
    }
    /// Events waiting in the queue (a measure of pending work for the soak test).
    pub fn queued_events(&self) -> usize {
        self.queue.len()
    }
    /// Time of the next queued event, if any.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.queue.peek_time()
    }

    /// Process every event up to and including `t`, then set the clock to `t`.
    pub fn run_until(&mut self, t: SimTime) {
        while let Some(at) = self.queue.peek_time() {
            if at > t {
                break;
            }
            self.step();
        }
        if t > self.now {
            self.now = t;
        }
    }

    /// Process the next event (and nothing else). Returns false when the queue is empty.
    pub fn step(&mut self) -> bool {
        let Some((at, event)) = self.queue.pop() else { return false };
        self.now = self.now.max(at);
        self.events_processed += 1;
        match event {
            Event::Timeline(i) => self.run_timeline_entry(i as usize),
            Event::TaskAdvance { task, generation } => self.advance_task(task, generation),
            Event::Reconcile(s) => {
                if let Some(q) = self.reconcile_queued.get_mut(s.idx()) {
                    *q = false;
                }
                self.reconcile(s);
            }
            Event::ContainerHealth { task, generation } => self.on_container_health(task, generation),
            Event::ContainerExit { task, container, generation } => self.on_container_exit(task, container, generation),
            Event::TargetGroupHealthCheck(tg) => self.on_target_group_health_check(tg),
            Event::DeregistrationComplete { task } => self.complete_deregistration(task),
            Event::MetricsTick => {
                self.metrics_tick();
                self.queues_tick();
                self.autoscale_tick();
                self.capacity_tick();
                self.deploy_alarms_tick();
                if self.now.is_multiple_of(crate::time::DAY) {
                    self.apply_ecr_lifecycle();
                }
            }
            Event::ScheduledScaling => self.on_scheduled_scaling(),
            Event::InstanceLaunched { group, az } => self.on_instance_launched(group, az),
            Event::SpotReclaim { task } => self.on_spot_reclaim(task),
            Event::RuleSchedule(i) => self.on_rule_schedule(i),
        }
        true
    }

    fn schedule(&mut self, at: SimTime, e: Event) {
        self.queue.push(at.max(self.now), e);
    }

    /// Queue a scheduler pass for a service, unless one is already queued.
    fn request_reconcile(&mut self, s: ServiceId) {
        let delay = crate::time::from_secs_f64(self.timings.scheduler_delay_seconds);
        if let Some(q) = self.reconcile_queued.get_mut(s.idx()) {
            if !*q {
                *q = true;
                let at = self.now + delay;
                self.schedule(at, Event::Reconcile(s));
            }
        }
    }

    /// A random factor in [1 - jitter, 1 + jitter].
    fn jitter(&mut self) -> f64 {
        let j = self.timings.jitter;
        1.0 + j * (2.0 * self.rng.unit() - 1.0)
    }

    /// The state as `describe-*` calls would show it, for the CLI's last line and the UI.
    pub fn snapshot(&self) -> serde_json::Value {
        output::snapshot(self)
    }

    /// [`Simulation::snapshot`] as JSON text: the bytes `snapshot().to_string()` gives, written
    /// without building the live tasks as trees (the CLI's last line at quota scale).
    pub fn snapshot_json(&self) -> String {
        let mut w = Vec::with_capacity(1 << 16);
        output::write_snapshot(self, &mut w);
        // serde_json and write_task_detail write valid UTF-8 only.
        String::from_utf8(w).unwrap_or_default()
    }
}
