//! CloudWatch Logs for containers with the awslogs log driver: stream names, the lines the
//! application writes (start-up, ALB health checks, traffic, SIGTERM, exits) and the errors ECS
//! gives. Each test quotes the documented rule it checks; sources are in `engine/src/awslogs.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;
use common::*;
use ecs_sim::Simulation;
use serde_json::{json, Value};

/// alb-dynamic-ports (EC2, bridge, 3 tasks behind web-tg, health check every 10 s, 90 req/s)
/// with the awslogs driver on its container.
fn with_awslogs(prefix: Option<&str>) -> Value {
    let mut sc = scenario("alb-dynamic-ports");
    let mut opts = json!({"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1"});
    if let Some(p) = prefix {
        opts["awslogs-stream-prefix"] = json!(p);
    }
    sc["taskDefinitions"][0]["containerDefinitions"][0]["logConfiguration"] =
        json!({"logDriver": "awslogs", "options": opts});
    sc["targetGroups"][0]["HealthCheckPath"] = json!("/health");
    sc
}

fn lines(sim: &Simulation, group: &str, stream: &str) -> Vec<(u64, String)> {
    let page = sim.log_stream(group, stream, 0, 100_000).expect("stream exists");
    page.events.into_iter().map(|e| (e.timestamp, e.message)).collect()
}

fn task_ids(sim: &Simulation) -> Vec<String> {
    sim.state().tasks.iter().map(|t| t.task_id.clone()).collect()
}

/// "If you specify a prefix with this option, then the log stream takes the following format:
/// prefix-name/container-name/ecs-task-id" (using_awslogs).
#[test]
fn stream_per_container_per_task_named_prefix_container_task_id() {
    let sim = run_value(&with_awslogs(Some("web-app")), 120);
    let groups = sim.log_groups();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].log_group_name, "/ecs/web");
    let mut names: Vec<String> = groups[0].log_streams.iter().map(|s| s.log_stream_name.clone()).collect();
    let mut expected: Vec<String> = task_ids(&sim).iter().map(|id| format!("web-app/web/{id}")).collect();
    names.sort();
    expected.sort();
    assert_eq!(names.len(), 3);
    assert_eq!(names, expected);
    // The task's own view lists the same stream.
    let id = &task_ids(&sim)[0];
    let mine = sim.task_log_streams(id);
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].log_stream_name, format!("web-app/web/{id}"));
    assert_eq!(mine[0].container_name, "web");
}

/// "If you don't specify a prefix with this option, then the log stream is named after the
/// container ID that's assigned by the Docker daemon on the container instance" - a 64-hex id.
#[test]
fn without_a_prefix_the_stream_is_the_docker_container_id() {
    let sim = run_value(&with_awslogs(None), 120);
    let streams = &sim.log_groups()[0].log_streams;
    assert_eq!(streams.len(), 3);
    for s in streams {
        assert_eq!(s.log_stream_name.len(), 64, "{}", s.log_stream_name);
        assert!(s.log_stream_name.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(!s.log_stream_name.contains(&s.task_id));
    }
}

/// "The load balancer sends a health check request to each registered target every
/// HealthCheckIntervalSeconds seconds, using the specified port, protocol, and ping path", with
/// "User-Agent: ELB-HealthChecker/2.0" (ALB user guide): the application logs each one.
#[test]
fn health_check_requests_appear_at_the_interval_with_path_and_user_agent() {
    let sim = run_value(&with_awslogs(Some("ecs")), 300);
    let id = &task_ids(&sim)[0];
    let l = lines(&sim, "/ecs/web", &format!("ecs/web/{id}"));
    assert!(l[0].1.starts_with("Starting web (public.ecr.aws/nginx/nginx:1.27)"), "{l:?}");
    assert!(l.iter().any(|(_, m)| m == "Listening on 0.0.0.0:80"), "{l:?}");
    let checks: Vec<u64> = l
        .iter()
        .filter(|(_, m)| m == "\"GET /health HTTP/1.1\" 200 \"ELB-HealthChecker/2.0\"")
        .map(|(t, _)| *t)
        .collect();
    assert!(checks.len() >= 20, "about one every 10 s over ~4.5 min: {}", checks.len());
    for w in checks.windows(2) {
        assert_eq!(w[1] - w[0], 10_000, "HealthCheckIntervalSeconds 10");
    }
}

/// Traffic from the scenario's model (90 req/s over 3 tasks) is logged as one line per minute per
/// status code with the count, and the counts add up to what the ALB routed.
#[test]
fn traffic_is_logged_per_minute_with_status_codes() {
    let sim = run_value(&with_awslogs(Some("ecs")), 600);
    let mut total = 0u64;
    for id in task_ids(&sim) {
        for (_, m) in lines(&sim, "/ecs/web", &format!("ecs/web/{id}")) {
            if let Some(rest) = m.strip_prefix("\"GET / HTTP/1.1\" 200 x") {
                total += rest.split(' ').next().unwrap().parse::<u64>().unwrap();
            }
        }
    }
    // 90 req/s; the targets are healthy after ~1 min, so at least 8 full minutes of traffic.
    assert!((8 * 60 * 90 - 3 * 90..=10 * 60 * 90).contains(&total), "{total}");
}

/// A failing application answers 500: its health check lines carry the code the ALB saw.
#[test]
fn health_check_lines_carry_the_status_the_application_answered() {
    let mut sc = with_awslogs(Some("ecs"));
    sc["containerBehaviors"] = json!([{"taskDefinition": "web", "containerName": "web", "httpStatus": 503}]);
    let sim = run_value(&sc, 60);
    let id = &task_ids(&sim)[0];
    let l = lines(&sim, "/ecs/web", &format!("ecs/web/{id}"));
    assert!(l.iter().any(|(_, m)| m == "\"GET /health HTTP/1.1\" 503 \"ELB-HealthChecker/2.0\""), "{l:?}");
}

/// Scale-in: "the equivalent of docker stop is issued ... a SIGTERM value and a default 30-second
/// timeout, after which the SIGKILL value is sent" (StopTask). The stopped task keeps its stream.
#[test]
fn scale_in_sends_sigterm_and_the_stopped_task_keeps_its_stream() {
    let mut sc = with_awslogs(Some("ecs"));
    sc["timeline"] = json!([{"at": 120, "action": "UpdateService", "input": {"service": "web", "desiredCount": 1}}]);
    let sim = run_value(&sc, 600);
    let stopped: Vec<&ecs_sim::model::Task> = sim.state().tasks.iter().filter(|t| t.stopped_at.is_some()).collect();
    assert_eq!(stopped.len(), 2);
    for t in stopped {
        let l = lines(&sim, "/ecs/web", &format!("ecs/web/{}", t.task_id));
        let sig = l.iter().position(|(_, m)| m.starts_with("Received SIGTERM")).expect("SIGTERM line");
        assert!(l[sig].1.contains("SIGKILL follows in 30 s"), "default stopTimeout 30: {}", l[sig].1);
        // SIGTERM comes after the deregistration delay (30 s here), when STOPPING begins.
        let stopping = t.history.iter().find(|(_, s)| *s == ecs_sim::model::TaskStatus::Stopping).unwrap().0;
        assert_eq!(l[sig].0, stopping);
        // The default app exits in 2 s, within stopTimeout: a clean exit, then nothing more.
        assert_eq!(l.last().unwrap().1, "Shutdown complete, exiting with code 0");
        // No health check reaches a draining target.
        assert!(!l[sig..].iter().any(|(_, m)| m.contains("ELB-HealthChecker")));
    }
    // Three streams still listed, one per task that ever ran.
    assert_eq!(sim.log_groups()[0].log_streams.len(), 3);
}

/// An application slower than its stopTimeout is killed: SIGTERM, then no line (SIGKILL).
#[test]
fn an_application_slower_than_stop_timeout_is_killed_without_a_goodbye() {
    let mut sc = with_awslogs(Some("ecs"));
    sc["taskDefinitions"][0]["containerDefinitions"][0]["stopTimeout"] = json!(5);
    sc["timings"] = json!({"stoppingSeconds": 20});
    sc["timeline"] = json!([{"at": 120, "action": "UpdateService", "input": {"service": "web", "desiredCount": 2}}]);
    let sim = run_value(&sc, 600);
    let t = sim.state().tasks.iter().find(|t| t.stopped_at.is_some()).expect("one stopped");
    let l = lines(&sim, "/ecs/web", &format!("ecs/web/{}", t.task_id));
    assert!(l.last().unwrap().1.starts_with("Received SIGTERM"), "{:?}", l.last());
    assert!(l.last().unwrap().1.contains("SIGKILL follows in 5 s"));
}

/// "If the essential parameter of a container is marked as true, and that container fails or
/// stops for any reason, all other containers that are part of the task are stopped": the exit
/// is the container's last line, with its exit code.
#[test]
fn an_essential_container_exit_is_logged_with_its_exit_code() {
    let mut sc = with_awslogs(Some("ecs"));
    sc["containerBehaviors"] =
        json!([{"taskDefinition": "web", "containerName": "web", "exitAfterSeconds": 45, "exitCode": 3}]);
    let sim = run_value(&sc, 100);
    let t = sim.state().tasks.iter().find(|t| t.stopped_at.is_some() || t.stopping_at.is_some()).expect("stopped");
    let l = lines(&sim, "/ecs/web", &format!("ecs/web/{}", t.task_id));
    let exit = l.iter().position(|(_, m)| m == "Fatal error, exiting with code 3").expect("exit line");
    // The exited container gets no SIGTERM.
    assert!(!l[exit..].iter().any(|(_, m)| m.starts_with("Received SIGTERM")), "{l:?}");
}

fn stopped_reasons(sim: &Simulation) -> Vec<String> {
    sim.state().tasks.iter().filter_map(|t| t.stopped_reason.clone()).collect()
}

/// A group that does not exist, without awslogs-create-group: EC2's Docker awslogs driver fails
/// with "CannotStartContainerError: Error response from daemon: failed to initialize logging
/// driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log
/// group does not exist." and the task stops (TaskFailedToStart).
#[test]
fn a_missing_group_stops_the_task_with_ecs_text_on_ec2() {
    let mut sc = with_awslogs(Some("ecs"));
    sc["logGroups"] = json!([{"logGroupName": "/ecs/other"}]);
    let sim = run_value(&sc, 60);
    let r = stopped_reasons(&sim);
    assert!(!r.is_empty());
    assert_eq!(
        r[0],
        "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist."
    );
    assert!(sim
        .state()
        .tasks
        .iter()
        .all(|t| t.stop_code == Some(ecs_sim::model::StopCode::TaskFailedToStart) || t.stop_code.is_none()));
    // No stream was created, and the group still does not exist.
    assert!(sim.log_groups().iter().all(|g| g.log_group_name != "/ecs/web"));
}

/// Fargate (platform version 1.4.0): "ResourceInitializationError: failed to validate logger
/// args: create stream has been retried 1 times: failed to create Cloudwatch log stream:
/// ResourceNotFoundException: The specified log group does not exist. : exit status 1".
#[test]
fn a_missing_group_stops_the_task_with_ecs_text_on_fargate() {
    let mut sc = with_awslogs(Some("ecs"));
    let td = &mut sc["taskDefinitions"][0];
    td["requiresCompatibilities"] = json!(["FARGATE"]);
    td["networkMode"] = json!("awsvpc");
    td["cpu"] = json!("256");
    td["memory"] = json!("512");
    td["executionRoleArn"] = json!("arn:aws:iam::123456789012:role/ecsTaskExecutionRole");
    td["containerDefinitions"][0]["portMappings"] = json!([{"containerPort": 80}]);
    sc["targetGroups"][0]["TargetType"] = json!("ip");
    sc["services"][0]["launchType"] = json!("FARGATE");
    sc["services"][0]["networkConfiguration"] = json!({"awsvpcConfiguration": {"subnets": ["subnet-a"]}});
    sc["logGroups"] = json!([]);
    let sim = run_value(&sc, 120);
    let r = stopped_reasons(&sim);
    assert!(!r.is_empty());
    assert_eq!(
        r[0],
        "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1"
    );
    // With awslogs-create-group "true" the driver creates the group and the tasks run.
    sc["taskDefinitions"][0]["containerDefinitions"][0]["logConfiguration"]["options"]["awslogs-create-group"] =
        json!("true");
    let sim = run_value(&sc, 120);
    assert!(stopped_reasons(&sim).is_empty(), "{:?}", stopped_reasons(&sim));
    let g = sim.log_groups();
    assert_eq!(g.len(), 1);
    assert!(g[0].created_by_task);
    assert_eq!(g[0].log_streams.len(), 3);
}

/// A declared group lets the tasks start; the group keeps its retention setting.
#[test]
fn a_declared_group_lets_tasks_start() {
    let mut sc = with_awslogs(Some("ecs"));
    sc["logGroups"] = json!([{"logGroupName": "/ecs/web", "retentionInDays": 7}]);
    let sim = run_value(&sc, 120);
    assert!(stopped_reasons(&sim).is_empty());
    let g = sim.log_groups();
    assert_eq!(g[0].retention_in_days, Some(7));
    assert!(!g[0].created_by_task);
    assert_eq!(g[0].log_streams.len(), 3);
}

/// RegisterTaskDefinition: "Log driver awslogs option 'awslogs-group' should not be null or
/// empty." and "Log driver awslogs option 'awslogs-create-group' should only be set to 'true',
/// else omit option." (ClientException), naming the field.
#[test]
fn registration_refuses_a_missing_group_and_a_false_create_group() {
    let mut sc = with_awslogs(Some("ecs"));
    sc["taskDefinitions"][0]["containerDefinitions"][0]["logConfiguration"]["options"]
        .as_object_mut()
        .unwrap()
        .remove("awslogs-group");
    let e = ecs_sim::load(&sc.to_string(), None).expect_err("no group");
    assert!(e.message.contains("Log driver awslogs option 'awslogs-group' should not be null or empty."), "{e:?}");
    assert!(e.field.ends_with("awslogs-group"), "{}", e.field);
    let mut sc = with_awslogs(Some("ecs"));
    sc["taskDefinitions"][0]["containerDefinitions"][0]["logConfiguration"]["options"]["awslogs-create-group"] =
        json!("false");
    let e = ecs_sim::load(&sc.to_string(), None).expect_err("false");
    assert!(e.message.contains("should only be set to 'true', else omit option."), "{e:?}");
}

/// Fargate's awslogs driver creates the stream with the execution role: without
/// logs:CreateLogStream the task stops ("... failed to create Cloudwatch log stream:
/// AccessDeniedException: ..."); without logs:PutLogEvents the stream exists and the task runs,
/// but no line is delivered.
#[test]
fn execution_role_without_log_permissions() {
    let base = |policy: Value| {
        let mut sc = with_awslogs(Some("ecs"));
        let td = &mut sc["taskDefinitions"][0];
        td["requiresCompatibilities"] = json!(["FARGATE"]);
        td["networkMode"] = json!("awsvpc");
        td["cpu"] = json!("256");
        td["memory"] = json!("512");
        td["executionRoleArn"] = json!("arn:aws:iam::123456789012:role/logsRole");
        td["containerDefinitions"][0]["portMappings"] = json!([{"containerPort": 80}]);
        sc["targetGroups"][0]["TargetType"] = json!("ip");
        sc["services"][0]["launchType"] = json!("FARGATE");
        sc["services"][0]["networkConfiguration"] = json!({"awsvpcConfiguration": {"subnets": ["subnet-a"]}});
        sc["iamRoles"] = json!([{"roleName": "logsRole", "policies": [{"Statement": [policy]}]}]);
        sc
    };
    let sim = run_value(&base(json!({"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"})), 120);
    let r = stopped_reasons(&sim);
    assert!(
        r[0].starts_with("ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/logsRole/"),
        "{}",
        r[0]
    );
    let sim = run_value(&base(json!({"Effect": "Allow", "Action": "logs:CreateLogStream", "Resource": "*"})), 120);
    assert!(stopped_reasons(&sim).is_empty(), "{:?}", stopped_reasons(&sim));
    let streams = &sim.log_groups()[0].log_streams;
    assert_eq!(streams.len(), 3);
    for s in streams {
        assert_eq!(s.event_count, 0);
        let err = s.delivery_error.as_deref().unwrap();
        assert!(err.starts_with("AccessDeniedException: User: ") && err.contains("logs:PutLogEvents"), "{err}");
    }
}

/// Log streams are a separate view: the event log of a run is byte-identical with and without
/// the awslogs driver (only the task definition differs, and it is not in the log lines compared).
#[test]
fn streams_do_not_change_the_event_log() {
    let plain = run_value(&scenario("alb-dynamic-ports"), 600);
    let logged = run_value(&with_awslogs(Some("ecs")), 600);
    let kinds =
        |s: &Simulation| -> Vec<(u64, &str)> { s.log().entries().iter().map(|e| (e.t, e.detail_type)).collect() };
    assert_eq!(kinds(&plain), kinds(&logged));
    assert_eq!(task_ids(&plain), task_ids(&logged));
}

/// Bounded memory: a stream keeps its newest MAX_EVENTS_PER_STREAM events; indexes keep counting.
#[test]
fn a_long_run_keeps_a_bounded_stream() {
    let sim = run_value(&with_awslogs(Some("ecs")), 12 * 3600);
    let s = &sim.log_groups()[0].log_streams[0];
    assert!(s.event_count > ecs_sim::awslogs::MAX_EVENTS_PER_STREAM, "{}", s.event_count);
    let page = sim.log_stream("/ecs/web", &s.log_stream_name, 0, usize::MAX).unwrap();
    assert!(page.events.len() <= ecs_sim::awslogs::MAX_EVENTS_PER_STREAM);
    assert_eq!(page.events[0].index, page.first_index);
    assert_eq!(page.next_index, s.event_count);
}

/// The Logs view's tail: the newest events, oldest first, ending at the stream's last event.
#[test]
fn the_tail_is_the_newest_events_in_order() {
    let sim = run_value(&with_awslogs(Some("ecs")), 600);
    let id = &task_ids(&sim)[0];
    let name = format!("ecs/web/{id}");
    let all = sim.log_stream("/ecs/web", &name, 0, usize::MAX).unwrap();
    let tail = sim.log_stream_tail("/ecs/web", &name, 5).unwrap();
    assert_eq!(tail.events.len(), 5);
    assert_eq!(tail.events[..], all.events[all.events.len() - 5..]);
    assert_eq!(tail.next_index, all.next_index);
}
