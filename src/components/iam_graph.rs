//! Who calls what (engine `Simulation::iam_report`): for each task definition, the agent's
//! calls with the execution role (ECR, CloudWatch Logs, Secrets Manager/SSM) or the instance
//! role, and the application's calls with the task role (S3, DynamoDB, ...). Denied edges and
//! failed starts are highlighted.

use crate::i18n::*;
use crate::playback_ctl::SimReader;
use leptos::prelude::*;

#[component]
pub fn IamGraph() -> impl IntoView {
    let reader = expect_context::<SimReader>();
    let i18n = use_i18n();
    let views = Memo::new(move |_| {
        let _ = reader.version.get();
        reader.with_sim(|s| s.iam_report()).unwrap_or_default()
    });
    view! {
        <div class="iam-graph" aria-label=move || t_string!(i18n, iam.label)>
            <h2>{t!(i18n, iam.heading)}</h2>
            {move || views.get().is_empty().then(|| view! { <p>{t!(i18n, iam.no_roles)}</p> })}
            {move || views.get().into_iter().map(|v| {
                let failing = !v.start_failures.is_empty() || !v.denied_calls.is_empty() || v.graph.edges.iter().any(|e| !e.allowed);
                let role_label = |r: &Option<String>| r.as_deref().map(|a| ecs_sim::views::arn_resource_name(a).to_string()).unwrap_or_else(|| t_string!(i18n, iam.none).to_string());
                view! {
                    <article class="iam-td" class:failing=failing data-task-definition=v.task_definition.clone() aria-label=t_string!(i18n, iam.roles_of, task_definition = v.task_definition.clone()).to_string()>
                        <h3>{v.task_definition.clone()}</h3>
                        <p>{t!(i18n, iam.execution_role)} ": " <strong data-role="execution">{role_label(&v.execution_role)}</strong>
                           " · " {t!(i18n, iam.task_role)} ": " <strong data-role="task">{role_label(&v.task_role)}</strong>
                           {v.instance_role.clone().map(|r| view! { " · " {t!(i18n, iam.instance_profile)} ": " <strong data-role="instance">{r}</strong> })}</p>
                        <ul class="iam-edges">
                            {v.graph.edges.iter().map(|e| {
                                let who = if e.from == "task" { t_string!(i18n, iam.application).to_string() } else { t_string!(i18n, iam.agent).to_string() };
                                let to = v.graph.nodes.iter().find(|n| n.id == e.to).map(|n| n.label.clone()).unwrap_or_else(|| e.to.clone());
                                view! {
                                    <li class:denied=!e.allowed data-allowed=e.allowed.to_string()>
                                        {t_string!(i18n, iam.edge, who = who, to = to, action = e.action.clone(),
                                            role = e.via_role.clone().unwrap_or_else(|| t_string!(i18n, iam.no_role).to_string()),
                                            verdict = if e.allowed { t_string!(i18n, iam.allowed).to_string() } else { t_string!(i18n, iam.denied).to_string() }).to_string()}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {(!v.start_failures.is_empty()).then(|| view! {
                            <p class="bad">{t!(i18n, iam.start_failures)}</p>
                            <ul class="iam-failures">{v.start_failures.iter().map(|r| view! { <li class="bad">{r.clone()}</li> }).collect_view()}</ul>
                        })}
                        {(!v.denied_calls.is_empty()).then(|| view! {
                            <p class="bad">{t!(i18n, iam.denied_calls)}</p>
                            <ul class="iam-denied">{v.denied_calls.iter().map(|r| view! { <li class="bad">{r.clone()}</li> }).collect_view()}</ul>
                        })}
                    </article>
                }
            }).collect_view()}
        </div>
    }
}
