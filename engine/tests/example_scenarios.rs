//! The placement example scenarios in `scenarios/` show the documented outcome. Same cluster (two
//! m5.large per zone, three zones), same service (6 tasks, 9 after 120 s), different strategy.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod placement_common;
use ecs_sim::Simulation;
use placement_common::*;
use std::collections::BTreeSet;

fn run(text: &str) -> Simulation {
    let mut sim = ecs_sim::load(text, None).unwrap_or_else(|e| panic!("scenario loads: {e}"));
    sim.run_until(secs(300));
    sim
}

fn counts(sim: &Simulation) -> Vec<usize> {
    tasks_per_instance(sim).values().copied().collect()
}

#[test]
fn binpack_fills_the_fewest_instances() {
    // "binpack: ... This minimizes the number of instances in use." 7 tasks of 1024 MiB fit in an
    // m5.large's 7985 MiB: 9 tasks need exactly 2 instances.
    let sim = run(include_str!("../../scenarios/placement-binpack.json"));
    assert_eq!(live_tasks(&sim).len(), 9);
    assert_eq!(counts(&sim), vec![7, 2]);
}

#[test]
fn spread_balances_availability_zones_then_instances() {
    // "distributes tasks evenly across Availability Zones and then distributes tasks evenly across
    // the instances within each Availability Zone."
    let sim = run(include_str!("../../scenarios/placement-spread.json"));
    assert_eq!(tasks_per_az(&sim).values().copied().collect::<Vec<_>>(), vec![3, 3, 3]);
    let c = counts(&sim);
    assert_eq!(c.len(), 6, "every instance used: {c:?}");
    assert!(c.iter().all(|n| (1..=2).contains(n)), "{c:?}");
}

#[test]
fn random_is_reproducible_and_spreads_load() {
    // "random: Place tasks randomly." Seeded: the same scenario gives the same layout.
    let text = include_str!("../../scenarios/placement-random.json");
    let a = run(text);
    let b = run(text);
    let layout = |s: &Simulation| s.state().tasks.iter().map(|t| t.instance).collect::<Vec<_>>();
    assert_eq!(layout(&a), layout(&b));
    assert_eq!(live_tasks(&a).len(), 9);
    assert!(counts(&a).len() >= 4, "random uses most instances: {:?}", counts(&a));
}

#[test]
fn constraints_are_binding() {
    // distinctInstance: "places each task in the group on a different instance": 8 desired, 6
    // instances, 6 running. memberOf: "Place tasks on container instances that satisfy an
    // expression": worker tasks only on t3 instances with stack=batch.
    let sim = run(include_str!("../../scenarios/placement-constraints.json"));
    let st = sim.state();
    let web: Vec<_> = live_tasks(&sim).into_iter().filter(|t| t.group == "service:web").collect();
    let web_hosts: BTreeSet<_> = web.iter().filter_map(|t| t.instance).collect();
    assert_eq!((web.len(), web_hosts.len()), (6, 6));
    assert_eq!(st.services[0].desired_count, 8);
    assert!(service_events(&sim).iter().any(|m| m.contains("DistinctInstance placement constraint unsatisfied.")));
    let workers: Vec<_> = live_tasks(&sim).into_iter().filter(|t| t.group == "service:worker").collect();
    assert_eq!(workers.len(), 6);
    for t in workers {
        let inst = &st.instances[t.instance.map(|i| i.idx()).unwrap_or(usize::MAX).min(st.instances.len() - 1)];
        assert_eq!(inst.instance_type, "t3.medium");
        assert_eq!(inst.attributes.get("stack").map(String::as_str), Some("batch"));
    }
}
