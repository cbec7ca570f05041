#![no_main]
// See ecs_sim::fuzz_targets::cql: parse a memberOf expression and evaluate it on a small cluster.
use std::sync::OnceLock;

static CLUSTER: OnceLock<Option<ecs_sim::Simulation>> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some(sim) = CLUSTER.get_or_init(ecs_sim::fuzz_targets::cql_fixture) {
        ecs_sim::fuzz_targets::cql(data, sim);
    }
});
