//! The lesson builder's pure part: a lesson document from a base scenario, the actions the author
//! took while recording (they join the timeline, at their simulated times) and the texts and
//! marked moments the author wrote. The page (`src/components/lesson_builder.rs`) does the rest.

use crate::error::{ApiError, ApiResult};
use crate::lesson::{Lesson, Pause, Text};
use crate::scenario::TimelineEntry;
use serde_json::{json, Value};

/// One marked moment: where playback pauses, and what it says there.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mark {
    pub at: f64,
    pub caption: Text,
}

/// What the author wrote.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Draft {
    pub title: Text,
    pub summary: Text,
    pub question: Text,
    pub marks: Vec<Mark>,
    pub duration_seconds: f64,
}

/// Drop empty texts (an empty field is a language not written).
fn clean(t: &Text) -> Text {
    Text(t.0.iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| (k.clone(), v.trim().to_string())).collect())
}

/// The base scenario without its lesson (what a builder starts from).
pub fn without_lesson(base: &str) -> ApiResult<String> {
    let mut v: Value = serde_json::from_str(base).map_err(|e| ApiError::client("", e.to_string()))?;
    if let Some(o) = v.as_object_mut() {
        o.remove("lesson");
    }
    serde_json::to_string_pretty(&v).map_err(|e| ApiError::client("", e.to_string()))
}

/// The lesson document: `base` with `actions` added to its timeline and a `lesson` object from
/// `draft` (marks sorted by time; each pause is commentary: the author's words, not checked
/// claims). It must load and follow the lesson rules in the languages it is written in.
pub fn lesson_document(
    base: &str,
    draft: &Draft,
    actions: &[TimelineEntry],
    schema_url: Option<&str>,
) -> ApiResult<String> {
    let mut doc: Value = serde_json::from_str(base).map_err(|e| ApiError::client("", e.to_string()))?;
    let Some(o) = doc.as_object_mut() else { return Err(ApiError::client("", "a scenario is a JSON object")) };
    let mut timeline: Vec<Value> = o.get("timeline").and_then(Value::as_array).cloned().unwrap_or_default();
    for a in actions {
        timeline.push(json!({"at": a.at, "action": a.action, "input": a.input}));
    }
    // Stable: entries at the same second keep their order (the scenario's first, then the author's).
    timeline.sort_by(|a, b| {
        let t = |v: &Value| v.get("at").and_then(Value::as_f64).unwrap_or(0.0);
        t(a).total_cmp(&t(b))
    });
    o.insert("timeline".into(), Value::Array(timeline));
    let mut marks = draft.marks.clone();
    marks.sort_by(|a, b| a.at.total_cmp(&b.at));
    let question = clean(&draft.question);
    let lesson = Lesson {
        title: clean(&draft.title),
        summary: clean(&draft.summary),
        question: (!question.0.is_empty()).then_some(question),
        duration_seconds: Some(draft.duration_seconds),
        pauses: marks
            .iter()
            .map(|m| Pause {
                at: (m.at * 1000.0).round() / 1000.0,
                caption: clean(&m.caption),
                needs: Vec::new(),
                claims: Vec::new(),
                commentary: true,
            })
            .collect(),
        ..Default::default()
    };
    let problems = lesson.authoring_problems(&lesson.languages_used());
    if let Some(p) = problems.into_iter().next() {
        return Err(p);
    }
    if let Some(p) = lesson.pauses.iter().position(|p| p.caption.0.is_empty()) {
        return Err(ApiError::invalid(format!("lesson.pauses[{p}].caption"), "a marked moment says something"));
    }
    o.insert("lesson".into(), serde_json::to_value(&lesson).map_err(|e| ApiError::client("lesson", e.to_string()))?);
    match schema_url {
        Some(u) => o.insert("$schema".into(), json!(u)),
        None => o.remove("$schema"),
    };
    let text = serde_json::to_string_pretty(&doc).map_err(|e| ApiError::client("", e.to_string()))?;
    crate::load(&text, None)?;
    Ok(text + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(pairs: &[(&str, &str)]) -> Text {
        Text(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn recorded_actions_join_the_timeline_and_marks_become_pauses() {
        let base = include_str!("../../scenarios/default.json");
        let draft = Draft {
            title: text(&[("en", "Scale out"), ("ru", "Масштабирование")]),
            question: text(&[("en", "Where do new tasks go?"), ("ru", "Куда идут новые задачи?"), ("ko", " ")]),
            marks: vec![
                Mark { at: 90.0, caption: text(&[("en", "Eight tasks."), ("ru", "Восемь задач.")]) },
                Mark { at: 20.0, caption: text(&[("en", "Four tasks."), ("ru", "Четыре задачи.")]) },
            ],
            duration_seconds: 120.0,
            ..Default::default()
        };
        let act = TimelineEntry {
            at: 30.0,
            action: "UpdateService".into(),
            input: json!({"service": "web", "desiredCount": 8}),
        };
        let doc = lesson_document(base, &draft, &[act], Some("https://x/schema/lesson.schema.json")).expect("builds");
        let s = crate::parse_scenario(&doc).expect("loads");
        let l = s.lesson.expect("a lesson");
        assert_eq!(l.pauses.iter().map(|p| p.at).collect::<Vec<_>>(), vec![20.0, 90.0]);
        assert_eq!(l.pauses[0].caption.get("ru"), "Четыре задачи.");
        assert_eq!(l.question.expect("q").0.len(), 2, "the blank Korean question is left out");
        assert!(s.timeline.iter().any(|e| e.action == "UpdateService" && e.at == 30.0));
        assert_eq!(s.schema.as_deref(), Some("https://x/schema/lesson.schema.json"));
    }

    #[test]
    fn a_mark_past_the_end_or_a_missing_language_is_named() {
        let base = include_str!("../../scenarios/default.json");
        let mut draft = Draft {
            title: text(&[("en", "T"), ("ko", "제목")]),
            marks: vec![Mark { at: 200.0, caption: text(&[("en", "late"), ("ko", "늦음")]) }],
            duration_seconds: 100.0,
            ..Default::default()
        };
        let e = lesson_document(base, &draft, &[], None).expect_err("late");
        assert_eq!(e.field, "lesson.pauses[0].at");
        draft.duration_seconds = 300.0;
        draft.marks[0].caption = text(&[("en", "only English")]);
        let e = lesson_document(base, &draft, &[], None).expect_err("no ko caption");
        assert_eq!(e.field, "lesson.pauses[0].caption");
        draft.marks[0].caption = text(&[("en", "c"), ("ko", "설명")]);
        draft.question = text(&[("en", "Why?"), ("ko", "")]);
        let e = lesson_document(base, &draft, &[], None).expect_err("no ko question");
        assert_eq!(e.field, "lesson.question");
    }
}
