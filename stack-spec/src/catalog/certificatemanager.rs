//! Certificate Manager constructs.

use super::{opt, req, ConstructSpec, OptionType};

/// `Certificate`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "Certificate",
    cfn_type: "AWS::CertificateManager::Certificate",
    options: &[
        req("domain_name"),
        opt("subject_alternative_names"),
        opt("hosted_zone_id"),
    ],
    attrs: &["arn"],
    grants: &[],
    principal: false,
    resources: 1,
    children: &[],
}];

/// The option types whose struct literals the macro checks field by field: none yet.
pub(super) static OPTION_TYPES: &[OptionType] = &[];
