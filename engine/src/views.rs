//! Views out: plain structs of what the app shows, read from engine state, so the app maps fields
//! onto signals instead of indexing JSON, parsing ARNs or comparing AWS strings. Enums stay typed
//! here; `aws_name` spells them the way AWS (and the log, the snapshot and the exports) does, from
//! their serde renames: one spelling everywhere.

use crate::autoscaling::types::{parse_section, ECS_DIMENSION};
use crate::capacity::strategy::FARGATE_SPOT;
use crate::model::{DeploymentStatus, RolloutState, ServiceId, TaskDefRef};
use crate::Simulation;
use serde::Serialize;

/// AWS's spelling of an enum value (`RolloutState::InProgress` -> `IN_PROGRESS`): its serde name.
pub fn aws_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The name at the end of an ARN's resource, as the console shows it: a role's name
/// (`arn:aws:iam::123456789012:role/app-role` -> `app-role`), a Lambda function's
/// (`...:function:smoke-test` -> `smoke-test`). Anything else comes back as it is.
pub fn arn_resource_name(arn: &str) -> &str {
    if !arn.starts_with("arn:") {
        return arn;
    }
    arn.rsplit([':', '/']).next().filter(|n| !n.is_empty()).unwrap_or(arn)
}

/// The enum value AWS's spelling names (`"FARGATE"` -> `LaunchType::Fargate`), through its serde
/// rename: the inverse of `aws_name`, for a select whose options are AWS's values.
pub fn from_aws_name<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}

/// One deployment of a service, as DescribeServices reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentView {
    pub id: String,
    pub status: DeploymentStatus,
    pub task_definition: TaskDefRef,
    pub desired: u32,
    pub running: u32,
    pub pending: u32,
    /// "The number of consecutively failed tasks in the deployment" (the circuit breaker's count).
    pub failed: u32,
    pub rollout_state: RolloutState,
    pub rollout_state_reason: String,
}

/// The target tracking policy on a service's desired count and its scalable target's bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetTrackingView {
    pub policy_name: String,
    pub predefined_metric: String,
    pub target_value: f64,
    pub min_capacity: i64,
    pub max_capacity: i64,
}

/// ECR as the app's panel shows it (`Simulation::ecr_report`): the registry's repositories with
/// their images (DescribeImages), what the lifecycle policy would expire now
/// (GetLifecyclePolicyPreview) and what it already expired. Serialised, it has the API's field
/// names (`imageDetails`, `wouldExpire`, `appliedRulePriority`...).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EcrReportView {
    pub registry_id: String,
    pub region: String,
    pub repositories: Vec<EcrRepositoryView>,
}

/// One repository (DescribeRepositories) with its images and lifecycle preview.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EcrRepositoryView {
    pub repository_name: String,
    pub repository_uri: String,
    /// `MUTABLE` or `IMMUTABLE`.
    pub image_tag_mutability: String,
    pub has_lifecycle_policy: bool,
    /// Newest push first, as DescribeImages lists them.
    pub image_details: Vec<EcrImageView>,
    pub would_expire: Vec<EcrWouldExpireView>,
    pub expired: Vec<EcrExpiredView>,
}

/// One image, in DescribeImages' `imageDetails` field names.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EcrImageView {
    pub registry_id: String,
    pub repository_name: String,
    pub image_digest: String,
    /// Empty for an untagged image.
    pub image_tags: Vec<String>,
    /// ISO 8601 (or `T+<s>s` without the scenario's `startDate`).
    pub image_pushed_at: String,
    pub image_size_in_bytes: u64,
    /// Scan findings by severity (`CRITICAL`, `HIGH`...), in name order; `None` without a scan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_scan_findings_summary: Option<crate::ecr::ScanFindingsSummary>,
}

/// An image the lifecycle policy would expire now (GetLifecyclePolicyPreview's `previewResults`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EcrWouldExpireView {
    pub image_digest: String,
    pub image_tags: Vec<String>,
    pub image_pushed_at: String,
    pub action: EcrPreviewAction,
    pub applied_rule_priority: u32,
}

/// `action` of a preview result: `{"type": "EXPIRE"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EcrPreviewAction {
    #[serde(rename = "type")]
    pub action_type: String,
}

/// An image the lifecycle policy expired during the run, with the simulated second it happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EcrExpiredView {
    pub image_digest: String,
    pub image_tags: Vec<String>,
    pub expired_at_seconds: u64,
}

/// What the charts read from one log line: a metric datapoint, an alarm's new state or an
/// Application Auto Scaling activity (`chart_entry`).
#[derive(Debug, Clone, PartialEq)]
pub enum ChartEntry {
    /// `AWS/ECS CPUUtilization`, percent.
    Cpu(f64),
    /// `AWS/ApplicationELB RequestCount` over its period, per second.
    RequestsPerSecond(f64),
    /// A CloudWatch alarm changed state.
    AlarmState { alarm_name: String, state: crate::autoscaling::AlarmState },
    /// DescribeScalingActivities' `Description` (in English, as AWS writes it), and the desired
    /// count before and after when the activity changed it.
    ScalingActivity { description: String, change: Option<(u64, u64)> },
}

/// The chart entry a log line holds, if any (the line's detail in the log's own shapes: `Metric`
/// trace lines, CloudWatch Alarm State Change and ScalingActivity events).
pub fn chart_entry(e: &crate::log::LogEntry) -> Option<ChartEntry> {
    use crate::log::kind;
    let d = &e.detail;
    match e.detail_type {
        kind::METRIC => {
            let (name, v) = (d["metricName"].as_str()?, d["value"].as_f64()?);
            match (d["namespace"].as_str()?, name) {
                ("AWS/ECS", "CPUUtilization") => Some(ChartEntry::Cpu(v)),
                ("AWS/ApplicationELB", "RequestCount") => {
                    let period = d["period"].as_f64().filter(|p| *p > 0.0).unwrap_or(60.0);
                    Some(ChartEntry::RequestsPerSecond(v / period))
                }
                _ => None,
            }
        }
        kind::ALARM_STATE_CHANGE => {
            let state = d["state"]["value"].as_str().or(d["state"].as_str())?;
            Some(ChartEntry::AlarmState {
                alarm_name: d["alarmName"].as_str().unwrap_or("alarm").to_string(),
                state: crate::autoscaling::AlarmState::from_aws(state)?,
            })
        }
        kind::SCALING_ACTIVITY => Some(ChartEntry::ScalingActivity {
            description: d["Description"].as_str().unwrap_or_default().to_string(),
            change: d["FromDesiredCount"].as_u64().zip(d["ToDesiredCount"].as_u64()),
        }),
        _ => None,
    }
}

impl Simulation {
    /// The service's deployments that are not INACTIVE, newest last (DescribeServices' list).
    pub fn deployment_views(&self, s: ServiceId) -> Vec<DeploymentView> {
        let Some(svc) = self.state().services.get(s.idx()) else { return Vec::new() };
        svc.deployments
            .not_inactive()
            .map(|d| {
                let (running, pending) = self.deployment_counts(s, d);
                DeploymentView {
                    id: d.id.clone(),
                    status: d.status,
                    task_definition: d.task_def.clone(),
                    desired: d.desired_count,
                    running,
                    pending,
                    failed: d.failed_tasks,
                    rollout_state: d.rollout_state,
                    rollout_state_reason: d.rollout_state_reason.clone(),
                }
            })
            .collect()
    }

    /// Whether the service's capacity provider strategy places tasks on Fargate Spot.
    pub fn uses_fargate_spot(&self, service: &str) -> bool {
        let st = self.state();
        st.service_by_name(service)
            .and_then(|id| st.services.get(id.idx()))
            .is_some_and(|svc| svc.spec.capacity_provider_strategy.iter().any(|c| c.capacity_provider == FARGATE_SPOT))
    }

    /// The first TargetTrackingScaling policy with a predefined metric on the service whose
    /// Application Auto Scaling resource id is `resource_id`, with its scalable target's bounds, as
    /// the current scaling configuration (the scenario's, plus live changes) holds them.
    pub fn target_tracking_view(&self, resource_id: &str) -> Option<TargetTrackingView> {
        let section = parse_section(self.scenario().scaling.as_ref()?).ok()?;
        let target = section
            .scalable_targets
            .iter()
            .find(|t| t.resource_id == resource_id && t.scalable_dimension == ECS_DIMENSION)?;
        section.scaling_policies.iter().filter(|p| p.resource_id == resource_id).find_map(|p| {
            if p.policy_type.as_deref() != Some("TargetTrackingScaling") {
                return None;
            }
            let c = p.target_tracking_scaling_policy_configuration.as_ref()?;
            Some(TargetTrackingView {
                policy_name: p.policy_name.clone(),
                predefined_metric: c.predefined_metric_specification.as_ref()?.predefined_metric_type.clone(),
                target_value: c.target_value,
                min_capacity: target.min_capacity?,
                max_capacity: target.max_capacity?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_are_spelt_as_aws_spells_them() {
        assert_eq!(aws_name(&RolloutState::InProgress), "IN_PROGRESS");
        assert_eq!(aws_name(&DeploymentStatus::Primary), "PRIMARY");
        assert_eq!(aws_name(&crate::scenario::LaunchType::Fargate), "FARGATE");
        use crate::scenario::LaunchType;
        for lt in [LaunchType::Ec2, LaunchType::Fargate, LaunchType::External] {
            assert_eq!(from_aws_name::<LaunchType>(&aws_name(&lt)), Some(lt));
        }
        assert_eq!(from_aws_name::<LaunchType>("fargate"), None, "AWS's spelling only");
    }

    #[test]
    fn chart_entries_read_metrics_alarms_and_scaling_activities_from_the_log() {
        let text = include_str!("../../scenarios/autoscaling-target-tracking-cpu.json");
        let mut sim = crate::load(text, None).expect("loads");
        sim.run_until(2 * crate::time::HOUR);
        let entries: Vec<ChartEntry> = sim.log().entries().iter().filter_map(chart_entry).collect();
        let cpu = entries.iter().filter(|e| matches!(e, ChartEntry::Cpu(v) if (0.0..=100.0).contains(v))).count();
        assert!(cpu > 60, "a CPU datapoint a minute for two hours: {cpu}");
        // Every alarm state change the log holds is one of CloudWatch's three StateValues.
        let alarm_lines =
            sim.log().entries().iter().filter(|e| e.detail_type == crate::log::kind::ALARM_STATE_CHANGE).count();
        let alarms = entries.iter().filter(|e| matches!(e, ChartEntry::AlarmState { .. })).count();
        assert!(alarm_lines > 0);
        assert_eq!(alarms, alarm_lines);
        // Target tracking scales out: an activity that changed the desired count upwards.
        assert!(entries
            .iter()
            .any(|e| matches!(e, ChartEntry::ScalingActivity { description, change: Some((from, to)) }
            if description.starts_with("Setting desired count to ") && to > from)));
    }

    #[test]
    fn arn_resource_names_are_what_the_console_shows() {
        assert_eq!(arn_resource_name("arn:aws:iam::123456789012:role/ecsTaskExecutionRole"), "ecsTaskExecutionRole");
        assert_eq!(arn_resource_name("arn:aws:iam::123456789012:role/service-role/app"), "app");
        assert_eq!(arn_resource_name("arn:aws:lambda:us-east-1:123456789012:function:smoke-test"), "smoke-test");
        assert_eq!(arn_resource_name("app-role"), "app-role", "a name given as a name");
        assert_eq!(arn_resource_name("arn:aws:iam::123456789012:role/"), "arn:aws:iam::123456789012:role/");
    }

    #[test]
    fn a_rolling_update_shows_two_deployments_with_their_counts() {
        let text = include_str!("../../scenarios/rolling-update-50-100.json");
        let mut sim = crate::load(text, None).expect("loads");
        // Find a moment with two deployments: the rolling update has started.
        let mut seen_two = false;
        for t in (0..600).step_by(5) {
            sim.run_until(t * 1000);
            let views = sim.deployment_views(ServiceId(0));
            if views.len() == 2 {
                seen_two = true;
                assert_eq!(views.iter().filter(|d| d.status == DeploymentStatus::Primary).count(), 1);
                let primary = views.iter().find(|d| d.status == DeploymentStatus::Primary).expect("primary");
                assert_eq!(primary.rollout_state, RolloutState::InProgress);
                break;
            }
        }
        assert!(seen_two, "the rolling update scenario has an old and a new deployment at some moment");
    }

    #[test]
    fn target_tracking_view_reads_the_scenario_policy() {
        let text = include_str!("../../scenarios/autoscaling-target-tracking-cpu.json");
        let sim = crate::load(text, None).expect("loads");
        let st = sim.state();
        let svc = &st.services[0];
        let rid = format!("service/{}/{}", st.cluster_name, svc.service_name);
        let v = sim.target_tracking_view(&rid).expect("the scenario has a target tracking policy");
        assert!(v.min_capacity <= v.max_capacity);
        assert!(v.target_value > 0.0);
        assert!(v.predefined_metric.starts_with("ECSService") || v.predefined_metric == "ALBRequestCountPerTarget");
    }
}
