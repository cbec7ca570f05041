//! RegisterTaskDefinition validation: each error names the field path and the rule, as in the API
//! reference ("RegisterTaskDefinition", "ContainerDefinition", "PortMapping", "HealthCheck") and the
//! "Task definition parameters" page.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::taskdef_rules::{parse_task_definition, validate};
use ecs_sim::ApiError;
use serde_json::{json, Value};

fn check(doc: Value) -> Result<(), ApiError> {
    let req = parse_task_definition(&doc)?;
    validate(&req).map(|_| ())
}

fn field_of(doc: Value) -> String {
    let e = check(doc.clone()).expect_err(&doc.to_string());
    e.field
}

fn ec2(containers: Value) -> Value {
    json!({"family": "app", "containerDefinitions": containers})
}

fn c(name: &str) -> Value {
    json!({"name": name, "image": "nginx", "memory": 128})
}

#[test]
fn a_plain_ec2_task_definition_is_valid() {
    check(ec2(json!([c("web")]))).expect("valid");
}

#[test]
fn fargate_cpu_memory_combinations() {
    // Task size table: "256 (.25 vCPU): 512 MiB, 1 GB, 2 GB"; "4096 (4 vCPU): Between 8 GB and 30 GB
    // in 1-GB increments"; "16384 (16 vCPU): Between 32 GB and 120 GB in 8-GB increments".
    let fg = |cpu: &str, mem: &str| {
        json!({"family": "f", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": cpu, "memory": mem,
               "containerDefinitions": [{"name": "a", "image": "nginx"}]})
    };
    check(fg("256", "512")).expect("256/512");
    check(fg("0.25 vCPU", "2 GB")).expect("256/2048");
    check(fg("4096", "30720")).expect("4096/30 GB");
    check(fg("16384", "122880")).expect("16384/120 GB");
    assert_eq!(field_of(fg("256", "4096")), "memory");
    assert_eq!(field_of(fg("16384", "36864")), "memory", "36 GB is not an 8-GB step from 32 GB");
    assert_eq!(field_of(fg("300", "1024")), "cpu");
    // "Fargate only supports network mode awsvpc".
    let mut bridge = fg("256", "512");
    bridge["networkMode"] = json!("bridge");
    assert_eq!(field_of(bridge), "networkMode");
}

#[test]
fn container_cpu_and_memory_cannot_exceed_the_task_size() {
    // ContainerDefinition cpu: "the total amount of CPU reserved for all containers within a task
    // [must] be lower than the task-level cpu value"; memory: "The total amount of memory reserved
    // for all containers within a task must be lower than the task memory value, if one is
    // specified" - for Fargate as for EC2.
    let mut d = ec2(json!([
        {"name": "a", "image": "nginx", "cpu": 512, "memory": 128},
        {"name": "b", "image": "nginx", "cpu": 768, "memory": 128},
    ]));
    d["cpu"] = json!("1024");
    d["memory"] = json!("512");
    let e = check(d.clone()).expect_err("cpu sum");
    assert_eq!(e.field, "cpu");
    assert!(e.message.contains("1280"), "{e}");
    d["cpu"] = json!("2048");
    d["memory"] = json!("200");
    assert_eq!(field_of(d), "memory");
    let fg = json!({"family": "f", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512",
                    "containerDefinitions": [{"name": "a", "image": "nginx", "memoryReservation": 400},
                                             {"name": "b", "image": "nginx", "memoryReservation": 200}]});
    assert_eq!(field_of(fg), "memory");
}

#[test]
fn ec2_task_cpu_range_applies_even_without_task_memory() {
    // "supported values are between 128 CPU units (0.125 vCPUs) and 196608 CPU units (192 vCPUs)".
    let mut d = ec2(json!([c("web")]));
    d["cpu"] = json!("64");
    assert_eq!(field_of(d.clone()), "cpu");
    d["cpu"] = json!("128");
    check(d).expect("128 units");
}

#[test]
fn container_rules_name_the_container_path() {
    // "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."
    assert_eq!(field_of(ec2(json!([c("web"), c("bad name")]))), "containerDefinitions[1].name");
    assert_eq!(field_of(ec2(json!([c("web"), c("web")]))), "containerDefinitions[1].name");
    // "If using the EC2 launch type, you must specify either a task-level memory value or a
    // container-level memory value."
    assert_eq!(field_of(ec2(json!([{"name": "a", "image": "nginx"}]))), "containerDefinitions[0].memory");
    // memoryReservation above memory.
    assert_eq!(
        field_of(ec2(json!([{"name": "a", "image": "nginx", "memory": 128, "memoryReservation": 256}]))),
        "containerDefinitions[0].memoryReservation"
    );
    // "All tasks must have at least one essential container."
    let mut x = c("a");
    x["essential"] = json!(false);
    assert_eq!(field_of(ec2(json!([x]))), "containerDefinitions");
}

#[test]
fn port_mapping_rules() {
    let pm = |mode: &str, mapping: Value| {
        json!({"family": "p", "networkMode": mode,
               "containerDefinitions": [c("a"), {"name": "b", "image": "nginx", "memory": 64, "portMappings": [mapping]}]})
    };
    // "If you use containers in a task with the awsvpc or host network mode, the hostPort can either
    // be left blank or set to the same value as the containerPort."
    assert_eq!(
        field_of(pm("awsvpc", json!({"containerPort": 80, "hostPort": 8080}))),
        "containerDefinitions[1].portMappings[0].hostPort"
    );
    assert_eq!(
        field_of(pm("host", json!({"containerPort": 80, "hostPort": 8080}))),
        "containerDefinitions[1].portMappings[0].hostPort"
    );
    check(pm("bridge", json!({"containerPort": 80, "hostPort": 8080}))).expect("bridge may remap");
    // Port ranges 0-65535.
    assert_eq!(
        field_of(pm("bridge", json!({"containerPort": 70000}))),
        "containerDefinitions[1].portMappings[0].containerPort"
    );
    assert_eq!(
        field_of(pm("bridge", json!({"containerPort": 80, "hostPort": 70000}))),
        "containerDefinitions[1].portMappings[0].hostPort"
    );
    // PortMapping protocol: "Valid Values: tcp | udp".
    let e = check(pm("bridge", json!({"containerPort": 80, "protocol": "sctp"}))).expect_err("sctp");
    assert_eq!(e.field, "containerDefinitions[1].portMappings[0].protocol", "{e}");
    // networkMode none: no port mappings.
    assert_eq!(field_of(pm("none", json!({"containerPort": 80}))), "containerDefinitions[1].portMappings[0]");
}

#[test]
fn links_only_in_bridge_mode() {
    // links: "This parameter is only supported if the network mode of a task definition is bridge."
    let mut x = c("b");
    x["links"] = json!(["a"]);
    let mut d = ec2(json!([c("a"), x]));
    check(d.clone()).expect("bridge is the EC2 default");
    d["networkMode"] = json!("awsvpc");
    assert_eq!(field_of(d), "containerDefinitions[1].links");
}

#[test]
fn health_check_ranges() {
    // HealthCheck: interval "between 5 and 300 seconds", timeout "between 2 and 120 seconds",
    // retries "between 1 and 10", startPeriod "between 0 and 300 seconds".
    for (k, bad) in [
        ("interval", 4),
        ("interval", 301),
        ("timeout", 1),
        ("timeout", 121),
        ("retries", 0),
        ("retries", 11),
        ("startPeriod", 301),
    ] {
        let mut x = c("a");
        x["healthCheck"] = json!({"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]});
        x["healthCheck"][k] = json!(bad);
        assert_eq!(field_of(ec2(json!([x]))), format!("containerDefinitions[0].healthCheck.{k}"), "{k}={bad}");
    }
    let mut x = c("a");
    x["healthCheck"] = json!({"command": ["curl", "localhost"]});
    assert_eq!(field_of(ec2(json!([x]))), "containerDefinitions[0].healthCheck.command");
}

#[test]
fn task_definition_placement_constraints() {
    // "The memberOf task placement constraint can be specified with ... Creating a new task
    // definition"; distinctInstance only for RunTask and CreateService.
    let mut d = ec2(json!([c("a")]));
    d["placementConstraints"] = json!([{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.*"}]);
    check(d.clone()).expect("memberOf");
    d["placementConstraints"] = json!([{"type": "distinctInstance"}]);
    assert_eq!(field_of(d.clone()), "placementConstraints[0].type");
    d["placementConstraints"] =
        json!([{"type": "memberOf", "expression": "attribute:ecs.instance-type in (t3.micro)"}]);
    let e = check(d).expect_err("parenthesised list");
    assert_eq!(e.field, "placementConstraints[0].expression");
    assert!(e.message.contains("square brackets"), "{e}");
}

#[test]
fn unknown_fields_are_named() {
    let mut d = ec2(json!([c("a")]));
    d["colour"] = json!("blue");
    assert_eq!(field_of(d), "colour");
}
