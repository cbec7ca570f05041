//! The setup as Terraform for the AWS provider: `aws_ecs_cluster`, `aws_ecs_task_definition`
//! (container definitions through `jsonencode`), `aws_lb_target_group`, `aws_ecs_service`,
//! `aws_appautoscaling_target`, `aws_appautoscaling_policy`,
//! `aws_appautoscaling_scheduled_action`, and for `CODE_DEPLOY` services `aws_codedeploy_app` +
//! `aws_codedeploy_deployment_group`. What the playground does not know (the VPC, subnets,
//! security groups, the load balancer's listener) comes in as variables, so `terraform validate`
//! accepts the file as it is.

use super::hcl::{self, Writer};
use super::{ident, target_group_name, Setup};
use crate::autoscaling::types::{PutScalingPolicy, RegisterScalableTarget};
use crate::scenario::{CreateService, LaunchType};
use crate::taskdef::RegisterTaskDefinition;
use serde_json::Value;

pub fn render(setup: &Setup) -> String {
    let mut w = Writer::default();
    w.comment("Exported from ECS Playground. Review before applying: it creates real, billable resources.");
    w.open("terraform");
    w.open("required_providers");
    w.open("aws =");
    w.attr_str("source", "hashicorp/aws");
    w.attr_str("version", ">= 5.0");
    w.close();
    w.close();
    w.close();
    w.blank();
    w.open("provider \"aws\"");
    w.attr_str("region", &setup.region);
    w.close();
    w.blank();
    let needs_vpc = !setup.target_groups.is_empty();
    let needs_subnets = setup.services.iter().any(|s| s.network_configuration.is_some());
    if needs_vpc {
        variable(&mut w, "vpc_id", "string", "The VPC of the target groups.");
    }
    if !setup.auto_scaling_groups.is_empty() {
        variable(
            &mut w,
            "ecs_ami_id",
            "string",
            "An ECS-optimized AMI (SSM parameter /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id).",
        );
    }
    if needs_subnets {
        variable(&mut w, "subnet_ids", "list(string)", "Subnets for awsvpc tasks (one per Availability Zone).");
        variable(&mut w, "security_group_ids", "list(string)", "Security groups for awsvpc tasks.");
    }
    let cluster = ident(&setup.cluster);
    w.open(&format!("resource \"aws_ecs_cluster\" \"{cluster}\""));
    w.attr_str("name", &setup.cluster);
    w.close();
    w.blank();
    for td in &setup.task_definitions {
        task_definition(&mut w, td);
    }
    for tg in &setup.target_groups {
        let r = ident(&tg.name);
        w.open(&format!("resource \"aws_lb_target_group\" \"{r}\""));
        w.attr_str("name", &tg.name);
        w.attr_num("port", tg.port.unwrap_or(80));
        w.attr_str("protocol", tg.protocol.as_deref().unwrap_or("HTTP"));
        w.attr_str("target_type", tg.target_type.as_deref().unwrap_or("instance"));
        w.attr("vpc_id", "var.vpc_id");
        for a in &tg.attributes {
            match a.key.as_str() {
                "deregistration_delay.timeout_seconds" => w.attr_str("deregistration_delay", &a.value),
                "load_balancing.algorithm.type" => w.attr_str("load_balancing_algorithm_type", &a.value),
                "slow_start.duration_seconds" => w.attr_str("slow_start", &a.value),
                // An NLB target group's client IP preservation (aws_lb_target_group `preserve_client_ip`).
                "preserve_client_ip.enabled" => w.attr_str("preserve_client_ip", &a.value),
                _ => {}
            }
        }
        w.open("health_check");
        if let Some(e) = tg.health_check_enabled {
            w.attr("enabled", if e { "true" } else { "false" });
        }
        if let Some(p) = &tg.health_check_path {
            w.attr_str("path", p);
        }
        if let Some(p) = &tg.health_check_protocol {
            w.attr_str("protocol", p);
        }
        if let Some(p) = &tg.health_check_port {
            w.attr_str("port", p);
        }
        if let Some(v) = tg.health_check_interval_seconds {
            w.attr_num("interval", v);
        }
        if let Some(v) = tg.health_check_timeout_seconds {
            w.attr_num("timeout", v);
        }
        if let Some(v) = tg.healthy_threshold_count {
            w.attr_num("healthy_threshold", v);
        }
        if let Some(v) = tg.unhealthy_threshold_count {
            w.attr_num("unhealthy_threshold", v);
        }
        if let Some(m) = tg.matcher.as_ref().and_then(|m| m.http_code.as_ref()) {
            w.attr_str("matcher", m);
        }
        w.close();
        w.close();
        w.blank();
    }
    if !setup.listener_rules.is_empty() {
        variable(
            &mut w,
            "listener_arn",
            "string",
            "The listener of your Application Load Balancer (the rules are added to it).",
        );
    }
    if setup.listener_rules.iter().any(|r| on_test_listener(setup, &r.rule_arn)) {
        variable(
            &mut w,
            "test_listener_arn",
            "string",
            "The test listener (another port of the load balancer) CodeDeploy routes test traffic through.",
        );
    }
    if setup.code_deploy_deployment_groups.iter().any(|g| g.service_role_arn.is_none()) {
        variable(
            &mut w,
            "codedeploy_role_arn",
            "string",
            "A role CodeDeploy assumes (with the AWSCodeDeployRoleForECS policy).",
        );
    }
    for r in &setup.listener_rules {
        listener_rule(&mut w, r, setup);
    }
    for a in &setup.metric_alarms {
        deployment_alarm(&mut w, a);
    }
    capacity_providers(&mut w, setup, &cluster);
    for s in &setup.services {
        service(&mut w, s, &cluster, setup);
    }
    code_deploy(&mut w, setup, &cluster);
    for t in &setup.scaling.scalable_targets {
        scalable_target(&mut w, t, &cluster, setup);
    }
    for p in &setup.scaling.scaling_policies {
        scaling_policy(&mut w, p, setup);
    }
    for a in &setup.scaling.alarms {
        metric_alarm(&mut w, a, setup);
    }
    for a in &setup.scaling.scheduled_actions {
        let r = ident(&a.scheduled_action_name);
        w.open(&format!("resource \"aws_appautoscaling_scheduled_action\" \"{r}\""));
        w.attr_str("name", &a.scheduled_action_name);
        w.attr_str("service_namespace", &a.service_namespace);
        w.attr(
            "resource_id",
            &target_ref(setup, &a.resource_id, "resource_id").unwrap_or_else(|| hcl::string(&a.resource_id)),
        );
        w.attr(
            "scalable_dimension",
            &target_ref(setup, &a.resource_id, "scalable_dimension")
                .unwrap_or_else(|| hcl::string(&a.scalable_dimension)),
        );
        if let Some(s) = &a.schedule {
            w.attr_str("schedule", s);
        }
        if let Some(tz) = &a.timezone {
            w.attr_str("timezone", tz);
        }
        w.open("scalable_target_action");
        if let Some(act) = &a.scalable_target_action {
            if let Some(m) = act.min_capacity {
                w.attr_num("min_capacity", m);
            }
            if let Some(m) = act.max_capacity {
                w.attr_num("max_capacity", m);
            }
        }
        w.close();
        w.close();
        w.blank();
    }
    let mut out = w.finish();
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn variable(w: &mut Writer, name: &str, ty: &str, description: &str) {
    w.open(&format!("variable \"{name}\""));
    w.attr("type", ty);
    w.attr_str("description", description);
    w.close();
    w.blank();
}

fn task_definition(w: &mut Writer, td: &RegisterTaskDefinition) {
    let r = ident(&td.family);
    w.open(&format!("resource \"aws_ecs_task_definition\" \"{r}\""));
    w.attr_str("family", &td.family);
    if let Some(m) = td.network_mode {
        w.attr_str("network_mode", m.as_str());
    }
    if let Some(c) = &td.requires_compatibilities {
        let items: Vec<String> = c
            .iter()
            .map(|c| {
                hcl::string(
                    serde_json::to_value(c).ok().and_then(|v| v.as_str().map(String::from)).as_deref().unwrap_or("EC2"),
                )
            })
            .collect();
        w.attr("requires_compatibilities", &format!("[{}]", items.join(", ")));
    }
    if let Some(c) = &td.cpu {
        w.attr_str("cpu", c);
    }
    if let Some(m) = &td.memory {
        w.attr_str("memory", m);
    }
    if let Some(a) = &td.execution_role_arn {
        w.attr_str("execution_role_arn", a);
    }
    if let Some(a) = &td.task_role_arn {
        w.attr_str("task_role_arn", a);
    }
    let containers = serde_json::to_value(&td.container_definitions).unwrap_or(Value::Array(Vec::new()));
    let e = hcl::value(&containers, 1);
    w.attr("container_definitions", &format!("jsonencode({e})"));
    // Volumes, as the provider's `volume` blocks (host_path, docker_volume_configuration,
    // efs_volume_configuration), so an exported task definition keeps its mounts.
    for v in &td.volumes {
        w.open("volume");
        if let Some(Value::String(n)) = v.get("name") {
            w.attr_str("name", n);
        }
        if let Some(Value::String(p)) = v.get("host").and_then(|h| h.get("sourcePath")) {
            w.attr_str("host_path", p);
        }
        if let Some(Value::Object(d)) = v.get("dockerVolumeConfiguration") {
            w.open("docker_volume_configuration");
            for (k, tf) in [("scope", "scope"), ("driver", "driver")] {
                if let Some(Value::String(x)) = d.get(k) {
                    w.attr_str(tf, x);
                }
            }
            if let Some(Value::Bool(b)) = d.get("autoprovision") {
                w.attr("autoprovision", &b.to_string());
            }
            for (k, tf) in [("driverOpts", "driver_opts"), ("labels", "labels")] {
                if let Some(m @ Value::Object(_)) = d.get(k) {
                    w.attr_value(tf, m);
                }
            }
            w.close();
        }
        if let Some(Value::Object(e)) = v.get("efsVolumeConfiguration") {
            w.open("efs_volume_configuration");
            for (k, tf) in [
                ("fileSystemId", "file_system_id"),
                ("rootDirectory", "root_directory"),
                ("transitEncryption", "transit_encryption"),
            ] {
                if let Some(Value::String(x)) = e.get(k) {
                    w.attr_str(tf, x);
                }
            }
            if let Some(Value::Number(n)) = e.get("transitEncryptionPort") {
                w.attr_num("transit_encryption_port", n);
            }
            if let Some(Value::Object(a)) = e.get("authorizationConfig") {
                w.open("authorization_config");
                if let Some(Value::String(x)) = a.get("accessPointId") {
                    w.attr_str("access_point_id", x);
                }
                if let Some(Value::String(x)) = a.get("iam") {
                    w.attr_str("iam", x);
                }
                w.close();
            }
            w.close();
        }
        w.close();
    }
    for c in &td.placement_constraints {
        w.open("placement_constraints");
        if let Some(Value::String(t)) = c.get("type") {
            w.attr_str("type", t);
        }
        if let Some(Value::String(e)) = c.get("expression") {
            w.attr_str("expression", e);
        }
        w.close();
    }
    if let Some(Value::Number(n)) = td.other.get("ephemeralStorage").and_then(|e| e.get("sizeInGiB")) {
        w.open("ephemeral_storage");
        w.attr_num("size_in_gib", n);
        w.close();
    }
    if let Some(Value::String(m)) = td.other.get("pidMode") {
        w.attr_str("pid_mode", m);
    }
    if let Some(Value::String(m)) = td.other.get("ipcMode") {
        w.attr_str("ipc_mode", m);
    }
    tags(w, td.other.get("tags"));
    if let Some(Value::Object(rp)) = td.other.get("runtimePlatform") {
        w.open("runtime_platform");
        if let Some(Value::String(s)) = rp.get("operatingSystemFamily") {
            w.attr_str("operating_system_family", s);
        }
        if let Some(Value::String(s)) = rp.get("cpuArchitecture") {
            w.attr_str("cpu_architecture", s);
        }
        w.close();
    }
    w.close();
    w.blank();
}

/// An Auto Scaling group of container instances: its launch template (instance type, the
/// ECS-optimized AMI, user data that joins the cluster: "ECS_CLUSTER" in /etc/ecs/ecs.config,
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/launch_container_instance.html) and
/// the group, tagged AmazonECSManaged as capacity providers with managed scaling expect.
fn auto_scaling_group(w: &mut Writer, g: &Value, cluster: &str) {
    let name = g["AutoScalingGroupName"].as_str().unwrap_or_default();
    let id = ident(name);
    w.open(&format!("resource \"aws_launch_template\" \"{id}\""));
    w.attr_str("name_prefix", &format!("{name}-"));
    w.attr("image_id", "var.ecs_ami_id");
    w.attr_str("instance_type", g["InstanceType"].as_str().unwrap_or("m5.large"));
    w.attr(
        "user_data",
        &format!("base64encode(\"#!/bin/bash\\necho ECS_CLUSTER=${{aws_ecs_cluster.{cluster}.name}} >> /etc/ecs/ecs.config\\n\")"),
    );
    w.close();
    w.blank();
    w.open(&format!("resource \"aws_autoscaling_group\" \"{id}\""));
    w.attr_str("name", name);
    w.attr_num("min_size", g["MinSize"].as_u64().unwrap_or(0));
    w.attr_num("max_size", g["MaxSize"].as_u64().unwrap_or(0));
    if let Some(d) = g["DesiredCapacity"].as_u64() {
        w.attr_num("desired_capacity", d);
    }
    if let Some(azs @ Value::Array(a)) = g.get("AvailabilityZones") {
        if !a.is_empty() {
            w.attr_value("availability_zones", azs);
        }
    }
    if g["NewInstancesProtectedFromScaleIn"].as_bool() == Some(true) {
        w.attr("protect_from_scale_in", "true");
    }
    w.open("launch_template");
    w.attr("id", &format!("aws_launch_template.{id}.id"));
    w.attr_str("version", "$Latest");
    w.close();
    w.open("tag");
    w.attr_str("key", "AmazonECSManaged");
    w.attr_str("value", "true");
    w.attr("propagate_at_launch", "true");
    w.close();
    w.close();
    w.blank();
}

/// `aws_ecs_capacity_provider` per CreateCapacityProvider body and one
/// `aws_ecs_cluster_capacity_providers` for the PutClusterCapacityProviders body.
fn capacity_providers(w: &mut Writer, setup: &Setup, cluster: &str) {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(String::from);
    for g in &setup.auto_scaling_groups {
        auto_scaling_group(w, g, cluster);
    }
    let group_names: Vec<String> =
        setup.auto_scaling_groups.iter().filter_map(|g| g["AutoScalingGroupName"].as_str().map(String::from)).collect();
    for cp in &setup.capacity_providers {
        let name = s(cp, "name").unwrap_or_default();
        w.open(&format!("resource \"aws_ecs_capacity_provider\" \"{}\"", ident(&name)));
        w.attr_str("name", &name);
        if let Some(a) = cp.get("autoScalingGroupProvider") {
            w.open("auto_scaling_group_provider");
            if let Some(arn) = s(a, "autoScalingGroupArn") {
                // The ARN or, as the scenario allows, the group's name.
                let group = arn.rsplit("autoScalingGroupName/").next().unwrap_or(&arn);
                if group_names.iter().any(|g| g == group) {
                    w.attr("auto_scaling_group_arn", &format!("aws_autoscaling_group.{}.arn", ident(group)));
                } else {
                    w.attr_str("auto_scaling_group_arn", &arn);
                }
            }
            if let Some(p) = s(a, "managedTerminationProtection") {
                w.attr_str("managed_termination_protection", &p);
            }
            if let Some(m) = a.get("managedScaling") {
                w.open("managed_scaling");
                if let Some(st) = s(m, "status") {
                    w.attr_str("status", &st);
                }
                for (k, tf) in [
                    ("targetCapacity", "target_capacity"),
                    ("minimumScalingStepSize", "minimum_scaling_step_size"),
                    ("maximumScalingStepSize", "maximum_scaling_step_size"),
                    ("instanceWarmupPeriod", "instance_warmup_period"),
                ] {
                    if let Some(n) = m.get(k).and_then(Value::as_u64) {
                        w.attr_num(tf, n);
                    }
                }
                w.close();
            }
            w.close();
        }
        tags(w, cp.get("tags"));
        w.close();
        w.blank();
    }
    let Some(put) = &setup.cluster_capacity_providers else { return };
    let own: Vec<String> = setup.capacity_providers.iter().filter_map(|c| s(c, "name")).collect();
    let refer = |n: &str| {
        if own.iter().any(|o| o == n) {
            format!("aws_ecs_capacity_provider.{}.name", ident(n))
        } else {
            hcl::string(n)
        }
    };
    w.open(&format!("resource \"aws_ecs_cluster_capacity_providers\" \"{cluster}\""));
    w.attr("cluster_name", &format!("aws_ecs_cluster.{cluster}.name"));
    let names: Vec<String> =
        put["capacityProviders"].as_array().into_iter().flatten().filter_map(Value::as_str).map(refer).collect();
    w.attr("capacity_providers", &format!("[{}]", names.join(", ")));
    for item in put["defaultCapacityProviderStrategy"].as_array().into_iter().flatten() {
        w.open("default_capacity_provider_strategy");
        w.attr("capacity_provider", &refer(item["capacityProvider"].as_str().unwrap_or_default()));
        w.attr_num("weight", item["weight"].as_u64().unwrap_or(0));
        w.attr_num("base", item["base"].as_u64().unwrap_or(0));
        w.close();
    }
    w.close();
    w.blank();
}

/// ECS `tags` (`[{"key", "value"}]`) as the provider's `tags` map.
fn tags(w: &mut Writer, t: Option<&Value>) {
    let Some(Value::Array(items)) = t else { return };
    let mut m = serde_json::Map::new();
    for i in items {
        if let (Some(Value::String(k)), Some(v)) = (i.get("key"), i.get("value")) {
            m.insert(k.clone(), v.clone());
        }
    }
    if !m.is_empty() {
        w.attr_value("tags", &Value::Object(m));
    }
}

fn service(w: &mut Writer, s: &CreateService, cluster: &str, setup: &Setup) {
    let r = ident(&s.service_name);
    w.open(&format!("resource \"aws_ecs_service\" \"{r}\""));
    w.attr_str("name", &s.service_name);
    w.attr("cluster", &format!("aws_ecs_cluster.{cluster}.id"));
    let family = s.task_definition.split(':').next().unwrap_or(&s.task_definition);
    if setup.task_definitions.iter().any(|t| t.family == family) {
        w.attr("task_definition", &format!("aws_ecs_task_definition.{}.arn", ident(family)));
    } else {
        w.attr_str("task_definition", &s.task_definition);
    }
    let daemon = s.scheduling_strategy == Some(crate::scenario::SchedulingStrategy::Daemon);
    if daemon {
        w.attr_str("scheduling_strategy", "DAEMON");
    } else {
        w.attr_num("desired_count", s.desired_count.unwrap_or(0));
    }
    if s.capacity_provider_strategy.is_empty() {
        let lt = match s.launch_type {
            Some(LaunchType::Fargate) => "FARGATE",
            Some(LaunchType::External) => "EXTERNAL",
            _ => "EC2",
        };
        w.attr_str("launch_type", lt);
    }
    if !s.capacity_provider_strategy.is_empty() && setup.cluster_capacity_providers.is_some() {
        // The providers are associated with the cluster before the service names them.
        w.attr("depends_on", &format!("[aws_ecs_cluster_capacity_providers.{cluster}]"));
    }
    for c in &s.capacity_provider_strategy {
        w.open("capacity_provider_strategy");
        w.attr_str("capacity_provider", &c.capacity_provider);
        w.attr_num("weight", c.weight);
        w.attr_num("base", c.base);
        w.close();
    }
    if let Some(v) = &s.platform_version {
        w.attr_str("platform_version", v);
    }
    if let Some(dc) = &s.deployment_configuration {
        if let Some(v) = dc.minimum_healthy_percent {
            w.attr_num("deployment_minimum_healthy_percent", v);
        }
        if let Some(v) = dc.maximum_percent {
            w.attr_num("deployment_maximum_percent", v);
        }
        if let Some(cb) = &dc.deployment_circuit_breaker {
            w.open("deployment_circuit_breaker");
            w.attr("enable", &cb.enable.to_string());
            w.attr("rollback", &cb.rollback.to_string());
            w.close();
        }
        strategy_block(w, dc);
        // `alarms` (alarm_names, enable, rollback: all required), the service's deployment alarms.
        if let Some(a) = &dc.alarms {
            w.open("alarms");
            let names: Vec<String> = a["alarmNames"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|n| {
                    if setup.metric_alarms.iter().any(|m| m.alarm_name == n) {
                        format!("aws_cloudwatch_metric_alarm.{}.alarm_name", ident(n))
                    } else {
                        hcl::string(n)
                    }
                })
                .collect();
            w.attr("alarm_names", &format!("[{}]", names.join(", ")));
            w.attr("enable", &a["enable"].as_bool().unwrap_or(false).to_string());
            w.attr("rollback", &a["rollback"].as_bool().unwrap_or(false).to_string());
            w.close();
        }
    }
    if let Some(g) = s.health_check_grace_period_seconds {
        w.attr_num("health_check_grace_period_seconds", g);
    }
    if let Some(Value::String(t)) = s.deployment_controller.as_ref().and_then(|d| d.get("type")) {
        w.open("deployment_controller");
        w.attr_str("type", t);
        w.close();
    }
    if let Some(b) = s.enable_ecs_managed_tags {
        w.attr("enable_ecs_managed_tags", &b.to_string());
    }
    if let Some(p) = &s.propagate_tags {
        w.attr_str("propagate_tags", p);
    }
    if let Some(b) = s.enable_execute_command {
        w.attr("enable_execute_command", &b.to_string());
    }
    tags(w, s.tags.as_ref());
    for lb in &s.load_balancers {
        w.open("load_balancer");
        let tg = lb.target_group_arn.as_deref().map(target_group_name).unwrap_or("");
        if setup.target_groups.iter().any(|t| t.name == tg) {
            w.attr("target_group_arn", &format!("aws_lb_target_group.{}.arn", ident(tg)));
        } else if let Some(arn) = &lb.target_group_arn {
            w.attr_str("target_group_arn", arn);
        }
        w.attr_str("container_name", &lb.container_name);
        w.attr_num("container_port", lb.container_port);
        if let Some(a) = &lb.advanced_configuration {
            w.open("advanced_configuration");
            if let Some(t) = &a.alternate_target_group_arn {
                w.attr("alternate_target_group_arn", &tg_ref(setup, t));
            }
            for (k, v) in [
                ("production_listener_rule", &a.production_listener_rule),
                ("test_listener_rule", &a.test_listener_rule),
            ] {
                if let Some(r) = v {
                    w.attr(k, &rule_ref(setup, r));
                }
            }
            if let Some(r) = &a.role_arn {
                w.attr_str("role_arn", r);
            }
            w.close();
        }
        w.close();
    }
    if let Some(nc) = &s.network_configuration {
        let vpc = nc.get("awsvpcConfiguration").unwrap_or(nc);
        w.open("network_configuration");
        w.attr("subnets", "var.subnet_ids");
        w.attr("security_groups", "var.security_group_ids");
        let public = vpc.get("assignPublicIp").and_then(Value::as_str) == Some("ENABLED");
        w.attr("assign_public_ip", &public.to_string());
        w.close();
    }
    for p in &s.placement_strategy {
        w.open("ordered_placement_strategy");
        w.attr_str("type", &p.kind);
        if let Some(f) = &p.field {
            w.attr_str("field", f);
        }
        w.close();
    }
    for c in &s.placement_constraints {
        w.open("placement_constraints");
        w.attr_str("type", &c.kind);
        if let Some(e) = &c.expression {
            w.attr_str("expression", e);
        }
        w.close();
    }
    if !s.load_balancers.is_empty() {
        w.comment("The target group must be attached to a load balancer listener before the service is created.");
    }
    w.close();
    w.blank();
}

/// `aws_lb_target_group.<x>.arn` when the setup exports the target group, else the text.
fn tg_ref(setup: &Setup, r: &str) -> String {
    let name = target_group_name(r);
    if setup.target_groups.iter().any(|t| t.name == name) {
        format!("aws_lb_target_group.{}.arn", ident(name))
    } else {
        hcl::string(r)
    }
}

/// `aws_lb_listener_rule.<x>.arn` when the setup exports the rule, else the text.
fn rule_ref(setup: &Setup, r: &str) -> String {
    let name = super::rule_name(r);
    if setup.listener_rules.iter().any(|x| super::rule_name(&x.rule_arn) == name) {
        format!("aws_lb_listener_rule.{}.arn", ident(name))
    } else {
        hcl::string(r)
    }
}

/// The provider's `deployment_configuration` block: `strategy`, `bake_time_in_minutes`,
/// `canary_configuration` (canary_percent, canary_bake_time_in_minutes) and `linear_configuration`
/// (step_percent, step_bake_time_in_minutes), named as the ECS API members they set
/// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_service,
/// "deployment_configuration"; a provider version with ECS-native blue/green is needed).
fn strategy_block(w: &mut Writer, dc: &crate::scenario::DeploymentConfiguration) {
    if dc.strategy.is_none() && dc.bake_time_in_minutes.is_none() && dc.lifecycle_hooks.is_none() {
        return;
    }
    w.open("deployment_configuration");
    if let Some(st) = &dc.strategy {
        w.attr_str("strategy", st);
    }
    if let Some(b) = dc.bake_time_in_minutes {
        w.attr_str("bake_time_in_minutes", &b.to_string());
    }
    for (block, cfg, members) in [
        (
            "canary_configuration",
            &dc.canary_configuration,
            [("canaryPercent", "canary_percent"), ("canaryBakeTimeInMinutes", "canary_bake_time_in_minutes")],
        ),
        (
            "linear_configuration",
            &dc.linear_configuration,
            [("stepPercent", "step_percent"), ("stepBakeTimeInMinutes", "step_bake_time_in_minutes")],
        ),
    ] {
        let Some(c) = cfg else { continue };
        w.open(block);
        for (api, tf) in members {
            if let Some(n) = c.get(api).filter(|v| v.is_number()) {
                w.attr(tf, &n.to_string());
            }
        }
        w.close();
    }
    lifecycle_hooks(w, dc.lifecycle_hooks.as_ref());
    w.close();
}

/// `deploymentConfiguration.lifecycleHooks` as the provider's `lifecycle_hook` blocks inside
/// `deployment_configuration`: `hook_target_arn`, `role_arn`, `lifecycle_stages` and
/// `hook_details` ("a JSON object as a string", so through `jsonencode`), the members of
/// DeploymentLifecycleHook
/// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHook.html).
/// The simulated Lambda answers (`lifecycleHookResults`) are the playground's, not Terraform's.
fn lifecycle_hooks(w: &mut Writer, hooks: Option<&Value>) {
    for h in hooks.and_then(Value::as_array).into_iter().flatten() {
        w.open("lifecycle_hook");
        for (api, tf) in [("hookTargetArn", "hook_target_arn"), ("roleArn", "role_arn")] {
            if let Some(Value::String(x)) = h.get(api) {
                w.attr_str(tf, x);
            }
        }
        if let Some(Value::Array(st)) = h.get("lifecycleStages") {
            let items: Vec<String> = st.iter().filter_map(Value::as_str).map(hcl::string).collect();
            w.attr("lifecycle_stages", &format!("[{}]", items.join(", ")));
        }
        if let Some(d) = h.get("hookDetails").filter(|d| !d.is_null()) {
            w.attr("hook_details", &format!("jsonencode({})", hcl::value(d, 3)));
        }
        for other in ["targetType", "timeoutConfiguration"] {
            if h.get(other).is_some() {
                w.comment(&format!(
                    "{other} is not an argument of the provider's lifecycle_hook block; set it with the ECS API."
                ));
            }
        }
        w.close();
    }
}

/// True when a CodeDeploy deployment group names the rule as its test traffic route.
fn on_test_listener(setup: &Setup, rule: &str) -> bool {
    let name = super::rule_name(rule);
    setup.code_deploy_deployment_groups.iter().any(|g| {
        g.load_balancer_info.target_group_pair_info_list.iter().any(|p| {
            p.test_traffic_route.iter().flat_map(|r| r.listener_arns.iter()).any(|a| super::rule_name(a) == name)
        })
    })
}

/// The listener a rule is added to: CodeDeploy's test route is a second listener
/// (`var.test_listener_arn`), everything else the production one (`var.listener_arn`).
fn listener_of(setup: &Setup, rule: &str) -> &'static str {
    if on_test_listener(setup, rule) {
        "var.test_listener_arn"
    } else {
        "var.listener_arn"
    }
}

/// CODE_DEPLOY services' deployment groups: one `aws_codedeploy_app` (compute_platform ECS) per
/// application and an `aws_codedeploy_deployment_group` per CreateDeploymentGroup body, with
/// `deployment_config_name`, `deployment_style`, `blue_green_deployment_config`
/// (deployment_ready_option, terminate_blue_instances_on_deployment_success), `ecs_service` and
/// `load_balancer_info.target_group_pair_info` (prod/test traffic routes, two target groups)
/// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/codedeploy_deployment_group,
/// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateDeploymentGroup.html).
/// A route's `listenerArns` is "the Amazon Resource Name (ARN) of one listener"
/// (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_TrafficRoute.html); the
/// playground names the listener rule that carries the weights, so the export names the listener
/// that rule is added to.
fn code_deploy(w: &mut Writer, setup: &Setup, cluster: &str) {
    let mut apps: Vec<&str> = Vec::new();
    for g in &setup.code_deploy_deployment_groups {
        if !apps.contains(&g.application_name.as_str()) {
            apps.push(&g.application_name);
            w.open(&format!("resource \"aws_codedeploy_app\" \"{}\"", ident(&g.application_name)));
            w.attr_str("compute_platform", "ECS");
            w.attr_str("name", &g.application_name);
            w.close();
            w.blank();
        }
    }
    for g in &setup.code_deploy_deployment_groups {
        w.open(&format!("resource \"aws_codedeploy_deployment_group\" \"{}\"", ident(&g.deployment_group_name)));
        w.attr("app_name", &format!("aws_codedeploy_app.{}.name", ident(&g.application_name)));
        w.attr_str("deployment_group_name", &g.deployment_group_name);
        if let Some(c) = &g.deployment_config_name {
            w.attr_str("deployment_config_name", c);
        }
        match &g.service_role_arn {
            Some(r) => w.attr_str("service_role_arn", r),
            None => w.attr("service_role_arn", "var.codedeploy_role_arn"),
        }
        let sv = |v: &Value, p: &str| v.pointer(p).and_then(Value::as_str).map(String::from);
        if let Some(st) = &g.deployment_style {
            w.open("deployment_style");
            if let Some(o) = sv(st, "/deploymentOption") {
                w.attr_str("deployment_option", &o);
            }
            if let Some(t) = sv(st, "/deploymentType") {
                w.attr_str("deployment_type", &t);
            }
            w.close();
        }
        if let Some(a) = &g.auto_rollback_configuration {
            w.open("auto_rollback_configuration");
            if let Some(e) = a.get("enabled").and_then(Value::as_bool) {
                w.attr("enabled", &e.to_string());
            }
            if let Some(ev @ Value::Array(_)) = a.get("events") {
                w.attr_value("events", ev);
            }
            w.close();
        }
        if let Some(b) = &g.blue_green_deployment_configuration {
            w.open("blue_green_deployment_config");
            if let Some(r) = b.get("deploymentReadyOption") {
                w.open("deployment_ready_option");
                if let Some(a) = sv(r, "/actionOnTimeout") {
                    w.attr_str("action_on_timeout", &a);
                }
                if let Some(n) = r.get("waitTimeInMinutes").and_then(Value::as_u64) {
                    w.attr_num("wait_time_in_minutes", n);
                }
                w.close();
            }
            if let Some(t) = b.get("terminateBlueInstancesOnDeploymentSuccess") {
                w.open("terminate_blue_instances_on_deployment_success");
                if let Some(a) = sv(t, "/action") {
                    w.attr_str("action", &a);
                }
                if let Some(n) = t.get("terminationWaitTimeInMinutes").and_then(Value::as_u64) {
                    w.attr_num("termination_wait_time_in_minutes", n);
                }
                w.close();
            }
            w.close();
        }
        for e in &g.ecs_services {
            w.open("ecs_service");
            if e.cluster_name == setup.cluster {
                w.attr("cluster_name", &format!("aws_ecs_cluster.{cluster}.name"));
            } else {
                w.attr_str("cluster_name", &e.cluster_name);
            }
            if setup.services.iter().any(|s| s.service_name == e.service_name) {
                w.attr("service_name", &format!("aws_ecs_service.{}.name", ident(&e.service_name)));
            } else {
                w.attr_str("service_name", &e.service_name);
            }
            w.close();
        }
        w.open("load_balancer_info");
        for p in &g.load_balancer_info.target_group_pair_info_list {
            w.open("target_group_pair_info");
            for (block, route) in [
                ("prod_traffic_route", Some(&p.prod_traffic_route)),
                ("test_traffic_route", p.test_traffic_route.as_ref()),
            ] {
                let Some(route) = route else { continue };
                w.open(block);
                let arns: Vec<String> = route
                    .listener_arns
                    .iter()
                    .map(|a| {
                        let name = super::rule_name(a);
                        if setup.listener_rules.iter().any(|r| super::rule_name(&r.rule_arn) == name) {
                            listener_of(setup, a).to_string()
                        } else {
                            hcl::string(a)
                        }
                    })
                    .collect();
                w.attr("listener_arns", &format!("[{}]", arns.join(", ")));
                w.close();
            }
            for t in &p.target_groups {
                w.open("target_group");
                if setup.target_groups.iter().any(|x| x.name == t.name) {
                    w.attr("name", &format!("aws_lb_target_group.{}.name", ident(&t.name)));
                } else {
                    w.attr_str("name", &t.name);
                }
                w.close();
            }
            w.close();
        }
        w.close();
        w.close();
        w.blank();
    }
}

/// One listener rule: `aws_lb_listener_rule` on `var.listener_arn` with its forward action
/// (weighted `forward { target_group { arn, weight } }`), conditions and its name as the `Name`
/// tag. ECS changes the weights during a deployment, so Terraform ignores changes to `action`.
fn listener_rule(w: &mut Writer, r: &crate::scenario::ListenerRule, setup: &Setup) {
    let body = super::create_rule_body(r);
    let name = super::rule_name(&r.rule_arn);
    w.open(&format!("resource \"aws_lb_listener_rule\" \"{}\"", ident(name)));
    w.attr("listener_arn", listener_of(setup, &r.rule_arn));
    w.attr_num("priority", body["Priority"].as_u64().unwrap_or(1));
    for a in &r.actions {
        w.open("action");
        w.attr_str("type", &a.kind);
        if let Some(o) = a.order {
            w.attr_num("order", o);
        }
        match (&a.forward_config, &a.target_group_arn) {
            (Some(fc), _) => {
                w.open("forward");
                for t in &fc.target_groups {
                    w.open("target_group");
                    w.attr("arn", &tg_ref(setup, &t.target_group_arn));
                    w.attr_num("weight", t.weight.unwrap_or(1));
                    w.close();
                }
                w.close();
            }
            (None, Some(t)) => w.attr("target_group_arn", &tg_ref(setup, t)),
            (None, None) => {}
        }
        w.close();
    }
    for c in body["Conditions"].as_array().into_iter().flatten() {
        let values = |cfg: &str| -> Vec<Value> {
            c.pointer(&format!("/{cfg}/Values"))
                .or_else(|| c.get("Values"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let list = |v: Vec<Value>| {
            format!("[{}]", v.iter().filter_map(Value::as_str).map(hcl::string).collect::<Vec<_>>().join(", "))
        };
        w.open("condition");
        match c["Field"].as_str().unwrap_or("") {
            "path-pattern" => {
                w.open("path_pattern");
                w.attr("values", &list(values("PathPatternConfig")));
                w.close();
            }
            "host-header" => {
                w.open("host_header");
                w.attr("values", &list(values("HostHeaderConfig")));
                w.close();
            }
            "http-request-method" => {
                w.open("http_request_method");
                w.attr("values", &list(values("HttpRequestMethodConfig")));
                w.close();
            }
            "source-ip" => {
                w.open("source_ip");
                w.attr("values", &list(values("SourceIpConfig")));
                w.close();
            }
            "http-header" => {
                w.open("http_header");
                w.attr_str(
                    "http_header_name",
                    c.pointer("/HttpHeaderConfig/HttpHeaderName").and_then(Value::as_str).unwrap_or(""),
                );
                w.attr("values", &list(values("HttpHeaderConfig")));
                w.close();
            }
            other => w.comment(&format!("Condition {other} is not written by the export.")),
        }
        w.close();
    }
    w.attr("tags", &format!("{{ Name = {} }}", hcl::string(name)));
    w.open("lifecycle");
    w.attr("ignore_changes", "[action]");
    w.close();
    w.close();
    w.blank();
}

/// A CloudWatch alarm a deployment watches (`deploymentConfiguration.alarms`), from the scenario's
/// `metricAlarms` PutMetricAlarm body.
fn deployment_alarm(w: &mut Writer, a: &crate::scenario::PutMetricAlarm) {
    w.open(&format!("resource \"aws_cloudwatch_metric_alarm\" \"{}\"", ident(&a.alarm_name)));
    w.attr_str("alarm_name", &a.alarm_name);
    if let Some(d) = &a.alarm_description {
        w.attr_str("alarm_description", d);
    }
    w.attr_str("comparison_operator", &a.comparison_operator);
    w.attr_num("evaluation_periods", a.evaluation_periods);
    if let Some(d) = a.datapoints_to_alarm {
        w.attr_num("datapoints_to_alarm", d);
    }
    w.attr_str("metric_name", &a.metric_name);
    w.attr_str("namespace", &a.namespace);
    if let Some(st) = &a.statistic {
        w.attr_str("statistic", st);
    }
    if let Some(p) = a.period {
        w.attr_num("period", p);
    }
    w.attr_num("threshold", a.threshold);
    if let Some(t) = &a.treat_missing_data {
        w.attr_str("treat_missing_data", t);
    }
    if !a.dimensions.is_empty() {
        let pairs: Vec<String> =
            a.dimensions.iter().map(|d| format!("{} = {}", hcl::key(&d.name), hcl::string(&d.value))).collect();
        w.attr("dimensions", &format!("{{ {} }}", pairs.join(", ")));
    }
    w.close();
    w.blank();
}

/// The Terraform resource name of a scalable target, from its resource id.
fn target_ident(resource_id: &str) -> String {
    ident(resource_id.rsplit('/').next().unwrap_or(resource_id)) + "_target"
}

/// `aws_appautoscaling_target.<x>.<attr>` when the resource id names an exported scalable target.
fn target_ref(setup: &Setup, resource_id: &str, attr: &str) -> Option<String> {
    setup
        .scaling
        .scalable_targets
        .iter()
        .any(|t| t.resource_id == resource_id)
        .then(|| format!("aws_appautoscaling_target.{}.{attr}", target_ident(resource_id)))
}

fn scalable_target(w: &mut Writer, t: &RegisterScalableTarget, cluster: &str, setup: &Setup) {
    w.open(&format!("resource \"aws_appautoscaling_target\" \"{}\"", target_ident(&t.resource_id)));
    w.attr_num("min_capacity", t.min_capacity.unwrap_or(0));
    w.attr_num("max_capacity", t.max_capacity.unwrap_or(0));
    // service/<cluster>/<service>: refer to the resources so Terraform orders the creation.
    let parts: Vec<&str> = t.resource_id.split('/').collect();
    let svc = parts.get(2).copied().unwrap_or("");
    if parts.len() == 3 && parts[0] == "service" && setup.services.iter().any(|s| s.service_name == svc) {
        w.attr(
            "resource_id",
            &format!("\"service/${{aws_ecs_cluster.{cluster}.name}}/${{aws_ecs_service.{}.name}}\"", ident(svc)),
        );
    } else {
        w.attr_str("resource_id", &t.resource_id);
    }
    w.attr_str("scalable_dimension", &t.scalable_dimension);
    w.attr_str("service_namespace", &t.service_namespace);
    w.close();
    w.blank();
}

fn scaling_policy(w: &mut Writer, p: &PutScalingPolicy, setup: &Setup) {
    w.open(&format!("resource \"aws_appautoscaling_policy\" \"{}\"", ident(&p.policy_name)));
    w.attr_str("name", &p.policy_name);
    w.attr_str("policy_type", p.policy_type.as_deref().unwrap_or("StepScaling"));
    let reference = |attr: &str, lit: &str| target_ref(setup, &p.resource_id, attr).unwrap_or_else(|| hcl::string(lit));
    w.attr("resource_id", &reference("resource_id", &p.resource_id));
    w.attr("scalable_dimension", &reference("scalable_dimension", &p.scalable_dimension));
    w.attr("service_namespace", &reference("service_namespace", &p.service_namespace));
    if let Some(tt) = &p.target_tracking_scaling_policy_configuration {
        w.open("target_tracking_scaling_policy_configuration");
        w.attr_num("target_value", tt.target_value);
        if let Some(v) = tt.scale_in_cooldown {
            w.attr_num("scale_in_cooldown", v);
        }
        if let Some(v) = tt.scale_out_cooldown {
            w.attr_num("scale_out_cooldown", v);
        }
        if let Some(v) = tt.disable_scale_in {
            w.attr("disable_scale_in", &v.to_string());
        }
        if let Some(m) = &tt.predefined_metric_specification {
            w.open("predefined_metric_specification");
            w.attr_str("predefined_metric_type", &m.predefined_metric_type);
            if let Some(l) = &m.resource_label {
                w.attr_str("resource_label", l);
            }
            w.close();
        }
        if let Some(m) = &tt.customized_metric_specification {
            w.open("customized_metric_specification");
            w.attr_str("metric_name", &m.metric_name);
            w.attr_str("namespace", &m.namespace);
            w.attr_str("statistic", m.statistic.as_deref().unwrap_or("Average"));
            if let Some(u) = &m.unit {
                w.attr_str("unit", u);
            }
            for d in &m.dimensions {
                w.open("dimensions");
                w.attr_str("name", &d.name);
                w.attr_str("value", &d.value);
                w.close();
            }
            w.close();
        }
        w.close();
    }
    if let Some(ss) = &p.step_scaling_policy_configuration {
        w.open("step_scaling_policy_configuration");
        w.attr_str("adjustment_type", ss.adjustment_type.as_deref().unwrap_or("ChangeInCapacity"));
        if let Some(v) = ss.cooldown {
            w.attr_num("cooldown", v);
        }
        w.attr_str("metric_aggregation_type", ss.metric_aggregation_type.as_deref().unwrap_or("Average"));
        if let Some(v) = ss.min_adjustment_magnitude {
            w.attr_num("min_adjustment_magnitude", v);
        }
        for s in &ss.step_adjustments {
            w.open("step_adjustment");
            if let Some(v) = s.metric_interval_lower_bound {
                w.attr_num("metric_interval_lower_bound", v);
            }
            if let Some(v) = s.metric_interval_upper_bound {
                w.attr_num("metric_interval_upper_bound", v);
            }
            w.attr_num("scaling_adjustment", s.scaling_adjustment);
            w.close();
        }
        w.close();
    }
    w.close();
    w.blank();
}

/// A CloudWatch alarm that drives step scaling: its `alarm_actions` refer to the exported
/// `aws_appautoscaling_policy` (by ARN, as PutMetricAlarm's AlarmActions does).
fn metric_alarm(w: &mut Writer, a: &crate::autoscaling::types::PutMetricAlarm, setup: &Setup) {
    w.open(&format!("resource \"aws_cloudwatch_metric_alarm\" \"{}\"", ident(&a.alarm_name)));
    w.attr_str("alarm_name", &a.alarm_name);
    if let Some(d) = &a.alarm_description {
        w.attr_str("alarm_description", d);
    }
    w.attr_str("comparison_operator", &a.comparison_operator);
    w.attr_num("evaluation_periods", a.evaluation_periods);
    if let Some(d) = a.datapoints_to_alarm {
        w.attr_num("datapoints_to_alarm", d);
    }
    for (k, v) in
        [("metric_name", &a.metric_name), ("namespace", &a.namespace), ("statistic", &a.statistic), ("unit", &a.unit)]
    {
        if let Some(v) = v {
            w.attr_str(k, v);
        }
    }
    if let Some(p) = a.period {
        w.attr_num("period", p);
    }
    if let Some(t) = a.threshold {
        w.attr_num("threshold", t);
    }
    if let Some(t) = &a.treat_missing_data {
        w.attr_str("treat_missing_data", t);
    }
    if let Some(e) = a.actions_enabled {
        w.attr("actions_enabled", &e.to_string());
    }
    if !a.dimensions.is_empty() {
        // One line, `{ Name = "value", ... }` (dimension names are CloudWatch's, not HCL arguments).
        let pairs: Vec<String> =
            a.dimensions.iter().map(|d| format!("{} = {}", hcl::key(&d.name), hcl::string(&d.value))).collect();
        w.attr("dimensions", &format!("{{ {} }}", pairs.join(", ")));
    }
    let refer = |action: &String| {
        let policy = action.rsplit(":policyName/").next().unwrap_or(action);
        if setup.scaling.scaling_policies.iter().any(|p| p.policy_name == policy) {
            format!("aws_appautoscaling_policy.{}.arn", ident(policy))
        } else {
            hcl::string(action)
        }
    };
    for (k, list) in [("alarm_actions", &a.alarm_actions), ("ok_actions", &a.ok_actions)] {
        if !list.is_empty() {
            let items: Vec<String> = list.iter().map(refer).collect();
            w.attr(k, &format!("[{}]", items.join(", ")));
        }
    }
    w.close();
    w.blank();
}

/// The resources of an Express Mode call that the engine describes but does not simulate (log
/// group, security groups, certificate, load balancer, HTTPS listener, listener rule, rollback
/// alarm), as Terraform blocks that follow `render`'s output (they use its `var.vpc_id` and
/// `var.subnet_ids`). Values come from the plan's explicit requests.
pub fn described_resources(plan: &crate::express::Plan) -> String {
    let mut w = Writer::default();
    w.comment("Resources Express Mode creates that the playground describes but does not simulate.");
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let mut sg_idents = Vec::new();
    for r in plan.resources.iter().filter(|r| !r.simulated) {
        let Some(q) = r.requests.first() else { continue };
        let v = &q.input;
        let id = ident(&r.name);
        match q.action {
            "CreateLogGroup" => {
                w.open(&format!("resource \"aws_cloudwatch_log_group\" \"{id}\""));
                w.attr_str("name", &s(v, "logGroupName"));
                w.close();
            }
            "CreateSecurityGroup" => {
                w.open(&format!("resource \"aws_security_group\" \"{id}\""));
                w.attr_str("name", &s(v, "GroupName"));
                w.attr_str("description", &s(v, "Description"));
                w.attr("vpc_id", "var.vpc_id");
                if let Some(perm) = r.requests.get(1).and_then(|q| q.input["IpPermissions"].get(0)) {
                    w.open("ingress");
                    w.attr_str("protocol", perm["IpProtocol"].as_str().unwrap_or("tcp"));
                    w.attr_num("from_port", perm["FromPort"].as_u64().unwrap_or(0));
                    w.attr_num("to_port", perm["ToPort"].as_u64().unwrap_or(0));
                    if let Some(cidr) = perm["IpRanges"].get(0).and_then(|c| c["CidrIp"].as_str()) {
                        w.attr_value("cidr_blocks", &serde_json::json!([cidr]));
                    }
                    if perm.get("UserIdGroupPairs").is_some() {
                        if let Some(lb) = sg_idents.first() {
                            w.attr("security_groups", &format!("[aws_security_group.{lb}.id]"));
                        }
                    }
                    w.close();
                }
                w.close();
                sg_idents.push(id);
            }
            "RequestCertificate" => {
                w.open(&format!("resource \"aws_acm_certificate\" \"{id}\""));
                w.attr_str("domain_name", &s(v, "DomainName"));
                w.attr_str("validation_method", &s(v, "ValidationMethod"));
                w.close();
            }
            "CreateLoadBalancer" => {
                w.open(&format!("resource \"aws_lb\" \"{id}\""));
                w.attr_str("name", &s(v, "Name"));
                w.attr_str("load_balancer_type", &s(v, "Type"));
                w.attr("internal", if s(v, "Scheme") == "internal" { "true" } else { "false" });
                w.attr("subnets", "var.subnet_ids");
                if let Some(lb) = sg_idents.first() {
                    w.attr("security_groups", &format!("[aws_security_group.{lb}.id]"));
                }
                w.close();
            }
            "CreateListener" => {
                let lb = plan.resources.iter().find(|r| r.resource_type == "AWS::ElasticLoadBalancingV2::LoadBalancer");
                let cert = plan.resources.iter().find(|r| r.resource_type == "AWS::CertificateManager::Certificate");
                w.open(&format!("resource \"aws_lb_listener\" \"{id}\""));
                if let Some(lb) = lb {
                    w.attr("load_balancer_arn", &format!("aws_lb.{}.arn", ident(&lb.name)));
                }
                w.attr_str("protocol", &s(v, "Protocol"));
                w.attr_num("port", v["Port"].as_u64().unwrap_or(443));
                if let Some(c) = cert {
                    w.attr("certificate_arn", &format!("aws_acm_certificate.{}.arn", ident(&c.name)));
                }
                w.open("default_action");
                w.attr_str("type", "fixed-response");
                w.open("fixed_response");
                w.attr_str("content_type", "text/plain");
                w.attr_str("status_code", "404");
                w.close();
                w.close();
                w.close();
            }
            "CreateRule" => {
                let listener =
                    plan.resources.iter().find(|r| r.resource_type == "AWS::ElasticLoadBalancingV2::Listener");
                w.open(&format!("resource \"aws_lb_listener_rule\" \"{id}\""));
                if let Some(l) = listener {
                    w.attr("listener_arn", &format!("aws_lb_listener.{}.arn", ident(&l.name)));
                }
                w.attr_num("priority", v["Priority"].as_u64().unwrap_or(1));
                w.open("action");
                w.attr_str("type", "forward");
                w.attr("target_group_arn", &format!("aws_lb_target_group.{}.arn", ident(&plan.target_group_name)));
                w.close();
                w.open("condition");
                w.open("host_header");
                w.attr_value("values", &v["Conditions"][0]["HostHeaderConfig"]["Values"]);
                w.close();
                w.close();
                w.close();
            }
            "PutMetricAlarm" => {
                w.comment(&format!(
                    "CloudWatch alarm {}: deployment rollback when 4xx+5xx exceed 1% for 2 of 3 minutes (not evaluated by the playground).",
                    s(v, "AlarmName")
                ));
                continue;
            }
            _ => continue,
        }
        w.blank();
    }
    w.finish()
}
