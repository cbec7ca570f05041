//! The timeline scrubber: jump to any moment already simulated (or beyond), re-simulated from the
//! nearest checkpoint with the recorded actions. Marks show where the user acted.

use crate::app::PlaybackCtl;
use crate::components::controls::fmt_clock;
use leptos::prelude::*;

#[component]
pub fn Timeline() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    // The scrubber's extent: what has been simulated plus 10 minutes ahead, rounded to a minute.
    let max = Memo::new(move |_| (((ctl.horizon_s.get() + 600.0) / 60.0).ceil() * 60.0) as u64);
    let seek = move |ev: leptos::ev::Event| {
        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
            ctl.seek(v);
        }
    };
    view! {
        <div class="timeline">
            <input type="range" class="scrubber" aria-label="Timeline" min="0" step="1"
                max=move || max.get().to_string()
                prop:value=move || (ctl.now_s.get().floor() as u64).to_string()
                aria-valuetext=move || format!("{} of {}", fmt_clock(ctl.now_s.get()), fmt_clock(max.get() as f64))
                on:change=seek/>
            <div class="marks" aria-hidden="true">
                {move || {
                    let m = max.get().max(1) as f64;
                    ctl.recorded.get().into_iter().map(|(t, a, applied)| {
                        view! { <span class="mark" class:future=!applied style:left=format!("{:.2}%", 100.0 * t / m) title=format!("{} {a}", fmt_clock(t))></span> }
                    }).collect_view()
                }}
            </div>
            <details class="recorded">
                <summary>{move || format!("Your actions ({})", ctl.recorded.with(|r| r.len()))}</summary>
                <ol>
                    {move || ctl.recorded.get().into_iter().map(|(t, a, applied)| view! {
                        <li class:future=!applied><time>{fmt_clock(t)}</time> " " {a}</li>
                    }).collect_view()}
                </ol>
                <button on:click=move |_| ctl.discard_actions()>"Discard my actions"</button>
            </details>
        </div>
    }
}
