//! Route 53 record constructs.

use super::{opt, req, ConstructSpec, OptionType};
use crate::rules::{self, Check};

/// `CnameRecord` and `ARecord`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[
    ConstructSpec {
        name: "CnameRecord",
        cfn_type: "AWS::Route53::RecordSet",
        options: &[
            req("hosted_zone_id", "Value<Id<kind::route53::HostedZone>>"),
            req("record_name", "Value<String>")
                .checked(Check::Str(rules::route53::domain_name_or_wildcard)),
            req("domain_name", "Value<String>").checked(Check::Str(rules::route53::domain_name)),
            opt("ttl", "Duration"),
            opt("comment", "Value<String>"),
        ],
        attrs: &["domain_name"],
        grants: &[],
        principal: false,
        resources: 1,
        children: &[],
    },
    ConstructSpec {
        name: "ARecord",
        cfn_type: "AWS::Route53::RecordSet",
        options: &[
            req("hosted_zone_id", "Value<Id<kind::route53::HostedZone>>"),
            req("record_name", "Value<String>")
                .checked(Check::Str(rules::route53::domain_name_or_wildcard)),
            req("target", "AliasTarget"),
            opt("comment", "Value<String>"),
        ],
        attrs: &["domain_name"],
        grants: &[],
        principal: false,
        resources: 1,
        children: &[],
    },
];

/// The option types whose struct literals the macro checks field by field: none yet.
pub(super) static OPTION_TYPES: &[OptionType] = &[];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &["AWS::Route53::RecordSet"];
