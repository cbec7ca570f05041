//! A tabbed side panel for the account around the cluster: the running bill, the IAM
//! who-calls-what graph, ECR repositories and the Lambda/ECS/Kubernetes comparison. Only the
//! open tab is mounted, so the others cost nothing per frame.

use crate::components::{compare_panel::ComparePanel, cost_meter::CostMeter, ecr_panel::EcrPanel, iam_graph::IamGraph};
use crate::i18n::*;
use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

/// The tabs' stable ids (element ids `tab-<id>`).
const TABS: [&str; 4] = ["Cost", "IAM", "ECR", "Compare"];

/// A tab's name in the page's language; IAM and ECR are service names every console keeps.
fn tab_label(i18n: leptos_i18n::I18nContext<Locale>, tab: &str) -> String {
    match tab {
        "Cost" => t_string!(i18n, account.tab_cost).to_string(),
        "Compare" => t_string!(i18n, account.tab_compare).to_string(),
        other => other.to_string(),
    }
}

#[component]
pub fn AccountTabs() -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new("Cost");
    view! {
        <section class="panel account-tabs" aria-label=move || t_string!(i18n, account.label)>
            <div role="tablist" aria-label=move || t_string!(i18n, account.views) class="row wrap">
                {TABS.iter().map(|t| {
                    let t = *t;
                    view! {
                        <button type="button" role="tab" id=format!("tab-{t}") aria-selected=move || (open.get() == t).to_string()
                            aria-controls="account-tabpanel" on:click=move |_| open.set(t)>{move || tab_label(i18n, t)}</button>
                    }
                }).collect_view()}
            </div>
            <div role="tabpanel" id="account-tabpanel" aria-label=move || t_string!(i18n, account.view, tab = tab_label(i18n, open.get())).to_string()>
                {move || match open.get() {
                    "IAM" => later(iam_view()),
                    "ECR" => later(ecr_view()),
                    "Compare" => later(compare_view()),
                    _ => view! { <CostMeter/> }.into_any(),
                }}
            </div>
        </section>
    }
}

/// Fetch the tabs' chunks now (right after the first picture), so they open offline too. A failed
/// fetch is tried again when the tab opens.
pub fn prefetch() {
    leptos::task::spawn_local(async {
        let _ = preload_iam().await;
        let _ = preload_ecr().await;
        let _ = preload_compare().await;
    });
}

/// A tab whose code is in a split-off wasm chunk (issue 19): fetched the first time it is needed.
/// If the chunk cannot be fetched (offline before the prefetch finished), the tab says so and the
/// next opening tries again.
fn later(view: impl std::future::Future<Output = Result<AnyView, SplitLoaderError>> + 'static) -> AnyView {
    let i18n = use_i18n();
    let view = leptos::__reexports::send_wrapper::SendWrapper::new(async move {
        view.await.unwrap_or_else(|_| view! { <p class="error" role="alert">{t!(i18n, account.tab_failed)}</p> }.into_any())
    });
    view! { <Suspense fallback=|| ()>{Suspend::new(view)}</Suspense> }.into_any()
}

// `fallible`: a chunk that fails to load is an Err, not a panic (which would stop the whole app).
#[wasm_split(account_iam, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_iam))]
fn iam_view() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <IamGraph/> }.into_any())
}

#[wasm_split(account_ecr, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_ecr))]
fn ecr_view() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <EcrPanel/> }.into_any())
}

#[wasm_split(account_compare, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_compare))]
fn compare_view() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <ComparePanel/> }.into_any())
}
