//! Task definitions in the shape of the RegisterTaskDefinition API, and the registered model.
//!
//! Input is exactly what `aws ecs register-task-definition --cli-input-json` takes; the output of
//! `aws ecs describe-task-definition` (`{"taskDefinition": {...}}`) is accepted too, its
//! read-only fields (`taskDefinitionArn`, `revision`, `status`, ...) being ignored.
//! Validation rules live in `taskdef_rules`.

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum NetworkMode {
    Bridge,
    Host,
    Awsvpc,
    None,
}

impl NetworkMode {
    pub fn as_str(self) -> &'static str {
        match self {
            NetworkMode::Bridge => "bridge",
            NetworkMode::Host => "host",
            NetworkMode::Awsvpc => "awsvpc",
            NetworkMode::None => "none",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum Compatibility {
    Ec2,
    Fargate,
    External,
    #[serde(rename = "MANAGED_INSTANCES")]
    ManagedInstances,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    #[default]
    Tcp,
    Udp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PortMapping {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_port: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_port: Option<u32>,
    #[serde(default)]
    pub protocol: Protocol,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_port_range: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HealthCheck {
    pub command: Vec<String>,
    /// Seconds between checks; API default 30, range 5-300.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<u32>,
    /// Seconds before a check counts as failed; API default 5, range 2-120.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
    /// Consecutive failures before UNHEALTHY; API default 3, range 1-10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    /// Grace seconds after start during which failures do not count; default 0 (off), range 0-300.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_period: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyValue {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Secret {
    pub name: String,
    pub value_from: String,
}

/// A container definition. Fields the simulation does not model are kept as JSON so that an
/// export gives back what was imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContainerDefinition {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub image: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<u32>,
    /// Hard limit in MiB: the container is killed above it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<u32>,
    /// Soft limit in MiB: what placement reserves when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub essential: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub port_mappings: Vec<PortMapping>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environment: Vec<KeyValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<Secret>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// Every other ContainerDefinition field of the API (command, logConfiguration, dependsOn,
    /// mountPoints, ...), kept verbatim. Unknown names are rejected by validation.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

impl ContainerDefinition {
    /// Containers are essential unless `essential: false` is written.
    pub fn is_essential(&self) -> bool {
        self.essential.unwrap_or(true)
    }
    /// MiB that placement subtracts from an instance for this container: the soft limit if set,
    /// else the hard limit ("If you specify memoryReservation, that value is subtracted from the
    /// available memory resources for the container instance ... Otherwise, the value of memory is
    /// used." - ContainerDefinition reference).
    pub fn reserved_memory_mib(&self) -> u32 {
        self.memory_reservation.or(self.memory).unwrap_or(0)
    }
}

/// RegisterTaskDefinition request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RegisterTaskDefinition {
    #[serde(default)]
    pub family: String,
    #[serde(default)]
    pub container_definitions: Vec<ContainerDefinition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<NetworkMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires_compatibilities: Option<Vec<Compatibility>>,
    /// Task CPU: "256" or "0.25 vCPU" in the API; numbers are accepted too.
    #[serde(default, deserialize_with = "string_or_number", skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    /// Task memory: "512" (MiB) or "0.5 GB" in the API; numbers are accepted too.
    #[serde(default, deserialize_with = "string_or_number", skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<serde_json::Value>,
    /// Every other field (runtimePlatform, ephemeralStorage, tags, pidMode, ... and the read-only
    /// fields of describe-task-definition output), kept verbatim; validation decides what is allowed.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(untagged)]
    enum Sn {
        S(String),
        N(serde_json::Number),
    }
    Ok(Option::<Sn>::deserialize(d)?.map(|v| match v {
        Sn::S(s) => s,
        Sn::N(n) => n.to_string(),
    }))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum TaskDefinitionStatus {
    Active,
    Inactive,
}

/// A registered, validated revision.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDefinition {
    pub task_definition_arn: String,
    pub family: String,
    pub revision: u32,
    pub status: TaskDefinitionStatus,
    pub network_mode: NetworkMode,
    pub compatibilities: Vec<Compatibility>,
    /// Task-level CPU units, if given.
    pub cpu_units: Option<u32>,
    /// Task-level memory MiB, if given.
    pub memory_mib: Option<u32>,
    /// The request this revision was registered from (for export and the details drawer).
    pub request: RegisterTaskDefinition,
}

impl TaskDefinition {
    pub fn family_revision(&self) -> String {
        format!("{}:{}", self.family, self.revision)
    }
    pub fn containers(&self) -> &[ContainerDefinition] {
        &self.request.container_definitions
    }
    /// CPU units placement reserves on an EC2 instance: the task-level value if set, else the sum
    /// of the containers' `cpu`.
    pub fn placement_cpu(&self) -> u32 {
        self.cpu_units.unwrap_or_else(|| self.containers().iter().map(|c| c.cpu.unwrap_or(0)).sum())
    }
    /// MiB placement reserves: the task-level value if set, else each container's reservation.
    pub fn placement_memory(&self) -> u32 {
        self.memory_mib.unwrap_or_else(|| self.containers().iter().map(|c| c.reserved_memory_mib()).sum())
    }
    pub fn is_fargate_compatible(&self) -> bool {
        self.compatibilities.contains(&Compatibility::Fargate)
    }
}

/// Parse task CPU as the API accepts it: CPU units ("1024") or vCPUs ("1 vCPU", "0.25 vcpu").
pub fn parse_cpu_units(s: &str) -> Option<u32> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    if let Some(v) = lower.strip_suffix("vcpu") {
        let f: f64 = v.trim().parse().ok()?;
        if !(f.is_finite() && f > 0.0) {
            return None;
        }
        return Some((f * 1024.0).round() as u32);
    }
    t.parse().ok()
}

/// Parse task memory as the API accepts it: MiB ("2048") or GB ("2 GB", "0.5gb").
pub fn parse_memory_mib(s: &str) -> Option<u32> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    if let Some(v) = lower.strip_suffix("gb") {
        let f: f64 = v.trim().parse().ok()?;
        if !(f.is_finite() && f > 0.0) {
            return None;
        }
        return Some((f * 1024.0).round() as u32);
    }
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_parse_as_the_api_accepts_them() {
        assert_eq!(parse_cpu_units("256"), Some(256));
        assert_eq!(parse_cpu_units("0.25 vCPU"), Some(256));
        assert_eq!(parse_cpu_units("1 vcpu"), Some(1024));
        assert_eq!(parse_memory_mib("512"), Some(512));
        assert_eq!(parse_memory_mib("2 GB"), Some(2048));
        assert_eq!(parse_cpu_units("lots"), None);
    }

    #[test]
    fn memory_reservation_is_what_placement_reserves() {
        let c = ContainerDefinition { memory: Some(512), memory_reservation: Some(128), ..Default::default() };
        assert_eq!(c.reserved_memory_mib(), 128);
    }
}
