//! The JSON Schema (schema/*.schema.json) and the reference page (docs/reference.md) are what the
//! engine generates from its own types (else: `make reference`), every file of scenarios/ and
//! lessons/ names its schema in `$schema` and is valid against it, and the reference describes
//! every timeline action the engine accepts and every log line kind it writes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;

use ecs_sim::schema::{lesson_schema, lesson_schema_json, reference_markdown, scenario_schema, scenario_schema_json};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn files(dir: &str) -> Vec<PathBuf> {
    common::json_files(dir)
}

#[test]
fn committed_schema_and_reference_are_not_stale() {
    let stale = "stale: run `make reference` (ecs-sim schema / reference) and commit the result";
    assert!(read("schema/scenario.schema.json") == scenario_schema_json(), "schema/scenario.schema.json is {stale}");
    assert!(read("schema/lesson.schema.json") == lesson_schema_json(), "schema/lesson.schema.json is {stale}");
    assert!(read("docs/reference.md") == reference_markdown(), "docs/reference.md is {stale}");
}

fn errors(schema: &Value, doc: &Value) -> Vec<String> {
    let v = jsonschema::validator_for(schema).expect("the schema compiles");
    v.iter_errors(doc).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

#[test]
fn every_example_names_its_schema_and_is_valid_against_it() {
    let scenario = scenario_schema();
    let lesson = lesson_schema();
    let mut n = 0;
    for (dir, schema, name) in [("scenarios", &scenario, "scenario"), ("lessons", &lesson, "lesson")] {
        for f in files(dir) {
            let text = std::fs::read_to_string(&f).expect("read");
            let doc: Value = serde_json::from_str(&text).expect("JSON");
            let want = format!("../schema/{name}.schema.json");
            assert_eq!(doc.get("$schema").and_then(Value::as_str), Some(want.as_str()), "{}", f.display());
            let errs = errors(schema, &doc);
            assert!(errs.is_empty(), "{}: {errs:#?}", f.display());
            ecs_sim::parse_scenario(&text).unwrap_or_else(|e| panic!("{}: the engine refuses it: {e}", f.display()));
            n += 1;
        }
    }
    assert!(n >= 40, "only {n} files");
}

#[test]
fn the_schema_refuses_what_the_engine_refuses() {
    let schema = scenario_schema();
    let base = || json!({"services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 2}]});
    assert!(errors(&schema, &base()).is_empty());
    for (bad, what) in [
        (json!({"servces": []}), "a misspelt top-level key"),
        (json!({"services": [{"serviceName": "web", "desiredCont": 2}]}), "a misspelt service key"),
        (json!({"services": [{"serviceName": "web", "desiredCount": -1}]}), "a negative count"),
        (json!({"services": [{"serviceName": "web", "launchType": "fargate"}]}), "a launch type in lower case"),
        (
            json!({"traffic": {"targetGroups": [{"targetGroup": "tg", "requestsPerSecond": {"type": "wave"}}]}}),
            "an unknown traffic shape",
        ),
        (json!({"lesson": {"title": {"fr": "Bonjour"}}}), "a language the playground does not speak"),
        (json!({"timeline": [{"action": "RunTask"}]}), "a timeline entry without `at`"),
    ] {
        assert!(!errors(&schema, &bad).is_empty(), "the schema accepts {what}");
        assert!(ecs_sim::scenario::scenario_from_value(bad.clone()).is_err(), "the engine accepts {what}");
    }
    let ramp = json!({"traffic": {"targetGroups": [{"targetGroup": "tg",
        "requestsPerSecond": {"type": "ramp", "from": 10, "to": 100, "at": 60, "durationSeconds": 300}}]}});
    assert!(errors(&schema, &ramp).is_empty());
    assert!(ecs_sim::scenario::scenario_from_value(ramp).is_ok());
    // Lesson files need their lesson object.
    assert!(!errors(&lesson_schema(), &base()).is_empty());
}

#[test]
fn the_reference_describes_every_action_the_engine_accepts() {
    let mut sim = ecs_sim::load("{}", None).expect("an empty scenario");
    let e = sim.apply_json("NoSuchAction", &json!({})).expect_err("unknown");
    let list = e.message.split("Known actions: ").nth(1).expect("the error lists the known actions");
    let known: Vec<&str> = list.trim_end_matches('.').split(", ").collect();
    let documented: Vec<&str> = ecs_sim::schema::reference::ACTIONS.iter().map(|a| a.0).collect();
    for a in &known {
        assert!(documented.contains(a), "{a} is not in docs/reference.md (schema/reference.rs ACTIONS)");
    }
    for a in &documented {
        assert!(known.contains(a), "{a} is documented but the engine does not accept it");
    }
}

#[test]
fn the_reference_describes_every_log_line_kind() {
    let documented: Vec<&str> = ecs_sim::schema::reference::LOG_KINDS.iter().map(|k| k.0).collect();
    // Every detail-type constant of the log module ...
    let src = read("engine/src/log.rs");
    let mut consts = 0;
    for line in src.lines().map(str::trim).filter(|l| l.starts_with("pub const ") && l.contains(": &str = \"")) {
        let kind = line.split('"').nth(1).unwrap_or_default();
        assert!(documented.contains(&kind), "log kind {kind:?} is not in docs/reference.md (LOG_KINDS)");
        consts += 1;
    }
    assert!(consts >= 15, "found only {consts} kinds in log.rs");
    // ... and every kind the example scenarios and lessons write.
    for f in files("scenarios").into_iter().chain(files("lessons")) {
        let text = std::fs::read_to_string(&f).expect("read");
        let mut sim = ecs_sim::load(&text, None).expect("loads");
        sim.run_until(ecs_sim::time::from_secs_f64(600.0));
        for e in sim.log().entries() {
            assert!(documented.contains(&e.detail_type), "{}: {:?} is not documented", f.display(), e.detail_type);
        }
    }
    let _ = Path::new("");
}
