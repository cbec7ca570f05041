//! The details drawer: the clicked task, instance or target as the API shows it (task definition
//! JSON, bindings, IP, state history), with the actions that apply to it.

use crate::actions;
use crate::app::{PlaybackCtl, Selection};
use crate::components::controls::fmt_clock;
use ecs_sim::Simulation;
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq, Default)]
struct Detail {
    title: String,
    facts: Vec<(String, String)>,
    history: Vec<(f64, String)>,
    json_title: String,
    json: String,
    task_def_json: Option<String>,
    /// (button label, action, target id)
    actions: Vec<(&'static str, &'static str, String)>,
}

fn pretty<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn detail(sim: &Simulation, sel: &Selection) -> Option<Detail> {
    let st = sim.state();
    match sel {
        Selection::Task(id) => {
            let t = st.tasks.iter().find(|t| &t.task_id == id)?;
            let td = st.task_defs.get(&t.task_def);
            let host = t.instance.and_then(|i| st.instances.get(i.idx())).map(|i| i.ec2_instance_id.clone());
            let mut facts = vec![
                ("Task definition".into(), format!("{}:{}", t.task_def.family, t.task_def.revision)),
                ("Last status".into(), t.last_status.as_str().into()),
                ("Desired status".into(), format!("{:?}", t.desired_status).to_uppercase()),
                ("Launch type".into(), format!("{:?}", t.launch_type).to_uppercase()),
                ("Availability Zone".into(), t.availability_zone.clone()),
                ("Group".into(), t.group.clone()),
            ];
            if let Some(h) = host {
                facts.push(("Container instance".into(), h));
            }
            if let Some(ip) = &t.private_ip {
                facts.push(("Private IP".into(), ip.clone()));
            }
            for b in &t.bindings {
                facts.push((
                    "Binding".into(),
                    format!("host {} → {}:{} ({:?})", b.host_port, b.container_name, b.container_port, b.protocol),
                ));
            }
            if let Some(r) = &t.stopped_reason {
                facts.push(("Stopped reason".into(), r.clone()));
            }
            Some(Detail {
                title: format!("Task {}", &t.task_id[..t.task_id.len().min(12)]),
                facts,
                history: t.history.iter().map(|(at, s)| (*at as f64 / 1000.0, s.as_str().to_string())).collect(),
                json_title: "Task (describe-tasks)".into(),
                json: pretty(t),
                task_def_json: td.map(|d| pretty(&d.request)),
                actions: if t.is_live() { vec![("Stop task", "StopTask", t.task_id.clone())] } else { vec![] },
            })
        }
        Selection::Instance(id) => {
            let i = st.instances.iter().find(|i| &i.ec2_instance_id == id)?;
            let facts = vec![
                ("Instance type".into(), i.instance_type.to_string()),
                ("Status".into(), format!("{:?}", i.status).to_uppercase()),
                ("Availability Zone".into(), i.availability_zone.clone()),
                ("Private IP".into(), i.private_ip.clone()),
                ("CPU".into(), format!("{} of {} units reserved", i.used_cpu, i.registered_cpu)),
                ("Memory".into(), format!("{} of {} MiB reserved", i.used_memory, i.registered_memory)),
                ("Tasks".into(), i.tasks.len().to_string()),
            ];
            let live = i.status != ecs_sim::model::InstanceStatus::Inactive;
            Some(Detail {
                title: format!("Instance {}", i.ec2_instance_id),
                facts,
                history: vec![],
                json_title: "Container instance".into(),
                json: pretty(i),
                task_def_json: None,
                actions: if live {
                    vec![
                        ("Drain instance", "DrainInstance", i.ec2_instance_id.clone()),
                        ("Terminate instance", "TerminateInstance", i.ec2_instance_id.clone()),
                    ]
                } else {
                    vec![]
                },
            })
        }
        Selection::Target { group, label } => {
            let tg = st.target_groups.iter().find(|g| &g.name == group)?;
            let t = tg.targets.iter().find(|t| &format!("{}:{}", t.id, t.port) == label)?;
            let mut facts = vec![
                ("Target group".into(), tg.name.clone()),
                ("Target type".into(), tg.target_type.clone()),
                ("Health".into(), format!("{:?}", t.state).to_lowercase()),
                ("Requests this minute".into(), t.requests_this_minute.to_string()),
            ];
            if let Some(r) = &t.reason {
                facts.push(("Reason".into(), r.clone()));
            }
            Some(Detail {
                title: format!("Target {label}"),
                facts,
                history: vec![],
                json_title: "Target".into(),
                json: pretty(t),
                task_def_json: None,
                actions: vec![],
            })
        }
    }
}

#[component]
pub fn DetailsDrawer() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let content = Memo::new(move |_| {
        ctl.version.track();
        let sel = ctl.selected.get()?;
        ctl.with_sim(|s| detail(s, &sel)).flatten()
    });
    let close = move |_| ctl.selected.set(None);
    view! {
        <aside class="drawer" role="dialog" aria-label="Details" hidden=move || content.with(|c| c.is_none())>
            {move || content.get().map(|d| {
                let acts = d.actions.clone();
                view! {
                    <div class="drawer-head">
                        <h2>{d.title.clone()}</h2>
                        <button on:click=close aria-label="Close details">"Close"</button>
                    </div>
                    <div class="row wrap">
                        {acts.into_iter().map(|(label, action, id)| view! {
                            <button class="danger" on:click=move |_| {
                                let input = if action == "StopTask" { actions::stop_task(&id) } else { actions::instance(&id) };
                                let _ = ctl.act(action, input);
                            }>{label}</button>
                        }).collect_view()}
                    </div>
                    <dl class="facts">
                        {d.facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                    </dl>
                    {(!d.history.is_empty()).then(|| view! {
                        <h3>"State history"</h3>
                        <ol class="history">
                            {d.history.clone().into_iter().map(|(t, s)| view! { <li><time>{fmt_clock(t)}</time> " " {s}</li> }).collect_view()}
                        </ol>
                    })}
                    {d.task_def_json.clone().map(|j| view! {
                        <details open><summary>"Task definition (RegisterTaskDefinition)"</summary><pre>{j}</pre></details>
                    })}
                    <details><summary>{d.json_title.clone()}</summary><pre>{d.json.clone()}</pre></details>
                }
            })}
        </aside>
    }
}
