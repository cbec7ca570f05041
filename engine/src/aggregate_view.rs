//! The cluster at quota scale, aggregated: per Availability Zone, per instance group (instance
//! type and capacity provider), how many container instances there are, how much CPU and memory
//! is registered and used, how the instances spread over bands of free CPU and free memory (the
//! picture's heat), and how many tasks are in each lifecycle state. One chip per task cannot be
//! read (or drawn at 60 frames per second) with ECS's quotas of 5,000 container instances per
//! cluster and 5,000 tasks per service
//! (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html), so above
//! `AGGREGATE_ABOVE_INSTANCES` instances or `AGGREGATE_ABOVE_TASKS` live tasks the app draws
//! this instead. Pure arithmetic over the state: the app draws it and decides nothing.
//!
//! Free resources are what the scheduler sees: registered minus what the instance's tasks hold
//! ("remainingResources" of DescribeContainerInstances,
//! https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerInstance.html).

use crate::model::{InstanceStatus, TaskStatus};
use crate::scenario::LaunchType;
use crate::Simulation;

/// Above this many container instances (not INACTIVE) the picture aggregates.
pub const AGGREGATE_ABOVE_INSTANCES: usize = 200;
/// Above this many live tasks (not STOPPED) the picture aggregates.
pub const AGGREGATE_ABOVE_TASKS: usize = 1000;
/// Bands of free CPU / memory: [0, 20 %), [20 %, 40 %), [40 %, 60 %), [60 %, 80 %), [80 %, 100 %].
pub const HEAT_BANDS: usize = 5;

/// Live tasks by lifecycle state, in the three groups the map's legend uses
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TaskCounts {
    /// PROVISIONING, PENDING, ACTIVATING.
    pub starting: u32,
    /// RUNNING.
    pub running: u32,
    /// DEACTIVATING, STOPPING, DEPROVISIONING.
    pub stopping: u32,
}

impl TaskCounts {
    pub fn total(&self) -> u32 {
        self.starting + self.running + self.stopping
    }
    fn add(&mut self, s: TaskStatus) {
        match s {
            TaskStatus::Running => self.running += 1,
            TaskStatus::Stopped => {}
            s if s.is_pending() => self.starting += 1,
            _ => self.stopping += 1,
        }
    }
    fn merge(&mut self, o: &TaskCounts) {
        self.starting += o.starting;
        self.running += o.running;
        self.stopping += o.stopping;
    }
}

/// The instances of one type and capacity provider in one AZ.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InstanceGroupView {
    pub instance_type: String,
    /// The capacity provider the instances belong to (an Auto Scaling group's), if any.
    pub capacity_provider: Option<String>,
    /// Container instances, ACTIVE and DRAINING (INACTIVE ones are gone from the picture).
    pub instances: u32,
    pub draining: u32,
    /// Registered and used CPU units and MiB summed over the group.
    pub cpu_registered: u64,
    pub cpu_used: u64,
    pub memory_registered: u64,
    pub memory_used: u64,
    /// Instances per band of free CPU (index 0: less than 20 % free ... 4: 80 % or more free).
    pub cpu_free_bands: [u32; HEAT_BANDS],
    pub memory_free_bands: [u32; HEAT_BANDS],
    /// Tasks on these instances.
    pub tasks: TaskCounts,
}

impl InstanceGroupView {
    /// Fraction of the group's registered CPU that is free (1.0 for an empty group).
    pub fn cpu_free(&self) -> f64 {
        free(self.cpu_registered, self.cpu_used)
    }
    pub fn memory_free(&self) -> f64 {
        free(self.memory_registered, self.memory_used)
    }
}

fn free(registered: u64, used: u64) -> f64 {
    if registered == 0 {
        1.0
    } else {
        registered.saturating_sub(used) as f64 / registered as f64
    }
}

/// The band of an instance whose `used` of `registered` is taken.
pub fn band(registered: u32, used: u32) -> usize {
    if registered == 0 {
        return 0;
    }
    let free = u64::from(registered.saturating_sub(used));
    ((free * HEAT_BANDS as u64 / u64::from(registered)) as usize).min(HEAT_BANDS - 1)
}

/// One Availability Zone: its instance groups (by instance type, then capacity provider) and its
/// Fargate tasks, which run in the subnet, not on an instance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AzAggregateView {
    pub name: String,
    pub available: bool,
    pub groups: Vec<InstanceGroupView>,
    pub fargate: TaskCounts,
}

impl AzAggregateView {
    pub fn instances(&self) -> u32 {
        self.groups.iter().map(|g| g.instances).sum()
    }
    /// Tasks on the AZ's instances and Fargate tasks in its subnet.
    pub fn tasks(&self) -> TaskCounts {
        let mut t = self.fargate;
        for g in &self.groups {
            t.merge(&g.tasks);
        }
        t
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClusterAggregateView {
    pub azs: Vec<AzAggregateView>,
}

impl ClusterAggregateView {
    pub fn instances(&self) -> u32 {
        self.azs.iter().map(|a| a.instances()).sum()
    }
    pub fn tasks(&self) -> TaskCounts {
        let mut t = TaskCounts::default();
        for a in &self.azs {
            t.merge(&a.tasks());
        }
        t
    }
}

impl Simulation {
    /// Whether the cluster is too large for one box per instance and one chip per task.
    pub fn aggregate_picture(&self) -> bool {
        let st = self.state();
        st.instances.iter().filter(|i| i.status != InstanceStatus::Inactive).count() > AGGREGATE_ABOVE_INSTANCES
            || st.tasks.iter().filter(|t| t.is_live()).count() > AGGREGATE_ABOVE_TASKS
    }

    /// The cluster aggregated per AZ and instance group (time grows with instances + tasks).
    pub fn cluster_aggregate(&self) -> ClusterAggregateView {
        let st = self.state();
        let mut azs: Vec<AzAggregateView> = st
            .azs
            .iter()
            .map(|a| AzAggregateView { name: a.name.clone(), available: a.available, ..Default::default() })
            .collect();
        // (AZ, group index) of every instance, so tasks find their group without a search.
        let mut group_of: Vec<Option<(usize, usize)>> = vec![None; st.instances.len()];
        for (i, inst) in st.instances.iter().enumerate() {
            if inst.status == InstanceStatus::Inactive {
                continue;
            }
            let Some(az) = azs.get_mut(inst.az.idx()) else { continue };
            let gi =
                match az.groups.iter().position(|g| {
                    g.instance_type == inst.instance_type && g.capacity_provider == inst.capacity_provider
                }) {
                    Some(gi) => gi,
                    None => {
                        az.groups.push(InstanceGroupView {
                            instance_type: inst.instance_type.to_string(),
                            capacity_provider: inst.capacity_provider.clone(),
                            ..Default::default()
                        });
                        az.groups.len() - 1
                    }
                };
            let g = &mut az.groups[gi];
            g.instances += 1;
            g.draining += u32::from(inst.status == InstanceStatus::Draining);
            g.cpu_registered += u64::from(inst.registered_cpu);
            g.cpu_used += u64::from(inst.used_cpu);
            g.memory_registered += u64::from(inst.registered_memory);
            g.memory_used += u64::from(inst.used_memory);
            g.cpu_free_bands[band(inst.registered_cpu, inst.used_cpu)] += 1;
            g.memory_free_bands[band(inst.registered_memory, inst.used_memory)] += 1;
            group_of[i] = Some((inst.az.idx(), gi));
        }
        for t in st.tasks.iter().filter(|t| t.is_live()) {
            match t.instance {
                Some(id) => {
                    if let Some((a, g)) = group_of.get(id.idx()).copied().flatten() {
                        azs[a].groups[g].tasks.add(t.last_status);
                    }
                }
                None if t.launch_type == LaunchType::Fargate => {
                    if let Some(az) = azs.get_mut(t.az.idx()) {
                        az.fargate.add(t.last_status);
                    }
                }
                None => {}
            }
        }
        for az in &mut azs {
            az.groups.sort_by(|a, b| {
                (&a.instance_type, &a.capacity_provider).cmp(&(&b.instance_type, &b.capacity_provider))
            });
        }
        ClusterAggregateView { azs }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn bands_split_free_fraction_in_fifths() {
        assert_eq!(band(4096, 0), 4, "all free");
        assert_eq!(band(4096, 4096), 0, "nothing free");
        assert_eq!(band(1000, 200), 4, "80 % free is the top band");
        assert_eq!(band(1000, 201), 3);
        assert_eq!(band(1000, 800), 1, "20 % free");
        assert_eq!(band(1000, 801), 0);
        assert_eq!(band(0, 0), 0, "nothing registered: nothing free");
    }

    #[test]
    fn small_clusters_keep_the_detailed_picture() {
        let sim = crate::load(include_str!("../../scenarios/rolling-update-50-100.json"), None).expect("loads");
        assert!(!sim.aggregate_picture());
    }

    #[test]
    fn totals_match_the_cluster_and_free_resources_match_describe() {
        // 300 m5.xlarge over three AZs, 600 tasks of 128 CPU / 256 MiB.
        let doc = fixtures::cluster("agg", 300, 600, Vec::new());
        let mut sim = crate::load(&doc.to_string(), None).expect("loads");
        assert!(sim.aggregate_picture(), "300 instances is above the threshold");
        let before = sim.cluster_aggregate();
        assert_eq!(before.instances(), 300);
        assert_eq!(before.azs.iter().map(|a| a.instances()).collect::<Vec<_>>(), vec![100, 100, 100]);
        for az in &before.azs {
            assert_eq!(az.groups.len(), 1);
            assert_eq!(az.groups[0].instance_type, "m5.xlarge");
            assert_eq!(az.groups[0].cpu_free_bands, [0, 0, 0, 0, 100], "empty instances are all free");
        }
        sim.run_until(10 * 60 * 1000);
        let v = sim.cluster_aggregate();
        let st = sim.state();
        let live = st.tasks.iter().filter(|t| t.is_live()).count() as u32;
        assert_eq!(v.tasks().total(), live);
        assert_eq!(v.tasks().running, sim.state().running_count(crate::model::ServiceId(0)));
        assert_eq!(v.tasks().running, 600, "the service is steady after ten minutes");
        let used: u64 = st.instances.iter().map(|i| u64::from(i.used_cpu)).sum();
        assert_eq!(v.azs.iter().flat_map(|a| &a.groups).map(|g| g.cpu_used).sum::<u64>(), used);
        assert_eq!(used, 600 * 128, "each task holds its 128 CPU units");
        for az in &v.azs {
            for g in &az.groups {
                assert_eq!(g.cpu_free_bands.iter().sum::<u32>(), g.instances);
                assert_eq!(g.memory_free_bands.iter().sum::<u32>(), g.instances);
                assert!(g.cpu_free() < 1.0 && g.cpu_free() > 0.9, "two tasks of 128 on 4,096 units: 94 % free");
            }
        }
    }
}
