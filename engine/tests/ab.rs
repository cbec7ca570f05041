//! A/B runs (src/ab.rs): a scenario's `variant` builds run B, both runs share seed, traffic and
//! timeline, and the figures strip reads what each run did.

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
