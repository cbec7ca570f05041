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
