//! Property tests over random clusters and random sequences of API calls and faults, checking the
//! invariants ECS guarantees after every single event:
//! - no container instance is over-allocated: reserved CPU and memory never exceed what it
//!   registered ("Amazon ECS task placement": an instance must have the CPU and memory a task
//!   needs), and the books balance (reserved = sum over the tasks it holds);
//! - no host port is bound twice on one instance, and no private IP is used twice in the VPC;
//! - a task's lastStatus only moves forward through the documented lifecycle;
//! - the engine's incremental indexes equal ones rebuilt from the task arena;
//! - the same scenario and seed give the same event log;
//! - once the faults stop, the service converges to its desired count.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::fixtures;
use ecs_sim::model::{DesiredStatus, InstanceStatus, TaskStatus};
use ecs_sim::Simulation;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

#[derive(Debug, Clone)]
enum Op {
    Scale(u32),
    StopTask(u32),
    TerminateInstance(u32),
    DrainInstance(u32),
    FailAz(u32),
    RestoreAz(u32),
    Deploy,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u32..24).prop_map(Op::Scale),
        any::<u32>().prop_map(Op::StopTask),
        any::<u32>().prop_map(Op::TerminateInstance),
        any::<u32>().prop_map(Op::DrainInstance),
        (0u32..3).prop_map(Op::FailAz),
        (0u32..3).prop_map(Op::RestoreAz),
        Just(Op::Deploy),
    ]
}

const AZS: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];

/// Turn an op into an API call against the current state (ids are picked from what exists).
fn to_call(sim: &Simulation, op: &Op, revision: &mut u32) -> Option<(&'static str, Value)> {
    let st = sim.state();
    Some(match op {
        Op::Scale(n) => ("UpdateService", json!({"service": "web", "desiredCount": n})),
        Op::StopTask(k) => {
            let live: Vec<_> = st.tasks.iter().filter(|t| t.is_live()).collect();
            let t = live.get(*k as usize % live.len().max(1))?;
            ("StopTask", json!({"task": t.task_arn}))
        }
        Op::TerminateInstance(k) | Op::DrainInstance(k) => {
            let act: Vec<_> = st.instances.iter().filter(|i| i.status == InstanceStatus::Active).collect();
            // Keep at least 3 instances so the service can converge afterwards.
            if act.len() <= 3 {
                return None;
            }
            let i = act.get(*k as usize % act.len())?;
            let name = if matches!(op, Op::TerminateInstance(_)) { "TerminateInstance" } else { "DrainInstance" };
            (name, json!({"instance": i.ec2_instance_id}))
        }
        Op::FailAz(a) => ("FailAvailabilityZone", json!({"availabilityZone": AZS[*a as usize]})),
        Op::RestoreAz(a) => ("RestoreAvailabilityZone", json!({"availabilityZone": AZS[*a as usize]})),
        Op::Deploy => {
            *revision += 1;
            let mut td = fixtures::web_task_definition(&format!("web:v{revision}"));
            td["family"] = json!("web");
            return Some(("RegisterTaskDefinition", td));
        }
    })
}

fn check_invariants(sim: &Simulation) -> Result<(), String> {
    let st = sim.state();
    let mut ips = BTreeSet::new();
    for inst in &st.instances {
        if inst.used_cpu > inst.registered_cpu || inst.used_memory > inst.registered_memory {
            return Err(format!(
                "{} over-allocated: cpu {}/{} mem {}/{}",
                inst.ec2_instance_id, inst.used_cpu, inst.registered_cpu, inst.used_memory, inst.registered_memory
            ));
        }
        let (cpu, mem) =
            inst.tasks.iter().fold((0, 0), |(c, m), t| (c + st.tasks[t.idx()].cpu, m + st.tasks[t.idx()].memory));
        if (cpu, mem) != (inst.used_cpu, inst.used_memory) {
            return Err(format!(
                "{} books do not balance: tasks hold {cpu}/{mem}, instance says {}/{}",
                inst.ec2_instance_id, inst.used_cpu, inst.used_memory
            ));
        }
        let mut ports = BTreeSet::new();
        for t in &inst.tasks {
            for b in &st.tasks[t.idx()].bindings {
                if !ports.insert((b.host_port, b.protocol)) {
                    return Err(format!("host port {} bound twice on {}", b.host_port, inst.ec2_instance_id));
                }
            }
        }
        if inst.status != InstanceStatus::Inactive && !ips.insert(inst.private_ip.clone()) {
            return Err(format!("IP {} used twice", inst.private_ip));
        }
    }
    for t in st.tasks.iter().filter(|t| t.is_live()) {
        if let Some(ip) = &t.private_ip {
            if !ips.insert(ip.clone()) {
                return Err(format!("IP {ip} used twice"));
            }
        }
    }
    for t in &st.tasks {
        if t.history.windows(2).any(|w| w[1].1 < w[0].1 || w[1].0 < w[0].0) {
            return Err(format!("task {} moved backwards: {:?}", t.task_id, t.history));
        }
    }
    // The engine's incremental indexes (live tasks per service, task-group counts) agree with a
    // rebuild from the task arena.
    sim.check_indexes()?;
    Ok(())
}

fn run(seed: u64, instances: u32, desired: u32, ops: &[(u16, Op)]) -> Result<Simulation, String> {
    let scenario = fixtures::cluster("props", instances, desired, vec![]);
    let mut sim = ecs_sim::load(&scenario.to_string(), Some(seed)).map_err(|e| e.to_string())?;
    let mut revision = 1;
    let mut t = 0u64;
    for (gap, op) in ops {
        let until = t + u64::from(*gap) * 1000;
        while sim.next_event_time().is_some_and(|e| e <= until) {
            sim.step();
            check_invariants(&sim)?;
        }
        sim.run_until(until);
        t = until;
        if let Some((action, input)) = to_call(&sim, op, &mut revision) {
            let deploy = action == "RegisterTaskDefinition";
            // Errors are fine (e.g. a bad parameter); panics and broken invariants are not.
            let _ = sim.apply_json(action, &input);
            if deploy {
                let _ = sim.apply_json(
                    "UpdateService",
                    &json!({"service": "web", "taskDefinition": format!("web:{revision}")}),
                );
            }
            check_invariants(&sim)?;
        }
    }
    Ok(sim)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_under_random_calls_and_faults(
        seed in any::<u64>(),
        instances in 3u32..12,
        desired in 0u32..16,
        ops in prop::collection::vec((1u16..400, op()), 1..25),
    ) {
        let sim = run(seed, instances, desired, &ops);
        prop_assert!(sim.is_ok(), "{}", sim.err().unwrap_or_default());
    }

    #[test]
    fn same_seed_same_log(seed in any::<u64>(), ops in prop::collection::vec((1u16..300, op()), 1..12)) {
        let a = run(seed, 6, 8, &ops).map(|s| s.log().digest());
        let b = run(seed, 6, 8, &ops).map(|s| s.log().digest());
        prop_assert_eq!(a, b);
    }

    #[test]
    fn desired_count_converges_once_faults_stop(
        seed in any::<u64>(),
        desired in 1u32..12,
        ops in prop::collection::vec((1u16..300, op()), 1..15),
    ) {
        let mut sim = run(seed, 9, desired, &ops).map_err(TestCaseError::fail)?;
        // Faults stop: every AZ comes back; then the scheduler has an hour to heal.
        for az in AZS {
            let _ = sim.apply_json("RestoreAvailabilityZone", &json!({"availabilityZone": az}));
        }
        let now = sim.now();
        sim.run_until(now + 3_600_000);
        let st = sim.state();
        let svc = &st.services[0];
        let live_running = st.tasks.iter().filter(|t| t.service.is_some() && t.last_status == TaskStatus::Running && t.desired_status == DesiredStatus::Running).count() as u32;
        prop_assert_eq!(live_running, svc.desired_count, "events: {:?}", svc.events.iter().take(5).map(|e| &e.message).collect::<Vec<_>>());
    }
}

/// The capacity provider scenario with random desired counts: Auto Scaling group scale-out and
/// protected scale-in never over-allocate an instance, a task waiting in PROVISIONING holds no
/// host, and with managed termination protection no task is stopped by a scale-in.
fn run_asg(seed: u64, protected: bool, steps: &[(u16, u32)]) -> Result<Simulation, String> {
    let mut sc: Value =
        serde_json::from_str(include_str!("../../scenarios/capacity-provider-asg.json")).map_err(|e| e.to_string())?;
    sc["timeline"] = json!([]);
    if !protected {
        sc["capacityProviders"]["createCapacityProvider"][0]["autoScalingGroupProvider"]
            ["managedTerminationProtection"] = json!("DISABLED");
    }
    let mut sim = ecs_sim::load(&sc.to_string(), Some(seed)).map_err(|e| e.to_string())?;
    let mut t = 0u64;
    for (gap, desired) in steps {
        let until = t + u64::from(*gap) * 1000;
        while sim.next_event_time().is_some_and(|e| e <= until) {
            sim.step();
            check_invariants(&sim)?;
            let st = sim.state();
            for task in st.tasks.iter().filter(|x| x.awaiting_capacity) {
                let waiting = task.desired_status == DesiredStatus::Running;
                if task.instance.is_some() || (waiting && task.last_status != TaskStatus::Provisioning) {
                    return Err(format!("task {} awaits capacity but has a host or moved on", task.task_id));
                }
            }
            if protected && st.tasks.iter().any(|x| x.stop_code == Some(ecs_sim::model::StopCode::TerminationNotice)) {
                return Err("a protected scale-in stopped a task".into());
            }
            if st.capacity.groups.iter().any(|g| g.desired() > g.max || g.desired() < g.min) {
                return Err("desired capacity outside MinSize..MaxSize".into());
            }
        }
        sim.run_until(until);
        t = until;
        let _ = sim.apply_json("UpdateService", &json!({"service": "web", "desiredCount": desired}));
    }
    Ok(sim)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn asg_scaling_never_over_allocates(
        seed in any::<u64>(),
        protected in any::<bool>(),
        steps in prop::collection::vec((30u16..1500, 0u32..24), 1..10),
    ) {
        let sim = run_asg(seed, protected, &steps);
        prop_assert!(sim.is_ok(), "{}", sim.err().unwrap_or_default());
    }
}
