//! A static site with an API as a CDK user writes it: `RestApi` routes answered by mock
//! integrations next to a function, CORS with credentials and without the root, a method
//! of your own on `/items` through `resource_id`, and a `Distribution` answering `403`
//! with `/error.html` under managed and own response headers policies. Lints clean.

use serde_json::{json, Value as Json};
use stack_core::prelude::*;

stack! {
    /// A site bucket behind CloudFront and an API of mocks, one function and one L1 method.
    pub stack RestCdn {
        resource site: Bucket;
        resource list_items: Function {
            code: Code::inline("def handler(event, context):\n    return {'statusCode': 200, 'body': '[]'}\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource api: RestApi {
            default_cors_preflight: CorsOptions {
                allow_origins: ["https://app.example.com"],
                allow_credentials: true,
                exclude_root: true,
            },
            routes: [
                ApiRoute {
                    path: "health",
                    method: HttpMethod::Get,
                    integration: MockIntegration {
                        integration_responses: [IntegrationResponse {
                            status_code: "200",
                            response_templates: { "application/json": "{\"status\": \"ok\"}" },
                        }],
                    },
                },
                ApiRoute {
                    path: "legacy",
                    integration: MockIntegration {
                        request_templates: { "application/json": "{\"statusCode\": 410}" },
                        passthrough_behavior: PassthroughBehavior::Never,
                        integration_responses: [
                            IntegrationResponse { status_code: "200" },
                            IntegrationResponse { status_code: "410", selection_pattern: "410" },
                        ],
                    },
                    method_responses: [
                        MethodResponse { status_code: "200" },
                        MethodResponse { status_code: "410" },
                    ],
                },
                ApiRoute {
                    path: "items",
                    method: HttpMethod::Get,
                    integration: LambdaIntegration { handler: list_items },
                },
            ],
        }
        /// A method of your own on the API's `/items` resource.
        resource delete_items: AWS::ApiGateway::Method {
            RestApiId: api.rest_api_id,
            ResourceId: api.resource_id("/items"),
            HttpMethod: "DELETE",
            AuthorizationType: "AWS_IAM",
            Integration: { Type: "MOCK", RequestTemplates: { "application/json": "{\"statusCode\": 204}" }, IntegrationResponses: [{ StatusCode: "204" }] },
            MethodResponses: [{ StatusCode: "204" }],
        }
        resource cdn: Distribution {
            default_behavior: Behavior {
                origin: site,
                response_headers_policy: SecurityHeaders {
                    hsts_max_age: Duration::days(365),
                    hsts_preload: true,
                    frame_options: FrameOptions::SameOrigin,
                    referrer_policy: ReferrerPolicy::NoReferrer,
                    content_security_policy: "default-src 'self'",
                    content_type_options: true,
                    xss_protection: true,
                    hsts_include_subdomains: true,
                    override_origin: true,
                },
            },
            behaviors: [
                Behavior {
                    path_pattern: "/assets/*",
                    origin: site,
                    allowed_methods: AllowedMethods::GetHeadOptions,
                    response_headers_policy: ResponseHeadersPolicy::CorsWithPreflightAndSecurityHeaders,
                },
                Behavior { path_pattern: "/prod/*", origin: api },
            ],
            default_root_object: "index.html",
            domain_names: ["www.example.com"],
            certificate_arn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
            minimum_protocol_version: SecurityPolicyProtocol::TlsV1_2_2021,
            error_responses: [
                ErrorResponse { http_status: 403, response_page_path: "/error.html", ttl: Duration::minutes(1) },
                ErrorResponse { http_status: 404, response_http_status: 200, response_page_path: "/index.html" },
            ],
        }
    }
}

stack! {
    /// An L1 method on a path the API does not have.
    pub stack MissingPath {
        resource api: RestApi {
            routes: [ApiRoute { path: "items", integration: MockIntegration {} }],
        }
        resource orphan: AWS::ApiGateway::Method {
            RestApiId: api.rest_api_id,
            ResourceId: api.resource_id("/itemz"),
            HttpMethod: "GET",
            AuthorizationType: "NONE",
            Integration: { Type: "MOCK" },
        }
    }
}

fn resources() -> Json {
    RestCdn::new("RestCdn")
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .template
        .to_json()["Resources"]
        .clone()
}

#[test]
fn mocks_answer_without_functions_and_carry_the_cors_headers() {
    let r = resources();
    let health = &r["ApiHealthGet"]["Properties"];
    assert_eq!(health["Integration"]["Type"], "MOCK");
    assert_eq!(
        health["Integration"]["IntegrationResponses"][0]["ResponseParameters"],
        json!({
            "method.response.header.Access-Control-Allow-Origin": "'https://app.example.com'",
            "method.response.header.Access-Control-Allow-Credentials": "'true'"
        })
    );
    assert_eq!(
        r["ApiLegacyAny"]["Properties"]["Integration"]["PassthroughBehavior"],
        "NEVER"
    );
    let permissions: Vec<&String> = r
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, v)| v["Type"] == "AWS::Lambda::Permission")
        .map(|(k, _)| k)
        .collect();
    assert_eq!(permissions, ["ApiItemsGetPermission"]);
    assert!(
        r.get("ApiRootOptions").is_none(),
        "the root has no preflight"
    );
    assert_eq!(
        r["ApiItemsOptions"]["Properties"]["Integration"]["IntegrationResponses"][0]
            ["ResponseParameters"]["method.response.header.Access-Control-Allow-Credentials"],
        "'true'"
    );
}

#[test]
fn an_l1_method_attaches_to_a_path_of_the_api() {
    let r = resources();
    assert_eq!(
        r["DeleteItems"]["Properties"]["ResourceId"],
        json!({"Ref": "ApiItems"})
    );
    assert_eq!(r["ApiItems"]["Type"], "AWS::ApiGateway::Resource");
    let error = MissingPath::new("MissingPath")
        .synthesized()
        .err()
        .map(ToString::to_string)
        .unwrap_or_default();
    assert!(
        error.contains("REST API `Api`: `resource_id(\"/itemz\")` names a path no route creates; did you mean `/items`?"),
        "{error}"
    );
}

#[test]
fn the_distribution_answers_errors_with_pages_under_its_headers_policies() {
    let r = resources();
    let config = &r["Cdn"]["Properties"]["DistributionConfig"];
    assert_eq!(
        config["CustomErrorResponses"],
        json!([
            {"ErrorCode": 403, "ResponseCode": 403, "ResponsePagePath": "/error.html", "ErrorCachingMinTTL": 60.0},
            {"ErrorCode": 404, "ResponseCode": 200, "ResponsePagePath": "/index.html"}
        ])
    );
    assert_eq!(
        config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"],
        json!({"Ref": "CdnResponseHeadersPolicy"})
    );
    assert_eq!(
        config["CacheBehaviors"][0]["ResponseHeadersPolicyId"],
        "eaab4381-ed33-4a86-88ca-d9558dc6cd63"
    );
    assert_eq!(
        config["ViewerCertificate"]["MinimumProtocolVersion"],
        "TLSv1.2_2021"
    );
    let headers = &r["CdnResponseHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
        ["SecurityHeadersConfig"];
    assert_eq!(headers["FrameOptions"]["FrameOption"], "SAMEORIGIN");
    assert_eq!(
        headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"],
        31_536_000
    );
}

#[test]
fn rest_cdn_is_lint_clean() {
    tests::assert_lint_clean(&RestCdn::new("RestCdn"));
}
