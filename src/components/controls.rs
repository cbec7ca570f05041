//! Time controls: play/pause, single step, speed, restart. Keyboard: space, right arrow, + / -.

use crate::i18n::*;
use crate::playback_ctl::PlaybackCtl;
use ecs_sim::replay::SPEEDS;
use leptos::prelude::*;

#[component]
pub fn Controls() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    let label =
        move || if ctl.playing.get() { t_string!(i18n, controls.pause) } else { t_string!(i18n, controls.play) };
    view! {
        <div class="controls" role="toolbar" aria-label=move || t_string!(i18n, controls.toolbar)>
            <button class="primary" prop:disabled=move || ctl.watching.get() aria-pressed=move || ctl.playing.get().to_string() on:click=move |_| ctl.toggle()
                title=move || t_string!(i18n, controls.play_title)>
                {label}
            </button>
            <button prop:disabled=move || ctl.watching.get() on:click=move |_| ctl.step() title=move || t_string!(i18n, controls.step_title)>{t!(i18n, controls.step)}</button>
            <label class="speed">
                {t!(i18n, controls.speed)} " "
                <select prop:disabled=move || ctl.watching.get()
                    aria-label=move || t_string!(i18n, controls.speed)
                    title=move || t_string!(i18n, controls.speed_title)
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
            <button prop:disabled=move || ctl.watching.get() on:click=move |_| ctl.restart() title=move || t_string!(i18n, controls.restart_title)>{t!(i18n, controls.restart)}</button>
            <output class="clock" aria-label=move || t_string!(i18n, controls.clock) aria-live="off">{move || fmt_clock(ctl.now_s.get())}</output>
        </div>
    }
}

/// Simulated time as h:mm:ss.
pub fn fmt_clock(s: f64) -> String {
    let total = s.max(0.0) as u64;
    format!("{}:{:02}:{:02}", total / 3600, (total / 60) % 60, total % 60)
}
