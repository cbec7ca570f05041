//! Replay: owns one simulation, records every user command with its simulated time, and jumps to
//! any moment by re-simulating from the nearest checkpoint (the engine is deterministic and
//! `Simulation` is `Clone`). The app drives it from animation frames (`advance` turns the real
//! milliseconds of a frame into simulated time at `speed`x; the caller measures them, nothing here
//! reads a clock). Recorded commands are the scenario timeline's entries, typed: `Recorded` writes
//! itself back as a `TimelineEntry` for share links and exports.

use crate::command::Command;
use crate::scenario::TimelineEntry;
use crate::time::SimTime;
use crate::{ApiResult, Simulation};
use serde_json::Value;

/// Simulated seconds per real second offered by the speed control (1x to 600x).
pub const SPEEDS: [u32; 7] = [1, 5, 10, 30, 60, 120, 600];
pub const DEFAULT_SPEED: u32 = 10;

/// A checkpoint every this many simulated milliseconds (5 minutes).
pub const CHECKPOINT_EVERY: SimTime = 5 * 60 * 1000;
/// Checkpoints kept at most; beyond this every other one is dropped (the first is always kept).
const MAX_CHECKPOINTS: usize = 64;
/// What all checkpoints together may weigh, in tasks and instances held (their arenas): beyond it
/// every other one is dropped too, so a cluster at ECS's quotas (5,000 instances, 10,000 tasks in
/// a rolling update: about 20 MB a checkpoint) keeps a few, spaced wider, and a small one keeps 64.
/// Seeking stays exact either way; it re-simulates further. About 1.3 KB each measured
/// (engine/examples/checkpoint_memory.rs), so this is ~80 MB at most.
pub const CHECKPOINT_BUDGET: usize = 60_000;

/// A user command and the simulated time it was applied at.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub at: SimTime,
    pub command: Command,
    /// The request body exactly as another simulation received it (a call to `ecs-sim serve`),
    /// applied with `Simulation::apply_json` so this log records it byte for byte as that one
    /// did. `None`: the command's own `input_json`.
    pub input: Option<Value>,
}

impl Recorded {
    /// A call another simulation applied at `at`: `action` and its request body as received.
    pub fn from_json(at: SimTime, action: &str, input: &Value) -> ApiResult<Recorded> {
        Ok(Recorded { at, command: Command::from_json(action, input)?, input: Some(input.clone()) })
    }

    /// The timeline entry a scenario file would hold (`at` in seconds).
    pub fn to_timeline_entry(&self) -> TimelineEntry {
        let (action, own) = self.command.to_json();
        let input = self.input.clone().unwrap_or(own);
        TimelineEntry { at: self.at as f64 / 1000.0, action: action.to_string(), input }
    }

    fn apply_to(&self, sim: &mut Simulation) -> ApiResult<Value> {
        match &self.input {
            Some(input) => sim.apply_json(self.command.name(), input),
            None => sim.apply(self.command.clone()),
        }
    }
}

#[derive(Clone)]
struct Checkpoint {
    at: SimTime,
    /// How many recorded actions had been applied when the checkpoint was taken.
    applied: usize,
    sim: Simulation,
    /// Tasks and instances it holds (`weight`), counted against `CHECKPOINT_BUDGET`.
    weight: usize,
}

/// What a checkpoint of `sim` costs, in entities: its task and instance arenas, which hold most
/// of a clone's bytes (log lines are shared between clones).
fn weight(sim: &Simulation) -> usize {
    sim.state().tasks.len() + sim.state().instances.len() + 1
}

pub struct Playback {
    pub sim: Simulation,
    /// Fractional simulated milliseconds carried between frames.
    carry: f64,
    /// Every user action, in the order applied; replayed when jumping back.
    commands: Vec<Recorded>,
    /// How many of `commands` the current `sim` has applied.
    applied: usize,
    checkpoints: Vec<Checkpoint>,
    /// The furthest simulated time reached (the scrubber's extent).
    horizon: SimTime,
    /// `CHECKPOINT_BUDGET` unless a test sets another.
    budget: usize,
}

/// Event-log entries kept in memory while playing (see `EventLog::set_retention`).
pub const LOG_RETENTION: usize = 20_000;

impl Playback {
    pub fn new(mut sim: Simulation) -> Self {
        // A class can leave the page playing for hours at 600x: keep the engine's log bounded
        // (the events panel and charts read only recent entries; the digest still covers all).
        sim.set_log_retention(Some(LOG_RETENTION));
        let cp = Checkpoint { at: sim.now(), applied: 0, weight: weight(&sim), sim: sim.clone() };
        Playback {
            sim,
            carry: 0.0,
            commands: Vec::new(),
            applied: 0,
            checkpoints: vec![cp],
            horizon: 0,
            budget: CHECKPOINT_BUDGET,
        }
    }

    /// Another budget for all checkpoints together, in tasks and instances (tests).
    pub fn set_checkpoint_budget(&mut self, entities: usize) {
        self.budget = entities;
        self.thin_checkpoints();
    }

    pub fn now(&self) -> SimTime {
        self.sim.now()
    }
    pub fn horizon(&self) -> SimTime {
        self.horizon.max(self.sim.now())
    }
    pub fn commands(&self) -> &[Recorded] {
        &self.commands
    }
    /// Actions already applied at the current moment (the rest lie in the future of a rewind).
    pub fn applied(&self) -> usize {
        self.applied
    }
    /// How many checkpoints are kept (memory measurements, tests).
    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }
    /// The simulated times of the checkpoints kept, oldest first.
    pub fn checkpoint_times(&self) -> Vec<SimTime> {
        self.checkpoints.iter().map(|c| c.at).collect()
    }
    /// What the checkpoints kept weigh together (tasks and instances), against the budget.
    pub fn checkpoint_weight(&self) -> usize {
        self.checkpoints.iter().map(|c| c.weight).sum()
    }

    /// Advance by one frame of `wall_ms` real milliseconds at `speed`x. Long gaps (a background
    /// tab) are capped so the page never stalls catching up.
    pub fn advance(&mut self, wall_ms: f64, speed: u32) {
        let wall_ms = wall_ms.clamp(0.0, 250.0);
        let sim_ms = wall_ms * f64::from(speed) + self.carry;
        let whole = sim_ms.floor();
        self.carry = sim_ms - whole;
        let target: SimTime = self.sim.now() + whole as SimTime;
        self.advance_to(target);
    }

    /// `advance`, with a time budget: after each moment (every event at one simulated
    /// millisecond, and the recorded actions due then) ask `over_budget`, and stop there if it
    /// says the frame has used its time. Simulated time then runs slower than `speed` while the
    /// engine cannot keep up (a cluster at ECS's quotas in a slow browser), instead of one frame
    /// taking seconds. It never stops inside a moment, so an action taken meanwhile is recorded at
    /// a time that replays exactly. Returns whether the frame's target time was reached.
    /// `over_budget` is the caller's clock: the engine reads none.
    pub fn advance_within(&mut self, wall_ms: f64, speed: u32, over_budget: &mut dyn FnMut() -> bool) -> bool {
        let wall_ms = wall_ms.clamp(0.0, 250.0);
        let sim_ms = wall_ms * f64::from(speed) + self.carry;
        let whole = sim_ms.floor();
        let target: SimTime = self.sim.now() + whole as SimTime;
        loop {
            let next_cmd = self.commands.get(self.applied).map(|c| c.at);
            let next = match (self.sim.next_event_time(), next_cmd) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            match next {
                Some(t) if t < target => {
                    self.advance_to(t.max(self.sim.now()));
                    if over_budget() {
                        self.carry = 0.0;
                        return false;
                    }
                }
                _ => {
                    self.carry = sim_ms - whole;
                    self.advance_to(target);
                    return true;
                }
            }
        }
    }

    /// Single step: jump to the next thing that happens (an engine event or a recorded action).
    pub fn step_to_next_event(&mut self) {
        let next_cmd = self.commands.get(self.applied).map(|c| c.at);
        let next = match (self.sim.next_event_time(), next_cmd) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(t) = next {
            self.advance_to(t.max(self.sim.now()));
            // Apply a recorded action due now, so a step never stops just before it.
            self.apply_due(self.sim.now());
        }
    }

    /// Run forward to `target`, applying recorded actions at their times and taking checkpoints.
    pub fn advance_to(&mut self, target: SimTime) {
        while let Some(c) = self.commands.get(self.applied) {
            if c.at > target {
                break;
            }
            let c = c.clone();
            self.run_to(c.at);
            let _ = c.apply_to(&mut self.sim);
            self.applied += 1;
        }
        self.run_to(target);
        self.horizon = self.horizon.max(self.sim.now());
    }

    fn apply_due(&mut self, now: SimTime) {
        while let Some(c) = self.commands.get(self.applied) {
            if c.at > now {
                break;
            }
            let c = c.clone();
            let _ = c.apply_to(&mut self.sim);
            self.applied += 1;
        }
    }

    /// `run_until(t)`, stopping at each checkpoint boundary on the way (stopping changes nothing:
    /// events carry their own times).
    fn run_to(&mut self, t: SimTime) {
        loop {
            let last = self.checkpoints.last().map(|c| c.at).unwrap_or(0);
            let boundary = (last / CHECKPOINT_EVERY + 1) * CHECKPOINT_EVERY;
            if boundary > t || self.sim.now() > boundary {
                break;
            }
            self.sim.run_until(boundary);
            let w = weight(&self.sim);
            self.checkpoints.push(Checkpoint { at: boundary, applied: self.applied, weight: w, sim: self.sim.clone() });
            self.thin_checkpoints();
        }
        self.sim.run_until(t);
    }

    /// Over `MAX_CHECKPOINTS`, or over the budget, drop every other checkpoint (the first, at
    /// the start, stays): what is left spreads over the whole run, denser towards its end.
    fn thin_checkpoints(&mut self) {
        while self.checkpoints.len() > 2
            && (self.checkpoints.len() > MAX_CHECKPOINTS || self.checkpoint_weight() > self.budget)
        {
            let mut i = 0;
            self.checkpoints.retain(|_| {
                i += 1;
                i == 1 || i % 2 == 0
            });
        }
    }

    /// Jump to simulated time `t`: forward by simulating, backward by restoring the latest
    /// checkpoint at or before `t` and re-simulating with the recorded actions.
    pub fn seek(&mut self, t: SimTime) {
        self.carry = 0.0;
        if t < self.sim.now() {
            let cp = self.checkpoints.iter().rev().find(|c| c.at <= t).or(self.checkpoints.first()).cloned();
            if let Some(cp) = cp {
                self.sim = cp.sim;
                self.applied = cp.applied;
            }
        }
        self.advance_to(t);
    }

    /// A user command: applied now and recorded with the current simulated time. Acting after a
    /// rewind starts a new branch: recorded commands later than now are discarded.
    pub fn user_apply(&mut self, command: Command) -> ApiResult<Value> {
        let now = self.sim.now();
        if self.applied < self.commands.len() {
            self.commands.truncate(self.applied);
            self.checkpoints.retain(|c| c.at <= now && c.applied <= self.applied);
            self.horizon = now;
        }
        // A checkpoint taken at this instant before the action must not count it.
        let result = self.sim.apply(command.clone());
        self.commands.push(Recorded { at: now, command, input: None });
        self.applied += 1;
        result
    }

    /// Follow another simulation of the same scenario (a local `ecs-sim serve`): `commands` is
    /// every call it applied so far, in order, with its time; then be at `to`. The engine is
    /// deterministic, so applying the same calls at the same times gives the same cluster. Calls
    /// we already had are kept; a new call earlier than now (we ran ahead of the other clock), or
    /// one that differs from what we applied, sends us back to the latest checkpoint before it and
    /// re-simulates forward, so the result is exactly as if we had known it all along.
    pub fn follow(&mut self, commands: Vec<Recorded>, to: SimTime) {
        let common = self.commands.iter().zip(&commands).take_while(|(a, b)| a == b).count();
        let first_new = commands.get(common).map(|c| c.at);
        let late = first_new.is_some_and(|at| at < self.sim.now());
        let diverged = self.applied > common;
        self.commands = commands;
        if late || diverged {
            let limit = first_new.unwrap_or(SimTime::MAX);
            // A checkpoint stays valid if it applied only shared calls and lies before the change.
            self.checkpoints.retain(|c| c.applied <= common && c.at <= limit);
            if let Some(cp) = self.checkpoints.last().cloned() {
                self.sim = cp.sim;
                self.applied = cp.applied;
            }
            self.carry = 0.0;
            self.horizon = self.sim.now();
        }
        self.seek(to);
    }

    /// Forget every recorded action and start again from the beginning.
    pub fn discard_actions(&mut self) {
        let first = self.checkpoints.first().cloned();
        if let Some(cp) = first {
            self.sim = cp.sim.clone();
            self.checkpoints = vec![cp];
        }
        self.commands.clear();
        self.applied = 0;
        self.horizon = 0;
        self.carry = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::UpdateServiceInput;

    const DEFAULT: &str = include_str!("../../scenarios/default.json");

    fn pb() -> Playback {
        Playback::new(crate::load(DEFAULT, None).expect("default scenario"))
    }

    fn desired(n: u32) -> Command {
        Command::UpdateService(UpdateServiceInput {
            service: "web".into(),
            desired_count: Some(n),
            ..Default::default()
        })
    }

    #[test]
    fn a_time_budget_slows_simulated_time_but_not_what_happens() {
        // Worst case: over budget after every moment. The run gets there one moment per frame
        // and writes the same log, byte for byte, as an unbudgeted run (actions included).
        let mut a = pb();
        a.advance_to(200_000);
        a.user_apply(desired(3)).expect("update");
        let mut frames = 0;
        while a.now() < 900_000 {
            a.advance_within(100.0, 60, &mut || true);
            frames += 1;
        }
        let mut b = pb();
        b.advance_to(200_000);
        b.user_apply(desired(3)).expect("update");
        b.advance_to(a.now());
        assert_eq!(a.sim.log().digest(), b.sim.log().digest());
        assert!(frames > 700 / 6, "stopping after moments took more frames than the 6 s steps alone ({frames})");
        // Never over budget: one frame is exactly `advance`.
        let mut c = pb();
        let mut d = pb();
        assert!(c.advance_within(250.0, 60, &mut || false));
        d.advance(250.0, 60);
        assert_eq!(c.now(), d.now());
        assert_eq!(c.sim.log().digest(), d.sim.log().digest());
    }

    #[test]
    fn seek_back_replays_recorded_actions_identically() {
        let mut a = pb();
        a.advance_to(200_000);
        a.user_apply(desired(3)).expect("update");
        a.advance_to(1_500_000);
        let digest = a.sim.log().digest();
        let tasks = a.sim.state().tasks.len();
        // Back to before the action, then forward again: the same log, byte for byte.
        a.seek(100_000);
        assert_eq!(a.now(), 100_000);
        assert_eq!(a.applied(), 0);
        a.seek(1_500_000);
        assert_eq!(a.sim.log().digest(), digest);
        assert_eq!(a.sim.state().tasks.len(), tasks);
        // The same as a fresh run with the action at the same time.
        let mut b = pb();
        b.advance_to(200_000);
        let _ = b.sim.apply(desired(3));
        b.advance_to(1_500_000);
        assert_eq!(b.sim.log().digest(), digest);
    }

    #[test]
    // The default scenario sets desiredCount 9 at 2:00; these actions come after it.
    fn acting_after_a_rewind_discards_the_old_future() {
        let mut a = pb();
        a.advance_to(400_000);
        a.user_apply(desired(2)).expect("update");
        a.advance_to(900_000);
        a.seek(150_000);
        a.user_apply(desired(4)).expect("update");
        assert_eq!(a.commands().len(), 1);
        assert_eq!(a.commands()[0].at, 150_000);
        a.advance_to(900_000);
        assert_eq!(a.sim.state().services[0].desired_count, 4);
    }

    #[test]
    fn checkpoints_are_taken_and_thinned() {
        let mut a = pb();
        a.advance_to(CHECKPOINT_EVERY * 200);
        assert!(a.checkpoints.len() <= MAX_CHECKPOINTS);
        assert_eq!(a.checkpoints[0].at, 0);
        a.seek(CHECKPOINT_EVERY * 3 + 5);
        assert_eq!(a.now(), CHECKPOINT_EVERY * 3 + 5);
    }

    #[test]
    fn recorded_commands_written_as_a_timeline_replay_to_the_same_log() {
        let mut a = pb();
        a.advance_to(200_000);
        a.user_apply(desired(3)).expect("update");
        a.advance_to(450_000);
        a.user_apply(desired(5)).expect("update");
        a.advance_to(900_000);
        let entries: Vec<TimelineEntry> = a.commands().iter().map(Recorded::to_timeline_entry).collect();
        assert_eq!(entries[0].action, "UpdateService");
        assert_eq!(entries[0].input, serde_json::json!({"service": "web", "desiredCount": 3}));
        let mut scenario = crate::parse_scenario(DEFAULT).expect("parses");
        scenario.timeline.extend(entries);
        let mut b = crate::Simulation::new(scenario).expect("loads");
        b.run_until(900_000);
        assert_eq!(b.log().to_json_lines(), a.sim.log().to_json_lines());
    }

    /// What a server did: the calls with their times, applied after running to each time.
    fn server_run(calls: &[Recorded], to: SimTime) -> Simulation {
        let mut sim = crate::load(DEFAULT, None).expect("default scenario");
        for c in calls {
            sim.run_until(c.at);
            let _ = sim.apply_json(c.command.name(), c.input.as_ref().expect("raw input"));
        }
        sim.run_until(to);
        sim
    }

    #[test]
    fn following_a_server_gives_its_log_byte_for_byte_even_after_running_ahead() {
        // Request bodies as a client sent them (a key the engine ignores stays in the log).
        let raw = |at: SimTime, n: u32| {
            Recorded::from_json(
                at,
                "UpdateService",
                &serde_json::json!({"service": "web", "desiredCount": n, "cluster": "default"}),
            )
            .expect("parses")
        };
        let calls = vec![raw(200_000, 3), raw(200_000, 4), raw(650_000, 6)];
        let server = server_run(&calls, 1_000_000);

        // Polled once a second: the watcher sees the calls as they come, at the server's clock.
        let mut w = pb();
        w.follow(vec![], 150_000);
        w.follow(calls[..2].to_vec(), 400_000);
        // It ran ahead of the server (its own estimate of the clock), then learns of a call made
        // at 650 s: back to a checkpoint, forward again with the call in place.
        w.advance_to(800_000);
        w.follow(calls.clone(), 1_000_000);
        assert_eq!(w.now(), 1_000_000);
        assert_eq!(w.applied(), 3);
        assert_eq!(w.sim.log().to_json_lines(), server.log().to_json_lines());
        assert_eq!(w.sim.snapshot(), server.snapshot());
        assert_eq!(w.sim.state().services[0].desired_count, server.state().services[0].desired_count);

        // The server restarted with other calls: what differs is undone.
        let other = vec![raw(100_000, 2)];
        w.follow(other.clone(), 1_000_000);
        assert_eq!(w.sim.log().to_json_lines(), server_run(&other, 1_000_000).log().to_json_lines());
        // And the timeline entry keeps the body as received.
        assert_eq!(w.commands()[0].to_timeline_entry().input["cluster"], "default");
    }
}
