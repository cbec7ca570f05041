//! Pins the bytes of every scenario's and every lesson's event log (and final snapshot) at the
//! file's own seed: a refactor must not change one byte of what the engine writes.
//!
//! Each file in `scenarios/` and `lessons/` is run to its end: a lesson to its
//! `lesson.durationSeconds`, a scenario to the CLI's default end (600 s, or 60 s after its last
//! timeline entry if later). The digests are FNV-1a 64 of the JSON Lines text
//! (`EventLog::digest`, the figure the browser test compares against the CLI) and of the
//! snapshot's JSON, recorded in `tests/fixtures/log_digests.txt`.
//!
//! When a change alters behaviour ON PURPOSE, rewrite the recorded digests in the same commit and
//! say so in its message:
//!
//! ```text
//! UPDATE_DIGESTS=1 cargo test -p ecs-sim --test log_digests
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;

use ecs_sim::log::fnv1a64;
use std::path::Path;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/log_digests.txt");

use common::json_files;

/// The end of a run: a lesson's durationSeconds, else the CLI's default (`ecs-sim run`).
fn end_ms(sim: &ecs_sim::Simulation) -> u64 {
    let scenario = sim.scenario();
    if let Some(d) = scenario.lesson.as_ref().and_then(|l| l.duration_seconds) {
        return (d * 1000.0) as u64;
    }
    let last = scenario.timeline.iter().map(|e| e.at).fold(0.0, f64::max);
    ecs_sim::time::from_secs_f64((last + 60.0).max(600.0))
}

/// `name log-digest snapshot-digest lines end-seconds` for one file.
fn digest_line(dir: &str, path: &Path) -> String {
    let name = format!("{dir}/{}", path.file_name().and_then(|s| s.to_str()).unwrap_or_default());
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut sim = ecs_sim::load(&text, None).unwrap_or_else(|e| panic!("{name}: {e}"));
    let end = end_ms(&sim);
    sim.run_until(end);
    // The CLI writes the snapshot as text (snapshot_json); the tree must give the same bytes.
    let snapshot = sim.snapshot_json();
    assert_eq!(snapshot, sim.snapshot().to_string(), "{name}: snapshot_json differs from the snapshot tree");
    format!(
        "{name} {} {} {} {}",
        sim.log().digest(),
        fnv1a64(snapshot.as_bytes()),
        sim.log().len(),
        ecs_sim::log::fmt_secs(end)
    )
}

#[test]
fn every_scenario_and_lesson_log_matches_its_recorded_digest() {
    let mut actual = Vec::new();
    for dir in ["scenarios", "lessons"] {
        let files = json_files(dir);
        assert!(!files.is_empty(), "{dir}/ has no scenario files");
        for path in files {
            actual.push(digest_line(dir, &path));
        }
    }
    let actual_text = format!(
        "# name log-digest snapshot-digest log-lines end-seconds (engine/tests/log_digests.rs)\n\
         # regenerate: UPDATE_DIGESTS=1 cargo test -p ecs-sim --test log_digests\n{}\n",
        actual.join("\n")
    );
    if std::env::var_os("UPDATE_DIGESTS").is_some() {
        std::fs::write(FIXTURE, &actual_text).unwrap_or_else(|e| panic!("{FIXTURE}: {e}"));
        return;
    }
    let recorded = std::fs::read_to_string(FIXTURE).unwrap_or_default();
    let recorded: Vec<&str> = recorded.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
    let mut problems = Vec::new();
    for line in &actual {
        let name = line.split(' ').next().unwrap_or_default();
        match recorded.iter().find(|r| r.split(' ').next() == Some(name)) {
            None => problems.push(format!("{name}: no recorded digest\n    now:      {line}")),
            Some(r) if r != line => problems.push(format!("{name}: changed\n    recorded: {r}\n    now:      {line}")),
            Some(_) => {}
        }
    }
    for r in &recorded {
        let name = r.split(' ').next().unwrap_or_default();
        if !actual.iter().any(|l| l.split(' ').next() == Some(name)) {
            problems.push(format!("{name}: recorded but the file is gone"));
        }
    }
    assert!(
        problems.is_empty(),
        "event logs differ from tests/fixtures/log_digests.txt:\n{}\n\n\
         If this change alters behaviour on purpose, regenerate the digests in the same commit\n\
         (and say so in the commit message):\n    \
         UPDATE_DIGESTS=1 cargo test -p ecs-sim --test log_digests\n\
         If it should not alter behaviour, the difference is a bug.",
        problems.join("\n")
    );
}
