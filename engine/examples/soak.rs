//! Soak run: 7 simulated days of a busy service behind an ALB with target tracking, with a fault
//! every few minutes (a stopped task, a crashed container, failing health checks, an AZ outage
//! and its recovery). Prints figures per simulated day and fails (exit 1) if counts drift: after
//! each day's faults stop, the service must be back at its desired count, and retained memory
//! (log entries kept, queued events) must stay flat.
//!
//! Run: `cargo run --release -p ecs-sim --example soak [days]`

use ecs_sim::model::{ServiceId, TaskStatus};
use ecs_sim::time::{HOUR, MINUTE};
use serde_json::json;
use std::time::Instant;

const SCENARIO: &str = include_str!("../../scenarios/autoscaling-target-tracking-cpu.json");

fn main() {
    let days: u64 = std::env::args().nth(1).and_then(|d| d.parse().ok()).unwrap_or(7);
    let mut v: serde_json::Value = match serde_json::from_str(SCENARIO) {
        Ok(v) => v,
        Err(e) => return fail(&format!("scenario: {e}")),
    };
    // A daily traffic cycle instead of the lesson's steps: busy days, quiet nights.
    v["traffic"]["targetGroups"][0]["requestsPerSecond"] =
        json!({"type": "dailySine", "min": 20, "max": 200, "peakAtSeconds": 50400});
    let mut sim = match ecs_sim::load(&v.to_string(), None) {
        Ok(s) => s,
        Err(e) => return fail(&format!("load: {e}")),
    };
    sim.set_log_retention(Some(20_000));
    let azs = ["us-east-1a", "us-east-1b", "us-east-1c"];
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut faults = 0u64;
    let mut k = 0u64;
    println!("day  wall-s  events     log-kept  queued  tasks-arena  desired  running  faults");
    for day in 0..days {
        let day_start = day * 24 * HOUR;
        // Faults every 7 simulated minutes for 23 hours, then an hour of calm.
        let mut t = day_start + 7 * MINUTE;
        while t < day_start + 23 * HOUR {
            sim.run_until(t);
            k += 1;
            let live: Vec<String> = sim
                .state()
                .tasks
                .iter()
                .filter(|t| t.is_live() && t.last_status == TaskStatus::Running)
                .map(|t| t.task_arn.clone())
                .collect();
            let pick = live.get((k as usize * 7919) % live.len().max(1)).cloned();
            let (action, input) = match (k % 5, pick) {
                (0, Some(task)) => ("StopTask", json!({"task": task})),
                (1, Some(task)) => ("KillContainer", json!({"task": task, "containerName": "web"})),
                (2, Some(task)) => ("FailHealthChecks", json!({"task": task})),
                (3, _) => ("FailAvailabilityZone", json!({"availabilityZone": azs[(k as usize / 5) % 3]})),
                _ => ("RestoreAvailabilityZone", json!({"availabilityZone": azs[(k as usize / 5) % 3]})),
            };
            if sim.apply_json(action, &input).is_ok() {
                faults += 1;
            }
            t += 7 * MINUTE;
        }
        for az in azs {
            let _ = sim.apply_json("RestoreAvailabilityZone", &json!({"availabilityZone": az}));
        }
        sim.run_until((day + 1) * 24 * HOUR);
        let st = sim.state();
        let desired = st.services[0].desired_count;
        let running = st.running_count(ServiceId(0));
        println!(
            "{:>3}  {:>6.2}  {:>9}  {:>8}  {:>6}  {:>11}  {:>7}  {:>7}  {:>6}",
            day + 1,
            started.elapsed().as_secs_f64(),
            sim.events_processed(),
            sim.log().entries().len(),
            sim.queued_events(),
            st.tasks.len(),
            desired,
            running,
            faults
        );
        if running != desired {
            failures.push(format!("day {}: running {running} != desired {desired}", day + 1));
        }
        if sim.log().entries().len() > 40_000 || sim.queued_events() > 10_000 {
            failures.push(format!("day {}: retained state grows", day + 1));
        }
    }
    if failures.is_empty() {
        println!("soak ok: {days} simulated days, {faults} faults, {:.1} s wall", started.elapsed().as_secs_f64());
    } else {
        fail(&failures.join("; "));
    }
}

fn fail(msg: &str) {
    eprintln!("soak FAILED: {msg}");
    std::process::exit(1);
}
