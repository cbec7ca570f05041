//! Generated scenarios of a given size, shared by the native benchmark (`cargo bench`), the wasm
//! benchmark in Chromium and the soak test, so every figure is measured on the same input.

use serde_json::{json, Value};

/// A benchmark scenario: `instances` m5.xlarge instances spread over three AZs and one service of
/// `tasks` tasks (bridge mode, dynamic host ports), with optional timeline actions.
pub fn cluster(name: &str, instances: u32, tasks: u32, timeline: Vec<Value>) -> Value {
    let azs = ["us-east-1a", "us-east-1b", "us-east-1c"];
    let groups: Vec<Value> = azs
        .iter()
        .enumerate()
        .map(|(i, az)| {
            let n = instances / 3 + u32::from((i as u32) < instances % 3);
            json!({"instanceType": "m5.xlarge", "availabilityZone": az, "count": n})
        })
        .collect();
    json!({
        "seed": 1,
        "cluster": name,
        "availabilityZones": azs,
        "containerInstances": groups,
        "taskDefinitions": [web_task_definition("web:v1")],
        "services": [{
            "serviceName": "web",
            "taskDefinition": "web",
            "desiredCount": tasks,
            "launchType": "EC2",
        }],
        "timeline": timeline,
    })
}

/// The task definition the generated scenarios run: 128 CPU units, 256 MiB, one dynamic port.
pub fn web_task_definition(image_tag: &str) -> Value {
    json!({
        "family": "web",
        "networkMode": "bridge",
        "containerDefinitions": [{
            "name": "web",
            "image": format!("public.ecr.aws/example/{image_tag}"),
            "cpu": 128,
            "memory": 256,
            "portMappings": [{"containerPort": 8080, "hostPort": 0}],
        }],
    })
}

/// The three sizes the README's bench command reports.
pub fn bench_set() -> Vec<(&'static str, Value)> {
    vec![
        ("small: 10 tasks, 3 instances", cluster("small", 3, 10, vec![])),
        (
            "classroom: 100 tasks, 20 instances, scale 100->120->100",
            cluster(
                "classroom",
                20,
                100,
                vec![
                    json!({"at": 900, "action": "UpdateService", "input": {"service": "web", "desiredCount": 120}}),
                    json!({"at": 2400, "action": "UpdateService", "input": {"service": "web", "desiredCount": 100}}),
                ],
            ),
        ),
        (
            "large: 2000 tasks, 400 instances over 3 AZs, scale 2000->2400->2000",
            cluster(
                "large",
                400,
                2000,
                vec![
                    json!({"at": 900, "action": "UpdateService", "input": {"service": "web", "desiredCount": 2400}}),
                    json!({"at": 2400, "action": "UpdateService", "input": {"service": "web", "desiredCount": 2000}}),
                ],
            ),
        ),
    ]
}

/// The quota-scale scenarios of issue 19, as files in `engine/benches/fixtures/`: EC2 m5.xlarge
/// instances over three AZs, bridge mode with dynamic host ports, one service whose rolling update
/// (minimumHealthyPercent 100, maximumPercent 200) to `web:2` starts at 900 s; run for one
/// simulated hour. 5,000 instances is ECS's per-cluster container instance quota and 5,000 tasks
/// its per-service quota ("Amazon ECS service quotas").
pub const QUOTA_400: &str = include_str!("../benches/fixtures/quota-400x2000.json");
pub const QUOTA_5000: &str = include_str!("../benches/fixtures/quota-5000x5000.json");

/// (name, file under engine/benches/fixtures/, text) of the quota-scale scenarios.
pub fn quota_set() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        ("quota row 1: 400 m5.xlarge, service of 2,000 tasks, rolling update", "quota-400x2000.json", QUOTA_400),
        ("quota row 2: 5,000 m5.xlarge, service of 5,000 tasks, rolling update", "quota-5000x5000.json", QUOTA_5000),
    ]
}
