//! Replays the fuzz corpus (fuzz/corpus/<target>/) through the fuzz targets on stable Rust, then
//! feeds each target mutated corpus entries and arbitrary strings with proptest. Any panic here is
//! a bug a user could hit by pasting JSON, typing an expression or editing a share link.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::fuzz_targets;
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    files.sort();
    let out: Vec<_> = files.iter().map(|f| std::fs::read(f).expect("corpus file")).collect();
    assert!(!out.is_empty(), "the corpus for {target} is empty");
    out
}

fn cluster() -> &'static ecs_sim::Simulation {
    static SIM: OnceLock<ecs_sim::Simulation> = OnceLock::new();
    SIM.get_or_init(|| fuzz_targets::cql_fixture().expect("the fixture cluster loads"))
}

/// Apply a few byte-level edits to a corpus entry: what a hand-edited file or link looks like.
fn mutate(seed: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for &(at, kind, byte) in edits {
        if v.is_empty() {
            v.push(byte);
            continue;
        }
        let i = at % v.len();
        match kind % 4 {
            0 => v[i] = byte,
            1 => v.insert(i, byte),
            2 => {
                v.remove(i);
            }
            _ => v.truncate(i),
        }
    }
    v
}

#[test]
fn corpus_replays_without_panics() {
    for d in corpus("scenario") {
        fuzz_targets::scenario(&d);
    }
    for d in corpus("task_definition") {
        fuzz_targets::task_definition(&d);
    }
    for d in corpus("cql") {
        fuzz_targets::cql(&d, cluster());
    }
    for d in corpus("schedule_expression") {
        fuzz_targets::schedule_expression(&d);
    }
}

/// The corpus is meaningful: its seeds are accepted, so mutations start from valid input.
#[test]
fn corpus_seeds_are_valid_inputs() {
    for d in corpus("cql") {
        let s = String::from_utf8(d).expect("utf-8");
        ecs_sim::cql::parse(&s).unwrap_or_else(|e| panic!("{s}: {e}"));
    }
    for d in corpus("schedule_expression") {
        let s = String::from_utf8(d).expect("utf-8");
        ecs_sim::schedule_expr::ScheduleExpr::parse(&s).unwrap_or_else(|e| panic!("{s}: {e}"));
    }
}

const EDIT: (std::ops::Range<usize>, std::ops::RangeInclusive<u8>, std::ops::RangeInclusive<u8>) =
    (0..100_000, 0..=3, 0..=255);

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn mutated_scenarios_never_panic(pick in 0usize..64, edits in prop::collection::vec(EDIT, 1..6)) {
        let c = corpus("scenario");
        fuzz_targets::scenario(&mutate(&c[pick % c.len()], &edits));
    }

    #[test]
    fn mutated_task_definitions_never_panic(pick in 0usize..64, edits in prop::collection::vec(EDIT, 1..6)) {
        let c = corpus("task_definition");
        fuzz_targets::task_definition(&mutate(&c[pick % c.len()], &edits));
    }

    #[test]
    fn mutated_and_arbitrary_expressions_never_panic(
        pick in 0usize..64, edits in prop::collection::vec(EDIT, 0..6), any in ".{0,80}",
    ) {
        let c = corpus("cql");
        fuzz_targets::cql(&mutate(&c[pick % c.len()], &edits), cluster());
        fuzz_targets::cql(any.as_bytes(), cluster());
        let s = corpus("schedule_expression");
        fuzz_targets::schedule_expression(&mutate(&s[pick % s.len()], &edits));
        fuzz_targets::schedule_expression(any.as_bytes());
    }
}
