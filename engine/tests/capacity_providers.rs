//! Auto Scaling group capacity providers with managed scaling, played on
//! `scenarios/capacity-provider-asg.json`: one m5.large (2 tasks of 1 vCPU), the service grows from
//! 2 to 8 tasks at 120 s and shrinks back to 2 at 900 s.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;
use common::*;
use serde_json::Value;

fn reservation_points(sim: &ecs_sim::Simulation) -> Vec<(f64, f64)> {
    entries(sim, "Metric")
        .filter(|e| e.detail["metricName"] == "CapacityProviderReservation")
        .map(|e| (e.t as f64 / 1000.0, e.detail["value"].as_f64().unwrap_or(-1.0)))
        .collect()
}

fn at(points: &[(f64, f64)], t: f64) -> f64 {
    points.iter().find(|p| p.0 == t).map(|p| p.1).unwrap_or(-1.0)
}

#[test]
fn reservation_is_m_over_n_and_drives_scale_out() {
    let sim = run_value(&scenario("capacity-provider-asg"), 600);
    let cpr = reservation_points(&sim);
    // "CapacityProviderReservation = M / N x 100": 1 instance running 2 tasks -> 1/1 = 100.
    assert_eq!(at(&cpr, 120.0), 100.0);
    // 6 tasks wait in PROVISIONING, 2 fit one m5.large: M = N + ceil(6 / 2) = 4 -> 400.
    assert_eq!(at(&cpr, 180.0), 400.0);
    // AlarmHigh needs 1 datapoint: ALARM at the first minute above the target.
    let alarms: Vec<_> = entries(&sim, "AlarmStateChange")
        .filter(|e| e.detail["state"]["value"] == "ALARM")
        .map(|e| (e.t / 1000, e.detail["configuration"]["condition"].as_str().unwrap_or_default().to_string()))
        .collect();
    assert_eq!(alarms[0], (180, "CapacityProviderReservation > 100.0 for 1 datapoints within 1 minutes".to_string()));
    // Target tracking: ceil(N x 400 / 100) = 4 instances.
    let act: Vec<&Value> = entries(&sim, "AsgActivity").map(|e| &*e.detail).collect();
    assert_eq!((act[0]["FromDesiredCapacity"].as_u64(), act[0]["ToDesiredCapacity"].as_u64()), (Some(1), Some(4)));
    assert!(act[0]["Cause"]
        .as_str()
        .unwrap_or_default()
        .contains("in state ALARM triggered policy ECSManagedAutoScalingPolicy-"));
    // Three instances boot (90 s) and register, balanced across the group's zones.
    let launched: Vec<_> = entries(&sim, "AsgInstanceLaunch").map(|e| e.t / 1000).collect();
    assert_eq!(launched, vec![270, 270, 270]);
    let snap = sim.snapshot();
    let instances = snap["containerInstances"].as_array().cloned().unwrap_or_default();
    let per_az = |az: &str| {
        instances
            .iter()
            .filter(|i| {
                i["attributes"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|x| x["name"] == "ecs.availability-zone" && x["value"] == az))
            })
            .count()
    };
    assert_eq!((per_az("us-east-1a"), per_az("us-east-1b")), (2, 2));
    assert_eq!(service(&snap, "web")["runningCount"], 8);
    // Back to 100 once the tasks run: no further scale-out.
    assert_eq!(at(&cpr, 300.0), 100.0);
    assert_eq!(entries(&sim, "AsgActivity").count(), 1);
}

#[test]
fn tasks_wait_in_provisioning_without_a_host() {
    let sim = run_value(&scenario("capacity-provider-asg"), 400);
    let changes = task_changes(&sim);
    let waiting: Vec<_> = changes.iter().filter(|c| c.0 == 121.0 && c.2 == "PROVISIONING").collect();
    assert_eq!(waiting.len(), 6, "the six new tasks are created in PROVISIONING");
    for w in &waiting {
        assert!(w.4.get("containerInstanceArn").is_none(), "no instance yet: {}", w.4);
        assert_eq!(w.4["capacityProviderName"], "asg-cp");
        // Each moves on (PENDING) only after an instance registered at 270 s.
        let pending = changes.iter().find(|c| c.1 == w.1 && c.2 == "PENDING").map(|c| c.0);
        assert!(pending.is_some_and(|t| t >= 270.0), "{pending:?}");
    }
}

#[test]
fn scale_in_waits_15_datapoints_and_spares_instances_with_tasks() {
    let sim = run_value(&scenario("capacity-provider-asg"), 2400);
    let cpr = reservation_points(&sim);
    // After the service shrinks to 2 tasks on 2 of 4 instances: M / N = 2 / 4 -> 50.
    assert_eq!(at(&cpr, 960.0), 50.0);
    // AlarmLow: "15 datapoints within 15 minutes" below the target: 960 s .. 1800 s.
    let low = entries(&sim, "AlarmStateChange")
        .find(|e| {
            e.detail["state"]["value"] == "ALARM"
                && e.detail["alarmName"].as_str().is_some_and(|n| n.contains("AlarmLow"))
        })
        .map(|e| e.t / 1000);
    assert_eq!(low, Some(1800));
    let terminated: Vec<_> = entries(&sim, "AsgInstanceTerminate").map(|e| e.t / 1000).collect();
    assert_eq!(terminated, vec![1800, 1800], "ceil(4 x 50 / 100) = 2 instances stay");
    // Managed termination protection: no task was stopped by the scale-in.
    assert!(task_changes(&sim).iter().all(|c| c.3 != "TerminationNotice"));
    let snap = sim.snapshot();
    assert_eq!(service(&snap, "web")["runningCount"], 2);
    let active = snap["containerInstances"].as_array().map(|a| a.iter().filter(|i| i["status"] == "ACTIVE").count());
    assert_eq!(active, Some(2));
}

#[test]
fn without_termination_protection_scale_in_stops_tasks() {
    // Managed termination protection off: the group terminates by zone balance and age, and the
    // tasks on a terminated instance stop; the service replaces them.
    let mut sc = scenario("capacity-provider-asg");
    sc["capacityProviders"]["createCapacityProvider"][0]["autoScalingGroupProvider"]["managedTerminationProtection"] =
        "DISABLED".into();
    let sim = run_value(&sc, 2400);
    assert_eq!(entries(&sim, "AsgInstanceTerminate").count(), 2);
    let snap = sim.snapshot();
    assert_eq!(service(&snap, "web")["runningCount"], 2, "replacements run on the remaining instances");
}

#[test]
fn strategy_must_name_associated_providers() {
    let mut sc = scenario("capacity-provider-asg");
    sc["services"][0]["capacityProviderStrategy"][0]["capacityProvider"] = "other".into();
    let err = ecs_sim::load(&sc.to_string(), None).err().map(|e| (e.field, e.message)).unwrap_or_default();
    assert_eq!(err.0, "services[0].capacityProviderStrategy[0].capacityProvider");
    assert!(err.1.contains("not associated with the cluster"), "{}", err.1);
    let mut sc = scenario("capacity-provider-asg");
    sc["capacityProviders"]["createCapacityProvider"][0]["autoScalingGroupProvider"]["managedScaling"]
        ["minimumScalingStepSize"] = 20.into();
    let err = ecs_sim::load(&sc.to_string(), None).err().map(|e| e.field).unwrap_or_default();
    assert_eq!(
        err,
        "capacityProviders.createCapacityProvider[0].autoScalingGroupProvider.managedScaling.minimumScalingStepSize"
    );
}

#[test]
fn minimum_step_size_launches_at_least_that_many() {
    // "When additional capacity is required, Amazon ECS will scale up the minimum scaling step size
    // even if the actual demand is less than the minimum scaling step size."
    let mut sc = scenario("capacity-provider-asg");
    sc["capacityProviders"]["createCapacityProvider"][0]["autoScalingGroupProvider"]["managedScaling"]
        ["minimumScalingStepSize"] = 5.into();
    sc["timeline"][0]["input"]["desiredCount"] = 3.into();
    let sim = run_value(&sc, 300);
    let cpr = reservation_points(&sim);
    assert_eq!(at(&cpr, 180.0), 600.0, "M = 1 + max(ceil(1 / 2), 5) = 6");
    assert_eq!(entries(&sim, "AsgInstanceLaunch").count(), 5);
}

#[test]
fn standalone_tasks_wait_for_capacity_too() {
    // RunTask through the cluster's default strategy (asg-cp): the one instance is full (2 service
    // tasks), so 4 tasks wait in PROVISIONING, managed scaling sets ceil(1 x 300 / 100) = 3
    // instances (2 new), and the tasks are placed when those register.
    let mut sc = scenario("capacity-provider-asg");
    sc["timeline"] =
        serde_json::json!([{"at": 60, "action": "RunTask", "input": {"taskDefinition": "web", "count": 4}}]);
    let sim = run_value(&sc, 400);
    let cpr = reservation_points(&sim);
    // The call at 60 s comes before that minute's datapoint: the 60 s datapoint already counts them.
    assert_eq!(at(&cpr, 60.0), 300.0, "M = 1 + ceil(4 / 2) = 3 over N = 1");
    let standalone: Vec<_> = sim.state().tasks.iter().filter(|t| t.service.is_none()).collect();
    assert_eq!(standalone.len(), 4);
    for t in standalone {
        assert_eq!(t.capacity_provider.as_deref(), Some("asg-cp"));
        assert_eq!(t.last_status, ecs_sim::model::TaskStatus::Running, "placed after the scale-out");
        assert!(t.history.iter().any(|h| h.1 == ecs_sim::model::TaskStatus::Pending && h.0 >= 150_000));
    }
}

#[test]
fn a_terminated_group_instance_is_replaced() {
    // EC2 Auto Scaling keeps the desired capacity: the instance terminated at 60 s is replaced
    // (boot 90 s: registered at 150 s). Meanwhile the group has no running instance and the two
    // service tasks wait in PROVISIONING: N = 0, M > 0 -> CapacityProviderReservation 200 at 120 s,
    // and target tracking from zero asks for 2 instances - one more launch, registered at 210 s.
    let mut sc = scenario("capacity-provider-asg");
    sc["timeline"] =
        serde_json::json!([{"at": 60, "action": "TerminateInstance", "input": {"availabilityZone": "us-east-1a"}}]);
    let sim = run_value(&sc, 400);
    let cpr = reservation_points(&sim);
    assert_eq!(at(&cpr, 120.0), 200.0);
    let launched: Vec<_> = entries(&sim, "AsgInstanceLaunch").map(|e| e.t / 1000).collect();
    assert_eq!(launched, vec![150, 210]);
    let replaced = entries(&sim, "AsgActivity")
        .find(|e| e.t == 60_000)
        .map(|e| e.detail["Description"].as_str().unwrap_or_default().to_string());
    assert_eq!(replaced.as_deref(), Some("Launching a new EC2 instance to replace a terminated instance."));
    let snap = sim.snapshot();
    assert_eq!(service(&snap, "web")["runningCount"], 2);
    let asg = &snap["playground"]["autoScalingGroups"][0];
    assert_eq!((asg["desiredCapacity"].as_u64(), asg["launching"].as_u64()), (Some(2), Some(0)));
}
