//! EventBridge rules that run ECS tasks: scheduled (`scenarios/eventbridge-scheduled.json`, which
//! starts on Friday 2026-01-09 17:57 UTC) and S3-triggered (`scenarios/s3-triggered.json`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;
use common::*;
use serde_json::json;

fn scheduled(sim: &ecs_sim::Simulation, rule: &str) -> Vec<u64> {
    // The rule is the event's one resource (`resources: [rule ARN]`).
    let arn_end = format!(":rule/{rule}");
    entries(sim, "Scheduled Event")
        .filter(|e| {
            e.envelope.as_ref().is_some_and(|env| env.resources.len() == 1 && env.resources[0].ends_with(&arn_end))
        })
        .map(|e| e.t / 1000)
        .collect()
}

#[test]
fn rate_rule_runs_every_period_from_creation() {
    // rate(5 minutes): one period after the rule is created, then every period.
    let sim = run_value(&scenario("eventbridge-scheduled"), 1000);
    assert_eq!(scheduled(&sim, "cleanup-every-5-minutes"), vec![300, 600, 900]);
}

#[test]
fn weekday_cron_fires_at_18_utc_and_skips_the_weekend() {
    // cron(0 18 ? * MON-FRI *): "Run at 6:00 pm (UTC) every Monday through Friday" (EventBridge
    // cron examples). From Friday 17:57: Friday 18:00 (180 s), then Monday 18:00 (3 days later).
    let mut sc = scenario("eventbridge-scheduled");
    sc["eventRules"]["Rules"].as_array_mut().map(|r| r.remove(0));
    let sim = run_value(&sc, 4 * 86_400);
    assert_eq!(scheduled(&sim, "weekday-report"), vec![180, 180 + 3 * 86_400]);
    let times: Vec<String> =
        entries(&sim, "Scheduled Event").filter_map(|e| e.envelope.as_ref().map(|env| env.time.clone())).collect();
    assert_eq!(times, vec!["2026-01-09T18:00:00Z", "2026-01-12T18:00:00Z"]);
}

#[test]
fn every_quarter_hour_cron() {
    // cron(0/15 * * * ? *): "Run every 15 minutes" - at :00, :15, :30, :45 UTC.
    let mut sc = scenario("eventbridge-scheduled");
    sc["eventRules"]["Rules"][0]["ScheduleExpression"] = json!("cron(0/15 * * * ? *)");
    let sim = run_value(&sc, 3000);
    // Start 17:57 -> 18:00, 18:15, 18:30, 18:45.
    assert_eq!(scheduled(&sim, "cleanup-every-5-minutes"), vec![180, 1080, 1980, 2880]);
}

#[test]
fn targets_run_tasks_that_exit_zero() {
    let sim = run_value(&scenario("eventbridge-scheduled"), 700);
    let stopped: Vec<_> = task_changes(&sim).into_iter().filter(|c| c.2 == "STOPPED").collect();
    // weekday-report at 180 s (TaskCount 2), cleanup at 300 s and 600 s.
    let report: Vec<_> = stopped.iter().filter(|c| c.4["group"] == "family:report").collect();
    assert_eq!(report.len(), 2);
    for c in &stopped {
        assert_eq!(c.3, "EssentialContainerExited");
        assert_eq!(c.4["containers"][0]["exitCode"], 0, "the job finished successfully");
        assert!(c.4["startedBy"].as_str().is_some_and(|s| s.starts_with("events-rule/")), "{}", c.4);
        assert_eq!(c.4["launchType"], "FARGATE");
    }
    assert_eq!(stopped.len(), 4);
}

#[test]
fn rule_rules_are_checked() {
    let mut sc = scenario("eventbridge-scheduled");
    sc["eventRules"]["Rules"][0]["ScheduleExpression"] = json!("at(2026-01-09T18:00:00)");
    let e = ecs_sim::load(&sc.to_string(), None).err().map(|e| (e.field, e.message)).unwrap_or_default();
    assert_eq!(e.0, "eventRules.Rules[0].ScheduleExpression");
    let mut sc = scenario("eventbridge-scheduled");
    sc["eventRules"]["Rules"][0]["ScheduleExpression"] = json!("rate(1 minutes)");
    let e = ecs_sim::load(&sc.to_string(), None).err().map(|e| e.message).unwrap_or_default();
    assert!(e.contains("singular"), "{e}");
    let mut sc = scenario("eventbridge-scheduled");
    sc["eventRules"]["Rules"][1]["Targets"][0]["EcsParameters"]["TaskDefinitionArn"] = json!("nope");
    let e = ecs_sim::load(&sc.to_string(), None).err().map(|e| e.field).unwrap_or_default();
    assert_eq!(e, "eventRules.Rules[1].Targets[0].EcsParameters.TaskDefinitionArn");
    let mut sc = scenario("eventbridge-scheduled");
    sc["eventRules"]["Rules"][1]["State"] = json!("DISABLED");
    let sim = run_value(&sc, 700);
    assert!(scheduled(&sim, "weekday-report").is_empty(), "a DISABLED rule does not run");
}

#[test]
fn each_matching_upload_runs_one_task() {
    let sim = run_value(&scenario("s3-triggered"), 600);
    // S3 sends "Object Created" for the uploads bucket only (EventBridge enabled on it).
    let created: Vec<(u64, String)> = entries(&sim, "Object Created")
        .map(|e| (e.t / 1000, e.detail["object"]["key"].as_str().unwrap_or("").to_string()))
        .collect();
    assert_eq!(created.len(), 3);
    assert!(entries(&sim, "Object Created")
        .all(|e| e.detail["reason"] == "PutObject" && e.detail["bucket"]["name"] == "uploads"));
    // The pattern's prefix filter keeps the two incoming/ uploads: one RunTask each.
    let runs: Vec<u64> =
        entries(&sim, "ApiCall").filter(|e| e.detail["eventName"] == "RunTask").map(|e| e.t / 1000).collect();
    assert_eq!(runs, vec![60, 75]);
    let stopped: Vec<_> = task_changes(&sim).into_iter().filter(|c| c.2 == "STOPPED").collect();
    assert_eq!(stopped.len(), 2);
    assert!(stopped
        .iter()
        .all(|c| c.4["containers"][0]["exitCode"] == 0 && c.4["startedBy"] == "events-rule/process-uploads"));
}

#[test]
fn put_object_reports_whether_eventbridge_got_it() {
    let mut sim = ecs_sim::load(&scenario("s3-triggered").to_string(), None).expect("loads");
    let r = sim.apply_json("PutObject", &json!({"bucket": "other-bucket", "key": "k"})).expect("put");
    assert_eq!(r["eventBridge"], false);
    let r = sim.apply_json("PutObject", &json!({"bucket": "uploads", "key": "incoming/k"})).expect("put");
    assert_eq!(r["eventBridge"], true);
    assert!(sim.apply_json("PutObject", &json!({"bucket": "uploads"})).is_err(), "key is required");
}

#[test]
fn scheduled_tasks_can_use_fargate_spot() {
    // EcsParameters.CapacityProviderStrategy instead of LaunchType.
    let mut sc = scenario("eventbridge-scheduled");
    sc["capacityProviders"] =
        json!({"putClusterCapacityProviders": {"capacityProviders": ["FARGATE", "FARGATE_SPOT"]}});
    let p = &mut sc["eventRules"]["Rules"][0]["Targets"][0]["EcsParameters"];
    p.as_object_mut().map(|m| m.remove("LaunchType"));
    p["CapacityProviderStrategy"] = json!([{"capacityProvider": "FARGATE_SPOT", "weight": 1}]);
    let sim = run_value(&sc, 400);
    let t = sim.state().tasks.iter().find(|t| t.group == "family:cleanup").expect("cleanup task ran");
    assert_eq!(t.capacity_provider.as_deref(), Some("FARGATE_SPOT"));
    // Both LaunchType and CapacityProviderStrategy: refused.
    let mut bad = sc.clone();
    bad["eventRules"]["Rules"][0]["Targets"][0]["EcsParameters"]["LaunchType"] = json!("FARGATE");
    let e = ecs_sim::load(&bad.to_string(), None).err().map(|e| e.field).unwrap_or_default();
    assert_eq!(e, "eventRules.Rules[0].Targets[0].EcsParameters.LaunchType");
}

/// "Amazon ECS task state change events" reach EventBridge; a rule matching lastStatus STOPPED
/// publishes each such event to its SNS topic target, and nothing else (the RUNNING changes do
/// not match). An SNS target is a topic ARN without EcsParameters; an ECS target needs them.
#[test]
fn a_stopped_task_rule_publishes_each_stop_to_its_sns_topic() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../lessons/eventbridge-stopped-task-sns.json"))
            .expect("lesson");
    let mut sim = ecs_sim::load(&text, None).expect("loads");
    sim.run_until(300_000);
    let entries = sim.log().entries();
    let stopped: Vec<u64> = entries
        .iter()
        .filter(|e| e.detail_type == "ECS Task State Change" && e.detail["lastStatus"] == "STOPPED")
        .map(|e| e.t)
        .collect();
    let sns: Vec<&ecs_sim::log::LogEntry> = entries.iter().filter(|e| e.detail_type == "SnsNotification").collect();
    assert_eq!(stopped.len(), 2, "the worker's container exits every 90 s");
    assert_eq!(sns.iter().map(|e| e.t).collect::<Vec<_>>(), stopped, "one notification per stop, at the stop");
    for e in &sns {
        assert_eq!(e.detail["TopicArn"], "arn:aws:sns:us-east-1:123456789012:ops-alerts");
        assert_eq!(e.detail["Message"]["source"], "aws.ecs");
        assert_eq!(e.detail["Message"]["detail-type"], "ECS Task State Change");
        assert_eq!(e.detail["Message"]["detail"]["stopCode"], "EssentialContainerExited");
    }

    // A pattern on RUNNING publishes the RUNNING changes instead.
    let running = text.replace(
        r#""lastStatus": [
              "STOPPED"
            ]"#,
        r#""lastStatus": [
              "RUNNING"
            ]"#,
    );
    assert_ne!(running, text);
    let mut sim = ecs_sim::load(&running, None).expect("loads");
    sim.run_until(300_000);
    let sns: Vec<_> = sim.log().entries().iter().filter(|e| e.detail_type == "SnsNotification").collect();
    assert!(!sns.is_empty() && sns.iter().all(|e| e.detail["Message"]["detail"]["lastStatus"] == "RUNNING"));

    // Target shapes: an SNS target with EcsParameters, an ECS target without them.
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    v["eventRules"]["Rules"][0]["Targets"][0]["EcsParameters"] = json!({"TaskDefinitionArn": "worker"});
    let e = ecs_sim::load(&v.to_string(), None).expect_err("sns with EcsParameters");
    assert_eq!(e.field, "eventRules.Rules[0].Targets[0].Arn", "{e}");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    v["eventRules"]["Rules"][0]["Targets"][0]["Arn"] = json!("arn:aws:ecs:us-east-1:123456789012:cluster/playground");
    let e = ecs_sim::load(&v.to_string(), None).expect_err("ecs target without EcsParameters");
    assert_eq!(e.field, "eventRules.Rules[0].Targets[0].EcsParameters", "{e}");
}
