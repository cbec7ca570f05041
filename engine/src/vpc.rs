//! The Amazon VPC around the cluster, pure parts: the scenario's `vpc` section in EC2's own
//! shapes (DescribeSecurityGroups, DescribeSubnets, DescribeRouteTables, DescribeInternetGateways,
//! DescribeNatGateways, DescribeVpcEndpoints; member names as botocore's ec2 2016-11-15 model
//! spells them) plus the ELBv2 load balancers' security groups, the rules that decide what can
//! reach what, and the EC2 calls a timeline can make to change them. The run-time side is
//! `sim::vpc`. Without a `vpc` section nothing here is consulted: every target is reachable and
//! every task can pull its images, as before.
//!
//! Rules implemented:
//! - Security groups only allow: "Security group rules are always permissive; you can't create
//!   rules that deny access" and "Security groups are stateful. For example, if you send a request
//!   from an instance, the response traffic for that request is allowed to reach the instance
//!   regardless of the inbound security group rules"
//!   (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html). A rule names a
//!   protocol (`IpProtocol` `tcp`, `udp`, `icmp`, a number, or `-1` for all), a port range
//!   (`FromPort`-`ToPort`) and a source: a CIDR (`IpRanges[].CidrIp`) or another security group
//!   (`UserIdGroupPairs[].GroupId`: "the source is the network interfaces associated with that
//!   security group", https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html).
//! - A new group's outbound rules allow everything: "When you create a security group, it has
//!   ... an outbound rule that allows all outbound traffic"; so a group without
//!   `IpPermissionsEgress` allows all outbound traffic here.
//! - Without a security group a network interface gets the VPC's default group ("If you don't
//!   specify a security group ... we use the default security group for the VPC", RunInstances;
//!   awsvpcConfiguration `securityGroups`: "If you don't specify a security group, the default
//!   security group for the VPC is used"), whose rules allow inbound traffic only from its own
//!   members and all outbound traffic (https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html).
//!   A group named `default` in `SecurityGroups` is that group; else those rules apply.
//! - The load balancer reaches targets from its own security groups ("The security groups for
//!   your load balancer must allow it to communicate with registered targets on both the listener
//!   port and the health check port", https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html),
//!   and from addresses in its subnets. A target whose groups do not let it in never answers the
//!   health check: ELBv2 reports `unhealthy` with `Target.Timeout` ("The request timed out").
//! - Routes: a subnet uses the route table explicitly associated with it, else the VPC's main
//!   route table ("Each subnet ... must be associated with a route table ... If you don't explicitly
//!   associate a subnet with a particular route table, the subnet is implicitly associated with
//!   the main route table", https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html).
//!   The internet is reached through the default route (`0.0.0.0/0`) to an internet gateway with a
//!   public IP on the interface, or to a NAT gateway that itself sits in a public subnet ("The NAT
//!   gateway must be in a public subnet", https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-scenarios.html).
//! - ECR without the internet: "com.amazonaws.region.ecr.dkr", "com.amazonaws.region.ecr.api"
//!   (Fargate platform 1.4.0 and later need both) and the Amazon S3 gateway endpoint, because
//!   image layers are stored in S3; the interface endpoints' security groups must allow HTTPS
//!   (443) from the tasks (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html).
//!   The awslogs driver needs "com.amazonaws.region.logs" the same way. A public registry (Docker
//!   Hub, Amazon ECR Public, ...) has no VPC endpoint: only the internet reaches it.
//!
//! Simplifications: one VPC (`VpcId`s are kept, not compared); network ACLs are not modelled;
//! only IPv4; a NAT gateway and a VPC endpoint created on the timeline are `available` at once
//! (AWS shows `pending` for a few minutes first); a task's outbound (egress) rules are not
//! checked for image pulls.

use crate::error::{ApiError, ApiResult};
use crate::network::parse_ip;
use crate::scenario::RuleAction;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The scenario's `vpc` section. Every list is optional; what is absent is not checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct VpcSection {
    /// DescribeSecurityGroups `SecurityGroups`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<SecurityGroup>,
    /// DescribeSubnets `Subnets`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<Subnet>,
    /// DescribeRouteTables `RouteTables`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route_tables: Vec<RouteTable>,
    /// DescribeInternetGateways `InternetGateways`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub internet_gateways: Vec<InternetGateway>,
    /// DescribeNatGateways `NatGateways`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nat_gateways: Vec<NatGateway>,
    /// DescribeVpcEndpoints `VpcEndpoints`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vpc_endpoints: Vec<VpcEndpoint>,
    /// ELBv2 load balancers (CreateLoadBalancer's `Name`, `Type`, `SecurityGroups`, `Subnets`) with
    /// their listeners (CreateListener's `Port`, `Protocol`, `DefaultActions`): which security
    /// groups the health checks and requests to a target group come from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub load_balancers: Vec<LoadBalancer>,
}

/// EC2 `SecurityGroup`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SecurityGroup {
    pub group_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// Inbound rules.
    #[serde(default)]
    pub ip_permissions: Vec<IpPermission>,
    /// Outbound rules; absent: all outbound traffic is allowed (a new group's default rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_permissions_egress: Option<Vec<IpPermission>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Value>,
}

/// EC2 `IpPermission`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct IpPermission {
    /// `tcp`, `udp`, `icmp`, a protocol number, or `-1` (all protocols, all ports).
    pub ip_protocol: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_port: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_port: Option<i32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ip_ranges: Vec<IpRange>,
    /// Accepted; IPv6 is not simulated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipv6_ranges: Vec<Value>,
    /// Accepted; managed prefix lists are not simulated (they match nothing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefix_list_ids: Vec<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_id_group_pairs: Vec<UserIdGroupPair>,
}

/// EC2 `IpRange`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct IpRange {
    pub cidr_ip: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// EC2 `UserIdGroupPair` (a security group as the source or destination of a rule).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UserIdGroupPair {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// EC2 `Subnet`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Subnet {
    pub subnet_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    pub cidr_block: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_public_ip_on_launch: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Value>,
}

/// EC2 `RouteTable`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RouteTable {
    pub route_table_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(default)]
    pub associations: Vec<RouteTableAssociation>,
    #[serde(default)]
    pub routes: Vec<Route>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Value>,
}

/// EC2 `RouteTableAssociation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RouteTableAssociation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_table_association_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_table_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub association_state: Option<Value>,
}

/// EC2 `Route`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Route {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_cidr_block: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_prefix_list_id: Option<String>,
    /// `local`, an internet gateway (`igw-...`) or a gateway endpoint (`vpce-...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nat_gateway_id: Option<String>,
    /// `active` (default) or `blackhole`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// EC2 `InternetGateway`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct InternetGateway {
    pub internet_gateway_id: String,
    #[serde(default)]
    pub attachments: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Value>,
}

/// EC2 `NatGateway`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct NatGateway {
    pub nat_gateway_id: String,
    pub subnet_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// `available` (default), `pending`, `failed`, `deleting`, `deleted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `public` (default) or `private`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connectivity_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Value>,
}

/// EC2 `VpcEndpoint`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct VpcEndpoint {
    pub vpc_endpoint_id: String,
    /// `Interface` or `Gateway` (CreateVpcEndpoint's default: "Default: Gateway").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_endpoint_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// e.g. `com.amazonaws.us-east-1.ecr.dkr`.
    pub service_name: String,
    /// `available` (default), `pending`, `deleted`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Gateway endpoints: the route tables that route to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route_table_ids: Vec<String>,
    /// Interface endpoints: the subnets of its network interfaces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnet_ids: Vec<String>,
    /// Interface endpoints: the security groups of its network interfaces (absent: the VPC's
    /// default group).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<SecurityGroupIdentifier>,
    /// Interface endpoints: whether the service's public name resolves to the endpoint
    /// (CreateVpcEndpoint: "Default: true"). Without it, tasks do not use the endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_dns_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Value>,
}

/// EC2 `SecurityGroupIdentifier`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SecurityGroupIdentifier {
    pub group_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
}

/// An ELBv2 load balancer, as far as security groups go.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct LoadBalancer {
    pub name: String,
    /// `application` (default) or `network`.
    #[serde(default, rename = "Type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// Subnets of the load balancer's nodes (its health checks come from their addresses).
    #[serde(default)]
    pub subnets: Vec<String>,
    /// CreateListener bodies without `LoadBalancerArn`. With one load balancer they may be left
    /// out: it fronts every target group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listeners: Vec<Listener>,
}

/// ELBv2 CreateListener (the members the playground reads).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Listener {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(default)]
    pub default_actions: Vec<RuleAction>,
}

/// An IPv4 CIDR block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    base: u32,
    prefix: u8,
}

impl Cidr {
    pub fn parse(s: &str) -> Option<Cidr> {
        let (ip, p) = s.split_once('/')?;
        let prefix: u8 = p.parse().ok()?;
        if prefix > 32 {
            return None;
        }
        let base = parse_ip(ip)?;
        Some(Cidr { base: base & mask(prefix), prefix })
    }
    pub fn host(ip: &str) -> Option<Cidr> {
        parse_ip(ip).map(|base| Cidr { base, prefix: 32 })
    }
    /// Whether every address of `inner` is in this block.
    pub fn contains(&self, inner: &Cidr) -> bool {
        inner.prefix >= self.prefix && inner.base & mask(self.prefix) == self.base
    }
}

fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix as u32)
    }
}

/// The other end of a connection, as a rule sees it: the security groups of its network
/// interface and its addresses.
#[derive(Debug, Clone, Default)]
pub struct Peer {
    pub groups: Vec<String>,
    pub cidrs: Vec<Cidr>,
}

/// The id standing for the VPC's default group when the scenario does not describe it.
pub const DEFAULT_GROUP: &str = "default";

/// Whether a protocol name or number is one a rule may name.
fn protocol_number(p: &str) -> Option<i32> {
    match p.to_ascii_lowercase().as_str() {
        "-1" | "all" => Some(-1),
        "tcp" => Some(6),
        "udp" => Some(17),
        "icmp" => Some(1),
        "icmpv6" => Some(58),
        n => n.parse::<i32>().ok().filter(|n| (0..=255).contains(n)),
    }
}

impl IpPermission {
    fn covers(&self, protocol: i32, port: u16) -> bool {
        let Some(p) = protocol_number(&self.ip_protocol) else { return false };
        if p == -1 {
            return true;
        }
        if p != protocol {
            return false;
        }
        // tcp/udp: the port range; "-1" on both ends means every port.
        match (self.from_port, self.to_port) {
            (Some(-1), _) | (_, Some(-1)) => true,
            (Some(a), Some(b)) => (a..=b).contains(&(port as i32)),
            (Some(a), None) => a == port as i32,
            (None, _) => p != 6 && p != 17,
        }
    }

    /// Whether this rule lets `peer` (the source of inbound traffic, or the destination of
    /// outbound traffic) through on `protocol`/`port`.
    fn allows(&self, protocol: i32, port: u16, peer: &Peer) -> bool {
        if !self.covers(protocol, port) {
            return false;
        }
        let by_group =
            self.user_id_group_pairs.iter().any(|g| g.group_id.as_ref().is_some_and(|id| peer.groups.contains(id)));
        let by_cidr = !peer.cidrs.is_empty()
            && self
                .ip_ranges
                .iter()
                .filter_map(|r| Cidr::parse(&r.cidr_ip))
                .any(|block| peer.cidrs.iter().all(|c| block.contains(c)));
        by_group || by_cidr
    }

    /// Check the members as AuthorizeSecurityGroupIngress does.
    fn validate(&self, field: &str) -> ApiResult<()> {
        let p = protocol_number(&self.ip_protocol).ok_or_else(|| {
            ApiError::new(
                "InvalidParameterValue",
                format!("{field}.IpProtocol"),
                format!("Invalid value '{}' for IP protocol. Unknown protocol.", self.ip_protocol),
            )
        })?;
        if p == 6 || p == 17 {
            let (Some(a), Some(b)) = (self.from_port, self.to_port) else {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    format!("{field}.FromPort"),
                    "FromPort and ToPort are required for tcp and udp rules.",
                ));
            };
            let ok = (a == -1 && b == -1) || ((0..=65535).contains(&a) && (0..=65535).contains(&b) && a <= b);
            if !ok {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    format!("{field}.ToPort"),
                    format!("Invalid port range {a}-{b}: ports are 0-65535 and FromPort <= ToPort."),
                ));
            }
        }
        for (k, r) in self.ip_ranges.iter().enumerate() {
            if Cidr::parse(&r.cidr_ip).is_none() {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    format!("{field}.IpRanges[{k}].CidrIp"),
                    format!("CIDR block {} is malformed", r.cidr_ip),
                ));
            }
        }
        for (k, g) in self.user_id_group_pairs.iter().enumerate() {
            if g.group_id.is_none() {
                return Err(ApiError::new(
                    "MissingParameter",
                    format!("{field}.UserIdGroupPairs[{k}].GroupId"),
                    "A source security group needs its GroupId.",
                ));
            }
        }
        Ok(())
    }
}

/// What keeps a task from reaching a service it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Yes,
    No,
}

/// The validated `vpc` section, changed by the timeline's EC2 calls.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Vpc {
    pub section: VpcSection,
    pub region: String,
    /// Resources created on the timeline (for their ids).
    created: u32,
}

fn not_found(code: &'static str, field: impl Into<String>, what: &str, id: &str) -> ApiError {
    ApiError::new(code, field, format!("The {what} '{id}' does not exist"))
}

impl Vpc {
    /// Validate the section: ids unique, references resolve, CIDRs and rules well formed.
    pub fn new(section: VpcSection, region: &str) -> ApiResult<Vpc> {
        let v = Vpc { section, region: region.to_string(), created: 0 };
        v.validate()?;
        Ok(v)
    }

    fn validate(&self) -> ApiResult<()> {
        let s = &self.section;
        let dup = |ids: Vec<&str>, field: &str| -> ApiResult<()> {
            for (i, id) in ids.iter().enumerate() {
                if ids[..i].contains(id) {
                    return Err(ApiError::invalid(format!("vpc.{field}[{i}]"), format!("Duplicate id '{id}'")));
                }
            }
            Ok(())
        };
        dup(s.security_groups.iter().map(|g| g.group_id.as_str()).collect(), "SecurityGroups")?;
        dup(s.subnets.iter().map(|g| g.subnet_id.as_str()).collect(), "Subnets")?;
        dup(s.route_tables.iter().map(|g| g.route_table_id.as_str()).collect(), "RouteTables")?;
        dup(s.nat_gateways.iter().map(|g| g.nat_gateway_id.as_str()).collect(), "NatGateways")?;
        dup(s.vpc_endpoints.iter().map(|g| g.vpc_endpoint_id.as_str()).collect(), "VpcEndpoints")?;
        dup(s.load_balancers.iter().map(|g| g.name.as_str()).collect(), "LoadBalancers")?;
        for (i, g) in s.security_groups.iter().enumerate() {
            for (k, p) in g.ip_permissions.iter().enumerate() {
                p.validate(&format!("vpc.SecurityGroups[{i}].IpPermissions[{k}]"))?;
                self.check_group_refs(p, &format!("vpc.SecurityGroups[{i}].IpPermissions[{k}]"))?;
            }
            for (k, p) in g.ip_permissions_egress.iter().flatten().enumerate() {
                p.validate(&format!("vpc.SecurityGroups[{i}].IpPermissionsEgress[{k}]"))?;
                self.check_group_refs(p, &format!("vpc.SecurityGroups[{i}].IpPermissionsEgress[{k}]"))?;
            }
        }
        for (i, sn) in s.subnets.iter().enumerate() {
            if Cidr::parse(&sn.cidr_block).is_none() {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    format!("vpc.Subnets[{i}].CidrBlock"),
                    format!(
                        "Value ({}) for parameter cidrBlock is invalid. This is not a valid CIDR block.",
                        sn.cidr_block
                    ),
                ));
            }
        }
        for (i, rt) in s.route_tables.iter().enumerate() {
            for (k, a) in rt.associations.iter().enumerate() {
                if let Some(sn) = &a.subnet_id {
                    self.subnet(sn).ok_or_else(|| {
                        not_found(
                            "InvalidSubnetID.NotFound",
                            format!("vpc.RouteTables[{i}].Associations[{k}].SubnetId"),
                            "subnet ID",
                            sn,
                        )
                    })?;
                }
            }
            for (k, r) in rt.routes.iter().enumerate() {
                self.check_route(r, &format!("vpc.RouteTables[{i}].Routes[{k}]"))?;
            }
        }
        for (i, n) in s.nat_gateways.iter().enumerate() {
            self.subnet(&n.subnet_id).ok_or_else(|| {
                not_found(
                    "InvalidSubnetID.NotFound",
                    format!("vpc.NatGateways[{i}].SubnetId"),
                    "subnet ID",
                    &n.subnet_id,
                )
            })?;
        }
        for (i, e) in s.vpc_endpoints.iter().enumerate() {
            self.check_endpoint(e, &format!("vpc.VpcEndpoints[{i}]"))?;
        }
        for (i, lb) in s.load_balancers.iter().enumerate() {
            for (k, g) in lb.security_groups.iter().enumerate() {
                self.group(g).ok_or_else(|| {
                    not_found(
                        "InvalidGroup.NotFound",
                        format!("vpc.LoadBalancers[{i}].SecurityGroups[{k}]"),
                        "security group",
                        g,
                    )
                })?;
            }
            for (k, sn) in lb.subnets.iter().enumerate() {
                self.subnet(sn).ok_or_else(|| {
                    not_found(
                        "InvalidSubnetID.NotFound",
                        format!("vpc.LoadBalancers[{i}].Subnets[{k}]"),
                        "subnet ID",
                        sn,
                    )
                })?;
            }
            if let Some(t) = &lb.kind {
                if t != "application" && t != "network" {
                    return Err(ApiError::invalid(
                        format!("vpc.LoadBalancers[{i}].Type"),
                        format!("'{t}' is not a valid load balancer type: application or network."),
                    ));
                }
            }
        }
        if s.load_balancers.len() > 1 {
            if let Some(i) = s.load_balancers.iter().position(|lb| lb.listeners.is_empty()) {
                return Err(ApiError::invalid(
                    format!("vpc.LoadBalancers[{i}].Listeners"),
                    "With more than one load balancer, each needs Listeners whose DefaultActions forward to its target groups.",
                ));
            }
        }
        Ok(())
    }

    fn check_group_refs(&self, p: &IpPermission, field: &str) -> ApiResult<()> {
        for (k, g) in p.user_id_group_pairs.iter().enumerate() {
            if let Some(id) = &g.group_id {
                if self.group(id).is_none() && id != DEFAULT_GROUP {
                    return Err(not_found(
                        "InvalidGroup.NotFound",
                        format!("{field}.UserIdGroupPairs[{k}].GroupId"),
                        "security group",
                        id,
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_route(&self, r: &Route, field: &str) -> ApiResult<()> {
        if let Some(c) = &r.destination_cidr_block {
            if Cidr::parse(c).is_none() {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    format!("{field}.DestinationCidrBlock"),
                    format!(
                        "Value ({c}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block."
                    ),
                ));
            }
        }
        if let Some(g) = &r.gateway_id {
            let known = g == "local"
                || (g.starts_with("igw-")
                    && self.section.internet_gateways.iter().any(|x| x.internet_gateway_id == *g))
                || (g.starts_with("vpce-") && self.section.vpc_endpoints.iter().any(|x| x.vpc_endpoint_id == *g));
            if !known {
                return Err(not_found("InvalidGatewayID.NotFound", format!("{field}.GatewayId"), "gateway ID", g));
            }
        }
        if let Some(n) = &r.nat_gateway_id {
            if self.nat(n).is_none() {
                return Err(not_found(
                    "InvalidNatGatewayID.NotFound",
                    format!("{field}.NatGatewayId"),
                    "natGateway ID",
                    n,
                ));
            }
        }
        Ok(())
    }

    fn check_endpoint(&self, e: &VpcEndpoint, field: &str) -> ApiResult<()> {
        let kind = e.vpc_endpoint_type.as_deref().unwrap_or("Gateway");
        let service = e.service_name.rsplit('.').next().unwrap_or("");
        let gateway_service = e.service_name == format!("com.amazonaws.{}.s3", self.region)
            || e.service_name == format!("com.amazonaws.{}.dynamodb", self.region);
        match kind {
            "Gateway" if !gateway_service => {
                return Err(ApiError::invalid(
                    format!("{field}.VpcEndpointType"),
                    format!(
                        "The Vpc Endpoint Service '{}' does not support endpoint type 'Gateway' (only Amazon S3 and DynamoDB have gateway endpoints; use Interface).",
                        e.service_name
                    ),
                ));
            }
            "Gateway" | "Interface" | "GatewayLoadBalancer" => {}
            other => {
                return Err(ApiError::invalid(
                    format!("{field}.VpcEndpointType"),
                    format!("'{other}' is not a VpcEndpointType: Interface, Gateway or GatewayLoadBalancer."),
                ))
            }
        }
        if service.is_empty() || !e.service_name.starts_with("com.amazonaws.") {
            return Err(ApiError::invalid(
                format!("{field}.ServiceName"),
                format!(
                    "'{}' is not an AWS service name such as com.amazonaws.{}.ecr.dkr",
                    e.service_name, self.region
                ),
            ));
        }
        for (k, rt) in e.route_table_ids.iter().enumerate() {
            self.route_table(rt).ok_or_else(|| {
                not_found("InvalidRouteTableID.NotFound", format!("{field}.RouteTableIds[{k}]"), "routeTable ID", rt)
            })?;
        }
        for (k, sn) in e.subnet_ids.iter().enumerate() {
            self.subnet(sn).ok_or_else(|| {
                not_found("InvalidSubnetID.NotFound", format!("{field}.SubnetIds[{k}]"), "subnet ID", sn)
            })?;
        }
        for (k, g) in e.groups.iter().enumerate() {
            if self.group(&g.group_id).is_none() {
                return Err(not_found(
                    "InvalidGroup.NotFound",
                    format!("{field}.Groups[{k}].GroupId"),
                    "security group",
                    &g.group_id,
                ));
            }
        }
        Ok(())
    }

    pub fn group(&self, id: &str) -> Option<&SecurityGroup> {
        self.section.security_groups.iter().find(|g| g.group_id == id)
    }
    pub fn subnet(&self, id: &str) -> Option<&Subnet> {
        self.section.subnets.iter().find(|s| s.subnet_id == id)
    }
    fn route_table(&self, id: &str) -> Option<&RouteTable> {
        self.section.route_tables.iter().find(|r| r.route_table_id == id)
    }
    fn nat(&self, id: &str) -> Option<&NatGateway> {
        self.section.nat_gateways.iter().find(|n| n.nat_gateway_id == id)
    }

    /// An error naming `field` when a security group id does not exist (CreateService /
    /// RunInstances answer "The security group '<id>' does not exist").
    pub fn check_group_exists(&self, id: &str, field: &str) -> ApiResult<()> {
        if self.group(id).is_some() {
            return Ok(());
        }
        Err(ApiError::invalid(
            field,
            format!("Error retrieving security group information for [{id}]: The security group '{id}' does not exist (ErrorCode: InvalidGroup.NotFound)"),
        ))
    }

    /// The groups an interface has: the given ones, else the VPC's default group.
    pub fn effective_groups(&self, ids: &[String]) -> Vec<String> {
        if !ids.is_empty() {
            return ids.to_vec();
        }
        let default = self.section.security_groups.iter().find(|g| g.group_name.as_deref() == Some("default"));
        vec![default.map_or_else(|| DEFAULT_GROUP.to_string(), |g| g.group_id.clone())]
    }

    /// Whether traffic from `peer` on `protocol`/`port` gets into an interface with `groups`.
    pub fn ingress_allowed(&self, groups: &[String], protocol: i32, port: u16, peer: &Peer) -> bool {
        groups.iter().any(|id| match self.group(id) {
            Some(g) => g.ip_permissions.iter().any(|p| p.allows(protocol, port, peer)),
            // The undescribed default group: inbound from its own members only.
            None => id == DEFAULT_GROUP && peer.groups.iter().any(|g| g == DEFAULT_GROUP),
        })
    }

    /// Whether an interface with `groups` may send to `peer` on `protocol`/`port`.
    pub fn egress_allowed(&self, groups: &[String], protocol: i32, port: u16, peer: &Peer) -> bool {
        groups.iter().any(|id| match self.group(id).and_then(|g| g.ip_permissions_egress.as_ref()) {
            Some(rules) => rules.iter().any(|p| p.allows(protocol, port, peer)),
            None => true,
        })
    }

    /// The load balancer in front of a target group (by the group's name or ARN), if described.
    pub fn load_balancer_for(&self, target_group_name: &str, target_group_arn: &str) -> Option<&LoadBalancer> {
        let lbs = &self.section.load_balancers;
        if lbs.len() == 1 && lbs[0].listeners.is_empty() {
            return lbs.first();
        }
        let names = |a: &RuleAction| -> Vec<String> {
            let mut v: Vec<String> = a.target_group_arn.iter().cloned().collect();
            if let Some(f) = &a.forward_config {
                v.extend(f.target_groups.iter().map(|t| t.target_group_arn.clone()));
            }
            v
        };
        lbs.iter().find(|lb| {
            lb.listeners
                .iter()
                .flat_map(|l| l.default_actions.iter())
                .flat_map(names)
                .any(|n| n == target_group_name || n == target_group_arn)
        })
    }

    /// Where a load balancer's requests come from: its security groups and its subnets' blocks.
    pub fn load_balancer_peer(&self, lb: &LoadBalancer) -> Peer {
        Peer {
            groups: lb.security_groups.clone(),
            cidrs: lb
                .subnets
                .iter()
                .filter_map(|s| self.subnet(s))
                .filter_map(|s| Cidr::parse(&s.cidr_block))
                .collect(),
        }
    }

    /// The route table a subnet uses: its explicit association, else the main table.
    pub fn route_table_of(&self, subnet: &str) -> Option<&RouteTable> {
        let rts = &self.section.route_tables;
        rts.iter()
            .find(|rt| rt.associations.iter().any(|a| a.subnet_id.as_deref() == Some(subnet)))
            .or_else(|| rts.iter().find(|rt| rt.associations.iter().any(|a| a.main == Some(true))))
    }

    fn default_route<'a>(&self, rt: &'a RouteTable) -> Option<&'a Route> {
        rt.routes.iter().find(|r| {
            r.destination_cidr_block.as_deref() == Some("0.0.0.0/0") && r.state.as_deref() != Some("blackhole")
        })
    }

    /// Whether an interface in `subnet` reaches the internet: a default route to an internet
    /// gateway (with a public IP) or to an available public NAT gateway in a public subnet.
    pub fn internet_reachable(&self, subnet: &str, public_ip: bool) -> bool {
        self.internet_path(subnet, public_ip, 0)
    }

    fn internet_path(&self, subnet: &str, public_ip: bool, depth: u8) -> bool {
        let Some(route) = self.route_table_of(subnet).and_then(|rt| self.default_route(rt)) else { return false };
        if let Some(g) = &route.gateway_id {
            if g.starts_with("igw-") {
                return public_ip;
            }
        }
        if let Some(n) = route.nat_gateway_id.as_deref().and_then(|n| self.nat(n)) {
            let available = n.state.as_deref().unwrap_or("available") == "available";
            let public = n.connectivity_type.as_deref().unwrap_or("public") == "public";
            // The NAT gateway's own traffic leaves through its subnet's internet gateway, with
            // its Elastic IP.
            return available && public && depth == 0 && self.internet_path(&n.subnet_id, true, depth + 1);
        }
        false
    }

    /// Whether a task interface in `subnet` with `groups` and address `ip` reaches the AWS
    /// service `service` (e.g. `ecr.dkr`) through a VPC endpoint.
    pub fn endpoint_reachable(&self, service: &str, subnet: &str, groups: &[String], ip: Option<&str>) -> bool {
        let name = format!("com.amazonaws.{}.{service}", self.region);
        let available =
            |e: &&VpcEndpoint| e.service_name == name && e.state.as_deref().unwrap_or("available") == "available";
        let kind = |e: &VpcEndpoint| e.vpc_endpoint_type.clone().unwrap_or_else(|| "Gateway".into());
        if service == "s3" {
            // Gateway endpoint: a route in the subnet's route table.
            let Some(rt) = self.route_table_of(subnet) else { return false };
            return self
                .section
                .vpc_endpoints
                .iter()
                .filter(available)
                .filter(|e| kind(e) == "Gateway")
                .any(|e| e.route_table_ids.contains(&rt.route_table_id));
        }
        let mut cidrs: Vec<Cidr> = ip.and_then(Cidr::host).into_iter().collect();
        if cidrs.is_empty() {
            cidrs.extend(self.subnet(subnet).and_then(|s| Cidr::parse(&s.cidr_block)));
        }
        let peer = Peer { groups: groups.to_vec(), cidrs };
        self.section.vpc_endpoints.iter().filter(available).filter(|e| kind(e) == "Interface").any(|e| {
            let groups: Vec<String> = e.groups.iter().map(|g| g.group_id.clone()).collect();
            e.private_dns_enabled.unwrap_or(true)
                && self.ingress_allowed(&self.effective_groups(&groups), 6, 443, &peer)
        })
    }

    /// Apply one of the timeline's EC2 calls; the answer in the API's response shape.
    pub fn apply(&mut self, req: &Ec2Request) -> ApiResult<Value> {
        match req {
            Ec2Request::AuthorizeSecurityGroupIngress(r) => self.authorize(r, false),
            Ec2Request::AuthorizeSecurityGroupEgress(r) => self.authorize(r, true),
            Ec2Request::RevokeSecurityGroupIngress(r) => self.revoke(r, false),
            Ec2Request::RevokeSecurityGroupEgress(r) => self.revoke(r, true),
            Ec2Request::CreateRoute(r) => self.create_route(r),
            Ec2Request::CreateNatGateway(r) => self.create_nat_gateway(r),
            Ec2Request::CreateVpcEndpoint(r) => self.create_vpc_endpoint(r),
        }
    }

    fn group_mut(&mut self, id: &str) -> ApiResult<&mut SecurityGroup> {
        self.section
            .security_groups
            .iter_mut()
            .find(|g| g.group_id == id)
            .ok_or_else(|| not_found("InvalidGroup.NotFound", "input.GroupId", "security group", id))
    }

    fn authorize(&mut self, r: &SecurityGroupRulesRequest, egress: bool) -> ApiResult<Value> {
        for (k, p) in r.ip_permissions.iter().enumerate() {
            p.validate(&format!("input.IpPermissions[{k}]"))?;
            self.check_group_refs(p, &format!("input.IpPermissions[{k}]"))?;
        }
        let g = self.group_mut(&r.group_id)?;
        let rules = if egress { g.ip_permissions_egress.get_or_insert_with(Vec::new) } else { &mut g.ip_permissions };
        for p in &r.ip_permissions {
            if rules.contains(p) {
                return Err(ApiError::new(
                    "InvalidPermission.Duplicate",
                    "input.IpPermissions",
                    "the specified rule already exists",
                ));
            }
        }
        rules.extend(r.ip_permissions.iter().cloned());
        Ok(json!({"Return": true}))
    }

    fn revoke(&mut self, r: &SecurityGroupRulesRequest, egress: bool) -> ApiResult<Value> {
        let g = self.group_mut(&r.group_id)?;
        let rules = if egress { g.ip_permissions_egress.get_or_insert_with(Vec::new) } else { &mut g.ip_permissions };
        for p in &r.ip_permissions {
            let Some(k) = rules.iter().position(|x| x == p) else {
                return Err(ApiError::new(
                    "InvalidPermission.NotFound",
                    "input.IpPermissions",
                    "The specified rule does not exist in this security group.",
                ));
            };
            rules.remove(k);
        }
        Ok(json!({"Return": true}))
    }

    fn create_route(&mut self, r: &CreateRouteRequest) -> ApiResult<Value> {
        let route = Route {
            destination_cidr_block: Some(r.destination_cidr_block.clone()),
            gateway_id: r.gateway_id.clone(),
            nat_gateway_id: r.nat_gateway_id.clone(),
            state: Some("active".into()),
            origin: Some("CreateRoute".into()),
            ..Default::default()
        };
        if r.gateway_id.is_some() == r.nat_gateway_id.is_some() {
            return Err(ApiError::new(
                "InvalidParameterCombination",
                "input",
                "Give exactly one route target: GatewayId or NatGatewayId.",
            ));
        }
        self.check_route(&route, "input")?;
        let rt =
            self.section.route_tables.iter_mut().find(|t| t.route_table_id == r.route_table_id).ok_or_else(|| {
                not_found("InvalidRouteTableID.NotFound", "input.RouteTableId", "routeTable ID", &r.route_table_id)
            })?;
        if rt.routes.iter().any(|x| x.destination_cidr_block == route.destination_cidr_block) {
            return Err(ApiError::new(
                "RouteAlreadyExists",
                "input.DestinationCidrBlock",
                format!("The route identified by {} already exists.", r.destination_cidr_block),
            ));
        }
        rt.routes.push(route);
        Ok(json!({"Return": true}))
    }

    /// A deterministic id for a resource created on the timeline (no RNG draw, so the rest of
    /// the run is what it would have been).
    fn new_id(&mut self, prefix: &str, seed: &str) -> String {
        self.created += 1;
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in seed.bytes().chain(self.created.to_le_bytes()) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{prefix}-0{:016x}", h)
    }

    fn create_nat_gateway(&mut self, r: &CreateNatGatewayRequest) -> ApiResult<Value> {
        self.subnet(&r.subnet_id)
            .ok_or_else(|| not_found("InvalidSubnetID.NotFound", "input.SubnetId", "subnet ID", &r.subnet_id))?;
        let ct = r.connectivity_type.clone().unwrap_or_else(|| "public".into());
        if ct != "public" && ct != "private" {
            return Err(ApiError::invalid("input.ConnectivityType", "ConnectivityType is public or private."));
        }
        let id = self.new_id("nat", &r.subnet_id);
        let nat = NatGateway {
            nat_gateway_id: id.clone(),
            subnet_id: r.subnet_id.clone(),
            vpc_id: self.subnet(&r.subnet_id).and_then(|s| s.vpc_id.clone()),
            state: Some("available".into()),
            connectivity_type: Some(ct),
            tags: None,
        };
        self.section.nat_gateways.push(nat.clone());
        Ok(json!({"NatGateway": nat}))
    }

    fn create_vpc_endpoint(&mut self, r: &CreateVpcEndpointRequest) -> ApiResult<Value> {
        let id = self.new_id("vpce", &r.service_name);
        let e = VpcEndpoint {
            vpc_endpoint_id: id,
            vpc_endpoint_type: Some(r.vpc_endpoint_type.clone().unwrap_or_else(|| "Gateway".into())),
            vpc_id: Some(r.vpc_id.clone()),
            service_name: r.service_name.clone(),
            state: Some("available".into()),
            route_table_ids: r.route_table_ids.clone(),
            subnet_ids: r.subnet_ids.clone(),
            groups: r
                .security_group_ids
                .iter()
                .map(|g| SecurityGroupIdentifier { group_id: g.clone(), group_name: None })
                .collect(),
            private_dns_enabled: r.private_dns_enabled,
            tags: None,
        };
        let mut err = self.check_endpoint(&e, "input");
        if let Err(x) = &mut err {
            // Name the request's members, not the described shape's.
            x.field = x.field.replace("input.Groups", "input.SecurityGroupIds").replace("].GroupId", "]");
        }
        err?;
        self.section.vpc_endpoints.push(e.clone());
        Ok(json!({"VpcEndpoint": e}))
    }
}

/// The EC2 calls a timeline can make (request members as the EC2 API names them).
#[derive(Debug, Clone, PartialEq)]
pub enum Ec2Request {
    AuthorizeSecurityGroupIngress(SecurityGroupRulesRequest),
    AuthorizeSecurityGroupEgress(SecurityGroupRulesRequest),
    RevokeSecurityGroupIngress(SecurityGroupRulesRequest),
    RevokeSecurityGroupEgress(SecurityGroupRulesRequest),
    CreateRoute(CreateRouteRequest),
    CreateNatGateway(CreateNatGatewayRequest),
    CreateVpcEndpoint(CreateVpcEndpointRequest),
}

/// Every EC2 action name a timeline accepts.
pub const EC2_ACTIONS: &[&str] = &[
    "AuthorizeSecurityGroupIngress",
    "AuthorizeSecurityGroupEgress",
    "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",
    "CreateRoute",
    "CreateNatGateway",
    "CreateVpcEndpoint",
];

impl Ec2Request {
    pub fn name(&self) -> &'static str {
        match self {
            Ec2Request::AuthorizeSecurityGroupIngress(_) => "AuthorizeSecurityGroupIngress",
            Ec2Request::AuthorizeSecurityGroupEgress(_) => "AuthorizeSecurityGroupEgress",
            Ec2Request::RevokeSecurityGroupIngress(_) => "RevokeSecurityGroupIngress",
            Ec2Request::RevokeSecurityGroupEgress(_) => "RevokeSecurityGroupEgress",
            Ec2Request::CreateRoute(_) => "CreateRoute",
            Ec2Request::CreateNatGateway(_) => "CreateNatGateway",
            Ec2Request::CreateVpcEndpoint(_) => "CreateVpcEndpoint",
        }
    }

    pub fn parse(action: &str, input: &Value) -> ApiResult<Ec2Request> {
        use crate::command::parse;
        Ok(match action {
            "AuthorizeSecurityGroupIngress" => Ec2Request::AuthorizeSecurityGroupIngress(parse(input)?),
            "AuthorizeSecurityGroupEgress" => Ec2Request::AuthorizeSecurityGroupEgress(parse(input)?),
            "RevokeSecurityGroupIngress" => Ec2Request::RevokeSecurityGroupIngress(parse(input)?),
            "RevokeSecurityGroupEgress" => Ec2Request::RevokeSecurityGroupEgress(parse(input)?),
            "CreateRoute" => Ec2Request::CreateRoute(parse(input)?),
            "CreateNatGateway" => Ec2Request::CreateNatGateway(parse(input)?),
            "CreateVpcEndpoint" => Ec2Request::CreateVpcEndpoint(parse(input)?),
            _ => return Err(crate::command::unknown_action(action)),
        })
    }

    pub fn to_value(&self) -> Result<Value, serde_json::Error> {
        match self {
            Ec2Request::AuthorizeSecurityGroupIngress(r)
            | Ec2Request::AuthorizeSecurityGroupEgress(r)
            | Ec2Request::RevokeSecurityGroupIngress(r)
            | Ec2Request::RevokeSecurityGroupEgress(r) => serde_json::to_value(r),
            Ec2Request::CreateRoute(r) => serde_json::to_value(r),
            Ec2Request::CreateNatGateway(r) => serde_json::to_value(r),
            Ec2Request::CreateVpcEndpoint(r) => serde_json::to_value(r),
        }
    }
}

/// AuthorizeSecurityGroupIngress / Egress and RevokeSecurityGroupIngress / Egress:
/// `GroupId` and `IpPermissions`
/// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SecurityGroupRulesRequest {
    pub group_id: String,
    pub ip_permissions: Vec<IpPermission>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
}

/// CreateRoute: `RouteTableId`, `DestinationCidrBlock` and one target
/// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateRouteRequest {
    pub route_table_id: String,
    pub destination_cidr_block: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nat_gateway_id: Option<String>,
}

/// CreateNatGateway: `SubnetId`, `AllocationId` (the Elastic IP), `ConnectivityType`
/// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html). The new
/// gateway's id is derived from the request (no random draw): the answer and the log carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateNatGatewayRequest {
    pub subnet_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connectivity_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag_specifications: Option<Value>,
}

/// CreateVpcEndpoint: `VpcId`, `ServiceName`, `VpcEndpointType` (default Gateway),
/// `RouteTableIds`, `SubnetIds`, `SecurityGroupIds`, `PrivateDnsEnabled`
/// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateVpcEndpointRequest {
    pub vpc_id: String,
    pub service_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_endpoint_type: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route_table_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnet_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_group_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_dns_enabled: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perm(proto: &str, from: i32, to: i32, cidr: Option<&str>, group: Option<&str>) -> IpPermission {
        IpPermission {
            ip_protocol: proto.into(),
            from_port: Some(from),
            to_port: Some(to),
            ip_ranges: cidr.map(|c| IpRange { cidr_ip: c.into(), description: None }).into_iter().collect(),
            user_id_group_pairs: group
                .map(|g| UserIdGroupPair { group_id: Some(g.into()), ..Default::default() })
                .into_iter()
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn cidr_containment() {
        let all = Cidr::parse("0.0.0.0/0").expect("cidr");
        let vpc = Cidr::parse("10.0.0.0/16").expect("cidr");
        let sub = Cidr::parse("10.0.3.0/24").expect("cidr");
        assert!(all.contains(&vpc) && vpc.contains(&sub) && !sub.contains(&vpc));
        assert!(Cidr::parse("10.0.0.0/33").is_none() && Cidr::parse("10.0.0/16").is_none());
    }

    #[test]
    fn a_rule_from_a_group_lets_only_that_group_in_on_its_ports() {
        // https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html: a security
        // group as the source allows "the network interfaces associated with that security group".
        let p = perm("tcp", 32768, 65535, None, Some("sg-alb"));
        let alb = Peer { groups: vec!["sg-alb".into()], cidrs: vec![] };
        let other = Peer { groups: vec!["sg-other".into()], cidrs: vec![] };
        assert!(p.allows(6, 32768, &alb) && p.allows(6, 65535, &alb));
        assert!(!p.allows(6, 80, &alb), "80 is outside 32768-65535");
        assert!(!p.allows(17, 40000, &alb), "udp is not tcp");
        assert!(!p.allows(6, 40000, &other));
        let all = perm("-1", 0, 0, Some("10.0.0.0/16"), None);
        let inside = Peer { groups: vec![], cidrs: vec![Cidr::parse("10.0.1.0/24").expect("cidr")] };
        assert!(all.allows(6, 1, &inside) && all.allows(17, 9, &inside));
    }

    #[test]
    fn malformed_rules_name_the_field() {
        let err = perm("tcp", 80, 70, None, Some("sg-a")).validate("x").expect_err("bad range");
        assert_eq!(err.field, "x.ToPort");
        let err = perm("tcpp", 80, 80, None, None).validate("x").expect_err("bad protocol");
        assert_eq!(err.field, "x.IpProtocol");
        let err = perm("tcp", 80, 80, Some("10.0.0.0/99"), None).validate("x").expect_err("bad cidr");
        assert_eq!(err.field, "x.IpRanges[0].CidrIp");
    }
}
