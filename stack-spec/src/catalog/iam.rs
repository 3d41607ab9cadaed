//! IAM constructs.

use super::{opt, req, ConstructSpec, OptionType};
use crate::rules::{self, Check};

/// `Role`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "Role",
    cfn_type: "AWS::IAM::Role",
    options: &[
        req("assumed_by", "Principals"),
        opt("role_name", "Value<String>").checked(Check::Str(rules::iam::role_name)),
        opt("description", "Value<String>"),
        opt("managed_policies", "Vec<Value<String>>"),
        opt("inline_policies", "Vec<InlinePolicy>"),
        opt("max_session_duration", "Duration"),
    ],
    attrs: &["arn", "name"],
    grants: &["pass"],
    principal: true,
    resources: 1,
    children: &[],
}];

/// The option types whose struct literals the macro checks field by field.
pub(super) static OPTION_TYPES: &[OptionType] = &[
    OptionType {
        name: "InlinePolicy",
        fields: &[
            opt("name", "Value<String>"),
            opt("statements", "Vec<Statement>"),
        ],
    },
    OptionType {
        name: "Principals",
        fields: &[
            opt("services", "Vec<Value<String>>"),
            opt("accounts", "Vec<Value<String>>"),
            opt("arns", "Vec<Value<String>>"),
            opt("external_id", "Value<String>"),
            opt("source_account", "bool"),
            opt("source_arn", "Value<String>").checked(Check::Str(rules::iam::source_arn)),
        ],
    },
];

/// The resource types these constructs, and the stack's grants, build with the generated
/// structs.
pub(super) static RESOURCE_TYPES: &[&str] = &[
    // The separate policy that grants closing a dependency cycle go into.
    "AWS::IAM::Policy",
    "AWS::IAM::Role",
];
