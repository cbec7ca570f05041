//! SQS queues with a worker service: messages arrive at a rate, RUNNING worker tasks consume them,
//! and the queue's metrics feed a target tracking policy on backlog per task.
//!
//! ```json
//! "queues": [ {
//!   "QueueName": "jobs",
//!   "Attributes": { "VisibilityTimeout": "30" },
//!   "Workload": {
//!     "messagesPerSecond": { "type": "steps", "steps": [ { "at": 0, "value": 5 }, { "at": 600, "value": 60 } ] },
//!     "workerService": "worker",
//!     "secondsPerMessage": 0.5,
//!     "backlogPerTaskMetric": { "Namespace": "Playground/SQS", "MetricName": "BacklogPerTask" }
//!   }
//! } ]
//! ```
//! Rules implemented:
//! - "CloudWatch metrics for your Amazon SQS queues are automatically collected and pushed to
//!   CloudWatch at one-minute intervals": `AWS/SQS` ApproximateNumberOfMessagesVisible,
//!   NumberOfMessagesSent and NumberOfMessagesDeleted, dimension QueueName.
//! - The documented pattern for scaling workers on a queue (EC2 Auto Scaling User Guide, "Scaling
//!   policy based on Amazon SQS"): publish a custom metric "backlog per instance" =
//!   ApproximateNumberOfMessages / number of running workers, and target-track it with "acceptable
//!   backlog per instance = acceptable latency / average time to process a message". Here the
//!   workers are the service's RUNNING tasks, and the engine publishes that metric; the scenario's
//!   TargetTrackingScaling policy names it in CustomizedMetricSpecification.
//!
//! Modelling choices (not AWS rules): a task processes `1 / secondsPerMessage` messages a second
//! while RUNNING; messages are processed within the minute they are received (no visibility
//! timeout or in-flight state); with no running task the backlog per task is the whole backlog, so
//! a service at zero tasks can still scale out.

use super::Simulation;
use crate::error::{ApiError, ApiResult};
use crate::log::kind;
use crate::scenario::RatePattern;
use crate::time::MINUTE;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateQueue {
    pub queue_name: String,
    #[serde(default)]
    pub attributes: Option<Value>,
    #[serde(default)]
    pub tags: Option<Value>,
    pub workload: Workload,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Workload {
    pub messages_per_second: RatePattern,
    pub worker_service: String,
    /// Average time one task takes to process one message.
    pub seconds_per_message: f64,
    #[serde(default)]
    pub backlog_per_task_metric: Option<MetricId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct MetricId {
    pub namespace: String,
    pub metric_name: String,
}

pub use runtime::Queue;

/// A queue's run-time state, in its own module so that only its methods change it.
mod runtime {
    use super::CreateQueue;
    use crate::model::ServiceId;

    /// A queue at run time.
    #[derive(Debug, Clone)]
    pub struct Queue {
        spec: CreateQueue,
        worker: ServiceId,
        /// Messages waiting (fractional arrivals accumulate; metrics show whole messages).
        backlog: f64,
    }

    impl Queue {
        /// A new queue, empty, consumed by the worker service.
        pub fn new(spec: CreateQueue, worker: ServiceId) -> Self {
            Queue { spec, worker, backlog: 0.0 }
        }

        /// The queue as the scenario declared it.
        pub fn spec(&self) -> &CreateQueue {
            &self.spec
        }

        /// The service whose tasks consume the messages.
        pub fn worker(&self) -> ServiceId {
            self.worker
        }

        /// Messages waiting now (fractional).
        pub fn backlog(&self) -> f64 {
            self.backlog
        }

        /// One minute: `arrived` messages join the backlog and the workers consume up to
        /// `capacity`. Returns the messages processed.
        pub fn consume(&mut self, arrived: f64, capacity: f64) -> f64 {
            let available = self.backlog + arrived;
            let processed = available.min(capacity);
            self.backlog = (available - processed).max(0.0);
            processed
        }
    }
}

/// Backlog per task: visible messages over RUNNING workers (the whole backlog with none).
pub fn backlog_per_task(visible: f64, running: u32) -> f64 {
    visible / running.max(1) as f64
}

impl Simulation {
    /// Parse `queues` once services exist (the worker service must be one of them).
    pub(super) fn load_queues(&mut self) -> ApiResult<()> {
        let Some(v) = self.scenario.queues.clone() else { return Ok(()) };
        let specs: Vec<CreateQueue> = crate::error::deserialize_value("InvalidParameterException", "queues", &v)?;
        for (i, q) in specs.into_iter().enumerate() {
            let at = format!("queues[{i}]");
            // CreateQueue: "A queue name can have up to 80 characters. Valid values: alphanumeric
            // characters, hyphens (-), and underscores (_)."
            let n = &q.queue_name;
            if n.is_empty() || n.len() > 80 || !n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    format!("{at}.QueueName"),
                    "A queue name can have up to 80 characters: alphanumeric characters, hyphens and underscores.",
                ));
            }
            if self.queues.iter().any(|x| &x.spec().queue_name == n) {
                return Err(ApiError::invalid(format!("{at}.QueueName"), format!("Queue {n} is defined twice.")));
            }
            let w = &q.workload;
            let worker = self.state.service_by_name(&w.worker_service).ok_or_else(|| {
                ApiError::invalid(
                    format!("{at}.Workload.workerService"),
                    format!("\"{}\" is not a service of this scenario", w.worker_service),
                )
            })?;
            if !(w.seconds_per_message.is_finite() && w.seconds_per_message > 0.0 && w.seconds_per_message <= 86_400.0)
            {
                return Err(ApiError::invalid(
                    format!("{at}.Workload.secondsPerMessage"),
                    "must be greater than 0 and at most 86400",
                ));
            }
            w.messages_per_second.validate(&format!("{at}.Workload.messagesPerSecond"))?;
            self.queues.push(Queue::new(q, worker));
        }
        Ok(())
    }

    /// The minute that just ended: messages arrive, workers consume, metrics are published, and
    /// the worker service gets its backlog-per-task datapoint for auto scaling.
    pub(super) fn queues_tick(&mut self) {
        let now = self.now;
        let (from_s, to_s) = (now.saturating_sub(MINUTE) as f64 / 1000.0, now as f64 / 1000.0);
        for k in 0..self.queues.len() {
            let q = &self.queues[k];
            let running = self.state.running_count(q.worker());
            let arrived = q.spec().workload.messages_per_second.average(from_s, to_s) * 60.0;
            let capacity = running as f64 * 60.0 / q.spec().workload.seconds_per_message;
            let processed = self.queues[k].consume(arrived, capacity);
            let q = &self.queues[k];
            let backlog = q.backlog();
            let name = q.spec().queue_name.clone();
            let visible = backlog.floor();
            let per_task = backlog_per_task(visible, running);
            let custom = q.spec().workload.backlog_per_task_metric.clone();
            let worker = q.worker();
            let dims = json!({"QueueName": name});
            for (metric, value) in [
                ("ApproximateNumberOfMessagesVisible", visible),
                ("NumberOfMessagesSent", arrived.round()),
                ("NumberOfMessagesDeleted", processed.round()),
            ] {
                self.log.push(
                    now,
                    kind::METRIC,
                    json!({"namespace": "AWS/SQS", "metricName": metric, "dimensions": dims, "value": value, "unit": "Count", "period": 60}),
                );
            }
            if let Some(m) = custom {
                let value = (per_task * 100.0).round() / 100.0;
                self.log.push(
                    now,
                    kind::METRIC,
                    json!({"namespace": m.namespace, "metricName": m.metric_name, "dimensions": dims, "value": value, "unit": "None", "period": 60}),
                );
                let sm = &mut self.state.services[worker.idx()].metrics;
                sm.custom.insert(m.metric_name, value);
                sm.custom_at = Some(now);
            }
        }
    }

    /// Messages waiting in a queue now (for tests and the UI).
    pub fn queue_backlog(&self, name: &str) -> Option<f64> {
        self.queues.iter().find(|q| q.spec().queue_name == name).map(|q| q.backlog().floor())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backlog_per_task_divides_by_running_workers() {
        // "backlog per instance": 1,500 visible messages, 10 workers -> 150.
        assert_eq!(backlog_per_task(1500.0, 10), 150.0);
        assert_eq!(backlog_per_task(40.0, 0), 40.0, "no worker: the whole backlog");
    }
}
