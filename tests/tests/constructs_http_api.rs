//! `HttpApi` in a `stack!` block: an orders API with a route per method and path, a
//! fallback function for every other request and CORS, the way a CDK user writes an HTTP
//! API; every option and attribute builds, wires each function up once, and lints clean.

use serde_json::{json, Value as Json};
use stack_core::prelude::*;

stack! {
    /// An orders service behind an HTTP API.
    pub stack HttpOrders {
        resource orders_fn: Function {
            code: Code::inline("def handler(event, context):\n    return {'statusCode': 200}\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource order_fn: Function {
            code: Code::inline("def handler(event, context):\n    return {'statusCode': 200}\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource fallback_fn: Function {
            code: Code::inline("def handler(event, context):\n    return {'statusCode': 404}\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource api: HttpApi {
            api_name: "orders",
            description: "Orders, one route per method and path",
            routes: [
                HttpRoute {
                    path: "/orders",
                    methods: [HttpMethod::Get, HttpMethod::Post],
                    integration: HttpLambdaIntegration { handler: orders_fn },
                },
                HttpRoute {
                    path: "/orders/{id}",
                    methods: [HttpMethod::Get, HttpMethod::Delete],
                    integration: HttpLambdaIntegration { handler: order_fn, timeout: Duration::seconds(10) },
                },
                HttpRoute {
                    path: "/files/{proxy+}",
                    integration: HttpLambdaIntegration { handler: orders_fn },
                },
            ],
            default_integration: HttpLambdaIntegration { handler: fallback_fn },
            cors_preflight: CorsPreflightOptions {
                allow_origins: ["https://example.com"],
                allow_methods: [HttpMethod::Get, HttpMethod::Post, HttpMethod::Delete],
                allow_headers: ["Content-Type", "Authorization"],
                expose_headers: ["X-Request-Id"],
                allow_credentials: true,
                max_age: Duration::days(1),
            },
        }

        output url = api.url;
        output api_id = api.api_id;
        output endpoint = api.api_endpoint;
    }
}

fn template() -> Json {
    let stack = HttpOrders::new("HttpOrders");
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    synthesized.template.to_json()
}

fn of_type(r: &Json, cfn_type: &str) -> Vec<String> {
    r.as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, v)| v["Type"] == cfn_type)
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_option_and_attribute_builds() {
    let template = template();
    let r = &template["Resources"];
    assert_eq!(
        r["Api"]["Properties"],
        json!({
            "Name": "orders",
            "Description": "Orders, one route per method and path",
            "ProtocolType": "HTTP",
            "CorsConfiguration": {
                "AllowCredentials": true,
                "AllowHeaders": ["Content-Type", "Authorization"],
                "AllowMethods": ["GET", "POST", "DELETE"],
                "AllowOrigins": ["https://example.com"],
                "ExposeHeaders": ["X-Request-Id"],
                "MaxAge": 86400
            }
        })
    );
    assert_eq!(
        template["Outputs"]["Url"]["Value"],
        json!({"Fn::Sub": "https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/"})
    );
    assert_eq!(template["Outputs"]["ApiId"]["Value"], json!({"Ref": "Api"}));
    assert_eq!(
        template["Outputs"]["Endpoint"]["Value"],
        json!({"Fn::GetAtt": ["Api", "ApiEndpoint"]})
    );
    assert_eq!(
        r["ApiOrderFnIntegration"]["Properties"]["TimeoutInMillis"],
        10_000
    );
}

#[test]
fn each_method_and_path_is_a_route_and_each_function_one_integration() {
    let r = &template()["Resources"];
    let keys: Vec<Json> = of_type(r, "AWS::ApiGatewayV2::Route")
        .iter()
        .map(|id| r[id]["Properties"]["RouteKey"].clone())
        .collect();
    assert_eq!(
        keys,
        [
            "GET /orders",
            "POST /orders",
            "GET /orders/{id}",
            "DELETE /orders/{id}",
            "ANY /files/{proxy+}",
            "$default"
        ]
    );
    assert_eq!(
        r["ApiAnyFilesProxyRoute"]["Properties"]["Target"],
        json!({"Fn::Sub": "integrations/${ApiOrdersFnIntegration}"})
    );
    assert_eq!(
        of_type(r, "AWS::ApiGatewayV2::Integration"),
        [
            "ApiOrdersFnIntegration",
            "ApiOrderFnIntegration",
            "ApiFallbackFnIntegration"
        ]
    );
    assert_eq!(
        of_type(r, "AWS::Lambda::Permission"),
        [
            "ApiOrdersFnPermission",
            "ApiOrderFnPermission",
            "ApiFallbackFnPermission"
        ]
    );
    assert_eq!(
        r["ApiFallbackFnPermission"]["Properties"]["SourceArn"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/*"})
    );
    assert_eq!(r["ApiDefaultStage"]["Properties"]["AutoDeploy"], true);
    // Requests reach the functions once the stage exists, after their log groups.
    assert_eq!(
        r["ApiDefaultStage"]["DependsOn"],
        json!(["OrdersFnLogGroup", "OrderFnLogGroup", "FallbackFnLogGroup"])
    );
}

#[test]
fn http_api_is_lint_clean() {
    tests::assert_lint_clean(&HttpOrders::new("HttpOrders"));
}
