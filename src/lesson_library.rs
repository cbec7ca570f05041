//! The lesson library, bundled into the wasm at build time (`include_str!`): nothing is fetched,
//! so a lesson opens offline and a share link always finds it. The texts and the rules for them
//! live in the engine (`ecs_sim::lesson`); the app only lists and shows them.

use ecs_sim::lesson::Lesson;
use std::sync::OnceLock;

/// Every file of `lessons/`, by id (the file name). `engine/tests/lessons.rs` checks that each
/// one loads and runs; `library_matches_the_folder` checks this list against the folder.
pub const FILES: &[(&str, &str)] = &[
    ("ab-binpack-vs-spread", include_str!("../lessons/ab-binpack-vs-spread.json")),
    ("ab-fargate-vs-ec2-cost", include_str!("../lessons/ab-fargate-vs-ec2-cost.json")),
    ("ab-rolling-50-vs-100", include_str!("../lessons/ab-rolling-50-vs-100.json")),
    ("alb-dynamic-ports", include_str!("../lessons/alb-dynamic-ports.json")),
    ("alb-request-count-per-target", include_str!("../lessons/alb-request-count-per-target.json")),
    ("alb-vs-nlb", include_str!("../lessons/alb-vs-nlb.json")),
    ("az-failure", include_str!("../lessons/az-failure.json")),
    ("blue-green-hook-rollback", include_str!("../lessons/blue-green-hook-rollback.json")),
    ("blue-green-test-traffic-bake", include_str!("../lessons/blue-green-test-traffic-bake.json")),
    ("canary-10-then-all", include_str!("../lessons/canary-10-then-all.json")),
    ("capacity-provider-scale-out", include_str!("../lessons/capacity-provider-scale-out.json")),
    ("circuit-breaker-rollback", include_str!("../lessons/circuit-breaker-rollback.json")),
    ("codedeploy-canary-10-percent-5-minutes", include_str!("../lessons/codedeploy-canary-10-percent-5-minutes.json")),
    ("compare-lambda-ecs-eks", include_str!("../lessons/compare-lambda-ecs-eks.json")),
    ("cost-fargate-vs-ec2", include_str!("../lessons/cost-fargate-vs-ec2.json")),
    ("daemon-vs-replica", include_str!("../lessons/daemon-vs-replica.json")),
    ("deployment-alarm-rollback", include_str!("../lessons/deployment-alarm-rollback.json")),
    ("docker-vs-vm-vocabulary", include_str!("../lessons/docker-vs-vm-vocabulary.json")),
    ("ec2-vs-fargate", include_str!("../lessons/ec2-vs-fargate.json")),
    ("ecr-lifecycle-missing-tag", include_str!("../lessons/ecr-lifecycle-missing-tag.json")),
    ("eventbridge-scheduled-task", include_str!("../lessons/eventbridge-scheduled-task.json")),
    ("eventbridge-stopped-task-sns", include_str!("../lessons/eventbridge-stopped-task-sns.json")),
    ("express-mode-one-call", include_str!("../lessons/express-mode-one-call.json")),
    ("fargate-awsvpc-ips", include_str!("../lessons/fargate-awsvpc-ips.json")),
    ("fargate-bills-what-you-ask-for", include_str!("../lessons/fargate-bills-what-you-ask-for.json")),
    ("fargate-spot-interruption", include_str!("../lessons/fargate-spot-interruption.json")),
    ("health-check-replacement", include_str!("../lessons/health-check-replacement.json")),
    (
        "instance-profile-task-role-execution-role",
        include_str!("../lessons/instance-profile-task-role-execution-role.json"),
    ),
    ("killed-task-replaced", include_str!("../lessons/killed-task-replaced.json")),
    ("linear-steps", include_str!("../lessons/linear-steps.json")),
    ("placement-constraints", include_str!("../lessons/placement-constraints.json")),
    ("placement-strategies", include_str!("../lessons/placement-strategies.json")),
    ("private-subnet-image-pull", include_str!("../lessons/private-subnet-image-pull.json")),
    ("release-path-ecr-update-service", include_str!("../lessons/release-path-ecr-update-service.json")),
    ("rolling-update-100-150", include_str!("../lessons/rolling-update-100-150.json")),
    ("rolling-update-50-100", include_str!("../lessons/rolling-update-50-100.json")),
    ("s3-triggered-task", include_str!("../lessons/s3-triggered-task.json")),
    ("secrets-from-ssm-and-secrets-manager", include_str!("../lessons/secrets-from-ssm-and-secrets-manager.json")),
    ("security-group-dynamic-ports", include_str!("../lessons/security-group-dynamic-ports.json")),
    ("sidecar-bind-mount-efs", include_str!("../lessons/sidecar-bind-mount-efs.json")),
    ("sqs-worker", include_str!("../lessons/sqs-worker.json")),
    ("step-and-scheduled-scaling", include_str!("../lessons/step-and-scheduled-scaling.json")),
    ("target-tracking-cpu", include_str!("../lessons/target-tracking-cpu.json")),
    ("task-role-vs-execution-role", include_str!("../lessons/task-role-vs-execution-role.json")),
    ("when-eks-or-lambda-instead-of-ecs", include_str!("../lessons/when-eks-or-lambda-instead-of-ecs.json")),
];

/// A library lesson: its id, its metadata, and the scenario document to load.
pub struct LibraryLesson {
    pub id: &'static str,
    pub lesson: Lesson,
    pub text: &'static str,
}

/// The parsed library, in file order. A file that does not parse is left out (the engine test
/// fails on it long before a build ships), so the app never panics on one.
pub fn all() -> &'static [LibraryLesson] {
    static LIB: OnceLock<Vec<LibraryLesson>> = OnceLock::new();
    LIB.get_or_init(|| {
        FILES
            .iter()
            .filter_map(|(id, text)| {
                let lesson = ecs_sim::parse_scenario(text).ok()?.lesson?;
                Some(LibraryLesson { id, lesson, text })
            })
            .collect()
    })
}

pub fn find(id: &str) -> Option<&'static LibraryLesson> {
    all().iter().find(|l| l.id == id)
}

pub fn ids() -> Vec<&'static str> {
    FILES.iter().map(|(id, _)| *id).collect()
}

#[cfg(test)]
mod tests {
    /// The bundled list names exactly the files in `lessons/`, and each parses with its lesson.
    #[test]
    fn library_matches_the_folder() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("lessons/")
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".json")).map(String::from))
            .collect();
        on_disk.sort();
        let bundled: Vec<String> = super::ids().iter().map(|s| s.to_string()).collect();
        assert_eq!(bundled, on_disk, "src/lesson_library.rs FILES must list every lessons/*.json");
        assert_eq!(super::all().len(), on_disk.len(), "every bundled lesson parses");
    }
}
