//! The playback controller: the one handle components use to drive the engine (play, seek,
//! speed, apply commands, record actions) and the signals they read. It lives apart from
//! `app.rs` so components import it without importing the app shell that mounts them.

use crate::i18n::*;
use crate::i18n_setup;
use crate::view_model::Ui;
use ecs_sim::replay::{Playback, DEFAULT_SPEED, SPEEDS};
use ecs_sim::time::SimTime;
use ecs_sim::Command;
use leptos::prelude::*;
use std::cell::RefCell;

/// The scenario the playground opens with (also the CLI's `scenarios/default.json`).
pub const DEFAULT_SCENARIO: &str = include_str!("../scenarios/default.json");

/// What the details drawer shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Selection {
    Task(String),
    Instance(String),
    Target { group: String, label: String },
}

/// The outcome of the last user action, announced politely.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Notice {
    pub ok: bool,
    pub text: String,
}

/// Shared handles the controls use to drive playback.
#[derive(Clone, Copy)]
pub struct PlaybackCtl {
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<u32>,
    pub now_s: RwSignal<f64>,
    pub horizon_s: RwSignal<f64>,
    pub playback: StoredValue<Option<Playback>>,
    pub ui: Ui,
    /// The engine's log length: bumps whenever engine state changed (drawer and panels track it).
    pub version: RwSignal<usize>,
    pub selected: RwSignal<Option<Selection>>,
    pub notice: RwSignal<Notice>,
    /// Recorded user actions: (simulated seconds, action, applied yet).
    pub recorded: RwSignal<Vec<(f64, String, bool)>>,
    /// Log length when the view was last synced, and the sim time of that sync.
    seen: StoredValue<(usize, SimTime)>,
    /// Watching a local simulator (`watch.rs`): the page follows it and its own controls rest.
    pub watching: RwSignal<bool>,
    /// The watched server's clock as last heard (None: not connected).
    pub remote: StoredValue<Option<crate::watch::RemoteClock>>,
}

impl PlaybackCtl {
    /// A paused controller at 0 s over `initial` (None when the scenario failed to load), synced.
    pub fn new(initial: Option<Playback>) -> PlaybackCtl {
        let ctl = PlaybackCtl {
            playing: RwSignal::new(false),
            speed: RwSignal::new(DEFAULT_SPEED),
            now_s: RwSignal::new(0.0),
            horizon_s: RwSignal::new(0.0),
            playback: StoredValue::new(initial),
            ui: Ui::new(),
            version: RwSignal::new(0),
            selected: RwSignal::new(None),
            notice: RwSignal::new(Notice::default()),
            recorded: RwSignal::new(Vec::new()),
            seen: StoredValue::new((0, 0)),
            watching: RwSignal::new(false),
            remote: StoredValue::new(None),
        };
        ctl.refresh(true);
        ctl
    }

    /// Sync the view with the engine if it changed since the last frame.
    pub fn refresh(&self, force: bool) {
        let (seen_len, seen_t) = self.seen.get_value();
        let mut changed = None;
        self.playback.with_value(|p| {
            let Some(p) = p else { return };
            let len = p.sim.log().len();
            let now = p.now();
            // A jump back can land on the same log length with a different state: compare time too.
            if force || len != seen_len || now < seen_t {
                if now < seen_t {
                    self.ui.truncate_samples(now as f64 / 1000.0);
                }
                self.ui.sync(&p.sim);
                changed = Some((len, now));
            }
            self.now_s.set(now as f64 / 1000.0);
            let h = p.horizon() as f64 / 1000.0;
            if self.horizon_s.get_untracked() != h {
                self.horizon_s.set(h);
            }
            let applied = p.applied();
            let rec: Vec<(f64, String, bool)> = p
                .commands()
                .iter()
                .enumerate()
                .map(|(i, c)| (c.at as f64 / 1000.0, c.command.name().to_string(), i < applied))
                .collect();
            if self.recorded.with_untracked(|r| *r != rec) {
                self.recorded.set(rec);
            }
        });
        if let Some((len, now)) = changed {
            self.seen.set_value((len, now));
            self.version.set(len);
        }
    }

    pub fn toggle(&self) {
        if self.watching.get_untracked() {
            return;
        }
        self.playing.update(|p| *p = !*p);
    }

    pub fn step(&self) {
        if self.watching.get_untracked() {
            return;
        }
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

    /// Jump to a simulated time (seconds); the engine re-simulates from a checkpoint.
    pub fn seek(&self, seconds: f64) {
        if self.watching.get_untracked() {
            return;
        }
        let t = (seconds.max(0.0) * 1000.0) as SimTime;
        self.playback.update_value(|p| {
            if let Some(p) = p {
                p.seek(t);
            }
        });
        self.refresh(false);
    }

    /// Restart the scenario with the same seed: the engine is deterministic, so it replays
    /// exactly, recorded actions included.
    pub fn restart(&self) {
        self.seek(0.0);
        self.refresh(true);
    }

    /// Forget the recorded actions and start from the beginning.
    pub fn discard_actions(&self) {
        if self.watching.get_untracked() {
            return;
        }
        self.playback.update_value(|p| {
            if let Some(p) = p {
                p.discard_actions();
            }
        });
        self.ui.truncate_samples(0.0);
        self.refresh(true);
    }

    /// Send an engine action now; it is recorded with its simulated time for replay. Err: the
    /// engine's error (also shown in the notice).
    pub fn act(&self, command: Command) -> Result<(), String> {
        let action = command.name();
        let locale = i18n_setup::current_locale();
        if self.watching.get_untracked() {
            // Acting here would fork the watched simulation: the page is read-only meanwhile.
            let text = td_string!(locale, watch.read_only).to_string();
            self.notice.set(Notice { ok: false, text: text.clone() });
            return Err(text);
        }
        let mut out = Err(td_string!(locale, app.no_scenario).to_string());
        self.playback.update_value(|p| {
            if let Some(p) = p {
                out = p.user_apply(command).map(|_| ()).map_err(|e| e.to_string());
            }
        });
        self.notice.set(match &out {
            // The action and the engine's error keep AWS's names and wording (English, as the API
            // returns them); the sentence around them is translated.
            Ok(_) => Notice {
                ok: true,
                text: td_string!(
                    locale,
                    app.done_at,
                    action,
                    time = crate::components::controls::fmt_clock(self.now_s.get_untracked())
                ),
            },
            Err(e) => Notice { ok: false, text: td_string!(locale, app.failed, action, error = e) },
        });
        self.refresh(false);
        out
    }

    /// Read the simulation (for the drawer and the action builders).
    pub fn with_sim<R>(&self, f: impl FnOnce(&ecs_sim::Simulation) -> R) -> Option<R> {
        self.playback.with_value(|p| p.as_ref().map(|p| f(&p.sim)))
    }

    /// Replace the scenario (used by the benchmark and, later, by the scenario editor).
    pub fn load_scenario(&self, text: &str) -> Result<(), String> {
        let sim = ecs_sim::load(text, None).map_err(|e| e.to_string())?;
        self.replace_sim(Playback::new(sim));
        Ok(())
    }

    /// Replace the simulation (a lesson, a share link's scenario), paused at its start.
    pub fn replace_sim(&self, playback: Playback) {
        self.playing.set(false);
        self.playback.set_value(Some(playback));
        self.selected.set(None);
        self.ui.truncate_samples(-1.0);
        self.seen.set_value((0, 0));
        self.refresh(true);
    }
}

thread_local! {
    /// The mounted app's controller, for the wasm exports used by tests and the benchmark.
    pub(crate) static CTL: RefCell<Option<PlaybackCtl>> = const { RefCell::new(None) };
}

pub fn with_ctl<R>(f: impl FnOnce(&PlaybackCtl) -> R) -> Option<R> {
    CTL.with(|c| c.borrow().as_ref().map(f))
}
