//! The lesson library. The lessons are files beside the page (`dist/lessons/<id>.json`, copied
//! by Trunk from `lessons/`), not in the wasm (issue 19: they were 0.47 MB of it, and parsing all
//! of them at start-up delayed the first picture). A link that names a lesson fetches that one
//! before its first picture; every other lesson is fetched right after the first picture
//! (`fetch_all`), so the picker lists them all and the page keeps working offline once loaded.
//! The texts and the rules for them live in the engine (`ecs_sim::lesson`); the app only lists
//! and shows them.

use ecs_sim::lesson::Lesson;
use leptos::prelude::*;
use std::cell::RefCell;

/// Every file of `lessons/`, by id (the file name). `engine/tests/lessons.rs` checks that each
/// one loads and runs; `library_matches_the_folder` checks this list against the folder.
pub const IDS: &[&str] = &[
    "ab-binpack-vs-spread",
    "ab-fargate-vs-ec2-cost",
    "ab-rolling-50-vs-100",
    "alb-dynamic-ports",
    "alb-request-count-per-target",
    "alb-vs-nlb",
    "az-failure",
    "blue-green-hook-rollback",
    "blue-green-test-traffic-bake",
    "canary-10-then-all",
    "capacity-provider-scale-out",
    "circuit-breaker-rollback",
    "codedeploy-canary-10-percent-5-minutes",
    "compare-lambda-ecs-eks",
    "cost-fargate-vs-ec2",
    "daemon-vs-replica",
    "deployment-alarm-rollback",
    "docker-vs-vm-vocabulary",
    "ec2-vs-fargate",
    "ecr-lifecycle-missing-tag",
    "eventbridge-scheduled-task",
    "eventbridge-stopped-task-sns",
    "express-mode-one-call",
    "fargate-awsvpc-ips",
    "fargate-bills-what-you-ask-for",
    "fargate-spot-interruption",
    "health-check-replacement",
    "instance-profile-task-role-execution-role",
    "killed-task-replaced",
    "linear-steps",
    "placement-constraints",
    "placement-strategies",
    "private-subnet-image-pull",
    "release-path-ecr-update-service",
    "rolling-update-100-150",
    "rolling-update-50-100",
    "s3-triggered-task",
    "secrets-from-ssm-and-secrets-manager",
    "security-group-dynamic-ports",
    "sidecar-bind-mount-efs",
    "sqs-worker",
    "step-and-scheduled-scaling",
    "target-tracking-cpu",
    "task-role-vs-execution-role",
    "when-eks-or-lambda-instead-of-ecs",
];

/// A library lesson: its id, its metadata, and the scenario document to load.
pub struct LibraryLesson {
    pub id: &'static str,
    pub lesson: Lesson,
    pub text: &'static str,
}

thread_local! {
    /// The lessons fetched so far (leaked: each is fetched once and kept for the page's life).
    static LOADED: RefCell<Vec<&'static LibraryLesson>> = const { RefCell::new(Vec::new()) };
    /// Bumped when a lesson arrives, so the picker and the open lesson follow.
    static ARRIVED: ArcRwSignal<usize> = ArcRwSignal::new(0);
}

/// Keep a lesson document that arrived (a file that does not parse is refused: the engine test
/// fails on it long before a build ships, so the app never panics on one).
pub fn insert(id: &str, text: String) -> Result<&'static LibraryLesson, String> {
    let id: &'static str = IDS.iter().find(|i| **i == id).ok_or_else(|| format!("no lesson {id}"))?;
    if let Some(l) = LOADED.with(|v| v.borrow().iter().find(|l| l.id == id).copied()) {
        return Ok(l);
    }
    let lesson = ecs_sim::parse_scenario(&text)
        .map_err(|e| format!("lesson {id}: {e}"))?
        .lesson
        .ok_or_else(|| format!("lesson {id}: no lesson object"))?;
    let l: &'static LibraryLesson = Box::leak(Box::new(LibraryLesson { id, lesson, text: text.leak() }));
    LOADED.with(|v| v.borrow_mut().push(l));
    ARRIVED.with(|a| a.update(|n| *n += 1));
    Ok(l)
}

/// The lessons fetched so far, in `IDS` order (reactive: lists more as they arrive).
pub fn all() -> Vec<&'static LibraryLesson> {
    ARRIVED.with(|a| a.track());
    LOADED.with(|v| {
        let v = v.borrow();
        IDS.iter().filter_map(|id| v.iter().find(|l| l.id == *id).copied()).collect()
    })
}

/// A lesson already fetched (reactive: `None` until it arrives).
pub fn find(id: &str) -> Option<&'static LibraryLesson> {
    ARRIVED.with(|a| a.track());
    LOADED.with(|v| v.borrow().iter().find(|l| l.id == id).copied())
}

pub fn ids() -> Vec<&'static str> {
    IDS.to_vec()
}

/// `lessons/<id>.json` beside the page, fetched once and kept.
pub async fn fetch(id: &str) -> Result<&'static LibraryLesson, String> {
    if let Some(l) = find(id) {
        return Ok(l);
    }
    let text = http_get(&format!("lessons/{id}.json")).await.map_err(|e| format!("lesson {id} did not load ({e})"))?;
    insert(id, text)
}

/// Fetch every lesson not fetched yet, one after another (called right after the first picture).
pub fn fetch_all() {
    leptos::task::spawn_local(async {
        for id in IDS {
            if let Err(e) = fetch(id).await {
                leptos::logging::warn!("{e}");
            }
        }
    });
}

async fn http_get(path: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str(path)).await.map_err(|_| "network error".to_string())?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| "no response".to_string())?;
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(|_| "unreadable".to_string())?)
        .await
        .map_err(|_| "unreadable".to_string())?;
    text.as_string().ok_or_else(|| "not text".to_string())
}

#[cfg(test)]
mod tests {
    /// The list names exactly the files in `lessons/`, and each parses with its lesson.
    #[test]
    fn library_matches_the_folder() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("lessons/")
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".json")).map(String::from))
            .collect();
        on_disk.sort();
        let listed: Vec<String> = super::ids().iter().map(|s| s.to_string()).collect();
        assert_eq!(listed, on_disk, "src/lesson_library.rs IDS must list every lessons/*.json");
        for id in super::IDS {
            let text = std::fs::read_to_string(format!("{dir}/{id}.json")).expect("lesson file");
            super::insert(id, text).expect("every lesson parses with its lesson object");
        }
        assert_eq!(super::all().len(), on_disk.len(), "every lesson is kept");
    }
}
