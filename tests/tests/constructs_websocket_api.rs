//! `WebSocketApi` in a `stack!` block: a chat service whose connect, disconnect, default
//! and custom routes call Lambda functions, one of which answers clients through the
//! callback URL, the way a CDK user writes a WebSocket API; every option, attribute and
//! the grant build, wire each function up once, and lint clean.

use serde_json::{json, Value as Json};
use stack_core::prelude::*;

stack! {
    /// A chat service behind a WebSocket API.
    pub stack WsChat {
        resource connections_fn: Function {
            code: Code::inline("def handler(event, context):\n    return {'statusCode': 200}\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource chat_fn: Function {
            code: Code::inline("def handler(event, context):\n    return {'statusCode': 200}\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            environment: { CALLBACK_URL: api.callback_url },
        }
        resource api: WebSocketApi {
            api_name: "chat",
            description: "Chat over WebSocket",
            stage_name: "prod",
            route_selection_expression: "$request.body.action",
            api_key_selection_expression: "$request.header.x-api-key",
            connect_route_options: WebSocketRouteOptions {
                integration: WebSocketLambdaIntegration { handler: connections_fn },
            },
            disconnect_route_options: WebSocketRouteOptions {
                integration: WebSocketLambdaIntegration { handler: connections_fn },
            },
            default_route_options: WebSocketRouteOptions {
                integration: WebSocketLambdaIntegration { handler: chat_fn },
            },
            routes: [
                WebSocketRoute {
                    route_key: "sendMessage",
                    integration: WebSocketLambdaIntegration { handler: chat_fn, timeout: Duration::seconds(20) },
                },
                WebSocketRoute {
                    route_key: "ping",
                    integration: WebSocketLambdaIntegration { handler: connections_fn },
                },
            ],
            auto_deploy: true,
        }

        grant chat_fn manage_connections api;

        output url = api.url;
        output callback_url = api.callback_url;
        output api_id = api.api_id;
        output endpoint = api.api_endpoint;
    }
}

fn template() -> Json {
    let stack = WsChat::new("WsChat");
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
            "Name": "chat",
            "Description": "Chat over WebSocket",
            "ProtocolType": "WEBSOCKET",
            "RouteSelectionExpression": "$request.body.action",
            "ApiKeySelectionExpression": "$request.header.x-api-key"
        })
    );
    assert_eq!(
        r["ApiStage"]["Properties"],
        json!({"ApiId": {"Ref": "Api"}, "StageName": "prod", "AutoDeploy": true})
    );
    let outputs = &template["Outputs"];
    assert_eq!(
        outputs["Url"]["Value"],
        json!({"Fn::Sub": "wss://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${ApiStage}"})
    );
    assert_eq!(
        outputs["CallbackUrl"]["Value"],
        json!({"Fn::Sub": "https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${ApiStage}"})
    );
    assert_eq!(outputs["ApiId"]["Value"], json!({"Ref": "Api"}));
    assert_eq!(
        outputs["Endpoint"]["Value"],
        json!({"Fn::GetAtt": ["Api", "ApiEndpoint"]})
    );
    assert_eq!(
        r["ChatFn"]["Properties"]["Environment"]["Variables"]["CALLBACK_URL"],
        outputs["CallbackUrl"]["Value"]
    );
}

#[test]
fn each_route_targets_its_function_and_each_function_is_invokable_once() {
    let r = &template()["Resources"];
    let routes: Vec<(String, Json, Json)> = of_type(r, "AWS::ApiGatewayV2::Route")
        .into_iter()
        .map(|id| {
            let p = &r[&id]["Properties"];
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
                target("ApiConnectionsFnIntegration")
            ),
            (
                "ApiDisconnectRoute".into(),
                json!("$disconnect"),
                target("ApiConnectionsFnIntegration")
            ),
            (
                "ApiDefaultRoute".into(),
                json!("$default"),
                target("ApiChatFnIntegration")
            ),
            (
                "ApiSendMessageRoute".into(),
                json!("sendMessage"),
                target("ApiChatFnIntegration2")
            ),
            (
                "ApiPingRoute".into(),
                json!("ping"),
                target("ApiConnectionsFnIntegration")
            ),
        ]
    );
    // Another timeout is another integration of the same function.
    assert_eq!(
        r["ApiChatFnIntegration2"]["Properties"]["TimeoutInMillis"],
        20_000
    );
    assert_eq!(
        of_type(r, "AWS::Lambda::Permission"),
        ["ApiConnectionsFnPermission", "ApiChatFnPermission"]
    );
    let permission = &r["ApiChatFnPermission"];
    assert_eq!(
        permission["Properties"]["SourceArn"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/${ApiStage}/*"})
    );
    assert_eq!(permission["DependsOn"], "ChatFnLogGroup");
}

#[test]
fn the_grant_lets_the_function_post_to_the_stages_connections() {
    let r = &template()["Resources"];
    let policies = r["ChatFnServiceRole"]["Properties"]["Policies"].to_string();
    assert!(
        policies.contains(r#""Action":"execute-api:ManageConnections""#),
        "{policies}"
    );
    assert!(
        policies.contains("${Api}/${ApiStage}/POST/@connections/*"),
        "{policies}"
    );
    let other = r["ConnectionsFnServiceRole"]["Properties"]["Policies"].to_string();
    assert!(!other.contains("execute-api"), "{other}");
}

#[test]
fn websocket_api_is_lint_clean() {
    tests::assert_lint_clean(&WsChat::new("WsChat"));
}
