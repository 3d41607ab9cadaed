//! ECR constructs.

use super::{opt, ConstructSpec, OptionType};
use crate::rules::{self, Check};

/// `Repository`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "Repository",
    cfn_type: "AWS::ECR::Repository",
    options: &[
        opt("repository_name", "Value<String>").checked(Check::Str(rules::ecr::repository_name)),
        opt("image_scan_on_push", "bool"),
        opt("image_tag_mutability", "TagMutability"),
        opt("lifecycle_rules", "Vec<LifecycleRule>"),
        opt("removal_policy", "RemovalPolicy"),
        opt("empty_on_delete", "bool"),
    ],
    attrs: &["arn", "name", "repository_uri"],
    grants: &["pull", "push", "pull_push"],
    principal: false,
    resources: 1,
    children: &[],
}];

/// The option types whose struct literals the macro checks field by field.
pub(super) static OPTION_TYPES: &[OptionType] = &[OptionType {
    name: "LifecycleRule",
    fields: &[
        opt("description", "String"),
        opt("tag_status", "TagStatus"),
        opt("tag_prefix_list", "Vec<String>"),
        opt("max_image_count", "u32"),
        opt("max_image_age", "Duration"),
    ],
}];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &["AWS::ECR::Repository"];
