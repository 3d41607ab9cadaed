// WebSocketApi: the API, integrations, routes, permissions and stage; the URLs and the
// grant; each mistake reported.
use super::*;
use crate::constructs::{Construct, Duration, Function, FunctionProps};
use crate::expr::Expr;
use crate::stack::StackBuilder;
use crate::template::Template;
use serde_json::{json, Value as Json};

fn synth(props: WebSocketApiProps) -> Result<Template, Vec<String>> {
    let mut stack = StackBuilder::new("Test");
    WebSocketApi::declare("Api").build(props, &mut stack);
    stack.finish().map(|s| s.template).map_err(|e| e.problems)
}

fn ok(props: WebSocketApiProps) -> Json {
    match synth(props) {
        Ok(t) => t.to_json()["Resources"].clone(),
        Err(problems) => panic!("{problems:#?}"),
    }
}

fn problems(props: WebSocketApiProps) -> Vec<String> {
    synth(props).err().unwrap_or_default()
}

fn lambda(function: &str) -> WebSocketLambdaIntegration {
    WebSocketLambdaIntegration::default().handler(&Function::declare(function))
}

fn options(function: &str) -> WebSocketRouteOptions {
    WebSocketRouteOptions::default().integration(lambda(function))
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

fn chat_api() -> WebSocketApiProps {
    WebSocketApiProps::default()
        .stage_name("dev")
        .connect_route_options(options("Connect"))
        .disconnect_route_options(options("Connect"))
        .default_route_options(options("Chat"))
        .routes([
            WebSocketRoute::default()
                .route_key("sendMessage")
                .integration(lambda("Chat")),
            WebSocketRoute::default()
                .route_key("connect")
                .integration(lambda("Chat")),
        ])
}

#[test]
fn routes_share_one_integration_and_permission_per_function() {
    let r = ok(chat_api());
    assert_eq!(
        r["Api"]["Properties"],
        json!({
            "Name": "Api",
            "ProtocolType": "WEBSOCKET",
            "RouteSelectionExpression": "$request.body.action"
        })
    );
    assert_eq!(
        ids_of_type(&r, "AWS::ApiGatewayV2::Integration"),
        ["ApiConnectIntegration", "ApiChatIntegration"]
    );
    assert_eq!(
        r["ApiChatIntegration"]["Properties"],
        json!({
            "ApiId": {"Ref": "Api"},
            "IntegrationType": "AWS_PROXY",
            "IntegrationUri": {"Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Chat.Arn}/invocations"}
        })
    );
    let routes: Vec<(String, Json, Json)> = ids_of_type(&r, "AWS::ApiGatewayV2::Route")
        .into_iter()
        .map(|id| {
            let p = &r[&id]["Properties"];
            assert_eq!(p["ApiId"], json!({"Ref": "Api"}));
            assert_eq!(p["AuthorizationType"], "NONE");
            (id, p["RouteKey"].clone(), p["Target"].clone())
        })
        .collect();
    let target = |integration: &str| json!({"Fn::Sub": format!("integrations/${{{integration}}}")});
    assert_eq!(
        routes,
        [
            (
                "ApiConnectRoute".into(),
                json!("$connect"),
                target("ApiConnectIntegration")
            ),
            (
                "ApiDisconnectRoute".into(),
                json!("$disconnect"),
                target("ApiConnectIntegration")
            ),
            (
                "ApiDefaultRoute".into(),
                json!("$default"),
                target("ApiChatIntegration")
            ),
            (
                "ApiSendMessageRoute".into(),
                json!("sendMessage"),
                target("ApiChatIntegration")
            ),
            // A custom `connect` does not take the `$connect` route's ID.
            (
                "ApiConnect2Route".into(),
                json!("connect"),
                target("ApiChatIntegration")
            ),
        ]
    );
    assert_eq!(
        ids_of_type(&r, "AWS::Lambda::Permission"),
        ["ApiConnectPermission", "ApiChatPermission"]
    );
    assert_eq!(
        r["ApiChatPermission"]["Properties"],
        json!({
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Fn::GetAtt": ["Chat", "Arn"]},
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/${ApiStage}/*"}
        })
    );
    assert_eq!(
        r["ApiStage"]["Properties"],
        json!({"ApiId": {"Ref": "Api"}, "StageName": "dev", "AutoDeploy": true})
    );
}

#[test]
fn options_are_rendered() {
    let r = ok(WebSocketApiProps::default()
        .stage_name("prod")
        .auto_deploy(false)
        .api_name("chat")
        .description("Chat")
        .route_selection_expression("$request.body.type")
        .api_key_selection_expression("$request.header.x-api-key")
        .default_route_options(
            WebSocketRouteOptions::default()
                .integration(lambda("Chat").timeout(Duration::seconds(10))),
        ));
    assert_eq!(
        r["Api"]["Properties"],
        json!({
            "Name": "chat",
            "Description": "Chat",
            "ProtocolType": "WEBSOCKET",
            "RouteSelectionExpression": "$request.body.type",
            "ApiKeySelectionExpression": "$request.header.x-api-key"
        })
    );
    assert_eq!(
        r["ApiChatIntegration"]["Properties"]["TimeoutInMillis"],
        10_000
    );
    // Without auto-deploy the stage waits for a deployment made elsewhere.
    assert_eq!(
        r["ApiStage"]["Properties"],
        json!({"ApiId": {"Ref": "Api"}, "StageName": "prod"})
    );
}

#[test]
fn the_permission_waits_for_the_functions_log_group() {
    let mut stack = StackBuilder::new("Test");
    let chat = Function::declare("Chat");
    let props = FunctionProps::default()
        .code(crate::constructs::Code::inline(
            "def handler(e, c):\n    return None\n",
        ))
        .runtime(crate::constructs::Runtime::Python312)
        .handler("index.handler");
    chat.build(props, &mut stack);
    WebSocketApi::declare("Api").build(
        WebSocketApiProps::default()
            .stage_name("dev")
            .default_route_options(
                WebSocketRouteOptions::default()
                    .integration(WebSocketLambdaIntegration::default().handler(&chat)),
            ),
        &mut stack,
    );
    let template = stack
        .finish()
        .map(|s| s.template.to_json())
        .unwrap_or_default();
    let log_group = crate::constructs::FunctionRef::function_log_group_logical_id(&chat)
        .unwrap_or_default()
        .to_owned();
    assert!(!log_group.is_empty());
    assert_eq!(
        template["Resources"]["ApiChatPermission"]["DependsOn"],
        log_group
    );
    assert!(template["Resources"]["ApiStage"].get("DependsOn").is_none());
}

#[test]
fn attributes_and_the_grant_name_the_stage() {
    let api = WebSocketApi::declare("Api");
    assert_eq!(
        api.url().expr(),
        &Expr::Sub("wss://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${ApiStage}".into())
    );
    assert_eq!(
        api.callback_url().expr(),
        &Expr::Sub(
            "https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${ApiStage}".into()
        )
    );
    assert_eq!(api.api_id().expr(), &Expr::Ref("Api".into()));
    assert_eq!(
        api.api_endpoint().expr(),
        &Expr::GetAtt("Api".into(), "ApiEndpoint".into())
    );
    assert_eq!(
        api.grant_manage_connections(),
        crate::iam::Grant::new([crate::iam::Statement::allow(
            ["execute-api:ManageConnections"],
            [crate::value::Value::<String>::sub(
                "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/${ApiStage}/POST/@connections/*"
            )],
        )])
    );
}

#[test]
fn an_api_without_routes_is_reported() {
    let found = problems(WebSocketApiProps::default().stage_name("dev"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("has no routes"), "{found:#?}");
}

#[test]
fn mistakes_are_reported() {
    let found = problems(
        WebSocketApiProps::default()
            .stage_name("dev stage")
            .api_key_selection_expression("$request.header.key")
            .connect_route_options(WebSocketRouteOptions::default())
            .disconnect_route_options(
                WebSocketRouteOptions::default().integration(WebSocketLambdaIntegration::default()),
            )
            .routes([
                WebSocketRoute::default()
                    .route_key("send")
                    .integration(lambda("Chat")),
                WebSocketRoute::default()
                    .route_key("send")
                    .integration(lambda("Chat")),
                WebSocketRoute::default()
                    .route_key("$default")
                    .integration(lambda("Chat")),
                WebSocketRoute::default()
                    .route_key("slow")
                    .integration(lambda("Chat").timeout(Duration::seconds(30))),
            ]),
    );
    for needle in [
        "`stage_name` `dev stage` must be 1 to 128",
        "`api_key_selection_expression` `$request.header.key`",
        "the `$connect` route has no `integration`",
        "the integration of the `$disconnect` route has no `handler`",
        "two routes have `route_key` `send`",
        "set it with `default_route_options",
        "`timeout` is 30 seconds",
    ] {
        assert!(
            found.iter().any(|p| p.contains(needle)),
            "no problem mentions {needle}: {found:#?}"
        );
    }
    assert_eq!(found.len(), 7, "{found:#?}");
}
