//! ECR repositories (engine `Simulation::ecr_report`): images with tags, digest, push time,
//! size and scan findings, and which ones the repository's lifecycle policy would expire now
//! (GetLifecyclePolicyPreview) or already expired.

use crate::app::PlaybackCtl;
use leptos::prelude::*;
use serde_json::Value;

fn short_digest(d: &str) -> String {
    d.get(..19).map(|s| format!("{s}…")).unwrap_or_else(|| d.to_string())
}

fn tags(v: &Value) -> String {
    let t: Vec<&str> = v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    if t.is_empty() {
        "<untagged>".into()
    } else {
        t.join(", ")
    }
}

#[component]
pub fn EcrPanel() -> impl IntoView {
    let ctl = expect_context::<PlaybackCtl>();
    let report = Memo::new(move |_| {
        let _ = ctl.version.get();
        ctl.with_sim(|s| s.ecr_report()).unwrap_or(Value::Null)
    });
    view! {
        <div class="ecr-panel" aria-label="ECR repositories">
            <h2>"ECR repositories"</h2>
            {move || {
                let r = report.get();
                let repos = r["repositories"].as_array().cloned().unwrap_or_default();
                if repos.is_empty() {
                    return view! { <p>"This scenario declares no ecrRepositories: images are pulled as public images."</p> }.into_any();
                }
                repos.into_iter().map(|repo| {
                    let name = repo["repositoryName"].as_str().unwrap_or("").to_string();
                    let expiring: Vec<(String, u64)> = repo["wouldExpire"].as_array().map(|a| a.iter().map(|e| (
                        e["imageDigest"].as_str().unwrap_or("").to_string(), e["appliedRulePriority"].as_u64().unwrap_or(0))).collect()).unwrap_or_default();
                    let images = repo["imageDetails"].as_array().cloned().unwrap_or_default();
                    view! {
                        <article class="ecr-repo" aria-label=format!("Repository {name}")>
                            <h3>{name.clone()} <small>{repo["repositoryUri"].as_str().unwrap_or("").to_string()}</small></h3>
                            <table class="ecr-images">
                                <caption>{format!("{} images; lifecycle policy: {}", images.len(), if repo["hasLifecyclePolicy"].as_bool() == Some(true) { "yes" } else { "none" })}</caption>
                                <thead><tr><th scope="col">"Tags"</th><th scope="col">"Digest"</th><th scope="col">"Pushed"</th><th scope="col">"Size (MB)"</th><th scope="col">"Scan findings"</th><th scope="col">"Lifecycle"</th></tr></thead>
                                <tbody>
                                    {images.into_iter().map(|im| {
                                        let digest = im["imageDigest"].as_str().unwrap_or("").to_string();
                                        let rule = expiring.iter().find(|(d, _)| *d == digest).map(|(_, p)| *p);
                                        let findings = im["imageScanFindingsSummary"]["findingSeverityCounts"].as_object().map(|m| m.iter()
                                            .map(|(k, v)| format!("{k} {}", v.as_u64().unwrap_or(0))).collect::<Vec<_>>().join(", ")).unwrap_or_default();
                                        let mb = im["imageSizeInBytes"].as_u64().unwrap_or(0) as f64 / 1e6;
                                        view! {
                                            <tr class:expiring=rule.is_some() data-would-expire=rule.is_some().to_string() data-tags=tags(&im["imageTags"])>
                                                <td>{tags(&im["imageTags"])}</td>
                                                <td title=digest.clone()>{short_digest(&digest)}</td>
                                                <td>{im["imagePushedAt"].as_str().unwrap_or("").to_string()}</td>
                                                <td>{format!("{mb:.0}")}</td>
                                                <td>{findings}</td>
                                                <td>{rule.map(|p| format!("would expire (rule {p})")).unwrap_or_else(|| "kept".into())}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {repo["expired"].as_array().filter(|a| !a.is_empty()).map(|a| view! {
                                <p>{format!("Expired so far: {}", a.iter().map(|e| short_digest(e["imageDigest"].as_str().unwrap_or(""))).collect::<Vec<_>>().join(", "))}</p>
                            })}
                        </article>
                    }
                }).collect_view().into_any()
            }}
        </div>
    }
}
