//! ECR repositories (engine `Simulation::ecr_report`): images with tags, digest, push time,
//! size and scan findings, and which ones the repository's lifecycle policy would expire now
//! (GetLifecyclePolicyPreview) or already expired.

use crate::i18n::*;
use crate::playback_ctl::PlaybackCtl;
use leptos::prelude::*;
use serde_json::Value;

fn short_digest(d: &str) -> String {
    d.get(..19).map(|s| format!("{s}…")).unwrap_or_else(|| d.to_string())
}

/// The image's tags, or `untagged` for an image without any (`<untagged>` in the stable
/// `data-tags` attribute, the page's language in the table).
fn tags(v: &Value, untagged: &str) -> String {
    let t: Vec<&str> = v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    if t.is_empty() {
        untagged.into()
    } else {
        t.join(", ")
    }
}

#[component]
pub fn EcrPanel() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let i18n = use_i18n();
    let report = Memo::new(move |_| {
        let _ = ctl.version.get();
        ctl.with_sim(|s| s.ecr_report()).unwrap_or(Value::Null)
    });
    view! {
        <div class="ecr-panel" aria-label=move || t_string!(i18n, ecr.label)>
            <h2>{t!(i18n, ecr.label)}</h2>
            {move || {
                let r = report.get();
                let repos = r["repositories"].as_array().cloned().unwrap_or_default();
                if repos.is_empty() {
                    return view! { <p>{t!(i18n, ecr.no_repos)}</p> }.into_any();
                }
                repos.into_iter().map(|repo| {
                    let name = repo["repositoryName"].as_str().unwrap_or("").to_string();
                    let expiring: Vec<(String, u64)> = repo["wouldExpire"].as_array().map(|a| a.iter().map(|e| (
                        e["imageDigest"].as_str().unwrap_or("").to_string(), e["appliedRulePriority"].as_u64().unwrap_or(0))).collect()).unwrap_or_default();
                    let images = repo["imageDetails"].as_array().cloned().unwrap_or_default();
                    view! {
                        <article class="ecr-repo" aria-label=t_string!(i18n, ecr.repository, name = name.clone()).to_string()>
                            <h3>{name.clone()} <small>{repo["repositoryUri"].as_str().unwrap_or("").to_string()}</small></h3>
                            <table class="ecr-images">
                                <caption>{t_string!(i18n, ecr.caption, count = images.len(), policy = if repo["hasLifecyclePolicy"].as_bool() == Some(true) { t_string!(i18n, ecr.yes).to_string() } else { t_string!(i18n, ecr.none).to_string() }).to_string()}</caption>
                                <thead><tr><th scope="col">{t!(i18n, ecr.tags)}</th><th scope="col">{t!(i18n, ecr.digest)}</th><th scope="col">{t!(i18n, ecr.pushed)}</th><th scope="col">{t!(i18n, ecr.size)}</th><th scope="col">{t!(i18n, ecr.findings)}</th><th scope="col">{t!(i18n, ecr.lifecycle)}</th></tr></thead>
                                <tbody>
                                    {images.into_iter().map(|im| {
                                        let digest = im["imageDigest"].as_str().unwrap_or("").to_string();
                                        let rule = expiring.iter().find(|(d, _)| *d == digest).map(|(_, p)| *p);
                                        let findings = im["imageScanFindingsSummary"]["findingSeverityCounts"].as_object().map(|m| m.iter()
                                            .map(|(k, v)| format!("{k} {}", v.as_u64().unwrap_or(0))).collect::<Vec<_>>().join(", ")).unwrap_or_default();
                                        let mb = im["imageSizeInBytes"].as_u64().unwrap_or(0) as f64 / 1e6;
                                        view! {
                                            <tr class:expiring=rule.is_some() data-would-expire=rule.is_some().to_string() data-tags=tags(&im["imageTags"], "<untagged>")>
                                                <td>{tags(&im["imageTags"], t_string!(i18n, ecr.untagged))}</td>
                                                <td title=digest.clone()>{short_digest(&digest)}</td>
                                                <td>{im["imagePushedAt"].as_str().unwrap_or("").to_string()}</td>
                                                <td>{format!("{mb:.0}")}</td>
                                                <td>{findings}</td>
                                                <td>{rule.map(|p| t_string!(i18n, ecr.would_expire, priority = p).to_string()).unwrap_or_else(|| t_string!(i18n, ecr.kept).to_string())}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {repo["expired"].as_array().filter(|a| !a.is_empty()).map(|a| view! {
                                <p>{t_string!(i18n, ecr.expired, digests = a.iter().map(|e| short_digest(e["imageDigest"].as_str().unwrap_or(""))).collect::<Vec<_>>().join(", ")).to_string()}</p>
                            })}
                        </article>
                    }
                }).collect_view().into_any()
            }}
        </div>
    }
}
