//! Cluster query language ("Cluster query language", Amazon ECS developer guide): parsing with
//! positioned errors, and evaluation against container instances.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::cql::{parse, SIM_EPOCH_UNIX};
use ecs_sim::instance_types::lookup;
use ecs_sim::model::*;
use ecs_sim::scenario::LaunchType;
use std::collections::BTreeMap;

fn instance(itype: &str, az: &str, extra: &[(&str, &str)], tasks: Vec<TaskId>) -> ContainerInstance {
    let spec = lookup(itype).expect("known type");
    let mut attributes = BTreeMap::new();
    attributes.insert("ecs.instance-type".to_string(), itype.to_string());
    attributes.insert("ecs.availability-zone".to_string(), az.to_string());
    attributes.insert("ecs.os-type".to_string(), "linux".to_string());
    for (k, v) in extra {
        attributes.insert(k.to_string(), v.to_string());
    }
    ContainerInstance {
        ec2_instance_id: "i-0abcd1234".into(),
        container_instance_arn: "arn:aws:ecs:us-east-1:123456789012:container-instance/test/abc".into(),
        instance_type: spec.name,
        spec,
        az: AzId(0),
        availability_zone: az.into(),
        status: InstanceStatus::Active,
        private_ip: "10.0.0.4".into(),
        registered_cpu: spec.registered_cpu(),
        registered_memory: spec.registered_memory_mib(),
        used_cpu: 0,
        used_memory: 0,
        used_ports: Default::default(),
        task_enis: 0,
        attributes,
        capacity_provider: None,
        auto_scaling_group: None,
        registered_at: 120_000,
        version: 1,
        updated_at: 120_000,
        deregistered_at: None,
        iam_role: None,
        tasks,
        pulled_images: Default::default(),
    }
}

fn task(group: &str, status: TaskStatus, desired: DesiredStatus) -> Task {
    Task {
        task_arn: "arn".into(),
        task_id: "t".into(),
        task_def: TaskDefRef { family: "f".into(), revision: 1 },
        task_definition_arn: "arn".into(),
        group: group.into(),
        service: None,
        deployment: None,
        launch_type: LaunchType::Ec2,
        capacity_provider: None,
        last_status: status,
        desired_status: desired,
        az: AzId(0),
        availability_zone: "us-east-1a".into(),
        instance: Some(InstanceId(0)),
        bindings: vec![],
        private_ip: None,
        eni_id: None,
        health_status: HealthStatus::Unknown,
        stop_code: None,
        stopped_reason: None,
        created_at: 0,
        started_at: None,
        stopping_at: None,
        stopped_at: None,
        cpu: 0,
        memory: 0,
        history: vec![],
        generation: 0,
        containers: vec![],
        essential_health_check: false,
        replacement: None,
        health_checks_failing: false,
        health_generation: 0,
        cpu_utilization: 0.0,
        awaiting_capacity: false,
        started_by: None,
        launch_attempt: 0,
        platform_version: None,
        overrides: None,
        tags: None,
        memory_utilization: 0.0,
    }
}

fn matches(expr: &str, inst: &ContainerInstance, tasks: &[Task]) -> bool {
    parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}")).matches(inst, tasks)
}

fn error(expr: &str) -> String {
    let e = parse(expr).expect_err(expr);
    assert_eq!(e.field, "expression", "{e}");
    assert_eq!(e.exception, "InvalidParameterException");
    e.message
}

#[test]
fn every_example_of_the_guide_parses() {
    // "Example expressions" of the Cluster query language page, and the constraint examples.
    for e in [
        "attribute:ecs.instance-type == t2.small",
        "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
        "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d",
        "task:group == service:production",
        "not(task:group == database)",
        "runningTasksCount == 1",
        "agentVersion < 1.14.5",
        "registeredAt < 2018-02-13",
        "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']",
        "attribute:ecs.instance-type =~ t2.*",
        "(attribute:a == b or attribute:c == d) and attribute:e == f",
        "attribute:stack exists",
        "attribute:stack !exists",
        "attribute:stack not_exists",
        "attribute:ecs.instance-type !in [t2.micro]",
        "attribute:ecs.instance-type not_in [t2.micro]",
        "attribute:ecs.instance-type !~ t2.*",
        "attribute:ecs.instance-type not_matches t2.*",
        "attribute:ecs.instance-type equals t2.small && attribute:ecs.os-type not_equals windows",
        "runningTasksCount greater_than 1 || runningTasksCount less_than_equal 0",
        "! attribute:stack == prod",
        "attribute:ecs.instance-type=~(t2|t3)\\..*",
    ] {
        parse(e).unwrap_or_else(|err| panic!("{e}: {err}"));
    }
}

#[test]
fn errors_point_at_the_offending_character() {
    assert_eq!(error("attribute:a == b &&& c"), "unexpected token \"&&&\" at position 17");
    assert_eq!(error("attribute:a == b c"), "unexpected token \"c\" at position 17");
    assert!(error("color == red").starts_with("unknown subject \"color\""), "{}", error("color == red"));
    assert!(error("color == red").ends_with("at position 0"));
    assert!(error("attribute:a === b").starts_with("unknown operator \"===\""));
    assert!(error("attribute:a === b").ends_with("at position 12"));
    assert!(error("attribute:a == ").starts_with("expected a value after \"==\""));
    assert_eq!(error("(attribute:a == b"), "missing \")\" to close the \"(\" at position 0 at position 17");
    assert!(error("attribute:a == 'b").starts_with("unterminated string"));
    assert!(error("attribute:a ==").ends_with("at position 14"));
    assert!(error("").contains("needs an expression"));
    assert_eq!(error("attribute:a == b and"), "expected an expression, found the end of the expression at position 20");
    assert_eq!(error("attribute:a == b )"), "unexpected token \")\" at position 17");
}

#[test]
fn argument_lists_use_square_brackets() {
    // "You specify an argument list as follows: [argument1, argument2, ..., argumentN]".
    let m = error("attribute:ecs.availability-zone in (us-east-1a, us-east-1b)");
    assert!(m.contains("square brackets") && m.ends_with("at position 35"), "{m}");
    assert!(error("attribute:a in [x, y").starts_with("missing \"]\""));
    assert!(error("attribute:a in []").starts_with("an argument list needs at least one value"));
    assert!(error("attribute:a == [x]").contains("only valid with in and not_in"));
}

#[test]
fn operators_are_checked_against_the_subject() {
    // runningTasksCount: "Valid operators: equals (==), not_equals (!=), greater_than (>),
    // greater_than_equal (>=), less_than (<), less_than_equal (<=)"; ec2InstanceId: "equals (==),
    // not_equals (!=), in, not_in (!in), matches (=~), not_matches (!~)".
    let m = error("runningTasksCount in [1, 2]");
    assert!(
        m.starts_with("operator \"in\" is not valid for subject runningTasksCount") && m.ends_with("at position 18"),
        "{m}"
    );
    assert!(error("ec2InstanceId > i-0").starts_with("operator \">\" is not valid for subject ec2InstanceId"));
    assert!(error("runningTasksCount > many").starts_with("runningTasksCount needs a whole number"));
    assert!(error("agentVersion < latest").starts_with("agentVersion needs a version"));
    // "Valid date formats: 2018-06-18T22:28:28+00:00, 2018-06-18T22:28:28Z, 2018-06-18T22:28:28,
    // 2018-06-18"
    for ok in ["2018-06-18T22:28:28+00:00", "2018-06-18T22:28:28Z", "2018-06-18T22:28:28", "2018-06-18"] {
        parse(&format!("registeredAt > {ok}")).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    assert!(error("registeredAt > 18/06/2018").starts_with("registeredAt needs a date"));
}

#[test]
fn matches_takes_a_regular_expression() {
    // "The matches and not_matches operators expect an argument that conforms to the Java regular
    // expression syntax."
    let m = error("attribute:ecs.instance-type =~ t2.(");
    assert!(m.starts_with("invalid regular expression \"t2.(\"") && m.ends_with("at position 31"), "{m}");
    let i = instance("t2.micro", "us-east-1a", &[], vec![]);
    assert!(matches("attribute:ecs.instance-type =~ t2.*", &i, &[]));
    assert!(matches("attribute:ecs.instance-type =~ (t2|t3)\\..*", &i, &[]));
    // Like Java's String.matches, the whole value must match.
    assert!(!matches("attribute:ecs.instance-type =~ micro", &i, &[]));
    assert!(matches("attribute:ecs.instance-type !~ m5.*", &i, &[]));
}

#[test]
fn the_expression_is_limited_to_2000_characters() {
    // PlacementConstraint expression: "Length Constraints: Maximum length of 2000."
    let long = format!("attribute:a == {}", "x".repeat(2000));
    assert!(error(&long).starts_with("must be at most 2000 characters"));
}

#[test]
fn equality_lists_and_compound_expressions() {
    let i = instance("t2.small", "us-east-1a", &[("stack", "prod")], vec![]);
    assert!(matches("attribute:ecs.instance-type == t2.small", &i, &[]));
    assert!(!matches("attribute:ecs.instance-type == t2.medium", &i, &[]));
    assert!(matches("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", &i, &[]));
    assert!(!matches("attribute:ecs.availability-zone not_in [us-east-1a, us-east-1b]", &i, &[]));
    assert!(matches("attribute:ecs.availability-zone in ['us-east-1a']", &i, &[]));
    assert!(matches("ec2InstanceId in ['i-0abcd1234', 'i-wxyx7890']", &i, &[]));
    assert!(matches("agentConnected == true", &i, &[]));
    assert!(matches("attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone != us-east-1d", &i, &[]));
    // not binds tighter than and, and tighter than or.
    assert!(matches("attribute:stack == dev or attribute:stack == prod and attribute:ecs.os-type == linux", &i, &[]));
    assert!(!matches(
        "(attribute:stack == dev or attribute:stack == prod) and attribute:ecs.os-type == windows",
        &i,
        &[]
    ));
    assert!(!matches("not attribute:stack == prod", &i, &[]));
    assert!(matches("!(attribute:stack == dev)", &i, &[]));
}

#[test]
fn missing_attributes_satisfy_neither_equals_nor_not_equals() {
    // "The following example lists the instances with the custom attribute "stack" unless the
    // attribute value is "prod"": attribute:stack != prod. An instance without "stack" is not listed.
    let without = instance("t2.small", "us-east-1a", &[], vec![]);
    let dev = instance("t2.small", "us-east-1a", &[("stack", "dev")], vec![]);
    assert!(!matches("attribute:stack != prod", &without, &[]));
    assert!(matches("attribute:stack != prod", &dev, &[]));
    assert!(!matches("attribute:stack == prod", &without, &[]));
    // "exists: Subject exists", "!exists: Subject does not exist".
    assert!(matches("attribute:stack !exists", &without, &[]));
    assert!(matches("attribute:stack exists", &dev, &[]));
}

#[test]
fn task_group_affinity_and_anti_affinity() {
    // "task:group == service:production: selects instances that are hosting tasks in the
    // service:production group"; "not(task:group == database): selects instances that are not
    // hosting tasks in the database group".
    let tasks = vec![
        task("service:production", TaskStatus::Running, DesiredStatus::Running),
        task("database", TaskStatus::Running, DesiredStatus::Stopped),
    ];
    let host = instance("m5.large", "us-east-1a", &[], vec![TaskId(0), TaskId(1)]);
    let empty = instance("m5.large", "us-east-1a", &[], vec![]);
    assert!(matches("task:group == service:production", &host, &tasks));
    assert!(!matches("task:group == service:production", &empty, &tasks));
    // The database task is being stopped (desired STOPPED): as for distinctInstance, "Amazon ECS
    // looks at the desired status of the tasks", so the instance no longer counts as hosting it.
    assert!(matches("not(task:group == database)", &host, &tasks));
    assert!(matches("not(task:group == database)", &empty, &tasks));
}

#[test]
fn counts_versions_and_registration_time() {
    // "runningTasksCount == 1: selects instances that are only running one task"; "agentVersion <
    // 1.14.5"; "registeredAt < 2018-02-13".
    let tasks = vec![
        task("a", TaskStatus::Running, DesiredStatus::Running),
        task("a", TaskStatus::Pending, DesiredStatus::Running),
    ];
    let i = instance("m5.large", "us-east-1a", &[], vec![TaskId(0), TaskId(1)]);
    assert!(matches("runningTasksCount == 1", &i, &tasks), "PENDING tasks are not running");
    assert!(matches("runningTasksCount >= 1 and runningTasksCount < 2", &i, &tasks));
    assert!(!matches("agentVersion < 1.14.5", &i, &tasks));
    assert!(matches("agentVersion > 1.14.5", &i, &tasks));
    // The instance registered 120 simulated seconds after the playground's epoch.
    let epoch = ecs_sim::cql::parse_date("2025-01-01").expect("date");
    assert_eq!(epoch, SIM_EPOCH_UNIX);
    assert!(matches("registeredAt > 2025-01-01T00:01:59Z", &i, &tasks));
    assert!(matches("registeredAt == 2025-01-01T00:02:00+00:00", &i, &tasks));
    assert!(matches("registeredAt <= 2025-01-01T01:02:00+01:00 or registeredAt < 2018-02-13", &i, &tasks));
    assert!(!matches("registeredAt < 2018-02-13", &i, &tasks));
}

#[test]
fn instance_matches_reports_parse_errors() {
    let i = instance("m5.large", "us-east-1a", &[], vec![]);
    assert!(ecs_sim::cql::instance_matches("bogus", &i, &[]).is_err());
    assert_eq!(ecs_sim::cql::instance_matches("attribute:ecs.os-type == linux", &i, &[]), Ok(true));
}

proptest::proptest! {
    // A panic would kill the web page: whatever a user types, parse returns Ok or an ApiError.
    #[test]
    fn parse_never_panics(s in "[a-z:=!<>~&|()\\[\\],'\" .*0-9-]{0,60}") {
        let _ = parse(&s);
    }
}
