//! EventBridge: rules (PutRule with a schedule or an event pattern) whose ECS targets run tasks,
//! and the S3 "Object Created" events a `PutObject` action emits. Pure parts; `sim/event_rules.rs`
//! runs them.

pub mod pattern;
pub mod rules;
