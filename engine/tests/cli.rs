//! The `ecs-sim` command line as a course author uses it: `--help` on every command, `check`
//! (lesson rules, the cluster at marked moments, warnings, `--strict`), `link`, `run`'s default
//! end at the lesson's `durationSeconds`, and error texts in plain words.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use std::path::PathBuf;
use std::process::{Command, Output};

fn ecs_sim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ecs-sim")).args(args).output().expect("ecs-sim runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Writes `body` to a file of its own under the target's temp dir and returns its path.
fn file(name: &str, body: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, body).expect("write file");
    p.to_string_lossy().into_owned()
}

/// Two zones with two instances each; `web` runs 4 tasks spread over the zones.
fn scenario(extra_service: &str, timeline: &str, lesson: &str) -> String {
    format!(
        r#"{{
  "seed": 1,
  "availabilityZones": ["us-east-1a", "us-east-1b"],
  "containerInstances": [
    {{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2}},
    {{"instanceType": "m5.large", "availabilityZone": "us-east-1b", "count": 2}}
  ],
  "taskDefinitions": [{{"family": "web", "networkMode": "bridge", "containerDefinitions": [
    {{"name": "web", "image": "nginx", "cpu": 256, "memory": 512, "essential": true}}]}}],
  "services": [{{"serviceName": "web", "taskDefinition": "web", "desiredCount": 4, "launchType": "EC2",
    "placementStrategy": [{{"type": "spread", "field": "attribute:ecs.availability-zone"}}]{extra_service}}}],
  "timeline": [{timeline}]{lesson}
}}"#
    )
}

const LESSON: &str = r#",
  "lesson": {
    "title": {"en": "A zone fails", "ru": "Отказ зоны"},
    "durationSeconds": 400,
    "pauses": [
      {"at": 50, "caption": {"en": "Two tasks in each zone.", "ru": "По две задачи в каждой зоне."}},
      {"at": 300, "caption": {"en": "All four in us-east-1b.", "ru": "Все четыре в us-east-1b."}}
    ]
  }"#;

const FAIL_A: &str = r#"{"at": 60, "action": "FailAvailabilityZone", "input": {"availabilityZone": "us-east-1a"}}"#;

#[test]
fn every_command_has_help_and_the_usage_prints_once() {
    for cmd in ["run", "check", "link", "ab"] {
        let o = ecs_sim(&[cmd, "--help"]);
        assert!(o.status.success(), "{cmd} --help: {}", text(&o.stderr));
        assert!(text(&o.stdout).starts_with(&format!("usage: ecs-sim {cmd}")), "{}", text(&o.stdout));
        let o = ecs_sim(&["help", cmd]);
        assert!(text(&o.stdout).starts_with(&format!("usage: ecs-sim {cmd}")), "help {cmd}");
    }
    let o = ecs_sim(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(text(&o.stderr).matches("usage:").count(), 1, "{}", text(&o.stderr));
    let o = ecs_sim(&["chek", "x.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("did you mean \"check\""), "{}", text(&o.stderr));
    let o = ecs_sim(&["run", "x.json", "--untill", "5"]);
    assert!(text(&o.stderr).contains("did you mean --until"), "{}", text(&o.stderr));
}

#[test]
fn check_prints_the_cluster_at_each_marked_moment() {
    let f = file("zone-77.json", &scenario("", FAIL_A, LESSON));
    let o = ecs_sim(&["check", &f, "--strict"]);
    let out = text(&o.stdout);
    assert!(o.status.success(), "stdout:\n{out}\nstderr:\n{}", text(&o.stderr));
    assert!(out.contains("written in en, ru (zh-CN, ko fall back to English)"), "{out}");
    let at50 = out.split("\nat 50 s").nth(1).expect("the first mark").split("\nat ").next().unwrap_or("");
    assert!(at50.contains("service web: desired 4, running 4, pending 0"), "{at50}");
    assert!(at50.contains("us-east-1a: 2 tasks") && at50.contains("us-east-1b: 2 tasks"), "{at50}");
    let at300 = out.split("\nat 300 s").nth(1).expect("the second mark").split("\nat ").next().unwrap_or("");
    assert!(at300.contains("us-east-1a (unavailable): 0 tasks"), "{at300}");
    assert!(at300.contains("us-east-1b: 4 tasks"), "{at300}");
    assert!(out.contains("\nat 400 s (the end)"), "{out}");
}

#[test]
fn lesson_rules_are_errors_that_name_the_field() {
    let late = LESSON.replace("\"at\": 300", "\"at\": 450");
    let f = file("late.json", &scenario("", FAIL_A, &late));
    let o = ecs_sim(&["check", &f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("lesson.pauses[1].at: 450 s is after the lesson ends"), "{}", text(&o.stderr));

    let f = file("zone-99.json", &scenario("", FAIL_A, LESSON));
    let o = ecs_sim(&["check", &f, "--languages", "en,ko"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("lesson.title: not written in ko"), "{err}");
    assert!(err.contains("lesson.pauses[1].caption: not written in ko"), "{err}");

    // A caption's checked claim (issue 22) that the simulation does not bear out.
    let wrong = LESSON.replace(
        r#""caption": {"en": "Two tasks in each zone.", "ru": "По две задачи в каждой зоне."}"#,
        r#""caption": {"en": "Two tasks in each zone.", "ru": "По две задачи в каждой зоне."},
           "claims": [{"runningTasks": 3, "service": "web"}]"#,
    );
    assert_ne!(wrong, LESSON);
    let f = file("claim.json", &scenario("", FAIL_A, &wrong));
    let o = ecs_sim(&["check", &f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("lesson.pauses[0].claims: at 50 s the claim"), "{}", text(&o.stderr));
    let right = wrong.replace(r#""runningTasks": 3"#, r#""runningTasks": 4"#);
    let o = ecs_sim(&["check", &file("claim-ok.json", &scenario("", FAIL_A, &right))]);
    assert!(o.status.success(), "{}", text(&o.stderr));

    let plain = LESSON.replace(r#"{"en": "A zone fails", "ru": "Отказ зоны"}"#, r#""A zone fails""#);
    let f = file("plain.json", &scenario("", FAIL_A, &plain));
    let o = ecs_sim(&["check", &f]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "the title lacks ru, which the captions have: {err}");
    assert!(err.contains("lesson.title is a plain string, taken as English"), "{err}");
    assert!(err.contains("lesson.title: not written in ru"), "{err}");
}

#[test]
fn failed_actions_and_keys_not_simulated_are_warnings_and_strict_fails() {
    let timeline = r#"{"at": 30, "action": "FailAvailabilityZone", "input": {"availabilityZone": "us-east-1z"}},
      {"at": 40, "action": "UpdateService", "input": {"service": "web", "taskDefinition": "web:3"}}"#;
    let f = file("warn.json", &scenario(r#", "availabilityZoneRebalancing": "ENABLED""#, timeline, ""));
    let o = ecs_sim(&["run", &f, "--until", "120"]);
    assert!(o.status.success(), "warnings alone do not fail: {}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains("warning: at 30 s: timeline action FailAvailabilityZone failed"), "{err}");
    assert!(err.contains("warning: at 40 s: timeline action UpdateService failed"), "{err}");
    assert!(err.contains("services[0].availabilityZoneRebalancing: ENABLED is accepted but not simulated"), "{err}");
    let o = ecs_sim(&["run", &f, "--until", "120", "--strict"]);
    assert_eq!(o.status.code(), Some(1));
    let o = ecs_sim(&["check", &f, "--strict"]);
    assert_eq!(o.status.code(), Some(1));

    // A service that cannot place its tasks for five minutes.
    let big = scenario("", "", "").replace("\"desiredCount\": 4", "\"desiredCount\": 40");
    let f = file("big.json", &big);
    let o = ecs_sim(&["run", &f, "--until", "600"]);
    let err = text(&o.stderr);
    assert!(err.contains("service web could not place"), "{err}");
    let f = file("fine.json", &scenario("", "", ""));
    let o = ecs_sim(&["check", &f, "--strict"]);
    assert!(o.status.success(), "a healthy scenario has no warning: {}", text(&o.stderr));
    assert_eq!(text(&o.stderr), "");
}

#[test]
fn run_stops_at_the_lessons_duration() {
    let f = file("zone-160.json", &scenario("", FAIL_A, LESSON));
    let o = ecs_sim(&["run", &f]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let last = out.lines().last().expect("a snapshot line");
    assert!(last.starts_with("{\"t\":400,\"trace\":\"Snapshot\""), "{}", &last[..60.min(last.len())]);
}

#[test]
fn link_carries_the_whole_lesson() {
    use ecs_sim::share_link::{decode, Known, Source};
    let body = scenario("", FAIL_A, LESSON);
    let f = file("zone-172.json", &body);
    let o = ecs_sim(&["link", &f, "--t", "1:35", "--base", "https://example.org/play/"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let link = text(&o.stdout).trim().to_string();
    assert!(link.starts_with("https://example.org/play/?scenario="), "{link}");
    assert!(link.ends_with("&t=95"), "{link}");
    let known = Known { lessons: &[], speeds: &[1, 10], languages: &["en"], default_speed: 10 };
    let d = decode(link.split_once('?').map(|x| x.1).unwrap_or(""), &known);
    assert!(d.problems.is_empty(), "{:?}", d.problems);
    let Source::Custom(doc) = d.state.source else { panic!("a custom scenario") };
    assert_eq!(ecs_sim::parse_scenario(&doc).expect("loads"), ecs_sim::parse_scenario(&body).expect("loads"));
    let o = ecs_sim(&["link", &f, "--t", "soon"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn errors_are_in_plain_words() {
    let f = file("three.json", &scenario("", "", "").replace("\"desiredCount\": 4", "\"desiredCount\": \"three\""));
    let err = text(&ecs_sim(&["check", &f]).stderr);
    assert!(err.contains("services[0].desiredCount") && err.contains("a whole number"), "{err}");
    assert!(!err.contains("u32"), "{err}");

    let f = file("typo.json", &scenario("", "", "").replace("\"desiredCount\"", "\"desiredCont\""));
    let err = text(&ecs_sim(&["check", &f]).stderr);
    assert!(err.contains("unknown key \"desiredCont\"; did you mean \"desiredCount\"?"), "{err}");

    let f = file("comma.json", &scenario("", "", "").replace("\"count\": 2}\n  ]", "\"count\": 2},\n  ]"));
    let err = text(&ecs_sim(&["check", &f]).stderr);
    assert!(err.contains("trailing comma"), "{err}");
    assert!(!err.contains(".?") && !err.contains("?:"), "{err}");

    let bad_scaling = scenario("", "", "").replace(
        "\"timeline\"",
        r#""scaling": {"ScalableTargets": [{"ServiceNamespace": "ecs", "ResourceId": "service/default/web", "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": -1, "MaxCapacity": 4}]}, "timeline""#,
    );
    let err = text(&ecs_sim(&["check", &file("scaling.json", &bad_scaling)]).stderr);
    assert!(err.contains("scaling.ScalableTargets[0]"), "{err}");
    assert!(!err.contains("scaling.scaling"), "{err}");
}

/// `check` checks the claims beside the captions: a true one passes, a wrong one is an error
/// that names the lesson's moment, the claim and what the simulation showed.
#[test]
fn check_checks_the_claims_at_their_moments() {
    let claimed = LESSON.replace(
        r#""ru": "Все четыре в us-east-1b."}}"#,
        r#""ru": "Все четыре в us-east-1b."}, "claims": [{"runningTasks": 4, "service": "web", "availabilityZone": "us-east-1b"}]}"#,
    );
    assert_ne!(claimed, LESSON);
    let f = file("claims.json", &scenario("", FAIL_A, &claimed));
    let o = ecs_sim(&["check", &f]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let wrong = claimed.replace(r#"{"runningTasks": 4"#, r#"{"runningTasks": 3"#);
    let f = file("wrong-claim.json", &scenario("", FAIL_A, &wrong));
    let o = ecs_sim(&["check", &f]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("at 300 s (pauses[1])") && err.contains("\"runningTasks\":3"), "{err}");
    assert!(err.contains("the simulation shows 4 RUNNING"), "{err}");
}

#[test]
fn import_terraform_prints_a_loadable_scenario_and_warns_on_stderr() {
    let dir = format!("{}/tests/fixtures/terraform/module-data-source", env!("CARGO_MANIFEST_DIR"));
    let out = ecs_sim(&["import-terraform", &dir]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let scenario = text(&out.stdout);
    ecs_sim::load(&scenario, None).expect("the printed scenario loads");
    let err = text(&out.stderr);
    assert!(err.contains("main.tf:22: module \"vpc\""), "{err}");
    assert!(err.contains("main.tf:33: data.aws_availability_zones.available"), "{err}");
    // --strict: any warning is exit 1.
    assert_eq!(ecs_sim(&["import-terraform", &dir, "--strict"]).status.code(), Some(1));
    let help = ecs_sim(&["import-terraform", "--help"]);
    assert!(text(&help.stdout).contains("usage: ecs-sim import-terraform"));
    assert_eq!(ecs_sim(&["import-terraform"]).status.code(), Some(2));
}

#[test]
fn ab_plays_both_runs_and_prints_their_figures() {
    let lesson = concat!(env!("CARGO_MANIFEST_DIR"), "/../lessons/ab-binpack-vs-spread.json");
    let o = ecs_sim(&["ab", lesson, "--until", "90"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("A: binpack (memory)") && out.contains("B: spread"), "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("instances in use / active") && l.contains("1 / 4") && l.contains("4 / 4")),
        "{out}"
    );
    assert!(
        out.contains(
            "RUNNING tasks per Availability Zone: A us-east-1a 4, us-east-1b 0; B us-east-1a 2, us-east-1b 2."
        ),
        "{out}"
    );
    let o = ecs_sim(&["ab", lesson, "--until", "90", "--json", "--lang", "ko"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["figures"]["b"]["instancesInUse"], 4);
    assert!(v["summary"].as_str().unwrap_or("").contains("가용 영역"), "{v}");
    // Two files: B is the second, with A's seed.
    let o = ecs_sim(&["ab", lesson, lesson, "--until", "90"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // A scenario without a variant is an error naming it.
    let plain = file("plain-ab.json", &scenario("", "", ""));
    let o = ecs_sim(&["ab", &plain]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("variant"), "{}", text(&o.stderr));
}
