//! Built-in table of common EC2 instance types: vCPUs, memory and the maximum number of network
//! interfaces (ENIs), from the EC2 instance type documentation ("Amazon EC2 instance type
//! specifications" and "Maximum IP addresses per network interface"). Checked entry by entry
//! against the `ENILimit` values of aws/amazon-vpc-cni-k8s `pkg/vpc/vpc_ip_resource_limit.go`,
//! which is generated from the EC2 DescribeInstanceTypes API; they all agree (t3a.small: 2 ENIs,
//! unlike t3.small's 3).
//!
//! ECS registers an instance's CPU as 1,024 units per vCPU ("Amazon ECS container instance CPU:
//! 1,024 CPU units per vCPU"). Registered memory is what the OS reports after the kernel and the
//! agent take their share, so it is below the nominal figure; see `registered_memory_mib`.
//! With `awsvpc`, each task needs its own ENI and the instance's primary ENI is not available to
//! tasks, so an instance runs at most `max_enis - 1` awsvpc tasks (without ENI trunking).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceType {
    pub name: &'static str,
    pub vcpus: u32,
    pub memory_mib: u32,
    pub max_enis: u32,
}

macro_rules! types {
    ($( $name:literal => $vcpu:literal, $gib:literal, $enis:literal; )*) => {
        &[ $( InstanceType { name: $name, vcpus: $vcpu, memory_mib: ($gib * 1024.0) as u32, max_enis: $enis }, )* ]
    };
}

pub static INSTANCE_TYPES: &[InstanceType] = types! {
    "t2.nano" => 1, 0.5, 2; "t2.micro" => 1, 1.0, 2; "t2.small" => 1, 2.0, 3; "t2.medium" => 2, 4.0, 3;
    "t2.large" => 2, 8.0, 3; "t2.xlarge" => 4, 16.0, 3; "t2.2xlarge" => 8, 32.0, 3;
    "t3.nano" => 2, 0.5, 2; "t3.micro" => 2, 1.0, 2; "t3.small" => 2, 2.0, 3; "t3.medium" => 2, 4.0, 3;
    "t3.large" => 2, 8.0, 3; "t3.xlarge" => 4, 16.0, 4; "t3.2xlarge" => 8, 32.0, 4;
    "t3a.nano" => 2, 0.5, 2; "t3a.micro" => 2, 1.0, 2; "t3a.small" => 2, 2.0, 2; "t3a.medium" => 2, 4.0, 3;
    "t3a.large" => 2, 8.0, 3; "t3a.xlarge" => 4, 16.0, 4; "t3a.2xlarge" => 8, 32.0, 4;
    "m5.large" => 2, 8.0, 3; "m5.xlarge" => 4, 16.0, 4; "m5.2xlarge" => 8, 32.0, 4; "m5.4xlarge" => 16, 64.0, 8;
    "m5.8xlarge" => 32, 128.0, 8; "m5.12xlarge" => 48, 192.0, 8; "m5.16xlarge" => 64, 256.0, 15; "m5.24xlarge" => 96, 384.0, 15;
    "m6i.large" => 2, 8.0, 3; "m6i.xlarge" => 4, 16.0, 4; "m6i.2xlarge" => 8, 32.0, 4; "m6i.4xlarge" => 16, 64.0, 8;
    "m6i.8xlarge" => 32, 128.0, 8; "m6i.12xlarge" => 48, 192.0, 8; "m6i.16xlarge" => 64, 256.0, 15;
    "m6i.24xlarge" => 96, 384.0, 15; "m6i.32xlarge" => 128, 512.0, 15;
    "c5.large" => 2, 4.0, 3; "c5.xlarge" => 4, 8.0, 4; "c5.2xlarge" => 8, 16.0, 4; "c5.4xlarge" => 16, 32.0, 8;
    "c5.9xlarge" => 36, 72.0, 8; "c5.12xlarge" => 48, 96.0, 8; "c5.18xlarge" => 72, 144.0, 15; "c5.24xlarge" => 96, 192.0, 15;
    "c6i.large" => 2, 4.0, 3; "c6i.xlarge" => 4, 8.0, 4; "c6i.2xlarge" => 8, 16.0, 4; "c6i.4xlarge" => 16, 32.0, 8;
    "c6i.8xlarge" => 32, 64.0, 8; "c6i.12xlarge" => 48, 96.0, 8; "c6i.16xlarge" => 64, 128.0, 15;
    "c6i.24xlarge" => 96, 192.0, 15; "c6i.32xlarge" => 128, 256.0, 15;
    "r5.large" => 2, 16.0, 3; "r5.xlarge" => 4, 32.0, 4; "r5.2xlarge" => 8, 64.0, 4; "r5.4xlarge" => 16, 128.0, 8;
    "r5.8xlarge" => 32, 256.0, 8; "r5.12xlarge" => 48, 384.0, 8; "r5.16xlarge" => 64, 512.0, 15; "r5.24xlarge" => 96, 768.0, 15;
};

pub fn lookup(name: &str) -> Option<&'static InstanceType> {
    INSTANCE_TYPES.iter().find(|t| t.name == name)
}

impl InstanceType {
    /// CPU units ECS registers: 1,024 per vCPU.
    pub fn registered_cpu(&self) -> u32 {
        self.vcpus * 1024
    }

    /// Memory ECS registers for tasks. "Because of platform memory overhead and memory occupied by
    /// the system kernel, this number is different than the installed memory amount that is
    /// advertised for Amazon EC2 instances" ("Container instance memory management"): the agent
    /// registers what the OS reports as total memory. The guide's one worked example is an
    /// `m4.large`, 8 GiB installed, whose OS reports 8373026816 bytes, "which translates to 7985
    /// MiB available for tasks". We scale that ratio (7985/8192, the kernel's share growing with
    /// memory size) to every type, so an 8 GiB type registers exactly the documented 7985 MiB.
    /// (An earlier model here took 3% + 64 MiB, 7883 MiB for 8 GiB: 102 MiB below the documented
    /// figure.) Real values differ slightly by AMI and kernel; `ECS_RESERVED_MEMORY` ("the agent
    /// registers the total memory minus 256 MiB") is subtracted on top by the caller.
    pub fn registered_memory_mib(&self) -> u32 {
        (self.memory_mib as u64 * 7985 / 8192) as u32
    }

    /// Tasks in `awsvpc` mode this instance can host: one ENI each, the primary ENI excluded.
    pub fn awsvpc_task_limit(&self) -> u32 {
        self.max_enis.saturating_sub(1)
    }

    /// The instance family, e.g. `m5` for `m5.large`.
    pub fn family(&self) -> &'static str {
        self.name.split('.').next().unwrap_or(self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_required_family_is_in_the_table() {
        for fam in ["t3", "t3a", "m5", "m6i", "c5", "c6i", "r5"] {
            assert!(INSTANCE_TYPES.iter().any(|t| t.family() == fam), "{fam} missing");
        }
    }

    #[test]
    fn cpu_is_1024_units_per_vcpu() {
        let m5 = lookup("m5.xlarge").expect("m5.xlarge in table");
        assert_eq!(m5.registered_cpu(), 4096);
        assert!(m5.registered_memory_mib() < 16 * 1024);
    }

    #[test]
    fn registered_memory_matches_the_documented_m4_large() {
        // "This instance has 8373026816 bytes of total memory, which translates to 7985 MiB
        // available for tasks" (m4.large, 8 GiB; Container instance memory management).
        assert_eq!(lookup("m5.large").map(|t| t.registered_memory_mib()), Some(7985));
    }

    #[test]
    fn awsvpc_limit_excludes_primary_eni() {
        // "by default a c5.large instance may have up to three ENIs attached to it. The primary
        // network interface for the instance counts as one ... you can typically only run two such
        // tasks on this instance type" (Elastic network interface trunking).
        assert_eq!(lookup("c5.large").map(|t| t.awsvpc_task_limit()), Some(2));
    }
}
