//! Task lifecycle ("Amazon ECS task lifecycle"): PROVISIONING -> PENDING -> ACTIVATING -> RUNNING
//! on the way up; DEACTIVATING -> STOPPING -> DEPROVISIONING -> STOPPED on the way down.
//! Resources, host ports and ENIs are held from placement until the task is STOPPED.

use super::queue::Event;
use super::Simulation;
use crate::aws::ACCOUNT_ID;
use crate::model::{
    AzId, ContainerState, ContainerStatus, DesiredStatus, HealthStatus, ServiceId, StopCode, Task, TaskDefRef, TaskId,
    TaskStatus,
};
use crate::placement::PlacementDecision;
use crate::scenario::LaunchType;
use crate::taskdef::NetworkMode;
use crate::time::from_secs_f64;

/// Where a new task goes: an EC2 container instance, or a Fargate AZ.
pub(super) enum Host {
    Ec2(PlacementDecision),
    Fargate(AzId),
    /// No capacity yet: the task waits in PROVISIONING until its capacity provider's Auto Scaling
    /// group registers an instance it fits on (`sim/capacity.rs`).
    Awaiting,
}

pub(super) struct NewTask {
    pub td: TaskDefRef,
    pub group: String,
    pub service: Option<ServiceId>,
    pub deployment: Option<u32>,
    pub launch_type: LaunchType,
    pub capacity_provider: Option<String>,
    pub host: Host,
    /// RunTask `startedBy` (e.g. `events-rule/<name>` for EventBridge).
    pub started_by: Option<String>,
    /// RunTask `platformVersion`, already validated (None: the service's, else LATEST).
    pub platform_version: Option<String>,
    /// RunTask `overrides` and `tags`, as given.
    pub run_extras: Option<(Option<crate::command::TaskOverride>, Vec<crate::command::RunTaskTag>)>,
}

impl Simulation {
    /// Create a task on its host, reserve its resources and start its lifecycle.
    pub(super) fn start_task(&mut self, n: NewTask) -> TaskId {
        let id = TaskId(self.state.tasks.len() as u32);
        let Some(td) = self.state.task_defs.get(&n.td).cloned() else {
            // Unreachable by construction (callers resolve the revision first); keep running.
            return id;
        };
        let task_id = self.rng.hex(32);
        let awaiting = matches!(n.host, Host::Awaiting);
        let (az, instance, bindings) = match n.host {
            Host::Ec2(d) => {
                let az = self.reserve_on_instance(id, &d, &td);
                (az, Some(d.instance), d.bindings)
            }
            Host::Fargate(az) => (az, None, Vec::new()),
            Host::Awaiting => (AzId(0), None, Vec::new()),
        };
        let (private_ip, eni_id) =
            if td.network_mode == NetworkMode::Awsvpc && !awaiting { self.allocate_eni(az) } else { (None, None) };
        let (cpu, memory) = match n.launch_type {
            LaunchType::Fargate => (td.cpu_units.unwrap_or(256), td.memory_mib.unwrap_or(512)),
            _ => (td.placement_cpu(), td.placement_memory()),
        };
        // RunTask `overrides.cpu` / `overrides.memory`: "The cpu override for the task" / "The
        // memory override for the task" (TaskOverride) - the Fargate task's size.
        let over = n.run_extras.as_ref().and_then(|(o, _)| o.as_ref());
        let (cpu, memory) = match (n.launch_type, over) {
            (LaunchType::Fargate, Some(o)) => (
                o.cpu.as_deref().and_then(crate::taskdef::parse_cpu_units).unwrap_or(cpu),
                o.memory.as_deref().and_then(crate::taskdef::parse_memory_mib).unwrap_or(memory),
            ),
            _ => (cpu, memory),
        };
        let overrides = over.and_then(|o| serde_json::to_value(o).ok());
        let tags = n.run_extras.as_ref().map(|(_, t)| t.clone()).filter(|t| !t.is_empty());
        // The Fargate platform version the task runs on: `LATEST` resolves to 1.4.0 on Linux
        // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-linux-fargate.html).
        let platform_version = (n.launch_type == LaunchType::Fargate).then(|| {
            let requested = n.platform_version.clone().or_else(|| {
                n.service.and_then(|s| self.state.services.get(s.idx())).and_then(|s| s.spec.platform_version.clone())
            });
            crate::service_rules::fargate_platform_version(requested.as_deref(), &td, "platformVersion")
                .unwrap_or_else(|_| crate::service_rules::FARGATE_LINUX_LATEST.to_string())
        });
        let task = Task {
            task_arn: format!(
                "arn:aws:ecs:{}:{ACCOUNT_ID}:task/{}/{task_id}",
                self.state.region, self.state.cluster_name
            ),
            task_id,
            task_definition_arn: td.task_definition_arn.clone(),
            task_def: n.td,
            group: n.group,
            service: n.service,
            deployment: n.deployment,
            launch_type: n.launch_type,
            capacity_provider: n.capacity_provider,
            last_status: TaskStatus::Provisioning,
            desired_status: DesiredStatus::Running,
            availability_zone: if awaiting { String::new() } else { self.state.azs[az.idx()].name.clone() },
            az,
            instance,
            bindings,
            private_ip,
            eni_id,
            health_status: HealthStatus::Unknown,
            stop_code: None,
            stopped_reason: None,
            created_at: self.now,
            started_at: None,
            stopping_at: None,
            stopped_at: None,
            cpu,
            memory,
            history: vec![(self.now, TaskStatus::Provisioning)],
            generation: 0,
            containers: td
                .containers()
                .iter()
                .map(|c| ContainerState {
                    name: c.name.clone(),
                    essential: c.is_essential(),
                    last_status: ContainerStatus::Pending,
                    exit_code: None,
                    reason: None,
                    health_status: HealthStatus::Unknown,
                    has_health_check: c.health_check.is_some(),
                    failing_since: None,
                    passing_since: None,
                })
                .collect(),
            essential_health_check: td.containers().iter().any(|c| c.is_essential() && c.health_check.is_some()),
            replacement: None,
            health_checks_failing: false,
            health_generation: 0,
            cpu_utilization: 0.0,
            memory_utilization: 0.0,
            awaiting_capacity: awaiting,
            started_by: n.started_by,
            launch_attempt: 0,
            platform_version,
            overrides,
            tags: tags.and_then(|t| serde_json::to_value(t).ok()),
        };
        self.state.push_task(task);
        self.touch_task(id);
        self.log_task(id);
        if awaiting {
            self.providers.await_capacity(id);
        } else {
            let delay = self.provisioning_time(id);
            self.schedule_advance(id, delay);
        }
        id
    }

    /// Reserve CPU, memory, host ports and an ENI slot for task `id` on the decided instance.
    fn reserve_on_instance(&mut self, id: TaskId, d: &PlacementDecision, td: &crate::taskdef::TaskDefinition) -> AzId {
        let inst = &mut self.state.instances[d.instance.idx()];
        inst.used_cpu += td.placement_cpu();
        inst.used_memory += td.placement_memory();
        for b in &d.bindings {
            inst.used_ports.insert((b.host_port, b.protocol));
        }
        if let Some(last_dynamic) = d
            .bindings
            .iter()
            .map(|b| b.host_port)
            .rfind(|p| *p >= self.state.dynamic_port_range.0 && *p <= self.state.dynamic_port_range.1)
        {
            self.state.port_cursors[d.instance.idx()] = last_dynamic;
        }
        if td.network_mode == NetworkMode::Awsvpc {
            inst.task_enis += 1;
        }
        inst.tasks.push(id);
        let az = inst.az;
        self.state.instance_changed(d.instance);
        az
    }

    fn allocate_eni(&mut self, az: AzId) -> (Option<String>, Option<String>) {
        let ip = self.state.subnets[az.idx()].allocate();
        let eni = ip.as_ref().map(|_| format!("eni-0{}", self.rng.hex(16)));
        (ip, eni)
    }

    /// A task that waited in PROVISIONING for capacity gets its instance: reserve its resources
    /// there and continue its lifecycle (ENI attachment, then PENDING).
    pub(super) fn place_awaiting_task(&mut self, id: TaskId, d: PlacementDecision) {
        let Some(td) = self.state.tasks.get(id.idx()).and_then(|t| self.state.task_defs.get(&t.task_def)).cloned()
        else {
            return;
        };
        let az = self.reserve_on_instance(id, &d, &td);
        let (ip, eni) = if td.network_mode == NetworkMode::Awsvpc { self.allocate_eni(az) } else { (None, None) };
        let name = self.state.azs[az.idx()].name.clone();
        self.state.update_task(id, |t| {
            t.awaiting_capacity = false;
            t.instance = Some(d.instance);
            t.bindings = d.bindings;
            t.az = az;
            t.availability_zone = name;
            t.private_ip = ip;
            t.eni_id = eni;
        });
        self.touch_task(id);
        let delay = self.provisioning_time(id);
        self.schedule_advance(id, delay);
    }

    fn provisioning_time(&mut self, id: TaskId) -> f64 {
        let t = &self.state.tasks[id.idx()];
        let awsvpc = t.eni_id.is_some();
        match t.launch_type {
            LaunchType::Fargate => self.timings.fargate_provisioning_seconds * self.jitter(),
            _ if awsvpc => self.timings.eni_attach_seconds * self.jitter(),
            _ => 0.5,
        }
    }

    fn pull_time(&mut self, id: TaskId) -> f64 {
        let (images, instance) = {
            let t = &self.state.tasks[id.idx()];
            let images: Vec<String> = self
                .state
                .task_defs
                .get(&t.task_def)
                .map(|td| td.containers().iter().map(|c| c.image.clone()).collect())
                .unwrap_or_default();
            (images, t.instance)
        };
        let image_list = images.clone();
        // Fargate never caches images; an EC2 instance reuses what it pulled before (the
        // agent's default ECS_IMAGE_PULL_BEHAVIOR, "default": pull, fall back to cache).
        let cached = match instance {
            Some(i) => {
                let inst = &mut self.state.instances[i.idx()];
                let all_cached = images.iter().all(|im| inst.pulled_images.contains(im));
                for im in images {
                    inst.pulled_images.insert(im);
                }
                all_cached
            }
            None => false,
        };
        // With ECR repositories the pull time follows the images' sizes (imageSizeInBytes).
        let size_mb = self.ecr_pull_mb(&image_list).unwrap_or(self.timings.image_size_mb);
        let t = &self.timings;
        let base = if cached { t.cached_pull_seconds } else { t.pull_base_seconds + size_mb / t.pull_mb_per_second };
        base * self.jitter() + self.timings.container_start_seconds
    }

    /// STOPPING lasts until the containers exit after SIGTERM, at most their `stopTimeout`:
    /// "Time duration (in seconds) to wait before the container is forcefully killed if it doesn't
    /// exit normally on its own" - default 30 s, at most 120 s on Fargate (ContainerDefinition).
    fn stopping_time(&self, id: TaskId) -> f64 {
        let t = &self.state.tasks[id.idx()];
        let fargate = t.launch_type == LaunchType::Fargate;
        let timeout = self
            .state
            .task_defs
            .get(&t.task_def)
            .and_then(|td| {
                td.containers()
                    .iter()
                    .filter_map(|c| c.other.get("stopTimeout").and_then(|v| v.as_f64()))
                    .reduce(f64::max)
            })
            .unwrap_or(30.0);
        let timeout = if fargate { timeout.min(120.0) } else { timeout };
        self.timings.stopping_seconds.min(timeout.max(0.0))
    }

    fn schedule_advance(&mut self, id: TaskId, seconds: f64) {
        let g = self.state.tasks[id.idx()].generation;
        let at = self.now + from_secs_f64(seconds);
        self.schedule(at, Event::TaskAdvance { task: id, generation: g });
    }

    fn set_status(&mut self, id: TaskId, s: TaskStatus) {
        let now = self.now;
        self.state.update_task(id, |t| {
            t.last_status = s;
            t.history.push((now, s));
        });
        self.touch_task(id);
        self.log_task(id);
        if s >= TaskStatus::Stopping {
            if let Some(svc) = self.state.tasks[id.idx()].service {
                self.check_service_drained(svc);
            }
        }
        if s == TaskStatus::Stopping {
            // "docker stop": SIGTERM to the running containers (sim/awslogs.rs writes the lines).
            self.awslogs_sigterm(id);
        }
    }

    /// The queued transition for a task fired.
    pub(super) fn advance_task(&mut self, id: TaskId, generation: u32) {
        let Some(t) = self.state.tasks.get(id.idx()) else { return };
        if t.generation != generation {
            return;
        }
        let status = t.last_status;
        let stopping = t.desired_status == DesiredStatus::Stopped;
        let awsvpc = t.eni_id.is_some();
        if !stopping {
            match status {
                TaskStatus::Provisioning => {
                    self.set_status(id, TaskStatus::Pending);
                    let d = self.pull_time(id);
                    self.schedule_advance(id, d);
                }
                TaskStatus::Pending => {
                    if let Some(reason) = self.image_pull_failure(id) {
                        // The agent could not pull the image: the task never runs
                        // ("TaskFailedToStart", stopped-task error CannotPullContainerError).
                        self.stop_task(id, StopCode::TaskFailedToStart, reason);
                        return;
                    }
                    for c in &mut self.state.tasks[id.idx()].containers {
                        c.last_status = ContainerStatus::Running;
                    }
                    self.awslogs_containers_started(id);
                    self.set_status(id, TaskStatus::Activating);
                    // "ACTIVATING: ... Amazon ECS must perform additional steps after the task is
                    // launched ... This is the state where Amazon ECS registers the task with the
                    // load balancer target groups" (task lifecycle).
                    self.register_task_targets(id);
                    let d = self.timings.activating_seconds;
                    self.schedule_advance(id, d);
                }
                TaskStatus::Activating => {
                    self.state.tasks[id.idx()].started_at = Some(self.now);
                    self.set_status(id, TaskStatus::Running);
                    self.targets_begin_health_checking(id);
                    self.start_container_health(id);
                    self.schedule_container_exits(id);
                    self.run_app_calls(id);
                    if let Some(s) = self.state.tasks[id.idx()].service {
                        // Throttle logic counts only tasks that never reach RUNNING.
                        self.state.services[s.idx()].consecutive_start_failures = 0;
                        self.request_reconcile(s);
                        // Re-check when the task starts counting towards minimumHealthyPercent
                        // (40 s after RUNNING without health checks).
                        // Only while tasks await replacement does the 40 s rule matter here.
                        let waiting = self.health_index.service(s).is_some_and(|h| !h.marked.is_empty());
                        if waiting {
                            let at = self.now + 40 * crate::time::SECOND;
                            self.schedule(at, Event::Reconcile(s));
                        }
                    }
                }
                _ => {}
            }
            return;
        }
        match status {
            TaskStatus::Deactivating => {
                // The deregistration delay has elapsed: the targets are gone (unused).
                self.complete_deregistration(id);
                self.set_status(id, TaskStatus::Stopping);
                let d = self.stopping_time(id);
                self.schedule_advance(id, d);
            }
            TaskStatus::Stopping if awsvpc => {
                self.awslogs_stopping_done(id);
                self.set_status(id, TaskStatus::Deprovisioning);
                let d = self.timings.deprovisioning_seconds;
                self.schedule_advance(id, d);
            }
            TaskStatus::Stopping => {
                self.awslogs_stopping_done(id);
                self.finish_stop(id);
            }
            TaskStatus::Deprovisioning => self.finish_stop(id),
            _ => {}
        }
    }

    /// Begin stopping a task (StopTask, the scheduler, a failure or a fault). A task registered
    /// with target groups is deregistered first and stays DEACTIVATING for the deregistration delay
    /// while its targets drain; then its containers get SIGTERM (STOPPING).
    pub(super) fn stop_task(&mut self, id: TaskId, code: StopCode, reason: String) {
        self.stop_task_inner(id, code, reason, true);
    }

    /// The task's host is gone (instance terminated, AZ failed): its targets still drain in the
    /// target group, but nothing is left to wait for, so the task stops straight away.
    pub(super) fn stop_task_lost(&mut self, id: TaskId, code: StopCode, reason: String) {
        self.stop_task_inner(id, code, reason, false);
    }

    /// The name the coordination contract uses: stop a service task, draining it from its target
    /// groups for the deregistration delay first.
    pub fn deregister_and_stop(&mut self, id: TaskId, code: StopCode, reason: String) {
        self.stop_task(id, code, reason);
    }

    fn stop_task_inner(&mut self, id: TaskId, code: StopCode, reason: String, wait_for_drain: bool) {
        let Some(t) = self.state.tasks.get(id.idx()) else { return };
        if t.desired_status == DesiredStatus::Stopped || !t.is_live() {
            return;
        }
        let now = self.now;
        let Some(status) = self.state.update_task(id, |t| {
            t.desired_status = DesiredStatus::Stopped;
            t.stop_code = Some(code);
            t.stopped_reason = Some(reason);
            t.stopping_at = Some(now);
            t.generation += 1;
            t.health_generation += 1;
            t.last_status
        }) else {
            return;
        };
        self.touch_task(id);
        // "DEACTIVATING: Amazon ECS must perform additional steps before the task is stopped. For
        // example, for tasks that are part of services that are configured to use Elastic Load
        // Balancing target groups, target group deregistration occurs during this state."
        // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html)
        // Only a task registered with a target group has such a step here; any other task goes
        // from RUNNING straight to STOPPING (SIGTERM to its containers).
        let registered = self.state.elb.is_registered(id);
        match status {
            TaskStatus::Running | TaskStatus::Activating if !registered => {
                self.set_status(id, TaskStatus::Stopping);
                let d = self.stopping_time(id);
                self.schedule_advance(id, d);
            }
            TaskStatus::Running | TaskStatus::Activating => {
                self.set_status(id, TaskStatus::Deactivating);
                let drain = self.drain_task_targets(id);
                match drain {
                    Some(delay) if wait_for_drain => self.schedule_advance(id, delay as f64),
                    _ => {
                        let d = self.timings.activating_seconds;
                        self.schedule_advance(id, d);
                    }
                }
            }
            _ => {
                // Never started: nothing to deregister or drain.
                self.set_status(id, TaskStatus::Stopping);
                self.schedule_advance(id, 0.5);
            }
        }
        if let Some(s) = self.state.tasks[id.idx()].service {
            self.state.services[s.idx()].steady = false;
            self.request_reconcile(s);
        }
    }

    /// STOPPED: release CPU, memory, ports, the ENI and the IP.
    pub(super) fn finish_stop(&mut self, id: TaskId) {
        let now = self.now;
        let (instance, ip, az, bindings, awsvpc) = {
            let t = &mut self.state.tasks[id.idx()];
            t.stopped_at = Some(now);
            (t.instance, t.private_ip.clone(), t.az, std::mem::take(&mut t.bindings), t.eni_id.is_some())
        };
        let freed_provider_capacity =
            instance.is_some_and(|i| self.state.instances[i.idx()].capacity_provider.is_some());
        if let Some(i) = instance {
            let (cpu, mem) = {
                let t = &self.state.tasks[id.idx()];
                (t.cpu, t.memory)
            };
            let inst = &mut self.state.instances[i.idx()];
            inst.used_cpu = inst.used_cpu.saturating_sub(cpu);
            inst.used_memory = inst.used_memory.saturating_sub(mem);
            for b in &bindings {
                inst.used_ports.remove(&(b.host_port, b.protocol));
            }
            if awsvpc {
                inst.task_enis = inst.task_enis.saturating_sub(1);
            }
            inst.tasks.retain(|t| *t != id);
            self.state.instance_changed(i);
        }
        if let Some(ip) = ip {
            self.state.subnets[az.idx()].release(&ip);
        }
        // Keep the bindings for the record (describe-tasks shows them on stopped tasks).
        self.state.tasks[id.idx()].bindings = bindings;
        for c in &mut self.state.tasks[id.idx()].containers {
            if c.last_status != ContainerStatus::Stopped {
                c.last_status = ContainerStatus::Stopped;
            }
        }
        self.set_status(id, TaskStatus::Stopped);
        // Freed room on a capacity provider's instance can take a task waiting in PROVISIONING.
        if freed_provider_capacity && self.providers.anyone_waiting() {
            self.place_awaiting_tasks();
        }
        let (service, never_ran, code, attempt) = {
            let t = &self.state.tasks[id.idx()];
            (t.service, t.started_at.is_none(), t.stop_code, t.launch_attempt)
        };
        if let Some(s) = service {
            let failed = matches!(code, Some(StopCode::TaskFailedToStart | StopCode::EssentialContainerExited));
            if never_ran && failed {
                self.note_start_failure(s, attempt);
            }
            self.request_reconcile(s);
        }
    }

    fn log_task(&mut self, id: TaskId) {
        self.log_task_state_change(id);
    }
}
