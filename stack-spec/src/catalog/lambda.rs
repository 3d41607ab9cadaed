//! Lambda function constructs.

use super::{opt, req, Child, ConstructSpec, OptionType, ENV};
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

/// `Function` and `DockerImageFunction`.
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
];

/// The option types whose struct literals the macro checks field by field: none yet.
pub(super) static OPTION_TYPES: &[OptionType] = &[];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &[
    "AWS::IAM::Role",
    "AWS::Lambda::Function",
    "AWS::Logs::LogGroup",
];
