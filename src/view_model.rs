//! Plain data the components draw, derived from engine state in one pass per frame.
//! This is a projection of `ecs_sim::sim::State`: no rule of ECS is decided here.

use ecs_sim::model::{InstanceStatus, TaskStatus};
use ecs_sim::scenario::LaunchType;
use ecs_sim::Simulation;

#[derive(Clone, Debug, PartialEq)]
pub struct ClusterVm {
    pub cluster_name: String,
    pub region: String,
    pub now_s: f64,
    pub azs: Vec<AzVm>,
    pub services: Vec<ServiceVm>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AzVm {
    pub name: String,
    pub available: bool,
    pub subnet: String,
    pub instances: Vec<InstanceVm>,
    /// Fargate tasks live in the subnet, not on an instance.
    pub fargate_tasks: Vec<TaskVm>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct InstanceVm {
    pub id: String,
    pub instance_type: String,
    pub status: &'static str,
    pub cpu_used: u32,
    pub cpu_total: u32,
    pub mem_used: u32,
    pub mem_total: u32,
    pub host_ports: Vec<u16>,
    pub tasks: Vec<TaskVm>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TaskVm {
    pub id: String,
    pub short_id: String,
    pub family_revision: String,
    pub revision: u32,
    pub status: &'static str,
    pub desired: &'static str,
    pub ports: Vec<(u16, u16)>,
    pub private_ip: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceVm {
    pub name: String,
    pub desired: u32,
    pub running: u32,
    pub pending: u32,
    pub events: Vec<(f64, String)>,
}

fn status_str(s: TaskStatus) -> &'static str {
    s.as_str()
}

pub fn build(sim: &Simulation) -> ClusterVm {
    let st = sim.state();
    let task_vm = |i: usize| {
        let t = &st.tasks[i];
        TaskVm {
            id: t.task_arn.clone(),
            short_id: t.task_id.chars().take(8).collect(),
            family_revision: format!("{}:{}", t.task_def.family, t.task_def.revision),
            revision: t.task_def.revision,
            status: status_str(t.last_status),
            desired: match t.desired_status {
                ecs_sim::model::DesiredStatus::Running => "RUNNING",
                ecs_sim::model::DesiredStatus::Stopped => "STOPPED",
            },
            ports: t.bindings.iter().map(|b| (b.container_port, b.host_port)).collect(),
            private_ip: t.private_ip.clone(),
        }
    };
    let mut azs: Vec<AzVm> = st
        .azs
        .iter()
        .map(|a| AzVm {
            name: a.name.clone(),
            available: a.available,
            subnet: format!("{} {}", a.subnet_id, a.subnet_cidr),
            instances: Vec::new(),
            fargate_tasks: Vec::new(),
        })
        .collect();
    for inst in &st.instances {
        if inst.status == InstanceStatus::Inactive {
            continue;
        }
        let Some(az) = azs.get_mut(inst.az.idx()) else { continue };
        az.instances.push(InstanceVm {
            id: inst.ec2_instance_id.clone(),
            instance_type: inst.instance_type.to_string(),
            status: match inst.status {
                InstanceStatus::Active => "ACTIVE",
                InstanceStatus::Draining => "DRAINING",
                InstanceStatus::Inactive => "INACTIVE",
            },
            cpu_used: inst.used_cpu,
            cpu_total: inst.registered_cpu,
            mem_used: inst.used_memory,
            mem_total: inst.registered_memory,
            host_ports: inst
                .used_ports
                .iter()
                .map(|p| p.0)
                .filter(|p| !ecs_sim::network::DEFAULT_RESERVED_PORTS.contains(p))
                .collect(),
            tasks: inst.tasks.iter().map(|t| task_vm(t.idx())).collect(),
        });
    }
    for (i, t) in st.tasks.iter().enumerate() {
        if t.launch_type == LaunchType::Fargate && t.is_live() {
            if let Some(az) = azs.get_mut(t.az.idx()) {
                az.fargate_tasks.push(task_vm(i));
            }
        }
    }
    let services = st
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let id = ecs_sim::model::ServiceId(i as u32);
            ServiceVm {
                name: s.service_name.clone(),
                desired: s.desired_count,
                running: st.running_count(id),
                pending: st.pending_count(id),
                events: s.events.iter().take(20).map(|e| (e.created_at as f64 / 1000.0, e.message.clone())).collect(),
            }
        })
        .collect();
    ClusterVm {
        cluster_name: st.cluster_name.clone(),
        region: st.region.clone(),
        now_s: sim.now() as f64 / 1000.0,
        azs,
        services,
    }
}
