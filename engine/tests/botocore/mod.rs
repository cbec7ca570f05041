//! A small validator of JSON against botocore's service models (the `service-2.json` files the
//! AWS CLI and boto3 validate with), vendored in `tests/fixtures/botocore/` with their Apache-2.0
//! NOTICE. It checks what botocore's own parameter validator checks that matters here: unknown
//! members, missing required members, JSON types per shape type, and enum values.
//!
//! Timestamps must be ISO 8601 strings: what the AWS CLI prints and what EventBridge puts in
//! `detail` (the JSON protocol's epoch seconds are not what the project writes).
#![allow(dead_code)]

use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// One service model: its shapes by name and its operations.
pub struct Model {
    pub name: &'static str,
    shapes: Map<String, Value>,
    operations: Map<String, Value>,
}

/// What a validation run looked at.
#[derive(Default, Debug, Clone)]
pub struct Stats {
    /// Distinct (model, shape) names a value was checked against.
    pub shapes: BTreeSet<String>,
    /// Distinct (model, shape.member) names checked.
    pub members: BTreeSet<String>,
    /// Member values checked, counting repeats.
    pub values: u64,
}

impl Stats {
    pub fn merge(&mut self, o: &Stats) {
        self.shapes.extend(o.shapes.iter().cloned());
        self.members.extend(o.members.iter().cloned());
        self.values += o.values;
    }
}

pub fn load(name: &'static str) -> Model {
    let path = format!("{}/tests/fixtures/botocore/{name}.service-2.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    Model {
        name,
        shapes: v["shapes"].as_object().cloned().unwrap_or_default(),
        operations: v["operations"].as_object().cloned().unwrap_or_default(),
    }
}

pub fn ecs() -> Model {
    load("ecs")
}
pub fn elbv2() -> Model {
    load("elbv2")
}
pub fn cloudwatch() -> Model {
    load("cloudwatch")
}
pub fn application_autoscaling() -> Model {
    load("application-autoscaling")
}

/// An ISO 8601 UTC timestamp as AWS prints them: `2026-01-05T00:00:00Z` or with `.mmm`.
pub fn is_iso8601(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| r.clone().all(|i| b.get(i).is_some_and(|c| c.is_ascii_digit()));
    if b.len() < 20 || !digits(0..4) || b[4] != b'-' || !digits(5..7) || b[7] != b'-' || !digits(8..10) {
        return false;
    }
    if b[10] != b'T' || !digits(11..13) || b[13] != b':' || !digits(14..16) || b[16] != b':' || !digits(17..19) {
        return false;
    }
    match &s[19..] {
        "Z" => true,
        rest => rest.len() == 5 && rest.starts_with('.') && rest.ends_with('Z') && digits(20..23),
    }
}

impl Model {
    /// The shape name of an operation's input or output.
    pub fn io_shape(&self, op: &str, io: &str) -> String {
        self.operations
            .get(op)
            .and_then(|o| o[io]["shape"].as_str())
            .unwrap_or_else(|| panic!("{}: no {io} for {op}", self.name))
            .to_string()
    }

    /// The shape of `member` in structure `shape` (e.g. the list shape of DescribeTasks' `tasks`).
    pub fn member_shape(&self, shape: &str, member: &str) -> String {
        self.shape(shape)["members"][member]["shape"]
            .as_str()
            .unwrap_or_else(|| panic!("{}: {shape} has no member {member}", self.name))
            .to_string()
    }

    /// The element shape of a list shape.
    pub fn list_member(&self, shape: &str) -> String {
        self.shape(shape)["member"]["shape"].as_str().unwrap_or_else(|| panic!("{shape} is not a list")).to_string()
    }

    /// The members of a structure shape.
    pub fn members(&self, shape: &str) -> Vec<String> {
        self.shape(shape)["members"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
    }

    fn shape(&self, name: &str) -> &Value {
        self.shapes.get(name).unwrap_or_else(|| panic!("{}: no shape {name}", self.name))
    }

    /// Validate `v` against shape `name`; every problem is one line in the result, named by path.
    pub fn validate(&self, name: &str, v: &Value, path: &str, stats: &mut Stats) -> Vec<String> {
        let mut errs = Vec::new();
        self.check(name, v, path, stats, &mut errs);
        errs
    }

    fn check(&self, name: &str, v: &Value, path: &str, stats: &mut Stats, errs: &mut Vec<String>) {
        let sh = self.shape(name);
        stats.shapes.insert(format!("{}:{name}", self.name));
        let ty = sh["type"].as_str().unwrap_or_default();
        let mut bad = |what: &str| errs.push(format!("{path}: {what} (shape {name}, type {ty}), got {v}"));
        match ty {
            "structure" => {
                let Some(obj) = v.as_object() else { return bad("not an object") };
                let members = sh["members"].as_object().cloned().unwrap_or_default();
                for req in sh["required"].as_array().into_iter().flatten().filter_map(|r| r.as_str()) {
                    if !obj.contains_key(req) {
                        errs.push(format!("{path}: missing required member {req} (shape {name})"));
                    }
                }
                for (k, val) in obj {
                    match members.get(k) {
                        None => errs.push(format!(
                            "{path}: unknown member {k} (shape {name} has {})",
                            members.keys().cloned().collect::<Vec<_>>().join(", ")
                        )),
                        Some(m) => {
                            stats.members.insert(format!("{}:{name}.{k}", self.name));
                            stats.values += 1;
                            let child = m["shape"].as_str().unwrap_or_default();
                            self.check(child, val, &format!("{path}.{k}"), stats, errs);
                        }
                    }
                }
            }
            "list" => {
                let Some(a) = v.as_array() else { return bad("not an array") };
                let child = sh["member"]["shape"].as_str().unwrap_or_default();
                for (i, x) in a.iter().enumerate() {
                    self.check(child, x, &format!("{path}[{i}]"), stats, errs);
                }
            }
            "map" => {
                let Some(o) = v.as_object() else { return bad("not an object (map)") };
                let (ks, vs) = (
                    sh["key"]["shape"].as_str().unwrap_or_default(),
                    sh["value"]["shape"].as_str().unwrap_or_default(),
                );
                for (k, x) in o {
                    self.check(ks, &Value::String(k.clone()), &format!("{path}.<key {k}>"), stats, errs);
                    self.check(vs, x, &format!("{path}.{k}"), stats, errs);
                }
            }
            "string" => {
                let Some(s) = v.as_str() else { return bad("not a string") };
                if let Some(e) = sh["enum"].as_array() {
                    if !e.iter().any(|x| x.as_str() == Some(s)) {
                        bad(&format!("not one of {}", Value::Array(e.clone())));
                    }
                }
                if let Some(max) = sh["max"].as_u64() {
                    if s.chars().count() as u64 > max {
                        bad(&format!("longer than {max}"));
                    }
                }
                if let Some(min) = sh["min"].as_u64() {
                    if (s.chars().count() as u64) < min {
                        bad(&format!("shorter than {min}"));
                    }
                }
            }
            "integer" | "long" => {
                let Some(n) = v.as_i64() else { return bad("not an integer") };
                if sh["min"].as_i64().is_some_and(|m| n < m) || sh["max"].as_i64().is_some_and(|m| n > m) {
                    bad("out of the shape's range");
                }
            }
            "double" | "float" => {
                if !v.is_number() {
                    bad("not a number")
                }
            }
            "boolean" => {
                if !v.is_boolean() {
                    bad("not a boolean")
                }
            }
            "timestamp" => {
                let ok = v.as_str().is_some_and(is_iso8601);
                if !ok {
                    bad("not an ISO 8601 timestamp")
                }
            }
            "blob" => {
                if !v.is_string() {
                    bad("not a string (blob)")
                }
            }
            other => errs.push(format!("{path}: shape {name} has a type the validator does not know: {other}")),
        }
    }
}

#[test]
fn validator_catches_unknown_missing_types_and_enums() {
    let m = ecs();
    let mut st = Stats::default();
    let ok = serde_json::json!({"name": "web", "image": "nginx", "essential": true, "portMappings": [{"containerPort": 80, "protocol": "tcp"}]});
    assert!(m.validate("ContainerDefinition", &ok, "c", &mut st).is_empty());
    let bad =
        serde_json::json!({"name": 1, "bogus": true, "portMappings": [{"containerPort": "80", "protocol": "sctp"}]});
    let errs = m.validate("ContainerDefinition", &bad, "c", &mut st).join("\n");
    assert!(errs.contains("c: unknown member bogus"), "{errs}");
    assert!(errs.contains("c.name: not a string"), "{errs}");
    assert!(errs.contains("c.portMappings[0].containerPort: not an integer"), "{errs}");
    assert!(errs.contains("c.portMappings[0].protocol: not one of"), "{errs}");
    let errs = m.validate("KeyValuePair", &serde_json::json!({"name": "a", "value": "b"}), "kv", &mut st);
    assert!(errs.is_empty());
    let errs = m.validate("Tag", &serde_json::json!({"key": "a", "value": "b"}), "tag", &mut st);
    assert!(errs.is_empty());
    let errs =
        m.validate("RegisterTaskDefinitionRequest", &serde_json::json!({"family": "f"}), "td", &mut st).join("\n");
    assert!(errs.contains("missing required member containerDefinitions"), "{errs}");
    assert!(is_iso8601("2026-01-05T00:00:00Z") && is_iso8601("2026-01-05T00:00:00.250Z"));
    assert!(!is_iso8601("12.5") && !is_iso8601("2026-01-05 00:00:00"));
}
