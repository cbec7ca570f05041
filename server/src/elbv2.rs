//! Elastic Load Balancing v2, the query protocol (form-encoded `Action=...&Version=2015-12-01`)
//! with XML responses, as far as the engine models it: target groups and their targets' health.
//! API reference: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Operations.html
//!
//! The engine models target groups, not load balancers: listeners and rules are refused with a
//! "not simulated" error.

use crate::util::{form_list, xml_escape};
use crate::App;
use axum::http::StatusCode;
use ecs_sim::model::TargetGroup;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const XMLNS: &str = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
const REQUEST_ID: &str = "00000000-0000-0000-0000-000000000000";

pub const NOT_SIMULATED: &[&str] = &[
    "DescribeLoadBalancers",
    "DescribeListeners",
    "DescribeRules",
    "CreateLoadBalancer",
    "CreateListener",
    "CreateRule",
    "CreateTargetGroup",
    "DeleteTargetGroup",
    "ModifyTargetGroup",
    "ModifyTargetGroupAttributes",
    "RegisterTargets",
    "DeregisterTargets",
    "DescribeTargetGroupAttributes",
    "DescribeLoadBalancerAttributes",
    "DescribeTags",
    "AddTags",
    "RemoveTags",
];

pub fn call(a: &mut App, action: &str, form: &BTreeMap<String, String>) -> (StatusCode, String) {
    let result = match action {
        "DescribeTargetGroups" => describe_target_groups(a, form),
        "DescribeTargetHealth" => describe_target_health(a, form),
        _ if NOT_SIMULATED.contains(&action) => Err((
            "OperationNotPermitted",
            format!(
                "ELBv2 {action} is not simulated by ECS Playground: it models target groups and target health, not load balancers, listeners or rules (target groups come from the scenario's targetGroups)."
            ),
        )),
        _ => Err(("InvalidAction", format!("The action {action} is not valid for this web service."))),
    };
    match result {
        Ok(body) => (
            StatusCode::OK,
            format!(
                "<{action}Response xmlns=\"{XMLNS}\"><{action}Result>{}</{action}Result><ResponseMetadata><RequestId>{REQUEST_ID}</RequestId></ResponseMetadata></{action}Response>",
                to_xml(&body)
            ),
        ),
        Err((code, message)) => (
            StatusCode::BAD_REQUEST,
            format!(
                "<ErrorResponse xmlns=\"{XMLNS}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{}</Message></Error><RequestId>{REQUEST_ID}</RequestId></ErrorResponse>",
                xml_escape(&message)
            ),
        ),
    }
}

/// JSON to the query protocol's XML: members are elements, lists are `<member>` items.
pub fn to_xml(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            m.iter().filter(|(_, x)| !x.is_null()).map(|(k, x)| format!("<{k}>{}</{k}>", to_xml(x))).collect()
        }
        Value::Array(items) => items.iter().map(|x| format!("<member>{}</member>", to_xml(x))).collect(),
        Value::String(s) => xml_escape(s),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

type Res = Result<Value, (&'static str, String)>;

fn matches_arn(tg: &TargetGroup, arn: &str) -> bool {
    tg.target_group_arn == arn
}

fn tg_json(a: &App, tg: &TargetGroup) -> Value {
    let region = &a.sim.state().region;
    json!({
        "TargetGroupArn": tg.target_group_arn,
        "TargetGroupName": tg.name,
        "Protocol": tg.protocol,
        "Port": tg.port,
        "VpcId": "vpc-0playground0000000",
        "HealthCheckProtocol": tg.protocol,
        "HealthCheckPort": "traffic-port",
        "HealthCheckEnabled": true,
        "HealthCheckIntervalSeconds": tg.interval,
        "HealthCheckTimeoutSeconds": tg.timeout,
        "HealthyThresholdCount": tg.healthy_threshold,
        "UnhealthyThresholdCount": tg.unhealthy_threshold,
        "HealthCheckPath": tg.health_check_path,
        "Matcher": {"HttpCode": tg.matcher},
        "LoadBalancerArns": [format!("arn:aws:elasticloadbalancing:{region}:{}:loadbalancer/app/playground/0123456789abcdef", ecs_sim::sim::ACCOUNT_ID)],
        "TargetType": tg.target_type,
        "IpAddressType": "ipv4",
    })
}

fn describe_target_groups(a: &App, form: &BTreeMap<String, String>) -> Res {
    let arns = form_list(form, "TargetGroupArns");
    let names = form_list(form, "Names");
    let groups = a.sim.state().elb.target_groups();
    // "TargetGroupNotFound: The specified target group does not exist."
    for arn in &arns {
        if !groups.iter().any(|g| matches_arn(g, arn)) {
            return Err(("TargetGroupNotFound", format!("One or more target groups not found: {arn}")));
        }
    }
    for n in &names {
        if !groups.iter().any(|g| &g.name == n) {
            return Err(("TargetGroupNotFound", format!("One or more target groups not found: {n}")));
        }
    }
    let out: Vec<Value> = groups
        .iter()
        .filter(|g| arns.is_empty() || arns.iter().any(|x| matches_arn(g, x)))
        .filter(|g| names.is_empty() || names.contains(&g.name))
        .map(|g| tg_json(a, g))
        .collect();
    Ok(json!({"TargetGroups": out}))
}

fn describe_target_health(a: &App, form: &BTreeMap<String, String>) -> Res {
    let arn = form.get("TargetGroupArn").ok_or(("ValidationError", "TargetGroupArn is required.".to_string()))?;
    let tg = a
        .sim
        .state()
        .elb
        .target_groups()
        .iter()
        .find(|g| matches_arn(g, arn))
        .ok_or(("TargetGroupNotFound", format!("Target groups '{arn}' not found")))?;
    let wanted: Vec<String> = (1..).map_while(|i| form.get(&format!("Targets.member.{i}.Id")).cloned()).collect();
    let out: Vec<Value> = tg
        .targets
        .iter()
        .filter(|t| wanted.is_empty() || wanted.contains(&t.id))
        .map(|t| {
            let mut h = json!({"State": t.state});
            if let Some(r) = &t.reason {
                h["Reason"] = json!(r);
            }
            json!({"Target": {"Id": t.id, "Port": t.port}, "HealthCheckPort": t.port.to_string(), "TargetHealth": h})
        })
        .collect();
    Ok(json!({"TargetHealthDescriptions": out}))
}
