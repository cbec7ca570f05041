//! Exports validate against the engine's own rules: the exported task definitions re-parse and
//! validate, the CreateService bodies parse, a scenario rebuilt from the export loads, the event
//! log is JSON Lines, and the Terraform is well formed with every required argument (plus
//! snapshots of a few lessons' Terraform and CLI).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;

use ecs_sim::export::{cli, json, terraform, Setup};
use ecs_sim::scenario::CreateService;
use ecs_sim::taskdef_rules::{parse_task_definition, validate};
use serde_json::{json as j, Value};

use common::documents;

fn setup_of(text: &str, until_s: u64) -> Option<(Setup, ecs_sim::Simulation)> {
    let mut sim = ecs_sim::load(text, None).ok()?;
    sim.run_until(until_s * 1000);
    Some((Setup::from_sim(&sim), sim))
}

fn lesson(id: &str) -> String {
    std::fs::read_to_string(format!("{}/../lessons/{id}.json", env!("CARGO_MANIFEST_DIR"))).expect("lesson")
}

#[test]
fn exported_json_revalidates_and_rebuilds_a_loadable_scenario() {
    let mut checked = 0;
    for (name, text) in documents() {
        let Some((setup, sim)) = setup_of(&text, 300) else { continue };
        let tds = json::register_task_definitions(&setup);
        assert!(!tds.is_empty(), "{name}: no task definition exported");
        for td in &tds {
            let req = parse_task_definition(td).unwrap_or_else(|e| panic!("{name}: {e}\n{td}"));
            validate(&req).unwrap_or_else(|e| panic!("{name}: exported task definition invalid: {e}\n{td}"));
        }
        for s in json::create_services(&setup) {
            serde_json::from_value::<CreateService>(s.clone()).unwrap_or_else(|e| panic!("{name}: {e}\n{s}"));
        }
        // The export is a scenario again: the same cluster, the exported bodies.
        let original: Value = serde_json::from_str(&text).expect("json");
        let mut rebuilt = j!({
            "cluster": setup.cluster,
            "taskDefinitions": tds,
            "services": json::create_services(&setup),
            "targetGroups": serde_json::to_value(&setup.target_groups).expect("tg"),
        });
        // Sections the exports do not cover yet (capacity providers, EventBridge rules, SQS
        // queues, ALB listener rules, CloudWatch alarms, the VPC) are carried over from the original so the
        // rebuilt scenario can load.
        for k in [
            "availabilityZones",
            "containerInstances",
            "seed",
            "capacityProviders",
            "eventRules",
            "queues",
            "listenerRules",
            "metricAlarms",
            "vpc",
        ] {
            if let Some(v) = original.get(k) {
                rebuilt[k] = v.clone();
            }
        }
        if setup.scaling != Default::default() {
            rebuilt["scaling"] = serde_json::to_value(&setup.scaling).expect("scaling");
        }
        ecs_sim::load(&rebuilt.to_string(), None).unwrap_or_else(|e| panic!("{name}: rebuilt scenario: {e}"));
        // The whole-setup document is JSON.
        let _: Value = serde_json::from_str(&json::setup_document(&setup)).expect("setup document");
        // The event log is JSON Lines: AWS's events (detail-type) or own trace lines (trace).
        for line in sim.log().to_json_lines().lines() {
            let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}: {e}: {line}"));
            assert!(v.get("detail-type").is_some() != v.get("trace").is_some(), "{name}: {line}");
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} documents exported");
}

/// Braces, brackets and parentheses balance outside string literals, and every string closes.
fn balanced(hcl: &str) -> Result<(), String> {
    let mut stack = Vec::new();
    let mut in_str = false;
    let mut escaped = false;
    let mut comment = false;
    for (i, c) in hcl.char_indices() {
        if comment {
            comment = c != '\n';
            continue;
        }
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                (false, '\n') => return Err(format!("newline in a string at byte {i}")),
                _ => {}
            }
            continue;
        }
        match c {
            '#' => comment = true,
            '"' => in_str = true,
            '{' | '[' | '(' => stack.push(c),
            '}' | ']' | ')' => {
                let open = stack.pop().ok_or(format!("unmatched {c} at byte {i}"))?;
                if !matches!((open, c), ('{', '}') | ('[', ']') | ('(', ')')) {
                    return Err(format!("{open} closed by {c} at byte {i}"));
                }
            }
            _ => {}
        }
    }
    if in_str || !stack.is_empty() {
        return Err(format!("unclosed: string {in_str}, stack {stack:?}"));
    }
    Ok(())
}

/// The top-level resource blocks: (type, name, body).
fn resources(hcl: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut lines = hcl.lines().peekable();
    while let Some(l) = lines.next() {
        if let Some(rest) = l.strip_prefix("resource \"") {
            let parts: Vec<&str> = rest.split('"').collect();
            let mut body = String::new();
            for b in lines.by_ref() {
                if b == "}" {
                    break;
                }
                body.push_str(b);
                body.push('\n');
            }
            out.push((parts[0].to_string(), parts.get(2).unwrap_or(&"").to_string(), body));
        }
    }
    out
}

const REQUIRED: &[(&str, &[&str])] = &[
    ("aws_ecs_cluster", &["name"]),
    ("aws_ecs_capacity_provider", &["name"]),
    ("aws_ecs_cluster_capacity_providers", &["cluster_name"]),
    ("aws_ecs_task_definition", &["family", "container_definitions"]),
    ("aws_ecs_service", &["name", "cluster", "task_definition"]),
    ("aws_lb_target_group", &["name", "port", "protocol", "vpc_id", "target_type"]),
    (
        "aws_appautoscaling_target",
        &["max_capacity", "min_capacity", "resource_id", "scalable_dimension", "service_namespace"],
    ),
    ("aws_appautoscaling_policy", &["name", "resource_id", "scalable_dimension", "service_namespace"]),
    ("aws_launch_template", &["image_id", "instance_type"]),
    ("aws_autoscaling_group", &["max_size", "min_size"]),
    // `action` and `condition` are blocks (checked in blue_green_strategy_listener_rules...).
    ("aws_lb_listener_rule", &["listener_arn"]),
    ("aws_cloudwatch_metric_alarm", &["alarm_name", "comparison_operator", "evaluation_periods"]),
    // aws_codedeploy_app: name (compute_platform ECS, else it defaults to Server);
    // aws_codedeploy_deployment_group: app_name, deployment_group_name, service_role_arn.
    ("aws_codedeploy_app", &["name", "compute_platform"]),
    ("aws_codedeploy_deployment_group", &["app_name", "deployment_group_name", "service_role_arn"]),
    (
        "aws_appautoscaling_scheduled_action",
        &["name", "resource_id", "scalable_dimension", "service_namespace", "schedule"],
    ),
];

#[test]
fn terraform_is_well_formed_with_required_arguments() {
    for (name, text) in documents() {
        let Some((setup, _)) = setup_of(&text, 60) else { continue };
        let tf = terraform::render(&setup);
        balanced(&tf).unwrap_or_else(|e| panic!("{name}: {e}\n{tf}"));
        let res = resources(&tf);
        assert!(res.iter().any(|r| r.0 == "aws_ecs_cluster"), "{name}");
        for (ty, rname, body) in &res {
            let req = REQUIRED.iter().find(|(t, _)| t == ty).unwrap_or_else(|| panic!("{name}: unexpected {ty}"));
            for arg in req.1 {
                assert!(
                    body.lines().any(|l| l.trim_start().starts_with(&format!("{arg} ="))),
                    "{name}: {ty}.{rname} lacks {arg}\n{body}"
                );
            }
            if ty == "aws_ecs_task_definition" {
                assert!(body.contains("container_definitions = jsonencode(["), "{name}: {body}");
            }
        }
        // Every reference points at a resource or variable that the file declares.
        for (i, _) in tf.match_indices("aws_") {
            let tail = &tf[i..];
            let r: String = tail.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.').collect();
            let parts: Vec<&str> = r.split('.').collect();
            if parts.len() >= 3 && tf[..i].ends_with([' ', '{']) {
                let decl = format!("resource \"{}\" \"{}\"", parts[0], parts[1]);
                assert!(tf.contains(&decl), "{name}: {r} refers to an undeclared resource");
            }
        }
        for (i, _) in tf.match_indices("var.") {
            let v: String = tf[i + 4..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            assert!(tf.contains(&format!("variable \"{v}\"")), "{name}: var.{v} is not declared");
        }
    }
}

#[test]
fn terraform_snapshots() {
    for id in
        ["alb-request-count-per-target", "step-and-scheduled-scaling", "fargate-awsvpc-ips", "circuit-breaker-rollback"]
    {
        let (setup, _) = setup_of(&lesson(id), 0).expect("loads");
        insta::assert_snapshot!(format!("terraform-{id}"), terraform::render(&setup));
    }
}

#[test]
fn cli_snapshot_and_quoting() {
    let (setup, _) = setup_of(&lesson("alb-dynamic-ports"), 0).expect("loads");
    let out = cli::render(&setup);
    assert!(out.contains("aws ecs create-cluster"));
    assert!(out.contains("aws ecs register-task-definition"));
    assert!(out.contains("aws ecs create-service"));
    insta::assert_snapshot!("cli-alb-dynamic-ports", out);
    assert_eq!(cli::shell_quote("it's"), r#"'it'\''s'"#);
}

#[test]
fn pasted_text_cannot_become_shell_code() {
    let text =
        lesson("docker-vs-vm-vocabulary").replace("public.ecr.aws/nginx/nginx:1.27", "x@@$(reboot)@@'; rm -rf /'");
    let (setup, _) = setup_of(&text, 0).expect("loads");
    let out = cli::render(&setup);
    assert!(out.contains(r#"x@@$(reboot)@@'\''; rm -rf /'\''"#), "{out}");
}

/// What a user builds is what is exported: a revision registered and deployed while the
/// simulation runs (as the editor and the service panel do, through `Simulation::apply`) and a
/// changed desired count show up in the JSON, CLI and Terraform, and still validate.
#[test]
fn exports_follow_actions_taken_while_running() {
    let mut sim = ecs_sim::load(&lesson("docker-vs-vm-vocabulary"), None).expect("loads");
    sim.run_until(300_000); // after the lesson's own UpdateService
    let mut td: Value = serde_json::from_value(
        json::register_task_definitions(&Setup::from_sim(&sim)).first().cloned().expect("one td"),
    )
    .expect("td");
    td["containerDefinitions"][0]["image"] = j!("public.ecr.aws/nginx/nginx:1.28");
    let out = sim.apply_json("RegisterTaskDefinition", &td).expect("registers");
    assert_eq!(out["taskDefinition"]["revision"], 2);
    sim.apply_json("UpdateService", &j!({"service": "web", "taskDefinition": "web:2", "desiredCount": 3}))
        .expect("deploys");
    sim.run_until(700_000);
    let setup = Setup::from_sim(&sim);
    let tds = json::register_task_definitions(&setup);
    assert_eq!(tds.len(), 1);
    assert_eq!(tds[0]["containerDefinitions"][0]["image"], "public.ecr.aws/nginx/nginx:1.28", "the deployed revision");
    validate(&parse_task_definition(&tds[0]).expect("parses")).expect("validates");
    let svc = json::create_services(&setup);
    assert_eq!(svc[0]["desiredCount"], 3);
    assert!(cli::render(&setup).contains("nginx:1.28"));
    let tf = terraform::render(&setup);
    assert!(tf.contains("desired_count = 3") && tf.contains("nginx:1.28"), "{tf}");
}

/// Issue 18: a blue/green (canary) service exports with its strategy, bake times, the load
/// balancer's advancedConfiguration, the listener rules with weighted forward actions and the
/// deployment alarms, in each format: create-service JSON, CLI (elbv2 create-rule, cloudwatch
/// put-metric-alarm) and Terraform (aws_lb_listener_rule, aws_cloudwatch_metric_alarm), with the
/// provider's argument names.
#[test]
fn blue_green_strategy_listener_rules_and_alarms_are_exported() {
    let (setup, _) = setup_of(&lesson("canary-10-then-all"), 0).expect("loads");
    let doc: Value = serde_json::from_str(&json::setup_document(&setup)).expect("json");
    let svc = &doc["createService"][0];
    assert_eq!(svc["deploymentConfiguration"]["strategy"], "CANARY");
    assert_eq!(svc["deploymentConfiguration"]["canaryConfiguration"]["canaryPercent"], 10.0);
    assert_eq!(svc["loadBalancers"][0]["advancedConfiguration"]["productionListenerRule"], "web-production");
    let rules = doc["createRule"].as_array().expect("createRule");
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0]["Priority"], 10);
    assert_eq!(rules[0]["Actions"][0]["ForwardConfig"]["TargetGroups"][0]["Weight"], 100);
    // CreateRule requires Conditions: the production rule (none written) matches every path.
    assert_eq!(rules[0]["Conditions"][0]["Field"], "path-pattern");
    assert_eq!(rules[1]["Conditions"][0]["HttpHeaderConfig"]["HttpHeaderName"], "X-Test");

    let sh = cli::render(&setup);
    assert!(sh.contains("RULE_ARN_WEB_PRODUCTION=$(aws elbv2 create-rule"), "{sh}");
    assert!(sh.contains(r#""productionListenerRule":"'"$RULE_ARN_WEB_PRODUCTION"'""#), "{sh}");
    assert!(sh.contains(r#""alternateTargetGroupArn":"'"$TG_ARN_WEB_GREEN"'""#), "{sh}");
    assert!(
        sh.find("create-rule").unwrap_or(usize::MAX) < sh.find("create-service").unwrap_or(0),
        "rules before the service"
    );

    let tf = terraform::render(&setup);
    for needle in [
        "resource \"aws_lb_listener_rule\" \"web_production\"",
        "listener_arn = var.listener_arn",
        "arn = aws_lb_target_group.web_blue.arn",
        "http_header_name = \"X-Test\"",
        "ignore_changes = [action]",
        "strategy = \"CANARY\"",
        "canary_percent = 10.0",
        "production_listener_rule = aws_lb_listener_rule.web_production.arn",
        "alternate_target_group_arn = aws_lb_target_group.web_green.arn",
    ] {
        assert!(tf.contains(needle), "Terraform lacks {needle}:\n{tf}");
    }

    let (setup, _) = setup_of(&lesson("deployment-alarm-rollback"), 0).expect("loads");
    let doc: Value = serde_json::from_str(&json::setup_document(&setup)).expect("json");
    assert_eq!(doc["putMetricAlarm"][0]["AlarmName"], "web-cpu-high");
    assert!(cli::render(&setup).contains("aws cloudwatch put-metric-alarm"));
    let tf = terraform::render(&setup);
    assert!(tf.contains("resource \"aws_cloudwatch_metric_alarm\" \"web_cpu_high\""), "{tf}");
    assert!(tf.contains("alarm_names = [aws_cloudwatch_metric_alarm.web_cpu_high.alarm_name]"), "{tf}");
}
