//! A/B runs side by side: when the open scenario has a `variant` (an A/B lesson, or "Compare
//! with..."), two cluster pictures, each a region named by its run and difference ("Run A:
//! binpack (memory)"), then the figures strip (a table: a row per run, a named cell per figure,
//! read from `ecs_sim::ab::AbFigures` at the current moment) and, from the runs' end on, the
//! engine's summary paragraph in the page's language. One clock: the controls drive run A and
//! `PlaybackCtl::refresh` keeps run B in step (`ecs_sim::ab::keep_in_step`); nothing here plays.
//!
//! `CompareWith` offers one difference on any scenario: the engine builds the variant
//! (`ecs_sim::ab::variant_for`) and the scenario document carries it (`with_variant`), so the
//! share link opens both runs.

use crate::components::cluster_map::ClusterMap;
use crate::components::controls::fmt_clock;
use crate::i18n::*;
use crate::playback_ctl::{Notice, PlaybackCtl};
use crate::url_state::{self, UrlState};
use ecs_sim::ab::{AbFigures, Difference, RunFigures};
use leptos::prelude::*;

/// The picture area: one cluster map, or the two runs and their figures.
#[component]
pub fn Pictures() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    view! {
        {move || if ctl.is_ab() {
            view! { <AbPair/> }.into_any()
        } else {
            view! {
                <section class="region" aria-label=move || t_string!(i18n, app.cluster)>
                    <ClusterMap/>
                </section>
            }.into_any()
        }}
    }
}

/// Run A's and run B's labels in `lang`.
fn labels(ctl: PlaybackCtl, lang: &str) -> (String, String) {
    ctl.ab
        .labels
        .with(|l| l.as_ref().map(|(a, b)| (a.get(lang).to_string(), b.get(lang).to_string())))
        .unwrap_or_default()
}

#[component]
fn AbPair() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let url = expect_context::<UrlState>();
    let i18n = use_i18n();
    let name_a = move || t_string!(i18n, ab.run_a, label = labels(ctl, &url.lang.get()).0).to_string();
    let name_b = move || t_string!(i18n, ab.run_b, label = labels(ctl, &url.lang.get()).1).to_string();
    view! {
        <div class="ab-pair">
            <section class="region ab-run ab-a" aria-label=name_a>
                <p class="ab-label" aria-hidden="true"><span class="ab-letter">"A"</span>{move || labels(ctl, &url.lang.get()).0}</p>
                <ClusterMap no_legend=true/>
            </section>
            <RunB name=Signal::derive(name_b)/>
        </div>
        <FiguresStrip/>
        <Summary/>
    }
}

/// Run B's picture: the cluster map under run B's view of the controller. `Provider` gives the
/// map its own owner, so run A's map (a sibling) never sees run B's controller.
#[component]
fn RunB(name: Signal<String>) -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let url = expect_context::<UrlState>();
    view! {
        <section class="region ab-run ab-b" aria-label=move || name.get()>
            <p class="ab-label" aria-hidden="true"><span class="ab-letter">"B"</span>{move || labels(ctl, &url.lang.get()).1}</p>
            <leptos::context::Provider value=ctl.twin_view()>
                <ClusterMap no_legend=true/>
            </leptos::context::Provider>
        </section>
    }
}

/// The short name of an Availability Zone in a narrow cell: `us-east-1a` -> `1a`.
fn short_az(name: &str) -> &str {
    name.rsplit('-').next().unwrap_or(name)
}

/// One run's figures as displayed: (figure key, text).
fn cells(i18n: leptos_i18n::I18nContext<Locale>, f: &RunFigures) -> Vec<(&'static str, String)> {
    let dash = "—".to_string();
    let per_az = f
        .tasks_per_az
        .iter()
        .map(|z| format!("{} {}", short_az(&z.availability_zone), z.running_tasks))
        .collect::<Vec<_>>()
        .join(" · ");
    let took = match &f.deployment {
        None => dash.clone(),
        Some(d) => match d.finished_after_seconds {
            None => t_string!(i18n, ab.not_finished).to_string(),
            Some(s) if d.failed => t_string!(i18n, ab.failed, time = fmt_secs(s)).to_string(),
            Some(s) => fmt_secs(s),
        },
    };
    let lowest = f.deployment.as_ref().and_then(|d| d.lowest_running).map(|n| n.to_string()).unwrap_or(dash.clone());
    let failed = if f.requests > 0 { f.requests_failed.to_string() } else { dash.clone() };
    let cost = f.cost_usd.map(|c| format!("${c:.4}")).unwrap_or(dash);
    vec![
        ("instancesInUse", f.instances_in_use.to_string()),
        ("tasksPerAz", if per_az.is_empty() { "—".into() } else { per_az }),
        ("deploymentTime", took),
        ("lowestRunning", lowest),
        ("requestsFailed", failed),
        ("cost", cost),
    ]
}

fn fmt_secs(s: f64) -> String {
    if s < 60.0 {
        format!("{s:.0} s")
    } else {
        format!("{}:{:02}", (s / 60.0).floor() as u64, (s as u64) % 60)
    }
}

fn figure_name(i18n: leptos_i18n::I18nContext<Locale>, key: &str) -> String {
    match key {
        "instancesInUse" => t_string!(i18n, ab.instances_in_use),
        "tasksPerAz" => t_string!(i18n, ab.tasks_per_az),
        "deploymentTime" => t_string!(i18n, ab.deployment_time),
        "lowestRunning" => t_string!(i18n, ab.lowest_running),
        "requestsFailed" => t_string!(i18n, ab.requests_failed),
        _ => t_string!(i18n, ab.cost),
    }
    .to_string()
}

const FIGURES: [&str; 6] =
    ["instancesInUse", "tasksPerAz", "deploymentTime", "lowestRunning", "requestsFailed", "cost"];

/// The figures strip: a table, a row per run, a column per figure; each cell is named
/// "<figure>, run <A|B>: <value>" for screen readers and tests.
#[component]
fn FiguresStrip() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    let row = move |run: &'static str, f: Option<AbFigures>| {
        let Some(f) = f else { return ().into_any() };
        let r = if run == "A" { &f.a } else { &f.b };
        let cells = cells(i18n, r);
        view! {
            <tr class=format!("ab-row-{}", run.to_lowercase())>
                <th scope="row">{run}</th>
                {cells.into_iter().map(|(key, value)| {
                    let label = t_string!(i18n, ab.cell, figure = figure_name(i18n, key), run = run, value = value.clone()).to_string();
                    view! { <td data-figure=key aria-label=label>{value}</td> }
                }).collect_view()}
            </tr>
        }
        .into_any()
    };
    view! {
        <table class="ab-figures" aria-label=move || t_string!(i18n, ab.figures)>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, ab.run)}</th>
                    {FIGURES.iter().map(|k| { let k = *k; view! { <th scope="col">{move || figure_name(i18n, k)}</th> } }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {move || row("A", ctl.ab.figures.get())}
                {move || row("B", ctl.ab.figures.get())}
            </tbody>
        </table>
    }
}

/// The engine's summary paragraph, from the runs' end on (before it: when it will appear).
#[component]
fn Summary() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let url = expect_context::<UrlState>();
    let i18n = use_i18n();
    let ended = Memo::new(move |_| ctl.now_s.get() + 1e-6 >= ctl.ab.end_s.get());
    view! {
        <section class="ab-summary" aria-label=move || t_string!(i18n, ab.summary) aria-live="polite">
            {move || {
                if !ended.get() {
                    let at = fmt_clock(ctl.ab.end_s.get());
                    return view! { <p class="ab-summary-later">{t_string!(i18n, ab.summary_after, time = at).to_string()}</p> }.into_any();
                }
                let lang = url.lang.get();
                let (la, lb) = labels(ctl, &lang);
                let text = ctl.ab.figures.with(|f| f.as_ref().map(|f| ecs_sim::ab::summary(f, &la, &lb, &lang)));
                view! { <p lang=lang.clone()>{text}</p> }.into_any()
            }}
        </section>
    }
}

/// "Compare with...": pick one difference; run B is built by the engine from the scenario open
/// now, and the document with its variant replaces it (so the link carries both runs).
#[component]
pub fn CompareWith() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let url = expect_context::<UrlState>();
    let i18n = use_i18n();
    let picked = RwSignal::new(String::new());
    // The picks that apply to the scenario open now (run A's): e.g. no scaling policy pick
    // without a target tracking policy (`Difference::offered`).
    let offered = Memo::new(move |_| {
        ctl.loads.track();
        ctl.playback.with_value(|p| p.as_ref().map(|p| Difference::offered(p.sim.scenario()))).unwrap_or_default()
    });
    let option = move |d: Difference| {
        move || {
            offered.with(|o| o.contains(&d)).then(|| {
                let label = match d {
                    Difference::PlacementStrategy => t_string!(i18n, ab.pick_placement),
                    Difference::DeploymentConfiguration => t_string!(i18n, ab.pick_deployment),
                    Difference::LaunchType => t_string!(i18n, ab.pick_launch_type),
                    Difference::InstanceType => t_string!(i18n, ab.pick_instance_type),
                    Difference::ScalingPolicy => t_string!(i18n, ab.pick_scaling),
                    Difference::CapacityProviderStrategy => t_string!(i18n, ab.pick_capacity_provider),
                };
                view! { <option value=d.id()>{label.to_string()}</option> }
            })
        }
    };
    // The document the last pick built: while it is open, the picker shows that pick.
    let built = StoredValue::new(None::<String>);
    let value = move || {
        if !ctl.is_ab() {
            return String::new();
        }
        if url.custom.get_value().is_some() && url.custom.get_value() == built.get_value() {
            picked.get()
        } else {
            "variant".to_string()
        }
    };
    let pick = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        let text = url_state::current_text(url);
        let doc: Result<String, String> = (|| {
            if id.is_empty() || id == "variant" {
                return ecs_sim::ab::without_variant(&text).map_err(|e| e.to_string());
            }
            let d = Difference::from_id(&id).ok_or_else(|| format!("compare: unknown difference {id}"))?;
            let base = ecs_sim::parse_scenario(&text).map_err(|e| e.to_string())?;
            let v = ecs_sim::ab::variant_for(&base, d).map_err(|e| e.to_string())?;
            ecs_sim::ab::with_variant(&text, &v).map_err(|e| e.to_string())
        })();
        let result = doc.and_then(|doc| {
            url_state::open_custom(ctl, url, &doc)?;
            Ok(doc)
        });
        match result {
            Ok(doc) => {
                built.set_value(Some(doc));
                picked.set(id);
            }
            Err(e) => {
                let locale = crate::i18n_setup::current_locale();
                ctl.notice.set(Notice {
                    ok: false,
                    text: td_string!(locale, app.failed, action = t_string!(i18n, ab.compare_with), error = e),
                })
            }
        }
    };
    view! {
        <section class="panel compare-with" aria-label=move || t_string!(i18n, ab.label)>
            <label>
                {t!(i18n, ab.compare_with)} " "
                <select aria-label=move || t_string!(i18n, ab.compare_with) prop:value=value on:change=pick>
                    <option value="">{t!(i18n, ab.one_run)}</option>
                    {Difference::ALL.into_iter().map(option).collect_view()}
                    <option value="variant" disabled=move || value() != "variant">{t!(i18n, ab.pick_lesson)}</option>
                </select>
            </label>
        </section>
    }
}
