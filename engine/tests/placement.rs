//! Task placement as the Amazon ECS developer guide documents it: each strategy, each constraint,
//! the "unable to place" reasons, host ports and ENIs. Each test quotes the rule it checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

mod placement_common;
use ecs_sim::model::PortProto;
use placement_common::*;
use serde_json::json;
use std::collections::BTreeSet;

fn three_az_cluster() -> serde_json::Value {
    json!([
        {"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2},
        {"instanceType": "m5.large", "availabilityZone": "us-east-1b", "count": 2},
        {"instanceType": "m5.large", "availabilityZone": "us-east-1c", "count": 2},
    ])
}

#[test]
fn binpack_memory_fills_the_fewest_instances() {
    // "binpack: Place tasks based on the least available amount of CPU or memory. This minimizes
    // the number of instances in use." m5.large registers 7985 MiB: 7 tasks of 1024 MiB fit on one.
    let mut sim = cluster(three_az_cluster(), json!([td("job", 128, 1024, json!([]))]));
    for _ in 0..10 {
        run_task(
            &mut sim,
            json!({"taskDefinition": "job", "placementStrategy": [{"type": "binpack", "field": "memory"}]}),
        );
    }
    let per = tasks_per_instance(&sim);
    assert_eq!(per.values().copied().collect::<Vec<_>>(), vec![7, 3], "{per:?}");
}

#[test]
fn binpack_picks_the_instance_with_the_least_remaining_memory() {
    // "if you binpack on memory, a task is placed on the instance with the least amount of remaining
    // memory but still enough to run the task" (PlacementStrategy, API reference).
    // Instance 0 is an r5.large (16 GiB), instance 1 a c5.large (4 GiB): the c5 has less left.
    let mut sim = cluster(
        json!([
            {"instanceType": "r5.large", "availabilityZone": "us-east-1a"},
            {"instanceType": "c5.large", "availabilityZone": "us-east-1a"},
        ]),
        json!([td("job", 128, 1500, json!([]))]),
    );
    let strat = json!([{"type": "binpack", "field": "memory"}]);
    for _ in 0..3 {
        run_task(&mut sim, json!({"taskDefinition": "job", "placementStrategy": strat}));
    }
    // c5.large registers 3992 MiB: two tasks of 1500 fit (992 left), the third goes to the r5.
    let per = tasks_per_instance(&sim);
    assert_eq!(per.get(&1), Some(&2), "{per:?}");
    assert_eq!(per.get(&0), Some(&1), "{per:?}");
}

#[test]
fn binpack_cpu_counts_cpu_units_not_memory() {
    // "Place tasks based on the least available amount of CPU": with field cpu, an instance with
    // less CPU left wins even when it has more memory left. "1,024 CPU units per vCPU": a c5.xlarge
    // has 4096 units and 8 GiB, an r5.large 2048 units and 16 GiB.
    let mut sim = cluster(
        json!([
            {"instanceType": "c5.xlarge", "availabilityZone": "us-east-1a"},
            {"instanceType": "r5.large", "availabilityZone": "us-east-1a"},
        ]),
        json!([td("job", 512, 256, json!([]))]),
    );
    run_task(&mut sim, json!({"taskDefinition": "job", "placementStrategy": [{"type": "binpack", "field": "cpu"}]}));
    assert_eq!(tasks_per_instance(&sim).get(&1), Some(&1));
    let mut sim2 = cluster(
        json!([
            {"instanceType": "c5.xlarge", "availabilityZone": "us-east-1a"},
            {"instanceType": "r5.large", "availabilityZone": "us-east-1a"},
        ]),
        json!([td("job", 512, 256, json!([]))]),
    );
    run_task(
        &mut sim2,
        json!({"taskDefinition": "job", "placementStrategy": [{"type": "binpack", "field": "memory"}]}),
    );
    assert_eq!(tasks_per_instance(&sim2).get(&0), Some(&1), "memory binpack prefers the 8 GiB c5.xlarge");
}

#[test]
fn spread_on_instance_id_balances_instances() {
    // "spread: Place tasks evenly based on the specified value. Accepted values are instanceId (or
    // host, which has the same effect) ..."
    for field in ["instanceId", "host"] {
        let mut sim = cluster(three_az_cluster(), json!([td("job", 128, 256, json!([]))]));
        for _ in 0..12 {
            run_task(
                &mut sim,
                json!({"taskDefinition": "job", "placementStrategy": [{"type": "spread", "field": field}]}),
            );
        }
        let per = tasks_per_instance(&sim);
        assert_eq!(per.len(), 6, "{field}: {per:?}");
        assert!(per.values().all(|n| *n == 2), "{field}: {per:?}");
    }
}

#[test]
fn spread_on_availability_zone_balances_zones_even_with_uneven_instances() {
    // "The following strategy distributes tasks evenly across Availability Zones":
    // {"field": "attribute:ecs.availability-zone", "type": "spread"}. Zone a has 3 instances, b and
    // c one each; zones still get equal task counts.
    let mut sim = cluster(
        json!([
            {"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 3},
            {"instanceType": "m5.large", "availabilityZone": "us-east-1b"},
            {"instanceType": "m5.large", "availabilityZone": "us-east-1c"},
        ]),
        json!([td("job", 128, 256, json!([]))]),
    );
    for _ in 0..9 {
        run_task(
            &mut sim,
            json!({"taskDefinition": "job", "placementStrategy": [{"type": "spread", "field": "attribute:ecs.availability-zone"}]}),
        );
    }
    let per = tasks_per_az(&sim);
    assert_eq!(per.values().copied().collect::<Vec<_>>(), vec![3, 3, 3], "{per:?}");
}

#[test]
fn spread_counts_only_tasks_of_the_same_group() {
    // "Service tasks are spread based on the tasks from that service. Standalone tasks are spread
    // based on the tasks from the same task group." Tasks of group "other" on instance 0 do not
    // push group "mine" away from it.
    let mut sim = cluster(
        json!([{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2}]),
        json!([td("job", 128, 256, json!([]))]),
    );
    let spread = json!([{"type": "spread", "field": "instanceId"}]);
    for _ in 0..3 {
        run_task(
            &mut sim,
            json!({"taskDefinition": "job", "group": "other", "placementStrategy": [{"type": "binpack", "field": "memory"}]}),
        );
    }
    run_task(&mut sim, json!({"taskDefinition": "job", "group": "mine", "placementStrategy": spread}));
    let mine: Vec<_> = live_tasks(&sim).into_iter().filter(|t| t.group == "mine").collect();
    let other_on: BTreeSet<_> =
        live_tasks(&sim).into_iter().filter(|t| t.group == "other").filter_map(|t| t.instance).collect();
    assert_eq!(other_on.len(), 1);
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].instance, other_on.iter().next().copied(), "spread ignores other groups; tie -> first instance");
}

#[test]
fn spread_az_then_binpack_memory_within_each_zone() {
    // "The following strategy distributes tasks evenly across Availability Zones and then bin packs
    // tasks based on memory within each Availability Zone."
    let mut sim = cluster(three_az_cluster(), json!([td("job", 128, 512, json!([]))]));
    let strat = json!([
        {"type": "spread", "field": "attribute:ecs.availability-zone"},
        {"type": "binpack", "field": "memory"},
    ]);
    for _ in 0..6 {
        run_task(&mut sim, json!({"taskDefinition": "job", "placementStrategy": strat}));
    }
    assert_eq!(tasks_per_az(&sim).values().copied().collect::<Vec<_>>(), vec![2, 2, 2]);
    // Within each zone both tasks share one instance: 3 instances used out of 6.
    let per = tasks_per_instance(&sim);
    assert_eq!(per.len(), 3, "{per:?}");
}

#[test]
fn service_default_is_az_spread_then_instance_spread() {
    // "For tasks running as part of an Amazon ECS service, the task placement strategy is spread
    // using the attribute:ecs.availability-zone", and CreateService: "Place the new service task on
    // a valid container instance in an optimal Availability Zone ..., favoring container instances
    // with the fewest number of running tasks for this service."
    let mut sim = cluster_with(
        json!([
            {"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2},
            {"instanceType": "m5.large", "availabilityZone": "us-east-1b"},
            {"instanceType": "m5.large", "availabilityZone": "us-east-1c"},
        ]),
        json!([td("web", 128, 256, json!([{"containerPort": 80, "hostPort": 0}]))]),
        json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 4, "launchType": "EC2"}]),
        3,
    );
    sim.run_until(secs(60));
    let per = tasks_per_instance(&sim);
    assert_eq!(per.len(), 4, "one task on each of the 4 instances: {per:?}");
    assert_eq!(tasks_per_az(&sim).values().copied().collect::<Vec<_>>(), vec![2, 1, 1]);
}

#[test]
fn random_is_reproducible_with_the_same_seed() {
    // "random: Place tasks randomly." The playground draws from its seeded generator, so the same
    // scenario and seed place the same way, and every instance gets used over enough tasks.
    let placements = |seed: u64| {
        let mut sim = cluster_with(three_az_cluster(), json!([td("job", 16, 64, json!([]))]), json!([]), seed);
        for _ in 0..30 {
            run_task(&mut sim, json!({"taskDefinition": "job", "placementStrategy": [{"type": "random"}]}));
        }
        sim.state().tasks.iter().map(|t| t.instance.map(|i| i.idx())).collect::<Vec<_>>()
    };
    let a = placements(11);
    assert_eq!(a, placements(11));
    assert_ne!(a, placements(12), "a different seed gives a different sequence");
    let used: BTreeSet<_> = a.iter().flatten().collect();
    assert_eq!(used.len(), 6, "30 random placements use all 6 instances");
}

#[test]
fn run_task_default_is_random() {
    // "Using RunTask, you can allow the default task placement strategy to distribute tasks
    // randomly across your cluster" (Scheduling Amazon ECS tasks).
    let mut sim = cluster(three_az_cluster(), json!([td("job", 16, 64, json!([]))]));
    for _ in 0..30 {
        run_task(&mut sim, json!({"taskDefinition": "job"}));
    }
    assert!(tasks_per_instance(&sim).len() >= 5, "{:?}", tasks_per_instance(&sim));
}

#[test]
fn distinct_instance_places_each_task_of_the_group_on_a_different_instance() {
    // "The distinctInstance constraint places each task in the group on a different instance."
    let mut sim = cluster_with(
        json!([{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 3}]),
        json!([td("web", 128, 256, json!([]))]),
        json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 4, "launchType": "EC2",
                "placementStrategy": [{"type": "binpack", "field": "memory"}],
                "placementConstraints": [{"type": "distinctInstance"}]}]),
        1,
    );
    sim.run_until(secs(60));
    let per = tasks_per_instance(&sim);
    assert_eq!(per.len(), 3);
    assert!(per.values().all(|n| *n == 1), "binpack would stack them; the constraint is binding: {per:?}");
    let ev = service_events(&sim);
    assert!(
        ev.iter().any(|m| m.contains("encountered error \"DistinctInstance placement constraint unsatisfied.\"")),
        "{ev:?}"
    );
}

#[test]
fn distinct_instance_from_run_task_reports_the_api_reason() {
    // RunTask failures: "DistinctInstance placement constraint unsatisfied." with the instance arn.
    let mut sim = cluster(
        json!([{"instanceType": "m5.large", "availabilityZone": "us-east-1a"}]),
        json!([td("job", 16, 64, json!([]))]),
    );
    let c = json!([{"type": "distinctInstance"}]);
    run_task(&mut sim, json!({"taskDefinition": "job", "placementConstraints": c}));
    let r = run_task(&mut sim, json!({"taskDefinition": "job", "placementConstraints": c}));
    assert_eq!(r["failures"][0]["reason"], "DistinctInstance placement constraint unsatisfied.");
    assert!(r["failures"][0]["arn"].as_str().is_some_and(|a| a.contains(":container-instance/")), "{r}");
}

#[test]
fn member_of_places_only_on_matching_instances() {
    // "memberOf: Place tasks on container instances that satisfy an expression", e.g.
    // "attribute:ecs.instance-type =~ t2.*" (task placement constraints examples).
    let mut sim = cluster(
        json!([
            {"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2},
            {"instanceType": "t2.medium", "availabilityZone": "us-east-1b", "count": 2},
        ]),
        json!([td("job", 16, 64, json!([]))]),
    );
    for _ in 0..8 {
        run_task(
            &mut sim,
            json!({"taskDefinition": "job", "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t2.*"}]}),
        );
    }
    for t in live_tasks(&sim) {
        let i = t.instance.map(|i| i.idx()).unwrap_or(usize::MAX);
        assert!(i == 2 || i == 3, "task on instance {i}, which is not a t2");
    }
    assert_eq!(live_tasks(&sim).len(), 8);
}

#[test]
fn member_of_in_the_task_definition_applies_too() {
    // "The memberOf task placement constraint can be specified with ... Creating a new task
    // definition". Custom attribute stack=prod on zone b only.
    let mut t = td("job", 16, 64, json!([]));
    t["placementConstraints"] = json!([{"type": "memberOf", "expression": "attribute:stack == prod"}]);
    let mut sim = cluster(
        json!([
            {"instanceType": "m5.large", "availabilityZone": "us-east-1a"},
            {"instanceType": "m5.large", "availabilityZone": "us-east-1b", "attributes": {"stack": "prod"}},
        ]),
        json!([t]),
    );
    for _ in 0..4 {
        run_task(&mut sim, json!({"taskDefinition": "job"}));
    }
    assert_eq!(tasks_per_instance(&sim).keys().copied().collect::<Vec<_>>(), vec![1]);
}

#[test]
fn member_of_failure_reason() {
    // The console's wording: "The closest matching container-instance <id> encountered error
    // "MemberOf placement constraint unsatisfied."", and RunTask's failure reason
    // "MemberOf placement constraint unsatisfied.".
    let mut sim = cluster_with(
        json!([{"instanceType": "m5.large", "availabilityZone": "us-east-1a"}]),
        json!([td("web", 16, 64, json!([]))]),
        json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 1, "launchType": "EC2",
                "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.availability-zone == us-east-1b"}]}]),
        1,
    );
    sim.run_until(secs(10));
    assert!(live_tasks(&sim).is_empty());
    let ev = service_events(&sim);
    assert!(ev.iter().any(|m| m.contains("was unable to place a task because no container instance met all of its requirements. The closest matching container-instance ")
        && m.contains(" encountered error \"MemberOf placement constraint unsatisfied.\".")), "{ev:?}");
    let r = run_task(
        &mut sim,
        json!({"taskDefinition": "web", "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.availability-zone == us-east-1b"}]}),
    );
    assert_eq!(r["failures"][0]["reason"], "MemberOf placement constraint unsatisfied.");
}

#[test]
fn member_of_task_affinity_with_task_group() {
    // "task:group == service:production": "selects instances that are hosting tasks in the
    // service:production group" (Cluster query language, task affinity).
    let mut sim = cluster(
        json!([{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 3}]),
        json!([td("job", 16, 64, json!([]))]),
    );
    run_task(
        &mut sim,
        json!({"taskDefinition": "job", "group": "database", "placementStrategy": [{"type": "spread", "field": "instanceId"}]}),
    );
    let db = live_tasks(&sim)[0].instance;
    for _ in 0..3 {
        run_task(
            &mut sim,
            json!({"taskDefinition": "job", "group": "cache", "placementConstraints": [{"type": "memberOf", "expression": "task:group == database"}]}),
        );
    }
    assert!(live_tasks(&sim).iter().filter(|t| t.group == "cache").all(|t| t.instance == db));
    // Anti-affinity: "not(task:group == database)".
    for _ in 0..4 {
        run_task(
            &mut sim,
            json!({"taskDefinition": "job", "group": "web", "placementConstraints": [{"type": "memberOf", "expression": "not(task:group == database)"}]}),
        );
    }
    assert!(live_tasks(&sim).iter().filter(|t| t.group == "web").all(|t| t.instance != db));
}

#[test]
fn insufficient_memory_and_cpu_reasons() {
    // "The closest matching container-instance container-instance-id has insufficient CPU units
    // available." / "Not enough memory" (troubleshooting, service event messages); RunTask reports
    // RESOURCE:MEMORY / RESOURCE:CPU ("API failure reasons").
    let mut sim = cluster(
        json!([{"instanceType": "t3.small", "availabilityZone": "us-east-1a"}]),
        json!([td("big", 128, 4096, json!([])), td("hot", 4096, 128, json!([]))]),
    );
    let r = run_task(&mut sim, json!({"taskDefinition": "big"}));
    assert_eq!(r["failures"][0]["reason"], "RESOURCE:MEMORY");
    let r = run_task(&mut sim, json!({"taskDefinition": "hot"}));
    assert_eq!(r["failures"][0]["reason"], "RESOURCE:CPU");

    let mut sim = cluster_with(
        json!([{"instanceType": "t3.small", "availabilityZone": "us-east-1a"}]),
        json!([td("big", 128, 4096, json!([])), td("hot", 4096, 128, json!([]))]),
        json!([{"serviceName": "big", "taskDefinition": "big", "desiredCount": 1, "launchType": "EC2"},
               {"serviceName": "hot", "taskDefinition": "hot", "desiredCount": 1, "launchType": "EC2"}]),
        1,
    );
    sim.run_until(secs(5));
    let ev = service_events(&sim);
    assert!(ev.iter().any(|m| m.contains("has insufficient memory available.")), "{ev:?}");
    assert!(ev.iter().any(|m| m.contains("has insufficient CPU units available.")), "{ev:?}");
}

#[test]
fn no_instances_reason() {
    // "No container instances were found in your cluster" (service event messages).
    let mut sim = cluster_with(
        json!([]),
        json!([td("web", 16, 64, json!([]))]),
        json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 1, "launchType": "EC2"}]),
        1,
    );
    sim.run_until(secs(5));
    assert!(service_events(&sim)
        .iter()
        .any(|m| m.contains("Reason: No Container Instances were found in your cluster.")));
}

#[test]
fn static_host_port_one_task_per_instance() {
    // "If your task uses fixed host port mapping (for example, your task uses port 80 on the host
    // for a web server), you must have at least one container instance per task, because only one
    // container can use a single host port at a time" ... "The closest matching container-instance
    // is already using a port required by your task."
    let mut sim = cluster_with(
        json!([{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2}]),
        json!([td("web", 16, 64, json!([{"containerPort": 80, "hostPort": 80}]))]),
        json!([{"serviceName": "web", "taskDefinition": "web", "desiredCount": 3, "launchType": "EC2"}]),
        1,
    );
    sim.run_until(secs(60));
    assert_eq!(tasks_per_instance(&sim).values().copied().collect::<Vec<_>>(), vec![1, 1]);
    let ev = service_events(&sim);
    assert!(ev.iter().any(|m| m.contains("is already using a port required by your task.")), "{ev:?}");
    let r = run_task(&mut sim, json!({"taskDefinition": "web"}));
    assert_eq!(r["failures"][0]["reason"], "RESOURCE:PORTS");
}

#[test]
fn udp_and_tcp_on_the_same_port_do_not_conflict() {
    // PortMapping protocol "tcp" | "udp": Docker binds each protocol separately.
    let mut sim = cluster(
        json!([{"instanceType": "m5.large", "availabilityZone": "us-east-1a"}]),
        json!([
            td("tcp", 16, 64, json!([{"containerPort": 53, "hostPort": 53, "protocol": "tcp"}])),
            td("udp", 16, 64, json!([{"containerPort": 53, "hostPort": 53, "protocol": "udp"}])),
        ]),
    );
    assert_eq!(run_task(&mut sim, json!({"taskDefinition": "tcp"}))["failures"], json!([]));
    assert_eq!(run_task(&mut sim, json!({"taskDefinition": "udp"}))["failures"], json!([]));
    assert_eq!(run_task(&mut sim, json!({"taskDefinition": "udp"}))["failures"][0]["reason"], "RESOURCE:PORTS");
}

#[test]
fn reserved_ports_cannot_be_claimed() {
    // "The default reserved ports are 22 for SSH, the Docker ports 2375 and 2376, and the Amazon ECS
    // container agent ports 51678-51680" (PortMapping hostPort).
    for port in [22, 2375, 2376, 51678, 51679, 51680] {
        let mut sim = cluster(
            json!([{"instanceType": "m5.large", "availabilityZone": "us-east-1a"}]),
            json!([td("ssh", 16, 64, json!([{"containerPort": port, "hostPort": port}]))]),
        );
        let r = run_task(&mut sim, json!({"taskDefinition": "ssh"}));
        assert_eq!(r["failures"][0]["reason"], "RESOURCE:PORTS", "port {port}");
    }
}

#[test]
fn dynamic_ports_come_from_the_ephemeral_range_in_order() {
    // hostPort 0 or omitted: "your container automatically receives a port in the ephemeral port
    // range" (default: /proc/sys/net/ipv4/ip_local_port_range, 32768-60999 on Linux).
    let mut sim = cluster(
        json!([{"instanceType": "m5.large", "availabilityZone": "us-east-1a"}]),
        json!([td("web", 16, 64, json!([{"containerPort": 80, "hostPort": 0}, {"containerPort": 443}]))]),
    );
    run_task(&mut sim, json!({"taskDefinition": "web"}));
    run_task(&mut sim, json!({"taskDefinition": "web"}));
    let ports: Vec<u16> = live_tasks(&sim).iter().flat_map(|t| t.bindings.iter().map(|b| b.host_port)).collect();
    assert_eq!(ports, vec![32768, 32769, 32770, 32771]);
}

#[test]
fn dynamic_range_skips_reserved_ports_and_runs_out() {
    // ECS_DYNAMIC_HOST_PORT_RANGE: "the dynamic host port range that the agent uses to assign host
    // ports from ... If there are no available ports in the range ... service deployments would
    // fail." A range of 51677-51681 holds only 51677 and 51681 once 51678-51680 (reserved) are out.
    let mut sim = cluster(
        json!([{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "attributes": {"ECS_DYNAMIC_HOST_PORT_RANGE": "51677-51681"}}]),
        json!([td("web", 16, 64, json!([{"containerPort": 80}]))]),
    );
    run_task(&mut sim, json!({"taskDefinition": "web"}));
    run_task(&mut sim, json!({"taskDefinition": "web"}));
    let r = run_task(&mut sim, json!({"taskDefinition": "web"}));
    assert_eq!(r["failures"][0]["reason"], "RESOURCE:PORTS");
    let ports: Vec<u16> = live_tasks(&sim).iter().flat_map(|t| t.bindings.iter().map(|b| b.host_port)).collect();
    assert_eq!(ports, vec![51677, 51681]);
}

#[test]
fn host_ports_are_released_when_the_task_stops() {
    // "Any host port that was previously specified in a running task is also reserved while the
    // task is running (after a task stops, the host port is released)."
    let mut sim = cluster(
        json!([{"instanceType": "m5.large", "availabilityZone": "us-east-1a"}]),
        json!([td("web", 16, 64, json!([{"containerPort": 80, "hostPort": 8080}]))]),
    );
    let r = run_task(&mut sim, json!({"taskDefinition": "web"}));
    let arn = r["tasks"][0]["taskArn"].as_str().unwrap_or_default().to_string();
    sim.run_until(secs(60));
    assert_eq!(run_task(&mut sim, json!({"taskDefinition": "web"}))["failures"][0]["reason"], "RESOURCE:PORTS");
    sim.apply_json("StopTask", &json!({"task": arn})).expect("StopTask");
    // Still held while the task is stopping.
    assert!(sim.state().instances[0].used_ports.contains(&(8080, PortProto::Tcp)));
    sim.run_until(secs(300));
    assert!(!sim.state().instances[0].used_ports.contains(&(8080, PortProto::Tcp)));
    assert_eq!(run_task(&mut sim, json!({"taskDefinition": "web"}))["failures"], json!([]));
}

#[test]
fn awsvpc_tasks_are_capped_by_the_instance_eni_limit() {
    // "by default a c5.large instance may have up to three ENIs attached to it. The primary network
    // interface for the instance counts as one, so you can attach an additional two ENIs to the
    // instance. Because each task using the awsvpc network mode requires an ENI, you can typically
    // only run two such tasks on this instance type." Failure: RESOURCE:ENI.
    let awsvpc = json!({
        "family": "vpc", "networkMode": "awsvpc",
        "containerDefinitions": [{"name": "app", "image": "nginx", "memory": 64, "portMappings": [{"containerPort": 80}]}]
    });
    let mut sim = cluster(json!([{"instanceType": "c5.large", "availabilityZone": "us-east-1a"}]), json!([awsvpc]));
    // networkConfiguration is required for awsvpc on EC2 as on Fargate (RunTask).
    let vpc =
        json!({"taskDefinition": "vpc", "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a"]}}});
    assert_eq!(run_task(&mut sim, vpc.clone())["failures"], json!([]));
    assert_eq!(run_task(&mut sim, vpc.clone())["failures"], json!([]));
    let r = run_task(&mut sim, vpc);
    assert_eq!(r["failures"][0]["reason"], "RESOURCE:ENI");
    // "Each Amazon ECS task that uses the awsvpc network mode receives its own elastic network
    // interface": distinct ENIs and private IPs, none equal to the instance's own address.
    let tasks = live_tasks(&sim);
    let ips: BTreeSet<_> = tasks.iter().filter_map(|t| t.private_ip.clone()).collect();
    let enis: BTreeSet<_> = tasks.iter().filter_map(|t| t.eni_id.clone()).collect();
    assert_eq!((ips.len(), enis.len()), (2, 2));
    assert!(!ips.contains(&sim.state().instances[0].private_ip));
    // Service event wording for the ENI case follows the AGENT pattern: encountered error "RESOURCE:ENI".
    let f = ecs_sim::placement::PlacementFailure {
        closest: Some((
            "arn:aws:ecs:us-east-1:1:container-instance/test/abc".into(),
            ecs_sim::placement::Rejection::Eni,
        )),
    };
    assert_eq!(f.reason(), "The closest matching container-instance abc encountered error \"RESOURCE:ENI\".");
}

#[test]
fn run_task_rejects_invalid_placement_input() {
    // PlacementStrategy field: "For the binpack placement strategy, valid values are cpu and
    // memory"; PlacementConstraint: "You cannot specify an expression if the constraint type is
    // distinctInstance"; "You can specify a maximum of 5 strategy rules for each task".
    let mut sim = cluster(
        json!([{"instanceType": "m5.large", "availabilityZone": "us-east-1a"}]),
        json!([td("job", 16, 64, json!([]))]),
    );
    let e = sim
        .apply_json(
            "RunTask",
            &json!({"taskDefinition": "job", "placementStrategy": [{"type": "binpack", "field": "disk"}]}),
        )
        .expect_err("binpack on disk");
    assert_eq!(e.field, "placementStrategy[0].field");
    let e = sim
        .apply_json("RunTask", &json!({"taskDefinition": "job", "placementConstraints": [{"type": "distinctInstance", "expression": "runningTasksCount == 0"}]}))
        .expect_err("expression on distinctInstance");
    assert_eq!(e.field, "placementConstraints[0].expression");
    let e = sim
        .apply_json("RunTask", &json!({"taskDefinition": "job", "placementConstraints": [{"type": "memberOf", "expression": "attribute:a == b &&& c"}]}))
        .expect_err("bad CQL");
    assert_eq!(e.field, "placementConstraints[0].expression");
    assert!(e.message.contains("unexpected token \"&&&\" at position 17"), "{e}");
    let six = json!([{"type": "random"}, {"type": "random"}, {"type": "random"}, {"type": "random"}, {"type": "random"}, {"type": "random"}]);
    let e = sim
        .apply_json("RunTask", &json!({"taskDefinition": "job", "placementStrategy": six}))
        .expect_err("6 strategies");
    assert_eq!(e.field, "placementStrategy");
}
