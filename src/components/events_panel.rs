//! The service's Events tab, in the console's wording, newest first. Keyed, so a new event is
//! inserted at the top without redrawing the others.

use crate::app::PlaybackCtl;
use crate::components::controls::fmt_clock;
use leptos::prelude::*;

#[component]
pub fn EventsPanel() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let names = Memo::new(move |_| ctl.ui.services.with(|s| s.iter().map(|s| s.name.clone()).collect::<Vec<_>>()));
    view! {
        <section class="events panel" aria-label="Service events">
            <For each=move || names.get() key=|n| n.clone() let:name>
                <ServiceEvents name=name/>
            </For>
        </section>
    }
}

#[component]
fn ServiceEvents(name: String) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let key = name.clone();
    let events = Memo::new(move |_| {
        ctl.ui.services.with(|s| s.iter().find(|s| s.name == key).map(|s| s.events.clone()).unwrap_or_default())
    });
    view! {
        <h2>{format!("Events · service {name}")}</h2>
        <ol class="event-list">
            <For each=move || events.get() key=|(t, m)| (t.to_bits(), m.clone()) let:e>
                <li><time>{fmt_clock(e.0)}</time> " " {e.1}</li>
            </For>
        </ol>
    }
}
