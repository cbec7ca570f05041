//! Errors as values, shaped like the AWS API's: an exception name, the field at fault, and the rule.
//!
//! Nothing a user can type reaches an `unwrap`: every parser and every command returns `ApiError`.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The AWS exception name, e.g. `ClientException`, `InvalidParameterException`.
    pub exception: &'static str,
    /// Path of the offending field, e.g. `taskDefinitions[0].containerDefinitions[1].memory`.
    pub field: String,
    /// The rule that was broken, in the API's words where it has them.
    pub message: String,
}

impl ApiError {
    pub fn new(exception: &'static str, field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError { exception, field: field.into(), message: message.into() }
    }
    pub fn client(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new("ClientException", field, message)
    }
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new("InvalidParameterException", field, message)
    }
    /// Prefix the field path, so errors found deep in a document name their full location.
    pub fn at(mut self, prefix: &str) -> Self {
        let repeated = self.field == prefix
            || self.field.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['));
        self.field = if self.field.is_empty() {
            prefix.to_string()
        } else if repeated {
            self.field
        } else if self.field.starts_with('[') {
            format!("{prefix}{}", self.field)
        } else {
            format!("{prefix}.{}", self.field)
        };
        self
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.exception, self.message)
        } else {
            write!(f, "{}: {}: {}", self.exception, self.field, self.message)
        }
    }
}

impl std::error::Error for ApiError {}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// A serde error found at `path` (as `serde_path_to_error` writes it) under `prefix`, in plain
    /// words: see `plain_words` and `clean_path`.
    pub fn from_serde(exception: &'static str, prefix: &str, path: &str, message: impl fmt::Display) -> Self {
        let path = clean_path(path);
        let field = match (prefix.is_empty(), path.is_empty()) {
            (_, true) => prefix.to_string(),
            (true, false) => path,
            (false, false) if path.starts_with('[') => format!("{prefix}{path}"),
            (false, false) => format!("{prefix}.{path}"),
        };
        ApiError::new(exception, field, plain_words(&message.to_string()))
    }
}

/// A typed value from a JSON value (a scenario section, a request body), errors in `from_serde`'s
/// words. Through the value's text: every engine type is then deserialized by the one text
/// deserializer `parse_scenario` uses, instead of a second, value-driven copy of each (issue 19:
/// the copies were a large part of the web app's wasm). A value has no lines, so the message
/// leaves out the text's "at line 1 column N".
pub(crate) fn deserialize_value<T: serde::de::DeserializeOwned>(
    exception: &'static str,
    prefix: &str,
    v: &serde_json::Value,
) -> ApiResult<T> {
    let text = v.to_string();
    let de = &mut serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize::<_, T>(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.to_string();
        let at = format!(" at line {} column {}", inner.line(), inner.column());
        ApiError::from_serde(exception, prefix, &path, message.strip_suffix(&at).unwrap_or(&message))
    })
}

/// A JSON path without the parts a parser could not name: `.` (the document itself) and the
/// `?` that marks "after the last item" (a trailing comma): `containerInstances[0].?` ->
/// `containerInstances[0]`.
pub fn clean_path(path: &str) -> String {
    let mut p = path.trim();
    loop {
        let before = p;
        p = p.strip_suffix(".?").or_else(|| p.strip_suffix('?')).unwrap_or(p);
        if p == before {
            break;
        }
    }
    if p == "." {
        String::new()
    } else {
        p.to_string()
    }
}

/// A serde/serde_json message in the words a scenario author uses: "a whole number" for `u32`,
/// "an object" for a struct, a sentence for a trailing comma, and "did you mean" for a misspelt
/// key or value.
pub fn plain_words(msg: &str) -> String {
    if let Some(rest) = msg.strip_prefix("trailing comma") {
        return format!("a comma after the last item{rest}: JSON allows no trailing comma, remove it");
    }
    for (prefix, noun) in [("unknown field `", "key"), ("unknown variant `", "value")] {
        if let Some(rest) = msg.strip_prefix(prefix) {
            if let Some((word, tail)) = rest.split_once('`') {
                let expected: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
                let mut out = format!("unknown {noun} \"{word}\"");
                if let Some(best) = did_you_mean(word, &expected) {
                    out.push_str(&format!("; did you mean \"{best}\"?"));
                }
                if expected.is_empty() {
                    out.push_str(" (this object takes no keys)");
                } else {
                    out.push_str(&format!(" (expected one of: {})", expected.join(", ")));
                }
                return out;
            }
        }
    }
    let mut m = msg.to_string();
    for (from, to) in [
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected u16", "expected a whole number from 0 to 65535"),
        ("expected u32", "expected a whole number (0 or more)"),
        ("expected u64", "expected a whole number (0 or more)"),
        ("expected usize", "expected a whole number (0 or more)"),
        ("expected i32", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        ("expected a sequence", "expected a list [...]"),
        ("expected a map", "expected an object {...}"),
        ("invalid type: map", "invalid type: an object"),
        ("invalid type: sequence", "invalid type: a list"),
        ("invalid type: floating point", "invalid type: the number"),
        ("invalid type: integer", "invalid type: the number"),
        ("invalid value: integer", "invalid value: the number"),
        ("invalid value: floating point", "invalid value: the number"),
        ("missing field", "missing key"),
    ] {
        m = m.replace(from, to);
    }
    // `expected struct CreateService`, `expected internally tagged enum RatePattern`.
    if let Some(i) = m.find("expected struct ") {
        m = format!("{}expected an object {{...}}", &m[..i]);
    } else if let Some(i) = m.find("expected internally tagged enum ") {
        m = format!("{}expected an object with a \"type\" key", &m[..i]);
    }
    m
}

/// The candidate nearest to `word` (case-insensitive edit distance), if it is near enough to be
/// a misspelling of it.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let w = word.to_ascii_lowercase();
    let (best, d) =
        candidates.iter().map(|c| (*c, edit_distance(&w, &c.to_ascii_lowercase()))).min_by_key(|(_, d)| *d)?;
    let limit = (word.chars().count() / 3).clamp(1, 3);
    (d <= limit).then_some(best)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_types_are_named_in_plain_words() {
        assert_eq!(
            plain_words("invalid type: string \"three\", expected u32"),
            "invalid type: string \"three\", expected a whole number (0 or more)"
        );
        assert_eq!(plain_words("invalid type: map, expected f64"), "invalid type: an object, expected a number");
        assert_eq!(
            plain_words("invalid type: string \"x\", expected struct CreateService"),
            "invalid type: string \"x\", expected an object {...}"
        );
    }

    #[test]
    fn misspelt_keys_get_a_suggestion() {
        let m = plain_words("unknown field `desiredCont`, expected one of `serviceName`, `desiredCount`");
        assert!(m.starts_with("unknown key \"desiredCont\"; did you mean \"desiredCount\"?"), "{m}");
        let m = plain_words("unknown field `zzz`, expected one of `serviceName`, `desiredCount`");
        assert!(!m.contains("did you mean"), "{m}");
        let m = plain_words("unknown variant `fargate`, expected one of `EC2`, `FARGATE`, `EXTERNAL`");
        assert!(m.contains("did you mean \"FARGATE\""), "{m}");
    }

    #[test]
    fn trailing_commas_and_paths() {
        assert_eq!(clean_path("containerInstances[0].?"), "containerInstances[0]");
        assert_eq!(clean_path("."), "");
        let e =
            ApiError::from_serde("ClientException", "", "containerInstances[0].?", "trailing comma at line 3 column 5");
        assert_eq!(e.field, "containerInstances[0]");
        assert!(e.message.contains("trailing comma"), "{e}");
    }

    #[test]
    fn a_prefix_already_in_the_path_is_not_repeated() {
        let e = ApiError::invalid("scaling.ScalableTargets[0]", "x").at("scaling");
        assert_eq!(e.field, "scaling.ScalableTargets[0]");
        let e = ApiError::invalid("ScalableTargets[0]", "x").at("scaling");
        assert_eq!(e.field, "scaling.ScalableTargets[0]");
    }
}
