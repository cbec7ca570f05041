//! Task placement for the EC2 launch type, following the documented process ("Amazon ECS task
//! placement"):
//! 1. keep the container instances that satisfy the task's CPU, memory, port and ENI needs,
//! 2. then those that satisfy the placement constraints,
//! 3. then apply the placement strategies in order, each narrowing the set to its best instances,
//! 4. select an instance (ties after all strategies go to the earliest-registered instance).
//!
//! Placement decides; it does not change state. The simulation applies the decision.

use crate::model::{ContainerInstance, InstanceId, NetworkBinding, Task};
use crate::network::{plan_bindings, PortConflict};
use crate::rng::SimRng;
use crate::scenario::{PlacementConstraint, PlacementStrategy};
use crate::taskdef::{NetworkMode, TaskDefinition};

/// What placement needs to know about the cluster.
pub struct ClusterView<'a> {
    pub instances: &'a [ContainerInstance],
    pub tasks: &'a [Task],
    /// Per instance: the last dynamically assigned host port.
    pub port_cursors: &'a [u16],
    pub dynamic_port_range: (u16, u16),
    /// Availability zones currently failed: their instances are unreachable.
    pub az_available: &'a [bool],
}

pub struct PlacementRequest<'a> {
    pub task_definition: &'a TaskDefinition,
    /// The task group (`service:web`): spread and distinctInstance count tasks of this group.
    pub group: &'a str,
    pub strategies: &'a [PlacementStrategy],
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
    Unavailable,
    Cpu,
    Memory,
    Port(u16),
    Eni,
    Constraint(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlacementFailure {
    /// The closest matching instance and why it did not fit, if the cluster has any instance.
    pub closest: Option<(String, Rejection)>,
}

impl PlacementFailure {
    /// The reason sentence of the console's "was unable to place a task" event.
    pub fn reason(&self) -> String {
        match &self.closest {
            None => "Reason: No Container Instances were found in your cluster.".to_string(),
            Some((arn, why)) => {
                let id = arn.rsplit('/').next().unwrap_or(arn);
                let what = match why {
                    Rejection::Unavailable => "is not in ACTIVE status".to_string(),
                    Rejection::Cpu => "has insufficient CPU units available".to_string(),
                    Rejection::Memory => "has insufficient memory available".to_string(),
                    Rejection::Port(_) => "is already using a port required by your task".to_string(),
                    Rejection::Eni => "encountered error \"RESOURCE:ENI\"".to_string(),
                    Rejection::Constraint(c) => format!("does not satisfy the placement constraint {c}"),
                };
                format!("The closest matching (container-instance {id}) {what}.")
            }
        }
    }
}

/// Check one instance against the task's resource, port and ENI needs.
fn fits(view: &ClusterView, i: usize, td: &TaskDefinition) -> Result<Vec<NetworkBinding>, Rejection> {
    let inst = &view.instances[i];
    if !inst.is_active() || !view.az_available.get(inst.az.idx()).copied().unwrap_or(true) {
        return Err(Rejection::Unavailable);
    }
    if inst.remaining_cpu() < td.placement_cpu() {
        return Err(Rejection::Cpu);
    }
    if inst.remaining_memory() < td.placement_memory() {
        return Err(Rejection::Memory);
    }
    let cursor = view.port_cursors.get(i).copied().unwrap_or(0);
    let bindings = plan_bindings(td, inst, cursor, view.dynamic_port_range).map_err(|c| match c {
        PortConflict::InUse(p) => Rejection::Port(p),
        PortConflict::RangeExhausted => Rejection::Port(0),
    })?;
    if td.network_mode == NetworkMode::Awsvpc && inst.task_enis >= inst.spec.awsvpc_task_limit() {
        return Err(Rejection::Eni);
    }
    Ok(bindings)
}

/// Tasks of `group` that count for spread and distinctInstance: live and meant to keep running.
fn group_tasks<'a>(view: &'a ClusterView, group: &'a str) -> impl Iterator<Item = &'a Task> + 'a {
    view.tasks
        .iter()
        .filter(move |t| t.group == group && t.is_live() && t.desired_status == crate::model::DesiredStatus::Running)
}

/// Tasks of the group on each instance (index = instance index), counted once per placement so
/// that spread and distinctInstance cost O(instances + tasks), not O(instances x tasks).
fn group_counts(view: &ClusterView, group: &str) -> Vec<u32> {
    let mut counts = vec![0u32; view.instances.len()];
    for t in group_tasks(view, group) {
        if let Some(c) = t.instance.and_then(|i| counts.get_mut(i.idx())) {
            *c += 1;
        }
    }
    counts
}

fn check_constraint(
    view: &ClusterView,
    i: usize,
    per_instance: &[u32],
    c: &PlacementConstraint,
) -> Result<(), Rejection> {
    match c.kind.as_str() {
        // "distinctInstance: Place each task in the group on a different container instance."
        "distinctInstance" => {
            if per_instance.get(i).copied().unwrap_or(0) > 0 {
                Err(Rejection::Constraint("distinctInstance".into()))
            } else {
                Ok(())
            }
        }
        "memberOf" => {
            let expr = c.expression.as_deref().unwrap_or("");
            if crate::cql::instance_matches(expr, &view.instances[i], view.tasks).unwrap_or(false) {
                Ok(())
            } else {
                Err(Rejection::Constraint(format!("memberOf({expr})")))
            }
        }
        other => Err(Rejection::Constraint(other.to_string())),
    }
}

/// The value an instance has for a spread field: `instanceId`/`host`, or `attribute:<name>`.
pub fn field_value<'a>(inst: &'a ContainerInstance, field: &str) -> Option<&'a str> {
    match field {
        "instanceId" | "host" => Some(inst.ec2_instance_id.as_str()),
        f => inst.attributes.get(f.strip_prefix("attribute:").unwrap_or(f)).map(String::as_str),
    }
}

/// Place one task. `rng` is consumed only by the `random` strategy.
pub fn place(
    view: &ClusterView,
    req: &PlacementRequest,
    rng: &mut SimRng,
) -> Result<PlacementDecision, PlacementFailure> {
    let td = req.task_definition;
    let mut closest: Option<(usize, Rejection)> = None;
    let note = |i: usize, r: Rejection, closest: &mut Option<(usize, Rejection)>| {
        if closest.as_ref().map(|(_, c)| r > *c).unwrap_or(true) {
            *closest = Some((i, r));
        }
    };
    // Steps 1 and 2: resources, ports and ENIs, then constraints.
    let per_instance = group_counts(view, req.group);
    let mut candidates: Vec<(usize, Vec<NetworkBinding>)> = Vec::new();
    for i in 0..view.instances.len() {
        let inst = &view.instances[i];
        if inst.status == crate::model::InstanceStatus::Inactive {
            continue;
        }
        if let Some(cp) = req.capacity_provider {
            if inst.capacity_provider.as_deref() != Some(cp) {
                continue;
            }
        }
        match fits(view, i, td) {
            Err(r) => note(i, r, &mut closest),
            Ok(b) => {
                let failed = req.constraints.iter().find_map(|c| check_constraint(view, i, &per_instance, c).err());
                match failed {
                    Some(r) => note(i, r, &mut closest),
                    None => candidates.push((i, b)),
                }
            }
        }
    }
    if candidates.is_empty() {
        return Err(PlacementFailure {
            closest: closest.map(|(i, r)| (view.instances[i].container_instance_arn.clone(), r)),
        });
    }
    // Step 3: strategies in order, each keeping only its best candidates.
    for s in req.strategies {
        if candidates.len() <= 1 {
            break;
        }
        match s.kind.as_str() {
            "random" => {
                let k = rng.below(candidates.len() as u32) as usize;
                let chosen = candidates.swap_remove(k);
                candidates = vec![chosen];
            }
            "binpack" => {
                // "Place tasks based on the least available amount of CPU or memory."
                let key = |i: usize| {
                    let inst = &view.instances[i];
                    match s.field.as_deref() {
                        Some("cpu") => inst.remaining_cpu(),
                        _ => inst.remaining_memory(),
                    }
                };
                keep_min(&mut candidates, |i| key(i) as i64);
            }
            "spread" => {
                // "Place tasks evenly based on the specified value": fewest tasks of the group
                // on instances sharing this instance's value of the field.
                let field = s.field.as_deref().unwrap_or("instanceId");
                let mut per_value: std::collections::BTreeMap<Option<&str>, i64> = Default::default();
                for (j, n) in per_instance.iter().enumerate() {
                    if *n > 0 {
                        *per_value.entry(field_value(&view.instances[j], field)).or_default() += i64::from(*n);
                    }
                }
                keep_min(&mut candidates, |i| {
                    per_value.get(&field_value(&view.instances[i], field)).copied().unwrap_or(0)
                });
            }
            _ => {}
        }
    }
    // Step 4: select. With no strategy at all (RunTask's default is random), pick at random.
    let (i, bindings) = if req.strategies.is_empty() {
        let k = rng.below(candidates.len() as u32) as usize;
        candidates.swap_remove(k)
    } else {
        candidates.swap_remove(0)
    };
    Ok(PlacementDecision { instance: InstanceId(i as u32), bindings })
}

fn keep_min(c: &mut Vec<(usize, Vec<NetworkBinding>)>, key: impl Fn(usize) -> i64) {
    let keys: Vec<i64> = c.iter().map(|(i, _)| key(*i)).collect();
    let Some(&best) = keys.iter().min() else { return };
    let mut k = keys.into_iter();
    c.retain(|_| k.next() == Some(best));
}

/// The service scheduler's default placement for the EC2 launch type when none is given:
/// spread across Availability Zones, then across instances ("AZ balanced spread").
pub fn default_service_strategy() -> Vec<PlacementStrategy> {
    vec![
        PlacementStrategy { kind: "spread".into(), field: Some("attribute:ecs.availability-zone".into()) },
        PlacementStrategy { kind: "spread".into(), field: Some("instanceId".into()) },
    ]
}
