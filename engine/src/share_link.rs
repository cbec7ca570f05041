//! Share links: the playground's whole state as a URL query, and back.
//!
//! Common settings are readable query parameters:
//! `?lesson=rolling-update-50-100&t=95&speed=10&lang=ko&seed=7`. A custom scenario, and the
//! actions a user performed (registered a revision, changed a desired count ...), travel compactly
//! as `scenario=` and `actions=`: JSON, raw-deflated (`miniz_oxide`), then base64url without
//! padding. Only query-safe characters are written, so nothing needs percent-encoding.
//!
//! Decoding never fails and never panics: a broken or hand-edited part is reported as a `Problem`
//! naming the parameter, its value and the rule, and the nearest valid state is opened instead
//! (e.g. `t: 'abc' is not a number of seconds; opened at 0 s`). Pure and deterministic: the app
//! does the browser glue (`src/url_state.rs`).

use crate::scenario::{parse_scenario, TimelineEntry};
use std::fmt;

/// Decompressed `scenario=` / `actions=` payloads larger than this are refused (a crafted link
/// must not make the page allocate gigabytes).
pub const MAX_PAYLOAD_BYTES: usize = 1 << 20;
/// The longest simulated time a link may ask for: 7 days.
pub const MAX_T_SECONDS: f64 = 7.0 * 24.0 * 3600.0;

/// Where the scenario comes from.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Source {
    /// The playground's default scenario.
    #[default]
    Default,
    /// A lesson of the library, by id.
    Lesson(String),
    /// A full scenario document (JSON text).
    Custom(String),
}

/// Everything a link carries.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareState {
    pub source: Source,
    /// Seed override; `None` keeps the scenario's own seed.
    pub seed: Option<u64>,
    /// Simulated seconds to open at.
    pub t: f64,
    /// Simulated seconds per real second.
    pub speed: u32,
    /// Language tag (one of `lesson::LANGUAGES`); `None` follows the browser.
    pub lang: Option<String>,
    /// Actions the user performed, replayed at their times (the scenario's timeline shape).
    pub actions: Vec<TimelineEntry>,
    /// Playing on open.
    pub playing: bool,
    /// `embed=1`: the picture and a minimal control bar, for an iframe.
    pub embed: bool,
    /// `present=1`: presentation mode (large type, high contrast, keyboard driven).
    pub present: bool,
}

impl Default for ShareState {
    fn default() -> Self {
        ShareState {
            source: Source::Default,
            seed: None,
            t: 0.0,
            speed: 10,
            lang: None,
            actions: Vec::new(),
            playing: false,
            embed: false,
            present: false,
        }
    }
}

/// What a link may name: the app passes its lesson ids, speeds and languages.
#[derive(Debug, Clone, Copy)]
pub struct Known<'a> {
    pub lessons: &'a [&'a str],
    pub speeds: &'a [u32],
    pub languages: &'a [&'a str],
    pub default_speed: u32,
}

/// What was wrong with one part of a link, and what was opened instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The query parameter, e.g. `t`.
    pub param: String,
    /// Its value as written (shortened for display).
    pub value: String,
    pub kind: ProblemKind,
    /// What was opened instead, e.g. `opened at 0 s`.
    pub fallback: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    NotSeconds,
    TooLate,
    NotSpeed,
    UnknownLanguage,
    UnknownLesson,
    NotSeed,
    NotFlag,
    /// The payload is not base64url, not deflate, or too large: the detail says which.
    BadEncoding(String),
    /// The payload decoded but is not a valid document: the detail names the field.
    BadDocument(String),
    UnknownParam,
    Repeated,
    BothSources,
}

impl ProblemKind {
    /// The rule, in English.
    pub fn rule(&self) -> String {
        match self {
            ProblemKind::NotSeconds => "is not a number of seconds".into(),
            ProblemKind::TooLate => format!("is beyond the longest time a link may open at ({MAX_T_SECONDS} s)"),
            ProblemKind::NotSpeed => "is not one of the playground's speeds".into(),
            ProblemKind::UnknownLanguage => "is not a language of the playground (en, zh-CN, ko, ru)".into(),
            ProblemKind::UnknownLesson => "is not a lesson of the library".into(),
            ProblemKind::NotSeed => "is not a seed (a whole number from 0 to 18446744073709551615)".into(),
            ProblemKind::NotFlag => "is not 1 or 0".into(),
            ProblemKind::BadEncoding(d) => format!("is not a compressed document ({d})"),
            ProblemKind::BadDocument(d) => format!("is not a valid document: {d}"),
            ProblemKind::UnknownParam => "is not a parameter of the playground".into(),
            ProblemKind::Repeated => "is given more than once".into(),
            ProblemKind::BothSources => "cannot be used together with lesson".into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: '{}' {}; {}", self.param, self.value, self.kind.rule(), self.fallback)
    }
}

/// The decoded state and every problem found on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub state: ShareState,
    pub problems: Vec<Problem>,
}

/// Write a state as a query string (without the leading `?`). Defaults are left out, the order
/// is fixed, so equal states give equal links.
pub fn encode(s: &ShareState, default_speed: u32) -> String {
    let mut parts: Vec<String> = Vec::new();
    match &s.source {
        Source::Default => {}
        Source::Lesson(id) => parts.push(format!("lesson={}", percent_encode(id))),
        Source::Custom(text) => parts.push(format!("scenario={}", pack(text.as_bytes()))),
    }
    if let Some(seed) = s.seed {
        parts.push(format!("seed={seed}"));
    }
    if s.t > 0.0 {
        parts.push(format!("t={}", fmt_seconds(s.t)));
    }
    if s.speed != default_speed {
        parts.push(format!("speed={}", s.speed));
    }
    if let Some(l) = &s.lang {
        parts.push(format!("lang={}", percent_encode(l)));
    }
    if !s.actions.is_empty() {
        let json = serde_json::to_string(&s.actions).unwrap_or_else(|_| "[]".into());
        parts.push(format!("actions={}", pack(json.as_bytes())));
    }
    if s.playing {
        parts.push("play=1".into());
    }
    if s.embed {
        parts.push("embed=1".into());
    }
    if s.present {
        parts.push("present=1".into());
    }
    parts.join("&")
}

/// Seconds as a short decimal: whole seconds without a point, else up to 3 decimals.
fn fmt_seconds(t: f64) -> String {
    let ms = (t * 1000.0).round() / 1000.0;
    if ms.fract() == 0.0 {
        format!("{}", ms as u64)
    } else {
        let s = format!("{ms:.3}");
        s.trim_end_matches('0').to_string()
    }
}

/// Read a query string (with or without the leading `?`; a `#fragment` is ignored).
pub fn decode(query: &str, known: &Known) -> Decoded {
    let mut st = ShareState { speed: known.default_speed, ..Default::default() };
    let mut problems = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let q = query.split('#').next().unwrap_or("");
    let q = q.strip_prefix('?').unwrap_or(q);
    let mut lesson: Option<String> = None;
    let mut custom: Option<String> = None;
    for pair in q.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = match pair.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(pair), String::new()),
        };
        let mut problem = |kind: ProblemKind, fallback: &str| {
            problems.push(Problem { param: k.clone(), value: shorten(&v), kind, fallback: fallback.to_string() })
        };
        if seen.contains(&k) {
            problem(ProblemKind::Repeated, "the first one was used");
            continue;
        }
        seen.push(k.clone());
        match k.as_str() {
            "lesson" => {
                if known.lessons.contains(&v.as_str()) {
                    lesson = Some(v.clone());
                } else {
                    problem(ProblemKind::UnknownLesson, "opened the default scenario");
                }
            }
            "scenario" => match unpack(&v) {
                Ok(text) => match parse_scenario(&text) {
                    Ok(_) => custom = Some(text),
                    Err(e) => problem(ProblemKind::BadDocument(e.to_string()), "opened the default scenario"),
                },
                Err(e) => problem(ProblemKind::BadEncoding(e), "opened the default scenario"),
            },
            "actions" => match unpack(&v) {
                Ok(text) => match parse_actions(&text) {
                    Ok(a) => st.actions = a,
                    Err(e) => problem(ProblemKind::BadDocument(e), "opened without the recorded actions"),
                },
                Err(e) => problem(ProblemKind::BadEncoding(e), "opened without the recorded actions"),
            },
            "t" => match parse_seconds(&v) {
                Some(t) if t <= MAX_T_SECONDS => st.t = t,
                Some(_) => {
                    st.t = MAX_T_SECONDS;
                    problem(ProblemKind::TooLate, &format!("opened at {MAX_T_SECONDS} s"))
                }
                None => problem(ProblemKind::NotSeconds, "opened at 0 s"),
            },
            "speed" => {
                let parsed = v.trim().trim_end_matches(['x', 'X']).parse::<f64>().ok().filter(|f| f.is_finite());
                match parsed {
                    Some(f) if known.speeds.iter().any(|s| f64::from(*s) == f) => st.speed = f as u32,
                    Some(f) if !known.speeds.is_empty() => {
                        // The nearest speed the playground offers.
                        let near = known
                            .speeds
                            .iter()
                            .copied()
                            .min_by(|a, b| (f64::from(*a) - f).abs().total_cmp(&(f64::from(*b) - f).abs()))
                            .unwrap_or(known.default_speed);
                        st.speed = near;
                        problem(ProblemKind::NotSpeed, &format!("opened at {near}x"))
                    }
                    _ => problem(ProblemKind::NotSpeed, &format!("opened at {}x", known.default_speed)),
                }
            }
            "lang" => match negotiate(&[v.as_str()], known.languages) {
                // `ko-KR` opens `ko`, `zh` opens `zh-CN`: the nearest language is no problem.
                Some(l) => st.lang = Some(l.to_string()),
                None => problem(ProblemKind::UnknownLanguage, "opened in the browser's language"),
            },
            "seed" => match v.trim().parse::<u64>() {
                Ok(s) => st.seed = Some(s),
                Err(_) => problem(ProblemKind::NotSeed, "opened with the scenario's own seed"),
            },
            "play" | "embed" | "present" => {
                let flag = match v.as_str() {
                    "" | "1" | "true" | "yes" | "on" => Some(true),
                    "0" | "false" | "no" | "off" => Some(false),
                    _ => None,
                };
                let slot = match k.as_str() {
                    "play" => &mut st.playing,
                    "embed" => &mut st.embed,
                    _ => &mut st.present,
                };
                match flag {
                    Some(b) => *slot = b,
                    None => problem(ProblemKind::NotFlag, "treated as 0"),
                }
            }
            _ => problem(ProblemKind::UnknownParam, "ignored"),
        }
    }
    st.source = match (lesson, custom) {
        (Some(l), Some(_)) => {
            problems.push(Problem {
                param: "scenario".into(),
                value: "…".into(),
                kind: ProblemKind::BothSources,
                fallback: format!("opened the lesson {l}"),
            });
            Source::Lesson(l)
        }
        (Some(l), None) => Source::Lesson(l),
        (None, Some(c)) => Source::Custom(c),
        (None, None) => Source::Default,
    };
    Decoded { state: st, problems }
}

fn parse_actions(text: &str) -> Result<Vec<TimelineEntry>, String> {
    // Through a `Value`, like `parse_scenario`: timeline entries are read by the one
    // (`Value`) instantiation of their deserializer.
    let de = &mut serde_json::Deserializer::from_str(text);
    let v: serde_json::Value = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        format!("{path}: {}", e.into_inner())
    })?;
    let v: Vec<TimelineEntry> = serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        format!("{path}: {}", e.into_inner())
    })?;
    for (i, a) in v.iter().enumerate() {
        if !(a.at.is_finite() && a.at >= 0.0) {
            return Err(format!("[{i}].at: must be a non-negative number of seconds"));
        }
    }
    Ok(v)
}

/// Seconds as written by a person: `95`, `95.5`, `95s`, `1:35`, `1m35s`, `0:01:35`.
pub fn parse_seconds(v: &str) -> Option<f64> {
    let v = v.trim();
    if v.is_empty() || v.len() > 32 {
        return None;
    }
    let ok = |f: f64| if f.is_finite() && f >= 0.0 { Some(f) } else { None };
    if v.contains(':') {
        let mut total = 0.0;
        let parts: Vec<&str> = v.split(':').collect();
        if parts.len() > 3 {
            return None;
        }
        for p in parts {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                return None;
            }
            total = total * 60.0 + p.parse::<f64>().ok()?;
        }
        return ok(total);
    }
    let lower = v.to_ascii_lowercase();
    if lower.ends_with(['h', 'm', 's']) && lower.bytes().any(|b| b.is_ascii_alphabetic()) {
        let mut total = 0.0;
        let mut num = String::new();
        for c in lower.chars() {
            match c {
                '0'..='9' | '.' => num.push(c),
                'h' | 'm' | 's' if !num.is_empty() => {
                    let n: f64 = num.parse().ok()?;
                    total += n * match c {
                        'h' => 3600.0,
                        'm' => 60.0,
                        _ => 1.0,
                    };
                    num.clear();
                }
                _ => return None,
            }
        }
        return if num.is_empty() { ok(total) } else { None };
    }
    if !v.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    ok(v.parse::<f64>().ok()?)
}

/// The first of `wanted` (BCP 47 tags, best first, like `navigator.languages`) that one of
/// `supported` serves: an exact match ignoring case, else the same primary language (`zh`,
/// `zh-Hans`, `zh-SG` -> `zh-CN`; `ko-KR` -> `ko`; `ru-RU` -> `ru`; `en-GB` -> `en`).
pub fn negotiate<'a>(wanted: &[&str], supported: &[&'a str]) -> Option<&'a str> {
    for w in wanted {
        let w = w.trim();
        if w.is_empty() {
            continue;
        }
        if let Some(s) = supported.iter().find(|s| s.eq_ignore_ascii_case(w)) {
            return Some(s);
        }
        let primary = w.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        // Traditional Chinese is not Simplified Chinese: do not serve zh-CN for zh-TW/zh-Hant.
        let lw = w.to_ascii_lowercase();
        if primary == "zh" && (lw.contains("hant") || lw.ends_with("-tw") || lw.ends_with("-hk") || lw.ends_with("-mo"))
        {
            continue;
        }
        if let Some(s) = supported.iter().find(|s| s.split('-').next().unwrap_or("").eq_ignore_ascii_case(&primary)) {
            return Some(s);
        }
    }
    None
}

fn shorten(v: &str) -> String {
    if v.chars().count() > 40 {
        let head: String = v.chars().take(37).collect();
        format!("{head}…")
    } else {
        v.to_string()
    }
}

/// Deflate, then base64url without padding.
pub fn pack(bytes: &[u8]) -> String {
    base64url_encode(&miniz_oxide::deflate::compress_to_vec(bytes, 9))
}

/// The inverse of `pack`, refusing payloads that inflate beyond `MAX_PAYLOAD_BYTES`.
pub fn unpack(s: &str) -> Result<String, String> {
    let raw = base64url_decode(s.trim())?;
    let bytes =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&raw, MAX_PAYLOAD_BYTES).map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                format!("larger than {} KiB when inflated", MAX_PAYLOAD_BYTES / 1024)
            }
            _ => "the deflate data is damaged or cut short".to_string(),
        })?;
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// base64url, padding optional; `+` and `/` (standard base64) are accepted too, as is whitespace.
pub fn base64url_decode(s: &str) -> Result<Vec<u8>, String> {
    let mut vals = Vec::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        let v = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '-' | '+' => 62,
            '_' | '/' => 63,
            '=' | ' ' | '\n' | '\r' | '\t' => continue,
            _ => return Err(format!("character {} ('{c}') is not base64url", i + 1)),
        };
        vals.push(v);
    }
    if vals.len() % 4 == 1 {
        return Err("the text is cut short".into());
    }
    let mut out = Vec::with_capacity(vals.len() * 3 / 4);
    for chunk in vals.chunks(4) {
        let mut n = 0u32;
        for (i, v) in chunk.iter().enumerate() {
            n |= v << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    Ok(out)
}

/// Percent-encode everything but unreserved characters (RFC 3986).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decode `%XX` escapes and `+` (a space in form encoding); malformed escapes are kept as text.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let hex = |c: u8| (c as char).to_digit(16);
                match (hex(b[i + 1]), hex(b[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LESSONS: &[&str] = &["rolling-update-50-100", "binpack-spread-random"];
    const SPEEDS: &[u32] = &[1, 5, 10, 30, 60, 120, 600];
    const LANGS: &[&str] = &["en", "zh-CN", "ko", "ru"];
    fn known() -> Known<'static> {
        Known { lessons: LESSONS, speeds: SPEEDS, languages: LANGS, default_speed: 10 }
    }
    fn dec(q: &str) -> Decoded {
        decode(q, &known())
    }
    fn one_problem(q: &str) -> Problem {
        let d = dec(q);
        assert_eq!(d.problems.len(), 1, "{q}: {:?}", d.problems);
        d.problems[0].clone()
    }

    #[test]
    fn the_readable_example_decodes() {
        let d = dec("?lesson=rolling-update-50-100&t=95&speed=10&lang=ko&seed=7");
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert_eq!(d.state.source, Source::Lesson("rolling-update-50-100".into()));
        assert_eq!(d.state.t, 95.0);
        assert_eq!(d.state.speed, 10);
        assert_eq!(d.state.lang.as_deref(), Some("ko"));
        assert_eq!(d.state.seed, Some(7));
    }

    #[test]
    fn lesson_state_round_trips() {
        let s = ShareState {
            source: Source::Lesson("rolling-update-50-100".into()),
            seed: Some(7),
            t: 95.25,
            speed: 60,
            lang: Some("zh-CN".into()),
            actions: vec![TimelineEntry {
                at: 12.5,
                action: "UpdateService".into(),
                input: serde_json::json!({"service": "web", "desiredCount": 4}),
            }],
            playing: true,
            embed: true,
            present: true,
        };
        let q = encode(&s, 10);
        assert!(q.starts_with("lesson=rolling-update-50-100&seed=7&t=95.25&speed=60&lang=zh-CN&actions="), "{q}");
        let d = dec(&q);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert_eq!(d.state, s);
    }

    #[test]
    fn custom_scenario_round_trips_compactly() {
        let text = crate::fixtures::cluster("c", 3, 6, vec![]).to_string();
        let s = ShareState { source: Source::Custom(text.clone()), ..Default::default() };
        let q = encode(&s, 10);
        assert!(q.len() < text.len(), "compressed {} >= raw {}", q.len(), text.len());
        assert!(q.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_=&".contains(&b)), "{q}");
        let d = dec(&q);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert_eq!(d.state.source, Source::Custom(text));
    }

    /// A/B: the variant travels inside the scenario document, so the link opens both runs (and
    /// the user's actions, which drive both).
    #[test]
    fn a_scenario_with_a_variant_carries_both_runs() {
        use crate::ab::{variant_for, with_variant, AbRun, Difference};
        let base = include_str!("../../scenarios/rolling-update-50-100.json");
        let v = variant_for(&crate::parse_scenario(base).expect("parses"), Difference::DeploymentConfiguration)
            .expect("variant");
        let text = with_variant(base, &v).expect("document");
        let s = ShareState {
            source: Source::Custom(text.clone()),
            t: 150.0,
            actions: vec![TimelineEntry {
                at: 60.0,
                action: "UpdateService".into(),
                input: serde_json::json!({"service": "web", "desiredCount": 6}),
            }],
            ..Default::default()
        };
        let d = dec(&encode(&s, 10));
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert_eq!(d.state, s);
        let Source::Custom(back) = d.state.source else { panic!("custom") };
        let run = AbRun::from_scenario(&crate::parse_scenario(&back).expect("parses"), None).expect("both runs");
        assert_eq!(run.label_a.get("en"), "minimumHealthyPercent 50 / maximumPercent 100");
        assert_eq!(run.label_b.get("en"), "minimumHealthyPercent 100 / maximumPercent 150");
    }

    #[test]
    fn defaults_give_an_empty_query() {
        assert_eq!(encode(&ShareState::default(), 10), "");
        assert_eq!(dec("").state, ShareState::default());
    }

    #[test]
    fn bad_time_opens_at_zero() {
        let p = one_problem("?lesson=rolling-update-50-100&t=abc");
        assert_eq!(p.to_string(), "t: 'abc' is not a number of seconds; opened at 0 s");
        assert_eq!(dec("t=-5").state.t, 0.0);
        assert_eq!(one_problem("t=-5").kind, ProblemKind::NotSeconds);
        assert_eq!(one_problem("t=NaN").kind, ProblemKind::NotSeconds);
        assert_eq!(one_problem("t=1e400").kind, ProblemKind::NotSeconds);
        let late = dec("t=99999999");
        assert_eq!(late.state.t, MAX_T_SECONDS);
        assert_eq!(late.problems[0].kind, ProblemKind::TooLate);
    }

    #[test]
    fn people_write_times_in_several_ways() {
        for (q, t) in [("95", 95.0), ("95s", 95.0), ("1:35", 95.0), ("1m35s", 95.0), ("0:01:35", 95.0), ("2.5", 2.5)] {
            assert_eq!(parse_seconds(q), Some(t), "{q}");
        }
        for q in ["", "1:2:3:4", "m", "1x", "-1", "1e5", "::"] {
            assert_eq!(parse_seconds(q), None, "{q}");
        }
    }

    #[test]
    fn unknown_speed_opens_at_the_nearest() {
        let d = dec("speed=50");
        assert_eq!(d.state.speed, 60);
        assert_eq!(d.problems[0].to_string(), "speed: '50' is not one of the playground's speeds; opened at 60x");
        let d = dec("speed=fast");
        assert_eq!(d.state.speed, 10);
        assert_eq!(d.problems[0].fallback, "opened at 10x");
        assert!(dec("speed=600x").problems.is_empty());
    }

    #[test]
    fn languages_are_negotiated() {
        assert_eq!(dec("lang=ko-KR").state.lang.as_deref(), Some("ko"));
        assert!(dec("lang=ko-KR").problems.is_empty());
        assert_eq!(dec("lang=zh").state.lang.as_deref(), Some("zh-CN"));
        assert_eq!(dec("lang=zh-cn").state.lang.as_deref(), Some("zh-CN"));
        let p = one_problem("lang=fr");
        assert_eq!(p.kind, ProblemKind::UnknownLanguage);
        assert_eq!(dec("lang=fr").state.lang, None);
        assert_eq!(negotiate(&["fr-FR", "ru-RU", "en"], LANGS), Some("ru"));
        assert_eq!(negotiate(&["zh-TW", "en-US"], LANGS), Some("en"));
        assert_eq!(negotiate(&["zh-Hans-CN"], LANGS), Some("zh-CN"));
        assert_eq!(negotiate(&["de"], LANGS), None);
    }

    #[test]
    fn unknown_lesson_opens_the_default() {
        let d = dec("lesson=nope&t=3");
        assert_eq!(d.state.source, Source::Default);
        assert_eq!(d.state.t, 3.0);
        assert_eq!(
            d.problems[0].to_string(),
            "lesson: 'nope' is not a lesson of the library; opened the default scenario"
        );
    }

    #[test]
    fn bad_seed_keeps_the_scenarios_seed() {
        assert_eq!(one_problem("seed=-1").kind, ProblemKind::NotSeed);
        assert_eq!(one_problem("seed=18446744073709551616").kind, ProblemKind::NotSeed);
        assert_eq!(dec("seed=18446744073709551615").state.seed, Some(u64::MAX));
    }

    #[test]
    fn broken_payloads_name_what_is_wrong() {
        let p = one_problem("scenario=!!!");
        assert_eq!(p.kind, ProblemKind::BadEncoding("character 1 ('!') is not base64url".into()));
        let p = one_problem("scenario=AAAA");
        assert!(matches!(p.kind, ProblemKind::BadEncoding(_)), "{p}");
        let p = one_problem("scenario=A");
        assert_eq!(p.kind, ProblemKind::BadEncoding("the text is cut short".into()));
        // Valid compression of an invalid scenario: the field is named.
        let bad = pack(br#"{"services":[{"serviceName":"web","desiredCount":"three"}]}"#);
        let p = one_problem(&format!("scenario={bad}"));
        match &p.kind {
            ProblemKind::BadDocument(d) => assert!(d.contains("services[0].desiredCount"), "{d}"),
            k => panic!("{k:?}"),
        }
        let bad = pack(br#"[{"at":"soon","action":"StopTask"}]"#);
        let p = one_problem(&format!("actions={bad}"));
        assert!(p.to_string().contains("[0].at"), "{p}");
        let p = one_problem(&format!("actions={}", pack(br#"[{"at":-1,"action":"StopTask"}]"#)));
        assert!(p.to_string().contains("non-negative"), "{p}");
    }

    #[test]
    fn zip_bombs_are_refused() {
        let big = vec![b' '; MAX_PAYLOAD_BYTES + 10];
        let p = one_problem(&format!("scenario={}", pack(&big)));
        assert!(p.to_string().contains("larger than 1024 KiB"), "{p}");
    }

    #[test]
    fn flags_unknown_and_repeated_params() {
        let d = dec("embed=1&present=yes&play");
        assert!(d.problems.is_empty());
        assert!(d.state.embed && d.state.present && d.state.playing);
        assert_eq!(one_problem("embed=maybe").kind, ProblemKind::NotFlag);
        assert_eq!(one_problem("zoom=2").kind, ProblemKind::UnknownParam);
        let d = dec("t=5&t=9");
        assert_eq!(d.state.t, 5.0);
        assert_eq!(d.problems[0].kind, ProblemKind::Repeated);
    }

    #[test]
    fn lesson_and_scenario_together_keep_the_lesson() {
        let c = pack(crate::fixtures::cluster("c", 1, 1, vec![]).to_string().as_bytes());
        let d = dec(&format!("lesson=rolling-update-50-100&scenario={c}"));
        assert_eq!(d.state.source, Source::Lesson("rolling-update-50-100".into()));
        assert_eq!(d.problems[0].kind, ProblemKind::BothSources);
    }

    #[test]
    fn percent_escapes_and_fragments() {
        assert_eq!(dec("lang=zh%2DCN#x").state.lang.as_deref(), Some("zh-CN"));
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%E4%B8%AD"), "中");
        assert_eq!(percent_decode(&percent_encode("ü &=x")), "ü &=x");
    }

    #[test]
    fn base64url_matches_rfc4648_vectors() {
        for (raw, enc) in
            [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE")]
        {
            assert_eq!(base64url_encode(raw.as_bytes()), enc);
            assert_eq!(base64url_decode(enc).as_deref(), Ok(raw.as_bytes()));
        }
        assert_eq!(base64url_decode("Zm9vYmE=").as_deref(), Ok(&b"fooba"[..]));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn decoding_arbitrary_text_never_panics(s in ".{0,300}") {
            let d = dec(&s);
            prop_assert!(d.state.t.is_finite() && d.state.t >= 0.0 && d.state.t <= MAX_T_SECONDS);
            prop_assert!(SPEEDS.contains(&d.state.speed));
        }

        #[test]
        fn decoding_query_shaped_text_never_panics(
            pairs in proptest::collection::vec(
                (prop::sample::select(vec!["lesson", "scenario", "actions", "t", "speed", "lang", "seed", "play", "embed", "present", "x"]),
                 "[A-Za-z0-9_%=:.+-]{0,40}"),
                0..8)
        ) {
            let q = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
            let _ = dec(&q);
        }

        #[test]
        fn unpack_of_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = unpack(&base64url_encode(&bytes));
        }

        #[test]
        fn base64url_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(base64url_decode(&base64url_encode(&bytes)), Ok(bytes));
        }

        #[test]
        fn time_speed_lang_seed_round_trip(t_ms in 0u64..604_800_000, si in 0usize..7, li in 0usize..4, seed in any::<Option<u64>>()) {
            let s = ShareState {
                source: Source::Lesson(LESSONS[0].into()),
                t: t_ms as f64 / 1000.0,
                speed: SPEEDS[si],
                lang: Some(LANGS[li].into()),
                seed,
                ..Default::default()
            };
            let d = dec(&encode(&s, 10));
            prop_assert!(d.problems.is_empty(), "{:?}", d.problems);
            prop_assert_eq!(d.state, s);
        }
    }
}
