//! Same scenario + same seed => byte-identical event log. The browser test checks the wasm build
//! against the digest the native CLI prints for the same run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

const DEFAULT: &str = include_str!("../../scenarios/default.json");

fn log_of(seed: Option<u64>, until_s: u64) -> String {
    let mut sim = ecs_sim::load(DEFAULT, seed).expect("default scenario loads");
    sim.run_until(until_s * 1000);
    sim.log().to_json_lines()
}

#[test]
fn same_seed_gives_identical_log() {
    let a = log_of(None, 600);
    let b = log_of(None, 600);
    assert!(a.lines().count() > 20, "the default scenario does something");
    assert_eq!(a, b);
}

#[test]
fn different_seed_gives_different_ids() {
    assert_ne!(log_of(Some(1), 60), log_of(Some(2), 60));
}

#[test]
fn stepping_in_small_increments_gives_the_same_log_as_one_big_run() {
    // The UI advances time frame by frame; the CLI in one-minute chunks. Both must agree.
    let mut sim = ecs_sim::load(DEFAULT, None).expect("loads");
    let mut t = 0;
    while t < 600_000 {
        t += 16;
        sim.run_until(t);
    }
    sim.run_until(600_000);
    assert_eq!(sim.log().to_json_lines(), log_of(None, 600));
}

#[test]
fn digest_is_stable() {
    let mut sim = ecs_sim::load(DEFAULT, None).expect("loads");
    sim.run_until(600_000);
    let d1 = sim.log().digest();
    assert_eq!(d1, ecs_sim::log::fnv1a64(log_of(None, 600).as_bytes()));
}
