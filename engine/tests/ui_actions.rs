//! `LaunchInstances`: the playground's "add instances to an AZ" control, through `apply`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::model::InstanceStatus;
use serde_json::json;

fn sim() -> ecs_sim::Simulation {
    let scenario = json!({
        "seed": 3,
        "availabilityZones": ["us-east-1a", "us-east-1b"],
        "containerInstances": [{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 1}],
        "taskDefinitions": [{
            "family": "web", "networkMode": "bridge",
            "containerDefinitions": [{"name": "web", "image": "nginx", "cpu": 1024, "memory": 512,
                "portMappings": [{"containerPort": 80, "hostPort": 0}]}]
        }],
        "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 4, "launchType": "EC2"}]
    });
    ecs_sim::load(&scenario.to_string(), None).expect("loads")
}

#[test]
fn launch_instances_adds_capacity_and_unblocks_the_service() {
    let mut s = sim();
    s.run_until(300_000);
    // One m5.large (2048 CPU units) fits two 1024-unit tasks.
    assert_eq!(s.state().running_count(ecs_sim::model::ServiceId(0)), 2);
    let r = s
        .apply_json(
            "LaunchInstances",
            &json!({"instanceType": "m5.large", "availabilityZone": "us-east-1b", "count": 1}),
        )
        .expect("launch");
    assert_eq!(r["instances"].as_array().map(|a| a.len()), Some(1));
    let new = s.state().instances.last().expect("instance");
    assert_eq!(new.availability_zone, "us-east-1b");
    assert_eq!(new.status, InstanceStatus::Active);
    s.run_until(900_000);
    assert_eq!(s.state().running_count(ecs_sim::model::ServiceId(0)), 4);
    let last = s.log().entries().iter().rev().find(|e| e.detail_type == "ApiCall").expect("logged");
    assert_eq!(last.detail["eventName"], "LaunchInstances");
}

#[test]
fn launch_instances_rejects_bad_input_without_change() {
    let mut s = sim();
    let n = s.state().instances.len();
    for bad in [
        json!({"instanceType": "m5.huge", "availabilityZone": "us-east-1a"}),
        json!({"instanceType": "m5.large", "availabilityZone": "eu-west-1a"}),
        json!({"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 0}),
        json!({"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 101}),
        json!({"instanceType": "m5.large", "availabilityZone": "us-east-1a", "colour": "red"}),
    ] {
        assert!(s.apply_json("LaunchInstances", &bad).is_err(), "{bad} should fail");
    }
    s.apply_json("FailAvailabilityZone", &json!({"availabilityZone": "us-east-1b"})).expect("fail az");
    assert!(s
        .apply_json("LaunchInstances", &json!({"instanceType": "m5.large", "availabilityZone": "us-east-1b"}))
        .is_err());
    assert_eq!(s.state().instances.len(), n);
}

#[test]
fn launch_instances_in_a_timeline_replays_identically() {
    let scenario = json!({
        "seed": 5,
        "availabilityZones": ["us-east-1a"],
        "containerInstances": [{"instanceType": "m5.large", "availabilityZone": "us-east-1a"}],
        "timeline": [{"at": 10, "action": "LaunchInstances", "input": {"instanceType": "c5.large", "availabilityZone": "us-east-1a", "count": 2}}]
    });
    let run = || {
        let mut s = ecs_sim::load(&scenario.to_string(), None).expect("loads");
        s.run_until(60_000);
        (s.state().instances.len(), s.log().digest())
    };
    let a = run();
    assert_eq!(a.0, 3);
    assert_eq!(a, run());
}
