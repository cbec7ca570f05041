//! IAM behaviour a learner can check against the ECS Developer Guide and the IAM User Guide.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::ecr::Platform;
use ecs_sim::iam::{self, AppCall, Roles, StartContext};
use ecs_sim::taskdef::RegisterTaskDefinition;
use serde_json::Value;

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
const TASK: &str = "a1b2c3d4e5f6";

fn fixture() -> Value {
    let path = format!("{}/tests/fixtures/iam_roles.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("json")
}

fn setup() -> (Roles, RegisterTaskDefinition) {
    let f = fixture();
    let roles = Roles::from_scenario(&f["iamRoles"], ACCOUNT).expect("valid roles");
    let td: RegisterTaskDefinition = serde_json::from_value(f["taskDefinition"].clone()).expect("td");
    (roles, td)
}

fn ctx<'a>(roles: &'a Roles, platform: Platform, instance_role: Option<&'a iam::Role>) -> StartContext<'a> {
    StartContext {
        platform,
        account_id: ACCOUNT,
        region: REGION,
        task_id: TASK,
        roles,
        instance_role,
        registry: None,
        secrets: None,
    }
}

#[test]
fn a_complete_execution_role_starts_the_task() {
    let (roles, td) = setup();
    assert_eq!(iam::check_execution_role(&td, &ctx(&roles, Platform::Fargate, None)), Ok(()));
}

#[test]
fn missing_ecr_permissions_fail_registry_auth_on_fargate() {
    // Task execution role guide: on Fargate the execution role pulls from ECR private
    // repositories; AmazonECSTaskExecutionRolePolicy grants ecr:GetAuthorizationToken.
    let (roles, mut td) = setup();
    td.execution_role_arn = Some(format!("arn:aws:iam::{ACCOUNT}:role/bareExecutionRole"));
    td.container_definitions[0].secrets.clear();
    let f = iam::check_execution_role(&td, &ctx(&roles, Platform::Fargate, None)).expect_err("no ecr perms");
    assert_eq!(f.stop_code, "TaskFailedToStart");
    assert_eq!(
        f.stopped_reason,
        format!(
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: \
             unable to retrieve ecr registry auth: service call has been retried 3 time(s): AccessDeniedException: \
             User: arn:aws:sts::{ACCOUNT}:assumed-role/bareExecutionRole/{TASK} is not authorized to perform: \
             ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action"
        )
    );
}

#[test]
fn on_ec2_the_instance_role_pulls_when_there_is_no_execution_role() {
    // CannotPullContainer guide: "For tasks with EC2, this is the container instance role."
    let (roles, mut td) = setup();
    td.execution_role_arn = None;
    td.container_definitions[0].secrets.clear();
    td.container_definitions[0].other.remove("logConfiguration");
    let instance = roles.get("ecsInstanceRole");
    assert_eq!(iam::check_execution_role(&td, &ctx(&roles, Platform::Ec2, instance)), Ok(()));
    let bare = roles.get("bareExecutionRole");
    let f = iam::check_execution_role(&td, &ctx(&roles, Platform::Ec2, bare)).expect_err("instance role lacks ecr");
    assert!(f.stopped_reason.contains("ecr:GetAuthorizationToken"), "{}", f.stopped_reason);
}

#[test]
fn secrets_need_the_execution_role_with_the_right_action() {
    // "Required IAM permissions for Amazon ECS secrets": ssm:GetParameters for Parameter Store,
    // secretsmanager:GetSecretValue for Secrets Manager, on the execution role.
    let (roles, mut td) = setup();
    td.container_definitions[0].secrets[0].value_from = "/other/key".into();
    let f = iam::check_execution_role(&td, &ctx(&roles, Platform::Fargate, None)).expect_err("ssm denied");
    assert!(f.stopped_reason.starts_with(
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/a1b2c3d4e5f6 is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:123456789012:parameter/other/key"
    ), "{}", f.stopped_reason);

    let (roles, mut td) = setup();
    td.container_definitions[0].secrets[1].value_from =
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:stripe-key-XyZ:apiKey::".into();
    let f = iam::check_execution_role(&td, &ctx(&roles, Platform::Fargate, None)).expect_err("asm denied");
    assert!(f.stopped_reason.contains("unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:stripe-key-XyZ from secrets manager: AccessDeniedException"), "{}", f.stopped_reason);
}

#[test]
fn awslogs_needs_create_log_stream() {
    // AmazonECSTaskExecutionRolePolicy grants logs:CreateLogStream and logs:PutLogEvents; a role
    // without them cannot start a Fargate task that uses awslogs.
    let f = fixture();
    let mut roles_v = f["iamRoles"].clone();
    roles_v[0]["managedPolicies"] = serde_json::json!([]);
    roles_v[0]["policies"][0]["Statement"]
        .as_array_mut()
        .expect("stmts")
        .push(serde_json::json!({"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}));
    let roles = Roles::from_scenario(&roles_v, ACCOUNT).expect("roles");
    let (_, td) = setup();
    let fail = iam::check_execution_role(&td, &ctx(&roles, Platform::Fargate, None)).expect_err("no logs perms");
    assert!(fail.stopped_reason.starts_with("ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: AccessDeniedException"), "{}", fail.stopped_reason);
    assert!(fail.stopped_reason.contains("logs:CreateLogStream on resource: arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web:log-stream:ecs/web/a1b2c3d4e5f6"));
}

#[test]
fn fargate_registration_requires_an_execution_role_for_ecr_and_awslogs() {
    // RegisterTaskDefinition: "Fargate requires task definition to have execution role ARN to
    // support ECR images." / "... to support log driver awslogs."
    let (_, mut td) = setup();
    td.execution_role_arn = None;
    let e = iam::check_fargate_registration(&td).expect_err("needs role");
    assert_eq!(e.exception, "ClientException");
    assert!(e
        .message
        .starts_with("Fargate requires task definition to have execution role ARN to support ECR images."));
    td.container_definitions[0].image = "nginx:1.27".into();
    let e = iam::check_fargate_registration(&td).expect_err("awslogs needs role");
    assert!(e
        .message
        .starts_with("Fargate requires task definition to have execution role ARN to support log driver awslogs."));
}

#[test]
fn the_application_uses_the_task_role() {
    // Task IAM role guide: the task role is what "your application code (on the container)"
    // uses. IAM: explicit Deny beats Allow; no Allow means implicit deny.
    let (roles, _) = setup();
    let task_role = roles.get("webTaskRole");
    let call = |action, resource| iam::app_call(task_role, None, Platform::Fargate, TASK, "", action, resource);
    assert_eq!(call("s3:GetObject", "arn:aws:s3:::web-assets/logo.png"), AppCall::Ok);
    assert_eq!(
        call("s3:PutObject", "arn:aws:s3:::web-assets/logo.png"),
        AppCall::AccessDenied(format!(
            "User: arn:aws:sts::{ACCOUNT}:assumed-role/webTaskRole/{TASK} is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::web-assets/logo.png because no identity-based policy allows the s3:PutObject action"
        ))
    );
    assert_eq!(
        call("s3:GetObject", "arn:aws:s3:::web-assets/private/keys.txt"),
        AppCall::AccessDenied(format!(
            "User: arn:aws:sts::{ACCOUNT}:assumed-role/webTaskRole/{TASK} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::web-assets/private/keys.txt with an explicit deny in an identity-based policy"
        ))
    );
    // The execution role's permissions "aren't directly accessible by the containers": a task
    // without a task role on Fargate has no credentials at all.
    assert!(matches!(
        iam::app_call(None, None, Platform::Fargate, TASK, "", "s3:GetObject", "arn:aws:s3:::web-assets/x"),
        AppCall::NoCredentials(_)
    ));
}

#[test]
fn the_instance_role_lets_the_agent_register() {
    // Container instance role: "This role allows your EC2 instances ... to register with the
    // cluster" (AmazonEC2ContainerServiceforEC2Role includes ecs:RegisterContainerInstance).
    let (roles, _) = setup();
    let cluster = format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/default");
    assert_eq!(iam::check_instance_role(roles.get("ecsInstanceRole").expect("role"), "i-0abc", &cluster), Ok(()));
    let e = iam::check_instance_role(roles.get("webTaskRole").expect("role"), "i-0abc", &cluster).expect_err("no ecs");
    assert!(
        e.contains("assumed-role/webTaskRole/i-0abc is not authorized to perform: ecs:RegisterContainerInstance"),
        "{e}"
    );
}

#[test]
fn access_graph_shows_who_calls_what() {
    let (roles, td) = setup();
    let c = ctx(&roles, Platform::Fargate, None);
    let g = iam::access_graph(
        &td,
        &c,
        &[
            ("s3:GetObject", "arn:aws:s3:::web-assets/logo.png"),
            ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/orders"),
        ],
    );
    let edge = |action: &str| g.edges.iter().find(|e| e.action == action).unwrap_or_else(|| panic!("{action}"));
    assert_eq!(edge("ecr:BatchGetImage").via_role.as_deref(), Some("ecsTaskExecutionRole"));
    assert!(edge("ecr:BatchGetImage").allowed);
    assert_eq!(edge("logs:CreateLogStream").from, "agent");
    assert_eq!(edge("s3:GetObject").from, "task");
    assert_eq!(edge("s3:GetObject").via_role.as_deref(), Some("webTaskRole"));
    assert!(!edge("dynamodb:GetItem").allowed);
    assert!(g.nodes.iter().any(|n| n.kind == "secretsmanager"));
}

#[test]
fn role_errors_name_the_field() {
    let v =
        serde_json::json!([{"roleName": "r", "policies": [{"Statement": [{"Effect": "Maybe", "Action": "s3:*"}]}]}]);
    let e = Roles::from_scenario(&v, ACCOUNT).expect_err("bad effect");
    assert_eq!(e.field, "iamRoles[0].policies[0].Statement[0].Effect");
    let v = serde_json::json!([{"roleName": "r", "managedPolicies": ["MadeUpPolicy"]}]);
    assert_eq!(Roles::from_scenario(&v, ACCOUNT).expect_err("unknown").field, "iamRoles[0].managedPolicies[0]");
}
