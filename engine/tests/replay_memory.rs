#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code
//! Replay checkpoints at scale: a checkpoint is a clone of the whole simulation (replay.rs), and
//! the event log's lines are shared between clones instead of copied (log.rs), so a checkpoint of
//! a 400-instance, 2,000-task cluster costs its state, not its retained log; and seeking back
//! through such checkpoints still gives the log byte for byte.

use ecs_sim::replay::{Playback, CHECKPOINT_EVERY};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Live heap bytes of this test binary (one test in it, so nothing else allocates meanwhile).
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size(), Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(new, Ordering::Relaxed);
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.realloc(p, l, new) }
    }
}
#[global_allocator]
static A: Counting = Counting;

/// The tests of this file one at a time: the byte counts above are of the whole process.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn bytes_of<T>(make: impl FnOnce() -> T) -> (usize, T) {
    let before = LIVE.load(Ordering::Relaxed);
    let v = make();
    (LIVE.load(Ordering::Relaxed).saturating_sub(before), v)
}

const QUOTA_400: &str = include_str!("../benches/fixtures/quota-400x2000.json");

#[test]
fn checkpoints_share_the_log_and_seeking_back_stays_exact() {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut pb = Playback::new(ecs_sim::load(QUOTA_400, None).expect("fixture loads"));
    // Past the rolling update at 15:00, through four checkpoint boundaries.
    let end = 4 * CHECKPOINT_EVERY + 60_000;
    pb.advance_to(end);
    assert_eq!(pb.checkpoint_count(), 5, "{:?}", pb.checkpoint_times());
    let retained = pb.sim.log().entries().len();
    assert!(retained > 5_000, "a large log: {retained} lines kept");

    // A clone of the log copies a pointer per line, not the line (JSON details and envelopes are
    // hundreds of bytes each; 64 bytes a line is the entry itself and little more).
    let (log_bytes, log_copy) = bytes_of(|| pb.sim.log().clone());
    assert!(log_bytes < 64 * retained, "log clone {log_bytes} bytes for {retained} lines");
    assert_eq!(log_copy.digest(), pb.sim.log().digest());
    drop(log_copy);
    // So a checkpoint costs about the cluster state; the retained log alone is much larger.
    let (sim_bytes, sim_copy) = bytes_of(|| pb.sim.clone());
    let (state_bytes, state_copy) = bytes_of(|| pb.sim.state().clone());
    drop((sim_copy, state_copy));
    assert!(sim_bytes < state_bytes * 3 / 2 + 64 * retained, "simulation clone {sim_bytes} B, state {state_bytes} B");

    // Seeking back to before the update and forward again through the checkpoints: the same
    // bytes as the first time (and as a run without any checkpoint).
    let digest = pb.sim.log().digest();
    let lines = pb.sim.log().to_json_lines();
    pb.seek(13 * 60_000);
    assert_eq!(pb.now(), 13 * 60_000);
    pb.seek(end);
    assert_eq!(pb.sim.log().digest(), digest);
    assert_eq!(pb.sim.log().to_json_lines(), lines);
    let mut fresh = ecs_sim::load(QUOTA_400, None).expect("fixture loads");
    fresh.set_log_retention(Some(ecs_sim::replay::LOG_RETENTION));
    fresh.run_until(end);
    assert_eq!(fresh.log().digest(), digest);
}

#[test]
fn a_large_cluster_keeps_fewer_checkpoints_within_the_budget_and_seeks_exactly() {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // 400 instances and 2,000-4,000 tasks: 2,400-4,400 entities a checkpoint. A budget of 8,000
    // keeps two or three where the default budget keeps all nine.
    let mut pb = Playback::new(ecs_sim::load(QUOTA_400, None).expect("fixture loads"));
    pb.set_checkpoint_budget(8_000);
    let end = 8 * CHECKPOINT_EVERY + 30_000;
    let mut t = 0;
    while t < end {
        t = (t + 97_000).min(end);
        pb.advance_to(t);
        assert!(
            pb.checkpoint_weight() <= 8_000 || pb.checkpoint_count() <= 2,
            "at {t}: {} checkpoints weigh {}",
            pb.checkpoint_count(),
            pb.checkpoint_weight()
        );
    }
    assert_eq!(pb.checkpoint_times()[0], 0, "the start is always kept");
    assert!(pb.checkpoint_count() < 9, "{:?}", pb.checkpoint_times());
    // Seeking back re-simulates from further away, to the same bytes as a plain run.
    for at in [16 * 60_000 + 500, 3 * 60_000] {
        pb.seek(at);
        let mut fresh = ecs_sim::load(QUOTA_400, None).expect("fixture loads");
        fresh.set_log_retention(Some(ecs_sim::replay::LOG_RETENTION));
        fresh.run_until(at);
        assert_eq!(pb.sim.log().digest(), fresh.log().digest(), "at {at}");
    }
}
