//! The cluster at one moment, in the words an author checks a lesson with: each service's desired,
//! running and pending counts and its deployments, then the tasks in each Availability Zone and on
//! each instance (Fargate tasks by zone), and the instances' states.

use crate::model::{DeploymentStatus, InstanceStatus, RolloutState, ServiceId, TaskStatus};
use crate::scenario::LaunchType;
use crate::sim::Simulation;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Several lines, each indented by two spaces.
pub fn cluster(sim: &Simulation) -> String {
    let st = sim.state();
    let mut o = String::new();
    for (i, s) in st.services.iter().enumerate() {
        let id = ServiceId(i as u32);
        let _ = writeln!(
            o,
            "  service {}: desired {}, running {}, pending {}{}",
            s.service_name,
            s.desired_count,
            st.running_count(id),
            st.pending_count(id),
            if s.status == "ACTIVE" { String::new() } else { format!(" ({})", s.status) }
        );
        for (d_idx, d) in s.deployments.iter().enumerate() {
            if d.status == DeploymentStatus::Inactive {
                continue;
            }
            let running = st
                .service_tasks(id)
                .filter(|(_, t)| t.deployment == Some(d_idx as u32) && t.last_status == TaskStatus::Running)
                .count();
            let status = match d.status {
                DeploymentStatus::Primary => "PRIMARY",
                DeploymentStatus::Active => "ACTIVE",
                DeploymentStatus::Inactive => "INACTIVE",
            };
            let rollout = match d.rollout_state {
                RolloutState::InProgress => "IN_PROGRESS",
                RolloutState::Completed => "COMPLETED",
                RolloutState::Failed => "FAILED",
            };
            let _ = writeln!(
                o,
                "    deployment {status} {}:{}: desired {}, running {running}, {rollout}",
                d.task_def.family, d.task_def.revision, d.desired_count
            );
        }
    }
    // Live tasks by zone, then by instance (or Fargate), then by task definition and status.
    type Group = BTreeMap<String, BTreeMap<String, usize>>;
    let mut zones: BTreeMap<String, Group> = BTreeMap::new();
    for t in st.tasks.iter().filter(|t| t.is_live()) {
        let host = match (t.instance, t.launch_type) {
            (Some(i), _) => {
                let inst = &st.instances[i.idx()];
                format!("{} ({})", inst.ec2_instance_id, inst.instance_type)
            }
            (None, LaunchType::Fargate) => "Fargate".to_string(),
            (None, _) => "not placed".to_string(),
        };
        let what = format!("{}:{} {}", t.task_def.family, t.task_def.revision, t.last_status.as_str());
        *zones.entry(t.availability_zone.clone()).or_default().entry(host).or_default().entry(what).or_default() += 1;
    }
    for az in &st.azs {
        let group = zones.remove(&az.name).unwrap_or_default();
        let n: usize = group.values().flat_map(|m| m.values()).sum();
        let down = if az.available { "" } else { " (unavailable)" };
        let _ = writeln!(o, "  {}{down}: {n} task{}", az.name, if n == 1 { "" } else { "s" });
        for (host, tasks) in group {
            let list: Vec<String> = tasks.iter().map(|(w, c)| format!("{w} x{c}")).collect();
            let _ = writeln!(o, "    {host}: {}", list.join(", "));
        }
    }
    for (az, group) in zones {
        for (host, tasks) in group {
            let list: Vec<String> = tasks.iter().map(|(w, c)| format!("{w} x{c}")).collect();
            let _ = writeln!(o, "  {az} {host}: {}", list.join(", "));
        }
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for i in &st.instances {
        let s = match i.status {
            InstanceStatus::Active => "ACTIVE",
            InstanceStatus::Draining => "DRAINING",
            InstanceStatus::Inactive => continue,
        };
        *counts.entry(s).or_default() += 1;
    }
    if !counts.is_empty() {
        let list: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
        let _ = writeln!(o, "  container instances: {}", list.join(", "));
    }
    o
}
