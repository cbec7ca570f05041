//! CloudWatch metric alarms of the scenario (`metricAlarms`, PutMetricAlarm bodies) and the
//! deployment alarms of `deploymentConfiguration.alarms` that watch them.
//!
//! Rules implemented:
//! - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html:
//!   "You can configure Amazon ECS to set the deployment to failed when it detects that a specified
//!   CloudWatch alarm has gone into the ALARM state. You can optionally set the configuration to
//!   roll back a failed deployment to the last completed deployment." For a rolling update, once
//!   the new tasks run "the deployment will continue for an additional duration, the bake time. At
//!   this time, the primary deployment remains within the IN_PROGRESS state"; the bake time is one
//!   "Amazon ECS computes ... based on the alarm configuration associated with the deployment. You
//!   can't set this value." The playground's formula (ASSUMED, not documented): the longest
//!   evaluation range of the named alarms, EvaluationPeriods x Period.
//! - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-failure-detection.html:
//!   "When both methods are used, either can trigger deployment failure." "The rollback method
//!   requires a previous deployment in COMPLETED state."
//! - For blue/green, linear and canary deployments the alarms are watched through the traffic
//!   shifts and the bake time (deployment-type-blue-green: "Monitor application health,
//!   performance metrics, and alarm states during the bake time period. A rollback operation is
//!   initiated when issues are detected.").
//! - Alarm evaluation itself is `autoscaling::alarm` (M out of N, TreatMissingData).
//!
//! Simplified: only one-minute periods of the metrics the engine emits exist; an alarm's
//! `Dimensions` match a datapoint when they are a subset of its dimensions (CloudWatch needs the
//! exact set), so `TargetGroup` alone selects a target group's ALB metrics.

use super::Simulation;
use crate::autoscaling::alarm::{Alarm, AlarmSpec, Comparison, MissingData};
use crate::autoscaling::AlarmState;
use crate::error::{ApiError, ApiResult};
use crate::log::kind;
use crate::model::{RolloutState, ServiceId};
use crate::time::{SimTime, SECOND};
use serde_json::{json, Value};

/// One scenario alarm: the evaluator and the metric it reads.
#[derive(Debug, Clone)]
pub struct MetricAlarm {
    pub alarm: Alarm,
    pub namespace: String,
    pub metric_name: String,
    pub dimensions: Vec<(String, String)>,
    pub statistic: String,
    pub period_seconds: u32,
}

/// The rolloutStateReason of a deployment failed by an alarm (the playground's wording).
pub fn alarm_reason(names: &[String]) -> String {
    format!("ECS deployment failed: alarm(s) detected: {} in ALARM state.", names.join(", "))
}

impl Simulation {
    /// Load `metricAlarms`: names unique, the operator, statistic and period as the playground
    /// evaluates them.
    pub(super) fn load_metric_alarms(&mut self) -> ApiResult<()> {
        let specs = self.scenario.metric_alarms.clone();
        for (i, m) in specs.iter().enumerate() {
            let at = format!("metricAlarms[{i}]");
            if m.alarm_name.is_empty() || self.metric_alarms.iter().any(|a| a.alarm.spec.name == m.alarm_name) {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    format!("{at}.AlarmName"),
                    "AlarmName must be given and unique among metricAlarms.",
                ));
            }
            let comparison = Comparison::parse(&m.comparison_operator, &format!("{at}.ComparisonOperator"))?;
            let missing = MissingData::parse(m.treat_missing_data.as_deref(), &format!("{at}.TreatMissingData"))?;
            let statistic = m.statistic.clone().unwrap_or_else(|| "Average".into());
            if !["Average", "Sum", "Maximum", "Minimum", "SampleCount"].contains(&statistic.as_str()) {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    format!("{at}.Statistic"),
                    "Statistic must be one of Average, Sum, Maximum, Minimum, SampleCount.",
                ));
            }
            let period = m.period.unwrap_or(60);
            if period != 60 {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    format!("{at}.Period"),
                    "Only 60-second periods are simulated (the engine's metrics are one-minute datapoints).",
                ));
            }
            let n = m.evaluation_periods;
            let dp = m.datapoints_to_alarm.unwrap_or(n);
            if n == 0 || dp == 0 || dp > n {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    format!("{at}.DatapointsToAlarm"),
                    "EvaluationPeriods must be at least 1 and DatapointsToAlarm between 1 and EvaluationPeriods.",
                ));
            }
            if !m.threshold.is_finite() {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    format!("{at}.Threshold"),
                    "Threshold must be a number.",
                ));
            }
            let dimensions = m
                .dimensions
                .iter()
                .map(|d| {
                    let v = if d.name == "TargetGroup" && !d.value.starts_with("targetgroup/") {
                        // A target group's name stands for its dimension value.
                        self.state
                            .elb
                            .by_name(&d.value)
                            .map(|g| self.state.elb.arn(g).rsplit(':').next().unwrap_or_default().to_string())
                            .unwrap_or_else(|| d.value.clone())
                    } else {
                        d.value.clone()
                    };
                    (d.name.clone(), v)
                })
                .collect();
            self.metric_alarms.push(MetricAlarm {
                alarm: Alarm::new(AlarmSpec {
                    name: m.alarm_name.clone(),
                    metric_name: m.metric_name.clone(),
                    threshold: m.threshold,
                    comparison,
                    evaluation_periods: n as usize,
                    datapoints_to_alarm: dp as usize,
                    missing,
                }),
                namespace: m.namespace.clone(),
                metric_name: m.metric_name.clone(),
                dimensions,
                statistic,
                period_seconds: period,
            });
        }
        Ok(())
    }

    fn alarm_value(&self, a: &MetricAlarm) -> Option<f64> {
        let values: Vec<f64> = self
            .minute_datapoints
            .iter()
            .filter(|(ns, name, dims, _)| {
                *ns == a.namespace
                    && *name == a.metric_name
                    && a.dimensions.iter().all(|(k, v)| dims.get(k).and_then(Value::as_str) == Some(v.as_str()))
            })
            .map(|(_, _, _, v)| *v)
            .collect();
        if values.is_empty() {
            return None;
        }
        Some(match a.statistic.as_str() {
            "Sum" => values.iter().sum(),
            "Maximum" => values.iter().cloned().fold(f64::MIN, f64::max),
            "Minimum" => values.iter().cloned().fold(f64::MAX, f64::min),
            "SampleCount" => values.len() as f64,
            _ => values.iter().sum::<f64>() / values.len() as f64,
        })
    }

    /// After the minute's datapoints: evaluate the scenario's alarms, then fail deployments whose
    /// alarms are in ALARM.
    pub(super) fn deploy_alarms_tick(&mut self) {
        if self.metric_alarms.is_empty() {
            return;
        }
        let start = self.log.context().start;
        for i in 0..self.metric_alarms.len() {
            let v = self.alarm_value(&self.metric_alarms[i]);
            let now = self.now;
            if let Some(t) = self.metric_alarms[i].alarm.observe(now, v, start) {
                let a = &self.metric_alarms[i];
                let detail = json!({
                    "alarmName": a.alarm.spec.name,
                    "state": {"value": t.new.as_str(), "reason": t.reason, "timestamp": start.iso(now)},
                    "previousState": {"value": t.old.as_str()},
                    "configuration": {"condition": a.alarm.condition(), "namespace": a.namespace, "statistic": a.statistic},
                });
                self.log.push(now, kind::ALARM_STATE_CHANGE, detail);
            }
        }
        for i in 0..self.state.services.len() {
            self.check_deployment_alarms(ServiceId(i as u32));
        }
    }

    /// CloudWatch SetAlarmState on a `metricAlarms` alarm
    /// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html):
    /// "Temporarily sets the state of an alarm for testing purposes. When the updated state differs
    /// from the previous value, the action configured for the appropriate state is invoked"; "the
    /// alarm state returns to its actual state" at its next evaluation (here: the next minute's
    /// datapoints). An ALARM state fails the deployments that watch the alarm at once. Errors:
    /// ResourceNotFound for an unknown AlarmName; StateReason at most 1023 characters;
    /// StateReasonData at most 4000 characters of JSON.
    pub(super) fn set_alarm_state(&mut self, inp: crate::command::SetAlarmStateInput) -> ApiResult<Value> {
        let Some(i) = self.metric_alarms.iter().position(|a| a.alarm.spec.name == inp.alarm_name) else {
            return Err(ApiError::new(
                "ResourceNotFound",
                "AlarmName",
                format!("Alarm {} does not exist (only the scenario's metricAlarms can be set).", inp.alarm_name),
            ));
        };
        let new = match inp.state_value.as_str() {
            "OK" => AlarmState::Ok,
            "ALARM" => AlarmState::Alarm,
            "INSUFFICIENT_DATA" => AlarmState::InsufficientData,
            other => {
                return Err(ApiError::invalid(
                    "StateValue",
                    format!("Invalid StateValue '{other}': must be OK, ALARM or INSUFFICIENT_DATA."),
                ))
            }
        };
        if inp.state_reason.chars().count() > 1023 {
            return Err(ApiError::invalid("StateReason", "StateReason must be at most 1023 characters."));
        }
        if let Some(d) = &inp.state_reason_data {
            if d.chars().count() > 4000 || serde_json::from_str::<Value>(d).is_err() {
                return Err(ApiError::new(
                    "InvalidFormat",
                    "StateReasonData",
                    "StateReasonData must be JSON of at most 4000 characters.",
                ));
            }
        }
        let old = self.metric_alarms[i].alarm.state;
        if old != new {
            self.metric_alarms[i].alarm.state = new;
            let now = self.now;
            let start = self.log.context().start;
            let a = &self.metric_alarms[i];
            let detail = json!({
                "alarmName": a.alarm.spec.name,
                "state": {"value": new.as_str(), "reason": inp.state_reason, "timestamp": start.iso(now)},
                "previousState": {"value": old.as_str()},
                "configuration": {"condition": a.alarm.condition(), "namespace": a.namespace, "statistic": a.statistic},
            });
            self.log.push(now, kind::ALARM_STATE_CHANGE, detail);
            for s in 0..self.state.services.len() {
                self.check_deployment_alarms(ServiceId(s as u32));
            }
        }
        Ok(json!({}))
    }

    /// The named alarms of a service in ALARM now.
    fn alarms_in_alarm(&self, s: ServiceId) -> Vec<String> {
        let Some(cfg) = self.state.services[s.idx()].strategy.watched_alarms() else { return Vec::new() };
        cfg.alarm_names
            .iter()
            .filter(|n| {
                self.metric_alarms.iter().any(|a| &a.alarm.spec.name == *n && a.alarm.state == AlarmState::Alarm)
            })
            .cloned()
            .collect()
    }

    /// A deployment in progress whose alarms are in ALARM fails, and rolls back when asked.
    fn check_deployment_alarms(&mut self, s: ServiceId) {
        let Some(primary) = self.primary_deployment(s) else { return };
        let d = &self.state.services[s.idx()].deployments[primary as usize];
        // A rollback deployment is not failed again by the alarms that caused it.
        if d.rollout_state != RolloutState::InProgress
            || d.rollout_state_reason.contains("rolling back to deploymentId")
        {
            return;
        }
        let firing = self.alarms_in_alarm(s);
        if firing.is_empty() {
            return;
        }
        let rollback = self.state.services[s.idx()].strategy.watched_alarms().is_some_and(|a| a.rollback);
        let reason = alarm_reason(&firing);
        self.fail_deployment_with(s, primary, rollback, &reason, "alarm(s) detected");
    }

    /// The bake time a rolling update with deployment alarms waits once its tasks run (see the
    /// module comment: ASSUMED to be the longest evaluation range of the named alarms).
    pub(super) fn rolling_alarm_bake(&self, s: ServiceId) -> Option<SimTime> {
        let cfg = self.state.services[s.idx()].strategy.watched_alarms()?;
        let longest = cfg
            .alarm_names
            .iter()
            .filter_map(|n| self.metric_alarms.iter().find(|a| &a.alarm.spec.name == n))
            .map(|a| a.alarm.spec.evaluation_periods as SimTime * a.period_seconds as SimTime * SECOND)
            .max()?;
        Some(longest)
    }
}
