//! EventBridge event patterns: does an event match a rule's `EventPattern`?
//!
//! Rules implemented (Amazon EventBridge User Guide, "Amazon EventBridge event patterns" and
//! "Content filtering in event patterns"):
//! - "For a pattern to match an event, the event must contain all the field names listed in the
//!   event pattern. The field names must also appear in the event with the same nesting structure."
//! - "EventBridge ignores the fields in the event that aren't included in the event pattern."
//! - "The value of each field in the pattern is an array of values; the pattern matches if any of
//!   the values in the array match the value in the event." If the event value is an array, the
//!   pattern matches if the arrays intersect.
//! - Matching is exact, character by character, case-sensitive.
//! - Content filters: `{"prefix": "..."}`, `{"suffix": "..."}`, `{"exists": true|false}` and
//!   `{"anything-but": value | [values]}`. Other filters (`numeric`, `cidr`, `wildcard`,
//!   `equals-ignore-case`) are refused by name: the playground does not evaluate them.

use crate::error::{ApiError, ApiResult};
use serde_json::Value;

fn invalid(field: &str, why: impl Into<String>) -> ApiError {
    ApiError::new("InvalidEventPatternException", field, format!("Event pattern is not valid. Reason: {}", why.into()))
}

/// Check a pattern's shape: an object whose leaves are arrays of values or supported filters.
pub fn validate(pattern: &Value, field: &str) -> ApiResult<()> {
    let Some(obj) = pattern.as_object() else { return Err(invalid(field, "the pattern must be a JSON object")) };
    if obj.is_empty() {
        return Err(invalid(field, "the pattern must not be empty"));
    }
    for (k, v) in obj {
        let at = format!("{field}.{k}");
        match v {
            Value::Object(_) => validate(v, &at)?,
            Value::Array(items) => {
                for (i, it) in items.iter().enumerate() {
                    if let Value::Object(f) = it {
                        let key = f.keys().next().map(String::as_str).unwrap_or_default();
                        if f.len() != 1 || !["prefix", "suffix", "exists", "anything-but"].contains(&key) {
                            return Err(invalid(
                                &format!("{at}[{i}]"),
                                format!("content filter \"{key}\" is not supported here (prefix, suffix, exists, anything-but are)"),
                            ));
                        }
                    } else if it.is_array() {
                        return Err(invalid(&format!("{at}[{i}]"), "arrays cannot be nested"));
                    }
                }
            }
            _ => return Err(invalid(&at, "match value must be put inside a json array")),
        }
    }
    Ok(())
}

/// Whether `event` matches `pattern` (a validated pattern).
pub fn matches(pattern: &Value, event: &Value) -> bool {
    let Some(obj) = pattern.as_object() else { return false };
    obj.iter().all(|(k, p)| {
        let ev = event.get(k);
        match p {
            Value::Object(_) => ev.is_some_and(|e| matches(p, e)),
            Value::Array(alts) => alts.iter().any(|alt| leaf_matches(alt, ev)),
            _ => false,
        }
    })
}

fn leaf_matches(alt: &Value, ev: Option<&Value>) -> bool {
    if let Some(f) = alt.as_object() {
        if let Some(e) = f.get("exists") {
            return e.as_bool() == Some(ev.is_some());
        }
    }
    let Some(ev) = ev else { return false };
    // An array in the event matches if any of its values does.
    if let Value::Array(vals) = ev {
        return vals.iter().any(|v| leaf_matches(alt, Some(v)));
    }
    match alt {
        Value::Object(f) => {
            if let Some(p) = f.get("prefix").and_then(Value::as_str) {
                ev.as_str().is_some_and(|s| s.starts_with(p))
            } else if let Some(p) = f.get("suffix").and_then(Value::as_str) {
                ev.as_str().is_some_and(|s| s.ends_with(p))
            } else if let Some(not) = f.get("anything-but") {
                match not {
                    Value::Array(xs) => !xs.contains(ev),
                    x => x != ev,
                }
            } else {
                false
            }
        }
        v => v == ev,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn s3_event(bucket: &str, key: &str) -> Value {
        json!({"source": "aws.s3", "detail-type": "Object Created",
               "detail": {"bucket": {"name": bucket}, "object": {"key": key, "size": 10}, "reason": "PutObject"}})
    }

    #[test]
    fn s3_object_created_pattern() {
        let p = json!({"source": ["aws.s3"], "detail-type": ["Object Created"],
                       "detail": {"bucket": {"name": ["uploads"]}, "object": {"key": [{"prefix": "incoming/"}]}}});
        validate(&p, "EventPattern").unwrap();
        assert!(matches(&p, &s3_event("uploads", "incoming/a.csv")));
        assert!(!matches(&p, &s3_event("uploads", "archive/a.csv")), "prefix filter");
        assert!(!matches(&p, &s3_event("other", "incoming/a.csv")), "bucket name");
        // Fields of the event not in the pattern are ignored; pattern fields must exist.
        assert!(matches(&json!({"source": ["aws.s3"]}), &s3_event("x", "y")));
        assert!(!matches(&json!({"detail": {"missing": ["x"]}}), &s3_event("x", "y")));
    }

    #[test]
    fn filters_and_arrays() {
        let e = json!({"a": "x.csv", "b": ["p", "q"]});
        assert!(matches(&json!({"a": [{"suffix": ".csv"}]}), &e));
        assert!(matches(&json!({"b": ["q"]}), &e), "event arrays match if they intersect");
        assert!(matches(&json!({"c": [{"exists": false}]}), &e));
        assert!(!matches(&json!({"a": [{"exists": false}]}), &e));
        assert!(matches(&json!({"a": [{"anything-but": ["y.csv"]}]}), &e));
        assert!(!matches(&json!({"a": ["X.CSV"]}), &e), "case-sensitive");
    }

    #[test]
    fn invalid_patterns_are_named() {
        let e = validate(&json!({"source": "aws.s3"}), "EventPattern").unwrap_err();
        assert_eq!(e.field, "EventPattern.source");
        assert!(e.message.contains("inside a json array"), "{e}");
        let e = validate(&json!({"n": [{"numeric": [">", 0]}]}), "EventPattern").unwrap_err();
        assert!(e.message.contains("numeric"), "{e}");
    }
}
