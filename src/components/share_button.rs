//! "Copy share link": the link to this exact moment (lesson or scenario, seed, time, speed,
//! language, recorded actions), copied to the clipboard and shown in a read-only field so it can
//! also be selected by hand where the clipboard is not allowed.

use crate::i18n::*;
use crate::playback_ctl::PlaybackCtl;
use crate::url_state::{self, UrlState};
use leptos::prelude::*;

#[component]
pub fn ShareButton() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let url = expect_context::<UrlState>();
    let i18n = use_i18n();
    let link = RwSignal::new(String::new());
    let copy = move |_| {
        let l = url_state::share_link(ctl, url);
        if let Some(w) = web_sys::window() {
            // The promise may be refused (no permission, insecure context): the field still shows it.
            let _ = w.navigator().clipboard().write_text(&l);
        }
        link.set(l);
    };
    view! {
        <div class="share">
            <button on:click=copy title=move || t_string!(i18n, share.copy_title)>{t!(i18n, share.copy)}</button>
            <Show when=move || !link.with(|l| l.is_empty())>
                <input class="share-link" readonly aria-label=move || t_string!(i18n, share.link) prop:value=move || link.get()
                    on:focus=move |ev| {
                        if let Some(el) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok()) {
                            el.select();
                        }
                    }/>
            </Show>
        </div>
    }
}
