//! S3 constructs.

use super::{opt, ConstructSpec};

/// `Bucket`.
pub(crate) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "Bucket",
    cfn_type: "AWS::S3::Bucket",
    options: &[
        opt("bucket_name"),
        opt("cors"),
        opt("removal_policy"),
        opt("auto_delete_objects"),
        opt("versioned"),
    ],
    attrs: &["arn", "name", "domain_name", "regional_domain_name"],
    grants: &["read", "write", "read_write", "put", "delete"],
    principal: false,
    resources: 2,
}];
