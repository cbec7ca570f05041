//! Task definition storage: `volumes`, containers' `mountPoints` and `volumesFrom`, and
//! Fargate `ephemeralStorage`, validated with errors that name the field (ClientException,
//! as RegisterTaskDefinition answers).
//!
//! # How the simulation should call this (for the lead)
//! `taskdef_rules` should call `validate_volumes(&request)` from its RegisterTaskDefinition
//! validation. `task_storage_gib` gives the Fargate ephemeral storage a task gets (for the cost
//! meter) and `shared_volumes` which containers share which volume (for the UI).
//!
//! Rules implemented, with their source (ECS API Reference unless noted):
//! * Volume `name`: "Up to 255 letters (uppercase and lowercase), numbers, underscores, and
//!   hyphens are allowed." Names must be unique within the task definition.
//! * A volume has at most one of `host`, `dockerVolumeConfiguration`, `efsVolumeConfiguration`,
//!   `fsxWindowsFileServerVolumeConfiguration`; none is a bind mount on task storage.
//! * Fargate: "The host and sourcePath parameters aren't supported for tasks run on Fargate"
//!   and "Docker volumes aren't supported by tasks run on Fargate" (Developer Guide, storage
//!   options / bind mounts, Docker volumes).
//! * `dockerVolumeConfiguration.scope`: `task` | `shared`.
//! * EFS: `fileSystemId` is required; `transitEncryption` is ENABLED | DISABLED; "If an EFS
//!   access point is specified in the authorizationConfig, the root directory parameter must
//!   either be omitted or set to /"; "If an access point is used, transit encryption must be
//!   on"; `iam`: "If it is turned on, transit encryption must be turned on";
//!   `transitEncryptionPort` is a port number.
//! * MountPoint `sourceVolume`: "Must be a volume name referenced in the name parameter of task
//!   definition volume."
//! * VolumeFrom `sourceContainer`: "The name of another container within the same task
//!   definition to mount volumes from."
//! * EphemeralStorage `sizeInGiB`: "The minimum supported value is 21 GiB and the maximum
//!   supported value is 200 GiB." Without it a Fargate task gets 20 GiB (Developer Guide,
//!   "Fargate task ephemeral storage": "a minimum of 20 GiB").

use crate::error::{ApiError, ApiResult};
use crate::taskdef::{Compatibility, RegisterTaskDefinition};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Ephemeral storage of a Fargate task without `ephemeralStorage` (GiB).
pub const DEFAULT_FARGATE_EPHEMERAL_GIB: u32 = 20;
pub const MIN_EPHEMERAL_GIB: u64 = 21;
pub const MAX_EPHEMERAL_GIB: u64 = 200;

const VOLUME_KINDS: &[&str] =
    &["host", "dockerVolumeConfiguration", "efsVolumeConfiguration", "fsxWindowsFileServerVolumeConfiguration"];

fn is_fargate(td: &RegisterTaskDefinition) -> bool {
    td.requires_compatibilities.as_ref().is_some_and(|c| c.contains(&Compatibility::Fargate))
}

fn check_keys(obj: &Map<String, Value>, allowed: &[&str], at: &str) -> ApiResult<()> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(ApiError::client(format!("{at}.{k}"), format!("Unknown parameter '{k}'."))),
        None => Ok(()),
    }
}

fn enabled_disabled(obj: &Map<String, Value>, key: &str, at: &str) -> ApiResult<Option<bool>> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::String(s)) if s == "ENABLED" => Ok(Some(true)),
        Some(Value::String(s)) if s == "DISABLED" => Ok(Some(false)),
        Some(v) => Err(ApiError::client(format!("{at}.{key}"), format!("{v} is not one of ENABLED, DISABLED."))),
    }
}

fn validate_efs(efs: &Value, at: &str) -> ApiResult<()> {
    let obj = efs.as_object().ok_or_else(|| ApiError::client(at, "must be an object"))?;
    check_keys(
        obj,
        &["fileSystemId", "rootDirectory", "transitEncryption", "transitEncryptionPort", "authorizationConfig"],
        at,
    )?;
    match obj.get("fileSystemId").and_then(Value::as_str) {
        Some(id) if !id.is_empty() => {}
        _ => return Err(ApiError::client(format!("{at}.fileSystemId"), "fileSystemId is required.")),
    }
    let transit = enabled_disabled(obj, "transitEncryption", at)?.unwrap_or(false);
    if let Some(p) = obj.get("transitEncryptionPort") {
        if p.as_u64().filter(|p| (1..=65535).contains(p)).is_none() {
            return Err(ApiError::client(format!("{at}.transitEncryptionPort"), "must be a port number 1-65535."));
        }
    }
    let root = obj.get("rootDirectory").and_then(Value::as_str);
    if let Some(auth) = obj.get("authorizationConfig") {
        let aat = format!("{at}.authorizationConfig");
        let a = auth.as_object().ok_or_else(|| ApiError::client(&aat, "must be an object"))?;
        check_keys(a, &["accessPointId", "iam"], &aat)?;
        if a.get("accessPointId").and_then(Value::as_str).is_some_and(|s| !s.is_empty()) {
            if root.is_some_and(|r| r != "/") {
                return Err(ApiError::client(
                    format!("{at}.rootDirectory"),
                    "If an EFS access point is specified in the authorizationConfig, the root directory parameter must either be omitted or set to / which will enforce the path set on the EFS access point.",
                ));
            }
            if !transit {
                return Err(ApiError::client(
                    format!("{at}.transitEncryption"),
                    "If an access point is used, transit encryption must be on in the EFSVolumeConfiguration.",
                ));
            }
        }
        if enabled_disabled(a, "iam", &aat)? == Some(true) && !transit {
            return Err(ApiError::client(
                format!("{at}.transitEncryption"),
                "Transit encryption must be turned on if Amazon EFS IAM authorization is used.",
            ));
        }
    }
    Ok(())
}

/// Validate `volumes`, every container's `mountPoints` and `volumesFrom`, and
/// `ephemeralStorage`. Field paths are relative to the RegisterTaskDefinition request.
pub fn validate_volumes(td: &RegisterTaskDefinition) -> ApiResult<()> {
    let fargate = is_fargate(td);
    let mut names: Vec<&str> = Vec::new();
    for (i, v) in td.volumes.iter().enumerate() {
        let at = format!("volumes[{i}]");
        let obj = v.as_object().ok_or_else(|| ApiError::client(&at, "Each volume must be an object."))?;
        check_keys(
            obj,
            &[
                "name",
                "host",
                "dockerVolumeConfiguration",
                "efsVolumeConfiguration",
                "fsxWindowsFileServerVolumeConfiguration",
                "configuredAtLaunch",
            ],
            &at,
        )?;
        let name = obj.get("name").and_then(Value::as_str).unwrap_or("");
        let valid = !name.is_empty()
            && name.len() <= 255
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !valid {
            return Err(ApiError::client(
                format!("{at}.name"),
                "Volume name is required: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.",
            ));
        }
        if names.contains(&name) {
            return Err(ApiError::client(format!("{at}.name"), format!("Duplicate volume name '{name}'.")));
        }
        names.push(name);
        let kinds: Vec<&str> = VOLUME_KINDS.iter().copied().filter(|k| obj.contains_key(*k)).collect();
        if kinds.len() > 1 {
            return Err(ApiError::client(
                format!("{at}.{}", kinds[1]),
                format!(
                    "A volume can specify only one of {}; '{name}' has {}.",
                    VOLUME_KINDS.join(", "),
                    kinds.join(" and ")
                ),
            ));
        }
        if let Some(host) = obj.get("host") {
            let source = host.get("sourcePath").and_then(Value::as_str);
            if fargate && source.is_some() {
                return Err(ApiError::client(
                    format!("{at}.host.sourcePath"),
                    "The host and sourcePath parameters aren't supported for tasks run on Fargate.",
                ));
            }
        }
        if let Some(d) = obj.get("dockerVolumeConfiguration") {
            let dat = format!("{at}.dockerVolumeConfiguration");
            if fargate {
                return Err(ApiError::client(dat, "Docker volumes aren't supported by tasks run on Fargate."));
            }
            let dobj = d.as_object().ok_or_else(|| ApiError::client(&dat, "must be an object"))?;
            check_keys(dobj, &["scope", "autoprovision", "driver", "driverOpts", "labels"], &dat)?;
            match dobj.get("scope") {
                None => {}
                Some(Value::String(s)) if s == "task" || s == "shared" => {}
                Some(v) => {
                    return Err(ApiError::client(format!("{dat}.scope"), format!("{v} is not one of task, shared.")))
                }
            }
            // `autoprovision` "is only used if the scope is shared": ignored otherwise, not an error.
        }
        if let Some(efs) = obj.get("efsVolumeConfiguration") {
            validate_efs(efs, &format!("{at}.efsVolumeConfiguration"))?;
        }
    }
    let container_names: Vec<&str> = td.container_definitions.iter().map(|c| c.name.as_str()).collect();
    for (ci, c) in td.container_definitions.iter().enumerate() {
        let cat = format!("containerDefinitions[{ci}]");
        if let Some(mps) = c.other.get("mountPoints") {
            let arr = mps.as_array().ok_or_else(|| ApiError::client(format!("{cat}.mountPoints"), "must be a list"))?;
            for (mi, mp) in arr.iter().enumerate() {
                let mat = format!("{cat}.mountPoints[{mi}]");
                let obj = mp.as_object().ok_or_else(|| ApiError::client(&mat, "must be an object"))?;
                check_keys(obj, &["sourceVolume", "containerPath", "readOnly"], &mat)?;
                if let Some(src) = obj.get("sourceVolume") {
                    let s = src.as_str().unwrap_or("");
                    if !names.contains(&s) {
                        return Err(ApiError::client(
                            format!("{mat}.sourceVolume"),
                            format!("Invalid 'sourceVolume' '{s}': it must be a volume name referenced in the name parameter of a task definition volume."),
                        ));
                    }
                }
                if let Some(p) = obj.get("containerPath") {
                    if p.as_str().is_none_or(|p| p.is_empty()) {
                        return Err(ApiError::client(format!("{mat}.containerPath"), "containerPath must be a path."));
                    }
                }
            }
        }
        if let Some(vfs) = c.other.get("volumesFrom") {
            let arr = vfs.as_array().ok_or_else(|| ApiError::client(format!("{cat}.volumesFrom"), "must be a list"))?;
            for (vi, vf) in arr.iter().enumerate() {
                let vat = format!("{cat}.volumesFrom[{vi}]");
                let obj = vf.as_object().ok_or_else(|| ApiError::client(&vat, "must be an object"))?;
                check_keys(obj, &["sourceContainer", "readOnly"], &vat)?;
                let src = obj.get("sourceContainer").and_then(Value::as_str).unwrap_or("");
                if src == c.name || !container_names.contains(&src) {
                    return Err(ApiError::client(
                        format!("{vat}.sourceContainer"),
                        format!("'{src}' must be the name of another container within the same task definition."),
                    ));
                }
            }
        }
    }
    if let Some(es) = td.other.get("ephemeralStorage") {
        let obj = es.as_object().ok_or_else(|| ApiError::client("ephemeralStorage", "must be an object"))?;
        check_keys(obj, &["sizeInGiB"], "ephemeralStorage")?;
        let size = obj.get("sizeInGiB").and_then(Value::as_u64);
        if !size.is_some_and(|s| (MIN_EPHEMERAL_GIB..=MAX_EPHEMERAL_GIB).contains(&s)) {
            return Err(ApiError::client(
                "ephemeralStorage.sizeInGiB",
                "The total amount, in GiB, of ephemeral storage to set for the task. The minimum supported value is 21 GiB and the maximum supported value is 200 GiB.",
            ));
        }
    }
    Ok(())
}

/// GiB of ephemeral storage a Fargate task of this definition gets: `sizeInGiB`, else 20.
pub fn task_storage_gib(td: &RegisterTaskDefinition) -> u32 {
    td.other
        .get("ephemeralStorage")
        .and_then(|e| e.get("sizeInGiB"))
        .and_then(Value::as_u64)
        .and_then(|s| u32::try_from(s).ok())
        .unwrap_or(DEFAULT_FARGATE_EPHEMERAL_GIB)
}

/// One container's view of a volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mount {
    pub container_name: String,
    pub container_path: String,
    pub read_only: bool,
}

/// Volume name -> the containers that mount it (directly, or through `volumesFrom`). A bind
/// mount listed by two containers is the "share data between multiple containers in the same
/// task" case (sidecar pattern); on Fargate it lives on the task's ephemeral storage.
pub fn shared_volumes(td: &RegisterTaskDefinition) -> BTreeMap<String, Vec<Mount>> {
    let mut out: BTreeMap<String, Vec<Mount>> = BTreeMap::new();
    let direct = |c: &crate::taskdef::ContainerDefinition| -> Vec<(String, String, bool)> {
        c.other
            .get("mountPoints")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|mp| {
                        Some((
                            mp.get("sourceVolume")?.as_str()?.to_string(),
                            mp.get("containerPath").and_then(Value::as_str).unwrap_or("").to_string(),
                            mp.get("readOnly").and_then(Value::as_bool).unwrap_or(false),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    for c in &td.container_definitions {
        for (vol, path, ro) in direct(c) {
            out.entry(vol).or_default().push(Mount {
                container_name: c.name.clone(),
                container_path: path,
                read_only: ro,
            });
        }
        for vf in c.other.get("volumesFrom").and_then(Value::as_array).into_iter().flatten() {
            let Some(src) = vf.get("sourceContainer").and_then(Value::as_str) else { continue };
            let ro_all = vf.get("readOnly").and_then(Value::as_bool).unwrap_or(false);
            if let Some(sc) = td.container_definitions.iter().find(|x| x.name == src) {
                for (vol, path, ro) in direct(sc) {
                    out.entry(vol).or_default().push(Mount {
                        container_name: c.name.clone(),
                        container_path: path,
                        read_only: ro || ro_all,
                    });
                }
            }
        }
    }
    out
}
