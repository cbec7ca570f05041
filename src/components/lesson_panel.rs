//! The lesson picker and the open lesson: title, summary, the question it answers, and the
//! caption of the latest marked moment. While playing, playback pauses at each marked moment so
//! a teacher can talk over it. Lessons that teach a feature the engine does not simulate yet say
//! so, and their captions for it are labelled as what the moment will show. Also shows what was
//! wrong with the link that opened the page.
//!
//! A lesson is either one of the library (`?lesson=<id>`) or the `lesson` object of a custom
//! scenario (`?scenario=`, `window.ecsPlaygroundScenario`, the lesson builder): both play the
//! same way, and the picker lists the custom one as such. A lesson not written in the page's
//! language shows its English texts and says so.

use crate::components::controls::fmt_clock;
use crate::i18n::*;
use crate::lesson_library;
use crate::playback_ctl::PlaybackCtl;
use crate::url_state::{self, UrlState};
use ecs_sim::lesson::Lesson;
use leptos::prelude::*;

/// The picker's value for the custom scenario's lesson.
pub const CUSTOM: &str = "custom";

/// The open lesson, reactively: (`id` or `CUSTOM`, the lesson).
pub fn open_lesson(url: UrlState) -> Memo<Option<(String, Lesson)>> {
    Memo::new(move |_| match url.lesson.get() {
        Some(id) => lesson_library::find(&id).map(|l| (l.id.to_string(), l.lesson.clone())),
        None => url.custom_lesson.get().map(|l| (CUSTOM.to_string(), l)),
    })
}

/// How the UI names a feature of `ecs_sim::lesson::FEATURES`, in the page's language.
pub fn feature_name(i18n: leptos_i18n::I18nContext<Locale>, id: &str) -> String {
    match id {
        "capacityProviders" => t_string!(i18n, lesson.feature_capacity_providers).to_string(),
        "fargateSpot" => t_string!(i18n, lesson.feature_fargate_spot).to_string(),
        "eventBridgeRules" => t_string!(i18n, lesson.feature_eventbridge).to_string(),
        "s3Events" => t_string!(i18n, lesson.feature_s3).to_string(),
        "sqsQueues" => t_string!(i18n, lesson.feature_sqs).to_string(),
        "customMetrics" => t_string!(i18n, lesson.feature_custom_metrics).to_string(),
        _ => t_string!(i18n, lesson.feature_other).to_string(),
    }
}

#[component]
pub fn LessonPanel() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let url = expect_context::<UrlState>();
    let i18n = use_i18n();
    let open = open_lesson(url);
    pause_at_marked_moments(ctl, open);
    let pick = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        let result = if id.is_empty() {
            url_state::load_into(ctl, crate::playback_ctl::DEFAULT_SCENARIO, url.seed.get_untracked()).map(|_| {
                url.lesson.set(None);
                url_state::set_custom(url, None);
            })
        } else if id == CUSTOM {
            match url.custom.get_value() {
                Some(text) => url_state::open_custom(ctl, url, &text),
                None => Ok(()),
            }
        } else {
            url_state::open_lesson(ctl, url, &id)
        };
        if let Err(e) = result {
            url.problems.set(vec![e]);
        }
    };
    view! {
        <section class="lesson-panel panel" aria-label=move || t_string!(i18n, lesson.label)>
            <Show when=move || !url.problems.with(|p| p.is_empty())>
                <div class="link-problems" role="alert">
                    <strong>{t!(i18n, lesson.link_problem)}</strong>
                    <ul>{move || url.problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </div>
            </Show>
            <label class="lesson-picker">
                {t!(i18n, lesson.label)} " "
                <select aria-label=move || t_string!(i18n, lesson.label) prop:value=move || open.with(|o| o.as_ref().map(|o| o.0.clone())).unwrap_or_default() on:change=pick>
                    <option value="">{t!(i18n, lesson.free_play)}</option>
                    {move || url.custom_lesson.with(|l| l.as_ref().map(|l| {
                        let lang = url.lang.get();
                        view! { <option value=CUSTOM>{format!("{} ({})", l.title.get(&lang), t_string!(i18n, lesson.custom))}</option> }
                    }))}
                    // Lessons arrive after the first picture (`lesson_library::fetch_all`): the
                    // options are drawn again as they do, each saying whether it is the open one
                    // (a new option list would otherwise fall back to the first option).
                    {move || {
                        let lang = url.lang.get();
                        let current = open.with(|o| o.as_ref().map(|o| o.0.clone()));
                        lesson_library::all()
                            .iter()
                            .map(|l| {
                                let selected = current.as_deref() == Some(l.id);
                                view! { <option value=l.id selected=selected>{l.lesson.title.get(&lang).to_string()}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            {move || open.get().map(|(id, lesson)| {
                let lang = url.lang.get();
                let lesson = &lesson;
                let fallback = !lesson.languages_used().iter().any(|l| *l == lang);
                let needs = lesson.needs.iter().map(|n| feature_name(i18n, n)).collect::<Vec<_>>().join(", ");
                view! {
                    <article class="lesson" data-lesson=id.clone() lang=lang.clone()>
                        {fallback.then(|| view! { <p class="lesson-fallback" lang=lang.clone()>{t!(i18n, lesson.fallback_english)}</p> })}
                        <h2>{lesson.title.get(&lang).to_string()}</h2>
                        <p class="lesson-summary" title=lesson.summary.get(&lang).to_string()>{lesson.summary.get(&lang).to_string()}</p>
                        <p class="lesson-question"><strong>{t!(i18n, lesson.question)} " "</strong>{lesson.question.as_ref().map(|q| q.get(&lang).to_string())}</p>
                        {(!lesson.needs.is_empty()).then(|| view! {
                            <p class="lesson-needs" data-needs=lesson.needs.join(" ")>
                                {t_string!(i18n, lesson.not_simulated, features = needs).to_string()}
                            </p>
                        })}
                        <Caption open=open/>
                    </article>
                }
            })}
        </section>
    }
}

/// The caption of the latest marked moment at or before now.
#[component]
fn Caption(open: Memo<Option<(String, Lesson)>>) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let url = expect_context::<UrlState>();
    let i18n = use_i18n();
    let current = Memo::new(move |_| {
        let now = ctl.now_s.get();
        open.with(|o| o.as_ref().and_then(|(_, l)| l.pauses.iter().rposition(|p| p.at <= now + 1e-6)))
    });
    view! {
        <p class="lesson-caption" role="status" aria-live="polite">
            {move || {
                let lang = url.lang.get();
                let i = current.get()?;
                let p = open.with(|o| o.as_ref().and_then(|(_, l)| l.pauses.get(i).cloned()))?;
                let pending = (!p.needs.is_empty()).then(|| {
                    let names: Vec<String> = p.needs.iter().map(|n| feature_name(i18n, n)).collect();
                    view! { <em class="will-show">{format!("{} ", t_string!(i18n, lesson.will_show, features = names.join(", ")))}</em> }
                });
                Some(view! {
                    <time>{fmt_clock(p.at)}</time> " " {pending} {p.caption.get(&lang).to_string()}
                })
            }}
        </p>
    }
}

/// While playing, stop at each marked moment the clock passes (exactly at it).
fn pause_at_marked_moments(ctl: PlaybackCtl, open: Memo<Option<(String, Lesson)>>) {
    let prev = StoredValue::new(0.0_f64);
    Effect::new(move |_| {
        let now = ctl.now_s.get();
        let before = prev.get_value();
        prev.set_value(now);
        if !ctl.playing.get_untracked() || now <= before {
            return;
        }
        let mark = open.with_untracked(|o| {
            o.as_ref().and_then(|(_, l)| l.pauses.iter().find(|p| p.at > before && p.at <= now).map(|p| p.at))
        });
        if let Some(at) = mark {
            prev.set_value(at);
            ctl.playing.set(false);
            ctl.seek(at);
        }
    });
}
