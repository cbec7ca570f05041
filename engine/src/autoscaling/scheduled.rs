//! Scheduled actions: when they fire and what they do to a scalable target.
//!
//! Rules (Application Auto Scaling User Guide, "How scheduled scaling works"; API Reference,
//! PutScheduledAction):
//! - "A scheduled action sets the MinCapacity and MaxCapacity to what is specified by the scheduled
//!   action at the date and time specified. The request can optionally include only one of these sizes."
//! - "If current capacity is less than the specified minimum capacity, Application Auto Scaling scales
//!   out (increases capacity) to the specified minimum capacity. If current capacity is greater than the
//!   specified maximum capacity, Application Auto Scaling scales in (decreases capacity) to the specified
//!   maximum capacity."
//! - StartTime / EndTime: "The date and time for this scheduled action to start / end".
//! - Scaling activity text (DescribeScalingActivities example): Description "Setting min capacity to 5
//!   and max capacity to 10", Cause "scheduled action name my-second-scheduled-action was triggered".

use crate::schedule_expr::{ScheduleExpr, StartDate};
use crate::time::SimTime;

#[derive(Debug, Clone)]
pub struct ScheduledAction {
    pub name: String,
    pub resource_id: String,
    pub expr: ScheduleExpr,
    /// Simulated time of StartTime (0 when absent); also the anchor of `rate` schedules.
    pub start_time: SimTime,
    /// Simulated time of EndTime; `None` = never ends.
    pub end_time: Option<SimTime>,
    pub min: Option<u32>,
    pub max: Option<u32>,
    /// The next occurrence not yet run.
    pub next_due: Option<SimTime>,
}

impl ScheduledAction {
    /// The first occurrence at or after `t` within [StartTime, EndTime].
    pub fn occurrence_at_or_after(&self, start: StartDate, t: SimTime) -> Option<SimTime> {
        let from = t.max(self.start_time);
        let next = self.expr.next_at_or_after(start, self.start_time, from)?;
        match self.end_time {
            Some(end) if next > end => None,
            _ => Some(next),
        }
    }
}
