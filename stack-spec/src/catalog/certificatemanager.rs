//! Certificate Manager constructs.

use super::{opt, req, ConstructSpec, OptionType};
use crate::rules::{self, Check};

/// `Certificate`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "Certificate",
    cfn_type: "AWS::CertificateManager::Certificate",
    options: &[
        req("domain_name", "Value<String>")
            .checked(Check::Str(rules::route53::domain_name_or_wildcard)),
        opt("subject_alternative_names", "Vec<Value<String>>"),
        opt("hosted_zone_id", "Value<Id<kind::route53::HostedZone>>"),
    ],
    attrs: &["arn"],
    grants: &[],
    principal: false,
    resources: 1,
    children: &[],
}];

/// The option types whose struct literals the macro checks field by field: none yet.
pub(super) static OPTION_TYPES: &[OptionType] = &[];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &["AWS::CertificateManager::Certificate"];
