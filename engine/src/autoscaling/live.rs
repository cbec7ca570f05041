//! The Application Auto Scaling calls of a running simulation, applied to the model in place:
//! RegisterScalableTarget, PutScalingPolicy, DeleteScalingPolicy, PutScheduledAction and
//! DeleteScheduledAction, and a deleted service's scaling going with it. Each request is checked as
//! at load time (validation.rs), with errors naming the request's own field
//! (`TargetTrackingScalingPolicyConfiguration.TargetValue`); a refused call changes nothing.
//!
//! What a call leaves alone keeps running: alarm windows and states, cooldowns, scheduled
//! actions' next occurrence, capacity ranges that scheduled actions moved.
//! - PutScalingPolicy "creates or updates a scaling policy"
//!   (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html):
//!   an update keeps the policy's place and its cooldowns (when its type stays); a target tracking
//!   policy's alarms are recreated when their configuration changed and kept otherwise.
//! - RegisterScalableTarget on a registered target "update[s] an existing scalable target"
//!   (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html).
//! - DeleteScalingPolicy "deletes the CloudWatch alarms associated with the ... policy"
//!   (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DeleteScalingPolicy.html);
//!   a policy an alarm of the scenario's `Alarms` still invokes is not deleted (the alarm's
//!   AlarmActions error names it).
//! - PutScheduledAction: "You cannot create a scheduled action until you have registered the
//!   resource as a scalable target"
//!   (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html).

use super::scheduled::ScheduledAction;
use super::state::{ManagedAlarm, Policy, PolicyKey};
use super::{types, AutoScaler};
use crate::error::{ApiError, ApiResult};
use crate::time::SimTime;

/// Errors of a live request name its own fields: `.MinCapacity` -> `MinCapacity`.
fn own_field(mut e: ApiError) -> ApiError {
    if let Some(rest) = e.field.strip_prefix('.') {
        e.field = rest.to_string();
    }
    e
}

impl AutoScaler {
    /// RegisterScalableTarget: register a target or update a registered one (MinCapacity,
    /// MaxCapacity and SuspendedState from the request). `names_service` says whether a resource
    /// id names a service of the cluster.
    pub fn register_target(
        &mut self,
        req: &types::RegisterScalableTarget,
        cluster: &str,
        names_service: impl Fn(&str) -> bool,
    ) -> ApiResult<()> {
        let target = self.build_target("", req, cluster, false).map_err(own_field)?;
        let rid = &req.resource_id;
        if !names_service(rid) {
            return Err(ApiError::new(
                "ValidationException",
                "ResourceId",
                format!("{rid} does not name a service of this cluster (service/{cluster}/<serviceName>)"),
            ));
        }
        self.targets.insert(rid.clone(), target);
        Ok(())
    }

    /// PutScalingPolicy: create a policy, or update the one with the same name and resource in
    /// its place.
    pub fn put_policy(&mut self, req: &types::PutScalingPolicy, cluster: &str) -> ApiResult<()> {
        let mut policy = self.build_policy("", req, cluster, false).map_err(own_field)?;
        let at = self.policies.iter().position(|p| p.is(&req.resource_id, &req.policy_name));
        if let Some(old) = at.and_then(|i| self.policies.get(i)) {
            match (&mut policy, old) {
                (Policy::TargetTracking(new), Policy::TargetTracking(old)) => new.cd = old.cd.clone(),
                (Policy::Step(new), Policy::Step(old)) => new.cd = old.cd.clone(),
                _ => {}
            }
        }
        // Alarms whose configuration did not change keep their state and window.
        for a in policy.alarms_mut() {
            if let Some(o) = self.all_alarms().find(|o| o.alarm.spec == a.alarm.spec && o.resource_id == a.resource_id)
            {
                a.alarm = o.alarm.clone();
            }
        }
        let mut policies = self.policies.clone();
        match at {
            Some(i) => policies[i] = policy,
            None => policies.push(policy),
        }
        self.commit_policies(policies)
    }

    /// DeleteScalingPolicy (its alarms go with a target tracking policy).
    pub fn delete_policy(&mut self, resource_id: &str, name: &str) -> ApiResult<()> {
        if !self.policies.iter().any(|p| p.is(resource_id, name)) {
            return Err(ApiError::new(
                "ObjectNotFoundException",
                "PolicyName",
                format!(
                    "No scaling policy found for service namespace: {}, resource ID: {resource_id}, scalable dimension: {}, policy name: {name}",
                    types::ECS_NAMESPACE,
                    types::ECS_DIMENSION
                ),
            ));
        }
        let mut policies = self.policies.clone();
        policies.retain(|p| !p.is(resource_id, name));
        self.commit_policies(policies)
    }

    /// PutScheduledAction with the request as it now stands (an update's unspecified parameters
    /// already filled in from the action it updates): create it, or update it in its place. Its
    /// next occurrence is set by `reschedule`.
    pub fn put_scheduled(&mut self, req: &types::PutScheduledAction, cluster: &str) -> ApiResult<()> {
        let mut action = self.build_scheduled("", req, cluster, false).map_err(own_field)?;
        let same = |s: &ScheduledAction| s.resource_id == req.resource_id && s.name == req.scheduled_action_name;
        match self.scheduled.iter_mut().find(|s| same(s)) {
            Some(old) => {
                action.next_due = old.next_due;
                *old = action;
            }
            None => self.scheduled.push(action),
        }
        Ok(())
    }

    /// DeleteScheduledAction. Whether the action existed.
    pub fn delete_scheduled(&mut self, resource_id: &str, name: &str) -> bool {
        let before = self.scheduled.len();
        self.scheduled.retain(|s| !(s.resource_id == resource_id && s.name == name));
        self.scheduled.len() != before
    }

    /// Whether the target, a policy or a scheduled action names `resource_id`.
    pub fn has_resource(&self, resource_id: &str) -> bool {
        self.targets.contains_key(resource_id)
            || self.policies.iter().any(|p| p.resource_id() == resource_id)
            || self.scheduled.iter().any(|s| s.resource_id == resource_id)
    }

    /// A deleted service: its scalable target, policies and scheduled actions go.
    pub fn remove_resource(&mut self, resource_id: &str) -> ApiResult<()> {
        let mut policies = self.policies.clone();
        policies.retain(|p| p.resource_id() != resource_id);
        self.commit_policies(policies)?;
        self.targets.remove(resource_id);
        self.scheduled.retain(|s| s.resource_id != resource_id);
        Ok(())
    }

    /// Replace the policies once every alarm of the scenario's `Alarms` still names them: an alarm
    /// name is not taken by a target tracking policy's alarm, and its AlarmActions each name one
    /// step scaling policy of the service it watches.
    fn commit_policies(&mut self, policies: Vec<Policy>) -> ApiResult<()> {
        let old = std::mem::replace(&mut self.policies, policies);
        let mut resolved: Vec<(String, Vec<PolicyKey>)> = Vec::with_capacity(self.alarms.len());
        let mut check = |s: &AutoScaler| -> ApiResult<()> {
            for (j, a) in s.alarms.iter().enumerate() {
                let at = format!("scaling.Alarms[{j}]");
                let tt_alarms = s.policies.iter().flat_map(Policy::alarms);
                let earlier = s.alarms.iter().take(j);
                if tt_alarms.chain(earlier).any(|m: &ManagedAlarm| m.alarm.spec.name == a.alarm.spec.name) {
                    return Err(ApiError::new(
                        "InvalidParameterValue",
                        format!("{at}.AlarmName"),
                        format!("alarm {} is defined twice", a.alarm.spec.name),
                    ));
                }
                resolved.push(s.resolve_alarm_actions(&at, &a.alarm_actions, a.dimension_resource.clone())?);
            }
            Ok(())
        };
        if let Err(e) = check(self) {
            self.policies = old;
            return Err(e);
        }
        for (a, (resource_id, actions)) in self.alarms.iter_mut().zip(resolved) {
            a.resource_id = resource_id;
            a.actions = actions;
        }
        Ok(())
    }

    /// A scheduled action created or updated at `now` by a live PutScheduledAction runs at its
    /// next occurrence from then on (earlier occurrences of its schedule are not made up).
    pub fn reschedule(&mut self, resource_id: &str, name: &str, now: SimTime) {
        let start = self.start;
        for a in self.scheduled.iter_mut().filter(|a| a.resource_id == resource_id && a.name == name) {
            a.next_due = a.occurrence_at_or_after(start, now);
        }
    }
}
