//! Images that cannot be pulled. A scenario marks images as missing from their registry with
//! `missingImages`, and any image tagged `:does-not-exist` is missing too. Pulling one fails the
//! task the way the ECS agent reports it: stopCode `TaskFailedToStart` and a stoppedReason that
//! starts with "CannotPullContainerError" ("Amazon ECS stopped task error messages": "CannotPull
//! ContainerError ... The image was not found in the registry").

use super::Simulation;
use crate::model::TaskId;

/// The tag that always names a missing image.
pub const MISSING_TAG: &str = ":does-not-exist";

impl Simulation {
    /// The stoppedReason if one of the task's images is missing from its registry, else None.
    /// (`image_pull_failure` in health.rs combines this with `containerBehaviors.imagePullFails`.)
    pub(super) fn missing_image_failure(&self, id: TaskId) -> Option<String> {
        // With `ecrRepositories`, private ECR images resolve against the registry: a missing
        // repository or tag fails with the wording for the task's platform (sim/account.rs).
        if let Some(reason) = self.ecr_pull_failure(id) {
            return Some(reason);
        }
        let t = self.state.tasks.get(id.idx())?;
        let td = self.state.task_defs.get(&t.task_def)?;
        let image = td
            .containers()
            .iter()
            .map(|c| c.image.as_str())
            .find(|im| im.ends_with(MISSING_TAG) || self.scenario.missing_images.iter().any(|m| m == im))?;
        Some(format!(
            "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {image}: {image}: not found"
        ))
    }
}
