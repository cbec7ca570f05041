//! The server on a loopback port, driven with raw HTTP as botocore sends it: JSON 1.1 with
//! X-Amz-Target, the query protocol for ELBv2. Responses of the operations in the vendored
//! botocore models are validated against their output shapes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

#[path = "../../engine/tests/botocore/mod.rs"]
mod botocore;

use ecs_sim_server::{router, App, Config, Shared};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};

const ECS: &str = "AmazonEC2ContainerServiceV20141113";

struct Server {
    port: u16,
}

fn start(origins: &[&str]) -> Server {
    let scenario = ecs_sim_server::load_scenario(None).expect("default scenario");
    // Speed 1 but paused: tests step the clock with AdvanceClock, so they are deterministic.
    let mut app = App::new(
        scenario,
        Config { speed: 1.0, allow_origins: origins.iter().map(|s| s.to_string()).collect(), epoch: 1_767_225_600.0 },
    )
    .expect("app");
    app.clock.paused = true;
    let shared: Shared = Arc::new(Mutex::new(app));
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = std_listener.local_addr().expect("addr").port();
    std_listener.set_nonblocking(true).expect("nonblocking");
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(std_listener).expect("listener");
            axum::serve(listener, router(shared)).await.expect("serve");
        });
    });
    Server { port }
}

struct Resp {
    status: u16,
    headers: String,
    body: String,
}

impl Server {
    fn raw(&self, method: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        let mut req = format!("{method} / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n", self.port);
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        s.write_all(req.as_bytes()).expect("write");
        let _ = s.write_all(body);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        let text = String::from_utf8_lossy(&out).to_string();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        Resp { status, headers: head.to_ascii_lowercase(), body: body.to_string() }
    }
    fn call(&self, target: &str, body: Value) -> (u16, Value) {
        let r = self.raw(
            "POST",
            &[
                ("X-Amz-Target", target),
                ("Content-Type", "application/x-amz-json-1.1"),
                // A SigV4 header with made-up credentials: accepted, never checked.
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=00"),
            ],
            body.to_string().as_bytes(),
        );
        (r.status, serde_json::from_str(&r.body).unwrap_or(Value::Null))
    }
    fn ecs(&self, op: &str, body: Value) -> Value {
        let (status, v) = self.call(&format!("{ECS}.{op}"), body);
        assert_eq!(status, 200, "{op}: {v}");
        v
    }
    fn advance(&self, seconds: f64) {
        let (status, v) = self.call("EcsPlayground.AdvanceClock", json!({"seconds": seconds}));
        assert_eq!(status, 200, "{v}");
    }
    fn query(&self, form: &str) -> Resp {
        self.raw("POST", &[("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], form.as_bytes())
    }
}

fn validate_ecs(op: &str, v: &Value) {
    let m = botocore::ecs();
    let shape = m.io_shape(op, "output");
    let errs = m.validate(&shape, v, "", &mut botocore::Stats::default());
    assert!(errs.is_empty(), "{op} output does not match botocore's {shape}:\n{}", errs.join("\n"));
}

fn tag(xml: &str, name: &str) -> Vec<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    xml.split(&open).skip(1).filter_map(|p| p.split_once(&close).map(|x| x.0.to_string())).collect()
}

fn web_td(image: &str) -> Value {
    json!({"family": "web", "networkMode": "bridge", "requiresCompatibilities": ["EC2"],
        "containerDefinitions": [{"name": "web", "image": image, "cpu": 256, "memory": 512, "essential": true,
            "portMappings": [{"containerPort": 80, "hostPort": 0, "protocol": "tcp"}]}]})
}

#[test]
fn errors_have_aws_shapes_and_the_server_keeps_serving() {
    let s = start(&[]);
    let (st, v) = s.call(&format!("{ECS}.NoSuchOperation"), json!({}));
    assert_eq!((st, v["__type"].as_str()), (400, Some("UnknownOperationException")), "{v}");
    let r = s.raw("POST", &[("X-Amz-Target", &format!("{ECS}.ListClusters"))], b"{not json");
    assert_eq!(r.status, 400);
    assert_eq!(serde_json::from_str::<Value>(&r.body).unwrap()["__type"], "SerializationException");
    let (st, v) = s.call(&format!("{ECS}.DescribeServices"), json!({"services": ["nope"], "cluster": "other"}));
    assert_eq!((st, v["__type"].as_str()), (400, Some("ClusterNotFoundException")));
    let (st, v) = s.call(&format!("{ECS}.UpdateService"), json!({"service": "nope", "desiredCount": 1}));
    assert_eq!((st, v["__type"].as_str()), (400, Some("ServiceNotFoundException")));
    // Validation is the engine's: a container without memory in a bridge-mode EC2 task definition.
    let (st, v) = s.call(
        &format!("{ECS}.RegisterTaskDefinition"),
        json!({"family": "x", "containerDefinitions": [{"name": "x", "image": "x"}]}),
    );
    assert_eq!(st, 400, "{v}");
    assert!(v["__type"] == "ClientException" || v["__type"] == "InvalidParameterException", "{v}");
    assert!(v["message"].as_str().unwrap_or("").contains("memory"), "{v}");
    // Not simulated: a clear sentence, not a silent success.
    let (st, v) = s.call(&format!("{ECS}.DeleteCluster"), json!({"cluster": "default"}));
    assert_eq!((st, v["__type"].as_str()), (400, Some("UnsupportedFeatureException")));
    assert!(v["message"].as_str().unwrap_or("").contains("not simulated"), "{v}");
    // Body cap: 413 with the JSON error shape.
    let big = vec![b' '; ecs_sim_server::BODY_LIMIT + 1];
    let r = s.raw("POST", &[("X-Amz-Target", &format!("{ECS}.ListClusters"))], &big);
    assert_eq!(r.status, 413);
    // A query-protocol error is XML.
    let r = s.query("Action=DescribeListeners&Version=2015-12-01");
    assert_eq!(r.status, 400);
    assert_eq!(tag(&r.body, "Code"), vec!["OperationNotPermitted"]);
    // Still serving.
    let v = s.ecs("ListClusters", json!({}));
    assert_eq!(v["clusterArns"][0], "arn:aws:ecs:us-east-1:123456789012:cluster/default");
}

#[test]
fn cors_only_for_named_origins() {
    let s = start(&["http://127.0.0.1:8080"]);
    let t = format!("{ECS}.ListClusters");
    let ok = s.raw("POST", &[("X-Amz-Target", &t), ("Origin", "http://127.0.0.1:8080")], b"{}");
    assert!(ok.headers.contains("access-control-allow-origin: http://127.0.0.1:8080"), "{}", ok.headers);
    let other = s.raw("POST", &[("X-Amz-Target", &t), ("Origin", "http://evil.example")], b"{}");
    assert!(!other.headers.contains("access-control-allow-origin"), "{}", other.headers);
    let pre = s.raw("OPTIONS", &[("Origin", "http://127.0.0.1:8080"), ("Access-Control-Request-Method", "POST")], b"");
    assert_eq!(pre.status, 204);
    assert!(pre.headers.contains("x-amz-target"), "{}", pre.headers);
    assert!(!pre.headers.contains("private-network"), "{}", pre.headers);
    // Chromium's Private Network Access preflight (a public page calling a loopback server).
    let pna = s.raw(
        "OPTIONS",
        &[
            ("Origin", "http://127.0.0.1:8080"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Private-Network", "true"),
        ],
        b"",
    );
    assert!(pna.headers.contains("access-control-allow-private-network: true"), "{}", pna.headers);
    let pna_other =
        s.raw("OPTIONS", &[("Origin", "http://evil.example"), ("Access-Control-Request-Private-Network", "true")], b"");
    assert!(!pna_other.headers.contains("private-network"), "{}", pna_other.headers);
}

/// What the browser's "Watch a local simulator" does: poll DescribeSession, apply the same calls
/// at the same simulated times to its own copy of the scenario, and run to the server's clock.
fn follow(s: &Server, watcher: &mut Option<ecs_sim::replay::Playback>, ahead_ms: u64) -> Value {
    let (status, v) = s.call("EcsPlayground.DescribeSession", json!({}));
    assert_eq!(status, 200, "{v}");
    let w = watcher.get_or_insert_with(|| {
        let sim = ecs_sim::load(&v["scenario"].to_string(), None).expect("the session's scenario loads");
        ecs_sim::replay::Playback::new(sim)
    });
    let calls = v["calls"]
        .as_array()
        .expect("calls")
        .iter()
        .map(|c| {
            ecs_sim::replay::Recorded::from_json(
                c["atMs"].as_u64().expect("atMs"),
                c["action"].as_str().unwrap(),
                &c["input"],
            )
            .expect("a recorded call parses")
        })
        .collect();
    let now = v["clock"]["simulatedMs"].as_u64().expect("simulatedMs");
    w.follow(calls, now);
    // The watcher's own estimate of the clock can run ahead of the server between two polls.
    if ahead_ms > 0 {
        w.advance_to(now + ahead_ms);
    }
    v
}

#[test]
fn a_watcher_replaying_the_session_shows_exactly_the_servers_cluster() {
    let s = start(&[]);
    let mut watcher = None;
    follow(&s, &mut watcher, 0);
    let r = s.query("Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=web-tg");
    let tg_arn = tag(&r.body, "TargetGroupArn").pop().expect("target group arn");
    s.ecs("RegisterTaskDefinition", web_td("nginx:1.27"));
    s.ecs(
        "CreateService",
        json!({"cluster": "default", "serviceName": "web", "taskDefinition": "web", "desiredCount": 3, "launchType": "EC2",
            "loadBalancers": [{"targetGroupArn": tg_arn, "containerName": "web", "containerPort": 80}]}),
    );
    s.advance(30.0);
    follow(&s, &mut watcher, 4_000);
    s.advance(2.5);
    // Calls made while the watcher had run ahead of the server: it goes back and replays.
    s.ecs("UpdateService", json!({"service": "web", "desiredCount": 5}));
    let (status, v) =
        s.call("EcsPlayground.InjectFault", json!({"action": "FailHealthChecks", "input": {"service": "web"}}));
    assert_eq!(status, 200, "{v}");
    s.advance(90.0);
    follow(&s, &mut watcher, 0);
    s.ecs("RegisterTaskDefinition", web_td("nginx:1.28"));
    s.ecs("UpdateService", json!({"service": "web", "taskDefinition": "web"}));
    let (status, v) =
        s.call("EcsPlayground.InjectFault", json!({"action": "RestoreHealthChecks", "input": {"service": "web"}}));
    assert_eq!(status, 200, "{v}");
    // A call the server refused is not replayed (it changed nothing).
    let (status, _) = s.call(&format!("{ECS}.UpdateService"), json!({"service": "nope", "desiredCount": 1}));
    assert_eq!(status, 400);
    s.advance(400.0);
    let session = follow(&s, &mut watcher, 0);
    assert_eq!(session["calls"].as_array().map(Vec::len), Some(7), "{}", session["calls"]);

    let (_, mut server) = s.call("EcsPlayground.DescribeState", json!({}));
    server.as_object_mut().unwrap().remove("clock");
    let w = watcher.as_ref().unwrap();
    assert_eq!(w.now() as f64 / 1000.0, session["clock"]["simulatedSeconds"].as_f64().unwrap());
    let mine = w.sim.snapshot();
    assert_eq!(mine, server, "the watcher's cluster differs from the server's");
    // Something happened worth watching: five tasks of revision 2 running.
    let running: Vec<_> =
        w.sim.state().tasks.iter().filter(|t| t.last_status == ecs_sim::model::TaskStatus::Running).collect();
    assert_eq!(running.len(), 5);
}

#[test]
fn pagination_as_aws_does_it() {
    let s = start(&[]);
    let p1 = s.ecs("ListContainerInstances", json!({"maxResults": 2}));
    assert_eq!(p1["containerInstanceArns"].as_array().map(Vec::len), Some(2));
    let token = p1["nextToken"].as_str().expect("nextToken").to_string();
    let p2 = s.ecs("ListContainerInstances", json!({"maxResults": 2, "nextToken": token}));
    assert_eq!(p2["containerInstanceArns"].as_array().map(Vec::len), Some(1));
    assert!(p2.get("nextToken").is_none());
    let (st, v) = s.call(&format!("{ECS}.ListContainerInstances"), json!({"maxResults": 101}));
    assert_eq!((st, v["__type"].as_str()), (400, Some("InvalidParameterException")));
}

#[test]
fn service_behind_a_target_group_then_a_rolling_update() {
    let s = start(&[]);
    let r = s.query("Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=web-tg");
    assert_eq!(r.status, 200, "{}", r.body);
    let tg_arn = tag(&r.body, "TargetGroupArn").pop().expect("target group arn");

    let v = s.ecs("RegisterTaskDefinition", web_td("nginx:1.27"));
    validate_ecs("RegisterTaskDefinition", &v);
    assert_eq!(v["taskDefinition"]["revision"], 1);
    let v = s.ecs(
        "CreateService",
        json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": 3, "launchType": "EC2",
            "loadBalancers": [{"targetGroupArn": tg_arn, "containerName": "web", "containerPort": 80}]}),
    );
    validate_ecs("CreateService", &v);
    s.advance(120.0);
    let v = s.ecs("DescribeServices", json!({"services": ["web"]}));
    validate_ecs("DescribeServices", &v);
    assert_eq!(v["services"][0]["runningCount"], 3, "{v}");

    // Dynamic host ports, registered in the target group (instance:port), healthy after the checks.
    let r = s.query(&format!(
        "Action=DescribeTargetHealth&Version=2015-12-01&TargetGroupArn={}",
        tg_arn.replace(':', "%3A").replace('/', "%2F")
    ));
    assert_eq!(r.status, 200, "{}", r.body);
    let ports: Vec<u32> = tag(&r.body, "Port").iter().filter_map(|p| p.parse().ok()).collect();
    assert_eq!(ports.len(), 3, "{}", r.body);
    assert!(ports.iter().all(|p| (32768..=65535).contains(p)), "{ports:?}");
    assert_eq!(tag(&r.body, "State"), vec!["healthy"; 3], "{}", r.body);

    let tasks = s.ecs("ListTasks", json!({"serviceName": "web"}));
    let v = s.ecs("DescribeTasks", json!({"tasks": tasks["taskArns"]}));
    validate_ecs("DescribeTasks", &v);
    assert!(v["tasks"].as_array().unwrap().iter().all(|t| t["lastStatus"] == "RUNNING"));
    let ci = s.ecs("ListContainerInstances", json!({}));
    let v = s.ecs("DescribeContainerInstances", json!({"containerInstances": ci["containerInstanceArns"]}));
    validate_ecs("DescribeContainerInstances", &v);

    // Revision 2 with minimumHealthyPercent 50, maximumPercent 100: "the service scheduler can
    // stop ... tasks to stay within maximumPercent" - at most 3 tasks, at least 2 RUNNING
    // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html).
    s.ecs("RegisterTaskDefinition", web_td("nginx:1.28"));
    let v = s.ecs(
        "UpdateService",
        json!({"service": "web", "taskDefinition": "web",
            "deploymentConfiguration": {"minimumHealthyPercent": 50, "maximumPercent": 100}}),
    );
    validate_ecs("UpdateService", &v);
    assert!(v["service"]["taskDefinition"].as_str().unwrap().ends_with("web:2"), "{v}");
    let mut saw_old_and_new = false;
    for _ in 0..60 {
        s.advance(5.0);
        let live = s.ecs("ListTasks", json!({"serviceName": "web"}));
        let arns = live["taskArns"].as_array().unwrap().clone();
        let d = s.ecs("DescribeTasks", json!({"tasks": arns}));
        let tasks = d["tasks"].as_array().unwrap();
        let running = tasks.iter().filter(|t| t["lastStatus"] == "RUNNING").count();
        assert!(tasks.len() <= 3, "more than maximumPercent: {} tasks", tasks.len());
        assert!(running >= 2, "fewer than minimumHealthyPercent: {running} RUNNING");
        let revs: std::collections::BTreeSet<_> =
            tasks.iter().map(|t| t["taskDefinitionArn"].as_str().unwrap().to_string()).collect();
        saw_old_and_new |= revs.len() == 2;
    }
    assert!(saw_old_and_new, "the rollout replaced tasks gradually");
    let v = s.ecs("DescribeServices", json!({"services": ["web"]}));
    let deps = v["services"][0]["deployments"].as_array().unwrap();
    assert_eq!(deps.len(), 1, "{v}");
    assert_eq!(deps[0]["rolloutState"], "COMPLETED");
    assert_eq!(v["services"][0]["runningCount"], 3);

    // Export: the calls replay as a scenario timeline.
    let (_, e) = s.call("EcsPlayground.ExportScenario", json!({}));
    let actions: Vec<&str> =
        e["scenario"]["timeline"].as_array().unwrap().iter().map(|x| x["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["RegisterTaskDefinition", "CreateService", "RegisterTaskDefinition", "UpdateService"]);
    let replay = ecs_sim::parse_scenario(&e["scenario"].to_string()).expect("export parses");
    let mut sim = ecs_sim::Simulation::new(replay).expect("export loads");
    sim.run_until(sim.now() + 600_000);
    assert!(sim.state().services.iter().any(|x| x.service_name == "web"));
}

#[test]
fn stop_service_deployment_rolls_a_rolling_update_back() {
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopServiceDeployment.html and
    // stop-service-deployment.html: an IN_PROGRESS deployment rolls back to the previous revision.
    let s = start(&[]);
    s.ecs("RegisterTaskDefinition", web_td("nginx:1.27"));
    s.ecs(
        "CreateService",
        json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": 2, "launchType": "EC2"}),
    );
    s.advance(120.0);
    s.ecs("RegisterTaskDefinition", web_td("nginx:1.28"));
    s.ecs("UpdateService", json!({"service": "web", "taskDefinition": "web:2"}));
    s.advance(5.0);
    let v = s.ecs("ListServiceDeployments", json!({"service": "web"}));
    let list = v["serviceDeployments"].as_array().expect("list").clone();
    assert_eq!(list.len(), 2, "{v}");
    assert_eq!((list[0]["status"].as_str(), list[1]["status"].as_str()), (Some("IN_PROGRESS"), Some("SUCCESSFUL")));
    assert!(
        list[0]["createdAt"].as_str().is_some_and(|t| t.ends_with('Z')),
        "a timestamp as describe-services gives it: {v}"
    );
    let arn = list[0]["serviceDeploymentArn"].as_str().expect("arn").to_string();
    let v = s.ecs("StopServiceDeployment", json!({"serviceDeploymentArn": arn, "stopType": "ROLLBACK"}));
    assert_eq!(v["serviceDeploymentArn"], arn.as_str());
    s.advance(180.0);
    let v = s.ecs("DescribeServiceDeployments", json!({"serviceDeploymentArns": [arn, "nope"]}));
    let d = &v["serviceDeployments"][0];
    assert_eq!(d["status"], "ROLLBACK_SUCCESSFUL", "{v}");
    assert!(d["rollback"]["serviceRevisionArn"].as_str().is_some_and(|r| r.contains(":service-revision/")), "{v}");
    assert_eq!(v["failures"][0]["reason"], "MISSING");
    let v = s.ecs("DescribeServices", json!({"services": ["web"]}));
    assert!(v["services"][0]["taskDefinition"].as_str().unwrap_or_default().ends_with("web:1"), "{v}");
    let v = s.ecs("ListServiceDeployments", json!({"service": "web", "status": ["ROLLBACK_SUCCESSFUL"]}));
    assert_eq!(v["serviceDeployments"].as_array().map(Vec::len), Some(1));
    let (st, v) = s.call(&format!("{ECS}.StopServiceDeployment"), json!({"serviceDeploymentArn": arn}));
    assert_eq!((st, v["__type"].as_str()), (400, Some("ConflictException")), "{v}");
}

/// DeleteService (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html):
/// refused while scaled above 0 without force; with force the service is DRAINING, gone from
/// ListServices, still described, and INACTIVE once its tasks have stopped; UpdateService then
/// fails with ServiceNotActiveException. Scheduled actions (PutScheduledAction creates, an update
/// keeps what it leaves out, DeleteScheduledAction removes).
#[test]
fn delete_service_drains_then_inactive_and_scheduled_actions_live() {
    let s = start(&[]);
    s.ecs("RegisterTaskDefinition", web_td("nginx:1.27"));
    s.ecs(
        "CreateService",
        json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": 2, "launchType": "EC2"}),
    );
    s.advance(120.0);

    const AAS: &str = "AnyScaleFrontendService";
    let rid = "service/default/web";
    let id = json!({"ServiceNamespace": "ecs", "ResourceId": rid, "ScalableDimension": "ecs:service:DesiredCount"});
    let with = |extra: Value| {
        let mut v = id.clone();
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        v
    };
    let (st, v) = s.call(&format!("{AAS}.RegisterScalableTarget"), with(json!({"MinCapacity": 1, "MaxCapacity": 4})));
    assert_eq!(st, 200, "{v}");
    let put = with(json!({"ScheduledActionName": "night", "Schedule": "cron(0 22 * * ? *)",
        "ScalableTargetAction": {"MinCapacity": 1, "MaxCapacity": 2}}));
    let (st, v) = s.call(&format!("{AAS}.PutScheduledAction"), put);
    assert_eq!(st, 200, "{v}");
    // An update that names only the new capacities keeps the schedule.
    let upd =
        with(json!({"ScheduledActionName": "night", "ScalableTargetAction": {"MinCapacity": 0, "MaxCapacity": 1}}));
    let (st, v) = s.call(&format!("{AAS}.PutScheduledAction"), upd);
    assert_eq!(st, 200, "{v}");
    let (st, v) = s.call(&format!("{AAS}.DescribeScheduledActions"), json!({"ServiceNamespace": "ecs"}));
    assert_eq!(st, 200, "{v}");
    let a = &v["ScheduledActions"][0];
    assert_eq!(a["Schedule"], "cron(0 22 * * ? *)", "{v}");
    assert_eq!(a["ScalableTargetAction"]["MaxCapacity"], 1, "{v}");
    let (st, v) = s.call(&format!("{AAS}.DeleteScheduledAction"), with(json!({"ScheduledActionName": "night"})));
    assert_eq!(st, 200, "{v}");
    let (st, v) = s.call(&format!("{AAS}.DeleteScheduledAction"), with(json!({"ScheduledActionName": "night"})));
    assert_eq!((st, v["__type"].as_str()), (400, Some("ObjectNotFoundException")), "{v}");

    let (st, v) = s.call(&format!("{ECS}.DeleteService"), json!({"service": "web"}));
    assert_eq!((st, v["__type"].as_str()), (400, Some("InvalidParameterException")), "{v}");
    let v = s.ecs("DeleteService", json!({"service": "web", "force": true}));
    validate_ecs("UpdateService", &v); // DeleteServiceResponse has UpdateService's shape: {service}
                                       // DRAINING while tasks are still before STOPPING; tasks without a load balancer go to
                                       // STOPPING at once, so the service is already INACTIVE here.
    assert!(v["service"]["status"] == "DRAINING" || v["service"]["status"] == "INACTIVE", "{v}");
    assert_eq!(v["service"]["desiredCount"], 0, "{v}");
    assert_eq!(s.ecs("ListServices", json!({}))["serviceArns"], json!([]));
    s.advance(300.0);
    let v = s.ecs("DescribeServices", json!({"services": ["web"]}));
    assert_eq!(v["services"][0]["status"], "INACTIVE", "{v}");
    assert_eq!(v["services"][0]["runningCount"], 0, "{v}");
    let (st, v) = s.call(&format!("{ECS}.UpdateService"), json!({"service": "web", "desiredCount": 1}));
    assert_eq!((st, v["__type"].as_str()), (400, Some("ServiceNotActiveException")), "{v}");
}
