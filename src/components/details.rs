//! The details drawer: the clicked task, instance or target as the API shows it (task definition
//! JSON, bindings, IP, state history), with the actions that apply to it.

use crate::actions::{self, InstanceAction};
use crate::components::controls::fmt_clock;
use crate::components::logs_view::TaskLogs;
use crate::i18n::*;
use crate::playback_ctl::{PlaybackCtl, Selection};
use crate::split::{later, wasm_split, SplitLoaderError};
use ecs_sim::views::aws_name;
use ecs_sim::Command;
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
    /// The task id whose CloudWatch Logs streams the drawer shows (tasks only).
    logs_of: Option<String>,
    /// (button label, action, target id)
    actions: Vec<(String, Command)>,
}

fn pretty<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// The drawer's content in `l`; values stay as the API returns them (status names, reasons).
fn detail(sim: &Simulation, sel: &Selection, l: Locale) -> Option<Detail> {
    let st = sim.state();
    match sel {
        Selection::Task(id) => {
            let t = st.tasks.iter().find(|t| &t.task_id == id)?;
            let td = st.task_defs.get(&t.task_def);
            let host = t.instance.and_then(|i| st.instances.get(i.idx())).map(|i| i.ec2_instance_id.clone());
            let mut facts = vec![
                (
                    td_string!(l, details.task_definition).into(),
                    format!("{}:{}", t.task_def.family, t.task_def.revision),
                ),
                (td_string!(l, details.last_status).into(), t.last_status.as_str().into()),
                (td_string!(l, details.desired_status).into(), aws_name(&t.desired_status)),
                (td_string!(l, details.launch_type).into(), aws_name(&t.launch_type)),
                (td_string!(l, details.availability_zone).into(), t.availability_zone.clone()),
                (td_string!(l, details.group).into(), t.group.clone()),
            ];
            if let Some(h) = host {
                facts.push((td_string!(l, details.container_instance).into(), h));
            }
            if let Some(ip) = &t.private_ip {
                facts.push((td_string!(l, details.private_ip).into(), ip.clone()));
            }
            for b in &t.bindings {
                facts.push((
                    td_string!(l, details.binding).into(),
                    td_string!(
                        l,
                        details.binding_value,
                        host = b.host_port,
                        container = &b.container_name,
                        port = b.container_port,
                        protocol = aws_name(&b.protocol)
                    ),
                ));
            }
            if let Some(r) = &t.stopped_reason {
                facts.push((td_string!(l, details.stopped_reason).into(), r.clone()));
            }
            Some(Detail {
                title: td_string!(l, details.task_title, id = t.task_id.chars().take(12).collect::<String>()),
                facts,
                history: t.history.iter().map(|(at, s)| (*at as f64 / 1000.0, s.as_str().to_string())).collect(),
                json_title: td_string!(l, details.task_json).into(),
                json: pretty(t),
                task_def_json: td.map(|d| pretty(&d.request)),
                logs_of: Some(t.task_id.clone()),
                actions: if t.is_live() {
                    vec![(td_string!(l, details.stop_task).into(), actions::stop_task(&t.task_id))]
                } else {
                    vec![]
                },
            })
        }
        Selection::Instance(id) => {
            let i = st.instances.iter().find(|i| &i.ec2_instance_id == id)?;
            let facts = vec![
                (td_string!(l, details.instance_type).into(), i.instance_type.to_string()),
                (td_string!(l, details.status).into(), aws_name(&i.status)),
                (td_string!(l, details.availability_zone).into(), i.availability_zone.clone()),
                (td_string!(l, details.private_ip).into(), i.private_ip.clone()),
                (
                    td_string!(l, details.cpu).into(),
                    td_string!(l, details.cpu_value, used = i.used_cpu, total = i.registered_cpu),
                ),
                (
                    td_string!(l, details.memory).into(),
                    td_string!(l, details.memory_value, used = i.used_memory, total = i.registered_memory),
                ),
                (td_string!(l, details.tasks).into(), i.tasks.len().to_string()),
            ];
            let live = i.status != ecs_sim::model::InstanceStatus::Inactive;
            Some(Detail {
                title: td_string!(l, details.instance_title, id = &i.ec2_instance_id),
                facts,
                history: vec![],
                json_title: td_string!(l, details.instance_json).into(),
                json: pretty(i),
                task_def_json: None,
                logs_of: None,
                actions: if live {
                    vec![
                        (
                            td_string!(l, details.drain_instance).into(),
                            actions::instance(InstanceAction::Drain, &i.ec2_instance_id),
                        ),
                        (
                            td_string!(l, details.terminate_instance).into(),
                            actions::instance(InstanceAction::Terminate, &i.ec2_instance_id),
                        ),
                    ]
                } else {
                    vec![]
                },
            })
        }
        Selection::Target { group, label } => {
            let tg = st.elb.target_groups().iter().find(|g| &g.name == group)?;
            let t = tg.targets.iter().find(|t| &format!("{}:{}", t.id, t.port) == label)?;
            let mut facts = vec![
                (td_string!(l, details.target_group).into(), tg.name.clone()),
                (td_string!(l, details.target_type).into(), tg.target_type.clone()),
                (td_string!(l, details.health).into(), aws_name(&t.state)),
                (td_string!(l, details.requests_this_minute).into(), t.requests_this_minute.to_string()),
            ];
            if let Some(r) = &t.reason {
                facts.push((td_string!(l, details.reason).into(), r.clone()));
            }
            Some(Detail {
                title: td_string!(l, details.target_title, label),
                facts,
                history: vec![],
                json_title: td_string!(l, details.target_json).into(),
                json: pretty(t),
                task_def_json: None,
                logs_of: None,
                actions: vec![],
            })
        }
    }
}

/// The details drawer. Its code is split off the app's wasm (src/split.rs): mounted the first time
/// something is selected, then kept (it hides itself when nothing is).
#[component]
pub fn DetailsDrawer() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let wanted =
        Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || ctl.selected.with(Option::is_some));
    move || wanted.get().then(|| later(drawer()))
}

#[wasm_split(details_drawer, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_drawer))]
pub(crate) fn drawer() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <Drawer/> }.into_any())
}

#[component]
fn Drawer() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    let content = Memo::new(move |_| {
        ctl.version.track();
        let locale = i18n.get_locale();
        let sel = ctl.selected.get()?;
        ctl.with_sim(|s| detail(s, &sel, locale)).flatten()
    });
    let close = move |_| ctl.selected.set(None);
    let log_stream = RwSignal::new(0usize);
    view! {
        <aside class="drawer" role="dialog" aria-label=move || t_string!(i18n, details.dialog) hidden=move || content.with(|c| c.is_none())>
            {move || content.get().map(|d| {
                let acts = d.actions.clone();
                view! {
                    <div class="drawer-head">
                        <h2>{d.title.clone()}</h2>
                        <button on:click=close aria-label=move || t_string!(i18n, details.close_details)>{t!(i18n, details.close)}</button>
                    </div>
                    <div class="row wrap">
                        {acts.into_iter().map(|(label, command)| view! {
                            <button class="danger" on:click=move |_| {
                                let _ = ctl.act(command.clone());
                            }>{label}</button>
                        }).collect_view()}
                    </div>
                    <dl class="facts">
                        {d.facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                    </dl>
                    {(!d.history.is_empty()).then(|| view! {
                        <h3>{t!(i18n, details.state_history)}</h3>
                        <ol class="history">
                            {d.history.clone().into_iter().map(|(t, s)| view! { <li><time>{fmt_clock(t)}</time> " " {s}</li> }).collect_view()}
                        </ol>
                    })}
                    {d.logs_of.clone().map(|id| view! { <TaskLogs task_id=id chosen=log_stream/> })}
                    {d.task_def_json.clone().map(|j| view! {
                        <details open><summary>{t!(i18n, details.task_definition_json)}</summary><pre>{j}</pre></details>
                    })}
                    <details><summary>{d.json_title.clone()}</summary><pre>{d.json.clone()}</pre></details>
                }
            })}
        </aside>
    }
}
