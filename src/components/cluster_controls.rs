//! Cluster controls: add instances of a type to an AZ (LaunchInstances), fail or restore an AZ,
//! and run standalone tasks with a launch type, placement strategy and constraint (RunTask).

use crate::actions;
use crate::i18n::*;
use crate::playback_ctl::{Notice, PlaybackCtl};
use ecs_sim::scenario::LaunchType;
use ecs_sim::views::{aws_name, from_aws_name};
use leptos::prelude::*;

#[component]
pub fn ClusterControls() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    let az_names =
        Memo::new(move |_| ctl.ui.azs.with(|a| a.iter().map(|a| (a.name.clone(), a.available)).collect::<Vec<_>>()));
    let itype = RwSignal::new("m5.large".to_string());
    let count = RwSignal::new("1".to_string());
    let az = RwSignal::new(String::new());
    let chosen_az = move || {
        let a = az.get_untracked();
        if a.is_empty() {
            az_names.with_untracked(|v| v.first().map(|x| x.0.clone()).unwrap_or_default())
        } else {
            a
        }
    };
    let launch = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(n) = count.get_untracked().trim().parse::<u32>() else {
            ctl.notice.set(Notice { ok: false, text: tu_string!(i18n, cluster_controls.instance_count_whole).into() });
            return;
        };
        let _ = ctl.act(actions::launch_instances(&itype.get_untracked(), &chosen_az(), n));
    };

    // RunTask form.
    let td = RwSignal::new(String::new());
    let run_count = RwSignal::new("1".to_string());
    let launch_type = RwSignal::new(LaunchType::Ec2);
    let strategy = RwSignal::new("spread-az".to_string());
    let constraint = RwSignal::new(String::new());
    let run = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(n) = run_count.get_untracked().trim().parse::<u32>() else {
            ctl.notice.set(Notice { ok: false, text: tu_string!(i18n, cluster_controls.task_count_whole).into() });
            return;
        };
        let family = {
            let t = td.get_untracked();
            if t.trim().is_empty() {
                ctl.ui.services.with_untracked(|s| s.first().map(|s| s.task_definition.clone()).unwrap_or_default())
            } else {
                t.trim().to_string()
            }
        };
        let subnets: Vec<String> = ctl.ui.azs.with_untracked(|a| a.iter().map(|a| a.subnet_id.clone()).collect());
        let command = actions::run_task(
            &family,
            n,
            launch_type.get_untracked(),
            &strategy.get_untracked(),
            &constraint.get_untracked(),
            &subnets,
        );
        let _ = ctl.act(command);
    };

    view! {
        <section class="panel cluster-controls" aria-label=move || t_string!(i18n, cluster_controls.label)>
            <h2>{t!(i18n, cluster_controls.capacity_and_faults)}</h2>
            <form class="row wrap" on:submit=launch>
                <label>{t!(i18n, cluster_controls.add)} " " <input type="number" min="1" max="100" aria-label=move || t_string!(i18n, cluster_controls.instance_count) bind:value=count/></label>
                <label>
                    <select aria-label=move || t_string!(i18n, cluster_controls.instance_type) prop:value=move || itype.get() on:change=move |ev| itype.set(event_target_value(&ev))>
                        {ecs_sim::instance_types::INSTANCE_TYPES.iter().map(|t| view! { <option value=t.name>{t.name}</option> }).collect_view()}
                    </select>
                </label>
                <label>" " {t!(i18n, cluster_controls.in_az)} " "
                    <select aria-label=move || t_string!(i18n, cluster_controls.az_for_new) on:change=move |ev| az.set(event_target_value(&ev))>
                        {move || az_names.get().into_iter().map(|(n, _)| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit">{t!(i18n, cluster_controls.launch)}</button>
            </form>
            <ul class="az-faults">
                {move || az_names.get().into_iter().map(|(n, up)| {
                    let name = n.clone();
                    let label = if up {
                        t_string!(i18n, cluster_controls.fail_az, az = &n)
                    } else {
                        t_string!(i18n, cluster_controls.restore_az, az = &n)
                    };
                    view! {
                        <li><button class:danger=up on:click=move |_| { let _ = ctl.act(actions::toggle_availability_zone(&name, up)); }>{label}</button></li>
                    }
                }).collect_view()}
            </ul>
            <h2>{t!(i18n, cluster_controls.run_task)}</h2>
            <form class="row wrap" on:submit=run>
                <label>{t!(i18n, cluster_controls.task_definition)} " " <input type="text" size="10" aria-label=move || t_string!(i18n, cluster_controls.task_definition_for_run) placeholder=move || t_string!(i18n, cluster_controls.task_definition_placeholder) bind:value=td/></label>
                <label>{t!(i18n, cluster_controls.count)} " " <input type="number" min="1" max="10" aria-label=move || t_string!(i18n, cluster_controls.run_count) bind:value=run_count/></label>
                <label>{t!(i18n, cluster_controls.launch_type)} " "
                    <select aria-label=move || t_string!(i18n, cluster_controls.launch_type) on:change=move |ev| launch_type.set(from_aws_name(&event_target_value(&ev)).unwrap_or(LaunchType::Ec2))>
                        {[LaunchType::Ec2, LaunchType::Fargate].map(|l| view! { <option value=aws_name(&l)>{aws_name(&l)}</option> })}
                    </select>
                </label>
                <label>{t!(i18n, cluster_controls.placement_strategy)} " "
                    <select aria-label=move || t_string!(i18n, cluster_controls.placement_strategy) on:change=move |ev| strategy.set(event_target_value(&ev))>
                        <option value="spread-az">"spread(attribute:ecs.availability-zone)"</option>
                        <option value="spread-instance">"spread(instanceId)"</option>
                        <option value="binpack-memory">"binpack(memory)"</option>
                        <option value="random">"random"</option>
                    </select>
                </label>
                <label>{t!(i18n, cluster_controls.placement_constraint)} " "
                    <input type="text" aria-label=move || t_string!(i18n, cluster_controls.placement_constraint) list="constraint-examples" placeholder=move || t_string!(i18n, cluster_controls.constraint_placeholder) bind:value=constraint/>
                </label>
                <datalist id="constraint-examples">
                    <option value="distinctInstance"></option>
                    <option value="attribute:ecs.availability-zone == us-east-1a"></option>
                    <option value="attribute:ecs.instance-type =~ m5.*"></option>
                </datalist>
                <button type="submit">{t!(i18n, cluster_controls.run_task)}</button>
            </form>
        </section>
    }
}
