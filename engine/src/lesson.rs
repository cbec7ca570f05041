//! Lesson metadata carried by a scenario document under `lesson`: what a teacher links to and a
//! learner reads beside the picture. The engine ignores it when it simulates; the app shows it.
//!
//! ```json
//! "lesson": {
//!   "id": "rolling-update-50-100",
//!   "title":    { "en": "...", "zh-CN": "...", "ko": "...", "ru": "..." },
//!   "summary":  { "en": "...", "zh-CN": "...", "ko": "...", "ru": "..." },
//!   "question": { "en": "...", "zh-CN": "...", "ko": "...", "ru": "..." },
//!   "pauses": [ { "at": 95, "caption": { "en": "...", "zh-CN": "...", "ko": "...", "ru": "..." } } ]
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

/// A moment at which the lesson pauses playback and shows its caption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pause {
    /// Simulated seconds from the start.
    pub at: f64,
    pub caption: Text,
}

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
    /// Engine features the lesson needs that the engine does not simulate yet (informational;
    /// the lesson test keeps its own PENDING list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
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
            None => return Err(ApiError::invalid("lesson.question", "a library lesson states the question it answers")),
        }
        let mut last = -1.0;
        for (i, p) in self.pauses.iter().enumerate() {
            if !(p.at.is_finite() && p.at >= 0.0) || p.at <= last {
                return Err(ApiError::invalid(
                    format!("lesson.pauses[{i}].at"),
                    "pauses are at increasing, non-negative seconds",
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
            r#"{"id":"x","title":{"en":"a","zh-CN":"a","ko":"a","ru":"a"},"summary":"only english","question":"q"}"#,
        )
        .expect("lesson");
        let e = l.check_complete().expect_err("incomplete");
        assert_eq!(e.field, "lesson.summary");
    }
}
