//! `ecs-sim run SCENARIO.json [--until SECONDS] [--seed N]`: play a scenario headless and write
//! the event log as JSON Lines, then one final snapshot line.

use ecs_sim::log::{kind, LogEntry};
use ecs_sim::time::from_secs_f64;
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: ecs-sim run SCENARIO.json [--until SECONDS] [--seed N]

Plays an ECS Playground scenario and writes its event log to stdout as JSON Lines:
  AWS's events as full EventBridge events plus \"t\" (simulated seconds):
  {\"t\": 12, \"version\": \"0\", \"id\": ..., \"detail-type\": \"ECS Task State Change\", \"source\": \"aws.ecs\",
   \"account\": ..., \"time\": ..., \"region\": ..., \"resources\": [...], \"detail\": {...}}
  and the playground's own trace lines: {\"t\": 12, \"trace\": \"ServiceEvent\", \"detail\": {...}},
followed by one trace line \"Snapshot\" (the cluster as describe-* shows it).

  --until SECONDS   simulate up to this time (default: 600, or 60 s after the last timeline entry)
  --seed N          override the scenario's seed";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("ecs-sim: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("run") => {}
        Some("-h") | Some("--help") | Some("help") => {
            println!("{USAGE}");
            return Ok(());
        }
        _ => return Err(USAGE.to_string()),
    }
    let mut path = None;
    let mut until: Option<f64> = None;
    let mut seed: Option<u64> = None;
    while let Some(a) = it.next() {
        match a.as_str() {
            "--until" => {
                let v = it.next().ok_or("--until needs a number of seconds")?;
                let s: f64 = v.parse().map_err(|_| format!("--until: \"{v}\" is not a number of seconds"))?;
                if !(s.is_finite() && s >= 0.0) {
                    return Err("--until must be a number of seconds >= 0".into());
                }
                until = Some(s);
            }
            "--seed" => {
                let v = it.next().ok_or("--seed needs a number")?;
                seed = Some(v.parse().map_err(|_| format!("--seed: \"{v}\" is not an unsigned integer"))?);
            }
            p if path.is_none() && !p.starts_with("--") => path = Some(p.to_string()),
            other => return Err(format!("unexpected argument \"{other}\"\n{USAGE}")),
        }
    }
    let path = path.ok_or_else(|| USAGE.to_string())?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let mut sim = ecs_sim::load(&text, seed).map_err(|e| format!("{path}: {e}"))?;
    let until = until.unwrap_or_else(|| {
        let last = sim.scenario().timeline.iter().map(|e| e.at).fold(0.0, f64::max);
        (last + 60.0).max(600.0)
    });
    let end = from_secs_f64(until);
    // Lines are streamed out each simulated minute, so the engine need not keep them all.
    sim.set_log_retention(Some(50_000));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut written = 0;
    // Stream the log as the simulation advances, one simulated minute at a time.
    let mut t = 0;
    loop {
        t = (t + 60_000).min(end);
        sim.run_until(t);
        for e in sim.log().since(written) {
            writeln!(out, "{}", e.to_json_line()).map_err(|e| e.to_string())?;
        }
        written = sim.log().len();
        if t >= end {
            break;
        }
    }
    let snap = LogEntry::trace(sim.now(), kind::SNAPSHOT, sim.snapshot());
    writeln!(out, "{}", snap.to_json_line()).map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())
}
