//! A task: coloured by task definition revision, with its state shown by shape and text as well
//! as colour (never colour alone).

use crate::view_model::TaskVm;
use leptos::prelude::*;

#[component]
pub fn TaskChip(task: TaskVm) -> impl IntoView {
    let ports = task.ports.iter().map(|(c, h)| format!("{h}→{c}")).collect::<Vec<_>>().join(" ");
    let where_ = task.private_ip.clone().unwrap_or(ports);
    let label = format!("Task {} {} {}", task.short_id, task.family_revision, task.status);
    let rev_class = format!("task rev-{} status-{}", task.revision % 6, task.status.to_ascii_lowercase());
    view! {
        <li class=rev_class data-status=task.status data-task-id=task.id.clone() aria-label=label>
            <span class="task-rev">{task.family_revision.clone()}</span>
            <span class="task-status">{task.status}</span>
            <span class="task-where">{where_}</span>
        </li>
    }
}
