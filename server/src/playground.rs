//! The playground's own verbs, for what has no AWS API here: `X-Amz-Target: EcsPlayground.<Verb>`
//! with a JSON body (JSON 1.1, like the AWS calls). These are ECS Playground's, not AWS's.
//!
//! - `AdvanceClock {"seconds": N}`: run the simulation N simulated seconds ahead now.
//! - `Pause {}` / `Resume {}`: stop or restart the wall-clock tick.
//! - `SetSpeed {"speed": N}`: simulated seconds per wall-clock second.
//! - `DescribeClock {}`: simulated time, speed, paused.
//! - `LaunchInstances {"instanceType", "availabilityZone", "count"}`: EC2 capacity joins the cluster.
//! - `InjectFault {"action": "TerminateInstance", "input": {...}}`: one of the engine's faults.
//! - `DescribeState {}` (also `GET /playground/snapshot`): the whole cluster, describe-style.
//! - `ExportScenario {}`: the scenario served, with every successful call so far as its timeline.
//! - `DescribeSession {}`: what a watcher needs to show this simulation exactly (the playground's
//!   "Watch a local simulator"): the scenario as loaded, every successful call with its simulated
//!   millisecond and its request body as received, the clock, and when the server started (a new
//!   value means a new session). The engine is deterministic, so applying the same calls at the
//!   same times to the same scenario gives the same cluster, log line for log line.

use crate::{App, Fault, OpResult};
use ecs_sim::time::{from_secs_f64, to_secs_f64};
use serde_json::{json, Value};

pub const TARGET_PREFIX: &str = "EcsPlayground";

/// What `InjectFault` accepts: the engine's faults and the offered traffic (`SetTraffic`), named
/// by the engine's own command table so the two cannot drift apart.
pub fn faults() -> Vec<&'static str> {
    use ecs_sim::command::{kind_of, CommandKind, ACTION_NAMES};
    ACTION_NAMES.iter().copied().filter(|a| *a == "SetTraffic" || kind_of(a) == Some(CommandKind::Fault)).collect()
}

/// At most this many simulated seconds per AdvanceClock call (30 days).
pub const MAX_ADVANCE_SECONDS: f64 = 30.0 * 86400.0;
/// The playground's bound on speed (simulated seconds per second).
pub const MAX_SPEED: f64 = 1000.0;

fn num(input: &Value, key: &str) -> Result<f64, Fault> {
    input
        .get(key)
        .and_then(Value::as_f64)
        .ok_or_else(|| Fault::new("ValidationException", format!("{key} is required (a number).")))
}

pub fn clock_json(a: &App) -> Value {
    json!({"simulatedSeconds": to_secs_f64(a.sim.now()), "speed": a.clock.speed, "paused": a.clock.paused})
}

/// See `DescribeSession` in the module docs.
pub fn describe_session(a: &App) -> OpResult {
    let scenario = serde_json::to_value(&a.original).map_err(|e| Fault::new("InternalFailure", e.to_string()))?;
    let calls: Vec<Value> =
        a.recorded.iter().map(|(t, action, input)| json!({"atMs": t, "action": action, "input": input})).collect();
    let mut clock = clock_json(a);
    clock["simulatedMs"] = json!(a.sim.now());
    Ok(json!({"startedAt": a.config.epoch, "scenario": scenario, "calls": calls, "clock": clock}))
}

pub fn call(a: &mut App, op: &str, input: &Value) -> OpResult {
    match op {
        "AdvanceClock" => {
            let secs = num(input, "seconds")?;
            if !(secs > 0.0 && secs <= MAX_ADVANCE_SECONDS) {
                return Err(Fault::new(
                    "ValidationException",
                    format!("seconds must be more than 0 and at most {MAX_ADVANCE_SECONDS}."),
                ));
            }
            let t = a.sim.now() + from_secs_f64(secs);
            a.sim.run_until(t);
            let now = a.sim.now();
            a.clock.reanchor(now);
            Ok(clock_json(a))
        }
        "Pause" | "Resume" => {
            let now = a.sim.now();
            a.clock.reanchor(now);
            a.clock.paused = op == "Pause";
            Ok(clock_json(a))
        }
        "SetSpeed" => {
            let speed = num(input, "speed")?;
            if !(speed > 0.0 && speed <= MAX_SPEED) {
                return Err(Fault::new(
                    "ValidationException",
                    format!("speed must be more than 0 and at most {MAX_SPEED}."),
                ));
            }
            let now = a.sim.now();
            a.clock.reanchor(now);
            a.clock.speed = speed;
            Ok(clock_json(a))
        }
        "DescribeClock" => Ok(clock_json(a)),
        "LaunchInstances" => {
            let r = a.apply("LaunchInstances", input)?;
            Ok(r)
        }
        "InjectFault" => {
            let action = input.get("action").and_then(Value::as_str).unwrap_or_default().to_string();
            let faults = faults();
            if !faults.contains(&action.as_str()) {
                return Err(Fault::new(
                    "ValidationException",
                    format!("action must be one of: {}.", faults.join(", ")),
                ));
            }
            let inner = input.get("input").cloned().unwrap_or(json!({}));
            Ok(a.apply(&action, &inner)?)
        }
        "DescribeState" => describe_state(a),
        "ExportScenario" => export_scenario(a),
        "DescribeSession" => describe_session(a),
        _ => Err(Fault::new("UnknownOperationException", format!("Unknown playground verb \"{op}\"."))),
    }
}

/// The cluster as the engine's snapshot shows it, with the clock.
pub fn describe_state(a: &App) -> OpResult {
    let mut snap = a.sim.snapshot();
    snap["clock"] = clock_json(a);
    Ok(snap)
}

/// The scenario served, with every successful state-changing call appended to its timeline at
/// the simulated second it happened, so a CLI session replays as a scenario (or a lesson).
fn export_scenario(a: &App) -> OpResult {
    let mut sc = serde_json::to_value(&a.original).map_err(|e| Fault::new("InternalFailure", e.to_string()))?;
    let mut timeline = sc.get("timeline").and_then(Value::as_array).cloned().unwrap_or_default();
    for (t, action, input) in &a.recorded {
        timeline.push(json!({"at": to_secs_f64(*t), "action": action, "input": input}));
    }
    sc["timeline"] = Value::Array(timeline);
    Ok(json!({"scenario": sc}))
}
