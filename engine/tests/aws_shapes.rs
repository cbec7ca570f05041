//! What the project writes, checked against AWS's published service models (botocore's
//! `service-2.json` for ecs, elbv2 and application-autoscaling, vendored in
//! `tests/fixtures/botocore/`): the exported request bodies of every scenario and lesson.

mod botocore;

use botocore::Stats;
use ecs_sim::export::{json, Setup};
use serde_json::Value;
use std::path::PathBuf;

/// Every scenario and lesson file: (name, text).
fn documents() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["lessons", "scenarios"] {
        let d = PathBuf::from(format!("{}/../{dir}", env!("CARGO_MANIFEST_DIR")));
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(&d).expect("dir").filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for p in files.into_iter().filter(|p| p.extension().is_some_and(|x| x == "json")) {
            let name = format!("{dir}/{}", p.file_name().and_then(|s| s.to_str()).unwrap_or_default());
            out.push((name, std::fs::read_to_string(&p).expect("read")));
        }
    }
    out
}

fn fail_on(name: &str, errs: Vec<String>) {
    assert!(errs.is_empty(), "{name}:\n{}", errs.join("\n"));
}

/// The JSON export (register-task-definition, create-service, create-target-group and
/// application-autoscaling bodies) of every scenario and lesson is what botocore accepts.
#[test]
fn exported_request_bodies_match_the_service_models() {
    let (ecs, elbv2, aas) = (botocore::ecs(), botocore::elbv2(), botocore::application_autoscaling());
    let mut st = Stats::default();
    let mut n = 0;
    for (name, text) in documents() {
        let mut sim = ecs_sim::load(&text, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        sim.run_until(300_000);
        let setup = Setup::from_sim(&sim);
        let doc: Value = serde_json::from_str(&json::setup_document(&setup)).expect("setup document");
        for (i, td) in doc["registerTaskDefinition"].as_array().into_iter().flatten().enumerate() {
            let p = format!("{name}: registerTaskDefinition[{i}]");
            fail_on(&p, ecs.validate("RegisterTaskDefinitionRequest", td, "", &mut st));
        }
        for (i, s) in doc["createService"].as_array().into_iter().flatten().enumerate() {
            let p = format!("{name}: createService[{i}]");
            fail_on(&p, ecs.validate("CreateServiceRequest", s, "", &mut st));
        }
        for (i, tg) in doc["createTargetGroup"].as_array().into_iter().flatten().enumerate() {
            // `Attributes` is the ModifyTargetGroupAttributes call made right after creation.
            let mut create = tg.clone();
            let attrs = create.as_object_mut().and_then(|o| o.remove("Attributes"));
            let p = format!("{name}: createTargetGroup[{i}]");
            fail_on(&p, elbv2.validate("CreateTargetGroupInput", &create, "", &mut st));
            if let Some(a) = attrs {
                let body = serde_json::json!({"TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/0123456789abcdef", "Attributes": a});
                fail_on(&p, elbv2.validate("ModifyTargetGroupAttributesInput", &body, "", &mut st));
            }
        }
        let aa = &doc["applicationAutoScaling"];
        for (key, shape) in [
            ("ScalableTargets", "RegisterScalableTargetRequest"),
            ("ScalingPolicies", "PutScalingPolicyRequest"),
            ("ScheduledActions", "PutScheduledActionRequest"),
        ] {
            for (i, b) in aa[key].as_array().into_iter().flatten().enumerate() {
                fail_on(&format!("{name}: applicationAutoScaling.{key}[{i}]"), aas.validate(shape, b, "", &mut st));
            }
        }
        n += 1;
    }
    assert!(n >= 40, "only {n} documents");
    eprintln!(
        "exports: {n} documents, {} shapes, {} distinct members, {} member values checked",
        st.shapes.len(),
        st.members.len(),
        st.values
    );
}
