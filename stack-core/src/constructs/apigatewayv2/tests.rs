// HttpApi: the API, integrations, routes, permissions and stage; CORS; each mistake
// reported.
use super::*;
use crate::constructs::{Construct, Duration, Function, HttpMethod};
use crate::expr::Expr;
use crate::stack::StackBuilder;
use crate::template::Template;
use serde_json::{json, Value as Json};

fn synth(props: HttpApiProps) -> Result<Template, Vec<String>> {
    let mut stack = StackBuilder::new("Test");
    HttpApi::declare("Api").build(props, &mut stack);
    stack.finish().map(|s| s.template).map_err(|e| e.problems)
}

fn ok(props: HttpApiProps) -> Json {
    match synth(props) {
        Ok(t) => t.to_json()["Resources"].clone(),
        Err(problems) => panic!("{problems:#?}"),
    }
}

fn problems(props: HttpApiProps) -> Vec<String> {
    synth(props).err().unwrap_or_default()
}

fn lambda(function: &str) -> HttpLambdaIntegration {
    HttpLambdaIntegration::default().handler(&Function::declare(function))
}

fn ids_of_type(r: &Json, cfn_type: &str) -> Vec<String> {
    r.as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, v)| v["Type"] == cfn_type)
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn orders_api() -> HttpApiProps {
    HttpApiProps::default()
        .routes([
            HttpRoute::default()
                .path("/orders")
                .methods([HttpMethod::Get, HttpMethod::Post])
                .integration(lambda("Orders")),
            HttpRoute::default()
                .path("/orders/{id}")
                .methods([HttpMethod::Get])
                .integration(lambda("Order")),
        ])
        .default_integration(lambda("Fallback"))
}

#[test]
fn routes_share_one_integration_and_permission_per_function() {
    let r = ok(orders_api());
    assert_eq!(
        r["Api"]["Properties"],
        json!({"Name": "Api", "ProtocolType": "HTTP"})
    );
    assert_eq!(
        ids_of_type(&r, "AWS::ApiGatewayV2::Integration"),
        [
            "ApiOrdersIntegration",
            "ApiOrderIntegration",
            "ApiFallbackIntegration"
        ]
    );
    assert_eq!(
        r["ApiOrdersIntegration"]["Properties"],
        json!({
            "ApiId": {"Ref": "Api"},
            "IntegrationType": "AWS_PROXY",
            "IntegrationUri": {"Fn::GetAtt": ["Orders", "Arn"]},
            "PayloadFormatVersion": "2.0"
        })
    );
    let routes: Vec<(String, Json, Json)> = ids_of_type(&r, "AWS::ApiGatewayV2::Route")
        .into_iter()
        .map(|id| {
            let p = &r[&id]["Properties"];
            assert_eq!(p["ApiId"], json!({"Ref": "Api"}));
            (id, p["RouteKey"].clone(), p["Target"].clone())
        })
        .collect();
    let target = |integration: &str| json!({"Fn::Sub": format!("integrations/${{{integration}}}")});
    assert_eq!(
        routes,
        [
            (
                "ApiGetOrdersRoute".into(),
                json!("GET /orders"),
                target("ApiOrdersIntegration")
            ),
            (
                "ApiPostOrdersRoute".into(),
                json!("POST /orders"),
                target("ApiOrdersIntegration")
            ),
            (
                "ApiGetOrdersIdRoute".into(),
                json!("GET /orders/{id}"),
                target("ApiOrderIntegration")
            ),
            (
                "ApiDefaultRoute".into(),
                json!("$default"),
                target("ApiFallbackIntegration")
            ),
        ]
    );
    assert_eq!(
        ids_of_type(&r, "AWS::Lambda::Permission"),
        [
            "ApiOrdersPermission",
            "ApiOrderPermission",
            "ApiFallbackPermission"
        ]
    );
    assert_eq!(
        r["ApiOrderPermission"]["Properties"],
        json!({
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Fn::GetAtt": ["Order", "Arn"]},
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/*"}
        })
    );
    assert_eq!(
        r["ApiDefaultStage"]["Properties"],
        json!({"ApiId": {"Ref": "Api"}, "StageName": "$default", "AutoDeploy": true})
    );
}

#[test]
fn methods_default_to_any_and_ids_stay_distinct() {
    let r = ok(HttpApiProps::default().routes([
        HttpRoute::default().path("/").integration(lambda("Site")),
        HttpRoute::default()
            .path("/files/{proxy+}")
            .integration(lambda("Site")),
        HttpRoute::default()
            .path("/orders/{id}")
            .methods(["get"])
            .integration(lambda("Site").timeout(Duration::seconds(10))),
        HttpRoute::default()
            .path("/orders/id")
            .methods([HttpMethod::Get])
            .integration(lambda("Site")),
    ]));
    let key = |id: &str| r[id]["Properties"]["RouteKey"].clone();
    assert_eq!(key("ApiAnyRootRoute"), "ANY /");
    assert_eq!(key("ApiAnyFilesProxyRoute"), "ANY /files/{proxy+}");
    assert_eq!(key("ApiGetOrdersIdRoute"), "GET /orders/{id}");
    assert_eq!(key("ApiGetOrdersId2Route"), "GET /orders/id");
    // Another timeout is another integration of the same function; one permission.
    assert_eq!(
        r["ApiSiteIntegration2"]["Properties"]["TimeoutInMillis"],
        10_000
    );
    assert!(r["ApiSiteIntegration"]["Properties"]
        .get("TimeoutInMillis")
        .is_none());
    assert_eq!(
        ids_of_type(&r, "AWS::Lambda::Permission"),
        ["ApiSitePermission"]
    );
}

#[test]
fn cors_and_names_are_rendered() {
    let r = ok(HttpApiProps::default()
        .default_integration(lambda("Site"))
        .api_name("orders")
        .description("Orders API")
        .cors_preflight(
            CorsPreflightOptions::default()
                .allow_origins(["https://example.com"])
                .allow_methods([HttpMethod::Get, HttpMethod::Any])
                .allow_headers(["Content-Type"])
                .expose_headers(["X-Request-Id"])
                .allow_credentials(true)
                .max_age(Duration::days(1)),
        ));
    assert_eq!(
        r["Api"]["Properties"],
        json!({
            "Name": "orders",
            "Description": "Orders API",
            "ProtocolType": "HTTP",
            "CorsConfiguration": {
                "AllowCredentials": true,
                "AllowHeaders": ["Content-Type"],
                "AllowMethods": ["GET", "*"],
                "AllowOrigins": ["https://example.com"],
                "ExposeHeaders": ["X-Request-Id"],
                "MaxAge": 86400
            }
        })
    );
}

#[test]
fn the_stage_waits_for_the_functions_log_groups() {
    let mut stack = StackBuilder::new("Test");
    let site = Function::declare("Site");
    let props = crate::constructs::FunctionProps::default()
        .code(crate::constructs::Code::inline(
            "def handler(e, c):\n    return None\n",
        ))
        .runtime(crate::constructs::Runtime::Python312)
        .handler("index.handler");
    site.build(props, &mut stack);
    HttpApi::declare("Api").build(
        HttpApiProps::default()
            .default_integration(HttpLambdaIntegration::default().handler(&site)),
        &mut stack,
    );
    let template = stack
        .finish()
        .map(|s| s.template.to_json())
        .unwrap_or_default();
    let log_group = crate::constructs::FunctionRef::function_log_group_logical_id(&site)
        .unwrap_or_default()
        .to_owned();
    assert!(!log_group.is_empty());
    assert_eq!(
        template["Resources"]["ApiDefaultStage"]["DependsOn"],
        log_group
    );
}

#[test]
fn attributes_reference_the_api() {
    let api = HttpApi::declare("Api");
    assert_eq!(
        api.url().expr(),
        &Expr::Sub("https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/".into())
    );
    assert_eq!(api.api_id().expr(), &Expr::Ref("Api".into()));
    assert_eq!(
        api.api_endpoint().expr(),
        &Expr::GetAtt("Api".into(), "ApiEndpoint".into())
    );
}

#[test]
fn an_api_without_routes_or_default_is_reported() {
    let found = problems(HttpApiProps::default());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("no `routes` and no `default_integration`"));
}

#[test]
fn route_mistakes_are_reported() {
    let found = problems(
        HttpApiProps::default().routes([
            HttpRoute::default()
                .path("/orders")
                .methods([HttpMethod::Get])
                .integration(lambda("Orders")),
            HttpRoute::default()
                .path("/orders")
                .methods(["GET", "FETCH"])
                .integration(lambda("Orders")),
            HttpRoute::default()
                .path("/empty")
                .methods(Vec::<HttpMethod>::new())
                .integration(lambda("Orders")),
            HttpRoute::default()
                .path("orders")
                .integration(lambda("Orders")),
            HttpRoute::default()
                .path("/a/{proxy+}/b")
                .integration(lambda("Orders")),
            HttpRoute::default().path("/missing"),
            HttpRoute::default()
                .path("/no-handler")
                .integration(HttpLambdaIntegration::default()),
            HttpRoute::default()
                .path("/slow")
                .integration(lambda("Orders").timeout(Duration::minutes(1))),
        ]),
    );
    for needle in [
        "two routes are `GET /orders`",
        "`FETCH` is not an HTTP method",
        "route `/empty` has no `methods`",
        "`orders` must start with `/`",
        "`{proxy+}` must be the last segment",
        "route `/missing` has no `integration`",
        "route `/no-handler` has no `handler`",
        "`timeout` is 60 seconds",
    ] {
        assert!(
            found.iter().any(|p| p.contains(needle)),
            "no problem mentions {needle}: {found:#?}"
        );
    }
    assert_eq!(found.len(), 8, "{found:#?}");
}

#[test]
fn cors_mistakes_are_reported() {
    let found = problems(
        HttpApiProps::default()
            .default_integration(lambda("Site"))
            .cors_preflight(
                CorsPreflightOptions::default()
                    .allow_origins(["*"])
                    .allow_credentials(true)
                    .allow_methods(["FETCH"])
                    .max_age(Duration::days(2)),
            ),
    );
    for needle in ["credentials", "`FETCH`", "`max_age` is 172800 seconds"] {
        assert!(
            found.iter().any(|p| p.contains(needle)),
            "no problem mentions {needle}: {found:#?}"
        );
    }
    assert_eq!(found.len(), 3, "{found:#?}");
    let found = problems(
        HttpApiProps::default()
            .default_integration(lambda("Site"))
            .cors_preflight(CorsPreflightOptions::default()),
    );
    assert!(found[0].contains("needs `allow_origins`"), "{found:#?}");
}
