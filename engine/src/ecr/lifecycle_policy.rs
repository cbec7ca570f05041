//! Amazon ECR lifecycle policies: AWS's JSON, validated, and evaluated as the ECR User Guide
//! documents ("Lifecycle policies" > "Lifecycle policy evaluation rules", and "Examples of
//! lifecycle policies in Amazon ECR"; the examples are tests in `tests/ecr.rs`).
//!
//! The evaluation rules this module implements, quoted from the ECR User Guide:
//! 1. "All rules are evaluated at the same time, regardless of rule priority. After all rules
//!    are evaluated, they are then applied based on rule priority."
//! 2. "An image is expired by exactly one or zero rules."
//! 3. "An image that matches the tagging requirements of a rule cannot be expired by a rule
//!    with a lower priority."
//! 4. "Rules can never mark images that are marked by higher priority rules, but can still
//!    identify them as if they haven't been expired."
//! 5. "Expiration is always ordered by pushed_at_time, and always expires older images before
//!    newer ones."
//! 6. "When using the tagPrefixList, an image is successfully matched if all of the tags in the
//!    tagPrefixList value are matched against any of the image's tags." (tagPatternList: the
//!    same, with `*` wildcards: "prod*" matches prod, prod1, production-team1.)
//! 7. "With countType = imageCountMoreThan, images are sorted from youngest to oldest based on
//!    pushed_at_time and then all images greater than the specified count are expired."
//! 8. "With countType = sinceImagePushed, all images whose pushed_at_time is older than the
//!    specified number of days based on countNumber are expired."
//!
//! Not modelled (rejected with an error that says so rather than silently ignored): the
//! archive storage class (`storageClass`, `action.type: transition`, `sinceImagePulled`,
//! `sinceImageTransitioned`), and manifest lists / referrer artifacts.

use crate::error::{ApiError, ApiResult};
use serde::Serialize;
use serde_json::{Map, Value};

use super::Image;

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TagStatus {
    Tagged,
    Untagged,
    Any,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TagFilter {
    None,
    Prefixes(Vec<String>),
    Patterns(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Count {
    /// Keep the `n` youngest matching images; expire the rest.
    ImageCountMoreThan(u32),
    /// Expire matching images pushed more than `n` days ago.
    SinceImagePushedDays(u32),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub rule_priority: u32,
    pub description: Option<String>,
    pub tag_status: TagStatus,
    pub tag_filter: TagFilter,
    pub count: Count,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LifecyclePolicy {
    /// Sorted by `rule_priority`, lowest (applied first) to highest.
    pub rules: Vec<Rule>,
}

/// One row of GetLifecyclePolicyPreview's `previewResults`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewResult {
    pub image_digest: String,
    pub image_tags: Vec<String>,
    /// Relative push time in ms (the caller renders it).
    #[serde(skip)]
    pub pushed_at_ms: i64,
    /// Always `EXPIRE` here.
    pub action: &'static str,
    pub applied_rule_priority: u32,
}

fn fail(field: impl Into<String>, msg: impl AsRef<str>) -> ApiError {
    // PutLifecyclePolicy answers InvalidParameterException with "Lifecycle policy validation
    // failure: ..."; the field path names where.
    ApiError::invalid(field, format!("Lifecycle policy validation failure: {}", msg.as_ref()))
}

fn check_keys(obj: &Map<String, Value>, allowed: &[&str], at: &str) -> ApiResult<()> {
    for k in obj.keys() {
        if !allowed.contains(&k.as_str()) {
            let field = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
            return Err(fail(
                field,
                format!("object instance has properties which are not allowed by the schema: [\"{k}\"]"),
            ));
        }
    }
    Ok(())
}

fn string_list(v: &Value, field: &str) -> ApiResult<Vec<String>> {
    let arr = v.as_array().ok_or_else(|| fail(field, "must be a list of strings"))?;
    if arr.is_empty() {
        return Err(fail(field, "must contain at least one value"));
    }
    arr.iter()
        .enumerate()
        .map(|(i, s)| {
            s.as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .ok_or_else(|| fail(format!("{field}[{i}]"), "must be a non-empty string"))
        })
        .collect()
}

impl LifecyclePolicy {
    /// Parse `lifecyclePolicyText` (a JSON string, as PutLifecyclePolicy takes it) or the JSON
    /// object itself.
    pub fn parse(v: &Value) -> ApiResult<Self> {
        match v {
            Value::String(text) => {
                let parsed: Value = serde_json::from_str(text)
                    .map_err(|e| fail("", format!("lifecyclePolicyText is not valid JSON: {e}")))?;
                Self::parse(&parsed)
            }
            _ => Self::parse_object(v),
        }
    }

    fn parse_object(v: &Value) -> ApiResult<Self> {
        let obj = v.as_object().ok_or_else(|| fail("", "the policy must be a JSON object with \"rules\""))?;
        check_keys(obj, &["rules"], "")?;
        let rules_v = obj
            .get("rules")
            .and_then(Value::as_array)
            .ok_or_else(|| fail("rules", "object has missing required properties ([\"rules\"])"))?;
        if rules_v.is_empty() {
            return Err(fail("rules", "a lifecycle policy needs at least one rule"));
        }
        let mut rules = Vec::new();
        for (i, r) in rules_v.iter().enumerate() {
            rules.push(Self::parse_rule(r, &format!("rules[{i}]"))?);
        }
        // "When you add rules to a lifecycle policy, you must give them each a unique value
        // for rulePriority."
        for (i, r) in rules.iter().enumerate() {
            if let Some(j) = rules[..i].iter().position(|o| o.rule_priority == r.rule_priority) {
                return Err(fail(
                    format!("rules[{i}].rulePriority"),
                    format!(
                        "rulePriority {} is already used by rules[{j}]; each rule needs a unique rulePriority",
                        r.rule_priority
                    ),
                ));
            }
        }
        // "A rule with a tagStatus value of any must have the highest value for rulePriority
        // and be evaluated last."
        let max = rules.iter().map(|r| r.rule_priority).max().unwrap_or(0);
        if let Some(i) = rules.iter().position(|r| r.tag_status == TagStatus::Any && r.rule_priority != max) {
            return Err(fail(
                format!("rules[{i}].rulePriority"),
                "a rule with tagStatus 'any' must have the highest rulePriority and be evaluated last",
            ));
        }
        // "Only one rule is allowed to select untagged images."
        let untagged: Vec<usize> =
            rules.iter().enumerate().filter(|(_, r)| r.tag_status == TagStatus::Untagged).map(|(i, _)| i).collect();
        if let [_, second, ..] = untagged[..] {
            return Err(fail(
                format!("rules[{second}].selection.tagStatus"),
                "only one rule is allowed to select untagged images",
            ));
        }
        // "The set of rules must contain a unique set of tag prefixes."
        for (i, r) in rules.iter().enumerate() {
            let key = |f: &TagFilter| -> Option<Vec<String>> {
                match f {
                    TagFilter::Prefixes(p) | TagFilter::Patterns(p) => {
                        let mut s = p.clone();
                        s.sort();
                        s.dedup();
                        Some(s)
                    }
                    TagFilter::None => None,
                }
            };
            if let Some(k) = key(&r.tag_filter) {
                if rules[..i].iter().any(|o| key(&o.tag_filter).as_ref() == Some(&k)) {
                    return Err(fail(
                        format!("rules[{i}].selection"),
                        "the set of rules must contain a unique set of tag prefixes; another rule selects the same tags",
                    ));
                }
            }
        }
        rules.sort_by_key(|r| r.rule_priority);
        Ok(LifecyclePolicy { rules })
    }

    fn parse_rule(v: &Value, at: &str) -> ApiResult<Rule> {
        let obj = v.as_object().ok_or_else(|| fail(at, "each rule must be an object"))?;
        check_keys(obj, &["rulePriority", "description", "selection", "action"], at)?;
        // rulePriority: "Type: integer. Required: yes."
        let rule_priority = obj
            .get("rulePriority")
            .ok_or_else(|| {
                fail(format!("{at}.rulePriority"), "object has missing required properties ([\"rulePriority\"])")
            })?
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n >= 1)
            .ok_or_else(|| fail(format!("{at}.rulePriority"), "rulePriority must be a positive integer"))?;
        let description = match obj.get("description") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(fail(format!("{at}.description"), "description must be a string")),
        };
        // action: "The supported value is expire."
        let action = obj
            .get("action")
            .and_then(Value::as_object)
            .ok_or_else(|| fail(format!("{at}.action"), "object has missing required properties ([\"action\"])"))?;
        check_keys(action, &["type", "targetStorageClass"], &format!("{at}.action"))?;
        match action.get("type").and_then(Value::as_str) {
            Some("expire") => {}
            Some("transition") => return Err(fail(
                format!("{at}.action.type"),
                "'transition' (archive storage class) is an ECR feature this playground does not model; use 'expire'",
            )),
            Some(other) => {
                return Err(fail(
                    format!("{at}.action.type"),
                    format!("'{other}' is not a supported action type (expire)"),
                ))
            }
            None => {
                return Err(fail(format!("{at}.action.type"), "object has missing required properties ([\"type\"])"))
            }
        }
        let sel_at = format!("{at}.selection");
        let sel = obj
            .get("selection")
            .and_then(Value::as_object)
            .ok_or_else(|| fail(&sel_at, "object has missing required properties ([\"selection\"])"))?;
        check_keys(
            sel,
            &["tagStatus", "tagPrefixList", "tagPatternList", "countType", "countUnit", "countNumber", "storageClass"],
            &sel_at,
        )?;
        if let Some(sc) = sel.get("storageClass") {
            if sc.as_str() != Some("standard") {
                return Err(fail(
                    format!("{sel_at}.storageClass"),
                    "only the 'standard' storage class is modelled by this playground",
                ));
            }
        }
        let tag_status = match sel.get("tagStatus").and_then(Value::as_str) {
            Some("tagged") => TagStatus::Tagged,
            Some("untagged") => TagStatus::Untagged,
            Some("any") => TagStatus::Any,
            Some(o) => {
                return Err(fail(
                    format!("{sel_at}.tagStatus"),
                    format!("'{o}' is not one of the acceptable options: tagged, untagged, any"),
                ))
            }
            None => {
                return Err(fail(
                    format!("{sel_at}.tagStatus"),
                    "object has missing required properties ([\"tagStatus\"])",
                ))
            }
        };
        let prefixes =
            sel.get("tagPrefixList").map(|v| string_list(v, &format!("{sel_at}.tagPrefixList"))).transpose()?;
        let patterns =
            sel.get("tagPatternList").map(|v| string_list(v, &format!("{sel_at}.tagPatternList"))).transpose()?;
        let tag_filter = match (tag_status, prefixes, patterns) {
            // "A lifecycle policy rule may specify either tagPatternList or tagPrefixList, but
            // not both."
            (_, Some(_), Some(_)) => {
                return Err(fail(
                    format!("{sel_at}.tagPatternList"),
                    "a rule may specify either tagPatternList or tagPrefixList, but not both",
                ))
            }
            // "If you specify tagged, then you must also specify a tagPrefixList value or a
            // tagPatternList value."
            (TagStatus::Tagged, None, None) => {
                return Err(fail(
                    format!("{sel_at}.tagPrefixList"),
                    "tagStatus 'tagged' requires a tagPrefixList or a tagPatternList",
                ))
            }
            (TagStatus::Tagged, Some(p), None) => TagFilter::Prefixes(p),
            (TagStatus::Tagged, None, Some(p)) => {
                // "There is a maximum limit of four wildcards (*) per string."
                if let Some((i, s)) = p.iter().enumerate().find(|(_, s)| s.matches('*').count() > 4) {
                    return Err(fail(
                        format!("{sel_at}.tagPatternList[{i}]"),
                        format!("'{s}' has more than the maximum of four wildcards (*) per string"),
                    ));
                }
                TagFilter::Patterns(p)
            }
            // "If you specify untagged, then you must omit both tagPrefixList and
            // tagPatternList." The lists are only used with tagged.
            (_, Some(_), None) => {
                return Err(fail(
                    format!("{sel_at}.tagPrefixList"),
                    "tagPrefixList is only used with tagStatus 'tagged'",
                ))
            }
            (_, None, Some(_)) => {
                return Err(fail(
                    format!("{sel_at}.tagPatternList"),
                    "tagPatternList is only used with tagStatus 'tagged'",
                ))
            }
            (_, None, None) => TagFilter::None,
        };
        // countNumber: "Acceptable values are positive integers (0 is not an accepted value)."
        let count_number = sel
            .get("countNumber")
            .ok_or_else(|| {
                fail(format!("{sel_at}.countNumber"), "object has missing required properties ([\"countNumber\"])")
            })?
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n >= 1)
            .ok_or_else(|| {
                fail(
                    format!("{sel_at}.countNumber"),
                    "countNumber must be a positive integer (0 is not an accepted value)",
                )
            })?;
        let count = match sel.get("countType").and_then(Value::as_str) {
            Some("imageCountMoreThan") => {
                // countUnit "should only be specified when countType is sinceImagePushed; an
                // error will occur if you specify a count unit when countType is any other value."
                if sel.contains_key("countUnit") {
                    return Err(fail(
                        format!("{sel_at}.countUnit"),
                        "countUnit can only be specified when countType is sinceImagePushed",
                    ));
                }
                Count::ImageCountMoreThan(count_number)
            }
            Some("sinceImagePushed") => match sel.get("countUnit").and_then(Value::as_str) {
                Some("days") => Count::SinceImagePushedDays(count_number),
                Some(o) => {
                    return Err(fail(format!("{sel_at}.countUnit"), format!("'{o}' is not a supported countUnit (days)")))
                }
                None => {
                    return Err(fail(
                        format!("{sel_at}.countUnit"),
                        "countUnit 'days' is required when countType is sinceImagePushed",
                    ))
                }
            },
            Some(o @ ("sinceImagePulled" | "sinceImageTransitioned")) => {
                return Err(fail(
                    format!("{sel_at}.countType"),
                    format!("'{o}' is an ECR countType this playground does not model; use imageCountMoreThan or sinceImagePushed"),
                ))
            }
            Some(o) => {
                return Err(fail(
                    format!("{sel_at}.countType"),
                    format!("'{o}' is not one of imageCountMoreThan, sinceImagePushed"),
                ))
            }
            None => {
                return Err(fail(format!("{sel_at}.countType"), "object has missing required properties ([\"countType\"])"))
            }
        };
        Ok(Rule { rule_priority, description, tag_status, tag_filter, count })
    }

    /// Images matching a rule's tagging requirements ("identified" by the rule).
    pub fn identifies(rule: &Rule, image: &Image) -> bool {
        match rule.tag_status {
            TagStatus::Any => true,
            TagStatus::Untagged => !image.is_tagged(),
            TagStatus::Tagged => match &rule.tag_filter {
                // "an image is successfully matched if all of the tags in the tagPrefixList
                // value are matched against any of the image's tags"
                TagFilter::Prefixes(ps) => {
                    ps.iter().all(|p| image.image_tags.iter().any(|t| t.starts_with(p.as_str())))
                }
                TagFilter::Patterns(ps) => ps.iter().all(|p| image.image_tags.iter().any(|t| wildcard_match(p, t))),
                TagFilter::None => image.is_tagged(),
            },
        }
    }

    /// The images a rule would mark on its own (before priorities are applied).
    fn marks<'a>(rule: &Rule, images: &'a [Image], now_ms: i64) -> Vec<&'a Image> {
        let mut matching: Vec<&Image> = images.iter().filter(|im| Self::identifies(rule, im)).collect();
        // Youngest first; equal push times fall back to digest order so the result is stable.
        matching.sort_by(|a, b| b.pushed_at_ms.cmp(&a.pushed_at_ms).then_with(|| a.image_digest.cmp(&b.image_digest)));
        match rule.count {
            Count::ImageCountMoreThan(n) => matching.into_iter().skip(n as usize).collect(),
            Count::SinceImagePushedDays(d) => {
                matching.into_iter().filter(|im| now_ms - im.pushed_at_ms > i64::from(d) * DAY_MS).collect()
            }
        }
    }

    /// Evaluate the policy at `now_ms` (relative to the scenario start, like the push times).
    /// Returns the images to expire, oldest first, each with the one rule that expires it.
    pub fn evaluate(&self, images: &[Image], now_ms: i64) -> Vec<PreviewResult> {
        // Rule 1: every rule is evaluated on the whole repository first ...
        let marked: Vec<Vec<&Image>> = self.rules.iter().map(|r| Self::marks(r, images, now_ms)).collect();
        // ... then applied in priority order.
        let mut out: Vec<PreviewResult> = Vec::new();
        for (ri, rule) in self.rules.iter().enumerate() {
            for im in &marked[ri] {
                // Rule 2: at most one rule expires an image.
                if out.iter().any(|e| e.image_digest == im.image_digest) {
                    continue;
                }
                // Rule 3: an image a higher-priority rule identifies is that rule's to keep
                // or expire; lower rules cannot expire it.
                if self.rules[..ri].iter().any(|higher| Self::identifies(higher, im)) {
                    continue;
                }
                out.push(PreviewResult {
                    image_digest: im.image_digest.clone(),
                    image_tags: im.image_tags.clone(),
                    pushed_at_ms: im.pushed_at_ms,
                    action: "EXPIRE",
                    applied_rule_priority: rule.rule_priority,
                });
            }
        }
        // Rule 5: older images first.
        out.sort_by(|a, b| a.pushed_at_ms.cmp(&b.pushed_at_ms).then_with(|| a.image_digest.cmp(&b.image_digest)));
        out
    }
}

/// `*` matches any run of characters (including none); everything else is literal (ECR's
/// `tagPatternList` has no single-character wildcard).
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    wildcard_match_with(pattern, text, false)
}

/// The one glob matcher of the engine: `*` any run of characters, and `?` exactly one when
/// `question_mark` is set (IAM's `Action`/`Resource` patterns); everything else is literal.
pub fn wildcard_match_with(pattern: &str, text: &str, question_mark: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && ((question_mark && p[pi] == '?') || (p[pi] != '*' && p[pi] == t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_as_documented() {
        // "if a filter of prod* is applied, it would match image tags whose name begins with
        // prod such as prod, prod1, or production-team1. Similarly, if a filter of *prod* is
        // applied, it would match image tags whose name contains prod such as repo-production
        // or prod-team."
        for t in ["prod", "prod1", "production-team1"] {
            assert!(wildcard_match("prod*", t), "{t}");
        }
        for t in ["repo-production", "prod-team"] {
            assert!(wildcard_match("*prod*", t), "{t}");
        }
        assert!(!wildcard_match("prod*", "beta-prod"));
        assert!(wildcard_match("*test*1*2*3", "xtest-1-2-3"));
    }
}
