//! What the project writes, checked against AWS's published service models (botocore's
//! `service-2.json` for ecs, elbv2 and application-autoscaling, vendored in
//! `tests/fixtures/botocore/`): the exported request bodies of every scenario and lesson.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;

mod botocore;

use botocore::Stats;
use ecs_sim::export::{json, Setup};
use serde_json::Value;

use common::documents;

fn fail_on(name: &str, errs: Vec<String>) {
    assert!(errs.is_empty(), "{name}:\n{}", errs.join("\n"));
}

/// The JSON export (register-task-definition, create-service, create-target-group and
/// application-autoscaling bodies) of every scenario and lesson is what botocore accepts.
#[test]
fn exported_request_bodies_match_the_service_models() {
    let (ecs, elbv2, aas) = (botocore::ecs(), botocore::elbv2(), botocore::application_autoscaling());
    let cloudwatch = botocore::cloudwatch();
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
        // Blue/green listener rules (elbv2 CreateRule) and the alarms deployments watch
        // (CloudWatch PutMetricAlarm).
        for (i, b) in doc["createRule"].as_array().into_iter().flatten().enumerate() {
            fail_on(&format!("{name}: createRule[{i}]"), elbv2.validate("CreateRuleInput", b, "", &mut st));
        }
        for (i, b) in doc["putMetricAlarm"].as_array().into_iter().flatten().enumerate() {
            fail_on(
                &format!("{name}: putMetricAlarm[{i}]"),
                cloudwatch.validate("PutMetricAlarmInput", b, "", &mut st),
            );
        }
        for (i, b) in doc["createCapacityProvider"].as_array().into_iter().flatten().enumerate() {
            fail_on(
                &format!("{name}: createCapacityProvider[{i}]"),
                ecs.validate("CreateCapacityProviderRequest", b, "", &mut st),
            );
        }
        if let Some(b) = doc.get("putClusterCapacityProviders") {
            fail_on(
                &format!("{name}: putClusterCapacityProviders"),
                ecs.validate("PutClusterCapacityProvidersRequest", b, "", &mut st),
            );
        }
        // DAEMON services have no desiredCount (CreateService).
        for s in doc["createService"].as_array().into_iter().flatten() {
            if s["schedulingStrategy"] == "DAEMON" {
                assert!(s.get("desiredCount").is_none(), "{name}: a DAEMON service exported with desiredCount");
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

const ENVELOPE: [&str; 10] =
    ["account", "detail", "detail-type", "id", "region", "resources", "source", "t", "time", "version"];
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
fn check_line(
    ecs: &botocore::Model,
    line: &str,
    st: &mut Stats,
    kinds: &mut std::collections::BTreeMap<String, u64>,
) -> Vec<String> {
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
            errs.extend(ecs.validate(
                "ServiceEvent",
                &without(&v["detail"], &["serviceName", "serviceArn"]),
                "detail",
                st,
            ));
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
            if !d["updatedAt"].as_str().is_some_and(botocore::is_iso8601)
                || !d["version"].is_u64()
                || !d["clusterArn"].is_string()
            {
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
            let allowed = [
                "capacityProviderArns",
                "clusterArn",
                "containerInstanceArns",
                "createdAt",
                "eventName",
                "eventType",
                "reason",
            ];
            if keys(d).iter().any(|k| !allowed.contains(k))
                || ["clusterArn", "createdAt", "eventName", "eventType"].iter().any(|k| d.get(*k).is_none())
            {
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
    for k in [
        "ECS Task State Change",
        "ECS Container Instance State Change",
        "ECS Deployment State Change",
        "ECS Service Action",
    ] {
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
            [
                "TargetGroups",
                "capacityProviders",
                "containerInstances",
                "playground",
                "services",
                "targetGroupAttributes",
                "targetHealth",
                "tasks"
            ],
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
        errs.extend(elbv2.validate(
            "DescribeTargetGroupsOutput",
            &serde_json::json!({"TargetGroups": snap["TargetGroups"]}),
            "TargetGroups",
            &mut st,
        ));
        for (i, h) in snap["targetHealth"].as_array().into_iter().flatten().enumerate() {
            errs.extend(elbv2.validate(
                "DescribeTargetHealthOutput",
                &without(h, &["TargetGroupArn"]),
                &format!("targetHealth[{i}]"),
                &mut st,
            ));
        }
        for (i, a) in snap["targetGroupAttributes"].as_array().into_iter().flatten().enumerate() {
            errs.extend(elbv2.validate(
                "DescribeTargetGroupAttributesOutput",
                &without(a, &["TargetGroupArn"]),
                &format!("targetGroupAttributes[{i}]"),
                &mut st,
            ));
        }
        // describe-services lists a service's events newest first.
        for s in snap["services"].as_array().into_iter().flatten() {
            let times: Vec<&str> =
                s["events"].as_array().into_iter().flatten().filter_map(|e| e["createdAt"].as_str()).collect();
            if times.windows(2).any(|w| w[0] < w[1]) {
                errs.push(format!("{}: events not newest first", s["serviceName"]));
            }
        }
        fail_on(&name, errs);
    }
    eprintln!(
        "snapshot: {} shapes, {} distinct members, {} member values checked",
        st.shapes.len(),
        st.members.len(),
        st.values
    );
}

/// The CLI script creates and associates capacity providers before the services that use them.
#[test]
fn cli_script_associates_capacity_providers_before_services() {
    let mut n = 0;
    for (name, text) in documents() {
        let mut sim = ecs_sim::load(&text, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        sim.run_until(60_000);
        let setup = Setup::from_sim(&sim);
        let script = ecs_sim::export::cli::render(&setup);
        let uses_cp = setup.services.iter().any(|s| !s.capacity_provider_strategy.is_empty());
        let put = script.find("aws ecs put-cluster-capacity-providers");
        if uses_cp {
            let put = put.unwrap_or_else(|| panic!("{name}: no put-cluster-capacity-providers"));
            let first_service = script.find("aws ecs create-service").expect("create-service");
            assert!(put < first_service, "{name}: capacity providers associated after a service");
            for cp in &setup.capacity_providers {
                let create = script.find(&format!("\"name\":{}", cp["name"])).expect("create-capacity-provider");
                assert!(create < put, "{name}: provider created after the association");
            }
            n += 1;
        }
    }
    assert!(n >= 2, "only {n} documents use capacity providers");
}

/// The Terraform AWS provider's documented arguments (and nested blocks) of the resources the
/// export writes, from the provider's resource pages
/// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/<name>, v5/v6):
/// `resource.block.argument` paths; `depends_on` is Terraform's meta-argument.
const TERRAFORM_ARGUMENTS: &[(&str, &[&str])] = &[
    // CODE_DEPLOY services (the provider's aws_codedeploy_app and aws_codedeploy_deployment_group).
    ("aws_codedeploy_app", &["name", "compute_platform", "tags"]),
    (
        "aws_codedeploy_deployment_group",
        &[
            "app_name",
            "deployment_group_name",
            "service_role_arn",
            "deployment_config_name",
            "deployment_style",
            "deployment_style.deployment_option",
            "deployment_style.deployment_type",
            "auto_rollback_configuration",
            "auto_rollback_configuration.enabled",
            "auto_rollback_configuration.events",
            "blue_green_deployment_config",
            "blue_green_deployment_config.deployment_ready_option",
            "blue_green_deployment_config.deployment_ready_option.action_on_timeout",
            "blue_green_deployment_config.deployment_ready_option.wait_time_in_minutes",
            "blue_green_deployment_config.terminate_blue_instances_on_deployment_success",
            "blue_green_deployment_config.terminate_blue_instances_on_deployment_success.action",
            "blue_green_deployment_config.terminate_blue_instances_on_deployment_success.termination_wait_time_in_minutes",
            "ecs_service",
            "ecs_service.cluster_name",
            "ecs_service.service_name",
            "load_balancer_info",
            "load_balancer_info.target_group_pair_info",
            "load_balancer_info.target_group_pair_info.prod_traffic_route",
            "load_balancer_info.target_group_pair_info.prod_traffic_route.listener_arns",
            "load_balancer_info.target_group_pair_info.test_traffic_route",
            "load_balancer_info.target_group_pair_info.test_traffic_route.listener_arns",
            "load_balancer_info.target_group_pair_info.target_group",
            "load_balancer_info.target_group_pair_info.target_group.name",
            "tags",
        ],
    ),
    ("aws_ecs_cluster", &["name", "configuration", "service_connect_defaults", "setting", "tags"]),
    (
        "aws_ecs_task_definition",
        &[
            "container_definitions",
            "family",
            "cpu",
            "enable_fault_injection",
            "ephemeral_storage",
            "ephemeral_storage.size_in_gib",
            "execution_role_arn",
            "inference_accelerator",
            "ipc_mode",
            "memory",
            "network_mode",
            "runtime_platform",
            "runtime_platform.operating_system_family",
            "runtime_platform.cpu_architecture",
            "pid_mode",
            "placement_constraints",
            "placement_constraints.type",
            "placement_constraints.expression",
            "proxy_configuration",
            "requires_compatibilities",
            "skip_destroy",
            "tags",
            "task_role_arn",
            "track_latest",
            "volume",
            "volume.name",
            "volume.host_path",
            "volume.configure_at_launch",
            "volume.docker_volume_configuration",
            "volume.docker_volume_configuration.autoprovision",
            "volume.docker_volume_configuration.driver",
            "volume.docker_volume_configuration.driver_opts",
            "volume.docker_volume_configuration.labels",
            "volume.docker_volume_configuration.scope",
            "volume.efs_volume_configuration",
            "volume.efs_volume_configuration.file_system_id",
            "volume.efs_volume_configuration.root_directory",
            "volume.efs_volume_configuration.transit_encryption",
            "volume.efs_volume_configuration.transit_encryption_port",
            "volume.efs_volume_configuration.authorization_config",
            "volume.efs_volume_configuration.authorization_config.access_point_id",
            "volume.efs_volume_configuration.authorization_config.iam",
            "volume.fsx_windows_file_server_volume_configuration",
        ],
    ),
    (
        "aws_ecs_service",
        &[
            "name",
            "alarms",
            "availability_zone_rebalancing",
            "capacity_provider_strategy",
            "capacity_provider_strategy.base",
            "capacity_provider_strategy.capacity_provider",
            "capacity_provider_strategy.weight",
            "cluster",
            "alarms.alarm_names",
            "alarms.enable",
            "alarms.rollback",
            // ECS-native blue/green, canary and linear (the provider's deployment_configuration
            // block; canary_configuration/linear_configuration as in its schema).
            "deployment_configuration",
            "deployment_configuration.strategy",
            "deployment_configuration.bake_time_in_minutes",
            "deployment_configuration.canary_configuration",
            "deployment_configuration.canary_configuration.canary_percent",
            "deployment_configuration.canary_configuration.canary_bake_time_in_minutes",
            "deployment_configuration.linear_configuration",
            "deployment_configuration.linear_configuration.step_percent",
            "deployment_configuration.linear_configuration.step_bake_time_in_minutes",
            // deployment_configuration.lifecycle_hook (provider docs; ECS's DeploymentLifecycleHook).
            "deployment_configuration.lifecycle_hook",
            "deployment_configuration.lifecycle_hook.hook_target_arn",
            "deployment_configuration.lifecycle_hook.role_arn",
            "deployment_configuration.lifecycle_hook.lifecycle_stages",
            "deployment_configuration.lifecycle_hook.hook_details",
            "load_balancer.advanced_configuration",
            "load_balancer.advanced_configuration.alternate_target_group_arn",
            "load_balancer.advanced_configuration.production_listener_rule",
            "load_balancer.advanced_configuration.test_listener_rule",
            "load_balancer.advanced_configuration.role_arn",
            "deployment_circuit_breaker",
            "deployment_circuit_breaker.enable",
            "deployment_circuit_breaker.rollback",
            "deployment_controller",
            "deployment_controller.type",
            "deployment_maximum_percent",
            "deployment_minimum_healthy_percent",
            "desired_count",
            "enable_ecs_managed_tags",
            "enable_execute_command",
            "force_delete",
            "force_new_deployment",
            "health_check_grace_period_seconds",
            "iam_role",
            "launch_type",
            "load_balancer",
            "load_balancer.elb_name",
            "load_balancer.target_group_arn",
            "load_balancer.container_name",
            "load_balancer.container_port",
            "network_configuration",
            "network_configuration.subnets",
            "network_configuration.security_groups",
            "network_configuration.assign_public_ip",
            "ordered_placement_strategy",
            "ordered_placement_strategy.type",
            "ordered_placement_strategy.field",
            "placement_constraints",
            "placement_constraints.type",
            "placement_constraints.expression",
            "platform_version",
            "propagate_tags",
            "scheduling_strategy",
            "service_connect_configuration",
            "service_registries",
            "tags",
            "task_definition",
            "triggers",
            "volume_configuration",
            "vpc_lattice_configurations",
            "wait_for_steady_state",
            "depends_on",
        ],
    ),
    (
        "aws_ecs_capacity_provider",
        &[
            "name",
            "cluster",
            "tags",
            "managed_instances_provider",
            "auto_scaling_group_provider",
            "auto_scaling_group_provider.auto_scaling_group_arn",
            "auto_scaling_group_provider.managed_draining",
            "auto_scaling_group_provider.managed_termination_protection",
            "auto_scaling_group_provider.managed_scaling",
            "auto_scaling_group_provider.managed_scaling.instance_warmup_period",
            "auto_scaling_group_provider.managed_scaling.minimum_scaling_step_size",
            "auto_scaling_group_provider.managed_scaling.maximum_scaling_step_size",
            "auto_scaling_group_provider.managed_scaling.status",
            "auto_scaling_group_provider.managed_scaling.target_capacity",
        ],
    ),
    (
        "aws_ecs_cluster_capacity_providers",
        &[
            "cluster_name",
            "capacity_providers",
            "default_capacity_provider_strategy",
            "default_capacity_provider_strategy.capacity_provider",
            "default_capacity_provider_strategy.weight",
            "default_capacity_provider_strategy.base",
        ],
    ),
    (
        "aws_lb_target_group",
        &[
            "name",
            "name_prefix",
            "port",
            "protocol",
            "protocol_version",
            "target_type",
            "vpc_id",
            "deregistration_delay",
            "load_balancing_algorithm_type",
            "load_balancing_anomaly_mitigation",
            "load_balancing_cross_zone_enabled",
            "slow_start",
            "connection_termination",
            "lambda_multi_value_headers_enabled",
            "preserve_client_ip",
            "proxy_protocol_v2",
            "ip_address_type",
            "tags",
            "stickiness",
            "target_failover",
            "target_health_state",
            "target_group_health",
            "health_check",
            "health_check.enabled",
            "health_check.healthy_threshold",
            "health_check.interval",
            "health_check.matcher",
            "health_check.path",
            "health_check.port",
            "health_check.protocol",
            "health_check.timeout",
            "health_check.unhealthy_threshold",
        ],
    ),
    (
        "aws_appautoscaling_target",
        &[
            "max_capacity",
            "min_capacity",
            "resource_id",
            "role_arn",
            "scalable_dimension",
            "service_namespace",
            "suspended_state",
            "suspended_state.dynamic_scaling_in_suspended",
            "suspended_state.dynamic_scaling_out_suspended",
            "suspended_state.scheduled_scaling_suspended",
            "tags",
        ],
    ),
    (
        "aws_appautoscaling_policy",
        &[
            "name",
            "policy_type",
            "resource_id",
            "scalable_dimension",
            "service_namespace",
            "step_scaling_policy_configuration",
            "step_scaling_policy_configuration.adjustment_type",
            "step_scaling_policy_configuration.cooldown",
            "step_scaling_policy_configuration.metric_aggregation_type",
            "step_scaling_policy_configuration.min_adjustment_magnitude",
            "step_scaling_policy_configuration.step_adjustment",
            "step_scaling_policy_configuration.step_adjustment.metric_interval_lower_bound",
            "step_scaling_policy_configuration.step_adjustment.metric_interval_upper_bound",
            "step_scaling_policy_configuration.step_adjustment.scaling_adjustment",
            "target_tracking_scaling_policy_configuration",
            "target_tracking_scaling_policy_configuration.target_value",
            "target_tracking_scaling_policy_configuration.disable_scale_in",
            "target_tracking_scaling_policy_configuration.scale_in_cooldown",
            "target_tracking_scaling_policy_configuration.scale_out_cooldown",
            "target_tracking_scaling_policy_configuration.predefined_metric_specification",
            "target_tracking_scaling_policy_configuration.predefined_metric_specification.predefined_metric_type",
            "target_tracking_scaling_policy_configuration.predefined_metric_specification.resource_label",
            "target_tracking_scaling_policy_configuration.customized_metric_specification",
            "target_tracking_scaling_policy_configuration.customized_metric_specification.metric_name",
            "target_tracking_scaling_policy_configuration.customized_metric_specification.namespace",
            "target_tracking_scaling_policy_configuration.customized_metric_specification.statistic",
            "target_tracking_scaling_policy_configuration.customized_metric_specification.unit",
            "target_tracking_scaling_policy_configuration.customized_metric_specification.dimensions",
            "target_tracking_scaling_policy_configuration.customized_metric_specification.dimensions.name",
            "target_tracking_scaling_policy_configuration.customized_metric_specification.dimensions.value",
            "target_tracking_scaling_policy_configuration.customized_metric_specification.metrics",
            "predictive_scaling_policy_configuration",
        ],
    ),
    (
        "aws_appautoscaling_scheduled_action",
        &[
            "name",
            "service_namespace",
            "resource_id",
            "scalable_dimension",
            "scalable_target_action",
            "scalable_target_action.min_capacity",
            "scalable_target_action.max_capacity",
            "schedule",
            "start_time",
            "end_time",
            "timezone",
        ],
    ),
    // aws_lb_listener_rule (provider docs, "Argument Reference"; `lifecycle` is Terraform's
    // meta-argument).
    (
        "aws_lb_listener_rule",
        &[
            "listener_arn",
            "priority",
            "action",
            "action.type",
            "action.order",
            "action.target_group_arn",
            "action.forward",
            "action.forward.target_group",
            "action.forward.target_group.arn",
            "action.forward.target_group.weight",
            "condition",
            "condition.path_pattern",
            "condition.path_pattern.values",
            "condition.host_header",
            "condition.host_header.values",
            "condition.http_request_method",
            "condition.http_request_method.values",
            "condition.source_ip",
            "condition.source_ip.values",
            "condition.http_header",
            "condition.http_header.http_header_name",
            "condition.http_header.values",
            "tags",
            "lifecycle",
            "lifecycle.ignore_changes",
        ],
    ),
    // aws_launch_template, aws_autoscaling_group and aws_cloudwatch_metric_alarm: the provider's
    // "Argument Reference" sections.
    ("aws_launch_template", &["name_prefix", "name", "image_id", "instance_type", "user_data", "iam_instance_profile"]),
    (
        "aws_autoscaling_group",
        &[
            "name",
            "min_size",
            "max_size",
            "desired_capacity",
            "availability_zones",
            "vpc_zone_identifier",
            "protect_from_scale_in",
            "launch_template",
            "launch_template.id",
            "launch_template.version",
            "tag",
            "tag.key",
            "tag.value",
            "tag.propagate_at_launch",
        ],
    ),
    (
        "aws_cloudwatch_metric_alarm",
        &[
            "alarm_name",
            "alarm_description",
            "comparison_operator",
            "evaluation_periods",
            "datapoints_to_alarm",
            "metric_name",
            "namespace",
            "statistic",
            "unit",
            "period",
            "threshold",
            "treat_missing_data",
            "actions_enabled",
            "dimensions",
            "alarm_actions",
            "ok_actions",
        ],
    ),
];

/// The (resource type, argument path) pairs of a Terraform text written by the export's HCL
/// writer: blocks open with `header {` and close with `}`; an attribute is `name = value`, whose
/// value may span lines until its brackets balance (strings respected).
fn terraform_arguments(tf: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut resource: Option<String> = None;
    let mut depth_in_value = 0i32;
    for (n, raw) in tf.lines().enumerate() {
        let line = raw.trim();
        let balance = |s: &str| {
            let (mut d, mut in_str, mut esc) = (0i32, false, false);
            for c in s.chars() {
                match (in_str, esc, c) {
                    (true, true, _) => esc = false,
                    (true, false, '\\') => esc = true,
                    (true, false, '"') => in_str = false,
                    (false, _, '"') => in_str = true,
                    (false, _, '(' | '[' | '{') => d += 1,
                    (false, _, ')' | ']' | '}') => d -= 1,
                    _ => {}
                }
            }
            d
        };
        if depth_in_value > 0 {
            depth_in_value += balance(line);
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line == "}" {
            stack.pop().ok_or(format!("line {}: unbalanced }}", n + 1))?;
            if stack.is_empty() {
                resource = None;
            }
            continue;
        }
        if let Some(header) = line.strip_suffix(" {") {
            if stack.is_empty() {
                let parts: Vec<&str> = header.split_whitespace().collect();
                if parts[0] == "resource" {
                    resource = Some(
                        parts
                            .get(1)
                            .ok_or(format!("line {}: resource without type", n + 1))?
                            .trim_matches('"')
                            .to_string(),
                    );
                }
            }
            stack.push(header.trim_end_matches(" =").to_string());
            if let Some(r) = &resource {
                if stack.len() > 1 {
                    out.push((r.clone(), stack[1..].join(".")));
                }
            }
            continue;
        }
        let (name, value) =
            line.split_once(" = ").ok_or(format!("line {}: not an attribute or block: {line}", n + 1))?;
        if !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            return Err(format!("line {}: bad attribute name {name}", n + 1));
        }
        depth_in_value = balance(value);
        if let Some(r) = &resource {
            let mut path: Vec<&str> = stack[1..].iter().map(String::as_str).collect();
            path.push(name);
            out.push((r.clone(), path.join(".")));
        }
    }
    if !stack.is_empty() || depth_in_value != 0 {
        return Err("unclosed block or value at the end".into());
    }
    Ok(out)
}

/// Every Terraform export is well formed and uses only the provider's documented arguments, and
/// keeps what the JSON export has: volumes (host, EFS, docker), ephemeral storage, tags,
/// capacity providers and their association.
#[test]
fn terraform_exports_use_the_providers_documented_arguments() {
    let documented: std::collections::BTreeMap<&str, &[&str]> = TERRAFORM_ARGUMENTS.iter().copied().collect();
    let mut checked = std::collections::BTreeSet::new();
    for (name, text) in documents() {
        let mut sim = ecs_sim::load(&text, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        sim.run_until(60_000);
        let setup = Setup::from_sim(&sim);
        let tf = ecs_sim::export::terraform::render(&setup);
        let args = terraform_arguments(&tf).unwrap_or_else(|e| panic!("{name}: {e}\n{tf}"));
        for (r, a) in &args {
            let known =
                documented.get(r.as_str()).unwrap_or_else(|| panic!("{name}: resource {r} has no argument list"));
            assert!(known.contains(&a.as_str()), "{name}: {r}.{a} is not a documented argument");
            checked.insert(format!("{r}.{a}"));
        }
        let count = |r: &str, a: &str| args.iter().filter(|(x, y)| x == r && y == a).count();
        let tds = ecs_sim::export::json::register_task_definitions(&setup);
        let volumes: usize = tds.iter().map(|t| t["volumes"].as_array().map_or(0, |v| v.len())).sum();
        assert_eq!(count("aws_ecs_task_definition", "volume"), volumes, "{name}: volumes kept");
        let efs = tds
            .iter()
            .flat_map(|t| t["volumes"].as_array().cloned().unwrap_or_default())
            .filter(|v| v.get("efsVolumeConfiguration").is_some())
            .count();
        assert_eq!(
            count("aws_ecs_task_definition", "volume.efs_volume_configuration"),
            efs,
            "{name}: EFS volumes kept"
        );
        let eph = tds.iter().filter(|t| t.get("ephemeralStorage").is_some()).count();
        assert_eq!(count("aws_ecs_task_definition", "ephemeral_storage"), eph, "{name}: ephemeral storage kept");
        assert_eq!(count("aws_ecs_capacity_provider", "name"), setup.capacity_providers.len(), "{name}");
        assert_eq!(
            count("aws_ecs_cluster_capacity_providers", "cluster_name"),
            setup.cluster_capacity_providers.iter().count(),
            "{name}"
        );
    }
    eprintln!("terraform: {} distinct resource arguments checked", checked.len());
}
