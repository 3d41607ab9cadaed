//! S3 constructs.

use super::{opt, req, Child, ConstructSpec, OptionType};
use crate::rules::{self, Check};

/// `Bucket` and `BucketNotification`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[
    ConstructSpec {
        name: "Bucket",
        cfn_type: "AWS::S3::Bucket",
        options: &[
            opt("bucket_name", "Value<String>").checked(Check::Str(rules::s3::bucket_name)),
            opt("cors", "Vec<CorsRule>"),
            opt("removal_policy", "RemovalPolicy"),
            opt("auto_delete_objects", "bool"),
            opt("versioned", "bool"),
        ],
        attrs: &["arn", "name", "domain_name", "regional_domain_name"],
        grants: &["read", "write", "read_write", "put", "delete"],
        principal: false,
        resources: 2,
        children: &[Child {
            name: "policy",
            suffix: "Policy",
            cfn_type: "AWS::S3::BucketPolicy",
        }],
    },
    ConstructSpec {
        name: "BucketNotification",
        cfn_type: "Custom::S3BucketNotifications",
        options: &[
            req("bucket", "&Bucket"),
            // A `Topic`, a `Queue` or a function; the probe names one of them.
            req("destination", "&Topic"),
            req("events", "Vec<EventType>"),
            opt("prefix", "Value<String>").checked(Check::Str(rules::s3::key_filter)),
            opt("suffix", "Value<String>").checked(Check::Str(rules::s3::key_filter)),
        ],
        attrs: &[],
        grants: &[],
        principal: false,
        resources: 1,
        children: &[Child {
            name: "permission",
            suffix: "Permission",
            cfn_type: "AWS::Lambda::Permission",
        }],
    },
];

/// `CorsRule`, a bucket's CORS rule.
pub(super) static OPTION_TYPES: &[OptionType] = &[OptionType {
    name: "CorsRule",
    fields: &[
        req("allowed_methods", "Vec<HttpMethod>"),
        req("allowed_origins", "Vec<Value<String>>"),
        opt("allowed_headers", "Vec<Value<String>>"),
        opt("exposed_headers", "Vec<Value<String>>"),
        opt("max_age", "Value<i64>"),
        opt("id", "Value<String>"),
    ],
}];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &[
    "AWS::IAM::Role",
    "AWS::Lambda::Permission",
    "AWS::Lambda::Function",
    "AWS::Logs::LogGroup",
    "AWS::S3::Bucket",
    "AWS::S3::BucketPolicy",
];
