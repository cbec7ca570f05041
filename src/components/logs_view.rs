//! A task's CloudWatch Logs, as the console's Logs view shows them: the task's log streams (one
//! per container with the awslogs driver, named by the driver) and the newest events of the
//! chosen stream with their timestamps. The lines come from the engine (`Simulation::
//! task_log_streams`, `log_stream_tail`); this file only draws them.

use crate::components::controls::fmt_clock;
use crate::i18n::*;
use crate::playback_ctl::SimReader;
use leptos::prelude::*;

/// Events shown at once (the newest).
const SHOWN: usize = 100;

#[component]
pub fn TaskLogs(
    task_id: String,
    /// Which of the task's streams is open (kept by the drawer across re-renders).
    chosen: RwSignal<usize>,
) -> impl IntoView {
    let reader = expect_context::<SimReader>();
    let i18n = use_i18n();
    let id = task_id.clone();
    let streams = Memo::new(move |_| {
        reader.version.track();
        reader.with_sim(|s| s.task_log_streams(&id)).unwrap_or_default()
    });
    let page = Memo::new(move |_| {
        reader.version.track();
        let list = streams.get();
        let r = list.get(chosen.get()).or(list.first())?.clone();
        reader.with_sim(|s| s.log_stream_tail(&r.log_group_name, &r.log_stream_name, SHOWN)).flatten()
    });
    view! {
        <section class="logs" aria-label=move || t_string!(i18n, logs.region) hidden=move || streams.with(|s| s.is_empty())>
            <h3>{t!(i18n, logs.title)}</h3>
            <p class="muted">{move || streams.with(|s| s.first().map(|r| t_string!(i18n, logs.group, group = r.log_group_name.clone())))}</p>
            <ul class="log-streams" aria-label=move || t_string!(i18n, logs.streams)>
                {move || streams.get().into_iter().enumerate().map(|(k, r)| {
                    let name = r.log_stream_name.clone();
                    let label = t_string!(i18n, logs.open_stream, container = r.container_name.clone(), stream = name.clone());
                    view! {
                        <li>
                            <button class="log-stream" aria-pressed=move || (chosen.get() == k).to_string()
                                aria-label=label on:click=move |_| chosen.set(k)>
                                <span class="log-container">{r.container_name.clone()}</span>
                                " "
                                <code>{name}</code>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || page.get().map(|p| {
                let caption = t_string!(i18n, logs.events_of, stream = p.log_stream_name.clone());
                let empty = p.events.is_empty();
                let err = p.delivery_error.clone();
                view! {
                    {err.map(|e| view! { <p class="log-error" role="status">{t!(i18n, logs.delivery_error)} " " <code>{e}</code></p> })}
                    <table class="log-events" aria-label=caption>
                        <thead><tr>
                            <th scope="col">{t!(i18n, logs.timestamp)}</th>
                            <th scope="col">{t!(i18n, logs.message)}</th>
                        </tr></thead>
                        <tbody>
                            {p.events.into_iter().map(|e| view! {
                                <tr><td><time>{fmt_clock(e.timestamp as f64 / 1000.0)}</time></td><td class="log-message">{e.message}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {empty.then(|| view! { <p class="muted">{t!(i18n, logs.no_events)}</p> })}
                }
            })}
        </section>
    }
}
