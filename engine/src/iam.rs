//! IAM roles for ECS: the task execution role, the task role and the container instance role,
//! with a small identity-policy evaluator and the error texts ECS and AWS SDKs show.
//!
//! Which role does what (ECS Developer Guide, "Best practices for IAM roles in Amazon ECS"):
//! * Task execution role: "This role allows Amazon ECS to use other AWS services on your
//!   behalf": pull from ECR private repositories (Fargate), send `awslogs` logs (Fargate),
//!   fetch Secrets Manager / SSM Parameter Store secrets (Fargate and EC2). "These permissions
//!   are made available to the agent ... but they aren't directly accessible by the containers
//!   in the task."
//! * Task role: "This role allows your application code (on the container) to use other AWS
//!   services."
//! * Container instance role: "This role allows your EC2 instances or external instances to
//!   register with the cluster." On EC2 it is also the role that pulls ECR images ("For tasks
//!   with EC2, this is the container instance role", CannotPullContainer troubleshooting), and
//!   the Docker `awslogs` driver runs with it.
//!
//! Policy evaluation (IAM User Guide, "Policy evaluation logic"): an explicit `Deny` wins, else
//! an `Allow` that matches action and resource allows, else the request is implicitly denied.
//! Action matching is case-insensitive, resource matching case-sensitive; `*` and `?` are
//! wildcards in both. Conditions, resource policies, permission boundaries and SCPs are not
//! modelled.
//!
//! # How the simulation should call this (for the lead)
//! * Build roles from the scenario's `iamRoles` array: `Roles::from_scenario(&value, account)`.
//! * At task start, before the image pull: `check_execution_role(&td.request, &ctx)`; on `Err`
//!   stop the task (`stopCode: TaskFailedToStart`, `stoppedReason: failure.stopped_reason`).
//!   The check covers what the agent does: ECR registry auth and pull, secrets, log stream.
//! * When the traffic model says the app calls AWS (e.g. `s3:GetObject`), call `app_call`.
//! * At container-instance registration: `check_instance_role` (the agent's ECS calls).
//! * For the "who calls what" diagram: `access_graph`.

use crate::ecr::{self, ImageRef, Platform};
use crate::error::{ApiError, ApiResult};
use crate::taskdef::RegisterTaskDefinition;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub effect: Effect,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    pub role_name: String,
    pub arn: String,
    pub statements: Vec<Statement>,
    /// Names of AWS managed policies attached (expanded into `statements`).
    pub managed_policies: Vec<String>,
}

/// The AWS managed policies the ECS guides tell you to attach, as their documented statements.
pub fn managed_policy(name: &str) -> Option<Vec<Statement>> {
    let allow = |actions: &[&str]| Statement {
        effect: Effect::Allow,
        actions: actions.iter().map(|s| s.to_string()).collect(),
        resources: vec!["*".into()],
    };
    Some(match name {
        // AmazonECSTaskExecutionRolePolicy (task execution role guide).
        "AmazonECSTaskExecutionRolePolicy" => vec![allow(&[
            "ecr:GetAuthorizationToken",
            "ecr:BatchCheckLayerAvailability",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
        ])],
        // AmazonEC2ContainerServiceforEC2Role (container instance role guide), core statement.
        "AmazonEC2ContainerServiceforEC2Role" => vec![allow(&[
            "ec2:DescribeTags",
            "ecs:CreateCluster",
            "ecs:DeregisterContainerInstance",
            "ecs:DiscoverPollEndpoint",
            "ecs:Poll",
            "ecs:RegisterContainerInstance",
            "ecs:StartTelemetrySession",
            "ecs:UpdateContainerInstancesState",
            "ecs:Submit*",
            "ecr:GetAuthorizationToken",
            "ecr:BatchCheckLayerAvailability",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
        ])],
        "AmazonS3ReadOnlyAccess" => vec![allow(&["s3:Get*", "s3:List*", "s3:Describe*"])],
        // AmazonSSMReadOnlyAccess (AWS managed policy reference).
        "AmazonSSMReadOnlyAccess" => vec![allow(&["ssm:Describe*", "ssm:Get*", "ssm:List*"])],
        "AdministratorAccess" => vec![allow(&["*"])],
        _ => return None,
    })
}

/// `*` any run, `?` one character.
fn glob(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    if case_insensitive {
        crate::ecr::lifecycle_policy::wildcard_match_with(
            &pattern.to_ascii_lowercase(),
            &text.to_ascii_lowercase(),
            true,
        )
    } else {
        crate::ecr::lifecycle_policy::wildcard_match_with(pattern, text, true)
    }
}

/// Result of evaluating a request against a role's identity policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Decision {
    Allowed,
    ImplicitDeny,
    ExplicitDeny,
}

impl Role {
    pub fn evaluate(&self, action: &str, resource: &str) -> Decision {
        let matches = |s: &Statement| {
            s.actions.iter().any(|a| glob(a, action, true)) && s.resources.iter().any(|r| glob(r, resource, false))
        };
        if self.statements.iter().any(|s| s.effect == Effect::Deny && matches(s)) {
            Decision::ExplicitDeny
        } else if self.statements.iter().any(|s| s.effect == Effect::Allow && matches(s)) {
            Decision::Allowed
        } else {
            Decision::ImplicitDeny
        }
    }

    /// The assumed-role session principal, `arn:aws:sts::<account>:assumed-role/<role>/<session>`
    /// (ECS uses the task id as the session name of task and execution role sessions).
    pub fn session_arn(&self, session: &str) -> String {
        let account = self.arn.split(':').nth(4).unwrap_or(crate::aws::ACCOUNT_ID);
        format!("arn:aws:sts::{account}:assumed-role/{}/{session}", self.role_name)
    }

    /// `Ok` or the AccessDenied message AWS returns (IAM User Guide, "Troubleshoot access
    /// denied error messages"): "User: <principal> is not authorized to perform: <action> on
    /// resource: <resource> because no identity-based policy allows the <action> action", or
    /// "... with an explicit deny in an identity-based policy".
    pub fn authorize(&self, session: &str, action: &str, resource: &str) -> Result<(), String> {
        let who = self.session_arn(session);
        match self.evaluate(action, resource) {
            Decision::Allowed => Ok(()),
            Decision::ImplicitDeny => Err(format!(
                "User: {who} is not authorized to perform: {action} on resource: {resource} because no identity-based policy allows the {action} action"
            )),
            Decision::ExplicitDeny => Err(format!(
                "User: {who} is not authorized to perform: {action} on resource: {resource} with an explicit deny in an identity-based policy"
            )),
        }
    }
}

fn str_or_list(v: &Value, field: &str) -> ApiResult<Vec<String>> {
    match v {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, x)| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| ApiError::client(format!("{field}[{i}]"), "must be a string"))
            })
            .collect(),
        _ => Err(ApiError::client(field, "must be a string or a list of strings")),
    }
}

/// The roles of a scenario, by role name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Roles {
    pub by_name: BTreeMap<String, Role>,
}

impl Roles {
    /// Parse the scenario's `iamRoles`:
    /// `[{"roleName": "ecsTaskExecutionRole", "managedPolicies": ["AmazonECSTaskExecutionRolePolicy"],
    ///    "policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///       "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::my-bucket/*"}]}]}]`.
    pub fn from_scenario(value: &Value, account_id: &str) -> ApiResult<Self> {
        let arr = value.as_array().ok_or_else(|| ApiError::client("iamRoles", "must be an array of roles"))?;
        let mut by_name = BTreeMap::new();
        for (i, r) in arr.iter().enumerate() {
            let role = Self::parse_role(r, account_id).map_err(|e| e.at(&format!("iamRoles[{i}]")))?;
            if by_name.contains_key(&role.role_name) {
                return Err(ApiError::new(
                    "EntityAlreadyExists",
                    format!("iamRoles[{i}].roleName"),
                    format!("Role with name {} already exists.", role.role_name),
                ));
            }
            by_name.insert(role.role_name.clone(), role);
        }
        Ok(Roles { by_name })
    }

    fn parse_role(r: &Value, account_id: &str) -> ApiResult<Role> {
        let obj = r.as_object().ok_or_else(|| ApiError::client("", "must be an object"))?;
        for k in obj.keys() {
            if !["roleName", "managedPolicies", "policies", "description"].contains(&k.as_str()) {
                return Err(ApiError::client(k.clone(), format!("unknown field '{k}'")));
            }
        }
        let name =
            obj.get("roleName").and_then(Value::as_str).filter(|n| !n.is_empty() && n.len() <= 64).ok_or_else(
                || ApiError::new("ValidationError", "roleName", "roleName is required (1-64 characters)"),
            )?;
        let mut statements = Vec::new();
        let mut managed = Vec::new();
        if let Some(m) = obj.get("managedPolicies") {
            for (i, p) in str_or_list(m, "managedPolicies")?.into_iter().enumerate() {
                let short = p.rsplit('/').next().unwrap_or(&p).to_string();
                let st = managed_policy(&short).ok_or_else(|| {
                    ApiError::new(
                        "NoSuchEntity",
                        format!("managedPolicies[{i}]"),
                        format!("Policy {p} does not exist or is not attachable (the playground knows AmazonECSTaskExecutionRolePolicy, AmazonEC2ContainerServiceforEC2Role, AmazonS3ReadOnlyAccess, AmazonSSMReadOnlyAccess, AdministratorAccess)."),
                    )
                })?;
                statements.extend(st);
                managed.push(short);
            }
        }
        if let Some(ps) = obj.get("policies") {
            let arr =
                ps.as_array().ok_or_else(|| ApiError::client("policies", "must be an array of policy documents"))?;
            for (i, doc) in arr.iter().enumerate() {
                let at = format!("policies[{i}]");
                let sts = match doc.get("Statement") {
                    Some(Value::Array(a)) => a.clone(),
                    Some(o @ Value::Object(_)) => vec![o.clone()],
                    _ => {
                        return Err(ApiError::new(
                            "MalformedPolicyDocument",
                            format!("{at}.Statement"),
                            "Statement is required",
                        ))
                    }
                };
                for (j, s) in sts.iter().enumerate() {
                    let sat = format!("{at}.Statement[{j}]");
                    let effect = match s.get("Effect").and_then(Value::as_str) {
                        Some("Allow") => Effect::Allow,
                        Some("Deny") => Effect::Deny,
                        _ => {
                            return Err(ApiError::new(
                                "MalformedPolicyDocument",
                                format!("{sat}.Effect"),
                                "Effect must be Allow or Deny",
                            ))
                        }
                    };
                    if s.get("NotAction").is_some() || s.get("NotResource").is_some() || s.get("Condition").is_some() {
                        return Err(ApiError::client(
                            sat,
                            "NotAction, NotResource and Condition are IAM features this playground does not model",
                        ));
                    }
                    let actions = str_or_list(
                        s.get("Action").ok_or_else(|| {
                            ApiError::new("MalformedPolicyDocument", format!("{sat}.Action"), "Action is required")
                        })?,
                        &format!("{sat}.Action"),
                    )?;
                    let resources = str_or_list(
                        s.get("Resource").unwrap_or(&Value::String("*".into())),
                        &format!("{sat}.Resource"),
                    )?;
                    statements.push(Statement { effect, actions, resources });
                }
            }
        }
        Ok(Role {
            role_name: name.to_string(),
            arn: format!("arn:aws:iam::{account_id}:role/{name}"),
            statements,
            managed_policies: managed,
        })
    }

    /// Find a role by ARN (`arn:aws:iam::<acct>:role/[path/]name`) or by bare name.
    pub fn get(&self, arn_or_name: &str) -> Option<&Role> {
        let name = arn_or_name.rsplit('/').next().unwrap_or(arn_or_name);
        self.by_name.get(name)
    }
}

/// Why a task failed to start, as `DescribeTasks` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StartFailure {
    /// Always `TaskFailedToStart` for these.
    pub stop_code: &'static str,
    pub stopped_reason: String,
    /// The container whose image, secret or log configuration failed.
    pub container_name: String,
}

/// What the agent needs to know to start a task.
#[derive(Debug, Clone, Copy)]
pub struct StartContext<'a> {
    pub platform: Platform,
    pub account_id: &'a str,
    pub region: &'a str,
    /// Task id, the session name of the execution-role session.
    pub task_id: &'a str,
    pub roles: &'a Roles,
    /// The container instance's role (EC2 only).
    pub instance_role: Option<&'a Role>,
    /// Used to decide whether an image is a private ECR image of this registry.
    pub registry: Option<&'a ecr::Registry>,
    /// The scenario's Secrets Manager secrets: a partial ARN (no six-character suffix) in a
    /// `valueFrom` is authorized against the secret's full ARN, as IAM sees the resource.
    pub secrets: Option<&'a crate::secrets::Store>,
}

fn secret_resource(value_from: &str, ctx: &StartContext) -> (String, String) {
    // "For Secrets Manager ... the full ARN of the secret" (optionally with
    // :json-key:version-stage:version-id); SSM: a parameter name or full ARN.
    if value_from.starts_with("arn:aws:secretsmanager:") {
        let arn: Vec<&str> = value_from.split(':').take(7).collect();
        let name = arn.get(6).copied().unwrap_or("");
        let full = ctx.secrets.and_then(|s| s.secret_arn(name)).map(str::to_string);
        ("secretsmanager:GetSecretValue".into(), full.unwrap_or_else(|| arn.join(":")))
    } else if value_from.starts_with("arn:") {
        ("ssm:GetParameters".into(), value_from.to_string())
    } else {
        let name = value_from.trim_start_matches('/');
        ("ssm:GetParameters".into(), format!("arn:aws:ssm:{}:{}:parameter/{name}", ctx.region, ctx.account_id))
    }
}

fn log_options(c: &crate::taskdef::ContainerDefinition) -> Option<(String, bool, String)> {
    let lc = c.other.get("logConfiguration")?;
    if lc.get("logDriver").and_then(Value::as_str) != Some("awslogs") {
        return None;
    }
    let opts = lc.get("options");
    let get = |k: &str| opts.and_then(|o| o.get(k)).and_then(Value::as_str).map(str::to_string);
    let group = get("awslogs-group").unwrap_or_default();
    let create = get("awslogs-create-group").as_deref() == Some("true");
    let prefix = get("awslogs-stream-prefix").unwrap_or_default();
    Some((group, create, prefix))
}

/// RegisterTaskDefinition checks for Fargate task definitions (the API refuses these at
/// registration, before any task runs): "Fargate requires task definition to have execution
/// role ARN to support ECR images." and "... to support log driver awslogs."
pub fn check_fargate_registration(td: &RegisterTaskDefinition) -> ApiResult<()> {
    let fargate =
        td.requires_compatibilities.as_ref().is_some_and(|c| c.contains(&crate::taskdef::Compatibility::Fargate));
    if !fargate || td.execution_role_arn.is_some() {
        return Ok(());
    }
    for (i, c) in td.container_definitions.iter().enumerate() {
        if matches!(ecr::parse_image_uri(&c.image), ImageRef::Ecr { .. }) {
            return Err(ApiError::client(
                "executionRoleArn",
                "Fargate requires task definition to have execution role ARN to support ECR images.",
            )
            .at_container(i));
        }
        if log_options(c).is_some() {
            return Err(ApiError::client(
                "executionRoleArn",
                "Fargate requires task definition to have execution role ARN to support log driver awslogs.",
            )
            .at_container(i));
        }
    }
    Ok(())
}

trait AtContainer {
    fn at_container(self, i: usize) -> Self;
}
impl AtContainer for ApiError {
    fn at_container(mut self, i: usize) -> Self {
        self.message = format!("{} (containerDefinitions[{i}])", self.message);
        self
    }
}

const RESOURCE_INIT: &str =
    "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed";

/// What the ECS / Fargate agent does before starting the containers, in its order: registry
/// auth, secrets, image pull, log stream. Returns the first failure with ECS's stoppedReason.
///
/// Texts (as ECS reports them; request ids omitted):
/// * ECR auth, Fargate: "ResourceInitializationError: unable to pull secrets or registry auth:
///   execution resource retrieval failed: unable to retrieve ecr registry auth: service call has
///   been retried 3 time(s): AccessDeniedException: <IAM message>".
/// * SSM: "... unable to retrieve secrets from ssm: service call has been retried 1 time(s):
///   AccessDeniedException: <IAM message>"; Secrets Manager: "... unable to retrieve secret
///   from asm: service call has been retried 1 time(s): failed to fetch secret <arn> from
///   secrets manager: AccessDeniedException: <IAM message>".
/// * Pull (ecr:BatchGetImage / GetDownloadUrlForLayer) on Fargate: "CannotPullContainerError:
///   pull image manifest has been retried 1 time(s): failed to resolve ref <image>: pulling from
///   host <host> failed with status code [manifests <tag>]: 403 Forbidden"; on EC2 the agent's
///   augmented Docker error "The task can’t pull the image. Check that the role has the
///   permissions to pull images from the registry. Error response from daemon: pull access
///   denied for <repo>, repository does not exist or may require 'docker login': denied:
///   <IAM message>" (ECS guide, "CannotPullContainer task errors"; amazon-ecs-agent tests).
/// * ECR auth on EC2: "CannotPullECRContainerError: AccessDeniedException: <IAM message>".
/// * Logs, Fargate: "ResourceInitializationError: failed to validate logger args: create
///   stream has been retried 1 times: failed to create Cloudwatch log stream:
///   AccessDeniedException: <IAM message>"; EC2 (Docker's awslogs driver, instance role):
///   "CannotStartContainerError: Error response from daemon: failed to initialize logging
///   driver: failed to create Cloudwatch log stream: AccessDeniedException: <IAM message>".
pub fn check_execution_role(td: &RegisterTaskDefinition, ctx: &StartContext) -> Result<(), StartFailure> {
    let exec_role = td.execution_role_arn.as_deref().and_then(|a| ctx.roles.get(a));
    let fail = |container: &str, reason: String| StartFailure {
        stop_code: "TaskFailedToStart",
        stopped_reason: reason,
        container_name: container.to_string(),
    };
    let exec_role_missing = |container: &str, what: &str| {
        // Playground wording (not an AWS text): the role ARN names no role in the scenario.
        fail(
            container,
            format!(
                "{RESOURCE_INIT}: {what}: the task definition's executionRoleArn ({}) names no role in this scenario",
                td.execution_role_arn.as_deref().unwrap_or("none")
            ),
        )
    };
    // Which role pulls ECR images: Fargate uses the execution role; on EC2 the agent uses the
    // execution role when the task definition has one, else the container instance role.
    let pull_role: Option<&Role> = match ctx.platform {
        Platform::Fargate => exec_role,
        Platform::Ec2 => exec_role.or(ctx.instance_role),
    };
    let private_images: Vec<(&str, String)> = td
        .container_definitions
        .iter()
        .filter_map(|c| match ecr::parse_image_uri(&c.image) {
            ImageRef::Ecr { registry_id, region, repository, .. }
                if registry_id == ctx.account_id && region == ctx.region =>
            {
                Some((c.name.as_str(), format!("arn:aws:ecr:{region}:{registry_id}:repository/{repository}")))
            }
            _ => None,
        })
        .collect();
    // 1. Registry auth: ecr:GetAuthorizationToken on "*".
    if let Some((cname, _)) = private_images.first() {
        let Some(role) = pull_role else {
            return Err(exec_role_missing(cname, "unable to retrieve ecr registry auth"));
        };
        if let Err(msg) = role.authorize(ctx.task_id, "ecr:GetAuthorizationToken", "*") {
            return Err(fail(
                cname,
                match ctx.platform {
                    Platform::Fargate => format!(
                        "{RESOURCE_INIT}: unable to retrieve ecr registry auth: service call has been retried 3 time(s): AccessDeniedException: {msg}"
                    ),
                    // The EC2 agent's ECR-auth error type is CannotPullECRContainerError.
                    Platform::Ec2 => format!("CannotPullECRContainerError: AccessDeniedException: {msg}"),
                },
            ));
        }
    }
    // 2. Secrets: always the execution role, on Fargate and EC2.
    for c in &td.container_definitions {
        for s in &c.secrets {
            let Some(role) = exec_role else {
                return Err(exec_role_missing(&c.name, "unable to retrieve secrets"));
            };
            let (action, resource) = secret_resource(&s.value_from, ctx);
            if let Err(msg) = role.authorize(ctx.task_id, &action, &resource) {
                let reason = if action.starts_with("secretsmanager") {
                    format!("{RESOURCE_INIT}: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret {resource} from secrets manager: AccessDeniedException: {msg}")
                } else {
                    format!("{RESOURCE_INIT}: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: {msg}")
                };
                return Err(fail(&c.name, reason));
            }
        }
    }
    // 3. Image pull: ecr:BatchGetImage and ecr:GetDownloadUrlForLayer on the repository.
    for (cname, repo_arn) in &private_images {
        let Some(role) = pull_role else { continue };
        for action in ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] {
            if let Err(msg) = role.authorize(ctx.task_id, action, repo_arn) {
                let image =
                    td.container_definitions.iter().find(|c| c.name == *cname).map(|c| c.image.as_str()).unwrap_or("");
                let reason = match ctx.platform {
                    // Fargate (containerd) reports the registry's HTTP answer.
                    Platform::Fargate => {
                        let host = image.split('/').next().unwrap_or("");
                        let reference =
                            image.rsplit_once(':').map(|(_, t)| t).filter(|t| !t.contains('/')).unwrap_or("latest");
                        format!("CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref {image}: pulling from host {host} failed with status code [manifests {reference}]: 403 Forbidden")
                    }
                    // EC2 agent (>= 1.83): augmented Docker error, as in the agent's tests.
                    Platform::Ec2 => {
                        let repo_uri = image.split(['@']).next().unwrap_or(image);
                        let repo_uri = match repo_uri.rsplit_once(':') {
                            Some((r, t)) if !t.contains('/') => r,
                            _ => repo_uri,
                        };
                        format!("CannotPullContainerError: The task can’t pull the image. Check that the role has the permissions to pull images from the registry. Error response from daemon: pull access denied for {repo_uri}, repository does not exist or may require 'docker login': denied: {msg}")
                    }
                };
                return Err(fail(cname, reason));
            }
        }
    }
    // 4. awslogs: the log stream is created before the container starts.
    for c in &td.container_definitions {
        let Some((group, create, prefix)) = log_options(c) else { continue };
        let role = match ctx.platform {
            Platform::Fargate => exec_role,
            Platform::Ec2 => ctx.instance_role,
        };
        let Some(role) = role else {
            return Err(exec_role_missing(&c.name, "failed to validate logger args"));
        };
        let stream = format!("{prefix}/{}/{}", c.name, ctx.task_id);
        let group_arn = format!("arn:aws:logs:{}:{}:log-group:{group}", ctx.region, ctx.account_id);
        let mut needs = vec![("logs:CreateLogStream", format!("{group_arn}:log-stream:{stream}"))];
        if create {
            // "awslogs-create-group ... your IAM policy must include the logs:CreateLogGroup permission."
            needs.insert(0, ("logs:CreateLogGroup", format!("{group_arn}:log-stream:")));
        }
        for (action, resource) in needs {
            if let Err(msg) = role.authorize(ctx.task_id, action, &resource) {
                let reason = match ctx.platform {
                    Platform::Fargate => format!("ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: AccessDeniedException: {msg}"),
                    Platform::Ec2 => format!("CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: AccessDeniedException: {msg}"),
                };
                return Err(fail(&c.name, reason));
            }
        }
    }
    Ok(())
}

/// The container instance role check the agent performs when it registers: the agent calls
/// `ecs:RegisterContainerInstance` (and polls with `ecs:DiscoverPollEndpoint`, `ecs:Poll`).
/// The session name of an instance profile session is the instance id.
pub fn check_instance_role(role: &Role, instance_id: &str, cluster_arn: &str) -> Result<(), String> {
    for action in ["ecs:RegisterContainerInstance", "ecs:DiscoverPollEndpoint", "ecs:Poll"] {
        let resource = if action == "ecs:RegisterContainerInstance" { cluster_arn } else { "*" };
        role.authorize(instance_id, action, resource)?;
    }
    Ok(())
}

/// Outcome of an application call from inside a container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AppCall {
    Ok,
    /// `AccessDenied` / `AccessDeniedException` with IAM's message.
    AccessDenied(String),
    /// The SDK found no credentials at all.
    NoCredentials(String),
}

/// The application calls an AWS API with the task role's credentials (served to the SDK by the
/// container credentials endpoint). Without a task role: on Fargate there are no credentials
/// ("Unable to locate credentials" from the AWS CLI/boto3); on EC2 the SDK falls back to the
/// instance profile through the instance metadata service unless that is blocked (the ECS
/// task IAM role guide recommends blocking it), so the call runs as the instance role.
pub fn app_call(
    task_role: Option<&Role>,
    instance_role: Option<&Role>,
    platform: Platform,
    task_id: &str,
    instance_id: &str,
    action: &str,
    resource: &str,
) -> AppCall {
    let result = match (task_role, platform, instance_role) {
        (Some(r), _, _) => r.authorize(task_id, action, resource),
        (None, Platform::Ec2, Some(ir)) => ir.authorize(instance_id, action, resource),
        _ => return AppCall::NoCredentials("Unable to locate credentials".into()),
    };
    match result {
        Ok(()) => AppCall::Ok,
        Err(m) => AppCall::AccessDenied(m),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphNode {
    pub id: String,
    pub kind: &'static str,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    pub action: String,
    /// Role whose credentials sign the call.
    pub via_role: Option<String>,
    pub allowed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct AccessGraph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

/// Who calls what for one task: the agent (with the execution or instance role) calls ECR,
/// CloudWatch Logs, SSM and Secrets Manager; the application (with the task role) makes
/// `app_calls` (action, resource). Every edge says whether IAM allows it, for the UI to draw.
pub fn access_graph(td: &RegisterTaskDefinition, ctx: &StartContext, app_calls: &[(&str, &str)]) -> AccessGraph {
    let mut g = AccessGraph::default();
    let node = |g: &mut AccessGraph, id: &str, kind: &'static str, label: &str| {
        if !g.nodes.iter().any(|n| n.id == id) {
            g.nodes.push(GraphNode { id: id.into(), kind, label: label.into() });
        }
    };
    let agent = match ctx.platform {
        Platform::Fargate => "Fargate agent",
        Platform::Ec2 => "ECS container agent",
    };
    node(&mut g, "agent", "agent", agent);
    node(&mut g, "task", "task", &format!("task {}", ctx.task_id));
    let exec_role = td.execution_role_arn.as_deref().and_then(|a| ctx.roles.get(a));
    let task_role = td.task_role_arn.as_deref().and_then(|a| ctx.roles.get(a));
    let edge = |g: &mut AccessGraph,
                from: &str,
                to: &str,
                action: &str,
                role: Option<&Role>,
                resource: &str,
                session: &str| {
        let allowed = role.is_some_and(|r| r.authorize(session, action, resource).is_ok());
        g.edges.push(GraphEdge {
            from: from.into(),
            to: to.into(),
            action: action.into(),
            via_role: role.map(|r| r.role_name.clone()),
            allowed,
        });
    };
    if let Some(ir) = ctx.instance_role {
        node(&mut g, "ecs", "service", "Amazon ECS");
        edge(&mut g, "agent", "ecs", "ecs:RegisterContainerInstance", Some(ir), "*", "instance");
    }
    let pull_role = match ctx.platform {
        Platform::Fargate => exec_role,
        Platform::Ec2 => exec_role.or(ctx.instance_role),
    };
    for c in &td.container_definitions {
        if let ImageRef::Ecr { registry_id, region, repository, .. } = ecr::parse_image_uri(&c.image) {
            let id = format!("ecr:{repository}");
            node(&mut g, &id, "ecr", &format!("ECR {repository}"));
            let arn = format!("arn:aws:ecr:{region}:{registry_id}:repository/{repository}");
            edge(&mut g, "agent", &id, "ecr:GetAuthorizationToken", pull_role, "*", ctx.task_id);
            edge(&mut g, "agent", &id, "ecr:BatchGetImage", pull_role, &arn, ctx.task_id);
        }
        for s in &c.secrets {
            let (action, resource) = secret_resource(&s.value_from, ctx);
            let kind = if action.starts_with("ssm") { "ssm" } else { "secretsmanager" };
            node(&mut g, &resource, kind, &resource);
            edge(&mut g, "agent", &resource, &action, exec_role, &resource, ctx.task_id);
        }
        // environmentFiles: the agent downloads them with the execution role (crate::secrets).
        for f in crate::secrets::environment_files(c).unwrap_or_default() {
            node(&mut g, &f.arn, "s3", &f.arn);
            edge(&mut g, "agent", &f.arn, "s3:GetObject", exec_role, &f.arn, ctx.task_id);
        }
        if let Some((group, _, prefix)) = log_options(c) {
            let id = format!("logs:{group}");
            node(&mut g, &id, "logs", &format!("CloudWatch Logs {group}"));
            let role = match ctx.platform {
                Platform::Fargate => exec_role,
                Platform::Ec2 => ctx.instance_role,
            };
            let res = format!(
                "arn:aws:logs:{}:{}:log-group:{group}:log-stream:{prefix}/{}/{}",
                ctx.region, ctx.account_id, c.name, ctx.task_id
            );
            edge(&mut g, "agent", &id, "logs:CreateLogStream", role, &res, ctx.task_id);
        }
    }
    for (action, resource) in app_calls {
        let service = action.split(':').next().unwrap_or("aws");
        node(&mut g, resource, "resource", &format!("{service} {resource}"));
        edge(&mut g, "task", resource, action, task_role, resource, ctx.task_id);
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_wildcards() {
        assert!(glob("ecr:*", "ECR:BatchGetImage", true));
        assert!(glob("s3:Get*", "s3:GetObject", true));
        assert!(!glob("s3:Get*", "s3:PutObject", true));
        assert!(glob("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b", false));
        assert!(!glob("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/a", false), "resources are case-sensitive");
        assert!(glob("ecs:Submit*", "ecs:SubmitTaskStateChange", true));
        assert!(glob("s3:Get?bject", "s3:GetObject", true));
    }
}
