//! The scenario's `capacityProviders` section, in the API shapes that create the resources:
//!
//! ```json
//! "capacityProviders": {
//!   "autoScalingGroups": [ { "AutoScalingGroupName": "asg", "MinSize": 0, "MaxSize": 10,
//!       "DesiredCapacity": 1, "InstanceType": "m5.large", "AvailabilityZones": ["us-east-1a"],
//!       "NewInstancesProtectedFromScaleIn": true } ],
//!   "createCapacityProvider": [ { "name": "asg-cp", "autoScalingGroupProvider": {
//!       "autoScalingGroupArn": "asg",
//!       "managedScaling": { "status": "ENABLED", "targetCapacity": 100,
//!                           "minimumScalingStepSize": 1, "maximumScalingStepSize": 10 },
//!       "managedTerminationProtection": "ENABLED" } } ],
//!   "putClusterCapacityProviders": { "capacityProviders": ["asg-cp", "FARGATE", "FARGATE_SPOT"],
//!       "defaultCapacityProviderStrategy": [ { "capacityProvider": "asg-cp", "weight": 1 } ] }
//! }
//! ```
//! `autoScalingGroups` are EC2 Auto Scaling CreateAutoScalingGroup bodies (PascalCase); the launch
//! template's instance type is given as `InstanceType`. `autoScalingGroupArn` is the group's ARN or,
//! as a shorthand, its name.

use super::managed_scaling as ms;
use super::strategy;
use crate::error::{ApiError, ApiResult};
use crate::instance_types::{self, InstanceType};
use crate::scenario::CapacityProviderStrategyItem;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapacitySection {
    #[serde(default)]
    pub auto_scaling_groups: Vec<CreateAutoScalingGroup>,
    #[serde(default)]
    pub create_capacity_provider: Vec<CreateCapacityProvider>,
    #[serde(default)]
    pub put_cluster_capacity_providers: Option<PutClusterCapacityProviders>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateAutoScalingGroup {
    pub auto_scaling_group_name: String,
    pub min_size: u32,
    pub max_size: u32,
    #[serde(default)]
    pub desired_capacity: Option<u32>,
    pub instance_type: String,
    #[serde(default)]
    pub availability_zones: Vec<String>,
    #[serde(default)]
    pub new_instances_protected_from_scale_in: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateCapacityProvider {
    pub name: String,
    pub auto_scaling_group_provider: AutoScalingGroupProvider,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AutoScalingGroupProvider {
    pub auto_scaling_group_arn: String,
    #[serde(default)]
    pub managed_scaling: Option<ManagedScalingSpec>,
    /// `ENABLED` or `DISABLED` (default).
    #[serde(default)]
    pub managed_termination_protection: Option<String>,
    #[serde(default)]
    pub managed_draining: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManagedScalingSpec {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub target_capacity: Option<u32>,
    #[serde(default)]
    pub minimum_scaling_step_size: Option<u32>,
    #[serde(default)]
    pub maximum_scaling_step_size: Option<u32>,
    #[serde(default)]
    pub instance_warmup_period: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PutClusterCapacityProviders {
    #[serde(default)]
    pub cluster: Option<String>,
    pub capacity_providers: Vec<String>,
    #[serde(default)]
    pub default_capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
}

/// An Auto Scaling group as the simulation runs it. Its configuration is read as fields; its
/// running counts (DesiredCapacity, instances still launching) change only through the methods
/// below, which `sim/capacity.rs` calls (it picks zones and victims, logs and schedules).
#[derive(Debug, Clone)]
pub struct AutoScalingGroup {
    pub name: String,
    pub arn: String,
    pub min: u32,
    pub max: u32,
    /// DesiredCapacity: instances running plus those still launching.
    desired: u32,
    pub instance_type: &'static InstanceType,
    /// Indexes into the scenario's Availability Zones.
    pub azs: Vec<usize>,
    pub protect_new: bool,
    /// Instances launched but not yet registered with the cluster, per AZ (same order as `azs`).
    launching: Vec<u32>,
}

impl AutoScalingGroup {
    /// DesiredCapacity: "the number of Amazon EC2 instances that should be running in the group"
    /// (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AutoScalingGroup.html).
    pub fn desired(&self) -> u32 {
        self.desired
    }
    /// Instances launched but not yet registered, per zone (same order as `azs`).
    pub fn launching(&self) -> &[u32] {
        &self.launching
    }
    /// Whether every instance the group launched has registered.
    pub fn none_launching(&self) -> bool {
        self.launching.iter().all(|l| *l == 0)
    }
    /// A scaling activity set DesiredCapacity to `to` (the caller clamps it to MinSize..MaxSize,
    /// "The desired capacity must be equal to or greater than the minimum group size, and equal to
    /// or less than the maximum group size", same page, and launches or terminates the difference).
    pub fn set_desired_capacity(&mut self, to: u32) {
        self.desired = to;
    }
    /// The group started launching an instance in zone position `k` (it registers later).
    pub fn launch_started(&mut self, k: usize) {
        if let Some(n) = self.launching.get_mut(k) {
            *n += 1;
        }
    }
    /// An instance the group launched in zone position `k` booted and registered.
    pub fn launch_finished(&mut self, k: usize) {
        if let Some(n) = self.launching.get_mut(k) {
            *n = n.saturating_sub(1);
        }
    }
}

/// Managed scaling settings with defaults filled in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ManagedScaling {
    pub target: u32,
    pub min_step: u32,
    pub max_step: u32,
    pub warmup_seconds: u32,
}

#[derive(Debug, Clone)]
pub struct CapacityProvider {
    pub name: String,
    pub arn: String,
    /// Index into `CapacityConfig::groups`.
    pub group: usize,
    pub managed_scaling: Option<ManagedScaling>,
    pub termination_protection: bool,
}

/// Everything the section defines, validated.
#[derive(Debug, Clone, Default)]
pub struct CapacityConfig {
    pub groups: Vec<AutoScalingGroup>,
    pub providers: Vec<CapacityProvider>,
    /// The cluster's capacity providers (PutClusterCapacityProviders), FARGATE ones included.
    pub associated: Vec<String>,
    pub default_strategy: Vec<CapacityProviderStrategyItem>,
}

impl CapacityConfig {
    pub fn provider(&self, name: &str) -> Option<usize> {
        self.providers.iter().position(|p| p.name == name)
    }
}

fn enabled(v: Option<&str>, field: &str, default: bool) -> ApiResult<bool> {
    match v {
        None => Ok(default),
        Some("ENABLED") => Ok(true),
        Some("DISABLED") => Ok(false),
        Some(other) => Err(ApiError::invalid(field, format!("\"{other}\" must be ENABLED or DISABLED."))),
    }
}

fn in_range(v: Option<u32>, default: u32, lo: u32, hi: u32, field: &str) -> ApiResult<u32> {
    let x = v.unwrap_or(default);
    if (lo..=hi).contains(&x) {
        Ok(x)
    } else {
        Err(ApiError::invalid(field, format!("{field} must be between {lo} and {hi}.")))
    }
}

/// Parse and validate the section against the scenario's AZs, region and cluster.
pub fn parse(
    v: Option<&Value>,
    az_names: &[String],
    region: &str,
    account: &str,
    cluster: &str,
) -> ApiResult<CapacityConfig> {
    let Some(v) = v else { return Ok(CapacityConfig::default()) };
    let sec: CapacitySection = crate::error::deserialize_value("InvalidParameterException", "", v)?;
    let mut cfg = CapacityConfig::default();
    for (i, g) in sec.auto_scaling_groups.iter().enumerate() {
        let at = format!("autoScalingGroups[{i}]");
        let name = &g.auto_scaling_group_name;
        if name.is_empty() || name.len() > 255 || cfg.groups.iter().any(|x| &x.name == name) {
            return Err(ApiError::invalid(format!("{at}.AutoScalingGroupName"), "must be 1-255 characters and unique"));
        }
        let spec = instance_types::lookup(&g.instance_type).ok_or_else(|| {
            ApiError::invalid(format!("{at}.InstanceType"), format!("Unknown instance type \"{}\".", g.instance_type))
        })?;
        // EC2 Auto Scaling: "MinSize <= DesiredCapacity <= MaxSize".
        if g.min_size > g.max_size || g.max_size > 1000 {
            return Err(ApiError::invalid(format!("{at}.MaxSize"), "MinSize must be <= MaxSize (at most 1000 here)."));
        }
        let desired = g.desired_capacity.unwrap_or(g.min_size);
        if !(g.min_size..=g.max_size).contains(&desired) {
            return Err(ApiError::invalid(
                format!("{at}.DesiredCapacity"),
                "Desired capacity must be between MinSize and MaxSize.",
            ));
        }
        let mut azs = Vec::new();
        let names: Vec<String> =
            if g.availability_zones.is_empty() { az_names.to_vec() } else { g.availability_zones.clone() };
        for (k, az) in names.iter().enumerate() {
            let idx = az_names.iter().position(|a| a == az).ok_or_else(|| {
                ApiError::invalid(
                    format!("{at}.AvailabilityZones[{k}]"),
                    format!("\"{az}\" is not one of the scenario's availabilityZones"),
                )
            })?;
            azs.push(idx);
        }
        let launching = vec![0; azs.len()];
        cfg.groups.push(AutoScalingGroup {
            arn: format!(
                "arn:aws:autoscaling:{region}:{account}:autoScalingGroup:{}:autoScalingGroupName/{name}",
                uuid_like(name)
            ),
            name: name.clone(),
            min: g.min_size,
            max: g.max_size,
            desired,
            instance_type: spec,
            azs,
            protect_new: g.new_instances_protected_from_scale_in,
            launching,
        });
    }
    for (i, c) in sec.create_capacity_provider.iter().enumerate() {
        let at = format!("createCapacityProvider[{i}]");
        let n = &c.name;
        // CreateCapacityProvider: "up to 255 characters ... letters (upper and lowercase), numbers,
        // underscores, and hyphens. The name can't be prefixed with "aws", "ecs", or "fargate"."
        let lower = n.to_ascii_lowercase();
        if n.is_empty()
            || n.len() > 255
            || !n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            || ["aws", "ecs", "fargate"].iter().any(|p| lower.starts_with(p))
        {
            return Err(ApiError::invalid(
                format!("{at}.name"),
                "Capacity provider names are up to 255 letters, numbers, underscores and hyphens, and can't be prefixed with aws, ecs or fargate.",
            ));
        }
        if cfg.providers.iter().any(|p| &p.name == n) {
            return Err(ApiError::invalid(
                format!("{at}.name"),
                format!("A capacity provider named {n} already exists."),
            ));
        }
        let p = &c.auto_scaling_group_provider;
        let gname = p.auto_scaling_group_arn.rsplit("autoScalingGroupName/").next().unwrap_or_default();
        let group = cfg.groups.iter().position(|g| g.name == gname).ok_or_else(|| {
            ApiError::invalid(
                format!("{at}.autoScalingGroupProvider.autoScalingGroupArn"),
                format!("\"{}\" is not one of the scenario's autoScalingGroups", p.auto_scaling_group_arn),
            )
        })?;
        if cfg.providers.iter().any(|x| x.group == group) {
            return Err(ApiError::invalid(
                format!("{at}.autoScalingGroupProvider.autoScalingGroupArn"),
                "The Auto Scaling group is already used by another capacity provider.",
            ));
        }
        let msat = format!("{at}.autoScalingGroupProvider.managedScaling");
        let managed = match &p.managed_scaling {
            None => None,
            Some(m) if !enabled(m.status.as_deref(), &format!("{msat}.status"), true)? => None,
            Some(m) => {
                let min_step = in_range(
                    m.minimum_scaling_step_size,
                    ms::DEFAULT_MIN_STEP,
                    1,
                    10_000,
                    &format!("{msat}.minimumScalingStepSize"),
                )?;
                let max_step = in_range(
                    m.maximum_scaling_step_size,
                    ms::DEFAULT_MAX_STEP,
                    1,
                    10_000,
                    &format!("{msat}.maximumScalingStepSize"),
                )?;
                if min_step > max_step {
                    return Err(ApiError::invalid(
                        format!("{msat}.minimumScalingStepSize"),
                        "minimumScalingStepSize must not be greater than maximumScalingStepSize.",
                    ));
                }
                Some(ManagedScaling {
                    target: in_range(
                        m.target_capacity,
                        ms::DEFAULT_TARGET,
                        ms::TARGET_RANGE.0,
                        ms::TARGET_RANGE.1,
                        &format!("{msat}.targetCapacity"),
                    )?,
                    min_step,
                    max_step,
                    warmup_seconds: in_range(
                        m.instance_warmup_period,
                        ms::DEFAULT_WARMUP_SECONDS,
                        0,
                        10_000,
                        &format!("{msat}.instanceWarmupPeriod"),
                    )?,
                })
            }
        };
        let mtp_field = format!("{at}.autoScalingGroupProvider.managedTerminationProtection");
        let protection = enabled(p.managed_termination_protection.as_deref(), &mtp_field, false)?;
        // Accepted and checked; the playground does not model managed draining (with termination
        // protection only idle instances are terminated, so there is nothing to drain).
        enabled(p.managed_draining.as_deref(), &format!("{at}.autoScalingGroupProvider.managedDraining"), true)?;
        // "When using managed termination protection, managed scaling must also be used otherwise
        // managed termination protection doesn't work." and "the Auto Scaling group must have
        // instance protection from scale in turned on" (API Reference, AutoScalingGroupProvider).
        if protection && managed.is_none() {
            return Err(ApiError::invalid(
                mtp_field,
                "When using managed termination protection, managed scaling must also be used.",
            ));
        }
        if protection && !cfg.groups[group].protect_new {
            return Err(ApiError::invalid(
                mtp_field,
                "Managed termination protection requires the Auto Scaling group's NewInstancesProtectedFromScaleIn to be true.",
            ));
        }
        cfg.providers.push(CapacityProvider {
            arn: format!("arn:aws:ecs:{region}:{account}:capacity-provider/{n}"),
            name: n.clone(),
            group,
            managed_scaling: managed,
            termination_protection: protection,
        });
    }
    if let Some(put) = &sec.put_cluster_capacity_providers {
        let at = "putClusterCapacityProviders";
        if let Some(c) = &put.cluster {
            if c != cluster && !c.ends_with(&format!(":cluster/{cluster}")) {
                return Err(ApiError::new("ClusterNotFoundException", format!("{at}.cluster"), "Cluster not found."));
            }
        }
        for (i, n) in put.capacity_providers.iter().enumerate() {
            if !strategy::is_fargate(n) && cfg.provider(n).is_none() {
                return Err(ApiError::invalid(
                    format!("{at}.capacityProviders[{i}]"),
                    format!("The capacity provider {n} does not exist (create it in createCapacityProvider, or use FARGATE / FARGATE_SPOT)."),
                ));
            }
            if put.capacity_providers[..i].contains(n) {
                return Err(ApiError::invalid(format!("{at}.capacityProviders[{i}]"), format!("{n} is listed twice.")));
            }
        }
        cfg.associated = put.capacity_providers.clone();
        strategy::validate(
            &put.default_capacity_provider_strategy,
            &cfg.associated,
            &format!("{at}.defaultCapacityProviderStrategy"),
        )?;
        cfg.default_strategy = put.default_capacity_provider_strategy.clone();
    }
    Ok(cfg)
}

/// A stable uuid-shaped id derived from a name, so runs are reproducible.
pub(crate) fn uuid_like(name: &str) -> String {
    let h = crate::log::fnv1a64(name.as_bytes());
    let g = crate::log::fnv1a64(format!("{name}/asg").as_bytes());
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &g[0..4], &g[4..16])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn azs() -> Vec<String> {
        vec!["us-east-1a".into(), "us-east-1b".into()]
    }

    fn section() -> Value {
        json!({
            "autoScalingGroups": [{"AutoScalingGroupName": "asg", "MinSize": 0, "MaxSize": 4, "InstanceType": "m5.large", "NewInstancesProtectedFromScaleIn": true}],
            "createCapacityProvider": [{"name": "cp", "autoScalingGroupProvider": {"autoScalingGroupArn": "asg",
                "managedScaling": {"status": "ENABLED", "targetCapacity": 90}, "managedTerminationProtection": "ENABLED"}}],
            "putClusterCapacityProviders": {"capacityProviders": ["cp", "FARGATE"], "defaultCapacityProviderStrategy": [{"capacityProvider": "cp", "weight": 1}]}
        })
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let c = parse(Some(&section()), &azs(), "us-east-1", "123", "default").unwrap();
        let m = c.providers[0].managed_scaling.unwrap();
        assert_eq!((m.target, m.min_step, m.max_step, m.warmup_seconds), (90, 1, 10_000, 300));
        assert_eq!(c.groups[0].azs, vec![0, 1], "all the scenario's zones by default");
        assert_eq!(c.groups[0].desired(), 0, "DesiredCapacity defaults to MinSize");
    }

    #[test]
    fn launches_count_per_zone_until_the_instance_registers() {
        let mut c = parse(Some(&section()), &azs(), "us-east-1", "123", "default").unwrap();
        let g = &mut c.groups[0];
        assert!(g.none_launching());
        g.set_desired_capacity(2);
        g.launch_started(1);
        g.launch_started(1);
        assert_eq!((g.desired(), g.launching()), (2, &[0, 2][..]));
        g.launch_finished(1);
        g.launch_finished(0);
        assert_eq!(g.launching(), &[0, 1][..], "a zone with nothing launching stays at zero");
        g.launch_finished(1);
        assert!(g.none_launching());
    }

    #[test]
    fn rules_name_their_field() {
        let mut s = section();
        s["createCapacityProvider"][0]["autoScalingGroupProvider"]["managedScaling"]["targetCapacity"] = json!(0);
        let e = parse(Some(&s), &azs(), "r", "a", "default").unwrap_err();
        assert!(e.field.ends_with("managedScaling.targetCapacity"), "{e}");
        let mut s = section();
        s["createCapacityProvider"][0]["name"] = json!("ecs-cp");
        assert!(parse(Some(&s), &azs(), "r", "a", "default").unwrap_err().message.contains("prefixed"));
        let mut s = section();
        s["autoScalingGroups"][0]["NewInstancesProtectedFromScaleIn"] = json!(false);
        let e = parse(Some(&s), &azs(), "r", "a", "default").unwrap_err();
        assert!(e.message.contains("NewInstancesProtectedFromScaleIn"), "{e}");
        let mut s = section();
        s["bogus"] = json!(1);
        assert!(parse(Some(&s), &azs(), "r", "a", "default").unwrap_err().message.contains("bogus"));
    }
}
