//! [`WebSocketApi`]: an API Gateway WebSocket API whose routes call Lambda functions.

use super::route::Handler;
use super::websocket_route::{WebSocketLambdaIntegration, WebSocketRoute, WebSocketRouteOptions};
use super::{integration_id, timeout_in_millis};
use crate::aws;
use crate::constructs::apigateway::lambda_invocation_uri;
use crate::constructs::{literal_str, Construct};
use crate::iam::{Grant, Statement};
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Id, IntoValue, Value};
use stack_spec::rules::{apigateway as rest_rules, apigatewayv2 as rules};

/// An API Gateway WebSocket API (protocol `WEBSOCKET`) whose routes call Lambda
/// functions, with one stage, deployed on every change unless `auto_deploy: false`.
///
/// Resources: the API `<Id>`; an `AWS_PROXY` integration `<Id><Function>Integration` per
/// function (and per timeout); the routes `<Id>ConnectRoute`, `<Id>DisconnectRoute`,
/// `<Id>DefaultRoute` and, per custom route, `<Id><Key>Route` (`ApiSendMessageRoute` for
/// `sendMessage`); one `AWS::Lambda::Permission` `<Id><Function>Permission` per function,
/// letting this API's stage invoke it once the function's log group exists; and the stage
/// `<Id>Stage`. Anyone may connect: there is no authorizer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebSocketApi {
    id: String,
}

/// Options of a [`WebSocketApi`]: `stage_name`, and at least one route.
#[derive(Clone, Debug, Default)]
pub struct WebSocketApiProps {
    stage_name: String,
    auto_deploy: Option<bool>,
    connect: Option<WebSocketRouteOptions>,
    disconnect: Option<WebSocketRouteOptions>,
    default: Option<WebSocketRouteOptions>,
    routes: Vec<WebSocketRoute>,
    route_selection_expression: Option<Value<String>>,
    api_key_selection_expression: Option<Value<String>>,
    api_name: Option<Value<String>>,
    description: Option<Value<String>>,
}

impl WebSocketApiProps {
    /// The stage's name, in the API's URLs: 1 to 128 letters, digits, `-` or `_`.
    #[must_use]
    pub fn stage_name(mut self, name: impl Into<String>) -> Self {
        self.stage_name = name.into();
        self
    }

    /// Whether every change to the API is deployed to the stage (the default); with
    /// `false`, something else must deploy it (an `AWS::ApiGatewayV2::Deployment`).
    #[must_use]
    pub fn auto_deploy(mut self, auto_deploy: bool) -> Self {
        self.auto_deploy = Some(auto_deploy);
        self
    }

    /// The `$connect` route, called when a client opens a connection.
    #[must_use]
    pub fn connect_route_options(mut self, options: WebSocketRouteOptions) -> Self {
        self.connect = Some(options);
        self
    }

    /// The `$disconnect` route, called once a connection is closed.
    #[must_use]
    pub fn disconnect_route_options(mut self, options: WebSocketRouteOptions) -> Self {
        self.disconnect = Some(options);
        self
    }

    /// The `$default` route, for the messages no custom route matches (and those that
    /// are not JSON).
    #[must_use]
    pub fn default_route_options(mut self, options: WebSocketRouteOptions) -> Self {
        self.default = Some(options);
        self
    }

    /// The custom routes: `[WebSocketRoute { route_key: "sendMessage", integration: ... }]`.
    #[must_use]
    pub fn routes(mut self, routes: impl IntoIterator<Item = WebSocketRoute>) -> Self {
        self.routes = routes.into_iter().collect();
        self
    }

    /// What picks a message's custom route; `$request.body.action` (the `action` field of
    /// a JSON message) when unset.
    #[must_use]
    pub fn route_selection_expression(mut self, expression: impl IntoValue<String>) -> Self {
        self.route_selection_expression = Some(expression.into_value());
        self
    }

    /// Where API keys are read: `$request.header.x-api-key` or
    /// `$context.authorizer.usageIdentifierKey`.
    #[must_use]
    pub fn api_key_selection_expression(mut self, expression: impl IntoValue<String>) -> Self {
        self.api_key_selection_expression = Some(expression.into_value());
        self
    }

    /// The API's name in the console; the logical ID when unset.
    #[must_use]
    pub fn api_name(mut self, name: impl IntoValue<String>) -> Self {
        self.api_name = Some(name.into_value());
        self
    }

    /// A description shown in the console.
    #[must_use]
    pub fn description(mut self, description: impl IntoValue<String>) -> Self {
        self.description = Some(description.into_value());
        self
    }
}

impl WebSocketApi {
    /// The ID of the stage `<Id>Stage`, whose `Ref` is its name.
    fn stage_id(&self) -> String {
        format!("{}Stage", self.id)
    }

    /// The execute-api ARN of `path` below this API's stage.
    fn execute_api_arn(&self, path: &str) -> Value<String> {
        Value::sub(format!(
            "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{}}}/${{{}}}/{path}",
            self.id,
            self.stage_id()
        ))
    }

    /// The API's ID (`Ref`).
    pub fn api_id(&self) -> Value<Id<kind::apigatewayv2::Api>> {
        Value::reference(&self.id)
    }

    /// The API's endpoint, `wss://<api>.execute-api.<region>.amazonaws.com`, without the
    /// stage.
    pub fn api_endpoint(&self) -> Value<String> {
        Value::get_att(&self.id, "ApiEndpoint")
    }

    /// The URL clients connect to: `wss://<api>.execute-api.<region>.<url-suffix>/<stage>`.
    pub fn url(&self) -> Value<String> {
        Value::sub(format!(
            "wss://${{{}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/${{{}}}",
            self.id,
            self.stage_id()
        ))
    }

    /// The URL functions post back to clients on (the `@connections` management API):
    /// `https://<api>.execute-api.<region>.<url-suffix>/<stage>`.
    pub fn callback_url(&self) -> Value<String> {
        Value::sub(format!(
            "https://${{{}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/${{{}}}",
            self.id,
            self.stage_id()
        ))
    }

    /// `manage_connections`: send messages to the stage's connected clients
    /// (`execute-api:ManageConnections` on `POST @connections/*` of the stage).
    pub fn grant_manage_connections(&self) -> Grant {
        Grant::new([Statement::allow(
            ["execute-api:ManageConnections"],
            [self.execute_api_arn("POST/@connections/*")],
        )])
    }
}

/// The integrations of one API, one per function and timeout.
struct Integrations<'a> {
    api: &'a str,
    /// Each integration's logical ID and what it calls.
    added: Vec<(String, WebSocketLambdaIntegration)>,
    /// Each function, in order of first use.
    functions: Vec<Handler>,
}

impl Integrations<'_> {
    /// The logical ID of the integration that calls `integration`'s function, added on
    /// first use; `None`, reported, when it has none.
    fn id(
        &mut self,
        stack: &mut StackBuilder,
        integration: Option<&WebSocketLambdaIntegration>,
        route: &str,
    ) -> Option<String> {
        let api = self.api;
        let Some(integration) = integration else {
            stack.report(format!(
                "WebSocket API `{api}`: {route} has no `integration`; add `integration: WebSocketLambdaIntegration {{ handler: <function> }}`"
            ));
            return None;
        };
        let Some(handler) = &integration.handler else {
            stack.report(format!(
                "WebSocket API `{api}`: the integration of {route} has no `handler`; add `handler: <function>`"
            ));
            return None;
        };
        if let Some((id, _)) = self.added.iter().find(|(_, i)| i == integration) {
            return Some(id.clone());
        }
        let same_function = self
            .added
            .iter()
            .filter(|(_, i)| i.handler.as_ref().map(|h| &h.id) == Some(&handler.id))
            .count();
        let id = integration_id(api, &handler.id, same_function);
        let timeout_in_millis = timeout_in_millis(
            stack,
            integration.timeout,
            rules::websocket_integration_timeout,
            &format!("WebSocket API `{api}`: the integration of {route}"),
        );
        let resource = aws::apigatewayv2::Integration {
            api_id: Some(Value::reference(api)),
            integration_type: Some(Value::lit("AWS_PROXY")),
            // WebSocket APIs take Lambda's invocation URI, not the function's ARN.
            integration_uri: Some(lambda_invocation_uri(&handler.arn)),
            timeout_in_millis,
            ..Default::default()
        };
        stack.add_resource(&id, &resource);
        if !self.functions.iter().any(|f| f.id == handler.id) {
            self.functions.push(handler.clone());
        }
        self.added.push((id.clone(), integration.clone()));
        Some(id)
    }
}

/// `SendMessage` for `sendMessage` or `send-message`; `Custom` when nothing is left.
fn route_stem(key: &str) -> String {
    let stem: String = key
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    if stem.is_empty() {
        "Custom".to_owned()
    } else {
        stem
    }
}

impl Construct for WebSocketApi {
    type Props = WebSocketApiProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: WebSocketApiProps, stack: &mut StackBuilder) {
        let id = self.id.as_str();
        if let Err(why) = rest_rules::stage_name(&props.stage_name) {
            stack.report(format!("WebSocket API `{id}`: `stage_name` {why}"));
        }
        if let Some(Err(why)) = props
            .api_key_selection_expression
            .as_ref()
            .and_then(literal_str)
            .map(rules::api_key_selection_expression)
        {
            stack.report(format!(
                "WebSocket API `{id}`: `api_key_selection_expression` {why}"
            ));
        }
        let predefined = [
            ("$connect", "Connect", props.connect.as_ref()),
            ("$disconnect", "Disconnect", props.disconnect.as_ref()),
            ("$default", "Default", props.default.as_ref()),
        ];
        if props.routes.is_empty() && predefined.iter().all(|(_, _, r)| r.is_none()) {
            stack.report(format!(
                "WebSocket API `{id}` has no routes; add `connect_route_options`, `default_route_options` or `routes`"
            ));
        }
        let api = aws::apigatewayv2::Api {
            name: Some(props.api_name.clone().unwrap_or_else(|| Value::lit(id))),
            description: props.description.clone(),
            protocol_type: Some(Value::lit("WEBSOCKET")),
            route_selection_expression: Some(
                props
                    .route_selection_expression
                    .clone()
                    .unwrap_or_else(|| Value::lit("$request.body.action")),
            ),
            api_key_selection_expression: props.api_key_selection_expression.clone(),
            ..Default::default()
        };
        stack.add_resource(id, &api);

        let mut integrations = Integrations {
            api: id,
            added: Vec::new(),
            functions: Vec::new(),
        };
        // Each route's key and logical ID; the predefined routes first, so that a custom
        // `connect` is `<Id>Connect2Route`.
        let mut routes: Vec<(String, String, String)> = Vec::new();
        let mut taken: Vec<String> = Vec::new();
        let mut route_id = |stem: &str| {
            let mut candidate = format!("{id}{stem}Route");
            let mut n = 1;
            while taken.contains(&candidate) {
                n += 1;
                candidate = format!("{id}{stem}{n}Route");
            }
            taken.push(candidate.clone());
            candidate
        };
        for (key, stem, options) in predefined {
            let Some(options) = options else { continue };
            let name = format!("the `{key}` route");
            if let Some(target) = integrations.id(stack, options.integration.as_ref(), &name) {
                routes.push((route_id(stem), key.to_owned(), target));
            }
        }
        let mut keys: Vec<&str> = Vec::new();
        for route in &props.routes {
            let key = route.route_key.as_str();
            if let Err(why) = rules::websocket_route_key(key) {
                stack.report(format!("WebSocket API `{id}`: `route_key` {why}"));
                continue;
            }
            if keys.contains(&key) {
                stack.report(format!(
                    "WebSocket API `{id}`: two routes have `route_key` `{key}`; keep one of them"
                ));
                continue;
            }
            keys.push(key);
            let name = format!("route `{key}`");
            if let Some(target) = integrations.id(stack, route.integration.as_ref(), &name) {
                routes.push((route_id(&route_stem(key)), key.to_owned(), target));
            }
        }
        for (route_id, key, target) in &routes {
            let route = aws::apigatewayv2::Route {
                api_id: Some(Value::reference(id)),
                route_key: Some(Value::lit(key)),
                authorization_type: Some(Value::lit("NONE")),
                target: Some(Value::sub(format!("integrations/${{{target}}}"))),
                ..Default::default()
            };
            stack.add_resource(route_id, &route);
        }

        let stage_id = self.stage_id();
        let stage = aws::apigatewayv2::Stage {
            api_id: Some(Value::reference(id)),
            stage_name: Some(Value::lit(&props.stage_name)),
            auto_deploy: props.auto_deploy.unwrap_or(true).then(|| true.into_value()),
            ..Default::default()
        };
        stack.add_resource(&stage_id, &stage);

        for function in &integrations.functions {
            let permission_id = format!("{id}{}Permission", function.id);
            let permission = aws::lambda::Permission {
                action: Some(Value::lit("lambda:InvokeFunction")),
                function_name: Some(function.arn.clone().into_value()),
                principal: Some(Value::lit("apigateway.amazonaws.com")),
                source_arn: Some(self.execute_api_arn("*")),
                ..Default::default()
            };
            stack.add_resource(&permission_id, &permission);
            // Messages reach the function once it may be invoked: its log group must be
            // there first, or Lambda creates it without the stack's retention.
            if let Some(log_group) = &function.log_group {
                stack.add_dependency(&permission_id, log_group);
            }
        }
    }
}
