//! Offered load and how the ALB routes it.
//!
//! Rules implemented (ALB user guide):
//! - "Each load balancer node routes requests only to the healthy targets in the enabled
//!   Availability Zones for the load balancer." Draining targets get no new requests: "Elastic Load
//!   Balancing stops sending requests to targets that are deregistering."
//! - Fail open: "If a target group contains only unhealthy registered targets, the load balancer
//!   routes requests to all those targets, regardless of their health status." With no healthy and
//!   no unhealthy target (nothing registered, or only `initial`/`draining` ones) the ALB answers
//!   503 (counted in `HTTPCode_ELB_5XX_Count`).
//! - `load_balancing.algorithm.type`: `round_robin` splits requests evenly. For
//!   `least_outstanding_requests` the playground gives each target a share proportional to its
//!   task's CPU (a task that serves requests faster keeps fewer outstanding): a modelling choice,
//!   equal to round robin for identical tasks.
//!
//! Routing is evaluated once per simulated minute with the targets' states at the end of the
//! minute, which is the resolution of the CloudWatch datapoints it feeds.
//!
//! What a request costs (a model, documented in `scenario::TargetGroupTraffic`): CPU
//! `cpuMsPerRequest` ms each (1,024 CPU units = 1,000 ms of CPU per second), memory
//! `baseMemoryMib` + in-flight requests (rate x `latencyMs`) x `memoryMibPerInFlightRequest`.
//! Utilization is capped at 100% (saturation; queueing and overload errors are not modelled).

use crate::error::{ApiError, ApiResult};
use crate::scenario::RatePattern;

impl RatePattern {
    /// Requests per second at simulated second `t`.
    pub fn rate_at(&self, t: f64) -> f64 {
        let r = match self {
            RatePattern::Constant { value } => *value,
            RatePattern::Steps { steps } => {
                steps.iter().filter(|s| s.at <= t).max_by(|a, b| a.at.total_cmp(&b.at)).map(|s| s.value).unwrap_or(0.0)
            }
            RatePattern::DailySine { min, max, peak_at_seconds } => {
                let phase = (t - peak_at_seconds) / 86_400.0 * std::f64::consts::TAU;
                min + (max - min) * (1.0 + det_cos(phase)) / 2.0
            }
            RatePattern::Spike { base, peak, at, duration_seconds } => {
                if t >= *at && t < at + duration_seconds {
                    *peak
                } else {
                    *base
                }
            }
            RatePattern::Ramp { from, to, at, duration_seconds } => {
                if t <= *at {
                    *from
                } else if *duration_seconds <= 0.0 || t >= at + duration_seconds {
                    *to
                } else {
                    from + (to - from) * (t - at) / duration_seconds
                }
            }
        };
        if r.is_finite() {
            r.max(0.0)
        } else {
            0.0
        }
    }

    /// Average rate over [from, to) seconds, sampled every 5 s.
    pub fn average(&self, from: f64, to: f64) -> f64 {
        let n = (((to - from) / 5.0).ceil() as u32).max(1);
        let step = (to - from) / n as f64;
        (0..n).map(|k| self.rate_at(from + step * (k as f64 + 0.5))).sum::<f64>() / n as f64
    }

    pub(crate) fn validate(&self, at: &str) -> ApiResult<()> {
        let ok = |v: f64| v.is_finite() && (0.0..=1e7).contains(&v);
        let fine = match self {
            RatePattern::Constant { value } => ok(*value),
            RatePattern::Steps { steps } => steps.iter().all(|s| ok(s.value) && s.at.is_finite() && s.at >= 0.0),
            RatePattern::DailySine { min, max, peak_at_seconds } => ok(*min) && ok(*max) && peak_at_seconds.is_finite(),
            RatePattern::Spike { base, peak, at, duration_seconds } => {
                ok(*base) && ok(*peak) && at.is_finite() && ok(*duration_seconds)
            }
            RatePattern::Ramp { from, to, at, duration_seconds } => {
                ok(*from) && ok(*to) && at.is_finite() && *at >= 0.0 && ok(*duration_seconds)
            }
        };
        if fine {
            Ok(())
        } else {
            Err(ApiError::invalid(
                at,
                "rates must be numbers between 0 and 10,000,000 requests per second and times must be seconds >= 0",
            ))
        }
    }
}

/// Cosine from + - * / only, so native and wasm builds give bit-identical results (the platform
/// `cos` may differ in the last bit between libms).
pub fn det_cos(x: f64) -> f64 {
    if !x.is_finite() {
        return 1.0;
    }
    let tau = std::f64::consts::TAU;
    let mut r = x - (x / tau).round() * tau; // [-pi, pi]
    let mut sign = 1.0;
    // cos(r) = -cos(pi - |r|): fold into [0, pi/2] for fast convergence.
    r = r.abs();
    if r > std::f64::consts::FRAC_PI_2 {
        r = std::f64::consts::PI - r;
        sign = -1.0;
    }
    let r2 = r * r;
    let (mut term, mut sum) = (1.0, 1.0);
    for k in 1..12u32 {
        let k = k as f64;
        term *= -r2 / ((2.0 * k - 1.0) * (2.0 * k));
        sum += term;
    }
    sign * sum
}

/// Split `requests` over targets with the given weights (equal weights for round robin).
pub fn split(requests: f64, weights: &[f64]) -> Vec<f64> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return vec![0.0; weights.len()];
    }
    weights.iter().map(|w| requests * w / total).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::RateStep;

    #[test]
    fn patterns() {
        let s =
            RatePattern::Steps { steps: vec![RateStep { at: 0.0, value: 10.0 }, RateStep { at: 60.0, value: 40.0 }] };
        assert_eq!(s.rate_at(30.0), 10.0);
        assert_eq!(s.rate_at(60.0), 40.0);
        assert_eq!(s.average(30.0, 90.0), 25.0);
        let d = RatePattern::DailySine { min: 0.0, max: 100.0, peak_at_seconds: 43_200.0 };
        assert!((d.rate_at(43_200.0) - 100.0).abs() < 1e-9);
        assert!(d.rate_at(0.0).abs() < 1e-9);
        let p = RatePattern::Spike { base: 1.0, peak: 9.0, at: 10.0, duration_seconds: 5.0 };
        assert_eq!((p.rate_at(9.0), p.rate_at(12.0), p.rate_at(15.0)), (1.0, 9.0, 1.0));
        let r = RatePattern::Ramp { from: 100.0, to: 400.0, at: 60.0, duration_seconds: 300.0 };
        assert_eq!(
            (r.rate_at(0.0), r.rate_at(60.0), r.rate_at(210.0), r.rate_at(360.0), r.rate_at(9e5)),
            (100.0, 100.0, 250.0, 400.0, 400.0)
        );
        let down = RatePattern::Ramp { from: 50.0, to: 10.0, at: 0.0, duration_seconds: 40.0 };
        assert_eq!(down.rate_at(10.0), 40.0);
        assert!(r.validate("x").is_ok());
        let bad = RatePattern::Ramp { from: -1.0, to: 1.0, at: 0.0, duration_seconds: 1.0 };
        assert!(bad.validate("x").is_err());
        assert_eq!(split(90.0, &[1.0, 2.0]), vec![30.0, 60.0]);
        for k in -40..40 {
            let x = k as f64 * 0.37;
            assert!((det_cos(x) - x.cos()).abs() < 1e-12, "{x}");
        }
    }
}
