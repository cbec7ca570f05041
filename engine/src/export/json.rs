//! The setup as API request bodies: what `aws ecs register-task-definition --cli-input-json` and
//! `aws ecs create-service --cli-input-json` take.

use super::Setup;
use serde_json::{json, Value};

/// `{"family": ..., "containerDefinitions": [...], ...}` per task definition.
pub fn register_task_definitions(setup: &Setup) -> Vec<Value> {
    setup.task_definitions.iter().map(|t| serde_json::to_value(t).unwrap_or(Value::Null)).collect()
}

/// CreateService bodies.
pub fn create_services(setup: &Setup) -> Vec<Value> {
    setup.services.iter().map(|s| serde_json::to_value(s).unwrap_or(Value::Null)).collect()
}

/// Everything in one document, pretty-printed: task definitions, target groups, services, scaling.
pub fn setup_document(setup: &Setup) -> String {
    let mut doc = json!({
        "cluster": setup.cluster,
        "region": setup.region,
        "registerTaskDefinition": register_task_definitions(setup),
        "createService": create_services(setup),
    });
    if !setup.target_groups.is_empty() {
        doc["createTargetGroup"] = serde_json::to_value(&setup.target_groups).unwrap_or(Value::Null);
    }
    if !setup.listener_rules.is_empty() {
        doc["createRule"] = Value::Array(
            setup
                .listener_rules
                .iter()
                .map(|r| {
                    let mut b = super::create_rule_body(r);
                    b["ListenerArn"] = Value::String(
                        "arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<load balancer>/<id>/<id>".into(),
                    );
                    b
                })
                .collect(),
        );
    }
    if !setup.metric_alarms.is_empty() {
        doc["putMetricAlarm"] = serde_json::to_value(&setup.metric_alarms).unwrap_or(Value::Null);
    }
    if !setup.capacity_providers.is_empty() {
        doc["createCapacityProvider"] = Value::Array(setup.capacity_providers.clone());
    }
    if let Some(b) = &setup.cluster_capacity_providers {
        doc["putClusterCapacityProviders"] = b.clone();
    }
    if setup.scaling != Default::default() {
        doc["applicationAutoScaling"] = serde_json::to_value(&setup.scaling).unwrap_or(Value::Null);
    }
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
