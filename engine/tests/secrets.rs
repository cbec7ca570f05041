//! Container `secrets` (SSM Parameter Store, Secrets Manager) and `environmentFiles` (S3),
//! resolved with the task execution role before the containers start: behaviour a user can check
//! against the ECS documentation.
//!
//! - Execution role permissions ssm:GetParameters, secretsmanager:GetSecretValue, s3:GetObject and
//!   s3:GetBucketLocation: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
//! - The stoppedReason "ResourceInitializationError: unable to pull secrets or registry auth ...":
//!   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html
//! - environmentFiles (type s3, .env extension, up to ten):
//!   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/use-environment-file.html
//! - GetObject on a missing key: 404 NoSuchKey with s3:ListBucket, else 403 AccessDenied:
//!   https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
//! - PutRolePolicy: https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;

use serde_json::{json, Value};

const ACC: &str = "123456789012";

/// One Fargate service `api` whose container reads a Secrets Manager JSON key, an SSM parameter
/// and an S3 environment file; its execution role has only AmazonECSTaskExecutionRolePolicy.
fn scenario() -> Value {
    json!({"seed": 5, "availabilityZones": ["us-east-1a", "us-east-1b"],
        "iamRoles": [{"roleName": "apiExecutionRole", "managedPolicies": ["AmazonECSTaskExecutionRolePolicy"]}],
        "ssmParameters": [{"Name": "/prod/api/key", "Type": "SecureString", "Value": "k"}],
        "secretsManagerSecrets": [{"Name": "prod/db", "SecretString": "{\"password\":\"p\"}"}],
        "s3Objects": [{"Bucket": "acme-app-config", "Key": "prod/api.env", "Body": "LOG_LEVEL=info\n"}],
        "taskDefinitions": [{"family": "api", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
            "cpu": "256", "memory": "512", "executionRoleArn": format!("arn:aws:iam::{ACC}:role/apiExecutionRole"),
            "containerDefinitions": [{"name": "api", "image": "public.ecr.aws/docker/library/python:3.12-slim",
                "secrets": [
                    {"name": "DB_PASSWORD", "valueFrom": format!("arn:aws:secretsmanager:us-east-1:{ACC}:secret:prod/db:password::")},
                    {"name": "API_KEY", "valueFrom": format!("arn:aws:ssm:us-east-1:{ACC}:parameter/prod/api/key")}],
                "environmentFiles": [{"value": "arn:aws:s3:::acme-app-config/prod/api.env", "type": "s3"}]}]}],
        "services": [{"serviceName": "api", "taskDefinition": "api", "desiredCount": 1, "launchType": "FARGATE",
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-00000000a11ce000"]}}}]})
}

fn allow(actions: &[&str], resource: &str) -> Value {
    json!({"Effect": "Allow", "Action": actions, "Resource": resource})
}

fn all_permissions() -> Vec<Value> {
    vec![
        allow(&["secretsmanager:GetSecretValue"], &format!("arn:aws:secretsmanager:us-east-1:{ACC}:secret:prod/db-*")),
        allow(&["ssm:GetParameters"], &format!("arn:aws:ssm:us-east-1:{ACC}:parameter/prod/api/*")),
        allow(&["s3:GetObject"], "arn:aws:s3:::acme-app-config/prod/api.env"),
        allow(&["s3:GetBucketLocation"], "arn:aws:s3:::acme-app-config"),
    ]
}

fn with_policy(mut v: Value, statements: Vec<Value>) -> Value {
    v["iamRoles"][0]["policies"] = json!([{"Version": "2012-10-17", "Statement": statements}]);
    v
}

/// The stoppedReason of the first task to stop, and how many tasks are RUNNING at `until` s.
fn outcome(v: &Value, until: u64) -> (Option<String>, usize) {
    let sim = common::run_value(v, until);
    let first = common::task_changes(&sim)
        .into_iter()
        .find(|c| c.2 == "STOPPED")
        .map(|c| c.4["stoppedReason"].as_str().unwrap_or_default().to_string());
    let running = sim.state().tasks.iter().filter(|t| t.last_status == ecs_sim::model::TaskStatus::Running).count();
    (first, running)
}

#[test]
fn without_secret_permissions_the_task_stops_with_the_documented_error() {
    let (reason, running) = outcome(&scenario(), 60);
    let reason = reason.expect("a task stopped");
    assert!(reason.starts_with("ResourceInitializationError: unable to pull secrets or registry auth"), "{reason}");
    assert!(reason.contains("unable to retrieve secret from asm"), "{reason}");
    // A partial ARN names the secret; IAM authorizes its full ARN (with the six characters).
    assert!(
        reason.contains(
            "secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-"
        ),
        "{reason}"
    );
    assert_eq!(running, 0);
}

#[test]
fn with_every_permission_the_task_runs() {
    let (reason, running) = outcome(&with_policy(scenario(), all_permissions()), 60);
    assert_eq!((reason, running), (None, 1));
}

#[test]
fn the_environment_file_needs_s3_get_object_and_get_bucket_location() {
    for drop in ["s3:GetObject", "s3:GetBucketLocation"] {
        let statements = all_permissions().into_iter().filter(|s| s["Action"][0] != drop).collect();
        let (reason, running) = outcome(&with_policy(scenario(), statements), 60);
        let reason = reason.expect("a task stopped");
        assert!(reason.starts_with("ResourceInitializationError: failed to download env files"), "{drop}: {reason}");
        assert!(reason.ends_with("AccessDenied: Access Denied"), "{reason}");
        assert_eq!(running, 0);
    }
}

#[test]
fn a_missing_parameter_secret_key_or_object_stops_the_task() {
    let mut v = with_policy(scenario(), all_permissions());
    v["ssmParameters"][0]["Name"] = json!("/prod/api/other");
    let (reason, _) = outcome(&v, 60);
    assert!(
        reason
            .as_deref()
            .unwrap_or("")
            .ends_with(&format!("invalid parameters: arn:aws:ssm:us-east-1:{ACC}:parameter/prod/api/key")),
        "{reason:?}"
    );

    // (The role may read every secret: without that, IAM denies the name before Secrets Manager
    // looks it up.)
    let mut statements = all_permissions();
    statements.push(allow(&["secretsmanager:GetSecretValue"], "*"));
    let mut v = with_policy(scenario(), statements);
    v["secretsManagerSecrets"][0]["Name"] = json!("prod/other");
    let (reason, _) = outcome(&v, 60);
    assert!(
        reason
            .as_deref()
            .unwrap_or("")
            .contains("ResourceNotFoundException: Secrets Manager can't find the specified secret."),
        "{reason:?}"
    );

    let mut v = with_policy(scenario(), all_permissions());
    v["secretsManagerSecrets"][0]["SecretString"] = json!("{\"user\":\"u\"}");
    let (reason, _) = outcome(&v, 60);
    assert!(reason.as_deref().unwrap_or("").ends_with("did not contain json key password"), "{reason:?}");

    // A missing object: AccessDenied without s3:ListBucket, NoSuchKey with it.
    let mut v = with_policy(scenario(), all_permissions());
    v["s3Objects"][0]["Key"] = json!("prod/other.env");
    let (reason, _) = outcome(&v, 60);
    assert!(reason.as_deref().unwrap_or("").ends_with("AccessDenied: Access Denied"), "{reason:?}");
    let mut statements = all_permissions();
    statements.push(allow(&["s3:ListBucket"], "arn:aws:s3:::acme-app-config"));
    let mut v = with_policy(scenario(), statements);
    v["s3Objects"][0]["Key"] = json!("prod/other.env");
    let (reason, _) = outcome(&v, 60);
    assert!(reason.as_deref().unwrap_or("").ends_with("NoSuchKey: The specified key does not exist."), "{reason:?}");
}

/// Without `ssmParameters` / `secretsManagerSecrets` / `s3Objects` and `iamRoles` the scenario
/// behaves as before: every name resolves.
#[test]
fn undeclared_stores_resolve_every_name() {
    let mut v = scenario();
    for k in ["iamRoles", "ssmParameters", "secretsManagerSecrets", "s3Objects"] {
        v.as_object_mut().unwrap().remove(k);
    }
    assert_eq!(outcome(&v, 60), (None, 1));
}

/// PutRolePolicy on the timeline: the tasks that start afterwards run.
#[test]
fn put_role_policy_fixes_the_execution_role() {
    let mut v = scenario();
    v["timeline"] = json!([{"at": 60, "action": "PutRolePolicy", "input": {"RoleName": "apiExecutionRole",
        "PolicyName": "read-config", "PolicyDocument": json!({"Version": "2012-10-17", "Statement": all_permissions()}).to_string()}}]);
    let sim = common::run_value(&v, 200);
    assert!(common::task_changes(&sim).iter().any(|c| c.2 == "STOPPED"), "a task stopped before the fix");
    let running = sim.state().tasks.iter().filter(|t| t.last_status == ecs_sim::model::TaskStatus::Running).count();
    assert_eq!(running, 1);
    // Unknown role: IAM's NoSuchEntity, naming RoleName.
    let mut sim = common::run_value(&scenario(), 1);
    let e = sim
        .apply_json(
            "PutRolePolicy",
            &json!({"RoleName": "nope", "PolicyName": "p", "PolicyDocument": {"Statement": []}}),
        )
        .unwrap_err();
    assert_eq!((e.exception, e.field.as_str()), ("NoSuchEntity", "RoleName"));
    assert_eq!(e.message, "The role with name nope cannot be found.");
    let e = sim
        .apply_json(
            "PutRolePolicy",
            &json!({"RoleName": "apiExecutionRole", "PolicyName": "p",
            "PolicyDocument": {"Statement": [{"Effect": "Maybe", "Action": "s3:*"}]}}),
        )
        .unwrap_err();
    assert_eq!(e.field, "PolicyDocument.Statement[0].Effect");
    let e = sim
        .apply_json(
            "AttachRolePolicy",
            &json!({"RoleName": "apiExecutionRole", "PolicyArn": "arn:aws:iam::aws:policy/Nope"}),
        )
        .unwrap_err();
    assert_eq!(e.field, "PolicyArn");
}

/// Bad scenario data and bad environmentFiles name the field.
#[test]
fn bad_input_names_the_field() {
    let err = |v: &Value| match ecs_sim::load(&v.to_string(), None) {
        Err(e) => e,
        Ok(_) => panic!("loads"),
    };
    let mut v = scenario();
    v["ssmParameters"][0]["Type"] = json!("Secret");
    assert_eq!(err(&v).field, "ssmParameters[0].Type");
    let mut v = scenario();
    v["s3Objects"][0]["Bucket"] = json!("Acme_Config");
    assert_eq!(err(&v).field, "s3Objects[0].Bucket");
    let mut v = scenario();
    v["taskDefinitions"][0]["containerDefinitions"][0]["environmentFiles"][0]["value"] =
        json!("arn:aws:s3:::acme-app-config/prod/api.txt");
    let e = err(&v);
    assert_eq!(e.field, "taskDefinitions[0].containerDefinitions[0].environmentFiles[0].value");
    assert!(e.message.contains(".env file extension"), "{e}");
}
