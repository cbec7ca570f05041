//! A/B runs: two runs of the same cluster with one difference, side by side on one clock.
//!
//! A scenario may carry a `variant` section: run A is the scenario as written, run B is the same
//! scenario with the variant's `patch` applied. Both runs use the same seed, the same traffic, the
//! same timeline (so the same faults); only what the patch names differs.
//!
//! ```json
//! "variant": {
//!   "baseLabel": {"en": "binpack (memory)"},
//!   "label": {"en": "spread (Availability Zone)"},
//!   "patch": [ { "change": "placementStrategy", "service": "web",
//!                "placementStrategy": [ { "type": "spread", "field": "attribute:ecs.availability-zone" } ] } ]
//! }
//! ```
//!
//! `AbRun` holds the two simulations and steps both to the same simulated time; `figures` reads
//! the comparison strip from engine state and the event log (instances in use, RUNNING tasks per
//! Availability Zone, the deployment's duration and the fewest RUNNING tasks during it, failed
//! requests, cost so far) and `summary` writes it as one paragraph in en, zh-CN, ko or ru.

use crate::error::{ApiError, ApiResult};
use crate::lesson::Text;
use crate::log::kind;
use crate::model::TaskStatus;
use crate::scenario::{
    CapacityProviderStrategyItem, DeploymentConfiguration, InstanceGroup, LaunchType, PlacementStrategy, Scenario,
};
use crate::sim::Simulation;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The scenario's `variant` section: what run B changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Variant {
    /// Run A's label (the scenario as written). Default: the values the patch replaces, in AWS's
    /// spelling (e.g. `placementStrategy binpack(memory)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_label: Option<Text>,
    /// Run B's label. Default: the values the patch sets, in AWS's spelling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Text>,
    /// The changes, applied in order to a copy of the scenario (without its `variant`).
    pub patch: Vec<VariantChange>,
}

/// One change of a variant. `service` names the CreateService body it changes (left out: every
/// service). Changes to `placementStrategy` and `deploymentConfiguration` also replace those
/// members in the timeline's UpdateService calls for the service, so a later update keeps the
/// difference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "change", rename_all = "camelCase", deny_unknown_fields)]
pub enum VariantChange {
    /// CreateService `placementStrategy` (EC2 only).
    #[serde(rename_all = "camelCase")]
    PlacementStrategy {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        service: Option<String>,
        placement_strategy: Vec<PlacementStrategy>,
    },
    /// CreateService `deploymentConfiguration` (replaced whole).
    #[serde(rename_all = "camelCase")]
    DeploymentConfiguration {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        service: Option<String>,
        deployment_configuration: DeploymentConfiguration,
    },
    /// CreateService `launchType`; the service's `capacityProviderStrategy` is cleared (the API
    /// takes one or the other). The task definition must be compatible with it.
    #[serde(rename_all = "camelCase")]
    LaunchType {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        service: Option<String>,
        launch_type: LaunchType,
    },
    /// CreateService `capacityProviderStrategy`; the service's `launchType` is cleared.
    #[serde(rename_all = "camelCase")]
    CapacityProviderStrategy {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        service: Option<String>,
        capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
    },
    /// The instance type of every `containerInstances` group.
    #[serde(rename_all = "camelCase")]
    InstanceType { instance_type: String },
    /// `containerInstances` replaced whole (e.g. none for a Fargate-only run B).
    #[serde(rename_all = "camelCase")]
    ContainerInstances { container_instances: Vec<InstanceGroup> },
    /// The `scaling` section (scalable targets, policies, scheduled actions) replaced whole.
    #[serde(rename_all = "camelCase")]
    Scaling {
        #[cfg_attr(feature = "schema", schemars(with = "Option<crate::autoscaling::types::ScalingSection>"))]
        scaling: Option<Value>,
    },
    /// An RFC 7386 JSON merge patch on the whole scenario document (objects merge, `null`
    /// removes, anything else replaces; arrays are replaced whole).
    #[serde(rename_all = "camelCase")]
    MergePatch { merge_patch: Value },
}

/// RFC 7386 JSON Merge Patch (https://www.rfc-editor.org/rfc/rfc7386#section-2).
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    if let Value::Object(t) = target {
        for (k, v) in p {
            if v.is_null() {
                t.remove(k);
            } else {
                merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}

fn field_err(path: String, msg: String) -> ApiError {
    ApiError::invalid(path, msg)
}

/// The services (indexes) a change names; an unknown name is an error at `path`.
fn services_named(s: &Scenario, service: &Option<String>, path: &str) -> ApiResult<Vec<usize>> {
    match service {
        None => Ok((0..s.services.len()).collect()),
        Some(name) => match s.services.iter().position(|x| x.service_name == *name) {
            Some(i) => Ok(vec![i]),
            None => Err(field_err(format!("{path}.service"), format!("no service named \"{name}\" in services"))),
        },
    }
}

/// Replace `key` in the input of every timeline UpdateService for one of `names` that sets it.
fn patch_timeline_updates(s: &mut Scenario, names: &[String], key: &str, value: &Value) {
    for e in s.timeline.iter_mut().filter(|e| e.action == "UpdateService") {
        let svc = e.input.get("service").and_then(Value::as_str).map(|x| x.rsplit('/').next().unwrap_or(x));
        if svc.is_some_and(|n| names.iter().any(|x| x == n)) {
            if let Some(slot) = e.input.get_mut(key) {
                *slot = value.clone();
            }
        }
    }
}

impl Variant {
    /// Run B's scenario: a copy of `base` without its `variant`, with the patch applied in order.
    /// Errors name the change (`variant.patch[i]...`).
    pub fn apply(&self, base: &Scenario) -> ApiResult<Scenario> {
        let mut s = base.clone();
        s.variant = None;
        for (i, change) in self.patch.iter().enumerate() {
            let path = format!("variant.patch[{i}]");
            match change {
                VariantChange::PlacementStrategy { service, placement_strategy } => {
                    let ids = services_named(&s, service, &path)?;
                    let names: Vec<String> = ids.iter().map(|i| s.services[*i].service_name.clone()).collect();
                    for i in ids {
                        s.services[i].placement_strategy = placement_strategy.clone();
                    }
                    let v = serde_json::to_value(placement_strategy).unwrap_or(Value::Null);
                    patch_timeline_updates(&mut s, &names, "placementStrategy", &v);
                }
                VariantChange::DeploymentConfiguration { service, deployment_configuration } => {
                    let ids = services_named(&s, service, &path)?;
                    let names: Vec<String> = ids.iter().map(|i| s.services[*i].service_name.clone()).collect();
                    for i in ids {
                        s.services[i].deployment_configuration = Some(deployment_configuration.clone());
                    }
                    let v = serde_json::to_value(deployment_configuration).unwrap_or(Value::Null);
                    patch_timeline_updates(&mut s, &names, "deploymentConfiguration", &v);
                }
                VariantChange::LaunchType { service, launch_type } => {
                    for i in services_named(&s, service, &path)? {
                        s.services[i].launch_type = Some(*launch_type);
                        s.services[i].capacity_provider_strategy.clear();
                    }
                }
                VariantChange::CapacityProviderStrategy { service, capacity_provider_strategy } => {
                    for i in services_named(&s, service, &path)? {
                        s.services[i].launch_type = None;
                        s.services[i].capacity_provider_strategy = capacity_provider_strategy.clone();
                    }
                }
                VariantChange::InstanceType { instance_type } => {
                    if crate::instance_types::lookup(instance_type).is_none() {
                        return Err(field_err(
                            format!("{path}.instanceType"),
                            format!("\"{instance_type}\" is not an instance type the playground knows"),
                        ));
                    }
                    for g in &mut s.container_instances {
                        g.instance_type = instance_type.clone();
                    }
                }
                VariantChange::ContainerInstances { container_instances } => {
                    s.container_instances = container_instances.clone();
                }
                VariantChange::Scaling { scaling } => s.scaling = scaling.clone(),
                VariantChange::MergePatch { merge_patch: p } => {
                    let mut doc = serde_json::to_value(&s)
                        .map_err(|e| field_err(path.clone(), format!("the scenario does not serialize: {e}")))?;
                    merge_patch(&mut doc, p);
                    s = crate::scenario::scenario_from_value(doc).map_err(|e| {
                        field_err(format!("{path}.mergePatch"), format!("the patched scenario does not load: {e}"))
                    })?;
                    s.variant = None;
                }
            }
        }
        Ok(s)
    }

    /// The default labels: (A, B), the values the patch replaces and sets in AWS's spelling.
    pub fn default_labels(&self, base: &Scenario, b: &Scenario) -> (String, String) {
        let a: Vec<String> = self.patch.iter().map(|c| describe(c, base)).collect();
        let bb: Vec<String> = self.patch.iter().map(|c| describe(c, b)).collect();
        (a.join("; "), bb.join("; "))
    }
}

/// The value a change touches, as `scenario` has it, in AWS's spelling.
fn describe(change: &VariantChange, s: &Scenario) -> String {
    let svc = |name: &Option<String>| {
        name.as_ref().and_then(|n| s.services.iter().find(|x| x.service_name == *n)).or(s.services.first())
    };
    match change {
        VariantChange::PlacementStrategy { service, .. } => {
            let list = svc(service).map(|x| x.placement_strategy.clone()).unwrap_or_default();
            if list.is_empty() {
                return "placementStrategy (none)".into();
            }
            let items: Vec<String> = list
                .iter()
                .map(|p| match &p.field {
                    Some(f) => format!("{}({})", p.kind, f.trim_start_matches("attribute:ecs.")),
                    None => p.kind.clone(),
                })
                .collect();
            format!("placementStrategy {}", items.join(", "))
        }
        VariantChange::DeploymentConfiguration { service, .. } => {
            let dc = svc(service).and_then(|x| x.deployment_configuration.clone()).unwrap_or_default();
            format!(
                "minimumHealthyPercent {} / maximumPercent {}",
                dc.minimum_healthy_percent.unwrap_or(100),
                dc.maximum_percent.unwrap_or(200)
            )
        }
        VariantChange::LaunchType { service, .. } | VariantChange::CapacityProviderStrategy { service, .. } => {
            match svc(service) {
                Some(x) if !x.capacity_provider_strategy.is_empty() => {
                    let items: Vec<String> = x
                        .capacity_provider_strategy
                        .iter()
                        .map(|c| format!("{} base {} weight {}", c.capacity_provider, c.base, c.weight))
                        .collect();
                    format!("capacityProviderStrategy {}", items.join(", "))
                }
                Some(x) => format!("launchType {}", crate::views::aws_name(&x.launch_type.unwrap_or(LaunchType::Ec2))),
                None => "launchType".into(),
            }
        }
        VariantChange::InstanceType { .. } => {
            let mut types: Vec<&str> = s.container_instances.iter().map(|g| g.instance_type.as_str()).collect();
            types.dedup();
            format!("instanceType {}", if types.is_empty() { "(none)".into() } else { types.join(", ") })
        }
        VariantChange::ContainerInstances { .. } => {
            let n: u32 = s.container_instances.iter().map(|g| g.count).sum();
            format!("containerInstances {n}")
        }
        VariantChange::Scaling { .. } => {
            format!("scaling {}", if s.scaling.is_some() { "(as written)" } else { "(none)" })
        }
        VariantChange::MergePatch { .. } => "mergePatch".into(),
    }
}

/// The differences "Compare with..." offers on any scenario: run B is the scenario with the
/// other value of one setting of its first service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Difference {
    /// binpack on memory vs spread over Availability Zones, then instances
    /// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-strategies.html).
    PlacementStrategy,
    /// minimumHealthyPercent 50 / maximumPercent 100 vs 100 / 150
    /// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html).
    DeploymentConfiguration,
    /// The EC2 launch type vs Fargate (the task definition made compatible with the other one).
    LaunchType,
    /// The container instances' type one size apart (m5.large <-> m5.xlarge).
    InstanceType,
    /// The first service's target tracking policy: targetValue 50 vs 75
    /// (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html).
    ScalingPolicy,
    /// FARGATE only vs FARGATE base 1 weight 1 + FARGATE_SPOT weight 4
    /// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html).
    CapacityProviderStrategy,
}

impl Difference {
    pub const ALL: [Difference; 6] = [
        Difference::PlacementStrategy,
        Difference::DeploymentConfiguration,
        Difference::LaunchType,
        Difference::InstanceType,
        Difference::ScalingPolicy,
        Difference::CapacityProviderStrategy,
    ];

    /// The picks that apply to `base` (those `variant_for` builds a run B for): e.g. no scaling
    /// pick without a target tracking policy, no instance type without container instances.
    pub fn offered(base: &Scenario) -> Vec<Difference> {
        Difference::ALL.into_iter().filter(|d| variant_for(base, *d).is_ok()).collect()
    }

    /// The id a control or a link uses.
    pub fn id(self) -> &'static str {
        match self {
            Difference::PlacementStrategy => "placementStrategy",
            Difference::DeploymentConfiguration => "deploymentConfiguration",
            Difference::LaunchType => "launchType",
            Difference::InstanceType => "instanceType",
            Difference::ScalingPolicy => "scalingPolicy",
            Difference::CapacityProviderStrategy => "capacityProviderStrategy",
        }
    }

    pub fn from_id(id: &str) -> Option<Difference> {
        Difference::ALL.into_iter().find(|d| d.id() == id)
    }
}

/// binpack on memory: the fewest instances.
pub fn binpack_memory() -> Vec<PlacementStrategy> {
    vec![PlacementStrategy { kind: "binpack".into(), field: Some("memory".into()) }]
}

/// spread over Availability Zones, then over instances.
pub fn spread_az_then_instance() -> Vec<PlacementStrategy> {
    vec![
        PlacementStrategy { kind: "spread".into(), field: Some("attribute:ecs.availability-zone".into()) },
        PlacementStrategy { kind: "spread".into(), field: Some("instanceId".into()) },
    ]
}

/// Run B for a "Compare with..." pick on `base`: the other value of the setting for the
/// scenario's first service (binpack <-> spread; 50/100 <-> 100/150). Errors name the field:
/// no service, or a placement strategy on a service that does not run on EC2 instances.
pub fn variant_for(base: &Scenario, pick: Difference) -> ApiResult<Variant> {
    let Some(svc) = base.services.first() else {
        return Err(field_err("services".into(), "the scenario has no service to compare".into()));
    };
    let service = Some(svc.service_name.clone());
    let change = match pick {
        Difference::PlacementStrategy => {
            // Placement strategies apply to tasks on EC2 container instances only.
            // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement.html
            if svc.launch_type == Some(LaunchType::Fargate) || base.container_instances.is_empty() {
                return Err(field_err(
                    format!("services[0].placementStrategy ({})", svc.service_name),
                    "placement strategies apply to tasks on EC2 container instances; this service has none".into(),
                ));
            }
            let binpack = svc.placement_strategy.first().is_some_and(|p| p.kind == "binpack");
            let placement_strategy = if binpack { spread_az_then_instance() } else { binpack_memory() };
            VariantChange::PlacementStrategy { service, placement_strategy }
        }
        Difference::DeploymentConfiguration => {
            let mut dc = svc.deployment_configuration.clone().unwrap_or_default();
            let is_50_100 = dc.minimum_healthy_percent == Some(50) && dc.maximum_percent == Some(100);
            let (min, max) = if is_50_100 { (100, 150) } else { (50, 100) };
            dc.minimum_healthy_percent = Some(min);
            dc.maximum_percent = Some(max);
            VariantChange::DeploymentConfiguration { service, deployment_configuration: dc }
        }
        Difference::LaunchType => return launch_type_variant(base),
        Difference::InstanceType => {
            let Some(g) = base.container_instances.first() else {
                return Err(field_err(
                    "containerInstances".into(),
                    "the scenario has no container instances whose type could differ".into(),
                ));
            };
            VariantChange::InstanceType { instance_type: other_instance_size(&g.instance_type) }
        }
        Difference::ScalingPolicy => return scaling_variant(base, &svc.service_name),
        Difference::CapacityProviderStrategy => return capacity_provider_variant(base),
    };
    Ok(Variant { base_label: None, label: None, patch: vec![change] })
}

/// The instance type one size apart in the same family: `large` <-> `xlarge` (m5.large has 2 vCPU,
/// 8 GiB and 3 ENIs, m5.xlarge 4 vCPU, 16 GiB and 4 ENIs at twice the hourly price: the nearest
/// pair where the same tasks fit on half the instances, so instances in use and cost both move;
/// https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html). Another size goes one size up,
/// else one down; a type the playground does not know goes to m5.large.
pub fn other_instance_size(instance_type: &str) -> String {
    const SIZES: [&str; 12] = [
        "nano", "micro", "small", "medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge",
        "24xlarge",
    ];
    let (family, size) = instance_type.split_once('.').unwrap_or(("m5", "large"));
    let known = |t: String| crate::instance_types::lookup(&t).map(|_| t);
    let at = |i: usize| SIZES.get(i).and_then(|z| known(format!("{family}.{z}")));
    match size {
        "large" => known(format!("{family}.xlarge")),
        "xlarge" => known(format!("{family}.large")),
        _ => SIZES.iter().position(|z| *z == size).and_then(|i| at(i + 1).or_else(|| i.checked_sub(1).and_then(at))),
    }
    .unwrap_or_else(|| if instance_type == "m5.large" { "m5.xlarge".into() } else { "m5.large".into() })
}

/// Run B with the other target value of the first service's first target tracking policy: 50
/// vs 75 (50 unless it is 50 already). A lower target keeps more tasks for the same load
/// ("the scaling policy adds or removes capacity as required to keep the metric at, or close to,
/// the specified target value":
/// https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html).
fn scaling_variant(base: &Scenario, service: &str) -> ApiResult<Variant> {
    let none = || {
        field_err(
            "scaling.ScalingPolicies".into(),
            format!("no target tracking scaling policy for service \"{service}\""),
        )
    };
    let mut scaling = base.scaling.clone().ok_or_else(none)?;
    let suffix = format!("/{service}");
    let policy = scaling.get_mut("ScalingPolicies").and_then(Value::as_array_mut).and_then(|ps| {
        ps.iter_mut().find(|p| {
            p["ResourceId"].as_str().is_some_and(|r| r.ends_with(&suffix))
                && p["TargetTrackingScalingPolicyConfiguration"]["TargetValue"].is_number()
        })
    });
    let Some(policy) = policy else { return Err(none()) };
    let name = policy["PolicyName"].as_str().unwrap_or("").to_string();
    let cfg = &mut policy["TargetTrackingScalingPolicyConfiguration"];
    let was = cfg["TargetValue"].as_f64().unwrap_or(0.0);
    let now = if was == 50.0 { 75.0 } else { 50.0 };
    cfg["TargetValue"] = Value::from(now);
    let label = |v: f64| Text::en(format!("{name} TargetValue {v}"));
    Ok(Variant {
        base_label: Some(label(was)),
        label: Some(label(now)),
        patch: vec![VariantChange::Scaling { scaling: Some(scaling) }],
    })
}

/// Run B with the first (Fargate) service on the other capacity provider strategy: FARGATE only
/// vs FARGATE base 1 weight 1 and FARGATE_SPOT weight 4 (one task always on FARGATE, then 1 in 5
/// on FARGATE, 4 in 5 on FARGATE_SPOT: "if you specify a weight of 1 for capacityProviderA and a
/// weight of 4 for capacityProviderB, then for every one task that's run using capacityProviderA,
/// four tasks would use capacityProviderB",
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html).
/// A strategy with FARGATE_SPOT goes to FARGATE only. Both providers are associated with the
/// cluster (PutClusterCapacityProviders) when they are not yet.
fn capacity_provider_variant(base: &Scenario) -> ApiResult<Variant> {
    let svc = &base.services[0];
    let fargate = if svc.capacity_provider_strategy.is_empty() {
        svc.launch_type == Some(LaunchType::Fargate)
    } else {
        svc.capacity_provider_strategy.iter().all(|c| crate::capacity::strategy::is_fargate(&c.capacity_provider))
    };
    if !fargate {
        return Err(field_err(
            format!("services[0].capacityProviderStrategy ({})", svc.service_name),
            "the FARGATE and FARGATE_SPOT capacity providers run Fargate tasks; this service runs on EC2".into(),
        ));
    }
    let spot =
        svc.capacity_provider_strategy.iter().any(|c| c.capacity_provider == crate::capacity::strategy::FARGATE_SPOT);
    let item =
        |p: &str, base: u32, weight: u32| CapacityProviderStrategyItem { capacity_provider: p.into(), base, weight };
    let strategy = if spot {
        vec![item("FARGATE", 0, 1)]
    } else {
        vec![item("FARGATE", 1, 1), item(crate::capacity::strategy::FARGATE_SPOT, 0, 4)]
    };
    let mut patch = Vec::new();
    let mut section = base.capacity_providers.clone().unwrap_or_else(|| serde_json::json!({}));
    let put = &mut section["putClusterCapacityProviders"];
    if !put.is_object() {
        *put = serde_json::json!({"capacityProviders": [], "defaultCapacityProviderStrategy": []});
    }
    let mut names: Vec<Value> = put["capacityProviders"].as_array().cloned().unwrap_or_default();
    let before = names.len();
    for p in ["FARGATE", crate::capacity::strategy::FARGATE_SPOT] {
        if !names.iter().any(|n| n == p) {
            names.push(Value::from(p));
        }
    }
    if names.len() != before || base.capacity_providers.is_none() {
        put["capacityProviders"] = Value::Array(names);
        patch.push(VariantChange::MergePatch { merge_patch: serde_json::json!({ "capacityProviders": section }) });
    }
    let change = VariantChange::CapacityProviderStrategy {
        service: Some(svc.service_name.clone()),
        capacity_provider_strategy: strategy,
    };
    // The labels name the strategies only (not the association the merge patch adds).
    let mut b = base.clone();
    b.services[0].launch_type = None;
    if let VariantChange::CapacityProviderStrategy { capacity_provider_strategy, .. } = &change {
        b.services[0].capacity_provider_strategy = capacity_provider_strategy.clone();
    }
    let (la, lb) = (describe(&change, base), describe(&change, &b));
    patch.push(change);
    Ok(Variant { base_label: Some(Text::en(la)), label: Some(Text::en(lb)), patch })
}

/// The smallest Fargate task size that holds `cpu` units and `memory` MiB
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
pub fn fargate_size(cpu: u32, memory: u32) -> Option<(u32, u32)> {
    let sizes: [(u32, Vec<u32>); 5] = [
        (256, vec![512, 1024, 2048]),
        (512, (1..=4).map(|g| g * 1024).collect()),
        (1024, (2..=8).map(|g| g * 1024).collect()),
        (2048, (4..=16).map(|g| g * 1024).collect()),
        (4096, (8..=30).map(|g| g * 1024).collect()),
    ];
    sizes.iter().filter(|(c, _)| *c >= cpu).find_map(|(c, mems)| mems.iter().find(|m| **m >= memory).map(|m| (*c, *m)))
}

/// Run B with the first service on the other launch type. EC2 -> FARGATE: the task definition
/// gets FARGATE compatibility, `awsvpc`, a task size from the containers' cpu/memory, host ports
/// left out and an execution role; the service a network configuration over the cluster's
/// subnets (and no placement strategy: Fargate takes none); its target groups `ip` targets;
/// container instances are dropped when no other service uses them. FARGATE -> EC2: EC2
/// compatibility and, without container instances, m5.large instances in each AZ for the desired
/// count (an awsvpc task takes one of the instance's 2 spare ENIs).
fn launch_type_variant(base: &Scenario) -> ApiResult<Variant> {
    let svc = &base.services[0];
    let to_fargate = svc.launch_type != Some(LaunchType::Fargate);
    let mut doc = serde_json::to_value(base)
        .map_err(|e| field_err("scenario".into(), format!("the scenario does not serialize: {e}")))?;
    let family = svc.task_definition.rsplit('/').next().unwrap_or("").split(':').next().unwrap_or("").to_string();
    let Some(td) = doc["taskDefinitions"]
        .as_array_mut()
        .and_then(|tds| tds.iter_mut().find(|t| t["family"].as_str() == Some(family.as_str())))
    else {
        return Err(field_err(
            "services[0].taskDefinition".into(),
            format!("no task definition of family \"{family}\" in taskDefinitions"),
        ));
    };
    let compat = if to_fargate { "FARGATE" } else { "EC2" };
    let mut compats: Vec<Value> = td["requiresCompatibilities"].as_array().cloned().unwrap_or_default();
    if !compats.iter().any(|c| c == compat) {
        compats.push(Value::from(compat));
    }
    td["requiresCompatibilities"] = Value::Array(compats);
    if to_fargate {
        td["networkMode"] = Value::from("awsvpc");
        let containers = td["containerDefinitions"].as_array().cloned().unwrap_or_default();
        let sum = |k: &str| containers.iter().map(|c| c[k].as_u64().unwrap_or(0) as u32).sum::<u32>();
        let cpu = td["cpu"].as_str().and_then(|c| c.parse().ok()).unwrap_or(sum("cpu"));
        let memory =
            td["memory"].as_str().and_then(|c| c.parse().ok()).unwrap_or(sum("memory").max(sum("memoryReservation")));
        let Some((c, m)) = fargate_size(cpu, memory) else {
            return Err(field_err(
                format!("taskDefinitions ({family}).cpu"),
                format!("{cpu} CPU units and {memory} MiB fit no Fargate task size"),
            ));
        };
        td["cpu"] = Value::from(c.to_string());
        td["memory"] = Value::from(m.to_string());
        if td.get("executionRoleArn").is_none_or(Value::is_null) {
            td["executionRoleArn"] =
                Value::from(format!("arn:aws:iam::{}:role/ecsTaskExecutionRole", crate::aws::ACCOUNT_ID));
        }
        if let Some(cs) = td["containerDefinitions"].as_array_mut() {
            for c in cs {
                if let Some(pms) = c["portMappings"].as_array_mut() {
                    for pm in pms.iter_mut().filter_map(Value::as_object_mut) {
                        pm.remove("hostPort");
                    }
                }
            }
        }
    }
    let s0 = &mut doc["services"][0];
    s0["launchType"] = Value::from(compat);
    if let Some(o) = s0.as_object_mut() {
        o.remove("capacityProviderStrategy");
        if to_fargate {
            o.remove("placementStrategy");
            o.remove("placementConstraints");
        }
    }
    if to_fargate && s0.get("networkConfiguration").is_none_or(Value::is_null) {
        // The subnets the simulated VPC gives each Availability Zone (sim/load.rs).
        let subnets: Vec<String> =
            (0..base.availability_zones.len()).map(|i| format!("subnet-{:017x}", 0xa11ce000 + i as u64)).collect();
        s0["networkConfiguration"] =
            serde_json::json!({"awsvpcConfiguration": {"subnets": subnets, "assignPublicIp": "DISABLED"}});
    }
    let mut patch = serde_json::Map::new();
    if to_fargate {
        let arns: Vec<String> = svc.load_balancers.iter().filter_map(|l| l.target_group_arn.clone()).collect();
        if let Some(tgs) = doc["targetGroups"].as_array_mut() {
            for tg in tgs {
                let name = tg["Name"].as_str().unwrap_or("").to_string();
                if arns.iter().any(|a| a.contains(&format!("targetgroup/{name}/")) || *a == name) {
                    tg["TargetType"] = Value::from("ip");
                }
            }
        }
        patch.insert("targetGroups".into(), doc["targetGroups"].clone());
        if base.services.len() == 1 {
            patch.insert("containerInstances".into(), Value::Array(Vec::new()));
        }
    } else if base.container_instances.is_empty() {
        let azs = base.availability_zones.len().max(1) as u32;
        // The most tasks the service asks for: its desiredCount or a later UpdateService's.
        let most = base
            .timeline
            .iter()
            .filter(|e| e.action == "UpdateService")
            .filter(|e| {
                e.input["service"].as_str().map(|n| n.rsplit('/').next().unwrap_or(n)) == Some(&svc.service_name)
            })
            .filter_map(|e| e.input["desiredCount"].as_u64())
            .map(|n| n as u32)
            .fold(svc.desired_count.unwrap_or(1), u32::max);
        let per_az = most.div_ceil(2 * azs).max(1);
        let groups: Vec<Value> = base
            .availability_zones
            .iter()
            .map(|az| serde_json::json!({"instanceType": "m5.large", "availabilityZone": az, "count": per_az}))
            .collect();
        patch.insert("containerInstances".into(), Value::Array(groups));
    }
    patch.insert("taskDefinitions".into(), doc["taskDefinitions"].clone());
    patch.insert("services".into(), doc["services"].clone());
    let label = |lt: &str| Text::en(format!("launchType {lt}"));
    Ok(Variant {
        base_label: Some(label(if to_fargate { "EC2" } else { "FARGATE" })),
        label: Some(label(compat)),
        patch: vec![VariantChange::MergePatch { merge_patch: Value::Object(patch) }],
    })
}

/// The scenario document `text` with `variant` as its `variant` section (the rest of the
/// document as written), e.g. for a share link that carries both runs.
pub fn with_variant(text: &str, variant: &Variant) -> ApiResult<String> {
    let mut doc: Value =
        serde_json::from_str(text).map_err(|e| field_err("scenario".into(), format!("not JSON: {e}")))?;
    let Value::Object(map) = &mut doc else {
        return Err(field_err("scenario".into(), "a scenario is a JSON object".into()));
    };
    map.insert("variant".into(), serde_json::to_value(variant).unwrap_or(Value::Null));
    Ok(serde_json::to_string_pretty(&doc).unwrap_or_default())
}

/// The scenario document `text` without its `variant` section (the rest as written): back to one
/// run, e.g. when the user picks "no comparison" in "Compare with...". A document without a
/// variant comes back unchanged in content.
pub fn without_variant(text: &str) -> ApiResult<String> {
    let mut doc: Value =
        serde_json::from_str(text).map_err(|e| field_err("scenario".into(), format!("not JSON: {e}")))?;
    let Value::Object(map) = &mut doc else {
        return Err(field_err("scenario".into(), "a scenario is a JSON object".into()));
    };
    map.remove("variant");
    Ok(serde_json::to_string_pretty(&doc).unwrap_or_default())
}

/// One clock for two replays: bring run B to run A's moment with A's recorded user actions
/// (`Playback::follow`: the same calls at the same times, re-simulating from a checkpoint after
/// a jump back or a new branch). Called after every change to A, so play, pause, step, scrub,
/// speed and the user's actions drive both.
pub fn keep_in_step(a: &crate::replay::Playback, b: &mut crate::replay::Playback) {
    let same = b.commands() == a.commands();
    if same && b.now() == a.now() {
        return;
    }
    b.follow(a.commands().to_vec(), a.now());
}

/// Each run's label in `lang`: the variant's labels, else the values the patch replaces and sets.
pub fn labels(base: &Scenario, variant: &Variant, b: &Scenario) -> (Text, Text) {
    let (da, db) = variant.default_labels(base, b);
    (variant.base_label.clone().unwrap_or_else(|| Text::en(da)), variant.label.clone().unwrap_or_else(|| Text::en(db)))
}

/// Where a run of `s` ends, in seconds (when the summary is written): the lesson's
/// `durationSeconds`, else a minute after the last timeline action and at least 10 minutes.
pub fn end_seconds(s: &Scenario) -> f64 {
    if let Some(d) = s.lesson.as_ref().and_then(|l| l.duration_seconds) {
        if d.is_finite() && d > 0.0 {
            return d;
        }
    }
    let last = s.timeline.iter().map(|e| e.at).fold(0.0, f64::max);
    (last + 60.0).max(600.0)
}

/// Two simulations of one cluster with one difference, on one clock.
#[derive(Debug, Clone)]
pub struct AbRun {
    pub a: Simulation,
    pub b: Simulation,
    /// Each run's label (what is different), per language.
    pub label_a: Text,
    pub label_b: Text,
}

impl AbRun {
    /// Both runs of a scenario with a `variant` (same seed: `seed`, else the scenario's own).
    /// Errors: no variant, a change that does not apply, a run that does not load (named).
    pub fn from_scenario(base: &Scenario, seed: Option<u64>) -> ApiResult<AbRun> {
        let Some(v) = base.variant.as_ref() else {
            return Err(field_err("variant".into(), "the scenario has no variant section".into()));
        };
        let b = v.apply(base)?;
        let (label_a, label_b) = labels(base, v, &b);
        Self::from_pair(base.clone(), b, seed, label_a, label_b)
    }

    /// Two whole scenarios; both run with `seed`, else A's seed.
    pub fn from_pair(a: Scenario, b: Scenario, seed: Option<u64>, label_a: Text, label_b: Text) -> ApiResult<AbRun> {
        let seed = seed.unwrap_or(a.seed);
        let sa = Simulation::with_seed(a, seed)?;
        let sb = Simulation::with_seed(b, seed).map_err(|e| {
            let mut e = e;
            e.message = format!("run B: {}", e.message);
            e
        })?;
        Ok(AbRun { a: sa, b: sb, label_a, label_b })
    }

    /// Advance both runs to `t`.
    pub fn run_until(&mut self, t: SimTime) {
        self.a.run_until(t);
        self.b.run_until(t);
    }

    pub fn now(&self) -> SimTime {
        self.a.now().min(self.b.now())
    }

    /// The figures strip for both runs now.
    pub fn figures(&self) -> AbFigures {
        AbFigures { a: RunFigures::of(&self.a), b: RunFigures::of(&self.b) }
    }

    /// One paragraph on what differed, in `lang` (en, zh-CN, ko, ru; others: English).
    pub fn summary(&self, lang: &str) -> String {
        summary(&self.figures(), self.label_a.get(lang), self.label_b.get(lang), lang)
    }
}

/// RUNNING tasks in one Availability Zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AzCount {
    pub availability_zone: String,
    pub running_tasks: u32,
}

/// The latest deployment of the first service that was updated (else the first service's
/// initial deployment).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentFigures {
    pub service: String,
    /// false: the service's first deployment (CreateService); true: one started later.
    pub update: bool,
    pub started_at_seconds: f64,
    /// Seconds from its start to SERVICE_DEPLOYMENT_COMPLETED (or _FAILED); None: still going.
    pub finished_after_seconds: Option<f64>,
    pub failed: bool,
    /// The fewest RUNNING tasks of the service between the start and the end (or now); only for
    /// an update (a first deployment starts from zero).
    pub lowest_running: Option<u32>,
}

/// One run's figures at its current simulated time.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunFigures {
    pub at_seconds: f64,
    /// ACTIVE container instances.
    pub instances_active: u32,
    /// ACTIVE container instances with at least one task not yet STOPPED on them.
    pub instances_in_use: u32,
    pub running_tasks: u32,
    /// RUNNING tasks per Availability Zone of the cluster, in the scenario's order.
    pub tasks_per_az: Vec<AzCount>,
    pub deployment: Option<DeploymentFigures>,
    /// Requests the load balancer received (sum of RequestCount datapoints).
    pub requests: u64,
    /// Requests answered with a 5XX (HTTPCode_ELB_5XX_Count + HTTPCode_Target_5XX_Count).
    pub requests_failed: u64,
    /// The running bill (US dollars; None: no price table for the region).
    pub cost_usd: Option<f64>,
}

impl RunFigures {
    pub fn of(sim: &Simulation) -> RunFigures {
        let st = sim.state();
        let mut in_use = vec![false; st.instances.len()];
        let mut per_az: BTreeMap<&str, u32> = BTreeMap::new();
        let mut running = 0;
        for t in &st.tasks {
            if t.last_status == TaskStatus::Stopped {
                continue;
            }
            if let Some(i) = t.instance {
                if let Some(u) = in_use.get_mut(i.idx()) {
                    *u = true;
                }
            }
            if t.last_status == TaskStatus::Running {
                running += 1;
                *per_az.entry(t.availability_zone.as_str()).or_default() += 1;
            }
        }
        let active: Vec<bool> = st.instances.iter().map(|i| i.is_active()).collect();
        let instances_in_use = in_use.iter().zip(&active).filter(|(u, a)| **u && **a).count() as u32;
        let tasks_per_az = st
            .azs
            .iter()
            .map(|a| AzCount {
                availability_zone: a.name.clone(),
                running_tasks: per_az.get(a.name.as_str()).copied().unwrap_or(0),
            })
            .collect();
        let (mut requests, mut failed) = (0.0, 0.0);
        for e in sim.log().entries() {
            if e.detail_type != kind::METRIC {
                continue;
            }
            match e.detail.get("metricName").and_then(Value::as_str) {
                Some("RequestCount") => requests += e.detail["value"].as_f64().unwrap_or(0.0),
                Some("HTTPCode_ELB_5XX_Count" | "HTTPCode_Target_5XX_Count") => {
                    failed += e.detail["value"].as_f64().unwrap_or(0.0)
                }
                _ => {}
            }
        }
        RunFigures {
            at_seconds: sim.now() as f64 / 1000.0,
            instances_active: active.iter().filter(|a| **a).count() as u32,
            instances_in_use,
            running_tasks: running,
            tasks_per_az,
            deployment: deployment_figures(sim, None),
            requests: requests.round() as u64,
            requests_failed: failed.round() as u64,
            cost_usd: sim.cost_meter().map(|m| m.totals(sim.now()).total),
        }
    }
}

/// From the log's ECS Deployment State Change events
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html):
/// SERVICE_DEPLOYMENT_IN_PROGRESS starts a deployment, _COMPLETED or _FAILED ends it.
/// `service`: that service's latest deployment (None: the first service that was updated, else
/// the first service's initial deployment).
pub fn deployment_figures(sim: &Simulation, service: Option<&str>) -> Option<DeploymentFigures> {
    let st = sim.state();
    // Per service: (deployment id, start, end, failed), in order.
    type Run = (String, SimTime, Option<SimTime>, bool);
    let mut per_service: Vec<Vec<Run>> = vec![Vec::new(); st.services.len()];
    for e in sim.log().entries() {
        if e.detail_type != kind::DEPLOYMENT_STATE_CHANGE {
            continue;
        }
        let Some(arn) = e.envelope.as_ref().and_then(|en| en.resources.first()) else { continue };
        let Some(s) = st.services.iter().position(|x| x.service_arn == *arn) else { continue };
        let id = e.detail["deploymentId"].as_str().unwrap_or("").to_string();
        let runs = &mut per_service[s];
        match e.detail["eventName"].as_str() {
            Some("SERVICE_DEPLOYMENT_IN_PROGRESS") if !runs.iter().any(|r| r.0 == id && r.2.is_none()) => {
                runs.push((id, e.t, None, false));
            }
            Some(name @ ("SERVICE_DEPLOYMENT_COMPLETED" | "SERVICE_DEPLOYMENT_FAILED")) => {
                if let Some(r) = runs.iter_mut().rev().find(|r| r.0 == id && r.2.is_none()) {
                    r.2 = Some(e.t);
                    r.3 = name == "SERVICE_DEPLOYMENT_FAILED";
                }
            }
            _ => {}
        }
    }
    let pick = match service {
        Some(name) => st.services.iter().position(|x| x.service_name == name)?,
        None => per_service.iter().position(|r| r.len() > 1).or(if per_service.is_empty() { None } else { Some(0) })?,
    };
    let runs = &per_service[pick];
    let (_, start, end, failed) = runs.last()?.clone();
    let update = runs.len() > 1;
    let svc = &st.services[pick];
    let lowest_running = if update {
        let h = crate::sim::history_view::service_history(
            sim.log().entries(),
            &svc.service_name,
            svc.desired_count,
            svc.spec.scheduling_strategy == Some(crate::scenario::SchedulingStrategy::Daemon),
            sim.now(),
        );
        let until = end.unwrap_or(sim.now());
        let before = crate::sim::history_view::counts_at(&h, start).map(|p| p.running);
        h.counts.iter().filter(|p| p.t > start && p.t <= until).map(|p| p.running).chain(before).min()
    } else {
        None
    };
    Some(DeploymentFigures {
        service: svc.service_name.clone(),
        update,
        started_at_seconds: start as f64 / 1000.0,
        finished_after_seconds: end.map(|e| (e - start) as f64 / 1000.0),
        failed,
        lowest_running,
    })
}

/// Both runs' figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AbFigures {
    pub a: RunFigures,
    pub b: RunFigures,
}

impl AbFigures {
    /// The strip at the runs' current moment: each figure reads state and log up to that moment,
    /// so a replay seeked to any time (`keep_in_step`) gives the strip as it was then.
    pub fn of(a: &Simulation, b: &Simulation) -> AbFigures {
        AbFigures { a: RunFigures::of(a), b: RunFigures::of(b) }
    }
}

fn secs(s: f64) -> String {
    format!("{} s", crate::log::fmt_secs((s * 1000.0).round() as SimTime))
}

fn az_list(f: &RunFigures) -> String {
    f.tasks_per_az.iter().map(|a| format!("{} {}", a.availability_zone, a.running_tasks)).collect::<Vec<_>>().join(", ")
}

/// The summary paragraph: each sentence states figures of both runs, nothing else.
pub fn summary(f: &AbFigures, label_a: &str, label_b: &str, lang: &str) -> String {
    let (a, b) = (&f.a, &f.b);
    let mut out: Vec<String> = Vec::new();
    let (ia, ib) = (a.instances_in_use, b.instances_in_use);
    let (ta, tb) = (a.running_tasks, b.running_tasks);
    out.push(match lang {
        "zh-CN" => format!(
            "运行 A（{label_a}）有 {ta} 个任务处于 RUNNING 状态，使用 {ia} 个容器实例；运行 B（{label_b}）有 {tb} 个任务，使用 {ib} 个容器实例。"
        ),
        "ko" => format!(
            "실행 A({label_a})는 RUNNING 작업 {ta}개가 컨테이너 인스턴스 {ia}개를 사용하고, 실행 B({label_b})는 작업 {tb}개가 컨테이너 인스턴스 {ib}개를 사용합니다."
        ),
        "ru" => format!(
            "Прогон A ({label_a}): {ta} задач в состоянии RUNNING занимают экземпляров контейнеров: {ia}; прогон B ({label_b}): {tb} задач, экземпляров контейнеров: {ib}."
        ),
        _ => format!(
            "Run A ({label_a}) has {ta} tasks RUNNING on {ia} container instances; run B ({label_b}) has {tb} tasks RUNNING on {ib} container instances."
        ),
    });
    if !a.tasks_per_az.is_empty() {
        let (za, zb) = (az_list(a), az_list(b));
        out.push(match lang {
            "zh-CN" => format!("每个可用区的 RUNNING 任务：A 为 {za}；B 为 {zb}。"),
            "ko" => format!("가용 영역별 RUNNING 작업: A는 {za}, B는 {zb}입니다."),
            "ru" => format!("Задачи RUNNING по зонам доступности: A — {za}; B — {zb}."),
            _ => format!("RUNNING tasks per Availability Zone: A {za}; B {zb}."),
        });
    }
    if let (Some(da), Some(db)) = (&a.deployment, &b.deployment) {
        let took = |d: &DeploymentFigures, lang: &str| match (d.finished_after_seconds, d.failed, lang) {
            (Some(s), false, _) => secs(s),
            (Some(s), true, "zh-CN") => format!("{}（失败）", secs(s)),
            (Some(s), true, "ko") => format!("{}(실패)", secs(s)),
            (Some(s), true, "ru") => format!("{} (неудачно)", secs(s)),
            (Some(s), true, _) => format!("{} (failed)", secs(s)),
            (None, _, "zh-CN") => "尚未完成".into(),
            (None, _, "ko") => "아직 끝나지 않음".into(),
            (None, _, "ru") => "ещё не завершено".into(),
            (None, _, _) => "not finished yet".into(),
        };
        let (xa, xb) = (took(da, lang), took(db, lang));
        out.push(match lang {
            "zh-CN" => format!("服务 {} 的部署用时：A 为 {xa}，B 为 {xb}。", da.service),
            "ko" => format!("서비스 {}의 배포 소요 시간: A는 {xa}, B는 {xb}입니다.", da.service),
            "ru" => format!("Развёртывание сервиса {}: A — {xa}, B — {xb}.", da.service),
            _ => format!("The deployment of service {} took {xa} in A and {xb} in B.", da.service),
        });
        if let (Some(la), Some(lb)) = (da.lowest_running, db.lowest_running) {
            out.push(match lang {
                "zh-CN" => format!("部署期间 RUNNING 任务最少时：A 为 {la} 个，B 为 {lb} 个。"),
                "ko" => format!("배포 중 가장 적었던 RUNNING 작업 수: A는 {la}개, B는 {lb}개입니다."),
                "ru" => format!("Наименьшее число задач RUNNING во время развёртывания: A — {la}, B — {lb}."),
                _ => format!("The fewest tasks RUNNING during it: {la} in A, {lb} in B."),
            });
        }
    }
    if a.requests > 0 || b.requests > 0 {
        let (ra, rb) = (a.requests_failed, b.requests_failed);
        out.push(match lang {
            "zh-CN" => format!("失败的请求（5XX）：A 为 {ra} 个，B 为 {rb} 个。"),
            "ko" => format!("실패한 요청(5XX): A는 {ra}개, B는 {rb}개입니다."),
            "ru" => format!("Неудачные запросы (5XX): A — {ra}, B — {rb}."),
            _ => format!("Requests failed (5XX): {ra} in A, {rb} in B."),
        });
    }
    if let (Some(ca), Some(cb)) = (a.cost_usd, b.cost_usd) {
        // Whole seconds: the moment read, not the frame's milliseconds.
        let at = secs(a.at_seconds.floor());
        out.push(match lang {
            "zh-CN" => format!("到 {at} 为止的费用：A 为 ${ca:.4}，B 为 ${cb:.4}。"),
            "ko" => format!("{at}까지의 비용: A는 ${ca:.4}, B는 ${cb:.4}입니다."),
            "ru" => format!("Стоимость к {at}: A — ${ca:.4}, B — ${cb:.4}."),
            _ => format!("Cost so far ({at}): ${ca:.4} in A, ${cb:.4} in B."),
        });
    }
    let sep = if matches!(lang, "zh-CN") { "" } else { " " };
    out.join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7386_examples() {
        // RFC 7386 appendix A, a few of its cases.
        let cases = [
            (json!({"a":"b"}), json!({"a":"c"}), json!({"a":"c"})),
            (json!({"a":"b"}), json!({"b":"c"}), json!({"a":"b","b":"c"})),
            (json!({"a":"b"}), json!({"a":null}), json!({})),
            (json!({"a":["b"]}), json!({"a":"c"}), json!({"a":"c"})),
            (json!({"a":{"b":"c"}}), json!({"a":{"b":"d","c":null}}), json!({"a":{"b":"d"}})),
            (json!({"a":[{"b":"c"}]}), json!({"a":[1]}), json!({"a":[1]})),
            (json!({"e":null}), json!({"a":1}), json!({"e":null,"a":1})),
            (json!([1, 2]), json!({"a":"b","c":null}), json!({"a":"b"})),
        ];
        for (mut target, patch, want) in cases {
            merge_patch(&mut target, &patch);
            assert_eq!(target, want);
        }
    }

    #[test]
    fn without_variant_undoes_with_variant_and_keeps_the_rest() {
        let text = include_str!("../../scenarios/rolling-update-50-100.json");
        let base = crate::parse_scenario(text).expect("parses");
        let v = variant_for(&base, Difference::DeploymentConfiguration).expect("50/100 -> 100/150");
        let with = with_variant(text, &v).expect("document");
        assert!(crate::parse_scenario(&with).expect("parses").variant.is_some());
        let without = without_variant(&with).expect("document");
        let parsed = crate::parse_scenario(&without).expect("the document without its variant parses");
        assert_eq!(parsed.variant, None);
        assert_eq!(parsed, base, "everything but the variant as it was");
        let as_json = |t: &str| serde_json::from_str::<Value>(t).expect("JSON");
        assert_eq!(as_json(&without), as_json(text));
        // A document with no variant: the same content.
        assert_eq!(as_json(&without_variant(text).expect("document")), as_json(text));
        // Not a scenario document: an error on the document, no panic.
        assert_eq!(without_variant("[1]").expect_err("an array").field, "scenario");
        assert_eq!(without_variant("{").expect_err("not JSON").field, "scenario");
    }
}
