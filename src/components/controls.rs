//! Time controls: play/pause, single step, speed, restart. Keyboard: space, right arrow, + / -.

use crate::app::PlaybackCtl;
use crate::playback::SPEEDS;
use leptos::prelude::*;

#[component]
pub fn Controls() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let label = move || if ctl.playing.get() { "Pause" } else { "Play" };
    view! {
        <div class="controls" role="toolbar" aria-label="Time controls">
            <button class="primary" aria-pressed=move || ctl.playing.get().to_string() on:click=move |_| ctl.toggle()
                title="Play or pause (space)">
                {label}
            </button>
            <button on:click=move |_| ctl.step() title="Jump to the next event (right arrow)">"Step"</button>
            <label class="speed">
                "Speed "
                <select
                    aria-label="Speed"
                    title="Simulated seconds per second (+ and - keys)"
                    prop:value=move || ctl.speed.get().to_string()
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<u32>() {
                            ctl.speed.set(v);
                        }
                    }
                >
                    {SPEEDS.iter().map(|s| view! { <option value=s.to_string()>{format!("{s}x")}</option> }).collect_view()}
                </select>
            </label>
            <button on:click=move |_| ctl.restart() title="Restart the scenario with the same seed; your recorded actions replay">"Restart"</button>
            <output class="clock" aria-label="Simulated time" aria-live="off">{move || fmt_clock(ctl.now_s.get())}</output>
        </div>
    }
}

/// Simulated time as h:mm:ss.
pub fn fmt_clock(s: f64) -> String {
    let total = s.max(0.0) as u64;
    format!("{}:{:02}:{:02}", total / 3600, (total / 60) % 60, total % 60)
}
