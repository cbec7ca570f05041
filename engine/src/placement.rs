//! Task placement for the EC2 launch type, following the documented process ("Amazon ECS task
//! placement"): "When Amazon ECS places tasks, it uses the following process to select container
//! instances:
//! 1. Identify the container instances that satisfy the CPU, GPU, memory, and port requirements in
//!    the task definition.
//! 2. Identify the container instances that satisfy the task placement constraints.
//! 3. Identify the container instances that satisfy the task placement strategies.
//! 4. Select the container instances for task placement."
//!
//! Step 1 also checks ENI attachment points for `awsvpc` tasks ("Each Amazon ECS task that uses the
//! awsvpc network mode receives its own elastic network interface ... the primary network interface
//! counts as one", "Elastic network interface trunking").
//!
//! Step 3: each strategy, in order, keeps only the candidates it ranks best; the next strategy
//! breaks the ties of the previous one. This is how the guide's combined examples read: "distributes
//! tasks evenly across Availability Zones and then bin packs tasks based on memory within each
//! Availability Zone" ("Amazon ECS task placement strategies").
//!
//! Step 4: ties left after every strategy go to the earliest-registered instance. AWS does not
//! document its tie-break; a fixed one keeps runs reproducible. "Task placement strategies are a
//! best effort ... task placement constraints are binding" ("Amazon ECS task placement").
//!
//! Placement decides; it does not change state. The simulation applies the decision.

use crate::cql;
use crate::error::{ApiError, ApiResult};
use crate::index::Bits;
use crate::model::{ContainerInstance, InstanceId, InstanceStatus, NetworkBinding, Task};
use crate::network::{plan_bindings, ports_fit, PortConflict};
use crate::rng::SimRng;
use crate::scenario::{PlacementConstraint, PlacementStrategy};
use crate::taskdef::{NetworkMode, TaskDefinition};

mod binpack;

/// What placement needs to know about the cluster.
pub struct ClusterView<'a> {
    pub instances: &'a [ContainerInstance],
    pub tasks: &'a [Task],
    /// Per instance: the last dynamically assigned host port.
    pub port_cursors: &'a [u16],
    pub dynamic_port_range: (u16, u16),
    /// Availability zones currently failed: their instances are unreachable.
    pub az_available: &'a [bool],
    /// Task-group counts per instance, kept in step with `tasks` (src/index.rs).
    pub index: &'a crate::index::TaskIndex,
    /// Instances' attribute values, interned (src/index.rs).
    pub attributes: &'a crate::index::AttributeIndex,
    /// ACTIVE instances by remaining CPU and memory, for binpack (src/index/free.rs).
    pub free: &'a crate::index::FreeIndex,
}

pub struct PlacementRequest<'a> {
    pub task_definition: &'a TaskDefinition,
    /// The task group (`service:web`): spread and distinctInstance count tasks of this group.
    pub group: &'a str,
    pub strategies: &'a [PlacementStrategy],
    /// Constraints of the request (CreateService or RunTask). `memberOf` constraints of the task
    /// definition apply too: placement reads them from `task_definition`.
    pub constraints: &'a [PlacementConstraint],
    /// Only instances of this capacity provider, when the task was launched through one.
    pub capacity_provider: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlacementDecision {
    pub instance: InstanceId,
    pub bindings: Vec<NetworkBinding>,
}

/// Why an instance was rejected, in the order the checks run (a later stage means "closer").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rejection {
    /// The instance's Availability Zone is failed: its agent cannot be reached.
    Agent,
    /// DRAINING: "the service scheduler ... doesn't place new tasks" on it.
    NotActive,
    Cpu,
    Memory,
    /// A static host port is taken (the port), or no dynamic port is left (0).
    Port(u16),
    Eni,
    DistinctInstance,
    MemberOf,
}

impl Rejection {
    /// The `failures[].reason` RunTask returns ("API failure reasons": `RESOURCE:*`, `AGENT`; the
    /// constraint reasons are the API's own strings, e.g. "MemberOf placement constraint
    /// unsatisfied.").
    pub fn run_task_reason(&self) -> &'static str {
        match self {
            Rejection::Agent => "AGENT",
            Rejection::NotActive => "INACTIVE",
            Rejection::Cpu => "RESOURCE:CPU",
            Rejection::Memory => "RESOURCE:MEMORY",
            Rejection::Port(_) => "RESOURCE:PORTS",
            Rejection::Eni => "RESOURCE:ENI",
            Rejection::DistinctInstance => "DistinctInstance placement constraint unsatisfied.",
            Rejection::MemberOf => "MemberOf placement constraint unsatisfied.",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlacementFailure {
    /// The closest matching instance and why it did not fit, if the cluster has any instance.
    pub closest: Option<(String, Rejection)>,
}

impl PlacementFailure {
    /// The sentence after "was unable to place a task because no container instance met all of its
    /// requirements." in the service event, worded as the troubleshooting guide's "Service event
    /// messages" list them: "The closest matching container-instance container-instance-id has
    /// insufficient CPU units available.", "... encountered error "AGENT"", "... is already using a
    /// port required by your task", "Reason: No Container Instances were found in your cluster.".
    /// Constraint failures read `encountered error "MemberOf placement constraint unsatisfied."`,
    /// as the console shows them.
    pub fn reason(&self) -> String {
        match &self.closest {
            None => "Reason: No Container Instances were found in your cluster.".to_string(),
            Some((arn, why)) => {
                let id = arn.rsplit('/').next().unwrap_or(arn);
                let what = match why {
                    Rejection::Cpu => "has insufficient CPU units available".to_string(),
                    Rejection::Memory => "has insufficient memory available".to_string(),
                    Rejection::Port(_) => "is already using a port required by your task".to_string(),
                    Rejection::NotActive => "is not in ACTIVE status".to_string(),
                    r => format!("encountered error \"{}\"", r.run_task_reason()),
                };
                format!("The closest matching container-instance {id} {what}.")
            }
        }
    }
}

/// What step 1 asks of every instance, computed once per placement.
struct Needs<'a> {
    td: &'a TaskDefinition,
    cpu: u32,
    memory: u32,
    awsvpc: bool,
    /// Bridge mode with only dynamic host ports: how many (see `fits`).
    dynamic_ports: Option<usize>,
}

/// The number of host ports a bridge-mode task takes when every one is dynamic (`hostPort` 0 or
/// absent), else None.
fn dynamic_only_ports(td: &TaskDefinition) -> Option<usize> {
    if td.network_mode != NetworkMode::Bridge {
        return None;
    }
    let mut n = 0;
    for pm in td.containers().iter().flat_map(|c| c.port_mappings.iter()).filter(|pm| pm.container_port.is_some()) {
        if pm.host_port.is_some_and(|hp| hp != 0) {
            return None;
        }
        n += 1;
    }
    Some(n)
}

/// Check one instance against the task's resource, port and ENI needs (step 1). The bindings
/// themselves are planned for the chosen instance only (`plan_bindings` decides the same).
fn fits(
    view: &ClusterView,
    inst: &ContainerInstance,
    i: usize,
    needs: &Needs,
    scratch: &mut Vec<(u16, crate::model::PortProto)>,
) -> Result<(), Rejection> {
    if !view.az_available.get(inst.az.idx()).copied().unwrap_or(true) {
        return Err(Rejection::Agent);
    }
    if !inst.is_active() {
        return Err(Rejection::NotActive);
    }
    if inst.remaining_cpu() < needs.cpu {
        return Err(Rejection::Cpu);
    }
    if inst.remaining_memory() < needs.memory {
        return Err(Rejection::Memory);
    }
    // Dynamic ports only: while the instance holds fewer ports (of any protocol, in the range or
    // not) than the range has room for beyond the task's own, a free one exists for each, which
    // is all `ports_fit` would find out. Otherwise ask it.
    let (lo, hi) = view.dynamic_port_range;
    let span = if lo <= hi { (hi - lo) as usize + 1 } else { 0 };
    let surely_free = needs.dynamic_ports.is_some_and(|n| inst.used_ports.len() + n <= span);
    if !surely_free {
        let cursor = view.port_cursors.get(i).copied().unwrap_or(0);
        ports_fit(needs.td, inst, cursor, view.dynamic_port_range, scratch).map_err(|c| match c {
            PortConflict::InUse(p) => Rejection::Port(p),
            PortConflict::RangeExhausted => Rejection::Port(0),
        })?;
    }
    if needs.awsvpc && inst.task_enis >= inst.spec.awsvpc_task_limit() {
        return Err(Rejection::Eni);
    }
    Ok(())
}

/// A constraint ready to evaluate (memberOf expressions parsed once per placement).
enum Compiled {
    DistinctInstance,
    /// None when the expression does not parse: it then matches no instance.
    MemberOf(Option<cql::Expr>),
}

/// Parse a task definition's `placementConstraints` (RegisterTaskDefinition accepts `memberOf`
/// only); entries that do not parse are skipped here because registration already rejected them.
fn task_definition_constraints(td: &TaskDefinition) -> Vec<PlacementConstraint> {
    td.request
        .placement_constraints
        .iter()
        .filter_map(|v| serde_json::from_value::<PlacementConstraint>(v.clone()).ok())
        .collect()
}

fn compile(constraints: &[PlacementConstraint]) -> Vec<Compiled> {
    constraints
        .iter()
        .filter_map(|c| match c.kind.as_str() {
            "distinctInstance" => Some(Compiled::DistinctInstance),
            // Validated on the way in (CreateService, RunTask, RegisterTaskDefinition); an
            // expression that still fails to parse matches no instance, so the binding constraint
            // is never silently dropped.
            "memberOf" => Some(Compiled::MemberOf(cql::parse(c.expression.as_deref().unwrap_or("")).ok())),
            _ => None,
        })
        .collect()
}

/// Tasks of the group on each instance (index = instance index) that count for spread and
/// distinctInstance: not stopped and with desired status RUNNING. "Amazon ECS looks at the desired
/// status of the tasks for the task placement. For example, if the desired status of the existing
/// task is STOPPED, (but the last status isn't), a new incoming task can be placed on the same
/// instance despite the distinctInstance placement constraint" ("Amazon ECS task placement
/// constraints"). Read from the index, so spread and distinctInstance cost O(instances).
fn group_counts<'a>(view: &ClusterView<'a>, group: &str) -> &'a [u32] {
    view.index.group(group).map(|g| g.per_instance.as_slice()).unwrap_or(&[])
}

fn check_constraint(view: &ClusterView, i: usize, per_instance: &[u32], c: &Compiled) -> Result<(), Rejection> {
    match c {
        // "distinctInstance: Place each task on a different container instance"; "The
        // distinctInstance constraint places each task in the group on a different instance."
        Compiled::DistinctInstance => {
            if per_instance.get(i).copied().unwrap_or(0) > 0 {
                Err(Rejection::DistinctInstance)
            } else {
                Ok(())
            }
        }
        // "memberOf: Place tasks on container instances that satisfy an expression."
        Compiled::MemberOf(expr) => {
            if expr.as_ref().is_some_and(|e| e.matches(&view.instances[i], view.tasks)) {
                Ok(())
            } else {
                Err(Rejection::MemberOf)
            }
        }
    }
}

/// The value an instance has for a spread field: `instanceId`/`host` ("instanceId (or host, which
/// has the same effect)"), or `attribute:<name>`. None when the instance lacks the attribute.
pub fn field_value<'a>(inst: &'a ContainerInstance, field: &str) -> Option<&'a str> {
    match field {
        "instanceId" | "host" => Some(inst.ec2_instance_id.as_str()),
        f => inst.attributes.get(f.strip_prefix("attribute:").unwrap_or(f)).map(String::as_str),
    }
}

/// Steps 1 and 2 for instance `i`: Ok when it can take the task; `Err(None)` when it is not a
/// candidate at all (deregistered, or not the requested capacity provider's), `Err(Some(r))`
/// when resources, ports, ENIs or a constraint reject it (the failure names the closest one).
fn admit(
    view: &ClusterView,
    req: &PlacementRequest,
    i: usize,
    needs: &Needs,
    constraints: &[Compiled],
    per_instance: &[u32],
    scratch: &mut Vec<(u16, crate::model::PortProto)>,
) -> Result<(), Option<Rejection>> {
    let inst = &view.instances[i];
    // Deregistered instances are no longer in the cluster.
    if inst.status == InstanceStatus::Inactive
        || req.capacity_provider.is_some_and(|cp| inst.capacity_provider.as_deref() != Some(cp))
    {
        return Err(None);
    }
    fits(view, inst, i, needs, scratch).map_err(Some)?;
    match constraints.iter().find_map(|c| check_constraint(view, i, per_instance, c).err()) {
        Some(r) => Err(Some(r)),
        None => Ok(()),
    }
}

/// Instance `i`'s key under each strategy of `ranks`, in order (smaller is better).
fn rank_keys(view: &ClusterView, ranks: &[Rank], i: usize) -> [i64; MAX_RANKS] {
    let mut key = [0i64; MAX_RANKS];
    for (k, r) in key.iter_mut().zip(ranks) {
        *k = r.key(view, i);
    }
    key
}

/// Place one task. `rng` is consumed only by the `random` strategy (and RunTask's default).
pub fn place(
    view: &ClusterView,
    req: &PlacementRequest,
    rng: &mut SimRng,
) -> Result<PlacementDecision, PlacementFailure> {
    place_with(view, req, rng, true)
}

/// [`place`] as the guide describes it, step by step: every candidate listed, then each strategy
/// keeping its best ones in turn. Kept to check `place`'s one pass against
/// (engine/tests/placement_props.rs).
#[doc(hidden)]
pub fn place_stepwise(
    view: &ClusterView,
    req: &PlacementRequest,
    rng: &mut SimRng,
) -> Result<PlacementDecision, PlacementFailure> {
    place_with(view, req, rng, false)
}

fn place_with(
    view: &ClusterView,
    req: &PlacementRequest,
    rng: &mut SimRng,
    one_pass: bool,
) -> Result<PlacementDecision, PlacementFailure> {
    let td = req.task_definition;
    let mut all = req.constraints.to_vec();
    all.extend(task_definition_constraints(td));
    let constraints = compile(&all);
    let mut closest: Option<(usize, Rejection)> = None;
    let mut note = |i: usize, r: Rejection| {
        if closest.as_ref().map(|(_, c)| r > *c).unwrap_or(true) {
            closest = Some((i, r));
        }
    };
    let needs = Needs {
        td,
        cpu: td.placement_cpu(),
        memory: td.placement_memory(),
        awsvpc: td.network_mode == NetworkMode::Awsvpc,
        dynamic_ports: dynamic_only_ports(td),
    };
    let mut scratch = Vec::new();
    // Steps 1 and 2: resources, ports and ENIs, then constraints.
    let per_instance = group_counts(view, req.group);
    // spread(field) then spread(instanceId), the service scheduler's default, or spread(instanceId)
    // alone: walk the instances from the fewest tasks of the group up (src/index.rs); binpack, or
    // spread(field) then binpack: walk them from the least remaining CPU or memory that still
    // fits up (src/placement/binpack.rs). Both stop at the first that passes steps 1 and 2; only
    // when none does, the full pass below says which came closest.
    if one_pass {
        let mut eligible = |i: usize| admit(view, req, i, &needs, &constraints, per_instance, &mut scratch).is_ok();
        let walked = spread_walk(view, req, per_instance, &mut eligible)
            .or_else(|| binpack::binpack_walk(view, req, (needs.cpu, needs.memory), per_instance, &mut eligible));
        if let Some(i) = walked {
            let inst = &view.instances[i];
            let cursor = view.port_cursors.get(i).copied().unwrap_or(0);
            let bindings = plan_bindings(td, inst, cursor, view.dynamic_port_range).unwrap_or_default();
            return Ok(PlacementDecision { instance: InstanceId(i as u32), bindings });
        }
    }
    // With spread and binpack strategies only (no random draw, at least one strategy), keeping
    // each strategy's best candidates in turn and then the earliest-registered one chooses the
    // candidate with the smallest (each strategy's key in order, registration index): found in the
    // same pass as steps 1 and 2, without a list of candidates.
    let ranks: Option<Vec<Rank>> = (one_pass
        && !req.strategies.is_empty()
        && req.strategies.len() <= MAX_RANKS
        && req.strategies.iter().all(|s| s.kind != "random"))
    .then(|| req.strategies.iter().map(|s| Rank::of(view, s, per_instance)).collect());
    let mut best: Option<([i64; MAX_RANKS], usize)> = None;
    let mut candidates: Vec<usize> = Vec::new();
    for i in 0..view.instances.len() {
        match admit(view, req, i, &needs, &constraints, per_instance, &mut scratch) {
            Err(None) => {}
            Err(Some(r)) => note(i, r),
            Ok(()) => match &ranks {
                Some(ranks) => {
                    let key = rank_keys(view, ranks, i);
                    // Strictly smaller only: on a tie the earlier-registered instance stays.
                    if best.as_ref().is_none_or(|(b, _)| key < *b) {
                        best = Some((key, i));
                    }
                }
                None => candidates.push(i),
            },
        }
    }
    if let Some((_, i)) = best {
        candidates.push(i);
    }
    if candidates.is_empty() {
        return Err(PlacementFailure {
            closest: closest
                .and_then(|(i, r)| view.instances.get(i).map(|inst| (inst.container_instance_arn.clone(), r))),
        });
    }
    // Step 3: strategies in order, each keeping only its best candidates (already done when
    // `ranks` chose the one candidate).
    for s in req.strategies.iter().filter(|_| ranks.is_none()) {
        if candidates.len() <= 1 {
            break;
        }
        match s.kind.as_str() {
            // "random: Place tasks randomly."
            "random" => {
                let k = rng.below(candidates.len() as u32) as usize;
                let chosen = candidates.swap_remove(k.min(candidates.len() - 1));
                candidates = vec![chosen];
            }
            // "binpack: Place tasks based on the least available amount of CPU or memory. This
            // minimizes the number of instances in use." ... "if you binpack on memory, a task is
            // placed on the instance with the least amount of remaining memory but still enough to
            // run the task" (PlacementStrategy, API reference).
            "binpack" => {
                let cpu = s.field.as_deref() == Some("cpu");
                keep_min(&mut candidates, |i| {
                    let inst = &view.instances[i];
                    if cpu {
                        inst.remaining_cpu() as i64
                    } else {
                        inst.remaining_memory() as i64
                    }
                });
            }
            // "spread: Place tasks evenly based on the specified value ... Service tasks are spread
            // based on the tasks from that service. Standalone tasks are spread based on the tasks
            // from the same task group." A candidate's rank is the number of the group's tasks on
            // all instances (candidates or not) that share its value of the field.
            "spread" => {
                let field = s.field.as_deref().unwrap_or("instanceId");
                match view.attributes.field(field) {
                    // No instance has the attribute: every instance shares the value "none".
                    None => {}
                    Some(values) => {
                        let per_value = tasks_per_value(values, per_instance);
                        keep_min(&mut candidates, |i| per_value[values.of(i) as usize]);
                    }
                }
            }
            _ => {}
        }
    }
    // Step 4: select. With no strategy at all (RunTask): "Using RunTask, you can allow the default
    // task placement strategy to distribute tasks randomly across your cluster" ("Scheduling
    // Amazon ECS tasks").
    let k = if req.strategies.is_empty() { rng.below(candidates.len() as u32) as usize } else { 0 };
    let i = candidates.swap_remove(k.min(candidates.len() - 1));
    let inst = &view.instances[i];
    let cursor = view.port_cursors.get(i).copied().unwrap_or(0);
    let bindings = plan_bindings(td, inst, cursor, view.dynamic_port_range).unwrap_or_default();
    Ok(PlacementDecision { instance: InstanceId(i as u32), bindings })
}

/// Placement for `[spread(field), spread(instanceId)]` or `[spread(instanceId)]` (`host` for
/// `instanceId` too), exactly as ranking every candidate chooses: the candidate with the fewest
/// tasks of the group sharing its value of the field, then the fewest on the instance, then the
/// earliest registered. Instances are visited in that order: the field's values by their count
/// (values with equal counts together), and within them the instances holding 0, 1, 2... tasks of
/// the group in index order (`GroupCounts::level`); the first `eligible` one is the choice. None
/// when the strategies have another shape, the instance ids are not distinct, or no instance is
/// eligible.
fn spread_walk(
    view: &ClusterView,
    req: &PlacementRequest,
    per_instance: &[u32],
    mut eligible: impl FnMut(usize) -> bool,
) -> Option<usize> {
    let by_instance = |s: &PlacementStrategy| {
        s.kind == "spread" && matches!(s.field.as_deref().unwrap_or("instanceId"), "instanceId" | "host")
    };
    let field = match req.strategies {
        [s] if by_instance(s) => None,
        [f, s] if f.kind == "spread" && by_instance(s) => {
            Some(f.field.as_deref().unwrap_or("instanceId")).filter(|f| !matches!(*f, "instanceId" | "host"))
        }
        _ => return None,
    };
    let n = view.instances.len();
    // spread(instanceId) ranks by the tasks on the instance only when every instance has its own id.
    if view.attributes.field("instanceId").is_none_or(|ids| ids.distinct() != n) {
        return None;
    }
    let group = view.index.group(req.group);
    // Visit the instances in `mask` (None: all) in walk order: first those holding no task of the
    // group, then 1, 2... (bit sets, src/index.rs).
    let mut visit = |mask: Option<&Bits>| -> Option<usize> {
        let empty = Bits::default();
        let occupied = group.map_or(&empty, |g| g.occupied());
        if let Some(i) = occupied.walk(false, mask, n).find(|&i| eligible(i)) {
            return Some(i);
        }
        let g = group?;
        (1..=g.levels()).find_map(|l| g.level(l).and_then(|bits| bits.walk(true, mask, n).find(|&i| eligible(i))))
    };
    match field.and_then(|f| view.attributes.field(f)) {
        // No field, or one no instance has (every instance shares "none"): one tie group.
        None => visit(None),
        Some(values) => {
            let per_value = tasks_per_value(values, per_instance);
            let mut counts: Vec<i64> = per_value.clone();
            counts.sort_unstable();
            counts.dedup();
            counts.into_iter().find_map(|count| {
                // The instances whose value has this count.
                let mut mask = Bits::default();
                if per_value[0] == count {
                    // "none" among them: the instances lacking the field, one by one.
                    for i in (0..n).filter(|&i| values.of(i) == 0) {
                        mask.set(i, true);
                    }
                }
                for v in (1..per_value.len()).filter(|&v| per_value[v] == count) {
                    if let Some(m) = values.members(v as u32) {
                        mask.union_with(m);
                    }
                }
                visit(Some(&mask))
            })
        }
    }
}

/// The group's tasks on all instances sharing each value of a field (indexed by value; 0 is the
/// instances lacking it), from the group's tasks per instance: what spread ranks by.
fn tasks_per_value(values: &crate::index::FieldValues, per_instance: &[u32]) -> Vec<i64> {
    let mut per_value = vec![0i64; values.len()];
    for (j, n) in per_instance.iter().enumerate() {
        if *n > 0 {
            per_value[values.of(j) as usize] += i64::from(*n);
        }
    }
    per_value
}

/// At most this many strategies are ranked in one pass (PlacementStrategy allows 5 per task).
const MAX_RANKS: usize = 5;

/// One spread or binpack strategy's key of an instance (smaller is better), as step 3 ranks it.
enum Rank<'a> {
    /// binpack: the remaining CPU or memory.
    Binpack { cpu: bool },
    /// spread: the group's tasks on all instances sharing the instance's value of the field.
    Spread { values: &'a crate::index::FieldValues, per_value: Vec<i64> },
    /// A field no instance has (every instance shares "none"), or a strategy type placement does
    /// not rank: the same key for all.
    Even,
}

impl<'a> Rank<'a> {
    fn of(view: &ClusterView<'a>, s: &PlacementStrategy, per_instance: &[u32]) -> Rank<'a> {
        match s.kind.as_str() {
            "binpack" => Rank::Binpack { cpu: s.field.as_deref() == Some("cpu") },
            "spread" => match view.attributes.field(s.field.as_deref().unwrap_or("instanceId")) {
                None => Rank::Even,
                Some(values) => {
                    let per_value = tasks_per_value(values, per_instance);
                    Rank::Spread { values, per_value }
                }
            },
            _ => Rank::Even,
        }
    }
    fn key(&self, view: &ClusterView, i: usize) -> i64 {
        match self {
            Rank::Binpack { cpu: true } => view.instances[i].remaining_cpu() as i64,
            Rank::Binpack { cpu: false } => view.instances[i].remaining_memory() as i64,
            Rank::Spread { values, per_value } => per_value.get(values.of(i) as usize).copied().unwrap_or(0),
            Rank::Even => 0,
        }
    }
}

/// Keep the candidates with the smallest key, in their original (registration) order.
fn keep_min(c: &mut Vec<usize>, key: impl Fn(usize) -> i64) {
    let Some(best) = c.iter().map(|i| key(*i)).min() else { return };
    c.retain(|i| key(*i) == best);
}
/// The service scheduler's default placement for the EC2 launch type when none is given. "For
/// tasks running as part of an Amazon ECS service, the task placement strategy is spread using the
/// attribute:ecs.availability-zone" ("Amazon ECS task placement strategies"), and CreateService
/// (API reference) details it: "Sort the valid container instances by the fewest number of running
/// tasks for this service in the same Availability Zone as the instance ... Place the new service
/// task on a valid container instance in an optimal Availability Zone ..., favoring container
/// instances with the fewest number of running tasks for this service."
pub fn default_service_strategy() -> Vec<PlacementStrategy> {
    vec![
        PlacementStrategy { kind: "spread".into(), field: Some("attribute:ecs.availability-zone".into()) },
        PlacementStrategy { kind: "spread".into(), field: Some("instanceId".into()) },
    ]
}

/// Validate `placementStrategy` and `placementConstraints` as CreateService and RunTask do.
/// - PlacementStrategy `type`: "Valid Values: random | spread | binpack"; `field`: "For the spread
///   placement strategy, valid values are instanceId (or host ...), or any platform or custom
///   attribute ... For the binpack placement strategy, valid values are cpu and memory. For the
///   random placement strategy, this field is not used."
/// - "You can specify a maximum of 5 strategy rules for each task" and "up to 10 constraints for
///   each task (including constraints in the task definition and those specified at runtime)"
///   (RunTask, API reference).
/// - PlacementConstraint: "You cannot specify an expression if the constraint type is
///   distinctInstance"; `type`: "Valid Values: distinctInstance | memberOf".
/// - "Task placement strategies and constraints are not supported for tasks using the Fargate
///   launch type" ("Amazon ECS task placement").
pub fn validate_placement(
    strategies: &[PlacementStrategy],
    constraints: &[PlacementConstraint],
    task_definition_constraints: usize,
    fargate: bool,
) -> ApiResult<()> {
    if fargate && !strategies.is_empty() {
        return Err(ApiError::invalid(
            "placementStrategy",
            "Task placement strategies and constraints are not supported for tasks hosted on Fargate.",
        ));
    }
    if fargate && !constraints.is_empty() {
        return Err(ApiError::invalid(
            "placementConstraints",
            "Task placement strategies and constraints are not supported for tasks hosted on Fargate.",
        ));
    }
    if strategies.len() > 5 {
        return Err(ApiError::invalid(
            "placementStrategy",
            "You can specify a maximum of 5 strategy rules for each task.",
        ));
    }
    if constraints.len() + task_definition_constraints > 10 {
        return Err(ApiError::invalid(
            "placementConstraints",
            "You can specify up to 10 constraints for each task, including constraints in the task definition.",
        ));
    }
    for (i, s) in strategies.iter().enumerate() {
        let at = format!("placementStrategy[{i}]");
        match (s.kind.as_str(), s.field.as_deref()) {
            ("random", _) => {}
            ("binpack", Some("cpu" | "memory")) => {}
            ("binpack", f) => {
                return Err(ApiError::invalid(
                    format!("{at}.field"),
                    format!("binpack field must be cpu or memory (got {}).", f.map(|f| format!("\"{f}\"")).unwrap_or("none".into())),
                ))
            }
            ("spread", Some(f)) if f == "instanceId" || f == "host" || f.strip_prefix("attribute:").is_some_and(|a| !a.is_empty()) => {}
            ("spread", f) => {
                return Err(ApiError::invalid(
                    format!("{at}.field"),
                    format!(
                        "spread field must be instanceId, host or attribute:<name>, e.g. attribute:ecs.availability-zone (got {}).",
                        f.map(|f| format!("\"{f}\"")).unwrap_or("none".into())
                    ),
                ))
            }
            (k, _) => {
                return Err(ApiError::invalid(
                    format!("{at}.type"),
                    format!("Unknown placement strategy type \"{k}\": valid values are random, spread and binpack."),
                ))
            }
        }
    }
    for (i, c) in constraints.iter().enumerate() {
        validate_constraint(c, true).map_err(|e| e.at(&format!("placementConstraints[{i}]")))?;
    }
    Ok(())
}

/// One PlacementConstraint. Task definitions accept `memberOf` only (`distinct_allowed` false):
/// the guide lists distinctInstance for "Running a task" and "Creating a new service" only.
pub fn validate_constraint(c: &PlacementConstraint, distinct_allowed: bool) -> ApiResult<()> {
    match c.kind.as_str() {
        "distinctInstance" if !distinct_allowed => Err(ApiError::client(
            "type",
            "distinctInstance cannot be used in a task definition: only memberOf constraints are allowed there.",
        )),
        "distinctInstance" if c.expression.is_some() => Err(ApiError::invalid(
            "expression",
            "You cannot specify an expression if the constraint type is distinctInstance.",
        )),
        "distinctInstance" => Ok(()),
        "memberOf" => cql::parse(c.expression.as_deref().unwrap_or("")).map(|_| ()),
        k => Err(ApiError::invalid(
            "type",
            format!("Unknown placement constraint type \"{k}\": valid values are distinctInstance and memberOf."),
        )),
    }
}
