//! The bodies of the fuzz targets (`fuzz/`, run with `make fuzz`), kept in the engine so the
//! same code also runs on stable Rust in `engine/tests/fuzz_replay.rs` over the committed corpus.
//! Each takes arbitrary bytes and must return (errors are fine); a panic is a bug, because in
//! the browser a panic kills the page.

use crate::schedule_expr::{ScheduleExpr, StartDate};
use crate::time::{MINUTE, SECOND};
use crate::Simulation;

/// Simulated time a fuzzed scenario runs for: long enough to place, start and check health.
const SCENARIO_RUN: u64 = 10 * MINUTE;

/// A scenario document (or a describe-task-definition / register body inside one): parse, load,
/// and run it for ten simulated minutes.
pub fn scenario(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(mut sim) = crate::load(text, None) {
        sim.run_until(SCENARIO_RUN);
        let _ = sim.snapshot().to_string();
    }
}

/// A task definition as the editor receives it: parse with field paths, then validate.
pub fn task_definition(data: &[u8]) {
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    if let Ok(req) = crate::taskdef_rules::parse_task_definition(&doc) {
        let _ = crate::taskdef_rules::validate(&req);
    }
}

/// A `memberOf` expression: parse, and evaluate against every instance of `sim`.
pub fn cql(data: &[u8], sim: &Simulation) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(expr) = crate::cql::parse(text) {
        let state = sim.state();
        for inst in &state.instances {
            let _ = expr.matches(inst, &state.tasks);
        }
    }
}

/// A schedule expression (`at(...)`, `rate(...)`, six-field `cron(...)`): parse, then ask for
/// the next few firing times.
pub fn schedule_expression(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(start) = StartDate::parse("2026-11-23T00:00:00Z") else { return };
    if let Ok(expr) = ScheduleExpr::parse(text) {
        let mut t = 0;
        for _ in 0..5 {
            match expr.next_after(start, 0, t) {
                Some(next) if next > t => t = next + SECOND,
                _ => break,
            }
        }
    }
}

/// A small cluster to evaluate fuzzed expressions against (the default scenario's shape).
pub fn cql_fixture() -> Option<Simulation> {
    let doc = crate::fixtures::cluster("fuzz", 6, 6, vec![]);
    let mut sim = crate::load(&doc.to_string(), None).ok()?;
    sim.run_until(5 * MINUTE);
    Some(sim)
}
