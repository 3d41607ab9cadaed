//! [`HttpApi`]: an API Gateway HTTP API whose routes call Lambda functions.

use super::cors::CorsPreflightOptions;
use super::route::{Handler, HttpLambdaIntegration, HttpRoute, RouteKey};
use super::{integration_id, timeout_in_millis};
use crate::aws;
use crate::constructs::Construct;
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Id, IntoValue, Value};

/// An API Gateway HTTP API (protocol `HTTP`) whose routes call Lambda functions, with
/// event payload version 2.0, deployed by a `$default` stage on every change.
///
/// Resources: the API `<Id>`; an `AWS_PROXY` integration `<Id><Function>Integration` per
/// function (and per timeout); a route per method and path, `<Id><Method><Path>Route`
/// (`ApiGetOrdersIdRoute` for `GET /orders/{id}`), and `<Id>DefaultRoute` for
/// `default_integration`; one `AWS::Lambda::Permission` `<Id><Function>Permission` per
/// function, letting this API (any of its stages and routes) invoke it; and the stage
/// `<Id>DefaultStage`. Anyone may call the routes: there is no authorizer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpApi {
    id: String,
}

/// Options of an [`HttpApi`]: at least one of `routes` and `default_integration`.
#[derive(Clone, Debug, Default)]
pub struct HttpApiProps {
    routes: Vec<HttpRoute>,
    default_integration: Option<HttpLambdaIntegration>,
    cors_preflight: Option<CorsPreflightOptions>,
    api_name: Option<Value<String>>,
    description: Option<Value<String>>,
}

impl HttpApiProps {
    /// The routes: `[HttpRoute { path: "/orders", methods: [HttpMethod::Get], integration: ... }]`.
    #[must_use]
    pub fn routes(mut self, routes: impl IntoIterator<Item = HttpRoute>) -> Self {
        self.routes = routes.into_iter().collect();
        self
    }

    /// What serves the requests no route matches (the `$default` route); API Gateway
    /// answers them `404 Not Found` when unset.
    #[must_use]
    pub fn default_integration(mut self, integration: HttpLambdaIntegration) -> Self {
        self.default_integration = Some(integration);
        self
    }

    /// CORS, answered by API Gateway for every route.
    #[must_use]
    pub fn cors_preflight(mut self, cors: CorsPreflightOptions) -> Self {
        self.cors_preflight = Some(cors);
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

impl HttpApi {
    /// The URL of the `$default` stage, ending in `/`:
    /// `https://<api>.execute-api.<region>.<url-suffix>/`.
    pub fn url(&self) -> Value<String> {
        Value::sub(format!(
            "https://${{{}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/",
            self.id
        ))
    }

    /// The API's ID (`Ref`).
    pub fn api_id(&self) -> Value<Id<kind::apigatewayv2::Api>> {
        Value::reference(&self.id)
    }

    /// The API's default endpoint, `https://<api>.execute-api.<region>.amazonaws.com`,
    /// without a trailing `/`.
    pub fn api_endpoint(&self) -> Value<String> {
        Value::get_att(&self.id, "ApiEndpoint")
    }
}

/// The integrations of one API, one per function and timeout.
struct Integrations<'a> {
    api: &'a str,
    /// Each integration's logical ID and what it calls.
    added: Vec<(String, HttpLambdaIntegration)>,
    /// Each function's logical ID and log group, in order of first use.
    functions: Vec<Handler>,
}

impl Integrations<'_> {
    /// The logical ID of the integration that calls `integration`'s function, added
    /// on first use; `None`, reported, when it has no function.
    fn id(
        &mut self,
        stack: &mut StackBuilder,
        integration: &HttpLambdaIntegration,
        route: &str,
    ) -> Option<String> {
        let api = self.api;
        let Some(handler) = &integration.handler else {
            stack.report(format!(
                "HTTP API `{api}`: the integration of {route} has no `handler`; add `handler: <function>`"
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
            stack_spec::rules::apigatewayv2::integration_timeout,
            &format!("HTTP API `{api}`: the integration of {route}"),
        );
        let resource = aws::apigatewayv2::Integration {
            api_id: Some(Value::reference(api)),
            integration_type: Some(Value::lit("AWS_PROXY")),
            integration_uri: Some(handler.arn.clone().into_value()),
            payload_format_version: Some(Value::lit("2.0")),
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

/// `Get` for `GET`, `Orders` for `orders`, `OrdersId` for `/orders/{id}`, `Root` for `/`.
fn pascal(text: &str) -> String {
    let words: String = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    if words.is_empty() {
        "Root".to_owned()
    } else {
        words
    }
}

/// Adds a route to the integration `target`.
fn add_route(stack: &mut StackBuilder, api: &str, id: &str, key: &str, target: &str) {
    let route = aws::apigatewayv2::Route {
        api_id: Some(Value::reference(api)),
        route_key: Some(Value::lit(key)),
        target: Some(Value::sub(format!("integrations/${{{target}}}"))),
        ..Default::default()
    };
    stack.add_resource(id, &route);
}

impl Construct for HttpApi {
    type Props = HttpApiProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: HttpApiProps, stack: &mut StackBuilder) {
        let id = self.id.as_str();
        if props.routes.is_empty() && props.default_integration.is_none() {
            stack.report(format!(
                "HTTP API `{id}` has no `routes` and no `default_integration`; add one of them"
            ));
        }
        let api = aws::apigatewayv2::Api {
            name: Some(props.api_name.unwrap_or_else(|| Value::lit(id))),
            description: props.description,
            protocol_type: Some(Value::lit("HTTP")),
            cors_configuration: props.cors_preflight.map(|cors| cors.to_l1(stack, id)),
            ..Default::default()
        };
        stack.add_resource(id, &api);

        let mut integrations = Integrations {
            api: id,
            added: Vec::new(),
            functions: Vec::new(),
        };
        let mut seen: Vec<RouteKey> = Vec::new();
        let mut route_ids: Vec<String> = Vec::new();
        for route in &props.routes {
            let keys = route.keys(stack, id);
            let Some(integration) = &route.integration else {
                stack.report(format!(
                    "HTTP API `{id}`: route `{}` has no `integration`; add `integration: HttpLambdaIntegration {{ handler: <function> }}`",
                    route.path
                ));
                continue;
            };
            let Some(target) =
                integrations.id(stack, integration, &format!("route `{}`", route.path))
            else {
                continue;
            };
            for key in keys {
                let key_text = format!("{} {}", key.method, key.path);
                if seen.contains(&key) {
                    stack.report(format!(
                        "HTTP API `{id}`: two routes are `{key_text}`; keep one of them"
                    ));
                    continue;
                }
                // `/orders/{id}` and `/orders/id` are both `OrdersId`: the second is
                // `OrdersId2`.
                let stem = format!("{id}{}{}", pascal(&key.method), pascal(&key.path));
                let mut route_id = format!("{stem}Route");
                let mut n = 1;
                while route_ids.contains(&route_id) {
                    n += 1;
                    route_id = format!("{stem}{n}Route");
                }
                add_route(stack, id, &route_id, &key_text, &target);
                route_ids.push(route_id);
                seen.push(key);
            }
        }
        if let Some(integration) = &props.default_integration {
            if let Some(target) = integrations.id(stack, integration, "`default_integration`") {
                add_route(stack, id, &format!("{id}DefaultRoute"), "$default", &target);
            }
        }

        for function in &integrations.functions {
            let permission = aws::lambda::Permission {
                action: Some(Value::lit("lambda:InvokeFunction")),
                function_name: Some(function.arn.clone().into_value()),
                principal: Some(Value::lit("apigateway.amazonaws.com")),
                source_arn: Some(Value::sub(format!(
                    "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{id}}}/*/*"
                ))),
                ..Default::default()
            };
            stack.add_resource(format!("{id}{}Permission", function.id), &permission);
        }

        let stage_id = format!("{id}DefaultStage");
        let stage = aws::apigatewayv2::Stage {
            api_id: Some(Value::reference(id)),
            stage_name: Some(Value::lit("$default")),
            auto_deploy: Some(true.into_value()),
            ..Default::default()
        };
        stack.add_resource(&stage_id, &stage);
        // Requests arrive once the stage exists: the functions' log groups must be there
        // first, or Lambda creates them without the stack's retention.
        for log_group in integrations
            .functions
            .iter()
            .filter_map(|f| f.log_group.as_deref())
        {
            stack.add_dependency(&stage_id, log_group);
        }
    }
}
