//! References between stacks of one app: the producer exports, the consumer imports, and
//! the consumer depends on the producer.

use serde_json::{json, Value as Json};
use stack_core::prelude::*;

stack! {
    /// Shared storage.
    pub stack Storage {
        resource files: Bucket {}
        resource jobs: AWS::SQS::Queue {}
        output files_name = files.name;
    }
}

stack! {
    /// Workers reading the storage stack's bucket and queue.
    pub stack Workers uses storage: Storage {
        resource worker: Function {
            code: Code::asset("tests/fixtures/lambda"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            environment: {
                BUCKET: storage.files.name,
                QUEUE_URL: storage.jobs.queue_url,
                BUCKET_OUTPUT: storage.files_name,
                OBJECTS: sub!("${storage.files.arn}/*"),
            },
        }
        grant worker read storage.files;
        grant worker ["sqs:ReceiveMessage", "sqs:DeleteMessage"] on storage.jobs;
    }
}

fn app() -> App {
    let mut app = App::new();
    let storage = app.add(Storage::new("Storage"));
    app.add(Workers::new("Workers", &storage));
    app
}

fn template(app: &App, name: &str) -> Json {
    let stack = app
        .stacks()
        .find(|s| s.stack_name() == name)
        .unwrap_or_else(|| panic!("no stack {name}"));
    stack
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .template
        .to_json()
}

#[test]
fn consumer_imports_what_the_producer_exports() {
    let app = app();
    let storage = template(&app, "Storage");
    let workers = template(&app, "Workers");
    let env = &workers["Resources"]["Worker"]["Properties"]["Environment"]["Variables"];
    assert_eq!(
        env["BUCKET"],
        json!({"Fn::ImportValue": "Storage-Files-Ref"})
    );
    assert_eq!(
        env["QUEUE_URL"],
        json!({"Fn::ImportValue": "Storage-Jobs-QueueUrl"})
    );
    assert_eq!(
        env["BUCKET_OUTPUT"],
        json!({"Fn::ImportValue": "Storage-Files-Ref"})
    );
    assert_eq!(
        env["OBJECTS"],
        json!({"Fn::Join": ["", [{"Fn::ImportValue": "Storage-Files-Arn"}, "/*"]]})
    );
    assert_eq!(
        storage["Outputs"]["ExportFilesRef"],
        json!({
            "Description": "Exported for other stacks of the app as `Storage-Files-Ref`",
            "Value": {"Ref": "Files"},
            "Export": {"Name": "Storage-Files-Ref"}
        })
    );
    assert_eq!(
        storage["Outputs"]["ExportJobsArn"]["Value"],
        json!({"Fn::GetAtt": ["Jobs", "Arn"]})
    );
    let grants = workers["Resources"]["WorkerServiceRole"]["Properties"]["Policies"][0]
        ["PolicyDocument"]["Statement"]
        .to_string();
    assert!(grants.contains("Storage-Files-Arn"), "{grants}");
    assert!(grants.contains("Storage-Jobs-Arn"), "{grants}");
}

#[test]
fn consumer_depends_on_producer() {
    let app = app();
    let order: Vec<(&str, Vec<String>)> = app
        .stacks()
        .map(|s| (s.stack_name(), s.dependencies().to_vec()))
        .collect();
    assert_eq!(
        order,
        vec![("Storage", vec![]), ("Workers", vec!["Storage".to_owned()])]
    );
}

#[test]
fn both_stacks_are_lint_clean() {
    for stack in app().stacks() {
        tests::assert_lint_clean(stack);
    }
}

stack! {
    /// Storage keeping an export explicitly while its last consumer stops importing it.
    pub stack RetiringStorage {
        resource files: Bucket {}
        #[export = "RetiringStorage-Files-Ref"]
        output files_ref = files.name;
    }
}

stack! {
    /// A consumer that still imports the export the producer keeps explicitly.
    pub stack RetiringWorkers uses storage: RetiringStorage {
        resource jobs: AWS::SQS::Queue { QueueName: storage.files.name }
    }
}

#[test]
fn an_explicit_export_is_kept_and_reused_not_duplicated() {
    let mut app = App::new();
    let storage = app.add(RetiringStorage::new("RetiringStorage"));
    app.add(RetiringWorkers::new("RetiringWorkers", &storage));
    let storage = template(&app, "RetiringStorage");
    let outputs = storage["Outputs"].as_object().cloned().unwrap_or_default();
    let exports: Vec<&Json> = outputs.values().map(|o| &o["Export"]["Name"]).collect();
    assert_eq!(exports, vec![&json!("RetiringStorage-Files-Ref")]);
    let workers = template(&app, "RetiringWorkers");
    assert_eq!(
        workers["Resources"]["Jobs"]["Properties"]["QueueName"],
        json!({"Fn::ImportValue": "RetiringStorage-Files-Ref"})
    );

    // Step 1 of retiring it: the consumer no longer imports, the producer keeps exporting.
    let mut alone = App::new();
    alone.add(RetiringStorage::new("RetiringStorage"));
    let kept = template(&alone, "RetiringStorage");
    assert_eq!(
        kept["Outputs"]["FilesRef"]["Export"]["Name"],
        json!("RetiringStorage-Files-Ref")
    );
}

stack! {
    /// A stack whose output exports a fixed name.
    pub stack Exporter {
        resource jobs: AWS::SQS::Queue {}
        #[export = "shared-jobs-url"]
        output jobs_url = jobs.queue_url;
        #[export]
        output jobs_arn = jobs.arn;
    }
}

#[test]
fn two_stacks_of_an_app_exporting_one_name_is_a_synth_error_naming_both() {
    let mut app = App::new();
    app.add(Exporter::new("First"));
    app.add(Exporter::new("Second"));
    let stacks: Vec<&dyn Stack> = app.stacks().collect();
    assert!(stacks[0].synthesized().is_ok());
    let error = match stacks[1].synthesized() {
        Ok(_) => panic!("a duplicate export name was accepted"),
        Err(e) => e.to_string(),
    };
    assert!(
        error.contains("output `JobsUrl` exports `shared-jobs-url`, which stack `First` exports too (output `JobsUrl`)"),
        "{error}"
    );
    assert_eq!(
        error.matches("exports too").count(),
        1,
        "`${{AWS::StackName}}-...` exports differ per stack: {error}"
    );
}

/// The type of a second app built in the same program.
struct Staging;

#[test]
fn an_app_of_its_own_type_takes_the_stacks_built_from_its_own_stacks() {
    let mut staging = App::<Staging>::typed();
    let storage = staging.add(Storage::new("Storage"));
    staging.add(Workers::new("Workers", &storage));
    let stacks: Vec<&dyn Stack> = staging.stacks().collect();
    assert_eq!(stacks[1].dependencies(), ["Storage"]);
    assert!(stacks[1].synthesized().is_ok());
}
