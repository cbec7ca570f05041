//! Simulated time. The engine never reads a wall clock: time is an integer count of simulated
//! milliseconds, advanced only by the event queue.

/// Simulated milliseconds since the scenario started.
pub type SimTime = u64;

pub const SECOND: SimTime = 1_000;
pub const MINUTE: SimTime = 60 * SECOND;
pub const HOUR: SimTime = 60 * MINUTE;
pub const DAY: SimTime = 24 * HOUR;

/// Seconds (as a scenario writes them, possibly fractional) to simulated milliseconds.
/// Negative and non-finite values clamp to zero; callers validate ranges before this.
pub fn from_secs_f64(s: f64) -> SimTime {
    if s.is_finite() && s > 0.0 {
        (s * 1000.0).round() as SimTime
    } else {
        0
    }
}

/// Simulated milliseconds to seconds, the unit of the `t` field in every output line.
pub fn to_secs_f64(t: SimTime) -> f64 {
    t as f64 / 1000.0
}
