//! DynamoDB constructs.

use super::{opt, req, ConstructSpec, OptionType};
use crate::rules::{self, Check};

/// `Table`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "Table",
    cfn_type: "AWS::DynamoDB::Table",
    options: &[
        req("partition_key", "Attribute"),
        opt("sort_key", "Attribute"),
        opt("table_name", "Value<String>").checked(Check::Str(rules::dynamodb::table_name)),
        opt("global_secondary_indexes", "Vec<GlobalSecondaryIndex>"),
        opt("billing_mode", "BillingMode"),
        opt("read_capacity", "Value<i64>"),
        opt("write_capacity", "Value<i64>"),
        opt("point_in_time_recovery", "bool"),
        opt("removal_policy", "RemovalPolicy"),
        opt("deletion_protection", "bool"),
        opt("stream", "StreamViewType"),
        opt("time_to_live_attribute", "String"),
    ],
    attrs: &["arn", "name", "stream_arn"],
    grants: &["read", "write", "read_write"],
    principal: false,
    resources: 1,
    children: &[],
}];

/// The option types whose struct literals the macro checks field by field.
pub(super) static OPTION_TYPES: &[OptionType] = &[
    OptionType {
        name: "Attribute",
        fields: &[
            opt("name", "String"),
            opt("attribute_type", "AttributeType"),
        ],
    },
    OptionType {
        name: "GlobalSecondaryIndex",
        fields: &[
            req("index_name", "String"),
            req("partition_key", "Attribute"),
            opt("sort_key", "Attribute"),
            opt("projection", "Projection"),
            opt("read_capacity", "Value<i64>"),
            opt("write_capacity", "Value<i64>"),
        ],
    },
];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &["AWS::DynamoDB::Table"];
