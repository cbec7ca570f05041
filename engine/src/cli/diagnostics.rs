//! Warnings for authors: what a run did that the author may not have meant, read from the event
//! log and the cluster as the run goes (failed timeline actions, services that cannot place their
//! tasks for a long time), and the keys a scenario may carry that the engine accepts but does not
//! simulate.

use crate::log::{fmt_secs, kind, LogEntry};
use crate::scenario::{CreateService, Scenario};
use crate::sim::Simulation;
use crate::time::{SimTime, MINUTE};
use serde_json::Value;
use std::collections::BTreeMap;

/// How long a service may fall short of its desired count, with a placement failure reported,
/// before it is worth a warning.
pub const UNPLACED_FOR: SimTime = 5 * MINUTE;

/// One warning, at a simulated time when it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub t: Option<SimTime>,
    pub text: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.t {
            Some(t) => write!(f, "warning: at {} s: {}", fmt_secs(t), self.text),
            None => write!(f, "warning: {}", self.text),
        }
    }
}

/// Watches a run: feed it each new log entry and call `tick` as time advances.
#[derive(Debug, Default)]
pub struct Watcher {
    /// Per service name: since when it has been short of tasks with a placement failure, and the
    /// last reason ECS gave.
    unplaced: BTreeMap<String, (SimTime, String)>,
    /// Services already warned about, until they recover.
    warned: Vec<String>,
}

impl Watcher {
    /// A timeline action (API call or fault) that failed is a warning: the log line holds the
    /// error, but an author reading the picture would not see it.
    pub fn observe(&mut self, e: &LogEntry, out: &mut Vec<Warning>) {
        if e.detail_type != kind::API_CALL && e.detail_type != kind::FAULT {
            return;
        }
        let Some(code) = e.detail.get("errorCode").and_then(Value::as_str) else { return };
        let action = e.detail.get("eventName").and_then(Value::as_str).unwrap_or("?");
        let msg = e.detail.get("errorMessage").and_then(Value::as_str).unwrap_or(code);
        out.push(Warning { t: Some(e.t), text: format!("timeline action {action} failed: {msg}") });
    }

    /// Look at the cluster now: a service short of tasks whose scheduler reported that it could
    /// not place one is tracked; after `UNPLACED_FOR` it is a warning.
    pub fn tick(&mut self, sim: &Simulation, out: &mut Vec<Warning>) {
        let st = sim.state();
        let now = sim.now();
        for (i, s) in st.services.iter().enumerate() {
            let id = crate::model::ServiceId(i as u32);
            let live = st.running_count(id) + st.pending_count(id);
            let short = s.status == "ACTIVE" && live < s.desired_count;
            match (&s.last_unplaceable, short) {
                (Some(reason), true) => {
                    let entry = self.unplaced.entry(s.service_name.clone()).or_insert((now, String::new()));
                    entry.1 = reason.clone();
                    if now.saturating_sub(entry.0) >= UNPLACED_FOR && !self.warned.contains(&s.service_name) {
                        self.warned.push(s.service_name.clone());
                        out.push(Warning {
                            t: Some(entry.0),
                            text: format!(
                                "service {} could not place {} of its {} desired tasks for {} s or more: {}",
                                s.service_name,
                                s.desired_count - live,
                                s.desired_count,
                                UNPLACED_FOR / 1000,
                                short_reason(reason)
                            ),
                        });
                    }
                }
                _ => {
                    self.unplaced.remove(&s.service_name);
                    self.warned.retain(|n| n != &s.service_name);
                }
            }
        }
    }
}

/// The rule ECS names in its "unable to place" event, without the boilerplate around it.
fn short_reason(msg: &str) -> &str {
    let m = msg.split(" met all of its requirements. ").nth(1).unwrap_or(msg);
    m.split(" For more information").next().unwrap_or(m).trim()
}

/// Keys the scenario may carry (they are part of the AWS API shapes, so pasted JSON loads) that
/// change what ECS does but that the engine does not simulate.
pub fn not_simulated(scenario: &Scenario) -> Vec<Warning> {
    let mut out = Vec::new();
    for (i, s) in scenario.services.iter().enumerate() {
        service_keys(&format!("services[{i}]"), s, &mut out);
    }
    for (i, e) in scenario.timeline.iter().enumerate() {
        if e.action == "CreateService" {
            if let Ok(s) = serde_json::from_value::<CreateService>(e.input.clone()) {
                service_keys(&format!("timeline[{i}].input"), &s, &mut out);
            }
        }
        if e.action == "UpdateService" {
            if let Some(v) = e.input.get("availabilityZoneRebalancing").and_then(Value::as_str) {
                if v == "ENABLED" {
                    out.push(rebalancing(&format!("timeline[{i}].input.availabilityZoneRebalancing")));
                }
            }
        }
    }
    out
}

fn rebalancing(at: &str) -> Warning {
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html
    Warning {
        t: None,
        text: format!(
            "{at}: ENABLED is accepted but not simulated: ECS would start tasks in the Availability \
             Zone with the fewest and stop tasks where there are most, until the service is spread \
             evenly again (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html); \
             here tasks stay where they are"
        ),
    }
}

fn service_keys(at: &str, s: &CreateService, out: &mut Vec<Warning>) {
    if s.availability_zone_rebalancing.as_deref() == Some("ENABLED") {
        out.push(rebalancing(&format!("{at}.availabilityZoneRebalancing")));
    }
    let mut warn = |key: &str, what: &str| {
        out.push(Warning { t: None, text: format!("{at}.{key}: accepted but not simulated: {what}") })
    };
    if let Some(dc) = &s.deployment_configuration {
        // strategy, bake times, canary/linear configuration and alarms are simulated
        // (sim/blue_green.rs, sim/deploy_alarms.rs); lifecycle hooks are not.
        if dc.lifecycle_hooks.is_some() {
            warn(
                "deploymentConfiguration.lifecycleHooks",
                "no hook is invoked here: every lifecycle stage proceeds as if its hooks succeeded",
            );
        }
        if let Some(st) = dc.strategy.as_deref().filter(|st| *st != "ROLLING") {
            if s.load_balancers.is_empty() {
                warn(
                    "deploymentConfiguration.strategy",
                    &format!("{st} without a load balancer shifts no traffic here (Service Connect is not simulated)"),
                );
            }
        }
    }
    if let Some(t) = s.deployment_controller.as_ref().and_then(|d| d.get("type")).and_then(Value::as_str) {
        if t != "ECS" {
            warn(
                "deploymentController",
                &format!("a {t} controller is not modelled (no task sets or AppSpec); deployments play as ECS rolling updates"),
            );
        }
    }
    for (key, present) in [
        ("serviceRegistries", s.service_registries.is_some()),
        ("serviceConnectConfiguration", s.service_connect_configuration.is_some()),
        ("volumeConfigurations", s.volume_configurations.is_some()),
    ] {
        if present {
            warn(key, "the simulation has no Cloud Map, Service Connect or EBS volumes");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebalancing_and_other_accepted_keys_are_reported() {
        let s = crate::parse_scenario(
            r#"{"services":[{"serviceName":"web","taskDefinition":"web","availabilityZoneRebalancing":"ENABLED",
                "deploymentConfiguration":{"strategy":"BLUE_GREEN","lifecycleHooks":[]}},
                {"serviceName":"api","taskDefinition":"web","availabilityZoneRebalancing":"DISABLED"}]}"#,
        )
        .expect("scenario");
        let w: Vec<String> = not_simulated(&s).into_iter().map(|w| w.text).collect();
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(w[0].starts_with("services[0].availabilityZoneRebalancing"), "{w:?}");
        assert!(w[1].starts_with("services[0].deploymentConfiguration.lifecycleHooks"), "{w:?}");
        assert!(w[2].starts_with("services[0].deploymentConfiguration.strategy"), "{w:?}");
    }

    #[test]
    fn the_reason_is_the_rule_ecs_names() {
        let m = "(service web) was unable to place a task because no container instance met all of its requirements. The closest matching container-instance abc has insufficient memory available. For more information, see the Troubleshooting section.";
        assert_eq!(short_reason(m), "The closest matching container-instance abc has insufficient memory available.");
    }
}
