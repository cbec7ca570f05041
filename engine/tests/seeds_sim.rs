//! ECR, IAM, volumes, cost and compare wired into the simulation, driven by the lesson files in
//! `lessons/` (each a scenario a learner can open). Each test quotes the rule it checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::log::kind;
use ecs_sim::model::TaskStatus;
use ecs_sim::Simulation;
use serde_json::{json, Value};

fn lesson(name: &str) -> Value {
    let path = format!("{}/../lessons/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("lesson file")).expect("lesson json")
}

/// Load a lesson with jitter off, so durations are exact.
fn sim_of(mut doc: Value) -> Simulation {
    doc["timings"] = json!({"jitter": 0});
    ecs_sim::load(&doc.to_string(), None).expect("lesson loads")
}

fn stopped_reasons(sim: &Simulation, family: &str) -> Vec<String> {
    sim.state()
        .tasks
        .iter()
        .filter(|t| t.task_def.family == family && t.last_status == TaskStatus::Stopped)
        .filter_map(|t| t.stopped_reason.clone())
        .collect()
}

fn running(sim: &Simulation, family: &str) -> usize {
    sim.state().tasks.iter().filter(|t| t.task_def.family == family && t.last_status == TaskStatus::Running).count()
}

#[test]
fn a_tag_that_was_never_pushed_stops_the_task_with_cannot_pull_container_error() {
    // ECS guide, "CannotPullContainer task errors": on Fargate a missing tag reads
    // "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to
    // resolve ref <image>: <image>: not found"; stopCode TaskFailedToStart.
    let mut sim = sim_of(lesson("ecr-lifecycle-missing-tag"));
    sim.run_until(300_000);
    let uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v4";
    let reasons = stopped_reasons(&sim, "web");
    let want = format!(
        "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {uri}: {uri}: not found"
    );
    assert!(reasons.contains(&want), "{reasons:?}");
    let failed = sim.state().tasks.iter().find(|t| t.stopped_reason.as_deref() == Some(want.as_str())).expect("task");
    assert_eq!(failed.task_def.revision, 2);
    assert!(failed.started_at.is_none(), "never reached RUNNING");
    // minimumHealthyPercent 100: the web:1 tasks keep serving while web:2 cannot start.
    assert_eq!(running(&sim, "web"), 2);
}

#[test]
fn pull_time_follows_the_ecr_image_size() {
    // Pull model (sim timings): pullBaseSeconds 2 + MB / pullMbPerSecond 50, then the container
    // start (2 s). web:v3 is 190 MB: PENDING lasts 2 + 190/50 + 2 = 7.8 s.
    let mut sim = sim_of(lesson("ecr-lifecycle-missing-tag"));
    sim.run_until(100_000);
    let t = sim.state().tasks.first().expect("task");
    let at = |s: TaskStatus| t.history.iter().find(|(_, x)| *x == s).map(|(at, _)| *at).expect("status seen");
    assert_eq!(at(TaskStatus::Activating) - at(TaskStatus::Pending), 7_800);
}

#[test]
fn the_ecr_panel_lists_what_the_lifecycle_policy_would_expire() {
    // Rule 1: untagged, sinceImagePushed > 14 days -> the 10 October image (22 days old on
    // 1 November); the 29 October one (3 days) stays. Rule 2: tagPrefixList ["v"],
    // imageCountMoreThan 2 -> keeps v3 and v2 (newest), expires v1.
    let sim = sim_of(lesson("ecr-lifecycle-missing-tag"));
    let r = sim.ecr_report();
    let repo = &r.repositories[0];
    let expire: Vec<(String, u32)> =
        repo.would_expire.iter().map(|e| (e.image_digest.clone(), e.applied_rule_priority)).collect();
    let d = |h: &str| format!("sha256:{}", h.repeat(32));
    assert_eq!(expire.len(), 2, "{expire:?}");
    assert!(expire.contains(&(d("d4"), 1)));
    assert!(expire.contains(&(d("a1"), 2)));
    assert_eq!(repo.image_details.len(), 5);
    assert_eq!(repo.image_details[0].image_tags, ["v3"], "newest first");
}

#[test]
fn lifecycle_policies_run_once_a_simulated_day_and_log_the_expired_images() {
    // "images become expired within 24 hours after they meet the expiration criteria".
    let mut sim = sim_of(lesson("ecr-lifecycle-missing-tag"));
    sim.run_until(24 * 3_600_000);
    let expired: Vec<&Value> =
        sim.log().entries().iter().filter(|e| e.detail_type == kind::ECR_LIFECYCLE).map(|e| &*e.detail).collect();
    assert_eq!(expired.len(), 2);
    assert_eq!(sim.ecr_report().repositories[0].image_details.len(), 3);
}

#[test]
fn an_execution_role_without_ecr_access_stops_the_task_before_it_starts() {
    // ECS: "ResourceInitializationError: unable to pull secrets or registry auth: execution
    // resource retrieval failed: unable to retrieve ecr registry auth: ... AccessDeniedException".
    let mut sim = sim_of(lesson("task-role-vs-execution-role"));
    sim.run_until(120_000);
    let reasons = stopped_reasons(&sim, "api");
    assert!(!reasons.is_empty());
    for r in &reasons {
        assert!(r.starts_with("ResourceInitializationError: unable to pull secrets or registry auth"), "{r}");
        assert!(r.contains("AccessDeniedException") && r.contains("bareExecutionRole"), "{r}");
    }
    assert_eq!(running(&sim, "api"), 0);
}

#[test]
fn a_task_role_gap_is_access_denied_in_the_app_and_the_task_keeps_running() {
    // The task role "allows your application code (on the container) to use other AWS
    // services"; IAM denies what no statement allows (implicit deny).
    let mut sim = sim_of(lesson("task-role-vs-execution-role"));
    sim.run_until(120_000);
    assert_eq!(running(&sim, "web"), 2, "AccessDenied is the application's problem, not ECS's");
    let calls = &sim.account().app_calls();
    let get = calls.iter().filter(|c| c.action == "s3:GetObject").collect::<Vec<_>>();
    let put = calls.iter().filter(|c| c.action == "s3:PutObject").collect::<Vec<_>>();
    assert_eq!((get.len(), put.len()), (2, 2), "one of each per running task");
    assert!(get.iter().all(|c| c.allowed));
    for c in put {
        assert!(!c.allowed);
        let e = c.error.as_deref().unwrap_or("");
        assert!(e.contains("is not authorized to perform: s3:PutObject"), "{e}");
        assert!(e.contains("assumed-role/webTaskRole/"), "{e}");
    }
    let logged = sim.log().entries().iter().filter(|e| e.detail_type == kind::APP_CALL).count();
    assert_eq!(logged, 4);
    // The IAM graph: the failing execution role and the denied task-role edge are marked.
    let views = sim.iam_report();
    let api = views.iter().find(|v| v.task_definition == "api:1").expect("api view");
    assert!(api.start_failures.iter().any(|r| r.starts_with("ResourceInitializationError")));
    assert!(api.graph.edges.iter().any(|e| e.action == "ecr:GetAuthorizationToken" && !e.allowed));
    let web = views.iter().find(|v| v.task_definition == "web:1").expect("web view");
    assert!(web.graph.edges.iter().any(|e| e.action == "s3:PutObject" && !e.allowed));
    assert!(web.graph.edges.iter().any(|e| e.action == "s3:GetObject" && e.allowed));
    assert_eq!(web.denied_calls.len(), 2, "one per task: the message names the task's role session");
}

#[test]
fn without_iam_roles_nothing_is_checked() {
    // Scenarios that declare no iamRoles behave as before: the api service starts.
    let mut doc = lesson("task-role-vs-execution-role");
    doc.as_object_mut().map(|o| o.remove("iamRoles"));
    let mut sim = sim_of(doc);
    sim.run_until(120_000);
    assert_eq!(running(&sim, "api"), 1);
    assert!(sim.account().app_calls().is_empty());
}

#[test]
fn register_task_definition_checks_volumes_with_field_named_errors() {
    // Fargate ephemeralStorage.sizeInGiB: "The minimum supported value is 21 GiB and the maximum
    // supported value is 200 GiB" (the default 20 GiB needs no setting).
    let base = lesson("sidecar-bind-mount-efs");
    assert!(ecs_sim::load(&base.to_string(), None).is_ok());
    for bad in [250, 20] {
        let mut doc = base.clone();
        doc["taskDefinitions"][0]["ephemeralStorage"]["sizeInGiB"] = json!(bad);
        let e = ecs_sim::load(&doc.to_string(), None).expect_err("refused");
        assert!(e.field.ends_with("ephemeralStorage.sizeInGiB"), "{bad}: {}", e.field);
    }
    let mut doc = base.clone();
    doc["taskDefinitions"][0]["containerDefinitions"][1]["mountPoints"][0]["sourceVolume"] = json!("nope");
    let e = ecs_sim::load(&doc.to_string(), None).expect_err("unknown volume");
    assert!(e.field.contains("mountPoints[0].sourceVolume"), "{}", e.field);
    assert!(e.field.starts_with("taskDefinitions[0]"), "{}", e.field);
}

#[test]
fn the_cost_meter_bills_what_ran() {
    // Fargate: per second from the start of the image pull, 1-minute minimum, $0.04048 per
    // vCPU-hour + $0.004445 per GB-hour (us-east-1, table of 2026-11-01): a 0.5 vCPU / 1 GB
    // task is $0.024685 per hour. EC2: two m5.large at $0.096 per hour from registration.
    let mut sim = sim_of(lesson("cost-fargate-vs-ec2"));
    sim.run_until(600_000);
    let c = sim.cost_report().expect("prices for us-east-1");
    assert_eq!(c.price_date, "2026-11-01");
    assert!((c.totals.ec2 - 2.0 * 0.096 * 600.0 / 3600.0).abs() < 1e-12, "{}", c.totals.ec2);
    let billed: u64 = sim
        .state()
        .tasks
        .iter()
        .filter(|t| t.task_def.family == "worker")
        .map(|t| {
            let pull = t.history.iter().find(|(_, s)| *s == TaskStatus::Pending).map(|(at, _)| *at).expect("pulled");
            (600_000 - pull).div_ceil(1000).max(60)
        })
        .sum();
    assert_eq!(c.totals.fargate_task_seconds, billed);
    let want = 0.024685 * billed as f64 / 3600.0;
    assert!((c.totals.fargate - want).abs() < 1e-12, "{} vs {want}", c.totals.fargate);
    // The meter keeps running and the snapshot carries it.
    sim.run_until(1_200_000);
    let later = sim.cost_report().expect("prices").totals.total;
    assert!(later > c.totals.total);
    assert_eq!(sim.snapshot()["playground"]["cost"]["priceDate"], "2026-11-01");
    let cmp = c.comparison.expect("comparison");
    let names: Vec<&str> = cmp.options.iter().map(|o| o.option).collect();
    assert_eq!(names, ["FARGATE", "FARGATE_SPOT", "EC2_BINPACK", "EC2_SPREAD"]);
}

#[test]
fn a_terminated_instance_stops_billing() {
    let mut sim = sim_of(lesson("cost-fargate-vs-ec2"));
    sim.run_until(300_000);
    let id = sim.state().instances[0].ec2_instance_id.clone();
    sim.apply_json("TerminateInstance", &json!({"instance": id})).expect("terminate");
    sim.run_until(900_000);
    let ec2 = sim.cost_report().expect("prices").totals.ec2;
    // One instance 300 s, the other 900 s.
    assert!((ec2 - 0.096 * 1200.0 / 3600.0).abs() < 1e-12, "{ec2}");
}

#[test]
fn compare_mode_reads_the_services_deployment_configuration_and_traffic() {
    // maxSurge = maximumPercent - 100 = 100%; maxUnavailable = 100 - minimumHealthyPercent = 50%.
    let mut sim = sim_of(lesson("compare-lambda-ecs-eks"));
    sim.run_until(60_000);
    let r = sim.compare_report(None, 45).expect("report");
    assert_eq!((r.maximum_percent, r.minimum_healthy_percent), (200, 50));
    assert_eq!((r.kubernetes.max_surge.as_str(), r.kubernetes.max_unavailable.as_str()), ("100%", "50%"));
    let hpa = r.kubernetes.hpa.expect("target tracking -> HPA");
    assert_eq!((hpa.min_replicas, hpa.max_replicas, hpa.metric, hpa.average_utilization), (2, 10, "cpu", 50));
    // The scenario's traffic: 40 rps, 200 rps from 600 s, 20 rps from 2,400 s.
    assert_eq!((r.rps_per_minute[0], r.rps_per_minute[10], r.rps_per_minute[40]), (40.0, 200.0, 20.0));
    // Lambda concurrency = rps x duration (latencyMs 40): 200 x 0.04 = 8.
    assert!((r.lambda[10].capacity - 8.0).abs() < 1e-9);
    // One 256-unit task: 250 ms CPU per second / 4 ms per request = 62.5 rps at 100%, 31.25 at
    // the 50% target.
    assert!((r.rps_per_task - 31.25).abs() < 1e-9);
    // UpdateService changes the deployment configuration; the mapping follows.
    sim.apply_json(
        "UpdateService",
        &json!({"service": "web", "deploymentConfiguration": {"minimumHealthyPercent": 100, "maximumPercent": 150}}),
    )
    .expect("update");
    let r = sim.compare_report(Some("web"), 5).expect("report");
    assert_eq!((r.kubernetes.max_surge.as_str(), r.kubernetes.max_unavailable.as_str()), ("50%", "0%"));
}

#[test]
fn every_lesson_file_has_the_lesson_shape_in_four_languages() {
    for name in [
        "ecr-lifecycle-missing-tag",
        "task-role-vs-execution-role",
        "sidecar-bind-mount-efs",
        "cost-fargate-vs-ec2",
        "compare-lambda-ecs-eks",
    ] {
        let doc = lesson(name);
        let l = &doc["lesson"];
        assert_eq!(l["id"], name);
        let mut texts = vec![&l["title"], &l["summary"], &l["question"]];
        // The lesson format (branch issue7-lessons): pauses at increasing seconds inside
        // durationSeconds.
        let duration = l["durationSeconds"].as_f64().expect("durationSeconds");
        let mut last = -1.0;
        for p in l["pauses"].as_array().expect("pauses") {
            let at = p["at"].as_f64().expect("at");
            assert!(at > last && at <= duration, "{name}: pause at {at}");
            last = at;
            texts.push(&p["caption"]);
        }
        for t in texts {
            for lang in ["en", "zh-CN", "ko", "ru"] {
                assert!(t[lang].as_str().is_some_and(|s| !s.is_empty()), "{name}: {lang}");
            }
        }
    }
}

#[test]
fn without_a_task_role_ec2_apps_fall_back_to_the_instance_profile_and_fargate_apps_have_no_credentials() {
    // ECS task IAM roles guide: without a task role the SDK on EC2 reaches the instance profile
    // through instance metadata (so the app runs with the instance role's permissions); on
    // Fargate there is no instance, so the SDK finds no credentials.
    let mut doc = lesson("cost-fargate-vs-ec2");
    doc["iamRoles"] =
        json!([{"roleName": "ecsInstanceRole", "managedPolicies": ["AmazonEC2ContainerServiceforEC2Role"]}]);
    for g in doc["containerInstances"].as_array_mut().expect("groups") {
        g["iamInstanceProfile"] = json!("ecsInstanceRole");
    }
    doc["containerBehaviors"] = json!([
        {"taskDefinition": "worker-ec2", "containerName": "worker", "appCalls": [{"action": "s3:GetObject", "resource": "arn:aws:s3:::reports/a.csv"}]},
        {"taskDefinition": "worker", "containerName": "worker", "appCalls": [{"action": "s3:GetObject", "resource": "arn:aws:s3:::reports/a.csv"}]}
    ]);
    let mut sim = sim_of(doc.clone());
    sim.run_until(120_000);
    assert_eq!(running(&sim, "worker-ec2"), 4);
    let calls = &sim.account().app_calls();
    let ec2: Vec<_> = calls.iter().filter(|c| c.task_definition == "worker-ec2:1").collect();
    assert_eq!(ec2.len(), 4);
    for c in &ec2 {
        assert_eq!(c.role.as_deref(), Some("ecsInstanceRole"));
        let e = c.error.as_deref().unwrap_or("");
        assert!(e.contains("assumed-role/ecsInstanceRole/i-") && e.contains("s3:GetObject"), "{e}");
    }
    let fargate: Vec<_> = calls.iter().filter(|c| c.task_definition == "worker:1").collect();
    assert_eq!(fargate.len(), 4);
    assert!(fargate.iter().all(|c| c.role.is_none() && c.error.as_deref() == Some("Unable to locate credentials")));
    // The graph shows the agent calling ECS with the instance profile.
    let views = sim.iam_report();
    let v = views.iter().find(|v| v.task_definition == "worker-ec2:1").expect("view");
    assert_eq!(v.instance_role.as_deref(), Some("ecsInstanceRole"));
    assert!(v.graph.edges.iter().any(|e| e.action == "ecs:RegisterContainerInstance" && e.allowed));
    // A profile that names no role is refused with the field named.
    doc["containerInstances"][1]["iamInstanceProfile"] = json!("nope");
    let e = ecs_sim::load(&doc.to_string(), None).expect_err("unknown role");
    assert_eq!(e.field, "containerInstances[1].iamInstanceProfile");
}
