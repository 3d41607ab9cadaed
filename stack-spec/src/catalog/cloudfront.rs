//! CloudFront constructs.

use super::{opt, req, Child, ConstructSpec, OptionType};
use crate::rules::{self, Check};

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
        opt("minimum_protocol_version", "SecurityPolicyProtocol"),
        opt("error_responses", "Vec<ErrorResponse>"),
    ],
    attrs: &["domain_name", "distribution_id", "url", "arn"],
    grants: &["invalidate"],
    principal: false,
    resources: 1,
    children: &[
        Child {
            name: "origin_access_control",
            suffix: "OriginAccessControl",
            cfn_type: "AWS::CloudFront::OriginAccessControl",
        },
        Child {
            name: "response_headers_policy",
            suffix: "ResponseHeadersPolicy",
            cfn_type: "AWS::CloudFront::ResponseHeadersPolicy",
        },
    ],
}];

/// The option types whose struct literals the macro checks field by field.
pub(super) static OPTION_TYPES: &[OptionType] = &[
    OptionType {
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
    },
    OptionType {
        name: "ErrorResponse",
        fields: &[
            req("http_status", "u16").checked(Check::Int(rules::cloudfront::error_code)),
            opt("response_http_status", "u16")
                .checked(Check::Int(rules::cloudfront::response_code)),
            opt("response_page_path", "String")
                .checked(Check::Str(rules::cloudfront::response_page_path)),
            opt("ttl", "Duration"),
        ],
    },
    OptionType {
        name: "SecurityHeaders",
        fields: &[
            opt("hsts_max_age", "Duration")
                .checked(Check::Seconds(rules::cloudfront::hsts_max_age)),
            opt("hsts_include_subdomains", "bool"),
            opt("hsts_preload", "bool"),
            opt("content_type_options", "bool"),
            opt("frame_options", "FrameOptions"),
            opt("referrer_policy", "ReferrerPolicy"),
            opt("xss_protection", "bool"),
            opt("content_security_policy", "Value<String>"),
            opt("override_origin", "bool"),
        ],
    },
];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &[
    "AWS::CloudFront::Distribution",
    "AWS::CloudFront::OriginAccessControl",
    "AWS::CloudFront::ResponseHeadersPolicy",
];
