//! Words for a task's target health, shared by the map, the load balancer panel and the drawer.
//! (The task chip itself is drawn by `cluster_map`.)

use crate::i18n::*;

/// An ELB target health state (`healthy`, `unhealthy`, ...) in the reader's language.
pub fn target_state_name(locale: Locale, state: &str) -> String {
    match state {
        "healthy" => td_string!(locale, target_state.healthy).to_string(),
        "initial" => td_string!(locale, target_state.initial).to_string(),
        "unhealthy" => td_string!(locale, target_state.unhealthy).to_string(),
        "draining" => td_string!(locale, target_state.draining).to_string(),
        "unused" => td_string!(locale, target_state.unused).to_string(),
        other => other.to_string(),
    }
}
