//! Certificate Manager constructs.

use super::{opt, req, ConstructSpec};

/// `Certificate`.
pub(crate) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
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
}];
