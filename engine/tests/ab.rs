//! A/B runs (src/ab.rs): a scenario's `variant` builds run B, both runs share seed, traffic and
//! timeline, and the figures strip reads what each run did.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should be loud

use ecs_sim::ab::{AbRun, Variant};
use ecs_sim::parse_scenario;

fn lesson(name: &str) -> ecs_sim::Scenario {
    let p = format!("{}/../lessons/{name}.json", env!("CARGO_MANIFEST_DIR"));
    parse_scenario(&std::fs::read_to_string(p).expect("lesson file")).expect("lesson parses")
}

/// Binpack on memory puts 4 tasks of 512 MiB on one m5.large; spread over Availability Zones
/// then instances puts 2 in each zone, one per instance
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-strategies.html).
#[test]
fn spread_places_evenly_per_az_while_binpack_uses_fewer_instances() {
    let s = lesson("ab-binpack-vs-spread");
    let mut ab = AbRun::from_scenario(&s, None).expect("both runs load");
    ab.run_until(90_000);
    let f = ab.figures();
    assert_eq!(f.a.running_tasks, 4);
    assert_eq!(f.b.running_tasks, 4);
    assert_eq!(f.a.instances_in_use, 1, "binpack: one instance");
    assert_eq!(f.b.instances_in_use, 4, "spread by instanceId: one task per instance");
    let per_az = |r: &ecs_sim::ab::RunFigures| r.tasks_per_az.iter().map(|a| a.running_tasks).collect::<Vec<_>>();
    assert_eq!(per_az(&f.a), vec![4, 0]);
    assert_eq!(per_az(&f.b), vec![2, 2]);
    // The same seed and timeline: the initial deployment takes as long in both.
    let (da, db) = (f.a.deployment.expect("A"), f.b.deployment.expect("B"));
    assert!(!da.update && da.finished_after_seconds == db.finished_after_seconds);
    // The same fault at 180 s: binpack had everything in us-east-1a.
    ab.run_until(182_000);
    let f = ab.figures();
    assert_eq!(f.a.running_tasks, 0);
    assert_eq!(f.b.running_tasks, 2);
    for lang in ["en", "zh-CN", "ko", "ru"] {
        let s = ab.summary(lang);
        assert!(s.contains("us-east-1b 2") && s.contains("us-east-1a 0"), "{lang}: {s}");
    }
}

#[test]
fn the_variant_changes_only_what_it_names_and_run_a_ignores_it() {
    let s = lesson("ab-binpack-vs-spread");
    let v = s.variant.clone().expect("variant");
    let b = v.apply(&s).expect("applies");
    assert!(b.variant.is_none());
    assert_eq!(b.services[0].placement_strategy[0].kind, "spread");
    assert_eq!(s.services[0].placement_strategy[0].kind, "binpack");
    let mut b_as_a = b.clone();
    b_as_a.services[0].placement_strategy = s.services[0].placement_strategy.clone();
    let mut a = s.clone();
    a.variant = None;
    assert_eq!(a, b_as_a, "nothing else differs");
    // Run A is the scenario as written: the variant leaves its log as it was.
    let mut with = ecs_sim::Simulation::new(s.clone()).expect("A");
    let mut without = ecs_sim::Simulation::new(a).expect("A without variant");
    with.run_until(300_000);
    without.run_until(300_000);
    assert_eq!(with.log().digest(), without.log().digest());
}

#[test]
fn patch_errors_name_the_change() {
    let s = lesson("ab-binpack-vs-spread");
    let v: Variant = serde_json::from_str(
        r#"{"patch":[{"change":"launchType","launchType":"EC2"},{"change":"placementStrategy","service":"api","placementStrategy":[]}]}"#,
    )
    .expect("variant");
    let e = v.apply(&s).expect_err("unknown service");
    assert_eq!(e.field, "variant.patch[1].service", "{e}");
    let v: Variant =
        serde_json::from_str(r#"{"patch":[{"change":"instanceType","instanceType":"m9.huge"}]}"#).expect("variant");
    assert_eq!(v.apply(&s).expect_err("unknown type").field, "variant.patch[0].instanceType");
    let v: Variant =
        serde_json::from_str(r#"{"patch":[{"change":"mergePatch","mergePatch":{"services":[{"desiredCount":"x"}]}}]}"#)
            .expect("variant");
    assert_eq!(v.apply(&s).expect_err("bad patch").field, "variant.patch[0].mergePatch");
    assert!(serde_json::from_str::<Variant>(r#"{"patch":[{"change":"colour"}]}"#).is_err());
}

/// minimumHealthyPercent 50 / maximumPercent 100 stops 2 of 4 before starting new ones; 100/200
/// starts new ones first (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html).
#[test]
fn a_deployment_configuration_variant_changes_the_lowest_running_count() {
    let mut s = lesson("rolling-update-50-100");
    s.lesson = None;
    s.variant = Some(
        serde_json::from_str(
            r#"{"patch":[{"change":"deploymentConfiguration","service":"web",
                "deploymentConfiguration":{"minimumHealthyPercent":100,"maximumPercent":200}}]}"#,
        )
        .expect("variant"),
    );
    let mut ab = AbRun::from_scenario(&s, None).expect("loads");
    ab.run_until(600_000);
    let f = ab.figures();
    let (da, db) = (f.a.deployment.expect("A"), f.b.deployment.expect("B"));
    assert!(da.update && db.update);
    assert_eq!(da.lowest_running, Some(2), "50%: 2 of 4 stay");
    assert_eq!(db.lowest_running, Some(4), "100%: all 4 stay");
    assert!(da.finished_after_seconds.is_some() && db.finished_after_seconds.is_some());
    assert_eq!(ab.label_a.get("en"), "minimumHealthyPercent 50 / maximumPercent 100");
    assert_eq!(ab.label_b.get("en"), "minimumHealthyPercent 100 / maximumPercent 200");
}

/// The slides' two rolling updates on one cluster
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html):
/// minimumHealthyPercent 50 / maximumPercent 100 stops 2 of 4 tasks before starting new ones and
/// stays on the one instance binpack filled; 100 / 200 keeps all 4 RUNNING, runs 8 at once and
/// needs a second instance for them. Without health checks a new task counts as healthy 40 s
/// after RUNNING, so A's two rounds take longer than B's one.
#[test]
fn rolling_50_100_stops_first_and_100_200_starts_first_on_the_same_cluster() {
    let s = lesson("ab-rolling-50-vs-100");
    let mut ab = AbRun::from_scenario(&s, None).expect("both runs load");
    ab.run_until(150_000);
    let f = ab.figures();
    assert_eq!((f.a.running_tasks, f.b.running_tasks), (4, 8), "B runs 200 % of 4 while A stays at 100 %");
    ab.run_until(300_000);
    let f = ab.figures();
    let (da, db) = (f.a.deployment.expect("A"), f.b.deployment.expect("B"));
    assert!(da.update && db.update && !da.failed && !db.failed);
    assert_eq!((da.lowest_running, db.lowest_running), (Some(2), Some(4)));
    let (ta, tb) = (da.finished_after_seconds.expect("A done"), db.finished_after_seconds.expect("B done"));
    assert!(tb + 40.0 <= ta, "A waits one more 40 s healthy period: A {ta} s, B {tb} s");
    assert_eq!((f.a.instances_in_use, f.b.instances_in_use), (1, 2));
    assert_eq!(ab.label_a.get("en"), "minimumHealthyPercent 50 / maximumPercent 100 (stop first)");
}

/// EC2 bills the instances per second whether tasks fill them or not; Fargate bills the vCPU and
/// memory each task asks for (https://aws.amazon.com/fargate/pricing/,
/// https://aws.amazon.com/ec2/pricing/on-demand/). After the scale-in from 4 tasks to 1 at
/// 1800 s, the EC2 run's second half hour costs what its first did; the Fargate run's drops.
#[test]
fn scaling_in_lowers_the_fargate_bill_but_not_the_ec2_one() {
    let s = lesson("ab-fargate-vs-ec2-cost");
    let mut ab = AbRun::from_scenario(&s, None).expect("both runs load");
    ab.run_until(1_800_000);
    let half = ab.figures();
    ab.run_until(3_600_000);
    let hour = ab.figures();
    let cost = |r: &ecs_sim::ab::RunFigures| r.cost_usd.expect("us-east-1 has prices");
    let (a1, b1, a2, b2) = (cost(&half.a), cost(&half.b), cost(&hour.a), cost(&hour.b));
    // 2 m5.large at $0.096 an hour (the built-in 2026-11 table) for one hour.
    assert!((a2 - 0.192).abs() < 1e-9, "EC2 {a2}");
    assert!(((a2 - a1) - a1).abs() < 1e-9, "EC2: the second half hour costs what the first did");
    assert!(b1 < a1 / 1.9, "4 tasks of 0.5 vCPU / 1 GB cost about half of 2 m5.large: {b1} vs {a1}");
    let (first, second) = (b1, b2 - b1);
    assert!(
        second < first / 3.5 && second > first / 4.5,
        "Fargate: 1 task costs a quarter of 4: {first} then {second}"
    );
    assert_eq!((hour.a.instances_active, hour.a.instances_in_use, hour.b.instances_active), (2, 1, 0));
}

/// A wrong claim about run B fails, and says it read run B: B's fewest RUNNING tasks during its
/// deployment is 4; claim A's 2 for it.
#[test]
fn a_wrong_claim_about_run_b_fails_and_names_the_run() {
    let mut s = lesson("ab-rolling-50-vs-100");
    assert!(ecs_sim::lesson::check_claims(&s, None).is_empty(), "the lesson as written holds");
    let l = s.lesson.as_mut().expect("lesson");
    let (i, c) = l
        .pauses
        .iter_mut()
        .enumerate()
        .find_map(|(i, p)| {
            p.claims
                .iter_mut()
                .find(|c| c.run.as_deref() == Some("B") && c.lowest_running_tasks.is_some())
                .map(|c| (i, c))
        })
        .expect("a claim on B's fewest RUNNING tasks");
    c.lowest_running_tasks = Some(ecs_sim::lesson::Count::Exactly(2));
    let failures = ecs_sim::lesson::check_claims(&s, None);
    assert_eq!(failures.len(), 1, "{failures:?}");
    let f = &failures[0];
    assert_eq!((f.lesson.as_str(), f.pause), ("ab-rolling-50-vs-100", i));
    assert!(f.claim.contains("\"lowestRunningTasks\":2") && f.claim.contains("\"run\":\"B\""), "{}", f.claim);
    assert!(f.shown.contains("4 RUNNING") && f.shown.ends_with("(run B)"), "{}", f.shown);
    // The same claim read from run A holds: the run filter is what made it fail.
    let l = s.lesson.as_mut().expect("lesson");
    let c = l.pauses[i]
        .claims
        .iter_mut()
        .find(|c| c.lowest_running_tasks == Some(ecs_sim::lesson::Count::Exactly(2)) && c.run.as_deref() == Some("B"))
        .expect("changed claim");
    c.run = Some("A".into());
    assert!(ecs_sim::lesson::check_claims(&s, None).is_empty());
}

fn scenario(name: &str) -> (String, ecs_sim::Scenario) {
    let p = format!("{}/../scenarios/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(p).expect("scenario file");
    let s = parse_scenario(&text).expect("scenario parses");
    (text, s)
}

/// Two replays on one clock (what the app drives): B follows A's time and A's user actions, and
/// the strip read at a moment is the same whether the clock got there forward or by a jump back.
#[test]
fn figures_at_a_moment_follow_the_one_clock_forward_and_back() {
    use ecs_sim::ab::{keep_in_step, AbFigures};
    use ecs_sim::replay::Playback;
    let s = lesson("ab-binpack-vs-spread");
    let b_scenario = s.variant.as_ref().expect("variant").apply(&s).expect("applies");
    let mut a = Playback::new(ecs_sim::Simulation::new(s.clone()).expect("A"));
    let mut b = Playback::new(ecs_sim::Simulation::with_seed(b_scenario, s.seed).expect("B"));
    // Frames of 100 ms at 10x up to 90 s.
    while a.now() < 90_000 {
        a.advance(100.0, 10);
        keep_in_step(&a, &mut b);
        assert_eq!(a.now(), b.now());
    }
    a.seek(90_000);
    keep_in_step(&a, &mut b);
    let at_90 = AbFigures::of(&a.sim, &b.sim);
    assert_eq!((at_90.a.instances_in_use, at_90.b.instances_in_use), (1, 4));
    let mut whole = AbRun::from_scenario(&s, None).expect("AbRun");
    whole.run_until(90_000);
    assert_eq!(whole.figures(), at_90, "the replayed pair shows what AbRun shows");
    // Past the fault, then back to 90 s: the strip is as it was.
    a.seek(200_000);
    keep_in_step(&a, &mut b);
    let at_200 = AbFigures::of(&a.sim, &b.sim);
    assert_eq!(
        at_200.b.tasks_per_az.iter().find(|z| z.availability_zone == "us-east-1a").map(|z| z.running_tasks),
        Some(0)
    );
    a.seek(90_000);
    keep_in_step(&a, &mut b);
    assert_eq!(b.now(), 90_000);
    assert_eq!(AbFigures::of(&a.sim, &b.sim), at_90);
}

/// A user action in run A (UpdateService desiredCount 6) reaches run B at the same moment.
#[test]
fn a_user_action_drives_both_runs() {
    use ecs_sim::ab::{keep_in_step, AbFigures};
    use ecs_sim::replay::Playback;
    let (_, s) = scenario("placement-binpack");
    let v = ecs_sim::ab::variant_for(&s, ecs_sim::ab::Difference::PlacementStrategy).expect("variant");
    let mut a = Playback::new(ecs_sim::Simulation::new(s.clone()).expect("A"));
    let mut b = Playback::new(ecs_sim::Simulation::with_seed(v.apply(&s).expect("B"), s.seed).expect("B"));
    // After the scenario's own UpdateService (desiredCount 9 at 120 s).
    a.seek(150_000);
    keep_in_step(&a, &mut b);
    let before = AbFigures::of(&a.sim, &b.sim);
    let name = s.services[0].service_name.clone();
    let desired = 11;
    let update =
        ecs_sim::Command::from_json("UpdateService", &serde_json::json!({"service": name, "desiredCount": desired}))
            .expect("command");
    a.user_apply(update).expect("UpdateService");
    keep_in_step(&a, &mut b);
    a.seek(330_000);
    keep_in_step(&a, &mut b);
    let f = AbFigures::of(&a.sim, &b.sim);
    assert_eq!((before.a.running_tasks, before.b.running_tasks), (9, 9));
    assert_eq!((f.a.running_tasks, f.b.running_tasks), (11, 11));
    assert_eq!(b.sim.state().services[0].desired_count, desired);
}

/// "Compare with...": the other placement strategy, the other deployment configuration.
#[test]
fn compare_with_builds_run_b_from_one_pick() {
    use ecs_sim::ab::{variant_for, with_variant, Difference};
    let (_, binpack) = scenario("placement-binpack");
    let v = variant_for(&binpack, Difference::PlacementStrategy).expect("binpack -> spread");
    let ab_s = ecs_sim::Scenario { variant: Some(v), ..binpack.clone() };
    let ab = AbRun::from_scenario(&ab_s, None).expect("loads");
    assert!(ab.label_a.get("en").starts_with("placementStrategy binpack"), "{}", ab.label_a.get("en"));
    assert_eq!(ab.label_b.get("en"), "placementStrategy spread(availability-zone), spread(instanceId)");
    let (_, spread) = scenario("placement-spread");
    let v = variant_for(&spread, Difference::PlacementStrategy).expect("spread -> binpack");
    assert_eq!(v.apply(&spread).expect("B").services[0].placement_strategy[0].kind, "binpack");

    let (text, rolling) = scenario("rolling-update-50-100");
    let v = variant_for(&rolling, Difference::DeploymentConfiguration).expect("50/100 -> 100/150");
    let doc = with_variant(&text, &v).expect("document");
    let with = parse_scenario(&doc).expect("the document with its variant parses");
    assert_eq!(with.variant.as_ref(), Some(&v));
    let mut ab = AbRun::from_scenario(&with, None).expect("loads");
    assert_eq!(ab.label_b.get("en"), "minimumHealthyPercent 100 / maximumPercent 150");
    ab.run_until(600_000);
    let f = ab.figures();
    // 50%: 2 of 4 keep running; 100%: all 4 do (deployment-type-ecs.html).
    assert_eq!(f.a.deployment.as_ref().and_then(|d| d.lowest_running), Some(2));
    assert_eq!(f.b.deployment.as_ref().and_then(|d| d.lowest_running), Some(4));
    let (_, default) = scenario("default");
    let v = variant_for(&default, Difference::DeploymentConfiguration).expect("default -> 50/100");
    assert_eq!(ecs_sim::ab::Difference::from_id("deploymentConfiguration"), Some(Difference::DeploymentConfiguration));
    let b = v.apply(&default).expect("B");
    let dc = b.services[0].deployment_configuration.clone().expect("set");
    assert_eq!((dc.minimum_healthy_percent, dc.maximum_percent), (Some(50), Some(100)));

    // Fargate tasks are not placed on instances: a placement strategy pick names the field.
    let (_, fargate) = scenario("fargate-spot");
    let e = variant_for(&fargate, Difference::PlacementStrategy).expect_err("no instances");
    assert!(e.field.starts_with("services[0].placementStrategy"), "{e}");
}

/// "Compare with..." launch type: EC2 -> Fargate makes the task definition Fargate-ready
/// (awsvpc, a valid task size, no host ports, an execution role) and drops the idle instances;
/// Fargate -> EC2 adds instances. Both runs place every task, and the bill differs.
#[test]
fn compare_with_launch_type_runs_the_service_on_the_other_one() {
    use ecs_sim::ab::{fargate_size, variant_for, Difference};
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
    assert_eq!(fargate_size(256, 512), Some((256, 512)));
    assert_eq!(fargate_size(300, 512), Some((512, 1024)));
    assert_eq!(fargate_size(256, 3000), Some((512, 3072)));
    assert_eq!(fargate_size(4096, 40_000), None);
    let (_, s) = scenario("default");
    let v = variant_for(&s, Difference::LaunchType).expect("EC2 -> FARGATE");
    let b = v.apply(&s).expect("B");
    assert_eq!(b.services[0].launch_type, Some(ecs_sim::scenario::LaunchType::Fargate));
    assert!(b.container_instances.is_empty(), "no idle instances in run B");
    assert_eq!(b.task_definitions[0]["networkMode"], "awsvpc");
    assert_eq!(
        (b.task_definitions[0]["cpu"].as_str(), b.task_definitions[0]["memory"].as_str()),
        (Some("256"), Some("512"))
    );
    let mut ab = AbRun::from_scenario(&ecs_sim::Scenario { variant: Some(v), ..s.clone() }, None).expect("loads");
    assert_eq!((ab.label_a.get("en"), ab.label_b.get("en")), ("launchType EC2", "launchType FARGATE"));
    ab.run_until(300_000);
    let f = ab.figures();
    // The scenario's UpdateService sets desiredCount 9 at 2:00: both runs place all 9.
    assert_eq!((f.a.running_tasks, f.b.running_tasks), (9, 9));
    assert_eq!(f.b.instances_active, 0);
    assert!(f.a.instances_in_use > 0);
    let (ca, cb) = (f.a.cost_usd.expect("A cost"), f.b.cost_usd.expect("B cost"));
    assert!(ca > 0.0 && cb > 0.0 && ca != cb, "EC2 bills instances, Fargate task size: {ca} vs {cb}");

    // And back: run B's scenario compared on launch type gets EC2 instances for its 6 tasks.
    let v2 = variant_for(&b, Difference::LaunchType).expect("FARGATE -> EC2");
    let ec2 = v2.apply(&b).expect("EC2 run");
    assert_eq!(ec2.services[0].launch_type, Some(ecs_sim::scenario::LaunchType::Ec2));
    assert!(!ec2.container_instances.is_empty());
    let mut back = AbRun::from_scenario(&ecs_sim::Scenario { variant: Some(v2), ..b }, None).expect("loads");
    back.run_until(300_000);
    let f = back.figures();
    assert_eq!((f.a.running_tasks, f.b.running_tasks), (9, 9), "{:?}", back.b.log().entries().last());
}

/// The picks "Compare with..." offers follow the open scenario: no placement strategy or
/// instance type without container instances, no scaling policy without a target tracking
/// policy, no capacity provider strategy for a service on EC2.
#[test]
fn compare_with_offers_only_the_picks_that_apply() {
    use ecs_sim::ab::Difference::{self, *};
    let ids = |name: &str| Difference::offered(&scenario(name).1);
    assert_eq!(ids("default"), vec![PlacementStrategy, DeploymentConfiguration, LaunchType, InstanceType]);
    assert_eq!(
        ids("autoscaling-target-tracking-cpu"),
        vec![PlacementStrategy, DeploymentConfiguration, LaunchType, InstanceType, ScalingPolicy]
    );
    assert_eq!(ids("fargate-spot"), vec![DeploymentConfiguration, LaunchType, CapacityProviderStrategy]);
    for d in Difference::ALL {
        assert_eq!(Difference::from_id(d.id()), Some(d));
    }
    let e = ecs_sim::ab::variant_for(&scenario("default").1, ScalingPolicy).expect_err("no policy");
    assert_eq!(e.field, "scaling.ScalingPolicies");
    let e = ecs_sim::ab::variant_for(&scenario("fargate-spot").1, InstanceType).expect_err("no instances");
    assert_eq!(e.field, "containerInstances");
    let e = ecs_sim::ab::variant_for(&scenario("default").1, CapacityProviderStrategy).expect_err("EC2");
    assert!(e.field.starts_with("services[0].capacityProviderStrategy"), "{e}");
}

/// One size up: binpack (placement-binpack, 9 tasks) fills 2 m5.large but 1 m5.xlarge (twice the
/// vCPU and memory), and an m5.xlarge costs twice an m5.large per hour
/// (https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html, https://aws.amazon.com/ec2/pricing/on-demand/).
#[test]
fn compare_with_instance_type_binpacks_onto_fewer_bigger_instances() {
    use ecs_sim::ab::{other_instance_size, variant_for, Difference};
    assert_eq!(other_instance_size("m5.large"), "m5.xlarge");
    assert_eq!(other_instance_size("m5.xlarge"), "m5.large");
    assert_eq!(other_instance_size("m5.2xlarge"), "m5.4xlarge");
    assert_eq!(other_instance_size("m5.24xlarge"), "m5.16xlarge");
    assert_eq!(other_instance_size("t3.nano"), "t3.micro");
    assert_eq!(other_instance_size("z9.huge"), "m5.large");
    let mut s = scenario("placement-binpack").1;
    s.variant = Some(variant_for(&s, Difference::InstanceType).expect("m5.large -> m5.xlarge"));
    let mut ab = AbRun::from_scenario(&s, None).expect("loads");
    ab.run_until(300_000);
    let f = ab.figures();
    assert_eq!((ab.label_a.get("en"), ab.label_b.get("en")), ("instanceType m5.large", "instanceType m5.xlarge"));
    assert_eq!((f.a.running_tasks, f.b.running_tasks), (9, 9));
    assert_eq!((f.a.instances_in_use, f.b.instances_in_use), (2, 1));
    let (ca, cb) = (f.a.cost_usd.expect("A cost"), f.b.cost_usd.expect("B cost"));
    assert!((cb - 2.0 * ca).abs() < 1e-9, "6 instances at twice the price: {ca} vs {cb}");
}

/// Target tracking keeps average CPU near the target: the same load needs more tasks at 50 %
/// than at 75 % (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html).
#[test]
fn compare_with_scaling_policy_a_higher_target_runs_fewer_tasks() {
    use ecs_sim::ab::{variant_for, Difference};
    let mut s = scenario("autoscaling-target-tracking-cpu").1;
    let v = variant_for(&s, Difference::ScalingPolicy).expect("50 -> 75");
    s.variant = Some(v.clone());
    let b = v.apply(&s).expect("applies");
    let target = |s: &ecs_sim::Scenario| {
        s.scaling.as_ref().expect("scaling")["ScalingPolicies"][0]["TargetTrackingScalingPolicyConfiguration"]
            ["TargetValue"]
            .as_f64()
    };
    assert_eq!((target(&s), target(&b)), (Some(50.0), Some(75.0)));
    let mut ab = AbRun::from_scenario(&s, None).expect("loads");
    assert_eq!((ab.label_a.get("en"), ab.label_b.get("en")), ("cpu50 TargetValue 50", "cpu50 TargetValue 75"));
    ab.run_until(1_800_000);
    let f = ab.figures();
    assert_eq!((f.a.running_tasks, f.b.running_tasks), (7, 5), "traffic up at 10 min: more tasks at the lower target");
    // And back: 75 -> 50.
    let back = variant_for(&b, Difference::ScalingPolicy).expect("75 -> 50").apply(&b).expect("applies");
    assert_eq!(target(&back), Some(50.0));
}

/// FARGATE base 2 weight 1 + FARGATE_SPOT weight 3 puts 6 of 10 tasks on Spot; FARGATE only puts
/// all 10 on FARGATE and costs more (Spot is discounted: https://aws.amazon.com/fargate/pricing/).
/// A service on the FARGATE launch type gets FARGATE base 1 weight 1 + FARGATE_SPOT weight 4,
/// with both providers associated with the cluster.
#[test]
fn compare_with_capacity_provider_strategy_moves_tasks_between_fargate_and_spot() {
    use ecs_sim::ab::{variant_for, Difference};
    use ecs_sim::model::TaskStatus;
    let on = |sim: &ecs_sim::Simulation, p: &str| {
        sim.state()
            .tasks
            .iter()
            .filter(|t| t.last_status == TaskStatus::Running && t.capacity_provider.as_deref() == Some(p))
            .count()
    };
    let mut s = scenario("fargate-spot").1;
    s.variant = Some(variant_for(&s, Difference::CapacityProviderStrategy).expect("spot -> FARGATE only"));
    let mut ab = AbRun::from_scenario(&s, None).expect("loads");
    ab.run_until(200_000);
    assert_eq!((on(&ab.a, "FARGATE"), on(&ab.a, "FARGATE_SPOT")), (4, 6));
    assert_eq!((on(&ab.b, "FARGATE"), on(&ab.b, "FARGATE_SPOT")), (10, 0));
    assert_eq!(ab.label_b.get("en"), "capacityProviderStrategy FARGATE base 0 weight 1");
    let f = ab.figures();
    assert!(f.b.cost_usd.expect("B") > f.a.cost_usd.expect("A"), "{f:?}");

    let (_, mut s) = scenario("sqs-worker");
    s.services[0].desired_count = Some(6);
    s.variant = Some(variant_for(&s, Difference::CapacityProviderStrategy).expect("FARGATE -> with spot"));
    let b = s.variant.as_ref().expect("v").apply(&s).expect("applies");
    assert!(b.services[0].launch_type.is_none());
    let mut ab = AbRun::from_scenario(&s, None).expect("both load (providers associated)");
    assert_eq!(ab.label_a.get("en"), "launchType FARGATE");
    ab.run_until(200_000);
    // base 1 on FARGATE, then the other 5 split 1:4.
    assert_eq!((on(&ab.b, "FARGATE"), on(&ab.b, "FARGATE_SPOT")), (2, 4));
}
