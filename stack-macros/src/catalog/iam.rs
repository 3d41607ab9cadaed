//! IAM constructs.

use super::{opt, req, ConstructSpec};

/// `Role`.
pub(crate) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
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
}];
