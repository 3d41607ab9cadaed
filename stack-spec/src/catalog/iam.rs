//! IAM constructs.

use super::{opt, req, ConstructSpec, OptionType};

/// `Role`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "Role",
    cfn_type: "AWS::IAM::Role",
    options: &[
        req("assumed_by"),
        opt("role_name"),
        opt("description"),
        opt("managed_policies"),
        opt("inline_policies"),
        opt("max_session_duration"),
    ],
    attrs: &["arn", "name"],
    grants: &["pass"],
    principal: true,
    resources: 1,
    children: &[],
}];

/// The option types whose struct literals the macro checks field by field: none yet.
pub(super) static OPTION_TYPES: &[OptionType] = &[];
