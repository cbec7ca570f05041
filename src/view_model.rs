//! Plain data the components draw, derived from engine state. This is a projection of
//! `ecs_sim::sim::State` (and of `describe-services` output): no rule of ECS is decided here.
//!
//! For speed with thousands of tasks, every task, instance and target group has its own signal,
//! and `Ui::sync` only sets the signals whose data changed; lists hold keys, so keyed `<For>`
//! keeps elements (and their CSS transitions) alive across frames.

use ecs_sim::aggregate_view::ClusterAggregateView;
use ecs_sim::model::{
    DeploymentStatus, HealthStatus, InstanceStatus, RolloutState, ServiceId, TargetHealthState, TaskId, TaskStatus,
};
use ecs_sim::scenario::LaunchType;
use ecs_sim::sim::TrafficView;
use ecs_sim::Simulation;
use leptos::prelude::*;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Default)]
pub struct AzVm {
    pub name: String,
    pub available: bool,
    pub subnet_id: String,
    pub subnet_cidr: String,
    /// Keys (EC2 instance ids) of the instances drawn in this AZ.
    pub instances: Vec<String>,
    /// Keys of Fargate tasks, which live in the subnet, not on an instance.
    pub fargate_tasks: Vec<String>,
}

impl AzVm {
    /// The AZ and its subnet, with no instance or task drawn in it (yet).
    fn without_members(a: &ecs_sim::model::AvailabilityZone) -> Self {
        AzVm {
            name: a.name.clone(),
            available: a.available,
            subnet_id: a.subnet_id.clone(),
            subnet_cidr: a.subnet_cidr.clone(),
            instances: Vec::new(),
            fargate_tasks: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct InstanceVm {
    pub id: String,
    pub instance_type: String,
    pub status: InstanceStatus,
    pub private_ip: String,
    pub cpu_used: u32,
    pub cpu_total: u32,
    pub mem_used: u32,
    pub mem_total: u32,
    pub host_ports: Vec<u16>,
    /// Keys (task ids) of the tasks holding resources on the instance.
    pub tasks: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TaskVm {
    pub key: String,
    pub short_id: String,
    pub family_revision: String,
    pub revision: u32,
    /// The colour slot of its family and revision (see `colour_slot`).
    pub colour: usize,
    pub status: TaskStatus,
    pub desired: ecs_sim::model::DesiredStatus,
    /// Host port -> container port (bridge/host mode) or the private IP (awsvpc).
    pub where_: String,
    /// "healthy", "unhealthy", "draining", "initial"... from the load balancer, or the container
    /// health check when the task is in no target group.
    pub health: Option<TargetHealthState>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DeploymentVm {
    pub id: String,
    pub status: DeploymentStatus,
    pub task_definition: String,
    pub revision: u32,
    /// The colour slot of its family and revision (see `colour_slot`).
    pub colour: usize,
    pub desired: u32,
    pub running: u32,
    pub pending: u32,
    pub failed: u32,
    pub rollout_state: RolloutState,
    pub rollout_reason: String,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct ServiceVm {
    pub name: String,
    pub launch_type: &'static str,
    pub task_definition: String,
    pub desired: u32,
    pub running: u32,
    pub pending: u32,
    pub minimum_healthy_percent: u32,
    pub maximum_percent: u32,
    /// The engine's own arithmetic for the band: ceil(desired x min%) and floor(desired x max%).
    pub minimum_healthy_tasks: u32,
    pub maximum_tasks: u32,
    pub circuit_breaker: Option<(bool, bool)>,
    pub deployments: Vec<DeploymentVm>,
    /// Newest first: (simulated seconds, message).
    pub events: Vec<(f64, String)>,
    /// The deployment strategy in force (`ROLLING`, `BLUE_GREEN`, `LINEAR`, `CANARY`) and the
    /// engine's checked parameters: bakeTimeInMinutes, and for CANARY / LINEAR the first production
    /// shift (percent) and the minutes waited after it.
    pub strategy: ecs_sim::deploy_strategy::Strategy,
    pub bake_minutes: u32,
    pub first_step: Option<(f64, u32)>,
    /// Why the engine would refuse a BLUE_GREEN (LINEAR, CANARY) strategy on this service as it is
    /// (the API's rule, from `deploy_strategy::parse`), or None when it would accept one.
    pub strategy_refusal: Option<String>,
    /// A blue/green, linear or canary deployment is shifting traffic now.
    pub shifting: bool,
    /// The functions of the service's `lifecycleHooks` (hookTargetArn), for Fail next hook.
    pub hook_targets: Vec<String>,
    /// The alarms `deploymentConfiguration.alarms` names, for Set alarm to ALARM.
    pub alarm_names: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TargetVm {
    pub key: String,
    /// What the target group registers: `i-0abc:32768` or `10.0.1.23:80`.
    pub label: String,
    pub state: TargetHealthState,
    pub reason: Option<String>,
    /// Key of the task behind the target (for the line's end point).
    pub task_key: String,
    pub requests_this_minute: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TargetGroupVm {
    pub name: String,
    pub target_type: String,
    pub protocol: String,
    pub port: u16,
    pub health_check_path: String,
    /// A Network Load Balancer target group (TCP, TLS, UDP, TCP_UDP).
    pub nlb: bool,
    pub targets: Vec<TargetVm>,
}

impl TargetGroupVm {
    /// The key the ALB list keys this group's box by: its name and, per target, everything the
    /// box shows of it (so the box is rebuilt when any target changes), spelled field by field.
    pub fn list_key(&self) -> String {
        let mut k = self.name.clone();
        for t in &self.targets {
            k.push_str(&format!(
                "|{}|{}|{}|{}|{}|{}",
                t.key,
                t.label,
                t.state.as_str(),
                t.reason.as_deref().unwrap_or(""),
                t.task_key,
                t.requests_this_minute
            ));
        }
        k
    }
}

/// One point of the charts (simulated seconds, counts of the first service).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub t: f64,
    pub desired: u32,
    pub running: u32,
    pub pending: u32,
}

/// Every signal the view draws from. `Copy`: arena signals and stored maps.
#[derive(Clone, Copy)]
pub struct Ui {
    pub cluster_name: RwSignal<String>,
    pub region: RwSignal<String>,
    pub azs: RwSignal<Vec<AzVm>>,
    pub services: RwSignal<Vec<ServiceVm>>,
    pub target_groups: RwSignal<Vec<TargetGroupVm>>,
    pub instances: StoredValue<HashMap<String, ArcRwSignal<InstanceVm>>>,
    pub tasks: StoredValue<HashMap<String, ArcRwSignal<TaskVm>>>,
    pub samples: RwSignal<Vec<Sample>>,
    /// Live task chips drawn (for the benchmark and status line).
    pub task_count: RwSignal<usize>,
    /// CloudWatch datapoints and alarm changes read from the engine's log ("Metric" and
    /// AlarmStateChange trace lines), and how far the log has been read.
    pub metrics: RwSignal<MetricsVm>,
    metrics_read: StoredValue<usize>,
    /// Blue/green, linear and canary deployments: the listener rules' live weights per target
    /// group, the lifecycle stage and the time left in the current wait (`Simulation::traffic_view`).
    pub traffic: RwSignal<Vec<TrafficView>>,
    /// At quota scale (`Simulation::aggregate_picture`) the cluster aggregated per AZ and instance
    /// group, and no per-task or per-instance signals (the map draws this instead); else None.
    pub aggregate: RwSignal<Option<ClusterAggregateView>>,
}

/// Series read from the engine's log: (simulated seconds, value).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct MetricsVm {
    /// AWS/ECS CPUUtilization of the first service (percent).
    pub cpu: Vec<(f64, f64)>,
    /// AWS/ApplicationELB RequestCount per minute, shown as requests per second.
    pub rps: Vec<(f64, f64)>,
    /// (simulated seconds, alarm name, new state), newest last.
    pub alarms: Vec<(f64, String, ecs_sim::autoscaling::AlarmState)>,
    /// Application Auto Scaling activities: (simulated seconds, Description, from and to desired
    /// count when the activity changed it), newest last.
    pub scaling: Vec<ScalingLine>,
}

/// One Application Auto Scaling activity: (simulated seconds, Description, the desired count
/// change `(from, to)` when it has one).
pub type ScalingLine = (f64, String, Option<(u64, u64)>);

/// The engine's answer to "could this service use BLUE_GREEN?": its load balancers'
/// advancedConfiguration and its deployment controller decide (the API's rules, not the app's).
fn strategy_refusal(spec: &ecs_sim::scenario::CreateService) -> Option<String> {
    let controller = spec.deployment_controller.as_ref().and_then(|c| c.get("type")).and_then(|v| v.as_str());
    let dc = ecs_sim::scenario::DeploymentConfiguration {
        strategy: Some("BLUE_GREEN".into()),
        bake_time_in_minutes: Some(0),
        ..Default::default()
    };
    ecs_sim::deploy_strategy::parse(Some(&dc), &spec.load_balancers, controller)
        .err()
        .map(|e| format!("{}: {}", e.field, e.message))
}

fn set_if_changed<T: PartialEq + Send + Sync + 'static>(s: RwSignal<T>, v: T) {
    if s.with_untracked(|cur| *cur != v) {
        s.set(v);
    }
}

/// Update keyed per-entity signals: set changed ones, create new ones, drop vanished ones.
fn sync_map<T: PartialEq + Clone + Send + Sync + 'static>(
    map: StoredValue<HashMap<String, ArcRwSignal<T>>>,
    items: Vec<(String, T)>,
) {
    map.update_value(|m| {
        let mut seen = std::collections::HashSet::with_capacity(items.len());
        for (k, v) in items {
            match m.get(&k) {
                Some(sig) => {
                    if sig.with_untracked(|cur| *cur != v) {
                        sig.set(v);
                    }
                }
                None => {
                    m.insert(k.clone(), ArcRwSignal::new(v));
                }
            }
            seen.insert(k);
        }
        m.retain(|k, _| seen.contains(k));
    });
}

impl Ui {
    pub fn new() -> Self {
        Ui {
            cluster_name: RwSignal::new(String::new()),
            region: RwSignal::new(String::new()),
            azs: RwSignal::new(Vec::new()),
            services: RwSignal::new(Vec::new()),
            target_groups: RwSignal::new(Vec::new()),
            instances: StoredValue::new(HashMap::new()),
            tasks: StoredValue::new(HashMap::new()),
            samples: RwSignal::new(Vec::new()),
            task_count: RwSignal::new(0),
            metrics: RwSignal::new(MetricsVm::default()),
            metrics_read: StoredValue::new(0),
            traffic: RwSignal::new(Vec::new()),
            aggregate: RwSignal::new(None),
        }
    }

    pub fn task(&self, key: &str) -> Option<ArcRwSignal<TaskVm>> {
        self.tasks.with_value(|m| m.get(key).cloned())
    }
    pub fn instance(&self, key: &str) -> Option<ArcRwSignal<InstanceVm>> {
        self.instances.with_value(|m| m.get(key).cloned())
    }

    /// Project the engine's state onto the signals (only changed ones are set).
    pub fn sync(&self, sim: &Simulation) {
        let st = sim.state();
        set_if_changed(self.cluster_name, st.cluster_name.clone());
        set_if_changed(self.region, st.region.clone());

        if sim.aggregate_picture() {
            // Quota scale: one aggregate instead of thousands of per-entity signals (O(instances
            // + tasks) arithmetic in the engine, a few dozen elements drawn).
            let agg = sim.cluster_aggregate();
            set_if_changed(self.task_count, agg.tasks().total() as usize);
            sync_map(self.tasks, Vec::new());
            sync_map(self.instances, Vec::new());
            let azs: Vec<AzVm> = st.azs.iter().map(AzVm::without_members).collect();
            set_if_changed(self.azs, azs);
            set_if_changed(self.aggregate, Some(agg));
        } else {
            set_if_changed(self.aggregate, None);
            self.sync_entities(sim);
        }

        // Services, from describe-services (the engine's counts per deployment).
        let services: Vec<ServiceVm> = st
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let deployments = sim
                    .deployment_views(ServiceId(i as u32))
                    .into_iter()
                    .map(|d| DeploymentVm {
                        id: d.id,
                        status: d.status,
                        task_definition: format!("{}:{}", d.task_definition.family, d.task_definition.revision),
                        revision: d.task_definition.revision,
                        colour: colour_slot(&st.task_defs, &d.task_definition),
                        desired: d.desired,
                        running: d.running,
                        pending: d.pending,
                        failed: d.failed,
                        rollout_state: d.rollout_state,
                        rollout_reason: d.rollout_state_reason,
                    })
                    .collect();
                let primary = s.deployments.primary();
                ServiceVm {
                    name: s.service_name.clone(),
                    launch_type: match s.launch_type {
                        LaunchType::Fargate => "FARGATE",
                        LaunchType::External => "EXTERNAL",
                        _ => "EC2",
                    },
                    task_definition: primary
                        .map(|p| format!("{}:{}", p.task_def.family, p.task_def.revision))
                        .unwrap_or_default(),
                    desired: s.desired_count,
                    running: st.running_count(ServiceId(i as u32)),
                    pending: st.pending_count(ServiceId(i as u32)),
                    minimum_healthy_percent: s.minimum_healthy_percent,
                    maximum_percent: s.maximum_percent,
                    minimum_healthy_tasks: ecs_sim::sim::minimum_healthy_tasks(
                        s.desired_count,
                        s.minimum_healthy_percent,
                    ),
                    maximum_tasks: ecs_sim::sim::maximum_tasks(s.desired_count, s.maximum_percent),
                    circuit_breaker: s
                        .spec
                        .deployment_configuration
                        .as_ref()
                        .and_then(|c| c.deployment_circuit_breaker.as_ref())
                        .map(|c| (c.enable, c.rollback)),
                    deployments,
                    events: s
                        .events
                        .iter()
                        .take(40)
                        .map(|e| (e.created_at as f64 / 1000.0, e.message.clone()))
                        .collect(),
                    strategy: s.strategy.strategy,
                    bake_minutes: s.strategy.bake_minutes,
                    first_step: s.strategy.steps.first().map(|(p, b)| (f64::from(*p) / 10.0, *b)),
                    strategy_refusal: strategy_refusal(&s.spec),
                    shifting: s
                        .deployments
                        .iter()
                        .any(|d| d.rollout_state == RolloutState::InProgress && d.traffic_shift.is_some()),
                    hook_targets: {
                        let mut t: Vec<String> = s.strategy.hooks.iter().map(|h| h.target.clone()).collect();
                        t.dedup();
                        t
                    },
                    alarm_names: s.strategy.alarms.as_ref().map(|a| a.alarm_names.clone()).unwrap_or_default(),
                }
            })
            .collect();
        if let Some(s) = services.first() {
            let sample =
                Sample { t: sim.now() as f64 / 1000.0, desired: s.desired, running: s.running, pending: s.pending };
            self.samples.update(|v| push_sample(v, sample));
        }
        set_if_changed(self.services, services);

        // Target groups and their registered targets.
        let tgs: Vec<TargetGroupVm> = st
            .elb
            .target_groups()
            .iter()
            .map(|tg| TargetGroupVm {
                name: tg.name.clone(),
                target_type: tg.target_type.clone(),
                protocol: tg.protocol.clone(),
                port: tg.port,
                // A TCP health check has no path: the list says "TCP" (crate::nlb).
                health_check_path: if tg.tcp_health_check() {
                    tg.health_check_protocol.clone()
                } else {
                    tg.health_check_path.clone()
                },
                nlb: tg.is_nlb(),
                targets: tg
                    .targets
                    .iter()
                    .map(|t| TargetVm {
                        key: format!("{}|{}:{}", tg.name, t.id, t.port),
                        label: format!("{}:{}", t.id, t.port),
                        state: t.state,
                        reason: t.reason.clone(),
                        task_key: st.tasks.get(t.task.idx()).map(|x| x.task_id.clone()).unwrap_or_default(),
                        requests_this_minute: t.requests_this_minute,
                    })
                    .collect(),
            })
            .collect();
        set_if_changed(self.target_groups, tgs);
        set_if_changed(self.traffic, sim.traffic_view());
        self.read_metrics(sim);
    }

    /// Per-task and per-instance signals and the AZs' keyed lists (the detailed picture).
    fn sync_entities(&self, sim: &Simulation) {
        let st = sim.state();
        // Target health per task (worst first: draining, unhealthy, initial, healthy).
        let mut target_health: HashMap<TaskId, TargetHealthState> = HashMap::new();
        for tg in st.elb.target_groups() {
            for t in &tg.targets {
                let rank = |h: TargetHealthState| match h {
                    TargetHealthState::Draining => 0,
                    TargetHealthState::Unhealthy => 1,
                    TargetHealthState::Initial => 2,
                    TargetHealthState::Unused => 3,
                    TargetHealthState::Healthy => 4,
                };
                let e = target_health.entry(t.task).or_insert(t.state);
                if rank(t.state) < rank(*e) {
                    *e = t.state;
                }
            }
        }

        // Tasks: every live task (instance-hosted or Fargate).
        let mut tasks = Vec::new();
        for (i, t) in st.tasks.iter().enumerate() {
            if !t.is_live() {
                continue;
            }
            let where_ = match &t.private_ip {
                Some(ip) => ip.clone(),
                None => t
                    .bindings
                    .iter()
                    .map(|b| format!("{}→{}", b.host_port, b.container_port))
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            let health = match target_health.get(&TaskId(i as u32)) {
                Some(h) => Some(*h),
                None => match t.health_status {
                    HealthStatus::Unhealthy => Some(TargetHealthState::Unhealthy),
                    HealthStatus::Healthy => Some(TargetHealthState::Healthy),
                    HealthStatus::Unknown => None,
                },
            };
            tasks.push((
                t.task_id.clone(),
                TaskVm {
                    key: t.task_id.clone(),
                    short_id: t.task_id.chars().take(8).collect(),
                    family_revision: format!("{}:{}", t.task_def.family, t.task_def.revision),
                    revision: t.task_def.revision,
                    colour: colour_slot(&st.task_defs, &t.task_def),
                    status: t.last_status,
                    desired: t.desired_status,
                    where_,
                    health,
                },
            ));
        }
        let task_count = tasks.len();
        sync_map(self.tasks, tasks);

        // Instances and AZs.
        let mut azs: Vec<AzVm> = st.azs.iter().map(AzVm::without_members).collect();
        let mut instances = Vec::new();
        for inst in &st.instances {
            if inst.status == InstanceStatus::Inactive {
                continue;
            }
            let Some(az) = azs.get_mut(inst.az.idx()) else { continue };
            az.instances.push(inst.ec2_instance_id.clone());
            instances.push((
                inst.ec2_instance_id.clone(),
                InstanceVm {
                    id: inst.ec2_instance_id.clone(),
                    instance_type: inst.instance_type.to_string(),
                    status: inst.status,
                    private_ip: inst.private_ip.clone(),
                    cpu_used: inst.used_cpu,
                    cpu_total: inst.registered_cpu,
                    mem_used: inst.used_memory,
                    mem_total: inst.registered_memory,
                    host_ports: inst
                        .used_ports
                        .iter()
                        .map(|p| p.0)
                        .filter(|p| !ecs_sim::network::DEFAULT_RESERVED_PORTS.contains(p))
                        .collect(),
                    tasks: inst
                        .tasks
                        .iter()
                        .filter_map(|t| st.tasks.get(t.idx()))
                        .filter(|t| t.is_live())
                        .map(|t| t.task_id.clone())
                        .collect(),
                },
            ));
        }
        for t in &st.tasks {
            if t.launch_type == LaunchType::Fargate && t.is_live() {
                if let Some(az) = azs.get_mut(t.az.idx()) {
                    az.fargate_tasks.push(t.task_id.clone());
                }
            }
        }
        sync_map(self.instances, instances);
        set_if_changed(self.azs, azs);
        set_if_changed(self.task_count, task_count);
    }

    /// After a jump back in time: forget chart samples after `t` and re-read the log.
    pub fn truncate_samples(&self, t: f64) {
        self.samples.update(|v| v.retain(|s| s.t <= t));
        self.metrics_read.set_value(0);
        self.metrics.set(MetricsVm::default());
    }

    /// Read new "Metric" and alarm lines from the engine's log.
    fn read_metrics(&self, sim: &Simulation) {
        use ecs_sim::views::{chart_entry, ChartEntry};
        let from = self.metrics_read.get_value();
        let new = sim.log().since(from);
        if new.is_empty() {
            return;
        }
        let mut add = MetricsVm::default();
        for e in new {
            let t = e.t as f64 / 1000.0;
            match chart_entry(e) {
                Some(ChartEntry::Cpu(v)) => add.cpu.push((t, v)),
                Some(ChartEntry::RequestsPerSecond(v)) => add.rps.push((t, v)),
                Some(ChartEntry::AlarmState { alarm_name, state }) => add.alarms.push((t, alarm_name, state)),
                Some(ChartEntry::ScalingActivity { description, change }) => add.scaling.push((t, description, change)),
                None => {}
            }
        }
        self.metrics_read.set_value(sim.log().len());
        if add != MetricsVm::default() {
            self.metrics.update(|m| {
                m.cpu.extend(add.cpu);
                m.rps.extend(add.rps);
                m.alarms.extend(add.alarms);
                m.scaling.extend(add.scaling);
                for s in [&mut m.cpu, &mut m.rps] {
                    if s.len() > 2000 {
                        s.drain(..s.len() - 2000);
                    }
                }
            });
        }
    }
}

impl Default for Ui {
    fn default() -> Self {
        Self::new()
    }
}

/// Append a chart sample: one per simulated second at most (the latest wins), at most 2,000 kept
/// (older ones thinned by half).
fn push_sample(v: &mut Vec<Sample>, s: Sample) {
    if let Some(last) = v.last_mut() {
        if s.t < last.t {
            v.retain(|x| x.t <= s.t);
        } else if s.t - last.t < 1.0 {
            *last = Sample { t: last.t, ..s };
            return;
        } else if last.desired == s.desired && last.running == s.running && last.pending == s.pending {
            // Unchanged counts: extend the flat segment instead of adding points.
            if v.len() >= 2 {
                let prev = v[v.len() - 2];
                if prev.desired == s.desired && prev.running == s.running && prev.pending == s.pending {
                    if let Some(l) = v.last_mut() {
                        l.t = s.t;
                    }
                    return;
                }
            }
        }
    }
    v.push(s);
    if v.len() > 2000 {
        let mut i = 0;
        v.retain(|_| {
            i += 1;
            i % 2 == 1
        });
    }
}

/// Colours slots in the map's palette: one colour per task definition family and revision, so
/// the placement lesson's `packed`, `spread` and `random` services differ, and a rolling update's
/// old and new revisions differ. A family's slots start two apart from the previous family's
/// (families in name order), so with one family this is the revision order (blue, orange, ...)
/// and three families of one revision each take slots 0, 2 and 4. A slot never changes while a
/// simulation runs unless a family sorting before it is registered later.
pub fn colour_slot(registry: &ecs_sim::model::TaskDefRegistry, r: &ecs_sim::model::TaskDefRef) -> usize {
    let family = registry.families.keys().position(|f| *f == r.family).unwrap_or(0);
    (family * 2 + r.revision.max(1) as usize - 1) % crate::components::cluster_map::PALETTE
}
