//! The AWS account around the cluster, wired into the task lifecycle: ECR repositories that
//! image pulls resolve against, IAM roles the agent and the application use, and the price
//! table the bill is computed from. Each part is optional: a scenario without `ecrRepositories`
//! or `iamRoles` behaves exactly as before (images are public, every call is allowed).
//!
//! Where the rules live: `crate::ecr` (resolve, pull errors, lifecycle policies), `crate::iam`
//! (policy evaluation, execution-role start checks, app calls), `crate::cost` (billing).

use super::Simulation;
use crate::aws::ACCOUNT_ID;
use crate::cost::PriceTable;
use crate::ecr::{self, Platform, Resolved};
use crate::error::{ApiError, ApiResult};
use crate::iam::{self, AppCall, Roles, StartContext};
use crate::log::kind;
use crate::model::{Task, TaskId};
use crate::scenario::LaunchType;
use crate::time::SimTime;
use serde::Serialize;
use serde_json::{json, Value};

/// ECR, IAM and prices for one simulation. The fields are private: the simulation changes them
/// through the named methods below and reads them through the accessors.
#[derive(Debug, Clone, Default)]
pub struct Account {
    registry: Option<ecr::Registry>,
    roles: Option<Roles>,
    /// The built-in dated price table (None only if it failed to parse, which a test forbids).
    prices: Option<PriceTable>,
    /// Every application call made so far, allowed or denied, newest last.
    app_calls: Vec<AppCallRecord>,
    /// Images expired by lifecycle policies so far: (repository, digest, tags, at).
    expired_images: Vec<(String, String, Vec<String>, SimTime)>,
    /// SSM parameters, Secrets Manager secrets and S3 objects (`crate::secrets`).
    store: crate::secrets::Store,
    /// Inline policies PutRolePolicy added: (role name, policy name) -> its statements
    /// (sim/secrets.rs).
    inline_policies: std::collections::BTreeMap<(String, String), Vec<iam::Statement>>,
}

/// One application call as the IAM graph and the events list show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppCallRecord {
    pub at: SimTime,
    pub task_id: String,
    pub task_definition: String,
    pub container_name: String,
    pub action: String,
    pub resource: String,
    /// The role whose credentials signed the call (task role, or the instance role on EC2).
    pub role: Option<String>,
    pub allowed: bool,
    /// `AccessDenied` / `NoCredentials` message when not allowed.
    pub error: Option<String>,
}

impl Account {
    /// Build from the scenario's `ecrRepositories` and `iamRoles` (errors name the field).
    pub fn from_scenario(scenario: &crate::scenario::Scenario, region: &str) -> ApiResult<Self> {
        // ECR push times may be dates: `startDate`, else the scheduler's `startTime` (UTC).
        let start = scenario.start_date.clone().or_else(|| {
            scenario.start_time.as_ref().map(|t| if t.ends_with('Z') { t.clone() } else { format!("{t}Z") })
        });
        let registry = match &scenario.ecr_repositories {
            Some(v) => Some(ecr::Registry::from_scenario(v, ACCOUNT_ID, region, start.as_deref())?),
            None => None,
        };
        let roles = match &scenario.iam_roles {
            Some(v) => Some(Roles::from_scenario(v, ACCOUNT_ID)?),
            None => None,
        };
        for (i, g) in scenario.container_instances.iter().enumerate() {
            if let (Some(name), Some(r)) = (&g.iam_instance_profile, &roles) {
                if r.get(name).is_none() {
                    return Err(ApiError::invalid(
                        format!("containerInstances[{i}].iamInstanceProfile"),
                        format!("\"{name}\" names no role in iamRoles"),
                    ));
                }
            }
        }
        let store = crate::secrets::Store::from_scenario(
            scenario.ssm_parameters.as_deref(),
            scenario.secrets_manager_secrets.as_deref(),
            scenario.s3_objects.as_deref(),
            region,
            ACCOUNT_ID,
        )?;
        Ok(Account {
            registry,
            roles,
            prices: PriceTable::builtin().ok(),
            app_calls: Vec::new(),
            expired_images: Vec::new(),
            store,
            inline_policies: Default::default(),
        })
    }

    /// The scenario's ECR registry (None without `ecrRepositories`).
    pub fn registry(&self) -> Option<&ecr::Registry> {
        self.registry.as_ref()
    }

    /// The scenario's IAM roles (None without `iamRoles`).
    pub fn roles(&self) -> Option<&Roles> {
        self.roles.as_ref()
    }

    /// The built-in dated price table.
    pub fn prices(&self) -> Option<&PriceTable> {
        self.prices.as_ref()
    }

    /// Every application call made so far, allowed or denied, newest last.
    pub fn app_calls(&self) -> &[AppCallRecord] {
        &self.app_calls
    }

    /// Images expired by lifecycle policies so far: (repository, digest, tags, at).
    pub fn expired_images(&self) -> &[(String, String, Vec<String>, SimTime)] {
        &self.expired_images
    }

    /// SSM parameters, Secrets Manager secrets and S3 objects.
    pub fn store(&self) -> &crate::secrets::Store {
        &self.store
    }

    /// Whether the scenario declares a role of this name.
    pub fn has_role(&self, name: &str) -> bool {
        self.roles.as_ref().is_some_and(|r| r.by_name.contains_key(name))
    }

    /// IAM PutRolePolicy on a declared role: the policy's statements replace the ones an earlier
    /// policy of the same name added ("If you use a policy name that already exists, the policy
    /// is replaced"). False (nothing changed) when no role has the name.
    /// <https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html>
    pub(super) fn put_inline_policy(
        &mut self,
        role_name: &str,
        policy_name: &str,
        statements: Vec<iam::Statement>,
    ) -> bool {
        let Some(role) = self.roles.as_mut().and_then(|r| r.by_name.get_mut(role_name)) else { return false };
        let key = (role_name.to_string(), policy_name.to_string());
        let old = self.inline_policies.insert(key, statements.clone()).unwrap_or_default();
        for st in &old {
            if let Some(k) = role.statements.iter().position(|s| s == st) {
                role.statements.remove(k);
            }
        }
        role.statements.extend(statements);
        true
    }

    /// IAM AttachRolePolicy of an AWS managed policy (by its short name) on a declared role;
    /// attaching it again changes nothing. False (nothing changed) when no role has the name.
    /// <https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html>
    pub(super) fn attach_managed_policy(
        &mut self,
        role_name: &str,
        short: String,
        statements: Vec<iam::Statement>,
    ) -> bool {
        let Some(role) = self.roles.as_mut().and_then(|r| r.by_name.get_mut(role_name)) else { return false };
        if !role.managed_policies.contains(&short) {
            role.managed_policies.push(short);
            role.statements.extend(statements);
        }
        true
    }

    /// Record one application call (after it was logged).
    fn record_app_call(&mut self, r: AppCallRecord) {
        self.app_calls.push(r);
    }

    /// Apply every repository's lifecycle policy at `now`: the images expired, per repository.
    fn expire_images(&mut self, now: SimTime) -> Vec<(String, ecr::lifecycle_policy::PreviewResult)> {
        let Some(reg) = self.registry.as_mut() else { return Vec::new() };
        let mut expired = Vec::new();
        for (name, repo) in reg.repositories.iter_mut() {
            for e in repo.apply_lifecycle_policy(now) {
                expired.push((name.clone(), e));
            }
        }
        expired
    }

    /// Remember an image a lifecycle policy expired.
    fn record_expired_image(&mut self, repository: String, digest: String, tags: Vec<String>, at: SimTime) {
        self.expired_images.push((repository, digest, tags, at));
    }
}

fn platform(t: &Task) -> Platform {
    match t.launch_type {
        LaunchType::Fargate => Platform::Fargate,
        _ => Platform::Ec2,
    }
}

impl Simulation {
    /// The ECR/IAM view the agent has of one task.
    pub(super) fn start_context(&self, id: TaskId) -> Option<(StartContext<'_>, &crate::taskdef::TaskDefinition)> {
        let roles = self.account.roles()?;
        let t = self.state.tasks.get(id.idx())?;
        let td = self.state.task_defs.get(&t.task_def)?;
        let instance_role = t
            .instance
            .and_then(|i| self.state.instances.get(i.idx()))
            .and_then(|i| i.iam_role.as_deref())
            .and_then(|r| roles.get(r));
        let ctx = StartContext {
            platform: platform(t),
            account_id: ACCOUNT_ID,
            region: &self.state.region,
            task_id: &t.task_id,
            roles,
            instance_role,
            registry: self.account.registry(),
            secrets: Some(self.account.store()),
        };
        Some((ctx, td))
    }

    /// Before the containers start the agent authenticates to ECR, fetches secrets and creates
    /// the awslogs stream with the execution role (instance role for some of it on EC2). A gap
    /// stops the task: `TaskFailedToStart` with the stoppedReason ECS shows (e.g.
    /// "ResourceInitializationError: unable to pull secrets or registry auth: ..."). Only when
    /// the scenario declares `iamRoles`.
    pub(super) fn execution_role_failure(&self, id: TaskId) -> Option<String> {
        let (ctx, td) = self.start_context(id)?;
        iam::check_execution_role(&td.request, &ctx).err().map(|f| f.stopped_reason)
    }

    /// A missing repository or tag in the scenario's ECR registry: the stoppedReason for this
    /// task's platform (ECS guide, "CannotPullContainer task errors").
    pub(super) fn ecr_pull_failure(&self, id: TaskId) -> Option<String> {
        let reg = self.account.registry()?;
        let t = self.state.tasks.get(id.idx())?;
        let td = self.state.task_defs.get(&t.task_def)?;
        td.containers().iter().find_map(|c| reg.resolve(&c.image).err().map(|e| e.stopped_reason(platform(t))))
    }

    /// Megabytes to pull for these images: the ECR image size where the registry knows the image,
    /// else the scenario's default `imageSizeMb` per image. None without a registry (the
    /// lifecycle's one-image default applies, as before).
    pub(super) fn ecr_pull_mb(&self, images: &[String]) -> Option<f64> {
        let reg = self.account.registry()?;
        let mut mb = 0.0;
        for im in images {
            mb += match reg.resolve(im) {
                Ok(Resolved::Ecr(image)) => image.size_mb(),
                _ => self.timings.image_size_mb,
            };
        }
        Some(mb)
    }

    /// The task reached RUNNING: its application makes the calls `containerBehaviors[].appCalls`
    /// declares, signed with the task role ("This role allows your application code (on the
    /// container) to use other AWS services"). A denied call is the application's problem, not
    /// ECS's: it is logged as AccessDenied and the task keeps running.
    pub(super) fn run_app_calls(&mut self, id: TaskId) {
        let Some(roles) = self.account.roles() else { return };
        let Some(t) = self.state.tasks.get(id.idx()) else { return };
        let Some(td) = self.state.task_defs.get(&t.task_def) else { return };
        let mut calls = Vec::new();
        for c in td.containers() {
            let Some(b) = self.behavior(id, &c.name) else { continue };
            for call in &b.app_calls {
                calls.push((c.name.clone(), call.action.clone(), call.resource.clone()));
            }
        }
        if calls.is_empty() {
            return;
        }
        let task_role = td.request.task_role_arn.as_deref().and_then(|a| roles.get(a));
        let inst = t.instance.and_then(|i| self.state.instances.get(i.idx()));
        let instance_role = inst.and_then(|i| i.iam_role.as_deref()).and_then(|r| roles.get(r));
        let instance_id = inst.map(|i| i.ec2_instance_id.clone()).unwrap_or_default();
        let mut records = Vec::new();
        for (container, action, resource) in calls {
            let outcome =
                iam::app_call(task_role, instance_role, platform(t), &t.task_id, &instance_id, &action, &resource);
            let role = match (task_role, platform(t), instance_role) {
                (Some(r), _, _) => Some(r.role_name.clone()),
                (None, Platform::Ec2, Some(r)) => Some(r.role_name.clone()),
                _ => None,
            };
            let (allowed, error) = match outcome {
                AppCall::Ok => (true, None),
                AppCall::AccessDenied(m) | AppCall::NoCredentials(m) => (false, Some(m)),
            };
            records.push(AppCallRecord {
                at: self.now,
                task_id: t.task_id.clone(),
                task_definition: td.family_revision(),
                container_name: container,
                action,
                resource,
                role,
                allowed,
                error,
            });
        }
        for r in records {
            let detail = json!({
                "taskArn": self.state.tasks[id.idx()].task_arn,
                "containerName": r.container_name,
                "eventName": r.action,
                "resource": r.resource,
                "role": r.role,
                "errorCode": if r.allowed { Value::Null } else if r.role.is_some() { json!("AccessDenied") } else { json!("NoCredentials") },
                "errorMessage": r.error,
            });
            self.log.push(self.now, kind::APP_CALL, detail);
            self.account.record_app_call(r);
        }
    }

    /// ECR: "Once a lifecycle policy is applied to a repository, you should expect that images
    /// become expired within 24 hours after they meet the expiration criteria." The playground
    /// applies the policies once per simulated day.
    pub(super) fn apply_ecr_lifecycle(&mut self) {
        let now = self.now;
        let expired = self.account.expire_images(now);
        for (repo, e) in expired {
            let detail = json!({
                "action-type": "EXPIRE",
                "repository-name": repo,
                "image-digest": e.image_digest,
                "image-tags": e.image_tags,
                "applied-rule-priority": e.applied_rule_priority,
                "result": "SUCCESS",
            });
            self.log.push(now, kind::ECR_LIFECYCLE, detail);
            self.account.record_expired_image(repo, e.image_digest, e.image_tags, now);
        }
    }

    /// The account's ECR, IAM and app-call state (read-only, for the views).
    pub fn account(&self) -> &Account {
        &self.account
    }
}
