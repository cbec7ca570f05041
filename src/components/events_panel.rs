//! The service's Events tab, in the console's wording, newest first, with its counts.

use crate::components::controls::fmt_clock;
use crate::view_model::ClusterVm;
use leptos::prelude::*;

#[component]
pub fn EventsPanel(vm: RwSignal<ClusterVm>) -> impl IntoView {
    view! {
        <aside class="events" aria-label="Service events">
            <For each=move || vm.get().services key=|s| (s.name.clone(), s.desired, s.running, s.pending, s.events.len(), s.events.first().map(|e| e.0.to_bits())) let:svc>
                <section class="service">
                    <h2>{format!("Service {}", svc.name)}</h2>
                    <dl class="counts">
                        <div><dt>"Desired"</dt><dd>{svc.desired}</dd></div>
                        <div><dt>"Running"</dt><dd>{svc.running}</dd></div>
                        <div><dt>"Pending"</dt><dd>{svc.pending}</dd></div>
                    </dl>
                    <ol class="event-list">
                        {svc.events.into_iter().map(|(t, m)| view! { <li><time>{fmt_clock(t)}</time> " " {m}</li> }).collect_view()}
                    </ol>
                </section>
            </For>
        </aside>
    }
}
