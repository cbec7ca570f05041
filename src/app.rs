//! The root component: owns the one simulation (through `Playback`), runs the animation-frame
//! loop, and hands each component the slice of the view model it draws.

use crate::components::{cluster_view::ClusterView, controls::Controls, events_panel::EventsPanel};
use crate::playback::{Playback, DEFAULT_SPEED, SPEEDS};
use crate::view_model::{self, ClusterVm};
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;

/// The scenario the playground opens with (also the CLI's `scenarios/default.json`).
pub const DEFAULT_SCENARIO: &str = include_str!("../scenarios/default.json");

/// Shared handles the controls use to drive playback.
#[derive(Clone, Copy)]
pub struct PlaybackCtl {
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<u32>,
    pub now_s: RwSignal<f64>,
    pub playback: StoredValue<Option<Playback>>,
    pub vm: RwSignal<ClusterVm>,
    /// Log length when the view model was last built: every engine state change appends a line.
    pub seen_log: StoredValue<usize>,
}

impl PlaybackCtl {
    /// Rebuild the view model if the engine changed since the last frame.
    pub fn refresh(&self, force: bool) {
        let seen = self.seen_log.get_value();
        let mut fresh: Option<(ClusterVm, usize, f64)> = None;
        self.playback.with_value(|p| {
            if let Some(p) = p {
                let len = p.sim.log().len();
                let now = p.sim.now() as f64 / 1000.0;
                if force || len != seen {
                    fresh = Some((view_model::build(&p.sim), len, now));
                } else {
                    self.now_s.set(now);
                }
            }
        });
        if let Some((vm, len, now)) = fresh {
            self.seen_log.set_value(len);
            self.now_s.set(now);
            self.vm.set(vm);
        }
    }

    pub fn toggle(&self) {
        self.playing.update(|p| *p = !*p);
    }

    pub fn step(&self) {
        self.playing.set(false);
        self.playback.update_value(|p| {
            if let Some(p) = p {
                p.step_to_next_event();
            }
        });
        self.refresh(false);
    }

    pub fn faster(&self, up: bool) {
        let cur = self.speed.get_untracked();
        let i = SPEEDS.iter().position(|s| *s == cur).unwrap_or(0);
        let j = if up { (i + 1).min(SPEEDS.len() - 1) } else { i.saturating_sub(1) };
        self.speed.set(SPEEDS[j]);
    }

    /// Restart the same scenario with the same seed: the engine is deterministic, so it replays
    /// exactly.
    pub fn restart(&self) {
        if let Ok(sim) = ecs_sim::load(DEFAULT_SCENARIO, None) {
            self.playback.set_value(Some(Playback::new(sim)));
        }
        self.refresh(true);
    }
}

#[component]
pub fn App() -> impl IntoView {
    let (initial, load_error) = match ecs_sim::load(DEFAULT_SCENARIO, None) {
        Ok(sim) => (Some(Playback::new(sim)), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let vm0 = initial.as_ref().map(|p| view_model::build(&p.sim));
    let ctl = PlaybackCtl {
        playing: RwSignal::new(false),
        speed: RwSignal::new(DEFAULT_SPEED),
        now_s: RwSignal::new(0.0),
        playback: StoredValue::new(initial),
        vm: RwSignal::new(vm0.unwrap_or_else(empty_vm)),
        seen_log: StoredValue::new(0),
    };
    provide_context(ctl);
    start_frame_loop(ctl);
    install_keyboard(ctl);

    view! {
        <header class="topbar">
            <h1>"ECS Playground"</h1>
            <Controls/>
        </header>
        {load_error.map(|e| view! { <div class="error-panel" role="alert">"The scenario could not be loaded: " {e}</div> })}
        <main class="stage">
            <ClusterView vm=ctl.vm/>
            <EventsPanel vm=ctl.vm/>
        </main>
    }
}

fn empty_vm() -> ClusterVm {
    ClusterVm { cluster_name: String::new(), region: String::new(), now_s: 0.0, azs: Vec::new(), services: Vec::new() }
}

fn performance_now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// requestAnimationFrame loop: while playing, advance simulated time by speed x elapsed.
fn start_frame_loop(ctl: PlaybackCtl) {
    let last = Rc::new(Cell::new(performance_now()));
    fn frame(ctl: PlaybackCtl, last: Rc<Cell<f64>>) {
        request_animation_frame(move || {
            let now = performance_now();
            let dt = now - last.get();
            last.set(now);
            if ctl.playing.get_untracked() {
                let speed = ctl.speed.get_untracked();
                ctl.playback.update_value(|p| {
                    if let Some(p) = p {
                        p.advance(dt, speed);
                    }
                });
                ctl.refresh(false);
            }
            frame(ctl, last);
        });
    }
    frame(ctl, last);
}

/// Space plays/pauses, right arrow steps, + and - change speed (not while typing in a field).
fn install_keyboard(ctl: PlaybackCtl) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON"))
            .unwrap_or(false);
        if typing {
            return;
        }
        match ev.key().as_str() {
            " " => {
                ev.prevent_default();
                ctl.toggle();
            }
            "ArrowRight" => ctl.step(),
            "+" | "=" => ctl.faster(true),
            "-" => ctl.faster(false),
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());
}
