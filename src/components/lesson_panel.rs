//! The lesson picker and the open lesson: title, summary, the question it answers, and the
//! caption of the latest marked moment. While playing, playback pauses at each marked moment so
//! a teacher can talk over it. Lessons that teach a feature the engine does not simulate yet say
//! so, and their captions for it are labelled as what the moment will show. Also shows what was
//! wrong with the link that opened the page.

use crate::app::PlaybackCtl;
use crate::components::controls::fmt_clock;
use crate::lesson_library;
use crate::url_state::{self, UrlState};
use leptos::prelude::*;

/// How the UI names a feature of `ecs_sim::lesson::FEATURES`.
pub fn feature_name(id: &str) -> &'static str {
    match id {
        "capacityProviders" => "capacity providers and Auto Scaling groups",
        "fargateSpot" => "Fargate Spot interruptions",
        "eventBridgeRules" => "EventBridge rules",
        "s3Events" => "S3 events",
        "sqsQueues" => "SQS queues",
        "customMetrics" => "custom CloudWatch metrics",
        _ => "a feature",
    }
}

#[component]
pub fn LessonPanel() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let url = expect_context::<UrlState>();
    let open = move || url.lesson.get().and_then(|id| lesson_library::find(&id));
    pause_at_marked_moments(ctl, url);
    let pick = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        let result = if id.is_empty() {
            url_state::load_into(ctl, crate::app::DEFAULT_SCENARIO, url.seed.get_untracked()).map(|_| {
                url.lesson.set(None);
                url.custom.set_value(None);
            })
        } else {
            url_state::open_lesson(ctl, url, &id)
        };
        if let Err(e) = result {
            url.problems.set(vec![e]);
        }
    };
    view! {
        <section class="lesson-panel panel" aria-label="Lesson">
            <Show when=move || !url.problems.with(|p| p.is_empty())>
                <div class="link-problems" role="alert">
                    <strong>"This link has a problem; the nearest valid state is open:"</strong>
                    <ul>{move || url.problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </div>
            </Show>
            <label class="lesson-picker">
                "Lesson "
                <select aria-label="Lesson" prop:value=move || url.lesson.get().unwrap_or_default() on:change=pick>
                    <option value="">"Free play (default scenario)"</option>
                    {move || {
                        let lang = url.lang.get();
                        lesson_library::all()
                            .iter()
                            .map(|l| view! { <option value=l.id>{l.lesson.title.get(&lang).to_string()}</option> })
                            .collect_view()
                    }}
                </select>
            </label>
            {move || open().map(|l| {
                let lang = url.lang.get();
                let lesson = &l.lesson;
                let needs = lesson.needs.iter().map(|n| feature_name(n)).collect::<Vec<_>>().join(", ");
                view! {
                    <article class="lesson" data-lesson=l.id lang=lang.clone()>
                        <h2>{lesson.title.get(&lang).to_string()}</h2>
                        <p class="lesson-question"><strong>"Question: "</strong>{lesson.question.as_ref().map(|q| q.get(&lang).to_string())}</p>
                        <p class="lesson-summary">{lesson.summary.get(&lang).to_string()}</p>
                        {(!lesson.needs.is_empty()).then(|| view! {
                            <p class="lesson-needs" data-needs=lesson.needs.join(" ")>
                                "Not simulated yet: " {needs}
                                ". The picture shows what the engine simulates today; captions marked \u{201c}will show\u{201d} describe the rest."
                            </p>
                        })}
                        <div class="lesson-marks" role="group" aria-label="Marked moments">
                            {lesson.pauses.iter().map(|p| {
                                let at = p.at;
                                view! {
                                    <button class="lesson-mark" aria-label=format!("Go to marked moment {}", fmt_clock(at))
                                        on:click=move |_| { ctl.playing.set(false); ctl.seek(at); }>
                                        {fmt_clock(at)}
                                    </button>
                                }
                            }).collect_view()}
                        </div>
                        <Caption id=l.id/>
                    </article>
                }
            })}
        </section>
    }
}

/// The caption of the latest marked moment at or before now.
#[component]
fn Caption(id: &'static str) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let url = expect_context::<UrlState>();
    let current = Memo::new(move |_| {
        let now = ctl.now_s.get();
        lesson_library::find(id).and_then(|l| l.lesson.pauses.iter().rposition(|p| p.at <= now + 1e-6))
    });
    view! {
        <p class="lesson-caption" role="status" aria-live="polite">
            {move || {
                let lang = url.lang.get();
                let i = current.get()?;
                let p = lesson_library::find(id)?.lesson.pauses.get(i)?;
                let pending = (!p.needs.is_empty()).then(|| {
                    let names: Vec<&str> = p.needs.iter().map(|n| feature_name(n)).collect();
                    view! { <em class="will-show">{format!("Will show once {} are simulated: ", names.join(", "))}</em> }
                });
                Some(view! {
                    <time>{fmt_clock(p.at)}</time> " " {pending} {p.caption.get(&lang).to_string()}
                })
            }}
        </p>
    }
}

/// While playing, stop at each marked moment the clock passes (exactly at it).
fn pause_at_marked_moments(ctl: PlaybackCtl, url: UrlState) {
    let prev = StoredValue::new(0.0_f64);
    Effect::new(move |_| {
        let now = ctl.now_s.get();
        let before = prev.get_value();
        prev.set_value(now);
        if !ctl.playing.get_untracked() || now <= before {
            return;
        }
        let Some(l) = url.lesson.with_untracked(|id| id.as_deref().and_then(lesson_library::find)) else { return };
        if let Some(p) = l.lesson.pauses.iter().find(|p| p.at > before && p.at <= now) {
            prev.set_value(p.at);
            ctl.playing.set(false);
            ctl.seek(p.at);
        }
    });
}
