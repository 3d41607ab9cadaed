// Event sources as they are synthesized: the mapping, the statements its function's role
// gets, the wait for the function's log group, and what is reported at synth.
use super::*;
use crate::constructs::{
    Attribute, Code, DockerImageCode, DockerImageFunction, DockerImageFunctionProps, Function,
    FunctionProps, Principals, QueueProps, Role, RoleProps, Runtime, StreamViewType, TableProps,
    TopicProps,
};
use serde_json::{json, Value as Json};

fn synth(build: impl FnOnce(&mut StackBuilder)) -> Result<Json, Vec<String>> {
    let mut stack = StackBuilder::new("Test");
    build(&mut stack);
    stack
        .finish()
        .map(|s| s.template.to_json()["Resources"].clone())
        .map_err(|e| e.problems)
}

/// A function `Worker` with `timeout` seconds, built into `stack`.
fn worker(stack: &mut StackBuilder, timeout: u64) -> Function {
    let worker = Function::declare("Worker");
    worker.build(
        FunctionProps::default()
            .code(Code::inline(
                "def handler(event, context):\n    return None\n",
            ))
            .runtime(Runtime::Python313)
            .handler("index.handler")
            .timeout(Duration::seconds(timeout)),
        stack,
    );
    worker
}

/// A queue `Jobs`, built into `stack` with `props`.
fn jobs(stack: &mut StackBuilder, props: QueueProps) -> Queue {
    let queue = Queue::declare("Jobs");
    queue.build(props, stack);
    queue
}

/// A table `Orders`, with a stream of new and old images when `stream` is set.
fn orders(stack: &mut StackBuilder, stream: bool) -> Table {
    let table = Table::declare("Orders");
    let props = TableProps::default().partition_key(Attribute::string("id"));
    let props = if stream {
        props.stream(StreamViewType::NewAndOldImages)
    } else {
        props
    };
    table.build(props, stack);
    table
}

/// The statements of the role `role`'s grants policy.
fn statements(resources: &Json, role: &str) -> Vec<Json> {
    resources[role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn an_sqs_source_reads_the_queue_after_the_log_group_exists() {
    let resources = synth(|stack| {
        let worker = worker(stack, 60);
        let queue = jobs(
            stack,
            QueueProps::default().visibility_timeout(Duration::minutes(6)),
        );
        SqsEventSource::declare("JobsToWorker").build(
            SqsEventSourceProps::default()
                .function(&worker)
                .queue(&queue)
                .batch_size(100)
                .max_batching_window(Duration::seconds(5))
                .report_batch_item_failures(true)
                .enabled(false)
                .max_concurrency(5),
            stack,
        );
    })
    .expect("synthesizes");
    assert_eq!(
        resources["JobsToWorker"],
        json!({
            "Type": "AWS::Lambda::EventSourceMapping",
            "Properties": {
                "BatchSize": 100,
                "Enabled": false,
                "EventSourceArn": {"Fn::GetAtt": ["Jobs", "Arn"]},
                "FunctionName": {"Ref": "Worker"},
                "FunctionResponseTypes": ["ReportBatchItemFailures"],
                "MaximumBatchingWindowInSeconds": 5,
                "ScalingConfig": {"MaximumConcurrency": 5}
            },
            "DependsOn": "WorkerLogGroup"
        })
    );
    assert_eq!(
        statements(&resources, "WorkerServiceRole"),
        [json!({
            "Effect": "Allow",
            "Action": [
                "sqs:ChangeMessageVisibility",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl",
                "sqs:ReceiveMessage"
            ],
            "Resource": {"Fn::GetAtt": ["Jobs", "Arn"]}
        })]
    );
}

#[test]
fn a_dynamo_source_reads_the_stream_and_may_send_failures() {
    let resources = synth(|stack| {
        let worker = worker(stack, 30);
        let table = orders(stack, true);
        let failed = jobs(stack, QueueProps::default());
        DynamoEventSource::declare("OrderChanges").build(
            DynamoEventSourceProps::default()
                .function(&worker)
                .table(&table)
                .starting_position(StartingPosition::TrimHorizon)
                .batch_size(500)
                .max_batching_window(Duration::seconds(10))
                .bisect_batch_on_error(true)
                .retry_attempts(3)
                .max_record_age(Duration::hours(1))
                .on_failure(&failed)
                .parallelization_factor(2)
                .report_batch_item_failures(true),
            stack,
        );
    })
    .expect("synthesizes");
    assert_eq!(
        resources["OrderChanges"]["Properties"],
        json!({
            "BatchSize": 500,
            "BisectBatchOnFunctionError": true,
            "DestinationConfig": {"OnFailure": {"Destination": {"Fn::GetAtt": ["Jobs", "Arn"]}}},
            "EventSourceArn": {"Fn::GetAtt": ["Orders", "StreamArn"]},
            "FunctionName": {"Ref": "Worker"},
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "MaximumBatchingWindowInSeconds": 10,
            "MaximumRecordAgeInSeconds": 3600,
            "MaximumRetryAttempts": 3,
            "ParallelizationFactor": 2,
            "StartingPosition": "TRIM_HORIZON"
        })
    );
    assert_eq!(
        statements(&resources, "WorkerServiceRole"),
        [
            json!({
                "Effect": "Allow",
                "Action": [
                    "dynamodb:DescribeStream",
                    "dynamodb:GetRecords",
                    "dynamodb:GetShardIterator"
                ],
                "Resource": {"Fn::GetAtt": ["Orders", "StreamArn"]}
            }),
            json!({"Effect": "Allow", "Action": "dynamodb:ListStreams", "Resource": "*"}),
            json!({
                "Effect": "Allow",
                "Action": "sqs:SendMessage",
                "Resource": {"Fn::GetAtt": ["Jobs", "Arn"]}
            }),
        ]
    );
}

#[test]
fn a_dynamo_source_on_a_table_without_a_stream_says_to_add_one() {
    let problems = synth(|stack| {
        let worker = worker(stack, 30);
        let table = orders(stack, false);
        DynamoEventSource::declare("OrderChanges").build(
            DynamoEventSourceProps::default()
                .function(&worker)
                .table(&table)
                .starting_position(StartingPosition::Latest),
            stack,
        );
    })
    .expect_err("a table without a stream");
    assert_eq!(
        problems,
        ["event source `OrderChanges`: table `Orders` has no stream; set `stream: StreamViewType::NewAndOldImages` (or `NewImage`, `OldImage`, `KeysOnly`) on the table"]
    );
}

#[test]
fn a_kinesis_source_reads_the_stream_by_arn_and_may_publish_failures() {
    let arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks";
    let resources = synth(|stack| {
        let worker = worker(stack, 30);
        let alerts = Topic::declare("Alerts");
        alerts.build(TopicProps::default(), stack);
        KinesisEventSource::declare("Clicks").build(
            KinesisEventSourceProps::default()
                .function(&worker)
                .stream_arn(arn)
                .starting_position(StartingPosition::Latest)
                .on_failure(&alerts),
            stack,
        );
    })
    .expect("synthesizes");
    let mapping = &resources["Clicks"]["Properties"];
    assert_eq!(mapping["EventSourceArn"], arn);
    assert_eq!(mapping["StartingPosition"], "LATEST");
    assert_eq!(
        mapping["DestinationConfig"],
        json!({"OnFailure": {"Destination": {"Ref": "Alerts"}}})
    );
    assert_eq!(
        statements(&resources, "WorkerServiceRole"),
        [
            json!({
                "Effect": "Allow",
                "Action": [
                    "kinesis:DescribeStream",
                    "kinesis:DescribeStreamSummary",
                    "kinesis:GetRecords",
                    "kinesis:GetShardIterator",
                    "kinesis:ListShards",
                    "kinesis:SubscribeToShard"
                ],
                "Resource": arn
            }),
            json!({"Effect": "Allow", "Action": "kinesis:ListStreams", "Resource": "*"}),
            json!({"Effect": "Allow", "Action": "sns:Publish", "Resource": {"Ref": "Alerts"}}),
        ]
    );
}

#[test]
fn an_image_function_running_as_a_shared_role_gets_the_grant_on_that_role() {
    let resources = synth(|stack| {
        let role = Role::declare("Shared");
        role.build(
            RoleProps::default()
                .assumed_by(Principals::default().services(["lambda.amazonaws.com"])),
            stack,
        );
        let api = DockerImageFunction::declare("Api");
        api.build(
            DockerImageFunctionProps::default()
                .code(DockerImageCode::from_uri(
                    "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1",
                ))
                .role(&role),
            stack,
        );
        let queue = jobs(stack, QueueProps::default());
        SqsEventSource::declare("JobsToApi").build(
            SqsEventSourceProps::default().function(&api).queue(&queue),
            stack,
        );
    })
    .expect("synthesizes");
    assert!(resources.get("ApiServiceRole").is_none());
    assert_eq!(
        statements(&resources, "Shared")[0]["Resource"],
        json!({"Fn::GetAtt": ["Jobs", "Arn"]})
    );
    assert_eq!(resources["JobsToApi"]["DependsOn"], "ApiLogGroup");
}

#[test]
fn out_of_range_values_are_reported_with_their_option() {
    let problems = synth(|stack| {
        let worker = worker(stack, 30);
        let queue = jobs(stack, QueueProps::default());
        SqsEventSource::declare("Jobs2").build(
            SqsEventSourceProps::default()
                .function(&worker)
                .queue(&queue)
                .batch_size(0)
                .max_batching_window(Duration::minutes(6))
                .max_concurrency(1),
            stack,
        );
        KinesisEventSource::declare("Clicks").build(
            KinesisEventSourceProps::default()
                .function(&worker)
                .stream_arn("clicks")
                .starting_position(StartingPosition::Latest)
                .retry_attempts(-2)
                .max_record_age(Duration::seconds(30))
                .parallelization_factor(11),
            stack,
        );
    })
    .expect_err("every value is out of range");
    assert_eq!(
        problems,
        [
            "event source `Jobs2`: `batch_size` is 0; Lambda reads batches of 1 to 10000 records",
            "event source `Jobs2`: `max_batching_window` is 360 s; Lambda waits at most 300 s (`Duration::minutes(5)`)",
            "event source `Jobs2`: `max_concurrency` is 1; Lambda accepts 2 to 1000 concurrent invocations",
            "event source `Clicks`: `retry_attempts` is -2; Lambda accepts 0 to 10000 retries, or -1 to retry until the record expires",
            "event source `Clicks`: `max_record_age` is 30 s; Lambda accepts 60 s to 604800 s (`Duration::days(7)`), or no value to keep records until they expire",
            "event source `Clicks`: `parallelization_factor` is 11; Lambda processes 1 to 10 batches per shard at once",
            "event source `Clicks`: `stream_arn` `clicks` is not a Kinesis stream ARN; write `arn:aws:kinesis:<region>:<account>:stream/<name>`",
        ]
    );
}

#[test]
fn what_lambda_refuses_of_an_sqs_source_is_reported() {
    let problems = synth(|stack| {
        // The default visibility timeout, 30 s, is shorter than the function's 60 s.
        let worker = worker(stack, 60);
        let queue = jobs(stack, QueueProps::default());
        SqsEventSource::declare("Big").build(
            SqsEventSourceProps::default()
                .function(&worker)
                .queue(&queue)
                .batch_size(11),
            stack,
        );
    })
    .expect_err("refused");
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].contains("over 10 needs a `max_batching_window`"),
        "{problems:#?}"
    );
    assert!(
        problems[1].contains(
            "queue `Jobs` hides a message for 30 s, less than function `Worker`'s timeout of 60 s"
        ),
        "{problems:#?}"
    );

    let problems = synth(|stack| {
        let worker = worker(stack, 10);
        let queue = jobs(stack, QueueProps::default().fifo(true));
        SqsEventSource::declare("Fifo").build(
            SqsEventSourceProps::default()
                .function(&worker)
                .queue(&queue)
                .batch_size(20)
                .max_batching_window(Duration::seconds(1)),
            stack,
        );
    })
    .expect_err("refused");
    assert_eq!(
        problems,
        [
            "event source `Fifo`: `batch_size` is over 10; Lambda reads a FIFO queue in batches of 1 to 10",
            "event source `Fifo`: a FIFO queue takes no `max_batching_window`; remove it",
        ]
    );
}

#[test]
fn missing_required_options_are_reported() {
    let problems = synth(|stack| {
        jobs(stack, QueueProps::default());
        SqsEventSource::declare("NoQueue").build(SqsEventSourceProps::default(), stack);
        DynamoEventSource::declare("NoTable").build(DynamoEventSourceProps::default(), stack);
        KinesisEventSource::declare("NoStream").build(KinesisEventSourceProps::default(), stack);
    })
    .expect_err("incomplete");
    assert_eq!(
        problems,
        [
            "event source `NoQueue` has no `function`; add `function: <a Function of this stack>`",
            "event source `NoQueue` has no `queue`; add `queue: <a Queue of this stack>`",
            "event source `NoTable` has no `function`; add `function: <a Function of this stack>`",
            "event source `NoTable` has no `starting_position`; add `starting_position: StartingPosition::Latest` (or `TrimHorizon`)",
            "event source `NoTable` has no `table`; add `table: <a Table of this stack>`",
            "event source `NoStream` has no `function`; add `function: <a Function of this stack>`",
            "event source `NoStream` has no `starting_position`; add `starting_position: StartingPosition::Latest` (or `TrimHorizon`)",
            "event source `NoStream` has no `stream_arn`; add `stream_arn: <the stream's ARN>`",
        ]
    );
}

#[test]
fn attributes_name_the_mapping() {
    let source = SqsEventSource::declare("JobsToWorker");
    assert_eq!(
        source.event_source_mapping_id().expr(),
        &Expr::Ref("JobsToWorker".into())
    );
    assert_eq!(
        source.event_source_mapping_arn().expr(),
        &Expr::GetAtt("JobsToWorker".into(), "EventSourceMappingArn".into())
    );
}
