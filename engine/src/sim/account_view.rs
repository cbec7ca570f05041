//! Read-only views of the account for the UI panels: ECR repositories with what the lifecycle
//! policy would expire now (GetLifecyclePolicyPreview), and the IAM "who calls what" graph per
//! task definition with the failures the simulation produced.

use super::Simulation;
use crate::aws::ACCOUNT_ID;
use crate::iam::{self, AccessGraph};
use crate::model::StopCode;
use serde::Serialize;

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
    /// Repositories as DescribeRepositories/DescribeImages show them, plus `would_expire`: the
    /// GetLifecyclePolicyPreview result at the current time, and what was already expired.
    pub fn ecr_report(&self) -> crate::views::EcrReportView {
        use crate::views::{EcrExpiredView, EcrImageView, EcrPreviewAction, EcrRepositoryView, EcrWouldExpireView};
        let Some(reg) = self.account.registry() else { return crate::views::EcrReportView::default() };
        let repositories = reg
            .repositories
            .values()
            .map(|r| EcrRepositoryView {
                repository_name: r.repository_name.clone(),
                repository_uri: r.repository_uri.clone(),
                image_tag_mutability: r.image_tag_mutability.clone(),
                has_lifecycle_policy: r.lifecycle_policy.is_some(),
                image_details: r
                    .images_newest_first()
                    .into_iter()
                    .map(|im| EcrImageView {
                        registry_id: r.registry_id.clone(),
                        repository_name: r.repository_name.clone(),
                        image_digest: im.image_digest.clone(),
                        image_tags: im.image_tags.clone(),
                        image_pushed_at: im.image_pushed_at.clone(),
                        image_size_in_bytes: im.image_size_in_bytes,
                        image_scan_findings_summary: im.image_scan_findings_summary.clone(),
                    })
                    .collect(),
                would_expire: r
                    .preview_lifecycle_policy(self.now)
                    .into_iter()
                    .map(|p| EcrWouldExpireView {
                        image_pushed_at: reg.render_time(p.pushed_at_ms),
                        image_digest: p.image_digest,
                        image_tags: p.image_tags,
                        action: EcrPreviewAction { action_type: p.action.to_string() },
                        applied_rule_priority: p.applied_rule_priority,
                    })
                    .collect(),
                expired: self
                    .account
                    .expired_images()
                    .iter()
                    .filter(|(n, ..)| *n == r.repository_name)
                    .map(|(_, d, tags, at)| EcrExpiredView {
                        image_digest: d.clone(),
                        image_tags: tags.clone(),
                        expired_at_seconds: at / 1000,
                    })
                    .collect(),
            })
            .collect();
        crate::views::EcrReportView { registry_id: reg.account_id.clone(), region: reg.region.clone(), repositories }
    }

    /// The who-calls-what graph for each registered task definition revision that tasks used
    /// (or the latest revision of each family when none ran yet). Empty without `iamRoles`.
    pub fn iam_report(&self) -> Vec<IamView> {
        let Some(roles) = self.account.roles() else { return Vec::new() };
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
                registry: self.account.registry(),
                secrets: Some(self.account.store()),
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
                .app_calls()
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

#[cfg(test)]
mod tests {
    use crate::Simulation;

    fn lesson_sim() -> Simulation {
        crate::load(include_str!("../../../lessons/ecr-lifecycle-missing-tag.json"), None).expect("the lesson loads")
    }

    #[test]
    fn the_ecr_report_lists_images_as_describe_images_does() {
        let sim = lesson_sim();
        let report = sim.ecr_report();
        let reg = sim.account.registry().expect("the lesson has an ECR registry");
        assert_eq!(report.repositories.len(), reg.repositories.len());
        for repo in &report.repositories {
            // The view serialises to DescribeImages' own imageDetails, field for field.
            let described = reg.describe_images(&repo.repository_name).expect("repository exists");
            let view = serde_json::to_value(&repo.image_details).expect("serialisable");
            assert_eq!(view, described["imageDetails"], "{}", repo.repository_name);
        }
        // GetLifecyclePolicyPreview's field names: rule 1 expires the untagged image pushed 22 days
        // before the start, rule 2 the oldest "v" tag beyond the two newest.
        let repo = serde_json::to_value(&report.repositories[0]).expect("serialisable");
        let expire = repo["wouldExpire"].as_array().expect("a list");
        assert_eq!(expire.len(), 2);
        assert_eq!(expire[0]["action"]["type"], "EXPIRE");
        assert!(expire.iter().all(|e| e["imageDigest"].is_string() && e["appliedRulePriority"].is_u64()));
        assert_eq!(repo["hasLifecyclePolicy"], true);
        assert_eq!(repo["expired"], serde_json::json!([]));
    }

    #[test]
    fn expired_images_appear_once_the_daily_evaluation_ran() {
        // "images become expired within 24 hours after they meet the expiration criteria".
        let mut sim = lesson_sim();
        sim.run_until(24 * 3_600_000);
        let repo = &sim.ecr_report().repositories[0];
        assert_eq!(repo.expired.len(), 2);
        assert!(repo.expired.iter().all(|e| e.expired_at_seconds <= 24 * 3_600));
        assert_eq!(repo.image_details.len(), 3);
        assert!(repo.would_expire.is_empty(), "nothing left to expire");
    }
}
