//! `docs/reference.md`, generated: every key of a scenario and a lesson (from the JSON Schema, so
//! from the serde types), traffic shapes, timeline actions and their input, log line kinds and
//! time units. `engine/tests/schema.rs` checks that every action the engine accepts and every
//! detail-type it logs is described here.

use serde_json::{Map, Value};
use std::fmt::Write;

/// Timeline actions (and the app's controls, which send the same actions): name, input keys,
/// what it does. The input keys are the AWS API's where there is one.
pub const ACTIONS: &[(&str, &str, &str)] = &[
    ("RegisterTaskDefinition", "a RegisterTaskDefinition body (`family`, `containerDefinitions`, ...)", "registers the next revision of the family"),
    ("CreateService", "a CreateService body (as in `services`)", "creates a service"),
    ("UpdateService", "`service`, `desiredCount`?, `taskDefinition`?, `deploymentConfiguration`?, `forceNewDeployment`?, `cluster`?", "changes the desired count; a new task definition (or `forceNewDeployment`) starts a rolling deployment"),
    ("DeleteService", "`service`, `force`", "deletes a service: DRAINING, then INACTIVE once its tasks are STOPPING (`force` when its desired count is above 0)"),
    ("RunTask", "`taskDefinition`, `count`? (1), `launchType`?, `capacityProviderStrategy`?, `group`?, `startedBy`?, `placementStrategy`?, `placementConstraints`?, `networkConfiguration`?, `cluster`?", "starts standalone tasks"),
    ("StopTask", "`task` (id or ARN), `reason`?, `cluster`?", "stops a task (stopCode UserInitiated)"),
    ("StopServiceDeployment", "`serviceDeploymentArn` (the ARN, a deployment id `ecs-svc/...`, or a service name for its deployment in progress), `stopType`? (`ROLLBACK`, the default, or `ABORT`)", "stops a deployment in progress: ROLLBACK returns to the last COMPLETED deployment (blue/green, linear, canary: production and test traffic back to blue at once, green scaled down); ABORT stops it where it is"),
    ("CreateDeployment", "CodeDeploy's request: `applicationName`, `deploymentGroupName` (one of `codeDeployDeploymentGroups`), `deploymentConfigName`? (CodeDeployDefault.ECSAllAtOnce, ECSLinear10PercentEvery1Minutes, ECSLinear10PercentEvery3Minutes, ECSCanary10Percent5Minutes, ECSCanary10Percent15Minutes), `revision` (`revisionType` AppSpecContent, `appSpecContent.content`: the AppSpec as JSON, with `Hooks`)", "deploys a CODE_DEPLOY service: a replacement task set in the other target group, traffic shifted as the configuration says, AppSpec hooks as lifecycle hooks, the original task set terminated after terminationWaitTimeInMinutes"),
    ("TerminateInstance", "`instance` (EC2 id or container instance ARN) or `availabilityZone` (its earliest ACTIVE instance)", "fault: the EC2 instance is terminated; its tasks stop"),
    ("DrainInstance", "`instance` or `availabilityZone`", "sets the container instance to DRAINING; service tasks are replaced elsewhere"),
    ("FailAvailabilityZone", "`availabilityZone`", "fault: the zone becomes unavailable; its instances and tasks are lost"),
    ("RestoreAvailabilityZone", "`availabilityZone`", "the zone is available again (tasks are not moved back: availabilityZoneRebalancing is not simulated)"),
    ("FailHealthChecks", "`service` (with `count`? of its RUNNING tasks) or `task`", "fault: the application answers health checks with HTTP 500 and container health checks fail"),
    ("RestoreHealthChecks", "`service` or `task`", "health checks pass again"),
    ("KillContainer", "`containerName`, `task` or `service` (its oldest RUNNING task), `exitCode`? (137)", "fault: the container exits"),
    ("SpotInterruption", "`service` with `count`, or `task`", "fault: FARGATE_SPOT capacity is reclaimed (two-minute warning, SIGTERM, stop)"),
    ("PutObject", "`bucket`, `key`", "an S3 object is created (EventBridge `Object Created`)"),
    ("CreateExpressGatewayService", "`primaryContainer`, `executionRoleArn`, `infrastructureRoleArn`, `serviceName`?, `cluster`?, `taskRoleArn`?, `networkConfiguration`?, `cpu`?, `memory`?, `scalingTarget`?, `healthCheckPath`?, `tags`?", "Express Mode: one call builds the load balancer, target group, Fargate service and auto scaling"),
    ("UpdateExpressGatewayService", "`serviceArn`, then the members to change", "Express Mode: a new revision rolls out"),
    ("DescribeExpressGatewayService", "`serviceArn`", "Express Mode: the service and what it created"),
    ("DeleteExpressGatewayService", "`serviceArn`", "Express Mode: drains the service, then INACTIVE"),
    ("LaunchInstances", "`instanceType`, `availabilityZone`, `count`? (1)", "registers new container instances (the app's \"add instance\")"),
    ("RegisterScalableTarget", "Application Auto Scaling RegisterScalableTarget body (`ResourceId`, `MinCapacity`, `MaxCapacity`, ...)", "adds or changes a scalable target"),
    ("PutScalingPolicy", "PutScalingPolicy body (`PolicyName`, `ResourceId`, `PolicyType`, ...)", "adds or replaces a scaling policy"),
    ("DeleteScalingPolicy", "`PolicyName`, `ResourceId`", "deletes a scaling policy"),
    ("PutScheduledAction", "PutScheduledAction body (`ScheduledActionName`, `ResourceId`, `Schedule`, `ScalableTargetAction`, ...)", "creates or updates a scheduled action (an update keeps what it leaves out)"),
    ("DeleteScheduledAction", "`ServiceNamespace`, `ScheduledActionName`, `ResourceId`, `ScalableDimension`", "deletes a scheduled action"),
    ("SetTraffic", "one `traffic.targetGroups` entry (`targetGroup`, `requestsPerSecond`, ...)", "replaces the offered load of a target group"),
    ("SetAlarmState", "CloudWatch SetAlarmState body (`AlarmName` of a `metricAlarms` alarm, `StateValue` OK / ALARM / INSUFFICIENT_DATA, `StateReason`, `StateReasonData`?)", "sets the alarm's state until its next evaluation; ALARM fails the deployments that watch it"),
    ("FailNextLifecycleHook", "`hookTargetArn` (a function some service's `lifecycleHooks` names)", "fault: that hook function returns FAILED at its next invocation"),
    ("AuthorizeSecurityGroupIngress", "EC2 body: `GroupId` (one of `vpc.SecurityGroups`), `IpPermissions` (`IpProtocol`, `FromPort`, `ToPort`, `IpRanges[].CidrIp`, `UserIdGroupPairs[].GroupId`)", "adds inbound rules: a target the load balancer could not reach passes its next health check"),
    ("AuthorizeSecurityGroupEgress", "EC2 body: `GroupId`, `IpPermissions`", "adds outbound rules"),
    ("RevokeSecurityGroupIngress", "EC2 body: `GroupId`, `IpPermissions` (exactly as authorized)", "removes inbound rules"),
    ("RevokeSecurityGroupEgress", "EC2 body: `GroupId`, `IpPermissions`", "removes outbound rules"),
    ("CreateRoute", "EC2 body: `RouteTableId`, `DestinationCidrBlock`, `GatewayId` or `NatGatewayId`", "adds a route (e.g. 0.0.0.0/0 to a NAT gateway: private subnets reach public registries)"),
    ("CreateNatGateway", "EC2 body: `SubnetId` (a public subnet), `AllocationId`?, `ConnectivityType`?", "creates a NAT gateway (available at once; its id is in the answer); a route must send traffic to it"),
    ("CreateVpcEndpoint", "EC2 body: `VpcId`, `ServiceName` (com.amazonaws.REGION.ecr.dkr, .ecr.api, .s3, .logs ...), `VpcEndpointType`? (Gateway), `RouteTableIds`?, `SubnetIds`?, `SecurityGroupIds`?, `PrivateDnsEnabled`?", "creates a VPC endpoint (available at once): ECR and CloudWatch Logs without a NAT gateway"),
];

/// Log line kinds: AWS's EventBridge `detail-type`s first, then the playground's own `trace` kinds,
/// and what their `detail` holds.
pub const LOG_KINDS: &[(&str, &str)] = &[
    ("ECS Task State Change", "EventBridge event (aws.ecs): a task's `lastStatus` changed (PROVISIONING ... STOPPED); describe-tasks' `Task` with `desiredStatus`, `stopCode`, `stoppedReason`, `containers` (network bindings, `hostPort`), `availabilityZone`, `containerInstanceArn`, `startedBy`, `group`, `createdAt`, `updatedAt`"),
    ("ECS Container Instance State Change", "EventBridge event (aws.ecs): an instance registered, drained, or was lost; `ContainerInstance` plus `clusterArn`, `updatedAt`"),
    ("ECS Deployment State Change", "EventBridge event (aws.ecs): `eventType`, `eventName` (SERVICE_DEPLOYMENT_IN_PROGRESS / _COMPLETED / _FAILED), `deploymentId`, `updatedAt`, `reason`; the service is in `resources`"),
    ("ECS Service Action", "EventBridge event (aws.ecs): SERVICE_STEADY_STATE, TASKS_STOPPED, SERVICE_TASK_PLACEMENT_FAILURE, SERVICE_TASK_START_IMPAIRED"),
    ("Scheduled Event", "EventBridge event (aws.events): a schedule rule fired"),
    ("Object Created", "EventBridge event (aws.s3): S3 sent an object-created event"),
    ("ServiceEvent", "trace: the console's Events tab: `message` in ECS's words (started tasks, unable to place, steady state, deployment completed ...), `id`, `createdAt`, `serviceName`, `serviceArn`"),
    ("TargetHealthChange", "trace: a target's state in its target group (`initial`, `healthy`, `unhealthy`, `draining`, `unused`) and the reason code"),
    ("Metric", "trace: one-minute CloudWatch datapoints: `namespace` (AWS/ECS, AWS/ApplicationELB, AWS/SQS, ECS/CapacityProvider ...), `metricName`, `dimensions`, `value`"),
    ("AlarmStateChange", "trace: an alarm (target tracking, step scaling, managed scaling, or a scenario `metricAlarms` alarm) changed `state` (OK, ALARM, INSUFFICIENT_DATA) with its reason"),
    ("TrafficShift", "trace: a blue/green, linear or canary deployment's `lifecycleStage` (PRE_SCALE_UP, SCALE_UP, POST_SCALE_UP, TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT, BAKE_TIME, CLEAN_UP; the PRE_/POST_ stages only while a lifecycle hook runs), `productionTrafficPercent` on the new revision, and its listener `rules` with their forward weights (DescribeRules' `Rule`)"),
    ("LifecycleHook", "trace: ECS invoked a deployment lifecycle hook (`hookTargetArn`, `lifecycleStage`, `invocation` number) and the simulated function returned `hookStatus` SUCCEEDED, FAILED or IN_PROGRESS (with `callBackDelay`, seconds to the next invocation; see `lifecycleHookResults`), or the hook timed out (`hookStatus` TIMED_OUT, `timeoutAction` ROLLBACK or CONTINUE)"),
    ("ScalingActivity", "trace: an Application Auto Scaling activity (DescribeScalingActivities' members): `Description`, `Cause`, `StatusCode`"),
    ("ApiCall", "trace: an API action from the timeline or the page: `eventName`, `requestParameters`, `responseElements`, or `errorCode` and `errorMessage` when it failed"),
    ("AppApiCall", "trace: an AWS call made by application code with the task role: `eventName`, `resource`, `errorCode` (AccessDenied, NoCredentials) or none"),
    ("EcrImageExpired", "trace: an ECR lifecycle policy expired images"),
    ("FaultInjected", "trace: a fault from the timeline or the page (`eventName`: TerminateInstance, FailAvailabilityZone, KillContainer, SpotInterruption ...), with `errorCode` when it failed"),
    ("SnsNotification", "trace: an EventBridge rule published a matching event to its SNS topic target"),
    ("ExpressResource", "trace: an Express Mode call created (or described) one resource, in creation order"),
    ("AsgInstanceLaunch", "trace: an Auto Scaling group launched an instance"),
    ("AsgInstanceTerminate", "trace: an Auto Scaling group terminated an instance"),
    ("AsgActivity", "trace: an Auto Scaling group's desired capacity changed (DescribeScalingActivities wording)"),
    ("Snapshot", "trace: the last line of `ecs-sim run`: the cluster as describe-services, describe-tasks, describe-container-instances, describe-capacity-providers and describe-target-groups show it"),
];

const HEADER: &str = "# Scenario and lesson reference

Generated by `ecs-sim reference` from the engine's own types (`make reference` rewrites this file;
`cargo test -p ecs-sim --test schema` fails when it is stale). The JSON Schema it is made from is
`schema/scenario.schema.json` (and `schema/lesson.schema.json`, where `lesson` is required); put
`\"$schema\": \"../schema/scenario.schema.json\"` at the top of a file and an editor completes keys and
flags mistakes.

## Time units

- Every time in a scenario is **simulated seconds from the start** (`at`, `durationSeconds`,
  `exitAfterSeconds`, `peakAtSeconds`), a number (decimals allowed; the engine keeps milliseconds).
- Keys ending in `Seconds`, `Minutes`, `Ms`, `Mib` say their unit; AWS API bodies keep AWS's units
  (`cpu` in CPU units, 1,024 = 1 vCPU; `memory` in MiB; `HealthCheckIntervalSeconds` ...).
- In the log, `t` is simulated seconds with at most three decimals. Dates exist only where AWS
  shows them (cron schedules from `startTime`, ECR push dates from `startDate`).
- Share links: `t=` accepts `95`, `95.5`, `95s`, `1:35`, `1m35s`.
";

const TRAFFIC: &str = "## Traffic shapes

`traffic.targetGroups[].requestsPerSecond` is one of (requests per second `R`, times `S` in simulated seconds):

| `type` | keys | rate at time t |
|---|---|---|
| `constant` | `value` | `value` |
| `steps` | `steps: [{at, value}, ...]` | the `value` of the last step with `at` <= t (0 before the first) |
| `dailySine` | `min`, `max`, `peakAtSeconds` (43200) | a 24-hour cosine: `max` at `peakAtSeconds`, `min` twelve hours away |
| `spike` | `base`, `peak`, `at`, `durationSeconds` | `peak` from `at` for `durationSeconds`, else `base` |
| `ramp` | `from`, `to`, `at`, `durationSeconds` | `from` until `at`, then a straight line to `to` at `at + durationSeconds`, then `to` |

Each request costs `cpuMsPerRequest` ms of CPU (1,000 ms per second = 1 vCPU = 1,024 units), stays
in flight `latencyMs`, and holds `memoryMibPerInFlightRequest` MiB while in flight on top of
`baseMemoryMib`. Routing and CloudWatch datapoints are evaluated once per simulated minute.
";

/// The whole page.
pub fn reference_markdown() -> String {
    let schema = super::scenario_schema();
    let defs = schema.get("$defs").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut o = String::from(HEADER);
    o.push_str("\n## Scenario keys\n\nThe top level of a scenario (or lesson) file:\n\n");
    object_table(&mut o, &schema, &defs);
    o.push_str("\n## Types\n\nEvery object a key above refers to, in the order of its name.\n");
    for (name, def) in &defs {
        let _ = write!(o, "\n### {name}\n\n");
        if let Some(d) = def.get("description").and_then(Value::as_str) {
            let _ = writeln!(o, "{}\n", one_para(d));
        }
        if def.get("properties").is_some() {
            object_table(&mut o, def, &defs);
        } else if let Some(vs) = def.get("oneOf").or_else(|| def.get("anyOf")).and_then(Value::as_array) {
            for v in vs {
                let _ = writeln!(o, "- {}", variant(v));
            }
        } else {
            let _ = writeln!(o, "{}", type_of(def));
        }
    }
    o.push('\n');
    o.push_str(TRAFFIC);
    o.push_str("\n## Timeline actions\n\n`timeline` entries are `{\"at\": seconds, \"action\": NAME, \"input\": {...}}`; the page's controls send\nthe same actions (and record them in the link). `?` marks an optional key.\n\n| action | input | what happens |\n|---|---|---|\n");
    for (a, input, what) in ACTIONS {
        let _ = writeln!(o, "| `{a}` | {input} | {what} |");
    }
    o.push_str("\n## Log lines\n\n`ecs-sim run` writes JSON Lines: `{\"t\": seconds, \"detail-type\": KIND, \"detail\": {...}}`, shaped\nlike EventBridge events. The kinds:\n\n| detail-type | detail |\n|---|---|\n");
    for (k, what) in LOG_KINDS {
        let _ = writeln!(o, "| `{k}` | {what} |");
    }
    o
}

fn one_para(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

fn object_table(o: &mut String, obj: &Value, defs: &Map<String, Value>) {
    let Some(props) = obj.get("properties").and_then(Value::as_object) else { return };
    let required: Vec<&str> = obj
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    o.push_str("| key | type | description |\n|---|---|---|\n");
    for (k, v) in props {
        let mut desc = v.get("description").and_then(Value::as_str).map(one_para).unwrap_or_default();
        if desc.is_empty() {
            // A `$ref` key takes its type's description.
            if let Some(d) =
                ref_name(v).and_then(|n| defs.get(n)).and_then(|d| d.get("description")).and_then(Value::as_str)
            {
                desc = one_para(d);
            }
        }
        if let Some(d) = v.get("default").filter(|d| !d.is_null()) {
            desc.push_str(&format!(" Default: `{d}`."));
        }
        let req = if required.contains(&k.as_str()) { " (required)" } else { "" };
        let _ = writeln!(o, "| `{k}`{req} | {} | {} |", type_of(v).replace('|', "\\|"), desc.trim());
    }
}

/// One variant of a `oneOf`: its keys and their types, with a description when it has one.
fn variant(v: &Value) -> String {
    let Some(props) = v.get("properties").and_then(Value::as_object) else { return type_of(v) };
    let keys: Vec<String> = props
        .iter()
        .map(|(k, p)| match p.get("const").or_else(|| p.get("enum").and_then(|e| e.get(0))) {
            Some(c) => format!("`\"{k}\": {c}`"),
            None => format!("`{k}` ({})", type_of(p)),
        })
        .collect();
    let desc = v.get("description").and_then(Value::as_str).map(|d| format!(": {}", one_para(d))).unwrap_or_default();
    format!("{{{}}}{desc}", keys.join(", "))
}

fn ref_name(v: &Value) -> Option<&str> {
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next();
    }
    v.get("anyOf")
        .or_else(|| v.get("oneOf"))
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find_map(|x| x.get("$ref").and_then(Value::as_str)))
        .and_then(|r| r.rsplit('/').next())
}

/// A short type: `string`, `whole number`, `list of [Type](#type)`, `one of "A", "B"`.
fn type_of(v: &Value) -> String {
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("[{name}](#{})", name.to_ascii_lowercase());
    }
    if let Some(c) = v.get("const") {
        return format!("`{c}`");
    }
    if let Some(e) = v.get("enum").and_then(Value::as_array) {
        let vals: Vec<String> = e.iter().filter(|x| !x.is_null()).map(|x| format!("`{x}`")).collect();
        return format!("one of {}", vals.join(", "));
    }
    if let Some(vs) = v.get("anyOf").or_else(|| v.get("oneOf")).and_then(Value::as_array) {
        let parts: Vec<String> =
            vs.iter().filter(|x| x.get("type").and_then(Value::as_str) != Some("null")).map(type_of).collect();
        return parts.join(" or ");
    }
    let ty = match v.get("type") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => {
            a.iter().filter_map(Value::as_str).filter(|s| *s != "null").collect::<Vec<_>>().join(" or ")
        }
        _ => return "any JSON".into(),
    };
    match ty.as_str() {
        "integer" => {
            let min = v.get("minimum").and_then(Value::as_f64);
            if min == Some(0.0) {
                "whole number >= 0".into()
            } else {
                "whole number".into()
            }
        }
        "number" => "number".into(),
        "boolean" => "true or false".into(),
        "string" => "string".into(),
        "array" => match v.get("items") {
            Some(i) => format!("list of {}", type_of(i)),
            None => "list".into(),
        },
        "object" => match v.get("additionalProperties") {
            Some(a) if a.is_object() => format!("object of string to {}", type_of(a)),
            _ if v.get("properties").is_some() => "object".into(),
            _ => "object (any keys)".into(),
        },
        other => other.into(),
    }
}
