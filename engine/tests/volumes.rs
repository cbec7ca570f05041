//! Volume and mount validation a learner can check against the ECS API Reference.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::taskdef::RegisterTaskDefinition;
use ecs_sim::volumes::{self, shared_volumes, task_storage_gib, validate_volumes};
use serde_json::{json, Value};

fn fixture() -> Value {
    let path = format!("{}/tests/fixtures/volumes_taskdef.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("json")
}

fn td(v: Value) -> RegisterTaskDefinition {
    serde_json::from_value(v).expect("task definition")
}

fn err_field(v: Value) -> String {
    let e = validate_volumes(&td(v)).expect_err("invalid");
    assert_eq!(e.exception, "ClientException");
    e.field
}

#[test]
fn the_sidecar_example_is_valid_and_shares_the_bind_mount() {
    let t = td(fixture());
    assert_eq!(validate_volumes(&t), Ok(()));
    assert_eq!(task_storage_gib(&t), 50);
    // Bind mounts: "Share data between multiple containers in the same task definition".
    let shared = shared_volumes(&t);
    let logs = &shared["shared-logs"];
    assert_eq!(logs.len(), 2);
    assert_eq!(logs[1].container_name, "log-shipper");
    assert!(logs[1].read_only, "volumesFrom readOnly applies to the borrowed mounts");
}

#[test]
fn fargate_gets_20_gib_without_ephemeral_storage() {
    // "Fargate task ephemeral storage": 20 GiB by default, expandable to 200 GiB.
    let mut v = fixture();
    v.as_object_mut().expect("obj").remove("ephemeralStorage");
    assert_eq!(task_storage_gib(&td(v)), volumes::DEFAULT_FARGATE_EPHEMERAL_GIB);
}

#[test]
fn ephemeral_storage_is_21_to_200_gib() {
    // EphemeralStorage.sizeInGiB: "The minimum supported value is 21 GiB and the maximum
    // supported value is 200 GiB."
    for (size, ok) in [(20, false), (21, true), (200, true), (201, false)] {
        let mut v = fixture();
        v["ephemeralStorage"] = json!({"sizeInGiB": size});
        assert_eq!(validate_volumes(&td(v.clone())).is_ok(), ok, "{size}");
        if !ok {
            assert_eq!(err_field(v), "ephemeralStorage.sizeInGiB");
        }
    }
}

#[test]
fn mount_points_must_name_a_volume() {
    // MountPoint.sourceVolume: "Must be a volume name referenced in the name parameter of task
    // definition volume."
    let mut v = fixture();
    v["containerDefinitions"][0]["mountPoints"][1]["sourceVolume"] = json!("upload");
    assert_eq!(err_field(v), "containerDefinitions[0].mountPoints[1].sourceVolume");
}

#[test]
fn volumes_from_must_name_another_container() {
    // VolumeFrom.sourceContainer: "The name of another container within the same task
    // definition to mount volumes from."
    let mut v = fixture();
    v["containerDefinitions"][1]["volumesFrom"][0]["sourceContainer"] = json!("log-shipper");
    assert_eq!(err_field(v), "containerDefinitions[1].volumesFrom[0].sourceContainer");
}

#[test]
fn fargate_rejects_host_paths_and_docker_volumes() {
    let mut v = fixture();
    v["volumes"][0]["host"] = json!({"sourcePath": "/var/log"});
    assert_eq!(err_field(v.clone()), "volumes[0].host.sourcePath");
    // The same volume is fine on EC2.
    v["requiresCompatibilities"] = json!(["EC2"]);
    assert_eq!(validate_volumes(&td(v)), Ok(()));
    let mut v = fixture();
    v["volumes"][0]["dockerVolumeConfiguration"] = json!({"scope": "shared", "autoprovision": true});
    assert_eq!(err_field(v), "volumes[0].dockerVolumeConfiguration");
}

#[test]
fn efs_rules_from_the_api_reference() {
    // fileSystemId is required.
    let mut v = fixture();
    v["volumes"][1]["efsVolumeConfiguration"].as_object_mut().expect("efs").remove("fileSystemId");
    assert_eq!(err_field(v), "volumes[1].efsVolumeConfiguration.fileSystemId");
    // "If an EFS access point is specified in the authorizationConfig, the root directory
    // parameter must either be omitted or set to /".
    let mut v = fixture();
    v["volumes"][1]["efsVolumeConfiguration"]["rootDirectory"] = json!("/data");
    assert_eq!(err_field(v.clone()), "volumes[1].efsVolumeConfiguration.rootDirectory");
    v["volumes"][1]["efsVolumeConfiguration"]["rootDirectory"] = json!("/");
    assert_eq!(validate_volumes(&td(v)), Ok(()));
    // "If an access point is used, transit encryption must be on" / IAM authorization needs it.
    let mut v = fixture();
    v["volumes"][1]["efsVolumeConfiguration"]["transitEncryption"] = json!("DISABLED");
    assert_eq!(err_field(v.clone()), "volumes[1].efsVolumeConfiguration.transitEncryption");
    v["volumes"][1]["efsVolumeConfiguration"]["authorizationConfig"] = json!({"iam": "ENABLED"});
    assert_eq!(err_field(v), "volumes[1].efsVolumeConfiguration.transitEncryption");
}

#[test]
fn volume_names_are_checked() {
    let mut v = fixture();
    v["volumes"][1]["name"] = json!("shared-logs");
    assert_eq!(err_field(v.clone()), "volumes[1].name");
    v["volumes"][1]["name"] = json!("bad name!");
    assert_eq!(err_field(v), "volumes[1].name");
}
