//! Lambda function constructs.

use super::{opt, req, ConstructSpec, ENV};

const FUNCTION_ATTRS: &[&str] = &["arn", "name", "role_arn", "log_group_name"];

/// `Function` and `DockerImageFunction`.
pub(crate) static CONSTRUCTS: &[ConstructSpec] = &[
    ConstructSpec {
        name: "Function",
        cfn_type: "AWS::Lambda::Function",
        options: &[
            req("code"),
            req("runtime"),
            req("handler"),
            opt("function_name"),
            opt("timeout"),
            opt("memory_size"),
            ENV,
            opt("architecture"),
            opt("description"),
            opt("initial_policy"),
            opt("log_retention"),
            opt("role"),
        ],
        attrs: FUNCTION_ATTRS,
        grants: &["invoke"],
        principal: true,
        // The function and its log group; its own role too unless `role` names one.
        resources: 2,
    },
    ConstructSpec {
        name: "DockerImageFunction",
        cfn_type: "AWS::Lambda::Function",
        options: &[
            req("code"),
            opt("function_name"),
            opt("timeout"),
            opt("memory_size"),
            ENV,
            opt("architecture"),
            opt("description"),
            opt("initial_policy"),
            opt("log_retention"),
            opt("role"),
        ],
        attrs: FUNCTION_ATTRS,
        grants: &["invoke"],
        principal: true,
        // The function and its log group; its own role too unless `role` names one.
        resources: 2,
    },
];
