//! "Watch a local simulator" (`watch.rs`): an address field, Watch / Stop watching, and the
//! connection's status (connected, unreachable, refused) as a polite live region. The command to
//! start the server names this page's origin, which the server must allow (`--allow-origin`).

use crate::i18n::*;
use crate::playback_ctl::PlaybackCtl;
use crate::watch::{AddressError, Status, Watch};
use leptos::prelude::*;

/// The default address: `ecs-sim serve`'s default port (LocalStack's, which the AWS tools know).
pub const DEFAULT_ADDRESS: &str = "http://127.0.0.1:4566";

#[component]
pub fn WatchPanel() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let watch = expect_context::<Watch>();
    let i18n = use_i18n();
    let text = RwSignal::new(DEFAULT_ADDRESS.to_string());
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let command = format!("ecs-sim serve --allow-origin {origin}");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if watch.address.get_untracked().is_some() {
            watch.stop(ctl);
        } else {
            watch.start(ctl, &text.get_untracked());
        }
    };
    let origin_for_status = origin.clone();
    let status_text = move || {
        let origin = origin_for_status.clone();
        match watch.status.get() {
            Status::Off => t_string!(i18n, watch.status_off).to_string(),
            Status::Refused(AddressError::NotLocal) => t_string!(i18n, watch.not_local).to_string(),
            Status::Refused(AddressError::NeedPort) => t_string!(i18n, watch.need_port).to_string(),
            Status::Connecting(address) => t_string!(i18n, watch.status_connecting, address).to_string(),
            Status::Connected { address, paused: true, .. } => {
                t_string!(i18n, watch.status_connected_paused, address).to_string()
            }
            Status::Connected { address, speed, .. } => {
                t_string!(i18n, watch.status_connected, address, speed = format!("{speed}x")).to_string()
            }
            Status::Unreachable(address) => t_string!(i18n, watch.status_unreachable, address).to_string(),
            Status::NotAllowed(address) => t_string!(i18n, watch.status_not_allowed, address, origin).to_string(),
            Status::Failed { address, error } => t_string!(i18n, watch.status_error, address, error).to_string(),
        }
    };
    let watching = move || watch.address.get().is_some();
    view! {
        <section class="panel watch" aria-labelledby="watch-title">
            <h2 id="watch-title">{t!(i18n, watch.title)}</h2>
            <p class="hint">{t!(i18n, watch.help)}</p>
            <p class="hint"><code>{command}</code></p>
            <form class="row wrap" on:submit=submit>
                <label>{t!(i18n, watch.address)} " "
                    <input type="text" inputmode="url" spellcheck="false" autocomplete="off" size="24"
                        bind:value=text prop:disabled=watching
                        aria-invalid=move || matches!(watch.status.get(), Status::Refused(AddressError::NotLocal | AddressError::NeedPort)).to_string()
                        aria-describedby="watch-status"/>
                </label>
                <button type="submit" class:primary=move || !watching()>
                    {move || if watching() { t_string!(i18n, watch.stop) } else { t_string!(i18n, watch.start) }}
                </button>
            </form>
            <p id="watch-status" class="watch-status" role="status" aria-live="polite"
                data-state=move || watch.status.with(|s| s.state())>
                {status_text}
            </p>
        </section>
    }
}

/// A badge in the top bar while watching, so the projector shows whose cluster this is.
#[component]
pub fn WatchBadge() -> impl IntoView {
    let watch = expect_context::<Watch>();
    let i18n = use_i18n();
    view! {
        <Show when=move || watch.address.with(|a| a.is_some())>
            <span class="watch-badge" data-state=move || watch.status.with(|s| s.state())>
                {move || t_string!(i18n, watch.badge, address = watch.address.get().unwrap_or_default()).to_string()}
            </span>
        </Show>
    }
}
