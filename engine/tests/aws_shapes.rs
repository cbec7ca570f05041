//! What the project writes, checked against AWS's published service models (botocore's
//! `service-2.json` for ecs, elbv2 and application-autoscaling, vendored in
//! `tests/fixtures/botocore/`): the exported request bodies of every scenario and lesson.

mod botocore;

use botocore::Stats;
use ecs_sim::export::{json, Setup};
use serde_json::Value;
use std::path::PathBuf;

/// Every scenario and lesson file: (name, text).
fn documents() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["lessons", "scenarios"] {
        let d = PathBuf::from(format!("{}/../{dir}", env!("CARGO_MANIFEST_DIR")));
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(&d).expect("dir").filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for p in files.into_iter().filter(|p| p.extension().is_some_and(|x| x == "json")) {
            let name = format!("{dir}/{}", p.file_name().and_then(|s| s.to_str()).unwrap_or_default());
            out.push((name, std::fs::read_to_string(&p).expect("read")));
        }
    }
    out
}

fn fail_on(name: &str, errs: Vec<String>) {
    assert!(errs.is_empty(), "{name}:\n{}", errs.join("\n"));
}

/// The JSON export (register-task-definition, create-service, create-target-group and
/// application-autoscaling bodies) of every scenario and lesson is what botocore accepts.
#[test]
fn exported_request_bodies_match_the_service_models() {
    let (ecs, elbv2, aas) = (botocore::ecs(), botocore::elbv2(), botocore::application_autoscaling());
    let mut st = Stats::default();
    let mut n = 0;
    for (name, text) in documents() {
        let mut sim = ecs_sim::load(&text, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        sim.run_until(300_000);
        let setup = Setup::from_sim(&sim);
        let doc: Value = serde_json::from_str(&json::setup_document(&setup)).expect("setup document");
        for (i, td) in doc["registerTaskDefinition"].as_array().into_iter().flatten().enumerate() {
            let p = format!("{name}: registerTaskDefinition[{i}]");
            fail_on(&p, ecs.validate("RegisterTaskDefinitionRequest", td, "", &mut st));
        }
        for (i, s) in doc["createService"].as_array().into_iter().flatten().enumerate() {
            let p = format!("{name}: createService[{i}]");
            fail_on(&p, ecs.validate("CreateServiceRequest", s, "", &mut st));
        }
        for (i, tg) in doc["createTargetGroup"].as_array().into_iter().flatten().enumerate() {
            // `Attributes` is the ModifyTargetGroupAttributes call made right after creation.
            let mut create = tg.clone();
            let attrs = create.as_object_mut().and_then(|o| o.remove("Attributes"));
            let p = format!("{name}: createTargetGroup[{i}]");
            fail_on(&p, elbv2.validate("CreateTargetGroupInput", &create, "", &mut st));
            if let Some(a) = attrs {
                let body = serde_json::json!({"TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/0123456789abcdef", "Attributes": a});
                fail_on(&p, elbv2.validate("ModifyTargetGroupAttributesInput", &body, "", &mut st));
            }
        }
        let aa = &doc["applicationAutoScaling"];
        for (key, shape) in [
            ("ScalableTargets", "RegisterScalableTargetRequest"),
            ("ScalingPolicies", "PutScalingPolicyRequest"),
            ("ScheduledActions", "PutScheduledActionRequest"),
        ] {
            for (i, b) in aa[key].as_array().into_iter().flatten().enumerate() {
                fail_on(&format!("{name}: applicationAutoScaling.{key}[{i}]"), aas.validate(shape, b, "", &mut st));
            }
        }
        n += 1;
    }
    assert!(n >= 40, "only {n} documents");
    eprintln!(
        "exports: {n} documents, {} shapes, {} distinct members, {} member values checked",
        st.shapes.len(),
        st.members.len(),
        st.values
    );
}

/// How long to play a document: a lesson's own duration, else 20 simulated minutes.
fn duration_ms(text: &str) -> u64 {
    let v: Value = serde_json::from_str(text).expect("json");
    let s = v["lesson"]["durationSeconds"].as_f64().unwrap_or(1200.0).min(7200.0);
    (s * 1000.0) as u64
}

const ENVELOPE: [&str; 10] = ["account", "detail", "detail-type", "id", "region", "resources", "source", "t", "time", "version"];
const TRACE: [&str; 3] = ["detail", "t", "trace"];

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().map(|o| o.keys().map(|k| k.as_str()).collect()).unwrap_or_default()
}

fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
}

/// `v` without the named members.
fn without(v: &Value, drop: &[&str]) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        for k in drop {
            o.remove(*k);
        }
    }
    v
}

/// The documented ECS service action event names with their event types
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html).
const SERVICE_ACTIONS: [(&str, &str); 8] = [
    ("SERVICE_STEADY_STATE", "INFO"),
    ("TASKSET_STEADY_STATE", "INFO"),
    ("CAPACITY_PROVIDER_STEADY_STATE", "INFO"),
    ("SERVICE_DESIRED_COUNT_UPDATED", "INFO"),
    ("TASKS_STOPPED", "INFO"),
    ("SERVICE_TASK_START_IMPAIRED", "WARN"),
    ("SERVICE_TASK_PLACEMENT_FAILURE", "ERROR"),
    ("SERVICE_TASK_CONFIGURATION_FAILURE", "ERROR"),
];

/// Check one log line; returns its problems.
fn check_line(ecs: &botocore::Model, line: &str, st: &mut Stats, kinds: &mut std::collections::BTreeMap<String, u64>) -> Vec<String> {
    let v: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return vec![format!("not JSON: {e}")],
    };
    let mut errs = Vec::new();
    if let Some(kind) = v["trace"].as_str() {
        *kinds.entry(format!("trace {kind}")).or_default() += 1;
        if keys(&v) != TRACE {
            errs.push(format!("a trace line has exactly t, trace, detail: {:?}", keys(&v)));
        }
        if kind.contains(' ') || kind.starts_with("ECS") || kind.starts_with("AWS") {
            errs.push(format!("trace kind {kind} could pass for an AWS detail-type"));
        }
        if kind == "ServiceEvent" {
            errs.extend(ecs.validate("ServiceEvent", &without(&v["detail"], &["serviceName", "serviceArn"]), "detail", st));
        }
        return errs;
    }
    let dt = v["detail-type"].as_str().unwrap_or_default().to_string();
    *kinds.entry(dt.clone()).or_default() += 1;
    if keys(&v) != ENVELOPE {
        errs.push(format!("the EventBridge envelope plus t: {:?}", keys(&v)));
    }
    if v["version"] != "0" || !v["id"].as_str().is_some_and(is_uuid) || v["account"] != "123456789012" {
        errs.push("version 0, a UUID id and the account".into());
    }
    if !v["time"].as_str().is_some_and(|t| botocore::is_iso8601(t) && t.len() == 20) {
        errs.push("time is ISO 8601 to the second".into());
    }
    let resources: Vec<&str> = v["resources"].as_array().into_iter().flatten().filter_map(|r| r.as_str()).collect();
    if resources.is_empty() || !resources.iter().all(|r| r.starts_with("arn:aws:")) {
        errs.push("resources are ARNs".into());
    }
    let d = &v["detail"];
    let ecs_source = v["source"] == "aws.ecs";
    match dt.as_str() {
        // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html
        "ECS Task State Change" => {
            // The event adds `updatedAt` to describe-tasks' Task (the documented example has it).
            errs.extend(ecs.validate("Task", &without(d, &["updatedAt"]), "detail", st));
            for k in ["createdAt", "updatedAt", "version", "taskArn", "clusterArn", "lastStatus", "desiredStatus"] {
                if d.get(k).is_none() {
                    errs.push(format!("detail.{k} missing"));
                }
            }
            if d.get("healthStatus").is_some() {
                errs.push("the task state change event carries no health".into());
            }
            for c in d["containers"].as_array().into_iter().flatten() {
                if c.get("containerArn").is_none() || c["taskArn"] != d["taskArn"] {
                    errs.push("containers[] name their containerArn and taskArn".into());
                }
            }
            if resources != [d["taskArn"].as_str().unwrap_or_default()] || !ecs_source {
                errs.push("resources = [taskArn], source aws.ecs".into());
            }
        }
        // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_container_instance_events.html
        "ECS Container Instance State Change" => {
            errs.extend(ecs.validate("ContainerInstance", &without(d, &["clusterArn", "updatedAt"]), "detail", st));
            if !d["updatedAt"].as_str().is_some_and(botocore::is_iso8601) || !d["version"].is_u64() || !d["clusterArn"].is_string() {
                errs.push("detail has version, updatedAt and clusterArn".into());
            }
            if resources != [d["containerInstanceArn"].as_str().unwrap_or_default()] || !ecs_source {
                errs.push("resources = [containerInstanceArn], source aws.ecs".into());
            }
        }
        // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html
        "ECS Deployment State Change" => {
            if keys(d) != ["deploymentId", "eventName", "eventType", "reason", "updatedAt"] {
                errs.push(format!("detail has exactly the documented members: {:?}", keys(d)));
            }
            let ok = match d["eventName"].as_str().unwrap_or_default() {
                "SERVICE_DEPLOYMENT_IN_PROGRESS" | "SERVICE_DEPLOYMENT_COMPLETED" => d["eventType"] == "INFO",
                "SERVICE_DEPLOYMENT_FAILED" => d["eventType"] == "ERROR",
                _ => false,
            };
            if !ok || !d["updatedAt"].as_str().is_some_and(botocore::is_iso8601) || !ecs_source {
                errs.push("a documented eventName with its eventType, ISO updatedAt".into());
            }
            if resources.len() != 1 || !resources[0].contains(":service/") {
                errs.push("resources = [serviceArn]".into());
            }
        }
        "ECS Service Action" => {
            let allowed = ["capacityProviderArns", "clusterArn", "containerInstanceArns", "createdAt", "eventName", "eventType", "reason"];
            if keys(d).iter().any(|k| !allowed.contains(k)) || ["clusterArn", "createdAt", "eventName", "eventType"].iter().any(|k| d.get(*k).is_none()) {
                errs.push(format!("detail members are the documented ones: {:?}", keys(d)));
            }
            let name = d["eventName"].as_str().unwrap_or_default();
            if !SERVICE_ACTIONS.iter().any(|(n, t)| *n == name && d["eventType"] == *t) || !ecs_source {
                errs.push("a documented eventName with its eventType".into());
            }
            if resources.len() != 1 || !resources[0].contains(":service/") {
                errs.push("resources = [serviceArn]".into());
            }
        }
        // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
        "Scheduled Event" => {
            if d != &serde_json::json!({}) || v["source"] != "aws.events" || !resources[0].contains(":rule/") {
                errs.push("aws.events, the rule in resources, an empty detail".into());
            }
        }
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
        "Object Created" => {
            let allowed = ["bucket", "object", "reason", "request-id", "requester", "source-ip-address", "version"];
            if v["source"] != "aws.s3" || keys(d).iter().any(|k| !allowed.contains(k)) {
                errs.push(format!("aws.s3 with S3's members: {:?}", keys(d)));
            }
        }
        other => errs.push(format!("{other} is not a detail-type the playground sends as AWS's")),
    }
    errs
}

/// Every line of every scenario's and lesson's log: AWS's events are full EventBridge events
/// whose `detail` is AWS's shape; everything else is a trace line of the project's own kind.
#[test]
fn event_lines_are_eventbridge_events_or_own_trace_lines() {
    let ecs = botocore::ecs();
    let mut st = Stats::default();
    let mut kinds = std::collections::BTreeMap::new();
    let mut lines = 0;
    for (name, text) in documents() {
        let mut sim = ecs_sim::load(&text, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        sim.run_until(duration_ms(&text));
        for line in sim.log().to_json_lines().lines() {
            let errs = check_line(&ecs, line, &mut st, &mut kinds);
            assert!(errs.is_empty(), "{name}: {}\n{line}", errs.join("\n"));
            lines += 1;
        }
    }
    for k in ["ECS Task State Change", "ECS Container Instance State Change", "ECS Deployment State Change", "ECS Service Action"] {
        assert!(kinds.contains_key(k), "no {k} in any log: {kinds:?}");
    }
    eprintln!(
        "events: {lines} lines, {kinds:?}; {} shapes, {} distinct members, {} member values checked",
        st.shapes.len(),
        st.members.len(),
        st.values
    );
}

/// The snapshot (the last line of `ecs-sim run`) is the describe calls' output member for member,
/// and the project's own keys beside it.
#[test]
fn snapshot_matches_the_describe_outputs() {
    let (ecs, elbv2) = (botocore::ecs(), botocore::elbv2());
    let mut st = Stats::default();
    for (name, text) in documents() {
        let mut sim = ecs_sim::load(&text, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        sim.run_until(duration_ms(&text));
        let snap = sim.snapshot();
        assert_eq!(
            keys(&snap),
            ["TargetGroups", "capacityProviders", "containerInstances", "playground", "services", "targetGroupAttributes", "targetHealth", "tasks"],
            "{name}"
        );
        let mut errs = Vec::new();
        for (member, shape) in [
            ("services", "DescribeServicesResponse"),
            ("tasks", "DescribeTasksResponse"),
            ("containerInstances", "DescribeContainerInstancesResponse"),
            ("capacityProviders", "DescribeCapacityProvidersResponse"),
        ] {
            let body = serde_json::json!({ member: snap[member] });
            errs.extend(ecs.validate(shape, &body, member, &mut st));
        }
        errs.extend(elbv2.validate("DescribeTargetGroupsOutput", &serde_json::json!({"TargetGroups": snap["TargetGroups"]}), "TargetGroups", &mut st));
        for (i, h) in snap["targetHealth"].as_array().into_iter().flatten().enumerate() {
            errs.extend(elbv2.validate("DescribeTargetHealthOutput", &without(h, &["TargetGroupArn"]), &format!("targetHealth[{i}]"), &mut st));
        }
        for (i, a) in snap["targetGroupAttributes"].as_array().into_iter().flatten().enumerate() {
            errs.extend(elbv2.validate("DescribeTargetGroupAttributesOutput", &without(a, &["TargetGroupArn"]), &format!("targetGroupAttributes[{i}]"), &mut st));
        }
        // describe-services lists a service's events newest first.
        for s in snap["services"].as_array().into_iter().flatten() {
            let times: Vec<&str> = s["events"].as_array().into_iter().flatten().filter_map(|e| e["createdAt"].as_str()).collect();
            if times.windows(2).any(|w| w[0] < w[1]) {
                errs.push(format!("{}: events not newest first", s["serviceName"]));
            }
        }
        fail_on(&name, errs);
    }
    eprintln!("snapshot: {} shapes, {} distinct members, {} member values checked", st.shapes.len(), st.members.len(), st.values);
}
