//! Amazon ECR private registry: repositories, images, image pulls and lifecycle policies.
//!
//! Pure data and rules; nothing here reads a clock. Push times are signed simulated
//! milliseconds relative to the scenario start (`crate::calendar`).
//!
//! # How the simulation should call this (for the lead)
//!
//! * Build once from the scenario: `Registry::from_scenario(&scenario_value_of("ecrRepositories"),
//!   account_id, region, start_date)`.
//! * **Image pull step** (task PENDING, Fargate or EC2): for each container,
//!   1. `iam::check_execution_role(...)` first (registry auth, secrets, logs: see `iam`),
//!   2. then `registry.resolve(&container.image)`:
//!      * `Ok(Resolved::Ecr(image))` -> pull duration `pull_seconds(image.image_size_in_bytes)`
//!        (the same model as `sim::timings`: base seconds + MB / throughput),
//!      * `Ok(Resolved::NotEcr)` -> a public image (Docker Hub, `public.ecr.aws`): keep the
//!        scenario's default size/timing,
//!      * `Err(e)` -> stop the task with `stopCode: TaskFailedToStart` and
//!        `stoppedReason: e.stopped_reason(platform)`.
//!
//!   Fargate bills from the start of this pull (see `cost`).
//! * **Lifecycle**: once a simulated day (ECR: "the affected images are expired within 24
//!   hours"), call `repository.apply_lifecycle_policy(now)` and log the expired digests; or
//!   show `preview_lifecycle_policy(now)` (GetLifecyclePolicyPreview) without deleting.

pub mod lifecycle_policy;

use crate::error::{ApiError, ApiResult};
use crate::time::SimTime;
use lifecycle_policy::{LifecyclePolicy, PreviewResult};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// `imageScanFindingsSummary` of DescribeImages: counts by severity
/// (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ScanFindingsSummary {
    pub finding_severity_counts: BTreeMap<String, u32>,
}

const SEVERITIES: &[&str] = &["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED"];

/// One image, in the field names of DescribeImages' `imageDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    pub image_digest: String,
    pub image_tags: Vec<String>,
    /// Milliseconds relative to the scenario start (negative: pushed before it began).
    #[serde(skip)]
    pub pushed_at_ms: i64,
    /// ISO 8601 rendering of the push time (needs the scenario's `startDate`; else "T+<s>s").
    pub image_pushed_at: String,
    pub image_size_in_bytes: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_scan_findings_summary: Option<ScanFindingsSummary>,
}

impl Image {
    pub fn is_tagged(&self) -> bool {
        !self.image_tags.is_empty()
    }
    pub fn size_mb(&self) -> f64 {
        self.image_size_in_bytes as f64 / 1_000_000.0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Repository {
    pub repository_name: String,
    pub registry_id: String,
    pub repository_arn: String,
    pub repository_uri: String,
    /// `MUTABLE` (default) or `IMMUTABLE`.
    pub image_tag_mutability: String,
    pub images: Vec<Image>,
    #[serde(skip)]
    pub lifecycle_policy: Option<LifecyclePolicy>,
}

impl Repository {
    /// The images as DescribeImages lists them: newest push first, then by digest.
    pub fn images_newest_first(&self) -> Vec<&Image> {
        let mut images: Vec<&Image> = self.images.iter().collect();
        images.sort_by(|a, b| b.pushed_at_ms.cmp(&a.pushed_at_ms).then_with(|| a.image_digest.cmp(&b.image_digest)));
        images
    }

    /// GetLifecyclePolicyPreview: which images the policy would expire at `now`, and by which rule.
    pub fn preview_lifecycle_policy(&self, now: SimTime) -> Vec<PreviewResult> {
        match &self.lifecycle_policy {
            Some(p) => p.evaluate(&self.images, now as i64),
            None => Vec::new(),
        }
    }
    /// Apply the lifecycle policy at `now`: delete the expired images, return what was expired.
    pub fn apply_lifecycle_policy(&mut self, now: SimTime) -> Vec<PreviewResult> {
        let expired = self.preview_lifecycle_policy(now);
        self.images.retain(|im| !expired.iter().any(|e| e.image_digest == im.image_digest));
        expired
    }
    /// Push (or re-tag) an image. ECR: "If the tag is already used ... and the repository is
    /// immutable, ImageTagAlreadyExistsException"; with MUTABLE the tag moves to the new image
    /// and the old image keeps its other tags (or becomes untagged).
    pub fn push(&mut self, image: Image) -> ApiResult<()> {
        if self.image_tag_mutability == "IMMUTABLE" {
            for t in &image.image_tags {
                if self.images.iter().any(|im| im.image_digest != image.image_digest && im.image_tags.contains(t)) {
                    return Err(ApiError::new(
                        "ImageTagAlreadyExistsException",
                        "imageTag",
                        format!(
                            "The image tag '{t}' already exists in the '{}' repository and cannot be overwritten because the repository is immutable.",
                            self.repository_name
                        ),
                    ));
                }
            }
        }
        for im in &mut self.images {
            im.image_tags.retain(|t| !image.image_tags.contains(t));
        }
        if let Some(existing) = self.images.iter_mut().find(|im| im.image_digest == image.image_digest) {
            for t in image.image_tags {
                if !existing.image_tags.contains(&t) {
                    existing.image_tags.push(t);
                }
            }
        } else {
            self.images.push(image);
        }
        Ok(())
    }
}

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageRef {
    /// `<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag | @sha256:...]`.
    Ecr { registry_id: String, region: String, repository: String, reference: Reference },
    /// Anything else (Docker Hub, `public.ecr.aws/...`, another registry): no ECR lookup.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    Tag(String),
    Digest(String),
}

/// Parse an image URI. A reference without a tag or digest means `latest`, as Docker does.
pub fn parse_image_uri(uri: &str) -> ImageRef {
    let Some((host, path)) = uri.split_once('/') else { return ImageRef::Other };
    let parts: Vec<&str> = host.split('.').collect();
    // <account>.dkr.ecr.<region>.amazonaws.com  (also .amazonaws.com.cn)
    if parts.len() < 6 || parts[1] != "dkr" || parts[2] != "ecr" || parts[4] != "amazonaws" {
        return ImageRef::Other;
    }
    let (repository, reference) = if let Some((r, d)) = path.split_once('@') {
        (r, Reference::Digest(d.to_string()))
    } else {
        match path.rsplit_once(':') {
            Some((r, t)) if !t.contains('/') => (r, Reference::Tag(t.to_string())),
            _ => (path, Reference::Tag("latest".to_string())),
        }
    };
    ImageRef::Ecr {
        registry_id: parts[0].to_string(),
        region: parts[3].to_string(),
        repository: repository.to_string(),
        reference,
    }
}

/// Where the task runs, because the stopped reason ECS shows differs: Fargate's agent uses
/// containerd, an EC2 container instance uses Docker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Platform {
    Fargate,
    Ec2,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullErrorKind {
    RepositoryNotFound,
    ImageNotFound,
}

/// Why an ECR image could not be pulled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullError {
    pub kind: PullErrorKind,
    pub image_uri: String,
    pub repository: String,
    pub registry_id: String,
}

impl PullError {
    /// The `stoppedReason` ECS shows. Wording, per the ECS guide "CannotPullContainer task
    /// errors in Amazon ECS": on Fargate a missing tag or repository reads
    /// "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to
    /// resolve ref <image>: <image>: not found" (the retry count varies; ECS reports what the
    /// agent saw). On EC2 it is Docker's answer from ECR: "manifest unknown: Requested image not
    /// found" for a missing tag and "name unknown: The repository with name '<repo>' does not
    /// exist in the registry with id '<account>'" for a missing repository.
    pub fn stopped_reason(&self, platform: Platform) -> String {
        let uri = &self.image_uri;
        match platform {
            Platform::Fargate => format!(
                "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {uri}: {uri}: not found"
            ),
            Platform::Ec2 => match self.kind {
                PullErrorKind::ImageNotFound => format!(
                    "CannotPullContainerError: Error response from daemon: manifest for {uri} not found: manifest unknown: Requested image not found"
                ),
                PullErrorKind::RepositoryNotFound => format!(
                    "CannotPullContainerError: Error response from daemon: repository {} not found: name unknown: The repository with name '{}' does not exist in the registry with id '{}'",
                    uri.split([':', '@']).next().unwrap_or(uri),
                    self.repository,
                    self.registry_id
                ),
            },
        }
    }
}

/// What `resolve` found.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved<'a> {
    Ecr(&'a Image),
    /// Not a private ECR image of this account and region: nothing to look up.
    NotEcr,
}

/// Default pull model, shared with `sim::timings` defaults: 2 s fixed plus 50 MB/s.
pub const PULL_BASE_SECONDS: f64 = 2.0;
pub const PULL_MB_PER_SECOND: f64 = 50.0;

/// Seconds to pull an image of `size_bytes` with the default model.
pub fn pull_seconds(size_bytes: u64) -> f64 {
    pull_seconds_with(size_bytes, PULL_BASE_SECONDS, PULL_MB_PER_SECOND)
}

/// Seconds to pull an image: `base + MB / mb_per_second` (the lifecycle's `timings` model).
pub fn pull_seconds_with(size_bytes: u64, base: f64, mb_per_second: f64) -> f64 {
    let rate = if mb_per_second.is_finite() && mb_per_second > 0.0 { mb_per_second } else { PULL_MB_PER_SECOND };
    base.max(0.0) + size_bytes as f64 / 1_000_000.0 / rate
}

/// The private registry of one account in one region.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Registry {
    pub account_id: String,
    pub region: String,
    /// Scenario start as epoch milliseconds, when the scenario gives `startDate`.
    pub start_epoch_ms: Option<i64>,
    pub repositories: BTreeMap<String, Repository>,
}

/// The CreateRepository name pattern, without a regex engine: '/'-separated segments, each made
/// of lowercase alphanumeric runs joined by single '.', '_' or '-'.
pub fn valid_repository_name(name: &str) -> bool {
    name.split('/').all(|seg| {
        !seg.is_empty()
            && seg
                .split(['.', '_', '-'])
                .all(|run| !run.is_empty() && run.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
    })
}

fn synthetic_digest(seed: &str) -> String {
    // FNV-1a, stretched to 64 hex digits. Not SHA-256 of real content (there is none); only the
    // shape `sha256:<64 hex>` is AWS's. Deterministic, so exports are stable.
    let mut out = String::from("sha256:");
    for round in 0u64..4 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ round.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for b in seed.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

impl Registry {
    pub fn new(account_id: &str, region: &str, start_date: Option<&str>) -> ApiResult<Self> {
        let start_epoch_ms = match start_date {
            Some(s) => Some(parse_iso8601_ms(s, "startDate")?),
            None => None,
        };
        Ok(Registry {
            account_id: account_id.to_string(),
            region: region.to_string(),
            start_epoch_ms,
            repositories: BTreeMap::new(),
        })
    }

    /// Build from the scenario's `ecrRepositories` array:
    /// `[{"repositoryName": "web", "imageTagMutability": "MUTABLE",
    ///    "images": [{"imageTags": ["v1"], "imagePushedAt": "2026-10-20T00:00:00Z" | -86400,
    ///                "imageSizeInBytes": 52428800 | "imageSizeMB": 50, "imageDigest": "sha256:...",
    ///                "imageScanFindingsSummary": {"findingSeverityCounts": {"HIGH": 2}}}],
    ///    "lifecyclePolicy": { "rules": [...] } }]`.
    /// Errors name the field, e.g. `ecrRepositories[0].images[2].imagePushedAt`.
    pub fn from_scenario(value: &Value, account_id: &str, region: &str, start_date: Option<&str>) -> ApiResult<Self> {
        let mut reg = Registry::new(account_id, region, start_date)?;
        let Some(repos) = value.as_array() else {
            return Err(ApiError::client("ecrRepositories", "must be an array of repositories"));
        };
        for (i, r) in repos.iter().enumerate() {
            let at = format!("ecrRepositories[{i}]");
            let repo = reg.parse_repository(r).map_err(|e| e.at(&at))?;
            if reg.repositories.contains_key(&repo.repository_name) {
                return Err(ApiError::new(
                    "RepositoryAlreadyExistsException",
                    format!("{at}.repositoryName"),
                    format!(
                        "The repository with name '{}' already exists in the registry with id '{account_id}'",
                        repo.repository_name
                    ),
                ));
            }
            reg.repositories.insert(repo.repository_name.clone(), repo);
        }
        Ok(reg)
    }

    fn parse_repository(&self, r: &Value) -> ApiResult<Repository> {
        let obj = r.as_object().ok_or_else(|| ApiError::client("", "must be an object"))?;
        for k in obj.keys() {
            if !["repositoryName", "imageTagMutability", "images", "lifecyclePolicy", "imageScanningConfiguration"]
                .contains(&k.as_str())
            {
                return Err(ApiError::client(k.clone(), format!("unknown field '{k}'")));
            }
        }
        let name = obj
            .get("repositoryName")
            .and_then(Value::as_str)
            .ok_or_else(|| ApiError::invalid("repositoryName", "repositoryName is required"))?;
        // CreateRepository `repositoryName`: length 2-256, pattern
        // (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*
        if name.len() < 2 || name.len() > 256 || !valid_repository_name(name) {
            return Err(ApiError::invalid(
                "repositoryName",
                format!("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*' ('{name}')"),
            ));
        }
        let mutability = match obj.get("imageTagMutability") {
            None => "MUTABLE".to_string(),
            Some(Value::String(s)) if s == "MUTABLE" || s == "IMMUTABLE" => s.clone(),
            Some(v) => {
                return Err(ApiError::invalid("imageTagMutability", format!("{v} is not one of MUTABLE, IMMUTABLE")))
            }
        };
        let mut repo = Repository {
            repository_name: name.to_string(),
            registry_id: self.account_id.clone(),
            repository_arn: format!("arn:aws:ecr:{}:{}:repository/{name}", self.region, self.account_id),
            repository_uri: format!("{}.dkr.ecr.{}.amazonaws.com/{name}", self.account_id, self.region),
            image_tag_mutability: mutability,
            images: Vec::new(),
            lifecycle_policy: None,
        };
        if let Some(images) = obj.get("images") {
            let arr = images.as_array().ok_or_else(|| ApiError::client("images", "must be an array"))?;
            for (j, im) in arr.iter().enumerate() {
                let image = self.parse_image(name, im).map_err(|e| e.at(&format!("images[{j}]")))?;
                repo.push(image).map_err(|e| e.at(&format!("images[{j}]")))?;
            }
        }
        if let Some(p) = obj.get("lifecyclePolicy") {
            repo.lifecycle_policy = Some(LifecyclePolicy::parse(p).map_err(|e| e.at("lifecyclePolicy"))?);
        }
        Ok(repo)
    }

    fn parse_image(&self, repo: &str, v: &Value) -> ApiResult<Image> {
        let obj = v.as_object().ok_or_else(|| ApiError::client("", "must be an object"))?;
        for k in obj.keys() {
            if ![
                "imageTags",
                "imagePushedAt",
                "imageSizeInBytes",
                "imageSizeMB",
                "imageDigest",
                "imageScanFindingsSummary",
            ]
            .contains(&k.as_str())
            {
                return Err(ApiError::client(k.clone(), format!("unknown field '{k}'")));
            }
        }
        let mut tags = Vec::new();
        if let Some(t) = obj.get("imageTags") {
            let arr = t.as_array().ok_or_else(|| ApiError::client("imageTags", "must be an array of strings"))?;
            for (k, tag) in arr.iter().enumerate() {
                let s = tag.as_str().ok_or_else(|| ApiError::client(format!("imageTags[{k}]"), "must be a string"))?;
                // "Tags can contain up to 128 characters ... letters, digits, underscores,
                // periods and dashes; may not start with a period or dash" (OCI/Docker tag rule).
                let ok = !s.is_empty()
                    && s.len() <= 128
                    && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
                    && !s.starts_with(['.', '-']);
                if !ok {
                    return Err(ApiError::invalid(
                        format!("imageTags[{k}]"),
                        format!("'{s}' is not a valid image tag"),
                    ));
                }
                if !tags.contains(&s.to_string()) {
                    tags.push(s.to_string());
                }
            }
        }
        let pushed_at_ms = match obj.get("imagePushedAt") {
            None => 0,
            Some(Value::Number(n)) => {
                let s = n.as_f64().filter(|f| f.is_finite()).ok_or_else(|| {
                    ApiError::client("imagePushedAt", "must be simulated seconds relative to the start")
                })?;
                (s * 1000.0).round() as i64
            }
            Some(Value::String(s)) => {
                let Some(start) = self.start_epoch_ms else {
                    return Err(ApiError::client(
                        "imagePushedAt",
                        "an ISO 8601 push time needs the scenario's startDate (or give simulated seconds, e.g. -86400)",
                    ));
                };
                parse_iso8601_ms(s, "imagePushedAt")? - start
            }
            Some(_) => return Err(ApiError::client("imagePushedAt", "must be an ISO 8601 string or seconds")),
        };
        let size = match (obj.get("imageSizeInBytes"), obj.get("imageSizeMB")) {
            (Some(_), Some(_)) => {
                return Err(ApiError::client("imageSizeMB", "give imageSizeInBytes or imageSizeMB, not both"))
            }
            (Some(b), None) => {
                b.as_u64().ok_or_else(|| ApiError::client("imageSizeInBytes", "must be a non-negative integer"))?
            }
            (None, Some(m)) => {
                let f = m
                    .as_f64()
                    .filter(|f| f.is_finite() && *f >= 0.0)
                    .ok_or_else(|| ApiError::client("imageSizeMB", "must be a non-negative number of megabytes"))?;
                (f * 1_000_000.0).round() as u64
            }
            (None, None) => 100_000_000,
        };
        let digest = match obj.get("imageDigest") {
            Some(Value::String(d)) => {
                let hex = d.strip_prefix("sha256:").unwrap_or("");
                if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(ApiError::invalid("imageDigest", format!("'{d}' is not sha256:<64 hex digits>")));
                }
                d.to_ascii_lowercase()
            }
            Some(_) => return Err(ApiError::client("imageDigest", "must be a string")),
            None => synthetic_digest(&format!("{repo}|{}|{pushed_at_ms}|{size}", tags.join(","))),
        };
        let scan = match obj.get("imageScanFindingsSummary") {
            None => None,
            Some(s) => {
                let counts = s
                    .get("findingSeverityCounts")
                    .and_then(Value::as_object)
                    .ok_or_else(|| ApiError::client("imageScanFindingsSummary.findingSeverityCounts", "is required"))?;
                let mut out = BTreeMap::new();
                for (sev, n) in counts {
                    if !SEVERITIES.contains(&sev.as_str()) {
                        return Err(ApiError::client(
                            format!("imageScanFindingsSummary.findingSeverityCounts.{sev}"),
                            format!("severity must be one of {}", SEVERITIES.join(", ")),
                        ));
                    }
                    let c = n.as_u64().and_then(|c| u32::try_from(c).ok()).ok_or_else(|| {
                        ApiError::client(
                            format!("imageScanFindingsSummary.findingSeverityCounts.{sev}"),
                            "must be a count",
                        )
                    })?;
                    out.insert(sev.clone(), c);
                }
                Some(ScanFindingsSummary { finding_severity_counts: out })
            }
        };
        Ok(Image {
            image_digest: digest,
            image_tags: tags,
            pushed_at_ms,
            image_pushed_at: self.render_time(pushed_at_ms),
            image_size_in_bytes: size,
            image_scan_findings_summary: scan,
        })
    }

    /// ISO 8601 if the scenario has a start date, else "T+<seconds>s" / "T-<seconds>s".
    pub fn render_time(&self, rel_ms: i64) -> String {
        match self.start_epoch_ms {
            Some(start) => format_iso8601(start + rel_ms),
            None => format!("T{}{}s", if rel_ms < 0 { "-" } else { "+" }, rel_ms.abs() / 1000),
        }
    }

    /// Look up the image a task's container names. Only private ECR images of this registry's
    /// account and region are looked up; others resolve to `NotEcr`.
    pub fn resolve(&self, image_uri: &str) -> Result<Resolved<'_>, PullError> {
        let ImageRef::Ecr { registry_id, region, repository, reference } = parse_image_uri(image_uri) else {
            return Ok(Resolved::NotEcr);
        };
        if registry_id != self.account_id || region != self.region {
            return Ok(Resolved::NotEcr);
        }
        let err = |kind| PullError {
            kind,
            image_uri: image_uri.to_string(),
            repository: repository.clone(),
            registry_id: registry_id.clone(),
        };
        let repo = self.repositories.get(&repository).ok_or_else(|| err(PullErrorKind::RepositoryNotFound))?;
        let found = match &reference {
            Reference::Tag(t) => repo.images.iter().find(|im| im.image_tags.contains(t)),
            Reference::Digest(d) => repo.images.iter().find(|im| im.image_digest.eq_ignore_ascii_case(d)),
        };
        found.map(Resolved::Ecr).ok_or_else(|| err(PullErrorKind::ImageNotFound))
    }

    /// DescribeImages output for one repository: `{"imageDetails": [...]}`, newest first.
    pub fn describe_images(&self, repository: &str) -> ApiResult<Value> {
        let repo = self.repositories.get(repository).ok_or_else(|| {
            ApiError::new(
                "RepositoryNotFoundException",
                "repositoryName",
                format!(
                    "The repository with name '{repository}' does not exist in the registry with id '{}'",
                    self.account_id
                ),
            )
        })?;
        let details: Vec<Value> = repo
            .images_newest_first()
            .into_iter()
            .map(|im| {
                let mut v = serde_json::to_value(im).unwrap_or(Value::Null);
                if let Some(o) = v.as_object_mut() {
                    o.insert("registryId".into(), Value::String(repo.registry_id.clone()));
                    o.insert("repositoryName".into(), Value::String(repo.repository_name.clone()));
                }
                v
            })
            .collect();
        Ok(serde_json::json!({ "imageDetails": details }))
    }
}

/// Parse an ISO 8601 date (`YYYY-MM-DD`) or UTC date-time with its zone
/// (`YYYY-MM-DDTHH:MM[:SS[.fff]]Z` or a `+HH:MM`/`-HH:MM` offset, the shapes DescribeImages
/// prints) into milliseconds since the Unix epoch. `field` names the field in the error.
pub fn parse_iso8601_ms(s: &str, field: &str) -> ApiResult<i64> {
    match crate::calendar::parse_iso8601(s) {
        // A time without a zone is ambiguous, and DescribeImages always prints one.
        Ok(i) if !i.has_time || i.offset_min.is_some() => Ok(i.epoch_ms),
        _ => Err(ApiError::client(
            field,
            format!("'{s}' is not an ISO 8601 UTC date-time such as 2026-11-01T09:30:00Z or a date such as 2026-11-01"),
        )),
    }
}

/// Format epoch milliseconds as `YYYY-MM-DDTHH:MM:SSZ` (whole seconds).
pub fn format_iso8601(ms: i64) -> String {
    crate::calendar::Civil::from_epoch(ms.div_euclid(1000)).iso()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_times_round_trip_and_need_a_zone() {
        let ms = parse_iso8601_ms("2026-11-01T09:30:05Z", "t").expect("valid");
        assert_eq!(format_iso8601(ms), "2026-11-01T09:30:05Z");
        assert_eq!(parse_iso8601_ms("2026-11-01T10:30:05+01:00", "t"), Ok(ms));
        assert_eq!(parse_iso8601_ms("2026-11-01", "t"), Ok(ms - (9 * 3600 + 30 * 60 + 5) * 1000));
        assert!(parse_iso8601_ms("2026-02-29", "t").is_err());
        assert!(parse_iso8601_ms("2026-11-01T09:30", "t").is_err(), "no zone");
        assert!(parse_iso8601_ms("yesterday", "t").is_err());
    }
}
