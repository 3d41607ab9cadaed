//! API Gateway constructs.

use super::{opt, req, ConstructSpec};

/// `LambdaRestApi`.
pub(crate) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "LambdaRestApi",
    cfn_type: "AWS::ApiGateway::RestApi",
    options: &[
        req("handler"),
        opt("proxy"),
        opt("rest_api_name"),
        opt("description"),
        opt("binary_media_types"),
        opt("default_cors_preflight"),
        opt("stage_name"),
        opt("endpoint_type"),
    ],
    attrs: &[
        "url",
        "rest_api_id",
        "root_resource_id",
        "deployment_stage_name",
    ],
    grants: &[],
    principal: false,
    resources: 5,
}];
