//! ECR constructs.

use super::{opt, ConstructSpec};

/// `Repository`.
pub(crate) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "Repository",
    cfn_type: "AWS::ECR::Repository",
    options: &[
        opt("repository_name"),
        opt("image_scan_on_push"),
        opt("image_tag_mutability"),
        opt("lifecycle_rules"),
        opt("removal_policy"),
        opt("empty_on_delete"),
    ],
    attrs: &["arn", "name", "repository_uri"],
    grants: &["pull", "push", "pull_push"],
    principal: false,
    resources: 1,
}];
