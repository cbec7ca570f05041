//! Read-only views of the account for the UI panels: ECR repositories with what the lifecycle
//! policy would expire now (GetLifecyclePolicyPreview), and the IAM "who calls what" graph per
//! task definition with the failures the simulation produced.

use super::Simulation;
use crate::aws::ACCOUNT_ID;
use crate::iam::{self, AccessGraph};
use crate::model::StopCode;
use serde::Serialize;
use serde_json::{json, Value};

/// One task definition's access graph and what failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IamView {
    pub task_definition: String,
    pub execution_role: Option<String>,
    pub task_role: Option<String>,
    pub instance_role: Option<String>,
    pub graph: AccessGraph,
    /// stoppedReasons of tasks of this revision that failed to start on a role gap.
    pub start_failures: Vec<String>,
    /// Denied application calls of tasks of this revision ("AccessDenied ..."), newest last.
    pub denied_calls: Vec<String>,
}

impl Simulation {
    /// Repositories as DescribeRepositories/DescribeImages show them, plus `wouldExpire`: the
    /// GetLifecyclePolicyPreview result at the current time, and what was already expired.
    pub fn ecr_report(&self) -> Value {
        let Some(reg) = &self.account.registry else { return json!({"repositories": []}) };
        let repos: Vec<Value> = reg
            .repositories
            .values()
            .map(|r| {
                let images =
                    reg.describe_images(&r.repository_name).map(|v| v["imageDetails"].clone()).unwrap_or_default();
                let preview: Vec<Value> = r
                    .preview_lifecycle_policy(self.now)
                    .into_iter()
                    .map(|p| {
                        json!({"imageDigest": p.image_digest, "imageTags": p.image_tags,
                               "imagePushedAt": reg.render_time(p.pushed_at_ms), "action": {"type": p.action},
                               "appliedRulePriority": p.applied_rule_priority})
                    })
                    .collect();
                let expired: Vec<Value> = self
                    .account
                    .expired_images
                    .iter()
                    .filter(|(n, ..)| *n == r.repository_name)
                    .map(|(_, d, tags, at)| json!({"imageDigest": d, "imageTags": tags, "expiredAtSeconds": at / 1000}))
                    .collect();
                json!({
                    "repositoryName": r.repository_name,
                    "repositoryUri": r.repository_uri,
                    "imageTagMutability": r.image_tag_mutability,
                    "hasLifecyclePolicy": r.lifecycle_policy.is_some(),
                    "imageDetails": images,
                    "wouldExpire": preview,
                    "expired": expired,
                })
            })
            .collect();
        json!({"registryId": reg.account_id, "region": reg.region, "repositories": repos})
    }

    /// The who-calls-what graph for each registered task definition revision that tasks used
    /// (or the latest revision of each family when none ran yet). Empty without `iamRoles`.
    pub fn iam_report(&self) -> Vec<IamView> {
        let Some(roles) = &self.account.roles else { return Vec::new() };
        let mut out = Vec::new();
        for revs in self.state.task_defs.families.values() {
            let Some(td) = revs.last() else { continue };
            let fr = td.family_revision();
            let task = self.state.tasks.iter().rev().find(|t| t.task_def.family == td.family);
            let platform = match task.map(|t| t.launch_type) {
                Some(crate::scenario::LaunchType::Fargate) => crate::ecr::Platform::Fargate,
                Some(_) => crate::ecr::Platform::Ec2,
                None if td.compatibilities.contains(&crate::taskdef::Compatibility::Fargate) => {
                    crate::ecr::Platform::Fargate
                }
                None => crate::ecr::Platform::Ec2,
            };
            let instance_role_name = match platform {
                crate::ecr::Platform::Ec2 => task
                    .and_then(|t| t.instance)
                    .and_then(|i| self.state.instances.get(i.idx()))
                    .or_else(|| self.state.instances.first())
                    .and_then(|i| i.iam_role.clone()),
                crate::ecr::Platform::Fargate => None,
            };
            let ctx = iam::StartContext {
                platform,
                account_id: ACCOUNT_ID,
                region: &self.state.region,
                task_id: task.map(|t| t.task_id.as_str()).unwrap_or("(no task yet)"),
                roles,
                instance_role: instance_role_name.as_deref().and_then(|r| roles.get(r)),
                registry: self.account.registry.as_ref(),
                secrets: Some(&self.account.store),
            };
            let calls: Vec<(String, String)> = self
                .scenario
                .container_behaviors
                .iter()
                .filter(|b| b.task_definition.split(':').next() == Some(td.family.as_str()))
                .flat_map(|b| b.app_calls.iter().map(|c| (c.action.clone(), c.resource.clone())))
                .collect();
            let call_refs: Vec<(&str, &str)> = calls.iter().map(|(a, r)| (a.as_str(), r.as_str())).collect();
            let graph = iam::access_graph(&td.request, &ctx, &call_refs);
            let start_failures: Vec<String> = self
                .state
                .tasks
                .iter()
                .filter(|t| t.task_def.family == td.family && t.stop_code == Some(StopCode::TaskFailedToStart))
                .filter_map(|t| t.stopped_reason.clone())
                .fold(Vec::new(), |mut v, r| {
                    if !v.contains(&r) {
                        v.push(r);
                    }
                    v
                });
            let denied_calls: Vec<String> = self
                .account
                .app_calls
                .iter()
                .filter(|c| !c.allowed && c.task_definition.split(':').next() == Some(td.family.as_str()))
                .map(|c| format!("{} on {}: {}", c.action, c.resource, c.error.as_deref().unwrap_or("denied")))
                .fold(Vec::new(), |mut v, r| {
                    if !v.contains(&r) {
                        v.push(r);
                    }
                    v
                });
            out.push(IamView {
                task_definition: fr,
                execution_role: td.request.execution_role_arn.clone(),
                task_role: td.request.task_role_arn.clone(),
                instance_role: instance_role_name,
                graph,
                start_failures,
                denied_calls,
            });
        }
        out
    }
}
