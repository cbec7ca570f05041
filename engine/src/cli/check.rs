//! `ecs-sim run` (the event log) and `ecs-sim check` (the lesson rules and its captions' checked
//! claims, then the cluster at every marked moment). Both play the file the same way and report the same warnings.

use super::diagnostics::{not_simulated, Warning, Watcher};
use super::{Args, Failure};
use crate::lesson::LANGUAGES;
use crate::log::{fmt_secs, kind, LogEntry};
use crate::sim::Simulation;
use crate::time::{from_secs_f64, SimTime, MINUTE};
use serde_json::Value;
use std::io::Write;

/// How long a file plays when nothing says: the lesson's `durationSeconds`; without a lesson,
/// 600 s or 60 s after the last timeline entry, whichever is later.
pub fn default_until(sim: &Simulation) -> f64 {
    crate::ab::end_seconds(sim.scenario())
}

/// Load a file as the page does. Errors name the field.
pub fn load(path: &str, text: &str, seed: Option<u64>) -> Result<Simulation, Failure> {
    crate::load(text, seed).map_err(|e| Failure::File(format!("{path}: {e}")))
}

/// Plays `sim` to `end`, one simulated minute (or less) at a time, stopping at each of `stops`
/// (sorted) to call `at_stop`; every new log entry goes to `each_line`, warnings into `warnings`.
pub fn play(
    sim: &mut Simulation,
    end: SimTime,
    stops: &[SimTime],
    warnings: &mut Vec<Warning>,
    each_line: &mut dyn FnMut(&LogEntry) -> std::io::Result<()>,
    at_stop: &mut dyn FnMut(&Simulation, usize) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut watcher = Watcher::default();
    let mut written = 0; // from the first line: the load-time lines (RegisterTaskDefinition, CreateService, ...) belong to the log too
    let mut next_stop = 0;
    let mut t = sim.now();
    loop {
        let stop_at = stops.get(next_stop).copied().filter(|s| *s <= end);
        t = (t + MINUTE).min(end);
        if let Some(s) = stop_at {
            t = t.min(s);
        }
        sim.run_until(t);
        for e in sim.log().since(written) {
            watcher.observe(e, warnings);
            each_line(e)?;
        }
        written = sim.log().len();
        watcher.tick(sim, warnings);
        while stops.get(next_stop).is_some_and(|s| *s == t) {
            at_stop(sim, next_stop)?;
            next_stop += 1;
        }
        if t >= end {
            return Ok(());
        }
    }
}

fn io(e: std::io::Error) -> Failure {
    Failure::File(e.to_string())
}

pub fn run_command(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, Failure> {
    let a = Args::parse(args, &["--until", "--seed"], &["--strict"], true)?;
    let until = match a.value("--until") {
        Some(v) => Some(
            crate::share_link::parse_seconds(v)
                .ok_or_else(|| Failure::Usage(format!("--until: \"{v}\" is not a number of seconds (0 or more)")))?,
        ),
        None => None,
    };
    let seed = match a.value("--seed") {
        Some(v) => Some(
            v.trim()
                .parse::<u64>()
                .map_err(|_| Failure::Usage(format!("--seed: \"{v}\" is not a whole number (0 or more)")))?,
        ),
        None => None,
    };
    let (path, text) = a.read_file()?;
    let mut sim = load(&path, &text, seed)?;
    let end = from_secs_f64(until.unwrap_or_else(|| default_until(&sim)));
    // Lines are streamed out as the simulation advances, so the engine need not keep them all.
    sim.set_log_retention(Some(50_000));
    let mut warnings = not_simulated(sim.scenario());
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
    // One line buffer reused for every line (LogEntry::write_json_line: the bytes of to_json_line).
    let mut line = Vec::with_capacity(4096);
    let mut write_line = |w: &mut std::io::BufWriter<&mut dyn Write>, e: &LogEntry| {
        line.clear();
        e.write_json_line(&mut line);
        line.push(b'\n');
        w.write_all(&line)
    };
    play(&mut sim, end, &[], &mut warnings, &mut |e| write_line(&mut w, e), &mut |_, _| Ok(())).map_err(io)?;
    let snap = LogEntry {
        t: sim.now(),
        detail_type: kind::SNAPSHOT,
        detail: crate::log::Detail::from_json_text(sim.snapshot_json()),
        envelope: None,
    };
    write_line(&mut w, &snap).map_err(io)?;
    w.flush().map_err(io)?;
    for x in &warnings {
        let _ = writeln!(err, "{x}");
    }
    // The process ends after this command: freeing the simulation (tens of thousands of retained
    // log entries, each a JSON tree) node by node took a tenth of a large run; the OS reclaims it.
    std::mem::forget(sim);
    Ok(if a.flag("--strict") && !warnings.is_empty() { 1 } else { 0 })
}

pub fn check_command(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, Failure> {
    let a = Args::parse(args, &["--languages"], &["--strict"], true)?;
    let languages: Option<Vec<&'static str>> = match a.value("--languages") {
        Some(v) => {
            let mut langs = Vec::new();
            for l in v.split(',').map(str::trim).filter(|l| !l.is_empty()) {
                let known = LANGUAGES.iter().find(|k| k.eq_ignore_ascii_case(l)).ok_or_else(|| {
                    Failure::Usage(format!(
                        "--languages: \"{l}\" is not a language of the playground ({})",
                        LANGUAGES.join(", ")
                    ))
                })?;
                langs.push(*known);
            }
            Some(langs)
        }
        None => None,
    };
    let (path, text) = a.read_file()?;
    let mut sim = load(&path, &text, None)?;
    let mut errors: Vec<String> = Vec::new();
    let mut warnings = not_simulated(sim.scenario());
    let lesson = sim.scenario().lesson.clone();
    if let Some(l) = &lesson {
        let langs = languages.clone().unwrap_or_else(|| l.languages_used());
        for e in l.authoring_problems(&langs) {
            errors.push(format!("{}: {}", e.field, e.message));
        }
        // The claims beside the captions, checked at their moments (the same check as the
        // library's `cargo test`, `ecs_sim::lesson::check_claims`).
        for f in crate::lesson::check_claims(sim.scenario(), None) {
            errors.push(f.to_string());
        }
        // A plain string is English; worth a word only when the lesson is written in more.
        let several = langs.len() > 1 || l.languages_used().len() > 1;
        for p in plain_string_texts(&text).into_iter().filter(|_| several) {
            warnings.push(Warning {
                t: None,
                text: format!("{p} is a plain string, taken as English; write {{\"en\": \"...\", \"ru\": \"...\"}} to give it other languages"),
            });
        }
        let written = l.languages_used();
        let missing: Vec<&str> = LANGUAGES.iter().copied().filter(|x| !written.contains(x)).collect();
        let _ = writeln!(
            out,
            "lesson \"{}\": {} pause{}, {} s, written in {}{}",
            l.title.get("en"),
            l.pauses.len(),
            if l.pauses.len() == 1 { "" } else { "s" },
            l.duration_seconds.map(|d| format!("{d}")).unwrap_or_else(|| "?".into()),
            written.join(", "),
            if missing.is_empty() { String::new() } else { format!(" ({} fall back to English)", missing.join(", ")) }
        );
        // The facts captions state (`claims`, issue 22): each must hold at its moment.
        for f in crate::lesson::check_claims(sim.scenario(), None) {
            errors.push(format!(
                "lesson.pauses[{}].claims: at {} s the claim {} does not hold: the simulation shows {}",
                f.pause, f.at, f.claim, f.shown
            ));
        }
    } else if languages.is_some() {
        errors.push("--languages: the file has no \"lesson\" object, so it has no texts to check".into());
    }
    // Run to the end of the lesson, stopping at each marked moment.
    let end = from_secs_f64(default_until(&sim));
    let mut stops: Vec<SimTime> = lesson
        .as_ref()
        .map(|l| l.pauses.iter().filter(|p| p.at.is_finite() && p.at >= 0.0).map(|p| from_secs_f64(p.at)).collect())
        .unwrap_or_default();
    stops.push(end);
    stops.sort_unstable();
    stops.dedup();
    sim.set_log_retention(Some(50_000));
    let lang = languages.as_ref().and_then(|l| l.first().copied()).unwrap_or("en");
    let mut w = std::io::BufWriter::new(out);
    play(&mut sim, end, &stops, &mut warnings, &mut |_| Ok(()), &mut |sim, _| {
        let t = sim.now();
        let caption = lesson.as_ref().and_then(|l| l.pauses.iter().find(|p| from_secs_f64(p.at) == t));
        let label = match caption {
            Some(p) => format!(": \"{}\"", one_line(p.caption.get(lang))),
            None if t == end => " (the end)".to_string(),
            None => String::new(),
        };
        writeln!(w, "\nat {} s{label}", fmt_secs(t))?;
        write!(w, "{}", super::describe::cluster(sim))
    })
    .map_err(io)?;
    w.flush().map_err(io)?;
    drop(w);
    for x in &warnings {
        let _ = writeln!(err, "{x}");
    }
    for e in &errors {
        let _ = writeln!(err, "error: {path}: {e}");
    }
    Ok(if !errors.is_empty() || (a.flag("--strict") && !warnings.is_empty()) { 1 } else { 0 })
}

/// Lesson texts written as one plain string (taken as English) rather than a language map.
fn plain_string_texts(text: &str) -> Vec<String> {
    let Ok(v) = serde_json::from_str::<Value>(text) else { return Vec::new() };
    let Some(l) = v.get("lesson") else { return Vec::new() };
    let mut out = Vec::new();
    for key in ["title", "summary", "explanation", "question"] {
        if l.get(key).is_some_and(Value::is_string) {
            out.push(format!("lesson.{key}"));
        }
    }
    if let Some(ps) = l.get("pauses").and_then(Value::as_array) {
        for (i, p) in ps.iter().enumerate() {
            if p.get("caption").is_some_and(Value::is_string) {
                out.push(format!("lesson.pauses[{i}].caption"));
            }
        }
    }
    out
}

fn one_line(s: &str) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 100 {
        format!("{}...", s.chars().take(97).collect::<String>())
    } else {
        s
    }
}
