//! A tabbed side panel for the account around the cluster: the running bill, the IAM
//! who-calls-what graph, ECR repositories and the Lambda/ECS/Kubernetes comparison. Only the
//! open tab is mounted, so the others cost nothing per frame.

use crate::components::{compare_panel::ComparePanel, cost_meter::CostMeter, ecr_panel::EcrPanel, iam_graph::IamGraph};
use crate::i18n::*;
use crate::split::{later, wasm_split, SplitLoaderError};
use leptos::prelude::*;

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

// Split off the app's wasm (src/split.rs): fetched after the first picture.
#[wasm_split(account_iam, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_iam))]
pub(crate) fn iam_view() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <IamGraph/> }.into_any())
}

#[wasm_split(account_ecr, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_ecr))]
pub(crate) fn ecr_view() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <EcrPanel/> }.into_any())
}

#[wasm_split(account_compare, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_compare))]
pub(crate) fn compare_view() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <ComparePanel/> }.into_any())
}
