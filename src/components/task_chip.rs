//! Words for a task's target health, shared by the map, the load balancer panel and the drawer.
//! (The task chip itself is drawn by `cluster_map`.)

use crate::i18n::*;
use ecs_sim::model::TargetHealthState;

/// An ELB target health state (`healthy`, `unhealthy`, ...) in the reader's language.
pub fn target_state_name(locale: Locale, state: TargetHealthState) -> String {
    match state {
        TargetHealthState::Healthy => td_string!(locale, target_state.healthy).to_string(),
        TargetHealthState::Initial => td_string!(locale, target_state.initial).to_string(),
        TargetHealthState::Unhealthy => td_string!(locale, target_state.unhealthy).to_string(),
        TargetHealthState::Draining => td_string!(locale, target_state.draining).to_string(),
        TargetHealthState::Unused => td_string!(locale, target_state.unused).to_string(),
    }
}
