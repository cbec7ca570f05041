//! Cost arithmetic a learner can redo by hand from the AWS pricing pages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::cost::{self, billed_seconds, compare_workload, CostMeter, FargateKind, PriceTable};
use ecs_sim::instance_types::INSTANCE_TYPES;
use ecs_sim::time::{HOUR, MINUTE, SECOND};
use serde_json::Value;

fn table() -> PriceTable {
    PriceTable::builtin().expect("built-in table parses")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * b.abs().max(1.0)
}

#[test]
fn the_table_is_dated_and_covers_every_instance_type_and_region() {
    let t = table();
    assert_eq!(t.date, "2026-11-01");
    assert!(t.note.contains("ILLUSTRATIVE"));
    for region in ["us-east-1", "eu-west-1", "ap-northeast-2", "ap-northeast-1", "eu-central-1"] {
        let r = t.region(region).expect(region);
        for it in INSTANCE_TYPES {
            assert!(r.ec2_on_demand_hour.contains_key(it.name), "{region} {}", it.name);
        }
    }
    // us-east-1 Fargate Linux/x86: $0.04048 per vCPU-hour, $0.004445 per GB-hour.
    let use1 = t.region("us-east-1").expect("us-east-1");
    assert_eq!((use1.fargate.vcpu_hour, use1.fargate.gb_hour), (0.04048, 0.004445));
    assert!(t.region("mars-north-1").is_err());
}

#[test]
fn fargate_bills_per_second_with_a_one_minute_minimum() {
    // "rounded up to the nearest second. A minimum charge of 1 minute applies."
    assert_eq!(billed_seconds(0), 60);
    assert_eq!(billed_seconds(59 * SECOND), 60);
    assert_eq!(billed_seconds(61 * SECOND + 1), 62);
    assert_eq!(billed_seconds(HOUR), 3600);
}

#[test]
fn the_seed_example_costs_what_the_arithmetic_says() {
    // 0.5 vCPU x $0.04048 + 1 GB x $0.004445 = $0.024685 per task-hour (the seed rounds it to
    // $0.02468); x 3 tasks x 730 h = $54.06015 (the seed says $54.05 from the rounded rate).
    // The seed labels these ap-northeast-2 prices; they are the us-east-1 list prices.
    let f: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}/tests/fixtures/cost_workload.json", env!("CARGO_MANIFEST_DIR")))
            .expect("fixture"),
    )
    .expect("json");
    let n = |k: &str| f[k].as_u64().expect(k) as u32;
    let c =
        compare_workload(&table(), "us-east-1", n("tasks"), n("cpu"), n("memory"), 730.0, n("azs"), Some("t3.medium"))
            .expect("comparison");
    let opt = |name: &str| c.options.iter().find(|o| o.option == name).expect(name).clone();
    assert!(close(opt("FARGATE").hourly, 3.0 * 0.024685));
    assert!(close(opt("FARGATE").total, 54.06015));
    assert!(close(opt("FARGATE_SPOT").total, 54.06015 * 0.3));
    // t3.medium registers 2,048 CPU units and 4,096 - (122 + 64) = 3,910 MiB: 3 tasks of
    // 512 / 1,024 fit (memory-bound), so binpack needs 1 instance: 0.0416 x 730 = $30.368.
    let bin = opt("EC2_BINPACK");
    assert_eq!((bin.instances, bin.tasks_per_instance), (Some(1), Some(3)));
    assert!(close(bin.total, 30.368));
    // Spread over 3 AZs: one task per AZ, one instance per AZ: 3 x 0.0416 x 730 = $91.104.
    let spread = opt("EC2_SPREAD");
    assert_eq!(spread.instances, Some(3));
    assert!(close(spread.total, 91.104));
}

#[test]
fn without_a_type_ec2_picks_the_cheapest_that_fits() {
    // t3a.medium ($0.0376) holds the same 3 tasks as t3.medium for less; t3a.micro cannot hold
    // even one (930 MiB registered < 1,024 MiB).
    let c = compare_workload(&table(), "us-east-1", 3, 512, 1024, 1.0, 3, None).expect("comparison");
    let bin = c.options.iter().find(|o| o.option == "EC2_BINPACK").expect("binpack");
    assert_eq!(bin.instance_type.as_deref(), Some("t3a.medium"));
    assert!(close(bin.total, 0.0376));
    assert_eq!(cost::tasks_per_instance("t3a.micro", 512, 1024), Some(0));
}

#[test]
fn the_meter_integrates_task_and_instance_seconds() {
    let t = table();
    let mut m = CostMeter::new(&t, "us-east-1").expect("meter");
    // A 0.25 vCPU / 0.5 GB task that pulls at t=10 s and stops at t=40 s pays the 1-minute
    // minimum: (0.25 x 0.04048 + 0.5 x 0.004445) x 60 / 3600.
    m.task_started("short", 10 * SECOND, 256, 512, 20, FargateKind::OnDemand);
    m.task_stopped("short", 40 * SECOND);
    let per_hour = 0.25 * 0.04048 + 0.5 * 0.004445;
    assert!(close(m.totals(HOUR).fargate, per_hour * 60.0 / 3600.0));
    // A 1 vCPU / 2 GB task with 50 GiB storage for 2 h: (0.04048 + 2 x 0.004445 + 30 x 0.000111) x 2.
    m.task_started("long", 0, 1024, 2048, 50, FargateKind::OnDemand);
    m.task_stopped("long", 2 * HOUR);
    let long = (0.04048 + 2.0 * 0.004445 + 30.0 * 0.000111) * 2.0;
    assert!(close(m.totals(3 * HOUR).fargate, per_hour / 60.0 + long));
    // An m5.large running 90 minutes: 0.096 x 1.5; still running at the time asked.
    m.instance_started("i-1", "m5.large", 0).expect("priced");
    let totals = m.totals(90 * MINUTE);
    assert!(close(totals.ec2, 0.096 * 1.5));
    assert_eq!(totals.ec2_instance_seconds, 5400);
    assert!(close(totals.total, totals.fargate + totals.ec2));
    assert!(m.instance_started("i-2", "x9.huge", 0).is_err());
}

#[test]
fn spot_tasks_are_metered_at_spot_rates() {
    let t = table();
    let mut m = CostMeter::new(&t, "us-east-1").expect("meter");
    m.task_started("s", 0, 1024, 2048, 20, FargateKind::Spot);
    m.task_stopped("s", HOUR);
    let r = t.region("us-east-1").expect("r");
    assert!(close(m.totals(HOUR).fargate_spot, r.fargate_spot.vcpu_hour + 2.0 * r.fargate_spot.gb_hour));
    assert!(m.totals(HOUR).fargate_spot < 0.31 * (0.04048 + 2.0 * 0.004445));
}
