//! Step Functions constructs: state machines built from typed states.

use super::{opt, req, Child, ConstructSpec, OptionType};
use crate::rules::{stepfunctions, Check};

/// `StateMachine`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "StateMachine",
    cfn_type: "AWS::StepFunctions::StateMachine",
    options: &[
        req("definition", "Definition").checked(Check::StateGraph(stepfunctions::graph::problems)),
        opt("state_machine_name", "Value<String>")
            .checked(Check::Str(stepfunctions::state_machine_name)),
        opt("timeout", "Duration").checked(Check::Seconds(stepfunctions::timeout)),
        opt("comment", "Value<String>"),
        opt("state_machine_type", "StateMachineType"),
        opt("logging", "LogLevel"),
        opt("tracing_enabled", "bool"),
    ],
    attrs: &["arn", "name"],
    grants: &["start_execution", "read"],
    principal: true,
    // The state machine and its role; a log group too with `logging`.
    resources: 2,
    children: &[
        Child {
            name: "role",
            suffix: "Role",
            cfn_type: "AWS::IAM::Role",
        },
        Child {
            name: "log_group",
            suffix: "LogGroup",
            cfn_type: "AWS::Logs::LogGroup",
        },
    ],
}];

/// The option types whose struct literals the macro checks field by field: none (a
/// definition is built with Rust calls).
pub(super) static OPTION_TYPES: &[OptionType] = &[];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &[
    "AWS::StepFunctions::StateMachine",
    "AWS::IAM::Role",
    "AWS::Logs::LogGroup",
];
