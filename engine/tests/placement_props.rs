//! Property tests over random clusters and random RunTask/StopTask sequences. Invariants, each a
//! documented rule:
//! - "a task is placed on the instance with the least amount of remaining memory but still enough
//!   to run the task": no instance is ever allocated beyond its registered CPU or memory;
//! - "only one container can use a single host port at a time": no host port (per protocol) is
//!   bound twice on one instance, and reserved ports are never bound;
//! - "Each Amazon ECS task that uses the awsvpc network mode receives its own elastic network
//!   interface": no private IP is used twice, and ENIs never exceed the instance type's limit;
//! - the same scenario and seed place every task on the same instance.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod placement_common;
use ecs_sim::model::{InstanceStatus, PortProto};
use ecs_sim::network::DEFAULT_RESERVED_PORTS;
use ecs_sim::Simulation;
use placement_common::*;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const TYPES: &[&str] = &["t2.micro", "t3.small", "t3a.small", "c5.large", "m5.large", "r5.large", "m6i.xlarge"];
const AZS: &[&str] = &["us-east-1a", "us-east-1b", "us-east-1c"];

fn task_def(i: usize, mode: u8, cpu: u32, mem: u32, static_port: bool) -> Value {
    let (network, ports) = match mode % 3 {
        0 => (
            "bridge",
            if static_port {
                json!([{"containerPort": 80, "hostPort": 8000 + i}])
            } else {
                json!([{"containerPort": 80}, {"containerPort": 53, "protocol": "udp"}])
            },
        ),
        1 => ("host", json!([{"containerPort": 9000 + i}])),
        _ => ("awsvpc", json!([{"containerPort": 80}])),
    };
    json!({"family": format!("td{i}"), "networkMode": network,
           "containerDefinitions": [{"name": "app", "image": "nginx", "cpu": cpu, "memory": mem, "portMappings": ports}]})
}

#[derive(Debug, Clone)]
enum Step {
    Run { td: usize, count: u32, strategy: u8 },
    Stop { pick: usize },
    Wait { secs: u64 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0usize..4, 1u32..4, 0u8..6).prop_map(|(td, count, strategy)| Step::Run { td, count, strategy }),
        2 => (0usize..64).prop_map(|pick| Step::Stop { pick }),
        1 => (1u64..120).prop_map(|secs| Step::Wait { secs }),
    ]
}

fn strategy_json(s: u8) -> Value {
    match s {
        0 => json!([]),
        1 => json!([{"type": "binpack", "field": "memory"}]),
        2 => json!([{"type": "binpack", "field": "cpu"}]),
        3 => {
            json!([{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "spread", "field": "instanceId"}])
        }
        4 => json!([{"type": "random"}]),
        _ => json!([{"type": "spread", "field": "instanceId"}, {"type": "binpack", "field": "memory"}]),
    }
}

fn check_invariants(sim: &Simulation) -> Result<(), TestCaseError> {
    let st = sim.state();
    let live: Vec<_> = st.tasks.iter().filter(|t| t.is_live()).collect();
    for (i, inst) in st.instances.iter().enumerate() {
        prop_assert!(
            inst.used_cpu <= inst.registered_cpu,
            "instance {i} cpu {} > {}",
            inst.used_cpu,
            inst.registered_cpu
        );
        prop_assert!(
            inst.used_memory <= inst.registered_memory,
            "instance {i} memory {} > {}",
            inst.used_memory,
            inst.registered_memory
        );
        let on: Vec<_> = live.iter().filter(|t| t.instance.map(|x| x.idx()) == Some(i)).collect();
        if inst.status != InstanceStatus::Inactive {
            prop_assert_eq!(inst.used_cpu, on.iter().map(|t| t.cpu).sum::<u32>());
            prop_assert_eq!(inst.used_memory, on.iter().map(|t| t.memory).sum::<u32>());
        }
        let mut ports = BTreeSet::new();
        for b in on.iter().flat_map(|t| t.bindings.iter()) {
            prop_assert!(
                ports.insert((b.host_port, b.protocol)),
                "host port {} bound twice on instance {i}",
                b.host_port
            );
            prop_assert!(
                !(b.protocol == PortProto::Tcp && DEFAULT_RESERVED_PORTS.contains(&b.host_port)),
                "reserved port {}",
                b.host_port
            );
        }
        let enis = on.iter().filter(|t| t.eni_id.is_some()).count() as u32;
        prop_assert!(enis < inst.spec.max_enis, "instance {i} ({}) has {enis} task ENIs", inst.instance_type);
    }
    let mut ips: BTreeSet<String> = st.instances.iter().map(|i| i.private_ip.clone()).collect();
    for t in &live {
        if let Some(ip) = &t.private_ip {
            prop_assert!(ips.insert(ip.clone()), "IP {ip} used twice");
        }
    }
    Ok(())
}

fn build(groups: &[(usize, usize, u32)], tds: &[(u8, u32, u32, bool)], seed: u64) -> Simulation {
    let instances: Vec<Value> = groups
        .iter()
        .map(|(t, az, n)| json!({"instanceType": TYPES[*t], "availabilityZone": AZS[*az], "count": n}))
        .collect();
    let defs: Vec<Value> = tds.iter().enumerate().map(|(i, (m, c, mem, sp))| task_def(i, *m, *c, *mem, *sp)).collect();
    cluster_with(json!(instances), json!(defs), json!([]), seed)
}

/// Spread and binpack strategies are ranked in one pass, spread(field) + spread(instanceId)
/// walks the instances from the fewest tasks up, and binpack (alone, after one spread, or with
/// strategies breaking its ties) walks them from the least remaining CPU or memory that fits
/// (`placement::place`); all must choose what
/// listing every candidate and keeping each strategy's best in turn chooses
/// (`placement::place_stepwise`), or fail with the same closest instance, for every task
/// definition and task group of the cluster as it is now.
fn one_pass_matches_the_steps(sim: &Simulation) -> Result<(), TestCaseError> {
    use ecs_sim::placement::{place, place_stepwise, PlacementRequest};
    use ecs_sim::scenario::{PlacementConstraint, PlacementStrategy};
    let st = sim.state();
    let az_available = st.az_available();
    let view = st.placement_view(&az_available);
    let s = |kind: &str, field: &str| PlacementStrategy { kind: kind.into(), field: Some(field.into()) };
    let lists = [
        vec![s("binpack", "memory")],
        vec![s("binpack", "cpu"), s("spread", "instanceId")],
        vec![s("spread", "attribute:ecs.availability-zone"), s("spread", "instanceId")],
        vec![s("spread", "attribute:ecs.availability-zone"), s("binpack", "memory")],
        vec![s("spread", "attribute:ecs.instance-type"), s("binpack", "cpu"), s("spread", "host")],
        vec![s("spread", "attribute:no-such-attribute"), s("binpack", "memory")],
        vec![s("spread", "instanceId"), s("binpack", "memory")],
        vec![s("spread", "host")],
        vec![s("spread", "attribute:ecs.instance-type"), s("spread", "instanceId")],
        vec![s("spread", "attribute:no-such-attribute"), s("spread", "host")],
        vec![s("binpack", "cpu")],
        vec![s("spread", "attribute:ecs.availability-zone"), s("binpack", "cpu")],
        vec![s("binpack", "memory"), s("spread", "attribute:ecs.availability-zone"), s("binpack", "cpu")],
        vec![s("spread", "host"), s("binpack", "cpu"), s("spread", "attribute:ecs.instance-type")],
        vec![s("spread", "attribute:ecs.instance-type"), s("binpack", "memory"), s("binpack", "cpu")],
    ];
    let distinct = [PlacementConstraint { kind: "distinctInstance".into(), expression: None }];
    let member_of = [PlacementConstraint {
        kind: "memberOf".into(),
        expression: Some("attribute:ecs.availability-zone != us-east-1a".into()),
    }];
    for (family, revisions) in &st.task_defs.families {
        let Some(td) = revisions.last() else { continue };
        for group in [format!("family:{family}"), "family:other".to_string()] {
            for (strategies, constraints) in
                lists.iter().flat_map(|l| [&[][..], &distinct[..], &member_of[..]].into_iter().map(move |c| (l, c)))
            {
                let req = PlacementRequest {
                    task_definition: td,
                    group: &group,
                    strategies,
                    constraints,
                    capacity_provider: None,
                };
                let mut rng_a = ecs_sim::rng::SimRng::seeded(7);
                let mut rng_b = ecs_sim::rng::SimRng::seeded(7);
                let a = place(&view, &req, &mut rng_a);
                let b = place_stepwise(&view, &req, &mut rng_b);
                prop_assert_eq!(&a, &b, "{} in {} with {:?} and {:?}", family, group, strategies, constraints);
                prop_assert_eq!(rng_a.below(1_000_000), rng_b.below(1_000_000), "the same draws");
            }
        }
    }
    Ok(())
}

/// Apply the steps; return where each task went.
fn drive(sim: &mut Simulation, steps: &[Step]) -> Result<Vec<Option<usize>>, TestCaseError> {
    let mut t = 0;
    for s in steps {
        match s {
            Step::Run { td, count, strategy } => {
                let mut input = json!({"taskDefinition": format!("td{td}"), "count": count, "placementStrategy": strategy_json(*strategy)});
                // networkConfiguration: required for awsvpc, refused for the other modes (RunTask).
                let awsvpc = sim
                    .state()
                    .task_defs
                    .resolve(&format!("td{td}"))
                    .and_then(|r| sim.state().task_defs.get(&r))
                    .is_some_and(|d| d.network_mode == ecs_sim::taskdef::NetworkMode::Awsvpc);
                if awsvpc {
                    input["networkConfiguration"] = json!({"awsvpcConfiguration": {"subnets": ["subnet-a"]}});
                }
                let r = sim.apply_json("RunTask", &input);
                prop_assert!(r.is_ok(), "RunTask rejected: {:?}", r.err());
            }
            Step::Stop { pick } => {
                let live: Vec<String> = live_tasks(sim).iter().map(|t| t.task_arn.clone()).collect();
                if !live.is_empty() {
                    let arn = &live[pick % live.len()];
                    let _ = sim.apply_json("StopTask", &json!({"task": arn}));
                }
            }
            Step::Wait { secs: s } => {
                t += s * 1000;
                sim.run_until(sim.now().max(t));
            }
        }
        check_invariants(sim)?;
        one_pass_matches_the_steps(sim)?;
    }
    Ok(sim.state().tasks.iter().map(|t| t.instance.map(|i| i.idx())).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn placement_never_overcommits_and_is_deterministic(
        groups in prop::collection::vec((0usize..TYPES.len(), 0usize..3, 1u32..4), 1..4),
        tds in prop::collection::vec((0u8..3, prop_oneof![Just(0u32), 128u32..1024], 64u32..2048, any::<bool>()), 4),
        steps in prop::collection::vec(step(), 1..40),
        seed in 0u64..1000,
    ) {
        let mut a = build(&groups, &tds, seed);
        let placed_a = drive(&mut a, &steps)?;
        let mut b = build(&groups, &tds, seed);
        let placed_b = drive(&mut b, &steps)?;
        prop_assert_eq!(placed_a, placed_b, "same seed, same placement");
        prop_assert_eq!(a.log().digest(), b.log().digest());
    }
}
