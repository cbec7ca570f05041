//! Services, the task lifecycle and health: behaviour a user can check against the Amazon ECS
//! developer guide. Each test quotes the rule it checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;
use common::*;
use serde_json::json;

/// "For tasks that are part of a service, if the task reports as unhealthy [or stops] ... the
/// service scheduler will replace it" and "If the essential parameter of a container is marked as
/// true, and that container fails or stops for any reason, all other containers that are part of
/// the task are stopped." (HealthCheck API reference; task definition parameters, `essential`.)
#[test]
fn killed_task_is_replaced_and_reregistered() {
    let sim = run_value(&scenario("task-replacement"), 240);
    let stopped: Vec<_> = task_changes(&sim).into_iter().filter(|c| c.2 == "STOPPED").collect();
    assert_eq!(stopped.len(), 1, "exactly the killed task stops");
    assert_eq!(stopped[0].3, "EssentialContainerExited");
    assert_eq!(stopped[0].4["stoppedReason"], "Essential container in task exited");
    // A replacement registers as a new target after the kill at 120 s, and becomes healthy.
    let changes = target_changes(&sim);
    let new_target = changes.iter().find(|c| c.0 > 120.0 && c.3 == "initial").expect("replacement registers");
    assert!(changes
        .iter()
        .any(|c| c.0 > new_target.0 && c.1 == new_target.1 && c.2 == new_target.2 && c.3 == "healthy"));
    let snap = sim.snapshot();
    assert_eq!(service(&snap, "web")["runningCount"], 3);
    let t = targets(&snap);
    assert_eq!(t.len(), 3);
    assert!(t.iter().all(|x| x["TargetHealth"]["State"] == "healthy"));
}

/// "If the essential parameter of a container is marked as false, its failure doesn't affect the
/// rest of the containers in a task." (Task definition parameters, `essential`.)
#[test]
fn non_essential_container_exit_keeps_the_task_running() {
    let mut sc = scenario("task-replacement");
    sc["taskDefinitions"][0]["containerDefinitions"].as_array_mut().unwrap().push(json!({
        "name": "log-router", "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
        "cpu": 64, "memory": 128, "essential": false
    }));
    sc["timeline"] = json!([{"at": 120, "action": "KillContainer", "input": {"service": "web", "containerName": "log-router", "exitCode": 1}}]);
    let sim = run_value(&sc, 300);
    assert!(task_changes(&sim).iter().all(|c| c.2 != "STOPPED"), "no task stops");
    let snap = sim.snapshot();
    let exited: Vec<_> = snap["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["containers"].as_array().unwrap().iter())
        .filter(|c| c["name"] == "log-router" && c["lastStatus"] == "STOPPED")
        .collect();
    assert_eq!(exited.len(), 1);
    assert_eq!(exited[0]["exitCode"], 1);
    assert_eq!(service(&snap, "web")["runningCount"], 3);
}

/// When an instance goes away its tasks stop and "the service scheduler ... maintain[s] the
/// desired number of tasks" by launching replacements on the remaining capacity (service scheduler
/// concepts); a terminated instance is no longer ACTIVE, so nothing is placed on it.
#[test]
fn instance_terminated_in_one_az_tasks_replaced_in_the_others() {
    let sim = run_value(&scenario("instance-termination"), 300);
    let stopped: Vec<_> = task_changes(&sim).into_iter().filter(|c| c.2 == "STOPPED").collect();
    assert_eq!(stopped.len(), 2);
    assert!(stopped.iter().all(|c| c.3 == "TerminationNotice" && c.4["availabilityZone"] == "us-east-1a"));
    let snap = sim.snapshot();
    assert_eq!(service(&snap, "web")["runningCount"], 6);
    let live = snap["tasks"].as_array().unwrap();
    assert_eq!(live.len(), 6);
    assert!(live.iter().all(|t| t["availabilityZone"] != "us-east-1a"), "replacements in us-east-1b/c");
}

/// "If the minimum is 100%, the service scheduler can't remove existing tasks until the
/// replacement tasks are considered healthy." and "a maximumPercent of 200% allows the scheduler to
/// start ... new tasks before stopping the ... tasks to be drained" (Draining Amazon ECS container
/// instances).
#[test]
fn draining_starts_replacements_before_stopping() {
    let sim = run_value(&scenario("draining"), 400);
    let ev = events(&sim);
    let started = ev.iter().find(|e| e.0 >= 120.0 && e.1.contains("has started 2 tasks")).expect("replacements start");
    let first_stop =
        task_changes(&sim).into_iter().find(|c| c.0 >= 120.0 && c.2 == "DEACTIVATING").expect("a draining task stops");
    assert!(started.0 < first_stop.0, "replacement started at {} before the first stop at {}", started.0, first_stop.0);
    // A replacement target was healthy before the first old target started draining.
    let changes = target_changes(&sim);
    let first_drain = changes.iter().find(|c| c.3 == "draining").expect("drain");
    assert!(changes.iter().any(|c| c.0 > 120.0 && c.0 <= first_drain.0 && c.3 == "healthy"));
    let snap = sim.snapshot();
    assert_eq!(service(&snap, "web")["runningCount"], 6);
    assert!(snap["tasks"].as_array().unwrap().iter().all(|t| t["availabilityZone"] != "us-east-1a"));
    let inst =
        snap["containerInstances"].as_array().unwrap().iter().find(|i| i["status"] == "DRAINING").expect("draining");
    assert_eq!(inst["runningTasksCount"], 0);
}

/// "If tasks for a service repeatedly fail to enter the RUNNING state (progressing directly from a
/// PENDING to a STOPPED status), then the time between subsequent restart attempts is
/// incrementally increased up to a maximum of 27 minutes. ... you receive the following service
/// event message: (service service-name) is unable to consistently start tasks successfully."
/// (Amazon ECS service throttle logic.)
#[test]
fn service_whose_tasks_fail_to_start_backs_off() {
    let sim = run_value(&scenario("crash-loop-backoff"), 3600);
    let ev = events(&sim);
    assert!(ev.iter().any(|e| e.1 == "(service web) is unable to consistently start tasks successfully."));
    let starts: Vec<f64> = ev.iter().filter(|e| e.1.contains("has started")).map(|e| e.0).collect();
    assert!(starts.len() >= 4, "keeps retrying: {starts:?}");
    let gaps: Vec<f64> = starts.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.windows(2).all(|g| g[1] >= g[0]), "gaps never shrink: {gaps:?}");
    assert!(gaps.last().copied().unwrap_or(0.0) > gaps[0], "gaps grow: {gaps:?}");
    assert!(gaps.iter().all(|g| *g <= 27.0 * 60.0 + 30.0), "at most 27 minutes: {gaps:?}");
    let stopped: Vec<_> = task_changes(&sim).into_iter().filter(|c| c.2 == "STOPPED").collect();
    assert!(stopped.iter().all(|c| c.3 == "TaskFailedToStart" && c.4.get("startedAt").is_none()));
}

/// "Tasks that are stopped after they reach the RUNNING state don't start the throttle logic or
/// the associated service event message. ... Even if a task's container command immediately exits
/// with a non-zero exit code, the task already moved to the RUNNING state." (Service throttle
/// logic.)
#[test]
fn tasks_that_crash_after_running_are_not_throttled() {
    let mut sc = scenario("crash-loop-backoff");
    sc["containerBehaviors"] =
        json!([{"taskDefinition": "web", "containerName": "web", "exitAfterSeconds": 0, "exitCode": 1}]);
    // An image that exists (`:does-not-exist` is the missing-image tag), so the tasks do start.
    sc["taskDefinitions"][0]["containerDefinitions"][0]["image"] =
        json!("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0");
    let sim = run_value(&sc, 600);
    let ev = events(&sim);
    assert!(!ev.iter().any(|e| e.1.contains("unable to consistently start")));
    let stopped: Vec<_> = task_changes(&sim).into_iter().filter(|c| c.2 == "STOPPED").collect();
    assert!(stopped.len() > 10, "crashes keep being replaced promptly: {}", stopped.len());
    assert!(stopped.iter().all(|c| c.3 == "EssentialContainerExited"));
}

/// "The daemon scheduling strategy deploys exactly one task on each active container instance that
/// meets all of the task placement constraints" and "The service scheduler doesn't place any tasks
/// on instances that have a DRAINING status." (Amazon ECS services, daemon.)
#[test]
fn daemon_places_one_task_per_instance() {
    let sim = run_value(&scenario("daemon"), 100);
    let snap = sim.snapshot();
    let tasks = snap["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 4);
    let mut instances: Vec<&str> = tasks.iter().map(|t| t["containerInstanceArn"].as_str().unwrap()).collect();
    instances.sort();
    instances.dedup();
    assert_eq!(instances.len(), 4, "one per instance");
    assert_eq!(service(&snap, "agent")["desiredCount"], 4);
    let sim = run_value(&scenario("daemon"), 300);
    let snap = sim.snapshot();
    assert_eq!(snap["tasks"].as_array().unwrap().len(), 3, "the draining instance's daemon task stopped");
    assert_eq!(service(&snap, "agent")["desiredCount"], 3);
}

/// The container health check: "UNHEALTHY - The container health check has failed" after
/// `retries` consecutive failures, and "For tasks that are part of a service, if the task reports
/// as unhealthy then the task will be stopped and the service scheduler will replace it." (HealthCheck
/// API reference.) Without a load balancer, the stop reason names the container health check.
#[test]
fn container_health_check_failure_replaces_the_task() {
    let mut sc = scenario("health-check-failure");
    sc.as_object_mut().unwrap().remove("targetGroups");
    sc.as_object_mut().unwrap().remove("traffic");
    sc["services"][0].as_object_mut().unwrap().remove("loadBalancers");
    let sim = run_value(&sc, 400);
    let ev = events(&sim);
    let failed = ev.iter().find(|e| e.1.contains("failed container health checks.")).expect("event");
    assert!(failed.1.starts_with("(service web) (task "), "{}", failed.1);
    // interval 10 s, retries 3, timeout 5 s: not before 120 + 20 + 5 s.
    assert!(failed.0 >= 145.0, "{}", failed.0);
    let stopped: Vec<_> = task_changes(&sim).into_iter().filter(|c| c.2 == "STOPPED").collect();
    assert_eq!(stopped.len(), 1);
    assert_eq!(stopped[0].4["stoppedReason"], "Task failed container health checks");
    assert_eq!(stopped[0].3, "ServiceSchedulerInitiated");
    assert_eq!(service(&sim.snapshot(), "web")["runningCount"], 3);
}

/// `healthCheckGracePeriodSeconds`: "The period of time, in seconds, that the Amazon ECS service
/// scheduler ignores unhealthy Elastic Load Balancing ... and container health checks after a task
/// has first started." (CreateService API reference.)
#[test]
fn grace_period_defers_replacement() {
    let mut sc = scenario("health-check-failure");
    sc["services"][0]["healthCheckGracePeriodSeconds"] = json!(400);
    let sim = run_value(&sc, 380);
    assert!(task_changes(&sim).iter().all(|c| c.2 != "DEACTIVATING"), "nothing stopped inside the grace period");
    let sim = run_value(&sc, 700);
    assert!(task_changes(&sim).iter().any(|c| c.2 == "DEACTIVATING" && c.0 >= 400.0));
}

/// Console wording of the service events (service event messages).
#[test]
fn event_messages_match_the_console_wording() {
    let sim = run_value(&scenario("task-replacement"), 240);
    let ev: Vec<String> = events(&sim).into_iter().map(|e| e.1).collect();
    let has = |re: &str| ev.iter().any(|m| matches(m, re));
    assert!(has("(service web) has started 3 tasks: (task *) (task *) (task *)."), "{ev:#?}");
    assert!(has("(service web) has reached a steady state."));
    assert!(has("(service web) registered 1 targets in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/*)"));
    assert!(has("(service web) has begun draining connections on 1 tasks."));
    assert!(has("(service web) deregistered 1 targets in (target-group arn:aws:elasticloadbalancing:*)"));
    let sim = run_value(&scenario("draining"), 300);
    let ev: Vec<String> = events(&sim).into_iter().map(|e| e.1).collect();
    assert!(ev.iter().any(|m| matches(m, "(service web) has stopped 1 running tasks: (task *).")), "{ev:#?}");
    let sim = run_value(&scenario("health-check-failure"), 200);
    let ev: Vec<String> = events(&sim).into_iter().map(|e| e.1).collect();
    assert!(
        ev.iter().any(|m| matches(m, "(service web) (instance i-*) (port *) is unhealthy in (target-group arn:*) due to (reason Health checks failed with these codes: [500]).")),
        "{ev:#?}"
    );
}

/// `*` matches any run of characters; everything else literally.
fn matches(s: &str, pattern: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut rest = s;
    for (i, p) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(p) else { return false };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(p);
        } else {
            let Some(k) = rest.find(p) else { return false };
            rest = &rest[k + p.len()..];
        }
    }
    rest.is_empty()
}

/// One API call, one `ApiCall` line (as CloudTrail records one event per call): a timeline
/// RegisterTaskDefinition or CreateService is logged once, with its request and response; the
/// scenario's own task definitions and services, which exist before the clock starts, keep their
/// one short line at 0.
#[test]
fn a_timeline_create_call_is_logged_once() {
    let mut sc = scenario("task-replacement");
    let mut td = sc["taskDefinitions"][0].clone();
    td["family"] = json!("web-copy");
    let mut svc = sc["services"][0].clone();
    svc["serviceName"] = json!("web-copy");
    svc["taskDefinition"] = json!("web-copy");
    svc.as_object_mut().unwrap().remove("loadBalancers");
    sc["timeline"] = json!([
        {"at": 30, "action": "RegisterTaskDefinition", "input": td},
        {"at": 31, "action": "CreateService", "input": svc}
    ]);
    let sim = run_value(&sc, 60);
    let calls = |name: &str| -> Vec<(f64, bool)> {
        entries(&sim, "ApiCall")
            .filter(|e| e.detail["eventName"] == name)
            .map(|e| {
                (
                    e.t as f64 / 1000.0,
                    e.detail
                        .get("requestParameters")
                        .is_some_and(|p| p.get("family").is_some() || p.get("desiredCount").is_some()),
                )
            })
            .collect()
    };
    let registers = calls("RegisterTaskDefinition");
    assert_eq!(registers.iter().filter(|c| c.0 == 30.0).count(), 1, "{registers:?}");
    assert!(registers.iter().any(|c| c.0 == 30.0 && c.1), "the timeline's line carries the request: {registers:?}");
    assert!(registers.iter().any(|c| c.0 == 0.0), "the scenario's own revision keeps its line at 0");
    let creates = calls("CreateService");
    assert_eq!(creates.iter().filter(|c| c.0 == 31.0).count(), 1, "{creates:?}");
    assert!(sim.state().service_by_name("web-copy").is_some());
}
