//! DynamoDB constructs.

use super::{opt, req, ConstructSpec, OptionType};

/// `Table`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "Table",
    cfn_type: "AWS::DynamoDB::Table",
    options: &[
        req("partition_key"),
        opt("sort_key"),
        opt("table_name"),
        opt("global_secondary_indexes"),
        opt("billing_mode"),
        opt("read_capacity"),
        opt("write_capacity"),
        opt("point_in_time_recovery"),
        opt("removal_policy"),
        opt("deletion_protection"),
        opt("stream"),
        opt("time_to_live_attribute"),
    ],
    attrs: &["arn", "name", "stream_arn"],
    grants: &["read", "write", "read_write"],
    principal: false,
    resources: 1,
    children: &[],
}];

/// The option types whose struct literals the macro checks field by field: none yet.
pub(super) static OPTION_TYPES: &[OptionType] = &[];
