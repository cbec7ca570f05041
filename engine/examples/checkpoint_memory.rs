//! Memory of replay checkpoints at ECS's quota scale: plays the 5,000/5,000 fixture through a
//! `Playback` (as the app does) and prints the live heap bytes (a counting allocator) of the
//! running simulation, of one clone, and of all checkpoints.
//!
//! Run: `cargo run --release -p ecs-sim --example checkpoint_memory [fixture] [seconds]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // measuring tool

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let n = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
        PEAK.fetch_max(n, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        if new > l.size() {
            let n = LIVE.fetch_add(new - l.size(), Ordering::Relaxed) + new - l.size();
            PEAK.fetch_max(n, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(l.size() - new, Ordering::Relaxed);
        }
        unsafe { System.realloc(p, l, new) }
    }
}
#[global_allocator]
static A: Counting = Counting;

fn mb(b: usize) -> f64 {
    b as f64 / (1 << 20) as f64
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "engine/benches/fixtures/quota-5000x5000.json".into());
    let secs: u64 = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(1200);
    let text = std::fs::read_to_string(&path).expect("fixture");
    let base = LIVE.load(Ordering::Relaxed);
    let sim = ecs_sim::load(&text, None).expect("loads");
    let one = LIVE.load(Ordering::Relaxed) - base;
    let mut pb = ecs_sim::replay::Playback::new(sim);
    for t in (60..=secs).step_by(60) {
        pb.advance_to(t * 1000);
        let live = LIVE.load(Ordering::Relaxed) - base;
        let before = LIVE.load(Ordering::Relaxed);
        let c = pb.sim.clone();
        let clone = LIVE.load(Ordering::Relaxed) - before;
        drop(c);
        println!(
            "t={:>5}s live {:>7.1} MB (peak {:>7.1} MB), one clone {:>6.1} MB, checkpoints {:>2} ({})",
            t,
            mb(live),
            mb(PEAK.load(Ordering::Relaxed) - base),
            mb(clone),
            pb.checkpoint_count(),
            pb.checkpoint_times().iter().map(|t| (t / 1000).to_string()).collect::<Vec<_>>().join(","),
        );
    }
    println!("loaded simulation: {:.1} MB", mb(one));
    // What one clone holds, part by part (public parts; the rest is queue, RNG, account...).
    let size_of = |f: &dyn Fn() -> Box<dyn std::any::Any>| {
        let before = LIVE.load(Ordering::Relaxed);
        let v = f();
        let n = LIVE.load(Ordering::Relaxed) - before;
        drop(v);
        n
    };
    let sim = &pb.sim;
    let st = sim.state();
    let parts: Vec<(&str, usize)> = vec![
        ("state.instances", size_of(&|| Box::new(st.instances.clone()))),
        ("state.tasks", size_of(&|| Box::new(st.tasks.clone()))),
        ("state.services", size_of(&|| Box::new(st.services.clone()))),
        ("state.elb", size_of(&|| Box::new(st.elb.clone()))),
        ("state.task_defs", size_of(&|| Box::new(st.task_defs.clone()))),
        ("state (all)", size_of(&|| Box::new(st.clone()))),
        ("log", size_of(&|| Box::new(sim.log().clone()))),
        ("scenario", size_of(&|| Box::new(sim.scenario().clone()))),
        ("simulation (all)", size_of(&|| Box::new(sim.clone()))),
    ];
    for (n, b) in parts {
        println!("  {n:<22} {:>7.1} MB", mb(b));
    }
    println!(
        "tasks in arena {}, live {}, instances {}, log lines kept {}",
        st.tasks.len(),
        st.tasks.iter().filter(|t| t.is_live()).count(),
        st.instances.len(),
        sim.log().len()
    );
}
