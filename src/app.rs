//! The root component: owns the one simulation (through `Playback`), runs the animation-frame
//! loop, and lays out the page (`Layout`). Components read the view signals in `Ui` and send
//! engine actions through `PlaybackCtl::act`.

use crate::components::{
    alb_view::AlbView, charts::Charts, cluster_controls::ClusterControls, controls::Controls, details::DetailsDrawer,
    events_panel::EventsPanel, language_select::LanguageSelect, scaling_controls::ScalingControls,
    service_panel::ServicePanel, timeline::Timeline,
};
use crate::components::{
    export_panel::ExportPanel, lesson_builder::LessonBuilder, lesson_panel::LessonPanel, share_button::ShareButton,
    td_editor::TdEditor,
};
use crate::i18n::*;
use crate::i18n_setup;
use crate::playback_ctl::{PlaybackCtl, CTL, DEFAULT_SCENARIO};
use ecs_sim::replay::{Playback, DEFAULT_SPEED};
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;

#[component]
pub fn App() -> impl IntoView {
    // A page that embeds the playground (course notes, the benchmark) may hand it a scenario
    // document in `window.ecsPlaygroundScenario` before the app starts.
    let embedded =
        web_sys::window().and_then(|w| js_sys_get(&w, "ecsPlaygroundScenario")).filter(|s| !s.trim().is_empty());
    let text = embedded.as_deref().unwrap_or(DEFAULT_SCENARIO);
    let (initial, load_error) = match ecs_sim::load(text, None) {
        Ok(sim) => (Some(Playback::new(sim)), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let ctl = PlaybackCtl::new(initial);
    provide_context(ctl);
    // The narrow contexts: display-only panels take the reader or the view's signals, not the
    // controller (issue 14).
    provide_context(ctl.reader());
    provide_context(ctl.ui);
    // An embedded scenario with a `variant` plays as A/B runs.
    if embedded.as_deref().and_then(|t| ecs_sim::parse_scenario(t).ok()).is_some_and(|s| s.variant.is_some()) {
        let _ = ctl.load_text(text, None);
    }
    // The language: `?lang=` first, then the browser's (navigator.languages), then English. No
    // cookie: a link or the browser decides, so a shared link opens in the language it names.
    let (search, preferred) = i18n_setup::browser_inputs();
    let i18n = leptos_i18n::context::init_i18n_subcontext::<Locale>(Some(Signal::stored(i18n_setup::initial_locale(
        &search, &preferred,
    ))));
    provide_context(i18n);
    i18n_setup::set_context(i18n);
    // `<html lang>` follows, so screen readers pronounce and fonts pick the right glyphs.
    Effect::new(move |_| {
        let tag = i18n_setup::tag(i18n.get_locale());
        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = el.set_attribute("lang", tag);
        }
        crate::fatal_error::translate(&crate::fatal_error::PanelTexts {
            title: t_string!(i18n, fatal.title).to_string(),
            help: t_string!(i18n, fatal.help).to_string(),
            copy: t_string!(i18n, fatal.copy).to_string(),
            reload: t_string!(i18n, fatal.reload).to_string(),
            link: t_string!(i18n, fatal.link).to_string(),
            copied: t_string!(i18n, fatal.copied).to_string(),
            select_to_copy: t_string!(i18n, fatal.select_to_copy).to_string(),
        });
    });
    CTL.with(|c| *c.borrow_mut() = Some(ctl));
    let url = crate::url_state::start(ctl, embedded);
    provide_context(crate::watch::Watch::new(Some(url)));
    start_frame_loop(ctl);
    install_keyboard(ctl);

    // Drawn once the link's scenario is in (at once, unless the link names a library lesson,
    // which is fetched first: `url_state::start`).
    view! {
        <Show when=move || url.ready.get()>
            <Layout load_error=load_error.clone()/>
        </Show>
    }
}

/// The page fills the window and never scrolls: a slim top bar (time controls, language, share),
/// then the stage: the picture frame (lesson band, the cluster map, the scrubber with marked
/// moments) and beside it the controls column, which scrolls on its own and becomes a drawer
/// over the map on narrow screens and in embed mode (presentation mode keeps the service panel).
#[component]
pub fn Layout(load_error: Option<String>) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    let drawer_open = RwSignal::new(false);
    let aside = NodeRef::<leptos::html::Aside>::new();
    let to_controls = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        drawer_open.set(true);
        request_animation_frame(move || {
            if let Some(a) = aside.get_untracked() {
                let _ = a.focus();
            }
        });
    };
    view! {
        <a class="skip-link" href="#controls" on:click=to_controls>{t!(i18n, app.skip)}</a>
        <header class="topbar">
            <h1>{t!(i18n, app.title)}</h1>
            <Controls/>
            <crate::components::watch_panel::WatchBadge/>
            <LanguageSelect/>
            <ShareButton/>
            <button class="drawer-toggle" aria-controls="controls" aria-expanded=move || drawer_open.get().to_string()
                on:click=move |_| drawer_open.update(|o| *o = !*o)>
                {t!(i18n, app.show_controls)}
            </button>
        </header>
        <main class="stage">
            <section class="frame">
                <LessonPanel/>
                {load_error.map(|e| view! { <div class="error-panel" role="alert">{move || t_string!(i18n, app.load_error, error = &e)}</div> })}
                <crate::components::ab_view::Pictures/>
                <Timeline/>
                <p class="notice" role="status" aria-live="polite" class:bad=move || !ctl.notice.with(|n| n.ok)>
                    {move || ctl.notice.with(|n| n.text.clone())}
                </p>
            </section>
            <aside id="controls" class="side" class:open=move || drawer_open.get() node_ref=aside tabindex="-1"
                aria-label=move || t_string!(i18n, app.side)>
                <crate::components::ab_view::CompareWith/>
                <ServicePanel/>
                <crate::components::watch_panel::WatchPanel/>
                <Charts/>
                <AlbView/>
                <ScalingControls/>
                <ClusterControls/>
                <EventsPanel/>
                <TdEditor/>
                <crate::components::terraform_import::TerraformImport/>
                <ExportPanel/>
                <crate::components::express_panel::ExpressPanel/>
                <LessonBuilder/>
                <crate::components::account_tabs::AccountTabs/>
            </aside>
        </main>
        <DetailsDrawer/>
    }
}

/// A string property of `window`, if set.
fn js_sys_get(w: &web_sys::Window, key: &str) -> Option<String> {
    let v = js_sys::Reflect::get(w, &wasm_bindgen::JsValue::from_str(key)).ok()?;
    v.as_string()
}

pub fn performance_now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// requestAnimationFrame loop: while playing, advance simulated time by speed x elapsed, then
/// sync only what changed. With `window.ecsPlaygroundPerf` set before the app starts (the
/// benchmarks in tests/bench/), each playing frame leaves two `performance.measure` spans:
/// "engine" (the simulation step) and "sync" (engine state onto the view model's signals).
fn start_frame_loop(ctl: PlaybackCtl) {
    let last = Rc::new(Cell::new(performance_now()));
    let marks = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"ecsPlaygroundPerf".into()).ok())
        .is_some_and(|v| v.is_truthy());
    let perf = if marks { web_sys::window().and_then(|w| w.performance()) } else { None };
    fn frame(ctl: PlaybackCtl, last: Rc<Cell<f64>>, perf: Option<web_sys::Performance>) {
        request_animation_frame(move || {
            let now = performance_now();
            let dt = now - last.get();
            last.set(now);
            let span = |name: &str, start: &str| {
                if let Some(p) = &perf {
                    let _ = p.measure_with_start_mark(name, start);
                }
            };
            let mark = |name: &str| {
                if let Some(p) = &perf {
                    let _ = p.mark(name);
                }
            };
            if let Some(remote) = ctl.remote.get_value() {
                // Watching: run on at the server's speed until its next answer (watch.rs).
                let target = remote.estimate(now);
                ctl.playback.update_value(|p| {
                    if let Some(p) = p {
                        if target > p.now() {
                            p.advance_to(target);
                        }
                    }
                });
                ctl.refresh(false);
            } else if ctl.playing.get_untracked() {
                let speed = pace(ctl);
                // The engine gets part of the frame; past it, simulated time waits for the next
                // frame (a cluster at ECS's quotas can need more than a frame per 10x step).
                let deadline = now + ENGINE_BUDGET_MS;
                mark("engine-start");
                ctl.playback.update_value(|p| {
                    if let Some(p) = p {
                        p.advance_within(dt, speed, &mut || performance_now() > deadline);
                    }
                });
                span("engine", "engine-start");
                mark("sync-start");
                ctl.refresh(false);
                span("sync", "sync-start");
            }
            frame(ctl, last, perf);
        });
    }
    frame(ctl, last, perf);
}

/// Milliseconds of a frame the engine may use while playing (the rest: syncing and drawing).
pub const ENGINE_BUDGET_MS: f64 = 9.0;

/// While a rolling deployment runs (a service has more than one deployment) and the speed is
/// still the default, play at `DEPLOYMENT_SPEED` so a class can follow each wave.
pub const DEPLOYMENT_SPEED: u32 = 3;

fn pace(ctl: PlaybackCtl) -> u32 {
    let speed = ctl.speed.get_untracked();
    let deploying = ctl.ui.services.with_untracked(|s| s.iter().any(|s| s.deployments.len() > 1));
    if speed == DEFAULT_SPEED && deploying {
        DEPLOYMENT_SPEED.min(speed)
    } else {
        speed
    }
}

/// Space plays/pauses, right arrow steps, + and - change speed (not while typing in a field).
fn install_keyboard(ctl: PlaybackCtl) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON" | "SUMMARY"))
            .unwrap_or(false);
        if ev.key() == "Escape" {
            ctl.selected.set(None);
            return;
        }
        if typing || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
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
