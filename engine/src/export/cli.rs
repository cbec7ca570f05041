//! The setup as `aws` CLI commands (bash): create the cluster, register the task definitions,
//! create the target groups, the services, and the scaling. Request bodies go through
//! `--cli-input-json`, single-quoted for the shell.

use super::{json, target_group_name, Setup};
use serde_json::Value;

/// Quote text for a POSIX shell: single quotes, with `'` written as `'\''`.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

pub fn render(setup: &Setup) -> String {
    let mut out = String::new();
    let mut cmd = |c: String| {
        out.push_str(&c);
        out.push_str("\n\n");
    };
    cmd("#!/usr/bin/env bash\n# Exported from ECS Playground. Review before running: it creates real, billable resources.\nset -euo pipefail".into());
    cmd(format!(
        "aws ecs create-cluster --region {} --cluster-name {}",
        shell_quote(&setup.region),
        shell_quote(&setup.cluster)
    ));
    for body in json::register_task_definitions(setup) {
        cmd(format!(
            "aws ecs register-task-definition --region {} --cli-input-json {}",
            shell_quote(&setup.region),
            shell_quote(&body.to_string())
        ));
    }
    for tg in &setup.target_groups {
        let mut body = serde_json::to_value(tg).unwrap_or(Value::Null);
        let attrs = body.as_object_mut().and_then(|o| o.remove("Attributes"));
        if body.get("VpcId").is_none() {
            body["VpcId"] = Value::String("@@VPC_ID@@".into());
        }
        let var = format!("TG_ARN_{}", super::ident(&tg.name).to_uppercase());
        cmd(format!(
            "# VPC_ID: the VPC of your load balancer\n{var}=$(aws elbv2 create-target-group --region {} --query 'TargetGroups[0].TargetGroupArn' --output text --cli-input-json {})",
            shell_quote(&setup.region),
            splice_vars(&shell_quote(&body.to_string()))
        ));
        if let Some(Value::Array(a)) = attrs {
            if !a.is_empty() {
                cmd(format!(
                    "aws elbv2 modify-target-group-attributes --region {} --target-group-arn \"${var}\" --attributes {}",
                    shell_quote(&setup.region),
                    shell_quote(&Value::Array(a).to_string())
                ));
            }
        }
    }
    // Listener rules (blue/green): on the account's listener, forwarding to the target groups
    // created above (elbv2 create-rule; ECS moves their weights during a deployment).
    let tg_var = |r: &str| -> Option<String> {
        let name = target_group_name(r);
        setup
            .target_groups
            .iter()
            .any(|t| t.name == name)
            .then(|| format!("@@TG_ARN_{}@@", super::ident(name).to_uppercase()))
    };
    let rule_var = |r: &str| -> Option<String> {
        let name = super::rule_name(r);
        setup
            .listener_rules
            .iter()
            .any(|x| super::rule_name(&x.rule_arn) == name)
            .then(|| format!("RULE_ARN_{}", super::ident(name).to_uppercase()))
    };
    for (i, rule) in setup.listener_rules.iter().enumerate() {
        let mut body = super::create_rule_body(rule);
        body["ListenerArn"] = Value::String("@@LISTENER_ARN@@".into());
        for a in body["Actions"].as_array_mut().into_iter().flatten() {
            if let Some(t) = a.get("TargetGroupArn").and_then(Value::as_str).and_then(tg_var) {
                a["TargetGroupArn"] = Value::String(t);
            }
            for t in a.pointer_mut("/ForwardConfig/TargetGroups").and_then(Value::as_array_mut).into_iter().flatten() {
                if let Some(v) = t.get("TargetGroupArn").and_then(Value::as_str).and_then(tg_var) {
                    t["TargetGroupArn"] = Value::String(v);
                }
            }
        }
        let var = rule_var(&rule.rule_arn).unwrap_or_default();
        let note = if i == 0 { "# LISTENER_ARN: the listener of your Application Load Balancer\n" } else { "" };
        cmd(format!(
            "{note}{var}=$(aws elbv2 create-rule --region {} --query 'Rules[0].RuleArn' --output text --cli-input-json {})",
            shell_quote(&setup.region),
            splice_vars(&shell_quote(&body.to_string()))
        ));
    }
    // The alarms a deployment watches exist before the service names them.
    for a in &setup.metric_alarms {
        let body = serde_json::to_value(a).unwrap_or(Value::Null);
        cmd(format!(
            "aws cloudwatch put-metric-alarm --region {} --cli-input-json {}",
            shell_quote(&setup.region),
            shell_quote(&body.to_string())
        ));
    }
    // Capacity providers exist and are associated with the cluster before any service names them
    // ("The capacity provider must be associated with the cluster ... before it can be included
    // in a capacity provider strategy", PutClusterCapacityProviders).
    for body in &setup.capacity_providers {
        cmd(format!(
            "# Needs the Auto Scaling group named in autoScalingGroupArn.\naws ecs create-capacity-provider --region {} --cli-input-json {}",
            shell_quote(&setup.region),
            shell_quote(&body.to_string())
        ));
    }
    if let Some(body) = &setup.cluster_capacity_providers {
        cmd(format!(
            "aws ecs put-cluster-capacity-providers --region {} --cli-input-json {}",
            shell_quote(&setup.region),
            shell_quote(&body.to_string())
        ));
    }
    for mut body in json::create_services(setup) {
        let mut note = "";
        if let Some(Value::Array(lbs)) = body.get_mut("loadBalancers") {
            for lb in lbs.iter_mut() {
                let name = lb.get("targetGroupArn").and_then(Value::as_str).map(target_group_name).unwrap_or("");
                if setup.target_groups.iter().any(|t| t.name == name) {
                    note = "# Uses the target group created above; it must be attached to a listener first.\n";
                    lb["targetGroupArn"] = Value::String(format!("@@TG_ARN_{}@@", super::ident(name).to_uppercase()));
                }
                if let Some(adv) = lb.get_mut("advancedConfiguration").and_then(Value::as_object_mut) {
                    if let Some(v) = adv.get("alternateTargetGroupArn").and_then(Value::as_str).and_then(tg_var) {
                        adv.insert("alternateTargetGroupArn".into(), Value::String(v));
                    }
                    for k in ["productionListenerRule", "testListenerRule"] {
                        if let Some(v) = adv.get(k).and_then(Value::as_str).and_then(rule_var) {
                            adv.insert(k.into(), Value::String(format!("@@{v}@@")));
                        }
                    }
                }
            }
        }
        let text = splice_vars(&shell_quote(&body.to_string()));
        cmd(format!("{note}aws ecs create-service --region {} --cli-input-json {text}", shell_quote(&setup.region)));
    }
    for t in &setup.scaling.scalable_targets {
        let body = serde_json::to_value(t).unwrap_or(Value::Null);
        cmd(format!(
            "aws application-autoscaling register-scalable-target --region {} --cli-input-json {}",
            shell_quote(&setup.region),
            shell_quote(&body.to_string())
        ));
    }
    for p in &setup.scaling.scaling_policies {
        let body = serde_json::to_value(p).unwrap_or(Value::Null);
        cmd(format!(
            "aws application-autoscaling put-scaling-policy --region {} --cli-input-json {}",
            shell_quote(&setup.region),
            shell_quote(&body.to_string())
        ));
    }
    for a in &setup.scaling.scheduled_actions {
        let body = serde_json::to_value(a).unwrap_or(Value::Null);
        cmd(format!(
            "aws application-autoscaling put-scheduled-action --region {} --cli-input-json {}",
            shell_quote(&setup.region),
            shell_quote(&body.to_string())
        ));
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Replace `@@NAME@@` markers (NAME of `A-Z`, `0-9`, `_` only) inside single-quoted shell text
/// by the shell variable `$NAME`, closing and reopening the quotes around it. Other text between
/// `@@` is left alone, so nothing a user pasted can become shell code.
fn splice_vars(quoted: &str) -> String {
    let mut out = String::with_capacity(quoted.len());
    let mut rest = quoted;
    while let Some(start) = rest.find("@@") {
        let after = &rest[start + 2..];
        match after.find("@@") {
            Some(len)
                if len > 0
                    && after[..len].bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') =>
            {
                out.push_str(&rest[..start]);
                out.push_str(&format!("'\"${}\"'", &after[..len]));
                rest = &after[len + 2..];
            }
            _ => {
                out.push_str(&rest[..start + 2]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
