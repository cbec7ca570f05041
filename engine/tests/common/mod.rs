//! Helpers shared by the integration tests: run a scenario, read its log.
#![allow(dead_code)]

pub mod blue_green;

use ecs_sim::log::{kind, LogEntry};
use ecs_sim::Simulation;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The `.json` files of a folder at the repository's root (`lessons`, `scenarios`), sorted.
pub fn json_files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// Every lesson and scenario file: (`lessons/<file>` or `scenarios/<file>`, its text).
pub fn documents() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["lessons", "scenarios"] {
        for p in json_files(dir) {
            let name = format!("{dir}/{}", p.file_name().and_then(|s| s.to_str()).unwrap_or_default());
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
            out.push((name, text));
        }
    }
    out
}

pub fn run(text: &str, until_s: u64) -> Simulation {
    let mut sim = ecs_sim::load(text, None).expect("scenario loads");
    sim.run_until(until_s * 1000);
    sim
}

pub fn run_value(v: &Value, until_s: u64) -> Simulation {
    run(&v.to_string(), until_s)
}

pub fn scenario(name: &str) -> Value {
    let path = format!("{}/../scenarios/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("scenario file");
    serde_json::from_str(&text).expect("scenario json")
}

pub fn entries<'a>(sim: &'a Simulation, kind: &'a str) -> impl Iterator<Item = &'a LogEntry> + 'a {
    sim.log().entries().iter().filter(move |e| e.detail_type == kind)
}

/// Service event messages with their times (seconds).
pub fn events(sim: &Simulation) -> Vec<(f64, String)> {
    entries(sim, kind::SERVICE_EVENT)
        .map(|e| (e.t as f64 / 1000.0, e.detail["message"].as_str().unwrap_or_default().to_string()))
        .collect()
}

/// Target health changes: (t seconds, target id, port, state, reason).
pub fn target_changes(sim: &Simulation) -> Vec<(f64, String, u64, String, String)> {
    entries(sim, kind::TARGET_HEALTH_CHANGE)
        .map(|e| {
            let d = &e.detail;
            (
                e.t as f64 / 1000.0,
                d["target"]["id"].as_str().unwrap_or_default().to_string(),
                d["target"]["port"].as_u64().unwrap_or(0),
                d["state"].as_str().unwrap_or_default().to_string(),
                d["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Task state changes: (t seconds, task arn, lastStatus, stopCode, detail).
pub fn task_changes(sim: &Simulation) -> Vec<(f64, String, String, String, Value)> {
    entries(sim, "ECS Task State Change")
        .map(|e| {
            let d: &Value = &e.detail;
            (
                e.t as f64 / 1000.0,
                d["taskArn"].as_str().unwrap_or_default().to_string(),
                d["lastStatus"].as_str().unwrap_or_default().to_string(),
                d["stopCode"].as_str().unwrap_or_default().to_string(),
                d.clone(),
            )
        })
        .collect()
}

pub fn service<'a>(snap: &'a Value, name: &str) -> &'a Value {
    snap["services"].as_array().and_then(|a| a.iter().find(|s| s["serviceName"] == name)).expect("service in snapshot")
}

pub fn targets(snap: &Value) -> Vec<Value> {
    snap["targetHealth"][0]["TargetHealthDescriptions"].as_array().cloned().unwrap_or_default()
}

/// Requests a target (a TargetHealthDescription) got in the last minute: the snapshot's own
/// `playground.targetRequestsLastMinute`.
pub fn requests_last_minute(snap: &Value, target: &Value) -> u64 {
    snap["playground"]["targetRequestsLastMinute"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["Id"] == target["Target"]["Id"] && r["Port"] == target["Target"]["Port"]))
        .and_then(|r| r["Requests"].as_u64())
        .unwrap_or(0)
}
