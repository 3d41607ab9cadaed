//! One resource per entry of a config list: `for` blocks declare keyed resources whose
//! options, references and grants are checked once, at compile time.

use serde_json::{json, Value as Json};
use stack_core::prelude::*;

/// A queue the config asks for.
pub struct QueueSpec {
    name: String,
    visibility_seconds: i64,
}

/// The app's configuration.
pub struct Fleet {
    queues: Vec<QueueSpec>,
}

stack! {
    /// A worker per configured queue.
    pub stack Workers(props: Fleet) {
        resource dead_letters: AWS::SQS::Queue {}
        resource dispatcher: Function {
            code: Code::asset("tests/fixtures/lambda"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        for spec in &props.queues {
            resource queues[spec.name]: AWS::SQS::Queue {
                VisibilityTimeout: spec.visibility_seconds,
                RedrivePolicy: { deadLetterTargetArn: dead_letters.arn, maxReceiveCount: 3 },
            }
            resource handlers[spec.name]: Function {
                code: Code::asset("tests/fixtures/lambda"),
                runtime: Runtime::Python312,
                handler: "index.handler",
                environment: { QUEUE_URL: queues.queue_url },
            }
            grant handlers ["sqs:ReceiveMessage", "sqs:DeleteMessage"] on queues;
            grant dispatcher ["sqs:SendMessage"] on queues;
        }
        output handler_count = handlers.len().to_string();
    }
}

fn fleet() -> Fleet {
    Fleet {
        queues: vec![
            QueueSpec {
                name: "thumbnails".to_owned(),
                visibility_seconds: 60,
            },
            QueueSpec {
                name: "video-transcode".to_owned(),
                visibility_seconds: 900,
            },
        ],
    }
}

fn template() -> Json {
    let stack = Workers::new("Workers", &fleet());
    assert_eq!(stack.handlers.len(), 2);
    stack
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .template
        .to_json()
}

#[test]
fn one_resource_per_entry_with_stable_ids() {
    let t = template();
    let resources = t["Resources"]
        .as_object()
        .map(|r| r.keys().cloned().collect::<Vec<_>>());
    let resources = resources.unwrap_or_default();
    for id in [
        "QueuesThumbnails",
        "QueuesVideoTranscode",
        "HandlersThumbnails",
        "HandlersVideoTranscode",
    ] {
        assert!(
            resources.iter().any(|r| r == id),
            "{id} missing from {resources:?}"
        );
    }
    assert_eq!(
        t["Resources"]["QueuesVideoTranscode"]["Properties"]["VisibilityTimeout"],
        json!(900)
    );
    assert_eq!(
        t["Resources"]["HandlersThumbnails"]["Properties"]["Environment"]["Variables"]["QUEUE_URL"],
        json!({"Fn::GetAtt": ["QueuesThumbnails", "QueueUrl"]})
    );
    assert_eq!(t["Outputs"]["HandlerCount"]["Value"], json!("2"));
}

#[test]
fn grants_in_a_loop_scope_to_each_element() {
    let t = template();
    let handler = t["Resources"]["HandlersThumbnails"]["Properties"]["Role"].to_string();
    assert!(
        handler.contains("HandlersThumbnailsServiceRole"),
        "{handler}"
    );
    let statements = t["Resources"]["HandlersThumbnailsServiceRole"]["Properties"]["Policies"][0]
        ["PolicyDocument"]["Statement"]
        .to_string();
    assert!(statements.contains("QueuesThumbnails"), "{statements}");
    assert!(!statements.contains("QueuesVideoTranscode"), "{statements}");
    let dispatcher = t["Resources"]["DispatcherServiceRole"]["Properties"]["Policies"][0]
        ["PolicyDocument"]["Statement"]
        .to_string();
    assert!(dispatcher.contains("QueuesThumbnails"), "{dispatcher}");
    assert!(dispatcher.contains("QueuesVideoTranscode"), "{dispatcher}");
}

#[test]
fn config_driven_stack_is_lint_clean() {
    tests::assert_lint_clean(&Workers::new("Workers", &fleet()));
}
