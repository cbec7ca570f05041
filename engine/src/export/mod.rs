//! Export the current setup of a simulation as what a person would use against real AWS:
//! RegisterTaskDefinition and CreateService JSON (`json`), `aws` CLI commands (`cli`) and
//! Terraform (`terraform`). The event log exports as JSON Lines (`EventLog::to_json_lines`).
//!
//! Everything is taken from the engine's own records of what was registered and created (the
//! request bodies it validated), so an export re-parses and re-validates with the engine's rules.

pub mod cli;
pub mod hcl;
pub mod json;
pub mod terraform;

use crate::autoscaling::types::ScalingSection;
use crate::scenario::{CreateService, CreateTargetGroup};
use crate::taskdef::RegisterTaskDefinition;
use crate::Simulation;
use serde::{Deserialize, Serialize};

/// The exports rendered from a `Setup` outside the web app's wasm (issue 19).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportFormat {
    /// `aws` CLI commands (`cli::render`).
    Cli,
    /// Terraform for the AWS provider (`terraform::render`).
    Terraform,
}

/// What the web app sends its on-demand module (as JSON text) to render an export: the format
/// and the setup, typed on both sides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportRequest {
    pub format: ExportFormat,
    pub setup: Setup,
}

impl ExportRequest {
    /// The export's text.
    pub fn render(&self) -> String {
        match self.format {
            ExportFormat::Cli => cli::render(&self.setup),
            ExportFormat::Terraform => terraform::render(&self.setup),
        }
    }
}

/// The setup as AWS request bodies. Serializable: the web app sends it to its on-demand module,
/// which renders the CLI and Terraform exports (issue 19: those renderers are not in the app's
/// wasm); `ExportRequest` is what crosses.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Setup {
    pub cluster: String,
    pub region: String,
    /// One per family: the revision the services run (else the latest ACTIVE one).
    pub task_definitions: Vec<RegisterTaskDefinition>,
    pub services: Vec<CreateService>,
    pub target_groups: Vec<CreateTargetGroup>,
    pub scaling: ScalingSection,
    /// CreateAutoScalingGroup bodies (with the launch template's `InstanceType`) of the scenario.
    pub auto_scaling_groups: Vec<serde_json::Value>,
    /// CreateCapacityProvider bodies (Auto Scaling group providers) of the scenario.
    pub capacity_providers: Vec<serde_json::Value>,
    /// The PutClusterCapacityProviders body (FARGATE, FARGATE_SPOT and the providers above, with
    /// the default strategy), if the scenario associates any.
    pub cluster_capacity_providers: Option<serde_json::Value>,
    /// The scenario's listener rules (blue/green production and test rules with weighted forward
    /// actions), as they were created: the weights a deployment moves are ECS's to change.
    pub listener_rules: Vec<crate::scenario::ListenerRule>,
    /// The scenario's CloudWatch alarms (PutMetricAlarm bodies) that deployments watch.
    pub metric_alarms: Vec<crate::scenario::PutMetricAlarm>,
    /// The scenario's CodeDeploy deployment groups (CreateDeploymentGroup bodies) of
    /// `CODE_DEPLOY` services.
    pub code_deploy_deployment_groups: Vec<crate::code_deploy::CreateDeploymentGroup>,
}

impl Setup {
    pub fn from_sim(sim: &Simulation) -> Setup {
        let st = sim.state();
        let mut task_definitions = Vec::new();
        for (family, revs) in &st.task_defs.families {
            // The revision a service runs now wins over a newer revision nobody deployed.
            let used = st
                .services
                .iter()
                .filter_map(|s| st.task_defs.resolve(&s.spec.task_definition))
                .filter(|r| &r.family == family)
                .max_by_key(|r| r.revision)
                .and_then(|r| st.task_defs.get(&r));
            let latest = revs.iter().rev().find(|t| t.status == crate::taskdef::TaskDefinitionStatus::Active);
            if let Some(td) = used.or(latest) {
                task_definitions.push(clean_request(&td.request));
            }
        }
        let services = st
            .services
            .iter()
            .map(|s| {
                let mut spec = s.spec.clone();
                spec.cluster = Some(st.cluster_name.clone());
                // "Tasks using the DAEMON scheduling strategy don't need a desired count": the
                // scheduler places one task per instance (CreateService, schedulingStrategy).
                let daemon = spec.scheduling_strategy == Some(crate::scenario::SchedulingStrategy::Daemon);
                spec.desired_count = if daemon { None } else { Some(s.desired_count) };
                // Name the family only: the revision is whatever the export registers.
                if let Some(r) = st.task_defs.resolve(&spec.task_definition) {
                    spec.task_definition = r.family;
                }
                spec
            })
            .collect();
        let target_groups = st.elb.target_groups().iter().map(|t| t.spec.clone()).collect();
        let scaling = sim
            .scenario()
            .scaling
            .as_ref()
            .and_then(|v| crate::autoscaling::types::parse_section(v).ok())
            .unwrap_or_default();
        let cp = sim.scenario().capacity_providers.clone().unwrap_or_default();
        let capacity_providers = cp["createCapacityProvider"].as_array().cloned().unwrap_or_default();
        let auto_scaling_groups = cp["autoScalingGroups"].as_array().cloned().unwrap_or_default();
        let cluster_capacity_providers = cp.get("putClusterCapacityProviders").cloned().map(|mut b| {
            b["cluster"] = serde_json::Value::String(st.cluster_name.clone());
            b
        });
        Setup {
            listener_rules: sim.scenario().listener_rules.clone(),
            metric_alarms: sim.scenario().metric_alarms.clone(),
            code_deploy_deployment_groups: sim.scenario().code_deploy_deployment_groups.clone(),
            auto_scaling_groups,
            capacity_providers,
            cluster_capacity_providers,
            cluster: st.cluster_name.clone(),
            region: st.region.clone(),
            task_definitions,
            services,
            target_groups,
            scaling,
        }
    }
}

/// The ELBv2 CreateRule body of a scenario listener rule, without `ListenerArn` (the listener is
/// the account's). `Priority` is an integer 1-50000 in CreateRule; the rule's name travels as its
/// `Name` tag. CreateRule requires `Conditions`: a rule written without any (it matches every
/// request) gets `path-pattern /*`, which also matches every request
/// (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html).
pub fn create_rule_body(rule: &crate::scenario::ListenerRule) -> serde_json::Value {
    use serde_json::{json, Value};
    let conditions = match &rule.conditions {
        Some(Value::Array(c)) if !c.is_empty() => Value::Array(c.clone()),
        _ => json!([{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/*"]}}]),
    };
    let priority = rule.priority.as_deref().and_then(|p| p.trim().parse::<u32>().ok()).unwrap_or(1);
    json!({
        "Priority": priority,
        "Conditions": conditions,
        "Actions": serde_json::to_value(&rule.actions).unwrap_or(Value::Null),
        "Tags": [{"Key": "Name", "Value": rule_name(&rule.rule_arn)}],
    })
}

/// A listener rule's name: the scenario's short name, or the last part of its ARN.
pub fn rule_name(arn_or_name: &str) -> &str {
    arn_or_name.rsplit('/').next().unwrap_or(arn_or_name)
}

/// A RegisterTaskDefinition body without the read-only fields of describe output.
fn clean_request(r: &RegisterTaskDefinition) -> RegisterTaskDefinition {
    let mut r = r.clone();
    r.other.retain(|k, _| !crate::taskdef_rules::DESCRIBE_OUTPUT_FIELDS.contains(&k.as_str()));
    r
}

/// The name of a target group from its ARN (`...:targetgroup/<name>/<id>`), or the text itself.
pub fn target_group_name(arn_or_name: &str) -> &str {
    match arn_or_name.split_once("targetgroup/") {
        Some((_, rest)) => rest.split('/').next().unwrap_or(rest),
        None => arn_or_name,
    }
}

/// A Terraform/shell-safe identifier from a name: letters, digits and underscores, not starting
/// with a digit.
pub(crate) fn ident(name: &str) -> String {
    let mut s: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}
