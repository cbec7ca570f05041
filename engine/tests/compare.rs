//! ECS vs Kubernetes vs Lambda arithmetic, checkable against the ECS API Reference, the
//! Kubernetes API reference and the Lambda Developer Guide.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::compare::{self, LambdaConfig, TargetTracking};
use ecs_sim::cost::PriceTable;
use ecs_sim::scenario::{CreateService, DeploymentConfiguration};
use serde_json::Value;

fn service(desired: u32, max_pct: u32, min_pct: u32) -> CreateService {
    CreateService {
        service_name: "web".into(),
        task_definition: "web:3".into(),
        desired_count: Some(desired),
        deployment_configuration: Some(DeploymentConfiguration {
            maximum_percent: Some(max_pct),
            minimum_healthy_percent: Some(min_pct),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[test]
fn min_50_max_200_is_max_unavailable_50_and_max_surge_100() {
    // maxSurge = maximumPercent - 100; maxUnavailable = 100 - minimumHealthyPercent.
    let k = compare::to_kubernetes(&service(4, 200, 50), None).expect("mapping");
    assert_eq!((k.max_surge.as_str(), k.max_unavailable.as_str()), ("100%", "50%"));
    // ECS: "if your service has a desired number of four tasks and a maximum percent value of
    // 200%, the scheduler may start four new tasks before stopping the four older tasks";
    // "a minimum healthy percent of 50%, the scheduler may stop two existing tasks".
    assert_eq!((k.ecs_max_tasks, k.k8s_max_pods), (8, 8));
    assert_eq!((k.ecs_min_healthy, k.k8s_min_available), (2, 2));
    assert!(!k.surge_differs);
    assert_eq!(k.manifest["spec"]["strategy"]["rollingUpdate"]["maxSurge"], "100%");
}

#[test]
fn defaults_are_200_and_100() {
    // CreateService defaults for replica services: maximumPercent 200, minimumHealthyPercent 100.
    let mut s = service(3, 0, 0);
    s.deployment_configuration = None;
    let k = compare::to_kubernetes(&s, None).expect("mapping");
    assert_eq!((k.max_surge.as_str(), k.max_unavailable.as_str()), ("100%", "0%"));
}

#[test]
fn rounding_differs_for_surge_but_not_for_availability() {
    // ECS rounds the maximum DOWN ("rounded down to the nearest integer"): floor(3 x 1.5) = 4.
    // Kubernetes rounds maxSurge UP ("calculated from percentage by rounding up"):
    // 3 + ceil(3 x 0.5) = 5. Minimum healthy: ECS ceil(3 x 0.67) = 3 (67% -> 2.01 -> 3),
    // Kubernetes 3 - floor(3 x 0.33) = 3: the same.
    let k = compare::to_kubernetes(&service(3, 150, 67), None).expect("mapping");
    assert_eq!((k.ecs_max_tasks, k.k8s_max_pods), (4, 5));
    assert!(k.surge_differs);
    assert_eq!((k.ecs_min_healthy, k.k8s_min_available), (3, 3));
}

#[test]
fn target_tracking_becomes_an_hpa() {
    let t = TargetTracking { min_capacity: 2, max_capacity: 10, memory: false, target_value: 70.0 };
    let k = compare::to_kubernetes(&service(2, 200, 100), Some(t)).expect("mapping");
    let hpa = k.hpa.expect("hpa");
    assert_eq!((hpa.min_replicas, hpa.max_replicas, hpa.metric, hpa.average_utilization), (2, 10, "cpu", 70));
}

fn rps() -> Vec<f64> {
    let path = format!("{}/tests/fixtures/compare_traffic.json", env!("CARGO_MANIFEST_DIR"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json");
    v["rpsPerMinute"].as_array().expect("rps").iter().map(|x| x.as_f64().expect("number")).collect()
}

#[test]
fn lambda_concurrency_is_rps_times_duration_capped_at_the_quota() {
    // Lambda scaling: concurrency = requests per second x average duration. 200 rps x 0.1 s = 20;
    // 2,000 rps x 0.6 s = 1,200 > the default 1,000 quota: 200 rps' worth is throttled.
    let prices = PriceTable::builtin().expect("prices");
    let r = prices.region("us-east-1").expect("region");
    let cfg = LambdaConfig { duration_ms: 100.0, ..Default::default() };
    let s = compare::lambda_series(&rps(), &cfg, r).expect("series");
    assert_eq!(s[2].capacity, 20.0);
    assert_eq!(s[2].cold_starts, 19, "from 1 warm environment to 20");
    let cfg = LambdaConfig { duration_ms: 600.0, ..Default::default() };
    let s = compare::lambda_series(&rps(), &cfg, r).expect("series");
    assert_eq!(s[3].capacity, 1000.0);
    assert!((s[3].throttled_rps - 2000.0 * (1.0 - 1000.0 / 1200.0)).abs() < 1e-9);
    assert_eq!(s[4].cold_starts, 0, "environments stay warm while busy");
    assert_eq!(s[7].cost, 0.0, "no requests, no cost");
}

#[test]
fn lambda_cost_is_requests_plus_gb_seconds() {
    // 10 rps for one minute = 600 requests; 600 x 0.1 s x 0.5 GB = 30 GB-s.
    // Cost = 600 / 1e6 x $0.20 + 30 x $0.0000166667.
    let prices = PriceTable::builtin().expect("prices");
    let r = prices.region("us-east-1").expect("region");
    let s = compare::lambda_series(&[10.0], &LambdaConfig::default(), r).expect("series");
    let want = 600.0 / 1e6 * 0.20 + 30.0 * 0.0000166667;
    assert!((s[0].cost - want).abs() < 1e-12, "{} vs {want}", s[0].cost);
}

#[test]
fn lambda_refuses_work_longer_than_15_minutes() {
    // "Code can run for up to 15 minutes in a single invocation."
    let prices = PriceTable::builtin().expect("prices");
    let r = prices.region("us-east-1").expect("region");
    let cfg = LambdaConfig { duration_ms: 901_000.0, ..Default::default() };
    let e = compare::lambda_series(&[1.0], &cfg, r).expect_err("too long");
    assert_eq!(e.field, "durationMs");
}

#[test]
fn ecs_series_scales_after_the_demand_and_bills_tasks() {
    let prices = PriceTable::builtin().expect("prices");
    let r = prices.region("us-east-1").expect("region");
    let s = compare::ecs_fargate_series(&rps(), 100.0, 2, 10, 512, 1024, 30.0, r).expect("series");
    assert_eq!(s[0].capacity, 2.0);
    // The spike at minute 3 is served by the tasks sized for minute 2 (200 rps -> 2 tasks):
    // 2,000 - 200 = 1,800 rps over capacity, then 10 tasks (the maximum) from minute 4.
    assert_eq!(s[3].throttled_rps, 1800.0);
    assert_eq!(s[4].capacity, 10.0);
    assert_eq!(s[4].cold_starts, 8);
    // Two 0.5 vCPU / 1 GB tasks for a minute: 2 x 0.024685 / 60.
    assert!((s[0].cost - 2.0 * 0.024685 / 60.0).abs() < 1e-12);
}

#[test]
fn every_option_lists_what_you_operate() {
    let w = compare::what_you_operate();
    assert_eq!(w.len(), 4);
    assert!(w.iter().any(|(k, v)| *k == "ECS on EC2" && v.iter().any(|s| s.contains("OS patches"))));
}
