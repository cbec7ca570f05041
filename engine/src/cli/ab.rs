//! `ecs-sim ab`: A/B runs. One scenario with a `variant` section (run B = the scenario with the
//! variant's changes), or two whole scenarios (A.json B.json, both with A's seed); plays both to
//! the same simulated time and prints the figures strip and the summary paragraph.

use super::{Args, Failure};
use crate::ab::AbRun;
use crate::lesson::{Text, LANGUAGES};
use std::io::Write;

pub fn ab_command(args: &[String], out: &mut dyn Write) -> Result<i32, Failure> {
    // Up to two files: take the positionals out, parse the rest as options.
    let mut files = Vec::new();
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(x) = it.next() {
        if x == "--until" || x == "--seed" || x == "--lang" {
            rest.push(x.clone());
            if let Some(v) = it.next() {
                rest.push(v.clone());
            }
        } else if !x.starts_with('-') {
            files.push(x.clone());
        } else {
            rest.push(x.clone());
        }
    }
    let a = Args::parse(&rest, &["--until", "--seed", "--lang"], &["--json"], false)?;
    if files.is_empty() || files.len() > 2 {
        return Err(Failure::Usage(
            "give one scenario with a \"variant\" section, or two scenario files (A.json B.json)".into(),
        ));
    }
    let seed = match a.value("--seed") {
        Some(v) => {
            Some(v.parse::<u64>().map_err(|_| Failure::Usage(format!("--seed: \"{v}\" is not a whole number")))?)
        }
        None => None,
    };
    let lang = a.value("--lang").unwrap_or("en");
    if !LANGUAGES.contains(&lang) {
        return Err(Failure::Usage(format!("--lang: \"{lang}\" is not one of {}", LANGUAGES.join(", "))));
    }
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| Failure::File(format!("{p}: {e}")));
    let parse = |p: &str, t: &str| crate::parse_scenario(t).map_err(|e| Failure::File(format!("{p}: {e}")));
    let mut run = if files.len() == 1 {
        let s = parse(&files[0], &read(&files[0])?)?;
        AbRun::from_scenario(&s, seed).map_err(|e| Failure::File(format!("{}: {e}", files[0])))?
    } else {
        let sa = parse(&files[0], &read(&files[0])?)?;
        let sb = parse(&files[1], &read(&files[1])?)?;
        AbRun::from_pair(sa, sb, seed, Text::en(files[0].clone()), Text::en(files[1].clone()))
            .map_err(|e| Failure::File(format!("{} / {}: {e}", files[0], files[1])))?
    };
    let until = match a.value("--until") {
        Some(v) => crate::share_link::parse_seconds(v)
            .ok_or_else(|| Failure::Usage(format!("--until: \"{v}\" is not a number of seconds (0 or more)")))?,
        None => super::check::default_until(&run.a).max(super::check::default_until(&run.b)),
    };
    run.run_until((until * 1000.0).round() as crate::time::SimTime);
    let f = run.figures();
    let io = |e: std::io::Error| Failure::File(e.to_string());
    if a.flag("--json") {
        let v = serde_json::json!({
            "labels": {"a": run.label_a.get(lang), "b": run.label_b.get(lang)},
            "figures": f,
            "summary": run.summary(lang),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v).unwrap_or_default()).map_err(io)?;
        return Ok(0);
    }
    let row = |name: &str, x: String, y: String| format!("{name:<28} {x:<32} {y}");
    let mut lines = vec![
        row("", format!("A: {}", run.label_a.get(lang)), format!("B: {}", run.label_b.get(lang))),
        row("at (s)", f.a.at_seconds.to_string(), f.b.at_seconds.to_string()),
        row(
            "instances in use / active",
            format!("{} / {}", f.a.instances_in_use, f.a.instances_active),
            format!("{} / {}", f.b.instances_in_use, f.b.instances_active),
        ),
        row("RUNNING tasks", f.a.running_tasks.to_string(), f.b.running_tasks.to_string()),
    ];
    for (za, zb) in f.a.tasks_per_az.iter().zip(&f.b.tasks_per_az) {
        lines.push(row(
            &format!("  in {}", za.availability_zone),
            za.running_tasks.to_string(),
            zb.running_tasks.to_string(),
        ));
    }
    let dep = |d: &Option<crate::ab::DeploymentFigures>| match d {
        Some(d) => match d.finished_after_seconds {
            Some(s) => format!("{s} s{}", if d.failed { " (FAILED)" } else { "" }),
            None => "in progress".into(),
        },
        None => "-".into(),
    };
    lines.push(row("deployment took", dep(&f.a.deployment), dep(&f.b.deployment)));
    let low = |d: &Option<crate::ab::DeploymentFigures>| {
        d.as_ref().and_then(|d| d.lowest_running).map_or("-".to_string(), |n| n.to_string())
    };
    lines.push(row("fewest RUNNING during it", low(&f.a.deployment), low(&f.b.deployment)));
    lines.push(row(
        "requests / failed (5XX)",
        format!("{} / {}", f.a.requests, f.a.requests_failed),
        format!("{} / {}", f.b.requests, f.b.requests_failed),
    ));
    let cost = |c: Option<f64>| c.map_or("-".to_string(), |c| format!("${c:.4}"));
    lines.push(row("cost so far", cost(f.a.cost_usd), cost(f.b.cost_usd)));
    for l in lines {
        writeln!(out, "{}", l.trim_end()).map_err(io)?;
    }
    writeln!(out, "\n{}", run.summary(lang)).map_err(io)?;
    Ok(0)
}
