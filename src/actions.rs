//! Typed commands the controls send (`PlaybackCtl::act` -> `Simulation::apply`). They fill API
//! request bodies from what the user chose; the engine validates and decides.

use ecs_sim::autoscaling::types::{
    PredefinedMetricSpecification, PutScalingPolicy, RegisterScalableTarget, TargetTrackingScalingPolicyConfiguration,
    ECS_DIMENSION, ECS_NAMESPACE,
};
use ecs_sim::command::{
    AzInput, DeleteScalingPolicyInput, FailNextLifecycleHookInput, InstanceInput, LaunchInstancesInput, RunTaskInput,
    SetAlarmStateInput, SpotInput, StopServiceDeploymentInput, StopTaskInput, StopType, UpdateServiceInput,
};
use ecs_sim::scenario::{
    DeploymentCircuitBreaker, DeploymentConfiguration, LaunchType, PlacementConstraint, PlacementStrategy, RatePattern,
    TargetGroupTraffic,
};
use ecs_sim::{Command, Simulation};

pub fn update_desired_count(service: &str, desired: u32) -> Command {
    Command::UpdateService(UpdateServiceInput {
        service: service.to_string(),
        desired_count: Some(desired),
        ..Default::default()
    })
}

pub fn update_deployment_configuration(
    service: &str,
    minimum_healthy_percent: u32,
    maximum_percent: u32,
    circuit_breaker: (bool, bool),
) -> Command {
    Command::UpdateService(UpdateServiceInput {
        service: service.to_string(),
        deployment_configuration: Some(DeploymentConfiguration {
            minimum_healthy_percent: Some(minimum_healthy_percent),
            maximum_percent: Some(maximum_percent),
            deployment_circuit_breaker: Some(DeploymentCircuitBreaker {
                enable: circuit_breaker.0,
                rollback: circuit_breaker.1,
            }),
            ..Default::default()
        }),
        ..Default::default()
    })
}

/// A deployment strategy the service panel offers (`deploymentConfiguration.strategy`) with the
/// parameters the user typed; the engine checks ranges and the load balancers' advancedConfiguration.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StrategyChoice {
    Rolling,
    BlueGreen,
    /// canaryPercent, canaryBakeTimeInMinutes.
    Canary(f64, u32),
    /// stepPercent, stepBakeTimeInMinutes.
    Linear(f64, u32),
}

/// UpdateService with `deploymentConfiguration.strategy`, `bakeTimeInMinutes` (not sent for
/// ROLLING) and the canary or linear configuration.
pub fn update_strategy(service: &str, choice: StrategyChoice, bake_time_in_minutes: u32) -> Command {
    use ecs_sim::deploy_strategy::{strategy_update, Strategy};
    let (strategy, step) = match choice {
        StrategyChoice::Rolling => (Strategy::Rolling, (0.0, 0)),
        StrategyChoice::BlueGreen => (Strategy::BlueGreen, (0.0, 0)),
        StrategyChoice::Canary(p, b) => (Strategy::Canary, (p, b)),
        StrategyChoice::Linear(p, b) => (Strategy::Linear, (p, b)),
    };
    Command::UpdateService(UpdateServiceInput {
        service: service.to_string(),
        deployment_configuration: Some(strategy_update(strategy, step, bake_time_in_minutes)),
        ..Default::default()
    })
}

/// StopServiceDeployment with stopType ROLLBACK: the console's Rollback button on the deployment in
/// progress (`Simulation::deployment_in_progress_arn` names it; the engine decides what a rollback
/// means for the strategy).
pub fn roll_back_deployment(service_deployment_arn: &str) -> Command {
    Command::StopServiceDeployment(StopServiceDeploymentInput {
        service_deployment_arn: service_deployment_arn.to_string(),
        stop_type: Some(StopType::Rollback),
    })
}

/// The playground fault FailNextLifecycleHook: the simulated Lambda function `hook_target_arn`
/// answers FAILED at its next invocation, and a failed hook rolls the deployment back
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html).
pub fn fail_next_lifecycle_hook(hook_target_arn: &str) -> Command {
    Command::FailNextLifecycleHook(FailNextLifecycleHookInput { hook_target_arn: hook_target_arn.to_string() })
}

/// CloudWatch SetAlarmState to ALARM, "for testing purposes"
/// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html): a
/// deployment that watches the alarm fails, and rolls back when `alarms.rollback` is true; the
/// next evaluation sets the alarm's real state again.
pub fn set_alarm_to_alarm(alarm_name: &str) -> Command {
    Command::SetAlarmState(SetAlarmStateInput {
        alarm_name: alarm_name.to_string(),
        state_value: "ALARM".into(),
        state_reason: "Set to ALARM from the playground".into(),
        state_reason_data: None,
    })
}

/// How a new revision differs from the service's current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Revision {
    /// A new image tag that exists.
    Good,
    /// An image tag that does not exist: pulls fail with CannotPullContainerError.
    BadImage,
}

/// RegisterTaskDefinition of the service's PRIMARY revision with its first container's image
/// re-tagged (`:v<next revision>` or `:does-not-exist`), and the family it registers in.
pub fn next_revision(sim: &Simulation, service: &str, kind: Revision) -> Option<(Command, String)> {
    let st = sim.state();
    let s = st.service_by_name(service)?;
    let primary = st.services.get(s.idx())?.deployments.primary()?;
    let td = st.task_defs.get(&primary.task_def)?;
    let next = st.task_defs.families.get(&td.family).map(|v| v.len() as u32 + 1).unwrap_or(1);
    let mut req = td.request.clone();
    let container = req.container_definitions.first_mut()?;
    let repo = match container.image.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r.to_string(),
        _ => container.image.clone(),
    };
    let tag = match kind {
        Revision::Good => format!("v{next}"),
        Revision::BadImage => "does-not-exist".to_string(),
    };
    container.image = format!("{repo}:{tag}");
    let family = req.family.clone();
    Some((Command::RegisterTaskDefinition(Box::new(req)), family))
}

/// UpdateService to a registered revision (starts a rolling update).
pub fn update_task_definition(service: &str, family: &str, revision: u32) -> Command {
    Command::UpdateService(UpdateServiceInput {
        service: service.to_string(),
        task_definition: Some(format!("{family}:{revision}")),
        ..Default::default()
    })
}

/// Placement strategies offered by the Run task form, as the API spells them.
pub const STRATEGIES: &[(&str, &str, Option<&str>)] = &[
    ("spread-az", "spread", Some("attribute:ecs.availability-zone")),
    ("spread-instance", "spread", Some("instanceId")),
    ("binpack-memory", "binpack", Some("memory")),
    ("random", "random", None),
];

/// A RunTask request (EC2 or FARGATE; a Fargate task gets the AZs' subnets).
pub fn run_task(
    task_definition: &str,
    count: u32,
    launch_type: LaunchType,
    strategy: &str,
    constraint: &str,
    subnets: &[String],
) -> Command {
    let fargate = launch_type == LaunchType::Fargate;
    let mut req = RunTaskInput::new(task_definition, count);
    req.launch_type = Some(launch_type);
    if let Some((_, kind, field)) = STRATEGIES.iter().find(|s| s.0 == strategy) {
        req.placement_strategy = vec![PlacementStrategy { kind: kind.to_string(), field: field.map(str::to_string) }];
    }
    let constraint = constraint.trim();
    if constraint == "distinctInstance" {
        req.placement_constraints = vec![PlacementConstraint { kind: "distinctInstance".into(), expression: None }];
    } else if !constraint.is_empty() {
        req.placement_constraints =
            vec![PlacementConstraint { kind: "memberOf".into(), expression: Some(constraint.to_string()) }];
    }
    if fargate {
        req.network_configuration = Some(ecs_sim::command::awsvpc_configuration(subnets));
    }
    Command::RunTask(req)
}

pub fn launch_instances(instance_type: &str, availability_zone: &str, count: u32) -> Command {
    Command::LaunchInstances(LaunchInstancesInput {
        instance_type: instance_type.to_string(),
        availability_zone: availability_zone.to_string(),
        count,
    })
}

pub fn stop_task(task_id: &str) -> Command {
    Command::StopTask(StopTaskInput {
        cluster: None,
        task: task_id.to_string(),
        reason: Some("Task stopped by user from the playground".to_string()),
    })
}

/// An action on one container instance, from the details drawer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstanceAction {
    Terminate,
    Drain,
}

pub fn instance(action: InstanceAction, id: &str) -> Command {
    let input = InstanceInput { instance: Some(id.to_string()), availability_zone: None };
    match action {
        InstanceAction::Terminate => Command::TerminateInstance(input),
        InstanceAction::Drain => Command::DrainInstance(input),
    }
}

/// The SpotInterruption fault on one of a service's FARGATE_SPOT tasks (the oldest).
pub fn spot_interruption(service: &str) -> Command {
    Command::SpotInterruption(SpotInput { task: None, service: Some(service.to_string()), count: Some(1) })
}

/// FailAvailabilityZone (`up` = it is up now) or RestoreAvailabilityZone.
pub fn toggle_availability_zone(name: &str, up: bool) -> Command {
    let input = AzInput { availability_zone: name.to_string() };
    if up {
        Command::FailAvailabilityZone(input)
    } else {
        Command::RestoreAvailabilityZone(input)
    }
}

/// The Application Auto Scaling resource id of a service.
pub fn scaling_resource_id(cluster: &str, service: &str) -> String {
    format!("service/{cluster}/{service}")
}

/// RegisterScalableTarget for a service's desired count.
pub fn register_scalable_target(cluster: &str, service: &str, min: u32, max: u32) -> Command {
    Command::RegisterScalableTarget(RegisterScalableTarget {
        service_namespace: ECS_NAMESPACE.to_string(),
        resource_id: scaling_resource_id(cluster, service),
        scalable_dimension: ECS_DIMENSION.to_string(),
        min_capacity: Some(i64::from(min)),
        max_capacity: Some(i64::from(max)),
        role_arn: None,
        suspended_state: None,
        tags: None,
    })
}

/// The name the controls give the target tracking policy they manage.
pub const CONTROLS_POLICY_NAME: &str = "playground-target-tracking";

/// PutScalingPolicy (TargetTrackingScaling) on a predefined metric. `resource_label` is needed
/// (and only allowed) for ALBRequestCountPerTarget.
pub fn target_tracking_policy(
    cluster: &str,
    service: &str,
    metric: &str,
    target: f64,
    resource_label: Option<&str>,
) -> Command {
    Command::PutScalingPolicy(Box::new(PutScalingPolicy {
        policy_name: CONTROLS_POLICY_NAME.to_string(),
        service_namespace: ECS_NAMESPACE.to_string(),
        resource_id: scaling_resource_id(cluster, service),
        scalable_dimension: ECS_DIMENSION.to_string(),
        policy_type: Some("TargetTrackingScaling".to_string()),
        step_scaling_policy_configuration: None,
        target_tracking_scaling_policy_configuration: Some(TargetTrackingScalingPolicyConfiguration {
            target_value: target,
            predefined_metric_specification: Some(PredefinedMetricSpecification {
                predefined_metric_type: metric.to_string(),
                resource_label: resource_label.map(str::to_string),
            }),
            customized_metric_specification: None,
            scale_out_cooldown: None,
            scale_in_cooldown: None,
            disable_scale_in: None,
        }),
        predictive_scaling_policy_configuration: None,
    }))
}

/// DeleteScalingPolicy of the controls' policy.
pub fn delete_controls_policy(cluster: &str, service: &str) -> Command {
    Command::DeleteScalingPolicy(DeleteScalingPolicyInput {
        policy_name: CONTROLS_POLICY_NAME.to_string(),
        service_namespace: Some(ECS_NAMESPACE.to_string()),
        resource_id: scaling_resource_id(cluster, service),
        scalable_dimension: Some(ECS_DIMENSION.to_string()),
    })
}

/// SetTraffic: a constant request rate on a target group, keeping the scenario's per-request
/// costs for that group when it has them.
pub fn set_constant_traffic(sim: &Simulation, target_group: &str, requests_per_second: f64) -> Command {
    let existing =
        sim.scenario().traffic.as_ref().and_then(|t| t.target_groups.iter().find(|g| g.target_group == target_group));
    let entry = match existing {
        Some(g) => TargetGroupTraffic {
            requests_per_second: RatePattern::Constant { value: requests_per_second },
            ..g.clone()
        },
        None => TargetGroupTraffic::constant(target_group, requests_per_second),
    };
    Command::SetTraffic(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_revision_registers_and_deploys() {
        let mut sim = ecs_sim::load(crate::playback_ctl::DEFAULT_SCENARIO, None).expect("loads");
        sim.run_until(60_000);
        for (kind, tag) in [(Revision::Good, ":v2"), (Revision::BadImage, ":does-not-exist")] {
            let (cmd, family) = next_revision(&sim, "web", kind).expect("body");
            let Command::RegisterTaskDefinition(req) = &cmd else { panic!("RegisterTaskDefinition") };
            assert!(req.container_definitions[0].image.ends_with(tag), "{:?}", req.container_definitions[0].image);
            sim.apply(cmd).expect("registers");
            let rev = sim.state().task_defs.families.get(&family).map(|v| v.len() as u32).expect("revision");
            sim.apply(update_task_definition("web", &family, rev)).expect("deploys");
        }
    }

    #[test]
    fn run_task_requests_are_accepted_or_rejected_by_the_engine() {
        let mut sim = ecs_sim::load(crate::playback_ctl::DEFAULT_SCENARIO, None).expect("loads");
        for (s, _, _) in STRATEGIES {
            sim.apply(run_task("web", 1, LaunchType::Ec2, s, "distinctInstance", &[])).expect("runs");
        }
        sim.apply(run_task("web", 1, LaunchType::Ec2, "random", "attribute:ecs.availability-zone == us-east-1a", &[]))
            .expect("memberOf");
        // The default task definition is bridge/EC2 only: Fargate is refused by the engine.
        assert!(sim.apply(run_task("web", 1, LaunchType::Fargate, "random", "", &[])).is_err());
    }

    /// The strategy controls send what the engine accepts on a service with advancedConfiguration,
    /// and the engine refuses BLUE_GREEN on one without it (the field named).
    #[test]
    fn strategy_updates_go_through_the_engine() {
        let mut sim = ecs_sim::load(include_str!("../lessons/canary-10-then-all.json"), None).expect("loads");
        sim.apply(update_strategy("web", StrategyChoice::Linear(25.0, 2), 3)).expect("LINEAR accepted");
        let svc = &sim.state().services[0];
        assert_eq!(svc.strategy.strategy.as_str(), "LINEAR");
        assert_eq!(svc.strategy.steps.first(), Some(&(250, 2)));
        assert_eq!(svc.strategy.bake_minutes, 3);
        let e = sim.apply(update_strategy("web", StrategyChoice::Canary(0.05, 2), 3)).expect_err("0.05 % refused");
        assert_eq!(e.field, "deploymentConfiguration.canaryConfiguration.canaryPercent");
        let mut plain = ecs_sim::load(crate::playback_ctl::DEFAULT_SCENARIO, None).expect("loads");
        let e =
            plain.apply(update_strategy("web", StrategyChoice::BlueGreen, 5)).expect_err("no advancedConfiguration");
        assert_eq!(e.field, "loadBalancers[0].advancedConfiguration");
    }

    /// During the canary lesson's traffic shift the Roll back button's command returns production
    /// traffic to blue (the engine's rollback), and it names the deployment in progress.
    #[test]
    fn roll_back_sends_stop_service_deployment_rollback() {
        let mut sim = ecs_sim::load(include_str!("../lessons/canary-10-then-all.json"), None).expect("loads");
        sim.run_until(300_000);
        let arn = sim.deployment_in_progress_arn("web").expect("a deployment in progress at 300 s");
        let cmd = roll_back_deployment(&arn);
        assert_eq!(cmd.input_json(), serde_json::json!({"serviceDeploymentArn": arn, "stopType": "ROLLBACK"}));
        sim.apply(cmd).expect("rollback accepted");
        sim.run_until(400_000);
        let prod = sim.traffic_view().into_iter().flat_map(|v| v.rules).find(|r| r.role == "production").expect("rule");
        let blue = prod.target_groups.iter().find(|t| t.0 == "web-blue").expect("web-blue");
        assert_eq!(blue.2, 100.0, "production traffic back on web-blue: {prod:?}");
        assert!(sim.deployment_in_progress_arn("web").is_none());
    }

    /// Fail next hook during the hook lesson's POST_TEST_TRAFFIC_SHIFT: the function's next
    /// invocation (30 s later) answers FAILED, a minute before the scenario's own answer, and the
    /// deployment rolls back.
    #[test]
    fn fail_next_hook_fails_the_next_invocation_and_rolls_back() {
        let mut sim = ecs_sim::load(include_str!("../lessons/blue-green-hook-rollback.json"), None).expect("loads");
        sim.run_until(240_000);
        let f = "arn:aws:lambda:us-east-1:123456789012:function:smoke-test";
        assert_eq!(sim.hook_view("web").last().map(|h| h.status), Some("IN_PROGRESS"));
        let cmd = fail_next_lifecycle_hook(f);
        assert_eq!(cmd.input_json(), serde_json::json!({"hookTargetArn": f}));
        sim.apply(cmd).expect("accepted");
        sim.run_until(262_000);
        assert_eq!(sim.hook_view("web").last().map(|h| h.status), Some("FAILED"));
        // The rollback returns test traffic to blue (the lesson's own answer would come at 289.5 s).
        let test = sim.traffic_view().into_iter().flat_map(|v| v.rules).find(|r| r.role == "test").expect("rule");
        let blue = test.target_groups.iter().find(|t| t.0 == "web-blue").expect("web-blue");
        assert_eq!(blue.2, 100.0, "test traffic back on web-blue: {test:?}");
        let e = sim.apply(fail_next_lifecycle_hook("arn:aws:lambda:us-east-1:123456789012:function:nope"));
        assert_eq!(e.expect_err("unknown").field, "hookTargetArn");
    }

    /// Set alarm to ALARM during the alarm lesson's rolling bake: the deployment fails at once and
    /// rolls back (the lesson's own alarm only fires at 425 s).
    #[test]
    fn set_alarm_to_alarm_fails_the_watching_deployment() {
        use ecs_sim::model::RolloutState;
        let mut sim = ecs_sim::load(include_str!("../lessons/deployment-alarm-rollback.json"), None).expect("loads");
        sim.run_until(370_000);
        let cmd = set_alarm_to_alarm("web-cpu-high");
        assert_eq!(
            cmd.input_json(),
            serde_json::json!({"AlarmName": "web-cpu-high", "StateValue": "ALARM",
                "StateReason": "Set to ALARM from the playground"})
        );
        sim.apply(cmd).expect("accepted");
        let failed = sim.state().services[0].deployments.iter().any(|d| d.rollout_state == RolloutState::Failed);
        assert!(failed, "the web:2 deployment failed at 370 s");
        assert_eq!(sim.apply(set_alarm_to_alarm("nope")).expect_err("unknown alarm").field, "AlarmName");
    }

    #[test]
    fn deployment_configuration_is_accepted() {
        let mut sim = ecs_sim::load(crate::playback_ctl::DEFAULT_SCENARIO, None).expect("loads");
        sim.apply(update_deployment_configuration("web", 50, 150, (true, true))).expect("ok");
        assert_eq!(sim.state().services[0].maximum_percent, 150);
        assert!(sim.apply(update_deployment_configuration("web", 50, 250, (true, true))).is_err());
    }

    /// Share links and exports carry commands as JSON: the request bodies are the ones the
    /// controls sent before commands were typed (so old links replay to the same log).
    #[test]
    fn commands_write_the_request_bodies_the_controls_always_sent() {
        use serde_json::json;
        let cases = [
            (update_desired_count("web", 3), json!({"service": "web", "desiredCount": 3})),
            (
                update_deployment_configuration("web", 50, 150, (true, false)),
                json!({"service": "web", "deploymentConfiguration": {"minimumHealthyPercent": 50,
                    "maximumPercent": 150, "deploymentCircuitBreaker": {"enable": true, "rollback": false}}}),
            ),
            (
                update_strategy("web", StrategyChoice::Canary(10.0, 5), 5),
                json!({"service": "web", "deploymentConfiguration": {"strategy": "CANARY", "bakeTimeInMinutes": 5,
                    "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 5}}}),
            ),
            (
                update_strategy("web", StrategyChoice::Rolling, 5),
                json!({"service": "web", "deploymentConfiguration": {"strategy": "ROLLING"}}),
            ),
            (update_task_definition("web", "web", 2), json!({"service": "web", "taskDefinition": "web:2"})),
            (
                run_task("web", 2, LaunchType::Fargate, "spread-az", "distinctInstance", &["subnet-a".to_string()]),
                json!({"taskDefinition": "web", "count": 2, "launchType": "FARGATE",
                    "placementStrategy": [{"type": "spread", "field": "attribute:ecs.availability-zone"}],
                    "placementConstraints": [{"type": "distinctInstance"}],
                    "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a"]}}}),
            ),
            (
                launch_instances("m5.large", "us-east-1a", 2),
                json!({"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2}),
            ),
            (stop_task("t1"), json!({"task": "t1", "reason": "Task stopped by user from the playground"})),
            (instance(InstanceAction::Drain, "i-1"), json!({"instance": "i-1"})),
            (spot_interruption("web"), json!({"service": "web", "count": 1})),
            (toggle_availability_zone("us-east-1a", true), json!({"availabilityZone": "us-east-1a"})),
            (
                register_scalable_target("c", "web", 1, 10),
                json!({"ServiceNamespace": "ecs", "ResourceId": "service/c/web",
                    "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 1, "MaxCapacity": 10}),
            ),
            (
                target_tracking_policy("c", "web", "ECSServiceAverageCPUUtilization", 50.0, None),
                json!({"PolicyName": CONTROLS_POLICY_NAME, "ServiceNamespace": "ecs",
                    "ResourceId": "service/c/web", "ScalableDimension": "ecs:service:DesiredCount",
                    "PolicyType": "TargetTrackingScaling",
                    "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 50.0,
                        "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}}),
            ),
            (
                delete_controls_policy("c", "web"),
                json!({"PolicyName": CONTROLS_POLICY_NAME, "ServiceNamespace": "ecs",
                    "ResourceId": "service/c/web", "ScalableDimension": "ecs:service:DesiredCount"}),
            ),
        ];
        for (cmd, body) in cases {
            assert_eq!(cmd.input_json(), body, "{}", cmd.name());
            // And the JSON parses back to the same command.
            assert_eq!(Command::from_json(cmd.name(), &body).as_ref(), Ok(&cmd), "{}", cmd.name());
        }
    }
}
