//! Lesson metadata carried by a scenario document under `lesson`: what a teacher links to and a
//! learner reads beside the picture. The engine ignores it when it simulates; the app shows it.
//!
//! ```json
//! "lesson": {
//!   "id": "rolling-update-50-100",
//!   "title":    { "en": "...", "zh-CN": "...", "ko": "...", "ru": "..." },
//!   "summary":  { "en": "...", "zh-CN": "...", "ko": "...", "ru": "..." },
//!   "question": { "en": "...", "zh-CN": "...", "ko": "...", "ru": "..." },
//!   "pauses": [ { "at": 95, "caption": { "en": "...", "zh-CN": "...", "ko": "...", "ru": "..." },
//!                 "claims": [ { "runningTasks": 4, "service": "web", "taskDefinition": "web:1" } ] },
//!               { "at": 300, "caption": { ... }, "commentary": true } ]
//! }
//! ```
//!
//! Every text is either one string (taken as English) or a map from language tag to text, so
//! older scenarios with `"title": "..."` and `"explanation": "..."` still load.

use crate::error::{ApiError, ApiResult};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// The languages the playground is written in, in the order the language switcher lists them.
pub const LANGUAGES: [&str; 4] = ["en", "zh-CN", "ko", "ru"];

/// A text in several languages. English (`en`) is the fallback for any language not written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text(pub BTreeMap<String, String>);

impl Text {
    pub fn en(s: impl Into<String>) -> Self {
        let mut m = BTreeMap::new();
        m.insert("en".to_string(), s.into());
        Text(m)
    }
    /// The text in `lang`, else in English, else any text there is.
    pub fn get(&self, lang: &str) -> &str {
        self.0
            .get(lang)
            .or_else(|| self.0.get("en"))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }
    /// The languages of `LANGUAGES` this text is missing (empty texts count as missing).
    pub fn missing(&self) -> Vec<&'static str> {
        LANGUAGES.iter().copied().filter(|l| self.0.get(*l).map(|s| s.trim().is_empty()).unwrap_or(true)).collect()
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, or an object of language tag to string like {\"en\": \"...\", \"ko\": \"...\"}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::en(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut m = BTreeMap::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    if !LANGUAGES.contains(&k.as_str()) {
                        return Err(de::Error::custom(format!(
                            "unknown language \"{k}\"; expected one of {}",
                            LANGUAGES.join(", ")
                        )));
                    }
                    m.insert(k, v);
                }
                Ok(Text(m))
            }
        }
        d.deserialize_any(V)
    }
}

/// Engine features a lesson may teach before the engine simulates them (`lesson.needs`). Until
/// one lands the lesson plays what the engine has, and the app labels every caption that
/// depends on the missing feature, so nothing on screen pretends to be simulated.
pub const FEATURES: [&str; 6] =
    ["capacityProviders", "fargateSpot", "eventBridgeRules", "s3Events", "sqsQueues", "customMetrics"];

/// A moment at which the lesson pauses playback and shows its caption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pause {
    /// Simulated seconds from the start.
    pub at: f64,
    pub caption: Text,
    /// Features (of `FEATURES`) this caption describes that the engine does not simulate yet:
    /// the app shows the caption as "what this moment will show", not as what is on screen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    /// What the caption states as fact, checked against the simulation at this moment
    /// (`check_claims`; `engine/tests/lessons.rs` runs them for every library lesson).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
    /// The caption states no fact about the simulation (it points at something, asks a
    /// question, or explains a rule): a library pause is either commentary or has claims.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub commentary: bool,
}

pub use crate::claims::{check_claims, Claim, ClaimFailure, Count, Range};

/// The typed `lesson` object of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Lesson {
    /// The id share links use (`?lesson=<id>`): lowercase letters, digits and hyphens.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    pub title: Text,
    /// The short explanation shown under the title (`explanation` is accepted as an older name).
    #[serde(default, alias = "explanation")]
    pub summary: Text,
    /// The question the lesson answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pauses: Vec<Pause>,
    /// How many simulated seconds the lesson plays; every pause falls inside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<f64>,
    /// Engine features (of `FEATURES`) the lesson teaches that the engine does not simulate yet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    /// Timeline entries (scenario `timeline` shape) that need one of `needs` (for example the
    /// InterruptSpotCapacity fault). The engine does not play them; they move into `timeline`
    /// when the feature lands. Kept here so the lesson states exactly what it will show.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_timeline: Vec<serde_json::Value>,
}

impl Lesson {
    /// The rules a library lesson (`lessons/*.json`) follows: an id, every text in every language,
    /// pauses in time order at non-negative times. Errors name the field, like the API's.
    pub fn check_complete(&self) -> ApiResult<()> {
        if self.id.is_empty()
            || self.id.len() > 64
            || !self.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(ApiError::invalid("lesson.id", "must be 1-64 lowercase letters, digits and hyphens"));
        }
        let mut texts: Vec<(String, &Text)> = vec![("lesson.title".into(), &self.title)];
        texts.push(("lesson.summary".into(), &self.summary));
        match &self.question {
            Some(q) => texts.push(("lesson.question".into(), q)),
            None => {
                return Err(ApiError::invalid("lesson.question", "a library lesson states the question it answers"))
            }
        }
        let duration = match self.duration_seconds {
            Some(d) if d.is_finite() && d > 0.0 && d <= 7.0 * 24.0 * 3600.0 => d,
            _ => {
                return Err(ApiError::invalid(
                    "lesson.durationSeconds",
                    "a library lesson plays a positive number of seconds, at most 7 days",
                ))
            }
        };
        for (i, n) in self.needs.iter().enumerate() {
            if !FEATURES.contains(&n.as_str()) {
                return Err(ApiError::invalid(
                    format!("lesson.needs[{i}]"),
                    format!("unknown feature \"{n}\"; expected one of {}", FEATURES.join(", ")),
                ));
            }
        }
        if !self.pending_timeline.is_empty() && self.needs.is_empty() {
            return Err(ApiError::invalid(
                "lesson.pendingTimeline",
                "entries wait for a feature: name it in lesson.needs, or move them to timeline",
            ));
        }
        let mut last = -1.0;
        for (i, p) in self.pauses.iter().enumerate() {
            if !(p.at.is_finite() && p.at >= 0.0) || p.at <= last {
                return Err(ApiError::invalid(
                    format!("lesson.pauses[{i}].at"),
                    "pauses are at increasing, non-negative seconds",
                ));
            }
            if p.at > duration {
                return Err(ApiError::invalid(
                    format!("lesson.pauses[{i}].at"),
                    format!("must fall inside the lesson (durationSeconds {duration})"),
                ));
            }
            if let Some(n) = p.needs.iter().find(|n| !self.needs.contains(n)) {
                return Err(ApiError::invalid(
                    format!("lesson.pauses[{i}].needs"),
                    format!("\"{n}\" is not in lesson.needs"),
                ));
            }
            if let Some(e) = p.claims.iter().enumerate().find_map(|(j, c)| c.check_shape().err().map(|e| (j, e))) {
                return Err(ApiError::invalid(format!("lesson.pauses[{i}].claims[{}]", e.0), e.1));
            }
            if p.commentary && !p.claims.is_empty() {
                return Err(ApiError::invalid(
                    format!("lesson.pauses[{i}].commentary"),
                    "a pause with claims states facts: drop commentary, or drop the claims",
                ));
            }
            if !p.commentary && p.claims.is_empty() {
                return Err(ApiError::invalid(
                    format!("lesson.pauses[{i}].claims"),
                    "every caption's facts are checked: add claims, or mark the pause \"commentary\": true",
                ));
            }
            last = p.at;
            texts.push((format!("lesson.pauses[{i}].caption"), &p.caption));
        }
        for (field, t) in texts {
            let missing = t.missing();
            if !missing.is_empty() {
                return Err(ApiError::invalid(field, format!("missing language(s): {}", missing.join(", "))));
            }
        }
        Ok(())
    }
}

impl Lesson {
    /// The languages any text of the lesson is written in (in `LANGUAGES` order).
    pub fn languages_used(&self) -> Vec<&'static str> {
        let texts = self.texts();
        LANGUAGES
            .iter()
            .copied()
            .filter(|l| texts.iter().any(|(_, t)| t.0.get(*l).is_some_and(|s| !s.trim().is_empty())))
            .collect()
    }

    /// Every text of the lesson with its field path.
    pub fn texts(&self) -> Vec<(String, &Text)> {
        let mut v: Vec<(String, &Text)> = vec![("lesson.title".into(), &self.title)];
        if !self.summary.0.is_empty() {
            v.push(("lesson.summary".into(), &self.summary));
        }
        if let Some(q) = &self.question {
            v.push(("lesson.question".into(), q));
        }
        for (i, p) in self.pauses.iter().enumerate() {
            v.push((format!("lesson.pauses[{i}].caption"), &p.caption));
        }
        v
    }

    /// The rules any lesson follows, a library one or one made by a course author and shared as
    /// a link: a title, a known id shape, a `durationSeconds` every pause falls inside (a lesson
    /// without pauses, only describing its scenario, may leave it out), pauses at
    /// increasing times, and every text written in each of `languages` (a language the lesson
    /// leaves out falls back to English in the page). Every problem is returned, field-named.
    pub fn authoring_problems(&self, languages: &[&str]) -> Vec<ApiError> {
        let mut out = Vec::new();
        if !self.id.is_empty()
            && (self.id.len() > 64
                || !self.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
        {
            out.push(ApiError::invalid("lesson.id", "must be 1-64 lowercase letters, digits and hyphens"));
        }
        if self.title.0.values().all(|t| t.trim().is_empty()) {
            out.push(ApiError::invalid("lesson.title", "a lesson has a title"));
        }
        let duration = match self.duration_seconds {
            Some(d) if d.is_finite() && d > 0.0 && d <= 7.0 * 24.0 * 3600.0 => Some(d),
            Some(_) => {
                out.push(ApiError::invalid(
                    "lesson.durationSeconds",
                    "must be a positive number of seconds, at most 7 days",
                ));
                None
            }
            None if !self.pauses.is_empty() => {
                out.push(ApiError::invalid(
                    "lesson.durationSeconds",
                    "a lesson with pauses says how many simulated seconds it plays (every pause falls inside them)",
                ));
                None
            }
            None => None,
        };
        let mut last = -1.0;
        for (i, p) in self.pauses.iter().enumerate() {
            if !(p.at.is_finite() && p.at >= 0.0) || p.at <= last {
                out.push(ApiError::invalid(
                    format!("lesson.pauses[{i}].at"),
                    "pauses are at increasing, non-negative seconds",
                ));
            } else if let Some(d) = duration.filter(|d| p.at > *d) {
                out.push(ApiError::invalid(
                    format!("lesson.pauses[{i}].at"),
                    format!("{} s is after the lesson ends (durationSeconds {d})", p.at),
                ));
            }
            last = p.at;
        }
        for (i, n) in self.needs.iter().enumerate() {
            if !FEATURES.contains(&n.as_str()) {
                out.push(ApiError::invalid(
                    format!("lesson.needs[{i}]"),
                    format!("unknown feature \"{n}\"; expected one of {}", FEATURES.join(", ")),
                ));
            }
        }
        for (field, t) in self.texts() {
            let missing: Vec<&str> = languages
                .iter()
                .copied()
                .filter(|l| t.0.get(*l).map(|s| s.trim().is_empty()).unwrap_or(true))
                .collect();
            if !missing.is_empty() {
                out.push(ApiError::invalid(field, format!("not written in {}", missing.join(", "))));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_strings_and_the_old_explanation_key_load() {
        let l: Lesson = serde_json::from_str(r#"{"title":"T","explanation":"E"}"#).expect("old shape");
        assert_eq!(l.title.get("ko"), "T");
        assert_eq!(l.summary.get("en"), "E");
    }

    #[test]
    fn localized_text_falls_back_to_english() {
        let t: Text = serde_json::from_str(r#"{"en":"Play","ko":"재생"}"#).expect("map");
        assert_eq!(t.get("ko"), "재생");
        assert_eq!(t.get("ru"), "Play");
        assert_eq!(t.missing(), vec!["zh-CN", "ru"]);
    }

    #[test]
    fn unknown_language_is_named() {
        let e = serde_json::from_str::<Text>(r#"{"fr":"x"}"#).expect_err("fr");
        assert!(e.to_string().contains("\"fr\""), "{e}");
    }

    #[test]
    fn completeness_names_the_field() {
        let l: Lesson = serde_json::from_str(
            r#"{"id":"x","title":{"en":"a","zh-CN":"a","ko":"a","ru":"a"},"summary":"only english","question":"q","durationSeconds":60}"#,
        )
        .expect("lesson");
        let e = l.check_complete().expect_err("incomplete");
        assert_eq!(e.field, "lesson.summary");
    }

    fn all(s: &str) -> String {
        format!(r#"{{"en":"{s}","zh-CN":"{s}","ko":"{s}","ru":"{s}"}}"#)
    }

    fn lesson_with(extra: &str) -> Lesson {
        let t = all("t");
        serde_json::from_str(&format!(
            r#"{{"id":"x","title":{t},"summary":{t},"question":{t},"durationSeconds":100{extra}}}"#
        ))
        .expect("lesson")
    }

    #[test]
    fn a_pause_after_the_end_is_named() {
        let c = all("c");
        let e = lesson_with(&format!(r#","pauses":[{{"at":10,"caption":{c},"commentary":true}},{{"at":101,"caption":{c},"commentary":true}}]"#))
            .check_complete()
            .expect_err("late pause");
        assert_eq!(e.field, "lesson.pauses[1].at");
        assert!(lesson_with(&format!(r#","pauses":[{{"at":100,"caption":{c},"commentary":true}}]"#)).check_complete().is_ok());
    }

    #[test]
    fn needs_are_known_features_and_cover_pending_entries() {
        let e = lesson_with(r#","needs":["teleport"]"#).check_complete().expect_err("unknown");
        assert_eq!(e.field, "lesson.needs[0]");
        let e = lesson_with(r#","pendingTimeline":[{"at":1,"action":"X"}]"#).check_complete().expect_err("no needs");
        assert_eq!(e.field, "lesson.pendingTimeline");
        let c = all("c");
        let e = lesson_with(&format!(r#","pauses":[{{"at":1,"caption":{c},"needs":["fargateSpot"],"commentary":true}}]"#))
            .check_complete()
            .expect_err("pause need not in lesson needs");
        assert_eq!(e.field, "lesson.pauses[0].needs");
    }

    #[test]
    fn a_pause_is_commentary_or_has_well_formed_claims() {
        let c = all("c");
        let e = lesson_with(&format!(r#","pauses":[{{"at":1,"caption":{c}}}]"#)).check_complete().expect_err("bare");
        assert_eq!(e.field, "lesson.pauses[0].claims");
        let e = lesson_with(&format!(
            r#","pauses":[{{"at":1,"caption":{c},"commentary":true,"claims":[{{"desiredCount":1,"service":"a"}}]}}]"#
        ))
        .check_complete()
        .expect_err("both");
        assert_eq!(e.field, "lesson.pauses[0].commentary");
        let e = lesson_with(&format!(r#","pauses":[{{"at":1,"caption":{c},"claims":[{{"service":"a"}}]}}]"#))
            .check_complete()
            .expect_err("reads nothing");
        assert_eq!(e.field, "lesson.pauses[0].claims[0]");
        assert!(lesson_with(&format!(r#","pauses":[{{"at":1,"caption":{c},"claims":[{{"event":"x"}}]}}]"#))
            .check_complete()
            .is_ok());
    }

    #[test]
    fn missing_duration_is_named() {
        let t = all("t");
        let l: Lesson =
            serde_json::from_str(&format!(r#"{{"id":"x","title":{t},"summary":{t},"question":{t}}}"#)).expect("l");
        assert_eq!(l.check_complete().expect_err("no duration").field, "lesson.durationSeconds");
    }

    #[test]
    fn authoring_rules_name_each_problem() {
        let l: Lesson = serde_json::from_str(
            r#"{"title":{"en":"T","ru":"Т"},"durationSeconds":60,
                "pauses":[{"at":10,"caption":{"en":"a","ru":"а"}},{"at":90,"caption":"only english"}]}"#,
        )
        .expect("lesson");
        assert_eq!(l.languages_used(), vec!["en", "ru"]);
        let fields: Vec<String> = l.authoring_problems(&["en", "ru"]).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["lesson.pauses[1].at", "lesson.pauses[1].caption"]);
        assert!(l.authoring_problems(&["en"]).iter().all(|e| e.field != "lesson.pauses[1].caption"));
        let l: Lesson = serde_json::from_str(r#"{"title":"T","pauses":[{"at":1,"caption":"c"}]}"#).expect("lesson");
        assert_eq!(l.authoring_problems(&["en"])[0].field, "lesson.durationSeconds");
        let l: Lesson = serde_json::from_str(r#"{"title":"T","explanation":"E"}"#).expect("a description");
        assert!(l.authoring_problems(&["en"]).is_empty());
    }
}
