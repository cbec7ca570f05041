//! Service deployments as the ECS API shows and stops them: StopServiceDeployment, and the
//! `ServiceDeployment` / `ServiceDeploymentBrief` shapes of DescribeServiceDeployments and
//! ListServiceDeployments (member names and enums: botocore's ecs model).
//!
//! Rules implemented:
//! - https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopServiceDeployment.html:
//!   "ROLLBACK - This option rolls back the service deployment to the previous service revision.
//!   You can use this option even if you didn't configure the service deployment for the rollback
//!   option." Request `serviceDeploymentArn` (required), `stopType` (ABORT | ROLLBACK); response
//!   `serviceDeploymentArn`.
//! - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stop-service-deployment.html: a
//!   deployment IN_PROGRESS (or PENDING) "moves to the ROLLBACK_REQUESTED state, and then the
//!   rollback operation starts"; one already ROLLBACK_REQUESTED or ROLLBACK_IN_PROGRESS "continues
//!   the rollback operation"; STOP_REQUESTED "continues to stop". Anything else has finished and
//!   is refused (ConflictException, the API's error for "a conflict in the current state").
//! - The rollback itself is the one the circuit breaker and deployment alarms use (sim/deployment.rs
//!   `roll_back_to_completed`): the most recent COMPLETED deployment is PRIMARY again; for
//!   blue/green, linear and canary "you can quickly revert to the blue deployment without extended
//!   service disruption" (deployment-type-blue-green.html): blue still runs, so production and test
//!   traffic go back to blue at once and green is scaled down (sim/blue_green.rs).
//! - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html: states
//!   IN_PROGRESS, SUCCESSFUL, STOPPED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED;
//!   `ServiceDeployment.stoppedAt`: it "stops when ... A user manually stops the deployment [or]
//!   The rollback option is not in use for the failure detection mechanism ... and the service
//!   fails."
//!
//! Simplified / ASSUMED: ROLLBACK_REQUESTED lasts no simulated time (the rollback starts in the
//! same instant). `stopType` ABORT, an enum value the documentation does not describe, stops the
//! deployment where it is (STOPPED, no rollback, no further launches or traffic shifts); no
//! `stopType` means ROLLBACK, the one documented value. Without a COMPLETED deployment to return
//! to (the service's first deployment) a ROLLBACK is refused with ConflictException. The service
//! deployment ARN's last part is the deployment id's digits (AWS uses another random id); a
//! service revision ARN likewise.

use super::Simulation;
use crate::command::{StopServiceDeploymentInput, StopType};
use crate::error::{ApiError, ApiResult};
use crate::model::{DeploymentStatus, RolloutState, ServiceId};
use crate::time::SimTime;
use serde_json::{json, Value};

/// The reason a deployment stopped by StopServiceDeployment ROLLBACK gives (the playground's wording).
pub const USER_ROLLBACK_REASON: &str = "Service deployment rolled back because of a StopServiceDeployment request.";
/// The reason of a deployment stopped by StopServiceDeployment ABORT (the playground's wording).
pub const USER_ABORT_REASON: &str = "Service deployment stopped because of a StopServiceDeployment request.";

impl Simulation {
    fn deployment_suffix(&self, s: ServiceId, dep: u32) -> String {
        let d = &self.state.services[s.idx()].deployments[dep as usize];
        d.id.rsplit('/').next().unwrap_or(&d.id).to_string()
    }

    /// The ARN of deployment `dep` of service `s` as a service deployment
    /// (`arn:aws:ecs:region:account:service-deployment/cluster/service/id`).
    pub fn service_deployment_arn(&self, s: ServiceId, dep: u32) -> String {
        let svc = &self.state.services[s.idx()];
        format!(
            "{}/{}",
            svc.service_arn.replacen(":service/", ":service-deployment/", 1),
            self.deployment_suffix(s, dep)
        )
    }

    fn service_revision_arn(&self, s: ServiceId, dep: u32) -> String {
        let svc = &self.state.services[s.idx()];
        format!("{}/{}", svc.service_arn.replacen(":service/", ":service-revision/", 1), self.deployment_suffix(s, dep))
    }

    /// The ARN of the service's deployment in progress (not a rollback), which StopServiceDeployment
    /// stops: what the console's Rollback button names.
    pub fn deployment_in_progress_arn(&self, service: &str) -> Option<String> {
        let s = self.state.service_by_name(service)?;
        let dep = self.deployment_in_progress(s)?;
        Some(self.service_deployment_arn(s, dep))
    }

    fn deployment_in_progress(&self, s: ServiceId) -> Option<u32> {
        let p = self.primary_deployment(s)?;
        (self.service_deployment_status(s, p) == "IN_PROGRESS").then_some(p)
    }

    /// `serviceDeploymentArn`: the ARN, a deployment id (`ecs-svc/...`), or (the playground's
    /// shorthand for timelines) a service name or ARN meaning its deployment in progress.
    fn find_service_deployment(&self, r: &str) -> ApiResult<(ServiceId, u32)> {
        let not_found = || {
            ApiError::new(
                "ServiceDeploymentNotFoundException",
                "serviceDeploymentArn",
                format!("The service deployment {r} does not exist."),
            )
        };
        if let Some(rest) = r.split(":service-deployment/").nth(1) {
            let mut parts = rest.split('/');
            let (_, service, id) = (parts.next(), parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
            let s = self.state.service_by_name(service).ok_or_else(not_found)?;
            let n = self.state.services[s.idx()].deployments.len() as u32;
            return (0..n).find(|&d| self.deployment_suffix(s, d) == id).map(|d| (s, d)).ok_or_else(not_found);
        }
        if r.starts_with("ecs-svc/") {
            for (i, svc) in self.state.services.iter().enumerate() {
                if let Some(d) = svc.deployments.index_of(r) {
                    return Ok((ServiceId(i as u32), d));
                }
            }
            return Err(not_found());
        }
        let s = self.state.service_by_name(r).ok_or_else(not_found)?;
        let p = self.deployment_in_progress(s).ok_or_else(|| {
            ApiError::new(
                "ConflictException",
                "serviceDeploymentArn",
                format!("Service {r} has no service deployment in progress."),
            )
        })?;
        Ok((s, p))
    }

    /// The `ServiceDeploymentStatus` of deployment `dep`.
    pub fn service_deployment_status(&self, s: ServiceId, dep: u32) -> &'static str {
        let svc = &self.state.services[s.idx()];
        let d = &svc.deployments[dep as usize];
        match &d.stop {
            Some(stop) => match stop.rollback_to.and_then(|t| svc.deployments.get(t as usize)) {
                None => "STOPPED",
                Some(t) => match t.rollout_state {
                    RolloutState::InProgress => "ROLLBACK_IN_PROGRESS",
                    RolloutState::Completed => "ROLLBACK_SUCCESSFUL",
                    RolloutState::Failed => "ROLLBACK_FAILED",
                },
            },
            // A deployment that completed once stays SUCCESSFUL, also while a later deployment
            // rolls back to it (the rollback belongs to the later one).
            None if d.finished_at.is_some() => "SUCCESSFUL",
            None => match d.rollout_state {
                RolloutState::InProgress => "IN_PROGRESS",
                RolloutState::Completed => "SUCCESSFUL",
                RolloutState::Failed => "STOPPED",
            },
        }
    }

    /// StopServiceDeployment.
    pub(super) fn stop_service_deployment(&mut self, inp: StopServiceDeploymentInput) -> ApiResult<Value> {
        let (s, dep) = self.find_service_deployment(&inp.service_deployment_arn)?;
        let arn = self.service_deployment_arn(s, dep);
        match self.service_deployment_status(s, dep) {
            "IN_PROGRESS" => {}
            // "The service deployment continues the rollback operation."
            "ROLLBACK_IN_PROGRESS" => return Ok(json!({"serviceDeploymentArn": arn})),
            other => {
                return Err(ApiError::new(
                    "ConflictException",
                    "serviceDeploymentArn",
                    format!("The service deployment {arn} is {other}; only a deployment in progress can be stopped."),
                ))
            }
        }
        let now = self.now;
        let stop_type = inp.stop_type.unwrap_or(StopType::Rollback);
        if stop_type == StopType::Rollback && self.rollback_target(s, dep).is_none() {
            return Err(ApiError::new(
                "ConflictException",
                "serviceDeploymentArn",
                "There is no previous service revision in a COMPLETED state to roll back to.",
            ));
        }
        let reason = match stop_type {
            StopType::Rollback => USER_ROLLBACK_REASON,
            StopType::Abort => USER_ABORT_REASON,
        };
        let (name, id) = {
            let svc = &mut self.state.services[s.idx()];
            // "A deployment in a FAILED state doesn't launch any new tasks."
            svc.deployments.stop_by_request(dep, reason, now);
            (svc.service_name.clone(), svc.deployments[dep as usize].id.clone())
        };
        match stop_type {
            StopType::Rollback => {
                self.roll_back_to_completed(s, dep, "StopServiceDeployment", reason);
            }
            StopType::Abort => {
                self.service_event(
                    s,
                    format!("(service {name}) (deployment {id}) deployment failed: stopped by StopServiceDeployment."),
                );
                self.log_deployment_state(s, dep, "SERVICE_DEPLOYMENT_FAILED");
            }
        }
        self.request_reconcile(s);
        Ok(json!({"serviceDeploymentArn": arn}))
    }

    fn revision_summary(&self, s: ServiceId, dep: u32) -> Value {
        let d = &self.state.services[s.idx()].deployments[dep as usize];
        let (running, pending) = self.deployment_counts(s, d);
        let requested = if d.status == DeploymentStatus::Primary { d.desired_count } else { running + pending };
        let mut v = json!({
            "arn": self.service_revision_arn(s, dep),
            "requestedTaskCount": requested,
            "runningTaskCount": running,
            "pendingTaskCount": pending,
        });
        if let Some(w) = self.requested_weights(s, dep) {
            v["requestedProductionTrafficWeight"] = json!(w.0);
            v["requestedTestTrafficWeight"] = json!(w.1);
        }
        v
    }

    /// Production and test traffic on deployment `dep`'s target group, percent, when the service
    /// shifts traffic through listener rules.
    fn requested_weights(&self, s: ServiceId, dep: u32) -> Option<(f64, f64)> {
        let svc = &self.state.services[s.idx()];
        let adv = svc.strategy.advanced.iter().flatten().next()?;
        let k = svc.strategy.advanced.iter().position(Option::is_some)?;
        let tg = self.deployment_target_group(s, Some(dep), k)?;
        let share = |rule: &str| {
            self.rule_shares(rule).iter().find(|(i, _)| *i == tg).map_or(0.0, |(_, x)| (x * 1000.0).round() / 10.0)
        };
        let prod = share(&adv.production_listener_rule);
        let test = adv.test_listener_rule.as_deref().map_or(prod, share);
        Some((prod, test))
    }

    /// Deployment `dep` in DescribeServiceDeployments' `ServiceDeployment` shape.
    pub fn service_deployment_detail(&self, s: ServiceId, dep: u32) -> Value {
        let svc = &self.state.services[s.idx()];
        let d = &svc.deployments[dep as usize];
        let status = self.service_deployment_status(s, dep);
        let iso = |t: SimTime| Value::String(self.log.context().iso_ms(t));
        let mut v = json!({
            "serviceDeploymentArn": self.service_deployment_arn(s, dep),
            "serviceArn": svc.service_arn,
            "clusterArn": self.state.cluster_arn,
            "createdAt": iso(d.created_at),
            "startedAt": iso(d.created_at),
            "updatedAt": iso(d.updated_at),
            "sourceServiceRevisions": d.source.map(|b| vec![self.revision_summary(s, b)]).unwrap_or_default(),
            "targetServiceRevision": self.revision_summary(s, dep),
            "status": status,
            "statusReason": d.stop.as_ref().map_or_else(|| d.rollout_state_reason.clone(), |x| x.reason.clone()),
        });
        if let Some(run) = &d.traffic_shift {
            v["lifecycleStage"] = json!(run.stage.as_str());
        }
        if let Some(at) = d.finished_at {
            v["finishedAt"] = iso(at);
        }
        if let Some(stop) = &d.stop {
            v["stoppedAt"] = iso(stop.at);
            if let Some(t) = stop.rollback_to {
                v["rollback"] = json!({
                    "reason": stop.reason,
                    "startedAt": iso(stop.at),
                    "serviceRevisionArn": self.service_revision_arn(s, t),
                });
                if let Some(done) =
                    svc.deployments.get(t as usize).filter(|t| t.rollout_state != RolloutState::InProgress)
                {
                    v["finishedAt"] = iso(done.updated_at);
                }
            }
        }
        v
    }

    /// ListServiceDeployments: the service's deployments, newest first, in `ServiceDeploymentBrief`
    /// shape.
    pub fn list_service_deployments(&self, service: &str) -> Option<Vec<Value>> {
        let s = self.state.service_by_name(service)?;
        let n = self.state.services[s.idx()].deployments.len() as u32;
        Some(
            (0..n)
                .rev()
                .map(|dep| {
                    let full = self.service_deployment_detail(s, dep);
                    let mut b = json!({
                        "serviceDeploymentArn": full["serviceDeploymentArn"],
                        "serviceArn": full["serviceArn"],
                        "clusterArn": full["clusterArn"],
                        "createdAt": full["createdAt"],
                        "startedAt": full["startedAt"],
                        "targetServiceRevisionArn": full["targetServiceRevision"]["arn"],
                        "status": full["status"],
                        "statusReason": full["statusReason"],
                    });
                    if !full["finishedAt"].is_null() {
                        b["finishedAt"] = full["finishedAt"].clone();
                    }
                    b
                })
                .collect(),
        )
    }

    /// DescribeServiceDeployments for one ARN (or the shorthands StopServiceDeployment takes).
    pub fn describe_service_deployment(&self, arn: &str) -> ApiResult<Value> {
        let (s, dep) = self.find_service_deployment(arn)?;
        Ok(self.service_deployment_detail(s, dep))
    }
}
