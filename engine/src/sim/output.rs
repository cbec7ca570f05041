//! Output shapes: EventBridge `detail` objects for log lines, and the describe-style snapshot.

use super::*;
use crate::log::fmt_secs;
use serde_json::{json, Value};

fn iso(t: SimTime) -> Value {
    // Simulated seconds since the start; rendered as a number so consumers can do arithmetic.
    serde_json::from_str(&fmt_secs(t)).unwrap_or(Value::Null)
}

impl Simulation {
    /// The `detail` of an "ECS Task State Change" event.
    pub(super) fn task_detail(&self, id: TaskId) -> Value {
        let t = &self.state.tasks[id.idx()];
        let td = self.state.task_defs.get(&t.task_def);
        let containers: Vec<Value> = td
            .map(|td| {
                td.containers()
                    .iter()
                    .enumerate()
                    .map(|(ci, c)| {
                        let bindings: Vec<Value> = t
                            .bindings
                            .iter()
                            .filter(|b| b.container_name == c.name)
                            .map(|b| json!({"bindIP": b.bind_ip, "containerPort": b.container_port, "hostPort": b.host_port, "protocol": b.protocol}))
                            .collect();
                        let state = t.containers.get(ci);
                        let last = match state.map(|s| s.last_status) {
                            Some(ContainerStatus::Stopped) => "STOPPED",
                            _ => container_status(t.last_status),
                        };
                        let mut v = json!({
                            "name": c.name,
                            "image": c.image,
                            "lastStatus": last,
                            "networkBindings": bindings,
                        });
                        if let Some(st) = state {
                            v["essential"] = json!(st.essential);
                            if st.has_health_check {
                                v["healthStatus"] = json!(st.health_status);
                            }
                            if let Some(code) = st.exit_code {
                                v["exitCode"] = json!(code);
                            }
                            if let Some(r) = &st.reason {
                                v["reason"] = json!(r);
                            }
                        }
                        if let Some(ip) = &t.private_ip {
                            v["networkInterfaces"] = json!([{"attachmentId": t.eni_id, "privateIpv4Address": ip}]);
                        }
                        v
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut d = json!({
            "taskArn": t.task_arn,
            "clusterArn": self.state.cluster_arn,
            "taskDefinitionArn": t.task_definition_arn,
            "group": t.group,
            "launchType": t.launch_type,
            "lastStatus": t.last_status,
            "desiredStatus": t.desired_status,
            "availabilityZone": t.availability_zone,
            "cpu": t.cpu.to_string(),
            "memory": t.memory.to_string(),
            "containers": containers,
            "healthStatus": t.health_status,
            "version": t.history.len(),
        });
        if t.awaiting_capacity {
            // No host yet: describe-tasks shows no Availability Zone for it.
            if let Some(m) = d.as_object_mut() {
                m.remove("availabilityZone");
            }
        }
        if let Some(i) = t.instance {
            d["containerInstanceArn"] = json!(self.state.instances[i.idx()].container_instance_arn);
        }
        if let (Some(ip), Some(eni)) = (&t.private_ip, &t.eni_id) {
            let subnet = &self.state.azs[t.az.idx()].subnet_id;
            d["attachments"] = json!([{
                "type": "eni",
                "status": attachment_status(t.last_status),
                "details": [
                    {"name": "subnetId", "value": subnet},
                    {"name": "networkInterfaceId", "value": eni},
                    {"name": "privateIPv4Address", "value": ip},
                ],
            }]);
        }
        if let Some(cp) = &t.capacity_provider {
            d["capacityProviderName"] = json!(cp);
        }
        if let Some(s) = &t.started_by {
            d["startedBy"] = json!(s);
        }
        if let Some(c) = t.stop_code {
            d["stopCode"] = json!(c);
        }
        if let Some(r) = &t.stopped_reason {
            d["stoppedReason"] = json!(r);
        }
        if let Some(s) = t.started_at {
            d["startedAt"] = iso(s);
        }
        if let Some(s) = t.stopped_at {
            d["stoppedAt"] = iso(s);
        }
        d
    }

    /// The `detail` of an "ECS Container Instance State Change" event.
    pub(super) fn instance_detail(&self, id: InstanceId) -> Value {
        let i = &self.state.instances[id.idx()];
        json!({
            "containerInstanceArn": i.container_instance_arn,
            "ec2InstanceId": i.ec2_instance_id,
            "clusterArn": self.state.cluster_arn,
            "status": i.status,
            "agentConnected": i.status != InstanceStatus::Inactive,
            "attributes": i.attributes.iter().map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>(),
            "registeredResources": [
                {"name": "CPU", "type": "INTEGER", "integerValue": i.registered_cpu},
                {"name": "MEMORY", "type": "INTEGER", "integerValue": i.registered_memory},
            ],
            "remainingResources": [
                {"name": "CPU", "type": "INTEGER", "integerValue": i.remaining_cpu()},
                {"name": "MEMORY", "type": "INTEGER", "integerValue": i.remaining_memory()},
                {"name": "PORTS", "type": "STRINGSET", "stringSetValue": i.used_ports.iter().filter(|p| p.1 == PortProto::Tcp).map(|p| p.0.to_string()).collect::<Vec<_>>()},
            ],
            "runningTasksCount": i.tasks.iter().filter(|t| self.state.tasks[t.idx()].last_status == TaskStatus::Running).count(),
            "pendingTasksCount": i.tasks.iter().filter(|t| self.state.tasks[t.idx()].last_status.is_pending()).count(),
        })
    }

    /// A service as `describe-services` shows it.
    pub fn service_detail(&self, s: ServiceId) -> Value {
        let svc = &self.state.services[s.idx()];
        json!({
            "serviceName": svc.service_name,
            "serviceArn": svc.service_arn,
            "status": svc.status,
            "desiredCount": svc.desired_count,
            "runningCount": self.state.running_count(s),
            "pendingCount": self.state.pending_count(s),
            "launchType": svc.launch_type,
            "taskDefinition": svc.deployments.iter().find(|d| d.status == DeploymentStatus::Primary).map(|d| d.task_definition_arn.clone()),
            "schedulingStrategy": svc.spec.scheduling_strategy.unwrap_or_default(),
            "loadBalancers": svc.spec.load_balancers.iter().zip(svc.target_groups.iter()).map(|(lb, tg)| json!({
                "targetGroupArn": self.state.target_groups[tg.idx()].target_group_arn,
                "containerName": lb.container_name,
                "containerPort": lb.container_port,
            })).collect::<Vec<_>>(),
            "healthCheckGracePeriodSeconds": svc.spec.health_check_grace_period_seconds.unwrap_or(0),
            "capacityProviderStrategy": svc.spec.capacity_provider_strategy,
            "metrics": svc.metrics,
            "deploymentConfiguration": {
                "maximumPercent": svc.maximum_percent,
                "minimumHealthyPercent": svc.minimum_healthy_percent,
            },
            "deployments": svc.deployments.iter().filter(|d| d.status != DeploymentStatus::Inactive).map(|d| {
                let (running, pending) = self.deployment_counts(s, d);
                json!({
                    "id": d.id, "status": d.status, "taskDefinition": d.task_definition_arn,
                    "desiredCount": d.desired_count, "runningCount": running, "pendingCount": pending,
                    "failedTasks": d.failed_tasks, "rolloutState": d.rollout_state, "rolloutStateReason": d.rollout_state_reason,
                    "createdAt": iso(d.created_at), "updatedAt": iso(d.updated_at),
                })
            }).collect::<Vec<_>>(),
            "events": svc.events.iter().take(10).map(|e| json!({"id": e.id, "createdAt": iso(e.created_at), "message": e.message})).collect::<Vec<_>>(),
        })
    }

    pub(crate) fn deployment_counts(&self, s: ServiceId, d: &Deployment) -> (u32, u32) {
        let idx = self.state.services[s.idx()].deployments.iter().position(|x| x.id == d.id).map(|i| i as u32);
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
    /// `describe-capacity-providers` for the cluster's providers, with each Auto Scaling group's
    /// sizes and the instances it is launching.
    fn capacity_provider_details(&self) -> Vec<Value> {
        let cfg = &self.state.capacity;
        cfg.providers
            .iter()
            .map(|p| {
                let g = &cfg.groups[p.group];
                let mut asg = json!({
                    "autoScalingGroupArn": g.arn,
                    "managedTerminationProtection": if p.termination_protection { "ENABLED" } else { "DISABLED" },
                    "desiredCapacity": g.desired,
                    "minSize": g.min,
                    "maxSize": g.max,
                    "launching": g.launching.iter().sum::<u32>(),
                });
                asg["managedScaling"] = match p.managed_scaling {
                    Some(m) => json!({"status": "ENABLED", "targetCapacity": m.target, "minimumScalingStepSize": m.min_step,
                        "maximumScalingStepSize": m.max_step, "instanceWarmupPeriod": m.warmup_seconds}),
                    None => json!({"status": "DISABLED"}),
                };
                json!({"capacityProviderArn": p.arn, "name": p.name, "status": "ACTIVE", "autoScalingGroupProvider": asg})
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

/// The final snapshot line's `detail`: the cluster as the describe calls would show it.
pub(super) fn snapshot(sim: &Simulation) -> Value {
    let st = &sim.state;
    let mut v = snapshot_cluster(sim);
    // The running bill (price table date included) when the region has prices.
    if let (Some(o), Some(c)) = (v.as_object_mut(), sim.cost_report()) {
        o.insert("cost".into(), json!({"priceDate": c.price_date, "currency": c.currency, "totals": c.totals}));
    }
    let _ = st;
    v
}

fn snapshot_cluster(sim: &Simulation) -> Value {
    let st = &sim.state;
    json!({
        "clusterArn": st.cluster_arn,
        "availabilityZones": st.azs,
        "containerInstances": (0..st.instances.len()).map(|i| sim.instance_detail(InstanceId(i as u32))).collect::<Vec<_>>(),
        "services": (0..st.services.len()).map(|s| sim.service_detail(ServiceId(s as u32))).collect::<Vec<_>>(),
        "capacityProviders": sim.capacity_provider_details(),
        "tasks": st.tasks.iter().enumerate().filter(|(_, t)| t.is_live()).map(|(i, _)| sim.task_detail(TaskId(i as u32))).collect::<Vec<_>>(),
        "targetGroups": st.target_groups.iter().map(|tg| json!({
            "targetGroupName": tg.name,
            "targetGroupArn": tg.target_group_arn,
            "targetType": tg.target_type,
            "port": tg.port,
            "protocol": tg.protocol,
            "healthCheckPath": tg.health_check_path,
            "healthCheckIntervalSeconds": tg.interval,
            "healthCheckTimeoutSeconds": tg.timeout,
            "healthyThresholdCount": tg.healthy_threshold,
            "unhealthyThresholdCount": tg.unhealthy_threshold,
            "matcher": {"HttpCode": tg.matcher},
            "deregistrationDelaySeconds": tg.deregistration_delay,
            "loadBalancingAlgorithm": tg.algorithm,
            // describe-target-health's TargetHealthDescriptions.
            "targetHealthDescriptions": tg.targets.iter().map(|t| {
                let mut h = json!({"State": t.state});
                if let Some(r) = &t.reason {
                    h["Reason"] = json!(r);
                }
                json!({"Target": {"Id": t.id, "Port": t.port}, "HealthCheckPort": t.port.to_string(), "TargetHealth": h, "RequestsLastMinute": t.requests_this_minute})
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
