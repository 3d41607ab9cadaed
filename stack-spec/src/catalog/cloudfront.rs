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

/// The option types whose struct literals the macro checks field by field.
pub(super) static OPTION_TYPES: &[OptionType] = &[OptionType {
    name: "Behavior",
    fields: &[
        opt("origin", "Origin"),
        opt("path_pattern", "String"),
        opt("allowed_methods", "AllowedMethods"),
        opt("cache_policy", "CachePolicy"),
        opt("origin_request_policy", "OriginRequestPolicy"),
        opt("response_headers_policy", "ResponseHeadersPolicy"),
        opt("viewer_protocol_policy", "ViewerProtocolPolicy"),
        opt("compress", "bool"),
    ],
}];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &[
    "AWS::CloudFront::Distribution",
    "AWS::CloudFront::OriginAccessControl",
];
