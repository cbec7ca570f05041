//! The lesson builder: start from the scenario on screen, play, act (every control's action is
//! recorded and becomes the lesson's timeline), "mark this moment", write the title, question,
//! summary and captions in one or more languages, reorder or delete marks, then preview the
//! lesson, copy its link or download its JSON. The document itself is assembled and checked by
//! the engine (`ecs_sim::authoring`); a problem is shown with the field it names.

use crate::i18n::*;
use crate::lesson_library;
use crate::playback_ctl::{PlaybackCtl, DEFAULT_SCENARIO};
use crate::split::{later, wasm_split, SplitLoaderError};
use crate::url_state::{self, UrlState};
use ecs_sim::authoring::{self, Draft, Mark};
use ecs_sim::lesson::{Text, LANGUAGES};
use ecs_sim::scenario::TimelineEntry;
use leptos::prelude::*;
use std::collections::BTreeMap;

type Texts = BTreeMap<String, String>;

/// The scenario on screen, as a document (library lesson, custom scenario, or the default).
fn current_document(url: UrlState) -> String {
    if let Some(l) = url.lesson.get_untracked().and_then(|id| lesson_library::find(&id)) {
        return l.text.to_string();
    }
    url.custom.get_value().unwrap_or_else(|| DEFAULT_SCENARIO.to_string())
}

/// The actions recorded on the current playback, as timeline entries.
fn recorded_actions(ctl: PlaybackCtl) -> Vec<TimelineEntry> {
    ctl.playback
        .with_value(|p| {
            p.as_ref().map(|p| {
                p.commands().iter().take(p.applied()).map(ecs_sim::replay::Recorded::to_timeline_entry).collect()
            })
        })
        .unwrap_or_default()
}

/// Where the site serves the lesson schema (for `$schema` in a downloaded file).
fn schema_url() -> Option<String> {
    let l = web_sys::window()?.location();
    let path = l.pathname().ok()?;
    let dir = &path[..path.rfind('/').map(|i| i + 1).unwrap_or(0)];
    Some(format!("{}{dir}schema/lesson.schema.json", l.origin().ok()?))
}

fn to_text(m: &Texts) -> Text {
    Text(m.clone())
}

fn from_text(t: &Text) -> Texts {
    t.0.clone()
}

/// The builder's folded panel. What it holds is split off the app's wasm (src/split.rs): mounted
/// the first time the panel is opened, then kept with what the author wrote.
#[component]
pub fn LessonBuilder() -> impl IntoView {
    let i18n = use_i18n();
    let opened = RwSignal::new(false);
    view! {
        <details class="lesson-builder panel" on:toggle=move |_| if !opened.get_untracked() { opened.set(true) }>
            <summary>{t!(i18n, builder.label)}</summary>
            {move || opened.get().then(|| later(builder()))}
        </details>
    }
}

#[wasm_split(lesson_builder, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_builder))]
pub(crate) fn builder() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <Builder/> }.into_any())
}

#[component]
fn Builder() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let url = expect_context::<UrlState>();
    let i18n = use_i18n();
    // The scenario the lesson is built on (without its lesson); None until the author starts or
    // first uses the builder, then the document on screen at that moment.
    let base: StoredValue<Option<String>> = StoredValue::new(None);
    let langs = RwSignal::new(vec!["en".to_string()]);
    let title = RwSignal::new(Texts::new());
    let question = RwSignal::new(Texts::new());
    let summary = RwSignal::new(Texts::new());
    let marks: RwSignal<Vec<(f64, Texts)>> = RwSignal::new(Vec::new());
    let duration = RwSignal::new(0.0_f64);
    let error = RwSignal::new(String::new());
    let json = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    // Re-render the text fields only when the set of fields changes, not on every keystroke.
    let form = RwSignal::new(0_u32);

    // Take the texts of a document's lesson, if it has one, and remember the document without it.
    let adopt = move |doc: &str| {
        if let Some(l) = ecs_sim::parse_scenario(doc).ok().and_then(|s| s.lesson) {
            title.set(from_text(&l.title));
            summary.set(from_text(&l.summary));
            question.set(l.question.as_ref().map(from_text).unwrap_or_default());
            marks.set(l.pauses.iter().map(|p| (p.at, from_text(&p.caption))).collect());
            duration.set(l.duration_seconds.unwrap_or(0.0));
            let used: Vec<String> = l.languages_used().iter().map(|s| s.to_string()).collect();
            if !used.is_empty() {
                langs.set(used);
            }
        }
        base.set_value(authoring::without_lesson(doc).ok());
        form.update(|n| *n += 1);
    };
    let ensure_base = move || {
        if base.with_value(|b| b.is_none()) {
            adopt(&current_document(url));
        }
    };
    let start = move |_| {
        adopt(&current_document(url));
        let Some(doc) = base.get_value() else { return };
        match url_state::open_custom(ctl, url, &doc) {
            Ok(()) => error.set(String::new()),
            Err(e) => error.set(e),
        }
    };
    let mark = move |_| {
        ensure_base();
        let at = (ctl.now_s.get_untracked() * 1000.0).round() / 1000.0;
        marks.update(|m| {
            if !m.iter().any(|(t, _)| (*t - at).abs() < 1e-3) {
                m.push((at, Texts::new()));
                m.sort_by(|a, b| a.0.total_cmp(&b.0));
            }
        });
        duration.update(|d| *d = d.max(at + 30.0));
    };
    // The document from the form; on success also the new base (the recorded actions are in its
    // timeline now, so actions recorded after a preview are added to them).
    let build = move || -> Option<String> {
        ensure_base();
        let base_doc = base.get_value()?;
        let draft = Draft {
            title: to_text(&title.get_untracked()),
            summary: to_text(&summary.get_untracked()),
            question: to_text(&question.get_untracked()),
            marks: marks.get_untracked().iter().map(|(at, c)| Mark { at: *at, caption: to_text(c) }).collect(),
            duration_seconds: duration.get_untracked(),
        };
        match authoring::lesson_document(&base_doc, &draft, &recorded_actions(ctl), schema_url().as_deref()) {
            Ok(doc) => {
                error.set(String::new());
                json.set(doc.clone());
                Some(doc)
            }
            Err(e) => {
                error.set(e.to_string());
                None
            }
        }
    };
    // Open the built lesson (as a link would): it plays from 0:00 with its captions and pauses.
    let preview = move || -> bool {
        let Some(doc) = build() else { return false };
        match url_state::open_custom(ctl, url, &doc) {
            Ok(()) => {
                base.set_value(authoring::without_lesson(&doc).ok());
                true
            }
            Err(e) => {
                error.set(e);
                false
            }
        }
    };
    let copy = move |_| {
        if preview() {
            let l = url_state::share_link(ctl, url);
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&l);
            }
            link.set(l);
        }
    };
    let download = move |_| {
        let Some(doc) = build() else { return };
        let Some(d) = web_sys::window().and_then(|w| w.document()) else { return };
        let Ok(a) = d.create_element("a") else { return };
        let href = format!("data:application/json;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&doc)));
        let _ = a.set_attribute("href", &href);
        let _ = a.set_attribute("download", "lesson.json");
        if let Ok(a) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(a) {
            a.click();
        }
    };
    let toggle_lang = move |l: &'static str| {
        langs.update(|v| {
            if let Some(i) = v.iter().position(|x| x == l) {
                if v.len() > 1 {
                    v.remove(i);
                }
            } else {
                v.push(l.to_string());
                v.sort_by_key(|x| LANGUAGES.iter().position(|k| k == x));
            }
        });
        form.update(|n| *n += 1);
    };
    // One text field per language; typing updates the form without re-rendering it.
    let field = move |sig: RwSignal<Texts>, lang: String, label: String, class: &'static str| {
        let value = sig.with_untracked(|m| m.get(&lang).cloned().unwrap_or_default());
        let l2 = lang.clone();
        view! {
            <label class=class data-lang=lang.clone()>
                {format!("{label} ({lang})")} " "
                <input type="text" prop:value=value
                    on:input=move |ev| { let v = event_target_value(&ev); sig.update_untracked(|m| { m.insert(l2.clone(), v); }); }/>
            </label>
        }
    };
    let move_caption = move |i: usize, down: bool| {
        marks.update(|m| {
            let j = if down { i + 1 } else { i.wrapping_sub(1) };
            if i < m.len() && j < m.len() {
                let (a, b) = (m[i].1.clone(), m[j].1.clone());
                m[i].1 = b;
                m[j].1 = a;
            }
        });
    };
    view! {
            <p class="builder-hint">{t!(i18n, builder.hint)}</p>
            <div class="builder-row">
                <button class="builder-start" on:click=start>{t!(i18n, builder.start)}</button>
                <button class="builder-mark" on:click=mark>{t!(i18n, builder.mark)}</button>
                <span class="builder-actions">{move || t_string!(i18n, builder.actions, count = ctl.recorded.with(|r| r.len())).to_string()}</span>
            </div>
            <fieldset class="builder-langs">
                <legend>{t!(i18n, builder.languages)}</legend>
                {LANGUAGES.iter().map(|l| {
                    let l: &'static str = l;
                    view! {
                        <label>
                            <input type="checkbox" value=l prop:checked=move || langs.with(|v| v.iter().any(|x| x == l)) on:change=move |_| toggle_lang(l)/>
                            {l}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            {move || {
                let _ = form.get();
                let ls = langs.get();
                let (tl, ql, sl) = (t_string!(i18n, builder.title).to_string(), t_string!(i18n, builder.question).to_string(), t_string!(i18n, builder.summary).to_string());
                ls.into_iter().map(|l| view! {
                    <div class="builder-texts" data-lang=l.clone()>
                        {field(title, l.clone(), tl.clone(), "builder-title")}
                        {field(question, l.clone(), ql.clone(), "builder-question")}
                        {field(summary, l.clone(), sl.clone(), "builder-summary")}
                    </div>
                }).collect_view()
            }}
            <ol class="builder-marks" aria-label=move || t_string!(i18n, lesson.marked_moments)>
                {move || {
                    let _ = form.get();
                    let ls = langs.get();
                    let cl = t_string!(i18n, builder.caption).to_string();
                    marks.get().into_iter().enumerate().map(|(i, (at, caps))| {
                        let captions = ls.iter().map(|l| {
                            let value = caps.get(l).cloned().unwrap_or_default();
                            let l2 = l.clone();
                            view! {
                                <label class="builder-caption" data-lang=l.clone()>
                                    {format!("{cl} ({l})")} " "
                                    <input type="text" prop:value=value on:input=move |ev| {
                                        let v = event_target_value(&ev);
                                        marks.update_untracked(|m| { if let Some(x) = m.get_mut(i) { x.1.insert(l2.clone(), v); } });
                                    }/>
                                </label>
                            }
                        }).collect_view();
                        view! {
                            <li class="builder-mark-item" data-at=at.to_string()>
                                <label>{t!(i18n, builder.at)} " "
                                    <input class="builder-at" type="number" min="0" step="0.5" prop:value=at.to_string() on:change=move |ev| {
                                        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                            marks.update(|m| { if let Some(x) = m.get_mut(i) { x.0 = v.max(0.0); } m.sort_by(|a, b| a.0.total_cmp(&b.0)); });
                                        }
                                    }/>
                                </label>
                                {captions}
                                <button class="builder-earlier" aria-label=move || t_string!(i18n, builder.earlier) on:click=move |_| move_caption(i, false)>"↑"</button>
                                <button class="builder-later" aria-label=move || t_string!(i18n, builder.later) on:click=move |_| move_caption(i, true)>"↓"</button>
                                <button class="builder-delete" on:click=move |_| marks.update(|m| { if i < m.len() { m.remove(i); } })>{t!(i18n, builder.delete)}</button>
                            </li>
                        }
                    }).collect_view()
                }}
            </ol>
            <div class="builder-row">
                <label>{t!(i18n, builder.duration)} " "
                    <input class="builder-duration" type="number" min="1" step="1" prop:value=move || duration.get().to_string()
                        on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f64>() { duration.set(v); } }/>
                </label>
                <button class="builder-preview" on:click=move |_| { preview(); }>{t!(i18n, builder.preview)}</button>
                <button class="builder-copy" on:click=copy>{t!(i18n, builder.copy)}</button>
                <button class="builder-download" on:click=download>{t!(i18n, builder.download)}</button>
            </div>
            <Show when=move || !error.with(|e| e.is_empty())>
                <p class="builder-error" role="alert">{move || error.get()}</p>
            </Show>
            <Show when=move || !link.with(|l| l.is_empty())>
                <input class="builder-link" readonly aria-label=move || t_string!(i18n, builder.link) prop:value=move || link.get()/>
            </Show>
            <Show when=move || !json.with(|j| j.is_empty())>
                <textarea class="builder-json" readonly rows="6" aria-label=move || t_string!(i18n, builder.json) prop:value=move || json.get()></textarea>
            </Show>
    }
}
