//! Service Auto Scaling inside the simulation: ALB traffic drives the service's CPU, CloudWatch
//! datapoints feed the target tracking alarms, and scaling activities change the desired count.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::log::kind;

const SCENARIO: &str = include_str!("../../scenarios/autoscaling-target-tracking-cpu.json");

fn activities(sim: &ecs_sim::Simulation) -> Vec<(u64, String)> {
    sim.log()
        .entries()
        .iter()
        .filter(|e| e.detail_type == kind::SCALING_ACTIVITY)
        .map(|e| (e.t / 1000, e.detail["Description"].as_str().unwrap_or_default().to_string()))
        .collect()
}

/// "The scaling policy ... scales out after the CloudWatch alarm is in ALARM: 3 datapoints within
/// 3 minutes" (the high alarm target tracking creates), with new capacity proportional to
/// metric/target; "The scaling policy won't increase the desired capacity again unless either a
/// larger scale out is triggered or the cooldown period ends" (ScaleOutCooldown 300 s,
/// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html);
/// scale-in waits for the low alarm's 15 datapoints and is clamped at MinCapacity.
#[test]
fn target_tracking_scales_out_then_in() {
    let mut sim = ecs_sim::load(SCENARIO, None).expect("scenario loads");
    sim.run_until(5_400_000);
    let acts = activities(&sim);
    // Traffic steps up at 600 s: datapoints at 660, 720, 780 breach -> ALARM at 780.
    assert_eq!(acts.first(), Some(&(780, "Setting desired count to 4.".to_string())), "{acts:?}");
    // One minute later the 4 tasks run and are still above target: ceil(4 x 81 / 50) = 7 is a
    // larger scale-out, so it does not wait for the cooldown to end.
    assert_eq!(acts.get(1), Some(&(840, "Setting desired count to 7.".to_string())), "{acts:?}");
    // Traffic drops at 2400 s: 15 low datapoints (2460 .. 3300) -> scale in, clamped to min 2.
    assert_eq!(acts.get(2), Some(&(3300, "Setting desired count to 2.".to_string())), "{acts:?}");
    let svc = &sim.state().services[0];
    assert_eq!(svc.desired_count, 2);
    assert_eq!(sim.state().running_count(ecs_sim::model::ServiceId(0)), 2);
}

#[test]
fn scaling_target_must_name_a_service() {
    let mut v: serde_json::Value = serde_json::from_str(SCENARIO).expect("json");
    v["scaling"]["ScalableTargets"][0]["ResourceId"] = "service/demo/nope".into();
    v["scaling"]["ScalingPolicies"][0]["ResourceId"] = "service/demo/nope".into();
    let err = ecs_sim::load(&v.to_string(), None).expect_err("rejected");
    assert_eq!(err.field, "scaling.ScalableTargets[0].ResourceId", "{err}");
}
