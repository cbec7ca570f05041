//! One glossary per language (`glossary` in locales/<lang>.json), taken from the AWS console and
//! documentation of that language, used by the UI texts and the lessons alike. A variant the
//! glossary replaces (Korean 태스크 for 작업, Chinese 告警 for 警报, Russian инстанс for
//! экземпляр...) must appear in neither: the failure names the file, the field and the term to use.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use serde_json::Value;
use std::path::PathBuf;

const LANGS: [&str; 4] = ["en", "zh-CN", "ko", "ru"];

/// (language, variant not to use, glossary key whose term replaces it).
const AVOID: &[(&str, &str, &str)] = &[
    ("ko", "태스크", "task"),
    ("ko", "스케일링", "scaling"),
    ("ko", "예약 작업", "scheduled_action"),
    ("ko", "용량 제공자", "capacity_provider"),
    ("ko", "알람", "alarm"),
    ("zh-CN", "告警", "alarm"),
    ("zh-CN", "期望数量", "desired_count"),
    ("zh-CN", "期望任务数", "desired_count"),
    ("zh-CN", "缩容", "scaling"),
    ("zh-CN", "扩容", "scaling"),
    ("zh-CN", "容量提供商", "capacity_provider"),
    ("ru", "тревог", "alarm"),
    ("ru", "Тревог", "alarm"),
    ("ru", "инстанс", "container_instance"),
    ("ru", "Инстанс", "container_instance"),
    ("ru", "таск", "task"),
    ("ru", "желаемое число", "desired_count"),
    ("ru", "поток логов", "log_stream"),
    ("ru", "группа логов", "log_group"),
    ("zh-CN", "日志串流", "log_stream"),
];

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn locale(lang: &str) -> Value {
    let p = root().join("locales").join(format!("{lang}.json"));
    serde_json::from_str(&std::fs::read_to_string(&p).expect("locale file")).expect("locale JSON")
}

/// Every string of a locale file with its key path, the glossary section left out.
fn strings(v: &Value, path: String, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) => out.push((path, s.clone())),
        Value::Object(m) => {
            for (k, x) in m {
                if !(path.is_empty() && k == "glossary") {
                    strings(x, if path.is_empty() { k.clone() } else { format!("{path}.{k}") }, out);
                }
            }
        }
        _ => {}
    }
}

/// Every lesson text in `lang`: (lesson id and field, text).
fn lesson_texts(lang: &str) -> Vec<(String, String)> {
    let mut out = vec![];
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("lessons"))
        .expect("lessons/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for f in files {
        let s = ecs_sim::parse_scenario(&std::fs::read_to_string(&f).expect("read")).expect("lesson parses");
        let l = s.lesson.expect("lesson");
        let mut add = |field: String, t: &ecs_sim::lesson::Text| {
            if let Some(x) = t.0.get(lang) {
                out.push((format!("{} {field}", l.id), x.clone()));
            }
        };
        add("title".into(), &l.title);
        add("summary".into(), &l.summary);
        if let Some(q) = &l.question {
            add("question".into(), q);
        }
        for (i, p) in l.pauses.iter().enumerate() {
            add(format!("pauses[{i}] (at {} s)", p.at), &p.caption);
        }
    }
    out
}

#[test]
fn every_language_has_the_same_glossary_keys() {
    let en = locale("en");
    let keys: Vec<&String> = en["glossary"].as_object().expect("en glossary").keys().collect();
    assert!(keys.len() >= 12, "{keys:?}");
    for lang in LANGS {
        let g = locale(lang);
        let g = g["glossary"].as_object().unwrap_or_else(|| panic!("{lang}: no glossary section"));
        let mut k: Vec<&String> = g.keys().collect();
        k.sort();
        let mut want = keys.clone();
        want.sort();
        assert_eq!(k, want, "{lang}: glossary keys");
        assert!(g.values().all(|v| v.as_str().is_some_and(|s| !s.trim().is_empty())), "{lang}: empty term");
    }
    for (lang, _, key) in AVOID {
        assert!(locale(lang)["glossary"][key].is_string(), "{lang}: AVOID names {key}, which the glossary lacks");
    }
}

#[test]
fn lessons_and_ui_texts_use_the_glossary_not_its_variants() {
    let mut bad = vec![];
    for (lang, variant, key) in AVOID {
        let term = locale(lang)["glossary"][key].as_str().unwrap_or_default().to_string();
        let mut ui = vec![];
        strings(&locale(lang), String::new(), &mut ui);
        for (where_, text) in ui
            .into_iter()
            .map(|(k, t)| (format!("locales/{lang}.json {k}"), t))
            .chain(lesson_texts(lang).into_iter().map(|(k, t)| (format!("lessons/{k} [{lang}]"), t)))
        {
            if text.contains(variant) {
                bad.push(format!("{where_}: \"{variant}\" -> glossary.{key} \"{term}\""));
            }
        }
    }
    assert!(bad.is_empty(), "{} texts use a variant the glossary replaces:\n{}", bad.len(), bad.join("\n"));
}

/// The glossary is what the texts say: the core terms (task, task definition, service,
/// cluster, desired count) appear both in the UI texts and in the lessons of every language.
#[test]
fn the_core_terms_appear_in_the_ui_and_in_the_lessons() {
    for lang in LANGS {
        let g = locale(lang);
        let mut ui = vec![];
        strings(&g, String::new(), &mut ui);
        let ui: String = ui.into_iter().map(|(_, t)| t.to_lowercase()).collect::<Vec<_>>().join("\n");
        let lessons: String =
            lesson_texts(lang).into_iter().map(|(_, t)| t.to_lowercase()).collect::<Vec<_>>().join("\n");
        for key in ["task", "task_definition", "service", "cluster", "desired_count"] {
            let term = g["glossary"][key].as_str().unwrap_or_default().to_lowercase();
            // Russian inflects: every word's stem (задач-, определени- задач-, желаем- количеств-).
            let stems: Vec<String> = term
                .split(' ')
                .map(|w| {
                    let n = w.chars().count();
                    if lang == "ru" {
                        w.chars().take(n.saturating_sub(2).max(4).min(n)).collect()
                    } else {
                        w.to_string()
                    }
                })
                .collect();
            let found = |hay: &str| {
                if lang == "ru" {
                    stems.iter().all(|s| hay.contains(s.as_str()))
                } else {
                    hay.contains(&term)
                }
            };
            assert!(found(&ui), "{lang}: the UI texts never say glossary.{key} \"{term}\"");
            assert!(found(&lessons), "{lang}: the lessons never say glossary.{key} \"{term}\"");
        }
    }
}
