//! Orders: an event-driven pipeline. Files uploaded under `incoming/` are announced on a
//! topic, queued, and recorded in a table by the `ingest` function; the table's changes
//! are followed by the `notify` function; every night a rule starts a state machine that
//! counts the recorded files of each kind with the `report` function.
//!
//! The stack is a library so that tests can build it; `main.rs` is the app binary.

use serde_json::json;
use stack_core::prelude::*;

/// The name the app deploys its stack under.
pub const STACK_NAME: &str = "Orders";

/// The kinds of file (key suffixes) the nightly report counts.
pub const REPORTED_KINDS: [&str; 2] = ["csv", "json"];

/// `ingest`: each queued message is an S3 event (raw SNS delivery); every object it names
/// becomes an item `{id: key, bucket, size, kind}`, its kind the file name's
/// extension (`none` without one). A message that fails is reported back
/// as a batch item failure, so only it returns to the queue (and, after three receives,
/// goes to the dead-letter queue). S3's `s3:TestEvent` has no `Records` and is skipped.
pub const INGEST_CODE: &str = r#"import json
import os
import urllib.parse

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    failures = []
    for message in event["Records"]:
        try:
            for record in json.loads(message["body"]).get("Records", []):
                key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
                name = key.rsplit("/", 1)[-1]
                table.put_item(Item={
                    "id": key,
                    "bucket": record["s3"]["bucket"]["name"],
                    "size": record["s3"]["object"].get("size", 0),
                    "kind": name.rsplit(".", 1)[-1].lower() if "." in name else "none",
                })
        except Exception as error:
            print(f"message {message['messageId']} failed: {error}")
            failures.append({"itemIdentifier": message["messageId"]})
    return {"batchItemFailures": failures}
"#;

/// `notify`: logs each change of the table (event name, key, kind) and returns.
pub const NOTIFY_CODE: &str = r#"def handler(event, context):
    for record in event["Records"]:
        image = record["dynamodb"].get("NewImage") or record["dynamodb"].get("OldImage", {})
        print(record["eventName"], image.get("id", {}).get("S"), image.get("kind", {}).get("S"))
"#;

/// `report`: counts the table's items of one kind (its input, a string) with a paginated
/// `Select=COUNT` scan and returns `{kind, count}`.
pub const REPORT_CODE: &str = r#"import os

import boto3
from boto3.dynamodb.conditions import Attr

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    scan = {"FilterExpression": Attr("kind").eq(event), "Select": "COUNT"}
    count = 0
    while True:
        page = table.scan(**scan)
        count += page["Count"]
        if "LastEvaluatedKey" not in page:
            return {"kind": event, "count": count}
        scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]
"#;

stack! {
    /// Orders: uploads queued, recorded, followed and counted every night.
    pub stack Orders {
        resource uploads: Bucket {
            removal_policy: RemovalPolicy::Destroy,
            auto_delete_objects: true,
        }
        resource uploaded: Topic { display_name: "Uploaded orders" }
        resource announce_uploads: BucketNotification {
            bucket: uploads,
            destination: uploaded,
            events: [EventType::ObjectCreated],
            prefix: "incoming/",
        }

        resource failed: Queue {
            retention_period: Duration::days(14),
            removal_policy: RemovalPolicy::Destroy,
        }
        resource inbox: Queue {
            visibility_timeout: Duration::minutes(3),
            dead_letter_queue: DeadLetterQueue { queue: failed, max_receive_count: 3 },
            removal_policy: RemovalPolicy::Destroy,
        }
        resource uploaded_to_inbox: SqsSubscription {
            topic: uploaded,
            queue: inbox,
            raw_message_delivery: true,
        }

        resource orders: Table {
            partition_key: Attribute::string("id"),
            stream: StreamViewType::NewAndOldImages,
            removal_policy: RemovalPolicy::Destroy,
        }

        resource ingest: Function {
            code: Code::inline(INGEST_CODE),
            runtime: Runtime::Python312,
            handler: "index.handler",
            timeout: Duration::seconds(30),
            environment: { TABLE_NAME: orders.name },
        }
        resource inbox_to_ingest: SqsEventSource {
            function: ingest,
            queue: inbox,
            batch_size: 10,
            report_batch_item_failures: true,
        }
        grant ingest read_write orders;

        resource notify: Function {
            code: Code::inline(NOTIFY_CODE),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource order_changes: DynamoEventSource {
            function: notify,
            table: orders,
            starting_position: StartingPosition::TrimHorizon,
            batch_size: 100,
            bisect_batch_on_error: true,
            retry_attempts: 2,
            on_failure: failed,
        }

        resource report: Function {
            code: Code::inline(REPORT_CODE),
            runtime: Runtime::Python312,
            handler: "index.handler",
            timeout: Duration::minutes(1),
            environment: { TABLE_NAME: orders.name },
        }
        grant report read orders;

        resource nightly_report: StateMachine {
            definition: Definition::new("Any kinds?")
                .state(Choice::new("Any kinds?")
                    .when(Condition::is_present("$.kinds"), "Count each kind")
                    .otherwise("Nothing to count"))
                .state(Map::new("Count each kind")
                    .items_path("$.kinds")
                    .max_concurrency(2)
                    .result_path("$.counts")
                    .item_processor(Definition::new("Count")
                        .state(LambdaInvoke::new("Count", report)
                            .payload_response_only(true)
                            .end()))
                    .next("Done"))
                .state(Succeed::new("Done"))
                .state(Fail::new("Nothing to count")
                    .error("NoKinds")
                    .cause("The input names no kinds to count")),
            timeout: Duration::minutes(15),
            comment: "Counts the recorded uploads of each kind",
        }
        resource nightly: Rule {
            schedule: "cron(0 2 * * ? *)",
            targets: [RuleTarget::state_machine(nightly_report).input(json!({"kinds": REPORTED_KINDS}))],
        }

        /// The bucket to upload orders to, under `incoming/`.
        output bucket_name = uploads.name;
        /// The topic that announces each upload.
        output topic_arn = uploaded.arn;
        /// The queue the ingest function reads.
        output queue_url = inbox.url;
        /// The table of recorded uploads.
        output table_name = orders.name;
        /// The state machine that counts the uploads every night.
        output state_machine_arn = nightly_report.arn;
    }
}
