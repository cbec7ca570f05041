//! Every lesson of the library (`lessons/*.json`) loads through `ecs_sim::load` and runs, and
//! shows what its lesson text says it shows. Lessons that need engine features not built yet are
//! listed in `PENDING` with the reason: they must still parse as scenarios, and are never skipped
//! silently (the test prints them, and fails if a PENDING entry names no lesson).

use ecs_sim::lesson::Lesson;
use std::path::PathBuf;

/// Lessons written in the AWS shapes of features the engine does not simulate yet.
const PENDING: &[(&str, &str)] = &[
    (
        "placement-constraints",
        "memberOf needs the Cluster Query Language (issue 3): engine/src/cql.rs rejects every expression today, so gpu-only is never placed",
    ),
    (
        "capacity-provider-scale-out",
        "capacity providers and EC2 Auto Scaling groups are not simulated: `capacityProviders` is an untyped placeholder",
    ),
    (
        "fargate-spot-interruption",
        "FARGATE_SPOT and the InterruptSpotCapacity fault are not simulated (`capacityProviders` is a placeholder)",
    ),
    ("eventbridge-scheduled-task", "EventBridge rules are not simulated: `eventRules` is an untyped placeholder"),
    ("s3-triggered-task", "EventBridge rules and S3 events (PutS3Objects) are not simulated: `eventRules` is a placeholder"),
    ("sqs-worker", "SQS queues and custom metrics are not simulated: `queues` is an untyped placeholder"),
];

/// For each lesson that runs: a text its event log must contain by `until` seconds.
const EXPECT: &[(&str, u64, &str)] = &[
    ("docker-vs-vm-vocabulary", 300, "has reached a steady state"),
    ("ec2-vs-fargate", 300, "\"launchType\":\"FARGATE\""),
    ("alb-dynamic-ports", 300, "registered 1 targets"),
    ("fargate-awsvpc-ips", 300, "registered 1 targets"),
    ("placement-strategies", 300, "has reached a steady state"),
    ("rolling-update-50-100", 600, "deployment completed"),
    ("rolling-update-100-150", 600, "deployment completed"),
    ("circuit-breaker-rollback", 1800, "rolling back to deployment"),
    ("target-tracking-cpu", 3600, "Successfully set desired count"),
    ("alb-request-count-per-target", 1800, "Successfully set desired count"),
    ("step-and-scheduled-scaling", 2400, "Successfully set desired count"),
    ("az-failure", 600, "Availability Zone became unavailable"),
    ("task-role-vs-execution-role", 300, "has reached a steady state"),
];

fn lesson_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../lessons"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("lessons/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().map(|x| x == "json").unwrap_or(false))
        .collect();
    files.sort();
    files
}

fn stem(p: &std::path::Path) -> String {
    p.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string()
}

#[test]
fn every_lesson_loads_and_runs_or_is_pending_with_a_reason() {
    let files = lesson_files();
    assert!(files.len() >= 19, "the library has {} lessons", files.len());
    let ids: Vec<String> = files.iter().map(|p| stem(p)).collect();
    for id in PENDING.iter().map(|(id, _)| *id).chain(EXPECT.iter().map(|(id, _, _)| *id)) {
        assert!(ids.iter().any(|i| i == id), "{id} names no file in lessons/");
    }
    let mut ran = 0;
    for path in &files {
        let id = stem(path);
        let text = std::fs::read_to_string(path).expect("read lesson");
        let scenario = ecs_sim::parse_scenario(&text).unwrap_or_else(|e| panic!("{id}: {e}"));
        let lesson: &Lesson = scenario.lesson.as_ref().unwrap_or_else(|| panic!("{id}: no lesson object"));
        assert_eq!(lesson.id, id, "the lesson id is the file name");
        lesson.check_complete().unwrap_or_else(|e| panic!("{id}: {e}"));
        if let Some((_, reason)) = PENDING.iter().find(|(p, _)| *p == id) {
            // Still load it when the engine can: a lesson must never break the app.
            let status = match ecs_sim::load(&text, None) {
                Ok(mut sim) => {
                    sim.run_until(600_000);
                    "loads; the feature it teaches is not simulated"
                }
                Err(_) => "does not load yet",
            };
            println!("PENDING {id}: {reason} ({status})");
            continue;
        }
        let (_, until, needle) =
            EXPECT.iter().find(|(e, _, _)| *e == id).unwrap_or_else(|| panic!("{id}: add it to EXPECT or PENDING"));
        let mut sim = ecs_sim::load(&text, None).unwrap_or_else(|e| panic!("{id}: {e}"));
        let last_pause = lesson.pauses.last().map(|p| p.at).unwrap_or(0.0);
        let until_ms = (*until as f64).max(last_pause + 60.0) as u64 * 1000;
        sim.run_until(until_ms);
        let log = sim.log().to_json_lines();
        assert!(log.contains(needle), "{id}: the log by {until} s has no {needle:?}");
        let running = sim.state().tasks.iter().filter(|t| t.last_status == ecs_sim::model::TaskStatus::Running).count();
        assert!(running > 0, "{id}: nothing runs at the end");
        ran += 1;
        println!("RUNS    {id}");
    }
    assert_eq!(ran + PENDING.len(), files.len());
}

#[test]
fn lesson_pauses_fall_inside_what_the_lesson_simulates() {
    for path in lesson_files() {
        let text = std::fs::read_to_string(&path).expect("read");
        let s = ecs_sim::parse_scenario(&text).expect("parses");
        if let Some(l) = s.lesson {
            for p in &l.pauses {
                assert!(p.at <= 4.0 * 3600.0, "{}: pause at {} s", l.id, p.at);
            }
        }
    }
}
