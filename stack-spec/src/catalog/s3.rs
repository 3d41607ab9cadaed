//! S3 constructs.

use super::{opt, req, Child, ConstructSpec, OptionType};
use crate::rules::Check;

/// `Bucket`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "Bucket",
    cfn_type: "AWS::S3::Bucket",
    options: &[
        opt("bucket_name").checked(Check::S3BucketName),
        opt("cors"),
        opt("removal_policy"),
        opt("auto_delete_objects"),
        opt("versioned"),
    ],
    attrs: &["arn", "name", "domain_name", "regional_domain_name"],
    grants: &["read", "write", "read_write", "put", "delete"],
    principal: false,
    resources: 2,
    children: &[Child {
        name: "policy",
        suffix: "Policy",
        cfn_type: "AWS::S3::BucketPolicy",
    }],
}];

/// `CorsRule`, a bucket's CORS rule.
pub(super) static OPTION_TYPES: &[OptionType] = &[OptionType {
    name: "CorsRule",
    fields: &[
        req("allowed_methods"),
        req("allowed_origins"),
        opt("allowed_headers"),
        opt("exposed_headers"),
        opt("max_age"),
        opt("id"),
    ],
}];
