//! The discrete-event queue: events ordered by (time, insertion sequence), so two events at the
//! same simulated millisecond always run in the order they were scheduled.

use crate::model::{ServiceId, TargetGroupId, TaskId};
use crate::time::SimTime;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Run entry N of the scenario's timeline.
    Timeline(u32),
    /// Move a task to its next lifecycle state, if its generation still matches.
    TaskAdvance { task: TaskId, generation: u32 },
    /// Run the service scheduler for one service.
    Reconcile(ServiceId),
    /// A task's container health status changes (if its health generation still matches).
    ContainerHealth { task: TaskId, generation: u32 },
    /// A container of a task exits on its own (scenario `containerBehaviors.exitAfterSeconds`).
    ContainerExit { task: TaskId, container: u32, generation: u32 },
    /// The load balancer health-checks every registered target of a target group.
    TargetGroupHealthCheck(TargetGroupId),
    /// The deregistration delay of a task's draining targets has elapsed.
    DeregistrationComplete { task: TaskId },
    /// One simulated minute has passed: route traffic and emit CloudWatch datapoints.
    MetricsTick,
    /// An Application Auto Scaling scheduled action is due.
    ScheduledScaling,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Scheduled {
    at: SimTime,
    seq: u64,
    event: Event,
}

impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap is a max-heap: reverse so the earliest (then first-scheduled) pops first.
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Debug, Clone, Default)]
pub struct EventQueue {
    heap: BinaryHeap<Scheduled>,
    seq: u64,
}

impl EventQueue {
    pub fn push(&mut self, at: SimTime, event: Event) {
        self.seq += 1;
        self.heap.push(Scheduled { at, seq: self.seq, event });
    }
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|s| s.at)
    }
    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        self.heap.pop().map(|s| (s.at, s.event))
    }
    pub fn len(&self) -> usize {
        self.heap.len()
    }
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_then_insertion_order() {
        let mut q = EventQueue::default();
        q.push(5, Event::Timeline(1));
        q.push(1, Event::Timeline(2));
        q.push(5, Event::Timeline(3));
        assert_eq!(q.pop(), Some((1, Event::Timeline(2))));
        assert_eq!(q.pop(), Some((5, Event::Timeline(1))));
        assert_eq!(q.pop(), Some((5, Event::Timeline(3))));
        assert_eq!(q.pop(), None);
    }
}
