//! Helpers shared by the deployment tests: a small EC2 cluster running `web:1`, with `web:2`
//! registered, and ways to read task counts per revision.
#![allow(dead_code)]

use ecs_sim::model::{DesiredStatus, RolloutState, TaskStatus};
use ecs_sim::Simulation;
use serde_json::{json, Value};

pub fn task_definition(image: &str) -> Value {
    json!({
        "family": "web",
        "networkMode": "bridge",
        "requiresCompatibilities": ["EC2"],
        "containerDefinitions": [{
            "name": "web", "image": image, "cpu": 256, "memory": 512, "essential": true,
            "portMappings": [{"containerPort": 80, "hostPort": 0, "protocol": "tcp"}]
        }]
    })
}

/// A scenario: 4 m5.large in two AZs, service `web` on `web:1` with `desired` tasks.
/// `deployment_configuration` is the CreateService field as JSON (or null for the defaults).
pub fn scenario(desired: u32, deployment_configuration: Value, v2_image: &str, timings: Value) -> Value {
    let mut service = json!({
        "serviceName": "web", "taskDefinition": "web:1", "desiredCount": desired, "launchType": "EC2"
    });
    if !deployment_configuration.is_null() {
        service["deploymentConfiguration"] = deployment_configuration;
    }
    json!({
        "seed": 11,
        "cluster": "playground",
        "availabilityZones": ["us-east-1a", "us-east-1b"],
        "containerInstances": [
            {"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2},
            {"instanceType": "m5.large", "availabilityZone": "us-east-1b", "count": 2}
        ],
        "taskDefinitions": [task_definition("public.ecr.aws/nginx/nginx:1.26"), task_definition(v2_image)],
        "services": [service],
        "timings": timings,
    })
}

/// Identical timings for every task (no jitter, a cached pull as slow as a fresh one), so tasks
/// started together become RUNNING together and each step of a deployment is one state.
pub fn even_timings() -> Value {
    json!({"jitter": 0, "cachedPullSeconds": 5})
}

pub fn load(v: &Value) -> Simulation {
    ecs_sim::load(&v.to_string(), None).expect("scenario loads")
}

pub fn update_to_v2(sim: &mut Simulation) {
    sim.apply_json("UpdateService", &json!({"service": "web", "taskDefinition": "web:2"})).expect("UpdateService");
}

/// Tasks of revision `rev` whose lastStatus is RUNNING.
pub fn running(sim: &Simulation, rev: u32) -> u32 {
    sim.state().tasks.iter().filter(|t| t.task_def.revision == rev && t.last_status == TaskStatus::Running).count()
        as u32
}

/// Tasks "in the RUNNING or PENDING state" (maximumPercent's wording): RUNNING, or on the way
/// up (PROVISIONING, PENDING, ACTIVATING). Tasks the scheduler is stopping are not counted.
pub fn running_or_pending(sim: &Simulation) -> u32 {
    sim.state()
        .tasks
        .iter()
        .filter(|t| t.desired_status == DesiredStatus::Running)
        .filter(|t| t.last_status == TaskStatus::Running || t.last_status.is_pending())
        .count() as u32
}

/// Tasks counted towards minimumHealthyPercent for a service without a load balancer or container
/// health check: "the service scheduler will wait for 40 seconds after a task reaches a RUNNING
/// state before the task is counted towards the minimum healthy percent total".
pub fn counted_healthy(sim: &Simulation) -> u32 {
    let now = sim.now();
    sim.state()
        .tasks
        .iter()
        .filter(|t| t.last_status == TaskStatus::Running && t.desired_status == DesiredStatus::Running)
        .filter(|t| t.started_at.is_some_and(|s| now >= s + 40_000))
        .count() as u32
}

pub fn primary_rollout(sim: &Simulation) -> RolloutState {
    let svc = &sim.state().services[0];
    svc.deployments
        .iter()
        .find(|d| d.status == ecs_sim::model::DeploymentStatus::Primary)
        .map(|d| d.rollout_state)
        .expect("a primary deployment")
}

/// Advance the simulation one simulated instant at a time (every event at that millisecond) until
/// `until_ms`, recording (running web:1, running web:2) every time it changes.
pub fn trace(sim: &mut Simulation, until_ms: u64) -> Vec<(u32, u32)> {
    let mut out = vec![(running(sim, 1), running(sim, 2))];
    while let Some(t) = sim.next_event_time().filter(|t| *t <= until_ms) {
        sim.run_until(t);
        let now = (running(sim, 1), running(sim, 2));
        if out.last() != Some(&now) {
            out.push(now);
        }
    }
    out
}

/// Service event messages after index `from` (oldest first), with task ids replaced by the
/// revision of each task, e.g. "has stopped 2 running tasks: web:1 web:1".
pub fn events_since(sim: &Simulation, from: usize) -> Vec<String> {
    let svc = &sim.state().services[0];
    let mut msgs: Vec<String> = svc.events.iter().rev().skip(from).map(|e| e.message.clone()).collect();
    for m in msgs.iter_mut() {
        for t in &sim.state().tasks {
            *m = m.replace(&format!("(task {})", t.task_id), &format!("web:{}", t.task_def.revision));
        }
    }
    msgs
}
