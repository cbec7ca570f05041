//! The playback controller: the one handle components use to drive the engine (play, seek,
//! speed, apply commands, record actions) and the signals they read. It lives apart from
//! `app.rs` so components import it without importing the app shell that mounts them.

use crate::i18n::*;
use crate::i18n_setup;
use crate::view_model::Ui;
use ecs_sim::ab::AbFigures;
use ecs_sim::lesson::Text;
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

/// Run B of an A/B comparison (a scenario with a `variant`): its own replay and view signals,
/// kept on run A's clock and fed run A's user actions by `ecs_sim::ab::keep_in_step` in
/// `PlaybackCtl::refresh`, so every control that drives A drives both.
#[derive(Clone, Copy)]
pub struct AbCtl {
    pub twin: StoredValue<Option<Playback>>,
    pub ui: Ui,
    /// Run B's log length (its map tracks it as run A's tracks `version`).
    pub version: RwSignal<usize>,
    seen: StoredValue<(usize, SimTime)>,
    /// Each run's label per language while a comparison is on; None: one run.
    pub labels: RwSignal<Option<(Text, Text)>>,
    /// The figures strip at the current moment.
    pub figures: RwSignal<Option<AbFigures>>,
    /// When the runs end (seconds): the summary is written from then on.
    pub end_s: RwSignal<f64>,
    /// Run B's own selection: its chips highlight, the details drawer stays with run A.
    pub selected: RwSignal<Option<Selection>>,
}

impl AbCtl {
    fn new() -> AbCtl {
        AbCtl {
            twin: StoredValue::new(None),
            ui: Ui::new(),
            version: RwSignal::new(0),
            seen: StoredValue::new((0, 0)),
            labels: RwSignal::new(None),
            figures: RwSignal::new(None),
            end_s: RwSignal::new(0.0),
            selected: RwSignal::new(None),
        }
    }
}

/// What a panel that only shows engine state needs, instead of the whole controller (issue 14:
/// components take the narrow context they need): the signal that bumps when the engine's state
/// changed, to track, and the simulation, to read. It cannot play, seek or send an action.
#[derive(Clone, Copy)]
pub struct SimReader {
    /// The engine's log length (see `PlaybackCtl::version`), read-only.
    pub version: ReadSignal<usize>,
    playback: StoredValue<Option<Playback>>,
}

impl SimReader {
    /// Read the simulation (None: no scenario loaded). Untracked: track `version` to follow it.
    pub fn with_sim<R>(&self, f: impl FnOnce(&ecs_sim::Simulation) -> R) -> Option<R> {
        read_sim(self.playback, f)
    }
}

/// `f` over the loaded simulation (None: no scenario loaded); both handles read through it.
fn read_sim<R>(playback: StoredValue<Option<Playback>>, f: impl FnOnce(&ecs_sim::Simulation) -> R) -> Option<R> {
    playback.with_value(|p| p.as_ref().map(|p| f(&p.sim)))
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
    /// Run B when the scenario has a `variant` (A/B); run A is `playback`.
    pub ab: AbCtl,
    /// Bumps each time a scenario is loaded (`replace_sim`): what depends on the scenario itself,
    /// not on its run, tracks it (e.g. the picks "Compare with..." offers).
    pub loads: RwSignal<u32>,
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
            ab: AbCtl::new(),
            loads: RwSignal::new(0),
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
        self.refresh_twin(force || changed.is_some());
    }

    /// Run B follows run A (same moment, same user actions), then its view and the figures strip
    /// are synced like A's.
    fn refresh_twin(&self, a_changed: bool) {
        let ab = self.ab;
        if ab.labels.with_untracked(|l| l.is_none()) {
            return;
        }
        let mut figures = None;
        let mut b_changed = None;
        self.playback.with_value(|a| {
            let Some(a) = a else { return };
            ab.twin.update_value(|b| {
                let Some(b) = b else { return };
                ecs_sim::ab::keep_in_step(a, b);
                let (seen_len, seen_t) = ab.seen.get_value();
                let (len, now) = (b.sim.log().len(), b.now());
                if a_changed || len != seen_len || now < seen_t {
                    if now < seen_t {
                        ab.ui.truncate_samples(now as f64 / 1000.0);
                    }
                    ab.ui.sync(&b.sim);
                    b_changed = Some((len, now));
                }
                // Cost and time move every frame: the strip is re-read once per simulated second.
                let stale = ab.figures.with_untracked(|f| {
                    f.as_ref().is_none_or(|f| (f.a.at_seconds.floor() - (now as f64 / 1000.0).floor()).abs() >= 1.0)
                });
                if a_changed || b_changed.is_some() || stale {
                    figures = Some(AbFigures::of(&a.sim, &b.sim));
                }
            });
        });
        if let Some((len, now)) = b_changed {
            ab.seen.set_value((len, now));
            ab.version.set(len);
        }
        if let Some(f) = figures {
            ab.figures.set(Some(f));
        }
    }

    /// Run B's view of this controller: the same clock and controls, run B's replay, view
    /// signals and selection. Components under it (the cluster map) draw run B.
    pub fn twin_view(&self) -> PlaybackCtl {
        PlaybackCtl {
            playback: self.ab.twin,
            ui: self.ab.ui,
            version: self.ab.version,
            selected: self.ab.selected,
            ..*self
        }
    }

    /// Is an A/B comparison on?
    pub fn is_ab(&self) -> bool {
        self.ab.labels.with(|l| l.is_some())
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
        read_sim(self.playback, f)
    }

    /// The read-only view of this controller that display-only panels take (`SimReader`). Made
    /// once, when the app provides it: each `read_only()` is a new reactive arena item.
    pub fn reader(&self) -> SimReader {
        SimReader { version: self.version.read_only(), playback: self.playback }
    }

    /// Replace the scenario (used by the benchmark and, later, by the scenario editor).
    pub fn load_scenario(&self, text: &str) -> Result<(), String> {
        self.load_text(text, None)
    }

    /// Load a scenario document with an optional seed override: one run, or with a `variant`
    /// section both A/B runs from the same seed (`ecs_sim::ab::AbRun`).
    pub fn load_text(&self, text: &str, seed: Option<u64>) -> Result<(), String> {
        let scenario = ecs_sim::parse_scenario(text).map_err(|e| e.to_string())?;
        if scenario.variant.is_none() {
            let sim = ecs_sim::load(text, seed).map_err(|e| e.to_string())?;
            self.replace_sim(Playback::new(sim));
            return Ok(());
        }
        let end = ecs_sim::ab::end_seconds(&scenario);
        let run = ecs_sim::ab::AbRun::from_scenario(&scenario, seed).map_err(|e| e.to_string())?;
        self.replace_sim(Playback::new(run.a));
        let ab = self.ab;
        ab.twin.set_value(Some(Playback::new(run.b)));
        ab.selected.set(None);
        ab.ui.truncate_samples(-1.0);
        ab.seen.set_value((0, 0));
        ab.end_s.set(end);
        ab.figures.set(None);
        ab.labels.set(Some((run.label_a, run.label_b)));
        self.refresh(true);
        Ok(())
    }

    /// Replace the simulation (a lesson, a share link's scenario), paused at its start; one run
    /// (an A/B comparison ends).
    pub fn replace_sim(&self, playback: Playback) {
        if self.ab.labels.with_untracked(|l| l.is_some()) {
            self.ab.labels.set(None);
            self.ab.twin.set_value(None);
            self.ab.figures.set(None);
        }
        self.playing.set(false);
        self.playback.set_value(Some(playback));
        self.selected.set(None);
        self.ui.truncate_samples(-1.0);
        self.seen.set_value((0, 0));
        self.refresh(true);
        self.loads.update(|n| *n += 1);
    }
}

thread_local! {
    /// The mounted app's controller, for the wasm exports used by tests and the benchmark.
    pub(crate) static CTL: RefCell<Option<PlaybackCtl>> = const { RefCell::new(None) };
}

pub fn with_ctl<R>(f: impl FnOnce(&PlaybackCtl) -> R) -> Option<R> {
    CTL.with(|c| c.borrow().as_ref().map(f))
}
