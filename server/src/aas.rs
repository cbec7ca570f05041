//! Application Auto Scaling, JSON 1.1 (`X-Amz-Target: AnyScaleFrontendService.<Operation>`).
//! API reference: https://docs.aws.amazon.com/autoscaling/application/APIReference/API_Operations.html
//!
//! RegisterScalableTarget, PutScalingPolicy and DeleteScalingPolicy go through
//! `Simulation::apply` (the engine edits the scenario's `scaling` section and rebuilds its model
//! from it); the describe calls read that section back, and the activities from the event log.

use crate::util::{paginate, s, strings};
use crate::{App, Fault, OpResult};
use ecs_sim::log::kind;
use ecs_sim::sim::ACCOUNT_ID;
use serde_json::{json, Value};

pub const TARGET_PREFIX: &str = "AnyScaleFrontendService";

pub fn call(a: &mut App, op: &str, input: &Value) -> OpResult {
    match op {
        "RegisterScalableTarget" => {
            check_namespace(input)?;
            a.apply("RegisterScalableTarget", input)?;
            Ok(json!({"ScalableTargetARN": target_arn(a, s(input, "ResourceId").unwrap_or_default())}))
        }
        "PutScalingPolicy" => {
            check_namespace(input)?;
            a.apply("PutScalingPolicy", input)?;
            let policy =
                find_policy(a, input).ok_or_else(|| Fault::new("InternalServiceException", "policy vanished"))?;
            let mut out = json!({"PolicyARN": policy["PolicyARN"]});
            if let Some(al) = policy.get("Alarms") {
                out["Alarms"] = al.clone();
            }
            Ok(out)
        }
        "DeleteScalingPolicy" => {
            check_namespace(input)?;
            a.apply("DeleteScalingPolicy", input)?;
            Ok(json!({}))
        }
        "DescribeScalableTargets" => describe(a, input, "ScalableTargets", "ScalableTargets", &[]),
        "DescribeScalingPolicies" => describe(a, input, "ScalingPolicies", "ScalingPolicies", &["PolicyNames"]),
        "DescribeScheduledActions" => {
            describe(a, input, "ScheduledActions", "ScheduledActions", &["ScheduledActionNames"])
        }
        "DescribeScalingActivities" => describe_activities(a, input),
        "PutScheduledAction" | "DeleteScheduledAction" => {
            check_namespace(input)?;
            a.apply(op, input)?;
            Ok(json!({}))
        }
        "DeregisterScalableTarget"
        | "TagResource"
        | "UntagResource"
        | "ListTagsForResource"
        | "GetPredictiveScalingForecast" => Err(Fault::new(
            "ValidationException",
            format!("Application Auto Scaling {op} is not simulated by ECS Playground."),
        )),
        _ => Err(Fault::new(
            "UnknownOperationException",
            format!("Unknown Application Auto Scaling operation \"{op}\"."),
        )),
    }
}

/// The engine scales ECS services only.
fn check_namespace(input: &Value) -> Result<(), Fault> {
    match s(input, "ServiceNamespace") {
        Some("ecs") => Ok(()),
        Some(other) => Err(Fault::new(
            "ValidationException",
            format!("ServiceNamespace {other} is not simulated by ECS Playground (only ecs)."),
        )),
        None => Err(Fault::new("ValidationException", "ServiceNamespace is required.")),
    }
}

fn region(a: &App) -> String {
    a.sim.state().region.clone()
}

fn target_arn(a: &App, resource_id: &str) -> String {
    // A stable id per resource (AWS's is random): a hash of the resource id.
    let id = ecs_sim::log::fnv1a64(resource_id.as_bytes());
    format!("arn:aws:application-autoscaling:{}:{ACCOUNT_ID}:scalable-target/{id}", region(a))
}

fn policy_arn(a: &App, p: &Value) -> String {
    let rid = s(p, "ResourceId").unwrap_or_default();
    let id = ecs_sim::log::fnv1a64(rid.as_bytes());
    format!(
        "arn:aws:autoscaling:{}:{ACCOUNT_ID}:scalingPolicy:{id}:resource/ecs/{rid}:policyName/{}",
        region(a),
        s(p, "PolicyName").unwrap_or_default()
    )
}

/// One entry of the scenario's `scaling` section as the describe call shows it.
fn entry_json(a: &App, list: &str, e: &Value) -> Value {
    let mut v = e.clone();
    let epoch = json!(a.config.epoch);
    match list {
        "ScalableTargets" => {
            v["CreationTime"] = epoch;
            let rid = s(e, "ResourceId").unwrap_or_default();
            v["ScalableTargetARN"] = json!(target_arn(a, rid));
            if v.get("RoleARN").is_none() {
                v["RoleARN"] = json!(format!(
                    "arn:aws:iam::{ACCOUNT_ID}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService"
                ));
            }
        }
        "ScalingPolicies" => {
            v["CreationTime"] = epoch;
            v["PolicyARN"] = json!(policy_arn(a, e));
            if s(e, "PolicyType") == Some("TargetTrackingScaling") {
                // Target tracking creates two alarms, TargetTracking-<resource>-AlarmHigh/-AlarmLow-<uuid>.
                let alarms: Vec<Value> = a
                    .sim
                    .all_alarm_states()
                    .into_iter()
                    .filter(|(n, _)| n.starts_with("TargetTracking-") && n.contains(s(e, "ResourceId").unwrap_or("\u{0}")))
                    .map(|(n, _)| json!({"AlarmName": n, "AlarmARN": format!("arn:aws:cloudwatch:{}:{ACCOUNT_ID}:alarm:{n}", region(a))}))
                    .collect();
                v["Alarms"] = json!(alarms);
            }
        }
        "ScheduledActions" => {
            v["CreationTime"] = epoch;
            v["ScheduledActionARN"] = json!(format!(
                "arn:aws:autoscaling:{}:{ACCOUNT_ID}:scheduledAction:{}:resource/ecs/{}:scheduledActionName/{}",
                region(a),
                ecs_sim::log::fnv1a64(s(e, "ResourceId").unwrap_or_default().as_bytes()),
                s(e, "ResourceId").unwrap_or_default(),
                s(e, "ScheduledActionName").unwrap_or_default()
            ));
        }
        _ => {}
    }
    v
}

fn entries(a: &App, list: &str) -> Vec<Value> {
    let doc = a.sim.scenario().scaling.clone().unwrap_or(Value::Null);
    doc.get(list).and_then(Value::as_array).cloned().unwrap_or_default()
}

fn find_policy(a: &App, input: &Value) -> Option<Value> {
    entries(a, "ScalingPolicies")
        .into_iter()
        .find(|p| p.get("PolicyName") == input.get("PolicyName") && p.get("ResourceId") == input.get("ResourceId"))
        .map(|p| entry_json(a, "ScalingPolicies", &p))
}

fn describe(a: &mut App, input: &Value, list: &str, out_key: &str, name_filter: &[&str]) -> OpResult {
    check_namespace(input)?;
    let ids = strings(input, "ResourceIds")?;
    let rid = s(input, "ResourceId");
    let dim = s(input, "ScalableDimension");
    let names = match name_filter.first() {
        Some(k) => strings(input, k)?,
        None => Vec::new(),
    };
    let name_key = if list == "ScalingPolicies" { "PolicyName" } else { "ScheduledActionName" };
    let items: Vec<Value> = entries(a, list)
        .iter()
        .filter(|e| ids.is_empty() || ids.iter().any(|i| Some(i.as_str()) == s(e, "ResourceId")))
        .filter(|e| rid.is_none() || rid == s(e, "ResourceId"))
        .filter(|e| dim.is_none() || dim == s(e, "ScalableDimension"))
        .filter(|e| names.is_empty() || names.iter().any(|n| Some(n.as_str()) == s(e, name_key)))
        .map(|e| entry_json(a, list, e))
        .collect();
    // MaxResults: "The maximum value is 50 ... If this parameter is not used, ... up to 50 results".
    let (p, next) = paginate(&items, input, "NextToken", "MaxResults", 50, 50)?;
    let mut out = json!({ out_key: p });
    if let Some(n) = next {
        out["NextToken"] = json!(n);
    }
    Ok(out)
}

fn describe_activities(a: &mut App, input: &Value) -> OpResult {
    check_namespace(input)?;
    let rid = s(input, "ResourceId");
    let dim = s(input, "ScalableDimension");
    let mut acts: Vec<Value> = a
        .sim
        .log()
        .entries()
        .iter()
        .enumerate()
        .filter(|(_, e)| e.detail_type == kind::SCALING_ACTIVITY)
        .filter(|(_, e)| rid.is_none() || rid == s(&e.detail, "ResourceId"))
        .filter(|(_, e)| dim.is_none() || dim == s(&e.detail, "ScalableDimension"))
        .map(|(i, e)| {
            let d = &e.detail;
            let t = a.config.epoch + e.t as f64 / 1000.0;
            let mut v = json!({
                "ActivityId": format!("{:08x}-0000-4000-8000-{:012x}", i, e.t),
                "ServiceNamespace": d["ServiceNamespace"],
                "ResourceId": d["ResourceId"],
                "ScalableDimension": d["ScalableDimension"],
                "Description": d["Description"],
                "Cause": d["Cause"],
                "StartTime": t,
                "EndTime": t,
                "StatusCode": d["StatusCode"],
            });
            if let Some(m) = d.get("StatusMessage") {
                v["StatusMessage"] = m.clone();
            }
            v
        })
        .collect();
    // "Scaling activities are sorted by start time, most recent first."
    acts.reverse();
    let (p, next) = paginate(&acts, input, "NextToken", "MaxResults", 50, 50)?;
    let mut out = json!({"ScalingActivities": p});
    if let Some(n) = next {
        out["NextToken"] = json!(n);
    }
    Ok(out)
}
