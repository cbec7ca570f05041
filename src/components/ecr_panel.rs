//! ECR repositories (engine `Simulation::ecr_report`): images with tags, digest, push time,
//! size and scan findings, and which ones the repository's lifecycle policy would expire now
//! (GetLifecyclePolicyPreview) or already expired.

use crate::i18n::*;
use crate::playback_ctl::SimReader;
use ecs_sim::views::{EcrImageView, EcrReportView};
use leptos::prelude::*;

fn short_digest(d: &str) -> String {
    d.get(..19).map(|s| format!("{s}…")).unwrap_or_else(|| d.to_string())
}

/// The image's tags, or `untagged` for an image without any (`<untagged>` in the stable
/// `data-tags` attribute, the page's language in the table).
fn tags(t: &[String], untagged: &str) -> String {
    if t.is_empty() {
        untagged.into()
    } else {
        t.join(", ")
    }
}

/// Scan findings as "CRITICAL 1, HIGH 2" (severities in name order); empty without a scan.
fn findings(im: &EcrImageView) -> String {
    im.image_scan_findings_summary
        .as_ref()
        .map(|s| s.finding_severity_counts.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", "))
        .unwrap_or_default()
}

#[component]
pub fn EcrPanel() -> impl IntoView {
    let reader = expect_context::<SimReader>();
    let i18n = use_i18n();
    let report = Memo::new(move |_| {
        let _ = reader.version.get();
        reader.with_sim(|s| s.ecr_report()).unwrap_or_default()
    });
    view! {
        <div class="ecr-panel" aria-label=move || t_string!(i18n, ecr.label)>
            <h2>{t!(i18n, ecr.label)}</h2>
            {move || {
                let r: EcrReportView = report.get();
                if r.repositories.is_empty() {
                    return view! { <p>{t!(i18n, ecr.no_repos)}</p> }.into_any();
                }
                r.repositories.into_iter().map(|repo| {
                    let name = repo.repository_name.clone();
                    let expiring: Vec<(String, u32)> =
                        repo.would_expire.iter().map(|e| (e.image_digest.clone(), e.applied_rule_priority)).collect();
                    let images = repo.image_details;
                    let expired = repo.expired;
                    view! {
                        <article class="ecr-repo" aria-label=t_string!(i18n, ecr.repository, name = name.clone()).to_string()>
                            <h3>{name.clone()} <small>{repo.repository_uri.clone()}</small></h3>
                            <table class="ecr-images">
                                <caption>{t_string!(i18n, ecr.caption, count = images.len(), policy = if repo.has_lifecycle_policy { t_string!(i18n, ecr.yes).to_string() } else { t_string!(i18n, ecr.none).to_string() }).to_string()}</caption>
                                <thead><tr><th scope="col">{t!(i18n, ecr.tags)}</th><th scope="col">{t!(i18n, ecr.digest)}</th><th scope="col">{t!(i18n, ecr.pushed)}</th><th scope="col">{t!(i18n, ecr.size)}</th><th scope="col">{t!(i18n, ecr.findings)}</th><th scope="col">{t!(i18n, ecr.lifecycle)}</th></tr></thead>
                                <tbody>
                                    {images.into_iter().map(|im| {
                                        let digest = im.image_digest.clone();
                                        let rule = expiring.iter().find(|(d, _)| *d == digest).map(|(_, p)| *p);
                                        let findings = findings(&im);
                                        let mb = im.image_size_in_bytes as f64 / 1e6;
                                        view! {
                                            <tr class:expiring=rule.is_some() data-would-expire=rule.is_some().to_string() data-tags=tags(&im.image_tags, "<untagged>")>
                                                <td>{tags(&im.image_tags, t_string!(i18n, ecr.untagged))}</td>
                                                <td title=digest.clone()>{short_digest(&digest)}</td>
                                                <td>{im.image_pushed_at.clone()}</td>
                                                <td>{format!("{mb:.0}")}</td>
                                                <td>{findings}</td>
                                                <td>{rule.map(|p| t_string!(i18n, ecr.would_expire, priority = p).to_string()).unwrap_or_else(|| t_string!(i18n, ecr.kept).to_string())}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {(!expired.is_empty()).then(|| view! {
                                <p>{t_string!(i18n, ecr.expired, digests = expired.iter().map(|e| short_digest(&e.image_digest)).collect::<Vec<_>>().join(", ")).to_string()}</p>
                            })}
                        </article>
                    }
                }).collect_view().into_any()
            }}
        </div>
    }
}
