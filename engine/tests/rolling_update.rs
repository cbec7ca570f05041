//! Rolling update (ECS deployment controller), checked against the AWS documentation:
//! "Deploy Amazon ECS services by replacing tasks" and the API reference's DeploymentConfiguration.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod deploy_common;

use deploy_common::*;
use ecs_sim::model::{DeploymentStatus, RolloutState};
use serde_json::{json, Value};

const UPDATE_AT: u64 = 120_000;

fn run_example(min: u32, max: u32, desired: u32) -> (ecs_sim::Simulation, Vec<(u32, u32)>, Vec<String>) {
    let dc = json!({"minimumHealthyPercent": min, "maximumPercent": max});
    let mut sim = load(&scenario(desired, dc, "public.ecr.aws/nginx/nginx:1.27", even_timings()));
    sim.run_until(UPDATE_AT);
    assert_eq!(running(&sim, 1), desired, "steady on web:1 before the update");
    let events_before = sim.state().services[0].events.len();
    update_to_v2(&mut sim);
    let trace = trace(&mut sim, 1_200_000);
    let events = events_since(&sim, events_before);
    (sim, trace, events)
}

fn assert_completed_on_v2(sim: &ecs_sim::Simulation, desired: u32) {
    let svc = &sim.state().services[0];
    let primary = svc.deployments.primary().expect("primary");
    assert_eq!(primary.task_def.revision, 2);
    assert_eq!(primary.rollout_state, RolloutState::Completed);
    assert_eq!(primary.rollout_state_reason, format!("ECS deployment {} completed.", primary.id));
    // The previous deployment has no tasks left and is INACTIVE.
    assert!(svc.deployments.iter().filter(|d| d.id != primary.id).all(|d| d.status == DeploymentStatus::Inactive));
    assert_eq!((running(sim, 1), running(sim, 2)), (0, desired));
}

#[test]
fn slide_example_min_50_max_100_step_for_step() {
    // "if the minimum healthy percent is 50 and the desired task count is four, then the scheduler
    // can stop two existing tasks before starting two new tasks" (deployment-type-ecs). With
    // maximumPercent 100 no more than 4 tasks may be RUNNING or PENDING, so: stop 2 v1, start 2
    // v2, then stop the other 2 v1 and start 2 v2.
    let (sim, trace, events) = run_example(50, 100, 4);
    assert_eq!(trace, vec![(4, 0), (2, 0), (2, 2), (0, 2), (0, 4)]);
    let deployment_id = sim.state().services[0].deployments[1].id.clone();
    assert_eq!(
        events,
        vec![
            "(service web) has stopped 2 running tasks: web:1 web:1.".to_string(),
            "(service web) has started 2 tasks: web:2 web:2.".to_string(),
            "(service web) has stopped 2 running tasks: web:1 web:1.".to_string(),
            "(service web) has started 2 tasks: web:2 web:2.".to_string(),
            format!("(service web) (deployment {deployment_id}) deployment completed."),
            "(service web) has reached a steady state.".to_string(),
        ]
    );
    assert_completed_on_v2(&sim, 4);
}

#[test]
fn slide_example_min_100_max_150_step_for_step() {
    // maximumPercent 150 of 4 is 6 ("rounded down"), minimumHealthyPercent 100 keeps 4 healthy:
    // start 2 v2 (6 tasks), stop 2 v1, start 2 v2, stop 2 v1.
    let (sim, trace, events) = run_example(100, 150, 4);
    assert_eq!(trace, vec![(4, 0), (4, 2), (2, 2), (2, 4), (0, 4)]);
    let deployment_id = sim.state().services[0].deployments[1].id.clone();
    assert_eq!(
        events,
        vec![
            "(service web) has started 2 tasks: web:2 web:2.".to_string(),
            "(service web) has stopped 2 running tasks: web:1 web:1.".to_string(),
            "(service web) has started 2 tasks: web:2 web:2.".to_string(),
            "(service web) has stopped 2 running tasks: web:1 web:1.".to_string(),
            format!("(service web) (deployment {deployment_id}) deployment completed."),
            "(service web) has reached a steady state.".to_string(),
        ]
    );
    assert_completed_on_v2(&sim, 4);
}

#[test]
fn default_100_200_starts_all_new_tasks_before_stopping_old_ones() {
    // "if the maximum percent is 200 and the desired task count is four, then the scheduler can
    // start four new tasks before stopping four existing tasks". Defaults: minimumHealthyPercent
    // 100, maximumPercent 200.
    let mut sim = load(&scenario(4, Value::Null, "public.ecr.aws/nginx/nginx:1.27", even_timings()));
    sim.run_until(UPDATE_AT);
    let svc = &sim.state().services[0];
    assert_eq!((svc.minimum_healthy_percent, svc.maximum_percent), (100, 200));
    update_to_v2(&mut sim);
    let trace = trace(&mut sim, 1_200_000);
    assert_eq!(trace, vec![(4, 0), (4, 4), (0, 4)]);
    assert_completed_on_v2(&sim, 4);
}

#[test]
fn minimum_healthy_is_rounded_up_desired_3_at_50_percent_keeps_2() {
    // "as a percentage of the desiredCount (rounded up to the nearest integer)": 3 x 50% = 1.5,
    // rounded up to 2, so only one task may be stopped at a time; maximumPercent 100 of 3 is 3.
    let (sim, trace, _) = run_example(50, 100, 3);
    assert_eq!(trace, vec![(3, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2), (0, 3)]);
    assert!(trace.iter().all(|(a, b)| a + b >= 2), "never fewer than 2 RUNNING: {trace:?}");
    assert_completed_on_v2(&sim, 3);
}

#[test]
fn maximum_is_rounded_down_desired_3_at_150_percent_allows_4() {
    // "as a percentage of the desiredCount (rounded down to the nearest integer)": 3 x 150% = 4.5,
    // rounded down to 4, so one new task at a time while all 3 old ones must stay (100%).
    let (sim, trace, _) = run_example(100, 150, 3);
    assert_eq!(trace, vec![(3, 0), (3, 1), (2, 1), (2, 2), (1, 2), (1, 3), (0, 3)]);
    assert!(trace.iter().all(|(a, b)| a + b <= 4), "never more than 4 RUNNING: {trace:?}");
    assert_completed_on_v2(&sim, 3);
}

#[test]
fn when_neither_bound_leaves_room_the_deployment_cannot_progress() {
    // "if the minimum healthy percent is 75% and the desired task count is two, then the scheduler
    // can't stop any tasks due to the resulting value also being two." With maximumPercent 110,
    // floor(2 x 110%) = 2 leaves no room to start one either: the deployment stays IN_PROGRESS.
    let (sim, trace, events) = run_example(75, 110, 2);
    assert_eq!(trace, vec![(2, 0)]);
    assert!(events.is_empty(), "{events:?}");
    assert_eq!(primary_rollout(&sim), RolloutState::InProgress);
}

#[test]
fn deployments_are_primary_and_active_during_and_the_state_change_events_are_logged() {
    let dc = json!({"minimumHealthyPercent": 50, "maximumPercent": 100});
    let mut sim = load(&scenario(4, dc, "public.ecr.aws/nginx/nginx:1.27", even_timings()));
    sim.run_until(UPDATE_AT);
    update_to_v2(&mut sim);
    sim.run_until(UPDATE_AT + 10_000);
    let svc = &sim.state().services[0];
    assert_eq!(svc.deployments[0].status, DeploymentStatus::Active);
    assert_eq!(svc.deployments[0].rollout_state, RolloutState::Completed);
    assert_eq!(svc.deployments[1].status, DeploymentStatus::Primary);
    assert_eq!(svc.deployments[1].rollout_state, RolloutState::InProgress);
    assert_eq!(
        svc.deployments[1].rollout_state_reason,
        format!("ECS deployment {} in progress.", svc.deployments[1].id)
    );
    let detail = sim.service_detail(ecs_sim::model::ServiceId(0));
    assert_eq!(detail["deployments"].as_array().map(Vec::len), Some(2));
    assert!(detail["taskDefinition"].as_str().is_some_and(|t| t.ends_with("task-definition/web:2")));
    sim.run_until(1_200_000);
    // SERVICE_DEPLOYMENT_IN_PROGRESS then SERVICE_DEPLOYMENT_COMPLETED, for both deployments
    // ("This event is sent for both initial deployments and rollback deployments").
    let names: Vec<(String, String)> = sim
        .log()
        .entries()
        .iter()
        .filter(|e| e.detail_type == "ECS Deployment State Change")
        .map(|e| {
            (
                e.detail["eventName"].as_str().unwrap_or("").to_string(),
                e.detail["deploymentId"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let (d0, d1) = (svc_id(&sim, 0), svc_id(&sim, 1));
    assert_eq!(
        names,
        vec![
            ("SERVICE_DEPLOYMENT_IN_PROGRESS".to_string(), d0.clone()),
            ("SERVICE_DEPLOYMENT_COMPLETED".to_string(), d0),
            ("SERVICE_DEPLOYMENT_IN_PROGRESS".to_string(), d1.clone()),
            ("SERVICE_DEPLOYMENT_COMPLETED".to_string(), d1),
        ]
    );
    // describe-services lists only the deployments that are not INACTIVE.
    let detail = sim.service_detail(ecs_sim::model::ServiceId(0));
    assert_eq!(detail["deployments"].as_array().map(Vec::len), Some(1));
}

fn svc_id(sim: &ecs_sim::Simulation, i: usize) -> String {
    sim.state().services[0].deployments[i].id.clone()
}

#[test]
fn the_same_revision_starts_no_deployment_unless_forced() {
    let mut sim = load(&scenario(2, Value::Null, "public.ecr.aws/nginx/nginx:1.27", even_timings()));
    sim.run_until(UPDATE_AT);
    sim.apply_json("UpdateService", &json!({"service": "web", "taskDefinition": "web:1"})).expect("same revision");
    assert_eq!(sim.state().services[0].deployments.len(), 1);
    // forceNewDeployment: a new deployment with the same task definition replaces every task.
    sim.apply_json("UpdateService", &json!({"service": "web", "forceNewDeployment": true})).expect("forced");
    assert_eq!(sim.state().services[0].deployments.len(), 2);
    let old: Vec<String> = sim.state().tasks.iter().map(|t| t.task_id.clone()).collect();
    sim.run_until(1_200_000);
    let svc = &sim.state().services[0];
    assert_eq!(svc.deployments[1].task_def.revision, 1);
    assert_eq!(svc.deployments[1].rollout_state, RolloutState::Completed);
    let live: Vec<&ecs_sim::model::Task> = sim.state().tasks.iter().filter(|t| t.is_live()).collect();
    assert_eq!(live.len(), 2);
    assert!(live.iter().all(|t| !old.contains(&t.task_id) && t.deployment == Some(1)));
}

#[test]
fn update_service_validates_the_percentages_and_names_the_field() {
    let mut sim = load(&scenario(2, Value::Null, "public.ecr.aws/nginx/nginx:1.27", even_timings()));
    let cases = [
        (json!({"minimumHealthyPercent": 101}), "deploymentConfiguration.minimumHealthyPercent"),
        (json!({"maximumPercent": 99}), "deploymentConfiguration.maximumPercent"),
        (json!({"maximumPercent": 201}), "deploymentConfiguration.maximumPercent"),
    ];
    for (dc, field) in cases {
        let err = sim
            .apply_json(
                "UpdateService",
                &json!({"service": "web", "taskDefinition": "web:2", "deploymentConfiguration": dc}),
            )
            .expect_err("out of range");
        assert_eq!(err.exception, "InvalidParameterException");
        assert_eq!(err.field, field);
        // A rejected call changes nothing: no deployment was started.
        assert_eq!(sim.state().services[0].deployments.len(), 1);
    }
    let err =
        sim.apply_json("UpdateService", &json!({"service": "web", "taskDefinition": "nope:3"})).expect_err("no td");
    assert_eq!(err.field, "taskDefinition");
    sim.apply_json(
        "UpdateService",
        &json!({"service": "web", "deploymentConfiguration": {"minimumHealthyPercent": 0, "maximumPercent": 100}}),
    )
    .expect("valid percentages");
    let svc = &sim.state().services[0];
    assert_eq!((svc.minimum_healthy_percent, svc.maximum_percent), (0, 100));
    assert_eq!(svc.deployments.len(), 1, "changing only the percentages starts no deployment");
}
