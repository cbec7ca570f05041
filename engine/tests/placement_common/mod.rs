//! Helpers shared by the placement test files: build a cluster from a few lines of JSON, call the
//! API, and read where tasks landed.
#![allow(dead_code)]

use ecs_sim::model::{Task, TaskStatus};
use ecs_sim::Simulation;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A scenario with the given instance groups and task definitions, no services.
pub fn cluster(instances: Value, task_definitions: Value) -> Simulation {
    cluster_with(instances, task_definitions, json!([]), 7)
}

pub fn cluster_with(instances: Value, task_definitions: Value, services: Value, seed: u64) -> Simulation {
    let doc = json!({
        "seed": seed,
        "cluster": "test",
        "availabilityZones": ["us-east-1a", "us-east-1b", "us-east-1c"],
        "containerInstances": instances,
        "taskDefinitions": task_definitions,
        "services": services,
    });
    ecs_sim::load(&doc.to_string(), None).unwrap_or_else(|e| panic!("scenario loads: {e}"))
}

/// A bridge-mode EC2 task definition with one container.
pub fn td(family: &str, cpu: u32, memory: u32, port_mappings: Value) -> Value {
    json!({
        "family": family,
        "networkMode": "bridge",
        "containerDefinitions": [{
            "name": "app", "image": "public.ecr.aws/nginx/nginx:1.27",
            "cpu": cpu, "memory": memory, "portMappings": port_mappings
        }]
    })
}

pub fn run_task(sim: &mut Simulation, input: Value) -> Value {
    sim.apply_json("RunTask", &input).unwrap_or_else(|e| panic!("RunTask accepted: {e}"))
}

pub fn live_tasks(sim: &Simulation) -> Vec<&Task> {
    sim.state().tasks.iter().filter(|t| t.last_status != TaskStatus::Stopped).collect()
}

/// Live tasks per instance index.
pub fn tasks_per_instance(sim: &Simulation) -> BTreeMap<usize, usize> {
    let mut m = BTreeMap::new();
    for t in live_tasks(sim) {
        if let Some(i) = t.instance {
            *m.entry(i.idx()).or_insert(0) += 1;
        }
    }
    m
}

/// Live tasks per Availability Zone name.
pub fn tasks_per_az(sim: &Simulation) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for t in live_tasks(sim) {
        *m.entry(t.availability_zone.clone()).or_insert(0) += 1;
    }
    m
}

/// Every service event message, oldest first.
pub fn service_events(sim: &Simulation) -> Vec<String> {
    sim.state().services.iter().flat_map(|s| s.events.iter().rev().map(|e| e.message.clone())).collect()
}

/// Seconds to simulated milliseconds.
pub fn secs(s: u64) -> u64 {
    s * 1000
}
