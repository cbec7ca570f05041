//! Capacity providers: Auto Scaling group providers with managed scaling, FARGATE and FARGATE_SPOT,
//! and capacity provider strategies. Pure parts live here; `sim/capacity.rs` runs them.

pub mod config;
pub mod managed_scaling;
pub mod strategy;
