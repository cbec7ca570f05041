//! Changing auto scaling and traffic while the simulation runs, as a teacher does from the
//! controls: the Application Auto Scaling API actions `RegisterScalableTarget`,
//! `PutScalingPolicy`, `DeleteScalingPolicy`, `PutScheduledAction` and `DeleteScheduledAction`
//! (request bodies exactly as in the scenario's `scaling` section), and the playground's
//! `SetTraffic` (one entry of the scenario's `traffic.targetGroups`, replacing the one for the
//! same target group).
//!
//! The autoscaler checks and applies each call in place (autoscaling/live.rs: what it keeps
//! running, with the AWS rules). Once it accepts one, the scenario's own `scaling` section is
//! edited to match, so that exports, share links, the app's policy view (views.rs) and
//! `ecs-sim serve`'s describe calls show the current setup:
//! - PutScalingPolicy / RegisterScalableTarget replace the entry with the same name and resource.
//! - PutScheduledAction: "When updating a scheduled action, if you leave a parameter
//!   unspecified, the corresponding value remains unchanged."
//!   (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html)
//!   A created or updated action runs at its next occurrence after the call.
//! - DeleteScheduledAction "Deletes the specified scheduled action for an Application Auto
//!   Scaling scalable target."
//!   (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DeleteScheduledAction.html)

use super::Simulation;
use crate::autoscaling::types::{PutScalingPolicy, PutScheduledAction, RegisterScalableTarget};
use crate::aws::ACCOUNT_ID;
use crate::command::{DeleteScalingPolicyInput, DeleteScheduledActionInput};
use crate::error::{ApiError, ApiResult};
use crate::scenario::TargetGroupTraffic;
use serde_json::{json, Map, Value};

impl Simulation {
    /// The scenario's `scaling` section with its three lists present.
    fn scaling_doc(&self) -> Map<String, Value> {
        let mut doc = self.scenario.scaling.as_ref().and_then(Value::as_object).cloned().unwrap_or_default();
        for key in ["ScalableTargets", "ScalingPolicies"] {
            if !doc.get(key).is_some_and(Value::is_array) {
                doc.insert(key.to_string(), json!([]));
            }
        }
        doc
    }

    /// Put `entry` into `doc[list]`, replacing the entry with the same `keys`.
    fn upsert(doc: &mut Map<String, Value>, list: &str, keys: &[&str], entry: &Value) {
        let Some(items) = doc.get_mut(list).and_then(Value::as_array_mut) else { return };
        let same = |v: &Value| keys.iter().all(|k| v.get(*k) == entry.get(*k));
        match items.iter_mut().find(|v| same(v)) {
            Some(old) => *old = entry.clone(),
            None => items.push(entry.clone()),
        }
    }

    /// Remove the entry of `doc[list]` with this name (under `name_key`) and ResourceId.
    fn remove(doc: &mut Map<String, Value>, list: &str, name_key: &str, name: &str, rid: &str) {
        if let Some(items) = doc.get_mut(list).and_then(Value::as_array_mut) {
            items.retain(|p| {
                !(p.get(name_key).and_then(Value::as_str) == Some(name)
                    && p.get("ResourceId").and_then(Value::as_str) == Some(rid))
            });
        }
    }

    /// Keep the scenario's `scaling` section in step with a change the autoscaler accepted, so
    /// that exports, share links, the app's policy view and `ecs-sim serve`'s describe calls show
    /// the current setup; then queue the next scheduled action.
    fn store_scaling_doc(&mut self, doc: Map<String, Value>) {
        self.scenario.scaling = Some(Value::Object(doc));
        self.queue_next_scheduled_scaling();
    }

    /// `input` is the request body as given: it is what the scenario's `scaling` section keeps.
    pub(super) fn register_scalable_target(&mut self, req: &RegisterScalableTarget, input: &Value) -> ApiResult<Value> {
        let rid = req.resource_id.clone();
        let state = &self.state;
        let names_service = |rid: &str| {
            let name = rid.rsplit('/').next().unwrap_or_default();
            rid.split('/').nth(1) == Some(state.cluster_name.as_str()) && state.service_by_name(name).is_some()
        };
        self.autoscaler.register_target(req, &state.cluster_name, names_service)?;
        let mut doc = self.scaling_doc();
        Self::upsert(&mut doc, "ScalableTargets", &["ResourceId", "ScalableDimension"], input);
        self.store_scaling_doc(doc);
        Ok(
            json!({"ScalableTargetARN": format!("arn:aws:application-autoscaling:{}:{ACCOUNT_ID}:scalable-target/{}", self.state.region, rid)}),
        )
    }

    pub(super) fn put_scaling_policy(&mut self, req: &PutScalingPolicy, input: &Value) -> ApiResult<Value> {
        let (name, rid) = (req.policy_name.clone(), req.resource_id.clone());
        self.autoscaler.put_policy(req, &self.state.cluster_name)?;
        let mut doc = self.scaling_doc();
        Self::upsert(&mut doc, "ScalingPolicies", &["PolicyName", "ResourceId"], input);
        self.store_scaling_doc(doc);
        Ok(json!({"PolicyARN": format!(
            "arn:aws:autoscaling:{}:{ACCOUNT_ID}:scalingPolicy:{}:resource/ecs/{rid}:policyName/{name}",
            self.state.region, crate::log::fnv1a64(format!("{rid}/{name}").as_bytes())
        )}))
    }

    pub(super) fn delete_scaling_policy(&mut self, req: &DeleteScalingPolicyInput) -> ApiResult<Value> {
        let (name, rid) = (req.policy_name.as_str(), req.resource_id.as_str());
        self.autoscaler.delete_policy(rid, name)?;
        let mut doc = self.scaling_doc();
        Self::remove(&mut doc, "ScalingPolicies", "PolicyName", name, rid);
        self.store_scaling_doc(doc);
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
        let mut entry = input.clone();
        let list = items.as_array_mut();
        if let Some(list) = list {
            match list.iter_mut().find(|v| same(v)) {
                // An update keeps what the request leaves out.
                Some(old) => {
                    if let (Some(old), Some(new)) = (old.as_object_mut(), input.as_object()) {
                        for (k, v) in new {
                            old.insert(k.clone(), v.clone());
                        }
                    }
                    entry = old.clone();
                }
                None => list.push(input.clone()),
            }
        }
        let action: PutScheduledAction = serde_json::from_value(entry)
            .map_err(|e| ApiError::new("ValidationException", "ScheduledActionName", e.to_string()))?;
        self.autoscaler.put_scheduled(&action, &self.state.cluster_name)?;
        self.store_scaling_doc(doc);
        let now = self.now;
        self.autoscaler.reschedule(&rid, &name, now);
        self.queue_next_scheduled_scaling();
        Ok(json!({}))
    }

    pub(super) fn delete_scheduled_action(&mut self, req: &DeleteScheduledActionInput) -> ApiResult<Value> {
        let (name, rid) = (req.scheduled_action_name.as_str(), req.resource_id.as_str());
        if !self.autoscaler.delete_scheduled(rid, name) {
            return Err(ApiError::new(
                "ObjectNotFoundException",
                "ScheduledActionName",
                format!("No scheduled action found for service namespace: {}, resource ID: {rid}, scalable dimension: {}, scheduled action name: {name}", req.service_namespace, req.scalable_dimension),
            ));
        }
        let mut doc = self.scaling_doc();
        Self::remove(&mut doc, "ScheduledActions", "ScheduledActionName", name, rid);
        self.store_scaling_doc(doc);
        Ok(json!({}))
    }

    /// A deleted service's scalable target, policies and scheduled actions go with it (in the
    /// autoscaler and in the scenario's `scaling` section).
    pub(super) fn remove_service_scaling(&mut self, rid: &str) -> ApiResult<()> {
        if self.autoscaler.has_resource(rid) {
            self.remove_scaling_of(rid)?;
        }
        Ok(())
    }

    /// Remove a service's scaling, whether or not it has any (DeleteExpressGatewayService).
    pub(super) fn remove_scaling_of(&mut self, rid: &str) -> ApiResult<()> {
        self.autoscaler.remove_resource(rid)?;
        let mut doc = self.scaling_doc();
        for list in ["ScalableTargets", "ScalingPolicies", "ScheduledActions"] {
            if let Some(items) = doc.get_mut(list).and_then(Value::as_array_mut) {
                items.retain(|x| x.get("ResourceId").and_then(Value::as_str) != Some(rid));
            }
        }
        self.store_scaling_doc(doc);
        Ok(())
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
