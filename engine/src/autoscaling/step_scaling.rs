//! Step scaling: which step adjustment applies to a breach, and the capacity it asks for.
//!
//! Rules (Application Auto Scaling API Reference, StepAdjustment and StepScalingPolicyConfiguration;
//! User Guide, "Step scaling policies"):
//! - "MetricIntervalLowerBound: The lower bound for the difference between the alarm threshold and the
//!   CloudWatch metric. If the metric value is above the breach threshold, the lower bound is
//!   inclusive (the metric must be greater than or equal to the threshold plus the lower bound).
//!   Otherwise, it is exclusive (the metric must be greater than the threshold plus the lower bound).
//!   A null value indicates negative infinity."
//! - "MetricIntervalUpperBound: ... If the metric value is above the breach threshold, the upper bound
//!   is exclusive ... Otherwise, it is inclusive ... A null value indicates positive infinity. The
//!   upper bound must be greater than the lower bound."
//! - "The ranges of your step adjustments can't overlap or have a gap. At most one step adjustment can
//!   have a null lower bound. If one step adjustment has a negative lower bound, then there must be a
//!   step adjustment with a null lower bound. At most one step adjustment can have a null upper bound.
//!   If one step adjustment has a positive upper bound, then there must be a step adjustment with a
//!   null upper bound. The upper and lower bound can't be null in the same step adjustment."
//! - AdjustmentType: "ChangeInCapacity | PercentChangeInCapacity | ExactCapacity". For
//!   PercentChangeInCapacity, "If the resulting value is not an integer, Application Auto Scaling
//!   rounds it as follows: Values greater than 1 are rounded down. For example, 12.7 is rounded to 12.
//!   Values between 0 and 1 are rounded to 1. For example, .67 is rounded to 1. Values between 0 and
//!   -1 are rounded to -1. For example, -.58 is rounded to -1. Values less than -1 are rounded up. For
//!   example, -6.67 is rounded to -6."
//! - MinAdjustmentMagnitude: "The minimum value to scale by when the adjustment type is
//!   PercentChangeInCapacity. For example, suppose that you create a step scaling policy to scale out
//!   an Amazon ECS service by 25 percent and you specify a MinAdjustmentMagnitude of 2. If the service
//!   has 4 tasks and the scaling policy is performed, 25 percent of 4 is 1. However, because you
//!   specified a MinAdjustmentMagnitude of 2, Application Auto Scaling scales out the service by 2 tasks."
//! - ScalingAdjustment: "For exact capacity, you must specify a non-negative value."

use super::types::StepAdjustment;
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdjustmentType {
    ChangeInCapacity,
    PercentChangeInCapacity,
    ExactCapacity,
}

impl AdjustmentType {
    pub fn parse(s: Option<&str>, field: &str) -> ApiResult<AdjustmentType> {
        match s {
            Some("ChangeInCapacity") => Ok(AdjustmentType::ChangeInCapacity),
            Some("PercentChangeInCapacity") => Ok(AdjustmentType::PercentChangeInCapacity),
            Some("ExactCapacity") => Ok(AdjustmentType::ExactCapacity),
            Some(other) => Err(ApiError::new(
                "ValidationException",
                field,
                format!("AdjustmentType '{other}' must be ChangeInCapacity, PercentChangeInCapacity or ExactCapacity"),
            )),
            None => Err(ApiError::new(
                "ValidationException",
                field,
                "AdjustmentType is required if you are adding a new step scaling policy configuration",
            )),
        }
    }
}

/// Validate the step adjustments; errors name `<at>.StepAdjustments[i]...`.
pub fn validate_steps(at: &str, steps: &[StepAdjustment], kind: AdjustmentType) -> ApiResult<()> {
    let err = |field: String, m: String| Err(ApiError::new("ValidationException", field, m));
    if steps.is_empty() {
        return err(
            format!("{at}.StepAdjustments"),
            "At least one step adjustment is required if you are adding a new step scaling policy configuration".into(),
        );
    }
    let mut null_lower = 0;
    let mut null_upper = 0;
    for (i, s) in steps.iter().enumerate() {
        let f = format!("{at}.StepAdjustments[{i}]");
        for b in [s.metric_interval_lower_bound, s.metric_interval_upper_bound].into_iter().flatten() {
            if !b.is_finite() {
                return err(f, "step bounds must be finite numbers".into());
            }
        }
        match (s.metric_interval_lower_bound, s.metric_interval_upper_bound) {
            (None, None) => {
                return err(f, "The upper and lower bound can't be null in the same step adjustment".into());
            }
            (Some(l), Some(u)) if u <= l => {
                return err(
                    format!("{f}.MetricIntervalUpperBound"),
                    format!("The upper bound ({u}) must be greater than the lower bound ({l})"),
                );
            }
            _ => {}
        }
        null_lower += usize::from(s.metric_interval_lower_bound.is_none());
        null_upper += usize::from(s.metric_interval_upper_bound.is_none());
        if kind == AdjustmentType::ExactCapacity && s.scaling_adjustment < 0 {
            return err(
                format!("{f}.ScalingAdjustment"),
                "For exact capacity, you must specify a non-negative value".into(),
            );
        }
    }
    if null_lower > 1 {
        return err(format!("{at}.StepAdjustments"), "At most one step adjustment can have a null lower bound".into());
    }
    if null_upper > 1 {
        return err(format!("{at}.StepAdjustments"), "At most one step adjustment can have a null upper bound".into());
    }
    if null_lower == 0 && steps.iter().any(|s| s.metric_interval_lower_bound.is_some_and(|l| l < 0.0)) {
        return err(
            format!("{at}.StepAdjustments"),
            "If one step adjustment has a negative lower bound, then there must be a step adjustment with a null \
             lower bound"
                .into(),
        );
    }
    if null_upper == 0 && steps.iter().any(|s| s.metric_interval_upper_bound.is_some_and(|u| u > 0.0)) {
        return err(
            format!("{at}.StepAdjustments"),
            "If one step adjustment has a positive upper bound, then there must be a step adjustment with a null \
             upper bound"
                .into(),
        );
    }
    // No overlap, no gap: sorted by lower bound, each upper bound meets the next lower bound.
    let mut sorted: Vec<(f64, f64)> = steps
        .iter()
        .map(|s| {
            (
                s.metric_interval_lower_bound.unwrap_or(f64::NEG_INFINITY),
                s.metric_interval_upper_bound.unwrap_or(f64::INFINITY),
            )
        })
        .collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    for w in sorted.windows(2) {
        if let [a, b] = w {
            if a.1 != b.0 {
                return err(
                    format!("{at}.StepAdjustments"),
                    format!(
                        "The ranges of your step adjustments can't overlap or have a gap: one ends at {} and the next \
                         starts at {}",
                        a.1, b.0
                    ),
                );
            }
        }
    }
    Ok(())
}

/// The step adjustment for a metric value, given the alarm threshold and whether the alarm breaches
/// upward (Greater*: "metric above the breach threshold": lower bound inclusive, upper exclusive) or
/// downward (Less*: lower exclusive, upper inclusive).
pub fn select_step(steps: &[StepAdjustment], metric: f64, threshold: f64, upper: bool) -> Option<&StepAdjustment> {
    let diff = metric - threshold;
    steps.iter().find(|s| {
        let lo_ok = match s.metric_interval_lower_bound {
            None => true,
            Some(l) if upper => diff >= l,
            Some(l) => diff > l,
        };
        let hi_ok = match s.metric_interval_upper_bound {
            None => true,
            Some(u) if upper => diff < u,
            Some(u) => diff <= u,
        };
        lo_ok && hi_ok
    })
}

/// PercentChangeInCapacity rounding, as documented (12.7 -> 12, .67 -> 1, -.58 -> -1, -6.67 -> -6).
pub fn round_percent_change(v: f64) -> i64 {
    if !v.is_finite() || v == 0.0 {
        0
    } else if v > 0.0 && v < 1.0 {
        1
    } else if v < 0.0 && v > -1.0 {
        -1
    } else {
        v.trunc() as i64
    }
}

/// The capacity a step asks for from `base` units.
pub fn apply_adjustment(kind: AdjustmentType, base: u32, adjustment: i64, min_magnitude: Option<i64>) -> i64 {
    let base = base as i64;
    match kind {
        AdjustmentType::ChangeInCapacity => base.saturating_add(adjustment),
        AdjustmentType::ExactCapacity => adjustment,
        AdjustmentType::PercentChangeInCapacity => {
            let mut delta = round_percent_change(base as f64 * adjustment as f64 / 100.0);
            if let Some(m) = min_magnitude.filter(|m| *m > 0) {
                if delta != 0 && delta.abs() < m {
                    delta = delta.signum() * m;
                }
            }
            base.saturating_add(delta)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(l: Option<f64>, u: Option<f64>, a: i64) -> StepAdjustment {
        StepAdjustment { metric_interval_lower_bound: l, metric_interval_upper_bound: u, scaling_adjustment: a }
    }

    #[test]
    fn documented_rounding_examples() {
        assert_eq!(round_percent_change(12.7), 12);
        assert_eq!(round_percent_change(0.67), 1);
        assert_eq!(round_percent_change(-0.58), -1);
        assert_eq!(round_percent_change(-6.67), -6);
        // "If the current capacity is 10 and the adjustment is 10 percent ... adds 1 ... total of 11."
        assert_eq!(apply_adjustment(AdjustmentType::PercentChangeInCapacity, 10, 10, None), 11);
        // "25 percent of 4 is 1. However, because you specified a MinAdjustmentMagnitude of 2, ...
        // scales out the service by 2 tasks."
        assert_eq!(apply_adjustment(AdjustmentType::PercentChangeInCapacity, 4, 25, Some(2)), 6);
    }

    #[test]
    fn bound_inclusivity_follows_the_breach_direction() {
        // "To initiate the adjustment when the metric is greater than or equal to 50 and less than 60,
        // specify a lower bound of 0 and an upper bound of 10."
        let up = [step(Some(0.0), Some(10.0), 1), step(Some(10.0), None, 3)];
        assert_eq!(select_step(&up, 50.0, 50.0, true).map(|s| s.scaling_adjustment), Some(1));
        assert_eq!(select_step(&up, 60.0, 50.0, true).map(|s| s.scaling_adjustment), Some(3));
        // "when the metric is greater than 40 and less than or equal to 50, specify a lower bound of -10
        // and an upper bound of 0."
        let down = [step(Some(-10.0), Some(0.0), -1), step(None, Some(-10.0), -2)];
        assert_eq!(select_step(&down, 50.0, 50.0, false).map(|s| s.scaling_adjustment), Some(-1));
        assert_eq!(select_step(&down, 40.0, 50.0, false).map(|s| s.scaling_adjustment), Some(-2));
    }

    #[test]
    fn step_rules() {
        let k = AdjustmentType::ChangeInCapacity;
        assert!(validate_steps("p", &[step(Some(0.0), Some(10.0), 1), step(Some(10.0), None, 2)], k).is_ok());
        let gap = validate_steps("p", &[step(Some(0.0), Some(10.0), 1), step(Some(20.0), None, 2)], k);
        assert!(gap.expect_err("gap").message.contains("can't overlap or have a gap"));
        let both = validate_steps("p", &[step(None, None, 1)], k);
        assert!(both.expect_err("both null").message.contains("can't be null in the same step"));
        let no_top = validate_steps("p", &[step(Some(0.0), Some(10.0), 1)], k);
        assert!(no_top.expect_err("no null upper").message.contains("positive upper bound"));
        let exact = validate_steps("p", &[step(Some(0.0), None, -1)], AdjustmentType::ExactCapacity);
        assert_eq!(exact.expect_err("negative exact").field, "p.StepAdjustments[0].ScalingAdjustment");
    }
}
