//! The deployment circuit breaker, checked against "How the Amazon ECS deployment circuit breaker
//! detects failures" (developer guide) and the API reference (Deployment, DeploymentCircuitBreaker,
//! ServiceDeploymentCircuitBreaker).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod deploy_common;

use deploy_common::*;
use ecs_sim::model::{DeploymentStatus, RolloutState, StopCode, TaskStatus};
use serde_json::{json, Value};

const UPDATE_AT: u64 = 120_000;
const BAD_IMAGE: &str = "public.ecr.aws/nginx/nginx:does-not-exist";

fn breaker(enable: bool, rollback: bool) -> Value {
    json!({"deploymentCircuitBreaker": {"enable": enable, "rollback": rollback}})
}

fn service_events(sim: &ecs_sim::Simulation) -> Vec<String> {
    sim.state().services[0].events.iter().rev().map(|e| e.message.clone()).collect()
}

fn deployment_events(sim: &ecs_sim::Simulation) -> Vec<(String, String, String)> {
    sim.log()
        .entries()
        .iter()
        .filter(|e| e.detail_type == "ECS Deployment State Change")
        .map(|e| {
            let s = |k: &str| e.detail[k].as_str().unwrap_or("").to_string();
            (s("eventName"), s("deploymentId"), s("reason"))
        })
        .collect()
}

#[test]
fn bad_image_trips_the_breaker_and_rolls_back_to_the_last_completed_deployment() {
    let mut sim = load(&scenario(4, breaker(true, true), BAD_IMAGE, even_timings()));
    sim.run_until(UPDATE_AT);
    let good = sim.state().services[0].deployments[0].id.clone();
    update_to_v2(&mut sim);
    let bad = sim.state().services[0].deployments[1].id.clone();
    // Defaults 100/200: every web:1 task keeps running while web:2 tasks fail to start.
    let trace = trace(&mut sim, 1_200_000);
    assert!(trace.iter().all(|(v1, v2)| *v1 == 4 && *v2 == 0), "{trace:?}");

    // Each web:2 task stopped with the pull error: "CannotPullContainerError" and TaskFailedToStart.
    let failed: Vec<&ecs_sim::model::Task> = sim.state().tasks.iter().filter(|t| t.task_def.revision == 2).collect();
    assert!(!failed.is_empty());
    for t in &failed {
        assert_eq!(t.last_status, TaskStatus::Stopped);
        assert_eq!(t.stop_code, Some(StopCode::TaskFailedToStart));
        assert!(t.stopped_reason.as_deref().is_some_and(|r| r.starts_with("CannotPullContainerError")), "{t:?}");
        assert!(t.started_at.is_none(), "never RUNNING");
    }
    // "The deployment circuit breaker has a minimum threshold of 3 ... 0.5 * desired task count":
    // desired 4 gives 3, so the breaker trips once 3 tasks failed to start.
    assert!(failed.len() >= 3);

    let svc = &sim.state().services[0];
    let bad_d = svc.deployments.iter().find(|d| d.id == bad).expect("failed deployment");
    assert_eq!(bad_d.rollout_state, RolloutState::Failed);
    assert_eq!(bad_d.rollout_state_reason, "ECS deployment circuit breaker: tasks failed to start.");
    // "it looks for the most recent deployment that is in a COMPLETED state ... When the rollback
    // starts, the deployment changes from a COMPLETED to IN_PROGRESS", and completes again.
    let good_d = svc.deployments.iter().find(|d| d.id == good).expect("rolled-back-to deployment");
    assert_eq!(good_d.status, DeploymentStatus::Primary);
    assert_eq!(good_d.rollout_state, RolloutState::Completed);
    assert_eq!(good_d.rollout_state_reason, format!("ECS deployment {good} completed."));
    assert_eq!(bad_d.status, DeploymentStatus::Inactive, "the failed deployment has no tasks left");
    assert!(svc.spec.task_definition.ends_with("web:1"));

    let events = service_events(&sim);
    let failed_at = events
        .iter()
        .position(|m| m == &format!("(service web) (deployment {bad}) deployment failed: tasks failed to start."))
        .expect("failure event");
    assert_eq!(events.get(failed_at + 1), Some(&format!("(service web) rolling back to deployment {good}.")));

    // EventBridge: FAILED for the bad deployment, then IN_PROGRESS for the rollback ("The reason
    // field provides the ID of the deployment the service is rolling back to"), then COMPLETED.
    let dep = deployment_events(&sim);
    let tail: Vec<_> = dep.iter().skip(3).cloned().collect();
    assert_eq!(
        tail,
        vec![
            (
                "SERVICE_DEPLOYMENT_FAILED".into(),
                bad.clone(),
                "ECS deployment circuit breaker: tasks failed to start.".into()
            ),
            (
                "SERVICE_DEPLOYMENT_IN_PROGRESS".into(),
                good.clone(),
                format!("ECS deployment circuit breaker: rolling back to deploymentId {good}.")
            ),
            ("SERVICE_DEPLOYMENT_COMPLETED".into(), good.clone(), format!("ECS deployment {good} completed.")),
        ]
    );
}

#[test]
fn missing_images_listed_by_the_scenario_fail_the_same_way() {
    let image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2";
    let mut doc = scenario(4, breaker(true, true), image, even_timings());
    doc["missingImages"] = json!([image]);
    let mut sim = load(&doc);
    sim.run_until(UPDATE_AT);
    update_to_v2(&mut sim);
    sim.run_until(1_200_000);
    let svc = &sim.state().services[0];
    assert_eq!(svc.deployments[1].rollout_state, RolloutState::Failed);
    assert_eq!(svc.deployments[0].status, DeploymentStatus::Primary);
    assert_eq!(running(&sim, 1), 4);
}

#[test]
fn without_rollback_the_failed_deployment_launches_no_new_tasks() {
    // "If the service fails to reach a steady state and circuit breaker is turned on, the
    // deployment will transition to a FAILED state. A deployment in a FAILED state doesn't launch
    // any new tasks."
    let mut sim = load(&scenario(4, breaker(true, false), BAD_IMAGE, even_timings()));
    sim.run_until(UPDATE_AT);
    update_to_v2(&mut sim);
    sim.run_until(600_000);
    let svc = &sim.state().services[0];
    assert_eq!(svc.deployments[1].status, DeploymentStatus::Primary);
    assert_eq!(svc.deployments[1].rollout_state, RolloutState::Failed);
    let launched = sim.state().tasks.len();
    sim.run_until(1_800_000);
    assert_eq!(sim.state().tasks.len(), launched, "no task launched after the failure");
    assert_eq!(running(&sim, 1), 4, "the old tasks keep running");
}

#[test]
fn without_the_breaker_the_deployment_keeps_trying() {
    let mut sim = load(&scenario(4, Value::Null, BAD_IMAGE, even_timings()));
    sim.run_until(UPDATE_AT);
    update_to_v2(&mut sim);
    sim.run_until(900_000);
    assert_eq!(primary_rollout(&sim), RolloutState::InProgress);
    assert!(sim.state().services[0].deployments[1].failed_tasks >= 3, "failedTasks is still counted");
    assert!(!deployment_events(&sim).iter().any(|e| e.0 == "SERVICE_DEPLOYMENT_FAILED"));
    assert_eq!(running(&sim, 1), 4);
}

#[test]
fn desired_one_fails_after_exactly_three_failed_tasks() {
    // Desired 1: 0.5 x 1 is below the minimum, "the failure threshold is set to" 3. With
    // maximumPercent 200 one new task is tried at a time, so the third failure trips it.
    let mut sim = load(&scenario(1, breaker(true, true), BAD_IMAGE, even_timings()));
    sim.run_until(UPDATE_AT);
    update_to_v2(&mut sim);
    let mut failures_when_failed = None;
    while let Some(t) = sim.next_event_time().filter(|t| *t <= 1_200_000) {
        sim.run_until(t);
        let d = &sim.state().services[0].deployments[1];
        if d.rollout_state == RolloutState::Failed && failures_when_failed.is_none() {
            let stopped =
                sim.state().tasks.iter().filter(|t| t.task_def.revision == 2 && t.last_status == TaskStatus::Stopped);
            failures_when_failed = Some(stopped.count());
        }
    }
    assert_eq!(failures_when_failed, Some(3));
    assert_eq!(sim.state().services[0].deployments[1].failed_tasks, 3);
}

#[test]
fn without_a_completed_deployment_the_rollback_stalls() {
    // "When the deployment circuit breaker does not find a deployment that is in a COMPLETED
    // state, the circuit breaker does not launch new tasks and the deployment is stalled."
    let mut doc = scenario(2, breaker(true, true), BAD_IMAGE, even_timings());
    doc["services"][0]["taskDefinition"] = json!("web:2");
    let mut sim = load(&doc);
    sim.run_until(600_000);
    let svc = &sim.state().services[0];
    assert_eq!(svc.deployments.len(), 1);
    assert_eq!(svc.deployments[0].rollout_state, RolloutState::Failed);
    let n = sim.state().tasks.len();
    sim.run_until(1_800_000);
    assert_eq!(sim.state().tasks.len(), n);
}
