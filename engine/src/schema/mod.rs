//! The JSON Schema of scenario and lesson files, generated from the engine's own serde types with
//! `schemars` (so it reads the same `rename_all`, `default`, `deny_unknown_fields` and `tag`
//! attributes the engine parses with), and the reference page generated from it
//! (`docs/reference.md`: keys, traffic shapes, timeline actions, log line kinds, time units).
//!
//! The repository keeps the output in `schema/` and `docs/`; `engine/tests/schema.rs` fails when
//! they are stale and validates every file of `scenarios/` and `lessons/` against the schema.

pub mod reference;

pub use reference::reference_markdown;

use crate::scenario::Scenario;
use serde_json::{json, Value};

/// Where the site serves the schemas (Trunk copies `schema/` into `dist/schema/`), and the
/// relative path example files use in `$schema`.
pub const SCENARIO_SCHEMA_FILE: &str = "scenario.schema.json";
pub const LESSON_SCHEMA_FILE: &str = "lesson.schema.json";

/// The schema of a scenario document (a lesson is a scenario with a `lesson` object).
pub fn scenario_schema() -> Value {
    let mut v = serde_json::to_value(schemars::schema_for!(Scenario)).unwrap_or(Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.insert("title".into(), json!("ECS Playground scenario"));
        o.insert(
            "description".into(),
            json!("A cluster and what happens to it, in AWS API shapes (ECS, ELBv2, Application Auto Scaling, EventBridge, SQS). Reference: docs/reference.md."),
        );
    }
    v
}

/// The schema of a lesson file: a scenario whose `lesson` object is required.
pub fn lesson_schema() -> Value {
    let mut v = scenario_schema();
    if let Some(o) = v.as_object_mut() {
        o.insert("title".into(), json!("ECS Playground lesson"));
        let mut req: Vec<Value> = o.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
        req.push(json!("lesson"));
        o.insert("required".into(), Value::Array(req));
    }
    v
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default() + "\n"
}

pub fn scenario_schema_json() -> String {
    pretty(&scenario_schema())
}

pub fn lesson_schema_json() -> String {
    pretty(&lesson_schema())
}
