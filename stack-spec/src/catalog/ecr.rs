//! ECR constructs.

use super::{opt, ConstructSpec, OptionType};

/// `Repository`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
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
    children: &[],
}];

/// The option types whose struct literals the macro checks field by field: none yet.
pub(super) static OPTION_TYPES: &[OptionType] = &[];
