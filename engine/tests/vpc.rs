//! The scenario's `vpc` section: security groups between the load balancer and its targets, and
//! the network path a Fargate task in a private subnet needs to pull its images. Each test quotes
//! the AWS documentation a user can check it against.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod common;
use common::*;
use serde_json::{json, Value};

/// EC2 container instances in bridge mode behind an ALB; the instances' security group lets the
/// ALB in on port 80 only: the classic mistake with dynamic host ports.
fn bridge_scenario() -> Value {
    json!({
        "seed": 7,
        "cluster": "playground",
        "availabilityZones": ["us-east-1a", "us-east-1b"],
        "containerInstances": [
            {"instanceType": "m5.large", "availabilityZone": "us-east-1a", "securityGroupIds": ["sg-0instances"]},
            {"instanceType": "m5.large", "availabilityZone": "us-east-1b", "securityGroupIds": ["sg-0instances"]}
        ],
        "taskDefinitions": [{
            "family": "web", "networkMode": "bridge", "requiresCompatibilities": ["EC2"],
            "containerDefinitions": [{"name": "web", "image": "public.ecr.aws/nginx/nginx:1.27", "cpu": 256,
                "memory": 512, "essential": true, "portMappings": [{"containerPort": 80, "hostPort": 0, "protocol": "tcp"}]}]
        }],
        "targetGroups": [{"Name": "web-tg", "Protocol": "HTTP", "Port": 80, "TargetType": "instance",
            "HealthCheckPath": "/", "HealthCheckIntervalSeconds": 10, "HealthyThresholdCount": 2,
            "UnhealthyThresholdCount": 2,
            "Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]}],
        "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 2, "launchType": "EC2",
            "loadBalancers": [{"targetGroupArn": "web-tg", "containerName": "web", "containerPort": 80}]}],
        "vpc": {
            "SecurityGroups": [
                {"GroupId": "sg-0alb", "GroupName": "web-alb", "IpPermissions": [
                    {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]},
                {"GroupId": "sg-0instances", "GroupName": "ecs-instances", "IpPermissions": [
                    {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": "sg-0alb"}]}]}
            ],
            "LoadBalancers": [{"Name": "web-alb", "Type": "application", "SecurityGroups": ["sg-0alb"]}]
        }
    })
}

fn dynamic_range_rule() -> Value {
    json!({"IpProtocol": "tcp", "FromPort": 32768, "ToPort": 65535, "UserIdGroupPairs": [{"GroupId": "sg-0alb"}]})
}

/// Target states at or before `t` seconds.
fn states_until(sim: &ecs_sim::Simulation, t: f64) -> Vec<(String, String)> {
    target_changes(sim).into_iter().filter(|c| c.0 <= t).map(|c| (c.3, c.4)).collect()
}

/// "The security groups for your load balancer must allow it to communicate with registered
/// targets on both the listener port and the health check port"; for dynamic ports the container
/// instances' group must allow "the ephemeral port range" from the load balancer's group
/// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html,
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_portmappings).
/// A health check that cannot get in times out: ELBv2's reason `Target.Timeout`
/// (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html),
/// and ECS's service event says "(reason Request timed out)".
#[test]
fn missing_ingress_for_dynamic_ports_leaves_every_target_unhealthy_with_target_timeout() {
    let sim = run_value(&bridge_scenario(), 300);
    let states = states_until(&sim, 300.0);
    assert!(states.iter().all(|(s, _)| s != "healthy"), "no target ever healthy: {states:?}");
    let unhealthy: Vec<_> = states.iter().filter(|(s, _)| s == "unhealthy").collect();
    assert!(unhealthy.len() >= 2, "{states:?}");
    assert!(unhealthy.iter().all(|(_, r)| r == "Target.Timeout"), "{unhealthy:?}");
    let ev = events(&sim);
    assert!(ev
        .iter()
        .any(|(_, m)| m.contains("is unhealthy in (target-group") && m.contains("(reason Request timed out)")));
    // ECS replaces tasks whose targets are unhealthy: more tasks stopped than the service wants.
    let stopped = task_changes(&sim).iter().filter(|c| c.2 == "STOPPED").count();
    assert!(stopped >= 2, "tasks replaced: {stopped}");
    // The same scenario with the rule in place: healthy.
    let mut fixed = bridge_scenario();
    fixed["vpc"]["SecurityGroups"][1]["IpPermissions"].as_array_mut().unwrap().push(dynamic_range_rule());
    let sim = run_value(&fixed, 120);
    let snap = sim.snapshot();
    let t = targets(&snap);
    assert_eq!(t.len(), 2);
    assert!(t.iter().all(|x| x["TargetHealth"]["State"] == "healthy"), "{t:?}");
}

/// AuthorizeSecurityGroupIngress on the timeline: the next health checks reach the targets.
#[test]
fn authorize_security_group_ingress_on_the_timeline_makes_new_targets_healthy() {
    let mut sc = bridge_scenario();
    sc["timeline"] = json!([{"at": 300, "action": "AuthorizeSecurityGroupIngress",
        "input": {"GroupId": "sg-0instances", "IpPermissions": [dynamic_range_rule()]}}]);
    let sim = run_value(&sc, 420);
    assert!(states_until(&sim, 300.0).iter().all(|(s, _)| s != "healthy"));
    let snap = sim.snapshot();
    let healthy = targets(&snap).iter().filter(|x| x["TargetHealth"]["State"] == "healthy").count();
    assert_eq!(healthy, 2, "{:?}", targets(&snap));
    let api: Vec<_> =
        entries(&sim, "ApiCall").filter(|e| e.detail["eventName"] == "AuthorizeSecurityGroupIngress").collect();
    assert_eq!(api.len(), 1);
    assert!(api[0].detail.get("errorCode").is_none(), "{}", api[0].detail);
}

/// A CIDR source works too when it covers the load balancer's subnets ("the source can be ... a
/// CIDR block", security group rules), and an outbound rule on the ALB's group that stops at
/// port 80 blocks the health checks just as well.
#[test]
fn cidr_sources_and_the_load_balancers_outbound_rules_count() {
    let mut sc = bridge_scenario();
    sc["vpc"]["Subnets"] = json!([
        {"SubnetId": "subnet-0pub-a", "AvailabilityZone": "us-east-1a", "CidrBlock": "10.0.0.0/24"},
        {"SubnetId": "subnet-0pub-b", "AvailabilityZone": "us-east-1b", "CidrBlock": "10.0.1.0/24"}
    ]);
    sc["vpc"]["LoadBalancers"][0]["Subnets"] = json!(["subnet-0pub-a", "subnet-0pub-b"]);
    sc["vpc"]["SecurityGroups"][1]["IpPermissions"] =
        json!([{"IpProtocol": "tcp", "FromPort": 32768, "ToPort": 65535, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}]);
    let snap = run_value(&sc, 120).snapshot();
    assert!(targets(&snap).iter().all(|x| x["TargetHealth"]["State"] == "healthy"));
    // Only one of the two subnets covered: the other node's checks fail.
    sc["vpc"]["SecurityGroups"][1]["IpPermissions"][0]["IpRanges"][0]["CidrIp"] = json!("10.0.0.0/24");
    let sim = run_value(&sc, 120);
    assert!(states_until(&sim, 120.0).iter().all(|(s, _)| s != "healthy"));
    // Inbound open, but the ALB's group may only send to port 80.
    let mut sc = bridge_scenario();
    sc["vpc"]["SecurityGroups"][1]["IpPermissions"].as_array_mut().unwrap().push(dynamic_range_rule());
    sc["vpc"]["SecurityGroups"][0]["IpPermissionsEgress"] = json!([{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": "sg-0instances"}]}]);
    let sim = run_value(&sc, 120);
    let states = states_until(&sim, 120.0);
    assert!(states.iter().any(|(s, r)| s == "unhealthy" && r == "Target.Timeout"), "{states:?}");
}

/// awsvpc: "each task ... has its own elastic network interface" with the security groups of the
/// service's `networkConfiguration.awsvpcConfiguration.securityGroups`, and the target is the
/// task's IP and container port (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html,
/// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html): the
/// rule must allow the container port from the ALB's group.
#[test]
fn awsvpc_tasks_have_their_own_security_groups() {
    let mut sc = bridge_scenario();
    sc["containerInstances"] = json!([]);
    sc["taskDefinitions"][0] = json!({
        "family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
        "containerDefinitions": [{"name": "web", "image": "public.ecr.aws/nginx/nginx:1.27", "essential": true,
            "portMappings": [{"containerPort": 8080, "protocol": "tcp"}]}]
    });
    sc["targetGroups"][0]["TargetType"] = json!("ip");
    sc["targetGroups"][0]["Port"] = json!(8080);
    sc["services"][0]["launchType"] = json!("FARGATE");
    sc["services"][0]["loadBalancers"][0]["containerPort"] = json!(8080);
    sc["services"][0]["networkConfiguration"] = json!({"awsvpcConfiguration": {
        "subnets": ["subnet-0a", "subnet-0b"], "securityGroups": ["sg-0task"], "assignPublicIp": "ENABLED"}});
    // The task group allows 80 from the ALB, not the container port 8080.
    sc["vpc"]["SecurityGroups"][1] = json!({"GroupId": "sg-0task", "GroupName": "web-tasks", "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": "sg-0alb"}]}]});
    let sim = run_value(&sc, 120);
    let states = states_until(&sim, 120.0);
    assert!(states.iter().all(|(s, _)| s != "healthy"), "{states:?}");
    assert!(states.iter().any(|(s, r)| s == "unhealthy" && r == "Target.Timeout"), "{states:?}");
    sc["vpc"]["SecurityGroups"][1]["IpPermissions"][0]["FromPort"] = json!(8080);
    sc["vpc"]["SecurityGroups"][1]["IpPermissions"][0]["ToPort"] = json!(8080);
    let snap = run_value(&sc, 120).snapshot();
    let t = targets(&snap);
    assert_eq!(t.len(), 2);
    assert!(t.iter().all(|x| x["TargetHealth"]["State"] == "healthy" && x["Target"]["Port"] == 8080), "{t:?}");
    // No securityGroups: the VPC's default group, which only lets its own members in.
    sc["services"][0]["networkConfiguration"]["awsvpcConfiguration"].as_object_mut().unwrap().remove("securityGroups");
    let sim = run_value(&sc, 120);
    assert!(states_until(&sim, 120.0).iter().all(|(s, _)| s != "healthy"));
}

/// A Fargate service in private subnets (no public IP), with a public subnet whose route table
/// goes to an internet gateway.
fn private_scenario() -> Value {
    json!({
        "seed": 3,
        "cluster": "playground",
        "availabilityZones": ["us-east-1a", "us-east-1b"],
        "taskDefinitions": [
            {"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
             "containerDefinitions": [{"name": "web", "image": "public.ecr.aws/nginx/nginx:1.27", "essential": true}]},
            {"family": "api", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
             "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
             "containerDefinitions": [{"name": "api", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.0", "essential": true}]}
        ],
        "services": [
            {"serviceName": "web", "taskDefinition": "web", "desiredCount": 1, "launchType": "FARGATE",
             "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-0priv-a", "subnet-0priv-b"],
                "securityGroups": ["sg-0task"], "assignPublicIp": "DISABLED"}}},
            {"serviceName": "api", "taskDefinition": "api", "desiredCount": 1, "launchType": "FARGATE",
             "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-0priv-a", "subnet-0priv-b"],
                "securityGroups": ["sg-0task"], "assignPublicIp": "DISABLED"}}}
        ],
        "vpc": {
            "SecurityGroups": [{"GroupId": "sg-0task", "GroupName": "tasks", "IpPermissions": []},
                               {"GroupId": "sg-0endpoints", "GroupName": "endpoints", "IpPermissions": [
                                   {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "UserIdGroupPairs": [{"GroupId": "sg-0task"}]}]}],
            "Subnets": [
                {"SubnetId": "subnet-0pub-a", "AvailabilityZone": "us-east-1a", "CidrBlock": "10.0.0.0/24"},
                {"SubnetId": "subnet-0pub-b", "AvailabilityZone": "us-east-1b", "CidrBlock": "10.0.1.0/24"},
                {"SubnetId": "subnet-0priv-a", "AvailabilityZone": "us-east-1a", "CidrBlock": "10.0.10.0/24"},
                {"SubnetId": "subnet-0priv-b", "AvailabilityZone": "us-east-1b", "CidrBlock": "10.0.11.0/24"}
            ],
            "InternetGateways": [{"InternetGatewayId": "igw-0main"}],
            "RouteTables": [
                {"RouteTableId": "rtb-0public", "Associations": [{"SubnetId": "subnet-0pub-a"}, {"SubnetId": "subnet-0pub-b"}],
                 "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"},
                            {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-0main"}]},
                {"RouteTableId": "rtb-0private", "Associations": [{"SubnetId": "subnet-0priv-a"}, {"SubnetId": "subnet-0priv-b"}],
                 "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"}]}
            ]
        }
    })
}

/// Stopped reasons of a service's tasks by `t` seconds.
fn stopped_reasons(sim: &ecs_sim::Simulation, group: &str) -> Vec<String> {
    task_changes(sim)
        .into_iter()
        .filter(|c| c.2 == "STOPPED" && c.4["group"] == group)
        .map(|c| c.4["stoppedReason"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn running(sim: &ecs_sim::Simulation, service_name: &str) -> u64 {
    service(&sim.snapshot(), service_name)["runningCount"].as_u64().unwrap_or(0)
}

/// "When a Fargate task is launched, its elastic network interface requires a route to the
/// internet to pull container images ... For tasks in private subnets, specify DISABLED for
/// Auto-assign public IP when launching the task, and configure a NAT gateway in your VPC to route
/// requests to the internet"
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html);
/// Fargate 1.4.0 fetches ECR credentials over the task's interface first
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-initialization-error.html).
#[test]
fn private_subnet_without_nat_or_endpoints_cannot_pull() {
    let sim = run_value(&private_scenario(), 300);
    assert_eq!(running(&sim, "web"), 0);
    assert_eq!(running(&sim, "api"), 0);
    let web = stopped_reasons(&sim, "service:web");
    assert!(!web.is_empty());
    assert!(
        web.iter().all(|r| r.starts_with("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref public.ecr.aws/nginx/nginx:1.27: failed to do request: Head \"https://public.ecr.aws/v2/nginx/nginx/manifests/1.27\": dial tcp ")
            && r.ends_with(":443: i/o timeout")),
        "{web:?}"
    );
    let api = stopped_reasons(&sim, "service:api");
    assert!(
        api.iter().all(|r| r.starts_with("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth")
            && r.contains("https://api.ecr.us-east-1.amazonaws.com/") && r.contains("i/o timeout")),
        "{api:?}"
    );
    let codes: Vec<_> = task_changes(&sim).into_iter().filter(|c| c.2 == "STOPPED").map(|c| c.3).collect();
    assert!(codes.iter().all(|c| c == "TaskFailedToStart"), "{codes:?}");
    // A public IP in a private subnet changes nothing: its default route is not an internet gateway.
    let mut sc = private_scenario();
    sc["services"][0]["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"] = json!("ENABLED");
    assert_eq!(running(&run_value(&sc, 300), "web"), 0);
    // In the public subnets with a public IP the same task runs ("For tasks in public subnets,
    // specify ENABLED for Auto-assign public IP").
    sc["services"][0]["networkConfiguration"]["awsvpcConfiguration"]["subnets"] =
        json!(["subnet-0pub-a", "subnet-0pub-b"]);
    assert_eq!(running(&run_value(&sc, 300), "web"), 1);
}

/// With a NAT gateway in a public subnet and a default route to it, both services pull.
#[test]
fn a_nat_gateway_route_lets_private_tasks_pull() {
    let mut sc = private_scenario();
    sc["vpc"]["NatGateways"] =
        json!([{"NatGatewayId": "nat-0a1b2c3d4e5f60718", "SubnetId": "subnet-0pub-a", "State": "available"}]);
    sc["vpc"]["RouteTables"][1]["Routes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-0a1b2c3d4e5f60718"}));
    let sim = run_value(&sc, 300);
    assert_eq!((running(&sim, "web"), running(&sim, "api")), (1, 1));
    assert!(stopped_reasons(&sim, "service:web").is_empty());
    // A NAT gateway placed in a private subnet does not help ("The NAT gateway must be in a
    // public subnet").
    sc["vpc"]["NatGateways"][0]["SubnetId"] = json!("subnet-0priv-a");
    assert_eq!(running(&run_value(&sc, 300), "web"), 0);
}

/// On the timeline: ECR's VPC endpoints (ecr.api, ecr.dkr, the S3 gateway) let the ECR image in
/// but not the public one; CreateNatGateway plus CreateRoute let everything in
/// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html: "Amazon ECS tasks
/// hosted on Fargate using platform version 1.4.0 or later require both the
/// com.amazonaws.region.ecr.dkr and com.amazonaws.region.ecr.api Amazon ECR VPC endpoints as well
/// as the Amazon S3 gateway endpoint").
#[test]
fn endpoints_then_a_nat_gateway_on_the_timeline() {
    let endpoint = |svc: &str, kind: &str| {
        let mut input = json!({"VpcId": "vpc-0main", "ServiceName": format!("com.amazonaws.us-east-1.{svc}"), "VpcEndpointType": kind});
        if kind == "Interface" {
            input["SubnetIds"] = json!(["subnet-0priv-a", "subnet-0priv-b"]);
            input["SecurityGroupIds"] = json!(["sg-0endpoints"]);
        } else {
            input["RouteTableIds"] = json!(["rtb-0private"]);
        }
        json!({"at": 600, "action": "CreateVpcEndpoint", "input": input})
    };
    let mut sc = private_scenario();
    sc["timeline"] = json!([endpoint("ecr.api", "Interface"), endpoint("ecr.dkr", "Interface"), endpoint("s3", "Gateway"),
        {"at": 1500, "action": "CreateNatGateway", "input": {"SubnetId": "subnet-0pub-a", "AllocationId": "eipalloc-0123456789abcdef0"}}]);
    let sim = run_value(&sc, 1400);
    assert_eq!(running(&sim, "api"), 1, "ECR through the endpoints");
    assert_eq!(running(&sim, "web"), 0, "a public registry has no VPC endpoint");
    // The NAT gateway's id is in CreateNatGateway's answer; a route to it is still needed.
    let nat = entries(&run_value(&sc, 1500), "ApiCall")
        .find(|e| e.detail["eventName"] == "CreateNatGateway")
        .and_then(|e| e.detail["responseElements"]["NatGateway"]["NatGatewayId"].as_str().map(str::to_string))
        .expect("NAT gateway id");
    let mut timeline = sc["timeline"].as_array().unwrap().clone();
    timeline.push(json!({"at": 1510, "action": "CreateRoute", "input": {"RouteTableId": "rtb-0private",
        "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat}}));
    sc["timeline"] = json!(timeline);
    let sim = run_value(&sc, 1500 + 27 * 60 + 120);
    assert_eq!(running(&sim, "web"), 1, "through the NAT gateway");
    // Without the S3 gateway endpoint the layers cannot be downloaded.
    let mut sc = private_scenario();
    sc["timeline"] = json!([endpoint("ecr.api", "Interface"), endpoint("ecr.dkr", "Interface")]);
    let sim = run_value(&sc, 1200);
    assert_eq!(running(&sim, "api"), 0);
    let api = stopped_reasons(&sim, "service:api");
    assert!(
        api.last().is_some_and(|r| r
            .starts_with("CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy")
            && r.contains(".s3.us-east-1.amazonaws.com")),
        "{api:?}"
    );
    // Endpoints whose security group does not let the tasks in on 443 are as good as none.
    let mut sc = private_scenario();
    sc["vpc"]["SecurityGroups"][1]["IpPermissions"] = json!([]);
    sc["timeline"] =
        json!([endpoint("ecr.api", "Interface"), endpoint("ecr.dkr", "Interface"), endpoint("s3", "Gateway")]);
    assert_eq!(running(&run_value(&sc, 1400), "api"), 0);
}

/// Bad input names the field; unknown members are refused.
#[test]
fn malformed_vpc_input_names_the_field() {
    let load = |v: &Value| ecs_sim::load(&v.to_string(), None).map(|_| ()).expect_err("refused");
    let mut sc = bridge_scenario();
    sc["vpc"]["SecurityGroups"][1]["IpPermissions"][0]["ToPort"] = json!(70000);
    assert_eq!(load(&sc).field, "vpc.SecurityGroups[1].IpPermissions[0].ToPort");
    let mut sc = bridge_scenario();
    sc["vpc"]["SecurityGroups"][1]["IpPermissions"][0]["UserIdGroupPairs"][0]["GroupId"] = json!("sg-0nope");
    let e = load(&sc);
    assert_eq!(e.field, "vpc.SecurityGroups[1].IpPermissions[0].UserIdGroupPairs[0].GroupId");
    assert!(e.message.contains("sg-0nope"), "{e}");
    let mut sc = bridge_scenario();
    sc["containerInstances"][0]["securityGroupIds"] = json!(["sg-0missing"]);
    assert_eq!(load(&sc).field, "containerInstances[0].securityGroupIds[0]");
    let mut sc = bridge_scenario();
    sc["vpc"]["SecurityGroups"][0]["IpPermission"] = json!([]);
    let e = load(&sc);
    assert!(e.field.starts_with("vpc.SecurityGroups[0]") && e.message.contains("IpPermission"), "{e}");
    let mut sc = private_scenario();
    sc["vpc"]["RouteTables"][1]["Routes"][0]["NatGatewayId"] = json!("nat-0nope");
    assert_eq!(load(&sc).field, "vpc.RouteTables[1].Routes[0].NatGatewayId");
    let mut sc = private_scenario();
    sc["services"][0]["networkConfiguration"]["awsvpcConfiguration"]["securityGroups"] = json!(["sg-0typo"]);
    assert_eq!(load(&sc).field, "services[0].networkConfiguration.awsvpcConfiguration.securityGroups[0]");
    // ECR's registry endpoint is an interface endpoint, not a gateway.
    let mut sc = private_scenario();
    sc["timeline"] = json!([{"at": 10, "action": "CreateVpcEndpoint", "input": {"VpcId": "vpc-0main",
        "ServiceName": "com.amazonaws.us-east-1.ecr.dkr"}}]);
    let sim = run_value(&sc, 20);
    let call = entries(&sim, "ApiCall").find(|e| e.detail["eventName"] == "CreateVpcEndpoint").expect("call");
    assert!(call.detail["errorMessage"].as_str().unwrap_or_default().contains("Gateway"), "{}", call.detail);
    // A timeline EC2 call in a scenario without a vpc section is an error, not a silent no-op.
    let mut sc = bridge_scenario();
    sc.as_object_mut().unwrap().remove("vpc");
    for g in sc["containerInstances"].as_array_mut().unwrap() {
        g.as_object_mut().unwrap().remove("securityGroupIds");
    }
    sc["timeline"] = json!([{"at": 10, "action": "AuthorizeSecurityGroupIngress",
        "input": {"GroupId": "sg-0instances", "IpPermissions": [dynamic_range_rule()]}}]);
    let sim = run_value(&sc, 20);
    let call =
        entries(&sim, "ApiCall").find(|e| e.detail["eventName"] == "AuthorizeSecurityGroupIngress").expect("call");
    assert!(call.detail.get("errorCode").is_some(), "{}", call.detail);
}

/// CreateService on the timeline is checked as a `services` entry is (one handler for both):
/// a task security group the VPC does not describe is refused, and no service is created
/// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html:
/// "All specified security groups must be from the same VPC").
#[test]
fn timeline_create_service_checks_security_groups_like_the_services_section() {
    let mut sc = private_scenario();
    let mut svc = sc["services"][0].clone();
    svc["serviceName"] = json!("web-2");
    svc["networkConfiguration"]["awsvpcConfiguration"]["securityGroups"] = json!(["sg-0typo"]);
    sc["timeline"] = json!([{"at": 10, "action": "CreateService", "input": svc}]);
    let sim = run_value(&sc, 20);
    let calls: Vec<_> = entries(&sim, "ApiCall").filter(|e| e.detail["eventName"] == "CreateService").collect();
    let failed = calls.last().expect("the timeline's call is logged");
    assert!(failed.detail["errorMessage"].as_str().unwrap_or_default().contains("sg-0typo"), "{}", failed.detail);
    assert!(sim.state().service_by_name("web-2").is_none());
}
