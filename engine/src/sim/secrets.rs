//! Secrets and environment files at run time, and the IAM calls that fix a role while the
//! simulation runs.
//!
//! - `execution_resources_failure`: after the execution role's permission checks
//!   (`iam::check_execution_role`, sim/account.rs) the agent resolves the task's `secrets` and
//!   `environmentFiles` (`crate::secrets::check_start`): a parameter or secret the scenario does
//!   not declare, or an environment file the role may not read, stops the task before its
//!   containers start. Simplification: the playground checks existence after every permission
//!   check (image pull and log stream included), where the agent resolves secrets before the pull.
//! - `PutRolePolicy` ("Adds or updates an inline policy document that is embedded in the
//!   specified IAM role", https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html):
//!   a policy with the same name is replaced. `AttachRolePolicy` attaches an AWS managed policy
//!   (https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html). Unknown
//!   roles answer `NoSuchEntity` "The role with name <name> cannot be found.". The next task
//!   start uses the new permissions (IAM is eventually consistent; the playground applies at once).

use super::Simulation;
use crate::aws::ACCOUNT_ID;
use crate::error::{ApiError, ApiResult};
use crate::iam::{Roles, Statement};
use crate::model::TaskId;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// IAM PutRolePolicy request body (PascalCase as the API). `PolicyDocument` is the policy JSON,
/// as a string (the API's type) or written as an object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PutRolePolicyInput {
    pub role_name: String,
    pub policy_name: String,
    pub policy_document: Value,
}

/// IAM AttachRolePolicy request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AttachRolePolicyInput {
    pub role_name: String,
    /// `arn:aws:iam::aws:policy/<name>` of a managed policy the playground knows (`iam::managed_policy`).
    pub policy_arn: String,
}

fn no_such_role(name: &str) -> ApiError {
    ApiError::new("NoSuchEntity", "RoleName", format!("The role with name {name} cannot be found."))
}

impl Simulation {
    /// The stoppedReason when a task's secrets or environment files cannot be resolved.
    pub(super) fn execution_resources_failure(&self, id: TaskId) -> Option<String> {
        let t = self.state.tasks.get(id.idx())?;
        let td = self.state.task_defs.get(&t.task_def)?;
        let uses = td
            .request
            .container_definitions
            .iter()
            .any(|c| !c.secrets.is_empty() || c.other.contains_key("environmentFiles"));
        if !uses {
            return None;
        }
        let roles = self.account.roles();
        let view = crate::secrets::StartView {
            store: self.account.store(),
            execution_role: td.request.execution_role_arn.as_deref().and_then(|a| roles.and_then(|r| r.get(a))),
            roles_declared: roles.is_some(),
            task_id: &t.task_id,
        };
        crate::secrets::check_start(&td.request, &view).err()
    }

    /// IAM PutRolePolicy: add (or replace) an inline policy of a scenario role.
    pub(super) fn put_role_policy(&mut self, req: PutRolePolicyInput) -> ApiResult<Value> {
        if !self.account.has_role(&req.role_name) {
            return Err(no_such_role(&req.role_name));
        }
        if req.policy_name.is_empty() || req.policy_name.len() > 128 {
            return Err(ApiError::new("ValidationError", "PolicyName", "PolicyName must be 1-128 characters."));
        }
        let doc = match &req.policy_document {
            Value::String(s) => serde_json::from_str::<Value>(s).map_err(|e| {
                ApiError::new("MalformedPolicyDocument", "PolicyDocument", format!("The policy is not valid JSON: {e}"))
            })?,
            v @ Value::Object(_) => v.clone(),
            _ => {
                return Err(ApiError::new(
                    "MalformedPolicyDocument",
                    "PolicyDocument",
                    "PolicyDocument must be a policy JSON document.",
                ))
            }
        };
        // The scenario parser reads policy documents; its field paths are rewritten to this call's.
        let parsed = Roles::from_scenario(&json!([{"roleName": req.role_name, "policies": [doc]}]), ACCOUNT_ID)
            .map_err(|mut e| {
                e.field = e.field.replace("iamRoles[0].policies[0]", "PolicyDocument");
                e
            })?;
        let statements: Vec<Statement> = parsed.by_name.into_values().next().map(|r| r.statements).unwrap_or_default();
        if !self.account.put_inline_policy(&req.role_name, &req.policy_name, statements) {
            return Err(no_such_role(&req.role_name));
        }
        Ok(json!({}))
    }

    /// IAM AttachRolePolicy: attach an AWS managed policy to a scenario role.
    pub(super) fn attach_role_policy(&mut self, req: AttachRolePolicyInput) -> ApiResult<Value> {
        if !self.account.has_role(&req.role_name) {
            return Err(no_such_role(&req.role_name));
        }
        let short = req.policy_arn.strip_prefix("arn:aws:iam::aws:policy/").unwrap_or("");
        let short = short.rsplit('/').next().unwrap_or(short).to_string();
        let statements = crate::iam::managed_policy(&short).ok_or_else(|| {
            ApiError::new(
                "NoSuchEntity",
                "PolicyArn",
                format!("Policy {} does not exist or is not attachable.", req.policy_arn),
            )
        })?;
        if !self.account.attach_managed_policy(&req.role_name, short, statements) {
            return Err(no_such_role(&req.role_name));
        }
        Ok(json!({}))
    }
}
