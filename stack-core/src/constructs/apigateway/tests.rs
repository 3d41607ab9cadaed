// RestApi: mock integrations, CORS with credentials and without the root, and the
// resource IDs of paths for methods of your own.
use super::*;
use crate::constructs::{Construct, Function, StringMap};
use crate::expr::Expr;
use serde_json::{json, Value as Json};

fn build(
    props: RestApiProps,
    extra: impl FnOnce(&RestApi, &mut StackBuilder),
) -> Result<Json, Vec<String>> {
    let mut stack = StackBuilder::new("Test");
    let api = RestApi::declare("Api");
    api.build(props, &mut stack);
    extra(&api, &mut stack);
    stack
        .finish()
        .map(|s| s.template.to_json()["Resources"].clone())
        .map_err(|e| e.problems)
}

fn ok(props: RestApiProps) -> Json {
    build(props, |_, _| {}).unwrap_or_else(|problems| panic!("{problems:#?}"))
}

fn mock_route(path: &str) -> ApiRoute {
    ApiRoute::default().path(path).method("GET").integration(
        MockIntegration::default().integration_responses([IntegrationResponse::default()
            .status_code("200")
            .response_templates(StringMap::new().entry("application/json", "{\"ok\": true}"))]),
    )
}

#[test]
fn a_mock_answers_from_templates_without_a_function() {
    let r = ok(RestApiProps::default().routes([
        mock_route("health"),
        ApiRoute::default().path("gone").integration(
            MockIntegration::default()
                .request_templates(
                    StringMap::new().entry("application/json", "{\"statusCode\": 410}"),
                )
                .passthrough_behavior(PassthroughBehavior::Never)
                .integration_responses([IntegrationResponse::default()
                    .status_code("410")
                    .selection_pattern("410")]),
        ),
        ApiRoute::default()
            .path("empty")
            .integration(MockIntegration::default()),
    ]));
    let health = &r["ApiHealthGet"]["Properties"];
    assert_eq!(
        health["Integration"],
        json!({
            "Type": "MOCK",
            "RequestTemplates": {"application/json": "{\"statusCode\": 200}"},
            "IntegrationResponses": [{"StatusCode": "200", "ResponseTemplates": {"application/json": "{\"ok\": true}"}}]
        })
    );
    assert_eq!(
        health["MethodResponses"],
        json!([{"StatusCode": "200", "ResponseModels": {"application/json": "Empty"}}])
    );
    let gone = &r["ApiGoneAny"]["Properties"]["Integration"];
    assert_eq!(gone["PassthroughBehavior"], "NEVER");
    assert_eq!(
        gone["RequestTemplates"]["application/json"],
        "{\"statusCode\": 410}"
    );
    assert_eq!(
        r["ApiEmptyAny"]["Properties"]["Integration"]["IntegrationResponses"],
        json!([{"StatusCode": "200"}])
    );
    let permissions = r.as_object().map(|m| {
        m.values()
            .filter(|v| v["Type"] == "AWS::Lambda::Permission")
            .count()
    });
    assert_eq!(permissions, Some(0));
}

#[test]
fn a_mock_response_needs_its_method_response() {
    let problems = build(
        RestApiProps::default().routes([
            mock_route("a").method_responses([MethodResponse::default().status_code("404")])
        ]),
        |_, _| {},
    )
    .err()
    .unwrap_or_default();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("integration response `200` has no method response")),
        "{problems:#?}"
    );
}

#[test]
fn credentials_reach_the_preflight_and_every_non_proxy_response() {
    let r = ok(RestApiProps::default()
        .routes([mock_route("items")])
        .default_cors_preflight(
            CorsOptions::default()
                .allow_origins(["https://app.example.com"])
                .allow_credentials(true),
        ));
    let preflight = &r["ApiItemsOptions"]["Properties"]["Integration"]["IntegrationResponses"][0];
    assert_eq!(
        preflight["ResponseParameters"]["method.response.header.Access-Control-Allow-Credentials"],
        "'true'"
    );
    let get = &r["ApiItemsGet"]["Properties"];
    assert_eq!(
        get["Integration"]["IntegrationResponses"][0]["ResponseParameters"],
        json!({
            "method.response.header.Access-Control-Allow-Origin": "'https://app.example.com'",
            "method.response.header.Access-Control-Allow-Credentials": "'true'"
        })
    );
    assert_eq!(
        get["MethodResponses"][0]["ResponseParameters"],
        json!({
            "method.response.header.Access-Control-Allow-Origin": true,
            "method.response.header.Access-Control-Allow-Credentials": true
        })
    );
    assert!(r.get("ApiRootOptions").is_some());
}

#[test]
fn the_root_can_go_without_a_preflight() {
    let r = ok(RestApiProps::default()
        .routes([mock_route("items/{id}")])
        .default_cors_preflight(
            CorsOptions::default()
                .allow_origins(["*"])
                .exclude_root(true),
        ));
    assert!(r.get("ApiRootOptions").is_none());
    assert!(r.get("ApiItemsOptions").is_some());
    assert!(r.get("ApiItemsIdOptions").is_some());
}

#[test]
fn credentials_with_any_origin_are_reported() {
    let problems = build(
        RestApiProps::default()
            .routes([mock_route("a")])
            .default_cors_preflight(
                CorsOptions::default()
                    .allow_origins(Cors::ALL_ORIGINS)
                    .allow_credentials(true),
            ),
        |_, _| {},
    )
    .err()
    .unwrap_or_default();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("browsers refuse credentials")),
        "{problems:#?}"
    );
}

#[test]
fn resource_ids_name_the_resources_of_paths() {
    let handler = Function::declare("Handler");
    let props = || {
        RestApiProps::default().routes([
            mock_route("items/{id}"),
            ApiRoute::default()
                .path("users")
                .integration(LambdaIntegration::default().handler(&handler)),
        ])
    };
    let api = RestApi::declare("Api");
    assert_eq!(
        api.resource_id("/items").expr(),
        &Expr::Ref("ApiItems".into())
    );
    assert_eq!(
        api.resource_id("items/{id}/").expr(),
        &Expr::Ref("ApiItemsId".into())
    );
    assert_eq!(api.resource_id("/").expr(), api.root_resource_id().expr());

    // Asked for after the API is built, as a method declared below it does.
    let r = build(props(), |api, stack| {
        let method = crate::aws::apigateway::Method {
            rest_api_id: Some(api.rest_api_id()),
            resource_id: Some(api.resource_id("/items")),
            http_method: Some(Value::lit("DELETE")),
            authorization_type: Some(Value::lit("NONE")),
            ..Default::default()
        };
        stack.add_resource("DeleteItems", &method);
    })
    .unwrap_or_else(|problems| panic!("{problems:#?}"));
    assert_eq!(
        r["DeleteItems"]["Properties"]["ResourceId"],
        json!({"Ref": "ApiItems"})
    );
    assert_eq!(r["ApiItems"]["Type"], "AWS::ApiGateway::Resource");

    let problems = build(props(), |api, _| {
        let _ = api.resource_id("/itemz");
        let _ = api.resource_id("/billing/invoices");
    })
    .err()
    .unwrap_or_default();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].contains(
            "`resource_id(\"/itemz\")` names a path no route creates; did you mean `/items`?"
        ),
        "{problems:#?}"
    );
    assert!(
        problems[1].contains("its paths are `/`, `/items`, `/items/{id}`, `/users`"),
        "{problems:#?}"
    );
}
