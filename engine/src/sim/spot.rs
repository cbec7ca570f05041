//! The `SpotInterruption` fault: AWS reclaims Fargate Spot capacity under running tasks.
//!
//! Rules implemented (Amazon ECS Developer Guide, "Amazon ECS clusters for Fargate", Fargate Spot
//! termination notices):
//! - "When tasks using Fargate Spot capacity are stopped because of a Spot interruption, a two-minute
//!   warning is sent before a task is stopped. The warning is sent as a task state change event to
//!   Amazon EventBridge and a SIGTERM signal to the running task." The event shows the task still
//!   RUNNING with `desiredStatus` STOPPED, `stopCode` SpotInterruption and `stoppedReason`
//!   "Your Spot Task was interrupted.".
//! - "When using Fargate Spot as part of a service, the service scheduler receives the interruption
//!   signal and attempts to launch additional tasks on Fargate Spot if capacity is available."
//!   Here the replacement follows the service's capacity provider strategy like any new task.
//! - The capacity is reclaimed two minutes after the warning: a task still not STOPPED then (for
//!   example one that ignores SIGTERM) is stopped at that moment.
//!
//! Input: `{"task": "<arn or id>"}` or `{"service": "web", "count": 2}` (its oldest RUNNING
//! FARGATE_SPOT tasks; count defaults to 1).

use super::Simulation;
use crate::command::SpotInput;
use crate::error::{ApiError, ApiResult};
use crate::model::{DesiredStatus, StopCode, Task, TaskId, TaskStatus};
use crate::time::{SimTime, SECOND};
use serde_json::{json, Value};

/// "a two-minute warning is sent before a task is stopped".
pub const SPOT_WARNING: SimTime = 120 * SECOND;
pub const SPOT_REASON: &str = "Your Spot Task was interrupted.";

impl Simulation {
    pub(super) fn spot_interruption(&mut self, inp: SpotInput) -> ApiResult<Value> {
        let is_spot = |t: &Task| {
            t.capacity_provider.as_deref() == Some("FARGATE_SPOT")
                && t.last_status == TaskStatus::Running
                && t.desired_status == DesiredStatus::Running
        };
        let ids: Vec<TaskId> = match (&inp.task, &inp.service) {
            (Some(r), None) => {
                let id = self
                    .state
                    .task_by_ref(r)
                    .ok_or_else(|| ApiError::invalid("task", format!("The referenced task was not found: {r}")))?;
                if !is_spot(&self.state.tasks[id.idx()]) {
                    return Err(ApiError::invalid("task", "The task is not a RUNNING FARGATE_SPOT task."));
                }
                vec![id]
            }
            (None, Some(name)) => {
                let s = self.service_named(name)?;
                let mut v: Vec<(Option<SimTime>, TaskId)> =
                    self.state.service_tasks(s).filter(|(_, t)| is_spot(t)).map(|(id, t)| (t.started_at, id)).collect();
                v.sort();
                let n = inp.count.unwrap_or(1) as usize;
                if v.is_empty() {
                    return Err(ApiError::invalid("service", "The service has no RUNNING FARGATE_SPOT task."));
                }
                v.into_iter().take(n).map(|x| x.1).collect()
            }
            _ => return Err(ApiError::invalid("input", "Give exactly one of task or service.")),
        };
        for id in &ids {
            self.warn_spot_task(*id);
        }
        Ok(json!({"tasks": ids.iter().map(|t| self.state.tasks[t.idx()].task_arn.clone()).collect::<Vec<_>>()}))
    }

    fn warn_spot_task(&mut self, id: TaskId) {
        // The warning: a task state change event while the task is still RUNNING.
        self.state.update_task(id, |t| {
            t.desired_status = DesiredStatus::Stopped;
            t.stop_code = Some(StopCode::SpotInterruption);
            t.stopped_reason = Some(SPOT_REASON.into());
        });
        self.touch_task(id);
        self.log_task_state_change(id);
        // SIGTERM goes out with the warning: the task stops now, its targets deregister.
        self.state.update_task(id, |t| t.desired_status = DesiredStatus::Running);
        self.touch_task(id);
        self.stop_task_lost(id, StopCode::SpotInterruption, SPOT_REASON.into());
        let at = self.now + SPOT_WARNING;
        self.schedule(at, super::queue::Event::SpotReclaim { task: id });
    }

    /// Two minutes after the warning the capacity is gone.
    pub(super) fn on_spot_reclaim(&mut self, id: TaskId) {
        let Some(t) = self.state.tasks.get_mut(id.idx()) else { return };
        if !t.is_live() {
            return;
        }
        t.generation += 1;
        self.complete_deregistration(id);
        self.finish_stop(id);
    }
}
