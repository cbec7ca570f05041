//! Lifecycle durations in simulated seconds. Defaults are plausible figures for a small image on
//! warm infrastructure; a scenario overrides any of them under `timings`.

use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Timings {
    /// EC2, awsvpc: attaching the task's ENI (PROVISIONING).
    pub eni_attach_seconds: f64,
    /// Fargate: finding capacity and attaching the ENI (PROVISIONING) - slower than EC2.
    pub fargate_provisioning_seconds: f64,
    /// Image pull (PENDING): a fixed part plus size / throughput.
    pub pull_base_seconds: f64,
    pub image_size_mb: f64,
    pub pull_mb_per_second: f64,
    /// Fargate has no image cache: every task pulls; EC2 instances cache pulled images.
    pub cached_pull_seconds: f64,
    /// Container start until the application listens.
    pub container_start_seconds: f64,
    /// ACTIVATING: registering with load balancers and service discovery.
    pub activating_seconds: f64,
    /// STOPPING: SIGTERM until the containers exit (bounded by stopTimeout, default 30 s).
    pub stopping_seconds: f64,
    /// DEPROVISIONING: detaching the ENI (awsvpc).
    pub deprovisioning_seconds: f64,
    /// How long after a change the service scheduler acts.
    pub scheduler_delay_seconds: f64,
    /// Random +/- fraction applied to provisioning and pull times.
    pub jitter: f64,
    /// An Auto Scaling group's new EC2 instance: boot until its ECS agent registers it.
    pub instance_launch_seconds: f64,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            eni_attach_seconds: 6.0,
            fargate_provisioning_seconds: 25.0,
            pull_base_seconds: 2.0,
            image_size_mb: 150.0,
            pull_mb_per_second: 50.0,
            cached_pull_seconds: 1.0,
            container_start_seconds: 2.0,
            activating_seconds: 1.0,
            stopping_seconds: 2.0,
            deprovisioning_seconds: 4.0,
            scheduler_delay_seconds: 1.0,
            jitter: 0.2,
            instance_launch_seconds: 90.0,
        }
    }
}

impl Timings {
    pub fn from_value(v: Option<&serde_json::Value>) -> ApiResult<Self> {
        let Some(v) = v else { return Ok(Timings::default()) };
        let t: Timings = crate::error::deserialize_value("ClientException", "timings", v)?;
        let fields = [
            ("eniAttachSeconds", t.eni_attach_seconds),
            ("fargateProvisioningSeconds", t.fargate_provisioning_seconds),
            ("pullBaseSeconds", t.pull_base_seconds),
            ("imageSizeMb", t.image_size_mb),
            ("cachedPullSeconds", t.cached_pull_seconds),
            ("containerStartSeconds", t.container_start_seconds),
            ("activatingSeconds", t.activating_seconds),
            ("stoppingSeconds", t.stopping_seconds),
            ("deprovisioningSeconds", t.deprovisioning_seconds),
            ("schedulerDelaySeconds", t.scheduler_delay_seconds),
            ("instanceLaunchSeconds", t.instance_launch_seconds),
        ];
        for (name, val) in fields {
            if !(val.is_finite() && (0.0..=86_400.0).contains(&val)) {
                return Err(ApiError::invalid(format!("timings.{name}"), "must be between 0 and 86400 seconds"));
            }
        }
        if !(t.pull_mb_per_second.is_finite() && t.pull_mb_per_second > 0.0) {
            return Err(ApiError::invalid("timings.pullMbPerSecond", "must be greater than 0"));
        }
        if !(0.0..=0.9).contains(&t.jitter) {
            return Err(ApiError::invalid("timings.jitter", "must be between 0 and 0.9"));
        }
        Ok(t)
    }
}
