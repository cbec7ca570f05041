//! Terraform in: one or more `.tf` files (AWS provider) become a scenario.
//!
//! The files are parsed with `hcl-edit` (the parser of the hcl-rs project), never by hand.
//! `eval` resolves what can be known without AWS (`var.` defaults and `.tfvars`, `local.`,
//! `jsonencode`, `tolist`, interpolation, `count`/`for_each` over known values, references
//! between resources with the ARNs and ids AWS gives them); `build` turns the resources the
//! playground simulates into the scenario's AWS request bodies:
//!
//! | Terraform                                   | scenario                                        |
//! |---------------------------------------------|-------------------------------------------------|
//! | `aws_ecs_cluster`                           | `cluster`                                       |
//! | `aws_ecs_task_definition`                   | `taskDefinitions[]` (RegisterTaskDefinition)    |
//! | `aws_ecs_service`                           | `services[]` (CreateService)                    |
//! | `aws_lb_target_group`                       | `targetGroups[]` (CreateTargetGroup + attributes)|
//! | `aws_lb`, `aws_lb_listener(_rule)`          | checked: a service's target group needs one     |
//! | `aws_appautoscaling_target/_policy/_scheduled_action`, `aws_cloudwatch_metric_alarm` | `scaling` |
//! | `aws_autoscaling_group` (+ `aws_launch_template`), `aws_ecs_capacity_provider`, `aws_ecs_cluster_capacity_providers` | `capacityProviders` |
//! | `aws_subnet`                                | `availabilityZones` (one playground subnet per AZ) |
//! | `aws_iam_role` (+ `_policy_attachment`, `_policy`, `aws_iam_policy`) | `iamRoles`              |
//! | `aws_codedeploy_deployment_group` (+ `aws_codedeploy_app`) | `codeDeployDeploymentGroups` (a route's listener -> the rule on it forwarding to the pair) |
//!
//! What cannot be resolved (data sources, registry modules, `count`/`for_each` over unknowns,
//! variables without a value) is reported as a warning with the file and line, and the rest still
//! loads. Nothing here panics on user input.

mod build;
mod eval;
mod functions;

use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub(crate) use crate::aws::ACCOUNT_ID;

/// One input file: its name (for warnings; `.tf`, `.tfvars`, or e.g. a `.json` read by `file()`)
/// and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile { name: name.into(), text: text.into() }
    }
}

/// What the web app's on-demand module (`tools-wasm/`) answers for one import: the scenario as
/// JSON text (the app loads it itself, so a scenario that does not load gets `ecs_sim::load`'s
/// field-named error there), how many services it has, and the warnings; or the error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReply {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    #[serde(default)]
    pub services: usize,
    #[serde(default)]
    pub warnings: Vec<Warning>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl ImportReply {
    /// `translate` on the files, as the reply.
    pub fn of(files: &[SourceFile]) -> Self {
        let (scenario, warnings) = translate(files);
        match serde_json::to_string(&scenario) {
            Ok(json) => Self { scenario: Some(json), services: scenario.services.len(), warnings, error: None },
            Err(e) => Self { error: Some(e.to_string()), warnings, ..Self::default() },
        }
    }
}

/// Something in the files the import could not use, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub file: String,
    /// 1-based; 0 when the place is not known.
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

/// The scenario built from the files, and what could not be used.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub scenario: Scenario,
    pub warnings: Vec<Warning>,
    /// `Err` with the engine's field-named message when the scenario does not load.
    pub loads: Result<(), String>,
}

/// The subnet id the playground gives Availability Zone `i` (see `sim::load`: one /20 subnet per
/// AZ), which `aws_subnet.<x>.id` resolves to for a subnet in that AZ.
pub(crate) fn subnet_id(i: usize) -> String {
    format!("subnet-{:017x}", 0xa11ce000u64 + i as u64)
}

/// Import Terraform files. Files that do not parse are reported (file, line, column) and skipped.
pub fn import(files: &[SourceFile]) -> Import {
    let (scenario, warnings) = translate(files);
    let loads = crate::sim::Simulation::new(scenario.clone()).map(|_| ()).map_err(|e| e.to_string());
    Import { scenario, warnings, loads }
}

/// The scenario built from the files and the warnings, without loading it: what the web app's
/// on-demand module (`tools-wasm/`) returns, so that module does not carry the simulation (the
/// app loads the scenario itself, with the same field-named error `Import::loads` would give).
pub fn translate(files: &[SourceFile]) -> (Scenario, Vec<Warning>) {
    let mut parsed = Vec::new();
    let mut raw = BTreeMap::new();
    let mut early = Vec::new();
    for f in files {
        let lower = f.name.to_ascii_lowercase();
        if lower.ends_with(".tf.json") || lower.ends_with(".tfvars.json") {
            early.push(Warning {
                file: f.name.clone(),
                line: 0,
                message: "Terraform JSON syntax is not read here; write it as .tf".into(),
            });
        } else if lower.ends_with(".tf") || lower.ends_with(".tfvars") {
            match hcl_edit::parser::parse_body(&f.text) {
                Ok(body) => parsed.push(eval::Parsed::new(f.name.clone(), &f.text, body)),
                Err(e) => {
                    let loc = e.location();
                    early.push(Warning {
                        file: f.name.clone(),
                        line: loc.line(),
                        message: format!(
                            "not valid HCL at column {}: {}; the file is skipped",
                            loc.column(),
                            e.message()
                        ),
                    })
                }
            }
        } else {
            let base = f.name.rsplit(['/', '\\']).next().unwrap_or(&f.name).to_string();
            raw.insert(base, f.text.clone());
        }
    }
    let ev = eval::Eval::new(&parsed, raw);
    let scenario = build::build(&ev);
    let mut warnings = early;
    warnings.extend(ev.into_warnings());
    warnings.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    (scenario, warnings)
}

/// Import the `.tf`/`.tfvars` text the user pasted as one file.
pub fn import_text(name: &str, text: &str) -> Import {
    import(&[SourceFile::new(name, text)])
}
