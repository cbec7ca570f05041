//! Output shapes: EventBridge `detail` objects for log lines, and the describe-style snapshot.
//!
//! Every object here is AWS's shape member for member (checked against botocore's service models
//! by engine/tests/aws_shapes.rs): `Task`, `Container`, `ContainerInstance`, `Service`,
//! `CapacityProvider`, ELBv2 `TargetGroup` and `TargetHealthDescription`. What the app needs beyond
//! them lives in the snapshot under the project's own keys (README, "The snapshot").

use super::Simulation;
use crate::aws::ACCOUNT_ID;
use crate::log::{fnv1a64_update, kind, FNV_OFFSET};
use crate::model::{
    ContainerStatus, Deployment, InstanceId, InstanceStatus, PortProto, ServiceId, Task, TaskId, TaskStatus,
};
use crate::time::SimTime;
use serde_json::{json, Value};

/// A stable UUID-shaped id derived from a name, the concatenation of `parts` (attachment and
/// container ids): no RNG draw, so describing the state never changes what the simulation does.
/// FNV-1a 64 of the name and of the name followed by `#`, in hex, cut into UUID groups.
fn uuid_of_parts(parts: &[&str]) -> String {
    let mut v = Vec::with_capacity(36);
    write_uuid_of_parts(&mut v, parts);
    // Hex digits and dashes only.
    String::from_utf8(v).unwrap_or_default()
}

/// [`uuid_of_parts`] appended to `w` (no String on the way).
fn write_uuid_of_parts(w: &mut Vec<u8>, parts: &[&str]) {
    let mut u = [0u8; 36];
    write_uuid_bytes(&mut u, parts);
    w.extend_from_slice(&u);
}

/// [`uuid_of_parts`] into a fixed buffer (8-4-4-4-12 hex digits and dashes).
fn write_uuid_bytes(u: &mut [u8; 36], parts: &[&str]) {
    let a = parts.iter().fold(FNV_OFFSET, |h, p| fnv1a64_update(h, p.as_bytes()));
    let b = fnv1a64_update(a, b"#");
    let (a, b) = (hex16(a), hex16(b));
    let mut at = 0;
    for part in [&a[..8], &b"-"[..], &a[8..12], &b"-4"[..], &a[13..16], &b"-a"[..], &b[1..4], &b"-"[..], &b[4..16]] {
        u[at..at + part.len()].copy_from_slice(part);
        at += part.len();
    }
}

/// A u64 as 16 lowercase hex digits (the format of `log::fnv1a64`).
fn hex16(x: u64) -> [u8; 16] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 16];
    for (i, o) in out.iter_mut().enumerate() {
        *o = DIGITS[((x >> (60 - 4 * i)) & 0xf) as usize];
    }
    out
}

/// Remove `null` members (AWS omits a member it has no value for; it never prints null).
fn drop_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(drop_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// Whether serde_json escapes any byte of `v`: it escapes only `"`, `\\` and control characters.
/// The test looks at every byte without stopping early, which the compiler vectorises.
fn needs_escape(v: &str) -> bool {
    v.bytes().fold(false, |esc, b| esc | (b < 0x20) | (b == b'"') | (b == b'\\'))
}

/// Append `v` as a JSON string (serde_json's escaping).
fn json_str(w: &mut Vec<u8>, v: &str) {
    // ARNs, ids and timestamps have nothing to escape, so they are copied as they are (the same
    // bytes, without a per-byte escape loop).
    if !needs_escape(v) {
        w.reserve(v.len() + 2);
        w.push(b'"');
        w.extend_from_slice(v.as_bytes());
        w.push(b'"');
    } else {
        // Writing JSON into a Vec<u8> cannot fail (no I/O).
        let _ = serde_json::to_writer(&mut *w, v);
    }
}

/// A JSON object written member by member straight into the output, in the order serde_json
/// writes a `Value`'s members (its maps are sorted by key): the caller writes them in that order,
/// which debug builds check, so text details are byte-identical to trees without a buffer per
/// object or a sort.
struct Members<'w> {
    w: &'w mut Vec<u8>,
    first: bool,
    #[cfg(debug_assertions)]
    last: &'static str,
}

impl<'w> Members<'w> {
    fn open(w: &'w mut Vec<u8>) -> Members<'w> {
        w.push(b'{');
        Members {
            w,
            first: true,
            #[cfg(debug_assertions)]
            last: "",
        }
    }
    fn key(&mut self, key: &'static str) {
        #[cfg(debug_assertions)]
        {
            debug_assert!(self.first || self.last < key, "member {key:?} written after {:?}", self.last);
            self.last = key;
        }
        if !self.first {
            self.w.push(b',');
        }
        self.first = false;
        // Keys are this file's ASCII literals: nothing to escape.
        self.w.push(b'"');
        self.w.extend_from_slice(key.as_bytes());
        self.w.extend_from_slice(b"\":");
    }
    fn member(&mut self, key: &'static str, write: impl FnOnce(&mut Vec<u8>)) {
        self.key(key);
        write(self.w);
    }
    fn str(&mut self, key: &'static str, v: &str) {
        self.key(key);
        json_str(self.w, v);
    }
    /// A member serialised by serde (numbers, enums).
    fn ser<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, v: &T) {
        self.key(key);
        // Writing JSON into a Vec<u8> cannot fail (no I/O).
        let _ = serde_json::to_writer(&mut *self.w, v);
    }
    /// A tree as AWS prints it: `null` members dropped, and no member at all for `null`.
    fn tree(&mut self, key: &'static str, v: &Value) {
        if v.is_null() {
            return;
        }
        if has_null_member(v) {
            let mut v = v.clone();
            drop_nulls(&mut v);
            self.ser(key, &v);
        } else {
            self.ser(key, v);
        }
    }
    fn close(self) {
        self.w.push(b'}');
    }
}

/// A JSON array written straight into the output: `write` writes each item, commas between.
fn write_array<T>(w: &mut Vec<u8>, items: impl IntoIterator<Item = T>, mut write: impl FnMut(&mut Vec<u8>, T)) {
    w.push(b'[');
    for (k, item) in items.into_iter().enumerate() {
        if k > 0 {
            w.push(b',');
        }
        write(w, item);
    }
    w.push(b']');
}

/// Whether [`drop_nulls`] would change `v`.
fn has_null_member(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.values().any(|x| x.is_null() || has_null_member(x)),
        Value::Array(a) => a.iter().any(has_null_member),
        _ => false,
    }
}

/// A number as a JSON string (`"1024"`), as describe-tasks gives `cpu` and `memory`.
fn write_num_str(w: &mut Vec<u8>, n: u32) {
    w.push(b'"');
    // Writing into a Vec<u8> cannot fail.
    let _ = serde_json::to_writer(&mut *w, &n);
    w.push(b'"');
}

/// Which output a detail is built for: they differ where AWS's do.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum For {
    /// An EventBridge event's `detail`.
    Event,
    /// A describe-* response member.
    Describe,
}

impl Simulation {
    fn iso(&self, t: SimTime) -> Value {
        Value::String(self.log.context().iso_ms(t))
    }

    /// A task as describe-tasks shows it (`Task`), or as the `detail` of an "ECS Task State
    /// Change" event: the same members plus none AWS does not send; the event carries no health
    /// ("Health of the event isn't provided in task state change event",
    /// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html).
    pub(super) fn task_detail_for(&self, id: TaskId, out: For) -> Value {
        let mut w = Vec::with_capacity(2048);
        self.write_task_detail(id, out, &mut w);
        serde_json::from_slice(&w).unwrap_or(Value::Null)
    }

    /// The JSON text of [`Simulation::task_detail_for`], written straight from the state (no
    /// tree): keys in sorted order and no `null` members, the bytes serde_json writes for the
    /// tree. The hot path of a large run: one per "ECS Task State Change" line, and one per live
    /// task in the final snapshot. Members are written in key order into `w` itself (no buffer
    /// per object, no sort); [`Members`] checks the order in debug builds.
    pub(super) fn write_task_detail(&self, id: TaskId, out: For, w: &mut Vec<u8>) {
        let t = &self.state.tasks[id.idx()];
        let cluster = self.state.cluster_arn.rsplit('/').next().unwrap_or_default();
        let mut attachment = [0u8; 36];
        write_uuid_bytes(&mut attachment, &[&t.task_arn, "/attachment"]);
        // Hex digits and dashes only.
        let attachment = std::str::from_utf8(&attachment).unwrap_or_default();
        let ctx = self.log.context();
        let mut d = Members::open(w);
        if let (Some(ip), Some(eni)) = (&t.private_ip, &t.eni_id) {
            let subnet = &self.state.azs[t.az.idx()].subnet_id;
            // describe-tasks names the attachment type "ElasticNetworkInterface"; the task state
            // change event's example names it "eni".
            let ty = if out == For::Event { "eni" } else { "ElasticNetworkInterface" };
            d.member("attachments", |w| {
                write_array(w, [()], |w, ()| {
                    let mut a = Members::open(w);
                    a.member("details", |w| {
                        let details = [("subnetId", subnet), ("networkInterfaceId", eni), ("privateIPv4Address", ip)];
                        write_array(w, details, |w, (name, value)| {
                            let mut o = Members::open(w);
                            o.str("name", name);
                            o.str("value", value);
                            o.close();
                        });
                    });
                    a.str("id", attachment);
                    a.str("status", attachment_status(t.last_status));
                    a.str("type", ty);
                    a.close();
                });
            });
        }
        // No host yet: describe-tasks shows no Availability Zone for it.
        if !t.awaiting_capacity {
            d.str("availabilityZone", &t.availability_zone);
        }
        if let Some(cp) = &t.capacity_provider {
            d.str("capacityProviderName", cp);
        }
        d.str("clusterArn", &self.state.cluster_arn);
        if let Some(i) = t.instance {
            d.str("containerInstanceArn", &self.state.instances[i.idx()].container_instance_arn);
        }
        d.member("containers", |w| self.write_containers(t, out, cluster, attachment, w));
        d.member("cpu", |w| write_num_str(w, t.cpu));
        d.str("createdAt", &ctx.iso_ms(t.created_at));
        d.ser("desiredStatus", &t.desired_status);
        d.str("group", &t.group);
        if out == For::Describe {
            d.ser("healthStatus", &t.health_status);
        }
        d.ser("lastStatus", &t.last_status);
        d.ser("launchType", &t.launch_type);
        d.member("memory", |w| write_num_str(w, t.memory));
        if let Some(v) = &t.overrides {
            d.tree("overrides", v);
        }
        if let Some(v) = &t.platform_version {
            d.str("platformVersion", v);
        }
        if let Some(s) = t.started_at {
            d.str("startedAt", &ctx.iso_ms(s));
        }
        if let Some(s) = &t.started_by {
            d.str("startedBy", s);
        }
        if let Some(c) = t.stop_code {
            d.ser("stopCode", &c);
        }
        if let Some(s) = t.stopped_at {
            d.str("stoppedAt", &ctx.iso_ms(s));
        }
        if let Some(r) = &t.stopped_reason {
            d.str("stoppedReason", r);
        }
        if let Some(s) = t.stopping_at {
            d.str("stoppingAt", &ctx.iso_ms(s));
        }
        if let Some(v) = &t.tags {
            d.tree("tags", v);
        }
        d.str("taskArn", &t.task_arn);
        d.str("taskDefinitionArn", &t.task_definition_arn);
        if out == For::Event {
            let updated = t.history.last().map(|h| h.0).unwrap_or(t.created_at);
            d.str("updatedAt", &ctx.iso_ms(updated));
        }
        d.ser("version", &t.history.len());
        d.close();
    }

    /// A task detail's `containers` array (`Container` members in key order).
    fn write_containers(&self, t: &Task, out: For, cluster: &str, attachment: &str, w: &mut Vec<u8>) {
        let td = self.state.task_defs.get(&t.task_def);
        let containers = td.map(|td| td.containers()).unwrap_or_default();
        write_array(w, containers.iter().enumerate(), |w, (ci, c)| {
            let state = t.containers.get(ci);
            let last = match state.map(|s| s.last_status) {
                Some(ContainerStatus::Stopped) => "STOPPED",
                _ => container_status(t.last_status),
            };
            let mut v = Members::open(w);
            v.member("containerArn", |w| {
                // arn:aws:ecs:{region}:{account}:container/{cluster}/{task id}/{uuid}, written in
                // place (json_str's bytes: the ARN's parts have nothing to escape when `plain`
                // says so, else it goes through json_str).
                let (region, task_id) = (self.state.region.as_str(), t.task_id.as_str());
                if [region, ACCOUNT_ID, cluster, task_id].iter().all(|p| !needs_escape(p)) {
                    w.extend_from_slice(b"\"arn:aws:ecs:");
                    for part in [region, ":", ACCOUNT_ID, ":container/", cluster, "/", task_id, "/"] {
                        w.extend_from_slice(part.as_bytes());
                    }
                    write_uuid_of_parts(w, &[&t.task_arn, "/", &c.name]);
                    w.push(b'"');
                } else {
                    let arn = format!(
                        "arn:aws:ecs:{}:{}:container/{cluster}/{}/{}",
                        self.state.region,
                        ACCOUNT_ID,
                        t.task_id,
                        uuid_of_parts(&[&t.task_arn, "/", &c.name])
                    );
                    json_str(w, &arn);
                }
            });
            if let Some(code) = state.and_then(|s| s.exit_code) {
                v.ser("exitCode", &code);
            }
            if let Some(st) = state.filter(|s| s.has_health_check && out == For::Describe) {
                v.ser("healthStatus", &st.health_status);
            }
            v.str("image", &c.image);
            v.str("lastStatus", last);
            v.str("name", &c.name);
            v.member("networkBindings", |w| {
                write_array(w, t.bindings.iter().filter(|b| b.container_name == c.name), |w, b| {
                    let mut o = Members::open(w);
                    o.str("bindIP", &b.bind_ip);
                    o.ser("containerPort", &b.container_port);
                    o.ser("hostPort", &b.host_port);
                    o.ser("protocol", &b.protocol);
                    o.close();
                });
            });
            if let Some(ip) = &t.private_ip {
                v.member("networkInterfaces", |w| {
                    write_array(w, [ip], |w, ip| {
                        let mut o = Members::open(w);
                        o.str("attachmentId", attachment);
                        o.str("privateIpv4Address", ip);
                        o.close();
                    });
                });
            }
            if let Some(r) = state.and_then(|s| s.reason.as_ref()) {
                v.str("reason", r);
            }
            v.str("taskArn", &t.task_arn);
            v.close();
        });
    }

    /// The `detail` of an "ECS Task State Change" event.
    pub fn task_detail(&self, id: TaskId) -> Value {
        self.task_detail_for(id, For::Event)
    }

    /// A task as describe-tasks shows it (`Task`); the local API endpoint answers with it.
    pub fn describe_task(&self, id: TaskId) -> Value {
        self.task_detail_for(id, For::Describe)
    }

    /// A container instance as describe-container-instances shows it (`ContainerInstance`).
    pub fn describe_container_instance(&self, id: InstanceId) -> Value {
        self.instance_detail_for(id, For::Describe)
    }

    /// A container instance as describe-container-instances shows it (`ContainerInstance`), or as
    /// the `detail` of an "ECS Container Instance State Change" event, which adds `clusterArn` and
    /// `updatedAt` and leaves out the task counts
    /// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_container_instance_events.html).
    pub(super) fn instance_detail_for(&self, id: InstanceId, out: For) -> Value {
        let i = &self.state.instances[id.idx()];
        let ports = |used: bool| -> Vec<String> {
            let mut p: Vec<u16> = crate::network::DEFAULT_RESERVED_PORTS.to_vec();
            if used {
                p.extend(i.used_ports.iter().filter(|p| p.1 == PortProto::Tcp).map(|p| p.0));
            }
            p.sort_unstable();
            p.dedup();
            p.iter().map(|p| p.to_string()).collect()
        };
        let mut d = json!({
            "containerInstanceArn": i.container_instance_arn,
            "ec2InstanceId": i.ec2_instance_id,
            "status": i.status,
            "agentConnected": i.status != InstanceStatus::Inactive,
            "attributes": i.attributes.iter().map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>(),
            "registeredResources": [
                {"name": "CPU", "type": "INTEGER", "integerValue": i.registered_cpu},
                {"name": "MEMORY", "type": "INTEGER", "integerValue": i.registered_memory},
                {"name": "PORTS", "type": "STRINGSET", "stringSetValue": ports(false)},
            ],
            "remainingResources": [
                {"name": "CPU", "type": "INTEGER", "integerValue": i.remaining_cpu()},
                {"name": "MEMORY", "type": "INTEGER", "integerValue": i.remaining_memory()},
                {"name": "PORTS", "type": "STRINGSET", "stringSetValue": ports(true)},
            ],
            "version": i.version,
        });
        match out {
            For::Event => {
                d["clusterArn"] = json!(self.state.cluster_arn);
                d["updatedAt"] = self.iso(i.updated_at);
            }
            For::Describe => {
                d["registeredAt"] = self.iso(i.registered_at);
                d["runningTasksCount"] = json!(i
                    .tasks
                    .iter()
                    .filter(|t| self.state.tasks[t.idx()].last_status == TaskStatus::Running)
                    .count());
                d["pendingTasksCount"] =
                    json!(i.tasks.iter().filter(|t| self.state.tasks[t.idx()].last_status.is_pending()).count());
                if let Some(cp) = &i.capacity_provider {
                    d["capacityProviderName"] = json!(cp);
                }
            }
        }
        d
    }

    /// Log an "ECS Container Instance State Change" for instance `id`: its `version` counts the
    /// changes, `updatedAt` is now.
    pub(super) fn log_instance_change(&mut self, id: InstanceId) {
        let now = self.now;
        if let Some(i) = self.state.instances.get_mut(id.idx()) {
            i.version += 1;
            i.updated_at = now;
        }
        let d = self.instance_detail_for(id, For::Event);
        self.log.push(now, kind::CONTAINER_INSTANCE_STATE_CHANGE, d);
    }

    /// A service as `describe-services` shows it (`Service`).
    pub fn service_detail(&self, s: ServiceId) -> Value {
        let svc = &self.state.services[s.idx()];
        let strategy = &svc.spec.capacity_provider_strategy;
        let mut d = json!({
            "serviceName": svc.service_name,
            "serviceArn": svc.service_arn,
            "clusterArn": self.state.cluster_arn,
            "status": svc.status,
            "desiredCount": svc.desired_count,
            "runningCount": self.state.running_count(s),
            "pendingCount": self.state.pending_count(s),
            "taskDefinition": svc.deployments.primary().map(|d| d.task_definition_arn.clone()),
            "schedulingStrategy": svc.spec.scheduling_strategy.unwrap_or_default(),
            "loadBalancers": svc.spec.load_balancers.iter().zip(svc.target_groups.iter()).map(|(lb, tg)| json!({
                "targetGroupArn": self.state.elb.arn(*tg),
                "containerName": lb.container_name,
                "containerPort": lb.container_port,
            })).collect::<Vec<_>>(),
            "deploymentConfiguration": {
                "maximumPercent": svc.maximum_percent,
                "minimumHealthyPercent": svc.minimum_healthy_percent,
            },
            "deployments": svc.deployments.not_inactive().map(|d| {
                let (running, pending) = self.deployment_counts(s, d);
                json!({
                    "id": d.id, "status": d.status, "taskDefinition": d.task_definition_arn,
                    "desiredCount": d.desired_count, "runningCount": running, "pendingCount": pending,
                    "failedTasks": d.failed_tasks, "rolloutState": d.rollout_state, "rolloutStateReason": d.rollout_state_reason,
                    "createdAt": self.iso(d.created_at), "updatedAt": self.iso(d.updated_at),
                })
            }).collect::<Vec<_>>(),
            // describe-services returns the service's most recent events, newest first.
            "events": svc.events.iter().take(10).map(|e| json!({"id": e.id, "createdAt": self.iso(e.created_at), "message": e.message})).collect::<Vec<_>>(),
        });
        // A service with a capacity provider strategy has no launch type, and the reverse.
        if strategy.is_empty() {
            d["launchType"] = json!(svc.launch_type);
        } else {
            d["capacityProviderStrategy"] = json!(strategy);
        }
        d["healthCheckGracePeriodSeconds"] = json!(svc.spec.health_check_grace_period_seconds.unwrap_or(0));
        if let Some(cb) = svc.spec.deployment_configuration.as_ref().and_then(|c| c.deployment_circuit_breaker.as_ref())
        {
            d["deploymentConfiguration"]["deploymentCircuitBreaker"] =
                json!({"enable": cb.enable, "rollback": cb.rollback});
        }
        // The strategy members as the service was given them (botocore DeploymentConfiguration).
        if let Some(dc) = svc.spec.deployment_configuration.as_ref() {
            let members = [
                ("strategy", dc.strategy.as_ref().map(|v| json!(v))),
                ("bakeTimeInMinutes", dc.bake_time_in_minutes.map(|v| json!(v))),
                ("canaryConfiguration", dc.canary_configuration.clone()),
                ("linearConfiguration", dc.linear_configuration.clone()),
                ("alarms", dc.alarms.clone()),
            ];
            for (k, v) in members {
                if let Some(v) = v {
                    d["deploymentConfiguration"][k] = v;
                }
            }
        }
        for (k, lb) in svc.spec.load_balancers.iter().enumerate() {
            if let Some(a) = &lb.advanced_configuration {
                // With the names resolved to ARNs, as describe-services shows them.
                let mut a = a.clone();
                let tg_arn = |r: &Option<String>| {
                    r.as_ref().map(|r| {
                        self.state.elb.by_ref(r).map(|g| self.state.elb.arn(g).to_string()).unwrap_or_else(|| r.clone())
                    })
                };
                let rule_arn = |r: &Option<String>| {
                    r.as_ref().map(|r| {
                        self.rule_by_ref(r)
                            .map(|k| self.state.elb.rule(k).rule_arn.clone())
                            .unwrap_or_else(|| r.clone())
                    })
                };
                a.alternate_target_group_arn = tg_arn(&a.alternate_target_group_arn);
                a.production_listener_rule = rule_arn(&a.production_listener_rule);
                a.test_listener_rule = rule_arn(&a.test_listener_rule);
                if let Some(entry) = d["loadBalancers"].get_mut(k) {
                    entry["advancedConfiguration"] = json!(a);
                }
            }
        }
        drop_nulls(&mut d);
        d
    }

    pub(crate) fn deployment_counts(&self, s: ServiceId, d: &Deployment) -> (u32, u32) {
        let idx = self.state.services[s.idx()].deployments.index_of(&d.id);
        let mut running = 0;
        let mut pending = 0;
        for (_, t) in self.state.service_tasks(s) {
            if t.deployment == idx {
                if t.last_status == TaskStatus::Running {
                    running += 1;
                } else if t.last_status.is_pending() {
                    pending += 1;
                }
            }
        }
        (running, pending)
    }
}

impl Simulation {
    /// `describe-capacity-providers` for the cluster's providers (`CapacityProvider`).
    fn capacity_provider_details(&self) -> Vec<Value> {
        let cfg = &self.state.capacity;
        cfg.providers
            .iter()
            .map(|p| {
                let g = &cfg.groups[p.group];
                let mut asg = json!({
                    "autoScalingGroupArn": g.arn,
                    "managedTerminationProtection": if p.termination_protection { "ENABLED" } else { "DISABLED" },
                });
                asg["managedScaling"] = match p.managed_scaling {
                    Some(m) => {
                        json!({"status": "ENABLED", "targetCapacity": m.target, "minimumScalingStepSize": m.min_step,
                        "maximumScalingStepSize": m.max_step, "instanceWarmupPeriod": m.warmup_seconds})
                    }
                    None => json!({"status": "DISABLED"}),
                };
                json!({"capacityProviderArn": p.arn, "name": p.name, "status": "ACTIVE", "type": "EC2_AUTOSCALING",
                    "autoScalingGroupProvider": asg})
            })
            .collect()
    }

    /// The Auto Scaling groups behind the capacity providers, as the playground tracks them
    /// (the snapshot's own `playground.autoScalingGroups`).
    fn auto_scaling_groups(&self) -> Vec<Value> {
        self.state
            .capacity
            .groups
            .iter()
            .map(|g| {
                json!({
                    "autoScalingGroupName": g.name,
                    "autoScalingGroupArn": g.arn,
                    "desiredCapacity": g.desired(),
                    "minSize": g.min,
                    "maxSize": g.max,
                    "launching": g.launching().iter().sum::<u32>(),
                })
            })
            .collect()
    }
}

fn container_status(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::Running | TaskStatus::Deactivating => "RUNNING",
        TaskStatus::Stopping | TaskStatus::Deprovisioning | TaskStatus::Stopped => "STOPPED",
        _ => "PENDING",
    }
}

fn attachment_status(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::Provisioning => "PRECREATED",
        TaskStatus::Deprovisioning => "DELETED",
        TaskStatus::Stopped => "DELETED",
        _ => "ATTACHED",
    }
}

/// The final snapshot line's `detail`: the cluster as the describe calls show it, under the
/// responses' own member names, and the project's own keys beside them (README, "The snapshot"):
/// - `services` (DescribeServices), `tasks` (DescribeTasks of the live tasks),
///   `containerInstances` (DescribeContainerInstances), `capacityProviders`
///   (DescribeCapacityProviders), `TargetGroups` (ELBv2 DescribeTargetGroups);
/// - `targetHealth`: per target group, `{"TargetGroupArn", "TargetHealthDescriptions"}` (one
///   DescribeTargetHealth output each); `targetGroupAttributes`: per target group,
///   `{"TargetGroupArn", "Attributes"}` (one DescribeTargetGroupAttributes output each);
/// - `playground`: what AWS has no describe call for: `clusterArn`, `availabilityZones`,
///   `serviceMetrics` (per service the last minute's CloudWatch figures), `autoScalingGroups`
///   (desired/min/max and instances launching), `targetRequestsLastMinute`, `cost`.
pub(super) fn snapshot(sim: &Simulation) -> Value {
    let mut v = snapshot_without_tasks(sim);
    v["tasks"] = live_tasks(sim).map(|id| sim.task_detail_for(id, For::Describe)).collect();
    v
}

/// The live tasks, in id order (the snapshot's `tasks`).
fn live_tasks(sim: &Simulation) -> impl Iterator<Item = TaskId> + '_ {
    sim.state.tasks.iter().enumerate().filter(|(_, t)| t.is_live()).map(|(i, _)| TaskId(i as u32))
}

/// [`snapshot`]'s JSON text (serde_json's compact form of the tree, keys sorted), with the tasks
/// written straight from the state by [`Simulation::write_task_detail`] instead of built as trees
/// and serialised: at the end of a large run they are most of the snapshot.
pub(super) fn write_snapshot(sim: &Simulation, w: &mut Vec<u8>) {
    let rest = snapshot_without_tasks(sim);
    let write_tasks = |w: &mut Vec<u8>| {
        w.extend_from_slice(b"\"tasks\":");
        write_array(w, live_tasks(sim), |w, id| sim.write_task_detail(id, For::Describe, w));
    };
    w.push(b'{');
    let mut tasks_written = false;
    let mut first = true;
    let empty = serde_json::Map::new();
    let members = rest.as_object().unwrap_or(&empty);
    for (key, v) in members {
        if !first {
            w.push(b',');
        }
        first = false;
        if !tasks_written && key.as_str() > "tasks" {
            write_tasks(w);
            w.push(b',');
            tasks_written = true;
        }
        json_str(w, key);
        w.push(b':');
        // Writing JSON into a Vec<u8> cannot fail (no I/O, string keys only).
        let _ = serde_json::to_writer(&mut *w, v);
    }
    if !tasks_written {
        if !first {
            w.push(b',');
        }
        write_tasks(w);
    }
    w.push(b'}');
}

/// Every member of [`snapshot`] but `tasks`.
fn snapshot_without_tasks(sim: &Simulation) -> Value {
    let st = &sim.state;
    let mut own = json!({
        "clusterArn": st.cluster_arn,
        "availabilityZones": st.azs,
        "serviceMetrics": st.services.iter().map(|s| json!({"serviceName": s.service_name, "metrics": s.metrics})).collect::<Vec<_>>(),
        "autoScalingGroups": sim.auto_scaling_groups(),
        "targetRequestsLastMinute": st.elb.target_groups().iter().flat_map(|tg| tg.targets.iter().map(move |t| json!({
            "TargetGroupArn": tg.target_group_arn, "Id": t.id, "Port": t.port, "Requests": t.requests_this_minute,
        }))).collect::<Vec<_>>(),
    });
    // Listener rules with their live weights (DescribeRules' `Rule`), and the blue/green, linear
    // and canary deployments' stages, when the scenario has them.
    if !st.elb.listener_rules().is_empty() {
        own["listenerRules"] = json!((0..st.elb.listener_rules().len()).map(|k| sim.rule_json(k)).collect::<Vec<_>>());
    }
    let shifts = sim.traffic_view();
    if !shifts.is_empty() {
        own["trafficShifts"] = json!(shifts);
    }
    // The running bill (price table date included) when the region has prices.
    if let Some(c) = sim.cost_report() {
        own["cost"] = json!({"priceDate": c.price_date, "currency": c.currency, "totals": c.totals});
    }
    json!({
        "services": (0..st.services.len()).map(|s| sim.service_detail(ServiceId(s as u32))).collect::<Vec<_>>(),
        "containerInstances": (0..st.instances.len()).map(|i| sim.instance_detail_for(InstanceId(i as u32), For::Describe)).collect::<Vec<_>>(),
        "capacityProviders": sim.capacity_provider_details(),
        "TargetGroups": st.elb.target_groups().iter().map(|tg| {
            let mut d = json!({
                "TargetGroupName": tg.name,
                "TargetGroupArn": tg.target_group_arn,
                "TargetType": tg.target_type,
                "Port": tg.port,
                "Protocol": tg.protocol,
                "HealthCheckEnabled": true,
                "HealthCheckProtocol": tg.health_check_protocol,
                "HealthCheckPort": "traffic-port",
                "HealthCheckPath": tg.health_check_path,
                "HealthCheckIntervalSeconds": tg.interval,
                "HealthCheckTimeoutSeconds": tg.timeout,
                "HealthyThresholdCount": tg.healthy_threshold,
                "UnhealthyThresholdCount": tg.unhealthy_threshold,
                "Matcher": {"HttpCode": tg.matcher},
            });
            // A TCP health check has no path and no matcher (DescribeTargetGroups omits them).
            if let (true, Some(o)) = (tg.tcp_health_check(), d.as_object_mut()) {
                o.remove("HealthCheckPath");
                o.remove("Matcher");
            }
            d
        }).collect::<Vec<_>>(),
        "targetHealth": st.elb.target_groups().iter().map(|tg| json!({
            "TargetGroupArn": tg.target_group_arn,
            "TargetHealthDescriptions": tg.targets.iter().map(|t| {
                let mut h = json!({"State": t.state});
                if let Some(r) = &t.reason {
                    h["Reason"] = json!(r);
                }
                json!({"Target": {"Id": t.id, "Port": t.port}, "HealthCheckPort": t.port.to_string(), "TargetHealth": h})
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "targetGroupAttributes": st.elb.target_groups().iter().map(|tg| if tg.is_nlb() {
            // An NLB target group has no load_balancing.algorithm.type; it has client IP
            // preservation (crate::nlb).
            json!({
                "TargetGroupArn": tg.target_group_arn,
                "Attributes": [
                    {"Key": "deregistration_delay.timeout_seconds", "Value": tg.deregistration_delay.to_string()},
                    {"Key": "preserve_client_ip.enabled", "Value": tg.client_ip_preserved.to_string()},
                ],
            })
        } else {
            json!({
                "TargetGroupArn": tg.target_group_arn,
                "Attributes": [
                    {"Key": "deregistration_delay.timeout_seconds", "Value": tg.deregistration_delay.to_string()},
                    {"Key": "load_balancing.algorithm.type", "Value": tg.algorithm},
                ],
            })
        }).collect::<Vec<_>>(),
        "playground": own,
    })
}

#[cfg(test)]
mod tests {
    use super::{json_str, Members};
    use serde_json::json;

    #[test]
    fn text_members_are_the_bytes_serde_json_writes_for_the_tree() {
        for s in ["arn:aws:ecs:us-east-1:123456789012:task/c/1", "", "quote \" back \\ tab \t nl \n", "é\u{7f}\u{1}"] {
            let mut w = Vec::new();
            json_str(&mut w, s);
            assert_eq!(String::from_utf8(w).unwrap(), serde_json::to_string(s).unwrap(), "{s:?}");
        }
        let mut w = Vec::new();
        let mut o = Members::open(&mut w);
        o.str("Beta", "b");
        o.ser("alpha", &1);
        o.tree("gone", &serde_json::Value::Null);
        o.tree("kept", &json!({"a": null, "b": [{"c": null, "d": 2}]}));
        o.str("zeta", "z");
        o.close();
        let tree = json!({"zeta": "z", "alpha": 1, "Beta": "b", "kept": {"b": [{"d": 2}]}});
        assert_eq!(String::from_utf8(w).unwrap(), serde_json::to_string(&tree).unwrap());
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "written after")]
    fn members_out_of_key_order_are_refused_in_debug_builds() {
        let mut w = Vec::new();
        let mut o = Members::open(&mut w);
        o.str("zeta", "z");
        o.str("alpha", "a");
    }
}
