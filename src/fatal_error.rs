//! The panic hook: a panic in wasm aborts the module, so before it does we log it to the console
//! and fill in the static error panel of `index.html` (its buttons are wired by
//! `public/error-panel.js`, which keeps working after the module is gone).

use std::panic::PanicHookInfo;

/// Install once at startup.
pub fn install() {
    std::panic::set_hook(Box::new(|info: &PanicHookInfo<'_>| {
        console_error_panic_hook::hook(info);
        show(&info.to_string());
    }));
}

/// Unhide the panel with `message`. Must not panic itself: every step is optional.
fn show(message: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(pre) = doc.get_element_by_id("fatal-error-message") {
        pre.set_text_content(Some(message));
    }
    if let Some(panel) = doc.get_element_by_id("fatal-error") {
        let _ = panel.remove_attribute("hidden");
    }
    if let Some(button) = doc.get_element_by_id("fatal-error-copy") {
        use wasm_bindgen::JsCast;
        if let Ok(b) = button.dyn_into::<web_sys::HtmlElement>() {
            let _ = b.focus();
        }
    }
}

/// The panel's texts in the user's language, set while the module is alive (the panel itself is
/// static HTML in English, so it still reads if the module never starts).
pub struct PanelTexts {
    pub title: String,
    pub help: String,
    pub copy: String,
    pub reload: String,
    pub link: String,
    pub copied: String,
    pub select_to_copy: String,
}

pub fn translate(t: &PanelTexts) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let text = |id: &str, s: &str| {
        if let Some(el) = doc.get_element_by_id(id) {
            el.set_text_content(Some(s));
        }
    };
    text("fatal-error-title", &t.title);
    text("fatal-error-help", &t.help);
    text("fatal-error-copy", &t.copy);
    text("fatal-error-reload", &t.reload);
    if let Some(el) = doc.get_element_by_id("fatal-error-link") {
        let _ = el.set_attribute("aria-label", &t.link);
    }
    // Read by public/error-panel.js after the module is gone.
    if let Some(el) = doc.get_element_by_id("fatal-error") {
        let _ = el.set_attribute("data-copied", &t.copied);
        let _ = el.set_attribute("data-select-to-copy", &t.select_to_copy);
    }
}
