//! CloudFront constructs.

use super::{opt, req, Child, ConstructSpec, OptionType};

/// `Distribution`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "Distribution",
    cfn_type: "AWS::CloudFront::Distribution",
    options: &[
        req("default_behavior", "Behavior"),
        opt("behaviors", "Vec<Behavior>"),
        opt("price_class", "PriceClass"),
        opt("default_root_object", "Value<String>"),
        opt("comment", "Value<String>"),
        opt("domain_names", "Vec<Value<String>>"),
        opt("certificate_arn", "Value<String>"),
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
