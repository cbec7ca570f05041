//! Amazon ECS, JSON 1.1 (`X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`).
//! API reference: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Operations.html
//!
//! State-changing calls go through `Simulation::apply` (the validation a scenario timeline gets);
//! describe calls read the engine's describe-style output (`service_detail`, `task_detail`,
//! `instance_detail`).

use crate::util::{paginate, s, strings};
use crate::{App, Fault, OpResult};
use ecs_sim::model::{InstanceId, ServiceId, TaskId};
use ecs_sim::taskdef::TaskDefinition;
use serde_json::{json, Value};

pub const TARGET_PREFIX: &str = "AmazonEC2ContainerServiceV20141113";

/// ECS operations that exist in the real API but are not simulated: answered with
/// `UnsupportedFeatureException` and a sentence saying so (anything else is
/// `UnknownOperationException`, as ECS answers an operation it does not have).
pub const NOT_SIMULATED: &[&str] = &[
    "CreateCapacityProvider",
    "DeleteCapacityProvider",
    "UpdateCapacityProvider",
    "PutClusterCapacityProviders",
    "DeleteCluster",
    "UpdateCluster",
    "UpdateClusterSettings",
    "DeleteService",
    "DeleteTaskDefinitions",
    "DescribeServiceRevisions",
    "ExecuteCommand",
    "StartTask",
    "RegisterContainerInstance",
    "DeregisterContainerInstance",
    "CreateTaskSet",
    "DeleteTaskSet",
    "UpdateTaskSet",
    "UpdateServicePrimaryTaskSet",
    "PutAccountSetting",
    "PutAccountSettingDefault",
    "ListAccountSettings",
    "DeleteAccountSetting",
    "PutAttributes",
    "DeleteAttributes",
    "ListAttributes",
    "SubmitTaskStateChange",
    "SubmitContainerStateChange",
    "SubmitAttachmentStateChanges",
    "DiscoverPollEndpoint",
    "UpdateContainerAgent",
    "GetTaskProtection",
    "UpdateTaskProtection",
    "ListServicesByNamespace",
];

pub fn call(a: &mut App, op: &str, input: &Value) -> OpResult {
    match op {
        "RegisterTaskDefinition" => register_task_definition(a, input),
        "DescribeTaskDefinition" => describe_task_definition(a, input),
        "ListTaskDefinitions" => list_task_definitions(a, input),
        "ListTaskDefinitionFamilies" => list_task_definition_families(a, input),
        "DeregisterTaskDefinition" => deregister_task_definition(a, input),
        "CreateCluster" => create_cluster(a, input),
        "DescribeClusters" => describe_clusters(a, input),
        "ListClusters" => {
            let arns = vec![a.sim.state().cluster_arn.clone()];
            page(&arns, input, "clusterArns", 100)
        }
        "CreateService" => create_service(a, input),
        "UpdateService" => update_service(a, input),
        "DescribeServices" => describe_services(a, input),
        "ListServices" => list_services(a, input),
        "RunTask" => run_task(a, input),
        "StopTask" => {
            check_cluster(a, input)?;
            let r = a.apply("StopTask", input)?;
            let arn = r["task"]["taskArn"].as_str().unwrap_or_default().to_string();
            let id = a.sim.state().task_by_ref(&arn).ok_or_else(|| Fault::new("ServerException", "task vanished"))?;
            Ok(json!({"task": task_json(a, id)}))
        }
        "DescribeTasks" => describe_tasks(a, input),
        "DescribeTaskSets" => {
            check_cluster(a, input)?;
            let svc = required(input, "service")?;
            let id =
                find_service(a, svc).ok_or_else(|| Fault::new("ServiceNotFoundException", "Service not found."))?;
            let name = a.sim.state().services[id.idx()].service_name.clone();
            let wanted = strings(input, "taskSets")?;
            let mut sets = a.sim.task_sets(&name);
            if !wanted.is_empty() {
                sets.retain(|t| wanted.iter().any(|w| t["taskSetArn"] == w.as_str() || t["id"] == w.as_str()));
            }
            let mut out = json!({"taskSets": sets, "failures": []});
            clean(a, &mut out);
            Ok(out)
        }
        "StopServiceDeployment" => {
            let r = a.apply("StopServiceDeployment", input)?;
            Ok(json!({"serviceDeploymentArn": r["serviceDeploymentArn"]}))
        }
        "ListServiceDeployments" => {
            check_cluster(a, input)?;
            let svc = required(input, "service")?;
            let id =
                find_service(a, svc).ok_or_else(|| Fault::new("ServiceNotFoundException", "Service not found."))?;
            let name = a.sim.state().services[id.idx()].service_name.clone();
            let mut all = a.sim.list_service_deployments(&name).unwrap_or_default();
            let wanted = strings(input, "status")?;
            if !wanted.is_empty() {
                all.retain(|d| wanted.iter().any(|w| d["status"] == w.as_str()));
            }
            let (p, next) = paginate(&all, input, "nextToken", "maxResults", 20, 100)?;
            let mut out = json!({"serviceDeployments": p});
            if let Some(n) = next {
                out["nextToken"] = json!(n);
            }
            clean(a, &mut out);
            Ok(out)
        }
        "DescribeServiceDeployments" => {
            let arns = strings(input, "serviceDeploymentArns")?;
            let (mut found, mut failures) = (Vec::new(), Vec::new());
            for arn in arns {
                match a.sim.describe_service_deployment(&arn) {
                    Ok(d) => found.push(d),
                    Err(_) => failures.push(json!({"arn": arn, "reason": "MISSING"})),
                }
            }
            let mut out = json!({"serviceDeployments": found, "failures": failures});
            clean(a, &mut out);
            Ok(out)
        }
        "ListTasks" => list_tasks(a, input),
        "DescribeContainerInstances" => describe_container_instances(a, input),
        "ListContainerInstances" => list_container_instances(a, input),
        "UpdateContainerInstancesState" => update_container_instances_state(a, input),
        "DescribeCapacityProviders" => {
            let snap = a.sim.snapshot();
            Ok(json!({"capacityProviders": snap["capacityProviders"].clone(), "failures": []}))
        }
        "TagResource" => tag_resource(a, input),
        "UntagResource" => untag_resource(a, input),
        "ListTagsForResource" => {
            let arn = required(input, "resourceArn")?;
            known_arn(a, arn)?;
            Ok(json!({"tags": tags_json(a, arn)}))
        }
        _ if NOT_SIMULATED.contains(&op) => Err(Fault::new(
            "UnsupportedFeatureException",
            format!("ECS {op} is not simulated by ECS Playground (see the README's list of operations)."),
        )),
        _ => Err(Fault::new("UnknownOperationException", format!("Unknown ECS operation \"{op}\"."))),
    }
}

fn required<'a>(input: &'a Value, key: &str) -> Result<&'a str, Fault> {
    s(input, key).ok_or_else(|| Fault::new("InvalidParameterException", format!("{key} is required (a string).")))
}

fn page(items: &[String], input: &Value, key: &str, max: usize) -> OpResult {
    let (p, next) = paginate(items, input, "nextToken", "maxResults", max, max)?;
    let mut out = json!({ key: p });
    if let Some(n) = next {
        out["nextToken"] = json!(n);
    }
    Ok(out)
}

/// The request's `cluster` is the simulated one (by name or ARN; omitted means it too, so the
/// AWS CLI works without `--cluster` whatever the scenario calls its cluster).
fn check_cluster(a: &App, input: &Value) -> Result<(), Fault> {
    match s(input, "cluster") {
        Some(c) if c != a.sim.state().cluster_name && c != a.sim.state().cluster_arn => {
            Err(Fault::new("ClusterNotFoundException", "Cluster not found."))
        }
        _ => Ok(()),
    }
}

/// Timestamps as Unix seconds (the engine counts simulated seconds from 0), no `null` members,
/// and nothing outside botocore's shapes.
pub fn clean(a: &App, v: &mut Value) {
    const TIMES: &[&str] = &[
        "createdAt",
        "updatedAt",
        "startedAt",
        "stoppedAt",
        "stoppingAt",
        "finishedAt",
        "registeredAt",
        "pullStartedAt",
        "pullStoppedAt",
        "executionStoppedAt",
        "connectivityAt",
    ];
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            for (k, x) in m.iter_mut() {
                if TIMES.contains(&k.as_str()) {
                    if let Some(secs) = x.as_f64() {
                        *x = json!(a.config.epoch + secs);
                    }
                } else {
                    clean(a, x);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|x| clean(a, x)),
        _ => {}
    }
}

fn resolve_td<'a>(a: &'a App, r: &str) -> Option<&'a TaskDefinition> {
    let st = a.sim.state();
    let tref = st.task_defs.resolve(r)?;
    st.task_defs.get(&tref)
}

fn td_json(a: &App, td: &TaskDefinition) -> Value {
    let mut v = serde_json::to_value(&td.request).unwrap_or_else(|_| json!({}));
    if let Some(m) = v.as_object_mut() {
        m.remove("tags");
        m.insert("taskDefinitionArn".into(), json!(td.task_definition_arn));
        m.insert("revision".into(), json!(td.revision));
        let inactive = a.deregistered.contains(&td.family_revision());
        m.insert("status".into(), json!(if inactive { "INACTIVE" } else { "ACTIVE" }));
        m.insert("compatibilities".into(), json!(td.compatibilities));
        m.insert("networkMode".into(), json!(td.network_mode));
    }
    clean(a, &mut v);
    v
}

/// A task definition reference in a request, refusing deregistered revisions: "You can't use an
/// INACTIVE task definition revision to run new tasks or create new services. You also can't
/// update an existing service to reference an INACTIVE task definition revision."
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deregister-task-definition-v2.html)
/// A bare family means its latest ACTIVE revision; the input is rewritten to name it.
fn active_td(a: &App, input: &Value, key: &str) -> Result<Value, Fault> {
    let mut input = input.clone();
    let Some(r) = s(&input, key).map(str::to_string) else { return Ok(input) };
    let bare = !r.contains(':') || r.starts_with("arn:") && !r.rsplit('/').next().unwrap_or("").contains(':');
    if bare {
        let family = r.rsplit('/').next().unwrap_or(&r).to_string();
        let revs = a.sim.state().task_defs.families.get(&family);
        let latest = revs.and_then(|v| v.iter().rev().find(|t| !a.deregistered.contains(&t.family_revision())));
        match latest {
            Some(t) => input[key] = json!(t.family_revision()),
            None if revs.is_some() => {
                return Err(Fault::new(
                    "ClientException",
                    format!("TaskDefinition family {family} has no ACTIVE revision."),
                ))
            }
            None => {}
        }
    } else if let Some(td) = resolve_td(a, &r) {
        if a.deregistered.contains(&td.family_revision()) {
            return Err(Fault::new("ClientException", "TaskDefinition is inactive"));
        }
    }
    Ok(input)
}

fn register_task_definition(a: &mut App, input: &Value) -> OpResult {
    let r = a.apply("RegisterTaskDefinition", input)?;
    let arn = r["taskDefinition"]["taskDefinitionArn"].as_str().unwrap_or_default().to_string();
    let td = resolve_td(a, &arn).ok_or_else(|| Fault::new("ServerException", "registered revision not found"))?;
    let out = td_json(a, td);
    let tags = input.get("tags").cloned();
    if let Some(Value::Array(t)) = &tags {
        set_tags(a, &arn, t)?;
    }
    Ok(json!({"taskDefinition": out, "tags": tags_json(a, &arn)}))
}

fn describe_task_definition(a: &mut App, input: &Value) -> OpResult {
    let r = required(input, "taskDefinition")?;
    let td = resolve_td(a, r).ok_or_else(|| Fault::new("ClientException", "Unable to describe task definition."))?;
    let arn = td.task_definition_arn.clone();
    let mut out = json!({"taskDefinition": td_json(a, td)});
    if strings(input, "include")?.iter().any(|i| i == "TAGS") {
        out["tags"] = tags_json(a, &arn);
    }
    Ok(out)
}

fn list_task_definitions(a: &mut App, input: &Value) -> OpResult {
    let prefix = s(input, "familyPrefix");
    let status = s(input, "status").unwrap_or("ACTIVE");
    if !["ACTIVE", "INACTIVE", "DELETE_IN_PROGRESS"].contains(&status) {
        return Err(Fault::new("InvalidParameterException", "status must be ACTIVE, INACTIVE or DELETE_IN_PROGRESS."));
    }
    let mut arns: Vec<String> = Vec::new();
    // "familyPrefix: The full family name to filter the ListTaskDefinitions results with."
    for (family, revs) in &a.sim.state().task_defs.families {
        if prefix.is_some_and(|p| p != family) {
            continue;
        }
        for td in revs {
            let inactive = a.deregistered.contains(&td.family_revision());
            if (status == "INACTIVE") == inactive && status != "DELETE_IN_PROGRESS" {
                arns.push(td.task_definition_arn.clone());
            }
        }
    }
    match s(input, "sort").unwrap_or("ASC") {
        "ASC" => {}
        "DESC" => arns.reverse(),
        _ => return Err(Fault::new("InvalidParameterException", "sort must be ASC or DESC.")),
    }
    page(&arns, input, "taskDefinitionArns", 100)
}

fn list_task_definition_families(a: &mut App, input: &Value) -> OpResult {
    let prefix = s(input, "familyPrefix").unwrap_or("");
    let families: Vec<String> =
        a.sim.state().task_defs.families.keys().filter(|f| f.starts_with(prefix)).cloned().collect();
    page(&families, input, "families", 100)
}

fn deregister_task_definition(a: &mut App, input: &Value) -> OpResult {
    let r = required(input, "taskDefinition")?;
    // "You must specify a revision" (family:revision or the full ARN).
    if !r.rsplit('/').next().unwrap_or(r).contains(':') {
        return Err(Fault::new("ClientException", "Revision must be specified: family:revision or a full ARN."));
    }
    let td = resolve_td(a, r)
        .ok_or_else(|| Fault::new("ClientException", "The specified task definition does not exist."))?;
    let fr = td.family_revision();
    a.deregistered.insert(fr);
    let td = resolve_td(a, r).ok_or_else(|| Fault::new("ServerException", "revision vanished"))?;
    let mut out = td_json(a, td);
    out["deregisteredAt"] = json!(a.config.epoch + a.sim.now() as f64 / 1000.0);
    Ok(json!({"taskDefinition": out}))
}

fn cluster_json(a: &App) -> Value {
    let st = a.sim.state();
    let live = |f: &dyn Fn(&ecs_sim::model::Task) -> bool| st.tasks.iter().filter(|t| t.is_live() && f(t)).count();
    json!({
        "clusterArn": st.cluster_arn,
        "clusterName": st.cluster_name,
        "status": "ACTIVE",
        "registeredContainerInstancesCount": st.instances.iter().filter(|i| i.status != ecs_sim::model::InstanceStatus::Inactive).count(),
        "runningTasksCount": live(&|t| t.last_status == ecs_sim::model::TaskStatus::Running),
        "pendingTasksCount": live(&|t| t.last_status.is_pending()),
        "activeServicesCount": st.services.iter().filter(|s| s.status == "ACTIVE").count(),
        "capacityProviders": st.capacity.providers.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
        "tags": tags_json(a, &st.cluster_arn),
    })
}

fn create_cluster(a: &mut App, input: &Value) -> OpResult {
    let name = s(input, "clusterName").unwrap_or("default");
    let own = a.sim.state().cluster_name.clone();
    if name != own {
        return Err(Fault::new(
            "UnsupportedFeatureException",
            format!("ECS Playground simulates one cluster, \"{own}\"; CreateCluster of another is not simulated (start ecs-sim serve with a --scenario whose \"cluster\" is \"{name}\")."),
        ));
    }
    // "If you create a cluster with the same name as an existing cluster, ... returns the
    // existing cluster" (CreateCluster is idempotent on the name).
    if let Some(Value::Array(t)) = input.get("tags") {
        let arn = a.sim.state().cluster_arn.clone();
        set_tags(a, &arn, t)?;
    }
    Ok(json!({"cluster": cluster_json(a)}))
}

fn describe_clusters(a: &mut App, input: &Value) -> OpResult {
    let mut names = strings(input, "clusters")?;
    if names.is_empty() {
        names.push("default".into());
    }
    let st = a.sim.state();
    let (mut clusters, mut failures) = (Vec::new(), Vec::new());
    for n in names {
        if n == st.cluster_name || n == st.cluster_arn || n == "default" && input.get("clusters").is_none() {
            clusters.push(cluster_json(a));
        } else {
            failures.push(json!({"arn": n, "reason": "MISSING"}));
        }
    }
    Ok(json!({"clusters": clusters, "failures": failures}))
}

pub fn service_json(a: &App, id: ServiceId) -> Value {
    let mut v = a.sim.service_detail(id);
    let svc = &a.sim.state().services[id.idx()];
    if let Some(m) = v.as_object_mut() {
        // The engine's own per-service figures are not part of describe-services.
        m.remove("metrics");
        m.insert("clusterArn".into(), json!(a.sim.state().cluster_arn));
        m.insert("placementConstraints".into(), json!(svc.spec.placement_constraints));
        m.insert("placementStrategy".into(), json!(svc.spec.placement_strategy));
        if let Some(n) = &svc.spec.network_configuration {
            m.insert("networkConfiguration".into(), n.clone());
        }
        if let Some(Value::Array(deps)) = m.get("deployments").cloned() {
            let created =
                deps.iter().filter_map(|d| d.get("createdAt").and_then(Value::as_f64)).fold(f64::MAX, f64::min);
            if created < f64::MAX {
                m.insert("createdAt".into(), json!(created));
            }
        }
        if svc.spec.launch_type.is_none() && !svc.spec.capacity_provider_strategy.is_empty() {
            m.remove("launchType");
        }
        if m.get("capacityProviderStrategy").and_then(Value::as_array).is_some_and(|x| x.is_empty()) {
            m.remove("capacityProviderStrategy");
        }
    }
    clean(a, &mut v);
    v
}

fn find_service(a: &App, r: &str) -> Option<ServiceId> {
    let st = a.sim.state();
    st.service_by_name(r).filter(|s| r == st.services[s.idx()].service_name || r == st.services[s.idx()].service_arn)
}

fn create_service(a: &mut App, input: &Value) -> OpResult {
    check_cluster(a, input)?;
    let input = active_td(a, input, "taskDefinition")?;
    let mut body = input.clone();
    let tags = body.as_object_mut().and_then(|m| m.remove("tags"));
    if let Some(Value::Array(t)) = &tags {
        validate_tags(t)?;
    }
    let r = a.apply("CreateService", &body)?;
    let arn = r["service"]["serviceArn"].as_str().unwrap_or_default().to_string();
    if let Some(Value::Array(t)) = &tags {
        set_tags(a, &arn, t)?;
    }
    let id = find_service(a, &arn).ok_or_else(|| Fault::new("ServerException", "service vanished"))?;
    Ok(json!({"service": service_json(a, id)}))
}

fn update_service(a: &mut App, input: &Value) -> OpResult {
    check_cluster(a, input)?;
    let input = active_td(a, input, "taskDefinition")?;
    let svc = required(&input, "service")?.to_string();
    if find_service(a, &svc).is_none() {
        return Err(Fault::new("ServiceNotFoundException", "Service not found."));
    }
    a.apply("UpdateService", &input)?;
    let id = find_service(a, &svc).ok_or_else(|| Fault::new("ServiceNotFoundException", "Service not found."))?;
    Ok(json!({"service": service_json(a, id)}))
}

fn describe_services(a: &mut App, input: &Value) -> OpResult {
    check_cluster(a, input)?;
    let names = strings(input, "services")?;
    if names.is_empty() || names.len() > 10 {
        return Err(Fault::new("InvalidParameterException", "services must name between 1 and 10 services."));
    }
    let include_tags = strings(input, "include")?.iter().any(|i| i == "TAGS");
    let (mut services, mut failures) = (Vec::new(), Vec::new());
    for n in names {
        match find_service(a, &n) {
            Some(id) => {
                let mut v = service_json(a, id);
                if include_tags {
                    v["tags"] = tags_json(a, v["serviceArn"].as_str().unwrap_or_default());
                }
                services.push(v)
            }
            None => failures.push(json!({"arn": n, "reason": "MISSING"})),
        }
    }
    Ok(json!({"services": services, "failures": failures}))
}

fn list_services(a: &mut App, input: &Value) -> OpResult {
    check_cluster(a, input)?;
    let launch = s(input, "launchType");
    let strategy = s(input, "schedulingStrategy");
    let st = a.sim.state();
    let arns: Vec<String> = st
        .services
        .iter()
        .filter(|svc| svc.status == "ACTIVE")
        .filter(|svc| launch.is_none_or(|l| json!(svc.launch_type) == json!(l)))
        .filter(|svc| strategy.is_none_or(|x| json!(svc.spec.scheduling_strategy.unwrap_or_default()) == json!(x)))
        .map(|svc| svc.service_arn.clone())
        .collect();
    // ListServices: maxResults 1-100, default 10.
    let (p, next) = paginate(&arns, input, "nextToken", "maxResults", 10, 100)?;
    let mut out = json!({"serviceArns": p});
    if let Some(n) = next {
        out["nextToken"] = json!(n);
    }
    Ok(out)
}

pub fn task_json(a: &App, id: TaskId) -> Value {
    let mut v = a.sim.describe_task(id);
    let t = &a.sim.state().tasks[id.idx()];
    // Timestamps come from the engine's describe shape as ISO 8601 strings, which botocore's JSON
    // parser reads like the epoch numbers AWS sends.
    v["tags"] = tags_json(a, &t.task_arn);
    // describe-tasks' Container has no `essential` (the engine's event detail does); it has taskArn.
    if let Some(cs) = v.get_mut("containers").and_then(Value::as_array_mut) {
        for c in cs {
            if let Some(m) = c.as_object_mut() {
                m.remove("essential");
                m.insert("taskArn".into(), json!(t.task_arn));
            }
        }
    }
    clean(a, &mut v);
    v
}

fn run_task(a: &mut App, input: &Value) -> OpResult {
    check_cluster(a, input)?;
    let input = active_td(a, input, "taskDefinition")?;
    let mut body = input.clone();
    let tags = body.as_object_mut().and_then(|m| m.remove("tags"));
    if let Some(Value::Array(t)) = &tags {
        validate_tags(t)?;
    }
    let r = a.apply("RunTask", &body)?;
    let mut tasks = Vec::new();
    for t in r["tasks"].as_array().cloned().unwrap_or_default() {
        let arn = t["taskArn"].as_str().unwrap_or_default().to_string();
        if let Some(Value::Array(tg)) = &tags {
            set_tags(a, &arn, tg)?;
        }
        if let Some(id) = a.sim.state().task_by_ref(&arn) {
            tasks.push(task_json(a, id));
        }
    }
    Ok(json!({"tasks": tasks, "failures": r.get("failures").cloned().unwrap_or(json!([]))}))
}

fn describe_tasks(a: &mut App, input: &Value) -> OpResult {
    check_cluster(a, input)?;
    let refs = strings(input, "tasks")?;
    if refs.is_empty() || refs.len() > 100 {
        return Err(Fault::new("InvalidParameterException", "tasks must name between 1 and 100 tasks."));
    }
    let (mut tasks, mut failures) = (Vec::new(), Vec::new());
    for r in refs {
        let id = r.rsplit('/').next().unwrap_or(&r);
        match a.sim.state().tasks.iter().position(|t| t.task_id == id) {
            Some(i) => tasks.push(task_json(a, TaskId(i as u32))),
            None => failures.push(json!({"arn": r, "reason": "MISSING"})),
        }
    }
    Ok(json!({"tasks": tasks, "failures": failures}))
}

fn list_tasks(a: &mut App, input: &Value) -> OpResult {
    check_cluster(a, input)?;
    let st = a.sim.state();
    let desired = s(input, "desiredStatus").unwrap_or("RUNNING");
    if !["RUNNING", "PENDING", "STOPPED"].contains(&desired) {
        return Err(Fault::new("InvalidParameterException", "desiredStatus must be RUNNING, PENDING or STOPPED."));
    }
    let service = match s(input, "serviceName") {
        Some(n) => {
            Some(find_service(a, n).ok_or_else(|| Fault::new("ServiceNotFoundException", "Service not found."))?)
        }
        None => None,
    };
    let instance = match s(input, "containerInstance") {
        Some(r) => Some(st.instance_by_ref(r).ok_or_else(|| {
            Fault::new("InvalidParameterException", "The referenced container instance was not found.")
        })?),
        None => None,
    };
    let family = s(input, "family");
    let started_by = s(input, "startedBy");
    let launch = s(input, "launchType");
    let arns: Vec<String> = st
        .tasks
        .iter()
        .filter(|t| {
            // desiredStatus PENDING returns nothing: "ECS never sets the desired status of a task to
            // that value" (ListTasks).
            json!(t.desired_status) == json!(desired)
        })
        .filter(|t| service.is_none_or(|s| t.service == Some(s)))
        .filter(|t| instance.is_none_or(|i| t.instance == Some(i)))
        .filter(|t| family.is_none_or(|f| t.task_def.family == f))
        .filter(|t| started_by.is_none_or(|b| t.started_by.as_deref() == Some(b)))
        .filter(|t| launch.is_none_or(|l| json!(t.launch_type) == json!(l)))
        .map(|t| t.task_arn.clone())
        .collect();
    page(&arns, input, "taskArns", 100)
}

fn instance_json(a: &App, id: InstanceId) -> Value {
    let mut v = a.sim.describe_container_instance(id);
    let i = &a.sim.state().instances[id.idx()];
    v["tags"] = tags_json(a, &i.container_instance_arn);
    // The engine's event detail names the cluster; describe-container-instances does not.
    if let Some(m) = v.as_object_mut() {
        m.remove("clusterArn");
    }
    if let Some(cp) = &i.capacity_provider {
        v["capacityProviderName"] = json!(cp);
    }
    clean(a, &mut v);
    v
}

fn describe_container_instances(a: &mut App, input: &Value) -> OpResult {
    check_cluster(a, input)?;
    let refs = strings(input, "containerInstances")?;
    if refs.is_empty() || refs.len() > 100 {
        return Err(Fault::new(
            "InvalidParameterException",
            "containerInstances must name between 1 and 100 instances.",
        ));
    }
    let (mut out, mut failures) = (Vec::new(), Vec::new());
    for r in refs {
        match a.sim.state().instance_by_ref(&r) {
            Some(id) => out.push(instance_json(a, id)),
            None => failures.push(json!({"arn": r, "reason": "MISSING"})),
        }
    }
    Ok(json!({"containerInstances": out, "failures": failures}))
}

fn list_container_instances(a: &mut App, input: &Value) -> OpResult {
    check_cluster(a, input)?;
    if input.get("filter").is_some() {
        return Err(Fault::new(
            "UnsupportedFeatureException",
            "ListContainerInstances with a cluster query language filter is not simulated by ECS Playground.",
        ));
    }
    let status = s(input, "status");
    let arns: Vec<String> = a
        .sim
        .state()
        .instances
        .iter()
        .filter(|i| match status {
            Some(x) => json!(i.status) == json!(x),
            None => i.status != ecs_sim::model::InstanceStatus::Inactive,
        })
        .map(|i| i.container_instance_arn.clone())
        .collect();
    page(&arns, input, "containerInstanceArns", 100)
}

fn update_container_instances_state(a: &mut App, input: &Value) -> OpResult {
    check_cluster(a, input)?;
    let refs = strings(input, "containerInstances")?;
    match required(input, "status")? {
        "DRAINING" => {}
        "ACTIVE" => {
            return Err(Fault::new(
                "UnsupportedFeatureException",
                "UpdateContainerInstancesState to ACTIVE is not simulated by ECS Playground: a DRAINING instance stays DRAINING.",
            ))
        }
        other => return Err(Fault::new("InvalidParameterException", format!("status must be ACTIVE or DRAINING, not {other}."))),
    }
    let (mut out, mut failures) = (Vec::new(), Vec::new());
    for r in refs {
        let Some(id) = a.sim.state().instance_by_ref(&r) else {
            failures.push(json!({"arn": r, "reason": "MISSING"}));
            continue;
        };
        let arn = a.sim.state().instances[id.idx()].container_instance_arn.clone();
        // Draining an instance that is already DRAINING is a no-op in ECS.
        if a.sim.state().instances[id.idx()].status == ecs_sim::model::InstanceStatus::Active {
            a.apply("DrainInstance", &json!({"instance": arn}))?;
        }
        out.push(instance_json(a, id));
    }
    Ok(json!({"containerInstances": out, "failures": failures}))
}

// Tags: kept by the server per ARN. "Tag keys can have a maximum character length of 128
// characters, and tag values can have a maximum length of 256 characters"; "Maximum number of
// tags per resource - 50". https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html

fn validate_tags(tags: &[Value]) -> Result<Vec<(String, String)>, Fault> {
    let mut out = Vec::new();
    for t in tags {
        let k = s(t, "key").ok_or_else(|| Fault::new("InvalidParameterException", "Each tag needs a key."))?;
        let v = s(t, "value").unwrap_or("");
        if k.is_empty() || k.chars().count() > 128 || v.chars().count() > 256 {
            return Err(Fault::new("InvalidParameterException", "Tag keys are 1-128 characters, values at most 256."));
        }
        if k.to_ascii_lowercase().starts_with("aws:") {
            return Err(Fault::new("InvalidParameterException", "Tag keys starting with aws: are reserved."));
        }
        out.push((k.to_string(), v.to_string()));
    }
    Ok(out)
}

fn set_tags(a: &mut App, arn: &str, tags: &[Value]) -> Result<(), Fault> {
    let new = validate_tags(tags)?;
    let cur = a.tags.entry(arn.to_string()).or_default();
    for (k, v) in new {
        match cur.iter_mut().find(|(ck, _)| *ck == k) {
            Some(e) => e.1 = v,
            None => cur.push((k, v)),
        }
    }
    if cur.len() > 50 {
        return Err(Fault::new("InvalidParameterException", "At most 50 tags per resource."));
    }
    Ok(())
}

fn tags_json(a: &App, arn: &str) -> Value {
    Value::Array(
        a.tags.get(arn).map(|t| t.iter().map(|(k, v)| json!({"key": k, "value": v})).collect()).unwrap_or_default(),
    )
}

fn known_arn(a: &App, arn: &str) -> Result<(), Fault> {
    let st = a.sim.state();
    let found = arn == st.cluster_arn
        || st.services.iter().any(|s| s.service_arn == arn)
        || st.tasks.iter().any(|t| t.task_arn == arn)
        || st.instances.iter().any(|i| i.container_instance_arn == arn)
        || st.task_defs.families.values().flatten().any(|t| t.task_definition_arn == arn);
    if found {
        Ok(())
    } else {
        Err(Fault::new("InvalidParameterException", "The specified resource could not be found."))
    }
}

fn tag_resource(a: &mut App, input: &Value) -> OpResult {
    let arn = required(input, "resourceArn")?.to_string();
    known_arn(a, &arn)?;
    let tags = input.get("tags").and_then(Value::as_array).cloned().unwrap_or_default();
    set_tags(a, &arn, &tags)?;
    Ok(json!({}))
}

fn untag_resource(a: &mut App, input: &Value) -> OpResult {
    let arn = required(input, "resourceArn")?.to_string();
    known_arn(a, &arn)?;
    let keys = strings(input, "tagKeys")?;
    if let Some(cur) = a.tags.get_mut(&arn) {
        cur.retain(|(k, _)| !keys.contains(k));
    }
    Ok(json!({}))
}
