//! Parts of the app split off its wasm (issue 19): a `#[wasm_split(.., fallible)]` function
//! renders the part, and scripts/wasm-split.mjs (a Trunk hook) moves its code, and whatever only
//! it uses, into a chunk fetched the first time it is called. `prefetch` asks for every chunk
//! right after the first picture, so the parts open offline too once the page has loaded.

use crate::i18n::*;
use leptos::prelude::*;
pub use leptos::wasm_split::{wasm_split, SplitLoaderError};
use std::future::Future;

/// A split part, drawn when its chunk is there. If it cannot be fetched (offline before the
/// prefetch finished), the part says so; opening it again tries again.
pub fn later(part: impl Future<Output = Result<AnyView, SplitLoaderError>> + 'static) -> AnyView {
    let i18n = use_i18n();
    let part = leptos::__reexports::send_wrapper::SendWrapper::new(async move {
        part.await
            .unwrap_or_else(|_| view! { <p class="error" role="alert">{t!(i18n, app.split_failed)}</p> }.into_any())
    });
    view! { <Suspense fallback=|| ()>{Suspend::new(part)}</Suspense> }.into_any()
}

/// Fetch every split part's chunk now (called right after the first picture). A failed fetch is
/// tried again when the part is opened.
pub fn prefetch() {
    leptos::task::spawn_local(async {
        let _ = crate::components::account_tabs::preload_iam().await;
        let _ = crate::components::account_tabs::preload_ecr().await;
        let _ = crate::components::account_tabs::preload_compare().await;
        let _ = crate::components::details::preload_drawer().await;
        let _ = crate::components::lesson_builder::preload_builder().await;
        let _ = crate::components::export_panel::preload_export().await;
        let _ = crate::components::express_panel::preload_express().await;
    });
}
