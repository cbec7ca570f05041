//! Playback: turns wall-clock frames into simulated time (`speed` x elapsed) and owns the one
//! simulation instance. It advances the engine; it never decides anything the engine decides.

use ecs_sim::time::SimTime;
use ecs_sim::Simulation;

/// Simulated seconds per real second offered by the speed control (1x to 600x).
pub const SPEEDS: [u32; 7] = [1, 5, 10, 30, 60, 120, 600];
pub const DEFAULT_SPEED: u32 = 10;

pub struct Playback {
    pub sim: Simulation,
    /// Fractional simulated milliseconds carried between frames.
    carry: f64,
}

impl Playback {
    pub fn new(sim: Simulation) -> Self {
        Playback { sim, carry: 0.0 }
    }

    /// Advance by one frame of `wall_ms` real milliseconds at `speed`x. Long gaps (a background
    /// tab) are capped so the page never stalls catching up.
    pub fn advance(&mut self, wall_ms: f64, speed: u32) {
        let wall_ms = wall_ms.clamp(0.0, 250.0);
        let sim_ms = wall_ms * f64::from(speed) + self.carry;
        let whole = sim_ms.floor();
        self.carry = sim_ms - whole;
        let target: SimTime = self.sim.now() + whole as SimTime;
        self.sim.run_until(target);
    }

    /// Single step: jump to the next thing that happens.
    pub fn step_to_next_event(&mut self) {
        if let Some(t) = self.sim.next_event_time() {
            self.sim.run_until(t);
        }
    }
}
