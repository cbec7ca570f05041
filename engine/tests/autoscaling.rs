//! Application Auto Scaling behaviour a user can check against the AWS docs. Each test quotes the
//! rule it pins. Scenarios come from `tests/fixtures/autoscaling/*.json`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::autoscaling::{AlarmState, AutoScaler, MetricDatapoints, ScalingOutput, ServiceInput};
use ecs_sim::schedule_expr::StartDate;
use ecs_sim::time::{HOUR, MINUTE};
use proptest::prelude::*;
use serde_json::{json, Value};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/autoscaling/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn scaler(v: &Value) -> AutoScaler {
    AutoScaler::from_scenario(Some(v), "demo", StartDate::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn input(rid: &str, desired: u32, d: MetricDatapoints) -> ServiceInput {
    ServiceInput {
        resource_id: rid.into(),
        current_desired: desired,
        measured_capacity: None,
        deployment_in_progress: false,
        datapoints: d,
    }
}

fn cpu(v: f64) -> MetricDatapoints {
    MetricDatapoints { cpu: Some(v), ..Default::default() }
}

/// Feed one datapoint per minute (minute k ends at k * 60 s), applying scaling activities to the
/// desired count. Returns (minute, from, to) of each activity and every output.
struct Run {
    scaler: AutoScaler,
    rid: String,
    desired: u32,
    minute: u64,
    activities: Vec<(u64, u32, u32)>,
    outputs: Vec<(u64, ScalingOutput)>,
    /// The RUNNING tasks the metric is measured on (None: the desired count).
    measured: Option<u32>,
}

impl Run {
    fn new(scaler: AutoScaler, rid: &str, desired: u32) -> Run {
        Run { scaler, rid: rid.into(), desired, minute: 0, activities: vec![], outputs: vec![], measured: None }
    }
    fn feed(&mut self, minutes: u64, d: MetricDatapoints) {
        for _ in 0..minutes {
            self.minute += 1;
            let mut inp = input(&self.rid, self.desired, d.clone());
            inp.measured_capacity = self.measured;
            for o in self.scaler.evaluate(self.minute * MINUTE, &[inp]) {
                if let ScalingOutput::ScalingActivity(a) = &o {
                    assert_eq!(a.from, self.desired);
                    self.desired = a.to;
                    self.activities.push((self.minute, a.from, a.to));
                }
                self.outputs.push((self.minute, o));
            }
        }
    }
}

const WEB: &str = "service/demo/web";

#[test]
fn target_tracking_scales_out_after_exactly_three_breaching_datapoints() {
    // Managed AlarmHigh: "CPUUtilization > 50 for 3 datapoints within 3 minutes" (CloudWatch console);
    // "the service scales out proportionally to the metric" (ECS Developer Guide):
    // 2 tasks at 90% with target 50 -> ceil(2 * 90 / 50) = 4.
    let mut r = Run::new(scaler(&fixture("target-tracking-cpu.json")), WEB, 2);
    r.feed(2, cpu(90.0));
    assert!(r.activities.is_empty(), "2 breaching datapoints are not enough");
    r.feed(1, cpu(90.0));
    assert_eq!(r.activities, vec![(3, 2, 4)]);
    let cause = r
        .outputs
        .iter()
        .find_map(|(_, o)| match o {
            ScalingOutput::ScalingActivity(a) => Some(a.cause.clone()),
            _ => None,
        })
        .expect("activity");
    // ECS tutorial: "Cause: monitor alarm TargetTracking-service/<cluster>/<service>-AlarmLow-<id> in
    // state ALARM triggered policy TargetTrackingPolicy".
    assert!(cause.starts_with("monitor alarm TargetTracking-service/demo/web-AlarmHigh-"), "{cause}");
    assert!(cause.ends_with(" in state ALARM triggered policy cpu50"), "{cause}");
    let change = r
        .outputs
        .iter()
        .find_map(|(m, o)| match o {
            ScalingOutput::AlarmStateChange(c) if c.new_state == AlarmState::Alarm => Some((*m, c.clone())),
            _ => None,
        })
        .expect("ALARM transition");
    assert_eq!(change.0, 3);
    assert_eq!(change.1.condition, "CPUUtilization > 50.0 for 3 datapoints within 3 minutes");
    assert!(change.1.reason.contains("3 out of the last 3 datapoints"), "{}", change.1.reason);
    assert!(change.1.reason.contains("were greater than the threshold (50.0)"), "{}", change.1.reason);
}

#[test]
fn target_tracking_scales_in_after_fifteen_low_datapoints_at_90_percent_of_target() {
    // Managed AlarmLow: "CPUUtilization < 45 for 15 datapoints within 15 minutes" for a target of 50;
    // scale in only "when utilization reaches a threshold that is far enough below the target value
    // (usually more than 10% lower)". 10 tasks at 20% -> ceil(10 * 20 / 50) = 4 (never removes so
    // much that the metric would exceed the target).
    let mut r = Run::new(scaler(&fixture("target-tracking-cpu.json")), WEB, 10);
    r.feed(14, cpu(20.0));
    assert!(r.activities.is_empty(), "14 low datapoints are not enough");
    r.feed(1, cpu(20.0));
    assert_eq!(r.activities, vec![(15, 10, 4)]);
    // 46% is below the target but not below 90% of it (45): no scale-in, however long it lasts.
    let mut r = Run::new(scaler(&fixture("target-tracking-cpu.json")), WEB, 10);
    r.feed(30, cpu(46.0));
    assert!(r.activities.is_empty());
}

#[test]
fn scale_out_cooldown_allows_only_a_larger_scale_out() {
    // "The scaling policy won't increase the desired capacity again unless either a larger scale out
    // is triggered or the cooldown period ends. While the cooldown period is in effect, the capacity
    // added by the initiating scale-out activity is calculated as part of the desired capacity for
    // the next scale-out activity." (ScaleOutCooldown = 300 s in the fixture)
    // https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html
    // The metric is measured on the RUNNING tasks (`measured_capacity`).
    let mut r = Run::new(scaler(&fixture("target-tracking-cpu.json")), WEB, 2);
    r.feed(3, cpu(90.0)); // 2 -> 4 at minute 3; the cooldown runs until minute 8
                          // Minutes 4-6: the 2 new tasks are still starting, 2 run at 90 %: ceil(2*90/50) = 4 is not
                          // larger than the desired 4 - no second scale-out for the same load.
    r.measured = Some(2);
    r.feed(3, cpu(90.0));
    assert_eq!(r.activities, vec![(3, 2, 4)]);
    // Minute 7: 4 tasks run at 100 %: ceil(4*100/50) = 8 > 4, a larger scale-out goes through
    // without waiting for the cooldown to end.
    r.measured = Some(4);
    r.feed(1, cpu(100.0));
    assert_eq!(r.activities.last(), Some(&(7, 4, 8)));
    // The cooldown restarted at minute 7 (until minute 12). 8 tasks run at 60 %: 10 is larger
    // than 8, so it goes through in the cooldown too, clamped at MaxCapacity.
    r.measured = Some(8);
    r.feed(1, cpu(60.0));
    assert_eq!(r.activities.last(), Some(&(8, 8, 10)));
}

#[test]
fn scale_in_cooldown_blocks_scale_in_but_not_scale_out() {
    // "scale-in activities are blocked until the cooldown period has expired. However, if another
    // alarm triggers a scale-out activity during the scale-in cooldown period, Application Auto
    // Scaling scales out the target immediately."
    let mut r = Run::new(scaler(&fixture("target-tracking-cpu.json")), WEB, 10);
    r.feed(15, cpu(30.0)); // 10 -> 6 at minute 15
    assert_eq!(r.activities, vec![(15, 10, 6)]);
    r.feed(4, cpu(30.0)); // low alarm still in ALARM; scale-in blocked by the 300 s cooldown
    assert_eq!(r.activities.len(), 1);
    r.feed(1, cpu(30.0)); // minute 20: cooldown over, ceil(6*30/50) = 4
    assert_eq!(r.activities.last(), Some(&(20, 6, 4)));
    r.feed(3, cpu(100.0)); // scale-out during the scale-in cooldown happens at once
    assert_eq!(r.activities.last(), Some(&(23, 4, 8)));
}

#[test]
fn insufficient_data_means_no_scaling() {
    // "A target tracking scaling policy does not perform scaling when the specified metric has
    // insufficient data. It does not perform scale in because it does not interpret insufficient
    // data as low utilization." CloudWatch: "missing – If all data points in the alarm evaluation
    // range are missing, the alarm transitions to INSUFFICIENT_DATA."
    let mut r = Run::new(scaler(&fixture("target-tracking-cpu.json")), WEB, 4);
    r.feed(3, cpu(90.0));
    assert_eq!(r.activities, vec![(3, 4, 8)]);
    r.feed(30, MetricDatapoints::default());
    assert_eq!(r.activities.len(), 1, "no scale-in on missing data");
    // The high alarm's 3-minute range is entirely missing from minute 6.
    let to_insufficient = r.outputs.iter().any(|(m, o)| {
        matches!(o, ScalingOutput::AlarmStateChange(c) if *m == 6 && c.alarm_name.contains("AlarmHigh")
            && c.new_state == AlarmState::InsufficientData && c.reason == "Insufficient Data: 3 datapoints were unknown.")
    });
    assert!(to_insufficient, "{:#?}", r.outputs);
    // "When this operation creates an alarm, the alarm state is immediately set to INSUFFICIENT_DATA."
    let fresh = scaler(&fixture("target-tracking-cpu.json"));
    assert!(fresh.alarm_states(WEB).iter().all(|(_, s)| *s == AlarmState::InsufficientData));
}

#[test]
fn disable_scale_in_never_removes_tasks() {
    // "If the value is true, scale in is disabled and the target tracking scaling policy won't remove
    // capacity from the scalable target." (DisableScaleIn). ALBRequestCountPerTarget: "specify the
    // target utilization as the optimal average request count per target during any one-minute interval".
    let s = scaler(&fixture("request-count-per-target.json"));
    assert_eq!(s.alarm_states(WEB).len(), 1, "only the scale-out alarm is created");
    let mut r = Run::new(s, WEB, 4);
    let rpt = |v: f64| MetricDatapoints { request_count_per_target: Some(v), ..Default::default() };
    r.feed(3, rpt(2400.0)); // ceil(4 * 2400 / 1500) = 7
    assert_eq!(r.activities, vec![(3, 4, 7)]);
    r.feed(60, rpt(10.0));
    assert_eq!(r.activities.len(), 1);
}

#[test]
fn capacity_is_clamped_to_min_and_max() {
    // RegisterScalableTarget: MaxCapacity is "the maximum value that you plan to scale out to",
    // MinCapacity "the minimum value that you plan to scale in to". 4 tasks at 100% with target 50
    // wants 8, but MaxCapacity is 10 ... 6 tasks at 100% want 12 -> 10.
    let mut r = Run::new(scaler(&fixture("target-tracking-cpu.json")), WEB, 6);
    r.feed(3, cpu(100.0));
    assert_eq!(r.activities, vec![(3, 6, 10)]);
    r.feed(10, cpu(100.0));
    assert_eq!(r.activities.len(), 1, "already at MaxCapacity: no further activity");
    let mut r = Run::new(scaler(&fixture("target-tracking-cpu.json")), WEB, 3);
    r.feed(15, cpu(1.0)); // ceil(3 * 1 / 50) = 1 = MinCapacity
    assert_eq!(r.activities, vec![(15, 3, 1)]);
}

#[test]
fn scale_in_is_disabled_during_deployments() {
    // "Application Auto Scaling disables scale-in processes while Amazon ECS deployments are in
    // progress. However, scale-out processes continue to occur, unless suspended, during a deployment."
    let mut s = scaler(&fixture("target-tracking-cpu.json"));
    let mut desired = 10;
    for m in 1..=20 {
        let mut i = input(WEB, desired, cpu(10.0));
        i.deployment_in_progress = true;
        for o in s.evaluate(m * MINUTE, &[i]) {
            if let ScalingOutput::ScalingActivity(a) = o {
                desired = a.to;
            }
        }
    }
    assert_eq!(desired, 10);
}

#[test]
fn step_scaling_picks_the_step_for_the_breach_size() {
    // StepAdjustment: "If the metric value is above the breach threshold, the lower bound is inclusive
    // ... the upper bound is exclusive". Threshold 60, steps [0,10) +1, [10,20) +2, [20,inf) +4;
    // the alarm is 2 of 2 datapoints (PutMetricAlarm EvaluationPeriods / DatapointsToAlarm).
    let rid = "service/demo/worker";
    let mut r = Run::new(scaler(&fixture("step-scaling.json")), rid, 2);
    r.feed(2, cpu(65.0));
    assert_eq!(r.activities, vec![(2, 2, 3)], "60 <= 65 < 70: +1");
    // Within the 120 s cooldown: "If the alarm triggers again during the cooldown period but at a more
    // aggressive step adjustment of 3, the previous increase of 2 is considered part of the current
    // capacity." Here 70 -> step +2 from the pre-cooldown base of 2 = 4 > 3: adds 1 more.
    r.feed(1, cpu(70.0));
    assert_eq!(r.activities.last(), Some(&(3, 3, 4)));
    // Minute 4: 80 - 60 = 20 -> +4 from the same base of 2 = 6 > 4: larger again, so it applies.
    r.feed(1, cpu(80.0));
    assert_eq!(r.activities.last(), Some(&(4, 4, 6)));
    // Minute 5: still cooling (restarted at minute 4): 2 + 4 = 6 is not larger. Minute 6: cooldown
    // over, the base is the current 6: 6 + 4 = 10.
    r.feed(1, cpu(80.0));
    assert_eq!(r.activities.len(), 3);
    r.feed(1, cpu(80.0));
    assert_eq!(r.activities.last(), Some(&(6, 6, 10)));
}

#[test]
fn step_scaling_percent_change_uses_min_adjustment_magnitude() {
    // PercentChangeInCapacity -25% with MinAdjustmentMagnitude 2: 8 tasks -> 25% of 8 = 2 -> 6;
    // 6 tasks -> 1.5 rounds to -1 ("Values less than -1 are rounded up"; -1.5 -> -1), then
    // MinAdjustmentMagnitude 2 makes it -2 -> 4. Low alarm: CPU <= 20 for 5 of 5 datapoints.
    let rid = "service/demo/worker";
    let mut r = Run::new(scaler(&fixture("step-scaling.json")), rid, 8);
    r.feed(5, cpu(10.0));
    assert_eq!(r.activities, vec![(5, 8, 6)]);
    r.feed(5, cpu(10.0)); // 300 s cooldown: next scale-in at minute 10
    assert_eq!(r.activities.last(), Some(&(10, 6, 4)));
}

#[test]
fn exact_capacity_and_change_in_capacity() {
    // AdjustmentType "ExactCapacity" sets the capacity to the adjustment; "ChangeInCapacity" adds it.
    let mut v = fixture("step-scaling.json");
    v["ScalingPolicies"][0]["StepScalingPolicyConfiguration"]["AdjustmentType"] = json!("ExactCapacity");
    let mut r = Run::new(scaler(&v), "service/demo/worker", 2);
    r.feed(2, cpu(95.0)); // 95 - 60 = 35 -> step "4": exactly 4 tasks
    assert_eq!(r.activities, vec![(2, 2, 4)]);
}

#[test]
fn scheduled_actions_set_min_max_and_move_capacity_into_range() {
    // "If current capacity is less than the specified minimum capacity, Application Auto Scaling
    // scales out ... to the specified minimum capacity. If current capacity is greater than the
    // specified maximum capacity, Application Auto Scaling scales in ... to the specified maximum."
    let mut s = scaler(&fixture("scheduled.json"));
    assert_eq!(s.next_scheduled(0), Some(10 * MINUTE), "at(2026-01-05T00:10:00)");
    let out = s.run_scheduled(10 * MINUTE, &[input(WEB, 2, MetricDatapoints::default())]);
    assert_eq!(s.capacity_range(WEB), Some((6, 12)));
    let act = out.iter().find_map(|o| match o {
        ScalingOutput::ScalingActivity(a) => Some(a.clone()),
        _ => None,
    });
    let act = act.expect("scale out to the new minimum");
    assert_eq!((act.from, act.to), (2, 6));
    // DescribeScalingActivities example: "Cause": "scheduled action name ... was triggered".
    assert_eq!(act.cause, "scheduled action name launch-day was triggered");
    let (kind, detail) = out[0].log_detail(s.start(), 10 * MINUTE);
    assert_eq!(kind, "ScalingActivity");
    assert_eq!(detail["Description"], "Setting min capacity to 6 and max capacity to 12");

    // rate(5 hours) from StartTime: 05:00 sets only MinCapacity 2 ("You can set both values or just one").
    assert_eq!(s.next_scheduled(10 * MINUTE), Some(5 * HOUR));
    let out = s.run_scheduled(5 * HOUR, &[input(WEB, 7, MetricDatapoints::default())]);
    assert_eq!(s.capacity_range(WEB), Some((2, 12)));
    assert!(!out.iter().any(|o| matches!(o, ScalingOutput::ScalingActivity(_))), "7 is inside [2, 12]");
    assert_eq!(s.next_scheduled(5 * HOUR), Some(10 * HOUR));
    s.run_scheduled(15 * HOUR, &[]); // 10:00 and 15:00 overdue: the action runs once
    assert_eq!(s.next_scheduled(15 * HOUR), Some(18 * HOUR));

    // cron(0 18 ? * MON-FRI *): Monday 18:00 sets [1, 3]; 7 tasks scale in to 3.
    let out = s.run_scheduled(18 * HOUR, &[input(WEB, 7, MetricDatapoints::default())]);
    assert_eq!(s.capacity_range(WEB), Some((1, 3)));
    assert!(out.iter().any(|o| matches!(o, ScalingOutput::ScalingActivity(a) if a.from == 7 && a.to == 3)));
    // rate at 20:00 raises the minimum to 2; its 25:00 occurrence is after EndTime 2026-01-06T00:00.
    assert_eq!(s.next_scheduled(18 * HOUR), Some(20 * HOUR));
    s.run_scheduled(20 * HOUR, &[]);
    assert_eq!(s.capacity_range(WEB), Some((2, 3)));
    assert_eq!(s.next_scheduled(20 * HOUR), Some(42 * HOUR), "next: Tuesday 18:00");
}

#[test]
fn validation_errors_name_the_field() {
    let base = fixture("target-tracking-cpu.json");
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            {
                let mut v = base.clone();
                v["ScalingPolicies"][0]["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] = json!(0);
                v
            },
            "scaling.ScalingPolicies[0].TargetTrackingScalingPolicyConfiguration.TargetValue",
            "ValidationException",
        ),
        (
            {
                let mut v = base.clone();
                v["ScalingPolicies"][0]["ResourceId"] = json!("service/demo/api");
                v
            },
            "scaling.ScalingPolicies[0].ResourceId",
            "ObjectNotFoundException",
        ),
        (
            {
                let mut v = base.clone();
                v["ScalableTargets"][0]["ResourceId"] = json!("demo/web");
                v
            },
            "scaling.ScalableTargets[0].ResourceId",
            "ValidationException",
        ),
        (
            {
                let mut v = base.clone();
                v["ScalableTargets"][0]["MinCapacity"] = json!(11);
                v
            },
            "scaling.ScalableTargets[0].MinCapacity",
            "ValidationException",
        ),
        (
            {
                let mut v = base.clone();
                v["ScalingPolicies"][0]["Bogus"] = json!(1);
                v
            },
            "scaling.ScalingPolicies[0].Bogus",
            "ValidationException",
        ),
        (
            {
                let mut v = base.clone();
                v["ScalingPolicies"][0]["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"]
                    ["PredefinedMetricType"] = json!("ALBRequestCountPerTarget");
                v
            },
            "scaling.ScalingPolicies[0].TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.ResourceLabel",
            "ValidationException",
        ),
    ];
    for (v, field, exception) in cases {
        let err = AutoScaler::from_scenario(Some(&v), "demo", StartDate::default()).expect_err(field);
        assert_eq!(err.field, field, "{err}");
        assert_eq!(err.exception, exception, "{err}");
    }

    let mut v = fixture("scheduled.json");
    v["ScheduledActions"][1]["Schedule"] = json!("cron(0 25 ? * MON-FRI *)");
    let err = AutoScaler::from_scenario(Some(&v), "demo", StartDate::default()).expect_err("bad cron");
    assert_eq!(err.field, "scaling.ScheduledActions[1].Schedule");
    assert!(err.message.contains("Hours field '25'"), "{err}");

    let mut v = fixture("step-scaling.json");
    v["Alarms"][0]["DatapointsToAlarm"] = json!(3);
    let err = AutoScaler::from_scenario(Some(&v), "demo", StartDate::default()).expect_err("M > N");
    assert_eq!((err.field.as_str(), err.exception), ("scaling.Alarms[0].DatapointsToAlarm", "InvalidParameterValue"));

    let mut v = fixture("step-scaling.json");
    v["ScalingPolicies"][0]["StepScalingPolicyConfiguration"]["StepAdjustments"][1]["MetricIntervalLowerBound"] =
        json!(12);
    let err = AutoScaler::from_scenario(Some(&v), "demo", StartDate::default()).expect_err("gap");
    assert_eq!(err.field, "scaling.ScalingPolicies[0].StepScalingPolicyConfiguration.StepAdjustments");
    assert!(err.message.contains("can't overlap or have a gap"), "{err}");
}

#[test]
fn no_scaling_section_is_fine() {
    let mut s = AutoScaler::from_scenario(None, "demo", StartDate::default()).expect("ok");
    assert_eq!(s.next_scheduled(0), None);
    assert!(s.evaluate(MINUTE, &[input(WEB, 3, cpu(99.0))]).is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Whatever the metrics, the desired count any policy sets stays within [MinCapacity, MaxCapacity].
    #[test]
    fn desired_count_stays_within_min_max(
        start in 1u32..=10,
        series in proptest::collection::vec(proptest::option::of(0.0f64..400.0), 1..80),
        which in 0usize..2,
    ) {
        let (file, rid, lo, hi) = if which == 0 {
            ("target-tracking-cpu.json", WEB, 1, 10)
        } else {
            ("step-scaling.json", "service/demo/worker", 1, 30)
        };
        let mut s = scaler(&fixture(file));
        let mut desired = start;
        for (m, v) in series.iter().enumerate() {
            let d = MetricDatapoints { cpu: *v, ..Default::default() };
            for o in s.evaluate((m as u64 + 1) * MINUTE, &[input(rid, desired, d)]) {
                if let ScalingOutput::ScalingActivity(a) = o {
                    prop_assert!(a.to >= lo && a.to <= hi, "{} -> {}", a.from, a.to);
                    desired = a.to;
                }
            }
        }
    }
}
