//! Host ports, ENIs and private IPs.
//!
//! Rules implemented (Amazon ECS API reference, PortMapping `hostPort`; "Amazon ECS container agent
//! configuration"; Linux `ip-sysctl` documentation):
//! - bridge mode with `hostPort` 0 or absent: "your container automatically receives a port in the
//!   ephemeral port range for your container instance operating system and Docker version. The
//!   default ephemeral port range for Docker version 1.6.0 and later is listed on the instance under
//!   /proc/sys/net/ipv4/ip_local_port_range". The Linux default of that setting is 32768-60999
//!   ("The default values are 32768 and 60999 respectively", ip-sysctl), which is what the
//!   ECS-optimized AMIs use; `ECS_DYNAMIC_HOST_PORT_RANGE` overrides it ("the dynamic host port
//!   range that the agent uses to assign host ports from"). Like the agent's port tracker, we hand
//!   out the next free port after the last one assigned on that instance, wrapping at the top.
//! - "The default reserved ports are 22 for SSH, the Docker ports 2375 and 2376, and the Amazon ECS
//!   container agent ports 51678-51680" (PortMapping `hostPort`): never assigned, and a static
//!   `hostPort` on one of them cannot be placed.
//! - "Any host port that was previously specified in a running task is also reserved while the task
//!   is running (after a task stops, the host port is released)": a static host port (bridge with
//!   hostPort, or host mode) is bound by one task per instance; ports are freed at STOPPED.
//!   TCP and UDP are tracked separately, as Docker binds them separately.
//! - awsvpc gives each task its own ENI with a private IP from its subnet; "The first four IP
//!   addresses and the last IP address in each subnet CIDR block are not available for your use"
//!   (Amazon VPC user guide, subnet sizing).

use crate::model::{ContainerInstance, NetworkBinding, PortProto};
use crate::taskdef::{NetworkMode, TaskDefinition};
use std::collections::BTreeSet;

pub const DEFAULT_DYNAMIC_PORT_RANGE: (u16, u16) = (32768, 60999);
/// Reserved TCP host ports of a container instance (`ECS_RESERVED_PORTS` default).
pub const DEFAULT_RESERVED_PORTS: [u16; 6] = [22, 2375, 2376, 51678, 51679, 51680];

/// Why a task's ports cannot be bound on an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortConflict {
    /// A static host port is already taken (by a task or reserved by the agent).
    InUse(u16),
    /// The dynamic range has no free port left.
    RangeExhausted,
}

/// The host-port bindings a task would get on `instance`, without changing anything.
/// `cursor` is the instance's last dynamically assigned port.
pub fn plan_bindings(
    td: &TaskDefinition,
    instance: &ContainerInstance,
    cursor: u16,
    range: (u16, u16),
) -> Result<Vec<NetworkBinding>, PortConflict> {
    let mut out = Vec::new();
    plan_ports(td, instance, cursor, range, &mut Vec::new(), |name, cp, host_port, proto| {
        out.push(NetworkBinding {
            container_name: name.to_string(),
            container_port: cp,
            host_port,
            protocol: proto,
            bind_ip: "0.0.0.0".to_string(),
        })
    })?;
    Ok(out)
}

/// Whether the task's ports can be bound on `instance` (what `plan_bindings` decides, without
/// building the bindings). `scratch` is reused between calls: placement asks this of every
/// candidate instance.
pub fn ports_fit(
    td: &TaskDefinition,
    instance: &ContainerInstance,
    cursor: u16,
    range: (u16, u16),
    scratch: &mut Vec<(u16, PortProto)>,
) -> Result<(), PortConflict> {
    scratch.clear();
    plan_ports(td, instance, cursor, range, scratch, |_, _, _, _| {})
}

fn plan_ports(
    td: &TaskDefinition,
    instance: &ContainerInstance,
    cursor: u16,
    range: (u16, u16),
    mine: &mut Vec<(u16, PortProto)>,
    mut emit: impl FnMut(&str, u16, u16, PortProto),
) -> Result<(), PortConflict> {
    // awsvpc: the task has its own ENI; no instance port is consumed.
    if matches!(td.network_mode, NetworkMode::Awsvpc | NetworkMode::None) {
        return Ok(());
    }
    // Ports this task takes, checked together with the instance's (no clone of the instance's set).
    let taken = |p: (u16, PortProto), mine: &[(u16, PortProto)]| instance.used_ports.contains(&p) || mine.contains(&p);
    let mut cursor = cursor;
    for c in td.containers() {
        for pm in &c.port_mappings {
            let Some(cp) = pm.container_port else { continue };
            let cp = cp as u16;
            let proto: PortProto = pm.protocol.into();
            let host_port = match td.network_mode {
                NetworkMode::Awsvpc | NetworkMode::None => continue,
                NetworkMode::Host => cp,
                NetworkMode::Bridge => match pm.host_port {
                    Some(hp) if hp != 0 => hp as u16,
                    _ => {
                        let p = next_dynamic(|q| taken(q, mine), proto, cursor, range)
                            .ok_or(PortConflict::RangeExhausted)?;
                        cursor = p;
                        p
                    }
                },
            };
            if taken((host_port, proto), mine) {
                return Err(PortConflict::InUse(host_port));
            }
            mine.push((host_port, proto));
            emit(&c.name, cp, host_port, proto);
        }
    }
    Ok(())
}

/// The next free port after `cursor` in `range` (inclusive), wrapping once.
fn next_dynamic(
    taken: impl Fn((u16, PortProto)) -> bool,
    proto: PortProto,
    cursor: u16,
    range: (u16, u16),
) -> Option<u16> {
    let (lo, hi) = range;
    if lo > hi {
        return None;
    }
    let span = (hi - lo) as u32 + 1;
    let start = if cursor < lo || cursor >= hi { lo } else { cursor + 1 };
    for i in 0..span {
        let p = lo as u32 + ((start - lo) as u32 + i) % span;
        let p = p as u16;
        if !taken((p, proto)) {
            return Some(p);
        }
    }
    None
}

/// An IPv4 subnet handing out private addresses.
#[derive(Debug, Clone)]
pub struct Subnet {
    pub id: String,
    base: u32,
    prefix: u8,
    used: BTreeSet<u32>,
    next: u32,
}

impl Subnet {
    pub fn new(id: String, base: [u8; 4], prefix: u8) -> Self {
        Subnet { id, base: u32::from_be_bytes(base), prefix, used: BTreeSet::new(), next: 4 }
    }
    pub fn cidr(&self) -> String {
        format!("{}/{}", fmt_ip(self.base), self.prefix)
    }
    fn size(&self) -> u32 {
        1u32 << (32 - self.prefix as u32)
    }
    /// Usable addresses: all but the first four and the last.
    pub fn capacity(&self) -> u32 {
        self.size().saturating_sub(5)
    }
    pub fn in_use(&self) -> usize {
        self.used.len()
    }
    /// The next free address (offsets 4 ..= size-2), or None when the subnet is full.
    pub fn allocate(&mut self) -> Option<String> {
        let size = self.size();
        let usable = size.saturating_sub(5);
        for i in 0..usable {
            let off = 4 + (self.next - 4 + i) % usable;
            if self.used.insert(off) {
                self.next = if off + 1 > size - 2 { 4 } else { off + 1 };
                return Some(fmt_ip(self.base + off));
            }
        }
        None
    }
    pub fn release(&mut self, ip: &str) {
        if let Some(addr) = parse_ip(ip) {
            if addr >= self.base {
                self.used.remove(&(addr - self.base));
            }
        }
    }
}

pub fn fmt_ip(a: u32) -> String {
    let b = a.to_be_bytes();
    format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])
}

pub fn parse_ip(s: &str) -> Option<u32> {
    let mut parts = [0u8; 4];
    let mut it = s.split('.');
    for p in parts.iter_mut() {
        *p = it.next()?.parse().ok()?;
    }
    if it.next().is_some() {
        return None;
    }
    Some(u32::from_be_bytes(parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnet_skips_the_reserved_addresses() {
        // "The first four IP addresses and the last IP address in each subnet CIDR block are not
        // available for your use" (Amazon VPC user guide, Subnet CIDR blocks).
        let mut s = Subnet::new("subnet-a".into(), [10, 0, 1, 0], 28);
        assert_eq!(s.capacity(), 11);
        let ips: Vec<String> = (0..11).filter_map(|_| s.allocate()).collect();
        assert_eq!(ips.first().map(String::as_str), Some("10.0.1.4"));
        assert_eq!(ips.last().map(String::as_str), Some("10.0.1.14"));
        assert_eq!(s.allocate(), None);
        s.release("10.0.1.7");
        assert_eq!(s.allocate().as_deref(), Some("10.0.1.7"));
    }

    #[test]
    fn dynamic_ports_skip_taken_and_wrap() {
        let mut taken = BTreeSet::new();
        taken.insert((32769, PortProto::Tcp));
        assert_eq!(next_dynamic(|p| taken.contains(&p), PortProto::Tcp, 32768, (32768, 32770)), Some(32770));
        assert_eq!(next_dynamic(|p| taken.contains(&p), PortProto::Tcp, 32770, (32768, 32770)), Some(32768));
        taken.insert((32768, PortProto::Tcp));
        taken.insert((32770, PortProto::Tcp));
        assert_eq!(next_dynamic(|p| taken.contains(&p), PortProto::Tcp, 32768, (32768, 32770)), None);
        assert_eq!(next_dynamic(|p| taken.contains(&p), PortProto::Udp, 32768, (32768, 32770)), Some(32769));
    }
}
