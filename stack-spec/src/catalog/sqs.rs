//! SQS constructs.

use super::{opt, req, Child, ConstructSpec, OptionType};
use crate::rules::{sqs, Check};

/// `Queue`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "Queue",
    cfn_type: "AWS::SQS::Queue",
    options: &[
        opt("queue_name", "Value<String>").checked(Check::Str(sqs::queue_name)),
        opt("fifo", "bool"),
        opt("content_based_deduplication", "bool"),
        opt("visibility_timeout", "Duration").checked(Check::Seconds(sqs::visibility_timeout)),
        opt("retention_period", "Duration").checked(Check::Seconds(sqs::retention_period)),
        opt("delivery_delay", "Duration").checked(Check::Seconds(sqs::delivery_delay)),
        opt("receive_message_wait_time", "Duration")
            .checked(Check::Seconds(sqs::receive_wait_time)),
        opt("dead_letter_queue", "DeadLetterQueue"),
        opt("encryption", "QueueEncryption"),
        opt("removal_policy", "RemovalPolicy"),
    ],
    attrs: &["arn", "name", "url"],
    grants: &["send", "consume", "purge"],
    principal: false,
    resources: 2,
    children: &[Child {
        name: "policy",
        suffix: "Policy",
        cfn_type: "AWS::SQS::QueuePolicy",
    }],
}];

/// `DeadLetterQueue`, where a queue moves the messages it failed to process.
pub(super) static OPTION_TYPES: &[OptionType] = &[OptionType {
    name: "DeadLetterQueue",
    fields: &[
        req("queue", "&Queue"),
        req("max_receive_count", "Value<i64>").checked(Check::Int(sqs::max_receive_count)),
    ],
}];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &["AWS::SQS::Queue", "AWS::SQS::QueuePolicy"];
