//! The `ecs-sim` command line, for people who write scenarios and lessons: `run` plays a file
//! and writes its event log, `check` applies the lesson rules and describes the cluster at every
//! marked moment, `link` prints the share link, `schema` and `reference` print the JSON Schema
//! and the reference page generated from the engine's own types.
//! Nothing is silent: failed timeline
//! actions, placements that stay unsatisfied, and keys accepted but not simulated are warnings on
//! stderr, and `--strict` turns any warning into a non-zero exit.
//!
//! Exit codes: 0 fine, 1 the file breaks a rule (or `--strict` and a warning), 2 bad usage.

pub mod check;
pub mod describe;
pub mod diagnostics;
pub mod import_terraform;
pub mod link;
pub mod serve;

use std::io::Write;

pub const USAGE: &str = "ecs-sim: play ECS Playground scenarios and lessons without a browser.

usage:
  ecs-sim run FILE [--until SECONDS] [--seed N] [--strict]
  ecs-sim check FILE [--languages en,ru] [--strict]
  ecs-sim link FILE [--t SECONDS] [--base URL]
  ecs-sim serve [--port 4566] [--scenario FILE] [--speed N]   (the AWS APIs on localhost)
  ecs-sim import-terraform DIR|FILE.tf... [--strict] > scenario.json
  ecs-sim schema [scenario|lesson]
  ecs-sim reference
  ecs-sim help [COMMAND]        (or: ecs-sim COMMAND --help)

FILE is a scenario (JSON in AWS API shapes); a scenario with a \"lesson\" object is a lesson.";

pub const RUN_HELP: &str = "usage: ecs-sim run FILE [--until SECONDS] [--seed N] [--strict]

Plays FILE and writes its event log to stdout as JSON Lines:
  AWS's events as full EventBridge events plus \"t\" (simulated seconds):
  {\"t\": 12, \"version\": \"0\", \"id\": ..., \"detail-type\": \"ECS Task State Change\", \"source\": \"aws.ecs\",
   \"account\": ..., \"time\": ..., \"region\": ..., \"resources\": [...], \"detail\": {...}}
  and the playground's own trace lines: {\"t\": 12, \"trace\": \"ServiceEvent\", \"detail\": {...}},
followed by one trace line \"Snapshot\" (the cluster as describe-* shows it).
Warnings (failed timeline actions, placements unsatisfied for 5 minutes or more, keys accepted
but not simulated) go to stderr.

  --until SECONDS   simulate up to this time. Default: the lesson's durationSeconds; without a
                    lesson, 600 s or 60 s after the last timeline entry, whichever is later
  --seed N          override the scenario's seed (a whole number)
  --strict          exit 1 if there was any warning";

pub const CHECK_HELP: &str = "usage: ecs-sim check FILE [--languages en,ru] [--strict]

Checks FILE as the page would load it, and a lesson's rules: a title, durationSeconds, pauses at
increasing times inside it, every text written in each language, and the claims each pause
makes about the cluster (\"claims\": runningTasks, desiredCount, ...). Then runs it to durationSeconds
(600 s without a lesson) and prints the cluster at each marked moment and at the end: services
(desired, running, pending, deployments) and tasks per Availability Zone and instance.

  --languages L,..  the languages every text must be written in (of en, zh-CN, ko, ru). Default:
                    every language the lesson uses anywhere; missing ones fall back to English
  --strict          exit 1 if there was any warning

Errors (the file breaks a rule) exit 1; warnings go to stderr.";

pub const LINK_HELP: &str = "usage: ecs-sim link FILE [--t SECONDS] [--base URL]

Prints the share link that opens FILE in the playground (as a lesson, if it has one): the JSON,
minified, raw-deflated and written in base64url without padding, as ?scenario=...

  --t SECONDS   open at this simulated time (95, 1:35 or 1m35s)
  --base URL    the playground's address (default http://127.0.0.1:8080/, where `make serve` serves)";

pub const IMPORT_TERRAFORM_HELP: &str = "usage: ecs-sim import-terraform DIR|FILE.tf... [--strict] > scenario.json

Reads a Terraform configuration for the AWS provider (a directory: its *.tf, terraform.tfvars and
*.auto.tfvars; or the files given) and prints the scenario it describes: aws_ecs_cluster,
aws_ecs_task_definition (container_definitions by jsonencode(...) or heredoc JSON),
aws_ecs_service, aws_lb_target_group (with aws_lb and aws_lb_listener), aws_appautoscaling_target
and _policy, aws_autoscaling_group with its aws_launch_template, aws_ecs_capacity_provider,
aws_ecs_cluster_capacity_providers, aws_subnet (Availability Zones) and aws_iam_role (with policy
attachments). var. (defaults and .tfvars), local., jsonencode, tolist, interpolation, count and
for_each over known values and references between resources are resolved.

What cannot be resolved (data sources, modules, count/for_each over unknowns, variables without
a value) and resources the playground does not simulate are warnings on stderr (file:line);
the rest still loads. Exit 1 if the scenario does not load (or --strict and a warning).

  --strict   exit 1 if there was any warning";

pub const SCHEMA_HELP: &str = "usage: ecs-sim schema [scenario|lesson]

Prints the JSON Schema of a scenario file (default) or of a lesson file (a scenario whose
\"lesson\" object is required), generated from the engine's own types. The repository keeps them
in schema/ (`make reference` rewrites them); editors that read \"$schema\" complete keys and flag
mistakes with it.";

pub const REFERENCE_HELP: &str = "usage: ecs-sim reference

Prints the reference page (docs/reference.md): every key of a scenario and a lesson, traffic
shapes, timeline actions and their input, log line kinds, time units.";

/// Runs the command line; returns the process exit code.
pub fn main(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let Some(cmd) = args.first().map(String::as_str) else {
        let _ = writeln!(err, "{USAGE}");
        return 2;
    };
    let rest = &args[1..];
    if cmd == "serve" {
        return serve::serve_command(rest, err); // its own --help (server/ crate)
    }
    let wants_help = rest.iter().any(|a| a == "--help" || a == "-h");
    let help = |name: &str| -> Option<&'static str> {
        Some(match name {
            "run" => RUN_HELP,
            "check" => CHECK_HELP,
            "link" => LINK_HELP,
            "schema" => SCHEMA_HELP,
            "reference" => REFERENCE_HELP,
            "import-terraform" => IMPORT_TERRAFORM_HELP,
            _ => return None,
        })
    };
    match cmd {
        "-h" | "--help" | "help" => {
            let text = rest.first().and_then(|c| help(c)).unwrap_or(USAGE);
            let _ = writeln!(out, "{text}");
            return 0;
        }
        c if wants_help && help(c).is_some() => {
            let _ = writeln!(out, "{}", help(c).unwrap_or(USAGE));
            return 0;
        }
        _ => {}
    }
    let result = match cmd {
        "run" => check::run_command(rest, out, err),
        "check" => check::check_command(rest, out, err),
        "link" => link::link_command(rest, out),
        "schema" => schema_command(rest, out),
        "reference" => reference_command(rest, out),
        "import-terraform" => import_terraform::import_terraform_command(rest, out, err),
        other => Err(Failure::Usage(format!("unknown command \"{other}\"{}", suggest(other)))),
    };
    match result {
        Ok(code) => code,
        Err(Failure::Usage(msg)) => {
            let hint = if help(cmd).is_some() { format!("ecs-sim {cmd} --help") } else { "ecs-sim --help".into() };
            let _ = writeln!(err, "ecs-sim: {msg}\n(see `{hint}`)");
            2
        }
        Err(Failure::File(msg)) => {
            let _ = writeln!(err, "ecs-sim: {msg}");
            1
        }
    }
}

fn suggest(word: &str) -> String {
    match crate::error::did_you_mean(
        word,
        &["run", "check", "link", "serve", "import-terraform", "schema", "reference", "help"],
    ) {
        Some(c) => format!("; did you mean \"{c}\"?"),
        None => String::new(),
    }
}

/// Why a command stopped.
#[derive(Debug)]
pub enum Failure {
    /// The command line is wrong (exit 2).
    Usage(String),
    /// The file cannot be read or breaks a rule (exit 1).
    File(String),
}

/// A command's options: one FILE and `--name value` pairs (or flags).
pub struct Args {
    pub file: Option<String>,
    pub values: Vec<(String, String)>,
    pub flags: Vec<String>,
}

impl Args {
    /// `options`: names that take a value; `flags`: names that do not.
    pub fn parse(args: &[String], options: &[&str], flags: &[&str], needs_file: bool) -> Result<Args, Failure> {
        let mut a = Args { file: None, values: Vec::new(), flags: Vec::new() };
        let mut it = args.iter();
        while let Some(x) = it.next() {
            let (name, inline) = match x.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
                _ => (x.as_str(), None),
            };
            if options.contains(&name) {
                let v = match inline {
                    Some(v) => v,
                    None => it.next().cloned().ok_or_else(|| Failure::Usage(format!("{name} needs a value")))?,
                };
                a.values.push((name.to_string(), v));
            } else if flags.contains(&name) && inline.is_none() {
                a.flags.push(name.to_string());
            } else if !x.starts_with('-') && a.file.is_none() {
                a.file = Some(x.clone());
            } else {
                let all: Vec<&str> = options.iter().chain(flags).copied().collect();
                let hint = match crate::error::did_you_mean(name, &all) {
                    Some(c) => format!("; did you mean {c}?"),
                    None if all.is_empty() => "; this command takes no options".into(),
                    None => format!("; the options are {}", all.join(", ")),
                };
                return Err(Failure::Usage(format!("unexpected argument \"{x}\"{hint}")));
            }
        }
        if needs_file && a.file.is_none() {
            return Err(Failure::Usage("which file? Give the path of a scenario or lesson JSON file".into()));
        }
        Ok(a)
    }
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }
    pub fn read_file(&self) -> Result<(String, String), Failure> {
        let path = self.file.clone().unwrap_or_default();
        let text = std::fs::read_to_string(&path).map_err(|e| Failure::File(format!("{path}: {e}")))?;
        Ok((path, text))
    }
}

#[cfg(feature = "schema")]
fn schema_command(args: &[String], out: &mut dyn Write) -> Result<i32, Failure> {
    let a = Args::parse(args, &[], &[], false)?;
    let text = match a.file.as_deref().unwrap_or("scenario") {
        "scenario" => crate::schema::scenario_schema_json(),
        "lesson" => crate::schema::lesson_schema_json(),
        other => return Err(Failure::Usage(format!("\"{other}\" is not a schema: scenario or lesson"))),
    };
    write!(out, "{text}").map_err(|e| Failure::File(e.to_string()))?;
    Ok(0)
}

#[cfg(feature = "schema")]
fn reference_command(args: &[String], out: &mut dyn Write) -> Result<i32, Failure> {
    Args::parse(args, &[], &[], false)?;
    write!(out, "{}", crate::schema::reference_markdown()).map_err(|e| Failure::File(e.to_string()))?;
    Ok(0)
}

#[cfg(not(feature = "schema"))]
fn schema_command(_: &[String], _: &mut dyn Write) -> Result<i32, Failure> {
    Err(Failure::Usage("this ecs-sim was built without the `schema` feature".into()))
}

#[cfg(not(feature = "schema"))]
fn reference_command(_: &[String], _: &mut dyn Write) -> Result<i32, Failure> {
    Err(Failure::Usage("this ecs-sim was built without the `schema` feature".into()))
}
