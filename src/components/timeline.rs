//! The timeline scrubber, under the picture: jump to any moment already simulated (or beyond),
//! re-simulated from the nearest checkpoint with the recorded actions. On its track: the
//! lesson's marked moments (buttons that jump there) and ticks where the user acted.

use crate::components::controls::fmt_clock;
use crate::i18n::*;
use crate::playback_ctl::PlaybackCtl;
use crate::url_state::UrlState;
use leptos::prelude::*;

#[component]
pub fn Timeline() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let url = expect_context::<UrlState>();
    let i18n = use_i18n();
    // The open lesson: one of the library or a custom one from a link (`?scenario=`).
    let open = crate::components::lesson_panel::open_lesson(url);
    let pauses = Memo::new(move |_| {
        open.with(|o| {
            o.as_ref()
                .map(|(_, l)| (l.pauses.iter().map(|p| p.at).collect::<Vec<f64>>(), l.duration_seconds))
                .unwrap_or_default()
        })
    });
    // The scrubber's extent: what has been simulated plus 10 minutes ahead (at least the lesson's
    // length), rounded to a minute.
    let max = Memo::new(move |_| {
        let lesson_end = pauses.with(|p| p.1.unwrap_or(0.0));
        (((ctl.horizon_s.get() + 600.0).max(lesson_end) / 60.0).ceil() * 60.0) as u64
    });
    let seek = move |ev: leptos::ev::Event| {
        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
            ctl.seek(v);
        }
    };
    let pos = move |t: f64| format!("{:.2}%", 100.0 * t / max.get().max(1) as f64);
    view! {
        <div class="timeline">
            <div class="track">
                <input type="range" class="scrubber" prop:disabled=move || ctl.watching.get() aria-label=move || t_string!(i18n, timeline.label) min="0" step="1"
                    max=move || max.get().to_string()
                    prop:value=move || (ctl.now_s.get().floor() as u64).to_string()
                    aria-valuetext=move || t_string!(i18n, timeline.position, now = fmt_clock(ctl.now_s.get()), end = fmt_clock(max.get() as f64))
                    on:change=seek/>
                <div class="marks" aria-hidden="true">
                    {move || pauses.get().0.into_iter().map(|at| view! { <span class="mark lesson" style:left=pos(at)></span> }).collect_view()}
                    {move || {
                        ctl.recorded.get().into_iter().map(|(t, a, applied)| {
                            view! { <span class="mark" class:future=!applied style:left=pos(t) title=format!("{} {a}", fmt_clock(t))></span> }
                        }).collect_view()
                    }}
                </div>
                <div class="lesson-marks" role="group" aria-label=move || t_string!(i18n, lesson.marked_moments)
                    hidden=move || pauses.with(|p| p.0.is_empty())>
                    {move || pauses.get().0.into_iter().map(|at| {
                        view! {
                            <button class="lesson-mark" style:left=move || pos(at)
                                class:reached=move || { ctl.now_s.get() + 1e-6 >= at }
                                title=move || t_string!(i18n, lesson.go_to_mark, time = fmt_clock(at)).to_string()
                                on:click=move |_| { ctl.playing.set(false); ctl.seek(at); }>
                                {fmt_clock(at)}
                            </button>
                        }
                    }).collect_view()}
                </div>
            </div>
            <details class="recorded">
                <summary>{move || t_string!(i18n, timeline.your_actions, count = ctl.recorded.with(|r| r.len()))}</summary>
                <div class="recorded-pop">
                    <ol>
                        {move || ctl.recorded.get().into_iter().map(|(t, a, applied)| view! {
                            <li class:future=!applied><time>{fmt_clock(t)}</time> " " {a}</li>
                        }).collect_view()}
                    </ol>
                    <button on:click=move |_| ctl.discard_actions()>{t!(i18n, timeline.discard)}</button>
                </div>
            </details>
        </div>
    }
}
