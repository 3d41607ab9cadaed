//! The Lambda event sources in a `stack!` block: a worker fed by a queue and a Kinesis
//! stream, an auditor fed by a table's changes, the way a CDK user wires a stream
//! processing backend; every option and attribute of `SqsEventSource`,
//! `DynamoEventSource` and `KinesisEventSource` builds, each function's role gets what
//! reading its sources takes, and the template lints clean.

use serde_json::{json, Value as Json};
use stack_core::prelude::*;

stack! {
    /// Jobs, order changes and clicks, each processed in batches by a function.
    pub stack EventSources {
        resource failed_jobs: Queue {
            retention_period: Duration::days(14),
            removal_policy: RemovalPolicy::Destroy,
        }
        resource jobs: Queue {
            visibility_timeout: Duration::minutes(6),
            dead_letter_queue: DeadLetterQueue { queue: failed_jobs, max_receive_count: 3 },
            removal_policy: RemovalPolicy::Destroy,
        }
        resource alerts: Topic { display_name: "Alerts" }
        resource orders: Table {
            partition_key: Attribute::string("id"),
            stream: StreamViewType::NewAndOldImages,
            removal_policy: RemovalPolicy::Destroy,
        }
        resource clicks: AWS::Kinesis::Stream { ShardCount: 1 }
        resource worker: Function {
            code: Code::inline("def handler(event, context):\n    return {\"batchItemFailures\": []}\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            timeout: Duration::minutes(1),
        }
        resource auditor: DockerImageFunction {
            code: DockerImageCode::from_uri("123456789012.dkr.ecr.eu-west-1.amazonaws.com/auditor:1"),
            function_name: "order-auditor",
        }

        resource jobs_to_worker: SqsEventSource {
            function: worker,
            queue: jobs,
            batch_size: 100,
            max_batching_window: Duration::seconds(5),
            report_batch_item_failures: true,
            enabled: true,
            max_concurrency: 10,
        }
        resource order_changes: DynamoEventSource {
            function: auditor,
            table: orders,
            starting_position: StartingPosition::TrimHorizon,
            batch_size: 500,
            max_batching_window: Duration::seconds(10),
            bisect_batch_on_error: true,
            retry_attempts: 3,
            max_record_age: Duration::hours(6),
            on_failure: failed_jobs,
            parallelization_factor: 2,
            report_batch_item_failures: true,
            enabled: true,
        }
        resource click_stream: KinesisEventSource {
            function: worker,
            stream_arn: clicks.arn,
            starting_position: StartingPosition::Latest,
            batch_size: 1000,
            max_batching_window: Duration::seconds(1),
            bisect_batch_on_error: false,
            retry_attempts: -1,
            max_record_age: Duration::days(1),
            on_failure: alerts,
            parallelization_factor: 10,
            report_batch_item_failures: false,
            enabled: true,
        }
        resource archived_clicks: KinesisEventSource {
            function: worker,
            stream_arn: "arn:aws:kinesis:eu-west-1:123456789012:stream/archived-clicks",
            starting_position: StartingPosition::TrimHorizon,
            enabled: false,
        }

        output jobs_mapping_id = jobs_to_worker.event_source_mapping_id;
        output jobs_mapping_arn = jobs_to_worker.event_source_mapping_arn;
        output orders_mapping_id = order_changes.event_source_mapping_id;
        output clicks_mapping_arn = click_stream.event_source_mapping_arn;
    }
}

fn template() -> Json {
    let stack = EventSources::new("EventSources");
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    synthesized.template.to_json()
}

/// The statements of `role`'s grants policy.
fn statements(resources: &Json, role: &str) -> Vec<Json> {
    resources[role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn every_option_and_attribute_builds() {
    let template = template();
    assert_eq!(
        template["Outputs"]["JobsMappingArn"]["Value"],
        json!({"Fn::GetAtt": ["JobsToWorker", "EventSourceMappingArn"]})
    );
    assert_eq!(
        template["Outputs"]["OrdersMappingId"]["Value"],
        json!({"Ref": "OrderChanges"})
    );
    let r = &template["Resources"];
    assert_eq!(
        r["JobsToWorker"]["Properties"],
        json!({
            "BatchSize": 100,
            "Enabled": true,
            "EventSourceArn": {"Fn::GetAtt": ["Jobs", "Arn"]},
            "FunctionName": {"Ref": "Worker"},
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "MaximumBatchingWindowInSeconds": 5,
            "ScalingConfig": {"MaximumConcurrency": 10}
        })
    );
    assert_eq!(
        r["OrderChanges"]["Properties"],
        json!({
            "BatchSize": 500,
            "BisectBatchOnFunctionError": true,
            "DestinationConfig": {"OnFailure": {"Destination": {"Fn::GetAtt": ["FailedJobs", "Arn"]}}},
            "Enabled": true,
            "EventSourceArn": {"Fn::GetAtt": ["Orders", "StreamArn"]},
            "FunctionName": {"Ref": "Auditor"},
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "MaximumBatchingWindowInSeconds": 10,
            "MaximumRecordAgeInSeconds": 21600,
            "MaximumRetryAttempts": 3,
            "ParallelizationFactor": 2,
            "StartingPosition": "TRIM_HORIZON"
        })
    );
    assert_eq!(
        r["ClickStream"]["Properties"]["EventSourceArn"],
        json!({"Fn::GetAtt": ["Clicks", "Arn"]})
    );
    assert_eq!(r["ClickStream"]["Properties"]["MaximumRetryAttempts"], -1);
    assert_eq!(
        r["ArchivedClicks"]["Properties"]["EventSourceArn"],
        "arn:aws:kinesis:eu-west-1:123456789012:stream/archived-clicks"
    );
    assert_eq!(r["ArchivedClicks"]["Properties"]["Enabled"], false);
}

#[test]
fn each_function_may_read_its_sources_and_send_its_failures() {
    let r = &template()["Resources"];
    let worker = statements(r, "WorkerServiceRole");
    let on = |statements: &[Json], resource: Json| -> Vec<Json> {
        statements
            .iter()
            .filter(|s| s["Resource"] == resource)
            .map(|s| s["Action"].clone())
            .collect()
    };
    assert_eq!(
        on(&worker, json!({"Fn::GetAtt": ["Jobs", "Arn"]})),
        [json!([
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:ReceiveMessage"
        ])]
    );
    let kinesis_read = json!([
        "kinesis:DescribeStream",
        "kinesis:DescribeStreamSummary",
        "kinesis:GetRecords",
        "kinesis:GetShardIterator",
        "kinesis:ListShards",
        "kinesis:SubscribeToShard"
    ]);
    assert_eq!(
        on(&worker, json!({"Fn::GetAtt": ["Clicks", "Arn"]})),
        std::slice::from_ref(&kinesis_read)
    );
    assert_eq!(
        on(
            &worker,
            json!("arn:aws:kinesis:eu-west-1:123456789012:stream/archived-clicks")
        ),
        [kinesis_read]
    );
    assert_eq!(on(&worker, json!("*")), [json!("kinesis:ListStreams")]);
    assert_eq!(
        on(&worker, json!({"Ref": "Alerts"})),
        [json!("sns:Publish")]
    );

    let auditor = statements(r, "AuditorServiceRole");
    assert_eq!(
        on(&auditor, json!({"Fn::GetAtt": ["Orders", "StreamArn"]})),
        [json!([
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator"
        ])]
    );
    assert_eq!(on(&auditor, json!("*")), [json!("dynamodb:ListStreams")]);
    assert_eq!(
        on(&auditor, json!({"Fn::GetAtt": ["FailedJobs", "Arn"]})),
        [json!("sqs:SendMessage")]
    );
}

#[test]
fn sources_start_once_their_function_can_log() {
    let r = &template()["Resources"];
    // The worker's name is generated: its log group is named after it, created after it,
    // and the sources wait for the group.
    assert_eq!(
        r["WorkerLogGroup"]["Properties"]["LogGroupName"],
        json!({"Fn::Sub": "/aws/lambda/${Worker}"})
    );
    assert!(r["Worker"]["Properties"].get("LoggingConfig").is_none());
    for source in ["JobsToWorker", "ClickStream", "ArchivedClicks"] {
        assert_eq!(r[source]["DependsOn"], "WorkerLogGroup", "{source}");
    }
    // The auditor's name is given: the function itself waits for its group.
    assert_eq!(
        r["AuditorLogGroup"]["Properties"]["LogGroupName"],
        "/aws/lambda/order-auditor"
    );
    assert_eq!(
        r["Auditor"]["Properties"]["LoggingConfig"],
        json!({"LogGroup": {"Ref": "AuditorLogGroup"}})
    );
}

#[test]
fn event_sources_are_lint_clean() {
    tests::assert_lint_clean(&EventSources::new("EventSources"));
}
