//! Lambda constructs: functions and the event sources that invoke them.

use super::{opt, req, Child, ConstructSpec, OptionSpec, OptionType, ENV};
use crate::rules::{self, Check};

/// A function's execution role, unless `role` names one of the stack.
const ROLE: Child = Child {
    name: "role",
    suffix: "ServiceRole",
    cfn_type: "AWS::IAM::Role",
};

/// A function's log group.
const LOG_GROUP: Child = Child {
    name: "log_group",
    suffix: "LogGroup",
    cfn_type: "AWS::Logs::LogGroup",
};

const FUNCTION_ATTRS: &[&str] = &["arn", "name", "role_arn", "log_group_name"];

/// The function an event source invokes, and whose role it grants reading the source.
const EVENT_FUNCTION: OptionSpec = req("function", "&Function");

const EVENT_SOURCE_ATTRS: &[&str] = &["event_source_mapping_id", "event_source_mapping_arn"];

const BATCH_SIZE: OptionSpec =
    opt("batch_size", "Value<i64>").checked(Check::Int(rules::lambda::batch_size));

const BATCHING_WINDOW: OptionSpec = opt("max_batching_window", "Duration")
    .checked(Check::Seconds(rules::lambda::max_batching_window));

/// The options of a DynamoDB or Kinesis stream source: its function, the stream
/// (`source`), and what they share.
const fn stream_source(source: OptionSpec) -> [OptionSpec; 12] {
    [
        EVENT_FUNCTION,
        source,
        req("starting_position", "StartingPosition"),
        BATCH_SIZE,
        BATCHING_WINDOW,
        opt("bisect_batch_on_error", "bool"),
        opt("retry_attempts", "Value<i64>").checked(Check::Int(rules::lambda::retry_attempts)),
        opt("max_record_age", "Duration").checked(Check::Seconds(rules::lambda::max_record_age)),
        opt("on_failure", "&Queue"),
        opt("parallelization_factor", "Value<i64>")
            .checked(Check::Int(rules::lambda::parallelization_factor)),
        opt("report_batch_item_failures", "bool"),
        opt("enabled", "bool"),
    ]
}

/// `Function`, `DockerImageFunction`, and the event sources `SqsEventSource`,
/// `DynamoEventSource` and `KinesisEventSource`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[
    ConstructSpec {
        name: "Function",
        cfn_type: "AWS::Lambda::Function",
        options: &[
            req("code", "Code"),
            req("runtime", "Runtime"),
            req("handler", "Value<String>"),
            opt("function_name", "Value<String>").checked(Check::Str(rules::lambda::function_name)),
            opt("timeout", "Duration").checked(Check::Seconds(rules::lambda::timeout)),
            opt("memory_size", "Value<i64>").checked(Check::Int(rules::lambda::memory_size)),
            ENV,
            opt("architecture", "Architecture"),
            opt("description", "Value<String>"),
            opt("initial_policy", "Vec<Statement>"),
            opt("log_retention", "Duration").checked(Check::Seconds(rules::logs::retention)),
            opt("role", "Role"),
        ],
        attrs: FUNCTION_ATTRS,
        grants: &["invoke"],
        principal: true,
        // The function and its log group; its own role too unless `role` names one.
        resources: 2,
        children: &[ROLE, LOG_GROUP],
    },
    ConstructSpec {
        name: "DockerImageFunction",
        cfn_type: "AWS::Lambda::Function",
        options: &[
            req("code", "DockerImageCode"),
            opt("function_name", "Value<String>").checked(Check::Str(rules::lambda::function_name)),
            opt("timeout", "Duration").checked(Check::Seconds(rules::lambda::timeout)),
            opt("memory_size", "Value<i64>").checked(Check::Int(rules::lambda::memory_size)),
            ENV,
            opt("architecture", "Architecture"),
            opt("description", "Value<String>"),
            opt("initial_policy", "Vec<Statement>"),
            opt("log_retention", "Duration").checked(Check::Seconds(rules::logs::retention)),
            opt("role", "Role"),
        ],
        attrs: FUNCTION_ATTRS,
        grants: &["invoke"],
        principal: true,
        // The function and its log group; its own role too unless `role` names one.
        resources: 2,
        children: &[ROLE, LOG_GROUP],
    },
    ConstructSpec {
        name: "SqsEventSource",
        cfn_type: "AWS::Lambda::EventSourceMapping",
        options: &[
            EVENT_FUNCTION,
            req("queue", "&Queue"),
            BATCH_SIZE,
            BATCHING_WINDOW,
            opt("report_batch_item_failures", "bool"),
            opt("enabled", "bool"),
            opt("max_concurrency", "Value<i64>")
                .checked(Check::Int(rules::lambda::max_concurrency)),
        ],
        attrs: EVENT_SOURCE_ATTRS,
        grants: &[],
        principal: false,
        resources: 1,
        children: &[],
    },
    ConstructSpec {
        name: "DynamoEventSource",
        cfn_type: "AWS::Lambda::EventSourceMapping",
        options: &stream_source(req("table", "&Table")),
        attrs: EVENT_SOURCE_ATTRS,
        grants: &[],
        principal: false,
        resources: 1,
        children: &[],
    },
    ConstructSpec {
        name: "KinesisEventSource",
        cfn_type: "AWS::Lambda::EventSourceMapping",
        options: &stream_source(
            req("stream_arn", "Value<Arn<kind::kinesis::Stream>>")
                .checked(Check::Str(rules::lambda::kinesis_stream_arn)),
        ),
        attrs: EVENT_SOURCE_ATTRS,
        grants: &[],
        principal: false,
        resources: 1,
        children: &[],
    },
];

/// The option types whose struct literals the macro checks field by field: none yet.
pub(super) static OPTION_TYPES: &[OptionType] = &[];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &[
    "AWS::IAM::Role",
    "AWS::Lambda::EventSourceMapping",
    "AWS::Lambda::Function",
    "AWS::Logs::LogGroup",
];
