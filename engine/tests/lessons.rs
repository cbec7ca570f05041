//! Every lesson of the library (`lessons/*.json`) loads through `ecs_sim::load` and runs, and
//! shows what its lesson text says it shows. Lessons that need engine features not built yet are
//! listed in `PENDING` with the reason: they must still parse as scenarios, and are never skipped
//! silently (the test prints them, and fails if a PENDING entry names no lesson).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;

use ecs_sim::lesson::Lesson;
use std::path::PathBuf;

/// For each lesson: a text its event log must contain by the end of the lesson. For lessons that
/// need a feature the engine lacks (`lesson.needs`), it is what the lesson shows today.
const EXPECT: &[(&str, &str)] = &[
    ("docker-vs-vm-vocabulary", "has reached a steady state"),
    ("ec2-vs-fargate", "\"launchType\":\"FARGATE\""),
    ("alb-dynamic-ports", "registered 1 targets"),
    ("fargate-awsvpc-ips", "registered 1 targets"),
    ("placement-strategies", "has reached a steady state"),
    ("placement-constraints", "DistinctInstance placement constraint unsatisfied"),
    ("rolling-update-50-100", "deployment completed"),
    ("rolling-update-100-150", "deployment completed"),
    ("circuit-breaker-rollback", "rolling back to deployment"),
    ("canary-10-then-all", "\"lifecycleStage\":\"CLEAN_UP\""),
    ("blue-green-test-traffic-bake", "\"lifecycleStage\":\"CLEAN_UP\""),
    ("linear-steps", "\"productionTrafficPercent\":75.0"),
    ("deployment-alarm-rollback", "deployment failed: alarm(s) detected."),
    ("blue-green-hook-rollback", "returned FAILED at POST_TEST_TRAFFIC_SHIFT"),
    ("codedeploy-canary-10-percent-5-minutes", "\"eventName\":\"CreateDeployment\""),
    ("target-tracking-cpu", "Successfully set desired count"),
    ("alb-request-count-per-target", "Successfully set desired count"),
    ("step-and-scheduled-scaling", "Successfully set desired count"),
    ("az-failure", "Availability Zone became unavailable"),
    ("task-role-vs-execution-role", "ResourceInitializationError"),
    ("ecr-lifecycle-missing-tag", "CannotPullContainerError"),
    ("sidecar-bind-mount-efs", "has reached a steady state"),
    ("cost-fargate-vs-ec2", "has reached a steady state"),
    ("compare-lambda-ecs-eks", "has reached a steady state"),
    ("capacity-provider-scale-out", "changing the desired capacity from 2 to"),
    ("fargate-spot-interruption", "\"stopCode\":\"SpotInterruption\""),
    ("eventbridge-scheduled-task", "\"startedBy\":\"events-rule/cleanup-every-5-minutes\""),
    ("express-mode-one-call", "\"total\":13"),
    ("s3-triggered-task", "\"startedBy\":\"events-rule/process-uploads\""),
    ("sqs-worker", "has reached a steady state"),
    ("health-check-replacement", "Task failed ELB health checks"),
    ("eventbridge-stopped-task-sns", "\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:ops-alerts\""),
    ("killed-task-replaced", "\"stopCode\":\"EssentialContainerExited\""),
    ("daemon-vs-replica", "\"status\":\"DRAINING\""),
    ("instance-profile-task-role-execution-role", "assumed-role/ecsInstanceRole"),
    ("fargate-bills-what-you-ask-for", "has reached a steady state"),
    ("release-path-ecr-update-service", "deployment completed"),
    ("when-eks-or-lambda-instead-of-ecs", "Successfully set desired count"),
    ("ab-binpack-vs-spread", "Availability Zone became unavailable"),
    ("security-group-dynamic-ports", "\"reason\":\"Target.Timeout\""),
    ("private-subnet-image-pull", "unable to retrieve ecr registry auth"),
    ("alb-vs-nlb", "\"reason\":\"Target.ResponseCodeMismatch\""),
    ("secrets-from-ssm-and-secrets-manager", "failed to download env files"),
    ("ab-rolling-50-vs-100", "deployment completed"),
    ("ab-fargate-vs-ec2-cost", "has reached a steady state"),
];

fn lesson_files() -> Vec<PathBuf> {
    common::json_files("lessons")
}

fn stem(p: &std::path::Path) -> String {
    p.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string()
}

#[test]
fn every_lesson_parses_loads_and_runs_to_its_end() {
    let files = lesson_files();
    assert!(files.len() >= 19, "the library has {} lessons", files.len());
    let ids: Vec<String> = files.iter().map(|p| stem(p)).collect();
    for (id, _) in EXPECT {
        assert!(ids.iter().any(|i| i == id), "{id} names no file in lessons/");
    }
    for path in &files {
        let id = stem(path);
        let text = std::fs::read_to_string(path).expect("read lesson");
        let scenario = ecs_sim::parse_scenario(&text).unwrap_or_else(|e| panic!("{id}: {e}"));
        let lesson: &Lesson = scenario.lesson.as_ref().unwrap_or_else(|| panic!("{id}: no lesson object"));
        assert_eq!(lesson.id, id, "the lesson id is the file name");
        let (_, needle) =
            EXPECT.iter().find(|(e, _)| *e == id).unwrap_or_else(|| panic!("{id}: add what it shows to EXPECT"));
        let mut sim = ecs_sim::load(&text, None).unwrap_or_else(|e| panic!("{id}: {e}"));
        let end_ms = (lesson.duration_seconds.unwrap_or(0.0) * 1000.0) as u64;
        sim.run_until(end_ms);
        assert_eq!(sim.now(), end_ms, "{id}: the simulation reached the lesson's end");
        let log = sim.log().to_json_lines();
        assert!(log.contains(needle), "{id}: the log by {end_ms} ms has no {needle:?}");
        // Without errors: every API call of the lesson's timeline succeeded.
        // (Application calls a lesson shows failing, "AppApiCall", are the point.)
        let failed = log.lines().find(|l| l.contains("\"trace\":\"ApiCall\"") && l.contains("\"errorCode\":\""));
        assert!(failed.is_none(), "{id}: a timeline call failed: {}", failed.unwrap_or_default());
        // Pending timeline entries are real timeline entries waiting for a feature: they parse
        // as timeline entries (the action name is what the engine will not yet accept).
        for e in &lesson.pending_timeline {
            assert!(e.get("at").and_then(|a| a.as_f64()).is_some() && e.get("action").is_some(), "{id}: {e}");
        }
        println!(
            "RUNS {id} to {} s{}",
            end_ms / 1000,
            if lesson.needs.is_empty() { String::new() } else { format!(" (needs {:?})", lesson.needs) }
        );
    }
}

/// Every pause is inside the lesson's duration and every text (title, summary, question,
/// captions) exists in all four languages: `Lesson::check_complete`, whose error names the field.
#[test]
fn every_lesson_is_complete_in_four_languages_with_pauses_inside_its_duration() {
    for path in lesson_files() {
        let text = std::fs::read_to_string(&path).expect("read");
        let s = ecs_sim::parse_scenario(&text).expect("parses");
        let l = s.lesson.unwrap_or_else(|| panic!("{}: no lesson", path.display()));
        l.check_complete().unwrap_or_else(|e| panic!("{}: {e}", l.id));
        let end = l.duration_seconds.unwrap_or(0.0);
        for p in &l.pauses {
            assert!(p.at <= end, "{}: pause at {} s after the end {end} s", l.id, p.at);
            for lang in ecs_sim::lesson::LANGUAGES {
                assert!(!p.caption.get(lang).trim().is_empty() && p.caption.0.contains_key(lang), "{}: {lang}", l.id);
            }
        }
    }
}

/// Every claim of every lesson holds at its moment: what a caption states as fact is what the
/// simulation shows there (`ecs_sim::lesson::check_claims`, which `ecs-sim check` uses too).
/// Every pause either has claims or is marked commentary (`Lesson::check_complete`).
#[test]
fn every_claim_of_every_lesson_holds_at_its_moment() {
    let mut failures = vec![];
    let mut claims = 0;
    for path in lesson_files() {
        let text = std::fs::read_to_string(&path).expect("read");
        let s = ecs_sim::parse_scenario(&text).expect("parses");
        let l = s.lesson.as_ref().expect("lesson");
        claims += l.pauses.iter().map(|p| p.claims.len()).sum::<usize>();
        for p in &l.pauses {
            assert!(
                p.commentary || !p.claims.is_empty(),
                "{} at {} s: a pause with no claims and no commentary",
                l.id,
                p.at
            );
        }
        failures.extend(ecs_sim::lesson::check_claims(&s, None).into_iter().map(|f| f.to_string()));
    }
    assert!(failures.is_empty(), "{} of {claims} claims fail:\n{}", failures.len(), failures.join("\n"));
    println!("{claims} claims hold");
}

/// A wrong claim fails, and the failure names the lesson, the moment, the claim and what the
/// simulation showed: change the 4 RUNNING tasks of rolling-update-50-100's first pause to 5.
#[test]
fn a_wrong_claim_fails_and_names_lesson_moment_claim_and_what_was_shown() {
    let path = lesson_files().into_iter().find(|p| stem(p) == "rolling-update-50-100").expect("lesson");
    let mut s = ecs_sim::parse_scenario(&std::fs::read_to_string(path).expect("read")).expect("parses");
    assert!(ecs_sim::lesson::check_claims(&s, None).is_empty(), "the lesson as written holds");
    let lesson = s.lesson.as_mut().expect("lesson");
    let claim = lesson.pauses[0]
        .claims
        .iter_mut()
        .find(|c| c.running_tasks == Some(ecs_sim::lesson::Count::Exactly(4)))
        .expect("the first pause claims 4 RUNNING tasks");
    claim.running_tasks = Some(ecs_sim::lesson::Count::Exactly(5));
    let failures = ecs_sim::lesson::check_claims(&s, None);
    assert_eq!(failures.len(), 1, "{failures:?}");
    let f = &failures[0];
    assert_eq!((f.lesson.as_str(), f.pause, f.at), ("rolling-update-50-100", 0, 95.0));
    assert!(f.claim.contains("\"runningTasks\":5"), "{}", f.claim);
    assert!(f.shown.contains("4 RUNNING"), "{}", f.shown);
    let msg = f.to_string();
    assert!(msg.contains("rolling-update-50-100") && msg.contains("95 s") && msg.contains("runningTasks"), "{msg}");
}
