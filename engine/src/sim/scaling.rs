//! Service Auto Scaling wired into the simulation: once per simulated minute, after the minute's
//! CloudWatch datapoints exist (`metrics_tick`), the Application Auto Scaling model
//! (`crate::autoscaling`) evaluates its alarms and policies, and each scaling activity becomes a new
//! desired count for the service scheduler - as in AWS, where Application Auto Scaling calls
//! UpdateService on the service's `ecs:service:DesiredCount`. Scheduled actions that fall between
//! minutes get their own queue event, so they fire at their exact time.

use super::queue::Event;
use super::Simulation;
use crate::autoscaling::{MetricDatapoints, ScalingOutput, ServiceInput};
use crate::model::ServiceId;

impl Simulation {
    /// The scalable-target resource id of a service: `service/<cluster>/<service>`.
    fn resource_id(&self, s: ServiceId) -> String {
        format!("service/{}/{}", self.state.cluster_name, self.state.services[s.idx()].service_name)
    }

    /// Set a service's desired count (UpdateService `desiredCount`, or a scaling activity).
    pub(super) fn set_desired_count(&mut self, s: ServiceId, d: u32) {
        let now = self.now;
        let svc = &mut self.state.services[s.idx()];
        svc.desired_count = d;
        svc.spec.desired_count = Some(d);
        svc.steady = false;
        svc.deployments.set_primary_desired_count(d, now);
        self.request_reconcile(s);
    }

    fn scaling_inputs(&self) -> Vec<ServiceInput> {
        (0..self.state.services.len())
            .map(|i| {
                let s = ServiceId(i as u32);
                let svc = &self.state.services[i];
                // Datapoints only if this minute produced them; otherwise CloudWatch has no data.
                let fresh = svc.metrics.at == Some(self.now);
                let pick = |v: Option<f64>| if fresh { v } else { None };
                ServiceInput {
                    resource_id: self.resource_id(s),
                    current_desired: svc.desired_count,
                    // The utilization metrics average over the tasks that run.
                    measured_capacity: Some(self.state.running_count(s)),
                    // "Application Auto Scaling disables scale-in processes while Amazon ECS
                    // deployments are in progress": a deployment is in progress while more than
                    // one deployment is live and the primary one is IN_PROGRESS.
                    deployment_in_progress: svc.deployments.not_inactive().count() > 1,
                    datapoints: MetricDatapoints {
                        cpu: pick(svc.metrics.cpu_utilization),
                        memory: pick(svc.metrics.memory_utilization),
                        request_count_per_target: pick(svc.metrics.request_count_per_target),
                        custom: if svc.metrics.custom_at == Some(self.now) {
                            svc.metrics.custom.clone()
                        } else {
                            Default::default()
                        },
                    },
                }
            })
            .collect()
    }

    /// Called at the end of every metrics minute.
    pub(super) fn autoscale_tick(&mut self) {
        if self.autoscaler.is_empty() {
            return;
        }
        let inputs = self.scaling_inputs();
        let outputs = self.autoscaler.evaluate(self.now, &inputs);
        self.apply_scaling_outputs(outputs);
    }

    /// A scheduled action's time came (between metric minutes).
    pub(super) fn on_scheduled_scaling(&mut self) {
        let inputs = self.scaling_inputs();
        let outputs = self.autoscaler.run_scheduled(self.now, &inputs);
        self.apply_scaling_outputs(outputs);
        self.queue_next_scheduled_scaling();
    }

    pub(super) fn queue_next_scheduled_scaling(&mut self) {
        if let Some(t) = self.autoscaler.next_scheduled(self.now) {
            if t > self.now {
                self.schedule(t, Event::ScheduledScaling);
            }
        }
    }

    fn apply_scaling_outputs(&mut self, outputs: Vec<ScalingOutput>) {
        for o in outputs {
            let (detail_type, detail) = o.log_detail(self.autoscaler.start(), self.now);
            self.log.push(self.now, detail_type, detail);
            if let ScalingOutput::ScalingActivity(a) = &o {
                let name = a.resource_id.rsplit('/').next().unwrap_or_default();
                if let Some(s) = self.state.service_by_name(name) {
                    if self.state.services[s.idx()].desired_count != a.to {
                        self.set_desired_count(s, a.to);
                    }
                }
            }
        }
    }
}
