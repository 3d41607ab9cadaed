//! CloudFront constructs.

use super::{opt, req, Child, ConstructSpec, OptionType};

/// `Distribution`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "Distribution",
    cfn_type: "AWS::CloudFront::Distribution",
    options: &[
        req("default_behavior"),
        opt("behaviors"),
        opt("price_class"),
        opt("default_root_object"),
        opt("comment"),
        opt("domain_names"),
        opt("certificate_arn"),
    ],
    attrs: &["domain_name", "distribution_id", "url", "arn"],
    grants: &["invalidate"],
    principal: false,
    resources: 1,
    children: &[Child {
        name: "origin_access_control",
        suffix: "OriginAccessControl",
        cfn_type: "AWS::CloudFront::OriginAccessControl",
    }],
}];

/// The option types whose struct literals the macro checks field by field: none yet.
pub(super) static OPTION_TYPES: &[OptionType] = &[];
