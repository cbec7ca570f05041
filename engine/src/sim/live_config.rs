//! Changing auto scaling and traffic while the simulation runs, as a teacher does from the
//! controls: the Application Auto Scaling API actions `RegisterScalableTarget`,
//! `PutScalingPolicy` and `DeleteScalingPolicy` (request bodies exactly as in the scenario's
//! `scaling` section), and the playground's `SetTraffic` (one entry of the scenario's
//! `traffic.targetGroups`, replacing the one for the same target group).
//!
//! Each call edits the scenario's own sections and rebuilds the auto scaling model from them, so
//! the validation is the same as at load time and an export of the current setup shows the
//! change. Documented behaviour kept across the rebuild (see `AutoScaler::carry_state_from`):
//! - PutScalingPolicy "creates or updates a scaling policy": a policy with the same name and
//!   resource is replaced, others keep their cooldowns and alarm history.
//! - RegisterScalableTarget on a registered target updates its MinCapacity/MaxCapacity; "If you
//!   call the RegisterScalableTarget API to update an existing scalable target, Application Auto
//!   Scaling ... [uses] the values you specify", keeping the others.
//! - DeleteScalingPolicy "deletes the CloudWatch alarms associated with the ... policy".
//! - PutScheduledAction "Creates or updates a scheduled action for an Application Auto Scaling
//!   scalable target"; "You cannot create a scheduled action until you have registered the
//!   resource as a scalable target"; "When updating a scheduled action, if you leave a parameter
//!   unspecified, the corresponding value remains unchanged."
//!   (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html)
//!   A created or updated action runs at its next occurrence after the call.
//! - DeleteScheduledAction "Deletes the specified scheduled action for an Application Auto
//!   Scaling scalable target."
//!   (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DeleteScheduledAction.html)

use super::Simulation;
use crate::autoscaling::types::{
    PutScalingPolicy, PutScheduledAction, RegisterScalableTarget, ECS_DIMENSION, ECS_NAMESPACE,
};
use crate::autoscaling::AutoScaler;
use crate::aws::ACCOUNT_ID;
use crate::command::{DeleteScalingPolicyInput, DeleteScheduledActionInput};
use crate::error::{ApiError, ApiResult};
use crate::scenario::TargetGroupTraffic;
use serde_json::{json, Map, Value};

impl Simulation {
    /// The scenario's `scaling` section with its three lists present.
    pub(super) fn scaling_doc(&self) -> Map<String, Value> {
        let mut doc = self.scenario.scaling.as_ref().and_then(Value::as_object).cloned().unwrap_or_default();
        for key in ["ScalableTargets", "ScalingPolicies"] {
            if !doc.get(key).is_some_and(Value::is_array) {
                doc.insert(key.to_string(), json!([]));
            }
        }
        doc
    }

    /// Put `entry` into `doc[list]`, replacing the entry with the same `keys`; returns its index.
    fn upsert(doc: &mut Map<String, Value>, list: &str, keys: &[&str], entry: &Value) -> usize {
        let items = doc.get_mut(list).and_then(Value::as_array_mut);
        let Some(items) = items else { return 0 };
        let same = |v: &Value| keys.iter().all(|k| v.get(*k) == entry.get(*k));
        match items.iter().position(same) {
            Some(i) => {
                items[i] = entry.clone();
                i
            }
            None => {
                items.push(entry.clone());
                items.len() - 1
            }
        }
    }

    /// Rebuild the auto scaling model from `doc`; on success it replaces the current one. Errors
    /// name the field inside the request (`at` is the request's path in the rebuilt section).
    pub(super) fn rebuild_scaling(
        &mut self,
        doc: Map<String, Value>,
        at: &str,
        changed_target: Option<&str>,
    ) -> ApiResult<()> {
        let doc = Value::Object(doc);
        let start = self.autoscaler.start();
        let mut next = AutoScaler::from_scenario(Some(&doc), &self.state.cluster_name, start).map_err(|mut e| {
            // `scaling.ScalingPolicies[2].TargetTrackingScalingPolicyConfiguration.TargetValue`
            // -> `TargetTrackingScalingPolicyConfiguration.TargetValue`: the caller's own field.
            let prefix = format!("scaling.{at}");
            if let Some(rest) = e.field.strip_prefix(&prefix) {
                e.field = rest.trim_start_matches('.').to_string();
            }
            e
        })?;
        for rid in next.resource_ids() {
            let name = rid.rsplit('/').next().unwrap_or_default();
            if rid.split('/').nth(1) != Some(self.state.cluster_name.as_str())
                || self.state.service_by_name(name).is_none()
            {
                return Err(ApiError::new(
                    "ValidationException",
                    "ResourceId",
                    format!(
                        "{rid} does not name a service of this cluster (service/{}/<serviceName>)",
                        self.state.cluster_name
                    ),
                ));
            }
        }
        next.carry_state_from(&self.autoscaler, changed_target);
        self.autoscaler = next;
        self.scenario.scaling = Some(doc);
        self.queue_next_scheduled_scaling();
        Ok(())
    }

    /// `input` is the request body as given: it is what the scenario's `scaling` section keeps.
    pub(super) fn register_scalable_target(&mut self, req: &RegisterScalableTarget, input: &Value) -> ApiResult<Value> {
        let rid = req.resource_id.clone();
        let mut doc = self.scaling_doc();
        let i = Self::upsert(&mut doc, "ScalableTargets", &["ResourceId", "ScalableDimension"], input);
        self.rebuild_scaling(doc, &format!("ScalableTargets[{i}]"), Some(&rid))?;
        Ok(
            json!({"ScalableTargetARN": format!("arn:aws:application-autoscaling:{}:{ACCOUNT_ID}:scalable-target/{}", self.state.region, rid)}),
        )
    }

    pub(super) fn put_scaling_policy(&mut self, req: &PutScalingPolicy, input: &Value) -> ApiResult<Value> {
        let (name, rid) = (req.policy_name.clone(), req.resource_id.clone());
        let mut doc = self.scaling_doc();
        let i = Self::upsert(&mut doc, "ScalingPolicies", &["PolicyName", "ResourceId"], input);
        self.rebuild_scaling(doc, &format!("ScalingPolicies[{i}]"), None)?;
        Ok(json!({"PolicyARN": format!(
            "arn:aws:autoscaling:{}:{ACCOUNT_ID}:scalingPolicy:{}:resource/ecs/{rid}:policyName/{name}",
            self.state.region, crate::log::fnv1a64(format!("{rid}/{name}").as_bytes())
        )}))
    }

    pub(super) fn delete_scaling_policy(&mut self, req: &DeleteScalingPolicyInput) -> ApiResult<Value> {
        let (name, rid) = (req.policy_name.clone(), req.resource_id.clone());
        let mut doc = self.scaling_doc();
        let removed = doc.get_mut("ScalingPolicies").and_then(Value::as_array_mut).map(|items| {
            let before = items.len();
            items.retain(|p| {
                !(p.get("PolicyName").and_then(Value::as_str) == Some(&name)
                    && p.get("ResourceId").and_then(Value::as_str) == Some(&rid))
            });
            before - items.len()
        });
        if removed != Some(1) {
            return Err(ApiError::new(
                "ObjectNotFoundException",
                "PolicyName",
                format!("No scaling policy found for service namespace: {ECS_NAMESPACE}, resource ID: {rid}, scalable dimension: {ECS_DIMENSION}, policy name: {name}"),
            ));
        }
        self.rebuild_scaling(doc, "ScalingPolicies", None)?;
        Ok(json!({}))
    }

    pub(super) fn put_scheduled_action(&mut self, req: &PutScheduledAction, input: &Value) -> ApiResult<Value> {
        let (name, rid) = (req.scheduled_action_name.clone(), req.resource_id.clone());
        let mut doc = self.scaling_doc();
        let items = doc.entry("ScheduledActions").or_insert_with(|| json!([]));
        if !items.is_array() {
            *items = json!([]);
        }
        let same = |v: &Value| {
            v.get("ScheduledActionName").and_then(Value::as_str) == Some(name.as_str())
                && v.get("ResourceId").and_then(Value::as_str) == Some(rid.as_str())
        };
        let i = match items.as_array_mut() {
            Some(list) => match list.iter().position(same) {
                // An update keeps what the request leaves out.
                Some(i) => {
                    if let (Some(old), Some(new)) = (list[i].as_object_mut(), input.as_object()) {
                        for (k, v) in new {
                            old.insert(k.clone(), v.clone());
                        }
                    }
                    i
                }
                None => {
                    list.push(input.clone());
                    list.len() - 1
                }
            },
            None => 0,
        };
        self.rebuild_scaling(doc, &format!("ScheduledActions[{i}]"), None)?;
        let now = self.now;
        self.autoscaler.reschedule(&rid, &name, now);
        self.queue_next_scheduled_scaling();
        Ok(json!({}))
    }

    pub(super) fn delete_scheduled_action(&mut self, req: &DeleteScheduledActionInput) -> ApiResult<Value> {
        let (name, rid) = (req.scheduled_action_name.clone(), req.resource_id.clone());
        let mut doc = self.scaling_doc();
        let removed = doc.get_mut("ScheduledActions").and_then(Value::as_array_mut).map(|items| {
            let before = items.len();
            items.retain(|p| {
                !(p.get("ScheduledActionName").and_then(Value::as_str) == Some(&name)
                    && p.get("ResourceId").and_then(Value::as_str) == Some(&rid))
            });
            before - items.len()
        });
        if removed != Some(1) {
            return Err(ApiError::new(
                "ObjectNotFoundException",
                "ScheduledActionName",
                format!("No scheduled action found for service namespace: {}, resource ID: {rid}, scalable dimension: {}, scheduled action name: {name}", req.service_namespace, req.scalable_dimension),
            ));
        }
        self.rebuild_scaling(doc, "ScheduledActions", None)?;
        Ok(json!({}))
    }

    pub(super) fn set_traffic(&mut self, entry: TargetGroupTraffic) -> ApiResult<Value> {
        let before = self.scenario.traffic.clone();
        let traffic = self.scenario.traffic.get_or_insert_with(Default::default);
        match traffic
            .target_groups
            .iter_mut()
            .find(|t| t.target_group == entry.target_group && t.listener_rule == entry.listener_rule)
        {
            Some(t) => *t = entry,
            None => traffic.target_groups.push(entry),
        }
        if let Err(mut e) = self.check_traffic() {
            self.scenario.traffic = before;
            if let Some(rest) = e.field.split_once("].").map(|(_, r)| r.to_string()) {
                e.field = rest;
            }
            return Err(e);
        }
        Ok(json!({}))
    }
}
