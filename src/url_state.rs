//! The page URL as the playground's state: read once at startup (which lesson or scenario, seed,
//! simulated time, speed, language, recorded actions, embed/presentation mode), and rewritten in
//! place (`history.replaceState`) whenever that state settles, so the address bar is always a
//! share link. Encoding, decoding and the nearest-valid-state rules live in the engine
//! (`ecs_sim::share_link`); this file is only the browser glue.

use crate::lesson_library;
use crate::playback_ctl::{PlaybackCtl, DEFAULT_SCENARIO};
use ecs_sim::lesson::{Lesson, LANGUAGES};
use ecs_sim::replay::{Recorded, DEFAULT_SPEED, SPEEDS};
use ecs_sim::share_link::{self, Known, ShareState, Source};
use ecs_sim::Command;
use leptos::prelude::*;

/// What the URL carries beyond playback itself, shared with the lesson panel, share button and
/// the mode classes.
#[derive(Clone, Copy)]
pub struct UrlState {
    /// UI language (one of `LANGUAGES`). The i18n layer will own the labels; lesson texts read it.
    pub lang: RwSignal<String>,
    /// The open lesson, if the scenario is one of the library.
    pub lesson: RwSignal<Option<String>>,
    /// A custom scenario document from the link (`scenario=`), the embedding page
    /// (`window.ecsPlaygroundScenario`) or the lesson builder, kept so the link keeps carrying it.
    pub custom: StoredValue<Option<String>>,
    /// The custom scenario's own `lesson` object: it plays as a lesson like a library one
    /// (set with `custom` by `set_custom`).
    pub custom_lesson: RwSignal<Option<Lesson>>,
    /// Seed override from the link.
    pub seed: RwSignal<Option<u64>>,
    pub embed: RwSignal<bool>,
    pub present: RwSignal<bool>,
    /// What was wrong with the link that opened the page (each names the parameter and the rule).
    pub problems: RwSignal<Vec<String>>,
    /// The link's scenario is loaded: false only while a lesson the link names is fetched
    /// (`lesson_library::fetch`); the page is drawn once it is true, so the first picture is
    /// the link's and not the default scenario's.
    pub ready: RwSignal<bool>,
}

fn known_lessons() -> Vec<&'static str> {
    lesson_library::ids()
}

/// `location.search` of the page.
fn current_query() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// The browser's preferred language among the playground's, else English.
fn browser_language() -> String {
    let wanted = web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default();
    share_link::negotiate(&[wanted.as_str()], &LANGUAGES).unwrap_or("en").to_string()
}

/// Decode the page's link, load what it names into `ctl`, and return the URL state. Called once
/// by the root component after the controller exists.
pub fn start(ctl: PlaybackCtl, embedded: Option<String>) -> UrlState {
    let ids = known_lessons();
    let known = Known { lessons: &ids, speeds: &SPEEDS, languages: &LANGUAGES, default_speed: DEFAULT_SPEED };
    let decoded = share_link::decode(&current_query(), &known);
    let st = decoded.state;
    let mut problems: Vec<String> = decoded.problems.iter().map(|p| p.to_string()).collect();
    let url = UrlState {
        lang: RwSignal::new(st.lang.clone().unwrap_or_else(browser_language)),
        lesson: RwSignal::new(None),
        custom: StoredValue::new(None),
        custom_lesson: RwSignal::new(None),
        seed: RwSignal::new(st.seed),
        embed: RwSignal::new(st.embed),
        present: RwSignal::new(st.present),
        problems: RwSignal::new(Vec::new()),
        ready: RwSignal::new(!matches!(st.source, Source::Lesson(_))),
    };
    // The language menu (leptos_i18n, `i18n_setup`) owns the language; lesson texts and the link
    // follow it.
    if let Some(i18n) = use_context::<leptos_i18n::I18nContext<crate::i18n::Locale>>() {
        Effect::new(move |_| {
            let tag = crate::i18n_setup::tag(i18n.get_locale()).to_string();
            if url.lang.get_untracked() != tag {
                url.lang.set(tag);
            }
        });
    }
    // A page that hands the app its own scenario (window.ecsPlaygroundScenario) keeps it unless
    // the link names one. A library lesson is a file beside the page: fetched first (the default
    // scenario shows meanwhile), then the rest of the link applies to it.
    let text: Option<String> = match &st.source {
        Source::Lesson(_) => None,
        Source::Custom(text) => {
            set_custom(url, Some(text.clone()));
            Some(text.clone())
        }
        // The embedding page's scenario is already loaded (with its own seed unless the link
        // names one); the link carries it from now on, so a copied address reopens it.
        Source::Default if embedded.is_some() => {
            set_custom(url, embedded.clone());
            st.seed.and(embedded.clone())
        }
        Source::Default if st.seed.is_some() => Some(DEFAULT_SCENARIO.to_string()),
        Source::Default => None,
    };
    provide_context(url);
    mirror_modes(ctl, url);
    install_mode_keys(url);
    match st.source.clone() {
        Source::Lesson(id) => {
            let owner = Owner::current();
            leptos::task::spawn_local(async move {
                let text = match lesson_library::fetch(&id).await {
                    Ok(l) => {
                        url.lesson.set(Some(l.id.to_string()));
                        Some(l.text.to_string())
                    }
                    Err(e) => {
                        problems.push(format!("{e}; opened the default scenario"));
                        None
                    }
                };
                match owner {
                    Some(o) => o.with(|| finish_start(ctl, url, st, text, problems)),
                    None => finish_start(ctl, url, st, text, problems),
                }
            });
        }
        _ => finish_start(ctl, url, st, text, problems),
    }
    url
}

/// The rest of `start` once the scenario document is known: load it, replay the link's actions,
/// open at `t`, keep the URL current; then, after the first picture, fetch the other lessons.
fn finish_start(ctl: PlaybackCtl, url: UrlState, st: ShareState, text: Option<String>, mut problems: Vec<String>) {
    if let Some(text) = text {
        if let Err(e) = load_into(ctl, &text, st.seed) {
            problems.push(format!("the scenario did not load ({e}); opened the default scenario"));
            url.lesson.set(None);
            set_custom(url, None);
        }
    }
    // Replay the link's recorded actions at their times, then open at `t`.
    let mut failed = Vec::new();
    ctl.playback.update_value(|p| {
        let Some(p) = p else { return };
        let mut actions = st.actions.clone();
        actions.sort_by(|a, b| a.at.total_cmp(&b.at));
        for a in actions {
            p.advance_to(ecs_sim::time::from_secs_f64(a.at));
            // The link's JSON edge: each entry parses to a command, or is reported.
            let applied = Command::from_json(&a.action, &a.input).and_then(|c| p.user_apply(c));
            if let Err(e) = applied {
                failed.push(format!("actions: {} at {} s failed ({e}); the rest were replayed", a.action, a.at));
            }
        }
        p.seek(ecs_sim::time::from_secs_f64(st.t));
    });
    problems.extend(failed);
    ctl.speed.set(st.speed);
    ctl.playing.set(st.playing);
    ctl.refresh(true);
    url.problems.set(problems);
    url.ready.set(true);
    keep_url_current(ctl, url);
    // Two animation frames: the first picture is on screen before the lessons and the on-demand
    // module (src/tools.rs: the Terraform import) are asked for.
    request_animation_frame(|| {
        request_animation_frame(|| {
            lesson_library::fetch_all();
            crate::tools::prefetch();
            crate::split::prefetch();
        })
    });
}

/// Keep (or drop) a custom scenario document, and its lesson if it has one.
pub fn set_custom(url: UrlState, text: Option<String>) {
    let lesson = text.as_deref().and_then(|t| ecs_sim::parse_scenario(t).ok()).and_then(|s| s.lesson);
    url.custom.set_value(text);
    url.custom_lesson.set(lesson);
}

/// Open a custom scenario document (a lesson from the builder, say) at 0:00 and keep it in the link.
pub fn open_custom(ctl: PlaybackCtl, url: UrlState, text: &str) -> Result<(), String> {
    load_into(ctl, text, url.seed.get_untracked())?;
    url.lesson.set(None);
    set_custom(url, Some(text.to_string()));
    url.problems.set(Vec::new());
    Ok(())
}

/// Replace the simulation with a scenario document, optionally with another seed.
pub fn load_into(ctl: PlaybackCtl, text: &str, seed: Option<u64>) -> Result<(), String> {
    ctl.load_text(text, seed)
}

/// The scenario document open now: the library lesson's, the custom one, else the default.
pub fn current_text(url: UrlState) -> String {
    if let Some(l) = url.lesson.get_untracked().and_then(|id| lesson_library::find(&id)) {
        return l.text.to_string();
    }
    url.custom.get_value().unwrap_or_else(|| DEFAULT_SCENARIO.to_string())
}

/// Open a library lesson at 0:00 (the lesson picker).
pub fn open_lesson(ctl: PlaybackCtl, url: UrlState, id: &str) -> Result<(), String> {
    let l = lesson_library::find(id).ok_or_else(|| format!("no lesson {id}"))?;
    load_into(ctl, l.text, url.seed.get_untracked())?;
    set_custom(url, None);
    url.lesson.set(Some(l.id.to_string()));
    url.problems.set(Vec::new());
    Ok(())
}

/// The state as it would be shared now.
pub fn share_state(ctl: PlaybackCtl, url: UrlState) -> ShareState {
    let actions = ctl
        .playback
        .with_value(|p| {
            p.as_ref().map(|p| p.commands().iter().take(p.applied()).map(Recorded::to_timeline_entry).collect())
        })
        .unwrap_or_default();
    let source = match (url.lesson.get_untracked(), url.custom.get_value()) {
        (Some(id), _) => Source::Lesson(id),
        (None, Some(text)) => Source::Custom(text),
        (None, None) => Source::Default,
    };
    ShareState {
        source,
        seed: url.seed.get_untracked(),
        t: ctl.now_s.get_untracked(),
        speed: ctl.speed.get_untracked(),
        lang: Some(url.lang.get_untracked()),
        actions,
        playing: false,
        embed: url.embed.get_untracked(),
        present: url.present.get_untracked(),
    }
}

/// The full share link (origin + path + query).
pub fn share_link(ctl: PlaybackCtl, url: UrlState) -> String {
    let query = share_link::encode(&share_state(ctl, url), DEFAULT_SPEED);
    let base = web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default();
    if query.is_empty() {
        base
    } else {
        format!("{base}?{query}")
    }
}

/// Rewrite the address bar whenever the shareable state settles: paused time, speed, language,
/// lesson, modes, recorded actions. Not on every frame while playing (browsers throttle
/// `replaceState`, and a moving link is of no use to anyone).
fn keep_url_current(ctl: PlaybackCtl, url: UrlState) {
    Effect::new(move |_| {
        let playing = ctl.playing.get();
        let _ = (ctl.speed.get(), url.lang.get(), url.lesson.get(), url.embed.get(), url.present.get());
        let _ = url.custom_lesson.with(|l| l.is_some());
        let _ = ctl.recorded.with(|r| r.len());
        if playing {
            return;
        }
        let _ = ctl.now_s.get();
        let query = share_link::encode(&share_state(ctl, url), DEFAULT_SPEED);
        let Some(w) = web_sys::window() else { return };
        let path = w.location().pathname().unwrap_or_default();
        let target = if query.is_empty() { path } else { format!("{path}?{query}") };
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&target));
        }
    });
}

/// Embed and presentation modes (and A/B runs) are classes on the root element; `public/styles.css` does the
/// rest. The root's `lang` attribute follows the language.
fn mirror_modes(ctl: PlaybackCtl, url: UrlState) {
    Effect::new(move |_| {
        let mut classes = Vec::new();
        // A/B runs side by side: the pictures take the width, the controls go to the drawer.
        if ctl.is_ab() {
            classes.push("ab");
        }
        if url.embed.get() {
            classes.push("embed");
        }
        if url.present.get() {
            classes.push("present");
        }
        // (`<html lang>` is set by the root component from the i18n locale.)
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            root.set_class_name(&classes.join(" "));
        }
    });
}

/// Key `p` toggles presentation mode (and full screen where the browser allows it); Escape
/// leaves it. Not while typing in a field.
fn install_mode_keys(url: UrlState) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"))
            .unwrap_or(false);
        if typing || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        match ev.key().as_str() {
            "p" | "P" => set_present(url, !url.present.get_untracked()),
            "Escape" if url.present.get_untracked() => set_present(url, false),
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());
}

/// Enter or leave presentation mode; full screen is asked for and may be refused (an iframe
/// without allowfullscreen, a headless browser): the mode works either way.
pub fn set_present(url: UrlState, on: bool) {
    url.present.set(on);
    let doc = web_sys::window().and_then(|w| w.document());
    if let Some(doc) = doc {
        if on {
            if let Some(root) = doc.document_element() {
                let _ = root.request_fullscreen();
            }
        } else if doc.fullscreen_element().is_some() {
            doc.exit_fullscreen();
        }
    }
}
