//! The scenario's `vpc` at run time (rules and shapes: `crate::vpc`):
//! - load balancer health checks that a security group keeps out time out (`Target.Timeout`);
//! - a Fargate task whose subnet reaches neither the internet nor the VPC endpoints it needs stops
//!   before RUNNING with the error ECS gives (`TaskFailedToStart`);
//! - the timeline's EC2 calls (AuthorizeSecurityGroupIngress, CreateRoute, CreateNatGateway,
//!   CreateVpcEndpoint, ...) change the VPC; the next health check or pull sees the change.
//!
//! The stopped reasons, in the words ECS uses (the addresses after `dial tcp` are illustrative,
//! from the documentation range 203.0.113.0/24; AWS shows the registry's real address):
//! - "When a Fargate task is launched, its elastic network interface requires a route to the
//!   internet to pull container images" ("CannotPullContainer task errors in Amazon ECS",
//!   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html,
//!   "Connection timed out"): `CannotPullContainerError: pull image manifest has been retried 5
//!   time(s): failed to resolve ref <image>: failed to do request: Head "https://<registry>/v2/
//!   <name>/manifests/<tag>": dial tcp <ip>:443: i/o timeout`.
//! - Fargate platform 1.4.0 fetches the ECR registry credentials with the task's own network
//!   interface before pulling ("Fargate tasks using platform version 1.4.0 or later require both
//!   the com.amazonaws.region.ecr.dkr and com.amazonaws.region.ecr.api Amazon ECR VPC endpoints",
//!   https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html); without a path
//!   the task stops with `ResourceInitializationError: unable to pull secrets or registry auth:
//!   execution resource retrieval failed: unable to retrieve ecr registry auth: ...: i/o timeout`
//!   ("Troubleshooting Amazon ECS ResourceInitializationError errors",
//!   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-initialization-error.html).
//! - Image layers come from Amazon S3 ("Amazon ECR uses Amazon S3 to store your image layers"):
//!   without the S3 gateway endpoint the layer download times out.
//! - The awslogs driver creates its stream through the network interface: without the logs
//!   endpoint, `ResourceInitializationError: failed to validate logger args: ...: i/o timeout`.

use super::Simulation;
use crate::ecr::{parse_image_uri, ImageRef, Reference};
use crate::error::{ApiError, ApiResult};
use crate::model::{InstanceId, TargetGroupId, TaskId};
use crate::scenario::{CreateService, LaunchType, Scenario};
use crate::vpc::{Cidr, Ec2Request, Peer, Vpc};
use serde_json::Value;
use std::collections::BTreeMap;

/// The VPC and what the engine knows of its interfaces.
#[derive(Debug, Clone)]
pub struct VpcRuntime {
    pub vpc: Vpc,
    /// Container instances' security groups (`containerInstances[].securityGroupIds`), by
    /// instance index; instances not listed have the VPC's default group.
    instance_groups: BTreeMap<u32, Vec<String>>,
}

/// Illustrative public addresses of the endpoints a task dials (TEST-NET-3, RFC 5737).
const REGISTRY_IP: &str = "203.0.113.10";
const ECR_API_IP: &str = "203.0.113.20";
const S3_IP: &str = "203.0.113.30";
const LOGS_IP: &str = "203.0.113.40";

/// `awsvpcConfiguration` of a CreateService / RunTask `networkConfiguration`.
struct AwsVpcConfiguration {
    subnets: Vec<String>,
    security_groups: Vec<String>,
    assign_public_ip: bool,
}

fn awsvpc_configuration(nc: Option<&Value>) -> Option<AwsVpcConfiguration> {
    let c = nc?.get("awsvpcConfiguration")?;
    let list = |k: &str| -> Vec<String> {
        c.get(k)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default()
    };
    Some(AwsVpcConfiguration {
        subnets: list("subnets"),
        security_groups: list("securityGroups"),
        // "assignPublicIp ... The default value is DISABLED" (AwsVpcConfiguration).
        assign_public_ip: c.get("assignPublicIp").and_then(Value::as_str) == Some("ENABLED"),
    })
}

/// A Docker reference as containerd resolves it: `nginx:1.27` is
/// `docker.io/library/nginx:1.27`, pulled from `registry-1.docker.io`.
fn public_ref(image: &str) -> (String, String, String, String) {
    let (name, tag) = match image.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n.to_string(), t.to_string()),
        _ => (image.to_string(), "latest".to_string()),
    };
    let first = name.split('/').next().unwrap_or("");
    let has_host = name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let (host, path) = if has_host {
        let (h, p) = name.split_once('/').unwrap_or((first, ""));
        (h.to_string(), p.to_string())
    } else if name.contains('/') {
        ("docker.io".to_string(), name.clone())
    } else {
        ("docker.io".to_string(), format!("library/{name}"))
    };
    let full = format!("{host}/{path}:{tag}");
    let endpoint = if host == "docker.io" { "registry-1.docker.io".to_string() } else { host };
    (full, endpoint, path, tag)
}

impl Simulation {
    /// Read the scenario's `vpc` section and check what refers to it.
    pub(super) fn load_vpc(&mut self, scenario: &Scenario) -> ApiResult<()> {
        let Some(section) = scenario.vpc.clone() else {
            for (i, g) in scenario.container_instances.iter().enumerate() {
                if !g.security_group_ids.is_empty() {
                    return Err(ApiError::invalid(
                        format!("containerInstances[{i}].securityGroupIds"),
                        "security groups are read from the scenario's vpc.SecurityGroups: add a vpc section",
                    ));
                }
            }
            return Ok(());
        };
        let vpc = Vpc::new(section, &self.state.region)?;
        for (i, g) in scenario.container_instances.iter().enumerate() {
            for (k, id) in g.security_group_ids.iter().enumerate() {
                vpc.check_group_exists(id, &format!("containerInstances[{i}].securityGroupIds[{k}]"))?;
            }
        }
        self.vpc = Some(Box::new(VpcRuntime { vpc, instance_groups: BTreeMap::new() }));
        Ok(())
    }

    /// Remember a scenario instance's security groups.
    pub(super) fn vpc_note_instance(&mut self, id: InstanceId, groups: &[String]) {
        if let Some(v) = self.vpc.as_mut() {
            if !groups.is_empty() {
                v.instance_groups.insert(id.0, groups.to_vec());
            }
        }
    }

    /// A scenario service's task security groups must exist when the VPC describes its groups
    /// (CreateService: "Error retrieving security group information for [sg-...]").
    pub(super) fn check_service_vpc(&self, spec: &CreateService) -> ApiResult<()> {
        let Some(v) = self.vpc.as_ref() else { return Ok(()) };
        if v.vpc.section.security_groups.is_empty() {
            return Ok(());
        }
        let Some(c) = awsvpc_configuration(spec.network_configuration.as_ref()) else { return Ok(()) };
        for (k, id) in c.security_groups.iter().enumerate() {
            v.vpc.check_group_exists(id, &format!("networkConfiguration.awsvpcConfiguration.securityGroups[{k}]"))?;
        }
        Ok(())
    }

    fn task_network(&self, id: TaskId) -> Option<AwsVpcConfiguration> {
        let s = self.state.tasks.get(id.idx())?.service?;
        awsvpc_configuration(self.state.services.get(s.idx())?.spec.network_configuration.as_ref())
    }

    /// Whether the target's security groups (or the load balancer's outbound rules) keep the
    /// load balancer's health check from reaching it. False without a `vpc` section, or when the
    /// target group's load balancer is not described.
    pub(super) fn vpc_target_blocked(&self, task: TaskId, tg: TargetGroupId, target_port: u16) -> bool {
        let Some(v) = self.vpc.as_ref() else { return false };
        let Some(g) = self.state.elb.get(tg) else { return false };
        let Some(lb) = v.vpc.load_balancer_for(&g.name, &g.target_group_arn) else { return false };
        // "HealthCheckPort ... The default is traffic-port, which is the port on which each target
        // receives traffic from the load balancer" (CreateTargetGroup).
        let port = g.spec.health_check_port.as_deref().and_then(|p| p.parse::<u16>().ok()).unwrap_or(target_port);
        let Some(t) = self.state.tasks.get(task.idx()) else { return false };
        let (groups, ip) = if g.target_type == "ip" {
            // awsvpc: the task's own network interface with its own groups.
            let sgs = self.task_network(task).map(|c| c.security_groups).unwrap_or_default();
            (v.vpc.effective_groups(&sgs), t.private_ip.clone())
        } else {
            let Some(i) = t.instance else { return false };
            let sgs = v.instance_groups.get(&i.0).cloned().unwrap_or_default();
            (v.vpc.effective_groups(&sgs), self.state.instances.get(i.idx()).map(|x| x.private_ip.clone()))
        };
        let from = v.vpc.load_balancer_peer(lb);
        if from.groups.is_empty() && from.cidrs.is_empty() {
            return false;
        }
        let to = Peer { groups: groups.clone(), cidrs: ip.as_deref().and_then(Cidr::host).into_iter().collect() };
        let inbound = v.vpc.ingress_allowed(&groups, 6, port, &from);
        let outbound = lb.security_groups.is_empty() || v.vpc.egress_allowed(&lb.security_groups, 6, port, &to);
        !(inbound && outbound)
    }

    /// The stopped reason when a Fargate service task's subnet reaches neither the internet nor
    /// the endpoints its images (and awslogs) need. None without a `vpc` section, or when the
    /// task's subnets are not described.
    pub(super) fn vpc_pull_failure(&self, id: TaskId) -> Option<String> {
        let v = self.vpc.as_ref()?;
        let t = self.state.tasks.get(id.idx())?;
        if t.launch_type != LaunchType::Fargate {
            return None;
        }
        let c = self.task_network(id)?;
        // The task's subnet: the described one in the task's Availability Zone, else the first
        // described one.
        let described: Vec<&crate::vpc::Subnet> = c.subnets.iter().filter_map(|s| v.vpc.subnet(s)).collect();
        let subnet = described
            .iter()
            .find(|s| s.availability_zone.as_deref() == Some(t.availability_zone.as_str()))
            .or(described.first())?;
        let subnet = subnet.subnet_id.as_str();
        if v.vpc.internet_reachable(subnet, c.assign_public_ip) {
            return None;
        }
        let groups = v.vpc.effective_groups(&c.security_groups);
        let reach = |service: &str| v.vpc.endpoint_reachable(service, subnet, &groups, t.private_ip.as_deref());
        let region = v.vpc.region.clone();
        let td = self.state.task_defs.get(&t.task_def)?;
        let ecr_images: Vec<(&str, ImageRef)> =
            td.containers().iter().map(|c| (c.image.as_str(), parse_image_uri(&c.image))).collect();
        // 1. Registry credentials (platform 1.4.0 and later, with the task's interface).
        let new_platform = t.platform_version.as_deref().is_none_or(|p| p != "1.3.0");
        let needs_auth = ecr_images.iter().any(|(_, r)| matches!(r, ImageRef::Ecr { .. }));
        if new_platform && needs_auth && !reach("ecr.api") {
            return Some(format!(
                "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post \"https://api.ecr.{region}.amazonaws.com/\": dial tcp {ECR_API_IP}:443: i/o timeout. Please check your task network configuration."
            ));
        }
        // 2. The images, in container order.
        for (image, r) in &ecr_images {
            match r {
                ImageRef::Ecr { registry_id, region: image_region, repository, reference } => {
                    // VPC endpoints are regional: another Region's registry is on the internet.
                    let here = *image_region == region;
                    let tag = match reference {
                        Reference::Tag(t) | Reference::Digest(t) => t.clone(),
                    };
                    if !here || !reach("ecr.dkr") {
                        return Some(format!(
                            "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {image}: failed to do request: Head \"https://{registry_id}.dkr.ecr.{image_region}.amazonaws.com/v2/{repository}/manifests/{tag}\": dial tcp {REGISTRY_IP}:443: i/o timeout"
                        ));
                    }
                    if !reach("s3") {
                        return Some(format!(
                            "CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReadSeeker: failed open: failed to do request: Get \"https://prod-{region}-starport-layer-bucket.s3.{region}.amazonaws.com/\": dial tcp {S3_IP}:443: i/o timeout"
                        ));
                    }
                }
                ImageRef::Other => {
                    // A public registry has no VPC endpoint: only the internet reaches it.
                    let (full, host, path, tag) = public_ref(image);
                    return Some(format!(
                        "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {full}: failed to do request: Head \"https://{host}/v2/{path}/manifests/{tag}\": dial tcp {REGISTRY_IP}:443: i/o timeout"
                    ));
                }
            }
        }
        // 3. The awslogs driver's stream.
        let awslogs = td.containers().iter().any(|c| crate::awslogs::options(c).is_some());
        if awslogs && !reach("logs") {
            return Some(format!(
                "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: RequestError: send request failed caused by: Post \"https://logs.{region}.amazonaws.com/\": dial tcp {LOGS_IP}:443: i/o timeout : exit status 1"
            ));
        }
        None
    }

    /// The timeline's EC2 calls.
    pub(super) fn apply_ec2(&mut self, req: Ec2Request) -> ApiResult<Value> {
        let v = self.vpc.as_mut().ok_or_else(|| {
            ApiError::invalid(
                "action",
                format!("{} changes the scenario's vpc section, which this scenario has not got.", req.name()),
            )
        })?;
        v.vpc.apply(&req)
    }

    /// The VPC as it is now (the `vpc` section with the timeline's changes), if the scenario
    /// has one.
    pub fn vpc_view(&self) -> Option<&crate::vpc::VpcSection> {
        self.vpc.as_ref().map(|v| &v.vpc.section)
    }
}

#[cfg(test)]
mod tests {
    use super::public_ref;

    #[test]
    fn docker_hub_names_resolve_as_containerd_does() {
        assert_eq!(
            public_ref("nginx:1.27"),
            (
                "docker.io/library/nginx:1.27".into(),
                "registry-1.docker.io".into(),
                "library/nginx".into(),
                "1.27".into()
            )
        );
        assert_eq!(public_ref("public.ecr.aws/nginx/nginx").1, "public.ecr.aws");
        assert_eq!(public_ref("public.ecr.aws/nginx/nginx").3, "latest");
        assert_eq!(public_ref("grafana/grafana:11.0.0").2, "grafana/grafana");
    }
}
