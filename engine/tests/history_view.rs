//! The chart history rebuilt from the log (`sim::history_view`) says what describe-services said
//! at every moment: the same desired, running and pending counts as the engine's state when it
//! was there, for the default scenario and every lesson with a service. And the 50/100 rolling
//! update, the lesson the task chart exists for, dips to 2 running tasks (4 x 50%).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::model::ServiceId;
use ecs_sim::sim::history_view::{counts_at, service_history, HistoryBuilder};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn check(path: &PathBuf, until_s: u64) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut sim = ecs_sim::load(&text, None).unwrap();
    if sim.state().services.is_empty() {
        return;
    }
    let name = sim.state().services[0].service_name.clone();
    let initial = sim.state().services[0].spec.desired_count.unwrap_or(0);
    let daemon =
        sim.state().services[0].spec.scheduling_strategy == Some(ecs_sim::scenario::SchedulingStrategy::Daemon);
    let mut seen = Vec::new();
    // The chart's way: one builder kept while playing, fed the new lines every 5 s.
    let mut live = HistoryBuilder::new(&name, initial, daemon, 0);
    let mut read = 0;
    let mut t = 0;
    while t <= until_s * 1000 {
        sim.run_until(t);
        let st = sim.state();
        let s = ServiceId(0);
        seen.push((t, st.services[0].desired_count, st.running_count(s), st.pending_count(s)));
        for e in sim.log().since(read) {
            live.feed(e);
        }
        read = sim.log().len();
        // Exactly the history rebuilt from the whole log at this moment.
        let rebuilt = service_history(sim.log().entries(), &name, initial, daemon, sim.now());
        assert_eq!(live.history(), rebuilt, "{}: incremental history at {} s", path.display(), t / 1000);
        t += 5_000;
    }
    let h = service_history(sim.log().entries(), &name, initial, daemon, sim.now());
    for (t, desired, running, pending) in seen {
        let p = counts_at(&h, t).unwrap_or_else(|| panic!("{}: no point at {t}", path.display()));
        assert_eq!(
            (p.desired, p.running, p.pending),
            (desired, running, pending),
            "{}: counts at {} s (desired, running, pending)",
            path.display(),
            t / 1000
        );
    }
}

#[test]
fn history_matches_the_engine_state_at_every_moment() {
    check(&root().join("scenarios/default.json"), 900);
    let mut lessons: Vec<PathBuf> = std::fs::read_dir(root().join("lessons"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    lessons.sort();
    for l in lessons {
        check(&l, 900);
    }
}

#[test]
fn the_50_100_rolling_update_dips_to_two_running_tasks() {
    let text = std::fs::read_to_string(root().join("lessons/rolling-update-50-100.json")).unwrap();
    let mut sim = ecs_sim::load(&text, None).unwrap();
    sim.run_until(240_000);
    let h = service_history(sim.log().entries(), "web", 4, false, sim.now());
    let min = h.counts.iter().filter(|p| p.t >= 120_000).map(|p| p.running).min().unwrap();
    assert_eq!(min, 2, "ceil(4 x 50%) = 2 tasks stay running while the first old ones stop");
    let max_live = h.counts.iter().map(|p| p.running + p.pending).max().unwrap();
    assert!(max_live <= 4, "maximumPercent 100: never more than 4 running or pending, saw {max_live}");
}

#[test]
fn target_tracking_history_has_cpu_and_the_alarm_thresholds() {
    let text = std::fs::read_to_string(root().join("lessons/target-tracking-cpu.json")).unwrap();
    let mut sim = ecs_sim::load(&text, None).unwrap();
    sim.run_until(1_200_000);
    let h = service_history(sim.log().entries(), "web", 2, false, sim.now());
    assert!(h.cpu.len() >= 15, "one CPUUtilization datapoint a minute");
    let high = h.thresholds.iter().find(|t| t.comparison == ">").expect("the high alarm's threshold");
    assert_eq!((high.metric.as_str(), high.value), ("CPUUtilization", 50.0));
    assert!(h.counts.iter().any(|p| p.desired > 2), "scaled out");
}
