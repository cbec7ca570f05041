//! A tabbed side panel for the account around the cluster: the running bill, the IAM
//! who-calls-what graph, ECR repositories and the Lambda/ECS/Kubernetes comparison. Only the
//! open tab is mounted, so the others cost nothing per frame.

use crate::components::{compare_panel::ComparePanel, cost_meter::CostMeter, ecr_panel::EcrPanel, iam_graph::IamGraph};
use leptos::prelude::*;

const TABS: [&str; 4] = ["Cost", "IAM", "ECR", "Compare"];

#[component]
pub fn AccountTabs() -> impl IntoView {
    let open = RwSignal::new("Cost");
    view! {
        <section class="panel account-tabs" aria-label="Account: cost, IAM, ECR, compare">
            <div role="tablist" aria-label="Account views" class="row wrap">
                {TABS.iter().map(|t| {
                    let t = *t;
                    view! {
                        <button type="button" role="tab" id=format!("tab-{t}") aria-selected=move || (open.get() == t).to_string()
                            aria-controls="account-tabpanel" on:click=move |_| open.set(t)>{t}</button>
                    }
                }).collect_view()}
            </div>
            <div role="tabpanel" id="account-tabpanel" aria-label=move || format!("{} view", open.get())>
                {move || match open.get() {
                    "IAM" => view! { <IamGraph/> }.into_any(),
                    "ECR" => view! { <EcrPanel/> }.into_any(),
                    "Compare" => view! { <ComparePanel/> }.into_any(),
                    _ => view! { <CostMeter/> }.into_any(),
                }}
            </div>
        </section>
    }
}
