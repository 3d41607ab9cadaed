//! Lambda integrations of methods: proxy and non-proxy, with their integration and method
//! responses.

use std::collections::BTreeMap;

use super::cors::Preflight;
use super::mock::MockIntegration;
use crate::aws::apigateway::method;
use crate::constructs::{literal_str, Duration, FunctionRef, IamRoleRef, StringMap};
use crate::expr::Expr;
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Arn, IntoValue, Value};

/// What a non-proxy integration does with a request body no template matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassthroughBehavior {
    /// Pass it through unchanged when no template matches its content type.
    WhenNoMatch,
    /// Pass it through only when the integration has no templates at all.
    WhenNoTemplates,
    /// Reject it (415 Unsupported Media Type).
    Never,
}

impl PassthroughBehavior {
    pub(super) const fn as_str(self) -> &'static str {
        match self {
            PassthroughBehavior::WhenNoMatch => "WHEN_NO_MATCH",
            PassthroughBehavior::WhenNoTemplates => "WHEN_NO_TEMPLATES",
            PassthroughBehavior::Never => "NEVER",
        }
    }
}

/// How a non-proxy integration converts a payload between text and binary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentHandling {
    /// Base64-decode a text payload into binary.
    ConvertToBinary,
    /// Base64-encode a binary payload as text.
    ConvertToText,
}

impl ContentHandling {
    const fn as_str(self) -> &'static str {
        match self {
            ContentHandling::ConvertToBinary => "CONVERT_TO_BINARY",
            ContentHandling::ConvertToText => "CONVERT_TO_TEXT",
        }
    }
}

/// How a non-proxy integration maps the function's result to an HTTP response:
/// `IntegrationResponse { status_code: "200" }`. `status_code` is required.
#[derive(Clone, Debug, Default)]
pub struct IntegrationResponse {
    status_code: Option<Value<String>>,
    selection_pattern: Option<Value<String>>,
    response_templates: StringMap,
    response_parameters: StringMap,
    content_handling: Option<ContentHandling>,
}

impl IntegrationResponse {
    /// The HTTP status to answer with, e.g. `"200"`; it needs a method response.
    #[must_use]
    pub fn status_code(mut self, status: impl IntoValue<String>) -> Self {
        self.status_code = Some(status.into_value());
        self
    }

    /// A regular expression matched against the function's error message, e.g.
    /// `".*Not found.*"`; the response without one is the default.
    #[must_use]
    pub fn selection_pattern(mut self, pattern: impl IntoValue<String>) -> Self {
        self.selection_pattern = Some(pattern.into_value());
        self
    }

    /// Mapping templates by content type, `{ "application/json": "..." }`.
    #[must_use]
    pub fn response_templates(mut self, templates: StringMap) -> Self {
        self.response_templates = templates;
        self
    }

    /// Header mappings, `{ "method.response.header.X-Id": "integration.response.body.id" }`.
    #[must_use]
    pub fn response_parameters(mut self, parameters: StringMap) -> Self {
        self.response_parameters = parameters;
        self
    }

    /// Converts the response payload between text and binary.
    #[must_use]
    pub fn content_handling(mut self, handling: ContentHandling) -> Self {
        self.content_handling = Some(handling);
        self
    }
}

/// A response a method declares: `MethodResponse { status_code: "200", response_models: { "application/json": "Empty" } }`.
/// `status_code` is required.
#[derive(Clone, Debug, Default)]
pub struct MethodResponse {
    status_code: Option<Value<String>>,
    response_models: StringMap,
    response_headers: Vec<String>,
}

impl MethodResponse {
    /// The HTTP status, e.g. `"200"`.
    #[must_use]
    pub fn status_code(mut self, status: impl IntoValue<String>) -> Self {
        self.status_code = Some(status.into_value());
        self
    }

    /// Models by content type; `"Empty"` passes the body through unvalidated.
    #[must_use]
    pub fn response_models(mut self, models: StringMap) -> Self {
        self.response_models = models;
        self
    }

    /// Headers the response may carry, e.g. `["Access-Control-Allow-Origin"]`.
    #[must_use]
    pub fn response_headers(
        mut self,
        headers: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.response_headers = headers.into_iter().map(Into::into).collect();
        self
    }
}

/// A Lambda function behind a method: `LambdaIntegration { handler: chat }`. `handler` is
/// required.
///
/// With `proxy` (the default) the function receives the whole request and returns the
/// whole response. Without it, request templates shape the event and integration
/// responses shape the answer; when neither `integration_responses` nor the route's
/// `method_responses` are given, a `200` passing the result through is declared.
///
/// With `credentials_role`, API Gateway calls the function as that role, and the role is
/// granted `lambda:InvokeFunction` on this function only; otherwise the function gets a
/// resource policy allowing this API's stage, method and path only.
#[derive(Clone, Debug)]
pub struct LambdaIntegration {
    handler: Option<Value<Arn<kind::lambda::Function>>>,
    proxy: bool,
    credentials_role: Option<Option<String>>,
    request_templates: StringMap,
    passthrough_behavior: Option<PassthroughBehavior>,
    integration_responses: Vec<IntegrationResponse>,
    content_handling: Option<ContentHandling>,
    timeout: Option<Duration>,
}

impl Default for LambdaIntegration {
    fn default() -> Self {
        Self {
            handler: None,
            proxy: true,
            credentials_role: None,
            request_templates: StringMap::new(),
            passthrough_behavior: None,
            integration_responses: Vec::new(),
            content_handling: None,
            timeout: None,
        }
    }
}

impl LambdaIntegration {
    /// The function to call.
    #[must_use]
    pub fn handler(mut self, handler: &(impl FunctionRef + ?Sized)) -> Self {
        self.handler = Some(handler.function_arn());
        self
    }

    /// Whether the function receives the raw request (`AWS_PROXY`, the default) or a
    /// templated event (`AWS`).
    #[must_use]
    pub fn proxy(mut self, proxy: bool) -> Self {
        self.proxy = proxy;
        self
    }

    /// The role API Gateway assumes to call the function: a [`Role`](crate::constructs::Role)
    /// trusting `apigateway.amazonaws.com`, or an `AWS::IAM::Role`.
    #[must_use]
    pub fn credentials_role(mut self, role: impl IamRoleRef) -> Self {
        self.credentials_role = Some(role.iam_role_logical_id().map(str::to_owned));
        self
    }

    /// Request mapping templates by content type (non-proxy only).
    #[must_use]
    pub fn request_templates(mut self, templates: StringMap) -> Self {
        self.request_templates = templates;
        self
    }

    /// What happens to a request body no template matches (non-proxy only).
    #[must_use]
    pub fn passthrough_behavior(mut self, behavior: PassthroughBehavior) -> Self {
        self.passthrough_behavior = Some(behavior);
        self
    }

    /// How results map to responses (non-proxy only); a `200` passthrough when unset.
    #[must_use]
    pub fn integration_responses(
        mut self,
        responses: impl IntoIterator<Item = IntegrationResponse>,
    ) -> Self {
        self.integration_responses = responses.into_iter().collect();
        self
    }

    /// Converts the request payload between text and binary (non-proxy only).
    #[must_use]
    pub fn content_handling(mut self, handling: ContentHandling) -> Self {
        self.content_handling = Some(handling);
        self
    }

    /// How long API Gateway waits for the function: 1 to 29 seconds (the default).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

/// What a method does with requests: its integration and the responses it declares.
pub(super) struct MethodIntegration {
    pub(super) integration: method::Integration,
    pub(super) method_responses: Option<Vec<method::MethodResponse>>,
}

/// What serves a route: `LambdaIntegration { handler: chat }` or
/// `MockIntegration { integration_responses: [...] }`.
#[derive(Clone, Debug)]
pub enum Integration {
    /// A Lambda function.
    Lambda(LambdaIntegration),
    /// API Gateway itself, answering from templates.
    Mock(MockIntegration),
}

impl From<LambdaIntegration> for Integration {
    fn from(integration: LambdaIntegration) -> Self {
        Integration::Lambda(integration)
    }
}

impl From<MockIntegration> for Integration {
    fn from(integration: MockIntegration) -> Self {
        Integration::Mock(integration)
    }
}

/// A route's integration, checked and rendered.
pub(super) struct PlannedIntegration {
    pub(super) method: MethodIntegration,
    /// The function a Lambda integration calls; `None` for a mock.
    pub(super) invoke: Option<Invoke>,
}

/// The function a route calls, and the role it calls it as.
pub(super) struct Invoke {
    pub(super) function_arn: Value<Arn<kind::lambda::Function>>,
    pub(super) credentials_role: Option<String>,
}

/// Checks and renders a route's integration and the responses its method declares.
pub(super) fn plan_integration(
    stack: &mut StackBuilder,
    what: &str,
    integration: Integration,
    method_responses: Vec<MethodResponse>,
    cors: Option<&Preflight>,
) -> Option<PlannedIntegration> {
    let cors_headers = cors.map_or(&[][..], |c| &c.response_headers[..]);
    match integration {
        Integration::Lambda(lambda) => {
            plan_lambda(stack, what, lambda, method_responses, cors_headers)
        }
        Integration::Mock(mock) => Some(PlannedIntegration {
            method: mock.plan(stack, what, method_responses, cors_headers),
            invoke: None,
        }),
    }
}

fn plan_lambda(
    stack: &mut StackBuilder,
    what: &str,
    integration: LambdaIntegration,
    method_responses: Vec<MethodResponse>,
    cors_headers: &[(&str, Value<String>)],
) -> Option<PlannedIntegration> {
    let Some(function_arn) = integration.handler else {
        stack.report(format!(
            "{what}: the integration has no `handler`; add `handler: <function>`"
        ));
        return None;
    };
    let credentials_role = match integration.credentials_role {
        Some(Some(role)) => Some(role),
        Some(None) => {
            stack.report(format!(
                "{what}: `credentials_role` must be a role of this stack (a `Role` or an `AWS::IAM::Role`)"
            ));
            None
        }
        None => None,
    };
    if let Some(timeout) = integration.timeout {
        if !(1..=29).contains(&timeout.as_seconds()) {
            stack.report(format!(
                "{what}: `timeout` is {} s; API Gateway waits 1 s to 29 s",
                timeout.as_seconds()
            ));
        }
    }
    let extras = !integration.request_templates.is_empty()
        || integration.passthrough_behavior.is_some()
        || !integration.integration_responses.is_empty()
        || integration.content_handling.is_some();
    if integration.proxy && (extras || !method_responses.is_empty()) {
        stack.report(format!(
            "{what}: a proxy integration passes the function's response through; templates, passthrough, content handling and responses need `proxy: false`"
        ));
    }

    let integration_type = Value::lit(if integration.proxy {
        "AWS_PROXY"
    } else {
        "AWS"
    });
    let uri = lambda_invocation_uri(&function_arn);
    let credentials = credentials_role
        .as_deref()
        .map(|role| Value::<Arn<kind::iam::Role>>::get_att(role, "Arn"));
    let request_templates = non_empty(&integration.request_templates);
    let passthrough = integration
        .passthrough_behavior
        .map(|b| Value::lit(b.as_str()));
    let content_handling = integration.content_handling.map(|h| Value::lit(h.as_str()));
    let timeout = integration
        .timeout
        .map(|t| t.as_i64().saturating_mul(1000).into_value());
    let responses = (!integration.proxy).then(|| {
        non_proxy_responses(
            stack,
            what,
            integration.integration_responses,
            method_responses,
            cors_headers,
        )
    });

    let (integration_responses, method_responses) = match responses {
        Some(r) => (Some(r.integration), Some(r.method)),
        None => (None, None),
    };
    let integration = method::Integration {
        r#type: Some(integration_type),
        integration_http_method: Some(Value::lit("POST")),
        uri: Some(uri),
        credentials,
        request_templates: request_templates.map(string_map),
        passthrough_behavior: passthrough,
        content_handling,
        timeout_in_millis: timeout,
        integration_responses,
        ..Default::default()
    };
    Some(PlannedIntegration {
        method: MethodIntegration {
            integration,
            method_responses,
        },
        invoke: Some(Invoke {
            function_arn,
            credentials_role,
        }),
    })
}

/// The responses of a non-proxy integration.
pub(super) struct NonProxyResponses {
    pub(super) integration: Vec<method::IntegrationResponse>,
    pub(super) method: Vec<method::MethodResponse>,
}

/// The integration and method responses of a non-proxy integration: a `200` passthrough
/// when none are given, every integration status declared by a method response, and the
/// CORS headers (`name`, quoted value) on both when the API has CORS.
pub(super) fn non_proxy_responses(
    stack: &mut StackBuilder,
    what: &str,
    mut integration_responses: Vec<IntegrationResponse>,
    mut method_responses: Vec<MethodResponse>,
    cors_headers: &[(&str, Value<String>)],
) -> NonProxyResponses {
    if integration_responses.is_empty() {
        integration_responses.push(IntegrationResponse::default().status_code("200"));
    }
    if method_responses.is_empty() {
        for response in &integration_responses {
            let status = response
                .status_code
                .clone()
                .unwrap_or_else(|| Value::lit(""));
            if !method_responses
                .iter()
                .any(|m| m.status_code.as_ref() == Some(&status))
            {
                method_responses.push(
                    MethodResponse::default()
                        .status_code(status)
                        .response_models(StringMap::new().entry("application/json", "Empty")),
                );
            }
        }
    }
    let defaults = integration_responses
        .iter()
        .filter(|r| r.selection_pattern.is_none())
        .count();
    if defaults > 1 {
        stack.report(format!(
            "{what}: {defaults} integration responses have no `selection_pattern`; only one can be the default"
        ));
    }
    let mut integration = Vec::new();
    for response in integration_responses {
        let Some(status) = response.status_code else {
            stack.report(format!(
                "{what}: an integration response has no `status_code`"
            ));
            continue;
        };
        check_status(stack, what, &status);
        if !method_responses
            .iter()
            .any(|m| m.status_code.as_ref() == Some(&status))
        {
            stack.report(format!(
                "{what}: integration response `{}` has no method response with that status; add `MethodResponse {{ status_code: ... }}`",
                literal_str(&status).unwrap_or("?")
            ));
        }
        let mut parameters = response.response_parameters;
        for (header, value) in cors_headers {
            let key = format!("method.response.header.{header}");
            if !parameters.iter().any(|(k, _)| k == key) {
                parameters = parameters.entry(&key, value.clone());
            }
        }
        let parameters = non_empty(&parameters);
        let templates = non_empty(&response.response_templates);
        let content_handling = response.content_handling.map(|h| Value::lit(h.as_str()));

        integration.push(method::IntegrationResponse {
            status_code: Some(status),
            selection_pattern: response.selection_pattern,
            response_parameters: parameters.map(string_map),
            response_templates: templates.map(string_map),
            content_handling,
        });
    }
    let mut declared = Vec::new();
    for mut response in method_responses {
        let Some(status) = response.status_code else {
            stack.report(format!("{what}: a method response has no `status_code`"));
            continue;
        };
        check_status(stack, what, &status);
        for (header, _) in cors_headers {
            if !response.response_headers.iter().any(|h| h == header) {
                response.response_headers.push((*header).to_owned());
            }
        }
        let models = non_empty(&response.response_models);
        let headers = (!response.response_headers.is_empty()).then(|| {
            Expr::Map(
                response
                    .response_headers
                    .iter()
                    .map(|h| (format!("method.response.header.{h}"), Expr::Bool(true)))
                    .collect(),
            )
        });

        declared.push(method::MethodResponse {
            status_code: Some(status),
            response_models: models.map(string_map),
            response_parameters: headers.map(Value::from_expr),
        });
    }
    NonProxyResponses {
        integration,
        method: declared,
    }
}

/// Reports a status code that is not a literal from 100 to 599.
fn check_status(stack: &mut StackBuilder, what: &str, status: &Value<String>) {
    let valid = literal_str(status)
        .is_some_and(|s| s.len() == 3 && s.parse::<u16>().is_ok_and(|n| (100..600).contains(&n)));
    if !valid {
        stack.report(format!(
            "{what}: status codes are written as three digits from 100 to 599, e.g. `\"200\"`"
        ));
    }
}

/// `map`, unless it is empty.
pub(super) fn non_empty(map: &StringMap) -> Option<&StringMap> {
    (!map.is_empty()).then_some(map)
}

/// A string map as the generated structs take it.
pub(super) fn string_map(map: &StringMap) -> BTreeMap<String, Value<String>> {
    map.iter().map(|(k, v)| (k.to_owned(), v.clone())).collect()
}

/// `AWS_PROXY` integration with a Lambda function.
pub(super) fn lambda_proxy_integration(
    function_arn: &Value<Arn<kind::lambda::Function>>,
) -> MethodIntegration {
    let uri = lambda_invocation_uri(function_arn);
    MethodIntegration {
        integration: method::Integration {
            r#type: Some(Value::lit("AWS_PROXY")),
            integration_http_method: Some(Value::lit("POST")),
            uri: Some(uri),
            ..Default::default()
        },
        method_responses: None,
    }
}

/// The URI API Gateway calls to invoke a Lambda function (REST and WebSocket APIs).
pub(crate) fn lambda_invocation_uri(
    function_arn: &Value<Arn<kind::lambda::Function>>,
) -> Value<String> {
    Value::concat([
        Value::lit("arn:"),
        crate::pseudo::partition(),
        Value::lit(":apigateway:"),
        crate::pseudo::region(),
        Value::lit(":lambda:path/2015-03-31/functions/"),
        function_arn.clone().into_value(),
        Value::lit("/invocations"),
    ])
}
