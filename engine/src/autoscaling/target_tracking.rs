//! Target tracking: the two alarms Application Auto Scaling creates and the capacity it asks for.
//!
//! Rules:
//! - "Application Auto Scaling creates and manages the CloudWatch alarms that invoke the scaling
//!   policy and calculates the scaling adjustment based on the metric and the target value."
//!   (Application Auto Scaling User Guide, "How target tracking scaling works")
//! - "When the metric is above the target value, Application Auto Scaling scales out by adding
//!   capacity to reduce the difference between the metric value and the target value. When the
//!   metric is below the target value, Application Auto Scaling scales in by removing capacity."
//! - "the service scales out proportionally to the metric as fast as it can, but scales in more
//!   gradually." and "Service Auto Scaling always acts conservatively by rounding up or down when it
//!   determines how much capacity to add or remove. This prevents it from adding insufficient
//!   capacity or removing too much capacity." (Amazon ECS Developer Guide, target tracking
//!   considerations). The metric is assumed inversely proportional to capacity ("if you double the
//!   capacity, the metric decreases by 50 percent"), so the capacity that brings the metric to the
//!   target is `current * metric / target`, rounded UP in both directions: up adds enough on
//!   scale-out, and up removes no more than keeps the metric at or under the target on scale-in.
//! - The scale-in side only acts "when utilization reaches a threshold that is far enough below the
//!   target value (usually more than 10% lower)" (same guide). The alarms the console shows for ECS
//!   target tracking (e.g. `CPUUtilization > 50 for 3 datapoints within 3 minutes` and
//!   `CPUUtilization < 45 for 15 datapoints within 15 minutes`, `ALBRequestCountPerTarget > 1500` /
//!   `< 1350`) put the low threshold at 90% of the target and evaluate 3 and 15 one-minute
//!   datapoints. AWS does not document these numbers on a reference page; they are what the
//!   managed alarms read in the CloudWatch console, and the tests pin them.

use super::alarm::{AlarmSpec, Comparison, MissingData};

/// Datapoints (of 1 minute) the managed high alarm needs: "3 datapoints within 3 minutes".
pub const HIGH_DATAPOINTS: usize = 3;
/// Datapoints the managed low alarm needs: "15 datapoints within 15 minutes".
pub const LOW_DATAPOINTS: usize = 15;
/// The low alarm's threshold as a fraction of the target value (console: `< 45` for a target of 50).
pub const LOW_THRESHOLD_FRACTION: f64 = 0.9;

/// The metric name CloudWatch shows for a predefined metric type.
pub fn metric_name(predefined: &str) -> &'static str {
    match predefined {
        "ECSServiceAverageCPUUtilization" => "CPUUtilization",
        "ECSServiceAverageMemoryUtilization" => "MemoryUtilization",
        "ALBRequestCountPerTarget" => "RequestCountPerTarget",
        _ => "CustomMetric",
    }
}

/// `TargetTracking-<resource id>-AlarmHigh-<uuid>`, the name pattern of the managed alarms
/// (e.g. `TargetTracking-service/service-autoscaling/sample-webapp-AlarmLow-fcd80aef-...` in the
/// ECS tutorial). The uuid is derived from the policy so runs are reproducible.
pub fn alarm_name(resource_id: &str, policy_name: &str, high: bool) -> String {
    let which = if high { "AlarmHigh" } else { "AlarmLow" };
    let h = crate::log::fnv1a64(format!("{resource_id}/{policy_name}/{which}").as_bytes());
    let g = crate::log::fnv1a64(format!("{which}/{policy_name}/{resource_id}").as_bytes());
    format!("TargetTracking-{resource_id}-{which}-{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &g[0..4], &g[4..16])
}

pub fn high_alarm(name: String, metric: &str, target: f64) -> AlarmSpec {
    AlarmSpec {
        name,
        metric_name: metric.to_string(),
        threshold: target,
        comparison: Comparison::GreaterThanThreshold,
        evaluation_periods: HIGH_DATAPOINTS,
        datapoints_to_alarm: HIGH_DATAPOINTS,
        missing: MissingData::Missing,
    }
}

pub fn low_alarm(name: String, metric: &str, target: f64) -> AlarmSpec {
    AlarmSpec {
        name,
        metric_name: metric.to_string(),
        threshold: target * LOW_THRESHOLD_FRACTION,
        comparison: Comparison::LessThanThreshold,
        evaluation_periods: LOW_DATAPOINTS,
        datapoints_to_alarm: LOW_DATAPOINTS,
        missing: MissingData::Missing,
    }
}

/// The capacity that brings `metric` to `target` with `current` units: `ceil(current * metric / target)`.
/// Saturates instead of overflowing; a non-finite or non-positive input returns `current`.
pub fn proportional_capacity(current: u32, metric: f64, target: f64) -> u32 {
    if !(metric.is_finite() && target.is_finite()) || target <= 0.0 || metric < 0.0 {
        return current;
    }
    let want = (current as f64 * metric / target).ceil();
    if want >= u32::MAX as f64 {
        u32::MAX
    } else {
        want as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proportional_rounds_up_both_ways() {
        assert_eq!(proportional_capacity(2, 90.0, 50.0), 4, "ceil(2*90/50) = ceil(3.6)");
        assert_eq!(proportional_capacity(10, 20.0, 50.0), 4, "10 tasks at 20% -> 4 keeps 50%");
        assert_eq!(proportional_capacity(10, 21.0, 50.0), 5, "4.2 rounds up: never remove too much");
        assert_eq!(proportional_capacity(3, f64::NAN, 50.0), 3);
    }

    #[test]
    fn alarm_names_follow_the_managed_pattern() {
        let n = alarm_name("service/c/web", "cpu", true);
        assert!(n.starts_with("TargetTracking-service/c/web-AlarmHigh-"), "{n}");
        assert_eq!(n.len(), "TargetTracking-service/c/web-AlarmHigh-".len() + 36);
        assert_ne!(n, alarm_name("service/c/web", "cpu", false));
    }
}
