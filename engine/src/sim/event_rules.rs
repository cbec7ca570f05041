//! EventBridge rules in the running simulation: scheduled rules fire at their `rate`/`cron`
//! times, `PutObject` emits the S3 "Object Created" event, and every enabled rule whose pattern
//! matches runs its ECS targets with RunTask (logged like the CloudTrail record of the call).
//!
//! Rules implemented:
//! - "You can create rules that run on a schedule ... using cron or rate expressions"; all
//!   scheduled rules use UTC (EventBridge User Guide, "Creating a rule that runs on a schedule").
//!   A `rate` rule's first run is one period after the rule is created (here: simulated time 0).
//! - Scheduled rules send a "Scheduled Event" (`source` aws.events, `resources` the rule ARN).
//! - "Amazon ECS tasks as targets": EventBridge calls RunTask with the target's EcsParameters
//!   (TaskDefinitionArn, TaskCount, LaunchType, NetworkConfiguration); tasks it starts show
//!   `startedBy` `events-rule/<rule name>`.
//! - S3 sends "Object Created" events for PutObject to EventBridge when the bucket has EventBridge
//!   notifications enabled; the event detail carries `bucket.name`, `object.key`, `object.size`,
//!   `object.etag` and `reason` "PutObject" (S3 User Guide, "EventBridge event message structure").
//! - A standalone task that finishes its work exits with code 0 (scenario `containerBehaviors`
//!   `exitAfterSeconds` / `exitCode` 0) and stops with stopCode EssentialContainerExited.
//!
//! - Amazon ECS sends task state changes to EventBridge ("Amazon ECS task state change events",
//!   `source` aws.ecs, `detail-type` "ECS Task State Change", `detail` the task as describe-tasks
//!   shows it). A rule whose event pattern matches one (for example
//!   `{"source": ["aws.ecs"], "detail-type": ["ECS Task State Change"], "detail": {"lastStatus":
//!   ["STOPPED"]}}`, the "notify me when a task stops" rule of the ECS Developer Guide) sends it
//!   to its Amazon SNS topic targets: logged as "SnsNotification" with the topic, the rule and the
//!   event, which SNS delivers to the topic's subscribers (delivery itself is not simulated).
//!   ECS targets run on scheduled and S3 events only here.
//!
//! `PutObject` input: `{"bucket": "uploads", "key": "incoming/report.csv", "size": 1024}`.

use super::queue::Event;
use super::Simulation;
use crate::aws::ACCOUNT_ID;
use crate::command::PutObjectInput;
use crate::error::{ApiError, ApiResult};
use crate::events::pattern;
use crate::log::kind;
use crate::model::TaskId;
use crate::time::SimTime;
use serde_json::{json, Value};

impl Simulation {
    /// Check each target's task definition, then queue every enabled scheduled rule's first run.
    pub(super) fn start_event_rules(&mut self) -> ApiResult<()> {
        for (i, r) in self.event_rules.rules.iter().enumerate() {
            for (k, t) in r.targets.iter().enumerate() {
                let Some(p) = &t.ecs_parameters else { continue };
                if self.state.task_defs.resolve(&p.task_definition_arn).is_none() {
                    return Err(ApiError::invalid(
                        format!("eventRules.Rules[{i}].Targets[{k}].EcsParameters.TaskDefinitionArn"),
                        format!("\"{}\" is not a registered task definition.", p.task_definition_arn),
                    ));
                }
            }
        }
        for i in 0..self.event_rules.rules.len() {
            self.queue_rule(i, 0);
        }
        Ok(())
    }

    fn queue_rule(&mut self, i: usize, after: SimTime) {
        let Some(r) = self.event_rules.rules.get(i) else { return };
        let (true, Some(s)) = (r.enabled, &r.schedule) else { return };
        let start = self.autoscaler.start();
        // `after` is the last run (or 0 at creation, which is not itself a run).
        if let Some(at) = s.next_after(start, 0, after) {
            self.schedule(at, Event::RuleSchedule(i as u32));
        }
    }

    /// A scheduled rule's time came.
    pub(super) fn on_rule_schedule(&mut self, i: u32) {
        let i = i as usize;
        let Some(r) = self.event_rules.rules.get(i) else { return };
        // "Scheduled Event" from aws.events: the rule's ARN in `resources`, an empty `detail`
        // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html).
        let resources = vec![r.arn.clone()];
        self.log.push_event(self.now, kind::SCHEDULED_EVENT, resources, json!({}));
        self.run_rule_targets(i);
        let now = self.now;
        self.queue_rule(i, now);
    }

    /// EventBridge invokes the rule's ECS targets: one RunTask call per target.
    fn run_rule_targets(&mut self, i: usize) {
        let Some(r) = self.event_rules.rules.get(i) else { return };
        let name = r.name.clone();
        let calls: Vec<Value> = r
            .targets
            .iter()
            .filter_map(|t| t.ecs_parameters.as_ref())
            .map(|p| {
                let mut input = json!({
                    "cluster": self.state.cluster_arn,
                    "taskDefinition": p.task_definition_arn,
                    "count": p.task_count.unwrap_or(1),
                    "startedBy": format!("events-rule/{name}"),
                });
                if let Some(lt) = &p.launch_type {
                    input["launchType"] = json!(lt);
                }
                if !p.capacity_provider_strategy.is_empty() {
                    input["capacityProviderStrategy"] = json!(p.capacity_provider_strategy);
                }
                if let Some(nc) = &p.network_configuration {
                    input["networkConfiguration"] = nc.clone();
                }
                if let Some(g) = &p.group {
                    input["group"] = json!(g);
                }
                input
            })
            .collect();
        for input in calls {
            // EventBridge sends the target's parameters as a JSON request: the JSON edge.
            // A failed invocation is logged like any failed API call.
            let _ = self.apply_json("RunTask", &input);
        }
    }

    /// Log an "ECS Task State Change" for task `id` as it is now, and send it to EventBridge's
    /// rules. The detail is written as JSON text straight from the state (the most frequent line).
    pub(super) fn log_task_state_change(&mut self, id: TaskId) {
        let forward = self.event_rules.rules.iter().any(|r| r.enabled && r.targets.iter().any(|t| t.is_sns()));
        let mut text = Vec::with_capacity(2048);
        self.write_task_detail(id, super::output::For::Event, &mut text);
        // write_task_detail writes serde_json's escapes into valid UTF-8 strings only.
        let detail = crate::log::Detail::from_json_text(String::from_utf8(text).unwrap_or_default());
        let copy = forward.then(|| (*detail).clone());
        let resources = vec![self.state.tasks[id.idx()].task_arn.clone()];
        self.log.push_event(self.now, kind::TASK_STATE_CHANGE, resources, detail);
        if let Some(d) = copy {
            self.ecs_event_to_rules(kind::TASK_STATE_CHANGE, &d);
        }
    }

    /// An ECS event goes to EventBridge: every enabled rule whose pattern matches publishes it to
    /// its SNS topic targets.
    fn ecs_event_to_rules(&mut self, detail_type: &str, detail: &Value) {
        let start = self.autoscaler.start();
        let resources = detail.get("taskArn").map(|a| vec![a.clone()]).unwrap_or_default();
        let event = json!({
            "version": "0",
            "source": "aws.ecs",
            "detail-type": detail_type,
            "account": ACCOUNT_ID,
            "region": self.state.region,
            "time": start.iso(self.now),
            "resources": resources,
            "detail": detail,
        });
        let mut published = vec![];
        for r in self.event_rules.rules.iter().filter(|r| r.enabled) {
            if !r.pattern.as_ref().is_some_and(|p| pattern::matches(p, &event)) {
                continue;
            }
            for t in r.targets.iter().filter(|t| t.is_sns()) {
                published.push(json!({
                    "TopicArn": t.arn,
                    "RuleName": r.name,
                    "TargetId": t.id,
                    "Message": event,
                }));
            }
        }
        for p in published {
            self.log.push(self.now, kind::SNS_NOTIFICATION, p);
        }
    }

    /// S3 PutObject: store nothing, but send "Object Created" to EventBridge if the bucket does.
    pub(super) fn put_object(&mut self, inp: PutObjectInput) -> ApiResult<Value> {
        if inp.bucket.len() < 3 || inp.bucket.len() > 63 || inp.key.is_empty() || inp.key.len() > 1024 {
            return Err(ApiError::invalid("input", "Bucket names are 3-63 characters and keys 1-1024."));
        }
        let etag = crate::log::fnv1a64(format!("{}/{}", inp.bucket, inp.key).as_bytes());
        let to_eventbridge = self.event_rules.eventbridge_buckets.contains(&inp.bucket);
        if to_eventbridge {
            let start = self.autoscaler.start();
            let request_id = self.rng.hex(16).to_uppercase();
            let detail = json!({
                "version": "0",
                "bucket": {"name": inp.bucket},
                "object": {"key": inp.key, "size": inp.size.unwrap_or(0), "etag": etag},
                "request-id": request_id,
                "requester": ACCOUNT_ID,
                "reason": "PutObject",
            });
            let event = json!({
                "version": "0",
                "source": "aws.s3",
                "detail-type": "Object Created",
                "account": ACCOUNT_ID,
                "region": self.state.region,
                "time": start.iso(self.now),
                "resources": [format!("arn:aws:s3:::{}", inp.bucket)],
                "detail": detail,
            });
            let resources = vec![format!("arn:aws:s3:::{}", inp.bucket)];
            self.log.push_event(self.now, kind::S3_OBJECT_CREATED, resources, event["detail"].clone());
            let hits: Vec<usize> = self
                .event_rules
                .rules
                .iter()
                .enumerate()
                .filter(|(_, r)| r.enabled && r.pattern.as_ref().is_some_and(|p| pattern::matches(p, &event)))
                .map(|(i, _)| i)
                .collect();
            for i in hits {
                self.run_rule_targets(i);
            }
        }
        Ok(json!({"ETag": format!("\"{etag}\""), "eventBridge": to_eventbridge}))
    }
}
