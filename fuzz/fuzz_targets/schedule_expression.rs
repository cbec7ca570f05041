#![no_main]
// See ecs_sim::fuzz_targets::schedule_expression for what is exercised.
libfuzzer_sys::fuzz_target!(|data: &[u8]| ecs_sim::fuzz_targets::schedule_expression(data));
