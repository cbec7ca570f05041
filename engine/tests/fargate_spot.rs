//! FARGATE / FARGATE_SPOT strategies and Spot interruptions, on `scenarios/fargate-spot.json`:
//! 10 tasks, FARGATE base 2 weight 1, FARGATE_SPOT weight 3; at 300 s two Spot tasks are reclaimed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;
use common::*;
use std::collections::BTreeMap;

fn running_per_provider(sim: &ecs_sim::Simulation) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for t in &sim.state().tasks {
        if t.last_status == ecs_sim::model::TaskStatus::Running {
            *m.entry(t.capacity_provider.clone().unwrap_or_default()).or_default() += 1;
        }
    }
    m
}

#[test]
fn base_first_then_weight() {
    // "The base value designates how many tasks, at a minimum, to run on the specified capacity
    // provider" and weight "is taken into consideration after the base value ... is satisfied":
    // 2 on FARGATE, then the other 8 split 1:3 -> FARGATE 2 + 2, FARGATE_SPOT 6.
    let sim = run_value(&scenario("fargate-spot"), 290);
    let m = running_per_provider(&sim);
    assert_eq!((m.get("FARGATE").copied(), m.get("FARGATE_SPOT").copied()), (Some(4), Some(6)));
    // Every task is a Fargate task and says which provider it runs on.
    assert!(sim.state().tasks.iter().all(|t| t.launch_type == ecs_sim::scenario::LaunchType::Fargate));
}

#[test]
fn spot_interruption_warns_then_stops_and_the_service_replaces() {
    let sim = run_value(&scenario("fargate-spot"), 600);
    let changes = task_changes(&sim);
    // "The warning is sent as a task state change event": still RUNNING, desiredStatus STOPPED.
    let warnings: Vec<_> = changes.iter().filter(|c| c.2 == "RUNNING" && c.3 == "SpotInterruption").collect();
    assert_eq!(warnings.len(), 2);
    for w in &warnings {
        assert_eq!(w.0, 300.0);
        assert_eq!(w.4["desiredStatus"], "STOPPED");
        assert_eq!(w.4["stoppedReason"], "Your Spot Task was interrupted.");
        assert_eq!(w.4["capacityProviderName"], "FARGATE_SPOT");
        // SIGTERM with the warning, STOPPED within the two minutes.
        let stopped = changes.iter().find(|c| c.1 == w.1 && c.2 == "STOPPED").map(|c| c.0);
        assert!(stopped.is_some_and(|t| t > 300.0 && t <= 420.0), "{stopped:?}");
    }
    // Replacements start right away and the strategy's split is restored.
    let replacements = changes.iter().filter(|c| c.2 == "PROVISIONING" && c.0 > 300.0 && c.0 < 310.0).count();
    assert_eq!(replacements, 2);
    let m = running_per_provider(&sim);
    assert_eq!((m.get("FARGATE").copied(), m.get("FARGATE_SPOT").copied()), (Some(4), Some(6)));
}

#[test]
fn a_container_ignoring_sigterm_is_killed_after_stop_timeout() {
    // "specify a stopTimeout value of 120 seconds or less ... If you don't specify any value for
    // this parameter, then the default value of 30 seconds is used." The app ignores SIGTERM:
    // 300 s warning and STOPPING (SIGTERM; no target group, so no DEACTIVATING step), killed at
    // 330 s, ENI detached (4 s): 334 s.
    let mut sc = scenario("fargate-spot");
    sc["timings"] = serde_json::json!({"stoppingSeconds": 600});
    let sim = run_value(&sc, 900);
    let changes = task_changes(&sim);
    let warned: Vec<String> =
        changes.iter().filter(|c| c.2 == "RUNNING" && c.3 == "SpotInterruption").map(|c| c.1.clone()).collect();
    for arn in warned {
        let stopped = changes.iter().find(|c| c.1 == arn && c.2 == "STOPPED").map(|c| c.0);
        assert_eq!(stopped, Some(334.0));
    }
}

#[test]
fn capacity_is_reclaimed_two_minutes_after_the_warning() {
    // With stopTimeout 120 (the Fargate maximum) and an app that ignores SIGTERM, the kill would
    // come at 421 s; the capacity is gone at 420 s, two minutes after the warning.
    let mut sc = scenario("fargate-spot");
    sc["timings"] = serde_json::json!({"stoppingSeconds": 600});
    sc["taskDefinitions"][0]["containerDefinitions"][0]["stopTimeout"] = 120.into();
    let sim = run_value(&sc, 900);
    let changes = task_changes(&sim);
    let warned: Vec<String> =
        changes.iter().filter(|c| c.2 == "RUNNING" && c.3 == "SpotInterruption").map(|c| c.1.clone()).collect();
    assert_eq!(warned.len(), 2);
    for arn in warned {
        let stopped = changes.iter().find(|c| c.1 == arn && c.2 == "STOPPED").map(|c| c.0);
        assert_eq!(stopped, Some(420.0));
    }
}

#[test]
fn only_running_spot_tasks_can_be_interrupted() {
    let mut sim = ecs_sim::load(&scenario("fargate-spot").to_string(), None).expect("loads");
    sim.run_until(200_000);
    let on_demand = sim
        .state()
        .tasks
        .iter()
        .find(|t| t.capacity_provider.as_deref() == Some("FARGATE"))
        .map(|t| t.task_id.clone())
        .unwrap_or_default();
    let err = sim.apply_json("SpotInterruption", &serde_json::json!({"task": on_demand})).unwrap_err();
    assert!(err.message.contains("FARGATE_SPOT"), "{err}");
}

#[test]
fn run_task_follows_a_strategy_within_the_call() {
    // RunTask count 5 with FARGATE base 1 weight 1 and FARGATE_SPOT weight 1: the base first,
    // then the other 4 split evenly -> FARGATE 3, FARGATE_SPOT 2.
    let mut sim = ecs_sim::load(&scenario("fargate-spot").to_string(), None).expect("loads");
    let r = sim
        .apply_json(
            "RunTask",
            &serde_json::json!({"taskDefinition": "api", "count": 5,
                "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "base": 1, "weight": 1}, {"capacityProvider": "FARGATE_SPOT", "weight": 1}],
                "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-00000000a11ce000"]}}}),
        )
        .expect("runs");
    assert_eq!(r["tasks"].as_array().map(Vec::len), Some(5));
    let standalone: Vec<_> = sim.state().tasks.iter().filter(|t| t.service.is_none()).collect();
    let on = |cp: &str| standalone.iter().filter(|t| t.capacity_provider.as_deref() == Some(cp)).count();
    assert_eq!((on("FARGATE"), on("FARGATE_SPOT")), (3, 2));
    // Both a launch type and a strategy: refused, as the API does.
    let err = sim
        .apply_json(
            "RunTask",
            &serde_json::json!({"taskDefinition": "api", "launchType": "FARGATE",
            "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}]}),
        )
        .unwrap_err();
    assert!(err.message.contains("both a launch type and capacity provider strategy"), "{err}");
}

#[test]
fn run_task_without_launch_type_uses_the_cluster_default() {
    // "If no capacityProviderStrategy or launchType is specified, the
    // defaultCapacityProviderStrategy for the cluster is used." The default here is FARGATE.
    let mut sim = ecs_sim::load(&scenario("fargate-spot").to_string(), None).expect("loads");
    sim.apply_json(
        "RunTask",
        &serde_json::json!({"taskDefinition": "api", "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-00000000a11ce000"]}}}),
    )
    .expect("runs");
    let t = sim.state().tasks.iter().find(|t| t.service.is_none()).expect("task");
    assert_eq!(t.capacity_provider.as_deref(), Some("FARGATE"));
    assert_eq!(t.launch_type, ecs_sim::scenario::LaunchType::Fargate);
}
