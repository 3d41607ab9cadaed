//! `#[renamed_from(old)]`: the synthesized stack records that the logical IDs of `old`,
//! the construct's own and the ones it derives from it, now belong to the new name.

use stack_core::prelude::*;

/// The props of [`Renamed`]: one function per name.
pub struct Names {
    /// The names of the keyed functions.
    pub workers: Vec<&'static str>,
}

stack! {
    /// Resources renamed from their previous declarations.
    pub stack Renamed(props: Names) {
        #[renamed_from(files)]
        resource photos: Bucket { versioned: true }
        #[renamed_from(worker)]
        resource resizer: Function {
            code: Code::inline("def handler(event, context): pass"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        #[renamed_from(old_jobs)]
        resource jobs: AWS::SQS::Queue { VisibilityTimeout: 30 }
        resource plain: AWS::SQS::Queue;
        for name in props.workers.iter() {
            #[renamed_from(tasks)]
            resource steps[name]: AWS::SQS::Queue;
        }
    }
}

#[test]
fn every_logical_id_of_the_old_declaration_maps_to_the_new_one() {
    let stack = Renamed::new(
        "Renamed",
        &Names {
            workers: vec!["a", "b"],
        },
    );
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = synthesized
        .template
        .resources
        .iter()
        .map(|(id, _)| id.as_str())
        .collect();
    let renames: Vec<(&str, &str)> = synthesized
        .renames
        .iter()
        .map(|(old, new)| (old.as_str(), new.as_str()))
        .collect();
    // Every resource named after a renamed declaration is mapped, and nothing else.
    for id in &ids {
        let renamed = ["Photos", "Resizer", "Jobs", "Steps"]
            .iter()
            .any(|prefix| id.starts_with(prefix));
        assert_eq!(
            renames.iter().any(|(_, new)| new == id),
            renamed,
            "{id}: {renames:?}"
        );
    }
    for (old, new) in [
        ("Files", "Photos"),
        ("FilesPolicy", "PhotosPolicy"),
        ("Worker", "Resizer"),
        ("WorkerServiceRole", "ResizerServiceRole"),
        ("OldJobs", "Jobs"),
        ("TasksA", "StepsA"),
        ("TasksB", "StepsB"),
    ] {
        assert!(renames.contains(&(old, new)), "{old} → {new}: {renames:?}");
    }
}
