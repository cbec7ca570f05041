//! Property test of the rolling update bounds over random desired counts, percentages and timings.
//!
//! "maximumPercent ... an upper limit on the number of your service's tasks that are allowed in the
//! RUNNING or PENDING state during a deployment ... (rounded down)"; "minimumHealthyPercent ... a
//! lower limit on the number of your service's tasks that must remain in the RUNNING state during a
//! deployment ... (rounded up)" (API reference, DeploymentConfiguration).
//!
//! Where ECS documents otherwise, the property does not apply and the generator avoids it: tasks
//! that fail or turn unhealthy ("If tasks become unhealthy, the Amazon ECS service scheduler will
//! start replacement tasks first"), draining container instances, and settings with no room on
//! either side (desired 2 at 75%: "the scheduler can't stop any tasks"; with maximumPercent not
//! above 100% of desired it cannot start any either, so that deployment never ends).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod deploy_common;

use deploy_common::*;
use ecs_sim::model::RolloutState;
use ecs_sim::sim::{maximum_tasks, minimum_healthy_tasks};
use proptest::prelude::*;
use serde_json::json;

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn rolling_update_stays_within_bounds_and_ends(
        desired in 1u32..=6,
        min_pct in 0u32..=100,
        max_pct in 100u32..=200,
        update_at_s in 60u64..=300,
        delay in 0.2f64..3.0,
        jitter in 0.0f64..0.5,
        pull in 1.0f64..20.0,
        seed in 0u64..1000,
    ) {
        let min_h = minimum_healthy_tasks(desired, min_pct);
        let max_t = maximum_tasks(desired, max_pct);
        prop_assume!(max_t > desired || min_h < desired);
        let timings = json!({"jitter": jitter, "schedulerDelaySeconds": delay, "pullBaseSeconds": pull});
        let mut doc = scenario(desired, json!({"minimumHealthyPercent": min_pct, "maximumPercent": max_pct}),
            "public.ecr.aws/nginx/nginx:1.27", timings);
        doc["seed"] = json!(seed);
        let mut sim = load(&doc);
        sim.run_until(update_at_s * 1000);
        // The bounds hold from a service at its desired count of healthy tasks: wait for that
        // (the 40-second wait of tasks started by CreateService may not be over yet).
        while counted_healthy(&sim) < desired {
            let t = sim.now() + 1000;
            sim.run_until(t);
        }
        update_to_v2(&mut sim);
        let end = sim.now() + 3_600_000;
        while let Some(t) = sim.next_event_time().filter(|t| *t <= end) {
            sim.run_until(t);
            let in_flight = running_or_pending(&sim);
            prop_assert!(in_flight <= max_t, "t={} {} tasks RUNNING or PENDING > max {}", t, in_flight, max_t);
            let healthy = counted_healthy(&sim);
            prop_assert!(healthy >= min_h, "t={} {} healthy < minimum {}", t, healthy, min_h);
            if primary_rollout(&sim) != RolloutState::InProgress {
                break;
            }
        }
        // Every deployment ends COMPLETED (nothing here fails).
        for d in &sim.state().services[0].deployments {
            prop_assert_eq!(d.rollout_state, RolloutState::Completed, "{} still {:?}", d.id, d.rollout_state);
        }
        prop_assert_eq!((running(&sim, 1), running(&sim, 2)), (0, desired));
    }
}
