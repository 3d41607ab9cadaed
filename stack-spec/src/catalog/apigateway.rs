//! API Gateway constructs.

use super::{opt, req, Child, Conflict, ConstructSpec, OptionType};
use crate::rules::{self, Check};

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

/// Browsers refuse a credentialed response allowed for any origin.
pub(super) const CREDENTIALS_WITH_ANY_ORIGIN: Conflict = Conflict {
    values: &["*", "Cors::ALL_ORIGINS"],
    other: "allow_credentials",
    other_value: "true",
    why: "cannot go with `allow_credentials: true`: browsers refuse credentials from a response allowed for any origin; list the origins, e.g. `[\"https://app.example.com\"]`",
};

/// `LambdaRestApi` and `RestApi`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[
    ConstructSpec {
        name: "LambdaRestApi",
        cfn_type: "AWS::ApiGateway::RestApi",
        options: &[
            req("handler", "&Function"),
            opt("proxy", "bool"),
            opt("rest_api_name", "Value<String>"),
            opt("description", "Value<String>"),
            opt("binary_media_types", "Vec<Value<String>>"),
            opt("default_cors_preflight", "CorsOptions"),
            opt("stage_name", "Value<String>").checked(Check::Str(rules::apigateway::stage_name)),
            opt("endpoint_type", "EndpointType"),
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
            req("routes", "Vec<ApiRoute>"),
            opt("rest_api_name", "Value<String>"),
            opt("description", "Value<String>"),
            opt("binary_media_types", "Vec<Value<String>>"),
            opt("default_cors_preflight", "CorsOptions"),
            opt("stage_name", "Value<String>").checked(Check::Str(rules::apigateway::stage_name)),
            opt("endpoint_type", "EndpointType"),
        ],
        attrs: REST_API_ATTRS,
        grants: &["invoke"],
        principal: false,
        // The API, one method, the deployment and the stage.
        resources: 4,
        children: &[STAGE],
    },
];

/// `ApiRoute` (a `RestApi` route), its integrations and responses, and `CorsOptions`
/// (preflight answers).
pub(super) static OPTION_TYPES: &[OptionType] = &[
    OptionType {
        name: "ApiRoute",
        fields: &[
            opt("path", "String"),
            opt("method", "Value<String>")
                .checked(Check::Str(|s| rules::apigateway::method(s).map(drop))),
            req("integration", "Integration"),
            opt("method_responses", "Vec<MethodResponse>"),
            opt("authorization", "Authorization"),
        ],
    },
    OptionType {
        name: "CorsOptions",
        fields: &[
            req("allow_origins", "Vec<Value<String>>").conflicts(CREDENTIALS_WITH_ANY_ORIGIN),
            opt("allow_methods", "Vec<Value<String>>")
                .checked(Check::Str(rules::apigateway::cors_method)),
            opt("allow_headers", "Vec<Value<String>>"),
            opt("expose_headers", "Vec<Value<String>>"),
            opt("allow_credentials", "bool"),
            opt("max_age", "Duration"),
            opt("status_code", "u16"),
            opt("exclude_root", "bool"),
        ],
    },
    OptionType {
        name: "IntegrationResponse",
        fields: &[
            req("status_code", "Value<String>"),
            opt("selection_pattern", "Value<String>"),
            opt("response_templates", "StringMap"),
            opt("response_parameters", "StringMap"),
            opt("content_handling", "ContentHandling"),
        ],
    },
    OptionType {
        name: "LambdaIntegration",
        fields: &[
            opt("handler", "&Function"),
            opt("proxy", "bool"),
            opt("credentials_role", "Role"),
            opt("request_templates", "StringMap"),
            opt("passthrough_behavior", "PassthroughBehavior"),
            opt("integration_responses", "Vec<IntegrationResponse>"),
            opt("content_handling", "ContentHandling"),
            opt("timeout", "Duration"),
        ],
    },
    OptionType {
        name: "MockIntegration",
        fields: &[
            opt("request_templates", "StringMap"),
            opt("passthrough_behavior", "PassthroughBehavior"),
            opt("integration_responses", "Vec<IntegrationResponse>"),
        ],
    },
    OptionType {
        name: "MethodResponse",
        fields: &[
            req("status_code", "Value<String>"),
            opt("response_models", "StringMap"),
            opt("response_headers", "Vec<String>"),
        ],
    },
];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &[
    "AWS::ApiGateway::Deployment",
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Resource",
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGateway::Stage",
    "AWS::Lambda::Permission",
];
