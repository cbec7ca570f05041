//! The engine's incremental indexes (src/index.rs: live tasks per service, task-group counts per
//! instance and AZ; src/index/free.rs: ACTIVE instances by remaining CPU and memory) stay equal to
//! indexes rebuilt from the task and instance arenas after every event of every scenario and
//! lesson, and of a rolling update with a spot interruption, draining and a failed AZ.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;

use common::json_files;

/// Step through `sim` until `end`, checking the indexes after every event.
fn check_every_event(name: &str, sim: &mut ecs_sim::Simulation, end: u64) -> u64 {
    let mut events = 0;
    sim.check_indexes().unwrap_or_else(|e| panic!("{name} at load: {e}"));
    while sim.next_event_time().is_some_and(|t| t <= end) {
        sim.step();
        events += 1;
        sim.check_indexes().unwrap_or_else(|e| panic!("{name} after event {events} at {} ms: {e}", sim.now()));
    }
    events
}

#[test]
fn indexes_match_a_rebuild_after_every_event_of_every_scenario_and_lesson() {
    for dir in ["scenarios", "lessons"] {
        for path in json_files(dir) {
            let name = format!("{dir}/{}", path.file_name().and_then(|s| s.to_str()).unwrap_or_default());
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            let mut sim = ecs_sim::load(&text, None).unwrap_or_else(|e| panic!("{name}: {e}"));
            let end = sim
                .scenario()
                .lesson
                .as_ref()
                .and_then(|l| l.duration_seconds)
                .map_or(900_000, |d| (d * 1000.0) as u64);
            let events = check_every_event(&name, &mut sim, end);
            assert!(events > 0, "{name}: no event processed");
        }
    }
}
