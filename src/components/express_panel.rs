//! "What was created": the resources an Express Mode call created (engine
//! `Simulation::express_view_unrendered`), listed as the console names them - type and name - in
//! creation order, each with the explicit requests it stands for, and the Terraform of the expanded
//! resources (the setup's part rendered by the on-demand module, `tools.rs`, issue 19). Shown only when the scenario has an Express service. Items appear one after the
//! other (public/express.css), so the call plays as a sequence.

use crate::i18n::*;
use crate::playback_ctl::SimReader;
use crate::split::{later, wasm_split, SplitLoaderError};
use crate::tools;
use ecs_sim::export::{ExportFormat, ExportRequest, Setup};
use ecs_sim::express::ExpressView;
use leptos::prelude::*;

/// The console's name of a CloudFormation resource type, in the page's language.
fn type_label(i18n: leptos_i18n::I18nContext<Locale>, resource_type: &str) -> String {
    let s = match resource_type {
        "AWS::Logs::LogGroup" => t_string!(i18n, express.type_log_group),
        "AWS::ECS::TaskDefinition" => t_string!(i18n, express.type_task_definition),
        "AWS::EC2::SecurityGroup" => t_string!(i18n, express.type_security_group),
        "AWS::CertificateManager::Certificate" => t_string!(i18n, express.type_certificate),
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => t_string!(i18n, express.type_load_balancer),
        "AWS::ElasticLoadBalancingV2::TargetGroup" => t_string!(i18n, express.type_target_group),
        "AWS::ElasticLoadBalancingV2::Listener" => t_string!(i18n, express.type_listener),
        "AWS::ElasticLoadBalancingV2::ListenerRule" => t_string!(i18n, express.type_listener_rule),
        "AWS::CloudWatch::Alarm" => t_string!(i18n, express.type_alarm),
        "AWS::ECS::Service" => t_string!(i18n, express.type_service),
        "AWS::ApplicationAutoScaling::ScalableTarget" => t_string!(i18n, express.type_scalable_target),
        "AWS::ApplicationAutoScaling::ScalingPolicy" => t_string!(i18n, express.type_scaling_policy),
        other => return other.to_string(),
    };
    s.to_string()
}

#[component]
pub fn ExpressPanel() -> impl IntoView {
    let reader = expect_context::<SimReader>();
    // A cheap key that changes only when an Express call changed something, so the view (and
    // its Terraform) is rebuilt on calls, not on every frame.
    let key = Memo::new(move |_| {
        let _ = reader.version.get();
        reader
            .with_sim(|s| {
                s.express_services()
                    .iter()
                    .map(|e| format!("{}:{}:{}:{}", e.service_name, e.status, e.updated_at, e.revisions.len()))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default()
    });
    let views = Memo::new(move |_| {
        let _ = key.get();
        reader
            .with_sim(|s| {
                s.express_services()
                    .iter()
                    .filter_map(|e| s.express_view_unrendered(&e.service_name))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    // The panel's view is split off the app's wasm (src/split.rs): drawn once there is an Express
    // service (the chunk is ready by then unless the page opened on one).
    move || {
        let vs = views.get();
        if vs.is_empty() {
            return ().into_any();
        }
        later(express_view(vs))
    }
}

#[wasm_split(express_panel, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_express))]
pub(crate) fn express_view(vs: Vec<(ExpressView, Setup)>) -> Result<AnyView, SplitLoaderError> {
    let i18n = use_i18n();
    Ok(view! {
            <section class="panel express-panel" aria-label=move || t_string!(i18n, express.label)>
                <h2>{t!(i18n, express.label)}</h2>
                {vs.into_iter().map(|(v, setup)| {
                    let name = v.service_name;
                    let resources = v.resources;
                    let count = resources.len();
                    let endpoint = v.endpoint;
                    let status = v.status;
                    let how = v.simulated_deployment;
                    // The setup's Terraform comes from the on-demand module, then the described
                    // resources, which use its variables.
                    let terraform = RwSignal::new(String::new());
                    let described = v.terraform;
                    leptos::task::spawn_local(async move {
                        let out = tools::render_export(&ExportRequest { format: ExportFormat::Terraform, setup }).await;
                        terraform.try_set(out.map(|t| t + &described).unwrap_or_else(|e| e));
                    });
                    let label = name.clone();
                    view! {
                        <article class="express-service" data-service=name.clone()
                            aria-label=move || t_string!(i18n, express.service, name = label.clone()).to_string()>
                            <h3>{t_string!(i18n, express.service, name = name.clone()).to_string()}</h3>
                            <p>{t_string!(i18n, express.endpoint, url = endpoint).to_string()} " · "
                               {t_string!(i18n, express.status, status = status).to_string()}</p>
                            <p>{t_string!(i18n, express.intro, count = count).to_string()}</p>
                            <ol class="express-resources">
                                {resources.into_iter().map(|r| {
                                    let rtype = r.resource_type.to_string();
                                    let rname = r.name.clone();
                                    let simulated = r.simulated;
                                    let kind = type_label(i18n, &rtype);
                                    let accessible = format!("{kind} {rname}");
                                    let requests = r.requests.clone();
                                    view! {
                                        <li aria-label=accessible data-resource-type=rtype.clone() data-simulated=simulated.to_string()>
                                            <span class="express-kind">{kind.clone()}</span>" "
                                            <code class="express-name" title=r.arn.clone()>{rname.clone()}</code>" "
                                            <span class="express-badge">{if simulated { t_string!(i18n, express.simulated) } else { t_string!(i18n, express.described) }}</span>
                                            <details>
                                                <summary>{t!(i18n, express.requests)}</summary>
                                                {requests.into_iter().map(|q| view! {
                                                    <pre class="express-request" data-action=q.action>
                                                        {format!("{} {}\n{}", q.api, q.action, q.input_pretty())}
                                                    </pre>
                                                }).collect_view()}
                                            </details>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                            <p class="express-deployment">{t_string!(i18n, express.deployment, how = how).to_string()}</p>
                            <details class="express-terraform">
                                <summary>{t!(i18n, express.terraform)}</summary>
                                <pre>{move || terraform.get()}</pre>
                            </details>
                        </article>
                    }
                }).collect_view()}
            </section>
        }
        .into_any())
}
