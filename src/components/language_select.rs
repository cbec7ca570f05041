//! The language menu: each language named in itself, so a reader finds theirs whatever the page
//! shows now. Choosing one switches every label at once and writes `lang=` into the address, so a
//! reload or a copied link keeps it.

use crate::i18n::*;
use crate::i18n_setup::{parse_tag, remember_in_url, tag, LOCALES};
use leptos::prelude::*;

#[component]
pub fn LanguageSelect() -> impl IntoView {
    let i18n = use_i18n();
    let change = move |ev: leptos::ev::Event| {
        if let Some(l) = parse_tag(&event_target_value(&ev)) {
            i18n.set_locale(l);
            remember_in_url(l);
        }
    };
    view! {
        <label class="language">
            <span class="language-label" aria-hidden="true">{t!(i18n, app.language)}</span>
            // `id` is the stable hook for tests and for the share-link code; the accessible name
            // is translated ("Language", "语言", "언어", "Язык").
            <select id="language-select" aria-label=move || t_string!(i18n, app.language)
                prop:value=move || tag(i18n.get_locale()) on:change=change>
                {LOCALES.into_iter().map(|l| view! {
                    <option value=tag(l) lang=tag(l) selected=move || i18n.get_locale() == l>{td_string!(l, language_name)}</option>
                }).collect_view()}
            </select>
        </label>
    }
}
