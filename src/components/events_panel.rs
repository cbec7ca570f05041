//! The service's Events tab, in the console's wording, newest first. Keyed, so a new event is
//! inserted at the top without redrawing the others. AWS's message stays in English, as the
//! console shows it; beside it, what it means in the reader's language (`event_explain`).

use crate::components::controls::fmt_clock;
use crate::event_explain::explain_service_event;
use crate::i18n::*;
use crate::view_model::Ui;
use leptos::prelude::*;

#[component]
pub fn EventsPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let i18n = use_i18n();
    let names = Memo::new(move |_| ui.services.with(|s| s.iter().map(|s| s.name.clone()).collect::<Vec<_>>()));
    view! {
        <section class="events panel" tabindex="0" aria-label=move || t_string!(i18n, events.label)>
            <For each=move || names.get() key=|n| n.clone() let:name>
                <ServiceEvents name=name/>
            </For>
        </section>
    }
}

#[component]
fn ServiceEvents(name: String) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let i18n = use_i18n();
    let key = name.clone();
    let events = Memo::new(move |_| {
        ui.services.with(|s| s.iter().find(|s| s.name == key).map(|s| s.events.clone()).unwrap_or_default())
    });
    view! {
        <h2>{move || t_string!(i18n, events.heading, name = &name)}</h2>
        <ol class="event-list">
            <For each=move || events.get() key=|(t, m)| (t.to_bits(), m.clone()) let:e>
                {
                    let why = {
                        let m = e.1.clone();
                        move || explain_service_event(i18n.get_locale(), &m)
                    };
                    let explained = why.clone();
                    view! {
                        <li>
                            <time>{fmt_clock(e.0)}</time> " " <span class="event-message" lang="en">{e.1}</span>
                            <span class="explain" data-explained=move || explained().is_some().to_string()>{why}</span>
                        </li>
                    }
                }
            </For>
        </ol>
    }
}
