//! Who calls what (engine `Simulation::iam_report`): for each task definition, the agent's
//! calls with the execution role (ECR, CloudWatch Logs, Secrets Manager/SSM) or the instance
//! role, and the application's calls with the task role (S3, DynamoDB, ...). Denied edges and
//! failed starts are highlighted.

use crate::app::PlaybackCtl;
use leptos::prelude::*;

#[component]
pub fn IamGraph() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let views = Memo::new(move |_| {
        let _ = ctl.version.get();
        ctl.with_sim(|s| s.iam_report()).unwrap_or_default()
    });
    view! {
        <div class="iam-graph" aria-label="IAM who calls what">
            <h2>"IAM: who calls what"</h2>
            {move || views.get().is_empty().then(|| view! { <p>"This scenario declares no iamRoles: every call is allowed."</p> })}
            {move || views.get().into_iter().map(|v| {
                let failing = !v.start_failures.is_empty() || !v.denied_calls.is_empty() || v.graph.edges.iter().any(|e| !e.allowed);
                let role_label = |r: &Option<String>| r.as_deref().map(|a| a.rsplit('/').next().unwrap_or(a).to_string()).unwrap_or_else(|| "none".into());
                view! {
                    <article class="iam-td" class:failing=failing data-task-definition=v.task_definition.clone() aria-label=format!("Roles of {}", v.task_definition)>
                        <h3>{v.task_definition.clone()}</h3>
                        <p>"Execution role: " <strong data-role="execution">{role_label(&v.execution_role)}</strong>
                           " · task role: " <strong data-role="task">{role_label(&v.task_role)}</strong>
                           {v.instance_role.clone().map(|r| view! { " · instance profile: " <strong data-role="instance">{r}</strong> })}</p>
                        <ul class="iam-edges">
                            {v.graph.edges.iter().map(|e| {
                                let who = if e.from == "task" { "application" } else { "ECS agent" };
                                let to = v.graph.nodes.iter().find(|n| n.id == e.to).map(|n| n.label.clone()).unwrap_or_else(|| e.to.clone());
                                view! {
                                    <li class:denied=!e.allowed data-allowed=e.allowed.to_string()>
                                        {format!("{who} → {to}: {} via {} — {}", e.action, e.via_role.clone().unwrap_or_else(|| "no role".into()),
                                            if e.allowed { "allowed" } else { "DENIED" })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {(!v.start_failures.is_empty()).then(|| view! {
                            <p class="bad">"Tasks failed to start:"</p>
                            <ul class="iam-failures">{v.start_failures.iter().map(|r| view! { <li class="bad">{r.clone()}</li> }).collect_view()}</ul>
                        })}
                        {(!v.denied_calls.is_empty()).then(|| view! {
                            <p class="bad">"Application calls denied (task keeps running):"</p>
                            <ul class="iam-denied">{v.denied_calls.iter().map(|r| view! { <li class="bad">{r.clone()}</li> }).collect_view()}</ul>
                        })}
                    </article>
                }
            }).collect_view()}
        </div>
    }
}
