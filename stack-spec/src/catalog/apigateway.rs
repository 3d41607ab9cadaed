//! API Gateway constructs.

use super::{opt, req, Child, ConstructSpec, OptionType};
use crate::rules::Check;

/// Both REST APIs' stage.
const STAGE: Child = Child {
    name: "stage",
    suffix: "Stage",
    cfn_type: "AWS::ApiGateway::Stage",
};

/// The attributes both REST API constructs have.
const REST_API_ATTRS: &[&str] = &[
    "url",
    "rest_api_id",
    "root_resource_id",
    "deployment_stage_name",
];

/// `LambdaRestApi` and `RestApi`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[
    ConstructSpec {
        name: "LambdaRestApi",
        cfn_type: "AWS::ApiGateway::RestApi",
        options: &[
            req("handler"),
            opt("proxy"),
            opt("rest_api_name"),
            opt("description"),
            opt("binary_media_types"),
            opt("default_cors_preflight"),
            opt("stage_name").checked(Check::RestStageName),
            opt("endpoint_type"),
        ],
        attrs: REST_API_ATTRS,
        grants: &[],
        principal: false,
        resources: 5,
        children: &[STAGE],
    },
    ConstructSpec {
        name: "RestApi",
        cfn_type: "AWS::ApiGateway::RestApi",
        options: &[
            req("routes"),
            opt("rest_api_name"),
            opt("description"),
            opt("binary_media_types"),
            opt("default_cors_preflight"),
            opt("stage_name").checked(Check::RestStageName),
            opt("endpoint_type"),
        ],
        attrs: REST_API_ATTRS,
        grants: &["invoke"],
        principal: false,
        // The API, one method, the deployment and the stage.
        resources: 4,
        children: &[STAGE],
    },
];

/// `ApiRoute` (a `RestApi` route) and `CorsOptions` (preflight answers).
pub(super) static OPTION_TYPES: &[OptionType] = &[
    OptionType {
        name: "ApiRoute",
        fields: &[
            opt("path"),
            opt("method").checked(Check::RestMethod),
            req("integration"),
            opt("method_responses"),
            opt("authorization"),
        ],
    },
    OptionType {
        name: "CorsOptions",
        fields: &[
            req("allow_origins"),
            opt("allow_methods").checked(Check::RestMethod),
            opt("allow_headers"),
            opt("expose_headers"),
            opt("allow_credentials"),
            opt("max_age"),
            opt("status_code"),
        ],
    },
];
