//! Fixture builders shared by the blue/green (ECS-native) and CodeDeploy deployment tests: the
//! `web` task definition, the `web-blue` / `web-green` target groups, listener rules forwarding
//! 100/0 to them, and readings of the traffic-shift log.

use ecs_sim::model::TaskStatus;
use ecs_sim::Simulation;
use serde_json::{json, Value};

/// RegisterTaskDefinition of family `web` (bridge, dynamic host port 80) running `image`.
pub fn td(image: &str, cpu: u32) -> Value {
    json!({"family": "web", "networkMode": "bridge", "requiresCompatibilities": ["EC2"],
           "containerDefinitions": [{"name": "web", "image": image, "cpu": cpu, "memory": 512,
               "portMappings": [{"containerPort": 80, "hostPort": 0}]}]})
}

/// CreateTargetGroup: HTTP:80, health checks every 10 s, healthy after 2, 30 s deregistration delay.
pub fn tg(name: &str) -> Value {
    json!({"Name": name, "Protocol": "HTTP", "Port": 80, "HealthCheckIntervalSeconds": 10, "HealthyThresholdCount": 2,
           "Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]})
}

/// A listener rule named `name` forwarding with weights web-blue 100, web-green 0.
pub fn rule(name: &str) -> Value {
    json!({"RuleArn": name, "Priority": "1", "Actions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": [
        {"TargetGroupArn": "web-blue", "Weight": 100}, {"TargetGroupArn": "web-green", "Weight": 0}]}}]})
}

pub fn load(v: &Value) -> Simulation {
    ecs_sim::load(&v.to_string(), None).expect("scenario loads")
}

/// Tasks of revision `revision` whose lastStatus is RUNNING.
pub fn running(sim: &Simulation, revision: u32) -> usize {
    sim.state().tasks.iter().filter(|t| t.task_def.revision == revision && t.last_status == TaskStatus::Running).count()
}

/// When the first `TrafficShift` line of lifecycle stage `stage` was written (ms).
pub fn stage_at(sim: &Simulation, stage: &str) -> u64 {
    sim.log()
        .entries()
        .iter()
        .find(|e| e.detail_type == "TrafficShift" && e.detail["lifecycleStage"] == stage)
        .map(|e| e.t)
        .unwrap_or_else(|| panic!("no {stage}"))
}
