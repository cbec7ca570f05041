//! What an event means, in the reader's language. AWS's own messages stay in English, as the
//! console shows them; this maps each kind of message the engine writes (service events in the
//! console's wording, Application Auto Scaling activities, CloudWatch alarm state changes) to a
//! one-line explanation kept as data in `locales/*.json` under `explain`.

use crate::i18n::{td_string, Locale};
use ecs_sim::autoscaling::AlarmState;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventKind {
    TasksStarted,
    SteadyState,
    UnableToPlace,
    TargetsRegistered,
    TasksStopped,
    DrainingStarted,
    TargetsDeregistered,
    DeploymentCompleted,
    DeploymentFailed,
    RollingBack,
    Throttled,
    ContainerHealthFailed,
    TargetUnhealthy,
    TargetTimedOut,
    ScalingDesiredCount,
    ScalingCapacityRange,
    AlarmAlarm,
    AlarmOk,
    AlarmInsufficientData,
}

#[cfg(test)]
impl EventKind {
    pub const ALL: [EventKind; 19] = [
        EventKind::TasksStarted,
        EventKind::SteadyState,
        EventKind::UnableToPlace,
        EventKind::TargetsRegistered,
        EventKind::TasksStopped,
        EventKind::DrainingStarted,
        EventKind::TargetsDeregistered,
        EventKind::DeploymentCompleted,
        EventKind::DeploymentFailed,
        EventKind::RollingBack,
        EventKind::Throttled,
        EventKind::ContainerHealthFailed,
        EventKind::TargetUnhealthy,
        EventKind::TargetTimedOut,
        EventKind::ScalingDesiredCount,
        EventKind::ScalingCapacityRange,
        EventKind::AlarmAlarm,
        EventKind::AlarmOk,
        EventKind::AlarmInsufficientData,
    ];
}

/// A service event message, in the console's wording ("(service web) has reached a steady
/// state."), to its kind. The patterns are the ECS service event messages listed in the ECS
/// Developer Guide ("Amazon ECS service event messages"), which the engine reproduces.
pub fn service_event_kind(message: &str) -> Option<EventKind> {
    if !message.starts_with("(service ") {
        return None;
    }
    let has = |s: &str| message.contains(s);
    Some(if has(") has started ") && has(" tasks: ") {
        EventKind::TasksStarted
    } else if message.ends_with(") has reached a steady state.") {
        EventKind::SteadyState
    } else if has(") was unable to place a task because ") {
        EventKind::UnableToPlace
    } else if has(") deregistered ") && has(" targets in (target-group ") {
        EventKind::TargetsDeregistered
    } else if has(") registered ") && has(" targets in (target-group ") {
        EventKind::TargetsRegistered
    } else if has(") has stopped ") && has(" running tasks: ") {
        EventKind::TasksStopped
    } else if has(") has begun draining connections on ") {
        EventKind::DrainingStarted
    } else if has(") deployment completed.") {
        EventKind::DeploymentCompleted
    } else if has(") deployment failed: ") {
        EventKind::DeploymentFailed
    } else if has(") rolling back to deployment ") {
        EventKind::RollingBack
    } else if has(") is unable to consistently start tasks successfully.") {
        EventKind::Throttled
    } else if has(") failed container health checks.") {
        EventKind::ContainerHealthFailed
    } else if has(") is unhealthy in (target-group ") && has("(reason Request timed out)") {
        EventKind::TargetTimedOut
    } else if has(") is unhealthy in (target-group ") {
        EventKind::TargetUnhealthy
    } else {
        return None;
    })
}

/// An Application Auto Scaling activity's `Description` (DescribeScalingActivities wording).
pub fn scaling_activity_kind(description: &str) -> Option<EventKind> {
    if description.starts_with("Setting desired count to ") {
        Some(EventKind::ScalingDesiredCount)
    } else if description.starts_with("Setting min capacity to ") {
        Some(EventKind::ScalingCapacityRange)
    } else {
        None
    }
}

/// A CloudWatch alarm's new state value.
pub fn alarm_state_kind(state: AlarmState) -> EventKind {
    match state {
        AlarmState::Alarm => EventKind::AlarmAlarm,
        AlarmState::Ok => EventKind::AlarmOk,
        AlarmState::InsufficientData => EventKind::AlarmInsufficientData,
    }
}

/// The one-line explanation of a kind of event in `locale`.
pub fn explanation(locale: Locale, kind: EventKind) -> &'static str {
    match kind {
        EventKind::TasksStarted => td_string!(locale, explain.tasks_started),
        EventKind::SteadyState => td_string!(locale, explain.steady_state),
        EventKind::UnableToPlace => td_string!(locale, explain.unable_to_place),
        EventKind::TargetsRegistered => td_string!(locale, explain.targets_registered),
        EventKind::TasksStopped => td_string!(locale, explain.tasks_stopped),
        EventKind::DrainingStarted => td_string!(locale, explain.draining_started),
        EventKind::TargetsDeregistered => td_string!(locale, explain.targets_deregistered),
        EventKind::DeploymentCompleted => td_string!(locale, explain.deployment_completed),
        EventKind::DeploymentFailed => td_string!(locale, explain.deployment_failed),
        EventKind::RollingBack => td_string!(locale, explain.rolling_back),
        EventKind::Throttled => td_string!(locale, explain.throttled),
        EventKind::ContainerHealthFailed => td_string!(locale, explain.container_health_failed),
        EventKind::TargetUnhealthy => td_string!(locale, explain.target_unhealthy),
        EventKind::TargetTimedOut => td_string!(locale, explain.target_timed_out),
        EventKind::ScalingDesiredCount => td_string!(locale, explain.scaling_desired_count),
        EventKind::ScalingCapacityRange => td_string!(locale, explain.scaling_capacity_range),
        EventKind::AlarmAlarm => td_string!(locale, explain.alarm_alarm),
        EventKind::AlarmOk => td_string!(locale, explain.alarm_ok),
        EventKind::AlarmInsufficientData => td_string!(locale, explain.alarm_insufficient_data),
    }
}

/// The explanation of a service event message, if it is of a known kind.
pub fn explain_service_event(locale: Locale, message: &str) -> Option<&'static str> {
    service_event_kind(message).map(|k| explanation(locale, k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n_setup::LOCALES;
    use ecs_sim::log::kind;
    use std::collections::BTreeMap;

    /// Every kind of line the scenarios produce that the UI explains, with one example each.
    fn kinds_in_scenarios() -> BTreeMap<EventKind, String> {
        let dir = format!("{}/scenarios", env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        assert!(files.len() >= 10, "expected the scenario set in {dir}");
        let mut seen = BTreeMap::new();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            let mut sim = ecs_sim::load(&text, None).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            sim.run_until(2 * ecs_sim::time::HOUR);
            for e in sim.log().entries() {
                let d = &e.detail;
                let (found, what) = match e.detail_type {
                    kind::SERVICE_EVENT => {
                        let m = d["message"].as_str().unwrap_or_default();
                        (service_event_kind(m), m.to_string())
                    }
                    kind::SCALING_ACTIVITY => {
                        let m = d["Description"].as_str().unwrap_or_default();
                        (scaling_activity_kind(m), m.to_string())
                    }
                    kind::ALARM_STATE_CHANGE => match ecs_sim::views::chart_entry(e) {
                        Some(ecs_sim::views::ChartEntry::AlarmState { state, .. }) => {
                            (Some(alarm_state_kind(state)), state.as_str().to_string())
                        }
                        _ => (None, d.to_string()),
                    },
                    _ => continue,
                };
                let k =
                    found.unwrap_or_else(|| panic!("{}: no explanation for {:?}: {what}", f.display(), e.detail_type));
                seen.entry(k).or_insert(what);
            }
        }
        seen
    }

    #[test]
    fn every_message_the_scenarios_emit_has_an_explanation_in_every_language() {
        let seen = kinds_in_scenarios();
        // The scenarios cover starts, steady states, placements failures, load balancer
        // registration and draining, deployments and auto scaling: all must be explained.
        for must in [
            EventKind::TasksStarted,
            EventKind::SteadyState,
            EventKind::TargetsRegistered,
            EventKind::TasksStopped,
            EventKind::DeploymentCompleted,
            EventKind::ScalingDesiredCount,
            EventKind::AlarmAlarm,
        ] {
            assert!(seen.contains_key(&must), "no scenario emits {must:?}; seen {:?}", seen.keys());
        }
        for (k, example) in &seen {
            let en = explanation(Locale::en, *k);
            assert!(en.len() > 20, "{k:?} ({example}): English explanation too short");
            for l in LOCALES.into_iter().filter(|l| *l != Locale::en) {
                let t = explanation(l, *k);
                assert!(!t.trim().is_empty() && t != en, "{k:?} ({example}) is not translated for {l:?}");
            }
        }
    }

    #[test]
    fn every_kind_has_a_distinct_explanation() {
        for l in LOCALES {
            let mut texts: Vec<_> = EventKind::ALL.iter().map(|k| explanation(l, *k)).collect();
            texts.sort();
            texts.dedup();
            assert_eq!(texts.len(), EventKind::ALL.len(), "{l:?}: two kinds share an explanation");
        }
    }

    #[test]
    fn messages_in_console_wording_are_recognised() {
        let cases = [
            ("(service web) has started 2 tasks: (task a1) (task b2).", EventKind::TasksStarted),
            ("(service web) has reached a steady state.", EventKind::SteadyState),
            ("(service web) registered 1 targets in (target-group arn:aws:x)", EventKind::TargetsRegistered),
            ("(service web) deregistered 1 targets in (target-group arn:aws:x)", EventKind::TargetsDeregistered),
            ("(service web) has stopped 1 running tasks: (task a1).", EventKind::TasksStopped),
            ("(service web) (deployment ecs-svc/1) deployment completed.", EventKind::DeploymentCompleted),
            (
                "(service web) (deployment ecs-svc/2) deployment failed: tasks failed to start.",
                EventKind::DeploymentFailed,
            ),
            ("(service web) rolling back to deployment ecs-svc/1.", EventKind::RollingBack),
            ("(service web) is unable to consistently start tasks successfully.", EventKind::Throttled),
        ];
        for (m, k) in cases {
            assert_eq!(service_event_kind(m), Some(k), "{m}");
        }
        assert_eq!(service_event_kind("something else"), None);
        assert_eq!(service_event_kind("(service web) did a thing nobody documents."), None);
    }
}
