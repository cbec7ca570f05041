//! Builders for the inputs of the engine actions the controls send (`Simulation::apply`). They
//! write API request bodies from what the user chose; the engine validates and decides.

use ecs_sim::model::DeploymentStatus;
use ecs_sim::Simulation;
use serde_json::{json, Value};

pub fn update_desired_count(service: &str, desired: u32) -> Value {
    json!({"service": service, "desiredCount": desired})
}

pub fn update_deployment_configuration(
    service: &str,
    minimum_healthy_percent: u32,
    maximum_percent: u32,
    circuit_breaker: (bool, bool),
) -> Value {
    json!({"service": service, "deploymentConfiguration": {
        "minimumHealthyPercent": minimum_healthy_percent,
        "maximumPercent": maximum_percent,
        "deploymentCircuitBreaker": {"enable": circuit_breaker.0, "rollback": circuit_breaker.1},
    }})
}

/// How a new revision differs from the service's current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Revision {
    /// A new image tag that exists.
    Good,
    /// An image tag that does not exist: pulls fail with CannotPullContainerError.
    BadImage,
}

/// A RegisterTaskDefinition body: the service's PRIMARY revision with its first container's
/// image re-tagged (`:v<next revision>` or `:does-not-exist`).
pub fn next_revision(sim: &Simulation, service: &str, kind: Revision) -> Option<Value> {
    let st = sim.state();
    let s = st.service_by_name(service)?;
    let primary = st.services.get(s.idx())?.deployments.iter().find(|d| d.status == DeploymentStatus::Primary)?;
    let td = st.task_defs.get(&primary.task_def)?;
    let next = st.task_defs.families.get(&td.family).map(|v| v.len() as u32 + 1).unwrap_or(1);
    let mut body = serde_json::to_value(&td.request).ok()?;
    strip_nulls(&mut body);
    let image = body["containerDefinitions"][0]["image"].as_str()?.to_string();
    let repo = match image.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r.to_string(),
        _ => image.clone(),
    };
    let tag = match kind {
        Revision::Good => format!("v{next}"),
        Revision::BadImage => "does-not-exist".to_string(),
    };
    body["containerDefinitions"][0]["image"] = Value::String(format!("{repo}:{tag}"));
    Some(body)
}

/// UpdateService to a registered revision (starts a rolling update).
pub fn update_task_definition(service: &str, family: &str, revision: u64) -> Value {
    json!({"service": service, "taskDefinition": format!("{family}:{revision}")})
}

/// Placement strategies offered by the Run task form, as the API spells them.
pub const STRATEGIES: &[(&str, &str, Option<&str>)] = &[
    ("spread-az", "spread", Some("attribute:ecs.availability-zone")),
    ("spread-instance", "spread", Some("instanceId")),
    ("binpack-memory", "binpack", Some("memory")),
    ("random", "random", None),
];

/// A RunTask body.
pub fn run_task(
    task_definition: &str,
    count: u32,
    launch_type: &str,
    strategy: &str,
    constraint: &str,
    subnets: &[String],
) -> Value {
    let mut body = json!({"taskDefinition": task_definition, "count": count, "launchType": launch_type});
    if let Some((_, kind, field)) = STRATEGIES.iter().find(|s| s.0 == strategy) {
        let mut s = json!({"type": kind});
        if let Some(f) = field {
            s["field"] = json!(f);
        }
        body["placementStrategy"] = json!([s]);
    }
    let constraint = constraint.trim();
    if constraint == "distinctInstance" {
        body["placementConstraints"] = json!([{"type": "distinctInstance"}]);
    } else if !constraint.is_empty() {
        body["placementConstraints"] = json!([{"type": "memberOf", "expression": constraint}]);
    }
    if launch_type == "FARGATE" {
        body["networkConfiguration"] = json!({"awsvpcConfiguration": {"subnets": subnets}});
    }
    body
}

pub fn launch_instances(instance_type: &str, availability_zone: &str, count: u32) -> Value {
    json!({"instanceType": instance_type, "availabilityZone": availability_zone, "count": count})
}

pub fn stop_task(task_id: &str) -> Value {
    json!({"task": task_id, "reason": "Task stopped by user from the playground"})
}

pub fn instance(id: &str) -> Value {
    json!({"instance": id})
}

/// The SpotInterruption fault on one of a service's FARGATE_SPOT tasks (the oldest).
pub fn spot_interruption(service: &str) -> Value {
    json!({"service": service, "count": 1})
}

pub fn availability_zone(name: &str) -> Value {
    json!({"availabilityZone": name})
}

fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// The Application Auto Scaling resource id of a service.
pub fn scaling_resource_id(cluster: &str, service: &str) -> String {
    format!("service/{cluster}/{service}")
}

/// RegisterScalableTarget for a service's desired count.
pub fn register_scalable_target(cluster: &str, service: &str, min: u32, max: u32) -> Value {
    json!({"ServiceNamespace": "ecs", "ResourceId": scaling_resource_id(cluster, service),
        "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": min, "MaxCapacity": max})
}

/// The name the controls give the target tracking policy they manage.
pub const CONTROLS_POLICY_NAME: &str = "playground-target-tracking";

/// PutScalingPolicy (TargetTrackingScaling) on a predefined metric. `resource_label` is needed
/// (and only allowed) for ALBRequestCountPerTarget.
pub fn target_tracking_policy(
    cluster: &str,
    service: &str,
    metric: &str,
    target: f64,
    resource_label: Option<&str>,
) -> Value {
    let mut spec = json!({"PredefinedMetricType": metric});
    if let Some(l) = resource_label {
        spec["ResourceLabel"] = json!(l);
    }
    json!({"PolicyName": CONTROLS_POLICY_NAME, "ServiceNamespace": "ecs",
        "ResourceId": scaling_resource_id(cluster, service), "ScalableDimension": "ecs:service:DesiredCount",
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {"TargetValue": target, "PredefinedMetricSpecification": spec}})
}

/// DeleteScalingPolicy of the controls' policy.
pub fn delete_controls_policy(cluster: &str, service: &str) -> Value {
    json!({"PolicyName": CONTROLS_POLICY_NAME, "ServiceNamespace": "ecs",
        "ResourceId": scaling_resource_id(cluster, service), "ScalableDimension": "ecs:service:DesiredCount"})
}

/// SetTraffic: a constant request rate on a target group, keeping the scenario's per-request
/// costs for that group when it has them.
pub fn set_constant_traffic(sim: &Simulation, target_group: &str, requests_per_second: f64) -> Value {
    let existing = sim
        .scenario()
        .traffic
        .as_ref()
        .and_then(|t| t.target_groups.iter().find(|g| g.target_group == target_group))
        .and_then(|g| serde_json::to_value(g).ok());
    let mut body = existing.unwrap_or_else(|| json!({"targetGroup": target_group}));
    body["requestsPerSecond"] = json!({"type": "constant", "value": requests_per_second});
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_revision_registers_and_deploys() {
        let mut sim = ecs_sim::load(crate::app::DEFAULT_SCENARIO, None).expect("loads");
        sim.run_until(60_000);
        for (kind, tag) in [(Revision::Good, ":v2"), (Revision::BadImage, ":does-not-exist")] {
            let body = next_revision(&sim, "web", kind).expect("body");
            assert!(body["containerDefinitions"][0]["image"].as_str().unwrap_or_default().ends_with(tag), "{body}");
            let r = sim.apply("RegisterTaskDefinition", &body).expect("registers");
            let rev = r["taskDefinition"]["revision"].as_u64().expect("revision");
            sim.apply("UpdateService", &update_task_definition("web", "web", rev)).expect("deploys");
        }
    }

    #[test]
    fn run_task_bodies_are_accepted_or_rejected_by_the_engine() {
        let mut sim = ecs_sim::load(crate::app::DEFAULT_SCENARIO, None).expect("loads");
        for (s, _, _) in STRATEGIES {
            sim.apply("RunTask", &run_task("web", 1, "EC2", s, "distinctInstance", &[])).expect("runs");
        }
        sim.apply(
            "RunTask",
            &run_task("web", 1, "EC2", "random", "attribute:ecs.availability-zone == us-east-1a", &[]),
        )
        .expect("memberOf");
        // The default task definition is bridge/EC2 only: Fargate is refused by the engine.
        assert!(sim.apply("RunTask", &run_task("web", 1, "FARGATE", "random", "", &[])).is_err());
    }

    #[test]
    fn deployment_configuration_is_accepted() {
        let mut sim = ecs_sim::load(crate::app::DEFAULT_SCENARIO, None).expect("loads");
        sim.apply("UpdateService", &update_deployment_configuration("web", 50, 150, (true, true))).expect("ok");
        assert_eq!(sim.state().services[0].maximum_percent, 150);
        assert!(sim.apply("UpdateService", &update_deployment_configuration("web", 50, 250, (true, true))).is_err());
    }
}
