//! Managed scaling of an Auto Scaling group capacity provider (ECS cluster auto scaling): the
//! `CapacityProviderReservation` metric and the capacity the managed target tracking policy asks for.
//! Pure arithmetic; `sim/capacity.rs` feeds it the cluster's counts once per simulated minute.
//!
//! Rules implemented (Amazon ECS Developer Guide, "Automatically manage Amazon ECS capacity with
//! cluster auto scaling", and the AWS Containers blog "Deep Dive on Amazon ECS Cluster Auto
//! Scaling" that the guide points to for the calculation):
//! - `CapacityProviderReservation = M / N x 100`, where N is the number of instances already running
//!   in the Auto Scaling group and M the number of instances needed to run all tasks assigned to the
//!   capacity provider, running and provisioning.
//! - With no task in PROVISIONING, M is the number of instances running at least one task that is
//!   not a daemon task (the blog: daemon tasks do not count, or an instance would never be empty).
//! - With tasks in PROVISIONING, the existing instances are assumed full and M = N + a lower bound on
//!   the extra instances: tasks are grouped by identical resource requirements, each group needs
//!   `ceil(count / tasks that fit one empty instance)` instances, and the bound is the largest group's
//!   need. That bound is raised to `minimumScalingStepSize` ("When additional capacity is required,
//!   Amazon ECS will scale up the minimum scaling step size even if the actual demand is less than
//!   the minimum scaling step size") and capped at `maximumScalingStepSize` ("The maximum number of
//!   Amazon EC2 instances that Amazon ECS will scale out at one time").
//! - Special cases (blog): N = 0 and M > 0 gives 200 (scale out from zero); N = 0 and M = 0 gives 100
//!   (nothing to do at a target of 100).
//! - "Amazon ECS manages a target tracking scaling policy using an Amazon ECS managed CloudWatch
//!   metric with the specified targetCapacity value as the target value for the metric" (API
//!   Reference, ManagedScaling). Target tracking asks for `ceil(N x metric / target)` instances;
//!   from N = 0 it is treated as one unit, so CPR 200 at target 100 launches two instances, as
//!   users report for the first task (aws/containers-roadmap#900).
//! - The managed alarms: AlarmHigh "1 datapoint within a minute" and AlarmLow "15 datapoints within
//!   15 minutes" (aws/containers-roadmap#638, #1220: scale-in "is always 15min").

/// `targetCapacity` range: "greater than 0 and less than or equal to 100".
pub const TARGET_RANGE: (u32, u32) = (1, 100);
/// Defaults (API Reference, ManagedScaling).
pub const DEFAULT_TARGET: u32 = 100;
pub const DEFAULT_MIN_STEP: u32 = 1;
pub const DEFAULT_MAX_STEP: u32 = 10_000;
pub const DEFAULT_WARMUP_SECONDS: u32 = 300;
/// AlarmHigh / AlarmLow datapoints.
pub const HIGH_DATAPOINTS: usize = 1;
pub const LOW_DATAPOINTS: usize = 15;

/// Tasks in PROVISIONING with the same CPU and memory reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProvisioningGroup {
    pub cpu: u32,
    pub memory: u32,
    pub count: u32,
}

/// What the metric needs to know about one capacity provider.
#[derive(Debug, Clone, PartialEq)]
pub struct ReservationInput {
    /// N: instances of the group registered with the cluster.
    pub running_instances: u32,
    /// Instances running at least one non-daemon task.
    pub instances_with_tasks: u32,
    pub provisioning: Vec<ProvisioningGroup>,
    /// Registered CPU and memory of one instance of the group's instance type.
    pub instance_cpu: u32,
    pub instance_memory: u32,
    pub min_step: u32,
    pub max_step: u32,
}

/// How many tasks of this size fit one empty instance (0: never).
fn fit_per_instance(g: &ProvisioningGroup, cpu: u32, memory: u32) -> u32 {
    let by_cpu = cpu.checked_div(g.cpu).unwrap_or(u32::MAX);
    let by_mem = memory.checked_div(g.memory).unwrap_or(u32::MAX);
    by_cpu.min(by_mem)
}

/// M: the instances needed for the running and provisioning tasks.
pub fn instances_needed(r: &ReservationInput) -> u32 {
    let waiting: u32 = r.provisioning.iter().map(|g| g.count).sum();
    if waiting == 0 {
        return r.instances_with_tasks;
    }
    let lower_bound = r
        .provisioning
        .iter()
        .map(|g| match fit_per_instance(g, r.instance_cpu, r.instance_memory) {
            // A task bigger than an instance can never be placed: it asks for nothing.
            0 => 0,
            per => g.count.div_ceil(per),
        })
        .max()
        .unwrap_or(0);
    let extra = lower_bound.max(r.min_step).min(r.max_step.max(1));
    r.running_instances.saturating_add(extra)
}

/// `CapacityProviderReservation` from M and N.
pub fn reservation(m: u32, n: u32) -> f64 {
    match (m, n) {
        (0, 0) => 100.0,
        (_, 0) => 200.0,
        _ => m as f64 / n as f64 * 100.0,
    }
}

/// The instance count target tracking asks for: `ceil(max(N, 1) x metric / target)`.
pub fn tracked_capacity(n: u32, metric: f64, target: u32) -> u32 {
    if target == 0 || !metric.is_finite() || metric < 0.0 {
        return n;
    }
    let want = (n.max(1) as f64 * metric / target as f64 - 1e-9).ceil();
    if want >= u32::MAX as f64 {
        u32::MAX
    } else {
        want.max(0.0) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(n: u32, with_tasks: u32, provisioning: Vec<ProvisioningGroup>) -> ReservationInput {
        ReservationInput {
            running_instances: n,
            instances_with_tasks: with_tasks,
            provisioning,
            instance_cpu: 2048,
            instance_memory: 7680,
            min_step: 1,
            max_step: 10_000,
        }
    }

    #[test]
    fn no_provisioning_counts_instances_with_tasks() {
        // 4 instances, 3 of them running tasks: M = 3, CPR = 75.
        let r = input(4, 3, vec![]);
        assert_eq!(instances_needed(&r), 3);
        assert_eq!(reservation(3, 4), 75.0);
        // At a target of 100 that asks for ceil(4 x 75 / 100) = 3 instances: one to scale in.
        assert_eq!(tracked_capacity(4, 75.0, 100), 3);
    }

    #[test]
    fn provisioning_tasks_add_a_lower_bound() {
        // 2 full instances; 5 tasks of 1 vCPU wait. An instance fits 2: ceil(5 / 2) = 3 more.
        let r = input(2, 2, vec![ProvisioningGroup { cpu: 1024, memory: 1024, count: 5 }]);
        assert_eq!(instances_needed(&r), 5);
        assert_eq!(reservation(5, 2), 250.0);
        assert_eq!(tracked_capacity(2, 250.0, 100), 5);
        // At a target of 80 (20% spare): ceil(2 x 250 / 80) = 7.
        assert_eq!(tracked_capacity(2, 250.0, 80), 7);
    }

    #[test]
    fn step_sizes_bound_the_extra_instances() {
        let g = vec![ProvisioningGroup { cpu: 1024, memory: 1024, count: 1 }];
        let mut r = input(3, 3, g);
        r.min_step = 2;
        assert_eq!(instances_needed(&r), 5, "one task, but minimumScalingStepSize 2");
        r.provisioning = vec![ProvisioningGroup { cpu: 2048, memory: 1024, count: 10 }];
        r.min_step = 1;
        r.max_step = 4;
        assert_eq!(instances_needed(&r), 7, "10 needed, maximumScalingStepSize 4");
    }

    #[test]
    fn largest_group_sets_the_bound() {
        let r = input(
            0,
            0,
            vec![
                ProvisioningGroup { cpu: 512, memory: 512, count: 4 }, // 4 per instance: 1
                ProvisioningGroup { cpu: 2048, memory: 2048, count: 3 }, // 1 per instance: 3
            ],
        );
        assert_eq!(instances_needed(&r), 3);
    }

    #[test]
    fn special_cases_when_the_group_is_empty() {
        assert_eq!(reservation(0, 0), 100.0);
        assert_eq!(reservation(1, 0), 200.0);
        // Scaling out from zero at target 100 launches two instances.
        assert_eq!(tracked_capacity(0, 200.0, 100), 2);
        assert_eq!(tracked_capacity(0, 100.0, 100), 1);
    }
}
