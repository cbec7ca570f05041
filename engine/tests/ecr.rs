//! ECR behaviour a learner can check against the Amazon ECR User Guide and the ECS guide.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::ecr::lifecycle_policy::LifecyclePolicy;
use ecs_sim::ecr::{self, Platform, PullErrorKind, Registry, Resolved};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const DAY_S: f64 = 86_400.0;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Build a one-repository registry from a documented example; image ids become tags-free
/// names via a lookup from digest to id.
fn run_case(case: &Value) -> BTreeMap<String, u32> {
    let images: Vec<Value> = case["images"]
        .as_array()
        .expect("images")
        .iter()
        .map(|im| {
            json!({
                "imageTags": im["tags"],
                "imagePushedAt": -(im["daysAgo"].as_f64().expect("daysAgo") * DAY_S),
                "imageSizeMB": 10,
            })
        })
        .collect();
    let repos = json!([{ "repositoryName": "app", "images": images, "lifecyclePolicy": case["policy"] }]);
    let reg = Registry::from_scenario(&repos, "123456789012", "us-east-1", None).expect("valid example");
    let repo = &reg.repositories["app"];
    // Digest -> documented id, by push order (ids are listed in the same order as images).
    let ids: Vec<&str> =
        case["images"].as_array().expect("images").iter().map(|i| i["id"].as_str().expect("id")).collect();
    let by_digest: BTreeMap<String, String> =
        repo.images.iter().zip(&ids).map(|(im, id)| (im.image_digest.clone(), id.to_string())).collect();
    repo.preview_lifecycle_policy(0)
        .into_iter()
        .map(|r| (by_digest[&r.image_digest].clone(), r.applied_rule_priority))
        .collect()
}

#[test]
fn every_documented_lifecycle_example_gives_the_documented_result() {
    let f = fixture("ecr_lifecycle_examples.json");
    for case in f["cases"].as_array().expect("cases") {
        let got = run_case(case);
        let want: BTreeMap<String, u32> = case["expired"]
            .as_object()
            .expect("expired")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_u64().expect("priority") as u32))
            .collect();
        assert_eq!(got, want, "{}", case["name"]);
    }
}

#[test]
fn apply_deletes_exactly_the_expired_images() {
    // "Keep only one untagged image, expire all others" (Filtering on image count).
    let repos = json!([{ "repositoryName": "app",
        "images": [
            {"imageTags": [], "imagePushedAt": -3.0 * DAY_S},
            {"imageTags": [], "imagePushedAt": -2.0 * DAY_S},
            {"imageTags": ["v1"], "imagePushedAt": -9.0 * DAY_S}],
        "lifecyclePolicy": {"rules": [{"rulePriority": 1,
            "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1},
            "action": {"type": "expire"}}]}}]);
    let mut reg = Registry::from_scenario(&repos, "123456789012", "us-east-1", None).expect("valid");
    let repo = reg.repositories.get_mut("app").expect("repo");
    let expired = repo.apply_lifecycle_policy(0);
    assert_eq!(expired.len(), 1);
    assert_eq!(repo.images.len(), 2);
    assert!(repo.images.iter().any(|i| i.image_tags == ["v1"]), "tagged image is kept");
}

fn policy_err(policy: Value) -> ecs_sim::ApiError {
    LifecyclePolicy::parse(&policy).expect_err("invalid policy")
}

fn rule(priority: u32, selection: Value) -> Value {
    json!({"rulePriority": priority, "selection": selection, "action": {"type": "expire"}})
}

#[test]
fn any_rule_must_have_the_highest_priority() {
    // "A rule with a tagStatus value of any must have the highest value for rulePriority and be
    // evaluated last."
    let e = policy_err(json!({"rules": [
        rule(1, json!({"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 5})),
        rule(2, json!({"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1})),
    ]}));
    assert_eq!(e.exception, "InvalidParameterException");
    assert_eq!(e.field, "rules[0].rulePriority");
}

#[test]
fn validation_errors_name_the_field_and_rule() {
    let cases = [
        // "you must give them each a unique value for rulePriority"
        (
            json!({"rules": [
                rule(1, json!({"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1})),
                rule(1, json!({"tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 1}))]}),
            "rules[1].rulePriority",
        ),
        // "If you specify tagged, then you must also specify a tagPrefixList value or a tagPatternList value"
        (
            json!({"rules": [rule(1, json!({"tagStatus": "tagged", "countType": "imageCountMoreThan", "countNumber": 1}))]}),
            "rules[0].selection.tagPrefixList",
        ),
        // "If you specify untagged, then you must omit both tagPrefixList and tagPatternList"
        (
            json!({"rules": [rule(1, json!({"tagStatus": "untagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 1}))]}),
            "rules[0].selection.tagPrefixList",
        ),
        // "Acceptable values are positive integers (0 is not an accepted value)"
        (
            json!({"rules": [rule(1, json!({"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 0}))]}),
            "rules[0].selection.countNumber",
        ),
        // countUnit: "an error will occur if you specify a count unit when countType is any other value"
        (
            json!({"rules": [rule(1, json!({"tagStatus": "untagged", "countType": "imageCountMoreThan", "countUnit": "days", "countNumber": 1}))]}),
            "rules[0].selection.countUnit",
        ),
        // countUnit is required with sinceImagePushed
        (
            json!({"rules": [rule(1, json!({"tagStatus": "untagged", "countType": "sinceImagePushed", "countNumber": 1}))]}),
            "rules[0].selection.countUnit",
        ),
        // "There is a maximum limit of four wildcards (*) per string"
        (
            json!({"rules": [rule(1, json!({"tagStatus": "tagged", "tagPatternList": ["test*1*2*3*4*5*6"], "countType": "imageCountMoreThan", "countNumber": 1}))]}),
            "rules[0].selection.tagPatternList[0]",
        ),
        // "A lifecycle policy rule may specify either tagPatternList or tagPrefixList, but not both"
        (
            json!({"rules": [rule(1, json!({"tagStatus": "tagged", "tagPatternList": ["a*"], "tagPrefixList": ["a"], "countType": "imageCountMoreThan", "countNumber": 1}))]}),
            "rules[0].selection.tagPatternList",
        ),
        // "Only one rule is allowed to select untagged images"
        (
            json!({"rules": [
                rule(1, json!({"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1})),
                rule(2, json!({"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 3}))]}),
            "rules[1].selection.tagStatus",
        ),
        // action: "The supported value is expire"
        (
            json!({"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "delete"}}]}),
            "rules[0].action.type",
        ),
    ];
    for (policy, field) in cases {
        let e = policy_err(policy.clone());
        assert_eq!(e.field, field, "{policy}: {e}");
        assert!(e.message.starts_with("Lifecycle policy validation failure"), "{e}");
    }
    // ["*test*1*2*3", "test*1*2*3*"] is the documented valid pair (four wildcards each).
    LifecyclePolicy::parse(&json!({"rules": [rule(1, json!({"tagStatus": "tagged",
        "tagPatternList": ["*test*1*2*3", "test*1*2*3*"], "countType": "imageCountMoreThan", "countNumber": 1}))]}))
    .expect("four wildcards per string is allowed");
}

#[test]
fn policy_text_is_accepted_as_a_string_like_put_lifecycle_policy() {
    let text = r#"{"rules":[{"rulePriority":1,"description":"x","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}"#;
    let p = LifecyclePolicy::parse(&Value::String(text.into())).expect("valid text");
    assert_eq!(p.rules.len(), 1);
}

fn registry() -> Registry {
    let repos = json!([{ "repositoryName": "web",
        "images": [
            {"imageTags": ["v1"], "imagePushedAt": "2026-10-20T08:00:00Z", "imageSizeMB": 150,
             "imageScanFindingsSummary": {"findingSeverityCounts": {"HIGH": 2, "LOW": 5}}},
            {"imageTags": ["v2", "latest"], "imagePushedAt": "2026-10-30T08:00:00Z", "imageSizeInBytes": 52428800}]}]);
    Registry::from_scenario(&repos, "123456789012", "us-east-1", Some("2026-11-01T00:00:00Z")).expect("valid")
}

#[test]
fn resolve_finds_tags_and_digests_and_defaults_to_latest() {
    let reg = registry();
    let uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web";
    let Ok(Resolved::Ecr(latest)) = reg.resolve(uri) else { panic!("latest resolves") };
    assert_eq!(latest.image_tags, ["v2", "latest"]);
    assert_eq!(latest.image_pushed_at, "2026-10-30T08:00:00Z");
    let digest = latest.image_digest.clone();
    let Ok(Resolved::Ecr(by_digest)) = reg.resolve(&format!("{uri}@{digest}")) else { panic!("digest resolves") };
    assert_eq!(by_digest.image_digest, digest);
    assert!(digest.starts_with("sha256:") && digest.len() == 71);
    assert_eq!(reg.resolve("nginx:1.27"), Ok(Resolved::NotEcr));
    assert_eq!(reg.resolve("public.ecr.aws/nginx/nginx:latest"), Ok(Resolved::NotEcr));
}

#[test]
fn missing_tag_or_repository_stops_the_task_with_cannot_pull_container_error() {
    // ECS guide, "CannotPullContainer task errors": "CannotPullContainerError: pull image
    // manifest has been retried 5 time(s): failed to resolve ref" - "Verify that the image
    // specified in the task definition matches the image in the repository."
    let reg = registry();
    let uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v9";
    let err = reg.resolve(uri).expect_err("v9 was never pushed");
    assert_eq!(err.kind, PullErrorKind::ImageNotFound);
    assert_eq!(
        err.stopped_reason(Platform::Fargate),
        format!("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {uri}: {uri}: not found")
    );
    assert!(err.stopped_reason(Platform::Ec2).contains("manifest unknown: Requested image not found"));
    let err = reg.resolve("123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v1").expect_err("no such repository");
    assert_eq!(err.kind, PullErrorKind::RepositoryNotFound);
    assert!(err
        .stopped_reason(Platform::Ec2)
        .contains("The repository with name 'api' does not exist in the registry with id '123456789012'"));
}

#[test]
fn describe_images_has_the_api_field_names() {
    let out = registry().describe_images("web").expect("repo exists");
    let first = &out["imageDetails"][0];
    for k in ["imageDigest", "imageTags", "imagePushedAt", "imageSizeInBytes", "registryId", "repositoryName"] {
        assert!(first.get(k).is_some(), "{k} missing in {first}");
    }
    assert_eq!(first["imageSizeInBytes"], 52428800, "newest first");
    assert_eq!(out["imageDetails"][1]["imageScanFindingsSummary"]["findingSeverityCounts"]["HIGH"], 2);
    let e = registry().describe_images("nope").expect_err("missing");
    assert_eq!(e.exception, "RepositoryNotFoundException");
}

#[test]
fn pushing_a_tag_moves_it_unless_the_repository_is_immutable() {
    // Image tag mutability: with MUTABLE the tag moves to the new image; with IMMUTABLE the push
    // fails with ImageTagAlreadyExistsException.
    let mut reg = registry();
    let repo = reg.repositories.get_mut("web").expect("web");
    let mut newer = repo.images[0].clone();
    newer.image_digest = format!("sha256:{}", "a".repeat(64));
    newer.image_tags = vec!["latest".into()];
    repo.push(newer.clone()).expect("mutable");
    assert_eq!(repo.images.iter().filter(|i| i.image_tags.contains(&"latest".to_string())).count(), 1);
    repo.image_tag_mutability = "IMMUTABLE".into();
    newer.image_digest = format!("sha256:{}", "b".repeat(64));
    newer.image_tags = vec!["v1".into()];
    assert_eq!(repo.push(newer).expect_err("immutable").exception, "ImageTagAlreadyExistsException");
}

#[test]
fn scenario_errors_name_the_field() {
    let bad = json!([{ "repositoryName": "web", "images": [{"imagePushedAt": "2026-13-01"}]}]);
    let e = Registry::from_scenario(&bad, "1", "us-east-1", Some("2026-11-01")).expect_err("bad month");
    assert_eq!(e.field, "ecrRepositories[0].images[0].imagePushedAt");
    let bad = json!([{ "repositoryName": "Web" }]);
    let e = Registry::from_scenario(&bad, "1", "us-east-1", None).expect_err("uppercase");
    assert_eq!(e.field, "ecrRepositories[0].repositoryName");
    let bad = json!([{ "repositoryName": "web", "lifecyclePolicy": {"rules": []}}]);
    let e = Registry::from_scenario(&bad, "1", "us-east-1", None).expect_err("no rules");
    assert_eq!(e.field, "ecrRepositories[0].lifecyclePolicy.rules");
}

#[test]
fn pull_time_uses_the_lifecycle_model() {
    // 2 s fixed + 150 MB / 50 MB/s = 5 s.
    assert!((ecr::pull_seconds(150_000_000) - 5.0).abs() < 1e-9);
}
