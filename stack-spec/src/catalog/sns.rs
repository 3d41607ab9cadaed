//! SNS constructs: topics and their subscriptions.

use super::{opt, req, Child, ConstructSpec, OptionSpec, OptionType};
use crate::rules::{sns, Check};

/// The topic every subscription names.
const TOPIC: OptionSpec = req("topic", "&Topic");

/// `Topic`, `SqsSubscription`, `LambdaSubscription`, `EmailSubscription`, `UrlSubscription`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[
    ConstructSpec {
        name: "Topic",
        cfn_type: "AWS::SNS::Topic",
        options: &[
            opt("topic_name", "Value<String>").checked(Check::Str(sns::topic_name)),
            opt("display_name", "Value<String>"),
            opt("fifo", "bool"),
            opt("content_based_deduplication", "bool"),
            opt("encryption", "TopicEncryption"),
        ],
        attrs: &["arn", "name"],
        grants: &["publish", "subscribe"],
        principal: false,
        resources: 2,
        children: &[Child {
            name: "policy",
            suffix: "Policy",
            cfn_type: "AWS::SNS::TopicPolicy",
        }],
    },
    ConstructSpec {
        name: "SqsSubscription",
        cfn_type: "AWS::SNS::Subscription",
        options: &[
            TOPIC,
            req("queue", "&Queue"),
            opt("raw_message_delivery", "bool"),
            opt("filter_policy", "FilterPolicy"),
        ],
        attrs: &["arn"],
        grants: &[],
        principal: false,
        resources: 1,
        children: &[],
    },
    ConstructSpec {
        name: "LambdaSubscription",
        cfn_type: "AWS::SNS::Subscription",
        options: &[
            TOPIC,
            req("function", "&Function"),
            opt("filter_policy", "FilterPolicy"),
        ],
        attrs: &["arn"],
        grants: &[],
        principal: false,
        resources: 2,
        children: &[Child {
            name: "permission",
            suffix: "Permission",
            cfn_type: "AWS::Lambda::Permission",
        }],
    },
    ConstructSpec {
        name: "EmailSubscription",
        cfn_type: "AWS::SNS::Subscription",
        options: &[
            TOPIC,
            req("email", "Value<String>").checked(Check::Str(sns::email_address)),
            opt("filter_policy", "FilterPolicy"),
        ],
        attrs: &["arn"],
        grants: &[],
        principal: false,
        resources: 1,
        children: &[],
    },
    ConstructSpec {
        name: "UrlSubscription",
        cfn_type: "AWS::SNS::Subscription",
        options: &[
            TOPIC,
            req("url", "Value<String>").checked(Check::Str(sns::endpoint_url)),
            opt("raw_message_delivery", "bool"),
            opt("filter_policy", "FilterPolicy"),
        ],
        attrs: &["arn"],
        grants: &[],
        principal: false,
        resources: 1,
        children: &[],
    },
];

/// The option types whose struct literals the macro checks field by field: none.
pub(super) static OPTION_TYPES: &[OptionType] = &[];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &[
    "AWS::Lambda::Permission",
    "AWS::SNS::Subscription",
    "AWS::SNS::Topic",
    "AWS::SNS::TopicPolicy",
];
