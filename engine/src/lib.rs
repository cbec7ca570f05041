//! `ecs-sim`: a deterministic discrete-event simulation of Amazon ECS scheduling, load balancing
//! and scaling. Pure Rust with no web dependency: the browser app and the `ecs-sim` CLI both
//! drive it. See ARCHITECTURE.md for the map.
// No unwrap, expect or panic outside tests: the workspace's [lints] table (Cargo.toml) denies them.

pub mod ab;
pub mod aggregate_view;
pub mod authoring;
pub mod autoscaling;
pub mod aws;
pub mod awslogs;
pub mod calendar;
pub mod capacity;
pub mod claims;
/// The `ecs-sim` command line (native only: it reads files).
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod code_deploy;
pub mod command;
pub mod compare;
pub mod cost;
pub mod cql;
pub mod deploy_strategy;
pub mod deployments;
pub mod ecr;
pub mod error;
pub mod events;
pub mod export;
pub mod express;
pub mod fixtures;
pub mod fuzz_targets;
pub mod iam;
pub mod index;
pub mod instance_types;
pub mod lesson;
pub mod load_balancing;
pub mod log;
pub mod model;
pub mod network;
pub mod nlb;
pub mod placement;
pub mod replay;
pub mod rng;
pub mod scenario;
pub mod schedule_expr;
/// JSON Schema of scenario and lesson files, and the generated reference page.
#[cfg(feature = "schema")]
pub mod schema;
pub mod secrets;
pub mod service_rules;
pub mod share_link;
pub mod sim;
pub mod taskdef;
pub mod taskdef_rules;
pub mod terraform_import;
pub mod time;
pub mod views;
pub mod volumes;
pub mod vpc;

pub use command::Command;
pub use error::{ApiError, ApiResult};
pub use scenario::{parse_scenario, Scenario};
pub use sim::Simulation;

/// Load a scenario from JSON text and build its simulation (with an optional seed override).
pub fn load(text: &str, seed: Option<u64>) -> ApiResult<Simulation> {
    let scenario = parse_scenario(text)?;
    match seed {
        Some(s) => Simulation::with_seed(scenario, s),
        None => Simulation::new(scenario),
    }
}
