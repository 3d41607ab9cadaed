//! API Gateway HTTP and WebSocket API constructs.

use super::{opt, req, Child, ConstructSpec, OptionType};
use crate::rules::{self, Check};

/// `HttpApi` and `WebSocketApi`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[
    ConstructSpec {
        name: "HttpApi",
        cfn_type: "AWS::ApiGatewayV2::Api",
        options: &[
            opt("routes", "Vec<HttpRoute>"),
            opt("default_integration", "HttpLambdaIntegration"),
            opt("cors_preflight", "CorsPreflightOptions"),
            opt("api_name", "Value<String>"),
            opt("description", "Value<String>"),
        ],
        attrs: &["url", "api_id", "api_endpoint"],
        grants: &[],
        principal: false,
        // The API, an integration, a route, the permission and the stage.
        resources: 5,
        children: &[Child {
            name: "default_stage",
            suffix: "DefaultStage",
            cfn_type: "AWS::ApiGatewayV2::Stage",
        }],
    },
    ConstructSpec {
        name: "WebSocketApi",
        cfn_type: "AWS::ApiGatewayV2::Api",
        options: &[
            req("stage_name", "String").checked(Check::Str(rules::apigateway::stage_name)),
            opt("auto_deploy", "bool"),
            opt("connect_route_options", "WebSocketRouteOptions").detached(),
            opt("disconnect_route_options", "WebSocketRouteOptions").detached(),
            opt("default_route_options", "WebSocketRouteOptions").detached(),
            opt("routes", "Vec<WebSocketRoute>").detached(),
            opt("route_selection_expression", "Value<String>"),
            opt("api_key_selection_expression", "Value<String>").checked(Check::Str(
                rules::apigatewayv2::api_key_selection_expression,
            )),
            opt("api_name", "Value<String>"),
            opt("description", "Value<String>"),
        ],
        attrs: &["api_id", "api_endpoint", "url", "callback_url"],
        grants: &["manage_connections"],
        principal: false,
        // The API, an integration, a route, the permission and the stage.
        resources: 5,
        children: &[Child {
            name: "stage",
            suffix: "Stage",
            cfn_type: "AWS::ApiGatewayV2::Stage",
        }],
    },
];

/// `HttpRoute`, `HttpLambdaIntegration`, `CorsPreflightOptions`, `WebSocketRouteOptions`,
/// `WebSocketRoute` and `WebSocketLambdaIntegration`.
pub(super) static OPTION_TYPES: &[OptionType] = &[
    OptionType {
        name: "HttpRoute",
        fields: &[
            req("path", "String").checked(Check::Str(rules::apigatewayv2::route_path)),
            opt("methods", "Vec<Value<String>>")
                .checked(Check::Str(|s| rules::apigateway::method(s).map(drop))),
            req("integration", "HttpLambdaIntegration"),
        ],
    },
    OptionType {
        name: "HttpLambdaIntegration",
        fields: &[
            req("handler", "&Function"),
            opt("timeout", "Duration")
                .checked(Check::Seconds(rules::apigatewayv2::integration_timeout)),
        ],
    },
    OptionType {
        name: "CorsPreflightOptions",
        fields: &[
            req("allow_origins", "Vec<Value<String>>")
                .conflicts(super::apigateway::CREDENTIALS_WITH_ANY_ORIGIN),
            opt("allow_methods", "Vec<Value<String>>")
                .checked(Check::Str(rules::apigateway::cors_method)),
            opt("allow_headers", "Vec<Value<String>>"),
            opt("expose_headers", "Vec<Value<String>>"),
            opt("allow_credentials", "bool"),
            opt("max_age", "Duration").checked(Check::Seconds(rules::apigatewayv2::cors_max_age)),
        ],
    },
    OptionType {
        name: "WebSocketRouteOptions",
        fields: &[req("integration", "WebSocketLambdaIntegration")],
    },
    OptionType {
        name: "WebSocketRoute",
        fields: &[
            req("route_key", "String")
                .checked(Check::Str(rules::apigatewayv2::websocket_route_key))
                .unique(),
            req("integration", "WebSocketLambdaIntegration"),
        ],
    },
    OptionType {
        name: "WebSocketLambdaIntegration",
        fields: &[
            req("handler", "&Function"),
            opt("timeout", "Duration").checked(Check::Seconds(
                rules::apigatewayv2::websocket_integration_timeout,
            )),
        ],
    },
];

/// The resource types `HttpApi` and `WebSocketApi` build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &[
    "AWS::ApiGatewayV2::Api",
    "AWS::ApiGatewayV2::Integration",
    "AWS::ApiGatewayV2::Route",
    "AWS::ApiGatewayV2::Stage",
    "AWS::Lambda::Permission",
];
