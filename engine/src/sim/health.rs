//! Task health as the service scheduler sees it.
//!
//! PROVISIONAL (issue 5 branch): the issue-4 branch owns this file and defines `task_is_healthy` as
//! "RUNNING and passing container health checks and healthy in every target group of its
//! service". Until that lands, a task is healthy when its `lastStatus` is RUNNING and its
//! `healthStatus` is not UNHEALTHY; the target group part comes from issue 4.

use super::*;

impl Simulation {
    /// Whether a task is healthy for the service scheduler (see the module comment).
    pub(super) fn task_is_healthy(&self, id: TaskId) -> bool {
        self.state
            .tasks
            .get(id.idx())
            .is_some_and(|t| t.last_status == TaskStatus::Running && t.health_status != HealthStatus::Unhealthy)
    }
}
